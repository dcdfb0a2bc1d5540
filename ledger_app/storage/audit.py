"""Audit trail and recycle bin, in SQL.

Every INSERT / UPDATE / DELETE on the audited tables is recorded by a trigger in table
``audit`` with the row before and after (JSON), the time and the user name set in 设置.
SQLite has no SHA-256 built in, so rows are sealed lazily into a hash chain by
:func:`seal` (called at the end of every ``Repository.atomic()`` block, inside the same
transaction): ``hash = sha256(previous hash + canonical row)``. :func:`verify_chain` finds the
first row whose stored hash does not match; :func:`head_hash` is printed in the inspection
PDF so a handed-over ledger cannot be rewritten quietly.

A deleted record goes to table ``trash`` with its attendance and attachments (base64), and
can be put back with :func:`restore_from_trash`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _encode_string

import sqlite_utils

# audited table → the columns that identify a row (joined with ":" in audit.row_id)
AUDITED: dict[str, tuple[str, ...]] = {
    "member": ("id",),
    "record": ("id",),
    "attendance": ("record_id", "member_id"),
    "payment": ("id",),
    "dues_setting": ("member_id", "year"),
    "volunteer": ("id",),
    "branch_info": ("key",),
    "party_group": ("id",),
    # 自评定级, 年度工作计划 (issue 20)
    "assess_criterion": ("id",),
    "assess_score": ("period", "criterion_id"),
    "assess_adjustment": ("id",),
    "assess_review": ("period",),
    "plan_item": ("id",),
    "year_summary": ("year",),
}

TABLE_LABELS = {
    "member": "党员",
    "record": "活动记录",
    "attendance": "出席情况",
    "payment": "党费缴纳",
    "dues_setting": "党费核定",
    "volunteer": "志愿服务",
    "branch_info": "支部信息",
    "party_group": "党小组",
    "assess_criterion": "自评标准",
    "assess_score": "自评得分",
    "assess_adjustment": "自评加减分",
    "assess_review": "自评评定",
    "plan_item": "年度计划",
    "year_summary": "年度工作总结",
}
OP_LABELS = {"INSERT": "新增", "UPDATE": "修改", "DELETE": "删除"}

GENESIS = ""  # the "previous hash" of the first audit row

_NOW = "strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')"

AUDIT_TABLES_SQL = [
    f"""
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT ({_NOW}),
    who TEXT,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
    before TEXT,
    after TEXT,
    hash TEXT
)
""",
    """
CREATE INDEX IF NOT EXISTS audit_row ON audit(tbl, row_id)
""",
    """
CREATE INDEX IF NOT EXISTS audit_unsealed ON audit(id) WHERE hash IS NULL
""",
    """
CREATE INDEX IF NOT EXISTS audit_changes ON audit(tbl, row_id) WHERE op <> 'INSERT'
""",
    """
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, '审计记录不可删除');
END;
""",
    """
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
WHEN OLD.hash IS NOT NULL
    OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.who IS NOT OLD.who
    OR NEW.tbl IS NOT OLD.tbl OR NEW.row_id IS NOT OLD.row_id OR NEW.op IS NOT OLD.op
    OR NEW.before IS NOT OLD.before OR NEW.after IS NOT OLD.after
BEGIN
    SELECT RAISE(ABORT, '审计记录不可修改');
END;
""",
    f"""
