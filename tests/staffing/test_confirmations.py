"""Staffing pages in plain language and with confirmations: the candidates say 未評価 and level names, mark the
people already on the request and never offer them again; releasing and applying a whole backlog plan ask first,
say what will happen, and change nothing until confirmed."""

from django.urls import reverse

from skills import services as skills_services
from staffing import services
from support.models import Assignment


def _levels():
    for level, name in ((3, "自立して実施できる"), (4, "リードし他者をレビューできる")):
        skills_services.proficiency_level_upsert(
            actor=None, level=level, defaults={"name": name, "name_en": ""}
        )


def test_candidates_show_level_names_and_not_assessed(client_for, ict_manager, make_staff, make_request):
    _levels()
    make_staff("expert@example.com", levels={"security": 4, "data": 3})
    request = make_request(required=[("security", 3, False), ("ux", 3, False)])
    page = (
        client_for(ict_manager).get(reverse("staffing:candidates", args=[request.reference])).content.decode()
    )
    assert "セキュリティ: レベル4（リードし他者をレビューできる） ✓" in page
    assert "UXデザイン: 未評価 ✗" in page and "L0" not in page
    assert "レベル3（自立して実施できる）以上" in page
    assert 'id="candidates-legend"' in page and "適合度" in page and "スコア" not in page


def test_people_on_the_request_are_marked_assigned_and_not_offered(
    client_for, ict_manager, alice, make_staff, request_a
):
    bob = make_staff("bob@example.com", levels={"security": 4})
    services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    response = client_for(ict_manager).get(reverse("staffing:candidates", args=[request_a.reference]))
    page = response.content.decode()
    offered = [c.staff.pk for c in response.context["rows"]]
    assert alice.pk not in offered and bob.pk in offered
    assert f'data-assigned="{alice.pk}"' in page and "割当済" in page
    assert f'name="staff" value="{alice.pk}"' not in page and f'name="staff" value="{bob.pk}"' in page


def test_release_without_confirmation_changes_nothing(client_for, ict_manager, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    response = client_for(ict_manager).post(reverse("staffing:release", args=[assignment.pk]))
    assignment.refresh_from_db()
    page = response.content.decode()
    assert (response.status_code, assignment.released_at) == (200, None)
    assert "2 時間/週" in page or "2 h/week" in page or "2時間" in page
    assert 'name="confirm" value="yes"' in page


def test_release_with_confirmation_releases(client_for, ict_manager, alice, request_a):
    assignment = services.assignment_create(actor=ict_manager, request=request_a, staff=alice, hours=2)
    response = client_for(ict_manager).post(
        reverse("staffing:release", args=[assignment.pk]), {"confirm": "yes"}
    )
    assignment.refresh_from_db()
    assert response.status_code == 302 and assignment.released_at is not None


def _plan(first, staff):
    return {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "1",
        "rows-0-request": first.reference,
        "rows-0-staff": str(staff.pk),
        "rows-0-hours": "4",
    }


def test_apply_all_without_confirmation_lists_what_will_happen_and_assigns_nobody(
    client_for, ict_manager, alice, make_request
):
    first = make_request()
    response = client_for(ict_manager).post(reverse("staffing:backlog_plan"), _plan(first, alice))
    page = response.content.decode()
    assert (response.status_code, Assignment.objects.count()) == (200, 0)
    assert first.reference in page and alice.user.display_name in page
    assert 'name="rows-0-staff"' in page and 'name="confirm" value="yes"' in page


def test_apply_all_with_confirmation_assigns(client_for, ict_manager, alice, make_request):
    first = make_request()
    response = client_for(ict_manager).post(
        reverse("staffing:backlog_plan"), {**_plan(first, alice), "confirm": "yes"}
    )
    assert response.status_code == 302
    assert list(Assignment.objects.values_list("request__reference", "staff")) == [
        (first.reference, alice.pk)
    ]


def test_team_proposal_and_backlog_plan_say_fit_score(
    client_for, ict_manager, alice, request_a, make_request
):
    client = client_for(ict_manager)
    team = client.get(reverse("staffing:team", args=[request_a.reference])).content.decode()
    make_request()
    plan = client.get(reverse("staffing:backlog_plan")).content.decode()
    assert "適合度" in team and "適合度" in plan
