"""The record lists count attendance in SQL and judge 应到 with a prepared roster; the
record form, the exports and the PDF read whole lists and ask the plain rule. Both must
show the clerk the same numbers for every record."""

import datetime as dt

import pytest

from ledger_app.domain.attendance import (
    QUORUM_KINDS,
    Roster,
    quorum_met,
    summarize,
)
from ledger_app.domain.compliance import missing_fields
from ledger_app.services import records as svc
from ledger_app.services.demo import create_demo
from ledger_app.services.ledger import Ledger


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo(path, today=dt.date(2026, 1, 15))
    ledger = Ledger.open(path, today=dt.date(2026, 1, 15))
    # a few members leave and one record's lists are emptied, so that spans and the
    # "no attendance" rule are exercised
    members = ledger.repo.members()
    with ledger.repo.atomic():
        for m in members[:3]:
            ledger.db.execute(
                "UPDATE member SET status = '转出', status_date = '2025-06-30' WHERE id = ?",
                [m.id],
            )
        first = ledger.repo.records()[0]
        ledger.db.execute("DELETE FROM attendance WHERE record_id = ?", [first.id])
    yield ledger
    ledger.close()


def test_list_rows_agree_with_the_full_rule(demo):
    members = demo.repo.members()
    full = {r.id: r for r in demo.repo.records()}
    rows = svc.record_rows(demo)
    assert len(rows) == len(full) > 50
    for row in rows:
        r = full[row.id]
        s = summarize(r, members)
        assert (row.expected, row.present, row.leave) == (
            s.expected_count,
            sum(1 for a in r.attendance if a.status == "出席"),
            sum(1 for a in r.attendance if a.status == "请假"),
        ), r
        assert row.missing == missing_fields(r)
        quorum = quorum_met(r, members) if r.kind in QUORUM_KINDS else None
        assert row.quorum_short == (quorum is False)
    assert any("出席人员" in row.missing for row in rows)


def test_prepared_roster_expects_whom_the_plain_rule_expects(demo):
    members = demo.repo.members()
    roster = Roster(members)
    for r in demo.repo.records():
        plain = [
            m
            for m in members
            if m.belongs_on(r.date)
            and (r.kind != "支委会" or m.is_committee)
            and (r.kind != "党小组会" or m.group_id == r.group_id)
            and (r.kind != "谈心谈话" or m.id in {a.member_id for a in r.attendance})
        ]
        assert roster.expected(r) == plain, r


def test_attendance_sets_say_what_summarize_says(demo):
    from ledger_app.domain.attendance import attendance_sets

    members = demo.repo.members()
    roster = Roster(members)
    for r in demo.repo.records():
        s = summarize(r, members)
        expected, present, absent = attendance_sets(r, roster)
        assert expected == {m.id for m in s.expected}
        assert present == {a.member_id for a in s.of("出席")}
        assert absent == {a.member_id for a in s.of("缺席")}, r
