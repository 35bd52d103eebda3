"""Service levels (サービスレベル): how many business days (開庁日) the ICT side has, per priority and optionally per
category, to answer a request for the first time, to triage it and to resolve it. Data that administrators edit in
the Django admin; the most specific level wins (the category's own level for that priority, else the priority's).
The rules that read them are in support/sla.py. Imported at the end of support/models.py.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from support.models import Priority

MAX_DAYS = 250  # about a year of business days


class ServiceLevel(models.Model):
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    category = models.ForeignKey(
        "support.RequestCategory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_levels",
        verbose_name=_("category"),
        help_text=_("Empty: every category without a level of its own."),
    )
    first_response_days = models.PositiveSmallIntegerField(
        _("first response (business days)"), validators=[MaxValueValidator(MAX_DAYS)]
    )
    triage_days = models.PositiveSmallIntegerField(
        _("triage (business days)"), validators=[MaxValueValidator(MAX_DAYS)]
    )
    resolution_days = models.PositiveSmallIntegerField(
        _("resolution (business days)"), validators=[MaxValueValidator(MAX_DAYS)]
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["category__order", "-priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority"], condition=models.Q(category__isnull=True), name="service_level_priority"
            ),
            models.UniqueConstraint(
                fields=["priority", "category"],
                condition=models.Q(category__isnull=False),
                name="service_level_priority_category",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_priority_display()
        return f"{self.category}: {label}" if self.category_id else str(label)

    def clean(self) -> None:
        super().clean()
        days = (self.triage_days, self.resolution_days)
        if None not in days and self.resolution_days < self.triage_days:
            raise ValidationError(
                {
                    "resolution_days": ValidationError(
                        _("Resolution cannot be due before triage."), code="resolution_before_triage"
                    )
                }
            )
