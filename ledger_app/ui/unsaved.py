"""Unsaved changes are never lost silently: one question (保存 / 放弃 / 取消) for every page and
dialog with edits, asked when it is closed (Esc, 取消, the window's close button, quitting).

A page answers the main window's ``can_close()`` with :func:`settle`; a dialog mixes in
:class:`GuardedDialog`. Tests monkeypatch :meth:`UnsavedQuestion.ask`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class UnsavedQuestion:
    """The one question. ``what`` names what has the edits: “这条记录”, “设置”, “党员信息”."""

    @classmethod
    def ask(cls, parent: QWidget | None, what: str) -> str:
        """SAVE | DISCARD | CANCEL (Esc and the box's close button: CANCEL)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "未保存的修改",
            f"{what}有未保存的修改。",
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        box.setInformativeText("保存：保存后关闭；放弃：不保存这些修改；取消：回去继续编辑。")
        save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("放弃", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return SAVE
        if clicked is discard:
            return DISCARD
        return CANCEL


def settle(
    parent: QWidget | None, what: str, dirty: Callable[[], bool], save: Callable[[], bool]
) -> bool:
    """True when it is fine to close: nothing unsaved, saved (``save`` returned True) or
    discarded; False when the clerk cancels or the save failed (its error was shown)."""
    if not dirty():
        return True
    answer = UnsavedQuestion.ask(parent, what)
    if answer == SAVE:
        return bool(save())
    return answer == DISCARD


class GuardedDialog:
    """Mixin for a QDialog with edits (put it before QDialog in the bases): Esc, 取消 and the
    close button ask before edits are lost. The dialog provides ``snapshot()`` (its values),
    calls ``mark_clean()`` once it is filled, and may override ``commit() -> bool`` (save and
    close; by default its OK button's ``accept``)."""

    unsaved_what = "所做的修改"
    _clean: object = None

    def snapshot(self) -> object:
        raise NotImplementedError

    def commit(self) -> bool:
        """Save as the dialog's own OK button does (its ``accept`` closes it on success)."""
        self.setResult(0)  # type: ignore[attr-defined]
        self.accept()  # type: ignore[attr-defined]
        return self.result() == 1  # type: ignore[attr-defined]

    def mark_clean(self) -> None:
        self._clean = self.snapshot()

    def is_dirty(self) -> bool:
        return self.snapshot() != self._clean

    def reject(self) -> None:
        # Esc, 取消 and the close button (QDialog.closeEvent) all come here
        if self.is_dirty():
            answer = UnsavedQuestion.ask(self, self.unsaved_what)  # type: ignore[arg-type]
            if answer == SAVE:
                self.commit()  # closes the dialog (accepted) when it saved
                return
            if answer == CANCEL:
                return
        super().reject()  # type: ignore[misc]
