"""The accounts audit: sign-in, sign-out, failures, lockouts, tokens and changes to users are audit events with
actor, time, source address and the values before and after; administrators list, filter and export them."""

import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from tests.conftest import PASSWORD, codes

pytestmark = pytest.mark.django_db


def sign_in(email: str, password: str = PASSWORD, **extra):
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": password}, **extra)
    return client, response


def test_sign_in_and_sign_out_are_recorded_with_the_source_address(requester):
    client, response = sign_in(requester.email, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="auth.login", actor=requester)
    assert event.data["method"] == "password" and event.data["source_address"] == "192.0.2.10"
    client.post(reverse("account_logout"), REMOTE_ADDR="192.0.2.10")
    assert AuditEvent.objects.get(verb="auth.logout", actor=requester).data["reason"] == "user"


@pytest.mark.parametrize(("trusted", "expected"), [(False, "192.0.2.10"), (True, "203.0.113.5")])
def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(requester, settings, trusted, expected):
    settings.AUDIT_TRUST_X_FORWARDED_FOR = trusted
    sign_in(requester.email, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    assert AuditEvent.objects.get(verb="auth.login", actor=requester).data["source_address"] == expected


def test_a_failed_sign_in_and_the_lockout_are_recorded(requester, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/key"}
    from django.core.cache import cache

    cache.clear()
    for _attempt in range(3):
        _client, response = sign_in(requester.email, "wrong-password")
        assert response.status_code == 200
    failed = AuditEvent.objects.filter(verb="auth.login_failed", data__email=requester.email)
    assert failed.count() == 2 and failed.first().actor is None
    assert AuditEvent.objects.filter(verb="auth.lockout", data__email=requester.email).count() == 1
    _client, response = sign_in(requester.email)  # locked out even with the right password
    assert response.status_code == 200
    cache.clear()


def test_password_sign_in_can_be_switched_off_per_organisation(requester, ward):
    ward.password_login_allowed = False
    ward.save()
    client, response = sign_in(requester.email)
    assert response.status_code == 200
    assert "組織のアカウントでサインイン" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # not signed in
    assert AuditEvent.objects.filter(
        verb="auth.login_failed", data__reason="password_login_disabled", target_id=str(requester.pk)
    ).exists()


def test_token_creation_and_revocation_from_the_page_carry_the_address(requester, client_for):
    client = client_for(requester)
    client.post(reverse("accounts:token_create"), {"name": "bi"}, REMOTE_ADDR="198.51.100.7")
    token = requester.api_tokens.get()
    client.post(reverse("accounts:token_revoke", args=[token.pk]), REMOTE_ADDR="198.51.100.7")
    for verb in ("api_token.create", "api_token.revoke"):
        assert AuditEvent.objects.get(verb=verb).data["source_address"] == "198.51.100.7"


def test_admin_changes_to_a_user_record_before_and_after(admin_user, ict_staff, other_ward, client_for):
    manager = Group.objects.get(name=Role.ICT_MANAGER)
    data = {
        "email": ict_staff.email,
        "display_name": ict_staff.display_name,
        "organization": other_ward.pk,
        "preferred_language": "ja",
        "groups": [*ict_staff.groups.values_list("pk", flat=True), manager.pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": ict_staff.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": ict_staff.date_joined.strftime("%H:%M:%S"),
    }  # is_active left out: deactivated
    response = client_for(admin_user).post(reverse("admin:accounts_user_change", args=[ict_staff.pk]), data)
    assert response.status_code == 302
    target = {"target_id": str(ict_staff.pk), "actor": admin_user}
    assert AuditEvent.objects.get(verb="user.deactivate", **target).data["before"] is True
    organization = AuditEvent.objects.get(verb="user.organization_change", **target).data
    assert (organization["before"], organization["after"]) == ("B-DIGITAL", "131024")
    roles = AuditEvent.objects.get(verb="user.roles_change", **target).data
    assert roles["before"] == ["ict_staff"] and roles["after"] == ["ict_manager", "ict_staff"]
    change = AuditEvent.objects.get(verb="user.admin_change", **target).data["changes"]
    assert change["is_active"] == {"before": True, "after": False}


@pytest.fixture
def some_events(requester, ict_staff):
    sign_in(requester.email, REMOTE_ADDR="192.0.2.1")
    sign_in(ict_staff.email, "wrong", REMOTE_ADDR="192.0.2.2")


def test_admins_list_and_filter_the_accounts_audit(some_events, admin_user, hr_user, client_for):
    url = reverse("accounts:audit_events")
    page = client_for(admin_user).get(url, {"verb": "auth.login_failed"}).content.decode()
    assert "auth.login_failed" in page and "192.0.2.2" in page and "192.0.2.1" not in page
    page = client_for(admin_user).get(url, {"actor": "requester@"}).content.decode()
    assert "auth.login" in page and "192.0.2.1" in page and "192.0.2.2" not in page
    assert client_for(hr_user).get(url).status_code == 403


def test_admins_export_the_accounts_audit_as_csv_and_xlsx(some_events, admin_user, client_for):
    url = reverse("accounts:audit_events_export")
    csv = client_for(admin_user).get(url, {"format": "csv", "verb": "auth."})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("日時,イベント,実行者")
    assert "auth.login_failed" in text and "192.0.2.2" in text
    xlsx = client_for(admin_user).get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


QUERY = """query($verb: String) { auditEvents(verb: $verb, first: 10) {
  totalCount edges { node { verb actorEmail sourceAddress data } } } }"""


def test_graphql_audit_events_for_admins_only(some_events, admin_user, hr_user, requester, gql):
    result = gql(admin_user).execute(QUERY, {"verb": "auth.login"})
    nodes = [edge["node"] for edge in result["data"]["auditEvents"]["edges"]]
    mine = [node for node in nodes if node["verb"] == "auth.login" and node["actorEmail"] == requester.email]
    assert mine and mine[0]["sourceAddress"] == "192.0.2.1"
    assert json.loads(mine[0]["data"])["method"] == "password"
    assert codes(gql(hr_user).execute(QUERY)) == ["FORBIDDEN"]


def test_switching_off_password_sign_in_in_the_admin_records_before_and_after(admin_user, ward, client_for):
    data = {"code": ward.code, "name": ward.name, "name_en": ward.name_en, "kind": ward.kind, "active": "on"}
    url = reverse("admin:accounts_organization_change", args=[ward.pk])
    assert client_for(admin_user).post(url, data).status_code == 302  # the checkbox left out: switched off
    ward.refresh_from_db()
    assert ward.password_login_allowed is False
    event = AuditEvent.objects.filter(verb="organization.update", target_id=str(ward.pk)).latest("id")
    assert event.data["changes"]["password_login_allowed"] == {"before": True, "after": False}
