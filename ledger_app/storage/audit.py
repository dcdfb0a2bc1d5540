"""Audit trail and recycle bin, in SQL.

Every INSERT / UPDATE / DELETE on the audited tables is recorded by a trigger in table
``audit`` with the row before and after (JSON), the time and the user name set in 设置.
SQLite has no SHA-256 built in, so the program seals the rows *it* wrote into a hash chain
with :func:`seal`, at the end of every ``Repository.atomic()`` block, inside the same
transaction: ``hash = sha256(previous sealed hash + canonical row)``. An audit row left
unsealed was therefore written by someone else — a change made from outside the program —
and stays unsealed for good (:func:`unsealed`); the chain skips it. :func:`verify_chain`
finds the first sealed row whose stored hash does not match; :func:`head_hash` is printed
in the inspection PDF and the workbook (台账校验码), so a handed-over ledger cannot be
rewritten quietly: whoever controls the PC can rewrite the whole chain, but not the paper.

Large columns (an attachment's bytes, a recycle-bin entry's payload) are not copied into
the trail: the program stores their SHA-256 in a ``sha256`` column beside them, which is
audited like any other column and checked against the bytes (:func:`large_mismatches`).

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
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the checker of a file before it is opened needs no sqlite_utils
    import sqlite3

    import sqlite_utils

    # what the read-only functions need: .execute() (checks use a plain read-only connection)
    Readable = sqlite_utils.Database | sqlite3.Connection

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
    # audited since schema version 3
    "setting": ("key",),
    "frequency_rule": ("item",),
    "attachment": ("id",),
    "member_status_history": ("id",),
    "topic_template": ("id",),
    "trash": ("id",),
    # audited since schema version 4 (issue 18)
    "appraisal": ("id",),
    "rectification": ("id",),
    "rectification_file": ("id",),
}
# the schema version from which a table is audited (the others: 2, when the trail began)
AUDITED_FROM = {
    **{
        t: 3
        for t in (
            "setting", "frequency_rule", "attachment", "member_status_history",
            "topic_template", "trash",
        )
    },
    **{t: 4 for t in ("appraisal", "rectification", "rectification_file")},
}  # fmt: skip
# table → its large column, audited through the table's ``sha256`` column instead
LARGE_COLUMNS = {"attachment": "data", "trash": "payload", "rectification_file": "data"}

TABLE_LABELS = {
    "member": "党员",
    "record": "活动记录",
    "attendance": "出席情况",
    "payment": "党费缴纳",
    "dues_setting": "党费核定",
    "volunteer": "志愿服务",
    "branch_info": "支部信息",
    "party_group": "党小组",
    "setting": "设置",
    "frequency_rule": "频次要求",
    "attachment": "附件",
    "member_status_history": "党员状态变更",
    "topic_template": "议题模板",
    "trash": "回收站",
    "appraisal": "民主评议等次",
    "rectification": "整改事项",
    "rectification_file": "整改佐证材料",
}
OP_LABELS = {"INSERT": "新增", "UPDATE": "修改", "DELETE": "删除"}


def audited(version: int | None = None) -> dict[str, tuple[str, ...]]:
    """The tables audited in a database of schema ``version`` (None: the current one)."""
    if version is None:
        return dict(AUDITED)
    return {t: k for t, k in AUDITED.items() if AUDITED_FROM.get(t, 2) <= version}


def sha256_hex(value: bytes | str | None) -> str | None:
    """The digest kept beside a large column (text is hashed as UTF-8)."""
    if value is None:
        return None
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return hashlib.sha256(data).hexdigest()


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


def _columns(db: Readable, table: str) -> list[str]:
    """The columns a table's audit rows hold (its large column is left out)."""
    large = LARGE_COLUMNS.get(table)
    return [r[1] for r in db.execute(f"PRAGMA table_info([{table}])").fetchall() if r[1] != large]


