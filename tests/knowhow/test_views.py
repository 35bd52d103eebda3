"""The know-how pages and GraphQL as each role meets them."""

import pytest
from django.urls import reverse
from graphql_relay import to_global_id

from knowhow import services
from knowhow.models import Case, CaseStatus, RequestLink
from skills.models import StaffProfile
from support.models import Assignment
from tests.conftest import codes

pytestmark = pytest.mark.django_db

SPEC = "住民情報システムの調達仕様書を確認してほしい"
CASE = {
    "title": "仕様書レビューの好事例",
    "problem": "非機能要件が曖昧",
    "actions": "チェックリストで確認",
    "lessons": "早めに",
}


def test_the_request_form_asks_for_suggestions_while_typing(client_for, requester, categories):
    page = client_for(requester).get(reverse("support:request_create")).content.decode()
    assert f'hx-get="{reverse("knowhow:suggest")}"' in page and "delay:600ms" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_suggestions_show_a_published_case_never_another_wards_request(
    past, client_for, requester, ict_manager
):
    url = reverse("knowhow:suggest") + "?" + "title=" + SPEC
    before = client_for(requester).get(url).content.decode()
    assert past["other"].reference not in before and past["own"].reference in before
    case = services.case_publish(actor=ict_manager, request=past["other"], **CASE)
    after = client_for(requester).get(url).content.decode()
    assert reverse("knowhow:case_detail", args=[case.pk]) in after
    assert past["other"].reference not in after  # the case, not the other ward's request


def test_the_ict_panel_names_who_worked_on_similar_requests(
    past, client_for, ict_staff, ict_manager, requester
):
    profile = StaffProfile.objects.create(user=ict_staff, capacity_hours_per_week=20)
    Assignment.objects.create(
        request=past["other"], staff=profile, role="lead", allocated_hours_per_week=4, assigned_by=ict_manager
    )
    url = reverse("knowhow:request_panel", args=[past["own"].reference])
    ict_page = client_for(ict_manager).get(url).content.decode()
    assert past["other"].reference in ict_page and ict_staff.label in ict_page
    requester_page = client_for(requester).get(url).content.decode()
    assert past["other"].reference not in requester_page


