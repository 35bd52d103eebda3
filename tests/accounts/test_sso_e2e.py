"""Single sign-on against a real OpenID provider on loopback (tests/oidc/provider.mjs, Node `oidc-provider`)."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, roles_of
from core.models import AuditEvent
from tests.oidc.live import live_oidc_provider, provider_settings, sign_in_at_provider  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso(settings, live_oidc_provider, roles, ward):  # noqa: F811
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(live_oidc_provider)
    return live_oidc_provider


def test_the_login_page_offers_the_organisation_sign_in(sso, client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "組織のアカウントでサインイン" in page


def test_first_sign_in_creates_the_user_in_the_claimed_organisation_and_the_second_reuses_it(
    sso, client, ward
):
    response = sign_in_at_provider(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(email="alice@metro.example.jp")
    assert user.organization == ward
    assert roles_of(user) == {Role.ICT_STAFF}  # mapped group; the unknown role name was ignored
    assert not user.has_usable_password()
    assert client.get(reverse("home")).status_code == 200
    created = AuditEvent.objects.get(verb="user.create", target_id=str(user.pk))
    assert created.data["source"] == "sso" and created.data["organization"] == "131016"
    assert AuditEvent.objects.filter(verb="auth.login", actor=user, data__method="sso").count() == 1

    client.post(reverse("account_logout"))
    again = sign_in_at_provider(client, "alice")
    assert again.status_code == 302
    assert User.objects.filter(email="alice@metro.example.jp").count() == 1
    assert AuditEvent.objects.filter(verb="auth.login", actor=user).count() == 2
    assert AuditEvent.objects.filter(verb="auth.logout", actor=user).count() == 1


def test_a_user_without_a_mapped_role_is_a_requester(sso, client):
    assert sign_in_at_provider(client, "bob").status_code == 302
    assert roles_of(User.objects.get(email="bob@metro.example.jp")) == {Role.REQUESTER}


def test_a_wrong_issuer_is_refused(settings, live_oidc_provider, roles, ward, client):  # noqa: F811
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(
        live_oidc_provider, provider_id="elsewhere", issuers=["https://login.example.org/other/v2.0"]
    )
    response = sign_in_at_provider(client, "alice", provider_id="elsewhere")
    assert response.status_code == 403
    assert not User.objects.filter(email="alice@metro.example.jp").exists()
    assert AuditEvent.objects.filter(verb="auth.sso_refused", data__reason="issuer").exists()
    assert client.get(reverse("home")).status_code == 302  # not signed in


def test_a_wrong_tenant_is_refused(settings, live_oidc_provider, roles, ward, client):  # noqa: F811
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(live_oidc_provider, provider_id="tenant")
    response = sign_in_at_provider(client, "outsider", provider_id="tenant")
    assert response.status_code == 403
    assert "tenant" in response.content.decode() or "テナント" in response.content.decode()
    assert not User.objects.filter(email="outsider@other.example.jp").exists()


def test_an_unknown_organisation_code_is_refused_with_a_clear_message(sso, client):
    response = sign_in_at_provider(client, "unknown-org")
    assert response.status_code == 403
    page = response.content.decode()
    assert "999999" in page and "登録されていません" in page
    assert not User.objects.filter(email="nobody@metro.example.jp").exists()
    assert AuditEvent.objects.filter(verb="auth.sso_refused", data__reason="organization").exists()


def test_an_unverified_email_does_not_take_over_an_existing_account(sso, client, make_user, ward):
    owner = make_user("requester@metro.example.jp", Role.REQUESTER, organization=ward)
    response = sign_in_at_provider(client, "takeover")
    assert response.status_code == 403
    assert not owner.socialaccount_set.exists()
    assert User.objects.filter(email="requester@metro.example.jp").count() == 1
    assert client.get(reverse("home")).status_code == 302  # not signed in as the owner


def test_an_email_from_another_domain_does_not_link_even_when_verified(
    settings, sso, client, make_user, ward
):
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(sso, email_domains=["elsewhere.example.jp"])
    owner = make_user("requester@metro.example.jp", Role.REQUESTER, organization=ward)
    assert sign_in_at_provider(client, "verified-owner").status_code == 403
    assert not owner.socialaccount_set.exists()


def test_a_verified_email_of_an_allowed_domain_links_the_existing_account(sso, client, make_user, ward):
    owner = make_user("requester@metro.example.jp", Role.REQUESTER, organization=ward)
    response = sign_in_at_provider(client, "verified-owner")
    assert response.status_code == 302
    assert owner.socialaccount_set.filter(provider="tokyo").exists()
    assert AuditEvent.objects.filter(verb="user.sso_linked", target_id=str(owner.pk)).exists()
    assert User.objects.filter(email="requester@metro.example.jp").count() == 1


def test_the_tests_are_skipped_with_a_reason_only_without_node(monkeypatch):
    from tests.oidc import live

    monkeypatch.setattr(live.shutil, "which", lambda tool: None if tool == "node" else "/usr/bin/npm")
    assert "node not installed" in live.why_not_runnable()
