"""The satisfaction follow-up on a request page: the managers record what was done about a (low) rating.

Kept apart from support/views.py (the request pages) so that file stays within its size; it reuses that module's
lookup and policy helpers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from support import policies, selectors, services
from support.forms import FollowUpForm


def satisfaction_follow_up_context(user, support_request) -> dict:
    """The request page's follow-up part: the low-rating flag and the follow-ups (the ICT side only), and the form
    (the managers, once the request has been rated)."""
    if not policies.sees_internal(user):
        return {"follow_ups": [], "follow_up_form": None}
    return {
        "follow_ups": selectors.satisfaction_follow_up_list(support_request),
        "follow_up_form": FollowUpForm() if policies.can_follow_up(user, support_request) else None,
    }


@login_required
@require_POST
def satisfaction_follow_up_create(request, reference: str):
    from support.views import _allowed, _get_request_or_404, submit_form

    support_request = _get_request_or_404(request.user, reference)
    if not _allowed(request, policies.can_follow_up, support_request):
        return redirect("support:request_detail", reference)
    submit_form(
        request,
        FollowUpForm(request.POST),
        lambda data: services.satisfaction_follow_up_record(
            actor=request.user, request=support_request, note=data["note"]
        ),
        success=_("The follow-up was recorded."),
        invalid=_("Say what was done."),
    )
    return redirect("support:request_detail", reference)
