"""The request lists' own tools: saved views (save the current filters under a name, delete one) and what the list
pages need to show them and the bulk actions. Thin: parse, call a service or selector, redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from support import policies, selectors, services
from support.models import SavedViewList
from support.services.saved_views import clean_query_string

LIST_URLS = {SavedViewList.REQUESTS: "support:request_list", SavedViewList.TRIAGE: "support:triage"}


def list_tools(request, list_name: str) -> dict:
    """Context of a request list page: the user's saved views of this list (one query), the current filters as a
    saved view would keep them, and whether the bulk actions are offered."""
    return {
        "list_name": list_name,
        "saved_views": list(selectors.saved_views_for(request.user, list_name)),
        "current_query": clean_query_string(request.GET.urlencode()),
        "can_bulk": policies.can_bulk_update(request.user),
    }


def _list_url(list_name: str, query: str = "") -> str:
    url = reverse(LIST_URLS.get(list_name, "support:request_list"))
    return f"{url}?{query}" if query else url


@login_required
@require_POST
def saved_view_save(request):
    list_name = request.POST.get("list_name", "")
    query = request.POST.get("query_string", "")
    try:
        view = services.saved_view_save(
            actor=request.user, name=request.POST.get("name", ""), list_name=list_name, query_string=query
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_list_url(list_name, clean_query_string(query)))
    messages.success(request, _("The view “%(name)s” was saved.") % {"name": view.name})
    return redirect(_list_url(view.list_name, view.query_string))


@login_required
@require_POST
def saved_view_delete(request, pk: int):
    view = selectors.saved_view_get_for(request.user, pk)
    if view is None:
        raise Http404(_("No such saved view."))
    list_name = view.list_name
    try:
        services.saved_view_delete(actor=request.user, view=view)
    except PermissionDenied:
        raise Http404(_("No such saved view.")) from None
    messages.success(request, _("The view “%(name)s” was deleted.") % {"name": view.name})
    return redirect(_list_url(list_name))
