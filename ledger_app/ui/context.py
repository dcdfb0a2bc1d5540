"""What every page gets: the open ledger, a way to announce changes, status bar, navigation.

The page contract: a page is a ``QWidget`` subclass constructed as ``Page(ctx, parent=None)``;
it refreshes itself in ``refresh(changes: Changes)``, which it connects to
``ctx.changed`` in its constructor (the window does not relay changes) and may
implement ``activate(**kwargs)`` which the window calls when the page is shown through
``ctx.navigate(key, **kwargs)`` (e.g. the board opening a new record prefilled for a period).
Service calls go through ``ctx.run(...)`` so that user errors become a message box and every
change is announced once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ..errors import UserError
from ..services.ledger import Changes, Ledger

IMPORT_WORKBOOK, IMPORT_SAMPLE = "import_workbook", "import_sample"  # ctx.command(...)

# page keys, in navigation order
PAGES = (
    ("board", "工作台"),
    ("roster", "党员名册"),
    ("meetings", "三会一课"),
    ("theme", "主题党日"),
    ("other", "组织生活"),
    ("dues", "党费"),
    ("volunteer", "志愿服务"),
    ("export", "导出"),
    ("followup", "评议整改"),  # issue 18: 民主评议等次, 整改清单
    ("plan", "年度计划"),  # issue 20
    ("assessment", "自评定级"),  # issue 20
    ("development", "发展党员"),  # issue 19: the registers
    ("transfers", "组织关系"),
    ("care", "党员关怀"),
    ("settings", "设置"),
)


class AppContext(QObject):
    """Shared by the window and all pages."""

    changed = Signal(object)  # Changes
    status_message = Signal(str)
    navigate_requested = Signal(str, dict)
    command_requested = Signal(str)  # a window action: IMPORT_WORKBOOK, IMPORT_SAMPLE

    def __init__(self, ledger: Ledger, parent: QObject | None = None):
        super().__init__(parent)
        self.ledger = ledger

    def notify(self, changes: Changes | None) -> None:
        """Announce what an operation changed, so every page refreshes what it shows."""
        if changes is not None:
            self.changed.emit(changes)

    def status(self, message: str) -> None:
        """A quiet status-bar line (success feedback)."""
        self.status_message.emit(message)

    def navigate(self, key: str, **kwargs: Any) -> None:
        self.navigate_requested.emit(key, kwargs)

    def command(self, name: str) -> None:
        """Ask the window for one of its actions (the import dialogs) from inside a page."""
        self.command_requested.emit(name)

    def run(
        self,
        parent: QWidget | None,
        op: Callable[..., Changes | None],
        *args: Any,
        success: str | None = None,
        **kwargs: Any,
    ) -> bool:
        """Run a service operation ``op(ledger, *args, **kwargs)``; a UserError is shown to the
        user (nothing was written: services are transactional). Returns True on success."""
        try:
            changes = op(self.ledger, *args, **kwargs)
        except UserError as e:
            show_error(parent, e)
            return False
        self.notify(changes)
        if success:
            self.status(success)
        return True


def show_error(parent: QWidget | None, error: UserError | str, title: str = "无法完成") -> None:
    """A user error as a plain Chinese message box (details listed below the message)."""
    if isinstance(error, UserError):
        text, details = error.message, error.details
    else:
        text, details = str(error), []
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        shown = details[:15]
        more = f"\n…… 另有 {len(details) - 15} 处" if len(details) > 15 else ""
        box.setInformativeText("\n".join(shown) + more)
        if len(details) > 15:
            box.setDetailedText("\n".join(details))
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str, ok: str = "确定") -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes
