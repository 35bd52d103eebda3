"""Probes for the load balancer and the orchestrator.

- `/healthz`: the process is alive and answers (touches nothing else, so a database outage does not make every
  web process look dead and get restarted).
- `/readyz`: the process can serve: the database, the cache and the job broker (when `CELERY_BROKER_URL` is set)
  each answer within `HEALTH_CHECK_TIMEOUT` seconds. 200 when all do, 503 when one does not; the JSON body names
  each component with its state.

`HealthCheckMiddleware` answers both paths before any other middleware, so the probes need no login, no session,
no MFA step, no host name and no HTTPS redirect (load balancers probe the backend's address over plain HTTP).
"""

import socket
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

OK, FAILED, SKIPPED = "ok", "failed", "not configured"


def _timeout() -> float:
    return float(getattr(settings, "HEALTH_CHECK_TIMEOUT", 2.0))


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    cache = caches["default"]
    client = getattr(cache, "client", None)
    if hasattr(
        client, "get_client"
    ):  # django-redis: ask the server itself (errors may be ignored on get/set)
        client.get_client(write=True).ping()
        return
    key = f"dx:readyz:{time.monotonic_ns()}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def check_broker() -> str | None:
    """Ping the Celery broker; None when no broker is configured (jobs run in the web process)."""
    url = getattr(settings, "CELERY_BROKER_URL", None) or ""
    parts = urlsplit(url)
    if not url or not parts.hostname:
        return SKIPPED
    if parts.scheme in {"redis", "rediss"}:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=_timeout(), socket_timeout=_timeout())
        try:
            client.ping()
        finally:
            client.close()
        return None
    default_port = {"amqp": 5672, "amqps": 5671, "pyamqp": 5672}.get(parts.scheme, 0)
    with socket.create_connection((parts.hostname, parts.port or default_port), timeout=_timeout()):
        return None


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def readiness() -> tuple[bool, dict]:
    components = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            state = check() or OK
            components[name] = {"state": state}
        except Exception as exc:  # any failure means "not ready"; the class name says which kind
            components[name] = {"state": FAILED, "error": exc.__class__.__name__}
        components[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    ready = all(component["state"] != FAILED for component in components.values())
    return ready, components


@never_cache
@login_not_required
def healthz(request):
    return JsonResponse({"status": OK})


@never_cache
@login_not_required
def readyz(request):
    ready, components = readiness()
    return JsonResponse(
        {"status": OK if ready else FAILED, "components": components}, status=200 if ready else 503
    )


PROBES = {"/healthz": healthz, "/healthz/": healthz, "/readyz": readyz, "/readyz/": readyz}


class HealthCheckMiddleware:
    """Answers the probes first (see the module docstring); goes right after the request id middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PROBES.get(request.path_info)
        if view is not None and request.method in {"GET", "HEAD"}:
            return view(request)
        return self.get_response(request)
