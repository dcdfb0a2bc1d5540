"""导出 Excel 台账 (issue 5): sheets and headers of the contract, the ledger look, print
setup, safe cells, masking, atomic writing, 合计 rows, the extra forms and the round trip."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE, add_member

from ledger_app.cli import build_parser, run_command
from ledger_app.domain import idcard
from ledger_app.domain.attendance import summarize
from ledger_app.domain.models import Attendance, DuesSetting, Payment, Record, VolunteerEntry
from ledger_app.errors import UserError
from ledger_app.services.importer import import_workbook
from ledger_app.services.ledger import Ledger
from ledger_app.workbook.writer import export_workbook

BRANCH = "示例机关第一党支部"
ID_LIN = "11010519491231002X"  # valid check digit
ID_HUANG = "110105198309210049"


def _id(first17: str) -> str:
    return first17 + idcard.check_digit(first17)


@pytest.fixture
def filled(ledger: Ledger) -> Ledger:
    """A small branch's 2025: two groups, a member who left in May, every kind of record,
    dues with a base, a fixed amount and a student, and volunteer service."""
    repo = ledger.repo
    with repo.atomic():
        repo.set_branch_info(
            {
                "支部名称": BRANCH,
                "上级党组织": "示例机关党委",
                "书记": "林海",
                "成立日期": "2001-07-01",
            }
        )
    assert idcard.validate(ID_LIN) is None and idcard.validate(ID_HUANG) is None
    lin = add_member(
        ledger,
        "林海",
        id_number=ID_LIN,
        phone="13800000001",
        post="书记",
        group="第一党小组",
        gender="男",
        birth_date=dt.date(1949, 12, 31),
    )
    huang = add_member(
        ledger,
        "黄晓丽",
        id_number=ID_HUANG,
        phone="13800000002",
        post="组织委员",
        group="第一党小组",
        category="在职",
        gender="女",
        birth_date=dt.date(1983, 9, 21),
    )
    ma = add_member(ledger, "马骏", group="第二党小组", category="农民")
    gao = add_member(
        ledger,
        "高淑珍",
        group="第二党小组",
        category="离退休",
        id_number=_id("11010519520530004"),
        gender="女",
        birth_date=dt.date(1952, 5, 30),
    )
    luo = add_member(
        ledger, "罗强", group="第二党小组", status="转出", status_date=dt.date(2025, 5, 20)
    )
    song = add_member(
        ledger, "宋玉梅", category="学生", join_date=dt.date(2025, 3, 1), member_type="预备党员"
    )
    old = add_member(ledger, "郭静", status="去世", status_date=dt.date(2024, 11, 2))
    g1 = repo.group_id("第一党小组")
    with repo.atomic():
        repo.set_dues_setting(DuesSetting(lin.id, 2025, base_fen=680000, note="核定"))
        repo.set_dues_setting(DuesSetting(huang.id, 2025, base_fen=430000))
        repo.set_dues_setting(DuesSetting(ma.id, 2025, fixed_fen=50))
        repo.set_dues_setting(DuesSetting(gao.id, 2025, base_fen=520000))
        repo.set_dues_setting(DuesSetting(luo.id, 2025, base_fen=290000))
        for month in range(1, 7):
            repo.add_payment(Payment(None, lin.id, 2025, month, 10200))
            repo.add_payment(Payment(None, huang.id, 2025, month, 4300))
            repo.add_payment(Payment(None, gao.id, 2025, month, 5200))
        repo.add_payment(Payment(None, ma.id, 2025, 1, 50))
        repo.add_payment(Payment(None, luo.id, 2025, 1, 1450))
        repo.add_payment(Payment(None, luo.id, 2025, 2, 1450))
        repo.add_payment(Payment(None, song.id, 2025, 3, 20))

        def rec(kind, day, att=(), **kw):
            r = Record(None, kind, day, **kw)
            r.attendance = [Attendance(m.id, s, why) for m, s, why in att]
            repo.add_record(r)
            return r

        rec(
            "支委会",
            dt.date(2025, 1, 3),
            [(lin, "出席", None), (huang, "请假", "病假")],
            topic="研究1月工作",
            place="党群服务中心",
            host="林海",
            recorder="黄晓丽",
            content="研究部署1月份支部工作。\n一、学习；二、发展党员。",
            decisions="同意",
        )
        rec(
            "党小组会",
            dt.date(2025, 1, 8),
            [(lin, "出席", None), (huang, "出席", None)],
            group_id=g1,
            topic="学习交流",
            host="黄晓丽",
            recorder="林海",
            content="交流心得。",
        )
        rec(
            "党课",
            dt.date(2025, 4, 10),
            [(lin, "出席", None), (huang, "出席", None), (gao, "请假", "事假"), (ma, "缺席", None)],
            topic="专题党课",
            host="林海",
            recorder="黄晓丽",
            lecturer="王教授",
            content="讲党史。",
            also_theme_day=True,
        )
        rec(
            "主题党日",
            dt.date(2025, 2, 15),
            [(lin, "出席", None), (luo, "出席", None)],
            topic="2月主题党日",
            form="学习＋志愿服务",
            place="社区",
            organizer="黄晓丽",
            content="重温入党誓词。",
        )
        rec(
            "组织生活会",
            dt.date(2025, 12, 20),
            [(lin, "出席", None), (huang, "出席", None)],
            topic="年度组织生活会",
            host="林海",
            recorder="黄晓丽",
            content="批评与自我批评。",
        )
        rec(
            "谈心谈话",
            dt.date(2025, 6, 2),
            [(lin, "出席", None), (ma, "出席", None)],
            topic="谈心",
            host="林海",
            recorder="林海",
            content="谈思想。",
        )
        rec("支委会", dt.date(2024, 12, 3), [(lin, "出席", None)], topic="去年的会")
        repo.add_volunteer(
            VolunteerEntry(
                None, lin.id, dt.date(2025, 4, 10), 3, "垃圾分类宣传", "示例社区", "社区主任"
            )
        )
        repo.add_volunteer(
            VolunteerEntry(
                None,
                huang.id,
                dt.date(2025, 4, 11),
                4,
                "垃圾分类宣传",
                "示例社区",
                "社区主任",
                "周末",
            )
        )
        repo.add_volunteer(VolunteerEntry(None, gao.id, dt.date(2025, 8, 1), 5, "敬老"))
    ledger.ids = {"林海": lin.id, "old": old.id}  # type: ignore[attr-defined]
    return ledger


def _export(ledger, tmp_path, quarter=None, mask=False, name="out.xlsx") -> Path:
    return export_workbook(ledger, 2025, quarter, tmp_path / name, mask=mask)


def _rows(ws, start=1):
    return [list(r) for r in ws.iter_rows(min_row=start, values_only=True)]


def _header(ws) -> list:
    return [c for c in next(ws.iter_rows(min_row=2, max_row=2, values_only=True))]


# --- sheets, headers, titles ------------------------------------------------------------------

EXPECTED_HEADERS = {
    "支部信息": ["项目", "内容"],
    "党员名册": [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生日期",
        "公民身份号码",
        "学历",
        "党员类别",
        "入党日期",
        "转正日期",
        "人员类别",
        "党小组",
        "党内职务",
        "联系电话",
        "状态",
        "状态变更日期",
        "转入日期",
        "党员领导干部",
    ],
    "三会一课": [
        "序号",
        "日期",
        "会议类型",
        "党小组",
        "议题",
        "地点",
        "主持人",
        "记录人",
        "授课人",
        "出席人员",
        "请假人员",
        "缺席人员",
        "结合主题党日",
        "主要内容",
        "决议事项",
        "列席人员",
        "表决情况",
        "应到人数",
        "实到人数",
        "登记情况",
        "记录过简",
    ],
    "主题党日": [
        "序号",
        "日期",
        "主题",
        "活动形式",
        "地点",
        "组织人",
        "出席人员",
        "请假人员",
        "缺席人员",
        "活动内容",
        "应到人数",
        "实到人数",
        "登记情况",
        "记录过简",
    ],
    "其他组织生活": [
        "序号",
        "日期",
        "类型",
        "主题",
        "地点",
        "主持人",
        "记录人",
        "出席人员",
        "请假人员",
        "缺席人员",
        "主要内容",
        "列席人员",
        "应到人数",
        "实到人数",
        "登记情况",
        "记录过简",
    ],
    "党费": [
        "序号",
        "年度",
        "姓名",
        "公民身份号码",
        "月缴费基数(元)",
        "约定月缴(元)",
        *(f"{m}月" for m in range(1, 13)),
        "备注",
        "人员类别",
        "缴纳比例",
        "月应缴(元)",
        "应缴合计",
        "实缴合计",
        "欠缴月数",
    ],
    "志愿服务": ["序号", "日期", "姓名", "服务项目", "地点", "时长(小时)", "证明人", "备注"],
}


def test_sheets_and_headers_are_the_contracts(filled, tmp_path):
    wb = openpyxl.load_workbook(_export(filled, tmp_path))
    assert wb.sheetnames[:8] == [*EXPECTED_HEADERS, "汇总"]
    extra = {"党费收缴公示", "党费季度汇总", "组织生活统计", "党费签收表（上半年）", "志愿服务统计"}
    assert extra <= set(wb.sheetnames)
    for name, header in EXPECTED_HEADERS.items():
        assert _header(wb[name]) == header, name


def test_title_row_is_merged_over_the_table(filled, tmp_path):
    wb = openpyxl.load_workbook(_export(filled, tmp_path))
    titles = {
        "党员名册": f"{BRANCH}2025年党员名册",
        "三会一课": f"{BRANCH}2025年三会一课登记台账",
        "主题党日": f"{BRANCH}2025年主题党日活动登记台账",
        "党费": f"{BRANCH}2025年党费收缴台账",
        "志愿服务": f"{BRANCH}2025年志愿服务登记台账",
    }
    for name, title in titles.items():
        ws = wb[name]
        assert ws["A1"].value == title
        assert f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}1" in {
            str(r) for r in ws.merged_cells.ranges
        }
        assert ws["A1"].font.b and ws["A2"].font.b  # bold title and header
        assert ws["B2"].fill.fgColor.rgb.endswith("D9E1F2")
        assert ws["B3"].border.left.style == "thin"
    q = openpyxl.load_workbook(_export(filled, tmp_path, quarter=2, name="q2.xlsx"))
    assert q["三会一课"]["A1"].value == f"{BRANCH}2025年第二季度三会一课登记台账"
    assert q["党费"]["A1"].value == f"{BRANCH}2025年第二季度党费收缴台账"


def test_print_setup_of_every_sheet(filled, tmp_path):
    wb = openpyxl.load_workbook(_export(filled, tmp_path))
    landscape = {
        "党员名册",
        "三会一课",
        "主题党日",
        "其他组织生活",
        "党费",
        "组织生活统计",
        "党费签收表（上半年）",
        "党费签收表（下半年）",
        "志愿服务统计",
        "民主评议",
        "整改清单",
    }
    for ws in wb:
        ps = ws.page_setup
        assert ps.paperSize == 9, ws.title  # A4
        assert ps.orientation == ("landscape" if ws.title in landscape else "portrait"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 0, ws.title
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert ws.oddHeader.left.text == BRANCH
        assert ws.page_margins.left == 0.5
        assert ws.print_title_rows, ws.title
    for name in EXPECTED_HEADERS:
        assert wb[name].print_title_rows == "$1:$2", name  # title and header on every page
    assert wb["党费签收表（下半年）"].print_title_rows == "$1:$3"
    assert wb["党员名册"].freeze_panes == "C3"
    assert wb["党费"].freeze_panes == "D3"
    assert wb["志愿服务"].freeze_panes == "A3"


def test_columns_fit_chinese_text_and_long_text_wraps(filled, tmp_path):
    wb = openpyxl.load_workbook(_export(filled, tmp_path))
    ws = wb["三会一课"]
    widths = {c: ws.column_dimensions[c].width for c in "BCEN"}
    assert widths["E"] >= 2 * len("研究1月工作") - 1  # 议题 counted double for CJK
    assert widths["N"] >= 30  # 主要内容
    content = ws["N3"]
    assert content.alignment.wrap_text
    assert ws.row_dimensions[3].height and ws.row_dimensions[3].height >= 28  # two lines
    assert wb["党员名册"].column_dimensions["F"].width >= 19  # 18-digit ID fits


# --- values -------------------------------------------------------------------------------------


def test_records_of_the_period_with_attendance_and_computed_columns(filled, tmp_path):
    wb = openpyxl.load_workbook(_export(filled, tmp_path))
    rows = _rows(wb["三会一课"], 3)
    assert [r[2] for r in rows] == ["支委会", "党小组会", "党课"]  # not the 2024 meeting
    first = dict(zip(EXPECTED_HEADERS["三会一课"], rows[0]))
    assert first["日期"] == dt.datetime(2025, 1, 3)
    assert first["出席人员"] == "林海" and first["请假人员"] == "黄晓丽（病假）"
    assert first["缺席人员"] is None and first["结合主题党日"] is None
    lesson = dict(zip(EXPECTED_HEADERS["三会一课"], rows[2]))
    assert lesson["结合主题党日"] == "是" and lesson["授课人"] == "王教授"
    assert lesson["出席人员"] == "林海、黄晓丽" and lesson["缺席人员"] == "马骏"
    rec = filled.repo.records(kinds=["党课"])[0]
    s = summarize(rec, filled.repo.members())
    assert (lesson["应到人数"], lesson["实到人数"]) == (s.expected_count, s.present_count) == (6, 2)
    assert wb["三会一课"]["B3"].number_format == "yyyy-mm-dd"
    other = _rows(wb["其他组织生活"], 3)
    assert [r[2] for r in other] == ["谈心谈话", "组织生活会"]
    assert other[0][-4:-2] == [2, 2]  # a 谈心谈话 expects the people it lists
    assert other[0][-2] == "补记"  # 登记情况: entered more than 30 days after the talk


def test_roster_lists_everyone_who_belonged_in_the_period(filled, tmp_path):
    year = openpyxl.load_workbook(_export(filled, tmp_path))["党员名册"]
    names = [r[1] for r in _rows(year, 3)]
    assert names == ["林海", "黄晓丽", "马骏", "高淑珍", "罗强", "宋玉梅"]  # not 郭静 (died 2024)
    luo = dict(zip(EXPECTED_HEADERS["党员名册"], _rows(year, 3)[4]))
    assert luo["状态"] == "转出" and luo["状态变更日期"] == dt.datetime(2025, 5, 20)
    q3 = openpyxl.load_workbook(_export(filled, tmp_path, quarter=3, name="q3.xlsx"))
    assert "罗强" not in [r[1] for r in _rows(q3["党员名册"], 3)]  # left in Q2
    assert [r[2] for r in _rows(q3["党费"], 3)][:-1] == [
        "林海",
        "黄晓丽",
        "马骏",
        "高淑珍",
        "宋玉梅",
    ]


def test_dues_sheet_amounts_computed_columns_and_total_row(filled, tmp_path):
    ws = openpyxl.load_workbook(_export(filled, tmp_path))["党费"]
    h = EXPECTED_HEADERS["党费"]
    rows = {("合计" if r[0] == "合计" else r[2]): dict(zip(h, r)) for r in _rows(ws, 3)}
    lin = rows["林海"]
    assert lin["年度"] == 2025 and lin["公民身份号码"] == ID_LIN
    assert lin["月缴费基数(元)"] == 6800 and lin["1月"] == 102 and lin["7月"] is None
    assert lin["人员类别"] == "在职" and lin["缴纳比例"] == "1.5%" and lin["月应缴(元)"] == 102
    assert lin["应缴合计"] == 1224 and lin["实缴合计"] == 612 and lin["欠缴月数"] == 6
    assert lin["备注"] == "核定"
    assert rows["马骏"]["约定月缴(元)"] == 0.5 and rows["马骏"]["缴纳比例"] == "约定"
    luo = rows["罗强"]  # left on 20 May: owes January–April
    assert luo["应缴合计"] == 58 and luo["实缴合计"] == 29 and luo["欠缴月数"] == 2
    assert luo["1月"] == 14.5
    total = rows["合计"]
    assert total["1月"] == pytest.approx(102 + 43 + 52 + 0.5 + 14.5)
    assert total["3月"] == pytest.approx(102 + 43 + 52 + 0.2)
    assert total["7月"] == 0
    dues_rows = [r for k, r in rows.items() if k != "合计"]
    assert total["应缴合计"] == pytest.approx(sum(r["应缴合计"] for r in dues_rows))
    assert total["实缴合计"] == pytest.approx(sum(r["实缴合计"] for r in dues_rows))
    last = ws.max_row
    assert ws.cell(last, 1).value == "合计" and ws.cell(last, 1).font.b
    assert ws.cell(3, 7).number_format == "0.00"
    assert isinstance(ws.cell(3, 7).value, (int, float))


def test_volunteer_hours_are_numbers_with_a_total(filled, tmp_path):
    ws = openpyxl.load_workbook(_export(filled, tmp_path))["志愿服务"]
    rows = _rows(ws, 3)
    assert [r[5] for r in rows] == [1.5, 2, 2.5, 6]
    assert rows[-1][0] == "合计" and rows[-1][2] == "3人"
    q2 = openpyxl.load_workbook(_export(filled, tmp_path, quarter=2, name="q.xlsx"))["志愿服务"]
    assert [r[2] for r in _rows(q2, 3)] == ["林海", "黄晓丽", "2人"]


def test_summary_and_forms(filled, tmp_path):
    wb = openpyxl.load_workbook(_export(filled, tmp_path))
    summary = [r for r in _rows(wb["汇总"]) if any(v is not None for v in r)]
    texts = [r[0] for r in summary]
    assert "一、组织生活开展情况（应开展与已开展）" in texts
    feb = next(r for r in summary if r[0] == "支委会" and r[2] == "2025年2月")
    assert feb[3:6] == [1, 0, "未开展"]
    jan = next(r for r in summary if r[0] == "支委会" and r[2] == "2025年1月")
    assert jan[3:6] == [1, 1, "已开展"]
    assert any(r[0] == "党小组会" and r[1] == "第二党小组" for r in summary)
    lesson = next(r for r in summary if r[0] == "党课" and r[1] == 1)
    assert lesson[2:6] == [6, 2, 1, 3]  # 应到 实到 请假 缺席 (罗强, 宋玉梅 listed nowhere)
    hours = next(r for r in summary if r[0] == "总时长(小时)")
    assert hours[1] == 6

    stats = {r[0]: r for r in _rows(wb["组织生活统计"], 3)}
    header = _header(wb["组织生活统计"])
    april = dict(zip(header, stats["4月"]))
    assert april["党课"] == 1 and april["主题党日"] == 1  # 结合主题党日 counts as theme day
    total = dict(zip(header, stats["合计"]))
    assert total["支委会"] == 1 and total["主题党日"] == 2 and total["谈心谈话"] == 1
    rate = dict(zip(header, stats["完成率"]))
    assert rate["支委会"] == pytest.approx(1 / 12)
    assert rate["组织生活会"] == 1

    notice = {r[1]: r for r in _rows(wb["党费收缴公示"], 3) if r[1]}
    assert notice["林海"][3:8] == ["1.5%", 102, 12, 1224, 612]
    assert "欠缴7月" in notice["林海"][8]
    assert "公民身份号码" not in _header(wb["党费收缴公示"])  # published: no ID numbers
    assert "月缴费基数(元)" not in _header(wb["党费收缴公示"])  # nor incomes, unless asked

    quarterly = _rows(wb["党费季度汇总"], 3)
    q1_work = next(r for r in quarterly if r[0] == "2025年第一季度" and r[1] == "在职")
    # 林海 102×3 + 黄晓丽 43×3 + 罗强 14.5×3 due; paid 102×3 + 43×3 + 14.5×2
    assert q1_work[2:7] == [3, 478.5, 464, 14.5, 1]
    year_total = next(r for r in quarterly if r[0] == "2025年全年" and r[1] == "小计")
    assert year_total[3] == pytest.approx(
        sum(r[3] for r in quarterly if r[1] == "小计" and r[0] != "2025年全年")
    )

    first, second = wb["党费签收表（上半年）"], wb["党费签收表（下半年）"]
    assert first["A1"].value == f"{BRANCH}2025年上半年党费收缴签收表"
    assert [first.cell(3, c).value for c in (4, 5)] == ["金额(元)", "收缴人签字"]
    assert first.cell(2, 4).value == "1月" and second.cell(2, 4 + 2 * 5).value == "12月"
    assert second.max_column == 3 + 12
    lin = next(r for r in _rows(first, 4) if r[1] == "林海")
    assert lin[2:6] == [102, 102, None, 102]  # 月应缴, 1月 amount, signature, 2月
    q = openpyxl.load_workbook(_export(filled, tmp_path, quarter=4, name="q4.xlsx"))
    assert q["党费签收表"].cell(2, 4).value == "10月" and q["党费签收表"].max_column == 9


def test_volunteer_statistics_per_member_and_month(filled, tmp_path):
    ws = openpyxl.load_workbook(_export(filled, tmp_path))["志愿服务统计"]
    header = _header(ws)
    rows = {r[1]: dict(zip(header, r)) for r in _rows(ws, 3)}
    assert rows["林海"]["4月"] == 1.5 and rows["林海"]["合计(小时)"] == 1.5
    assert rows["高淑珍"]["8月"] == 2.5 and rows["高淑珍"]["次数"] == 1
    assert rows["马骏"]["合计(小时)"] == 0 and rows["马骏"]["4月"] is None
    total = next(r for r in _rows(ws, 3) if r[0] == "合计")
    assert dict(zip(header, total))["合计(小时)"] == 6


def test_months_under_way_are_not_in_arrears(filled, tmp_path):
    filled._today = dt.date(2025, 7, 10)  # July has not ended: not yet 欠缴
    wb = openpyxl.load_workbook(_export(filled, tmp_path))
    h = EXPECTED_HEADERS["党费"]
    rows = {r[2]: dict(zip(h, r)) for r in _rows(wb["党费"], 3)}
    assert rows["林海"]["欠缴月数"] == 0  # paid January to June
    assert rows["林海"]["应缴合计"] == 1224  # the year's due is still the whole year's
    assert rows["马骏"]["欠缴月数"] == 5  # paid January only
    notice = {r[1]: r for r in _rows(wb["党费收缴公示"], 3) if r[1]}
    assert notice["林海"][8] is None


def test_an_empty_ledger_exports(ledger, tmp_path):
    wb = openpyxl.load_workbook(_export(ledger, tmp_path))
    assert wb["党费"]["A1"].value == "本支部2025年党费收缴台账"
    assert [r[0] for r in _rows(wb["党费"], 3)] == ["合计"]
    assert wb["三会一课"].max_row == 2


# --- safety ---------------------------------------------------------------------------------------


def _sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")}


def test_id_and_phone_numbers_are_text_cells(filled, tmp_path):
    path = _export(filled, tmp_path)
    ws = openpyxl.load_workbook(path)["党员名册"]
    h = EXPECTED_HEADERS["党员名册"]
    id_col, phone_col = h.index("公民身份号码") + 1, h.index("联系电话") + 1
    cell = ws.cell(3, id_col)
    assert cell.value == ID_LIN and cell.data_type == "s" and cell.number_format == "@"
    phone = ws.cell(3, phone_col)
    assert phone.value == "13800000001" and phone.data_type == "s"
    # in the file itself: a string cell, never a number that Excel shows as 1.10105E+17
    xml = _sheet_xml(path)["xl/worksheets/sheet2.xml"]
    ref = f"{openpyxl.utils.get_column_letter(id_col)}3"
    assert re.search(rf'<c r="{ref}"[^>]*t="(s|inlineStr)"', xml)


def test_text_that_looks_like_a_formula_stays_text(ledger, tmp_path):
    m = add_member(ledger, "=cmd|' /C calc'!A0")
    evil = {
        "topic": '=HYPERLINK("http://x","点我")',
        "place": "+1+1",
        "host": "-2+3",
        "recorder": "@SUM(A1:A2)",
        "content": "=1+1",
    }
    r = Record(None, "支委会", dt.date(2025, 3, 1), **evil)
    r.attendance = [Attendance(m.id, "出席")]
    with ledger.repo.atomic():
        ledger.repo.add_record(r)
        ledger.repo.add_volunteer(VolunteerEntry(None, m.id, dt.date(2025, 3, 2), 2, "=A1"))
    path = _export(ledger, tmp_path)
    for name, xml in _sheet_xml(path).items():
        assert "<f>" not in xml and "<f " not in xml, name
    wb = openpyxl.load_workbook(path)
    row = dict(zip(EXPECTED_HEADERS["三会一课"], _rows(wb["三会一课"], 3)[0]))
    assert row["议题"] == evil["topic"] and row["地点"] == "+1+1"
    assert row["主持人"] == "-2+3" and row["记录人"] == "@SUM(A1:A2)"
    assert row["出席人员"] == "=cmd|' /C calc'!A0"
    cell = wb["三会一课"]["E3"]
    assert cell.data_type == "s" and cell.quotePrefix  # typed over in Excel it stays text
    assert wb["党员名册"]["B3"].value == "=cmd|' /C calc'!A0"


def test_control_characters_do_not_break_the_export(ledger, tmp_path):
    m = add_member(ledger, "林海")
    r = Record(None, "支委会", dt.date(2025, 3, 1), topic="议题\x0b一", content="内容\x01")
    r.attendance = [Attendance(m.id, "出席")]
    with ledger.repo.atomic():
        ledger.repo.add_record(r)
    ws = openpyxl.load_workbook(_export(ledger, tmp_path))["三会一课"]
    assert ws["E3"].value == "议题一"


def test_masked_export_hides_ids_and_phones(filled, tmp_path, capsys):
    path = _export(filled, tmp_path, mask=True)
    wb = openpyxl.load_workbook(path)
    h = EXPECTED_HEADERS["党员名册"]
    lin = dict(zip(h, _rows(wb["党员名册"], 3)[0]))
    assert lin["公民身份号码"] == "110105********002X"
    assert lin["联系电话"] == "138****0001"
    dues = dict(zip(EXPECTED_HEADERS["党费"], _rows(wb["党费"], 3)[0]))
    assert dues["公民身份号码"] == "110105********002X"
    assert "脱敏" in wb["党员名册"]["A1"].value
    assert any("不能再导入" in str(r[0]) for r in _rows(wb["汇总"]) if r[0])
    raw = b"".join(zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist())
    assert ID_LIN.encode() not in raw and b"13800000001" not in raw


def test_failed_write_leaves_no_file_and_keeps_the_old_one(filled, tmp_path, monkeypatch):
    from openpyxl import Workbook

    target = tmp_path / "台账.xlsx"

    def broken_save(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a file")
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as mp:
        mp.setattr(Workbook, "save", broken_save)
        with pytest.raises(UserError) as info:  # in Chinese, naming the target
            export_workbook(filled, 2025, None, target)
        assert info.value.message == f"无法写入 {target}：磁盘已满。"
    assert not target.exists()
    assert os.listdir(tmp_path) == []  # the temporary file is gone too

    target.write_bytes(b"the clerk's previous export")
    with monkeypatch.context() as mp:
        mp.setattr(Workbook, "save", broken_save)
        with pytest.raises(UserError) as info:  # in Chinese, naming the target
            export_workbook(filled, 2025, None, target)
        assert info.value.message == f"无法写入 {target}：磁盘已满。原有文件未改动。"
    assert target.read_bytes() == b"the clerk's previous export"
    assert os.listdir(tmp_path) == ["台账.xlsx"]

    class Cancelled(Exception):
        pass

    def cancel(done, total):
        if done == 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_workbook(filled, 2025, None, target, progress=cancel)
    assert target.read_bytes() == b"the clerk's previous export"

    seen = []
    export_workbook(filled, 2025, None, target, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] and len(seen) == seen[-1][1]
    assert openpyxl.load_workbook(target).sheetnames[0] == "支部信息"
    assert os.listdir(tmp_path) == ["台账.xlsx"]
    if os.name == "posix":  # a normal file, not the private mode of a temporary file
        assert target.stat().st_mode & 0o044


# --- round trip -------------------------------------------------------------------------------------


def _snapshot(ledger: Ledger, year: int) -> dict:
    """What the round trip must keep, by names (ids differ between databases)."""
    repo = ledger.repo
    members = repo.members()
    name = {m.id: m.name for m in members}
    skip = {"id", "group_id", "note"}
    roster = sorted(tuple((k, v) for k, v in vars(m).items() if k not in skip) for m in members)
    records = []
    for r in repo.records():
        fields = tuple(
            (k, v)
            for k, v in vars(r).items()
            # origin: an imported copy is marked 导入, the typed original is not
            if k
            not in ("id", "group_id", "attendance", "created_at", "updated_at", "time", "origin")
        )
        att = tuple(sorted((name[a.member_id], a.status, a.reason or "") for a in r.attendance))
        records.append((fields, att))
    settings = {
        name[mid]: (s.base_fen, s.fixed_fen, s.note)
        for mid, s in repo.dues_settings(year).items()
        if (s.base_fen, s.fixed_fen, s.note) != (None, None, None)
    }
    paid = {name[mid]: months for mid, months in repo.paid_by_month(year).items()}
    volunteer = sorted(
        (name[v.member_id], v.date, v.half_hours, v.project, v.place, v.witness, v.note)
        for v in repo.volunteer()
    )
    return {
        "branch": repo.branch().info,
        "roster": roster,
        "records": sorted(records, key=repr),
        "settings": settings,
        "paid": paid,
        "volunteer": volunteer,
    }


def test_round_trip_into_an_empty_ledger_and_back_into_the_source(filled, tmp_path):
    # the round trip covers one year: leave out the member and meeting of 2024
    with filled.repo.atomic():
        filled.repo.delete_record(filled.repo.records(end=dt.date(2024, 12, 31))[0].id)
        filled.db.execute(
            "DELETE FROM member_status_history WHERE member_id = ?", [filled.ids["old"]]
        )
        filled.db.execute("DELETE FROM member WHERE id = ?", [filled.ids["old"]])
    path = _export(filled, tmp_path)
    copy = Ledger.open(None, today=filled.today())
    try:
        plan = import_workbook(copy, path)
        assert not plan.errors
        assert _snapshot(copy, 2025) == _snapshot(filled, 2025)
    finally:
        copy.close()
    again = import_workbook(filled, path)
    assert not again.has_changes, again.summary_lines()


def test_sample_round_trips(ledger, tmp_path):
    import_workbook(ledger, SAMPLE)
    path = export_workbook(ledger, 2024, None, tmp_path / "sample.xlsx")
    copy = Ledger.open(None, today=ledger.today())
    try:
        import_workbook(copy, path)
        assert _snapshot(copy, 2024) == _snapshot(ledger, 2024)
    finally:
        copy.close()
    assert not import_workbook(ledger, path).has_changes


# --- the command line ---------------------------------------------------------------------------


def test_cli_export_xlsx(tmp_path, capsys):
    db = tmp_path / "ledger.db"
    disk = Ledger.open(db)
    import_workbook(disk, SAMPLE)
    disk.close()
    out = tmp_path / "导出.xlsx"
    args = build_parser().parse_args(
        ["--db", str(db), "export-xlsx", "--year", "2024", "--quarter", "2", "-o", str(out)]
    )
    assert run_command(args) == 0
    assert capsys.readouterr().out.strip() == f"已导出：{out}"
    wb = openpyxl.load_workbook(out)
    assert wb["三会一课"]["A1"].value == "示例社区第一党支部2024年第二季度三会一课登记台账"

    masked = tmp_path / "外发.xlsx"
    args = build_parser().parse_args(
        ["--db", str(db), "export-xlsx", "--year", "2024", "-o", str(masked), "--mask"]
    )
    assert run_command(args) == 0
    assert "不能再导入" in capsys.readouterr().out

    args = build_parser().parse_args(
        [
            "--db",
            str(db),
            "export-xlsx",
            "--year",
            "2024",
            "-o",
            str(tmp_path / "无此目录" / "x.xlsx"),
        ]
    )
    assert run_command(args) == 1
    assert "文件夹不存在" in capsys.readouterr().err
    args = build_parser().parse_args(
        ["--db", str(db), "export-xlsx", "--year", "2024", "-o", str(tmp_path)]
    )
    assert run_command(args) == 1
    assert "是文件夹" in capsys.readouterr().err


@pytest.mark.slow
def test_a_300_member_year_exports_in_a_few_seconds(ledger, tmp_path):
    import time

    repo = ledger.repo
    with repo.atomic():
        repo.set_branch_info({"支部名称": BRANCH})
        members = []
        for i in range(300):
            m = add_member(
                ledger,
                f"党员{i:03d}",
                id_number=_id(f"1101051980010{i:04d}"),
                group=f"第{i % 6 + 1}党小组",
                post="书记" if i == 0 else None,
            )
            repo.set_dues_setting(DuesSetting(m.id, 2025, base_fen=400000 + i * 1000))
            members.append(m)
        for month in range(1, 13):
            for m in members:
                repo.add_payment(Payment(None, m.id, 2025, month, 4000))
                repo.add_volunteer(VolunteerEntry(None, m.id, dt.date(2025, month, 9), 4, "服务"))
            for kind in ("支委会", "主题党日", "党小组会"):
                r = Record(None, kind, dt.date(2025, month, 10), topic=f"{month}月", content="内容")
                r.attendance = [Attendance(m.id, "出席") for m in members[:250]]
                repo.add_record(r)
    start = time.perf_counter()
    path = export_workbook(ledger, 2025, None, tmp_path / "big.xlsx")
    elapsed = time.perf_counter() - start
    assert elapsed < 8, f"{elapsed:.1f} s"
    assert openpyxl.load_workbook(path, read_only=True)["志愿服务"].max_row == 2 + 3600 + 1


def test_the_notice_shows_the_base_only_when_asked(filled, tmp_path, capsys):
    wb = openpyxl.load_workbook(
        export_workbook(filled, 2025, None, tmp_path / "公示.xlsx", show_base=True)
    )
    header = _header(wb["党费收缴公示"])
    lin = dict(zip(header, next(r for r in _rows(wb["党费收缴公示"], 3) if r[1] == "林海")))
    assert lin["月缴费基数(元)"] == 6800 and lin["月应缴(元)"] == 102
    args = build_parser().parse_args(
        ["export-xlsx", "--year", "2025", "-o", str(tmp_path / "x.xlsx"), "--show-base"]
    )
    assert (
        args.show_base
        and not build_parser()
        .parse_args(["export-xlsx", "--year", "2025", "-o", "x.xlsx"])
        .show_base
    )


def test_a_masked_export_leaves_nothing_that_rebuilds_an_id_or_a_phone(filled, tmp_path):
    with filled.repo.atomic():
        filled.repo.set_branch_info({"联系电话": "010-66001234", "支部名称": "=HYPERLINK(1)支部"})
    path = _export(filled, tmp_path, mask=True)
    wb = openpyxl.load_workbook(path)
    h = EXPECTED_HEADERS["党员名册"]
    for row in _rows(wb["党员名册"], 3):
        assert dict(zip(h, row))["出生日期"] is None  # it is the ID number's middle
    info = {r[0]: r[1] for r in _rows(wb["支部信息"], 3)}
    assert info["联系电话"] == idcard.mask_phone("010-66001234") == "010*****1234"
    raw = b"".join(zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist())
    assert b"19491231" not in raw and b"66001234" not in raw
    # every title cell that would read as a formula is stored as text, quote-prefixed
    for ws in wb.worksheets:
        for merged in ws.merged_cells.ranges:
            cell = ws.cell(merged.min_row, merged.min_col)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)
    assert wb["汇总"]["A1"].value.startswith("=HYPERLINK(1)支部")


def test_the_export_page_offers_the_base_on_the_notice(qtbot, filled, tmp_path, monkeypatch):
    from ledger_app.ui.context import AppContext
    from ledger_app.ui.pages.export import ExportPage

    page = ExportPage(AppContext(filled))
    qtbot.addWidget(page)
    page.set_year(2025)
    assert not page.show_base.isChecked()  # off by default: the base is an income
    monkeypatch.setattr(page, "ask_save_path", lambda *a: tmp_path / "公示.xlsx")
    page.show_base.click()
    page.export_xlsx()
    wb = openpyxl.load_workbook(tmp_path / "公示.xlsx")
    assert "月缴费基数(元)" in _header(wb["党费收缴公示"])
