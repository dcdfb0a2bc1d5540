"""组织关系: 转入 and 转出 with their 介绍信 and 回执, and 流动党员."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import transfers as T
from ...domain.dates import format_date
from ...domain.registers import SOURCE_TRANSFER
from ...services import transfers as S
from ...services.ledger import Changes
from ..context import AppContext, confirm
from ..register_widgets import (
    RemindersBox,
    RowsModel,
    list_actions,
    make_table,
    register_reminders,
    selected_row,
)
from ..transfer_dialogs import FlowDialog, TransferDialog, TransferInDialog
from ..widgets import (
    STATUS_MISSING,
    STATUS_OK,
    STATUS_WARN,
    hint_label,
    remember_header,
    title_label,
)

ALL_YEARS = 0


class TransfersPage(QWidget):
    """组织关系."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        today = ctx.ledger.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label("组织关系"))
        top.addSpacing(16)
        top.addWidget(QLabel("年度"))
        self.year = QComboBox()
        self.year.setObjectName("transfers_year")
        self.year.addItem("全部", ALL_YEARS)
        for y in range(today.year, today.year - 10, -1):
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(0)  # a branch has few transfers: all of them
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(QLabel("回执超过"))
        self.days = QSpinBox()
        self.days.setObjectName("transfers_receipt_days")
        self.days.setRange(1, 365)
        self.days.setSuffix(" 天")
        self.days.setMaximumWidth(90)
        self.days.setToolTip("组织关系转出后回执超过这些天仍未返回，列为逾期（工作台提醒）")
        self.days.setValue(S.receipt_days(ctx.ledger))
        self.days.editingFinished.connect(self._days_changed)
        top.addWidget(self.days)
        top.addWidget(QLabel("未返回即提醒"))
        layout.addLayout(top)

        self.reminders = RemindersBox(ctx)
        layout.addWidget(self.reminders)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("transfers_tabs")
        # 转入转出
        page = QWidget()
        pl = QVBoxLayout(page)
        self.transfers = RowsModel(
            ("类型", "姓名", "日期", "介绍信编号", "对方党组织", "回执", "备注"),
            self._transfer_cell,
            self._transfer_status,
        )
        self.table = make_table(self.transfers, "transfers_table", (50, 70, 88, 140, 190, 140))
        remember_header(self.table, "transfers")
        pl.addWidget(self.table, 1)
        row, buttons = list_actions(
            self.table,
            (
                ("登记转出…", self.record_out),
                ("登记转入…", self.record_in),
                ("修改…", self.edit_transfer),
                ("删除", self.delete_transfer),
            ),
            self.edit_transfer,
            self._buttons,
            hint_label("转出、转入同时更新党员名册"),
        )
        self.out_button, self.in_button, self.edit_button, self.delete_button = buttons
        self.edit_button.setToolTip("修改所选转接，回执返回后填写回执日期（双击或回车同样）")
        pl.addLayout(row)
        self.tabs.addTab(page, "转入转出")
        # 流动党员
        page = QWidget()
        pl = QVBoxLayout(page)
        self.flows = RowsModel(
            ("姓名", "外出日期", "返回日期", "外出地点", "联系方式", "活动证编号"),
            self._flow_cell,
        )
        self.flow_table = make_table(self.flows, "flows_table", (70, 88, 88, 200, 200))
        remember_header(self.flow_table, "flows")
        pl.addWidget(self.flow_table, 1)
        row, buttons = list_actions(
            self.flow_table,
            (
                ("登记流动党员…", self.add_flow),
                ("修改…", self.edit_flow),
                ("删除", self.delete_flow),
            ),
            self.edit_flow,
            self._buttons,
            hint_label("组织关系未转走、暂时在外的党员：在哪里，怎样联系"),
        )
        self.flow_add, self.flow_edit, self.flow_delete = buttons
        pl.addLayout(row)
        self.tabs.addTab(page, "流动党员")
        layout.addWidget(self.tabs, 1)
        self.reload()

    # --- data ------------------------------------------------------------------------------

    def _transfer_cell(self, t: T.Transfer, col: int) -> str:
        values = (
            t.direction,
            t.member_name or "",
            format_date(t.date),
            t.letter_no or "",
            t.org or "",
            S.receipt_overdue(self.ctx.ledger, t),
            t.note or "",
        )
        return values[col]

    def _transfer_status(self, t: T.Transfer, col: int) -> str | None:
        if col != 5:
            return None
        if t.receipt_date is not None:
            return STATUS_OK
        state = S.receipt_overdue(self.ctx.ledger, t)
        return STATUS_MISSING if state.startswith("逾期") else STATUS_WARN

    @staticmethod
    def _flow_cell(f: T.Flow, col: int) -> str:
        values = (
            f.member_name or "",
            format_date(f.start_date),
            format_date(f.end_date) or "未返回",
            f.place or "",
            f.contact or "",
            f.card_no or "",
        )
        return values[col]

    def reload(self) -> None:
        ledger = self.ctx.ledger
        year = self.year.currentData()
        self.transfers.load(S.transfers(ledger, year or None))
        self.flows.load(
            sorted(
                S.flows(ledger), key=lambda f: (f.end_date is not None, f.start_date), reverse=False
            )
        )
        self.reminders.load(register_reminders(self.ctx, SOURCE_TRANSFER))
        self.days.setValue(S.receipt_days(ledger))
        self._buttons()

    def refresh(self, changes: Changes) -> None:
        if changes.registers or changes.members or changes.settings:
            self.reload()

    def activate(self, transfer_id: int | None = None, member_id: int | None = None, **_kw: Any):
        self.tabs.setCurrentIndex(0)
        if transfer_id is not None:
            if not self.select_transfer(transfer_id):
                self.year.setCurrentIndex(0)
                self.select_transfer(transfer_id)
        elif member_id is not None:
            self.ctx.navigate("roster", member_id=member_id)

    def select_transfer(self, transfer_id: int) -> bool:
        for i, t in enumerate(self.transfers.rows):
            if t.id == transfer_id:
                self.table.selectRow(i)
                return True
        return False

    def _buttons(self) -> None:
        has = selected_row(self.table) is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        has_flow = selected_row(self.flow_table) is not None
        self.flow_edit.setEnabled(has_flow)
        self.flow_delete.setEnabled(has_flow)

    def _days_changed(self) -> None:
        if self.days.value() != S.receipt_days(self.ctx.ledger):
            self.ctx.run(
                self,
                S.set_receipt_days,
                self.days.value(),
                success=f"回执超过 {self.days.value()} 天未返回即提醒",
            )

    # --- actions ---------------------------------------------------------------------------

    def record_out(self) -> None:
        TransferDialog(self.ctx, None, None, None, self).exec()

    def record_in(self) -> None:
        TransferInDialog(self.ctx, self).exec()

    def edit_transfer(self) -> None:
        t = selected_row(self.table)
        if t is not None:
            TransferDialog(self.ctx, t, None, None, self).exec()

    def delete_transfer(self) -> None:
        t = selected_row(self.table)
        if t is None:
            return
        what = f"{t.member_name}{format_date(t.date)}的组织关系{t.direction}登记"
        if t.direction == T.OUT:
            text = f"删除{what}？该党员将恢复为在册（状态历史中留有记录）。"
        else:
            text = f"删除{what}？该党员仍留在党员名册中。"
        if confirm(self, "删除转接登记", text, ok="删除"):
            self.ctx.run(
                self,
                S.delete_transfer,
                t.id,
                restore=t.direction == T.OUT,
                success="已删除转接登记",
            )

    def add_flow(self) -> None:
        FlowDialog(self.ctx, None, self).exec()

    def edit_flow(self) -> None:
        f = selected_row(self.flow_table)
        if f is not None:
            FlowDialog(self.ctx, f, self).exec()

    def delete_flow(self) -> None:
        f = selected_row(self.flow_table)
        if f is not None and confirm(
            self, "删除流动党员登记", f"删除{f.member_name}的流动党员登记？", ok="删除"
        ):
            self.ctx.run(self, S.delete_flow, f.id, success="已删除")
