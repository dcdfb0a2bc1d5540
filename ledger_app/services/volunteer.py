"""志愿服务 use cases: record one activity for several members, totals, the expectation list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..domain.dates import format_date_cn, month_end
from ..domain.models import Member, VolunteerEntry
from ..domain.volunteer import (
    DEFAULT_MIN_PER_MONTH,
    MAX_HALF_HOURS,
    totals_by_member,
    totals_by_month,
)
from ..domain.volunteer import below_expectation as _below
from ..errors import UserError, ValidationError
from .ledger import Changes, Ledger

MIN_PER_MONTH_KEY = "volunteer_min_per_month"


def min_per_month(ledger: Ledger) -> int:
    """The locality's expectation: services per month for an 在职 member (default 1)."""
    raw = ledger.repo.setting(MIN_PER_MONTH_KEY)
    try:
        value = int(raw) if raw is not None else DEFAULT_MIN_PER_MONTH
    except ValueError:
        return DEFAULT_MIN_PER_MONTH
    return max(value, 0)


def set_min_per_month(ledger: Ledger, value: int) -> Changes:
    if not 0 <= value <= 31:
        raise ValidationError("每月志愿服务次数", "应为 0–31")
    with ledger.repo.atomic():
        ledger.repo.set_setting(MIN_PER_MONTH_KEY, str(value))
    return Changes(volunteer=True, settings=True)


def services(ledger: Ledger, year: int, month: int | None = None) -> list[VolunteerEntry]:
    """Entries of a year (or one month of it), by date."""
    if month is None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        start, end = dt.date(year, month, 1), month_end(year, month)
    return ledger.repo.volunteer(start, end)


def add_service(
    ledger: Ledger,
    member_ids: Iterable[int],
    date: dt.date,
    half_hours: int,
    project: str | None = None,
    place: str | None = None,
    witness: str | None = None,
    note: str | None = None,
) -> Changes:
    """One activity for one or several members (an entry each, same hours), one transaction.
    Every member must have belonged to the branch on that day."""
    ids = list(dict.fromkeys(member_ids))
    if not ids:
        raise ValidationError("参加人员", "请至少选择一名党员")
    if date is None:
        raise ValidationError("日期", "不能为空")
    if date > ledger.today():
        raise ValidationError("日期", f"{format_date_cn(date)}晚于今天")
    if not isinstance(half_hours, int) or not 0 < half_hours <= MAX_HALF_HOURS:
        raise ValidationError("时长", "应为 0.5–24 小时，以 0.5 小时为单位")
    members = {m.id: m for m in ledger.repo.members()}
    problems = []
    for mid in ids:
        m = members.get(mid)
        if m is None:
            problems.append(f"找不到党员（编号 {mid}）")
        elif not m.belongs_on(date):
            problems.append(f"{m.name}在{format_date_cn(date)}不在本支部")
    if problems:
        raise UserError("志愿服务记录有误：", problems)

    def clean(text: str | None) -> str | None:
        return (text or "").strip() or None

    with ledger.repo.atomic():
        for mid in ids:
            ledger.repo.add_volunteer(
                VolunteerEntry(
                    None,
                    mid,
                    date,
                    half_hours,
                    clean(project),
                    clean(place),
                    clean(witness),
                    clean(note),
                )
            )
    return Changes(volunteer=True)


def delete_service(ledger: Ledger, entry_id: int) -> Changes:
    return delete_services(ledger, [entry_id])


def delete_services(ledger: Ledger, entry_ids: Iterable[int]) -> Changes:
    """Delete entries (a wrong entry; service records are not history like payments)."""
    with ledger.repo.atomic():
        for entry_id in entry_ids:
            ledger.repo.delete_volunteer(entry_id)
    return Changes(volunteer=True)


@dataclass
class MemberHours:
    member_id: int
    name: str
    group: str | None
    category: str
    count: int  # services
    half_hours: int


def member_totals(ledger: Ledger, year: int, month: int | None = None) -> list[MemberHours]:
    """Per member: services and hours in the year (or month), every member who served or
    belonged then, in roster order."""
    entries = services(ledger, year, month)
    totals = totals_by_member(entries)
    start = dt.date(year, month or 1, 1)
    end = month_end(year, month or 12)
    out = []
    for m in ledger.repo.members():
        count, halves = totals.get(m.id, (0, 0))  # type: ignore[arg-type]
        belonged = (
            m.start_date is not None
            and m.start_date <= end
            and (m.end_date is None or m.end_date > start)
        )
        if count or belonged:
            out.append(MemberHours(m.id, m.name, m.group_name, m.category, count, halves))  # type: ignore[arg-type]
    return out


def month_totals(ledger: Ledger, year: int) -> dict[int, tuple[int, int]]:
    """month → (services, half-hours)."""
    return totals_by_month(services(ledger, year), year)


def below_expectation(ledger: Ledger, year: int, month: int) -> list[tuple[Member, int]]:
    """在职 members who belonged that month and served fewer times than the setting asks."""
    return _below(
        ledger.repo.members(), services(ledger, year, month), year, month, min_per_month(ledger)
    )
