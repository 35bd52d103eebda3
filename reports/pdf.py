"""PDF of a report page via WeasyPrint, in the Japanese font the project installs (IPAGothic from Debian's
fonts-ipafont-gothic, or Noto Sans CJK JP). WeasyPrint needs Pango (Debian's libpango-1.0-0, libpangoft2-1.0-0);
`pdf_available()` says whether this machine can render, and the views answer 503 with a message when not."""

import functools


class PdfUnavailable(RuntimeError):
    pass


@functools.cache
def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401 — loads Pango through cffi
    except (ImportError, OSError):
        return False
    return True


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    if not pdf_available():
        raise PdfUnavailable("WeasyPrint or its Pango libraries are not installed")
    import weasyprint

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()
