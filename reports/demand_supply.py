"""Demand versus supply per skill and fiscal quarter (HR): requested skill-hours against free hours of able people.

Rules owned elsewhere are compiled, not re-stated: "current level" is ``skills.selectors.current_assessments`` and
the hours a person has allocated are those of ``Assignment.objects.active()``, both compiled into the one aggregate
query (``reports.sql``). Free hours = capacity − allocated, as ``skills.selectors.available_hours_expression``
defines them; that expression is a correlated subquery, which here would run once per person (about 150 ms more at
5,000 staff), so the same subtraction is applied to one grouped query of the active assignments instead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from core import fiscal
from reports import policies
from reports.dashboard import STOPPED
from reports.levels import INDEPENDENT_LEVEL, SkillRef, skill_refs
from reports.periods import as_of_day, validate_period
from reports.sql import compiled, current_sql, fetch, staff_sql
from reports.supply_allocation import allocate_grouped
from support.models import Assignment, EffortLog, RequiredSkill

#: Weekly hours of a full-time person (7 h 45 min a day): the unit of "how many people short".
FULL_TIME_HOURS_PER_WEEK = 38.75
#: Hours a request of a category takes when neither effort is logged nor an estimate given, and no past request of
#: its category has effort logged (a data default: about two weeks of a half-time person).
DEFAULT_REQUEST_HOURS = 20.0


def request_hours_expression(prefix: str = "request"):
    """A request's hours, as SQL, for the demand: the effort logged on it (EffortLog), else its estimate, else its
    category's typical effort (the mean logged effort of the category's requests with any), else
    DEFAULT_REQUEST_HOURS. `prefix` reaches the request (e.g. "request" from a RequiredSkill)."""
    logged = (
        EffortLog.objects.filter(request_id=OuterRef(f"{prefix}_id"))
        .order_by()
        .values("request_id")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    typical = (
        EffortLog.objects.filter(request__category_id=OuterRef(f"{prefix}__category_id"))
        .order_by()
        .values("request__category_id")
        .annotate(
            mean=Cast(Sum("hours"), FloatField()) / Cast(Count("request_id", distinct=True), FloatField())
        )
        .values("mean")
    )
    return Coalesce(
        Cast(Subquery(logged), FloatField()),
        Cast(f"{prefix}__estimated_hours", FloatField()),
        Subquery(typical, output_field=FloatField()),
        Value(DEFAULT_REQUEST_HOURS),
        output_field=FloatField(),
    )


@dataclass
class DemandSupplyRow:
    skill: SkillRef
    quarter: int
    label: str
    threshold: int
    requests: int
    demand_hours: float
    supply_hours: float
    able_people: int
    #: Hours of the demand the pool meets when each free hour goes to at most one skill (reports.supply_allocation),
    #: what is left unmet, in full-time people for the quarter, and people one level below the threshold (who could
    #: reskill into it).
    allocated_hours: float = 0.0
    shortfall_hours: float = 0.0
    short_people: int = 0
    reskill_people: int = 0

    @property
    def balance(self) -> float:
        return self.supply_hours - self.demand_hours


@dataclass
class DemandSupply:
    fiscal_year: int
    label: str
    rows: list[DemandSupplyRow]
    quarters: list[tuple[int, str]]
    #: the day the current levels and the load are read on; when the figures were computed; live or stored
    as_of: dt.date | None = None
    computed_at: dt.datetime | None = None
    exact: bool = True

    @property
    def is_empty(self) -> bool:
        return not any(row.demand_hours or row.supply_hours for row in self.rows)


def skill_demand_supply_for(user, *, fiscal_year: int, today: dt.date | None = None) -> DemandSupply:
    """Demand versus supply for ``user``, computed live (``compute_demand_supply``); ``reports.preaggregate``
    serves the same figures from the year's pre-computed row."""
    if not policies.can_view_skill_coverage(user):
        raise PermissionDenied
    return compute_demand_supply(fiscal_year=fiscal_year, today=today)


