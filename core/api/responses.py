"""The answers of /graphql/ that are not the result of running an operation: refusals and faults.

Every one is JSON, `{"errors": [{"message": …, "extensions": {"code": …}}]}`, with a code from `CODES` (listed in
the README). Client errors are logged at WARNING with their detail; server faults at ERROR with an error id that
the answer carries (`extensions.errorId`), and only DEBUG shows their detail to the client.
"""

import json
import logging
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

logger = logging.getLogger("dxdesk.graphql")

# Codes a whole request can be refused with (HTTP status), besides the per-field codes of execution errors
# (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, PAGE_SIZE_TOO_LARGE, BAD_PAGE_SIZE, INTERNAL) and the payload `errors` of
# mutations.
CODES = {
    "BAD_REQUEST": 400,  # not JSON, not an object, a batch, no query, `query`/`variables`/`operationName` mistyped
    "GRAPHQL_PARSE_FAILED": 400,
    "GRAPHQL_VALIDATION_FAILED": 400,
    "BAD_USER_INPUT": 400,  # variable values that do not fit their declared types
    "OPERATION_NOT_FOUND": 400,  # unknown operationName, or several operations and none named
    "QUERY_TOO_COMPLEX": 400,  # GRAPHQL_MAX_TOKENS or GRAPHQL_MAX_COST
    "TOO_MANY_ALIASES": 400,  # GRAPHQL_MAX_ALIASES
    "DEPTH_LIMIT": 400,  # GRAPHQL_MAX_DEPTH
    "UNAUTHENTICATED": 401,  # a missing, malformed, unknown or revoked API token
    "CSRF_FAILED": 403,
    "METHOD_NOT_ALLOWED": 405,  # neither GET nor POST, or a mutation over GET
    "PAYLOAD_TOO_LARGE": 413,  # GRAPHQL_MAX_BODY_BYTES
    "INTERNAL_SERVER_ERROR": 500,
    "SERVICE_UNAVAILABLE": 503,  # the database cannot be reached
}
GENERIC_MESSAGE = "Internal server error."
UNAVAILABLE_MESSAGE = "The service is temporarily unavailable; try again shortly."
UNAVAILABLE = (OperationalError, InterfaceError)


class RequestRefused(Exception):
    """A client error about the whole request: answered with `code` and its HTTP status, logged at WARNING."""

    def __init__(
        self, message: str, code: str = "BAD_REQUEST", *, detail: str = "", headers: dict | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = CODES[code]
        self.detail = detail
        self.headers = headers or {}


def json_response(errors: list[dict], status: int, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps({"errors": errors}, separators=(",", ":")), status=status, content_type="application/json"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def refused(request, refusal: RequestRefused) -> HttpResponse:
    logger.warning(
        "GraphQL request refused: %s %s%s",
        refusal.code,
        refusal.message,
        f" ({refusal.detail})" if refusal.detail else "",
        extra={"request": request, "status_code": refusal.status},
    )
    error = {"message": refusal.message, "extensions": {"code": refusal.code}}
    return json_response([error], refusal.status, refusal.headers)


def fault(request, error: BaseException) -> HttpResponse:
    """A server fault: logged at ERROR with a fresh id; the client gets the id and a generic message."""
    error_id = uuid.uuid4().hex
    unavailable = isinstance(error, UNAVAILABLE)
    code = "SERVICE_UNAVAILABLE" if unavailable else "INTERNAL_SERVER_ERROR"
    logger.error("GraphQL request failed [%s] %s", error_id, code, exc_info=error, extra={"request": request})
    body = {
        "message": UNAVAILABLE_MESSAGE if unavailable else GENERIC_MESSAGE,
        "extensions": {"code": code, "errorId": error_id},
    }
    if settings.DEBUG:
        body["extensions"]["debug"] = repr(error)
    return json_response([body], CODES[code], {"Retry-After": "30"} if unavailable else None)
