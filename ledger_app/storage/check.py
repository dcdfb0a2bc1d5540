"""Is a database file a sound ledger of this program? The read-only checks behind opening,
the first write of a session, backups, restoring and ``verify``.

- :func:`header_problem`: not an SQLite file at all (empty, garbage).
- :func:`schema_problems`: tables, indexes and triggers as the program's migrations make
  them at the file's version — nothing missing, changed or added (an audit trigger that is
  missing is not damage: the program puts it back before writing, see
  ``audit.restore_missing_triggers``).
- :func:`content_problems`: the audit chain holds, every audited row is what its trail
  says, no row changed between two of its audit rows, attachments and recycle-bin entries
  match their SHA-256. Together with ``PRAGMA integrity_check`` (indexes against tables)
  this is what "sound" means; any SQLite error or undecodable text on the way is damage.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from . import audit

SQLITE_MAGIC = b"SQLite format 3\x00"
_KINDS = {"table": "数据表", "index": "索引", "trigger": "触发器", "view": "视图"}
MAX_LISTED = 5  # problems named in one message; the rest are counted


def header_problem(path: Path) -> str | None:
    """Why ``path`` is not an SQLite database at all, or None."""
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if not head:
        return "是空文件（0 字节）"
    if head != SQLITE_MAGIC:
        return "不是 SQLite 数据库文件"
    return None


def _schema(conn: sqlite3.Connection) -> dict[tuple[str, str], str | None]:
    """(type, name) → its SQL with white space collapsed, for every schema object."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'"
    ).fetchall()
    return {(t, n): " ".join(sql.split()) if sql else None for t, n, sql in rows}


@functools.cache
def expected_schema(version: int) -> dict[tuple[str, str], str | None]:
    """The schema the program's migrations make at ``version`` (built once, in memory)."""
    import sqlite_utils

    from .db import migrate

    db = sqlite_utils.Database(memory=True, execute_plugins=False)
    try:
        migrate(db, target=version)
        return _schema(db.conn)
    finally:
        db.close()


def schema_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """What differs from the schema of ``version`` (missing audit triggers excepted)."""
    expected, actual = expected_schema(version), _schema(conn)
    repairable = {("trigger", n) for n in audit.trigger_names(version)}
    out = []
    for key in sorted(expected.keys() - actual.keys() - repairable):
        out.append(f"缺少{_KINDS.get(key[0], key[0])} {key[1]}")
    for key in sorted(actual.keys() - expected.keys()):
        out.append(f"多出{_KINDS.get(key[0], key[0])} {key[1]}")
    for key in sorted(expected.keys() & actual.keys()):
        if expected[key] != actual[key]:
            out.append(f"{_KINDS.get(key[0], key[0])} {key[1]} 的定义被改动")
    return out


def _label(table: str) -> str:
    return audit.TABLE_LABELS.get(table, table)


def content_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """Where the data and the audit trail of a file of ``version`` disagree (Chinese, the
    first :data:`MAX_LISTED` named). Raises sqlite3.Error / UnicodeDecodeError / ValueError
    when the file cannot even be read that far (damage too)."""
    if version < 2:
        return []  # before the trail
    out = []
    bad = audit.verify_chain(conn)
    if bad is not None:
        out.append(f"修改记录的校验链在第 {bad} 条处断开（该条被改动，或其前面的记录被删除）")
    for table, key in audit.replay_mismatches(conn, version):
        out.append(f"{_label(table)}（编号 {key}）的数据与修改记录不符")
    for table, key, at in audit.continuity_breaks(conn, version):
        out.append(
            f"{_label(table)}（编号 {key}）在第 {at} 条修改记录之前被改动过，没有留下修改记录"
        )
    if version >= 3:
        for table, key in audit.large_mismatches(conn, version):
            out.append(f"{_label(table)}（编号 {key}）的内容与记下的校验值不符")
    # changes from outside the program are no damage (verify names them), but they are read
    # here, decoded: text that is not UTF-8 written with another tool is damage
    audit.unsealed(conn)
    return out


def summarize(problems: list[str]) -> str:
    """The first problems joined for one message, the rest counted."""
    shown = "；".join(problems[:MAX_LISTED])
    if len(problems) > MAX_LISTED:
        shown += f"；另有 {len(problems) - MAX_LISTED} 处"
    return shown
