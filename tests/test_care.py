"""党员关怀: 政治生日 from 入党日期 (a reminder and a list to print), 关怀帮扶 visits, 表彰 and
处分 with the meeting that decided them."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from conftest import add_member

from ledger_app.domain import care as K
from ledger_app.domain.models import Record
from ledger_app.errors import UserError
from ledger_app.services import care as S
from ledger_app.services import period, roster


@pytest.fixture
def members(ledger):
    ledger._today = dt.date(2026, 3, 10)
    return {
        "old": add_member(ledger, "唐国庆", join_date=dt.date(1976, 3, 18), category="离退休"),
        "leap": add_member(ledger, "闰年生", join_date=dt.date(2004, 2, 29)),
        "new": add_member(ledger, "新党员", join_date=dt.date(2026, 3, 1)),
        "left": add_member(ledger, "已转出", join_date=dt.date(2000, 3, 5)),
        "march": add_member(ledger, "三月", join_date=dt.date(2010, 3, 5)),
    }


def test_political_birthdays_of_a_month(ledger, members):
    roster.change_status(ledger, members["left"].id, "转出", dt.date(2025, 12, 1))
    found = S.birthdays(ledger, 2026, 3)
    assert [(b.member.name, b.day, b.years) for b in found] == [
        ("三月", dt.date(2026, 3, 5), 16),
        ("唐国庆", dt.date(2026, 3, 18), 50),
    ]  # by day; not who joined this year, nor who has left
    assert found[1].text == "唐国庆（18日，入党50周年）"
    feb = S.birthdays(ledger, 2026, 2)
    assert [(b.member.name, b.day) for b in feb] == [("闰年生", dt.date(2026, 2, 28))]


def test_this_months_birthdays_are_a_reminder(ledger, members):
    model = period.load(ledger, 2026)
    lines = [r for r in model.reminders if r.source == "党员关怀"]
    assert [(r.level, r.text, r.target) for r in lines] == [
        (
            "info",
            "本月政治生日 3 人：三月（5日，入党16周年）、已转出（5日，入党26周年）、"
            "唐国庆（18日，入党50周年）",
            ("care", {"year": 2026, "month": 3}),
        )
    ]
    assert model.care.birthday_count == 4  # the year's: 闰年生 in February too


def test_the_birthday_list_prints(ledger, members, tmp_path):
    ledger.repo.set_branch_info({"支部名称": "测试党支部"})
    path = S.birthday_pdf(ledger, 2026, 3, tmp_path / "政治生日.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "测试党支部2026年3月党员政治生日名单" in text
    assert "唐国庆" in text and "50周年" in text and "闰年生" not in text
    empty = S.birthday_pdf(ledger, 2026, 7, tmp_path / "七月.pdf")
    assert (
        "本月没有党员过政治生日"
        in subprocess.run(
            ["pdftotext", str(empty), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def test_visits_are_checked_and_kept(ledger, members):
    m = members["old"]
    with pytest.raises(UserError, match="帮扶内容：请写明做了什么"):
        S.save_visit(ledger, K.CareVisit(None, m.id, dt.date(2026, 3, 1), "患病"))
    with pytest.raises(UserError, match="晚于今天"):
        S.save_visit(ledger, K.CareVisit(None, m.id, dt.date(2026, 4, 1), "患病", "看望"))
    S.save_visit(
        ledger, K.CareVisit(None, m.id, dt.date(2026, 3, 1), "患病", " 住院看望 ", 50000, "周书记")
    )
    v = S.visits(ledger, 2026)[0]
    assert (v.member_name, v.content, v.amount_fen) == ("唐国庆", "住院看望", 50000)
    assert period.load(ledger, 2026).care.visit_amount_fen == 50000
    S.delete_visit(ledger, v.id)
    assert S.visits(ledger) == []


def test_honours_and_penalties_with_their_meeting(ledger, members):
    m = members["march"]
    rec = Record(None, "支部党员大会", dt.date(2026, 3, 2), topic="表彰")
    with ledger.repo.atomic():
        ledger.repo.add_record(rec)
    S.save_honor(
        ledger,
        K.Honor(
            None, m.id, "表彰", dt.date(2026, 3, 2), "优秀共产党员", "街道党工委", record_id=rec.id
        ),
    )
    with pytest.raises(
        UserError, match="党纪处分应为 警告、严重警告、撤销党内职务、留党察看、开除党籍 之一"
    ):
        S.save_honor(ledger, K.Honor(None, m.id, "处分", dt.date(2026, 3, 3), "罚款"))
    with pytest.raises(UserError, match="决定会议：晚于表彰或处分的日期"):
        S.save_honor(
            ledger, K.Honor(None, m.id, "处分", dt.date(2026, 3, 1), "警告", record_id=rec.id)
        )
    S.save_honor(
        ledger,
        K.Honor(None, m.id, "处分", dt.date(2026, 3, 3), "警告", meeting="2019-05-10 支委会"),
    )
    care = period.load(ledger, 2026).care
    assert [h.title for h in care.awards] == ["优秀共产党员"]
    assert [(h.title, h.meeting) for h in care.penalties] == [("警告", "2019-05-10 支委会")]
    data = period.load(ledger, 2026).inputs.registers
    assert data.meeting_text(care.awards[0].record_id, None) == "2026-03-02 支部党员大会"
    # a 处分 is only recorded here: the roster is the clerk's to change
    assert ledger.repo.member(m.id).status == "在册"
