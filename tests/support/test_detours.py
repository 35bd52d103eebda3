"""Fewer detours on the request pages: triage fixes the category and leads to the candidates; withdrawing asks
first and says what will happen; a resolved request's status control does not default to reopening; chosen files
survive another field's error; the triage form's controls are all labelled."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from support.attachments import sample_bytes
from support.models import Assignment, RequestCategory, Status, SupportRequest

TRIAGE = {
    "decision": "accept",
    "priority": "2",
    "estimated_hours": "16",
    "reason": "",
    "skills-TOTAL_FORMS": "1",
    "skills-INITIAL_FORMS": "0",
    "skills-0-skill": "cloud-arch",
    "skills-0-min_level": "3",
    "skills-0-weight": "2",
}


def test_accepting_at_triage_leads_to_the_candidates(client_for, ict_manager, submitted, skills):
    response = client_for(ict_manager).post(
        reverse("support:request_triage", args=[submitted.reference]), TRIAGE
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staffing:candidates", args=[submitted.reference])


def test_rejecting_at_triage_goes_back_to_the_request(client_for, ict_manager, submitted):
    data = {
        "decision": "reject",
        "reason": "対象外です",
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
    }
    response = client_for(ict_manager).post(
        reverse("support:request_triage", args=[submitted.reference]), data
    )
    assert response["Location"] == reverse("support:request_detail", args=[submitted.reference])


def test_triage_corrects_the_category(client_for, ict_manager, submitted, skills):
    other = RequestCategory.objects.exclude(pk=submitted.category_id).first()
    client_for(ict_manager).post(
        reverse("support:request_triage", args=[submitted.reference]), {**TRIAGE, "category": other.pk}
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.category_id) == (Status.TRIAGED, other.pk)


def test_suggesting_for_another_category_saves_nothing(client_for, ict_manager, submitted, skills):
    other = RequestCategory.objects.exclude(pk=submitted.category_id).first()
    response = client_for(ict_manager).post(
        reverse("support:request_triage", args=[submitted.reference]),
        {**TRIAGE, "category": str(other.pk), "resuggest": "1"},
    )
    submitted.refresh_from_db()
    assert (response.status_code, submitted.status, submitted.category_id) == (
        200,
        Status.SUBMITTED,
        submitted.category_id,
    )
    assert response.context["suggested_category"] == other


def _unlabelled_controls(html: str) -> list[str]:
    """Form controls (not hidden) with neither a <label for> nor an aria-label."""
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    unlabelled = []
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag or "aria-label=" in tag:
            continue
        found = re.search(r'\bid="([^"]+)"', tag)
        if not found or found.group(1) not in labelled:
            unlabelled.append(tag)
    return unlabelled


def test_every_control_of_the_triage_form_is_labelled(client_for, ict_manager, submitted, skills):
    html = client_for(ict_manager).get(reverse("support:request_triage", args=[submitted.reference])).content
    html = html.decode()
    form = html[html.index('<form method="post" class="col-lg-8"') :]
    assert _unlabelled_controls(form[: form.index("</form>")]) == []
    assert 'aria-label="必須（1行目）"' in html


# --- withdraw: confirmation with what will happen ------------------------------------------------------------------


def test_withdraw_without_confirmation_changes_nothing_and_says_what_will_happen(
    client_for, requester, assigned
):
    url = reverse("support:request_withdraw", args=[assigned.reference])
    response = client_for(requester).post(url, {"note": "不要"})
    assigned.refresh_from_db()
    page = response.content.decode()
    assert (response.status_code, assigned.status) == (200, Status.TRIAGED)
    assert "担当者の割当 1 件は解除されます" in page and 'name="confirm" value="yes"' in page
    assert 'name="note" value="不要"' in page  # the confirmation posts the same form again
    assert Assignment.objects.active().filter(request=assigned).count() == 1


def test_withdraw_with_confirmation_withdraws_and_releases_the_assignments(client_for, requester, assigned):
    url = reverse("support:request_withdraw", args=[assigned.reference])
    response = client_for(requester).post(url, {"note": "不要", "confirm": "yes"})
    assigned.refresh_from_db()
    assert (response.status_code, assigned.status) == (302, Status.WITHDRAWN)
    assert not Assignment.objects.active().filter(request=assigned).exists()


# --- status control of a resolved request --------------------------------------------------------------------------


def test_a_resolved_requests_status_control_does_not_default_to_reopening(client_for, ict_staff, resolved):
    response = client_for(ict_staff).get(reverse("support:request_detail", args=[resolved.reference]))
    form = response.context["status_form"]
    selected = re.search(r'<option value="([^"]*)"[^>]*selected', str(form["status"]))
    assert form["status"].value() == "" and (selected is None or selected.group(1) == "")
    assert list(form.fields["status"].choices)[0] == ("", "— 変更しない（現在: 解決済） —")
    assert Status.IN_PROGRESS in [value for value, _label in form.fields["status"].choices]


def test_posting_the_default_status_choice_changes_nothing(client_for, ict_staff, resolved):
    client_for(ict_staff).post(reverse("support:request_status", args=[resolved.reference]), {"status": ""})
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


# --- request form: a chosen file survives another field's error; the focus goes to the first error -----------------


def _new_request(category, **extra):
    return {
        "title": "仕様書の確認",
        "description": "次年度の調達仕様書を確認してください。",
        "category": category.pk,
        "phase": "procurement",
        "desired_start": "2026-12-01",
        "due_date": "2027-01-31",
        "contact": "内線 1234",
        **extra,
    }


def test_a_chosen_file_survives_another_fields_error_and_is_saved_on_resubmit(
    client_for, requester, category
):
    client = client_for(requester)
    content = sample_bytes("pdf") + b"kept across the error"
    chosen = SimpleUploadedFile("仕様書.pdf", content, content_type="application/pdf")
    first = client.post(reverse("support:request_create"), _new_request(category, title="", files=chosen))
    page = first.content.decode()
    assert first.status_code == 200 and not SupportRequest.objects.exists()
    assert "「仕様書.pdf」" in page and "を保持しています" in page
    assert 'role="alert"' in page and 'href="#id_title"' in page and "js/first-error.js" in page
    token = first.context["kept_uploads"][0]["token"]

    second = client.post(reverse("support:request_create"), _new_request(category, kept_upload=token))
    attachment = SupportRequest.objects.get().attachments.get()
    assert second.status_code == 302 and attachment.original_name == "仕様書.pdf"
    with attachment.file.open("rb") as handle:
        assert handle.read() == content


def test_a_kept_file_left_unticked_is_not_attached(client_for, requester, category):
    from support.models import Attachment

    client = client_for(requester)
    chosen = SimpleUploadedFile("spec.pdf", sample_bytes("pdf"), content_type="application/pdf")
    client.post(reverse("support:request_create"), _new_request(category, title="", files=chosen))
    client.post(reverse("support:request_create"), _new_request(category))
    assert SupportRequest.objects.count() == 1 and not Attachment.objects.exists()


def test_another_sessions_kept_file_is_not_taken(client_for, requester, other_requester, category):
    from support.models import Attachment

    chosen = SimpleUploadedFile("spec.pdf", sample_bytes("pdf"), content_type="application/pdf")
    first = client_for(requester).post(
        reverse("support:request_create"), _new_request(category, title="", files=chosen)
    )
    token = first.context["kept_uploads"][0]["token"]
    client_for(other_requester).post(
        reverse("support:request_create"), _new_request(category, kept_upload=token)
    )
    assert SupportRequest.objects.count() == 1 and not Attachment.objects.exists()


def test_graphql_triage_corrects_the_category(gql, ict_manager, submitted):
    other = RequestCategory.objects.exclude(pk=submitted.category_id).first()
    query = """mutation ($reference: String!, $category: String) {
      triageSupportRequest(reference: $reference, accept: true, category: $category) {
        supportRequest { category { code } } errors { code } } }"""
    result = gql(ict_manager).execute(
        query, variables={"reference": submitted.reference, "category": other.code}
    )
    payload = result["data"]["triageSupportRequest"]
    assert payload == {"supportRequest": {"category": {"code": other.code}}, "errors": []}
    unknown = gql(ict_manager).execute(
        query, variables={"reference": submitted.reference, "category": "nope"}
    )
    assert [e["code"] for e in unknown["data"]["triageSupportRequest"]["errors"]] == ["unknown_category"]
