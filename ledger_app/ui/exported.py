"""Saving a file the user asked for (a PDF to print, a summary workbook): where to save it,
and — when it is written — where it went, with 打开文件 / 打开所在文件夹 (UI.md: every export
says where the file went and offers to open it or its folder); and the 保存 / 放弃 / 取消
question for unsaved edits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .widgets import app_settings


def safe_name(name: str) -> str:
    for bad in '\\/:*?"<>|':
        name = name.replace(bad, "_")
    return name


def ask_save_path(parent: QWidget, title: str, default_name: str, file_filter: str) -> Path | None:
    """The file chosen in a save dialog, with the filter's suffix (tests monkeypatch this)."""
    folder = app_settings().value("export/folder") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    )
    start = str(Path(str(folder)) / safe_name(default_name)) if folder else safe_name(default_name)
    path, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    if not path:
        return None
    target = Path(path)
    suffix = Path(default_name).suffix
    if suffix and target.suffix.lower() != suffix.lower():
        target = target.with_name(target.name + suffix)
    return target


def ask_folder(parent: QWidget, title: str, start: str = "") -> Path | None:
    """A folder chosen in a dialog (tests monkeypatch this)."""
    path = QFileDialog.getExistingDirectory(parent, title, start)
    return Path(path) if path else None


def tell_exported(parent: QWidget, path: Path, what: str = "文件") -> None:
    """Say where ``path`` went; offer to open it or its folder."""
    app_settings().setValue("export/folder", str(path.parent))
    box = QMessageBox(
        QMessageBox.Icon.Information, "已导出", f"{what}已保存到：\n{path}", parent=parent
    )
    open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_file)
    box.exec()
    if box.clickedButton() is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def save_file(
    parent: QWidget,
    title: str,
    default_name: str,
    file_filter: str,
    write: Callable[[Path], Path],
    what: str = "文件",
) -> Path | None:
    """Ask where, ``write(target)``, say where it went — or why it could not be written
    (a user error, a file that cannot be written). Returns the path written, or None."""
    from ..errors import UserError
    from .context import show_error

    target = ask_save_path(parent, title, default_name, file_filter)
    if target is None:
        return None
    try:
        path = write(target)
    except UserError as e:
        show_error(parent, e, title=f"{title}失败")
        return None
    except OSError as e:
        show_error(
            parent, f"无法写入文件 {e.filename or target}：{e.strerror or e}", title=f"{title}失败"
        )
        return None
    tell_exported(parent, path, what)
    return path


def ask_unsaved(parent: QWidget, title: str, text: str) -> str:
    """保存 / 放弃 / 取消 for what the clerk has not saved: "save", "drop" or "cancel"."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    drop = box.addButton("放弃", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    return {id(save): "save", id(drop): "drop"}.get(id(box.clickedButton()), "cancel")
