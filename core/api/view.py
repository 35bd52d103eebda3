"""The one GraphQL endpoint: session auth with CSRF for the browser, bearer API tokens for scripts.

Validation keeps graphql-core's specified rules (passing `validation_rules` to graphene's view *replaces* them) and
adds a depth limit, an alias limit and, outside development, no schema introspection and no field suggestions.
Unexpected exceptions are logged and answered with a generic message.
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView
from graphql import GraphQLError, specified_rules
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
        from accounts.tokens import authenticate_bearer

        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.lower().startswith("bearer "):
            user = authenticate_bearer(header[7:].strip())
            if user is None:
                return self._error_response(request, "Invalid or revoked API token.", "UNAUTHENTICATED", 401)
            request.user = user
        elif request.method == "POST":
            reason = _CsrfCheck(lambda r: None).process_view(request, None, (), {})
            if reason is not None:
                return self._error_response(request, "CSRF verification failed.", "CSRF_FAILED", 403)
        return super().dispatch(request, *args, **kwargs)

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
