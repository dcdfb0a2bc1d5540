"""The program's side of the measurements that need more than a command line, and the
set-up steps that derive each floor's input from the program's own output.

    python bench/probes.py gui-page DB KEY [YEAR]   open one page (a key of the window's
                                                    PAGE_CLASSES;
                                                    board-year: the open board, YEAR-1 picked)
                                                    on DB as the window does, print JSON
                                                    {"ms", "import_ms", "rows", "cols"}
    python bench/probes.py gui-form DB open|save [YEAR]
                                                    the record form of YEAR's largest meeting:
                                                    open (click to painted dialog), or save
                                                    (保存 to the list repainted; the slowest of
                                                    three saves in a row); print JSON
    python bench/probes.py start DB                 the window on DB, quit when idle (used
                                                    only when ui/main.py lacks
                                                    LEDGER_QUIT_AFTER_MS)
    python bench/probes.py without-numpy SCRIPT ARGS…  run a script with numpy unimportable
    python bench/probes.py xlsx-cells BOOK OUT      every sheet's cell values → pickle
    python bench/probes.py pdf-tables DB YEAR OUT   the tables of the PDF's story → pickle
    python bench/probes.py style-sheet OUT          the program's Qt style sheet → text file
"""

# ruff: noqa: TID251 — measuring the GUI needs Qt here (the ban guards the package)

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _profiler():
    """A running pyinstrument profiler when BENCH_PROFILE names an output file (a local
    tool for finding a miss's cause; not a dependency of the project)."""
    if not os.environ.get("BENCH_PROFILE"):
        return None
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    return profiler


def _save_profile(profiler) -> None:
    if profiler is not None:
        profiler.stop()
        Path(os.environ["BENCH_PROFILE"]).write_text(
            profiler.output_text(unicode=True, show_all=False), encoding="utf-8"
        )


def gui_page(db: str, key: str, year: str = "2025") -> int:
    """Time from the click to a filled model and a painted view: construction (which loads
    its rows), show, processEvents, grab. The QApplication with the program's font and style
    sheet exists already, and the page's module is loaded, as when a user clicks a page."""
    import importlib

    from ledger_app.services import compliance  # noqa: F401 — loaded at start (app.main)
    from ledger_app.services.ledger import Ledger

    from PySide6.QtWidgets import QApplication, QTableView  # isort: skip — after, as there
    from ledger_app.ui.context import AppContext
    from ledger_app.ui.main import setup_application

    app = QApplication(sys.argv)
    setup_application(app)  # as the program does before its window: font, style, gc
    # "today" at the end of the measured year, so every page shows that year by default
    ledger = Ledger.open(db, today=dt.date(int(year), 12, 31))
    ctx = AppContext(ledger)

    switch_year = key == "board-year"  # the board already open: the clerk picks the year before
    if switch_year:
        key = "board"
    # the page's module first, as the window loads the page modules while idle after start
    # (MainWindow.preload_pages): a first visit pays for building the page, not for its code
    from ledger_app.ui.main import PAGE_CLASSES

    loading = time.perf_counter()
    module_name, class_name = PAGE_CLASSES[key].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    import_ms = (time.perf_counter() - loading) * 1000
    profiler = None if switch_year else _profiler()
    started, cpu_started = time.perf_counter(), time.process_time()
    page = cls(ctx)
    page.resize(1048, 640)  # the page area of the 1180×700 window
    page.show()
    app.processEvents()
    page.grab()
    done = time.perf_counter()
    if switch_year:
        profiler = _profiler()
        started = time.perf_counter()
        cpu_started = time.process_time()
        import_ms = 0.0
        page.year.setCurrentIndex(page.year.findData(int(year) - 1))
        app.processEvents()
        page.grab()
        done = time.perf_counter()
    _save_profile(profiler)

    views = [v for v in page.findChildren(QTableView) if v.model() is not None]
    view = max(views, key=lambda v: v.model().rowCount(), default=None)
    print(
        json.dumps(
            {
                "ms": (done - started) * 1000,
                "cpu_ms": (time.process_time() - cpu_started) * 1000,
                "import_ms": import_ms,  # before the clock (see above)
                "rows": view.model().rowCount() if view else 0,
                "cols": view.model().columnCount() if view else 0,
            }
        )
    )
    sys.stdout.flush()
    # leave without tearing down Qt objects in interpreter-exit order: not part of the click
    os._exit(0)


