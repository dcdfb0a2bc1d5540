"""workbook/grid.py writes the cells itself: its sheets must be what openpyxl would write.

The same cells, styles and merges go through the grid and through plain openpyxl (the way
the writer used to work); every part of the two files must be the same, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment

from ledger_app.workbook.grid import Book
from ledger_app.workbook.styles import FORMULA_START, clean_text, merge_title, put, register_styles

VALUES = [
    "普通文字",
    " lead",
    "trail ",
    "a & b < c > d \"q\" 'ap'",
    "line1\r\nline2\rline3\nend",
    "=SUM(A1)",
    "+1",
    "-2",
    "@x",
    "emoji 😀 𠀀",
    "",
    "tab\there",
    "ctrl\x01\x1fchars",
    "#N/A",
    "]]> cdata",
    "\u00a0nbsp\u3000",
    None,
    0,
    -7,
    2**60,
    12.5,
    1 / 3,
    1e-20,
    float("nan"),
    Decimal("1.10"),
    True,
    False,
    dt.date(2025, 3, 1),
    dt.datetime(2025, 3, 1, 12, 30),
]
KINDS = ["text", "center", "wrap", "idtext", "date", "money", "hours", "int", "percent"]


def _plain_put(ws, row, col, value, kind="text", total=False):
    """What styles.put did with an openpyxl worksheet, before grid.py."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    cell.style = f"tz_total_{kind}" if total else f"tz_{kind}"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def _plain_title(ws, row, first, last, text, style="tz_title"):
    cell = ws.cell(row=row, column=first)
    cell.value = clean_text(text)
    cell.data_type = "s"
    cell.style = style
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _fill(grid_or_ws, *, plain: bool) -> None:
    title = _plain_title if plain else merge_title
    title(grid_or_ws, 1, 1, 6, "标题 & <title>")
    ws = grid_or_ws if plain else grid_or_ws.ws
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[40].height = 24  # a row with a height and no cells
    # bordered headers merged across two rows and across two columns
    for col in (1, 2):
        if plain:
            _plain_put(ws, 2, col, "表头").style = "tz_header"
            _plain_put(ws, 3, col, None).style = "tz_header"
            ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        else:
            put(grid_or_ws, 2, col, "表头", style="tz_header")
            put(grid_or_ws, 3, col, None, style="tz_header")
            grid_or_ws.merge(2, col, 3, col)
    if plain:
        _plain_put(ws, 2, 3, "月").style = "tz_header"
        _plain_put(ws, 2, 4, None).style = "tz_header"
        ws.merge_cells(start_row=2, start_column=3, end_row=2, end_column=4)
    else:
        put(grid_or_ws, 2, 3, "月", style="tz_header")
        put(grid_or_ws, 2, 4, None, style="tz_header")
        grid_or_ws.merge(2, 3, 2, 4)
    row = 4
    for i, value in enumerate(VALUES):
        for j, kind in enumerate(KINDS):
            if isinstance(value, (dt.date, bool)) and kind != "date" and j % 2:
                continue
            args = (row, j + 1, value, kind, i % 3 == 0)
            _plain_put(ws, *args) if plain else put(grid_or_ws, *args)
        row += 1
    row += 2  # a gap
    title(grid_or_ws, row, 1, 9, "注：备注", "tz_note")
    if plain:
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="right", vertical="center")
    else:
        grid_or_ws.restyle(row, 1, alignment=Alignment(horizontal="right", vertical="center"))
    ws.freeze_panes = "C4"


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_grid_writes_what_openpyxl_writes(tmp_path):
    wb = Workbook()
    wb.remove(wb.active)
    register_styles(wb)
    for name in ("一", "二"):
        _fill(wb.create_sheet(name), plain=True)
    wb.save(tmp_path / "plain.xlsx")

    book = Book()
    register_styles(book.wb)
    for name in ("一", "二"):
        _fill(book.create_sheet(name), plain=False)
    book.save(tmp_path / "grid.xlsx")

    plain, grid = _parts(tmp_path / "plain.xlsx"), _parts(tmp_path / "grid.xlsx")
    assert list(plain) == list(grid)
    for name in plain:
        assert grid[name] == plain[name], name


def test_grid_refuses_what_excel_cannot_hold(tmp_path):
    book = Book()
    register_styles(book.wb)
    grid = book.create_sheet("一")
    put(grid, 1, 1, [1, 2])
    with pytest.raises(ValueError):
        grid.flush()
