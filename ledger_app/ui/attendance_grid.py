"""The attendance grid of the record form: expected members × 出勤, driven by the keyboard.

Arrow keys move; ``1`` / ``2`` / ``3`` set 出席 / 请假 / 缺席 on the selected rows (``2``
opens the reason picker); 全部出席 marks everyone. An expected member nobody marks counts
as 缺席 (contract) and is shown as such, greyed, with “未标记”.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.models import (
    ATTEND_ABSENT,
    ATTEND_LEAVE,
    ATTEND_PRESENT,
    ATTENDANCE_STATUSES,
    LEAVE_REASONS,
    Attendance,
    Member,
)
from .widgets import (
    STATUS_MISSING,
    STATUS_NONE,
    STATUS_OK,
    STATUS_WARN,
    fit_column,
    status_background,
)
from .widgets import status_foreground as _fg

COLUMNS = ("姓名", "党小组", "出勤", "原因")
COL_NAME, COL_GROUP, COL_STATUS, COL_REASON = range(4)
UNMARKED_TEXT = "未标记"  # counts as 缺席 (tooltip and the counts line say so)

_STATUS_LOOK = {
    ATTEND_PRESENT: STATUS_OK,
    ATTEND_LEAVE: STATUS_WARN,
    ATTEND_ABSENT: STATUS_MISSING,
}
_KEYS = {
    Qt.Key.Key_1: ATTEND_PRESENT,
    Qt.Key.Key_2: ATTEND_LEAVE,
    Qt.Key.Key_3: ATTEND_ABSENT,
}


class AttendanceModel(QAbstractTableModel):
    """Rows: the expected members; marks (status, reason) keyed by member id, so that they
    survive a re-derived list (date, kind or group changed)."""

    marksChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._members: list[Member] = []
        self._marks: dict[int, tuple[str, str | None]] = {}

    # --- data in and out -----------------------------------------------------------------

    def set_members(self, members: Sequence[Member]) -> None:
        """Replace the expected list, keeping marks already made for members still in it
        (marks of members no longer expected are kept too, in case they come back)."""
        self.beginResetModel()
        self._members = list(members)
        self.endResetModel()
        self.marksChanged.emit()

    def set_attendance(self, attendance: Sequence[Attendance]) -> None:
        self.beginResetModel()
        self._marks = {a.member_id: (a.status, a.reason) for a in attendance}
        self.endResetModel()
        self.marksChanged.emit()

    def members(self) -> list[Member]:
        return list(self._members)

    def member_at(self, row: int) -> Member:
        return self._members[row]

    def attendance(self) -> list[Attendance]:
        """The marks of the expected members, in list order (unmarked members left out:
        they count as 缺席 by the contract's rule)."""
        out = []
        for m in self._members:
            mark = self._marks.get(m.id)  # type: ignore[arg-type]
            if mark:
                out.append(Attendance(m.id, mark[0], mark[1], m.name))  # type: ignore[arg-type]
        return out

    def status_of(self, member_id: int) -> str | None:
        mark = self._marks.get(member_id)
        return mark[0] if mark else None

    def counts(self) -> tuple[int, int, int, int]:
        """应到, 实到 (出席), 请假, 缺席 (marked or not) of the expected list."""
        present = leave = 0
        for m in self._members:
            status = self.status_of(m.id)  # type: ignore[arg-type]
            if status == ATTEND_PRESENT:
                present += 1
            elif status == ATTEND_LEAVE:
                leave += 1
        n = len(self._members)
        return n, present, leave, n - present - leave

    def unmarked_count(self) -> int:
        return sum(1 for m in self._members if self.status_of(m.id) is None)  # type: ignore[arg-type]

    # --- edits ---------------------------------------------------------------------------

    def mark(self, rows: Sequence[int], status: str, reason: str | None = None) -> None:
        for row in rows:
            if not 0 <= row < len(self._members):
                continue
            mid = self._members[row].id
            old_reason = self._marks.get(mid, (None, None))[1]  # type: ignore[arg-type]
            keep = reason if reason is not None else old_reason
            self._marks[mid] = (status, keep if status == ATTEND_LEAVE else None)  # type: ignore[index]
            self.dataChanged.emit(self.index(row, COL_STATUS), self.index(row, COL_REASON))
        self.marksChanged.emit()

    def mark_all_present(self) -> None:
        """全部出席: everyone not on leave becomes 出席 (a leave already entered is kept)."""
        for m in self._members:
            if self.status_of(m.id) != ATTEND_LEAVE:  # type: ignore[arg-type]
                self._marks[m.id] = (ATTEND_PRESENT, None)  # type: ignore[index]
        if self._members:
            self.dataChanged.emit(
                self.index(0, COL_STATUS), self.index(len(self._members) - 1, COL_REASON)
            )
        self.marksChanged.emit()

    # --- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._members)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._members):
            return str(section + 1)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_STATUS:
            f |= Qt.ItemFlag.ItemIsEditable
        if index.column() == COL_REASON and self.status_of(self._members[index.row()].id) == (  # type: ignore[arg-type]
            ATTEND_LEAVE
        ):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._members):
            return None
        m = self._members[index.row()]
        col = index.column()
        status, reason = self._marks.get(m.id, (None, None))  # type: ignore[arg-type]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_NAME:
                return m.name
            if col == COL_GROUP:
                return m.group_name or ""
            if col == COL_STATUS:
                if role == Qt.ItemDataRole.EditRole:
                    return status or ATTEND_ABSENT
                return status or UNMARKED_TEXT
            if col == COL_REASON:
                return reason or ""
        if col == COL_STATUS and role == Qt.ItemDataRole.ForegroundRole:
            return _fg(_STATUS_LOOK[status] if status else STATUS_NONE)
        if col == COL_STATUS and role == Qt.ItemDataRole.BackgroundRole and status:
            return status_background(_STATUS_LOOK[status])
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_STATUS:
            unmarked = "未标记的按缺席计。" if status is None else ""
            return unmarked + "按 1 出席、2 请假、3 缺席"
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, col = index.row(), index.column()
        if not 0 <= row < len(self._members):
            return False
        if col == COL_STATUS and value in ATTENDANCE_STATUSES:
            self.mark([row], value)
            return True
        if col == COL_REASON:
            mid = self._members[row].id
            status = self.status_of(mid)  # type: ignore[arg-type]
            if status != ATTEND_LEAVE:
                return False
            self._marks[mid] = (ATTEND_LEAVE, (str(value or "").strip() or None))  # type: ignore[index]
            self.dataChanged.emit(index, index)
            self.marksChanged.emit()
            return True
        return False


