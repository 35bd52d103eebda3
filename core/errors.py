"""A write that fails unexpectedly tells the user, never answers 500.

The services write inside one transaction each, so when something unexpected breaks half-way (the database, the
file storage, a bug) the transaction has already been rolled back by the time the exception reaches a view: nothing
was saved. `WriteFailureMiddleware` turns such an exception on a page's POST into what the user needs — a
translated message "could not be saved, try again" carrying an error id, and a redirect back to the page they came
from (the Referer, else the home page) — and logs the exception at ERROR with the same id, so an operator can find
the trace.

What it leaves alone: safe methods (GET/HEAD: a read that fails is the 500 page's job), /graphql/ (the API view
answers its own JSON errors), and exceptions Django already answers with a 4xx (404, 403, 400).
"""

import logging
import uuid

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger("dxdesk.errors")

CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def new_error_id() -> str:
    return uuid.uuid4().hex[:12]


def _back(request) -> str:
    """Where the user came from (a page of this site; browsers send it for same-origin posts), else the home page
    (the posted URL may accept POST only)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


class WriteFailureMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method in SAFE_METHODS or isinstance(exception, CLIENT_ERRORS):
            return None
        if request.path.startswith(reverse("graphql")):
            return None
        error_id = new_error_id()
        logger.error("write failed [%s] %s %s", error_id, request.method, request.path, exc_info=exception)
        messages.error(
            request,
            _("Could not be saved. Please try again. (error id %(id)s)") % {"id": error_id},
        )
        return HttpResponseRedirect(_back(request))
