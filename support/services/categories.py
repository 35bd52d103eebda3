"""Reference data: request categories."""

from django.db import transaction

from core.audit import record
from support import policies
from support.models import (
    RequestCategory,
)

# --- reference data ----------------------------------------------------------------------------------------------


@transaction.atomic
def request_category_save(*, actor, category: RequestCategory, changed: list[str]) -> RequestCategory:
    """Add or change a category (the Django admin): administrators only, validated and audited."""
    policies.can_edit_categories.check(actor)
    created = category.pk is None
    category.full_clean()
    category.save()
    record(
        actor=actor,
        verb="request_category.create" if created else "request_category.update",
        target=category,
        data={"code": category.code, "fields": sorted(changed)},
    )
    return category
