from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policies, selectors, services, tokens
from accounts.forms import ApiTokenForm, ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_update_profile(actor=request.user, user=request.user, **form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        response = HttpResponseRedirect(reverse("accounts:profile"))
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        translation.activate(user.preferred_language)
        return response
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "token_form": ApiTokenForm(), "tokens": request.user.api_tokens.all()},
    )


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name."))
        return redirect("accounts:profile")
    _token, raw = tokens.api_token_create(
        actor=request.user, user=request.user, name=form.cleaned_data["name"]
    )
    response = render(request, "accounts/token_created.html", {"raw_token": raw})
    add_never_cache_headers(
        response
    )  # no-store: the raw token must not stay in any cache, nor come back with "Back"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    tokens.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


def _audit_filter(request):
    from accounts.filters import AuditEventFilter

    if not policies.can_view_audit_events(request.user):
        raise PermissionDenied
    return AuditEventFilter(request.GET or None, queryset=selectors.audit_event_list())


@login_required
def audit_events(request):
    """The accounts audit: sign-ins, failures, lockouts, factors, tokens, users and roles (administrators)."""
    from django_tables2 import RequestConfig

    from accounts.tables import AuditEventTable

    filterset = _audit_filter(request)
    table = AuditEventTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "accounts/audit_events.html", {"filter": filterset, "table": table})


@login_required
def audit_events_export(request):
    """?format=csv|xlsx (&encoding=sjis for Shift_JIS CSV), with the page's filters."""
    from accounts.exports import audit_events_dataset
    from core.tabular import exports

    filterset = _audit_filter(request)
    return exports.dataset_response(
        audit_events_dataset(filterset.qs),
        fmt=exports.format_of(request.GET.get("format")),
        encoding=exports.encoding_of(request.GET.get("encoding")),
        basename="accounts-audit",
    )
