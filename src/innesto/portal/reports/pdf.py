"""HTML to a tagged, accessible PDF with WeasyPrint (PDF/UA-1: structure tree, MarkInfo,
document language and title in the metadata)."""

from __future__ import annotations

from typing import Any


def html_to_pdf(html: str, base_url: str | None = None, **options: Any) -> bytes:
    """Render ``html`` to PDF bytes; ``pdf_variant="pdf/ua-1"`` turns tagging on."""
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1", **options)
    assert pdf is not None
    return bytes(pdf)
