"""The talent pool as the matching engine sees it, read from the database in a constant number of queries:

1. the active staff profiles (skills.selectors.staff_profile_list_for) as plain values — capacity, job type — with
   the hours/week of their active assignments (Assignment.objects.allocated_hours_subquery, in the same query),
2. current validated levels for the required skills (skills.selectors.current_level_columns, as numpy columns),
3. pending self-assessed levels for them (skills.selectors.pending_levels),
4. valid certifications evidencing them (skills.selectors.valid_certifications — names kept for the reasons),
5. past work per (person, requesting organisation) with its average satisfaction,

plus one query for the model objects of the few people actually shown (`profiles_of`). No model instance is built
for the others: building 1,000 of them would cost more than the ranking. The workload board's load per person
(`with_load`) is here too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from skills import selectors as skills_selectors
from skills.models import StaffProfile
from staffing import matching
from support.models import Assignment, Status, active_assignment_q

#: Requests whose past work counts for continuity.
PAST_STATUSES = (Status.RESOLVED, Status.CLOSED)
_HOURS = DecimalField(max_digits=7, decimal_places=1)


def with_load(profiles: QuerySet) -> QuerySet:
    """Staff profiles annotated with `allocated` (hours/week of active assignments), `assignment_count`, `free`,
    `load` (allocated ÷ capacity, 1 when capacity is 0 — the SQL twin of matching.load_ratio) and `over_capacity`
    (allocated > capacity). One query."""
    active = active_assignment_q("assignments__")
    return profiles.annotate(
        allocated=Coalesce(
            Sum("assignments__allocated_hours_per_week", filter=active),
            Value(Decimal("0")),
            output_field=_HOURS,
        ),
        assignment_count=Count("assignments", filter=active),
    ).annotate(
        free=ExpressionWrapper(F("capacity_hours_per_week") - F("allocated"), output_field=_HOURS),
        load=Case(
            When(capacity_hours_per_week__lte=0, then=Value(1.0)),
            default=Cast("allocated", FloatField()) / Cast("capacity_hours_per_week", FloatField()),
            output_field=FloatField(),
        ),
        over_capacity=ExpressionWrapper(
            Q(allocated__gt=F("capacity_hours_per_week")), output_field=BooleanField()
        ),
    )


def profiles_of(user, staff_ids: Iterable[int]) -> dict[int, StaffProfile]:
    """The staff profiles (user and job type joined) of the few people shown: one query (none for no one)."""
    staff_ids = set(staff_ids)
    if not staff_ids:
        return {}
    return {p.pk: p for p in skills_selectors.staff_profile_list_for(user).filter(pk__in=staff_ids)}


def _history(organization_ids: Iterable[int]) -> dict[int, dict[int, tuple[int, float | None]]]:
    """{staff_id: {organization_id: (past requests, average satisfaction or None)}} — resolved/closed requests the
    person was assigned to (released or not). One query."""
    organization_ids = sorted(set(organization_ids))
    if not organization_ids:
        return {}
    rows = (
        Assignment.objects.filter(
            request__organization_id__in=organization_ids, request__status__in=PAST_STATUSES
        )
        .order_by()
        .values("staff_id", "request__organization_id")
        .annotate(count=Count("request", distinct=True), avg=Avg("request__satisfaction__score"))
        .values_list("staff_id", "request__organization_id", "count", "avg")
    )
    result: dict[int, dict[int, tuple[int, float | None]]] = defaultdict(dict)
    for staff_id, organization_id, count, avg in rows:
        result[staff_id][organization_id] = (count, float(avg) if avg is not None else None)
    return result


def _level_matrix(rows: list[tuple], skill_ids: list[int], columns: LevelColumns) -> np.ndarray:
    """levels as a (people × skills) matrix, 0 where none: rows in staff-pk order (read_pool orders them so),
    skill_ids sorted. Vectorised: 5,000 people × 5 skills is 25,000 levels."""
    matrix = np.zeros((len(rows), max(len(skill_ids), 1)), dtype=np.float64)
    staff_col, skill_col, level_col = columns
    if not len(level_col) or not rows:
        return matrix
    staff = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    skills = np.asarray(skill_ids, dtype=np.int64)
    i = np.searchsorted(staff, staff_col).clip(max=len(staff) - 1)
    j = np.searchsorted(skills, skill_col).clip(max=len(skills) - 1)
    known = (staff[i] == staff_col) & (skills[j] == skill_col)
    matrix[i[known], j[known]] = level_col[known]
    return matrix


#: (staff_ids, skill_ids, levels) as int64 arrays (skills.selectors.current_level_columns).
LevelColumns = tuple[np.ndarray, np.ndarray, np.ndarray]
_NO_LEVELS: LevelColumns = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))


@dataclass
class PoolData:
    """The pool as read (five queries), before any `matching.Person` is built: the staff rows and, keyed by
    (staff, skill) or staff, the levels, pending levels, certifications and past work for the skills and
    organisations asked for."""

    rows: list[tuple]  # (pk, capacity, job_type_id, allocated[, display_name, email]), by pk
    skill_ids: list[int]
    level_columns: LevelColumns  # current validated levels: no Python object per level until one is asked for
    pending: dict[tuple[int, int], int]
    certified: dict[int, set[int]]
    cert_names: dict[tuple[int, int], list[str]]  # (staff, skill) -> names, for the reasons
    history: dict[int, dict[int, tuple[int, float | None]]]

    @cached_property
    def levels(self) -> dict[tuple[int, int], int]:
        """{(staff_id, skill_id): level}: built once, when many people are asked for (load_pool)."""
        staff, skill, level = (column.tolist() for column in self.level_columns)
        return dict(zip(zip(staff, skill, strict=True), level, strict=True))

    def levels_of(self, staff_id: int) -> dict[int, int]:
        """{skill_id: level} of one person, in skill_ids order; from the dict when built, else from the columns
        (a few people shown: no dict of every level)."""
        if "levels" in self.__dict__:
            levels = self.levels
            return {sid: levels[staff_id, sid] for sid in self.skill_ids if (staff_id, sid) in levels}
        staff, skill, level = self.level_columns
        mine = np.flatnonzero(staff == staff_id)
        found = dict(zip(skill[mine].tolist(), level[mine].tolist(), strict=True))
        return {sid: found[sid] for sid in self.skill_ids if sid in found}

    def person(self, row: tuple, name: str | None = None) -> matching.Person:
        """The engine's view of one row (`name` when the rows were read without names)."""
        pk, capacity, job_type, allocated = row[:4]
        pending, skill_ids = self.pending, self.skill_ids
        return matching.Person(
            staff_id=pk,
            name=name if name is not None else (row[4] or row[5]),
            capacity=float(capacity),
            allocated=float(allocated or 0),
            levels=self.levels_of(pk),
            pending_levels={sid: pending[pk, sid] for sid in skill_ids if (pk, sid) in pending},
            certified_skills=frozenset(self.certified.get(pk, ())),
            history=self.history.get(pk, {}),
            job_type_id=job_type,
        )

    def shortlist(self, spec: matching.RequestSpec, *, include_full: bool, limit: int) -> list[tuple]:
        """The rows of the people who can be among the first `limit` candidates for `spec`: matching.shortlist over
        the pool as numpy columns (no `matching.Person` for the others)."""
        rows = self.rows
        n_people = len(rows)
        if not n_people:
            return []
        index = {row[0]: i for i, row in enumerate(rows)}
        col = {sid: j for j, sid in enumerate(self.skill_ids)}
        levels = _level_matrix(rows, self.skill_ids, self.level_columns)
        certified = np.zeros(levels.shape, dtype=bool)
        for staff_id, skill_ids in self.certified.items():
            i = index.get(staff_id)
            if i is not None:
                for skill_id in skill_ids:
                    certified[i, col[skill_id]] = True
        history_count = np.zeros(n_people)
        history_avg = np.full(n_people, np.nan)
        for staff_id, per_organization in self.history.items():
            i = index.get(staff_id)
            past = per_organization.get(spec.organization_id)
            if i is not None and past is not None:
                history_count[i] = past[0]
                if past[1] is not None:
                    history_avg[i] = past[1]
        chosen = matching.shortlist(
            spec,
            skill_ids=self.skill_ids,
            levels=levels,
            certified=certified,
            capacity=np.fromiter((float(row[1]) for row in rows), dtype=np.float64, count=n_people),
            allocated=np.fromiter((float(row[3] or 0) for row in rows), dtype=np.float64, count=n_people),
            history_count=history_count,
            history_avg=history_avg,
            include_full=include_full,
            limit=limit,
        )
        return [rows[i] for i in chosen.tolist()]


