"""Hostile probes of /graphql/: every one gets a JSON answer with a documented code, never a 500 or an HTML page.

Work and memory are measured by counts, not by the clock: what the document cache holds (in bytes and entries),
and whether the expensive steps (validation, execution) ran at all.
"""

import json
import logging
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from core.api import documents, view
from core.api.documents import DOCUMENTS, DocumentCache
from core.api.responses import CODES

pytestmark = pytest.mark.django_db

ME = "query { me { email } }"
WITHDRAW = 'mutation { withdrawSupportRequest(reference: "DX-2025-0001") { errors { code } } }'


def post(body, *, content_type="application/json", client=None, **extra):
    client = client or Client(raise_request_exception=False)
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/graphql/", data, content_type=content_type, **extra)


def refusal(response) -> str:
    """The code of a refused request, after checking its shape: JSON, one error, a documented code and status."""
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    code = errors[0]["extensions"]["code"]
    assert code in CODES, code
    assert response.status_code == CODES[code]
    assert "data" not in response.json()
    return code


# Refusals of a valid document (the operation or the variables do not fit): the document itself may be cached.
VALID_DOCUMENT_CODES = {"OPERATION_NOT_FOUND", "BAD_USER_INPUT"}
MALFORMED = [
    pytest.param(b"not json", "BAD_REQUEST", id="not-json"),
    pytest.param(b"\xff\xfe{}", "BAD_REQUEST", id="not-utf8"),
    pytest.param(b"[" * 100_000, "BAD_REQUEST", id="json-nested-too-deep"),
    pytest.param([{"query": ME}], "BAD_REQUEST", id="batch"),
    pytest.param("a string", "BAD_REQUEST", id="json-string"),
    pytest.param(42, "BAD_REQUEST", id="json-number"),
    pytest.param({}, "BAD_REQUEST", id="no-query"),
    pytest.param({"query": None}, "BAD_REQUEST", id="query-null"),
    pytest.param({"query": "   "}, "BAD_REQUEST", id="query-blank"),
    pytest.param({"query": ["{ me { email } }"]}, "BAD_REQUEST", id="query-list"),
    pytest.param({"query": 7}, "BAD_REQUEST", id="query-number"),
    pytest.param({"query": {"a": 1}}, "BAD_REQUEST", id="query-object"),
    pytest.param({"query": True}, "BAD_REQUEST", id="query-bool"),
    pytest.param({"query": ME, "variables": [1]}, "BAD_REQUEST", id="variables-list"),
    pytest.param({"query": ME, "variables": 3}, "BAD_REQUEST", id="variables-number"),
    pytest.param({"query": ME, "variables": "{oops"}, "BAD_REQUEST", id="variables-bad-json-string"),
    pytest.param({"query": ME, "variables": "[1]"}, "BAD_REQUEST", id="variables-string-of-list"),
    pytest.param({"query": ME, "operationName": 5}, "BAD_REQUEST", id="operation-name-number"),
    pytest.param({"query": ME, "operationName": ["Me"]}, "BAD_REQUEST", id="operation-name-list"),
    pytest.param(
        {"query": "query A { me { email } }", "operationName": "B"}, "OPERATION_NOT_FOUND", id="unknown-op"
    ),
    pytest.param(
        {"query": "query A { me { email } } query B { me { email } }"}, "OPERATION_NOT_FOUND", id="two-ops"
    ),
    pytest.param({"query": "{ me { email }"}, "GRAPHQL_PARSE_FAILED", id="syntax"),
    pytest.param({"query": "{ me { nonsense } }"}, "GRAPHQL_VALIDATION_FAILED", id="unknown-field"),
    pytest.param({"query": "{ me { ...Nowhere } }"}, "GRAPHQL_VALIDATION_FAILED", id="unknown-fragment"),
    pytest.param(
        {"query": "{ me { ...F } } fragment F on Me { ...F }"}, "GRAPHQL_VALIDATION_FAILED", id="cycle"
    ),
    pytest.param({"query": "subscription { me { email } }"}, "GRAPHQL_VALIDATION_FAILED", id="subscription"),
    pytest.param(
        {"query": "query ($n: Int!) { organizations(first: $n) { totalCount } }", "variables": {"n": "x"}},
        "BAD_USER_INPUT",
        id="variable-wrong-type",
    ),
    pytest.param(
        {"query": "query ($n: Int!) { organizations(first: $n) { totalCount } }"},
        "BAD_USER_INPUT",
        id="variable-missing",
    ),
    pytest.param({"query": "{ " + "me { " * 300 + "}" * 301}, "DEPTH_LIMIT", id="nested-past-the-parser"),
    pytest.param(
        {"query": "{ organizations { edges { node " + "{ parent " * 12 + "{ code }" + " }" * 12 + " } } }"},
        "DEPTH_LIMIT",
        id="deep",
    ),
    pytest.param(
        {"query": "{ " + " ".join(f"a{i}: me {{ email }}" for i in range(40)) + " }"},
        "TOO_MANY_ALIASES",
        id="aliases",
    ),
    pytest.param({"query": "{ me { " + "email " * 600 + "} }"}, "QUERY_TOO_COMPLEX", id="repeated-field"),
    pytest.param(
        {
            "query": "{ supportRequests(first: 100) { edges { node { comments { body request {"
            + " comments { id body internal created authorName } } } } } } }"
        },
        "QUERY_TOO_COMPLEX",
        id="costly-nested-pages",
    ),
    pytest.param(
        {
            "query": "{ me { ...F0 } } "
            + " ".join(f"fragment F{i} on Me {{ ...F{i + 1} ...F{i + 1} }}" for i in range(15))
            + " fragment F15 on Me { email }"
        },
        "QUERY_TOO_COMPLEX",
        id="fragment-bomb",
    ),
    pytest.param(
        {"query": "{ __schema { types { name } } }"}, "GRAPHQL_VALIDATION_FAILED", id="introspection"
    ),
]


