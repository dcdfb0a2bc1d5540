"""The one export entry of the GUI and the command line: the Excel ledger and the PDF
summary of a period, each rendered from the period model (services.period).

As Anki's GUI calls ``col.export_*`` and never an exporter, the export page and ``cli.py``
call these two functions; the renderers (workbook/, reports/) get a model and never read
the ledger themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .ledger import Ledger

# progress(done, total) of the Excel export; raising from it cancels
XlsxProgress = Callable[[int, int], None]
# progress(done, total, message) of the PDF export; raising from it cancels
PdfProgress = Callable[[int, int, str], object]


def export_xlsx(
    ledger: Ledger,
    year: int,
    quarter: int | None,
    out: str | Path,
    *,
    mask: bool = False,
    show_base: bool = False,
    progress: XlsxProgress | None = None,
) -> Path:
    """The Excel ledger of ``year`` (or one ``quarter``) at ``out``; never a half file.
    ``show_base``: the 党费收缴公示 shows each member's 月缴费基数 (their income); the
    汇总 sheet carries the 台账校验码 (the audit chain's head, as the PDF's footer)."""
    from ..workbook.writer import write_workbook
    from . import period, safety

    model = period.load(ledger, year, quarter)
    return write_workbook(
        model,
        out,
        mask=mask,
        show_base=show_base,
        chain_code=safety.head_hash(ledger),
        progress=progress,
    )


def export_pdf(
    ledger: Ledger,
    year: int,
    quarter: int | None,
    out: str | Path,
    *,
    sections: Iterable[str] | None = None,
    progress: PdfProgress | None = None,
) -> Path:
    """The inspection PDF of ``year`` (or one ``quarter``) at ``out``; never a half file.
    The PDF renders the period model; photos are read from the ledger as it lays out."""
    from ..files import check_target
    from ..reports.pdf import chosen_sections, write_pdf
    from . import period, safety

    chosen = chosen_sections(sections)
    target = Path(out)
    check_target(target)  # before reading the ledger and the minutes of layout
    if progress is not None:
        progress(0, 100, "正在读取台账……")
    model = period.load(ledger, year, quarter, attachments="records" in chosen)
    return write_pdf(
        model,
        target,
        sections=chosen,
        progress=progress,
        chain_head=safety.head_hash(ledger),
        photos=ledger.repo.attachment_data,
    )
