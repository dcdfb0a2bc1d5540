"""The period model (domain/period.py, services/period.py): each figure of issue 14's list
computed once, with one meaning — the outputs render these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from branches import TODAY, build_mixed_branch

from ledger_app.domain import dues as D
from ledger_app.services import period
from ledger_app.services.ledger import Ledger

AFTER = dt.date(2026, 1, 15)  # all of 2025 has ended


@pytest.fixture
def mid_year():
    lg = Ledger.open(None, today=TODAY)
    build_mixed_branch(lg)
    yield lg
    lg.close()


@pytest.fixture
def year_over():
    lg = Ledger.open(None, today=AFTER)
    build_mixed_branch(lg)
    yield lg
    lg.close()


def line_of(model, name):
    return next(x for x in model.dues.lines if x.member.name == name)


def test_dues_figures_have_one_meaning_each(mid_year):
    """4,000 元 base, paid January–March, seen on 2025-06-15: 应缴合计 (the year) 480.00,
    截至5月应缴 200.00, 实缴 120.00, 欠缴 80.00 (April, May), 待缴 40.00 (June), 未到期
    240.00 — one name for each, never a bare 应缴 that means two things."""
    model = period.load(mid_year, 2025)
    t = line_of(model, "李明").totals
    assert (t.due_year, t.due_ended, t.paid, t.arrears) == (48_000, 20_000, 12_000, 8_000)
    assert (t.collecting, t.pending, t.due) == (4_000, 24_000, 48_000)
    assert line_of(model, "李明").unpaid == [4, 5]
    assert model.dues.through_label == "截至5月"
    # the contract's dues --json due_fen is the year's due, the same as 应缴合计
    md = model.dues_year.member(line_of(model, "李明").member.id)
    assert md.due_fen == t.due_year and md.paid_fen == t.paid
    # the totals reconcile: 实缴 = 本期应缴 − 欠缴 − 待缴 − 未到期 + 多交
    total = model.dues.total
    assert total.paid == total.due - total.arrears - total.collecting - total.pending + total.extra
    got = total.due_ended - total.arrears
    assert total.rate_permille == (got * 2000 + total.due_ended) // (2 * total.due_ended)
    assert 0 < total.rate_permille < 1000


def test_the_month_under_way_is_one_word_everywhere(mid_year):
    """June on 2025-06-15 is 待缴 in the grid's state, the totals and the payment dialog's
    wording; July on is 未到期; a payment of August–December on 12-06 is 补交 8–11 and 本月."""
    model = period.load(mid_year, 2025)
    md = line_of(model, "李明").md
    assert md.month_state(6) == D.MONTH_COLLECTING == "待缴"
    assert md.month_state(7) == D.MONTH_NOT_DUE == "未到期"
    assert md.month_totals(6).collecting_fen == 4_000 and md.month_totals(6).pending_fen == 0
    assert (
        D.describe_payment(2026, range(8, 13), dt.date(2026, 12, 6)) == "补交8–11月，本月（12月）"
    )
    assert D.describe_payment(2026, [11, 12], dt.date(2026, 10, 6)) == "预交11–12月"
    kinds = D.payment_kinds(2026, [9, 10, 11], dt.date(2026, 10, 6))
    assert kinds == {"补交": [9], "本月": [10], "预交": [11]}


def test_member_counts_are_labelled_by_what_they_count(year_over):
    """在册 on the period's end vs 期内党员 (belonged during it): 赵强 left in September."""
    model = period.load(year_over, 2025)
    r = model.roster
    assert len(r.in_period) == 13 and len(r.on_roll) == 12
    assert "赵强" in {m.name for m in r.left} and "孙丽" in {m.name for m in r.joined}
    assert "吴敏" in {m.name for m in r.joined}  # transferred in during the year
    assert r.category_count("在职") == sum(1 for m in r.on_roll if m.category == "在职") == 8
    # the dues are about the 期内党员: one line each
    assert len(model.dues.lines) == len(r.in_period)
    assert model.dues.total.members == 13


