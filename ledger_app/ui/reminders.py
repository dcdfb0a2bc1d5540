"""待办与提醒 on the 工作台: the period model's reminders (整改 due, 发展党员 steps, 回执 not
returned, leading cadres' 党课, the year plan …), overdue first; each opens where it is
fixed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ..domain.dates import format_date
from ..domain.period import Reminder
from .context import AppContext
from .widgets import STATUS_MISSING, STATUS_NONE, STATUS_WARN, status_foreground, status_text

_LEVEL = {"missing": STATUS_MISSING, "warn": STATUS_WARN, "info": STATUS_NONE}


def reminder_text(r: Reminder) -> str:
    """``! 整改：… （2025-07-01 到期）`` — a word and an icon, never colour alone."""
    when = f"（{format_date(r.due)}）" if r.due else ""
    return status_text(_LEVEL.get(r.level, STATUS_NONE), f"{r.source}：{r.text}{when}")


class ReminderList(QListWidget):
    """The reminders as a list; a click opens the reminder's target page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reminders")
        self.setWordWrap(True)
        self.itemActivated.connect(self._open)
        self.itemClicked.connect(self._open)

    def set_reminders(self, reminders: list[Reminder]) -> None:
        self.clear()
        for r in reminders:
            item = QListWidgetItem(reminder_text(r))
            item.setForeground(status_foreground(_LEVEL.get(r.level, STATUS_NONE)))
            item.setData(Qt.ItemDataRole.UserRole, r.target)
            item.setToolTip("点击打开" if r.target else "")
            self.addItem(item)
        if not reminders:
            self.addItem(QListWidgetItem("没有待办的事项。"))

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            page, kwargs = target
            self.ctx.navigate(page, **dict(kwargs))
