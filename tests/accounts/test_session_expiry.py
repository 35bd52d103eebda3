"""Sessions end after the idle and the absolute timeout, and pages say how long is left (for the warning)."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.middleware import SessionExpiryMiddleware
from core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    assert (
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}).status_code == 302
    )
    return client


def age_session(client, *, idle: int = 0, since_sign_in: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[SessionExpiryMiddleware.LAST] = now - idle
    session[SessionExpiryMiddleware.STARTED] = now - since_sign_in
    session.save()


def test_pages_carry_the_seconds_left_and_the_static_timer(requester, settings):
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT = 900, 3600
    client = signed_in(requester)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert 'data-session-expires-in="900"' in page and "js/session-timer.js" in page
    assert response["X-Session-Expires-In"] == "900"
    age_session(client, idle=10, since_sign_in=3000)
    assert (
        'data-session-expires-in="600"' in client.get(reverse("home")).content.decode()
    )  # absolute is nearer


def test_an_idle_session_ends_and_activity_keeps_it(requester, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = signed_in(requester)
    age_session(client, idle=590, since_sign_in=590)
    assert client.get(reverse("home")).status_code == 200  # activity restarts the idle clock
    age_session(client, idle=601, since_sign_in=1200)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(verb="auth.logout", actor=requester, data__reason="idle").exists()


def test_the_absolute_timeout_ends_even_an_active_session(requester, settings):
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT = 600, 3600
    client = signed_in(requester)
    age_session(client, idle=5, since_sign_in=3601)
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(verb="auth.logout", actor=requester, data__reason="absolute").exists()


def test_graphql_after_the_timeout_answers_as_signed_out(requester, settings):
    import json

    settings.SESSION_IDLE_TIMEOUT = 600
    client = signed_in(requester)
    age_session(client, idle=601)
    answer = client.post(
        "/graphql/", json.dumps({"query": "{ me { email } }"}), content_type="application/json"
    )
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
