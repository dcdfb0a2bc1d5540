"""Dates as clerks type them, ID numbers, name lists, money and membership on a date."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_app.domain import idcard
from ledger_app.domain.attendance import expected_members, quorum_met, summarize
from ledger_app.domain.dates import Period, format_date_cn, parse_date
from ledger_app.domain.dues import owed_months
from ledger_app.domain.models import Attendance, Member, Record, is_committee_post
from ledger_app.domain.money import format_fen, format_yuan, parse_yuan
from ledger_app.domain.names import initials, join_names, matches, split_names


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-07",
        "2025/3/7",
        "2025年3月7日",
        "2025.3.7",
        "20250307",
        " 2025-3-7 ",
        "2025-03-07 00:00:00",
    ],
)
def test_full_dates_in_every_form_a_clerk_writes(text):
    assert parse_date(text) == dt.date(2025, 3, 7)


@pytest.mark.parametrize("text", ["3.7", "0307", "3-7", "3月7日", "3/7"])
def test_short_dates_take_the_default_year(text):
    assert parse_date(text, default_year=2025) == dt.date(2025, 3, 7)


@pytest.mark.parametrize("text", ["2025-02-30", "五月", "3.7", "2025-13-01", ""])
def test_bad_dates_say_why_in_chinese(text):
    with pytest.raises(ValueError) as e:
        parse_date(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(e.value))


def test_excel_datetimes_become_dates():
    assert parse_date(dt.datetime(2024, 1, 3, 0, 0)) == dt.date(2024, 1, 3)
    assert format_date_cn(dt.date(2025, 3, 7)) == "2025年3月7日"


def test_periods_have_the_contract_labels_and_bounds():
    assert Period.month(2025, 4).key == "2025-04"
    assert Period.quarter(2025, 3).key == "2025-Q3"
    assert Period.whole_year(2025).key == "2025"
    q = Period.quarter(2025, 1)
    assert (q.start, q.end) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert [p.key for p in q.months()] == ["2025-01", "2025-02", "2025-03"]
    assert [p.key for p in Period.whole_year(2025).subperiods("quarter")] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
    ]
    assert not Period.month(2025, 12).has_ended(dt.date(2025, 12, 31))
    assert Period.month(2025, 12).has_ended(dt.date(2026, 1, 1))
    assert Period.month(2024, 2).end == dt.date(2024, 2, 29)


def test_id_number_check_digit_per_gb11643():
    assert idcard.check_digit("11010519491231002") == "X"
    assert idcard.validate("11010519491231002X") is None
    assert idcard.validate("11010519491231002x") is None  # lower-case x accepted
    assert "校验位" in idcard.validate("110105194912310021")
    assert "18位" in idcard.validate("1101051949123100")
    assert "出生日期" in idcard.validate("110105194902300020")
    assert idcard.birth_date("11010519491231002X") == dt.date(1949, 12, 31)
    assert idcard.gender("11010519491231002X") == "女"  # 17th digit 2: even
    assert idcard.mask("11010519491231002X") == "110105********002X"
    assert idcard.mask_phone("13800000001") == "138****0001"


def test_name_lists_split_on_every_separator_with_reasons():
    text = "林海、黄晓丽,马骏 宋玉梅（病假）；张三 (事假);李四，王五"
    assert split_names(text) == [
        ("林海", None),
        ("黄晓丽", None),
        ("马骏", None),
        ("宋玉梅", "病假"),
        ("张三", "事假"),
        ("李四", None),
        ("王五", None),
    ]
    assert split_names(None) == [] and split_names("  ") == []
    assert join_names([("林海", None), ("宋玉梅", "病假")]) == "林海、宋玉梅（病假）"
    with pytest.raises(ValueError):
        split_names("张三（病假")


def test_pinyin_initials_complete_names():
    assert initials("周建国") == "zjg"
    assert matches("周建国", "zjg") and matches("周建国", "建国") and not matches("周建国", "lh")


@pytest.mark.parametrize(
    "value, fen",
    [("11.73", 1173), (14.5, 1450), (0.2, 20), (236, 23600), ("¥1,234.50", 123450), ("12元", 1200)],
)
def test_amounts_are_read_exactly_into_fen(value, fen):
    assert parse_yuan(value) == fen


@pytest.mark.parametrize("value", ["五十", "1.234", "", None, True, float("nan")])
def test_bad_amounts_are_refused(value):
    with pytest.raises(ValueError):
        parse_yuan(value)


def test_money_is_formatted_with_two_decimals():
    assert format_fen(123450) == "1,234.50"
    assert format_fen(-5) == "-0.05"
    assert format_yuan(1173) == "¥11.73"


def _m(mid, name, **kw):
    return Member(id=mid, name=name, join_date=kw.pop("join_date", dt.date(2000, 1, 1)), **kw)


def test_membership_runs_from_join_or_transfer_until_status_change():
    m = _m(
        1,
        "甲",
        join_date=dt.date(2010, 7, 1),
        transfer_in_date=dt.date(2025, 3, 10),
        status="转出",
        status_date=dt.date(2025, 9, 15),
    )
    assert not m.belongs_on(dt.date(2025, 3, 9))
    assert m.belongs_on(dt.date(2025, 3, 10))
    assert m.belongs_on(dt.date(2025, 9, 14))
    assert not m.belongs_on(dt.date(2025, 9, 15))
    # dues: from the month of joining to the month before the status change
    assert owed_months(m, 2025) == [3, 4, 5, 6, 7, 8]
    assert owed_months(m, 2026) == []
    assert owed_months(_m(2, "乙", join_date=dt.date(2025, 11, 30)), 2025) == [11, 12]


def test_committee_posts():
    assert is_committee_post("书记") and is_committee_post("组织委员")
    assert is_committee_post("党小组长、纪检委员")
    assert not is_committee_post("党小组长") and not is_committee_post(None)


def test_expected_members_and_implied_absence():
    members = [
        _m(1, "书记甲", post="书记", group_id=1),
        _m(2, "委员乙", post="宣传委员", group_id=2),
        _m(3, "党员丙", group_id=1),
        _m(4, "新人丁", group_id=1, join_date=dt.date(2025, 6, 1), member_type="预备党员"),
    ]
    committee = Record(None, "支委会", dt.date(2025, 5, 3), attendance=[Attendance(1, "出席")])
    assert [m.id for m in expected_members(committee, members)] == [1, 2]
    s = summarize(committee, members)
    assert (s.expected_count, s.present_count, s.absent_count) == (2, 1, 1)
    group = Record(None, "党小组会", dt.date(2025, 7, 3), group_id=1)
    assert [m.id for m in expected_members(group, members)] == [1, 3, 4]
    talk = Record(None, "谈心谈话", dt.date(2025, 7, 3), attendance=[Attendance(3, "出席")])
    assert [m.id for m in expected_members(talk, members)] == [3]
    # quorum of a 党员大会 counts 正式党员 only: 3 voters on 2025-07-03, 2 present = quorum
    meeting = Record(
        None,
        "支部党员大会",
        dt.date(2025, 7, 3),
        attendance=[Attendance(1, "出席"), Attendance(4, "出席"), Attendance(2, "出席")],
    )
    assert quorum_met(meeting, members) is True
    meeting.attendance = [Attendance(1, "出席"), Attendance(4, "出席")]
    assert quorum_met(meeting, members) is False
