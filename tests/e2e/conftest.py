"""Browser journeys: Playwright for Python driving Debian's Chromium against pytest-django's live server.

The browser is the system's (`/usr/bin/chromium`, or `CHROMIUM_PATH`); it is never downloaded. Without it, or without
the `playwright` package, every test here is skipped with the reason (and `make test` prints a line saying so).

Playwright's sync API keeps an asyncio loop running in the main thread while it is started, and Django refuses ORM
calls from a thread with a running loop. The browser therefore lives in a package-scoped fixture, and
DJANGO_ALLOW_ASYNC_UNSAFE is set only while it is alive: the rest of the suite runs with Django's check intact.
Order within the package: database and demo world, then the live server, then the browser; torn down in reverse.

A failing test leaves a full-page screenshot of every page it opened in `e2e-artifacts/` (gitignored).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTIFACTS = ROOT / "e2e-artifacts"
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 1280, "height": 800}
DEMO_PASSWORD = "demo-pass-2025"


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def skip_reason() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the browser tests need the `playwright` Python package (pip install -e '.[test]')"
    if chromium_path() is None:
        return (
            "the browser tests need Chromium at /usr/bin/chromium or CHROMIUM_PATH (apt-get install chromium)"
        )
    return None


def pytest_collection_modifyitems(config, items):
    reason = skip_reason()
    if reason is None:
        return
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        pages = item.funcargs.get("e2e_pages") if hasattr(item, "funcargs") else None
        for n, page in enumerate(pages or []):
            try:
                ARTIFACTS.mkdir(exist_ok=True)
                name = re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1])
                path = ARTIFACTS / f"{name}-{n}.png"
                page.screenshot(path=str(path), full_page=True)
                report.sections.append(("e2e screenshot", f"{path} ({page.url})"))
            except Exception as error:  # a closed page: say so, never hide the test's own failure
                report.sections.append(("e2e screenshot", f"not taken: {error}"))
    return report


@pytest.fixture(scope="package")
def browser(server):
    """Chromium, started after the live server and closed before it stops (so that no kept-alive connection of the
    browser reaches the server after its database connection is released)."""
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def e2e_pages():
    """Every page a test opened (screenshots on failure)."""
    return []


@pytest.fixture(scope="package")
def e2e_database(request, django_db_setup, django_db_blocker):
    """The test database. pytest-django creates it only when some collected test asks for `db` (or a marker), which
    these tests do not (they share one committed world instead): when only they run, it is created here."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    if "default" in _get_databases_for_setup(request.session.items)[0]:
        yield
        return
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="package")
def world(e2e_database, django_db_blocker):
    """The demo world (small scale), committed once for the whole package, and the demo accounts by role.

    The journeys share it (each files or picks its own request); it is flushed when the package ends, so the rest
    of the suite starts from an empty database as usual."""
    from django.core.management import call_command

    from accounts.models import User
    from seeds.demo import load_demo
    from seeds.reference import load_reference
    from tests.world import DEMO_EMAIL

    with django_db_blocker.unblock():
        try:
            load_reference()
            load_demo(password=DEMO_PASSWORD, scale=0.05)
            yield {role: User.objects.get(email=email) for role, email in DEMO_EMAIL.items()}
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="package")
def server(world):
    """A live server over the package's database (pytest-django's LiveServer thread, without the per-test flush
    that its `live_server` fixture brings)."""
    from pytest_django.live_server_helper import LiveServer

    live = LiveServer("127.0.0.1:0")
    yield live
    live.stop()


@pytest.fixture
def db_access(world, django_db_blocker):
    """ORM access from a test body (the package's committed world, not a rolled-back test transaction)."""
    with django_db_blocker.unblock():
        yield


class Browse:
    """Opens pages as a user in a Japanese browser (Accept-Language ja) on the live server."""

    def __init__(self, browser, live_server, pages):
        self.browser, self.base, self.pages = browser, live_server.url, pages
        self.contexts = []

    def new_page(self, user=None, *, locale="ja-JP"):
        context = self.browser.new_context(
            locale=locale,
            viewport=VIEWPORT,
            accept_downloads=True,
            bypass_csp=True,  # axe-core is injected as a script tag; the app's CSP would refuse it
            base_url=self.base,
        )
        self.contexts.append(context)
        if user is not None:
            context.add_cookies([self.session_cookie(user)])
        page = context.new_page()
        page.set_default_timeout(15_000)
        self.pages.append(page)
        return page

    def session_cookie(self, user) -> dict:
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        return {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": self.base,
        }

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def browse(browser, server, db_access, e2e_pages):
    session = Browse(browser, server, e2e_pages)
    yield session
    session.close()


def ensure_axe() -> Path:
    """axe-core from the npm registry (tests/e2e/package-lock.json): `npm ci` here when node_modules is missing."""
    if AXE_JS.exists():
        return AXE_JS
    if shutil.which("npm") is None:
        pytest.skip(
            "axe-core is not installed in tests/e2e/node_modules and npm is missing (run `npm ci` there)"
        )
    result = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0 or not AXE_JS.exists():
        pytest.skip(f"npm ci failed in tests/e2e: {result.stderr.strip()[-300:]}")
    return AXE_JS


@pytest.fixture(scope="package")
def axe_js() -> Path:
    return ensure_axe()
