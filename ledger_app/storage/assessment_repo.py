"""Storage of 自评定级, 年度工作计划 and the edited 年度工作总结 (issue 20): functions taking the
database, dataclasses of domain.assessment / domain.plan in and out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlite_utils

from ..domain.assessment import (
    Adjustment,
    AssessmentData,
    Criterion,
    HandScore,
    Review,
    Thresholds,
    default_criteria,
)
from ..domain.dates import from_iso, to_iso
from ..domain.plan import PlanItem

THRESHOLDS_KEY = "assess_thresholds"  # setting: "900,800,600" (tenths)


# --- the points table -----------------------------------------------------------------------


def stored_criteria(db: sqlite_utils.Database) -> list[Criterion]:
    rows = db.execute(
        "SELECT id, category, name, points, standard, source, position FROM assess_criterion "
        "ORDER BY position, id"
    ).fetchall()
    return [Criterion(r[0], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6]) for r in rows]


def criteria(db: sqlite_utils.Database) -> list[Criterion]:
    """The branch's points table; the shipped one (not stored yet, ids None) until the
    branch saves anything of its self-assessment (a new ledger holds no rows of it, so it
    stays "empty" for the backups)."""
    return stored_criteria(db) or default_criteria()


def ensure_criteria(db: sqlite_utils.Database) -> dict[tuple[str, str], int]:
    """Store the shipped table if none is stored yet (inside the caller's transaction, so
    it enters the audit trail with the change that needs it). Returns key → id."""
    table = stored_criteria(db)
    if not table:
        table = default_criteria()
        save_criteria(db, table)
    return {c.key: c.id for c in table}  # type: ignore[misc]


def save_criteria(db: sqlite_utils.Database, table: Iterable[Criterion]) -> None:
    """Make the stored table ``table``: rows with an id are updated, rows without are added,
    stored rows not in it are deleted (with their scores)."""
    table = list(table)
    keep = {c.id for c in table if c.id is not None}
    for (cid,) in db.execute("SELECT id FROM assess_criterion").fetchall():  # noqa: B007
        if cid not in keep:
            db.execute("DELETE FROM assess_criterion WHERE id = ?", [cid])
    # a renamed row may take the name another renamed row gives up: park those names first
    stored = {c.id: c.key for c in stored_criteria(db)}
    for c in table:
        if c.id is not None and stored.get(c.id) != (c.category.strip(), c.name.strip()):
            db.execute("UPDATE assess_criterion SET name = '\x00' || id WHERE id = ?", [c.id])
    for i, c in enumerate(table):
        values = [
            i,
            c.category.strip(),
            c.name.strip(),
            c.standard or None,
            c.points,
            c.source or None,
        ]
        if c.id is None:
            cur = db.execute(
                "INSERT INTO assess_criterion (position, category, name, standard, points, source) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
            c.id = cur.lastrowid
        else:
            db.execute(
                "UPDATE assess_criterion SET position = ?, category = ?, name = ?, standard = ?, "
                "points = ?, source = ? WHERE id = ?",
                [*values, c.id],
            )
        c.position = i


def thresholds(db: sqlite_utils.Database) -> Thresholds:
    row = db.execute("SELECT value FROM setting WHERE key = ?", [THRESHOLDS_KEY]).fetchone()
    if row and row[0]:
        try:
            a, b, c = (int(x) for x in row[0].split(","))
            return Thresholds(a, b, c)
        except ValueError:
            pass
    return Thresholds()


def set_thresholds(db: sqlite_utils.Database, t: Thresholds) -> None:
    db.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [THRESHOLDS_KEY, f"{t.model},{t.solid},{t.passing}"],
    )


# --- what was saved per period -----------------------------------------------------------------


def _year_like(year: int) -> list[str]:
    return [str(year), f"{year}-%"]


def assessment_data(db: sqlite_utils.Database, year: int) -> AssessmentData:
    """The table, the thresholds, and the scores, items and 评定 of ``year`` and its months."""
    data = AssessmentData(criteria(db), thresholds(db))
    where = "(period = ? OR period LIKE ?)"
    for period, category, name, score, note in db.execute(
        "SELECT s.period, c.category, c.name, s.score, s.note FROM assess_score AS s "
        f"JOIN assess_criterion AS c ON c.id = s.criterion_id WHERE {where.replace('period', 's.period')}",
        _year_like(year),
    ).fetchall():
        key = (category, name)
        data.scores.setdefault(period, {})[key] = HandScore(key, score, note or "")
    for aid, period, points, reason in db.execute(
        f"SELECT id, period, points, reason FROM assess_adjustment WHERE {where} ORDER BY id",
        _year_like(year),
    ).fetchall():
        data.adjustments.setdefault(period, []).append(Adjustment(aid, period, points, reason))
    for period, on, who, remark in db.execute(
        f"SELECT period, assessed_on, assessor, remark FROM assess_review WHERE {where}",
        _year_like(year),
    ).fetchall():
        data.reviews[period] = Review(period, from_iso(on), who or "", remark or "")
    return data


def set_scores(db: sqlite_utils.Database, period: str, scores: Iterable[HandScore]) -> None:
    """Replace the hand scores of ``period`` (a score of None with no note is removed)."""
    ids = ensure_criteria(db)
    keep = {ids[s.criterion] for s in scores if s.score is not None or s.note.strip()}
    for (cid,) in db.execute(
        "SELECT criterion_id FROM assess_score WHERE period = ?", [period]
    ).fetchall():
        if cid not in keep:
            db.execute(
                "DELETE FROM assess_score WHERE period = ? AND criterion_id = ?", [period, cid]
            )
    for s in scores:
        set_score(db, period, s, ids)


def set_score(
    db: sqlite_utils.Database,
    period: str,
    s: HandScore,
    ids: dict[tuple[str, str], int] | None = None,
) -> None:
    """One criterion's hand score of ``period`` (added, changed, or removed when empty)."""
    cid = (ids or ensure_criteria(db))[s.criterion]
    if s.score is None and not s.note.strip():
        db.execute("DELETE FROM assess_score WHERE period = ? AND criterion_id = ?", [period, cid])
        return
    db.execute(
        "INSERT INTO assess_score (period, criterion_id, score, note) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(period, criterion_id) DO UPDATE SET score = excluded.score, "
        "note = excluded.note",
        [period, cid, s.score, s.note.strip() or None],
    )