def _gui_app(db: str, year: str):
    """The QApplication as the program sets it up, and a context on DB ("today" at the end of
    YEAR, so every page shows that year)."""
    from ledger_app.services import compliance  # noqa: F401 — loaded at start (app.main)
    from ledger_app.services.ledger import Ledger

    from PySide6.QtWidgets import QApplication  # isort: skip — after, as the program does
    from ledger_app.ui.context import AppContext
    from ledger_app.ui.main import setup_application

    app = QApplication(sys.argv)
    setup_application(app)
    ledger = Ledger.open(db, today=dt.date(int(year), 12, 31))
    return app, AppContext(ledger)


def gui_form(db: str, what: str, year: str = "2025") -> int:
    """The record form of the year's meeting with the longest attendance list (a 支部党员大会
    of the whole branch), opened from the 三会一课 list as the clerk does (Enter on the row).

    open: from Enter to the form painted (read the record and the roster, derive 应到, fill
    the grid). save: the form open with a changed topic, then from 保存 to the dialog gone and
    the list (visible behind it) reloaded and repainted — three saves of the same record in a
    row, reporting the slowest (a later save was once slower than the first)."""
    app, ctx = _gui_app(db, year)
    from ledger_app.ui.pages.records import MeetingsPage

    row = ctx.ledger.db.execute(
        "SELECT r.id, COUNT(a.member_id) n FROM record r JOIN attendance a ON a.record_id = r.id "
        "WHERE r.date BETWEEN ? AND ? GROUP BY r.id ORDER BY n DESC, r.id LIMIT 1",
        [f"{year}-01-01", f"{year}-12-31"],
    ).fetchone()
    record_id, attendance = row[0], row[1]
    # the full check of the file, which the session's first write waits for, runs in the
    # background once the window is up (services.safety.soundness_ready): by the time the
    # clerk saves a meeting it is done — measured on its own in the check-full row
    from ledger_app.services import safety

    safety.ensure_sound(ctx.ledger)
    page = MeetingsPage(ctx)
    page.resize(1048, 640)
    page.show()
    app.processEvents()
    page.select_id(record_id)
    times, cpu = [], []
    profiler = None
    for turn in range(3 if what == "save" else 1):
        if what == "open":
            profiler = _profiler()
        started, cpu_started = time.perf_counter(), time.process_time()
        form = page.edit_selected()
        app.processEvents()
        form.grab()
        if what == "open":
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            break
        form.topic.setText(f"第{turn + 1}次修改的议题")
        app.processEvents()
        if turn == 2:
            profiler = _profiler()
        started, cpu_started = time.perf_counter(), time.process_time()
        assert form.save(), "not saved"
        app.processEvents()
        page.grab()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    _save_profile(profiler)
    print(
        json.dumps(
            {
                "ms": max(times) * 1000,
                "all_ms": [round(t * 1000, 1) for t in times],
                "cpu_ms": [round(t * 1000, 1) for t in cpu],  # this process's CPU time
                "import_ms": 0.0,
                "rows": attendance,
                "cols": 4,
            }
        )
    )
    sys.stdout.flush()
    os._exit(0)


def _idle(app) -> None:
    """The event loop's first idle turn: report the time since bench/run.py spawned this
    process (when it did), then quit."""
    spawned = os.environ.get("BENCH_SPAWNED_AT")
    if spawned:
        print(json.dumps({"ms": (time.monotonic() - float(spawned)) * 1000}), flush=True)
    app.quit()


def start(db: str) -> int:
    """The window as ``python main.py --db DB`` opens it, quitting when the loop is idle.
    Before Qt, what ledger_app.app.main does before Qt (the same imports, the file check
    started), so this process loads in the same order as the program's."""
    from ledger_app.services import compliance, ledger  # noqa: F401
    from ledger_app.storage.backup import start_inspection

    start_inspection(db)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)  # run_gui reuses it
    QTimer.singleShot(int(os.environ.get("LEDGER_QUIT_AFTER_MS", "0")), lambda: _idle(app))
    from ledger_app.app import main

    return main(["--db", db])


