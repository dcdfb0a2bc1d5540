"""What to do first, while the roster is empty: 添加党员 / 从工作簿导入 / 导入示例工作簿.

Shown by the 工作台 and the 党员名册 of a new branch instead of a board of “缺” for a branch
with nobody in it. The imports are the window's own (``ctx.command``); 添加党员 opens the
member dialog on the 名册.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .context import IMPORT_SAMPLE, IMPORT_WORKBOOK, AppContext
from .widgets import hint_label, make_primary


class FirstSteps(QFrame):
    def __init__(self, ctx: AppContext, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("first_steps")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addStretch(1)
        title = QLabel("还没有党员")
        title.setProperty("role", "title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        hint = hint_label(text)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        self.add_button = make_primary(QPushButton("添加党员…"))
        self.add_button.setToolTip("在党员名册中逐个添加")
        self.import_button = QPushButton("从工作簿导入…")
        self.import_button.setToolTip("已有 Excel 台账：导入支部信息、党员名册和记录")
        self.sample_button = QPushButton("导入示例工作簿…")
        self.sample_button.setToolTip("程序自带的 8 人社区支部台账，先看看程序里的样子")
        for button in (self.add_button, self.import_button, self.sample_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.add_button.clicked.connect(lambda: ctx.navigate("roster", add_member=True))
        self.import_button.clicked.connect(lambda: ctx.command(IMPORT_WORKBOOK))
        self.sample_button.clicked.connect(lambda: ctx.command(IMPORT_SAMPLE))
