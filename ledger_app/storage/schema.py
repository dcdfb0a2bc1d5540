"""Numbered schema migrations, tracked in ``PRAGMA user_version``.

Each migration runs in one transaction together with the version bump. A migration that
has shipped is never edited: change the schema by appending a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the checker of a file before it is opened needs no sqlite_utils
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]


def _v1_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE branch_info (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        CREATE TABLE party_group (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            sort INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE member (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            gender TEXT,
            ethnicity TEXT,
            birth_date TEXT,
            id_number TEXT UNIQUE,
            education TEXT,
            member_type TEXT NOT NULL DEFAULT '正式党员',
            join_date TEXT,
            full_date TEXT,
            category TEXT NOT NULL DEFAULT '在职',
            group_id INTEGER REFERENCES party_group(id) ON DELETE SET NULL,
            post TEXT,
            phone TEXT,
            status TEXT NOT NULL DEFAULT '在册',
            status_date TEXT,
            transfer_in_date TEXT,
            note TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
        );
        CREATE INDEX member_name ON member(name);
        CREATE INDEX member_group ON member(group_id);
        CREATE TABLE member_status_history (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            date TEXT,
            note TEXT,
            recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
        );
        CREATE INDEX member_status_history_member ON member_status_history(member_id);

        CREATE TABLE record (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            date TEXT NOT NULL,
            time TEXT,
            place TEXT,
            host TEXT,
            recorder TEXT,
            lecturer TEXT,
            group_id INTEGER REFERENCES party_group(id) ON DELETE RESTRICT,
            topic TEXT,
            form TEXT,
            organizer TEXT,
            content TEXT,
            decisions TEXT,
            also_theme_day INTEGER NOT NULL DEFAULT 0,
            origin TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
        );
        CREATE INDEX record_date ON record(date, kind);
        CREATE INDEX record_kind ON record(kind, date);
        CREATE TABLE attendance (
            record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
            member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE RESTRICT,
            status TEXT NOT NULL CHECK (status IN ('出席', '请假', '缺席')),
            reason TEXT,
            PRIMARY KEY (record_id, member_id)
        );
        CREATE INDEX attendance_member ON attendance(member_id, record_id, status);
        CREATE TABLE attachment (
            id INTEGER PRIMARY KEY,
            record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
            filename TEXT NOT NULL,
            mime TEXT,
            data BLOB NOT NULL,
            caption TEXT,
            added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
        );
        CREATE INDEX attachment_record ON attachment(record_id);
        CREATE TABLE topic_template (
            id INTEGER PRIMARY KEY,
            kind TEXT,
            title TEXT NOT NULL,
            body TEXT
        );

        CREATE TABLE frequency_rule (
            item TEXT PRIMARY KEY,
            period TEXT NOT NULL CHECK (period IN ('month', 'quarter', 'year')),
            required INTEGER NOT NULL CHECK (required >= 0)
        );

        CREATE TABLE dues_setting (
            member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
            year INTEGER NOT NULL,
            base_fen INTEGER,
            fixed_fen INTEGER,
            note TEXT,
            components TEXT,
            reduction TEXT,
            reduction_fen INTEGER,
            approved_by TEXT,
            approved_on TEXT,
            PRIMARY KEY (member_id, year)
        );
        CREATE TABLE payment (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE RESTRICT,
            year INTEGER NOT NULL,
            month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
            amount_fen INTEGER NOT NULL,
            paid_on TEXT,
            entered_by TEXT,
            note TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
        );
        CREATE INDEX payment_year ON payment(year, member_id, month, amount_fen);

        CREATE TABLE volunteer (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE RESTRICT,
            date TEXT NOT NULL,
            half_hours INTEGER NOT NULL CHECK (half_hours > 0),
            project TEXT,
            place TEXT,
            witness TEXT,
            note TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
        );
        CREATE INDEX volunteer_date ON volunteer(date, member_id, half_hours);
        CREATE INDEX volunteer_member ON volunteer(member_id, date);
        """
    )
    db.execute(
        "INSERT INTO frequency_rule (item, period, required) VALUES "
        "('支部党员大会', 'quarter', 1), ('支委会', 'month', 1), ('党小组会', 'month', 1), "
        "('党课', 'quarter', 1), ('主题党日', 'month', 1), ('组织生活会', 'year', 1), "
        "('民主评议党员', 'year', 1)"
    )


