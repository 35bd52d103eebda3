"""Writes about support requests. Every function: keyword-only, `actor=` first, atomic, validated, audited.

Mail goes out through support.notifications (on commit). Permission is checked here as well as in the views:
an actor who may not do something gets PermissionDenied (pages answer 403, GraphQL FORBIDDEN); bad input and
refused transitions get a ValidationError with a specific code and message, and nothing changes.
"""

import datetime as dt
import re
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.roles import Role, is_ict
from core.audit import record
from core.files import save_file
from core.fiscal import fiscal_year_of
from support import lifecycle, notifications, policies
from support.attachments import validate_upload
from support.models import (
    Attachment,
    Comment,
    EffortLog,
    RequestCategory,
    RequestSequence,
    RequiredSkill,
    SatisfactionResponse,
    Status,
    StatusChange,
    SupportRequest,
)

REFERENCE_RE = re.compile(r"^DX-(\d{4})-(\d{4,6})$")
EDITABLE_FIELDS = ("title", "description", "category", "phase", "desired_start", "due_date", "contact")
MANAGER_FIELDS = ("priority", "estimated_hours")


def format_reference(fiscal_year: int, number: int) -> str:
    return f"DX-{fiscal_year}-{number:04d}"


def _issue_reference(fiscal_year: int) -> str:
    """The next reference of a fiscal year. The sequence row is locked (SELECT … FOR UPDATE), so two requests
    filed at the same moment never get the same number, and a number once issued is never issued again."""
    sequence, _created = RequestSequence.objects.select_for_update().get_or_create(fiscal_year=fiscal_year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return format_reference(fiscal_year, sequence.last_number)


def reserve_reference(reference: str) -> None:
    """Make sure the sequence never issues `reference` again (imports and demo data bring their own numbers)."""
    match = REFERENCE_RE.match(reference)
    if not match:
        return
    fiscal_year, number = int(match.group(1)), int(match.group(2))
    sequence, _created = RequestSequence.objects.select_for_update().get_or_create(fiscal_year=fiscal_year)
    if sequence.last_number < number:
        sequence.last_number = number
        sequence.save(update_fields=["last_number"])


def _lock(request: SupportRequest) -> SupportRequest:
    """Re-read the request with its row locked, keeping the caller's prefetched assignments."""
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if hasattr(request, "active_assignments"):
        locked.active_assignments = request.active_assignments
    return locked


def _managers():
    return get_user_model().objects.filter(groups__name=Role.ICT_MANAGER, is_active=True).distinct()


def _active_staff_users(request: SupportRequest) -> list:
    return [a.staff.user for a in request.assignments.active().select_related("staff__user")]


def _validate_files(files) -> list[tuple[object, str, str]]:
    checked = []
    for uploaded in files or ():
        name, content_type = validate_upload(uploaded)
        checked.append((uploaded, name, content_type))
    return checked


def _store_attachment(
    *, actor, request, uploaded, name: str, content_type: str, internal: bool
) -> Attachment:
    uploaded.seek(0)
    extension = name.rsplit(".", 1)[-1].lower()
    attachment = Attachment(
        request=request,
        original_name=name,
        content_type=content_type,
        size=uploaded.size,
        internal=internal,
        uploaded_by=actor,
    )
    # deleted again if the transaction rolls back
    save_file(attachment.file, f"{uuid.uuid4().hex}.{extension}", ContentFile(uploaded.read()))
    attachment.full_clean()
    attachment.save()
    record(
        actor=actor,
        verb="attachment.add",
        target=request,
        data={"attachment_id": attachment.pk, "name": name, "size": attachment.size, "internal": internal},
    )
    return attachment


# --- requests ----------------------------------------------------------------------------------------------------


@transaction.atomic
def request_submit(
    *,
    actor,
    title: str,
    description: str,
    category: RequestCategory | None,
    phase: str,
    desired_start: dt.date | None = None,
    due_date: dt.date | None = None,
    contact: str = "",
    files=(),
    organization: Organization | None = None,
) -> SupportRequest:
    """File a request for the actor's organisation; issues its reference (fiscal year of submission)."""
    if not policies.can_submit(actor):
        raise PermissionDenied(_("Only requesters of an organisation can file requests."))
    now = timezone.now()
    request = SupportRequest(
        reference="DX-0000-0000",  # placeholder so full_clean can run before a number is spent
        fiscal_year=fiscal_year_of(now),
        title=(title or "").strip(),
        description=(description or "").strip(),
        organization=organization if organization is not None and actor.is_superuser else actor.organization,
        requester=actor,
        category=category,
        phase=phase,
        desired_start=desired_start,
        due_date=due_date,
        contact=(contact or "").strip(),
        status=Status.SUBMITTED,
        submitted_at=now,
    )
    errors: dict = {}
    try:
        request.full_clean(exclude=["reference"], validate_unique=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if category is not None and not category.active:
        errors.setdefault("category", []).append(
            ValidationError(_("This category is no longer offered."), code="inactive_category")
        )
    try:
        checked = _validate_files(files)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    request.reference = _issue_reference(request.fiscal_year)
    request.save()
    record(
        actor=actor,
        verb="request.submit",
        target=request,
        data={"reference": request.reference, "title": request.title},
    )
    StatusChange.objects.create(request=request, from_status="", to_status=Status.SUBMITTED, actor=actor)
    for uploaded, name, content_type in checked:
        _store_attachment(
            actor=actor,
            request=request,
            uploaded=uploaded,
            name=name,
            content_type=content_type,
            internal=False,
        )
    notifications.notify("new_request", request, _managers(), {"actor": actor})
    return request


@transaction.atomic
def request_update(*, actor, request: SupportRequest, **changes) -> SupportRequest:
    """Edit a request. The requesting side edits what they filed while it is submitted; managers edit anything,
    including priority and estimated hours, while it is open."""
    if not policies.can_edit(actor, request):
        raise PermissionDenied(_("You may not edit this request now."))
    request = _lock(request)
    allowed = EDITABLE_FIELDS + (MANAGER_FIELDS if policies.can_triage(actor) else ())
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError(
            {
                name: ValidationError(_("You may not change this field."), code="not_editable")
                for name in unknown
            }
        )
    if not request.is_open:
        raise ValidationError(_("A closed, rejected or withdrawn request cannot be edited."), code="not_open")
    changed = {}
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(request, name) != value:
            setattr(request, name, value)
            changed[name] = str(value) if value is not None else None
    if not changed:
        return request
    request.full_clean(validate_unique=False)
    request.save()
    record(actor=actor, verb="request.update", target=request, data={"fields": sorted(changed)})
    return request


def _required_skill_rows(request: SupportRequest, required_skills) -> list[RequiredSkill]:
    rows, errors, seen = [], [], set()
    for item in required_skills:
        skill = item["skill"]
        if skill.pk in seen:
            errors.append(
                ValidationError(
                    _("“%(skill)s” is listed twice."), code="duplicate_skill", params={"skill": skill}
                )
            )
            continue
        seen.add(skill.pk)
        if not skill.active:
            errors.append(
                ValidationError(_("“%(skill)s” is retired."), code="retired_skill", params={"skill": skill})
            )
        row = RequiredSkill(
            request=request,
            skill=skill,
            min_level=item.get("min_level"),
            weight=item.get("weight") or 1,
            mandatory=bool(item.get("mandatory", False)),
        )
        try:
            row.full_clean(exclude=["request"], validate_unique=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.append(
                    ValidationError(
                        "%(skill)s: %(field)s: %(message)s",
                        code="invalid_required_skill",
                        params={"skill": skill, "field": field, "message": " ".join(messages)},
                    )
                )
        rows.append(row)
    if errors:
        raise ValidationError({"required_skills": errors})
    return rows


@transaction.atomic
def request_set_required_skills(*, actor, request: SupportRequest, required_skills) -> list[RequiredSkill]:
    """Replace the required skills: items {skill, min_level, weight, mandatory}. Managers only."""
    if not policies.can_triage(actor):
        raise PermissionDenied(_("Only ICT managers set required skills."))
    rows = _required_skill_rows(request, required_skills)
    request.required_skills.all().delete()
    RequiredSkill.objects.bulk_create(rows)
    record(
        actor=actor,
        verb="request.required_skills",
        target=request,
        data={"skills": [[r.skill.code, r.min_level, r.weight, r.mandatory] for r in rows], "internal": True},
    )
    return rows


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
) -> SupportRequest:
    """Accept (→ triaged, with priority, estimated hours and required skills) or reject (with a reason the
    requester sees). Counts as the first response."""
    if not policies.can_triage(actor):
        raise PermissionDenied(_("Only ICT managers triage requests."))
    request = _lock(request)
    if request.status != Status.SUBMITTED:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("Only a submitted request can be triaged; this one is “%(status)s”."),
                    code="not_submitted",
                    params={"status": request.get_status_display()},
                )
            }
        )
    if accept:
        errors: dict = {}
        if priority is not None:
            request.priority = priority
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
    if not lifecycle.actors_of(actor, request):
        raise PermissionDenied(_("You have no part in this request."))
    request = _lock(request)
    request = _move(actor=actor, request=request, to_status=to_status, note=note)
    _notify_status(actor, request, note)
    return request


