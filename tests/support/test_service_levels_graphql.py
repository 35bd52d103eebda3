"""Service levels over GraphQL: the levels, the due dates, age and overdue flag of a request, the overdue filter and
what needs me now — in a constant number of queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.fiscal import today
from support import services
from support.models import Priority, ServiceLevel
from tests.support.test_service_levels import filed_on

LIST = """query($overdue: Boolean) { supportRequests(first: 50, overdue: $overdue) { totalCount
  edges { node { reference firstResponseDue triageDue resolutionDue ageBusinessDays isOverdue overdue } } } }"""


def _levels(category=None):
    services.service_level_save(
        actor=None,
        level=ServiceLevel(
            priority=Priority.NORMAL, first_response_days=2, triage_days=3, resolution_days=20
        ),
    )
    if category is not None:
        services.service_level_save(
            actor=None,
            level=ServiceLevel(
                priority=Priority.NORMAL,
                category=category,
                first_response_days=1,
                triage_days=1,
                resolution_days=5,
            ),
        )


def test_service_levels_for_anyone_signed_in(gql, requester, category):
    _levels(category)
    result = gql(requester).execute("{ serviceLevels { priority category { code } resolutionDays } }")
    assert result["data"]["serviceLevels"] == [
        {"priority": "NORMAL", "category": None, "resolutionDays": 20},
        {"priority": "NORMAL", "category": {"code": "spec-review"}, "resolutionDays": 5},
    ]
    assert gql(None).execute("{ serviceLevels { priority } }").get("errors")


def test_request_fields_and_overdue_filter(gql, ict_manager, submit):
    _levels()
    late = filed_on(submit(due_date=None), dt.date(2026, 12, 28))
    late_node = {
        "reference": late.reference,
        "firstResponseDue": "2027-01-05",
        "triageDue": "2027-01-06",
        "resolutionDue": "2027-02-01",
        "isOverdue": late.is_overdue(today()),
        "overdue": late.is_overdue(today()),
    }
    old = filed_on(submit(due_date=None), dt.date(2025, 4, 1))
    fresh = submit(due_date=None)
    client = gql(ict_manager)
    nodes = {
        e["node"]["reference"]: e["node"] for e in client.execute(LIST)["data"]["supportRequests"]["edges"]
    }
    assert {k: nodes[late.reference][k] for k in late_node} == late_node
    assert nodes[old.reference]["isOverdue"] is True and nodes[fresh.reference]["isOverdue"] is False
    assert nodes[fresh.reference]["ageBusinessDays"] == 0
    overdue = client.execute(LIST, {"overdue": True})["data"]["supportRequests"]["edges"]
    assert old.reference in {e["node"]["reference"] for e in overdue}
    assert fresh.reference not in {e["node"]["reference"] for e in overdue}
    others = client.execute(LIST, {"overdue": False})["data"]["supportRequests"]["edges"]
    assert old.reference not in {e["node"]["reference"] for e in others}


def test_the_list_reads_the_deadlines_in_constant_queries(gql, ict_manager, submit):
    _levels()
    client = gql(ict_manager)
    filed_on(submit(due_date=None), dt.date(2025, 4, 1))
    with CaptureQueriesContext(connection) as one:
        client.execute(LIST)
    for _ in range(4):
        filed_on(submit(due_date=None), dt.date(2025, 4, 1))
    with CaptureQueriesContext(connection) as five:
        result = client.execute(LIST)
    assert result["data"]["supportRequests"]["totalCount"] == 5
    assert len(five) == len(one)


def test_my_work_summary_per_role(gql, requester, ict_manager, hr_user, submit):
    _levels()
    filed_on(submit(due_date=None), dt.date(2025, 4, 1))
    query = "{ myWorkSummary { key items { key count url } } }"
    manager = {c["key"]: c for c in gql(ict_manager).execute(query)["data"]["myWorkSummary"]}
    counts = {i["key"]: i["count"] for i in manager["manager"]["items"]}
    assert counts["overdue"] == 1 and counts["to_triage"] == 1
    mine = gql(requester).execute(query)["data"]["myWorkSummary"]
    assert [c["key"] for c in mine] == ["requester"]
    assert {i["key"]: i["count"] for i in mine[0]["items"]}["open"] == 1
    assert [c["key"] for c in gql(hr_user).execute(query)["data"]["myWorkSummary"]] == ["hr"]
