"""``check`` through the services and the command line: a ledger like the 2024 sample
workbook (records and dues only for January–June), text and JSON output, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from conftest import SAMPLE, add_member

from ledger_app import cli
from ledger_app.domain.models import Attendance, DuesSetting, Payment, Record
from ledger_app.services import compliance as S
from ledger_app.services.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent
D = dt.date

# 姓名, 党小组, 党内职务, monthly dues (分) — the sample workbook's roster
SAMPLE_ROSTER = [
    ("林海", "第一党小组", "书记", 10200),
    ("黄晓丽", "第一党小组", "组织委员", 4300),
    ("马骏", "第一党小组", "宣传委员", 1450),
    ("高淑珍", "第一党小组", None, 5200),
    ("罗强", "第二党小组", None, 23600),
    ("郭静", "第二党小组", None, 3600),
    ("梁宇", "第二党小组", None, 20),
    ("宋玉梅", "第二党小组", None, 1950),
]


def build_sample_like(ledger: Ledger) -> None:
    """What importing 示例党支部-2024.xlsx gives: every meeting of January–June, the Q1
    党员大会 also March's theme day, no theme day in March, dues paid January–June."""
    repo = ledger.repo
    repo.set_branch_info({"支部名称": "示例社区第一党支部"})
    ms = {}
    for name, group, post, _ in SAMPLE_ROSTER:
        ms[name] = add_member(ledger, name, group=group, post=post)
    g1, g2 = repo.group_id("第一党小组"), repo.group_id("第二党小组")
    everyone = list(ms)

    def add(kind, day, present, leave=(), **kw):
        r = Record(
            None,
            kind,
            day,
            topic="议题",
            host="林海",
            recorder="黄晓丽",
            content="内容",
            organizer="黄晓丽" if kind == "主题党日" else None,
            lecturer="林海" if kind == "党课" else None,
            **kw,
        )
        r.attendance = [Attendance(ms[n].id, "出席") for n in present]
        r.attendance += [Attendance(ms[n].id, "请假", "病假") for n in leave]
        repo.add_record(r, created_at=dt.datetime.combine(day, dt.time(20)))

    with repo.atomic():
        for m in range(1, 7):
            add("支委会", D(2024, m, 3), ["林海", "黄晓丽", "马骏"])
            add("党小组会", D(2024, m, 8), everyone[:4], group_id=g1)
            add("党小组会", D(2024, m, 8), everyone[4:], group_id=g2)
            if m != 3:
                add("主题党日", D(2024, m, 15), everyone[:6], leave=["梁宇"])
        add("支部党员大会", D(2024, 3, 15), everyone[:7], leave=["宋玉梅"], also_theme_day=True)
        add("党课", D(2024, 2, 20), everyone)
        for name, _, _, due in SAMPLE_ROSTER:
            repo.set_dues_setting(DuesSetting(ms[name].id, 2024, fixed_fen=due))
            for month in range(1, 7):
                repo.add_payment(Payment(None, ms[name].id, 2024, month, due))


def months(item, first, last, group=None):
    out = []
    for m in range(first, last + 1):
        g = {"item": item}
        if group:
            g["group"] = group
        g.update(period=f"2024-{m:02d}", required=1, held=0)
        out.append(g)
    return out


def quarters(item, first, last):
    return [
        {"item": item, "period": f"2024-Q{q}", "required": 1, "held": 0}
        for q in range(first, last + 1)
    ]


SAMPLE_2024 = {
    "year": 2024,
    "quarter": None,
    "gaps": quarters("支部党员大会", 2, 4)
    + months("支委会", 7, 12)
    + months("党小组会", 7, 12, "第一党小组")
    + months("党小组会", 7, 12, "第二党小组")
    + quarters("党课", 2, 4)
    + months("主题党日", 7, 12)
    + [
        {"item": "组织生活会", "period": "2024", "required": 1, "held": 0},
        {"item": "民主评议党员", "period": "2024", "required": 1, "held": 0},
    ],
    "member_alerts": [
        {"name": name, "kind": "未交党费", "months": 6, "from": "2024-07", "to": "2024-12"}
        for name, *_ in SAMPLE_ROSTER
    ],
    "incomplete_records": [],
}


def test_run_check_on_a_ledger_like_the_sample_lists_july_to_december(ledger):
    build_sample_like(ledger)
    assert S.run_check(ledger, 2024).to_json() == SAMPLE_2024


def test_run_check_uses_the_branchs_founding_date_and_dues_exemptions(ledger):
    build_sample_like(ledger)
    repo = ledger.repo
    with repo.atomic():
        repo.set_branch_info({"成立日期": "2024年10月1日"})
        s = repo.dues_settings(2024)[1]
        s.reduction, s.reduction_fen = "免交", 0  # 林海 exempted for the year
        repo.set_dues_setting(s)
    j = S.run_check(ledger, 2024).to_json()
    q4, oct_dec = ["2024-Q4"], ["2024-10", "2024-11", "2024-12"]
    # 支部党员大会, 支委会, two groups, 党课, 主题党日 — and no yearly item: not a whole year
    assert [g["period"] for g in j["gaps"]] == q4 + oct_dec * 3 + q4 + oct_dec
    assert [a["name"] for a in j["member_alerts"]] == [n for n, *_ in SAMPLE_ROSTER[1:]]


