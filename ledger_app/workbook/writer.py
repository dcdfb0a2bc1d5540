"""导出 Excel 台账: the contract workbook (docs/台账格式.md §1) plus the forms higher
committees ask for, rendered from a period model, print-ready, written atomically.

:func:`write_workbook` renders a :class:`~ledger_app.domain.period.PeriodModel`: every figure
it prints is the model's, under the glossary's words (docs/台账格式.md, 术语); nothing here
reads the ledger or works out a figure of its own. ``services.exports.export_xlsx`` loads
the model and calls it.

The contract sheets (支部信息 … 志愿服务) import back through ``services.importer``: a
merged title row sits above the header and a 合计 row below the data, both of which the
importer skips; computed (†) columns are ignored on import. With ``mask=True`` the
公民身份号码 and phone numbers are masked and the 出生日期 left out (it is the middle of the
ID number) — such a workbook is for sending out, and cannot be imported back (members are
matched by 公民身份号码). The 党费收缴公示 shows each member's 月缴费基数 (their income) only
with ``show_base=True``. The 汇总 sheet carries the 台账校验码 handed in (``chain_code``).

Printing: every sheet prints on A4 with its body text at 9 pt or more (see styles: widths
are counted in print units). A sheet too wide for one page is cut into bands of columns,
each a page wide, that repeat the first columns (序号 and 日期 or 姓名); a name list or text
too long for a row shows a pointer in its cell (the cell keeps the whole text, so the
workbook still imports back) and is printed in full on the 记录附页 sheet. Forms are paged
by hand: a section's header repeats where it goes on to a new page, and the 签收表 is cut
into pages of equal length.

Memory: the sheets are written one after another, and each row goes to disk as soon as it
is final (workbook.grid): an export holds the model, not every sheet's cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import idcard
from ..domain.compliance import HELD, MISSING, NOT_DUE, NOT_REQUIRED, TALK
from ..domain.dues import MONTH_COLLECTING, MONTH_NOT_OWED, MONTH_UNPAID
from ..domain.kinds import is_other_kind
from ..domain.minutes import format_votes
from ..domain.models import (
    BRANCH_INFO_KEYS,
    CATEGORIES,
    MEETING_KINDS,
    OTHER_KINDS,
    RECORD_KINDS,
    THEME_DAY,
    Record,
)
from ..domain.names import join_names
from ..errors import WorkbookError
from . import contract, followup

if TYPE_CHECKING:
    from ..domain.period import DuesTotals, PeriodModel, RecordView

Progress = Callable[[int, int], None]

# --- sheet names: the contract's (workbook.contract, docs/台账格式.md §1), then ours -------

SHEET_SUMMARY = "汇总"
# the forms beside the ledger (names are ours)
SHEET_DUES_NOTICE = "党费收缴公示"
SHEET_DUES_QUARTERLY = "党费季度汇总"
SHEET_LIFE_STATS = "组织生活统计"
SHEET_MEMBER_LIFE = "党员参加组织生活情况统计"
SHEET_DUES_SIGN = "党费签收表"
SHEET_VOLUNTEER_STATS = "志愿服务统计"
SHEET_APPENDIX = "记录附页"  # only when a name list or text was too long for its row

CONTRACT_SHEETS = contract.SHEETS
SHEETS = CONTRACT_SHEETS + (
    SHEET_SUMMARY,
    SHEET_LIFE_STATS,
    SHEET_MEMBER_LIFE,
    SHEET_DUES_NOTICE,
    SHEET_DUES_QUARTERLY,
    SHEET_DUES_SIGN,
    SHEET_VOLUNTEER_STATS,
    *followup.SHEETS,  # issue 18: 民主评议, 整改清单, 频次要求
)

CHAIN_CODE_LENGTH = 16  # as on the PDF's footer
CHAIN_CODE_NOTE = (
    "（导出时修改记录的校验码：用“设置 › 数据备份 › 检查数据库”或 verify --code 核对此后是否改动）"
)
SEQ = "序号"  # not a contract column: unknown to the importer, hence ignored
TOTAL = "合计"
MASK_NOTE = "（脱敏版：身份证号、出生日期、电话已隐去，不能导回）"
MASK_MESSAGE = (
    "注意：本文件已隐去公民身份号码、出生日期和联系电话，仅供报送或外发，"
    "不能再导入本程序（导入时按公民身份号码匹配党员）。"
)

# a name list or text that would take more lines than this in its row is printed on the
# 记录附页 instead (a row of 20 lines is most of a landscape page)
MAX_CELL_LINES = 20
LIST, TEXT = "list", "text"  # what a cell too long for its row holds (Col.long)
ROW_HEIGHT = 18.0  # a one-line row of a form (汇总 …), points
COMMIT_ROWS = 50  # rows of a table written to disk together


@dataclass
class Col:
    """One column: its header, the style kind of its cells, whether it is computed (†)."""

    header: str
    kind: str = "text"  # a styles._BODY key
    computed: bool = False
    width: float | None = None  # fixed width; None: fit to the content
    max_width: float = 30
    min_width: float = 0  # a wrapping column is narrowed no further to fit the page
    long: str | None = None  # LIST / TEXT: too long for its row → 记录附页


@dataclass(frozen=True)
class Look:
    """How a column of a contract sheet is presented: the style kind of its cells, its width."""

    kind: str = "text"  # a styles._BODY key
    width: float | None = None  # fixed width; None: fit to the content
    max_width: float = 30
    min_width: float = 0
    long: str | None = None


CENTER = Look("center", max_width=16)
DATE = Look("date")
ID_NUMBER = Look("idtext")


def _contract_columns(
    sheet: str,
    looks: Mapping[str, Look],
    computed: Mapping[str, Look] | None = None,
    seq: bool = True,
) -> list[Col]:
    """The exported columns of a contract sheet: 序号 (unless ``seq`` is false), the sheet's
    columns in contract order (``contract.COLUMNS``), each presented as ``looks`` says, then
    the ``computed`` columns in their order.

    ``looks`` must name exactly the contract's columns and ``computed`` must include the
    sheet's † columns (``contract.COMPUTED``) and no imported one: the writer's columns
    cannot drift from the contract (a mismatch fails when this module is imported).
    """
    headers = contract.COLUMNS[sheet]
    computed = computed or {}
    problems = [
        *(f"no look for column {h}" for h in headers if h not in looks),
        *(f"{h} is not a column of the contract" for h in looks if h not in headers),
        *(
            f"computed column {h} missing"
            for h in contract.COMPUTED.get(sheet, ())
            if h not in computed
        ),
        *(f"computed {h} is also an imported column" for h in computed if h in headers),
    ]
    if problems:
        raise RuntimeError(f"workbook.writer: {sheet}: {'; '.join(problems)}")

    def col(h: str, k: Look, is_computed: bool) -> Col:
        return Col(h, k.kind, is_computed, k.width, k.max_width, k.min_width, k.long)

    return [
        *([Col(SEQ, "int")] if seq else []),
        *(col(h, looks[h], False) for h in headers),
        *(col(h, k, True) for h, k in computed.items()),
    ]


BRANCH_COLUMNS = _contract_columns(
    contract.BRANCH,
    {"项目": Look("center", width=14), "内容": Look("text", max_width=60)},
    seq=False,
)

ROSTER_COLUMNS = _contract_columns(
    contract.ROSTER,
    {
        "姓名": CENTER,
        "性别": CENTER,
        "民族": CENTER,
        "出生日期": DATE,
        "公民身份号码": ID_NUMBER,
        "学历": CENTER,
        "党员类别": CENTER,
        "入党日期": DATE,
        "转正日期": DATE,
        "人员类别": CENTER,
        "党小组": CENTER,
        "党内职务": CENTER,
        "联系电话": Look("idtext"),
        "状态": CENTER,
        "状态变更日期": DATE,
        "转入日期": DATE,
        "党员领导干部": CENTER,
    },
)

# computed: how the record came into the ledger — 补记 (typed > 30 days after the event),
# 已修改 (changed more than a day after it was entered), 导入 (from an earlier workbook)
ENTRY_COLUMN = "登记情况"
# computed columns of the three record sheets: 应到人数, 实到人数 (the contract's † of
# 三会一课, shown for 主题党日 and 其他组织生活 too), 登记情况
_RECORD_COMPUTED = {
    **dict.fromkeys(contract.MEETING_COMPUTED, Look("int")),
    ENTRY_COLUMN: Look("center", max_width=12),
    "记录过简": Look("wrap", max_width=20, min_width=10),  # issue 18: why the minutes are too brief
}
# wrapping columns: as wide as their text wants up to ``max_width`` where the page has
# room, never narrower than ``min_width``
_NAMES = Look("wrap", max_width=60, min_width=18, long=LIST)  # 出席人员
_LEAVE = Look("wrap", max_width=40, min_width=12, long=LIST)  # 请假人员 (with reasons)
_ABSENT = Look("wrap", max_width=30, min_width=10, long=LIST)  # 缺席人员
_CONTENT = Look("wrap", max_width=100, min_width=24, long=TEXT)  # 主要内容, 活动内容
_TOPIC = Look("wrap", max_width=30, min_width=12)  # 议题, 主题
_PLACE = Look("wrap", max_width=16, min_width=8)

MEETING_COLUMNS = _contract_columns(
    contract.MEETINGS,
    {
        "日期": DATE,
        contract.TIME: CENTER,
        "会议类型": CENTER,
        "党小组": CENTER,
        "议题": _TOPIC,
        "地点": _PLACE,
        "主持人": CENTER,
        "记录人": CENTER,
        "授课人": CENTER,
        "出席人员": _NAMES,
        "请假人员": _LEAVE,
        "缺席人员": _ABSENT,
        "结合主题党日": Look("center"),
        "主要内容": _CONTENT,
        "决议事项": Look("wrap", max_width=30, min_width=12, long=TEXT),
        "列席人员": Look("wrap", max_width=18, min_width=10),
        "表决情况": Look("wrap", max_width=24, min_width=10),
    },
    _RECORD_COMPUTED,
)

THEME_COLUMNS = _contract_columns(
    contract.THEME,
    {
        "日期": DATE,
        contract.TIME: CENTER,
        "主题": _TOPIC,
        "活动形式": Look("wrap", max_width=14, min_width=8),
        "地点": _PLACE,
        "组织人": CENTER,
        "出席人员": _NAMES,
        "请假人员": _LEAVE,
        "缺席人员": _ABSENT,
        "活动内容": _CONTENT,
    },
    _RECORD_COMPUTED,
)

OTHER_COLUMNS = _contract_columns(
    contract.OTHER,
    {
        "日期": DATE,
        contract.TIME: CENTER,
        "类型": CENTER,
        "主题": _TOPIC,
        "地点": _PLACE,
        "主持人": CENTER,
        "记录人": CENTER,
        "出席人员": _NAMES,
        "请假人员": _LEAVE,
        "缺席人员": _ABSENT,
        "主要内容": _CONTENT,
        "列席人员": Look("wrap", max_width=18, min_width=10),
    },
    _RECORD_COMPUTED,
)

DUES_COLUMNS = _contract_columns(
    contract.DUES,
    {
        "年度": Look("int"),
        "姓名": CENTER,
        "公民身份号码": ID_NUMBER,
        "月缴费基数(元)": Look("money"),
        "约定月缴(元)": Look("money"),
        **dict.fromkeys(contract.MONTH_COLUMNS, Look("money")),
        "备注": Look("wrap", max_width=16, min_width=10),
    },
    {
        "人员类别": CENTER,
        "缴纳比例": CENTER,
        "月应缴(元)": Look("money"),
        "应缴合计": Look("money"),
        "实缴合计": Look("money"),
        "欠缴月数": Look("int"),
    },
)
_FIRST_MONTH = [c.header for c in DUES_COLUMNS].index(contract.MONTH_COLUMNS[0])

VOLUNTEER_COLUMNS = _contract_columns(
    contract.VOLUNTEER,
    {
        "日期": DATE,
        "姓名": CENTER,
        "服务项目": Look("wrap", max_width=24, min_width=12),
        "地点": Look("wrap", max_width=18, min_width=10),
        "时长(小时)": Look("hours"),
        "证明人": CENTER,
        "备注": Look("wrap", max_width=20, min_width=10),
    },
)


# --- what is rendered -------------------------------------------------------------------------


@dataclass
class Render:
    """The period model being rendered, and how (masked or not); collects, while the record
    sheets are written, the cells that go to the 记录附页."""

    model: PeriodModel
    mask: bool = False
    show_base: bool = False  # 党费收缴公示 shows 月缴费基数 (each member's income)
    chain_code: str = ""  # 台账校验码: the audit chain's head when exported (verify --code)
    # (sheet, 序号, record, headers of its cells too long for the row)
    appendix: list[tuple[str, int, RecordView, list[str]]] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.model.year

    @property
    def label(self) -> str:
        """``2025年`` or ``2025年第二季度``."""
        return self.model.label

    @property
    def branch_name(self) -> str:
        return self.model.branch_name

    @property
    def months(self) -> tuple[int, ...]:
        return self.model.months

    def title(self, what: str) -> str:
        return f"{self.branch_name}{self.label}{what}" + (MASK_NOTE if self.mask else "")

    def id_text(self, number: str | None) -> str | None:
        return idcard.mask(number) if self.mask else number

    def phone_text(self, phone: str | None) -> str | None:
        return idcard.mask_phone(phone) if self.mask else phone

    def birth_date(self, m):
        """Left out of a masked export: it is the middle of the ID number, digit for digit."""
        return None if self.mask else m.birth_date


def _yuan(fen: int | None):
    """分 → a number of 元 for a money cell (exact to the 分: x/100 prints as 2 decimals)."""
    if fen is None:
        return None
    return fen / 100


def _rate(permille: int | None):
    """A rate of the model (‰) → the fraction a percent cell shows."""
    return None if permille is None else permille / 1000


def _hours(half_hours: int) -> float:
    return half_hours / 2


def _attendance_lists(record: Record) -> tuple[str, ...]:
    """The record's name lists, in the order of the contract's attendance columns."""
    lists: dict[str, list[tuple[str, str | None]]] = {
        status: [] for _, status in contract.ATTENDANCE_COLUMNS
    }
    for a in record.attendance:
        lists.setdefault(a.status, []).append((a.name or "", a.reason))
    return tuple(join_names(lists[status]) for _, status in contract.ATTENDANCE_COLUMNS)


# --- a table sheet ------------------------------------------------------------------------------


@dataclass
class Line:
    """One row of a table: a value per column, whether it is a 合计 row, what it is about
    (for the 记录附页), and per-cell exceptions to the column's style."""

    values: Sequence
    total: bool = False
    ref: object = None
    fills: Mapping[int, object] | None = None  # column index → PatternFill
    kinds: Mapping[int, str] | None = None  # column index → style kind


