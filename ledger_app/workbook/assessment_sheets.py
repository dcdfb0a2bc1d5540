"""The workbook sheets of issue 20 (additive to the format, docs/台账格式.md （新增）):
自评定级 (the branch's points table, scores, 加分/减分, 评定, grade thresholds) and 年度计划
(the 年度工作计划 with what became of each item), written from the period model; and the
workbook's stamp (内容校验码, 台账期间) that the committee view checks.

Sheet and column names are spelled here once; ``services/import_assessment.py`` reads by
them (round trip exact; † columns and 合计 rows are computed and ignored on import).
"""

from __future__ import annotations

from ..domain.assessment import BONUS, GRADES, PENALTY, Assessment, source_label

# --- names ------------------------------------------------------------------------------------

ASSESS = "自评定级"
ASSESS_COLUMNS = (
    "期间",
    "类别",
    "评分项目",
    "评分标准",
    "分值",
    "取数",
    "人工评分",
    "说明",
    "评定日期",
    "评定人",
)
ASSESS_REQUIRED = ("期间", "类别", "评分项目")
ASSESS_COMPUTED = ("台账得分", "得分", "取数依据")
# 类别 of the rows that are not criteria
REVIEW = "评定"  # 评定日期, 评定人, 说明 (评定意见) of the period
LEVEL = "等级"  # 评分项目 示范/过硬/达标, 分值 the lowest total of that grade
TOTAL = "合计"  # computed: the period's total and grade (ignored on import)
SPECIAL = (BONUS, PENALTY, REVIEW, LEVEL, TOTAL)

PLAN = "年度计划"
PLAN_COLUMNS = ("年度", "月份", "类型", "主题", "主讲人", "备注")
PLAN_REQUIRED = ("年度", "月份", "类型")
PLAN_COMPUTED = ("完成情况",)

SHEETS = (ASSESS, PLAN)
COLUMNS = {ASSESS: ASSESS_COLUMNS, PLAN: PLAN_COLUMNS}
REQUIRED = {ASSESS: ASSESS_REQUIRED, PLAN: PLAN_REQUIRED}

# the workbook's custom document properties (File › Properties › Custom in Excel/WPS)
STAMP_CODE = "内容校验码"
STAMP_PERIOD = "台账期间"
STAMP_BRANCH = "支部名称"
STAMP_VERSION = "内容校验码版本"  # domain.ledger_code.VERSION


def _pts(tenths: int | None) -> float | None:
    return None if tenths is None else tenths / 10


def _columns(headers, computed, looks: dict[str, tuple]):
    """Writer columns; ``looks[h]`` = (style kind, fixed width or None[, max width])."""
    from .writer import Col

    def col(h: str, is_computed: bool):
        kind, width, *rest = looks.get(h, ("text", None))
        return Col(h, kind, is_computed, width, *rest)

    return [col(h, False) for h in headers] + [col(h, True) for h in computed]


def _assessment_rows(a: Assessment) -> list[list]:
    label = a.period.label
    rows = []
    for line in a.lines:
        c = line.criterion
        rows.append(
            [
                label,
                c.category,
                c.name,
                c.standard or None,
                _pts(c.points),
                source_label(c.source),
                _pts(line.hand),
                line.note or None,
                None,
                None,
                _pts(line.auto),
                _pts(line.score),
                line.basis or None,
            ]
        )
    for adj in a.adjustments:
        rows.append([label, adj.kind, adj.reason, None, _pts(abs(adj.points))] + [None] * 8)
    r = a.review
    if r is not None:
        rows.append(
            [
                label,
                REVIEW,
                REVIEW,
                None,
                None,
                None,
                None,
                r.remark or None,
                r.assessed_on,
                r.assessor or None,
                None,
                None,
                None,
            ]  # fmt: skip
        )
    return rows