def add_adjustment(db: sqlite_utils.Database, a: Adjustment) -> int:
    cur = db.execute(
        "INSERT INTO assess_adjustment (period, points, reason) VALUES (?, ?, ?)",
        [a.period, a.points, a.reason.strip()],
    )
    a.id = cur.lastrowid
    return a.id  # type: ignore[return-value]


def delete_adjustment(db: sqlite_utils.Database, adjustment_id: int) -> None:
    db.execute("DELETE FROM assess_adjustment WHERE id = ?", [adjustment_id])


def set_review(db: sqlite_utils.Database, r: Review) -> None:
    db.execute(
        "INSERT INTO assess_review (period, assessed_on, assessor, remark) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(period) DO UPDATE SET assessed_on = excluded.assessed_on, "
        "assessor = excluded.assessor, remark = excluded.remark",
        [r.period, to_iso(r.assessed_on), r.assessor.strip() or None, r.remark.strip() or None],
    )


def delete_review(db: sqlite_utils.Database, period: str) -> None:
    db.execute("DELETE FROM assess_review WHERE period = ?", [period])


# --- 年度工作计划 --------------------------------------------------------------------------------


def plan_items(db: sqlite_utils.Database, year: int) -> list[PlanItem]:
    rows = db.execute(
        "SELECT id, year, month, kind, topic, lecturer, note FROM plan_item WHERE year = ? "
        "ORDER BY month, id",
        [year],
    ).fetchall()
    return [PlanItem(r[0], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6] or "") for r in rows]


def _plan_values(item: PlanItem) -> list:
    return [
        item.year,
        item.month,
        item.kind,
        item.topic.strip() or None,
        item.lecturer.strip() or None,
        item.note.strip() or None,
    ]


def add_plan_item(db: sqlite_utils.Database, item: PlanItem) -> int:
    cur = db.execute(
        "INSERT INTO plan_item (year, month, kind, topic, lecturer, note) VALUES (?, ?, ?, ?, ?, ?)",
        _plan_values(item),
    )
    item.id = cur.lastrowid
    return item.id  # type: ignore[return-value]


def update_plan_item(db: sqlite_utils.Database, item: PlanItem) -> None:
    db.execute(
        "UPDATE plan_item SET year = ?, month = ?, kind = ?, topic = ?, lecturer = ?, note = ? "
        "WHERE id = ?",
        [*_plan_values(item), item.id],
    )


def delete_plan_item(db: sqlite_utils.Database, item_id: int) -> None:
    db.execute("DELETE FROM plan_item WHERE id = ?", [item_id])


def plan_years(db: sqlite_utils.Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT DISTINCT year FROM plan_item ORDER BY year")]


# --- 年度工作总结 (the clerk's edited text) ----------------------------------------------------------


def year_summary(db: sqlite_utils.Database, year: int) -> tuple[str, str | None] | None:
    """(text, when saved) of ``year``'s edited summary, or None."""
    row = db.execute("SELECT body, updated_at FROM year_summary WHERE year = ?", [year]).fetchone()
    return (row[0], row[1]) if row else None


def set_year_summary(db: sqlite_utils.Database, year: int, body: str | None) -> None:
    if not (body or "").strip():
        db.execute("DELETE FROM year_summary WHERE year = ?", [year])
        return
    now = dt.datetime.now().isoformat(timespec="seconds")
    db.execute(
        "INSERT INTO year_summary (year, body, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(year) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        [year, body, now],
    )
