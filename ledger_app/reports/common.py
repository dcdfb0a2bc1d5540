"""Pieces shared by the sections of the PDF: headings, small formatters, colours."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
)

from .data import SECTION_TITLES
from .layout import Heading
from .styles import MM, P, styles, text

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
    """A sub-heading that starts a new page when less than 30 mm are left (a heading is
    not glued to what follows: that would push a long table whole onto the next page)."""
    return [
        CondPageBreak(30 * MM),
        Heading(text(title), styles()["h2"], key=key, level=level, outline=title),
    ]


def para_block(label: str, value: str | None, missing: bool = False) -> list[Flowable]:
    body = text(value) if value and value.strip() else (MISSING_MARK if missing else "无")
    return [P(f"<b>{text(label)}</b>", "h3", markup=True), P(body, "minutes", markup=True)]


def no_items(msg: str):
    return P(msg, "ok")


def section_heading(key: str, num: str) -> Heading:
    """The numbered heading that opens a section (一、基本情况 …): bookmark and contents."""
    title = f"{num}、{SECTION_TITLES[key]}"
    return Heading(
        text(title), styles()["h1"], key=key, level=0, outline=title, toc=True, tick=title
    )


def clip(value: str | None, limit: int = 80) -> str:
    """User text for a table cell of a long table: at most ``limit`` characters (the
    record's own page prints it in full; a cell taller than a page cannot be laid out)."""
    value = (value or "").strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"
