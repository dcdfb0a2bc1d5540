"""党费 use cases: the year's report (GUI, ``dues`` command, exports), bases, payments.

Every action is one transaction and returns ``Changes(dues=True)``. A payment is never
overwritten: a correction is a further (possibly negative) entry, so the history shows
who entered what and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from ..domain.dates import format_date_cn
from ..domain.dues import (
    COMPONENTS,
    FARMER,
    FARMER_RANGE_FEN,
    RATE_BRACKETS,
    REDUCE_ALL,
    REDUCE_PART,
    REDUCTIONS,
    ROUNDING_LABELS,
    ROUNDINGS,
    DuesYear,
    MemberDues,
    base_from_components,
    belonged_in_year,
    compute_year,
    computed_due_fen,
    format_months,
    owed_months,
)
from ..domain.models import ROUND_FEN, DuesSetting, Member, Payment
from ..domain.money import format_fen
from ..errors import UserError, ValidationError
from .ledger import Changes, Ledger

ROUNDING_KEY = "dues_rounding"


# --- reading ---------------------------------------------------------------------------


def rounding(ledger: Ledger) -> str:
    """The branch's rounding of the monthly due (setting ``dues_rounding``)."""
    value = ledger.repo.setting(ROUNDING_KEY, ROUND_FEN)
    return value if value in ROUNDINGS else ROUND_FEN


def dues_report(ledger: Ledger, year: int) -> DuesYear:
    """Everything about ``year``'s dues, per member (roster order), 党小组 and month: the
    period model's own when that is loaded and current, else the same rule on the same
    inputs (the 党费 page need not read a year of records for it)."""
    from .period import loaded

    model = loaded(ledger, year)
    if model is not None:
        return model.dues_year
    repo = ledger.repo
    return compute_year(
        repo.members(),
        repo.dues_settings(year),
        repo.paid_by_month(year),
        year,
        rounding(ledger),
        ledger.today(),
    )


def to_json(dues_year: DuesYear) -> dict:
    """Exactly the contract's ``dues --json`` object (docs/台账格式.md §2)."""
    return {
        "year": dues_year.year,
        "members": [
            {
                "name": m.name,
                "category": m.category,
                "base_fen": m.base_fen,
                "rate_permille": m.rate_permille,
                "monthly_due_fen": m.monthly_due_fen,
                "due_fen": m.due_fen,
                "paid_fen": m.paid_fen,
                "unpaid_months": list(m.unpaid_months),
            }
            for m in dues_year.members
        ],
        "totals": {"due_fen": dues_year.totals.due_fen, "paid_fen": dues_year.totals.paid_fen},
    }


def payment_history(ledger: Ledger, year: int, member_id: int | None = None) -> list[Payment]:
    """Every payment entry of the year (corrections included), in the order entered."""
    return ledger.repo.payments(year, member_id)


# --- bases (核定) ------------------------------------------------------------------------


