"""Attachments chosen on the request form survive a validation error of another field.

When the form comes back with an error, each file that passed the attachment checks (support.attachments) is kept
server-side (default storage, under `support-pending/<token>`) and the session remembers its token and name; the
form shows "kept" with a checkbox that posts the token back. Only tokens this session holds are honoured; a kept
file is read when the request is filed and deleted afterwards. Files of abandoned forms are removed after a day
(core.tabular.pending does the same for imports).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import purge_older_than
from support.attachments import validate_upload

FOLDER = "support-pending"
SESSION_KEY = "support-pending-uploads"
MAX_AGE = dt.timedelta(days=1)
MAX_KEPT = 20


def _path(token: str) -> str:
    return f"{FOLDER}/{token}"


def kept(request) -> list[dict]:
    """The files kept for this session's request form: [{"token", "name", "size"}]."""
    return list(request.session.get(SESSION_KEY) or [])


def keep(request, uploads, *, still_wanted=()) -> tuple[list[dict], list[ValidationError]]:
    """Keep the `uploads` that pass the attachment checks, and the earlier kept files whose tokens are in
    `still_wanted` (the others are deleted). Returns (kept files, the errors of the uploads that were refused)."""
    purge_older_than(FOLDER, MAX_AGE)
    wanted = set(still_wanted)
    entries = []
    for entry in kept(request):
        if entry["token"] in wanted:
            entries.append(entry)
        else:
            default_storage.delete(_path(entry["token"]))
    errors = []
    for upload in uploads:
        try:
            name, _content_type = validate_upload(upload)
        except ValidationError as error:
            errors.append(error)
            continue
        if len(entries) >= MAX_KEPT:
            break
        token = secrets.token_hex(16)
        upload.seek(0)
        default_storage.save(_path(token), ContentFile(upload.read()))
        entries.append({"token": token, "name": name, "size": upload.size})
    request.session[SESSION_KEY] = entries
    return entries, errors


def take(request, tokens) -> list[SimpleUploadedFile]:
    """The kept files named by `tokens` (only those this session holds), as uploads to attach again."""
    wanted = set(tokens)
    files = []
    for entry in kept(request):
        if entry["token"] not in wanted:
            continue
        try:
            with default_storage.open(_path(entry["token"]), "rb") as handle:
                files.append(SimpleUploadedFile(entry["name"], handle.read()))
        except FileNotFoundError:
            continue
    return files


def discard(request) -> None:
    """Forget (and delete) every kept file of this session: the request was filed, or the form abandoned."""
    for entry in request.session.pop(SESSION_KEY, None) or []:
        token = entry.get("token", "")
        if token.isalnum():
            default_storage.delete(_path(token))
