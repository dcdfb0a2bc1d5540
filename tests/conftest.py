"""Shared fixtures: an in-memory ledger, a fixed 'today', a tiny roster builder."""

from __future__ import annotations

import datetime as dt
import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ledger_app.domain.models import Member  # noqa: E402
from ledger_app.services.ledger import Ledger  # noqa: E402

SAMPLE = os.path.join(
    os.path.dirname(__file__), "..", "resources", "samples", "示例党支部-2024.xlsx"
)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the real user data folder from a test."""
    monkeypatch.setenv("LEDGER_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(autouse=True)
def _no_modal_unsaved_question(monkeypatch):
    """A dialog or page left with edits when a test ends closes without the (modal) question
    (保存 / 放弃 / 取消); a test that is about the question answers it itself."""
    module = sys.modules.get("ledger_app.ui.unsaved")
    if module is not None:
        monkeypatch.setattr(
            module.UnsavedQuestion, "ask", classmethod(lambda cls, parent, what: "discard")
        )


@pytest.fixture
def ledger() -> Ledger:
    """An empty in-memory ledger whose 'today' is 2026-01-15 (so all of 2025 has ended)."""
    lg = Ledger.open(None, today=dt.date(2026, 1, 15))
    yield lg
    lg.close()


def add_member(ledger: Ledger, name: str, **kw) -> Member:
    """Add a member with sensible defaults (在职 正式党员 since 2000)."""
    group = kw.pop("group", None)
    m = Member(id=None, name=name, join_date=kw.pop("join_date", dt.date(2000, 7, 1)), **kw)
    with ledger.repo.atomic():  # the program writes only in its transactions (audit seals)
        if group:
            m.group_id = ledger.repo.ensure_group(group)
        ledger.repo.add_member(m)
    return m


def ime_type(widget, text: str) -> None:
    """Type Chinese into a focused field as an input method does: it commits the characters
    (QTest's key clicks only know ASCII)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def show_active(qtbot, widget) -> None:
    """Show ``widget`` as the active window, so that focus and Tab behave as on a desktop."""
    widget.show()
    qtbot.waitExposed(widget)
    widget.windowHandle().requestActivate()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)
