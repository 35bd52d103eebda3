"""Multi-factor sign-in: required for managers, HR and administrators who sign in with a password; TOTP with
recovery codes; passkeys (a software authenticator); admins reset factors; API tokens stay a factor of their own."""

import json

import pytest
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.tokens import api_token_create
from core.models import AuditEvent
from tests.accounts.softauthn import SoftAuthenticator
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ME = json.dumps({"query": "query { me { email } }"})


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # used TOTP codes and rate limits live in the cache
    yield
    cache.clear()


def password_sign_in(user) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:1000]
    return client


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:1000]


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def graphql(client, **extra):
    return client.post("/graphql/", ME, content_type="application/json", **extra)


@pytest.mark.parametrize("who", ["ict_manager", "hr_user", "admin_user"])
def test_required_roles_reach_only_the_mfa_setup_until_they_add_a_factor(
    who, request, settings, django_capture_on_commit_callbacks
):
    settings.MFA_REQUIRED_EXEMPT_EMAILS = []
    user = request.getfixturevalue(who)
    client = password_sign_in(user)
    setup = reverse("mfa_index")
    for url in (reverse("home"), reverse("accounts:profile"), reverse("support:request_list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == setup, url
    refused = graphql(client)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "MFA_REQUIRED"
    assert client.get(setup).status_code == 200

    reauthenticate(client)  # allauth asks for the password again before a factor is added
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200
    assert graphql(client).json()["data"]["me"]["email"] == user.email
    assert AuditEvent.objects.filter(verb="mfa.authenticator_added", target_id=str(user.pk)).exists()


def test_other_roles_may_sign_in_with_a_password_alone(requester, ict_staff):
    for user in (requester, ict_staff):
        assert password_sign_in(user).get(reverse("home")).status_code == 200


def test_the_exempt_demo_accounts_are_not_held(ict_manager, settings):
    settings.MFA_REQUIRED_EXEMPT_EMAILS = [ict_manager.email]
    assert password_sign_in(ict_manager).get(reverse("home")).status_code == 200


def test_development_settings_exempt_only_the_demo_manager_hr_and_admin():
    from config.settings import base, dev

    assert base.MFA_REQUIRED_EXEMPT_EMAILS == []
    assert set(dev.MFA_REQUIRED_EXEMPT_EMAILS) == {
        "manager@example.com",
        "hr@example.com",
        "admin@example.com",
    }


def test_an_api_token_still_works_for_a_required_role_without_a_factor(admin_user):
    _token, raw = api_token_create(actor=admin_user, user=admin_user, name="bi")
    response = Client().post(
        "/graphql/", ME, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    assert response.json()["data"]["me"]["email"] == admin_user.email


@pytest.fixture
def totp_user(ict_manager):
    secret = generate_totp_secret()
    TOTP.activate(ict_manager, secret)
    codes = RecoveryCodes.activate(ict_manager).get_unused_codes()
    return ict_manager, secret, codes


def test_totp_sign_in_refuses_a_wrong_code_and_a_reused_one(totp_user):
    user, secret, _codes = totp_user
    client = password_sign_in(user)
    assert client.get(reverse("home")).status_code == 302  # the second step is pending: not signed in yet
    wrong = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if current_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and client.get(reverse("home")).status_code == 302
    code = current_code(secret)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(verb="auth.login", actor=user, data__method="mfa").exists()

    again = password_sign_in(user)
    reused = again.post(reverse("mfa_authenticate"), {"code": code})
    assert reused.status_code == 200
    assert again.get(reverse("home")).status_code == 302


def test_a_recovery_code_signs_in_once(totp_user):
    user, _secret, codes = totp_user
    client = password_sign_in(user)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    again = password_sign_in(user)
    assert again.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200
    assert again.get(reverse("home")).status_code == 302


def test_a_passkey_is_registered_and_then_signs_in_without_a_password(admin_user, settings):
    settings.MFA_REQUIRED_EXEMPT_EMAILS = []
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test client speaks http
    client = password_sign_in(admin_user)
    assert client.get(reverse("home")).status_code == 302  # held until a factor is added
    reauthenticate(client)
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    key = SoftAuthenticator()
    # The user handle is allauth's URL form of the primary key (base 36 for integer keys: "a" for 10), as the
    # browser gets it in the creation options; the decimal pk only matched while the pk was below 10.
    credential = key.register(client.session["mfa.webauthn.state"], user_pk_to_url_str(admin_user).encode())
    response = client.post(
        reverse("mfa_add_webauthn"),
        {"name": "laptop", "credential": json.dumps(credential), "passwordless": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Authenticator.objects.filter(user=admin_user, type=Authenticator.Type.WEBAUTHN).count() == 1
    assert client.get(reverse("home")).status_code == 200

    browser = Client()
    options = browser.get(reverse("mfa_login_webauthn"), HTTP_X_REQUESTED_WITH="XMLHttpRequest").json()
    assertion = key.sign_in(options["request_options"])
    response = browser.post(reverse("mfa_login_webauthn"), {"credential": json.dumps(assertion)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert browser.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(verb="auth.login", actor=admin_user, data__method="passkey").exists()

    stranger = Client()
    stranger.get(reverse("mfa_login_webauthn"), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    forged = SoftAuthenticator()
    forged.credential_id, forged.user_handle = key.credential_id, user_pk_to_url_str(admin_user).encode()
    options = stranger.get(reverse("mfa_login_webauthn"), HTTP_X_REQUESTED_WITH="XMLHttpRequest").json()
    stranger.post(
        reverse("mfa_login_webauthn"), {"credential": json.dumps(forged.sign_in(options["request_options"]))}
    )
    assert stranger.get(reverse("home")).status_code == 302  # a different key with the same id is refused


def test_an_admin_resets_a_users_factors_and_it_is_audited(totp_user, admin_user, client_for):
    user, _secret, _codes = totp_user
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_changelist"), {"action": "reset_mfa", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(verb="mfa.admin_reset", target_id=str(user.pk))
    assert event.actor == admin_user and set(event.data["before"]) == {"totp", "recovery_codes"}


def test_the_required_role_list_is_configurable(make_user, settings):
    settings.MFA_REQUIRED_EXEMPT_EMAILS = []
    settings.MFA_REQUIRED_ROLES = [Role.ICT_STAFF]
    staff = make_user("someone@example.com", Role.ICT_STAFF)
    assert password_sign_in(staff).get(reverse("home"))["Location"] == reverse("mfa_index")


def test_the_admin_login_cannot_bypass_the_second_factor(admin_user, settings):
    settings.MFA_REQUIRED_EXEMPT_EMAILS = []
    client = Client()
    response = client.post(reverse("admin:login"), {"username": admin_user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("admin:index")).status_code == 302  # not signed in by the admin's own form
    client = password_sign_in(admin_user)
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_index")
