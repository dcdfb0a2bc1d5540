"""The window around the pages: navigation, placeholders, first start, settings, export,
import preview, the crash handler, long work off the GUI thread, the demo database."""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from pathlib import Path

import pytest
from conftest import SAMPLE, add_member
from PySide6.QtWidgets import QLabel, QMessageBox

from ledger_app import paths
from ledger_app.errors import UserError
from ledger_app.services.ledger import Changes, Ledger
from ledger_app.ui import main as main_module
from ledger_app.ui import tasks
from ledger_app.ui.context import PAGES, AppContext
from ledger_app.ui.import_dialog import ImportDialog
from ledger_app.ui.main import MainWindow, PlaceholderPage, load_page_class
from ledger_app.ui.pages.roster import RosterPage
from ledger_app.ui.setup_dialog import SetupDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

MISSING = "ledger_app.ui.pages.not_written_yet"


@pytest.fixture
def ctx(ledger):
    ledger.repo.set_branch_info({"支部名称": "测试党支部"})
    add_member(ledger, "周建国", group="第一党小组", post="书记")
    return AppContext(ledger)


@pytest.fixture
def placeholders(monkeypatch):
    """Pages other helpers write are placeholders here (their own tests cover them)."""
    for key in ("board", "meetings", "theme", "other", "dues", "volunteer"):
        monkeypatch.setitem(main_module.PAGE_CLASSES, key, f"{MISSING}:Page")


@pytest.fixture
def window(qtbot, ctx, placeholders):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    return w


def test_opens_on_the_board_with_every_page_in_the_navigation(window):
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [t for _, t in PAGES]
    assert window.nav.currentRow() == 0
    assert window.current_key() == "board"
    board = window.stack.currentWidget()
    assert isinstance(board, PlaceholderPage)
    assert board.findChild(QLabel, "placeholder").text() == "此功能正在建设中"
    assert list(window.pages) == ["board"]  # other pages are built on first show
    assert window.windowTitle() == "支部台账 — 测试党支部"
    assert "内存" in window.db_label.text()


def test_navigation_switches_pages_and_builds_them_once(window):
    window.nav.setCurrentRow(1)
    roster = window.stack.currentWidget()
    assert isinstance(roster, RosterPage)
    window.nav.setCurrentRow([key for key, _ in PAGES].index("settings"))
    assert window.current_key() == "settings"
    window.nav.setCurrentRow(1)
    assert window.stack.currentWidget() is roster


def test_navigate_calls_activate(window):
    member = window.ctx.ledger.repo.members()[0]
    window.ctx.navigate("roster", member_id=member.id)
    page = window.stack.currentWidget()
    assert isinstance(page, RosterPage)
    assert window.nav.currentRow() == 1
    assert page.current_member().id == member.id


def test_changes_refresh_built_pages_and_the_title(window, ctx):
    seen = []
    window.page("roster").refresh = lambda changes: seen.append(changes)
    ctx.run(
        None,
        lambda lg: lg.repo.set_branch_info({"支部名称": "新名称党支部"}) or Changes(branch=True),
    )
    assert seen == [Changes(branch=True)]
    assert window.windowTitle() == "支部台账 — 新名称党支部"


def test_demo_title_is_marked(qtbot, ctx, placeholders):
    w = MainWindow(ctx, demo=True)
    qtbot.addWidget(w)
    assert w.windowTitle().endswith("【演示】")


