"""The workbook sheets of issue 18 (additive to the format, docs/台账格式.md （新增）):

- 民主评议: each member's 等次 of the year, with the follow-up; a 合计 line below
  (the share of 优秀 against the cap) ends the data, so it imports back.
- 整改清单: the 整改 items of the period (来源, 问题, 措施, 责任人, 时限, 状态 …; 逾期 is a
  computed † column: it is derived, never stored).
- 频次要求: every frequency rule, the contract's seven and those the branch added
  (学习教育, its own kinds): a workbook with records of a kind of the branch's own imports
  into another ledger.

Built from the period model (``build_followup_sheets(book, model, mask)``); the names are
spelled once here, for the writer and ``services.import_followup``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import idcard

# --- names ----------------------------------------------------------------------------------

APPRAISAL = "民主评议"
RECTIFICATION = "整改清单"
RULES = "频次要求"
SHEETS = (APPRAISAL, RECTIFICATION, RULES)

APPRAISAL_COLUMNS = (
    "年度",
    "姓名",
    "公民身份号码",
    "等次",
    "说明",
    "谈话日期",
    "谈话人",
    "处理",
    "改正期限",
    "改正情况",
)
APPRAISAL_REQUIRED = ("年度", "姓名", "等次")

RECTIFICATION_COLUMNS = (
    "来源",
    "问题",
    "整改措施",
    "责任人",
    "提出日期",
    "整改时限",
    "状态",
    "完成日期",
    "整改情况",
    "来源说明",
    "来源记录",
    "问题编号",
)
RECTIFICATION_REQUIRED = ("来源", "问题")
OVERDUE_COLUMN = "逾期"  # computed (†)

RULES_COLUMNS = ("项目", "周期", "至少次数")
RULES_REQUIRED = RULES_COLUMNS
PERIOD_WORDS = {"month": "每月", "quarter": "每季度", "year": "每年"}

# the columns issue 18 adds to contract sheets (optional on import)
ROSTER_CADRE = "党员领导干部"  # 党员名册: 是 / blank
GUESTS = "列席人员"  # 三会一课, 其他组织生活: names with their unit in brackets
VOTES = "表决情况"  # 三会一课: 事项：同意18，反对0，弃权1；……
BRIEF = "记录过简"  # computed (†) on the three record sheets: why the minutes are too brief

COLUMNS = {
    APPRAISAL: APPRAISAL_COLUMNS,
    RECTIFICATION: RECTIFICATION_COLUMNS,
    RULES: RULES_COLUMNS,
}
REQUIRED = {
    APPRAISAL: APPRAISAL_REQUIRED,
    RECTIFICATION: RECTIFICATION_REQUIRED,
    RULES: RULES_REQUIRED,
}


def record_label(record) -> str:
    """How 来源记录 names a record: ``2025-12-18 组织生活会``."""
    return f"{record.date.isoformat()} {record.kind}"


# --- building ---------------------------------------------------------------------------------


@dataclass
class _Frame:
    """What SheetWriter.finish needs to print a sheet's header and footer."""

    branch_name: str
    label: str
    mask: bool


def build_followup_sheets(book, model, mask: bool = False) -> None:
    """The three sheets of issue 18, after the contract's sheets."""
    build_appraisal_sheet(book, model, mask)
    build_rectification_sheet(book, model, mask)
    build_rules_sheet(book, model, mask)


def _title(model, what: str, mask: bool) -> str:
    from .writer import MASK_NOTE

    return f"{model.branch_name}{what}" + (MASK_NOTE if mask else "")


