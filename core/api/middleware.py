"""JSON answers from /graphql/ even when a fault happens outside the API view.

The view answers its own faults; but a middleware after this one may fail first — e.g. reading the session or the
user's language from a database that is down. Django turns that into its HTML error page (the debug page with
DEBUG on); on the GraphQL path this middleware, first in MIDDLEWARE, answers the JSON error of the view instead
(503 SERVICE_UNAVAILABLE for a database that cannot be reached, else 500), with an error id in the log.
"""

import sys
from functools import cache

from django.core.signals import got_request_exception
from django.urls import reverse

from core.api.responses import fault

FAULT = "_graphql_fault"


@cache
def graphql_path() -> str:
    return reverse("graphql")


def _remember_fault(sender, request=None, **_kwargs):
    """Django sends this while handling the exception: keep it on the request for the middleware below."""
    if request is not None:
        setattr(request, FAULT, sys.exc_info()[1])


got_request_exception.connect(_remember_fault, dispatch_uid="core.api.middleware.remember_fault")


class GraphQLFaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, FAULT, None)
        if error is not None and response.status_code >= 500 and request.path_info == graphql_path():
            return fault(request, error)
        return response
