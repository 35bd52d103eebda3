"""Status transitions of a support request: triage, status changes, withdrawal and closing stale ones."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_ict
from core.audit import record
from support import lifecycle, notifications, policies, sla
from support.models import (
    RequiredSkill,
    SatisfactionResponse,
    Status,
    StatusChange,
    SupportRequest,
)
from support.services._common import _lock
from support.services.requests import _required_skill_rows


def _move(*, actor, request: SupportRequest, to_status: str, note: str = "", now=None) -> SupportRequest:
    """Apply one checked transition: status, milestone timestamps, StatusChange row and audit event."""
    lifecycle.check_transition(actor, request, to_status, note=note)
    now = now or timezone.now()
    from_status = request.status
    request.status = to_status
    ict_actor = actor is not None and is_ict(actor)
    if to_status in (Status.TRIAGED, Status.REJECTED) and from_status == Status.SUBMITTED:
        request.triaged_at = request.triaged_at or now
    if ict_actor and to_status in (Status.TRIAGED, Status.REJECTED):
        request.first_response_at = request.first_response_at or now
    if to_status == Status.REJECTED:
        request.rejection_reason = note.strip()
    if to_status == Status.RESOLVED:
        request.resolved_at = now
    if to_status == Status.IN_PROGRESS and from_status == Status.RESOLVED:
        request.resolved_at = None  # reopened
    if to_status == Status.CLOSED:
        request.closed_at = now
    request.full_clean(validate_unique=False)
    request.save()
    StatusChange.objects.create(
        request=request, from_status=from_status, to_status=to_status, actor=actor, note=note.strip()
    )
    record(
        actor=actor,
        verb="request.status",
        target=request,
        data={"from": from_status, "to": to_status, "note": note.strip()},
    )
    return request


def _notify_status(actor, request: SupportRequest, note: str) -> None:
    if request.status == Status.RESOLVED:
        notifications.notify("satisfaction_request", request, [request.requester], {"actor": actor})
    elif request.status not in (Status.WITHDRAWN,):
        notifications.notify("status_changed", request, [request.requester], {"actor": actor, "note": note})


@transaction.atomic
def request_triage(
    *,
    actor,
    request: SupportRequest,
    accept: bool,
    priority: int | None = None,
    estimated_hours: Decimal | None = None,
    required_skills=None,
    reason: str = "",
    category=None,
) -> SupportRequest:
    """Accept (→ triaged, with priority, estimated hours, required skills and, when the requester chose the wrong
    one, the corrected category) or reject (with a reason the requester sees). Counts as the first response."""
    request = _lock(request)
    policies.can_triage_request.check(actor, request)
    previous_category_id = request.category_id
    if accept:
        errors: dict = {}
        if category is not None:
            request.category = category
        if priority is not None:
            request.priority = priority
        # The priority (or category) fixed at triage sets the due dates; saved with the move below.
        sla.apply(request)
        if estimated_hours is not None:
            request.estimated_hours = estimated_hours
        try:
            request.full_clean(validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        rows = None
        if required_skills is not None:
            try:
                rows = _required_skill_rows(request, required_skills)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        request = _move(actor=actor, request=request, to_status=Status.TRIAGED)
        if rows is not None:
            request.required_skills.all().delete()
            RequiredSkill.objects.bulk_create(rows)
    else:
        if not (reason or "").strip():
            raise ValidationError(
                {"reason": ValidationError(_("Give the requester a reason."), code="reason_required")}
            )
        request = _move(actor=actor, request=request, to_status=Status.REJECTED, note=reason)
    record(
        actor=actor,
        verb="request.triage",
        target=request,
        data={
            "accepted": accept,
            "priority": request.priority,
            "estimated_hours": str(request.estimated_hours) if request.estimated_hours is not None else None,
            "skills": [r.skill.code for r in rows] if accept and rows else [],
            "category_changed": request.category_id != previous_category_id,
            "reason": "" if accept else reason.strip(),
        },
    )
    notifications.notify(
        "triage_decision",
        request,
        [request.requester],
        {"actor": actor, "accepted": accept, "reason": reason.strip()},
    )
    return request


@transaction.atomic
def request_change_status(
    *, actor, request: SupportRequest, to_status: str, note: str = ""
) -> SupportRequest:
    """Move a request along the lifecycle (support.lifecycle decides what is allowed and for whom). Someone with
    no part in the request at all (neither requesting side, nor working on it, nor a manager) is refused outright."""
    request = _lock(request)
    policies.can_move.check(actor, request, to_status, note=note)
    request = _move(actor=actor, request=request, to_status=to_status, note=note)
    _notify_status(actor, request, note)
    return request


@transaction.atomic
def request_withdraw(*, actor, request: SupportRequest, note: str = "") -> SupportRequest:
    """The requesting side withdraws a request before work starts; its active assignments are released (their
    hours free up at once), each with its audit event."""
    request = _lock(request)
    policies.can_withdraw.check(actor, request)
    request = _move(actor=actor, request=request, to_status=Status.WITHDRAWN, note=note)
    from staffing.services import (
        assignments_release_on_withdrawal,  # staffing builds on support, not the reverse
    )

    assignments_release_on_withdrawal(actor=actor, request=request)
    return request


@transaction.atomic
def request_close_stale(
    *, now: dt.datetime | None = None, days: int = lifecycle.AUTO_CLOSE_DAYS
) -> list[str]:
    """Close every request resolved more than `days` days ago without a rating. Idempotent; returns references."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    stale = (
        SupportRequest.objects.select_for_update()
        .filter(status=Status.RESOLVED, resolved_at__lte=cutoff)
        .exclude(Exists(SatisfactionResponse.objects.filter(request=OuterRef("pk"))))
        .order_by("pk")
    )
    closed = []
    for request in stale:
        _move(
            actor=None,
            request=request,
            to_status=Status.CLOSED,
            note=str(
                _("Closed automatically %(days)s days after resolution without a rating.") % {"days": days}
            ),
            now=now,
        )
        closed.append(request.reference)
    return closed
