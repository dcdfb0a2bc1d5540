"""Importing issue 18's sheets (民主评议, 整改清单, 频次要求), with the importer's guarantees:
all or nothing (errors as ``sheet!cell: message``), idempotent, round trip exact.

Called from ``services.importer`` at three points: :meth:`FollowupAnalyzer.rules` before
the record sheets (a kind of the branch's own must be known before 其他组织生活 names it),
:meth:`FollowupAnalyzer.rest` after them (grades name members; 整改 items name records,
which may be new in the same workbook), and :func:`apply` inside the import's transaction.

Decisions, as for the contract sheets:
- 频次要求: a row for an item that has a rule updates it when the numbers differ; a row
  for a new item adds the rule (学习教育 or a kind of the branch's own).
- 民主评议: one grade per (年度, 党员); a filled cell replaces the stored value, a blank
  one keeps it (as the roster does).
- 整改清单: an item is the same when its 问题编号 agrees (an item made from the 问题清单),
  else when 来源 and 问题 agree; an existing item is updated from the filled cells.
  来源记录 (``2025-12-18 组织生活会``) names a record of the ledger or of the workbook.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace

from ..domain import kinds as K
from ..domain.appraisal import Appraisal, validate_appraisal
from ..domain.dates import format_date
from ..domain.models import FrequencyRule, Member, Record
from ..domain.rectification import Rectification, validate_rectification
from ..storage import followup_repo
from ..workbook import followup as F
from ..workbook.reader import (
    Row,
    Table,
    find_table,
    parse_cell_date,
    parse_id_number,
    parse_text,
    parse_year,
)

ADDED, UPDATED, PRESENT = "新增", "更新", "已有"
_PERIODS = {word: key for key, word in F.PERIOD_WORDS.items()}
_APPRAISAL_TEXT = {
    "grade": "等次",
    "reason": "说明",
    "talk_by": "谈话人",
    "measure": "处理",
    "result": "改正情况",
}
_APPRAISAL_DATES = {"talk_date": "谈话日期", "deadline": "改正期限"}
_RECT_TEXT = {
    "measure": "整改措施",
    "owner": "责任人",
    "status": "状态",
    "result": "整改情况",
    "source_note": "来源说明",
    "source_key": "问题编号",
}
_RECT_DATES = {"found_on": "提出日期", "deadline": "整改时限", "done_on": "完成日期"}
# ValidationError.field → the column it is about
_FIELD_COLUMN = {"完成日期": "完成日期", "整改时限": "整改时限", "状态": "状态", "来源": "来源"}


@dataclass
class FollowupPlan:
    """What importing issue 18's sheets would write."""

    rules: list[FrequencyRule] = field(default_factory=list)
    appraisals: list[tuple[Member, Appraisal]] = field(default_factory=list)
    # (item, the record it names: an id, a Record of the workbook, or None)
    rectifications: list[tuple[Rectification, int | Record | None]] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.rules or self.appraisals or self.rectifications)


