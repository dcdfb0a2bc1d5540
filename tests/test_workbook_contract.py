"""workbook.contract: the contract's sheet and column names, spelled once — checked against
docs/台账格式.md (the in-repo format document), and used by both the importer and the writer."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ledger_app.domain.models import ATTENDANCE_STATUSES
from ledger_app.services import importer
from ledger_app.workbook import contract, writer

FORMAT = Path(__file__).resolve().parents[1] / "docs" / "台账格式.md"


def _sections() -> dict[str, str]:
    """The text under each ``### sheet`` heading of the format document's §1."""
    text = FORMAT.read_text(encoding="utf-8").split("## 2.")[0]
    parts = re.split(r"^### ([^\s（(]+).*$", text, flags=re.M)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2])}


def _documented(body: str) -> tuple[list[str], list[str], list[str]]:
    """(columns, required, computed) as a section's table writes them:
    ``| 列名 | 必填 | 取值 |``, 必填 "是" for a required column, † after a computed one."""
    columns, required, computed = [], [], []
    rows = [line for line in body.splitlines() if line.startswith("| ")][1:]
    assert rows, "every sheet of the format document has a table of its columns"
    for line in rows:
        cell, req = (c.strip() for c in line.strip("|").split("|")[:2])
        if cell == "1月 … 12月":
            columns += [f"{m}月" for m in range(1, 13)]
            continue
        for name in (n.strip() for n in cell.split(",")):
            if name.endswith("†"):
                computed.append(name.rstrip(" †"))
            else:
                columns.append(name)
                if req == "是":
                    required.append(name)
    return columns, required, computed


def test_contract_is_the_documents_sheets_and_columns():
    from ledger_app.workbook import followup

    sections = _sections()
    # the contract's sheets, then those issue 18 added （新增）
    assert tuple(sections) == contract.SHEETS + followup.SHEETS
    columns_of = {**contract.COLUMNS, **followup.COLUMNS}
    required_of = {**contract.REQUIRED, **followup.REQUIRED}
    computed_of = {**contract.COMPUTED, followup.RECTIFICATION: (followup.OVERDUE_COLUMN,)}
    for sheet, body in sections.items():
        columns, required, computed = _documented(body)
        assert columns_of[sheet] == tuple(columns), sheet
        assert required_of[sheet] == tuple(required), sheet
        assert computed_of.get(sheet, ()) == tuple(computed), sheet


def test_attendance_columns_and_months():
    assert contract.ATTENDANCE == ("出席人员", "请假人员", "缺席人员")
    assert tuple(s for _, s in contract.ATTENDANCE_COLUMNS) == ATTENDANCE_STATUSES
    assert contract.MONTH_COLUMNS == tuple(f"{m}月" for m in range(1, 13))


def test_contract_module_does_not_load_openpyxl():
    code = "import sys, ledger_app.workbook.contract; print('openpyxl' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_importer_reads_the_contracts_names():
    assert importer.SHEETS is contract.SHEETS
    assert importer.ATTENDANCE_COLUMNS is contract.ATTENDANCE_COLUMNS
    assert importer.DUES_COLUMNS is contract.DUES_COLUMNS


def test_every_column_the_importer_names_is_a_contract_column():
    """The analyser reads cells by literal names (``row.text("议题")``): each must be one
    of the contract's columns, or it would silently read nothing."""
    known = {c for cols in contract.COLUMNS.values() for c in cols}
    tree = ast.parse(Path(importer.__file__).read_text(encoding="utf-8"))
    named = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        args = node.args
        if node.func.attr in ("text", "raw", "ref", "has") and args:
            arg = args[0]
        elif node.func.attr in ("_cell", "_date") and len(args) > 1:
            arg = args[1]
        else:
            continue
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            named.add(arg.value)
    assert len(named) > 20
    assert named <= known, named - known


def test_writer_sheets_are_seq_then_contract_columns_then_computed():
    sheets = {
        contract.ROSTER: writer.ROSTER_COLUMNS,
        contract.MEETINGS: writer.MEETING_COLUMNS,
        contract.THEME: writer.THEME_COLUMNS,
        contract.OTHER: writer.OTHER_COLUMNS,
        contract.DUES: writer.DUES_COLUMNS,
        contract.VOLUNTEER: writer.VOLUNTEER_COLUMNS,
    }
    assert writer.CONTRACT_SHEETS == contract.SHEETS
    assert [c.header for c in writer.BRANCH_COLUMNS] == list(contract.BRANCH_COLUMNS)
    for sheet, cols in sheets.items():
        assert cols[0].header == writer.SEQ, sheet
        plain = [c.header for c in cols[1:] if not c.computed]
        assert tuple(plain) == contract.COLUMNS[sheet], sheet
        done = [c.header for c in cols if c.computed]
        assert [c.computed for c in cols[1:]] == [False] * len(plain) + [True] * len(done)
        assert set(contract.COMPUTED.get(sheet, ())) <= set(done), sheet


def test_writer_refuses_looks_that_differ_from_the_contract():
    looks = dict.fromkeys(contract.VOLUNTEER_COLUMNS, writer.CENTER)
    assert len(writer._contract_columns(contract.VOLUNTEER, looks)) == 8
    fewer = {k: v for k, v in looks.items() if k != "证明人"}
    with pytest.raises(RuntimeError, match="no look for column 证明人"):
        writer._contract_columns(contract.VOLUNTEER, fewer)
    with pytest.raises(RuntimeError, match="x is not a column of the contract"):
        writer._contract_columns(contract.VOLUNTEER, {**looks, "x": writer.CENTER})
    meeting_looks = dict.fromkeys(contract.MEETING_COLUMNS, writer.CENTER)
    with pytest.raises(RuntimeError, match="computed column 应到人数 missing"):
        writer._contract_columns(contract.MEETINGS, meeting_looks)
    with pytest.raises(RuntimeError, match="computed 日期 is also an imported column"):
        writer._contract_columns(
            contract.MEETINGS,
            meeting_looks,
            dict.fromkeys((*contract.MEETING_COMPUTED, "日期"), writer.CENTER),
        )
