"""Business-day durations of the dashboard: time to first response and to resolution.

Business days exclude Japanese public holidays and the 29 Dec – 3 Jan closure, and that calendar lives in Python
(``core.fiscal``, from the ``holidays`` package), not in the database. So for the requests that were first
answered / resolved *in the period* (and in the same quarter a year before) one query fetches only their three
timestamps; durations and their percentiles are then computed here. That is bounded by the size of a quarter
(about 60 requests at the bureau's scale, a few thousand at national scale), never by the history. The median and
90th percentile interpolate linearly between ranks — the same definition as PostgreSQL's ``percentile_cont``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from core import fiscal
from reports.periods import within
from support.models import SupportRequest


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont); None for no values."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    return float(sorted_values[lower]) + (float(sorted_values[upper]) - float(sorted_values[lower])) * weight


@dataclass
class Duration:
    """Business days from submission to an event, over the requests whose event fell in the period."""

    count: int = 0
    median: float | None = None
    p90: float | None = None


def durations(current: tuple, previous: tuple) -> dict[str, Duration]:
    """Time to first response and to resolution (business days): one query of three timestamps per request."""
    windows = {"c": current, "p": previous}
    condition = Q()
    for start, end, _moment in windows.values():
        condition |= within("first_response_at", start, end) | within("resolved_at", start, end)
    values: dict[str, list[int]] = defaultdict(list)
    rows = (
        SupportRequest.objects.filter(condition)
        .order_by()
        .values_list("submitted_at", "first_response_at", "resolved_at")
    )
    for submitted, first_response, resolved in rows:
        for name, (start, end, _moment) in windows.items():
            if first_response is not None and start <= first_response < end:
                values[f"{name}_first"].append(fiscal.business_days_between(submitted, first_response))
            if resolved is not None and start <= resolved < end:
                values[f"{name}_resolution"].append(fiscal.business_days_between(submitted, resolved))
    result = {}
    for key, items in values.items():
        items.sort()
        result[key] = Duration(count=len(items), median=percentile(items, 0.5), p90=percentile(items, 0.9))
    return result
