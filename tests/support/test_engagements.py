"""Engagements (the municipal pillar): recording, seeing only one's organisation's, asking for an outreach
consultation and the bureau scheduling or declining it, materials, coverage and the 360° view."""

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.fiscal import fiscal_year_of, today
from core.models import AuditEvent
from support import selectors_engagements as selectors
from support.attachments import sample_bytes
from support.engagement_models import Engagement, EngagementKind, EngagementMaterial, EngagementStatus
from support.services import engagements as services
from tests.conftest import login


def held(manager, *orgs, kind=EngagementKind.ROUND_TABLE, **extra):
    return services.engagement_record(
        actor=manager,
        kind=kind,
        theme="CIO個別意見交換会",
        starts_at=timezone.now() - dt.timedelta(days=1),
        organizations=orgs,
        participant_count=4,
        **extra,
    )


@pytest.mark.django_db
def test_manager_records_engagement_with_material_and_it_is_audited(ict_manager, ward):
    pdf = SimpleUploadedFile("資料.pdf", sample_bytes("pdf"), content_type="application/pdf")
    engagement = held(ict_manager, ward, files=[pdf], satisfaction=4.5)
    assert engagement.status == EngagementStatus.HELD
    assert list(engagement.organizations.all()) == [ward]
    assert engagement.materials.get().original_name == "資料.pdf"
    assert AuditEvent.objects.filter(verb="engagement.record", target_id=str(engagement.pk)).exists()


@pytest.mark.django_db
def test_a_bad_material_refuses_the_whole_engagement(ict_manager, ward):
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as refused:
        held(ict_manager, ward, files=[bad])
    assert "file" in refused.value.error_dict
    assert not Engagement.objects.exists() and not EngagementMaterial.objects.exists()


@pytest.mark.django_db
def test_only_managers_record(ict_staff, requester, ward):
    for user in (ict_staff, requester):
        with pytest.raises(PermissionDenied):
            held(user, ward)
    assert not Engagement.objects.exists()


@pytest.mark.django_db
def test_requesters_see_only_their_organisations_engagements(
    ict_manager, requester, other_requester, ward, other_ward
):
    ours = held(ict_manager, ward)
    theirs = held(ict_manager, other_ward)
    assert list(selectors.engagement_list_for(requester)) == [ours]
    page = login(requester).get(reverse("support:engagement_list"))
    assert page.status_code == 200 and ours.theme.encode() in page.content
    assert login(requester).get(reverse("support:engagement_detail", args=[theirs.pk])).status_code == 404
    assert (
        login(other_requester).get(reverse("support:engagement_detail", args=[theirs.pk])).status_code == 200
    )
    pdf = SimpleUploadedFile("a.pdf", sample_bytes("pdf"), content_type="application/pdf")
    services.engagement_record_outcome(actor=ict_manager, engagement=theirs, files=[pdf])
    material = theirs.materials.get()
    url = reverse("support:engagement_material", args=[theirs.pk, material.pk])
    assert login(requester).get(url).status_code == 404
    assert login(other_requester).get(url).status_code == 200


@pytest.mark.django_db
def test_hr_sees_no_engagement_but_the_coverage(hr_user, ict_manager, ward):
    held(ict_manager, ward)
    assert login(hr_user).get(reverse("support:engagement_list")).status_code == 403
    assert login(hr_user).get(reverse("reports:engagement_coverage")).status_code == 200


