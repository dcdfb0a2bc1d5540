"""The 自评定级 and 年度计划 pages, their dialogs and the 年度工作总结 editor, driven as a clerk
would: keys into the score cells, Ctrl+S, the dialogs' fields, printing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from test_pdf import YEAR, build_branch, pages

from ledger_app.domain.plan import PlanItem
from ledger_app.services import assessment as AS
from ledger_app.services import plan as PL
from ledger_app.ui import assessment_dialogs as dialogs_module
from ledger_app.ui import context as context_module
from ledger_app.ui import exported
from ledger_app.ui.assessment_dialogs import AdjustmentDialog, CriteriaDialog, ReviewDialog
from ledger_app.ui.context import AppContext
from ledger_app.ui.pages import assessment as page_module
from ledger_app.ui.pages import plan as plan_module
from ledger_app.ui.pages.assessment import HAND_COL, NOTE_COL, AssessmentPage
from ledger_app.ui.pages.plan import PlanItemDialog, PlanPage
from ledger_app.ui.summary_dialog import SummaryDialog


@pytest.fixture
def ctx(ledger):
    build_branch(ledger, photos=False)
    return AppContext(ledger)


@pytest.fixture
def errors(monkeypatch):
    shown: list[str] = []

    def fake(_parent, error, title="无法完成"):
        shown.append(str(error) + "".join("\n" + d for d in getattr(error, "details", [])))

    for module in (context_module, page_module, plan_module, dialogs_module):
        monkeypatch.setattr(module, "show_error", fake)
    return shown


@pytest.fixture
def saved_files(monkeypatch, tmp_path):
    """Save dialogs answer with a file in tmp_path; 已导出 boxes are recorded."""
    told: list = []
    monkeypatch.setattr(exported, "ask_save_path", lambda _p, _t, name, _f: tmp_path / name)
    monkeypatch.setattr(exported, "tell_exported", lambda _p, path, what="文件": told.append(path))
    return told


@pytest.fixture
def page(qtbot, ctx):
    p = AssessmentPage(ctx)
    qtbot.addWidget(p)
    p.year_box.setValue(YEAR)
    p.show()
    return p


def row_of(page, name) -> int:
    return next(i for i, ln in enumerate(page.model.lines) if ln.criterion.name == name)


def type_into(qtbot, page, row, col, text) -> None:
    """Select a cell, open its editor, type and press Enter, as the clerk does."""
    view = page.table
    view.setFocus()
    view.setCurrentIndex(page.model.index(row, col))
    qtbot.keyClick(view, Qt.Key.Key_F2)  # F2 (or any key) opens the cell's editor
    editor = view.viewport().findChildren(QLineEdit)[-1]  # the newest (closed ones wait)
    editor.selectAll()
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(20)  # the delegate commits on Enter through a queued call
    assert page.table.state() != page.table.State.EditingState


def type_text(qtbot, edit, text: str) -> None:
    """Keys for ASCII; Chinese arrives whole, as an input method commits it."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def test_scores_typed_into_the_table_are_saved_with_ctrl_s(qtbot, page, errors):
    assert page.model.rowCount() == 15
    assert "5 项待评分" in page.total_label.text()
    r = row_of(page, "发展党员程序规范")
    type_into(qtbot, page, r, HAND_COL, "9")
    type_into(qtbot, page, r, NOTE_COL, "缺一份政审材料")
    assert page.model.dirty and page.save_button.isEnabled()
    assert "4 项待评分" in page.total_label.text()
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    got = next(
        x
        for x in AS.assessment(page.ctx.ledger, YEAR).lines
        if x.criterion.name == "发展党员程序规范"
    )
    assert (got.hand, got.note) == (90, "缺一份政审材料")
    assert not page.model.dirty and not errors


def test_an_override_without_a_reason_is_refused_and_kept_for_mending(qtbot, page, errors):
    r = row_of(page, "党费按月足额收缴")
    type_into(qtbot, page, r, HAND_COL, "5")
    page.save()
    assert errors and "须在说明中写明原因" in errors[0]
    assert page.model.dirty  # nothing lost: the clerk adds the reason and saves
    type_into(qtbot, page, r, NOTE_COL, "上缴不及时")
    assert page.save()


def test_bonus_review_and_grade(qtbot, page, errors, monkeypatch):
    lg = page.ctx.ledger
    a = AS.assessment(lg, YEAR)
    AS.save_scores(
        lg,
        "2025",
        [AS.HandScore(x.criterion.key, x.criterion.points, "") for x in a.lines if x.auto is None],
    )
    page.reload()
    d = AdjustmentDialog(page.ctx, "2025", +1, page)
    qtbot.addWidget(d)
    qtbot.keyClicks(d.points, "2")
    type_text(qtbot, d.reason, "获评先进基层党组织")
    d.accept()
    assert page.adjustments.item(0).text() == "加分 +2 分：获评先进基层党组织"
    r = ReviewDialog(page.ctx, "2025", page.assessment, page)
    qtbot.addWidget(r)
    type_text(qtbot, r.assessor, "支部委员会")
    r.accept()
    assert "已于 2026-01-15 评定（支部委员会）" in page.state.text()
    assert page.assessment.grade in page.total_label.text()
    monkeypatch.setattr(page_module, "confirm", lambda *a, **k: True)
    page.adjustments.setCurrentRow(0)
    page.delete_adjustment()
    assert page.adjustments.item(0).text() == "（无）"


def test_changing_the_period_with_unsaved_scores_asks(qtbot, page, monkeypatch):
    asked = []
    monkeypatch.setattr(AssessmentPage, "ask_keep", lambda self: asked.append(1) or False)
    type_into(qtbot, page, row_of(page, "先锋模范作用"), HAND_COL, "5")
    page.period_box.setCurrentIndex(4)  # 4月: refused, stays on the year
    assert asked and page.period_box.currentIndex() == 0 and page.model.dirty
    assert not page.can_close()