def compute_demand_supply(*, fiscal_year: int, today: dt.date | None = None) -> DemandSupply:
    """Requested skill-hours against the free hours of people able to do them, per skill and fiscal quarter.

    * **Demand** of a skill in a quarter = Σ over the requests submitted in that quarter (not rejected or withdrawn)
      of ``hours ÷ number of the request's required skills``, where a request's hours are the effort logged on it,
      else its estimate, else its category's typical effort (mean logged effort of the category's requests), else
      DEFAULT_REQUEST_HOURS (``request_hours_expression``). Summed in SQL.
    * **Threshold** of a skill = the lowest ``min_level`` any of that year's requests asked of it (3 — works
      independently — when nobody asked for it).
    * **Supply** of a skill in a quarter = Σ over active people whose current level (as at the end of the fiscal
      year, or today) is ≥ the threshold of ``max(0, capacity − allocated hours of their active assignments)`` per
      week × the quarter's business days ÷ 5: the hours that *could* go to the skill (a person able to do several
      skills counts in each, so these do not add up across skills).
    * **Allocated / shortfall**: each free hour goes to at most one skill (reports.supply_allocation, an LP per
      quarter): the demand met, what is left unmet (in hours and in full-time people for the quarter), and the
      people one level below the threshold, who could reskill into the skill.

    Three queries. No access check: callers check the policy.
    """
    validate_period(fiscal_year, 1)
    today = today or fiscal.today()
    year = fiscal.fiscal_year_period(fiscal_year)
    as_of = as_of_day(year, today)
    quarters = [fiscal.quarter_period(fiscal_year, q) for q in (1, 2, 3, 4)]

    skills = skill_refs()  # 1
    skill_by_id = {skill.id: skill for skill in skills}

    # 2: demand per (skill, quarter)
    skills_per_request = (
        RequiredSkill.objects.filter(request_id=OuterRef("request_id"))
        .order_by()
        .values("request_id")
        .annotate(c=Count("id"))
        .values("c")
    )
    quarter_expr = Case(
        *(
            When(
                request__submitted_at__gte=p.start_datetime(),
                request__submitted_at__lt=p.end_datetime(),
                then=q,
            )
            for q, p in enumerate(quarters, start=1)
        ),
        output_field=IntegerField(),
    )
    demand_rows = (
        RequiredSkill.objects.filter(
            request__submitted_at__gte=year.start_datetime(),
            request__submitted_at__lt=year.end_datetime(),
            skill__active=True,
        )
        .exclude(request__status__in=STOPPED)
        .annotate(
            q=quarter_expr,
            share=request_hours_expression("request")
            / Cast(Subquery(skills_per_request, output_field=IntegerField()), FloatField()),
        )
        .values("skill_id", "q")
        .annotate(
            hours=Coalesce(Sum("share"), Value(0.0)),
            requests=Count("request_id", distinct=True),
            min_level=Min("min_level"),
        )
        .order_by()
    )
    demand: dict[tuple[int, int], tuple[float, int]] = {}
    threshold: dict[int, int] = {}
    for row in demand_rows:
        demand[(row["skill_id"], row["q"])] = (float(row["hours"] or 0), row["requests"])
        threshold[row["skill_id"]] = min(threshold.get(row["skill_id"], 5), row["min_level"])

    # 3: free hours and current level per (person, skill), as of the year's end
    people: dict[int, float] = {}  # staff_id -> free hours/week
    levels: dict[int, dict[int, int]] = defaultdict(dict)  # skill_id -> {staff_id: level}
    if skill_by_id:
        current, params = current_sql(as_of, list(skill_by_id))
        staff, staff_params = staff_sql(as_of, "capacity_hours_per_week")
        allocated, allocated_params = compiled(
            Assignment.objects.active()
            .order_by()
            .values("staff_id")
            .annotate(total=Sum("allocated_hours_per_week"))
        )
        free = "s.capacity_hours_per_week - COALESCE(al.total, 0)"
        sql = (
            f"SELECT c.staff_id, c.skill_id, c.level, CASE WHEN {free} > 0 THEN {free} ELSE 0 END"
            f" FROM ({current}) c JOIN ({staff}) s ON s.id = c.staff_id"
            f" LEFT JOIN ({allocated}) al ON al.staff_id = s.id"
        )
        for staff_id, skill_id, level, hours in fetch(sql, params + staff_params + allocated_params):
            people[staff_id] = float(hours or 0)
            levels[skill_id][staff_id] = level

    weeks = [fiscal.business_days_between(p.start - dt.timedelta(days=1), p.last_day) / 5 for p in quarters]
    level_of = {skill.id: threshold.get(skill.id, INDEPENDENT_LEVEL) for skill in skills}
    able: dict[int, set[int]] = defaultdict(set)  # staff_id -> skills at their threshold
    for skill_id, by_staff in levels.items():
        for staff_id, lv in by_staff.items():
            if lv >= level_of[skill_id]:
                able[staff_id].add(skill_id)
    allocations = {
        q: allocate_grouped(
            people, able, {sid: hours for (sid, qq), (hours, _n) in demand.items() if qq == q}, weeks[q - 1]
        )
        for q in (1, 2, 3, 4)
    }
    rows = []
    for skill in skills:
        level = level_of[skill.id]
        able_staff = [sid for sid, lv in levels.get(skill.id, {}).items() if lv >= level]
        weekly = sum(people[sid] for sid in able_staff)
        one_below = sum(1 for lv in levels.get(skill.id, {}).values() if lv == level - 1)
        for q in (1, 2, 3, 4):
            hours, requests = demand.get((skill.id, q), (0.0, 0))
            allocation = allocations[q]
            rows.append(
                DemandSupplyRow(
                    skill=skill,
                    quarter=q,
                    label=f"Q{q}",
                    threshold=level,
                    requests=requests,
                    demand_hours=round(hours, 1),
                    supply_hours=round(weekly * weeks[q - 1], 1),
                    able_people=len(able_staff),
                    allocated_hours=round(allocation.supplied.get(skill.id, 0.0), 1),
                    shortfall_hours=round(allocation.shortfall.get(skill.id, 0.0), 1),
                    short_people=allocation.short_people(skill.id, FULL_TIME_HOURS_PER_WEEK * weeks[q - 1]),
                    reskill_people=one_below,
                )
            )
    return DemandSupply(
        fiscal_year=fiscal_year,
        label=fiscal.fiscal_year_label(fiscal_year),
        rows=rows,
        quarters=[(q, f"Q{q}") for q in (1, 2, 3, 4)],
        as_of=as_of,
        computed_at=timezone.now(),
    )
