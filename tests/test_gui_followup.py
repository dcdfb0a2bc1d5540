"""Issue 18 in the GUI, driven as a clerk would (qtbot, offscreen): 民主评议 grades by keys
and dialog, the 整改清单 from an inspection, from the 问题清单 and from a 组织生活会,
列席人员 and 表决 in the record form, too-brief minutes on the form, printing, rules added
and removed in 设置, the 党员领导干部 mark in the roster."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from ledger_app.domain.minutes import MinutesRule
from ledger_app.domain.models import Attendance, Record
from ledger_app.services import appraisal as appraisal_svc
from ledger_app.services import minutes as minutes_svc
from ledger_app.services import rectification as rect_svc
from ledger_app.ui import context as ui_context
from ledger_app.ui import followup_dialogs, print_actions
from ledger_app.ui.context import AppContext
from ledger_app.ui.pages.followup import FollowupPage
from ledger_app.ui.pages.records import MeetingsPage, OtherLifePage
from ledger_app.ui.pages.settings import SettingsPage
from ledger_app.ui.record_form import RecordForm

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
D = dt.date


@pytest.fixture(autouse=True)
def _never_block(monkeypatch):
    monkeypatch.setattr(print_actions, "offer_open", lambda parent, path: "")


@pytest.fixture
def errors(monkeypatch):
    shown: list[str] = []

    def record(_p, e, *a, **k):
        shown.append(str(e))

    import ledger_app.ui.record_form as rf

    for module in (ui_context, rf, followup_dialogs, print_actions):
        monkeypatch.setattr(module, "show_error", record)
    return shown


@pytest.fixture
def ctx(ledger):
    return AppContext(ledger)


@pytest.fixture
def branch(ledger):
    people = {
        "周建国": add_member(ledger, "周建国", post="书记", group="第一党小组"),
        "李明": add_member(ledger, "李明", post="组织委员", group="第一党小组"),
        "王芳": add_member(ledger, "王芳", group="第二党小组"),
        "张三": add_member(ledger, "张三", group="第二党小组"),
    }
    with ledger.repo.atomic():
        ledger.repo.add_record(Record(None, "民主评议党员", D(2025, 12, 19), topic="2025年度"))
        ledger.repo.add_record(Record(None, "组织生活会", D(2025, 12, 18), topic="2025年度"))
    return people


def _page(qtbot, ctx) -> FollowupPage:
    page = FollowupPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


# --- 民主评议 ------------------------------------------------------------------------------------


@pytest.fixture
def page(qtbot, ctx, branch) -> FollowupPage:
    """The page, held until the model tester has let go of its models."""
    return _page(qtbot, ctx)


def test_grades_by_keys_then_the_rest_as_qualified(qtbot, page, ledger, errors, qtmodeltester):
    tab = page.appraisal
    assert tab.selected_year() == 2025  # in January the last year's 评议 is the one to do
    assert [r.member.name for r in tab.model.rows()] == ["周建国", "李明", "王芳", "张三"]
    assert "未评定 4 人" in tab.summary.text()
    view = tab.view
    view.setFocus()
    tab.view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_1)  # 周建国 优秀, on to the next
    assert tab.selected_row() == 1
    qtbot.keyClick(view, Qt.Key.Key_2)  # 李明 合格
    qtbot.mouseClick(tab.rest_button, Qt.MouseButton.LeftButton)
    fig = appraisal_svc.figures(ledger, 2025)
    assert [(fig.name(a), a.grade) for a in fig.entries] == [
        ("周建国", "优秀"),
        ("李明", "合格"),
        ("王芳", "合格"),
        ("张三", "合格"),
    ]
    assert "优秀 1 人，占参评党员 25.0%（上限 30%）" in tab.summary.text()
    assert not errors
    qtmodeltester.check(tab.model, force_py=True)


def test_an_uncertain_grade_opens_the_form_which_asks_for_the_reason(
    qtbot, ctx, ledger, branch, errors
):
    page = _page(qtbot, ctx)
    tab = page.appraisal
    tab.view.setFocus()
    tab.view.selectRow(2)
    qtbot.keyClick(tab.view, Qt.Key.Key_5)  # 不确定等次: the form, for the reason
    dialog = tab.dialog
    assert dialog.grade.currentText() == "不确定等次"
    dialog.save()
    assert errors and "说明" in errors[-1]
    dialog.reason.setText("长期在外地务工")
    assert dialog.save()
    [a] = appraisal_svc.figures(ledger, 2025).entries
    assert (a.grade, a.reason) == ("不确定等次", "长期在外地务工")


def test_a_failing_grade_records_the_talk_and_the_correction(qtbot, ctx, ledger, branch, errors):
    page = _page(qtbot, ctx)
    tab = page.appraisal
    tab.view.selectRow(3)
    dialog = tab.edit_selected("不合格")
    assert dialog.deadline.isEnabled() is False  # until 限期改正 is chosen
    dialog.talk_date.setText("1.5")
    dialog.talk_by.setText("周建国")
    dialog.measure.setCurrentIndex(dialog.measure.findData("限期改正"))
    assert dialog.deadline.isEnabled()
    dialog.deadline.setText("2026-06-30")
    assert dialog.save(), errors
    [a] = appraisal_svc.figures(ledger, 2025).entries
    assert (a.talk_date, a.measure, a.deadline) == (D(2026, 1, 5), "限期改正", D(2026, 6, 30))
    row = tab.model.rows()[3]
    assert tab.model.look(row) == ("warn", "限期改正中")


# --- 整改清单 -------------------------------------------------------------------------------------


def test_an_inspection_finding_is_added_and_shows_overdue(
    qtbot, page, ledger, errors, qtmodeltester
):
    page.tabs.setCurrentWidget(page.rectification)
    tab = page.rectification
    dialog = tab.new_item("上级检查反馈")
    assert not dialog.form.isRowVisible(dialog.record)  # no record for an inspection
    dialog.source_note.setText("2025年11月街道党工委督查")
    dialog.problem.setPlainText("会议记录过于简单")
    dialog.measure.setPlainText("按模板记录发言要点")
    dialog.owner.setText("李明")
    dialog.found_on.setText("2025-11-20")
    dialog.deadline.setText("2026-01-10")
    qtbot.keyClick(dialog.measure, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted, errors
    assert [tab.model.look(i)[1] for i in tab.model.rows()] == ["逾期"]
    assert "其中逾期 1 项" in tab.summary.text()
    qtmodeltester.check(tab.model, force_py=True)
    # done: the 完成日期 fills in with today
    dialog = tab.edit_selected()
    dialog.status.setCurrentText("已完成")
    assert dialog.done_on.text() == "2026-01-15"
    dialog.result_text.setPlainText("已整改")
    assert dialog.save()
    assert [tab.model.look(i)[1] for i in tab.model.rows()] == ["已完成"]


def test_a_problem_of_the_list_becomes_an_item_and_its_key_is_kept(
    qtbot, ctx, ledger, branch, errors, monkeypatch
):
    problems = rect_svc.open_problems(ledger, 2025)
    gap = next(p for p in problems if p.key == "gap:支委会:2025-03")
    monkeypatch.setattr(followup_dialogs.ProblemPicker, "ask", classmethod(lambda c, *a: gap))
    page = _page(qtbot, ctx)
    dialog = page.rectification.new_item("问题清单")
    assert dialog.form.isRowVisible(dialog.problem_key) and dialog.problem_key.text() == gap.key
    dialog.measure.setPlainText("补开支委会")
    assert dialog.save(), errors
    [it] = rect_svc.items(ledger)
    assert (it.source, it.source_key) == ("问题清单", "gap:支委会:2025-03")


def test_a_life_meeting_puts_what_it_found_on_the_list(qtbot, ctx, ledger, branch, errors):
    other = OtherLifePage(ctx)
    qtbot.addWidget(other)
    other.show()
    other.year.setCurrentIndex(other.year.findData(2025))
    rid = next(r.id for r in other.model.rows() if r.kind == "组织生活会")
    other.select_id(rid)
    assert other.rectify_button.isEnabled()
    asked: list = []
    ctx.navigate_requested.connect(lambda key, kw: asked.append((key, kw)))
    other.rectify_selected()
    assert asked == [("followup", {"tab": "rectification", "from_record": rid})]
    page = _page(qtbot, ctx)
    page.activate(**asked[0][1])
    dialog = page.rectification.dialog
    assert dialog.record.currentData() == rid and dialog.found_on.text() == "2025-12-18"
    dialog.problem.setPlainText("理论学习不够系统")
    assert dialog.save(), errors
    assert rect_svc.items(ledger)[0].record_id == rid
    other.select_id(next(r.id for r in other.model.rows() if r.kind == "民主评议党员"))
    assert other.rectify_button.isEnabled()


def test_evidence_is_added_in_the_dialog(qtbot, ctx, ledger, branch, errors, tmp_path):
    scan = tmp_path / "整改报告.jpg"
    scan.write_bytes(b"\xff\xd8 jpeg")
    page = _page(qtbot, ctx)
    dialog = page.rectification.new_item("其他")
    dialog.problem.setPlainText("党费收缴不及时")
    dialog.add_files([scan])
    assert dialog.files.count() == 1
    assert dialog.save(), errors
    assert page.rectification.model.rows()[0].files == 1


# --- the record form ------------------------------------------------------------------------------


def _form(qtbot, ctx, kind, day) -> RecordForm:
    form = RecordForm.for_new(ctx, kind, date=day)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def test_guests_and_votes_are_kept_with_the_meeting(qtbot, ctx, ledger, branch, errors):
    form = _form(qtbot, ctx, "支委会", D(2025, 12, 2))
    assert form.votes.isVisible() and form.guests.isVisible()
    form.topic.setText("研究接收预备党员")
    form.guests.setText("赵六(街道党工委)")
    form.grid.all_present.click()
    form.votes.setText("接收王芳为预备党员：同意3")
    form._update_status()
    assert "多于实到 2 人" in form.missing_status.text()  # the committee: 2 present
    assert form.votes.property("invalid")
    assert not form.save()
    assert errors and "表决情况" in errors[-1]
    form.votes.setText("接收王芳为预备党员：同意2，反对0，弃权0")
    assert form.save(), errors
    [rec] = ledger.repo.records(kinds=["支委会"])
    assert rec.guests == "赵六（街道党工委）"
    assert [(v.subject, v.agree) for v in rec.votes] == [("接收王芳为预备党员", 2)]
    form.kind.setCurrentText("党小组会")
    assert not form.votes.isVisible()  # no votes at a 党小组会


def test_the_form_says_when_minutes_are_too_brief(qtbot, ctx, ledger, branch, errors):
    minutes_svc.set_minutes_rules(ledger, [MinutesRule("支委会", 20, ("决议事项",))])
    form = _form(qtbot, ctx, "支委会", D(2025, 12, 2))
    form.topic.setText("研究")
    form.host.setText("周建国")
    form.recorder.setText("李明")
    form.grid.all_present.click()
    form.content.setPlainText("研究了工作")
    form._update_status()
    text = form.missing_status.text()
    assert "记录过简：主要内容仅 5 字（至少 20 字）；未填写决议事项" in text


def test_print_the_record_and_a_sign_in_sheet_for_a_planned_meeting(
    qtbot, ctx, ledger, branch, errors, monkeypatch, tmp_path
):
    targets = iter([tmp_path / "记录", tmp_path / "签到表.pdf", tmp_path / "列表.pdf"])
    monkeypatch.setattr(print_actions, "ask_target", lambda *a: next(targets))
    form = _form(qtbot, ctx, "支部党员大会", D(2026, 2, 10))  # a day to come: planned
    form.place.setText("支部活动室")
    form.print_book()
    assert (tmp_path / "记录").exists()
    form.print_sign_sheet()
    assert (tmp_path / "签到表.pdf").read_bytes().startswith(b"%PDF")
    assert not errors
    with ledger.repo.atomic():
        rid = ledger.repo.add_record(
            Record(None, "党课", D(2025, 5, 20), attendance=[Attendance(branch["王芳"].id, "出席")])
        )
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.year.setCurrentIndex(page.year.findData(2025))
    page.select_id(rid)
    assert page.print_button.isEnabled()
    page.print_selected()
    assert (tmp_path / "列表.pdf").exists()


def test_a_lesson_for_a_cadre_opens_prefilled_from_the_board(qtbot, ctx, ledger, branch):
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.activate(kind="党课", lecturer="周建国")
    assert page.form is not None and page.form.lecturer.text() == "周建国"
    page.form.reject()


# --- 设置 -----------------------------------------------------------------------------------------


def test_settings_add_a_study_rule_and_a_kind_of_the_branchs_own_then_remove(
    qtbot, ctx, ledger, errors, monkeypatch
):
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    items = lambda: [page.rules.item(r, 0).text() for r in range(page.rules.rowCount())]  # noqa: E731
    [study] = [a for a in page.rule_add.menu().actions() if a.text().startswith("集中学习")]
    study.trigger()
    assert items()[-1] == "集中学习"
    monkeypatch.setattr(
        SettingsPage, "ask_item", classmethod(lambda c, p: ("读书班", "quarter", 1))
    )
    page.add_own_rule()
    assert items()[-2:] == ["集中学习", "读书班"]
    assert "读书班" in minutes_svc.record_kinds(ledger)
    page.rules.selectRow(1)  # 支委会: one of the seven
    assert not page.rule_remove.isEnabled()
    monkeypatch.setattr(ui_context, "confirm", lambda *a, **k: True)
    page.rules.selectRow(len(items()) - 1)
    assert page.rule_remove.isEnabled()
    assert page.remove_rule()
    assert "读书班" not in items() and not errors


def test_settings_recommended_minutes_rules_and_the_cadre_source(qtbot, ctx, ledger, errors):
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    box = page.findChild(followup_dialogs.QWidget, "minutes_rules").parent()
    box.fill_recommended()
    box.save_rules()
    rules = minutes_svc.minutes_rules(ledger)
    assert rules["支委会"] == MinutesRule("支委会", 60, ("议题", "决议事项"))
    box.cadre_source.setCurrentIndex(box.cadre_source.findData("both"))
    box.cap.setCurrentIndex(box.cap.findData(250))
    box.save_other()
    assert minutes_svc.cadre_source(ledger) == "both"
    assert minutes_svc.excellent_cap(ledger) == 250
    assert not errors


def test_the_roster_marks_a_leading_cadre(qtbot, ctx, ledger, branch):
    from ledger_app.ui.member_dialog import MemberDialog

    m = ledger.repo.member(branch["周建国"].id)
    d = MemberDialog(ctx, m)
    qtbot.addWidget(d)
    assert not d.leading_cadre.isChecked() and not d.is_dirty()
    d.leading_cadre.setChecked(True)
    assert d.is_dirty()
    d.save()
    assert ledger.repo.member(m.id).leading_cadre