def _v2_audit(db: sqlite_utils.Database) -> None:
    """Audit trail (hash-chained, see storage/audit.py) and the recycle bin. The triggers
    themselves are (re)built by ``db.migrate`` after every migration."""
    from .audit import audited, install_triggers, record_baseline, seal

    # the tables audited at version 2, named so (AUDITED has grown since): this
    # migration does what it did when it shipped
    install_triggers(db, 2)
    record_baseline(db, audited(2))  # rows from before the trail (none in a new database)
    seal(db)


def _v3_audit_everything(db: sqlite_utils.Database) -> None:
    """The trail covers settings, frequency rules, attachments, status history, topic
    templates and the recycle bin too (AUDITED_FROM); their large columns (attachment
    bytes, recycle-bin payloads) through a ``sha256`` column the program fills."""
    from .audit import (
        AUDITED_FROM,
        audited,
        install_triggers,
        last_id,
        record_baseline,
        seal,
        sha256_hex,
    )

    since = last_id(db)  # rows written before (from outside the program) stay unsealed
    db.execute("ALTER TABLE attachment ADD COLUMN sha256 TEXT")
    db.execute("ALTER TABLE trash ADD COLUMN sha256 TEXT")
    db.conn.create_function("_ledger_sha256", 1, sha256_hex, deterministic=True)
    try:
        db.execute("UPDATE attachment SET sha256 = _ledger_sha256(data)")
        db.execute("UPDATE trash SET sha256 = _ledger_sha256(CAST(payload AS BLOB))")
    finally:
        db.conn.create_function("_ledger_sha256", 1, None)
    install_triggers(db, 3)
    record_baseline(db, {t: k for t, k in audited(3).items() if t in AUDITED_FROM})
    seal(db, after=since)


def _v4_organisational_life(db: sqlite_utils.Database) -> None:
    """Issue 18: 列席人员 and 表决 on records, 党员领导干部 on members, 民主评议 等次,
    the 整改清单 with its evidence files (their bytes audited through ``sha256``, as attachments). New columns are NULL by default, so the rows the
    audit trail recorded before them replay to the same values (audit.replay_mismatches)."""
    for stmt in (
        "ALTER TABLE record ADD COLUMN guests TEXT",
        "ALTER TABLE record ADD COLUMN votes TEXT",
        "ALTER TABLE member ADD COLUMN leading_cadre INTEGER",
        """
        CREATE TABLE appraisal (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE RESTRICT,
            grade TEXT NOT NULL,
            reason TEXT,
            talk_date TEXT,
            talk_by TEXT,
            measure TEXT,
            deadline TEXT,
            result TEXT,
            UNIQUE (year, member_id)
        )
        """,
        """
        CREATE TABLE rectification (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            problem TEXT NOT NULL,
            measure TEXT,
            owner TEXT,
            deadline TEXT,
            status TEXT NOT NULL DEFAULT '未开始',
            done_on TEXT,
            result TEXT,
            source_key TEXT,
            record_id INTEGER,
            found_on TEXT,
            source_note TEXT
        )
        """,
        """
        CREATE TABLE rectification_file (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES rectification(id) ON DELETE CASCADE,
            filename TEXT NOT NULL,
            mime TEXT,
            data BLOB NOT NULL,
            sha256 TEXT,
            added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
        )
        """,
    ):
        db.execute(stmt)  # one by one: executescript() would COMMIT


MIGRATIONS: list[Migration] = [
    _v1_initial,
    _v2_audit,
    _v3_audit_everything,
    _v4_organisational_life,
]

SCHEMA_VERSION = len(MIGRATIONS)
