"""Demo engagements with the municipalities and trainings for the pool, following the seeds' figures.

Per fiscal year (the last complete one and the current one up to today): study sessions six a term (two terms),
for 30 organisations with 20–23 participants each; the CIO forum twice a year; individual CIO round tables (11
sessions reaching 56 municipalities); the two working groups (デジタルツール共通化, デジタル人材確保・育成) meeting
quarterly; outreach consultations on demand (about one a month, from FY2022); model projects with 5 区市. Future
dates are scheduled, past ones held; the demo requester's organisation (千代田区) takes part in a round table and has
an outreach consultation asked for. Trainings: the ICT officers' course, job-type trainings and IT Passport promotion,
with sessions and completions for about a third of the pool. Bulk inserts: a few dozen queries in all.
"""

import datetime as dt

from accounts.models import Organization, OrganizationKind
from core.fiscal import TOKYO, fiscal_year_of, today
from seeds.demo.accounts import DEMO_ACCOUNTS
from skills.models import JobType, Skill, StaffProfile
from skills.training_models import TrainingAttendance, TrainingCourse, TrainingSession, TrainingSkill
from support.engagement_models import Engagement, EngagementKind, EngagementStatus
from support.models import SupportRequest

DEMO_ORG = "131016"
DEMO_EMAILS = {email for email, *_rest in DEMO_ACCOUNTS}
STUDY_THEMES = (
    "費用対効果の考え方",
    "マインドチェンジ",
    "業務改革(BPR)入門",
    "データ利活用",
    "ローコードツール活用",
    "情報セキュリティ",
)
WG_THEMES = ("デジタルツール共通化", "デジタル人材確保・育成")
OUTREACH_THEMES = (
    "仕様書の技術的確認",
    "ホームページ再構築の進め方",
    "kintone導入相談",
    "ネットワーク更改の相談",
    "窓口DXの進め方",
)
MODEL_THEMES = ("手続のデジタル化モデル事業", "オンライン申請モデル事業")
COURSES = (
    # code, name, provider, skills (code, level), job types
    ("ict-officer", "ICT職員研修", "デジタルサービス局", (("PM-PLAN", 2), ("INF-NET", 2)), ("ict-officer",)),
    (
        "jt-pm",
        "職種別研修(プロジェクトマネジメント)",
        "外部研修機関",
        (("PM-PLAN", 3), ("PM-PROC", 3)),
        ("project-manager",),
    ),
    (
        "jt-security",
        "職種別研修(情報セキュリティ)",
        "外部研修機関",
        (("SEC-RISK", 3), ("SEC-INCIDENT", 3)),
        ("security-specialist",),
    ),
    (
        "jt-data",
        "職種別研修(データ利活用)",
        "外部研修機関",
        (("DAT-VIZ", 3), ("DAT-ANALYSIS", 3)),
        ("data-scientist",),
    ),
    (
        "it-passport",
        "ITパスポート取得促進講座",
        "デジタルサービス局",
        (("STR-DX", 2), ("SEC-POLICY", 2)),
        ("ict-officer",),
    ),
)


def _at(day: dt.date, hour: int = 14) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TOKYO)


def _fy_day(fy: int, month: int, day: int) -> dt.date:
    return dt.date(fy if month >= 4 else fy + 1, month, day)


def _plan(fy: int, municipalities: list, rng) -> list[tuple]:
    """(kind, day, theme, organisations, participants) for one fiscal year."""
    plan = []
    term_orgs = [rng.sample(municipalities, 30), rng.sample(municipalities, 30)]
    for term, months in enumerate(((5, 6, 7, 8, 9, 10), (10, 11, 12, 1, 2, 3))):
        for n, month in enumerate(months):
            orgs = rng.sample(term_orgs[term], rng.randint(14, 20))
            plan.append(
                (
                    EngagementKind.STUDY_SESSION,
                    _fy_day(fy, month, 8 + n),
                    STUDY_THEMES[n],
                    orgs,
                    rng.randint(20, 23),
                )
            )
    for month in (7, 1):
        plan.append(
            (
                EngagementKind.CIO_FORUM,
                _fy_day(fy, month, 20),
                "区市町村CIOフォーラム",
                rng.sample(municipalities, 45),
                60,
            )
        )
    remaining = rng.sample(municipalities, 56)
    demo = next((m for m in municipalities if m.code == DEMO_ORG), None)
    if demo is not None and demo not in remaining:
        remaining[0] = demo
    for n, month in enumerate((5, 6, 6, 7, 9, 10, 11, 11, 12, 1, 2)):
        orgs = remaining[n * 5 : n * 5 + 6] if n < 10 else remaining[50:]
        plan.append(
            (EngagementKind.ROUND_TABLE, _fy_day(fy, month, 12 + n), "CIO個別意見交換会", orgs, len(orgs) * 2)
        )
    for theme in WG_THEMES:
        members = rng.sample(municipalities, 12)
        for month in (5, 8, 11, 2):
            plan.append((EngagementKind.WORKING_GROUP, _fy_day(fy, month, 25), f"WG: {theme}", members, 15))
    for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3):
        org = rng.choice(municipalities)
        plan.append(
            (
                EngagementKind.OUTREACH,
                _fy_day(fy, month, rng.randint(3, 27)),
                rng.choice(OUTREACH_THEMES),
                [org],
                rng.randint(2, 6),
            )
        )
    for org in rng.sample(
        [m for m in municipalities if m.kind in (OrganizationKind.WARD, OrganizationKind.CITY)], 5
    ):
        plan.append((EngagementKind.MODEL_PROJECT, _fy_day(fy, 9, 1), rng.choice(MODEL_THEMES), [org], 8))
    return plan


