"""What the skill reports share: the levels they count, the threshold of "covered", and the skills they list."""

from __future__ import annotations

from dataclasses import dataclass

from skills.models import Skill

LEVELS = (1, 2, 3, 4, 5)
#: "Able to work independently" (level 3) is the threshold of coverage, single points of failure and the trend.
INDEPENDENT_LEVEL = 3


@dataclass
class SkillRef:
    id: int
    code: str
    name: str
    category: str = ""


def skill_refs() -> list[SkillRef]:
    """The active skills (one query)."""
    return [
        SkillRef(pk, code, name, category)
        for pk, code, name, category in Skill.objects.filter(active=True).values_list(
            "pk", "code", "name", "category__name"
        )
    ]
