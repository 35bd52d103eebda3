"""Writes about trainings: record that a person attended (and completed) a session. Audited, atomic."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import record
from core.fiscal import today
from skills import training_policies as policies
from skills.models import StaffProfile
from skills.training_models import TrainingAttendance, TrainingSession


@transaction.atomic
def training_record_completion(
    *, actor, session: TrainingSession, staff: StaffProfile, completed_on: dt.date | None = None
) -> TrainingAttendance:
    """Mark `staff` as having completed `session` (enrolling them if needed). Completing twice keeps the first date."""
    policies.can_record_training_completion.check(actor)
    completed_on = completed_on or today()
    if completed_on > today():
        raise ValidationError(
            {"completed_on": ValidationError(_("The date cannot be in the future."), code="future_date")}
        )
    if completed_on < session.starts_on:
        raise ValidationError(
            {
                "completed_on": ValidationError(
                    _("A session cannot be completed before it starts."), code="before_session"
                )
            }
        )
    attendance, _created = TrainingAttendance.objects.select_for_update().get_or_create(
        session=session, staff=staff
    )
    if attendance.completed_on is None:
        attendance.completed_on = completed_on
        attendance.save(update_fields=["completed_on"])
        record(
            actor=actor,
            verb="training.complete",
            target=staff,
            data={
                "session_id": session.pk,
                "course": session.course.code,
                "completed_on": completed_on.isoformat(),
            },
        )
    return attendance
