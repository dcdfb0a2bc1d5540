"""workbook/fastread.py gives exactly openpyxl's values (reader.read_workbook), faster."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import SAMPLE
from test_pdf import YEAR, build_branch

from ledger_app.errors import WorkbookError
from ledger_app.services.exports import export_xlsx as export_workbook
from ledger_app.workbook.assessment_sheets import SHEETS as MORE
from ledger_app.workbook.contract import SHEETS
from ledger_app.workbook.fastread import read_values
from ledger_app.workbook.reader import read_workbook

WANTED = SHEETS + MORE


def same(path) -> None:
    a, b = read_workbook(path, WANTED), read_values(path, WANTED)
    assert b.sheet_names == a.sheet_names
    assert b.rows == a.rows
    for name, rows in a.rows.items():  # the types too: 1, 1.0 and True compare equal
        for ra, rb in zip(rows, b.rows[name]):
            assert [type(x) for x in ra] == [type(y) for y in rb], name


def test_the_sample_and_an_export_read_the_same(ledger, tmp_path):
    same(SAMPLE)
    build_branch(ledger, photos=False)
    same(export_workbook(ledger, YEAR, None, tmp_path / "e.xlsx"))
    same(export_workbook(ledger, YEAR, 2, tmp_path / "q.xlsx", mask=True))


def test_every_kind_of_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "志愿服务"
    ws.append(["日期", "姓名", "时长(小时)", "备注"])
    ws.append([dt.date(2025, 3, 7), "张三", 1.5, True])
    ws.append([dt.datetime(2025, 3, 8, 9, 30), "李四", 2, "=1+1"])
    ws.append([])
    ws.append([None, None, None, None])
    ws.append(["2025/3/9", "  ", 45000, "#N/A"])
    ws.cell(row=8, column=6, value="远处的单元格")
    ws["C9"] = 3
    ws["C9"].number_format = "0.00"
    ws["A10"] = 45000
    ws["A10"].number_format = "yyyy-mm-dd"
    other = wb.create_sheet("不读的表")
    other.append(["x"])
    path = tmp_path / "k.xlsx"
    wb.save(path)
    same(path)


def test_what_it_is_unsure_of_goes_to_openpyxl(tmp_path):
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "志愿服务"
    ws.append(["日期"])
    ws.append([dt.date(2025, 3, 7)])
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    same(path)


def test_a_file_that_is_not_a_workbook_fails_as_the_import_does(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", "utf-8")
    with pytest.raises(WorkbookError) as a:
        read_workbook(bad, WANTED)
    with pytest.raises(WorkbookError) as b:
        read_values(bad, WANTED)
    assert a.value.message == b.value.message
