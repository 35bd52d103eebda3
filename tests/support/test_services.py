import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.fiscal import fiscal_year_of
from core.models import AuditEvent
from notifications.models import NotificationPreference
from support import services
from support.attachments import sample_bytes
from support.models import Attachment, Comment, RequestSequence, SatisfactionResponse, Status, SupportRequest

from .conftest import upload


def error_codes(caught, field):
    return [e.code for e in caught.value.error_dict[field]]


# --- submit ------------------------------------------------------------------------------------------------------


def test_submit_issues_fiscal_year_reference(submit):
    request = submit()
    assert request.reference == f"DX-{fiscal_year_of(timezone.now())}-0001"


def test_submit_numbers_follow_each_other(submit):
    submit()
    assert submit().reference.endswith("-0002")


def test_reference_is_never_reused_after_deletion(submit):
    first = submit()
    SupportRequest.objects.filter(pk=first.pk).delete()
    assert submit().reference.endswith("-0002")


def test_submit_scopes_request_to_requesters_organisation(submit, ward):
    assert submit().organization == ward


def test_submit_records_audit_event(submit):
    request = submit()
    assert AuditEvent.objects.filter(verb="request.submit", target_id=str(request.pk)).count() == 1


def test_submit_mails_managers_after_commit(submit, ict_manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit()
    assert [m.to for m in mail.outbox] == [[ict_manager.email]]


def test_submit_sends_nothing_before_commit(submit, ict_manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        submit()
    assert mail.outbox == []


def test_submit_missing_fields_are_named(submit):
    with pytest.raises(ValidationError) as caught:
        submit(title="", description="", category=None, phase="")
    assert set(caught.value.error_dict) >= {"title", "description", "category", "phase"}


def test_submit_due_before_start_is_refused(submit):
    with pytest.raises(ValidationError) as caught:
        submit(desired_start=dt.date(2027, 2, 1), due_date=dt.date(2027, 1, 1))
    assert error_codes(caught, "due_date") == ["due_before_start"]


def test_submit_refusal_changes_nothing(submit):
    with pytest.raises(ValidationError):
        submit(desired_start=dt.date(2027, 2, 1), due_date=dt.date(2027, 1, 1))
    assert (SupportRequest.objects.count(), RequestSequence.objects.count()) == (0, 0)


def test_submit_with_disallowed_file_changes_nothing(submit):
    with pytest.raises(ValidationError):
        submit(files=[upload("tool.exe", b"MZ\x90\x00")])
    assert SupportRequest.objects.count() == 0


def test_submit_stores_attachments(submit, pdf_file):
    request = submit(files=[pdf_file])
    assert list(request.attachments.values_list("original_name", "content_type")) == [
        ("spec.pdf", "application/pdf")
    ]


def test_submit_refused_for_ict_staff(submit, ict_staff):
    with pytest.raises(PermissionDenied):
        submit(user=ict_staff)


def test_submit_refused_for_inactive_category(submit, category):
    category.active = False
    category.save()
    with pytest.raises(ValidationError) as caught:
        submit()
    assert error_codes(caught, "category") == ["inactive_category"]


# --- update ------------------------------------------------------------------------------------------------------


def test_requester_edits_submitted_request(submitted, requester):
    services.request_update(actor=requester, request=submitted, title="新しい件名")
    submitted.refresh_from_db()
    assert submitted.title == "新しい件名"


def test_requester_cannot_edit_after_triage(triaged, requester):
    with pytest.raises(PermissionDenied):
        services.request_update(actor=requester, request=triaged, title="x")


def test_requester_cannot_set_priority(submitted, requester):
    with pytest.raises(ValidationError) as caught:
        services.request_update(actor=requester, request=submitted, priority=3)
    assert error_codes(caught, "priority") == ["not_editable"]


def test_manager_sets_estimated_hours(triaged, ict_manager):
    request = services.request_update(actor=ict_manager, request=triaged, estimated_hours=Decimal("12.5"))
    assert request.estimated_hours == Decimal("12.5")


# --- triage ------------------------------------------------------------------------------------------------------


def test_triage_accept_sets_status_priority_and_skills(submitted, ict_manager, skills):
    request = services.request_triage(
        actor=ict_manager,
        request=submitted,
        accept=True,
        priority=3,
        estimated_hours=Decimal("40"),
        required_skills=[{"skill": skills[0], "min_level": 3, "mandatory": True}],
    )
    assert (request.status, request.priority, [r.skill.code for r in request.required_skills.all()]) == (
        Status.TRIAGED,
        3,
        ["sec-governance"],
    )


def test_triage_counts_as_first_response(triaged):
    assert triaged.first_response_at == triaged.triaged_at


def test_triage_reject_needs_reason(submitted, ict_manager):
    with pytest.raises(ValidationError) as caught:
        services.request_triage(actor=ict_manager, request=submitted, accept=False, reason="")
    assert error_codes(caught, "reason") == ["reason_required"]


def test_triage_reject_keeps_reason_for_requester(submitted, ict_manager):
    request = services.request_triage(
        actor=ict_manager, request=submitted, accept=False, reason="対象外の案件です"
    )
    assert (request.status, request.rejection_reason) == (Status.REJECTED, "対象外の案件です")


def test_triage_refused_for_staff(submitted, ict_staff):
    with pytest.raises(PermissionDenied):
        services.request_triage(actor=ict_staff, request=submitted, accept=True)


def test_triage_twice_is_refused(triaged, ict_manager):
    with pytest.raises(ValidationError) as caught:
        services.request_triage(actor=ict_manager, request=triaged, accept=True)
    assert error_codes(caught, "status") == ["not_submitted"]


def test_triage_bad_skill_level_changes_nothing(submitted, ict_manager, skills):
    with pytest.raises(ValidationError):
        services.request_triage(
            actor=ict_manager,
            request=submitted,
            accept=True,
            required_skills=[{"skill": skills[0], "min_level": 9}],
        )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_triage_duplicate_skill_refused(submitted, ict_manager, skills):
    with pytest.raises(ValidationError) as caught:
        services.request_triage(
            actor=ict_manager,
            request=submitted,
            accept=True,
            required_skills=[{"skill": skills[0], "min_level": 2}, {"skill": skills[0], "min_level": 3}],
        )
    assert error_codes(caught, "required_skills") == ["duplicate_skill"]


def test_triage_mails_requester(submitted, ict_manager, requester, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_triage(actor=ict_manager, request=submitted, accept=True)
    assert [m.to for m in mail.outbox] == [[requester.email]]


# --- status changes ----------------------------------------------------------------------------------------------


def test_resolve_records_timestamp(resolved):
    assert resolved.resolved_at is not None


def test_reopen_clears_resolution(resolved, ict_staff):
    request = services.request_change_status(actor=ict_staff, request=resolved, to_status=Status.IN_PROGRESS)
    assert (request.status, request.resolved_at) == (Status.IN_PROGRESS, None)


def test_status_change_writes_history_row(in_progress):
    assert list(in_progress.status_changes.values_list("from_status", "to_status")) == [
        ("", Status.SUBMITTED),
        (Status.SUBMITTED, Status.TRIAGED),
        (Status.TRIAGED, Status.IN_PROGRESS),
    ]


def test_invalid_transition_changes_nothing(triaged, ict_manager):
    with pytest.raises(ValidationError):
        services.request_change_status(actor=ict_manager, request=triaged, to_status=Status.CLOSED)
    triaged.refresh_from_db()
    assert triaged.status == Status.TRIAGED


def test_status_mail_respects_optional_setting(
    in_progress, ict_staff, requester, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=requester, kind="status_changed", email=False, in_app=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_change_status(
            actor=ict_staff, request=in_progress, to_status=Status.WAITING_ON_REQUESTER
        )
    assert mail.outbox == []


def test_status_mail_goes_to_requester(in_progress, ict_staff, requester, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_change_status(
            actor=ict_staff, request=in_progress, to_status=Status.WAITING_ON_REQUESTER
        )
    assert [m.to for m in mail.outbox] == [[requester.email]]


# --- withdraw ----------------------------------------------------------------------------------------------------


def test_withdraw_before_work(triaged, requester):
    assert services.request_withdraw(actor=requester, request=triaged).status == Status.WITHDRAWN


def test_withdraw_after_work_started_is_refused(in_progress, requester):
    with pytest.raises(ValidationError) as caught:
        services.request_withdraw(actor=requester, request=in_progress)
    assert error_codes(caught, "status") == ["work_started"]


def test_withdraw_by_other_organisation_is_refused(submitted, other_requester):
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=other_requester, request=submitted)


# --- comments ----------------------------------------------------------------------------------------------------


def test_public_comment_by_ict_is_first_response(submitted, ict_manager):
    comment = services.comment_add(actor=ict_manager, request=submitted, body="確認します")
    submitted.refresh_from_db()
    assert submitted.first_response_at == comment.created


def test_internal_note_is_not_first_response(submitted, ict_manager):
    services.comment_add(actor=ict_manager, request=submitted, body="内部", internal=True)
    submitted.refresh_from_db()
    assert submitted.first_response_at is None


def test_requester_cannot_write_internal_note(submitted, requester):
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=requester, request=submitted, body="x", internal=True)


def test_empty_comment_is_refused(submitted, requester):
    with pytest.raises(ValidationError) as caught:
        services.comment_add(actor=requester, request=submitted, body="  ")
    assert "body" in caught.value.error_dict


def test_requester_answer_resumes_waiting_request(in_progress, ict_staff, requester):
    waiting = services.request_change_status(
        actor=ict_staff, request=in_progress, to_status=Status.WAITING_ON_REQUESTER
    )
    services.comment_add(actor=requester, request=waiting, body="回答します")
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_PROGRESS


def test_internal_note_is_never_mailed(in_progress, ict_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(
            actor=ict_staff, request=in_progress, body="内部メモ：予算が厳しい", internal=True
        )
    assert mail.outbox == []


def test_public_comment_mailed_to_requester(
    in_progress, ict_staff, requester, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=ict_staff, request=in_progress, body="ご確認ください")
    assert "ご確認ください" in mail.outbox[0].body


def test_unassigned_staff_cannot_comment(triaged, make_user):
    outsider = make_user("outsider@example.com", "ict_staff")
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=outsider, request=triaged, body="x")


# --- attachments -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("run.exe", b"MZ\x90\x00", "file_type"),
        ("page.html", b"<html></html>", "file_type"),
        ("logo.svg", b"<svg/>", "file_type"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "file_content"),
        ("fake.docx", b"PK\x03\x04garbage", "file_content"),
        ("notes.txt", b"<script>alert(1)</script>", "file_content"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_bad_attachment_refused_with_reason(submitted, requester, name, content, code):
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(actor=requester, request=submitted, file=upload(name, content))
    assert error_codes(caught, "file") == [code]


def test_oversized_attachment_refused(submitted, requester, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            actor=requester, request=submitted, file=upload("big.pdf", b"%PDF-" + b"0" * 200)
        )
    assert error_codes(caught, "file") == ["file_too_large"]


def test_refused_attachment_stores_nothing(submitted, requester):
    with pytest.raises(ValidationError):
        services.attachment_add(actor=requester, request=submitted, file=upload("run.exe", b"MZ"))
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize("extension", ["pdf", "docx", "xlsx", "pptx", "xls", "png", "jpg", "csv", "txt"])
def test_allowed_attachment_kinds(submitted, requester, extension):
    attachment = services.attachment_add(
        actor=requester, request=submitted, file=upload(f"file.{extension}", sample_bytes(extension))
    )
    assert attachment.size > 0


def test_attachment_name_loses_its_folder(submitted, requester):
    attachment = services.attachment_add(
        actor=requester, request=submitted, file=upload("../../etc/spec.pdf", sample_bytes("pdf"))
    )
    assert attachment.original_name == "spec.pdf"


def test_requester_cannot_add_internal_attachment(submitted, requester, pdf_file):
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=requester, request=submitted, file=pdf_file, internal=True)


# --- effort ------------------------------------------------------------------------------------------------------


def test_assigned_staff_logs_effort(in_progress, ict_staff):
    entry = services.effort_log_add(
        actor=ict_staff, request=in_progress, worked_on=timezone.localdate(), hours=Decimal("2.5")
    )
    assert entry.hours == Decimal("2.5")


def test_effort_without_staff_profile_refused(in_progress, ict_manager):
    with pytest.raises(ValidationError) as caught:
        services.effort_log_add(
            actor=ict_manager, request=in_progress, worked_on=timezone.localdate(), hours=1
        )
    assert caught.value.error_list[0].code == "no_staff_profile"


def test_effort_by_requester_refused(in_progress, requester):
    with pytest.raises(PermissionDenied):
        services.effort_log_add(actor=requester, request=in_progress, worked_on=timezone.localdate(), hours=1)


# --- satisfaction ------------------------------------------------------------------------------------------------


def test_rating_closes_request(resolved, requester):
    services.satisfaction_submit(actor=requester, request=resolved, score=5, comment="助かりました")
    resolved.refresh_from_db()
    assert (resolved.status, resolved.closed_at is not None) == (Status.CLOSED, True)


def test_rating_twice_is_refused(resolved, requester):
    services.satisfaction_submit(actor=requester, request=resolved, score=4)
    with pytest.raises(ValidationError) as caught:
        services.satisfaction_submit(actor=requester, request=resolved, score=1)
    assert error_codes(caught, "score") == ["already_rated"]


def test_rating_unresolved_request_is_refused(in_progress, requester):
    with pytest.raises(ValidationError) as caught:
        services.satisfaction_submit(actor=requester, request=in_progress, score=4)
    assert error_codes(caught, "score") == ["not_resolved"]


def test_rating_other_organisations_request_is_refused(resolved, other_requester):
    with pytest.raises(PermissionDenied):
        services.satisfaction_submit(actor=other_requester, request=resolved, score=1)


def test_rating_out_of_range_changes_nothing(resolved, requester):
    with pytest.raises(ValidationError):
        services.satisfaction_submit(actor=requester, request=resolved, score=6)
    assert SatisfactionResponse.objects.count() == 0


# --- auto close --------------------------------------------------------------------------------------------------


def test_stale_resolved_request_closes(resolved):
    later = resolved.resolved_at + dt.timedelta(days=15)
    assert services.request_close_stale(now=later) == [resolved.reference]


def test_recently_resolved_request_stays(resolved):
    later = resolved.resolved_at + dt.timedelta(days=13)
    assert services.request_close_stale(now=later) == []


def test_close_stale_is_idempotent(resolved):
    later = resolved.resolved_at + dt.timedelta(days=15)
    services.request_close_stale(now=later)
    assert services.request_close_stale(now=later) == []


def test_close_stale_is_audited(resolved):
    services.request_close_stale(now=resolved.resolved_at + dt.timedelta(days=15))
    event = AuditEvent.objects.filter(verb="request.status").latest("id")
    assert (event.actor, event.data["to"]) == (None, Status.CLOSED)


def test_comment_on_closed_request_refused(resolved, requester):
    services.satisfaction_submit(actor=requester, request=resolved, score=5)
    resolved.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.comment_add(actor=requester, request=resolved, body="追加")
    assert error_codes(caught, "body") == ["request_finished"]
    assert Comment.objects.count() == 0