@pytest.mark.parametrize(("body", "code"), MALFORMED)
def test_malformed_requests_get_a_client_error_with_its_code(body, code, requester, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(requester)
    entries = len(DOCUMENTS.entries)
    with caplog.at_level(logging.WARNING, logger="dxdesk.graphql"):
        response = post(body, client=client)
    assert refusal(response) == code
    if code not in VALID_DOCUMENT_CODES:
        assert len(DOCUMENTS.entries) == entries  # an invalid document is not kept
    ours = [record.levelno for record in caplog.records if record.name == "dxdesk.graphql"]
    assert ours == [logging.WARNING]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer    ",
        "bearer\tdxd_x",
        "Bearer dxd_a dxd_b",
        "Token dxd_abc",
        "dxd_abc",
        "Bearer dxd_nope",
    ],
)
def test_missing_or_malformed_bearer_token_is_401_not_a_csrf_failure(header, requester):
    response = post({"query": ME}, HTTP_AUTHORIZATION=header)
    assert refusal(response) == "UNAUTHENTICATED"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_basic_auth_of_a_proxy_in_front_is_left_to_the_session(requester):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(requester)
    assert (
        refusal(post({"query": ME}, client=client, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")) == "CSRF_FAILED"
    )


def test_mutation_over_get_is_refused_and_changes_nothing(requester):
    from support.models import SupportRequest

    client = Client(raise_request_exception=False)
    client.force_login(requester)
    before = list(SupportRequest.objects.values_list("pk", "status"))
    response = client.get("/graphql/", {"query": WITHDRAW}, HTTP_ACCEPT="application/json")
    assert refusal(response) == "METHOD_NOT_ALLOWED"
    assert list(SupportRequest.objects.values_list("pk", "status")) == before


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_405_json(method):
    response = getattr(Client(), method)(
        "/graphql/", json.dumps({"query": ME}), content_type="application/json"
    )
    assert refusal(response) == "METHOD_NOT_ALLOWED"
    assert "POST" in response["Allow"]


def test_body_over_the_limit_is_413_before_it_is_read(requester, settings):
    settings.GRAPHQL_MAX_BODY_BYTES = 100 * 1024
    huge = json.dumps({"query": "{ me { email } }", "padding": "x" * (5 * 1024 * 1024)})
    with mock.patch.object(view, "_body", wraps=view._body) as read:
        response = post(huge)
    assert refusal(response) == "PAYLOAD_TOO_LARGE"
    read.assert_not_called()


def test_djangos_own_body_limit_is_also_answered_413(settings):
    settings.GRAPHQL_MAX_BODY_BYTES = 10 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = post({"query": "{ me { email } }", "padding": "x" * 4096})
    assert refusal(response) == "PAYLOAD_TOO_LARGE"


def test_the_300k_field_query_is_refused_by_the_token_limit_before_validation_or_execution(settings):
    settings.GRAPHQL_MAX_BODY_BYTES = 10 * 1024 * 1024  # let it past the body limit to reach the parser
    query = "{ " + "__typename " * 300_000 + "}"
    with (
        mock.patch.object(documents, "validate", wraps=documents.validate) as validate,
        mock.patch.object(view, "execute", wraps=view.execute) as execute,
    ):
        response = post({"query": query})
    assert refusal(response) == "QUERY_TOO_COMPLEX"
    validate.assert_not_called()
    execute.assert_not_called()


def test_limits_run_before_the_full_validation(requester):
    """The field, cost and depth limits are checked alone first: the quadratic rules never see a huge document."""
    with mock.patch.object(documents, "validate", wraps=documents.validate) as validate:
        response = post({"query": "{ me { " + "email " * 600 + "} }"})
    assert refusal(response) == "QUERY_TOO_COMPLEX"
    assert validate.call_count == 1  # the limit rule alone; the specified rules did not run


def test_the_cache_keeps_only_valid_documents_within_its_byte_bound(requester, settings):
    settings.GRAPHQL_DOCUMENT_CACHE_BYTES = 1024 * 1024
    DOCUMENTS.clear()
    client = Client(raise_request_exception=False)
    client.force_login(requester)
    for i in range(20):  # valid documents of ~90 KB each (a long comment): more than the bound holds
        text = f"{{ me {{ email }} }} # {i:02d}{'x' * 90_000}"
        assert post({"query": text}, client=client).status_code == 200
        assert DOCUMENTS.bytes <= settings.GRAPHQL_DOCUMENT_CACHE_BYTES
    assert 0 < len(DOCUMENTS.entries) < 20
    kept = DOCUMENTS.bytes
    for i in range(20):  # invalid documents of ~90 KB each: none is kept
        post({"query": f"{{ me {{ nonsense }} }} # {i:02d}{'x' * 90_000}"}, client=client)
    for i in range(20):  # and bodies of 5 MB never reach it
        post({"query": f"{{ me {{ email }} }} #{i}{'x' * 5_000_000}"}, client=client)
    assert DOCUMENTS.bytes == kept


def test_a_cached_document_is_parsed_once(requester):
    client = Client()
    client.force_login(requester)
    query = "query CachedOnce { me { email displayName } }"
    post({"query": query}, client=client)
    with mock.patch.object(documents, "parse", wraps=documents.parse) as parse:
        response = post({"query": query}, client=client)
    assert response.json()["data"]["me"]["email"] == "requester@example.com"
    parse.assert_not_called()


def test_cache_evicts_the_least_recently_used_past_its_bound():
    from config.schema import schema
    from core.api.limits import validation_rules

    cache = DocumentCache(max_bytes=60_000)
    rules = validation_rules()
    texts = [f"query Q{i} {{ me {{ email displayName roles }} }}" for i in range(200)]
    for text in texts:
        document, errors = cache.get(schema.graphql_schema, text, rules)
        assert document is not None and not errors
    assert cache.bytes <= 60_000
    assert 1 < len(cache.entries) < 200
    assert cache.bytes == sum(size for _, size in cache.entries.values())
    assert list(cache.entries)[-1][-1] == texts[-1]


@pytest.mark.parametrize("who", ["session", "token"])
def test_database_down_gives_503_json(who, requester, caplog, settings):
    from accounts.tokens import api_token_create

    client = Client(raise_request_exception=False)
    extra = {}
    if who == "session":
        client.force_login(requester)
    if who == "token":
        extra["HTTP_AUTHORIZATION"] = (
            "Bearer " + api_token_create(actor=requester, user=requester, name="x")[1]
        )
    request = {"query": "query DbDown { me { email } organizations { totalCount } }"}
    with caplog.at_level(logging.ERROR, logger="dxdesk.graphql"), database_down():
        response = post(request, client=client, **extra)
    assert refusal(response) == "SERVICE_UNAVAILABLE"
    error = response.json()["errors"][0]
    assert "connect" not in error["message"]
    assert any(error["extensions"]["errorId"] in record.getMessage() for record in caplog.records)


def test_the_cache_counts_at_least_the_memory_a_parsed_document_retains():
    """The byte bound is honest: for every example operation, what parsing really keeps (tracemalloc) is no more
    than what the cache counts for it."""
    import gc
    import tracemalloc
    from pathlib import Path

    from django.conf import settings as django_settings

    texts = [
        path.read_text() for path in Path(django_settings.BASE_DIR, "graphql", "operations").glob("*.graphql")
    ]
    texts = [*sorted(texts, key=len)[:: len(texts) // 4], "{ me { email } } # " + "x" * 90_000]
    for text in texts:
        documents.parse(text)  # warm up the parser's own caches (names, lexer tables)
    gc.disable()  # collections would be slow here, and the parser leaves no cyclic garbage to measure wrongly
    try:
        for text in texts:
            text += "\n# a fresh copy of the text"
            tracemalloc.start()
            document = documents.parse(text)
            retained = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            assert retained <= documents.document_bytes(text, document), text[:80]
    finally:
        gc.enable()


@contextmanager
def database_down():
    """Every new cursor or connection attempt fails, as when the database server is unreachable."""

    def refuse(*_args, **_kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    with (
        mock.patch.object(connection, "ensure_connection", refuse),
        mock.patch.object(connection, "cursor", refuse),
    ):
        yield


@pytest.mark.parametrize("debug", [False, True])
def test_a_server_fault_is_json_with_an_error_id_and_no_detail_in_production(debug, settings, caplog):
    settings.DEBUG = debug

    def crash(*_args, **_kwargs):
        raise RuntimeError("secret detail of the fault")

    with mock.patch.object(view, "execute", crash), caplog.at_level(logging.ERROR, logger="dxdesk.graphql"):
        response = post({"query": ME})
    assert refusal(response) == "INTERNAL_SERVER_ERROR"
    error = response.json()["errors"][0]
    assert ("secret detail" in response.content.decode()) is debug
    logged = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert error["extensions"]["errorId"] in logged[0].getMessage()
    assert "secret detail" in caplog.text


def test_client_errors_are_logged_as_warnings_with_their_detail(caplog):
    with caplog.at_level(logging.WARNING, logger="dxdesk.graphql"):
        response = post({"query": ME, "variables": [1, 2]})
    assert refusal(response) == "BAD_REQUEST"
    (record,) = [record for record in caplog.records if record.name == "dxdesk.graphql"]
    assert record.levelno == logging.WARNING
    assert "list" in record.getMessage()


# What the fuzzer found: arguments that graphene / graphql-relay answered with an internal error.


@pytest.mark.parametrize("node_id", ["", "not base64!", "bm9wZTox", "UXVlcnk6MQ=="])
def test_node_with_an_id_of_no_node_answers_null(node_id, gql, requester):
    result = gql(requester).execute("query ($id: ID!) { node(id: $id) { id } }", {"id": node_id})
    assert result == {"data": {"node": None}}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ workload(first: -1) { totalCount } }", "BAD_PAGE_SIZE"),
        ("{ workload(last: -3) { totalCount } }", "BAD_PAGE_SIZE"),
        ("{ workload(first: 101) { totalCount } }", "PAGE_SIZE_TOO_LARGE"),
        ("{ jobTypes(offset: -2) { totalCount } }", "BAD_PAGE_SIZE"),
        ('{ jobTypes(offset: 1, before: "YXJyYXljb25uZWN0aW9uOjE=") { totalCount } }', "BAD_USER_INPUT"),
        ('{ supportRequests(offset: 2, after: "garbage") { totalCount } }', "BAD_USER_INPUT"),
        (
            '{ supportRequests(after: "YXJyYXljb25uZWN0aW9uOi01") { totalCount } }',
            "BAD_USER_INPUT",
        ),  # offset -5
    ],
)
def test_page_arguments_that_crashed_graphene_get_a_code(query, code, gql, ict_manager):
    from tests.conftest import codes

    result = gql(ict_manager).execute(query)
    assert codes(result) == [code]


def test_a_valid_cursor_still_pages(gql, ict_manager, ward, other_ward):
    first = gql(ict_manager).execute("{ organizations(first: 1) { edges { cursor node { code } } } }")
    edge = first["data"]["organizations"]["edges"][0]
    result = gql(ict_manager).execute(
        "query ($after: String) { organizations(first: 1, after: $after) { edges { node { code } } } }",
        {"after": edge["cursor"]},
    )
    assert "errors" not in result
    assert result["data"]["organizations"]["edges"][0]["node"]["code"] != edge["node"]["code"]


@pytest.mark.parametrize(("debug", "allowed"), [(False, False), (True, True)])
def test_introspection_only_in_development(debug, allowed, settings, requester):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    client.force_login(requester)
    response = post({"query": "{ __schema { queryType { name } } }"}, client=client)
    if allowed:
        assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"
    else:
        assert refusal(response) == "GRAPHQL_VALIDATION_FAILED"


NUL_SUBMIT = (
    'mutation($t: String!) { submitSupportRequest(title: $t, description: "%s", category: "website", '
    "phase: PLANNING) { errors { code } } }"
)


@pytest.mark.parametrize(
    "body",
    [
        {"query": NUL_SUBMIT % "\\u0000", "variables": {"t": "件名"}},  # a NUL in a string literal
        {"query": NUL_SUBMIT % "説明", "variables": {"t": "件\u0000名"}},  # a NUL in a variable
    ],
    ids=["literal", "variable"],
)
def test_text_with_a_nul_character_is_a_client_error_and_writes_nothing(body, requester):
    # PostgreSQL refuses NUL in text columns: found by the fuzzer as a 500 deep in a write.
    from support.models import SupportRequest

    client = Client(raise_request_exception=False)
    client.force_login(requester)
    client.get("/graphql/")  # the CSRF cookie
    response = post(body, client=client, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] in {
        "BAD_USER_INPUT",
        "GRAPHQL_VALIDATION_FAILED",
    }
    assert not SupportRequest.objects.exists()