@transaction.atomic
def request_withdraw(*, actor, request: SupportRequest, note: str = "") -> SupportRequest:
    """The requesting side withdraws a request before work starts."""
    if not policies.can_withdraw(actor, request):
        raise PermissionDenied(_("Only the requesting organisation withdraws a request."))
    request = _lock(request)
    if request.status not in (Status.SUBMITTED, Status.TRIAGED):
        raise ValidationError(
            {
                "status": ValidationError(
                    _("A request can be withdrawn only before work starts; this one is “%(status)s”."),
                    code="work_started",
                    params={"status": request.get_status_display()},
                )
            }
        )
    return _move(actor=actor, request=request, to_status=Status.WITHDRAWN, note=note)


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


# --- comments, attachments, effort, satisfaction ------------------------------------------------------------------


@transaction.atomic
def comment_add(*, actor, request: SupportRequest, body: str, internal: bool = False) -> Comment:
    """A public comment (the requester sees it) or an internal note (ICT side only). An ICT-side public comment
    is the first response; a requester's answer to a request waiting on them puts it back in progress."""
    if internal and not policies.can_write_internal(actor, request):
        raise PermissionDenied(_("Only the ICT side working on the request writes internal notes."))
    if not policies.can_comment(actor, request):
        raise PermissionDenied(_("You may not comment on this request."))
    body = (body or "").strip()
    request = _lock(request)
    if request.status in lifecycle.TERMINAL and not internal:
        raise ValidationError(
            {
                "body": ValidationError(
                    _("The request is “%(status)s”; it no longer takes comments."),
                    code="request_finished",
                    params={"status": request.get_status_display()},
                )
            }
        )
    comment = Comment(request=request, author=actor, body=body, internal=internal)
    comment.full_clean()
    comment.save()
    record(
        actor=actor,
        verb="comment.add",
        target=request,
        data={"comment_id": comment.pk, "internal": internal},
    )
    if not internal and is_ict(actor) and request.first_response_at is None:
        request.first_response_at = comment.created
        request.save(update_fields=["first_response_at", "updated_at"])
    if (
        not internal
        and policies.is_requesting_side(actor, request)
        and (request.status == Status.WAITING_ON_REQUESTER)
    ):
        _move(actor=actor, request=request, to_status=Status.IN_PROGRESS, note="")
    if not internal:
        if policies.is_requesting_side(actor, request):
            recipients = _active_staff_users(request)
        else:
            recipients = [request.requester]
        notifications.notify("public_comment", request, recipients, {"actor": actor, "comment": comment})
    return comment


