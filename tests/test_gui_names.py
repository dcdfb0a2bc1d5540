"""Name fields take the name, not the pinyin (issue 16, point 1): ``zjg`` + Tab or Enter gives
周建国 when it is the one match; 主持人 / 记录人 / 组织人 refuse a name that is not a member
(so ``zjg`` can never count as filled); 授课人 may be a guest, marked （非本支部）."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member, ime_type, show_active
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ledger_app.ui import context as ui_context
from ledger_app.ui.context import AppContext
from ledger_app.ui.record_form import RecordForm

# the offscreen platform cannot raise or grab for the completion list; not our warnings
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing",
)

D = dt.date


@pytest.fixture
def ctx(ledger):
    add_member(ledger, "周建国", post="书记")
    add_member(ledger, "张建华", post="组织委员")
    add_member(ledger, "李明", post="宣传委员")
    return AppContext(ledger)


@pytest.fixture
def errors(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(ui_context, "show_error", lambda _p, e, title="": shown.append(str(e)))
    monkeypatch.setattr(
        "ledger_app.ui.record_form.show_error", lambda _p, e, title="": shown.append(str(e))
    )
    return shown


def open_form(qtbot, ctx, kind="支委会"):
    form = RecordForm.for_new(ctx, kind, date=D(2025, 12, 20))
    qtbot.addWidget(form)
    show_active(qtbot, form)
    return form


def press(qtbot, widget, key):
    """A key as the clerk presses it: an open completion list gets it first."""
    qtbot.keyClick(QApplication.activePopupWidget() or widget, key)


def test_pinyin_then_tab_takes_the_one_matching_name(qtbot, ctx):
    form = open_form(qtbot, ctx)
    form.host.setFocus()
    qtbot.keyClicks(form.host, "zjg")
    assert form.host.completer().popup().isVisible()
    press(qtbot, form.host, Qt.Key.Key_Tab)
    assert form.host.text() == "周建国"
    assert form.recorder.hasFocus()


def test_pinyin_then_enter_takes_the_name_and_a_second_enter_saves(qtbot, ctx, errors):
    form = open_form(qtbot, ctx)
    ime_type(form.topic, "学习")
    form.recorder.setFocus()
    qtbot.keyClicks(form.recorder, "lm")
    press(qtbot, form.recorder, Qt.Key.Key_Return)
    assert form.recorder.text() == "李明"
    assert form.isVisible()  # the first Enter took the name
    form.host.setFocus()
    qtbot.keyClicks(form.host, "zjg")
    press(qtbot, form.host, Qt.Key.Key_Return)
    press(qtbot, form.host, Qt.Key.Key_Return)
    assert not form.isVisible() and errors == []
    (record,) = ctx.ledger.repo.records()
    assert (record.host, record.recorder) == ("周建国", "李明")


def test_an_ambiguous_abbreviation_stays_and_is_refused_at_save(qtbot, ctx, errors):
    form = open_form(qtbot, ctx)
    form.host.setFocus()
    qtbot.keyClicks(form.host, "zj")  # 周建国 and 张建华
    press(qtbot, form.host, Qt.Key.Key_Tab)
    assert form.host.text() == "zj"
    assert form.host.property("invalid") is True  # red at once, not only at save
    form.recorder.setFocus()
    qtbot.keyClick(form.recorder, Qt.Key.Key_Return)
    assert form.isVisible()
    assert errors and "主持人：“zj”不是本支部党员的姓名" in errors[0]
    assert form.host.hasFocus()
    assert ctx.ledger.repo.records() == []


def test_pinyin_that_leaves_with_enter_and_no_list_is_never_saved_as_a_name(qtbot, ctx, errors):
    """The incomplete-record rule must not count ``zjg`` as a filled 记录人: the save refuses it."""
    form = open_form(qtbot, ctx)
    form.recorder.setText("zzz")  # pasted: no completion list, nothing matches
    form.recorder.setFocus()
    qtbot.keyClick(form.recorder, Qt.Key.Key_Return)
    assert errors and "记录人：“zzz”" in errors[0]
    assert ctx.ledger.repo.records() == []


def test_a_guest_lecturer_is_allowed_and_marked(qtbot, ctx, errors):
    form = open_form(qtbot, ctx, "党课")
    assert form.lecturer_note.isHidden()
    ime_type(form.lecturer, "王教授")
    assert form.lecturer_note.isVisible() and form.lecturer_note.text() == "（非本支部）"
    form.lecturer.setFocus()
    form.lecturer.selectAll()
    qtbot.keyClicks(form.lecturer, "zjg")
    press(qtbot, form.lecturer, Qt.Key.Key_Tab)
    assert form.lecturer.text() == "周建国" and form.lecturer_note.isHidden()
    form.lecturer.setText("王教授")
    ime_type(form.topic, "党课")
    form.topic.setFocus()
    qtbot.keyClick(form.topic, Qt.Key.Key_Return)
    assert errors == []
    (record,) = ctx.ledger.repo.records()
    assert record.lecturer == "王教授"


def test_talk_partner_field_is_named_as_the_form_shows_it(qtbot, ctx, errors):
    form = open_form(qtbot, ctx, "谈心谈话")
    form.host.setText("外人")
    form.talk_people.setText("李明")
    form.talk_people.editingFinished.emit()
    form.host.setFocus()
    qtbot.keyClick(form.host, Qt.Key.Key_Return)
    assert errors and "谈话人：“外人”" in errors[0]
