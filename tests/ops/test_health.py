"""/healthz and /readyz: what a load balancer sees."""

import pytest
from django.test import Client

from core import health


def test_healthz_answers_without_login_session_or_known_host(db, settings):
    settings.ALLOWED_HOSTS = ["dx.example.org"]
    response = Client().get(
        "/healthz", HTTP_HOST="10.0.0.7:8000"
    )  # the balancer probes the backend's address

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_healthz_does_not_touch_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert Client().get("/healthz").status_code == 200


def test_readyz_names_each_component_and_is_200_when_all_answer(db, settings):
    settings.CELERY_BROKER_URL = None
    response = Client().get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["components"]["database"]["state"] == "ok"
    assert body["components"]["cache"]["state"] == "ok"
    assert body["components"]["broker"]["state"] == "not configured"


def test_readyz_is_503_naming_the_broker_when_it_is_unreachable(db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.HEALTH_CHECK_TIMEOUT = 0.5

    response = Client().get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failed"
    assert body["components"]["broker"]["state"] == "failed"
    assert body["components"]["broker"]["error"]
    assert body["components"]["database"]["state"] == "ok"


def test_readyz_is_503_when_the_database_fails(db, monkeypatch):
    def broken():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = Client().get("/readyz/")

    assert response.status_code == 503
    assert response.json()["components"]["database"] == {
        "state": "failed",
        "error": "OSError",
        "ms": pytest.approx(0, abs=50),
    }


def test_probes_skip_the_https_redirect(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/requests/").status_code == 301  # everything else still goes to HTTPS
