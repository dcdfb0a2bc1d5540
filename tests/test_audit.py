"""Audit trail (who, when, before/after; hash chain), history per record, recycle bin."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from conftest import add_member

from ledger_app.domain.models import Attendance, DuesSetting, Payment, Record, VolunteerEntry
from ledger_app.errors import UserError
from ledger_app.services import records, roster, safety
from ledger_app.services.ledger import Ledger
from ledger_app.storage import audit
from ledger_app.storage.schema import SCHEMA_VERSION

PHOTO = b"\x89PNG\r\n" + bytes(range(256)) * 8


def set_user(ledger: Ledger, name: str) -> None:
    with ledger.repo.atomic():
        ledger.repo.set_setting("user_name", name)


def add_record(ledger: Ledger, members, **kw) -> Record:
    rec = Record(
        None, kw.pop("kind", "支委会"), kw.pop("date", dt.date(2025, 3, 5)),
        attendance=[Attendance(m.id, "出席") for m in members], **kw,
    )  # fmt: skip
    with ledger.repo.atomic():
        ledger.repo.add_record(rec)
    return rec


def busy_ledger(ledger: Ledger) -> None:
    """Many kinds of changes, through the program's own paths."""
    repo = ledger.repo
    set_user(ledger, "王书记")
    a = add_member(ledger, "张三", group="第一党小组")
    b = add_member(ledger, "李四", group="第二党小组")
    c = add_member(ledger, "王五")
    roster.save_branch_info(ledger, {"支部名称": "示例支部", "书记": "王书记"})
    roster.save_branch_info(ledger, {"书记": None})  # deleted
    a.phone = "13800000000"
    roster.save_member(ledger, a)
    roster.rename_group(ledger, repo.group_id("第一党小组"), "一组")
    roster.delete_group(ledger, repo.group_id("第二党小组"))  # 李四's group_id → NULL
    r1 = add_record(ledger, [a, b], topic="学习")
    r2 = add_record(ledger, [a, b, c], topic="党课", kind="党课")
    r1.topic = "学习贯彻"
    r1.attendance = [Attendance(a.id, "出席"), Attendance(b.id, "请假", "病假")]
    with repo.atomic():
        repo.update_record(r1)
        repo.add_attachment(r2.id, "签到.png", "image/png", PHOTO, None)
    records.delete_record(ledger, r2.id)
    with repo.atomic():
        repo.set_dues_setting(DuesSetting(a.id, 2025, base_fen=500000))
        repo.set_dues_setting(DuesSetting(a.id, 2025, base_fen=500000))  # no change
        repo.set_dues_setting(DuesSetting(a.id, 2025, base_fen=600000))
        repo.add_payment(Payment(None, a.id, 2025, 1, 3000))
        vid = repo.add_volunteer(VolunteerEntry(None, c.id, dt.date(2025, 4, 1), 3))
        repo.add_volunteer(VolunteerEntry(None, c.id, dt.date(2025, 4, 2), 2))
        repo.delete_volunteer(vid)
    # a REPLACE (delete + insert) done outside the repository's methods is caught too
    with repo.atomic():
        ledger.db.execute(
            "INSERT OR REPLACE INTO branch_info (key, value) VALUES ('支部名称', '新名')"
        )
    set_user(ledger, "李干事")
    roster.change_status(ledger, b.id, "转出", dt.date(2025, 6, 30))


def test_every_change_is_kept_with_who_when_before_and_after(ledger):
    set_user(ledger, "王书记")
    m = add_member(ledger, "张三")
    set_user(ledger, "李干事")
    m.phone = "13900000000"
    roster.save_member(ledger, m)
    entries = safety.history(ledger, "member", m.id)
    assert [(e.op, e.who) for e in entries] == [("INSERT", "王书记"), ("UPDATE", "李干事")]
    assert entries[1].changed["phone"] == (None, "13900000000")
    assert entries[1].before["name"] == entries[1].after["name"] == "张三"
    assert dt.datetime.fromisoformat(entries[1].at).date() == dt.date.today()