class FollowupAnalyzer:
    """Reads the three sheets into ``plan.followup`` beside the importer's analysis."""

    def __init__(self, analyzer, plan, data, titles: dict[str, str]):
        self.a = analyzer
        self.plan = plan
        self.errors: list[str] = plan.errors
        self.data = data
        self.titles = titles
        self.db = analyzer.ledger.db
        self.out = FollowupPlan()
        plan.followup = self.out
        # the importer's own: cell errors as ``sheet!cell: message`` into the same list
        self.err = analyzer.err
        self._cell = analyzer._cell

    def _table(self, sheet: str) -> Table | None:
        title = self.titles.get(sheet)
        if title is None:
            return None
        self.plan.counts[sheet] = {ADDED: 0, UPDATED: 0, PRESENT: 0}
        return find_table(
            title, self.data.rows.get(title, []), F.COLUMNS[sheet], F.REQUIRED[sheet], self.errors
        )

    # -- 频次要求 (before the record sheets) -------------------------------------------------

    def rules(self) -> None:
        table = self._table(F.RULES)
        if table is None:
            return
        counts = self.plan.counts[F.RULES]
        existing = {r.item: r for r in self.a.repo.rules()}
        seen: dict[str, int] = {}
        for row in table.rows:
            n = len(self.errors)
            item = self._cell(row, "项目", parse_text, required=True)
            period = self._cell(row, "周期", parse_text, required=True)
            required = self._cell(row, "至少次数", _parse_count, required=True)
            if period is not None and period not in _PERIODS:
                self.err(row.ref("周期"), f'周期应为 每月、每季度 或 每年: "{period}"')
            if item is None or len(self.errors) > n:
                continue
            if item in seen:
                self.err(row.ref("项目"), f"项目“{item}”与第{seen[item]}行重复")
                continue
            seen[item] = row.number
            rule = FrequencyRule(item, _PERIODS[period], required)  # type: ignore[index, arg-type]
            old = existing.get(item)
            if old is None:
                problem = K.new_item_problem(item, existing.values())
                if problem:
                    self.err(row.ref("项目"), problem)
                    continue
                counts[ADDED] += 1
                self.out.rules.append(rule)
            elif (old.period, old.required) != (rule.period, rule.required):
                counts[UPDATED] += 1
                self.out.rules.append(rule)
            else:
                counts[PRESENT] += 1
        added = [r.item for r in self.out.rules if r.item not in existing]
        self.a.other_kinds = tuple(self.a.other_kinds) + tuple(
            k for k in added if K.is_other_kind(k) and k not in self.a.other_kinds
        )

    # -- 民主评议 and 整改清单 (after the record sheets) --------------------------------------------

    def rest(self) -> None:
        table = self._table(F.APPRAISAL)
        if table is not None:
            self._appraisals(table)
        table = self._table(F.RECTIFICATION)
        if table is not None:
            self._rectifications(table)

    def _appraisals(self, table: Table) -> None:
        from .importer import _Consequence

        counts = self.plan.counts[F.APPRAISAL]
        stored: dict[tuple[int, int], Appraisal] = {
            (a.year, a.member_id): a for a in followup_repo.appraisals(self.db)
        }
        seen: dict[tuple[int, int], int] = {}
        for row in table.rows:
            n = len(self.errors)
            year = self._cell(row, "年度", parse_year, required=True)
            name = self._cell(row, "姓名", parse_text, required=True)
            id_number = self._cell(row, "公民身份号码", parse_id_number)
            values = {attr: row.text(col) for attr, col in _APPRAISAL_TEXT.items()}
            for attr, col in _APPRAISAL_DATES.items():
                values[attr] = self._cell(row, col, parse_cell_date)
            if values["grade"] is None:
                self.err(row.ref("等次"), "等次不能为空")
            if year is None or name is None or len(self.errors) > n:
                continue
            try:
                m = self.a.member_in_year(name, id_number, year)
            except _Consequence:
                continue
            except ValueError as e:
                self.err(row.ref("公民身份号码" if id_number else "姓名"), str(e))
                continue
            if not _belongs_in(m, year):
                self.err(row.ref("姓名"), f"“{name}”在{year}年不是本支部党员")
                continue
            key = (id(m), year)
            if key in seen:
                self.err(row.ref("姓名"), f"{name}{year}年的等次与第{seen[key]}行重复")
                continue
            seen[key] = row.number
            old = stored.get((year, m.id)) if m.id is not None else None  # type: ignore[arg-type]
            a = replace(old) if old else Appraisal(None, year, m.id or 0, values["grade"] or "")
            for attr, value in values.items():
                if value is not None:
                    setattr(a, attr, value)
            problems = validate_appraisal(a)
            for e in problems:
                column = e.field if e.field in F.APPRAISAL_COLUMNS else "等次"
                self.err(row.ref(column), str(e))
            if problems:
                continue
            if old is None:
                counts[ADDED] += 1
                self.out.appraisals.append((m, a))
            elif _differ(a, old):
                counts[UPDATED] += 1
                self.out.appraisals.append((m, a))
            else:
                counts[PRESENT] += 1

    def _rectifications(self, table: Table) -> None:
        counts = self.plan.counts[F.RECTIFICATION]
        stored = followup_repo.rectifications(self.db)
        by_key = {r.source_key: r for r in stored if r.source_key}
        by_text = {(r.source, r.problem): r for r in stored}
        seen: dict[tuple, int] = {}
        for row in table.rows:
            n = len(self.errors)
            source = self._cell(row, "来源", parse_text, required=True)
            problem = self._cell(row, "问题", parse_text, required=True)
            values = {attr: row.text(col) for attr, col in _RECT_TEXT.items()}
            for attr, col in _RECT_DATES.items():
                values[attr] = self._cell(row, col, parse_cell_date)
            ref = self._record_ref(row)
            if source is None or problem is None or len(self.errors) > n:
                continue
            key = ("key", values["source_key"]) if values["source_key"] else (source, problem)
            if key in seen:
                self.err(row.ref("问题"), f"与第{seen[key]}行是同一整改事项")
                continue
            seen[key] = row.number
            old = by_key.get(values["source_key"]) if values["source_key"] else None
            old = old or by_text.get((source, problem))
            it = replace(old) if old else Rectification(None, source, problem)
            it.source, it.problem = source, problem
            for attr, value in values.items():
                if value is not None:
                    setattr(it, attr, value)
            if isinstance(ref, int):
                it.record_id = ref
            problems = validate_rectification(it)
            for e in problems:
                self.err(row.ref(_FIELD_COLUMN.get(e.field, "问题")), str(e))
            if problems:
                continue
            if old is None:
                counts[ADDED] += 1
                self.out.rectifications.append((it, ref))
            elif _differ(it, old, skip=("files",)) or isinstance(ref, Record):
                counts[UPDATED] += 1
                self.out.rectifications.append((it, ref))
            else:
                counts[PRESENT] += 1

    def _record_ref(self, row: Row) -> int | Record | None:
        """来源记录 ``2025-12-18 组织生活会`` → the record's id, or the workbook's Record."""
        text = row.text("来源记录")
        if text is None:
            return None
        parts = text.split()
        try:
            day = parse_cell_date(parts[0]) if len(parts) == 2 else None
        except ValueError:
            day = None
        if day is None:
            self.err(row.ref("来源记录"), f'来源记录应如“2025-12-18 组织生活会”: "{text}"')
            return None
        kind = parts[1]
        found = self.a.repo.records(kinds=[kind], start=day, end=day, with_attendance=False)
        if found:
            return found[0].id
        for pr in self.plan.records:
            if pr.record.kind == kind and pr.record.date == day:
                return pr.record
        self.err(row.ref("来源记录"), f"没有{format_date(day)}的{kind}记录")
        return None


