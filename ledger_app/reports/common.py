"""Pieces shared by the sections of the PDF: section names, headings, small formatters."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.paragraph import Paragraph

from .layout import Heading, KeepWithNext
from .styles import MM, P, styles, text

SECTIONS = (
    "cover",
    "overview",
    "problems",
    "followup",  # issue 18: 民主评议等次, 整改清单
    "records",
    "dues",
    "volunteer",
    *("development", "transfers", "care"),  # issue 19: the registers
    *("assessment", "plan"),  # 自评定级, 年度工作计划 (issue 20)
)
SECTION_TITLES = {
    "cover": "封面",
    "overview": "基本情况",
    "problems": "问题清单",
    "followup": "评议与整改",  # issue 18
    "records": "组织生活记录",
    "dues": "党费收缴",
    "volunteer": "志愿服务",
    "development": "发展党员工作",
    "transfers": "组织关系转接",
    "care": "党员关怀",
    "assessment": "自评定级",  # issue 20
    "plan": "年度工作计划",  # issue 20
}
_DIGITS = "一二三四五六七八九"
# 一 … 十, 十一 … 十九, 二十: the sections' numbers (a PDF of every part has more than ten)
NUMERALS = (*_DIGITS, "十", *(f"十{d}" for d in _DIGITS), "二十")
SUB = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）"]
MISSING_MARK = '<font color="#b3261e">（未填写）</font>'
LIGHT_RED = HexColor("#f6d5d1")
LIGHT_GREEN = HexColor("#e3f1e4")
WRITE_H = 9 * MM  # rows with a column to fill in by hand (整改情况)


def percent(permille: int | None) -> str:
    if permille is None:
        return "—"
    return f"{permille // 10}.{permille % 10}%"


def md(day) -> str:
    return f"{day.month}/{day.day}"


def h2(title: str, key: str | None = None, level: int = 1) -> list[Flowable]:
    """A sub-heading kept on the page with the start of what follows it (see
    :func:`link_headings`, which finds what follows once the story is complete)."""
    head = Heading(text(title), styles()["h2"], key=key, level=level, outline=title)
    return [KeepWithNext([head]), head]


def para_block(label: str, value: str | None, missing: bool = False) -> list[Flowable]:
    """A labelled paragraph (主要内容, 决议事项 …); the label never ends a page alone."""
    head, para = para_parts(label, value, missing)
    return [KeepWithNext([head], para), head, para]


def para_parts(label: str, value: str | None, missing: bool = False) -> tuple[Flowable, Flowable]:
    body = text(value) if value and value.strip() else (MISSING_MARK if missing else "无")
    return P(f"<b>{text(label)}</b>", "h3", markup=True), P(body, "minutes", markup=True)


def no_items(msg: str):
    return P(msg, "ok")


def section_heading(key: str, num: str) -> Heading:
    """The numbered heading that opens a section (一、基本情况 …): bookmark and contents."""
    title = f"{num}、{SECTION_TITLES[key]}"
    return Heading(
        text(title), styles()["h1"], key=key, level=0, outline=title, toc=True, tick=title
    )


_HEAD_STYLES = frozenset({"note", "label", "h3"})


def link_headings(story: list[Flowable]) -> list[Flowable]:
    """Give each :class:`KeepWithNext` left open by :func:`h2` what it keeps: the heading,
    the notes and spacers right below it, and the first flowable of substance after them."""
    for i, f in enumerate(story):
        if not isinstance(f, KeepWithNext) or f.following is not None:
            continue
        j = i + 1 + len(f.head)
        while j < len(story):
            g = story[j]
            small = (isinstance(g, Spacer) and not getattr(g, "locChanger", 0)) or (
                isinstance(g, Paragraph)
                and (g.style.name in _HEAD_STYLES or _intro(g, story[j + 1 : j + 3]))
            )
            if not small:
                break
            f.head.append(g)
            j += 1
        if j < len(story) and not (
            isinstance(story[j], KeepWithNext) or getattr(story[j], "locChanger", 0)
        ):
            f.following = story[j]
    return story


def _intro(p: Paragraph, after: list[Flowable]) -> bool:
    """A short paragraph that introduces a table (``本期整改事项 3 项：…``; ``after``: what
    follows it, a spacer between allowed): kept with the heading above and the table's
    first rows."""
    from reportlab.platypus import Table

    from .tables import PagedTable

    after = [f for f in after if not (isinstance(f, Spacer) and not getattr(f, "locChanger", 0))]
    return (
        bool(after)
        and isinstance(after[0], PagedTable | Table)
        and len(p.getPlainText()) <= INTRO_CHARS
    )


INTRO_CHARS = 160  # about three lines of body text


def clip(value: str | None, limit: int = 80) -> str:
    """User text for a table cell of a long table: at most ``limit`` characters (the
    record's own page prints it in full; a cell taller than a page cannot be laid out)."""
    value = (value or "").strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"
