"""One period, one truth (issue 14): every figure that appears in more than one output — the
PDF, the Excel workbook, ``check --json``, ``dues --json`` and the readable ``check`` — is
the same number, read back from the files as an inspector would read them (pdftotext, openpyxl).

The branches: a mixed one (joins, transfers in and out, 免交 and 少交, an unset base, partial
payments, absences across a quarter's start, a run that ended, 谈心谈话 not covering everyone,
an incomplete record) and the demo.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from branches import build_mixed_branch

from ledger_app.cli import build_parser, run_command
from ledger_app.services import demo, period
from ledger_app.services.exports import export_pdf, export_xlsx
from ledger_app.services.ledger import Ledger

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

AFTER = dt.date(2026, 1, 15)


def _cli(db: Path, *argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run_command(build_parser().parse_args(["--db", str(db), *argv])) == 0
    return out.getvalue()


def _money(text: str) -> int:
    """``¥6,963.80`` / ``6,963.80`` → 分."""
    return int(Decimal(text.replace("¥", "").replace(",", "")) * 100)


class Outputs:
    """The files of one period and what each says."""

    def __init__(self, db: Path, year: int, quarter: int | None, today: dt.date, tmp: Path):
        lg = Ledger.open(db, today=today)
        try:
            self.model = period.load(lg, year, quarter)
            xlsx = export_xlsx(lg, year, quarter, tmp / "台账.xlsx")
            pdf = export_pdf(lg, year, quarter, tmp / "汇总.pdf")
        finally:
            lg.close()
        args = ["--year", str(year)] + (["--quarter", str(quarter)] if quarter else [])
        self.check = json.loads(_cli(db, "check", *args, "--json"))
        self.check_text = _cli(db, "check", *args)
        self.dues = json.loads(_cli(db, "dues", "--year", str(year), "--json"))
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        self.pdf = re.sub(r"[ \t]+", " ", text)
        self.pdf_flat = re.sub(r"\s+", "", text)  # lines broken anywhere: read as one
        self.wb = openpyxl.load_workbook(xlsx)

    # --- the workbook -------------------------------------------------------------------------

    def summary(self) -> list[tuple]:
        return [r for r in self.wb["汇总"].iter_rows(values_only=True) if any(r)]

    def summary_row(self, first: str, after: str | None = None) -> tuple:
        rows = self.summary()
        if after is not None:
            rows = rows[next(i for i, r in enumerate(rows) if r[0] == after) :]
        return next(r for r in rows if r[0] == first)

    def dues_sheet(self) -> dict[str, dict]:
        ws = self.wb["党费"]
        rows = list(ws.iter_rows(values_only=True))
        at = next(i for i, r in enumerate(rows) if r and "应缴合计" in r)
        header = rows[at]
        out = {}
        for r in rows[at + 1 :]:
            row = dict(zip(header, r))
            if isinstance(row.get("序号"), int):  # a member's row (not 合计, not the legend)
                out[row["姓名"]] = row
        return out

    # --- the PDF --------------------------------------------------------------------------------

    def pdf_number(self, pattern: str) -> str:
        found = re.search(pattern, self.pdf_flat)
        assert found, pattern
        return found.group(1)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mixed")
    db = tmp / "ledger.db"
    lg = Ledger.open(db, today=AFTER)
    build_mixed_branch(lg)
    lg.close()
    return Outputs(db, 2025, None, AFTER, tmp)


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    db = demo.create_demo(tmp / "demo.db", today=AFTER)
    return Outputs(db, 2025, None, AFTER, tmp)


@pytest.fixture(params=["mixed", "demo_year"])
def out(request):
    return request.getfixturevalue(request.param)


def test_member_counts(out):
    m = out.model
    on_roll, in_period = len(m.roster.on_roll), len(m.roster.in_period)
    assert out.summary_row("在册党员")[1] == on_roll
    assert out.summary_row("期内党员")[1] == in_period
    assert f"在册党员{on_roll}名" in out.pdf_flat
    assert f"期内党员{in_period}名" in out.pdf_flat
    # dues --json has one entry per member who belonged in the year: the 期内党员
    assert len(out.dues["members"]) == in_period == len(out.dues_sheet())


def test_compliance_counts(out):
    judged, met = out.model.compliance.judged, out.model.compliance.met
    total = out.summary_row("合计", after="二、组织生活开展情况（应开展与已开展）")
    assert (total[2], total[5]) == (f"应判断 {judged} 项", f"达标 {met} 项")
    assert f"本期应判断{judged}项，达标{met}项" in out.pdf_flat


def test_problem_counts(out):
    chk = out.check
    alerts, incomplete = len(chk["member_alerts"]), len(chk["incomplete_records"])
    # 应开展未开展: the contract's gaps, and 谈心谈话 coverage and leading cadres' 党课 (a year)
    gaps = out.model.gap_count
    extra = (out.model.talk_gap is not None) + len(chk.get("cadre_lectures", []))
    assert gaps == len(chk["gaps"]) + extra
    assert f"应开展未开展{gaps}项（见问题清单）" in out.pdf_flat  # the overview
    assert f"（一）应开展未开展（{gaps}项）" in out.pdf_flat  # the 问题清单
    assert f"（二）党员预警（{alerts}项）" in out.pdf_flat
    assert f"（三）记录不完整（{incomplete}条）" in out.pdf_flat
    assert f"二、党员预警（{alerts} 项）" in out.check_text
    assert f"三、记录不完整（{incomplete} 条）" in out.check_text
    assert f"一、缺少的会议（{len(chk['gaps'])} 项）" in out.check_text or not chk["gaps"]


def test_dues_per_member(out):
    sheet = out.dues_sheet()
    for m in out.dues["members"]:
        row = sheet[m["name"]]
        assert round(row["应缴合计"] * 100) == m["due_fen"], m["name"]
        assert round((row["实缴合计"] or 0) * 100) == m["paid_fen"], m["name"]
        assert row["欠缴月数"] == len(m["unpaid_months"]), m["name"]


def test_dues_totals(out):
    t = out.dues["totals"]
    total = out.model.dues.total
    sheet_total = out.summary_row("合计", after="四、党费收缴情况")
    # a whole year: 本期应缴 is the year's due, the contract's due_fen
    assert round(sheet_total[2] * 100) == t["due_fen"] == total.due_year
    assert round(sheet_total[4] * 100) == t["paid_fen"] == total.paid
    assert round(sheet_total[5] * 100) == total.arrears
    assert round(sheet_total[6] * 1000) == total.rate_permille
    due = _money(out.pdf_number(r"应缴合计¥([\d,]+\.\d\d)"))
    paid = _money(out.pdf_number(r"；实缴¥([\d,]+\.\d\d)"))
    arrears = _money(out.pdf_number(r"欠缴¥([\d,]+\.\d\d)"))
    rate = out.pdf_number(r"收缴率([\d.]+)%")
    assert (due, paid, arrears) == (t["due_fen"], t["paid_fen"], total.arrears)
    assert Decimal(rate) * 10 == total.rate_permille


def test_volunteer(out):
    v = out.model.volunteer
    rows = out.summary()
    head = next(i for i, r in enumerate(rows) if r[0] == "服务次数")
    row = rows[head + 1]
    hours = Decimal(v.half_hours) / 2
    assert row[:4] == (v.count, v.people, float(hours) if hours % 1 else int(hours),
                       float(v.average_hours) if v.average_hours else None)  # fmt: skip
    shown = f"{hours.normalize():f}"
    assert f"本期志愿服务{v.count}人次，参加党员{v.people}名，累计{shown}小时" in out.pdf_flat
    if v.average_hours is not None:
        assert f"人均{v.average_hours}小时" in out.pdf_flat


def test_attendance_by_kind(out):
    rows = out.summary()
    start = next(i for i, r in enumerate(rows) if r[0] == "三、参加组织生活情况") + 2
    for r in rows[start:]:
        if r[0] == "合计":
            break
        if r[0] == "类型":
            continue  # the header again, where the table goes on to a new page
        kind, records, expected, present, leave, absent = r[:6]
        s = out.model.attendance.by_kind[kind]
        assert (records, expected, present, leave, absent) == (
            s.records, s.expected, s.present, s.leave, s.absent
        )  # fmt: skip
        # the PDF's 出席情况 table: the same row
        assert f"{kind}{records}{expected}{present}{leave}{absent}" in out.pdf_flat, kind


def test_a_quarter_agrees_too(tmp_path):
    """The third quarter of the mixed branch: the alert counted back into June is in the
    check, the PDF and the readable check alike."""
    db = tmp_path / "ledger.db"
    lg = Ledger.open(db, today=AFTER)
    build_mixed_branch(lg)
    lg.close()
    q3 = Outputs(db, 2025, 3, AFTER, tmp_path)
    alerts = q3.check["member_alerts"]
    luo = [a for a in alerts if a["name"] == "罗平"]
    assert {a["from"] for a in luo} == {"2025-06"}
    assert f"（二）党员预警（{len(alerts)}项）" in q3.pdf_flat
    assert "2025年6月至2025年9月" in q3.check_text
    assert "2025年6月至2025年9月" in q3.pdf_flat
