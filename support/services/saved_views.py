"""Saved views (保存したビュー) of the request lists: save the current filters under a name, delete them.

A view belongs to one user and is seen and used by nobody else. The query string is cleaned on the way in: only the
lists' own keys (support.filters.list_query_keys) are kept, the page number is dropped, and the rest is re-encoded —
a saved view is a bookmark of filters, never a way to smuggle anything into a page.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.audit import record
from support import policies
from support.filters import list_query_keys
from support.models import SavedView, SavedViewList

MAX_VIEWS_PER_USER = 50


def clean_query_string(query_string: str) -> str:
    """The list's filters from a query string (a leading "?" allowed), unknown keys and empty values dropped."""
    data = QueryDict((query_string or "").lstrip("?"), mutable=False)
    keys = list_query_keys()
    kept = QueryDict(mutable=True)
    for key in sorted(data):
        if key not in keys:
            continue
        values = [v for v in data.getlist(key) if v != ""]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


@transaction.atomic
def saved_view_save(*, actor, name: str, list_name: str, query_string: str) -> SavedView:
    """Save the filters under `name`; saving again under a name the user already has replaces that view.

    Refuses (ValidationError): an empty name (``required``), a list that is not one of SavedViewList
    (``unknown_list``), a list the user may not open (PermissionDenied), a 51st view (``too_many_views``).
    """
    if list_name not in SavedViewList.values:
        raise ValidationError({"list_name": ValidationError(_("Unknown list."), code="unknown_list")})
    if not policies.can_save_view(actor, list_name):
        raise PermissionDenied(_("You may not open this list."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ValidationError(_("Give the view a name."), code="required")})
    query = clean_query_string(query_string)
    view = SavedView.objects.select_for_update().filter(user=actor, name=name).first()
    if view is None:
        if SavedView.objects.filter(user=actor).count() >= MAX_VIEWS_PER_USER:
            raise ValidationError(
                _("You can keep at most %(max)s saved views; delete one first.")
                % {"max": MAX_VIEWS_PER_USER},
                code="too_many_views",
            )
        view = SavedView(user=actor, name=name)
    view.list_name = list_name
    view.query_string = query
    view.full_clean()
    view.save()
    record(
        actor=actor,
        verb="saved_view.save",
        target=view,
        data={"name": name, "list": list_name, "query": query, "internal": True},
    )
    return view


@transaction.atomic
def saved_view_delete(*, actor, view: SavedView) -> None:
    """Delete one of the actor's own saved views (another user's is refused as if it did not exist)."""
    if view.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("No such saved view."))
    record(actor=actor, verb="saved_view.delete", target=None, data={"name": view.name, "internal": True})
    view.delete()
