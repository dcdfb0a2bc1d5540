"""The workbook sheets of 发展党员, 组织关系转接 and 党员关怀 (additive to the contract:
docs/台账格式.md marks them （新增）): their names and columns, spelled once for the
exporter and the importer (``services.import_registers``), and the builders that write them
from the period model.

Plain constants at the top (no openpyxl): the importer reads them without loading the
writer. With ``mask`` the 公民身份号码 and phone numbers in these sheets are masked too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..domain.period import PeriodModel

# --- sheets and columns (docs/台账格式.md, （新增）) ----------------------------------------

DEVELOPMENT = "发展党员"
STEPS = "发展党员纪实"
TRANSFERS = "组织关系转接"
FLOWS = "流动党员"
VISITS = "关怀帮扶"
HONORS = "表彰处分"
SHEETS = (DEVELOPMENT, STEPS, TRANSFERS, FLOWS, VISITS, HONORS)  # in workbook order
BIRTHDAYS = "政治生日"  # a form (computed from the roster): not imported

DEVELOPMENT_COLUMNS = (
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "公民身份号码",
    "学历",
    "人员类别",
    "工作单位及职务",
    "联系电话",
    "党小组",
    "终止日期",
    "终止原因",
    "备注",
)
STEP_COLUMNS = (
    "姓名",
    "公民身份号码",
    "步骤",
    "日期",
    "相关人员",
    "材料",
    "决定会议",
    "应到人数",
    "实到人数",
    "赞成票",
    "反对票",
    "弃权票",
    "结果",
    "延长月数",
    "备注",
)
TRANSFER_COLUMNS = (
    "类型",
    "姓名",
    "公民身份号码",
    "日期",
    "介绍信编号",
    "对方党组织",
    "回执日期",
    "备注",
)
FLOW_COLUMNS = (
    "姓名",
    "公民身份号码",
    "外出日期",
    "返回日期",
    "外出地点",
    "联系方式",
    "活动证编号",
    "备注",
)
VISIT_COLUMNS = (
    "日期",
    "姓名",
    "公民身份号码",
    "困难类型",
    "帮扶内容",
    "慰问金(元)",
    "走访人",
    "备注",
)
HONOR_COLUMNS = (
    "类型",
    "姓名",
    "公民身份号码",
    "日期",
    "名称",
    "授予或批准单位",
    "事由",
    "决定会议",
    "备注",
)

COLUMNS: dict[str, tuple[str, ...]] = {
    DEVELOPMENT: DEVELOPMENT_COLUMNS,
    STEPS: STEP_COLUMNS,
    TRANSFERS: TRANSFER_COLUMNS,
    FLOWS: FLOW_COLUMNS,
    VISITS: VISIT_COLUMNS,
    HONORS: HONOR_COLUMNS,
}
REQUIRED: dict[str, tuple[str, ...]] = {
    DEVELOPMENT: ("姓名",),
    STEPS: ("姓名", "步骤", "日期"),
    TRANSFERS: ("类型", "姓名", "日期"),
    FLOWS: ("姓名", "外出日期", "外出地点"),
    VISITS: ("日期", "姓名", "帮扶内容"),
    HONORS: ("类型", "姓名", "日期", "名称"),
}
COMPUTED: dict[str, tuple[str, ...]] = {
    DEVELOPMENT: ("当前阶段", "下一步"),
    TRANSFERS: ("回执情况",),
}


def _check() -> None:
    for sheet in SHEETS:
        cols = COLUMNS[sheet]
        if not set(REQUIRED[sheet]) <= set(cols) or set(COMPUTED.get(sheet, ())) & set(cols):
            raise RuntimeError(f"workbook.registers: {sheet}: columns disagree")


_check()

# --- building the sheets --------------------------------------------------------------------


class _Context:
    """What SheetWriter.finish needs of the export (branch, period label, masking)."""

    def __init__(self, model: PeriodModel, mask: bool):
        self.branch_name = model.branch_name
        self.label = model.label
        self.mask = mask

    def title(self, what: str) -> str:
        from .writer import MASK_NOTE

        return f"{self.branch_name}{self.label}{what}" + (MASK_NOTE if self.mask else "")

    def id_text(self, number: str | None) -> str | None:
        from ..domain.idcard import mask

        return mask(number) if self.mask else number

    def phone_text(self, phone: str | None) -> str | None:
        from ..domain.idcard import mask_phone

        return mask_phone(phone) if self.mask else phone


def _columns(sheet: str, looks: dict, computed: dict | None = None):
    from .writer import SEQ, Col

    cols = [Col(SEQ, "int", width=5)]
    for h in COLUMNS[sheet]:
        kind, width, max_width = looks.get(h, ("center", None, 30))
        cols.append(Col(h, kind, False, width, max_width))
    for h in COMPUTED.get(sheet, ()):
        kind, width, max_width = (computed or {}).get(h, ("center", None, 30))
        cols.append(Col(h, kind, True, width, max_width))
    return cols


_DATE = ("date", 11.5, 30)
_ID = ("idtext", 20, 30)
_WRAP = ("wrap", None, 24)


def _members(model: PeriodModel) -> dict:
    return {m.id: m for m in model.inputs.members}


def build_development_sheets(book, model: PeriodModel, mask: bool = False) -> None:
    """发展党员 (the people followed in the period) and 发展党员纪实 (their steps up to the
    period's end)."""
    from ..domain import development as D
    from .writer import SheetWriter

    ctx = _Context(model, mask)
    fig = model.development
    looks = {
        "出生日期": _DATE,
        "公民身份号码": _ID,
        "工作单位及职务": _WRAP,
        "联系电话": ("idtext", 13, 30),
        "终止日期": _DATE,
        "备注": _WRAP,
    }
    cols = _columns(DEVELOPMENT, looks, {"下一步": ("wrap", None, 22)})
    w = SheetWriter(book, DEVELOPMENT, cols, ctx.title("发展党员工作登记簿"))
    w.write_title()
    w.write_header()
    people = sorted(fig.people, key=lambda p: (p.started or model.period.end, p.name))
    for i, p in enumerate(people, 1):
        a = p.applicant
        nxt = p.next_step()
        w.write_row(
            [
                i,
                a.name,
                a.gender,
                a.ethnicity,
                a.birth_date,
                ctx.id_text(a.id_number),
                a.education,
                a.category,
                a.unit,
                ctx.phone_text(a.phone),
                a.group_name,
                a.ended_on,
                a.end_reason,
                a.note,
                p.stage_on(model.as_of),
                nxt.label if nxt is not None and p.stage != D.ENDED else None,
            ]
        )
    w.finish(ctx, landscape=True, freeze="C3")

    looks = {
        "公民身份号码": _ID,
        "步骤": ("text", None, 26),
        "日期": _DATE,
        "相关人员": ("wrap", None, 16),
        "材料": ("wrap", None, 14),
        "决定会议": ("center", 18, 30),
        "应到人数": ("int", 6.5, 30),
        "实到人数": ("int", 6.5, 30),
        "赞成票": ("int", 6.5, 30),
        "反对票": ("int", 6.5, 30),
        "弃权票": ("int", 6.5, 30),
        "延长月数": ("int", 6.5, 30),
        "备注": _WRAP,
    }
    w = SheetWriter(book, STEPS, _columns(STEPS, looks), ctx.title("发展党员工作纪实"))
    w.write_title()
    w.write_header()
    data = model.inputs.registers
    n = 0
    for p in people:
        for s in fig.history(p):
            n += 1
            w.write_row(
                [
                    n,
                    p.name,
                    ctx.id_text(p.applicant.id_number),
                    D.STEP[s.no].label,
                    s.date,
                    s.people,
                    s.document,
                    data.meeting_text(s.record_id, s.meeting) or None,
                    s.expected,
                    s.present,
                    s.yes,
                    s.no_votes,
                    s.abstain,
                    s.result,
                    s.months,
                    s.note,
                ]
            )
    w.finish(ctx, landscape=True, freeze="C3")


def build_transfer_sheets(book, model: PeriodModel, mask: bool = False) -> None:
    """组织关系转接 (dated in the period) and 流动党员 (away during it)."""
    from ..domain import transfers as T
    from .writer import SheetWriter

    ctx = _Context(model, mask)
    fig = model.transfers
    members = _members(model)
    looks = {
        "公民身份号码": _ID,
        "日期": _DATE,
        "对方党组织": ("wrap", None, 26),
        "回执日期": _DATE,
        "备注": _WRAP,
    }
    cols = _columns(TRANSFERS, looks, {"回执情况": ("center", None, 24)})
    w = SheetWriter(book, TRANSFERS, cols, ctx.title("党员组织关系转接登记簿"))
    w.write_title()
    w.write_header()
    for i, t in enumerate(fig.transfers, 1):
        m = members.get(t.member_id)
        w.write_row(
            [
                i,
                t.direction,
                t.member_name or (m.name if m else ""),
                ctx.id_text(m.id_number if m else None),
                t.date,
                t.letter_no,
                t.org,
                t.receipt_date,
                t.note,
                fig.receipt(t),
            ]
        )
    w.finish(ctx, landscape=True)

    looks = {
        "公民身份号码": _ID,
        "外出日期": _DATE,
        "返回日期": _DATE,
        "外出地点": ("wrap", None, 26),
        "联系方式": ("wrap", None, 24),
        "备注": _WRAP,
    }
    w = SheetWriter(book, FLOWS, _columns(FLOWS, looks), ctx.title("流动党员登记簿"))
    w.write_title()
    w.write_header()
    for i, f in enumerate(fig.flows, 1):
        m = members.get(f.member_id)
        w.write_row(
            [
                i,
                f.member_name or (m.name if m else ""),
                ctx.id_text(m.id_number if m else None),
                f.start_date,
                f.end_date,
                f.place,
                T.mask_contact(f.contact) if mask else f.contact,
                f.card_no,
                f.note,
            ]
        )
    w.finish(ctx, landscape=True)


def build_care_sheets(book, model: PeriodModel, mask: bool = False) -> None:
    """关怀帮扶, 表彰处分 (of the period) and the 政治生日 list of each of its months."""
    from .writer import SEQ, Col, SheetWriter

    ctx = _Context(model, mask)
    fig = model.care
    members = _members(model)
    data = model.inputs.registers
    looks = {
        "日期": _DATE,
        "公民身份号码": _ID,
        "帮扶内容": ("wrap", 30, 30),
        "慰问金(元)": ("money", 11, 30),
        "备注": _WRAP,
    }
    w = SheetWriter(book, VISITS, _columns(VISITS, looks), ctx.title("党员关怀帮扶登记簿"))
    w.write_title()
    w.write_header()
    for i, v in enumerate(fig.visits, 1):
        m = members.get(v.member_id)
        w.write_row(
            [
                i,
                v.date,
                v.member_name or (m.name if m else ""),
                ctx.id_text(m.id_number if m else None),
                v.hardship,
                v.content,
                v.amount_fen / 100 if v.amount_fen is not None else None,
                v.visitor,
                v.note,
            ]
        )
    w.finish(ctx, landscape=True)

    looks = {
        "公民身份号码": _ID,
        "日期": _DATE,
        "授予或批准单位": ("wrap", None, 20),
        "事由": ("wrap", 30, 30),
        "决定会议": ("center", 18, 30),
        "备注": _WRAP,
    }
    w = SheetWriter(book, HONORS, _columns(HONORS, looks), ctx.title("党员表彰和处分登记簿"))
    w.write_title()
    w.write_header()
    for i, h in enumerate(fig.honors, 1):
        m = members.get(h.member_id)
        w.write_row(
            [
                i,
                h.kind,
                h.member_name or (m.name if m else ""),
                ctx.id_text(m.id_number if m else None),
                h.date,
                h.title,
                h.issuer,
                h.reason,
                data.meeting_text(h.record_id, h.meeting) or None,
                h.note,
            ]
        )
    w.finish(ctx, landscape=True)

    cols = [
        Col(SEQ, "int", width=5),
        Col("月份", "center", width=7),
        Col("政治生日", "date", width=11.5),
        Col("姓名", "center"),
        Col("党小组", "center"),
        Col("入党日期", "date", width=11.5),
        Col("入党周年", "int", width=9),
    ]
    w = SheetWriter(book, BIRTHDAYS, cols, ctx.title("党员政治生日名单"))
    w.write_title()
    w.write_header()
    n = 0
    for month, found in fig.birthdays.items():
        for b in found:
            n += 1
            m = b.member
            w.write_row([n, f"{month}月", b.day, m.name, m.group_name, m.join_date, b.years])
    w.finish(ctx, landscape=False)


def build_register_sheets(book, model: PeriodModel, mask: bool = False) -> None:
    """Every sheet of the three registers, in workbook order."""
    build_development_sheets(book, model, mask)
    build_transfer_sheets(book, model, mask)
    build_care_sheets(book, model, mask)
