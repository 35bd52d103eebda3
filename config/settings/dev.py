"""Local development: DEBUG on, SQLite unless DATABASE_URL says otherwise, e-mail to the console."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403

DEBUG = True
GRAPHIQL_ENABLED = True

# Sign-in (issue 11): the demo manager, HR and admin accounts keep signing in with the password alone, here only.
# `MFA_REQUIRED_EXEMPT_EMAILS= make run` (empty) holds them too, to try the requirement.
MFA_REQUIRED_EXEMPT_EMAILS = env_list(  # noqa: F405
    "MFA_REQUIRED_EXEMPT_EMAILS", "manager@example.com,hr@example.com,admin@example.com"
)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # passkeys on http://127.0.0.1 during development
