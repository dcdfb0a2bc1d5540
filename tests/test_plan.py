"""年度工作计划: items matched against the ledger (held, late, missing, this month, later),
the board's reminders, the 年度工作总结 draft from the period model, the CLI, the 年度计划
sheet and the PDF."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from conftest import add_member
from test_assessment import run_cli
from test_pdf import YEAR, build_branch, pages

from ledger_app.domain import plan as D
from ledger_app.domain.models import Record, VolunteerEntry
from ledger_app.domain.plan import PlanItem, match_plan
from ledger_app.errors import UserError, WorkbookError
from ledger_app.services import plan as PL
from ledger_app.services.exports import export_xlsx as export_workbook
from ledger_app.services.importer import analyze_workbook, import_workbook
from ledger_app.services.ledger import Ledger
from ledger_app.services.period import load

TODAY = dt.date(2025, 7, 10)


def rec(kind, day, **kw) -> Record:
    return Record(None, kind, day, **kw)


def item(month, kind, topic="", lecturer="") -> PlanItem:
    return PlanItem(None, 2025, month, kind, topic, lecturer)


def statuses(items, records=(), volunteer=()):
    return [
        (s.status, s.done.date if s.done else None)
        for s in match_plan(items, records, volunteer, TODAY)
    ]


def test_held_missing_this_month_and_later():
    items = [item(3, "党课"), item(5, "党课"), item(7, "党课"), item(9, "党课")]
    got = statuses(items, [rec("党课", dt.date(2025, 3, 20))])
    assert got == [
        (D.HELD, dt.date(2025, 3, 20)),
        (D.MISSING, None),  # May has ended
        (D.DUE, None),  # July is under way
        (D.LATER, None),
    ]


def test_the_lecturer_and_topic_choose_between_two_records():
    records = [
        rec("党课", dt.date(2025, 5, 8), lecturer="李四", topic="学党史"),
        rec("党课", dt.date(2025, 5, 20), lecturer="张三", topic="学党章"),
    ]
    plain, zhang = item(5, "党课"), item(5, "党课", lecturer="张三")
    got = match_plan([plain, zhang], records, [], TODAY)
    assert got[1].done.date == dt.date(2025, 5, 20)  # 张三's, though listed second
    assert got[0].done.date == dt.date(2025, 5, 8)


def test_one_activity_answers_one_item_and_a_later_one_counts_as_late():
    items = [item(4, "党课", "学党章"), item(4, "党课"), item(5, "党课", "红色家风")]
    records = [
        rec("党课", dt.date(2025, 4, 10), topic="学党章"),
        rec("党课", dt.date(2025, 6, 3), topic="红色家风专题"),  # May's, held in June
    ]
    got = match_plan(items, records, [], TODAY)
    assert [s.status for s in got] == [D.HELD, D.MISSING, D.LATE]
    assert got[2].label == "推迟开展（6月）"


def test_theme_day_held_with_a_meeting_and_volunteer_days():
    items = [item(2, "主题党日"), item(3, "志愿服务", "敬老"), item(3, "志愿服务")]
    records = [rec("支部党员大会", dt.date(2025, 2, 18), also_theme_day=True)]
    volunteer = [
        VolunteerEntry(None, 1, dt.date(2025, 3, 5), 2, project="社区敬老服务"),
        VolunteerEntry(None, 2, dt.date(2025, 3, 5), 2, project="社区敬老服务"),
        VolunteerEntry(None, 1, dt.date(2025, 3, 9), 2, project="垃圾分类"),
    ]
    got = match_plan(items, records, volunteer, TODAY)
    assert [s.status for s in got] == [D.HELD, D.HELD, D.HELD]
    assert got[1].done.text == "2025-03-05 志愿服务“社区敬老服务” 2 人次"
    assert got[2].done.date == dt.date(2025, 3, 9)


def test_plan_items_are_checked(ledger):
    with pytest.raises(UserError) as info:
        PL.add_item(ledger, PlanItem(None, 2025, 13, "联欢会"))
    assert info.value.details == ["月份应为 1–12", f"类型应为 {'、'.join(D.PLAN_KINDS)} 之一"]


# --- the board and the period model ------------------------------------------------------------


@pytest.fixture
def planned():
    lg = Ledger.open(None, today=TODAY)
    add_member(lg, "张三", post="书记")
    add_member(lg, "李四")
    for i in (
        item(5, "党课", "学习新党章", "张三"),
        item(7, "主题党日", "七一重温入党誓词"),
        item(8, "志愿服务"),
    ):
        PL.add_item(lg, i)
    yield lg
    lg.close()


def test_reminders_on_the_board(planned):
    reminders = [r for r in load(planned, 2025).reminders if r.source == "年度计划"]
    assert [(r.level, r.text) for r in reminders] == [
        ("missing", "5月计划党课（主讲 张三）“学习新党章”尚未开展"),
        ("warn", "本月计划主题党日“七一重温入党誓词”尚未开展"),
    ]
    assert reminders[0].source == "年度计划"
    assert reminders[0].target == (
        "meetings",
        {"kind": "党课", "topic": "学习新党章", "lecturer": "张三"},
    )
    assert reminders[0].due == dt.date(2025, 5, 31)
    # a quarter's model only has its own months' items
    assert load(planned, 2025, 2).plan.planned == 1


def test_holding_the_meeting_clears_the_reminder(planned):
    from ledger_app.domain.models import Attendance

    zhang = planned.repo.members()[0]
    r = rec("党课", dt.date(2025, 5, 22), lecturer="张三", topic="学习新党章", host="张三")
    r.attendance = [Attendance(zhang.id, "出席")]
    with planned.repo.atomic():
        planned.repo.add_record(r)
    texts = [x.text for x in load(planned, 2025).reminders]
    assert not any("5月" in t for t in texts)
    assert PL.status(planned, 2025).statuses[0].label == "已开展（2025-05-22）"


def test_copy_last_years_plan_adds_nothing_twice(planned):
    changes, added = PL.copy_year(planned, 2025, 2026)
    assert added == 3 and changes.plan
    assert PL.copy_year(planned, 2025, 2026)[1] == 0
    with pytest.raises(UserError, match="2024年没有工作计划"):
        PL.copy_year(planned, 2024, 2026)


# --- 年度工作总结 --------------------------------------------------------------------------------


@pytest.fixture
def branch(ledger):
    build_branch(ledger, photos=False)
    PL.add_item(ledger, item(8, "党课", "专题党课", "张书记"))
    PL.add_item(ledger, item(6, "党课", "补记党课"))
    return ledger


def test_summary_draft_is_written_from_the_models_figures(branch):
    model = load(branch, YEAR)
    text = PL.draft(branch, YEAR)
    assert text.startswith("测试机关党支部2025年度党建工作总结\n")
    counts = {}
    for v in model.records:
        counts[v.record.kind] = counts.get(v.record.kind, 0) + 1
    assert f"支委会 {counts['支委会']} 次" in text and f"党课 {counts['党课']} 次" in text
    c = model.compliance
    assert f"按规定应开展的 {c.judged} 项中按期开展 {c.met} 项" in text
    assert f"支部有党员 {len(model.roster.on_roll)} 名" in text
    assert "年度工作计划安排 2 项，已开展 1 项；未开展：8月党课（主讲 张书记）“专题党课”" in text
    assert "应开展未开展共" in text and "2025年4月 支委会" in text
    assert "赵六" in text  # the member alerts
    assert "六、整改落实情况" in text and "……" in text


def test_summary_is_saved_edited_and_an_empty_text_goes_back_to_the_draft(branch):
    first = PL.summary(branch, YEAR)
    assert first.saved_at is None
    PL.save_summary(branch, YEAR, first.text + "\n　　补充的一段。")
    again = PL.summary(branch, YEAR)
    assert again.saved_at and again.text.endswith("补充的一段。")
    PL.save_summary(branch, YEAR, "  ")
    assert PL.summary(branch, YEAR).saved_at is None


def test_summary_prints_as_a_pdf(branch, tmp_path):
    text = PL.draft(branch, YEAR)
    path = PL.export_summary_pdf(branch, YEAR, text, tmp_path / "s.pdf")
    printed = "\n".join(pages(path))
    assert printed.count("测试机关党支部2025年度党建工作总结") == 1
    assert "一、基本情况" in printed and "三、党费收缴情况" in printed
    with pytest.raises(UserError, match="空的"):
        PL.export_summary_pdf(branch, YEAR, " ", tmp_path / "e.pdf")


def test_cli_plan_and_summary(tmp_path, capsys):
    db = tmp_path / "l.db"
    lg = Ledger.open(db, today=dt.date(2026, 1, 15))
    build_branch(lg, photos=False)
    PL.add_item(lg, item(8, "党课", "专题党课", "张书记"))
    lg.close()
    code, out, err = run_cli(capsys, "--db", str(db), "plan", "--year", "2025", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["items"] == [
        {"month": 8, "kind": "党课", "topic": "专题党课", "lecturer": "张书记",
         "status": "missing", "label": "未开展", "done": None}
    ]  # fmt: skip
    text = run_cli(capsys, "--db", str(db), "plan", "--year", "2025")[1]
    assert "计划 1 项，已开展 0 项，到期未开展 1 项。" in text
    out_txt = tmp_path / "总结.txt"
    code, out, _ = run_cli(capsys, "--db", str(db), "summary", "--year", "2025", "-o", str(out_txt))
    assert code == 0 and out_txt.read_text("utf-8").startswith("测试机关党支部2025年度党建工作总结")
    out_pdf = tmp_path / "总结.pdf"
    assert run_cli(capsys, "--db", str(db), "summary", "--year", "2025", "-o", str(out_pdf))[0] == 0
    assert "一、基本情况" in "\n".join(pages(out_pdf))
    printed = run_cli(capsys, "--db", str(db), "summary", "--year", "2025", "--draft")[1]
    assert "二、组织生活开展情况" in printed


# --- the workbook and the PDF ---------------------------------------------------------------------


def test_plan_sheet_round_trips_and_adds_nothing_twice(branch, tmp_path):
    path = export_workbook(branch, YEAR, None, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["年度计划"]
    assert [c.value for c in ws[2]] == [
        "年度",
        "月份",
        "类型",
        "主题",
        "主讲人",
        "备注",
        "完成情况",
    ]
    assert ws["G3"].value == "已开展：2025-06-26 党课"
    assert ws["G4"].value == "未开展"  # August's: no 党课 in August, none later on its topic
    copy = Ledger.open(None, today=branch.today())
    try:
        import_workbook(copy, path)
        assert [(i.month, i.kind, i.topic, i.lecturer) for i in PL.items(copy, YEAR)] == [
            (i.month, i.kind, i.topic, i.lecturer) for i in PL.items(branch, YEAR)
        ]
    finally:
        copy.close()
    assert not import_workbook(branch, path).has_changes


def test_plan_sheet_errors_name_their_cells(ledger, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "年度计划"
    ws.append(["年度", "月份", "类型", "主题"])
    ws.append([2025, 13, "党课", "x"])
    ws.append([2025, 3, "联欢会", "y"])
    ws.append(["明年", 3, "党课", "z"])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    assert analyze_workbook(ledger, path).errors == [
        "年度计划!B2: 月份应为 1–12: “13”",
        f"年度计划!C3: 类型应为 {'、'.join(D.PLAN_KINDS)} 之一: “联欢会”",
        '年度计划!A4: 年度应为四位数字: "明年"',
    ]
    with pytest.raises(WorkbookError):
        import_workbook(ledger, path)
    assert PL.items(ledger, 2025) == []


def test_pdf_prints_the_plan(branch, tmp_path):
    from ledger_app.services.exports import export_pdf

    path = export_pdf(branch, YEAR, None, tmp_path / "p.pdf", sections=["plan"])
    text = "\n".join(pages(path))
    assert "年度工作计划" in text and "专题党课" in text and "未开展" in text
    assert "计划开展 2 项，已开展 1 项" in text
