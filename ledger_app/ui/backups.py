"""设置 › 数据备份: the list of backups with 立即备份 / 恢复 / 检查, and the recycle bin.

``BackupsWidget(ctx)`` and ``TrashWidget(ctx)`` are embedded by the settings page. Restoring
closes the open ledger, restores (the current state is backed up first) and opens it again
as ``ctx.ledger``; every page is then told that everything changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import DamagedDatabaseError, UserError
from ..services import safety
from ..services.ledger import Changes, Ledger
from ..services.safety import BackupInfo, backups_dir, start_inspection
from .context import AppContext, confirm, show_error
from .tasks import run_task


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


def _when(text: str) -> str:
    """``2026-11-23T14:30:00`` → ``2026-11-23 14:30``."""
    return text.replace("T", " ")[:16]


def _table(headers: list[str], stretch: int) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    t.setMinimumHeight(150)
    return t


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class BackupsWidget(QWidget):
    """Backups of the open ledger: list, back up now, restore one, check the database."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._backups: list[BackupInfo] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setProperty("role", "hint")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8A5A00;")
        self.warning.hide()
        layout.addWidget(self.warning)

        self.table = _table(["备份时间", "类型", "大小"], stretch=1)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        layout.addWidget(self.table)

        buttons = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        self.backup_button.setProperty("primary", True)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.verify_button = QPushButton("检查数据库")
        self.verify_button.setToolTip("检查数据库文件是否完好、修改记录是否被改动过")
        self.verify_button.clicked.connect(self.verify)
        self.folder_button = QPushButton("打开备份文件夹")
        self.folder_button.clicked.connect(self.open_folder)
        for b in (self.backup_button, self.restore_button, self.verify_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.folder_button)
        layout.addLayout(buttons)

        ctx.changed.connect(self.refresh)
        self.reload()

    # --- data ----------------------------------------------------------------------------

    def refresh(self, changes: Changes) -> None:
        if changes.settings or changes == Changes.everything():
            self.reload()

    def reload(self) -> None:
        ledger = self.ctx.ledger
        in_memory = ledger.path is None
        if in_memory:
            self.where.setText("当前是内存中的临时台账，没有备份。")
            self._backups = []
        else:
            self.where.setText(
                f"备份保存在：{backups_dir(ledger.path)}\n"
                "每次打开和关闭程序时自动备份（使用中每小时一次，仅在有改动时）；"
                "保留最近 10 份、两周内每天 1 份、一年内每月 1 份、更早的每年 1 份。"
            )
            self._backups = safety.list_backups(ledger)
            warning = safety.risky_location(ledger.path)
            self.warning.setText(f"⚠ {warning}" if warning else "")
            self.warning.setVisible(bool(warning))
        self.table.setRowCount(len(self._backups))
        for row, b in enumerate(self._backups):
            self.table.setItem(row, 0, _item(f"{b.when:%Y-%m-%d %H:%M:%S}"))
            self.table.setItem(row, 1, _item(b.reason_label))
            self.table.setItem(row, 2, _item(_size(b.size), align_right=True))
        for w in (self.backup_button, self.verify_button, self.folder_button):
            w.setEnabled(not in_memory)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # --- actions -------------------------------------------------------------------------

    def backup_now(self) -> None:
        result = run_task(
            self,
            "正在备份…",
            lambda ledger, progress: safety.backup_now(ledger, "manual"),
            self.ctx.ledger,
            cancellable=False,
        )
        if isinstance(result.error, UserError):
            show_error(self, result.error, title="备份失败")
            return
        if result.error is not None:
            raise result.error
        self.reload()
        self.ctx.status(f"已备份到 {result.value}")

    def restore_selected(self) -> None:
        b = self.selected()
        if b is None:
            return
        text = (
            f"将用 {b.when:%Y年%m月%d日 %H:%M} 的备份（{b.reason_label}）替换当前的全部数据。\n"
            "当前数据会先自动备份，之后仍可从列表中恢复回来。\n\n是否继续？"
        )
        if not confirm(self, "恢复备份", text, ok="恢复"):
            return
        error = restore_and_reopen(self.ctx, b.path)
        self.reload()
        if error is not None:
            show_error(self, error, title="无法恢复")
        else:
            self.ctx.status(f"已恢复 {b.when:%Y-%m-%d %H:%M} 的备份")

    def verify(self) -> None:
        VerifyDialog(self.ctx, self).exec()

    def open_folder(self) -> None:
        folder = backups_dir(self.ctx.ledger.path)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def restore_and_reopen(ctx: AppContext, backup_file: Path) -> UserError | None:
    """Close the open ledger, restore ``backup_file`` over it (the current state is backed
    up first), open it again as ``ctx.ledger`` and tell every page. Returns the error when
    the backup could not be restored (the live file is then as it was)."""
    ledger = ctx.ledger
    path, today = ledger.path, getattr(ledger, "_today", None)
    error: UserError | None = None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        ledger.close()  # restoring needs the program's own connection closed
        try:
            safety.restore(path, backup_file)
        except UserError as e:
            error = e  # the live file was not touched
        start_inspection(path)
        # pages read ctx.ledger each time, so swapping it reconnects them all
        ctx.ledger = Ledger.open(path, today=today)
        safety.soundness_ready(ctx.ledger)  # the full check before the next write: begun now
    finally:
        QGuiApplication.restoreOverrideCursor()
    ctx.notify(Changes.everything())
    return error


