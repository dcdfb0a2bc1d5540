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
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .fonts import FONT
from .styles import (
    FRAME_H,
    HEADER_BG,
    LIGHT,
    base_table_style,
    measured_paragraph,
    styles,
    text,
)

_PAD_V = 2 + 2.5  # TOPPADDING + BOTTOMPADDING of base_table_style
_PAD_H = 3 + 3

RowStyles = Callable[[int, list], list]


class TextCell:
    """Plain user text for a PagedTable cell, shown like ``P(value, style)``: PagedTable
    draws it as a plain string when it fits on one line, else as that Paragraph."""

    __slots__ = ("style", "value")

    def __init__(self, value: object, style: str = "cell"):
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
def _width(s: str, size: float) -> float:
    return stringWidth(s, FONT, size)


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
        style.fontName == FONT
        and style.alignment in _ALIGN
        and not style.leftIndent
        and not style.rightIndent
        and not style.firstLineIndent
        and not style.backColor
        and getattr(style, "autoLeading", None) in (None, "", "off")
        and not getattr(style, "underline", False)
        and not getattr(style, "strike", False)
    )


def _line(s: str, style) -> _Line:
    out = _Line(s)
    out.fmt = (style.fontSize, style.leading, _ALIGN[style.alignment], style.textColor)
    return out


def plain_cells(rows: list[list], col_widths: list, pad_h: float = _PAD_H) -> tuple[list, list]:
    """For a plain Table: ``rows`` with one-line Paragraph cells as plain strings, and the
    TableStyle commands (append them last) that keep their look. ``pad_h``: the table's
    LEFTPADDING + RIGHTPADDING. A spanned cell is measured in its first column only."""
    n = len(col_widths)
    out = [
        [
            _resolve(c, col_widths[i], pad_h)
            if i < n and isinstance(col_widths[i], int | float)
            else c
            for i, c in enumerate(row)
        ]
        for row in rows
    ]
    return out, _line_styles(out)


def _resolve(cell: object, width: float, pad_h: float = _PAD_H) -> object:
    """A Paragraph or TextCell that fits on one line → :class:`_Line`; other Paragraphs →
    a Paragraph measured once; anything else unchanged."""
    room = width - pad_h - 1e-6
    if isinstance(cell, TextCell):
        style = styles()[cell.style]
        s = cell.value
        if (
            _one_line(s.replace("<", "").replace(">", "").replace("&", ""))
            and _plain_style(style)
            and _width(s, style.fontSize) <= room
        ):
            return _line(s, style)
        return measured_paragraph()(text(s), style)
    if type(cell) is Paragraph or type(cell) is measured_paragraph():
        s = cell.text
        if (
            isinstance(s, str)
            and not cell.bulletText
            and _one_line(s)
            and _plain_style(cell.style)
            and _width(s, cell.style.fontSize) <= room
        ):
            return _line(s, cell.style)
        cell.__class__ = measured_paragraph()
    return cell


def _cell_height(cell: object, width: float, leading: float) -> float:
    if isinstance(cell, _Line):
        return cell.fmt[1] + _PAD_V
    if isinstance(cell, Paragraph):
        return cell.wrap(width - _PAD_H, 1e6)[1] + _PAD_V
    if isinstance(cell, Flowable):
        return cell.wrap(width - _PAD_H, 1e6)[1] + _PAD_V
    lines = str(cell).count("\n") + 1 if cell not in (None, "") else 1
    return lines * leading + _PAD_V


class PagedTable(Flowable):
    """A table of ``header`` rows + ``body`` rows (+ shaded ``footer`` rows, e.g. totals)
    that splits at page ends into plain Tables, repeating the header on every page.

    ``row_styles(i, row)`` returns extra TableStyle commands for body row ``i`` written
    with row index 0 (they are moved to where the row lands). Cells must not span rows.
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
        _heights: list[float] | None = None,
        _offset: int = 0,
    ):
        super().__init__()
        self.header = header
        self.body = body
        self.footer = footer or []
        self.col_widths = col_widths
        self.font_size = font_size
        self.align = align or []
        self.row_styles = row_styles
        self.header_style = header_style or []
        self.offset = _offset  # index of body[0] in the whole table (zebra, row_styles)
        leading = font_size * 1.3
        if _heights is None:
            self.header, self.body, self.footer = (
                [[_resolve(c, w) for c, w in zip(row, col_widths)] for row in rows]
                for rows in (header, body, self.footer)
            )
            header, body = self.header, self.body
            _heights = [
                max(_cell_height(c, w, leading) for c, w in zip(row, col_widths))
                for row in header + body + self.footer
            ]
            n = len(header)
            for i in range(n, n + len(body)):
                _heights[i] = max(_heights[i], min_row_height)
        self.heights = _heights
        self.width = sum(col_widths)
        self.hAlign = "LEFT"

    @property
    def rows(self) -> list[list]:
        """Every row (header, body, footer): for probes and tests that read the content."""
        return self.header + self.body + self.footer

    # --- layout --------------------------------------------------------------------------

    @property
    def _n_head(self) -> int:
        return len(self.header)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = sum(self.heights)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        head_h = sum(self.heights[: self._n_head])
        body_h = self.heights[self._n_head :]
        room = avail_height - head_h
        n = 0
        used = 0.0
        n_body = len(self.body)
        while n < n_body and used + body_h[n] <= room:
            used += body_h[n]
            n += 1
        if n == 0:
            if head_h + body_h[0] <= FRAME_H:
                return []  # not even one row: let the frame move to the next page
            n = 1  # a row taller than any page: print it alone rather than fail
        # keep the totals with at least the last rows of the body
        if n == n_body and self.footer:
            n = max(1, n - 1) if n_body > 1 else n
        if n >= n_body and not self.footer:
            return [self]
        first = self._table(self.body[:n], [], self.heights[: self._n_head + n], self.offset)
        rest = PagedTable(
            self.header,
            self.body[n:],
            self.col_widths,
            self.font_size,
            self.align,
            self.row_styles,
            self.footer,
            self.header_style,
            _heights=self.heights[: self._n_head] + self.heights[self._n_head + n :],
            _offset=self.offset + n,
        )
        return [first, rest]

    def draw(self) -> None:
        t = self._table(self.body, self.footer, self.heights, self.offset)
        t.wrapOn(self.canv, self.width, self.height)
        t.drawOn(self.canv, 0, 0)

    def _table(
        self, body: list[list], footer: list[list], heights: list[float], offset: int
    ) -> Table:
        from reportlab.lib.colors import HexColor

        n_head = self._n_head
        cmds = base_table_style(self.font_size, n_head, zebra=False)
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
        r0, r1, (size, leading, align, color) = runs.pop(col)
        cmds.extend(
            [
                ("FONTNAME", (col, r0), (col, r1), FONT),  # never reportlab's Helvetica
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
