"""The PDF prints the period model's figures under the glossary's words (issue 14): the
same word means the same number as in the GUI, ``dues``/``check`` and the workbook.

docs/台账格式.md §3 术语: 在册 (on one day) apart from 期内党员 (during the period);
应缴合计 (the year) apart from 本期应缴 and 截至X月应缴; 人均时长 to one decimal.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import add_member

from ledger_app.domain.models import Attendance, DuesSetting, Payment, Record, VolunteerEntry
from ledger_app.services import period
from ledger_app.services.exports import export_pdf
from ledger_app.services.ledger import Ledger

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils 未安装")
ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025


def flat_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def test_the_dues_summary_names_the_year_s_due_and_the_due_so_far(tmp_path):
    """On 2025-06-15 a member paying 40 元 a month who paid January–March: the GUI, `dues`
    and the 党费 sheet say 应缴合计 480.00; the PDF said "应缴 200.00" (the due so far)."""
    lg = Ledger.open(None, today=dt.date(YEAR, 6, 15))
    m = add_member(lg, "钱七")
    with lg.repo.atomic():
        lg.repo.set_branch_info({"支部名称": "测试党支部"})
        lg.repo.set_dues_setting(DuesSetting(m.id, YEAR, base_fen=400000))
        for month in (1, 2, 3):
            lg.repo.add_payment(Payment(None, m.id, YEAR, month, 4000, dt.date(YEAR, month, 20)))
    due_year = period.load(lg, YEAR).dues_year.totals.due_fen
    path = export_pdf(lg, YEAR, None, tmp_path / "d.pdf", sections=["overview", "dues"])
    lg.close()
    assert due_year == 48000
    text = flat_text(path)
    assert "应缴合计¥480.00，其中截至5月应缴¥200.00；实缴¥120.00，欠缴¥80.00" in text
    assert "待缴（当月正在收缴）¥40.00，未到期¥240.00" in text
    assert "应缴党费" not in text  # the bare word of old, meaning something else
    assert "钱七40.00" in text and "480.00120.00" in text  # the grid: 应缴合计, 实缴合计


def test_member_counts_say_on_which_day_or_over_which_period(tmp_path, ledger):
    """One member transferred out in September: 在册 2 on 12-31, 期内党员 3."""
    for name in ("甲", "乙"):
        add_member(ledger, name)
    add_member(ledger, "丙", status="转出", status_date=dt.date(YEAR, 9, 15))
    path = export_pdf(ledger, YEAR, None, tmp_path / "c.pdf", sections=["overview", "dues"])
    text = flat_text(path)
    assert "截至2025年12月31日，支部在册党员2名" in text
    assert "减少（转出、去世等）1名" in text
    assert re.search(r"期内党员（[^）]*）3名", text)
    assert "期内在职党员3名" in text  # the volunteer expectation counts the period
    assert "党小组期内党员" in text  # the dues table heads its count too


def test_the_committee_is_listed_secretary_first(tmp_path, ledger):
    add_member(ledger, "组织委员甲", post="组织委员")
    add_member(ledger, "宣传委员乙", post="宣传委员")
    add_member(ledger, "书记丙", post="书记")
    path = export_pdf(ledger, YEAR, None, tmp_path / "w.pdf", sections=["overview"])
    assert "支部委员会：书记书记丙；组织委员组织委员甲；宣传委员宣传委员乙。" in flat_text(path)


def test_the_volunteer_average_has_one_decimal(tmp_path, ledger):
    """81 h by 12 members: 6.75 → 6.8 (the PDF printed 6.5, floored to the half hour)."""
    members = [add_member(ledger, f"党员{i:02d}") for i in range(12)]
    with ledger.repo.atomic():
        for i, m in enumerate(members):
            hours = 4 if i == 0 else 7
            ledger.repo.add_volunteer(
                VolunteerEntry(None, m.id, dt.date(YEAR, 3, 5), hours * 2, "社区服务")
            )
    model = period.load(ledger, YEAR)
    assert str(model.volunteer.average_hours) == "6.8"
    path = export_pdf(ledger, YEAR, None, tmp_path / "v.pdf", sections=["volunteer"])
    assert "累计81小时，人均6.8小时" in flat_text(path)


def test_an_alert_whose_run_has_ended_says_so(tmp_path, ledger):
    """Absent August to November, present in December: the fourth quarter lists the run
    (counted back across the quarter's start) and says it has ended."""
    a, b = add_member(ledger, "常来"), add_member(ledger, "缺席者")
    with ledger.repo.atomic():
        for month in range(1, 13):
            r = Record(None, "主题党日", dt.date(YEAR, month, 15), topic=f"{month}月主题党日")
            gone = 8 <= month <= 11
            r.attendance = [Attendance(a.id, "出席"), Attendance(b.id, "缺席" if gone else "出席")]
            ledger.repo.add_record(r)
    path = export_pdf(ledger, YEAR, 4, tmp_path / "q4.pdf", sections=["problems"])
    text = flat_text(path)
    assert re.search(r"缺席者未参加组织生活4个月2025年8月至2025年11月2025年12月已恢复参加", text)


def test_nothing_in_reports_reads_the_ledger():
    """reports/ renders the period model: it imports neither services nor storage."""
    found = []
    for path in sorted((ROOT / "ledger_app" / "reports").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level and node.module:
                top = node.module.split(".")[0]
                if node.level == 2 and top in ("services", "storage"):
                    found.append(f"{path.name}: from ..{node.module}")
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith(("ledger_app.services", "ledger_app.storage")):
                    found.append(f"{path.name}: from {node.module}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith(("ledger_app.services", "ledger_app.storage")):
                        found.append(f"{path.name}: import {alias.name}")
    assert found == []
