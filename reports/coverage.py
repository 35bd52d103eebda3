"""HR's skill coverage (見える化, DESIGN.md §8): heat map, target gaps, single points of failure, truck factor,
expiring certifications, self-versus-manager gaps, reskilling previews and the trend, as at a quarter's end.

Aggregates only, in a constant number of queries whatever the number of staff (asserted in tests/reports).
"Current level" has one definition, ``skills.selectors.current_assessments`` (the latest validated assessment,
optionally as of a date); the level counts wrap its SQL (``reports.sql``) so the counting happens in the database —
``current_levels`` would return one Python dict entry per (person, skill), which is what we must not load for 5,000
staff. (The trend reads the same definition for eight dates in one window pass; ``reports.trend`` says why and a
test checks they agree.) The self-versus-manager gap is ``skills.selectors.rating_gaps`` and expiring certificates
are ``skills.selectors.certifications_expiring``. Single point of failure and truck factor are report figures
defined here: no other part of the product counts the holders of a skill.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import fiscal
from reports import policies
from reports.levels import INDEPENDENT_LEVEL, LEVELS, SkillRef, skill_refs
from reports.periods import as_of_day, validate_period
from reports.reskilling import ReskillingPreview, reskilling_previews
from reports.sql import current_sql, fetch, on_staff_q, staff_sql
from reports.trend import SPOF_THRESHOLD, TrendPoint, trend
from skills.models import Importance, JobType, StaffProfile, TargetSkill
from skills.selectors import certifications_expiring, rating_gaps

EXPIRY_WINDOW_DAYS = 90
LIST_LIMIT = 100

GROUP_JOB_TYPE = "job_type"
GROUP_ORGANIZATION = "organization"
GROUP_BY_CHOICES = (GROUP_JOB_TYPE, GROUP_ORGANIZATION)
NO_GROUP = "none"


def _level_counts(as_of: dt.date, skill_ids: Sequence[int]) -> list[tuple]:
    """[(job_type_id, organisation code, skill_id, level, people)] over current levels of the staff. One query."""
    if not skill_ids:
        return []
    current, params = current_sql(as_of, skill_ids)
    staff, staff_params = staff_sql(as_of, "job_type_id", org_code=F("user__organization__code"))
    sql = (
        f"SELECT s.job_type_id, s.org_code, c.skill_id, c.level, COUNT(*)"
        f" FROM ({current}) c JOIN ({staff}) s ON s.id = c.staff_id"
        " GROUP BY s.job_type_id, s.org_code, c.skill_id, c.level"
    )
    return fetch(sql, params + staff_params)


@dataclass
class HeatRow:
    """People (active staff) whose current level in a skill is ≥ 1 … ≥ 5, within one group (or all)."""

    group_key: str
    group_label: str
    skill: SkillRef
    at_least: list[int]


@dataclass
class GapRow:
    """A job type's target for one skill against the people of that type who meet it."""

    job_type_code: str
    job_type: str
    skill: SkillRef
    target_level: int
    importance: str
    people: int
    meeting: int

    @property
    def share(self) -> float | None:
        return self.meeting / self.people if self.people else None

    @property
    def shortfall(self) -> int:
        return self.people - self.meeting


@dataclass
class SkillHolders:
    skill: SkillRef
    holders: int


@dataclass
class ExpiringCertification:
    person: str
    email: str
    name: str
    skill: str
    expires_on: dt.date
    days_left: int


@dataclass
class RatingGap:
    person: str
    email: str
    skill: SkillRef
    self_level: int
    manager_level: int

    @property
    def gap(self) -> int:
        return self.self_level - self.manager_level


@dataclass
class SkillCoverage:
    fiscal_year: int
    quarter: int
    label: str
    as_of: dt.date
    group_by: str
    skills: list[SkillRef]
    groups: list[tuple[str, str]]
    staff_count: int
    overall: list[HeatRow]
    heat: list[HeatRow]
    gaps: list[GapRow]
    single_points_of_failure: list[SkillHolders]
    critical_definition: str
    critical_skills: list[SkillHolders]
    truck_factor: int | None
    truck_factor_skills: list[SkillRef]
    expiring_certifications: list[ExpiringCertification]
    rating_gaps: list[RatingGap]
    rating_gap_count: int
    reskilling: list[ReskillingPreview]
    trend: list[TrendPoint]
    trend_by_skill: list[tuple[SkillRef, list[int]]]
    #: when the figures were computed (集計時点); ``exact`` when computed live for this view
    computed_at: dt.datetime | None = None
    exact: bool = True

    @property
    def is_empty(self) -> bool:
        """No active staff, or no skills: nothing to show."""
        return not self.staff_count or not self.skills


