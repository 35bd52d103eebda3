"""Engagements with the municipalities and bureaus (the municipal pillar): one model for every programme.

Outreach consultations (アウトリーチ相談), study sessions (勉強会), model projects (モデル事業), the CIO forum, individual
CIO round tables (意見交換会), working-group meetings and trainings are all an `Engagement` of a `kind`. A requester may
ask for an outreach consultation (status "requested", with proposed dates); the bureau schedules it or declines it,
and records it as held. Everything else is recorded by ICT managers, usually once held.
Imported at the end of support/models.py so Django registers the models in the support app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.validators import no_control_characters
from skills.models import StaffProfile
from support.models import StoredDocument  # defined before support/models.py imports this module


class EngagementKind(models.TextChoices):
    OUTREACH = "outreach", _("Outreach consultation")
    STUDY_SESSION = "study_session", _("Study session")
    MODEL_PROJECT = "model_project", _("Model project")
    CIO_FORUM = "cio_forum", _("CIO forum")
    ROUND_TABLE = "round_table", _("CIO round table")
    WORKING_GROUP = "working_group", _("Working group meeting")
    TRAINING = "training", _("Training")


class EngagementStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    DECLINED = "declined", _("Declined")


class Engagement(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=EngagementKind.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EngagementStatus.choices, default=EngagementStatus.HELD
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), db_index=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    theme = models.CharField(_("theme"), max_length=200, validators=[no_control_characters])
    description = models.TextField(_("description"), blank=True)
    organizations = models.ManyToManyField(
        Organization, related_name="engagements", blank=True, verbose_name=_("organisations taking part")
    )
    requesting_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requested_engagements",
        verbose_name=_("requested by (organisation)"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    proposed_dates = models.JSONField(_("proposed dates"), default=list, blank=True)
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    participant_names = models.TextField(_("participants by name"), blank=True)
    staff = models.ManyToManyField(
        StaffProfile, related_name="engagements", blank=True, verbose_name=_("staff who ran it")
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    satisfaction = models.DecimalField(
        _("participants' satisfaction"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["fiscal_year", "kind", "status"], name="engagement_fy_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="engagement_satisfaction_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="engagement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.theme}"

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError(
                {
                    "ends_at": ValidationError(
                        _("The end cannot be before the start."), code="ends_before_start"
                    )
                }
            )


def engagement_material_path(instance, filename: str) -> str:
    return f"engagements/{instance.engagement_id}/{filename}"


class EngagementMaterial(StoredDocument):
    """A document of an engagement (slides, minutes), checked like request attachments, served by a checked view."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("file"), upload_to=engagement_material_path, max_length=300)

    class Meta(StoredDocument.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")
