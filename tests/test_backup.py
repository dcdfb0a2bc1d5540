"""Backups, restore, integrity on opening, damaged / newer / foreign / read-only files."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ledger_app.cli import build_parser, run_command
from ledger_app.domain.models import Attendance, Member, Record
from ledger_app.errors import DamagedDatabaseError, DatabaseError
from ledger_app.services import records, safety
from ledger_app.services.ledger import Ledger
from ledger_app.storage import backup as bk
from ledger_app.storage.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
PHOTO = bytes(range(256)) * 40  # an attachment (BLOB)


def make_ledger(path: Path, members: int = 3) -> Path:
    """A file ledger with members, a record with attendance and an attachment."""
    lg = Ledger.open(path)
    repo = lg.repo
    with repo.atomic():
        repo.set_setting("user_name", "王书记")
        ids = [
            repo.add_member(Member(None, f"党员{i}", join_date=dt.date(2000, 7, 1)))
            for i in range(members)
        ]
        rid = repo.add_record(
            Record(
                None, "支委会", dt.date(2025, 3, 5), topic="学习",
                attendance=[Attendance(i, "出席") for i in ids],
            )
        )  # fmt: skip
        repo.add_attachment(rid, "签到表.jpg", "image/jpeg", PHOTO, "签到")
    lg.close()
    return path


def add_members(path: Path, names: list[str]) -> None:
    lg = Ledger.open(path)
    with lg.repo.atomic():
        for n in names:
            lg.repo.add_member(Member(None, n, join_date=dt.date(2001, 7, 1)))
    lg.close()


def names(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM member ORDER BY id")]
    finally:
        conn.close()


def snapshot(path: Path) -> dict[str, str | None]:
    """Hashes of the database file and its -wal (None: absent or empty — a read-only reader
    of a WAL database may leave an empty one). The -shm is left out: it is SQLite's
    shared-memory index of the -wal, rebuilt by any reader, holding no data."""
    out = {}
    for suffix in ("", "-wal"):
        f = Path(str(path) + suffix)
        data = f.read_bytes() if f.exists() else b""
        out[suffix] = hashlib.sha256(data).hexdigest() if data or not suffix else None
    return out


def flip_structural_byte(path: Path) -> None:
    """Damage a b-tree page header (the page type byte of page 2), as a bad sector would."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page] ^= 0xFF
    path.write_bytes(bytes(data))


def cli(*argv: str) -> int:
    return run_command(build_parser().parse_args(list(argv)))


# --- settings and backups ---------------------------------------------------------------------


def test_safe_settings_on_a_file_database(tmp_path):
    lg = Ledger.open(tmp_path / "ledger.db")
    q = lambda p: lg.db.execute(f"PRAGMA {p}").fetchone()[0]  # noqa: E731
    assert q("journal_mode") == "wal"
    assert q("synchronous") == 1  # NORMAL with WAL: deliberate (storage/db.py)
    assert q("foreign_keys") == 1
    assert q("secure_delete") == 1
    assert q("recursive_triggers") == 1  # REPLACE deletes are audited too
    assert q("temp_store") == 2  # big audited actions keep statement journals in memory
    lg.close()


