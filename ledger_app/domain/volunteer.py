"""志愿服务 rules: hours in halves, totals per member and month, the monthly expectation.

Time is kept as integer half-hours (``half_hours`` = 时长 × 2), so 1.5 小时 is exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .dues import owed_months
from .models import Member, VolunteerEntry

# members the monthly expectation applies to (到社区报到: 在职党员)
EXPECTED_CATEGORIES = ("在职",)
DEFAULT_MIN_PER_MONTH = 1
MAX_HALF_HOURS = 48  # one service of more than 24 小时 is a typo


def parse_hours(value: object) -> int:
    """``1.5`` / ``"2"`` / ``"1.5小时"`` → half-hours (3, 4, 3). Raises ValueError (Chinese)
    unless the hours are positive and in steps of 0.5. A spreadsheet float is read through
    its shortest repr, never by binary arithmetic."""
    if isinstance(value, bool):
        raise ValueError(f'时长不是数字: "{value}"')
    if isinstance(value, float):
        text = repr(value)
    else:
        text = str(value if value is not None else "").strip()
        for junk in ("小时", "h", "H", " "):
            text = text.replace(junk, "")
    if not text:
        raise ValueError("时长为空")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f'时长不是数字: "{value}"') from None
    if not d.is_finite() or d <= 0:
        raise ValueError(f'时长应为正数: "{value}"')
    halves = d * 2
    if halves != halves.to_integral_value():
        raise ValueError(f'时长应以 0.5 小时为单位: "{value}"')
    if halves > MAX_HALF_HOURS:
        raise ValueError(f'一次服务时长超过 24 小时: "{value}"')
    return int(halves)


def format_hours(half_hours: int) -> str:
    """Half-hours as hours for tables: 3 → ``1.5``, 4 → ``2``."""
    whole, half = divmod(half_hours, 2)
    return f"{whole}.5" if half else str(whole)


def hours_decimal(half_hours: int) -> Decimal:
    """Hours as an exact Decimal (for a spreadsheet cell)."""
    return Decimal(half_hours) / 2


def totals_by_member(entries: Iterable[VolunteerEntry]) -> dict[int, tuple[int, int]]:
    """member id → (number of services, half-hours)."""
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for e in entries:
        out[e.member_id][0] += 1
        out[e.member_id][1] += e.half_hours
    return {k: (v[0], v[1]) for k, v in out.items()}


def totals_by_month(entries: Iterable[VolunteerEntry], year: int) -> dict[int, tuple[int, int]]:
    """month (1..12) → (number of services, half-hours) within ``year``."""
    out = {m: [0, 0] for m in range(1, 13)}
    for e in entries:
        if e.date.year == year:
            out[e.date.month][0] += 1
            out[e.date.month][1] += e.half_hours
    return {k: (v[0], v[1]) for k, v in out.items()}


def below_expectation(
    members: Iterable[Member],
    entries: Iterable[VolunteerEntry],
    year: int,
    month: int,
    min_per_month: int = DEFAULT_MIN_PER_MONTH,
) -> list[tuple[Member, int]]:
    """在职 members who belonged to the branch that month (the months they owe dues) and
    served fewer than ``min_per_month`` times in it, with their count, in roster order."""
    counts: dict[int, int] = defaultdict(int)
    for e in entries:
        if e.date.year == year and e.date.month == month:
            counts[e.member_id] += 1
    out = []
    for m in members:
        if m.category not in EXPECTED_CATEGORIES or month not in owed_months(m, year):
            continue
        n = counts.get(m.id, 0)  # type: ignore[arg-type]
        if n < min_per_month:
            out.append((m, n))
    return out
