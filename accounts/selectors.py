"""Reads about users and organisations."""

from django.db.models import Q, QuerySet

from accounts.models import Organization


def organization_list(
    *, kind: str | None = None, search: str | None = None, active: bool | None = True
) -> QuerySet:
    """Organisations anyone signed in may see (names and codes are public)."""
    queryset = Organization.objects.select_related("parent")
    if active is not None:
        queryset = queryset.filter(active=active)
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(name_en__icontains=search) | Q(code=search))
    return queryset.order_by("kind", "code")


# The accounts audit: sign-in and factors, tokens, users and organisations (core.models.AuditEvent verbs).
ACCOUNT_VERB_PREFIXES = ("auth.", "mfa.", "api_token.", "user.", "organization.")


def audit_event_list(
    *,
    verb: str | None = None,
    actor: str | None = None,
    since=None,
    until=None,
    source_address: str | None = None,
) -> QuerySet:
    """Accounts audit events, newest first. `verb` is a verb or a prefix ("auth."), `actor` an e-mail address (or
    part of one), `since`/`until` datetimes (until excluded). Administrators only: the caller checks the policy."""
    from core.models import AuditEvent

    prefixes = Q()
    for prefix in ACCOUNT_VERB_PREFIXES:
        prefixes |= Q(verb__startswith=prefix)
    queryset = AuditEvent.objects.filter(prefixes).select_related("actor", "target_type")
    if verb:
        queryset = queryset.filter(verb__startswith=verb.strip())
    if actor:
        queryset = queryset.filter(actor__email__icontains=actor.strip())
    if since:
        queryset = queryset.filter(created__gte=since)
    if until:
        queryset = queryset.filter(created__lt=until)
    if source_address:
        queryset = queryset.filter(data__source_address=source_address.strip())
    return queryset.order_by("-created", "-id")