def test_history_of_a_record_includes_its_attendance_and_of_a_member_their_payments(ledger):
    a, b = add_member(ledger, "张三"), add_member(ledger, "李四")
    rec = add_record(ledger, [a, b])
    with ledger.repo.atomic():
        ledger.repo.add_payment(Payment(None, a.id, 2025, 1, 3000))
    rec_history = safety.history(ledger, "record", rec.id)
    assert [(e.table, e.op) for e in rec_history] == [
        ("record", "INSERT"), ("attendance", "INSERT"), ("attendance", "INSERT"),
    ]  # fmt: skip
    assert ("payment", "INSERT") in [
        (e.table, e.op) for e in safety.history(ledger, "member", a.id)
    ]
    assert all(e.table != "payment" for e in safety.history(ledger, "member", b.id))


def test_replaying_the_trail_rebuilds_the_current_state(ledger):
    busy_ledger(ledger)
    for table in audit.AUDITED:
        assert audit.replay(ledger.db, table) == audit.current_rows(ledger.db, table), table
    members = audit.replay(ledger.db, "member")
    assert {m["name"] for m in members.values()} == {"张三", "李四", "王五"}
    assert members["2"]["group_id"] is None and members["2"]["status"] == "转出"
    assert audit.replay(ledger.db, "branch_info") == {
        "支部名称": {"key": "支部名称", "value": "新名"}
    }
    assert audit.verify_chain(ledger.db) is None
    assert audit.replay_mismatches(ledger.db) == []


def test_no_op_updates_are_not_recorded(ledger):
    m = add_member(ledger, "张三")
    n = ledger.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    roster.save_member(ledger, ledger.repo.member(m.id))  # only updated_at may change
    rows = ledger.db.execute("SELECT before, after FROM audit WHERE id > ?", [n]).fetchall()
    assert len(rows) <= 1


def test_every_action_is_sealed_in_its_own_transaction(ledger):
    busy_ledger(ledger)
    assert ledger.db.execute("SELECT COUNT(*) FROM audit WHERE hash IS NULL").fetchone()[0] == 0
    head = safety.head_hash(ledger)
    assert len(head) == 64


def test_a_write_from_outside_the_program_stays_unsealed_for_good(ledger):
    """Issue 15: a change made with the sqlite3 tool used to be sealed by the program's next
    write and then looked like the program's own. Only the rows a transaction of the
    program wrote are sealed; the others stay unsealed, outside the chain, and named."""
    busy_ledger(ledger)
    head = safety.head_hash(ledger)
    ledger.db.execute("UPDATE payment SET amount_fen = amount_fen * 10 WHERE id = 1")
    [outside] = audit.unsealed(ledger.db)
    assert (outside.table, outside.row_id, outside.changed) == ("payment", "1", {
        "amount_fen": (3000, 30000)
    })  # fmt: skip
    assert safety.head_hash(ledger) == head  # printing a code seals nothing
    add_member(ledger, "赵六")  # the program's next write seals its own rows only
    assert [e.id for e in audit.unsealed(ledger.db)] == [outside.id]
    assert audit.verify_chain(ledger.db) is None  # the chain skips the outside row
    assert safety.head_hash(ledger) != head


def test_the_fast_chain_hashes_exactly_as_the_definition():
    """seal() and verify_chain() write the canonical JSON out by hand; it must stay the
    same bytes as json.dumps(..., ensure_ascii=False, separators=(",", ":"))."""
    odd = 'a"b\\c\n\t\x00\x1f\u2028 王五 😀 /'
    rows = [
        (1, "2025-03-05T10:00:00", None, "member", "1", "INSERT", None, '{"name":"王五"}', None),
        (2, odd, odd, odd, odd, "UPDATE", odd, odd, None),
        (3, "t", "张三", "attendance", "1:2", "DELETE", "{}", None, None),
        (4, 1.5, True, "x", 7, "INSERT", 2.0, None, None),  # not what triggers write
        (2**70, "", "", "", "", "", "", "", None),
    ]
    prev, expected = audit.GENESIS, []
    for row in rows:
        prev = audit._digest(prev, row)
        expected.append((row[0], prev))
    assert list(audit._chain(audit.GENESIS, rows)) == expected


def _drop_guards(ledger: Ledger) -> None:
    """What someone rewriting the ledger behind the program's back would do first."""
    ledger.db.execute("DROP TRIGGER audit_no_update")
    ledger.db.execute("DROP TRIGGER audit_no_delete")


