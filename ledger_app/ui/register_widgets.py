"""Pieces the 发展党员, 组织关系 and 党员关怀 pages share: a read-only table model over a
list, the register's 待办与提醒 box, a member field that completes from the roster, a
small form dialog (Enter saves, Esc cancels, unsaved edits are asked about), saving a file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.models import Member
from .context import AppContext, confirm
from .widgets import (
    DateEdit,
    NameCompleter,
    app_settings,
    hint_label,
    make_primary,
    status_foreground,
)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1

# --- tables -------------------------------------------------------------------------------


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of rows: ``cell(row, column)`` says what each shows,
    ``status(row, column)`` (optional) the house status colour of a cell."""

    def __init__(
        self,
        columns: Sequence[str],
        cell: Callable[[Any, int], str],
        status: Callable[[Any, int], str | None] | None = None,
        right: Iterable[int] = (),
        parent: Any = None,
    ):
        super().__init__(parent)
        self.columns = tuple(columns)
        self._cell = cell
        self._status = status
        self._right = set(right)
        self._rows: list[Any] = []

    def load(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[Any]:
        return self._rows

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self.columns[section] if 0 <= section < len(self.columns) else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cell(row, index.column())  # the tip: a cut-off cell in full
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and self._status is not None:
            kind = self._status(row, index.column())
            return status_foreground(kind) if kind else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def make_table(model: RowsModel, name: str, widths: Sequence[int]) -> QTableView:
    """A list table in the house look: whole rows selected, read-only, no row numbers."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.horizontalHeader().setStretchLastSection(True)
    for col, w in enumerate(widths):
        table.setColumnWidth(col, w)
    return table


def list_actions(
    table: QTableView,
    actions: Sequence[tuple[str, Callable[[], None]]],
    on_open: Callable[[], None],
    on_select: Callable[[], None],
    tail: QWidget | None = None,
) -> tuple[QHBoxLayout, list[QPushButton]]:
    """The buttons under a list (the first one primary), then ``tail`` on the right; a
    double-click or Enter on a row calls ``on_open``, a new selection ``on_select``."""
    table.activated.connect(lambda _i: on_open())
    table.selectionModel().selectionChanged.connect(lambda *_: on_select())
    row = QHBoxLayout()
    buttons = []
    for i, (text, slot) in enumerate(actions):
        button = QPushButton(text)
        if i == 0:
            make_primary(button)
        button.clicked.connect(lambda _checked=False, slot=slot: slot())
        row.addWidget(button)
        buttons.append(button)
    row.addStretch(1)
    if tail is not None:
        row.addWidget(tail)
    return row, buttons


def selected_row(table: QTableView) -> Any:
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    index = rows[0] if rows else table.currentIndex()
    return index.data(ROW_ROLE) if index.isValid() else None


# --- 待办与提醒 -----------------------------------------------------------------------------


class RemindersBox(QGroupBox):
    """A register's lines of the 待办与提醒 (the 工作台's list, ui.reminders): a click opens
    where the line is fixed."""

    def __init__(self, ctx: AppContext, rows: int = 3, parent: QWidget | None = None):
        from .reminders import ReminderList

        super().__init__("待办与提醒", parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        self.list = ReminderList(ctx)
        self.list.setObjectName("register_reminders")
        self.list.setMaximumHeight(24 * rows + 6)
        layout.addWidget(self.list)

    def load(self, reminders: Iterable[Any]) -> None:
        found = list(reminders)
        self.list.set_reminders(found)
        self.setTitle(f"待办与提醒（{len(found)}）" if found else "待办与提醒")

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


def register_reminders(ctx: AppContext, source: str) -> list[Any]:
    """This year's reminders of one register, as of today (the period model keeps them)."""
    from ..services.period import load

    today = ctx.ledger.today()
    return [r for r in load(ctx.ledger, today.year).reminders if r.source == source]


# --- choosing a member ------------------------------------------------------------------------


class MemberField(QLineEdit):
    """A member typed by name or pinyin initials (``zjg`` → 周建国), completed from
    ``members()``; a name two members share is told apart by the 党小组."""

    def __init__(self, members: Callable[[], list[Member]], parent: QWidget | None = None):
        super().__init__(parent)
        self._members = members
        self.setPlaceholderText("输入姓名或拼音首字母")
        NameCompleter.attach(self, lambda: [label for label, _ in self._labels()])

    def _labels(self) -> list[tuple[str, Member]]:
        found = self._members()
        counts: dict[str, int] = {}
        for m in found:
            counts[m.name] = counts.get(m.name, 0) + 1
        return [
            (m.name if counts[m.name] == 1 else f"{m.name}（{m.group_name or m.id}）", m)
            for m in found
        ]

    def member(self) -> Member | None:
        text = self.text().strip()
        for label, m in self._labels():
            if label == text:
                return m
        return None

    def set_member(self, m: Member | None) -> None:
        if m is None:
            self.clear()
            return
        for label, x in self._labels():
            if x.id == m.id:
                self.setText(label)
                return
        self.setText(m.name)


def combo(items: Iterable[str], editable: bool = False, blank: bool = True) -> QComboBox:
    """A drop-down of ``items`` (a blank first unless ``blank`` is false); ``editable``: the
    clerk may also type something else."""
    box = QComboBox()
    box.setEditable(editable)
    if editable:
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems(([""] if blank else []) + list(items))
    return box


# --- the meeting that decided something --------------------------------------------------------


