"""Fixtures shared by the whole suite: one fixture per role, built through the services."""

import json

import pytest
from django.test import Client

from accounts.models import Organization, OrganizationKind
from accounts.roles import Role, ensure_role_groups
from accounts.services import organization_upsert, user_create

pytest_plugins = ["tests.world"]

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    """Django's test setup swaps EMAIL_BACKEND for locmem; put the outbox back, as in production (delivery: locmem)."""
    settings.EMAIL_BACKEND = "core.mail.OutboxBackend"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: sign-in rate limits (allauth's lockout after failed sign-ins from one
    address), job progress and stored report figures must not leak from one test into the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _language_back_to_the_default():
    """A request in English (the language cookie) leaves English active in the thread; the next test starts in
    the default language (Japanese) again."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def roles(db):
    ensure_role_groups()


@pytest.fixture
def bureau(db) -> Organization:
    org, _ = organization_upsert(
        actor=None,
        code="B-DIGITAL",
        defaults={
            "name": "デジタルサービス局",
            "name_en": "Digital Service Bureau",
            "kind": OrganizationKind.BUREAU,
        },
    )
    return org


@pytest.fixture
def ward(db) -> Organization:
    org, _ = organization_upsert(
        actor=None,
        code="131016",
        defaults={"name": "千代田区", "name_en": "Chiyoda", "kind": OrganizationKind.WARD},
    )
    return org


@pytest.fixture
def other_ward(db) -> Organization:
    org, _ = organization_upsert(
        actor=None,
        code="131024",
        defaults={"name": "中央区", "name_en": "Chuo", "kind": OrganizationKind.WARD},
    )
    return org


@pytest.fixture
def make_user(roles, bureau):
    """make_user("x@example.com", Role.REQUESTER, organization=ward) → a user created by the service."""

    def make(email: str, *role_names: str, organization: Organization | None = None, **extra):
        return user_create(
            actor=None,
            email=email,
            password=PASSWORD,
            display_name=extra.pop("display_name", email.split("@")[0]),
            organization=organization or bureau,
            roles=role_names,
            **extra,
        )

    return make


@pytest.fixture
def requester(make_user, ward):
    return make_user("requester@example.com", Role.REQUESTER, organization=ward)


@pytest.fixture
def other_requester(make_user, other_ward):
    return make_user("other-requester@example.com", Role.REQUESTER, organization=other_ward)


@pytest.fixture
def ict_staff(make_user):
    return make_user("staff@example.com", Role.ICT_STAFF)


@pytest.fixture
def ict_manager(make_user):
    return make_user("manager@example.com", Role.ICT_STAFF, Role.ICT_MANAGER)


@pytest.fixture
def hr_user(make_user):
    return make_user("hr@example.com", Role.HR)


@pytest.fixture
def admin_user(make_user):
    return make_user("admin@example.com", Role.ADMIN)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    """client_for(user) → a test Client signed in as that user (Japanese UI by default)."""
    return login


class GraphQLClient:
    """Posts to /graphql/ as a signed-in user (session auth with a valid CSRF token) and decodes the answer."""

    def __init__(self, user=None):
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)
        self.client.get("/graphql/", HTTP_ACCEPT="application/json")  # sets the csrftoken cookie
        self.csrf = self.client.cookies["csrftoken"].value if "csrftoken" in self.client.cookies else ""

    def execute(self, query: str, variables: dict | None = None, **extra) -> dict:
        response = self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=self.csrf,
            **extra,
        )
        self.last_status = response.status_code
        return response.json()


@pytest.fixture
def gql():
    """gql(user) → a GraphQLClient; gql(None) is anonymous."""
    return GraphQLClient


def codes(result: dict) -> list[str]:
    """The extensions.code of every top-level GraphQL error."""
    return [error.get("extensions", {}).get("code") for error in result.get("errors", [])]


__all__ = ["PASSWORD", "Role", "codes", "login"]
