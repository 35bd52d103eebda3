"""A request may come out of an engagement (「この依頼は勉強会・意見交換会・アウトリーチ相談から生まれた」): the
requester or an ICT manager picks one of the organisation's engagements; the request shows it and the engagement
lists the requests that came out of it. ICT managers correct a recorded engagement on its edit page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from graphql_relay import to_global_id

from core.models import AuditEvent
from support import services
from support.attachments import sample_bytes
from support.engagement_models import Engagement, EngagementKind, EngagementStatus
from support.models import SupportRequest
from support.services import engagements as engagement_services
from tests.conftest import login


def _held(manager, *orgs, theme="費用対効果の勉強会"):
    return engagement_services.engagement_record(
        actor=manager,
        kind=EngagementKind.STUDY_SESSION,
        theme=theme,
        starts_at=timezone.now() - dt.timedelta(days=3),
        organizations=orgs,
        participant_count=21,
    )


@pytest.fixture
def ours(ict_manager, ward):
    return _held(ict_manager, ward)


@pytest.fixture
def theirs(ict_manager, other_ward):
    return _held(ict_manager, other_ward, theme="中央区の意見交換会")


def _form(category, **extra):
    return {
        "title": "勉強会で相談した費用対効果の試算",
        "description": "勉強会の後、試算の進め方を相談したい。",
        "category": category.pk,
        "phase": "planning",
        **extra,
    }


@pytest.mark.django_db
def test_a_requester_files_a_request_that_came_out_of_their_study_session_and_both_pages_show_it(
    requester, category, ours, theirs
):
    client = login(requester)
    form = client.get(reverse("support:request_create")).content.decode()
    assert "費用対効果の勉強会" in form and "中央区の意見交換会" not in form  # only the organisation's own
    assert "自団体の支援活動" in form  # the field's help, in Japanese
    response = client.post(reverse("support:request_create"), _form(category, engagement=ours.pk))
    created = SupportRequest.objects.get()
    assert response.status_code == 302 and created.engagement == ours
    detail = client.get(reverse("support:request_detail", args=[created.reference])).content.decode()
    assert 'id="came-from-engagement"' in detail and "費用対効果の勉強会" in detail
    engagement_page = client.get(reverse("support:engagement_detail", args=[ours.pk])).content.decode()
    assert created.reference in engagement_page


@pytest.mark.django_db
def test_another_organisations_engagement_is_refused_by_the_form_and_the_service(
    requester, category, theirs, submit
):
    response = login(requester).post(reverse("support:request_create"), _form(category, engagement=theirs.pk))
    assert response.status_code == 200 and "engagement" in response.context["form"].errors
    with pytest.raises(ValidationError) as refused:
        submit(engagement=theirs)
    assert refused.value.error_dict["engagement"][0].code == "engagement_not_linkable"
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_a_manager_links_an_open_request_to_the_engagement_later_and_a_declined_one_is_refused(
    ict_manager, requester, submitted, ours, ward
):
    services.request_update(actor=ict_manager, request=submitted, engagement=ours)
    assert SupportRequest.objects.get(pk=submitted.pk).engagement == ours
    declined = engagement_services.outreach_request(
        actor=requester, theme="アウトリーチ", proposed_dates=[dt.date.today() + dt.timedelta(days=30)]
    )
    engagement_services.engagement_decline(actor=ict_manager, engagement=declined, reason="日程が合わない")
    with pytest.raises(ValidationError):
        services.request_update(actor=ict_manager, request=submitted, engagement=declined)
    assert SupportRequest.objects.get(pk=submitted.pk).engagement == ours


SUBMIT = """
mutation ($engagement: ID) {
  submitSupportRequest(title: "勉強会からの相談", description: "説明", category: "spec-review",
                       phase: PLANNING, engagement: $engagement) {
    supportRequest { reference engagement { theme } }
    errors { field code }
  }
}
"""
UPDATE = """
mutation ($reference: String!, $engagement: ID) {
  updateSupportRequest(reference: $reference, engagement: $engagement) {
    supportRequest { engagement { theme requests { reference } } }
    errors { field code }
  }
}
"""


@pytest.mark.django_db
def test_the_api_sets_shows_and_clears_the_link(gql, requester, category, ours, theirs):
    api = gql(requester)
    refused = api.execute(SUBMIT, {"engagement": to_global_id("Engagement", theirs.pk)})["data"]
    assert refused["submitSupportRequest"]["errors"] == [
        {"field": "engagement", "code": "engagement_not_linkable"}
    ]
    created = api.execute(SUBMIT, {"engagement": to_global_id("Engagement", ours.pk)})["data"]
    payload = created["submitSupportRequest"]
    assert payload["supportRequest"]["engagement"] == {"theme": "費用対効果の勉強会"}
    reference = payload["supportRequest"]["reference"]
    shown = api.execute(UPDATE, {"reference": reference, "engagement": to_global_id("Engagement", ours.pk)})
    assert shown["data"]["updateSupportRequest"]["supportRequest"]["engagement"]["requests"] == [
        {"reference": reference}
    ]
    cleared = api.execute(UPDATE, {"reference": reference, "engagement": ""})["data"]
    assert cleared["updateSupportRequest"]["supportRequest"]["engagement"] is None
    assert SupportRequest.objects.get(reference=reference).engagement is None


@pytest.mark.django_db
def test_a_manager_corrects_an_engagement_and_it_is_audited(ict_manager, ours, ward, other_ward):
    client = login(ict_manager)
    assert client.get(reverse("support:engagement_edit", args=[ours.pk])).status_code == 200
    later = (timezone.localtime() + dt.timedelta(days=10)).replace(microsecond=0)
    pdf = SimpleUploadedFile("当日資料.pdf", sample_bytes("pdf"), content_type="application/pdf")
    response = client.post(
        reverse("support:engagement_edit", args=[ours.pk]),
        {
            "kind": "study_session",
            "theme": "費用対効果の勉強会（第2回）",
            "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
            "organizations": [ward.pk, other_ward.pk],
            "participant_count": "23",
            "files": pdf,
        },
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.theme == "費用対効果の勉強会（第2回）" and ours.participant_count == 23
    assert ours.status == EngagementStatus.SCHEDULED  # moved ahead: scheduled again
    assert set(ours.organizations.values_list("code", flat=True)) == {ward.code, other_ward.code}
    assert ours.materials.get().original_name == "当日資料.pdf"
    event = AuditEvent.objects.get(verb="engagement.update", target_id=str(ours.pk))
    assert {"theme", "starts_at", "participant_count", "organizations"} <= set(event.data["fields"])


@pytest.mark.django_db
def test_only_managers_edit_engagements(ict_staff, requester, ours):
    for user in (ict_staff, requester):
        with pytest.raises(PermissionDenied):
            engagement_services.engagement_update(actor=user, engagement=ours, theme="x")
        assert login(user).get(reverse("support:engagement_edit", args=[ours.pk])).status_code == 403
    assert Engagement.objects.get(pk=ours.pk).theme == "費用対効果の勉強会"


def test_coverage_refuses_a_fiscal_year_out_of_range_like_the_reports(gql, ict_manager):
    for query in (
        "query { engagementCoverage(fiscalYear: 1800) { municipalities } }",
        "query { dashboard(fiscalYear: 1800) { label } }",
        "query { progressReport(fiscalYear: 1800) { label } }",
    ):
        errors = gql(ict_manager).execute(query)["errors"]
        assert errors[0]["extensions"]["code"] == "BAD_PERIOD", query
