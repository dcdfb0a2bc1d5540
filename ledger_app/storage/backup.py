"""Backups of the ledger database, integrity checks and restoring.

A backup is made through SQLite's online backup API (never a plain file copy of a database
SQLite may hold open) into a temporary file in ``backups/`` beside the database, checked
with ``PRAGMA integrity_check``, switched to a single self-contained file (journal mode
DELETE), and only then renamed to its final name ``<stem>-YYYYMMDD-HHMMSS-<reason>.db``.
A program killed half-way leaves at most a ``.tmp`` file, never a half-written backup
under a final name. Attachments are BLOBs in the database, so they are included.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import DamagedDatabaseError, DatabaseError, os_error_text
from . import check
from .schema import SCHEMA_VERSION

BACKUP_DIR_NAME = "backups"
REASONS = {
    "open": "打开时",
    "close": "关闭时",
    "hourly": "定时",
    "manual": "手动",
    "before-restore": "恢复前",
    "before-import": "导入前",
}
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z-]+?)(?:-\d+)?\.db$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    when: dt.datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def backups_dir(db_path: str | Path) -> Path:
    return Path(db_path).parent / BACKUP_DIR_NAME


# --- checking a database file without writing to it ------------------------------------------


def _ro_connect(path: Path) -> sqlite3.Connection:
    """A read-only connection: checking a file never writes to it (nor to its -wal)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


def newer_version_message(version: int) -> str:
    return (
        f"该数据库由更新版本的程序创建（数据版本 {version}，本程序支持到 {SCHEMA_VERSION}），"
        "请升级程序后再打开。数据未作任何改动。"
    )


def _unreadable(p: Path, e: Exception) -> str:
    if not os.access(p.parent, os.W_OK):
        # SQLite needs to write its -shm index beside a WAL database even to read it
        return (
            f"数据库所在的文件夹 {p.parent} 是只读的（或没有写入权限），无法打开其中的台账。"
            "请把数据库文件复制到可写的文件夹（例如“文档”）后再打开。"
        )
    if "locked" in str(e):
        return f"数据库 {p} 正被其他程序占用，请稍后再试。"
    return f"无法读取文件 {p}（{e}）"


def _ends(text: str) -> str:
    """A sentence without its final 。, to be followed by more."""
    return text.rstrip("。")


# Errors met while reading a file that mean it is damaged (text that is not UTF-8 is
# damage too: SQLite never checks it, Python's decoding does)
READ_ERRORS = (sqlite3.DatabaseError, UnicodeDecodeError, ValueError, OverflowError)


def inspect_file(
    path: str | Path, full: bool = False, content: bool | None = None
) -> tuple[str, str] | None:
    """What is wrong with a database file, as (kind, Chinese message), or None if it is
    usable. kind: ``missing``, ``unreadable``, ``damaged``, ``newer``, ``foreign``,
    ``empty`` (no ledger in it: a 0-byte file or one without tables — a new database may
    be made in it, but it is no backup). ``full``: ``integrity_check`` (indexes against
    tables) instead of the faster ``quick_check``, and the content against the audit trail
    (storage.check.content_problems) — for backups, restore sources and before the first
    write of a session; without it, for opening. ``content=False`` leaves the content out of
    a full check (a copy of a file whose content was just checked)."""
    p = Path(path)
    if not p.is_file():
        return "missing", f"找不到文件 {p}"
    try:
        if p.stat().st_size == 0:
            return "empty", f"文件 {p.name} 是空文件（0 字节），不是台账数据库"
        not_sqlite = check.header_problem(p)
    except OSError as e:
        return "unreadable", _unreadable(p, e)
    if not_sqlite:
        return "damaged", f"文件 {p.name} 不是有效的台账数据库（{not_sqlite}），或已损坏"
    try:
        conn = _ro_connect(p)
    except sqlite3.Error as e:
        return "unreadable", _unreadable(p, e)
    try:
        return _inspect(conn, p, full, full if content is None else content)
    except READ_ERRORS as e:
        text = str(e)
        if "unable to open" in text or "readonly" in text or "locked" in text:
            return "unreadable", _unreadable(p, e)
        return "damaged", f"文件 {p.name} 不是有效的台账数据库，或已损坏（{_cut(text)}）"
    finally:
        conn.close()


