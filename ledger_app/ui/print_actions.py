"""The 打印 buttons (issue 18): one meeting as a page of the 三会一课记录本, a blank 签到表
for a planned meeting. Asks where to save the PDF, writes it, says where it went and offers
to open it or its folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..domain.models import Record
from ..errors import UserError
from ..services import printing
from ..services import records as records_service
from .context import AppContext, show_error
from .widgets import app_settings

_FOLDER_KEY = "print/folder"


def ask_target(parent: QWidget | None, title: str, default_name: str) -> Path | None:
    """The PDF file chosen in a save dialog (tests monkeypatch this)."""
    folder = app_settings().value(_FOLDER_KEY) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    )
    start = str(Path(str(folder)) / default_name) if folder else default_name
    path, _ = QFileDialog.getSaveFileName(parent, title, start, "PDF 文件 (*.pdf)")
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.lower() == ".pdf" else target.with_name(target.name + ".pdf")


def offer_open(parent: QWidget | None, path: Path) -> str:
    """Say where the file went; 'file' | 'folder' | '' as the clerk chooses (tests patch)."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "已生成",
        f"已保存到：\n{path}",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_file)
    box.exec()
    clicked = box.clickedButton()
    return "file" if clicked is open_file else "folder" if clicked is open_folder else ""


def _write(ctx: AppContext, parent, record: Record, what: str, title: str, make) -> Path | None:
    target = ask_target(parent, title, printing.default_name(record, what))
    if target is None:
        return None
    try:
        path = make(ctx.ledger, record, target)
    except UserError as e:
        show_error(parent, e, title="无法生成")
        return None
    except OSError as e:
        show_error(parent, f"无法写入文件 {e.filename or target}：{e.strerror or e}", "无法生成")
        return None
    app_settings().setValue(_FOLDER_KEY, str(path.parent))
    ctx.status(f"已生成：{path}")
    choice = offer_open(parent, path)
    if choice:
        where = path if choice == "file" else path.parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(where)))
    return path


def print_record_book(ctx: AppContext, parent, record: Record | int) -> Path | None:
    """The record (a saved one by id, or the form's draft) as a 记录本 page."""
    if isinstance(record, int):
        found = records_service.record(ctx.ledger, record)
        if found is None:
            show_error(parent, "该记录已不存在。")
            return None
        record = found
    return _write(
        ctx, parent, record, "记录", "打印三会一课记录本（PDF）", printing.record_book_pdf
    )


def print_sign_sheet(ctx: AppContext, parent, record: Record) -> Path | None:
    """A blank 签到表 with the members expected at ``record`` (planned or held)."""
    return _write(ctx, parent, record, "签到表", "打印签到表（PDF）", printing.sign_sheet_pdf)
