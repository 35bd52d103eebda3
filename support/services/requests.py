"""Submitting and editing a support request, and its required skills."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.audit import record
from core.fiscal import fiscal_year_of
from support import notifications, policies, sla
from support.models import (
    RequestCategory,
    RequiredSkill,
    Status,
    StatusChange,
    SupportRequest,
)
from support.services._common import (
    EDITABLE_FIELDS,
    MANAGER_FIELDS,
    _issue_reference,
    _lock,
    _managers,
    _store_attachment,
    _validate_files,
)

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
    engagement=None,
) -> SupportRequest:
    """File a request for the actor's organisation; issues its reference (fiscal year of submission). `engagement`:
    the engagement it came out of, one of the organisation's (`engagement_policies.linkable_to_request`)."""
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
        engagement=engagement,
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
        _check_engagement(request)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    request.reference = _issue_reference(request.fiscal_year)
    sla.apply(request)
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
    request = _lock(request)
    policies.can_edit.check(actor, request)
    allowed = EDITABLE_FIELDS + (MANAGER_FIELDS if policies.can_triage(actor) else ())
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError(
            {
                name: ValidationError(_("You may not change this field."), code="not_editable")
                for name in unknown
            }
        )
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
    if "engagement" in changed:
        _check_engagement(request)
    if {"priority", "category"} & changed.keys():
        sla.apply(request)  # a new priority or category may bring another service level
    request.save()
    record(actor=actor, verb="request.update", target=request, data={"fields": sorted(changed)})
    return request


def _check_engagement(request: SupportRequest) -> None:
    """A request may come out of one of its organisation's engagements only (never another's, never a declined
    one)."""
    from support.engagement_models import Engagement
    from support.engagement_policies import linkable_to_request

    if request.engagement_id is None:
        return
    if not Engagement.objects.filter(
        linkable_to_request(request.organization_id), pk=request.engagement_id
    ).exists():
        raise ValidationError(
            {
                "engagement": ValidationError(
                    _("Choose one of your organisation's engagements."), code="engagement_not_linkable"
                )
            }
        )


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
