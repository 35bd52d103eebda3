import datetime as dt

import pytest
from django.urls import reverse

from support import services
from support.attachments import sample_bytes
from support.models import Attachment, Comment, Status, SupportRequest

from .conftest import upload


def detail(request):
    return reverse("support:request_detail", args=[request.reference])


def form_data(category, **extra):
    data = {
        "title": "Webサイト改修",
        "description": "アクセシビリティ対応",
        "category": category.pk,
        "phase": "planning",
        "desired_start": "2026-12-01",
        "due_date": "2027-03-31",
        "contact": "内線 1",
    }
    data.update(extra)
    return data


def test_requester_files_request_through_page(client_for, requester, category):
    response = client_for(requester).post(reverse("support:request_create"), form_data(category))
    assert response.status_code == 302 and SupportRequest.objects.count() == 1


def test_page_shows_due_date_error(client_for, requester, category):
    response = client_for(requester).post(
        reverse("support:request_create"),
        form_data(category, desired_start="2027-04-01", due_date="2027-01-01"),
    )
    assert "due_date" in response.context["form"].errors


def test_page_refuses_executable_with_reason(client_for, requester, category):
    data = form_data(category, files=upload("virus.exe", b"MZ\x90"))
    response = client_for(requester).post(reverse("support:request_create"), data)
    assert "files" in response.context["form"].errors and SupportRequest.objects.count() == 0


def test_page_accepts_pdf_attachment(client_for, requester, category):
    data = form_data(category, files=upload("spec.pdf", sample_bytes("pdf")))
    client_for(requester).post(reverse("support:request_create"), data)
    assert Attachment.objects.count() == 1


def test_ict_staff_cannot_open_new_request_form(client_for, ict_staff, categories):
    assert client_for(ict_staff).get(reverse("support:request_create")).status_code == 403


def test_detail_page_shows_timeline(client_for, requester, triaged):
    response = client_for(requester).get(detail(triaged))
    assert "受理済" in response.content.decode() or "Triaged" in response.content.decode()


def test_requester_detail_hides_internal_note(client_for, requester, in_progress, ict_staff):
    services.comment_add(actor=ict_staff, request=in_progress, body="SECRET-NOTE-42", internal=True)
    response = client_for(requester).get(detail(in_progress))
    assert "SECRET-NOTE-42" not in response.content.decode()


def test_ict_detail_shows_internal_note(client_for, ict_manager, in_progress, ict_staff):
    services.comment_add(actor=ict_staff, request=in_progress, body="SECRET-NOTE-42", internal=True)
    assert "SECRET-NOTE-42" in client_for(ict_manager).get(detail(in_progress)).content.decode()


def test_requester_cannot_post_internal_note_via_form(client_for, requester, submitted):
    client_for(requester).post(
        reverse("support:comment_create", args=[submitted.reference]), {"body": "x", "internal": "on"}
    )
    assert list(Comment.objects.values_list("internal", flat=True)) == [False]


def test_status_change_through_page(client_for, ict_staff, assigned):
    client_for(ict_staff).post(
        reverse("support:request_status", args=[assigned.reference]), {"status": Status.IN_PROGRESS}
    )
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_PROGRESS


def test_invalid_status_change_through_page_shows_message(client_for, ict_staff, assigned):
    response = client_for(ict_staff).post(
        reverse("support:request_status", args=[assigned.reference]), {"status": Status.CLOSED}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_triage_page_accepts_with_skills(client_for, ict_manager, submitted, skills):
    data = {
        "decision": "accept",
        "priority": "2",
        "estimated_hours": "16",
        "reason": "",
        "skills-TOTAL_FORMS": "1",
        "skills-INITIAL_FORMS": "0",
        "skills-0-skill": "cloud-arch",
        "skills-0-min_level": "3",
        "skills-0-weight": "2",
        "skills-0-mandatory": "on",
    }
    client_for(ict_manager).post(reverse("support:request_triage", args=[submitted.reference]), data)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.required_skills.get().min_level) == (Status.TRIAGED, 3)


