"""年度计划: the year's planned meetings, 党课 (lecturer and month), theme days and volunteer
activities, each with what became of it (from the period model); 复制上年计划; printing the
plan; and the year-end 年度工作总结 / 书记述职 draft (its own dialog)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.plan import DUE, HELD, LATE, LATER, MISSING, PLAN_KINDS, PlanItem, PlanStatus
from ...errors import UserError
from ...services import plan as PL
from ...services import roster as roster_service
from ...services.ledger import Changes
from ..context import AppContext, confirm, show_error
from ..widgets import (
    STATUS_MISSING,
    STATUS_NONE,
    STATUS_OK,
    STATUS_WARN,
    hint_label,
    make_primary,
    remember_header,
    status_background,
    status_foreground,
    status_text,
    title_label,
    year_box,
)

COLUMNS = ("月份", "类型", "主题", "主讲人 / 负责人", "完成情况", "备注")
STATUS_LOOK = {
    HELD: STATUS_OK,
    LATE: STATUS_OK,
    MISSING: STATUS_MISSING,
    DUE: STATUS_WARN,
    LATER: STATUS_NONE,
}


class PlanModel(QAbstractTableModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[PlanStatus] = []

    def load(self, rows: list[PlanStatus]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        s = self.rows[index.row()]
        i = s.item
        col = index.column()
        look = STATUS_LOOK[s.status]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{i.month}月",
                i.kind,
                i.topic,
                i.lecturer,
                status_text(look, s.label),
                i.note,
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 4 and s.done is not None:
            return s.done.text
        if col == 4 and role == Qt.ItemDataRole.ForegroundRole:
            return status_foreground(look)
        if col == 4 and role == Qt.ItemDataRole.BackgroundRole:
            return status_background(look)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class PlanItemDialog(QDialog):
    """添加 / 修改 one plan item."""

    def __init__(self, ctx: AppContext, item: PlanItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.setWindowTitle("修改计划" if item.id else "添加计划")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.month = QComboBox()
        self.month.setObjectName("plan_month")
        for m in range(1, 13):
            self.month.addItem(f"{m}月", m)
        self.month.setCurrentIndex(item.month - 1)
        form.addRow("月份", self.month)
        self.kind = QComboBox()
        self.kind.setObjectName("plan_kind")
        self.kind.addItems(PLAN_KINDS)
        self.kind.setCurrentText(item.kind)
        form.addRow("类型", self.kind)
        self.topic = QLineEdit(item.topic)
        self.topic.setObjectName("plan_topic")
        self.topic.setMinimumWidth(320)
        self.topic.setMaxLength(200)
        form.addRow("主题", self.topic)
        self.lecturer = QLineEdit(item.lecturer)
        self.lecturer.setObjectName("plan_lecturer")
        self.lecturer.setPlaceholderText("党课写主讲人，其他写负责人（可不填）")
        form.addRow("主讲人 / 负责人", self.lecturer)
        self.note = QLineEdit(item.note)
        form.addRow("备注", self.note)
        layout.addLayout(form)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        make_primary(box.button(QDialogButtonBox.StandardButton.Ok))
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def accept(self) -> None:
        i = self.item
        i.month = int(self.month.currentData())
        i.kind = self.kind.currentText()
        i.topic = self.topic.text().strip()
        i.lecturer = self.lecturer.text().strip()
        i.note = self.note.text().strip()
        op = PL.update_item if i.id else PL.add_item
        if self.ctx.run(self, op, i, success="已保存计划"):
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, item: PlanItem) -> bool:
        return cls(ctx, item, parent).exec() == QDialog.DialogCode.Accepted


class PlanPage(QWidget):
    """年度计划."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        today = ctx.ledger.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label("年度计划"))
        top.addSpacing(16)
        top.addWidget(QLabel("年度"))
        self.year_box = year_box(today.year, "plan_year")
        self.year_box.valueChanged.connect(lambda _v: self.reload())
        top.addWidget(self.year_box)
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setObjectName("plan_summary")
        top.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(
            hint_label(
                "年初登记全年的会议、党课（主讲人和月份）、主题党日和志愿服务安排；开展后对照台账自动标为“已开展”，"
                "到期未开展的在工作台提醒。年底可据台账生成年度工作总结（书记述职）草稿。"
            )
        )
        buttons = QHBoxLayout()
        self.add_button = make_primary(QPushButton("添加计划…"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("修改…")
        self.edit_button.clicked.connect(self.edit)
        self.delete_button = QPushButton("删除所选")
        self.delete_button.clicked.connect(self.delete)
        self.copy_button = QPushButton("复制上年计划")
        self.copy_button.clicked.connect(self.copy_last_year)
        self.print_button = QPushButton("打印计划…")
        self.print_button.clicked.connect(self.print_pdf)
        self.summary_button = QPushButton("年度工作总结…")
        self.summary_button.setToolTip("书记述职 / 年度工作总结：按台账生成草稿，修改后保存、打印")
        self.summary_button.clicked.connect(self.open_summary)
        for b in (self.add_button, self.edit_button, self.delete_button, self.copy_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.summary_button)
        layout.addLayout(buttons)

        self.model = PlanModel(self)
        self.table = QTableView()
        self.table.setObjectName("plan_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((52, 96, 250, 140, 190)):
            self.table.setColumnWidth(col, w)
        remember_header(self.table, "plan")
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.table, 1)
        self.reload()

    @property
    def year(self) -> int:
        return self.year_box.value()

    def reload(self) -> None:
        figs = PL.status(self.ctx.ledger, self.year)
        self.model.load(figs.statuses)
        if figs.planned:
            self.summary.setText(
                f"计划 {figs.planned} 项，已开展 {figs.held} 项，到期未开展 {len(figs.missing)} 项"
            )
        else:
            self.summary.setText(f"{self.year}年还没有工作计划")
        self._update_buttons()

    def refresh(self, changes: Changes) -> None:
        if changes.plan or changes.records or changes.volunteer:
            self.reload()

    def activate(self, year: int | None = None, **_kw: Any) -> None:
        if year is not None:
            self.year_box.setValue(year)

    def selected(self) -> list[PlanStatus]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.rows[i.row()] for i in rows if 0 <= i.row() < len(self.model.rows)]

    def _update_buttons(self) -> None:
        n = len(self.selected())
        self.edit_button.setEnabled(n == 1)
        self.delete_button.setEnabled(n > 0)

    def add(self) -> None:
        today = self.ctx.ledger.today()
        month = today.month if today.year == self.year else 1
        PlanItemDialog.ask(self, self.ctx, PlanItem(None, self.year, month, "党课"))

    def edit(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            from dataclasses import replace

            PlanItemDialog.ask(self, self.ctx, replace(chosen[0].item))

    def delete(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        names = "、".join(f"{s.item.month}月{s.item.what}" for s in chosen[:5])
        more = f" 等 {len(chosen)} 项" if len(chosen) > 5 else ""
        if confirm(self, "删除计划", f"删除 {names}{more}？", ok="删除"):
            ids = [s.item.id for s in chosen if s.item.id is not None]
            self.ctx.run(self, PL.delete_items, ids, success=f"已删除 {len(ids)} 项计划")

    def copy_last_year(self) -> None:
        try:
            changes, added = PL.copy_year(self.ctx.ledger, self.year - 1, self.year)
        except UserError as e:
            show_error(self, e)
            return
        self.ctx.notify(changes)
        self.ctx.status(f"已从{self.year - 1}年复制 {added} 项计划")

    def print_pdf(self) -> None:
        from ...services.exports import export_pdf
        from ..exported import save_file

        branch = roster_service.branch(self.ctx.ledger).name or "支部"
        year = self.year
        save_file(
            self,
            "打印计划",
            f"{branch}{year}年度工作计划.pdf",
            "PDF 文件 (*.pdf)",
            lambda target: export_pdf(self.ctx.ledger, year, None, target, sections=["plan"]),
            "年度工作计划",
        )

    def open_summary(self) -> None:
        from ..summary_dialog import SummaryDialog

        SummaryDialog.ask(self, self.ctx, self.year)