def test_backup_is_a_checked_single_file_copy_with_attachments(tmp_path):
    path = make_ledger(tmp_path / "ledger.db")
    lg = Ledger.open(path)
    made = safety.backup_now(lg, "manual")
    lg.close()
    assert made.parent == tmp_path / "backups"
    assert made.name.startswith("ledger-") and made.name.endswith("-manual.db")
    assert not list(made.parent.glob(".*"))  # no temporary file left
    conn = sqlite3.connect(f"{made.as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # self-contained
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT data FROM attachment").fetchone()[0] == PHOTO
    assert conn.execute("SELECT COUNT(*) FROM attendance").fetchone()[0] == 3
    conn.close()
    assert bk.list_backups(path)[0].path == made
    assert bk.list_backups(path)[0].reason_label == "手动"


def test_backup_holds_only_committed_data_while_another_writer_is_busy(tmp_path):
    path = make_ledger(tmp_path / "ledger.db")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE member SET name = '未提交' WHERE id = 1")
    made = bk.backup(path, "manual")
    writer.execute("ROLLBACK")
    writer.close()
    assert names(made) == ["党员0", "党员1", "党员2"]


def test_selecting_backups_to_keep_by_age():
    now = dt.datetime(2026, 11, 23, 14, 0)
    times = [now - dt.timedelta(hours=6 * i) for i in range(4 * 800)]  # every 6 h, 800 days
    kept = sorted((times[i] for i in bk.select_keep(times, now)), reverse=True)
    assert kept[:10] == times[:10]  # the last 10
    recent = [t for t in kept if t >= now - dt.timedelta(days=14)]
    assert len({t.date() for t in recent}) == 15  # one a day for two weeks (and today)
    assert len(recent) <= 10 + 15
    for month in range(2025 * 12 + 11, 2026 * 12 + 10):  # 2025-12 … 2026-10: one each
        y, m = divmod(month, 12)
        in_month = [t for t in kept if (t.year, t.month) == (y, m + 1)]
        if (y, m + 1) < (2026, 11) and in_month and in_month[0] < now - dt.timedelta(days=14):
            assert in_month == [max(t for t in times if (t.year, t.month) == (y, m + 1))]
    # older than a year: only the newest of each year
    assert [t for t in kept if t < dt.datetime(2025, 12, 1)] == [
        max(t for t in times if t.year == 2024)
    ]


def test_thinning_deletes_old_backups_and_keeps_the_newest(tmp_path):
    path = make_ledger(tmp_path / "ledger.db")
    start = dt.datetime(2026, 11, 23, 8, 0)
    made = [bk.backup(path, "hourly", now=start + dt.timedelta(minutes=i)) for i in range(13)]
    left = [b.path for b in bk.list_backups(path)]
    assert left == list(reversed(made[-10:]))
    assert not made[0].exists()


def test_maybe_backup_only_when_something_changed(tmp_path):
    path = tmp_path / "ledger.db"
    lg = Ledger.open(path)
    assert safety.maybe_backup(lg, "open") is None  # empty ledger: nothing to save
    assert safety.maybe_backup(lg, "close") is None  # nothing written since opening
    lg.close()
    make_ledger(path)
    lg = Ledger.open(path)
    first = safety.maybe_backup(lg, "open")
    assert first is not None and first.name.endswith("-open.db")
    assert safety.maybe_backup(lg, "hourly") is None  # nothing changed
    assert safety.maybe_backup(lg, "close") is None
    with lg.repo.atomic():
        lg.repo.add_member(Member(None, "新党员", join_date=dt.date(2020, 7, 1)))
    assert safety.maybe_backup(lg, "hourly") is None  # changed, but not an hour yet
    closing = safety.maybe_backup(lg, "close")
    assert closing is not None and "新党员" in names(closing)
    lg.close()
    lg = Ledger.open(path)
    assert safety.maybe_backup(lg, "open") is None  # the newest backup is already this state
    lg.close()


# --- restore ----------------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_saves_the_current_state_first(tmp_path):
    path = make_ledger(tmp_path / "ledger.db")
    made = bk.backup(path, "manual")
    add_members(path, ["后来的人"])
    saved = safety.restore(path, made)
    assert names(path) == ["党员0", "党员1", "党员2"]
    assert saved is not None and "后来的人" in names(saved)
    lg = Ledger.open(path)  # usable, chain intact, attachments back
    assert safety.verify_chain(lg) is None
    assert lg.repo.attachment_data(1) == PHOTO
    with lg.repo.atomic():
        lg.repo.add_member(Member(None, "恢复后", join_date=dt.date(2020, 7, 1)))
    lg.close()
    assert safety.verify_database(path).ok


def test_restoring_an_old_backup_that_thinning_would_remove(tmp_path):
    path = make_ledger(tmp_path / "ledger.db")
    old = bk.backup(path, "close", now=dt.datetime(2026, 10, 1, 9, 0))
    bk.backup(path, "close", now=dt.datetime(2026, 10, 1, 18, 0))  # newer on the same day
    add_members(path, ["后来的人"])
    for minute in range(10):  # ten newer backups: "old" is no longer needed by the rules
        bk.backup(path, "hourly", now=dt.datetime(2026, 11, 23, 9, minute), thin_after=False)
    assert old.exists()
    safety.restore(path, old)
    assert names(path) == ["党员0", "党员1", "党员2"]
    assert not old.exists()  # thinned only after it was restored


def test_a_damaged_backup_is_refused_and_the_live_file_untouched(tmp_path):
    path = make_ledger(tmp_path / "ledger.db")
    made = bk.backup(path, "manual")
    flip_structural_byte(made)
    before = snapshot(path)
    with pytest.raises(DatabaseError, match="该备份无法使用"):
        safety.restore(path, made)
    assert snapshot(path) == before
    assert [b.reason for b in bk.list_backups(path)] == ["manual"]  # no before-restore copy


# --- damaged, newer, foreign, read-only ------------------------------------------------------


def _damage_garbage(path: Path) -> None:
    path.write_bytes(b"\x00garbage, not a database at all" * 500)


def _damage_stale_wal(path: Path) -> None:
    """Put beside the file a -wal that belongs to another database (e.g. the file was
    replaced by a copy while a -wal of the old one stayed)."""
    other = path.with_name("other.db")
    code = (
        "import sqlite3, os, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode=WAL')\n"
        "c.execute('CREATE TABLE x (id INTEGER PRIMARY KEY, a TEXT)')\n"
        "c.execute('CREATE INDEX xa ON x(a)')\n"
        "c.execute('BEGIN')\n"
        "c.executemany('INSERT INTO x (a) VALUES (?)', [(str(i) * 9,) for i in range(4000)])\n"
        "c.execute('COMMIT')\n"
        "c.execute('PRAGMA wal_checkpoint(TRUNCATE)')\n"
        "c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute(\"UPDATE x SET a = 'z' || a WHERE id % 400 = 3\")\n"
        "os._exit(0)\n"  # killed: the -wal stays
    )
    subprocess.run([sys.executable, "-c", code, str(other)], check=True)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(str(other) + "-wal", str(path) + "-wal")


@pytest.mark.parametrize("damage", ["flipped byte", "garbage", "stale wal"])
def test_damaged_file_is_detected_untouched_and_restored_from_backup(tmp_path, damage):
    path = make_ledger(tmp_path / "ledger.db", members=300)  # several pages
    good = bk.backup(path, "close", now=dt.datetime(2026, 11, 20, 17, 0))
    {"flipped byte": flip_structural_byte, "garbage": _damage_garbage,
     "stale wal": _damage_stale_wal}[damage](path)  # fmt: skip
    before = snapshot(path)
    with pytest.raises(DamagedDatabaseError) as info:
        Ledger.open(path)
    assert "未对它作任何写入" in info.value.message
    assert "2026年11月20日 17:00" in info.value.message  # the backup on offer
    assert snapshot(path) == before  # nothing written (file, -wal)
    assert safety.newest_good_backup_for(path).path == good
    # verify says so too (exit 1), without writing
    assert cli("--db", str(path), "verify") == 1
    assert snapshot(path) == before
    # restoring: the damaged file is kept aside, the backup's content is live
    assert safety.restore(path, good) is None
    aside = [p for p in tmp_path.glob("ledger.db.damaged-*") if p.name[-4:] not in ("-wal", "-shm")]
    assert len(aside) == 1 and hashlib.sha256(aside[0].read_bytes()).hexdigest() == before[""]
    assert len(names(path)) == 300
    lg = Ledger.open(path)
    assert lg.repo.member_count() == 300
    lg.close()


def test_the_check_started_before_qt_loads_guards_the_opening_just_the_same(tmp_path):
    """``python main.py`` starts the file check while Qt loads (bk.start_inspection); the
    opening waits for it and refuses a damaged file untouched, and a later opening (after a
    restore) checks afresh rather than trusting the old result."""
    path = make_ledger(tmp_path / "ledger.db", members=300)
    good = bk.backup(path, "close", now=dt.datetime(2026, 11, 20, 17, 0))
    flip_structural_byte(path)
    before = snapshot(path)
    bk.start_inspection(path)
    with pytest.raises(DamagedDatabaseError):
        Ledger.open(path)
    assert snapshot(path) == before
    safety.restore(path, good)
    Ledger.open(path).close()  # the early result (damaged) is not reused
    # a good file: the early check is used once and lets the opening through
    bk.start_inspection(path)
    assert bk._started
    Ledger.open(path).close()
    assert not bk._started


def test_newer_version_is_refused_untouched(tmp_path):
    path = make_ledger(tmp_path / "ledger.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # so that WAL would change the header
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = snapshot(path)
    with pytest.raises(DatabaseError, match="更新版本的程序") as info:
        Ledger.open(path)
    assert not isinstance(info.value, DamagedDatabaseError)
    assert snapshot(path) == before
    # and a backup of a newer version is not restored over a good ledger
    other = make_ledger(tmp_path / "other.db")
    with pytest.raises(DatabaseError, match="更新版本"):
        safety.restore(other, path)


def test_someone_elses_sqlite_file_is_not_migrated(tmp_path):
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, data BLOB)")
    conn.commit()
    conn.close()
    before = snapshot(path)
    with pytest.raises(DatabaseError, match="不是支部台账的数据库"):
        Ledger.open(path)
    assert snapshot(path) == before


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    return r.returncode == 0


def test_read_only_folder_gives_a_clear_message(tmp_path):
    """A folder the program cannot write to: by permissions, or (as root, who ignores
    permissions) a file system mounted read-only."""
    folder = tmp_path / "只读"
    mounted = False
    if os.geteuid() == 0:
        if not _mount_tmpfs(folder, "4m"):
            pytest.skip("as root a read-only folder needs a read-only mount, not possible here")
        mounted = True
    else:
        folder.mkdir()
    make_ledger(folder / "ledger.db")
    if mounted:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        os.chmod(folder / "ledger.db", 0o444)
        os.chmod(folder, 0o555)
    code = (
        "import sys\n"
        "from ledger_app.cli import build_parser, run_command\n"
        "sys.exit(run_command(build_parser().parse_args(sys.argv[1:])))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        for argv in (["import", "x.xlsx"], ["backup"], ["check", "--year", "2025"]):
            r = subprocess.run(
                [sys.executable, "-c", code, "--db", str(folder / "ledger.db"), *argv],
                capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
            )  # fmt: skip
            assert r.returncode == 1, (argv, r.stdout, r.stderr)
            assert "Traceback" not in r.stderr
            assert "只读" in r.stderr or "无权限" in r.stderr, (argv, r.stderr)
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)
        else:
            os.chmod(folder, 0o755)


def test_full_disk_gives_a_clear_message_and_keeps_older_backups(tmp_path):
    """A real full file system: a small tmpfs (needs root; skipped otherwise)."""
    mnt = tmp_path / "small"
    if not _mount_tmpfs(mnt, "700k"):  # room for the ledger and one backup, not more
        pytest.skip("cannot mount a small tmpfs here")
    try:
        path = make_ledger(mnt / "ledger.db")
        first = bk.backup(path, "manual")
        lg = Ledger.open(path)
        with lg.repo.atomic():
            lg.repo.add_attachment(1, "大文件.pdf", None, os.urandom(150_000), None)
        lg.close()
        with pytest.raises(DatabaseError, match="磁盘已满，无法在 .*backups 写入备份"):
            for _ in range(5):
                bk.backup(path, "manual")
        assert first.exists() and bk.check_file(first) is None
        assert not list((mnt / "backups").glob(".*.tmp*"))  # nor its -journal
        assert safety.verify_database(path).ok
        # a user action on the full disk: a clear message, rolled back, nothing damaged
        lg = Ledger.open(path)
        before = lg.repo.member_count()
        with pytest.raises(DatabaseError, match="磁盘空间不足，刚才的操作没有保存"):
            with lg.repo.atomic():
                for i in range(200):
                    lg.repo.add_attachment(1, f"{i}.jpg", None, os.urandom(20_000), None)
                    lg.repo.add_member(Member(None, f"新{i}", join_date=dt.date(2020, 7, 1)))
        assert lg.repo.member_count() == before
        lg.close()
        assert safety.verify_database(path).ok
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


# --- commands ---------------------------------------------------------------------------------


def test_backup_restore_verify_commands(tmp_path, capsys):
    path = make_ledger(tmp_path / "ledger.db")
    assert cli("--db", str(path), "backup") == 0
    out = capsys.readouterr().out
    assert "已备份到" in out
    made = bk.list_backups(path)[0].path
    add_members(path, ["多余的人"])
    assert cli("--db", str(path), "verify") == 0
    out = capsys.readouterr().out
    assert "数据库文件：完好" in out and "校验链完整" in out and "检查通过" in out
    assert cli("--db", str(path), "restore", made.name) == 0  # a name in backups/ is enough
    out = capsys.readouterr().out
    assert "已从备份" in out and "恢复前的数据已另存为备份" in out
    assert "多余的人" not in names(path)
    assert cli("--db", str(path), "restore", "不存在.db") == 1
    assert "找不到备份文件" in capsys.readouterr().err
    assert cli("--db", str(tmp_path / "无.db"), "verify") == 1
    assert "找不到数据库文件" in capsys.readouterr().err


# --- the widget in 设置 -----------------------------------------------------------------------


def test_backups_widget_backs_up_and_restores(qtbot, tmp_path, monkeypatch):
    from ledger_app.services.ledger import Changes
    from ledger_app.ui import backups as ui
    from ledger_app.ui.context import AppContext

    path = make_ledger(tmp_path / "ledger.db")
    ctx = AppContext(Ledger.open(path))
    w = ui.BackupsWidget(ctx)
    qtbot.addWidget(w)
    assert w.table.rowCount() == 0 and not w.restore_button.isEnabled()
    assert str(tmp_path / "backups") in w.where.text()
    w.backup_now()
    assert w.table.rowCount() == 1 and w.table.item(0, 1).text() == "手动"
    with ctx.ledger.repo.atomic():
        ctx.ledger.repo.add_member(Member(None, "后来的人", join_date=dt.date(2020, 7, 1)))
    w.table.selectRow(0)
    assert w.restore_button.isEnabled()
    monkeypatch.setattr(ui, "confirm", lambda *a, **k: True)
    seen = []
    ctx.changed.connect(seen.append)
    w.restore_selected()
    assert [m.name for m in ctx.ledger.repo.members()] == ["党员0", "党员1", "党员2"]
    assert seen == [Changes.everything()]
    assert [w.table.item(r, 1).text() for r in range(2)] == ["恢复前", "手动"]
    w.resize(640, 320)
    w.grab().save(str(tmp_path / "backups.png"))  # looked at by hand during development
    ctx.ledger.close()


def test_trash_widget_restores_a_deleted_record(qtbot, tmp_path):
    from ledger_app.ui import backups as ui
    from ledger_app.ui.context import AppContext

    ctx = AppContext(Ledger.open(make_ledger(tmp_path / "ledger.db")))
    w = ui.TrashWidget(ctx)
    qtbot.addWidget(w)
    ctx.run(None, records.delete_record, 1)
    assert w.table.rowCount() == 1 and "支委会" in w.table.item(0, 1).text()
    assert w.table.item(0, 2).text() == "王书记"
    w.table.selectRow(0)
    w.restore_selected()
    assert w.table.rowCount() == 0
    assert ctx.ledger.repo.record(1).topic == "学习"
    assert ctx.ledger.repo.attachment_data(1) == PHOTO
    ctx.ledger.close()


def test_a_damaged_database_at_start_is_restored_when_the_user_agrees(qtbot, tmp_path, monkeypatch):
    from ledger_app.ui import backups as ui

    path = make_ledger(tmp_path / "ledger.db")
    bk.backup(path, "close")
    flip_structural_byte(path)
    with pytest.raises(DamagedDatabaseError) as info:
        Ledger.open(path)
    shown = []

    def agree(box):
        shown.append(box.text())
        box.clickedButton = lambda: box.buttons()[0]  # 用备份恢复

    monkeypatch.setattr(ui.QMessageBox, "exec", agree)
    assert ui.offer_restore(None, info.value)
    assert "已损坏" in shown[0] and "用" in shown[0]
    lg = Ledger.open(path)
    assert lg.repo.member_count() == 3
    lg.close()
    assert list(tmp_path.glob("ledger.db.damaged-*"))


# --- risky places -----------------------------------------------------------------------------

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
/dev/sdb1 /media/clerk/U\\040盘 vfat rw,nosuid 0 0
//server/share /mnt/share cifs rw 0 0
fileserver:/export /home/clerk/nfs nfs4 rw 0 0
sshfs#me@host: /home/clerk/remote fuse.sshfs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def _fake_sys(root: Path) -> str:
    """A /sys with a removable USB stick sdb (partition sdb1) and a fixed disk sda."""
    for disk, removable in (("sda", "0"), ("sdb", "1")):
        d = root / "devices" / "pci0000:00" / disk
        (d / f"{disk}1").mkdir(parents=True)
        (d / f"{disk}1" / "partition").write_text("1")
        (d / "removable").write_text(removable)
        (root / "class" / "block").mkdir(parents=True, exist_ok=True)
        (root / "class" / "block" / f"{disk}1").symlink_to(d / f"{disk}1")
    return str(root)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("/home/clerk/台账/ledger.db", None),
        ("/tmp/ledger.db", None),
        ("/media/clerk/U 盘/台账/ledger.db", safety.REMOVABLE_WARNING),
        ("/mnt/share/ledger.db", safety.NETWORK_WARNING),
        ("/home/clerk/nfs/ledger.db", safety.NETWORK_WARNING),
        ("/home/clerk/remote/ledger.db", safety.NETWORK_WARNING),
        ("/home/clerk/nfsother/ledger.db", None),  # a prefix of a mount point is not inside it
    ],
)
def test_network_shares_and_removable_drives_are_recognised(tmp_path, where, expected):
    assert safety.classify_linux(Path(where), MOUNTS, _fake_sys(tmp_path)) == expected


