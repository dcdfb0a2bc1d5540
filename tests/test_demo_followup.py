"""The demo shows issue 18: 学习教育 rules met, a leading cadre without a 党课, a too-brief
record, 列席人员 and 表决, last year's 民主评议 grades, and a done, an open and an overdue
整改 item."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_app.services.demo import create_demo
from ledger_app.services.ledger import Ledger
from ledger_app.services.period import load

TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo18") / "demo.db"
    create_demo(path, today=TODAY)
    lg = Ledger.open(path, today=TODAY)
    yield lg
    lg.close()


def test_the_demo_shows_each_point_of_issue_18(demo):
    model = load(demo, 2025)
    # 学习教育: its own rules on the board, met every month and quarter (no new gap)
    assert {r.item for r in model.board.rows} >= {"集中学习", "交流研讨"}
    assert [(g.item, g.period.key) for g in model.check.gaps] == [("支委会", "2025-04")]
    extra = model.check_additions()
    assert extra["cadre_lectures"] == [{"name": "林秀英", "year": 2025, "required": 1, "held": 0}]
    assert "brief_records" not in extra
    # the latest 支委会 (this year's, where the board looks) is too brief
    [brief] = load(demo, TODAY.year).check_additions()["brief_records"]
    assert brief["item"] == "支委会" and "未填写决议事项" in brief["reasons"]
    meeting = demo.repo.records(kinds=["支部党员大会"])[-1]
    assert meeting.guests and meeting.votes
    fig = model.appraisal
    assert fig.meeting is not None and not fig.ungraded and not fig.over_cap
    assert {a.grade for a in fig.entries} == {"优秀", "合格", "基本合格", "不合格", "不确定等次"}
    statuses = sorted(i.shown_status(TODAY) for i in model.rectifications)
    assert statuses == ["已完成", "整改中", "逾期"]
    assert model.rectification_of("gap:支委会:2025-04") is not None
    levels = {r.source: r.level for r in model.reminders if r.level == "missing"}
    assert levels.keys() >= {"整改", "党课"}
