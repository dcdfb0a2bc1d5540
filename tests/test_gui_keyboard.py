"""Keyboard first (issue 16, points 4 and 5): the 志愿服务 date field is selected when it gets
the focus and gets it back after a bad date; Ctrl+1…9 switch pages (shown in the sidebar);
Ctrl+N opens 新建 with its first kind highlighted; the 请假 reason picker starts at 病假."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member, show_active
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox, QMenu, QStyledItemDelegate

from ledger_app.ui import main as main_module
from ledger_app.ui.attendance_grid import COL_REASON, COL_STATUS
from ledger_app.ui.context import PAGES, AppContext
from ledger_app.ui.main import MainWindow, NavDelegate
from ledger_app.ui.pages import volunteer as volunteer_module
from ledger_app.ui.pages.records import MeetingsPage
from ledger_app.ui.pages.volunteer import ServiceDialog
from ledger_app.ui.record_form import RecordForm

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing",
)


@pytest.fixture
def ctx(ledger):
    ledger.repo.set_branch_info({"支部名称": "测试党支部"})
    add_member(ledger, "周建国", post="书记")
    add_member(ledger, "林秀英", post="组织委员")
    add_member(ledger, "李明")
    return AppContext(ledger)


# --- point 4: the 志愿服务 date -----------------------------------------------------------------


def test_service_date_is_selected_so_typing_replaces_it(qtbot, ctx):
    dialog = ServiceDialog(ctx)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    assert dialog.date.hasFocus()
    assert dialog.date.selectedText() == dialog.date.text() == "2026-01-15"
    qtbot.keyClicks(dialog.date, "1.5")
    qtbot.keyClick(dialog.date, Qt.Key.Key_Tab)
    assert dialog.date.text() == "2026-01-05"
    assert dialog.hours.hasFocus()
    qtbot.keyClick(dialog.hours, Qt.Key.Key_Backtab)  # back by keyboard: selected again
    assert dialog.date.hasFocus() and dialog.date.selectedText() == "2026-01-05"


def test_a_bad_service_date_returns_the_focus_to_the_field(qtbot, ctx, monkeypatch):
    shown = []
    monkeypatch.setattr(volunteer_module, "show_error", lambda _p, e, title="": shown.append(e))
    dialog = ServiceDialog(ctx)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.keyClicks(dialog.date, "13.45")
    qtbot.keyClick(dialog.date, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.hours, "2")
    qtbot.keyClick(dialog.hours, Qt.Key.Key_Return)
    assert shown and shown[0].startswith("日期：")
    assert dialog.isVisible()
    assert dialog.date.hasFocus()
    assert dialog.date.selectedText() == "13.45"
    assert dialog.date.property("invalid") is True


# --- point 5: pages, 新建, the reason picker ---------------------------------------------------


@pytest.fixture
def window(qtbot, ctx, monkeypatch):
    for key in ("board", "dues", "volunteer"):
        monkeypatch.setitem(main_module.PAGE_CLASSES, key, "ledger_app.ui.pages.nothing_here:P")
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    show_active(qtbot, w)
    return w


def test_ctrl_and_a_digit_switch_pages(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "meetings"
    page = window.stack.currentWidget()
    assert page.view.hasFocus()  # ↑↓ and Enter work on the list at once
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == PAGES[9][0]  # the tenth page: Ctrl+0
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "roster"
    assert window.nav.currentRow() == 1


def test_the_sidebar_shows_each_shortcut(qtbot, window):
    assert isinstance(window.nav.itemDelegate(), NavDelegate)
    for row, (_key, title) in enumerate(PAGES):
        tip = window.nav.item(row).toolTip()
        # Ctrl+1 … Ctrl+9, Ctrl+0: the first ten pages; the others have no key
        assert tip == (f"{title}（Ctrl+{(row + 1) % 10}）" if row < 10 else ""), title
    # the right end of an item is drawn on (the grey "Ctrl+4"), its middle is not
    rect = window.nav.visualItemRect(window.nav.item(3))
    image = window.nav.viewport().grab(rect).toImage()
    dpr = image.devicePixelRatio()

    def inked(x0: int, x1: int) -> int:
        bg = QColor(image.pixel(int(2 * dpr), int(2 * dpr)))
        return sum(
            1
            for x in range(int(x0 * dpr), int(x1 * dpr))
            for y in range(image.height())
            if QColor(image.pixel(x, y)) != bg
        )

    assert inked(rect.width() - 44, rect.width() - 8) > 20
    # and it is the delegate's: a plain item leaves its right end blank
    window.nav.setItemDelegate(QStyledItemDelegate(window.nav))
    image = window.nav.viewport().grab(rect).toImage()
    assert inked(rect.width() - 44, rect.width() - 8) == 0


def test_ctrl_n_opens_new_with_the_first_kind_highlighted(qtbot, ctx):
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    show_active(qtbot, page)
    seen = []

    def look():
        menu = QApplication.activePopupWidget()
        seen.append(menu.activeAction().text() if isinstance(menu, QMenu) else None)
        menu.close()

    QTimer.singleShot(50, look)
    qtbot.keyClick(page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen == ["支部党员大会"]


def test_leave_reason_picker_starts_at_the_first_reason(qtbot, ctx):
    form = RecordForm.for_new(ctx, "支委会", date=dt.date(2025, 12, 20))
    qtbot.addWidget(form)
    show_active(qtbot, form)
    view = form.grid.view
    view.setFocus()
    view.setCurrentIndex(form.grid.model.index(0, COL_STATUS))
    qtbot.keyClick(view, Qt.Key.Key_2)
    editor = view.indexWidget(view.currentIndex())
    assert isinstance(editor, QComboBox)
    assert editor.currentText() == "病假"
    assert editor.lineEdit().selectedText() == "病假"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert form.grid.model.data(form.grid.model.index(0, COL_REASON)) == "病假"
    # the next member: ↓ goes to the second reason (it no longer skips 病假)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_2)
    editor = view.indexWidget(view.currentIndex())
    qtbot.keyClick(editor, Qt.Key.Key_Down)
    assert editor.currentText() == "事假"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert form.grid.model.data(form.grid.model.index(1, COL_REASON)) == "事假"
