"""gunicorn's access log as JSON lines (`logger_class` in config/gunicorn.conf.py).

gunicorn's own format string cannot escape quotes in a user agent or a path, so the line is built with json.dumps.
The request id is the one the app put on the response (X-Request-ID), so access and app lines join on it.
"""

import json
from datetime import UTC, datetime

from gunicorn.glogging import Logger


class JsonAccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not getattr(self, "access_log_enabled", True):
            return
        headers = {name.lower(): value for name, value in (resp.headers or ())}
        line = {
            "time": datetime.now(tz=UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "message": f"{environ.get('REQUEST_METHOD', '')} {environ.get('PATH_INFO', '')} {resp.status_code}",
            "request_id": headers.get("x-request-id"),
            "remote": environ.get("REMOTE_ADDR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": resp.status_code,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        try:
            self.access_log.info(json.dumps(line, ensure_ascii=False, default=str))
        except Exception:  # a log line must never fail the request
            self.error("Failed to write the access log line")
