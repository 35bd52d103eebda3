"""A big backlog is planned by a job: the page polls until the plan is ready, then shows the job's plan (the same
one the inline planner would make); a changed backlog gets a new plan; a small backlog is still planned inline."""

import pytest
from django.urls import reverse

from core.models import Job, JobState
from staffing.tasks import plan_backlog_job
from support.models import Assignment

from .test_views import _backlog_post


@pytest.fixture
def lead(make_staff):
    return make_staff("lead@example.com", capacity=10, levels={"security": 4})


@pytest.fixture
def big(settings):
    settings.BACKLOG_PLAN_JOB_THRESHOLD = 1  # two requests count as a big backlog here


def test_a_big_backlog_is_planned_by_a_job_the_page_polls(big, client_for, ict_manager, lead, make_request):
    first, second = make_request(), make_request()
    client = client_for(ict_manager)
    page = client.get(
        reverse("staffing:backlog_plan")
    ).content.decode()  # the job waits for the test's commit
    job = Job.objects.get(kind="plan:backlog")
    assert job.state == JobState.QUEUED and 'hx-trigger="every 1s"' in page and "backlog-plan" not in page

    plan_backlog_job.delay(job.pk)  # the worker
    plan_backlog_job.delay(job.pk)  # delivered again: nothing more happens
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result["request_ids"] == [first.pk, second.pk]
    response = client.get(reverse("staffing:backlog_plan"))
    assert "hx-trigger" not in response.content.decode() and Job.objects.count() == 1
    assert [row.request for row in response.context["plan"].rows] == [first, second]
    assert response.context["planned_count"] >= 1


def test_the_jobs_plan_applies_and_a_changed_backlog_is_planned_again(
    big, client_for, ict_manager, lead, make_request, django_capture_on_commit_callbacks
):
    first, second = make_request(), make_request()
    client = client_for(ict_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("staffing:backlog_plan"))
    client.post(reverse("staffing:backlog_plan"), _backlog_post([(first.reference, str(lead.pk), "4")]))
    assert list(Assignment.objects.values_list("request__reference", flat=True)) == [first.reference]
    third = make_request()  # the backlog is now second and third: the stored plan no longer matches
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("staffing:backlog_plan"))
    latest = Job.objects.filter(kind="plan:backlog").order_by("-pk").first()
    assert Job.objects.count() == 2 and latest.result["request_ids"] == [second.pk, third.pk]


def test_a_small_backlog_is_planned_inline(client_for, ict_manager, lead, make_request):
    make_request()
    response = client_for(ict_manager).get(reverse("staffing:backlog_plan"))
    assert len(response.context["plan"].rows) == 1 and not Job.objects.exists()
