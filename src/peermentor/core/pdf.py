"""HTML to PDF with WeasyPrint, with every outside fetch refused."""

from __future__ import annotations

from typing import Any, NoReturn


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here (its system libraries are missing)."""


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    # Documents are self-contained: no network, no files, no data smuggled in through URLs.
    raise ValueError(f"PDF documents may not load {url[:60]}")


def html_to_pdf(html: str) -> bytes:
    """A PDF of a self-contained HTML document (styles inline, no external resources)."""
    try:
        from weasyprint import HTML
    except OSError as error:  # pragma: no cover - depends on the machine
        raise PdfUnavailable(
            "PDF export needs the Pango library (Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0). The Markdown export works without it."
        ) from error
    document: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return document
