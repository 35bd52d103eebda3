"""Importing past support requests (django-import-export rows)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.audit import record
from core.fiscal import fiscal_year_of
from support import policies, sla
from support.models import (
    RequestCategory,
    SupportRequest,
)
from support.services._common import REFERENCE_RE, _issue_reference, reserve_reference

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
    sla.apply(request)
    request.save()
    record(
        actor=actor,
        verb="request.import",
        target=request,
        data={"reference": request.reference, "created": created},
    )
    return request, created
