"""Every leading cadre's yearly 党课 (issue 18): who counts, what counts as given, and how
``check``, the 问题清单 and the 工作台 show it."""

from __future__ import annotations

import datetime as dt

from ledger_app.domain.cadres import cadre_lectures, lecturer_names
from ledger_app.domain.models import Member, Record
from ledger_app.services import minutes
from ledger_app.services.period import load
from tests.conftest import add_member


def _lesson(day: dt.date, lecturer: str, rid: int = 1) -> Record:
    return Record(rid, "党课", day, lecturer=lecturer, topic="党章")


def test_a_cadre_has_lectured_when_a_lesson_of_the_year_names_them_as_lecturer():
    boss = Member(1, "周建国", join_date=dt.date(2000, 1, 1), leading_cadre=True)
    other = Member(2, "林秀英", join_date=dt.date(2000, 1, 1), leading_cadre=True, post="副书记")
    plain = Member(3, "李明", join_date=dt.date(2000, 1, 1), post="组织委员")
    members = [boss, other, plain]
    lessons = [
        _lesson(dt.date(2025, 5, 20), "周建国、市委党校 张教授"),
        _lesson(dt.date(2024, 5, 20), "林秀英", 2),  # another year
    ]
    found = cadre_lectures(members, lessons, 2025, "flagged", dt.date(2026, 1, 15))
    assert [(c.member.name, c.given) for c in found.lines] == [("周建国", True), ("林秀英", False)]
    assert found.judged
    assert found.to_json() == [{"name": "林秀英", "year": 2025, "required": 1, "held": 0}]
    committee = cadre_lectures(members, lessons, 2025, "committee", dt.date(2026, 1, 15))
    assert [c.member.name for c in committee.lines] == ["林秀英", "李明"]
    both = cadre_lectures(members, lessons, 2025, "both", dt.date(2026, 1, 15))
    assert len(both.lines) == 3
    assert lecturer_names(_lesson(dt.date(2025, 1, 1), "张三（市委党校")) == ["张三（市委党校"]


def test_a_year_still_under_way_is_not_judged():
    boss = Member(1, "周建国", join_date=dt.date(2000, 1, 1), leading_cadre=True)
    found = cadre_lectures([boss], [], 2026, "flagged", dt.date(2026, 1, 15))
    assert not found.judged and found.to_json() == [] and len(found.missing) == 1


def test_check_json_adds_cadre_lectures_only_when_there_are_any(ledger, capsys):
    import argparse

    from ledger_app.cli import cmd_check

    add_member(ledger, "甲", category="学生")
    args = argparse.Namespace(year=2025, quarter=None, json=True)
    cmd_check(ledger, args)
    import json

    plain = json.loads(capsys.readouterr().out)
    assert set(plain) == {"year", "quarter", "gaps", "member_alerts", "incomplete_records"}
    boss = add_member(ledger, "周建国", leading_cadre=True, category="学生")
    cmd_check(ledger, args)
    out = json.loads(capsys.readouterr().out)
    assert out["cadre_lectures"] == [{"name": "周建国", "year": 2025, "required": 1, "held": 0}]
    assert out["gaps"] == plain["gaps"]  # the contract's keys are as they were
    model = load(ledger, 2025)
    assert any(p.key == f"lecture:{boss.id}:2025" for p in model.problems)
    cmd_check(ledger, argparse.Namespace(year=2025, quarter=None, json=False))
    assert "2025年全年未讲党课：周建国" in capsys.readouterr().out


def test_the_board_reminds_a_cadre_without_a_lesson_this_year(ledger):
    boss = add_member(ledger, "周建国", leading_cadre=True)
    [r] = [r for r in load(ledger, 2026).reminders if r.source == "党课"]
    assert r.key == f"党课:{boss.id}:2026" and r.level == "info"
    assert r.target == ("meetings", {"kind": "党课", "lecturer": "周建国"})
    minutes.set_cadre_source(ledger, "committee")
    assert not [r for r in load(ledger, 2026).reminders if r.source == "党课"]
