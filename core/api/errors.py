"""Errors in the GraphQL API.

* Expected failures of a mutation (bad input, refused transition) come back in the payload's
  `errors: [{field, code, message}]`, built from Django's ValidationError by `errors_from`.
* Refusals of a whole operation (not signed in, not found) raise an `ExpectedError` subclass, which reaches the
  client as a GraphQL error with `extensions.code`.
"""

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from graphql import GraphQLError


class ExpectedError(GraphQLError):
    code = "BAD_REQUEST"

    def __init__(self, message: str, code: str | None = None):
        if code:
            self.code = code
        super().__init__(str(message), extensions={"code": self.code})


class Unauthenticated(ExpectedError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in first."):
        super().__init__(message)


class Forbidden(ExpectedError):
    code = "FORBIDDEN"

    def __init__(self, message: str = "You do not have permission to perform this action."):
        super().__init__(message)


class NotFound(ExpectedError):
    code = "NOT_FOUND"

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class FieldError(graphene.ObjectType):
    """An expected failure of a mutation: which input field (null for the whole input), a stable code, a message."""

    field = graphene.String()
    code = graphene.String(
        required=True,
        description="A stable code: one of the values of the mutating app's `…ErrorCode` enum, in lower case.",
    )
    message = graphene.String(required=True)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def errors_from(error: ValidationError) -> list[FieldError]:
    """Turn a Django ValidationError (with or without a field dict) into the payload's error list."""
    result: list[FieldError] = []
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                result.append(
                    FieldError(
                        field=None if field == NON_FIELD_ERRORS else _camel(field),
                        code=item.code or "invalid",
                        message=" ".join(str(m) for m in item),
                    )
                )
    else:
        for item in error.error_list:
            result.append(
                FieldError(field=None, code=item.code or "invalid", message=" ".join(str(m) for m in item))
            )
    return result


def require_user(info):
    """The signed-in user of a resolver, or an UNAUTHENTICATED error."""
    user = info.context.user
    if not user.is_authenticated:
        raise Unauthenticated()
    return user
