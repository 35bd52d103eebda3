"""Reads of the digital skill map. Every page, GraphQL resolver, report and the matching engine use these."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from core.fiscal import today as local_today
from skills import policies
from skills.models import (
    AssessmentSource,
    AssessmentStatus,
    Certification,
    JobType,
    ProficiencyLevel,
    Skill,
    SkillAssessment,
    SkillCategory,
    SkillInterest,
    StaffProfile,
    TargetSkill,
)


def _validated_assessments(
    *,
    staff_ids: Iterable[int] | None = None,
    skill_ids: Iterable[int] | None = None,
    as_of: dt.date | None = None,
) -> QuerySet:
    """Validated assessments that count for the current level (as of a date when given), before the latest per
    (person, skill) is picked."""
    queryset = SkillAssessment.objects.filter(status=AssessmentStatus.VALIDATED)
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    if skill_ids is not None:
        queryset = queryset.filter(skill_id__in=list(skill_ids))
    if as_of is not None:
        queryset = queryset.annotate(effective_on=Coalesce("validated_on", "assessed_on")).filter(
            Q(assessed_on__lte=as_of) & Q(effective_on__lte=as_of)
        )
    return queryset


#: The order that picks the current assessment first within each (person, skill).
_LATEST_FIRST = ("staff_id", "skill_id", "-assessed_on", "-id")


def current_assessments(
    *,
    staff_ids: Iterable[int] | None = None,
    skill_ids: Iterable[int] | None = None,
    as_of: dt.date | None = None,
) -> QuerySet:
    """The assessment that defines each (person, skill)'s current level: the latest validated one.

    A pending self-assessment never counts. With `as_of`, only what had been validated by that date counts, which
    gives the map "as of" any past date. One SQL query (a window function), whatever the number of people.
    """
    queryset = _validated_assessments(staff_ids=staff_ids, skill_ids=skill_ids, as_of=as_of)
    return queryset.annotate(
        row_number=Window(
            RowNumber(),
            partition_by=[F("staff_id"), F("skill_id")],
            order_by=[F("assessed_on").desc(), F("id").desc()],
        )
    ).filter(row_number=1)


def current_levels(
    *,
    staff_ids: Iterable[int] | None = None,
    skill_ids: Iterable[int] | None = None,
    as_of: dt.date | None = None,
) -> dict[tuple[int, int], int]:
    """{(staff_id, skill_id): current validated level}. One query.

    The same rows as `current_assessments`; on PostgreSQL picked with DISTINCT ON (staff, skill) over the latest-
    first order, which avoids the window's sorts (about twice as fast), elsewhere with the window function."""
    if connection.vendor == "postgresql":
        rows = (
            _validated_assessments(staff_ids=staff_ids, skill_ids=skill_ids, as_of=as_of)
            .order_by(*_LATEST_FIRST)
            .distinct("staff_id", "skill_id")
            .values_list("staff_id", "skill_id", "level")
        )
    else:
        rows = current_assessments(staff_ids=staff_ids, skill_ids=skill_ids, as_of=as_of).values_list(
            "staff_id", "skill_id", "level"
        )
    return {(staff_id, skill_id): level for staff_id, skill_id, level in rows}


# --- the same definition, as a correlated subquery ---------------------------------------------------------------


def current_level_subquery(skill_id: int, *, as_of: dt.date | None = None, staff_ref: str = "pk") -> Subquery:
    """The current level of one skill for the staff profile of the outer query (None when never validated).

    The same definition as `current_assessments` (latest validated assessment, ordered by assessed_on then id,
    as of a date when given), written as a correlated subquery so that a list of people can be filtered and
    sorted by a level in SQL. Note: `current_assessments(...).filter(level__gte=n)` would filter BEFORE the window
    picks the latest row; use this (or `current_levels`) instead.
    """
    queryset = SkillAssessment.objects.filter(
        staff_id=OuterRef(staff_ref), skill_id=skill_id, status=AssessmentStatus.VALIDATED
    )
    if as_of is not None:
        queryset = queryset.annotate(effective_on=Coalesce("validated_on", "assessed_on")).filter(
            assessed_on__lte=as_of, effective_on__lte=as_of
        )
    return Subquery(queryset.order_by("-assessed_on", "-id").values("level")[:1])


