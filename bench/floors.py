"""The floors: what the libraries underneath the program need for the same work, bare.

Each floor runs in its own fresh interpreter (``python bench/floors.py NAME ARGS…``), started
by bench/run.py, so that interpreter start and imports count as they do for the program.
Nothing here imports ``ledger_app``: a floor is the library alone.

    window                          bare PySide6 main window with one QTableView, shown,
                                    quit as soon as the event loop is idle
    read-xlsx BOOK.xlsx             openpyxl read_only, every cell of every sheet
    write-xlsx CELLS.pickle OUT     openpyxl write_only, the same cells (sheets × rows × cols)
    pdf TABLES.pickle OUT           reportlab, the same tables as plain Table flowables
    sql-check DB YEAR               sqlite3 fetching every row ``check`` needs for YEAR
    sql-dues DB YEAR                sqlite3 fetching every row ``dues`` needs for YEAR
    table DB WHAT ROWS COLS         QTableView over a minimal QAbstractTableModel filled from
                                    one SELECT of ROWS×COLS (WHAT: member | record), shown,
                                    painted and grabbed; prints the in-process milliseconds
"""

# ruff: noqa: TID251 — measuring the GUI needs Qt here (the ban guards the package)

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
PDF_CHUNK_ROWS = 40  # rows per Table: about one A4 page of 9-pt rows


def window() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv)
    win = QMainWindow()
    view = QTableView()
    view.setModel(QStandardItemModel(0, 8, view))
    win.setCentralWidget(view)
    win.resize(1180, 700)
    win.show()

    def idle() -> None:  # as bench/probes.py start: time since spawn, when run.py spawned us
        spawned = os.environ.get("BENCH_SPAWNED_AT")
        if spawned:
            print(json.dumps({"ms": (time.monotonic() - float(spawned)) * 1000}), flush=True)
        app.quit()

    QTimer.singleShot(int(os.environ.get("LEDGER_QUIT_AFTER_MS", "0")), idle)
    return app.exec()


def read_xlsx(book: str) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(book, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for _value in row:
                cells += 1
    wb.close()
    print(cells)
    return 0


def write_xlsx(cells_pickle: str, out: str) -> int:
    from openpyxl import Workbook

    with open(cells_pickle, "rb") as f:
        sheets: dict[str, list[list]] = pickle.load(f)
    wb = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(out)
    return 0


def pdf(tables_pickle: str, out: str) -> int:
    """The same tables (and free paragraphs, and page breaks) in the same font, without
    any styling, in page-sized chunks so that reportlab never has to split a table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    with open(tables_pickle, "rb") as f:
        items: list = pickle.load(f)
    pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    style = ParagraphStyle("bare", fontName="WQY", fontSize=9, leading=12)
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm
    )
    width = doc.width
    story = []
    for kind, payload in items:
        if kind == "p":
            story.append(Paragraph(payload, style))
            continue
        if kind == "b":
            story.append(PageBreak())
            continue
        rows = [
            [Paragraph(c[1], style) if isinstance(c, tuple) else c for c in row] for row in payload
        ]
        ncols = max((len(r) for r in rows), default=0)
        if not ncols:
            continue
        rows = [r + [""] * (ncols - len(r)) for r in rows]
        for i in range(0, len(rows), PDF_CHUNK_ROWS):
            story.append(
                Table(
                    rows[i : i + PDF_CHUNK_ROWS],
                    colWidths=[width / ncols] * ncols,
                    style=[("FONT", (0, 0), (-1, -1), "WQY", 9)],
                )
            )
    doc.build(story)
    return 0


def _fetch(db: str, queries: list[tuple[str, tuple]]) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n = 0
    for sql, params in queries:
        n += len(con.execute(sql, params).fetchall())
    con.close()
    print(n)
    return 0


def sql_check(db: str, year: str) -> int:
    start, end = f"{year}-01-01", f"{year}-12-31"
    return _fetch(
        db,
        [
            ("SELECT * FROM member", ()),
            ("SELECT * FROM member_status_history", ()),
            ("SELECT * FROM party_group", ()),
            ("SELECT * FROM frequency_rule", ()),
            ("SELECT * FROM branch_info", ()),
            ("SELECT * FROM record WHERE date BETWEEN ? AND ?", (start, end)),
            (
                "SELECT a.* FROM attendance a JOIN record r ON r.id = a.record_id "
                "WHERE r.date BETWEEN ? AND ?",
                (start, end),
            ),
            ("SELECT * FROM payment WHERE year = ?", (int(year),)),
            ("SELECT * FROM dues_setting WHERE year = ?", (int(year),)),
        ],
    )


def sql_dues(db: str, year: str) -> int:
    return _fetch(
        db,
        [
            ("SELECT * FROM member", ()),
            ("SELECT * FROM member_status_history", ()),
            ("SELECT * FROM party_group", ()),
            ("SELECT * FROM payment WHERE year = ?", (int(year),)),
            ("SELECT * FROM dues_setting WHERE year = ?", (int(year),)),
        ],
    )


def table(db: str, what: str, rows: str, cols: str) -> int:
    """A QTableView over a minimal model of ROWS×COLS from one SELECT, with the program's
    font and style sheet (the environment every page paints in, not page work)."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication, QTableView

    n_rows, n_cols = int(rows), int(cols)
    app = QApplication(sys.argv)
    style = os.environ.get("BENCH_STYLE_SHEET_FILE")
    if style:
        app.setStyleSheet(Path(style).read_text(encoding="utf-8"))
    fid = QFontDatabase.addApplicationFont(str(FONT))
    if fid >= 0:
        font = QFont(app.font())
        font.setFamilies(QFontDatabase.applicationFontFamilies(fid))
        app.setFont(font)

    class Model(QAbstractTableModel):
        def __init__(self, data: list[tuple]):
            super().__init__()
            self.rows = data

        def rowCount(self, parent=QModelIndex()):  # noqa: N802
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: N802
            return 0 if parent.isValid() else n_cols

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                v = self.rows[index.row()][index.column()]
                return "" if v is None else str(v)
            return None

        def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
            if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
                return f"列{section + 1}"
            return None

    started = time.perf_counter()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    names = [r[1] for r in con.execute(f"PRAGMA table_info({what})")]
    picked = [names[(i + 1) % len(names)] for i in range(n_cols)]
    order = "date, id" if what == "record" else "id"
    data = con.execute(
        f"SELECT {', '.join(picked)} FROM {what} ORDER BY {order} LIMIT ?", (n_rows,)
    ).fetchall()
    con.close()
    view = QTableView()
    view.setModel(Model(data))
    view.resize(1048, 640)
    view.show()
    app.processEvents()
    view.grab()
    ms = (time.perf_counter() - started) * 1000
    print(json.dumps({"ms": ms, "rows": len(data), "cols": n_cols}))
    return 0


def pragma(db: str, name: str) -> int:
    """SQLite's own check of the file (``quick_check`` or ``integrity_check``), in ms."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    started = time.perf_counter()
    result = con.execute(f"PRAGMA {name}").fetchall()
    done = time.perf_counter()
    con.close()
    if result != [("ok",)]:
        raise SystemExit(f"{db}: {result[:3]}")
    print(json.dumps({"ms": (done - started) * 1000}))
    return 0


FLOORS = {
    "pragma": pragma,
    "window": window,
    "read-xlsx": read_xlsx,
    "write-xlsx": write_xlsx,
    "pdf": pdf,
    "sql-check": sql_check,
    "sql-dues": sql_dues,
    "table": table,
}

if __name__ == "__main__":
    sys.exit(FLOORS[sys.argv[1]](*sys.argv[2:]))
