"""The compliance rules behind ``check``, the 工作台 and the PDF: planted gaps of every kind,
member alerts with their boundaries, incomplete records, the board and 谈心谈话 coverage."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_app.domain import compliance as C
from ledger_app.domain.attendance import expected_members
from ledger_app.domain.dates import Period
from ledger_app.domain.models import (
    DEFAULT_RULES,
    Attendance,
    FrequencyRule,
    Group,
    Member,
    Record,
)

D = dt.date
YEAR = 2025
AFTER = D(2026, 1, 15)  # all of 2025 has ended
G1, G2, G3 = Group(1, "第一党小组", 1), Group(2, "第二党小组", 2), Group(3, "第三党小组", 3)
GROUPS = [G1, G2, G3]


def member(mid, name, group=None, post=None, join=D(2000, 7, 1), transfer_in=None, left=None):
    return Member(
        id=mid,
        name=name,
        join_date=join,
        transfer_in_date=transfer_in,
        group_id=group.id if group else None,
        group_name=group.name if group else None,
        post=post,
        status="转出" if left else "在册",
        status_date=left,
    )


def roster():
    """Committee of two in group 1, one plain member in group 1, two in group 2; group 3
    has nobody."""
    return [
        member(1, "林海", G1, "书记"),
        member(2, "黄晓丽", G1, "组织委员"),
        member(3, "张三", G1),
        member(4, "李四", G2),
        member(5, "王五", G2),
    ]


_ids = iter(range(1000, 10**6))


def rec(kind, day, members=(), group=None, present=None, leave=(), absent=(), **kw):
    """A complete record; ``present`` defaults to everyone expected on the day."""
    r = Record(
        id=next(_ids),
        kind=kind,
        date=day,
        group_id=group.id if group else None,
        group_name=group.name if group else None,
        topic="议题",
        host="林海",
        recorder="黄晓丽",
        lecturer="林海" if kind == "党课" else None,
        organizer="黄晓丽" if kind == "主题党日" else None,
        content="内容",
        created_at=dt.datetime.combine(day, dt.time(20)),
    )
    for k, v in kw.items():
        setattr(r, k, v)
    leave_ids = {m.id for m in leave}
    absent_ids = {m.id for m in absent}
    if present is None:
        present = [m for m in expected_members(r, members) if m.id not in leave_ids | absent_ids]
    r.attendance = (
        [Attendance(m.id, "出席", None, m.name) for m in present]
        + [Attendance(m.id, "请假", "病假", m.name) for m in leave]
        + [Attendance(m.id, "缺席", None, m.name) for m in absent]
    )
    return r


def full_year(members, groups=GROUPS, year=YEAR, skip=(), until=None, away=None):
    """Every required meeting of ``year``, everyone expected present, except:
    ``skip``: {(item, period key)} (党小组会 as "党小组会:<group>") not held;
    ``until``: nothing after that day; ``away``: {member id: set of months} the member
    is left out of every attendance list (the implied 缺席)."""
    away = away or {}
    out = []

    def add(item, day, key, **kw):
        if (item, key) in skip or (until and day > until):
            return
        r = rec(item.split(":")[0], day, members, **kw)
        gone = {mid for mid, months in away.items() if day.month in months}
        r.attendance = [a for a in r.attendance if a.member_id not in gone]
        if not r.attendance and item.startswith("党小组会"):
            return  # nobody in the group on that day
        out.append(r)

    for month in range(1, 13):
        key = f"{year}-{month:02d}"
        add("支委会", D(year, month, 5), key)
        for g in groups:
            add(f"党小组会:{g.name}", D(year, month, 8), key, group=g)
        add("主题党日", D(year, month, 15), key)
    for q in range(1, 5):
        add("支部党员大会", D(year, 3 * q - 2, 20), f"{year}-Q{q}")
        add("党课", D(year, 3 * q - 1, 20), f"{year}-Q{q}")
    add("组织生活会", D(year, 12, 10), str(year))
    add("民主评议党员", D(year, 12, 11), str(year))
    return out


def all_paid(members, year=YEAR, unpaid=None):
    """Every month paid by everyone, except ``unpaid``: {member id: months}."""
    unpaid = unpaid or {}
    return {
        m.id: {mo: 1000 for mo in range(1, 13) if mo not in unpaid.get(m.id, ())} for m in members
    }


def run(
    members,
    records,
    *,
    period=None,
    today=AFTER,
    founded=None,
    paid=None,
    rules=DEFAULT_RULES,
    groups=GROUPS,
):
    period = period or Period.whole_year(YEAR)
    paid = all_paid(members) if paid is None else paid
    return C.check(
        members, groups, records, rules, unpaid_of(members, paid, period.year, today),
        period, today, founded,
    )  # fmt: skip


def unpaid_of(members, paid, year, today, settings=None):
    """The dues rule's unpaid months (member id → months), as the check takes them."""
    from ledger_app.domain.dues import compute_year

    dy = compute_year(members, settings or {}, paid, year, today=today)
    return {md.member_id: md.unpaid_months for md in dy.members}


