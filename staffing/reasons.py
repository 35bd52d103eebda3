"""The engine's reasons for a candidate's rank (staffing.matching.model), presented to people: structured for
GraphQL and as text in the active language for the pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from skills.models import Skill
from staffing import matching


def hours_text(value: float | Decimal) -> str:
    """Hours as people write them: "8", "2.5"."""
    value = float(value)
    return str(int(value)) if value == int(value) else f"{value:.1f}"


@dataclass
class ReasonView:
    """One reason for a candidate's rank, structured (GraphQL) and as translated text (pages)."""

    kind: str  # skill, certification, load, continuity, over_capacity
    text: str
    skill: Skill | None = None
    level: int | None = None
    min_level: int | None = None
    met: bool | None = None
    mandatory: bool = False
    pending: bool = False
    pending_level: int | None = None
    certified: bool = False
    organization_name: str | None = None
    count: int | None = None
    satisfaction: float | None = None
    load: float | None = None
    allocated: float | None = None
    capacity: float | None = None


def reason_views(
    reasons: Sequence[matching.Reason],
    *,
    skills: dict[int, Skill],
    staff_id: int,
    certifications: dict[tuple[int, int], list[str]],
    organization_name: str,
) -> list[ReasonView]:
    """Structured reasons with their text in the active language, e.g. "セキュリティ L4 ≥ 3 ✓", "稼働率 60%",
    "千代田区で過去3件・満足度4.5", "資格: 情報処理安全確保支援士"."""
    views: list[ReasonView] = []
    for reason in reasons:
        if isinstance(reason, matching.SkillReason):
            skill = skills.get(reason.skill_id)
            values = {
                "skill": skill.localized_name if skill else f"#{reason.skill_id}",
                "level": reason.level,
                "min": reason.min_level,
            }
            if not reason.level:  # 未評価: nobody validated a level yet (never shown as "L0")
                text = (
                    _("%(skill)s not assessed < %(min)s ✗ (mandatory)")
                    if reason.mandatory
                    else _("%(skill)s not assessed < %(min)s ✗")
                ) % values
            elif reason.met:
                text = _("%(skill)s L%(level)s ≥ %(min)s ✓") % values
            elif reason.mandatory:
                text = _("%(skill)s L%(level)s < %(min)s ✗ (mandatory)") % values
            else:
                text = _("%(skill)s L%(level)s < %(min)s ✗") % values
            if reason.pending_level is not None:
                text += " " + _("(self-assessed L%(level)s, pending validation)") % {
                    "level": reason.pending_level
                }
            views.append(
                ReasonView(
                    kind="skill",
                    text=text,
                    skill=skill,
                    level=reason.level,
                    min_level=reason.min_level,
                    met=reason.met,
                    mandatory=reason.mandatory,
                    pending=reason.pending_level is not None,
                    pending_level=reason.pending_level,
                    certified=reason.certified,
                )
            )
            names = certifications.get((staff_id, reason.skill_id), [])
            if reason.certified and names:
                views.append(
                    ReasonView(
                        kind="certification",
                        text=_("Certification: %(names)s") % {"names": "、".join(names)},
                        skill=skill,
                        certified=True,
                    )
                )
        elif isinstance(reason, matching.LoadReason):
            views.append(
                ReasonView(
                    kind="load",
                    text=_("Load %(percent)s%% (%(allocated)s/%(capacity)s h/week)")
                    % {
                        "percent": round(reason.load * 100),
                        "allocated": hours_text(reason.allocated),
                        "capacity": hours_text(reason.capacity),
                    },
                    load=reason.load,
                    allocated=reason.allocated,
                    capacity=reason.capacity,
                )
            )
        elif isinstance(reason, matching.ContinuityReason):
            values = {"organization": organization_name, "count": reason.count}
            if reason.avg_satisfaction is None:
                text = _("%(count)s past requests for %(organization)s") % values
            else:
                values["score"] = f"{reason.avg_satisfaction:.1f}"
                text = _("%(count)s past requests for %(organization)s, satisfaction %(score)s") % values
            views.append(
                ReasonView(
                    kind="continuity",
                    text=text,
                    organization_name=organization_name,
                    count=reason.count,
                    satisfaction=reason.avg_satisfaction,
                )
            )
        elif isinstance(reason, matching.OverCapacityReason):
            views.append(
                ReasonView(
                    kind="over_capacity",
                    text=_("Over capacity: %(free)s h/week free, %(needed)s needed")
                    % {"free": hours_text(reason.free_hours), "needed": hours_text(reason.needed_hours)},
                )
            )
    return views
