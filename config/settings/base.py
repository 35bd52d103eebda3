"""Settings shared by every environment. Everything that differs comes from the environment."""

import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789abcdef")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Our apps come before the third-party ones so that our Japanese wording wins over a library's translation of
    # the same message (e.g. "Note" is 注意 in a library's catalogue, メモ in ours).
    "core.apps.CoreConfig",
    "accounts.apps.AccountsConfig",
    "notifications.apps.NotificationsConfig",
    "skills.apps.SkillsConfig",
    "support.apps.SupportConfig",
    "staffing.apps.StaffingConfig",
    "reports.apps.ReportsConfig",
    "knowhow.apps.KnowhowConfig",
    "seeds.apps.SeedsConfig",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",  # SSO: see "Sign-in: SSO, MFA, sessions" below
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "django_tables2",
    "django_filters",
    "import_export",
    "graphene_django",
    "csp",
]

MIDDLEWARE = [
    "core.api.middleware.GraphQLFaultMiddleware",  # JSON, not the HTML error page, for a fault on /graphql/
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.errors.WriteFailureMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Sign-in: SSO, MFA, sessions (accounts/middleware.py)
    "accounts.middleware.AuditSourceMiddleware",
    "accounts.middleware.SessionExpiryMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# DATABASE_URL selects the database (PostgreSQL in production and CI); unset means a SQLite file in the project.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections (seconds; 0 closes after each request), checked before reuse so that the first
        # request after the database dropped the connection reconnects instead of failing.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "accounts.authentication.BearerTokenBackend",  # API tokens on the GraphQL endpoint (core.api.view)
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail + password, sign-up closed unless ACCOUNT_ALLOW_SIGNUPS is set.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("ACCOUNT_LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "change_password": "5/m/user",
}
# Password reset answers the same for every address and mails only known, active accounts: no "you have no account"
# mail to whatever address a stranger types (sign-up is closed anyway).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_ALLOW_SIGNUPS = env_bool("ACCOUNT_ALLOW_SIGNUPS", False)
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "signup": "accounts.forms.SignupForm",
}

# --- Sign-in: SSO, MFA, sessions (issue 11) -------------------------------------------------------------------------


def oidc_apps(raw: str) -> list[dict]:
    """allauth `openid_connect` apps from the OIDC_PROVIDERS JSON list (README "Single sign-on").

    Each entry: id, name, issuer, client_id, client_secret; optional tenants (allowed `tid` values), issuers
    (allowed `iss` values, default [issuer]), organization_claim, role_claim, role_map ({claim value: role}),
    email_domains (domains whose verified e-mail may link an existing account), server_url (discovery URL when it
    is not the issuer's), pkce (default true).
    """
    apps = []
    for entry in json.loads(raw or "[]"):
        issuer = entry["issuer"].rstrip("/")
        apps.append(
            {
                "provider_id": entry["id"],
                "name": entry.get("name", entry["id"]),
                "client_id": entry["client_id"],
                "secret": entry.get("client_secret", ""),
                "settings": {
                    "server_url": entry.get("server_url", issuer),
                    "oauth_pkce_enabled": entry.get("pkce", True),
                    "token_auth_method": entry.get("token_auth_method", "client_secret_post"),
                    "issuers": entry.get("issuers", [issuer]),
                    "tenants": entry.get("tenants", []),
                    "tenant_claim": entry.get("tenant_claim", "tid"),
                    "organization_claim": entry.get("organization_claim", "organization_code"),
                    "role_claim": entry.get("role_claim", ""),
                    "role_map": entry.get("role_map", {}),
                    "email_domains": [domain.lower() for domain in entry.get("email_domains", [])],
                },
            }
        )
    return apps


SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": oidc_apps(os.environ.get("OIDC_PROVIDERS", ""))}}
SOCIALACCOUNT_AUTO_SIGNUP = True  # the claims are checked by the adapter; no sign-up form
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts (CSRF-protected)
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_STORE_TOKENS = False
# Linking by e-mail is decided by accounts.sso (verified by the provider AND a domain allowed for it), not allauth.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"

MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "DX Support Desk")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)
# Roles that must add a second factor when they sign in with a password (accounts.middleware.MfaRequiredMiddleware).
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "ict_manager,hr,admin")
MFA_REQUIRED_EXEMPT_EMAILS = [email.lower() for email in env_list("MFA_REQUIRED_EXEMPT_EMAILS")]

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_ABSOLUTE_TIMEOUT after sign-in.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(10 * 60 * 60)))
SESSION_EXPIRY_WARNING = int(
    os.environ.get("SESSION_EXPIRY_WARNING", "120")
)  # seconds of warning on the page
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# The audit trail's source address: REMOTE_ADDR, or the first X-Forwarded-For hop when a trusted proxy is in front.
AUDIT_TRUST_X_FORWARDED_FOR = env_bool("AUDIT_TRUST_X_FORWARDED_FOR", False)
# --- end of sign-in settings ----------------------------------------------------------------------------------------

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language (config/formats/<lang>/formats.py): pages, exports and reports all use it.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are never served from MEDIA_URL: attachments go through a permission-checked view.
MEDIA_URL = "/_protected_media/"

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before a silent mail server counts as down (the failure is logged; the user's action still succeeds).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dx-support-desk@localhost")
# The address users reach the app at, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

DJANGO_TABLES2_TEMPLATE = "tables/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

GRAPHENE = {
    "SCHEMA": "config.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
    "RELAY_CONNECTION_ENFORCE_FIRST_OR_LAST": False,
    "SCHEMA_OUTPUT": "graphql/schema.graphql",
    "SCHEMA_INDENT": 2,
}
# Bounds on one GraphQL request (core/api/limits.py explains each); a request past one is refused with its code.
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "10"))
GRAPHQL_MAX_ALIASES = int(os.environ.get("GRAPHQL_MAX_ALIASES", "30"))
GRAPHQL_MAX_BODY_BYTES = int(os.environ.get("GRAPHQL_MAX_BODY_BYTES", str(100 * 1024)))
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "5000"))
GRAPHQL_MAX_FIELDS = int(os.environ.get("GRAPHQL_MAX_FIELDS", "500"))
GRAPHQL_MAX_COST = int(os.environ.get("GRAPHQL_MAX_COST", "50000"))
GRAPHQL_LIST_SIZE_ESTIMATE = int(os.environ.get("GRAPHQL_LIST_SIZE_ESTIMATE", "10"))
# Parsed, valid documents kept in memory per process (an LRU bounded by its estimated size).
GRAPHQL_DOCUMENT_CACHE_BYTES = int(os.environ.get("GRAPHQL_DOCUMENT_CACHE_BYTES", str(8 * 1024 * 1024)))
GRAPHIQL_ENABLED = DEBUG

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Attachments
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True  # only the server reads it (the switcher is a plain form)
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts only from our own static files, or inline with the per-request
# nonce (`{{ request.csp_nonce }}`, e.g. GraphiQL's settings); no inline event handlers, no eval. Inline *styles*
# stay allowed: templates size a few elements with style="…" and Bootstrap, Chart.js and GraphiQL set styles at
# run time; a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# =====================================================================================================================
# Operations: several app servers (docs/deploy.md). Blocks: cache, sessions, storage, logging, health. Each has a
# development default that needs nothing installed; production sets the environment variables.
# =====================================================================================================================

# --- ops: cache ---------------------------------------------------------------------------------------------------------
# CACHE_URL (else REDIS_URL), e.g. redis://127.0.0.1:6379/1: one Redis cache shared by every web process and worker
# (rate limits, cached pages and counts agree across servers). Unset: each process keeps its own memory cache.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "1.0"))  # seconds to connect / to answer
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    _redis_options = {"SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT, "SOCKET_TIMEOUT": REDIS_TIMEOUT}
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dx"),
            "OPTIONS": _redis_options,
        },
        # Sessions: the same Redis under their own prefix; a Redis outage reads as a cache miss (the session comes
        # from the database, see SESSION_ENGINE), so users stay signed in while Redis restarts.
        "sessions": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dx") + "-session",
            "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": True},
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions"},
    }

# --- ops: sessions ------------------------------------------------------------------------------------------------------
# With a Redis cache: cached_db. Reads come from Redis (no database query per request on any server); every write
# goes to the database too, so a Redis restart, eviction (maxmemory) or flush signs nobody out, and the sessions
# table stays the one place to end a person's sessions. Writes are rare (sign-in, sign-out, MFA step, language).
# Without one (development): the database, as before.
if CACHES["default"]["BACKEND"].startswith("django_redis"):
    SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.cached_db")