def gaps_of(result):
    return result.to_json()["gaps"]


def gap(item, period, held=0, required=1, group=None):
    out = {"item": item}
    if group:
        out["group"] = group
    out.update(period=period, required=required, held=held)
    return out


# --- gaps ----------------------------------------------------------------------------------


def test_a_complete_year_has_nothing_to_report():
    ms = roster()
    result = run(ms, full_year(ms))
    assert result.to_json() == {
        "year": 2025,
        "quarter": None,
        "gaps": [],
        "member_alerts": [],
        "incomplete_records": [],
    }
    assert result.clean


def test_planted_gaps_of_every_item_are_listed_exactly_in_contract_form():
    ms = roster()
    skip = {
        ("支部党员大会", "2025-Q2"),
        ("支委会", "2025-04"),
        ("党小组会:第二党小组", "2025-05"),
        ("党课", "2025-Q3"),
        ("主题党日", "2025-07"),
        ("组织生活会", "2025"),
        ("民主评议党员", "2025"),
    }
    assert run(ms, full_year(ms, skip=skip)).to_json() == {
        "year": 2025,
        "quarter": None,
        "gaps": [
            {"item": "支部党员大会", "period": "2025-Q2", "required": 1, "held": 0},
            {"item": "支委会", "period": "2025-04", "required": 1, "held": 0},
            {
                "item": "党小组会",
                "group": "第二党小组",
                "period": "2025-05",
                "required": 1,
                "held": 0,
            },
            {"item": "党课", "period": "2025-Q3", "required": 1, "held": 0},
            {"item": "主题党日", "period": "2025-07", "required": 1, "held": 0},
            {"item": "组织生活会", "period": "2025", "required": 1, "held": 0},
            {"item": "民主评议党员", "period": "2025", "required": 1, "held": 0},
        ],
        "member_alerts": [],
        "incomplete_records": [],
    }


def test_json_key_order_is_the_contracts():
    ms = roster()
    result = run(
        ms, full_year(ms, skip={("党小组会:第一党小组", "2025-03"), ("支委会", "2025-03")})
    )
    j = result.to_json()
    assert list(j) == ["year", "quarter", "gaps", "member_alerts", "incomplete_records"]
    assert [list(g) for g in j["gaps"]] == [
        ["item", "period", "required", "held"],
        ["item", "group", "period", "required", "held"],
    ]


def test_meeting_marked_as_theme_day_counts_as_that_months_theme_day():
    ms = roster()
    records = full_year(ms, skip={("主题党日", "2025-03"), ("主题党日", "2025-06")})
    # the 一季度 党员大会 on 03-20 was also March's theme day; June's 党课 was not marked
    for r in records:
        if r.kind == "支部党员大会" and r.date.month == 1:
            r.date = D(2025, 3, 20)
            r.also_theme_day = True
    assert gaps_of(run(ms, records)) == [gap("主题党日", "2025-06")]


def test_a_theme_day_does_not_count_as_a_meeting_and_is_not_counted_twice():
    ms = roster()
    records = full_year(ms, skip={("支部党员大会", "2025-Q1")})
    for r in records:
        if r.kind == "主题党日" and r.date.month == 2:
            r.also_theme_day = True  # meaningless on a theme day itself
    records.append(rec("主题党日", D(2025, 2, 25), ms))
    assert gaps_of(run(ms, records)) == [gap("支部党员大会", "2025-Q1")]