class SheetWriter:
    """Writes one table sheet: merged title, header, rows (a 合计 row among them), notes,
    with column widths and print setup chosen for A4 at 9 pt or more.

    The rows come from ``lines()``, called twice: once to measure the columns, once to
    write (each row goes to disk at once). When the sheet is too wide for one page it is
    cut into bands of columns, each a page wide, and its first ``repeat`` columns print on
    every page.
    """

    def __init__(
        self,
        book,
        r: Render,
        name: str,
        columns: list[Col],
        title: str,
        *,
        landscape: bool | None,
        repeat: int = 1,
    ):
        """``landscape`` None: portrait, or landscape if a portrait page is too narrow."""
        self.grid = book.create_sheet(name)
        self.ws = self.grid.ws  # the openpyxl worksheet: dimensions, page setup
        self.r = r
        self.name = name
        self.columns = columns
        self.title = title
        self.landscape = landscape
        self.repeat = repeat
        self.widths: list[float] = []
        self.bands: list[list[int]] = []  # 0-based columns of each band of pages
        self.scale: int | None = None  # None: one page wide (fit to width)
        self.header_row = 0
        self.row = 1
        self.long: list[tuple[object, str]] = []  # (ref, header) of cells sent to 记录附页
        self.volume: list[float] = []
        self.count = 0
        self.fit: list[float] = []
        self._wraps: list[bool] | None = None
        self._lines: set[int] = set()  # columns with a text of several lines

    # -- sizing ---------------------------------------------------------------------------

    def _measure(self, lines: Iterable[Line]) -> list[float]:
        from .styles import value_width

        cols = self.columns
        fit = [0.0] * len(cols)
        self.volume = [0.0] * len(cols)  # how much text a column holds in all
        self.count = 0  # rows
        sized = [i for i, c in enumerate(cols) if c.width is None]
        short: dict[str, float] = {}
        for line in lines:
            values = line.values
            if len(values) != len(cols):  # values are positional: one per column
                raise RuntimeError(f"{self.name}: {len(values)} values for {len(cols)} columns")
            kinds = line.kinds
            self.count += 1
            for i in sized:
                v = values[i]
                if v is not None:
                    c = cols[i]
                    if kinds is None and v.__class__ is str and len(v) < 40:
                        w = short.get(v)  # names, places: measured once
                        if w is None:
                            w = short[v] = value_width(v, c.kind)
                    else:
                        w = value_width(v, kinds.get(i, c.kind) if kinds else c.kind)
                    if c.long and w > MAX_CELL_LINES * c.max_width:
                        # printed on the 记录附页: a line in its cell
                        self.volume[i] += c.min_width
                        self._lines.add(i)
                        continue
                    self.volume[i] += w
                    if w > fit[i]:
                        fit[i] = w
                    if v.__class__ is str and "\n" in v:
                        self._lines.add(i)
        self.fit = fit
        return fit

    def _layout(self, fit: list[float]) -> None:
        """Column widths, bands of columns and the print scale.

        Every column gets what its values need; a wrapping column starts at its floor
        (``min_width``). The columns go into as few bands as fit a page each at the
        smallest scale (one band: the sheet is one page wide), bands of even widths; the
        scale is the largest at which the widest band fits; then each band's wrapping
        columns widen into the room left on its page, up to what their text needs."""
        from .styles import (
            BODY_SIZE,
            MIN_SCALE,
            PAD,
            TITLE_SIZE,
            display_width,
            header_width,
            page_width,
        )

        cols = self.columns
        want, floor = [], []
        for i, c in enumerate(cols):
            if c.width is not None:
                data = c.width
            elif c.kind in ("wrap", "text", "center"):  # text wraps past its widest
                data = min(max(fit[i] + PAD, c.min_width), c.max_width)
            else:  # numbers and dates do not wrap: they must fit
                data = fit[i] + PAD
            w = header_width(c.header, data)
            want.append(w)
            narrow = c.kind == "wrap" and c.width is None and c.min_width
            floor.append(min(w, header_width(c.header, c.min_width)) if narrow else w)
        head = list(range(min(self.repeat, len(cols))))
        for landscape in (False, True) if self.landscape is None else (self.landscape,):
            # a portrait form turns landscape rather than be cut into bands
            full = page_width(landscape)
            self.widths, self.bands, scale = _plan(
                floor, want, self.volume, head, full, full / MIN_SCALE, max(self.count, 1)
            )
            self.landscape = landscape
            if len(self.bands) == 1:
                break
        self.scale = None if len(self.bands) == 1 else int(100 * scale)
        # the title (16 pt) is merged over each band: a narrow table is widened under it,
        # as far as its page allows (a title longer than that wraps)
        need = display_width(self.title) * TITLE_SIZE / BODY_SIZE + 2
        page = full / (self.scale / 100) if self.scale else full
        for b in self.bands:
            width = sum(self.widths[i] for i in (b if b[0] == 0 else head + b))
            short = min(need, max(page, width)) - width
            if short > 0:  # shared by the band's columns
                own = sum(self.widths[i] for i in b)
                for i in b:
                    self.widths[i] += short * self.widths[i] / own

    # -- writing --------------------------------------------------------------------------

    def write(self, lines: Callable[[], Iterable[Line]]) -> None:
        """Title, header and every row of ``lines()``. Notes may follow (:meth:`note`),
        then :meth:`finish`."""
        self._layout(self._measure(lines()))
        self._write_title()
        self._write_header()
        for line in lines():
            self._write_line(line)

    @property
    def first(self) -> int:
        """The first column (1-based) of a note across the first page: column A, or —
        printed in bands — the first column after those repeated on every page (a note
        merged over them would show its beginning again on every band's page)."""
        return 1 if len(self.bands) == 1 else self.repeat + 1

    def _write_title(self) -> None:
        from .styles import merge_title, title_height

        head = list(range(self.repeat))
        for b in self.bands:  # A1 holds the title, as the contract's workbooks have it
            merge_title(self.grid, self.row, b[0] + 1, b[-1] + 1, self.title)
        narrowest = min(
            sum(self.widths[i] for i in (b if b[0] == 0 else head + b)) for b in self.bands
        )
        self.grid.set_height(self.row, title_height(self.title, narrowest))
        self.row += 1

    def _write_header(self) -> None:
        from .styles import LINE_HEIGHT, put, wrapped_lines

        lines = 1
        for i, c in enumerate(self.columns):
            style = "tz_header_calc" if c.computed else "tz_header"
            put(self.grid, self.row, i + 1, c.header, style=style)
            lines = max(lines, wrapped_lines(c.header, self.widths[i]))
        self.grid.set_height(self.row, max(30, lines * LINE_HEIGHT + 6))
        self.header_row = self.row
        self.grid.commit(self.row)
        self.row += 1

    def _write_line(self, line: Line) -> None:
        from .styles import (
            LIST_ELSEWHERE,
            MAX_LINES,
            TEXT_ELSEWHERE,
            display_width,
            put,
            row_height,
            wrapped_lines,
        )

        grid, r, widths = self.grid, self.row, self.widths
        kinds, fills = line.kinds, line.fills
        if self._wraps is None:  # columns whose widest text is wider than the column
            self._wraps = [
                c.kind in ("wrap", "text", "center")
                and (self.fit[i] > widths[i] - 1 or i in self._lines)
                for i, c in enumerate(self.columns)
            ]
        wraps = self._wraps
        lines = 1
        for i, (c, v) in enumerate(zip(self.columns, line.values)):
            put(grid, r, i + 1, v, kinds.get(i, c.kind) if kinds else c.kind, line.total)
            if fills and i in fills:
                grid.restyle(r, i + 1, fill=fills[i])
            if not wraps[i] or v.__class__ is not str:
                continue
            if "\n" not in v and display_width(v) <= widths[i] - 1:
                continue
            n = wrapped_lines(v, widths[i])
            if n > MAX_CELL_LINES and c.long:
                fmt = LIST_ELSEWHERE if c.long == LIST else TEXT_ELSEWHERE
                grid.restyle(r, i + 1, number_format=fmt)
                self.long.append((line.ref, c.header))
                continue
            lines = max(lines, min(n, MAX_LINES))
        height = row_height(lines)
        if height:
            grid.set_height(r, height)
        if r % COMMIT_ROWS == 0:  # to disk a batch at a time: a few rows held, no more
            grid.commit(r)
        self.row += 1

    def note(self, text: str, *, lines: int = 1, gap: bool = True) -> int:
        """A note below the table, across the first page's columns; returns its row."""
        from openpyxl.styles import Alignment

        from .styles import LINE_HEIGHT, merge_title

        self.row += 1 if gap else 0
        last = self.bands[0][-1] + 1
        row = self.row
        merge_title(self.grid, row, self.first, last, text, "tz_note")
        self.grid.restyle(row, self.first, alignment=Alignment(wrap_text=True, vertical="top"))
        if lines > 1:
            self.grid.set_height(row, lines * LINE_HEIGHT + 4)
        self.row += 1
        return row

    def finish(self, *, freeze: str | None = None) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.pagebreak import Break

        from .styles import print_setup, set_widths

        r = self.r
        set_widths(self.ws, {i + 1: round(w, 1) for i, w in enumerate(self.widths)})
        self.ws.freeze_panes = freeze or f"A{self.header_row + 1}"
        title_cols = None
        if len(self.bands) > 1:
            for b in self.bands[:-1]:
                self.ws.col_breaks.append(Break(id=b[-1] + 1))
            title_cols = f"A:{get_column_letter(self.repeat)}"
        print_setup(
            self.ws,
            branch=r.branch_name,
            period_label=r.label,
            landscape=self.landscape,
            title_rows=f"1:{self.header_row}",
            note="脱敏版" if r.mask else "",
            scale=self.scale,
            title_cols=title_cols,
        )


