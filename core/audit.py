"""Recording audit events. Every service that changes state calls `record()` inside its transaction."""

from collections.abc import Iterable
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


def record_many(
    *, actor, verb: str, items: Iterable[tuple[models.Model, dict[str, Any]]], batch_size=2000
) -> int:
    """Write one audit event per (saved target, data), in batches — for bulk writes (e.g. a 10,000-row import)."""
    actor = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    content_types: dict[type, ContentType] = {}
    events = []
    for target, data in items:
        model = type(target)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(target, for_concrete_model=False)
        events.append(
            AuditEvent(
                actor=actor, verb=verb, data=data, target_type=content_types[model], target_id=str(target.pk)
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)