def test_more_required_than_held_reports_how_many_were_held():
    ms = roster()
    rules = [FrequencyRule("支委会", "month", 2), FrequencyRule("党课", "month", 0)]
    records = full_year(ms)
    records.append(rec("支委会", D(2025, 6, 25), ms))
    result = run(ms, records, rules=rules)
    # 党课 required 0 times a month: never a gap; 支委会 twice, held twice only in June
    expected = [gap("支委会", f"2025-{m:02d}", held=1, required=2) for m in range(1, 13) if m != 6]
    assert gaps_of(result) == expected


def test_rules_are_data_a_locality_may_require_a_monthly_party_lesson():
    ms = roster()
    rules = [FrequencyRule("党课", "month", 1)]
    result = run(ms, full_year(ms), rules=rules)
    # full_year holds 党课 in months 2, 5, 8, 11 only
    assert [g["period"] for g in gaps_of(result)] == [
        f"2025-{m:02d}" for m in range(1, 13) if m not in (2, 5, 8, 11)
    ]


def test_group_meetings_are_required_only_of_groups_with_members_that_month():
    # 第二党小组: its only member transfers in on 06-20 (had a member in June, so June
    # counts); 第三党小组: its only member leaves on 09-05 (required up to September)
    ms = [
        member(1, "林海", G1, "书记"),
        member(2, "李四", G2, transfer_in=D(2025, 6, 20)),
        member(3, "王五", G3, left=D(2025, 9, 5)),
    ]
    # full_year holds each group's meeting on the 8th only when someone is in the group
    result = run(ms, full_year(ms))
    assert gaps_of(result) == [
        gap("党小组会", "2025-06", group="第二党小组"),
        gap("党小组会", "2025-09", group="第三党小组"),
    ]


def test_an_empty_group_and_no_groups_at_all_require_no_group_meetings():
    ms = [member(1, "林海", None, "书记"), member(2, "张三", None)]
    assert run(ms, full_year(ms, groups=[]), groups=[G1]).clean
    assert run(ms, full_year(ms, groups=[]), groups=[]).clean


def test_a_group_meeting_counts_only_for_its_own_group():
    ms = roster()
    records = full_year(ms, skip={("党小组会:第二党小组", "2025-10")})
    records.append(rec("党小组会", D(2025, 10, 20), ms, group=G1))
    assert gaps_of(run(ms, records)) == [gap("党小组会", "2025-10", group="第二党小组")]


def test_quarter_check_judges_only_that_quarter_and_never_yearly_items():
    ms = roster()
    skip = {
        ("支委会", "2025-11"),
        ("支委会", "2025-02"),
        ("组织生活会", "2025"),
        ("党课", "2025-Q4"),
    }
    records = full_year(ms, skip=skip)
    q4 = run(ms, records, period=Period.quarter(2025, 4))
    assert q4.to_json() == {
        "year": 2025,
        "quarter": 4,
        "gaps": [gap("支委会", "2025-11"), gap("党课", "2025-Q4")],
        "member_alerts": [],
        "incomplete_records": [],
    }
    whole = run(ms, records)
    assert gaps_of(whole) == [
        gap("支委会", "2025-02"),
        gap("支委会", "2025-11"),
        gap("党课", "2025-Q4"),
        gap("组织生活会", "2025"),
    ]


def test_a_period_not_yet_ended_is_not_judged():
    ms = roster()
    today = D(2025, 8, 15)
    records = full_year(ms, until=today, skip={("支委会", "2025-07"), ("支委会", "2025-08")})
    result = run(ms, records, today=today)
    # July ended and lacks its 支委会; August, Q3 (党课 due in August) and the year are open
    assert gaps_of(result) == [gap("支委会", "2025-07")]
    # the last day of a month is still inside it; the next day it is judged
    assert gaps_of(run(ms, records, today=D(2025, 8, 31))) == [gap("支委会", "2025-07")]
    assert gap("支委会", "2025-08") in gaps_of(run(ms, records, today=D(2025, 9, 1)))


def test_a_period_counts_only_if_the_branch_existed_through_it():
    ms = roster()
    founded = D(2025, 5, 10)
    records = [r for r in full_year(ms, skip={("支委会", "2025-07")}) if r.date >= founded]
    result = run(ms, records, founded=founded)
    # January–May, Q1–Q2 and the year 2025 itself are not judged (the branch began on 05-10)
    assert gaps_of(result) == [gap("支委会", "2025-07")]
    # founded on the first day of a period: that period counts
    assert gap("支委会", "2025-05") in gaps_of(run(ms, records, founded=D(2025, 5, 1)))


