import datetime as dt
import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from support import notifications
from support.models import RequestSequence, Status, SupportRequest
from support.resources import import_requests

HEADER = "reference,title,description,organization_code,requester_email,category_code,phase,status,submitted_at,resolved_at,closed_at\n"


def csv_file(body: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("requests.csv", (HEADER + body).encode(encoding), content_type="text/csv")


GOOD = "DX-2023-0007,過去の依頼,説明,131016,requester@example.com,website,planning,closed,2023-06-01 10:00,,2023-07-01 10:00\n"
BAD = ",壊れた行,説明,999999,requester@example.com,website,planning,closed,2023-06-01 10:00,,\n"


def test_close_command_closes_stale_resolved(resolved):
    SupportRequest.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now() - dt.timedelta(days=20))
    out = io.StringIO()
    call_command("close_resolved_requests", stdout=out)
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED


def test_close_command_twice_closes_once(resolved):
    SupportRequest.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now() - dt.timedelta(days=20))
    call_command("close_resolved_requests", stdout=io.StringIO())
    out = io.StringIO()
    call_command("close_resolved_requests", stdout=out)
    assert "closed: 0" in out.getvalue()


def test_dry_run_reports_and_changes_nothing(ict_manager, requester, categories):
    report = import_requests(actor=ict_manager, uploaded=csv_file(GOOD), dry_run=True)
    assert (report.created, SupportRequest.objects.count()) == (1, 0)


def test_import_creates_with_given_reference(ict_manager, requester, categories):
    import_requests(actor=ict_manager, uploaded=csv_file(GOOD), dry_run=False)
    assert SupportRequest.objects.get().reference == "DX-2023-0007"


def test_import_reserves_reference(ict_manager, requester, categories):
    import_requests(actor=ict_manager, uploaded=csv_file(GOOD), dry_run=False)
    assert RequestSequence.objects.get(fiscal_year=2023).last_number == 7


def test_import_accepts_shift_jis(ict_manager, requester, categories):
    report = import_requests(actor=ict_manager, uploaded=csv_file(GOOD, "cp932"), dry_run=True)
    assert report.ok


def test_bad_row_reported_with_column(ict_manager, requester, categories):
    report = import_requests(actor=ict_manager, uploaded=csv_file(GOOD + BAD), dry_run=True)
    assert [(r.number, r.outcome, r.column) for r in report.rows] == [
        (1, "created", ""),
        (2, "rejected", "organization_code"),
    ]


def test_real_import_is_all_or_nothing(ict_manager, requester, categories):
    report = import_requests(actor=ict_manager, uploaded=csv_file(GOOD + BAD), dry_run=False)
    assert (report.ok, SupportRequest.objects.count()) == (False, 0)


def test_import_page_forbidden_to_staff(client_for, ict_staff):
    assert client_for(ict_staff).get(reverse("support:request_import")).status_code == 403


def test_import_page_dry_run(client_for, ict_manager, requester, categories):
    response = client_for(ict_manager).post(
        reverse("support:request_import"), {"file": csv_file(GOOD), "dry_run": "on"}
    )
    assert response.context["report"].created == 1


def test_assigned_notification_is_essential(submitted, ict_staff, django_capture_on_commit_callbacks):
    ict_staff.notify_optional = False
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify("assigned", submitted, [ict_staff], {"role": "lead"})
    assert [m.to for m in mail.outbox] == [[ict_staff.email]]


def test_notification_in_recipients_language(submitted, ict_staff, django_capture_on_commit_callbacks):
    ict_staff.preferred_language = "en"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify("assigned", submitted, [ict_staff], {})
    assert mail.outbox[0].subject.startswith("You were assigned")
