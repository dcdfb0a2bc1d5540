"""Crash safety, for real: processes killed with SIGKILL at random moments during an import,
a backup and a restore; an exception injected in the middle of a user action."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ledger_app.domain.models import Attendance, Member, Record
from ledger_app.services import importer, records, safety
from ledger_app.services.ledger import Ledger
from ledger_app.storage import audit
from ledger_app.storage import backup as bk
from ledger_app.storage.repo import Repository

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "示例党支部-2024.xlsx"
NAMES = ["林海", "黄晓丽", "马骏", "高淑珍", "罗强", "郭静"]
COUNTED = ("member", "record", "attendance", "payment", "dues_setting", "volunteer", "audit")

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def counts(path: Path) -> tuple[int, ...]:
    conn = _ro(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED)
    finally:
        conn.close()


def base_ledger(path: Path) -> Path:
    lg = Ledger.open(path)
    with lg.repo.atomic():
        lg.repo.set_setting("user_name", "王书记")
        lg.repo.add_member(Member(None, "老党员", join_date=dt.date(1990, 7, 1)))
    lg.close()
    return path


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory) -> Path:
    """The sample workbook with 10,000 more 志愿服务 rows."""
    import openpyxl

    path = tmp_path_factory.mktemp("wb") / "大台账.xlsx"
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["志愿服务"]
    for i in range(10_000):
        ws.append(
            [dt.datetime(2024, 1, 1) + dt.timedelta(days=i % 365), NAMES[i % 6], f"项目{i}",
             "示例社区", 0.5 * (1 + i % 6), "社区主任", None]
        )  # fmt: skip
    wb.save(path)
    return path


def _import(db: Path, workbook: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), "import", str(workbook)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(),
    )  # fmt: skip


def _wal_size(db: Path) -> int:
    wal = Path(str(db) + "-wal")
    try:
        return wal.stat().st_size
    except OSError:
        return 0


def _wait_for_writing(p: subprocess.Popen, db: Path, timeout: float = 30) -> float:
    """Wait until the import's transaction is spilling into the -wal; returns the time."""
    end = time.monotonic() + timeout
    while _wal_size(db) < 64 * 1024 and p.poll() is None and time.monotonic() < end:
        time.sleep(0.002)
    return time.monotonic()


@pytest.mark.slow
def test_sigkill_during_an_import_leaves_all_or_none(tmp_path, big_workbook):
    base = base_ledger(tmp_path / "base.db")
    none = counts(base)
    # the whole import once: how long it takes, how long it writes, and what "all" is
    full = tmp_path / "full" / "ledger.db"
    full.parent.mkdir()
    shutil.copyfile(base, full)
    t0 = time.monotonic()
    p = _import(full, big_workbook)
    writing = _wait_for_writing(p, full)
    _, err = p.communicate(timeout=60)
    t1 = time.monotonic()
    duration, write_window = t1 - t0, t1 - writing
    assert p.returncode == 0, err.decode()
    everything = counts(full)
    assert everything[COUNTED.index("volunteer")] > 10_000

    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    outcomes = []
    for i in range(15):
        db = tmp_path / f"run{i}" / "ledger.db"
        db.parent.mkdir()
        shutil.copyfile(base, db)
        p = _import(db, big_workbook)
        if i % 3 == 0:  # any moment: reading the workbook, the backup before it, writing
            time.sleep(rng.uniform(0.1, 1.0) * duration)
        else:  # while its one transaction is being written
            _wait_for_writing(p, db)
            time.sleep(rng.uniform(0.0, 1.0) * write_window)
        mid_write = _wal_size(db) >= 64 * 1024
        finished = p.poll() is not None
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stderr.close()
        state = counts(db)  # integrity_check ok (asserted inside)
        assert state in (none, everything), (seed, i, state)
        outcome = "all" if state == everything else "none"
        outcomes.append(("finished " if finished else "mid-write " if mid_write else "") + outcome)
        # the program opens it afterwards (no stale lock, WAL recovered), the trail is whole
        lg = Ledger.open(db)
        assert audit.verify_chain(lg.db) is None, (seed, i)
        assert audit.replay_mismatches(lg.db) == [], (seed, i)
        lg.close()
        # a backup made before the import, if one was finished, is a good one
        for b in bk.list_backups(db):
            assert bk.check_file(b.path) is None
    print(f"seed {seed}, import {duration:.2f}s (writing {write_window:.2f}s): {outcomes}")
    # killed in the middle of writing often enough to mean something
    assert sum(o.startswith("mid-write") for o in outcomes) >= 5, outcomes
    # after the last kill the import can simply be run again
    last = tmp_path / f"run{len(outcomes) - 1}" / "ledger.db"
    p = _import(last, big_workbook)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 0, err.decode()
    assert counts(last) == everything