# --- member alerts: 未参加组织生活 ----------------------------------------------------------


def alerts_of(result):
    return result.to_json()["member_alerts"]


def alert(name, kind, frm, to, months):
    return {"name": name, "kind": kind, "months": months, "from": frm, "to": to}


def test_unexcused_absence_for_four_months_is_one_alert_with_the_run():
    ms = roster()
    records = full_year(ms, away={3: {3, 4, 5, 6}})  # 张三 in no list: implied 缺席
    assert alerts_of(run(ms, records)) == [alert("张三", "未参加组织生活", "2025-03", "2025-06", 4)]


def test_two_months_is_not_yet_an_alert():
    ms = roster()
    assert alerts_of(run(ms, full_year(ms, away={3: {3, 4}}))) == []


def test_only_the_longest_run_is_reported():
    ms = roster()
    records = full_year(ms, away={3: {1, 2, 3, 6, 7, 8, 9}, 4: {2, 3, 4, 8, 9, 10}})
    assert alerts_of(run(ms, records)) == [
        alert("张三", "未参加组织生活", "2025-06", "2025-09", 4),
        alert("李四", "未参加组织生活", "2025-02", "2025-04", 3),  # equal runs: the earliest
    ]


def test_excused_absences_only_raise_no_alert_and_break_a_run():
    ms = roster()
    li = ms[3]
    records = full_year(ms, away={4: {1, 2, 3, 5, 6}})
    for r in records:  # in April 李四 asked for leave (请假) from everything
        if r.date.month == 4:
            r.attendance = [a for a in r.attendance if a.member_id != li.id]
            if li in expected_members(r, ms):
                r.attendance.append(Attendance(li.id, "请假", "公差", li.name))
    assert alerts_of(run(ms, records)) == [alert("李四", "未参加组织生活", "2025-01", "2025-03", 3)]
    # 请假 every month of the year: never an alert
    for r in records:
        r.attendance = [
            Attendance(li.id, "请假", "病假", li.name) if a.member_id == li.id else a
            for a in r.attendance
        ]
        if r.date.month in (1, 2, 3, 5, 6) and li in expected_members(r, ms):
            r.attendance.append(Attendance(li.id, "请假", "病假", li.name))
    assert alerts_of(run(ms, records)) == []


def test_attending_one_event_of_a_month_is_enough():
    ms = roster()
    records = full_year(ms, away={3: {3, 4, 5, 6}})
    # in May 张三 came to the theme day though absent from the rest
    for r in records:
        if r.kind == "主题党日" and r.date.month == 5:
            r.attendance.append(Attendance(3, "出席", None, "张三"))
    assert alerts_of(run(ms, records)) == []


def test_a_month_with_nothing_expected_neither_breaks_nor_extends_a_run():
    ms = roster()
    # no event at all in April (and so gaps), 张三 absent in March, May and June
    skip = {("支委会", "2025-04"), ("主题党日", "2025-04"), ("支部党员大会", "2025-Q2")}
    skip |= {(f"党小组会:{g.name}", "2025-04") for g in GROUPS}
    records = full_year(ms, skip=skip, away={3: {3, 5, 6}})
    assert alerts_of(run(ms, records)) == [alert("张三", "未参加组织生活", "2025-03", "2025-06", 3)]
    # only two bad months around the empty one: no alert
    records = full_year(ms, skip=skip, away={3: {3, 5}})
    assert alerts_of(run(ms, records)) == []


def test_months_a_member_was_expected_nowhere_do_not_count_committee_only_events():
    # 张三 is in no group; in March–May the only events were 支委会 (not his to attend)
    ms = [member(1, "林海", None, "书记"), member(3, "张三", None)]
    records = [rec("支委会", D(2025, m, 5), ms) for m in range(1, 13)]
    records += [rec("主题党日", D(2025, m, 15), ms, present=[ms[0]]) for m in (1, 2, 6, 7)]
    result = run(ms, records, rules=[])
    assert alerts_of(result) == [alert("张三", "未参加组织生活", "2025-01", "2025-07", 4)]


