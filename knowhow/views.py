"""Know-how pages. Thin: parse, ask knowhow.policies, call a selector or service, render.

Fragments for htmx (`suggest`, `request_panel`) are GET pages like any other; the request form and the request page
load them with hx-get (no inline script: the CSP forbids it).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowhow import policies, selectors, services
from knowhow.forms import CaseFilterForm, CaseForm, LinkForm
from support.selectors import request_get_for

SUGGESTIONS = 5


def _request_or_404(user, reference):
    found = request_get_for(user, reference=reference)
    if found is None:
        raise Http404
    return found


@login_required
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    cases = selectors.case_list_for(request.user, **filters)[:100]
    return render(request, "knowhow/case_list.html", {"form": form, "cases": cases})


@login_required
def case_detail(request, pk: int):
    case = selectors.case_get_for(request.user, pk)
    if case is None:
        raise Http404
    return render(
        request,
        "knowhow/case_detail.html",
        {
            "case": case,
            "can_edit": policies.can_publish_case(request.user, case.request),
            "can_withdraw": policies.can_withdraw_case(request.user, case),
            "documents": [line for line in case.documents.splitlines() if line.strip()],
        },
    )


@login_required
def case_edit(request, reference: str):
    support_request = _request_or_404(request.user, reference)
    if not policies.can_publish_case(request.user, support_request):
        raise Http404
    case = selectors.case_for_request(support_request)
    initial = {} if case else {"title": support_request.title, "problem": support_request.description}
    form = CaseForm(request.POST or None, instance=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_publish(actor=request.user, request=support_request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case is published in the case library."))
            return redirect("knowhow:case_detail", pk=case.pk)
    return render(request, "knowhow/case_form.html", {"form": form, "r": support_request, "case": case})


@login_required
@require_POST
def case_withdraw(request, pk: int):
    case = selectors.case_get_for(request.user, pk)
    if case is None:
        raise Http404
    try:
        services.case_withdraw(actor=request.user, case=case)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case is withdrawn from the case library."))
    return redirect("knowhow:case_detail", pk=case.pk)


@login_required
def suggest(request):
    """Similar published cases (and the requester's own organisation's past requests) for the text being typed."""
    text = "\n".join(request.GET.get(name, "")[:4000] for name in ("title", "description"))
    items = selectors.similar_requests_for(request.user, text, limit=SUGGESTIONS) if text.strip() else []
    return render(request, "knowhow/_suggestions.html", {"items": items})


@login_required
def request_panel(request, reference: str):
    """On the request page and in triage: similar past requests, related requests and the case, as one fragment."""
    support_request = _request_or_404(request.user, reference)
    user = request.user
    text = f"{support_request.title}\n{support_request.description}"
    return render(
        request,
        "knowhow/_request_panel.html",
        {
            "r": support_request,
            "items": selectors.similar_requests_for(user, text, limit=SUGGESTIONS, exclude=support_request),
            "related": selectors.related_requests_for(user, support_request),
            "can_link": policies.can_link(user),
            "link_form": LinkForm(),
            "case": selectors.case_for_request(support_request),
            "can_publish": policies.can_publish_case(user, support_request),
        },
    )


def _link(request, reference: str, other: str, write) -> None:
    support_request = _request_or_404(request.user, reference)
    if not policies.can_link(request.user):
        raise Http404
    other_request = request_get_for(request.user, reference=(other or "").strip())
    if other_request is None:
        messages.error(request, _("No request with this reference."))
        return
    try:
        write(actor=request.user, request=support_request, other=other_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def link_add(request, reference: str):
    _link(request, reference, request.POST.get("other", ""), services.link_add)
    return redirect("support:request_detail", reference=reference)


@login_required
@require_POST
def link_remove(request, reference: str, other: str):
    _link(request, reference, other, services.link_remove)
    return redirect("support:request_detail", reference=reference)
