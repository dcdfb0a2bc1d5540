"""Opening the database: safe settings, schema migrations, one transaction per action."""

from __future__ import annotations

import sqlite3
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from ..errors import DatabaseError, os_error_text
from .schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from .backup import Inspection


def configure(db: sqlite_utils.Database, *, memory: bool = False) -> None:
    """Per-connection settings. WAL with synchronous=NORMAL is a deliberate choice: a
    committed transaction survives a crash of the program; a power cut may lose the
    last one but never corrupts the file."""
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    # REPLACE deletes fire the delete triggers too, so the audit trail misses nothing
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    # Every INSERT that fires an audit trigger keeps a statement journal (to undo just that
    # statement); past 64 KiB SQLite would move it to a temporary file and pay file writes
    # for every further row of a big action (an import: ~40 % slower). Nothing else here
    # uses temporary storage, so memory it is.
    conn.execute("PRAGMA temp_store = MEMORY")
    if not memory:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def check_version(db: sqlite_utils.Database) -> int:
    """Refuse, before anything is written, a file made by a newer version of the program."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        from .backup import newer_version_message

        raise DatabaseError(newer_version_message(current))
    return current


def migrate(db: sqlite_utils.Database, target: int = SCHEMA_VERSION) -> int:
    """Apply pending migrations up to ``target``, each in its own transaction. Returns how
    many ran."""
    current = check_version(db)
    ran = 0
    for version in range(current + 1, target + 1):
        with db.atomic():
            MIGRATIONS[version - 1](db)
            if "audit" in db.table_names():
                from .audit import install_triggers

                # audit every column, also those this migration added
                install_triggers(db, version)
            db.execute(f"PRAGMA user_version = {version}")
        ran += 1
    return ran


# database → the check of its file begun on opening, to be passed before its first write
_inspections: weakref.WeakKeyDictionary[sqlite_utils.Database, Inspection] = (
    weakref.WeakKeyDictionary()
)


def pending_check(db: sqlite_utils.Database) -> Inspection | None:
    """The full check of ``db``'s file still to be passed before its first write, if any."""
    return _inspections.get(db)


def checked(db: sqlite_utils.Database) -> bool:
    """Whether ``db``'s file is known sound this session: checked in full before its first
    write, or made by this session (a new or in-memory database)."""
    return db not in _inspections


def before_first_write(db: sqlite_utils.Database) -> None:
    """Before the session's first write: the whole file must be sound (the check began on
    opening, in a thread) — else :class:`DamagedDatabaseError`, raised again at every
    attempt; audit triggers someone dropped are put back, and that is written into the
    trail. Once passed, nothing to do."""
    inspection = _inspections.get(db)
    if inspection is None:
        return
    inspection.ensure_sound()
    from .audit import restore_missing_triggers

    restore_missing_triggers(db)
    _inspections.pop(db, None)


def open_database(
    path: str | Path | None, sibling: sqlite_utils.Database | None = None
) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path``; ``None`` or ``":memory:"`` for
    an in-memory database (tests). Raises :class:`DatabaseError` with a Chinese message
    for files that cannot be used. ``sibling``: an open connection of this program to the
    same file (a worker thread's second connection): its checks are shared, not redone."""
    if path is None or str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True, execute_plugins=False)
        configure(db, memory=True)
        migrate(db)
        return db
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DatabaseError(f"无法创建数据文件夹 {p.parent}：{os_error_text(e)}") from e
    # checked read-only first: a damaged or newer database is never written to
    from .backup import ensure_usable

    inspection = _inspections.get(sibling) if sibling is not None else ensure_usable(p)
    try:
        db = sqlite_utils.Database(p, execute_plugins=False)
        if check_version(db) < SCHEMA_VERSION and inspection is not None:
            try:
                inspection.ensure_sound()  # upgrading writes: the whole file is checked first
            except DatabaseError:
                db.close()
                raise
        configure(db)
        migrate(db)
        if inspection is not None:
            _inspections[db] = inspection
    except sqlite3.DatabaseError as e:
        text = str(e)
        if "not a database" in text or "malformed" in text:
            raise DatabaseError(f"文件 {p} 不是有效的台账数据库，或已损坏。") from e
        if "readonly" in text or "unable to open" in text:
            raise DatabaseError(f"无法写入数据库 {p}（文件或文件夹为只读？）") from e
        if "locked" in text or "busy" in text:
            raise DatabaseError(f"数据库 {p} 正被其他程序占用，请稍后再试。") from e
        raise
    return db