def validate_setting(member: Member, s: DuesSetting) -> list[ValidationError]:
    """Every problem with a year's dues setting, each naming its field."""
    errors: list[ValidationError] = []
    if not 1921 <= s.year <= 2200:
        errors.append(ValidationError("年度", f"超出范围：{s.year}"))
    if s.base_fen is not None and s.base_fen < 0:
        errors.append(ValidationError("月缴费基数", "不能为负数"))
    if s.fixed_fen is not None and s.fixed_fen <= 0:
        errors.append(ValidationError("约定月缴", "应大于 0"))
    if s.components:
        try:
            from_parts = base_from_components(s.components)
        except ValueError as e:
            errors.append(ValidationError("核定工资项目", str(e)))
        else:
            if s.base_fen is not None and s.base_fen != from_parts:
                errors.append(
                    ValidationError(
                        "月缴费基数",
                        f"与工资项目核定结果 {format_fen(from_parts)} 元不一致",
                    )
                )
    cat = member.category
    if cat == FARMER and s.fixed_fen is not None:
        lo, hi = FARMER_RANGE_FEN
        if not lo <= s.fixed_fen <= hi:
            errors.append(
                ValidationError(
                    "约定月缴", f"农民党员应在 {format_fen(lo)}–{format_fen(hi)} 元之间"
                )
            )
    if s.reduction not in (None, *REDUCTIONS):
        errors.append(ValidationError("减免", "应为 少交 或 免交"))
    if s.reduction:
        if not (s.approved_by or "").strip():
            errors.append(ValidationError("批准人", f"{s.reduction}须写明批准人"))
        if s.approved_on is None:
            errors.append(ValidationError("批准日期", f"{s.reduction}须写明批准日期"))
        if s.reduction == REDUCE_PART and (s.reduction_fen is None or s.reduction_fen <= 0):
            errors.append(ValidationError("少交后月缴", "应大于 0（全免请选“免交”）"))
    else:
        if cat in RATE_BRACKETS and s.base_fen is None and s.fixed_fen is None:
            errors.append(
                ValidationError("月缴费基数", f"{cat}党员须核定缴费基数（或填写约定月缴）")
            )
        if cat == FARMER and s.fixed_fen is None:
            errors.append(ValidationError("约定月缴", "农民党员须填写支部约定的月缴金额"))
        if s.fixed_fen is not None and s.base_fen is not None:
            computed = computed_due_fen(cat, s.base_fen)
            if computed is not None and s.fixed_fen < computed:
                errors.append(
                    ValidationError(
                        "约定月缴",
                        f"低于按基数计算的 {format_fen(computed)} 元；困难党员少交请填写减免",
                    )
                )
    return errors


def _member(ledger: Ledger, member_id: int) -> Member:
    m = ledger.repo.member(member_id)
    if m is None:
        raise UserError("找不到该党员")
    return m


def set_setting(ledger: Ledger, setting: DuesSetting) -> Changes:
    """Save one member's 核定 for a year. A base left empty next to pay components is
    computed from them; 免交 means 0 a month."""
    m = _member(ledger, setting.member_id)
    s = replace(setting)
    if s.components:
        s.components = {k: v for k, v in s.components.items() if k in COMPONENTS and v}
        if s.base_fen is None:
            try:
                s.base_fen = base_from_components(s.components)
            except ValueError:
                pass  # reported by validate_setting
    if s.reduction == REDUCE_ALL:
        s.reduction_fen = 0
    if not s.reduction:
        s.reduction = s.reduction_fen = s.approved_by = s.approved_on = None
    errors = validate_setting(m, s)
    if errors:
        raise UserError(f"{m.name}的党费核定有误：", [str(e) for e in errors])
    with ledger.repo.atomic():
        ledger.repo.set_dues_setting(s)
    return Changes(dues=True)


def propose_from_last_year(ledger: Ledger, year: int) -> Changes:
    """For members who belong in ``year`` and have no setting yet, take last year's base or
    约定月缴 (not its pay components or reductions: those are one year's decisions)."""
    repo = ledger.repo
    now, last = repo.dues_settings(year), repo.dues_settings(year - 1)
    with repo.atomic():
        for m in repo.members():
            old = last.get(m.id)  # type: ignore[arg-type]
            if m.id in now or old is None or not belonged_in_year(m, year):
                continue
            if old.base_fen is None and old.fixed_fen is None:
                continue
            repo.set_dues_setting(
                DuesSetting(m.id, year, base_fen=old.base_fen, fixed_fen=old.fixed_fen)  # type: ignore[arg-type]
            )
    return Changes(dues=True)


def set_rounding(ledger: Ledger, value: str) -> Changes:
    if value not in ROUNDINGS:
        raise ValidationError("党费取整方式", "应为 " + " / ".join(ROUNDING_LABELS.values()))
    with ledger.repo.atomic():
        ledger.repo.set_setting(ROUNDING_KEY, value)
    return Changes(dues=True, settings=True)


# --- payments ----------------------------------------------------------------------------


def _paid_on(ledger: Ledger, paid_on: dt.date | None) -> dt.date:
    day = paid_on or ledger.today()
    if day > ledger.today():
        raise ValidationError("缴纳日期", f"{format_date_cn(day)}晚于今天")
    return day


