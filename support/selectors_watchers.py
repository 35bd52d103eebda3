"""Reads about a request's watchers: who watches it, whom the requester may add, who is told about it."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from support import policies
from support.models import RequestWatcher, SupportRequest


def watchers_prefetch() -> Prefetch:
    """A request's watchers with their users, in `watcher_list` (the request page and the GraphQL list)."""
    return Prefetch(
        "watchers",
        queryset=RequestWatcher.objects.select_related("user").order_by("created", "pk"),
        to_attr="watcher_list",
    )


def watcher_list_for(user, request: SupportRequest) -> list[RequestWatcher]:
    """The request's watchers, for whoever may see the request (empty otherwise)."""
    if not policies.can_view_request(user, request):
        return []
    prefetched = getattr(request, "watcher_list", None)
    if prefetched is not None:
        return list(prefetched)
    return list(request.watchers.select_related("user").order_by("created", "pk"))


def watcher_candidates(request: SupportRequest) -> QuerySet:
    """Whom the requester may add: active colleagues of the requesting organisation, not the requester, not
    already watching."""
    return (
        get_user_model()
        .objects.filter(organization_id=request.organization_id, is_active=True)
        .exclude(pk=request.requester_id)
        .exclude(watched_requests__request=request)
        .order_by("display_name", "email")
    )


def watcher_recipients(request: SupportRequest) -> list:
    """The watchers told what the requester is told: active, and still of the requesting organisation."""
    return [
        w.user
        for w in request.watchers.select_related("user").filter(
            user__is_active=True, user__organization_id=request.organization_id
        )
    ]
