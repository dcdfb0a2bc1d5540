"""Data safety use cases: backups, restore, verification, audit history, recycle bin,
risky locations — and the ``backup`` / ``restore`` / ``verify`` commands.

The GUI calls :func:`maybe_backup` on opening, hourly and on closing; the command line and
设置 call :func:`backup_now` and :func:`restore`.
"""

from __future__ import annotations

import os
import sys
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from ..errors import DatabaseError, UserError
from ..storage import audit
from ..storage import backup as storage_backup
from ..storage.audit import OP_LABELS, TABLE_LABELS
from ..storage.backup import (
    BackupInfo,
    backups_dir,
    newest_good_backup,
    read_damage,
    start_inspection,
)
from ..storage.db import before_first_write, checked
from ..storage.lock import acquire_lock
from .ledger import Changes, Ledger
from .verification import Verification, verify_database

# re-exported: verify is one of the commands; the window asks the files' safety (backups,
# the lock, damage, the trail's words) here, never storage
__all__ = [
    "OP_LABELS",
    "TABLE_LABELS",
    "Verification",
    "acquire_lock",
    "backups_dir",
    "read_damage",
    "start_inspection",
    "verify_database",
]

HOURLY = 3600  # seconds between automatic backups while the program is open


# --- backups ----------------------------------------------------------------------------------


@dataclass
class _State:
    at: float  # time.monotonic() of the last backup (or of opening)
    changes: int  # connection.total_changes then


_state: weakref.WeakKeyDictionary[Ledger, _State] = weakref.WeakKeyDictionary()


def backup_now(ledger: Ledger, reason: str = "manual") -> Path:
    """A checked backup of the open ledger into ``backups/`` beside it. A file not yet known
    sound this session is checked in full first: a damaged ledger is never backed up (its
    copies would push the good backups out). :class:`DamagedDatabaseError` then."""
    if ledger.path is None:
        raise DatabaseError("内存中的数据库无法备份")
    before_first_write(ledger.db)
    path = storage_backup.backup(ledger, reason)
    _state[ledger] = _State(time.monotonic(), ledger.db.conn.total_changes)
    return path


def maybe_backup(ledger: Ledger, reason: str) -> Path | None:
    """Automatic backup: ``open`` or ``before-import`` (unless nothing changed since the
    newest backup or the ledger is empty),
    ``hourly`` (only if something changed and an hour has passed since the last one) and
    ``close`` (only if something changed since the last one). Returns the new backup."""
    if ledger.path is None:
        return None
    state = _state.get(ledger)
    at_start = reason not in ("close", "hourly")  # open, before-import …
    if at_start:
        before_first_write(ledger.db)  # a damaged file is said now, and never copied
    changes = ledger.db.conn.total_changes
    if at_start:
        empty = not audit.has_entries(ledger.db)
        if empty or storage_backup.same_as_newest_backup(ledger.db.conn, ledger.path):
            _state[ledger] = _State(time.monotonic(), changes)
            return None
    else:
        if state is not None and state.changes == changes:
            return None  # nothing written since the last backup (or since opening)
        if state is None and not checked(ledger.db):
            return None  # nothing written this session: a write passes the full check first
        if reason == "hourly" and state is not None and time.monotonic() - state.at < HOURLY:
            return None
    return backup_now(ledger, reason)


def list_backups(ledger_or_path: Ledger | str | Path) -> list[BackupInfo]:
    path = getattr(ledger_or_path, "path", ledger_or_path)
    return storage_backup.list_backups(path) if path is not None else []


def restore(ledger_path: str | Path, backup_file: str | Path) -> Path | None:
    """Restore a backup over the live database (the program's own connection must be
    closed). Returns the backup made of the state before restoring (None when the live
    file was damaged and has been moved aside instead)."""
    return storage_backup.restore(ledger_path, backup_file)


def newest_good_backup_for(path: str | Path) -> BackupInfo | None:
    """The backup to offer when the database is damaged."""
    return newest_good_backup(path)


# --- verification -----------------------------------------------------------------------------


def head_hash(ledger: Ledger) -> str:
    """The audit chain's head hash (the 台账校验码 printed on PDFs and in workbooks). It seals
    nothing: rows the program did not write stay unsealed, named by ``verify``."""
    return audit.head_hash(ledger.db)


def verify_chain(ledger: Ledger) -> int | None:
    return audit.verify_chain(ledger.db)


def soundness_ready(ledger: Ledger) -> bool:
    """Whether the full check of the open file (begun on opening) has finished, so that
    :func:`ensure_sound` answers at once (the window asks before its first backup)."""
    from ..storage.db import pending_check

    check = pending_check(ledger.db)
    return check is None or check.ready()


