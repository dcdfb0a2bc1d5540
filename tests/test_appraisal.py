"""民主评议党员 with 等次 (issue 18): the rules, the service, the period model's figures and
the 工作台's reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_app.domain.appraisal import Appraisal, appraisal_figures, validate_appraisal
from ledger_app.domain.models import Record
from ledger_app.errors import UserError
from ledger_app.services import appraisal as svc
from ledger_app.services import minutes
from ledger_app.services.period import load
from tests.conftest import add_member


def _fields(a: Appraisal) -> list[str]:
    return [e.field for e in validate_appraisal(a)]


def test_an_uncertain_grade_needs_its_reason():
    assert _fields(Appraisal(None, 2025, 1, "不确定等次")) == ["说明"]
    assert _fields(Appraisal(None, 2025, 1, "不确定等次", reason="长期外出务工")) == []
    assert _fields(Appraisal(None, 2025, 1, "良好")) == ["等次"]


def test_follow_up_belongs_to_basic_and_failing_grades_only():
    assert _fields(Appraisal(None, 2025, 1, "合格", measure="限期改正")) == ["处理"]
    assert _fields(Appraisal(None, 2025, 1, "合格", talk_date=dt.date(2026, 1, 3))) == ["谈话日期"]
    assert _fields(Appraisal(None, 2025, 1, "基本合格", measure="除名")) == ["处理"]
    ok = Appraisal(
        None, 2025, 1, "不合格", talk_date=dt.date(2026, 1, 3), talk_by="书记",
        measure="限期改正", deadline=dt.date(2026, 6, 30),
    )  # fmt: skip
    assert _fields(ok) == []
    assert _fields(
        Appraisal(None, 2025, 1, "不合格", measure="除名", deadline=dt.date(2026, 6, 1))
    ) == ["改正期限"]


def test_the_share_of_excellent_is_counted_among_those_graded_against_the_cap(ledger):
    ms = [add_member(ledger, f"党员{i}") for i in range(10)]
    grades = ["优秀"] * 3 + ["合格"] * 6 + ["不确定等次"]
    for m, g in zip(ms, grades):
        svc.save_grade(
            ledger, Appraisal(None, 2025, m.id, g, reason="病重" if g == "不确定等次" else None)
        )
    fig = svc.figures(ledger, 2025)
    assert fig.participants == 9  # 不确定等次 is not 参评
    assert fig.excellent_permille == 333
    assert fig.over_cap  # 3/9 > 30 %
    assert fig.share_text == "优秀 3 人，占参评党员 33.3%（上限 30%）"
    minutes.set_excellent_cap(ledger, 350)
    assert not svc.figures(ledger, 2025).over_cap


def test_who_is_to_be_graded_are_the_full_members_on_the_day_of_the_appraisal(ledger):
    full = add_member(ledger, "甲")
    add_member(ledger, "预备", member_type="预备党员", join_date=dt.date(2025, 6, 1))
    add_member(ledger, "后来", join_date=dt.date(2025, 12, 25))
    with ledger.repo.atomic():
        ledger.repo.add_record(Record(None, "民主评议党员", dt.date(2025, 12, 19)))
    fig = svc.figures(ledger, 2025)
    assert [m.name for m in fig.expected] == ["甲"]
    assert fig.started and [m.name for m in fig.ungraded] == ["甲"]
    svc.grade_rest(ledger, 2025)
    assert [a.grade for a in svc.figures(ledger, 2025).entries] == ["合格"]
    assert svc.rows(ledger, 2025)[0].member.id == full.id
    with pytest.raises(UserError, match="都已评定"):
        svc.grade_rest(ledger, 2025)


def test_saving_a_grade_replaces_the_earlier_one_and_refuses_a_member_not_in_the_branch(ledger):
    m = add_member(ledger, "甲")
    svc.save_grade(ledger, Appraisal(None, 2025, m.id, "合格"))
    svc.save_grade(ledger, Appraisal(None, 2025, m.id, "优秀"))
    assert [a.grade for a in svc.figures(ledger, 2025).entries] == ["优秀"]
    with pytest.raises(UserError) as e:
        svc.save_grade(ledger, Appraisal(None, 1990, m.id, "合格"))
    assert "1990年不是本支部党员" in str(e.value)
    with pytest.raises(UserError, match="说明"):
        svc.save_grade(ledger, Appraisal(None, 2025, m.id, "不确定等次"))
    svc.clear_grade(ledger, 2025, m.id)
    assert svc.figures(ledger, 2025).entries == []


def test_follow_ups_due_show_on_the_board_and_in_the_problem_list(ledger):
    a = add_member(ledger, "甲")
    b = add_member(ledger, "乙")
    svc.save_grade(ledger, Appraisal(None, 2025, a.id, "不合格", measure="限期改正",
                                     deadline=dt.date(2026, 1, 10)))  # fmt: skip
    svc.save_grade(ledger, Appraisal(None, 2025, b.id, "基本合格", talk_date=dt.date(2026, 1, 5)))
    model = load(ledger, 2025)
    keys = {r.key: r for r in model.reminders}
    assert keys[f"评议:谈话:{a.id}:2025"].level == "warn"
    assert f"评议:谈话:{b.id}:2025" not in keys  # talked already
    overdue = keys[f"评议:改正:{a.id}:2025"]
    assert overdue.level == "missing" and overdue.target[0] == "followup"
    problems = {p.key: p for p in model.problems}
    assert problems[f"appraisal:correct:{a.id}:2025"].detail.startswith("限期改正已于 2026-01-10")


def test_figures_of_a_year_leave_other_years_alone():
    from ledger_app.domain.models import Member

    m = Member(1, "甲", join_date=dt.date(2000, 1, 1))
    entries = [Appraisal(1, 2024, 1, "优秀"), Appraisal(2, 2025, 1, "合格")]
    fig = appraisal_figures(2025, entries, [m], [], 300, dt.date(2026, 1, 15))
    assert [a.grade for a in fig.entries] == ["合格"] and fig.started
