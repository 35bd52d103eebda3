"""Demo talent pool: about 60 people (× scale) with plausible skill histories over four years.

* The pool follows the seeds: ICT officers (ICT職) are the majority, and a dozen or two senior digital specialists
  (デジタルシフト推進担当課長, 17 at scale 1 with manager@example.com) work with them as a team, assigned per case
  (「高度な専門性を有するデジタルシフト推進担当課長とICT職がチームで対応」). POOL_AT_SCALE_1 below is that mix by
  job type; the specialists' job types are the posts the seeds recruit for (プロジェクトマネージャー, ITコンサルタント,
  システムアーキテクト, UI/UXデザイナー, リードリクルーター, セキュリティスペシャリスト) plus データサイエンティスト.
* Specialists joined at the intakes the seeds describe — 1 April, 1 October or 1 November (「11月1日付採用（※10月1日付
  採用をご希望の方は…）」, 「2022（令和4）年4月1日付で採用」) — from 2020 on; ICT officers joined on a 1 April.
* Japanese display names; levels near their job type's target profile; assessments dated over the past four
  years (self-assessments validated by a manager, manager assessments, some adjustments with a reason);
  about 10 % pending self-assessments; certifications (IPA, AWS, Azure, PMP …), some expiring within 90 days,
  some expired; wants-to-learn / can-mentor flags; capacity 10–40 h/week.
* staff@example.com (ICT officer) and manager@example.com (project manager) get profiles too; staff@example.com
  always has a pending self-assessment of SEC-RISK (the example GraphQL operations validate it).
* Up to 200 people everything goes through the services (validated and audited); beyond that (benchmark scales)
  rows are bulk-created without audit events.
* Why this module is over ~400 lines: it is one generator (people, their assessments, certifications and
  interests) whose steps share the same random stream and running state.
"""

import datetime as dt
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import Organization
from accounts.roles import Role
from accounts.services import user_create
from core.fiscal import today
from seeds.reference_skills import DATA as SKILL_DATA
from skills import services
from skills.models import (
    AssessmentSource,
    AssessmentStatus,
    Certification,
    JobType,
    Skill,
    SkillAssessment,
    SkillInterest,
    StaffKind,
    StaffProfile,
)

User = get_user_model()
BULK_ABOVE = 200

SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
    "村上",
    "遠藤",
    "青木",
    "坂本",
]
GIVEN = [
    "翔太",
    "大輔",
    "健一",
    "直樹",
    "拓也",
    "亮",
    "誠",
    "剛",
    "浩二",
    "達也",
    "陽菜",
    "美咲",
    "さくら",
    "葵",
    "結衣",
    "真由美",
    "恵",
    "彩",
    "里奈",
    "優子",
    "蓮",
    "悠真",
    "湊",
    "陽斗",
    "颯",
    "花子",
    "由紀",
    "智子",
    "奈々",
    "愛",
]

# name, issuer, skill code, validity in years (None: no expiry)
CERTIFICATIONS = (
    ("ITパスポート", "情報処理推進機構（IPA）", "STR-DX", None),
    ("基本情報技術者", "情報処理推進機構（IPA）", "SW-DEV", None),
    ("応用情報技術者", "情報処理推進機構（IPA）", "ARC-ENT", None),
    ("情報処理安全確保支援士", "情報処理推進機構（IPA）", "SEC-RISK", 3),
    ("プロジェクトマネージャ試験", "情報処理推進機構（IPA）", "PM-PLAN", None),
    ("ネットワークスペシャリスト", "情報処理推進機構（IPA）", "INF-NET", None),
    ("AWS Certified Solutions Architect – Associate", "Amazon Web Services", "INF-CLOUD", 3),
    ("Microsoft Certified: Azure Administrator Associate", "Microsoft", "INF-CLOUD", 1),
    ("PMP", "Project Management Institute", "PM-PLAN", 3),
    ("ITIL 4 Foundation", "PeopleCert", "OPS-ITSM", None),
    ("統計検定2級", "日本統計学会", "DAT-ANALYSIS", None),
    ("G検定", "日本ディープラーニング協会", "DAT-AI", None),
    ("kintone認定 アソシエイト", "サイボウズ", "SW-LOWCODE", 2),
    ("HCD-Net認定 人間中心設計スペシャリスト", "HCD-Net", "DES-UX", 5),
)

