"""The one GraphQL endpoint: session auth with CSRF for the browser, bearer API tokens for scripts.

A request goes through these steps; each refusal is a JSON answer with a code (core.api.responses.CODES):

1. method (GET/POST) and body size (`GRAPHQL_MAX_BODY_BYTES`), before the body is read;
2. authentication: an `Authorization` header other than `Basic` (which a proxy in front may use) must be
   `Bearer <token>` that an authentication backend accepting `bearer_token` (accounts.authentication) knows —
   otherwise 401; only such requests skip the CSRF check;
3. the body: one JSON object (no batches), `query` a string, `variables` an object, `operationName` a string;
4. the document: parsed and validated once per text (core.api.documents, with the limits of core.api.limits);
5. the operation: the named one, or the only one; mutations only over POST;
6. execution. Errors of single fields come back beside the data (format_error); a fault of the whole request is
   logged at ERROR with an id and answered 500 (503 when the database is unreachable) — never an HTML page.
"""

import json
import logging
import re
import uuid

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from graphene_django.views import GraphQLView
from graphql import GraphQLError, OperationDefinitionNode, OperationType, execute

from core.api.documents import DOCUMENTS
from core.api.errors import ExpectedError
from core.api.execution import LeanExecutionContext, never_awaitable
from core.api.limits import contains_nul, validation_rules
from core.api.responses import GENERIC_MESSAGE, UNAVAILABLE, RequestRefused, fault, refused

logger = logging.getLogger("dxdesk.graphql")
SUGGESTION = re.compile(r"\s*Did you mean .*\?$")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def _check_size(request) -> None:
    limit = settings.GRAPHQL_MAX_BODY_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise RequestRefused("Invalid Content-Length.", detail=request.META.get("CONTENT_LENGTH")) from None
    if length > limit or len(request.META.get("QUERY_STRING", "")) > limit:
        raise RequestRefused(
            f"The request is larger than {limit} bytes.", "PAYLOAD_TOO_LARGE", detail=f"{length} bytes"
        )


