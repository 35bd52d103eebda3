"""What the skill reports share: the levels they count, the threshold of "covered", and the skills they list."""

from __future__ import annotations

from dataclasses import dataclass

from core.names import localized_name
from skills.models import Skill

LEVELS = (1, 2, 3, 4, 5)
#: "Able to work independently" (level 3) is the threshold of coverage, single points of failure and the trend.
INDEPENDENT_LEVEL = 3


@dataclass
class SkillRef:
    """A skill as the reports keep it (stored figures hold both names; the reader's language picks one)."""

    id: int
    code: str
    name: str
    category_ja: str = ""
    name_en: str = ""
    category_en: str = ""

    @property
    def localized_name(self) -> str:
        return localized_name(self.name, self.name_en)

    @property
    def category(self) -> str:
        return localized_name(self.category_ja, self.category_en)


def skill_ref(skill: Skill) -> SkillRef:
    return SkillRef(skill.pk, skill.code, skill.name, name_en=skill.name_en)


def skill_refs() -> list[SkillRef]:
    """The active skills (one query)."""
    return [
        SkillRef(pk, code, name, category, name_en, category_en)
        for pk, code, name, category, name_en, category_en in Skill.objects.filter(active=True).values_list(
            "pk", "code", "name", "category__name", "name_en", "category__name_en"
        )
    ]