def test_members_who_join_or_leave_are_judged_only_while_they_belong():
    ms = [
        member(1, "林海", G1, "书记"),
        member(2, "新人", G1, transfer_in=D(2025, 10, 10)),
        member(3, "老人", G1, left=D(2025, 3, 10)),
    ]
    # neither ever attends: 新人 belongs Oct 10–Dec (3 months), 老人 Jan–Mar 9 (3 months)
    records = full_year(ms, away={2: set(range(1, 13)), 3: set(range(1, 13))})
    assert alerts_of(run(ms, records)) == [
        alert("新人", "未参加组织生活", "2025-10", "2025-12", 3),
        alert("老人", "未参加组织生活", "2025-01", "2025-03", 3),
    ]
    # with 老人 leaving on 03-01 March is not his: two months only
    ms[2] = member(3, "老人", G1, left=D(2025, 3, 1))
    assert [a["name"] for a in alerts_of(run(ms, records))] == ["新人"]


def test_alert_months_not_yet_ended_do_not_count():
    ms = roster()
    today = D(2025, 6, 20)
    records = full_year(ms, until=today, away={3: {3, 4, 5, 6}})
    assert alerts_of(run(ms, records, today=today)) == [
        alert("张三", "未参加组织生活", "2025-03", "2025-05", 3)
    ]


def test_a_quarter_counts_a_run_back_across_its_start():
    """The contract's rule: a run ending in the quarter that reaches its first month is
    counted back into earlier quarters — inspectors read the previous quarter's ledger."""
    ms = roster()
    records = full_year(ms, away={3: {2, 3, 4, 5}})
    assert alerts_of(run(ms, records, period=Period.quarter(2025, 2))) == [
        alert("张三", "未参加组织生活", "2025-02", "2025-05", 4)
    ]
    assert alerts_of(run(ms, records, period=Period.quarter(2025, 1))) == []  # Feb–Mar: 2
    records = full_year(ms, away={3: {8, 9, 10, 11}})  # Aug–Nov: both Q3 and Q4 show it
    assert alerts_of(run(ms, records, period=Period.quarter(2025, 4))) == [
        alert("张三", "未参加组织生活", "2025-08", "2025-11", 4)
    ]
    assert alerts_of(run(ms, records, period=Period.quarter(2025, 3))) == []  # Aug–Sep: 2
    records = full_year(ms, away={3: {4, 5, 6}})
    assert alerts_of(run(ms, records, period=Period.quarter(2025, 2))) == [
        alert("张三", "未参加组织生活", "2025-04", "2025-06", 3)
    ]


def test_the_contract_example_unpaid_june_to_september_in_q3():
    ms = roster()
    paid = all_paid(ms, unpaid={4: {6, 7, 8, 9}})
    result = run(ms, full_year(ms), period=Period.quarter(2025, 3), paid=paid)
    assert alerts_of(result) == [alert("李四", "未交党费", "2025-06", "2025-09", 4)]


def test_a_run_is_counted_back_into_earlier_years_but_not_before_the_ledger():
    ms = roster()
    this_year = full_year(ms, away={3: {1, 2}})
    last_year = full_year(ms, year=2024, away={3: {10, 11, 12}})

    def earlier(y):
        assert y == 2024  # asked only as far back as the run goes
        unpaid = {m.id: [] for m in ms}
        return C.year_flags(ms, last_year, unpaid, y, AFTER)

    unpaid = unpaid_of(ms, all_paid(ms), 2025, AFTER)
    q1 = Period.quarter(2025, 1)
    got = C.check(ms, GROUPS, this_year, DEFAULT_RULES, unpaid, q1, AFTER,
                  earlier=earlier, floor=Period.month(2024, 1))  # fmt: skip
    assert alerts_of(got) == [alert("张三", "未参加组织生活", "2024-10", "2025-02", 5)]
    # the ledger starts in December 2024: nothing is counted before it
    got = C.check(ms, GROUPS, this_year, DEFAULT_RULES, unpaid, q1, AFTER,
                  earlier=earlier, floor=Period.month(2024, 12))  # fmt: skip
    assert alerts_of(got) == [alert("张三", "未参加组织生活", "2024-12", "2025-02", 3)]


def test_a_run_that_ended_is_kept_and_marked_as_ended():
    """Absent August–November, back in December: the year's check keeps the run, and says
    it has ended (已恢复参加); a run still going on says nothing more."""
    ms = roster()
    result = run(ms, full_year(ms, away={3: {8, 9, 10, 11}}))
    (a,) = result.member_alerts
    assert (a.months, a.start.key, a.end.key) == (4, "2025-08", "2025-11")
    assert not a.ongoing and a.resumed == Period.month(2025, 12)
    assert a.state_label == "2025年12月已恢复参加"
    (b,) = run(ms, full_year(ms, away={3: {9, 10, 11, 12}})).member_alerts
    assert b.ongoing and b.state_label == ""