# --- pending self-assessments, certifications, interests -----------------------------------------------------------


def pending_assessments(
    *, staff_ids: Iterable[int] | None = None, skill_ids: Iterable[int] | None = None
) -> QuerySet:
    """The latest pending self-assessment per (person, skill). One query."""
    queryset = SkillAssessment.objects.filter(status=AssessmentStatus.PENDING, source=AssessmentSource.SELF)
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    if skill_ids is not None:
        queryset = queryset.filter(skill_id__in=list(skill_ids))
    return queryset.annotate(
        row_number=Window(
            RowNumber(),
            partition_by=[F("staff_id"), F("skill_id")],
            order_by=[F("assessed_on").desc(), F("id").desc()],
        )
    ).filter(row_number=1)


def pending_levels(
    *, staff_ids: Iterable[int] | None = None, skill_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], int]:
    """{(staff_id, skill_id): level of the latest pending self-assessment}. One query."""
    rows = pending_assessments(staff_ids=staff_ids, skill_ids=skill_ids).values_list(
        "staff_id", "skill_id", "level"
    )
    return {(staff_id, skill_id): level for staff_id, skill_id, level in rows}


def valid_certifications(*, staff_ids: Iterable[int] | None = None, on: dt.date | None = None) -> QuerySet:
    """Certifications obtained by `on` and not expired on it (default today)."""
    on = on or local_today()
    queryset = Certification.objects.valid_on(on)
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    return queryset


def certified_skills(
    *, staff_ids: Iterable[int] | None = None, on: dt.date | None = None
) -> dict[int, set[int]]:
    """{staff_id: {skill_id, …}} backed by a certification valid on `on` (default today). One query.

    An expired certificate stops counting as evidence.
    """
    result: dict[int, set[int]] = {}
    rows = (
        valid_certifications(staff_ids=staff_ids, on=on)
        .filter(skill__isnull=False)
        .values_list("staff_id", "skill_id")
        .distinct()
    )
    for staff_id, skill_id in rows:
        result.setdefault(staff_id, set()).add(skill_id)
    return result


def interests(*, staff_ids: Iterable[int] | None = None) -> dict[tuple[int, int], tuple[bool, bool]]:
    """{(staff_id, skill_id): (wants_to_learn, can_mentor)}. One query."""
    queryset = SkillInterest.objects.filter(Q(wants_to_learn=True) | Q(can_mentor=True))
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    return {
        (staff_id, skill_id): (wants, mentor)
        for staff_id, skill_id, wants, mentor in queryset.values_list(
            "staff_id", "skill_id", "wants_to_learn", "can_mentor"
        )
    }


def _latest_ratings(
    *, sources: Iterable[str], staff_ids: Iterable[int] | None = None, as_of: dt.date | None = None
) -> QuerySet:
    """The latest assessment per (person, skill, source), whatever its status (recorded by `as_of` when given)."""
    queryset = SkillAssessment.objects.filter(source__in=list(sources))
    if staff_ids is not None:
        queryset = queryset.filter(staff_id__in=list(staff_ids))
    if as_of is not None:
        queryset = queryset.filter(assessed_on__lte=as_of)
    return queryset.annotate(
        row_number=Window(
            RowNumber(),
            partition_by=[F("staff_id"), F("skill_id"), F("source")],
            order_by=[F("assessed_on").desc(), F("id").desc()],
        )
    ).filter(row_number=1)


def latest_ratings(*, staff_ids: Iterable[int] | None = None, source: str) -> dict[tuple[int, int], int]:
    """{(staff_id, skill_id): level of the latest assessment from `source`} (self or manager), whatever its status.

    Shown beside each skill of a person's map. One query.
    """
    rows = _latest_ratings(sources=[source], staff_ids=staff_ids).values_list("staff_id", "skill_id", "level")
    return {(staff_id, skill_id): level for staff_id, skill_id, level in rows}


