import datetime as dt
import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from core.tabular.report import CREATED, REJECTED
from notifications.models import NotificationPreference
from support import notifications
from support.models import RequestSequence, Status, SupportRequest
from support.resources import import_requests
from tests.world import in_job

HEADER = "reference,title,description,organization_code,requester_email,category_code,phase,status,submitted_at,resolved_at,closed_at\n"


def csv_file(body: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("requests.csv", (HEADER + body).encode(encoding), content_type="text/csv")


def run(actor, body: str, *, dry_run: bool, encoding: str = "utf-8"):
    return import_requests(
        actor=actor, content=(HEADER + body).encode(encoding), filename="requests.csv", dry_run=dry_run
    )


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
    report = run(ict_manager, GOOD, dry_run=True)
    assert (report.count(CREATED), SupportRequest.objects.count()) == (1, 0)


def test_import_creates_with_given_reference(ict_manager, requester, categories):
    run(ict_manager, GOOD, dry_run=False)
    assert SupportRequest.objects.get().reference == "DX-2023-0007"


def test_import_reserves_reference(ict_manager, requester, categories):
    run(ict_manager, GOOD, dry_run=False)
    assert RequestSequence.objects.get(fiscal_year=2023).last_number == 7


def test_import_accepts_shift_jis(ict_manager, requester, categories):
    report = run(ict_manager, GOOD, dry_run=True, encoding="cp932")
    assert report.ok


def test_bad_row_reported_with_column(ict_manager, requester, categories):
    report = run(ict_manager, GOOD + BAD, dry_run=True)
    assert [(line.row, line.action, line.column) for line in report.lines] == [
        (2, CREATED, ""),  # the header is row 1: the first data row is row 2, as in the spreadsheet
        (3, REJECTED, "organization_code"),
    ]


def test_real_import_is_all_or_nothing(ict_manager, requester, categories):
    report = run(ict_manager, GOOD + BAD, dry_run=False)
    assert (report.ok, SupportRequest.objects.count()) == (False, 0)


def test_import_page_forbidden_to_staff(client_for, ict_staff):
    assert client_for(ict_staff).get(reverse("support:request_import")).status_code == 403


def test_import_page_dry_run(
    client_for, ict_manager, requester, categories, django_capture_on_commit_callbacks
):
    response = in_job(
        client_for(ict_manager),
        django_capture_on_commit_callbacks,
        reverse("support:request_import"),
        {"file": csv_file(GOOD)},
    )
    assert (response.context["report"].count(CREATED), SupportRequest.objects.count()) == (1, 0)


def test_assigned_notification_is_essential(submitted, ict_staff, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=ict_staff, kind="assigned", email=False, in_app=False)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify("assigned", submitted, [ict_staff], {"role": "lead"})
    assert [m.to for m in mail.outbox] == [[ict_staff.email]]


def test_notification_in_recipients_language(submitted, ict_staff, django_capture_on_commit_callbacks):
    ict_staff.preferred_language = "en"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify("assigned", submitted, [ict_staff], {})
    assert mail.outbox[0].subject.startswith("You were assigned")


# --- one framework: Japanese headers and values, every error, dry run → confirm, exports ---------------------------

JA_HEADER = (
    "受付番号,件名,依頼内容,組織コード,依頼者メールアドレス,支援区分コード,工程,状態,優先度,受付日時\n"
)


def test_japanese_headers_and_values_are_accepted(ict_manager, requester, categories):
    body = (
        JA_HEADER
        + "DX-2023-0008,過去の依頼,説明,131016,requester@example.com,website,企画,完了,高,2023/06/01 10:00\n"
    )
    report = import_requests(actor=ict_manager, content=body.encode("cp932"), filename="r.csv", dry_run=False)
    request = SupportRequest.objects.get()
    assert (report.ok, request.phase, request.status, request.priority) == (True, "planning", "closed", 2)


def test_every_error_of_every_row_is_reported(ict_manager, requester, categories):
    body = (
        JA_HEADER
        + "DX-2023-0008,良い行,説明,131016,requester@example.com,website,planning,closed,,2023-06-01 10:00\n"
        + ",悪い行,説明,999999,ghost@example.com,nowhere,someday,closed,,2023-06-01 10:00\n"
        + ",悪い行2,説明,131016,requester@example.com,website,planning,closed,最高,yesterday\n"
    )
    with translation.override("ja"):
        report = import_requests(actor=ict_manager, content=body.encode(), filename="r.csv", dry_run=True)
    assert [(line.row, line.column_label) for line in report.rejected] == [
        (3, "組織コード"),
        (3, "依頼者メールアドレス"),
        (3, "支援区分コード"),
        (3, "工程"),
        (4, "優先度"),
        (4, "受付日時"),
    ]
    assert SupportRequest.objects.count() == 0


def test_import_page_confirm_without_second_upload(
    client_for, ict_manager, requester, categories, django_capture_on_commit_callbacks
):
    client, capture = client_for(ict_manager), django_capture_on_commit_callbacks
    response = in_job(client, capture, reverse("support:request_import"), {"file": csv_file(GOOD)})
    token = response.context["token"]
    assert (token != "", SupportRequest.objects.count()) == (True, 0)
    response = in_job(client, capture, reverse("support:request_import_confirm"), {"token": token})
    assert (response.context["imported"], SupportRequest.objects.get().reference) == (True, "DX-2023-0007")


def test_import_page_keeps_nothing_when_rows_are_rejected(
    client_for, ict_manager, requester, categories, django_capture_on_commit_callbacks
):
    response = in_job(
        client_for(ict_manager),
        django_capture_on_commit_callbacks,
        reverse("support:request_import"),
        {"file": csv_file(GOOD + BAD)},
    )
    assert (response.context["token"], response.context["report"].ok) == ("", False)


def test_confirm_refused_to_staff_changes_nothing(
    client_for, ict_manager, ict_staff, requester, categories, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    token = in_job(
        client_for(ict_manager), capture, reverse("support:request_import"), {"file": csv_file(GOOD)}
    ).context["token"]
    with capture(execute=True):
        response = client_for(ict_staff).post(reverse("support:request_import_confirm"), {"token": token})
    assert (response.status_code, SupportRequest.objects.count()) == (403, 0)


def test_export_has_bom_japanese_headers_and_sjis_option(client_for, ict_manager, submit):
    submit(title="=HYPERLINK(1)〜")
    client = client_for(ict_manager)
    utf8 = client.get(reverse("support:request_export")).content
    sjis = client.get(reverse("support:request_export"), {"encoding": "sjis"}).content.decode("cp932")
    assert utf8.startswith("\ufeff".encode())
    assert utf8.decode("utf-8-sig").splitlines()[0].startswith("受付番号,件名,依頼内容")
    assert (sjis.splitlines()[0].startswith("受付番号,件名"), "'=HYPERLINK(1)～" in sjis) == (True, True)
