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
