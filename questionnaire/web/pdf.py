"""Render a page to PDF on the server with WeasyPrint: tagged, system fonts, and no outside requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

STYLESHEET = Path(__file__).resolve().parent.parent.parent / "static" / "style.css"
PAPER = {"a4": "A4", "letter": "Letter"}


class PdfUnavailable(RuntimeError):
    """Say that this server cannot make PDFs (WeasyPrint's system libraries are missing)."""


def render_pdf(html: str, paper: str = "a4") -> bytes:
    """Return the HTML as a tagged PDF on A4 or Letter paper."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except OSError as exc:  # Pango or HarfBuzz missing: say so rather than fail obscurely
        raise PdfUnavailable(str(exc)) from exc

    class NoFetching(URLFetcher):  # type: ignore[misc]
        """Refuse every outside resource: the stylesheet is given directly, nothing else is needed."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"the PDF fetches nothing from outside ({url})")

    page = CSS(string=f"@page {{ size: {PAPER.get(paper, 'A4')}; }}")
    document = HTML(string=html, url_fetcher=NoFetching())
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET)), page], pdf_tags=True)  # type: ignore[no-any-return]
