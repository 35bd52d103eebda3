"""An attachment stored in a write that rolls back does not stay behind in MEDIA_ROOT."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from support import notifications, services
from tests.support.conftest import upload


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(Path(folder, name)) for folder, _dirs, names in os.walk(root) for name in names}


def test_files_of_a_failed_submission_are_removed(submit, pdf_file, monkeypatch):
    before = stored_files()
    monkeypatch.setattr(notifications, "notify", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        submit(files=[pdf_file, upload("memo.txt", "メモ".encode())])
    assert stored_files() == before


def test_attachment_in_a_rolled_back_transaction_is_removed(submitted, requester, pdf_file):
    before = stored_files()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.attachment_add(actor=requester, request=submitted, file=pdf_file)
        assert len(stored_files() - before) == 1
        raise RuntimeError
    assert stored_files() == before


def test_attachment_of_a_successful_write_stays(submitted, requester, pdf_file):
    before = stored_files()
    attachment = services.attachment_add(actor=requester, request=submitted, file=pdf_file)
    assert stored_files() - before == {str(Path(attachment.file.path))}
