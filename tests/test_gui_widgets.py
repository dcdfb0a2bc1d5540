"""Remembered column widths are the clerk's own, not the program's layout."""

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView

from ledger_app.ui import widgets
from ledger_app.ui.widgets import app_settings, remember_header


def _view(qtbot) -> QTableView:
    view = QTableView()
    view.setModel(QStandardItemModel(3, 4, view))
    qtbot.addWidget(view)
    remember_header(view, "probe")
    return view


def test_widths_the_program_sets_are_not_remembered(qtbot):
    view = _view(qtbot)
    view.setColumnWidth(1, 180)  # the program's own layout (no mouse button down)
    qtbot.wait(400)
    assert app_settings().value("columns/probe-4") is None


def test_a_column_the_clerk_drags_is_remembered(qtbot, monkeypatch):
    view = _view(qtbot)
    with monkeypatch.context() as m:
        m.setattr(widgets, "_mouse_held", lambda: True)
        view.setColumnWidth(1, 180)  # as a drag of the column edge does
        qtbot.waitUntil(lambda: app_settings().value("columns/probe-4") is not None)
    again = _view(qtbot)
    assert again.columnWidth(1) == 180


def test_qt_calls_keep_none_alive(qtbot):
    """PySide6 6.12.0 drops a reference to None on every call of a void method; on Python
    3.11, where None is not immortal, a session then ends in "Fatal Python error:
    deallocating None" after some thousand clicks, losing what the clerk was typing."""
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("党费")
        label.setVisible(False)
    assert sys.getrefcount(None) >= before - 5