def test_quarter_check_and_a_year_still_under_way(ledger):
    build_sample_like(ledger)
    q2 = S.run_check(ledger, 2024, 2).to_json()
    assert q2 == {
        "year": 2024,
        "quarter": 2,
        "gaps": quarters("支部党员大会", 2, 2) + quarters("党课", 2, 2),
        "member_alerts": [],
        "incomplete_records": [],
    }
    during = Ledger(ledger.db, today=D(2024, 8, 20))
    j = S.run_check(during, 2024).to_json()
    assert [(g["item"], g["period"]) for g in j["gaps"]] == [
        ("支部党员大会", "2024-Q2"),
        ("支委会", "2024-07"),
        ("党小组会", "2024-07"),
        ("党小组会", "2024-07"),
        ("党课", "2024-Q2"),
        ("主题党日", "2024-07"),
    ]
    assert j["member_alerts"] == []  # July alone is one unpaid month


def test_text_report_in_chinese(ledger):
    build_sample_like(ledger)
    text = cli.format_check_text(S.run_check(ledger, 2024), "示例社区第一党支部")
    assert text.startswith("示例社区第一党支部 2024年组织生活检查\n")
    assert "一、缺少的会议（32 项）" in text
    assert (
        "  支委会 缺 6 个月：2024年7月、2024年8月、2024年9月、2024年10月、2024年11月、2024年12月\n"
        in text
    )
    assert "  党小组会（第二党小组） 缺 6 个月：2024年7月" in text
    assert "  党课 缺 3 个季度：2024年第二季度、2024年第三季度、2024年第四季度\n" in text
    assert "  组织生活会：2024年未开展\n" in text
    assert "二、党员预警（8 项）" in text
    assert (
        "  林海：连续 6 个月未交党费（2024年7月至2024年12月），已满六个月（党章第九条）\n" in text
    )
    assert "三、记录不完整（0 条）\n  无\n" in text
    assert "未发现问题" not in text


def test_text_report_of_a_clean_period_and_of_an_open_one(ledger):
    build_sample_like(ledger)
    clean = S.run_check(Ledger(ledger.db, today=D(2024, 4, 1)), 2024, 1)
    text = cli.format_check_text(clean, "示例社区第一党支部")
    assert text == "示例社区第一党支部 2024年第一季度组织生活检查\n" + "=" * 20 + "\n未发现问题。\n"
    open_year = S.run_check(Ledger(ledger.db, today=D(2024, 2, 10)), 2024)
    text = cli.format_check_text(open_year, "")
    assert "注：2024年尚未结束" in text and "未发现问题。" in text


def test_incomplete_records_and_member_alerts_in_the_text(ledger):
    build_sample_like(ledger)
    repo = ledger.repo
    with repo.atomic():
        r = Record(None, "支委会", D(2024, 5, 12), topic="补充议题", host="林海")
        repo.add_record(r)
    text = cli.format_check_text(S.run_check(ledger, 2024, 2), "支部")
    assert "三、记录不完整（1 条）\n  2024-05-12  支委会：缺少 记录人、主要内容、出席人员\n" in text
    assert "二、党员预警（0 项）\n  无\n" in text


def test_cmd_check_prints_json_with_chinese_as_is(ledger, capsys):
    build_sample_like(ledger)
    assert cli.cmd_check(ledger, SimpleNamespace(year=2024, quarter=None, json=True)) == 0
    out = capsys.readouterr().out
    assert "支委会" in out and "\\u" not in out
    assert json.loads(out) == SAMPLE_2024


def test_board_data_of_the_sample_year(ledger):
    build_sample_like(ledger)
    b = S.board_data(ledger, 2024)
    theme = b.row("主题党日")
    assert [c.status for c in theme.cells] == ["held"] * 6 + ["missing"] * 6
    march = theme.cell_for_month(3)
    assert [ledger.repo.record(i).kind for i in march.record_ids] == ["支部党员大会"]
    assert b.needs == []  # 2024 is over


# --- the command line ----------------------------------------------------------------------


def main_py(*args, db=None):
    cmd = [sys.executable, str(ROOT / "main.py")]
    if db:
        cmd += ["--db", str(db)]
    return subprocess.run(
        cmd + list(args), capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60
    )


def test_cli_check_json_text_and_exit_codes(tmp_path):
    db = tmp_path / "台账.db"
    lg = Ledger.open(db)
    try:
        build_sample_like(lg)
    finally:
        lg.close()

    p = main_py("check", "--year", "2024", "--json", db=db)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == SAMPLE_2024

    p = main_py("check", "--year", "2024", "--quarter", "1", db=db)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[-1] == "未发现问题。"

    p = main_py("check", "--json", db=db)
    assert p.returncode == 2
    assert "--year" in p.stderr and p.stdout == ""

    p = main_py("check", "--year", "2024", "--quarter", "5", db=db)
    assert p.returncode == 2


def test_cli_import_of_the_sample_workbook_then_check(tmp_path):
    """End to end: the contract's sample workbook, imported and checked from the command line."""
    db = tmp_path / "sample.db"
    p = main_py("import", SAMPLE, db=db)
    assert p.returncode == 0, p.stderr
    p = main_py("check", "--year", "2024", "--json", db=db)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == SAMPLE_2024


def test_cli_check_on_a_new_database_creates_it(tmp_path):
    db = tmp_path / "new.db"
    p = main_py("check", "--year", "2025", "--quarter", "1", "--json", db=db)
    assert p.returncode == 0, p.stderr
    assert db.exists()
    j = json.loads(p.stdout)
    assert j["quarter"] == 1 and j["member_alerts"] == [] and j["incomplete_records"] == []
