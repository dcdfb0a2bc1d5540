"""A text the clerk wrote (书记述职 / 年度工作总结) as a printable A4 PDF: a centred title, the
numbered parts (一、二、…) as headings, every other line a paragraph."""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph, Spacer

from ..files import check_target, replacing
from .styles import MM, styles, text

_PART = re.compile(r"^[一二三四五六七八九十]+、")


def story(body: str, title: str) -> list[Flowable]:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    st = styles()
    heading = ParagraphStyle("summary_title", parent=st["h1"], alignment=TA_CENTER)
    prose = ParagraphStyle("summary_body", parent=st["minutes"], fontSize=11, leading=19)
    out: list[Flowable] = []
    lines = body.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == title.strip():
        lines = lines[1:]  # the draft starts with the title: print it once, as the title
    out.append(Paragraph(text(title), heading))
    for line in lines:
        if not line.strip():
            out.append(Spacer(1, 2 * MM))
        elif _PART.match(line.strip()):
            out.append(Paragraph(text(line.strip()), st["h2"]))
        else:
            out.append(Paragraph(text(line), prose))
    return out


def write_text_pdf(
    out: str | Path,
    body: str,
    *,
    title: str,
    header_left: str,
    header_right: str,
    chain_head: str = "",
) -> Path:
    """Write ``body`` under ``title`` to ``out`` (temporary file, then renamed)."""
    from .fonts import register_font

    register_font()
    return write_story_pdf(
        out, story(body, title), title=title, header_left=header_left,
        header_right=header_right, chain_head=chain_head,
    )  # fmt: skip


def write_story_pdf(
    out: str | Path,
    flow: list[Flowable],
    *,
    title: str,
    header_left: str,
    header_right: str,
    chain_head: str = "",
) -> Path:
    """A short A4 document of ``flow`` (no cover) at ``out`` (temporary file, renamed)."""
    from .fonts import register_font
    from .layout import ReportCanvas, ReportDoc

    target = Path(out)
    check_target(target)
    register_font()
    with replacing(target, "正在被 PDF 阅读器打开") as tmp:
        doc = ReportDoc(
            str(tmp),
            header_left=header_left,
            header_right=header_right,
            cover=False,
            chain_head=chain_head,
            title=title,
            author=header_left,
            creator="支部台账",
            lang="zh-CN",
        )
        doc.build(flow, canvasmaker=ReportCanvas)
    return target
