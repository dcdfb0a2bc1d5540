"""党员关怀: 政治生日 (the anniversary of 入党日期), 关怀帮扶 visits, 表彰 and 处分.

A 处分 is only recorded here, with the meeting that decided it; what it does to the roster
(留党察看 … 开除党籍) the clerk changes through the roster's own 变更状态.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .dates import format_date_cn
from .models import Member

# 困难类型 of a 关怀帮扶 visit (the clerk may write another)
HARDSHIPS = ("老党员", "生活困难", "患病", "因灾", "家庭变故", "节日慰问", "其他")
AWARD = "表彰"
PENALTY = "处分"
HONOR_KINDS = (AWARD, PENALTY)
# 《中国共产党纪律处分条例》: the five kinds of 党纪处分
PENALTIES = ("警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍")
AWARDS = ("优秀共产党员", "优秀党务工作者", "先进基层党组织", "光荣在党50年纪念章")


@dataclass
class CareVisit:
    """关怀帮扶: who was visited, when, by whom, what was done, why (困难类型)."""

    id: int | None
    member_id: int
    date: dt.date
    hardship: str | None = None  # 困难类型
    content: str | None = None  # 帮扶内容
    amount_fen: int | None = None  # 慰问金
    visitor: str | None = None  # 走访人
    note: str | None = None
    member_name: str | None = None


@dataclass
class Honor:
    """A 表彰 or a 处分 of one member, with the meeting that decided it."""

    id: int | None
    member_id: int
    kind: str  # 表彰 / 处分
    date: dt.date
    title: str  # 表彰名称, or the 处分 (警告 … 开除党籍)
    issuer: str | None = None  # 授予或批准单位
    reason: str | None = None  # 事由
    record_id: int | None = None
    meeting: str | None = None  # as written, when the meeting is not in the ledger
    note: str | None = None
    member_name: str | None = None


@dataclass
class Birthday:
    """One member's 政治生日 in a month: the anniversary of the day they joined."""

    member: Member
    day: dt.date  # the anniversary in the year asked
    years: int  # 入党 N 周年

    @property
    def text(self) -> str:
        return f"{self.member.name}（{self.day.day}日，入党{self.years}周年）"


def anniversary(join: dt.date, year: int) -> dt.date:
    """The day of ``join`` in ``year`` (29 February → 28 February)."""
    try:
        return join.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def birthdays(members: Iterable[Member], year: int, month: int) -> list[Birthday]:
    """Members who belong to the branch on their 政治生日 in that month, by day."""
    out = []
    for m in members:
        j = m.join_date
        if j is None or j.month != month or j.year >= year:
            continue
        day = anniversary(j, year)
        if m.belongs_on(day):
            out.append(Birthday(m, day, year - j.year))
    return sorted(out, key=lambda b: (b.day, b.member.name))


def validate_visit(v: CareVisit, member: Member | None, today: dt.date) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if v.date is None:
        return [("日期", "不能为空")]
    if v.date > today:
        out.append(("日期", f"{format_date_cn(v.date)}晚于今天"))
    if not (v.content or "").strip():
        out.append(("帮扶内容", "请写明做了什么（慰问、送医送药、帮办实事 …）"))
    if v.amount_fen is not None and v.amount_fen < 0:
        out.append(("慰问金", "不能为负数"))
    if member is not None and member.join_date and v.date < member.join_date:
        out.append(("日期", f"早于{member.name}的入党日期"))
    return out


def validate_honor(h: Honor, member: Member | None, today: dt.date) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if h.kind not in HONOR_KINDS:
        out.append(("类型", "应为 表彰 或 处分"))
    if h.date is None:
        return out + [("日期", "不能为空")]
    if h.date > today:
        out.append(("日期", f"{format_date_cn(h.date)}晚于今天"))
    if not (h.title or "").strip():
        out.append(("名称", "请填写表彰名称或处分种类"))
    elif h.kind == PENALTY and h.title.strip() not in PENALTIES:
        out.append(("名称", "党纪处分应为 " + "、".join(PENALTIES) + " 之一"))
    if member is not None and member.join_date and h.date < member.join_date:
        out.append(("日期", f"早于{member.name}的入党日期"))
    return out
