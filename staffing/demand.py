"""What a support request demands of the talent pool: its required skills as the engine's RequestSpec, and the
hours per week it needs from the person placed on it."""

from __future__ import annotations

from skills.models import Skill
from staffing import matching
from support.models import SupportRequest

#: Hours per week a request needs from the person placed on it when nothing better is known.
DEFAULT_HOURS_PER_WEEK = 4.0
#: Bounds of the derived figure (estimated hours spread over the weeks between desired start and due date).
MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK = 1.0, 20.0
#: Weeks an estimate is spread over when the request has no desired start and due date (about a quarter).
DEFAULT_WEEKS = 12.0


def hours_per_week_for(request: SupportRequest) -> float:
    """Hours/week a request needs from one person: its estimated hours spread over the weeks from desired start to
    due date (bounded to 1–20, in half hours), or DEFAULT_HOURS_PER_WEEK when that is unknown."""
    estimated = request.estimated_hours
    if estimated is None or estimated <= 0:
        return DEFAULT_HOURS_PER_WEEK
    if request.desired_start and request.due_date:
        weeks = max((request.due_date - request.desired_start).days / 7.0, 1.0)
    else:
        weeks = DEFAULT_WEEKS
    hours = float(estimated) / weeks
    return float(min(max(round(hours * 2) / 2, MIN_HOURS_PER_WEEK), MAX_HOURS_PER_WEEK))


def required_skills(request: SupportRequest) -> dict[int, Skill]:
    """{skill_id: skill} of the request's required skills, in their order (prefetched by support.selectors)."""
    return {r.skill_id: r.skill for r in request.required_skills.all()}


def request_spec(request: SupportRequest, *, hours: float | None = None) -> matching.RequestSpec:
    """The request as the engine sees it; `hours` overrides the derived hours per week."""
    return matching.RequestSpec(
        request_id=request.pk,
        organization_id=request.organization_id,
        requirements=tuple(
            matching.Requirement(
                skill_id=r.skill_id, min_level=r.min_level, weight=float(r.weight), mandatory=r.mandatory
            )
            for r in request.required_skills.all()
        ),
        hours_per_week=float(hours) if hours is not None else hours_per_week_for(request),
        priority=request.priority,
    )