def _plan(
    floor: list[float],
    want: list[float],
    volume: list[float],
    head: list[int],
    full: float,
    cap: float,
    rows: int,
) -> tuple[list[float], list[list[int]], float]:
    """(widths, bands, scale) of a table: as few bands of columns as fit a page each at
    the smallest scale (``cap`` wide at their floors), cut where the sheet prints on the
    fewest pages — the text of each band's columns shares out the room on its page, and a
    row is as tall as its most wrapped cell."""
    from itertools import combinations

    n = len(floor)
    head_width = sum(floor[i] for i in head)
    first = len(_bands(floor, len(head), head_width, cap))

    def shown(b: list[int]) -> list[int]:
        return b if b[0] == 0 else head + b

    best: tuple[tuple[float, float], list[float], list[list[int]], float] | None = None
    starts = range(max(len(head), 1), n)

    def cuts_of(k: int):
        """Ways to cut the columns into ``k`` bands (a few thousand at most)."""
        if k == 1:
            return [()]
        if k - 1 <= 3 and n <= 30:
            return combinations(starts, k - 1)
        return [tuple(b[0] for b in _bands(floor, len(head), head_width, cap)[1:])]

    # the fewest bands, or one more when wider text columns save more pages than it costs
    candidates = [c for k in (first, first + 1) if k <= n - len(head) for c in cuts_of(k)]
    for cuts in candidates:
        edges = [0, *cuts, n]
        bands = [list(range(a, b)) for a, b in zip(edges, edges[1:])]
        floors = [sum(floor[i] for i in shown(b)) for b in bands]
        if max(floors) > cap + 1e-9 and first > 1:
            continue
        scale = max(min(1.0, full / max(floors)), full / cap)
        widths = list(floor)
        for b, used in zip(bands, floors):
            _grow(widths, want, volume, [i for i in b if want[i] > floor[i]], full / scale - used)
        # lines all rows take, as the most wrapped column has them (a lower bound)
        lines = max(
            [rows] + [volume[i] / max(widths[i] - 1, 1) for i in range(n) if want[i] > floor[i]]
        )
        # pages, a band more counted as half as many pages again (a row read across three
        # sheets is worse than across two); then the most even bands
        extra = 1.5 if len(bands) > first else 1.0
        cost = (round(extra * len(bands) * lines / scale, 6), max(floors))
        if best is None or cost < best[0]:
            best = (cost, widths, bands, scale)
    if best is None:  # no even cut fits: pack greedily
        bands = _bands(floor, len(head), head_width, cap)
        widest = max(sum(floor[i] for i in shown(b)) for b in bands)
        return list(floor), bands, max(min(1.0, full / widest), full / cap)
    return best[1], best[2], best[3]


