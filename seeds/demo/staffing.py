"""Demo staffing, after the support step: make workload, continuity and "my assignments" look real.

The support step already puts teams on worked requests (released on closed ones, which gives continuity). This step
goes through staffing.services, like a manager would:

* every in-progress or waiting request without a lead gets the best-ranked candidate with free hours as lead (never
  the demo manager, who assigns);
* staff@example.com gets a couple of active assignments (as member) so "my assignments" is not empty;
* one person is put over capacity on purpose, with an override reason (audited), so the workload board shows it.

Idempotent: run again, it only tops up what is missing. Mails to the assigned staff are queued as usual.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from accounts.models import User
from skills.models import StaffProfile
from staffing import demand, selectors, services
from support import selectors as support_selectors
from support.models import Assignment, AssignmentRole, Status, SupportRequest

OVERRIDE_REASON = "年度末の調達仕様書確認が集中したため（課長承認済み）"
STAFF_EMAIL = "staff@example.com"
WANTED_FOR_STAFF = 2


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
        "staffing assignments created": created,
        "backlog requests waiting": SupportRequest.objects.filter(status=Status.TRIAGED)
        .filter(~Exists(Assignment.objects.active().filter(request=OuterRef("pk"))))
        .count(),
    }
