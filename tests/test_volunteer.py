"""志愿服务: hours in halves, one activity for several members, totals, the expectation."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member

from ledger_app.domain import volunteer as V
from ledger_app.errors import UserError
from ledger_app.services import volunteer as S
from ledger_app.services.ledger import Changes


@pytest.mark.parametrize(
    "value, halves",
    [(1.5, 3), ("2", 4), ("0.5", 1), ("1.5小时", 3), (2, 4), ("24", 48)],
)
def test_parse_hours(value, halves):
    assert V.parse_hours(value) == halves


@pytest.mark.parametrize(
    "value, message",
    [
        ("1.2", "0.5"),
        ("0", "正数"),
        ("-1", "正数"),
        ("两小时", "不是数字"),
        ("", "为空"),
        ("24.5", "24"),
        (True, "不是数字"),
    ],
)
def test_parse_hours_rejects(value, message):
    with pytest.raises(ValueError, match=message):
        V.parse_hours(value)


def test_format_hours():
    assert [V.format_hours(h) for h in (1, 2, 3, 48)] == ["0.5", "1", "1.5", "24"]
    assert str(V.hours_decimal(3)) == "1.5"


def _roster(ledger):
    a = add_member(ledger, "张三", group="一组")
    b = add_member(ledger, "李四", group="一组")
    c = add_member(ledger, "王五", category="离退休")
    d = add_member(ledger, "赵六", join_date=dt.date(2025, 6, 10))
    e = add_member(ledger, "钱七", status="转出", status_date=dt.date(2025, 4, 2))
    return a, b, c, d, e


def test_add_one_activity_for_several_members(ledger):
    a, b, c, *_ = _roster(ledger)
    ch = S.add_service(
        ledger,
        [a.id, b.id, c.id],
        dt.date(2025, 3, 8),
        3,
        " 垃圾分类宣传 ",
        "示例社区",
        "社区主任",
        None,
    )
    assert ch == Changes(volunteer=True)
    entries = S.services(ledger, 2025, 3)
    assert [(e.member_name, e.half_hours, e.project, e.place, e.witness) for e in entries] == [
        (n, 3, "垃圾分类宣传", "示例社区", "社区主任") for n in ("张三", "李四", "王五")
    ]
    assert S.services(ledger, 2025, 4) == []


def test_add_service_all_or_nothing(ledger):
    a, b, c, d, e = _roster(ledger)
    with pytest.raises(UserError) as err:
        S.add_service(ledger, [a.id, d.id, e.id], dt.date(2025, 5, 1), 2)
    assert err.value.details == ["赵六在2025年5月1日不在本支部", "钱七在2025年5月1日不在本支部"]
    with pytest.raises(UserError) as err:
        S.add_service(ledger, [a.id, e.id], dt.date(2025, 4, 2), 2)
    assert err.value.details == ["钱七在2025年4月2日不在本支部"]
    assert S.services(ledger, 2025) == []
    with pytest.raises(UserError, match="时长"):
        S.add_service(ledger, [a.id], dt.date(2025, 5, 1), 0)
    with pytest.raises(UserError, match="请至少选择"):
        S.add_service(ledger, [], dt.date(2025, 5, 1), 2)
    with pytest.raises(UserError, match="晚于今天"):
        S.add_service(ledger, [a.id], dt.date(2026, 2, 1), 2)


def test_totals_per_member_and_month(ledger):
    a, b, c, d, e = _roster(ledger)
    S.add_service(ledger, [a.id, b.id], dt.date(2025, 3, 8), 3)
    S.add_service(ledger, [a.id], dt.date(2025, 3, 20), 4)
    S.add_service(ledger, [e.id], dt.date(2025, 1, 5), 1)
    S.add_service(ledger, [a.id], dt.date(2024, 12, 31), 2)  # another year
    rows = {r.name: (r.count, r.half_hours) for r in S.member_totals(ledger, 2025)}
    assert rows == {"张三": (2, 7), "李四": (1, 3), "王五": (0, 0), "赵六": (0, 0), "钱七": (1, 1)}
    march = {r.name: (r.count, r.half_hours) for r in S.member_totals(ledger, 2025, 3)}
    assert "赵六" not in march and march["钱七"] == (0, 0) and march["张三"] == (2, 7)
    months = S.month_totals(ledger, 2025)
    assert months[3] == (3, 10) and months[1] == (1, 1) and months[12] == (0, 0)


def test_delete_service(ledger):
    a, *_ = _roster(ledger)
    S.add_service(ledger, [a.id], dt.date(2025, 3, 8), 3)
    (entry,) = S.services(ledger, 2025)
    S.delete_service(ledger, entry.id)
    assert S.services(ledger, 2025) == []


def test_below_expectation_only_working_members_who_belonged(ledger):
    a, b, c, d, e = _roster(ledger)
    S.add_service(ledger, [a.id], dt.date(2025, 5, 8), 2)
    # 王五 is 离退休, 赵六 joined in June, 钱七 left in April: none of them expected in May
    assert [(m.name, n) for m, n in S.below_expectation(ledger, 2025, 5)] == [("李四", 0)]
    assert [m.name for m, _ in S.below_expectation(ledger, 2025, 6)] == ["张三", "李四", "赵六"]
    assert [m.name for m, _ in S.below_expectation(ledger, 2025, 3)] == ["张三", "李四", "钱七"]
    S.set_min_per_month(ledger, 2)
    assert [(m.name, n) for m, n in S.below_expectation(ledger, 2025, 5)] == [
        ("张三", 1),
        ("李四", 0),
    ]
    S.set_min_per_month(ledger, 0)
    assert S.below_expectation(ledger, 2025, 5) == []
    with pytest.raises(UserError):
        S.set_min_per_month(ledger, -1)


def test_min_per_month_default_and_bad_setting(ledger):
    assert S.min_per_month(ledger) == 1
    ledger.repo.set_setting(S.MIN_PER_MONTH_KEY, "几次")
    assert S.min_per_month(ledger) == 1


def test_sample_workbook_volunteer_after_import(ledger):
    from conftest import SAMPLE

    from ledger_app.services.importer import import_workbook

    import_workbook(ledger, SAMPLE)
    totals = {r.name: (r.count, r.half_hours) for r in S.member_totals(ledger, 2024)}
    assert totals["马骏"] == (1, 5) and totals["林海"] == (1, 3) and totals["梁宇"] == (0, 0)
    assert S.month_totals(ledger, 2024)[4] == (6, 24)
    # April: the six who served are fine; 梁宇 is a 学生 and not expected
    assert S.below_expectation(ledger, 2024, 4) == []
    assert [m.name for m, _ in S.below_expectation(ledger, 2024, 5)] == [
        "林海",
        "黄晓丽",
        "马骏",
        "罗强",
        "郭静",
    ]