def test_a_manager_publishes_an_anonymised_case_every_user_can_read(past, client_for, ict_manager, hr_user):
    url = reverse("knowhow:case_edit", args=[past["other"].reference])
    response = client_for(ict_manager).post(url, {**CASE, "documents": "チェックリスト.xlsx"})
    case = Case.objects.get(request=past["other"])
    assert response.status_code == 302 and case.is_published and not case.show_organization
    page = client_for(hr_user).get(reverse("knowhow:case_detail", args=[case.pk])).content.decode()
    assert "チェックリスト.xlsx" in page and past["other"].organization.name not in page
    listing = client_for(hr_user).get(reverse("knowhow:case_list") + "?search=仕様書").content.decode()
    assert CASE["title"] in listing
    client_for(ict_manager).post(reverse("knowhow:case_withdraw", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert client_for(hr_user).get(reverse("knowhow:case_detail", args=[case.pk])).status_code == 404


def test_staff_link_requests_and_see_the_link_from_both_sides(past, client_for, ict_staff, requester):
    own, other = past["own"], past["other"]
    client_for(ict_staff).post(reverse("knowhow:link_add", args=[other.reference]), {"other": own.reference})
    assert RequestLink.objects.count() == 1
    panel = client_for(ict_staff).get(reverse("knowhow:request_panel", args=[own.reference])).content.decode()
    assert reverse("knowhow:link_remove", args=[own.reference, other.reference]) in panel
    refused = client_for(requester).post(
        reverse("knowhow:link_add", args=[own.reference]), {"other": own.reference}
    )
    assert refused.status_code == 404 and RequestLink.objects.count() == 1


SIMILAR = (
    "query($t: String!) { similarRequests(text: $t) { reference title case { title organizationName } } }"
)


def test_graphql_similar_requests_hide_another_wards_reference(past, gql, requester, ict_manager):
    services.case_publish(actor=ict_manager, request=past["other"], **CASE)
    rows = gql(requester).execute(SIMILAR, {"t": SPEC})["data"]["similarRequests"]
    shown = {row["reference"] for row in rows}
    assert past["other"].reference not in shown and past["own"].reference in shown
    assert {
        "reference": None,
        "title": CASE["title"],
        "case": {"title": CASE["title"], "organizationName": None},
    } in rows
    every = gql(ict_manager).execute(SIMILAR, {"t": SPEC})["data"]["similarRequests"]
    assert past["other"].reference in {row["reference"] for row in every}


PUBLISH = 'mutation($r: String!) { publishCase(reference: $r, title: "t", problem: "p", actions: "a") { case { id } errors { code } } }'
WITHDRAW = "mutation($id: ID!) { withdrawCase(id: $id) { case { status } errors { code } } }"


def test_graphql_publish_and_withdraw_by_role(past, gql, requester, ict_staff, ict_manager, categories):
    refused = gql(requester).execute(PUBLISH, {"r": past["own"].reference})
    assert codes(refused) == ["FORBIDDEN"] and not Case.objects.exists()
    assert codes(gql(ict_staff).execute(PUBLISH, {"r": past["own"].reference})) == ["FORBIDDEN"]
    done = gql(ict_manager).execute(PUBLISH, {"r": past["own"].reference})["data"]["publishCase"]
    assert done["errors"] == [] and Case.objects.get().is_published
    case_id = to_global_id("Case", Case.objects.get().pk)
    assert codes(gql(requester).execute(WITHDRAW, {"id": case_id})) == ["FORBIDDEN"]
    withdrawn = gql(ict_manager).execute(WITHDRAW, {"id": case_id})["data"]["withdrawCase"]
    assert withdrawn == {"case": {"status": "WITHDRAWN"}, "errors": []}
    again = gql(ict_manager).execute(WITHDRAW, {"id": case_id})["data"]["withdrawCase"]
    assert [e["code"] for e in again["errors"]] == ["not_published"]
    cases = gql(requester).execute("query { cases(first: 5) { totalCount } }")["data"]["cases"]
    assert cases["totalCount"] == 0


LINK = """
mutation ($r: String!, $o: String!) {
  linkRelatedRequests(reference: $r, relatedReference: $o) {
    supportRequest { reference } relatedRequests { reference } errors { field code }
  }
}
"""
UNLINK = LINK.replace("linkRelatedRequests", "unlinkRelatedRequests")
RELATED = "query ($r: String!) { relatedRequests(reference: $r) { reference } }"


def test_staff_link_requests_through_the_api_and_each_lists_the_other(past, gql, ict_staff, requester):
    own, other = past["own"], past["other"]
    linked = gql(ict_staff).execute(LINK, {"r": other.reference, "o": own.reference})["data"]
    assert linked["linkRelatedRequests"]["relatedRequests"] == [{"reference": own.reference}]
    assert gql(ict_staff).execute(RELATED, {"r": own.reference})["data"]["relatedRequests"] == [
        {"reference": other.reference}
    ]
    same = gql(ict_staff).execute(LINK, {"r": own.reference, "o": own.reference})["data"]
    assert same["linkRelatedRequests"]["errors"] == [{"field": "relatedReference", "code": "same_request"}]
    unknown = gql(ict_staff).execute(LINK, {"r": own.reference, "o": "DX-1999-0001"})["data"]
    assert unknown["linkRelatedRequests"]["errors"] == [
        {"field": "relatedReference", "code": "unknown_request"}
    ]
    refused = gql(requester).execute(UNLINK, {"r": own.reference, "o": other.reference})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN" and RequestLink.objects.count() == 1
    gql(ict_staff).execute(UNLINK, {"r": own.reference, "o": other.reference})
    assert not RequestLink.objects.exists()
