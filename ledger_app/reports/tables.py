"""Long tables laid out one page at a time.

A single platypus Table of thousands of rows lays out superlinearly (each split re-wraps
what is left). :class:`PagedTable` measures every row once, then cuts the rows into
page-sized Tables, each with the header rows on top, so the cost stays linear and every
page of a long table starts with its header.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.paragraph import Paragraph

from .fonts import SANS, SERIF
from .styles import (
    FRAME_H,
    HEADER_BG,
    LIGHT,
    base_table_style,
    measured_paragraph,
    plain_ok,
    serif_brackets,
    styles,
    text,
)

MIN_ROWS = 2  # rows of a long table at the foot of a page, and carried onto the next

_PAD_V = 2 + 2.5  # TOPPADDING + BOTTOMPADDING of base_table_style
_PAD_H = 3 + 3

RowStyles = Callable[[int, list], list]


class TextCell:
    """Plain user text for a PagedTable cell, shown like ``P(value, style)``: PagedTable
    draws it as a plain string when it fits on one line, else as that Paragraph.
    ``style``: a style name of :func:`.styles.styles` or a ParagraphStyle; None: the
    table's body cells at the table's font size."""

    __slots__ = ("style", "value")

    def __init__(self, value: object, style=None):
        self.value = "" if value is None else str(value)
        self.style = style

    def __str__(self) -> str:  # for probes/tests reading the content
        return self.value


class _Line(str):
    """A one-line cell drawn as a plain string; ``fmt`` carries the look of the
    Paragraph it replaces (size, leading, alignment, colour) for the TableStyle."""

    fmt: tuple


_ALIGN = {TA_LEFT: "LEFT", TA_JUSTIFY: "LEFT", TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}


@lru_cache(maxsize=1 << 16)
def _width(s: str, size: float, font: str = SERIF) -> float:
    return stringWidth(s, font, size)


@lru_cache(maxsize=64)
def cell_style(size: float, header: bool = False):
    """The style of a plain-string cell of a table set in ``size`` points: body cells in
    the serif, header cells in the sans, centred (a header wraps rather than overflow)."""
    from reportlab.lib.styles import ParagraphStyle

    base = styles()["th" if header else "cell"]
    return ParagraphStyle(
        f"{base.name}{size:g}", parent=base, fontSize=size, leading=round(size * 1.3, 2)
    )


def _one_line(s: str) -> bool:
    """Text a Paragraph would draw unchanged: no markup, no whitespace it would collapse."""
    return bool(s) and s == s.strip() and "  " not in s and not any(c in s for c in "\n\r\t<>&")


_plain_styles: dict[object, bool] = {}  # style -> usable as a plain string


def _plain_style(style) -> bool:
    ok = _plain_styles.get(style)
    if ok is None:
        ok = _plain_styles[style] = _check_style(style)
    return ok


def _check_style(style) -> bool:
    return (
        style.fontName in (SANS, SERIF)
        and style.alignment in _ALIGN
        and not style.leftIndent
        and not style.rightIndent
        and not style.firstLineIndent
        and not style.backColor
        and getattr(style, "autoLeading", None) in (None, "", "off")
        and not getattr(style, "underline", False)
        and not getattr(style, "strike", False)
    )


_LINE_CLASSES: dict[tuple, type] = {}


def _line(s: str, style) -> _Line:
    """``s`` as a :class:`_Line` with the look of ``style``: one subclass per look holds it
    as a class attribute, so that a cell costs no more than its string (a 5,000-member
    year's tables hold a few hundred thousand cells)."""
    fmt = (style.fontName, style.fontSize, style.leading, _ALIGN[style.alignment], style.textColor)
    cls = _LINE_CLASSES.get(fmt)
    if cls is None:
        cls = _LINE_CLASSES[fmt] = type("_Line", (_Line,), {"fmt": fmt})
    return cls(s)


def plain_cells(
    rows: list[list],
    col_widths: list,
    pad_h: float = _PAD_H,
    header_rows: int = 0,
    font_size: float = 8.5,
) -> tuple[list, list]:
    """For a plain Table: ``rows`` with one-line Paragraph cells as plain strings, and the
    TableStyle commands (append them last) that keep their look. ``pad_h``: the table's
    LEFTPADDING + RIGHTPADDING; the first ``header_rows`` rows' strings are header cells
    (see :func:`cell_style`). A spanned cell is measured in its first column only."""
    n = len(col_widths)
    out = [
        [
            _resolve(c, col_widths[i], pad_h, r < header_rows, font_size)
            if i < n and isinstance(col_widths[i], int | float)
            else c
            for i, c in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    return out, _line_styles(out)


def _resolve(
    cell: object,
    width: float,
    pad_h: float = _PAD_H,
    header: bool = False,
    font_size: float = 8.5,
) -> object:
    """A Paragraph or TextCell that fits on one line → :class:`_Line`; other Paragraphs →
    a Paragraph measured once. A header row's strings are set like TextCells in the
    header style; other strings stay plain unless they hold a character the body font
    lacks (then they are set as a Paragraph, which takes it from the heading font)."""
    room = width - pad_h - 1e-6
    if isinstance(cell, str) and not isinstance(cell, _Line):
        if header and cell:
            cell = TextCell(cell, cell_style(font_size, header=True))
        elif plain_ok(cell, SERIF):
            return cell
        else:
            cell = TextCell(cell, cell_style(font_size))
    if isinstance(cell, TextCell):
        style = cell.style
        if style is None:
            style = cell_style(font_size)
        elif isinstance(style, str):
            style = styles()[style]
        s = cell.value
        if (
            _one_line(s.replace("<", "").replace(">", "").replace("&", ""))
            and _plain_style(style)
            and plain_ok(s, style.fontName)
            and _width(s, style.fontSize, style.fontName) <= room
        ):
            return _line(s, style)
        markup = text(s)
        if style.fontName == SANS:
            markup = serif_brackets(markup)
        return measured_paragraph()(markup, style)
    if isinstance(cell, Paragraph) and type(cell) in (Paragraph, *_PARAGRAPH_TYPES()):
        s = cell.text
        if (
            isinstance(s, str)
            and not cell.bulletText
            and _one_line(s)
            and _plain_style(cell.style)
            and plain_ok(s, cell.style.fontName)
            and _width(s, cell.style.fontSize, cell.style.fontName) <= room
        ):
            return _line(s, cell.style)
        cell.__class__ = measured_paragraph()
    return cell


@lru_cache(maxsize=1)
def _PARAGRAPH_TYPES() -> tuple[type, ...]:  # noqa: N802 - a constant, built on first use
    from .styles import paragraph

    return (paragraph(), measured_paragraph())


def _cell_height(cell: object, width: float, leading: float, pad_h: float = _PAD_H) -> float:
    if isinstance(cell, _Line):
        return cell.fmt[2] + _PAD_V
    if isinstance(cell, Flowable):
        return cell.wrap(width - pad_h, 1e6)[1] + _PAD_V
    lines = str(cell).count("\n") + 1 if cell not in (None, "") else 1
    return lines * leading + _PAD_V


class _Rows:
    """A long table's body rows, each resolved (see :func:`_resolve`) and measured when the
    layout first needs it, and let go once laid out: a 5,000-member year's tables are not
    all held in memory as cells at once."""

    def __init__(self, raw: list[list], widths: list[float], pad_h: float, size: float, least):
        self.raw = raw
        self.widths = widths
        self.pad_h = pad_h
        self.size = size
        self.least = least  # min_row_height
        self.cache: dict[int, list] = {}
        self.heights: list[float | None] = [None] * len(raw)

    def __len__(self) -> int:
        return len(self.raw)

    def row(self, i: int) -> list:
        found = self.cache.get(i)
        if found is None:
            found = self.cache[i] = [
                _resolve(c, w, self.pad_h, font_size=self.size)
                for c, w in zip(self.raw[i], self.widths)
            ]
            if self.heights[i] is None:
                leading = self.size * 1.3
                self.heights[i] = max(
                    self.least,
                    max(
                        _cell_height(c, w, leading, self.pad_h) for c, w in zip(found, self.widths)
                    ),
                )
        return found

    def height(self, i: int) -> float:
        h = self.heights[i]
        if h is None:
            self.row(i)
            h = self.heights[i]
        return h  # type: ignore[return-value]

    def release(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.cache.pop(i, None)


class PagedTable(Flowable):
    """A table of ``header`` rows + ``body`` rows (+ shaded ``footer`` rows, e.g. totals)
    that splits at page ends into plain Tables, repeating the header on every page. Body
    rows are resolved and measured as the layout reaches them (:class:`_Rows`).

    ``row_styles(i, row)`` returns extra TableStyle commands for body row ``i`` written
    with row index 0 (they are moved to where the row lands). Cells must not span rows.
    ``pad``: the cells' padding left and right (a narrow grid takes less);
    ``footer_size``: the footer's font size when it must be smaller than the body's (wide
    totals), set with ``footer_pad`` points of padding left and right.

    A page never ends with fewer than :data:`MIN_ROWS` body rows of the table, and never
    carries fewer than that (or the totals alone) over to the next.
    """

    def __init__(
        self,
        header: list[list],
        body: list[list],
        col_widths: list[float],
        font_size: float = 8.5,
        align: list[tuple[int, str]] | None = None,
        row_styles: RowStyles | None = None,
        footer: list[list] | None = None,
        header_style: list | None = None,
        min_row_height: float = 0,
        footer_size: float | None = None,
        footer_pad: float | None = None,
        pad: float = 3,
        _rows: _Rows | None = None,
        _offset: int = 0,
    ):
        super().__init__()
        self.col_widths = col_widths
        self.font_size = font_size
        self.align = align or []
        self.row_styles = row_styles
        self.header_style = header_style or []
        self.footer_size = footer_size or font_size
        self.footer_pad = pad if footer_pad is None else footer_pad
        self.pad = pad
        self.min_row_height = min_row_height
        self.offset = _offset  # index of the first body row in the whole table
        fs, fpad, bpad = self.footer_size, 2 * self.footer_pad, 2 * pad
        if _rows is None:
            header = [
                [_resolve(c, w, bpad, True, font_size) for c, w in zip(r, col_widths)]
                for r in header
            ]
            footer = [
                [_resolve(c, w, fpad, font_size=fs) for c, w in zip(r, col_widths)]
                for r in footer or []
            ]
            _rows = _Rows(body, col_widths, bpad, font_size, min_row_height)
        self.header = header
        self.footer = footer or []
        self._rows = _rows
        leading = font_size * 1.3
        self.head_heights = [
            max(_cell_height(c, w, leading, bpad) for c, w in zip(row, col_widths))
            for row in self.header
        ]
        self.foot_heights = [
            max(_cell_height(c, w, fs * 1.3, fpad) for c, w in zip(row, col_widths))
            for row in self.footer
        ]
        self.width = sum(col_widths)
        self.hAlign = "LEFT"

    @property
    def body(self) -> list[list]:
        """The body rows still to lay out, resolved (for probes and tests)."""
        return [self._rows.row(i) for i in range(self.offset, len(self._rows))]

    @property
    def heights(self) -> list[float]:
        """Every row's height: header, the body still to lay out, footer (for tests)."""
        body = [self._rows.height(i) for i in range(self.offset, len(self._rows))]
        return self.head_heights + body + self.foot_heights

    @property
    def rows(self) -> list[list]:
        """Every row (header, body, footer): for probes and tests that read the content."""
        return self.header + self.body + self.footer

    # --- layout --------------------------------------------------------------------------

    @property
    def _n_body(self) -> int:
        return len(self._rows) - self.offset

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The table's height — or, for a long one, enough of it to tell that it does not
        fit (the rest is measured as it is laid out)."""
        h = sum(self.head_heights) + sum(self.foot_heights)
        rows = self._rows
        for i in range(self.offset, len(rows)):
            h += rows.height(i)
            if h > max(avail_height, FRAME_H) + 1:
                break
        self.height = h
        return self.width, self.height

    def lead_height(self) -> float:
        """The header and the first rows: what a heading above the table keeps with it."""
        n = min(MIN_ROWS, self._n_body)
        head = sum(self.head_heights) + sum(self._rows.height(self.offset + i) for i in range(n))
        return head + (sum(self.foot_heights) if self._n_body <= MIN_ROWS else 0)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        rows = self._rows
        room = avail_height - sum(self.head_heights)
        n_body = self._n_body
        fits = 0
        used = 0.0
        while fits < n_body:
            h = rows.height(self.offset + fits)
            if used + h > room:
                break
            used += h
            fits += 1
        frame = getattr(self, "_frame", None)
        at_top = frame is None or frame._atTop
        n = fits
        if n >= n_body:
            if not self.footer:
                return [self]
            n = n_body - MIN_ROWS  # the totals go over with the last rows
        elif n_body - n < MIN_ROWS:
            n = n_body - MIN_ROWS  # nor a single row carried over
        if n < MIN_ROWS:
            if not at_top:
                return []  # too little room: the whole start of the table to the next page
            # at the top of a page (rows taller than a page): what fits, at least one row
            n = max(1, min(fits, n_body - 1)) if n_body > 1 else 1
        a, b = self.offset, self.offset + n
        first = self._table(
            [rows.row(i) for i in range(a, b)],
            [],
            self.head_heights + [rows.height(i) for i in range(a, b)],
            a,
        )
        rows.release(a, b)  # the Table holds them now
        rest = PagedTable(
            self.header,
            [],
            self.col_widths,
            self.font_size,
            self.align,
            self.row_styles,
            self.footer,
            self.header_style,
            self.min_row_height,
            self.footer_size,
            self.footer_pad,
            self.pad,
            _rows=rows,
            _offset=b,
        )
        return [first, rest]

    def draw(self) -> None:
        t = self._table(self.body, self.footer, self.heights, self.offset)
        t.wrapOn(self.canv, self.width, self.height)
        t.drawOn(self.canv, 0, 0)
        self._rows.release(self.offset, len(self._rows))

    def _table(
        self, body: list[list], footer: list[list], heights: list[float], offset: int
    ) -> Table:
        from reportlab.lib.colors import HexColor

        n_head = len(self.header)
        cmds = base_table_style(self.font_size, n_head, zebra=False)
        if self.pad != 3:
            cmds += [
                ("LEFTPADDING", (0, 0), (-1, -1), self.pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), self.pad),
            ]
        cmds += self.header_style
        for col, how in self.align:
            cmds.append(("ALIGN", (col, n_head), (col, -1), how))
        for j, row in enumerate(body):
            r = n_head + j
            if (offset + j) % 2:
                cmds.append(("BACKGROUND", (0, r), (-1, r), HexColor("#faf6f5")))
            if self.row_styles is not None:
                for cmd in self.row_styles(offset + j, row) or []:
                    name, (c0, _), (c1, _), *rest = cmd
                    cmds.append((name, (c0, r), (c1, r), *rest))
        if footer:
            start = n_head + len(body)
            cmds += [
                ("BACKGROUND", (0, start), (-1, -1), HexColor(LIGHT)),
                ("LINEABOVE", (0, start), (-1, start), 0.9, HexColor(HEADER_BG)),
            ]
            if self.footer_size != self.font_size or self.footer_pad != self.pad:
                size = self.footer_size
                cmds += [
                    ("FONTSIZE", (0, start), (-1, -1), size),
                    ("LEADING", (0, start), (-1, -1), size * 1.3),
                    ("LEFTPADDING", (0, start), (-1, -1), self.footer_pad),
                    ("RIGHTPADDING", (0, start), (-1, -1), self.footer_pad),
                ]
        rows = self.header + body + footer
        cmds += _line_styles(rows)
        t = Table(
            rows,
            colWidths=self.col_widths,
            rowHeights=heights,
            hAlign="LEFT",
        )
        t.setStyle(TableStyle(cmds))
        return t


def _line_styles(rows: list[list]) -> list:
    """TableStyle commands giving the :class:`_Line` cells the look of their Paragraphs,
    one command per run of rows in a column (appended last: a Paragraph ignored the
    table's TEXTCOLOR/ALIGN, so its plain-string stand-in must too)."""
    cmds: list = []
    runs: dict[int, tuple[int, int, tuple]] = {}  # column -> (first row, last row, fmt)

    def flush(col: int) -> None:
        r0, r1, (font, size, leading, align, color) = runs.pop(col)
        cmds.extend(
            [
                ("FONTNAME", (col, r0), (col, r1), font),  # never reportlab's Helvetica
                ("FONTSIZE", (col, r0), (col, r1), size),
                ("LEADING", (col, r0), (col, r1), leading),
                ("ALIGN", (col, r0), (col, r1), align),
                ("TEXTCOLOR", (col, r0), (col, r1), color),
            ]
        )

    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            run = runs.get(c)
            if isinstance(cell, _Line):
                if run is not None and run[1] == r - 1 and run[2] == cell.fmt:
                    runs[c] = (run[0], r, run[2])
                    continue
                if run is not None:
                    flush(c)
                runs[c] = (r, r, cell.fmt)
            elif run is not None:
                flush(c)
    for c in list(runs):
        flush(c)
    return cmds


FOOTER_PAD = 1.5  # left and right padding of a totals row set smaller than the body
MIN_FOOTER_SIZE = 4.5


def fit_widths(
    header: list[str],
    body: list[list],
    footer: list,
    total: float,
    font_size: float,
    flex: dict[int, float],
    pad: float = 3,
    same: range | None = None,
) -> tuple[list[float], float, float]:
    """Column widths summing to ``total``, each column wide enough for its widest value —
    the totals row included —, and the totals row's font size and padding.

    ``flex``: columns of text that may wrap (names, lists of months) → their least width;
    they get what is left, up to their widest value, then the other columns share the rest.
    A short header (``12月``, ``人员类别``) is measured too; a longer one wraps. ``pad``: the cells'
    padding left and right; ``same``: columns that share one width (the months). When the
    totals do not fit at ``font_size`` they are set
    smaller (down to :data:`MIN_FOOTER_SIZE` points, with :data:`FOOTER_PAD` padding)
    rather than run across the column borders.
    """
    n = len(header)

    def widest(values, size: float, font: str = SERIF) -> float:
        return max((_width(str(v), size, font) for v in values if str(v)), default=0.0)

    body_need = []
    for c in range(n):
        need = widest((row[c] for row in body), font_size) + 2 * pad
        if len(header[c]) <= 4:
            need = max(need, widest([header[c]], font_size, SANS) + 2 * pad)
        body_need.append(need)
    # what a wrapping column could use: its widest value and a character to spare
    wide = [max(flex.get(c, 0.0), body_need[c] + font_size) for c in range(n)]

    def least(size: float, fpad: float) -> list[float]:
        foot = [widest([footer[c]], size) + 2 * fpad if c < len(footer) else 0.0 for c in range(n)]
        out = [flex[c] if c in flex else max(body_need[c], foot[c]) for c in range(n)]
        if same:
            widest_of = max(out[c] for c in same)
            for c in same:
                out[c] = widest_of
        return out

    size, fpad = font_size, pad
    widths = least(size, fpad)
    if sum(widths) > total:
        fpad = min(pad, FOOTER_PAD)
        while size > MIN_FOOTER_SIZE:
            widths = least(size, fpad)
            if sum(widths) <= total:
                break
            size = round(size - 0.1, 2)
        size = max(size, MIN_FOOTER_SIZE)
        widths = least(size, fpad)
    spare = total - sum(widths)
    if spare < 0:  # still too wide: every column gives up the same share
        return [w * total / sum(widths) for w in widths], size, fpad
    for c in flex:  # wrapping columns up to their widest value first
        give = min(spare, max(0.0, wide[c] - widths[c]))
        widths[c] += give
        spare -= give
    rigid = [c for c in range(n) if c not in flex] or list(range(n))
    for c in rigid:
        widths[c] += spare / len(rigid)
    return widths, size, fpad
