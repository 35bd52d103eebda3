import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.names import LocalizedName, localized_name

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class SkillCategory(LocalizedName, models.Model):
    """スキル分野: a group of skills (strategy, security, data & AI …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.localized_name  # name_en in English (core.names)


class Skill(LocalizedName, models.Model):
    """スキル: one skill of the taxonomy. Retiring (active=False) keeps its history."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        SkillCategory, on_delete=models.PROTECT, related_name="skills", verbose_name=_("skill category")
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["category__order", "order", "code"]

    def __str__(self) -> str:
        return self.localized_name  # name_en in English (core.names)


class ProficiencyLevel(LocalizedName, models.Model):
    """The 1–5 scale shared by every skill (1 aware … 5 authority)."""

    level = models.PositiveSmallIntegerField(_("level"), unique=True, validators=LEVEL_VALIDATORS)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ["level"]

    def __str__(self) -> str:
        return f"L{self.level} {self.localized_name}"

    @property
    def localized_description(self) -> str:
        return localized_name(self.description, self.description_en)


class SkillLevelDescription(models.Model):
    """A skill's own wording for one level, overriding the shared scale."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="level_descriptions")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    description = models.TextField(_("description"))
    description_en = models.TextField(_("English description"), blank=True)

    class Meta:
        verbose_name = _("skill level description")
        verbose_name_plural = _("skill level descriptions")
        ordering = ["skill", "level"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "level"], name="skill_level_description_unique")
        ]

    def __str__(self) -> str:
        return f"{self.skill} L{self.level}"


class JobType(LocalizedName, models.Model):
    """ジョブタイプ with a target skill profile (project manager, security specialist …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("job type")
        verbose_name_plural = _("job types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.localized_name  # name_en in English (core.names)


class Importance(models.IntegerChoices):
    USEFUL = 1, _("Useful")
    IMPORTANT = 2, _("Important")
    ESSENTIAL = 3, _("Essential")


class TargetSkill(models.Model):
    """One line of a job type's target profile: skill → target level and importance."""

    job_type = models.ForeignKey(JobType, on_delete=models.CASCADE, related_name="targets")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="targets")
    target_level = models.PositiveSmallIntegerField(_("target level"), validators=LEVEL_VALIDATORS)
    importance = models.PositiveSmallIntegerField(
        _("importance"), choices=Importance.choices, default=Importance.IMPORTANT
    )

    class Meta:
        verbose_name = _("target skill")
        verbose_name_plural = _("target skills")
        ordering = ["job_type", "-importance", "skill"]
        constraints = [models.UniqueConstraint(fields=["job_type", "skill"], name="target_skill_unique")]

    def __str__(self) -> str:
        return f"{self.job_type}: {self.skill} ≥ {self.target_level}"


class StaffKind(models.TextChoices):
    ICT_OFFICER = "ict_officer", _("ICT officer")
    SPECIALIST = "specialist", _("Senior digital specialist")


class StaffProfile(models.Model):
    """人材プロフィール: a member of the ICT talent pool."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=StaffKind.choices, default=StaffKind.ICT_OFFICER
    )
    job_type = models.ForeignKey(
        JobType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("job type"),
    )
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    capacity_hours_per_week = models.DecimalField(
        _("capacity (hours/week)"),
        max_digits=5,
        decimal_places=1,
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    active = models.BooleanField(_("active"), default=True, db_index=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["user__display_name", "user__email"]

    def __str__(self) -> str:
        return str(self.user)


class SkillInterest(models.Model):
    """Per person and skill: wants to learn (習得希望) / can mentor (指導可能)."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="interests")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="interests")
    wants_to_learn = models.BooleanField(_("wants to learn"), default=False)
    can_mentor = models.BooleanField(_("can mentor"), default=False)

    class Meta:
        verbose_name = _("skill interest")
        verbose_name_plural = _("skill interests")
        constraints = [models.UniqueConstraint(fields=["staff", "skill"], name="skill_interest_unique")]

    def __str__(self) -> str:
        return f"{self.staff} / {self.skill}"


class AssessmentSource(models.TextChoices):
    SELF = "self", _("Self-assessment")
    MANAGER = "manager", _("Manager assessment")
    CERTIFICATION = "certification", _("Certification")
    EVIDENCE = "evidence", _("Work evidence")


class AssessmentStatus(models.TextChoices):
    PENDING = "pending", _("Pending validation")
    VALIDATED = "validated", _("Validated")
    ADJUSTED = "adjusted", _("Adjusted by manager")  # a self-assessment answered with a manager assessment


class SkillAssessment(models.Model):
    """One rating of one person's skill. Append-only: a manager's adjustment is a new row, never an edit.

    The *current* level of a skill is the latest validated assessment.
    """

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="assessments")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="assessments")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    source = models.CharField(_("source"), max_length=16, choices=AssessmentSource.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.PENDING
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("validated by"),
    )
    validated_on = models.DateField(_("validated on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_certification = models.ForeignKey(
        "Certification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        verbose_name=_("evidence: certification"),
    )
    evidence_reference = models.CharField(
        _("evidence: request reference"), max_length=32, blank=True, help_text=_("e.g. DX-2025-0042")
    )
    evidence_training = models.ForeignKey(
        "TrainingAttendance",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        verbose_name=_("evidence: training completed"),
    )
    responds_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        verbose_name=_("responds to"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("skill assessment")
        verbose_name_plural = _("skill assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["staff", "skill", "status", "assessed_on"], name="assessment_current_idx"),
            models.Index(fields=["status", "source"], name="assessment_queue_idx"),
            models.Index(fields=["skill", "status", "level"], name="assessment_skill_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="assessment_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.skill} L{self.level} ({self.get_source_display()})"


class CertificationQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Obtained by `day` and not expired on it: the one definition of a valid certificate."""
        return self.filter(obtained_on__lte=day).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=day)
        )

    def expiring(self, day, within_days: int):
        """Still valid on `day` and expiring within the next `within_days` days."""
        return self.filter(expires_on__gte=day, expires_on__lte=day + dt.timedelta(days=within_days))


class Certification(models.Model):
    """資格: an exam or credential, optionally evidencing a skill. Expired ones stop counting as evidence."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="certifications")
    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    obtained_on = models.DateField(_("obtained on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    skill = models.ForeignKey(
        Skill,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certifications",
        verbose_name=_("skill evidenced"),
    )
    credential_id = models.CharField(_("credential ID"), max_length=100, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-obtained_on", "-id"]
        indexes = [models.Index(fields=["expires_on"], name="certification_expiry_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("obtained_on")),
                name="certification_expires_after_obtained",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day) -> bool:
        """The instance form of `CertificationQuerySet.valid_on`."""
        return self.obtained_on <= day and (self.expires_on is None or self.expires_on >= day)


from skills.training_models import *  # noqa: E402,F403 — trainings live in their own module
