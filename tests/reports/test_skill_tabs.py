"""The HR report (skill coverage) as tabs: each tab its own address, computing and showing only its sections; the
old address still works; reskilling finds a skill by code or by name from a searchable list."""

import pytest
from django.urls import reverse

SECTIONS = {
    "coverage": ("heat",),
    "gaps": ("gaps", "spof", "truck-factor", "certifications", "rating-gaps"),
    "reskilling": ("reskilling",),
    "trend": ("trend", "trend-by-skill"),
    "demand-supply": ("demand-supply",),
}
QUERY = "?fy=2025&q=1"


@pytest.mark.parametrize("tab", list(SECTIONS))
def test_each_tab_shows_its_own_sections_only(coverage_world, client_for, hr_user, tab):
    response = client_for(hr_user).get(reverse("reports:skills_tab", args=[tab]) + QUERY)
    shown = [section.id for section in response.context["sections"]]
    assert response.status_code == 200 and set(SECTIONS[tab]) <= set(shown)
    others = {s for other, ids in SECTIONS.items() if other != tab for s in ids}
    assert not others & set(shown)
    page = response.content.decode()
    assert f'data-tab="{tab}"' in page and 'aria-current="page"' in page
    for other in SECTIONS:  # every tab is a real link, also without JavaScript
        assert f'href="/reports/skills/{other}/?' in page


def test_the_old_address_opens_the_first_tab(coverage_world, client_for, hr_user):
    response = client_for(hr_user).get("/reports/skills/" + QUERY)
    assert response.status_code == 200 and response.context["tab"] == "coverage"
    assert 'id="heat"' in response.content.decode()


def test_the_old_address_with_a_skill_opens_reskilling(coverage_world, client_for, hr_user):
    response = client_for(hr_user).get("/reports/skills/" + QUERY + "&skill=skill-c")
    assert response.context["tab"] == "reskilling"
    assert 'id="reskilling-candidates"' in response.content.decode()


def test_an_unknown_tab_is_not_found(coverage_world, client_for, hr_user):
    assert client_for(hr_user).get("/reports/skills/nope/").status_code == 404


def test_tabs_are_not_found_for_requesters(coverage_world, client_for, requester):
    assert client_for(requester).get(reverse("reports:skills_tab", args=["gaps"])).status_code == 404


def test_reskilling_offers_a_searchable_list_of_skills(coverage_world, client_for, hr_user):
    page = client_for(hr_user).get(reverse("reports:skills_tab", args=["reskilling"])).content.decode()
    assert 'list="skill-codes"' in page and '<option value="skill-c">スキルC (skill-c)</option>' in page


def test_reskilling_finds_a_skill_by_its_name(coverage_world, client_for, hr_user):
    url = reverse("reports:skills_tab", args=["reskilling"]) + QUERY + "&skill=スキルC"
    response = client_for(hr_user).get(url)
    assert response.context["skill_code"] == "skill-c" and not response.context["unknown_skill"]
    assert "p4@example.com" in response.content.decode()
