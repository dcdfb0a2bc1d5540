"""年度工作总结 / 书记述职: the draft written from the ledger's figures, edited by the clerk,
saved with the ledger and printed as a PDF."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..services import plan as PL
from ..services import roster as roster_service
from .context import AppContext, confirm
from .widgets import hint_label, make_primary


class SummaryDialog(QDialog):
    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        s = PL.summary(ctx.ledger, year)
        self.setWindowTitle(s.title)
        layout = QVBoxLayout(self)
        self.hint = hint_label(
            f"上次保存：{s.saved_at.replace('T', ' ')}" if s.saved_at else
            "这是按台账数字生成的草稿：请修改文字、补充“……”处，保存后可打印。"
        )  # fmt: skip
        layout.addWidget(self.hint)
        self.editor = QPlainTextEdit(s.text)
        self.editor.setObjectName("summary_text")
        font = QFont(self.editor.font())
        font.setPointSizeF(font.pointSizeF() + 1)
        self.editor.setFont(font)
        layout.addWidget(self.editor, 1)
        row = QHBoxLayout()
        self.regenerate_button = QPushButton("重新生成草稿")
        self.regenerate_button.setToolTip("按台账的最新数字重新生成（替换当前文字）")
        self.regenerate_button.clicked.connect(self.regenerate)
        row.addWidget(self.regenerate_button)
        row.addStretch(1)
        self.print_button = QPushButton("打印为 PDF…")
        self.print_button.clicked.connect(self.print_pdf)
        row.addWidget(self.print_button)
        self.save_button = make_primary(QPushButton("保存"))
        self.save_button.setObjectName("summary_save")
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self._base = s.text  # what was saved (or the draft as generated)
        screen = self.screen()
        h = screen.availableGeometry().height() if screen else 700
        self.resize(760, min(680, h - 60))

    @property
    def dirty(self) -> bool:
        return self.editor.toPlainText() != self._base

    def save(self) -> bool:
        text = self.editor.toPlainText()
        if self.ctx.run(self, PL.save_summary, self.year, text, success="已保存年度工作总结"):
            self._base = text
            self.hint.setText("已保存。")
            return True
        return False

    def regenerate(self) -> None:
        if self.editor.toPlainText().strip() and not confirm(
            self, "重新生成草稿", "用台账的最新数字重新生成草稿，替换当前文字？", ok="重新生成"
        ):
            return
        self.editor.setPlainText(PL.draft(self.ctx.ledger, self.year))

    def print_pdf(self) -> None:
        from .exported import save_file

        branch = roster_service.branch(self.ctx.ledger).name or "支部"
        text = self.editor.toPlainText()
        save_file(
            self,
            "打印年度工作总结",
            f"{branch}{self.year}年度工作总结.pdf",
            "PDF 文件 (*.pdf)",
            lambda target: PL.export_summary_pdf(self.ctx.ledger, self.year, text, target),
            "年度工作总结",
        )

    def ask_unsaved(self) -> str:
        """保存 / 放弃 / 取消 for unsaved text: "save", "drop" or "cancel" (tests patch it)."""
        from .exported import ask_unsaved

        return ask_unsaved(self, "总结未保存", "修改的文字还没有保存，要保存吗？")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.dirty:
            answer = self.ask_unsaved()
            if answer == "cancel" or answer == "save" and not self.save():
                event.ignore()
                return
            self._base = self.editor.toPlainText()  # settled: asked once
        super().closeEvent(event)

    def reject(self) -> None:  # Esc: the same question as closing
        self.close()

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, year: int) -> None:
        cls(ctx, year, parent).exec()