def test_a_month_shows_its_own_figures(qtbot, page):
    page.period_box.setCurrentIndex(4)
    assert page.assessment.title == "2025年4月月自评"
    r = row_of(page, "三会一课、主题党日按期开展")
    basis = page.model.index(r, NOTE_COL).data()
    assert "应判断" in basis


def test_criteria_dialog_edits_the_table_and_thresholds(qtbot, ctx, errors):
    d = CriteriaDialog(ctx)
    qtbot.addWidget(d)
    assert d.grid.rowCount() == 15 and "满分 100 分" in d.sum_label.text()
    d.grid.item(0, 3).setText("6")
    d.add_row()
    d.grid.item(15, 1).setText("党员承诺践诺")
    d.grid.item(15, 3).setText("4")
    d.levels["示范"].setValue(95)
    assert "满分 105 分" in d.sum_label.text()
    d.accept()
    assert not errors
    table = AS.criteria(ctx.ledger)
    assert table[0].points == 60 and table[-1].name == "党员承诺践诺"
    assert AS.thresholds(ctx.ledger).model == 950
    bad = CriteriaDialog(ctx)
    qtbot.addWidget(bad)
    bad.grid.item(1, 3).setText("五分")
    bad.accept()
    assert errors == ["第2项：分值不是数字：“五分”"]


def test_printing_the_assessment(qtbot, page, saved_files, errors):
    page.print_pdf()
    (path,) = saved_files
    assert "年总评表" in "\n".join(pages(path))


# --- 年度计划 --------------------------------------------------------------------------------------


@pytest.fixture
def plan_page(qtbot, ctx):
    PL.add_item(ctx.ledger, PlanItem(None, YEAR, 8, "党课", "专题党课", "张书记"))
    p = PlanPage(ctx)
    qtbot.addWidget(p)
    p.year_box.setValue(YEAR)
    p.show()
    return p


def test_plan_page_shows_planned_against_held(plan_page):
    assert plan_page.model.rowCount() == 1
    assert plan_page.model.index(0, 4).data() == "✗ 未开展"
    assert plan_page.summary.text() == "计划 1 项，已开展 0 项，到期未开展 1 项"


def test_adding_editing_and_deleting_a_plan_item(qtbot, plan_page, monkeypatch):
    d = PlanItemDialog(plan_page.ctx, PlanItem(None, YEAR, 1, "党课"), plan_page)
    qtbot.addWidget(d)
    d.month.setCurrentIndex(2)  # 3月
    type_text(qtbot, d.topic, "学习党章")
    type_text(qtbot, d.lecturer, "张书记")
    d.accept()
    assert plan_page.model.rowCount() == 2
    first = plan_page.model.rows[0]
    assert (first.item.month, first.item.topic) == (3, "学习党章")
    assert plan_page.model.index(0, 4).data() == "✓ 已开展（2025-03-26）"
    plan_page.table.selectRow(0)
    monkeypatch.setattr(plan_module, "confirm", lambda *a, **k: True)
    plan_page.delete()
    assert plan_page.model.rowCount() == 1


def test_copy_and_print_the_plan(qtbot, plan_page, saved_files, errors):
    plan_page.year_box.setValue(YEAR + 1)
    plan_page.copy_last_year()
    assert plan_page.model.rowCount() == 1
    plan_page.year_box.setValue(YEAR)
    plan_page.print_pdf()
    (path,) = saved_files
    assert "专题党课" in "\n".join(pages(path))


def test_summary_dialog_drafts_saves_and_prints(qtbot, ctx, saved_files, errors, monkeypatch):
    d = SummaryDialog(ctx, YEAR)
    qtbot.addWidget(d)
    monkeypatch.setattr(SummaryDialog, "ask_unsaved", lambda self: "drop")  # no box left open
    d.show()
    d.activateWindow()
    assert d.editor.toPlainText().startswith("测试机关党支部2025年度党建工作总结")
    assert not d.dirty  # an untouched draft: closing asks nothing
    d.editor.moveCursor(d.editor.textCursor().MoveOperation.End)
    d.editor.insertPlainText("补充一句。")
    assert d.dirty
    d.save_button.click()
    assert not d.dirty and PL.summary(ctx.ledger, YEAR).text.endswith("补充一句。")
    d.print_pdf()
    (path,) = saved_files
    assert "补充一句。" in "\n".join(pages(path))
    monkeypatch.setattr("ledger_app.ui.summary_dialog.confirm", lambda *a, **k: True)
    d.regenerate()
    assert not d.editor.toPlainText().endswith("补充一句。") and d.dirty
    asked = []
    monkeypatch.setattr(SummaryDialog, "ask_unsaved", lambda self: asked.append(1) or "cancel")
    d.close()
    assert asked and d.dirty  # 取消: still open, the text kept
    monkeypatch.setattr(SummaryDialog, "ask_unsaved", lambda self: "drop")
    d.close()
    assert PL.summary(ctx.ledger, YEAR).text.endswith("补充一句。")  # 放弃: the saved text stays


def test_both_pages_fit_and_open_from_the_window(qtbot, ctx):
    from ledger_app.ui.main import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1093, 614)  # 1366×768 at 125 %
    w.show()
    qtbot.waitExposed(w)
    for key in ("plan", "assessment"):
        page = w.show_page(key)
        assert page.minimumSizeHint().width() <= w.stack.width()
    action = next(
        a for a in w.menuBar().actions()[0].menu().actions() if a.text() == "上级党委汇总…"
    )
    assert action is not None
