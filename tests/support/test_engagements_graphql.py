"""GraphQL of the municipal pillar: the list is scoped like the pages, requesters ask for outreach, managers record
engagements, the overview and coverage answer only those who may see them; trainings and the progress report."""

import datetime as dt

import pytest
from django.utils import timezone

from core.fiscal import fiscal_year_of, today
from support.engagement_models import Engagement, EngagementKind, EngagementStatus
from support.services import engagements as services
from tests.conftest import codes

LIST = "query { engagements(first: 10) { totalCount edges { node { theme kind organizations { code } } } } }"
OUTREACH = """mutation($d: [Date!]!) { requestOutreach(theme: "窓口DX", proposedDates: $d) {
  engagement { status kind proposedDates } errors { field code } } }"""
SUBMIT = """mutation($orgs: [String!]) { submitEngagement(kind: ROUND_TABLE, theme: "CIO個別意見交換会",
  startsAt: "2025-06-10T14:00:00+09:00", organizationCodes: $orgs, participantCount: 6) {
  engagement { status fiscalYear organizations { code } } errors { field code } } }"""


def _held(manager, org, kind=EngagementKind.ROUND_TABLE):
    return services.engagement_record(
        actor=manager,
        kind=kind,
        theme=f"{kind}",
        starts_at=timezone.now() - dt.timedelta(days=1),
        organizations=[org],
    )


@pytest.mark.django_db
def test_list_is_scoped_to_the_requesters_organisation(
    gql, ict_manager, requester, hr_user, ward, other_ward
):
    _held(ict_manager, ward)
    _held(ict_manager, other_ward, EngagementKind.OUTREACH)
    mine = gql(requester).execute(LIST)["data"]["engagements"]
    assert mine["totalCount"] == 1 and mine["edges"][0]["node"]["organizations"] == [{"code": "131016"}]
    assert gql(ict_manager).execute(LIST)["data"]["engagements"]["totalCount"] == 2
    assert gql(hr_user).execute(LIST)["data"]["engagements"]["totalCount"] == 0


@pytest.mark.django_db
def test_requester_asks_for_outreach_and_cannot_record(gql, requester, ward):
    day = (today() + dt.timedelta(days=7)).isoformat()
    result = gql(requester).execute(OUTREACH, {"d": [day]})["data"]["requestOutreach"]
    assert result["errors"] == [] and result["engagement"]["status"] == "REQUESTED"
    past = gql(requester).execute(OUTREACH, {"d": ["2000-01-01"]})["data"]["requestOutreach"]
    assert [e["code"] for e in past["errors"]] == ["past_date"]
    refused = gql(requester).execute(SUBMIT, {"orgs": ["131016"]})
    assert codes(refused) == ["FORBIDDEN"]
    assert Engagement.objects.count() == 1


@pytest.mark.django_db
def test_manager_records_an_engagement(gql, ict_manager, ward):
    result = gql(ict_manager).execute(SUBMIT, {"orgs": ["131016"]})["data"]["submitEngagement"]
    assert result["errors"] == []
    assert result["engagement"] == {
        "status": "HELD",
        "fiscalYear": 2025,
        "organizations": [{"code": "131016"}],
    }
    unknown = gql(ict_manager).execute(SUBMIT, {"orgs": ["999999"]})["data"]["submitEngagement"]
    assert [e["code"] for e in unknown["errors"]] == ["unknown_organization"]
    assert Engagement.objects.count() == 1


@pytest.mark.django_db
def test_overview_and_coverage(gql, ict_manager, requester, hr_user, ward, other_ward):
    _held(ict_manager, ward, EngagementKind.STUDY_SESSION)
    query = "query($c: String!) { organizationOverview(code: $c) { code trainingsAttended { theme } contacts { email } } }"
    own = gql(requester).execute(query, {"c": "131016"})["data"]["organizationOverview"]
    assert own["code"] == "131016" and len(own["trainingsAttended"]) == 1
    assert gql(requester).execute(query, {"c": "131024"})["data"]["organizationOverview"] is None
    coverage = (
        "query($fy: Int!) { engagementCoverage(fiscalYear: $fy) { withAnyEngagement withoutEngagement } }"
    )
    fy = fiscal_year_of(today())
    assert gql(hr_user).execute(coverage, {"fy": fy})["data"]["engagementCoverage"] == {
        "withAnyEngagement": 1,
        "withoutEngagement": 1,
    }
    assert codes(gql(requester).execute(coverage, {"fy": fy})) == ["FORBIDDEN"]


@pytest.mark.django_db
def test_outreach_lifecycle_status_is_visible_to_the_requester(gql, requester, ict_manager):
    asked = services.outreach_request(actor=requester, theme="x", proposed_dates=[today()])
    services.engagement_schedule(
        actor=ict_manager, engagement=asked, starts_at=timezone.now() + dt.timedelta(days=3)
    )
    node = gql(requester).execute(LIST.replace("theme kind", "theme kind status"))["data"]["engagements"]
    assert node["edges"][0]["node"]["status"] == EngagementStatus.SCHEDULED.upper()


@pytest.mark.django_db
def test_list_costs_the_same_whatever_its_size(gql, ict_manager, ward, other_ward, django_assert_num_queries):
    query = """query { engagements(first: 20) { totalCount edges { node { theme organizations { code }
      staffNames materials { name } } } } }"""
    _held(ict_manager, ward)
    client = gql(ict_manager)
    client.execute(query)  # warm caches (content types, roles)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.execute(query)
    for _ in range(5):
        _held(ict_manager, other_ward)
    with django_assert_num_queries(len(few.captured_queries)):
        result = client.execute(query)
    assert result["data"]["engagements"]["totalCount"] == 6
