"""Reading the contract workbook (docs/台账格式.md §1): generic, knows no sheet's meaning.

- :func:`open_workbook` opens a file safely (openpyxl read-only, which parses with
  defusedxml when it is installed) and reads each sheet's raw cell values as they are
  asked for (:func:`read_workbook`: the wanted sheets all at once);
  a file that is not a workbook, is damaged or carries an XML entity bomb becomes a
  :class:`WorkbookError` with a Chinese message, never a traceback. Before any parsing
  the archive is measured (:func:`check_archive`): a part or the whole that inflates
  beyond what a ledger needs, or a single cell longer than Excel allows, is refused — a
  zip bomb costs a read of the archive, not the machine. A formula cell whose value was
  never computed (saved by a program other than Excel) reads as :data:`NO_VALUE`.
- :func:`find_table` finds a sheet's header row by its column names (merged title rows
  above it are skipped), and yields the data rows below it, skipping blank rows and
  stopping at a 合计 row.
- ``parse_*`` read one cell each and raise ``ValueError`` with a Chinese message; the
  importer prefixes it with the cell reference (``党费!F7: 金额不是数字: "五十"``).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from ..domain import idcard
from ..domain.dates import parse_date
from ..domain.money import parse_yuan
from ..domain.names import split_names
from ..errors import WorkbookError

# More filled rows than this in one sheet is not a branch's ledger (a 300-member branch's
# year of volunteer service is about 4,000 rows).
MAX_ROWS = 200_000

# How far down a header row may sit below title rows.
HEADER_SEARCH_ROWS = 30

# What a workbook may inflate to. A 300-member branch's ten years (bench XL) are 27 MB in
# all, 13 MB in its largest sheet; beyond these it is not a ledger (or it is a zip bomb).
MAX_PART_BYTES = 64 << 20
MAX_TOTAL_BYTES = 160 << 20
# Excel holds at most 32,767 characters in a cell: ≤ 200 KB of XML (3 bytes a character,
# 6 for an escaped quote). A stretch of the XML this long without a tag is no cell of a
# workbook Excel can open.
MAX_TEXT_RUN = 256 << 10
EXCEL_MAX_ROWS = 1_048_576
QUOTE_MAX = 40  # characters of a cell's value quoted in a message


class _NoValue:
    """A formula cell saved without its computed value."""

    def __repr__(self) -> str:
        return "<公式没有计算结果>"


NO_VALUE = _NoValue()
NO_VALUE_MESSAGE = "公式没有计算结果，请在 Excel 或 WPS 中打开并保存后再导入"

# A row whose first non-empty cells say this ends the data (what follows is a footer).
_TOTAL_WORDS = {"合计", "总计", "小计", "合计:", "合计："}

_CHINESE_MONTHS = "一二三四五六七八九十"
# 党费's month columns as clerks write them: 1月, 01月, 1月份, 一月, 十二月份, 1月(元) …
_MONTH_HEADER = re.compile(
    r"(?P<n>0?[1-9]|1[0-2]|[一二三四五六七八九十]|十[一二])月份?(?:\(元\)|缴费|党费)?"
)


def _month_header(text: str) -> str | None:
    m = _MONTH_HEADER.fullmatch(text)
    if not m:
        return None
    n = m["n"]
    if n.isdigit():
        return f"{int(n)}月"
    if n.startswith("十"):
        return f"{10 + (_CHINESE_MONTHS.index(n[1]) + 1 if len(n) > 1 else 0)}月"
    return f"{_CHINESE_MONTHS.index(n) + 1}月"


# Header spellings seen in clerks' own spreadsheets → the contract's column name.
HEADER_ALIASES = {
    "身份证号": "公民身份号码",
    "身份证号码": "公民身份号码",
    "身份证": "公民身份号码",
    "时长": "时长(小时)",
    "服务时长": "时长(小时)",
    "服务时长(小时)": "时长(小时)",
    "月缴费基数": "月缴费基数(元)",
    "缴费基数": "月缴费基数(元)",
    "缴费基数(元)": "月缴费基数(元)",
    "约定月缴": "约定月缴(元)",
}


def normalize_header(value: object) -> str:
    """``"月缴费基数（元）"``, ``"月缴费基数\\n(元)"``, ``"应到人数 †"`` → the contract's
    spelling: white space removed, full-width brackets made half-width, markers dropped."""
    if value is None:
        return ""
    text = "".join(str(value).split())
    text = text.replace("（", "(").replace("）", ")").rstrip("†*＊")
    return HEADER_ALIASES.get(text) or _month_header(text) or text


def quote(value: object) -> str:
    """A cell's value as quoted in a message: cut to :data:`QUOTE_MAX` characters."""
    text = str(value)
    return text if len(text) <= QUOTE_MAX else text[:QUOTE_MAX] + "…"