def test_triage_page_reject_without_reason_changes_nothing(client_for, ict_manager, submitted):
    data = {"decision": "reject", "reason": "", "skills-TOTAL_FORMS": "0", "skills-INITIAL_FORMS": "0"}
    response = client_for(ict_manager).post(
        reverse("support:request_triage", args=[submitted.reference]), data
    )
    submitted.refresh_from_db()
    assert (submitted.status, "reason" in response.context["form"].errors) == (Status.SUBMITTED, True)


def test_triage_page_forbidden_to_staff(client_for, ict_staff, submitted):
    assert (
        client_for(ict_staff).get(reverse("support:request_triage", args=[submitted.reference])).status_code
        == 403
    )


def test_triage_queue_lists_submitted(client_for, ict_manager, submitted):
    response = client_for(ict_manager).get(reverse("support:triage"))
    assert submitted.reference in response.content.decode()


def test_triage_queue_forbidden_to_requester(client_for, requester, categories):
    assert client_for(requester).get(reverse("support:triage")).status_code == 403


def test_list_filters_by_status(client_for, ict_manager, submit, triaged):
    other = submit(title="別件")
    response = client_for(ict_manager).get(reverse("support:request_list"), {"status": "submitted"})
    content = response.content.decode()
    assert other.reference in content and triaged.reference not in content


def test_list_ignores_unknown_sort_key(client_for, ict_manager, submitted):
    response = client_for(ict_manager).get(reverse("support:request_list"), {"sort": "requester__password"})
    assert response.status_code == 200


def test_overdue_filter(client_for, ict_manager, submit, monkeypatch):
    late = submit(desired_start=dt.date(2020, 1, 1), due_date=dt.date(2020, 2, 1))
    on_time = submit(title="余裕あり")
    content = client_for(ict_manager).get(reverse("support:request_list"), {"overdue": "on"}).content.decode()
    assert late.reference in content and on_time.reference not in content


def test_satisfaction_through_page(client_for, requester, resolved):
    client_for(requester).post(
        reverse("support:satisfaction_create", args=[resolved.reference]), {"score": "4", "comment": "良い"}
    )
    resolved.refresh_from_db()
    assert resolved.satisfaction.score == 4


def test_withdraw_through_page(client_for, requester, submitted):
    client_for(requester).post(
        reverse("support:request_withdraw", args=[submitted.reference]), {"confirm": "yes"}
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN


def test_download_headers(client_for, requester, submitted, pdf_file):
    attachment = services.attachment_add(actor=requester, request=submitted, file=pdf_file)
    response = client_for(requester).get(
        reverse("support:attachment_download", args=[submitted.reference, attachment.pk])
    )
    assert (response["Content-Disposition"].startswith("attachment"), response["X-Content-Type-Options"]) == (
        True,
        "nosniff",
    )


def test_requester_cannot_download_internal_attachment(client_for, requester, in_progress, ict_staff):
    attachment = services.attachment_add(
        actor=ict_staff, request=in_progress, file=upload("memo.pdf", sample_bytes("pdf")), internal=True
    )
    response = client_for(requester).get(
        reverse("support:attachment_download", args=[in_progress.reference, attachment.pk])
    )
    assert response.status_code == 404


def test_effort_through_page(client_for, ict_staff, in_progress):
    client_for(ict_staff).post(
        reverse("support:effort_create", args=[in_progress.reference]),
        {"worked_on": "2026-11-20", "hours": "1.5", "note": ""},
    )
    assert in_progress.effort_logs.count() == 1


def test_export_neutralises_formulas(client_for, ict_manager, submit):
    submit(title='=HYPERLINK("http://evil")')
    content = client_for(ict_manager).get(reverse("support:request_export")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content


def test_export_forbidden_to_requester(client_for, requester, submitted):
    assert client_for(requester).get(reverse("support:request_export")).status_code == 403


@pytest.mark.parametrize("page_size", [3, 20])
def test_hr_sees_no_requests(client_for, hr_user, submitted, page_size):
    assert client_for(hr_user).get(reverse("support:request_list")).status_code == 403


def test_staff_list_shows_own_assignments_first(client_for, ict_staff, in_progress, submit):
    submit(title="他の依頼")
    response = client_for(ict_staff).get(reverse("support:request_list"))
    assert [r.reference for r in response.context["mine"]] == [in_progress.reference]
