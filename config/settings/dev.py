"""Local development: DEBUG on, SQLite unless DATABASE_URL says otherwise, e-mail to the console."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403

DEBUG = True
GRAPHIQL_ENABLED = True
