"""Wiring only: Django's, allauth's and allauth.mfa's signals call the accounts audit (accounts.security)."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from accounts import security


def _method(request, user) -> tuple[str, str]:
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, user) if hasattr(request, "session") else []
    if not records:
        return "password", ""  # Django's own login views (the admin's)
    last = records[-1]
    method = last.get("method", "")
    if method == "socialaccount":
        return "sso", last.get("provider", "")
    if method == "mfa" and last.get("passwordless"):
        return "passkey", ""
    return method, ""


def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):  # the session's clocks start at sign-in
        from accounts.middleware import SessionExpiryMiddleware

        now = int(time.time())
        request.session[SessionExpiryMiddleware.STARTED] = now
        request.session[SessionExpiryMiddleware.LAST] = now
    if request is None or not getattr(request, "path", ""):
        return  # no real request (the test client's force_login, scripts): not a sign-in
    method, provider = _method(request, user)
    security.sign_in_recorded(user=user, method=method, provider=provider)


def on_logged_out(sender, request, user, **kwargs):
    if request is None or not getattr(request, "path", ""):
        return
    security.sign_out_recorded(user=user, reason=getattr(request, "dx_logout_reason", "user"))


def on_login_failed(sender, credentials, request=None, **kwargs):
    if "bearer_token" in credentials:
        return  # API tokens: refused by the GraphQL view, not a sign-in
    security.failed_sign_in_recorded(email=credentials.get("email") or credentials.get("username") or "")


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    security.authenticator_changed(user=user, verb="mfa.authenticator_added", authenticator=authenticator)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    security.authenticator_changed(user=user, verb="mfa.authenticator_removed", authenticator=authenticator)


def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    security.authenticator_changed(user=user, verb="mfa.authenticator_reset", authenticator=authenticator)


def connect() -> None:
    from allauth.mfa import signals as mfa_signals

    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.audit.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="accounts.audit.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.audit.login_failed")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="accounts.audit.mfa_added")
    mfa_signals.authenticator_removed.connect(
        on_authenticator_removed, dispatch_uid="accounts.audit.mfa_removed"
    )
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid="accounts.audit.mfa_reset")
