"""Issue 15, "Done when": random damage to copies of a real ledger. Every copy whose content
the damage changed is refused with the good backup offered, is not written to, and no
traceback reaches the clerk; the copies the damage left as they were may be used.

The ledger is the demo branch (a year of meetings, dues, volunteer hours) with edits made
through the program on top — an attachment, a deleted record in the recycle bin, changed
frequency rules, a status change, a topic template — so that every kind of table is there
to be hit. "Changed" is judged from outside the program: a dump of every row of every
table (SQL ``quote()``, types included), the schema, the version and SQLite's own
``integrity_check``, compared with the original's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from ledger_app.cli import build_parser, run_command
from ledger_app.domain.models import FrequencyRule
from ledger_app.services import demo, records, roster, settings
from ledger_app.services.ledger import Ledger
from ledger_app.storage import backup as bk

RUNS = 50
SEED = 20151115
TODAY = dt.date(2025, 12, 20)


def dump(path: Path) -> object:
    """Everything a ledger file holds, as SQLite sees it (an error is an answer too)."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        return ("cannot open", str(e))
    conn.text_factory = bytes  # no decoding: a byte that is not UTF-8 is a difference, not a crash
    try:
        out: list = [
            conn.execute("PRAGMA user_version").fetchone(),
            conn.execute("PRAGMA integrity_check").fetchall(),
        ]
        schema = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        out.append(schema)
        for kind, name, _tbl, _sql in schema:
            if kind != b"table":
                continue
            table = name.decode()
            cols = [r[1].decode() for r in conn.execute(f"PRAGMA table_info([{table}])")]
            quoted = ", ".join(f"quote([{c}])" for c in cols)
            out.append(conn.execute(f"SELECT {quoted} FROM [{table}] ORDER BY rowid").fetchall())
        return out
    except (sqlite3.Error, UnicodeDecodeError) as e:  # a damaged name in a message, say
        return ("cannot read", str(e))
    finally:
        conn.close()


def cli(*argv: str) -> int:
    """The command line as the clerk runs it; an exception here would be a traceback."""
    return run_command(build_parser().parse_args(list(argv)))


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@pytest.fixture(scope="module")
def real_ledger(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(the ledger, its good backup, a one-member workbook to import)."""
    folder = tmp_path_factory.mktemp("real")
    path = demo.create_demo(folder / "ledger.db", today=TODAY)
    photo = folder / "签到表.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 60)
    lg = Ledger.open(path, today=TODAY)
    try:
        recs = lg.repo.records()
        records.add_attachment(lg, recs[0].id, photo, "签到表")
        records.delete_record(lg, recs[1].id)  # into the recycle bin, with its attendance
        settings.save_rules(lg, [FrequencyRule("党课", "quarter", 2)])
        member = lg.repo.members()[3]
        roster.change_status(lg, member.id, "转出", dt.date(2025, 11, 30))
        records.add_topic_template(lg, "支委会", "学习贯彻", "传达学习……")
    finally:
        lg.close()
    good = bk.backup(path, "close", now=dt.datetime(2025, 12, 19, 18, 0))
    book = folder / "新党员.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws.append(["姓名", "党员类别", "入党日期", "人员类别"])
    ws.append(["新来的", "正式党员", "2020-07-01", "在职"])
    wb.save(book)
    return path, good, book


def test_random_damage_to_copies_of_a_real_ledger_is_refused_untouched_with_the_backup(
    real_ledger, tmp_path, capsys
):
    original, good, book = real_ledger
    clean = dump(original)
    size = original.stat().st_size
    rng = random.Random(SEED)
    damaged = harmless = 0
    for run in range(RUNS):
        case = tmp_path / f"run{run}"
        (case / "backups").mkdir(parents=True)
        path = case / "ledger.db"
        shutil.copyfile(original, path)
        os.link(good, case / "backups" / good.name)  # (its check is made once: same file)
        data = bytearray(path.read_bytes())
        at = rng.randrange(0, size - 8)
        data[at : at + 8] = rng.randbytes(8)
        path.write_bytes(bytes(data))
        before = digest(path)
        if dump(path) == clean:
            # the damage changed nothing that matters (free space, say): the check agrees
            harmless += 1
            assert cli("--db", str(path), "verify") == 0, (run, at, capsys.readouterr())
            continue
        damaged += 1
        # the clerk imports a workbook into it: the program's first write of a session
        status = cli("--db", str(path), "import", str(book))
        err = capsys.readouterr().err
        assert status == 1, (run, at, err)
        assert "损坏" in err and "最近的完好备份是 2025年12月19日 18:00" in err, (run, at, err)
        assert "程序未对它作任何写入" in err, (run, at, err)
        assert digest(path) == before, (run, at)  # not written to
        wal = Path(str(path) + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0, (run, at)
        assert [p.name for p in (case / "backups").iterdir()] == [good.name], (run, at)
    assert damaged >= 15 and harmless >= 1, (damaged, harmless)  # both kinds were exercised
