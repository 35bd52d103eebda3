"""The bulk action page of the request lists: choose → see what will happen (a dry run, row by row) → confirm.

ICT managers only (403 otherwise). The rows come from the list's checkboxes (`references`); the work is
staffing.bulk.requests_bulk_update, one transaction, per row: refused rows are reported and left unchanged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from skills import selectors as skills_selectors
from staffing import bulk
from staffing.forms import BulkActionForm
from staffing.views import _safe_next
from support import policies as support_policies


def _staff(user):
    return skills_selectors.staff_profile_list_for(user).order_by("user__display_name", "pk")


def _report(request, result: bulk.BulkResult) -> None:
    done, refused = result.done, result.refused
    if done:
        messages.success(
            request,
            ngettext("%(count)s request was changed.", "%(count)s requests were changed.", len(done))
            % {"count": len(done)},
        )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(count)s request was left unchanged:",
                "%(count)s requests were left unchanged:",
                len(refused),
            )
            % {"count": len(refused)},
        )
        for row in refused:
            messages.error(request, f"{row.reference}: {' '.join(row.messages)}")


@login_required
@require_POST
def request_bulk(request):
    user = request.user
    if not support_policies.can_bulk_update(user):
        raise PermissionDenied
    back = _safe_next(request, reverse("support:request_list"))
    references = list(dict.fromkeys(r for r in request.POST.getlist("references") if r.strip()))
    if not references:
        messages.error(request, _("Select at least one request."))
        return redirect(back)
    step = request.POST.get("step") or "choose"
    action = request.POST.get("action")
    needs_details = action in (bulk.ASSIGN, bulk.PRIORITY)
    if step == "choose" and needs_details:
        form = BulkActionForm(initial={"action": action}, staff_queryset=_staff(user))
    else:
        form = BulkActionForm(request.POST, staff_queryset=_staff(user))
    preview = error = None
    if form.is_bound and form.is_valid():
        try:
            if step == "confirm":
                result = bulk.requests_bulk_update(actor=user, references=references, **form.params())
                _report(request, result)
                return redirect(back)
            preview = bulk.requests_bulk_update(
                actor=user, references=references, dry_run=True, **form.params()
            )
        except ValidationError as refusal:
            error = refusal
            for field, errors in getattr(refusal, "error_dict", {}).items():
                form.add_error(field if field in form.fields else None, errors)
            if not hasattr(refusal, "error_dict"):
                form.add_error(None, refusal)
    summary = None
    if preview is not None:
        params = form.params()
        summary = bulk.describe(
            action=params["action"],
            count=len(preview.done),
            staff=params["staff"],
            role=params["role"],
            hours=params["hours"],
            priority=params["priority"],
        )
    return render(
        request,
        "staffing/request_bulk.html",
        {
            "form": form,
            "references": references,
            "preview": preview,
            "summary": summary,
            "error": error,
            "next": back,
        },
    )
