"""Stored files follow the database: a file written inside a transaction that rolls back is deleted.

`transaction.on_commit` never says "rolled back", but Django drops the callbacks of a rolled-back transaction or
savepoint. So `delete_on_rollback` registers a small keeper with on_commit: a commit runs it (the file stays); a
rollback drops it, and dropping it (weakref.finalize, run as soon as the keeper is freed) deletes the file.
Outside a transaction the write is already final and nothing is registered.
"""

import logging
import weakref

from django.db import transaction

logger = logging.getLogger(__name__)


class _Keeper:
    def __init__(self, state: dict):
        self.state = state

    def __call__(self):
        self.state["committed"] = True


def _delete_unless_committed(state: dict) -> None:
    if state["committed"]:
        return
    try:
        state["storage"].delete(state["name"])
    except Exception:  # a file we cannot remove must not break the rollback that is under way
        logger.exception("could not delete %s after a rollback", state["name"])


def delete_on_rollback(storage, name: str, *, using=None) -> None:
    """Delete `name` from `storage` if the current transaction (or savepoint) is rolled back."""
    if not transaction.get_connection(using).in_atomic_block:
        return
    state = {"committed": False, "storage": storage, "name": name}
    keeper = _Keeper(state)
    weakref.finalize(keeper, _delete_unless_committed, state)
    transaction.on_commit(keeper, using=using)


def save_file(field_file, name: str, content) -> None:
    """Save an uploaded file into a model's FileField (not the row itself) and delete it again on rollback."""
    field_file.save(name, content, save=False)
    delete_on_rollback(field_file.storage, field_file.name)


def save_upload(field_file, uploaded, name: str) -> None:
    """`save_file` for a checked upload: stored under a random name keeping its extension (never the user's name)."""
    import uuid

    from django.core.files.base import ContentFile

    uploaded.seek(0)
    extension = name.rsplit(".", 1)[-1].lower()
    save_file(field_file, f"{uuid.uuid4().hex}.{extension}", ContentFile(uploaded.read()))


def private_download(field_file, *, filename: str, content_type: str):
    """A stored file as a download that no browser renders as a page (the permission check is the caller's);
    Http404 when the file is gone."""
    from django.http import FileResponse, Http404

    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("No such file.") from missing
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def purge_older_than(folder: str, max_age) -> None:
    """Delete the files of `folder` (default storage) not modified for `max_age`: uploads kept server-side between
    two steps of a form (core.tabular.pending, support.pending_uploads) that nobody came back for."""
    from django.core.files.storage import default_storage
    from django.utils import timezone

    try:
        _folders, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    limit = timezone.now() - max_age
    for name in names:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except FileNotFoundError:
            continue