def build_assessment_sheet(book, model, *, mask: bool = False) -> bool:
    """自评定级: the 年总评 of a year and every 月自评 saved in the period; nothing when the
    branch saved no self-assessment in it. Returns whether the sheet was written."""
    shown: list[Assessment] = []
    year = model.assessment if model.period.kind == "year" else None
    data = model.inputs.assessment
    if year is not None and data is not None and data.saved(year.key):
        shown.append(year)
    shown += model.month_assessments
    if not shown:
        return False
    from .writer import TableSheet

    cols = _columns(
        ASSESS_COLUMNS,
        ASSESS_COMPUTED,
        {
            "期间": ("center", 12),
            "类别": ("center", 10),
            "评分项目": ("wrap", None, 24),
            "评分标准": ("wrap", None, 30),
            "分值": ("hours", 6),
            "取数": ("center", 14),
            "人工评分": ("hours", 8),
            "说明": ("wrap", None, 24),
            "评定日期": ("date", 11.5),
            "评定人": ("center", 8),
            "台账得分": ("hours", 8),
            "得分": ("hours", 6),
            "取数依据": ("wrap", None, 30),
        },
    )
    title = f"{model.branch_name}{model.label}自评定级表" + ("（脱敏版）" if mask else "")
    w = TableSheet(book, model, ASSESS, cols, title, mask=mask)
    for a in shown:
        for row in _assessment_rows(a):
            w.write_row(row)
    thresholds = shown[0].thresholds
    for grade, lowest in thresholds.as_dict().items():
        w.write_row([model.label, LEVEL, grade, None, _pts(lowest)] + [None] * 8)
    # below the data (the importer stops at the first 合计 row): each period's result
    for a in shown:
        w.write_row(
            [TOTAL, a.period.label, f"满分 {a.max_points / 10:g} 分", None, _pts(a.max_points),
             None, None, None, None, None, None, _pts(a.total), f"等级：{a.grade_text}"],
            total=True,
        )  # fmt: skip
    w.finish(landscape=True, freeze="D3")
    return True


def build_plan_sheet(book, model, *, mask: bool = False) -> bool:
    """年度计划: the period's plan items with 完成情况 (†); nothing without a plan."""
    plan = model.plan
    if not plan.planned:
        return False
    from .writer import TableSheet

    cols = _columns(
        PLAN_COLUMNS,
        PLAN_COMPUTED,
        {
            "年度": ("int", 6),
            "月份": ("int", 6),
            "类型": ("center", 12),
            "主题": ("wrap", None, 36),
            "主讲人": ("center", 10),
            "备注": ("wrap", None, 24),
            "完成情况": ("wrap", None, 36),
        },
    )
    title = f"{model.branch_name}{model.label}年度工作计划" + ("（脱敏版）" if mask else "")
    w = TableSheet(book, model, PLAN, cols, title, mask=mask)
    for s in plan.statuses:
        i = s.item
        w.write_row(
            [i.year, i.month, i.kind, i.topic or None, i.lecturer or None, i.note or None, s.detail]
        )
    w.finish(landscape=False)
    return True


def stamp(wb, model) -> str:
    """Put the 内容校验码 of ``model`` (and the period and branch) into the workbook's custom
    document properties; returns the code.

    HOOK(issue 15 台账校验码): issue 15 prints the audit chain's head as 台账校验码 (PDF
    footer, ``verify --code``). That code proves the *database* unchanged; this one the
    *workbook's content*, which is what a committee holding only the file can check. If
    issue 15 also writes a content code into the workbook, make it this function (one
    definition: domain.ledger_code.content_code) and keep the property name."""
    from openpyxl.packaging.custom import StringProperty

    from ..domain.ledger_code import VERSION, content_code

    code = content_code(model)
    props = wb.custom_doc_props
    for name, value in (
        (STAMP_CODE, code),
        (STAMP_VERSION, VERSION),
        (STAMP_PERIOD, model.period.key),
        (STAMP_BRANCH, model.branch_name),
    ):
        if name in props.names:
            del props[name]
        props.append(StringProperty(name=name, value=value))
    return code


def read_stamp(path) -> dict[str, str]:
    """The custom document properties of the workbook at ``path`` (name → text); empty when
    it has none or they cannot be read."""
    import zipfile
    from xml.etree import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as z:
            try:
                info = z.getinfo("docProps/custom.xml")
            except KeyError:
                return {}
            if info.file_size > 1_000_000:
                return {}
            xml = z.read(info)
    except (OSError, zipfile.BadZipFile):
        return {}
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        return {}  # never expand entities from a file someone sent
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return {}
    out = {}
    for prop in root:
        name = prop.get("name")
        if not name:
            continue
        value = "".join(child.text or "" for child in prop)
        out[name] = value.strip()
    return out


def build_review_sheets(book, model, mask: bool = False) -> None:
    """Issue 20's sheets (自评定级, 年度计划) and the 内容校验码 in the document properties."""
    build_assessment_sheet(book, model, mask=mask)
    build_plan_sheet(book, model, mask=mask)
    stamp(book.wb, model)


__all__ = [
    "ASSESS",
    "GRADES",
    "PLAN",
    "SHEETS",
    "build_assessment_sheet",
    "build_review_sheets",
    "build_plan_sheet",
    "read_stamp",
    "stamp",
]
