"""The real worker path: tasks published to Redis and run by a Celery worker (acks late), not eagerly.

Needs Redis on 127.0.0.1:6379 (database 15 is used and flushed); skipped with a message when it is not reachable
(`make test` needs nothing but Python; `.ci/run` starts Redis).
"""

import time

import pytest
from django.core import mail
from django.core.mail import send_mail

from config.celery import app
from core.models import OutboxMessage, OutboxState

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_reachable() -> bool:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
        client.flushdb()
        return True
    except Exception:
        return False


def forget_connections() -> None:
    """Drop the app's cached broker connections (made for the broker the app had before), as after a fork."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(transactional_db, settings):
    if not redis_reachable():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379: the real-worker tests run in .ci/run")
    from celery.contrib.testing.worker import start_worker

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.OUTBOX_RETRY_BASE_SECONDS = 1
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    forget_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as running:
            yield running
    finally:
        app.conf.update(saved)
        forget_connections()


def wait_for(predicate, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_worker_delivers_outbox_mail_published_to_redis(worker):
    send_mail("worker", "B", None, ["a@example.org"])  # autocommit: published at once
    assert wait_for(lambda: OutboxMessage.objects.filter(state=OutboxState.SENT).exists())
    assert [m.subject for m in mail.outbox] == ["worker"]


@pytest.mark.usefixtures("smtp_down")
def test_worker_retries_a_failed_mail_until_the_server_is_back(worker, settings):
    send_mail("retry", "B", None, ["a@example.org"])
    assert wait_for(lambda: OutboxMessage.objects.filter(attempts__gte=1).exists())
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    assert wait_for(lambda: OutboxMessage.objects.filter(state=OutboxState.SENT).exists())
    row = OutboxMessage.objects.get()
    assert row.attempts >= 2 and [m.subject for m in mail.outbox] == ["retry"]


from tests.smtp import smtp_down  # noqa: E402,F401 (fixture)
