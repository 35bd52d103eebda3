"""Request id and one log line per request (logger `dx.request`)."""

import logging
import time

from django.utils.functional import empty

from core.request_context import bind_request_id, sane_request_id, update_request_info

logger = logging.getLogger("dx.request")
HEADER = "X-Request-ID"
QUIET_PATHS = ("/healthz", "/readyz")  # probes every few seconds: logged at DEBUG only


def _user_id(request):
    """The signed-in user's id if authentication already ran for this request (never loads the session)."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestIdMiddleware:
    """Takes X-Request-ID from the proxy when it is a sane token (else makes one), binds it for the log lines and
    the jobs the request starts, and returns it on the response. Goes first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = sane_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        started = time.monotonic()
        with bind_request_id(request_id, path=request.path, method=request.method) as request_id:
            request.request_id = request_id
            response = self.get_response(request)
            response[HEADER] = request_id
            update_request_info(user_id=_user_id(request))
            level = logging.DEBUG if request.path.rstrip("/") in QUIET_PATHS else logging.INFO
            logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        return response
