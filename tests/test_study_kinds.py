"""学习教育 and the rules a branch adds (issue 18): 集中学习, 交流研讨 and kinds of the
branch's own, each with its own rule on the 工作台 and in ``check``; the contract's JSON
for the seven items is untouched."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_app.domain.kinds import new_item_problem
from ledger_app.domain.models import DEFAULT_RULES, Attendance, Record
from ledger_app.errors import UserError
from ledger_app.services import minutes
from ledger_app.services import records as rec_svc
from ledger_app.services.period import load
from tests.conftest import add_member


def _study(ledger, kind: str, day: dt.date, member_id: int) -> int:
    r = rec_svc.new_record(
        ledger, kind, day, topic="学习党章", host="甲", recorder="甲", content="集中学习党章"
    )
    r.attendance = [Attendance(member_id, "出席")]
    rec_svc.save_record(ledger, r)
    return r.id  # type: ignore[return-value]


def test_no_added_rule_leaves_check_as_the_contract_has_it(ledger):
    m = add_member(ledger, "甲", category="学生")
    before = load(ledger, 2025).check.to_json()
    _study(ledger, "集中学习", dt.date(2025, 3, 3), m.id)
    after = load(ledger, 2025).check.to_json()
    assert after["gaps"] == before["gaps"]  # a 集中学习 without a rule asks nothing


def test_an_added_rule_is_judged_on_the_board_and_in_check_under_its_own_name(ledger):
    m = add_member(ledger, "甲", category="学生")
    minutes.add_rule(ledger, "集中学习", "month", 1)
    minutes.add_rule(ledger, "交流研讨", "quarter", 1)
    for month in range(1, 13):
        if month != 5:
            _study(ledger, "集中学习", dt.date(2025, month, 10), m.id)
    _study(ledger, "交流研讨", dt.date(2025, 2, 10), m.id)
    model = load(ledger, 2025)
    gaps = [g.to_json() for g in model.check.gaps if g.item in ("集中学习", "交流研讨")]
    assert gaps == [
        {"item": "集中学习", "period": "2025-05", "required": 1, "held": 0},
        {"item": "交流研讨", "period": "2025-Q2", "required": 1, "held": 0},
        {"item": "交流研讨", "period": "2025-Q3", "required": 1, "held": 0},
        {"item": "交流研讨", "period": "2025-Q4", "required": 1, "held": 0},
    ]
    items = [g.item for g in model.check.gaps]
    assert items[-4:] == ["集中学习", "交流研讨", "交流研讨", "交流研讨"]  # after the seven
    row = model.board.row("集中学习")
    assert [c.status for c in row.cells][3:6] == ["held", "missing", "held"]
    assert any(p.key == "gap:集中学习:2025-05" for p in model.problems)


def test_a_branch_adds_a_kind_of_its_own_and_may_remove_it_until_it_is_used(ledger):
    m = add_member(ledger, "甲")
    minutes.add_rule(ledger, "读书班", "quarter", 1)
    assert "读书班" in minutes.record_kinds(ledger)
    assert "读书班" in minutes.other_kinds(ledger)
    assert rec_svc.page_of("读书班") == "other"
    rid = _study(ledger, "读书班", dt.date(2025, 2, 1), m.id)
    rec = ledger.repo.record(rid)
    assert rec is not None and rec.kind == "读书班"
    assert load(ledger, 2025).board.row("读书班").cells[0].status == "held"
    with pytest.raises(UserError, match="已登记了 1 条"):
        minutes.remove_rule(ledger, "读书班")
    rec_svc.delete_record(ledger, rid)
    minutes.remove_rule(ledger, "读书班")
    assert "读书班" not in minutes.record_kinds(ledger)
    with pytest.raises(UserError, match="不是可登记的类型"):
        rec_svc.new_record(ledger, "读书班")


def test_the_contract_items_can_be_changed_not_removed(ledger):
    with pytest.raises(UserError, match="固定的检查项目"):
        minutes.remove_rule(ledger, "支委会")
    minutes.add_rule(ledger, "集中学习", "month", 2)
    minutes.remove_rule(ledger, "集中学习")  # a built-in kind: its records keep their kind
    assert [r.item for r in ledger.repo.rules()] == [r.item for r in DEFAULT_RULES]


@pytest.mark.parametrize(
    "name, problem",
    [
        ("", "请填写"),
        ("支委会", "已有"),
        ("谈心谈话", "全年覆盖"),
        ("主题党日", "已有"),
        ("读书、学习", "标点"),
        ("很长很长很长很长很长很长的名字", "不超过"),
    ],
)
def test_a_new_item_needs_a_usable_name(name, problem):
    assert problem in (new_item_problem(name, DEFAULT_RULES) or "")


def test_adding_a_rule_checks_period_and_number(ledger):
    with pytest.raises(UserError, match="周期"):
        minutes.add_rule(ledger, "集中学习", "week", 1)
    with pytest.raises(UserError, match="0–31"):
        minutes.add_rule(ledger, "集中学习", "month", 40)


def test_new_kinds_are_checked_like_other_organisational_life(ledger):
    with ledger.repo.atomic():
        ledger.repo.add_record(Record(None, "集中学习", dt.date(2025, 3, 3)))
    [inc] = load(ledger, 2025).check.incomplete_records
    assert (inc.item, inc.missing) == (
        "集中学习",
        ["主题", "主持人", "记录人", "主要内容", "出席人员"],
    )