def build_appraisal_sheet(book, model, mask: bool = False) -> None:
    from .writer import SEQ, Col, SheetWriter

    fig = model.appraisal
    cols = [
        Col(SEQ, "int", width=5),
        Col("年度", "int", width=6),
        Col("姓名", "center"),
        Col("公民身份号码", "idtext", width=20),
        Col("等次", "center", width=10),
        Col("说明", "wrap", max_width=20),
        Col("谈话日期", "date", width=11.5),
        Col("谈话人", "center"),
        Col("处理", "center", width=9),
        Col("改正期限", "date", width=11.5),
        Col("改正情况", "wrap", max_width=24),
    ]
    w = SheetWriter(book, APPRAISAL, cols, _title(model, f"{fig.year}年民主评议党员等次", mask))
    w.write_title()
    w.write_header()
    for i, a in enumerate(fig.entries, 1):
        m = fig.members.get(a.member_id)
        number = m.id_number if m else None
        w.write_row(
            [
                i,
                a.year,
                fig.name(a),
                idcard.mask(number) if mask and number else number,
                a.grade,
                a.reason,
                a.talk_date,
                a.talk_by,
                a.measure,
                a.deadline,
                a.result,
            ]
        )
    counts = "，".join(f"{g} {n} 人" for g, n in fig.counts if n)
    summary = f"{counts or '尚未评定'}；{fig.share_text}" + ("，超过上限" if fig.over_cap else "")
    w.write_row(
        ["合计", None, f"{len(fig.entries)}人", None, None, summary, *[None] * 5], total=True
    )
    w.finish(_Frame(model.branch_name, model.label, mask), landscape=True, freeze="D3")


def build_rectification_sheet(book, model, mask: bool = False) -> None:
    from .writer import SEQ, Col, SheetWriter

    cols = [
        Col(SEQ, "int", width=5),
        Col("来源", "center", width=12),
        Col("问题", "wrap", max_width=30),
        Col("整改措施", "wrap", max_width=30),
        Col("责任人", "center"),
        Col("提出日期", "date", width=11.5),
        Col("整改时限", "date", width=11.5),
        Col("状态", "center", width=8),
        Col("完成日期", "date", width=11.5),
        Col("整改情况", "wrap", max_width=30),
        Col("来源说明", "wrap", max_width=20),
        Col("来源记录", "center", width=20),
        Col("问题编号", "text", max_width=24),
        Col(OVERDUE_COLUMN, "center", computed=True, width=6),
    ]
    w = SheetWriter(book, RECTIFICATION, cols, _title(model, f"{model.label}整改清单", mask))
    w.write_title()
    w.write_header()
    records = {r.id: r for r in model.inputs.records}
    today = model.today
    for i, item in enumerate(model.rectifications, 1):
        rec = records.get(item.record_id) if item.record_id is not None else None
        w.write_row(
            [
                i,
                item.source,
                item.problem,
                item.measure,
                item.owner,
                item.found_on,
                item.deadline,
                item.status,
                item.done_on,
                item.result,
                item.source_note,
                record_label(rec) if rec else None,
                item.source_key,
                "是" if item.overdue(today) else None,
            ]
        )
    w.finish(_Frame(model.branch_name, model.label, mask), landscape=True, freeze="C3")


def build_rules_sheet(book, model, mask: bool = False) -> None:
    from ..domain.compliance import ITEMS
    from .writer import Col, SheetWriter

    cols = [Col("项目", "center", width=14), Col("周期", "center", width=8)]
    cols.append(Col("至少次数", "int", width=9))
    w = SheetWriter(book, RULES, cols, _title(model, "组织生活频次要求", mask))
    w.write_title()
    w.write_header()
    rank = {item: i for i, item in enumerate(ITEMS)}
    for rule in sorted(model.inputs.rules, key=lambda r: rank.get(r.item, len(rank))):
        w.write_row([rule.item, PERIOD_WORDS.get(rule.period, rule.period), rule.required])
    w.finish(_Frame(model.branch_name, model.label, mask), landscape=False)


__all__ = [
    "APPRAISAL",
    "BRIEF",
    "GUESTS",
    "RECTIFICATION",
    "ROSTER_CADRE",
    "RULES",
    "SHEETS",
    "VOTES",
    "build_appraisal_sheet",
    "build_followup_sheets",
    "build_rectification_sheet",
    "build_rules_sheet",
    "record_label",
]
