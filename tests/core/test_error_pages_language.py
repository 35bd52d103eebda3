"""The 403/404/500 pages in the user's language: <html lang> says which, the text is translated, and the page
leads back into the site (the navigation bar for a signed-in user, and links on the page itself)."""

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

PAGES = {
    "ja": {
        404: "ページが見つかりません",
        403: "アクセスできません",
        "lang": '<html lang="ja">',
        "nav": 'aria-label="メインナビゲーション"',
        "links": 'aria-label="このページからの移動先"',
        "home": "トップページへ戻る",
    },
    "en": {
        404: "Page not found",
        403: "Access denied",
        "lang": '<html lang="en">',
        "nav": 'aria-label="Main navigation"',
        "links": 'aria-label="Where to go from here"',
        "home": "Back to the start page",
    },
}


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def assert_error_page(response, status, language, *, signed_in=True):
    html, words = response.content.decode(), PAGES[language]
    assert response.status_code == status
    assert words["lang"] in html and words[status] in html and words["home"] in html
    assert words["links"] in html
    assert (words["nav"] in html) is True
    assert (reverse("support:request_list") in html) is signed_in  # the signed-in requester's way back


@pytest.mark.parametrize("language", ["ja", "en"])
def test_404_page_in_each_language_with_navigation(client_for, requester, language):
    response = in_language(client_for(requester), language).get("/no-such-page/")
    assert_error_page(response, 404, language)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_403_page_in_each_language_with_navigation(client_for, ict_staff, language):
    response = in_language(client_for(ict_staff), language).get(reverse("support:request_create"))
    assert_error_page(response, 403, language, signed_in=True)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_404_page_for_a_visitor_offers_to_sign_in(client, db, language):
    html = in_language(client, language).get("/no-such-page/").content.decode()
    assert PAGES[language]["lang"] in html and reverse("account_login") in html


@pytest.mark.parametrize(("language", "title"), [("ja", "サーバーエラー"), ("en", "Server error")])
def test_500_page_in_each_language_without_the_database(db, language, title):
    from django.views.defaults import server_error

    def database_down(execute, sql, params, many, context):
        raise OperationalError("the database is down")

    with translation.override(language), connection.execute_wrapper(database_down):
        response = server_error(RequestFactory().get("/anything/"))
    html = response.content.decode()
    assert (response.status_code, PAGES[language]["lang"] in html, title in html) == (500, True, True)
    assert PAGES[language]["home"] in html and PAGES[language]["links"] in html
