"""Writes about signing in: the accounts audit (sign-in, sign-out, failures, lockouts, factors) and the changes
that SSO and administrators make to who a user is (organisation, roles, active).

Signal receivers (accounts/signals.py) only call these; the recording lives here. Every event carries the request's
source address (core.audit) and, where something changed, the values before and after.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Organization
from accounts.roles import Role, roles_of
from core.audit import record


def _email(user) -> str:
    return getattr(user, "email", "") or ""


def sign_in_recorded(*, user, method: str, provider: str = "") -> None:
    data = {"method": method, "email": _email(user)}
    if provider:
        data["provider"] = provider
    record(actor=user, verb="auth.login", target=user, data=data)


def sign_out_recorded(*, user, reason: str = "user") -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    record(actor=user, verb="auth.logout", target=user, data={"reason": reason, "email": _email(user)})


def failed_sign_in_recorded(*, email: str, reason: str = "credentials") -> None:
    """A refused password sign-in (wrong credentials, or the lockout of ACCOUNT_RATE_LIMITS["login_failed"])."""
    verb = "auth.lockout" if reason == "lockout" else "auth.login_failed"
    record(actor=None, verb=verb, data={"email": (email or "")[:254], "reason": reason})


def password_sign_in_refused(*, user) -> None:
    """The user's organisation signs in with SSO only (Organization.password_login_allowed is off)."""
    record(
        actor=None,
        verb="auth.login_failed",
        target=user,
        data={"email": _email(user), "reason": "password_login_disabled"},
    )


def sso_refused(*, provider: str, reason: str, claims: dict) -> None:
    record(
        actor=None,
        verb="auth.sso_refused",
        data={
            "provider": provider,
            "reason": reason,
            "email": str(claims.get("email", ""))[:254],
            "subject": str(claims.get("sub", ""))[:254],
            "issuer": str(claims.get("iss", ""))[:254],
        },
    )


def authenticator_changed(*, user, verb: str, authenticator) -> None:
    """verb: mfa.authenticator_added / mfa.authenticator_removed / mfa.authenticator_reset."""
    record(actor=user, verb=verb, target=user, data={"type": authenticator.type})


@transaction.atomic
def mfa_reset(*, actor, user) -> list[str]:
    """Remove all of a user's second factors (a lost phone or key); they set new ones at their next sign-in."""
    from allauth.mfa.models import Authenticator

    authenticators = Authenticator.objects.filter(user=user)
    types = sorted(authenticators.values_list("type", flat=True))
    if types:
        authenticators.delete()
        record(actor=actor, verb="mfa.admin_reset", target=user, data={"before": types, "after": []})
    return types


def _roles_granted(user, roles: set[str]) -> None:
    user.groups.add(*Group.objects.filter(name__in=roles))
    if Role.ADMIN in roles and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_dx_roles", None)


@transaction.atomic
def sso_user_created(*, user, organization: Organization, roles: set[str], provider: str) -> None:
    """A user created just in time at a first SSO sign-in (allauth saved the row): roles and the audit event."""
    _roles_granted(user, roles)
    record(
        actor=user,
        verb="user.create",
        target=user,
        data={
            "email": user.email,
            "roles": sorted(roles),
            "organization": organization.code,
            "source": "sso",
            "provider": provider,
        },
    )


@transaction.atomic
def sso_claims_applied(*, user, organization: Organization, roles: set[str], provider: str) -> None:
    """At a later SSO sign-in the organisation follows the claim and roles named by the claim are added (never
    removed: roles granted by an administrator stay). Each change is an audit event with before and after."""
    if user.organization_id != organization.pk:
        before = user.organization.code if user.organization_id else None
        user.organization = organization
        user.save(update_fields=["organization"])
        record(
            actor=user,
            verb="user.organization_change",
            target=user,
            data={"before": before, "after": organization.code, "source": "sso", "provider": provider},
        )
    held = set(roles_of(user))
    missing = roles - held
    if missing:
        _roles_granted(user, missing)
        record(
            actor=user,
            verb="user.roles_change",
            target=user,
            data={
                "before": sorted(held),
                "after": sorted(held | missing),
                "source": "sso",
                "provider": provider,
            },
        )


def sso_account_linked(*, user, provider: str) -> None:
    record(actor=user, verb="user.sso_linked", target=user, data={"provider": provider, "email": user.email})


TRACKED_FIELDS = ("email", "display_name", "organization", "is_active", "is_staff", "is_superuser")


def user_snapshot(user) -> dict:
    """The values the accounts audit compares before and after an administrator's change."""
    if user.pk is None:
        return {}
    return {
        "email": user.email,
        "display_name": user.display_name,
        "organization": user.organization.code if user.organization_id else None,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "roles": sorted(roles_of(user)),
    }


CHANGE_VERBS = (("user.organization_change", "organization"), ("user.roles_change", "roles"))


def user_changes_recorded(*, actor, user, before: dict, source: str) -> None:
    """After an administrator's (or an import's) save: one event per kind of change, with before and after —
    user.deactivate / user.reactivate, user.organization_change, user.roles_change."""
    user.__dict__.pop("_dx_roles", None)
    after = user_snapshot(user)
    if not before:
        return
    changes = []
    if before["is_active"] != after["is_active"]:
        changes.append(("user.reactivate" if after["is_active"] else "user.deactivate", "is_active"))
    changes += [(verb, field) for verb, field in CHANGE_VERBS if before[field] != after[field]]
    for verb, field in changes:
        record(
            actor=actor,
            verb=verb,
            target=user,
            data={"before": before[field], "after": after[field], "source": source},
        )


def changed_values(before: dict, after: dict) -> dict:
    """{field: {"before": …, "after": …}} for the fields that differ."""
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
