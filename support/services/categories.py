"""Reference data: request categories and their skill profiles."""

from django.db import transaction

from core.audit import record
from support import policies
from support.models import CategorySkill, RequestCategory

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


def _may_edit_categories(actor) -> None:
    """System loads (actor None: the reference data) are trusted; a person must be an administrator."""
    if actor is not None:
        policies.can_edit_categories.check(actor)


@transaction.atomic
def category_skill_set(
    *, actor, category: RequestCategory, skill, min_level: int, weight: int = 1, mandatory: bool = False
) -> CategorySkill:
    """Add or change one line of a category's skill profile: administrators only, validated, audited when it
    changed (saving the same values again writes nothing)."""
    _may_edit_categories(actor)
    line = CategorySkill.objects.select_for_update().filter(category=category, skill=skill).first()
    created = line is None
    wanted = {"min_level": int(min_level), "weight": int(weight), "mandatory": bool(mandatory)}
    if line is None:
        line = CategorySkill(category=category, skill=skill)
    changed = sorted(name for name, value in wanted.items() if created or getattr(line, name) != value)
    if not changed:
        return line
    for name, value in wanted.items():
        setattr(line, name, value)
    line.full_clean()
    line.save()
    record(
        actor=actor,
        verb="category_skill.create" if created else "category_skill.update",
        target=category,
        data={"skill": skill.code, **wanted, "fields": changed},
    )
    return line


@transaction.atomic
def category_skill_remove(*, actor, line: CategorySkill) -> None:
    """Take a skill out of a category's profile (past requests keep their required skills)."""
    _may_edit_categories(actor)
    record(
        actor=actor,
        verb="category_skill.remove",
        target=line.category,
        data={"skill": line.skill.code, "min_level": line.min_level},
    )
    line.delete()
