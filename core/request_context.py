"""The id of the request (or job) being served, for log lines and for the jobs it starts.

One context variable per thread/task: the request id middleware binds it for a web request, the Celery signal
handlers in `core.jobs_logging` bind it for a job, and `core.logging.JsonFormatter` reads it on every log line.
"""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_request_id: ContextVar[str | None] = ContextVar("dx_request_id", default=None)
# Who and what (user id, path) for the log lines of the current request; empty outside requests.
_request_info: ContextVar[dict[str, Any] | None] = ContextVar("dx_request_info", default=None)

# What we accept from a proxy's X-Request-ID: a short token of safe characters (UUIDs, nginx's $request_id, …);
# anything else (spaces, quotes, new lines, 200 characters) is replaced by a fresh id.
_SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:=+/-]{5,127}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    """`value` when it is a token we can put in a log line and a header as it is, else None."""
    if value and _SANE.match(value):
        return value
    return None


def current_request_id() -> str | None:
    return _request_id.get()


def current_request_info() -> dict[str, Any]:
    return _request_info.get() or {}


@contextmanager
def bind_request_id(request_id: str | None, **info: Any) -> Iterator[str]:
    """Within the block, log lines and published jobs carry `request_id` (a new one when None).

    `info` (e.g. path=…, user_id=…) goes on the block's log lines too; the previous values come back afterwards.
    """
    request_id = request_id or new_request_id()
    id_token = _request_id.set(request_id)
    info_token = _request_info.set(dict(info))
    try:
        yield request_id
    finally:
        _request_info.reset(info_token)
        _request_id.reset(id_token)


def update_request_info(**info: Any) -> None:
    """Add to what the current block's log lines carry (e.g. the user id once authentication ran)."""
    current = _request_info.get()
    if current is not None:
        current.update(info)
