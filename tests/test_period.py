"""domain/period.py: the figures of a period's model.

The Excel workbook's additions (issue 14/17): dues per quarter and the year's paid beside
the year's due, 实缴 per month over the period's members, volunteer hours per member and
month, compliance per item, records held per month and kind.
"""

from __future__ import annotations

import datetime as dt

from conftest import add_member

from ledger_app.domain.models import (
    Attendance,
    DuesSetting,
    Payment,
    Record,
    VolunteerEntry,
)
from ledger_app.services import period
from ledger_app.services.ledger import Ledger


def _branch(ledger: Ledger) -> dict:
    """Mid-2025 (today 2025-06-15): a 在职 member at 40 元 a month who paid January to
    March, a member who joined in May, volunteer service, a 党课 held with the theme day."""
    ledger._today = dt.date(2025, 6, 15)
    repo = ledger.repo
    a = add_member(ledger, "甲", post="书记")
    b = add_member(ledger, "乙", join_date=dt.date(2025, 5, 10))
    with repo.atomic():
        repo.set_dues_setting(DuesSetting(a.id, 2025, base_fen=400000))  # 1 % → 40 元
        repo.set_dues_setting(DuesSetting(b.id, 2025, base_fen=400000))
        for month in (1, 2, 3):
            repo.add_payment(Payment(None, a.id, 2025, month, 4000))
        repo.add_payment(Payment(None, b.id, 2025, 5, 4000))
        for day, half in ((dt.date(2025, 4, 2), 3), (dt.date(2025, 4, 20), 2)):
            repo.add_volunteer(VolunteerEntry(None, a.id, day, half, "服务"))
        repo.add_volunteer(VolunteerEntry(None, b.id, dt.date(2025, 5, 20), 4, "服务"))
        lesson = Record(None, "党课", dt.date(2025, 3, 10), topic="党课", also_theme_day=True)
        lesson.attendance = [Attendance(a.id, "出席")]
        repo.add_record(lesson)
        meeting = Record(None, "支委会", dt.date(2025, 3, 12), topic="支委会")
        meeting.attendance = [Attendance(a.id, "出席")]
        repo.add_record(meeting)
    return {"a": a, "b": b}


def test_dues_by_quarter_counts_the_ended_months_of_each(ledger):
    _branch(ledger)
    dues = period.load(ledger, 2025).dues
    q1, q2, q3, q4 = dues.by_quarter
    assert [q.period.label for q in dues.by_quarter][0] == "2025年第一季度"
    # 甲 owes 40 元 a month all year, 乙 from May
    assert (q1.total.due, q1.total.due_ended, q1.total.paid, q1.total.arrears) == (
        12000,
        12000,
        12000,
        0,
    )
    # Q2: April and May have ended (甲 paid neither, 乙 paid May), June is under way
    assert (q2.total.due, q2.total.due_ended, q2.total.paid, q2.total.arrears) == (
        20000,
        12000,
        4000,
        8000,
    )
    assert q2.total.in_arrears == 1 and q2.total.collecting == 8000
    assert q3.total.due_ended == 0 and q4.total.paid == 0
    work = dict(q2.by_category)["在职"]
    assert work.members == 2 and work.due == q2.total.due
    # the quarters add up to the period, and each line keeps the year's figures
    assert sum(q.total.due for q in dues.by_quarter) == dues.total.due
    assert dues.total.due_year == 48000 + 32000 and dues.total.paid_year == 16000


def test_a_quarters_model_has_its_quarter_and_the_years_due_and_paid(ledger):
    _branch(ledger)
    q2 = period.load(ledger, 2025, 2).dues
    assert [q.period.index for q in q2.by_quarter] == [2]
    assert q2.by_quarter[0].total.due == q2.total.due == 20000
    assert q2.total.due_year == 80000 and q2.total.paid_year == 16000  # the year's
    assert q2.paid_by_month == {4: 0, 5: 4000, 6: 0}


def test_volunteer_hours_by_member_and_month(ledger):
    ids = _branch(ledger)
    vol = period.load(ledger, 2025).volunteer
    assert vol.by_member_month == {ids["a"].id: {4: (2, 5)}, ids["b"].id: {5: (1, 4)}}
    assert vol.average_hours is not None and str(vol.average_hours) == "2.3"  # 4.5 h ÷ 2


def test_records_held_by_month_count_a_theme_day_held_with_a_meeting(ledger):
    _branch(ledger)
    model = period.load(ledger, 2025)
    march = model.held_by_month[3]
    assert march["党课"] == 1 and march["主题党日"] == 1 and march["支委会"] == 1
    assert model.held_by_month[1] == {} and set(model.held_by_month) == set(range(1, 13))
    assert model.held_total["主题党日"] == 1 and sum(model.held_total.values()) == 3


def test_compliance_of_one_item(ledger):
    _branch(ledger)
    comp = period.load(ledger, 2025).compliance
    committee = comp.of_item("支委会")
    assert {r.item for r, _ in committee.cells} == {"支委会"}
    assert committee.judged == 5 and committee.met == 1  # January–May judged, March held
    assert sum(comp.of_item(i).judged for i in {r.item for r, _ in comp.cells}) == comp.judged
