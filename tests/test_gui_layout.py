"""Wide tables at 1366×768 (issue 16, point 6), at 100 % and at 125 % (1093×614 logical):
the 党费 year fits with 基数 / 比例 / 月应缴 and the totals; 三会一课 gives its room to the
topic; the 工作台 shows every row, 谈心谈话 included, without scrolling."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger_app.services.demo import fill_demo
from ledger_app.services.ledger import Ledger
from ledger_app.ui.context import AppContext
from ledger_app.ui.main import MainWindow
from ledger_app.ui.pages.dues import COL_BASE, COL_DUE, COL_DUE_TOTAL, COL_RATE, COL_UNPAID
from ledger_app.ui.widgets import STYLE_SHEET

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TODAY = dt.date(2026, 12, 10)
# the window's client area on 1366×768 (taskbar and title bar taken off), in logical pixels
SCREENS = {"100%": (1366, 696), "125%": (1093, 545)}


@pytest.fixture(scope="module")
def demo_ledger():
    ledger = Ledger.open(None, today=TODAY)
    fill_demo(ledger, TODAY)
    yield ledger
    ledger.close()


@pytest.fixture(params=list(SCREENS))
def window(request, qtbot, demo_ledger):
    w = MainWindow(AppContext(demo_ledger), demo=True)
    w.setStyleSheet(STYLE_SHEET)  # the program's look: its fonts and paddings decide widths
    qtbot.addWidget(w)
    w.resize(*SCREENS[request.param])
    w.show()
    qtbot.waitExposed(w)
    return w


def settle(qtbot):
    qtbot.wait(20)  # layouts and the pages' own fitting run from the event loop


def visible_width(view, columns):
    return sum(view.columnWidth(c) for c in columns if not view.isColumnHidden(c))


def test_the_dues_year_fits_with_base_rate_and_totals(qtbot, window):
    page = window.show_page("dues")
    settle(qtbot)
    table = page.table
    assert table.horizontalScrollBar().maximum() == 0  # nothing off screen
    for col in (COL_BASE, COL_RATE, COL_DUE, COL_DUE_TOTAL, COL_UNPAID):
        assert not table.isColumnHidden(col)
        assert table.columnViewportPosition(col) >= 0  # not behind the names
    columns = range(table.model().columnCount())
    assert visible_width(table, columns) <= table.viewport().width()
    # each column holds its words: 比例's header is not cut to “列”
    header = table.horizontalHeader()
    assert table.columnWidth(COL_RATE) >= header.fontMetrics().horizontalAdvance("比例")


def test_meetings_give_the_topic_the_room(qtbot, window):
    page = window.show_page("meetings")
    settle(qtbot)
    view, model = page.view, page.model
    topic = model.columns.index("议题/主题")
    status = model.columns.index("状态")
    kind = model.columns.index("类型")
    assert view.horizontalScrollBar().maximum() == 0
    assert view.columnWidth(topic) > view.columnWidth(status)
    fm = view.fontMetrics()
    kinds = {model.index(r, kind).data() for r in range(model.rowCount())}
    assert view.columnWidth(kind) >= max(fm.horizontalAdvance(k) for k in kinds)
    statuses = {model.index(r, status).data() for r in range(model.rowCount())}
    assert view.columnWidth(status) >= max(fm.horizontalAdvance(t) for t in statuses)


def test_the_board_shows_every_row_without_scrolling(qtbot, window):
    page = window.show_page("board")
    settle(qtbot)
    grid = page.grid
    last = grid.model().rowCount() - 1
    assert grid.model().index(last, 0).data().startswith("谈心谈话")
    bottom = grid.rowViewportPosition(last) + grid.rowHeight(last)
    assert bottom <= grid.viewport().height()
    assert grid.horizontalScrollBar().maximum() == 0
    assert page.alerts.isVisible() and page.incomplete.isVisible()


def test_other_life_coverage_fits_without_measuring_every_cell(qtbot, window):
    page = window.show_page("other")
    settle(qtbot)
    view = page.coverage_view
    fm = view.fontMetrics()
    model = view.model()
    for col in range(model.columnCount()):
        name = model.headerData(col, view.horizontalHeader().orientation())
        assert view.columnWidth(col) >= fm.horizontalAdvance(name)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert view.columnWidth(0) >= max(fm.horizontalAdvance(n) for n in names)