class VerifyDialog(QDialog):
    """检查数据库: the whole file, the audit trail, changes from outside the program — and,
    given the 台账校验码 printed on an earlier PDF or workbook, what changed since."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("检查数据库")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        hint = QLabel(
            "检查数据库文件是否完好、修改记录是否完整、有没有被程序以外的工具改动过。\n"
            "要核对交出去的台账此后是否改过，请填写当时 PDF 页脚或 Excel 汇总表上印的"
            "“台账校验码”（16 位），可不填。"
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(QLabel("台账校验码："))
        self.code = QLineEdit()
        self.code.setObjectName("verify_code")
        self.code.setPlaceholderText("如 3f9a0c1d5e7b2a48（可不填）")
        self.code.setClearButtonEnabled(True)
        self.code.returnPressed.connect(self.check)
        row.addWidget(self.code, 1)
        self.check_button = QPushButton("检查")
        self.check_button.setProperty("primary", True)
        self.check_button.clicked.connect(self.check)
        row.addWidget(self.check_button)
        layout.addLayout(row)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        layout.addWidget(self.verdict)
        self.result = QPlainTextEdit()
        self.result.setReadOnly(True)
        self.result.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.result.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        layout.addWidget(self.result, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.last: safety.Verification | None = None

    def check(self) -> None:
        code = self.code.text().strip() or None
        path = self.ctx.ledger.path
        outcome = run_task(
            self,
            "正在检查数据库…",
            lambda _ledger, _progress: safety.verify_database(path, code),
            self.ctx.ledger,
            cancellable=False,
        )
        if isinstance(outcome.error, UserError):
            show_error(self, outcome.error, title="无法检查")
            self.code.setFocus()
            return
        if outcome.error is not None:
            raise outcome.error
        result: safety.Verification = outcome.value
        self.last = result
        if result.ok:
            verdict = "检查通过：台账自校验码之后没有改动。" if code else "检查通过。"
        elif result.content_ok:
            verdict = "数据库完好，但台账在校验码之后有改动（见下）。"
        else:
            verdict = "检查发现问题（见下）。"
        self.verdict.setText(verdict)
        self.verdict.setStyleSheet("" if result.ok else "color: #B00020;")
        self.result.setPlainText("\n".join(result.lines()))


class TrashWidget(QWidget):
    """回收站: deleted records, each restorable with its attendance and attachments."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._items: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel("删除的活动记录（连同出席情况和附件）和单独删除的附件保存在这里，可以恢复。")
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = _table(["删除时间", "记录", "删除人"], stretch=1)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton("恢复所选记录")
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        ctx.changed.connect(self.refresh)
        self.reload()

    def refresh(self, changes: Changes) -> None:
        if changes.records:
            self.reload()

    def reload(self) -> None:
        self._items = safety.trash(self.ctx.ledger)
        self.table.setRowCount(len(self._items))
        for row, t in enumerate(self._items):
            self.table.setItem(row, 0, _item(_when(t.deleted_at)))
            self.table.setItem(row, 1, _item(t.title or ""))
            self.table.setItem(row, 2, _item(t.deleted_by or ""))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self._items[rows[0].row()]
        self.ctx.run(
            self, safety.restore_from_trash, item.id, success=f"已恢复：{item.title or '记录'}"
        )


