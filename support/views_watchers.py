"""Watchers on a request page: the requester adds colleagues of their organisation, and removes them; a watcher may
stop watching. Kept apart from support/views.py (the request pages) so that file stays within its size; it reuses
that module's lookup and policy helpers."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from support import policies, selectors_watchers, services


def watcher_context(user, support_request) -> dict:
    """The request page's watcher card: who watches, whom the user may add (the requesting side) and whether the
    user may remove a watcher (`can_manage_watchers`) or themselves."""
    can_manage = policies.can_manage_watchers(user, support_request)
    return {
        "watchers": selectors_watchers.watcher_list_for(user, support_request),
        "watcher_candidates": list(selectors_watchers.watcher_candidates(support_request))
        if can_manage
        else [],
        "can_manage_watchers": can_manage,
    }


def _user_from_post(request):
    try:
        pk = int(request.POST.get("user", ""))
    except ValueError:
        return None
    return get_user_model().objects.select_related("organization").filter(pk=pk).first()


@login_required
@require_POST
def watcher_add(request, reference: str):
    from support.views import _allowed, _flash_errors, _get_request_or_404

    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_manage_watchers, support_request):
        return redirect("support:request_detail", reference)
    try:
        watcher = services.watcher_add(
            actor=request.user, request=support_request, user=_user_from_post(request)
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("%(name)s now watches this request.") % {"name": watcher.user.label})
    return redirect("support:request_detail", reference)


@login_required
@require_POST
def watcher_remove(request, reference: str):
    from support.views import _allowed, _flash_errors, _get_request_or_404

    support_request = _get_request_or_404(request.user, reference)
    user = _user_from_post(request)
    if not _allowed(request, policies.can_remove_watcher, support_request, user):
        return redirect("support:request_detail", reference)
    try:
        services.watcher_remove(actor=request.user, request=support_request, user=user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        if user.pk == request.user.pk:
            messages.success(request, _("You no longer watch this request."))
            if not policies.can_view_request(request.user, support_request):
                return redirect("notifications:inbox")
        else:
            messages.success(request, _("%(name)s no longer watches this request.") % {"name": user.label})
    return redirect("support:request_detail", reference)