def _big_ledger(path: Path, megabytes: int) -> Path:
    base_ledger(path)
    lg = Ledger.open(path)
    with lg.repo.atomic():
        rid = lg.repo.add_record(Record(None, "支委会", dt.date(2025, 1, 5), topic="附件多"))
        for _ in range(megabytes):
            lg.repo.add_attachment(rid, "扫描件.pdf", None, os.urandom(1 << 20), None)
    lg.close()
    return path


BACKUP = """
import sys
from ledger_app.storage.backup import backup
print("go", flush=True)
backup(sys.argv[1], "manual")
print("done", flush=True)
"""


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.slow
def test_sigkill_during_a_backup_leaves_no_final_file_and_older_backups_unchanged(tmp_path):
    db = _big_ledger(tmp_path / "ledger.db", 40)
    older = [
        bk.backup(db, "close", now=dt.datetime(2026, 11, d, 18, 0)).resolve() for d in (20, 21)
    ]
    hashes = {p: _sha(p) for p in older}
    t0 = time.monotonic()
    bk.backup(db, "manual", now=dt.datetime(2026, 11, 22, 9, 0)).unlink()
    duration = time.monotonic() - t0
    rng = random.Random()
    unfinished = 0
    # one kill right after the start lands inside the copy even on a loaded machine
    fractions = [0.0] + [rng.uniform(0.05, 1.1) for _ in range(5)]
    for fraction in fractions:
        p = subprocess.Popen(
            [sys.executable, "-c", BACKUP, str(db)], stdout=subprocess.PIPE, text=True, env=_env()
        )
        assert p.stdout.readline().strip() == "go"
        time.sleep(fraction * duration)
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
        finals = {b.path.resolve() for b in bk.list_backups(db)}
        assert set(older) <= finals
        for f in finals - set(older):
            assert bk.check_file(f) is None  # a file under a final name is complete
            f.unlink()
        if finals == set(older):
            unfinished += 1
        assert {p: _sha(p) for p in older} == hashes  # older backups untouched
    assert unfinished >= 1  # at least one kill landed in the middle of the copy
    assert bk.check_file(db) is None


RESTORE = """
import sys
from ledger_app.storage.backup import restore
print("go", flush=True)
restore(sys.argv[1], sys.argv[2])
"""


