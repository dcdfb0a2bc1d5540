"""Unsaved edits are never lost silently: one question (保存 / 放弃 / 取消) for 设置 when the
window closes, for the member dialog and for the record form (issue 16, point 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member, ime_type
from PySide6.QtCore import Qt

from ledger_app.ui import main as main_module
from ledger_app.ui.context import AppContext
from ledger_app.ui.main import MainWindow
from ledger_app.ui.member_dialog import MemberDialog
from ledger_app.ui.record_form import RecordForm
from ledger_app.ui.unsaved import UnsavedQuestion

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(ledger):
    ledger.repo.set_branch_info({"支部名称": "测试党支部", "联系电话": "010-1111"})
    add_member(ledger, "周建国", group="第一党小组", post="书记")
    return AppContext(ledger)


@pytest.fixture
def answers(monkeypatch):
    """Answers the question in turn; records what was asked about."""
    asked: list[str] = []
    queue: list[str] = []

    def ask(cls, parent, what):
        asked.append(what)
        return queue.pop(0) if queue else "discard"  # (a window closed at the test's end)

    monkeypatch.setattr(UnsavedQuestion, "ask", classmethod(ask))
    return asked, queue


@pytest.fixture
def window(qtbot, ctx, monkeypatch):
    for key in ("board", "meetings", "theme", "other", "dues", "volunteer"):
        monkeypatch.setitem(main_module.PAGE_CLASSES, key, "ledger_app.ui.pages.nothing_here:P")
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    return w


def type_phone(qtbot, window, text):
    page = window.show_page("settings")
    phone = page.branch_form.edits["联系电话"]
    phone.setFocus()
    phone.selectAll()
    qtbot.keyClicks(phone, text)
    return page


def test_settings_edit_asks_on_close_and_saves(qtbot, window, ctx, answers):
    asked, queue = answers
    type_phone(qtbot, window, "010-2222")
    queue.append("save")
    assert window.close()
    assert asked == ["设置"]
    assert ctx.ledger.repo.branch().info["联系电话"] == "010-2222"


def test_settings_close_cancelled_keeps_the_window_and_the_edit(qtbot, window, ctx, answers):
    asked, queue = answers
    page = type_phone(qtbot, window, "010-3333")
    queue.append("cancel")
    assert not window.close()
    assert window.isVisible() and asked == ["设置"]
    assert page.branch_form.edits["联系电话"].text() == "010-3333"
    queue.append("discard")
    assert window.close()
    assert ctx.ledger.repo.branch().info["联系电话"] == "010-1111"


def test_settings_without_edits_closes_without_asking(qtbot, window, answers):
    asked, _queue = answers
    window.show_page("settings")
    assert window.close()
    assert asked == []


def test_saving_one_settings_section_keeps_edits_in_another(qtbot, window, ctx, answers):
    asked, queue = answers
    page = type_phone(qtbot, window, "010-4444")
    ime_type(page.user_name, "李明")
    qtbot.mouseClick(page.user_save, Qt.MouseButton.LeftButton)
    assert ctx.ledger.user == "李明"
    assert page.branch_form.edits["联系电话"].text() == "010-4444"  # not reloaded away
    assert page.dirty_sections() == ["branch"]
    queue.append("save")
    assert window.close()
    assert ctx.ledger.repo.branch().info["联系电话"] == "010-4444"


def test_a_bad_settings_value_keeps_the_window_open(qtbot, window, ctx, answers):
    _asked, queue = answers
    page = window.show_page("settings")
    name = page.branch_form.edits["支部名称"]
    name.setFocus()
    name.selectAll()
    qtbot.keyClick(name, Qt.Key.Key_Delete)  # 支部名称 is required
    queue.append("save")
    assert not window.close()
    assert page.branch_form.error.text() == "请填写支部名称"
    assert ctx.ledger.repo.branch().name == "测试党支部"


def test_member_dialog_asks_the_same_question(qtbot, ctx, answers):
    asked, queue = answers
    d = MemberDialog(ctx, None)
    qtbot.addWidget(d)
    d.show()
    ime_type(d.name, "钱七")
    queue.append("cancel")
    qtbot.keyClick(d.name, Qt.Key.Key_Escape)
    assert d.isVisible() and asked == ["党员信息"]
    # 保存 from the question: the dialog checks the member and stays open on a problem
    queue.append("save")
    qtbot.keyClick(d.name, Qt.Key.Key_Escape)
    assert d.isVisible()
    assert "请填写入党日期" in d.error_text("入党日期")
    d.join_date.setFocus()
    qtbot.keyClicks(d.join_date, "2012-07-01")
    queue.append("save")
    qtbot.keyClick(d.join_date, Qt.Key.Key_Escape)
    assert not d.isVisible() and d.result() == MemberDialog.DialogCode.Accepted
    assert any(m.name == "钱七" for m in ctx.ledger.repo.members())


def test_record_form_asks_the_same_question(qtbot, ctx, answers):
    asked, queue = answers
    form = RecordForm.for_new(ctx, "支委会", date=dt.date(2025, 12, 20))
    qtbot.addWidget(form)
    form.show()
    ime_type(form.topic, "学习")
    queue.append("save")
    qtbot.keyClick(form.topic, Qt.Key.Key_Escape)
    assert asked == ["这条记录"]
    assert not form.isVisible()
    (record,) = ctx.ledger.repo.records()
    assert record.topic == "学习"
