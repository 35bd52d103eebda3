"""The reports' own tables: pre-computed figures, never the source of truth (the support and skills tables are)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodAggregate(models.Model):
    """One report's figures for one fiscal quarter, computed once and read back in one query.

    Written only by ``reports.preaggregate`` (the scheduled job, and lazily by the page when the row is missing or
    stale). ``report`` names the report: ``dashboard`` (the headline of the quarter and of the same quarter a year
    before, the breakdowns by category, phase, organisation kind and organisation, …) or ``coverage:<group by>``
    (HR's skill coverage). ``final`` says the period had long closed when the figures were computed, so they are
    not recomputed (``?exact=1`` on the page or ``exact: true`` in GraphQL always computes live).
    """

    report = models.CharField(_("report"), max_length=40)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    computed_at = models.DateTimeField(_("computed at"))
    final = models.BooleanField(_("final"), default=False)
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("period aggregate")
        verbose_name_plural = _("period aggregates")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "fiscal_year", "quarter"], name="reports_aggregate_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="reports_aggregate_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} FY{self.fiscal_year} Q{self.quarter}"
