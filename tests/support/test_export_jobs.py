"""Large exports run as jobs: past EXPORT_JOB_THRESHOLD_ROWS the export page starts a job and shows its page, which
polls until the file is ready; the file holds the same rows as a synchronous export; progress reaches 100 %; only
the user who asked for it sees the job or downloads the file; small exports stay synchronous."""

import pytest
from django.urls import reverse

from core.models import Job, JobState
from core.tasks import run_export_job
from tests.conftest import codes

JOB = (
    "query($id: ID!) { exportJob(id: $id) { state progress rowsDone rowsTotal filename downloadUrl error } }"
)


@pytest.fixture
def three_requests(submit):
    return [submit(title=f"依頼{i}") for i in range(3)]


def body_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_a_small_export_is_still_synchronous(settings, client_for, ict_manager, three_requests):
    settings.EXPORT_JOB_THRESHOLD_ROWS = 3
    response = client_for(ict_manager).get(reverse("support:request_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert len(response.content.decode("utf-8-sig").splitlines()) == 4 and not Job.objects.exists()


def test_a_big_export_goes_through_a_job_whose_file_has_the_rows(
    settings, client_for, ict_manager, three_requests, django_capture_on_commit_callbacks
):
    client = client_for(ict_manager)
    synchronous = client.get(reverse("support:request_export"), {"status": "submitted"}).content
    settings.EXPORT_JOB_THRESHOLD_ROWS = 2
    response = client.get(reverse("support:request_export"), {"status": "submitted"})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:export_job", args=[job.pk])
    assert (job.kind, job.state, job.params["args"]) == (
        "export:support",
        JobState.QUEUED,
        {"filters": {"status": ["submitted"]}},
    )
    page = client.get(response["Location"]).content.decode()
    status_url = reverse("core:export_job_status", args=[job.pk])
    assert f'hx-get="{status_url}"' in page and "progress-bar" in page and "<script>" not in page
    download_url = reverse("core:export_job_download", args=[job.pk])
    assert client.get(download_url).status_code == 404  # not ready yet

    run_export_job.delay(job.pk)  # what the worker does after the commit
    job.refresh_from_db()
    assert (job.state, job.progress, job.done, job.total) == (JobState.DONE, 100, 3, 3)
    fragment = client.get(status_url).content.decode()
    assert "hx-trigger" not in fragment and download_url in fragment
    file = client.get(download_url)
    assert file["Content-Disposition"] == 'attachment; filename="support-requests.csv"'
    text = body_of(file)
    assert text == synchronous.decode("utf-8-sig")
    titles = [line.split(",")[1] for line in text.splitlines()[1:]]
    assert sorted(titles) == ["依頼0", "依頼1", "依頼2"]


def test_only_the_requesting_user_sees_the_job_and_downloads_the_file(
    settings, client_for, gql, ict_manager, make_user, three_requests, django_capture_on_commit_callbacks
):
    from accounts.roles import Role

    other_manager = make_user("manager2@example.com", Role.ICT_STAFF, Role.ICT_MANAGER)
    settings.EXPORT_JOB_THRESHOLD_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        client_for(ict_manager).get(reverse("support:request_export"), {"format": "xlsx"})
    job = Job.objects.get()
    data = gql(ict_manager).execute(JOB, {"id": str(job.pk)})["data"]["exportJob"]
    assert data == {
        "state": "DONE",
        "progress": 100,
        "rowsDone": 3,
        "rowsTotal": 3,
        "filename": "support-requests.xlsx",
        "downloadUrl": reverse("core:export_job_download", args=[job.pk]),
        "error": None,
    }
    owner = client_for(ict_manager).get(data["downloadUrl"])
    assert owner.status_code == 200 and b"".join(owner.streaming_content).startswith(b"PK")  # an xlsx (zip)
    stranger = client_for(other_manager)
    for name in ("core:export_job", "core:export_job_status", "core:export_job_download"):
        assert stranger.get(reverse(name, args=[job.pk])).status_code == 404, name
    assert codes(gql(other_manager).execute(JOB, {"id": str(job.pk)})) == ["NOT_FOUND"]
    assert codes(gql(None).execute(JOB, {"id": str(job.pk)})) == ["UNAUTHENTICATED"]
    # an import job's pages do not show an export job either
    assert client_for(ict_manager).get(reverse("core:import_job", args=[job.pk])).status_code == 404


def test_a_job_whose_user_lost_the_right_fails_and_keeps_no_file(
    settings, client_for, ict_manager, three_requests
):
    settings.EXPORT_JOB_THRESHOLD_ROWS = 1
    client_for(ict_manager).get(reverse("support:request_export"))
    job = Job.objects.get()
    ict_manager.groups.clear()  # the role is taken away before the worker runs the job
    ict_manager.preferred_language = "en"  # the job says why in its user's language
    ict_manager.save(update_fields=["preferred_language"])
    run_export_job.delay(job.pk)
    job.refresh_from_db()
    assert (job.state, bool(job.file), job.error) == (
        JobState.FAILED,
        False,
        "You may no longer export these rows.",
    )
    page = client_for(ict_manager).get(reverse("core:export_job_status", args=[job.pk])).content.decode()
    assert "You may no longer export these rows." in page
    assert client_for(ict_manager).get(reverse("core:export_job_download", args=[job.pk])).status_code == 404


def test_a_redelivered_export_task_does_nothing_more(settings, client_for, ict_manager, three_requests):
    settings.EXPORT_JOB_THRESHOLD_ROWS = 1
    client_for(ict_manager).get(reverse("support:request_export"))
    job = Job.objects.get()
    run_export_job.delay(job.pk)
    finished = Job.objects.get(pk=job.pk)
    run_export_job.delay(job.pk)  # acks late: at least once
    again = Job.objects.get(pk=job.pk)
    assert (again.finished, again.file.name) == (finished.finished, finished.file.name)


def test_skill_exports_use_the_same_threshold(
    settings, client_for, admin_user, django_capture_on_commit_callbacks
):
    from skills.models import Skill, SkillCategory

    group = SkillCategory.objects.create(code="g", name="群")
    Skill.objects.bulk_create([Skill(code=f"s{i}", name=f"スキル{i}", category=group) for i in range(3)])
    settings.EXPORT_JOB_THRESHOLD_ROWS = 2
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("skills:export", args=["skills"]))
    job = Job.objects.get()
    assert response["Location"] == reverse("core:export_job", args=[job.pk]) and job.kind == "export:skills"
    rows = body_of(client.get(reverse("core:export_job_download", args=[job.pk]))).splitlines()
    assert len(rows) == 4 and {row.split(",")[0] for row in rows[1:]} == {"s0", "s1", "s2"}
