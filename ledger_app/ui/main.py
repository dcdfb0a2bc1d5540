"""The main window: left navigation, pages built on first show, menus, status bar; and
``run_gui`` — font, style, crash handler, opening the database (or the demo)."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import logging
import os
import sqlite3
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSize, Qt, QTimer, QTranslator, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QDesktopServices,
    QFont,
    QFontDatabase,
    QIcon,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from .. import APP_ID, APP_NAME, __version__, paths
from ..errors import DamagedDatabaseError, DatabaseError, UserError
from ..services import roster as roster_service
from ..services.ledger import Changes, Ledger
from .context import IMPORT_SAMPLE, IMPORT_WORKBOOK, PAGES, AppContext, show_error
from .widgets import STYLE_SHEET, TEXT_MUTED, app_settings, title_label, view_settings

log = logging.getLogger(__name__)

# page key → "module:Class"; a module that does not exist yet shows a placeholder
PAGE_CLASSES = {
    "board": "ledger_app.ui.pages.board:BoardPage",
    "roster": "ledger_app.ui.pages.roster:RosterPage",
    "meetings": "ledger_app.ui.pages.records:MeetingsPage",
    "theme": "ledger_app.ui.pages.records:ThemeDayPage",
    "other": "ledger_app.ui.pages.records:OtherLifePage",
    "dues": "ledger_app.ui.pages.dues:DuesPage",
    "volunteer": "ledger_app.ui.pages.volunteer:VolunteerPage",
    "followup": "ledger_app.ui.pages.followup:FollowupPage",
    "development": "ledger_app.ui.pages.development:DevelopmentPage",
    "transfers": "ledger_app.ui.pages.transfers:TransfersPage",
    "care": "ledger_app.ui.pages.care:CarePage",
    "plan": "ledger_app.ui.pages.plan:PlanPage",  # issue 20
    "assessment": "ledger_app.ui.pages.assessment:AssessmentPage",  # issue 20
    "export": "ledger_app.ui.pages.export:ExportPage",
    "settings": "ledger_app.ui.pages.settings:SettingsPage",
}
PAGE_TITLES = dict(PAGES)
RESUME_WITHIN = dt.timedelta(hours=2)  # a restart within this returns to the last page
PRELOAD_AFTER_MS, PRELOAD_STEP_MS = 1500, 50  # page modules loaded once the window is in use


class PlaceholderPage(QWidget):
    """A page whose module is not written yet: says so plainly."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title_label(title))
        label = QLabel("此功能正在建设中")
        label.setObjectName("placeholder")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("font-size: 14pt; color: #6B6B6B;")
        layout.addStretch(1)
        layout.addWidget(label)
        hint = QLabel("后续版本将提供这一页面；已有数据不受影响。")
        hint.setProperty("role", "hint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        layout.addStretch(2)

    def refresh(self, changes: Changes) -> None:
        pass


def load_page_class(spec: str) -> type[QWidget] | None:
    """The page class for ``"module:Class"``, or None when that module does not exist yet.
    Any other import problem is a bug and propagates."""
    module_name, class_name = spec.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name == module_name:
            return None
        raise
    return getattr(module, class_name)


def page_shortcut(row: int) -> str:
    """The key of the page at ``row`` of the navigation: Ctrl+1 … Ctrl+9, then Ctrl+0 (as a
    browser's tabs); "" beyond the tenth."""
    return f"Ctrl+{(row + 1) % 10}" if row < 10 else ""


class NavDelegate(QStyledItemDelegate):
    """A navigation item with its shortcut (Ctrl+1 …) in small grey at the right."""

    def paint(self, painter, option, index) -> None:
        super().paint(painter, option, index)
        if not page_shortcut(index.row()):
            return
        painter.save()
        font = QFont(option.font)
        font.setPointSizeF(max(font.pointSizeF() * 0.72, 7.0))
        painter.setFont(font)
        painter.setPen(QColor(TEXT_MUTED))
        painter.drawText(
            option.rect.adjusted(0, 0, -8, 0),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            page_shortcut(index.row()),
        )
        painter.restore()


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, demo: bool = False):
        super().__init__()
        self.ctx = ctx
        self.demo = demo
        self.pages: dict[str, QWidget] = {}
        self._preload_tried: set[str] = set()  # page keys whose module preload_pages loaded
        self.setObjectName("main_window")

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(132)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setItemDelegate(NavDelegate(self.nav))
        for row_number, (key, title) in enumerate(PAGES):
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            # Ctrl+1 … Ctrl+0: the pages in the order of the navigation (shown beside each)
            shortcut = page_shortcut(row_number)
            if shortcut:
                item.setToolTip(f"{title}（{shortcut}）")
                QShortcut(QKeySequence(shortcut), self, activated=lambda key=key: self.go_to(key))
        row.addWidget(self.nav)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.db_label = QLabel()
        self.db_label.setObjectName("db_path")
        self.db_label.setProperty("role", "hint")
        self.statusBar().addPermanentWidget(self.db_label)
        self._update_db_label()

        ctx.changed.connect(self._on_changed)
        ctx.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        ctx.navigate_requested.connect(self._on_navigate)
        ctx.command_requested.connect(self._on_command)
        self.nav.currentRowChanged.connect(self._on_nav_row)

        self.update_title()
        self.setMinimumSize(860, 520)  # fits 1366×768 at 125 % (1093×614 logical)
        self.resize(1180, 700)
        self.show_page("board")

    # --- pages -----------------------------------------------------------------------------

    def preload_pages(self) -> None:
        """Import the page modules the clerk has not opened yet, one per idle moment after
        start-up, so that a first visit pays for building its page, not for loading code
        (20–60 ms a page). Code only: every page still reads its data when it is built."""
        tried = self._preload_tried
        pending = [
            key
            for key in PAGE_CLASSES
            if key not in self.pages
            and key not in tried
            and PAGE_CLASSES[key].split(":")[0] not in sys.modules
        ]
        if pending:
            tried.add(pending[0])  # (a module not written yet is tried once, not forever)
            load_page_class(PAGE_CLASSES[pending[0]])
            QTimer.singleShot(PRELOAD_STEP_MS, self.preload_pages)

    def page(self, key: str) -> QWidget:
        """The page for ``key``, built on first use."""
        page = self.pages.get(key)
        if page is None:
            cls = load_page_class(PAGE_CLASSES[key])
            if cls is None:
                page = PlaceholderPage(self.ctx, PAGE_TITLES[key])
            else:
                page = cls(self.ctx)
            page.setObjectName(f"page_{key}")
            self.pages[key] = page
            self.stack.addWidget(page)
        return page

    def current_key(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "board"

    def show_page(self, key: str) -> QWidget:
        keys = [k for k, _ in PAGES]
        row = keys.index(key)
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        return page

    def go_to(self, key: str) -> None:
        """Show a page from the keyboard, with the focus in its list or table."""
        page = self.show_page(key)
        views = [v for v in page.findChildren(QAbstractItemView) if v.isVisibleTo(page)]
        if views:
            views[0].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            self.show_page(PAGES[row][0])

    def _on_navigate(self, key: str, kwargs: dict) -> None:
        page = self.show_page(key)
        activate = getattr(page, "activate", None)
        if callable(activate):
            activate(**kwargs)

    def _on_command(self, name: str) -> None:
        actions = {IMPORT_WORKBOOK: self.import_workbook, IMPORT_SAMPLE: self.import_sample}
        actions[name]()

    def _on_changed(self, changes: Changes) -> None:
        # pages refresh themselves (each connects to ctx.changed): only the chrome here
        if changes.branch:
            self.update_title()

    # --- chrome --------------------------------------------------------------------------------

    def update_title(self) -> None:
        name = roster_service.branch(self.ctx.ledger).name
        title = f"{APP_NAME} — {name}" if name else APP_NAME
        if self.demo:
            title += "【演示】"
        self.setWindowTitle(title)

    def _update_db_label(self) -> None:
        path = self.ctx.ledger.path
        text = f"数据文件：{path}" if path else "数据文件：（内存，不保存）"
        if self.demo:
            text = "演示数据　" + text
        self.db_label.setText(text)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.import_action = QAction("导入工作簿…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_workbook)
        file_menu.addAction(self.import_action)
        export_action = QAction("导出…", self)
        export_action.setShortcut(QKeySequence("Ctrl+E"))
        export_action.triggered.connect(lambda: self.ctx.navigate("export"))
        file_menu.addAction(export_action)
        committee_action = QAction("上级党委汇总…", self)  # issue 20
        committee_action.triggered.connect(self.open_committee)
        file_menu.addAction(committee_action)
        folder_action = QAction("打开数据文件夹", self)
        folder_action.triggered.connect(self.open_data_folder)
        file_menu.addAction(folder_action)
        file_menu.addSeparator()
        quit_action = QAction("退出", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about_action = QAction("关于", self)
        about_action.triggered.connect(self.about)
        help_menu.addAction(about_action)

    def import_workbook(self) -> None:
        from .import_dialog import ImportDialog

        ImportDialog.ask(self.ctx, self)

    def import_sample(self) -> None:
        """The bundled sample workbook, through the same preview as any import."""
        from .import_dialog import ImportDialog

        ImportDialog.ask(self.ctx, self, path=paths.sample_workbook())

    def open_committee(self) -> None:
        """上级党委汇总: its own window over a folder of branches' workbooks (issue 20)."""
        from .committee import open_window

        open_window(self)

    def open_data_folder(self) -> None:
        path = self.ctx.ledger.path
        folder = path.parent if path else paths.data_dir()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def about(self) -> None:
        QMessageBox.about(
            self,
            f"关于{APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>党支部工作台账：三会一课、主题党日、组织生活、"
            f"党费、志愿服务。<br><br>数据文件：{self.ctx.ledger.path or '（内存）'}<br>"
            f"日志文件夹：{paths.log_dir()}",
        )

    def first_start(self) -> None:
        """Empty database: set up the branch, or import a workbook."""
        from .setup_dialog import SetupDialog, needs_setup

        if not needs_setup(self.ctx):
            return
        choice = SetupDialog.ask(self.ctx, self)
        if choice == SetupDialog.IMPORT:
            self.import_workbook()
        elif choice == SetupDialog.SAMPLE:
            self.import_sample()

    # --- remembered state ----------------------------------------------------------------------

    def restore_state(self) -> None:
        """Geometry and (within a sitting) the last page, as left in this ledger."""
        settings = view_settings(self.ctx.ledger.path)
        geometry = settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            w = min(1180, int(screen.width() * 0.94))
            h = min(760, int(screen.height() * 0.92))
            self.resize(w, h)
            self.move(
                screen.x() + (screen.width() - w) // 2, screen.y() + (screen.height() - h) // 2
            )
        # "the board first": a new session opens on 工作台; coming back within the same
        # sitting (a restart) returns to the page last used
        last = settings.value("window/page")
        try:
            closed = dt.datetime.fromisoformat(str(settings.value("window/closed_at") or ""))
        except ValueError:
            closed = None
        recent = closed is not None and dt.datetime.now() - closed < RESUME_WITHIN
        if recent and isinstance(last, str) and last in PAGE_CLASSES:
            self.show_page(last)

    def save_state(self) -> None:
        settings = view_settings(self.ctx.ledger.path)
        if self.ctx.ledger.path is not None:  # for whoever reads window.ini
            settings.setValue("path", str(Path(self.ctx.ledger.path).resolve()))
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/page", self.current_key())
        settings.setValue("window/closed_at", dt.datetime.now().isoformat(timespec="seconds"))
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for page in self.pages.values():
            can_close = getattr(page, "can_close", None)
            if callable(can_close) and not can_close():
                event.ignore()
                return
        self.save_state()
        super().closeEvent(event)


# --- start-up ---------------------------------------------------------------------------------


# Qt's own words that its shipped Simplified Chinese catalogue (qtbase_zh_CN.qm) lacks:
# the catalogue predates these source texts, so Qt's file dialog showed them in English
QT_GAPS = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "Computer"): "计算机",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
    ("QPlatformTheme", "Don't Save"): "不保存",
    ("QPlatformTheme", "Close without Saving"): "关闭且不保存",
}


class QtGapsTranslator(QTranslator):
    """The few words of :data:`QT_GAPS`, asked before Qt's catalogue."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
        return QT_GAPS.get((context, source))  # None: not ours, Qt asks its catalogue

    def isEmpty(self) -> bool:  # noqa: N802
        return False


def load_qt_translation(app: QApplication) -> bool:
    """Qt's own words (standard buttons, file dialogs, context menus) in Simplified Chinese:
    Qt's catalogue, and the words it lacks (``QT_GAPS``) on top."""
    from PySide6.QtCore import QLibraryInfo, QLocale

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_zh_CN", folder):
        log.warning("Qt translation not found in %s", folder)
        return False
    app.installTranslator(translator)
    app.installTranslator(QtGapsTranslator(app))  # the last installed is asked first
    return True


def load_font(app: QApplication) -> str | None:
    """Load the bundled Chinese font and make it the application's, keeping the system
    fonts as fallback (Latin text and symbols)."""
    font_id = QFontDatabase.addApplicationFont(str(paths.font_path()))
    if font_id < 0:
        log.warning("bundled font not loaded: %s", paths.font_path())
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    font = QFont(app.font())
    font.setFamilies([families[0], *[f for f in font.families() if f != families[0]]])
    app.setFont(font)
    return families[0]


def log_file() -> Path:
    return paths.log_dir() / "error.log"


def write_crash_log(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> Path | None:
    """Append the traceback to the log file; returns its path (None if even that failed)."""
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(
                f"\n=== {dt.datetime.now().isoformat(timespec='seconds')} {APP_NAME} {__version__}\n"
            )
            f.write("".join(traceback.format_exception(exc_type, exc, tb)))
        return path
    except OSError:
        return None


_in_hook = False
_open_path: Path | None = None  # the database the window has open (for damage found reading)


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """No traceback reaches the user: a user error is shown as such; anything else is
    logged and reported with the log file's path."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if _in_hook:  # an error while reporting an error: log only
        write_crash_log(exc_type, exc, tb)
        return
    _in_hook = True
    try:
        if isinstance(exc, UserError):
            show_error(QApplication.activeWindow(), exc)
            return
        path = write_crash_log(exc_type, exc, tb)
        from ..services.safety import read_damage

        damage = read_damage(exc, _open_path)
        if damage is not None:  # a damaged file, not a bug: say so, name the backup
            show_error(QApplication.activeWindow(), damage, title="数据库已损坏")
            return
        where = f"详细信息已记录在日志文件：\n{path}" if path else "（日志文件无法写入。）"
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "程序出错",
            "很抱歉，程序遇到了意外错误，刚才的操作可能没有完成。已保存的数据不受影响。",
            QMessageBox.StandardButton.Ok,
            QApplication.activeWindow(),
        )
        box.setInformativeText(where + "\n\n如问题反复出现，请将该文件发给技术支持人员。")
        box.exec()
    finally:
        _in_hook = False


def open_ledger(db_path: Path | None, demo: bool) -> Ledger:
    """Open the ledger. For the demo: create the demo database if it does not exist, and
    rebuild the standard demo file when its year of records has fallen behind today."""
    if demo:
        from ..services import demo as demo_data

        path = Path(db_path) if db_path is not None else paths.demo_db_path()
        if path.exists() and path == paths.demo_db_path() and demo_data.is_stale(path):
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        if not path.exists():
            demo_data.create_demo(path)
        return Ledger.open(path)
    return Ledger.open(db_path)


class _Declined(Exception):
    """The clerk chose not to restore a damaged database: quit quietly."""


def setup_application(app: QApplication) -> None:
    """Names, the bundled font, Qt's words in Chinese, the icon and the style sheet."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    load_font(app)
    load_qt_translation(app)
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "app.png")))
    app.setStyleSheet(STYLE_SHEET)
    # What is loaded so far (Qt's and the program's modules, a few hundred thousand objects)
    # lives as long as the program: keep it out of the garbage collector's full passes,
    # which otherwise walk all of it whenever a page reads a year of records (~20 ms each).
    gc.freeze()


