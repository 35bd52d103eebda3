"""Small hand-made worlds whose report figures are known, built through the services.

Milestone timestamps (submitted, first response, resolved, assigned, released) are set precisely afterwards, because
the services stamp "now" and the tests are about fiscal boundaries in the past.
"""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import OrganizationKind
from accounts.services import organization_upsert
from core.fiscal import TOKYO, fiscal_year_of
from skills import services as skill_services
from skills.models import Importance
from staffing.services import assignment_create, assignment_release
from support import services as support_services
from support.models import Assignment, RequestCategory, Status, StatusChange, SupportRequest
from tests.conftest import Role


def jst(*args) -> dt.datetime:
    """An aware datetime in Asia/Tokyo: jst(2025, 4, 1, 9, 0)."""
    return dt.datetime(*args, tzinfo=TOKYO)


@pytest.fixture
def city(db):
    org, _ = organization_upsert(
        actor=None,
        code="132012",
        defaults={"name": "八王子市", "name_en": "Hachioji", "kind": OrganizationKind.CITY},
    )
    return org


@pytest.fixture
def department(db, bureau):
    org, _ = organization_upsert(
        actor=None,
        code="B-DIGITAL-01",
        defaults={"name": "デジタル戦略部", "kind": OrganizationKind.DEPARTMENT, "parent": bureau},
    )
    return org


@pytest.fixture
def requesters(make_user, ward, city, bureau, department):
    """One requester per organisation kind."""
    return {
        "ward": make_user("req-ward@example.com", Role.REQUESTER, organization=ward),
        "city": make_user("req-city@example.com", Role.REQUESTER, organization=city),
        "bureau": make_user("req-bureau@example.com", Role.REQUESTER, organization=bureau),
        "department": make_user("req-dept@example.com", Role.REQUESTER, organization=department),
    }


@pytest.fixture
def categories(db):
    """支援区分. No service creates request categories (they are reference data), so they are made here."""
    rows = [
        ("spec", "仕様書の技術的確認", 1),
        ("web", "Webサイト構築", 2),
        ("security", "情報セキュリティ・BCP", 3),
    ]
    return {
        code: RequestCategory.objects.create(code=code, name=name, name_en=code, order=order)
        for code, name, order in rows
    }


@pytest.fixture
def skill_set(admin_user):
    """Four active skills a, b, c, d in one category."""
    category, _ = skill_services.skill_category_upsert(
        actor=admin_user, code="rpt", defaults={"name": "レポート用", "name_en": "Reports"}
    )
    skills = {}
    for order, code in enumerate(("a", "b", "c", "d"), start=1):
        skills[code], _ = skill_services.skill_upsert(
            actor=admin_user,
            code=f"skill-{code}",
            defaults={
                "name": f"スキル{code.upper()}",
                "name_en": f"Skill {code}",
                "category": category,
                "order": order,
            },
        )
    return skills


class RequestFactory:
    """file(...) → a support request taken through the lifecycle by the services, then back-dated."""

    def __init__(self, manager):
        self.manager = manager
        self.counter = 0

    def file(
        self,
        requester,
        *,
        category,
        phase: str,
        submitted: dt.datetime,
        first: dt.datetime | None = None,
        resolved: dt.datetime | None = None,
        status: str | None = None,
        due: dt.date | None = None,
        hours: str | None = None,
        skills=(),
        score: int | None = None,
        title: str | None = None,
    ) -> SupportRequest:
        self.counter += 1
        request = support_services.request_submit(
            actor=requester,
            title=title or f"依頼 {self.counter}",
            description="説明",
            category=category,
            phase=phase,
            due_date=due,
        )
        target = status or (
            Status.RESOLVED if resolved else Status.IN_PROGRESS if first else Status.SUBMITTED
        )
        if target == Status.REJECTED:
            request = support_services.request_triage(
                actor=self.manager, request=request, accept=False, reason="対象外です"
            )
        elif target != Status.SUBMITTED:
            request = support_services.request_triage(
                actor=self.manager,
                request=request,
                accept=True,
                estimated_hours=Decimal(hours) if hours else None,
                required_skills=[{"skill": skill, "min_level": level} for skill, level in skills],
            )
            if target != Status.TRIAGED:
                request = support_services.request_change_status(
                    actor=self.manager, request=request, to_status=Status.IN_PROGRESS
                )
            if target in (Status.RESOLVED, Status.CLOSED):
                request = support_services.request_change_status(
                    actor=self.manager, request=request, to_status=Status.RESOLVED
                )
                if score is not None:
                    support_services.satisfaction_submit(actor=requester, request=request, score=score)
        SupportRequest.objects.filter(pk=request.pk).update(
            submitted_at=submitted,
            fiscal_year=fiscal_year_of(submitted),
            triaged_at=first,
            first_response_at=first,
            resolved_at=resolved,
        )
        StatusChange.objects.filter(request=request, to_status=Status.REJECTED).update(created=first)
        request.refresh_from_db()
        return request


