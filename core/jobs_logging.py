"""The request id reaches the jobs: Celery signal handlers (connected only when Celery is installed).

Contract (for the jobs code and anyone publishing tasks):

- Publishing: `before_task_publish` puts the current request id (`core.request_context.current_request_id()`, bound
  by the request id middleware for a web request, or by the running job) into the message headers as
  `request_id`. Nothing to do at the call site: `task.delay(...)` inside a request or a job carries it.
  A message published outside any request (beat, a shell) carries none.
- Running: `task_prerun` binds that id (or `job-<task id>` when the message had none) with
  `bind_request_id(rid, task=<task name>, task_id=<task id>)`, so every log line of the job has `request_id`,
  `task` and `task_id` (core.logging.JsonFormatter), and tasks the job publishes carry the same id;
  `task_postrun` unbinds it.
- Logging in workers: `setup_logging` is connected to a handler that does nothing, which tells Celery to leave the
  logging that `django.setup()` configured from `LOGGING` alone (JSON lines with `LOG_FORMAT=json`), so web and
  worker lines look alike. config/celery.py only has to call `django.setup()` (Celery's Django fixup does) and
  import this module once (core's AppConfig.ready does).

`bind_request_id`/`current_request_id` are plain context variables: they work the same in a prefork worker, a
thread or eager mode (`CELERY_TASK_ALWAYS_EAGER`), where the job simply runs inside the request's context.
"""

from contextlib import ExitStack

from core.request_context import bind_request_id, current_request_id

HEADER = "request_id"
_running: dict[str, ExitStack] = {}


def add_request_id_header(sender=None, headers=None, **kwargs) -> None:
    """before_task_publish: copy the current request id into the message headers (keeps one already there)."""
    request_id = current_request_id()
    if headers is not None and request_id and not headers.get(HEADER):
        headers[HEADER] = request_id


def _request_id_of(task) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    # Celery copies custom message headers onto the task request; some versions keep them under .headers too.
    value = getattr(request, HEADER, None)
    if not value:
        value = (getattr(request, "headers", None) or {}).get(HEADER)
    return value


def bind_task_request_id(sender=None, task_id=None, task=None, **kwargs) -> None:
    """task_prerun: bind the publishing request's id for the job's log lines and the jobs it publishes."""
    stack = ExitStack()
    stack.enter_context(
        bind_request_id(
            _request_id_of(task) or f"job-{task_id}",
            task=getattr(task, "name", None),
            task_id=task_id,
        )
    )
    _running[task_id] = stack


def unbind_task_request_id(sender=None, task_id=None, **kwargs) -> None:
    """task_postrun: back to no request id."""
    stack = _running.pop(task_id, None)
    if stack is not None:
        stack.close()


def keep_django_logging(**kwargs) -> None:
    """setup_logging: any receiver stops Celery from replacing the LOGGING configuration."""


try:
    from celery import signals
except ImportError:  # Celery is optional: without it jobs run inline and nothing needs connecting
    signals = None
else:
    signals.before_task_publish.connect(
        add_request_id_header, weak=False, dispatch_uid="dx-request-id-publish"
    )
    signals.task_prerun.connect(bind_task_request_id, weak=False, dispatch_uid="dx-request-id-prerun")
    signals.task_postrun.connect(unbind_task_request_id, weak=False, dispatch_uid="dx-request-id-postrun")
    signals.setup_logging.connect(keep_django_logging, weak=False, dispatch_uid="dx-keep-django-logging")
