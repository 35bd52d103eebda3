"""A real OpenID provider on loopback for the SSO tests: tests/oidc/provider.mjs (Node `oidc-provider`).

`live_oidc_provider` installs the npm package into tests/oidc/node_modules when it is missing (`npm ci`), starts
node on a free loopback port with the static client and accounts below, and stops it after the session. The tests
are skipped, saying why, only when `node` or `npm` is not installed.
"""

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID, CLIENT_SECRET = "dxdesk", "dxdesk-test-secret"
PROVIDER_IDS = ("tokyo", "elsewhere", "tenant")
TENANT = "tenant-tokyo"
ACCOUNTS = {
    "alice": {
        "email": "alice@metro.example.jp",
        "email_verified": True,
        "name": "都庁 アリス",
        "organization_code": "131016",
        "tid": TENANT,
        "groups": ["dx-ict-staff", "not-a-role"],
    },
    "bob": {
        "email": "bob@metro.example.jp",
        "email_verified": True,
        "name": "都庁 ボブ",
        "organization_code": "131016",
        "tid": TENANT,
    },
    "outsider": {
        "email": "outsider@other.example.jp",
        "email_verified": True,
        "organization_code": "131016",
        "tid": "tenant-somewhere-else",
    },
    "unknown-org": {
        "email": "nobody@metro.example.jp",
        "email_verified": True,
        "organization_code": "999999",
        "tid": TENANT,
    },
    # claims the e-mail of an existing password account, unverified / verified
    "takeover": {
        "email": "requester@metro.example.jp",
        "email_verified": False,
        "organization_code": "131016",
        "tid": TENANT,
    },
    "verified-owner": {
        "email": "requester@metro.example.jp",
        "email_verified": True,
        "organization_code": "131016",
        "tid": TENANT,
    },
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_node_modules() -> None:
    if (HERE / "node_modules" / "oidc-provider").is_dir():
        return
    command = ["npm", "ci"] if (HERE / "package-lock.json").exists() else ["npm", "install"]
    subprocess.run(
        [*command, "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True, timeout=300
    )


def why_not_runnable() -> str | None:
    """Why the provider cannot run here (the reason the tests are skipped), or None."""
    missing = [tool for tool in ("node", "npm") if not shutil.which(tool)]
    if missing:
        return f"{' and '.join(missing)} not installed: the OpenID Connect end-to-end tests need Node (tests/oidc)"
    return None


@pytest.fixture(scope="session")
def live_oidc_provider():
    """The issuer URL of a running provider (http://127.0.0.1:<port>)."""
    reason = why_not_runnable()
    if reason:
        pytest.skip(reason)
    ensure_node_modules()
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"http://testserver/accounts/oidc/{name}/login/callback/" for name in PROVIDER_IDS],
        "token_endpoint_auth_method": "client_secret_post",
    }
    env = {
        **os.environ,
        "PORT": str(port),
        "OIDC_CLIENTS": json.dumps([client]),
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(
        ["node", "provider.mjs"], cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"the OpenID provider did not start:\n{output}")
            time.sleep(0.2)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def provider_settings(issuer: str, provider_id: str = "tokyo", **overrides) -> dict:
    """SOCIALACCOUNT_PROVIDERS for one app, built the way OIDC_PROVIDERS is read (config.settings.base)."""
    from config.settings.base import oidc_apps

    entry = {
        "id": provider_id,
        "name": "東京都 Entra ID (test)",
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "tenants": [TENANT],
        "organization_claim": "organization_code",
        "role_claim": "groups",
        "role_map": {"dx-ict-staff": "ict_staff", "not-a-role": "superhero"},
        "email_domains": ["metro.example.jp"],
        **overrides,
    }
    return {"openid_connect": {"APPS": oidc_apps(json.dumps([entry]))}}


def sign_in_at_provider(client, account: str, provider_id: str = "tokyo"):
    """Click the SSO button (POST), sign in at the provider as `account` (a `requests` browser following its
    redirects by hand), and hand the callback URL back to the Django test client. Returns the callback response."""
    from django.urls import reverse

    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": provider_id}))
    assert start.status_code == 302, start.content.decode()[:500]
    location = start["Location"]
    browser = requests.Session()
    for _step in range(12):
        if location.startswith("http://testserver/"):
            return client.get(location.removeprefix("http://testserver"))
        answer = browser.get(location, allow_redirects=False, timeout=10)
        if answer.is_redirect:
            location = urljoin(location, answer.headers["Location"])
        elif "/interaction/" in location and "login required" in answer.text:
            location = f"{location.split('?')[0]}?account={account}"
        else:
            raise AssertionError(f"unexpected answer from the provider at {location}: {answer.text[:500]}")
    raise AssertionError("too many redirects at the provider")