@pytest.fixture
def requests_factory(ict_manager):
    return RequestFactory(ict_manager)


@pytest.fixture
def staff_member(make_user, ict_manager):
    """staff_member("x@example.com", capacity=20, job_type=None, organization=None) → a StaffProfile."""

    def make(email: str, *, capacity=20, job_type=None, organization=None, joined_on=None, display_name=None):
        user = make_user(
            email, Role.ICT_STAFF, organization=organization, display_name=display_name or email[:2]
        )
        profile, _ = skill_services.staff_profile_upsert(
            actor=ict_manager,
            user=user,
            defaults={
                "capacity_hours_per_week": Decimal(capacity),
                "job_type": job_type,
                "joined_on": joined_on,
            },
        )
        return profile

    return make


def assign(manager, request, staff, hours, *, assigned: dt.datetime, released: dt.datetime | None = None):
    assignment = assignment_create(
        actor=manager, request=request, staff=staff, hours=Decimal(hours), override_reason="テスト用の超過"
    )
    if released is not None:
        assignment_release(actor=manager, assignment=assignment)
    Assignment.objects.filter(pk=assignment.pk).update(assigned_at=assigned, released_at=released)
    return assignment


@pytest.fixture
def dashboard_world(requesters, categories, skill_set, requests_factory, staff_member, ict_manager):
    """FY2025 Q1 (2025-04-01 … 2025-06-30) and around it. Known answers in tests/reports/test_dashboard.py."""
    f, c, s, r = requests_factory, categories, skill_set, requesters
    world = {}
    # A: filed on the last day of FY2024, answered and resolved in FY2025 Q1; rated 2.
    world["A"] = f.file(
        r["ward"],
        category=c["spec"],
        phase="planning",
        submitted=jst(2025, 3, 31, 10),
        first=jst(2025, 4, 1, 10),
        resolved=jst(2025, 4, 10, 10),
        score=2,
        title="=1+1",
    )
    # B: filed on the first day of FY2025, resolved on 1 July (Q2): open at the end of Q1, due 30 June → overdue.
    world["B"] = f.file(
        r["ward"],
        category=c["spec"],
        phase="procurement",
        submitted=jst(2025, 4, 1, 9),
        first=jst(2025, 4, 2, 9),
        due=dt.date(2025, 6, 30),
        hours="30",
        skills=[(s["a"], 3)],
    )  # resolved on 1 July below, after staffing it
    # C: across Golden Week (4 business days to first response, 6 to resolution); rated 5.
    world["C"] = f.file(
        r["city"],
        category=c["web"],
        phase="design_build",
        submitted=jst(2025, 4, 28, 15),
        first=jst(2025, 5, 7, 10),
        resolved=jst(2025, 5, 9, 17),
        score=5,
        hours="20",
        skills=[(s["a"], 2), (s["b"], 2)],
    )
    # D: filed at 23:30 on 30 June (Tokyo) — still Q1 — never answered; due in July (not overdue).
    world["D"] = f.file(
        r["department"],
        category=c["web"],
        phase="planning",
        submitted=jst(2025, 6, 30, 23, 30),
        due=dt.date(2025, 7, 15),
    )
    # E: filed at 00:30 on 1 July (Tokyo), which is still 30 June in UTC — Q2.
    world["E"] = f.file(r["ward"], category=c["spec"], phase="planning", submitted=jst(2025, 7, 1, 0, 30))
    # F: rejected the next business day.
    world["F"] = f.file(
        r["bureau"],
        category=c["security"],
        phase="operation",
        submitted=jst(2025, 5, 12, 10),
        first=jst(2025, 5, 13, 10),
        status=Status.REJECTED,
    )
    # G: an old request still in progress, due 31 May → overdue.
    world["G"] = f.file(
        r["ward"],
        category=c["security"],
        phase="operation",
        submitted=jst(2025, 2, 10, 10),
        first=jst(2025, 2, 12, 10),
        due=dt.date(2025, 5, 31),
    )
    # H: the same quarter last year (FY2024 Q1).
    world["H"] = f.file(
        r["city"],
        category=c["web"],
        phase="planning",
        submitted=jst(2024, 5, 10, 10),
        first=jst(2024, 5, 13, 10),
        resolved=jst(2024, 5, 20, 10),
        score=4,
    )
    # Staff: s1 over capacity at the end of Q1 (10 + 15 h of 20), s2 released in May (0 of 10 h).
    s1 = staff_member("s1@example.com", capacity=20)
    s2 = staff_member("s2@example.com", capacity=10)
    assign(ict_manager, world["B"], s1, "10", assigned=jst(2025, 4, 5, 10))
    assign(ict_manager, world["G"], s1, "15", assigned=jst(2025, 3, 1, 10))
    support_services.request_change_status(actor=ict_manager, request=world["B"], to_status=Status.RESOLVED)
    SupportRequest.objects.filter(pk=world["B"].pk).update(resolved_at=jst(2025, 7, 1, 10))
    world["s1"], world["s2"] = s1, s2
    # s2 on G for two weeks in May: released before the end of the quarter
    assign(ict_manager, world["G"], s2, "5", assigned=jst(2025, 4, 29, 10), released=jst(2025, 5, 9, 10))
    return world


