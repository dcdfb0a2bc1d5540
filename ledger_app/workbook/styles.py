"""The ledger look of exported workbooks: named styles, safe cell values, widths, print setup.

Everything here is openpyxl-only (no ledger rules), imported lazily by ``writer``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

BODY_FONT = "宋体"
TITLE_FONT = "黑体"

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "0.00"
HOURS_FORMAT = "0.0"
PERCENT_FORMAT = "0.0%"
TEXT_FORMAT = "@"

# Excel refuses a cell longer than this; the user is told rather than the text cut.
MAX_CELL_CHARS = 32767

# control characters that are not allowed in XML (openpyxl would raise on them)
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# text that a spreadsheet would take for a formula if typed (CSV/formula injection)
FORMULA_START = ("=", "+", "-", "@")

# style names → (number format, horizontal alignment, wrap, bold, fill)
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_COMPUTED_FILL = PatternFill("solid", fgColor="EDEDED")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")

_BODY = {
    "text": ("General", "left", False),
    "center": ("General", "center", False),
    "wrap": ("General", "left", True),
    "idtext": (TEXT_FORMAT, "center", False),
    "date": (DATE_FORMAT, "center", False),
    "money": (MONEY_FORMAT, "right", False),
    "hours": (HOURS_FORMAT, "right", False),
    "int": ("0", "center", False),
    "percent": (PERCENT_FORMAT, "right", False),
}


def register_styles(wb) -> None:
    """Add the named styles used by :func:`put` to a new workbook."""

    def add(name, font, fmt="General", horizontal="left", wrap=False, fill=None, border=True):
        st = NamedStyle(name=name)
        st.font = font
        st.number_format = fmt
        st.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
        if border:
            st.border = _BORDER
        if fill is not None:
            st.fill = fill
        wb.add_named_style(st)

    body = Font(name=BODY_FONT, size=10.5)
    bold = Font(name=BODY_FONT, size=10.5, bold=True)
    add("tz_title", Font(name=TITLE_FONT, size=16, bold=True), horizontal="center", border=False)
    add("tz_note", Font(name=BODY_FONT, size=10), horizontal="left", border=False)
    add("tz_section", Font(name=TITLE_FONT, size=12, bold=True), border=False)
    add("tz_header", bold, horizontal="center", wrap=True, fill=_HEADER_FILL)
    add("tz_header_calc", bold, horizontal="center", wrap=True, fill=_COMPUTED_FILL)
    for kind, (fmt, horizontal, wrap) in _BODY.items():
        add(f"tz_{kind}", body, fmt, horizontal, wrap)
        add(f"tz_total_{kind}", bold, fmt, horizontal, wrap, fill=_TOTAL_FILL)


def clean_text(text: str) -> str:
    return _ILLEGAL.sub("", text)


def put(grid, row: int, col: int, value, kind: str = "text", total: bool = False, style=None):
    """Write one value into a :class:`~.grid.Grid` with the ledger style of ``kind`` (or
    the named ``style``).

    Strings are always stored as text, never as formulas, whatever they start with;
    text that a spreadsheet would read as a formula when re-typed is quote-prefixed.
    """
    book = grid.book
    st = book.named(style or (f"tz_total_{kind}" if total else f"tz_{kind}"))
    if isinstance(value, str):
        value = clean_text(value)
        if len(value) > MAX_CELL_CHARS:
            raise ValueError(f"内容超过 {MAX_CELL_CHARS} 字，Excel 单元格放不下")
        if value.startswith(FORMULA_START):
            st = book.variant(st, quotePrefix=True)
    elif isinstance(value, dt.datetime):
        value = value.date()
    grid.set(row, col, value, st)


def display_width(value) -> int:
    """Width in Excel character units: CJK and other wide characters count double."""
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    if isinstance(value, (int, float, Decimal)):
        return len(f"{value:.2f}") if isinstance(value, (float, Decimal)) else len(str(value))
    text = str(value)
    if text.isascii():  # no ASCII character is wide
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


class _CharWidths(dict):
    """character → 2 if wide (East Asian W or F) else 1, looked up once per character."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def longest_line_width(value) -> int:
    if isinstance(value, str) and "\n" in value:
        return max(display_width(part) for part in value.split("\n"))
    return display_width(value)


LINE_HEIGHT = 14.0  # points per line of 10.5 pt text
MAX_ROW_HEIGHT = 409.0  # Excel's limit
MAX_LINES = int((MAX_ROW_HEIGHT - 4) // LINE_HEIGHT)  # lines a row can show


def wrapped_lines(value, width: float) -> int:
    """How many lines ``value`` takes in a wrapping column ``width`` characters wide."""
    if value is None:
        return 1
    usable = max(width - 1.5, 1.0)
    lines = 0
    for part in str(value).split("\n"):
        w = display_width(part)
        lines += max(1, -(-w // int(usable)) if usable >= 1 else w)
    return lines


def row_height(lines: int) -> float | None:
    """A row height that shows ``lines`` lines (None: leave the default for one line)."""
    if lines <= 1:
        return None
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 4)


def set_widths(ws, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def merge_title(grid, row: int, first_col: int, last_col: int, text: str, style="tz_title"):
    """A title across columns; like :func:`put`, text a spreadsheet would read as a formula
    when re-typed (a branch named ``=…``) is quote-prefixed."""
    text = clean_text(text)
    st = grid.book.named(style)
    if text.startswith(FORMULA_START):
        st = grid.book.variant(st, quotePrefix=True)
    grid.set(row, first_col, text, st)
    if last_col > first_col:
        grid.merge(row, first_col, row, last_col)


def print_setup(
    ws,
    *,
    branch: str,
    period_label: str,
    landscape: bool,
    title_rows: str | None,
    note: str = "",
) -> None:
    """A4, orientation, header rows on every page, one page wide, margins, page footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.left.text = _header_text(branch)
    ws.oddHeader.left.size = 9
    ws.oddHeader.right.text = _header_text(period_label + (f" {note}" if note else ""))
    ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9


def _header_text(text: str) -> str:
    # "&" starts a header code: a literal one is written "&&"; Excel allows 255 characters
    # for the whole header, so a very long name is cut
    return clean_text(text)[:80].replace("&", "&&")
