"""导出: the Excel ledger and the PDF inspection summary of a year or a quarter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...errors import UserError, os_error_text
from ...services import roster as roster_service
from ...services.ledger import Changes
from ..context import AppContext, show_error
from ..tasks import run_task
from ..widgets import app_settings, hint_label, make_primary, title_label

QUARTERS = ("全年", "第一季度", "第二季度", "第三季度", "第四季度")

# used when reports/pdf.py cannot be imported (its names are the contract)
_FALLBACK_SECTIONS = {
    "cover": "封面和目录",
    "overview": "基本情况",
    "problems": "问题清单",
    "records": "组织生活记录",
    "dues": "党费收缴",
    "volunteer": "志愿服务",
}


def pdf_sections() -> dict[str, str]:
    """PDF section key → Chinese label, in the report's order."""
    try:
        from ...reports import pdf
    except ModuleNotFoundError as e:
        if e.name != "ledger_app.reports.pdf":
            raise
        return dict(_FALLBACK_SECTIONS)
    labels = getattr(pdf, "SECTION_LABELS", _FALLBACK_SECTIONS)
    return {key: labels.get(key, key) for key in getattr(pdf, "SECTIONS", labels)}


def default_file_name(branch: str, year: int, quarter: int | None, what: str, suffix: str) -> str:
    """``示例党支部2025年台账.xlsx`` / ``示例党支部2025年第一季度检查汇总.pdf``."""
    period = f"{year}年" + (QUARTERS[quarter] if quarter else "")
    name = f"{branch or '支部'}{period}{what}{suffix}"
    for bad in '\\/:*?"<>|':
        name = name.replace(bad, "_")
    return name


class ExportPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        self.last_path: Path | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title_label("导出"))
        layout.addWidget(
            hint_label("导出的文件可打印装订备查，或报送上级党组织。检查通常看上一季度的台账。")
        )

        period_box = QGroupBox("期间")
        pl = QHBoxLayout(period_box)
        today = ctx.ledger.today()
        self.year = QComboBox()
        self.year.setObjectName("export_year")
        for y in range(today.year + 1, today.year - 10, -1):
            self.year.addItem(f"{y}年", y)
        self.set_year(today.year)
        self.quarter = QComboBox()
        self.quarter.setObjectName("export_quarter")
        self.quarter.addItems(QUARTERS)
        pl.addWidget(QLabel("年度"))
        pl.addWidget(self.year)
        pl.addSpacing(12)
        pl.addWidget(QLabel("范围"))
        pl.addWidget(self.quarter)
        last_quarter = QPushButton("上一季度")
        last_quarter.setToolTip("选择刚结束的季度（检查时常用）")
        last_quarter.clicked.connect(self.choose_last_quarter)
        pl.addWidget(last_quarter)
        pl.addStretch(1)
        layout.addWidget(period_box)

        row = QHBoxLayout()
        xlsx_box = QGroupBox("Excel 台账")
        xl = QVBoxLayout(xlsx_box)
        xl.addWidget(
            hint_label(
                "党员名册、三会一课、主题党日、其他组织生活、党费收缴、志愿服务，每类一张表，可直接打印。"
            )
        )
        self.mask = QCheckBox("隐去身份证号、出生日期和电话（报送、外发时用）")
        self.mask.setObjectName("export_mask")
        self.mask.setToolTip("隐去后的文件不能再导入本程序")
        xl.addWidget(self.mask)
        self.show_base = QCheckBox("党费收缴公示列出月缴费基数")
        self.show_base.setObjectName("export_show_base")
        self.show_base.setToolTip("缴费基数即每人的收入，公示时一般不列出")
        xl.addWidget(self.show_base)
        xl.addStretch(1)
        self.xlsx_button = make_primary(QPushButton("导出 Excel 台账…"))
        self.xlsx_button.clicked.connect(self.export_xlsx)
        xl.addWidget(self.xlsx_button, 0, Qt.AlignmentFlag.AlignLeft)
        row.addWidget(xlsx_box, 1)

        pdf_box = QGroupBox("PDF 检查汇总")
        pdl = QVBoxLayout(pdf_box)
        pdl.addWidget(hint_label("供检查、督查使用：选择要包含的部分。"))
        grid = QGridLayout()
        self.section_boxes: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(pdf_sections().items()):
            box = QCheckBox(label)
            box.setChecked(True)
            box.setObjectName(f"section_{key}")
            self.section_boxes[key] = box
            grid.addWidget(box, i // 2, i % 2)
        pdl.addLayout(grid)
        pdl.addStretch(1)
        self.pdf_button = QPushButton("导出 PDF 检查汇总…")
        self.pdf_button.clicked.connect(self.export_pdf)
        pdl.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignLeft)
        row.addWidget(pdf_box, 1)
        layout.addLayout(row)

        self.result_box = QGroupBox("导出结果")
        rl = QVBoxLayout(self.result_box)
        self.result_label = QLabel()
        self.result_label.setObjectName("export_result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rl.addWidget(self.result_label)
        buttons = QHBoxLayout()
        self.open_file_button = QPushButton("打开文件")
        self.open_file_button.clicked.connect(self.open_file)
        self.open_folder_button = QPushButton("打开所在文件夹")
        self.open_folder_button.clicked.connect(self.open_folder)
        buttons.addWidget(self.open_file_button)
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        rl.addLayout(buttons)
        self.result_box.hide()
        layout.addWidget(self.result_box)
        layout.addStretch(1)

    # --- page contract -------------------------------------------------------------------------

    def refresh(self, changes: Changes) -> None:
        pass  # nothing shown depends on the data

    def activate(self, year: int | None = None, quarter: int | None = None, **_kw: object) -> None:
        if year:
            self.set_year(year)
        if quarter is not None:
            self.quarter.setCurrentIndex(quarter)

    # --- values --------------------------------------------------------------------------------

    def set_year(self, year: int) -> None:
        index = self.year.findData(year)
        if index < 0:
            self.year.addItem(f"{year}年", year)
            index = self.year.count() - 1
        self.year.setCurrentIndex(index)

    def period(self) -> tuple[int, int | None]:
        q = self.quarter.currentIndex()
        return int(self.year.currentData()), (q or None)

    def choose_last_quarter(self) -> None:
        today = self.ctx.ledger.today()
        q = (today.month - 1) // 3  # the quarter that ended last (0 → Q4 of last year)
        year = today.year if q else today.year - 1
        self.set_year(year)
        self.quarter.setCurrentIndex(q or 4)

    def selected_sections(self) -> list[str]:
        return [k for k, box in self.section_boxes.items() if box.isChecked()]

    def ask_save_path(self, title: str, default_name: str, file_filter: str) -> Path | None:
        """The target file chosen in a save dialog (tests monkeypatch this)."""
        folder = app_settings().value("export/folder") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        start = str(Path(str(folder)) / default_name) if folder else default_name
        path, _ = QFileDialog.getSaveFileName(self, title, start, file_filter)
        return Path(path) if path else None

    # --- actions -------------------------------------------------------------------------------

    def export_xlsx(self) -> None:
        year, quarter = self.period()
        branch = roster_service.branch(self.ctx.ledger).name
        target = self.ask_save_path(
            "导出 Excel 台账",
            default_file_name(branch, year, quarter, "台账", ".xlsx"),
            "Excel 工作簿 (*.xlsx)",
        )
        if target is None:
            return
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        mask = self.mask.isChecked()
        show_base = self.show_base.isChecked()

        def work(ledger, progress):
            from ...services.exports import export_xlsx

            return export_xlsx(
                ledger, year, quarter, target, mask=mask, show_base=show_base, progress=progress
            )

        note = "（已隐去身份证号、出生日期和电话，不能再导入本程序）" if mask else ""
        self._run(work, "正在导出 Excel 台账……", target, note)

    def export_pdf(self) -> None:
        sections = self.selected_sections()
        if not sections:
            show_error(self, "请至少选择 PDF 的一个部分。")
            return
        year, quarter = self.period()
        branch = roster_service.branch(self.ctx.ledger).name
        target = self.ask_save_path(
            "导出 PDF 检查汇总",
            default_file_name(branch, year, quarter, "检查汇总", ".pdf"),
            "PDF 文件 (*.pdf)",
        )
        if target is None:
            return
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")

        def work(ledger, progress):
            from ...services.exports import export_pdf

            return export_pdf(ledger, year, quarter, target, sections=sections, progress=progress)

        self._run(work, "正在生成 PDF 检查汇总……", target, "")

    def _run(self, work, label: str, target: Path, note: str) -> None:
        result = run_task(self, label, work, self.ctx.ledger, title="导出")
        if result.cancelled:
            self.ctx.status("已取消导出，原有文件未改动")
            return
        if result.error is not None:
            if isinstance(result.error, UserError):
                show_error(self, result.error, title="导出失败")
                return
            if isinstance(result.error, OSError):  # the target, not the hidden temporary
                show_error(
                    self, f"无法写入文件 {target}：{os_error_text(result.error)}", title="导出失败"
                )
                return
            raise result.error
        path = Path(result.value) if isinstance(result.value, (str, Path)) else target
        self.last_path = path
        app_settings().setValue("export/folder", str(path.parent))
        self.result_label.setText(f"已导出到：{path}{note}")
        self.result_box.show()
        self.open_file_button.setFocus()
        self.ctx.status(f"已导出：{path.name}")

    def open_file(self) -> None:
        if self.last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path)))

    def open_folder(self) -> None:
        if self.last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path.parent)))
