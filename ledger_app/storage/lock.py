"""One writer per database: an OS lock on ``<database>.lock``.

The lock is taken on a separate file (never on the database, which SQLite locks itself) with
``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows. The operating system releases it
when the process ends in any way, so a crash or a switched-off PC leaves no stale lock; the
file itself may stay and means nothing on its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from ..errors import DatabaseError, os_error_text


def lock_path(db_path: str | Path) -> Path:
    """``<database>.lock`` beside the file the path leads to: a symbolic link to the open
    ledger (or a path through a linked folder) is the same ledger, with the same lock."""
    p = Path(db_path).resolve()
    return p.with_name(p.name + ".lock")


class Lock:
    """A held lock; release it with :meth:`release` or by leaving a ``with`` block."""

    def __init__(self, path: Path, handle: IO[str]):
        self.path = path
        self._handle: IO[str] | None = handle

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            _unlock(handle)
        finally:
            handle.close()

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


if os.name == "nt":  # pragma: no cover - cannot be tested on Linux
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    """Who holds the lock, as written in the lock file by the holder (best effort)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return f"（{text}）" if text else ""


def acquire_lock(db_path: str | Path) -> Lock:
    """Take the writer's lock of a database, or raise :class:`DatabaseError` in Chinese when
    another copy of the program (on this or another computer) has it."""
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # "a+": never truncate before we hold the lock (the holder's note stays readable)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while held
    except OSError as e:
        raise DatabaseError(
            f"数据库所在的文件夹 {path.parent} 是只读的（或没有写入权限），无法修改其中的台账"
            f"（{os_error_text(e)}）。请把数据库文件复制到可写的文件夹后再试。"
        ) from e
    if not _try_lock(handle):
        handle.close()
        raise DatabaseError(
            f"数据库 {Path(db_path).name} 正在被另一个支部台账程序使用{_holder(path)}。"
            "同一时间只能有一个程序修改台账：请先关闭另一个窗口（或等它完成）再试。"
        )
    try:
        if os.name != "nt":  # on Windows the locked byte cannot be rewritten; the note is optional
            handle.seek(0)
            handle.truncate()
            handle.write(f"进程 {os.getpid()}，计算机 {os.uname().nodename}")
            handle.flush()
    except OSError:
        pass
    return Lock(path, handle)