def cell_ref(sheet: str, row: int, col: int) -> str:
    """``党费!F7`` for 1-based ``row`` and 0-based ``col``."""
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(col + 1)}{row}"


# --- opening ---------------------------------------------------------------------------


@dataclass
class WorkbookData:
    """The raw values of a workbook: every sheet's name, and the rows of those read."""

    path: Path
    sheet_names: list[str]
    rows: dict[str, list[tuple]] = field(default_factory=dict)


_NOT_A_WORKBOOK = "文件“{name}”不是有效的 Excel 工作簿（.xlsx），或已损坏：{why}"


def read_workbook(path: str | Path, wanted: Iterable[str]) -> WorkbookData:
    """Read the values of the sheets named in ``wanted`` (others only by name), all at
    once (:func:`open_workbook` reads one sheet's rows at a time).

    Every way a file can fail to be a usable workbook raises :class:`WorkbookError` with a
    Chinese message.
    """
    wanted = set(wanted)
    with open_workbook(path) as book:
        data = WorkbookData(book.path, list(book.sheet_names))
        for title in book.sheet_names:
            if title.strip() in wanted:
                data.rows[title] = list(book.rows(title))
        return data


class OpenWorkbook:
    """A workbook open for reading: its sheets' names, and each sheet's rows read as they
    are asked for (the whole workbook is never in memory). Close it (``with``)."""

    def __init__(self, path: Path, fh, wb):
        self.path = path
        self._fh = fh
        self._wb = wb
        self.sheet_names = [ws.title for ws in wb.worksheets]

    def rows(self, title: str) -> Iterator[tuple]:
        """The sheet's rows, one at a time: a blank row as ``()`` (its number kept).

        Opened with ``read_only=True`` (fast, low memory) and ``data_only=True`` (a formula
        cell gives the value Excel last computed)."""
        name = self.path.name
        try:
            ws = self._wb[title]
            filled = 0
            for count, r in enumerate(_values(self._wb, ws), 1):
                if count > EXCEL_MAX_ROWS:
                    raise WorkbookError(
                        f"工作表“{ws.title}”超过 Excel 的最大行数 {EXCEL_MAX_ROWS}，不是正常的"
                        "台账工作簿，未导入。"
                    )
                if all(_is_blank(v) for v in r):
                    yield ()  # formatted but empty: keep the numbering, not the cells
                    continue
                filled += 1
                if filled > MAX_ROWS:
                    raise WorkbookError(
                        f"工作表“{ws.title}”有超过 {MAX_ROWS} 行内容，不像是一个支部的台账，"
                        "未导入。请检查是否选错了文件。"
                    )
                yield tuple(r)
        except WorkbookError:
            raise
        except MemoryError as e:
            raise WorkbookError(_NOT_A_WORKBOOK.format(name=name, why="内容过大")) from e
        except Exception as e:  # a damaged file can fail anywhere inside openpyxl
            raise WorkbookError(_NOT_A_WORKBOOK.format(name=name, why=_explain(e))) from e

    def close(self) -> None:
        try:
            self._wb.close()
        finally:
            self._fh.close()

    def __enter__(self) -> OpenWorkbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_workbook(path: str | Path) -> OpenWorkbook:
    """Open the workbook at ``path`` for reading (openpyxl read-only, which parses with
    defusedxml when it is installed). Every way a file can fail to be a usable workbook
    raises :class:`WorkbookError` with a Chinese message."""
    p = Path(path)
    name = p.name
    if not p.exists():
        raise WorkbookError(f"找不到文件：{p}")
    if p.is_dir():
        raise WorkbookError(f"“{p}”是文件夹，不是工作簿文件")
    suffix = p.suffix.lower()
    if suffix == ".xls":
        raise WorkbookError(
            f"“{name}”是旧版 .xls 格式，本程序只能读取 .xlsx。"
            "请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再导入。"
        )
    if suffix not in (".xlsx", ".xlsm"):
        raise WorkbookError(f"“{name}”不是 Excel 工作簿（.xlsx）文件，无法导入")
    if not zipfile.is_zipfile(p):
        with open(p, "rb") as fh:
            ole = fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        if ole:  # an .xls renamed, or an .xlsx with an opening password (stored as OLE)
            raise WorkbookError(
                f"“{name}”设置了打开密码，或其实是旧版 .xls 文件。请在 Excel 或 WPS 中"
                "取消密码并“另存为”Excel 工作簿（.xlsx）后再导入。"
            )
        raise WorkbookError(_NOT_A_WORKBOOK.format(name=name, why="文件内容不是工作簿格式"))
    check_archive(p)

    try:
        import openpyxl
    except ImportError as e:  # pragma: no cover - a broken installation
        raise WorkbookError(f"缺少读取 Excel 的组件 openpyxl：{e}") from e

    try:
        # Opened here, not by openpyxl, so that the file is closed even when loading fails.
        fh = open(p, "rb")
    except OSError as e:
        raise WorkbookError(f"无法打开文件“{name}”：{e.strerror or e}") from e
    try:
        return OpenWorkbook(p, fh, openpyxl.load_workbook(fh, read_only=True, data_only=True))
    except MemoryError as e:
        fh.close()
        raise WorkbookError(_NOT_A_WORKBOOK.format(name=name, why="内容过大")) from e
    except Exception as e:  # a damaged file can fail anywhere inside openpyxl
        fh.close()
        raise WorkbookError(_NOT_A_WORKBOOK.format(name=name, why=_explain(e))) from e


