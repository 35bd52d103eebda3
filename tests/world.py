"""The tiny demo world, built once per test module and rolled back afterwards.

Tests that read it (example GraphQL operations, the access matrix) take `demo_world`; each test still runs in its
own savepoint, so writes made by one test never reach the next.
"""

import re
from collections.abc import Callable

import pytest
from django.db import transaction

DEMO_EMAIL = {
    "requester": "requester@example.com",
    "ict_staff": "staff@example.com",
    "ict_manager": "manager@example.com",
    "hr": "hr@example.com",
    "admin": "admin@example.com",
}


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    from seeds.demo import load_demo
    from seeds.reference import load_reference

    with django_db_blocker.unblock(), transaction.atomic():
        load_reference()
        load_demo(password="demo-pass-2025", scale=0.05)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_users(demo_world, db):
    from accounts.models import User

    return {role: User.objects.get(email=email) for role, email in DEMO_EMAIL.items()}


def uploaded_first(upload_url: str, form: Callable[[], dict]) -> Callable:
    """An access-matrix `prepare` for an import's confirm step: the same user uploads first (the dry run); the
    confirm then posts the token the job's report page carries — none when the upload was refused."""

    def prepare(client, world) -> dict:
        from django.test import TestCase
        from django.urls import reverse

        with TestCase.captureOnCommitCallbacks(execute=True):  # the dry-run job runs as after the commit
            preview = client.post(reverse(upload_url), form())
        if preview.status_code == 302:  # the job's page shows the report
            preview = client.get(preview["Location"])
        found = re.search(r'name="token" value="(\w+)"', preview.content.decode())
        return {"token": found.group(1) if found and preview.status_code == 200 else ""}

    return prepare


def in_job(client, capture, url: str, data: dict):
    """POST `url` (which starts a job step), run the queued task as after the commit (`capture`: pytest-django's
    django_capture_on_commit_callbacks), then open the job's page, which the POST redirects to."""
    with capture(execute=True):
        response = client.post(url, data)
    if response.status_code != 302:
        return response
    return client.get(response["Location"])
