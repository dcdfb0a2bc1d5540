"""上级党委汇总: a window over a folder of the workbooks the branches sent — read-only, each
read and checked as ``import`` would (one with errors is listed with them and skipped) —
showing per branch and period the meetings held vs required, member alerts, dues collected
vs due, volunteer hours, incomplete records, 台账得分 and 自评等级, ranked (年排序), with the
workbooks whose 内容校验码 does not match flagged; exports the committee's own Excel summary
and PDF 季度通报.

Opened by ``python main.py --committee [FOLDER]`` (no branch ledger needed) or from the
branch window's 文件 › 上级党委汇总….
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.committee import (
    CODE_CHANGED,
    CODE_OK,
    BranchResult,
    CommitteeReport,
    PeriodFigures,
    percent,
    points,
    rank,
)
from ..errors import UserError
from .context import show_error
from .widgets import (
    STATUS_MISSING,
    STATUS_NONE,
    STATUS_OK,
    STATUS_WARN,
    app_settings,
    hint_label,
    make_primary,
    remember_header,
    status_background,
    status_foreground,
    title_label,
)

COLUMNS = (
    "排名",
    "党支部",
    "在册",
    "达标/应判断",
    "达标率",
    "党员预警",
    "已缴/应缴(元)",
    "收缴率",
    "志愿(小时)",
    "不完整",
    "台账得分",
    "台账等级",
    "自评",
    "校验码",
)
GRADE_LOOK = {"示范": STATUS_OK, "过硬": STATUS_OK, "达标": STATUS_WARN, "未达标": STATUS_MISSING}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class BranchModel(QAbstractTableModel):
    """The branches of a report, for one period (the year or a quarter)."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[tuple[BranchResult, PeriodFigures]] = []

    def load(self, report: CommitteeReport | None, key: str | None) -> None:
        self.beginResetModel()
        self.rows = []
        if report is not None:
            for b in rank(list(report.branches), key):
                self.rows.append((b, (b.period(key) if key else None) or b.year))
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

    def _cells(self, b: BranchResult, f: PeriodFigures) -> list[tuple[str, Any]]:
        """(text, sort value) per column."""
        self_grade = b.self_grade or ("未完成" if b.self_total is not None else "无自评")
        code = b.code_status
        if not f.covered:
            blank = ("—", -1)
            return [
                blank, (b.branch, b.branch), blank, blank, blank, blank, blank, blank, blank,
                blank, blank, ("未报送", -1), (self_grade, self_grade), (code, code),
            ]  # fmt: skip
        return [
            (str(b.rank), b.rank),
            (b.branch, b.branch),
            (str(f.members), f.members),
            (f"{f.met}/{f.judged}", f.met - f.judged),
            (percent(f.compliance_permille), f.compliance_permille or 0),
            (str(f.alerts), f.alerts),
            (f"{f.collected / 100:,.0f}/{f.due / 100:,.0f}", f.collected - f.due),
            (percent(f.dues_permille), f.dues_permille or 0),
            (f"{f.volunteer_half_hours / 2:g}", f.volunteer_half_hours),
            (str(f.incomplete), f.incomplete),
            (points(f.score), f.score),
            (f.grade, f.score),
            (self_grade, b.self_total or 0),
            (code, code),
        ]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        b, f = self.rows[index.row()]
        col = index.column()
        text, sort = self._cells(b, f)[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == SORT_ROLE:
            return sort
        look = None
        if col == 11:
            look = GRADE_LOOK.get(f.grade, STATUS_NONE) if f.covered else STATUS_NONE
        elif col == 12:
            look = GRADE_LOOK.get(b.self_grade, STATUS_NONE)
        elif col == 13:
            look = {CODE_OK: STATUS_OK, CODE_CHANGED: STATUS_MISSING}.get(
                b.code_status, STATUS_NONE
            )
        elif col in (5, 9) and f.covered:
            look = STATUS_WARN if sort else None
        if look is not None and role == Qt.ItemDataRole.ForegroundRole:
            return status_foreground(look)
        if look is not None and role == Qt.ItemDataRole.BackgroundRole and col >= 11:
            return status_background(look)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1:
                lines = [b.file, f"报送期间：{b.covers_label}" + ("（脱敏版）" if b.masked else "")]
                lines += [f"自评：{b.self_state}"] + b.warnings
                return "\n".join(lines)
            if col == 13:
                if b.code_status == CODE_CHANGED:
                    return f"工作簿导出后被改动过：记录的校验码 {b.code_found}，按内容算出 {b.code_computed}"
                if b.code_status == CODE_OK:
                    return f"内容校验码 {b.code_found} 与内容一致"
                return "工作簿中没有本程序写入的内容校验码（不是本程序导出，或版本较早）"
        if role == Qt.ItemDataRole.TextAlignmentRole and col != 1:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class CommitteeWindow(QMainWindow):
    """上级党委汇总."""

    jobs: int | None = None  # worker processes (None: one per core, at most 4; tests: 1)

    def __init__(self, folder: str | Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("committee_window")
        self.setWindowTitle("上级党委汇总 — 支部台账")
        self.report: CommitteeReport | None = None
        self.folder: Path | None = Path(folder) if folder else None
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label("上级党委汇总"))
        top.addSpacing(12)
        self.folder_label = QLabel()
        self.folder_label.setObjectName("committee_folder")
        self.folder_label.setProperty("role", "hint")
        top.addWidget(self.folder_label, 1)
        self.choose_button = make_primary(QPushButton("选择文件夹…"))
        self.choose_button.clicked.connect(self.choose_folder)
        top.addWidget(self.choose_button)
        self.reload_button = QPushButton("重新读取")
        self.reload_button.setToolTip("文件夹中的工作簿有增减或更新时")
        self.reload_button.clicked.connect(lambda: self.load(fresh=False))
        top.addWidget(self.reload_button)
        layout.addLayout(top)

        row = QHBoxLayout()
        row.addWidget(QLabel("期间"))
        self.period_box = QComboBox()
        self.period_box.setObjectName("committee_period")
        self.period_box.addItem("全年（年排序）", None)
        for q, name in enumerate(("第一季度", "第二季度", "第三季度", "第四季度"), 1):
            self.period_box.addItem(name, q)
        self.period_box.currentIndexChanged.connect(lambda _i: self.show_report())
        row.addWidget(self.period_box)
        row.addStretch(1)
        self.xlsx_button = QPushButton("导出汇总表…")
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.pdf_button = QPushButton("导出通报…")
        self.pdf_button.setToolTip("选择季度时为季度通报，全年时为年度通报")
        self.pdf_button.clicked.connect(self.export_pdf)
        row.addWidget(self.xlsx_button)
        row.addWidget(self.pdf_button)
        layout.addLayout(row)
        self.summary = QLabel()
        self.summary.setObjectName("committee_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(
            hint_label(
                "只读取，不改动任何工作簿。台账得分按默认考评表中台账能计算的项目统一折算为百分制；"
                "自评为支部自己的自评定级；校验码“不符”表示工作簿导出后被改动过。点列名排序。"
            )
        )

        split = QSplitter(Qt.Orientation.Vertical)
        self.model = BranchModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("committee_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for col, w in enumerate((38, 180, 44, 76, 56, 60, 116, 56, 70, 52, 60, 60, 56, 56)):
            self.table.setColumnWidth(col, w)
        self.table.horizontalHeader().setStretchLastSection(True)
        remember_header(self.table, "committee")
        split.addWidget(self.table)

        bottom = QWidget()
        bl = QHBoxLayout(bottom)
        bl.setContentsMargins(0, 4, 0, 0)
        left = QVBoxLayout()
        self.failed_title = QLabel("未汇总的工作簿")
        self.failed_title.setProperty("role", "section")
        left.addWidget(self.failed_title)
        self.failed = QListWidget()
        self.failed.setObjectName("committee_failed")
        self.failed.currentRowChanged.connect(self._show_errors)
        left.addWidget(self.failed)
        bl.addLayout(left, 2)
        self.errors = QPlainTextEdit()
        self.errors.setObjectName("committee_errors")
        self.errors.setReadOnly(True)
        self.errors.setPlaceholderText("选中左边的工作簿，这里列出它的错误（工作表!单元格: 说明）")
        bl.addWidget(self.errors, 3)
        split.addWidget(bottom)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)
        self.setMinimumSize(860, 520)
        self.resize(1180, 700)
        self._update()

    # --- reading ---------------------------------------------------------------------------

    def choose_folder(self) -> None:
        from .exported import ask_folder

        start = str(self.folder or app_settings().value("committee/folder") or "")
        folder = ask_folder(self, "选择存放各支部工作簿的文件夹", start)
        if folder is not None:
            self.folder = folder
            app_settings().setValue("committee/folder", str(folder))
            self.load()

    def load(self, fresh: bool = False) -> None:
        """Read the folder (in worker processes, off the GUI thread)."""
        if self.folder is None:
            return
        from ..services import committee as C
        from .tasks import run_job

        folder = self.folder

        def work(progress):
            return C.open_folder(
                folder,
                use_cache=not fresh,
                progress=lambda d, t, name: progress(d, t, f"正在读取 {d}/{t}：{name}"),
                jobs=self.jobs,
            )

        result = run_job(self, "正在读取各支部的工作簿……", work, title="上级党委汇总")
        if result.cancelled:
            self.summary.setText("已取消读取。")
            return
        if isinstance(result.error, UserError):
            show_error(self, result.error, title="无法汇总")
            return
        if result.error is not None:
            raise result.error
        self.report = result.value
        self.show_report()

    # --- showing ---------------------------------------------------------------------------

    @property
    def quarter(self) -> int | None:
        return self.period_box.currentData()

    def show_report(self) -> None:
        r = self.report
        key = f"{r.year}-Q{self.quarter}" if r is not None and self.quarter else None
        self.model.load(r, key)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.failed.clear()
        self.errors.clear()
        if r is not None:
            for f in r.failures:
                item = QListWidgetItem(f"✗ {f.file}：{f.message}")
                item.setForeground(status_foreground(STATUS_MISSING))
                self.failed.addItem(item)
            for b in r.branches:
                for w in b.warnings:
                    item = QListWidgetItem(f"! {b.file}：{w}")
                    item.setForeground(status_foreground(STATUS_WARN))
                    self.failed.addItem(item)
            if not self.failed.count():
                self.failed.addItem(QListWidgetItem("✓ 全部工作簿均已汇总"))
        self._update()

    def _show_errors(self, row: int) -> None:
        r = self.report
        if r is None or not 0 <= row < len(r.failures):
            self.errors.clear()
            return
        f = r.failures[row]
        self.errors.setPlainText("\n".join([f"{f.file}：{f.message}", *f.errors]))

    def _update(self) -> None:
        r = self.report
        self.folder_label.setText(str(self.folder) if self.folder else "尚未选择文件夹")
        has = r is not None and bool(r.branches)
        self.xlsx_button.setEnabled(has)
        self.pdf_button.setEnabled(has)
        self.reload_button.setEnabled(self.folder is not None)
        if r is None:
            self.summary.setText("选择存放各支部报送的 Excel 台账的文件夹。")
            return
        changed = len(r.changed)
        text = f"{r.year}年：共 {len(r.branches) + len(r.failures)} 份工作簿，汇总 {len(r.branches)} 个党支部"
        if r.failures:
            text += f"，{len(r.failures)} 份未汇总"
        if changed:
            text += f"，{changed} 份校验码不符"
        text += f"；用时 {r.seconds:.1f} 秒"
        if r.from_cache:
            text += f"（{r.from_cache} 份沿用上次读取的结果）"
        self.summary.setText(text)
        self.failed_title.setText(f"未汇总的工作簿（{len(r.failures)} 份）与提示")

    # --- exports ---------------------------------------------------------------------------

    def _save(self, title: str, name: str, filt: str, write) -> None:
        from .exported import save_file

        save_file(self, title, name, filt, write)

    def export_xlsx(self) -> None:
        from ..services.committee import export_summary_xlsx

        r = self.report
        if r is None:
            return
        self._save(
            "导出汇总表",
            f"{r.year}年各党支部台账汇总.xlsx",
            "Excel 工作簿 (*.xlsx)",
            lambda p: export_summary_xlsx(r, p),
        )

    def export_pdf(self) -> None:
        from ..services.committee import export_bulletin_pdf

        r = self.report
        if r is None:
            return
        q = self.quarter
        label = f"{r.year}年" + (
            ("第一季度", "第二季度", "第三季度", "第四季度")[q - 1] if q else "度"
        )
        self._save(
            "导出通报",
            f"{label}台账检查通报.pdf",
            "PDF 文件 (*.pdf)",
            lambda p: export_bulletin_pdf(r, q, p),
        )


_open: list[CommitteeWindow] = []  # keep the windows opened from the branch window alive


def open_window(parent: QWidget | None = None, folder: str | Path | None = None) -> CommitteeWindow:
    w = CommitteeWindow(folder)
    _open.append(w)
    w.destroyed.connect(lambda *_: _open.remove(w) if w in _open else None)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    w.show()
    if folder:
        QTimer.singleShot(0, w.load)
    return w


def run_committee(folder: str | None) -> int:
    """``python main.py --committee [FOLDER]``: the window alone, on no ledger."""
    from .main import excepthook, setup_application

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    setup_application(app)
    sys.excepthook = excepthook
    w = CommitteeWindow(folder)
    w.show()
    if folder:
        QTimer.singleShot(0, w.load)
    elif not folder:
        QTimer.singleShot(0, w.choose_folder)
    import os

    quit_after = os.environ.get("LEDGER_QUIT_AFTER_MS")
    if quit_after:
        QTimer.singleShot(int(quit_after), w.close)
    return app.exec()
