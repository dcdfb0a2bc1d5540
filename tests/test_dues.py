"""党费: the 2008 rate table to the fen, owed months, payments, the ``dues`` contract."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import add_member

from ledger_app import cli
from ledger_app.domain import dues as D
from ledger_app.domain.models import (
    ROUND_FEN,
    ROUND_JIAO,
    ROUND_YUAN_UP,
    DuesSetting,
    Member,
    Payment,
)
from ledger_app.errors import UserError
from ledger_app.services import dues as S
from ledger_app.services.ledger import Changes, Ledger

ROOT = Path(__file__).resolve().parent.parent


def member(category="在职", **kw) -> Member:
    return Member(
        id=kw.pop("id", 1),
        name=kw.pop("name", "张三"),
        category=category,
        join_date=kw.pop("join_date", dt.date(2000, 7, 1)),
        **kw,
    )


def due(category, base_fen, rounding=ROUND_FEN, **setting):
    return D.monthly_due_fen(
        member(category), DuesSetting(1, 2025, base_fen=base_fen, **setting), rounding
    )


# --- the rate table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "category, base_fen, rate",
    [
        ("在职", 0, 5),
        ("在职", 300_000, 5),
        ("在职", 300_001, 10),
        ("在职", 500_000, 10),
        ("在职", 500_001, 15),
        ("在职", 1_000_000, 15),
        ("在职", 1_000_001, 20),
        ("在职", 5_000_000, 20),
        ("离退休", 500_000, 5),
        ("离退休", 500_001, 10),
        ("离退休", 1_200_000, 10),
        ("其他", 300_001, 10),  # 其他: charged like 在职
        ("学生", 300_000, None),
        ("下岗失业", 300_000, None),
        ("农民", 300_000, None),
        ("在职", None, None),
    ],
)
def test_rate_permille_every_edge_both_sides(category, base_fen, rate):
    assert D.rate_permille(category, base_fen) == rate


@pytest.mark.parametrize(
    "category, base_fen, expected",
    [
        ("在职", 234_500, 1173),  # 2345.00 × 0.5% = 11.725 → 11.73 (half-up)
        ("在职", 300_000, 1500),  # 3000.00 × 0.5%
        ("在职", 300_001, 3000),  # 3000.01 × 1% = 30.0001
        ("在职", 500_000, 5000),
        ("在职", 500_001, 7500),  # 5000.01 × 1.5% = 75.00015
        ("在职", 1_000_000, 15000),
        ("在职", 1_000_001, 20000),  # 10000.01 × 2% = 200.0002
        ("离退休", 500_000, 2500),
        ("离退休", 500_001, 5000),  # 5000.01 × 1% = 50.0001
        ("离退休", 390_000, 1950),  # 宋玉梅 in the sample
        ("在职", 290_000, 1450),  # 马骏
        ("在职", 1_180_000, 23600),  # 罗强
        ("在职", 680_000, 10200),  # 林海
        ("在职", 333_350, 3334),  # 3333.50 × 1% = 33.335 → 33.34
        ("在职", 100, 1),  # 1.00 × 0.5% = 0.005 → 0.01
        ("在职", 99, 0),  # 0.99 × 0.5% = 0.00495 → 0.00
    ],
)
def test_monthly_due_to_the_fen(category, base_fen, expected):
    assert due(category, base_fen) == expected


def test_fixed_amount_categories():
    assert D.monthly_due_fen(member("学生"), None) == 20
    assert D.monthly_due_fen(member("下岗失业"), DuesSetting(1, 2025)) == 20
    # 农民: only the branch's 约定 amount; none set → unknown, not a guess
    assert D.monthly_due_fen(member("农民"), None) is None
    assert due("农民", None, fixed_fen=50) == 50
    # a 在职 member without a base: unknown
    assert D.monthly_due_fen(member("在职"), None) is None
    assert due("在职", None) is None


def test_agreed_amount_overrides_the_rate():
    assert due("在职", 290_000, fixed_fen=2000) == 2000
    assert due("学生", None, fixed_fen=100) == 100


def test_reductions():
    assert due("在职", 600_000, reduction="免交", reduction_fen=0) == 0
    assert due("在职", 600_000, reduction="少交", reduction_fen=1000) == 1000


@pytest.mark.parametrize(
    "base_fen, rounding, expected",
    [
        (234_500, ROUND_FEN, 1173),
        (234_500, ROUND_JIAO, 1170),  # 11.725 → 11.7
        (235_000, ROUND_JIAO, 1180),  # 11.75 → 11.8 (half-up)
        (234_500, ROUND_YUAN_UP, 1200),  # 11.725 → 12
        (240_000, ROUND_YUAN_UP, 1200),  # exactly 12.00 stays 12
        (240_001, ROUND_YUAN_UP, 1300),  # 12.00005 → 13 (up means up)
        (1_180_000, ROUND_JIAO, 23600),
    ],
)
def test_rounding_modes(base_fen, rounding, expected):
    assert due("在职", base_fen, rounding) == expected


def test_rounding_does_not_touch_fixed_amounts():
    assert due("学生", None, ROUND_YUAN_UP) == 20
    assert due("农民", None, ROUND_YUAN_UP, fixed_fen=30) == 30


@pytest.mark.parametrize(
    "category, base_fen, flagged",
    [
        ("在职", 290_000, True),  # 100 元 below the 3000 edge
        ("在职", 289_999, False),
        ("在职", 300_000, True),
        ("在职", 310_000, True),
        ("在职", 310_001, False),
        ("在职", 499_000, True),
        ("在职", 1_005_000, True),
        ("在职", 700_000, False),
        ("离退休", 500_001, True),
        ("离退休", 300_000, False),  # 3000 is no edge for 离退休
        ("学生", 300_000, False),
        ("在职", None, False),
    ],
)
def test_bracket_edge_margin_is_100_yuan(category, base_fen, flagged):
    assert D.EDGE_MARGIN_FEN == 10_000
    assert D.bracket_edge(category, base_fen) is flagged


def test_base_from_components():
    parts = {
        "岗位工资": 300_000,
        "薪级工资": 200_000,
        "绩效工资": 150_000,
        "津贴补贴": 80_000,
        "个人所得税": 12_345,
        "社会保险": 70_000,
        "住房公积金": 90_000,
        "职业年金": 30_000,
    }
    assert D.base_from_components(parts) == 527_655
    with pytest.raises(ValueError, match="未知的工资项目"):
        D.base_from_components({"奖金": 1})
    assert D.base_from_components({"个人所得税": 100}) == 0


# --- owed months, the year ---------------------------------------------------------------


def test_owed_months_join_and_leave_mid_year():
    m = member(join_date=dt.date(2025, 3, 20))
    assert D.owed_months(m, 2025) == list(range(3, 13))
    m = member(status="转出", status_date=dt.date(2025, 8, 10))
    assert D.owed_months(m, 2025) == list(range(1, 8))  # to the month before
    m = member(status="转出", status_date=dt.date(2025, 1, 10))
    assert D.owed_months(m, 2025) == []
    m = member(join_date=dt.date(2020, 1, 1), transfer_in_date=dt.date(2025, 11, 2))
    assert D.owed_months(m, 2025) == [11, 12]


def test_compute_year_members_who_belonged_in_the_year():
    """Literal reading of the contract: one entry per member who belonged on any day of the
    year, even one who owes no month (left in January)."""
    members = [
        member(id=1, name="在册"),
        member(id=2, name="一月转出", status="转出", status_date=dt.date(2025, 1, 10)),
        member(id=3, name="去年转出", status="转出", status_date=dt.date(2025, 1, 1)),
        member(id=4, name="明年入党", join_date=dt.date(2026, 1, 1)),
        member(id=5, name="年底入党", join_date=dt.date(2025, 12, 31)),
    ]
    settings = {i: DuesSetting(i, 2025, base_fen=200_000) for i in range(1, 6)}
    year = D.compute_year(members, settings, {}, 2025)
    assert [m.name for m in year.members] == ["在册", "一月转出", "年底入党"]
    jan = year.member(2)
    assert jan.owed_months == [] and jan.due_fen == 0 and jan.unpaid_months == []
    assert year.member(5).owed_months == [12] and year.member(5).due_fen == 1000


def test_contract_example_partial_payment():
    """Paid 49500 of 54000 at 4500 a month → only December is unpaid."""
    m = member(id=7)
    s = {7: DuesSetting(7, 2025, base_fen=450_000)}
    paid = {7: {mo: 4500 for mo in range(1, 12)}}
    y = D.compute_year([m], s, paid, 2025)
    md = y.members[0]
    assert (md.rate_permille, md.monthly_due_fen, md.due_fen, md.paid_fen) == (
        10,
        4500,
        54000,
        49500,
    )
    assert md.unpaid_months == [12]
    assert md.short_fen == 4500 and md.extra_fen == 0


def test_partial_month_is_paid_but_short():
    m = member(id=1)
    y = D.compute_year([m], {1: DuesSetting(1, 2025, base_fen=450_000)}, {1: {1: 2000}}, 2025)
    md = y.members[0]
    assert 1 not in md.unpaid_months
    assert md.month_state(1) == D.MONTH_SHORT
    assert md.month_state(2) == D.MONTH_UNPAID
    assert md.short_fen == 2500 + 11 * 4500


def test_extra_payment_counts_as_paid_and_totals_reconcile():
    m1, m2 = member(id=1, name="甲", group_name="一组"), member(id=2, name="乙", group_name=None)
    s = {1: DuesSetting(1, 2025, base_fen=450_000), 2: DuesSetting(2, 2025, base_fen=200_000)}
    paid = {1: {mo: 10_000 for mo in range(1, 13)}, 2: {1: 1000, 2: 1000}}
    y = D.compute_year([m1, m2], s, paid, 2025)
    a, b = y.members
    assert a.paid_fen == 120_000 and a.extra_fen == 120_000 - 54_000 and a.unpaid_months == []
    assert b.unpaid_months == list(range(3, 13))
    t = y.totals
    assert (t.due_fen, t.paid_fen) == (54_000 + 12_000, 120_000 + 2_000)
    assert t.paid_fen == t.due_fen - t.short_fen + t.extra_fen
    assert t.unpaid_count == 1
    assert list(y.by_group) == ["一组", D.NO_GROUP]
    assert y.by_group["一组"].due_fen == 54_000 and y.by_group[D.NO_GROUP].short_fen == 10_000
    assert sum(x.due_fen for x in y.by_month.values()) == t.due_fen
    assert sum(x.paid_fen for x in y.by_month.values()) == t.paid_fen
    assert y.by_month[3].unpaid_count == 1 and y.by_month[3].due_fen == 4500 + 1000


def test_exempt_member_has_no_unpaid_months():
    m = member(id=1)
    s = {
        1: DuesSetting(
            1,
            2025,
            base_fen=500_000,
            reduction="免交",
            reduction_fen=0,
            approved_by="支委会",
            approved_on=dt.date(2025, 1, 5),
        )
    }
    md = D.compute_year([m], s, {}, 2025).members[0]
    assert md.monthly_due_fen == 0 and md.unpaid_months == [] and md.rate_text == "免交"
    assert md.rate_permille is None
    assert md.month_state(5) == D.MONTH_NOT_OWED
    assert D.monthly_due_for(m, s[1], 2025, 5) == 0


def test_unknown_due_still_counts_unpaid_months():
    md = D.compute_year([member(id=1)], {}, {}, 2025).members[0]
    assert md.monthly_due_fen is None and md.due_fen == 0 and md.unset
    assert md.unpaid_months == list(range(1, 13)) and md.rate_text == "未核定"
    assert D.monthly_due_for(member(id=1), None, 2025, 3) is None


def test_months_before_joining_are_not_owed_but_a_payment_shows():
    m = member(id=1, join_date=dt.date(2025, 6, 1))
    md = D.compute_year([m], {1: DuesSetting(1, 2025, base_fen=200_000)}, {1: {6: 1000}}, 2025)
    md = md.members[0]
    assert md.month_state(5) == D.MONTH_NOT_OWED and md.month_state(6) == D.MONTH_PAID
    assert md.due_fen == 7 * 1000


def test_arrears_runs_and_warning():
    assert D.longest_run([1, 2, 5, 6, 7, 12]) == (5, 7, 3)
    assert D.longest_run([]) is None
    assert D.longest_run([4, 1]) == (1, 1, 1)  # earliest on a tie
    m = member(id=1)
    s = {1: DuesSetting(1, 2025, base_fen=200_000)}
    paid = {1: {mo: 1000 for mo in (1, 2, 3, 6)}}
    md = D.compute_year([m], s, paid, 2025).members[0]
    assert md.arrears_run == (7, 12, 6) and md.arrears_warning
    two = D.compute_year([m], s, {1: {mo: 1000 for mo in range(1, 11)}}, 2025).members[0]
    assert two.arrears_run == (11, 12, 2) and not two.arrears_warning
    assert "党章第九条" in D.arrears_text(md, 2025)


@pytest.mark.parametrize(
    "month, paid_on, late",
    [
        (1, dt.date(2025, 7, 31), False),  # six months back: within the limit
        (1, dt.date(2025, 8, 1), True),
        (11, dt.date(2026, 5, 20), False),
        (11, dt.date(2026, 6, 1), True),
        (12, dt.date(2025, 3, 1), False),  # 预交
        (1, None, False),
    ],
)
def test_late_payment(month, paid_on, late):
    assert D.late_payment(Payment(None, 1, 2025, month, 1000, paid_on)) is late


def test_format_helpers():
    assert D.format_months([1, 2, 3, 5, 7, 8]) == "1–3、5、7–8月"
    assert D.format_months([]) == ""
    assert [D.format_rate(r) for r in (5, 10, 15, 20)] == ["0.5%", "1%", "1.5%", "2%"]
    assert D.bracket_label("在职", 300_001) == "3000–5000 元（含）"
    assert D.bracket_label("在职", 100) == "3000 元以下（含）"
    assert D.bracket_label("离退休", 500_001) == "5000 元以上"
    assert D.bracket_label("学生", 100) == ""


# --- services ----------------------------------------------------------------------------


def _setup(ledger):
    ledger.repo.set_setting("user_name", "王书记")
    a = add_member(ledger, "张三", group="第一党小组")
    b = add_member(ledger, "李四", group="第一党小组", join_date=dt.date(2025, 4, 8))
    c = add_member(ledger, "王五", category="学生", group="第二党小组")
    d = add_member(ledger, "赵六", status="转出", status_date=dt.date(2025, 9, 15))
    for m, base in ((a, 450_000), (b, 234_500), (d, 1_180_000)):
        S.set_setting(ledger, DuesSetting(m.id, 2025, base_fen=base))
    return a, b, c, d


def test_to_json_is_exactly_the_contract(ledger):
    a, b, c, d = _setup(ledger)
    S.record_payment(ledger, a.id, 2025, range(1, 12), 4500, dt.date(2025, 12, 1))
    S.record_payment(ledger, c.id, 2025, range(1, 13), 20, dt.date(2025, 3, 1))
    assert S.to_json(S.dues_report(ledger, 2025)) == {
        "year": 2025,
        "members": [
            {
                "name": "张三",
                "category": "在职",
                "base_fen": 450000,
                "rate_permille": 10,
                "monthly_due_fen": 4500,
                "due_fen": 54000,
                "paid_fen": 49500,
                "unpaid_months": [12],
            },
            {
                "name": "李四",
                "category": "在职",
                "base_fen": 234500,
                "rate_permille": 5,
                "monthly_due_fen": 1173,
                "due_fen": 9 * 1173,
                "paid_fen": 0,
                "unpaid_months": list(range(4, 13)),
            },
            {
                "name": "王五",
                "category": "学生",
                "base_fen": None,
                "rate_permille": None,
                "monthly_due_fen": 20,
                "due_fen": 240,
                "paid_fen": 240,
                "unpaid_months": [],
            },
            {
                "name": "赵六",
                "category": "在职",
                "base_fen": 1180000,
                "rate_permille": 20,
                "monthly_due_fen": 23600,
                "due_fen": 8 * 23600,
                "paid_fen": 0,
                "unpaid_months": list(range(1, 9)),
            },
        ],
        "totals": {"due_fen": 54000 + 9 * 1173 + 240 + 8 * 23600, "paid_fen": 49500 + 240},
    }


def test_rounding_setting_is_used(ledger):
    a, b, *_ = _setup(ledger)
    assert S.set_rounding(ledger, ROUND_YUAN_UP) == Changes(dues=True, settings=True)
    report = S.dues_report(ledger, 2025)
    assert report.member(b.id).monthly_due_fen == 1200
    with pytest.raises(UserError):
        S.set_rounding(ledger, "banker")


def test_record_payment_several_months_keeps_who_and_when(ledger):
    a, b, *_ = _setup(ledger)
    ch = S.record_payment(ledger, b.id, 2025, [4, 5, 6], 1173, dt.date(2025, 12, 20), "补交")
    assert ch == Changes(dues=True)
    pays = S.payment_history(ledger, 2025, b.id)
    assert [(p.month, p.amount_fen, p.paid_on, p.entered_by, p.note) for p in pays] == [
        (mo, 1173, dt.date(2025, 12, 20), "王书记", "补交") for mo in (4, 5, 6)
    ]
    # 补交 of April in December: more than six months back → flagged
    assert [D.late_payment(p) for p in pays] == [True, True, False]
    assert S.dues_report(ledger, 2025).member(b.id).unpaid_months == list(range(7, 13))


def test_record_payment_refuses_bad_input(ledger):
    a, b, c, d = _setup(ledger)
    with pytest.raises(UserError, match="不在本支部"):
        S.record_payment(ledger, b.id, 2025, [3, 4], 1173, dt.date(2025, 5, 1))
    with pytest.raises(UserError, match="不在本支部"):
        S.record_payment(ledger, d.id, 2025, [9], 23600, dt.date(2025, 9, 1))
    with pytest.raises(UserError, match="金额"):
        S.record_payment(ledger, a.id, 2025, [1], 0, dt.date(2025, 1, 5))
    with pytest.raises(UserError, match="晚于今天"):
        S.record_payment(ledger, a.id, 2026, [2], 4500, dt.date(2026, 2, 1))
    with pytest.raises(UserError, match="月份"):
        S.record_payment(ledger, a.id, 2025, [], 4500)
    assert S.payment_history(ledger, 2025) == []  # nothing written


def test_prepay_and_voluntary_extra(ledger):
    a, *_ = _setup(ledger)
    S.record_payment(ledger, a.id, 2026, range(1, 13), 4500, dt.date(2025, 12, 28), "预交")
    S.record_payment(ledger, a.id, 2025, [1], 10_000, dt.date(2025, 1, 5), "自愿多交")
    S.set_setting(ledger, DuesSetting(a.id, 2026, base_fen=450_000))
    y26 = S.dues_report(ledger, 2026).member(a.id)
    assert y26.unpaid_months == [] and y26.paid_fen == 54_000
    y25 = S.dues_report(ledger, 2025).member(a.id)
    assert y25.paid_fen == 10_000 and y25.extra_fen == 5_500 and 1 not in y25.unpaid_months


def test_mark_month_paid_for_all_with_exception(ledger):
    a, b, c, d = _setup(ledger)
    S.record_payment(ledger, c.id, 2025, [5], 50, dt.date(2025, 5, 2))  # already paid
    plan, unset = S.collection_plan(S.dues_report(ledger, 2025), 5, except_ids=[b.id])
    assert [m.name for m in plan] == ["张三", "赵六"] and unset == []
    S.mark_month_paid_for_all(ledger, 2025, 5, dt.date(2025, 5, 31), except_ids=[b.id])
    y = S.dues_report(ledger, 2025)
    assert y.member(a.id).paid_by_month == {5: 4500}
    assert y.member(b.id).paid_by_month == {}
    assert y.member(c.id).paid_by_month == {5: 50}  # not paid twice
    assert y.member(d.id).paid_by_month == {5: 23600}
    # running it again adds nothing for those already paid
    S.mark_month_paid_for_all(ledger, 2025, 5, dt.date(2025, 5, 31))
    y = S.dues_report(ledger, 2025)
    assert y.member(a.id).paid_by_month == {5: 4500} and y.member(b.id).paid_by_month == {5: 1173}
    # a member who left is not marked for a month after leaving
    S.mark_month_paid_for_all(ledger, 2025, 10, dt.date(2025, 10, 31))
    assert 10 not in S.dues_report(ledger, 2025).member(d.id).paid_by_month


def test_mark_month_skips_members_without_a_due(ledger):
    a = add_member(ledger, "无基数")
    plan, unset = S.collection_plan(S.dues_report(ledger, 2025), 3)
    assert plan == [] and [m.name for m in unset] == ["无基数"]
    S.mark_month_paid_for_all(ledger, 2025, 3, dt.date(2025, 3, 3))
    assert S.payment_history(ledger, 2025, a.id) == []


def test_correction_is_a_new_entry(ledger):
    a, *_ = _setup(ledger)
    S.record_payment(ledger, a.id, 2025, [3], 45_000, dt.date(2025, 3, 3))  # typo: 450.00
    S.correct_payment(ledger, a.id, 2025, 3, 4500, "多输了一个零", dt.date(2025, 3, 4))
    pays = S.payment_history(ledger, 2025, a.id)
    assert [p.amount_fen for p in pays] == [45_000, -40_500]
    assert pays[1].note == "更正：多输了一个零" and pays[1].entered_by == "王书记"
    assert S.dues_report(ledger, 2025).member(a.id).paid_by_month == {3: 4500}
    # correcting to zero makes the month unpaid again
    S.correct_payment(ledger, a.id, 2025, 3, 0, "退回", dt.date(2025, 3, 5))
    assert 3 in S.dues_report(ledger, 2025).member(a.id).unpaid_months
    with pytest.raises(UserError, match="原因"):
        S.correct_payment(ledger, a.id, 2025, 3, 100, "  ")
    with pytest.raises(UserError, match="无需更正"):
        S.correct_payment(ledger, a.id, 2025, 3, 0, "再退")


def test_set_setting_validation(ledger):
    worker = add_member(ledger, "在职者")
    farmer = add_member(ledger, "农民甲", category="农民")
    retired = add_member(ledger, "离退休者", category="离退休")
    with pytest.raises(UserError, match="须核定缴费基数"):
        S.set_setting(ledger, DuesSetting(worker.id, 2025))
    with pytest.raises(UserError, match="0.20–1.00"):
        S.set_setting(ledger, DuesSetting(farmer.id, 2025, fixed_fen=150))
    with pytest.raises(UserError, match="支部约定"):
        S.set_setting(ledger, DuesSetting(farmer.id, 2025))
    with pytest.raises(UserError, match="低于按基数计算"):
        S.set_setting(ledger, DuesSetting(retired.id, 2025, base_fen=600_000, fixed_fen=5000))
    with pytest.raises(UserError, match="批准人"):
        S.set_setting(ledger, DuesSetting(worker.id, 2025, base_fen=1, reduction="免交"))
    assert ledger.repo.dues_settings(2025) == {}
    S.set_setting(ledger, DuesSetting(farmer.id, 2025, fixed_fen=50))
    S.set_setting(ledger, DuesSetting(retired.id, 2025, base_fen=600_000, fixed_fen=10_000))
    S.set_setting(
        ledger,
        DuesSetting(
            worker.id,
            2025,
            base_fen=800_000,
            reduction="免交",
            reduction_fen=999,
            approved_by="支部委员会",
            approved_on=dt.date(2025, 2, 1),
        ),
    )
    y = S.dues_report(ledger, 2025)
    assert y.member(farmer.id).monthly_due_fen == 50
    assert (
        y.member(retired.id).monthly_due_fen == 10_000 and y.member(retired.id).rate_text == "约定"
    )
    stored = ledger.repo.dues_settings(2025)[worker.id]
    assert (stored.reduction, stored.reduction_fen, stored.approved_by) == ("免交", 0, "支部委员会")


def test_set_setting_from_components(ledger):
    m = add_member(ledger, "核定")
    parts = {"岗位工资": 400_000, "津贴补贴": 150_000, "个人所得税": 20_000, "住房公积金": 60_000}
    S.set_setting(ledger, DuesSetting(m.id, 2025, components=parts))
    stored = ledger.repo.dues_settings(2025)[m.id]
    assert stored.base_fen == 470_000 and stored.components == parts
    with pytest.raises(UserError, match="不一致"):
        S.set_setting(ledger, DuesSetting(m.id, 2025, base_fen=480_000, components=parts))


def test_propose_from_last_year(ledger):
    a, b, c, d = _setup(ledger)
    S.set_setting(
        ledger, DuesSetting(a.id, 2025, base_fen=450_000, components={"岗位工资": 450_000})
    )
    S.set_setting(ledger, DuesSetting(b.id, 2026, base_fen=999_900))
    S.propose_from_last_year(ledger, 2026)
    s26 = ledger.repo.dues_settings(2026)
    assert s26[a.id].base_fen == 450_000 and s26[a.id].components is None
    assert s26[b.id].base_fen == 999_900  # an existing setting is kept
    assert d.id not in s26  # 转出 in 2025: not in the branch in 2026
    assert c.id not in s26  # nothing set last year


def test_text_report(ledger):
    a, b, c, d = _setup(ledger)
    ledger.repo.set_branch_info({"支部名称": "示例党支部"})
    S.record_payment(ledger, a.id, 2025, range(1, 13), 4500, dt.date(2025, 12, 1))
    text = cli.format_dues_text(S.dues_report(ledger, 2025), "示例党支部")
    assert text.startswith("示例党支部 2025年党费收缴情况")
    assert "4,500.00" in text and "11.73" in text and "0.5%" in text
    assert "应缴合计¥" in text and "实缴合计¥540.00" in text
    assert "赵六：2025年1月至8月连续8个月未交党费" in text
    assert "李四：2025年4月至12月连续9个月未交党费" in text
    # January: 张三 45.00 + 赵六 236.00 + 王五 0.20 (李四 joined in April); 张三 paid
    jan = next(line for line in text.splitlines() if line.strip().startswith("1月"))
    assert jan.split() == ["1月", "281.20", "45.00", "236.20", "2"]


def test_sample_members_dues(ledger):
    """The sample workbook's bases (built through the repository)."""
    rows = [
        ("林海", "在职", 680_000, 10_200),
        ("黄晓丽", "在职", 430_000, 4_300),
        ("马骏", "在职", 290_000, 1_450),
        ("高淑珍", "离退休", 520_000, 5_200),
        ("罗强", "在职", 1_180_000, 23_600),
        ("郭静", "在职", 360_000, 3_600),
        ("梁宇", "学生", None, 20),
        ("宋玉梅", "离退休", 390_000, 1_950),
    ]
    ids = {}
    for name, cat, base, _ in rows:
        m = add_member(ledger, name, category=cat)
        ids[name] = m.id
        if base is not None:
            S.set_setting(ledger, DuesSetting(m.id, 2024, base_fen=base))
        S.record_payment(ledger, m.id, 2024, range(1, 7), _ or 20, dt.date(2024, 6, 30))
    y = S.dues_report(ledger, 2024)
    assert [(m.name, m.monthly_due_fen) for m in y.members] == [(r[0], r[3]) for r in rows]
    assert all(m.unpaid_months == list(range(7, 13)) for m in y.members)
    assert y.totals.paid_fen == 6 * sum(r[3] for r in rows)