@transaction.atomic
def attachment_add(*, actor, request: SupportRequest, file, internal: bool = False) -> Attachment:
    if internal and not policies.can_write_internal(actor, request):
        raise PermissionDenied(_("Only the ICT side working on the request adds internal attachments."))
    if not policies.can_attach(actor, request):
        raise PermissionDenied(_("You may not add files to this request."))
    name, content_type = validate_upload(file)
    return _store_attachment(
        actor=actor, request=request, uploaded=file, name=name, content_type=content_type, internal=internal
    )


@transaction.atomic
def effort_log_add(
    *, actor, request: SupportRequest, worked_on: dt.date, hours: Decimal, note: str = ""
) -> EffortLog:
    if not policies.can_work_on(actor, request):
        raise PermissionDenied(_("Only ICT staff working on the request log effort."))
    staff = getattr(actor, "staff_profile", None)
    if staff is None:
        raise ValidationError(
            _("You have no staff profile in the talent pool, so effort cannot be logged."),
            code="no_staff_profile",
        )
    entry = EffortLog(
        request=request, staff=staff, worked_on=worked_on, hours=hours, note=(note or "").strip()
    )
    entry.full_clean()
    if worked_on and worked_on > timezone.localdate():
        raise ValidationError(
            {"worked_on": ValidationError(_("Effort cannot be logged in advance."), code="future")}
        )
    entry.save()
    record(
        actor=actor,
        verb="effort.log",
        target=request,
        data={"hours": str(entry.hours), "worked_on": worked_on.isoformat(), "internal": True},
    )
    return entry


