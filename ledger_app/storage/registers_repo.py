"""Storage of the 发展党员, 组织关系转接 and 党员关怀 registers: dataclasses in and out of
their six tables (schema v3). No rules here; callers wrap an action in ``repo.atomic()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

import sqlite_utils

from ..domain.care import CareVisit, Honor
from ..domain.dates import from_iso, to_iso
from ..domain.development import Applicant, Step
from ..domain.registers import MeetingRef, RegistersData
from ..domain.transfers import Flow, Transfer


@dataclass(frozen=True)
class _Table:
    """One table and the dataclass its rows are: which fields are dates, which are filled
    from a join (not columns)."""

    name: str
    cls: type
    dates: tuple[str, ...]
    joined: tuple[str, ...] = ()
    order: str = "t.id"

    @property
    def columns(self) -> list[str]:
        return [f.name for f in fields(self.cls) if f.name != "id" and f.name not in self.joined]

    def select(self) -> str:
        if "member_name" in self.joined:
            return (
                f"SELECT t.*, m.name AS member_name FROM {self.name} t "
                "LEFT JOIN member m ON m.id = t.member_id"
            )
        if "group_name" in self.joined:
            return (
                f"SELECT t.*, g.name AS group_name FROM {self.name} t "
                "LEFT JOIN party_group g ON g.id = t.group_id"
            )
        return f"SELECT t.* FROM {self.name} t"

    def from_row(self, row: dict) -> Any:
        kw = {k: row.get(k) for k in ["id", *self.columns, *self.joined]}
        for k in self.dates:
            kw[k] = from_iso(kw[k])
        return self.cls(**kw)

    def values(self, obj: Any) -> dict:
        out = {k: getattr(obj, k) for k in self.columns}
        for k in self.dates:
            out[k] = to_iso(out[k])
        return out


APPLICANT = _Table("applicant", Applicant, ("birth_date", "ended_on"), ("group_name",), "t.id")
STEP = _Table("development_step", Step, ("date",), (), 't.applicant_id, t.date, t."no", t.id')
TRANSFER = _Table("transfer", Transfer, ("date", "receipt_date"), ("member_name",), "t.date, t.id")
FLOW = _Table(
    "flow_member", Flow, ("start_date", "end_date"), ("member_name",), "t.start_date, t.id"
)
VISIT = _Table("care_visit", CareVisit, ("date",), ("member_name",), "t.date, t.id")
HONOR = _Table("honor", Honor, ("date",), ("member_name",), "t.date, t.id")
TABLES = (APPLICANT, STEP, TRANSFER, FLOW, VISIT, HONOR)


def rows(db: sqlite_utils.Database, table: _Table, where: str = "", params: list | None = None):
    """The rows of ``table`` (``where`` on alias ``t``), as dataclasses, in its order."""
    sql = table.select() + (f" WHERE {where}" if where else "") + f" ORDER BY {table.order}"
    cur = db.execute(sql, params or [])
    cols = [c[0] for c in cur.description]
    return [table.from_row(dict(zip(cols, r))) for r in cur.fetchall()]


def get(db: sqlite_utils.Database, table: _Table, row_id: int):
    found = rows(db, table, "t.id = ?", [row_id])
    return found[0] if found else None


def insert(db: sqlite_utils.Database, table: _Table, obj: Any) -> int:
    values = table.values(obj)
    cols = ", ".join(f'"{k}"' for k in values)
    marks = ", ".join("?" for _ in values)
    cur = db.execute(f"INSERT INTO {table.name} ({cols}) VALUES ({marks})", list(values.values()))
    obj.id = int(cur.lastrowid)
    return obj.id


def update(db: sqlite_utils.Database, table: _Table, obj: Any) -> None:
    values = table.values(obj)
    assigns = ", ".join(f'"{k}" = ?' for k in values)
    db.execute(f"UPDATE {table.name} SET {assigns} WHERE id = ?", [*values.values(), obj.id])


def save(db: sqlite_utils.Database, table: _Table, obj: Any) -> int:
    """Insert ``obj`` (``obj.id`` None; its new id is set) or update it."""
    if obj.id is None:
        return insert(db, table, obj)
    update(db, table, obj)
    return obj.id


def delete(db: sqlite_utils.Database, table: _Table, row_id: int) -> None:
    db.execute(f"DELETE FROM {table.name} WHERE id = ?", [row_id])


def meeting_refs(db: sqlite_utils.Database, ids: set[int]) -> dict[int, MeetingRef]:
    """The records with these ids, as the registers name them."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    found = db.execute(
        f"SELECT id, date, kind, topic FROM record WHERE id IN ({marks})", sorted(ids)
    ).fetchall()
    return {r[0]: MeetingRef(r[0], dt.date.fromisoformat(r[1]), r[2], r[3]) for r in found}


def load_all(db: sqlite_utils.Database, receipt_days: int) -> RegistersData:
    """Everything the three registers hold, with the meetings they link to."""
    steps = rows(db, STEP)
    honors = rows(db, HONOR)
    linked = {x.record_id for x in [*steps, *honors] if x.record_id is not None}
    return RegistersData(
        applicants=rows(db, APPLICANT),
        steps=steps,
        transfers=rows(db, TRANSFER),
        flows=rows(db, FLOW),
        visits=rows(db, VISIT),
        honors=honors,
        meetings=meeting_refs(db, linked),
        receipt_days=receipt_days,
    )