# --- member alerts: 未交党费 ----------------------------------------------------------------


def test_unpaid_dues_runs_and_breaks():
    ms = roster()
    paid = all_paid(ms, unpaid={4: range(6, 13), 5: {1, 2, 4, 5}, 3: {10, 11}})
    result = run(ms, full_year(ms), paid=paid)
    assert alerts_of(result) == [alert("李四", "未交党费", "2025-06", "2025-12", 7)]


def test_dues_are_owed_only_while_a_member_belongs():
    ms = [
        member(1, "林海", G1, "书记"),
        member(2, "新人", G1, join=D(2025, 6, 10)),  # owes from June
        member(3, "老人", G1, left=D(2025, 9, 15)),  # owes to August
    ]
    paid = {1: {m: 100 for m in range(1, 13)}, 2: {}, 3: {m: 100 for m in range(1, 6)}}
    assert alerts_of(run(ms, full_year(ms), paid=paid)) == [
        alert("新人", "未交党费", "2025-06", "2025-12", 7),
        alert("老人", "未交党费", "2025-06", "2025-08", 3),
    ]


def test_a_payment_cancelled_by_a_correction_is_unpaid_and_open_months_do_not_count():
    ms = [member(1, "林海", G1, "书记")]
    paid = {1: {1: 100, 2: 100, 3: 0, 4: 0}}  # 3, 4: entered then corrected to nothing
    today = D(2025, 7, 10)
    records = full_year(ms, until=today)
    # unpaid 3, 4, 5, 6 ended; July is under way
    assert alerts_of(run(ms, records, paid=paid, today=today)) == [
        alert("林海", "未交党费", "2025-03", "2025-06", 4)
    ]


def test_months_with_nothing_due_are_not_unpaid():
    """免交: nothing is due, so no month is unpaid; a due not yet set (unknown) still is."""
    from ledger_app.domain.models import DuesSetting

    ms = [member(1, "林海", G1, "书记")]
    records = full_year(ms)
    year = Period.whole_year(2025)
    exempt = {1: DuesSetting(1, 2025, reduction="免交", reduction_fen=0)}
    unpaid = unpaid_of(ms, {1: {}}, 2025, AFTER, exempt)
    result = C.check(ms, GROUPS, records, DEFAULT_RULES, unpaid, year, AFTER)
    assert alerts_of(result) == []
    unknown = unpaid_of(ms, {1: {}}, 2025, AFTER)
    result = C.check(ms, GROUPS, records, DEFAULT_RULES, unknown, year, AFTER)
    assert alerts_of(result) == [alert("林海", "未交党费", "2025-01", "2025-12", 12)]


def test_alerts_are_listed_by_kind_then_member():
    ms = roster()
    paid = all_paid(ms, unpaid={1: {1, 2, 3}, 3: {5, 6, 7}})
    result = run(ms, full_year(ms, away={4: {1, 2, 3}}), paid=paid)
    assert [(a["kind"], a["name"]) for a in alerts_of(result)] == [
        ("未参加组织生活", "李四"),
        ("未交党费", "林海"),
        ("未交党费", "张三"),
    ]


# --- incomplete records ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "blank", "missing"),
    [
        ("支委会", ("recorder", "content"), ["记录人", "主要内容"]),
        (
            "支部党员大会",
            ("topic", "host", "recorder", "content"),
            ["议题", "主持人", "记录人", "主要内容"],
        ),
        ("党课", ("lecturer",), ["授课人"]),
        ("党课", ("topic", "lecturer", "content"), ["议题", "主要内容", "授课人"]),
        ("支委会", ("lecturer",), []),  # 授课人 is checked only for a 党课
        ("主题党日", ("organizer", "content"), ["组织人", "活动内容"]),
        ("主题党日", ("topic", "host", "recorder"), []),  # 主题 required, the rest unchecked
        (
            "组织生活会",
            ("topic", "host", "recorder", "content"),
            ["主题", "主持人", "记录人", "主要内容"],
        ),
        ("民主评议党员", ("host",), ["主持人"]),
        ("谈心谈话", ("topic", "recorder"), ["主题", "记录人"]),
    ],
)
def test_missing_fields_by_column_name_in_contract_order(kind, blank, missing):
    ms = roster()
    # a 谈心谈话 expects only whom it lists
    present = [ms[2]] if kind == "谈心谈话" else None
    r = rec(kind, D(2025, 5, 12), ms, present=present)
    for attr in blank:
        setattr(r, attr, "  " if attr == "host" else None)  # blank text is empty too
    assert C.missing_fields(r) == missing