def test_risky_location_of_a_real_path_does_not_fail(tmp_path):
    result = safety.risky_location(tmp_path / "不存在的" / "ledger.db")
    assert result is None or "建议" in result


def test_auto_backup_on_open_hourly_and_close(qtbot, tmp_path):
    from ledger_app.ui import backups as ui
    from ledger_app.ui.context import AppContext

    path = make_ledger(tmp_path / "ledger.db")
    ctx = AppContext(Ledger.open(path))
    messages = []
    ctx.status_message.connect(messages.append)
    auto = ui.AutoBackup(ctx)
    auto.opened()  # once the full check of the file (begun now, in the background) passed
    qtbot.waitUntil(lambda: bool(bk.list_backups(path)))
    assert [b.reason for b in bk.list_backups(path)] == ["open"]
    assert auto.timer.isActive() and messages[-1].startswith("已自动备份")
    auto._run("hourly")  # nothing changed: nothing made
    with ctx.ledger.repo.atomic():
        ctx.ledger.repo.add_member(Member(None, "新党员", join_date=dt.date(2020, 7, 1)))
    auto.closing()
    assert [b.reason for b in bk.list_backups(path)] == ["close", "open"]
    assert not auto.timer.isActive()
    ctx.ledger.close()


def test_a_window_closed_before_its_opening_check_backs_up_once(qtbot, tmp_path):
    """The backup of opening runs a moment after the window appears, once the file's full
    check passed. A window closed before that still gets it when the check has run (a save
    waits for it), and closing then adds no second copy of the same state; when it has not,
    nothing was saved in the session and closing does not wait for a check: no copy."""
    from ledger_app.ui import backups as ui
    from ledger_app.ui.context import AppContext

    path = make_ledger(tmp_path / "ledger.db")
    ctx = AppContext(Ledger.open(path))
    ui.AutoBackup(ctx).closing()  # opened() never ran, nor the full check
    ctx.ledger.close()
    assert bk.list_backups(path) == []
    for _ in range(2):
        ctx = AppContext(Ledger.open(path))
        auto = ui.AutoBackup(ctx)
        safety.ensure_sound(ctx.ledger)  # as a save in the first seconds would
        auto.closing()  # opened() never ran
        ctx.ledger.close()
    assert [b.reason for b in bk.list_backups(path)] == ["open"]


