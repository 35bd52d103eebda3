"""Reads about trainings: the catalogue, a person's completed trainings, who was trained in which skill and the
effect on their level (level at completion vs now), and counts for a period (the progress report)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from core.fiscal import today
from skills.selectors.levels import current_levels
from skills.training_models import TrainingAttendance, TrainingCourse, TrainingSession, TrainingSkill


def course_list() -> QuerySet:
    return (
        TrainingCourse.objects.filter(active=True)
        .prefetch_related(
            Prefetch(
                "skills_built", queryset=TrainingSkill.objects.select_related("skill").order_by("skill__code")
            ),
            "job_types",
        )
        .annotate(
            session_count=Count("sessions", distinct=True),
            completed_count=Count(
                "sessions__attendances", filter=Q(sessions__attendances__completed_on__isnull=False)
            ),
        )
    )


def session_for(course_code: str, session_id=None) -> TrainingSession | None:
    """A session of a course: the one named, or the course's latest session already started."""
    sessions = TrainingSession.objects.select_related("course").filter(course__code=course_code)
    if session_id is not None:
        return sessions.filter(pk=session_id).first() if str(session_id).isdigit() else None
    return sessions.filter(starts_on__lte=today()).order_by("-starts_on", "-pk").first()


def completed_trainings(staff) -> QuerySet:
    """A person's completed trainings, newest first (the profile, and the evidence choices on a self-assessment)."""
    return (
        TrainingAttendance.objects.filter(staff=staff, completed_on__isnull=False)
        .select_related("session__course")
        .order_by("-completed_on", "-id")
    )


@dataclass(frozen=True)
class TrainedRow:
    staff_name: str
    skill_code: str
    skill_name: str
    course: str
    completed_on: dt.date
    target_level: int
    level_before: int | None
    level_now: int | None

    @property
    def change(self) -> int | None:
        if self.level_now is None:
            return None
        return self.level_now - (self.level_before or 0)


def trained_by_skill(*, since: dt.date | None = None) -> list[TrainedRow]:
    """Who was trained in which skill (completed trainings × the skills the course builds), with the validated level
    the day before completion and now. Three queries plus one per distinct completion date."""
    attendances = TrainingAttendance.objects.filter(completed_on__isnull=False).select_related(
        "staff__user", "session__course"
    )
    if since is not None:
        attendances = attendances.filter(completed_on__gte=since)
    attendances = list(attendances.order_by("-completed_on", "staff__user__display_name"))
    built: dict[int, list[TrainingSkill]] = {}
    for row in TrainingSkill.objects.select_related("skill").filter(
        course_id__in={a.session.course_id for a in attendances}
    ):
        built.setdefault(row.course_id, []).append(row)
    staff_ids = {a.staff_id for a in attendances}
    now = current_levels(staff_ids=staff_ids)
    before_by_day: dict[dt.date, dict] = {}
    rows = []
    for a in attendances:
        day = a.completed_on - dt.timedelta(days=1)
        if day not in before_by_day:
            before_by_day[day] = current_levels(staff_ids=staff_ids, as_of=day)
        for ts in built.get(a.session.course_id, []):
            rows.append(
                TrainedRow(
                    staff_name=str(a.staff),
                    skill_code=ts.skill.code,
                    skill_name=ts.skill.name,
                    course=a.session.course.name,
                    completed_on=a.completed_on,
                    target_level=ts.level,
                    level_before=before_by_day[day].get((a.staff_id, ts.skill_id)),
                    level_now=now.get((a.staff_id, ts.skill_id)),
                )
            )
    return rows


def training_counts(start: dt.date, end: dt.date) -> dict:
    """Completions in [start, end): per course and in total, with the number of people."""
    completed = TrainingAttendance.objects.filter(completed_on__gte=start, completed_on__lt=end)
    by_course = dict(
        completed.values_list("session__course__name")
        .annotate(n=Count("id"))
        .order_by("session__course__name")
    )
    return {
        "completions": sum(by_course.values()),
        "people": completed.values("staff_id").distinct().count(),
        "by_course": by_course,
    }