_UNSAFE_XML = (
    "EntitiesForbidden",
    "DTDForbidden",
    "ExternalReferenceForbidden",
    "NotSupportedError",
)


def _values(wb, ws):
    """The rows of a read-only worksheet as value tuples, like ``iter_rows(values_only=True)``
    but from the rows really there (the <dimension> a file declares may be wrong or absurd)
    and with :data:`NO_VALUE` for a formula saved without its value (openpyxl's data-only
    reading gives None, which would read as a blank cell: a payment silently lost)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = NO_VALUE
            return cell

    with ws._get_source() as src:  # what ReadOnlyWorksheet._cells_by_row does
        parser = Parser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        expected = 1
        for number, cells in parser.parse():
            for _ in range(expected, number):
                yield ()  # a row the file leaves out
            expected = number + 1
            if not cells:
                yield ()
                continue
            values: list = [None] * max(c["column"] for c in cells)
            for c in cells:
                values[c["column"] - 1] = c["value"]
            yield tuple(values)


def check_archive(path: Path) -> None:
    """Refuse, before parsing, a workbook whose parts inflate beyond what a ledger needs
    (:data:`MAX_PART_BYTES` each, :data:`MAX_TOTAL_BYTES` in all) or that holds a stretch
    of text no Excel cell can hold (:data:`MAX_TEXT_RUN`): both are what a zip bomb looks
    like. Reads the archive once (inflating costs ~3 ms a megabyte); nothing is kept."""
    name = path.name
    too_big = _NOT_A_WORKBOOK.format(name=name, why="解压后内容过大，不像是一个支部的台账")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES or any(
                i.file_size > MAX_PART_BYTES for i in infos
            ):
                raise WorkbookError(too_big)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _longest_text_run(z, info):
                    raise WorkbookError(
                        _NOT_A_WORKBOOK.format(
                            name=name,
                            why=f"含有超过 Excel 上限（{MAX_CELL_TEXT} 个字符）的单元格内容",
                        )
                    )
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as e:
        raise WorkbookError(_NOT_A_WORKBOOK.format(name=name, why=_explain(e))) from e


MAX_CELL_TEXT = 32767


def _longest_text_run(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part holds :data:`MAX_TEXT_RUN` bytes or more without a ``<``: every
    stretch of twice that is found, none of less than it is (windows sampled, so that the
    scan costs no more than inflating)."""
    step = MAX_TEXT_RUN
    since_tag = 0  # bytes since the last "<", carried over chunk boundaries
    with z.open(info) as f:
        while chunk := f.read(4 * step):
            first = chunk.find(b"<")
            if first < 0:
                since_tag += len(chunk)
                if since_tag >= step:
                    return True
                continue
            if since_tag + first >= step:
                return True
            last = chunk.rfind(b"<")
            for at in range(first, last, step):
                if chunk.find(b"<", at + 1, at + 1 + step) < 0 and at + step < last:
                    return True
            since_tag = len(chunk) - last - 1
    return since_tag >= step