# --- what may serve as a backup (issue 15) ----------------------------------------------------


def _empty_sqlite(path: Path) -> Path:
    """A valid SQLite file without a single table (what ``sqlite3 x.db VACUUM`` leaves)."""
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    conn.close()
    return path


def _table_dropped(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE volunteer")
    conn.close()
    return path


def _chain_broken(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET who = '别人' WHERE id = 3")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_bytes(b"") or p, "空文件"),
        (_empty_sqlite, "没有任何数据表"),
        (_table_dropped, "缺少数据表 volunteer"),
        (_chain_broken, "校验链在第 3 条处断开"),
    ],
    ids=["0 bytes", "no tables", "a table missing", "audit chain broken"],
)
def test_only_a_sound_ledger_of_this_program_is_restored(tmp_path, capsys, make, reason):
    path = make_ledger(tmp_path / "ledger.db")
    bad = make(
        make_ledger(tmp_path / "bad.db")
        if make in (_table_dropped, _chain_broken)
        else (tmp_path / "bad.db")
    )
    before = snapshot(path)
    assert cli("--db", str(path), "restore", str(bad)) == 1
    err = capsys.readouterr().err
    assert "该备份无法使用" in err and reason in err and "。。" not in err
    assert snapshot(path) == before and names(path) == ["党员0", "党员1", "党员2"]
    assert cli("--db", str(bad), "verify") == 1  # and verify does not call it sound
    assert "检查通过。" not in capsys.readouterr().out


