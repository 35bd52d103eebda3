"""Team practice: a senior digital specialist (デジタルシフト推進担当課長) and an ICT officer work on a request as a
team when its category's rule says so; a learner may join, mentored by a member of the team."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.models import AuditEvent
from skills import services as skills_services
from staffing import selectors, services, team_rules
from staffing.models import TeamRule
from tests.conftest import codes

pytestmark = pytest.mark.django_db


def _kind(staff, kind):
    skills_services.staff_profile_upsert(actor=None, user=staff.user, defaults={"kind": kind})
    return staff


def _loaded(manager, request):
    return selectors.request_for_staffing(manager, request.reference)


def _rule(category=None, **flags):
    return team_rules.team_rule_save(actor=None, rule=TeamRule(category=category, **flags))


def test_a_specialist_joins_the_officer_when_the_categorys_rule_asks_for_one(
    ict_manager, make_staff, make_request, category
):
    request = make_request(required=[("security", 3, False)])
    make_staff("officer@example.com", levels={"security": 4})
    _kind(make_staff("specialist@example.com", levels={"cloud": 5}), "specialist")
    team = selectors.team_proposal_for(ict_manager, _loaded(ict_manager, request))
    assert [m.staff.user.email for m in team.members] == ["officer@example.com"]  # no rule: skills only

    _rule(category, requires_specialist=True, requires_ict_officer=True, learner_optional=False)
    team = selectors.team_proposal_for(ict_manager, _loaded(ict_manager, request))
    assert [(m.staff.user.email, m.role, m.kind) for m in team.members] == [
        ("officer@example.com", "lead", "ict_officer"),
        ("specialist@example.com", "member", "specialist"),
    ]
    assert team.missing_kinds == []


def test_the_default_rule_applies_to_categories_without_their_own_and_names_a_missing_kind(
    ict_manager, make_staff, make_request
):
    _rule(None, requires_specialist=True, learner_optional=False)
    request = make_request(required=[("security", 3, False)])
    make_staff("officer@example.com", levels={"security": 4})
    team = selectors.team_proposal_for(ict_manager, _loaded(ict_manager, request))
    assert team.missing_kinds == ["specialist"]
    assert team.complete  # every skill is still covered


def test_a_learner_joins_with_a_mentor_from_the_team(ict_manager, make_staff, make_request, skills):
    _rule(None, learner_optional=True)
    request = make_request(required=[("security", 3, False)])
    mentor = make_staff("mentor@example.com", levels={"security": 4})
    learner = make_staff("learner@example.com", levels={"ux": 2})
    bystander = make_staff("bystander@example.com", levels={"ux": 2})
    skills_services.interest_set(
        actor=None, staff=mentor, skill=skills["security"], wants_to_learn=False, can_mentor=True
    )
    skills_services.interest_set(
        actor=None, staff=learner, skill=skills["security"], wants_to_learn=True, can_mentor=False
    )
    skills_services.interest_set(
        actor=None, staff=bystander, skill=skills["ux"], wants_to_learn=True, can_mentor=False
    )
    team = selectors.team_proposal_for(ict_manager, _loaded(ict_manager, request))
    learners = [m for m in team.members if m.learns]
    assert [(m.staff.user.email, m.learns.code, m.mentor.user.email) for m in learners] == [
        ("learner@example.com", "security", "mentor@example.com")
    ]


def test_no_learner_without_a_mentor_on_the_team(ict_manager, make_staff, make_request, skills):
    _rule(None, learner_optional=True)
    request = make_request(required=[("security", 3, False)])
    make_staff("lead@example.com", levels={"security": 4})
    learner = make_staff("learner@example.com")
    skills_services.interest_set(
        actor=None, staff=learner, skill=skills["security"], wants_to_learn=True, can_mentor=False
    )
    team = selectors.team_proposal_for(ict_manager, _loaded(ict_manager, request))
    assert not [m for m in team.members if m.learns]


def test_people_already_on_the_request_are_shown_as_such_and_not_offered_again(
    client_for, ict_manager, make_staff, make_request
):
    request = make_request(required=[("security", 3, False)])
    person = make_staff("sec@example.com", levels={"security": 4})
    services.assignment_create(actor=ict_manager, request=request, staff=person, role="lead", hours=2)
    team = selectors.team_proposal_for(ict_manager, _loaded(ict_manager, request))
    assert [(m.staff.user.email, m.on_request) for m in team.members] == [("sec@example.com", True)]
    page = client_for(ict_manager).get(reverse("staffing:team", args=[request.reference])).content.decode()
    assert "割当済" in page  # the candidates page says the same ("assigned")
    assert f'name="staff" value="{person.pk}"' not in page


TEAM_RULES = "query { teamRules { categoryCode requiresSpecialist requiresIctOfficer learnerOptional } }"


def test_team_rules_are_read_by_managers_and_saved_audited(gql, ict_manager, ict_staff, category):
    rule = _rule(category, requires_specialist=True, requires_ict_officer=True)
    assert gql(ict_manager).execute(TEAM_RULES)["data"]["teamRules"] == [
        {
            "categoryCode": category.code,
            "requiresSpecialist": True,
            "requiresIctOfficer": True,
            "learnerOptional": True,
        }
    ]
    assert codes(gql(ict_staff).execute(TEAM_RULES)) == ["FORBIDDEN"]
    with pytest.raises(PermissionDenied):
        team_rules.team_rule_save(actor=ict_staff, rule=TeamRule(requires_ict_officer=True))
    assert TeamRule.objects.count() == 1
    rule.requires_specialist = False
    team_rules.team_rule_save(actor=ict_manager, rule=rule)
    event = AuditEvent.objects.filter(verb="team_rule.save").latest("pk")
    assert event.data["before"]["requires_specialist"] == "True"
    assert event.data["after"]["requires_specialist"] == "False"


def test_candidates_leave_out_people_already_on_the_request(gql, ict_manager, make_staff, make_request):
    request = make_request(required=[("security", 3, False)])
    on_it = make_staff("on@example.com", levels={"security": 5})
    make_staff("free@example.com", levels={"security": 4})
    services.assignment_create(actor=ict_manager, request=request, staff=on_it, role="lead", hours=2)
    rows = selectors.candidates_for(ict_manager, _loaded(ict_manager, request))
    assert [r.staff.user.email for r in rows] == ["free@example.com"]
    result = gql(ict_manager).execute(
        "query($r: ID!) { candidates(request: $r) { staff { email } } }", {"r": request.reference}
    )
    assert [c["staff"]["email"] for c in result["data"]["candidates"]] == ["free@example.com"]


def test_the_backlog_plan_proposes_the_lead_and_the_partner_the_rule_asks_for(
    client_for, gql, ict_manager, make_staff, make_request, category
):
    from django.urls import reverse

    from support.models import Assignment

    _rule(category, requires_specialist=True, requires_ict_officer=True, learner_optional=False)
    request = make_request(required=[("security", 3, False)])
    make_staff("officer@example.com", levels={"security": 4}, capacity=20)
    specialist = _kind(make_staff("specialist@example.com", levels={"cloud": 5}, capacity=20), "specialist")
    result = gql(ict_manager).execute(
        "query { backlogPlan { totalFit items { staff { email } fit partners { staff { email } hours } } } }"
    )
    item = result["data"]["backlogPlan"]["items"][0]
    assert item["staff"]["email"] == "officer@example.com"
    assert item["partners"] == [{"staff": {"email": "specialist@example.com"}, "hours": 2.0}]
    # The plan's total fit is the leads' (what the solver optimised), not inflated by the partners.
    assert result["data"]["backlogPlan"]["totalFit"] == pytest.approx(item["fit"])

    page = client_for(ict_manager)
    html = page.get(reverse("staffing:backlog_plan")).content.decode()
    assert "specialist" in html
    data = {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "1",
        "rows-0-request": request.reference,
        "rows-0-staff": str(selectors.staff_for_assignment(ict_manager, email="officer@example.com").pk),
        "rows-0-hours": "4",
        "rows-0-partner": str(specialist.pk),
        "rows-0-partner_hours": "2",
        "rows-0-with_partner": "on",
        "confirm": "yes",
    }
    assert page.post(reverse("staffing:backlog_plan"), data).status_code == 302
    on_it = Assignment.objects.active().filter(request=request).values_list("staff__user__email", "role")
    assert sorted(on_it) == [("officer@example.com", "lead"), ("specialist@example.com", "member")]


def test_applying_the_plan_through_graphql_puts_the_partner_on_too(
    gql, ict_manager, make_staff, make_request
):
    from support.models import Assignment

    request = make_request(required=[("security", 3, False)])
    make_staff("officer@example.com", levels={"security": 4})
    _kind(make_staff("specialist@example.com", levels={"cloud": 5}), "specialist")
    result = gql(ict_manager).execute(
        "mutation($items: [BacklogPlanItemInput!]!) { applyBacklogPlan(items: $items) { errors { code } } }",
        {
            "items": [
                {
                    "request": request.reference,
                    "staff": "officer@example.com",
                    "hours": 4,
                    "partners": [{"staff": "specialist@example.com", "hours": 2}],
                }
            ]
        },
    )
    assert result["data"]["applyBacklogPlan"]["errors"] == []
    on_it = Assignment.objects.active().filter(request=request).values_list("staff__user__email", "role")
    assert sorted(on_it) == [("officer@example.com", "lead"), ("specialist@example.com", "member")]
