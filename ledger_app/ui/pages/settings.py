"""设置: branch info, the ledger keeper, frequency rules, dues rounding, volunteer minimum,
backups."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.dues import ROUNDING_LABELS, ROUNDINGS
from ...domain.kinds import SUGGESTED_RULES, is_contract_item
from ...domain.models import DEFAULT_RULES, FrequencyRule
from ...services import roster
from ...services import settings as settings_service
from ...services.ledger import Changes
from ...services.minutes import add_rule, remove_rule
from ..backups import BackupsWidget, TrashWidget
from ..context import AppContext, show_error
from ..followup_settings import FollowupSettings
from ..setup_dialog import BranchInfoForm
from ..unsaved import settle
from ..widgets import hint_label, make_primary, title_label

_RULE_ORDER = [r.item for r in DEFAULT_RULES]
SECTIONS = ("branch", "user", "rules", "other")  # each saved by its own button


def count_box(maximum: int, value: int, suffix: str = "") -> QComboBox:
    """A small count 0…maximum (a combo box: spin boxes lose their arrows under the house
    style sheet)."""
    box = QComboBox()
    for n in range(maximum + 1):
        box.addItem(f"{n}{suffix}", n)
    set_count(box, value)
    return box


def set_count(box: QComboBox, value: int) -> None:
    index = box.findData(value)
    if index < 0:
        box.addItem(str(value), value)
        index = box.count() - 1
    box.setCurrentIndex(index)


def _right(button: QWidget) -> QWidget:
    """A button at the right end of a form row (not stretched over the field)."""
    wrap = QWidget()
    row = QHBoxLayout(wrap)
    row.setContentsMargins(0, 0, 0, 0)
    row.addStretch(1)
    row.addWidget(button)
    return wrap


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 0)
        outer.addWidget(title_label("设置"))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 12)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout.addLayout(columns)

        # branch info
        branch_box = QGroupBox("支部信息")
        bl = QVBoxLayout(branch_box)
        self.branch_form = BranchInfoForm()
        bl.addWidget(self.branch_form)
        self.branch_save = make_primary(QPushButton("保存支部信息"))
        self.branch_save.clicked.connect(self.save_branch)
        bl.addWidget(self.branch_save, 0, Qt.AlignmentFlag.AlignRight)
        left.addWidget(branch_box)

        # the ledger keeper
        keeper_box = QGroupBox("台账记录人")
        kl = QFormLayout(keeper_box)
        self.user_name = QLineEdit()
        self.user_name.setObjectName("user_name")
        self.user_name.setPlaceholderText("如 李明（组织委员）")
        kl.addRow("记录人姓名", self.user_name)
        kl.addRow(hint_label("录入党费、修改记录时记下是谁操作的。"))
        self.user_save = QPushButton("保存")
        self.user_save.clicked.connect(self.save_user)
        kl.addRow("", _right(self.user_save))
        left.addWidget(keeper_box)
        left.addWidget(FollowupSettings(ctx))  # issue 18: 记录要求, 党课, 优秀比例
        left.addStretch(1)

        # frequency rules
        rules_box = QGroupBox("组织生活频次要求")
        rl = QVBoxLayout(rules_box)
        rl.addWidget(
            hint_label(
                "按《支部工作条例》的默认要求；本地有更高要求时在此修改。也可增加集中学习、"
                "交流研讨或本支部自己的活动类型，各按自己的频次检查。"
            )
        )
        self.rules = QTableWidget(0, 3)
        self.rules.setObjectName("rules_table")
        self.rules.setHorizontalHeaderLabels(["项目", "周期", "至少（次）"])
        self.rules.verticalHeader().hide()
        self.rules.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.rules.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.rules.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rules.setColumnWidth(1, 100)
        self.rules.setColumnWidth(2, 90)
        self.rules.verticalHeader().setDefaultSectionSize(30)
        rl.addWidget(self.rules)
        self.rules_save = QPushButton("保存频次要求")
        self.rules_save.clicked.connect(self.save_rules)
        # issue 18: rules the branch adds (学习教育, kinds of its own) and removes again
        self.rule_add = QPushButton("增加项目")
        add_menu = QMenu(self.rule_add)
        for rule in SUGGESTED_RULES:
            word = settings_service.PERIODS[rule.period]
            add_menu.addAction(f"{rule.item}（{word}至少 {rule.required} 次）").triggered.connect(
                lambda _=False, r=rule: self.add_rule(r.item, r.period, r.required)
            )
        add_menu.addSeparator()
        add_menu.addAction("本支部的其他活动类型…").triggered.connect(self.add_own_rule)
        self.rule_add.setMenu(add_menu)
        self.rule_remove = QPushButton("删除所选项目")
        self.rule_remove.setToolTip("只能删除增加的项目；七个固定项目不要求时把次数改为 0")
        self.rule_remove.clicked.connect(self.remove_rule)
        self.rules.itemSelectionChanged.connect(self._update_rule_buttons)
        rule_buttons = QHBoxLayout()
        rule_buttons.addWidget(self.rule_add)
        rule_buttons.addWidget(self.rule_remove)
        rule_buttons.addStretch(1)
        rule_buttons.addWidget(self.rules_save)
        rl.addLayout(rule_buttons)
        right.addWidget(rules_box)

        # dues and volunteer
        other_box = QGroupBox("党费与志愿服务")
        ol = QFormLayout(other_box)
        self.rounding = QComboBox()
        self.rounding.setObjectName("dues_rounding")
        for key in ROUNDINGS:
            self.rounding.addItem(ROUNDING_LABELS[key], key)
        ol.addRow("党费取整方式", self.rounding)
        self.volunteer_min = count_box(10, 1, " 次")
        self.volunteer_min.setObjectName("volunteer_min")
        ol.addRow("在职党员每月志愿服务至少", self.volunteer_min)
        self.other_save = QPushButton("保存")
        self.other_save.clicked.connect(self.save_other)
        ol.addRow("", _right(self.other_save))
        right.addWidget(other_box)

        # the workbook format: the sample to look at, fill in or import
        format_box = QGroupBox("工作簿格式")
        fl = QVBoxLayout(format_box)
        fl.addWidget(
            hint_label(
                "从旧台账导入时，工作簿的工作表名和列名要与示例一致（列的顺序不限）。"
                "示例工作簿是一个 8 人社区支部 2024 年上半年的台账：可另存一份作模板，"
                "也可导入后看看程序里的样子。"
            )
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.sample_save = QPushButton("另存示例工作簿…")
        self.sample_save.setObjectName("save_sample")
        self.sample_save.clicked.connect(self.save_sample)
        buttons.addWidget(self.sample_save)
        self.sample_import = QPushButton("导入示例工作簿…")
        self.sample_import.setObjectName("import_sample")
        self.sample_import.clicked.connect(self.import_sample)
        buttons.addWidget(self.sample_import)
        fl.addLayout(buttons)
        right.addWidget(format_box)
        right.addStretch(1)

        # backups and the recycle bin
        backups_box = QGroupBox("数据备份")
        bkl = QVBoxLayout(backups_box)
        bkl.addWidget(BackupsWidget(ctx))
        layout.addWidget(backups_box)
        trash_box = QGroupBox("回收站")
        QVBoxLayout(trash_box).addWidget(TrashWidget(ctx))
        layout.addWidget(backups_box)
        layout.addWidget(trash_box)
        layout.addStretch(1)

        self._clean: dict[str, object] = {}
        self.reload()

    # --- data ------------------------------------------------------------------------------

    def reload(self, keep_edits: bool = False) -> None:
        """Show what is saved; ``keep_edits``: leave the sections with unsaved edits as typed
        (another section was saved, or something else changed the settings)."""
        dirty = set(self.dirty_sections()) if keep_edits else set()
        for key in SECTIONS:
            if key not in dirty:
                self._load(key)

    def _load(self, key: str) -> None:
        from ...services import dues, volunteer

        ledger = self.ctx.ledger
        if key == "branch":
            self.branch_form.set_branch(roster.branch(ledger))
        elif key == "user":
            self.user_name.setText(settings_service.user_name(ledger))
        elif key == "rules":
            self._fill_rules(settings_service.rules(ledger))
        else:
            self.rounding.setCurrentIndex(
                max(self.rounding.findData(dues.rounding(self.ctx.ledger)), 0)
            )
            set_count(self.volunteer_min, volunteer.min_per_month(self.ctx.ledger))
        self._clean[key] = self._values(key)

    def _fill_rules(self, rules: list[FrequencyRule]) -> None:
        rules = sorted(
            rules, key=lambda r: _RULE_ORDER.index(r.item) if r.item in _RULE_ORDER else 99
        )
        self.rules.setRowCount(len(rules))
        for row, rule in enumerate(rules):
            item = QTableWidgetItem(rule.item)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.rules.setItem(row, 0, item)
            period = QComboBox()
            for k, label in settings_service.PERIODS.items():
                period.addItem(label, k)
            period.setCurrentIndex(max(period.findData(rule.period), 0))
            self.rules.setCellWidget(row, 1, period)
            count = count_box(31, rule.required)
            self.rules.setCellWidget(row, 2, count)
        self.rules.setMinimumHeight(30 * len(rules) + 34)
        self._update_rule_buttons()

    def refresh(self, changes: Changes) -> None:
        if changes.branch or changes.settings:
            self.reload(keep_edits=True)

    # --- unsaved edits ------------------------------------------------------------------------

    def _values(self, key: str) -> object:
        if key == "branch":
            return tuple(e.text().strip() for e in self.branch_form.edits.values())
        if key == "user":
            return self.user_name.text().strip()
        if key == "rules":
            return tuple((r.item, r.period, r.required) for r in self.rule_values())
        return (self.rounding.currentData(), self.volunteer_min.currentData())

    def dirty_sections(self) -> list[str]:
        return [k for k in SECTIONS if k in self._clean and self._values(k) != self._clean[k]]

    def is_dirty(self) -> bool:
        return bool(self.dirty_sections())

    def save_all(self) -> bool:
        """Save every section with edits; stops at the first that cannot be saved."""
        savers = {
            "branch": self.save_branch,
            "user": self.save_user,
            "rules": self.save_rules,
            "other": self.save_other,
        }
        return all(savers[key]() for key in self.dirty_sections())

    def can_close(self) -> bool:
        """The window's close question: 保存 / 放弃 / 取消 when a section has unsaved edits."""
        return settle(self, "设置", self.is_dirty, self.save_all)

    def rule_values(self) -> list[FrequencyRule]:
        out = []
        for row in range(self.rules.rowCount()):
            period: Any = self.rules.cellWidget(row, 1)
            count: Any = self.rules.cellWidget(row, 2)
            out.append(
                FrequencyRule(
                    self.rules.item(row, 0).text(), period.currentData(), count.currentData()
                )
            )
        return out

    # --- actions -----------------------------------------------------------------------------

    def ask_sample_target(self) -> str:
        """Where to save a copy of the sample workbook ('' for cancel; tests monkeypatch)."""
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog

        from ...paths import sample_workbook

        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(
            self,
            "另存示例工作簿",
            f"{folder}/{sample_workbook().name}",
            "Excel 工作簿 (*.xlsx)",
        )
        return path

    def save_sample(self) -> None:
        import shutil

        from ...errors import UserError
        from ...paths import sample_workbook

        target = self.ask_sample_target()
        if not target:
            return
        try:
            shutil.copyfile(sample_workbook(), target)
        except OSError as e:
            show_error(self, UserError(f"无法保存到 {target}：{e.strerror or e}"))
            return
        self.ctx.status(f"示例工作簿已保存到 {target}")

    def import_sample(self) -> None:
        from ...paths import sample_workbook
        from ..import_dialog import ImportDialog

        ImportDialog.ask(self.ctx, self, path=sample_workbook())

    def _saved(self, key: str, ok: bool) -> bool:
        if ok:
            self._load(key)  # the saved values as stored (trimmed, normalised)
        return ok

    def save_branch(self) -> bool:
        info = self.branch_form.values()
        if info is None:
            return False
        ok = self.ctx.run(self, roster.save_branch_info, info, success="已保存支部信息")
        return self._saved("branch", ok)

    def save_user(self) -> bool:
        ok = self.ctx.run(
            self, settings_service.set_user_name, self.user_name.text(), success="已保存记录人"
        )
        return self._saved("user", ok)

    def save_rules(self) -> bool:
        ok = self.ctx.run(
            self, settings_service.save_rules, self.rule_values(), success="已保存频次要求"
        )
        return self._saved("rules", ok)

    # --- rules the branch adds (issue 18) -------------------------------------------------

    def selected_rule(self) -> str | None:
        rows = {i.row() for i in self.rules.selectedIndexes()}
        if not rows and self.rules.currentRow() >= 0:
            rows.add(self.rules.currentRow())
        if len(rows) != 1:
            return None
        item = self.rules.item(rows.pop(), 0)
        return item.text() if item else None

    def _update_rule_buttons(self) -> None:
        item = self.selected_rule()
        self.rule_remove.setEnabled(item is not None and not is_contract_item(item))

    def add_rule(self, item: str, period: str, required: int) -> bool:
        return self.ctx.run(
            self,
            add_rule,
            item,
            period,
            required,
            success=f"已增加“{item}”：可在组织生活页登记，工作台按频次检查",
        )

    @classmethod
    def ask_item(cls, parent: QWidget) -> tuple[str, str, int] | None:
        """(项目, 周期, 次数) of a kind of the branch's own (tests monkeypatch this)."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox

        dialog = QDialog(parent)
        dialog.setWindowTitle("增加活动类型")
        form = QFormLayout(dialog)
        name = QLineEdit()
        name.setPlaceholderText("如 读书班、专题研讨（不超过 12 个字）")
        period = QComboBox()
        for key, label in settings_service.PERIODS.items():
            period.addItem(label, key)
        count = count_box(31, 1)
        form.addRow("活动类型", name)
        form.addRow("周期", period)
        form.addRow("至少（次）", count)
        form.addRow(hint_label("增加后即可在“组织生活”页登记这一类型，工作台和检查按此频次要求。"))
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(dialog.accept)
        box.rejected.connect(dialog.reject)
        form.addRow(box)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return name.text().strip(), period.currentData(), count.currentData()

    def _rules_settled(self) -> bool:
        """Adding or removing a kind rebuilds the table: its unsaved edits first."""
        return settle(self, "频次要求", lambda: "rules" in self.dirty_sections(), self.save_rules)

    def add_own_rule(self) -> None:
        if not self._rules_settled():
            return
        answer = self.ask_item(self)
        if answer is not None:
            self.add_rule(*answer)

    def remove_rule(self) -> bool:
        item = self.selected_rule()
        if item is None or not self._rules_settled():
            return False
        from ..context import confirm

        text = f"删除“{item}”的频次要求？工作台和检查不再要求这一项目。"
        if not confirm(self, "删除项目", text, ok="删除"):
            return False
        return self.ctx.run(self, remove_rule, item, success=f"已删除“{item}”的频次要求")

    def save_other(self) -> bool:
        from ...errors import UserError
        from ...services import dues, volunteer

        # both in one action: each service is its own transaction; stop at the first error
        try:
            changes = dues.set_rounding(self.ctx.ledger, self.rounding.currentData())
            changes |= volunteer.set_min_per_month(
                self.ctx.ledger, self.volunteer_min.currentData()
            )
        except UserError as e:
            show_error(self, e)
            return False
        self.ctx.notify(changes)
        self.ctx.status("已保存党费与志愿服务设置")
        return self._saved("other", True)
