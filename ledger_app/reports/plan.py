"""年度工作计划: the plan items of the period with what became of each (planned vs held),
rendered from the period model (``model.plan``)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from ..domain.plan import LATE, MISSING
from .common import section_heading
from .styles import FRAME_W, GREEN, MM, RED, P
from .tables import PagedTable, TextCell


def section(model, num: str, key: str) -> list[Flowable]:
    plan = model.plan
    out: list[Flowable] = [section_heading(key, num)]
    if not plan.planned:
        out.append(P(f"{model.label}没有登记工作计划。", "body"))
        return out
    missing = len(plan.missing)
    out.append(
        P(
            f"{model.label}计划开展 {plan.planned} 项，已开展 {plan.held} 项"
            f"（其中推迟开展 {plan.count(LATE)} 项），到期未开展 {missing} 项。",
            "body",
        )
    )
    header = ["月份", "类型", "主题", "主讲人 / 负责人", "完成情况", "备注"]
    body = [
        [
            f"{s.item.month}月",
            s.item.kind,
            TextCell(s.item.topic),
            s.item.lecturer,
            TextCell(s.detail, "cell_small"),
            TextCell(s.item.note, "cell_small"),
        ]
        for s in plan.statuses
    ]
    widths = [12 * MM, 24 * MM, 0, 24 * MM, 44 * MM, 26 * MM]
    widths[2] = FRAME_W - sum(widths)

    def look(i: int, row: list) -> list:
        st = plan.statuses[i].status
        if st == MISSING:
            return [("TEXTCOLOR", (4, 0), (4, 0), HexColor(RED))]
        if st in ("held", LATE):
            return [("TEXTCOLOR", (4, 0), (4, 0), HexColor(GREEN))]
        return []

    out.append(
        PagedTable(
            [header], body, widths, 8.5, align=[(0, "CENTER"), (1, "CENTER")], row_styles=look
        )
    )
    return out