@dataclass(frozen=True)
class RatingGap:
    staff_id: int
    skill_id: int
    self_level: int
    manager_level: int
    person: str  # display name, else e-mail
    email: str

    @property
    def gap(self) -> int:
        return self.self_level - self.manager_level


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def rating_gaps(*, as_of: dt.date | None = None, limit: int | None = None) -> tuple[int, list[RatingGap]]:
    """THE self-versus-manager gap, used by the validation page and HR's coverage report: (how many, the gaps).

    A gap is a (person, skill) whose latest self-assessment and latest manager assessment — each the latest of its
    source by (assessed_on, id), whatever its status, recorded by `as_of` when given — both exist and differ. Self
    and manager ratings are separate rows (append-only history), so a pending self-assessment counts: the gap is
    what the manager should talk about, before or after validating.

    Scope, decided once: **active staff and active skills**. People who left cannot be developed or assigned, and a
    retired skill is no longer assessed, so their old disagreements are not actionable; both pages list only active
    people and active skills anyway (the report's heat map, the validation page's pool).

    Largest gap first, then e-mail and skill code; at most `limit`. One query (the count is a window over the same
    rows), whatever the history: it aggregates in SQL wrapped around the ORM's own latest-rating query.
    """
    latest, params = (
        _latest_ratings(sources=(AssessmentSource.SELF, AssessmentSource.MANAGER), as_of=as_of)
        .order_by()
        .values("staff_id", "skill_id", "source", "level")
        .query.sql_with_params()
    )
    user_table = _table(StaffProfile._meta.get_field("user").related_model)
    sql = f"""
        SELECT p.staff_id, p.skill_id, p.self_level, p.manager_level, u.display_name, u.email,
               COUNT(*) OVER () AS total
        FROM (
            SELECT l.staff_id, l.skill_id,
                   MAX(CASE WHEN l.source = %s THEN l.level END) AS self_level,
                   MAX(CASE WHEN l.source = %s THEN l.level END) AS manager_level
            FROM ({latest}) l
            GROUP BY l.staff_id, l.skill_id
        ) p
        JOIN {_table(StaffProfile)} sp ON sp.id = p.staff_id
        JOIN {user_table} u ON u.id = sp.user_id
        JOIN {_table(Skill)} k ON k.id = p.skill_id
        WHERE p.self_level <> p.manager_level AND sp.active = %s AND k.active = %s
        ORDER BY ABS(p.self_level - p.manager_level) DESC, u.email, k.code
    """
    params = [AssessmentSource.SELF.value, AssessmentSource.MANAGER.value, *params, True, True]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    gaps = [
        RatingGap(staff_id, skill_id, own, manager, name or email, email)
        for staff_id, skill_id, own, manager, name, email, _total in rows
    ]
    return (rows[0][-1] if rows else 0), gaps


# --- taxonomy -----------------------------------------------------------------------------------------------------


def skill_category_list(*, with_skills: bool = False, active_only: bool = True) -> QuerySet:
    queryset = SkillCategory.objects.all()
    if with_skills:
        skills = Skill.objects.order_by("order", "code")
        if active_only:
            skills = skills.filter(active=True)
        queryset = queryset.prefetch_related(Prefetch("skills", queryset=skills))
    return queryset


def skill_list(
    *, active: bool | None = True, category: str | None = None, search: str | None = None
) -> QuerySet:
    """Skills of the taxonomy (names are not personal data: anyone signed in may read them)."""
    queryset = Skill.objects.select_related("category")
    if active is not None:
        queryset = queryset.filter(active=active)
    if category:
        queryset = queryset.filter(category__code=category)
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(name_en__icontains=search)
        )
    return queryset


def skill_by_code(code: str, *, active: bool | None = None) -> Skill | None:
    return skill_list(active=active).filter(code=code).first()


def proficiency_levels() -> dict[int, ProficiencyLevel]:
    return {level.level: level for level in ProficiencyLevel.objects.all()}


def job_type_list(*, active: bool | None = True) -> QuerySet:
    """Job types with their target profiles (skills loaded)."""
    queryset = JobType.objects.prefetch_related(
        Prefetch("targets", queryset=TargetSkill.objects.select_related("skill", "skill__category"))
    )
    if active is not None:
        queryset = queryset.filter(active=active)
    return queryset


