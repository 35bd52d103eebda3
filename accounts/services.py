"""Writes about users and organisations."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Organization
from accounts.roles import Role
from core.audit import record

User = get_user_model()


@transaction.atomic
def organization_upsert(*, actor, code: str, defaults: dict) -> tuple[Organization, bool]:
    """Create or update an organisation by code, validated (municipal codes must carry a correct check digit)."""
    organization = Organization.objects.filter(code=code).first()
    created = organization is None
    if created:
        organization = Organization(code=code)
    changed = created
    changes = {}
    for field, value in defaults.items():
        before = getattr(organization, field)
        if before != value:
            setattr(organization, field, value)
            changed = True
            changes[field] = {"before": getattr(before, "pk", before), "after": getattr(value, "pk", value)}
    if changed:
        organization.full_clean()
        organization.save()
        record(
            actor=actor,
            verb="organization.create" if created else "organization.update",
            target=organization,
            data={"code": code, "changes": changes},
        )
    return organization, created


@transaction.atomic
def user_create(
    *,
    actor,
    email: str,
    password: str | None,
    display_name: str = "",
    organization: Organization | None = None,
    roles: tuple[str, ...] = (),
    preferred_language: str = "ja",
    sees_suborganizations: bool = False,
) -> "User":
    user = User(
        email=User.objects.normalize_email(email).lower(),
        display_name=display_name,
        organization=organization,
        preferred_language=preferred_language,
        sees_suborganizations=sees_suborganizations,
        is_staff=Role.ADMIN in roles,
        is_superuser=Role.ADMIN in roles,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    if roles:
        user.groups.set(Group.objects.filter(name__in=roles))
    record(actor=actor, verb="user.create", target=user, data={"email": user.email, "roles": sorted(roles)})
    return user


@transaction.atomic
def user_update_profile(*, actor, user, display_name: str, preferred_language: str) -> "User":
    """Name and language. Notification preferences (per kind) are saved by notifications.services."""
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "preferred_language"])
    record(
        actor=actor,
        verb="user.update_profile",
        target=user,
        data={"preferred_language": preferred_language},
    )
    return user
