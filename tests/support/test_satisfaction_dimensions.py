"""Satisfaction with the seeds' dimensions (「サポートの頻度や品質」): overall, frequency, quality and a comment; a low
rating (≤ 2 overall or in any dimension) alerts the ICT managers, is flagged on the request for the ICT side, and
the managers record the follow-up there."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from support import services
from support.models import SatisfactionFollowUp, SatisfactionResponse, Status
from tests.conftest import codes


def _rate(requester, resolved, capture, **answers):
    with capture(execute=True):
        return services.satisfaction_submit(actor=requester, request=resolved, **answers)


@pytest.mark.parametrize(
    ("answers", "alerted"),
    [
        ({"score": 2}, True),
        ({"score": 4, "frequency": 2, "quality": 5}, True),
        ({"score": 4, "frequency": 4, "quality": 1}, True),
        ({"score": 3, "frequency": 3, "quality": 3}, False),
        ({"score": 5}, False),
    ],
)
def test_a_low_rating_in_any_dimension_mails_the_managers(
    requester, resolved, ict_manager, django_capture_on_commit_callbacks, answers, alerted
):
    mail.outbox.clear()
    response = _rate(requester, resolved, django_capture_on_commit_callbacks, **answers)
    assert response.is_low is alerted
    to_managers = [m for m in mail.outbox if m.to == [ict_manager.email]]
    assert len(to_managers) == (1 if alerted else 0)
    if alerted:
        assert resolved.reference in to_managers[0].subject
    stored = SatisfactionResponse.objects.get(request=resolved)
    assert (stored.frequency, stored.quality) == (answers.get("frequency"), answers.get("quality"))


def test_a_dimension_out_of_range_is_refused_and_nothing_is_stored(requester, resolved):
    with pytest.raises(ValidationError) as refused:
        services.satisfaction_submit(actor=requester, request=resolved, score=4, quality=6)
    assert "quality" in refused.value.error_dict
    assert not SatisfactionResponse.objects.filter(request=resolved).exists()


def test_the_rating_form_takes_the_dimensions(client_for, requester, resolved):
    client_for(requester).post(
        reverse("support:satisfaction_create", args=[resolved.reference]),
        {"score": "4", "frequency": "3", "quality": ""},
    )
    stored = SatisfactionResponse.objects.get(request=resolved)
    assert (stored.score, stored.frequency, stored.quality) == (4, 3, None)


@pytest.fixture
def low(requester, resolved, django_capture_on_commit_callbacks):
    _rate(requester, resolved, django_capture_on_commit_callbacks, score=1, comment="遅い")
    resolved.refresh_from_db()
    return resolved


def test_the_manager_sees_the_flag_and_records_a_follow_up_on_the_page(client_for, ict_manager, low):
    client = client_for(ict_manager)
    page = client.get(reverse("support:request_detail", args=[low.reference])).content.decode()
    assert 'data-flag="low-satisfaction"' in page
    client.post(
        reverse("support:satisfaction_follow_up", args=[low.reference]),
        {"note": "担当課長に電話し、再説明した"},
    )
    assert list(SatisfactionFollowUp.objects.filter(request=low).values_list("note", "author")) == [
        ("担当課長に電話し、再説明した", ict_manager.pk)
    ]
    page = client.get(reverse("support:request_detail", args=[low.reference])).content.decode()
    assert "担当課長に電話し、再説明した" in page


def test_the_requester_sees_neither_flag_nor_follow_up_and_cannot_record_one(
    client_for, requester, ict_manager, low
):
    services.satisfaction_follow_up_record(actor=ict_manager, request=low, note="内部メモ")
    client = client_for(requester)
    page = client.get(reverse("support:request_detail", args=[low.reference])).content.decode()
    assert 'data-flag="low-satisfaction"' not in page and "内部メモ" not in page
    refused = client.post(reverse("support:satisfaction_follow_up", args=[low.reference]), {"note": "x"})
    assert refused.status_code == 403
    assert SatisfactionFollowUp.objects.filter(request=low).count() == 1


def test_ict_staff_cannot_record_a_follow_up(ict_staff, low):
    with pytest.raises(PermissionDenied):
        services.satisfaction_follow_up_record(actor=ict_staff, request=low, note="x")
    assert not SatisfactionFollowUp.objects.exists()


def test_no_follow_up_before_a_rating_and_none_without_a_note(ict_manager, resolved, low):
    with pytest.raises(ValidationError) as empty:
        services.satisfaction_follow_up_record(actor=ict_manager, request=low, note="  ")
    assert empty.value.error_dict["note"][0].code == "note_required"
    assert not SatisfactionFollowUp.objects.exists()


def test_not_rated_yet(ict_manager, assigned):
    with pytest.raises(ValidationError) as refused:
        services.satisfaction_follow_up_record(actor=ict_manager, request=assigned, note="x")
    assert refused.value.error_dict["note"][0].code == "not_rated"


SUBMIT = """
mutation ($reference: String!) {
  submitSatisfaction(reference: $reference, score: 4, frequency: 2, quality: 4, comment: "頻度が少ない") {
    supportRequest { status satisfaction { score frequency quality isLow } }
    errors { code }
  }
}
"""
FOLLOW_UP = """
mutation ($reference: String!, $note: String!) {
  recordSatisfactionFollowUp(reference: $reference, note: $note) {
    supportRequest { satisfaction { followUps { note authorName } } }
    errors { field code }
  }
}
"""


def test_graphql_rates_with_dimensions_and_the_manager_follows_up(gql, requester, ict_manager, resolved):
    rated = gql(requester).execute(SUBMIT, {"reference": resolved.reference})["data"]["submitSatisfaction"]
    assert rated["errors"] == []
    assert rated["supportRequest"]["satisfaction"] == {
        "score": 4,
        "frequency": 2,
        "quality": 4,
        "isLow": True,
    }
    assert rated["supportRequest"]["status"] == Status.CLOSED.name

    done = gql(ict_manager).execute(FOLLOW_UP, {"reference": resolved.reference, "note": "訪問した"})
    payload = done["data"]["recordSatisfactionFollowUp"]
    assert payload["errors"] == []
    assert [f["note"] for f in payload["supportRequest"]["satisfaction"]["followUps"]] == ["訪問した"]


def test_graphql_follow_up_refusals(gql, requester, ict_manager, resolved):
    forbidden = gql(requester).execute(FOLLOW_UP, {"reference": resolved.reference, "note": "x"})
    assert codes(forbidden) == ["FORBIDDEN"]
    not_rated = gql(ict_manager).execute(FOLLOW_UP, {"reference": resolved.reference, "note": "x"})
    assert not_rated["data"]["recordSatisfactionFollowUp"]["errors"] == [
        {"field": "note", "code": "not_rated"}
    ]
    assert not SatisfactionFollowUp.objects.exists()
