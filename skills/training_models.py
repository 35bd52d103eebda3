"""Trainings for the pool (研修): a catalogue of courses, their sessions, and who attended and completed them.

A course says which skills it builds and to what level, and which job types it serves; a completed attendance shows
on the staff profile and may be cited as evidence on a self-assessment (SkillAssessment.evidence_training).
Imported at the end of skills/models.py so Django registers the models in the skills app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from skills.models import LEVEL_VALIDATORS, JobType, Skill, StaffProfile


class TrainingCourse(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    job_types = models.ManyToManyField(
        JobType, related_name="courses", blank=True, verbose_name=_("job types")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingSkill(models.Model):
    """A skill a course builds, and the level it builds it to."""

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="skills_built")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="courses")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = _("skill built")
        verbose_name_plural = _("skills built")
        constraints = [models.UniqueConstraint(fields=["course", "skill"], name="training_skill_unique")]

    def __str__(self) -> str:
        return f"{self.course}: {self.skill} → {self.level}"


class TrainingSession(models.Model):
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="sessions")
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%Y-%m-%d})"


class TrainingAttendance(models.Model):
    """One person on one session; `completed_on` set once they completed it."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="trainings")
    completed_on = models.DateField(_("completed on"), null=True, blank=True, db_index=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["-session__starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="training_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.staff} — {self.session}"

    @property
    def completed(self) -> bool:
        return self.completed_on is not None