def test_no_attendance_at_all_is_missing_出席人员_but_leave_only_is_not():
    ms = roster()
    r = rec("党课", D(2025, 5, 12), ms, present=[], lecturer=None)
    assert C.missing_fields(r) == ["授课人", "出席人员"]
    r = rec("党课", D(2025, 5, 12), ms, present=[], leave=[ms[0]])
    assert C.missing_fields(r) == []


def test_incomplete_records_of_the_period_in_date_order():
    ms = roster()
    records = full_year(ms)
    late = rec("支委会", D(2025, 5, 12), ms, recorder=None, content="")
    early = rec("主题党日", D(2025, 2, 3), ms, present=[], organizer=None)
    before = rec("党课", D(2024, 12, 30), ms, lecturer=None)  # not in 2025
    records += [late, early, before]
    result = run(ms, records)
    assert result.to_json()["incomplete_records"] == [
        {"date": "2025-02-03", "item": "主题党日", "missing": ["组织人", "出席人员"]},
        {"date": "2025-05-12", "item": "支委会", "missing": ["记录人", "主要内容"]},
    ]
    assert [r.record_id for r in result.incomplete_records] == [early.id, late.id]
    # a quarter lists only its own records, ended or not
    q = run(ms, records, period=Period.quarter(2025, 2), today=D(2025, 5, 13))
    assert [r["date"] for r in q.to_json()["incomplete_records"]] == ["2025-05-12"]


def test_late_entry_is_more_than_thirty_days_after_the_date():
    r = Record(id=1, kind="支委会", date=D(2025, 3, 1))
    assert not C.is_late_entry(r)  # unknown entry time
    r.created_at = dt.datetime(2025, 3, 31, 23, 59)
    assert not C.is_late_entry(r)
    r.created_at = dt.datetime(2025, 4, 1, 0, 1)
    assert C.is_late_entry(r)
    assert not C.is_late_entry(r, days=31)


# --- the board --------------------------------------------------------------------------------


def test_board_rows_cells_and_statuses_agree_with_check():
    ms = roster()
    today = D(2025, 8, 15)
    records = full_year(
        ms, until=today, skip={("支委会", "2025-07"), ("支委会", "2025-08"), ("党课", "2025-Q3")}
    )
    b = C.board(ms, GROUPS, records, DEFAULT_RULES, 2025, today)
    assert [r.label for r in b.rows] == [
        "支部党员大会",
        "支委会",
        "党小组会（第一党小组）",
        "党小组会（第二党小组）",
        "党小组会（第三党小组）",
        "党课",
        "主题党日",
        "组织生活会",
        "民主评议党员",
        "谈心谈话",
    ]
    zwh = b.row("支委会")
    assert [c.status for c in zwh.cells] == [C.HELD] * 6 + [C.MISSING, C.NOT_DUE] + [C.NOT_DUE] * 4
    assert zwh.cells[0].held == 1 and zwh.cells[0].required == 1
    assert zwh.cells[0].record_ids == [
        r.id for r in records if r.kind == "支委会" and r.date.month == 1
    ]
    assert zwh.cell_for_month(7).period == Period.month(2025, 7)
    # a theme day already held this month is shown as held, not "not due"
    assert b.row("主题党日").cell_for_month(8).status == C.HELD
    dk = b.row("党课")
    assert [c.status for c in dk.cells] == [C.HELD, C.HELD, C.NOT_DUE, C.NOT_DUE]
    assert dk.cell_for_month(8) is dk.cells[2]
    assert [c.status for c in b.row("党小组会", "第三党小组").cells] == [C.NOT_REQUIRED] * 12
    assert b.row("组织生活会").cells[0].status == C.NOT_DUE
    assert b.row("组织生活会").cell_for_month(3).period == Period.whole_year(2025)
    # every MISSING cell is exactly a gap of check
    missing = [
        (r.item, r.group_name, c.period) for r in b.rows for c in r.cells if c.status == C.MISSING
    ]
    result = run(ms, records, today=today)
    assert missing == [(g.item, g.group, g.period) for g in result.gaps]


