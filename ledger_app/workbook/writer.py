"""导出 Excel 台账: the contract workbook (LEDGER_FORMAT.md §1) plus the forms higher
committees ask for, styled and print-ready, written atomically.

The contract sheets (支部信息 … 志愿服务) import back through ``services.importer``:
a merged title row sits above the header and a 合计 row below the data, both of which
the importer skips; computed (†) columns are ignored on import. With ``mask=True`` the
公民身份号码 and phone numbers are masked and the 出生日期 left out (it is the middle of
the ID number) — such a workbook is for sending out, and cannot be imported back (members
are matched by 公民身份号码). The 党费收缴公示 shows each member's 月缴费基数 (their
income) only with ``show_base=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..domain import idcard
from ..domain.attendance import AttendanceSummary, Roster, summarize
from ..domain.compliance import HELD, MISSING, NOT_DUE, NOT_REQUIRED, belongs_during
from ..domain.dates import Period, checked_period
from ..domain.dues import MemberDues
from ..domain.kinds import is_other_kind
from ..domain.minutes import format_votes
from ..domain.models import (
    BRANCH_INFO_KEYS,
    CATEGORIES,
    MEETING_KINDS,
    OTHER_KINDS,
    THEME_DAY,
    Member,
    Record,
)
from ..domain.names import join_names
from ..domain.period import PeriodModel
from ..errors import WorkbookError
from ..services.ledger import Ledger
from . import contract, followup
from .followup import build_followup_sheets

Progress = Callable[[int, int], None]

# --- sheet names: the contract's (workbook.contract, LEDGER_FORMAT.md §1), then ours -------

SHEET_SUMMARY = "汇总"
# the forms beside the ledger (names are ours)
SHEET_DUES_NOTICE = "党费收缴公示"
SHEET_DUES_QUARTERLY = "党费季度汇总"
SHEET_LIFE_STATS = "组织生活统计"
SHEET_DUES_SIGN = "党费签收表"
SHEET_VOLUNTEER_STATS = "志愿服务统计"

CONTRACT_SHEETS = contract.SHEETS
SHEETS = CONTRACT_SHEETS + (
    SHEET_SUMMARY,
    SHEET_LIFE_STATS,
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


@dataclass
class Col:
    """One column: its header, the style kind of its cells, whether it is computed (†)."""

    header: str
    kind: str = "text"  # a styles._BODY key
    computed: bool = False
    width: float | None = None  # fixed width; None: fit to the content
    max_width: float = 30


@dataclass(frozen=True)
class Look:
    """How a column of a contract sheet is presented: the style kind of its cells, its width."""

    kind: str = "text"  # a styles._BODY key
    width: float | None = None  # fixed width; None: fit to the content
    max_width: float = 30


CENTER = Look("center")
DATE = Look("date", width=11.5)
ID_NUMBER = Look("idtext", width=20)


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
    return [
        *([Col(SEQ, "int", width=5)] if seq else []),
        *(Col(h, looks[h].kind, False, looks[h].width, looks[h].max_width) for h in headers),
        *(Col(h, k.kind, True, k.width, k.max_width) for h, k in computed.items()),
    ]


BRANCH_COLUMNS = _contract_columns(
    contract.BRANCH,
    {"项目": Look("center", width=14), "内容": Look("text", max_width=50)},
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
        "联系电话": Look("idtext", width=13),
        "状态": CENTER,
        "状态变更日期": Look("date", width=12.5),
        "转入日期": DATE,
        "党员领导干部": Look("center", width=7),
    },
)

# computed: how the record came into the ledger — 补记 (typed > 30 days after the event),
# 已修改 (changed more than a day after it was entered), 导入 (from an earlier workbook)
ENTRY_COLUMN = "登记情况"
# computed columns of the three record sheets: 应到人数, 实到人数 (the contract's † of
# 三会一课, shown for 主题党日 and 其他组织生活 too), 登记情况
_RECORD_COMPUTED = {
    **dict.fromkeys(contract.MEETING_COMPUTED, Look("int", width=6.5)),
    ENTRY_COLUMN: Look("center", width=9),
    "记录过简": Look("wrap", max_width=20),  # issue 18: why the minutes are too brief
}

MEETING_COLUMNS = _contract_columns(
    contract.MEETINGS,
    {
        "日期": DATE,
        "会议类型": Look("center", width=11),
        "党小组": CENTER,
        "议题": Look("wrap", max_width=24),
        "地点": Look("wrap", max_width=12),
        "主持人": CENTER,
        "记录人": CENTER,
        "授课人": CENTER,
        "出席人员": Look("wrap", max_width=26),
        "请假人员": Look("wrap", max_width=16),
        "缺席人员": Look("wrap", max_width=12),
        "结合主题党日": Look("center", width=7),
        "主要内容": Look("wrap", width=32),
        "决议事项": Look("wrap", max_width=18),
        "列席人员": Look("wrap", max_width=18),
        "表决情况": Look("wrap", max_width=24),
    },
    _RECORD_COMPUTED,
)

THEME_COLUMNS = _contract_columns(
    contract.THEME,
    {
        "日期": DATE,
        "主题": Look("wrap", max_width=24),
        "活动形式": Look("wrap", max_width=14),
        "地点": Look("wrap", max_width=16),
        "组织人": CENTER,
        "出席人员": Look("wrap", max_width=30),
        "请假人员": Look("wrap", max_width=18),
        "缺席人员": Look("wrap", max_width=14),
        "活动内容": Look("wrap", width=40),
    },
    _RECORD_COMPUTED,
)

OTHER_COLUMNS = _contract_columns(
    contract.OTHER,
    {
        "日期": DATE,
        "类型": Look("center", width=12),
        "主题": Look("wrap", max_width=24),
        "地点": Look("wrap", max_width=16),
        "主持人": CENTER,
        "记录人": CENTER,
        "出席人员": Look("wrap", max_width=30),
        "请假人员": Look("wrap", max_width=18),
        "缺席人员": Look("wrap", max_width=14),
        "主要内容": Look("wrap", width=40),
        "列席人员": Look("wrap", max_width=18),
    },
    _RECORD_COMPUTED,
)

DUES_COLUMNS = _contract_columns(
    contract.DUES,
    {
        "年度": Look("int", width=6),
        "姓名": CENTER,
        "公民身份号码": ID_NUMBER,
        "月缴费基数(元)": Look("money", width=10),
        "约定月缴(元)": Look("money", width=9),
        **dict.fromkeys(contract.MONTH_COLUMNS, Look("money", width=7.5)),
        "备注": Look("wrap", max_width=16),
    },
    {
        "人员类别": CENTER,
        "缴纳比例": Look("center", width=7),
        "月应缴(元)": Look("money", width=8),
        "应缴合计": Look("money", width=9),
        "实缴合计": Look("money", width=9),
        "欠缴月数": Look("int", width=6),
    },
)

VOLUNTEER_COLUMNS = _contract_columns(
    contract.VOLUNTEER,
    {
        "日期": DATE,
        "姓名": CENTER,
        "服务项目": Look("wrap", max_width=24),
        "地点": Look("wrap", max_width=18),
        "时长(小时)": Look("hours", width=8),
        "证明人": CENTER,
        "备注": Look("wrap", max_width=20),
    },
)


# --- what goes into the workbook ------------------------------------------------------------


@dataclass
class DuesLine:
    """One member's dues in the exported year (from the dues rules), summed over the
    months of the exported period."""

    member: Member
    md: MemberDues
    ended: frozenset[int] = frozenset(range(1, 13))  # months of the year already over

    @property
    def category(self) -> str:
        return self.md.category

    @property
    def fixed_fen(self) -> int | None:
        return self.md.setting.fixed_fen if self.md.setting else None

    @property
    def note(self) -> str | None:
        return self.md.setting.note if self.md.setting else None

    def owes_in(self, months: Sequence[int]) -> list[int]:
        return [m for m in months if m in self.md.owed_months]

    def due_in(self, months: Sequence[int]) -> int:
        return sum(self.md.month_due(m) for m in months)

    def paid_in(self, months: Sequence[int]) -> int:
        return sum(self.md.paid_by_month.get(m, 0) for m in months)

    def unpaid_in(self, months: Sequence[int]) -> list[int]:
        """欠缴 months: unpaid and over (the month under way may still be paid)."""
        return [m for m in months if m in self.md.unpaid_months and m in self.ended]

    def arrears_in(self, months: Sequence[int]) -> int:
        """欠缴 money: month by month, what was paid short of the due (as the dues rules'
        ``short_fen``: paying more one month does not make up for another)."""
        return sum(
            max(self.md.month_due(m) - self.md.paid_by_month.get(m, 0), 0)
            for m in months
            if m in self.ended
        )


def entry_note(r: Record, changed: dict[int, str]) -> str:
    from ..domain.compliance import is_late_entry
    from ..domain.models import IMPORTED

    notes = []
    if r.origin == IMPORTED:
        notes.append("导入")
    if is_late_entry(r):
        notes.append("补记")
    if r.id in changed:
        notes.append(f"{str(changed[r.id])[:10]}修改")
    return "、".join(notes)


@dataclass
class ExportData:
    """Everything the sheets show, read once from the ledger."""

    branch_info: dict[str, str]
    branch_name: str
    period: Period
    members: list[Member]  # every member ever recorded (for 应到)
    roster: list[Member]  # those who belonged at any time in the period
    records: list[Record]
    dues: list[DuesLine]
    volunteer: list
    board: object | None
    today: dt.date
    mask: bool
    months: list[int] = field(default_factory=list)
    changed: dict[int, str] = field(default_factory=dict)  # record id → when changed (ISO)
    chain_code: str = ""  # 台账校验码: the audit chain's head when exported (verify --code)
    show_base: bool = False  # 党费收缴公示 shows 月缴费基数 (each member's income)
    model: PeriodModel | None = None  # the period model (issue 18's sheets and columns)
    _roster: Roster | None = field(default=None, repr=False)
    _summaries: dict[int, AttendanceSummary] = field(default_factory=dict, repr=False)

    def summary(self, record: Record) -> AttendanceSummary:
        """应到/实到 of one of ``records``, worked out once (a record sheet and 汇总 ask)."""
        s = self._summaries.get(id(record))
        if s is None:
            if self._roster is None:
                self._roster = Roster(self.members)
            s = self._summaries[id(record)] = summarize(record, self._roster)
        return s

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def label(self) -> str:
        """``2025年`` or ``2025年第二季度``."""
        return self.period.label

    def title(self, what: str) -> str:
        return f"{self.branch_name}{self.label}{what}" + (MASK_NOTE if self.mask else "")

    def id_text(self, number: str | None) -> str | None:
        return idcard.mask(number) if self.mask else number

    def phone_text(self, phone: str | None) -> str | None:
        return idcard.mask_phone(phone) if self.mask else phone

    def birth_date(self, m: Member) -> dt.date | None:
        """Left out of a masked export: it is the middle of the ID number, digit for digit."""
        return None if self.mask else m.birth_date


def _dues_lines(ledger: Ledger, year: int, members: list[Member]) -> list[DuesLine]:
    """Per member dues of ``year`` from the dues service (the one implementation of rates,
    dues and unpaid months)."""
    from ..services.dues import dues_report

    today = ledger.today()
    ended = frozenset(m for m in range(1, 13) if Period.month(year, m).has_ended(today))
    by_id = {m.id: m for m in members}
    return [
        DuesLine(by_id[md.member_id], md, ended)
        for md in dues_report(ledger, year).members
        if md.member_id in by_id
    ]


def collect(
    ledger: Ledger, year: int, quarter: int | None, mask: bool = False, show_base: bool = False
) -> ExportData:
    """Read what an export of ``year`` (or one quarter of it) shows."""
    repo = ledger.repo
    period = checked_period(year, quarter)
    branch = repo.branch()
    members = repo.members()
    roster = [m for m in members if belongs_during(m, period.start, period.end)]
    records = repo.records(start=period.start, end=period.end)
    months = [p.index for p in period.months()]
    dues = [
        d
        for d in _dues_lines(ledger, year, members)
        if belongs_during(d.member, period.start, period.end)
    ]
    volunteer = repo.volunteer(period.start, period.end)
    from ..services.compliance import board_data
    from ..services.safety import changed_records, head_hash

    board = board_data(ledger, year)
    from ..services.period import load

    return ExportData(
        branch_info=dict(branch.info),
        branch_name=branch.name or "本支部",
        period=period,
        members=members,
        roster=roster,
        records=records,
        dues=dues,
        volunteer=volunteer,
        board=board,
        today=ledger.today(),
        mask=mask,
        months=months,
        changed=changed_records(ledger),
        chain_code=head_hash(ledger)[:CHAIN_CODE_LENGTH],
        show_base=show_base,
        model=load(ledger, year, quarter),
    )


# --- building sheets -----------------------------------------------------------------------


def _yuan(fen: int | None):
    """分 → a number of 元 for a money cell (exact to the 分: x/100 prints as 2 decimals)."""
    if fen is None:
        return None
    return fen / 100


def _attendance_lists(record: Record) -> tuple[str, ...]:
    """The record's name lists, in the order of the contract's attendance columns."""
    lists: dict[str, list[tuple[str, str | None]]] = {
        status: [] for _, status in contract.ATTENDANCE_COLUMNS
    }
    for a in record.attendance:
        lists.setdefault(a.status, []).append((a.name or "", a.reason))
    return tuple(join_names(lists[status]) for _, status in contract.ATTENDANCE_COLUMNS)


MAX_WRAP_WIDTH = 90  # widest a wrapping column may grow to hold a long text


class SheetWriter:
    """Writes one table sheet: merged title, header, rows, optional 合计 row, widths."""

    def __init__(self, book, name: str, columns: list[Col], title: str):
        self.grid = book.create_sheet(name)
        self.ws = self.grid.ws  # the openpyxl worksheet: dimensions, page setup
        self.columns = columns
        self.title = title
        self.row = 1
        self._fit: dict[int, int] = {}  # widest content per column (display width)
        self.first_data_row = 0
        self._wrapped: list[tuple[int, int, str]] = []  # (row, col, text) of wrapping cells

    def write_title(self) -> None:
        from .styles import merge_title

        merge_title(self.grid, self.row, 1, len(self.columns), self.title)
        self.ws.row_dimensions[self.row].height = 30
        self.row += 1

    def write_header(self) -> None:
        from .styles import display_width, put

        for i, c in enumerate(self.columns, 1):
            put(
                self.grid,
                self.row,
                i,
                c.header,
                style="tz_header_calc" if c.computed else "tz_header",
            )
            self._fit[i] = max(self._fit.get(i, 0), display_width(c.header))
        self.ws.row_dimensions[self.row].height = 30
        self.row += 1
        self.first_data_row = self.row

    def write_row(self, values: Sequence, total: bool = False) -> None:
        from .styles import longest_line_width, put

        if len(values) != len(self.columns):  # values are positional: one per column
            raise RuntimeError(
                f"{self.ws.title}: {len(values)} values for {len(self.columns)} columns"
            )
        grid, r = self.grid, self.row
        for i, (c, v) in enumerate(zip(self.columns, values), 1):
            put(grid, r, i, v, c.kind, total)
            if c.kind == "wrap" and isinstance(v, str) and v:
                self._wrapped.append((r, i, v))
            if c.width is None and v is not None:
                w = longest_line_width(v)
                if w > self._fit.get(i, 0):
                    self._fit[i] = w
        self.row += 1

    def finish(
        self,
        data: ExportData,
        *,
        landscape: bool,
        freeze: str | None = None,
        title_rows: str | None = None,
    ) -> None:
        from .styles import MAX_LINES, print_setup, row_height, set_widths, wrapped_lines

        widths = {}
        for i, c in enumerate(self.columns, 1):
            if c.width is not None:
                widths[i] = c.width
            else:
                widths[i] = min(max(self._fit.get(i, 4) + 2, 6), c.max_width)
        # a row cannot be taller than Excel's limit: a column whose text would not fit in
        # it (the 出席人员 of a 300-member meeting, very long minutes) is widened instead,
        # so that nothing is cut off in print
        for _r, col, text in self._wrapped:
            while wrapped_lines(text, widths[col]) > MAX_LINES and widths[col] < MAX_WRAP_WIDTH:
                widths[col] = min(widths[col] + 4, MAX_WRAP_WIDTH)
        set_widths(self.ws, widths)
        # Excel and LibreOffice do not grow a row to its wrapped text when opening a file:
        # the heights are set here, from the text and the column widths
        lines: dict[int, int] = {}
        for r, col, text in self._wrapped:
            n = wrapped_lines(text, widths[col])
            if n > lines.get(r, 1):
                lines[r] = n
        for r, n in lines.items():
            height = row_height(n)
            if height:
                self.ws.row_dimensions[r].height = height
        self.ws.freeze_panes = freeze or f"A{self.first_data_row}"
        print_setup(
            self.ws,
            branch=data.branch_name,
            period_label=data.label,
            landscape=landscape,
            title_rows=title_rows or f"1:{self.first_data_row - 1}",
            note="脱敏版" if data.mask else "",
        )


def _sheet_branch(book, data: ExportData) -> None:
    cols = [replace(c) for c in BRANCH_COLUMNS]  # copies: 内容 turns "date" for 成立日期
    w = SheetWriter(book, contract.BRANCH, cols, f"{data.branch_name}基本信息")
    w.write_title()
    w.write_header()
    for key in BRANCH_INFO_KEYS:
        value = data.branch_info.get(key) or None
        if key == "联系电话":
            value = data.phone_text(value)
        if key == "成立日期" and value:
            from ..domain.dates import parse_date

            try:
                value = parse_date(value)
                w.columns[1].kind = "date"
                w.write_row([key, value])
                w.columns[1].kind = "text"
                continue
            except ValueError:
                pass
        w.write_row([key, value])
    w.finish(data, landscape=False)


def _sheet_roster(book, data: ExportData) -> None:
    w = SheetWriter(book, contract.ROSTER, ROSTER_COLUMNS, data.title("党员名册"))
    w.write_title()
    w.write_header()
    for i, m in enumerate(data.roster, 1):
        w.write_row(
            [
                i,
                m.name,
                m.gender,
                m.ethnicity,
                data.birth_date(m),
                data.id_text(m.id_number),
                m.education,
                m.member_type,
                m.join_date,
                m.full_date,
                m.category,
                m.group_name,
                m.post,
                data.phone_text(m.phone),
                m.status,
                m.status_date if m.status != "在册" else None,
                m.transfer_in_date,
                "是" if m.leading_cadre else None,
            ]
        )
    w.finish(data, landscape=True, freeze="C3")


def _record_sheet(book, data: ExportData, name: str, cols, what: str, kinds, row_of) -> None:
    w = SheetWriter(book, name, cols, data.title(what))
    w.write_title()
    w.write_header()
    n = 0
    for r in data.records:
        if r.kind not in kinds:
            continue
        n += 1
        s = data.summary(r)
        present, leave, absent = _attendance_lists(r)
        w.write_row(
            [
                n,
                *row_of(r, present, leave, absent),
                s.expected_count,
                s.present_count,
                entry_note(r, data.changed),
                "；".join(data.model.brief_by_record.get(r.id, ())) or None if data.model else None,
            ]
        )
    w.finish(data, landscape=True, freeze="C3")


def _sheet_meetings(book, data: ExportData) -> None:
    def row(r: Record, present, leave, absent):
        return [
            r.date,
            r.kind,
            r.group_name,
            r.topic,
            r.place,
            r.host,
            r.recorder,
            r.lecturer,
            present,
            leave,
            absent,
            "是" if r.also_theme_day else None,
            r.content,
            r.decisions,
            r.guests,
            format_votes(r.votes) or None,
        ]

    _record_sheet(
        book, data, contract.MEETINGS, MEETING_COLUMNS, "三会一课登记台账", MEETING_KINDS, row
    )


def _sheet_theme(book, data: ExportData) -> None:
    def row(r: Record, present, leave, absent):
        return [r.date, r.topic, r.form, r.place, r.organizer, present, leave, absent, r.content]

    _record_sheet(
        book, data, contract.THEME, THEME_COLUMNS, "主题党日活动登记台账", (THEME_DAY,), row
    )


def _sheet_other(book, data: ExportData) -> None:
    def row(r: Record, present, leave, absent):
        return [
            r.date,
            r.kind,
            r.topic,
            r.place,
            r.host,
            r.recorder,
            present,
            leave,
            absent,
            r.content,
            r.guests,
        ]

    # the contract's three kinds, then 学习教育 and the branch's own kinds (issue 18)
    kinds = OTHER_KINDS + tuple(
        dict.fromkeys(
            r.kind for r in data.records if is_other_kind(r.kind) and r.kind not in OTHER_KINDS
        )
    )
    _record_sheet(book, data, contract.OTHER, OTHER_COLUMNS, "组织生活登记台账", kinds, row)


def _sheet_dues(book, data: ExportData) -> None:
    w = SheetWriter(book, contract.DUES, DUES_COLUMNS, data.title("党费收缴台账"))
    w.write_title()
    w.write_header()
    months = data.months
    month_totals = dict.fromkeys(range(1, 13), 0)
    due_total = paid_total = 0
    for i, d in enumerate(data.dues, 1):
        cells = []
        for m in range(1, 13):
            amount = d.md.paid_by_month.get(m, 0) if m in months else 0
            month_totals[m] += amount
            cells.append(_yuan(amount) if amount else None)
        due, paid = d.due_in(months), d.paid_in(months)
        due_total += due
        paid_total += paid
        w.write_row(
            [
                i,
                data.year,
                d.member.name,
                data.id_text(d.member.id_number),
                _yuan(d.md.base_fen),
                _yuan(d.fixed_fen),
                *cells,
                d.note,
                d.category,
                d.md.rate_text,
                _yuan(d.md.monthly_due_fen),
                _yuan(due),
                _yuan(paid),
                len(d.unpaid_in(months)),
            ]
        )
    w.write_row(
        [
            TOTAL,
            None,
            f"{len(data.dues)}人",
            None,
            None,
            None,
            *(_yuan(month_totals[m]) if m in months else None for m in range(1, 13)),
            None,
            None,
            None,
            None,
            _yuan(due_total),
            _yuan(paid_total),
            None,
        ],
        total=True,
    )
    w.finish(data, landscape=True, freeze="D3")


def _sheet_volunteer(book, data: ExportData) -> None:
    w = SheetWriter(book, contract.VOLUNTEER, VOLUNTEER_COLUMNS, data.title("志愿服务登记台账"))
    w.write_title()
    w.write_header()
    half_hours = 0
    for i, v in enumerate(data.volunteer, 1):
        half_hours += v.half_hours
        w.write_row(
            [i, v.date, v.member_name, v.project, v.place, v.half_hours / 2, v.witness, v.note]
        )
    people = len({v.member_id for v in data.volunteer})
    w.write_row(
        [TOTAL, None, f"{people}人", f"{len(data.volunteer)}次", None, half_hours / 2, None, None],
        total=True,
    )
    w.finish(data, landscape=False)


# --- 汇总 and the forms ----------------------------------------------------------------------


def _board_cells(data: ExportData):
    """(row, cell) of the compliance board that lie inside the exported period."""
    board = data.board
    if board is None:
        return
    p = data.period
    for row in board.rows:
        for cell in row.cells:
            cp = cell.period
            if p.kind == "quarter" and cp.kind == "year":
                continue  # yearly items are judged only for a whole year
            if cp.start >= p.start and cp.end <= p.end:
                yield row, cell


_STATUS_TEXT = {HELD: "已开展", MISSING: "未开展", NOT_DUE: "未到期", NOT_REQUIRED: "不要求"}


def _attendance_stats(data: ExportData):
    """Per record kind: (count, 应到人次, 实到人次, 请假人次, 缺席人次)."""
    stats: dict[str, list[int]] = {}
    for r in data.records:
        s = data.summary(r)
        st = stats.setdefault(r.kind, [0, 0, 0, 0, 0])
        st[0] += 1
        st[1] += s.expected_count
        st[2] += s.present_count
        st[3] += s.leave_count
        st[4] += s.absent_count
    return stats


def _sheet_summary(book, data: ExportData) -> None:
    from .styles import merge_title, print_setup, put, set_widths

    grid = book.create_sheet(SHEET_SUMMARY)
    ws = grid.ws
    ncols = 7
    merge_title(grid, 1, 1, ncols, data.title("党建工作台账汇总"))
    ws.row_dimensions[1].height = 30
    row = 2
    merge_title(
        grid,
        row,
        1,
        ncols,
        f"导出日期：{data.today.isoformat()}（未结束的周期不作判断，欠缴只计已结束的月份）",
        "tz_note",
    )
    row += 1
    if data.chain_code:
        merge_title(
            grid, row, 1, ncols, f"台账校验码 {data.chain_code}{CHAIN_CODE_NOTE}", "tz_note"
        )
        row += 1
    if data.mask:
        merge_title(grid, row, 1, ncols, MASK_MESSAGE, "tz_note")
        row += 1

    def section(text: str) -> None:
        nonlocal row
        row += 1
        merge_title(grid, row, 1, ncols, text, "tz_section")
        row += 1

    def header(names: Sequence[str]) -> None:
        nonlocal row
        for i, n in enumerate(names, 1):
            put(grid, row, i, n, style="tz_header")
        row += 1

    def line(values: Sequence, kinds: Sequence[str], total: bool = False) -> None:
        nonlocal row
        for i, (v, k) in enumerate(zip(values, kinds), 1):
            put(grid, row, i, v, k, total)
        row += 1

    section("一、组织生活开展情况（应开展与已开展）")
    header(["项目", "党小组", "周期", "应开展(次)", "已开展(次)", "情况", "备注"])
    kinds = ["center", "center", "center", "int", "int", "center", "text"]
    judged = ok = 0
    for brow, cell in _board_cells(data):
        if brow.item == "谈心谈话":
            note = f"已谈 {cell.held} 人，应谈 {cell.required} 人"
            line(
                [
                    "谈心谈话",
                    None,
                    cell.period.label,
                    None,
                    None,
                    _STATUS_TEXT.get(cell.status, cell.status),
                    note,
                ],
                kinds,
            )
            continue
        if cell.status in (HELD, MISSING):
            judged += 1
            ok += cell.status == HELD
        line(
            [
                brow.item,
                brow.group_name,
                cell.period.label,
                cell.required,
                cell.held,
                _STATUS_TEXT.get(cell.status, cell.status),
                None,
            ],
            kinds,
        )
    rate = ok / judged if judged else None
    line(
        [
            TOTAL,
            None,
            f"应判断 {judged} 项",
            None,
            None,
            f"达标 {ok} 项",
            f"完成率 {rate:.1%}" if rate is not None else "完成率 —",
        ],
        kinds,
        total=True,
    )

    section("二、参加组织生活情况")
    header(["类型", "次数", "应到人次", "实到人次", "请假人次", "缺席人次", "出勤率"])
    kinds = ["center", "int", "int", "int", "int", "int", "percent"]
    stats = _attendance_stats(data)
    tot = [0, 0, 0, 0, 0]
    for kind in (*MEETING_KINDS, THEME_DAY, *OTHER_KINDS):
        st = stats.get(kind)
        if not st:
            continue
        tot = [a + b for a, b in zip(tot, st)]
        line([kind, *st, st[2] / st[1] if st[1] else None], kinds)
    line([TOTAL, *tot, tot[2] / tot[1] if tot[1] else None], kinds, total=True)

    section("三、党费收缴情况")
    header(["人员类别", "人数", "应缴(元)", "实缴(元)", "欠缴(元)", "欠缴人数", "收缴率"])
    kinds = ["center", "int", "money", "money", "money", "int", "percent"]
    for cat, vals in _dues_by_category(data.dues, data.months, with_total=True):
        due, paid = vals[1], vals[2]
        line(
            [
                cat,
                vals[0],
                _yuan(due),
                _yuan(paid),
                _yuan(vals[3]),
                vals[4],
                min(paid, due) / due if due else None,
            ],
            kinds,
            total=cat == TOTAL,
        )

    section("四、志愿服务情况")
    header(["项目", "数值"])
    kinds = ["center", "hours", "text", "text", "text", "text", "text"]
    hours = sum(v.half_hours for v in data.volunteer) / 2
    people = len({v.member_id for v in data.volunteer})
    line(["服务次数", len(data.volunteer)], ["center", "int"])
    line(["参加人数", people], ["center", "int"])
    line(["总时长(小时)", hours], kinds)
    line(["人均时长(小时)", hours / people if people else None], kinds)

    set_widths(ws, {1: 14, 2: 12, 3: 16, 4: 11, 5: 11, 6: 11, 7: 22})
    print_setup(
        ws,
        branch=data.branch_name,
        period_label=data.label,
        landscape=False,
        title_rows="1:1",
        note="脱敏版" if data.mask else "",
    )


def _dues_by_category(dues: list[DuesLine], months: Sequence[int], with_total: bool):
    """(人员类别, [人数, 应缴, 实缴, 欠缴, 欠缴人数]) for each category, then 合计."""
    rows = []
    total = [0, 0, 0, 0, 0]
    for cat in CATEGORIES:
        lines = [d for d in dues if d.category == cat and d.owes_in(months)]
        vals = [
            len(lines),
            sum(d.due_in(months) for d in lines),
            sum(d.paid_in(months) for d in lines),
            sum(d.arrears_in(months) for d in lines),
            sum(1 for d in lines if d.arrears_in(months) > 0),
        ]
        total = [a + b for a, b in zip(total, vals)]
        rows.append((cat, vals))
    if with_total:
        rows.append((TOTAL, total))
    return rows


def _sheet_dues_notice(book, data: ExportData) -> None:
    from openpyxl.styles import Alignment

    from .styles import merge_title

    cols = [
        Col(SEQ, "int", width=5),
        Col("姓名", "center"),
        Col("人员类别", "center"),
        *([Col("月缴费基数(元)", "money", width=11)] if data.show_base else []),
        Col("缴纳比例", "center", width=7),
        Col("月应缴(元)", "money", width=9),
        Col("应缴月数", "int", width=6),
        Col("应缴(元)", "money", width=10),
        Col("实缴(元)", "money", width=10),
        Col("备注", "wrap", max_width=18),
    ]
    w = SheetWriter(book, SHEET_DUES_NOTICE, cols, data.title("党费收缴情况公示"))
    w.write_title()
    w.write_header()
    months = data.months
    due_total = paid_total = 0
    for i, d in enumerate(data.dues, 1):
        due, paid = d.due_in(months), d.paid_in(months)
        due_total += due
        paid_total += paid
        unpaid = d.unpaid_in(months)
        note = ("欠缴" + "、".join(f"{m}月" for m in unpaid)) if unpaid else None
        if paid > due and not unpaid:
            note = "自愿多交"
        w.write_row(
            [
                i,
                d.member.name,
                d.category,
                *([_yuan(d.md.base_fen)] if data.show_base else []),
                d.md.rate_text,
                _yuan(d.md.monthly_due_fen),
                len(d.owes_in(months)),
                _yuan(due),
                _yuan(paid),
                note,
            ]
        )
    w.write_row(
        [
            TOTAL,
            f"{len(data.dues)}人",
            None,
            *([None] if data.show_base else []),
            None,
            None,
            None,
            _yuan(due_total),
            _yuan(paid_total),
            None,
        ],
        total=True,
    )
    last = len(cols)
    w.row += 1
    merge_title(
        w.grid,
        w.row,
        1,
        last,
        "公示期：    年  月  日至    年  月  日。如有疑问，请向支部组织委员反映。",
        "tz_note",
    )
    w.row += 1
    merge_title(
        w.grid, w.row, 1, last, f"{data.branch_name}（盖章）        年   月   日", "tz_note"
    )
    w.grid.restyle(w.row, 1, alignment=Alignment(horizontal="right", vertical="center"))
    w.finish(data, landscape=False, freeze="A3")


def _sheet_dues_quarterly(book, data: ExportData) -> None:
    from .styles import merge_title

    cols = [
        Col("季度", "center", width=14),
        Col("人员类别", "center", width=10),
        Col("人数", "int", width=6),
        Col("应缴(元)", "money", width=11),
        Col("实缴(元)", "money", width=11),
        Col("欠缴(元)", "money", width=11),
        Col("欠缴人数", "int", width=8),
        Col("收缴率", "percent", width=8),
    ]
    w = SheetWriter(book, SHEET_DUES_QUARTERLY, cols, data.title("党费收缴季度汇总表"))
    w.write_title()
    w.write_header()
    quarters = [q for q in data.period.subperiods("quarter")]
    spans = [(q.label, [p.index for p in q.months()]) for q in quarters]
    if len(spans) > 1:
        spans.append((f"{data.year}年全年", data.months))
    for label, months in spans:
        for cat, vals in _dues_by_category(data.dues, months, with_total=True):
            subtotal = cat == TOTAL
            due, paid = vals[1], vals[2]
            w.write_row(
                [
                    label,
                    "小计" if subtotal else cat,
                    vals[0],
                    _yuan(due),
                    _yuan(paid),
                    _yuan(vals[3]),
                    vals[4],
                    min(paid, due) / due if due else None,
                ],
                total=subtotal,
            )
    w.row += 1
    merge_title(
        w.grid,
        w.row,
        1,
        len(cols),
        "收缴人：            支部书记：            上缴日期：      年    月    日",
        "tz_note",
    )
    w.finish(data, landscape=False)


_STATS_KINDS = (*MEETING_KINDS, THEME_DAY, *OTHER_KINDS)


def _sheet_life_stats(book, data: ExportData) -> None:
    cols = [Col("月份", "center", width=14)] + [Col(k, "int", width=11) for k in _STATS_KINDS]
    w = SheetWriter(book, SHEET_LIFE_STATS, cols, data.title("组织生活开展情况统计表"))
    w.write_title()
    w.write_header()
    counts = {m: dict.fromkeys(_STATS_KINDS, 0) for m in data.months}
    for r in data.records:
        c = counts.get(r.date.month)
        if c is None:
            continue
        c[r.kind] = c.get(r.kind, 0) + 1
        if r.also_theme_day and r.kind != THEME_DAY:
            c[THEME_DAY] += 1  # 结合主题党日 counts as the month's theme day too
    for m in data.months:
        w.write_row([f"{m}月", *(counts[m][k] for k in _STATS_KINDS)])
    w.write_row(
        [TOTAL, *(sum(counts[m][k] for m in data.months) for k in _STATS_KINDS)], total=True
    )
    judged = dict.fromkeys(_STATS_KINDS, 0)
    held = dict.fromkeys(_STATS_KINDS, 0)
    for brow, cell in _board_cells(data):
        if brow.item not in judged or brow.item == "谈心谈话":
            continue
        if cell.status in (HELD, MISSING):
            judged[brow.item] += 1
            held[brow.item] += cell.status == HELD
    w.write_row(["应开展周期数", *(judged[k] or None for k in _STATS_KINDS)], total=True)
    w.write_row(
        ["按期开展周期数", *(held[k] if judged[k] else None for k in _STATS_KINDS)], total=True
    )
    w.columns = [cols[0]] + [Col(k, "percent") for k in _STATS_KINDS]
    w.write_row(
        ["完成率", *(held[k] / judged[k] if judged[k] else None for k in _STATS_KINDS)], total=True
    )
    w.columns = cols
    w.finish(data, landscape=True)
    from openpyxl.styles import Alignment

    from .styles import merge_title

    w.row += 1
    merge_title(
        w.grid,
        w.row,
        1,
        len(cols),
        "注：表中为各月开展次数；结合主题党日的会议同时计入主题党日。周期为月（支委会、党小组会、"
        "主题党日）、季度（支部党员大会、党课）或年度（组织生活会、民主评议党员）；"
        "党小组会按各党小组分别计算；未结束的周期不计入。",
        "tz_note",
    )
    w.grid.restyle(w.row, 1, alignment=Alignment(wrap_text=True, vertical="top"))
    w.ws.row_dimensions[w.row].height = 45


def _sheet_dues_sign(book, data: ExportData) -> None:
    """The printable 党费收缴签收表: a year is cut in two half-year sheets, so that a page
    holds a readable six months (amount and the collector's signature for each)."""
    if len(data.months) <= 6:
        _dues_sign_sheet(book, data, SHEET_DUES_SIGN, data.months, data.label)
        return
    for half, months in (("上半年", data.months[:6]), ("下半年", data.months[6:])):
        _dues_sign_sheet(book, data, f"{SHEET_DUES_SIGN}（{half}）", months, f"{data.year}年{half}")


def _dues_sign_sheet(book, data: ExportData, name: str, months: list[int], label: str) -> None:
    from openpyxl.utils import get_column_letter

    from .styles import merge_title, print_setup, put, set_widths

    grid = book.create_sheet(name)
    ws = grid.ws
    ncols = 3 + 2 * len(months)
    title = f"{data.branch_name}{label}党费收缴签收表" + (MASK_NOTE if data.mask else "")
    merge_title(grid, 1, 1, ncols, title)
    ws.row_dimensions[1].height = 30
    for col, text in ((1, SEQ), (2, "姓名"), (3, "月应缴(元)")):
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
    row = 4
    for i, d in enumerate(data.dues, 1):
        put(grid, row, 1, i, "int")
        put(grid, row, 2, d.member.name, "center")
        put(grid, row, 3, _yuan(d.md.monthly_due_fen), "money")
        for j, m in enumerate(months):
            amount = d.md.paid_by_month.get(m, 0)
            put(grid, row, 4 + 2 * j, _yuan(amount) if amount else None, "money")
            put(grid, row, 5 + 2 * j, None, "center")
        ws.row_dimensions[row].height = 24
        row += 1
    widths = {1: 5, 2: 9, 3: 9}
    for j in range(len(months)):
        widths[4 + 2 * j] = 7.5
        widths[5 + 2 * j] = 9
    set_widths(ws, widths)
    ws.freeze_panes = f"{get_column_letter(4)}4"
    print_setup(
        ws,
        branch=data.branch_name,
        period_label=data.label,
        landscape=len(months) > 3,
        title_rows="1:3",
        note="脱敏版" if data.mask else "",
    )


def _sheet_volunteer_stats(book, data: ExportData) -> None:
    """志愿服务时长统计: hours per member and month (到社区报到: who served when)."""
    months = data.months
    cols = [
        Col(SEQ, "int", width=5),
        Col("姓名", "center"),
        Col("党小组", "center"),
        Col("人员类别", "center", width=9),
        *(Col(f"{m}月", "hours", width=6.5) for m in months),
        Col("合计(小时)", "hours", width=9),
        Col("次数", "int", width=6),
    ]
    w = SheetWriter(book, SHEET_VOLUNTEER_STATS, cols, data.title("志愿服务时长统计表"))
    w.write_title()
    w.write_header()
    half: dict[int, dict[int, int]] = {}
    times: dict[int, int] = {}
    for v in data.volunteer:
        by_month = half.setdefault(v.member_id, {})
        by_month[v.date.month] = by_month.get(v.date.month, 0) + v.half_hours
        times[v.member_id] = times.get(v.member_id, 0) + 1
    month_total = dict.fromkeys(months, 0)
    for i, m in enumerate(data.roster, 1):
        mine = half.get(m.id, {})  # type: ignore[arg-type]
        for mo in months:
            month_total[mo] += mine.get(mo, 0)
        w.write_row(
            [
                i,
                m.name,
                m.group_name,
                m.category,
                *(mine[mo] / 2 if mine.get(mo) else None for mo in months),
                sum(mine.values()) / 2,
                times.get(m.id, 0),  # type: ignore[arg-type]
            ]
        )
    w.write_row(
        [
            TOTAL,
            f"{len(data.roster)}人",
            None,
            None,
            *(month_total[mo] / 2 for mo in months),
            sum(month_total.values()) / 2,
            len(data.volunteer),
        ],
        total=True,
    )
    w.finish(data, landscape=len(months) > 3, freeze="C3")


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
    _sheet_dues_notice,
    _sheet_dues_quarterly,
    _sheet_dues_sign,
    _sheet_volunteer_stats,
    lambda book, data: build_followup_sheets(book, data.model, data.mask),  # issue 18
)


