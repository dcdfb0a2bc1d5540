"""How a sheet of an exported workbook prints on A4, worked out from the file alone (not
from the writer's code): the smallest text size on paper, and how headers wrap.

Column widths are in units of the workbook's default font's digit width; LibreOffice prints
a unit as 5.55 pt with Arial 10 (Liberation Sans), Excel as 5.25 pt + padding: the wider
one is used. A page fits the columns of one band (between manual column breaks, with the
repeated title columns) at the sheet's scale, or — fit to one page wide — the scale is
what makes all columns fit.
"""

from __future__ import annotations

from openpyxl.utils import column_index_from_string, get_column_letter

UNIT_PT = 5.55
A4 = (595.3, 841.9)


def widths(ws) -> list[float]:
    out = []
    for c in range(1, ws.max_column + 1):
        d = ws.column_dimensions.get(get_column_letter(c))
        out.append(d.width if d is not None and d.width else 8.43)
    return out


def bands(ws) -> list[list[int]]:
    """0-based columns printed on each page across (repeated title columns included)."""
    n = ws.max_column
    cuts = sorted(b.id for b in ws.col_breaks.brk)
    out, start = [], 0
    for cut in [*cuts, n]:
        if cut > start:
            out.append(list(range(start, cut)))
        start = cut
    repeat: list[int] = []
    if ws.print_title_cols:
        first, last = ws.print_title_cols.replace("$", "").split(":")
        repeat = list(range(column_index_from_string(first) - 1, column_index_from_string(last)))
    return [b if b[0] == 0 else repeat + b for b in out]


def scale(ws) -> float:
    """The print scale (1.0 = 100 %); asserts that each band fits its page."""
    ps = ws.page_setup
    page = A4[1] if ps.orientation == "landscape" else A4[0]
    usable = page - 72 * (ws.page_margins.left + ws.page_margins.right)
    w = widths(ws)
    needed = [sum(w[i] for i in b) * UNIT_PT for b in bands(ws)]
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight or 0) == 0, ws.title
        assert len(needed) == 1, f"{ws.title}: page breaks are ignored when fitting to a page"
        return min(1.0, usable / needed[0])
    s = (ps.scale or 100) / 100
    for n in needed:
        assert n * s <= usable + 1, f"{ws.title}: a band of {n:.0f} pt at {s:.0%} > {usable:.0f}"
    return s


def smallest_text(ws) -> float:
    """The smallest text size on paper (points): the cells' fonts and the page header and
    footer, at the print scale."""
    sizes = {
        cell.font.sz
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None and cell.font is not None and cell.font.sz
    }
    for part in (ws.oddHeader.left, ws.oddHeader.right, ws.oddFooter.center):
        if part.text:
            sizes.add(part.size or 11)
    return min(sizes) * scale(ws)


def bad_header_wraps(ws, header_row: int) -> list[str]:
    """Headers that would wrap with a line of one character or a bracket alone: text with
    Latin characters or brackets must fit on one line; plain CJK may wrap into lines of
    two characters or more (a unit of width holds half a CJK character)."""
    bad = []
    w = widths(ws)
    for cell in ws[header_row]:
        text = cell.value
        if not isinstance(text, str) or not text:
            continue
        width = w[cell.column - 1]
        for part in text.split("\n"):  # an explicit line break is the writer's choice
            wide = all(ord(ch) > 0x2E80 for ch in part)
            need = sum(2 if ord(ch) > 0x2E80 else 1.2 for ch in part)
            if not wide:
                if need > width - 0.5:
                    bad.append(f"{ws.title}!{cell.coordinate} {part!r} in {width}")
                continue
            per = int((width - 0.5) // 2)
            if len(part) > per:
                last = len(part) % per or per
                if per < 2 or last < 2:
                    bad.append(f"{ws.title}!{cell.coordinate} {part!r} in {width}")
    return bad


def cut_cells(ws, first_row: int = 3) -> list[str]:
    """Text cells that would print cut off: more wrapped lines than their row is tall for
    (14 pt a line), unless the cell shows a pointer to where the text is printed."""
    w = widths(ws)
    bad = []
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            v = cell.value
            if not isinstance(v, str) or (cell.row, cell.column) in merged:
                continue
            if "记录附页" in (cell.number_format or ""):
                continue
            width = w[cell.column - 1]
            per_line = max(int(width // 2), 1) * 2  # lines break anywhere between CJK
            need = 0
            for part in v.split("\n"):
                text = sum(2 if ord(ch) > 0x2E80 else 1.2 for ch in part)
                need += 1 if text <= width - 1 else max(1, -(-text // per_line))
            height = ws.row_dimensions[cell.row].height or 15
            if need > max(1, (height - 2) // 14):
                bad.append(f"{ws.title}!{cell.coordinate}: {need} lines in {height} pt")
    return bad
