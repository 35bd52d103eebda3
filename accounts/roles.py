"""Roles are Django groups with permissions. A user may hold several (a manager is also ICT staff).

Scoping to an organisation is a rule in the selectors/policies, not a permission.
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


# Model permissions each role's group carries ("app_label.codename"). They drive the Django admin and document
# what a role may do; the finer rules (own organisation, own assessments) live in each app's policies.py.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.REQUESTER: (
        "support.add_supportrequest",
        "support.view_supportrequest",
        "support.add_comment",
        "support.add_attachment",
        "support.add_satisfactionresponse",
    ),
    Role.ICT_STAFF: (
        "support.view_supportrequest",
        "support.change_supportrequest",
        "support.add_comment",
        "support.add_attachment",
        "support.view_assignment",
        "skills.view_skill",
        "skills.view_staffprofile",
        "skills.add_skillassessment",
        "skills.view_skillassessment",
        "skills.add_certification",
        "skills.view_certification",
    ),
    Role.ICT_MANAGER: (
        "support.view_supportrequest",
        "support.change_supportrequest",
        "support.triage_supportrequest",
        "support.add_comment",
        "support.add_attachment",
        "support.add_assignment",
        "support.change_assignment",
        "support.view_assignment",
        "skills.view_skill",
        "skills.view_staffprofile",
        "skills.change_staffprofile",
        "skills.add_skillassessment",
        "skills.view_skillassessment",
        "skills.validate_skillassessment",
        "skills.view_certification",
    ),
    Role.HR: (
        "skills.view_skill",
        "skills.view_staffprofile",
        "skills.view_skillassessment",
        "skills.view_certification",
        "skills.view_jobtype",
    ),
    Role.ADMIN: (),  # admins are superusers-in-role: everything (see ensure_role_groups)
}


@transaction.atomic
def ensure_role_groups() -> dict[str, int]:
    """Create the role groups and (re)attach their permissions. Safe to run any number of times."""
    from django.contrib.auth.models import Group, Permission

    all_permissions = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    created = {}
    for role in Role.ALL:
        group, was_created = Group.objects.get_or_create(name=role)
        if role == Role.ADMIN:
            wanted = set(all_permissions.values())
        else:
            wanted = {all_permissions[name] for name in ROLE_PERMISSIONS[role] if name in all_permissions}
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


def is_requester(user) -> bool:
    return has_role(user, Role.REQUESTER)