else:
    SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_CACHE_ALIAS = "sessions"

# --- ops: storage -------------------------------------------------------------------------------------------------------
# Uploaded files: MEDIA_ROOT (above) on a volume every web process and worker mounts, or object storage by naming
# another backend, e.g. MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage with MEDIA_STORAGE_OPTIONS as JSON
# (django-storages, installed separately; see docs/deploy.md). Static files: production.py uses WhiteNoise.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


# --- ops: logging -------------------------------------------------------------------------------------------------------
# LOG_FORMAT=json gives one JSON object per line (core.logging) with the request id, user id, path, status and
# duration; `text` is for a terminal. Production defaults to json and INFO, development to text and WARNING.
def logging_config(log_format: str, level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "core.logging.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }


LOGGING = logging_config(os.environ.get("LOG_FORMAT", "text"), os.environ.get("LOG_LEVEL", "WARNING"))

# --- ops: request id and health probes ----------------------------------------------------------------------------------
# The request id (X-Request-ID from the proxy, else a new one) comes first so every later line carries it; the probes
# (/healthz, /readyz) are answered before login, sessions, MFA, host checks and the HTTPS redirect.
MIDDLEWARE = ["core.middleware.RequestIdMiddleware", "core.health.HealthCheckMiddleware", *MIDDLEWARE]
HEALTH_CHECK_TIMEOUT = float(
    os.environ.get("HEALTH_CHECK_TIMEOUT", "2.0")
)  # seconds, per component of /readyz
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
# ======================================================================================================= end operations

# --- Background jobs (Celery) and the mail outbox -------------------------------------------------------------------
# CELERY_BROKER_URL: Redis in production (redis://127.0.0.1:6379/0; amqp://… for RabbitMQ also works). Unset (make run,
# make test): every task runs eagerly in the calling process — the same task code, no worker, no scheduler.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None  # job progress lives in the database
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it finished, and a worker killed mid-task gives it back to the queue: every task
# re-reads the database before acting (idempotent), so running one twice is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task to another worker after this many seconds: longer than any task runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# celery beat: what runs when (times in TIME_ZONE). Each entry calls a task of an app's tasks.py.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "core.tasks.sweep_outbox", "schedule": 60.0},
    "close-resolved-requests": {"task": "support.tasks.close_resolved_requests", "schedule": 3600.0},
    "certificate-expiry-reminders": {
        "task": "skills.tasks.certificate_expiry_reminders",
        "schedule": 6 * 3600.0,
    },
    "reports-preaggregate": {"task": "reports.tasks.preaggregate", "schedule": 600.0},
    "purge-old-jobs": {"task": "core.tasks.purge_old_jobs", "schedule": 24 * 3600.0},
    "sla-alerts": {"task": "support.tasks.sla_alerts", "schedule": 3600.0},
    "sla-digest": {"task": "support.tasks.sla_digest", "schedule": crontab(hour=8, minute=0)},
}

# All mail goes through the outbox (core.mail): send_mail() writes an OutboxMessage row in the caller's transaction;
# after the commit a task hands it to EMAIL_DELIVERY_BACKEND (console in development, SMTP in production), retrying
# with exponential backoff; a periodic sweep re-sends anything left pending.
EMAIL_BACKEND = "core.mail.OutboxBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND",
    os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
)
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_RETRY_BASE_SECONDS = int(
    os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "60")
)  # then ×2 per attempt, ≤ 1 h
OUTBOX_SWEEP_AFTER_SECONDS = int(os.environ.get("OUTBOX_SWEEP_AFTER_SECONDS", "300"))
# A backlog plan of more open requests than this is computed by a job (the page polls its progress); smaller ones inline.
JOB_KEEP_DAYS = int(os.environ.get("JOB_KEEP_DAYS", "7"))  # then a job and its uploaded file are deleted
BACKLOG_PLAN_JOB_THRESHOLD = int(os.environ.get("BACKLOG_PLAN_JOB_THRESHOLD", "300"))
# exports with more rows are built by a job (the page polls, then offers the file); smaller ones download at once
EXPORT_JOB_THRESHOLD_ROWS = int(os.environ.get("EXPORT_JOB_THRESHOLD_ROWS", "5000"))
