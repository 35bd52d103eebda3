"""The dashboard's top organisations with 「下位組織を含む」: a department's requests count with its bureau."""

from django.urls import reverse

from reports.dashboard import dashboard_for
from tests.reports.test_dashboard import AFTER


def rows(breakdown):
    return {row.key: (row.label, row.received, row.resolved, row.open) for row in breakdown}


def test_rolled_up_the_department_counts_with_its_bureau(dashboard_world, ict_manager, bureau):
    report = dashboard_for(ict_manager, fiscal_year=2025, quarter=1, now=AFTER, roll_up=True)
    assert rows(report.by_organization) == {
        "131016": ("千代田区", 1, 1, 2),
        "132012": ("八王子市", 1, 1, 0),
        "B-DIGITAL": (bureau.name, 2, 0, 1),
    }


def test_the_page_rolls_up_when_asked(client_for, dashboard_world, ict_manager):
    client = client_for(ict_manager)
    apart = client.get(reverse("reports:dashboard"), {"fy": 2025, "q": 1}).content.decode()
    rolled = client.get(reverse("reports:dashboard"), {"fy": 2025, "q": 1, "roll_up": "1"}).content.decode()
    assert "デジタル戦略部" in apart
    assert "デジタル戦略部" not in rolled