class MeetingBox(QComboBox):
    """The meeting record that decided a step or an honour, chosen from the ledger's records
    (nearest first), or written as text when the ledger does not have it (an old one)."""

    NONE = "（不关联会议记录）"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.records: list = []

    def load(self, records: list) -> None:
        from ..domain.development import meeting_label

        self.records = list(records)
        self.blockSignals(True)
        self.clear()
        self.addItem(self.NONE, None)
        for r in self.records:
            label = meeting_label(r.date, r.kind) + (f" {r.topic}" if r.topic else "")
            self.addItem(label[:40], r.id)
        self.blockSignals(False)

    def value(self) -> tuple[int | None, str | None]:
        """(record id, None) for a record chosen from the list, (None, text) for one
        written, (None, None) for none."""
        text = self.currentText().strip()
        if self.currentData() is not None and text == self.itemText(self.currentIndex()):
            return self.currentData(), None
        if text and text != self.NONE:
            return None, text
        return None, None

    def set_value(self, record_id: int | None, written: str | None) -> None:
        index = self.findData(record_id) if record_id is not None else -1
        if index >= 0:
            self.setCurrentIndex(index)
        elif written:
            self.setEditText(written)

    def chosen(self):
        """The record chosen from the list, or None."""
        rid = self.currentData()
        return next((r for r in self.records if r.id == rid), None)


# --- a form dialog ----------------------------------------------------------------------------


class FormDialog(QDialog):
    """Label–field rows, a hint, 保存 (Enter) and 取消 (Esc). Subclasses add rows and
    implement :meth:`save` (True when saved); closing with unsaved edits asks first."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        self._columns = QHBoxLayout()
        self._columns.setSpacing(18)
        self.forms: list[QFormLayout] = []
        self.form = self._new_form()
        layout.addLayout(self._columns)
        self.hint = hint_label("")
        self.hint.hide()
        layout.addWidget(self.hint)
        self.error = QLabel()
        self.error.setObjectName("form_error")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        box = QDialogButtonBox()
        self.save_button = make_primary(
            box.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        )
        self.save_button.setDefault(True)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self._initial: tuple | None = None
        self.setMinimumWidth(460)

    def _new_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._columns.addLayout(form, 1)
        self.forms.append(form)
        return form

    def add(self, label: str, widget: QWidget, required: bool = False, column: int = 0):
        """A labelled field; ``column`` 1 puts it in a second column (a long form stays
        inside a 1366×768 screen at 125 %)."""
        while len(self.forms) <= column:
            self._new_form()
        text = f"{label} *" if required else label
        lab = QLabel(text)
        lab.setBuddy(widget)
        self.forms[column].addRow(lab, widget)
        self.fields[label] = widget
        return widget

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def ready(self) -> None:
        """Call when filled in: what the dialog holds now is the unchanged state."""
        self._initial = self._snapshot()

    def _snapshot(self) -> tuple:
        out = []
        for w in self.fields.values():
            if isinstance(w, QComboBox):
                out.append(w.currentText())
            elif isinstance(w, QSpinBox):
                out.append(w.value())
            elif isinstance(w, QLineEdit):
                out.append(w.text())
        return tuple(out)

    def is_dirty(self) -> bool:
        return self._initial is not None and self._snapshot() != self._initial

    def fail(self, field: str, message: str) -> None:
        """Say what is wrong beside the buttons and put the cursor in the field."""
        self.error.setText(f"{field}：{message}")
        self.error.show()
        widget = self.fields.get(field)
        if widget is not None:
            widget.setFocus()

    def date_of(self, field: str, required: bool = False):
        """The date in a DateEdit field; None (with the error shown) when unreadable."""
        edit = self.fields[field]
        assert isinstance(edit, DateEdit)
        try:
            day = edit.date()
        except ValueError as e:
            self.fail(field, str(e))
            raise _Invalid from None
        if day is None and required:
            self.fail(field, "请填写日期")
            raise _Invalid
        return day

    def save(self) -> bool:
        raise NotImplementedError

    def accept(self) -> None:
        self.error.hide()
        try:
            ok = self.save()
        except _Invalid:
            return
        if ok:
            self._initial = self._snapshot()
            super().accept()

    def reject(self) -> None:
        if self.is_dirty() and not confirm(
            self, "放弃修改", "所填写的内容尚未保存，确定放弃吗？", ok="放弃"
        ):
            return
        super().reject()


class _Invalid(Exception):
    """A field could not be read; the dialog already says so."""


def ask_choice(parent: QWidget, title: str, text: str, choices: Sequence[str]) -> str | None:
    """A question with the ``choices`` as buttons (the first is the default) and 取消;
    the choice made, or None (tests monkeypatch this)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    buttons = [box.addButton(c, QMessageBox.ButtonRole.AcceptRole) for c in choices]
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(buttons[0])
    box.exec()
    for b, c in zip(buttons, choices):
        if box.clickedButton() is b:
            return c
    return None


# --- saving a file ------------------------------------------------------------------------------


def ask_save_path(parent: QWidget, title: str, default_name: str, file_filter: str) -> Path | None:
    """A save dialog starting in the last export folder (tests monkeypatch this)."""
    folder = app_settings().value("export/folder") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    )
    start = str(Path(str(folder)) / default_name) if folder else default_name
    path, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    return Path(path) if path else None


def show_saved(parent: QWidget, ctx: AppContext, path: Path) -> None:
    """Say where the file went and offer to open it or its folder."""
    app_settings().setValue("export/folder", str(path.parent))
    ctx.status(f"已保存：{path.name}")
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "已保存",
        f"已保存到：{path}",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
