"""Writes of staffing: assigning and releasing staff, applying a backlog plan.

Capacity holds under concurrency: `assignment_create` locks the person's StaffProfile row (SELECT … FOR UPDATE on
PostgreSQL) and recomputes their allocated hours from active assignments *inside* the transaction, so two managers
assigning the same person at the same moment cannot overbook them — the second waits for the first and then sees
its hours. Locks are always taken requests first, then people, each in primary-key order, so concurrent
assignments and plan applications cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from skills.models import StaffProfile
from staffing import policies
from staffing.reasons import hours_text
from support.models import Assignment, AssignmentRole, Status, SupportRequest

MAX_HOURS_PER_WEEK = Decimal("80")


def _check_actor(actor) -> None:
    if actor is not None and not policies.can_staff(actor):
        raise PermissionDenied(_("Only ICT managers may assign or release staff."))


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(
            {
                "hours": ValidationError(
                    _("Enter the allocated hours per week as a number."), code="invalid_hours"
                )
            }
        ) from None
    if hours <= 0 or hours > MAX_HOURS_PER_WEEK:
        raise ValidationError(
            {
                "hours": ValidationError(
                    _("Allocated hours per week must be more than 0 and at most %(max)s.")
                    % {"max": MAX_HOURS_PER_WEEK},
                    code="invalid_hours",
                )
            }
        )
    return hours


def _lock_request(request: SupportRequest) -> SupportRequest:
    # of=("self",): lock the request row only, not the joined organisation (which would serialise every
    # assignment for the same organisation).
    return (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=request.pk)
    )


def _lock_staff(staff: StaffProfile) -> StaffProfile:
    return StaffProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=staff.pk)


def _start_work_if_possible(*, actor, request: SupportRequest) -> SupportRequest:
    """Assigning the first lead to a triaged request starts the work: triaged → in progress, through the support
    lifecycle's own service (which checks the move, records it and tells the requester). Staffing never sets a
    status itself; when the lifecycle does not let this actor make the move (e.g. a system actor), it is left alone.
    """
    from support import lifecycle
    from support.services import request_change_status

    if actor is None or Status.IN_PROGRESS not in lifecycle.allowed_targets(actor, request):
        return request
    return request_change_status(actor=actor, request=request, to_status=Status.IN_PROGRESS)


def _notify_assigned(assignment: Assignment, actor) -> None:
    from support.notifications import notify

    notify(
        "assigned",
        assignment.request,
        [assignment.staff.user],
        {
            "actor": actor if getattr(actor, "is_authenticated", False) else None,
            "assignment": assignment,
            "role": assignment.get_role_display(),
            "hours": assignment.allocated_hours_per_week,
        },
    )


@transaction.atomic
def assignment_create(
    *,
    actor,
    request: SupportRequest,
    staff: StaffProfile,
    role: str = AssignmentRole.MEMBER,
    hours,
    override_reason: str = "",
    starts_on=None,
    ends_on=None,
) -> Assignment:
    """Put `staff` on `request` with `hours` per week, from `starts_on` to `ends_on` (by default the request's desired
    start and due date; empty = open-ended).

    Refuses (ValidationError): a request not triaged/in progress/waiting (code ``wrong_status``), an inactive
    profile (``inactive_staff``), a person already active on the request (``duplicate``), a second lead
    (``lead_exists``), bad hours (``invalid_hours``) and — unless `override_reason` is given, which is then
    audited — more hours than the person has free (``over_capacity``, naming allocated and capacity).
    """
    _check_actor(actor)
    hours = _hours(hours)
    override_reason = (override_reason or "").strip()
    if role not in AssignmentRole.values:
        raise ValidationError(
            {"role": ValidationError(_("Choose lead, member or reviewer."), code="invalid_role")}
        )
    request = _lock_request(request)
    if not policies.can_be_staffed(request):
        raise ValidationError(
            _("%(reference)s is %(status)s: only triaged, in-progress or waiting requests can be staffed.")
            % {"reference": request.reference, "status": request.get_status_display()},
            code="wrong_status",
        )
    staff = _lock_staff(staff)
    if not staff.active:
        raise ValidationError(
            {
                "staff": ValidationError(
                    _("%(name)s is no longer in the talent pool.") % {"name": staff.user.display_name},
                    code="inactive_staff",
                )
            }
        )
    active_here = Assignment.objects.active().filter(request=request)
    if active_here.filter(staff=staff).exists():
        raise ValidationError(
            {
                "staff": ValidationError(
                    _("%(name)s is already assigned to %(reference)s.")
                    % {"name": staff.user.display_name, "reference": request.reference},
                    code="duplicate",
                )
            }
        )
    if role == AssignmentRole.LEAD and active_here.filter(role=AssignmentRole.LEAD).exists():
        raise ValidationError(
            {
                "role": ValidationError(
                    _("%(reference)s already has a lead; release them first or assign as a member.")
                    % {"reference": request.reference},
                    code="lead_exists",
                )
            }
        )
    allocated = Assignment.objects.active().filter(staff=staff).allocated_hours()  # now, under the lock
    capacity = staff.capacity_hours_per_week
    over = allocated + hours > capacity
    if over and not override_reason:
        raise ValidationError(
            {
                "hours": ValidationError(
                    _(
                        "Over capacity: %(name)s has %(allocated)s of %(capacity)s hours/week allocated; "
                        "%(hours)s more would make %(total)s. Give a reason to exceed capacity on purpose."
                    )
                    % {
                        "name": staff.user.display_name,
                        "allocated": hours_text(allocated),
                        "capacity": hours_text(capacity),
                        "hours": hours_text(hours),
                        "total": hours_text(allocated + hours),
                    },
                    code="over_capacity",
                )
            }
        )
    had_lead = active_here.filter(role=AssignmentRole.LEAD).exists()
    assignment = Assignment(
        request=request,
        staff=staff,
        role=role,
        allocated_hours_per_week=hours,
        assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
        override_reason=override_reason if over else "",
        starts_on=starts_on or request.desired_start,
        ends_on=ends_on or request.due_date,
    )
    if assignment.starts_on and assignment.ends_on and assignment.ends_on < assignment.starts_on:
        assignment.starts_on = (
            None  # a due date before the desired start: keep the end, not a negative period
        )
    assignment.full_clean()
    assignment.save()
    # The assignment's event shows in the request's timeline (requesters included): who and in what role, never
    # the person's workload. Capacity figures and the override reason go on an event about the person.
    audit.record(
        actor=actor,
        verb="assignment.create",
        target=assignment,
        data={
            "request": request.reference,
            "staff": staff.user.email,
            "staff_name": staff.user.display_name,
            "role": role,
        },
    )
    if over:
        audit.record(
            actor=actor,
            verb="assignment.capacity_override",
            target=staff,
            data={
                "request": request.reference,
                "assignment_id": assignment.pk,
                "hours": str(hours),
                "allocated_before": str(allocated),
                "capacity": str(capacity),
                "override_reason": override_reason,
                "internal": True,
            },
        )
    if role == AssignmentRole.LEAD and not had_lead and request.status == Status.TRIAGED:
        request = _start_work_if_possible(actor=actor, request=request)
        assignment.request = request
    _notify_assigned(assignment, actor)  # queues the mail with transaction.on_commit
    return assignment


@transaction.atomic
def assignment_release(*, actor, assignment: Assignment) -> Assignment:
    """End an active assignment (its hours free up at once). Refuses one already released (``already_released``)."""
    _check_actor(actor)
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.released_at is not None:
        raise ValidationError(_("This assignment has already been released."), code="already_released")
    _release(locked, actor=actor)
    assignment.released_at = locked.released_at
    assignment.released_by = locked.released_by
    return locked


def _release(locked: Assignment, *, actor, **extra) -> None:
    """Release one locked, active assignment: stamp it and record the audit event."""
    locked.released_at = timezone.now()
    locked.released_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.full_clean()
    locked.save(update_fields=["released_at", "released_by"])
    staff = StaffProfile.objects.select_related("user").get(pk=locked.staff_id)
    request = SupportRequest.objects.only("reference").get(pk=locked.request_id)
    audit.record(
        actor=actor,
        verb="assignment.release",
        target=locked,
        data={
            "request": request.reference,
            "staff": staff.user.email,
            "staff_name": staff.user.display_name,
            "role": locked.role,
            **extra,
        },
    )


def assignments_release_on_withdrawal(*, actor, request: SupportRequest) -> int:
    """A withdrawn request frees its people: every active assignment is released (called by support's withdraw
    service, whose policy already allowed the requester to withdraw). Returns how many were released."""
    if request.status != Status.WITHDRAWN:
        raise ValidationError(
            _("Only a withdrawn request releases its assignments this way."), code="not_withdrawn"
        )
    locked = list(Assignment.objects.active().select_for_update().filter(request=request).order_by("pk"))
    for assignment in locked:
        _release(assignment, actor=actor, reason="withdrawn")
    return len(locked)


@dataclass(frozen=True)
class PlanItem:
    """One row of a backlog plan to apply: the person goes on the request as lead with these hours."""

    request: SupportRequest
    staff: StaffProfile
    hours: Decimal | float | str
    #: Team partners the request's team rule asks for: (person, hours/week), assigned as members.
    partners: Sequence[tuple[StaffProfile, Decimal | float | str]] = ()


@transaction.atomic
def backlog_plan_apply(*, actor, items: Sequence[PlanItem]) -> list[Assignment]:
    """Apply a (possibly adjusted) backlog plan in one step: all rows or none.

    Every row becomes a lead assignment through `assignment_create` (same rules: status, duplicates, capacity —
    counting the rows before it). If any row is refused, nothing is written and the ValidationError names every
    failing row (keys ``items.<index>``, messages starting with the row number and the reference).
    """
    _check_actor(actor)
    if not items:
        raise ValidationError(_("The plan is empty: choose at least one row to apply."), code="empty_plan")
    # Lock everything up front, requests then people, in primary-key order (no deadlocks between applications).
    request_ids = sorted({item.request.pk for item in items})
    staff_ids = sorted(
        {item.staff.pk for item in items} | {p.pk for item in items for p, _h in item.partners}
    )
    list(
        SupportRequest.objects.select_for_update().filter(pk__in=request_ids).order_by("pk").values_list("pk")
    )
    list(StaffProfile.objects.select_for_update().filter(pk__in=staff_ids).order_by("pk").values_list("pk"))

    errors: dict[str, list[ValidationError]] = {}
    created: list[Assignment] = []
    seen: set[int] = set()
    for index, item in enumerate(items):
        prefix = _("Row %(row)s (%(reference)s): ") % {"row": index + 1, "reference": item.request.reference}
        if item.request.pk in seen:
            errors[f"items.{index}"] = [
                ValidationError(prefix + _("the request appears twice in the plan."), code="duplicate_row")
            ]
            continue
        seen.add(item.request.pk)
        try:
            with transaction.atomic():
                created.append(
                    assignment_create(
                        actor=actor,
                        request=item.request,
                        staff=item.staff,
                        role=AssignmentRole.LEAD,
                        hours=item.hours,
                    )
                )
                for partner, partner_hours in item.partners:
                    created.append(
                        assignment_create(
                            actor=actor,
                            request=item.request,
                            staff=partner,
                            role=AssignmentRole.MEMBER,
                            hours=partner_hours,
                        )
                    )
        except ValidationError as error:
            errors[f"items.{index}"] = [
                ValidationError(prefix + " ".join(e.messages), code=e.code or "invalid")
                for e in (error.error_list if not hasattr(error, "error_dict") else _flatten(error))
            ]
    if errors:
        raise ValidationError(errors)
    audit.record(
        actor=actor,
        verb="backlog_plan.apply",
        target=None,
        data={
            "rows": [
                {"request": a.request.reference, "staff": a.staff.user.email, "role": a.role} for a in created
            ],
            "internal": True,
        },
    )
    return created


def _flatten(error: ValidationError) -> list[ValidationError]:
    return [item for items in error.error_dict.values() for item in items]
