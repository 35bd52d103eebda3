"""The request lists like a helpdesk: mine / unassigned / assignee / organisation filters, status chips, the total
count, cards on a phone, the triage queue's keyboard shortcuts — and a requester never sees another organisation's
requests through any filter."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from staffing import services as staffing_services
from support import services

REFERENCE = re.compile(r">(DX-\d{4}-\d{4,6})</a>")


def listed(client, url_name="support:request_list", **params) -> set[str]:
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return set(REFERENCE.findall(response.content.decode()))


@pytest.fixture
def world(submit, requester, other_requester, make_user, ward, ict_manager, staff_profile):
    """A, B filed by the requester; D by a colleague of the same ward; C by another ward's requester.
    A, B, C triaged; A has the ICT staff member as lead (in progress); B, C, D nobody."""
    colleague = make_user("colleague@example.com", Role.REQUESTER, organization=ward)
    a, b = submit(title="A"), submit(title="B")
    c = submit(user=other_requester, title="C")
    d = submit(user=colleague, title="D")
    for r in (a, b, c):
        services.request_triage(actor=ict_manager, request=r, accept=True, priority=1)
    staffing_services.assignment_create(
        actor=ict_manager, request=a, staff=staff_profile, role="lead", hours=4
    )
    return {"A": a.reference, "B": b.reference, "C": c.reference, "D": d.reference}


def names(world, *keys) -> set[str]:
    return {world[k] for k in keys}


def test_mine_assigned_to_me_for_the_ict_side(client_for, ict_staff, world):
    assert listed(client_for(ict_staff), mine="assigned") == names(world, "A")


def test_mine_filed_by_me_for_a_requester(client_for, requester, world):
    assert listed(client_for(requester), mine="filed") == names(world, "A", "B")
    assert listed(client_for(requester)) == names(world, "A", "B", "D")  # the whole ward


def test_unassigned_and_assignee(client_for, ict_manager, staff_profile, world):
    client = client_for(ict_manager)
    assert listed(client, unassigned="on") == names(world, "B", "C", "D")
    assert listed(client, assignee=staff_profile.pk) == names(world, "A")
    assert listed(client, unassigned="on", status="triaged") == names(world, "B", "C")


def test_status_chips_combine_statuses(client_for, ict_manager, world):
    client = client_for(ict_manager)
    assert listed(client, status=["submitted", "in_progress"]) == names(world, "A", "D")
    page = client.get(reverse("support:request_list"), {"status": ["submitted"]}).content.decode()
    assert 'class="btn-check" name="status" value="submitted"' in page and '<select name="status"' not in page


def test_organisation_filter_with_and_without_sub_organisations(client_for, ict_manager, world):
    client = client_for(ict_manager)
    assert listed(client, organization="131024") == names(world, "C")
    assert listed(client, organization="131016", suborganizations=["0"], status="triaged") == names(
        world, "B"
    )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"organization": "131024"},
        {"organization": "131024", "suborganizations": "0"},
        {"q": "C"},
        {"mine": "assigned"},
        {"unassigned": "on"},
        {"status": ["triaged", "submitted"], "organization": "131024"},
        {"_all": "1", "mine": "filed"},
    ],
)
def test_a_requester_never_sees_another_organisation_through_any_filter(client_for, requester, world, params):
    seen = listed(client_for(requester), **params)
    assert world["C"] not in seen
    assert seen <= names(world, "A", "B", "D")


def test_requester_is_not_offered_the_ict_filters(client_for, requester, world):
    page = client_for(requester).get(reverse("support:request_list")).content.decode()
    assert 'name="assignee"' not in page and 'name="unassigned"' not in page
    assert "中央区" not in page  # the organisation list holds only the organisations they see


def test_every_filter_combination_narrows_consistently(client_for, ict_manager, staff_profile, world):
    """Each pair of filters gives the intersection of what each gives alone."""
    client = client_for(ict_manager)
    single = {
        "mine": {"mine": "assigned"},
        "unassigned": {"unassigned": "on"},
        "assignee": {"assignee": staff_profile.pk},
        "org": {"organization": "131016"},
        "status": {"status": ["triaged", "in_progress"]},
    }
    alone = {name: listed(client, **params) for name, params in single.items()}
    for first, second in itertools.combinations(single, 2):
        together = listed(client, **single[first], **single[second])
        assert together == alone[first] & alone[second], (first, second)


def test_total_count_is_shown(client_for, ict_manager, world):
    page = client_for(ict_manager).get(reverse("support:request_list")).content.decode()
    assert 'id="result-count"' in page and "4 件" in page


def test_phone_cards_show_the_same_rows(client_for, ict_manager, world):
    page = client_for(ict_manager).get(reverse("support:request_list")).content.decode()
    cards = page[page.index('id="request-cards"') :]
    cards = cards[: cards.index("</ul>")]
    assert 'class="list-unstyled d-md-none' in page and "d-none d-md-table" in page
    assert all(world[k] in cards for k in "ABCD")


def test_triage_queue_has_keyboard_shortcuts(client_for, ict_manager, world):
    page = client_for(ict_manager).get(reverse("support:triage")).content.decode()
    assert "js/request-list.js" in page and 'data-shortcuts="rows"' in page
    assert 'id="shortcut-help"' in page and "<kbd>j</kbd>" in page and "<kbd>?</kbd>" in page
    assert 'name="_all" value="1"' in page  # no status ticked = every status, not the default queue


def test_bulk_selection_only_for_managers(client_for, ict_manager, ict_staff, world):
    manager_page = client_for(ict_manager).get(reverse("support:request_list")).content.decode()
    staff_page = client_for(ict_staff).get(reverse("support:request_list")).content.decode()
    assert 'id="bulk-form"' in manager_page and 'name="references"' in manager_page
    assert 'id="bulk-form"' not in staff_page and 'name="references"' not in staff_page


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["support:request_list", "support:triage"])
def test_query_count_is_flat_as_rows_grow(
    client_for, ict_manager, submit, staff_profile, world, url_name, django_assert_num_queries
):
    client = client_for(ict_manager)
    services.saved_view_save(actor=ict_manager, name="至急", list_name="requests", query_string="priority=3")
    params = {"per_page": 100, "_all": "1", "status": ["submitted", "triaged", "in_progress"]}
    url = reverse(url_name)
    small = _queries(client, url, params)
    for i in range(12):
        r = submit(title=f"追加 {i}")
        if i % 2:
            services.request_triage(actor=ict_manager, request=r, accept=True, priority=1)
            staffing_services.assignment_create(actor=ict_manager, request=r, staff=staff_profile, hours=1)
    with django_assert_num_queries(small):
        client.get(url, params)