def test_this_month_needs_what_the_open_periods_still_lack():
    ms = roster()
    today = D(2025, 8, 15)
    records = full_year(ms, until=D(2025, 8, 7), skip={("支委会", "2025-08")})
    needs = C.this_month_needs(ms, GROUPS, records, DEFAULT_RULES, today)
    assert [(g.label, g.period.key) for g in needs] == [
        ("支委会", "2025-08"),
        ("党小组会（第一党小组）", "2025-08"),
        ("党小组会（第二党小组）", "2025-08"),
        ("主题党日", "2025-08"),
        ("党课", "2025-Q3"),
        ("组织生活会", "2025"),
        ("民主评议党员", "2025"),
    ]
    assert C.format_needs(needs) == (
        "本月还需：支委会、党小组会（第一党小组）、党小组会（第二党小组）、主题党日；"
        "本季度还需：党课；本年度还需：组织生活会、民主评议党员"
    )
    assert C.format_needs([]) == ""


def test_board_before_the_branch_was_founded_requires_nothing():
    ms = roster()
    b = C.board(ms, GROUPS, [], DEFAULT_RULES, 2025, AFTER, founded=D(2025, 7, 1))
    zwh = b.row("支委会")
    assert [c.status for c in zwh.cells] == [C.NOT_REQUIRED] * 6 + [C.MISSING] * 6
    assert b.row("组织生活会").cells[0].status == C.NOT_REQUIRED
    assert zwh.cells[0].text == "—" and zwh.cells[6].text == "0/1"


# --- 谈心谈话 ---------------------------------------------------------------------------------


def test_talk_coverage_grid_and_who_is_not_yet_covered():
    ms = roster()
    lin, huang, zhang, li, wang = ms
    talks = [
        # 书记 (主持人) talked with 张三
        rec("谈心谈话", D(2025, 3, 1), ms, present=[zhang]),
        # 组织委员 listed together with 李四, host written as someone else
        rec("谈心谈话", D(2025, 4, 1), ms, present=[huang, li], host="上级"),
        # between the two committee members: counts both ways
        rec("谈心谈话", D(2025, 5, 1), ms, present=[huang], host="林海"),
        # last year's talk does not count
        rec("谈心谈话", D(2024, 12, 1), ms, present=[wang]),
    ]
    cov = C.talk_coverage(ms, talks, 2025)
    assert [m.name for m in cov.committee] == ["林海", "黄晓丽"]
    assert cov.has_talked(lin.id, zhang.id) and not cov.has_talked(huang.id, zhang.id)
    assert cov.has_talked(huang.id, li.id)
    assert cov.has_talked(lin.id, huang.id) and cov.has_talked(huang.id, lin.id)
    assert [m.name for m in cov.uncovered()] == ["王五"]
    row = C.board(ms, GROUPS, talks, [], 2025, AFTER).row("谈心谈话")
    cell = row.cells[0]
    assert (cell.status, cell.held, cell.required) == (C.MISSING, 4, 5)
    assert cell.record_ids == [t.id for t in talks[:3]]


def test_talk_coverage_edges_sole_secretary_ambiguous_host_and_leavers():
    ms = [
        member(1, "林海", G1, "书记"),
        member(2, "张三", G1),
        member(3, "张三", G2),  # same name: a host written 张三 cannot be told apart
        member(4, "走了", G2, left=D(2025, 1, 1)),  # gone before the year began
    ]
    talks = [rec("谈心谈话", D(2025, 6, 1), ms, present=[ms[1]], host="张三")]
    cov = C.talk_coverage(ms, talks, 2025)
    # the sole committee member has nobody to talk with him; the leaver is not listed
    assert [m.id for m in cov.required_members()] == [2, 3]
    assert cov.talked == {}  # no committee member took part
    assert [m.id for m in cov.uncovered()] == [2, 3]
    talks.append(rec("谈心谈话", D(2025, 7, 1), ms, present=[ms[1], ms[2]], host=None))
    assert [m.id for m in C.talk_coverage(ms, talks, 2025).uncovered()] == [2, 3]
    talks[-1].host = "林海"  # the secretary held it: both talked with
    assert C.talk_coverage(ms, talks, 2025).uncovered() == []
