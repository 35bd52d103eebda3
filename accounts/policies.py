"""Permission decisions about accounts: who reads the accounts audit, who must add a second factor."""

from django.conf import settings

from accounts.roles import has_role, is_admin


def can_view_audit_events(user) -> bool:
    """The accounts audit (sign-ins, factors, tokens, role changes) is for administrators only."""
    return is_admin(user)


def can_reset_mfa(user) -> bool:
    return is_admin(user)


def mfa_required_for(user) -> bool:
    """A role that must add a second factor when it signs in with a password (MFA_REQUIRED_ROLES), unless the
    account is exempt (MFA_REQUIRED_EXEMPT_EMAILS: the demo accounts in config.settings.dev only)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.email.lower() in getattr(settings, "MFA_REQUIRED_EXEMPT_EMAILS", []):
        return False
    return has_role(user, *getattr(settings, "MFA_REQUIRED_ROLES", ()))


def mfa_setup_pending(request) -> bool:
    """The session was opened with a password alone by a user who must have a second factor and has none yet.

    Sessions opened by SSO (the identity provider runs its own MFA), by a passkey or with a second factor are not
    held back; API tokens never open a session (a token is a separate factor of its own)."""
    from allauth.account.authentication import get_authentication_records
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    user = request.user
    if not mfa_required_for(user):
        return False
    methods = {record.get("method") for record in get_authentication_records(request, user)}
    if "password" not in methods or "mfa" in methods:
        return False
    return not is_mfa_enabled(user, types=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])
