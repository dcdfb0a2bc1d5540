"""Audit trail (who, when, before/after; hash chain), history per record, recycle bin."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import add_member

from ledger_app.domain.models import (
    Attendance,
    DuesSetting,
    Member,
    Payment,
    Record,
    VolunteerEntry,
)
from ledger_app.errors import UserError
from ledger_app.services import records, roster, safety
from ledger_app.services.ledger import Ledger
from ledger_app.storage import audit

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
    # a REPLACE (delete + insert) done outside the repository is caught too
    ledger.db.execute("INSERT OR REPLACE INTO branch_info (key, value) VALUES ('支部名称', '新名')")
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
    # a write outside Repository.atomic() stays unsealed until the next seal
    ledger.db.execute("UPDATE member SET note = '备注' WHERE id = 1")
    assert audit.verify_chain(ledger.db) is None  # an unsealed tail is not an error
    assert safety.head_hash(ledger) != head  # sealed now, the head moved on
    assert ledger.db.execute("SELECT COUNT(*) FROM audit WHERE hash IS NULL").fetchone()[0] == 0


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
    assert audit.verify_chain(ledger.db) == 5


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


def test_a_big_change_is_sealed_in_chunks_as_one_chain(ledger, monkeypatch):
    """An import seals hundreds of thousands of rows: they are hashed a chunk at a time
    (not all held at once), and the chain is the same as in one go."""
    monkeypatch.setattr(audit, "SEAL_CHUNK", 7)
    with ledger.repo.atomic():
        for i in range(30):
            ledger.repo.add_member(Member(id=None, name=f"党员{i}", join_date=dt.date(2000, 7, 1)))
    unsealed = ledger.db.execute("SELECT COUNT(*) FROM audit WHERE hash IS NULL").fetchone()[0]
    assert unsealed == 0
    assert audit.verify_chain(ledger.db) is None
    assert ledger.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0] >= 30
