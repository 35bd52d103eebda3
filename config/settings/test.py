"""Settings for the test suite: fast hashing, in-memory e-mail, files in a temporary folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail goes through the outbox as in production (tests/conftest.py puts EMAIL_BACKEND back after Django's test
# setup replaces it) and is delivered to django.core.mail.outbox.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="dxdesk-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
# A fresh connection per request, as Django's own test runner expects.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
