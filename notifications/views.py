from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.forms import preferences_from_post

PAGE_SIZE = 25


@login_required
def inbox(request):
    """The user's notices, unread first, 25 a page (a count and one page of rows, whatever the inbox holds)."""
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox_for(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


def _back(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def mark_read(request):
    """Mark one, several (`ids`) or all (`all`) of the user's own notices read."""
    try:
        changed = services.notifications_mark_read(
            actor=request.user, ids=request.POST.getlist("ids"), all=request.POST.get("all") == "1"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.", "%(count)d notifications marked as read.", changed
            )
            % {"count": changed},
        )
    return _back(request, "notifications:inbox")


@login_required
@require_POST
def preferences(request):
    """Save the preferences table of the profile page (mail and inbox per kind)."""
    try:
        services.notification_preferences_update(
            actor=request.user, preferences=preferences_from_post(request.POST)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your notification settings were saved."))
    return redirect("accounts:profile")