def test_missing_module_is_a_placeholder_other_import_errors_propagate(tmp_path, monkeypatch):
    assert load_page_class(f"{MISSING}:Page") is None
    assert load_page_class("ledger_app.ui.pages.roster:RosterPage") is RosterPage
    (tmp_path / "broken_page_for_test.py").write_text("import no_such_dependency_xyz\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        load_page_class("broken_page_for_test:Page")


def test_every_registered_page_builds(qtbot, ctx):
    """Integration: the real pages (written by other helpers) build inside the window."""
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    for key, _title in PAGES:
        page = w.show_page(key)
        assert w.stack.currentWidget() is page


def test_window_remembers_last_page_and_geometry(qtbot, ctx, placeholders):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show_page("settings")
    w.resize(1000, 540)
    w.save_state()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    again.restore_state()
    assert again.current_key() == "settings"
    # a new session days later opens on the board, as the clerk expects
    from ledger_app.ui.widgets import app_settings

    app_settings().setValue("window/closed_at", "2020-01-01T09:00:00")
    later = MainWindow(ctx)
    qtbot.addWidget(later)
    later.restore_state()
    assert later.current_key() == "board"
    # the offscreen screen is 800×600, so only the height survives restoring unclamped
    assert again.size().height() == 540


# --- first start ------------------------------------------------------------------------------


def test_setup_dialog_on_an_empty_database(qtbot, ledger, placeholders, monkeypatch):
    ctx = AppContext(ledger)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    asked = []
    monkeypatch.setattr(
        SetupDialog, "ask", classmethod(lambda cls, c, p=None: asked.append(1) or cls.LATER)
    )
    w.first_start()
    assert asked == [1]
    # a ledger with a name is not asked again
    ledger.repo.set_branch_info({"支部名称": "某党支部"})
    w.first_start()
    assert asked == [1]


def test_setup_dialog_saves_the_branch(qtbot, ledger):
    ctx = AppContext(ledger)
    d = SetupDialog(ctx)
    qtbot.addWidget(d)
    d.save_button.click()
    assert d.form.error.text() == "请填写支部名称"
    assert not ledger.repo.branch().name
    d.form.edits["支部名称"].setText("某某单位第一党支部")
    d.form.edits["上级党组织"].setText("某某机关党委")
    d.form.edits["成立日期"].setText("2018.7.1")
    d.form.edits["书记"].setText("周建国")
    d.save_button.click()
    assert d.choice == SetupDialog.SAVED
    info = ledger.repo.branch().info
    assert info["支部名称"] == "某某单位第一党支部"
    assert info["成立日期"] == "2018-07-01"
    assert info["书记"] == "周建国"


def test_setup_can_go_to_import(qtbot, ledger, placeholders, monkeypatch):
    ctx = AppContext(ledger)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    monkeypatch.setattr(SetupDialog, "ask", classmethod(lambda cls, c, p=None: cls.IMPORT))
    imported = []
    monkeypatch.setattr(
        ImportDialog, "ask", classmethod(lambda cls, c, p=None, path=None: imported.append(1))
    )
    w.first_start()
    assert imported == [1]


def test_the_sample_workbook_ships_inside_the_project():
    assert paths.sample_workbook().is_file()
    assert paths.sample_workbook().resolve() == Path(SAMPLE).resolve()
    root = Path(__file__).resolve().parents[1]
    assert paths.sample_workbook().resolve().is_relative_to(root)


def test_first_start_can_import_the_sample(qtbot, tmp_path, placeholders, monkeypatch):
    """首次使用 › 导入示例工作簿: the preview of the bundled sample, with its note, then the
    import — after a backup, so that restoring 导入前 undoes it."""
    from ledger_app.services import safety

    lg = Ledger.open(tmp_path / "ledger.db")
    try:
        ctx = AppContext(lg)
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        monkeypatch.setattr(SetupDialog, "ask", classmethod(lambda cls, c, p=None: cls.SAMPLE))
        seen = []

        def ask(cls, c, p=None, path=None):
            d = cls(c, p)
            qtbot.addWidget(d)
            assert d.load(path) is True
            seen.append(d.sample_note.isVisibleTo(d))
            d.import_button.click()
            return d.imported

        monkeypatch.setattr(ImportDialog, "ask", classmethod(ask))
        w.first_start()
        assert seen == [True]
        assert lg.repo.member_count() == 8
        backups = safety.list_backups(lg)
        assert [b.reason for b in backups] == ["before-import"]
    finally:
        lg.close()


def test_setup_dialog_offers_the_sample(qtbot, ledger):
    d = SetupDialog(AppContext(ledger))
    qtbot.addWidget(d)
    d.sample_button.click()
    assert d.choice == SetupDialog.SAMPLE


def test_settings_saves_a_copy_of_the_sample(qtbot, ctx, tmp_path, monkeypatch):
    from ledger_app.ui.pages.settings import SettingsPage

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    target = tmp_path / "模板.xlsx"
    monkeypatch.setattr(page, "ask_sample_target", lambda: str(target))
    page.sample_save.click()
    assert target.read_bytes() == paths.sample_workbook().read_bytes()
    imported = []
    monkeypatch.setattr(
        ImportDialog, "ask", classmethod(lambda cls, c, p=None, path=None: imported.append(path))
    )
    page.sample_import.click()
    assert imported == [paths.sample_workbook()]


# --- settings -----------------------------------------------------------------------------------


def test_settings_page_saves_everything(qtbot, ctx):
    from ledger_app.ui.pages.settings import SettingsPage

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    assert page.branch_form.edits["支部名称"].text() == "测试党支部"
    page.branch_form.edits["上级党组织"].setText("机关党委")
    page.branch_save.click()
    assert ctx.ledger.repo.branch().info["上级党组织"] == "机关党委"
    page.user_name.setText("李明")
    page.user_save.click()
    assert ctx.ledger.user == "李明"
    row = next(r for r in range(page.rules.rowCount()) if page.rules.item(r, 0).text() == "党课")
    page.rules.cellWidget(row, 2).setCurrentIndex(2)
    page.rules.cellWidget(row, 1).setCurrentIndex(0)  # 每月
    page.rules_save.click()
    rule = next(r for r in ctx.ledger.repo.rules() if r.item == "党课")
    assert (rule.period, rule.required) == ("month", 2)
    page.rounding.setCurrentIndex(page.rounding.findData("yuan_up"))
    page.volunteer_min.setCurrentIndex(2)
    page.other_save.click()
    assert ctx.ledger.repo.setting("dues_rounding") == "yuan_up"
    assert ctx.ledger.repo.setting("volunteer_min_per_month") == "2"


# --- export ---------------------------------------------------------------------------------------


def test_export_default_names():
    from ledger_app.ui.pages.export import default_file_name

    assert (
        default_file_name("示例党支部", 2025, None, "台账", ".xlsx") == "示例党支部2025年台账.xlsx"
    )
    assert (
        default_file_name("示例党支部", 2025, 1, "检查汇总", ".pdf")
        == "示例党支部2025年第一季度检查汇总.pdf"
    )
    assert default_file_name("", 2025, None, "台账", ".xlsx") == "支部2025年台账.xlsx"


def test_export_excel_says_where_the_file_went(qtbot, tmp_path, monkeypatch):
    from ledger_app.ui.pages.export import ExportPage

    path = tmp_path / "ledger.db"
    lg = Ledger.open(path, today=dt.date(2026, 1, 15))
    lg.repo.set_branch_info({"支部名称": "测试党支部"})
    add_member(lg, "周建国")
    ctx = AppContext(lg)
    page = ExportPage(ctx)
    qtbot.addWidget(page)
    page.set_year(2025)
    offered = []

    def ask(title, default_name, file_filter):
        offered.append(default_name)
        return tmp_path / "out"

    monkeypatch.setattr(page, "ask_save_path", ask)
    page.export_xlsx()
    lg.close()
    assert offered == ["测试党支部2025年台账.xlsx"]
    out = tmp_path / "out.xlsx"
    assert out.exists()
    assert page.last_path == out
    assert str(out) in page.result_label.text()
    assert not page.result_box.isHidden()


def test_export_error_is_shown_not_raised(qtbot, ctx, tmp_path, monkeypatch):
    from ledger_app.ui.pages import export as export_module

    page = export_module.ExportPage(ctx)
    qtbot.addWidget(page)
    shown = []
    monkeypatch.setattr(
        export_module, "show_error", lambda parent, e, title="": shown.append(str(e))
    )
    monkeypatch.setattr(page, "ask_save_path", lambda *a: tmp_path / "no such folder" / "x.xlsx")
    page.export_xlsx()
    assert shown and page.result_box.isHidden()
    for box in page.section_boxes.values():
        box.setChecked(False)
    shown.clear()
    page.export_pdf()
    assert shown == ["请至少选择 PDF 的一个部分。"]


# --- import -------------------------------------------------------------------------------------


def test_import_previews_then_applies(qtbot, ledger):
    ctx = AppContext(ledger)
    changes = []
    ctx.changed.connect(changes.append)
    d = ImportDialog(ctx)
    qtbot.addWidget(d)
    assert d.load(SAMPLE) is True
    assert ledger.repo.member_count() == 0  # nothing written by the preview
    assert "党员名册：新增" in d.summary.text()
    assert d.import_button.isEnabled()
    d.import_button.click()
    assert d.imported and ledger.repo.member_count() > 0
    assert changes and changes[-1].members


def test_import_lists_every_error_and_writes_nothing(qtbot, ledger, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws.append(["姓名", "党员类别", "入党日期", "人员类别", "公民身份号码"])
    ws.append(["张三", "正式党员", "2001-07-01", "在职", "110105198503121230"])
    ws.append(["李四", "党员", "不是日期", "在职", None])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    ctx = AppContext(ledger)
    d = ImportDialog(ctx)
    qtbot.addWidget(d)
    assert d.load(path) is False
    errors = d.error_lines()
    assert len(errors) >= 3
    assert all(e.startswith("党员名册!") for e in errors)
    assert not d.import_button.isEnabled()
    assert ledger.repo.member_count() == 0


def test_import_of_a_file_that_is_not_a_workbook(qtbot, ledger, tmp_path):
    path = tmp_path / "note.xlsx"
    path.write_text("not a workbook", "utf-8")
    d = ImportDialog(AppContext(ledger))
    qtbot.addWidget(d)
    assert d.load(path) is False
    assert d.summary.text()
    assert not d.import_button.isEnabled()


# --- long work ------------------------------------------------------------------------------------


def test_task_runs_off_the_gui_thread_with_its_own_connection(qtbot, tmp_path):
    lg = Ledger.open(tmp_path / "t.db")
    add_member(lg, "周建国")
    seen = {}

    def work(ledger, progress):
        seen["thread"] = threading.current_thread() is threading.main_thread()
        progress(1, 2, "一半")
        return ledger.repo.member_count()

    result = tasks.run_task(None, "测试", work, lg)
    lg.close()
    assert result.ok and result.value == 1
    assert seen["thread"] is False


def test_task_cancel_and_errors(qtbot, tmp_path):
    lg = Ledger.open(tmp_path / "t.db")

    def cancelled(ledger, progress):
        progress.cancel()  # as the 取消 button does
        progress(1, 10)
        return "not reached"

    result = tasks.run_task(None, "测试", cancelled, lg)
    assert result.cancelled and not result.ok

    def failing(ledger, progress):
        raise UserError("文件夹不存在")

    result = tasks.run_task(None, "测试", failing, lg)
    lg.close()
    assert isinstance(result.error, UserError)


def test_progress_reports_in_every_form():
    read = tasks._read_progress
    assert read((3, 10), {}) == (3, 10, "")
    assert read((3, 10, "第3张"), {}) == (3, 10, "第3张")
    assert read((0.5,), {}) == (500, 1000, "")
    assert read(("正在读取",), {}) == (0, 0, "正在读取")


# --- crash handler and start-up ---------------------------------------------------------------------


def test_unexpected_error_is_logged_and_reported_with_the_log_path(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.informativeText()) or 0)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        main_module.excepthook(*sys.exc_info())
    log = main_module.log_file()
    assert log.parent == paths.log_dir()
    assert "RuntimeError: boom" in log.read_text("utf-8")
    assert shown and str(log) in shown[0]
    assert "Traceback" not in shown[0]


def test_user_error_reaching_the_hook_is_shown_plainly(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(main_module, "show_error", lambda parent, e, title="": shown.append(str(e)))
    try:
        raise UserError("请先选择党员")
    except UserError:
        main_module.excepthook(*sys.exc_info())
    assert shown == ["请先选择党员"]
    assert not main_module.log_file().exists()


def test_damaged_database_gives_a_message_not_a_traceback(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    shown = []
    monkeypatch.setattr(
        main_module, "show_error", lambda parent, e, title="": shown.append((title, str(e)))
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    assert main_module.run_gui(bad) == 1
    assert shown and shown[0][0] == "无法打开数据库" and "bad.db" in shown[0][1]


def test_demo_database_is_created_separately(tmp_path):
    user_db = paths.default_db_path()
    lg = main_module.open_ledger(paths.demo_db_path(), demo=True)
    try:
        assert lg.path == paths.demo_db_path()
        assert lg.repo.member_count() > 20
    finally:
        lg.close()
    assert not user_db.exists()
    # opened again, it is reused, not rebuilt
    lg = main_module.open_ledger(paths.demo_db_path(), demo=True)
    lg.close()


def test_bundled_font_becomes_the_application_font(qapp):
    family = main_module.load_font(qapp)
    assert family
    assert qapp.font().families()[0] == family


def test_settings_holds_the_backups_and_the_recycle_bin(qtbot, ctx):
    from ledger_app.ui.backups import BackupsWidget, TrashWidget
    from ledger_app.ui.pages.settings import SettingsPage

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    assert page.findChild(BackupsWidget) is not None
    assert page.findChild(TrashWidget) is not None


def test_long_task_shows_progress_and_cancel_stops_it(qtbot, tmp_path):
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    lg = Ledger.open(tmp_path / "t.db")
    reached = []

    def slow(ledger, progress):
        for i in range(200):
            progress(i, 200, f"第 {i} 步")
            reached.append(i)
            time.sleep(0.01)
        return "done"

    seen = {}

    def press_cancel():
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        seen["visible"] = any(d.isVisible() for d in dialogs)
        for d in dialogs:
            button = d.findChild(QPushButton)
            seen["button"] = button.text()
            button.click()

    QTimer.singleShot(800, press_cancel)
    result = tasks.run_task(None, "正在导出……", slow, lg)
    lg.close()
    assert seen["visible"] is True  # shown after half a second
    assert seen["button"] == "取消"
    assert result.cancelled
    assert len(reached) < 200
    # a second task may start once the first is over
    assert (
        tasks.run_task(None, "x", lambda ledger, progress: 1, Ledger.open(tmp_path / "t.db")).value
        == 1
    )


def test_a_second_copy_on_the_same_database_is_refused(tmp_path, monkeypatch):
    from ledger_app.storage.lock import acquire_lock

    path = tmp_path / "ledger.db"
    first = acquire_lock(path)  # the copy that is already running
    shown = []
    monkeypatch.setattr(
        main_module, "show_error", lambda parent, e, title="": shown.append((title, str(e)))
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    try:
        assert main_module.run_gui(path) == 1
    finally:
        first.release()
    assert shown and shown[0][0] == "无法打开数据库" and "正在" in shown[0][1]


def test_qt_standard_buttons_speak_chinese(qtbot):
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    assert main_module.load_qt_translation(QApplication.instance())
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消"])


def test_the_file_dialog_speaks_chinese_too(qtbot):
    """Qt's catalogue lacks a few of its own file dialog's words ("Look in:", "Files of
    type:"): the program supplies them, so Linux's Qt file dialog is Chinese throughout."""
    from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

    assert main_module.load_qt_translation(QApplication.instance())
    dialog = QFileDialog(None, "导入工作簿", str(Path.home()), "Excel 工作簿 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "lookInLabel").text() == "查找范围(&L)："
    assert dialog.findChild(QLabel, "fileTypeLabel").text() == "文件类型(&T)："
    assert dialog.findChild(QLabel, "fileNameLabel").text() == "文件名称(&N)："  # Qt's own
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QAbstractFileIconProvider", "Folder") == "文件夹"
    assert QCoreApplication.translate("QFileDialog", "Detail View") == "详情视图"  # not masked


def test_each_ledger_keeps_its_own_window_state(qtbot, tmp_path, placeholders):
    """The demo and the clerk's ledger share window.ini but not their state: the clerk's
    ledger does not open on the page (or with the column widths) left in the demo."""
    from ledger_app.ui import widgets

    def window_on(path):
        ledger = Ledger.open(path, today=dt.date(2026, 1, 15))
        w = MainWindow(AppContext(ledger))
        qtbot.addWidget(w)
        return w, ledger

    demo, demo_ledger = window_on(tmp_path / "demo.db")
    demo.show_page("settings")
    demo.save_state()
    roster = demo.show_page("roster")
    with pytest.MonkeyPatch.context() as m:
        m.setattr(widgets, "_mouse_held", lambda: True)  # the clerk drags a column edge
        roster.table.setColumnWidth(0, 171)
        key = f"columns/roster-{roster.table.model().columnCount()}"
        qtbot.waitUntil(
            lambda: widgets.view_settings(demo_ledger.path).value(key) is not None, timeout=2000
        )
    mine, _ = window_on(tmp_path / "我的台账.db")
    mine.restore_state()
    assert mine.current_key() == "board"
    assert mine.show_page("roster").table.columnWidth(0) != 171
    again, _ = window_on(tmp_path / "demo.db")
    again.restore_state()
    assert again.current_key() == "settings"
    assert again.show_page("roster").table.columnWidth(0) == 171


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_second_start_brings_the_open_window_to_the_front(qtbot, tmp_path, placeholders):
    """Started again on the same ledger (a double click on the desktop icon while the window
    is minimised), the program brings its window back instead of refusing; the command line
    still refuses, and another ledger opens as usual."""
    import subprocess

    from ledger_app.storage.lock import acquire_lock
    from ledger_app.ui.front_door import FrontDoor

    path = tmp_path / "ledger.db"
    ledger = Ledger.open(path, today=dt.date(2026, 1, 15))
    lock = acquire_lock(path)  # this test is the program already running on it
    try:
        window = MainWindow(AppContext(ledger))
        qtbot.addWidget(window)
        window.show()
        door = FrontDoor(window, path)
        assert door.listening
        window.showMinimized()
        root = Path(__file__).resolve().parents[1]

        def start(*args):
            return subprocess.Popen(
                [sys.executable, str(root / "main.py"), "--db", str(path), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            )

        def finish(process):  # the event loop runs meanwhile: this window can answer
            qtbot.waitUntil(lambda: process.poll() is not None, timeout=20000)
            _out, err = process.communicate()
            return process.returncode, err.decode("utf-8")

        code, err = finish(start())
        assert code == 0, err
        assert not window.isMinimized() and window.isVisible()

        code, err = finish(start("import", SAMPLE))
        assert code == 1
        assert "正在被另一个支部台账程序使用" in err
    finally:
        lock.release()
        ledger.close()


def test_page_modules_are_loaded_while_idle(qtbot, ctx, tmp_path, monkeypatch, placeholders):
    """After start-up the window loads the modules of the pages not opened yet, one per idle
    moment, so that a first visit pays only for building the page (code, never data)."""
    (tmp_path / "idle_page_for_test.py").write_text(
        "from PySide6.QtWidgets import QWidget\nclass Page(QWidget):\n"
        "    def __init__(self, ctx, parent=None):\n        super().__init__(parent)\n",
        "utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(main_module.PAGE_CLASSES, "volunteer", "idle_page_for_test:Page")
    monkeypatch.delitem(sys.modules, "idle_page_for_test", raising=False)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.preload_pages()
    qtbot.waitUntil(lambda: "idle_page_for_test" in sys.modules, timeout=3000)
    assert "volunteer" not in w.pages  # loaded, not built: its data is read when it is shown
