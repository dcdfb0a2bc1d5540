"""The period model's figures that the PDF prints (domain/period.py): each computed once,
in the model, so no renderer works one out for itself."""

from __future__ import annotations

import datetime as dt

from conftest import add_member

from ledger_app.domain.models import Attendance, Record, VolunteerEntry
from ledger_app.services import period
from ledger_app.services.ledger import Ledger

YEAR = 2025


def test_a_record_s_attendance_rate(ledger):
    a, b, c = (add_member(ledger, n) for n in ("甲", "乙", "丙"))
    r = Record(None, "主题党日", dt.date(YEAR, 3, 15), topic="学习")
    r.attendance = [Attendance(a.id, "出席"), Attendance(b.id, "出席"), Attendance(c.id, "请假")]
    with ledger.repo.atomic():
        ledger.repo.add_record(r)
    (view,) = period.load(ledger, YEAR).records
    assert view.rate_permille == 667  # 2 of 3, half up
    empty = Record(None, "谈心谈话", dt.date(YEAR, 4, 1), topic="谈心")
    with ledger.repo.atomic():
        ledger.repo.add_record(empty)
    talk = next(v for v in period.load(ledger, YEAR).records if v.record.kind == "谈心谈话")
    assert talk.rate_permille is None  # nobody expected


def test_volunteer_months_below_the_expectation_and_the_members_by_months_grid():
    """在职 members who belonged in an ended month and served fewer times than required;
    a 离退休 member is not expected; a member who joined in June is not expected before."""
    ledger = Ledger.open(None, today=dt.date(YEAR, 9, 10))  # September is under way
    working = add_member(ledger, "在职甲")
    retired = add_member(ledger, "离退休乙", category="离退休")
    joined = add_member(ledger, "新党员", join_date=dt.date(YEAR, 6, 10))
    with ledger.repo.atomic():
        for month in (1, 2, 4):
            ledger.repo.add_volunteer(
                VolunteerEntry(None, working.id, dt.date(YEAR, month, 3), 4, "服务")
            )
        ledger.repo.add_volunteer(VolunteerEntry(None, working.id, dt.date(YEAR, 4, 9), 3, "服务"))
        ledger.repo.add_volunteer(VolunteerEntry(None, joined.id, dt.date(YEAR, 7, 1), 2, "服务"))
    v = period.load(ledger, YEAR).volunteer
    assert v.below[working.id] == [3, 5, 6, 7, 8]
    assert retired.id not in v.below
    assert v.below[joined.id] == [6, 8]
    assert v.by_member_month[working.id] == {1: (1, 4), 2: (1, 4), 4: (2, 7)}
    assert v.by_member_month[joined.id] == {7: (1, 2)}
    q1 = period.load(ledger, YEAR, 1).volunteer
    assert q1.below[working.id] == [3] and joined.id not in q1.below
    ledger.close()


def test_records_counted_by_kind_and_how_late_a_late_one_was(ledger):
    a = add_member(ledger, "甲")
    with ledger.repo.atomic():
        for day, late in ((dt.date(YEAR, 3, 5), 2), (dt.date(YEAR, 4, 5), 45)):
            r = Record(None, "支委会", day, topic="研究工作")
            r.attendance = [Attendance(a.id, "出席")]
            entered = dt.datetime.combine(day, dt.time(20)) + dt.timedelta(days=late)
            ledger.repo.add_record(r, created_at=entered)
        ledger.repo.add_record(
            Record(None, "党课", dt.date(YEAR, 5, 9), topic="党课"),
            created_at=dt.datetime(YEAR, 5, 9, 20),
        )
    model = period.load(ledger, YEAR)
    counts = model.record_counts
    assert list(counts) == ["支委会", "党课"]  # the contract's order
    assert (counts["支委会"].records, counts["支委会"].late) == (2, 1)
    assert counts["党课"].incomplete == 1  # no 授课人, 主持人 …
    assert [v.late_days for v in model.records] == [None, 45, None]