def test_a_file_that_is_no_sound_ledger_is_never_offered_as_the_backup(tmp_path):
    path = make_ledger(tmp_path / "ledger.db", members=300)
    good = bk.backup(path, "close", now=dt.datetime(2026, 11, 20, 17, 0))
    folder = tmp_path / "backups"
    (folder / "ledger-20261121-090000-open.db").write_bytes(b"")  # newer, but 0 bytes
    _empty_sqlite(folder / "ledger-20261122-090000-open.db")
    shutil.copyfile(good, folder / "ledger-20261123-090000-hourly.db")
    _chain_broken(folder / "ledger-20261123-090000-hourly.db")
    assert [b.when.day for b in bk.list_backups(path)] == [23, 22, 20]  # 0 bytes: not listed
    flip_structural_byte(path)
    with pytest.raises(DamagedDatabaseError) as info:
        Ledger.open(path)
    assert "2026年11月20日 17:00" in info.value.message
    assert safety.newest_good_backup_for(path).path == good


def test_a_backup_of_a_file_that_is_no_ledger_is_refused(tmp_path, capsys):
    other = _empty_sqlite(tmp_path / "other.db")
    assert cli("--db", str(other), "backup") == 1
    assert "不是台账数据库" in capsys.readouterr().err
    assert not list((tmp_path / "backups").glob("*.db"))