@pytest.fixture
def coverage_world(admin_user, ict_manager, skill_set, staff_member, bureau, department):
    """Five people, four skills, two job types — as at 2025-06-30 (FY2025 Q1). Answers in test_skill_coverage.py."""
    s = skill_set
    pm, _ = skill_services.job_type_upsert(
        actor=admin_user, code="pm", defaults={"name": "プロジェクトマネージャ", "order": 1}
    )
    sec, _ = skill_services.job_type_upsert(
        actor=admin_user, code="sec", defaults={"name": "セキュリティ", "order": 2}
    )
    skill_services.target_skill_set(
        actor=admin_user, job_type=pm, skill=s["a"], target_level=3, importance=Importance.ESSENTIAL
    )
    skill_services.target_skill_set(
        actor=admin_user, job_type=pm, skill=s["b"], target_level=2, importance=Importance.IMPORTANT
    )
    skill_services.target_skill_set(
        actor=admin_user, job_type=sec, skill=s["c"], target_level=3, importance=Importance.ESSENTIAL
    )
    p1 = staff_member("p1@example.com", job_type=pm, organization=bureau, display_name="P1")
    p2 = staff_member("p2@example.com", job_type=pm, organization=bureau, display_name="P2")
    p3 = staff_member("p3@example.com", job_type=sec, organization=department, display_name="P3")
    p4 = staff_member("p4@example.com", job_type=sec, organization=department, display_name="P4")
    p5 = staff_member("p5@example.com", organization=bureau, display_name="P5")

    def manager(staff, skill, level, on, responds_to=None):
        return skill_services.assessment_record_manager(
            actor=ict_manager,
            staff=staff,
            skill=s[skill],
            level=level,
            reason="面談",
            assessed_on=on,
            responds_to=responds_to,
        )

    def self_assess(staff, skill, level, on, validate_on=None):
        assessment = skill_services.assessment_record_self(
            actor=staff.user, staff=staff, skill=s[skill], level=level, assessed_on=on
        )
        if validate_on:
            skill_services.assessment_validate(
                actor=ict_manager, assessment=assessment, validated_on=validate_on
            )
        return assessment

    manager(p1, "a", 4, dt.date(2024, 5, 1))
    self_assess(p1, "b", 2, dt.date(2025, 4, 1), validate_on=dt.date(2025, 4, 2))
    manager(p2, "a", 3, dt.date(2025, 5, 1), responds_to=self_assess(p2, "a", 4, dt.date(2025, 4, 20)))
    manager(p2, "b", 3, dt.date(2025, 5, 1))
    manager(p3, "c", 3, dt.date(2025, 5, 2), responds_to=self_assess(p3, "c", 2, dt.date(2025, 4, 21)))
    manager(p3, "a", 2, dt.date(2025, 5, 2))
    manager(p4, "c", 2, dt.date(2025, 5, 3))
    manager(p4, "b", 1, dt.date(2025, 8, 1))  # after the quarter: not in its map
    manager(p5, "c", 2, dt.date(2025, 5, 4))
    manager(p5, "a", 1, dt.date(2025, 5, 4), responds_to=self_assess(p5, "a", 3, dt.date(2025, 4, 22)))
    self_assess(p4, "d", 3, dt.date(2025, 5, 5))  # pending: never counts
    skill_services.interest_set(actor=p4.user, staff=p4, skill=s["c"], wants_to_learn=True, can_mentor=False)
    skill_services.interest_set(actor=p5.user, staff=p5, skill=s["c"], wants_to_learn=False, can_mentor=False)
    skill_services.certification_add(
        actor=ict_manager,
        staff=p3,
        name="情報処理安全確保支援士",
        obtained_on=dt.date(2022, 8, 15),
        expires_on=dt.date(2025, 8, 15),
        skill=s["c"],
    )
    skill_services.certification_add(
        actor=ict_manager,
        staff=p4,
        name="AWS SAA",
        obtained_on=dt.date(2022, 10, 15),
        expires_on=dt.date(2025, 10, 15),
    )
    skill_services.certification_add(
        actor=ict_manager,
        staff=p1,
        name="PMP",
        obtained_on=dt.date(2022, 6, 1),
        expires_on=dt.date(2025, 6, 1),
    )
    return {"pm": pm, "sec": sec, "p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "skills": s}
