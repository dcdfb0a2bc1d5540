"""Importing the contract workbook: the sample, idempotence, every kind of bad cell (exact
``sheet!cell: message``, nothing written), bad files, the command line."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE, add_member

from ledger_app.domain import idcard
from ledger_app.errors import UserError, WorkbookError
from ledger_app.services.importer import analyze_workbook, apply_plan, import_workbook
from ledger_app.services.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent


def valid_id(first17: str) -> str:
    return first17 + idcard.check_digit(first17)


ID_ZHANG = valid_id("11010519800101001")  # 张三, born 1980-01-01
ID_ZHANGWEI_A = valid_id("11010519850505001")
ID_ZHANGWEI_B = valid_id("11010519900909002")


def write_workbook(path: Path, sheets: dict[str, tuple[str | None, list[str], list[dict]]]) -> Path:
    """Sheets as (title row or None, header, rows as {column: value}); a title row is merged
    across the header's width, as exported ledgers have it."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (title, header, rows) in sheets.items():
        ws = wb.create_sheet(name)
        if title:
            ws.append([title])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append(header)
        for row in rows:
            ws.append([row.get(h) for h in header])
    wb.save(path)
    return path


def base_sheets() -> dict:
    """A small valid year: 5 members (one left on 2025-03-01, one joins 2025-06-01)."""
    roster_header = [
        "序号",
        "姓名",
        "公民身份号码",
        "党员类别",
        "入党日期",
        "人员类别",
        "党小组",
        "党内职务",
        "状态",
        "状态变更日期",
    ]
    roster = [
        {"姓名": "张三", "公民身份号码": ID_ZHANG, "党员类别": "正式党员",
         "入党日期": dt.date(2000, 7, 1), "人员类别": "在职", "党小组": "第一党小组",
         "党内职务": "书记"},
        {"姓名": "李四", "党员类别": "正式党员", "入党日期": "2010-07-01", "人员类别": "在职",
         "党小组": "第一党小组", "党内职务": "组织委员"},
        {"姓名": "王五", "党员类别": "正式党员", "入党日期": "2005/7/1", "人员类别": "离退休",
         "党小组": "第二党小组"},
        {"姓名": "赵六", "党员类别": "正式党员", "入党日期": "2001年7月1日", "人员类别": "在职",
         "党小组": "第二党小组", "状态": "转出", "状态变更日期": dt.date(2025, 3, 1)},
        {"姓名": "钱七", "党员类别": "预备党员", "入党日期": dt.date(2025, 6, 1),
         "人员类别": "学生", "党小组": "第二党小组"},
    ]  # fmt: skip
    for i, r in enumerate(roster, start=1):
        r["序号"] = i
    meeting_header = [
        "日期", "会议类型", "党小组", "议题", "地点", "主持人", "记录人", "授课人",
        "出席人员", "请假人员", "缺席人员", "结合主题党日", "主要内容", "决议事项",
        "应到人数", "实到人数",
    ]  # fmt: skip
    meetings = [
        {"日期": dt.date(2025, 1, 5), "会议类型": "支委会", "议题": "研究1月工作",
         "主持人": "张三", "记录人": "李四", "出席人员": "张三、李四", "主要内容": "部署。",
         "应到人数": 99, "实到人数": 99},
        {"日期": dt.date(2025, 1, 10), "会议类型": "党小组会", "党小组": "第一党小组",
         "议题": "学习", "出席人员": "张三 李四"},
        {"日期": "2025-02-10", "会议类型": "支部党员大会", "议题": "一季度大会",
         "出席人员": "张三、李四，王五", "请假人员": "赵六（病假）", "结合主题党日": "是"},
        {"日期": dt.date(2025, 3, 20), "会议类型": "党课", "议题": "党章",
         "授课人": "外请专家", "出席人员": "张三,李四;王五"},
        # a checked field left empty (主持人, 记录人) is accepted
        {"日期": dt.date(2025, 7, 3), "会议类型": "支委会", "出席人员": "张三"},
    ]  # fmt: skip
    theme = [
        {"日期": dt.date(2025, 1, 15), "主题": "重温入党誓词", "组织人": "李四",
         "出席人员": "张三、李四、王五", "缺席人员": "赵六", "活动内容": "宣誓。"},
        {"日期": dt.date(2025, 7, 15), "主题": "七月主题党日",
         "出席人员": "张三、李四、王五", "请假人员": "钱七(事假)"},
    ]  # fmt: skip
    other = [
        {"日期": dt.date(2025, 12, 20), "类型": "组织生活会", "主题": "年度组织生活会",
         "出席人员": "张三、李四、王五、钱七"},
        # two talks on one day without 主题: told apart by the people they list
        {"日期": dt.date(2025, 11, 3), "类型": "谈心谈话", "出席人员": "张三、王五"},
        {"日期": dt.date(2025, 11, 3), "类型": "谈心谈话", "出席人员": "张三、钱七"},
    ]  # fmt: skip
    months = [f"{m}月" for m in range(1, 13)]
    dues_header = ["年度", "姓名", "月缴费基数(元)", "约定月缴(元)", *months, "备注",
                   "人员类别", "月应缴(元)", "实缴合计"]  # fmt: skip
    dues = [
        {"年度": 2025, "姓名": "张三", "月缴费基数(元)": 6800, "1月": 102, "2月": "102.00",
         "月应缴(元)": 102, "实缴合计": 204},
        {"年度": 2025, "姓名": "李四", "月缴费基数(元)": "4,300", "1月": 43},
        {"年度": "2025", "姓名": "王五", "月缴费基数(元)": 2900, "1月": 14.5, "备注": "离退休"},
        {"年度": 2025, "姓名": "赵六", "月缴费基数(元)": 3600, "1月": 36, "2月": 36},
        {"年度": 2025, "姓名": "钱七", "6月": 0.2, "7月": "0.2"},
    ]  # fmt: skip
    volunteer = [
        {"日期": dt.date(2025, 4, 10), "姓名": "张三", "服务项目": "垃圾分类", "时长(小时)": 1.5},
        {"日期": "2025-04-11", "姓名": "李四", "服务项目": "垃圾分类", "时长(小时)": "2"},
        # the same service twice on one day (morning and afternoon) is two entries
        {"日期": dt.date(2025, 4, 12), "姓名": "王五", "服务项目": "巡逻", "时长(小时)": 2},
        {"日期": dt.date(2025, 4, 12), "姓名": "王五", "服务项目": "巡逻", "时长(小时)": 2},
    ]  # fmt: skip
    return {
        "支部信息": (None, ["项目", "内容"], [
            {"项目": "支部名称", "内容": "测试党支部"},
            {"项目": "书记", "内容": "张三"},
            {"项目": "成立日期", "内容": dt.date(1999, 7, 1)},
        ]),
        "党员名册": ("测试党支部党员名册", roster_header, roster),
        "三会一课": ("测试党支部三会一课登记", meeting_header, meetings),
        "主题党日": (None, ["日期", "主题", "活动形式", "地点", "组织人", "出席人员",
                          "请假人员", "缺席人员", "活动内容"], theme),
        "其他组织生活": (None, ["日期", "类型", "主题", "地点", "主持人", "记录人", "出席人员",
                             "请假人员", "缺席人员", "主要内容"], other),
        "党费": ("测试党支部2025年党费收缴台账", dues_header, dues),
        "志愿服务": (None, ["日期", "姓名", "服务项目", "地点", "时长(小时)", "证明人", "备注"],
                     volunteer),
    }  # fmt: skip


