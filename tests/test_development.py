"""发展党员: the 25 steps as data, the rules of order and timing, every warning on the day it
is due (with a fixed today), and the roster entry a 支部党员大会 admission makes."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member

from ledger_app.domain import development as D
from ledger_app.domain import idcard
from ledger_app.domain.models import Attendance, Record
from ledger_app.errors import UserError
from ledger_app.services import development as S
from ledger_app.services import period


def valid_id(birth: str = "19950307", seq: str = "002") -> str:
    first17 = "110105" + birth + seq
    return first17 + idcard.check_digit(first17)


def at(ledger, day: dt.date) -> None:
    ledger._today = day


def warnings(ledger, day: dt.date) -> list[tuple[str, str]]:
    """(level, text) of the 发展党员 reminders on ``day``."""
    at(ledger, day)
    model = period.load(ledger, day.year)
    return [(r.level, r.text) for r in model.reminders if r.source == "发展党员"]


@pytest.fixture
def branch(ledger):
    """Five 正式党员 (two of them committee) and a 预备党员."""
    for name, post in (("周建国", "书记"), ("李明", "组织委员"), ("王五", None), ("赵六", None)):
        add_member(ledger, name, post=post, category="学生")
    add_member(ledger, "钱七", category="学生")
    add_member(
        ledger,
        "孙预备",
        category="学生",
        member_type="预备党员",
        join_date=dt.date(2023, 6, 1),
    )
    return ledger


def meeting(ledger, kind: str, day: dt.date) -> int:
    r = Record(None, kind, day, topic="议题", host="周建国", recorder="李明", content="内容")
    present = [m for m in ledger.repo.members() if m.belongs_on(day)]
    if kind == "支委会":
        present = [m for m in present if m.post]
    r.attendance = [Attendance(m.id, "出席") for m in present]
    with ledger.repo.atomic():
        ledger.repo.add_record(r)
    return r.id


def step(ledger, aid: int, no: int, day: dt.date, **kw) -> None:
    if ledger.today() < day:
        at(ledger, day)
    S.save_step(ledger, D.Step(None, aid, no, day, **kw))


def test_the_25_steps_in_five_phases():
    assert [s.no for s in D.STEPS] == list(range(1, 26))
    assert len({s.name for s in D.STEPS}) == 25
    assert {s.phase for s in D.STEPS} == set(range(len(D.PHASES)))
    assert D.STEP[15].vote and D.STEP[15].meeting == ("支部党员大会",)
    assert D.STEP[5].people_count == 2 and D.STEP[9].full_members
    assert D.STEP[6].repeat and D.STEP[21].repeat
    for s in D.STEPS:  # every step it needs comes before it
        assert all(r < s.no for r in s.requires), s.name


def test_steps_are_read_by_name_number_or_label():
    assert D.step_of("确定入党积极分子").no == 3
    assert D.step_of("15").no == 15
    assert D.step_of("第15步").no == 15
    assert D.step_of("第15步 支部党员大会讨论接收").no == 15
    assert D.step_of("第15步 确定入党积极分子") is None
    assert D.step_of("入党") is None


def test_one_applicant_from_application_to_full_membership_with_every_warning_on_time(branch):
    lg = branch
    at(lg, dt.date(2024, 1, 10))
    aid = S.add_applicant(
        lg, D.Applicant(None, "孙小美", id_number=valid_id(), category="学生"), dt.date(2024, 1, 10)
    )
    # 谈话 due within a month: amber until the day, red after
    assert warnings(lg, dt.date(2024, 1, 20)) == [
        (
            "warn",
            "孙小美（入党申请人）：应于2024年2月10日前完成“党组织派人谈话”"
            "（收到入党申请书后一个月内派人谈话）",
        )
    ]
    assert warnings(lg, dt.date(2024, 2, 10))[0][0] == "warn"
    assert warnings(lg, dt.date(2024, 2, 11))[0][0] == "missing"
    step(lg, aid, 2, dt.date(2024, 2, 5), people="李明")
    assert warnings(lg, dt.date(2024, 2, 11)) == []

    step(lg, aid, 3, dt.date(2024, 3, 12), record_id=meeting(lg, "支委会", dt.date(2024, 3, 12)))
    assert "应于2024年4月12日前完成“指定培养联系人”" in warnings(lg, dt.date(2024, 3, 15))[0][1]
    step(lg, aid, 5, dt.date(2024, 3, 20), people="王五、赵六")
    # 思想汇报 each quarter from the first whole quarter of training
    assert warnings(lg, dt.date(2024, 5, 31)) == []
    assert warnings(lg, dt.date(2024, 6, 1)) == [
        ("warn", "孙小美（入党积极分子）：本季度尚未递交思想汇报（2024年6月30日前）")
    ]
    assert warnings(lg, dt.date(2024, 7, 1)) == [
        ("missing", "孙小美（入党积极分子）：2024年第二季度没有思想汇报（每季度至少一次）")
    ]
    for day in (dt.date(2024, 6, 20), dt.date(2024, 9, 20), dt.date(2024, 12, 20)):
        step(lg, aid, 6, day, document="思想汇报")
    step(lg, aid, 6, dt.date(2025, 3, 20), document="思想汇报")
    # 培养满一年: a note a month before, a 待办 from the day
    assert warnings(lg, dt.date(2025, 2, 9)) == []
    assert warnings(lg, dt.date(2025, 2, 10)) == [
        ("info", "孙小美（入党积极分子）：将于2025年3月12日培养满一年，届时可确定为发展对象")
    ]
    assert warnings(lg, dt.date(2025, 3, 21)) == [
        ("warn", "孙小美（入党积极分子）：培养满一年（2025年3月12日），可确定为发展对象")
    ]
    with pytest.raises(UserError, match="2025年3月12日起才能确定发展对象"):
        step(lg, aid, 7, dt.date(2025, 3, 11))
    step(lg, aid, 7, dt.date(2025, 4, 10), record_id=meeting(lg, "支委会", dt.date(2025, 4, 10)))
    step(lg, aid, 9, dt.date(2025, 4, 15), people="王五、赵六")
    step(lg, aid, 10, dt.date(2025, 5, 10))
    step(lg, aid, 11, dt.date(2025, 5, 20))
    step(lg, aid, 12, dt.date(2025, 6, 5), record_id=meeting(lg, "支委会", dt.date(2025, 6, 5)))
    step(lg, aid, 13, dt.date(2025, 6, 10))
    step(lg, aid, 14, dt.date(2025, 6, 15))
    step(lg, aid, 6, dt.date(2025, 6, 20))
    assert lg.repo.member_count() == 6

    # the 支部党员大会 admits her: she is on the roster as 预备党员 without retyping
    rid = meeting(lg, "支部党员大会", dt.date(2025, 7, 1))
    assert S.vote_counts(lg, rid) == (5, 5)  # 正式党员 only: the 预备党员 has no vote
    votes = dict(expected=5, present=5, yes=5, no_votes=0, abstain=0, result="同意接收")
    step(lg, aid, 15, dt.date(2025, 7, 1), record_id=rid, **votes)
    m = lg.repo.members()[-1]
    assert (m.name, m.member_type, m.join_date, m.id_number) == (
        "孙小美",
        "预备党员",
        dt.date(2025, 7, 1),
        valid_id(),
    )
    assert m.birth_date == dt.date(1995, 3, 7) and m.gender == "女"
    assert S.progress(lg, aid).applicant.member_id == m.id
    assert "应于2025年10月1日前完成“上级党委审批”" in warnings(lg, dt.date(2025, 7, 2))[0][1]
    step(lg, aid, 17, dt.date(2025, 8, 1))
    for day in (dt.date(2025, 9, 20), dt.date(2025, 12, 20), dt.date(2026, 3, 20)):
        step(lg, aid, 21, day)

    # 预备期满 (a year after admission): 转正申请 and the 转正 meeting a month before
    assert warnings(lg, dt.date(2026, 5, 31)) == []
    assert warnings(lg, dt.date(2026, 6, 1)) == [
        ("warn", "孙小美（预备党员）：本季度尚未递交思想汇报（2026年6月30日前）"),
        ("warn", "孙小美（预备党员）：预备期将于2026年7月1日满，应提出书面转正申请"),
        ("warn", "孙小美（预备党员）：预备期将于2026年7月1日满，届时召开支部党员大会讨论转正"),
    ]
    step(lg, aid, 22, dt.date(2026, 6, 5), document="转正申请书")
    step(lg, aid, 21, dt.date(2026, 6, 6))
    with pytest.raises(UserError, match="预备期2026年7月1日才满"):
        step(lg, aid, 23, dt.date(2026, 6, 20), **{**votes, "result": "按期转正"})
    assert warnings(lg, dt.date(2026, 7, 1)) == [
        ("warn", "孙小美（预备党员）：预备期已于2026年7月1日满，应及时讨论转正（2026年8月1日前）")
    ]
    assert warnings(lg, dt.date(2026, 8, 2)) == [
        ("missing", "孙小美（预备党员）：预备期已于2026年7月1日满，逾期未讨论转正")
    ]
    rid = meeting(lg, "支部党员大会", dt.date(2026, 7, 2))
    step(lg, aid, 23, dt.date(2026, 7, 2), record_id=rid, **{**votes, "result": "按期转正"})
    m = lg.repo.member(m.id)
    assert (m.member_type, m.full_date) == ("正式党员", dt.date(2026, 7, 1))  # 预备期满之日
    assert "应于2026年10月2日前完成“上级党委审批转正”" in warnings(lg, dt.date(2026, 7, 3))[0][1]
    step(lg, aid, 24, dt.date(2026, 8, 1))
    step(lg, aid, 25, dt.date(2026, 8, 10))
    assert warnings(lg, dt.date(2026, 9, 1)) == []
    assert S.progress(lg, aid).stage == D.FULL


def _applicant(lg, name="孙小美", applied=dt.date(2024, 1, 10), **kw) -> int:
    at(lg, max(lg.today(), applied))
    kw.setdefault("category", "学生")
    return S.add_applicant(lg, D.Applicant(None, name, **kw), applied)


def _to_candidate(lg, aid: int) -> None:
    step(lg, aid, 2, dt.date(2024, 1, 20), people="李明")
    step(lg, aid, 3, dt.date(2024, 3, 12))
    step(lg, aid, 5, dt.date(2024, 3, 20), people="王五、赵六")
    step(lg, aid, 7, dt.date(2025, 4, 10))
    step(lg, aid, 9, dt.date(2025, 4, 15), people="王五、赵六")
    step(lg, aid, 10, dt.date(2025, 5, 10))
    step(lg, aid, 11, dt.date(2025, 5, 20))
    step(lg, aid, 12, dt.date(2025, 6, 5))
    step(lg, aid, 13, dt.date(2025, 6, 10))
    step(lg, aid, 14, dt.date(2025, 6, 15))


VOTES = dict(expected=5, present=5, yes=5, no_votes=0, abstain=0)


def test_order_people_and_dates_are_checked(branch):
    lg = branch
    aid = _applicant(lg)
    with pytest.raises(UserError, match="请先登记“第3步 确定入党积极分子”"):
        step(lg, aid, 5, dt.date(2024, 2, 1), people="王五、赵六")
    with pytest.raises(UserError, match="早于“递交入党申请书”的日期2024-01-10"):
        step(lg, aid, 2, dt.date(2024, 1, 5), people="李明")
    with pytest.raises(UserError, match="晚于今天"):
        later = lg.today() + dt.timedelta(days=1)
        S.save_step(lg, D.Step(None, aid, 2, later, people="李明"))
    step(lg, aid, 2, dt.date(2024, 1, 20), people="李明")
    with pytest.raises(UserError, match="已经登记过"):
        step(lg, aid, 2, dt.date(2024, 1, 21), people="李明")
    step(lg, aid, 3, dt.date(2024, 3, 12))
    with pytest.raises(UserError, match="应填写两名培养联系人"):
        step(lg, aid, 5, dt.date(2024, 3, 20), people="王五")
    with pytest.raises(UserError, match="“孙预备”当时不是正式党员"):
        step(lg, aid, 5, dt.date(2024, 3, 20), people="王五、孙预备")
    with pytest.raises(UserError, match="“张三”在当天不是本支部党员"):
        step(lg, aid, 5, dt.date(2024, 3, 20), people="王五、张三")
    with pytest.raises(UserError, match="同一人填了两次"):
        step(lg, aid, 5, dt.date(2024, 3, 20), people="王五、王五")


def test_under_eighteen_cannot_apply(branch):
    with pytest.raises(UserError, match="未满十八周岁"):
        _applicant(branch, id_number=valid_id("20070115"))
    assert S.progresses(branch) == []  # nothing half-written


def test_a_linked_meeting_must_be_of_its_kind_and_day(branch):
    lg = branch
    aid = _applicant(lg)
    step(lg, aid, 2, dt.date(2024, 1, 20), people="李明")
    rid = meeting(lg, "支部党员大会", dt.date(2024, 3, 12))
    with pytest.raises(UserError, match="决定会议：应为支委会的记录"):
        step(lg, aid, 3, dt.date(2024, 3, 12), record_id=rid)
    rid = meeting(lg, "支委会", dt.date(2024, 3, 11))
    with pytest.raises(UserError, match="应与决定会议的日期2024-03-11相同"):
        step(lg, aid, 3, dt.date(2024, 3, 12), record_id=rid)
    step(lg, aid, 3, dt.date(2024, 3, 11), record_id=rid)
    # the meeting deleted (into the recycle bin): the link goes, the step stays
    with lg.repo.atomic():
        lg.repo.delete_record(rid)
    assert S.progress(lg, aid).done(3).record_id is None


def test_the_vote_needs_a_quorum_and_a_majority_of_those_expected(branch):
    lg = branch
    aid = _applicant(lg)
    _to_candidate(lg, aid)
    day = dt.date(2025, 7, 1)
    with pytest.raises(UserError, match="应到人数：请填写表决人数"):
        step(lg, aid, 15, day, result="同意接收")
    with pytest.raises(UserError, match="未超过应到人数的半数，不能表决"):
        step(lg, aid, 15, day, **{**VOTES, "present": 2, "yes": 2}, result="同意接收")
    with pytest.raises(UserError, match="赞成未超过应到会有表决权正式党员（5人）的半数"):
        step(lg, aid, 15, day, **{**VOTES, "yes": 2, "no_votes": 3}, result="同意接收")
    with pytest.raises(UserError, match="合计多于实到人数"):
        step(lg, aid, 15, day, **{**VOTES, "no_votes": 1}, result="同意接收")
    # not admitted: recorded, no roster entry, and the vote may be held again later
    step(lg, aid, 15, day, **{**VOTES, "yes": 2, "no_votes": 3}, result="不同意接收")
    assert lg.repo.member_count() == 6 and S.progress(lg, aid).stage == D.CANDIDATE
    step(lg, aid, 15, dt.date(2025, 9, 1), **VOTES, result="同意接收")
    assert S.progress(lg, aid).stage == D.PROBATIONARY
    assert lg.repo.members()[-1].join_date == dt.date(2025, 9, 1)


def test_extended_probation_moves_the_end_and_allows_another_vote(branch):
    lg = branch
    aid = _applicant(lg)
    _to_candidate(lg, aid)
    step(lg, aid, 15, dt.date(2025, 7, 1), **VOTES, result="同意接收")
    step(lg, aid, 22, dt.date(2026, 6, 1))
    with pytest.raises(UserError, match="延长预备期应为 1–12 个月"):
        step(lg, aid, 23, dt.date(2026, 7, 2), **VOTES, result="延长预备期")
    step(lg, aid, 23, dt.date(2026, 7, 2), **VOTES, result="延长预备期", months=6)
    p = S.progress(lg, aid)
    assert p.probation_end == dt.date(2027, 1, 1) and p.stage == D.PROBATIONARY
    with pytest.raises(UserError, match="预备期2027年1月1日才满"):
        step(lg, aid, 23, dt.date(2026, 12, 1), **VOTES, result="按期转正")
    with pytest.raises(UserError, match="合计不能超过一年"):
        step(lg, aid, 23, dt.date(2027, 1, 5), **VOTES, result="延长预备期", months=7)
    step(lg, aid, 23, dt.date(2027, 1, 5), **VOTES, result="按期转正")
    m = lg.repo.members()[-1]
    assert (m.member_type, m.full_date) == ("正式党员", dt.date(2027, 1, 1))


def test_cancelled_probation_ends_the_persons_development(branch):
    lg = branch
    aid = _applicant(lg)
    _to_candidate(lg, aid)
    step(lg, aid, 15, dt.date(2025, 7, 1), **VOTES, result="同意接收")
    step(lg, aid, 22, dt.date(2026, 6, 1))
    step(lg, aid, 23, dt.date(2026, 7, 2), **VOTES, result="取消预备党员资格")
    p = S.progress(lg, aid)
    assert p.stage == D.ENDED and p.applicant.end_reason == "取消预备党员资格"
    assert warnings(lg, dt.date(2026, 7, 3)) == []
    # the roster is the clerk's to change (变更状态), as for a 处分
    assert lg.repo.members()[-1].member_type == "预备党员"


def test_deleting_steps_keeps_the_roster_consistent(branch):
    lg = branch
    aid = _applicant(lg)
    _to_candidate(lg, aid)
    step(lg, aid, 15, dt.date(2025, 7, 1), **VOTES, result="同意接收")
    p = S.progress(lg, aid)
    with pytest.raises(UserError, match="这一步不能删除"):
        S.delete_step(lg, p.done(15).id)
    with pytest.raises(
        UserError, match="请先删除后面依赖这一步的步骤：党组织派人谈话、确定入党积极分子"
    ):
        S.delete_step(lg, p.done(1).id)
    with pytest.raises(UserError, match="不能删除"):
        S.delete_applicant(lg, aid)
    # the admission's date corrected: the roster's 入党日期 follows (history of the member)
    s = p.done(15)
    S.save_step(lg, D.Step(s.id, aid, 15, dt.date(2025, 7, 3), **VOTES, result="同意接收"))
    m = lg.repo.members()[-1]
    assert m.join_date == dt.date(2025, 7, 3)
    with pytest.raises(UserError, match="不能改为不同意接收"):
        S.save_step(lg, D.Step(s.id, aid, 15, dt.date(2025, 7, 3), **VOTES, result="不同意接收"))
    step(lg, aid, 22, dt.date(2026, 6, 1))
    step(lg, aid, 23, dt.date(2026, 7, 5), **VOTES, result="按期转正")
    assert lg.repo.member(m.id).member_type == "正式党员"
    S.delete_step(lg, S.progress(lg, aid).done(23).id)  # entered by mistake
    m = lg.repo.member(m.id)
    assert (m.member_type, m.full_date) == ("预备党员", None)


def test_a_member_typed_in_by_hand_is_linked_not_doubled(branch):
    lg = branch
    aid = _applicant(lg, id_number=valid_id())
    _to_candidate(lg, aid)
    with pytest.raises(UserError, match="已是本支部党员"):
        add_member(lg, "孙小美", id_number=valid_id(), join_date=dt.date(2025, 7, 1))
        S.save_applicant(lg, S.progress(lg, aid).applicant)
    m = lg.repo.members()[-1]
    step(lg, aid, 15, dt.date(2025, 7, 1), **VOTES, result="同意接收")
    assert lg.repo.member_count() == 7
    assert S.progress(lg, aid).applicant.member_id == m.id
    assert lg.repo.member(m.id).member_type == "预备党员"


def test_ended_people_get_no_reminders_and_can_resume(branch):
    lg = branch
    aid = _applicant(lg)
    assert warnings(lg, dt.date(2024, 1, 20))
    S.end_applicant(lg, aid, dt.date(2024, 1, 20), "本人撤回申请")
    assert warnings(lg, dt.date(2024, 3, 1)) == []
    with pytest.raises(UserError, match="已于2024年1月20日终止发展"):
        step(lg, aid, 2, dt.date(2024, 2, 1), people="李明")
    S.end_applicant(lg, aid, None, None)
    assert warnings(lg, dt.date(2024, 3, 1))[0][0] == "missing"


def test_report_quarters_count_from_the_first_whole_quarter_to_full_membership():
    a = D.Applicant(1, "甲")
    p = D.Progress(
        a,
        [
            D.Step(1, 1, 1, dt.date(2024, 1, 1)),
            D.Step(2, 1, 3, dt.date(2024, 5, 20)),
            D.Step(3, 1, 6, dt.date(2024, 8, 1)),
        ],
    )
    missing, current = D.report_quarters(p, dt.date(2025, 2, 10))
    assert [q.key for q in missing] == ["2024-Q4"] and current.key == "2025-Q1"


def test_the_register_is_audited(branch):
    aid = _applicant(branch)
    rows = branch.db.execute(
        "SELECT tbl FROM audit WHERE tbl IN ('applicant', 'development_step') AND row_id = ?",
        [str(aid)],
    ).fetchall()
    assert {r[0] for r in rows} == {"applicant", "development_step"}
    from ledger_app.storage.audit import replay_mismatches

    assert replay_mismatches(branch.db) == []