def _explain(e: BaseException) -> str:
    """A short Chinese reason for a failure inside the XML/zip layers."""
    cause: BaseException | None = e
    while cause is not None:  # openpyxl wraps the parser's exception in a ValueError
        if type(cause).__name__ in _UNSAFE_XML:
            return "文件中含有不安全的 XML 内容（实体定义），已拒绝读取"
        cause = cause.__cause__ or cause.__context__
    kind = type(e).__name__
    if isinstance(e, zipfile.BadZipFile):
        return "压缩包结构损坏"
    if isinstance(e, KeyError):
        return "缺少必需的组成部分"
    if kind in ("XMLSyntaxError", "ParseError"):
        return "XML 内容损坏"
    return f"内容无法识别（{kind}）"


# --- tables ------------------------------------------------------------------------------


@dataclass
class Row:
    """One data row: its 1-based row number and raw values."""

    table: Table
    number: int
    values: tuple

    def has(self, column: str) -> bool:
        return column in self.table.columns

    def raw(self, column: str) -> object:
        """The cell's value, or None for a blank cell or a column the sheet lacks."""
        idx = self.table.columns.get(column)
        if idx is None or idx >= len(self.values):
            return None
        v = self.values[idx]
        if isinstance(v, str) and not v.strip():
            return None
        return v

    def text(self, column: str) -> str | None:
        return parse_text(self.raw(column))

    def ref(self, column: str) -> str:
        """``sheet!F7`` of this row's cell in ``column`` (the first cell if it is absent)."""
        idx = self.table.columns.get(column, 0)
        return cell_ref(self.table.sheet, self.number, idx)


@dataclass
class Table:
    """A sheet's header (column name → 0-based index) and its data rows (read as they are
    iterated, once)."""

    sheet: str
    header_row: int  # 1-based
    columns: dict[str, int]
    rows: Iterable[Row] = field(default_factory=list)
    first_col: int = 0  # 0-based column of the header row's first non-empty cell
    reported: set[str] = field(default_factory=set)  # cells already in the errors

    def header_ref(self) -> str:
        return cell_ref(self.sheet, self.header_row, self.first_col)


def _is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _is_total_row(values: tuple) -> bool:
    for v in values:
        if _is_blank(v):
            continue
        return "".join(str(v).split()) in _TOTAL_WORDS
    return False


def find_table(
    sheet: str,
    rows: Iterable[tuple],
    known: Iterable[str],
    required: Iterable[str],
    errors: list[str],
) -> Table | None:
    """Find the header row (the row naming most of the ``known`` columns, within the
    first rows); the table's data rows are those below it, read as they are iterated.

    Data rows are those with a value in at least one known column (a row with only a
    序号 is blank); a 合计 row ends the data. A missing required column is an error
    appended to ``errors``; None is returned when the sheet cannot be read as a table.
    A sheet with no content at all gives None without an error.
    """
    known = list(known)
    required = list(required)
    known_set = set(known)
    rest = iter(rows)
    head = list(islice(rest, HEADER_SEARCH_ROWS))
    best_row, best_hits = -1, 0
    for i, values in enumerate(head):
        hits = len({normalize_header(v) for v in values} & known_set)
        if hits > best_hits:
            best_row, best_hits = i, hits
    if best_row < 0:
        if any(not _is_blank(v) for r in chain(head, rest) for v in r):
            errors.append(f"{sheet}!A1: 找不到表头行（应有列：{'、'.join(required or known[:3])}）")
        return None

    columns: dict[str, int] = {}
    twice: list[tuple[int, str]] = []
    for idx, v in enumerate(head[best_row]):
        name = normalize_header(v)
        if name in known_set:
            if name in columns:
                twice.append((idx, name))
            else:
                columns[name] = idx
    first = next((i for i, v in enumerate(head[best_row]) if not _is_blank(v)), 0)
    table = Table(sheet, best_row + 1, columns, first_col=first)
    for idx, name in twice:  # the second would be silently ignored: say so
        from openpyxl.utils import get_column_letter

        errors.append(
            f"{cell_ref(sheet, best_row + 1, idx)}: 列“{quote(head[best_row][idx])}”与 "
            f"{get_column_letter(columns[name] + 1)} 列同为“{name}”，请删除或改名其中一列"
        )
    missing = [c for c in required if c not in columns]
    for c in missing:
        errors.append(f"{table.header_ref()}: 缺少必需的列“{c}”")
    if missing:
        return None
    table.rows = _data_rows(table, chain(head[best_row + 1 :], rest), best_row + 2, errors)
    return table