def offer_restore(
    parent: QWidget | None, error: DamagedDatabaseError, ctx: AppContext | None = None
) -> bool | None:
    """When the database was found damaged: say so, offer the newest good backup and
    restore it (the damaged file is kept aside as ``….damaged-<time>``). True if restored,
    so that the caller opens the ledger again; False if not; None when there is no good
    backup to offer (the caller shows the error as it is). With ``ctx`` (found while the
    window is open) the open ledger is closed for restoring and opened again."""
    path = error.path
    good = safety.newest_good_backup_for(path) if path is not None else None
    if good is None:
        return None
    text = (
        f"{error.message}\n\n是否用 {good.when:%Y年%m月%d日 %H:%M} 的备份恢复？"
        "损坏的文件会改名保留在原文件夹中（名称含 .damaged-），不会删除。"
    )
    box = QMessageBox(QMessageBox.Icon.Warning, "数据库已损坏", text, parent=parent)
    yes = box.addButton("用备份恢复", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("暂不恢复" if ctx is not None else "退出", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    if box.clickedButton() is not yes:
        return False
    if ctx is not None:
        failed = restore_and_reopen(ctx, good.path)
    else:
        try:
            safety.restore(path, good.path)
            failed = None
        except UserError as e:
            failed = e
    if failed is not None:
        show_error(parent, failed, title="无法恢复")
        return False
    return True


class AutoBackup(QObject):
    """The automatic backups of an open window: call :meth:`opened` once the ledger is open,
    :meth:`closing` from ``closeEvent``; while open, checks every few minutes and backs up at
    most hourly, only when something changed. Failures (full disk …) go to the status bar:
    they must never stop the clerk's work."""

    CHECK_MS = 5 * 60 * 1000
    OPEN_DELAY_MS = 2000

    def __init__(self, ctx: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.timer = QTimer(self)
        self.timer.setInterval(self.CHECK_MS)
        self.timer.timeout.connect(lambda: self._run("hourly"))
        self._opened = False

    POLL_MS = 200  # while the full check of the file (begun on opening) is still running

    def opened(self) -> None:
        """The backup of opening — once the full check of the file has passed (it runs in
        the background from the start): a damaged file is never copied into backups/, the
        clerk is told at once and offered the newest good backup instead."""
        if self._opened:
            return
        if not safety.soundness_ready(self.ctx.ledger):
            QTimer.singleShot(self.POLL_MS, self.opened)
            return
        self._opened = True
        self._run("open")
        self.timer.start()

    def closing(self) -> None:
        if not self._opened:
            self._opened = True
            # a window closed at once still gets the backup of opening — unless the full
            # check of the file has not run: then nothing was saved in this session (a save
            # waits for that check), the state is the one the next opening backs up, and
            # closing does not wait seconds for a check only a backup would need
            if safety.soundness_checked(self.ctx.ledger):
                self._run("open")
        self.timer.stop()
        self._run("close")

    def _run(self, reason: str) -> None:
        try:
            made = safety.maybe_backup(self.ctx.ledger, reason)
        except DamagedDatabaseError as e:
            self._damaged(e, offer=reason == "open")
            return
        except UserError as e:
            self.ctx.status(f"自动备份失败：{e.message}")
            return
        if made is not None and reason != "close":
            self.ctx.status(f"已自动备份（{made.name}）")

    def _damaged(self, error: DamagedDatabaseError, offer: bool) -> None:
        """The file turned out damaged: nothing is written to it any more (the first write
        is refused, see storage.db.before_first_write); offer the newest good backup."""
        self.timer.stop()
        self.ctx.status("数据库已损坏：程序不会再写入它。请在 设置 › 数据备份 中恢复备份。")
        if not offer:
            return
        parent = self.parent()  # the window
        restored = offer_restore(parent if isinstance(parent, QWidget) else None, error, self.ctx)
        if restored is None:
            show_error(None, error, title="数据库已损坏")
        elif restored:
            self.ctx.status("已用备份恢复，可以继续使用。")
            self.timer.start()