@transaction.atomic
def satisfaction_submit(
    *, actor, request: SupportRequest, score: int, comment: str = ""
) -> SatisfactionResponse:
    """The requesting side rates a resolved request once (1–5); rating closes it."""
    if not policies.can_rate(actor, request):
        raise PermissionDenied(_("Only the requesting organisation rates a request."))
    request = _lock(request)
    if SatisfactionResponse.objects.filter(request=request).exists():
        raise ValidationError(
            {"score": ValidationError(_("This request has already been rated."), code="already_rated")}
        )
    if request.status != Status.RESOLVED:
        raise ValidationError(
            {
                "score": ValidationError(
                    _("Only a resolved request can be rated; this one is “%(status)s”."),
                    code="not_resolved",
                    params={"status": request.get_status_display()},
                )
            }
        )
    response = SatisfactionResponse(
        request=request, score=score, comment=(comment or "").strip(), respondent=actor
    )
    response.full_clean(exclude=["request"])
    response.save()
    record(actor=actor, verb="satisfaction.submit", target=request, data={"score": score})
    _move(actor=actor, request=request, to_status=Status.CLOSED, note="")
    return response


# --- import ------------------------------------------------------------------------------------------------------


@transaction.atomic
def request_import(
    *,
    actor,
    reference: str = "",
    title: str,
    description: str,
    organization: Organization,
    requester,
    category: RequestCategory,
    phase: str,
    status: str,
    submitted_at: dt.datetime,
    priority: int = 1,
    desired_start: dt.date | None = None,
    due_date: dt.date | None = None,
    estimated_hours: Decimal | None = None,
    triaged_at: dt.datetime | None = None,
    first_response_at: dt.datetime | None = None,
    resolved_at: dt.datetime | None = None,
    closed_at: dt.datetime | None = None,
    rejection_reason: str = "",
) -> tuple[SupportRequest, bool]:
    """Bring a historical request in from a spreadsheet (create, or update by reference). Managers only.

    Status and milestone timestamps are taken as given (history, not a live transition); a given reference is
    reserved in the sequence so it is never issued again.
    """
    if not policies.can_import(actor):
        raise PermissionDenied(_("Only ICT managers import requests."))
    errors: dict = {}
    if reference and not REFERENCE_RE.match(reference):
        errors["reference"] = [
            ValidationError(_("A reference looks like DX-2025-0042."), code="bad_reference")
        ]
    if requester is not None and requester.organization_id != getattr(organization, "pk", None):
        errors["requester"] = [
            ValidationError(
                _("The requester does not belong to this organisation."), code="requester_organization"
            )
        ]
    if errors:
        raise ValidationError(errors)
    existing = (
        SupportRequest.objects.select_for_update().filter(reference=reference).first() if reference else None
    )
    created = existing is None
    request = existing or SupportRequest(reference=reference or "DX-0000-0000")
    values = {
        "title": (title or "").strip(),
        "description": (description or "").strip(),
        "organization": organization,
        "requester": requester,
        "category": category,
        "phase": phase,
        "status": status,
        "priority": priority,
        "submitted_at": submitted_at,
        "fiscal_year": fiscal_year_of(submitted_at) if submitted_at else None,
        "desired_start": desired_start,
        "due_date": due_date,
        "estimated_hours": estimated_hours,
        "triaged_at": triaged_at,
        "first_response_at": first_response_at,
        "resolved_at": resolved_at,
        "closed_at": closed_at,
        "rejection_reason": rejection_reason or "",
    }
    for name, value in values.items():
        setattr(request, name, value)
    if reference and created and submitted_at and int(reference[3:7]) != request.fiscal_year:
        raise ValidationError(
            {
                "reference": ValidationError(
                    _("The reference’s fiscal year does not match the submission date."),
                    code="reference_year",
                )
            }
        )
    request.full_clean(exclude=["reference"] if not reference else None)
    if created and not reference:
        request.reference = _issue_reference(request.fiscal_year)
    elif created:
        reserve_reference(reference)
    request.save()
    record(
        actor=actor,
        verb="request.import",
        target=request,
        data={"reference": request.reference, "created": created},
    )
    return request, created
