"""First start: name the branch (and its committee) — or import an existing workbook."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.dates import format_date
from ..domain.models import Branch
from ..services import roster
from .context import AppContext
from .widgets import DateEdit, hint_label, make_primary, set_invalid, title_label

# the 支部信息 rows (contract order) with a hint each
BRANCH_FIELDS = (
    ("支部名称", "如 某某单位第一党支部"),
    ("上级党组织", "如 某某机关党委"),
    ("成立日期", "如 2018-07-01"),
    ("书记", ""),
    ("副书记", ""),
    ("组织委员", ""),
    ("宣传委员", ""),
    ("纪检委员", ""),
    ("联系电话", ""),
)


class BranchInfoForm(QWidget):
    """The 支部信息 fields (支部名称 required); used by the setup dialog and 设置."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for key, hint in BRANCH_FIELDS:
            edit: QLineEdit = DateEdit() if key == "成立日期" else QLineEdit()
            if hint:
                edit.setPlaceholderText(hint)
            edit.setObjectName(f"branch_{key}")
            self.edits[key] = edit
            form.addRow(f"{key} *" if key == "支部名称" else key, edit)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.hide()
        form.addRow("", self.error)

    def set_branch(self, branch: Branch) -> None:
        for key, edit in self.edits.items():
            value = branch.info.get(key, "")
            if key == "成立日期" and branch.founded:
                value = format_date(branch.founded)
            edit.setText(value)
            set_invalid(edit, False)

    def values(self) -> dict[str, str | None] | None:
        """The typed info, or None (with the problem shown beside the field)."""
        self.error.hide()
        for edit in self.edits.values():
            set_invalid(edit, False)
        name = self.edits["支部名称"].text().strip()
        if not name:
            return self._fail("支部名称", "请填写支部名称")
        founded = self.edits["成立日期"]
        try:
            day = founded.date()  # type: ignore[attr-defined]
        except ValueError as e:
            return self._fail("成立日期", f"成立日期：{e}")
        info: dict[str, str | None] = {k: e.text().strip() or None for k, e in self.edits.items()}
        info["成立日期"] = format_date(day) or None
        return info

    def _fail(self, key: str, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        set_invalid(self.edits[key], True, message)
        self.edits[key].setFocus()
        return None


class SetupDialog(QDialog):
    """Shown once, when the database has no branch name and no members."""

    SAVED, IMPORT, SAMPLE, LATER = "saved", "import", "sample", "later"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.choice = self.LATER
        self.setWindowTitle("开始使用 — 设置支部")
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("欢迎使用支部台账"))
        layout.addWidget(
            hint_label(
                "先填写本支部的基本信息（以后可在“设置”中修改）。"
                "如果已有 Excel 台账，可直接从工作簿导入支部信息和党员名册；"
                "想先看看台账工作簿的格式，可以导入程序自带的示例工作簿（一个 8 人社区支部）。"
            )
        )
        self.form = BranchInfoForm()
        layout.addWidget(self.form)
        box = QDialogButtonBox()
        self.save_button = make_primary(
            box.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        )
        self.save_button.setDefault(True)
        self.import_button = QPushButton("从工作簿导入…")
        box.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.sample_button = QPushButton("导入示例工作簿…")
        self.sample_button.setObjectName("import_sample")
        box.addButton(self.sample_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton("以后再说", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self.import_button.clicked.connect(self.choose_import)
        self.sample_button.clicked.connect(self.choose_sample)
        layout.addWidget(box)
        self.setMinimumWidth(460)

    def save(self) -> None:
        info = self.form.values()
        if info is None:
            return
        if self.ctx.run(self, roster.save_branch_info, info, success="已保存支部信息"):
            self.choice = self.SAVED
            self.accept()

    def choose_import(self) -> None:
        self.choice = self.IMPORT
        self.accept()

    def choose_sample(self) -> None:
        self.choice = self.SAMPLE
        self.accept()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> str:
        """Show the dialog; returns SAVED, IMPORT, SAMPLE or LATER (tests monkeypatch this)."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.choice


def needs_setup(ctx: AppContext) -> bool:
    return not roster.branch(ctx.ledger).name and roster.member_count(ctx.ledger) == 0
