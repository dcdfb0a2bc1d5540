"""The record a meeting needs (issue 18, domain.minutes): 列席人员, 表决, 记录过简."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_app.domain.minutes import (
    MinutesRule,
    brief_reasons,
    brief_records,
    content_length,
    format_votes,
    normalize_guests,
    parse_parts,
    parse_votes,
    rules_from_text,
    rules_to_text,
    vote_line,
    vote_problems,
)
from ledger_app.domain.models import Attendance, Record, Vote


def test_votes_read_as_minutes_write_them_and_print_back_the_same():
    text = "接收肖雅琴为预备党员：同意18，反对0，弃权1；同意张三转正: 同意 17 票, 反对1"
    votes = parse_votes(text)
    assert votes == [Vote("接收肖雅琴为预备党员", 18, 0, 1), Vote("同意张三转正", 17, 1, 0)]
    again = format_votes(votes)
    assert again == "接收肖雅琴为预备党员：同意18，反对0，弃权1；同意张三转正：同意17，反对1，弃权0"
    assert parse_votes(again) == votes
    assert parse_votes("同意5，反对0，弃权0") == [Vote(None, 5, 0, 0)]
    assert parse_votes("") == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("接收张三", "没有票数"),
        ("反对1，弃权0", "缺少同意票数"),
        ("同意5，同意6", "写了两次"),
        ("同意5，很多人反对", "无法识别"),
    ],
)
def test_a_vote_that_cannot_be_read_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_votes(text)


def test_more_votes_than_members_present_is_a_problem():
    r = Record(None, "支委会", dt.date(2025, 3, 5), votes=[Vote("事项", 4, 1, 0)])
    assert vote_problems(r, 3) == ["“事项”的表决共 5 票，多于实到 3 人"]
    assert vote_problems(r, 5) == []
    assert vote_problems(r, None) == []  # attendance not marked: not judged


def test_a_vote_passes_with_more_than_half_of_those_entitled():
    assert (
        vote_line(Vote("接收", 11, 9, 0), 20)
        == "接收：同意11，反对9，弃权0（有表决权 20 人，同意过半数）"
    )
    assert "同意未过半数" in vote_line(Vote("接收", 10, 0, 0), 20)


def test_guests_keep_their_unit_in_brackets():
    assert normalize_guests("王五(街道党工委) 赵六") == "王五（街道党工委）、赵六"
    assert normalize_guests("  ") is None
    with pytest.raises(ValueError):
        normalize_guests("王五（街道")


def _meeting(**kw) -> Record:
    base = dict(topic="议题", host="甲", recorder="乙", content="讨论了本月工作", decisions="通过")
    base.update(kw)
    return Record(None, "支委会", dt.date(2025, 3, 5), **base)


def test_minutes_shorter_than_the_kind_asks_are_too_brief_with_the_reason():
    rule = MinutesRule("支委会", 20, ("议题", "决议事项"))
    r = _meeting(content="研究 工作", decisions=None)
    assert content_length(r.content) == 4  # blanks are not counted
    assert brief_reasons(r, rule) == ["主要内容仅 4 字（至少 20 字）", "未填写决议事项"]
    assert brief_reasons(_meeting(content="讨" * 20), rule) == []


def test_required_phrases_must_appear_in_the_minutes():
    rule = MinutesRule("组织生活会", 0, ("查摆问题", "批评与自我批评"))
    r = Record(None, "组织生活会", dt.date(2025, 12, 1), content="支委班子查摆 问题三条")
    assert brief_reasons(r, rule) == ["主要内容中没有“批评与自我批评”"]


def test_what_is_already_incomplete_is_not_listed_again_as_brief():
    rule = MinutesRule("支委会", 50, ("议题",))
    r = _meeting(content=None, topic=None)
    assert brief_reasons(r, rule, ["议题", "主要内容"]) == []


def test_no_rule_means_no_record_is_too_brief():
    assert brief_reasons(_meeting(content="短"), None) == []
    assert brief_reasons(_meeting(content="短"), MinutesRule("支委会")) == []


def test_brief_records_are_listed_by_date_with_their_reasons():
    rules = {"支委会": MinutesRule("支委会", 10)}
    recs = [
        Record(2, "支委会", dt.date(2025, 4, 1), content="短", attendance=[Attendance(1, "出席")]),
        Record(1, "支委会", dt.date(2025, 3, 1), content="也短"),
        Record(3, "党课", dt.date(2025, 3, 2), content="短"),
    ]
    found = brief_records(recs, rules, lambda r: [])
    assert [(b.record_id, b.item) for b in found] == [(1, "支委会"), (2, "支委会")]
    assert found[0].to_json() == {
        "date": "2025-03-01",
        "item": "支委会",
        "reasons": ["主要内容仅 2 字（至少 10 字）"],
    }


def test_rules_are_stored_as_text_and_read_back():
    rules = [MinutesRule("支委会", 60, ("议题", "决议事项")), MinutesRule("党课", 0, ())]
    back = rules_from_text(rules_to_text(rules))
    assert back == {"支委会": rules[0]}  # a rule asking nothing is not kept
    assert rules_from_text("not json") == {}
    assert parse_parts("议题、决议事项，议题 查摆问题") == ("议题", "决议事项", "查摆问题")