def test_newer_version_message_reads_as_one_sentence(tmp_path, capsys):
    path = make_ledger(tmp_path / "ledger.db")
    newer = make_ledger(tmp_path / "newer.db")
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    assert cli("--db", str(newer), "verify") == 1
    assert cli("--db", str(path), "restore", str(newer)) == 1
    captured = capsys.readouterr()
    assert "更新版本的程序" in captured.out + captured.err
    assert "。。" not in captured.out + captured.err


# --- the file is known sound before the first write (issue 15) --------------------------------


def _break_an_index(path: Path) -> None:
    """Change a member's name in the table's page only: the index member_name no longer
    matches. quick_check does not compare indexes with tables; integrity_check does."""
    data = bytearray(path.read_bytes())
    name = "党员7".encode()
    at = data.find(name)
    data[at : at + len(name)] = "党员X".encode()
    path.write_bytes(bytes(data))


def _outside_bad_utf8(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE member SET note = CAST(X'E5A4FF' AS TEXT) WHERE id = 2")
    conn.commit()
    conn.close()


def _bad_utf8_in_schema(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = sql || CAST(X'202D2DFF' AS TEXT) WHERE name = 'member_name'"
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "damage", [_break_an_index, _outside_bad_utf8, _bad_utf8_in_schema],
    ids=["broken index", "bad UTF-8 in a row", "bad UTF-8 in the schema"],
)  # fmt: skip
def test_damage_quick_check_misses_is_found_before_the_first_write(tmp_path, capsys, damage):
    path = make_ledger(tmp_path / "ledger.db", members=12)
    bk.backup(path, "close", now=dt.datetime(2026, 11, 20, 17, 0))
    damage(path)
    before = snapshot(path)
    book = tmp_path / "one.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "党员名册"
    wb.active.append(["姓名", "党员类别", "入党日期", "人员类别"])
    wb.active.append(["新来的", "正式党员", "2020-07-01", "在职"])
    wb.save(book)
    for argv in (["import", str(book)], ["verify"]):
        assert cli("--db", str(path), *argv) == 1, argv  # no traceback: it returns
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert "损坏" in text and "2026" in text, (argv, text)
    # reading only (check, dues, exports) checks quickly, as on opening; damage met while
    # reading is said as such — never a traceback
    if cli("--db", str(path), "check", "--year", "2025") != 0:
        assert "损坏" in capsys.readouterr().err
    capsys.readouterr()
    assert snapshot(path) == before
    # through the program's own calls: opened (maybe), but never written
    try:
        lg = Ledger.open(path)
    except DamagedDatabaseError:
        return
    with pytest.raises(DamagedDatabaseError, match="未对它作任何写入"):
        with lg.repo.atomic():
            lg.repo.add_member(Member(None, "不该写入", join_date=dt.date(2020, 7, 1)))
    with pytest.raises(DamagedDatabaseError):
        safety.backup_now(lg)  # nor copied into backups/
    lg.close()
    assert snapshot(path) == before
    assert len(bk.list_backups(path)) == 1


def test_the_full_check_is_made_once_for_the_window_and_its_workers(tmp_path):
    path = make_ledger(tmp_path / "ledger.db", members=50)
    bk.start_inspection(path)  # the quick check, while Qt loads
    lg = Ledger.open(path)
    from ledger_app.storage import db as storage_db
    from ledger_app.ui.tasks import worker_ledger

    check = storage_db.pending_check(lg.db)
    assert check is not None  # the full check is still to be passed
    safety.soundness_ready(lg)  # the window asks once it is up: begun in the background
    worker = worker_ledger(lg)
    assert storage_db.pending_check(worker.db) is check  # one check for both connections
    with worker.repo.atomic():
        worker.repo.add_member(Member(None, "新党员", join_date=dt.date(2020, 7, 1)))
    assert storage_db.pending_check(worker.db) is None
    worker.close()
    with lg.repo.atomic():  # the result is shared: no second full check
        lg.repo.add_member(Member(None, "又一个", join_date=dt.date(2020, 7, 1)))
    lg.close()


def test_a_damaged_file_found_after_the_window_opened_is_offered_its_backup(
    qtbot, tmp_path, monkeypatch
):
    from ledger_app.ui import backups as ui
    from ledger_app.ui.context import AppContext

    path = make_ledger(tmp_path / "ledger.db", members=12)
    bk.backup(path, "close", now=dt.datetime(2026, 11, 20, 17, 0))
    _break_an_index(path)
    ctx = AppContext(Ledger.open(path))  # quick_check passes: the window opens
    shown = []

    def agree(box):
        shown.append(box.text())
        box.clickedButton = lambda: box.buttons()[0]  # 用备份恢复

    monkeypatch.setattr(ui.QMessageBox, "exec", agree)
    seen = []
    ctx.changed.connect(seen.append)
    auto = ui.AutoBackup(ctx)
    auto.opened()
    qtbot.waitUntil(lambda: bool(shown))
    assert "已损坏" in shown[0] and "2026年11月20日 17:00" in shown[0]
    assert [b.reason for b in bk.list_backups(path)] == ["close"]  # no copy of the damage
    assert "党员7" in [m.name for m in ctx.ledger.repo.members()]  # restored and reopened
    assert seen and seen[-1].members
    with ctx.ledger.repo.atomic():  # and the restored ledger takes writes again
        ctx.ledger.repo.add_member(Member(None, "继续", join_date=dt.date(2020, 7, 1)))
    ctx.ledger.close()
    assert list(tmp_path.glob("ledger.db.damaged-*"))


# --- temporary files, OS errors, a failed command on a new file (issue 15) --------------------


def test_leftovers_of_a_killed_backup_go_at_once_when_their_process_is_gone(tmp_path):
    path = make_ledger(tmp_path / "ledger.db")
    folder = tmp_path / "backups"
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    stale = [
        folder / f".ledger-20261120-170000-close.db.{dead}.tmp",
        folder / f".ledger-20261120-170000-close.db.{dead}.tmp-journal",
        tmp_path / f".ledger.db.restore-{dead}.tmp",
    ]
    mine = folder / f".ledger-20261120-170000-open.db.{os.getpid()}.tmp"  # a running process
    for f in [*stale, mine]:
        f.write_bytes(b"x" * 1000)
    unrelated = folder / ".notes.tmp"
    unrelated.write_text("not ours")
    bk.backup(path, "manual")
    assert not any(f.exists() for f in stale[:2]) and mine.exists() and unrelated.exists()
    bk.restore(path, bk.list_backups(path)[0].path)
    assert stale[2].exists()  # a healthy restore writes no temporary beside the database
    bk.clean_temporaries(tmp_path)
    assert not stale[2].exists()


def test_os_errors_are_said_in_chinese_naming_the_real_file(tmp_path, monkeypatch, capsys):
    from ledger_app.errors import os_error_text

    assert os_error_text(PermissionError(13, "Permission denied")) == (
        "权限不足（文件或文件夹是只读的，或正被其他程序占用）"
    )
    assert os_error_text(OSError(28, "No space left on device")) == "磁盘已满"
    assert os_error_text(sqlite3.OperationalError("disk I/O error")).startswith("磁盘读写出错")
    path = make_ledger(tmp_path / "ledger.db")
    real_copy = bk._copy

    def full(src, target, content=True):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(bk, "_copy", full)
    assert cli("--db", str(path), "backup") == 1
    err = capsys.readouterr().err
    assert "磁盘读写出错" in err and str(tmp_path / "backups") in err
    assert "disk I/O" not in err and ".tmp" not in err
    monkeypatch.setattr(bk, "_copy", real_copy)


def test_a_failed_import_into_a_new_file_leaves_no_database(tmp_path, capsys):
    new = tmp_path / "新台账.db"
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    assert cli("--db", str(new), "import", str(bad)) == 1
    assert "不是" in capsys.readouterr().err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("新台账")]
    assert cli("--db", str(new), "check", "--year", "2025") == 0  # a command that succeeds
    assert new.exists()  # still makes the file, as the contract says


