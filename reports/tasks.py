"""Scheduled report work (celery beat, CELERY_BEAT_SCHEDULE)."""

import importlib
import logging

from celery import shared_task

logger = logging.getLogger("dxdesk.jobs")


@shared_task
def preaggregate() -> bool:
    """Refresh the report pre-aggregates (`reports.preaggregate.refresh()`) when that module exists; else a no-op."""
    try:
        module = importlib.import_module("reports.preaggregate")
    except ModuleNotFoundError as error:
        if error.name != "reports.preaggregate":
            raise
        logger.info("reports.preaggregate does not exist: nothing to pre-aggregate")
        return False
    module.refresh()
    return True