@pytest.mark.slow
def test_sigkill_during_a_restore_leaves_the_old_or_the_new_content(tmp_path):
    db = _big_ledger(tmp_path / "ledger.db", 30)
    old = bk.backup(db, "manual")
    lg = Ledger.open(db)
    with lg.repo.atomic():
        lg.repo.add_member(Member(None, "新来的", join_date=dt.date(2020, 7, 1)))
        lg.db.execute("DELETE FROM attachment WHERE id % 2 = 0")
    lg.close()

    def names() -> list[str]:
        conn = _ro(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            return [r[0] for r in conn.execute("SELECT name FROM member ORDER BY id")]
        finally:
            conn.close()

    new_names, old_names = names(), ["老党员"]
    rng = random.Random()
    seen = set()
    for _ in range(5):
        p = subprocess.Popen(
            [sys.executable, "-c", RESTORE, str(db), str(old)],
            stdout=subprocess.PIPE, text=True, env=_env(),
        )  # fmt: skip
        assert p.stdout.readline().strip() == "go"
        time.sleep(rng.uniform(0.0, 0.6))
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
        now = names()
        assert now in (old_names, new_names)
        seen.add(tuple(now))
        lg = Ledger.open(db)  # and it opens
        lg.close()
        if now == old_names:  # put the new content back for the next round
            lg = Ledger.open(db)
            with lg.repo.atomic():
                lg.repo.add_member(Member(None, "新来的", join_date=dt.date(2020, 7, 1)))
            lg.close()


# --- an exception in the middle of a user action ----------------------------------------------


def _dump(ledger: Ledger) -> list[str]:
    return list(ledger.db.conn.iterdump())


class Boom(RuntimeError):
    pass


def test_an_exception_in_the_middle_of_an_import_leaves_the_database_identical(
    tmp_path, monkeypatch
):
    lg = Ledger.open(base_ledger(tmp_path / "ledger.db"))
    before = _dump(lg)
    calls = {"n": 0}

    def failing(self, entries):
        for v in entries:  # members, records, payments already written by then
            calls["n"] += 1
            if calls["n"] == 4:
                raise Boom("断电了")
            self.add_volunteer(v)

    monkeypatch.setattr(Repository, "add_volunteer_entries", failing)
    with pytest.raises(Boom):
        importer.import_workbook(lg, SAMPLE)
    assert calls["n"] == 4
    assert _dump(lg) == before
    lg.close()


def test_an_exception_in_the_middle_of_saving_a_record_leaves_the_database_identical(
    tmp_path, monkeypatch
):
    lg = Ledger.open(base_ledger(tmp_path / "ledger.db"))
    repo = lg.repo
    with repo.atomic():
        rec = Record(None, "支委会", dt.date(2025, 3, 5), topic="原议题", attendance=[
            Attendance(1, "出席")])  # fmt: skip
        repo.add_record(rec)
    before = _dump(lg)

    def failing(self, r):  # after the UPDATE and the DELETE of the old attendance
        raise Boom("程序出错")

    monkeypatch.setattr(Repository, "_write_attendance", failing)
    rec.topic = "改过的议题"
    rec.attendance = [Attendance(1, "请假", "病假")]  # a changed list is written again
    with pytest.raises(Boom), repo.atomic():
        repo.update_record(rec)
    assert _dump(lg) == before
    # and deleting into the recycle bin fails as a whole, too
    monkeypatch.setattr(audit, "move_record_to_trash", _trash_then_fail)
    with pytest.raises(Boom):
        records.delete_record(lg, rec.id)
    assert _dump(lg) == before
    lg.close()


_real_trash = audit.move_record_to_trash


def _trash_then_fail(db, record_id):
    _real_trash(db, record_id)
    raise Boom("删除到一半")


def test_a_database_of_the_first_schema_version_upgrades_with_its_data(tmp_path):
    """Fixture: a file made by schema version 1 (before the audit trail) with data."""
    import sqlite_utils

    from ledger_app.storage.schema import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "v1.db"
    db = sqlite_utils.Database(path)
    with db.atomic():
        MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO member (name, join_date) VALUES ('张三', '2000-07-01')")
    db.execute("INSERT INTO record (kind, date) VALUES ('支委会', '2025-03-05')")
    db.execute("INSERT INTO attendance (record_id, member_id, status) VALUES (1, 1, '出席')")
    db.close()
    lg = Ledger.open(path)
    assert lg.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [m.name for m in lg.repo.members()] == ["张三"]
    assert len(lg.repo.record(1).attendance) == 1
    with lg.repo.atomic():
        lg.repo.add_member(Member(None, "李四", join_date=dt.date(2001, 7, 1)))
    assert [e.op for e in safety.history(lg, "member", 2)] == ["INSERT"]  # audited from now on
    [baseline] = safety.history(lg, "member", 1)  # what was there before is in the trail
    assert baseline.who == "（启用修改记录前已有）" and baseline.after["name"] == "张三"
    lg.close()
    assert safety.verify_database(path).ok  # replaying the trail gives the data


MIGRATE = """
import sys
from ledger_app.storage.db import open_database
print("go", flush=True)
open_database(sys.argv[1]).close()
print("done", flush=True)
"""


def _v1_file(path: Path, members: int) -> Path:
    """A database of schema version 1 with many rows, so that upgrading it takes a while."""
    import sqlite_utils

    from ledger_app.storage.schema import MIGRATIONS

    db = sqlite_utils.Database(path)
    with db.atomic():
        MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
        db.conn.executemany(
            "INSERT INTO member (name, join_date) VALUES (?, '2000-07-01')",
            [(f"党员{i}",) for i in range(members)],
        )
        db.conn.executemany(
            "INSERT INTO volunteer (member_id, date, half_hours) VALUES (?, '2025-03-05', 2)",
            [(1 + i % members,) for i in range(members * 4)],
        )
    db.close()
    return path


@pytest.mark.slow
def test_sigkill_during_a_migration_leaves_the_old_or_the_new_schema(tmp_path):
    from ledger_app.storage.schema import SCHEMA_VERSION

    template = _v1_file(tmp_path / "template.db", 10000)
    t0 = time.monotonic()
    subprocess.run(
        [sys.executable, "-c", MIGRATE, str(_copy(template, tmp_path / "t.db"))],
        check=True,
        env=_env(),
        capture_output=True,
    )
    duration = time.monotonic() - t0
    rng = random.Random()
    versions = set()
    for i, fraction in enumerate([0.3, 0.5] + [rng.uniform(0.2, 1.0) for _ in range(4)]):
        path = _copy(template, tmp_path / f"k{i}.db")
        p = subprocess.Popen(
            [sys.executable, "-c", MIGRATE, str(path)],
            stdout=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        assert p.stdout.readline().strip() == "go"
        time.sleep(fraction * duration)
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
        with _ro(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            assert conn.execute("SELECT COUNT(*) FROM member").fetchone()[0] == 10000
        versions.add(version)
        # all of a migration or none of it: the audit table exists exactly from version 2 on
        assert ("audit" in tables) == (version >= 2)
        lg = Ledger.open(path)  # the next start finishes the upgrade
        assert lg.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        lg.close()
    assert 1 in versions  # at least one kill landed inside the upgrade


def _copy(src: Path, dst: Path) -> Path:
    import shutil

    shutil.copyfile(src, dst)
    return dst


@pytest.mark.slow
def test_sigkill_during_an_export_leaves_no_half_file(tmp_path):
    """An export is written to a temporary name and renamed: the target is either the old
    file untouched or a complete new one, never half a workbook or PDF."""
    import openpyxl

    from ledger_app.services.demo import create_demo

    db = create_demo(tmp_path / "demo.db", today=dt.date(2026, 11, 23))
    main = str(ROOT / "main.py")
    for kind, suffix in (("export-xlsx", "xlsx"), ("export-pdf", "pdf")):
        target = tmp_path / f"out.{suffix}"
        cmd = [sys.executable, main, "--db", str(db), kind, "--year", "2026", "-o", str(target)]
        t0 = time.monotonic()
        subprocess.run(cmd, check=True, env=_env(), capture_output=True)
        duration = time.monotonic() - t0
        old = target.read_bytes()
        for fraction in (0.5, 0.7, 0.85, 0.95):
            p = subprocess.Popen(
                cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(fraction * duration)
            p.send_signal(signal.SIGKILL)
            p.wait()
            data = target.read_bytes()
            if data != old:  # the rename happened: the new file is whole
                if suffix == "xlsx":
                    openpyxl.load_workbook(target).close()
                else:
                    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
                old = data
