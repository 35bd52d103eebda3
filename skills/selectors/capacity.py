"""Available hours per week: capacity minus the hours of active assignments."""

from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Value,
)
from django.db.models.functions import Coalesce

# Hours/week already allocated to a person, as a subquery correlated on the staff row. Assignments belong to the
# support app, which registers its query method here when it loads (support/apps.py); skills never imports support.
_allocated_hours_subquery = None


def register_allocated_hours(subquery_factory) -> None:
    """Called once by the app that records assignments: `subquery_factory()` → hours/week per OuterRef("pk")."""
    global _allocated_hours_subquery
    _allocated_hours_subquery = subquery_factory


def available_hours_expression():
    """Capacity minus the hours of active assignments (capacity alone when no app records assignments)."""
    if _allocated_hours_subquery is None:
        return F("capacity_hours_per_week")
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=6, decimal_places=1))
    return ExpressionWrapper(
        F("capacity_hours_per_week") - Coalesce(_allocated_hours_subquery(), zero),
        output_field=DecimalField(max_digits=6, decimal_places=1),
    )
