"""自评表: the period's self-assessment (年总评 of a year, the saved 月自评 of its months),
rendered from the period model (``model.assessment``, ``model.month_assessments``)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer

from ..domain.assessment import GRADE_FAIL, Assessment, format_points
from ..domain.dates import format_date_cn
from .common import h2, section_heading
from .styles import FRAME_W, MM, RED, P
from .tables import PagedTable, TextCell

TITLE = "自评定级"


def _review_line(a: Assessment) -> str:
    r = a.review
    if r is None or r.assessed_on is None:
        return "尚未评定。"
    who = f"，评定人：{r.assessor}" if r.assessor else ""
    return f"{format_date_cn(r.assessed_on)}评定{who}。" + (f"{r.remark}" if r.remark else "")


def table(a: Assessment) -> list[Flowable]:
    """One period's 自评表: each criterion with its points, score and basis; 加分/减分;
    the total and the grade."""
    header = ["类别", "评分项目", "分值", "得分", "取数依据 / 说明"]
    body = []
    for line in a.lines:
        c = line.criterion
        basis = line.basis
        if line.note:
            basis = (basis + "；" if basis else "") + f"{line.how}：{line.note}"
        elif line.how != "台账取数":
            basis = (basis + "；" if basis else "") + line.how
        body.append(
            [
                c.category,
                TextCell(c.name),
                format_points(c.points),
                format_points(line.score) if line.score is not None else "待评",
                TextCell(basis, "cell_small"),
            ]
        )
    for adj in a.adjustments:
        body.append(
            [
                adj.kind,
                TextCell(adj.reason),
                "",
                ("+" if adj.points > 0 else "") + format_points(adj.points),
                "",
            ]
        )
    footer = [
        [
            "合计",
            f"满分 {format_points(a.max_points)} 分",
            "",
            format_points(a.total),
            f"等级：{a.grade_text}（{a.thresholds.text()}）",
        ]
    ]
    widths = [18 * MM, 48 * MM, 12 * MM, 13 * MM, 0]
    widths[4] = FRAME_W - sum(widths)
    pending = {id(line) for line in a.pending}

    def styles(i: int, row: list) -> list:
        if i < len(a.lines) and id(a.lines[i]) in pending:
            return [("TEXTCOLOR", (3, 0), (3, 0), HexColor(RED))]
        return []

    out: list[Flowable] = [
        PagedTable(
            [header],
            body,
            widths,
            8.5,
            align=[(0, "CENTER"), (2, "CENTER"), (3, "CENTER")],
            row_styles=styles,
            footer=footer,
        ),
        Spacer(1, 1.5 * MM),
        P(_review_line(a), "note"),
    ]
    return out


def section(model, num: str, key: str) -> list[Flowable]:
    """The 自评表 section of ``model``'s period."""
    out: list[Flowable] = [section_heading(key, num)]
    shown: list[Assessment] = []
    year = model.assessment if model.period.kind == "year" else None
    if year is not None:
        shown.append(year)
    shown += model.month_assessments
    if not shown or (year is not None and len(shown) == 1 and not _worth(year)):
        out.append(P(f"{model.label}未开展自评（程序“自评定级”页）。", "body"))
        return out
    months = model.month_assessments
    if months:
        out += h2("月自评汇总", key=f"{key}.months")
        header = ["月份", "得分", "等级", "评定"]
        body = [
            [
                f"{a.period.index}月",
                format_points(a.total),
                a.grade_text,
                TextCell(_review_line(a), "cell_small"),
            ]
            for a in months
        ]
        widths = [20 * MM, 18 * MM, 40 * MM, 0]
        widths[3] = FRAME_W - sum(widths)
        out.append(
            PagedTable(
                [header],
                body,
                widths,
                8.5,
                align=[(0, "CENTER"), (1, "CENTER"), (2, "CENTER")],
                row_styles=lambda i, row: (
                    [("TEXTCOLOR", (2, 0), (2, 0), HexColor(RED))]
                    if months[i].grade in (None, GRADE_FAIL)
                    else []
                ),
            )
        )
    for a in shown:
        out += h2(a.title, key=f"{key}.{a.key}")
        out += table(a)
    return out


def write_pdf(out, a: Assessment, *, branch: str, chain_head: str = ""):
    """One period's 自评表 alone, to print and sign."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from .styles import styles, text
    from .summary import write_story_pdf

    title = f"{branch}{a.title}表"
    heading = ParagraphStyle("assess_title", parent=styles()["h1"], alignment=TA_CENTER)
    flow: list[Flowable] = [Paragraph(text(title), heading), Spacer(1, 2 * MM), *table(a)]
    flow += [
        Spacer(1, 12 * MM),
        P("支部书记（签字）：　　　　　　　　　　评定日期：　　　年　　月　　日", "sign"),
    ]
    return write_story_pdf(
        out, flow, title=title, header_left=branch, header_right=a.title, chain_head=chain_head
    )


def _worth(a: Assessment) -> bool:
    """Was anything saved for this period (a score, an item, a 评定)?"""
    return bool(
        a.review or a.adjustments or any(line.hand is not None or line.note for line in a.lines)
    )
