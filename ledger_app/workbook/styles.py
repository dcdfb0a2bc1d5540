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
BODY_SIZE = 10.5  # 五号
TITLE_SIZE = 16  # a sheet's title
# The workbook's default font (the "Normal" style). Column widths are counted in its digit
# width: Arial 10 is 7 px (5.25 pt) in Excel and, as Liberation Sans, 5.55 pt in LibreOffice
# — near enough everywhere (Calibri, openpyxl's default, becomes DejaVu Sans at 7 pt in a
# LibreOffice without it, and a sheet then prints a quarter smaller).
DEFAULT_FONT = ("Arial", 10)

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
# the 党费 sheet's blank month cells: a month not owed (not in the branch) is hatched, an
# unpaid month that has ended (欠缴) light red, the month under way (待缴) light amber —
# told apart in black-and-white print too (hatching, and two greys of different depth)
NOT_OWED_FILL = PatternFill("lightUp", fgColor="A6A6A6")
UNPAID_FILL = PatternFill("solid", fgColor="F4B6B6")
COLLECTING_FILL = PatternFill("solid", fgColor="FFE9A8")

# a long name list or text is shown as a pointer where it is printed in full; the cell
# keeps its whole text (the 4th section of a number format is the one for text)
LIST_ELSEWHERE = ';;;"（名单较长，全文见“记录附页”）"'
TEXT_ELSEWHERE = ';;;"（内容较长，全文见“记录附页”）"'

_BODY = {
    "text": ("General", "left", True),
    "center": ("General", "center", True),
    "wrap": ("General", "left", True),
    "idtext": (TEXT_FORMAT, "center", False),
    "date": (DATE_FORMAT, "center", False),
    "money": (MONEY_FORMAT, "right", False),
    "hours": (HOURS_FORMAT, "right", False),
    "int": ("0", "center", False),
    "percent": (PERCENT_FORMAT, "right", False),
}


def register_styles(wb) -> None:
    """Add the named styles used by :func:`put` to a new workbook, and set its default
    font (:data:`DEFAULT_FONT`, the unit of column widths)."""
    from openpyxl.utils.indexed_list import IndexedList

    name, size = DEFAULT_FONT
    default = Font(name=name, sz=size, family=2)
    wb._fonts = IndexedList([default])
    wb._named_styles["Normal"].font = default

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

    body = Font(name=BODY_FONT, size=BODY_SIZE)
    bold = Font(name=BODY_FONT, size=BODY_SIZE, bold=True)
    add(
        "tz_title",
        Font(name=TITLE_FONT, size=TITLE_SIZE, bold=True),
        horizontal="center",
        wrap=True,
        border=False,
    )
    add("tz_note", Font(name=BODY_FONT, size=BODY_SIZE), horizontal="left", border=False)
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
    st = book.named(style or _STYLE_NAMES[kind, total])
    if value.__class__ is str:
        if _ILLEGAL.search(value):
            value = clean_text(value)
        if len(value) > MAX_CELL_CHARS:
            raise ValueError(f"内容超过 {MAX_CELL_CHARS} 字，Excel 单元格放不下")
        if value.startswith(FORMULA_START):
            st = book.variant(st, quotePrefix=True)
    elif isinstance(value, str):
        return put(grid, row, col, str(value), kind, total, style)
    elif isinstance(value, dt.datetime):
        value = value.date()
    grid.set(row, col, value, st)


class _StyleNames(dict):
    """(kind, total) → the named style's name, formatted once."""

    def __missing__(self, key: tuple[str, bool]) -> str:
        kind, total = key
        name = self[key] = f"tz_total_{kind}" if total else f"tz_{kind}"
        return name


_STYLE_NAMES = _StyleNames()


# How wide text prints, in column-width units (the default font's digit width): a CJK
# character of the 10.5-pt body is 2; a Latin one at most 1.2 (LibreOffice without 宋体
# sets digits in DejaVu Sans, 0.64 em; Excel's 宋体 digits are 1)
WIDE = 2.0
NARROW = 1.2
PAD = 1.5  # a cell's inner margins and border, in the same units


def display_width(value) -> float:
    """How wide ``value`` prints in the body font, in column-width units."""
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10 * NARROW
    if isinstance(value, (int, float, Decimal)):
        text = f"{value:.2f}" if isinstance(value, (float, Decimal)) else str(value)
        return len(text) * NARROW
    text = str(value)
    if text.isascii():  # no ASCII character is wide
        return len(text) * NARROW
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


class _CharWidths(dict):
    """character → its print width (:data:`WIDE` or :data:`NARROW`), looked up once."""

    def __missing__(self, ch: str) -> float:
        width = self[ch] = WIDE if unicodedata.east_asian_width(ch) in ("W", "F") else NARROW
        return width


_CHAR_WIDTHS = _CharWidths()


_NUMBER_TEXT = {
    "money": "{:.2f}",
    "hours": "{:.1f}",
    "int": "{:.0f}",
}


