"""The one GraphQL endpoint: session auth with CSRF for the browser, bearer API tokens for scripts.

A bearer token is checked by whichever authentication backend accepts `bearer_token` (settings
AUTHENTICATION_BACKENDS); only such requests skip the CSRF check.

Validation keeps graphql-core's specified rules (passing `validation_rules` to graphene's view *replaces* them) and
adds a depth limit, an alias limit and, outside development, no schema introspection and no field suggestions.
Unexpected exceptions are logged and answered with a generic message.
"""

import logging
import re
from collections import OrderedDict
from threading import Lock

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView
from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
)
from graphql import validate as validate_document
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationRule

from core.api.errors import ExpectedError

logger = logging.getLogger("dxdesk.graphql")
SUGGESTION = re.compile(r"\s*Did you mean .*\?$")
GENERIC_MESSAGE = "Internal server error."


def alias_limit_validator(max_aliases: int):
    class AliasLimitRule(ValidationRule):
        def __init__(self, context):
            super().__init__(context)
            self.count = 0

        def enter_field(self, node, *_args):
            if node.alias is not None:
                self.count += 1
                if self.count == max_aliases + 1:
                    self.report_error(
                        GraphQLError(
                            f"Too many aliases: at most {max_aliases} per operation.",
                            node,
                            extensions={"code": "TOO_MANY_ALIASES"},
                        )
                    )

    return AliasLimitRule


def validation_rules() -> tuple:
    rules = [
        *specified_rules,
        depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH),
        alias_limit_validator(settings.GRAPHQL_MAX_ALIASES),
    ]
    if not settings.DEBUG:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


class DocumentCache:
    """Parsed and validated documents by query text (an LRU): the same operation is parsed and validated once.

    Validation depends only on the schema and the rules, which are fixed for a view, so its result is cached too.
    """

    def __init__(self, size: int = 512):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = Lock()

    def get(self, schema, query: str, rules):
        key = (id(schema), id(rules), query)
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                return entry
        try:
            document = parse(query)
        except GraphQLError as error:
            return None, [error]
        errors = validate_document(schema, document, rules)
        with self.lock:
            self.entries[key] = (document, errors)
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return document, errors


DOCUMENTS = DocumentCache()


def _never_awaitable(_value) -> bool:
    """Every resolver here is synchronous: spare graphql-core its awaitable check on each of thousands of values."""
    return False


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


@method_decorator(csrf_exempt, name="dispatch")
class DXGraphQLView(GraphQLView):
    batch = False

    def __init__(self, **kwargs):
        kwargs.setdefault("validation_rules", validation_rules())
        kwargs.setdefault("graphiql", settings.GRAPHIQL_ENABLED)
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.lower().startswith("bearer "):
            # Whichever authentication backend knows bearer tokens (accounts.authentication) answers.
            user = authenticate(request, bearer_token=header[7:].strip())
            if user is None:
                return self._error_response(request, "Invalid or revoked API token.", "UNAUTHENTICATED", 401)
            request.user = user
        elif request.method == "POST":
            reason = _CsrfCheck(lambda r: None).process_view(request, None, (), {})
            if reason is not None:
                return self._error_response(request, "CSRF verification failed.", "CSRF_FAILED", 403)
        return super().dispatch(request, *args, **kwargs)

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        """graphene-django's execution with cached parse/validation and synchronous execution."""
        from graphene_django.views import HttpError

        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        schema = self.schema.graphql_schema
        document, errors = DOCUMENTS.get(schema, query, self.validation_rules)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        operation = get_operation_ast(document, operation_name)
        if (
            request.method.lower() == "get"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"], f"Can only perform a {operation.operation.value} operation from a POST request."
                )
            )
        try:
            return execute(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                is_awaitable=_never_awaitable,
            )
        except Exception as error:  # noqa: BLE001 — reported to the client through format_error
            return ExecutionResult(errors=[error])

    def _error_response(self, request, message, code, status):
        from django.http import HttpResponse

        body = self.json_encode(request, {"errors": [{"message": message, "extensions": {"code": code}}]})
        return HttpResponse(body, status=status, content_type="application/json")

    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError):
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
            logger.error("GraphQL resolver failed", exc_info=original)
            formatted = {"message": GENERIC_MESSAGE, "path": error.path, "extensions": {"code": "INTERNAL"}}
            if settings.DEBUG:
                formatted["debug"] = repr(original)
            return formatted
        logger.error("GraphQL request failed: %r", error)
        return {"message": str(error) if settings.DEBUG else GENERIC_MESSAGE}
