"""The progress report's narrative: a short text the manager writes on the page, one per fiscal year and period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressNarrative(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    period = models.CharField(_("period"), max_length=4)
    text = models.TextField(_("narrative"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("progress report narrative")
        verbose_name_plural = _("progress report narratives")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "period"], name="progress_narrative_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.period}"
