"""党员关怀: this month's 政治生日 (with a list to print), 关怀帮扶 visits, 表彰 and 处分."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import care as K
from ...domain.dates import format_date
from ...domain.money import format_fen
from ...errors import UserError
from ...services import care as S
from ...services.ledger import Changes
from .. import register_widgets as RW
from ..care_dialogs import HonorDialog, VisitDialog
from ..context import AppContext, confirm, show_error
from ..register_widgets import RowsModel, list_actions, make_table, selected_row
from ..widgets import hint_label, make_primary, remember_header, title_label, year_box


class CarePage(QWidget):
    """党员关怀."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        today = ctx.ledger.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label("党员关怀"))
        top.addSpacing(16)
        top.addWidget(QLabel("年度"))
        self.year = year_box(today.year, "care_year")
        self.year.valueChanged.connect(lambda _v: self.reload())
        top.addWidget(self.year)
        top.addStretch(1)
        layout.addLayout(top)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("care_tabs")
        # 政治生日
        page = QWidget()
        pl = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel("月份"))
        self.month = QComboBox()
        self.month.setObjectName("care_month")
        self.month.addItems([f"{m}月" for m in range(1, 13)])
        self.month.setCurrentIndex(today.month - 1)
        self.month.currentIndexChanged.connect(lambda _i: self.reload())
        row.addWidget(self.month)
        self.birthday_summary = QLabel()
        self.birthday_summary.setObjectName("birthday_summary")
        row.addSpacing(12)
        row.addWidget(self.birthday_summary)
        row.addStretch(1)
        self.print_button = make_primary(QPushButton("打印名单（PDF）…"))
        self.print_button.clicked.connect(self.print_birthdays)
        row.addWidget(self.print_button)
        pl.addLayout(row)
        self.birthdays = RowsModel(
            ("政治生日", "姓名", "党小组", "入党日期", "入党周年"), self._birthday_cell
        )
        self.birthday_table = make_table(self.birthdays, "birthday_table", (92, 80, 110, 92, 70))
        pl.addWidget(self.birthday_table, 1)
        pl.addWidget(
            hint_label(
                "政治生日是党员的入党纪念日。可以送一张贺卡、重温入党誓词，请老党员讲讲初心。"
            )
        )
        self.tabs.addTab(page, "政治生日")
        # 关怀帮扶
        page = QWidget()
        pl = QVBoxLayout(page)
        self.visits = RowsModel(
            ("日期", "姓名", "困难类型", "帮扶内容", "慰问金(元)", "走访人"),
            self._visit_cell,
            right=(4,),
        )
        self.visit_table = make_table(self.visits, "visit_table", (88, 70, 80, 280, 80))
        remember_header(self.visit_table, "care_visits")
        pl.addWidget(self.visit_table, 1)
        self.visit_summary = QLabel()
        row, buttons = list_actions(
            self.visit_table,
            (
                ("登记走访…", self.add_visit),
                ("修改…", self.edit_visit),
                ("删除", self.delete_visit),
            ),
            self.edit_visit,
            self._buttons,
            self.visit_summary,
        )
        self.visit_add, self.visit_edit, self.visit_delete = buttons
        pl.addLayout(row)
        self.tabs.addTab(page, "关怀帮扶")
        # 表彰与处分
        page = QWidget()
        pl = QVBoxLayout(page)
        self.honors = RowsModel(
            ("类型", "日期", "姓名", "名称", "授予或批准单位", "决定会议", "事由"), self._honor_cell
        )
        self.honor_table = make_table(self.honors, "honor_table", (50, 88, 70, 130, 130, 150))
        remember_header(self.honor_table, "care_honors")
        pl.addWidget(self.honor_table, 1)
        row, buttons = list_actions(
            self.honor_table,
            (
                ("登记表彰…", lambda: self.add_honor(K.AWARD)),
                ("登记处分…", lambda: self.add_honor(K.PENALTY)),
                ("修改…", self.edit_honor),
                ("删除", self.delete_honor),
            ),
            self.edit_honor,
            self._buttons,
        )
        self.award_add, self.penalty_add, self.honor_edit, self.honor_delete = buttons
        pl.addLayout(row)
        self.tabs.addTab(page, "表彰与处分")
        layout.addWidget(self.tabs, 1)
        self._meetings: dict[int, str] = {}
        self.reload()

    # --- data ------------------------------------------------------------------------------

    @staticmethod
    def _birthday_cell(b: K.Birthday, col: int) -> str:
        m = b.member
        values = (
            format_date(b.day),
            m.name,
            m.group_name or "",
            format_date(m.join_date),
            f"{b.years} 周年",
        )
        return values[col]

    @staticmethod
    def _visit_cell(v: K.CareVisit, col: int) -> str:
        amount = format_fen(v.amount_fen) if v.amount_fen is not None else ""
        values = (
            format_date(v.date),
            v.member_name or "",
            v.hardship or "",
            v.content or "",
            amount,
            v.visitor or "",
        )
        return values[col]

    def _honor_cell(self, h: K.Honor, col: int) -> str:
        meeting = self._meetings.get(h.record_id, "") if h.record_id else (h.meeting or "")
        values = (
            h.kind,
            format_date(h.date),
            h.member_name or "",
            h.title,
            h.issuer or "",
            meeting,
            h.reason or "",
        )
        return values[col]

    @property
    def month_number(self) -> int:
        return self.month.currentIndex() + 1

    def reload(self) -> None:
        ledger = self.ctx.ledger
        year, month = self.year.value(), self.month_number
        found = S.birthdays(ledger, year, month)
        self.birthdays.load(found)
        self.birthday_summary.setText(f"{year}年{month}月政治生日 {len(found)} 人")
        visits = S.visits(ledger, year)
        self.visits.load(visits)
        total = sum(v.amount_fen or 0 for v in visits)
        self.visit_summary.setText(f"{year}年走访 {len(visits)} 次，慰问金 {format_fen(total)} 元")
        from ...services.period import load

        refs = load(ledger, ledger.today().year).inputs.registers.meetings
        self._meetings = {rid: ref.label for rid, ref in refs.items()}
        self.honors.load(S.honors(ledger, year))
        self._buttons()

    def _buttons(self) -> None:
        for table, buttons in (
            (self.visit_table, (self.visit_edit, self.visit_delete)),
            (self.honor_table, (self.honor_edit, self.honor_delete)),
        ):
            has = selected_row(table) is not None
            for b in buttons:
                b.setEnabled(has)

    def refresh(self, changes: Changes) -> None:
        if changes.registers or changes.members or changes.records:
            self.reload()

    def activate(self, year: int | None = None, month: int | None = None, **_kw: Any) -> None:
        self.tabs.setCurrentIndex(0)
        if year is not None:
            self.year.setValue(year)
        if month is not None:
            self.month.setCurrentIndex(month - 1)

    # --- actions ---------------------------------------------------------------------------

    def print_birthdays(self) -> None:
        year, month = self.year.value(), self.month_number
        target = RW.ask_save_path(
            self, "打印政治生日名单", f"政治生日名单-{year}年{month}月.pdf", "PDF 文件 (*.pdf)"
        )
        if target is None:
            return
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            path = S.birthday_pdf(self.ctx.ledger, year, month, target)
        except UserError as e:
            show_error(self, e, title="无法保存")
            return
        except OSError as e:
            show_error(self, f"无法写入文件 {e.filename or target}：{e.strerror or e}", "无法保存")
            return
        RW.show_saved(self, self.ctx, path)

    def add_visit(self) -> None:
        VisitDialog(self.ctx, None, self).exec()

    def edit_visit(self) -> None:
        v = selected_row(self.visit_table)
        if v is not None:
            VisitDialog(self.ctx, v, self).exec()

    def delete_visit(self) -> None:
        v = selected_row(self.visit_table)
        if v is not None and confirm(
            self,
            "删除走访记录",
            f"删除{format_date(v.date)}对{v.member_name}的走访记录？",
            ok="删除",
        ):
            self.ctx.run(self, S.delete_visit, v.id, success="已删除")

    def add_honor(self, kind: str) -> None:
        HonorDialog(self.ctx, kind, None, self).exec()

    def edit_honor(self) -> None:
        h = selected_row(self.honor_table)
        if h is not None:
            HonorDialog(self.ctx, h.kind, h, self).exec()

    def delete_honor(self) -> None:
        h = selected_row(self.honor_table)
        if h is not None and confirm(
            self, f"删除{h.kind}记录", f"删除{h.member_name}的{h.kind}“{h.title}”？", ok="删除"
        ):
            self.ctx.run(self, S.delete_honor, h.id, success="已删除")
