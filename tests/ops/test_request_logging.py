"""Request ids and JSON log lines."""

import json
import logging

from django.test import Client

from core.logging import JsonFormatter
from core.request_context import bind_request_id, current_request_id


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


def capture(logger_name: str) -> Lines:
    handler = Lines()
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def release(logger_name: str, handler: Lines) -> None:
    logging.getLogger(logger_name).removeHandler(handler)
    logging.getLogger(logger_name).setLevel(logging.NOTSET)


def test_every_response_carries_a_new_request_id(db):
    first = Client().get("/accounts/login/")
    second = Client().get("/accounts/login/")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_sane_id_from_the_proxy_is_kept_and_a_strange_one_replaced(db):
    kept = Client().get("/healthz", HTTP_X_REQUEST_ID="3f2a9c1e-7b0d-4d8e-9a55-0c3c1f2b9e11")
    replaced = Client().get("/healthz", HTTP_X_REQUEST_ID='x" \n{"level": "CRITICAL"}')

    assert kept["X-Request-ID"] == "3f2a9c1e-7b0d-4d8e-9a55-0c3c1f2b9e11"
    assert replaced["X-Request-ID"] != 'x" \n{"level": "CRITICAL"}'
    assert len(replaced["X-Request-ID"]) == 32


def test_one_json_line_per_request_with_id_user_path_status_and_duration(client_for, requester):
    handler = capture("dx.request")
    try:
        response = client_for(requester).get("/requests/", HTTP_X_REQUEST_ID="req-from-proxy-0001")
    finally:
        release("dx.request", handler)

    assert response.status_code == 200
    [line] = handler.lines
    assert line["request_id"] == "req-from-proxy-0001"
    assert line["user_id"] == requester.pk
    assert line["path"] == "/requests/"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert line["logger"] == "dx.request"
    assert line["time"].endswith("+00:00")


def test_log_lines_inside_a_request_or_job_carry_its_id_and_exceptions_stay_one_line():
    handler = capture("dx.test")
    try:
        with bind_request_id("job-abc123", task="support.send_mail"):
            assert current_request_id() == "job-abc123"
            try:
                raise ValueError("boom\nsecond line")
            except ValueError:
                logging.getLogger("dx.test").exception("failed with %s", "詳細", extra={"attempt": 2})
        logging.getLogger("dx.test").warning("outside")
    finally:
        release("dx.test", handler)

    failed, outside = handler.lines
    assert failed["request_id"] == "job-abc123"
    assert failed["task"] == "support.send_mail"
    assert failed["message"] == "failed with 詳細"
    assert failed["attempt"] == 2
    assert "ValueError: boom" in failed["exception"]
    assert "request_id" not in outside
    assert current_request_id() is None
