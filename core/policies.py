"""The shape of a permission rule, shared by every app's policies.py (core knows no app).

A rule is written once, as a function that returns why an actor may *not* do something (a PermissionDenied when
the actor has no business doing it, a ValidationError with a code when the object's state forbids it now) or None
when it is allowed. It is then asked two ways, so views, buttons, GraphQL and services cannot disagree:

    policies.can_rate(user, request)          → bool (buttons, navigation, resolvers)
    policies.can_rate.check(actor, request)   → raises the refusal (services; views flash a ValidationError)

The navigation asks the rules through `register_nav_rules`: each app registers the user-level answers its menus
need (`{"submit_request": policies.can_submit}`) and the context processor exposes them as `can.<name>`,
each computed at most once per request.
"""

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError

Refusal = PermissionDenied | ValidationError


class Rule:
    """A refusal function asked as a yes/no question (`rule(...)`) or as a check that raises (`rule.check(...)`)."""

    def __init__(self, refusal: Callable[..., Refusal | None]):
        self.refusal = refusal
        functools.update_wrapper(self, refusal)

    def __call__(self, *args, **kwargs) -> bool:
        return self.refusal(*args, **kwargs) is None

    def check(self, *args, **kwargs) -> None:
        error = self.refusal(*args, **kwargs)
        if error is not None:
            raise error


def rule(refusal: Callable[..., Refusal | None]) -> Rule:
    return Rule(refusal)


def denied(message) -> PermissionDenied:
    return PermissionDenied(message)


def state_error(field: str | None, message, code: str, **params) -> ValidationError:
    """A refusal because of the object's state now (not the actor): a ValidationError with a code."""
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: error}) if field else error


#: name → user-level rule (one argument: the user), registered by each app in its AppConfig.ready().
NAV_RULES: dict[str, Callable[[object], bool]] = {}


def register_nav_rules(rules: dict[str, Callable[[object], bool]]) -> None:
    NAV_RULES.update(rules)


class UserAnswers:
    """`can.<name>` in templates: the registered rule asked for this user on first use, then remembered."""

    def __init__(self, user, rules: dict[str, Callable[[object], bool]] | None = None):
        self._user = user
        self._rules = NAV_RULES if rules is None else rules
        self._answers: dict[str, bool] = {}

    def __getitem__(self, name: str) -> bool:
        if name not in self._answers:
            if name not in self._rules:
                raise KeyError(name)
            self._answers[name] = bool(self._rules[name](self._user))
        return self._answers[name]

    def __contains__(self, name: str) -> bool:
        return name in self._rules