def _grow(widths: list[float], want: list[float], volume: list[float], cols, room: float):
    """Share ``room`` out among ``cols`` in proportion to the text each holds (the column
    with the most text sets the rows' heights), none beyond what it wants."""
    cols = [i for i in cols if volume[i] > 0] or list(cols)
    while room > 0.01 and cols:
        weight = sum(volume[i] for i in cols) or len(cols)
        given = 0.0
        for i in cols:
            add = min(want[i] - widths[i], room * (volume[i] or 1) / weight)
            widths[i] += add
            given += add
        room -= given
        cols = [i for i in cols if want[i] - widths[i] > 0.01]
        if given < 0.01:
            break


def _bands(widths: list[float], repeat: int, head: float, cap: float) -> list[list[int]]:
    """Columns packed in order into bands no wider than ``cap``; a band after the first
    also holds the ``repeat`` first columns (``head`` wide)."""
    bands: list[list[int]] = [[]]
    used = 0.0
    for i, w in enumerate(widths):
        if bands[-1] and used + w > cap and i >= repeat:
            bands.append([])
            used = head
        bands[-1].append(i)
        used += w
    return bands


# --- the contract sheets ------------------------------------------------------------------------


def _sheet_branch(book, r: Render) -> None:
    from ..domain.dates import parse_date

    w = SheetWriter(
        book, r, contract.BRANCH, BRANCH_COLUMNS, f"{r.branch_name}基本信息", landscape=False
    )
    info = r.model.branch.info

    def lines() -> Iterator[Line]:
        for key in BRANCH_INFO_KEYS:
            value = info.get(key) or None
            if key == "联系电话":
                value = r.phone_text(value)
            if key == "成立日期" and value:
                try:  # a date cell, as the contract reads it
                    yield Line([key, parse_date(value)], kinds={1: "date"})
                    continue
                except ValueError:
                    pass
            yield Line([key, value])

    w.write(lines)
    w.finish()


def _sheet_roster(book, r: Render) -> None:
    w = SheetWriter(
        book, r, contract.ROSTER, ROSTER_COLUMNS, r.title("党员名册"), landscape=True, repeat=2
    )

    def lines() -> Iterator[Line]:
        for i, m in enumerate(r.model.roster.in_period, 1):
            yield Line(
                [
                    i,
                    m.name,
                    m.gender,
                    m.ethnicity,
                    r.birth_date(m),
                    r.id_text(m.id_number),
                    m.education,
                    m.member_type,
                    m.join_date,
                    m.full_date,
                    m.category,
                    m.group_name,
                    m.post,
                    r.phone_text(m.phone),
                    m.status,
                    m.status_date if m.status != "在册" else None,
                    m.transfer_in_date,
                    "是" if m.leading_cadre else None,
                ]
            )

    w.write(lines)
    w.finish(freeze="C3")


def _record_sheet(book, r: Render, name: str, cols: list[Col], what: str, kinds, row_of) -> None:
    views = r.model.records_of(kinds)
    brief = r.model.brief_by_record  # issue 18: why the minutes are too brief
    w = SheetWriter(book, r, name, cols, r.title(what), landscape=True, repeat=2)

    def lines() -> Iterator[Line]:
        for n, v in enumerate(views, 1):
            s = v.summary
            yield Line(
                [
                    n,
                    *row_of(v.record, *_attendance_lists(v.record)),
                    s.expected_count,
                    s.present_count,
                    v.entry,
                    "；".join(brief.get(v.record.id, ())) or None,
                ],
                ref=(n, v),
            )

    w.write(lines)
    if w.long:
        found: dict[int, tuple[RecordView, list[str]]] = {}
        for (n, v), header in w.long:  # type: ignore[misc]
            found.setdefault(n, (v, []))[1].append(header)
        r.appendix += [(name, n, v, headers) for n, (v, headers) in found.items()]
    w.finish(freeze="C3")


def _sheet_meetings(book, r: Render) -> None:
    def row(rec: Record, present, leave, absent):
        return [
            rec.date,
            rec.time,
            rec.kind,
            rec.group_name,
            rec.topic,
            rec.place,
            rec.host,
            rec.recorder,
            rec.lecturer,
            present,
            leave,
            absent,
            "是" if rec.also_theme_day else None,
            rec.content,
            rec.decisions,
            rec.guests,
            format_votes(rec.votes) or None,
        ]

    _record_sheet(
        book, r, contract.MEETINGS, MEETING_COLUMNS, "三会一课登记台账", MEETING_KINDS, row
    )


def _sheet_theme(book, r: Render) -> None:
    def row(rec: Record, present, leave, absent):
        return [
            rec.date,
            rec.time,
            rec.topic,
            rec.form,
            rec.place,
            rec.organizer,
            present,
            leave,
            absent,
            rec.content,
        ]

    _record_sheet(book, r, contract.THEME, THEME_COLUMNS, "主题党日活动登记台账", (THEME_DAY,), row)


def _sheet_other(book, r: Render) -> None:
    def row(rec: Record, present, leave, absent):
        return [
            rec.date,
            rec.time,
            rec.kind,
            rec.topic,
            rec.place,
            rec.host,
            rec.recorder,
            present,
            leave,
            absent,
            rec.content,
            rec.guests,
        ]

    # the contract's three kinds, then 学习教育 and the branch's own kinds (issue 18)
    extra = (v.record.kind for v in r.model.records if is_other_kind(v.record.kind))
    kinds = OTHER_KINDS + tuple(k for k in dict.fromkeys(extra) if k not in OTHER_KINDS)
    _record_sheet(book, r, contract.OTHER, OTHER_COLUMNS, "组织生活登记台账", kinds, row)


def _month_fills() -> dict[str, object]:
    """The fill of a blank month cell of the 党费 sheet, by the dues rule's month state."""
    from .styles import COLLECTING_FILL, NOT_OWED_FILL, UNPAID_FILL

    return {
        MONTH_NOT_OWED: NOT_OWED_FILL,
        MONTH_UNPAID: UNPAID_FILL,
        MONTH_COLLECTING: COLLECTING_FILL,
    }


