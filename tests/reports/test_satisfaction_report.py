"""The satisfaction report: by organisation (rolled up to the bureau or not) and period, the seeds' dimensions
(frequency and quality of support), low ratings and their follow-ups, and the trend over quarters."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reports.satisfaction import satisfaction_report_for
from support import services as support_services
from tests.conftest import codes

from .conftest import jst


@pytest.fixture
def rated(requests_factory, requesters, categories, ict_manager):
    """FY2025: in Q3 the bureau rates 4 (frequency 2: low), its department 2 (low, followed up), the ward 5 (older
    form: no dimensions); in Q2 the city rates 3."""

    def rate(who, resolved, score, **dimensions):
        request = requests_factory.file(
            requesters[who],
            category=categories["spec"],
            phase="planning",
            submitted=jst(2025, 4, 10, 9),
            first=jst(2025, 4, 11, 9),
            resolved=resolved,
        )
        support_services.satisfaction_submit(
            actor=requesters[who], request=request, score=score, **dimensions
        )
        return request

    made = {
        "bureau": rate("bureau", jst(2025, 10, 20, 10), 4, frequency=2, quality=5),
        "department": rate("department", jst(2025, 11, 5, 10), 2, frequency=2, quality=3),
        "ward": rate("ward", jst(2025, 12, 1, 10), 5),
        "city": rate("city", jst(2025, 8, 1, 10), 3, frequency=3, quality=3),
    }
    support_services.satisfaction_follow_up_record(
        actor=ict_manager, request=made["department"], note="部長と面談した"
    )
    return made


def _by_key(report):
    return {row.key: row for row in report.by_organization}


def test_rolled_up_the_department_counts_with_its_bureau(ict_manager, rated, bureau):
    report = satisfaction_report_for(ict_manager, fiscal_year=2025, quarter=3, roll_up=True)
    rows = _by_key(report)
    assert set(rows) == {bureau.code, "131016"}
    digital = rows[bureau.code]
    assert (digital.responses, digital.score, digital.frequency, digital.quality) == (2, 3.0, 2.0, 4.0)
    assert (digital.low, digital.followed_up) == (2, 1)
    ward = rows["131016"]
    assert (ward.score, ward.frequency, ward.quality, ward.low) == (5.0, None, None, 0)
    assert report.by_organization[0].key == bureau.code  # lowest average first
    assert (report.total.responses, report.total.low, report.total.followed_up) == (3, 2, 1)


def test_each_organisation_apart_when_not_rolled_up(ict_manager, rated, bureau, department):
    rows = _by_key(satisfaction_report_for(ict_manager, fiscal_year=2025, quarter=3, roll_up=False))
    assert {key: row.score for key, row in rows.items()} == {
        bureau.code: 4.0,
        department.code: 2.0,
        "131016": 5.0,
    }


def test_the_whole_year_and_the_trend_by_quarter(ict_manager, rated):
    report = satisfaction_report_for(ict_manager, fiscal_year=2025)
    assert report.total.responses == 4
    trend = {row.key: row for row in report.trend}
    assert len(report.trend) == 8 and report.trend[-1].key == "2025-Q4"
    assert (trend["2025-Q2"].responses, trend["2025-Q2"].score) == (1, 3.0)
    assert (trend["2025-Q3"].responses, trend["2025-Q3"].low) == (3, 2)
    assert trend["2024-Q3"].responses == 0 and trend["2024-Q3"].score is None


def test_constant_queries(ict_manager, rated, django_assert_num_queries):
    with django_assert_num_queries(3):
        satisfaction_report_for(ict_manager, fiscal_year=2025, quarter=3)


@pytest.mark.parametrize("who", ["requester", "ict_staff", "hr_user"])
def test_only_managers_and_admins_read_it(request, who, rated):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        satisfaction_report_for(user, fiscal_year=2025)


def test_page_and_csv(client_for, ict_manager, hr_user, rated, bureau):
    client = client_for(ict_manager)
    page = client.get(reverse("reports:satisfaction"), {"fy": 2025, "q": 3})
    assert page.status_code == 200
    assert bureau.name in page.content.decode()
    download = client.get(
        reverse("reports:export", args=["satisfaction", "csv"]), {"fy": 2025, "q": 3, "roll_up": 0}
    )
    text = download.content.decode("utf-8-sig")
    assert download.status_code == 200 and "デジタル戦略部" in text
    assert client_for(hr_user).get(reverse("reports:satisfaction")).status_code == 404
    refused = client_for(hr_user).get(reverse("reports:export", args=["satisfaction", "csv"]))
    assert refused.status_code == 404


QUERY = """
query { satisfactionReport(fiscalYear: 2025, quarter: 3, rollUp: false) {
  total { responses low followedUp } byOrganization { key score frequency quality } } }
"""


def test_graphql(gql, ict_manager, hr_user, rated, department):
    data = gql(ict_manager).execute(QUERY)["data"]["satisfactionReport"]
    assert data["total"] == {"responses": 3, "low": 2, "followedUp": 1}
    rows = {row["key"]: row for row in data["byOrganization"]}
    assert rows[department.code] == {"key": department.code, "score": 2.0, "frequency": 2.0, "quality": 3.0}
    assert codes(gql(hr_user).execute(QUERY)) == ["FORBIDDEN"]


def test_graphql_explicit_null_roll_up_means_the_default(gql, ict_manager, rated, department):
    """rollUp: null (a client passing its variable unset) is the default (rolled up), not a server fault."""
    query = "query { satisfactionReport(fiscalYear: 2025, quarter: 3, rollUp: null) { rollUp total { responses } } }"
    answer = gql(ict_manager).execute(query)
    assert "errors" not in answer
    assert answer["data"]["satisfactionReport"] == {"rollUp": True, "total": {"responses": 3}}
