"""党费 rules (中组部 2008): rates by bracket, monthly due, owed months, arrears.

All money is integer 分; the only non-integer step (基数 × 比例) is done with ``Decimal`` and
rounded once. This module is the one implementation used by the GUI, the CLI, the exports
and the compliance check.

Decisions the 2008 rules leave open, made here once:

- 其他 (人员类别) is charged like 在职 when a base is set (有收入的其他党员参照在职).
- 农民 pay a branch-agreed fixed amount (约定月缴, 0.2–1.0 元); without one the monthly
  due is unknown (``None``), as is a 在职/离退休/其他 member's without a base.
  An unknown due counts as 0 in the money totals, but the months still count as unpaid.
- A month is *unpaid* when it is owed, its due is not 0 (免交) and nothing (net of
  corrections) was paid for it. A partial payment makes the month paid; the shortfall
  shows as money (``short_fen``), not as an unpaid month — as the contract's example.
- The month under way is still being collected (待缴, ``collecting_fen``); months after it
  are not yet due (未到期, ``pending_fen``). Both count in the year's 应缴合计 but are
  neither unpaid nor 欠缴. A payment for a month that has ended is 补交, for the month under
  way 本月, for a month to come 预交 (:func:`payment_kinds`).
- Rounding modes apply to the exact product 基数 × 比例, never to a rounded value.

The words, each with one meaning everywhere (docs/台账格式.md, 术语):
应缴合计 the year's due (the contract column); 本期应缴 the due of the period's months;
截至X月应缴 the due of the months that have ended; 实缴 what was paid; 欠缴 the shortfall
of the months that have ended; 待缴 the month under way, not yet paid; 未到期 the months
after it; 多交 paid beyond the due (预交 included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from .models import ROUND_FEN, ROUND_JIAO, ROUND_YUAN_UP, DuesSetting, Member, Payment

# --- the one rate table ------------------------------------------------------------------

# 人员类别 → brackets (upper bound of the monthly base in 分, inclusive; None = no bound,
# rate in ‰), lowest first
RATE_BRACKETS: dict[str, tuple[tuple[int | None, int], ...]] = {
    "在职": ((300_000, 5), (500_000, 10), (1_000_000, 15), (None, 20)),
    "离退休": ((500_000, 5), (None, 10)),
}
RATE_BRACKETS["其他"] = RATE_BRACKETS["在职"]

# 人员类别 → fixed monthly amount (分) that needs no setting
FIXED_DUES_FEN: dict[str, int] = {"学生": 20, "下岗失业": 20}

# 农民: the branch agrees a fixed amount in this range (分, inclusive)
FARMER_RANGE_FEN = (20, 100)
FARMER = "农民"

RATE_CATEGORIES = tuple(RATE_BRACKETS)  # categories whose due is base × rate
ROUNDINGS = (ROUND_FEN, ROUND_JIAO, ROUND_YUAN_UP)
ROUNDING_LABELS = {
    ROUND_FEN: "四舍五入到分",
    ROUND_JIAO: "四舍五入到角",
    ROUND_YUAN_UP: "向上取整到元",
}

# A base within this distance of a bracket edge (either side, edge included) gets a
# second look: one 元 more or less changes the rate, so a typo matters most there.
EDGE_MARGIN_FEN = 10_000  # 100 元

REDUCE_PART = "少交"
REDUCE_ALL = "免交"
REDUCTIONS = (REDUCE_PART, REDUCE_ALL)

# 核定 helper: pay components (分) that add to / are taken off the base
COMPONENTS_ADD = ("岗位工资", "薪级工资", "绩效工资", "津贴补贴")
COMPONENTS_SUB = ("个人所得税", "社会保险", "住房公积金", "职业年金")
COMPONENTS = COMPONENTS_ADD + COMPONENTS_SUB

# 补交 further back than this many months is outside the 2008 rules' normal limit
LATE_LIMIT_MONTHS = 6
# 党章第九条: six months unpaid = 自行脱党; the clerk is warned from three
ARREARS_WARN_MONTHS = 3
ARREARS_SERIOUS_MONTHS = 6

# words of a payment-grid cell
MONTH_PAID = "已缴"
MONTH_SHORT = "不足"  # paid, but less than the due
MONTH_UNPAID = "未缴"
MONTH_NOT_OWED = "不需缴"
MONTH_NOT_DUE = "未到期"  # owed later this year, nothing paid yet
MONTH_COLLECTING = "待缴"  # the month under way, owed, nothing paid yet

# what a payment for a month is, by when it is made (see payment_kinds)
PAY_LATE = "补交"  # for a month that has ended
PAY_CURRENT = "本月"  # for the month under way
PAY_AHEAD = "预交"  # for a month to come


def rate_permille(category: str, base_fen: int | None) -> int | None:
    """The rate in ‰ (5, 10, 15, 20) for a base, or None where the due is a fixed amount
    (学生, 下岗失业, 农民) or no base is set."""
    brackets = RATE_BRACKETS.get(category)
    if brackets is None or base_fen is None:
        return None
    for upper, rate in brackets:
        if upper is None or base_fen <= upper:
            return rate
    raise AssertionError("unreachable: the last bracket has no bound")


def bracket_edges(category: str) -> list[int]:
    """The bracket edges (分) of a category: 300000, 500000, 1000000 for 在职."""
    return [upper for upper, _ in RATE_BRACKETS.get(category, ()) if upper is not None]


def bracket_edge(category: str, base_fen: int | None) -> bool:
    """Is the base within :data:`EDGE_MARGIN_FEN` (100 元) of a bracket edge, either side?"""
    if base_fen is None:
        return False
    return any(abs(base_fen - edge) <= EDGE_MARGIN_FEN for edge in bracket_edges(category))


def bracket_label(category: str, base_fen: int | None) -> str:
    """``3000 – 5000 元（含）`` for the bracket a base falls in; empty when none applies."""
    brackets = RATE_BRACKETS.get(category)
    if brackets is None or base_fen is None:
        return ""
    lower = 0
    for upper, _ in brackets:
        if upper is None:
            return f"{lower // 100} 元以上"
        if base_fen <= upper:
            return (
                f"{upper // 100} 元以下（含）"
                if lower == 0
                else f"{lower // 100}–{upper // 100} 元（含）"
            )
        lower = upper
    return ""


def format_rate(permille: int | None) -> str:
    """5 → ``0.5%``, 10 → ``1%``; empty for None."""
    if permille is None:
        return ""
    whole, tenth = divmod(permille, 10)
    return f"{whole}.{tenth}%" if tenth else f"{whole}%"


def apply_rounding(exact_fen: Decimal, rounding: str = ROUND_FEN) -> int:
    """Round an exact amount of 分: half-up to the 分 (default), half-up to the 角, or up to
    the whole 元."""
    if rounding == ROUND_JIAO:
        return int((exact_fen / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 10
    if rounding == ROUND_YUAN_UP:
        return int((exact_fen / 100).quantize(Decimal(1), rounding=ROUND_CEILING)) * 100
    if rounding != ROUND_FEN:
        raise ValueError(f"未知的党费取整方式：{rounding}")
    return int(exact_fen.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def computed_due_fen(category: str, base_fen: int | None, rounding: str = ROUND_FEN) -> int | None:
    """基数 × 比例, rounded; None where no rate applies."""
    rate = rate_permille(category, base_fen)
    if rate is None or base_fen is None:
        return None
    return apply_rounding(Decimal(base_fen) * rate / 1000, rounding)


def uses_rate(member: Member, setting: DuesSetting | None) -> bool:
    """Is the monthly due base × rate (not a fixed amount or a reduction)?"""
    if setting is not None and (setting.reduction or setting.fixed_fen is not None):
        return False
    return member.category in RATE_BRACKETS and setting is not None and setting.base_fen is not None


def monthly_due_fen(
    member: Member, setting: DuesSetting | None, rounding: str = ROUND_FEN
) -> int | None:
    """The member's monthly due (分) under that year's setting; None while unknown.

    Order: an approved reduction (免交 → 0, 少交 → its amount), then 约定月缴, then the fixed
    amount of the category (学生, 下岗失业: 0.20 元), then 基数 × 比例."""
    if setting is not None:
        if setting.reduction == REDUCE_ALL:
            return 0
        if setting.reduction == REDUCE_PART:
            return setting.reduction_fen
        if setting.fixed_fen is not None:
            return setting.fixed_fen
    if member.category in FIXED_DUES_FEN:
        return FIXED_DUES_FEN[member.category]
    if setting is None:
        return None
    return computed_due_fen(member.category, setting.base_fen, rounding)


def monthly_due_for(
    member: Member, setting: DuesSetting | None, year: int, month: int, rounding: str = ROUND_FEN
) -> int | None:
    """The due for one month: 0 for a month not owed, else :func:`monthly_due_fen` (None
    while unknown — which is *not* the same as nothing due)."""
    if month not in owed_months(member, year):
        return 0
    return monthly_due_fen(member, setting, rounding)


def base_from_components(components: dict) -> int:
    """核定缴费基数 from pay components (分): 岗位/薪级/绩效工资 + 津贴补贴 − 个人所得税 −
    社会保险 − 住房公积金 − 职业年金. Unknown keys raise ValueError; the result is not below 0."""
    unknown = [k for k in components if k not in COMPONENTS]
    if unknown:
        raise ValueError(f"未知的工资项目：{'、'.join(unknown)}")
    total = 0
    for key, value in components.items():
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{key}应为以分计的整数")
        if value < 0:
            raise ValueError(f"{key}不能为负数")
        total += value if key in COMPONENTS_ADD else -value
    return max(total, 0)


def owed_months(member: Member, year: int) -> list[int]:
    """Months of ``year`` for which ``member`` owes dues: from the month of the later of
    入党日期 and 转入日期 (预备党员 included) to the month before 状态变更日期."""
    start = member.start_date
    if start is None or start.year > year:
        return []
    first = 1 if start.year < year else start.month
    last = 12
    end = member.end_date
    if end is not None:
        last_day_owed = dt.date(end.year, end.month, 1) - dt.timedelta(days=1)
        if last_day_owed.year < year:
            return []
        if last_day_owed.year == year:
            last = last_day_owed.month
    return list(range(first, last + 1))


def belonged_in_year(member: Member, year: int) -> bool:
    """Did the member belong to the branch on at least one day of ``year``?"""
    start = member.start_date
    if start is None or start > dt.date(year, 12, 31):
        return False
    end = member.end_date
    return end is None or end > dt.date(year, 1, 1)


def months_back(year: int, month: int, day: dt.date) -> int:
    """How many months ``day`` lies after the month paid for (0 = paid in that month)."""
    return (day.year - year) * 12 + day.month - month


def late_payment(payment: Payment) -> bool:
    """补交 of a month more than six months before it was paid (the 2008 rules' limit)."""
    if payment.paid_on is None or payment.amount_fen <= 0:
        return False
    return months_back(payment.year, payment.month, payment.paid_on) > LATE_LIMIT_MONTHS


def longest_run(months: Iterable[int]) -> tuple[int, int, int] | None:
    """The longest run of consecutive months as ``(first, last, length)``; the earliest on
    a tie; None for no months."""
    best: tuple[int, int, int] | None = None
    run_start = prev = None
    for m in sorted(set(months)):
        if prev is None or m != prev + 1:
            run_start = m
        prev = m
        length = m - run_start + 1  # type: ignore[operator]
        if best is None or length > best[2]:
            best = (run_start, m, length)  # type: ignore[assignment]
    return best


def format_months(months: Iterable[int]) -> str:
    """``[1, 2, 3, 5]`` → ``1–3、5月``; empty for none."""
    ms = sorted(set(months))
    if not ms:
        return ""
    parts = []
    i = 0
    while i < len(ms):
        j = i
        while j + 1 < len(ms) and ms[j + 1] == ms[j] + 1:
            j += 1
        parts.append(str(ms[i]) if i == j else f"{ms[i]}–{ms[j]}")
        i = j + 1
    return "、".join(parts) + "月"


# --- a year's dues -----------------------------------------------------------------------


def arrears_text(m: MemberDues, year: int) -> str:
    """``张三：2025年7月至12月连续6个月未交党费`` (with the 党章 warning from 6 months)."""
    run = m.arrears_run
    if run is None:
        return ""
    first, last, length = run
    span = f"{year}年{first}月" if first == last else f"{year}年{first}月至{last}月"
    text = f"{m.name}：{span}连续{length}个月未交党费"
    if length >= ARREARS_SERIOUS_MONTHS:
        text += "（已满6个月；党章第九条：无正当理由连续6个月不交党费，视为自行脱党，请支部及时核实处理）"
    elif length >= ARREARS_WARN_MONTHS:
        text += f"（满6个月将视为自行脱党，还差{ARREARS_SERIOUS_MONTHS - length}个月）"
    return text


def payment_kinds(year: int, months: Iterable[int], today: dt.date) -> dict[str, list[int]]:
    """The months of a payment by what paying them is on ``today``: :data:`PAY_LATE` (补交,
    months that have ended), :data:`PAY_CURRENT` (the month under way) and
    :data:`PAY_AHEAD` (预交, months to come) — each list sorted, empty ones included."""
    now = today.year * 12 + today.month
    out: dict[str, list[int]] = {PAY_LATE: [], PAY_CURRENT: [], PAY_AHEAD: []}
    for m in sorted(set(months)):
        at = year * 12 + m
        out[PAY_LATE if at < now else PAY_CURRENT if at == now else PAY_AHEAD].append(m)
    return out


def describe_payment(year: int, months: Iterable[int], today: dt.date) -> str:
    """``补交8–11月，本月（12月），预交2027年1月`` — what a payment of these months is."""
    kinds = payment_kinds(year, months, today)
    parts = []
    if kinds[PAY_LATE]:
        parts.append(f"{PAY_LATE}{format_months(kinds[PAY_LATE])}")
    if kinds[PAY_CURRENT]:
        parts.append(f"{PAY_CURRENT}（{kinds[PAY_CURRENT][0]}月）")
    if kinds[PAY_AHEAD]:
        parts.append(f"{PAY_AHEAD}{format_months(kinds[PAY_AHEAD])}")
    return "，".join(parts)


@dataclass
class Totals:
    """应缴 / 实缴 / 欠缴 / 待缴 / 未到期 / 多交 (分), month by month. They reconcile:
    paid = due − short − collecting − pending + extra."""

    due_fen: int = 0
    paid_fen: int = 0
    short_fen: int = 0  # 欠缴: money due in months that have ended, not paid
    extra_fen: int = 0  # 多交 / 预交 beyond the due
    unpaid_count: int = 0  # members (or, for a month, members) with an unpaid month
    pending_fen: int = 0  # 未到期: due in months after the one under way, not paid yet
    collecting_fen: int = 0  # 待缴: due in the month under way, not paid yet

    def add(self, other: Totals) -> None:
        self.due_fen += other.due_fen
        self.paid_fen += other.paid_fen
        self.short_fen += other.short_fen
        self.extra_fen += other.extra_fen
        self.unpaid_count += other.unpaid_count
        self.pending_fen += other.pending_fen
        self.collecting_fen += other.collecting_fen


@dataclass
class MemberDues:
    """One member's dues for one year, as the grid, the reports and ``dues --json`` show it."""

    member_id: int
    name: str
    category: str
    base_fen: int | None
    rate_permille: int | None
    monthly_due_fen: int | None
    owed_months: list[int]
    due_fen: int
    paid_fen: int
    unpaid_months: list[int]
    paid_by_month: dict[int, int]
    group: str | None = None
    setting: DuesSetting | None = None
    short_fen: int = 0
    extra_fen: int = 0
    pending_fen: int = 0
    due_through: int = 12  # months after this one have not ended yet (this year)
    collecting_fen: int = 0
    current_month: int = 0  # the month under way (待缴) when the year is this year, else 0

    @property
    def fixed(self) -> bool:
        """The due is a fixed amount (category, 约定月缴 or reduction), not base × rate."""
        return self.rate_permille is None and self.monthly_due_fen is not None

    @property
    def unset(self) -> bool:
        """No base or 约定 set: the monthly due is unknown."""
        return self.monthly_due_fen is None

    @property
    def reduction(self) -> str | None:
        return self.setting.reduction if self.setting else None

    @property
    def rate_text(self) -> str:
        """比例 column: ``1.5%``, or what fixes the amount: 少交 / 免交 / 约定 / 定额 / 未核定."""
        if self.reduction:
            return self.reduction
        if self.rate_permille is not None:
            return format_rate(self.rate_permille)
        if self.setting is not None and self.setting.fixed_fen is not None:
            return "约定"
        return "定额" if self.monthly_due_fen is not None else "未核定"

    @property
    def open_months(self) -> list[int]:
        """Owed months with nothing paid yet, through the month under way: the unpaid
        months plus the month still being collected (待缴) — what a collection round takes."""
        last = self.current_month or self.due_through
        return [
            m
            for m in self.owed_months
            if m <= last and self.paid_by_month.get(m, 0) <= 0 and self.monthly_due_fen != 0
        ]

    @property
    def arrears_run(self) -> tuple[int, int, int] | None:
        """Longest run of consecutive unpaid months ``(first, last, length)``."""
        return longest_run(self.unpaid_months)

    @property
    def arrears_warning(self) -> bool:
        run = self.arrears_run
        return run is not None and run[2] >= ARREARS_WARN_MONTHS

    def month_due(self, month: int) -> int:
        return (self.monthly_due_fen or 0) if month in self.owed_months else 0

    def month_totals(self, month: int) -> Totals:
        """The month's 应缴 / 实缴 / 欠缴 (or 待缴, 未到期) / 多交 for this member."""
        due = self.month_due(month)
        paid = self.paid_by_month.get(month, 0)
        missing = max(due - paid, 0)
        ended = month <= self.due_through
        current = month == self.current_month
        return Totals(
            due_fen=due,
            paid_fen=paid,
            short_fen=missing if ended else 0,
            extra_fen=max(paid - due, 0),
            unpaid_count=1 if month in self.unpaid_months else 0,
            pending_fen=0 if ended or current else missing,
            collecting_fen=missing if current else 0,
        )

    def month_state(self, month: int) -> str:
        """:data:`MONTH_PAID`, :data:`MONTH_SHORT`, :data:`MONTH_UNPAID`,
        :data:`MONTH_COLLECTING` (the month under way), :data:`MONTH_NOT_DUE` (a month to
        come) or :data:`MONTH_NOT_OWED` (a month not owed with money paid is 已缴: 预交 or
        多交)."""
        paid = self.paid_by_month.get(month, 0)
        if month not in self.owed_months:
            return MONTH_PAID if paid > 0 else MONTH_NOT_OWED
        if month in self.unpaid_months:
            return MONTH_UNPAID
        if month > self.due_through and paid <= 0 and self.monthly_due_fen != 0:
            return MONTH_COLLECTING if month == self.current_month else MONTH_NOT_DUE
        if paid <= 0:  # owed, nothing paid, but nothing due either (免交)
            return MONTH_NOT_OWED
        return MONTH_SHORT if paid < self.month_due(month) else MONTH_PAID


@dataclass
class DuesYear:
    year: int
    rounding: str
    members: list[MemberDues]
    totals: Totals
    by_group: dict[str, Totals] = field(default_factory=dict)  # 未分组 for no group
    by_month: dict[int, Totals] = field(default_factory=dict)  # 1..12

    def member(self, member_id: int) -> MemberDues | None:
        return next((m for m in self.members if m.member_id == member_id), None)

    @property
    def in_arrears(self) -> list[MemberDues]:
        """Members with an unpaid month, longest run first."""
        found = [m for m in self.members if m.unpaid_months]
        return sorted(found, key=lambda m: -(m.arrears_run or (0, 0, 0))[2])


NO_GROUP = "未分组"


def member_dues(
    member: Member,
    setting: DuesSetting | None,
    paid: dict[int, int],
    year: int,
    rounding: str = ROUND_FEN,
    today: dt.date | None = None,
) -> MemberDues:
    """One member's year: owed months, due, paid, unpaid months, 欠缴 and 多交. With
    ``today`` in ``year``, months after today's are not yet due (not unpaid)."""
    assert member.id is not None
    owed = owed_months(member, year)
    due_each = monthly_due_fen(member, setting, rounding)
    rate = rate_permille(member.category, setting.base_fen) if uses_rate(member, setting) else None
    paid = {m: v for m, v in sorted(paid.items()) if v}
    through = due_through(year, today)
    unpaid = [m for m in owed if m <= through and paid.get(m, 0) <= 0 and due_each != 0]
    md = MemberDues(
        member_id=member.id,
        name=member.name,
        category=member.category,
        base_fen=setting.base_fen if setting else None,
        rate_permille=rate,
        monthly_due_fen=due_each,
        owed_months=owed,
        due_fen=(due_each or 0) * len(owed),
        paid_fen=sum(paid.values()),
        unpaid_months=unpaid,
        paid_by_month=paid,
        group=member.group_name,
        setting=setting,
        due_through=through,
        current_month=today.month if today is not None and today.year == year else 0,
    )
    t = Totals()
    for m in range(1, 13):
        t.add(md.month_totals(m))
    md.short_fen, md.extra_fen = t.short_fen, t.extra_fen
    md.pending_fen, md.collecting_fen = t.pending_fen, t.collecting_fen
    return md


def due_through(year: int, today: dt.date | None) -> int:
    """The last month of ``year`` that has ended by ``today`` (12 for a past year or no
    today, 0 for a future year). The month under way is still being collected: it is not
    in arrears yet (the same rule as the compliance check's "ended months only")."""
    if today is None or today.year > year:
        return 12
    return 0 if today.year < year else today.month - 1


def compute_year(
    members: Iterable[Member],
    settings: dict[int, DuesSetting],
    paid_by_month: dict[int, dict[int, int]],
    year: int,
    rounding: str = ROUND_FEN,
    today: dt.date | None = None,
) -> DuesYear:
    """The year's dues for every member who belonged to the branch on at least one day of
    it (in the order given: roster order), with totals per member, 党小组 and month."""
    rows = [
        member_dues(m, settings.get(m.id), paid_by_month.get(m.id, {}), year, rounding, today)  # type: ignore[arg-type]
        for m in members
        if belonged_in_year(m, year)
    ]
    totals = Totals()
    by_group: dict[str, Totals] = {}
    by_month = {m: Totals() for m in range(1, 13)}
    for r in rows:
        t = Totals(
            r.due_fen,
            r.paid_fen,
            r.short_fen,
            r.extra_fen,
            1 if r.unpaid_months else 0,
            r.pending_fen,
            r.collecting_fen,
        )
        totals.add(t)
        by_group.setdefault(r.group or NO_GROUP, Totals()).add(t)
        for m in range(1, 13):
            by_month[m].add(r.month_totals(m))
    if NO_GROUP in by_group:  # ungrouped last
        by_group[NO_GROUP] = by_group.pop(NO_GROUP)
    return DuesYear(year, rounding, rows, totals, by_group, by_month)
