"""Writes about engagements: record one, ask for an outreach consultation, schedule / decline it, record what came
of it, add materials. Keyword-only, `actor=` first, atomic, checked by support.engagement_policies, audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record
from core.files import save_upload
from core.fiscal import fiscal_year_of, today
from support import engagement_policies as policies
from support.engagement_models import Engagement, EngagementKind, EngagementMaterial, EngagementStatus
from support.services._common import _validate_files

OUTCOME_FIELDS = ("participant_count", "participant_names", "outcomes", "follow_ups", "satisfaction")
#: What the edit page corrects (outcomes have their own form: engagement_record_outcome).
EDIT_FIELDS = (
    "kind",
    "theme",
    "starts_at",
    "ends_at",
    "description",
    "participant_count",
    "participant_names",
)


def _lock(engagement: Engagement) -> Engagement:
    return Engagement.objects.select_for_update().get(pk=engagement.pk)


def _store_materials(*, actor, engagement: Engagement, checked) -> list[EngagementMaterial]:
    stored = []
    for uploaded, name, content_type in checked:
        material = EngagementMaterial(
            engagement=engagement,
            original_name=name,
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=actor,
        )
        save_upload(material.file, uploaded, name)  # deleted again if the transaction rolls back
        material.full_clean()
        material.save()
        record(actor=actor, verb="engagement.material_add", target=engagement, data={"name": name})
        stored.append(material)
    return stored


def _status_for(starts_at: dt.datetime | None) -> str:
    return EngagementStatus.HELD if starts_at and starts_at <= timezone.now() else EngagementStatus.SCHEDULED


@transaction.atomic
def engagement_record(
    *,
    actor,
    kind: str,
    theme: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    organizations=(),
    staff=(),
    description: str = "",
    participant_count: int = 0,
    participant_names: str = "",
    outcomes: str = "",
    follow_ups: str = "",
    satisfaction=None,
    files=(),
) -> Engagement:
    """An ICT manager records an engagement: held if it has started, scheduled if it lies ahead."""
    policies.can_record_engagement.check(actor)
    checked = _validate_files(files)
    if starts_at is None:
        raise ValidationError({"starts_at": ValidationError(_("Give the date and time."), code="required")})
    engagement = Engagement(
        kind=kind,
        theme=(theme or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        fiscal_year=fiscal_year_of(starts_at),
        status=_status_for(starts_at),
        description=description,
        participant_count=participant_count or 0,
        participant_names=participant_names,
        outcomes=outcomes,
        follow_ups=follow_ups,
        satisfaction=satisfaction,
        created_by=actor,
    )
    engagement.full_clean()
    engagement.save()
    engagement.organizations.set(organizations)
    engagement.staff.set(staff)
    _store_materials(actor=actor, engagement=engagement, checked=checked)
    record(
        actor=actor,
        verb="engagement.record",
        target=engagement,
        data={"kind": kind, "organizations": [o.pk for o in engagement.organizations.all()]},
    )
    return engagement


@transaction.atomic
def outreach_request(*, actor, theme: str, description: str = "", proposed_dates=()) -> Engagement:
    """A requester asks for an outreach consultation for their organisation, proposing dates."""
    policies.can_request_outreach.check(actor)
    dates = sorted({d for d in proposed_dates if d})
    if not dates:
        raise ValidationError(
            {"proposed_dates": ValidationError(_("Propose at least one date."), code="dates_required")}
        )
    if dates[0] < today():
        raise ValidationError(
            {"proposed_dates": ValidationError(_("Proposed dates cannot be in the past."), code="past_date")}
        )
    engagement = Engagement(
        kind=EngagementKind.OUTREACH,
        status=EngagementStatus.REQUESTED,
        theme=(theme or "").strip(),
        description=description,
        fiscal_year=fiscal_year_of(dates[0]),
        proposed_dates=[d.isoformat() for d in dates],
        requesting_organization_id=actor.organization_id,
        requested_by=actor,
        created_by=actor,
    )
    engagement.full_clean()
    engagement.save()
    engagement.organizations.set([actor.organization_id])
    record(
        actor=actor,
        verb="engagement.outreach_request",
        target=engagement,
        data={"dates": engagement.proposed_dates},
    )
    return engagement


@transaction.atomic
def engagement_schedule(
    *, actor, engagement: Engagement, starts_at: dt.datetime, ends_at=None, staff=()
) -> Engagement:
    engagement = _lock(engagement)
    policies.can_schedule_engagement.check(actor, engagement)
    if starts_at is None:
        raise ValidationError({"starts_at": ValidationError(_("Give the date and time."), code="required")})
    before = engagement.status
    engagement.starts_at, engagement.ends_at = starts_at, ends_at
    engagement.fiscal_year = fiscal_year_of(starts_at)
    engagement.status = EngagementStatus.SCHEDULED
    engagement.full_clean()
    engagement.save()
    if staff:
        engagement.staff.set(staff)
    record(
        actor=actor,
        verb="engagement.schedule",
        target=engagement,
        data={"from": before, "starts_at": starts_at.isoformat()},
    )
    return engagement


@transaction.atomic
def engagement_decline(*, actor, engagement: Engagement, reason: str) -> Engagement:
    engagement = _lock(engagement)
    policies.can_decline_engagement.check(actor, engagement)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"decline_reason": ValidationError(_("Say why the request is declined."), code="reason_required")}
        )
    engagement.status, engagement.decline_reason = EngagementStatus.DECLINED, reason
    engagement.save(update_fields=["status", "decline_reason", "updated"])
    record(actor=actor, verb="engagement.decline", target=engagement, data={"reason": reason})
    return engagement


@transaction.atomic
def engagement_record_outcome(*, actor, engagement: Engagement, files=(), **fields) -> Engagement:
    """It was held: participants, outcomes, follow-ups, satisfaction and materials."""
    engagement = _lock(engagement)
    policies.can_record_outcome.check(actor, engagement)
    checked = _validate_files(files)
    for name in OUTCOME_FIELDS:
        if name in fields and fields[name] is not None:
            setattr(engagement, name, fields[name])
    engagement.status = EngagementStatus.HELD
    engagement.full_clean()
    engagement.save()
    _store_materials(actor=actor, engagement=engagement, checked=checked)
    record(
        actor=actor,
        verb="engagement.outcome",
        target=engagement,
        data={k: str(v) for k, v in fields.items() if k in OUTCOME_FIELDS},
    )
    return engagement


@transaction.atomic
def engagement_update(
    *, actor, engagement: Engagement, organizations=None, staff=None, files=(), **fields
) -> Engagement:
    """An ICT manager corrects a recorded engagement: date and time, theme, kind, description, participants,
    organisations taking part, staff who ran it, and adds materials. Only what is given changes; the fiscal year and
    scheduled / held follow the date."""
    engagement = _lock(engagement)
    policies.can_edit_engagement.check(actor, engagement)
    unknown = sorted(set(fields) - set(EDIT_FIELDS))
    if unknown:
        raise ValidationError(
            {
                name: ValidationError(_("You may not change this field."), code="not_editable")
                for name in unknown
            }
        )
    if "starts_at" in fields and fields["starts_at"] is None:
        raise ValidationError({"starts_at": ValidationError(_("Give the date and time."), code="required")})
    checked = _validate_files(files)
    changed = []
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "participant_count":
            value = value or 0
        if getattr(engagement, name) != value:
            setattr(engagement, name, value)
            changed.append(name)
    engagement.fiscal_year = fiscal_year_of(engagement.starts_at)
    engagement.status = _status_for(engagement.starts_at)
    engagement.full_clean()
    engagement.save()
    for name, values in (("organizations", organizations), ("staff", staff)):
        if values is None:
            continue
        related = getattr(engagement, name)
        before = set(related.values_list("pk", flat=True))
        related.set(values)
        if set(related.values_list("pk", flat=True)) != before:
            changed.append(name)
    _store_materials(actor=actor, engagement=engagement, checked=checked)  # each audited on its own
    if changed:
        record(actor=actor, verb="engagement.update", target=engagement, data={"fields": sorted(changed)})
    return engagement
