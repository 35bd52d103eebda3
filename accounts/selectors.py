"""Reads about users and organisations."""

from django.db.models import Q, QuerySet

from accounts.models import Organization


def organization_list(
    *,
    kind: str | None = None,
    search: str | None = None,
    active: bool | None = True,
    parent: str | None = None,
) -> QuerySet:
    """Organisations anyone signed in may see (names and codes are public); `parent` (a code): its children."""
    queryset = Organization.objects.select_related("parent")
    if active is not None:
        queryset = queryset.filter(active=active)
    if parent:
        queryset = queryset.filter(parent__code=parent)
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


def descendant_ids(organization_id: int) -> frozenset[int]:
    """The organisation and every organisation below it (its departments or sections, and theirs), in one query.

    The hierarchy is shallow (bureau → department, municipality → section) and small (about a hundred rows that
    have a parent), so the child → parent pairs are read once and walked here; callers keep the answer for the
    request (support.policies caches it on the user), so there is no N+1 and no cross-request cache to invalidate.
    """
    children: dict[int, list[int]] = {}
    for child, parent in Organization.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(child)
    found, frontier = {organization_id}, [organization_id]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, ()) if c not in found]
        found.update(frontier)
    return frozenset(found)


def descendant_ids_by_code(code: str) -> frozenset[int]:
    """`descendant_ids` of the organisation with this code (empty when there is none): the filters' 「下位組織を含む」."""
    root = Organization.objects.filter(code=code).values_list("pk", flat=True).first()
    return descendant_ids(root) if root is not None else frozenset()