class _ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor: fixed choices (出勤) or editable ones (请假原因)."""

    def __init__(self, choices: Sequence[str], editable: bool, parent=None):
        super().__init__(parent)
        self.choices = list(choices)
        self.editable = editable

    def createEditor(self, parent, option, index):  # noqa: N802
        box = QComboBox(parent)
        box.addItems(self.choices)
        box.setEditable(self.editable)
        return box

    def setEditorData(self, editor, index):  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        i = editor.findText(value) if value else 0  # no reason yet: offer the first (病假)
        if i >= 0:
            editor.setCurrentIndex(i)
        elif self.editable:
            editor.setEditText(value)
        if self.editable:
            editor.lineEdit().selectAll()  # typing replaces it; ↓ goes on to the next

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class AttendanceView(QTableView):
    """The grid: arrows move, 1/2/3 mark the selected rows and move on."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)  # Tab leaves the grid (reading order of the form)
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().setVisible(False)
        self.setItemDelegateForColumn(COL_STATUS, _ChoiceDelegate(ATTENDANCE_STATUSES, False, self))
        self.setItemDelegateForColumn(COL_REASON, _ChoiceDelegate(LEAVE_REASONS, True, self))

    def selected_rows(self) -> list[int]:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return rows

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        status = _KEYS.get(event.key())  # type: ignore[call-overload]
        model = self.model()
        if status is None or not isinstance(model, AttendanceModel) or not model.rowCount():
            super().keyPressEvent(event)
            return
        rows = self.selected_rows()
        if not rows:
            rows = [0]
        model.mark(rows, status)
        if status == ATTEND_LEAVE and len(rows) == 1:
            # ask the reason right away; Enter in the picker commits it
            index = model.index(rows[0], COL_REASON)
            self.setCurrentIndex(index)
            self.edit(index)
        else:
            self._go_to(min(rows[-1] + 1, model.rowCount() - 1))
        event.accept()

    def _go_to(self, row: int) -> None:
        model = self.model()
        index = model.index(row, COL_STATUS)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802
        index = QPersistentModelIndex(self.currentIndex())
        super().closeEditor(editor, hint)
        # after the reason is entered, go on to the next member
        if index.isValid() and index.column() == COL_REASON:
            if hint == QStyledItemDelegate.EndEditHint.SubmitModelCache or hint == (
                QStyledItemDelegate.EndEditHint.NoHint
            ):
                self._go_to(min(index.row() + 1, self.model().rowCount() - 1))


class AttendanceGrid(QWidget):
    """View + 全部出席 button + the live 应到 / 实到 / 请假 / 缺席 line."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = AttendanceModel(self)
        self.view = AttendanceView(self)
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        # widths from the texts (set_members), not ResizeToContents: that asked every cell of
        # a 300-person meeting for its size, twice, before the form could show
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)

        self.all_present = QPushButton("全部出席")
        self.all_present.setToolTip("把未请假的应到人员全部标为出席")
        self.all_present.clicked.connect(self.model.mark_all_present)
        self.hint = QLabel("↑↓ 选择，1 出席 · 2 请假 · 3 缺席")
        self.hint.setProperty("role", "hint")
        self.counts_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.all_present)
        top.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.counts_label)
        self.model.marksChanged.connect(self._on_marks)
        self.model.modelReset.connect(self._on_marks)
        self._on_marks()
        self.setFocusProxy(self.view)

    def _on_marks(self) -> None:
        n, present, leave, absent = self.model.counts()
        unmarked = self.model.unmarked_count()
        text = f"应到 {n} 人　实到 {present} 人　请假 {leave} 人　缺席 {absent} 人"
        if unmarked and unmarked < n:
            text += f"（其中 {unmarked} 人未标记）"
        elif unmarked and n:
            text += "（尚未标记出勤）"
        self.counts_label.setText(text)
        self.changed.emit()

    def set_members(self, members: Sequence[Member]) -> None:
        self.model.set_members(members)
        fit_column(self.view, COL_NAME, (m.name for m in members))
        fit_column(self.view, COL_GROUP, (m.group_name or "" for m in members))
        fit_column(self.view, COL_STATUS, (*ATTENDANCE_STATUSES, UNMARKED_TEXT))
        if members and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, COL_STATUS))
