"""Recording audit events. Every service that changes state calls `record()` inside its transaction."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditEvent


def record(
    *, actor, verb: str, target: models.Model | None = None, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Write one audit event. `actor` may be None for system actions (scheduled jobs, seeds)."""
    event = AuditEvent(
        actor=actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None,
        verb=verb,
        data=data or {},
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        event.target_id = str(target.pk)
    event.save()
    return event


def events_for(target: models.Model):
    """The history of one object, oldest first, with actors loaded."""
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return (
        AuditEvent.objects.filter(target_type=content_type, target_id=str(target.pk))
        .select_related("actor")
        .order_by("created", "id")
    )
