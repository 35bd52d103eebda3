"""Helpers shared by the support services: request references, row locks, recipients and stored files."""

import re

from django.contrib.auth import get_user_model

from accounts.roles import Role
from core.audit import record
from core.files import save_upload
from support.attachments import validate_upload
from support.models import (
    Attachment,
    RequestSequence,
    SupportRequest,
)

REFERENCE_RE = re.compile(r"^DX-(\d{4})-(\d{4,6})$")
EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "phase",
    "desired_start",
    "due_date",
    "contact",
    "engagement",
)
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
    attachment = Attachment(
        request=request,
        original_name=name,
        content_type=content_type,
        size=uploaded.size,
        internal=internal,
        uploaded_by=actor,
    )
    save_upload(attachment.file, uploaded, name)  # deleted again if the transaction rolls back
    attachment.full_clean()
    attachment.save()
    record(
        actor=actor,
        verb="attachment.add",
        target=request,
        data={"attachment_id": attachment.pk, "name": name, "size": attachment.size, "internal": internal},
    )
    return attachment