def _data_rows(
    table: Table, rows: Iterable[tuple], number: int, errors: list[str]
) -> Iterator[Row]:
    """The data rows of ``rows`` (the first is row ``number``), up to a 合计 row; a formula
    without its value in a column that is read is an error appended to ``errors``."""
    indices = sorted(table.columns.values())
    for i, values in enumerate(rows, number):
        if _is_total_row(values):
            break
        if all(_is_blank(values[j]) for j in indices if j < len(values)):
            continue
        if any(v is NO_VALUE for v in values):
            values = _formula_errors(table, i, values, indices, errors)
        yield Row(table, i, values)


def _formula_errors(
    table: Table, number: int, values: tuple, indices: list[int], errors: list[str]
) -> tuple:
    """A formula without its value in a column that is read is an error naming the cell
    (it would read as blank: a payment, a name silently lost); the cell then reads as
    blank, and no second message is given for it (``table.reported``)."""
    out = list(values)
    for j in indices:
        if j < len(out) and out[j] is NO_VALUE:
            ref = cell_ref(table.sheet, number, j)
            errors.append(f"{ref}: {NO_VALUE_MESSAGE}")
            table.reported.add(ref)
            out[j] = None
    return tuple(out)


# --- cells -------------------------------------------------------------------------------


def parse_text(value: object) -> str | None:
    """Trimmed text; a whole number stored as a number reads without ``.0``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\u3000", " ").strip()
    return text or None


# Excel serial numbers of 1921-01-01 .. 2200-12-31: a date cell that lost its format.
_SERIAL_MIN, _SERIAL_MAX = 7672, 109939


def parse_cell_date(value: object) -> dt.date:
    """A date from a real Excel date, a text ``2025-03-07`` / ``2025/3/7`` /
    ``2025年3月7日``, or a serial number whose date format was lost."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            from openpyxl.utils.datetime import from_excel

            d = from_excel(value)
            return d.date() if isinstance(d, dt.datetime) else d
        raise ValueError(f'无法识别的日期: "{parse_text(value)}"（应如 2025-03-07）')
    if isinstance(value, dt.time):
        raise ValueError(f'无法识别的日期: "{value}"（应如 2025-03-07）')
    return parse_date(value)


def parse_amount(value: object) -> int:
    """An amount in 元 with at most 2 decimals → 分 (not negative)."""
    fen = parse_yuan(value)
    if fen < 0:
        raise ValueError(f'金额不能为负数: "{parse_text(value)}"')
    return fen


def parse_id_number(value: object) -> str:
    """公民身份号码: must be a text cell with 18 characters and a valid check digit."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(
            "公民身份号码被存成了数字，末几位可能已丢失（Excel 只保留15位有效数字）。"
            "请把该列设为“文本”格式后重新录入号码"
        )
    text = parse_text(value) or ""
    problem = idcard.validate(text)
    if problem:
        raise ValueError(f'{problem}: "{text}"')
    return idcard.normalize(text)


def parse_year(value: object) -> int:
    """年度: ``2025``, ``"2025"``, ``"2025年"``."""
    text = parse_text(value) or ""
    m = re.fullmatch(r"(\d{4})\s*年?(度)?", text)
    if not m:
        raise ValueError(f'年度应为四位数字: "{text}"')
    year = int(m.group(1))
    if not 1921 <= year <= 2200:
        raise ValueError(f'年度超出范围: "{text}"')
    return year


def parse_names(value: object) -> list[tuple[str, str | None]]:
    """A name list (``张三、李四（病假）``) as ``(name, reason)`` pairs."""
    text = parse_text(value)
    return split_names(text) if text else []