# --- staff profiles, scoped to the user ----------------------------------------------------------------------------


def _profiles() -> QuerySet:
    return StaffProfile.objects.select_related("user", "job_type")


def staff_profile_list_for(user) -> QuerySet:
    """Active staff profiles the user may see: ICT staff, managers, HR and admins see the pool; requesters nothing."""
    if not policies.can_view_skill_map(user):
        return StaffProfile.objects.none()
    return _profiles().filter(active=True)


def staff_profile_get_for(user, pk) -> StaffProfile | None:
    """One profile the user may see, or None (not found and forbidden look the same)."""
    if not policies.can_view_skill_map(user):
        return None
    queryset = _profiles() if policies.can_view_all_profiles(user) else _profiles().filter(active=True)
    try:
        return queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def staff_profile_by_email_for(user, email: str) -> StaffProfile | None:
    if not policies.can_view_skill_map(user) or not email:
        return None
    queryset = _profiles() if policies.can_view_all_profiles(user) else _profiles().filter(active=True)
    return queryset.filter(user__email__iexact=email.strip()).first()


def own_staff_profile(user) -> StaffProfile | None:
    """The signed-in user's own profile (active or not), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return _profiles().filter(user_id=user.pk).first()


# Hours/week already allocated to a person, as a subquery correlated on the staff row. Assignments belong to the
# support app, which registers its query method here when it loads (support/apps.py); skills never imports support.
_allocated_hours_subquery = None


def register_allocated_hours(subquery_factory) -> None:
    """Called once by the app that records assignments: `subquery_factory()` → hours/week per OuterRef("pk")."""
    global _allocated_hours_subquery
    _allocated_hours_subquery = subquery_factory


def available_hours_expression():
    """Capacity minus the hours of active assignments (capacity alone when no app records assignments)."""
    if _allocated_hours_subquery is None:
        return F("capacity_hours_per_week")
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=6, decimal_places=1))
    return ExpressionWrapper(
        F("capacity_hours_per_week") - Coalesce(_allocated_hours_subquery(), zero),
        output_field=DecimalField(max_digits=6, decimal_places=1),
    )


@dataclass(frozen=True)
class SkillRequirement:
    skill_id: int
    min_level: int


def level_key(index: int) -> str:
    return f"level_{index}"


def expert_search_for(
    user,
    *,
    requirements: Iterable[SkillRequirement] = (),
    job_type_id: int | None = None,
    available_hours: Decimal | float | None = None,
    search: str | None = None,
    kind: str | None = None,
    as_of: dt.date | None = None,
) -> QuerySet:
    """Active staff profiles (scoped to the user) with every required skill at ≥ its minimum current level.

    Each requirement i adds an annotation `level_<i>` (the current level; sortable), and every row carries
    `available_hours` (capacity minus active assignments). One query for the rows, whatever their number.
    """
    queryset = staff_profile_list_for(user).annotate(available_hours=available_hours_expression())
    for index, requirement in enumerate(requirements):
        key = level_key(index)
        queryset = queryset.annotate(
            **{key: current_level_subquery(requirement.skill_id, as_of=as_of)}
        ).filter(**{f"{key}__gte": requirement.min_level})
    if job_type_id:
        queryset = queryset.filter(job_type_id=job_type_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if available_hours is not None:
        queryset = queryset.filter(available_hours__gte=available_hours)
    if search:
        queryset = queryset.filter(
            Q(user__display_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(grade__icontains=search)
        )
    return queryset


# --- one person's map --------------------------------------------------------------------------------------------


def assessment_history(staff: StaffProfile, *, as_of: dt.date | None = None) -> QuerySet:
    """Every assessment of one person, newest first, with people and evidence loaded."""
    queryset = staff.assessments.select_related(
        "skill", "skill__category", "assessed_by", "validated_by", "evidence_certification"
    )
    if as_of is not None:
        queryset = queryset.filter(assessed_on__lte=as_of)
    return queryset.order_by("-assessed_on", "-id")


def certification_list(staff: StaffProfile) -> QuerySet:
    return staff.certifications.select_related("skill").order_by("-obtained_on", "-id")


@dataclass
class SkillMapRow:
    """One skill of a person's map: the target (from the job type), current and pending level, gap, flags."""

    skill: Skill
    target_level: int | None = None
    importance: int | None = None
    current_level: int | None = None
    current_assessment: SkillAssessment | None = None
    pending_level: int | None = None
    pending_assessment: SkillAssessment | None = None
    wants_to_learn: bool = False
    can_mentor: bool = False
    certified: bool = False
    last_self_level: int | None = None
    last_manager_level: int | None = None

    @property
    def gap(self) -> int | None:
        """How many levels below the target (0 when met; None without a target)."""
        if self.target_level is None:
            return None
        return max(0, self.target_level - (self.current_level or 0))

    @property
    def self_manager_gap(self) -> int | None:
        if self.last_self_level is None or self.last_manager_level is None:
            return None
        return self.last_self_level - self.last_manager_level


