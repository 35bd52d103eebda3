import pytest
from django.urls import reverse

from staffing import services
from support.models import Assignment


def _pages(request_a):
    return [
        reverse("staffing:candidates", args=[request_a.reference]),
        reverse("staffing:team", args=[request_a.reference]),
        reverse("staffing:backlog_plan"),
        reverse("staffing:workload"),
    ]


@pytest.mark.parametrize("page", range(4))
def test_manager_pages_open_for_managers(client_for, ict_manager, alice, request_a, page):
    response = client_for(ict_manager).get(_pages(request_a)[page])
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["ict_staff", "hr_user", "requester"])
@pytest.mark.parametrize("page", range(4))
def test_manager_pages_are_not_found_for_others(request, client_for, request_a, who, page):
    user = request.getfixturevalue(who)
    response = client_for(user).get(_pages(request_a)[page])
    assert response.status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, request_a):
    response = client.get(reverse("staffing:candidates", args=[request_a.reference]))
    assert response.status_code == 302


def test_unknown_reference_is_not_found(client_for, ict_manager):
    response = client_for(ict_manager).get(reverse("staffing:candidates", args=["DX-2025-9999"]))
    assert response.status_code == 404


def test_candidates_page_shows_translated_reasons(client_for, ict_manager, alice, request_a):
    response = client_for(ict_manager).get(reverse("staffing:candidates", args=[request_a.reference]))
    # Plain language (level names on the shared scale, 未評価 for none): tests/staffing/test_confirmations.py
    assert "セキュリティ: レベル4 ✓" in response.content.decode()


def test_team_fragment_for_htmx(client_for, ict_manager, alice, request_a):
    response = client_for(ict_manager).get(
        reverse("staffing:team", args=[request_a.reference]), HTTP_HX_REQUEST="true"
    )
    assert b'id="team-result"' in response.content and b"<html" not in response.content


def test_assign_view_creates_an_assignment(client_for, ict_manager, alice, request_a):
    client_for(ict_manager).post(
        reverse("staffing:assign", args=[request_a.reference]),
        {"staff": alice.pk, "role": "lead", "hours": "4"},
    )
    assert Assignment.objects.filter(request=request_a, staff=alice, role="lead").exists()


def test_assign_view_reports_over_capacity(client_for, ict_manager, alice, request_a):
    response = client_for(ict_manager).post(
        reverse("staffing:assign", args=[request_a.reference]),
        {"staff": alice.pk, "role": "lead", "hours": "12"},
        follow=True,
    )
    assert "稼働上限" in response.content.decode()


def test_assign_view_is_not_found_for_ict_staff(client_for, ict_staff, alice, request_a):
    response = client_for(ict_staff).post(
        reverse("staffing:assign", args=[request_a.reference]),
        {"staff": alice.pk, "role": "lead", "hours": "4"},
    )
    assert response.status_code == 404


def test_release_view_releases(client_for, ict_manager, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    client_for(ict_manager).post(reverse("staffing:release", args=[assignment.pk]), {"confirm": "yes"})
    assignment.refresh_from_db()
    assert assignment.released_at is not None


def test_release_view_is_not_found_for_a_requester(client_for, ict_manager, requester, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    response = client_for(requester).post(reverse("staffing:release", args=[assignment.pk]))
    assert response.status_code == 404


def _backlog_post(rows):
    data = {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": str(len(rows)), "confirm": "yes"}
    for i, (reference, staff, hours) in enumerate(rows):
        data.update({f"rows-{i}-request": reference, f"rows-{i}-staff": staff, f"rows-{i}-hours": hours})
    return data


def test_backlog_apply_assigns_every_row(client_for, ict_manager, alice, make_staff, make_request):
    bob = make_staff("bob@example.com", levels={"security": 3})
    first, second = make_request(), make_request()
    client_for(ict_manager).post(
        reverse("staffing:backlog_plan"),
        _backlog_post([(first.reference, str(alice.pk), "4"), (second.reference, str(bob.pk), "4")]),
    )
    assert Assignment.objects.filter(role="lead").count() == 2


def test_backlog_apply_with_one_bad_row_writes_nothing(client_for, ict_manager, alice, make_request):
    first, second = make_request(), make_request()
    response = client_for(ict_manager).post(
        reverse("staffing:backlog_plan"),
        _backlog_post([(first.reference, str(alice.pk), "6"), (second.reference, str(alice.pk), "6")]),
    )
    assert (response.status_code, Assignment.objects.count()) == (200, 0)


def test_backlog_apply_skips_rows_left_unassigned(client_for, ict_manager, alice, make_request):
    first, second = make_request(), make_request()
    client_for(ict_manager).post(
        reverse("staffing:backlog_plan"),
        _backlog_post([(first.reference, str(alice.pk), "4"), (second.reference, "", "4")]),
    )
    assert list(Assignment.objects.values_list("request__reference", flat=True)) == [first.reference]


def test_backlog_apply_is_not_found_for_ict_staff(client_for, ict_staff, alice, make_request):
    first = make_request()
    response = client_for(ict_staff).post(
        reverse("staffing:backlog_plan"), _backlog_post([(first.reference, str(alice.pk), "4")])
    )
    assert response.status_code == 404


def test_workload_highlights_over_capacity(client_for, ict_manager, alice, make_request):
    services.assignment_create(
        actor=ict_manager, request=make_request(), staff=alice, hours=12, override_reason="繁忙期"
    )
    response = client_for(ict_manager).get(reverse("staffing:workload"))
    assert '<tr class="over-capacity' in response.content.decode()


def test_workload_sorts_on_allow_listed_columns_only(client_for, ict_manager, alice):
    response = client_for(ict_manager).get(reverse("staffing:workload"), {"sort": "user__password"})
    assert response.status_code == 200


def test_my_assignments_shows_my_requests(client_for, ict_manager, ict_staff, own_staff, request_a):
    services.assignment_create(actor=ict_manager, request=request_a, staff=own_staff, hours=5)
    response = client_for(ict_staff).get(reverse("staffing:my_assignments"))
    assert request_a.reference in response.content.decode()


def test_my_assignments_shows_my_load(client_for, ict_manager, ict_staff, own_staff, request_a):
    services.assignment_create(actor=ict_manager, request=request_a, staff=own_staff, hours=5)
    response = client_for(ict_staff).get(reverse("staffing:my_assignments"))
    assert "稼働率 25%" in response.content.decode()
    assert "稼働上限 20 時間/週のうち 5 時間が割当済み" in response.content.decode()


@pytest.mark.parametrize("who", ["hr_user", "requester"])
def test_my_assignments_is_not_found_outside_the_ict_side(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get(reverse("staffing:my_assignments"))
    assert response.status_code == 404


def test_pages_take_a_constant_number_of_queries(
    client_for, ict_manager, make_staff, request_a, django_assert_max_num_queries
):
    client = client_for(ict_manager)
    url = reverse("staffing:candidates", args=[request_a.reference])
    for i in range(3):
        make_staff(f"p{i}@example.com", levels={"security": 4})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(3, 20):
        make_staff(f"p{i}@example.com", levels={"security": 4})
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