def _json(prefix: str, cols: list[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {prefix}.\"{c}\"" for c in cols) + ")"


def _key(prefix: str, key: tuple[str, ...]) -> str:
    return " || ':' || ".join(f'CAST({prefix}."{k}" AS TEXT)' for k in key)


def trigger_names(version: int | None = None) -> list[str]:
    """The names of the triggers that keep the trail, in a database of ``version``."""
    names = ["audit_no_delete", "audit_no_update"]
    for table in audited(version):
        names += [f"audit_{table}_{op}" for op in ("insert", "update", "delete")]
    return names


def install_triggers(db: sqlite_utils.Database, version: int | None = None) -> None:
    """(Re)create the audit tables and the triggers of every table audited at schema
    ``version`` (None: the current one) from its current columns. Run inside each
    migration's transaction, so a migration that adds a column gets it audited too."""
    for stmt in AUDIT_TABLES_SQL:  # one by one: executescript() would COMMIT
        db.execute(stmt)
    who = "(SELECT value FROM setting WHERE key = 'user_name')"
    existing = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    tables = audited(version)
    for table in AUDITED:
        for op in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER IF EXISTS audit_{table}_{op}")
    for table, key in tables.items():
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


def missing_triggers(db: Readable, version: int | None = None) -> list[str]:
    """The trail's triggers that are not in the database (someone dropped them)."""
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return [n for n in trigger_names(version) if n not in present]


TRIGGERS_RESTORED_KEY = "audit_triggers_restored"  # setting: when and which were put back


def restore_missing_triggers(db: sqlite_utils.Database) -> list[str]:
    """Put back the trail's triggers someone dropped, and say so in the trail itself (a
    ``setting`` row, audited and sealed): the changes made while they were gone left no
    audit rows. Returns the names that were missing."""
    missing = missing_triggers(db)
    if missing:
        import datetime as dt

        now = dt.datetime.now().replace(microsecond=0).isoformat()
        with db.atomic():
            since = last_id(db)
            install_triggers(db)
            db.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [TRIGGERS_RESTORED_KEY, f"{now} {'、'.join(missing)}"],
            )
            seal(db, after=since)
    return missing


BASELINE_WHO = "（启用修改记录前已有）"  # the "who" of rows that were there before the trail


def has_entries(db: Readable) -> bool:
    """Whether anything was ever written to the ledger (beyond the rows that were there
    when its trail began, such as a new ledger's default frequency rules)."""
    row = db.execute("SELECT 1 FROM audit WHERE who IS NOT ? LIMIT 1", [BASELINE_WHO])
    return row.fetchone() is not None


def record_baseline(
    db: sqlite_utils.Database,
    tables: dict[str, tuple[str, ...]] | None = None,
    who: str | None = None,
) -> int:
    """Write the rows that already exist in ``tables`` (table → key columns; None: every
    audited table) into the trail as INSERTs, so that replaying the trail rebuilds them too
    (a database upgraded to the audit trail, or to a wider one, with data in it)."""
    who = BASELINE_WHO if who is None else who
    n = 0
    existing = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, key in (AUDITED if tables is None else tables).items():
        if table not in existing:
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


def last_id(db: sqlite_utils.Database) -> int:
    """The id of the newest audit row (0 when there is none): what a transaction that is
    about to write notes, to seal afterwards only the rows it wrote itself."""
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0])


def seal(db: sqlite_utils.Database, after: int | None = None) -> int:
    """Hash the unsealed audit rows with an id above ``after`` (None: all) in id order;
    returns how many. Call it inside the transaction that made the changes, with the
    :func:`last_id` from its start (``Repository.atomic`` does): rows written by someone
    else before are never sealed, so that they keep showing as changes from outside."""
    sql = _ROW + " WHERE hash IS NULL"
    params: list = []
    if after is not None:
        sql += " AND id > ?"
        params.append(after)
    rows = db.execute(sql + " ORDER BY id", params).fetchall()
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