def _sheet_dues(book, r: Render) -> None:
    """党费: one row per 期内党员 for the year. The month columns show the period's months;
    应缴合计, 实缴合计 and 欠缴月数 are the year's (as ``dues --json``: the contract)."""
    dues = r.model.dues
    months = set(r.months)
    fill_of = _month_fills()
    w = SheetWriter(
        book, r, contract.DUES, DUES_COLUMNS, r.title("党费收缴台账"), landscape=True, repeat=3
    )

    def lines() -> Iterator[Line]:
        for i, line in enumerate(dues.lines, 1):
            md = line.md
            cells, fills = [], {}
            for m in range(1, 13):
                amount = md.paid_by_month.get(m, 0) if m in months else 0
                cells.append(_yuan(amount) if amount else None)
                if m in months and not amount:
                    fill = fill_of.get(md.month_state(m))
                    if fill is not None:
                        fills[_FIRST_MONTH + m - 1] = fill
            yield Line(
                [
                    i,
                    r.year,
                    line.member.name,
                    r.id_text(line.member.id_number),
                    _yuan(md.base_fen),
                    _yuan(line.fixed_fen),
                    *cells,
                    line.note,
                    line.category,
                    md.rate_text,
                    _yuan(md.monthly_due_fen),
                    _yuan(md.due_fen),
                    _yuan(md.paid_fen),
                    len(md.unpaid_months),
                ],
                fills=fills,
            )
        t = dues.total
        paid = dues.paid_by_month
        yield Line(
            [
                TOTAL,
                None,
                f"{t.members}人",
                None,
                None,
                None,
                *(_yuan(paid[m]) if m in months else None for m in range(1, 13)),
                None,
                None,
                None,
                None,
                _yuan(t.due_year),
                _yuan(t.paid_year),
                None,
            ],
            total=True,
        )

    w.write(lines)
    _dues_legend(w)
    if r.model.quarter is not None:
        w.note(
            f"注：各月只列{r.label}的缴费；应缴合计、实缴合计、欠缴月数是{r.year}年全年的数"
            "（与 dues 命令相同）。",
            gap=False,
            lines=2,
        )
    w.finish(freeze="D3")


_LEGEND = (
    (MONTH_NOT_OWED, "该月不在本支部（不需缴纳）"),
    (MONTH_UNPAID, "欠缴：该月已结束，应缴而未缴"),
    (MONTH_COLLECTING, "待缴：本月正在收缴，尚未缴纳"),
)


def _dues_legend(w: SheetWriter) -> None:
    """Under the 党费 table: what a blank month cell's fill means (the cell stays blank:
    blank is "no payment" on import)."""
    from .styles import merge_title, put

    fill_of = _month_fills()
    w.row += 1
    w.note("空白的月份单元格：", gap=False)
    first = w.first
    last = min(w.bands[0][-1] + 1, first + 7)
    for state, text in _LEGEND:
        put(w.grid, w.row, first, None, "center")
        w.grid.restyle(w.row, first, fill=fill_of[state])
        merge_title(w.grid, w.row, first + 1, last, text, "tz_note")
        w.row += 1


def _sheet_volunteer(book, r: Render) -> None:
    vol = r.model.volunteer
    w = SheetWriter(
        book,
        r,
        contract.VOLUNTEER,
        VOLUNTEER_COLUMNS,
        r.title("志愿服务登记台账"),
        landscape=None,
        repeat=2,
    )

    def lines() -> Iterator[Line]:
        for i, v in enumerate(vol.entries, 1):
            yield Line(
                [
                    i,
                    v.date,
                    v.member_name,
                    v.project,
                    v.place,
                    _hours(v.half_hours),
                    v.witness,
                    v.note,
                ]
            )
        yield Line(
            [
                TOTAL,
                None,
                f"{vol.people}人",
                f"{vol.count}次",
                None,
                _hours(vol.half_hours),
                None,
                None,
            ],
            total=True,
        )

    w.write(lines)
    w.finish()


# --- forms paged by hand ---------------------------------------------------------------------


@dataclass
class _Item:
    kind: str  # "section", "header", "row", "note"
    values: Sequence = ()
    kinds: Sequence[str] = ()
    total: bool = False
    lines: int = 1
    span: int | None = None  # a row's value at this column spans to the last column


class FormWriter:
    """A form of fixed columns (汇总, 记录附页), collected first and paged by hand: the
    columns are sized for what the form holds, a section's title and header never end a
    page, and a table that goes on to the next page repeats its header there."""

    def __init__(self, book, r: Render, name: str, title: str, ncols: int, *, landscape=False):
        self.book = book
        self.r = r
        self.name = name
        self.title = title
        self.ncols = ncols
        self.landscape = landscape
        self.items: list[_Item] = []
        self.widths: dict[int, float] = {}  # fixed widths (others fit)
        self.top: list[str] = []  # notes under the title, on every page

    def section(self, text: str) -> None:
        self.items.append(_Item("section", [text]))

    def header(self, names: Sequence[str]) -> None:
        self.items.append(_Item("header", list(names)))

    def line(
        self, values: Sequence, kinds: Sequence[str], total: bool = False, span: int | None = None
    ) -> None:
        """A row; with ``span``, the value of that column is a text across the rest."""
        self.items.append(_Item("row", list(values), list(kinds), total, span=span))

    def note(self, text: str, lines: int = 1) -> None:
        self.items.append(_Item("note", [text], lines=lines))

    def _fit(self) -> list[float]:
        from .styles import PAD, header_width, longest_line_width, page_width

        fit = [0.0] * self.ncols
        for it in self.items:
            if it.kind == "row":
                for i, v in enumerate(it.values[: it.span]):
                    fit[i] = max(fit[i], longest_line_width(v) + PAD)
            elif it.kind == "header":
                for i, v in enumerate(it.values):
                    if v:
                        lines = str(v).split("\n")
                        fit[i] = max(fit[i], *(header_width(p) for p in lines))
        widths = [self.widths.get(i, max(f, 6)) for i, f in enumerate(fit)]
        room = page_width(self.landscape) - sum(widths)
        if room > 0:  # the last column (remarks, notes) takes what is left of the page
            widths[-1] += room
        return widths

    def write(self) -> None:
        from openpyxl.styles import Alignment
        from openpyxl.worksheet.pagebreak import Break

        from .styles import (
            LINE_HEIGHT,
            MIN_SCALE,
            merge_title,
            page_height,
            page_width,
            print_setup,
            put,
            set_widths,
            title_height,
            wrapped_lines,
        )

        widths = self._fit()
        if not self.landscape and sum(widths) > page_width(False) / MIN_SCALE:
            self.landscape = True  # too wide for a portrait page at 9 pt
            widths = self._fit()
        full = page_width(self.landscape)
        scale = max(int(100 * min(1.0, full / sum(widths))), int(100 * MIN_SCALE))
        grid, ws, n = self.book.create_sheet(self.name), None, self.ncols
        ws = grid.ws
        merge_title(grid, 1, 1, n, self.title)
        title = title_height(self.title, sum(widths))
        grid.set_height(1, title)
        row = 2
        top = 0.0
        for text in self.top:
            merge_title(grid, row, 1, n, text, "tz_note")
            grid.restyle(row, 1, alignment=Alignment(wrap_text=True, vertical="center"))
            height = max(ROW_HEIGHT, wrapped_lines(text, sum(widths)) * LINE_HEIGHT + 4)
            grid.set_height(row, height)
            top += height
            row += 1
        title_rows = row - 1
        # the page: what is left under the repeated title rows, at the print scale, less
        # a margin for the applications' rounding of row heights
        room = page_height(self.landscape) * 100 / scale * 0.97 - title - top
        used = 0.0
        header: _Item | None = None
        grid.commit(row - 1)

        def height(it: _Item) -> float:
            if it.kind == "section":
                return ROW_HEIGHT + 6
            if it.kind == "header":
                return max(
                    ROW_HEIGHT, max(str(v).count("\n") + 1 for v in it.values) * LINE_HEIGHT + 4
                )
            lines = it.lines
            if it.kind == "note":
                lines = max(lines, wrapped_lines(it.values[0], sum(widths)))
            elif it.span is not None:
                lines = max(lines, wrapped_lines(it.values[it.span], sum(widths[it.span :])))
            return max(ROW_HEIGHT, lines * LINE_HEIGHT + 4)

        def put_item(it: _Item) -> None:
            nonlocal row, used
            h = height(it)
            if it.kind == "section":
                merge_title(grid, row, 1, n, it.values[0], "tz_section")
            elif it.kind == "header":
                for i, v in enumerate(it.values, 1):
                    put(grid, row, i, v, style="tz_header")
                start = 0
                for i, v in enumerate([*it.values, None]):  # "" spans from the left
                    if v != "":
                        if i - start > 1:
                            grid.merge(row, start + 1, row, i)
                        start = i
            elif it.kind == "note":
                merge_title(grid, row, 1, n, it.values[0], "tz_note")
                grid.restyle(row, 1, alignment=Alignment(wrap_text=True, vertical="top"))
            else:
                for i, (v, k) in enumerate(zip(it.values, it.kinds), 1):
                    put(grid, row, i, v, k, it.total)
                if it.span is not None and it.span + 1 < n:
                    grid.merge(row, it.span + 1, row, n)
            grid.set_height(row, h)
            grid.commit(row)
            row += 1
            used += h

        def new_page() -> None:
            nonlocal used
            ws.row_breaks.append(Break(id=row - 1))
            used = 0.0

        items = self.items
        for k, it in enumerate(items):
            h = height(it)
            if it.kind == "section":
                header = None
                # the section's title, its header and two rows go together
                block = sum(height(x) for x in items[k : k + 4])
                if used and used + block > room:
                    new_page()
                put_item(it)
                continue
            if it.kind == "header":
                header = it
            elif used + h > room:
                new_page()
                if header is not None and it.kind == "row":
                    put_item(header)
            put_item(it)
        set_widths(ws, {i + 1: round(w, 1) for i, w in enumerate(widths)})
        ws.freeze_panes = f"A{title_rows + 1}"
        r = self.r
        print_setup(
            ws,
            branch=r.branch_name,
            period_label=r.label,
            landscape=self.landscape,
            title_rows=f"1:{title_rows}",
            note="脱敏版" if r.mask else "",
            scale=scale,
        )


