"""上级党委汇总表: the committee's own workbook (not a branch ledger: nothing imports it) —
年排序, one sheet per quarter, the workbooks that could not be read, and what the columns
mean. Rendered from a :class:`~ledger_app.domain.committee.CommitteeReport`."""

from __future__ import annotations

from pathlib import Path

from ..domain.committee import CommitteeReport, PeriodFigures, rank

RANKING = "年排序"
QUARTER_SHEETS = ("第一季度", "第二季度", "第三季度", "第四季度")
FAILED = "未汇总"
NOTES = "说明"

_LOOKS: dict[str, tuple] = {
    "排名": ("int", 5),
    "支部": ("wrap", None, 26),
    "在册党员": ("int", 7),
    "应判断": ("int", 7),
    "达标": ("int", 6),
    "达标率": ("percent", 8),
    "应开展未开展": ("int", 8),
    "党员预警": ("int", 7),
    "应缴(元)": ("money", 11),
    "欠缴(元)": ("money", 10),
    "收缴率": ("percent", 8),
    "志愿服务(小时)": ("hours", 9),
    "服务人数": ("int", 7),
    "记录": ("int", 6),
    "不完整": ("int", 6),
    "出席率": ("percent", 8),
    "计划/开展": ("center", 9),
    "台账得分": ("hours", 8),
    "台账等级": ("center", 8),
    "自评得分": ("hours", 8),
    "自评等级": ("center", 8),
    "自评情况": ("wrap", None, 18),
    "内容校验码": ("center", 10),
    "报送期间": ("center", 12),
    "文件": ("wrap", None, 30),
}
HEADERS = tuple(_LOOKS)


def _cols(headers):
    from .writer import Col

    out = []
    for h in headers:
        kind, width, *rest = _LOOKS.get(h, ("text", None))
        out.append(Col(h, kind, False, width, *rest))
    return out


def _row(i: int, b, f: PeriodFigures) -> list:
    if not f.covered:
        figures: list = [None] * 16
    else:
        figures = [
            f.members,
            f.judged,
            f.met,
            f.compliance_permille / 1000 if f.compliance_permille is not None else None,
            f.gaps,
            f.alerts,
            f.due / 100,
            f.arrears / 100,
            f.dues_permille / 1000 if f.dues_permille is not None else None,
            f.volunteer_half_hours / 2,
            f.volunteer_people,
            f.records,
            f.incomplete,
            f.attendance_permille / 1000 if f.attendance_permille is not None else None,
            f"{f.plan_held}/{f.planned}" if f.planned else None,
            f.score / 10,
        ]
    return [
        i,
        b.branch,
        *figures,
        f.grade if f.covered else "未报送",
        b.self_total / 10 if b.self_total is not None else None,
        b.self_grade or None,
        b.self_state,
        b.code_status,
        b.covers_label + ("（脱敏）" if b.masked else ""),
        b.file,
    ]


def _sheet(book, name: str, title: str, report: CommitteeReport, key: str | None) -> None:
    from .writer import PageFrame, TableSheet

    w = TableSheet(book, PageFrame(title, name), name, _cols(HEADERS), title)
    for b in rank(list(report.branches), key):
        f = (b.period(key) if key else None) or b.year
        w.write_row(_row(b.rank, b, f))
    w.finish(landscape=True, freeze="C3")


def write_summary(report: CommitteeReport, out: Path) -> Path:
    """The summary workbook at ``out`` (temporary file, then renamed)."""
    from .grid import Book
    from .styles import register_styles
    from .writer import Col, PageFrame, TableSheet, save_atomic

    book = Book()
    register_styles(book.wb)
    y = report.year
    _sheet(book, RANKING, f"{y}年各党支部台账汇总与排序", report, None)
    for q, name in enumerate(QUARTER_SHEETS, 1):
        _sheet(book, name, f"{y}年{name}各党支部台账汇总", report, f"{y}-Q{q}")

    w = TableSheet(
        book,
        PageFrame("", FAILED),
        FAILED,
        [
            Col("文件", "wrap", False, None, 40),
            Col("原因", "wrap", False, None, 40),
            Col("错误", "wrap", False, None, 70),
        ],  # fmt: skip
        f"{y}年未能汇总的工作簿",
    )
    for fail in report.failures:
        errors = fail.errors or [""]
        for j, e in enumerate(errors[:200]):
            w.write_row(
                [fail.file if j == 0 else None, fail.message if j == 0 else None, e or None]
            )
        if len(errors) > 200:
            w.write_row([None, None, f"…… 另有 {len(errors) - 200} 处"])
    if not report.failures:
        w.write_row([None, "全部工作簿均已汇总", None])
    w.finish(landscape=True)

    w = TableSheet(
        book,
        PageFrame("", NOTES),
        NOTES,
        [Col("项目", "center", False, 16), Col("说明", "wrap", False, 90)],
        "说明",
    )
    for row in NOTE_ROWS:
        w.write_row(list(row))
    w.write_row(["汇总时间", f"按 {report.today} 计；文件夹：{report.folder}"])
    w.finish(landscape=False)
    book.wb.active = 0
    book.wb.properties.title = f"{y}年各党支部台账汇总"
    book.wb.properties.creator = "支部台账"
    return save_atomic(book, out)


NOTE_ROWS = (
    (
        "数据来源",
        "每个支部报送的 Excel 台账，按“导入”的同一套规则逐表检查后读入；有任何错误的工作簿不汇总，错误列在“未汇总”表。各项数字由支部台账程序的同一套规则算出。",
    ),
    (
        "应判断 / 达标",
        "期间已结束、需要判断的组织生活要求项数 / 其中按要求开展的项数（党小组会按各党小组分别计算，全年还包括谈心谈话覆盖）。",
    ),
    ("党员预警", "连续三个月以上未参加组织生活或未交党费的情况，每名党员每种情况一项。"),
    (
        "应缴 / 欠缴 / 收缴率",
        "期间内已结束月份的应缴党费、其中未缴足的部分，以及已缴部分所占比例。",
    ),
    (
        "台账得分",
        "按程序默认考评表中从工作簿能计算的项目（组织设置、组织生活按期开展、出席率、谈心谈话覆盖、党员预警、党费收缴率、记录完整、志愿服务）给分，折算为百分制；各支部用同一标准。等级：示范 ≥ 90，过硬 ≥ 80，达标 ≥ 60，其余未达标。",
    ),
    (
        "自评得分 / 等级",
        "支部自己填报的自评定级（工作簿中的“自评定级”表，年总评优先，否则最近一次月自评），按支部自己的考评标准计算。",
    ),
    (
        "内容校验码",
        "一致：工作簿内容与导出时相同；不符：导出后内容被改动过；无校验码：不是本程序导出，或由较早版本导出。",
    ),
)
