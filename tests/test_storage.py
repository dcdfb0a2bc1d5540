"""The database file: creation, migrations, safe settings, members and records round trip."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import add_member

from ledger_app.domain.models import Attendance, DuesSetting, Member, Payment, Record
from ledger_app.errors import DatabaseError, UserError
from ledger_app.services import roster
from ledger_app.services.ledger import Ledger
from ledger_app.storage.db import open_database, schema_version
from ledger_app.storage.schema import SCHEMA_VERSION


def test_a_new_file_gets_the_current_schema_and_safe_settings(tmp_path):
    db = open_database(tmp_path / "sub" / "ledger.db")
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    # synchronous NORMAL (1) with WAL: a deliberate choice, see storage/db.py
    assert db.execute("PRAGMA synchronous").fetchone()[0] in (1, 2)
    rules = {r[0]: (r[1], r[2]) for r in db.execute("SELECT * FROM frequency_rule")}
    assert rules["支委会"] == ("month", 1) and rules["党课"] == ("quarter", 1)
    db.close()
    # reopening migrates nothing and keeps the data
    db = open_database(tmp_path / "sub" / "ledger.db")
    assert schema_version(db) == SCHEMA_VERSION


def test_a_database_from_a_newer_program_is_refused_untouched(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="更新版本"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="不是有效的台账数据库"):
        open_database(path)


def test_members_round_trip_with_every_field(ledger):
    m = Member(
        None,
        "周建国",
        "预备党员",
        dt.date(2024, 7, 1),
        "在职",
        gender="男",
        ethnicity="汉族",
        birth_date=dt.date(1990, 1, 9),
        id_number="110105199001090014",
        education="本科",
        post="组织委员",
        phone="13800000001",
        transfer_in_date=dt.date(2024, 9, 1),
    )
    roster.save_member(ledger, m, group_name="第一党小组")
    got = ledger.repo.member(m.id)
    assert got.group_name == "第一党小组"
    for field in (
        "name",
        "member_type",
        "join_date",
        "category",
        "gender",
        "ethnicity",
        "birth_date",
        "id_number",
        "education",
        "post",
        "phone",
        "transfer_in_date",
    ):
        assert getattr(got, field) == getattr(m, field), field


def test_status_changes_are_kept_as_history(ledger):
    m = add_member(ledger, "张三")
    roster.change_status(ledger, m.id, "转出", dt.date(2025, 6, 1), note="转至区教育局支部")
    history = ledger.repo.status_history(m.id)
    assert [(h.status, h.date) for h in history] == [
        ("在册", dt.date(2000, 7, 1)),
        ("转出", dt.date(2025, 6, 1)),
    ]
    assert history[-1].note == "转至区教育局支部"
    assert ledger.repo.member(m.id).belongs_on(dt.date(2025, 5, 31))
    assert not ledger.repo.member(m.id).belongs_on(dt.date(2025, 6, 1))


def test_a_status_other_than_zaice_needs_a_date(ledger):
    m = add_member(ledger, "张三")
    with pytest.raises(UserError) as e:
        roster.change_status(ledger, m.id, "去世", None)
    assert "状态变更日期" in str(e.value)
    assert ledger.repo.member(m.id).status == "在册"


def test_member_validation_names_each_field(ledger):
    add_member(ledger, "已有", id_number="11010519491231002X")
    bad = Member(None, "", "积极分子", None, "干部", id_number="110105194912310021")
    messages = [str(e) for e in roster.validate_member(bad, ledger.repo.members())]
    assert any(s.startswith("姓名") for s in messages)
    assert any(s.startswith("党员类别") for s in messages)
    assert any(s.startswith("入党日期") for s in messages)
    assert any(s.startswith("人员类别") for s in messages)
    assert any(s.startswith("公民身份号码") and "校验位" in s for s in messages)
    dup = Member(None, "新人", join_date=dt.date(2020, 1, 1), id_number="11010519491231002x")
    assert any("重复" in str(e) for e in roster.validate_member(dup, ledger.repo.members()))


def test_birth_date_and_sex_are_filled_from_the_id_number(ledger):
    m = Member(None, "李四", join_date=dt.date(2010, 1, 1), id_number="11010519491231002x")
    roster.save_member(ledger, m)
    got = ledger.repo.member(m.id)
    assert (got.birth_date, got.gender, got.id_number) == (
        dt.date(1949, 12, 31),
        "女",
        "11010519491231002X",
    )


def test_records_keep_attendance_and_a_failed_action_writes_nothing(ledger):
    a = add_member(ledger, "甲", post="书记")
    b = add_member(ledger, "乙", post="组织委员")
    rec = Record(
        None,
        "支委会",
        dt.date(2025, 4, 3),
        topic="研究4月工作",
        attendance=[Attendance(a.id, "出席"), Attendance(b.id, "请假", "公差")],
    )
    with ledger.repo.atomic():
        ledger.repo.add_record(rec)
    got = ledger.repo.record(rec.id)
    assert [(x.name, x.status, x.reason) for x in got.attendance] == [
        ("甲", "出席", None),
        ("乙", "请假", "公差"),
    ]
    count = ledger.db.execute("SELECT COUNT(*) FROM record").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError):
        with ledger.repo.atomic():
            ledger.repo.add_record(Record(None, "党课", dt.date(2025, 5, 1)))
            ledger.repo.add_record(
                Record(None, "党课", dt.date(2025, 5, 2), attendance=[Attendance(999, "出席")])
            )
    assert ledger.db.execute("SELECT COUNT(*) FROM record").fetchone()[0] == count


def test_payments_are_summed_per_month_and_corrections_are_new_entries(ledger):
    m = add_member(ledger, "甲")
    with ledger.repo.atomic():
        ledger.repo.set_dues_setting(DuesSetting(m.id, 2025, base_fen=450000))
        ledger.repo.add_payment(Payment(None, m.id, 2025, 1, 4500))
        ledger.repo.add_payment(Payment(None, m.id, 2025, 1, -500, note="更正"))
    assert ledger.repo.paid_by_month(2025) == {m.id: {1: 4000}}
    assert len(ledger.repo.payments(2025)) == 2
    assert ledger.repo.dues_settings(2025)[m.id].base_fen == 450000


def test_ledger_on_a_file_survives_a_restart(tmp_path):
    path = tmp_path / "l.db"
    lg = Ledger.open(path)
    roster.save_branch_info(lg, {"支部名称": "测试支部", "书记": "甲"})
    lg.close()
    lg = Ledger.open(path)
    assert lg.repo.branch().name == "测试支部"
    lg.close()
