"""Attachment checks: extension, content (magic bytes) and size. Nothing executable or renderable as a page.

Allowed: PDF, Word/Excel/PowerPoint (doc, docx, xls, xlsx, ppt, pptx), CSV, TXT, PNG, JPEG.
Refused: everything else — in particular executables, archives (ZIP can smuggle anything), HTML and SVG (script).
The stored content type comes from this table, never from the browser.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    content_type: str
    magic: tuple[bytes, ...] = ()
    ooxml_dir: str = ""  # for Office Open XML: the folder the ZIP must contain
    text: bool = False


KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", (b"%PDF-",)),
    "doc": Kind("application/msword", (OLE2,)),
    "xls": Kind("application/vnd.ms-excel", (OLE2,)),
    "ppt": Kind("application/vnd.ms-powerpoint", (OLE2,)),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,), "word/"),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,), "xl/"),
    "pptx": Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,), "ppt/"),
    "csv": Kind("text/csv", text=True),
    "txt": Kind("text/plain", text=True),
    "png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
}
ALLOWED_EXTENSIONS = tuple(KINDS)
HTML_MARKERS = (b"<html", b"<script", b"<svg", b"<!doctype", b"<iframe", b"<body")


def safe_name(name: str) -> str:
    """The file's own name without any folder part, trimmed to fit the column."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "file"
    return base[-200:]


def extension_of(name: str) -> str:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return suffix


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    lowered = head.lower()
    if any(marker in lowered for marker in HTML_MARKERS):
        return False
    for encoding in ("utf-8", "cp932"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            # a multi-byte character cut at the end of the sample is fine
            if error.start >= len(head) - 3:
                return True
    return False


def _ooxml_ok(uploaded, folder: str) -> bool:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def validate_upload(uploaded) -> tuple[str, str]:
    """Check one uploaded file; return (safe original name, content type) or raise ValidationError on `file`."""
    name = safe_name(getattr(uploaded, "name", "") or "")
    extension = extension_of(name)
    kind = KINDS.get(extension)
    allowed = ", ".join(sorted(set(ALLOWED_EXTENSIONS)))
    if kind is None:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("“%(name)s”: files of this type are not accepted. Allowed: %(allowed)s."),
                    code="file_type",
                    params={"name": name, "allowed": allowed},
                )
            }
        )
    size = uploaded.size
    if size == 0:
        raise ValidationError(
            {"file": ValidationError(_("“%(name)s” is empty."), code="file_empty", params={"name": name})}
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("“%(name)s” is %(size)s; the limit is %(limit)s."),
                    code="file_too_large",
                    params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
                )
            }
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if kind.text:
        ok = _looks_like_text(head)
    else:
        ok = any(head.startswith(magic) for magic in kind.magic)
        if ok and kind.ooxml_dir:
            ok = _ooxml_ok(uploaded, kind.ooxml_dir)
    if not ok:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("“%(name)s” does not contain what its name says (.%(ext)s)."),
                    code="file_content",
                    params={"name": name, "ext": extension},
                )
            }
        )
    return name, kind.content_type


def sample_bytes(extension: str) -> bytes:
    """A minimal valid file of a kind (tests and demo data)."""
    if extension == "pdf":
        return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if extension in ("docx", "xlsx", "pptx"):
        buffer = io.BytesIO()
        folder = KINDS[extension].ooxml_dir
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(f"{folder}document.xml", "<doc/>")
        return buffer.getvalue()
    if extension == "png":
        return b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    if extension in ("jpg", "jpeg"):
        return b"\xff\xd8\xff\xe0" + b"\x00" * 32
    if extension in ("doc", "xls", "ppt"):
        return OLE2 + b"\x00" * 32
    return "仕様書の確認をお願いします。\n".encode()
