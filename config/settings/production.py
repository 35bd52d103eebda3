"""Production: everything from the environment, secure cookies, HSTS. Passes `manage.py check --deploy`."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, STORAGES, env_bool, logging_config

DEBUG = False
GRAPHIQL_ENABLED = False
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
LANGUAGE_COOKIE_SECURE = True

# =====================================================================================================================
# Operations: several app servers behind a load balancer (docs/deploy.md). Cache and sessions: base.py (CACHE_URL).
# =====================================================================================================================
# --- ops: static files: WhiteNoise serves what `manage.py collectstatic` put in STATIC_ROOT, with hashed names
# (cached for a year by browsers and proxies) and gzip/brotli copies; no separate file server needed.
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 :],
]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "core.staticfiles.StaticFilesStorage"}}
# --- ops: logging: JSON lines at INFO unless LOG_FORMAT / LOG_LEVEL say otherwise.
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "json"), os.environ.get("LOG_LEVEL", "INFO"))
# --- ops: health: load balancers probe over plain HTTP (the probes are answered first anyway; see core.health).
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