def verify_chain(db: Readable) -> int | None:
    """The id of the first sealed audit row whose content or hash does not match the chain,
    or None when the chain is intact. Unsealed rows (changes from outside the program, see
    :func:`unsealed`) are not part of the chain; a hash someone cleared breaks it at the
    next sealed row."""
    prev = GENESIS
    cur = db.execute(_ROW + " WHERE hash IS NOT NULL ORDER BY id")
    while chunk := cur.fetchmany(20_000):
        # up to a mismatch the computed hashes are the stored ones: chain on from them
        for row, (id_, digest) in zip(chunk, _chain(prev, chunk)):
            if digest != row[8]:
                return int(id_)
        prev = chunk[-1][8]
    return None


def unsealed(db: Readable) -> list[AuditEntry]:
    """Audit rows the program did not seal: changes made from outside the program."""
    rows = db.execute(_ROW + " WHERE hash IS NULL ORDER BY id").fetchall()
    return [_entry(r) for r in rows]


def entries_after(db: Readable, audit_id: int) -> list[AuditEntry]:
    """Every audit row written after the row ``audit_id``, oldest first."""
    return [_entry(r) for r in db.execute(_ROW + " WHERE id > ? ORDER BY id", [audit_id])]


def find_code(db: Readable, code: str) -> tuple[int, str] | None:
    """(id, at) of the sealed audit row whose hash begins with ``code`` (a 台账校验码 as
    printed: the first 16 or more hex digits of the chain head), or None."""
    row = db.execute(
        "SELECT id, at FROM audit WHERE hash IS NOT NULL AND substr(hash, 1, ?) = ? "
        "ORDER BY id DESC LIMIT 1",
        [len(code), code],
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


def head_hash(db: Readable) -> str:
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


def replay(db: Readable, table: str) -> dict[str, dict]:
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


def current_rows(db: Readable, table: str) -> dict[str, dict]:
    """A table's rows keyed like the audit trail keys them (its large column left out)."""
    key = AUDITED[table]
    cols = _columns(db, table)
    cur = db.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{table}]")
    out = {}
    for row in cur.fetchall():
        d = dict(zip(cols, row))
        out[":".join(str(d[k]) for k in key)] = d
    return out


def _same(a: dict | None, b: dict | None) -> bool:
    """Equal on the columns both hold: a column a later migration added is in neither the
    older audit rows nor a row's JSON of before that migration."""
    if a is None or b is None:
        return a is b
    return all(a[k] == b[k] for k in a.keys() & b.keys())


def replay_mismatches(db: Readable, version: int | None = None) -> list[tuple[str, str]]:
    """(table, row key) of every row whose stored values differ from what the audit trail
    says they should be: changed behind the program's back (or a damaged file). For the
    tables audited at schema ``version`` (None: the current one), in SQL: each row's JSON
    against its key's last audit row (found through the index), and the number of keys the
    trail holds alive against the number of rows; only what differs there is looked at in
    Python."""
    out = []
    for table, key in audited(version).items():
        cols = _columns(db, table)
        rows = db.execute(
            f"SELECT k FROM (SELECT {_key('t', key)} AS k, {_json('t', cols)} AS j "
            f"FROM [{table}] AS t) WHERE j IS NOT (SELECT after FROM audit "
            "WHERE tbl = ? AND row_id = k ORDER BY id DESC LIMIT 1)",
            [table],
        )
        suspects = {r[0] for r in rows}
        alive = db.execute(
            "SELECT COUNT(*) FROM (SELECT MAX(id) AS last FROM audit WHERE tbl = ? "
            "GROUP BY row_id) JOIN audit ON id = last WHERE op <> 'DELETE'",
            [table],
        ).fetchone()[0]
        present = db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
        if not suspects and alive == present:
            continue  # every row is its last audit row, and no row the trail holds is gone
        replayed = replay(db, table)
        current = current_rows(db, table)
        for k in sorted(suspects | (replayed.keys() ^ current.keys())):
            if not _same(replayed.get(k), current.get(k)):
                out.append((table, k))
    return out


