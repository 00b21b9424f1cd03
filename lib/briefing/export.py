"""Briefing files as users download them: a region's PDF or share PNG, or a scope's pack.

The share image rasterises the phone-shaped PDF page with pypdfium2 (PDFium as a wheel from
PyPI, no browser or system library), so the image shows exactly what the PDF shows.
"""

from __future__ import annotations

import datetime as dt
import io

import pypdfium2

from lib.briefing.content import file_name, pack_summary, region_brief
from lib.briefing.pdf import A4, PHONE, pack_pdf, region_pdf
from lib.core import metrics
from lib.ingest.dataset import Dataset

SHARE_WIDTH_PX = 1080  # the width chat apps keep without downscaling on a phone


def region_file(
    dataset: Dataset,
    code: str,
    reference: dt.date,
    lang: str,
    fmt: str = "pdf",
    evidenced: set | None = None,
) -> tuple[str, bytes]:
    brief = region_brief(dataset, code, reference, lang, evidenced=evidenced)
    name = file_name(code, dataset.version, reference, lang, fmt)
    if fmt == "png":
        return name, pdf_to_png(region_pdf(brief, PHONE))
    return name, region_pdf(brief, A4)


def pdf_to_png(data: bytes, width_px: int = SHARE_WIDTH_PX) -> bytes:
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        image = page.render(scale=width_px / page.get_width()).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")  # optimize=True took 5x longer for 2% smaller
    return out.getvalue()


def pack_file(
    dataset: Dataset,
    reference: dt.date,
    lang: str,
    scope_label: str,
    scope_slug: str = "all",
    evidenced: set | None = None,
) -> tuple[str, bytes]:
    """Summary page then one page per region, ranked as on the summary (most advanced first)."""
    progress = metrics.region_progress(dataset.regions, dataset.stages, reference)
    summary = pack_summary(dataset, reference, lang, scope_label, progress=progress)
    known = set(dataset.regions["region_code"])
    briefs = [
        region_brief(dataset, code, reference, lang, progress=progress, evidenced=evidenced)
        for code in progress["region_code"]
        if code in known
    ]
    name = file_name(f"pack-{scope_slug}", dataset.version, reference, lang)
    return name, pack_pdf(summary, briefs)
