"""Bulk actions on the request lists (一括操作): assign a person, change the priority or close several requests at once.

ICT managers only (support.policies.can_bulk_update). Each row goes through the same service as the single-request
action — `staffing.services.assignment_create`, `support.services.request_update`, `support.services.
request_change_status` — so each request gets its own checks, audit events, status change and notifications.

**Per row, in one transaction.** The rows are locked up front (requests, then the person, in primary-key order: no
deadlock with the other staffing writes), then each row runs in its own savepoint: a row the service refuses (a
request that cannot be closed in its state, a person already on it …) is rolled back to nothing and reported with
the service's message and code; the rows that succeed are committed together, with one summary audit event. A
`dry_run` runs exactly the same code and rolls the whole transaction back (mail queued on commit is dropped): the
confirmation page shows what would happen, row by row, before anything is written.

Lives in staffing because assigning is staffing's write and dependencies point one way (support ← staffing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import audit
from skills.models import StaffProfile
from staffing import services
from support import policies as support_policies
from support import selectors as support_selectors
from support import services as support_services
from support.models import Assignment, AssignmentRole, Priority, Status, SupportRequest

ASSIGN, PRIORITY, CLOSE = "assign", "priority", "close"
ACTIONS = {
    ASSIGN: gettext_lazy("Assign a person"),
    PRIORITY: gettext_lazy("Change priority"),
    CLOSE: gettext_lazy("Close the requests"),
}
#: "auto": lead where the request has none yet, member where it has one.
AUTO_ROLE = "auto"
MAX_ROWS = 100


@dataclass
class RowResult:
    reference: str
    ok: bool
    messages: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


@dataclass
class BulkResult:
    action: str
    rows: list[RowResult]
    dry_run: bool = False

    @property
    def done(self) -> list[RowResult]:
        return [row for row in self.rows if row.ok]

    @property
    def refused(self) -> list[RowResult]:
        return [row for row in self.rows if not row.ok]


def _refusal(error: ValidationError | PermissionDenied) -> tuple[list[str], list[str]]:
    if isinstance(error, PermissionDenied):
        return [str(error) or _("You may not do this.")], ["forbidden"]
    items = (
        [e for errors in error.error_dict.values() for e in errors]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    return [" ".join(e.messages) for e in items], [e.code or "invalid" for e in items]


def _check(*, action, references, staff, role, hours, priority) -> list[str]:
    if action not in ACTIONS:
        raise ValidationError({"action": ValidationError(_("Choose an action."), code="unknown_action")})
    unique = list(dict.fromkeys(r.strip() for r in references if r and r.strip()))
    if not unique:
        raise ValidationError(
            {"references": ValidationError(_("Select at least one request."), code="empty_selection")}
        )
    if len(unique) > MAX_ROWS:
        raise ValidationError(
            {
                "references": ValidationError(
                    _("Select at most %(max)s requests at a time.") % {"max": MAX_ROWS}, code="too_many_rows"
                )
            }
        )
    errors = {}
    if action == ASSIGN:
        if staff is None:
            errors["staff"] = ValidationError(_("Choose the person to assign."), code="required")
        if role not in (AUTO_ROLE, *AssignmentRole.values):
            errors["role"] = ValidationError(_("Choose lead, member or reviewer."), code="invalid_role")
        if hours in (None, ""):
            errors["hours"] = ValidationError(_("Enter the hours per week."), code="invalid_hours")
        else:
            try:
                services._hours(hours)  # the single assignment's own rule for hours
            except ValidationError as error:
                errors.update(error.error_dict)
    if action == PRIORITY and priority not in Priority.values:
        errors["priority"] = ValidationError(_("Choose a priority."), code="required")
    if errors:
        raise ValidationError(errors)
    return unique


def _apply(*, actor, action, request, staff, role, hours, priority, note) -> None:
    if action == ASSIGN:
        if role == AUTO_ROLE:
            has_lead = Assignment.objects.active().filter(request=request, role=AssignmentRole.LEAD).exists()
            role = AssignmentRole.MEMBER if has_lead else AssignmentRole.LEAD
        services.assignment_create(actor=actor, request=request, staff=staff, role=role, hours=hours)
    elif action == PRIORITY:
        support_services.request_update(actor=actor, request=request, priority=priority)
    elif action == CLOSE:
        support_services.request_change_status(
            actor=actor, request=request, to_status=Status.CLOSED, note=note
        )


def requests_bulk_update(
    *,
    actor,
    references: list[str],
    action: str,
    staff: StaffProfile | None = None,
    role: str = AUTO_ROLE,
    hours: Decimal | float | str | None = None,
    priority: int | None = None,
    note: str = "",
    dry_run: bool = False,
) -> BulkResult:
    """Apply `action` to each request named in `references` (in the user's scope; at most MAX_ROWS), row by row.

    Refuses the whole call (ValidationError, nothing written): an unknown action (``unknown_action``), no
    selection (``empty_selection``), too many rows (``too_many_rows``), missing parameters (``required``,
    ``invalid_role``, ``invalid_hours``); PermissionDenied for anyone but an ICT manager. Otherwise returns every
    row's outcome: a reference the user cannot see is refused as ``not_found``, a row its service refuses carries
    that service's messages and codes (e.g. ``invalid_transition``, ``not_open``, ``duplicate``,
    ``over_capacity``) and is left unchanged.
    """
    if not support_policies.can_bulk_update(actor):
        raise PermissionDenied(_("Only ICT managers change several requests at once."))
    unique = _check(
        action=action, references=references, staff=staff, role=role, hours=hours, priority=priority
    )
    note = (note or "").strip()
    rows: list[RowResult] = []
    with transaction.atomic():
        visible = support_selectors.request_list_for(actor, with_details=False).filter(reference__in=unique)
        ids = list(visible.values_list("pk", flat=True))
        locked = (
            SupportRequest.objects.select_for_update(of=("self",))
            .select_related("organization")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        by_reference = {r.reference: r for r in locked}
        if action == ASSIGN:
            list(StaffProfile.objects.select_for_update().filter(pk=staff.pk).values_list("pk"))
        for reference in unique:
            request = by_reference.get(reference)
            if request is None:
                rows.append(RowResult(reference, False, [_("No such request.")], ["not_found"]))
                continue
            try:
                with transaction.atomic():
                    _apply(
                        actor=actor,
                        action=action,
                        request=request,
                        staff=staff,
                        role=role,
                        hours=hours,
                        priority=priority,
                        note=note,
                    )
            except (ValidationError, PermissionDenied) as error:
                messages, codes = _refusal(error)
                rows.append(RowResult(reference, False, messages, codes))
            else:
                rows.append(RowResult(reference, True))
        result = BulkResult(action=action, rows=rows, dry_run=dry_run)
        if result.done:
            audit.record(
                actor=actor,
                verb="requests.bulk_update",
                target=None,
                data={
                    "action": action,
                    "staff": staff.user.email if staff is not None and action == ASSIGN else None,
                    "priority": priority if action == PRIORITY else None,
                    "done": [row.reference for row in result.done],
                    "refused": [row.reference for row in result.refused],
                    "internal": True,
                },
            )
        if dry_run:
            transaction.set_rollback(True)
    return result


def describe(*, action: str, count: int, staff=None, role: str = AUTO_ROLE, hours=None, priority=None) -> str:
    """What the action will do, in one sentence for the confirmation step ("3 件の依頼を … に割り当てます")."""
    if action == ASSIGN:
        role_label = (
            _("as lead where there is none yet, otherwise as member")
            if role == AUTO_ROLE
            else _("as %(role)s") % {"role": AssignmentRole(role).label}
        )
        return ngettext(
            "Assign %(name)s to %(count)s request %(role)s, %(hours)s hours/week.",
            "Assign %(name)s to %(count)s requests %(role)s, %(hours)s hours/week each.",
            count,
        ) % {
            "name": staff.user.label if staff is not None else "—",
            "count": count,
            "role": role_label,
            "hours": hours,
        }
    if action == PRIORITY:
        return ngettext(
            "Change the priority of %(count)s request to “%(priority)s”.",
            "Change the priority of %(count)s requests to “%(priority)s”.",
            count,
        ) % {
            "count": count,
            "priority": Priority(priority).label if priority in Priority.values else "—",
        }
    return ngettext("Close %(count)s request.", "Close %(count)s requests.", count) % {"count": count}
