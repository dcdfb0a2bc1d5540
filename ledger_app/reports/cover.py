"""The cover: branch, period, secretary, date produced, and the contents."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    Flowable,
    Spacer,
    Table,
    TableStyle,
)

from ..domain.dates import format_date_cn
from ..domain.period import PeriodModel
from .fonts import SERIF
from .layout import Contents, Heading
from .styles import FRAME_W, MM, P, styles, text


def cover(model: PeriodModel, contents: list[tuple[str, str, int]]) -> list[Flowable]:
    st = styles()
    p = model.period
    rows = [
        ["支部名称", model.branch_name],
        ["上级党组织", model.branch.info.get("上级党组织", "") or "—"],
        ["支部书记", model.roster.secretary or "—"],
        ["检查期间", f"{format_date_cn(p.start)}至{format_date_cn(p.end)}"],
        ["在册党员", f"{len(model.roster.on_roll)} 名（截至{format_date_cn(model.as_of)}）"],
        ["生成日期", format_date_cn(model.today)],
    ]
    info = Table(
        [[P(k, "label"), P(v, "body")] for k, v in rows],
        colWidths=[32 * MM, 98 * MM],
        hAlign="CENTER",
    )
    info.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SERIF),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, HexColor("#c9b5b1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    out: list[Flowable] = [
        Heading(text(model.branch_name), st["cover_sub"], key="cover", level=0, outline="封面"),
        Spacer(1, 30 * MM),
        P("党建工作台账", "cover_title"),
        P("检查汇总", "cover_title"),
        Spacer(1, 6 * MM),
        P(model.report_label, "cover_sub"),
        Spacer(1, 22 * MM),
        info,
    ]
    if contents:
        out += [
            Spacer(1, 16 * MM),
            P("目　录", "h2"),
            Spacer(1, 2 * MM),
            Contents(contents, FRAME_W),
        ]
    out += [
        Spacer(1, 12 * MM),
        P(
            f"本汇总由“支部台账”根据台账记录自动生成，数据截至{format_date_cn(model.today)}。"
            "补记（活动结束 30 天后录入）的记录均已标明。",
            "cover_note",
        ),
    ]
    # the cover has fixed content: start it lower on the page
    return [Spacer(1, 12 * MM), *out]