def test_the_committee_is_listed_by_post(year_over):
    model = period.load(year_over, 2025)
    assert [m.name for m in model.roster.committee] == ["周建国", "李明", "王芳"]
    assert model.roster.secretary == "周建国"


def test_volunteer_average_to_one_decimal(year_over):
    """81 hours by 12 members: 6.75 → 6.8 (half up), the same in every output."""
    v = period.load(year_over, 2025).volunteer
    assert (v.half_hours, v.people, v.count) == (162, 12, 12)
    assert v.average_hours == Decimal("6.8")


def test_talk_coverage_is_judged_and_listed_like_any_item(year_over):
    """The board marks 谈心谈话 missing: 在册 12 need a talk, 4 had one; the 问题清单 lists
    it and 应判断/达标 count it."""
    model = period.load(year_over, 2025)
    cell = model.talk_gap
    assert cell is not None and (cell.held, cell.required) == (4, 12)
    assert cell.required == len(model.roster.on_roll)
    keys = [p.key for p in model.problems]
    assert "gap:谈心谈话:2025" in keys
    talk = [c for row, c in model.compliance.cells if row.item == "谈心谈话"]
    assert talk == [cell]
    assert model.gap_count == len(model.check.gaps) + 1
    assert model.compliance.judged == model.compliance.met + sum(
        1 for _, c in model.compliance.cells if c.status == "missing"
    )


def test_alerts_reach_back_into_the_previous_quarter(year_over):
    """罗平 missed June–September and paid nothing from June: the third quarter's check
    shows both runs from June (the contract's rule); 何静 came back in December."""
    q3 = period.load(year_over, 2025, 3).check.to_json()["member_alerts"]
    assert {
        "name": "罗平",
        "kind": "未参加组织生活",
        "months": 4,
        "from": "2025-06",
        "to": "2025-09",
    } in q3
    assert {
        "name": "罗平",
        "kind": "未交党费",
        "months": 4,
        "from": "2025-06",
        "to": "2025-09",
    } in q3
    year = period.load(year_over, 2025).check
    he = next(a for a in year.member_alerts if a.name == "何静")
    assert (he.start.key, he.end.key, he.months) == ("2025-08", "2025-11", 4)
    assert he.state_label == "2025年12月已恢复参加"


def test_alerts_reach_back_into_earlier_years_but_not_before_the_ledger(year_over):
    """In 2026 the first quarter's dues run of 罗平 goes back to June 2025 — the ledger
    holds 2025 — and no further: the ledger starts in January 2025."""
    lg = Ledger(year_over.db, today=dt.date(2026, 4, 2))
    q1 = period.load(lg, 2026, 1).check.to_json()["member_alerts"]
    luo = [a for a in q1 if a["name"] == "罗平" and a["kind"] == "未交党费"]
    assert luo == [
        {"name": "罗平", "kind": "未交党费", "months": 10, "from": "2025-06", "to": "2026-03"}
    ]
    feng = [a for a in q1 if a["name"] == "冯军" and a["kind"] == "未交党费"]
    assert feng[0]["from"] == "2025-01"  # never paid: back to the ledger's first month


def test_one_snapshot_shared_until_the_ledger_changes(year_over):
    a = period.load(year_over, 2025)
    assert period.load(year_over, 2025) is a
    from ledger_app.domain.models import Payment

    with year_over.repo.atomic():
        year_over.repo.add_payment(Payment(None, line_of(a, "冯军").member.id, 2025, 1, 100))
    b = period.load(year_over, 2025)
    assert b is not a and line_of(b, "冯军").totals.paid == 100


def test_member_life_counts_each_members_organisational_life(year_over):
    model = period.load(year_over, 2025)
    life = {x.member.name: x for x in model.attendance.members}
    he = life["何静"]
    assert he.expected == he.present + he.leave + he.absent
    assert he.longest is not None and he.longest[0] == 4
    assert he.longest_label == "4 个月（2025年8月至2025年11月）"
    total = model.attendance.total
    assert total.expected == sum(x.expected for x in life.values())
    assert total.absent == sum(x.absent for x in life.values())
