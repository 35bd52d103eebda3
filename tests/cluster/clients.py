"""HTTP clients for the cluster test: a signed-in browser session (form login, CSRF) and an API token client.

The servers run production settings over plain HTTP on loopback, so their cookies are marked Secure; `requests`
would never send those back over http, so the browser client clears the flag on what it received (test rig only).
"""

import threading
from collections import Counter

import requests


class Tally:
    """What every call answered, per server: the test fails on any 5xx or connection error."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_server: Counter = Counter()
        self.failures: list[str] = []

    def note(
        self, base: str, method: str, path: str, response: requests.Response | None, error: str = ""
    ) -> None:
        with self.lock:
            self.by_server[base] += 1
            if response is None:
                self.failures.append(f"{method} {base}{path}: {error}")
            elif response.status_code >= 500:
                self.failures.append(f"{method} {base}{path}: {response.status_code}")


class Browser:
    def __init__(self, tally: Tally):
        self.session = requests.Session()
        self.tally = tally

    def _call(self, method: str, base: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        try:
            response = self.session.request(method, base + path, **kwargs)
        except requests.RequestException as exc:
            self.tally.note(base, method, path, None, str(exc))
            raise
        for cookie in self.session.cookies:
            cookie.secure = False
        self.tally.note(base, method, path, response)
        return response

    def get(self, base: str, path: str, **kwargs) -> requests.Response:
        return self._call("GET", base, path, **kwargs)

    def post(self, base: str, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        data = {**(data or {}), "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        return self._call("POST", base, path, data=data, **kwargs)

    def login(self, base: str, email: str, password: str) -> None:
        self.get(base, "/accounts/login/")
        response = self.post(base, "/accounts/login/", {"login": email, "password": password})
        if response.status_code != 302 or "login" in response.headers.get("Location", ""):
            raise RuntimeError(f"login as {email} on {base} failed: {response.status_code}")


class Api:
    def __init__(self, token: str, tally: Tally):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.tally = tally

    def execute(self, base: str, query: str, **variables) -> dict:
        try:
            response = self.session.post(
                base + "/graphql/", json={"query": query, "variables": variables}, timeout=60
            )
        except requests.RequestException as exc:
            self.tally.note(base, "POST", "/graphql/", None, str(exc))
            raise
        self.tally.note(base, "POST", "/graphql/", response)
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors from {base}: {body['errors']}")
        return body["data"]


def payload_errors(data: dict) -> list[str]:
    """The `errors[].code` of the single mutation in `data`."""
    [payload] = data.values()
    return [error["code"] for error in (payload or {}).get("errors") or []]