def value_width(value, kind: str) -> float:
    """How wide ``value`` prints in a cell of style ``kind`` (numbers as their format
    shows them), its longest line for text."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if kind == "percent":
            return len(f"{value * 100:.1f}%") * NARROW
        fmt = _NUMBER_TEXT.get(kind)
        if fmt is not None:
            return len(fmt.format(value)) * NARROW
    return longest_line_width(value)


def longest_line_width(value) -> float:
    if isinstance(value, str) and "\n" in value:
        return max(display_width(part) for part in value.split("\n"))
    return display_width(value)


LINE_HEIGHT = 14.0  # points per line of 10.5 pt text
MAX_ROW_HEIGHT = 409.0  # Excel's limit
MAX_LINES = int((MAX_ROW_HEIGHT - 4) // LINE_HEIGHT)  # lines a row can show


def wrapped_lines(value, width: float) -> int:
    """How many lines ``value`` takes in a wrapping column ``width`` units wide."""
    if value is None:
        return 1
    # wide characters a line holds (lines break anywhere): a column 2·n + 1 units wide
    # holds n (see header_width)
    per_line = max(int(width // WIDE), 1)
    lines = 0
    for part in str(value).split("\n"):
        w = display_width(part)
        lines += 1 if w <= width - 1 else max(1, -(-w // (per_line * WIDE)))
    return int(lines)


def header_width(text: str, narrowest: float = 0) -> float:
    """The width of a column whose header is ``text`` and whose values need
    ``narrowest``: the header on one line, or — when it is plain CJK and the values need
    less — on two or three lines of equal length (``欠缴`` / ``月数``), never a line of one
    character or a bracket alone (``月缴费基数(元`` / ``)``)."""
    one_line = display_width(text) + PAD
    n = len(text)
    if one_line <= narrowest or not all(_CHAR_WIDTHS[ch] == WIDE for ch in text) or n < 4:
        return max(one_line, narrowest)
    best = one_line
    for lines in (2, 3):
        per = -(-n // lines)
        if per < 2 or n - per * (lines - 1) < 2:
            continue
        # a column 2·per + 1 units wide holds exactly ``per`` wide characters a line in
        # Excel (7 px a unit) and in LibreOffice (5.55 pt a unit, 10.5-pt characters)
        width = per * WIDE + 1
        if width >= narrowest:
            best = min(best, width)
    return max(best, narrowest) if best == one_line else best


def row_height(lines: int) -> float | None:
    """A row height that shows ``lines`` lines (None: leave the default for one line)."""
    if lines <= 1:
        return None
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 4)


def title_height(text: str, width: float) -> float:
    """The height of a title row ``width`` units wide: one line of the 16-pt title, or as
    many as the title wraps into (a long branch name, the 脱敏版 note)."""
    usable = max(width - 2, 1)
    lines = max(1, -(-display_width(text) * TITLE_SIZE / BODY_SIZE // usable))
    return 30 if lines == 1 else lines * 22 + 8


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


# --- the printed page (A4) ---------------------------------------------------------------

A4 = (595.3, 841.9)  # points
MARGIN_X = 0.5  # inches, left and right
MARGIN_Y = 0.75  # inches, top and bottom (the page header and footer sit inside)
UNIT_PT = 5.55  # points a unit of column width prints at 100 % (LibreOffice; Excel 5.25)
MIN_SCALE = 0.86  # the smallest print scale: 10.5-pt text prints at ≥ 9 pt
HEADER_SIZE = 11  # the page header and footer (scaled with the sheet, as the body)


def page_width(landscape: bool) -> float:
    """The printable width of an A4 page in column-width units at 100 %, less 3 % for the
    applications' rounding (LibreOffice moves a column that just fits to the next page)."""
    return (A4[1 if landscape else 0] - 2 * 72 * MARGIN_X) / UNIT_PT * 0.97


def page_height(landscape: bool) -> float:
    """The printable height of an A4 page in points at 100 %."""
    return A4[0 if landscape else 1] - 2 * 72 * MARGIN_Y


def print_setup(
    ws,
    *,
    branch: str,
    period_label: str,
    landscape: bool,
    title_rows: str | None,
    note: str = "",
    scale: int | None = None,
    title_cols: str | None = None,
) -> None:
    """A4, orientation, header rows (and columns) on every page, margins, page header and
    footer; one page wide, or — with ``scale`` — at that scale with the sheet's own page
    breaks (Excel and LibreOffice ignore page breaks when fitting to a page)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if scale is None:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_X
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_Y
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.oddHeader.left.text = _header_text(branch)
    ws.oddHeader.left.size = HEADER_SIZE
    ws.oddHeader.right.text = _header_text(period_label + (f" {note}" if note else ""))
    ws.oddHeader.right.size = HEADER_SIZE
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = HEADER_SIZE


def _header_text(text: str) -> str:
    # "&" starts a header code: a literal one is written "&&"; Excel allows 255 characters
    # for the whole header, so a very long name is cut
    return clean_text(text)[:80].replace("&", "&&")
