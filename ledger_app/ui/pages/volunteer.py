"""志愿服务: entries filtered by month, one activity for several members at once, per-member
totals and the members below the monthly expectation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import format_date
from ...domain.models import Member, VolunteerEntry
from ...domain.names import matches
from ...domain.volunteer import EXPECTED_CATEGORIES, format_hours, parse_hours
from ...services import roster as roster_service
from ...services import volunteer as V
from ...services.ledger import Changes
from ..context import AppContext, confirm, show_error
from ..unsaved import GuardedDialog
from ..widgets import (
    STATUS_MISSING,
    STATUS_OK,
    STATUS_WARN,
    DateEdit,
    hint_label,
    make_primary,
    remember_header,
    set_invalid,
    status_foreground,
    status_text,
    title_label,
    year_box,
)

ENTRY_COLUMNS = ("日期", "姓名", "服务项目", "地点", "时长(小时)", "证明人", "备注")
TOTAL_COLUMNS = ("姓名", "党小组", "人员类别", "次数", "时长(小时)")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
WHOLE_YEAR = 0


class _ListModel(QAbstractTableModel):
    """A read-only table over a list of rows; subclasses say how a row shows."""

    columns: tuple[str, ...] = ()
    right_aligned: tuple[int, ...] = ()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[Any] = []

    def load(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section] if 0 <= section < len(self.columns) else None
        return section + 1 if 0 <= section < len(self._rows) else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, index.column())
        if role == ENTRY_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, row: Any, col: int) -> str:
        raise NotImplementedError


class VolunteerModel(_ListModel):
    columns = ENTRY_COLUMNS
    right_aligned = (4,)

    def text(self, e: VolunteerEntry, col: int) -> str:
        values = (
            format_date(e.date),
            e.member_name or "",
            e.project or "",
            e.place or "",
            format_hours(e.half_hours),
            e.witness or "",
            e.note or "",
        )
        return values[col]


class MemberHoursModel(_ListModel):
    columns = TOTAL_COLUMNS
    right_aligned = (3, 4)

    def text(self, r: V.MemberHours, col: int) -> str:
        values = (r.name, r.group or "", r.category, str(r.count), format_hours(r.half_hours))
        return values[col]


# --- the add dialog ---------------------------------------------------------------------------


class ServiceDialog(GuardedDialog, QDialog):
    """登记志愿服务: one activity, any number of members (all with the same hours)."""

    unsaved_what = "这次志愿服务登记"

    def __init__(self, ctx: AppContext, day: dt.date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("登记志愿服务")
        self._members: list[Member] = roster_service.members(ctx.ledger)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.date = DateEdit(default_year=ctx.ledger.today().year, required=True)
        self.date.setObjectName("service_date")
        self.date.setDate(day or ctx.ledger.today())
        self.date.dateChanged.connect(lambda _d: self._fill())
        form.addRow("日期", self.date)
        self.hours = QLineEdit()
        self.hours.setObjectName("service_hours")
        self.hours.setPlaceholderText("小时，以 0.5 为单位，如 1.5")
        self.hours.setMaxLength(6)
        form.addRow("时长(小时)", self.hours)
        self.project = QLineEdit()
        self.project.setObjectName("service_project")
        self.project.setPlaceholderText("如：垃圾分类宣传")
        form.addRow("服务项目", self.project)
        self.place = QLineEdit()
        self.place.setPlaceholderText("地点或报到社区")
        form.addRow("地点", self.place)
        self.witness = QLineEdit()
        form.addRow("证明人", self.witness)
        self.note = QLineEdit()
        form.addRow("备注", self.note)
        layout.addLayout(form)

        people = QGroupBox("参加人员（勾选）")
        pl = QVBoxLayout(people)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找姓名或拼音首字母")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        row.addWidget(self.search, 1)
        self.all_working = QPushButton("勾选全部在职")
        self.all_working.clicked.connect(self._check_working)
        row.addWidget(self.all_working)
        self.none_button = QPushButton("全不选")
        self.none_button.clicked.connect(lambda: self._set_all(False))
        row.addWidget(self.none_button)
        pl.addLayout(row)
        self.list = QListWidget()
        self.list.setObjectName("service_members")
        self.list.itemChanged.connect(lambda _i: self._update())
        pl.addWidget(self.list)
        self.count = QLabel()
        pl.addWidget(self.count)
        layout.addWidget(people, 1)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText("登记")
        make_primary(box.button(QDialogButtonBox.StandardButton.Ok))
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self._fill()
        # at 1366×768 and 125 % the screen has ≈570 px of height: stay inside it
        screen = self.screen() or QApplication.primaryScreen()
        avail_h = screen.availableGeometry().height() if screen else 728
        self.resize(440, max(self.minimumSizeHint().height(), min(600, avail_h - 60)))
        self.mark_clean()

    def snapshot(self) -> tuple:
        texts = (self.date, self.hours, self.project, self.place, self.witness, self.note)
        return (*(e.text().strip() for e in texts), tuple(self.member_ids()))

    def _fill(self) -> None:
        checked = set(self.member_ids())
        try:
            day = self.date.date()
        except ValueError:
            day = None
        self.list.blockSignals(True)
        self.list.clear()
        for m in self._members:
            if day is not None and not m.belongs_on(day):
                continue
            item = QListWidgetItem(
                f"{m.name}（{m.category}{'，' + m.group_name if m.group_name else ''}）"
            )
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, m)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if m.id in checked else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._filter(self.search.text())
        self._update()

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def _filter(self, text: str) -> None:
        for item in self._items():
            m = item.data(Qt.ItemDataRole.UserRole + 1)
            item.setHidden(not matches(m.name, text))

    def _set_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for item in self._items():
            item.setCheckState(state)

    def _check_working(self) -> None:
        for item in self._items():
            if item.data(Qt.ItemDataRole.UserRole + 1).category in EXPECTED_CATEGORIES:
                item.setCheckState(Qt.CheckState.Checked)

    def check_member(self, member_id: int, on: bool = True) -> None:
        for item in self._items():
            if item.data(Qt.ItemDataRole.UserRole) == member_id:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def member_ids(self) -> list[int]:
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _update(self) -> None:
        self.count.setText(f"已选 {len(self.member_ids())} 人")

    def accept(self) -> None:
        try:
            day = self.date.date()
        except ValueError as e:
            set_invalid(self.date, True, str(e))
            show_error(self, f"日期：{e}")
            self.date.setFocus(Qt.FocusReason.OtherFocusReason)  # back to the field, selected
            return
        try:
            if not self.hours.text().strip():
                raise ValueError("请填写时长（小时，以 0.5 为单位，如 1.5）")
            halves = parse_hours(self.hours.text())
        except ValueError as e:
            set_invalid(self.hours, True, str(e))
            show_error(self, f"时长：{e}")
            self.hours.setFocus()
            return
        set_invalid(self.hours, False)
        ids = self.member_ids()
        ok = self.ctx.run(
            self,
            V.add_service,
            ids,
            day,
            halves,
            self.project.text(),
            self.place.text(),
            self.witness.text(),
            self.note.text(),
            success=f"已登记志愿服务 {len(ids)} 人次",
        )
        if ok:
            super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        ctx: AppContext,
        day: dt.date | None = None,
        member_ids: list[int] | None = None,
    ) -> bool:
        dialog = cls(ctx, day, parent=parent)
        for member_id in member_ids or ():
            dialog.check_member(member_id)
        dialog.mark_clean()
        return dialog.exec() == QDialog.DialogCode.Accepted


# --- the page -------------------------------------------------------------------------------


class VolunteerPage(QWidget):
    """志愿服务."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        self.entries = VolunteerModel(self)
        self.totals = MemberHoursModel(self)
        today = ctx.ledger.today()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label("志愿服务"))
        top.addSpacing(16)
        top.addWidget(QLabel("年度"))
        self.year_box = year_box(today.year, "volunteer_year")
        top.addWidget(self.year_box)
        top.addWidget(QLabel("月份"))
        self.month_box = QComboBox()
        self.month_box.setObjectName("volunteer_month")
        self.month_box.addItem("全年", WHOLE_YEAR)
        for m in range(1, 13):
            self.month_box.addItem(f"{m}月", m)
        self.month_box.setCurrentIndex(today.month)
        top.addWidget(self.month_box)
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setObjectName("volunteer_summary")
        top.addWidget(self.summary)
        layout.addLayout(top)
        self.year_box.valueChanged.connect(lambda _v: self.reload())
        self.month_box.currentIndexChanged.connect(lambda _i: self.reload())

        buttons = QHBoxLayout()
        self.add_button = make_primary(QPushButton("登记志愿服务…"))
        self.add_button.setToolTip("一次活动可同时勾选多名党员")
        self.add_button.clicked.connect(lambda: self.add_service())
        self.delete_button = QPushButton("删除所选")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableView()
        self.table.setObjectName("volunteer_table")
        self.table.setModel(self.entries)
        # 证明人 wide enough for "社区主任 王芳"; no row numbers: at 1366 px and 125 % the
        # whole row, 证明人 included, fits beside the totals
        self._setup_table(self.table, (86, 60, 106, 86, 76, 110, 80))
        self.table.verticalHeader().hide()
        remember_header(self.table, "volunteer", ctx.ledger.path)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        split.addWidget(self.table)

        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(8, 0, 0, 0)
        totals_box = QGroupBox("按党员合计")
        tl = QVBoxLayout(totals_box)
        self.totals_table = QTableView()
        self.totals_table.setObjectName("volunteer_totals")
        self.totals_table.setModel(self.totals)
        self._setup_table(self.totals_table, (60, 84, 68, 40, 60))
        self.totals_table.verticalHeader().hide()
        tl.addWidget(self.totals_table)
        sl.addWidget(totals_box, 3)
        self.below_box = QGroupBox("未达到每月要求")
        bl = QVBoxLayout(self.below_box)
        self.below_hint = hint_label("")
        bl.addWidget(self.below_hint)
        self.below = QListWidget()
        self.below.setObjectName("volunteer_below")
        self.below.setToolTip("双击为该党员登记志愿服务")
        self.below.itemActivated.connect(self._below_activated)
        bl.addWidget(self.below)
        sl.addWidget(self.below_box, 2)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.reload()

    @staticmethod
    def _setup_table(table: QTableView, widths: tuple[int, ...]) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setDefaultSectionSize(26)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate(widths):
            table.setColumnWidth(col, w)

    @property
    def year(self) -> int:
        return self.year_box.value()

    @property
    def month(self) -> int | None:
        m = self.month_box.currentData()
        return None if m == WHOLE_YEAR else int(m)

    def reload(self) -> None:
        ledger = self.ctx.ledger
        year, month = self.year, self.month
        entries = V.services(ledger, year, month)
        self.entries.load(entries)
        self.totals.load(V.member_totals(ledger, year, month))
        halves = sum(e.half_hours for e in entries)
        people = len({e.member_id for e in entries})
        period = f"{year}年{month}月" if month else f"{year}年"
        self.summary.setText(
            f"{period}：{len(entries)} 人次，{people} 人，共 {format_hours(halves)} 小时"
        )
        self.below.clear()
        need = V.min_per_month(ledger)
        self.below_box.setTitle(f"未达到每月要求（在职党员每月至少 {need} 次）")
        if month is None:
            self.below_hint.setText("选择月份后显示该月未达到要求的党员。")
            self.below_hint.show()
        else:
            self.below_hint.hide()
            below = V.below_expectation(ledger, year, month)
            today = ledger.today()
            # a month still under way is "not yet" (amber), not "missed" (red)
            running = (year, month) >= (today.year, today.month)
            kind, word = (STATUS_WARN, "至今") if running else (STATUS_MISSING, "")
            for m, n in below:
                item = QListWidgetItem(status_text(kind, f"{m.name}：{month}月{word} {n} 次"))
                item.setData(Qt.ItemDataRole.UserRole, m.id)
                item.setForeground(status_foreground(kind))
                self.below.addItem(item)
            if not below:
                item = QListWidgetItem(status_text(STATUS_OK, "全部达到要求"))
                item.setForeground(status_foreground(STATUS_OK))
                self.below.addItem(item)
        self._update_buttons()

    def refresh(self, changes: Changes) -> None:
        if changes.volunteer or changes.members or changes.settings:
            self.reload()

    def activate(self, year: int | None = None, month: int | None = None, **_kw: Any) -> None:
        if year is not None:
            self.year_box.setValue(year)
        if month is not None:
            self.month_box.setCurrentIndex(month)

    def selected_entries(self) -> list[VolunteerEntry]:
        rows = self.table.selectionModel().selectedRows()
        return [self.entries.row_at(i.row()) for i in rows if self.entries.row_at(i.row())]

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(bool(self.selected_entries()))

    def add_service(self, member_id: int | None = None) -> None:
        ServiceDialog.ask(self, self.ctx, member_ids=[member_id] if member_id else None)

    def _below_activated(self, item: QListWidgetItem) -> None:
        member_id = item.data(Qt.ItemDataRole.UserRole)
        if member_id is not None:
            self.add_service(member_id)

    def delete_selected(self) -> None:
        entries = self.selected_entries()
        if not entries:
            return
        names = "、".join(f"{e.member_name} {format_date(e.date)}" for e in entries[:5])
        more = f" 等 {len(entries)} 条" if len(entries) > 5 else ""
        if not confirm(self, "删除志愿服务记录", f"删除 {names}{more}？", ok="删除"):
            return
        ids = [e.id for e in entries if e.id is not None]
        self.ctx.run(self, V.delete_services, ids, success=f"已删除 {len(ids)} 条志愿服务记录")
