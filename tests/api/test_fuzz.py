"""Fuzzing /graphql/ over HTTP with generated operations (hypothesis-graphql), once per role's API token.

A real HTTP server runs in a thread on the test's own database connection, so it sees the tiny demo world (and
rolls back with it). For every generated operation — valid ones and ones with one schema violation, queries and
mutations — the answer must be JSON without a server error (no 5xx, no INTERNAL/INTERNAL_SERVER_ERROR code), and
must not contain any reference, global id or internal-note text of an object the role may not see (collected from
the database through the selectors before fuzzing).

`DXDESK_FUZZ_EXAMPLES` sets the examples per role: a few dozen in `make test`, more in CI (.ci/run).
"""

import json
import os
import re
import threading
import urllib.error
import urllib.request
from datetime import UTC, date, datetime
from decimal import Decimal
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import graphql
import hypothesis_graphql
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from graphql_relay import to_global_id
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.world import DEMO_EMAIL

EXAMPLES = int(os.environ.get("DXDESK_FUZZ_EXAMPLES", "25"))
ROLES = [*DEMO_EMAIL, "anonymous"]
SERVER_FAULT_CODES = {"INTERNAL", "INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *_args):
        pass


class _SharedConnectionServer(WSGIServer):
    """Serves in one thread, on the connections of the thread that started it (the test's open transaction)."""

    shared: dict

    def serve_forever(self, poll_interval=0.05):
        for alias, connection in self.shared.items():
            connections[alias] = connection
        super().serve_forever(poll_interval)


@pytest.fixture(scope="module")
def live_graphql(demo_world, django_db_blocker):
    """The URL of /graphql/ on a live HTTP server in a thread sharing the test's database connection."""
    with django_db_blocker.unblock():
        shared = {alias: connections[alias] for alias in connections}
    # A request must not close the shared connection (it is inside the test's transaction): as Django's test
    # client does, keep the request signals from closing "old" connections while the server runs.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server = make_server(
        "127.0.0.1", 0, WSGIHandler(), server_class=_SharedConnectionServer, handler_class=_QuietHandler
    )
    server.shared = shared
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/graphql/"
    server.shutdown()
    server.server_close()
    thread.join(5)
    for connection in shared.values():
        connection.dec_thread_sharing()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def anonymous_headers(url: str) -> dict:
    """A caller without a token, as a browser would be: with the CSRF cookie and header (else every POST is 403)."""
    request = urllib.request.Request(url + "?query=%7B__typename%7D", headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers["Set-Cookie"].split(";")[0]
    return {"Cookie": cookie, "X-CSRFToken": cookie.split("=", 1)[1]}


def post(url: str, query: str, headers: dict) -> tuple[int, str]:
    headers = {"Content-Type": "application/json", "Accept": "application/json", **headers}
    request = urllib.request.Request(
        url, json.dumps({"query": query}).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def forbidden_texts(user) -> list[str]:
    """What this user must never read: references and global ids of requests outside their scope, the bodies of
    internal notes (when they may not see them) and of comments on those requests."""
    from support import policies
    from support.models import Comment, SupportRequest
    from support.selectors import request_list_for

    visible = set(request_list_for(user, with_details=False).values_list("pk", flat=True)) if user else set()
    hidden = SupportRequest.objects.exclude(pk__in=visible)
    texts = list(hidden.values_list("reference", flat=True))
    texts += [to_global_id("SupportRequest", pk) for pk in hidden.values_list("pk", flat=True)]
    comments = Comment.objects.all()
    if user is None or not policies.sees_internal(user):
        secret = comments.filter(internal=True) | comments.exclude(request_id__in=visible)
    else:
        secret = comments.exclude(request_id__in=visible)
    seen = set(comments.filter(request_id__in=visible).values_list("body", flat=True))
    if user is not None and not policies.sees_internal(user):
        seen = set(comments.filter(request_id__in=visible, internal=False).values_list("body", flat=True))
    texts += [
        body for body in set(secret.values_list("body", flat=True)) if len(body) >= 10 and body not in seen
    ]
    return texts


def leak_pattern(texts: list[str]) -> re.Pattern | None:
    if not texts:
        return None
    # JSON-escaped as they would appear in the body, and not as part of a longer word or reference.
    escaped = sorted({json.dumps(text, ensure_ascii=False)[1:-1] for text in texts}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, escaped)) + r")(?![\w-])")


def _string(value) -> graphql.StringValueNode:
    return graphql.StringValueNode(value=str(value))


SCALARS = {
    "Date": st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)).map(
        lambda d: _string(d.isoformat())
    ),
    "DateTime": st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)).map(
        lambda d: _string(d.replace(tzinfo=UTC).isoformat())
    ),
    "Decimal": st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=2).map(_string),
}


# Lists that show other people's and organisations' data: fuzzed more often, where a leak would show.
READS = [
    "supportRequests",
    "myAssignments",
    "workload",
    "staffProfiles",
    "backlogPlan",
    "dashboard",
    "skillCoverage",
]


def operations():
    """Any valid operation, any operation with one schema violation, and valid reads of the lists above."""
    from config.schema import schema

    graphql_schema = schema.graphql_schema
    return st.one_of(
        hypothesis_graphql.from_schema(graphql_schema, custom_scalars=SCALARS),
        hypothesis_graphql.from_schema(
            graphql_schema, custom_scalars=SCALARS, mode=hypothesis_graphql.Mode.NEGATIVE
        ),
        hypothesis_graphql.from_schema(graphql_schema, custom_scalars=SCALARS, fields=READS),
    )


@pytest.mark.parametrize("role", ROLES)
def test_generated_operations_never_fault_nor_leak_another_scope(role, live_graphql, demo_users):
    from accounts.tokens import api_token_create

    user = demo_users.get(role)
    if user is None:
        headers = anonymous_headers(live_graphql)
    else:
        headers = {"Authorization": "Bearer " + api_token_create(actor=user, user=user, name="fuzz")[1]}
    pattern = leak_pattern(forbidden_texts(user))

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(query=operations())
    def run(query):
        status, body = post(live_graphql, query, headers)
        try:
            answer = json.loads(body)
        except ValueError:
            raise AssertionError(f"{status} not JSON for {query!r}: {body[:200]!r}") from None
        codes = {error.get("extensions", {}).get("code") for error in answer.get("errors") or []}
        assert status < 500 and not codes & SERVER_FAULT_CODES, (
            f"{status} {codes} for {query!r}: {body[:500]}"
        )
        if pattern is not None:
            leak = pattern.search(body)
            assert leak is None, f"{role} read {leak.group(0)!r} with {query!r}"

    run()


def test_the_leak_check_finds_another_organisations_request(live_graphql, demo_users):
    """The check above can fail: the ICT side's list of requests, read with the requester's forbidden texts."""
    from accounts.tokens import api_token_create

    manager = demo_users["ict_manager"]
    headers = {"Authorization": "Bearer " + api_token_create(actor=manager, user=manager, name="fuzz")[1]}
    status, body = post(
        live_graphql, "{ supportRequests(first: 100) { edges { node { id reference } } } }", headers
    )
    assert status == 200
    pattern = leak_pattern(forbidden_texts(demo_users["requester"]))
    assert pattern.search(body)