def soundness_checked(ledger: Ledger) -> bool:
    """Whether the open file is known sound this session (its full check passed, or the
    file was made in this session) — without starting or waiting for the check."""
    from ..storage.db import pending_check

    check = pending_check(ledger.db)
    if check is not None and check.finished_sound():
        before_first_write(ledger.db)  # passed: nothing left to wait for
    return checked(ledger.db)


def ensure_sound(ledger: Ledger) -> None:
    """What must come before the session's first write: :class:`DamagedDatabaseError`
    (nothing written, the newest good backup named) when the file is damaged."""
    before_first_write(ledger.db)


# --- audit history and recycle bin ------------------------------------------------------------


def history(ledger: Ledger, table: str, row_id: int | str) -> list[audit.AuditEntry]:
    """Every change to one member / record / … (who, when, before and after), oldest first."""
    return audit.history(ledger.db, table, row_id)


def changed_records(ledger: Ledger, after_days: int = 1) -> dict[int, str]:
    """Records changed after the fact: record id → time of the last change, for records whose
    fields or attendance were changed more than ``after_days`` days after they were first
    entered (for the mark in lists and exports; entered late = 补记 is told by created_at)."""
    # only records whose fields or attendance were ever updated or deleted can have been
    # changed; find them through a small partial index of the trail's non-INSERT rows
    rows = ledger.db.execute(
        """
        WITH changed AS (
            SELECT DISTINCT CAST(row_id AS INTEGER) AS id FROM audit
            WHERE tbl = 'record' AND op <> 'INSERT'
            UNION
            SELECT DISTINCT CAST(substr(row_id, 1, instr(row_id, ':') - 1) AS INTEGER) FROM audit
            WHERE tbl = 'attendance' AND op <> 'INSERT'
        ), cand AS (
            SELECT r.id, CAST(r.id AS TEXT) AS key FROM record r JOIN changed USING (id)
        ), first AS (
            SELECT c.id, (SELECT MIN(at) FROM audit
                          WHERE tbl = 'record' AND row_id = c.key AND op = 'INSERT') AS at
            FROM cand c
        ), later AS (
            SELECT c.id, (SELECT MAX(at) FROM audit
                          WHERE tbl = 'record' AND row_id = c.key AND op = 'UPDATE') AS at
            FROM cand c
            UNION ALL
            SELECT c.id, (SELECT MAX(at) FROM audit
                          WHERE tbl = 'attendance' AND row_id >= c.key || ':'
                            AND row_id < c.key || ';') AS at
            FROM cand c
        )
        SELECT later.id, MAX(later.at) FROM later JOIN first ON first.id = later.id
        WHERE later.at IS NOT NULL AND first.at IS NOT NULL
          AND julianday(later.at) - julianday(first.at) > ?
        GROUP BY later.id
        """,
        [after_days],
    ).fetchall()
    return {int(r[0]): r[1] for r in rows}


def trash(ledger: Ledger) -> list[audit.TrashItem]:
    return audit.trash_items(ledger.db)


def restore_from_trash(ledger: Ledger, trash_id: int) -> Changes:
    with ledger.repo.atomic():
        try:
            audit.restore_from_trash(ledger.db, trash_id)
        except KeyError:
            raise UserError("回收站中没有这条记录") from None
        except LookupError as e:
            raise UserError(str(e)) from None
    return Changes(records=True)


# --- risky places -----------------------------------------------------------------------------

_NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "davfs", "ceph", "glusterfs",
    "sshfs", "lustre",
}  # fmt: skip

NETWORK_WARNING = (
    "台账数据库位于网络共享文件夹上。网络中断或多人同时打开可能损坏数据库"
    "（SQLite 官方文档对此有明确警告）。建议把数据库放在本机硬盘上。"
)
REMOVABLE_WARNING = (
    "台账数据库位于可移动磁盘（U 盘、移动硬盘）上。使用中拔出可能损坏数据库。"
    "建议把数据库放在本机硬盘上，或在关闭程序后再拔出，并经常备份。"
)


def _mount_for(path: Path, mounts_text: str) -> tuple[str, str] | None:
    """(device, fs type) of the mount that holds ``path``, from /proc/mounts text."""
    best: tuple[int, str, str] | None = None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        device, point, fstype = parts[0], parts[1].replace("\\040", " "), parts[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), device, fstype)
    return (best[1], best[2]) if best else None


