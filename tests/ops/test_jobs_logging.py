"""The request id travels with a job: publish side puts it in the headers, the worker side binds it."""

from types import SimpleNamespace

from core.jobs_logging import add_request_id_header, bind_task_request_id, unbind_task_request_id
from core.request_context import bind_request_id, current_request_id, current_request_info


def test_a_job_published_in_a_request_carries_its_id():
    headers = {"task": "x"}
    with bind_request_id("req-1234567890"):
        add_request_id_header(headers=headers)
    assert headers["request_id"] == "req-1234567890"


def test_a_job_published_outside_any_request_carries_none():
    headers = {}
    add_request_id_header(headers=headers)
    assert "request_id" not in headers


def test_the_worker_binds_the_publishers_id_for_the_run_and_drops_it_after():
    task = SimpleNamespace(
        name="support.tasks.send_outbox", request=SimpleNamespace(request_id="req-1234567890")
    )

    bind_task_request_id(task_id="t-1", task=task)
    assert current_request_id() == "req-1234567890"
    assert current_request_info() == {"task": "support.tasks.send_outbox", "task_id": "t-1"}
    nested = {}
    add_request_id_header(headers=nested)  # a job the job starts
    unbind_task_request_id(task_id="t-1")

    assert nested["request_id"] == "req-1234567890"
    assert current_request_id() is None


def test_a_job_without_a_request_id_gets_one_from_its_task_id():
    task = SimpleNamespace(name="reports.tasks.refresh", request=SimpleNamespace(headers={}))
    bind_task_request_id(task_id="t-2", task=task)
    try:
        assert current_request_id() == "job-t-2"
    finally:
        unbind_task_request_id(task_id="t-2")
    assert current_request_id() is None
