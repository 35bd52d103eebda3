"""Every page asset is served by the app itself: the users sit on closed government networks."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE)
TEMPLATES = sorted(
    path
    for path in ROOT.glob("**/templates/**/*.html")
    if ".venv" not in path.parts and "staticfiles" not in path.parts
)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_loads_anything_from_another_host(path):
    assert not EXTERNAL.search(path.read_text(encoding="utf-8"))


def test_graphiql_uses_vendored_assets_only_in_debug(db, settings):
    settings.DEBUG = True
    from core.api.view import DXGraphQLView

    view = DXGraphQLView.as_view(graphiql=True)
    from django.test import RequestFactory

    request = RequestFactory().get("/graphql/", HTTP_ACCEPT="text/html")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = view(request).content.decode()
    assert "vendor/graphiql/graphiql.min.js" in html
    assert "cdn.jsdelivr" not in html


def test_graphiql_is_off_outside_development(db):
    response = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    assert b"graphiql" not in response.content.lower()
