"""Staffing data: the team rules (チーム編成ルール) and the staff's absences (休暇・研修).

* A team rule says who works on a request of a category *as a team* (Tokyo's practice: a senior digital specialist
  — デジタルシフト推進担当課長 — and an ICT officer together, the specialist assigned per case), and whether a learner
  (someone who wants to learn a required skill, paired with a member who can mentor it) may join. The rule without a
  category is the default for every other category.
* An absence (leave or training) takes hours off a person's capacity on the business days it covers.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skills.models import StaffProfile
from support.models import RequestCategory


class TeamRule(models.Model):
    """How a request of a category is staffed: which kinds of staff the team needs, and an optional learner."""

    category = models.OneToOneField(
        RequestCategory,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="team_rule",
        verbose_name=_("request category"),
        help_text=_("Empty: the default rule for every category without its own."),
    )
    requires_specialist = models.BooleanField(_("needs a senior digital specialist"), default=False)
    requires_ict_officer = models.BooleanField(_("needs an ICT officer"), default=False)
    learner_optional = models.BooleanField(
        _("offer a learner"),
        default=True,
        help_text=_(
            "Propose a member who wants to learn a required skill, paired with one who can mentor it."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("team rule")
        verbose_name_plural = _("team rules")
        ordering = ["category__order", "category__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["requires_specialist"],
                condition=Q(category__isnull=True),
                name="team_rule_one_default",
                violation_error_message=_("There is already a default team rule."),
            )
        ]

    def __str__(self) -> str:
        return str(self.category) if self.category_id else str(_("Default team rule"))

    @property
    def required_kinds(self) -> tuple[str, ...]:
        """The staff kinds the team must include (StaffKind values), specialist first."""
        kinds = []
        if self.requires_specialist:
            kinds.append("specialist")
        if self.requires_ict_officer:
            kinds.append("ict_officer")
        return tuple(kinds)


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    TRAINING = "training", _("Training")


class Absence(models.Model):
    """休暇・研修: days a person is (partly) away. Hours per day empty = the whole day."""

    staff = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="absences", verbose_name=_("staff")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    kind = models.CharField(_("kind"), max_length=12, choices=AbsenceKind.choices, default=AbsenceKind.LEAVE)
    hours_per_day = models.DecimalField(
        _("hours per day"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
        help_text=_("Empty: the whole working day."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["staff", "starts_on"]
        indexes = [models.Index(fields=["staff", "starts_on", "ends_on"], name="absence_staff_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_start",
                violation_error_message=_("An absence cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.get_kind_display()} {self.starts_on}–{self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An absence cannot end before it starts.")})
