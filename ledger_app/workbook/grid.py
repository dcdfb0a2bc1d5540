"""Fast cell storage for the export: openpyxl for the workbook, our own ``<sheetData>``.

openpyxl makes a Python object per cell and writes it through lxml element by element: for
the 60 000 cells of a year's ledger that was most of the export's time. Here a sheet keeps
its cells as ``(value, style)`` pairs and serialises them itself, exactly as openpyxl would
(the same XML, byte for byte: tests/test_workbook_grid.py compares); everything else — styles,
merged ranges, widths, heights, freeze panes, page setup, print titles, properties — is an
ordinary openpyxl worksheet, saved by openpyxl. :meth:`Book.save` then puts each sheet's
rows into the saved file in place of the empty ``<sheetData>`` openpyxl wrote.

Rows do not stay in memory: :meth:`Grid.commit` serialises the rows written so far into a
temporary file of the sheet (a writer commits each row once it is final), and the saved
file is assembled from those files. A 5,000-member branch's export thus holds one row at a
time, not every sheet's cells.

Cell styles are openpyxl ``StyleArray``\\ s (as tuples), resolved from the named styles; merged
ranges get openpyxl's own border and protection treatment (``MergedCellRange.format``),
done on stand-in cell objects.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
import zipfile
from copy import copy

from openpyxl.cell.cell import MergedCell
from openpyxl.compat import safe_string
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
        self._merges: dict[tuple, dict[tuple[int, int], Style]] = {}
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
        """Save with openpyxl (a small file: its sheets have no cells), then write the file
        with each sheet's rows streamed into its worksheet part."""
        for grid in self.grids:
            grid.flush()
        buf = io.BytesIO()
        self.wb.save(buf)
        parts = {grid.ws.path.lstrip("/"): grid for grid in self.grids}
        with (
            zipfile.ZipFile(buf) as src,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst,
        ):
            for info in src.infolist():
                data = src.read(info.filename)
                grid = parts.get(info.filename)
                if grid is None:
                    dst.writestr(info, data)
                    continue
                head, tail = grid.splice_parts(data)
                part = zipfile.ZipInfo(info.filename, info.date_time)
                part.compress_type = info.compress_type
                part.external_attr = info.external_attr
                with dst.open(part, "w", force_zip64=True) as out:
                    out.write(head)
                    grid.copy_rows(out)
                    out.write(tail)
        for grid in self.grids:
            grid.close()

    def close(self) -> None:
        """Drop the sheets' temporary files (after a cancelled or failed export)."""
        for grid in self.grids:
            grid.close()


