"""Skill levels in plain language on the staffing pages: 未評価 (not assessed) instead of "L0", and each level with
its name from the shared scale (skills.ProficiencyLevel), e.g. "レベル3（自立して実施できる）"."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _name(entry) -> str:
    if entry is None:
        return ""
    if (get_language() or "").startswith("en") and entry.name_en:
        return entry.name_en
    return entry.name


@register.simple_tag
def level_label(level, levels) -> str:
    """A person's level: "未評価" for none (0), else "レベル3（自立して実施できる）"."""
    if not level:
        return _("not assessed")
    name = _name((levels or {}).get(level))
    if not name:
        return _("level %(level)s") % {"level": level}
    return _("level %(level)s (%(name)s)") % {"level": level, "name": name}


@register.simple_tag
def min_level_label(level, levels) -> str:
    """A required minimum: "レベル3（自立して実施できる）以上"."""
    return _("%(level)s or above") % {"level": level_label(level, levels)}