def skill_map(staff: StaffProfile, *, as_of: dt.date | None = None) -> list[SkillMapRow]:
    """Every skill of the person's target profile plus every other skill they have been assessed on or flagged.

    A constant number of queries (about seven), whatever the number of skills.
    """
    rows: dict[int, SkillMapRow] = {}
    if staff.job_type_id:
        for target in TargetSkill.objects.filter(job_type_id=staff.job_type_id).select_related(
            "skill", "skill__category"
        ):
            rows[target.skill_id] = SkillMapRow(
                skill=target.skill, target_level=target.target_level, importance=target.importance
            )
    current = {
        a.skill_id: a
        for a in current_assessments(staff_ids=[staff.pk], as_of=as_of).select_related(
            "skill", "skill__category", "validated_by", "assessed_by"
        )
    }
    pending = {}
    if as_of is None:
        pending = {
            a.skill_id: a
            for a in pending_assessments(staff_ids=[staff.pk]).select_related("skill", "skill__category")
        }
    flags = {
        i.skill_id: i
        for i in SkillInterest.objects.filter(staff=staff)
        .filter(Q(wants_to_learn=True) | Q(can_mentor=True))
        .select_related("skill", "skill__category")
    }
    for source in (current, pending, flags):
        for skill_id, obj in source.items():
            if skill_id not in rows:
                rows[skill_id] = SkillMapRow(skill=obj.skill)
    for skill_id, assessment in current.items():
        rows[skill_id].current_level = assessment.level
        rows[skill_id].current_assessment = assessment
    for skill_id, assessment in pending.items():
        rows[skill_id].pending_level = assessment.level
        rows[skill_id].pending_assessment = assessment
    for skill_id, interest in flags.items():
        rows[skill_id].wants_to_learn = interest.wants_to_learn
        rows[skill_id].can_mentor = interest.can_mentor
    for skill_id in certified_skills(staff_ids=[staff.pk], on=as_of).get(staff.pk, set()):
        if skill_id in rows:
            rows[skill_id].certified = True
    if as_of is None:
        for (_staff, skill_id), level in latest_ratings(
            staff_ids=[staff.pk], source=AssessmentSource.SELF
        ).items():
            if skill_id in rows:
                rows[skill_id].last_self_level = level
        for (_staff, skill_id), level in latest_ratings(
            staff_ids=[staff.pk], source=AssessmentSource.MANAGER
        ).items():
            if skill_id in rows:
                rows[skill_id].last_manager_level = level
    return sorted(
        rows.values(),
        key=lambda row: (
            row.target_level is None,
            row.skill.category.order,
            row.skill.category.code,
            row.skill.order,
            row.skill.code,
        ),
    )


# --- the validation queue ---------------------------------------------------------------------------------------


def validation_queue_for(user) -> QuerySet:
    """Pending self-assessments of the (one) talent pool that this manager may validate: never their own."""
    if not policies.can_validate(user):
        return SkillAssessment.objects.none()
    return (
        SkillAssessment.objects.filter(
            status=AssessmentStatus.PENDING, source=AssessmentSource.SELF, staff__active=True
        )
        .exclude(staff__user_id=user.pk)
        .select_related(
            "staff", "staff__user", "staff__job_type", "skill", "skill__category", "evidence_certification"
        )
        .order_by("assessed_on", "id")
    )