def _removable_block(device: str, sys_root: str = "/sys") -> bool:
    """Whether a block device (e.g. /dev/sdb1) is a removable or USB disk."""
    if not device.startswith("/dev/"):
        return False
    real = os.path.realpath(os.path.join(sys_root, "class", "block", os.path.basename(device)))
    if "/usb" in real:
        return True
    disk = real
    if os.path.exists(os.path.join(real, "partition")):
        disk = os.path.dirname(real)
    try:
        with open(os.path.join(disk, "removable"), encoding="ascii") as f:
            return f.read().strip() == "1"
    except OSError:
        return False


def classify_linux(path: Path, mounts_text: str, sys_root: str = "/sys") -> str | None:
    mount = _mount_for(path, mounts_text)
    if mount is None:
        return None
    device, fstype = mount
    base = fstype.split(".", 1)[-1] if fstype.startswith("fuse.") else fstype
    if base in _NETWORK_FS or device.startswith("//") or (":" in device and "/" in device):
        return NETWORK_WARNING
    if fstype.startswith("fuse.") and base not in ("portal",):
        return NETWORK_WARNING  # gvfs, rclone … — not a local disk either way
    if _removable_block(device, sys_root):
        return REMOVABLE_WARNING
    return None


def _classify_windows(path: Path) -> str | None:  # pragma: no cover - Windows only
    import ctypes

    text = str(path)
    if text.startswith("\\\\"):
        return NETWORK_WARNING
    root = os.path.splitdrive(text)[0] + "\\"
    kind = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))  # type: ignore[attr-defined]
    if kind == 4:  # DRIVE_REMOTE
        return NETWORK_WARNING
    if kind == 2:  # DRIVE_REMOVABLE
        return REMOVABLE_WARNING
    return None


def risky_location(path: str | Path) -> str | None:
    """A Chinese warning when the database is on a network share or a removable drive."""
    p = Path(path).resolve()
    while not p.exists() and p.parent != p:
        p = p.parent
    try:
        if sys.platform == "win32":
            return _classify_windows(p)
        if sys.platform.startswith("linux"):
            with open("/proc/mounts", encoding="utf-8", errors="replace") as f:
                return classify_linux(p, f.read())
    except OSError:
        return None
    return None


# --- commands ---------------------------------------------------------------------------------


def _when(b: BackupInfo) -> str:
    return f"{b.when:%Y-%m-%d %H:%M:%S}"


def cmd_backup(db_path: Path, args) -> int:
    """``backup``: a checked copy into backups/ beside the database."""
    path = storage_backup.backup(db_path, "manual")
    print(f"已备份到：{path}")
    print(f"备份文件夹中现有 {len(storage_backup.list_backups(db_path))} 份备份。")
    return 0


def _resolve_backup(db_path: Path, name: str) -> Path:
    p = Path(name)
    if p.is_file():
        return p
    candidate = storage_backup.backups_dir(db_path) / name
    if candidate.is_file():
        return candidate
    raise UserError(f"找不到备份文件：{name}")


def cmd_restore(db_path: Path, args) -> int:
    """``restore FILE``: replace the database's content with a backup's."""
    source = _resolve_backup(db_path, args.file)
    damaged = db_path.exists() and db_path.stat().st_size > 0  # if nothing is saved: aside
    saved = restore(db_path, source)
    print(f"已从备份 {source.name} 恢复数据库 {db_path}。")
    if saved:
        print(f"恢复前的数据已另存为备份：{saved}")
    elif damaged:
        print("原来已损坏的数据库文件已改名保留在同一文件夹中（名称含 .damaged-）。")
    return 0


def cmd_verify(db_path: Path, args) -> int:
    """``verify [--code XXXX…]``: integrity, audit chain, data against the trail, changes
    from outside; with a 台账校验码, the changes since it was printed. Exit 1 on any
    problem (and when the ledger changed since the code)."""
    if not db_path.exists():
        raise UserError(f"找不到数据库文件：{db_path}")
    result = verify_database(db_path, getattr(args, "code", None))
    for line in result.lines():
        print(line)
    if not result.ok:
        good = newest_good_backup(db_path) if not result.content_ok else None
        if good:
            print(f"最近的完好备份：{good.path.name}（{_when(good)}），可用 restore 命令恢复。")
        if result.content_ok:
            print("台账在校验码之后有改动。", file=sys.stderr)
        else:
            print("检查未通过。", file=sys.stderr)
        return 1
    warning = risky_location(db_path)
    if warning:
        print(f"提示：{warning}")
    print("检查通过。")
    return 0
