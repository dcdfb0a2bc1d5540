"""A new branch (issue 16, point 7): until the roster has members, the 工作台 and the 党员名册
say so and offer 添加党员 / 从工作簿导入 / 导入示例工作簿 — not a wall of red “缺”."""

from __future__ import annotations

import pytest
from conftest import add_member
from PySide6.QtCore import Qt

from ledger_app import paths
from ledger_app.services.ledger import Changes
from ledger_app.ui import main as main_module
from ledger_app.ui.context import AppContext
from ledger_app.ui.import_dialog import ImportDialog
from ledger_app.ui.main import MainWindow
from ledger_app.ui.member_dialog import MemberDialog
from ledger_app.ui.widgets import STATUS_COLORS, STATUS_MISSING

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, ledger, monkeypatch):
    for key in ("meetings", "theme", "other", "dues", "volunteer"):
        monkeypatch.setitem(main_module.PAGE_CLASSES, key, "ledger_app.ui.pages.nothing_here:P")
    ledger.repo.set_branch_info({"支部名称": "新建党支部"})
    w = MainWindow(AppContext(ledger))
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def imports(monkeypatch):
    asked = []
    monkeypatch.setattr(
        ImportDialog, "ask", classmethod(lambda cls, c, p=None, path=None: asked.append(path))
    )
    return asked


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_empty_board_says_what_to_do_instead_of_showing_red(qtbot, window):
    board = window.stack.currentWidget()
    assert board.first_steps.isVisible()
    assert not board.splitter.isVisible() and not board.needs_frame.isVisible()
    assert STATUS_COLORS[STATUS_MISSING][1] not in board.summary.styleSheet()
    assert "缺" not in board.summary.text()


def test_board_offers_the_sample_through_the_windows_import(qtbot, window, imports):
    board = window.stack.currentWidget()
    click(qtbot, board.first_steps.sample_button)
    assert imports == [paths.sample_workbook()]
    click(qtbot, board.first_steps.import_button)
    assert imports[-1] is None  # the window's 导入工作簿… (the file chooser comes first)


def test_board_add_member_opens_the_member_dialog_on_the_roster(qtbot, window, monkeypatch):
    opened = []

    def fake_exec(dialog):
        opened.append(dialog.windowTitle())
        return MemberDialog.DialogCode.Rejected

    monkeypatch.setattr(MemberDialog, "exec", fake_exec)
    click(qtbot, window.stack.currentWidget().first_steps.add_button)
    assert window.current_key() == "roster"
    assert opened == ["新增党员"]


def test_the_board_appears_once_there_is_a_member(qtbot, window, ledger):
    board = window.stack.currentWidget()
    add_member(ledger, "周建国", post="书记")
    window.ctx.notify(Changes(members=True))
    assert not board.first_steps.isVisible()
    assert board.splitter.isVisible()


def test_the_empty_roster_offers_the_same_first_steps(qtbot, window, imports):
    roster = window.show_page("roster")
    assert roster.first_steps.isVisible() and not roster.table.isVisible()
    click(qtbot, roster.first_steps.sample_button)
    assert imports == [paths.sample_workbook()]
    add_member(window.ctx.ledger, "周建国")
    window.ctx.notify(Changes(members=True))
    assert roster.table.isVisible() and not roster.first_steps.isVisible()
