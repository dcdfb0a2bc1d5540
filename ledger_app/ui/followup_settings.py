"""设置 › 记录与评议要求 (issue 18): what a record of each kind must hold (主要内容 at least
so many characters, parts it must have), who counts as a leading cadre for the yearly 党课,
and the cap on the share of 优秀 in 民主评议."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.cadres import CADRE_SOURCES
from ..domain.minutes import RECOMMENDED, MinutesRule, parse_parts
from ..errors import UserError
from ..services import minutes as svc
from ..services.ledger import Changes
from .context import AppContext, show_error
from .widgets import hint_label

CAPS = (200, 250, 300, 350, 400, 500)  # ‰ offered as 优秀比例上限


class FollowupSettings(QGroupBox):
    """The 记录要求 table and the 评议/党课 settings, saved by their own buttons."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__("记录与评议要求", parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        v = QVBoxLayout(self)
        v.addWidget(
            hint_label(
                "会议记录过于简单是检查常见问题。按类型设定主要内容至少多少字、必须有哪些部分"
                "（字段如 议题、决议事项、授课人，或记录中必须写到的词如 查摆问题、"
                "批评与自我批评）；不符合的记录在工作台与不完整的记录一起列出。不设则不检查。"
            )
        )
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("minutes_rules")
        self.table.setHorizontalHeaderLabels(["类型", "至少（字）", "必须包含（用、分隔）"])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 100)
        self.table.setColumnWidth(1, 76)
        self.table.verticalHeader().setDefaultSectionSize(28)
        v.addWidget(self.table)
        buttons = QHBoxLayout()
        self.recommended = QPushButton("填入推荐标准")
        self.recommended.setToolTip(
            "按常见的检查要求填入各类型的字数和必须包含的部分（保存后生效）"
        )
        self.recommended.clicked.connect(self.fill_recommended)
        self.save_button = QPushButton("保存记录要求")
        self.save_button.clicked.connect(self.save_rules)
        buttons.addWidget(self.recommended)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        v.addLayout(buttons)

        form = QFormLayout()
        self.cadre_source = QComboBox()
        self.cadre_source.setObjectName("cadre_source")
        for key, label in CADRE_SOURCES.items():
            self.cadre_source.addItem(label, key)
        form.addRow("每年须讲党课的领导干部", self.cadre_source)
        self.cap = QComboBox()
        self.cap.setObjectName("excellent_cap")
        for c in CAPS:
            self.cap.addItem(f"{c // 10}%", c)
        form.addRow("民主评议优秀比例不超过", self.cap)
        self.other_save = QPushButton("保存")
        self.other_save.clicked.connect(self.save_other)
        wrap = QWidget()
        row = QHBoxLayout(wrap)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self.other_save)
        form.addRow("", wrap)
        v.addLayout(form)
        self.reload()

    # --- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        ledger = self.ctx.ledger
        self.set_rules(svc.record_kinds(ledger), svc.minutes_rules(ledger))
        i = self.cadre_source.findData(svc.cadre_source(ledger))
        self.cadre_source.setCurrentIndex(max(i, 0))
        cap = svc.excellent_cap(ledger)
        if self.cap.findData(cap) < 0:
            self.cap.addItem(f"{cap / 10:g}%", cap)
        self.cap.setCurrentIndex(self.cap.findData(cap))

    def set_rules(self, kinds, rules: dict[str, MinutesRule]) -> None:
        self.table.setRowCount(len(kinds))
        for row, kind in enumerate(kinds):
            rule = rules.get(kind, MinutesRule(kind))
            item = QTableWidgetItem(kind)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, item)
            count = QLineEdit(str(rule.min_chars) if rule.min_chars else "")
            count.setValidator(QIntValidator(0, svc.MAX_MIN_CHARS, count))
            count.setPlaceholderText("不限")
            count.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.table.setCellWidget(row, 1, count)
            parts = QLineEdit("、".join(rule.parts))
            parts.setPlaceholderText("如 议题、决议事项")
            self.table.setCellWidget(row, 2, parts)
        self.table.setMinimumHeight(28 * min(len(kinds), 8) + 34)

    def rules(self) -> list[MinutesRule]:
        out = []
        for row in range(self.table.rowCount()):
            kind = self.table.item(row, 0).text()
            count = self.table.cellWidget(row, 1).text().strip()  # type: ignore[union-attr]
            parts = parse_parts(self.table.cellWidget(row, 2).text())  # type: ignore[union-attr]
            out.append(MinutesRule(kind, int(count) if count else 0, parts))
        return out

    def refresh(self, changes: Changes) -> None:
        if changes.settings:
            self.reload()

    # --- actions -----------------------------------------------------------------------------

    def fill_recommended(self) -> None:
        kinds = [self.table.item(r, 0).text() for r in range(self.table.rowCount())]
        current = {r.kind: r for r in self.rules() if r.active}
        current.update({r.kind: r for r in RECOMMENDED if r.kind in kinds})
        self.set_rules(kinds, current)
        self.ctx.status("已填入推荐标准，点“保存记录要求”后生效")

    def save_rules(self) -> None:
        self.ctx.run(self, svc.set_minutes_rules, self.rules(), success="已保存记录要求")

    def save_other(self) -> None:
        try:
            changes = svc.set_cadre_source(self.ctx.ledger, self.cadre_source.currentData())
            changes |= svc.set_excellent_cap(self.ctx.ledger, self.cap.currentData())
        except UserError as e:
            show_error(self, e)
            return
        self.ctx.notify(changes)
        self.ctx.status("已保存评议与党课设置")
