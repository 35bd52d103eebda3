"""Demo staffing, after the support step: make workload, continuity and "my assignments" look real.

The support step already puts teams on worked requests (released on closed ones, which gives continuity). This step
goes through staffing.services, like a manager would:

* every in-progress or waiting request without a lead gets the best-ranked candidate with free hours as lead (never
  the demo manager, who assigns);
* staff@example.com gets a couple of active assignments (as member) so "my assignments" is not empty;
* one person is put over capacity on purpose, with an override reason (audited), so the workload board shows it.

Before that, the team rules (チーム編成ルール) and a leave/training calendar:

* 「高度な専門性を有するデジタルシフト推進担当課長とICT職がチームで対応する」 (the DX progress report): technical
  categories — spec reviews, procurement, system introductions, cloud and network, security — need a senior digital
  specialist (assigned per case) and an ICT officer; every other category (the default rule) an ICT officer, and a
  learner may join everywhere (the training deck's on-the-job learning);
* a few people are on leave or in training (TDA ICT-officer courses) in the coming weeks, and staff@example.com has
  leave in this fiscal year's Golden Week.

Idempotent: run again, it only tops up what is missing. Mails to the assigned staff are queued as usual.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from accounts.models import User
from core.fiscal import fiscal_year_of, today
from skills.models import StaffProfile
from staffing import absences, demand, selectors, services, team_rules
from staffing.models import Absence, AbsenceKind, TeamRule
from support import selectors as support_selectors
from support.models import Assignment, AssignmentRole, Status, SupportRequest

OVERRIDE_REASON = "年度末の調達仕様書確認が集中したため（課長承認済み）"
STAFF_EMAIL = "staff@example.com"
WANTED_FOR_STAFF = 2


#: Categories where a senior digital specialist works with an ICT officer (the others: the default rule).
SPECIALIST_CATEGORIES = ("spec-review", "procurement", "business-system", "cloud-network", "security-bcp")
ABSENT_PEOPLE = 6


def seed_team_rules() -> int:
    """The default rule and the specialist categories' rules (existing rules are left as the managers set them)."""
    from support.models import RequestCategory

    created = 0
    if not TeamRule.objects.filter(category__isnull=True).exists():
        team_rules.team_rule_save(
            actor=None,
            rule=TeamRule(
                requires_ict_officer=True, learner_optional=True, note="ICT職が担当（学習者の参加可）"
            ),
        )
        created += 1
    for category in RequestCategory.objects.filter(code__in=SPECIALIST_CATEGORIES, team_rule__isnull=True):
        team_rules.team_rule_save(
            actor=None,
            rule=TeamRule(
                category=category,
                requires_specialist=True,
                requires_ict_officer=True,
                learner_optional=True,
                note="デジタルシフト推進担当課長とICT職がチームで対応（課長は案件ごとにアサイン）",
            ),
        )
        created += 1
    return created


def seed_absences(rng) -> int:
    """Leave and training days ahead for a few people, and Golden Week leave for staff@example.com."""
    if Absence.objects.exists():
        return 0
    start = today()
    created = 0
    people = list(
        StaffProfile.objects.filter(active=True).exclude(user__email=STAFF_EMAIL).order_by("pk")[:40]
    )
    for n, person in enumerate(rng.sample(people, min(ABSENT_PEOPLE, len(people)))):
        first = start + dt.timedelta(days=rng.randint(3, 40))
        training = n % 2 == 1
        absences.absence_save(
            actor=None,
            absence=Absence(
                staff=person,
                starts_on=first,
                ends_on=first + dt.timedelta(days=rng.randint(0, 4)),
                kind=AbsenceKind.TRAINING if training else AbsenceKind.LEAVE,
                hours_per_day=None,
                note="TDA ICT職向け専門研修" if training else "",
            ),
        )
        created += 1
    staff = StaffProfile.objects.filter(user__email=STAFF_EMAIL).first()
    if staff is not None:
        year = fiscal_year_of(start)  # this fiscal year's Golden Week (the example operation looks at it)
        absences.absence_save(
            actor=None,
            absence=Absence(
                staff=staff,
                starts_on=dt.date(year, 4, 30),
                ends_on=dt.date(year, 5, 1),
                kind=AbsenceKind.LEAVE,
            ),
        )
        created += 1
    return created


def _staffable(manager):
    return support_selectors.request_list_for(manager).filter(
        status__in=(Status.IN_PROGRESS, Status.WAITING_ON_REQUESTER)
    )


def _try(**kwargs) -> Assignment | None:
    try:
        return services.assignment_create(**kwargs)
    except ValidationError:
        return None


def assign_demo_staff(*, password, rng, scale: float = 1.0) -> dict[str, int]:
    manager = User.objects.filter(email="manager@example.com").first()
    if manager is None or not StaffProfile.objects.filter(active=True).exists():
        return {"staffing assignments created": 0}
    created = 0
    rules = seed_team_rules()
    absent = seed_absences(rng)

    # 1. A lead on every request being worked on (the best candidate with free hours), as a manager would.
    active_lead = Assignment.objects.active().filter(request=OuterRef("pk"), role=AssignmentRole.LEAD)
    for request in _staffable(manager).filter(~Exists(active_lead)).order_by("submitted_at", "pk"):
        for candidate in selectors.candidates_for(manager, request, limit=4):
            if (
                candidate.staff.user_id == manager.pk
            ):  # the manager assigns; the example operations assign them
                continue
            hours = demand.hours_per_week_for(request)
            if _try(
                actor=manager, request=request, staff=candidate.staff, role=AssignmentRole.LEAD, hours=hours
            ):
                created += 1
                break

    # 2. staff@example.com works on a couple of requests.
    staff = StaffProfile.objects.filter(user__email=STAFF_EMAIL, active=True).first()
    if staff is not None:
        have = Assignment.objects.active().filter(staff=staff).count()
        mine = Assignment.objects.active().filter(request=OuterRef("pk"), staff=staff)
        candidates = list(_staffable(manager).filter(~Exists(mine)).order_by("-submitted_at", "pk")[:20])
        rng.shuffle(candidates)
        for request in candidates:
            if have >= WANTED_FOR_STAFF:
                break
            if _try(actor=manager, request=request, staff=staff, role=AssignmentRole.MEMBER, hours=4):
                have += 1
                created += 1

    # 3. One deliberate overbooking, with its reason, for the workload board.
    if not Assignment.objects.active().exclude(override_reason="").exists():
        busiest = selectors.workload_for(manager).exclude(user__email=STAFF_EMAIL).first()
        if busiest is not None:
            taken = Assignment.objects.active().filter(request=OuterRef("pk"), staff=busiest)
            request = _staffable(manager).filter(~Exists(taken)).order_by("-submitted_at", "pk").first()
            free = busiest.capacity_hours_per_week - busiest.allocated
            if request is not None:
                hours = max(free, 0) + 4
                if _try(
                    actor=manager,
                    request=request,
                    staff=busiest,
                    role=AssignmentRole.MEMBER,
                    hours=hours,
                    override_reason=OVERRIDE_REASON,
                ):
                    created += 1
    return {
        "team rules created": rules,
        "absences created": absent,
        "staffing assignments created": created,
        "backlog requests waiting": SupportRequest.objects.filter(status=Status.TRIAGED)
        .filter(~Exists(Assignment.objects.active().filter(request=OuterRef("pk"))))
        .count(),
    }
