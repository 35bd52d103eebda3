"""Recording audit events. Every service that changes state calls `record()` inside its transaction.

Each event also carries the source address of the request it came from (`data["source_address"]`): a middleware
(accounts.middleware.AuditSourceMiddleware) sets it for the request with `source_address_for()`; events written
outside a request (commands, imports from the shell, scheduled jobs) have none.
"""

import contextvars
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditEvent

_source_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_source", default=None)


def client_address(request) -> str:
    """The address a request came from: REMOTE_ADDR, or the first X-Forwarded-For hop when
    AUDIT_TRUST_X_FORWARDED_FOR says a trusted proxy is in front (otherwise the header is a client's claim)."""
    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first[:64]
    return (request.META.get("REMOTE_ADDR") or "")[:64]


def set_source_address(address: str | None) -> contextvars.Token:
    """Name the source address of the events recorded from now on (until `reset_source_address(token)`)."""
    return _source_address.set(address)


def reset_source_address(token: contextvars.Token) -> None:
    _source_address.reset(token)


def _with_source(data: dict[str, Any] | None, source_address: str | None = None) -> dict[str, Any]:
    """The event's data with the request's source address (when there is one and the data names none)."""
    data = dict(data or {})
    address = source_address or _source_address.get()
    if address and "source_address" not in data:
        data["source_address"] = address
    return data


def record(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    source_address: str | None = None,
) -> AuditEvent:
    """Write one audit event. `actor` may be None for system actions (scheduled jobs, seeds)."""
    data = _with_source(data, source_address)
    event = AuditEvent(
        actor=actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None,
        verb=verb,
        data=data,
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
                actor=actor,
                verb=verb,
                data=_with_source(data),
                target_type=content_types[model],
                target_id=str(target.pk),
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)
