"""The navigation and the home page ask the policies (`can.<name>`), so a link shows exactly when its page opens."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from core.policies import NAV_RULES
from tests.world import DEMO_EMAIL

NAV_TEMPLATES = ("templates/includes/nav_items.html", "templates/includes/home_cards.html")
# The app pages (the profile, language switch and sign-out are everyone's).
OWN_PREFIXES = ("/requests/", "/skills/", "/staffing/", "/reports/", "/admin/")


def test_every_answer_a_template_asks_is_registered_by_an_app():
    asked = set()
    for path in NAV_TEMPLATES + ("support/templates/support/request_list.html",):
        asked |= set(re.findall(r"\bcan\.(\w+)", (Path(settings.BASE_DIR) / path).read_text()))
    assert asked, "the navigation asks no policy"
    assert asked <= set(NAV_RULES), f"not registered: {sorted(asked - set(NAV_RULES))}"


def _links(html: str) -> set[str]:
    return {href for href in re.findall(r'href="([^"#?]+)', html) if href.startswith(OWN_PREFIXES)}


@pytest.mark.parametrize("role", sorted(DEMO_EMAIL))
def test_every_link_on_the_home_page_opens_for_the_role_that_sees_it(role, demo_users):
    client = Client()
    client.force_login(demo_users[role])
    links = _links(client.get("/").content.decode())
    assert links, f"{role} sees no menu"
    refused = {link: client.get(link).status_code for link in links}
    refused = {link: code for link, code in refused.items() if code != 200}
    assert not refused, f"{role} is shown links it may not open: {refused}"


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        ("requester", ("/requests/triage/", "/staffing/", "/skills/", "/reports/", "/admin/")),
        ("hr", ("/requests/", "/staffing/", "/admin/", "/skills/validation/", "/skills/taxonomy/")),
        ("ict_staff", ("/requests/triage/", "/requests/new/", "/reports/", "/admin/", "/staffing/workload/")),
    ],
)
def test_links_a_role_may_not_use_are_not_shown(role, hidden, demo_users):
    client = Client()
    client.force_login(demo_users[role])
    links = _links(client.get("/").content.decode())
    shown = sorted(link for link in links if link.startswith(hidden))
    assert not shown, f"{role} is shown {shown}"
