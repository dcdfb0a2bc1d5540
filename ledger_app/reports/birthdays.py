"""The printable 政治生日 list of one month: one A4 page (or more) to pin up or hand to
whoever sends the greetings, with a column to sign."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..domain.care import Birthday
from ..domain.dates import format_date


def write_birthday_list(
    found: Sequence[Birthday], branch: str, year: int, month: int, out_path: str | Path
) -> Path:
    """Write the list of ``found`` (one month's 政治生日) to ``out_path``, never half a file."""
    from reportlab.platypus import Spacer

    from ..files import check_target, replacing
    from .fonts import register_font
    from .layout import ReportCanvas, ReportDoc
    from .styles import FRAME_W, MM, P, make_table

    out = Path(out_path)
    check_target(out)
    register_font()
    title = f"{branch}{year}年{month}月党员政治生日名单"
    story = [
        P(title, "record_title"),
        P(
            f"以下党员在{year}年{month}月迎来“政治生日”（入党纪念日）。"
            "支部可送上一张政治生日贺卡、重温入党誓词，或请其讲一讲入党时的初心。",
            "body",
        ),
        Spacer(1, 4 * MM),
    ]
    if found:
        rows = [
            [
                str(i),
                b.member.name,
                b.member.group_name or "",
                format_date(b.day),
                format_date(b.member.join_date),
                f"{b.years}周年",
                "",
            ]
            for i, b in enumerate(found, 1)
        ]
        widths = [12, 26, 30, 26, 26, 20]
        cols = [w * MM for w in widths]
        cols.append(FRAME_W - sum(cols))
        header = ["序号", "姓名", "党小组", "政治生日", "入党日期", "入党", "签名或备注"]
        story.append(make_table([header, *rows], cols, font_size=10))
    else:
        story.append(P("本月没有党员过政治生日。", "ok"))
    with replacing(out, "正在 PDF 阅读器中打开") as tmp:
        doc = ReportDoc(
            str(tmp),
            header_left=branch,
            header_right=f"{year}年{month}月党员政治生日名单",
            cover=False,
            title=title,
            author=branch,
            creator="支部台账",
            lang="zh-CN",
        )
        doc.build(story, canvasmaker=ReportCanvas)
    return out