_STATUS_TEXT = {HELD: "已开展", MISSING: "未开展", NOT_DUE: "未到期", NOT_REQUIRED: "不要求"}


def _sheet_summary(book, r: Render) -> None:
    m = r.model
    f = FormWriter(book, r, SHEET_SUMMARY, r.title("党建工作台账汇总"), 7)
    f.widths = {0: 14}
    f.top.append(f"导出日期：{m.today.isoformat()}（未结束的周期不作判断，欠缴只计已结束的月份）")
    if r.chain_code:
        f.top.append(f"台账校验码 {r.chain_code[:CHAIN_CODE_LENGTH]}{CHAIN_CODE_NOTE}")
    if r.mask:
        f.top.append(MASK_MESSAGE)

    roster = m.roster
    f.section("一、党员人数")
    f.header(["项目", "人数", "说明", "", "", "", ""])
    text = ["center", "int", "text", "text", "text", "text", "text"]

    def count(label: str, n: int | None, note: str | None = None) -> None:
        f.line([label, n, note, *[None] * 4], text, span=2)

    count("在册党员", len(roster.on_roll), f"{roster.as_of.isoformat()}属于本支部的党员")
    count("其中正式党员", roster.formal)
    count("其中预备党员", roster.probationary)
    count("在册按人员类别", None, "、".join(f"{c} {n} 名" for c, n in roster.by_category) or "—")
    count(
        "期内党员",
        len(roster.in_period),
        f"{r.label}内属于过本支部的党员，含期内离开的（党费、出勤按此统计）",
    )
    count("期内转入、发展", len(roster.joined))
    count("期内转出等离开", len(roster.left))

    f.section("二、组织生活开展情况（应开展与已开展）")
    f.header(["项目", "党小组", "周期", "应开展\n(次)", "已开展\n(次)", "情况", "备注"])
    kinds = ["center", "center", "center", "int", "int", "center", "text"]
    comp = m.compliance
    for brow, cell in comp.cells:
        status = _STATUS_TEXT.get(cell.status, cell.status)
        if brow.item == TALK:  # coverage: people, not meetings
            note = f"应谈 {cell.required} 人，已谈 {cell.held} 人"
            f.line([TALK, None, cell.period.label, None, None, status, note], kinds)
            continue
        f.line(
            [brow.item, brow.group_name, cell.period.label, cell.required, cell.held, status, None],
            kinds,
        )
    rate = comp.rate_permille
    f.line(
        [
            TOTAL,
            None,
            f"应判断 {comp.judged} 项",
            None,
            None,
            f"达标 {comp.met} 项",
            f"完成率 {rate / 10:.1f}%" if rate is not None else "完成率 —",
        ],
        kinds,
        total=True,
    )
    f.note("谈心谈话按全年是否谈到每名在册党员算一项，计入应判断和达标。")

    f.section("三、参加组织生活情况")
    f.header(["类型", "次数", "应到人次", "实到人次", "请假人次", "缺席人次", "出席率"])
    kinds = ["center", "int", "int", "int", "int", "int", "percent"]
    att = m.attendance
    for kind, st in att.by_kind.items():
        f.line(
            [
                kind,
                st.records,
                st.expected,
                st.present,
                st.leave,
                st.absent,
                _rate(st.rate_permille),
            ],
            kinds,
        )
    t = att.total
    f.line(
        [TOTAL, t.records, t.expected, t.present, t.leave, t.absent, _rate(t.rate_permille)],
        kinds,
        total=True,
    )

    dues = m.dues
    through = (
        f"截至{dues.ended_through}月\n应缴(元)" if dues.ended_through else "已结束月份\n应缴(元)"
    )
    f.section("四、党费收缴情况")
    f.header(
        ["人员类别", "期内党员\n(人)", "本期应缴\n(元)", through, "实缴(元)", "欠缴(元)", "收缴率"]
    )
    kinds = ["center", "int", "money", "money", "money", "money", "percent"]

    def dues_line(label: str, t: DuesTotals, total: bool = False) -> None:
        f.line(
            [
                label,
                t.members,
                _yuan(t.due),
                _yuan(t.due_ended),
                _yuan(t.paid),
                _yuan(t.arrears),
                _rate(t.rate_permille),
            ],
            kinds,
            total,
        )

    for cat, t in dues.by_category:
        if t.members or cat in CATEGORIES:
            dues_line(cat, t)
    dues_line(TOTAL, dues.total, True)
    f.note(
        f"欠缴人数 {dues.total.in_arrears} 人（有已结束的月份分文未缴的党员）。"
        "本期应缴：本期各月应缴之和；收缴率：已结束月份的应缴中已缴的比例。",
        lines=2,
    )

    vol = m.volunteer
    f.section("五、志愿服务情况")
    f.header(["服务次数", "参加人数", "总时长\n(小时)", "人均时长\n(小时)", "说明", "", ""])
    avg = vol.average_hours
    f.line(
        [
            vol.count,
            vol.people,
            _hours(vol.half_hours),
            float(avg) if avg is not None else None,
            "人均时长＝总时长÷参加人数，保留一位小数",
            None,
            None,
        ],
        ["int", "int", "hours", "hours", "text", "text", "text"],
        span=4,
    )
    f.write()


def _sheet_life_stats(book, r: Render) -> None:
    m = r.model
    stats_kinds = RECORD_KINDS
    cols = [Col("月份", "center")] + [Col(k, "int") for k in stats_kinds]
    w = SheetWriter(
        book, r, SHEET_LIFE_STATS, cols, r.title("组织生活开展情况统计表"), landscape=True
    )
    held = m.held_by_month
    total = m.held_total
    comp = {k: m.compliance.of_item(k) for k in stats_kinds}
    percent = dict.fromkeys(range(1, len(cols)), "percent")

    def lines() -> Iterator[Line]:
        for mo in r.months:
            yield Line([f"{mo}月", *(held[mo][k] for k in stats_kinds)])
        yield Line([TOTAL, *(total[k] for k in stats_kinds)], total=True)
        yield Line(["应判断周期数", *(comp[k].judged or None for k in stats_kinds)], total=True)
        yield Line(
            ["达标周期数", *(comp[k].met if comp[k].judged else None for k in stats_kinds)],
            total=True,
        )
        yield Line(
            ["完成率", *(_rate(comp[k].rate_permille) for k in stats_kinds)],
            total=True,
            kinds=percent,
        )

    w.write(lines)
    w.note(
        "注：表中为各月开展次数；结合主题党日的会议同时计入主题党日。周期为月（支委会、党小组会、"
        "主题党日）、季度（支部党员大会、党课）或年度（组织生活会、民主评议党员，谈心谈话按全年"
        "是否谈到每名在册党员）；党小组会按各党小组分别计算；未结束的周期不计入（应判断），"
        "其中按要求开展的为达标，完成率＝达标÷应判断。",
        lines=3,
    )
    w.finish()


