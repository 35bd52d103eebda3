"""Japanese translations are complete and compiled: an untranslated or fuzzy entry fails the suite."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    path for path in ROOT.glob("**/locale/ja/LC_MESSAGES/django.po") if ".venv" not in path.parts
)


def test_every_app_with_strings_has_a_catalogue():
    assert ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_compiled(path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"run compilemessages for {path}"
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in polib.mofile(str(mo_path))}
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.pofile(str(path)).translated_entries()
        if not entry.msgid_plural
    }
    stale = [key for key, value in source.items() if compiled.get(key) != value]
    assert not stale, f"{mo_path} is stale (run compilemessages): {stale[:5]}"
