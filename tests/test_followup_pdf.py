"""Issue 18 on paper: the PDF's 评议与整改 section and 问题清单 (整改情况, 记录过简), one
record as a 三会一课记录本 page, and a blank 签到表 for a planned meeting."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from ledger_app.domain.models import Attendance, Record, Vote
from ledger_app.errors import UserError
from ledger_app.services import printing
from ledger_app.services.exports import export_pdf
from tests.test_followup_workbook import _fill


def _text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _fonts(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout


@pytest.fixture
def filled(ledger):
    _fill(ledger)
    return ledger


def test_the_summary_prints_grades_rectification_lectures_and_fixes(filled, tmp_path):
    out = export_pdf(filled, 2025, None, tmp_path / "a.pdf", sections=["problems", "followup"])
    text = _text(out)
    assert "二、评议与整改" in text
    assert "优秀 1 人，占参评党员 50.0%（上限 30%），超过上限" in text.replace("\n", "")
    assert "理论学习不够系统" in text and "制定学习计划" in text
    assert "逾期" in text  # 会议记录过于简单: deadline 2026-01-10 passed
    assert "党员领导干部 1 人，全年未讲党课 1 人。" in text
    # the 问题清单 prints the stored 整改情况 instead of a blank column
    assert "已补开" in text
    # too-brief minutes are listed with the incomplete records, with the reason
    assert "记录过简：主要内容仅2字（至少30字）" in text.replace(" ", "")
    assert "Helvetica" not in _fonts(out)


def test_a_record_prints_as_a_page_of_the_minutes_book(filled, tmp_path):
    [rec] = filled.repo.records(kinds=["支委会"])
    out = printing.record_book_pdf(filled, rec.id, tmp_path / printing.default_name(rec, "记录"))
    assert out.name == "2025-03-05 支委会 记录.pdf"
    text = _text(out)
    for words in (
        "支委会记录",
        "应到 2 人，实到 2 人，请假 0 人，缺席 0 人",
        "赵六（街道党工委）",
        "接收王芳为预备党员：同意2，反对0，弃权0（有表决权 2 人，同意过半数）",
        "主持人（签字）",
        "记录人（签字）",
    ):
        assert words in text, words
    assert "Helvetica" not in _fonts(out)


def test_a_planned_meeting_gets_a_blank_sign_in_sheet_with_the_expected_names(filled, tmp_path):
    planned = Record(
        None, "支部党员大会", dt.date(2026, 2, 10), "14:30", "支部活动室", "周建国",
        topic="讨论接收预备党员",
    )  # fmt: skip
    out = printing.sign_sheet_pdf(filled, planned, tmp_path / "签到表.pdf")
    text = _text(out)
    assert "支部党员大会签到表" in text and "2026年2月10日 14:30" in text
    for name in ("周建国", "李明", "王芳"):
        assert name in text
    assert "应到 3 人" in text and "列席人员签到" in text
    committee = Record(None, "支委会", dt.date(2026, 2, 3))
    text = _text(printing.sign_sheet_pdf(filled, committee, tmp_path / "支委会.pdf"))
    assert "周建国" in text and "李明" in text and "王芳" not in text  # the committee only


def test_a_sheet_for_nobody_is_refused(ledger, tmp_path):
    with pytest.raises(UserError, match="没有应到人员"):
        printing.sign_sheet_pdf(
            ledger, Record(None, "支委会", dt.date(2026, 2, 3)), tmp_path / "x.pdf"
        )
    assert not (tmp_path / "x.pdf").exists()


def test_an_unsaved_draft_prints_with_its_names(filled, tmp_path):
    members = {m.name: m.id for m in filled.repo.members()}
    draft = Record(
        None, "支委会", dt.date(2026, 1, 14), topic="研究发展党员", host="周建国",
        attendance=[Attendance(members["周建国"], "出席"), Attendance(members["李明"], "请假", "公差")],
        votes=[Vote(None, 1, 0, 0)],
    )  # fmt: skip
    text = _text(printing.record_book_pdf(filled, draft, tmp_path / "draft.pdf"))
    assert "李明（公差）" in text and "同意1，反对0，弃权0" in text