def skill_coverage_for(
    user, *, fiscal_year: int, quarter: int, group_by: str = GROUP_JOB_TYPE, today: dt.date | None = None
) -> SkillCoverage:
    """HR's skill coverage for ``user``, computed live (``compute_coverage``); ``reports.preaggregate.coverage``
    serves the same figures from the quarter's pre-computed row."""
    if not policies.can_view_skill_coverage(user):
        raise PermissionDenied
    return compute_coverage(fiscal_year=fiscal_year, quarter=quarter, group_by=group_by, today=today)


def compute_coverage(
    *, fiscal_year: int, quarter: int, group_by: str = GROUP_JOB_TYPE, today: dt.date | None = None
) -> SkillCoverage:
    """HR's skill coverage as at the end of a fiscal quarter (or today, while it runs). Aggregates only.

    * heat map: active staff whose current level is ≥ L (L = 1…5) per skill, overall and per group (job type, or the
      organisation of the person's user account);
    * gaps: for each line of each job type's target profile, the active people of that type and how many meet the
      target level (count and share);
    * single points of failure: active skills with fewer than two people at level ≥ 3;
    * truck factor: *critical* skills are those that some active job type's target profile marks as essential (all
      active skills when no profile marks any). The truck factor is the smallest number of people whose departure
      leaves some critical skill with nobody at level ≥ 3. To strip a skill you must remove every holder, so the
      exact answer is min over critical skills of its holders (0 when one is already uncovered) — no search needed;
    * certifications expiring within 90 days of the as-of date;
    * self-versus-manager gaps: the latest self-assessment against the latest manager assessment per person and
      skill where both exist, largest gaps first;
    * reskilling: for each single-point-of-failure skill, people exactly one level below 3, those who want to learn
      it first (a preview of ``reskilling_candidates_for``);
    * trend: people at ≥ 3 per skill as at the end of each of the last eight quarters (one UNION query).

    Constant number of queries (9) whatever the number of staff. No access check: callers check the policy.
    """
    validate_period(fiscal_year, quarter)
    if group_by not in GROUP_BY_CHOICES:
        raise ValueError("group_by must be job_type or organization")
    today = today or fiscal.today()
    period = fiscal.quarter_period(fiscal_year, quarter)
    as_of = as_of_day(period, today)

    skills = skill_refs()  # 1
    skill_by_id = {skill.id: skill for skill in skills}
    job_types = {
        pk: (code, name) for pk, code, name in JobType.objects.values_list("pk", "code", "name")
    }  # 2

    # 3: active staff per (job type, organisation)
    staff_rows = list(
        StaffProfile.objects.filter(on_staff_q(as_of))
        .values("job_type_id", "user__organization__code", "user__organization__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    staff_count = sum(row["n"] for row in staff_rows)
    people_by_job_type: dict[int | None, int] = defaultdict(int)
    org_labels: dict[str, str] = {}
    for row in staff_rows:
        people_by_job_type[row["job_type_id"]] += row["n"]
        org_labels[row["user__organization__code"] or NO_GROUP] = row["user__organization__name"] or ""

    # 4: current levels counted per (job type, organisation, skill, level)
    level_rows = _level_counts(as_of, list(skill_by_id))
    per_level: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * 6)
    per_job_type_level: dict[tuple[int | None, int], list[int]] = defaultdict(lambda: [0] * 6)
    overall_level: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
    for job_type_id, org_code, skill_id, level, people in level_rows:
        if group_by == GROUP_JOB_TYPE:
            group = job_types[job_type_id][0] if job_type_id else NO_GROUP
        else:
            group = org_code or NO_GROUP
        per_level[(group, skill_id)][level] += people
        per_job_type_level[(job_type_id, skill_id)][level] += people
        overall_level[skill_id][level] += people

    def at_least(counts: list[int]) -> list[int]:
        return [sum(counts[level:]) for level in LEVELS]

    if group_by == GROUP_JOB_TYPE:
        used = {row["job_type_id"] for row in staff_rows}
        groups = [(code, name) for pk, (code, name) in job_types.items() if pk in used]
        if None in used:
            groups.append((NO_GROUP, str(_("No job type"))))
    else:
        groups = sorted(
            ((code, label or str(_("No organisation"))) for code, label in org_labels.items()),
            key=lambda item: (item[0] == NO_GROUP, item[1]),
        )
    overall = [
        HeatRow("all", str(_("All staff")), skill, at_least(overall_level[skill.id])) for skill in skills
    ]
    heat = [
        HeatRow(key, label, skill, at_least(per_level[(key, skill.id)]))
        for key, label in groups
        for skill in skills
    ]
    holders = {skill.id: at_least(overall_level[skill.id])[INDEPENDENT_LEVEL - 1] for skill in skills}

    # 5: target profiles → gaps and critical skills
    targets = list(
        TargetSkill.objects.filter(job_type__active=True, skill__active=True)
        .select_related("job_type", "skill")
        .order_by("job_type__order", "job_type__code", "-importance", "skill__code")
    )
    gaps = [
        GapRow(
            job_type_code=target.job_type.code,
            job_type=target.job_type.name,
            skill=skill_by_id[target.skill_id],
            target_level=target.target_level,
            importance=str(Importance(target.importance).label),
            people=people_by_job_type.get(target.job_type_id, 0),
            meeting=at_least(per_job_type_level[(target.job_type_id, target.skill_id)])[
                target.target_level - 1
            ],
        )
        for target in targets
    ]
    single_points = sorted(
        (SkillHolders(skill, holders[skill.id]) for skill in skills if holders[skill.id] < SPOF_THRESHOLD),
        key=lambda item: (item.holders, item.skill.code),
    )
    essential_ids = {t.skill_id for t in targets if t.importance == Importance.ESSENTIAL}
    if essential_ids:
        critical = [skill for skill in skills if skill.id in essential_ids]
        critical_definition = str(_("Skills marked essential in a job type's target profile"))
    else:
        critical = list(skills)
        critical_definition = str(_("All active skills (no target profile marks a skill essential)"))
    truck_factor = min((holders[skill.id] for skill in critical), default=None)
    truck_factor_skills = [skill for skill in critical if holders[skill.id] == truck_factor]

    # 6: certifications expiring within 90 days
    expiring = [
        ExpiringCertification(
            person=cert.staff.user.label,
            email=cert.staff.user.email,
            name=cert.name,
            skill=cert.skill.name if cert.skill else "",
            expires_on=cert.expires_on,
            days_left=(cert.expires_on - as_of).days,
        )
        for cert in certifications_expiring(within_days=EXPIRY_WINDOW_DAYS, on=as_of)
        .filter(staff__active=True)
        .order_by("expires_on", "staff__user__email", "name")[:LIST_LIMIT]
    ]

    # 7: self versus manager (the one definition, in skills)
    rating_gap_count, gap_rows = rating_gaps(as_of=as_of, limit=LIST_LIMIT)
    rating_gaps_shown = [
        RatingGap(
            person=gap.person,
            email=gap.email,
            skill=skill_by_id[gap.skill_id],
            self_level=gap.self_level,
            manager_level=gap.manager_level,
        )
        for gap in gap_rows
    ]

    # 8: reskilling candidates for the single points of failure
    reskilling = reskilling_previews(single_points, as_of)

    # 9: the trend
    points, trend_by_skill = trend(fiscal_year, quarter, skills, today)

    return SkillCoverage(
        fiscal_year=fiscal_year,
        quarter=quarter,
        label=fiscal.quarter_label(fiscal_year, quarter),
        as_of=as_of,
        group_by=group_by,
        skills=skills,
        groups=groups,
        staff_count=staff_count,
        overall=overall,
        heat=heat,
        gaps=gaps,
        single_points_of_failure=single_points,
        critical_definition=critical_definition,
        critical_skills=[SkillHolders(skill, holders[skill.id]) for skill in critical],
        truck_factor=truck_factor,
        truck_factor_skills=truck_factor_skills,
        expiring_certifications=expiring,
        rating_gaps=rating_gaps_shown,
        rating_gap_count=rating_gap_count,
        reskilling=reskilling,
        trend=points,
        trend_by_skill=trend_by_skill,
        computed_at=timezone.now(),
    )
