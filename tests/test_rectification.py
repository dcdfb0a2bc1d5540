"""问题清单 → 整改清单 (issue 18): statuses, 逾期 derived, items from the program's own
problems and from records, evidence files, reminders, the 问题清单's 整改情况."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_app.domain.models import Record
from ledger_app.domain.rectification import Rectification, validate_rectification
from ledger_app.errors import UserError
from ledger_app.services import rectification as svc
from ledger_app.services.period import load
from tests.conftest import add_member

TODAY = dt.date(2026, 1, 15)


def test_overdue_is_derived_from_the_deadline_never_stored():
    it = Rectification(None, "上级检查反馈", "会议记录过于简单", deadline=dt.date(2026, 1, 10))
    assert it.shown_status(TODAY) == "逾期"
    assert it.shown_status(dt.date(2026, 1, 10)) == "未开始"  # on the day itself: not yet
    it.status, it.done_on = "已完成", dt.date(2026, 1, 12)
    assert it.shown_status(TODAY) == "已完成"
    soon = Rectification(None, "其他", "问题", deadline=TODAY + dt.timedelta(days=10))
    assert soon.due_soon(TODAY) and not soon.overdue(TODAY)


def test_an_item_is_checked_before_it_is_saved():
    def fields(**kw):
        return [e.field for e in validate_rectification(Rectification(None, **kw))]

    assert fields(source="其他", problem=" ") == ["问题"]
    assert fields(source="领导批示", problem="x") == ["来源"]
    assert fields(source="其他", problem="x", status="已完成") == ["完成日期"]
    assert fields(source="其他", problem="x", done_on=TODAY) == ["完成日期"]
    assert fields(source="问题清单", problem="x") == ["来源"]  # which problem?
    assert fields(
        source="其他", problem="x", found_on=TODAY, deadline=TODAY - dt.timedelta(days=1)
    ) == ["整改时限"]


def test_an_item_from_the_problem_list_prints_its_fix_there(ledger):
    add_member(ledger, "甲", category="学生")
    model = load(ledger, 2025)
    gap = next(p for p in model.problems if p.key == "gap:支委会:2025-04")
    it = svc.from_problem(ledger, gap)
    assert it.source == "问题清单" and it.problem.startswith("2025年4月 支委会：应开 1 次")
    it.measure, it.owner, it.deadline = "补开支委会并完善记录", "李明", dt.date(2026, 2, 28)
    svc.save_item(ledger, it)
    model = load(ledger, 2025)
    fix = model.rectification_of("gap:支委会:2025-04")
    assert fix is not None and fix.fix_text == "未开始，时限2026-02-28：补开支委会并完善记录"
    assert all(p.key != gap.key for p in svc.open_problems(ledger, 2025))
    fix.status, fix.done_on, fix.result = "已完成", TODAY, "已于1月召开并补记"
    svc.save_item(ledger, fix)
    assert load(ledger, 2025).rectification_of(gap.key).fix_text == (
        "已完成（2026-01-15）：已于1月召开并补记"
    )


def test_an_item_from_a_life_meeting_names_the_record(ledger):
    with ledger.repo.atomic():
        rid = ledger.repo.add_record(Record(None, "组织生活会", dt.date(2025, 12, 18)))
        other = ledger.repo.add_record(Record(None, "支委会", dt.date(2025, 12, 2)))
    it = svc.from_record(ledger, rid, "理论学习不够系统")
    assert (it.source, it.found_on, it.record_id) == ("组织生活会", dt.date(2025, 12, 18), rid)
    svc.save_item(ledger, it)
    assert svc.record_label(ledger, rid) == "2025-12-18 组织生活会"
    assert svc.source_records(ledger, "组织生活会", 2025) == [(rid, "2025-12-18 组织生活会")]
    with pytest.raises(UserError, match="只有组织生活会"):
        svc.from_record(ledger, other)


def test_open_and_overdue_items_are_on_the_board(ledger):
    late = svc.new_item(ledger, "上级检查反馈", problem="党费收缴不及时", owner="李明",
                        deadline=dt.date(2026, 1, 10), found_on=dt.date(2025, 11, 20))  # fmt: skip
    soon = svc.new_item(ledger, "其他", problem="台账归档", deadline=dt.date(2026, 1, 20))
    done = svc.new_item(ledger, "其他", problem="已完成的", status="已完成", done_on=TODAY)
    for it in (late, soon, done):
        svc.save_item(ledger, it)
    reminders = {r.key: r for r in load(ledger, 2026).reminders}
    assert reminders[f"整改:{late.id}"].level == "missing"
    assert reminders[f"整改:{late.id}"].text.startswith(
        "整改逾期：党费收缴不及时（时限2026-01-10，责任人李明）"
    )
    assert reminders[f"整改:{soon.id}"].level == "warn"
    assert f"整改:{done.id}" not in reminders


def test_the_period_lists_the_items_open_during_it(ledger):
    old_done = svc.new_item(ledger, "其他", problem="去年完成", found_on=dt.date(2024, 3, 1),
                            status="已完成", done_on=dt.date(2024, 5, 1))  # fmt: skip
    carried = svc.new_item(ledger, "其他", problem="去年提出未完成", found_on=dt.date(2024, 6, 1))
    new = svc.new_item(ledger, "其他", problem="今年提出", found_on=dt.date(2025, 3, 1))
    for it in (old_done, carried, new):
        svc.save_item(ledger, it)
    assert [i.problem for i in load(ledger, 2025).rectifications] == ["去年提出未完成", "今年提出"]
    assert [i.problem for i in load(ledger, 2025, 1).rectifications] == [
        "去年提出未完成",
        "今年提出",
    ]


def test_evidence_files_are_kept_with_the_item(ledger, tmp_path):
    scan = tmp_path / "整改报告.pdf"
    scan.write_bytes(b"%PDF-1.4 evidence")
    it = svc.new_item(ledger, "其他", problem="问题")
    svc.save_item(ledger, it, add_files=[scan])
    [f] = svc.files(ledger, it.id)
    assert (f.filename, f.size) == ("整改报告.pdf", 17)
    out = svc.export_file(ledger, f.id, tmp_path / "copy.pdf")
    assert out.read_bytes() == b"%PDF-1.4 evidence"
    svc.save_item(ledger, svc.item(ledger, it.id), remove_files=[f.id])
    assert svc.files(ledger, it.id) == []
    svc.delete_item(ledger, it.id)
    with pytest.raises(UserError, match="已不存在"):
        svc.item(ledger, it.id)


def test_a_wrong_item_is_not_saved_and_names_the_field(ledger):
    it = svc.new_item(ledger, "其他", problem="x", status="已完成")
    with pytest.raises(UserError) as e:
        svc.save_item(ledger, it)
    assert "完成日期" in str(e.value) and svc.items(ledger) == []