def run_gui(db_path: str | Path | None, demo: bool = False) -> int:
    """Open the window on ``db_path`` (``demo``: the separate demo database)."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    setup_application(app)
    sys.excepthook = excepthook

    path = Path(db_path) if db_path is not None else None
    lock = None
    try:
        if path is not None:
            from ..services.safety import acquire_lock

            try:
                lock = acquire_lock(path)
            except DatabaseError:
                # a second start on a ledger whose window is open: that window comes to the
                # front (a copy that does not answer, e.g. the command line, refuses as before)
                from .front_door import knock

                if knock(path):
                    return 0
                raise
        try:
            ledger = open_ledger(path, demo)
        except DamagedDatabaseError as e:
            from .backups import offer_restore

            restored = offer_restore(None, e)
            if restored is None:
                raise  # no backup to offer: shown below as it is
            if not restored:
                raise _Declined() from e
            ledger = open_ledger(path, demo)
    except (UserError, _Declined) as e:
        if isinstance(e, UserError):
            show_error(None, e, title="无法打开数据库")
        if lock is not None:
            lock.release()
        return 1

    global _open_path
    _open_path = path
    try:
        ctx = AppContext(ledger)
        window = MainWindow(ctx, demo=demo)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as e:
        # text that is not UTF-8 or a broken page, met while the first page reads its data
        from ..services.safety import read_damage
        from .backups import offer_restore

        damage = read_damage(e, path)
        if damage is None:
            raise
        ledger.close()
        restored = offer_restore(None, damage)
        if not restored:
            if restored is None:  # no good backup to offer
                show_error(None, damage, title="无法打开数据库")
            if lock is not None:
                lock.release()
            return 1
        ledger = open_ledger(path, demo)
        ctx = AppContext(ledger)
        window = MainWindow(ctx, demo=demo)
    window.restore_state()
    window.show()
    from .backups import AutoBackup

    auto_backup = AutoBackup(ctx, window)
    app.aboutToQuit.connect(auto_backup.closing)
    # the backup check of opening is background work: after the window is in use
    QTimer.singleShot(AutoBackup.OPEN_DELAY_MS, auto_backup.opened)
    quit_after = os.environ.get("LEDGER_QUIT_AFTER_MS")
    if quit_after:
        # smoke tests and the benchmark: close once the window is shown and the loop idle
        QTimer.singleShot(int(quit_after), window.close)
    else:
        QTimer.singleShot(0, window.first_start)
        QTimer.singleShot(PRELOAD_AFTER_MS, window.preload_pages)
        if path is not None:
            QTimer.singleShot(0, lambda: warn_risky_location(window, path))
            QTimer.singleShot(FRONT_DOOR_DELAY_MS, lambda: open_front_door(window, path))
    try:
        return app.exec()
    finally:
        ctx.ledger.close()  # the ledger may have been reopened by a restore
        if lock is not None:
            lock.release()


FRONT_DOOR_DELAY_MS = 300  # after the window is in use (QtNetwork is not needed before)


def open_front_door(window: QMainWindow, path: Path) -> None:
    """Listen for a second start on this ledger (it brings this window to the front)."""
    from .front_door import FrontDoor

    window.front_door = FrontDoor(window, path)  # type: ignore[attr-defined]


def warn_risky_location(parent: QWidget, path: Path) -> None:
    """SQLite's own documentation warns against network shares and removable drives:
    say so once per database file, and keep a reminder in the status bar."""
    from ..services.safety import risky_location

    message = risky_location(path)
    if not message:
        return
    window = parent if isinstance(parent, QMainWindow) else None
    if window is not None:
        window.statusBar().showMessage(message)
    settings = app_settings()
    key = f"risky_warned/{path.resolve().as_posix()}"
    if settings.value(key):
        return
    settings.setValue(key, True)
    QMessageBox.warning(parent, "数据库位置有风险", message)
