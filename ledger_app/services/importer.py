"""Importing a ledger workbook (docs/台账格式.md §1): analyse everything, then write it all.

:func:`analyze_workbook` reads and checks every sheet without writing and returns an
:class:`ImportPlan` — the errors (each ``sheet!cell: message``), the counts per sheet, the
sheets it does not handle — which the GUI shows as a preview. :func:`apply_plan` writes the
plan in one transaction. :func:`import_workbook` does both and refuses to write anything
when there is any error (``python main.py import WORKBOOK.xlsx`` is ``cli.cmd_import``).

Decisions (the contract leaves them open):

- Importing is idempotent. Records are the same when (类型, 日期, 党小组, 议题/主题) agree —
  for 谈心谈话, which often has no 主题, also the people it lists; an existing record is
  left as it is (never overwritten). Volunteer entries are the same when (党员, 日期,
  服务项目, 时长) agree, counted as a multiset (two identical services on one day are
  two entries). 党费 months: the sheet's amount is compared with the sum already
  recorded and only the difference is added, as a new entry noted “导入” (a corrected
  cell adds a correction entry; a blank cell means "no information" and adds nothing).
- A roster row that matches an existing member (by 公民身份号码, else by 姓名) updates
  that member: a filled cell replaces the stored value (blanks fill in, changed values
  change — a changed 状态 is appended to the status history as everywhere), and a blank
  cell keeps the stored value. Such a member is counted as “更新”, an identical one as
  “已有”. The same holds for 支部信息 items and for a 党费 row's 基数 / 约定月缴 / 备注.
- A roster row without 公民身份号码 whose 姓名 another member also has is an error:
  later imports could not tell them apart.
- Names in attendance lists and in 志愿服务 must name a member who belonged to the
  branch on that day; in 党费 one who belonged in that year (when the name alone is not
  enough). 主持人, 记录人, 授课人, 组织人 are kept as written (a lecturer may be a guest).
- Dates after today are refused for records (as in the record form).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from ..domain import idcard
from ..domain.dates import format_date
from ..domain.dues import belonged_in_year
from ..domain.minutes import is_vote_kind, normalize_guests, parse_votes
from ..domain.models import (
    ACTIVE,
    ATTEND_LEAVE,
    BRANCH_INFO_KEYS,
    IMPORTED,
    MEETING_KINDS,
    THEME_DAY,
    Attendance,
    DuesSetting,
    Member,
    Payment,
    Record,
    VolunteerEntry,
)
from ..domain.volunteer import parse_hours
from ..errors import UserError, ValidationError, WorkbookError
from ..workbook.contract import (
    ATTENDANCE_COLUMNS,
    BRANCH,
    COLUMNS,
    DUES,
    DUES_COLUMNS,
    MEETINGS,
    MONTH_COLUMNS,
    OTHER,
    REQUIRED,
    ROSTER,
    ROSTER_COLUMNS,
    SHEETS,
    THEME,
    TIME,
    VOLUNTEER,
)
from ..workbook.followup import SHEETS as FOLLOWUP_SHEETS
from ..workbook.reader import (
    QUOTE_MAX,
    OpenWorkbook,
    Row,
    Table,
    WorkbookData,
    find_table,
    open_workbook,
    parse_amount,
    parse_cell_date,
    parse_id_number,
    parse_names,
    parse_text,
    parse_year,
    quote,
)
from ..workbook.registers import SHEETS as REGISTER_SHEETS
from . import import_followup
from .import_followup import FollowupPlan, parse_flag
from .ledger import Changes, Ledger
from .minutes import other_kinds
from .roster import fill_from_id_number, validate_member

# Member attribute ← roster column (text and date columns; the rest are handled apart)
_ROSTER_TEXT = {
    "gender": "性别",
    "ethnicity": "民族",
    "education": "学历",
    "member_type": "党员类别",
    "category": "人员类别",
    "post": "党内职务",
    "phone": "联系电话",
}
_ROSTER_DATES = {
    "birth_date": "出生日期",
    "join_date": "入党日期",
    "full_date": "转正日期",
    "transfer_in_date": "转入日期",
}
# ValidationError.field of the services' validators → the column it is about
_FIELD_COLUMN = {"月缴费基数": "月缴费基数(元)", "约定月缴": "约定月缴(元)"}
_COMPARED = [f.name for f in fields(Member) if f.name not in ("id", "group_id", "note")]

_YES = {"是", "√", "✓", "✔", "Y", "y", "yes", "Yes", "YES", "1"}
_NO = {"否", "×", "N", "n", "no", "No", "NO", "0"}

IMPORT_NOTE = "导入"

# counts keys
ADDED, UPDATED, PRESENT = "新增", "更新", "已有"
NEW_GROUPS = "新增党小组"
NEW_PAYMENTS, CORRECTIONS, PAYMENTS_PRESENT = "新增缴费", "其中更正", "缴费已有"


# --- the plan ---------------------------------------------------------------------------------


@dataclass
class PlannedRecord:
    """A record to add; attendance refers to member objects (new members have no id yet)."""

    record: Record
    attendance: list[tuple[Member, str, str | None]]


@dataclass
class ImportPlan:
    """What importing a workbook would do, computed without writing anything.

    ``counts[sheet]`` has, per sheet found: ``新增`` (would be added), ``更新`` (existing,
    changed: 支部信息, 党员名册, 党费), ``已有`` (already present, nothing to do); 党员名册
    also ``新增党小组``; 党费 also ``新增缴费`` (payment entries to add), ``其中更正`` (of
    those, corrections of an amount already recorded) and ``缴费已有`` (months already
    recorded with the sheet's amount). ``skipped``: sheets not imported, with why.
    ``warnings``: things ignored that the clerk may want to know (do not block).
    """

    path: Path
    errors: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # what apply_plan writes
    branch_info: dict[str, str] = field(default_factory=dict)
    new_groups: list[str] = field(default_factory=list)
    new_members: list[Member] = field(default_factory=list)
    updated_members: list[Member] = field(default_factory=list)
    records: list[PlannedRecord] = field(default_factory=list)
    dues_settings: list[tuple[Member, DuesSetting]] = field(default_factory=list)
    payments: list[tuple[Member, int, int, int]] = field(default_factory=list)
    volunteer: list[tuple[Member, VolunteerEntry]] = field(default_factory=list)
    applied: bool = False
    followup: FollowupPlan | None = None  # issue 18: 频次要求, 民主评议, 整改清单
    registers: Any = None  # 发展党员, 组织关系转接, 党员关怀 (services.import_registers)
    extra: dict[str, object] = field(default_factory=dict)  # issue 20's sheets, by key

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(
            self.branch_info
            or self.new_groups
            or self.new_members
            or self.updated_members
            or self.records
            or self.dues_settings
            or self.payments
            or self.volunteer
            or (self.followup is not None and self.followup.has_changes)
            or (self.registers is not None and self.registers.has_changes)
            or any(self.extra.values())
        )

    def summary_lines(self) -> list[str]:
        """One Chinese line per sheet (what is added / updated / already there), then the
        skipped sheets — for the CLI and the GUI preview."""
        lines = []
        for sheet, c in self.counts.items():
            unit = _UNITS.get(sheet, "条")
            parts = [f"新增 {c.get(ADDED, 0)} {unit}"]
            if c.get(UPDATED):
                parts.append(f"更新 {c[UPDATED]} {unit}")
            if c.get(PRESENT):
                parts.append(f"已有 {c[PRESENT]} {unit}")
            if c.get(NEW_GROUPS):
                parts.append(f"新增党小组 {c[NEW_GROUPS]} 个")
            if sheet == DUES:
                pay = f"缴费记录新增 {c.get(NEW_PAYMENTS, 0)} 笔"
                if c.get(CORRECTIONS):
                    pay += f"（其中更正 {c[CORRECTIONS]} 笔）"
                parts.append(pay)
            lines.append(f"{sheet}：" + "，".join(parts))
        for s in self.skipped:
            lines.append(f"未导入：{s}")
        return lines


_UNITS = {BRANCH: "项", ROSTER: "人", DUES: "人", VOLUNTEER: "条", "发展党员": "人"}


# --- analysis ---------------------------------------------------------------------------------


_P = ParamSpec("_P")
_T = TypeVar("_T")


def _gc_paused(func: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run ``func`` with Python's cyclic garbage collector paused. Reading a workbook and
    writing it create tens of thousands of objects that stay alive to the end (cell
    values, rows, the plan) and form no cycles worth collecting; the collector's repeated
    passes over them cost ~50 ms of a 300-member import. It is resumed afterwards (and
    then collects as usual)."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper


@_gc_paused
def analyze_workbook(
    ledger: Ledger, path: str | Path, data: WorkbookData | None = None
) -> ImportPlan:
    """Read and check every sheet of the workbook at ``path``; write nothing. ``data``: its
    cells already read (the committee view reads a masked copy that way).

    Raises :class:`WorkbookError` only when the file cannot be read as a workbook or has no
    sheet to import; every problem inside the sheets is in ``plan.errors``."""
    if data is not None:  # the committee view: the cells already read (a masked copy too)
        return _analyze(ledger, _ReadBook(data), ImportPlan(Path(path)))
    with open_workbook(path) as book:  # each sheet's rows are read as they are checked
        refuse_masked(book)
        return _analyze(ledger, book, ImportPlan(Path(path)))


class _ReadBook:
    """A workbook whose cells were read already, as :class:`OpenWorkbook` gives them."""

    def __init__(self, data: WorkbookData):
        self.path = data.path
        self.sheet_names = list(data.sheet_names)
        self._rows = data.rows

    def rows(self, title: str):
        return iter(self._rows.get(title, []))


class _SmallSheets:
    """The rows of the smaller sheets (issue 18's, the registers', issue 20's), each read
    whole when asked for (the contract's sheets are read a row at a time)."""

    def __init__(self, book: OpenWorkbook | _ReadBook):
        self.book = book
        self.path = book.path
        self.rows = self
        self.sheet_names = book.sheet_names

    def get(self, title: str, default=None):
        if title in self.book.sheet_names:
            return list(self.book.rows(title))
        return default


# every sheet an import reads: the contract's, then those added since (issues 18, 19, 20)
def _importable() -> tuple[str, ...]:
    from .import_assessment import S

    return SHEETS + FOLLOWUP_SHEETS + REGISTER_SHEETS + S.SHEETS


def _analyze(ledger: Ledger, book: OpenWorkbook | _ReadBook, plan: ImportPlan) -> ImportPlan:
    from . import import_assessment

    data = _SmallSheets(book)
    importable = _importable()
    titles = {name.strip(): name for name in book.sheet_names}
    for name in book.sheet_names:
        if name.strip() not in importable:
            why = "汇总表由程序计算生成" if name.strip() == "汇总" else "不是可导入的数据表"
            plan.skipped.append(f"{name}（{why}，未导入）")
    if not any(s in titles for s in importable):
        raise WorkbookError(
            f"工作簿“{plan.path.name}”中没有可导入的工作表。应有：{'、'.join(SHEETS)}",
            details=[f"现有工作表：{'、'.join(book.sheet_names) or '（无）'}"],
        )
    a = _Analyzer(ledger, plan)
    followup = import_followup.FollowupAnalyzer(a, plan, data, titles)  # issue 18's sheets
    followup.rules()  # before the records: a kind of the branch's own must be known
    handlers: dict[str, Callable[[Table], None]] = {
        BRANCH: a.branch,
        ROSTER: a.roster,
        MEETINGS: a.meetings,
        THEME: a.theme_days,
        OTHER: a.other_life,
        DUES: a.dues,
        VOLUNTEER: a.volunteer,
    }
    # The roster goes first even if the sheets are in another order: the other sheets
    # name members who may be new in this workbook.
    for sheet in SHEETS:
        if sheet not in titles:
            if sheet == ROSTER:
                a.index_members()
            continue
        title = titles[sheet]
        plan.counts[sheet] = (
            {ADDED: 0, UPDATED: 0, PRESENT: 0}
            if sheet in (BRANCH, ROSTER, DUES)
            else {ADDED: 0, PRESENT: 0}
        )
        n_errors = len(plan.errors)
        table = find_table(title, book.rows(title), COLUMNS[sheet], REQUIRED[sheet], plan.errors)
        if table is not None:
            # the rows are read as they are checked: a formula without its value is
            # reported while they are, into the analyzer's own set of reported cells
            table.reported = a.reported
            handlers[sheet](table)
        elif sheet == ROSTER and len(plan.errors) > n_errors:
            a.roster_broken = True
        if sheet == ROSTER:
            a.index_members()
    followup.rest()
    from .import_registers import analyze as analyze_registers

    plan.registers = analyze_registers(a, titles, data.rows)  # the registers' sheets (issue 19)
    import_assessment.analyze(ledger, data, titles, plan)  # 自评定级, 年度计划 (issue 20)
    return plan


class _Analyzer:
    """Holds the working state of one analysis: the roster as it will be after the import
    (database members, updated from the sheet, plus new ones) and what exists already."""

    def __init__(self, ledger: Ledger, plan: ImportPlan):
        self.ledger = ledger
        self.repo = ledger.repo
        self.plan = plan
        self.errors = plan.errors
        self.members: list[Member] = self.repo.members()
        self.group_names: set[str] = {g.name for g in self.repo.groups()}
        self.by_name: dict[str, list[Member]] = {}
        self.by_id_number: dict[str, Member] = {}
        # Names whose roster row has an error, or every name when the roster sheet cannot
        # be read: a failed lookup of such a name is a consequence, not another error.
        self.doubtful_names: set[str] = set()
        self.roster_broken = False
        self.suppressed = 0  # lookups that failed as a consequence of a roster error
        self._record_keys: Counter | None = None
        self._dues_settings: dict[int, dict[int, DuesSetting]] = {}
        self._paid: dict[int, dict[int, dict[int, int]]] = {}
        self.reported: set[str] = set()  # cells find_table already gave an error for
        # the kinds of the 其他组织生活 sheet: the contract's, 学习教育, the branch's own
        self.other_kinds: tuple[str, ...] = other_kinds(ledger)

    def err(self, ref: str, message: str) -> None:
        if ref in self.reported:
            return  # one message a cell: the first (a formula without its value, say)
        self.errors.append(f"{ref}: {_cut_quoted(message)}")

    # -- cells with their errors --------------------------------------------------------

    def _cell(self, row: Row, column: str, parse: Callable, required: bool = False):
        """Parse one cell; a blank gives None (an error if ``required``), a bad value an
        error and None."""
        raw = row.raw(column)
        if raw is None:
            if required:
                self.err(row.ref(column), f"{column}不能为空")
            return None
        try:
            return parse(raw)
        except ValueError as e:
            self.err(row.ref(column), str(e))
            return None

    def _date(self, row: Row, column: str, required: bool = False) -> dt.date | None:
        return self._cell(row, column, parse_cell_date, required)

    # -- 支部信息 -----------------------------------------------------------------------

    def branch(self, table: Table) -> None:
        counts = self.plan.counts[BRANCH]
        existing = self.repo.branch().info
        seen: dict[str, int] = {}
        for row in table.rows:
            key = row.text("项目")
            if key is None:
                self.err(row.ref("项目"), "项目不能为空")
                continue
            key = "".join(key.split())
            if key not in BRANCH_INFO_KEYS:
                self.plan.warnings.append(
                    f"{row.ref('项目')}: 未知的项目“{quote(key)}”，已忽略"
                    f"（可用项目：{'、'.join(BRANCH_INFO_KEYS)}）"
                )
                continue
            if key in seen:
                self.err(row.ref("项目"), f"项目“{key}”与第{seen[key]}行重复")
                continue
            seen[key] = row.number
            if key == "成立日期":
                day = self._date(row, "内容")
                value = format_date(day) if day else None
            else:
                value = row.text("内容")
            if value is None:
                continue  # a blank 内容 keeps what is stored
            old = existing.get(key)
            if old == value or (key == "成立日期" and _same_date(old, value)):
                counts[PRESENT] += 1
                continue
            counts[UPDATED if old else ADDED] += 1
            self.plan.branch_info[key] = value

    # -- 党员名册 -----------------------------------------------------------------------

    def roster(self, table: Table) -> None:
        counts = self.plan.counts[ROSTER]
        counts[NEW_GROUPS] = 0
        db_by_id = {idcard.normalize(m.id_number): m for m in self.members if m.id_number}
        db_by_name: dict[str, list[Member]] = defaultdict(list)
        for m in self.members:
            db_by_name[m.name].append(m)
        claimed: dict[int, int] = {}  # id() of an existing member → the sheet row naming it
        position = {id(m): i for i, m in enumerate(self.members)}
        ids_seen: dict[str, int] = {}
        rows_by_member: list[tuple[Row, Member, bool]] = []  # (row, member, has_id)
        db_groups = set(self.group_names)
        for row in table.rows:
            n_errors = len(self.errors)
            name = self._cell(row, "姓名", parse_text, required=True)
            id_number = self._cell(row, "公民身份号码", parse_id_number)
            values: dict[str, object] = {}
            for attr, col in _ROSTER_TEXT.items():
                values[attr] = row.text(col)
            for attr, col in _ROSTER_DATES.items():
                values[attr] = self._date(row, col)
            values["leading_cadre"] = self._cell(row, "党员领导干部", parse_flag)  # issue 18
            for col in REQUIRED[ROSTER]:
                if col != "姓名" and row.raw(col) is None:  # 姓名: checked above
                    self.err(row.ref(col), f"{col}不能为空")
            status = row.text("状态")
            status_date = self._date(row, "状态变更日期")
            group = row.text("党小组")
            if group and group not in self.group_names:
                self.group_names.add(group)
                if group not in db_groups:
                    self.plan.new_groups.append(group)
                    counts[NEW_GROUPS] += 1
            if name is None:
                continue
            m, match = self._roster_row(
                row, name, id_number, values, status, status_date, group, n_errors,
                db_by_id, db_by_name, claimed, ids_seen,
            )  # fmt: skip
            if m is None:
                self.doubtful_names.add(name)
                continue
            if match is None:
                self.plan.new_members.append(m)
                counts[ADDED] += 1
                self.members.append(m)
            else:
                if any(getattr(m, f) != getattr(match, f) for f in _COMPARED):
                    self.plan.updated_members.append(m)
                    counts[UPDATED] += 1
                else:
                    counts[PRESENT] += 1
                self.members[position[id(match)]] = m
            rows_by_member.append((row, m, bool(id_number)))

        # A row without 公民身份号码 must be the only member of that name, or later imports
        # (and name lists) could not tell them apart.
        names = Counter(m.name for m in self.members)
        for row, m, has_id in rows_by_member:
            if not has_id and not m.id_number and names[m.name] > 1:
                self.err(
                    row.ref("姓名"),
                    f"有{names[m.name]}名党员叫“{m.name}”，请填写公民身份号码以区分",
                )

    def _roster_row(
        self,
        row: Row,
        name: str,
        id_number: str | None,
        values: dict[str, object],
        status: str | None,
        status_date: dt.date | None,
        group: str | None,
        n_errors: int,
        db_by_id: dict[str, Member],
        db_by_name: dict[str, list[Member]],
        claimed: dict[int, int],
        ids_seen: dict[str, int],
    ) -> tuple[Member | None, Member | None]:
        """The member a roster row gives (merged into the one it matches) and that existing
        member; ``(None, None)`` when the row has an error."""
        if id_number:
            if id_number in ids_seen:
                self.err(row.ref("公民身份号码"), f"公民身份号码与第{ids_seen[id_number]}行重复")
                return None, None
            ids_seen[id_number] = row.number
        match: Member | None = None
        if id_number and id_number in db_by_id:
            match = db_by_id[id_number]
        else:
            same = db_by_name.get(name, [])
            if id_number:  # an existing member with another ID number is someone else
                same = [m for m in same if not m.id_number]
            if len(same) > 1:
                self.err(
                    row.ref("姓名"),
                    f"姓名“{name}”对应{len(same)}名已有党员，请填写公民身份号码以区分",
                )
                return None, None
            match = same[0] if same else None
        if match is not None:
            key = id(match)
            if key in claimed:
                self.err(row.ref("姓名"), f"与第{claimed[key]}行是同一名党员（“{name}”）")
                return None, None
            claimed[key] = row.number

        if match is None:
            m = Member(id=None, name=name)
            m.status = status or ACTIVE
        else:
            m = replace(match)
            m.name = name
            if status:
                m.status = status
        if status:
            m.status_date = status_date if status != ACTIVE else None
        if id_number:
            m.id_number = id_number
        for attr, value in values.items():
            if value is not None:
                setattr(m, attr, value)
        if group:
            m.group_name = group
        m = fill_from_id_number(m)
        # the rules of the roster form, each reported once per cell
        erred = {e.split(": ", 1)[0] for e in self.errors[n_errors:]}
        for e in validate_member(m):
            col = e.field if e.field in ROSTER_COLUMNS else "姓名"
            if e.field == "状态变更日期" and not status:
                col = "状态"
            ref = row.ref(col)
            if ref not in erred:
                erred.add(ref)
                self.err(ref, str(e))
        if len(self.errors) > n_errors:
            return None, None
        return m, match

    def index_members(self) -> None:
        self.by_name = defaultdict(list)
        for m in self.members:
            self.by_name[m.name].append(m)
        self.by_id_number = {idcard.normalize(m.id_number): m for m in self.members if m.id_number}

    # -- looking members up ---------------------------------------------------------------

    def _consequence(self, name: str, lookup: Callable[[], Member]) -> Member:
        try:
            return lookup()
        except ValueError as e:
            if self.roster_broken or name in self.doubtful_names:
                raise _Consequence(str(e)) from None
            raise

    def member_on(self, name: str, day: dt.date) -> Member:
        """The one member called ``name`` who belonged to the branch on ``day``."""
        return self._consequence(name, lambda: self._member_on(name, day))

    def member_in_year(self, name: str, id_number: str | None, year: int) -> Member:
        """A 党费 row's member: by 公民身份号码, else by 姓名 (preferring who belonged that year)."""
        return self._consequence(name, lambda: self._member_in_year(name, id_number, year))

    def _member_on(self, name: str, day: dt.date) -> Member:
        candidates = self.by_name.get(name, [])
        if not candidates:
            raise ValueError(f"“{name}”不是本支部党员（党员名册中没有此人）")
        on_day = [m for m in candidates if m.belongs_on(day)]
        if len(on_day) == 1:
            return on_day[0]
        if len(on_day) > 1:
            raise ValueError(f"“{name}”对应{len(on_day)}名党员，无法区分")
        if len(candidates) > 1:
            raise ValueError(f"“{name}”在{format_date(day)}不是本支部党员")
        m = candidates[0]
        start = m.start_date
        if start is not None and day < start:
            raise ValueError(
                f"“{name}”{format_date(start)}才入党或转入本支部，"
                f"{format_date(day)}时还不是本支部党员"
            )
        raise ValueError(
            f"“{name}”已于{format_date(m.end_date)}{m.status}，{format_date(day)}时不是本支部党员"
        )

    def _member_in_year(self, name: str, id_number: str | None, year: int) -> Member:
        if id_number:
            m = self.by_id_number.get(id_number)
            if m is not None:
                if m.name != name:
                    raise ValueError(f"公民身份号码属于“{m.name}”，与姓名“{name}”不符")
                return m
            candidates = [m for m in self.by_name.get(name, []) if not m.id_number]
            if len(candidates) == 1:
                return candidates[0]
            raise ValueError(f"公民身份号码“{id_number}”不在党员名册中")
        candidates = self.by_name.get(name, [])
        if not candidates:
            raise ValueError(f"“{name}”不是本支部党员（党员名册中没有此人）")
        if len(candidates) > 1:
            candidates = [m for m in candidates if belonged_in_year(m, year)]
            if len(candidates) != 1:
                raise ValueError(f"有多名党员叫“{name}”，请填写公民身份号码以区分")
        return candidates[0]

    # -- 三会一课, 主题党日, 其他组织生活 -------------------------------------------------------

    def meetings(self, table: Table) -> None:
        self._records(table, MEETINGS, "会议类型", MEETING_KINDS)

    def theme_days(self, table: Table) -> None:
        self._records(table, THEME, None, (THEME_DAY,))

    def other_life(self, table: Table) -> None:
        self._records(table, OTHER, "类型", self.other_kinds)

    def _existing_record_keys(self) -> Counter:
        if self._record_keys is None:
            self._record_keys = Counter()
            for r in self.repo.records():
                names = [a.name or "" for a in r.attendance]
                self._record_keys[_record_key(r, r.group_name, names)] += 1
        return self._record_keys

    def _records(
        self, table: Table, sheet: str, kind_column: str | None, kinds: tuple[str, ...]
    ) -> None:
        counts = self.plan.counts[sheet]
        existing = self._existing_record_keys()
        seen: dict[tuple, int] = {}
        today = self.ledger.today()
        for row in table.rows:
            n_errors = len(self.errors)
            day = self._date(row, "日期", required=True)
            if day is not None and day > today:
                self.err(row.ref("日期"), f"日期{format_date(day)}晚于今天")
            if kind_column is None:
                kind = THEME_DAY
            else:
                kind = row.text(kind_column)
                if kind is None:
                    self.err(row.ref(kind_column), f"{kind_column}不能为空")
                elif kind not in kinds:
                    self.err(
                        row.ref(kind_column),
                        f'{kind_column}应为 {"、".join(kinds[:-1])} 或 {kinds[-1]}: "{kind}"',
                    )
                    kind = None
            rec = Record(id=None, kind=kind or "", date=day or dt.date.min)
            rec.time = self._cell(row, TIME, _parse_time)
            if sheet == THEME:
                rec.topic = row.text("主题")
                if rec.topic is None:
                    self.err(row.ref("主题"), "主题不能为空")
                rec.form = row.text("活动形式")
                rec.organizer = row.text("组织人")
                rec.content = row.text("活动内容")
            else:
                rec.topic = row.text("议题" if sheet == MEETINGS else "主题")
                rec.host = row.text("主持人")
                rec.recorder = row.text("记录人")
                rec.content = row.text("主要内容")
                rec.guests = self._cell(row, "列席人员", normalize_guests)  # issue 18
            rec.place = row.text("地点")
            if sheet == MEETINGS:
                rec.lecturer = row.text("授课人")
                rec.decisions = row.text("决议事项")
                rec.also_theme_day = self._cell(row, "结合主题党日", _parse_yes) or False
                rec.votes = self._votes(row, kind)
                group = row.text("党小组")
                if kind == "党小组会":
                    if group is None:
                        self.err(row.ref("党小组"), "党小组会须填写党小组")
                    elif group not in self.group_names and not self.roster_broken:
                        self.err(
                            row.ref("党小组"),
                            f"党小组“{group}”不存在（党员名册和台账中都没有这个党小组）",
                        )
                    rec.group_name = group
            suppressed = self.suppressed
            attendance = self._attendance(row, day) if day is not None else []
            if len(self.errors) > n_errors or self.suppressed > suppressed:
                continue
            key = _record_key(rec, rec.group_name, [m.name for m, _, _ in attendance])
            if key in seen:
                self.err(
                    row.ref("日期"),
                    f"与第{seen[key]}行是同一条记录（日期、类型、党小组和议题/主题都相同）",
                )
                continue
            seen[key] = row.number
            if existing[key] > 0:
                existing[key] -= 1
                counts[PRESENT] += 1
                continue
            counts[ADDED] += 1
            self.plan.records.append(PlannedRecord(rec, attendance))

    def _votes(self, row: Row, kind: str | None) -> list:
        """表决情况 (issue 18): read, and only for the meetings that vote."""
        votes = self._cell(row, "表决情况", lambda v: parse_votes(parse_text(v))) or []
        if votes and kind is not None and not is_vote_kind(kind):
            self.err(row.ref("表决情况"), "只有支部党员大会、支委会记录表决")
        return votes

    def _attendance(self, row: Row, day: dt.date) -> list[tuple[Member, str, str | None]]:
        out: list[tuple[Member, str, str | None]] = []
        where: dict[int, str] = {}  # id(member) → the list it is in
        for column, status in ATTENDANCE_COLUMNS:
            entries = self._cell(row, column, parse_names) or []
            for name, reason in entries:
                try:
                    m = self.member_on(name, day)
                except _Consequence:
                    self.suppressed += 1
                    continue
                except ValueError as e:
                    self.err(row.ref(column), f"{column}中的{e}")
                    continue
                if id(m) in where:
                    if where[id(m)] != column:
                        self.err(row.ref(column), f"“{name}”同时出现在{where[id(m)]}和{column}中")
                    continue  # the same name twice in one list counts once
                where[id(m)] = column
                out.append((m, status, reason if status == ATTEND_LEAVE else None))
        return out

    # -- 党费 -------------------------------------------------------------------------------

    def _settings(self, year: int) -> dict[int, DuesSetting]:
        if year not in self._dues_settings:
            self._dues_settings[year] = self.repo.dues_settings(year)
        return self._dues_settings[year]

    def _paid_by_month(self, year: int) -> dict[int, dict[int, int]]:
        if year not in self._paid:
            self._paid[year] = self.repo.paid_by_month(year)
        return self._paid[year]

    def dues(self, table: Table) -> None:
        from .dues import validate_setting

        counts = self.plan.counts[DUES]
        counts.update({NEW_PAYMENTS: 0, CORRECTIONS: 0, PAYMENTS_PRESENT: 0})
        seen: dict[tuple[int, int], int] = {}
        for row in table.rows:
            n_errors = len(self.errors)
            year = self._cell(row, "年度", parse_year, required=True)
            name = self._cell(row, "姓名", parse_text, required=True)
            id_number = self._cell(row, "公民身份号码", parse_id_number)
            base = self._cell(row, "月缴费基数(元)", parse_amount)
            fixed = self._cell(row, "约定月缴(元)", parse_amount)
            note = row.text("备注")
            paid = {}
            for month, column in enumerate(MONTH_COLUMNS, start=1):
                amount = self._cell(row, column, parse_amount)
                if amount is not None:
                    paid[month] = amount
            if year is None or name is None:
                continue
            try:
                m = self.member_in_year(name, id_number, year)
            except _Consequence:
                continue
            except ValueError as e:
                self.err(row.ref("公民身份号码" if id_number else "姓名"), str(e))
                continue
            if (id(m), year) in seen:
                self.err(row.ref("姓名"), f"{name}{year}年的党费与第{seen[id(m), year]}行重复")
                continue
            seen[id(m), year] = row.number

            old = self._settings(year).get(m.id) if m.id is not None else None
            if old is None and base is None and fixed is None and note is None and not paid:
                # a row that records nothing: the export writes one for every member of the
                # year, also one who owes no month of it (left in January)
                counts[PRESENT] += 1
                continue
            setting = replace(old) if old else DuesSetting(member_id=m.id or 0, year=year)
            if base is not None:
                setting.base_fen = base
            if fixed is not None:
                setting.fixed_fen = fixed
            if note is not None:
                setting.note = note
            for e in validate_setting(m, setting):
                column = _FIELD_COLUMN.get(e.field, e.field)
                if column not in DUES_COLUMNS:
                    column = "姓名"
                self.err(row.ref(column), str(e))
            if len(self.errors) > n_errors:
                continue
            if old is None and base is None and fixed is None and note is None:
                # a row with payments only (学生, 下岗失业): no terms to record, so a
                # re-import finds nothing to add either
                counts[ADDED if not recorded_any(self._paid_by_month(year), m) else PRESENT] += 1
            elif old is None:
                counts[ADDED] += 1
                self.plan.dues_settings.append((m, setting))
            elif setting != old:
                counts[UPDATED] += 1
                self.plan.dues_settings.append((m, setting))
            else:
                counts[PRESENT] += 1
            recorded = self._paid_by_month(year).get(m.id, {}) if m.id is not None else {}
            for month, amount in paid.items():
                before = recorded.get(month, 0)
                if amount == before:
                    counts[PAYMENTS_PRESENT] += 1
                    continue
                counts[NEW_PAYMENTS] += 1
                if before:
                    counts[CORRECTIONS] += 1
                self.plan.payments.append((m, year, month, amount - before))

    # -- 志愿服务 ------------------------------------------------------------------------------

    def volunteer(self, table: Table) -> None:
        counts = self.plan.counts[VOLUNTEER]
        existing: Counter = Counter(
            (v.member_id, v.date, v.project or "", v.half_hours) for v in self.repo.volunteer()
        )
        for row in table.rows:
            n_errors = len(self.errors)
            day = self._date(row, "日期", required=True)
            name = self._cell(row, "姓名", parse_text, required=True)
            half_hours = self._cell(row, "时长(小时)", parse_hours, required=True)
            m = None
            if day is not None and name is not None:
                try:
                    m = self.member_on(name, day)
                except _Consequence:
                    continue
                except ValueError as e:
                    self.err(row.ref("姓名"), str(e))
            if len(self.errors) > n_errors or m is None or day is None:
                continue
            entry = VolunteerEntry(
                id=None,
                member_id=m.id or 0,
                date=day,
                half_hours=half_hours,
                project=row.text("服务项目"),
                place=row.text("地点"),
                witness=row.text("证明人"),
                note=row.text("备注"),
            )
            key = (m.id, day, entry.project or "", half_hours)
            if m.id is not None and existing[key] > 0:
                existing[key] -= 1
                counts[PRESENT] += 1
                continue
            counts[ADDED] += 1
            self.plan.volunteer.append((m, entry))


_LONG = f"{{{QUOTE_MAX + 1},}}"  # more characters than a message quotes
_QUOTED = re.compile(rf'"([^"]{_LONG})"|“([^”]{_LONG})”')


def _cut_quoted(message: str) -> str:
    """Every value quoted in a message cut to a readable length (a cell may hold 32,767
    characters; the message names the cell, which is enough to find it)."""
    return _QUOTED.sub(
        lambda m: f'"{quote(m[1])}"' if m[1] is not None else f"“{quote(m[2])}”", message
    )


# an ID number as a masked export writes it (domain.idcard.mask): 110105********1234
_MASKED_ID = re.compile(r"\d{6}\*{4,}\d{3}[\dXx]")
MASKED_MESSAGE = (
    "“{name}”是脱敏版台账（身份证号、电话已隐去），不能导入：导入时按公民身份号码匹配党员。"
    "请导入未脱敏的原始台账。"
)


def refuse_masked(book: OpenWorkbook) -> None:
    """A workbook exported with ``--mask`` is for sending out: one clear message instead of
    an error for every masked ID number."""
    from itertools import islice

    for sheet in (ROSTER, DUES):
        title = next((t for t in book.sheet_names if t.strip() == sheet), None)
        for row in islice(book.rows(title), MASK_SCAN_ROWS) if title else ():
            for v in row:
                if isinstance(v, str) and ("脱敏版" in v or _MASKED_ID.fullmatch(v.strip())):
                    raise WorkbookError(MASKED_MESSAGE.format(name=book.path.name))


MASK_SCAN_ROWS = 40  # the title, the header and the first rows tell


def recorded_any(paid: dict[int, dict[int, int]], m: Member) -> bool:
    """Has anything been paid already by this member in that year?"""
    return m.id is not None and bool(paid.get(m.id))


def _same_date(a: str | None, b: str | None) -> bool:
    try:
        return parse_cell_date(a) == parse_cell_date(b)
    except ValueError:
        return False


class _Consequence(ValueError):
    """A failed lookup of a name whose roster row is itself in error: not reported again."""


def _parse_yes(value: object) -> bool:
    text = parse_text(value)
    if text is None or text in _NO:
        return False
    if text in _YES:
        return True
    raise ValueError(f'结合主题党日应填“是”或留空: "{text}"')


def _parse_time(value: object) -> str | None:
    """时间: ``19:30`` / ``19:30-21:00`` as the record form takes it, or an Excel time."""
    from .records import normalize_time

    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, float) and 0 <= value < 1:  # a time cell that lost its format
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    text = parse_text(value)
    try:
        return normalize_time(text)
    except ValidationError as e:
        reason = e.reason
        raise ValueError(reason if reason.startswith("结束") else f"时间{reason}") from None


def _record_key(rec: Record, group_name: str | None, names: list[str]) -> tuple:
    """What makes two records the same (see the module docstring)."""
    key: tuple = (
        rec.kind,
        rec.date,
        (group_name or "") if rec.kind == "党小组会" else "",
        rec.topic or "",
    )
    if rec.kind == "谈心谈话":
        key += (tuple(sorted(names)),)
    return key


# --- writing ------------------------------------------------------------------------------------


@_gc_paused
def apply_plan(ledger: Ledger, plan: ImportPlan) -> Changes:
    """Write everything the plan holds in one transaction (all or nothing)."""
    if plan.errors:
        raise WorkbookError(
            f"导入失败，共 {len(plan.errors)} 处错误，未写入任何数据：", details=plan.errors
        )
    if plan.applied:
        raise UserError("这份导入已经执行过了，请重新选择文件导入。")
    plan.applied = True
    from . import import_assessment

    repo = ledger.repo
    user = ledger.user or None
    now = dt.datetime.now().replace(microsecond=0)
    # "today" is the ledger's (fixed in tests), as in the record form, so 补记 is judged
    # on one clock
    created = dt.datetime.combine(ledger.today(), now.time())
    with repo.atomic():
        if plan.branch_info:
            repo.set_branch_info(dict(plan.branch_info))
        for name in plan.new_groups:
            repo.ensure_group(name)
        for m in plan.new_members:
            m.group_id = repo.ensure_group(m.group_name) if m.group_name else None
            repo.add_member(m)
        for m in plan.updated_members:
            m.group_id = repo.ensure_group(m.group_name) if m.group_name else m.group_id
            repo.update_member(m)
        for pr in plan.records:
            rec = pr.record
            if rec.kind == "党小组会" and rec.group_name:
                rec.group_id = repo.ensure_group(rec.group_name)
            rec.attendance = [
                Attendance(m.id, status, reason, m.name)  # type: ignore[arg-type]
                for m, status, reason in pr.attendance
            ]
            rec.origin = IMPORTED
        repo.add_records([pr.record for pr in plan.records], created_at=created)
        for m, setting in plan.dues_settings:
            setting.member_id = m.id  # type: ignore[assignment]
            repo.set_dues_setting(setting)
        repo.add_payments(
            Payment(None, m.id, year, month, fen, None, user, IMPORT_NOTE)  # type: ignore[arg-type]
            for m, year, month, fen in plan.payments
        )
        for m, entry in plan.volunteer:
            entry.member_id = m.id  # type: ignore[assignment]
        repo.add_volunteer_entries(entry for _, entry in plan.volunteer)
        rules_changed, registers_changed = import_followup.apply(ledger, plan)
        if plan.registers is not None:
            from .import_registers import apply as apply_registers

            apply_registers(ledger, plan.registers)
        assessed = import_assessment.apply(ledger, plan)  # issue 20
    return assessed | Changes(
        settings=rules_changed,
        followup=registers_changed,
        branch=bool(plan.branch_info),
        members=bool(plan.new_groups or plan.new_members or plan.updated_members),
        records=bool(plan.records),
        dues=bool(plan.dues_settings or plan.payments),
        volunteer=bool(plan.volunteer),
        registers=plan.registers is not None and plan.registers.has_changes,
    )


@_gc_paused
def import_workbook(ledger: Ledger, path: str | Path) -> ImportPlan:
    """Analyse, and write only when there is no error at all."""
    plan = analyze_workbook(ledger, path)
    if plan.errors:
        raise WorkbookError(
            f"导入失败，共 {len(plan.errors)} 处错误，未写入任何数据：", details=plan.errors
        )
    apply_plan(ledger, plan)
    return plan
