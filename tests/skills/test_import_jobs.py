"""Imports run as jobs: the page polls a progress fragment until the step is over, GraphQL `importJob` shows state,
progress and errors to the user who started it only, only that user can confirm, and a redelivered task (a worker
killed mid-task) never imports twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Job, JobState
from core.tasks import run_import_job
from skills.models import SkillAssessment
from tests.conftest import codes

HEADER = "email,skill,level,source,status,assessed_on,note\n"
GOOD = "staff@example.com,SEC-RISK,3,manager,validated,2024-05-01,\nstaff@example.com,SEC-RISK,4,manager,validated,2024-06-01,\n"
BAD = "staff@example.com,SEC-RISK,3,manager,validated,2024-05-01,\nghost@example.com,SEC-RISK,9,manager,validated,2024-05-01,\n"

JOB = "query($id: ID!) { importJob(id: $id) { state step progress rowsDone rowsTotal errors { row column message } } }"


def upload(client, body: str):
    file = SimpleUploadedFile("a.csv", (HEADER + body).encode())
    return client.post(reverse("skills:import"), {"kind": "assessments", "file": file})


@pytest.fixture
def other_admin(make_user):
    from accounts.roles import Role

    return make_user("admin2@example.com", Role.ADMIN)


def test_the_page_polls_while_the_job_runs_and_shows_the_report_when_done(
    client_for, admin_user, staff_profile, security
):
    client = client_for(admin_user)
    response = upload(client, GOOD)  # inside the test's transaction the task waits for a commit: still queued
    job = Job.objects.get()
    assert response["Location"] == reverse("core:import_job", args=[job.pk]) and job.state == JobState.QUEUED
    page = client.get(response["Location"]).content.decode()
    status_url = reverse("core:import_job_status", args=[job.pk])
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 1s"' in page and "progress-bar" in page
    assert "<script>" not in page  # CSP: the polling is htmx attributes, no inline script

    run_import_job.delay(job.pk)  # what the worker does after the commit
    fragment = client.get(status_url).content.decode()
    assert (
        "hx-trigger" not in fragment and 'name="token"' in fragment
    )  # over: no more polling; confirm offered
    assert SkillAssessment.objects.count() == 0  # a dry run writes nothing


def test_graphql_import_job_shows_state_progress_and_errors_to_its_owner_only(
    client_for, gql, admin_user, other_admin, staff_profile, security, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(admin_user), BAD)
    job = Job.objects.get()
    result = gql(admin_user).execute(JOB, {"id": str(job.pk)})
    data = result["data"]["importJob"]
    assert (data["state"], data["step"], data["progress"], data["rowsTotal"]) == ("DONE", "VALIDATE", 100, 2)
    assert [(e["row"], e["column"]) for e in data["errors"]] == [(3, "email"), (3, "level")]
    assert codes(gql(other_admin).execute(JOB, {"id": str(job.pk)})) == ["NOT_FOUND"]
    assert codes(gql(None).execute(JOB, {"id": str(job.pk)})) == ["UNAUTHENTICATED"]


def test_someone_elses_job_page_is_not_found_and_cannot_be_confirmed(
    client_for, admin_user, other_admin, staff_profile, security, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(admin_user), GOOD)
    job = Job.objects.get()
    stranger = client_for(other_admin)
    assert stranger.get(reverse("core:import_job", args=[job.pk])).status_code == 404
    assert stranger.get(reverse("core:import_job_status", args=[job.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = stranger.post(reverse("skills:import_confirm"), {"token": str(job.pk)})
    assert response["Location"] == reverse("skills:import") and SkillAssessment.objects.count() == 0


def test_a_dry_run_with_rejected_rows_cannot_be_confirmed(
    client_for, admin_user, staff_profile, security, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, BAD)
        client.post(reverse("skills:import_confirm"), {"token": str(Job.objects.get().pk)})
    assert Job.objects.get().step == "validate" and SkillAssessment.objects.count() == 0


def test_a_redelivered_write_task_imports_once(
    client_for, admin_user, staff_profile, security, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, GOOD)
    job = Job.objects.get()
    client.post(reverse("skills:import_confirm"), {"token": str(job.pk)})  # queued, not run yet
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)  # a worker took it and was killed mid-write
    run_import_job.delay(job.pk)  # the broker hands the unacknowledged task to another worker
    run_import_job.delay(job.pk)  # and once more (acks late: at least once)
    job.refresh_from_db()
    assert (job.state, job.step, job.result["dry_run"]) == (JobState.DONE, "write", False)
    assert SkillAssessment.objects.count() == 2


def test_old_jobs_and_their_files_are_purged(client_for, admin_user, staff_profile, security):
    import datetime as dt

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from core.tasks import purge_old_jobs

    upload(client_for(admin_user), GOOD)
    upload(client_for(admin_user), GOOD)
    old, fresh = Job.objects.order_by("pk")
    Job.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=8))
    assert purge_old_jobs.delay().get() == 1
    assert list(Job.objects.all()) == [fresh] and not default_storage.exists(old.file.name)
    assert default_storage.exists(fresh.file.name)
