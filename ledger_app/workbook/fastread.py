"""A fast reader of cell values for the committee view, which reads dozens of workbooks.

``read_values(path, wanted)`` gives the same :class:`~.reader.WorkbookData` as
:func:`~.reader.read_workbook` (openpyxl, read-only, data_only) — the same rows, blank rows
as ``()``, the same Python values (text, int/float, bool, datetime for date-formatted
numbers, the error text of an error cell, the cached value of a formula) — about four times
faster: it parses the sheets' XML with lxml in C instead of building openpyxl's objects for
every cell. A file it is not sure of (a DOCTYPE, a date system it does not know, anything
unusual) is handed to ``read_workbook`` instead, so the values are always openpyxl's;
tests/test_committee.py compares the two on every workbook the tests make.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from .reader import MAX_ROWS, NO_VALUE, WorkbookData, _is_blank, check_archive, read_workbook

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAX_PART = 200_000_000  # bytes of one uncompressed XML part: more is not a branch's ledger
_COL = re.compile(r"[A-Z]+")


class _Unsure(Exception):
    """Something this reader does not handle the way openpyxl does: use openpyxl."""


def read_values(path: str | Path, wanted) -> WorkbookData:
    """The values of the sheets named in ``wanted``, as :func:`read_workbook` gives them."""
    p = Path(path)
    if p.is_file() and zipfile.is_zipfile(p):
        check_archive(p)  # a zip bomb costs a read of the archive, as for an import
    try:
        return _read(p, set(wanted))
    except _Unsure:
        return read_workbook(p, wanted)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, IndexError):
        return read_workbook(p, wanted)  # its Chinese message for a file that is not usable


def _xml(z: zipfile.ZipFile, name: str):
    from lxml import etree

    info = z.getinfo(name)
    if info.file_size > _MAX_PART:
        raise _Unsure()
    data = z.read(info)
    if b"<!DOCTYPE" in data[:2000] or b"<!ENTITY" in data:
        raise _Unsure()  # never expand entities here; openpyxl (defusedxml) refuses them
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in z.namelist():
        return {}
    out = {}
    for r in _xml(z, rels).iter(_PKG_REL + "Relationship"):
        target = r.get("Target", "")
        full = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[r.get("Id")] = full
    return out


_BUILTIN_DATES = set(range(14, 23)) | {45, 46, 47}
_DATE_CHARS = re.compile(r"[dmyhs]", re.I)


def _is_date_format(code: str) -> bool:
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format

    if is_timedelta_format(code):
        raise _Unsure()  # openpyxl gives a timedelta: leave those to it
    return is_date_format(code)


def _date_styles(z: zipfile.ZipFile, part: str | None) -> set[int]:
    """Style ids whose number format is a date (as openpyxl's ``_date_formats``)."""
    if part is None or part not in z.namelist():
        return set()
    root = _xml(z, part)
    custom = {}
    fmts = root.find(_NS + "numFmts")
    if fmts is not None:
        for f in fmts.iter(_NS + "numFmt"):
            custom[int(f.get("numFmtId"))] = f.get("formatCode", "")
    out = set()
    xfs = root.find(_NS + "cellXfs")
    if xfs is None:
        return out
    for i, xf in enumerate(xfs.iter(_NS + "xf")):
        fid = int(xf.get("numFmtId", 0))
        if fid in custom:
            if _is_date_format(custom[fid]):
                out.add(i)
        elif fid in _BUILTIN_DATES:
            out.add(i)
    return out


def _text(si) -> str:
    """A shared or inline string: its <t>, or its runs' <t>s (not the phonetic guide)."""
    t = si.find(_NS + "t")
    if t is not None:
        return t.text or ""
    return "".join((r.findtext(_NS + "t") or "") for r in si.iter(_NS + "r"))


def _read(p: Path, wanted: set[str]) -> WorkbookData:
    from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

    with zipfile.ZipFile(p) as z:
        names = set(z.namelist())
        wb_part = "xl/workbook.xml"
        if wb_part not in names:
            raise _Unsure()
        book = _xml(z, wb_part)
        pr = book.find(_NS + "workbookPr")
        if pr is not None and pr.get("date1904") in ("1", "true"):
            raise _Unsure()
        rels = _rels(z, wb_part)
        sheets = [(s.get("name"), rels.get(s.get(_REL))) for s in book.iter(_NS + "sheet")]
        data = WorkbookData(p, [name for name, _ in sheets])
        by_type = {}
        for target in rels.values():
            by_type[posixpath.basename(target)] = target
        strings: list[str] = []
        ss = by_type.get("sharedStrings.xml")
        if ss and ss in names:
            strings = [_text(si) for si in _xml(z, ss).iter(_NS + "si")]
        dates = _date_styles(z, by_type.get("styles.xml"))
        for name, part in sheets:
            if name is None or name.strip() not in wanted:
                continue
            if part is None or part not in names:
                raise _Unsure()
            data.rows[name] = _sheet_rows(
                z, part, name, strings, dates, from_excel, CALENDAR_WINDOWS_1900
            )
        return data


_COLUMNS: dict[str, int] = {}


def _column(ref: str) -> int:
    """``"AB12"`` → 28."""
    letters = ref.rstrip("0123456789")
    n = _COLUMNS.get(letters)
    if n is None:
        if not letters or _COL.fullmatch(letters) is None:
            raise _Unsure()
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        _COLUMNS[letters] = n
    return n


def _number(text: str):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _sheet_rows(z, part, title, strings, dates, from_excel, epoch) -> list[tuple]:
    from ..errors import WorkbookError

    root = _xml(z, part)
    sheet_data = root.find(_NS + "sheetData")
    rows: list[tuple] = []
    filled = 0
    expected = 1
    c_tag, v_tag, is_tag, f_tag = _NS + "c", _NS + "v", _NS + "is", _NS + "f"
    for row in [] if sheet_data is None else sheet_data.iterchildren(_NS + "row"):
        r = row.get("r")
        index = int(r) if r else expected
        while expected < index:  # rows missing from the file
            rows.append(())
            expected += 1
        expected = index + 1
        cells: dict[int, object] = {}
        col = 0
        for c in row.iterchildren(c_tag):
            attrib = c.attrib
            ref = attrib.get("r")
            col = _column(ref) if ref else col + 1
            t = attrib.get("t", "n")
            if t == "inlineStr":
                child = c.find(is_tag)
                value = _text(child) if child is not None else None
            else:
                value = c.findtext(v_tag) or None
                if value is None and c.find(f_tag) is not None:
                    value = NO_VALUE  # a formula saved without its value, as reader gives it
                elif value is not None:
                    if t == "n":
                        value = _number(value)
                        s = attrib.get("s")
                        if s and int(s) in dates:
                            try:
                                value = from_excel(value, epoch)
                            except (OverflowError, ValueError):
                                raise _Unsure() from None
                    elif t == "s":
                        value = strings[int(value)]
                    elif t == "b":
                        value = bool(int(value))
                    elif t == "d":
                        raise _Unsure()
            cells[col] = value
        values = tuple(cells.get(i) for i in range(1, max(cells) + 1)) if cells else ()
        if all(_is_blank(v) for v in values):
            rows.append(())
            continue
        filled += 1
        if filled > MAX_ROWS:
            raise WorkbookError(
                f"工作表“{title}”有超过 {MAX_ROWS} 行内容，不像是一个支部的台账，"
                "未导入。请检查是否选错了文件。"
            )
        rows.append(values)
    return rows
