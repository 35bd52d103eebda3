"""Scheduled support work (celery beat, CELERY_BEAT_SCHEDULE).

Service levels: `sla_alerts` (hourly) and `sla_digest` (each morning) — support.services.sla_alerts.
"""

import logging

from celery import shared_task

from support import services
from support.services.sla_alerts import sla_alerts_send, sla_digest_send

logger = logging.getLogger("dxdesk.jobs")


@shared_task
def close_resolved_requests() -> list[str]:
    """Close requests resolved AUTO_CLOSE_DAYS ago without a rating (what `manage.py close_resolved_requests` does).

    Idempotent: the service re-reads and locks the requests, so a repeated or overlapping run closes nothing twice.
    """
    closed = services.request_close_stale()
    if closed:
        logger.info("Closed %d resolved request(s) automatically: %s", len(closed), ", ".join(closed))
    return closed


@shared_task
def sla_alerts() -> int:
    """Alert assignees and ICT managers about deadlines due soon or missed (each once; safe to repeat)."""
    delivered = sla_alerts_send()
    if delivered:
        logger.info("Service-level alerts delivered: %d", delivered)
    return delivered


@shared_task
def sla_digest() -> int:
    """The daily digest of overdue and due-today deadlines, per person (once a day; safe to repeat)."""
    sent = sla_digest_send()
    logger.info("Service-level digests delivered: %d", sent)
    return sent
