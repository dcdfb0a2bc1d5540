"""Storage of issue 18's registers: 民主评议 等次 (table ``appraisal``), the 整改清单
(``rectification``) with its evidence files (``rectification_file``), and removing a
frequency rule the branch added. Functions taking the database; no rules here.
"""

from __future__ import annotations

import sqlite_utils

from ..domain.appraisal import Appraisal
from ..domain.dates import from_iso, to_iso
from ..domain.rectification import Rectification, RectificationFile
from .audit import sha256_hex

_APPRAISAL_COLUMNS = (
    "year",
    "member_id",
    "grade",
    "reason",
    "talk_date",
    "talk_by",
    "measure",
    "deadline",
    "result",
)
_APPRAISAL_DATES = ("talk_date", "deadline")
_RECT_COLUMNS = (
    "source",
    "problem",
    "measure",
    "owner",
    "deadline",
    "status",
    "done_on",
    "result",
    "source_key",
    "record_id",
    "found_on",
    "source_note",
)
_RECT_DATES = ("deadline", "done_on", "found_on")


# --- 民主评议 等次 ------------------------------------------------------------------------------


def appraisals(db: sqlite_utils.Database, year: int | None = None) -> list[Appraisal]:
    sql = (
        "SELECT a.id, " + ", ".join(f"a.{c}" for c in _APPRAISAL_COLUMNS) + ", m.name "
        "FROM appraisal a JOIN member m ON m.id = a.member_id"
    )
    params: list = []
    if year is not None:
        sql += " WHERE a.year = ?"
        params.append(year)
    rows = db.execute(sql + " ORDER BY a.year, a.member_id", params).fetchall()
    out = []
    for row in rows:
        kw = dict(zip(_APPRAISAL_COLUMNS, row[1:-1]))
        for k in _APPRAISAL_DATES:
            kw[k] = from_iso(kw[k])
        out.append(Appraisal(id=row[0], member_name=row[-1], **kw))
    return out


def save_appraisal(db: sqlite_utils.Database, a: Appraisal) -> int:
    """Insert or replace the grade of (year, member); returns its id."""
    values = [getattr(a, c) for c in _APPRAISAL_COLUMNS]
    for i, c in enumerate(_APPRAISAL_COLUMNS):
        if c in _APPRAISAL_DATES:
            values[i] = to_iso(values[i])
    row = db.execute(
        "SELECT id FROM appraisal WHERE year = ? AND member_id = ?", [a.year, a.member_id]
    ).fetchone()
    if row:
        assigns = ", ".join(f"{c} = ?" for c in _APPRAISAL_COLUMNS)
        db.execute(f"UPDATE appraisal SET {assigns} WHERE id = ?", [*values, row[0]])
        a.id = int(row[0])
    else:
        cols = ", ".join(_APPRAISAL_COLUMNS)
        marks = ", ".join("?" for _ in _APPRAISAL_COLUMNS)
        cur = db.execute(f"INSERT INTO appraisal ({cols}) VALUES ({marks})", values)
        a.id = int(cur.lastrowid)
    return a.id


def delete_appraisal(db: sqlite_utils.Database, year: int, member_id: int) -> None:
    db.execute("DELETE FROM appraisal WHERE year = ? AND member_id = ?", [year, member_id])


# --- 整改清单 ---------------------------------------------------------------------------------


def _rect_from_row(row: tuple) -> Rectification:
    kw = dict(zip(_RECT_COLUMNS, row[1:-1]))
    for k in _RECT_DATES:
        kw[k] = from_iso(kw[k])
    return Rectification(id=row[0], files=int(row[-1] or 0), **kw)


_RECT_SELECT = (
    "SELECT r.id, "
    + ", ".join(f"r.{c}" for c in _RECT_COLUMNS)
    + ", (SELECT COUNT(*) FROM rectification_file f WHERE f.item_id = r.id) "
    "FROM rectification r"
)


def rectifications(db: sqlite_utils.Database) -> list[Rectification]:
    rows = db.execute(_RECT_SELECT + " ORDER BY r.found_on, r.id").fetchall()
    return [_rect_from_row(r) for r in rows]


def rectification(db: sqlite_utils.Database, item_id: int) -> Rectification | None:
    row = db.execute(_RECT_SELECT + " WHERE r.id = ?", [item_id]).fetchone()
    return _rect_from_row(row) if row else None


def _rect_values(item: Rectification) -> list:
    values = [getattr(item, c) for c in _RECT_COLUMNS]
    for i, c in enumerate(_RECT_COLUMNS):
        if c in _RECT_DATES:
            values[i] = to_iso(values[i])
    return values


def add_rectification(db: sqlite_utils.Database, item: Rectification) -> int:
    cols = ", ".join(_RECT_COLUMNS)
    marks = ", ".join("?" for _ in _RECT_COLUMNS)
    cur = db.execute(f"INSERT INTO rectification ({cols}) VALUES ({marks})", _rect_values(item))
    item.id = int(cur.lastrowid)
    return item.id


def update_rectification(db: sqlite_utils.Database, item: Rectification) -> None:
    assigns = ", ".join(f"{c} = ?" for c in _RECT_COLUMNS)
    db.execute(f"UPDATE rectification SET {assigns} WHERE id = ?", [*_rect_values(item), item.id])


def delete_rectification(db: sqlite_utils.Database, item_id: int) -> None:
    db.execute("DELETE FROM rectification WHERE id = ?", [item_id])


def rectification_files(db: sqlite_utils.Database, item_id: int) -> list[RectificationFile]:
    rows = db.execute(
        "SELECT id, item_id, filename, mime, LENGTH(data), added_at FROM rectification_file "
        "WHERE item_id = ? ORDER BY id",
        [item_id],
    ).fetchall()
    return [RectificationFile(*r) for r in rows]


def add_rectification_file(
    db: sqlite_utils.Database, item_id: int, filename: str, mime: str | None, data: bytes
) -> int:
    cur = db.execute(
        "INSERT INTO rectification_file (item_id, filename, mime, data, sha256) "
        "VALUES (?, ?, ?, ?, ?)",
        [item_id, filename, mime, data, sha256_hex(data)],  # the bytes audited by their digest
    )
    return int(cur.lastrowid)


def rectification_file_data(db: sqlite_utils.Database, file_id: int) -> tuple[str, bytes] | None:
    row = db.execute(
        "SELECT filename, data FROM rectification_file WHERE id = ?", [file_id]
    ).fetchone()
    return (row[0], bytes(row[1])) if row else None


def delete_rectification_file(db: sqlite_utils.Database, file_id: int) -> None:
    db.execute("DELETE FROM rectification_file WHERE id = ?", [file_id])


# --- frequency rules the branch added -----------------------------------------------------------


def delete_rule(db: sqlite_utils.Database, item: str) -> None:
    db.execute("DELETE FROM frequency_rule WHERE item = ?", [item])


def record_count(db: sqlite_utils.Database, kind: str) -> int:
    return int(db.execute("SELECT COUNT(*) FROM record WHERE kind = ?", [kind]).fetchone()[0])
