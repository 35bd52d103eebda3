"""Scheduled skill-map work (celery beat, CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

from skills.services.reminders import certificate_expiry_remind

logger = logging.getLogger("dxdesk.jobs")


@shared_task
def certificate_expiry_reminders() -> int:
    """Mail the reminders for certifications expiring within 30 and 7 days (each once; safe to repeat)."""
    queued = certificate_expiry_remind()
    logger.info("Certificate-expiry reminders queued: %d", queued)
    return queued