def continuity_breaks(db: Readable, version: int | None = None) -> list[tuple[str, str, int]]:
    """(table, row key, audit id) wherever a row's trail has a gap — it was changed without
    an audit row in between: an UPDATE or DELETE whose "before" is not the previous row's
    "after", of a row never inserted or already deleted, or an INSERT of a row that exists.
    Only rows ever changed or inserted twice are read (a small part of the trail)."""
    tables = set(audited(version))
    rows = db.execute(
        """
        WITH keys AS (
            SELECT DISTINCT tbl, row_id FROM audit WHERE op <> 'INSERT'
            UNION
            SELECT tbl, row_id FROM audit WHERE op = 'INSERT'
            GROUP BY tbl, row_id HAVING COUNT(*) > 1
        ), hist AS (
            SELECT a.id, a.tbl, a.row_id, a.op, a.before,
                   LAG(a.op) OVER w AS prev_op, LAG(a.after) OVER w AS prev_after
            FROM audit a JOIN keys k ON a.tbl = k.tbl AND a.row_id = k.row_id
            WINDOW w AS (PARTITION BY a.tbl, a.row_id ORDER BY a.id)
        )
        SELECT id, tbl, row_id, op, before, prev_op, prev_after FROM hist
        WHERE (op = 'INSERT' AND prev_op IS NOT NULL AND prev_op <> 'DELETE')
           OR (op <> 'INSERT' AND (prev_op IS NULL OR prev_op = 'DELETE'
                                   OR before IS NOT prev_after))
        ORDER BY id
        """
    ).fetchall()
    out = []
    for id_, tbl, row_id, op, before, prev_op, prev_after in rows:
        if tbl not in tables:
            continue
        if op == "UPDATE" or op == "DELETE":
            if prev_op in ("INSERT", "UPDATE") and _same(
                json.loads(before), json.loads(prev_after)
            ):
                continue  # the same values; the JSON differs only by a column added since
        out.append((tbl, row_id, int(id_)))
    return out


def large_mismatches(db: Readable, version: int | None = None) -> list[tuple[str, str]]:
    """(table, id) of every attachment, recycle-bin entry or evidence file whose bytes do
    not match the SHA-256 recorded beside them (schema version 3 on), among the tables
    audited at schema ``version`` (None: the current one)."""
    out = []
    tables = audited(version)
    for table, column in LARGE_COLUMNS.items():
        if table not in tables:
            continue
        cur = db.execute(f"SELECT id, sha256, CAST([{column}] AS BLOB) FROM [{table}] ORDER BY id")
        for id_, digest, data in cur:
            if sha256_hex(data) != digest:
                out.append((table, str(id_)))
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
        "INSERT INTO trash (kind, title, payload, sha256, deleted_by) VALUES "
        "('record', ?, ?, ?, (SELECT value FROM setting WHERE key = 'user_name'))",
        [title, payload, sha256_hex(payload)],
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
    payload = json.dumps({"attachments": [att]}, ensure_ascii=False)
    cur = db.execute(
        "INSERT INTO trash (kind, title, payload, sha256, deleted_by) VALUES "
        "('attachment', ?, ?, ?, (SELECT value FROM setting WHERE key = 'user_name'))",
        [title, payload, sha256_hex(payload)],
    )
    db.execute("DELETE FROM attachment WHERE id = ?", [attachment_id])
    return int(cur.lastrowid)


def _insert_attachments(db: sqlite_utils.Database, attachments: list[dict], record_id: int) -> None:
    for att in attachments:
        att = {k: v for k, v in att.items() if k != "id"}
        att["record_id"] = record_id
        att["data"] = base64.b64decode(att["data"])
        att["sha256"] = sha256_hex(att["data"])  # (absent in entries deleted before v3)
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
