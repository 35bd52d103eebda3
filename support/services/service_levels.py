"""Service levels: administrators edit them (Django admin); every change recomputes the open requests' due dates."""

from django.db import transaction

from core.audit import record
from support import policies, sla
from support.models import ServiceLevel


@transaction.atomic
def service_level_save(
    *, actor, level: ServiceLevel, changed: list[str] | None = None, recompute: bool = True
) -> ServiceLevel:
    """Add or change a service level (administrators; actor None = the reference loader), validated and audited;
    the open requests' due dates follow it in the same transaction (`recompute=False`: the caller does it once
    after saving several)."""
    if actor is not None:
        policies.can_edit_service_levels.check(actor)
    created = level.pk is None
    level.full_clean()
    level.save()
    record(
        actor=actor,
        verb="service_level.create" if created else "service_level.update",
        target=level,
        data={
            "priority": level.priority,
            "category": level.category.code if level.category_id else None,
            "days": [level.first_response_days, level.triage_days, level.resolution_days],
            "fields": sorted(changed or []),
        },
    )
    if recompute:
        sla.recompute()
    return level


@transaction.atomic
def service_level_delete(*, actor, level: ServiceLevel) -> None:
    policies.can_edit_service_levels.check(actor)
    record(actor=actor, verb="service_level.delete", target=level, data={"priority": level.priority})
    level.delete()
    sla.recompute()