@pytest.mark.django_db
def test_outreach_request_scheduled_then_held(requester, ict_manager, ward):
    client = login(requester)
    day = (today() + dt.timedelta(days=10)).isoformat()
    response = client.post(reverse("support:outreach_request"), {"theme": "窓口DX", "date_1": day})
    assert response.status_code == 302
    asked = Engagement.objects.get()
    assert (asked.status, asked.kind, asked.requesting_organization) == (
        EngagementStatus.REQUESTED,
        EngagementKind.OUTREACH,
        ward,
    )
    assert asked.proposed_dates == [day]
    # the requester cannot schedule it themselves: 403 and nothing changes
    refused = client.post(
        reverse("support:engagement_schedule", args=[asked.pk]), {"starts_at": f"{day}T10:00"}
    )
    assert refused.status_code == 403
    asked.refresh_from_db()
    assert asked.status == EngagementStatus.REQUESTED
    login(ict_manager).post(
        reverse("support:engagement_schedule", args=[asked.pk]), {"starts_at": f"{day}T10:00"}
    )
    asked.refresh_from_db()
    assert asked.status == EngagementStatus.SCHEDULED and asked.starts_at.date().isoformat() == day
    # a scheduled consultation can no longer be declined
    with pytest.raises(ValidationError):
        services.engagement_decline(actor=ict_manager, engagement=asked, reason="x")
    services.engagement_record_outcome(
        actor=ict_manager, engagement=asked, outcomes="整理した", satisfaction=5
    )
    asked.refresh_from_db()
    assert asked.status == EngagementStatus.HELD and asked.outcomes == "整理した"


@pytest.mark.django_db
def test_outreach_request_needs_a_future_date_and_can_be_declined(requester, ict_manager):
    with pytest.raises(ValidationError):
        services.outreach_request(actor=requester, theme="x", proposed_dates=[today() - dt.timedelta(days=1)])
    asked = services.outreach_request(actor=requester, theme="x", proposed_dates=[today()])
    with pytest.raises(ValidationError):
        services.engagement_decline(actor=ict_manager, engagement=asked, reason="")
    services.engagement_decline(actor=ict_manager, engagement=asked, reason="日程が合わない")
    asked.refresh_from_db()
    assert asked.status == EngagementStatus.DECLINED


@pytest.mark.django_db
def test_coverage_says_who_had_no_round_table(ict_manager, ward, other_ward):
    held(ict_manager, ward)
    held(ict_manager, other_ward, kind=EngagementKind.OUTREACH)
    rows = {r.organization.code: r for r in selectors.engagement_coverage(fiscal_year_of(today()))}
    assert rows["131016"].round_table and not rows["131016"].outreach
    assert rows["131024"].outreach and not rows["131024"].round_table
    assert all(r.any_engagement for r in rows.values())
    assert not any(r.any_engagement for r in selectors.engagement_coverage(fiscal_year_of(today()) - 1))
    page = login(ict_manager).get(reverse("reports:engagement_coverage") + "?missing=round_table")
    assert "中央区" in page.content.decode() and "千代田区" not in page.content.decode()


@pytest.mark.django_db
def test_organisation_overview_is_the_requesters_own_only(requester, ict_manager, ward, other_ward):
    held(ict_manager, ward, kind=EngagementKind.STUDY_SESSION)
    overview = selectors.organization_overview_for(requester, "131016")
    assert len(overview.trainings_attended) == 1 and overview.contacts == [requester]
    assert login(requester).get(reverse("support:organization_overview", args=["131016"])).status_code == 200
    assert login(requester).get(reverse("support:organization_overview", args=["131024"])).status_code == 404
    assert (
        login(ict_manager).get(reverse("support:organization_overview", args=["131024"])).status_code == 200
    )


@pytest.mark.django_db
def test_demo_engagements_follow_the_seeds():
    from seeds.demo.accounts import create_demo_accounts
    from seeds.demo.engagements import create_engagements
    from seeds.demo.skills import create_talent_pool
    from seeds.reference import load_reference

    load_reference()
    rng = random.Random(2025)
    create_demo_accounts(password="demo-pass-2025", rng=rng)
    create_talent_pool(password="demo-pass-2025", rng=rng, scale=0.05)
    create_engagements(password="demo-pass-2025", rng=rng)
    last = fiscal_year_of(today()) - 1
    year = Engagement.objects.filter(fiscal_year=last)
    assert year.filter(kind=EngagementKind.STUDY_SESSION).count() == 12
    assert year.filter(kind=EngagementKind.CIO_FORUM).count() == 2
    assert year.filter(kind=EngagementKind.ROUND_TABLE).count() == 11
    reached = {r.organization.code for r in selectors.engagement_coverage(last) if r.round_table}
    assert len(reached) == 56
    assert Engagement.objects.filter(
        requesting_organization__code="131016", status=EngagementStatus.REQUESTED
    ).exists()