def _run_cli(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
    )


def test_cli_dues_json_and_text(tmp_path):
    from ledger_app.services.ledger import Ledger

    db = tmp_path / "t.db"
    lg = Ledger.open(db, today=dt.date(2026, 1, 15))
    m = add_member(lg, "张三")
    S.set_setting(lg, DuesSetting(m.id, 2025, base_fen=450_000))
    S.record_payment(lg, m.id, 2025, range(1, 12), 4500, dt.date(2025, 11, 30))
    lg.close()
    r = _run_cli("--db", str(db), "dues", "--year", "2025", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {
        "year": 2025,
        "members": [
            {
                "name": "张三",
                "category": "在职",
                "base_fen": 450000,
                "rate_permille": 10,
                "monthly_due_fen": 4500,
                "due_fen": 54000,
                "paid_fen": 49500,
                "unpaid_months": [12],
            }
        ],
        "totals": {"due_fen": 54000, "paid_fen": 49500},
    }
    r = _run_cli("--db", str(db), "dues", "--year", "2025")
    assert r.returncode == 0, r.stderr
    assert "2025年党费收缴情况" in r.stdout and "12月" in r.stdout
    r = _run_cli("--db", str(db), "dues")
    assert r.returncode == 2


def test_months_not_yet_come_are_not_unpaid(ledger):
    """Today is 2026-01-15: January is still being collected, so nothing in 2026 is unpaid
    yet; February on is 未到期."""
    a, *_ = _setup(ledger)
    S.set_setting(ledger, DuesSetting(a.id, 2026, base_fen=450_000))
    S.record_payment(ledger, a.id, 2026, [3], 4500, dt.date(2026, 1, 10), "预交")
    md = S.dues_report(ledger, 2026).member(a.id)
    assert md.unpaid_months == [] and md.due_fen == 54_000
    assert md.month_state(1) == D.MONTH_COLLECTING  # 待缴: one word for the month under way
    assert md.month_state(2) == D.MONTH_NOT_DUE and md.month_state(3) == D.MONTH_PAID
    assert (md.short_fen, md.collecting_fen, md.pending_fen) == (0, 4500, 10 * 4500)
    y = S.dues_report(ledger, 2026)
    t = y.totals
    assert t.paid_fen == t.due_fen - t.short_fen - t.collecting_fen - t.pending_fen + t.extra_fen
    # a future year has no month under way: all of it is 未到期
    future = S.dues_report(Ledger(ledger.db, today=dt.date(2025, 12, 6)), 2026).member(a.id)
    assert future.current_month == 0 and future.month_state(1) == D.MONTH_NOT_DUE
    assert future.open_months == []
    assert D.due_through(2026, dt.date(2026, 1, 15)) == 0
    assert D.due_through(2026, dt.date(2026, 2, 1)) == 1
    assert D.due_through(2027, dt.date(2026, 1, 15)) == 0
    assert D.due_through(2025, dt.date(2026, 1, 15)) == 12


def test_sample_workbook_dues_after_import(ledger):
    from conftest import SAMPLE

    from ledger_app.services.importer import import_workbook

    import_workbook(ledger, SAMPLE)
    y = S.dues_report(ledger, 2024)
    got = {m.name: (m.base_fen, m.rate_permille, m.monthly_due_fen) for m in y.members}
    assert got["马骏"] == (290_000, 5, 1450)
    assert got["罗强"] == (1_180_000, 20, 23600)
    assert got["高淑珍"] == (520_000, 10, 5200)
    assert got["梁宇"] == (None, None, 20)
    assert all(m.unpaid_months == list(range(7, 13)) for m in y.members)
    assert all(m.paid_fen == 6 * m.monthly_due_fen for m in y.members)
    assert y.totals.due_fen == 2 * y.totals.paid_fen == 603_840


def test_the_month_under_way_can_be_collected_for_all(ledger):
    """Today is 2026-01-15: January is 待缴, not arrears, and 本月全部已缴 collects it."""
    a, *_ = _setup(ledger)
    S.set_setting(ledger, DuesSetting(a.id, 2026, base_fen=450_000))
    md = S.dues_report(ledger, 2026).member(a.id)
    assert md.unpaid_months == [] and md.open_months == [1]
    plan, _ = S.collection_plan(S.dues_report(ledger, 2026), 1)
    assert a.id in [m.member_id for m in plan]
    S.mark_month_paid_for_all(ledger, 2026, 1, dt.date(2026, 1, 15))
    md = S.dues_report(ledger, 2026).member(a.id)
    assert md.paid_by_month[1] == 4500 and md.open_months == []
