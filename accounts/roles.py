"""Roles are Django groups. A user may hold several (a manager is also ICT staff).

What a role may do is decided by each app's policies.py, never by Django model permissions: the pages, GraphQL,
services and navigation ask the policies, and nothing else reads `user.has_perm`. The one reader of model
permissions is the Django admin, which only administrators reach (`is_staff`); so the admin group carries every
model permission and the other groups carry none, and each ModelAdmin narrows what may be written there
(read-only history; writes through services and the audit trail). Scoping to an organisation is a policy rule too.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _


class Role:
    REQUESTER = "requester"
    ICT_STAFF = "ict_staff"
    ICT_MANAGER = "ict_manager"
    HR = "hr"
    ADMIN = "admin"

    ALL = (REQUESTER, ICT_STAFF, ICT_MANAGER, HR, ADMIN)
    LABELS = {
        REQUESTER: _("Requester"),
        ICT_STAFF: _("ICT staff"),
        ICT_MANAGER: _("ICT manager"),
        HR: _("HR"),
        ADMIN: _("Administrator"),
    }


@transaction.atomic
def ensure_role_groups() -> dict[str, int]:
    """Create the role groups; the admin group gets every model permission (for the Django admin), the others none.
    Safe to run any number of times."""
    from django.contrib.auth.models import Group, Permission

    all_permissions = set(Permission.objects.values_list("pk", flat=True))
    created = {}
    for role in Role.ALL:
        group, was_created = Group.objects.get_or_create(name=role)
        wanted = all_permissions if role == Role.ADMIN else set()
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)
        created[role] = int(was_created)
    return created


def roles_of(user) -> frozenset[str]:
    """The role names a user holds, cached on the user object for the request (one query)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_dx_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.ALL).values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        cached = frozenset(names)
        user._dx_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user).intersection(roles))


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def is_ict(user) -> bool:
    """ICT side: staff, managers and admins see every request."""
    return has_role(user, Role.ICT_STAFF, Role.ICT_MANAGER, Role.ADMIN)


def is_manager(user) -> bool:
    return has_role(user, Role.ICT_MANAGER, Role.ADMIN)


def is_hr(user) -> bool:
    return has_role(user, Role.HR, Role.ADMIN)