def _cut(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _inspect(
    conn: sqlite3.Connection, p: Path, full: bool, content: bool
) -> tuple[str, str] | None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        return "newer", newer_version_message(version)
    rows = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        return "damaged", f"数据库文件 {p.name} 已损坏（{_cut(str(rows[0][0]))}）"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if version == 0:
        if tables:
            return "foreign", f"文件 {p.name} 不是支部台账的数据库"
        return "empty", f"文件 {p.name} 中没有任何数据表，不是台账数据库"
    if "member" not in tables:
        return "foreign", f"文件 {p.name} 不是支部台账的数据库"
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        return "damaged", f"数据库文件 {p.name} 中有 {len(broken)} 处数据相互引用不一致"
    # (opening does without: SQLite refuses a schema it cannot read in any case, and building
    # the expected one costs the window ~0.1 s)
    odd = check.schema_problems(conn, version) if full else []
    if odd:
        return "damaged", f"数据库文件 {p.name} 的结构与本程序的不一致（{check.summarize(odd)}）"
    if content:
        wrong = check.content_problems(conn, version)
        if wrong:
            return "damaged", (
                f"数据库文件 {p.name} 的数据与修改记录对不上（{check.summarize(wrong)}）："
                "文件已损坏，或被程序以外的工具改动过"
            )
    return None


def check_file(path: str | Path, full: bool = True) -> str | None:
    """The Chinese description of what is wrong with a database file, or None."""
    problem = inspect_file(path, full=full)
    return problem[1] if problem else None


# (device, inode, size, mtime) of a backup file → its verdict: a backup is written once and
# never changed, so the full check of one (seconds for ten years) is made once per process
_verdicts: dict[tuple[int, int, int, int], str | None] = {}


def backup_problem(path: str | Path) -> str | None:
    """Why a file cannot serve as a backup or a restore source, or None: it must be a
    ledger of this program (its tables at a known version), whole (``integrity_check``),
    with its audit trail verified."""
    try:
        st = Path(path).stat()
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _verdicts:
        return _verdicts[key]
    problem = inspect_file(path, full=True)
    verdict = problem[1] if problem else None
    if key is not None and (problem is None or problem[0] in ("damaged", "foreign", "empty")):
        _verdicts[key] = verdict
    return verdict


class _Check(threading.Thread):
    """One check of a file (:func:`inspect_file`) in a thread of its own. SQLite releases
    the GIL while it reads, so the quick check begun before Qt loads costs the window no
    time."""

    def __init__(self, path: Path, full: bool):
        super().__init__(name="inspect-db-full" if full else "inspect-db", daemon=True)
        self.path = path
        self.full = full
        self.result: tuple[str, str] | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = inspect_file(self.path, full=self.full)
        except BaseException as e:  # handed to the caller, which raises it as its own
            self.error = e

    def outcome(self) -> tuple[str, str] | None:
        self.join()
        if self.error is not None:
            raise self.error
        return self.result


class Inspection:
    """The checks of one opening of a database file: the quick one, which the opening waits
    for (:func:`ensure_usable`), and the full one, which the first write waits for
    (:meth:`ensure_sound`). The full one starts in the background when first asked about
    (:meth:`ready`: the window asks once it is up) or runs when the first write comes."""

    def __init__(self, path: Path, quick: _Check | None = None):
        self.path = path
        self._quick = quick
        self._full: _Check | None = None
        self._lock = threading.Lock()

    def quick_problem(self) -> tuple[str, str] | None:
        if self._quick is None:
            return inspect_file(self.path)
        return self._quick.outcome()

    def start_full(self) -> None:
        with self._lock:
            if self._full is None:
                self._full = _Check(self.path, full=True)
                self._full.start()

    def ready(self) -> bool:
        """Whether :meth:`ensure_sound` would answer at once (the full check is begun in
        the background if it was not yet)."""
        self.start_full()
        assert self._full is not None
        return not self._full.is_alive()

    def finished_sound(self) -> bool:
        """Whether the full check has run (not waiting for it) and found nothing wrong."""
        full = self._full
        return full is not None and not full.is_alive() and full.error is None and not full.result

    def full_problem(self) -> tuple[str, str] | None:
        self.start_full()
        assert self._full is not None
        return self._full.outcome()

    def ensure_sound(self) -> None:
        """Raise :class:`DamagedDatabaseError` (nothing has been written) unless the whole
        file passed the full check."""
        problem = self.full_problem()
        if problem is not None:
            raise damaged_error(self.path, problem[1])


_started: dict[Path, _Check] = {}


def start_inspection(path: str | Path) -> None:
    """Begin the quick check of ``path`` now, for the :func:`ensure_usable` that opens it
    next."""
    p = Path(path)
    key = p.resolve()
    if key not in _started and p.is_file() and p.stat().st_size > 0:
        _started[key] = check_thread = _Check(p, full=False)
        check_thread.start()


def damaged_error(path: Path, message: str) -> DamagedDatabaseError:
    """The error for a damaged database, naming the newest good backup to restore."""
    good = newest_good_backup(path)
    hint = (
        f"最近的完好备份是 {good.when:%Y年%m月%d日 %H:%M}（{good.path.name}），可在恢复后继续使用。"
        if good
        else "没有找到可用的备份。"
    )
    return DamagedDatabaseError(f"{_ends(message)}。为保护数据，程序未对它作任何写入。{hint}", path)


def read_damage(exc: BaseException, path: str | Path | None) -> DamagedDatabaseError | None:
    """A read that failed because the file is damaged — text that is not UTF-8, a broken
    page the check on opening did not reach — as the damage error naming the newest good
    backup; None for any other exception (a bug)."""
    if path is None:
        return None
    text = str(exc)
    damaged = isinstance(exc, UnicodeDecodeError) or (
        isinstance(exc, sqlite3.DatabaseError)
        and any(w in text for w in ("malformed", "not a database", "decode", "corrupt"))
    )
    if not damaged:
        return None
    return damaged_error(Path(path), f"读取数据库时发现文件已损坏（{_cut(text)}）")


def ensure_usable(path: str | Path) -> Inspection | None:
    """Raise before anything is written to an existing database file that must not be used:
    newer version, damaged (:class:`DamagedDatabaseError`), someone else's database.
    Returns the inspection (its full check still running, for the first write), or None
    for a file that does not exist yet or is empty (a new database)."""
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        return None
    inspection = Inspection(
        p, _started.pop(p.resolve(), None)
    )  # once: a later opening checks afresh
    problem = inspection.quick_problem()
    if problem is None:
        return inspection
    kind, message = problem
    if kind == "empty":
        return None  # no tables yet (made by SQLite elsewhere): becomes a new ledger
    if kind == "damaged":
        raise damaged_error(p, message)
    raise DatabaseError(message)


# --- making backups ---------------------------------------------------------------------------


def fingerprint(conn: sqlite3.Connection) -> str:
    """A digest that changes whenever the ledger's data change: the audit trail's last row
    stands for the audited tables, the other (small) tables are hashed whole; attachments
    by their size. Two databases with the same fingerprint hold the same ledger."""
    from .audit import AUDITED

    h = hashlib.sha256()
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    audited = "audit" in tables
    for t in tables:
        if audited and t in AUDITED:
            continue
        if t == "audit":
            sql = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1"
        elif t == "attachment":
            sql = (
                "SELECT id, record_id, filename, caption, length(data) FROM attachment ORDER BY id"
            )
        else:
            sql = f"SELECT * FROM [{t}] ORDER BY rowid"
        h.update(t.encode())
        for row in conn.execute(sql):
            h.update(repr(row).encode("utf-8"))
    return h.hexdigest()


def same_as_newest_backup(conn: sqlite3.Connection, db_path: str | Path) -> bool:
    """True when the newest backup already holds exactly this ledger."""
    backups = list_backups(db_path)
    if not backups:
        return False
    try:
        other = _ro_connect(backups[0].path)
        try:
            return fingerprint(other) == fingerprint(conn)
        finally:
            other.close()
    except sqlite3.Error:
        return False


def _source(src: object) -> tuple[sqlite3.Connection, Path, bool]:
    """(connection, database path, whether we opened the connection) for a Ledger, a
    sqlite_utils Database, a sqlite3 Connection or a path."""
    db = getattr(src, "db", src)  # a Ledger has .db
    conn = getattr(db, "conn", db)  # a sqlite_utils Database has .conn
    if isinstance(conn, sqlite3.Connection):
        row = conn.execute("PRAGMA database_list").fetchone()
        if not row or not row[2]:
            raise DatabaseError("内存中的数据库无法备份")
        return conn, Path(row[2]), False
    p = Path(src)  # type: ignore[arg-type]
    problem = inspect_file(p)
    if problem and problem[0] in ("missing", "unreadable"):
        raise DatabaseError(problem[1])
    return _ro_connect(p), p, True


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(src: sqlite3.Connection, target: Path, content: bool = True) -> None:
    """Copy a database through the online backup API into a new single-file database and
    check the copy: a ledger of this program, whole (``integrity_check``), and — unless the
    source's content was checked already this session (``content=False``) — its data
    matching its audit trail. A copy that is not is refused (the caller removes it)."""
    dest = sqlite3.connect(target, isolation_level=None)
    try:
        src.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    problem = inspect_file(target, full=True, content=content)
    if problem is not None:
        kind, message = problem
        if kind == "damaged":
            raise DamagedDatabaseError(
                f"备份副本检查未通过（{_ends(message)}），当前数据库可能已损坏。"
            )
        raise DatabaseError(f"无法备份：{message}")


def _process_gone(pid: int) -> bool:
    """Whether no process ``pid`` runs any more (POSIX; elsewhere: not known, False)."""
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


_TEMPORARY = re.compile(r"^\..+\.(?:restore-)?(?P<pid>\d+)\.tmp(?:-journal|-wal|-shm)?$")


def clean_temporaries(folder: Path, max_age: float = 3600) -> list[Path]:
    """Remove the temporary files (and their SQLite journals) a killed backup or restore
    left in ``folder``: at once when the process that wrote one is gone, else when older
    than ``max_age`` seconds (on Windows a file still open cannot be removed anyway)."""
    removed = []
    cutoff = time.time() - max_age
    for f in folder.glob(".*.tmp*"):
        m = _TEMPORARY.match(f.name)
        if not m:
            continue
        try:
            if os.name == "nt" or _process_gone(int(m["pid"])) or f.stat().st_mtime < cutoff:
                f.unlink()
                removed.append(f)
        except OSError:
            pass  # in use, or gone already
    return removed


def write_error(e: sqlite3.Error) -> DatabaseError | None:
    """A Chinese message for a write that failed because of the disk, not the program
    (the transaction has been rolled back); None for anything else."""
    text = str(e).lower()
    if "full" in text:
        return DatabaseError(
            "磁盘空间不足，刚才的操作没有保存（数据保持操作前的样子）。请清理磁盘后重试。"
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseError("数据库文件变成了只读（U 盘写保护或权限改变？），刚才的操作没有保存。")
    if "disk i/o error" in text or "unable to open" in text:
        return DatabaseError(
            "读写数据库文件时出错（U 盘或网络盘被拔出？），刚才的操作没有保存。"
            "请检查存放数据库的磁盘后重新打开程序。"
        )
    return None


def _disk_error(e: OSError | sqlite3.Error, where: Path) -> DatabaseError:
    """A backup that failed for the disk's sake, naming the folder, never a temporary."""
    reason = os_error_text(e)
    if reason == "磁盘已满":
        return DatabaseError(f"磁盘已满，无法在 {where} 写入备份。请清理磁盘后重试。")
    return DatabaseError(f"无法在 {where} 写入备份：{reason}。")


def backup(
    src: object, reason: str = "manual", now: dt.datetime | None = None, thin_after: bool = True
) -> Path:
    """Make a checked backup of a database (a Ledger, a Database or a path) into
    ``backups/`` beside it; returns the backup's path. Older backups are thinned. The copy
    is checked in full (see :func:`_copy`) unless it is of an open ledger whose file was
    checked in full this session (storage.db.checked)."""
    conn, db_path, opened = _source(src)
    from .db import checked

    db = getattr(src, "db", src)
    content = opened or not hasattr(db, "conn") or not checked(db)
    folder = backups_dir(db_path)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    stem = db_path.stem
    final = folder / f"{stem}-{now.strftime(_STAMP)}-{reason}.db"
    n = 1
    while final.exists():
        n += 1
        final = folder / f"{stem}-{now.strftime(_STAMP)}-{reason}-{n}.db"
    tmp = folder / f".{final.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        clean_temporaries(folder)
        _copy(conn, tmp, content)
        os.replace(tmp, final)
        _fsync_dir(folder)
    except (OSError, sqlite3.Error) as e:
        raise _disk_error(e, folder) from e
    finally:
        if opened:
            conn.close()
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass
    if thin_after:
        thin(db_path, now=now)
    return final


def list_backups(db_path: str | Path) -> list[BackupInfo]:
    """The backups of a database, newest first."""
    stem = Path(db_path).stem
    out: list[tuple[dt.datetime, int, BackupInfo]] = []
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    for f in folder.iterdir():
        m = _NAME.match(f.name)
        if not m or m["stem"] != stem or not f.is_file() or not _looks_like_sqlite(f):
            continue
        when = dt.datetime.strptime(m["stamp"], _STAMP)
        st = f.stat()
        out.append((when, st.st_mtime_ns, BackupInfo(f, when, m["reason"], st.st_size)))
    out.sort(key=lambda x: x[:2], reverse=True)  # same second: the later written first
    return [x[2] for x in out]


def _looks_like_sqlite(f: Path) -> bool:
    """A cheap first look (16 bytes): a 0-byte or non-SQLite file is never offered."""
    try:
        return check.header_problem(f) is None
    except OSError:
        return False


def select_keep(
    times: list[dt.datetime], now: dt.datetime, last: int = 10, days: int = 14, months: int = 12
) -> set[int]:
    """Indexes of the backups to keep: the newest ``last``, the newest of each day of the
    last ``days`` days, of each month of the last ``months`` months, and of each year."""
    order = sorted(range(len(times)), key=lambda i: times[i], reverse=True)
    keep = set(order[:last])
    day_from = now - dt.timedelta(days=days)
    month_from = (now.year * 12 + now.month - 1) - months
    seen: set = set()
    for i in order:
        t = times[i]
        for bucket, wanted in (
            (("d", t.date()), t >= day_from),
            (("m", t.year, t.month), t.year * 12 + t.month - 1 > month_from),
            (("y", t.year), True),
        ):
            if wanted and bucket not in seen:
                seen.add(bucket)
                keep.add(i)
    return keep


def thin(db_path: str | Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete backups no longer needed (see :func:`select_keep`); returns what went."""
    backups = list_backups(db_path)
    keep = select_keep([b.when for b in backups], now or dt.datetime.now())
    removed = []
    for i, b in enumerate(backups):
        if i not in keep:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                pass
    return removed


def newest_good_backup(db_path: str | Path) -> BackupInfo | None:
    """The newest backup that passes :func:`backup_problem` (a sound ledger of this program)."""
    for b in list_backups(db_path):
        if backup_problem(b.path) is None:
            return b
    return None


# --- restoring --------------------------------------------------------------------------------


def move_aside(path: str | Path, now: dt.datetime | None = None) -> Path:
    """Rename a (damaged) database with its -wal and -shm to ``<name>.damaged-<time>``, the
    -wal first: a -wal must never be left beside a different main file."""
    p = Path(path)
    stamp = (now or dt.datetime.now()).strftime(_STAMP)
    aside = p.with_name(f"{p.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm"):
        side = Path(str(p) + suffix)
        if side.exists():
            os.replace(side, Path(str(aside) + suffix))
    os.replace(p, aside)
    _fsync_dir(p.parent)
    return aside


def restore(
    ledger_path: str | Path, backup_file: str | Path, now: dt.datetime | None = None
) -> Path | None:
    """Replace the live database's content with a backup's. The backup is checked first (a
    damaged one is refused, the live file untouched); a healthy live database is backed up
    first (``before-restore``; that path is returned), a damaged one is moved aside. Close
    every connection of this program to the database before calling."""
    live, source = Path(ledger_path), Path(backup_file)
    problem = backup_problem(source)
    if problem:
        raise DatabaseError(f"该备份无法使用：{_ends(problem)}。当前数据未作任何改动。")
    if live.exists() and live.resolve() == source.resolve():
        raise DatabaseError("不能用数据库自身来恢复。")
    # in full: a file that only looks healthy is moved aside too, never copied into backups/
    live_problem = inspect_file(live, full=True) if live.exists() and live.stat().st_size else None
    saved = None
    try:
        if live.exists() and live.stat().st_size and live_problem is None:
            # not thinned yet: thinning could remove the very backup being restored
            saved = backup(live, "before-restore", now=now, thin_after=False)
            src = _ro_connect(source)
            dest = sqlite3.connect(live, isolation_level=None)
            try:
                dest.execute("PRAGMA busy_timeout = 5000")
                # one transaction of SQLite's own: the live file holds the old or the new
                # content, whatever happens; its WAL stays consistent
                src.backup(dest)
                dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                src.close()
                dest.close()
        else:
            if live.exists() and live.stat().st_size:
                move_aside(live, now)
            for suffix in ("-wal", "-shm"):  # never leave an old -wal beside the new file
                side = Path(str(live) + suffix)
                if side.exists():
                    side.unlink()
            clean_temporaries(live.parent)
            tmp = live.with_name(f".{live.name}.restore-{os.getpid()}.tmp")
            src = _ro_connect(source)
            try:
                _copy(src, tmp, content=False)  # the source was checked in full above
                os.replace(tmp, live)
            finally:
                src.close()
                for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
                    leftover.unlink(missing_ok=True)
            _fsync_dir(live.parent)
    except (OSError, sqlite3.Error) as e:
        reason = f"恢复失败：{os_error_text(e)}（{live}）"
        raise DatabaseError(f"{reason}。恢复前的数据已备份在 {saved}。" if saved else reason) from e
    thin(live, now=now)
    return saved
