import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.policies import mfa_setup_pending
from core.audit import client_address, reset_source_address, set_source_address


class UserLanguageMiddleware:
    """Speak the signed-in user's preferred language unless the language switch chose one (its cookie wins).

    Sits after LocaleMiddleware and AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            user = getattr(request, "user", None)
            language = (
                getattr(user, "preferred_language", None)
                if getattr(user, "is_authenticated", False)
                else None
            )
            if language and translation.check_for_language(language):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class AuditSourceMiddleware:
    """Audit events recorded while handling a request carry its source address (core.audit.client_address)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_source_address(client_address(request))
        try:
            return self.get_response(request)
        finally:
            reset_source_address(token)


def _is_bearer(request) -> bool:
    return request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")


def _graphql_refusal(message, code: str):

    return JsonResponse({"errors": [{"message": str(message), "extensions": {"code": code}}]}, status=403)


class _SignedInSessionMiddleware:
    """Acts only on requests of a user signed in with a session (API-token requests and visitors pass through)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_bearer(request):
            return self.get_response(request)
        return self.handle(request)

    def handle(self, request):
        raise NotImplementedError


class SessionExpiryMiddleware(_SignedInSessionMiddleware):
    """A signed-in session ends SESSION_IDLE_TIMEOUT seconds after its last request and SESSION_ABSOLUTE_TIMEOUT
    seconds after sign-in. Pages learn the seconds left (`request.session_seconds_left`) and warn before the end
    (static/js/session-timer.js); every request restarts the idle clock."""

    STARTED, LAST = "dx_session_started", "dx_session_last_request"
    WRITE_EVERY = 60  # seconds

    def handle(self, request):
        now = int(time.time())
        session = request.session
        started = session.setdefault(self.STARTED, now)
        last = session.get(self.LAST, now)
        idle, absolute = settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT
        if now - last >= idle or now - started >= absolute:
            request.dx_logout_reason = "idle" if now - last >= idle else "absolute"
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            if request.path == reverse("graphql"):
                return self.get_response(request)  # answered as anonymous: UNAUTHENTICATED
            return redirect_to_login(request.get_full_path())
        if self.LAST not in session or now - last >= self.WRITE_EVERY:
            # not on every request: the session row is written at most every WRITE_EVERY seconds
            session[self.LAST] = last = now
        request.session_seconds_left = max(0, min(idle - (now - last), absolute - (now - started)))
        request.session_warning_before = settings.SESSION_EXPIRY_WARNING
        response = self.get_response(request)
        response["X-Session-Expires-In"] = str(request.session_seconds_left)
        return response


class MfaRequiredMiddleware(_SignedInSessionMiddleware):
    """Roles that must use a second factor (accounts.policies.mfa_setup_pending) reach only the MFA setup pages,
    sign-out, the language switch and static files until they add an authenticator app or a passkey; other pages
    redirect to the setup page and GraphQL answers MFA_REQUIRED. API tokens are not held back."""

    def handle(self, request):
        open_prefixes = (
            reverse("mfa_index"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            reverse("set_language"),
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        if request.path.startswith(open_prefixes) or not mfa_setup_pending(request):
            return self.get_response(request)
        message = _(
            "Your role requires a second factor. Set up an authenticator app or a passkey to continue."
        )
        if request.path == reverse("graphql"):
            return _graphql_refusal(message, "MFA_REQUIRED")
        messages.warning(request, message)
        return redirect("mfa_index")
