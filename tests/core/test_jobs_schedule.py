"""The beat schedule in settings names real tasks; report pre-aggregation runs when its module exists."""

import logging
import sys
import types

from django.conf import settings

from config.celery import app
from reports.tasks import preaggregate


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert names <= set(app.tasks), names - set(app.tasks)
    assert {"core.tasks.sweep_outbox", "support.tasks.close_resolved_requests"} <= names


def test_preaggregate_is_a_logged_no_op_without_the_module(monkeypatch, caplog):
    monkeypatch.delitem(sys.modules, "reports.preaggregate", raising=False)
    monkeypatch.setattr("importlib.import_module", _missing)
    with caplog.at_level(logging.INFO, logger="dxdesk.jobs"):
        assert preaggregate.delay().get() is False
    assert any("preaggregate" in r.getMessage() for r in caplog.records)


def test_preaggregate_calls_refresh_when_the_module_exists(monkeypatch):
    calls = []
    module = types.ModuleType("reports.preaggregate")
    module.refresh = lambda: calls.append(1)
    monkeypatch.setitem(sys.modules, "reports.preaggregate", module)
    assert preaggregate.delay().get() is True and calls == [1]


def _missing(name, package=None):
    error = ModuleNotFoundError(f"No module named {name!r}")
    error.name = name
    raise error