def _authenticate(request) -> None:
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    scheme, _, credentials = header.partition(" ")
    if header and scheme.lower() != "basic":
        token = credentials.strip()
        if scheme.lower() != "bearer" or not token or any(char.isspace() for char in token):
            raise RequestRefused(
                "Send an API token as `Authorization: Bearer <token>`.",
                "UNAUTHENTICATED",
                detail=f"malformed Authorization header ({scheme[:20]!r}, {len(token)} characters)",
                headers={"WWW-Authenticate": 'Bearer error="invalid_request"'},
            )
        # Whichever authentication backend knows bearer tokens (accounts.authentication) answers.
        user = authenticate(request, bearer_token=token)
        if user is None:
            raise RequestRefused(
                "Invalid or revoked API token.",
                "UNAUTHENTICATED",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        request.user = user
    elif request.method == "POST":
        reason = _CsrfCheck(lambda r: None).process_view(request, None, (), {})
        if reason is not None:
            raise RequestRefused("CSRF verification failed.", "CSRF_FAILED", detail=reason)


def _json(text: str, what: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise RequestRefused(f"{what} is not valid JSON.") from None


def _body(request, content_type: str) -> dict:
    if request.method != "POST":
        return {}
    try:
        if content_type in FORM_TYPES:
            return request.POST.dict()
        if content_type not in ("application/json", "application/graphql"):
            return {}
        text = request.body.decode("utf-8")
    except RequestDataTooBig:
        raise RequestRefused("The request body is too large.", "PAYLOAD_TOO_LARGE") from None
    except (UnicodeDecodeError, MultiPartParserError, SuspiciousOperation) as error:
        raise RequestRefused("The request body cannot be read.", detail=repr(error)) from None
    if content_type == "application/graphql":
        return {"query": text}
    data = _json(text, "The request body")
    if isinstance(data, list):
        raise RequestRefused("Batched operations are not supported: send one operation per request.")
    if not isinstance(data, dict):
        raise RequestRefused("The request body must be a JSON object with a `query` string.")
    return data


def _params(request, data: dict) -> tuple[str, dict, str | None]:
    query = request.GET.get("query") or data.get("query")
    if query is None or query == "" or (isinstance(query, str) and not query.strip()):
        raise RequestRefused("Must provide a query string.")
    if not isinstance(query, str):
        raise RequestRefused("`query` must be a string.", detail=type(query).__name__)
    variables = request.GET.get("variables") or data.get("variables")
    if isinstance(variables, str):
        variables = _json(variables, "`variables`")
    if variables is None:
        variables = {}
    if not isinstance(variables, dict):
        raise RequestRefused("`variables` must be a JSON object.", detail=type(variables).__name__)
    if contains_nul(variables):
        raise RequestRefused("Text may not contain NUL (U+0000) characters.", code="BAD_USER_INPUT")
    operation_name = request.GET.get("operationName") or data.get("operationName") or None
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestRefused("`operationName` must be a string.", detail=type(operation_name).__name__)
    return query, variables, operation_name


def _operation(document, operation_name: str | None) -> OperationDefinitionNode:
    operations = [node for node in document.definitions if isinstance(node, OperationDefinitionNode)]
    if operation_name is not None:
        for operation in operations:
            if operation.name and operation.name.value == operation_name:
                return operation
        raise RequestRefused("No operation of that name in the document.", "OPERATION_NOT_FOUND")
    if len(operations) != 1:
        raise RequestRefused(
            "The document has several operations: name one with `operationName`.", "OPERATION_NOT_FOUND"
        )
    return operations[0]


@method_decorator(csrf_exempt, name="dispatch")
class DXGraphQLView(GraphQLView):
    batch = False
    execution_context_class = LeanExecutionContext

    def __init__(self, **kwargs):
        kwargs.setdefault("validation_rules", validation_rules())
        kwargs.setdefault("graphiql", settings.GRAPHIQL_ENABLED)
        super().__init__(**kwargs)

    @method_decorator(ensure_csrf_cookie)
    def dispatch(self, request, *args, **kwargs):
        try:
            return self._respond(request, *args, **kwargs)
        except RequestRefused as refusal:
            return refused(request, refusal)
        except Exception as error:  # noqa: BLE001 — a server fault: logged with an id, answered in JSON
            return fault(request, error)

    def _respond(self, request, *args, **kwargs):
        if request.method not in ("GET", "POST"):
            raise RequestRefused(
                "GraphQL accepts only GET and POST requests.",
                "METHOD_NOT_ALLOWED",
                headers={"Allow": "GET, POST"},
            )
        _check_size(request)
        _authenticate(request)
        data = _body(request, self.get_content_type(request))
        if self.graphiql and self.can_display_graphiql(request, data):
            return super().dispatch(request, *args, **kwargs)
        query, variables, operation_name = _params(request, data)
        schema = self.schema.graphql_schema
        document, errors = DOCUMENTS.get(schema, query, self.validation_rules)
        if errors:
            return self._refused_document(request, errors)
        operation = _operation(document, operation_name)
        if request.method == "GET" and operation.operation != OperationType.QUERY:
            raise RequestRefused(
                f"A {operation.operation.value} must be sent with POST.",
                "METHOD_NOT_ALLOWED",
                headers={"Allow": "POST"},
            )
        result = execute(
            schema,
            document,
            root_value=self.get_root_value(request),
            context_value=self.get_context(request),
            variable_values=variables,
            operation_name=operation_name,
            middleware=self.get_middleware(request) or None,
            is_awaitable=never_awaitable,
            execution_context_class=self.execution_context_class,
        )
        errors = result.errors or []
        for error in errors:
            if isinstance(error.original_error, UNAVAILABLE):
                raise error.original_error
        if errors and result.data is None and not any(error.path for error in errors):
            for error in errors:  # variable values that do not fit their types: nothing ran
                error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT"}
            return self._refused_document(request, errors)
        body = {"errors": [self.format_error(error) for error in errors]} if errors else {}
        body["data"] = result.data
        return self._json_response(request, body, 200)

    def _refused_document(self, request, errors: list[GraphQLError]):
        codes = sorted(
            {(error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED") for error in errors}
        )
        logger.warning(
            "GraphQL document refused: %s %s",
            ",".join(codes),
            errors[0].message[:200],
            extra={"request": request},
        )
        return self._json_response(request, {"errors": [self.format_error(error) for error in errors]}, 400)

    def _json_response(self, request, body: dict, status: int):
        from django.http import HttpResponse

        return HttpResponse(self.json_encode(request, body), status=status, content_type="application/json")

    @staticmethod
    def format_error(error):
        if not isinstance(error, GraphQLError):
            return {"message": GENERIC_MESSAGE, "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        original = error.original_error
        if original is None or isinstance(original, GraphQLError | ExpectedError):
            formatted = error.formatted
            if not settings.DEBUG:
                formatted["message"] = SUGGESTION.sub("", formatted["message"])
            if isinstance(original, ExpectedError):
                formatted.setdefault("extensions", {})["code"] = original.code
            return formatted
        if isinstance(original, PermissionDenied):
            return {
                "message": "You do not have permission to perform this action.",
                "locations": error.formatted.get("locations"),
                "path": error.path,
                "extensions": {"code": "FORBIDDEN"},
            }
        error_id = uuid.uuid4().hex
        logger.error("GraphQL resolver failed [%s] at %s", error_id, error.path, exc_info=original)
        formatted = {
            "message": GENERIC_MESSAGE,
            "path": error.path,
            "extensions": {"code": "INTERNAL", "errorId": error_id},
        }
        if settings.DEBUG:
            formatted["debug"] = repr(original)
        return formatted