def without_numpy(script: str, *args: str) -> int:
    """Run ``script args`` as ``python script args`` would, with numpy unimportable — as in
    the installed bundle, whose spec excludes numpy (sqlite-utils imports it when present)."""
    import runpy

    sys.modules["numpy"] = None  # type: ignore[assignment]
    sys.argv = [script, *args]
    sys.path[0] = str(Path(script).resolve().parent)
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def xlsx_cells(book: str, out: str) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(book, read_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    with open(out, "wb") as f:
        pickle.dump(sheets, f)
    print(json.dumps({k: [len(v), max((len(r) for r in v), default=0)] for k, v in sheets.items()}))
    return 0


def _plain(cell) -> object:
    """A table cell as the floor lays it out: text stays text, a paragraph stays a
    (plain) paragraph, anything else (drawings, images, nested flowables) its text."""
    from reportlab.platypus import Flowable, Paragraph

    if cell is None:
        return ""
    if isinstance(cell, str | int | float):
        return str(cell)
    if isinstance(cell, Paragraph):
        return ("p", _escape(cell.getPlainText()))
    if isinstance(cell, list | tuple):
        texts = [_plain(c) for c in cell]
        joined = " ".join(t[1] if isinstance(t, tuple) else t for t in texts if t)
        return ("p", joined) if joined else ""
    if isinstance(cell, Flowable):
        return ""
    return str(cell)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_tables(db: str, year: str, out: str) -> int:
    """Walk the PDF's story (as export-pdf builds it) and keep every Table's cells and every
    free Paragraph's text: the content the floor lays out bare."""
    from reportlab.platypus import PageBreak, Paragraph, Table

    from ledger_app.reports.fonts import register_font
    from ledger_app.reports.layout import TextRow, expand
    from ledger_app.reports.pdf import SECTIONS
    from ledger_app.reports.sections import build_story
    from ledger_app.services import period
    from ledger_app.services.ledger import Ledger

    register_font()
    ledger = Ledger.open(db)
    model = period.load(ledger, int(year), None, attachments=True)
    story = expand(build_story(model, list(SECTIONS), ledger.repo.attachment_data))
    items: list = []

    def walk(flowables) -> None:
        for f in flowables:
            if isinstance(f, TextRow):  # ruled label | names rows, one after another: a table
                row = [_plain(f.label), _plain(f.text)]
                if items and items[-1][0] == "rows":
                    items[-1][1].append(row)
                else:
                    items.append(("rows", [row]))
            elif isinstance(f, Table):
                items.append(("t", [[_plain(c) for c in row] for row in f._cellvalues]))
            elif isinstance(f, Paragraph):
                items.append(("p", _escape(f.getPlainText())))
            elif isinstance(f, PageBreak):  # a record on its own page is the format, kept
                items.append(("b", None))
            elif hasattr(f, "_parts"):  # KeepTail: the minutes' last lines and the signatures
                walk(f._parts())
            else:
                for attr in ("_content", "_flowables", "content"):
                    inner = getattr(f, attr, None)
                    if isinstance(inner, list | tuple):
                        walk(inner)
                        break

    walk(story)
    items = [("t", p) if k == "rows" else (k, p) for k, p in items]
    with open(out, "wb") as f:
        pickle.dump(items, f)
    tables = [len(p) for k, p in items if k == "t"]
    print(
        json.dumps(
            {"tables": len(tables), "rows": sum(tables), "paragraphs": len(items) - len(tables)}
        )
    )
    return 0


def style_sheet(out: str) -> int:
    from ledger_app.ui.widgets import STYLE_SHEET

    Path(out).write_text(STYLE_SHEET, encoding="utf-8")
    return 0


def check_file(db: str, level: str) -> int:
    """The program's checks of a ledger file (storage.backup.inspect_file), in ms: ``quick``
    — what opening waits for; ``full`` — what the first write of a session waits for
    (integrity_check, the audit chain, every audited row against its trail)."""
    from pathlib import Path

    from ledger_app.storage.backup import inspect_file

    started = time.perf_counter()
    problem = inspect_file(Path(db), full=level == "full")
    done = time.perf_counter()
    if problem is not None:
        raise SystemExit(f"{db}: {problem}")
    print(json.dumps({"ms": (done - started) * 1000}))
    return 0


PROBES = {
    "check-file": check_file,
    "gui-page": gui_page,
    "gui-form": gui_form,
    "start": start,
    "without-numpy": without_numpy,
    "xlsx-cells": xlsx_cells,
    "pdf-tables": pdf_tables,
    "style-sheet": style_sheet,
}

if __name__ == "__main__":
    sys.exit(PROBES[sys.argv[1]](*sys.argv[2:]))