def _sheet_member_life(book, r: Render) -> None:
    """党员参加组织生活情况统计: each 期内党员's 应参加 / 出席 / 请假 / 缺席 and the longest
    run of months without organisational life (the model's MemberLife)."""
    att = r.model.attendance
    cols = [
        Col(SEQ, "int"),
        Col("姓名", "center"),
        Col("党小组", "center", max_width=16),
        Col("人员类别", "center"),
        Col("状态", "center"),
        Col("应参加", "int"),
        Col("出席", "int"),
        Col("请假", "int"),
        Col("缺席", "int"),
        Col("最长连续未参加组织生活", "text", max_width=30),
    ]
    w = SheetWriter(
        book,
        r,
        SHEET_MEMBER_LIFE,
        cols,
        r.title("党员参加组织生活情况统计表"),
        landscape=None,
        repeat=2,
    )

    def lines() -> Iterator[Line]:
        for i, life in enumerate(att.members, 1):
            m = life.member
            yield Line(
                [
                    i,
                    m.name,
                    m.group_name,
                    m.category,
                    m.status,
                    life.expected,
                    life.present,
                    life.leave,
                    life.absent,
                    life.longest_label or None,
                ]
            )
        t = att.total
        yield Line(
            [
                TOTAL,
                f"{len(att.members)}人",
                None,
                None,
                None,
                t.expected,
                t.present,
                t.leave,
                t.absent,
                None,
            ],
            total=True,
        )

    w.write(lines)
    w.note(
        "注：单位为次。应参加＝该党员应到的会议和活动次数（三会一课、主题党日、其他组织生活）；"
        "最长连续未参加组织生活＝应参加而一次也没有出席、且至少缺席一次的连续月份（只计已结束的月份）。",
        lines=3,
    )
    w.finish(freeze="C3")


def _sheet_dues_notice(book, r: Render) -> None:
    from openpyxl.styles import Alignment

    dues = r.model.dues
    cols = [
        Col(SEQ, "int"),
        Col("姓名", "center"),
        Col("人员类别", "center"),
        *([Col("月缴费基数(元)", "money")] if r.show_base else []),
        Col("缴纳比例", "center"),
        Col("月应缴(元)", "money"),
        Col("应缴月数", "int"),
        Col("本期应缴(元)", "money"),
        Col("实缴(元)", "money"),
        Col("备注", "wrap", max_width=18, min_width=10),
    ]
    w = SheetWriter(
        book, r, SHEET_DUES_NOTICE, cols, r.title("党费收缴情况公示"), landscape=None, repeat=2
    )

    def lines() -> Iterator[Line]:
        for i, line in enumerate(dues.lines, 1):
            md = line.md
            t = line.totals
            yield Line(
                [
                    i,
                    line.member.name,
                    line.category,
                    *([_yuan(md.base_fen)] if r.show_base else []),
                    md.rate_text,
                    _yuan(md.monthly_due_fen),
                    len(line.owed),
                    _yuan(t.due),
                    _yuan(t.paid),
                    line.remark or None,
                ]
            )
        t = dues.total
        yield Line(
            [
                TOTAL,
                f"{t.members}人",
                None,
                *([None] if r.show_base else []),
                None,
                None,
                None,
                _yuan(t.due),
                _yuan(t.paid),
                None,
            ],
            total=True,
        )

    w.write(lines)
    w.note("公示期：    年  月  日至    年  月  日。如有疑问，请向支部组织委员反映。")
    row = w.note(f"{r.branch_name}（盖章）        年   月   日", gap=False)
    w.grid.restyle(row, 1, alignment=Alignment(horizontal="right", vertical="center"))
    w.finish(freeze="A3")


def _sheet_dues_quarterly(book, r: Render) -> None:
    dues = r.model.dues
    through = dues.ended_through
    cols = [
        Col("季度", "center"),
        Col("人员类别", "center"),
        Col("期内党员", "int"),
        Col("季度应缴(元)", "money"),
        Col(f"截至{through}月应缴(元)" if through else "已结束月份应缴(元)", "money"),
        Col("实缴(元)", "money"),
        Col("欠缴(元)", "money"),
        Col("欠缴人数", "int"),
        Col("收缴率", "percent"),
    ]
    w = SheetWriter(
        book,
        r,
        SHEET_DUES_QUARTERLY,
        cols,
        r.title("党费收缴季度汇总表"),
        landscape=None,
        repeat=1,
    )

    def rows_of(label: str, by_category, total: DuesTotals) -> Iterator[Line]:
        for cat, t in [*by_category, ("小计", total)]:
            if not t.members and cat not in CATEGORIES and cat != "小计":
                continue
            yield Line(
                [
                    label,
                    cat,
                    t.members,
                    _yuan(t.due),
                    _yuan(t.due_ended),
                    _yuan(t.paid),
                    _yuan(t.arrears),
                    t.in_arrears,
                    _rate(t.rate_permille),
                ],
                total=cat == "小计",
            )

    def lines() -> Iterator[Line]:
        for q in dues.by_quarter:
            yield from rows_of(q.period.label, q.by_category, q.total)
        if len(dues.by_quarter) > 1:
            yield from rows_of(f"{r.year}年全年", dues.by_category, dues.total)

    w.write(lines)
    w.note(
        "季度应缴：该季度各月应缴之和；截至X月应缴：其中已经结束的月份的应缴；欠缴：已结束的月份"
        "应缴而未缴足的金额；收缴率：已结束月份的应缴中已缴的比例；期内党员按该季度统计。",
        lines=3,
    )
    w.note("收缴人：            支部书记：            上缴日期：      年    月    日", gap=False)
    w.finish()


def _sheet_dues_sign(book, r: Render) -> None:
    """The printable 党费收缴签收表: a year is cut in two half-year sheets, so that a page
    holds a readable six months (amount and the collector's signature for each)."""
    months = list(r.months)
    if len(months) <= 6:
        _dues_sign_sheet(book, r, SHEET_DUES_SIGN, months, r.label)
        return
    for half, part in (("上半年", months[:6]), ("下半年", months[6:])):
        _dues_sign_sheet(book, r, f"{SHEET_DUES_SIGN}（{half}）", part, f"{r.year}年{half}")


SIGN_ROW_HEIGHT = 24.0  # room for a signature