def test_the_check_in_settings_takes_the_printed_code(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    from ledger_app.ui import backups as ui
    from ledger_app.ui.context import AppContext

    path = make_ledger(tmp_path / "ledger.db")
    ctx = AppContext(Ledger.open(path))
    code = safety.head_hash(ctx.ledger)[:16]
    dialog = ui.VerifyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.check_button.click()  # without a code: the file and its trail
    assert dialog.verdict.text() == "检查通过。"
    assert "校验链完整" in dialog.result.toPlainText()
    qtbot.keyClicks(dialog.code, code.upper())
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.verdict.text() == "检查通过：台账自校验码之后没有改动。"
    add_members(path, ["后来的人"])  # (another connection: the program's own change)
    dialog.check_button.click()
    assert dialog.verdict.text().startswith("数据库完好，但台账在校验码之后有改动")
    assert "新增 党员（编号 4）：姓名 后来的人" in dialog.result.toPlainText()
    dialog.resize(640, 420)
    dialog.grab().save(str(tmp_path / "verify.png"))  # looked at by hand during development
    ctx.ledger.close()


def test_damage_met_while_the_window_reads_is_said_as_damage_not_a_crash(tmp_path, monkeypatch):
    """Text that is not UTF-8, met by a page reading its rows (the check on opening does not
    read every row): the crash handler says the file is damaged and names the backup."""
    from ledger_app.ui import main as ui_main

    path = make_ledger(tmp_path / "ledger.db")
    bk.backup(path, "close", now=dt.datetime(2026, 11, 20, 17, 0))
    shown = []
    monkeypatch.setattr(ui_main, "show_error", lambda parent, e, title="": shown.append((title, e)))
    monkeypatch.setattr(ui_main, "_open_path", path)
    monkeypatch.setattr(ui_main, "log_file", lambda: tmp_path / "logs" / "error.log")
    error = sqlite3.OperationalError("Could not decode to UTF-8 column 'note' with text '\ufffd'")
    ui_main.excepthook(type(error), error, None)
    [(title, damage)] = shown
    assert title == "数据库已损坏" and isinstance(damage, DamagedDatabaseError)
    assert "读取数据库时发现文件已损坏" in damage.message
    assert "最近的完好备份是 2026年11月20日 17:00" in damage.message


def test_damage_met_while_the_window_is_built_offers_the_backup(qtbot, tmp_path, monkeypatch):
    from ledger_app.storage.lock import acquire_lock
    from ledger_app.ui import backups as ui
    from ledger_app.ui import main as ui_main

    path = make_ledger(tmp_path / "ledger.db")
    bk.backup(path, "close", now=dt.datetime(2026, 11, 20, 17, 0))

    def unreadable(*args, **kwargs):  # the first page reads a row that is not UTF-8
        raise sqlite3.OperationalError("Could not decode to UTF-8 column 'name' with text 'x'")

    offered, shown = [], []
    monkeypatch.setattr(ui_main, "MainWindow", unreadable)
    monkeypatch.setattr(ui, "offer_restore", lambda parent, e, ctx=None: offered.append(e))
    monkeypatch.setattr(ui_main, "show_error", lambda parent, e, title="": shown.append(title))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    assert ui_main.run_gui(path) == 1  # no backup taken: no traceback, the window not opened
    assert "最近的完好备份是 2026年11月20日 17:00" in offered[0].message
    assert shown == ["无法打开数据库"]
    acquire_lock(path).release()  # and the lock is free again