def read_pool(
    user,
    *,
    skill_ids: Iterable[int],
    organization_ids: Iterable[int] = (),
    job_type_id: int | None = None,
    with_names: bool = True,
    with_allocated: bool = True,
) -> PoolData:
    """Five queries, whatever the size of the pool (see the module doc). Without names, the staff query needs no
    join with the users (ranking names only the few people it shows); without allocated hours (0 in the rows), no
    join with the assignments (ranking puts the hours taken within the request's period there instead)."""
    skill_ids = sorted(set(skill_ids))
    rows_qs = skills_selectors.staff_profile_list_for(user)
    if job_type_id:
        rows_qs = rows_qs.filter(job_type_id=job_type_id)
    columns = ["pk", "capacity_hours_per_week", "job_type_id", "allocated"]
    if with_names:
        columns += ["user__display_name", "user__email"]
    # Allocated hours by a join and GROUP BY (one pass over the active assignments) rather than a subquery per
    # person: at 5,000 people the correlated subquery was most of this query's time.
    allocated = (
        Sum("assignments__allocated_hours_per_week", filter=active_assignment_q("assignments__"))
        if with_allocated
        else Value(0)
    )
    rows = list(rows_qs.annotate(allocated=allocated).order_by("pk").values_list(*columns))
    levels = _NO_LEVELS
    pending: dict[tuple[int, int], int] = {}
    certified: dict[int, set[int]] = defaultdict(set)
    cert_names: dict[tuple[int, int], list[str]] = defaultdict(list)
    if skill_ids:
        levels = skills_selectors.current_level_columns(skill_ids=skill_ids)
        pending = skills_selectors.pending_levels(skill_ids=skill_ids)
        certifications = (
            skills_selectors.valid_certifications()
            .filter(skill_id__in=skill_ids)
            .order_by("staff_id", "skill_id", "-obtained_on", "name")
            .values_list("staff_id", "skill_id", "name")
        )
        for staff_id, skill_id, name in certifications:
            certified[staff_id].add(skill_id)
            if name not in cert_names[(staff_id, skill_id)]:
                cert_names[(staff_id, skill_id)].append(name)
    return PoolData(
        rows=rows,
        skill_ids=skill_ids,
        level_columns=levels,
        pending=pending,
        certified=certified,
        cert_names=dict(cert_names),
        history=_history(organization_ids),
    )


def load_pool(
    user, *, skill_ids: Iterable[int], organization_ids: Iterable[int] = ()
) -> list[matching.Person]:
    """The whole pool as engine people for these required skills and requesting organisations: five queries,
    whatever its size (people with their allocated hours, current levels, pending levels, certifications, past
    work)."""
    data = read_pool(user, skill_ids=skill_ids, organization_ids=organization_ids)
    data.levels  # noqa: B018 — every person is asked for: one dict of the levels rather than a scan each
    return [data.person(row) for row in data.rows]