class Grid:
    """The cells of one sheet; ``ws`` is its openpyxl worksheet (for everything but cells)."""

    def __init__(self, book: Book, ws):
        self.book = book
        self.ws = ws
        self.rows: dict[int, dict[int, tuple[object, Style]]] = {}  # not yet committed
        self.heights: dict[int, float] = {}  # row heights of rows not yet committed
        self._file = None  # the committed rows' XML (a temporary file)
        self._buffer: list[bytes] = []  # committed rows not yet in the file
        self._buffered = 0
        self._committed = 0  # rows up to this one are in the file
        self._flushed = False
        self._bounds: list[int] | None = None  # min row, max row, min col, max col

    def set(self, row: int, col: int, value, style: Style) -> None:
        """Store a cell: ``value`` already as the cell holds it (text cleaned, a date)."""
        if row <= self._committed:
            raise RuntimeError(f"{self.ws.title}: row {row} is already written")
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
        start_coord = (first_row, first_col)
        value, style = self.get(*start_coord) or (None, _ZERO)
        end = self.get(last_row, last_col)
        # the same styles over a range of the same shape merge alike: worked out once
        key = (
            style,
            end[1] if end is not None else None,
            last_row - first_row,
            last_col - first_col,
        )
        styles = self.book._merges.get(key)
        if styles is None:
            styles = self.book._merges[key] = self._merged_styles(cr, style, end)
        for (dr, dc), st in styles.items():
            r, c = first_row + dr, first_col + dc
            self.set(r, c, value if (dr, dc) == (0, 0) else None, st)

    def _merged_styles(self, cr: CellRange, style: Style, end) -> dict[tuple[int, int], Style]:
        book, ws = self.book, self.ws
        first_row, first_col = cr.min_row, cr.min_col
        start_coord = (first_row, first_col)
        start = book._obj(style, ws)
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
        return {(r - first_row, c - first_col): tuple(obj._style) for (r, c), obj in objs.items()}

    # --- writing -------------------------------------------------------------------------

    def set_height(self, row: int, height: float) -> None:
        """``ws.row_dimensions[row].height = height`` for a row not yet committed."""
        if row <= self._committed:
            raise RuntimeError(f"{self.ws.title}: row {row} is already written")
        self.heights[row] = height

    def dimension(self) -> str:
        """``Worksheet.calculate_dimension`` over the cells written."""
        self._measure(self.rows)
        if self._bounds is None:
            return "A1:A1"
        r0, r1, c0, c1 = self._bounds
        return f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"

    def _measure(self, rows: dict[int, dict[int, tuple[object, Style]]]) -> None:
        filled = [r for r, cells in rows.items() if cells]
        if not filled:
            return
        cols = [min(rows[r]) for r in filled] + [max(rows[r]) for r in filled]
        found = [min(filled), max(filled), min(cols), max(cols)]
        if self._bounds is not None:
            b = self._bounds
            found = [
                min(b[0], found[0]),
                max(b[1], found[1]),
                min(b[2], found[2]),
                max(b[3], found[3]),
            ]
        self._bounds = found

    def commit(self, through: int) -> None:
        """Serialise the rows up to ``through`` and forget them (they go to the sheet's
        file); they cannot change any more. Style ids are given here, in openpyxl's order."""
        committed = self._committed
        if through <= committed:
            return
        rows, heights = self.rows, self.heights
        dims = self.ws.row_dimensions
        if len(rows) == 1 and not heights.keys() - rows.keys() and len(dims) == 0:
            numbers = [r for r in rows if r <= through]  # the usual case: one new row
        else:
            numbers = sorted(
                r for r in rows.keys() | heights.keys() | dims.keys() if committed < r <= through
            )
        done = {r: rows.pop(r) for r in numbers if r in rows}
        self._measure(done)
        self._buffer.append(self._sheet_data(numbers, done))
        self._buffered += 1
        if self._buffered >= 200:
            self._spill()
        for r in numbers:
            heights.pop(r, None)
        self._committed = through

    def _spill(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        self._file.write(b"".join(self._buffer))
        self._buffer.clear()
        self._buffered = 0

    def flush(self) -> None:
        """Commit every row written (once the sheet is done)."""
        last = max(
            [self._committed, *self.rows.keys(), *self.heights.keys(), *self.ws.row_dimensions]
        )
        self.commit(last)
        self._spill()
        self._flushed = True

    def copy_rows(self, out) -> None:
        """Write ``<sheetData>`` with every committed row into ``out``."""
        out.write(b"<sheetData>")
        if self._file is not None:
            self._file.seek(0)
            shutil.copyfileobj(self._file, out, 1 << 20)
        out.write(b"</sheetData>")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _sheet_data(self, numbers: list[int], rows: dict) -> bytes:
        book = self.book
        wb = book.wb
        epoch = wb.epoch
        iso_dates = wb.iso_dates
        ids = book._ids
        dims = self.ws.row_dimensions
        heights = self.heights
        letters: dict[int, str] = {}
        out: list[str] = []
        append = out.append
        for r in numbers:
            attrs = {"r": f"{r}"}
            attrs.update(dims.get(r, {}))
            if r in heights:
                attrs.update(ht=safe_string(heights[r]), customHeight="1")
            append("<row" + "".join(f' {k}="{_escape_attr(v)}"' for k, v in attrs.items()) + ">")
            cells = rows.get(r)
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
        return "".join(out).encode("ascii", "xmlcharrefreplace")

    def splice_parts(self, xml: bytes) -> tuple[bytes, bytes]:
        """openpyxl's (cell-less) sheet XML before and after its ``<sheetData>``, with our
        dimension: the rows go between."""
        self.flush()
        start = xml.index(b"<sheetData")
        close = xml.find(b"</sheetData>", start)
        end = close + len(b"</sheetData>") if close >= 0 else xml.index(b"/>", start) + 2
        head = xml[:start]
        if head.count(_EMPTY_DIMENSION) != 1:
            raise AssertionError("unexpected worksheet XML from openpyxl")
        head = head.replace(_EMPTY_DIMENSION, f'<dimension ref="{self.dimension()}"/>'.encode())
        return head, xml[end:]


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
