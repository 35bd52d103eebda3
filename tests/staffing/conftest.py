"""A small talent pool and requests for the staffing tests, built through the skills and support services.

`actor=None` (a trusted system action) creates the pool, so the tests stay independent of who may manage
profiles; requests are filed by the requester and triaged by a separate manager, so that the managers the tests
act as have done nothing before the test starts.
"""

import datetime as dt

import pytest

from accounts.roles import Role
from skills import services as skills_services
from skills.models import JobType, Skill, StaffProfile
from support import services as support_services
from support.models import RequestCategory, Status, SupportRequest

SKILLS = (("security", "セキュリティ"), ("ux", "UXデザイン"), ("data", "データ活用"), ("cloud", "クラウド"))
DAY = dt.date(2025, 4, 1)


@pytest.fixture
def skills(db) -> dict[str, Skill]:
    category, _ = skills_services.skill_category_upsert(
        actor=None, code="tech", defaults={"name": "技術", "name_en": "Technology"}
    )
    result = {}
    for i, (code, name) in enumerate(SKILLS):
        result[code], _ = skills_services.skill_upsert(
            actor=None,
            code=code,
            defaults={"name": name, "name_en": code.title(), "category": category, "order": i},
        )
    return result


@pytest.fixture
def job_types(db) -> dict[str, JobType]:
    security, _ = skills_services.job_type_upsert(
        actor=None, code="security-specialist", defaults={"name": "セキュリティスペシャリスト"}
    )
    designer, _ = skills_services.job_type_upsert(
        actor=None, code="ux-designer", defaults={"name": "UI/UXデザイナー"}
    )
    return {"security": security, "designer": designer}


@pytest.fixture
def make_staff(make_user, skills):
    """make_staff("a@example.com", capacity=20, levels={"security": 4}, pending={"ux": 3}, certs={"security": "…"})"""

    def make(
        email: str,
        *,
        capacity=20,
        levels: dict[str, int] | None = None,
        pending: dict[str, int] | None = None,
        certs: dict[str, str] | None = None,
        job_type: JobType | None = None,
        user=None,
        active: bool = True,
    ) -> StaffProfile:
        if user is None:
            user = make_user(email, Role.ICT_STAFF, display_name=email.split("@")[0])
        staff, _ = skills_services.staff_profile_upsert(
            actor=None,
            user=user,
            defaults={"capacity_hours_per_week": capacity, "job_type": job_type},
        )
        for code, level in (levels or {}).items():
            skills_services.assessment_record_manager(
                actor=None, staff=staff, skill=skills[code], level=level, reason="面談", assessed_on=DAY
            )
        for code, level in (pending or {}).items():
            skills_services.assessment_record_self(
                actor=None, staff=staff, skill=skills[code], level=level, assessed_on=DAY
            )
        for code, name in (certs or {}).items():
            skills_services.certification_add(
                actor=None, staff=staff, name=name, obtained_on=dt.date(2024, 1, 1), skill=skills[code]
            )
        if not active:
            staff, _ = skills_services.staff_profile_upsert(actor=None, user=user, defaults={"active": False})
        return staff

    return make


@pytest.fixture
def category(db) -> RequestCategory:
    return RequestCategory.objects.get_or_create(
        code="security-bcp", defaults={"name": "情報セキュリティ・BCP"}
    )[0]


@pytest.fixture
def triager(make_user):
    return make_user("triager@example.com", Role.ICT_STAFF, Role.ICT_MANAGER)


# How to reach each status from "triaged" through the lifecycle (requests are rated, not closed, in between).
_PATHS = {
    Status.TRIAGED: (),
    Status.IN_PROGRESS: (Status.IN_PROGRESS,),
    Status.WAITING_ON_REQUESTER: (Status.IN_PROGRESS, Status.WAITING_ON_REQUESTER),
    Status.RESOLVED: (Status.IN_PROGRESS, Status.RESOLVED),
    Status.CLOSED: (Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED),
}


@pytest.fixture
def make_request(requester, make_user, ward, category, skills, triager):
    """make_request(status="triaged", required=[("security", 3, True)], organization=ward) — filed by a requester
    of `organization`, triaged by `triager`, then moved along the lifecycle to `status`."""
    requesters = {ward.pk: requester}

    def make(
        *, status=Status.TRIAGED, required=(), organization=None, title="セキュリティ相談", priority=1
    ) -> SupportRequest:
        organization = organization or ward
        if organization.pk not in requesters:
            requesters[organization.pk] = make_user(
                f"requester-{organization.code}@example.com", Role.REQUESTER, organization=organization
            )
        author = requesters[organization.pk]
        request = support_services.request_submit(
            actor=author, title=title, description="説明", category=category, phase="planning"
        )
        if status == Status.SUBMITTED:
            return request
        if status == Status.WITHDRAWN:
            return support_services.request_withdraw(actor=author, request=request, note="不要になった")
        if status == Status.REJECTED:
            return support_services.request_triage(
                actor=triager, request=request, accept=False, reason="対象外"
            )
        request = support_services.request_triage(
            actor=triager,
            request=request,
            accept=True,
            priority=priority,
            required_skills=[
                {"skill": skills[code], "min_level": min_level, "mandatory": mandatory}
                for code, min_level, mandatory in required
            ],
        )
        for step in _PATHS[status]:
            request = support_services.request_change_status(actor=triager, request=request, to_status=step)
        return request

    return make


@pytest.fixture
def manager_staff(ict_manager, make_staff):
    """The manager is also in the pool (an ICT manager is ICT staff)."""
    return make_staff("manager@example.com", user=ict_manager, capacity=10, levels={"data": 3})


@pytest.fixture
def own_staff(ict_staff, make_staff):
    """staff@example.com's own profile."""
    return make_staff("staff@example.com", user=ict_staff, capacity=20, levels={"security": 3})


@pytest.fixture
def alice(make_staff):
    """A security expert (level 4) with 10 h/week."""
    return make_staff("alice@example.com", capacity=10, levels={"security": 4})


@pytest.fixture
def request_a(make_request):
    """A triaged request that needs security at level 3, mandatory (test_selectors.py has its own)."""
    return make_request(required=[("security", 3, True)])
