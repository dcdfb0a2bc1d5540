"""One writer per database: a second copy is refused; a killed holder leaves no stale lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ledger_app.errors import DatabaseError
from ledger_app.storage.lock import acquire_lock, lock_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "示例党支部-2024.xlsx"

HOLDER = """
import sys, time
from ledger_app.storage.lock import acquire_lock
lock = acquire_lock(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _holder(db: Path) -> subprocess.Popen:
    p = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True, env=_env()
    )
    assert p.stdout.readline().strip() == "locked"
    return p


def _kill(p: subprocess.Popen) -> None:
    p.send_signal(signal.SIGKILL)
    p.wait()
    p.stdout.close()


def _cli(db: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), *argv],
        capture_output=True, text=True, encoding="utf-8", env=_env(), timeout=60,
    )  # fmt: skip


def test_second_acquire_is_refused_in_plain_chinese(tmp_path):
    db = tmp_path / "ledger.db"
    with acquire_lock(db) as lock:
        assert lock.held and lock_path(db).exists()
        with pytest.raises(DatabaseError, match="正在被另一个支部台账程序使用") as info:
            acquire_lock(db)
        assert f"进程 {os.getpid()}" in info.value.message  # says who holds it
    assert not lock.held
    acquire_lock(db).release()  # free again once released


def test_lock_is_separate_from_the_database_file(tmp_path):
    db = tmp_path / "ledger.db"
    with acquire_lock(db):
        assert not db.exists()  # the database itself is never opened by the lock
    assert lock_path(db).name == "ledger.db.lock"


def test_two_processes_second_refused_and_killing_the_first_frees_the_lock(tmp_path):
    db = tmp_path / "ledger.db"
    first = _holder(db)
    try:
        r = _cli(db, "import", str(SAMPLE))
        assert r.returncode == 1
        assert "正在被另一个支部台账程序使用" in r.stderr and "Traceback" not in r.stderr
        assert not db.exists()  # refused before anything was written
        # read-only commands may run beside the writer (SQLite allows readers)
        assert _cli(db, "check", "--year", "2024").returncode == 0
    finally:
        _kill(first)
    # the kernel released the lock of the killed process: the next start works
    r = _cli(db, "import", str(SAMPLE))
    assert r.returncode == 0, r.stderr
    assert "已导入" in r.stdout
    acquire_lock(db).release()  # and the command released it on exit


def test_restore_command_takes_the_lock(tmp_path):
    db = tmp_path / "ledger.db"
    first = _holder(db)
    try:
        r = _cli(db, "restore", "whatever.db")
        assert r.returncode == 1 and "正在被另一个支部台账程序使用" in r.stderr
    finally:
        _kill(first)


def test_a_link_to_the_open_ledger_is_the_same_ledger(tmp_path):
    """The lock belongs to the file, not to the path typed: a symbolic link to the ledger,
    or its path through a linked folder, finds the lock held."""
    db = tmp_path / "ledger.db"
    db.touch()
    link = tmp_path / "链接.db"
    link.symlink_to(db)
    folder = tmp_path / "别处"
    folder.symlink_to(tmp_path, target_is_directory=True)
    with acquire_lock(db):
        for other in (link, folder / "ledger.db"):
            with pytest.raises(DatabaseError, match="正在被另一个支部台账程序使用"):
                acquire_lock(other)
    with acquire_lock(link):  # free again, whichever way it is reached
        assert lock_path(link) == lock_path(db)
