"""The tiny demo world, built once per test module and rolled back afterwards.

Tests that read it (example GraphQL operations, the access matrix) take `demo_world`; each test still runs in its
own savepoint, so writes made by one test never reach the next.
"""

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
