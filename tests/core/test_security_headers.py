"""Content-Security-Policy on every page without 'unsafe-inline' scripts, no-store on secret-bearing pages, a
secure language cookie, and Japanese error pages with the navigation (the 500 page without touching the database).
"""

import re
from html.parser import HTMLParser

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path, reverse
from django.utils import translation

from tests.test_access_matrix import ROLES, URLS

JSON_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline <script>s without the nonce, on*= handlers
    and javascript: URLs."""

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline event handler")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        inline = tag == "script" and "src" not in values and values.get("type") not in JSON_SCRIPT_TYPES
        if inline and (not self.nonce or values.get("nonce") != self.nonce):
            self.problems.append("inline <script> without the request's nonce")


def script_src(policy: str) -> str:
    match = re.search(r"script-src ([^;]*)", policy)
    assert match, policy
    return match.group(1)


def assert_safe_page(response, label: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert policy, f"{label}: no Content-Security-Policy header"
    sources = script_src(policy)
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, f"{label}: {sources}"
    nonce = re.search(r"'nonce-([^']+)'", sources)
    finder = InlineCodeFinder(nonce.group(1) if nonce else None)
    finder.feed(response.content.decode())
    assert not finder.problems, f"{label}: {finder.problems}"


def test_finder_catches_what_the_policy_would_block():
    finder = InlineCodeFinder("abc")
    finder.feed(
        '<script>alert(1)</script><script nonce="abc">ok()</script><script type="application/json">{}</script>'
        '<select onchange="x()"></select><a href="javascript:x()">x</a><script src="/static/a.js"></script>'
    )
    assert finder.problems == [
        "inline <script> without the request's nonce",
        "<select onchange=…> inline event handler",
        "<a href=javascript:…>",
    ]


def test_sign_in_and_password_reset_pages_carry_the_policy(db):
    for name in ("account_login", "account_reset_password"):
        assert_safe_page(Client().get(reverse(name)), name)


def test_account_and_admin_pages_are_safe_under_the_policy(demo_users, client_for):
    client = client_for(demo_users["admin"])
    for url in (
        reverse("account_change_password"),
        reverse("account_logout"),
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[demo_users["requester"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_safe_page(response, url)


@pytest.fixture
def world(demo_users):
    return {"users": demo_users}


def test_every_page_of_the_access_matrix_is_safe_under_the_policy(world):
    """Each GET page, seen by a role allowed to use it, has the header and no code the policy would block."""
    checked = 0
    for name, spec in sorted(URLS.items()):
        if "skip" in spec or spec.get("method") == "post":
            continue
        role = "admin" if "admin" in spec["allowed"] else next(r for r in ROLES if r in spec["allowed"])
        client = Client()
        client.force_login(world["users"][role])
        url = reverse(name, kwargs=spec["kwargs"](world) if "kwargs" in spec else {}) + spec.get("query", "")
        response = client.get(url)
        assert response.status_code == 200, f"{name} as {role}: {response.status_code}"
        if response.get("Content-Type", "").startswith("text/html"):
            assert_safe_page(response, name)
            checked += 1
    assert checked >= 20


def test_language_switcher_works_without_inline_code(demo_users, client_for):
    response = client_for(demo_users["requester"]).get(reverse("home"))
    html = response.content.decode()
    assert 'id="language-select"' in html and "js/language.js" in html
    assert_safe_page(response, "home")


def test_graphiql_runs_its_settings_script_with_the_nonce(settings, demo_users, client_for):
    settings.DEBUG = True
    settings.GRAPHIQL_ENABLED = True
    response = client_for(demo_users["requester"]).get("/graphql/", HTTP_ACCEPT="text/html")
    assert b"GRAPHENE_SETTINGS" in response.content
    assert "'nonce-" in script_src(response["Content-Security-Policy"])
    assert_safe_page(response, "graphiql")


def test_new_api_token_page_is_never_stored(demo_users, client_for):
    response = client_for(demo_users["requester"]).post(reverse("accounts:token_create"), {"name": "BI"})
    assert response.status_code == 200 and "API" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_language_cookie_follows_the_cookie_settings(demo_users, client_for, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    client = client_for(demo_users["requester"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    client.post(
        reverse("accounts:profile"),
        {"display_name": "R", "preferred_language": "ja"},
    )
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ja" and cookie["secure"] and cookie["httponly"]


def test_database_connections_are_health_checked():
    from django.conf import settings as django_settings

    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] == 0  # tests: a fresh connection per request


# --- error pages --------------------------------------------------------------------------------------------------


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]


def assert_japanese_error_page(response, status: int, title: str) -> None:
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="ja">' in html, html[:200]
    assert title in html and "トップページへ戻る" in html
    assert 'aria-label="メインナビゲーション"' in html and ">DXサポートデスク</a>" in html
    assert 'id="language-select"' in html


def test_404_page_is_japanese_with_the_navigation(demo_users, client_for):
    response = client_for(demo_users["requester"]).get("/no-such-page/")
    assert_japanese_error_page(response, 404, "ページが見つかりません")
    assert reverse("support:request_list") in response.content.decode()  # the signed-in user's menu


def test_403_page_is_japanese_with_the_navigation(demo_users, client_for):
    response = client_for(demo_users["ict_staff"]).get(reverse("support:request_create"))
    assert_japanese_error_page(response, 403, "アクセスできません")


def test_csrf_failure_page_is_japanese(demo_users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["requester"])
    response = client.post(reverse("accounts:profile"), {"display_name": "x"})
    assert_japanese_error_page(response, 403, "アクセスできません")
    assert "セキュリティ確認に失敗しました" in response.content.decode()


def test_400_page_is_japanese(db):
    response = Client(HTTP_HOST="evil.example.com").get(reverse("account_login"))
    assert_japanese_error_page(response, 400, "不正なリクエスト")


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_is_japanese_and_safe(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert_japanese_error_page(response, 500, "サーバーエラー")
    assert "boom" not in response.content.decode()


def test_500_page_renders_with_the_database_down(db):
    from django.views.defaults import server_error

    def database_down(execute, sql, params, many, context):
        raise OperationalError("the database is down")

    request = RequestFactory().get("/anything/")
    with translation.override("ja"), connection.execute_wrapper(database_down):
        response = server_error(request)
    assert_japanese_error_page(response, 500, "サーバーエラー")
