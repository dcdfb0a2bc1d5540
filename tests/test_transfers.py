"""组织关系转接 and 流动党员: the roster's status history comes from the transfers, the two
stay consistent both ways, and a 回执 not back in time is a reminder."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member

from ledger_app.domain import transfers as T
from ledger_app.domain.models import Member
from ledger_app.errors import UserError
from ledger_app.services import period, roster
from ledger_app.services import transfers as S


def reminders(ledger, day: dt.date) -> list[tuple[str, str]]:
    ledger._today = day
    model = period.load(ledger, day.year)
    return [(r.level, r.text) for r in model.reminders if r.source == "组织关系"]


@pytest.fixture
def wang(ledger):
    ledger._today = dt.date(2025, 3, 1)
    return add_member(ledger, "王五", category="学生")


def out(ledger, member, day, **kw) -> None:
    S.record_out(
        ledger,
        T.Transfer(
            None,
            "转出",
            member.id,
            day,
            kw.pop("letter", "No.12"),
            kw.pop("org", "区财政局党支部"),
            **kw,
        ),
    )


def test_transfer_out_sets_the_roster_status_with_its_history(ledger, wang):
    out(ledger, wang, dt.date(2025, 2, 10))
    m = ledger.repo.member(wang.id)
    assert (m.status, m.status_date) == ("转出", dt.date(2025, 2, 10))
    history = ledger.repo.status_history(wang.id)
    assert [(h.status, h.date) for h in history][-1] == ("转出", dt.date(2025, 2, 10))
    assert history[-1].note == "组织关系转出，转往区财政局党支部，介绍信 No.12"
    assert not m.belongs_on(dt.date(2025, 2, 10)) and m.belongs_on(dt.date(2025, 2, 9))
    with pytest.raises(UserError, match="已于2025-02-10转出，不在册"):
        out(ledger, wang, dt.date(2025, 2, 20))


def test_the_receipt_is_overdue_after_the_days_set(ledger, wang):
    out(ledger, wang, dt.date(2025, 2, 10))
    assert reminders(ledger, dt.date(2025, 3, 12)) == []  # 30 days: not yet
    assert reminders(ledger, dt.date(2025, 3, 13)) == [
        (
            "missing",
            "王五的组织关系转出回执逾期 1 天未返回（2025-02-10转往区财政局党支部，介绍信 No.12）",
        )
    ]
    S.set_receipt_days(ledger, 60)
    assert reminders(ledger, dt.date(2025, 3, 13)) == []
    assert reminders(ledger, dt.date(2025, 4, 12))[0][1].startswith(
        "王五的组织关系转出回执逾期 1 天"
    )
    t = S.transfers(ledger)[0]
    assert S.receipt_overdue(ledger, t) == "逾期 1 天"
    S.update_transfer(
        ledger,
        T.Transfer(t.id, "转出", t.member_id, t.date, t.letter_no, t.org, dt.date(2025, 4, 1)),
    )
    assert reminders(ledger, dt.date(2025, 4, 12)) == []
    assert S.receipt_overdue(ledger, S.transfers(ledger)[0]) == "已返回 2025-04-01"
    with pytest.raises(UserError, match="回执期限"):
        S.set_receipt_days(ledger, 0)
    # a year later the transfer is history: no reminder even without a 回执
    out(ledger, add_member(ledger, "赵六", category="学生"), dt.date(2025, 4, 2))
    assert reminders(ledger, dt.date(2026, 4, 3)) == []


def test_transfer_in_creates_the_member_with_the_transfer_in_date(ledger, wang):
    new = Member(None, "郑新来", join_date=dt.date(2010, 5, 1), category="学生")
    t = T.Transfer(None, "转入", 0, dt.date(2025, 2, 20), "No.34", "市一中党支部")
    S.record_in(ledger, t, new, group_name="第一党小组")
    m = ledger.repo.members()[-1]
    assert (m.name, m.transfer_in_date, m.group_name) == (
        "郑新来",
        dt.date(2025, 2, 20),
        "第一党小组",
    )
    assert m.start_date == dt.date(2025, 2, 20)
    assert S.transfers(ledger)[0].member_name == "郑新来"
    assert reminders(ledger, dt.date(2025, 3, 23))[0][1] == (
        "郑新来转入已 31 天，回执尚未寄回原党组织，介绍信 No.34"
    )
    with pytest.raises(UserError, match="已登记过组织关系转入"):
        S.record_in(ledger, t, m)


def test_a_member_typed_in_by_hand_gets_the_transfer(ledger, wang):
    m = add_member(ledger, "董佳欣", category="学生", transfer_in_date=dt.date(2025, 1, 5))
    assert "尚未登记组织关系转入" in reminders(ledger, dt.date(2025, 3, 1))[0][1]
    S.record_in(
        ledger,
        T.Transfer(None, "转入", 0, dt.date(2025, 1, 5), receipt_date=dt.date(2025, 1, 6)),
        m,
    )
    assert ledger.repo.member_count() == 2
    assert reminders(ledger, dt.date(2025, 3, 1)) == []


def test_dates_follow_each_other_both_ways(ledger, wang):
    out(ledger, wang, dt.date(2025, 2, 10))
    t = S.transfers(ledger)[0]
    # the transfer's date changed: the roster's 状态变更日期 follows (history appended)
    S.update_transfer(
        ledger, T.Transfer(t.id, "转出", t.member_id, dt.date(2025, 2, 12), t.letter_no, t.org)
    )
    assert ledger.repo.member(wang.id).status_date == dt.date(2025, 2, 12)
    assert len(ledger.repo.status_history(wang.id)) == 3
    # the roster's date changed by hand: the transfer follows
    roster.change_status(ledger, wang.id, "转出", dt.date(2025, 2, 14))
    assert S.transfers(ledger)[0].date == dt.date(2025, 2, 14)
    m = add_member(ledger, "郑新来", category="学生")
    S.record_in(ledger, T.Transfer(None, "转入", 0, dt.date(2025, 2, 20)), m)
    m = ledger.repo.member(m.id)
    m.transfer_in_date = dt.date(2025, 2, 21)
    roster.save_member(ledger, m)
    assert [t.date for t in S.transfers(ledger) if t.direction == "转入"] == [dt.date(2025, 2, 21)]
    assert [r for r in reminders(ledger, dt.date(2025, 3, 1)) if "不一致" in r[1]] == []


def test_status_set_by_hand_is_a_reminder_until_the_transfer_is_recorded(ledger, wang):
    roster.change_status(ledger, wang.id, "转出", dt.date(2025, 2, 10))
    assert reminders(ledger, dt.date(2025, 3, 1)) == [
        ("warn", "名册中王五已于2025-02-10转出，尚未登记组织关系转出（介绍信编号、转往党组织）")
    ]
    out(ledger, wang, dt.date(2025, 2, 10))  # the same day: the status is left as it is
    assert len(ledger.repo.status_history(wang.id)) == 2
    assert [r for r in reminders(ledger, dt.date(2025, 3, 1)) if r[0] == "warn"] == []
    # corrected back to 在册 by hand while the transfer stays: the two disagree, said so
    roster.change_status(ledger, wang.id, "在册", None)
    assert "与名册状态“在册”不一致" in reminders(ledger, dt.date(2025, 3, 1))[-1][1]


def test_deleting_a_transfer_out_restores_the_member(ledger, wang):
    out(ledger, wang, dt.date(2025, 2, 10))
    S.delete_transfer(ledger, S.transfers(ledger)[0].id, restore=True)
    m = ledger.repo.member(wang.id)
    assert m.status == "在册" and S.transfers(ledger) == []
    history = ledger.repo.status_history(wang.id)
    assert [h.status for h in history] == ["在册", "转出", "在册"]
    assert history[-1].note == "撤销组织关系转出登记"


def test_transfer_checks(ledger, wang):
    with pytest.raises(UserError, match="晚于今天"):
        out(ledger, wang, dt.date(2025, 3, 2))
    with pytest.raises(UserError, match="回执日期：早于转接日期"):
        out(ledger, wang, dt.date(2025, 2, 10), receipt_date=dt.date(2025, 2, 1))
    with pytest.raises(UserError, match="才入党或转入本支部"):
        out(ledger, wang, dt.date(1999, 2, 10))
    assert S.transfers(ledger) == [] and ledger.repo.member(wang.id).status == "在册"


def test_flows_say_where_and_how_to_reach(ledger, wang):
    f = T.Flow(None, wang.id, dt.date(2025, 1, 1), None, "", "电话 13800001234")
    with pytest.raises(UserError, match="外出地点：请填写流动党员现在在哪里"):
        S.save_flow(ledger, f)
    f.place = "深圳市南山区"
    S.save_flow(ledger, f)
    saved = S.flows(ledger)[0]
    assert (saved.member_name, saved.place, saved.away_on(dt.date(2025, 2, 1))) == (
        "王五",
        "深圳市南山区",
        True,
    )
    saved.end_date = dt.date(2024, 12, 1)
    with pytest.raises(UserError, match="返回日期：早于外出日期"):
        S.save_flow(ledger, saved)
    S.delete_flow(ledger, saved.id)
    assert S.flows(ledger) == []
