"""Fast cell storage for the export: openpyxl for the workbook, our own ``<sheetData>``.

openpyxl makes a Python object per cell and writes it through lxml element by element: for
the 60 000 cells of a year's ledger that was most of the export's time. Here a sheet keeps
its cells as ``(value, style)`` pairs and serialises them itself, exactly as openpyxl would
(the same XML, byte for byte: tests/test_workbook_grid.py compares); everything else — styles,
merged ranges, widths, heights, freeze panes, page setup, print titles, properties — is an
ordinary openpyxl worksheet, saved by openpyxl. :meth:`Book.save` then puts each sheet's
rows into the saved file in place of the empty ``<sheetData>`` openpyxl wrote.

Cell styles are openpyxl ``StyleArray``\\ s (as tuples), resolved from the named styles; merged
ranges get openpyxl's own border and protection treatment (``MergedCellRange.format``),
done on stand-in cell objects.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from copy import copy

from openpyxl.cell.cell import MergedCell
from openpyxl.compat.numbers import NUMERIC_TYPES
from openpyxl.styles.borders import Border
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel, to_ISO8601
from openpyxl.worksheet.cell_range import CellRange

Style = tuple  # a StyleArray as a tuple of ints

_ZERO: Style = tuple(StyleArray())
_EMPTY_DIMENSION = b'<dimension ref="A1:A1"/>'


def _escape_text(text: str) -> str:
    """Text content as lxml writes it into openpyxl's ASCII stream."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _escape_attr(text: str) -> str:
    text = _escape_text(text)
    for ch, ref in (('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;")):
        if ch in text:
            text = text.replace(ch, ref)
    return text


class Book:
    """An openpyxl workbook whose sheets are :class:`Grid`\\ s."""

    def __init__(self):
        from openpyxl import Workbook

        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.grids: list[Grid] = []
        self._named: dict[str, Style] = {}
        self._variants: dict[tuple, Style] = {}
        self._ids: dict[Style, int] = {}
        self._scratch_ws = None

    def create_sheet(self, title: str) -> Grid:
        grid = Grid(self, self.wb.create_sheet(title))
        self.grids.append(grid)
        return grid

    # --- styles ------------------------------------------------------------------------

    def _obj(self, style: Style, ws=None) -> MergedCell:
        """A stand-in styleable object (no value, not in any sheet) with ``style``."""
        obj = MergedCell(ws if ws is not None else self.wb.worksheets[0])
        obj._style = StyleArray(style)
        return obj

    def named(self, name: str) -> Style:
        """The style array of the named style ``name`` (as ``cell.style = name`` sets)."""
        st = self._named.get(name)
        if st is None:
            obj = self._obj(_ZERO)
            obj.style = name
            st = self._named[name] = tuple(obj._style)
        return st

    def variant(self, style: Style, **attrs) -> Style:
        """``style`` with some attributes set (``alignment=…``, ``quotePrefix=True``)."""
        key = (style, tuple(sorted(attrs.items(), key=lambda kv: kv[0])))
        st = self._variants.get(key)
        if st is None:
            obj = self._obj(style)
            for k, v in attrs.items():
                setattr(obj, k, v)
            st = self._variants[key] = tuple(obj._style)
        return st

    def style_id(self, style: Style) -> int:
        """The cellXfs index of ``style``, given in order of first use as openpyxl does."""
        sid = self._ids.get(style)
        if sid is None:
            sid = self._ids[style] = self._obj(style).style_id
        return sid

    # --- saving ------------------------------------------------------------------------

    def save(self, path) -> None:
        """Save with openpyxl, then rewrite the file with each sheet's rows put into its
        worksheet part (openpyxl's file is small: its sheets have no cells)."""
        for grid in self.grids:
            grid.flush()
        self.wb.save(path)
        with open(path, "rb") as f:
            buf = io.BytesIO(f.read())
        parts = {grid.ws.path.lstrip("/"): grid for grid in self.grids}
        with (
            zipfile.ZipFile(buf) as src,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst,
        ):
            for info in src.infolist():
                data = src.read(info.filename)
                grid = parts.get(info.filename)
                if grid is not None:
                    data = grid.splice(data)
                dst.writestr(info, data)


class Grid:
    """The cells of one sheet; ``ws`` is its openpyxl worksheet (for everything but cells)."""

    def __init__(self, book: Book, ws):
        self.book = book
        self.ws = ws
        self.rows: dict[int, dict[int, tuple[object, Style]]] = {}
        self._xml: bytes | None = None

    def set(self, row: int, col: int, value, style: Style) -> None:
        """Store a cell: ``value`` already as the cell holds it (text cleaned, a date)."""
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
        cells[col] = (value, style)

    def get(self, row: int, col: int) -> tuple[object, Style] | None:
        cells = self.rows.get(row)
        return cells.get(col) if cells else None

    def restyle(self, row: int, col: int, **attrs) -> None:
        """As ``ws.cell(row, col).alignment = …``: change some style attributes of a cell."""
        value, style = self.get(row, col) or (None, _ZERO)
        self.set(row, col, value, self.book.variant(style, **attrs))

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """``ws.merge_cells``: the covered cells become empty, and those on the range's edges
        carry the top-left cell's border there (openpyxl's MergedCellRange, step by step)."""
        cr = CellRange(min_col=first_col, min_row=first_row, max_col=last_col, max_row=last_row)
        self.ws.merged_cells.add(cr)
        book, ws = self.book, self.ws
        start_coord = (first_row, first_col)
        value, style = self.get(*start_coord) or (None, _ZERO)
        start = book._obj(style, ws)
        end = self.get(last_row, last_col)
        if end is not None:
            end_border = book._obj(end[1], ws).border
            start.border += Border(right=end_border.right, bottom=end_border.bottom)
        objs = {start_coord: start}
        for coord in cr.cells:
            if coord != start_coord:
                objs[coord] = MergedCell(ws, *coord)
        for name in ("top", "left", "right", "bottom"):
            side = getattr(start.border, name)
            if side and side.style is None:
                continue
            border = Border(**{name: side})
            for coord in getattr(cr, name):
                objs[coord].border += border
        protection = copy(start.protection)
        for coord in cr.cells:
            objs[coord].protection = protection
        for (r, c), obj in objs.items():
            self.set(r, c, value if (r, c) == start_coord else None, tuple(obj._style))

    # --- writing -------------------------------------------------------------------------

    def dimension(self) -> str:
        """``Worksheet.calculate_dimension`` over the stored cells."""
        if not self.rows or not any(self.rows.values()):
            return "A1:A1"
        rows = [r for r, cells in self.rows.items() if cells]
        cols = [c for cells in self.rows.values() for c in cells]
        return (
            f"{get_column_letter(min(cols))}{min(rows)}:{get_column_letter(max(cols))}{max(rows)}"
        )

    def flush(self) -> None:
        """Serialise the rows (once; style ids are given here, in openpyxl's order)."""
        if self._xml is None:
            self._xml = self._sheet_data()

    def _sheet_data(self) -> bytes:
        book = self.book
        wb = book.wb
        epoch = wb.epoch
        iso_dates = wb.iso_dates
        ids = book._ids
        dims = self.ws.row_dimensions
        letters: dict[int, str] = {}
        out: list[str] = ["<sheetData>"]
        append = out.append
        for r in sorted(self.rows.keys() | dims.keys()):
            attrs = {"r": f"{r}"}
            attrs.update(dims.get(r, {}))
            append("<row" + "".join(f' {k}="{_escape_attr(v)}"' for k, v in attrs.items()) + ">")
            cells = self.rows.get(r)
            if cells:
                for c in sorted(cells):
                    value, style = cells[c]
                    styled = style != _ZERO
                    if value is None and not styled:
                        continue
                    letter = letters.get(c)
                    if letter is None:
                        letter = letters[c] = get_column_letter(c)
                    if styled:
                        sid = ids.get(style)
                        if sid is None:
                            sid = book.style_id(style)
                        head = f'<c r="{letter}{r}" s="{sid}"'
                    else:
                        head = f'<c r="{letter}{r}"'
                    append(_cell(head, value, epoch, iso_dates))
            append("</row>")
        append("</sheetData>")
        return "".join(out).encode("ascii", "xmlcharrefreplace")

    def splice(self, xml: bytes) -> bytes:
        """Our dimension and rows in place of those in openpyxl's (cell-less) sheet XML."""
        self.flush()
        assert self._xml is not None
        start = xml.index(b"<sheetData")
        close = xml.find(b"</sheetData>", start)
        end = close + len(b"</sheetData>") if close >= 0 else xml.index(b"/>", start) + 2
        head = xml[:start]
        if head.count(_EMPTY_DIMENSION) != 1:
            raise AssertionError("unexpected worksheet XML from openpyxl")
        head = head.replace(_EMPTY_DIMENSION, f'<dimension ref="{self.dimension()}"/>'.encode())
        return head + self._xml + xml[end:]


def _cell(head: str, value, epoch, iso_dates) -> str:
    """One ``<c>`` element as openpyxl's lxml cell writer makes it (head: ``<c r=… s=…``)."""
    if isinstance(value, str):
        if value == "":
            return head + ' t="inlineStr"></c>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'{head} t="inlineStr"><is><t{space}>{_escape_text(value)}</t></is></c>'
    if value is None:
        return head + ' t="n"></c>'
    if isinstance(value, bool):
        return f'{head} t="b"><v>{value:d}</v></c>'
    if isinstance(value, NUMERIC_TYPES):
        return f'{head} t="n"><v>{_number(value)}</v></c>'
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            raise TypeError("Excel does not support timezones in datetimes.")
        if iso_dates and not isinstance(value, dt.timedelta):
            return f'{head} t="d"><v>{_escape_text(to_ISO8601(value))}</v></c>'
        return f'{head} t="n"><v>{_number(to_excel(value, epoch))}</v></c>'
    raise ValueError(f"Cannot convert {value!r} to Excel")


def _number(value) -> str:
    """``safe_string``: NaN and infinities are written empty, the rest as ``%.16g``."""
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return ""
    return f"{number:.16g}"