def test_the_trail_cannot_be_changed_through_sql_by_accident(ledger):
    add_member(ledger, "张三")
    with pytest.raises(sqlite3.DatabaseError, match="审计记录不可修改"):
        ledger.db.execute("UPDATE audit SET who = '别人' WHERE id = 1")
    with pytest.raises(sqlite3.DatabaseError, match="审计记录不可删除"):
        ledger.db.execute("DELETE FROM audit WHERE id = 1")


@pytest.mark.parametrize("column", ["after", "before", "who", "at", "hash"])
def test_changing_one_byte_of_one_row_is_found_at_exactly_that_row(ledger, column):
    busy_ledger(ledger)
    _drop_guards(ledger)
    rows = ledger.db.execute(
        f"SELECT id, {column} FROM audit WHERE {column} IS NOT NULL ORDER BY id"
    ).fetchall()
    assert len(rows) > 10
    for target, value in (rows[0], rows[len(rows) // 2], rows[-1]):
        # one byte: an ASCII digit or letter near the middle, replaced by another
        ascii_at = [j for j, ch in enumerate(value) if ch.isascii()] or [0]  # "王书记": any
        i = min(ascii_at, key=lambda j: abs(j - len(value) // 2))
        changed = value[:i] + ("0" if value[i] != "0" else "1") + value[i + 1 :]
        ledger.db.execute(f"UPDATE audit SET {column} = ? WHERE id = ?", [changed, target])
        assert audit.verify_chain(ledger.db) == target
        ledger.db.execute(f"UPDATE audit SET {column} = ? WHERE id = ?", [value, target])
        assert audit.verify_chain(ledger.db) is None


def test_removing_a_row_or_a_hash_is_found(ledger):
    busy_ledger(ledger)
    _drop_guards(ledger)
    ledger.db.execute("DELETE FROM audit WHERE id = 10")
    assert audit.verify_chain(ledger.db) == 11  # the chain breaks where the hole is
    ledger.db.execute("UPDATE audit SET hash = NULL WHERE id = 5")
    assert audit.verify_chain(ledger.db) == 6  # the next sealed row no longer follows
    assert [e.id for e in audit.unsealed(ledger.db)] == [5]  # and 5 is named as outside


def test_data_changed_behind_the_programs_back_is_found(tmp_path):
    path = tmp_path / "ledger.db"
    lg = Ledger.open(path)
    busy_ledger(lg)
    lg.db.execute("DROP TRIGGER audit_member_update")
    lg.db.execute("UPDATE member SET name = '假名' WHERE id = 1")
    lg.close()
    result = safety.verify_database(path)
    assert not result.ok and result.first_bad_audit is None
    assert result.mismatches == [("member", "1")]
    assert any("党员（编号 1）的数据与修改记录不符" in line for line in result.lines())


def test_deleting_a_record_moves_it_with_attendance_and_attachments_to_the_recycle_bin(ledger):
    set_user(ledger, "王书记")
    a, b = add_member(ledger, "张三"), add_member(ledger, "李四")
    rec = add_record(ledger, [a, b], topic="学习")
    with ledger.repo.atomic():
        ledger.repo.add_attachment(rec.id, "签到.png", "image/png", PHOTO, "签到表")
    records.delete_record(ledger, rec.id)
    assert ledger.repo.record(rec.id) is None
    assert ledger.db.execute("SELECT COUNT(*) FROM attendance").fetchone()[0] == 0
    assert ledger.db.execute("SELECT COUNT(*) FROM attachment").fetchone()[0] == 0
    [item] = safety.trash(ledger)
    assert item.title == "2025-03-05 支委会 学习" and item.deleted_by == "王书记"
    safety.restore_from_trash(ledger, item.id)
    back = ledger.repo.record(rec.id)
    assert back is not None and back.topic == "学习"
    assert [(x.member_id, x.status) for x in back.attendance] == [(a.id, "出席"), (b.id, "出席")]
    [att] = ledger.repo.attachments(rec.id)
    assert ledger.repo.attachment_data(att.id) == PHOTO and att.caption == "签到表"
    assert safety.trash(ledger) == []
    ops = [(e.table, e.op) for e in safety.history(ledger, "record", rec.id)]
    assert ops.count(("record", "DELETE")) == 1 and ops[-3:][0] == ("record", "INSERT")


def test_a_restored_record_whose_id_was_reused_gets_a_new_id(ledger):
    a = add_member(ledger, "张三")
    rec = add_record(ledger, [a], topic="旧")
    records.delete_record(ledger, rec.id)
    # the freed id taken again (as SQLite may do for the highest id)
    ledger.db.execute(
        "INSERT INTO record (id, kind, date) VALUES (?, '党课', '2025-05-01')", [rec.id]
    )
    safety.restore_from_trash(ledger, safety.trash(ledger)[0].id)
    topics = {r.topic for r in ledger.repo.records()}
    assert topics == {None, "旧"}


def test_a_deleted_attachment_goes_to_the_recycle_bin_too(ledger):
    a = add_member(ledger, "张三")
    rec = add_record(ledger, [a])
    with ledger.repo.atomic():
        att_id = ledger.repo.add_attachment(rec.id, "会议照片.jpg", "image/jpeg", PHOTO, None)
    with ledger.repo.atomic():
        ledger.repo.delete_attachment(att_id)
    assert ledger.repo.attachments(rec.id) == []
    [item] = safety.trash(ledger)
    assert item.kind == "attachment" and "会议照片.jpg" in item.title
    safety.restore_from_trash(ledger, item.id)
    [att] = ledger.repo.attachments(rec.id)
    assert ledger.repo.attachment_data(att.id) == PHOTO


def test_an_attachment_of_a_deleted_record_waits_for_its_record(ledger):
    a = add_member(ledger, "张三")
    rec = add_record(ledger, [a])
    with ledger.repo.atomic():
        att_id = ledger.repo.add_attachment(rec.id, "照片.jpg", None, PHOTO, None)
        ledger.repo.delete_attachment(att_id)
    records.delete_record(ledger, rec.id)
    att_item, rec_item = sorted(safety.trash(ledger), key=lambda t: t.id)
    with pytest.raises(UserError, match="请先恢复那条记录"):
        safety.restore_from_trash(ledger, att_item.id)
    safety.restore_from_trash(ledger, rec_item.id)
    safety.restore_from_trash(ledger, att_item.id)
    assert len(ledger.repo.attachments(rec.id)) == 1


def test_records_changed_after_the_fact_are_found(ledger):
    a, b = add_member(ledger, "张三"), add_member(ledger, "李四")
    r1 = add_record(ledger, [a, b], topic="按时")
    r2 = add_record(ledger, [a, b], topic="后来改过")
    r3 = add_record(ledger, [a, b], topic="后来也改了")
    # pretend r1..r3 were entered 10 days ago (raw SQL, guards off: test setup only)
    ledger.db.execute("DROP TRIGGER audit_no_update")
    ledger.db.execute("UPDATE audit SET at = datetime(at, '-10 days')")
    r2.attendance = [Attendance(a.id, "出席"), Attendance(b.id, "缺席")]
    with ledger.repo.atomic():
        ledger.repo.update_record(r2)
    changed = safety.changed_records(ledger)
    assert set(changed) == {r2.id}
    r3.topic = "改"
    with ledger.repo.atomic():
        ledger.repo.update_record(r3)
    assert set(safety.changed_records(ledger)) == {r2.id, r3.id}
    assert set(safety.changed_records(ledger, after_days=30)) == set()
    assert r1.id not in changed


# --- what verify can and cannot prove (issue 15) ----------------------------------------------


def _file_ledger(path) -> Path:
    lg = Ledger.open(path)
    busy_ledger(lg)
    lg.close()
    return path


def _outside(path, *sql: str) -> None:
    """What someone with the sqlite3 tool does to the file (a connection not the program's)."""
    conn = sqlite3.connect(path)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _verify(path, *argv: str) -> tuple[int, str]:
    import contextlib
    import io

    from ledger_app.cli import build_parser, run_command

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run_command(build_parser().parse_args(["--db", str(path), "verify", *argv]))
    return status, out.getvalue() + err.getvalue()


def test_an_update_from_outside_is_named_and_the_programs_next_write_does_not_hide_it(tmp_path):
    path = _file_ledger(tmp_path / "ledger.db")
    assert _verify(path)[0] == 0
    _outside(path, "UPDATE payment SET amount_fen = amount_fen * 10 WHERE id = 1")
    status, text = _verify(path)
    assert status == 1
    assert "以下 1 处改动不是本程序做的" in text
    assert "修改 党费缴纳（编号 1）：金额 由 ¥30.00 改为 ¥300.00" in text
    lg = Ledger.open(path)
    add_member(lg, "赵六")  # the program's next write
    lg.close()
    status, text = _verify(path)
    assert status == 1 and "金额 由 ¥30.00 改为 ¥300.00" in text  # still named, for good


def test_rules_settings_and_attachments_are_in_the_trail(tmp_path):
    from ledger_app.domain.models import FrequencyRule
    from ledger_app.services import settings

    path = _file_ledger(tmp_path / "ledger.db")
    lg = Ledger.open(path)
    settings.save_rules(lg, [FrequencyRule("党课", "quarter", 2)])
    [change] = [e for e in audit.unsealed(lg.db)] or [None]
    assert change is None  # the program's own change is sealed
    rows = lg.db.execute("SELECT op FROM audit WHERE tbl = 'frequency_rule' ORDER BY id")
    assert [r[0] for r in rows][-1] == "UPDATE"
    lg.close()
    _outside(path, "UPDATE frequency_rule SET required = 0")  # hides every missing meeting
    status, text = _verify(path)
    assert status == 1 and "修改 频次要求（编号 党课）：次数 由 2 改为 0" in text
    assert "修改 频次要求（编号 支委会）：次数 由 1 改为 0" in text
    # an attachment's bytes swapped (its audit row does not hold the bytes, their SHA-256)
    other = _file_ledger(tmp_path / "other.db")
    lg = Ledger.open(other)
    rec = add_record(lg, [])
    with lg.repo.atomic():
        att = lg.repo.add_attachment(rec.id, "签到表.png", "image/png", PHOTO, None)
    lg.close()
    _outside(other, f"UPDATE attachment SET data = X'00' WHERE id = {att}")
    status, text = _verify(other)
    assert status == 1 and f"附件（编号 {att}）的内容与记下的校验值不符" in text
    # so is a deleted record's payload in the recycle bin
    _outside(other, "UPDATE trash SET payload = replace(payload, '党课', '支委会')")
    assert "回收站（编号 1）的内容与记下的校验值不符" in _verify(other)[1]
    # a setting changed from outside (who appears in the trail, dues rounding …)
    _outside(other, "UPDATE setting SET value = '冒名' WHERE key = 'user_name'")
    assert "设置（编号 user_name）：内容 由 李干事 改为 冒名" in _verify(other)[1]


def test_dropped_triggers_are_noticed_put_back_and_the_gap_stays_on_record(tmp_path):
    path = _file_ledger(tmp_path / "ledger.db")
    _outside(
        path,
        "DROP TRIGGER audit_payment_update",
        "UPDATE payment SET amount_fen = 1 WHERE id = 1",
    )
    status, text = _verify(path)
    assert status == 1
    assert "记录修改的触发器缺少 1 个（audit_payment_update）" in text
    assert "党费缴纳（编号 1）的数据与修改记录不符" in text
    # the program may not write to it (the data do not match their trail) …
    with pytest.raises(UserError, match="数据与修改记录对不上"):
        lg = Ledger.open(path)
        try:
            add_member(lg, "赵六")
        finally:
            lg.close()
    # … but with only the triggers gone, it puts them back before its first write and says so
    other = _file_ledger(tmp_path / "other.db")
    _outside(other, "DROP TRIGGER audit_member_update", "DROP TRIGGER audit_no_delete")
    lg = Ledger.open(other)
    add_member(lg, "赵六")
    lg.db.execute("UPDATE member SET note = '此后有记录' WHERE id = 1")  # audited again
    assert audit.missing_triggers(lg.db) == []
    lg.close()
    status, text = _verify(other)
    assert status == 1  # the gap is on record for good
    assert "程序曾发现记录修改的触发器被删除并已重建" in text
    assert "audit_member_update" in text and "audit_no_delete" in text


def test_a_printed_code_tells_unchanged_since_or_the_changes_after(tmp_path):
    path = _file_ledger(tmp_path / "ledger.db")
    lg = Ledger.open(path)
    code = safety.head_hash(lg)[:16]  # what the PDF footer prints
    lg.close()
    status, text = _verify(path, "--code", code)
    assert status == 0 and f"台账校验码 {code}" in text and "此后台账没有任何改动" in text
    assert _verify(path, "--code", code.upper()[:8] + " " + code[8:])[0] == 0  # as typed
    lg = Ledger.open(path)
    roster.save_branch_info(lg, {"书记": "新书记"})
    lg.close()
    status, text = _verify(path, "--code", code)
    assert status == 1 and "此后台账有 1 处改动" in text
    assert "新增 支部信息（编号 书记）：项目 书记，内容 新书记" in text
    status, text = _verify(path, "--code", "不是校验码")
    assert status == 1 and "台账校验码应为 16 位十六进制数字" in text


def test_deleting_the_last_action_with_its_audit_row_is_caught_by_the_printed_code(tmp_path):
    """What the chain alone cannot prove: the last action and its audit row deleted, the
    guard put back as it was — the chain is whole again. The code printed after that action
    is no longer in the chain."""
    path = _file_ledger(tmp_path / "ledger.db")
    lg = Ledger.open(path)
    roster.save_branch_info(lg, {"组织委员": "最后一项"})
    code = safety.head_hash(lg)[:16]
    last = lg.db.execute("SELECT MAX(id) FROM audit").fetchone()[0]
    lg.close()
    _outside(
        path,
        "DROP TRIGGER audit_no_delete",
        "DROP TRIGGER audit_branch_info_delete",
        f"DELETE FROM audit WHERE id = {last}",
        "DELETE FROM branch_info WHERE key = '组织委员'",
    )
    import sqlite_utils

    db = sqlite_utils.Database(path)
    with db.atomic():
        audit.install_triggers(db)  # every trigger back exactly as the program makes them
    db.close()
    assert _verify(path)[0] == 0  # the limit, said in the README: the chain looks whole
    status, text = _verify(path, "--code", code)
    assert status == 1 and f"台账校验码 {code} 在修改记录中找不到" in text


def test_the_workbook_carries_the_code_the_pdf_prints(tmp_path):
    import openpyxl

    from ledger_app.workbook.writer import export_workbook

    path = _file_ledger(tmp_path / "ledger.db")
    lg = Ledger.open(path, today=dt.date(2026, 1, 15))
    out = export_workbook(lg, 2025, None, tmp_path / "台账.xlsx")
    code = safety.head_hash(lg)[:16]
    lg.close()
    wb = openpyxl.load_workbook(out, read_only=True)
    notes = [r[0] for r in wb["汇总"].iter_rows(max_row=5, values_only=True) if r[0]]
    wb.close()
    assert any(str(n).startswith(f"台账校验码 {code}（") for n in notes), notes
    assert _verify(path, "--code", code)[0] == 0


def test_a_ledger_of_schema_version_2_upgrades_into_the_wider_trail(tmp_path):
    """Fixture: a file made by schema version 2 (the trail without settings, rules and
    attachments) with an attachment, a rule changed and a change from outside."""
    import sqlite_utils

    from ledger_app.storage.db import configure, migrate

    path = tmp_path / "v2.db"
    db = sqlite_utils.Database(path)
    configure(db)
    migrate(db, target=2)
    with db.atomic():
        db.execute("INSERT INTO member (name, join_date) VALUES ('张三', '2000-07-01')")
        db.execute("INSERT INTO record (kind, date) VALUES ('支委会', '2025-03-05')")
        db.execute(
            "INSERT INTO attachment (record_id, filename, data) VALUES (1, '签到.png', ?)", [PHOTO]
        )
        db.execute("UPDATE frequency_rule SET required = 2 WHERE item = '党课'")
        audit.seal(db)
    db.execute("UPDATE member SET note = '外部改动' WHERE id = 1")  # stays unsealed
    db.close()
    assert _verify(path)[0] == 1  # the outside change is named in version 2 as well
    lg = Ledger.open(path)
    assert lg.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert lg.repo.attachment_data(1) == PHOTO
    assert [e.table for e in audit.unsealed(lg.db)] == ["member"]  # not sealed by the upgrade
    kept = lg.db.execute(
        "SELECT after FROM audit WHERE tbl = 'frequency_rule' AND row_id = '党课'"
    ).fetchone()[0]
    assert '"required":2' in kept  # the rules as they were, now in the trail
    lg.close()
    status, text = _verify(path)
    assert status == 1 and "外部改动" in text and "数据与修改记录不符" not in text
