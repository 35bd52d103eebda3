import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_text(client):
    return client.get(reverse("home")).content.decode()


def test_requester_sees_no_ict_or_admin_menu(requester, client_for):
    html = nav_text(client_for(requester))
    assert "依頼者" in html
    assert reverse("admin:index") not in html


def test_admin_sees_administration(admin_user, client_for):
    assert reverse("admin:index") in nav_text(client_for(admin_user))


def test_manager_holds_both_ict_roles(ict_manager, client_for):
    html = nav_text(client_for(ict_manager))
    assert "ICTマネージャー" in html and "ICT職員" in html


def test_pages_render_in_japanese_by_default_and_english_on_request(requester, client_for):
    client = client_for(requester)
    assert "ようこそ" in nav_text(client)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Welcome" in nav_text(client)


def test_login_page_is_japanese_by_default(db):
    from django.test import Client

    html = Client().get(reverse("account_login")).content.decode()
    assert 'lang="ja"' in html and "ログイン" in html


def test_login_page_in_english_with_accept_language(db):
    from django.test import Client

    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("account_login")).content.decode()
    assert 'lang="en"' in html and "Sign in" in html


def test_users_preferred_language_is_used_without_a_cookie(make_user, client_for):
    user = make_user("english@example.com", "requester", preferred_language="en")
    assert "Welcome" in nav_text(client_for(user))


def test_admin_is_japanese(admin_user, client_for):
    html = client_for(admin_user).get(reverse("admin:index")).content.decode()
    assert "サイト管理" in html or "管理" in html