# People per job type at scale 1 (60; with the two demo accounts 62): ICT officers 44, specialists 16.
POOL_AT_SCALE_1 = {
    "ict-officer": 20,
    "infrastructure-engineer": 10,
    "application-engineer": 8,
    "service-operations": 6,
    "project-manager": 3,
    "it-consultant": 3,
    "system-architect": 3,
    "security-specialist": 2,
    "uiux-designer": 2,
    "data-scientist": 2,
    "lead-recruiter": 1,
}
SPECIALIST_INTAKE_MONTHS = (4, 10, 11)
FIRST_SPECIALIST_INTAKE = 2020
SPECIALIST_GRADE = "デジタルシフト推進担当課長"
ICT_GRADES = ("主事", "主任", "主任", "課長代理", "統括課長代理")

DEMO_PROFILES = {
    "staff@example.com": ("ict-officer", StaffKind.ICT_OFFICER, "主任", 30),
    "manager@example.com": ("project-manager", StaffKind.SPECIALIST, SPECIALIST_GRADE, 20),
}


def job_sequence() -> list[str]:
    """POOL_AT_SCALE_1 as one sequence whose every prefix keeps the mix (a tiny pool has specialists too)."""
    slots = [
        (k / count, order, code)
        for order, (code, count) in enumerate(POOL_AT_SCALE_1.items())
        for k in range(count)
    ]
    return [code for _position, _order, code in sorted(slots)]


def job_kinds() -> dict[str, str]:
    """job type code → StaffKind, as seeds/data/skills.json says."""
    return {
        job["code"]: job["kind"] for job in json.loads(SKILL_DATA.read_text(encoding="utf-8"))["job_types"]
    }


def joined_on_for(kind: str, rng, day: dt.date) -> dt.date:
    """Specialists joined at an April, October or November intake since 2020; ICT officers on a 1 April."""
    if kind == StaffKind.SPECIALIST:
        intakes = [
            dt.date(year, month, 1)
            for year in range(FIRST_SPECIALIST_INTAKE, day.year + 1)
            for month in SPECIALIST_INTAKE_MONTHS
            if dt.date(year, month, 1) <= day - dt.timedelta(days=30)
        ]
        return rng.choice(intakes)
    latest = day.year if day >= dt.date(day.year, 4, 1) + dt.timedelta(days=60) else day.year - 1
    return dt.date(rng.randint(latest - 25, latest), 4, 1)


def _clip(level: int) -> int:
    return max(1, min(5, level))


def _plan_person(rng, job_type, skills_by_code, all_skills, day: dt.date, joined_on: dt.date):
    """(skill, [(date, level), …] ascending) for the person's target skills plus one or two others."""
    plan = []
    chosen = [(t.skill, t.target_level) for t in job_type.targets.all()]
    extras = rng.sample(all_skills, 2)
    chosen += [
        (skill, rng.choice((1, 2, 2, 3))) for skill in extras if skill.pk not in {s.pk for s, _ in chosen}
    ]
    earliest = max((day - joined_on).days, 60)
    for skill, target in chosen:
        final = _clip(target + rng.choice((-2, -1, -1, 0, 0, 0, 1)))
        points = rng.choice((1, 2, 2, 3))
        days_back = sorted(rng.sample(range(30, min(earliest, 4 * 365) + 1), points), reverse=True)
        levels = sorted(_clip(final - rng.randint(0, 1) * i) for i in range(points - 1, -1, -1))
        levels[-1] = final
        plan.append(
            (
                skill,
                [
                    (day - dt.timedelta(days=back), level)
                    for back, level in zip(days_back, levels, strict=True)
                ],
            )
        )
    return plan