def record_payment(
    ledger: Ledger,
    member_id: int,
    year: int,
    months: Iterable[int],
    amount_fen_per_month: int,
    paid_on: dt.date | None = None,
    note: str | None = None,
) -> Changes:
    """One payment for one or several months (按月缴纳、补交、预交、自愿多交): an entry per
    month of ``amount_fen_per_month``. Months the member does not owe are refused."""
    m = _member(ledger, member_id)
    months = sorted(set(months))
    if not months:
        raise ValidationError("月份", "请至少选择一个月")
    if any(not 1 <= mo <= 12 for mo in months):
        raise ValidationError("月份", "应为 1–12 月")
    if amount_fen_per_month <= 0:
        raise ValidationError("金额", "应大于 0（更正请用“更正”）")
    owed = owed_months(m, year)
    outside = [mo for mo in months if mo not in owed]
    if outside:
        raise ValidationError(
            "月份", f"{m.name}在{year}年{format_months(outside)}不在本支部，无需缴纳党费"
        )
    day = _paid_on(ledger, paid_on)
    with ledger.repo.atomic():
        for mo in months:
            ledger.repo.add_payment(
                Payment(
                    None,
                    member_id,
                    year,
                    mo,
                    amount_fen_per_month,
                    day,
                    ledger.user or None,
                    (note or "").strip() or None,
                )
            )
    return Changes(dues=True)


def collection_plan(
    dues_year: DuesYear, month: int, except_ids: Iterable[int] = ()
) -> tuple[list[MemberDues], list[MemberDues]]:
    """Who "本月全部已缴" would mark: members who owe ``month``, have nothing paid for it
    yet and a known monthly due above 0 — and, second list, those skipped because their due
    is not set yet."""
    skip = set(except_ids)
    to_mark, unset = [], []
    for md in dues_year.members:
        if md.member_id in skip or month not in md.open_months:
            continue
        (unset if md.monthly_due_fen is None else to_mark).append(md)
    return to_mark, unset


def mark_month_paid_for_all(
    ledger: Ledger,
    year: int,
    month: int,
    paid_on: dt.date | None = None,
    except_ids: Iterable[int] = (),
) -> Changes:
    """本月全部已缴: each member who owes ``month`` and has not paid it gets their monthly due,
    except those listed. Members already paid and members without a set due are left alone."""
    if not 1 <= month <= 12:
        raise ValidationError("月份", "应为 1–12 月")
    day = _paid_on(ledger, paid_on)
    to_mark, _ = collection_plan(dues_report(ledger, year), month, except_ids)
    with ledger.repo.atomic():
        for md in to_mark:
            ledger.repo.add_payment(
                Payment(
                    None,
                    md.member_id,
                    year,
                    month,
                    md.monthly_due_fen or 0,
                    day,
                    ledger.user or None,
                    "本月全部已缴",
                )
            )
    return Changes(dues=True)


def correct_payment(
    ledger: Ledger,
    member_id: int,
    year: int,
    month: int,
    new_total_fen: int,
    note: str,
    paid_on: dt.date | None = None,
) -> Changes:
    """Set what was paid for one month to ``new_total_fen`` by adding a correcting entry of
    the difference (possibly negative); the earlier entries stay. A reason is required."""
    m = _member(ledger, member_id)
    if not 1 <= month <= 12:
        raise ValidationError("月份", "应为 1–12 月")
    if new_total_fen < 0:
        raise ValidationError("更正后金额", "不能为负数")
    reason = (note or "").strip()
    if not reason:
        raise ValidationError("更正原因", "请写明更正原因")
    current = ledger.repo.paid_by_month(year).get(member_id, {}).get(month, 0)
    diff = new_total_fen - current
    if diff == 0:
        raise UserError(f"{m.name}{year}年{month}月已缴 {format_fen(current)} 元，无需更正")
    day = _paid_on(ledger, paid_on)
    with ledger.repo.atomic():
        ledger.repo.add_payment(
            Payment(None, member_id, year, month, diff, day, ledger.user or None, f"更正：{reason}")
        )
    return Changes(dues=True)
