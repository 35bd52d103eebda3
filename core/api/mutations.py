"""The one mutation base (in the manner of Saleor's `BaseMutation`).

A mutation declares what it needs as metadata and writes only what is its own: parse the arguments, call the
service, build the payload.

    class WithdrawSupportRequest(BaseMutation):
        class Arguments:
            reference = graphene.String(required=True)

        class Meta:
            description = "…"                         # required (or a docstring): refused at import time otherwise
            object_permission = policies.can_withdraw  # and/or `permission` (user only); at least one is required
            error_codes = SupportErrorCode             # the enum of `errors { code }` values it may return

        @classmethod
        def get_target(cls, info, user, reference, **_): ...   # the object acted on; NotFound when not visible

        @classmethod
        def perform_mutation(cls, info, user, target, **data):
            services.request_withdraw(actor=user, request=target, note=data.get("note") or "")
            return cls.success(support_request=…)

Centrally, before `perform_mutation` runs: the user must be signed in (UNAUTHENTICATED), pass every `permission`
(a policy over the user; FORBIDDEN), the target must be found (`get_target`, NOT_FOUND) and pass every
`object_permission` (a policy over the user and the target; FORBIDDEN). Then, in one place: a service's
`ValidationError` becomes the payload's `errors { field code message }` (via `failure`), and a service's
`PermissionDenied` the FORBIDDEN GraphQL error.
"""

import logging
from collections.abc import Callable, Iterable

import graphene
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from graphene.types.mutation import MutationOptions

from core.api.errors import Forbidden, errors_from, require_user
from core.policies import Rule

logger = logging.getLogger("dxdesk.graphql")


def signed_in(user) -> bool:
    """The policy of a mutation open to every signed-in user (its service decides the rest)."""
    return bool(getattr(user, "is_authenticated", False))


def _policies(value) -> tuple[Callable, ...]:
    if value is None:
        return ()
    if callable(value):
        return (value,)
    return tuple(value)


class BaseMutationOptions(MutationOptions):
    permission: tuple[Callable, ...] = ()
    object_permission: tuple[Callable, ...] = ()
    permission_message: str | None = None
    error_codes: type[graphene.Enum] | None = None


class BaseMutation(graphene.Mutation):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls,
        permission=None,
        object_permission=None,
        permission_message=None,
        error_codes=None,
        _meta=None,
        **options,
    ):
        if not _meta:
            _meta = BaseMutationOptions(cls)
        _meta.permission = _policies(permission)
        _meta.object_permission = _policies(object_permission)
        _meta.permission_message = permission_message
        _meta.error_codes = error_codes
        if not (options.get("description") or (cls.__doc__ or "").strip()):
            raise ImproperlyConfigured(f"{cls.__name__}: a mutation needs a description (Meta or docstring).")
        if not (_meta.permission or _meta.object_permission):
            raise ImproperlyConfigured(
                f"{cls.__name__}: declare Meta.permission and/or Meta.object_permission "
                "(core.api.mutations.signed_in for a mutation open to every signed-in user)."
            )
        if error_codes is None:
            raise ImproperlyConfigured(
                f"{cls.__name__}: declare Meta.error_codes (the app's error-code enum)."
            )
        super().__init_subclass_with_meta__(_meta=_meta, **options)

    # --- what a mutation writes ---------------------------------------------------------------------------------

    @classmethod
    def get_target(cls, info, user, **data):
        """The object the mutation acts on, looked up in the user's scope (raise NotFound); None when none."""
        return None

    @classmethod
    def perform_mutation(cls, info, user, target, **data):
        """Call the service and return the payload (`cls.success(...)`)."""
        raise NotImplementedError

    @classmethod
    def success(cls, **fields):
        return cls._meta.output(errors=[], **fields)

    @classmethod
    def failure(cls, errors: list, target):
        """The payload for expected failures; a mutation whose payload shows the target anyway overrides this."""
        return cls._meta.output(errors=errors)

    # --- the central part ---------------------------------------------------------------------------------------

    @classmethod
    def check(cls, allowed: bool) -> None:
        if not allowed:
            raise Forbidden(*([cls._meta.permission_message] if cls._meta.permission_message else []))

    @classmethod
    def mutate(cls, root, info, **data):
        user = require_user(info)
        for policy in cls._meta.permission:
            cls.check(policy(user))
        target = cls.get_target(info, user, **data)
        try:
            for policy in cls._meta.object_permission:
                if isinstance(policy, Rule):  # refused for the state now → a coded error, not FORBIDDEN
                    policy.check(user, target)
                else:
                    cls.check(policy(user, target))
            return cls.perform_mutation(info, user, target, **data)
        except ValidationError as error:
            errors = errors_from(error)
            cls.report_unlisted(error.code for error in errors)
            return cls.failure(errors, target)
        except PermissionDenied as denied:
            raise Forbidden(*([str(denied)] if str(denied) else [])) from denied

    @classmethod
    def report_unlisted(cls, codes: Iterable[str]) -> None:
        """A code missing from the published enum is a bug in the enum: logged, the client still gets the code."""
        listed = error_code_values(cls._meta.error_codes)
        for code in codes:
            if code not in listed:
                logger.error(
                    "%s returned error code %r, which %s does not list",
                    cls.__name__,
                    code,
                    cls._meta.error_codes.__name__,
                )


# --- error codes as schema enums ----------------------------------------------------------------------------------

# Codes Django's own validation gives (model full_clean, form fields); any mutation that saves a model may return them.
DJANGO_CODES = (
    "invalid",
    "required",
    "blank",
    "null",
    "max_length",
    "min_length",
    "invalid_choice",
    "min_value",
    "max_value",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "unique",
    "unique_together",
)


def error_code_enum(name: str, codes: Iterable[str], subject: str) -> type[graphene.Enum]:
    """A schema enum of the `FieldError.code` values one app's mutations may return (Django's own included).

    GraphQL enum values are conventionally upper case (and `null` may not be one), so each member is the code in
    upper case; `FieldError.code` stays a String for existing clients and carries the same code in lower case.
    """
    values = sorted(set(codes) | set(DJANGO_CODES))
    description = (
        f"The codes `FieldError.code` can take in the payload of a {subject} mutation: `code` (a String) is "
        "always one of these values, written in lower case (INVALID_CHOICE is returned as invalid_choice)."
    )
    return graphene.Enum(name, [(code.upper(), code) for code in values], description=description)


def error_code_values(enum: type[graphene.Enum]) -> frozenset[str]:
    return frozenset(member.value for member in enum._meta.enum)