def table_counts(ledger: Ledger) -> dict[str, int]:
    names = [
        r[0]
        for r in ledger.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    return {n: ledger.db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def added(plan) -> dict[str, int]:
    return {sheet: c["新增"] for sheet, c in plan.counts.items()}


# --- the sample ---------------------------------------------------------------------------


def test_sample_imports_with_the_right_counts(ledger):
    plan = import_workbook(ledger, SAMPLE)
    assert plan.errors == []
    assert added(plan) == {
        "支部信息": 5,
        "党员名册": 8,
        "三会一课": 20,
        "主题党日": 5,
        "党费": 8,
        "志愿服务": 6,
    }
    assert plan.counts["党员名册"]["新增党小组"] == 2
    assert plan.counts["党费"]["新增缴费"] == 48
    repo = ledger.repo
    assert repo.member_count() == 8
    assert [g.name for g in repo.groups()] == ["第一党小组", "第二党小组"]
    assert repo.branch().name == "示例社区第一党支部"
    records = repo.records()
    assert len([r for r in records if r.kind != "主题党日"]) == 20
    assert len([r for r in records if r.kind == "主题党日"]) == 5
    congress = next(r for r in records if r.kind == "支部党员大会")
    assert congress.also_theme_day
    assert [(a.name, a.status, a.reason) for a in congress.attendance if a.status == "请假"] == [
        ("宋玉梅", "请假", "病假")
    ]
    groups = {r.group_name for r in records if r.kind == "党小组会"}
    assert groups == {"第一党小组", "第二党小组"}
    paid = repo.paid_by_month(2024)
    members = {m.name: m.id for m in repo.members()}
    assert paid[members["马骏"]] == {m: 1450 for m in range(1, 7)}  # 14.5 元, not 1449
    assert paid[members["梁宇"]] == {m: 20 for m in range(1, 7)}
    settings = repo.dues_settings(2024)
    assert settings[members["罗强"]].base_fen == 1_180_000
    assert all(p.note == "导入" for p in repo.payments(2024))
    assert sorted(v.half_hours for v in repo.volunteer()) == [3, 3, 4, 4, 5, 5]


def test_second_import_of_the_sample_adds_nothing(ledger):
    import_workbook(ledger, SAMPLE)
    before = table_counts(ledger)
    plan = import_workbook(ledger, SAMPLE)
    assert not plan.has_changes
    assert set(added(plan).values()) == {0}
    assert plan.counts["党员名册"]["已有"] == 8
    assert plan.counts["三会一课"]["已有"] == 20
    assert plan.counts["党费"]["缴费已有"] == 48
    assert table_counts(ledger) == before


# --- a hand-built year: title rows, text dates, free column order ---------------------------


def test_workbook_with_titles_text_dates_and_computed_columns(ledger, tmp_path):
    path = write_workbook(tmp_path / "year.xlsx", base_sheets())
    plan = import_workbook(ledger, path)
    assert plan.errors == []
    assert added(plan) == {
        "支部信息": 3,
        "党员名册": 5,
        "三会一课": 5,
        "主题党日": 2,
        "其他组织生活": 3,
        "党费": 5,
        "志愿服务": 4,
    }
    repo = ledger.repo
    by_name = {m.name: m for m in repo.members()}
    assert by_name["李四"].join_date == dt.date(2010, 7, 1)
    assert by_name["王五"].join_date == dt.date(2005, 7, 1)
    assert by_name["赵六"].join_date == dt.date(2001, 7, 1)
    assert by_name["赵六"].status == "转出" and by_name["赵六"].status_date == dt.date(2025, 3, 1)
    # birth date and sex are read from the ID number
    assert by_name["张三"].birth_date == dt.date(1980, 1, 1)
    assert by_name["张三"].gender == "男"
    assert repo.branch().info["成立日期"] == "1999-07-01"
    records = repo.records()
    lesson = next(r for r in records if r.kind == "党课")
    assert lesson.lecturer == "外请专家"
    assert sorted(a.name for a in lesson.attendance) == ["张三", "李四", "王五"]
    talks = [r for r in records if r.kind == "谈心谈话"]
    assert sorted(sorted(a.name for a in t.attendance) for t in talks) == [
        ["张三", "王五"],
        ["张三", "钱七"],
    ]
    theme = next(r for r in records if r.date == dt.date(2025, 7, 15))
    assert [(a.name, a.reason) for a in theme.attendance if a.status == "请假"] == [
        ("钱七", "事假")
    ]
    # 约定/computed columns ignored; "4,300" and "102.00" read as amounts
    settings = repo.dues_settings(2025)
    assert settings[by_name["李四"].id].base_fen == 430_000
    assert settings[by_name["王五"].id].note == "离退休"
    assert repo.paid_by_month(2025)[by_name["张三"].id] == {1: 10200, 2: 10200}
    assert len(repo.volunteer()) == 4

    before = table_counts(ledger)
    again = import_workbook(ledger, path)
    assert not again.has_changes
    assert table_counts(ledger) == before


def test_column_order_is_free_and_unknown_columns_blank_and_total_rows_ignored(ledger, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws.append(["XX党支部党员名册"])
    ws.append([])
    ws.append(["备用", "人员类别", "入党日期", "姓名", "党员类别", "序号"])
    ws.append(["x", "在职", dt.date(2001, 1, 1), "孙八", "正式党员", 1])
    ws.append([None, None, None, None, None, 2])  # a numbered blank template row
    ws.append([])
    ws.append([None, "离退休", "2002-02-02", "周九", "正式党员", 3])
    ws.append(["合计", None, None, "2人"])
    ws.append(["制表人：某某", "", "", "", "日期：2025年"])  # footer below 合计
    ws2 = wb.create_sheet("汇总")
    ws2.append(["随便什么"])
    wb.create_sheet("Sheet1")
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    plan = import_workbook(ledger, path)
    assert added(plan) == {"党员名册": 2}
    assert plan.skipped == [
        "汇总（汇总表由程序计算生成，未导入）",
        "Sheet1（不是可导入的数据表，未导入）",
    ]
    assert sorted(m.name for m in ledger.repo.members()) == ["周九", "孙八"]


def test_members_referenced_may_be_in_the_database_or_new_in_the_workbook(ledger, tmp_path):
    add_member(ledger, "老党员", join_date=dt.date(1990, 1, 1))
    sheets = base_sheets()
    meetings = sheets["三会一课"][2]
    meetings[0]["出席人员"] = "张三、李四、老党员"
    path = write_workbook(tmp_path / "mixed.xlsx", sheets)
    import_workbook(ledger, path)
    rec = ledger.repo.records(kinds=["支委会"])[0]
    assert sorted(a.name for a in rec.attendance) == ["张三", "李四", "老党员"]


# --- roster updates ---------------------------------------------------------------------------


def test_existing_member_is_updated_not_duplicated_and_blanks_keep_values(ledger, tmp_path):
    existing = add_member(ledger, "李四", phone="13900000000", ethnicity="汉族")
    sheets = base_sheets()
    li = sheets["党员名册"][2][1]
    li["公民身份号码"] = valid_id("11010519750303003")
    li["状态"] = "在册"
    path = write_workbook(tmp_path / "update.xlsx", sheets)
    plan = import_workbook(ledger, path)
    assert plan.counts["党员名册"] == {"新增": 4, "更新": 1, "已有": 0, "新增党小组": 2}
    m = ledger.repo.member(existing.id)
    assert m.id_number == li["公民身份号码"]  # blank filled
    assert m.join_date == dt.date(2010, 7, 1)  # changed value changed
    assert m.group_name == "第一党小组"
    assert m.phone == "13900000000" and m.ethnicity == "汉族"  # blank in the sheet: kept
    assert ledger.repo.member_count() == 5

    # a later roster that records 李四's transfer out appends to the status history
    li["状态"] = "转出"
    li["状态变更日期"] = dt.date(2025, 12, 31)
    path2 = write_workbook(tmp_path / "update2.xlsx", sheets)
    plan2 = import_workbook(ledger, path2)
    assert plan2.counts["党员名册"]["更新"] == 1 and plan2.counts["党员名册"]["已有"] == 4
    assert [h.status for h in ledger.repo.status_history(existing.id)][-1] == "转出"


# --- payments: differences only ------------------------------------------------------------------


def test_a_corrected_amount_adds_a_correction_entry(ledger, tmp_path):
    sheets = base_sheets()
    path = write_workbook(tmp_path / "a.xlsx", sheets)
    import_workbook(ledger, path)
    zhang = next(m for m in ledger.repo.members() if m.name == "张三")
    dues = sheets["党费"][2]
    dues[0]["2月"] = 100  # was 102
    dues[0]["3月"] = 102  # new month
    path2 = write_workbook(tmp_path / "b.xlsx", sheets)
    plan = import_workbook(ledger, path2)
    c = plan.counts["党费"]
    assert (c["新增缴费"], c["其中更正"]) == (2, 1)
    entries = [(p.month, p.amount_fen) for p in ledger.repo.payments(2025, zhang.id)]
    assert entries == [(1, 10200), (2, 10200), (2, -200), (3, 10200)]
    assert ledger.repo.paid_by_month(2025)[zhang.id] == {1: 10200, 2: 10000, 3: 10200}


# --- every kind of bad cell -------------------------------------------------------------------

# (sheet, data row index, column, value, the exact error). Title rows: 党员名册, 三会一课
# and 党费 have one (data starts on row 3); the others start on row 2.
BAD_CELLS = [
    ("三会一课", 0, "日期", "2025-13-45", "三会一课!A3: 不存在的日期：“2025-13-45”"),
    ("三会一课", 0, "日期", "下周三", "三会一课!A3: 无法识别的日期：“下周三”（应如 2025-03-07）"),
    ("三会一课", 0, "日期", None, "三会一课!A3: 日期不能为空"),
    (
        "党员名册", 0, "公民身份号码", ID_ZHANG[:17] + ("0" if ID_ZHANG[17] != "0" else "1"),
        f"党员名册!C3: 公民身份号码校验位错误（末位应为{ID_ZHANG[17]}）: "
        f"\"{ID_ZHANG[:17] + ('0' if ID_ZHANG[17] != '0' else '1')}\"",
    ),
    (
        "党员名册", 0, "公民身份号码", 110105198001010010,
        "党员名册!C3: 公民身份号码被存成了数字，末几位可能已丢失（Excel 只保留15位有效数字）。"
        "请把该列设为“文本”格式后重新录入号码",
    ),
    ("党员名册", 1, "入党日期", None, "党员名册!E4: 入党日期不能为空"),
    ("党员名册", 1, "党员类别", "党员", "党员名册!D4: 党员类别：应为 正式党员 或 预备党员"),
    ("党员名册", 3, "状态变更日期", None, "党员名册!J6: 状态变更日期：状态为“转出”时必须填写"),
    (
        "三会一课", 1, "出席人员", "张三、李斯",
        "三会一课!I4: 出席人员中的“李斯”不是本支部党员（党员名册中没有此人）",
    ),
    (
        "三会一课", 3, "出席人员", "张三、赵六",
        "三会一课!I6: 出席人员中的“赵六”已于2025-03-01转出，2025-03-20时不是本支部党员",
    ),
    (
        "主题党日", 0, "出席人员", "张三、钱七",
        "主题党日!F2: 出席人员中的“钱七”2025-06-01才入党或转入本支部，2025-01-15时还不是本支部党员",
    ),
    (
        "三会一课", 2, "缺席人员", "李四",
        "三会一课!K5: “李四”同时出现在出席人员和缺席人员中",
    ),
    ("三会一课", 1, "党小组", None, "三会一课!C4: 党小组会须填写党小组"),
    (
        "三会一课", 1, "党小组", "第三党小组",
        "三会一课!C4: 党小组“第三党小组”不存在（党员名册和台账中都没有这个党小组）",
    ),
    (
        "三会一课", 0, "会议类型", "党员大会",
        '三会一课!B3: 会议类型应为 支部党员大会、支委会、党小组会 或 党课: "党员大会"',
    ),
    ("三会一课", 2, "结合主题党日", "可能", '三会一课!L5: 结合主题党日应填“是”或留空: "可能"'),
    ("三会一课", 0, "日期", dt.date(2026, 2, 1), "三会一课!A3: 日期2026-02-01晚于今天"),
    ("主题党日", 0, "主题", None, "主题党日!B2: 主题不能为空"),
    (
        "其他组织生活", 0, "类型", "支委会",
        '其他组织生活!B2: 类型应为 组织生活会、民主评议党员、谈心谈话、集中学习 或 交流研讨: "支委会"',
    ),
    ("党费", 0, "2月", "五十", '党费!F3: 金额不是数字: "五十"'),
    ("党费", 0, "1月", 1.234, '党费!E3: 金额最多两位小数: "1.234"'),
    ("党费", 0, "1月", -5, '党费!E3: 金额不能为负数: "-5"'),
    ("党费", 1, "月缴费基数(元)", None, "党费!C4: 月缴费基数：在职党员须核定缴费基数（或填写约定月缴）"),
    ("党费", 1, "年度", "去年", '党费!A4: 年度应为四位数字: "去年"'),
    ("党费", 1, "姓名", "李斯", "党费!B4: “李斯”不是本支部党员（党员名册中没有此人）"),
    ("志愿服务", 0, "时长(小时)", 0.3, '志愿服务!E2: 时长应以 0.5 小时为单位: "0.3"'),
    ("志愿服务", 0, "时长(小时)", "两小时", '志愿服务!E2: 时长不是数字: "两小时"'),
    ("志愿服务", 0, "时长(小时)", None, "志愿服务!E2: 时长(小时)不能为空"),
    (
        "志愿服务", 1, "姓名", "钱七",
        "志愿服务!B3: “钱七”2025-06-01才入党或转入本支部，2025-04-11时还不是本支部党员",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    "sheet,index,column,value,expected", BAD_CELLS, ids=[c[-1].split(":")[0] for c in BAD_CELLS]
)
def test_bad_cell_gives_its_exact_error_and_writes_nothing(
    ledger, tmp_path, sheet, index, column, value, expected
):
    sheets = base_sheets()
    sheets[sheet][2][index][column] = value
    path = write_workbook(tmp_path / "bad.xlsx", sheets)
    before = table_counts(ledger)
    plan = analyze_workbook(ledger, path)
    assert plan.errors == [expected]
    with pytest.raises(WorkbookError) as info:
        import_workbook(ledger, path)
    assert info.value.message == "导入失败，共 1 处错误，未写入任何数据："
    assert info.value.details == [expected]
    assert table_counts(ledger) == before


def test_contract_example_amount_error(ledger, tmp_path):
    """党费!F7: 金额不是数字: "五十" — the contract's own example, cell for cell."""
    sheets = base_sheets()
    sheets["党费"][2][4]["2月"] = "五十"  # 5th member → row 7; 2月 is column F
    path = write_workbook(tmp_path / "bad.xlsx", sheets)
    assert analyze_workbook(ledger, path).errors == ['党费!F7: 金额不是数字: "五十"']


def test_missing_required_column_names_sheet_and_column(ledger, tmp_path):
    sheets = base_sheets()
    title, header, rows = sheets["党员名册"]
    sheets["党员名册"] = (title, [h for h in header if h != "入党日期"], rows)
    title, header, rows = sheets["志愿服务"]
    sheets["志愿服务"] = (title, [h for h in header if h != "时长(小时)"], rows)
    path = write_workbook(tmp_path / "bad.xlsx", sheets)
    before = table_counts(ledger)
    with pytest.raises(WorkbookError) as info:
        import_workbook(ledger, path)
    # names the unreadable roster would have given are not reported again, sheet by sheet
    assert info.value.details == [
        "党员名册!A2: 缺少必需的列“入党日期”",
        "志愿服务!A1: 缺少必需的列“时长(小时)”",
    ]
    assert table_counts(ledger) == before


def test_ambiguous_names(ledger, tmp_path):
    sheets = base_sheets()
    roster = sheets["党员名册"][2]
    for id_number in (ID_ZHANGWEI_A, ID_ZHANGWEI_B):
        roster.append(
            {"姓名": "张伟", "公民身份号码": id_number, "党员类别": "正式党员",
             "入党日期": dt.date(2010, 1, 1), "人员类别": "在职"}
        )  # fmt: skip
    sheets["三会一课"][2][0]["出席人员"] = "张三、李四、张伟"
    # the 党费 sheet tells them apart by ID number
    title, header, dues = sheets["党费"]
    sheets["党费"] = (title, [*header, "公民身份号码"], dues)
    dues.append(
        {"年度": 2025, "姓名": "张伟", "公民身份号码": ID_ZHANGWEI_B, "月缴费基数(元)": 5000}
    )
    path = write_workbook(tmp_path / "amb.xlsx", sheets)
    assert analyze_workbook(ledger, path).errors == [
        "三会一课!I3: 出席人员中的“张伟”对应2名党员，无法区分"
    ]

    # a roster row without ID whose name another member has is an error itself
    roster.append(
        {
            "姓名": "张伟",
            "党员类别": "正式党员",
            "入党日期": dt.date(2011, 1, 1),
            "人员类别": "在职",
        }
    )
    sheets["三会一课"][2][0]["出席人员"] = "张三"
    path = write_workbook(tmp_path / "amb2.xlsx", sheets)
    assert analyze_workbook(ledger, path).errors == [
        "党员名册!B10: 有3名党员叫“张伟”，请填写公民身份号码以区分"
    ]


def test_the_date_tells_apart_two_members_of_one_name(ledger, tmp_path):
    """Two 张伟: one left before the meeting, so the name list means the other one."""
    sheets = base_sheets()
    roster = sheets["党员名册"][2]
    roster.append(
        {"姓名": "张伟", "公民身份号码": ID_ZHANGWEI_A, "党员类别": "正式党员",
         "入党日期": dt.date(2010, 1, 1), "人员类别": "在职", "状态": "去世",
         "状态变更日期": dt.date(2024, 12, 1)}
    )  # fmt: skip
    roster.append(
        {"姓名": "张伟", "公民身份号码": ID_ZHANGWEI_B, "党员类别": "正式党员",
         "入党日期": dt.date(2012, 1, 1), "人员类别": "在职"}
    )  # fmt: skip
    sheets["三会一课"][2][0]["出席人员"] = "张三、李四、张伟"
    import_workbook(ledger, write_workbook(tmp_path / "a.xlsx", sheets))
    rec = ledger.repo.records(kinds=["支委会"])[0]
    zhang_wei = next(m for m in ledger.repo.members() if m.id_number == ID_ZHANGWEI_B)
    assert zhang_wei.id in {a.member_id for a in rec.attendance}


def test_tolerant_reading_of_headers_numbers_and_dates(ledger, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "支部信息"
    ws.append(["项目", "内容"])
    ws.append(["支部名称", "甲支部"])
    ws.append(["党员人数", 12])  # not a contract item: ignored with a note
    ws = wb.create_sheet("党员名册")
    ws.append(["姓 名", "党员类别", "入党日期", "人员类别", "联系电话", "身份证号"])
    ws.append(["孙八", "正式党员", 45658, "在职", 13800000001, ID_ZHANG])  # a serial date
    ws = wb.create_sheet("党费")
    ws.append(["年度", "姓名", "月缴费基数\n（元）", "1月"])
    ws.append(["2025年", "孙八", "3,000.00", "¥15"])
    path = tmp_path / "loose.xlsx"
    wb.save(path)
    plan = import_workbook(ledger, path)
    assert plan.warnings == [
        "支部信息!A3: 未知的项目“党员人数”，已忽略（可用项目：支部名称、上级党组织、书记、"
        "副书记、组织委员、宣传委员、纪检委员、成立日期、联系电话）"
    ]
    m = ledger.repo.members()[0]
    assert (m.join_date, m.phone, m.id_number) == (dt.date(2025, 1, 1), "13800000001", ID_ZHANG)
    assert ledger.repo.dues_settings(2025)[m.id].base_fen == 300_000
    assert ledger.repo.paid_by_month(2025)[m.id] == {1: 1500}

    # 支部信息 changed in a later workbook: counted as updated
    wb2 = openpyxl.Workbook()
    ws = wb2.active
    ws.title = "支部信息"
    ws.append(["项目", "内容"])
    ws.append(["支部名称", "乙支部"])
    wb2.save(tmp_path / "info.xlsx")
    plan2 = import_workbook(ledger, tmp_path / "info.xlsx")
    assert plan2.counts["支部信息"] == {"新增": 0, "更新": 1, "已有": 0}
    assert ledger.repo.branch().name == "乙支部"


def test_sheet_without_header_row_is_an_error(ledger, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "志愿服务"
    ws.append(["2025-04-01", "张三", "巡逻", 2])
    wb.save(tmp_path / "nohead.xlsx")
    assert analyze_workbook(ledger, tmp_path / "nohead.xlsx").errors == [
        "志愿服务!A1: 找不到表头行（应有列：日期、姓名、时长(小时)）"
    ]


def test_duplicate_rows_are_errors(ledger, tmp_path):
    sheets = base_sheets()
    sheets["三会一课"][2].append(dict(sheets["三会一课"][2][0]))
    sheets["党员名册"][2].append(dict(sheets["党员名册"][2][0]))
    path = write_workbook(tmp_path / "dup.xlsx", sheets)
    assert analyze_workbook(ledger, path).errors == [
        "党员名册!C8: 公民身份号码与第3行重复",
        "三会一课!A8: 与第3行是同一条记录（日期、类型、党小组和议题/主题都相同）",
    ]


def test_many_errors_are_all_listed(ledger, tmp_path):
    sheets = base_sheets()
    sheets["三会一课"][2][0]["日期"] = "昨天"
    sheets["党费"][2][0]["3月"] = "三十"
    sheets["志愿服务"][2][0]["时长(小时)"] = 0
    path = write_workbook(tmp_path / "bad.xlsx", sheets)
    with pytest.raises(WorkbookError) as info:
        import_workbook(ledger, path)
    assert info.value.message == "导入失败，共 3 处错误，未写入任何数据："
    assert info.value.details == [
        "三会一课!A3: 无法识别的日期：“昨天”（应如 2025-03-07）",
        '党费!G3: 金额不是数字: "三十"',
        '志愿服务!E2: 时长应为正数: "0"',
    ]
    assert ledger.repo.member_count() == 0


# --- files that are not workbooks ----------------------------------------------------------------


def test_text_file_renamed_xlsx_is_a_clean_user_error(ledger, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_text("姓名,党员类别\n张三,正式党员\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        analyze_workbook(ledger, path)
    assert (
        str(info.value)
        == "文件“台账.xlsx”不是有效的 Excel 工作簿（.xlsx），或已损坏：文件内容不是工作簿格式"
    )


def test_other_unusable_files(ledger, tmp_path):
    with pytest.raises(UserError, match="找不到文件"):
        analyze_workbook(ledger, tmp_path / "nope.xlsx")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UserError, match="旧版 .xls 格式"):
        analyze_workbook(ledger, old)
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(UserError, match="设置了打开密码"):
        analyze_workbook(ledger, locked)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(UserError, match="不是有效的 Excel 工作簿"):
        analyze_workbook(ledger, broken)
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(UserError, match="没有可导入的工作表"):
        analyze_workbook(ledger, tmp_path / "empty.xlsx")


def test_a_sheet_far_too_long_is_refused(ledger, tmp_path, monkeypatch):
    from ledger_app.workbook import reader

    monkeypatch.setattr(reader, "MAX_ROWS", 4)
    path = write_workbook(tmp_path / "long.xlsx", base_sheets())
    with pytest.raises(WorkbookError, match="工作表“党员名册”有超过 4 行内容"):
        analyze_workbook(ledger, path)


BOMB_DTD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE worksheet [\n'
    ' <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
    + "".join(f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    + "]>\n"
)


def test_xml_entity_bomb_is_refused(ledger, tmp_path):
    assert openpyxl.DEFUSEDXML, "defusedxml must be installed: openpyxl uses it when present"
    good = write_workbook(tmp_path / "good.xlsx", {"党员名册": base_sheets()["党员名册"]})
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as out:
        for item in src.namelist():
            data = src.read(item)
            if item == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                if text.startswith("<?xml"):
                    text = text.split("?>", 1)[1]
                text = text.replace("<t>张三</t>", "<t>&j;</t>", 1)
                data = (BOMB_DTD + text).encode("utf-8")
            out.writestr(item, data)
    before = table_counts(ledger)
    with pytest.raises(WorkbookError) as info:
        analyze_workbook(ledger, bomb)
    assert "不安全的 XML 内容" in str(info.value)
    assert table_counts(ledger) == before


# --- the command line ------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_cli_import_exit_codes(tmp_path):
    db = tmp_path / "cli.db"
    ok = _run("--db", str(db), "import", SAMPLE)
    assert ok.returncode == 0, ok.stderr
    assert "党员名册：新增 8 人" in ok.stdout
    assert "三会一课：新增 20 条" in ok.stdout
    assert ok.stderr == ""

    sheets = base_sheets()
    sheets["党费"][2][4]["2月"] = "五十"
    bad = write_workbook(tmp_path / "bad.xlsx", sheets)
    fail = _run("--db", str(db), "import", str(bad))
    assert fail.returncode == 1
    assert fail.stdout == ""
    assert fail.stderr.splitlines() == [
        "导入失败，共 1 处错误，未写入任何数据：",
        '党费!F7: 金额不是数字: "五十"',
    ]
    lg = Ledger.open(db)
    try:
        assert lg.repo.member_count() == 8
    finally:
        lg.close()


def _snapshot(ledger: Ledger) -> dict:
    repo = ledger.repo
    names = {m.id: m.name for m in repo.members()}
    return {
        "branch": repo.branch().info,
        "members": sorted(
            (m.name, m.id_number, m.join_date, m.category, m.group_name, m.post, m.status,
             m.status_date)
            for m in repo.members()
        ),
        "records": sorted(
            (r.kind, r.date, r.group_name, r.topic, r.host, r.lecturer, r.also_theme_day,
             r.content, tuple(sorted((a.name, a.status, a.reason) for a in r.attendance)))
            for r in repo.records()
        ),
        "dues": sorted(
            (names[mid], s.base_fen, s.fixed_fen, s.note)
            for mid, s in repo.dues_settings(2025).items()
        ),
        "paid": sorted(
            (names[mid], month, fen)
            for mid, months in repo.paid_by_month(2025).items()
            for month, fen in months.items()
        ),
        "volunteer": sorted(
            (v.member_name, v.date, v.half_hours, v.project) for v in repo.volunteer()
        ),
    }  # fmt: skip


def test_exported_workbook_round_trips(ledger, tmp_path):
    """Issue 5: an export imports into an empty database as the same records, and into
    the database it came from as nothing new."""
    from ledger_app.workbook.writer import export_workbook

    import_workbook(ledger, write_workbook(tmp_path / "year.xlsx", base_sheets()))
    out = tmp_path / "export.xlsx"
    export_workbook(ledger, 2025, None, out)
    assert not import_workbook(ledger, out).has_changes
    fresh = Ledger.open(None, today=ledger.today())
    try:
        plan = import_workbook(fresh, out)
        assert plan.counts["三会一课"]["新增"] == 5
        assert _snapshot(fresh) == _snapshot(ledger)
    finally:
        fresh.close()


def test_plan_is_applied_only_once(ledger, tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", base_sheets())
    plan = analyze_workbook(ledger, path)
    changes = apply_plan(ledger, plan)
    assert changes.members and changes.records and changes.dues and changes.volunteer
    with pytest.raises(UserError):
        apply_plan(ledger, plan)
    assert ledger.repo.member_count() == 5


def test_imported_records_are_marked_imported_not_late(ledger):
    """Records copied from an old ledger were not typed late here: no 补记 mark, but their
    origin is kept; a copy made from one in the program is an ordinary new record."""
    from ledger_app.domain.compliance import is_late_entry
    from ledger_app.domain.models import IMPORTED
    from ledger_app.services.records import duplicate_record

    import_workbook(ledger, SAMPLE)
    records = ledger.repo.records()
    assert records and all(r.origin == IMPORTED for r in records)
    assert not any(is_late_entry(r) for r in records)
    copy = duplicate_record(ledger, records[0].id, records[0].date)
    assert copy.origin is None


# --- no cell left unread, no bomb (issue 15) --------------------------------------------------


def _dues_only(header: list[str], rows: list[dict]) -> dict:
    sheets = base_sheets()
    return {"党员名册": sheets["党员名册"], "党费": ("测试党支部2025年党费收缴台账", header, rows)}


@pytest.mark.parametrize(
    "spelling",
    [
        lambda m: (
            "一二三四五六七八九"[m - 1] + "月" if m < 10 else ["十月", "十一月", "十二月"][m - 10]
        ),
        lambda m: f"{m}月份",
        lambda m: f"{m:02d}月",
        lambda m: f"{m}月（元）",
    ],
    ids=["一月", "1月份", "01月", "1月（元）"],
)
def test_month_headers_as_clerks_write_them_are_read(ledger, tmp_path, spelling):
    months = [spelling(m) for m in range(1, 13)]
    header = ["年度", "姓名", "月缴费基数(元)", *months]
    rows = [
        {"年度": 2025, "姓名": "张三", "月缴费基数(元)": 6800, **{c: 102 for c in months}},
        {"年度": 2025, "姓名": "李四", "月缴费基数(元)": 4300, months[0]: 43, months[11]: 43},
    ]
    plan = import_workbook(ledger, write_workbook(tmp_path / "党费.xlsx", _dues_only(header, rows)))
    assert plan.counts["党费"]["新增缴费"] == 14
    paid = ledger.repo.paid_by_month(2025)
    zhang, li = (ledger.repo.group_id, None)[1], None  # (names below)
    by_name = {m.name: m.id for m in ledger.repo.members()}
    assert paid[by_name["张三"]] == {m: 10200 for m in range(1, 13)}
    assert paid[by_name["李四"]] == {1: 4300, 12: 4300}
    del zhang, li


def test_the_same_month_twice_is_an_error_not_a_silent_choice(ledger, tmp_path):
    header = ["年度", "姓名", "月缴费基数(元)", "1月", "一月"]
    rows = [{"年度": 2025, "姓名": "张三", "月缴费基数(元)": 6800, "1月": 102, "一月": 120}]
    path = write_workbook(tmp_path / "党费.xlsx", _dues_only(header, rows))
    with pytest.raises(WorkbookError) as info:
        import_workbook(ledger, path)
    assert info.value.details == ["党费!E2: 列“一月”与 D 列同为“1月”，请删除或改名其中一列"]


def _formulas_without_values(path: Path) -> Path:
    """As a program that writes formulas but never computes them leaves a workbook."""
    wb = openpyxl.load_workbook(path)
    ws = wb["党费"]
    ws["E3"] = "=D3"  # 1月 of 张三
    ws["B4"] = '=UPPER("李四")'  # 姓名 of 李四
    ws["A1"] = "=1+1"  # the title row: not read
    wb.save(path)
    return path


def test_a_formula_without_its_value_is_an_error_naming_the_cell(ledger, tmp_path):
    header = ["年度", "姓名", "月缴费基数(元)", "1月", "2月"]
    rows = [
        {"年度": 2025, "姓名": "张三", "月缴费基数(元)": 6800, "1月": 102, "2月": 102},
        {"年度": 2025, "姓名": "李四", "月缴费基数(元)": 4300, "1月": 43},
    ]
    path = _formulas_without_values(write_workbook(tmp_path / "p.xlsx", _dues_only(header, rows)))
    before = table_counts(ledger)
    with pytest.raises(WorkbookError) as info:
        import_workbook(ledger, path)
    message = "公式没有计算结果，请在 Excel 或 WPS 中打开并保存后再导入"
    assert info.value.details == [f"党费!E3: {message}", f"党费!B4: {message}"]  # no 不能为空
    assert table_counts(ledger) == before


def test_an_absurd_amount_is_a_cell_error(ledger, tmp_path):
    header = ["年度", "姓名", "月缴费基数(元)", "1月"]
    rows = [{"年度": 2025, "姓名": "张三", "月缴费基数(元)": 6800, "1月": 1e20}]
    path = write_workbook(tmp_path / "p.xlsx", _dues_only(header, rows))
    with pytest.raises(WorkbookError) as info:
        import_workbook(ledger, path)
    assert info.value.details == ['党费!D3: 金额过大: "1e+20"（应小于 1 亿元）']


def test_a_value_quoted_in_a_message_is_cut(ledger, tmp_path):
    header = ["年度", "姓名", "月缴费基数(元)", "1月"]
    rows = [{"年度": 2025, "姓名": "张三", "月缴费基数(元)": 6800, "1月": "五" * 5000}]
    path = write_workbook(tmp_path / "p.xlsx", _dues_only(header, rows))
    with pytest.raises(WorkbookError) as info:
        import_workbook(ledger, path)
    assert info.value.details == [f'党费!D3: 金额不是数字: "{"五" * 40}…"']


def _repack(src: Path, out: Path, change) -> Path:
    """A copy of a workbook with one part's bytes changed by ``change(name, data)``."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as o:
        for name in z.namelist():
            o.writestr(name, change(name, z.read(name)))
    return out


def test_zip_bombs_are_refused_before_parsing(ledger, tmp_path):
    import time
    import tracemalloc

    good = write_workbook(tmp_path / "good.xlsx", {"党员名册": base_sheets()["党员名册"]})
    sheet = "xl/worksheets/sheet1.xml"

    # one cell holding 40 MB of text (compresses to ~40 KB)
    def fatten(name: str, data: bytes) -> bytes:  # 张三's name (row 3) grows by 40 MB
        if name != sheet:
            return data
        at = data.index(b"</t>", data.index(b'<row r="3"'))
        return data[:at] + b"A" * (40 << 20) + data[at:]

    one_cell = _repack(good, tmp_path / "cell.xlsx", fatten)
    # 84 MB of blank rows
    blank = b"<row/>" * (14 << 20)
    rows = _repack(good, tmp_path / "rows.xlsx", lambda n, d: d.replace(
        b"</sheetData>", blank + b"</sheetData>") if n == sheet else d)  # fmt: skip
    assert one_cell.stat().st_size < 1 << 20 and rows.stat().st_size < 8 << 20
    assert zipfile.ZipFile(one_cell).getinfo(sheet).file_size > 40 << 20
    for bomb, why in ((one_cell, "超过 Excel 上限（32767 个字符）"), (rows, "解压后内容过大")):
        tracemalloc.start()
        started = time.perf_counter()
        with pytest.raises(WorkbookError) as info:
            analyze_workbook(ledger, bomb)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert why in info.value.message and "AAAA" not in str(info.value)
        assert time.perf_counter() - started < 3 and peak < 16 << 20, (bomb.name, peak)


def test_a_masked_workbook_is_refused_with_one_message(ledger, tmp_path):
    from ledger_app.workbook.writer import export_workbook

    import_workbook(ledger, SAMPLE)
    masked = export_workbook(ledger, 2024, None, tmp_path / "外发.xlsx", mask=True)
    other = Ledger.open(None)
    try:
        with pytest.raises(WorkbookError) as info:
            analyze_workbook(other, masked)
    finally:
        other.close()
    assert info.value.message.startswith("“外发.xlsx”是脱敏版台账")
    assert info.value.details == []
    # so is a masked ID pasted into an ordinary sheet
    sheets = {"党员名册": base_sheets()["党员名册"]}
    sheets["党员名册"][2][0]["公民身份号码"] = idcard.mask(ID_ZHANG)
    with pytest.raises(WorkbookError, match="是脱敏版台账"):
        analyze_workbook(ledger, write_workbook(tmp_path / "粘贴.xlsx", sheets))