def create_talent_pool(*, password: str, rng, scale: float = 1.0) -> dict[str, int]:
    day = today()
    people = max(6, round(sum(POOL_AT_SCALE_1.values()) * scale))
    bulk = people > BULK_ABOVE
    job_types = list(JobType.objects.filter(active=True).prefetch_related("targets__skill"))
    if not job_types:
        return {"talent pool": 0}
    all_skills = list(Skill.objects.filter(active=True))
    skills_by_code = {s.code: s for s in all_skills}
    by_code = {j.code: j for j in job_types}
    organization = Organization.objects.filter(code="D-DIGITAL-MUNI").first() or Organization.objects.first()
    manager = User.objects.filter(email="manager@example.com").first()
    admin = User.objects.filter(email="admin@example.com").first()

    # 1. people: the demo accounts, then the pool
    members = []  # (user, job_type, kind, grade, capacity)
    for email, (job_code, kind, grade, capacity) in DEMO_PROFILES.items():
        user = User.objects.filter(email=email).first()
        if user is not None:
            members.append((user, by_code.get(job_code, job_types[0]), kind, grade, capacity))
    existing = set(User.objects.filter(email__startswith="pool").values_list("email", flat=True))
    sequence, kinds = job_sequence(), job_kinds()
    new_users = []
    for index in range(1, people + 1):
        email = f"pool{index:04d}@example.com"
        name = f"{SURNAMES[(index * 7) % len(SURNAMES)]} {GIVEN[(index * 11 + index // len(SURNAMES)) % len(GIVEN)]}"
        job_type = by_code.get(sequence[(index - 1) % len(sequence)], job_types[index % len(job_types)])
        kind = kinds.get(job_type.code, StaffKind.ICT_OFFICER)
        capacity = rng.choice((10, 15, 20, 20, 25, 30, 30, 40))
        grade = SPECIALIST_GRADE if kind == StaffKind.SPECIALIST else rng.choice(ICT_GRADES)
        if email in existing:
            continue
        if bulk:
            new_users.append(
                (
                    User(email=email, display_name=name, organization=organization, password="!"),
                    job_type,
                    kind,
                    grade,
                    capacity,
                )
            )
        else:
            user = user_create(
                actor=None,
                email=email,
                password=None,
                display_name=name,
                organization=organization,
                roles=(Role.ICT_STAFF,),
            )
            members.append((user, job_type, kind, grade, capacity))
    if new_users:
        created = User.objects.bulk_create([u for u, *_ in new_users], batch_size=1000)
        group = Group.objects.get(name=Role.ICT_STAFF)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=group.pk) for u in created], batch_size=1000
        )
        members += [(u, *rest) for u, (_old, *rest) in zip(created, new_users, strict=True)]

    # 2. profiles
    have_profile = set(StaffProfile.objects.values_list("user_id", flat=True))
    members = [m for m in members if m[0].pk not in have_profile]
    profiles = []
    new_profiles = []
    for user, job_type, kind, grade, capacity in members:
        joined_on = joined_on_for(kind, rng, day)
        defaults = {
            "job_type": job_type,
            "kind": kind,
            "grade": grade,
            "capacity_hours_per_week": Decimal(capacity),
            "joined_on": joined_on,
        }
        if bulk and user.email.startswith("pool"):
            new_profiles.append(StaffProfile(user=user, **defaults))
        else:
            profile, _ = services.staff_profile_upsert(actor=None, user=user, defaults=defaults)
            profiles.append(profile)
    if new_profiles:
        profiles += StaffProfile.objects.bulk_create(new_profiles, batch_size=1000)

    # 3. history, pending self-assessments, certifications, interests
    counts = {"assessments": 0, "pending": 0, "certifications": 0}
    rows, certs, interests = [], [], []
    for profile in profiles:
        job_type = next(j for j in job_types if j.pk == profile.job_type_id)
        validator = admin if manager is None or profile.user_id == manager.pk else manager
        plan = _plan_person(rng, job_type, skills_by_code, all_skills, day, profile.joined_on)
        for skill, history in plan:
            for assessed_on, level in history:
                by_manager = rng.random() < 0.35
                validated_on = min(day, assessed_on + dt.timedelta(days=rng.randint(1, 21)))
                if bulk:
                    rows.append(
                        SkillAssessment(
                            staff=profile,
                            skill=skill,
                            level=level,
                            source=AssessmentSource.MANAGER if by_manager else AssessmentSource.SELF,
                            status=AssessmentStatus.VALIDATED,
                            assessed_on=assessed_on,
                            assessed_by=validator if by_manager else profile.user,
                            validated_by=validator,
                            validated_on=assessed_on if by_manager else validated_on,
                        )
                    )
                elif by_manager:
                    own = None
                    if rng.random() < 0.3:  # the person had rated themselves a level higher: adjusted
                        own = services.assessment_record_self(
                            actor=None,
                            staff=profile,
                            skill=skill,
                            level=_clip(level + 1),
                            assessed_on=assessed_on,
                        )
                        counts["assessments"] += 1
                    services.assessment_record_manager(
                        actor=validator,
                        staff=profile,
                        skill=skill,
                        level=level,
                        reason=rng.choice(("面談による確認", "案件での実績を確認", "成果物レビューの結果")),
                        assessed_on=validated_on if own else assessed_on,
                        responds_to=own,
                    )
                else:
                    own = services.assessment_record_self(
                        actor=None,
                        staff=profile,
                        skill=skill,
                        level=level,
                        assessed_on=assessed_on,
                        note=rng.choice(("", "研修受講", "案件で実践", "資格取得")),
                    )
                    services.assessment_validate(actor=validator, assessment=own, validated_on=validated_on)
                counts["assessments"] += 1
            current = history[-1][1]
            if rng.random() < 0.10 and current < 5:
                pending_on = day - dt.timedelta(days=rng.randint(1, 25))
                if bulk:
                    rows.append(
                        SkillAssessment(
                            staff=profile,
                            skill=skill,
                            level=current + 1,
                            source=AssessmentSource.SELF,
                            status=AssessmentStatus.PENDING,
                            assessed_on=pending_on,
                            assessed_by=profile.user,
                        )
                    )
                else:
                    services.assessment_record_self(
                        actor=None,
                        staff=profile,
                        skill=skill,
                        level=current + 1,
                        assessed_on=pending_on,
                        note="最近の案件で実践したため",
                    )
                counts["pending"] += 1
                counts["assessments"] += 1
        # certifications
        for name, issuer, code, years in rng.sample(CERTIFICATIONS, rng.choice((0, 1, 1, 2, 3))):
            if years is None:
                obtained_on = day - dt.timedelta(days=rng.randint(60, 10 * 365))
                expires_on = None
            else:
                roll = rng.random()
                if roll < 0.3:  # expiring within 90 days
                    expires_on = day + dt.timedelta(days=rng.randint(5, 85))
                elif roll < 0.45:  # already expired
                    expires_on = day - dt.timedelta(days=rng.randint(10, 400))
                else:
                    expires_on = day + dt.timedelta(days=rng.randint(120, years * 365 - 10))
                obtained_on = expires_on - dt.timedelta(days=years * 365)
                obtained_on = min(obtained_on, day - dt.timedelta(days=1))
            skill = skills_by_code.get(code)
            if bulk:
                certs.append(
                    Certification(
                        staff=profile,
                        name=name,
                        issuer=issuer,
                        obtained_on=obtained_on,
                        expires_on=expires_on,
                        skill=skill,
                    )
                )
            else:
                services.certification_add(
                    actor=None,
                    staff=profile,
                    name=name,
                    issuer=issuer,
                    obtained_on=obtained_on,
                    expires_on=expires_on,
                    skill=skill,
                )
            counts["certifications"] += 1
        # interests
        learn = rng.choice(all_skills)
        mentor = [skill for skill, history in plan if history[-1][1] >= 4]
        for skill, wants, can in [(learn, True, False)] + [(s, False, True) for s in mentor[:2]]:
            if bulk:
                interests.append(
                    SkillInterest(staff=profile, skill=skill, wants_to_learn=wants, can_mentor=can)
                )
            else:
                services.interest_set(
                    actor=None, staff=profile, skill=skill, wants_to_learn=wants, can_mentor=can
                )
    if bulk:
        SkillAssessment.objects.bulk_create(rows, batch_size=2000)
        Certification.objects.bulk_create(certs, batch_size=2000)
        SkillInterest.objects.bulk_create(interests, batch_size=2000, ignore_conflicts=True)

    # 4. the demo staff account always has a pending self-assessment of SEC-RISK
    staff = StaffProfile.objects.filter(user__email="staff@example.com").first()
    security = skills_by_code.get("SEC-RISK")
    if staff is not None and security is not None:
        has_pending = staff.assessments.filter(
            skill=security, status=AssessmentStatus.PENDING, source=AssessmentSource.SELF
        ).exists()
        if not has_pending:
            services.assessment_record_self(
                actor=None,
                staff=staff,
                skill=security,
                level=3,
                assessed_on=day - dt.timedelta(days=3),
                note="庁内リスクアセスメントを担当",
            )
            counts["pending"] += 1
    return {
        "staff profiles created": len(profiles),
        "skill assessments created": counts["assessments"],
        "pending self-assessments": counts["pending"],
        "certifications created": counts["certifications"],
    }
