"""Repositories: dataclasses in and out of the database. No rules here, only storage.

Callers wrap a user action in ``repo.atomic()`` so that it is one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields

import sqlite_utils

from ..domain.dates import from_iso, to_iso
from ..domain.models import (
    ATTEND_LEAVE,
    ATTEND_PRESENT,
    AttachmentInfo,
    Attendance,
    Branch,
    DuesSetting,
    FrequencyRule,
    Group,
    Member,
    Payment,
    Record,
    StatusChange,
    TopicTemplate,
    VolunteerEntry,
    Vote,
)
from . import audit
from .backup import write_error
from .db import before_first_write

_MEMBER_DATES = ("birth_date", "join_date", "full_date", "status_date", "transfer_in_date")
_MEMBER_COLUMNS = [f.name for f in fields(Member) if f.name not in ("id", "group_name")]
_RECORD_COLUMNS = [
    f.name
    for f in fields(Record)
    if f.name not in ("id", "group_name", "attendance", "created_at", "updated_at")
]
# 表决 (a list of Vote) is kept as JSON text; 党员领导干部 as 1 or NULL (issue 18)
_VOTE_KEYS = ("subject", "agree", "against", "abstain")


def votes_to_text(votes: list[Vote]) -> str | None:
    if not votes:
        return None
    return json.dumps([[getattr(v, k) for k in _VOTE_KEYS] for v in votes], ensure_ascii=False)


def votes_from_text(text: str | None) -> list[Vote]:
    return [Vote(*row) for row in json.loads(text)] if text else []


_INSERT_ATTENDANCE = (
    "INSERT INTO attendance (record_id, member_id, status, reason) VALUES (?, ?, ?, ?)"
)
_INSERT_PAYMENT = (
    "INSERT INTO payment (member_id, year, month, amount_fen, paid_on, entered_by, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_VOLUNTEER = (
    "INSERT INTO volunteer (member_id, date, half_hours, project, place, witness, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _attendance_rows(r: Record) -> list[tuple]:
    return [(r.id, a.member_id, a.status, a.reason) for a in r.attendance]


def _payment_values(p: Payment) -> list:
    return [p.member_id, p.year, p.month, p.amount_fen, to_iso(p.paid_on), p.entered_by, p.note]


def _volunteer_values(v: VolunteerEntry) -> list:
    return [v.member_id, to_iso(v.date), v.half_hours, v.project, v.place, v.witness, v.note]


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def _datetime(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def member_from_row(row: dict) -> Member:
    kw = {k: row.get(k) for k in _MEMBER_COLUMNS}
    for k in _MEMBER_DATES:
        kw[k] = from_iso(kw[k])
    kw["leading_cadre"] = bool(kw["leading_cadre"])
    return Member(id=row["id"], group_name=row.get("group_name"), **kw)


def record_from_row(row: dict) -> Record:
    kw = {k: row.get(k) for k in _RECORD_COLUMNS}
    kw["date"] = from_iso(kw["date"])
    kw["also_theme_day"] = bool(kw["also_theme_day"])
    kw["votes"] = votes_from_text(kw["votes"])
    return Record(
        id=row["id"],
        group_name=row.get("group_name"),
        created_at=_datetime(row.get("created_at")),
        updated_at=_datetime(row.get("updated_at")),
        **kw,
    )


class Repository:
    """All reads and writes of the ledger database."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One user action, one transaction. The first one of a session first makes sure
        the file is sound (storage.db.before_first_write: a damaged file is never written
        to); each seals the audit rows it wrote — and only those — in its transaction."""
        outermost = not self.db.conn.in_transaction
        if outermost:
            before_first_write(self.db)
        try:
            with self.db.atomic():
                since = audit.last_id(self.db) if outermost else 0
                yield
                if outermost:
                    audit.seal(self.db, after=since)  # this action's rows, in its transaction
        except sqlite3.OperationalError as e:
            problem = write_error(e) if outermost else None
            if problem is None:
                raise
            raise problem from e  # full disk, USB stick pulled out …: rolled back, in Chinese

    # --- branch and settings -----------------------------------------------------------

    def branch(self) -> Branch:
        rows = self.db.execute("SELECT key, value FROM branch_info").fetchall()
        return Branch({k: v for k, v in rows if v is not None})

    def set_branch_info(self, info: dict[str, str | None]) -> None:
        for key, value in info.items():
            value = (value or "").strip() or None
            if value is None:
                self.db.execute("DELETE FROM branch_info WHERE key = ?", [key])
            else:
                self.db.execute(
                    "INSERT INTO branch_info (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
        return row[0] if row and row[0] is not None else default

    def set_setting(self, key: str, value: str | None) -> None:
        self.db.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    # --- groups ------------------------------------------------------------------------

    def groups(self) -> list[Group]:
        rows = self.db.execute("SELECT id, name, sort FROM party_group ORDER BY sort, id")
        return [Group(*r) for r in rows.fetchall()]

    def group_id(self, name: str) -> int | None:
        row = self.db.execute("SELECT id FROM party_group WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def ensure_group(self, name: str) -> int:
        gid = self.group_id(name)
        if gid is not None:
            return gid
        sort = self.db.execute("SELECT COALESCE(MAX(sort), 0) + 1 FROM party_group").fetchone()[0]
        cur = self.db.execute("INSERT INTO party_group (name, sort) VALUES (?, ?)", [name, sort])
        return int(cur.lastrowid)

    def rename_group(self, group_id: int, name: str) -> None:
        self.db.execute("UPDATE party_group SET name = ? WHERE id = ?", [name, group_id])

    def delete_group(self, group_id: int) -> None:
        self.db.execute("DELETE FROM party_group WHERE id = ?", [group_id])

    # --- members -----------------------------------------------------------------------

    _MEMBER_SELECT = (
        "SELECT m.*, g.name AS group_name FROM member m "
        "LEFT JOIN party_group g ON g.id = m.group_id"
    )

    def members(self) -> list[Member]:
        """Every member ever recorded (left members included: history is kept)."""
        cur = self.db.execute(self._MEMBER_SELECT + " ORDER BY m.id")
        cols = [c[0] for c in cur.description]
        return [member_from_row(dict(zip(cols, r))) for r in cur.fetchall()]

    def member(self, member_id: int) -> Member | None:
        cur = self.db.execute(self._MEMBER_SELECT + " WHERE m.id = ?", [member_id])
        cols = [c[0] for c in cur.description]
        row = cur.fetchone()
        return member_from_row(dict(zip(cols, row))) if row else None

    def _member_values(self, m: Member) -> dict:
        values = {k: getattr(m, k) for k in _MEMBER_COLUMNS}
        for k in _MEMBER_DATES:
            values[k] = to_iso(values[k])
        values["leading_cadre"] = 1 if m.leading_cadre else None
        return values

    def add_member(self, m: Member) -> int:
        values = self._member_values(m)
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.db.execute(
            f"INSERT INTO member ({cols}) VALUES ({marks})", list(values.values())
        )
        m.id = int(cur.lastrowid)
        self.db.execute(
            "INSERT INTO member_status_history (member_id, status, date, note) VALUES (?, ?, ?, ?)",
            [m.id, m.status, to_iso(m.status_date if m.status != "在册" else m.start_date), "建档"],
        )
        return m.id

    def update_member(self, m: Member) -> None:
        """Save changed fields; a changed 状态 also appends to the status history."""
        old = self.member(m.id) if m.id is not None else None
        if old is None:
            raise KeyError(m.id)
        values = self._member_values(m)
        values["updated_at"] = _now()
        assigns = ", ".join(f"{k} = ?" for k in values)
        self.db.execute(f"UPDATE member SET {assigns} WHERE id = ?", [*values.values(), m.id])
        if (old.status, old.status_date) != (m.status, m.status_date):
            self.db.execute(
                "INSERT INTO member_status_history (member_id, status, date) VALUES (?, ?, ?)",
                [m.id, m.status, to_iso(m.status_date)],
            )

    def status_history(self, member_id: int) -> list[StatusChange]:
        rows = self.db.execute(
            "SELECT id, member_id, status, date, note, recorded_at FROM member_status_history "
            "WHERE member_id = ? ORDER BY id",
            [member_id],
        ).fetchall()
        return [StatusChange(r[0], r[1], r[2], from_iso(r[3]), r[4], r[5]) for r in rows]

    def member_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM member").fetchone()[0])

    # --- records and attendance ----------------------------------------------------------

    @staticmethod
    def _record_filter(
        kinds: Iterable[str] | None, start: dt.date | None, end: dt.date | None
    ) -> tuple[list[str], list]:
        where: list[str] = []
        params: list = []
        if kinds is not None:
            kinds = list(kinds)
            where.append(f"r.kind IN ({', '.join('?' for _ in kinds)})")
            params += kinds
        if start:
            where.append("r.date >= ?")
            params.append(start.isoformat())
        if end:
            where.append("r.date <= ?")
            params.append(end.isoformat())
        return where, params

    def records(
        self,
        kinds: Iterable[str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        with_attendance: bool = True,
    ) -> list[Record]:
        """Records in date order, optionally of some kinds and between two dates (inclusive)."""
        where, params = self._record_filter(kinds, start, end)
        sql = (
            "SELECT r.*, g.name AS group_name FROM record r "
            "LEFT JOIN party_group g ON g.id = r.group_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY r.date, r.time, r.id"
        cur = self.db.execute(sql, params)
        cols = [c[0] for c in cur.description]
        records = [record_from_row(dict(zip(cols, r))) for r in cur.fetchall()]
        if with_attendance and records:
            self._fill_attendance(records, where, params)
        return records

    @staticmethod
    def _attendance_of(where: list[str]) -> str:
        """The attendance rows of the records ``where`` selects (a subquery: no join with
        the record table, which costs a big year's list a third of its time)."""
        sql = "FROM attendance a"
        if where:
            sql += " WHERE a.record_id IN (SELECT r.id FROM record r WHERE "
            sql += " AND ".join(where) + ")"
        return sql

    def _fill_attendance(self, records: list[Record], where: list[str], params: list) -> None:
        by_id = {r.id: r.attendance for r in records}
        names = dict(self.db.execute("SELECT id, name FROM member").fetchall())
        sql = "SELECT a.record_id, a.member_id, a.status, a.reason " + self._attendance_of(where)
        sql += " ORDER BY a.record_id, a.rowid"  # within a record: the order entered
        for rid, mid, status, reason in self.db.execute(sql, params).fetchall():
            listed = by_id.get(rid)
            if listed is not None:
                listed.append(Attendance(mid, status, reason, names.get(mid)))

    def attendance_counts(
        self,
        kinds: Iterable[str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> dict[int, tuple[int, int, int]]:
        """record id → (出席, 请假, everyone listed) for the records :meth:`records` would
        return with the same arguments — what a list shows, without reading the lists."""
        where, params = self._record_filter(kinds, start, end)
        sql = (
            "SELECT a.record_id, SUM(a.status = ?), SUM(a.status = ?), COUNT(*) "
            + self._attendance_of(where)
            + " GROUP BY a.record_id"
        )
        rows = self.db.execute(sql, [ATTEND_PRESENT, ATTEND_LEAVE, *params]).fetchall()
        return {rid: (p, lv, n) for rid, p, lv, n in rows}

    def record(self, record_id: int) -> Record | None:
        cur = self.db.execute(
            "SELECT r.*, g.name AS group_name FROM record r "
            "LEFT JOIN party_group g ON g.id = r.group_id WHERE r.id = ?",
            [record_id],
        )
        cols = [c[0] for c in cur.description]
        row = cur.fetchone()
        if not row:
            return None
        rec = record_from_row(dict(zip(cols, row)))
        self._fill_attendance([rec], ["r.id = ?"], [record_id])
        return rec

    def _record_values(self, r: Record) -> dict:
        values = {k: getattr(r, k) for k in _RECORD_COLUMNS}
        values["date"] = to_iso(r.date)
        values["also_theme_day"] = 1 if r.also_theme_day else 0
        values["votes"] = votes_to_text(r.votes)
        return values

    def add_record(self, r: Record, created_at: dt.datetime | None = None) -> int:
        self._insert_record_row(r, created_at)
        self._write_attendance(r)
        return r.id  # type: ignore[return-value]

    def add_records(self, records: list[Record], created_at: dt.datetime | None = None) -> None:
        """:meth:`add_record` for many records (an import): each record row first, then all
        their attendance in one statement."""
        for r in records:
            self._insert_record_row(r, created_at)
        self.db.conn.executemany(
            _INSERT_ATTENDANCE, [row for r in records for row in _attendance_rows(r)]
        )

    def _insert_record_row(self, r: Record, created_at: dt.datetime | None) -> None:
        values = self._record_values(r)
        if created_at is not None:
            values["created_at"] = values["updated_at"] = created_at.replace(
                microsecond=0
            ).isoformat()
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.db.execute(
            f"INSERT INTO record ({cols}) VALUES ({marks})", list(values.values())
        )
        r.id = int(cur.lastrowid)

    def update_record(self, r: Record) -> None:
        values = self._record_values(r)
        values["updated_at"] = _now()
        assigns = ", ".join(f"{k} = ?" for k in values)
        self.db.execute(f"UPDATE record SET {assigns} WHERE id = ?", [*values.values(), r.id])
        stored = self.db.execute(
            "SELECT record_id, member_id, status, reason FROM attendance WHERE record_id = ? "
            "ORDER BY rowid",
            [r.id],
        ).fetchall()
        if [tuple(row) for row in stored] == _attendance_rows(r):
            return  # the list is as stored: rewriting it would only log every row twice
        self.db.execute("DELETE FROM attendance WHERE record_id = ?", [r.id])
        self._write_attendance(r)

    def _write_attendance(self, r: Record) -> None:
        self.db.conn.executemany(_INSERT_ATTENDANCE, _attendance_rows(r))

    def delete_record(self, record_id: int) -> int | None:
        """Move a record with its attendance and attachments to the recycle bin (table
        ``trash``); returns the trash id (None if there was no such record)."""
        return audit.move_record_to_trash(self.db, record_id)

    # --- frequency rules -----------------------------------------------------------------

    def rules(self) -> list[FrequencyRule]:
        rows = self.db.execute("SELECT item, period, required FROM frequency_rule").fetchall()
        return [FrequencyRule(*r) for r in rows]

    def set_rule(self, rule: FrequencyRule) -> None:
        self.db.execute(
            "INSERT INTO frequency_rule (item, period, required) VALUES (?, ?, ?) "
            "ON CONFLICT(item) DO UPDATE SET period = excluded.period, required = excluded.required",
            [rule.item, rule.period, rule.required],
        )

    # --- dues ------------------------------------------------------------------------------

    def dues_settings(self, year: int) -> dict[int, DuesSetting]:
        cur = self.db.execute("SELECT * FROM dues_setting WHERE year = ?", [year])
        cols = [c[0] for c in cur.description]
        out = {}
        for row in cur.fetchall():
            d = dict(zip(cols, row))
            d["components"] = json.loads(d["components"]) if d["components"] else None
            d["approved_on"] = from_iso(d["approved_on"])
            out[d["member_id"]] = DuesSetting(**d)
        return out

    def set_dues_setting(self, s: DuesSetting) -> None:
        values = asdict(s)
        values["components"] = (
            json.dumps(s.components, ensure_ascii=False) if s.components else None
        )
        values["approved_on"] = to_iso(s.approved_on)
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        updates = ", ".join(f"{k} = excluded.{k}" for k in values if k not in ("member_id", "year"))
        self.db.execute(
            f"INSERT INTO dues_setting ({cols}) VALUES ({marks}) "
            f"ON CONFLICT(member_id, year) DO UPDATE SET {updates}",
            list(values.values()),
        )

    def payments(self, year: int, member_id: int | None = None) -> list[Payment]:
        sql = (
            "SELECT id, member_id, year, month, amount_fen, paid_on, entered_by, note, created_at "
            "FROM payment WHERE year = ?"
        )
        params: list = [year]
        if member_id is not None:
            sql += " AND member_id = ?"
            params.append(member_id)
        rows = self.db.execute(sql + " ORDER BY id", params).fetchall()
        return [
            Payment(r[0], r[1], r[2], r[3], r[4], from_iso(r[5]), r[6], r[7], _datetime(r[8]))
            for r in rows
        ]

    def paid_by_month(self, year: int) -> dict[int, dict[int, int]]:
        """member id → month → total paid (分), summed over all entries and corrections."""
        out: dict[int, dict[int, int]] = defaultdict(dict)
        rows = self.db.execute(
            "SELECT member_id, month, SUM(amount_fen) FROM payment WHERE year = ? "
            "GROUP BY member_id, month",
            [year],
        ).fetchall()
        for mid, month, total in rows:
            out[mid][month] = int(total)
        return dict(out)

    def add_payment(self, p: Payment) -> int:
        cur = self.db.execute(_INSERT_PAYMENT, _payment_values(p))
        p.id = int(cur.lastrowid)
        return p.id

    def add_payments(self, payments: Iterable[Payment]) -> None:
        """Many payments in one statement (an import); their ``id`` is left unset."""
        self.db.conn.executemany(_INSERT_PAYMENT, [_payment_values(p) for p in payments])

    # --- volunteer -------------------------------------------------------------------------

    def volunteer(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[VolunteerEntry]:
        sql = (
            "SELECT v.id, v.member_id, v.date, v.half_hours, v.project, v.place, v.witness, v.note, "
            "m.name FROM volunteer v JOIN member m ON m.id = v.member_id"
        )
        where, params = [], []
        if start:
            where.append("v.date >= ?")
            params.append(start.isoformat())
        if end:
            where.append("v.date <= ?")
            params.append(end.isoformat())
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.db.execute(sql + " ORDER BY v.date, v.id", params).fetchall()
        return [
            VolunteerEntry(r[0], r[1], from_iso(r[2]), r[3], r[4], r[5], r[6], r[7], r[8])  # type: ignore[arg-type]
            for r in rows
        ]

    def add_volunteer(self, v: VolunteerEntry) -> int:
        cur = self.db.execute(_INSERT_VOLUNTEER, _volunteer_values(v))
        v.id = int(cur.lastrowid)
        return v.id

    def add_volunteer_entries(self, entries: Iterable[VolunteerEntry]) -> None:
        """Many entries in one statement (an import); their ``id`` is left unset."""
        self.db.conn.executemany(_INSERT_VOLUNTEER, [_volunteer_values(v) for v in entries])

    def delete_volunteer(self, entry_id: int) -> None:
        self.db.execute("DELETE FROM volunteer WHERE id = ?", [entry_id])

    # --- attachments and topic templates (records) ---------------------------------------

    def first_month(self) -> tuple[int, int] | None:
        """(year, month) of the ledger's first month: the earliest that holds any record,
        payment or volunteer entry (member alerts are never counted before it)."""
        found = []
        for (day,) in self.db.execute(
            "SELECT MIN(date) FROM record UNION ALL SELECT MIN(date) FROM volunteer"
        ).fetchall():
            if day:
                found.append((int(day[:4]), int(day[5:7])))
        row = self.db.execute(
            "SELECT year, MIN(month) FROM payment WHERE year = (SELECT MIN(year) FROM payment)"
        ).fetchone()
        if row and row[0] is not None:
            found.append((int(row[0]), int(row[1])))
        return min(found) if found else None

    def attachments_of(self, start: dt.date, end: dt.date) -> dict[int, list[AttachmentInfo]]:
        """The attachments (without their bytes) of the records between two dates."""
        rows = self.db.execute(
            "SELECT a.id, a.record_id, a.filename, a.mime, LENGTH(a.data), a.caption, a.added_at "
            "FROM attachment a JOIN record r ON r.id = a.record_id "
            "WHERE r.date BETWEEN ? AND ? ORDER BY a.record_id, a.id",
            [start.isoformat(), end.isoformat()],
        ).fetchall()
        out: dict[int, list[AttachmentInfo]] = {}
        for row in rows:
            out.setdefault(row[1], []).append(AttachmentInfo(*row))
        return out

    def attachments(self, record_id: int) -> list[AttachmentInfo]:
        """A record's attachments without their bytes (for lists)."""
        rows = self.db.execute(
            "SELECT id, record_id, filename, mime, LENGTH(data), caption, added_at "
            "FROM attachment WHERE record_id = ? ORDER BY id",
            [record_id],
        ).fetchall()
        return [AttachmentInfo(*r) for r in rows]

    def attachment_data(self, attachment_id: int) -> bytes | None:
        row = self.db.execute(
            "SELECT data FROM attachment WHERE id = ?", [attachment_id]
        ).fetchone()
        return bytes(row[0]) if row else None

    def add_attachment(
        self, record_id: int, filename: str, mime: str | None, data: bytes, caption: str | None
    ) -> int:
        cur = self.db.execute(
            "INSERT INTO attachment (record_id, filename, mime, data, sha256, caption) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [record_id, filename, mime, data, audit.sha256_hex(data), caption],
        )
        return int(cur.lastrowid)

    def delete_attachment(self, attachment_id: int) -> None:
        """Into the recycle bin (table ``trash``), like a deleted record."""
        audit.move_attachment_to_trash(self.db, attachment_id)

    def attachment_counts(self) -> dict[int, int]:
        rows = self.db.execute(
            "SELECT record_id, COUNT(*) FROM attachment GROUP BY record_id"
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def topic_templates(self, kind: str | None = None) -> list[TopicTemplate]:
        """Templates for ``kind`` (and those for every kind), or all when kind is None."""
        sql = "SELECT id, kind, title, body FROM topic_template"
        params: list = []
        if kind is not None:
            sql += " WHERE kind IS NULL OR kind = ?"
            params.append(kind)
        rows = self.db.execute(sql + " ORDER BY title, id", params).fetchall()
        return [TopicTemplate(*r) for r in rows]

    def add_topic_template(self, t: TopicTemplate) -> int:
        cur = self.db.execute(
            "INSERT INTO topic_template (kind, title, body) VALUES (?, ?, ?)",
            [t.kind, t.title, t.body],
        )
        t.id = int(cur.lastrowid)
        return t.id

    def delete_topic_template(self, template_id: int) -> None:
        self.db.execute("DELETE FROM topic_template WHERE id = ?", [template_id])
