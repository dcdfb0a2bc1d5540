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
    ``show_base``: the 党费收缴公示 shows each member's 月缴费基数 (their income)."""
    from ..workbook.writer import export_workbook

    return export_workbook(
        ledger, year, quarter, out, mask=mask, progress=progress, show_base=show_base
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
    """The inspection PDF of ``year`` (or one ``quarter``) at ``out``; never a half file."""
    from ..reports.pdf import export_pdf as write

    return write(ledger, year, quarter, out, sections=sections, progress=progress)