# --- writing the file ---------------------------------------------------------------------


def build_workbook(data: ExportData, progress: Progress | None = None):
    """The workbook of ``data`` (a :class:`~.grid.Book`, not saved). ``progress(done,
    total)`` is called after each sheet; it may raise to cancel."""
    from .grid import Book
    from .styles import register_styles

    book = Book()
    wb = book.wb
    register_styles(wb)
    total = len(_BUILDERS) + 1
    for i, build in enumerate(_BUILDERS, 1):
        try:
            build(book, data)
            for grid in book.grids:
                grid.flush()  # the sheet's XML now (style ids are numbered in sheet order)
        except ValueError as e:  # a cell Excel cannot hold
            raise WorkbookError(f"无法导出“{wb.worksheets[-1].title}”：{e}") from e
        if progress is not None:
            progress(i, total)
    wb.active = 0
    props = wb.properties
    props.title = data.title("党建工作台账")
    props.creator = "支部台账"
    return book


def save_atomic(book, out_path: Path) -> Path:
    """Save beside ``out_path`` under a temporary name, then replace: never a half file."""
    from ..files import replacing

    with replacing(out_path, "正在 Excel 或 WPS 中打开") as tmp:
        book.save(tmp)
    return Path(out_path)


def export_workbook(
    ledger: Ledger,
    year: int,
    quarter: int | None,
    out_path: str | Path,
    mask: bool = False,
    progress: Progress | None = None,
    show_base: bool = False,
) -> Path:
    """Export the ledger of ``year`` (or its ``quarter``) to ``out_path`` (.xlsx).

    ``progress(done, total)`` reports sheets written; raising from it cancels the export
    and leaves ``out_path`` as it was. ``show_base``: the 党费收缴公示 shows each member's
    月缴费基数. Returns the path written.
    """
    out = Path(out_path)
    data = collect(ledger, year, quarter, mask, show_base)
    book = build_workbook(data, progress)
    path = save_atomic(book, out)
    if progress is not None:
        progress(len(_BUILDERS) + 1, len(_BUILDERS) + 1)
    return path
