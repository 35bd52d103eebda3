"""Scheduled support work (celery beat, CELERY_BEAT_SCHEDULE).

SLA alerts and digests (a later issue: SLAs do not exist yet) add their tasks here and an entry to the schedule.
"""

import logging

from celery import shared_task

from support import services

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
