"""Structured logs: one JSON object per line, with the request (or job) id, user id and path of the request.

Used by `LOGGING` when `LOG_FORMAT=json` (the production default). A line looks like
`{"time": "2026-12-02T05:40:01.123Z", "level": "INFO", "logger": "dx.request", "message": "GET /requests/ 200",
"request_id": "…", "user_id": 7, "path": "/requests/", "method": "GET", "status": 200, "duration_ms": 41.2}`.
Anything passed as `extra={…}` to a log call is added as it is (made JSON-safe with str()).
"""

import json
import logging
from datetime import UTC, datetime

from core.request_context import current_request_id, current_request_info

# Attributes every LogRecord has; whatever else a record carries came from `extra=` and goes into the line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            line["request_id"] = request_id
        line.update(current_request_info())
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
