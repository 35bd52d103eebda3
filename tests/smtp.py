"""`smtp_down`: the outbox's delivery backend is SMTP, pointed at a loopback port nothing listens on, as when the mail server is down.

Use it with `@pytest.mark.usefixtures("smtp_down")` after `from tests.smtp import smtp_down  # noqa: F401`.
"""

import socket

import pytest


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
