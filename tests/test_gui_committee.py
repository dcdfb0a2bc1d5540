"""The 上级党委汇总 window: choosing a folder, the ranked branches per period, the workbooks
not read with their errors, the changed ones flagged, the two exports; and its start from
``--committee``."""

from __future__ import annotations

import openpyxl
import pytest
from test_committee import TODAY, folder  # noqa: F401 (the module's folder of branches)
from test_pdf import pages

from ledger_app.services import committee as C
from ledger_app.ui import committee as window_module
from ledger_app.ui import exported
from ledger_app.ui.committee import CommitteeWindow


@pytest.fixture
def window(qtbot, folder, monkeypatch):  # noqa: F811
    real = C.open_folder
    monkeypatch.setattr(C, "open_folder", lambda *a, **k: real(*a, **{**k, "today": TODAY}))
    monkeypatch.setattr(exported, "ask_folder", lambda *_a: folder["root"])
    w = CommitteeWindow()
    w.jobs = 1
    qtbot.addWidget(w)
    w.show()
    return w


def cell(w, row, col) -> str:
    return w.proxy.index(row, col).data()


def test_choosing_a_folder_reads_and_ranks_the_branches(window):
    assert not window.xlsx_button.isEnabled()
    window.choose_folder()
    assert window.proxy.rowCount() == 3
    assert [cell(window, r, 1) for r in range(3)] == [
        "测试机关党支部",
        "测试机关党支部",
        "另一个党支部",
    ]
    codes = sorted(cell(window, r, 13) for r in range(3))
    assert codes == ["一致", "一致", "不符"]
    assert "共 5 份工作簿，汇总 3 个党支部，2 份未汇总，1 份校验码不符" in window.summary.text()
    assert window.failed.count() == 2
    window.failed.setCurrentRow(0)
    assert "三会一课!B4" in window.errors.toPlainText()
    assert window.xlsx_button.isEnabled() and window.pdf_button.isEnabled()


def test_a_quarter_and_sorting_by_a_column(window):
    window.choose_folder()
    window.period_box.setCurrentIndex(3)  # 第三季度: the branch without meetings there is last
    assert cell(window, 2, 1) == "另一个党支部"
    window.table.sortByColumn(
        5, window.table.horizontalHeader().sortIndicatorOrder().DescendingOrder
    )
    alerts = [int(cell(window, r, 5)) for r in range(3)]
    assert alerts == sorted(alerts, reverse=True)


def test_exports_the_summary_and_the_bulletin(window, monkeypatch, tmp_path):
    told = []
    monkeypatch.setattr(exported, "ask_save_path", lambda _p, _t, name, _f: tmp_path / name)
    monkeypatch.setattr(exported, "tell_exported", lambda _p, path, what="文件": told.append(path))
    window.choose_folder()
    window.period_box.setCurrentIndex(2)
    window.export_xlsx()
    window.export_pdf()
    xlsx, pdf = told
    assert (
        xlsx.name == "2025年各党支部台账汇总.xlsx" and pdf.name == "2025年第二季度台账检查通报.pdf"
    )
    assert "年排序" in openpyxl.load_workbook(xlsx, read_only=True).sheetnames
    assert "关于2025年第二季度各党支部党建工作台账检查情况的通报" in "\n".join(pages(pdf))


def test_opening_from_the_branch_window(qtbot, ledger):
    from ledger_app.ui.context import AppContext
    from ledger_app.ui.main import MainWindow

    w = MainWindow(AppContext(ledger))
    qtbot.addWidget(w)
    w.open_committee()
    (opened,) = window_module._open
    qtbot.addWidget(opened)
    assert opened.isVisible() and opened.summary.text().startswith("选择存放")


def test_committee_flag_starts_the_window_alone(monkeypatch):
    from ledger_app import app

    seen = []
    monkeypatch.setattr(window_module, "run_committee", lambda where: seen.append(where) or 0)
    assert app.main(["--committee", "某文件夹"]) == 0
    assert app.main(["--committee"]) == 0
    assert seen == ["某文件夹", None]
