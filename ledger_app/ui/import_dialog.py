"""导入工作簿: check the whole workbook first, show what it would do and every error; write
only on 导入 (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import UserError
from .context import AppContext, show_error
from .tasks import run_task
from .widgets import app_settings, hint_label, make_primary, title_label


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.plan = None
        self.imported = False
        self.setWindowTitle("导入工作簿")
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("导入 Excel 台账"))
        layout.addWidget(
            hint_label(
                "先检查整个工作簿，列出将要导入的内容和所有错误；确认无误后点“导入”才写入。"
                "有任何错误时不会写入任何内容。重复导入同一文件不会产生重复记录。"
            )
        )
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("import_path")
        self.path.setReadOnly(True)
        self.path.setPlaceholderText("请选择 .xlsx 工作簿")
        row.addWidget(self.path, 1)
        self.choose_button = QPushButton("选择文件…")
        self.choose_button.clicked.connect(self.choose)
        row.addWidget(self.choose_button)
        layout.addLayout(row)

        self.sample_note = hint_label(
            "这是程序自带的示例工作簿（一个 8 人社区支部 2024 年上半年的台账），可用来熟悉工作簿"
            "格式和程序。导入前程序会自动备份当前数据；不想保留示例数据时，可在“设置 › 数据备份”"
            "中恢复“导入前”的那份备份。"
        )
        self.sample_note.setObjectName("sample_note")
        self.sample_note.hide()
        layout.addWidget(self.sample_note)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.errors_title = QLabel()
        self.errors_title.setProperty("role", "error")
        layout.addWidget(self.errors_title)
        self.errors = QListWidget()
        self.errors.setObjectName("import_errors")
        self.errors.setAlternatingRowColors(True)
        layout.addWidget(self.errors, 10)
        layout.addStretch(1)  # keeps the preview at the top while there is no error list

        box = QDialogButtonBox()
        self.import_button = make_primary(
            box.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        )
        self.import_button.setEnabled(False)
        self.cancel_button = box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.apply)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.errors_title.hide()
        self.errors.hide()
        self.resize(640, 440)

    # --- choose and check ----------------------------------------------------------------------

    def ask_open_path(self) -> Path | None:
        """The workbook chosen in an open dialog (tests monkeypatch this)."""
        folder = app_settings().value("import/folder") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        path, _ = QFileDialog.getOpenFileName(
            self, "选择要导入的工作簿", str(folder or ""), "Excel 工作簿 (*.xlsx)"
        )
        return Path(path) if path else None

    def choose(self) -> None:
        path = self.ask_open_path()
        if path is not None:
            app_settings().setValue("import/folder", str(path.parent))
            self.load(path)

    def load(self, path: str | Path) -> bool:
        """Check the workbook and show the preview. True if it can be imported."""
        path = Path(path)
        self.path.setText(str(path))
        from ..paths import sample_workbook

        self.sample_note.setVisible(path == sample_workbook())
        self.plan = None
        self.import_button.setEnabled(False)
        self.errors.clear()

        def work(ledger, _progress):
            from ..services.importer import analyze_workbook

            return analyze_workbook(ledger, path)

        result = run_task(self, f"正在检查 {path.name} ……", work, self.ctx.ledger, title="导入")
        if result.cancelled:
            self.summary.setText("已取消检查。")
            return False
        if result.error is not None:
            if isinstance(result.error, UserError):
                self._show_failure(result.error)
                return False
            if isinstance(result.error, OSError):
                e = result.error
                self._show_failure(UserError(f"无法读取文件 {path.name}：{e.strerror or e}"))
                return False
            raise result.error
        plan = result.value
        self.plan = plan
        lines = list(plan.summary_lines())
        lines += [f"提示：{w}" for w in getattr(plan, "warnings", [])]
        if plan.errors:
            self.summary.setText("\n".join(lines))
            self._show_errors(
                plan.errors,
                f"发现 {len(plan.errors)} 处错误，请在工作簿中改正后重新选择（本次不会写入任何内容）：",
            )
            return False
        self.errors_title.hide()
        self.errors.hide()
        if not plan.has_changes:
            self.summary.setText(
                "\n".join(lines + ["", "工作簿中的内容都已在台账中，没有需要导入的新内容。"])
            )
            return False
        self.summary.setText("\n".join(lines + ["", "检查通过。点“导入”写入台账。"]))
        self.import_button.setEnabled(True)
        self.import_button.setFocus()
        return True

    def _show_failure(self, error: UserError) -> None:
        self.summary.setText(error.message)
        if error.details:
            self._show_errors(error.details, "")

    def _show_errors(self, errors: list[str], title: str) -> None:
        self.errors_title.setText(title)
        self.errors_title.setVisible(bool(title))
        self.errors.addItems(errors)
        self.errors.show()

    def error_lines(self) -> list[str]:
        return [self.errors.item(i).text() for i in range(self.errors.count())]

    # --- apply ---------------------------------------------------------------------------------

    def apply(self) -> None:
        plan = self.plan
        if plan is None or plan.errors:
            return
        self.import_button.setEnabled(False)

        sample = not self.sample_note.isHidden()

        def work(ledger, _progress):
            from ..services import safety
            from ..services.importer import apply_plan

            # as the command line does: a backup first, so that an import can be undone by
            # restoring it (for the sample even of an empty ledger: "恢复导入前的备份")
            if sample and ledger.path is not None:
                safety.backup_now(ledger, "before-import")
            else:
                safety.maybe_backup(ledger, "before-import")
            return apply_plan(ledger, plan)

        result = run_task(
            self, "正在导入……", work, self.ctx.ledger, title="导入", cancellable=False
        )
        if result.error is not None:
            if isinstance(result.error, UserError):
                show_error(self, result.error, title="导入失败")
                self.import_button.setEnabled(True)
                return
            raise result.error
        self.imported = True
        self.ctx.notify(result.value)
        self.ctx.status(f"已导入 {Path(self.path.text()).name}")
        self.accept()

    @classmethod
    def ask(
        cls, ctx: AppContext, parent: QWidget | None = None, path: str | Path | None = None
    ) -> bool:
        """Show the dialog (choosing a file first unless ``path``); True if something was
        imported. Tests monkeypatch this."""
        dialog = cls(ctx, parent)
        if path is not None:
            dialog.load(path)
        else:
            chosen = dialog.ask_open_path()
            if chosen is None:
                return False
            app_settings().setValue("import/folder", str(chosen.parent))
            dialog.load(chosen)
        dialog.exec()
        return dialog.imported
