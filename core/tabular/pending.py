"""Dry run → confirm without a second upload.

After a clean dry run the checked file is kept server-side (default storage, under `tabular-pending/<token>`); the
session remembers the token, the file name and what to import. Confirm posts the token back: only the user whose
session holds it can import that file, once; it is read, deleted, and imported in one transaction. Files left
behind by abandoned dry runs are removed after a day.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.files import purge_older_than

FOLDER = "tabular-pending"
MAX_AGE = dt.timedelta(days=1)
SESSION_PREFIX = "tabular-pending:"


@dataclass
class Pending:
    content: bytes
    filename: str
    meta: dict = field(default_factory=dict)


def _purge_old() -> None:
    purge_older_than(FOLDER, MAX_AGE)


def keep(request, purpose: str, *, content: bytes, filename: str, **meta) -> str:
    """Keep a checked upload for `purpose` (e.g. "skills"); return the token the confirm form posts back."""
    _purge_old()
    discard(request, purpose)
    token = secrets.token_hex(16)
    default_storage.save(f"{FOLDER}/{token}", ContentFile(content))
    request.session[SESSION_PREFIX + purpose] = {"token": token, "filename": filename, "meta": meta}
    return token


def take(request, purpose: str, token: str) -> Pending | None:
    """The kept upload if `token` is the one this session holds for `purpose` (and forget it); else None."""
    entry = request.session.get(SESSION_PREFIX + purpose) or {}
    if not token or entry.get("token") != token or not token.isalnum():
        return None
    del request.session[SESSION_PREFIX + purpose]
    path = f"{FOLDER}/{token}"
    try:
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    default_storage.delete(path)
    return Pending(content=content, filename=entry["filename"], meta=entry.get("meta") or {})


def discard(request, purpose: str) -> None:
    entry = request.session.pop(SESSION_PREFIX + purpose, None) or {}
    token = entry.get("token", "")
    if token.isalnum():
        default_storage.delete(f"{FOLDER}/{token}")
