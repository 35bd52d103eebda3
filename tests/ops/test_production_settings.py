"""Production settings for several app servers, read in a fresh interpreter with a production environment."""

import json
import logging
import os
import runpy
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "session_engine": settings.SESSION_ENGINE,
    "session_cache": settings.CACHES[settings.SESSION_CACHE_ALIAS]["BACKEND"],
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "media": settings.STORAGES["default"]["BACKEND"],
    "media_root": str(settings.MEDIA_ROOT),
    "middleware": settings.MIDDLEWARE,
    "formatter": settings.LOGGING["handlers"]["console"]["formatter"],
}))
"""


def production_settings(**env) -> dict:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "REDIS_URL", "SESSION_ENGINE", "MEDIA_ROOT", "LOG_FORMAT", "DATABASE_URL"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="dx.example.org",
    )
    environ.update(env)
    code = "import django; django.setup()\n" + PROBE
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_with_redis_sessions_and_cache_are_shared_and_static_files_served_by_whitenoise():
    found = production_settings(CACHE_URL="redis://10.0.0.5:6379/2", MEDIA_ROOT="/srv/dx/media")

    assert found["cache"] == "django_redis.cache.RedisCache"
    assert found["cache_location"] == "redis://10.0.0.5:6379/2"
    assert found["session_engine"] == "django.contrib.sessions.backends.cached_db"
    assert found["session_cache"] == "django_redis.cache.RedisCache"
    assert found["static"] == "core.staticfiles.StaticFilesStorage"
    assert found["media_root"] == "/srv/dx/media"
    middleware = found["middleware"]
    assert middleware[:2] == ["core.middleware.RequestIdMiddleware", "core.health.HealthCheckMiddleware"]
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )
    assert found["formatter"] == "json"


def test_without_redis_production_still_starts_on_process_memory_and_database_sessions():
    found = production_settings(
        LOG_FORMAT="text", MEDIA_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage"
    )

    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["session_engine"] == "django.contrib.sessions.backends.db"
    assert found["media"] == "django.core.files.storage.InMemoryStorage"
    assert found["formatter"] == "text"


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:18001")
    monkeypatch.setenv("GUNICORN_GRACEFUL_TIMEOUT", "12")

    conf = runpy.run_path(str(ROOT / "config/gunicorn.conf.py"))

    assert conf["workers"] == 3
    assert conf["bind"] == ["127.0.0.1:18001"]
    assert conf["graceful_timeout"] == 12
    assert conf["wsgi_app"] == "config.wsgi:application"
    assert conf["logger_class"] == "core.gunicorn_logging.JsonAccessLogger"


def test_gunicorn_access_lines_are_json_even_with_quotes_in_the_request():
    from gunicorn.config import Config

    from core.gunicorn_logging import JsonAccessLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    logger = JsonAccessLogger(cfg)
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    logger.access_log.handlers = [Keep()]
    response = SimpleNamespace(status_code=201, sent=17, headers=[("X-Request-ID", "abc-123456")])
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": '/requests/"new"', "HTTP_USER_AGENT": 'ua "quoted"'}
    logger.access(response, None, environ, timedelta(milliseconds=42))

    [line] = lines
    entry = json.loads(line)
    assert entry["request_id"] == "abc-123456"
    assert entry["status"] == 201
    assert entry["path"] == '/requests/"new"'
    assert entry["user_agent"] == 'ua "quoted"'
    assert entry["duration_ms"] == 42.0
