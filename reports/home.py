"""Home = what needs me now (ホーム): per role, counts that open the list behind them.

The counts come from each app's selectors — support (requests: waiting on me, overdue, to triage …), staffing (people
over capacity), skills (validations, expiring certifications) and the coverage report (single points of failure) —
and this module only arranges them in cards. It sits in reports, the top of the dependency order, because it reads
every app. A bounded number of queries per role (asserted in tests/reports/test_home.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import fiscal
from reports import preaggregate
from reports.policies import can_view_skill_coverage
from skills import selectors as skills_selectors
from skills.policies import can_validate
from staffing import selectors as staffing_selectors
from support import selectors_home


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    count: int
    url: str
    #: a count above zero that asks for action now (shown in a warning colour)
    urgent: bool = False


@dataclass
class Card:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


LABELS = {
    # requester
    "waiting_on_me": (_("Waiting on me"), True),
    "open": (_("Open requests"), False),
    "to_rate": (_("Resolved, to rate"), True),
    # ICT staff
    "my_open": (_("My assignments (by due date)"), False),
    "my_overdue": (_("My overdue requests"), True),
    "my_waiting_long": (_("Waiting on the requester too long"), True),
    # ICT manager
    "to_triage": (_("To triage"), True),
    "unassigned": (_("Accepted, nobody assigned"), True),
    "over_capacity": (_("People over capacity"), True),
    "overdue": (_("Overdue requests"), True),
    "follow_up": (_("Low satisfaction to follow up"), True),
    # HR
    "expiring_certifications": (_("Certifications expiring within 90 days"), True),
    "single_points_of_failure": (_("Single points of failure"), True),
    "pending_validations": (_("Self-assessments awaiting validation"), False),
}

CARDS = (
    ("requester", _("My organisation's requests"), ("waiting_on_me", "open", "to_rate")),
    ("staff", _("My work"), ("my_open", "my_overdue", "my_waiting_long")),
    ("manager", _("Management"), ("to_triage", "unassigned", "over_capacity", "overdue", "follow_up")),
    (
        "hr",
        _("Digital skill map"),
        ("expiring_certifications", "single_points_of_failure", "pending_validations"),
    ),
)


def _item(key: str, count: int, url: str) -> Item:
    label, urgent = LABELS[key]
    return Item(key=key, label=str(label), count=count, url=url, urgent=urgent and count > 0)


def home_for(user) -> list[Card]:
    """The cards of what needs the user now, for the roles they hold (empty for none)."""
    found: dict[str, Item] = {
        key: _item(key, count, url) for key, (count, url) in selectors_home.work_counts_for(user).items()
    }
    over = staffing_selectors.over_capacity_count_for(user)
    if over is not None:
        found["over_capacity"] = _item("over_capacity", over, reverse("staffing:workload"))
    skills_counts = skills_selectors.home_counts_for(user)
    coverage_url = reverse("reports:skills")
    if "expiring_certifications" in skills_counts:
        found["expiring_certifications"] = _item(
            "expiring_certifications", skills_counts["expiring_certifications"], coverage_url
        )
    if "pending_validations" in skills_counts:
        url = reverse("skills:validation_queue") if can_validate(user) else ""  # HR reads the count only
        found["pending_validations"] = _item("pending_validations", skills_counts["pending_validations"], url)
    if "expiring_certifications" in skills_counts and can_view_skill_coverage(user):
        today = fiscal.today()
        report = preaggregate.coverage(
            user, fiscal_year=fiscal.fiscal_year_of(today), quarter=fiscal.quarter_of(today)
        )
        found["single_points_of_failure"] = _item(
            "single_points_of_failure", len(report.single_points_of_failure), coverage_url
        )
    cards = []
    for key, title, names in CARDS:
        items = [found[name] for name in names if name in found]
        if items:
            cards.append(Card(key=key, title=str(title), items=items))
    return cards