def apply(ledger, plan) -> tuple[bool, bool]:
    """Write ``plan.followup`` (inside the import's transaction, after the records).
    Returns (settings changed, registers changed)."""
    fu: FollowupPlan | None = getattr(plan, "followup", None)
    if fu is None:
        return False, False
    repo = ledger.repo
    for rule in fu.rules:
        repo.set_rule(rule)
    for m, a in fu.appraisals:
        a.member_id = m.id  # type: ignore[assignment]
        followup_repo.save_appraisal(ledger.db, a)
    for it, ref in fu.rectifications:
        if isinstance(ref, Record):
            it.record_id = ref.id
        if it.id is None:
            followup_repo.add_rectification(ledger.db, it)
        else:
            followup_repo.update_rectification(ledger.db, it)
    return bool(fu.rules), bool(fu.appraisals or fu.rectifications)


def _parse_count(value: object) -> int:
    text = parse_text(value) or ""
    if not text.isdigit() or not 0 <= int(text) <= 31:
        raise ValueError(f'至少次数应为 0–31 的整数: "{text}"')
    return int(text)


def parse_flag(value: object) -> bool | None:
    """党员领导干部: 是 / 否 (blank: keep what is stored)."""
    text = parse_text(value)
    if text is None:
        return None
    if text in ("是", "√", "✓", "Y", "y", "1"):
        return True
    if text in ("否", "×", "N", "n", "0"):
        return False
    raise ValueError(f'党员领导干部应填“是”或留空: "{text}"')


def _belongs_in(m: Member, year: int) -> bool:
    from ..domain.compliance import belongs_during

    return belongs_during(m, dt.date(year, 1, 1), dt.date(year, 12, 31))


def _differ(new, old, skip: tuple[str, ...] = ("member_name",)) -> bool:
    return any(
        getattr(new, f.name) != getattr(old, f.name)
        for f in fields(new)
        if f.name not in skip and f.name != "id"
    )