def _dues_sign_sheet(book, r: Render, name: str, months: list[int], label: str) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    from .styles import (
        MIN_SCALE,
        PAD,
        display_width,
        merge_title,
        page_height,
        page_width,
        print_setup,
        put,
        set_widths,
        title_height,
    )

    lines = r.model.dues.lines
    grid = book.create_sheet(name)
    ws = grid.ws
    ncols = 3 + 2 * len(months)
    title = f"{r.branch_name}{label}党费收缴签收表" + (MASK_NOTE if r.mask else "")
    merge_title(grid, 1, 1, ncols, title)
    name_width = max([display_width(line.member.name) for line in lines] + [4]) + PAD
    widths = {1: 5, 2: max(name_width, 8), 3: 8}
    for j in range(len(months)):
        widths[4 + 2 * j] = 9
        widths[5 + 2 * j] = 11
    landscape = len(months) > 3
    full = page_width(landscape)
    scale = max(int(100 * min(1.0, full / sum(widths.values()))), int(100 * MIN_SCALE))
    title_h = title_height(title, sum(widths.values()))
    grid.set_height(1, title_h)
    for col, text in ((1, SEQ), (2, "姓名"), (3, "月应缴\n(元)")):
        put(grid, 2, col, text, style="tz_header")
        put(grid, 3, col, None, style="tz_header")
        grid.merge(2, col, 3, col)
    for j, m in enumerate(months):
        col = 4 + 2 * j
        put(grid, 2, col, f"{m}月", style="tz_header")
        put(grid, 2, col + 1, None, style="tz_header")
        grid.merge(2, col, 2, col + 1)
        put(grid, 3, col, "金额(元)", style="tz_header")
        put(grid, 3, col + 1, "收缴人签字", style="tz_header")
    grid.set_height(2, 20)
    grid.set_height(3, 34)
    grid.commit(3)
    # rows per page at this scale (under the title and the two header rows), and the rows
    # cut into pages of equal length — never 20 rows and then 4 on a page of their own
    room = page_height(landscape) * 100 / scale * 0.97 - title_h - 20 - 34
    per_page = max(1, int(room // SIGN_ROW_HEIGHT))
    pages = max(1, -(-len(lines) // per_page))
    breaks = {round(len(lines) * k / pages) for k in range(1, pages)}
    row = 4
    for i, line in enumerate(lines, 1):
        md = line.md
        put(grid, row, 1, i, "int")
        put(grid, row, 2, line.member.name, "center")
        put(grid, row, 3, _yuan(md.monthly_due_fen), "money")
        for j, m in enumerate(months):
            amount = md.paid_by_month.get(m, 0)
            put(grid, row, 4 + 2 * j, _yuan(amount) if amount else None, "money")
            put(grid, row, 5 + 2 * j, None, "center")
        grid.set_height(row, SIGN_ROW_HEIGHT)
        grid.commit(row)
        if i in breaks:
            ws.row_breaks.append(Break(id=row))
        row += 1
    set_widths(ws, widths)
    ws.freeze_panes = f"{get_column_letter(4)}4"
    print_setup(
        ws,
        branch=r.branch_name,
        period_label=r.label,
        landscape=landscape,
        title_rows="1:3",
        note="脱敏版" if r.mask else "",
        scale=scale,
    )


def _sheet_volunteer_stats(book, r: Render) -> None:
    """志愿服务时长统计: hours per member and month (到社区报到: who served when)."""
    vol = r.model.volunteer
    months = r.months
    cols = [
        Col(SEQ, "int"),
        Col("姓名", "center"),
        Col("党小组", "center", max_width=16),
        Col("人员类别", "center"),
        *(Col(f"{m}月", "hours") for m in months),
        Col("合计(小时)", "hours"),
        Col("次数", "int"),
    ]
    w = SheetWriter(
        book,
        r,
        SHEET_VOLUNTEER_STATS,
        cols,
        r.title("志愿服务时长统计表"),
        landscape=len(months) > 3,
        repeat=2,
    )
    roster = r.model.roster.in_period
    by_month = vol.by_member_month

    def lines() -> Iterator[Line]:
        for i, m in enumerate(roster, 1):
            mine = by_month.get(m.id, {})  # type: ignore[arg-type]
            times, half = vol.by_member.get(m.id, (0, 0))  # type: ignore[arg-type]
            yield Line(
                [
                    i,
                    m.name,
                    m.group_name,
                    m.category,
                    *(_hours(mine[mo][1]) if mine.get(mo) else None for mo in months),
                    _hours(half),
                    times,
                ]
            )
        yield Line(
            [
                TOTAL,
                f"{len(roster)}人",
                None,
                None,
                *(_hours(vol.by_month[mo][1]) for mo in months),
                _hours(vol.half_hours),
                vol.count,
            ],
            total=True,
        )

    w.write(lines)
    w.finish(freeze="C3")


def _sheet_appendix(book, r: Render) -> None:
    """记录附页: in full, the name lists and texts that were too long for their rows."""
    if not r.appendix:
        return
    from .styles import MAX_LINES, page_width, wrapped_lines

    per_row = 8  # names a row
    f = FormWriter(book, r, SHEET_APPENDIX, r.title("记录附页"), per_row)
    width = page_width(False) / per_row
    f.widths = dict.fromkeys(range(per_row), width)
    f.top.append("以下是各登记表中一行印不下的出席、请假、缺席名单和会议内容的全文。")
    names = ["center"] * per_row
    statuses = dict(contract.ATTENDANCE_COLUMNS)
    chunk = (MAX_LINES - 2) * int((page_width(False) - 2) // 2)  # characters a row holds
    for sheet, n, v, headers in r.appendix:
        rec = v.record
        s = v.summary
        what = rec.kind + (f"（{rec.group_name}）" if rec.group_name else "")
        f.section(f"{sheet}第{n}条  {rec.date.isoformat()}  {what}  {rec.topic or ''}".strip())
        f.note(f"应到 {s.expected_count} 人，实到 {s.present_count} 人")
        for header in headers:
            if header in statuses:
                entries = [
                    f"{a.name}（{a.reason}）" if a.reason else (a.name or "")
                    for a in rec.attendance
                    if a.status == statuses[header]
                ]
                f.header([f"{header}（{len(entries)}人）", *[""] * (per_row - 1)])
                for k in range(0, len(entries), per_row):
                    part = entries[k : k + per_row]
                    part += [None] * (per_row - len(part))
                    lines = max(wrapped_lines(x, width) for x in part)
                    f.items.append(_Item("row", part, names, lines=lines))
            else:
                text = getattr(rec, _TEXT_FIELDS.get(header, "content")) or ""
                f.header([header, *[""] * (per_row - 1)])
                for k in range(0, len(text), chunk):
                    part = text[k : k + chunk]
                    f.note(part, lines=min(wrapped_lines(part, width * per_row), MAX_LINES))
    f.write()


_TEXT_FIELDS = {"主要内容": "content", "活动内容": "content", "决议事项": "decisions"}

_BUILDERS = (
    _sheet_branch,
    _sheet_roster,
    _sheet_meetings,
    _sheet_theme,
    _sheet_other,
    _sheet_dues,
    _sheet_volunteer,
    _sheet_summary,
    _sheet_life_stats,
    _sheet_member_life,
    _sheet_dues_notice,
    _sheet_dues_quarterly,
    _sheet_dues_sign,
    _sheet_volunteer_stats,
    _sheet_appendix,
    lambda book, r: _sheets_of(book, r, "followup"),  # issue 18: 民主评议, 整改清单, 频次要求
    lambda book, r: _sheets_of(book, r, "registers"),  # issue 19: the registers
    lambda book, r: _sheets_of(book, r, "review"),  # issue 20: 自评定级, 年度计划, 内容校验码
)


def _sheets_of(book, r: Render, module: str) -> None:
    if module == "followup":
        from .followup import build_followup_sheets as build
    elif module == "registers":
        from .registers import build_register_sheets as build
    else:
        from .assessment_sheets import build_review_sheets as build
    build(book, r.model, r.mask)


@dataclass
class PageFrame:
    """What a table sheet's page header and footer print: the branch, the period, 脱敏版."""

    branch_name: str
    label: str
    mask: bool = False


class TableSheet:
    """A table sheet given row by row (the registers' sheets, the committee's summary), laid
    out at the end as :class:`SheetWriter` lays out every table: A4 at 9 pt or more, bands
    of columns. ``model``: the period model of an export, or a :class:`PageFrame`."""

    def __init__(self, book, model: PeriodModel | PageFrame, name: str, columns: list[Col],
                 title: str, *, mask: bool = False, repeat: int = 1):  # fmt: skip
        self.book, self.name, self.columns, self.title = book, name, columns, title
        self.r = model if isinstance(model, PageFrame) else Render(model, mask)
        self.repeat = repeat
        self.lines: list[Line] = []

    def write_row(self, values: Sequence, total: bool = False) -> None:
        self.lines.append(Line(list(values), total))

    def finish(self, *, landscape: bool | None = True, freeze: str | None = None) -> SheetWriter:
        w = SheetWriter(self.book, self.r, self.name, self.columns, self.title,
                        landscape=landscape, repeat=self.repeat)  # fmt: skip
        w.write(lambda: iter(self.lines))
        w.finish(freeze=freeze)
        return w


# --- writing the file ---------------------------------------------------------------------


def build_workbook(r: Render, progress: Progress | None = None):
    """The workbook of ``r`` (a :class:`~.grid.Book`, not saved). ``progress(done, total)``
    is called after each sheet; it may raise to cancel."""
    from .grid import Book
    from .styles import register_styles

    book = Book()
    wb = book.wb
    register_styles(wb)
    total = len(_BUILDERS) + 1
    try:
        for i, build in enumerate(_BUILDERS, 1):
            try:
                build(book, r)
                for grid in book.grids:
                    grid.flush()  # the sheet's rows are on disk now
            except ValueError as e:  # a cell Excel cannot hold
                raise WorkbookError(f"无法导出“{wb.worksheets[-1].title}”：{e}") from e
            if progress is not None:
                progress(i, total)
    except BaseException:
        book.close()
        raise
    wb.active = 0
    props = wb.properties
    props.title = r.title("党建工作台账")
    props.creator = "支部台账"
    return book


def save_atomic(book, out_path: Path) -> Path:
    """Save beside ``out_path`` under a temporary name, then replace: never a half file."""
    from ..files import replacing

    try:
        with replacing(out_path, "正在 Excel 或 WPS 中打开") as tmp:
            book.save(tmp)
    finally:
        book.close()
    return Path(out_path)


def write_workbook(
    model: PeriodModel,
    out: str | Path,
    *,
    mask: bool = False,
    show_base: bool = False,
    chain_code: str = "",
    progress: Progress | None = None,
) -> Path:
    """Write the Excel ledger of ``model``'s period to ``out`` (.xlsx).

    ``show_base``: the 党费收缴公示 shows each member's 月缴费基数; ``chain_code``: the audit
    chain's head, printed as the 台账校验码. ``progress(done, total)`` reports sheets
    written; raising from it cancels the export and leaves ``out`` as it was. Returns the
    path written.
    """
    book = build_workbook(Render(model, mask, show_base, chain_code), progress)
    path = save_atomic(book, Path(out))
    if progress is not None:
        progress(len(_BUILDERS) + 1, len(_BUILDERS) + 1)
    return path