CREATE TABLE IF NOT EXISTS trash (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT,
    payload TEXT NOT NULL,
    deleted_at TEXT NOT NULL DEFAULT ({_NOW}),
    deleted_by TEXT
)
""",
]


def remove_triggers(db: sqlite_utils.Database) -> None:
    """Stop auditing this connection's database: only for a scratch in-memory ledger that is
    thrown away (the committee view reads each branch's workbook into one; issue 20)."""
    for table in AUDITED:
        for op in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER IF EXISTS audit_{table}_{op}")


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info([{table}])").fetchall()]


def _json(prefix: str, cols: list[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {prefix}.\"{c}\"" for c in cols) + ")"


def _key(prefix: str, key: tuple[str, ...]) -> str:
    return " || ':' || ".join(f'CAST({prefix}."{k}" AS TEXT)' for k in key)


def install_triggers(db: sqlite_utils.Database) -> None:
    """(Re)create the audit tables and the triggers of every audited table from its current
    columns. Run inside each migration's transaction, so a migration that adds a column
    gets it audited too."""
    for stmt in AUDIT_TABLES_SQL:  # one by one: executescript() would COMMIT
        db.execute(stmt)
    who = "(SELECT value FROM setting WHERE key = 'user_name')"
    existing = set(db.table_names())
    for table, key in AUDITED.items():
        for op in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER IF EXISTS audit_{table}_{op}")
        if table not in existing:
            continue
        cols = _columns(db, table)
        new, old = _json("NEW", cols), _json("OLD", cols)
        db.execute(
            f"CREATE TRIGGER audit_{table}_insert AFTER INSERT ON [{table}] BEGIN "
            f"INSERT INTO audit (who, tbl, row_id, op, before, after) "
            f"VALUES ({who}, '{table}', {_key('NEW', key)}, 'INSERT', NULL, {new}); END"
        )
        db.execute(
            f"CREATE TRIGGER audit_{table}_update AFTER UPDATE ON [{table}] "
            f"WHEN {old} IS NOT {new} BEGIN "
            f"INSERT INTO audit (who, tbl, row_id, op, before, after) "
            f"VALUES ({who}, '{table}', {_key('NEW', key)}, 'UPDATE', {old}, {new}); END"
        )
        db.execute(
            f"CREATE TRIGGER audit_{table}_delete AFTER DELETE ON [{table}] BEGIN "
            f"INSERT INTO audit (who, tbl, row_id, op, before, after) "
            f"VALUES ({who}, '{table}', {_key('OLD', key)}, 'DELETE', {old}, NULL); END"
        )


def record_baseline(db: sqlite_utils.Database, who: str = "（启用修改记录前已有）") -> int:
    """Write the rows that already exist into the trail as INSERTs, so that replaying the
    trail rebuilds them too (a database upgraded to the audit trail with data in it)."""
    n = 0
    for table, key in AUDITED.items():
        if table not in db.table_names():
            continue
        cols = _columns(db, table)
        cur = db.execute(
            f"INSERT INTO audit (who, tbl, row_id, op, before, after) "
            f"SELECT ?, '{table}', {_key('t', key)}, 'INSERT', NULL, {_json('t', cols)} "
            f"FROM [{table}] AS t ORDER BY rowid",
            [who],
        )
        n += cur.rowcount
    return n


# --- the hash chain --------------------------------------------------------------------------

_ROW = "SELECT id, at, who, tbl, row_id, op, before, after, hash FROM audit"


def _digest(prev: str, row: tuple) -> str:
    """The definition of a row's hash: sha256 of the previous hash followed by the row's
    first eight columns as compact JSON (``ensure_ascii=False``)."""
    canonical = json.dumps(list(row[:8]), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()


def _chain(prev: str, rows: Iterable[tuple]) -> Iterator[tuple[int, str]]:
    """(id, hash) of each row in turn, chained from ``prev``: the same value as
    :func:`_digest`, written out for the column types the trail holds (int id, text or
    NULL); any other value goes through :func:`_digest` itself."""
    sha256, enc, null = hashlib.sha256, _encode_string, "null"
    for row in rows:
        id_, at, who, tbl, row_id, op, before, after = row[:8]
        if (
            type(id_) is int
            and type(at) is str
            and type(tbl) is str
            and type(row_id) is str
            and type(op) is str
            and (who is None or type(who) is str)
            and (before is None or type(before) is str)
            and (after is None or type(after) is str)
        ):
            canonical = (
                f"[{int.__repr__(id_)},{enc(at)},{null if who is None else enc(who)},"
                f"{enc(tbl)},{enc(row_id)},{enc(op)},"
                f"{null if before is None else enc(before)},"
                f"{null if after is None else enc(after)}]"
            )
            prev = sha256((prev + canonical).encode("utf-8")).hexdigest()
        else:
            prev = _digest(prev, row)
        yield id_, prev


def seal(db: sqlite_utils.Database) -> int:
    """Hash the unsealed audit rows in id order; returns how many. Call it inside the
    transaction that made the changes (``Repository.atomic`` does)."""
    rows = db.execute(_ROW + " WHERE hash IS NULL ORDER BY id").fetchall()
    if not rows:
        return 0
    before = db.execute(
        "SELECT hash FROM audit WHERE id < ? AND hash IS NOT NULL ORDER BY id DESC LIMIT 1",
        [rows[0][0]],
    ).fetchone()
    hashes = dict(_chain(before[0] if before else GENESIS, rows))
    if len(hashes) < 50:
        db.conn.executemany("UPDATE audit SET hash = ? WHERE id = ?", _swap(hashes))
    else:
        # one statement instead of one UPDATE per row (an import seals ~20,000 rows)
        db.conn.create_function("_audit_sealed_hash", 1, hashes.get, deterministic=True)
        try:
            db.conn.execute(
                "UPDATE audit SET hash = _audit_sealed_hash(id) WHERE hash IS NULL AND id >= ?",
                [rows[0][0]],
            )
        finally:
            db.conn.create_function("_audit_sealed_hash", 1, None)
    return len(hashes)


def _swap(hashes: dict[int, str]) -> Iterator[tuple[str, int]]:
    return ((h, i) for i, h in hashes.items())


def verify_chain(db: sqlite_utils.Database) -> int | None:
    """The id of the first audit row whose content or hash does not match the chain, or None
    when the whole chain is intact. Unsealed rows are allowed only at the end."""
    prev = GENESIS
    unsealed_from = None
    for row in db.execute(_ROW + " ORDER BY id"):
        if row[8] is None:
            if unsealed_from is None:
                unsealed_from = row[0]
            continue
        if unsealed_from is not None:
            return unsealed_from  # a hole in the middle: someone cleared a hash
        if next(_chain(prev, (row,)))[1] != row[8]:
            return int(row[0])
        prev = row[8]
    return None


def head_hash(db: sqlite_utils.Database) -> str:
    """The hash of the last sealed audit row (GENESIS when there is none)."""
    row = db.execute(
        "SELECT hash FROM audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return row[0] if row else GENESIS


# --- reading the trail ------------------------------------------------------------------------


@dataclass
class AuditEntry:
    id: int
    at: str
    who: str | None
    table: str
    row_id: str
    op: str
    before: dict | None
    after: dict | None

    @property
    def changed(self) -> dict[str, tuple]:
        """field → (old, new) for the fields that differ."""
        b, a = self.before or {}, self.after or {}
        return {k: (b.get(k), a.get(k)) for k in dict.fromkeys([*b, *a]) if b.get(k) != a.get(k)}


def _entry(r: tuple) -> AuditEntry:
    return AuditEntry(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        json.loads(r[6]) if r[6] else None,
        json.loads(r[7]) if r[7] else None,
    )


def history(db: sqlite_utils.Database, table: str, row_id: int | str) -> list[AuditEntry]:
    """Every change of one row, oldest first. A record's history includes its attendance;
    a member's includes their payments and 党费核定."""
    key = str(row_id)
    sql = _ROW + " WHERE (tbl = ? AND row_id = ?)"
    params: list = [table, key]
    if table == "record":
        sql += " OR (tbl = 'attendance' AND row_id LIKE ? || ':%')"
        params.append(key)
    elif table == "member":
        sql += (
            " OR (tbl IN ('payment', 'dues_setting', 'volunteer') AND "
            "CAST(json_extract(COALESCE(after, before), '$.member_id') AS TEXT) = ?)"
        )
        params.append(key)
    return [_entry(r) for r in db.execute(sql + " ORDER BY id", params).fetchall()]


def replay(db: sqlite_utils.Database, table: str) -> dict[str, dict]:
    """Rebuild a table's rows (row key → column values) from the audit trail alone."""
    state: dict[str, dict] = {}
    for r in db.execute(
        "SELECT row_id, op, after FROM audit WHERE tbl = ? ORDER BY id", [table]
    ).fetchall():
        if r[1] == "DELETE":
            state.pop(r[0], None)
        else:
            state[r[0]] = json.loads(r[2])
    return state


def current_rows(db: sqlite_utils.Database, table: str) -> dict[str, dict]:
    """A table's rows keyed like the audit trail keys them."""
    key = AUDITED[table]
    cur = db.execute(f"SELECT * FROM [{table}]")
    cols = [c[0] for c in cur.description]
    out = {}
    for row in cur.fetchall():
        d = dict(zip(cols, row))
        out[":".join(str(d[k]) for k in key)] = d
    return out


def replay_mismatches(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(table, row key) of every row whose stored values differ from what the audit trail
    says they should be: changed behind the program's back (or a damaged file)."""
    out = []
    for table in AUDITED:
        replayed, current = replay(db, table), current_rows(db, table)
        for k in sorted(set(replayed) | set(current)):
            if replayed.get(k) != current.get(k):
                out.append((table, k))
    return out


# --- recycle bin ------------------------------------------------------------------------------


@dataclass
class TrashItem:
    id: int
    kind: str
    title: str | None
    deleted_at: str
    deleted_by: str | None


def _rows(db: sqlite_utils.Database, sql: str, params: list) -> list[dict]:
    cur = db.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def move_record_to_trash(db: sqlite_utils.Database, record_id: int) -> int | None:
    """Delete a record, keeping it (with attendance and attachments) in the recycle bin.
    Returns the trash id, or None if there is no such record."""
    recs = _rows(db, "SELECT * FROM record WHERE id = ?", [record_id])
    if not recs:
        return None
    rec = recs[0]
    attendance = _rows(
        db, "SELECT * FROM attendance WHERE record_id = ? ORDER BY rowid", [record_id]
    )
    attachments = _rows(db, "SELECT * FROM attachment WHERE record_id = ? ORDER BY id", [record_id])
    for a in attachments:
        a["data"] = base64.b64encode(bytes(a["data"])).decode("ascii")
    payload = json.dumps(
        {"record": rec, "attendance": attendance, "attachments": attachments},
        ensure_ascii=False,
    )
    title = " ".join(str(x) for x in (rec.get("date"), rec.get("kind"), rec.get("topic")) if x)
    cur = db.execute(
        "INSERT INTO trash (kind, title, payload, deleted_by) VALUES "
        "('record', ?, ?, (SELECT value FROM setting WHERE key = 'user_name'))",
        [title, payload],
    )
    db.execute("DELETE FROM record WHERE id = ?", [record_id])
    return int(cur.lastrowid)


def move_attachment_to_trash(db: sqlite_utils.Database, attachment_id: int) -> int | None:
    """Delete one attachment, keeping it in the recycle bin; returns the trash id."""
    rows = _rows(db, "SELECT * FROM attachment WHERE id = ?", [attachment_id])
    if not rows:
        return None
    att = rows[0]
    att["data"] = base64.b64encode(bytes(att["data"])).decode("ascii")
    rec = db.execute("SELECT date, kind FROM record WHERE id = ?", [att["record_id"]]).fetchone()
    title = f"附件 {att['filename']}" + (f"（{rec[0]} {rec[1]}）" if rec else "")
    cur = db.execute(
        "INSERT INTO trash (kind, title, payload, deleted_by) VALUES "
        "('attachment', ?, ?, (SELECT value FROM setting WHERE key = 'user_name'))",
        [title, json.dumps({"attachments": [att]}, ensure_ascii=False)],
    )
    db.execute("DELETE FROM attachment WHERE id = ?", [attachment_id])
    return int(cur.lastrowid)


def _insert_attachments(db: sqlite_utils.Database, attachments: list[dict], record_id: int) -> None:
    for att in attachments:
        att = {k: v for k, v in att.items() if k != "id"}
        att["record_id"] = record_id
        att["data"] = base64.b64decode(att["data"])
        db.execute(
            f"INSERT INTO attachment ({', '.join(att)}) VALUES ({', '.join('?' for _ in att)})",
            list(att.values()),
        )


def trash_items(db: sqlite_utils.Database) -> list[TrashItem]:
    rows = db.execute(
        "SELECT id, kind, title, deleted_at, deleted_by FROM trash ORDER BY id DESC"
    ).fetchall()
    return [TrashItem(*r) for r in rows]


def restore_from_trash(db: sqlite_utils.Database, trash_id: int) -> int:
    """Put a deleted record back (under its old id if that is free) or a deleted attachment
    back on its record; returns the record's id. Attendance of members no longer in the
    database and a 党小组 that is gone are dropped. LookupError: an attachment's record is
    itself deleted."""
    row = db.execute("SELECT kind, payload FROM trash WHERE id = ?", [trash_id]).fetchone()
    if row is None:
        raise KeyError(trash_id)
    payload = json.loads(row[1])
    if row[0] == "attachment":
        record_id = payload["attachments"][0]["record_id"]
        if not db.execute("SELECT 1 FROM record WHERE id = ?", [record_id]).fetchone():
            raise LookupError("该附件所属的记录已被删除，请先恢复那条记录。")
        _insert_attachments(db, payload["attachments"], record_id)
        db.execute("DELETE FROM trash WHERE id = ?", [trash_id])
        return record_id
    rec = dict(payload["record"])
    if db.execute("SELECT 1 FROM record WHERE id = ?", [rec["id"]]).fetchone():
        rec.pop("id")
    if (
        rec.get("group_id") is not None
        and not db.execute("SELECT 1 FROM party_group WHERE id = ?", [rec["group_id"]]).fetchone()
    ):
        rec["group_id"] = None
    cols = list(rec)
    cur = db.execute(
        f"INSERT INTO record ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [rec[c] for c in cols],
    )
    new_id = int(cur.lastrowid)
    for a in payload["attendance"]:
        if db.execute("SELECT 1 FROM member WHERE id = ?", [a["member_id"]]).fetchone():
            a = {**a, "record_id": new_id}
            db.execute(
                f"INSERT INTO attendance ({', '.join(a)}) VALUES ({', '.join('?' for _ in a)})",
                list(a.values()),
            )
    _insert_attachments(db, payload["attachments"], new_id)
    db.execute("DELETE FROM trash WHERE id = ?", [trash_id])
    return new_id