def _create_engagements(municipalities, staff, rng) -> int:
    now = today()
    current = fiscal_year_of(now)
    rows, members = [], []
    for fy in (current - 1, current):
        for kind, day, theme, orgs, participants in _plan(fy, municipalities, rng):
            held = day <= now
            rows.append(
                Engagement(
                    kind=kind,
                    status=EngagementStatus.HELD if held else EngagementStatus.SCHEDULED,
                    fiscal_year=fy,
                    starts_at=_at(day),
                    ends_at=_at(day, 16),
                    theme=theme,
                    participant_count=participants,
                    outcomes="意見交換の結果を共有し、次回までの検討事項を整理した。" if held else "",
                    follow_ups="資料を共有し、個別相談を案内する。" if held else "",
                    satisfaction=round(rng.uniform(3.4, 4.8), 2) if held else None,
                )
            )
            members.append((orgs, rng.sample(staff, min(2, len(staff)))))
    asked = Engagement(
        kind=EngagementKind.OUTREACH,
        status=EngagementStatus.REQUESTED,
        fiscal_year=current,
        theme="窓口DXの進め方の相談",
        proposed_dates=[(now + dt.timedelta(days=d)).isoformat() for d in (14, 21)],
    )
    demo_org = next((m for m in municipalities if m.code == DEMO_ORG), None)
    if demo_org is not None:
        asked.requesting_organization = demo_org
        rows.append(asked)
        members.append(([demo_org], []))
    created = Engagement.objects.bulk_create(rows)
    through_orgs = Engagement.organizations.through
    through_staff = Engagement.staff.through
    through_orgs.objects.bulk_create(
        [
            through_orgs(engagement_id=e.pk, organization_id=o.pk)
            for e, (orgs, _s) in zip(created, members, strict=True)
            for o in orgs
        ]
    )
    through_staff.objects.bulk_create(
        [
            through_staff(engagement_id=e.pk, staffprofile_id=s.pk)
            for e, (_o, people) in zip(created, members, strict=True)
            for s in people
        ]
    )
    return len(created)


def _link_requests() -> int:
    """Requests that came out of an outreach consultation: the organisation's next request within 60 days."""
    linked = []
    outreach = Engagement.objects.filter(
        kind=EngagementKind.OUTREACH, status=EngagementStatus.HELD
    ).prefetch_related("organizations")
    for engagement in outreach:
        org = next(iter(engagement.organizations.all()), None)
        found = (
            SupportRequest.objects.filter(
                organization=org,
                engagement__isnull=True,
                submitted_at__gte=engagement.starts_at,
                submitted_at__lt=engagement.starts_at + dt.timedelta(days=60),
            )
            .order_by("submitted_at")
            .first()
        )
        if found is not None:
            found.engagement = engagement
            linked.append(found)
    SupportRequest.objects.bulk_update(linked, ["engagement"])
    return len(linked)


def _create_trainings(staff, rng) -> tuple[int, int]:
    now = today()
    skills = {s.code: s for s in Skill.objects.filter(code__in={c for row in COURSES for c, _l in row[3]})}
    job_types = {j.code: j for j in JobType.objects.all()}
    courses = TrainingCourse.objects.bulk_create(
        [TrainingCourse(code=code, name=name, provider=provider) for code, name, provider, _s, _j in COURSES]
    )
    TrainingSkill.objects.bulk_create(
        [
            TrainingSkill(course=course, skill=skills[code], level=level)
            for course, row in zip(courses, COURSES, strict=True)
            for code, level in row[3]
            if code in skills
        ]
    )
    through = TrainingCourse.job_types.through
    through.objects.bulk_create(
        [
            through(trainingcourse_id=course.pk, jobtype_id=job_types[code].pk)
            for course, row in zip(courses, COURSES, strict=True)
            for code in row[4]
            if code in job_types
        ]
    )
    fy = fiscal_year_of(now)
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(course=course, starts_on=_fy_day(year, month, 10), location="都庁第一本庁舎")
            for course in courses
            for year, month in ((fy - 1, 6), (fy - 1, 11), (fy, 6), (fy, 11))
        ]
    )
    attendances = []
    for session in sessions:
        for person in rng.sample(staff, max(1, len(staff) // 8)):
            done = session.starts_on + dt.timedelta(days=2)
            attendances.append(
                TrainingAttendance(session=session, staff=person, completed_on=done if done <= now else None)
            )
    TrainingAttendance.objects.bulk_create(attendances, ignore_conflicts=True)
    return len(sessions), len(attendances)


def create_engagements(*, password: str, rng, scale: float = 1.0) -> dict[str, int]:
    if Engagement.objects.exists():
        return {"engagements": 0}
    municipalities = list(
        Organization.objects.filter(kind__in=OrganizationKind.municipal(), active=True).order_by("code")
    )
    staff = list(StaffProfile.objects.filter(active=True).select_related("user").order_by("pk"))
    # the demo accounts' own profiles have no trainings yet: the example operations record one for them
    trainees = [s for s in staff if s.user.email not in DEMO_EMAILS]
    count = _create_engagements(municipalities, staff, rng) if len(municipalities) >= 56 and staff else 0
    sessions, attendances = _create_trainings(trainees, rng) if trainees else (0, 0)
    return {
        "engagements": count,
        "requests from engagements": _link_requests(),
        "training sessions": sessions,
        "training attendances": attendances,
    }
