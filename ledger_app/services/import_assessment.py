"""Importing the sheets of issue 20 — 自评定级 and 年度计划 — with the importer's guarantees:
every problem is a ``sheet!cell: message`` error of the same plan (nothing is written when
there is any), a second import adds nothing, and an exported workbook imports back to the
same table, scores and plan (round trip).

Called by ``services.importer`` (``analyze`` while the plan is made, ``apply`` inside its
transaction).

Decisions:
- 自评定级: the sheet's criteria *are* the points table when the ledger still has the
  shipped table untouched (a new ledger, the committee view's scratch ledger), so the
  branch's own table comes back exactly; otherwise they are merged in (added or updated by
  类别 + 评分项目, none removed). A blank 人工评分 / 说明 keeps what is stored. 加分/减分
  items are the same when period, points and reason agree.
- 年度计划: items are the same when 年度, 月份, 类型, 主题 and 主讲人 agree (counted as a
  multiset); a changed 备注 updates the item.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..domain import assessment as A
from ..domain.dates import Period
from ..domain.plan import PLAN_KINDS, PlanItem
from ..storage import assessment_repo as repo
from ..workbook import assessment_sheets as S
from ..workbook.reader import Row, WorkbookData, find_table, parse_cell_date, parse_text, parse_year
from .ledger import Changes, Ledger

KEY = "issue20"  # ImportPlan.extra key
ADDED, UPDATED, PRESENT = "新增", "更新", "已有"


@dataclass
class Planned:
    """What the two sheets would write."""

    replace_table: bool = False
    criteria: list[A.Criterion] = field(default_factory=list)  # the table to save (or merge)
    thresholds: A.Thresholds | None = None
    scores: list[tuple[str, A.HandScore]] = field(default_factory=list)  # (period, score)
    adjustments: list[A.Adjustment] = field(default_factory=list)
    reviews: list[A.Review] = field(default_factory=list)
    new_items: list[PlanItem] = field(default_factory=list)
    updated_items: list[PlanItem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.criteria
            or self.thresholds
            or self.scores
            or self.adjustments
            or self.reviews
            or self.new_items
            or self.updated_items
        )


_PERIOD = re.compile(r"^(\d{4})\s*(?:年度?)?\s*(?:[-/.]?\s*(\d{1,2})\s*月?)?$")


def parse_period(value: object) -> str:
    """``2025年`` / ``2025`` → ``"2025"``; ``2025年5月`` / ``2025-05`` → ``"2025-05"``."""
    text = "".join((parse_text(value) or "").split())
    m = _PERIOD.match(text)
    if not m:
        raise ValueError(f"期间应写作 2025年 或 2025年5月: “{text[:20]}”")
    year = int(m.group(1))
    if not 1921 <= year <= 2200:
        raise ValueError(f"期间的年度超出范围: “{text[:20]}”")
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"期间的月份应为 1–12: “{text[:20]}”")
        return Period.month(year, month).key
    return str(year)


def parse_month(value: object) -> int:
    text = (parse_text(value) or "").removesuffix("月").strip()
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValueError(f"月份应为 1–12: “{text[:20]}”")
    return int(text)


class _Reader:
    def __init__(self, ledger: Ledger, errors: list[str]):
        self.ledger = ledger
        self.errors = errors

    def err(self, row: Row, column: str, message: str) -> None:
        self.errors.append(f"{row.ref(column)}: {message}")

    def cell(self, row: Row, column: str, parse, required: bool = False):
        raw = row.raw(column)
        if raw is None:
            if required:
                self.err(row, column, f"{column}不能为空")
            return None
        try:
            return parse(raw)
        except ValueError as e:
            self.err(row, column, str(e))
            return None


def _is_default(table: list[A.Criterion]) -> bool:
    """The stored table is the shipped one, untouched."""
    want = [(c.category, c.name, c.points, c.source or "") for c in A.default_criteria()]
    return [(c.category, c.name, c.points, c.source or "") for c in table] == want


def _assessment(r: _Reader, table, planned: Planned, counts: dict[str, int]) -> None:
    db = r.ledger.db
    stored = repo.criteria(db)
    by_key = {c.key: c for c in stored}
    planned.replace_table = _is_default(stored)
    defined: dict[tuple[str, str], tuple[A.Criterion, int]] = {}
    levels: dict[str, tuple[int, int]] = {}
    scores: dict[tuple[str, tuple[str, str]], tuple[A.HandScore, Row]] = {}
    adjustments: list[A.Adjustment] = []
    reviews: dict[str, A.Review] = {}
    for row in table.rows:
        n = len(r.errors)
        period = r.cell(row, "期间", parse_period, required=True)
        category = r.cell(row, "类别", parse_text, required=True)
        name = r.cell(row, "评分项目", parse_text, required=category != S.REVIEW)
        if category == S.TOTAL or len(r.errors) > n or period is None or category is None:
            continue
        if category == S.LEVEL:
            lowest = r.cell(row, "分值", A.parse_points, required=True)
            if name not in A.GRADES[:3]:
                r.err(row, "评分项目", f"等级应为 {'、'.join(A.GRADES[:3])} 之一: “{name}”")
            elif lowest is not None:
                if name in levels and levels[name][0] != lowest:
                    r.err(row, "分值", f"{name}的分数线与第{levels[name][1]}行不同")
                levels.setdefault(name, (lowest, row.number))
            continue
        if category in (A.BONUS, A.PENALTY):
            points = r.cell(row, "分值", lambda v: A.parse_points(v, "加减分"), required=True)
            if points == 0:
                r.err(row, "分值", "加减分的分值不能为 0")
            elif points is not None and name:
                sign = 1 if category == A.BONUS else -1
                adjustments.append(A.Adjustment(None, period, sign * points, name))
            continue
        if category == S.REVIEW:
            day = r.cell(row, "评定日期", parse_cell_date)
            if day is not None and day > r.ledger.today():
                r.err(row, "评定日期", "评定日期晚于今天")
            reviews[period] = A.Review(
                period, day, row.text("评定人") or "", row.text("说明") or ""
            )
            continue
        if name is None:
            continue
        points = r.cell(row, "分值", A.parse_points, required=True)
        label = row.text("取数") or ""
        source = A.source_key(label)
        if source is None:
            r.err(row, "取数", f"未知的取数项“{label[:20]}”（应为 人工评分 或 程序列出的台账项目）")
        if points is None or source is None:
            continue
        if points == 0:
            r.err(row, "分值", "分值应大于 0")
            continue
        crit = A.Criterion(None, category, name, points, row.text("评分标准") or "", source)
        key = crit.key
        if key in defined:
            first, line = defined[key]
            if (first.points, first.source, first.standard) != (
                crit.points,
                crit.source,
                crit.standard,
            ):
                r.err(row, "评分项目", f"“{name}”的分值、取数或评分标准与第{line}行不同")
                continue
        else:
            defined[key] = (crit, row.number)
        hand = r.cell(row, "人工评分", lambda v: A.parse_points(v, "人工评分"))
        note = row.text("说明") or ""
        if hand is not None or note:
            if hand is not None and hand > points:
                r.err(row, "人工评分", f"得分超过分值 {A.format_points(points)}")
                continue
            if hand is not None and not note and (A.from_ledger(crit) or hand < points):
                r.err(row, "说明", "调整台账取数的得分或扣分，须在说明中写明原因")
                continue
            scores[(period, key)] = (A.HandScore(key, hand, note), row)

    thresholds = A.Thresholds(*(levels[g][0] for g in A.GRADES[:3])) if len(levels) == 3 else None
    if levels and len(levels) != 3:
        r.errors.append(f"{table.sheet}!A1: 等级分数线应同时写出 示范、过硬、达标 三行")
    if thresholds is not None:
        for p in thresholds.problems():
            r.errors.append(f"{table.sheet}!A1: {p}")
        if thresholds != repo.thresholds(db):
            planned.thresholds = thresholds
            counts[UPDATED] += 1

    # the table
    sheet_table = [c for c, _ in defined.values()]
    for c in sheet_table:
        old = by_key.get(c.key)
        if old is None:
            counts[ADDED] += 1
        elif (old.points, old.source, old.standard) != (c.points, c.source, c.standard):
            counts[UPDATED] += 1
        else:
            counts[PRESENT] += 1
    if planned.replace_table:
        same = [(c.key, c.points, c.source, c.standard) for c in stored] == [
            (c.key, c.points, c.source, c.standard) for c in sheet_table
        ]
        planned.criteria = [] if same or not sheet_table else sheet_table
    else:
        planned.criteria = [
            c
            for c in sheet_table
            if c.key not in by_key
            or (by_key[c.key].points, by_key[c.key].source, by_key[c.key].standard)
            != (c.points, c.source, c.standard)
        ]
    # scores, items, reviews against what the year holds
    years = {int(p[:4]) for p, _ in scores} | {int(a.period[:4]) for a in adjustments}
    years |= {int(p[:4]) for p in reviews}
    saved = {y: repo.assessment_data(db, y) for y in years}
    for (period, key), (hs, _row) in scores.items():
        old = saved[int(period[:4])].scores.get(period, {}).get(key)
        merged = A.HandScore(
            key,
            hs.score if hs.score is not None else (old.score if old else None),
            hs.note or (old.note if old else ""),
        )
        if old is not None and (old.score, old.note) == (merged.score, merged.note):
            counts[PRESENT] += 1
            continue
        counts[UPDATED if old else ADDED] += 1
        planned.scores.append((period, merged))
    have: Counter = Counter()
    for data in saved.values():
        for items in data.adjustments.values():
            have.update((a.period, a.points, a.reason) for a in items)
    for a in adjustments:
        k = (a.period, a.points, a.reason)
        if have[k] > 0:
            have[k] -= 1
            counts[PRESENT] += 1
            continue
        counts[ADDED] += 1
        planned.adjustments.append(a)
    for period, rv in reviews.items():
        old = saved[int(period[:4])].reviews.get(period)
        if old is not None and (old.assessed_on, old.assessor, old.remark) == (
            rv.assessed_on,
            rv.assessor,
            rv.remark,
        ):
            counts[PRESENT] += 1
            continue
        counts[UPDATED if old else ADDED] += 1
        planned.reviews.append(rv)


def _plan(r: _Reader, table, planned: Planned, counts: dict[str, int]) -> None:
    stored: dict[int, list[PlanItem]] = {}
    have: dict[tuple, list[PlanItem]] = {}
    for row in table.rows:
        n = len(r.errors)
        year = r.cell(row, "年度", parse_year, required=True)
        month = r.cell(row, "月份", parse_month, required=True)
        kind = r.cell(row, "类型", parse_text, required=True)
        if kind is not None and kind not in PLAN_KINDS:
            r.err(row, "类型", f"类型应为 {'、'.join(PLAN_KINDS)} 之一: “{kind[:20]}”")
        topic = row.text("主题") or ""
        if len(topic) > 200:
            r.err(row, "主题", "主题过长（最多 200 字）")
        if len(r.errors) > n or year is None or month is None or kind is None:
            continue
        item = PlanItem(
            None, year, month, kind, topic, row.text("主讲人") or "", row.text("备注") or ""
        )
        if year not in stored:
            stored[year] = repo.plan_items(r.ledger.db, year)
            for old in stored[year]:
                have.setdefault(_item_key(old), []).append(old)
        same = have.get(_item_key(item))
        if same:
            old = same.pop(0)
            if item.note and item.note != old.note:
                item.id = old.id
                planned.updated_items.append(item)
                counts[UPDATED] += 1
            else:
                counts[PRESENT] += 1
            continue
        planned.new_items.append(item)
        counts[ADDED] += 1


def _item_key(i: PlanItem) -> tuple:
    return (i.year, i.month, i.kind, i.topic.strip(), i.lecturer.strip())


def analyze(ledger: Ledger, data: WorkbookData, titles: dict[str, str], plan) -> None:
    """Read and check the sheets of issue 20 into ``plan`` (an importer.ImportPlan)."""
    planned = Planned()
    r = _Reader(ledger, plan.errors)
    for sheet, read in ((S.ASSESS, _assessment), (S.PLAN, _plan)):
        title = titles.get(sheet)
        if title is None:
            continue
        counts = plan.counts[sheet] = {ADDED: 0, UPDATED: 0, PRESENT: 0}
        known = S.COLUMNS[sheet] + (S.ASSESS_COMPUTED if sheet == S.ASSESS else S.PLAN_COMPUTED)
        table = find_table(title, data.rows.get(title, []), known, S.REQUIRED[sheet], plan.errors)
        if table is not None:
            read(r, table, planned, counts)
    if planned:
        plan.extra[KEY] = planned


def apply(ledger: Ledger, plan) -> Changes:
    """Write what :func:`analyze` planned (inside the importer's transaction)."""
    planned: Planned | None = plan.extra.get(KEY)
    if not planned:
        return Changes()
    db = ledger.db
    if planned.criteria:
        if planned.replace_table:
            table = planned.criteria
        else:
            table = repo.stored_criteria(db) or A.default_criteria()
            by_key = {c.key: c for c in table}
            for c in planned.criteria:
                old = by_key.get(c.key)
                if old is None:
                    table.append(c)
                else:
                    old.points, old.source, old.standard = c.points, c.source, c.standard
        repo.save_criteria(db, table)
    if planned.thresholds is not None:
        repo.set_thresholds(db, planned.thresholds)
    for period, hs in planned.scores:
        repo.set_score(db, period, hs)
    for a in planned.adjustments:
        repo.add_adjustment(db, a)
    for rv in planned.reviews:
        repo.set_review(db, rv)
    for item in planned.new_items:
        repo.add_plan_item(db, item)
    for item in planned.updated_items:
        repo.update_plan_item(db, item)
    return Changes(
        assessment=bool(
            planned.criteria
            or planned.thresholds
            or planned.scores
            or planned.adjustments
            or planned.reviews
        ),
        plan=bool(planned.new_items or planned.updated_items),
    )
