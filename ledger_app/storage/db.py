"""Opening the database: safe settings, schema migrations, one transaction per action."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from ..errors import DatabaseError
from .schema import MIGRATIONS, SCHEMA_VERSION


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
        raise DatabaseError(
            f"该数据库由更新版本的程序创建（数据版本 {current}，本程序支持到 {SCHEMA_VERSION}），"
            "请升级程序后再打开。数据未作任何改动。"
        )
    return current


def migrate(db: sqlite_utils.Database) -> int:
    """Apply pending migrations, each in its own transaction. Returns how many ran."""
    current = check_version(db)
    ran = 0
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with db.atomic():
            MIGRATIONS[version - 1](db)
            if "audit" in db.table_names():
                from .audit import install_triggers

                install_triggers(db)  # audit every column, also those this migration added
            db.execute(f"PRAGMA user_version = {version}")
        ran += 1
    return ran


def open_database(path: str | Path | None) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path``; ``None`` or ``":memory:"`` for
    an in-memory database (tests). Raises :class:`DatabaseError` with a Chinese message
    for files that cannot be used."""
    if path is None or str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True, execute_plugins=False)
        configure(db, memory=True)
        migrate(db)
        return db
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DatabaseError(f"无法创建数据文件夹 {p.parent}：{e.strerror or e}") from e
    # checked read-only first: a damaged or newer database is never written to
    from .backup import ensure_usable

    ensure_usable(p)
    try:
        db = sqlite_utils.Database(p, execute_plugins=False)
        check_version(db)
        configure(db)
        migrate(db)
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
