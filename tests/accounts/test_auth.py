import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROLE_FIXTURES = ["requester", "ict_staff", "ict_manager", "hr_user", "admin_user"]


@pytest.mark.parametrize("fixture", ROLE_FIXTURES)
def test_each_role_logs_in_with_email_and_password_and_out_again(fixture, request):
    user = request.getfixturevalue(fixture)
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    if fixture in ("ict_manager", "hr_user", "admin_user"):  # a second factor is required first (test_mfa.py)
        assert home.status_code == 302 and home["Location"] == reverse("mfa_index")
        home = client.get(home["Location"])
    assert home.status_code == 200 and home.context["user"] == user
    client.post(reverse("account_logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_refused_with_a_message(requester):
    client = Client()
    response = client.post(reverse("account_login"), {"login": requester.email, "password": "nope"})
    assert response.status_code == 200
    assert "正しくありません" in response.content.decode()


def test_anonymous_home_redirects_to_login():
    response = Client().get(reverse("home"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_signup_is_closed_by_default(db):
    response = Client().get(reverse("account_signup"))
    assert response.status_code == 200
    assert "signup_closed" in response.templates[0].name or "closed" in response.templates[0].name


def test_signup_post_creates_nobody(db):
    from accounts.models import User

    Client().post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "x-Secret-123", "password2": "x-Secret-123"},
    )
    assert not User.objects.filter(email="new@example.com").exists()


def test_signup_can_be_opened_by_setting(db, settings):
    settings.ACCOUNT_ALLOW_SIGNUPS = True
    response = Client().get(reverse("account_signup"))
    assert "closed" not in response.templates[0].name


def test_password_reset_page_is_served_in_japanese(db):
    response = Client().get(reverse("account_reset_password"))
    assert response.status_code == 200
    assert "パスワード" in response.content.decode()


def test_profile_saves_language(requester, client_for):
    client = client_for(requester)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "千代田 花子", "preferred_language": "en"}
    )
    assert response.status_code == 302
    requester.refresh_from_db()
    assert requester.preferred_language == "en"
    assert "My settings" in client.get(reverse("accounts:profile")).content.decode()


def test_profile_refuses_unknown_language(requester, client_for):
    response = client_for(requester).post(
        reverse("accounts:profile"), {"display_name": "x", "preferred_language": "fr"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["preferred_language"]


def test_login_form_has_labelled_bootstrap_fields(db):
    html = Client().get(reverse("account_login")).content.decode()
    assert 'class="form-control' in html
    assert '<label class="form-label" for="id_login">メールアドレス' in html


def test_login_error_is_shown_on_the_form(requester):
    response = Client().post(reverse("account_login"), {"login": requester.email, "password": ""})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


# --- API tokens (accounts.authentication.BearerTokenBackend) ------------------------------------------------------

ME_QUERY = {"query": "query { me { email } }"}


def _graphql(client, **headers):
    return client.post("/graphql/", ME_QUERY, content_type="application/json", **headers)


def test_bearer_token_signs_in_its_owner_without_a_csrf_token(hr_user):
    from accounts.tokens import api_token_create

    _token, raw = api_token_create(actor=hr_user, user=hr_user, name="BI")
    response = _graphql(Client(enforce_csrf_checks=True), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["data"]["me"]["email"] == hr_user.email


def test_unknown_bearer_token_is_refused_and_not_treated_as_the_session(requester):
    client = Client(enforce_csrf_checks=True)
    client.force_login(requester)  # a valid session does not rescue an invalid token
    response = _graphql(client, HTTP_AUTHORIZATION="Bearer dxd_not-a-token")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_session_request_keeps_its_csrf_check_and_passes_with_the_token(requester):
    client = Client(enforce_csrf_checks=True)
    client.force_login(requester)
    assert _graphql(client).json()["errors"][0]["extensions"]["code"] == "CSRF_FAILED"
    client.get(reverse("home"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = _graphql(client, HTTP_X_CSRFTOKEN=token)
    assert response.json()["data"]["me"]["email"] == requester.email


def test_password_backends_ignore_a_bearer_token_and_the_token_backend_ignores_passwords(requester):
    from django.contrib.auth import authenticate

    assert authenticate(None, bearer_token="dxd_not-a-token") is None
    assert authenticate(None, email=requester.email, password=PASSWORD) == requester
    assert authenticate(None, bearer_token="") is None


def test_core_imports_no_app():
    """core ← accounts ← skills ← …: core knows no domain (bearer auth lives in accounts.authentication)."""
    import re
    from pathlib import Path

    pattern = re.compile(r"^\s*(from|import) (accounts|skills|support|staffing|reports|config|seeds)\b", re.M)
    core = Path(__file__).resolve().parents[2] / "core"
    offenders = [str(p) for p in core.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