def assessment_get_for_validation(user, pk) -> SkillAssessment | None:
    try:
        return validation_queue_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def assessment_list_for(user, staff: StaffProfile) -> QuerySet:
    """A person's assessments if the user may see that person (else none)."""
    if staff_profile_get_for(user, staff.pk) is None:
        return SkillAssessment.objects.none()
    return assessment_history(staff)


# --- exports ------------------------------------------------------------------------------------------------------


def assessment_export_for(user) -> QuerySet:
    """Every assessment of the profiles the user may see (exports: managers, HR, admins)."""
    if not policies.can_export(user):
        return SkillAssessment.objects.none()
    return (
        SkillAssessment.objects.filter(staff__in=staff_profile_list_for(user).values("pk"))
        .select_related("staff__user", "skill", "assessed_by", "validated_by")
        .order_by("staff__user__email", "skill__code", "assessed_on", "id")
    )


def certification_export_for(user) -> QuerySet:
    if not policies.can_export(user):
        return Certification.objects.none()
    return (
        Certification.objects.filter(staff__in=staff_profile_list_for(user).values("pk"))
        .select_related("staff__user", "skill")
        .order_by("staff__user__email", "obtained_on", "id")
    )


def certifications_expiring(*, within_days: int = 90, on: dt.date | None = None) -> QuerySet:
    """Certifications still valid that expire within the next `within_days` days."""
    on = on or local_today()
    return (
        Certification.objects.expiring(on, within_days)
        .select_related("staff__user", "skill")
        .order_by("expires_on")
    )


@dataclass
class RatingGapRow:
    staff: StaffProfile
    skill: Skill
    self_level: int
    manager_level: int

    @property
    def gap(self) -> int:
        return self.self_level - self.manager_level


def rating_gap_rows_for(user, *, limit: int = 100) -> list[RatingGapRow]:
    """The self-versus-manager gaps (``rating_gaps``) for the validation page, largest first. Three queries."""
    if not policies.can_view_skill_map(user):
        return []
    _count, gaps = rating_gaps(limit=limit)
    staff = _profiles().in_bulk({gap.staff_id for gap in gaps})
    skills = Skill.objects.select_related("category").in_bulk({gap.skill_id for gap in gaps})
    return [
        RatingGapRow(
            staff=staff[gap.staff_id],
            skill=skills[gap.skill_id],
            self_level=gap.self_level,
            manager_level=gap.manager_level,
        )
        for gap in gaps
    ]


# --- GraphQL: profiles with their skills, prefetched (a constant number of queries per page) ------------------------


def with_skill_details(queryset: QuerySet) -> QuerySet:
    """Prefetch what a profile's current skills, pending levels, history and certifications need.

    `current_assessment_list` comes from `current_assessments` itself (the one definition), pending ones from
    `pending_assessments`; both are filtered by person before the window, which partitions by person anyway.
    """
    return queryset.prefetch_related(*skill_detail_prefetches())


def skill_detail_prefetches() -> list:
    return [
        Prefetch(
            "assessments",
            queryset=current_assessments().select_related("skill", "skill__category").order_by("skill__code"),
            to_attr="current_assessment_list",
        ),
        Prefetch(
            "assessments",
            queryset=pending_assessments().select_related("skill", "skill__category"),
            to_attr="pending_assessment_list",
        ),
        Prefetch(
            "assessments",
            queryset=SkillAssessment.objects.select_related(
                "skill", "skill__category", "assessed_by", "validated_by"
            ).order_by("-assessed_on", "-id"),
            to_attr="history_list",
        ),
        Prefetch(
            "certifications",
            queryset=Certification.objects.select_related("skill", "skill__category").order_by(
                "-obtained_on", "-id"
            ),
            to_attr="certification_list",
        ),
        Prefetch("job_type__targets", queryset=TargetSkill.objects.select_related("skill")),
    ]
