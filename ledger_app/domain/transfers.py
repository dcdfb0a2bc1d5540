"""组织关系转接 and 流动党员: the records, their rules, and what falls due.

A 转出 ends the member's belonging to the branch (the roster's 状态 转出 with 状态变更日期
= the transfer's date); a 转入 starts it (转入日期). The receiving organisation returns the
回执 of a 转出's 介绍信; a 回执 not back after a set number of days (a setting) is overdue.
A 转入's 回执 is the one this branch sends back. 流动党员: members working or living
elsewhere for a while without transferring — where they are and how they keep in touch.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .dates import format_date, format_date_cn
from .idcard import mask_phone
from .models import ACTIVE, Member

OUT = "转出"
IN = "转入"
DIRECTIONS = (OUT, IN)
DEFAULT_RECEIPT_DAYS = 30
FOLLOW_DAYS = 365  # transfers older than this are history: no reminder any more


@dataclass
class Transfer:
    """One 转入 or 转出 of one member."""

    id: int | None
    direction: str  # 转出 / 转入
    member_id: int
    date: dt.date  # 转出: the day they left (状态变更日期); 转入: 转入日期
    letter_no: str | None = None  # 介绍信编号
    org: str | None = None  # 转出: the organisation transferred to; 转入: from
    receipt_date: dt.date | None = None  # 回执 returned (转出) / sent back (转入)
    note: str | None = None
    member_name: str | None = None  # filled by storage


@dataclass
class Flow:
    """流动党员: a member away from the branch for a while (外出务工、经商、学习 …)."""

    id: int | None
    member_id: int
    start_date: dt.date  # 外出日期
    end_date: dt.date | None = None  # 返回日期
    place: str | None = None  # 外出地点 / 所在单位: where they are
    contact: str | None = None  # 联系方式: how they keep in touch
    card_no: str | None = None  # 流动党员活动证编号
    note: str | None = None
    member_name: str | None = None

    def away_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day < self.end_date)


def org_label(direction: str) -> str:
    """The column the other organisation is written in, per direction."""
    return "转往党组织" if direction == OUT else "原所在党组织"


def validate_transfer(t: Transfer, member: Member | None, today: dt.date) -> list[tuple[str, str]]:
    """(field, message) for each problem with recording ``t`` against the roster's member
    as it is before the transfer."""
    out: list[tuple[str, str]] = []
    if t.direction not in DIRECTIONS:
        out.append(("类型", "应为 转入 或 转出"))
    if t.date is None:
        return out + [("日期", "不能为空")]
    if t.date > today:
        out.append(("日期", f"{format_date_cn(t.date)}晚于今天"))
    if t.receipt_date is not None and t.receipt_date < t.date:
        out.append(("回执日期", "早于转接日期"))
    if t.receipt_date is not None and t.receipt_date > today:
        out.append(("回执日期", f"{format_date_cn(t.receipt_date)}晚于今天"))
    if member is None:
        return out
    if t.direction == OUT:
        start = member.start_date
        if start is not None and t.date <= start:
            out.append(("日期", f"{member.name}{format_date(start)}才入党或转入本支部"))
        already = member.status == OUT and member.status_date == t.date
        if member.status != ACTIVE and not already:
            when = format_date(member.status_date)
            out.append(("姓名", f"{member.name}已于{when}{member.status}，不在册"))
    return out


@dataclass
class TransferDue:
    """A 回执 not back in time, or a roster change with no transfer recorded."""

    key: str
    text: str
    due: dt.date | None
    level: str  # missing / warn
    member_id: int | None = None
    transfer_id: int | None = None


def receipt_due(t: Transfer, days: int) -> dt.date:
    return t.date + dt.timedelta(days=days)


def receipt_state(t: Transfer, today: dt.date, days: int) -> str:
    """``已返回`` / ``已寄回`` / ``逾期 12 天`` / ``未返回（5月3日前）``."""
    if t.receipt_date is not None:
        return ("已返回 " if t.direction == OUT else "已寄回 ") + format_date(t.receipt_date)
    due = receipt_due(t, days)
    if today > due:
        return f"逾期 {(today - due).days} 天"
    return ("未返回" if t.direction == OUT else "未寄回") + f"（{due.month}月{due.day}日前）"


def dues(
    transfers: Sequence[Transfer],
    members: Iterable[Member],
    today: dt.date,
    days: int = DEFAULT_RECEIPT_DAYS,
) -> list[TransferDue]:
    """回执 overdue (转出: not returned; 转入: not sent back) more than ``days`` after the
    transfer, and roster changes of the last year with no transfer recorded, or that
    disagree with the one recorded."""
    out: list[TransferDue] = []
    since = today - dt.timedelta(days=FOLLOW_DAYS)
    names = {m.id: m for m in members}
    for t in transfers:
        if t.receipt_date is not None or t.date < since:
            continue
        due = receipt_due(t, days)
        if today <= due:
            continue
        name = t.member_name or (names[t.member_id].name if t.member_id in names else "")
        where = f"，介绍信 {t.letter_no}" if t.letter_no else ""
        if t.direction == OUT:
            text = (
                f"{name}的组织关系转出回执逾期 {(today - due).days} 天未返回"
                f"（{format_date(t.date)}转往{t.org or '（未填）'}{where}）"
            )
        else:
            text = f"{name}转入已 {(today - t.date).days} 天，回执尚未寄回原党组织{where}"
        out.append(TransferDue(f"回执:{t.id}", text, due, "missing", t.member_id, t.id))
    by_member: dict[tuple[int, str], list[Transfer]] = {}
    for t in transfers:
        by_member.setdefault((t.member_id, t.direction), []).append(t)
    for m in names.values():
        if m.id is None:
            continue
        if m.status == OUT and m.status_date is not None and m.status_date >= since:
            recorded = by_member.get((m.id, OUT), [])
            if not recorded:
                out.append(
                    TransferDue(
                        f"未登记转出:{m.id}",
                        f"名册中{m.name}已于{format_date(m.status_date)}转出，"
                        "尚未登记组织关系转出（介绍信编号、转往党组织）",
                        m.status_date,
                        "warn",
                        m.id,
                    )
                )
        if m.transfer_in_date is not None and m.transfer_in_date >= since:
            if not by_member.get((m.id, IN)):
                out.append(
                    TransferDue(
                        f"未登记转入:{m.id}",
                        f"名册中{m.name}于{format_date(m.transfer_in_date)}转入，"
                        "尚未登记组织关系转入（介绍信编号、原所在党组织）",
                        m.transfer_in_date,
                        "warn",
                        m.id,
                    )
                )
    for t in transfers:
        m = names.get(t.member_id)
        if m is None or t.date < since:
            continue
        if t.direction == OUT and (m.status != OUT or m.status_date != t.date):
            now = m.status + (f"（{format_date(m.status_date)}）" if m.status_date else "")
            out.append(
                TransferDue(
                    f"转出不一致:{t.id}",
                    f"{m.name}的组织关系转出登记（{format_date(t.date)}）与名册状态“{now}”不一致",
                    t.date,
                    "warn",
                    m.id,
                    t.id,
                )
            )
        if t.direction == IN and m.transfer_in_date != t.date:
            out.append(
                TransferDue(
                    f"转入不一致:{t.id}",
                    f"{m.name}的组织关系转入登记（{format_date(t.date)}）与名册转入日期"
                    f"“{format_date(m.transfer_in_date) or '未填'}”不一致",
                    t.date,
                    "warn",
                    m.id,
                    t.id,
                )
            )
    return out


def validate_flow(f: Flow, member: Member | None, today: dt.date) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if f.start_date is None:
        return [("外出日期", "不能为空")]
    if f.start_date > today:
        out.append(("外出日期", f"{format_date_cn(f.start_date)}晚于今天"))
    if f.end_date is not None and f.end_date < f.start_date:
        out.append(("返回日期", "早于外出日期"))
    if not (f.place or "").strip():
        out.append(("外出地点", "请填写流动党员现在在哪里（地点或单位）"))
    if member is not None and not member.belongs_on(f.start_date):
        out.append(("姓名", f"{member.name}在{format_date_cn(f.start_date)}不是本支部党员"))
    return out


_DIGITS = re.compile(r"\d{7,}")


def mask_contact(text: str | None) -> str | None:
    """联系方式 for print or a masked export: every run of 7 or more digits (a phone
    number) masked as the roster's phones are (``微信 138****1234``)."""
    if not text:
        return text
    return _DIGITS.sub(lambda m: mask_phone(m.group(0)) or "", text)
