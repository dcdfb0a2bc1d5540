"""组织关系转接 and 流动党员 use cases.

The roster's status history comes from here: recording a 转出 sets the member's 状态 转出
with 状态变更日期 (through the roster service, so the history row is written); a 转入
creates the member with 转入日期 (or gives a member typed in by hand their 转入日期).
Changing a transfer's date moves the roster's date with it, and the roster service calls
:func:`follow_member` when a member's dates are edited by hand, so the two never disagree
silently (what still disagrees is a 待办 on the 工作台).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..domain import transfers as T
from ..domain.dates import format_date
from ..domain.models import ACTIVE, Member
from ..errors import UserError, ValidationError
from ..storage import registers_repo as R
from .ledger import Changes, Ledger

RECEIPT_DAYS_KEY = "transfer_receipt_days"
CHANGED = Changes(registers=True, members=True)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def receipt_days(ledger: Ledger) -> int:
    """How many days a 回执 may take before it is overdue (a setting, default 30)."""
    raw = ledger.repo.setting(RECEIPT_DAYS_KEY)
    try:
        value = int(raw) if raw is not None else T.DEFAULT_RECEIPT_DAYS
    except ValueError:
        return T.DEFAULT_RECEIPT_DAYS
    return max(value, 1)


def set_receipt_days(ledger: Ledger, days: int) -> Changes:
    if not 1 <= days <= 365:
        raise ValidationError("回执期限", "应为 1–365 天")
    with ledger.repo.atomic():
        ledger.repo.set_setting(RECEIPT_DAYS_KEY, str(days))
    return Changes(registers=True, settings=True)


def transfers(ledger: Ledger, year: int | None = None) -> list[T.Transfer]:
    """Transfers by date (of one year, or all)."""
    if year is None:
        return R.rows(ledger.db, R.TRANSFER)
    return R.rows(
        ledger.db, R.TRANSFER, "t.date BETWEEN ? AND ?", [f"{year}-01-01", f"{year}-12-31"]
    )


def flows(ledger: Ledger) -> list[T.Flow]:
    return R.rows(ledger.db, R.FLOW)


def raise_problems(problems: list[tuple[str, str]], what: str) -> None:
    """(field, message) problems of a register's record as one UserError, or nothing."""
    if problems:
        raise UserError(f"{what}有误：", [f"{f}：{m}" for f, m in problems])


def _note(t: T.Transfer) -> str:
    parts = ["组织关系" + t.direction]
    if t.org:
        parts.append(("转往" if t.direction == T.OUT else "来自") + t.org)
    if t.letter_no:
        parts.append(f"介绍信 {t.letter_no}")
    return "，".join(parts)


def _member(ledger: Ledger, member_id: int) -> Member:
    m = ledger.repo.member(member_id)
    if m is None:
        raise UserError("找不到该党员")
    return m


def _clean_transfer(t: T.Transfer) -> T.Transfer:
    t = replace(t)
    t.letter_no, t.org, t.note = _clean(t.letter_no), _clean(t.org), _clean(t.note)
    return t


def record_out(ledger: Ledger, t: T.Transfer) -> Changes:
    """登记转出: the transfer, and the member's 状态 转出 on that day (unless the clerk set it
    by hand already, on the same day)."""
    from . import roster

    t = _clean_transfer(replace(t, direction=T.OUT, id=None))
    m = _member(ledger, t.member_id)
    raise_problems(T.validate_transfer(t, m, ledger.today()), "组织关系转出")
    with ledger.repo.atomic():
        R.insert(ledger.db, R.TRANSFER, t)
        if (m.status, m.status_date) != (T.OUT, t.date):
            roster.change_status(ledger, m.id, T.OUT, t.date, _note(t))  # type: ignore[arg-type]
    return CHANGED


def record_in(ledger: Ledger, t: T.Transfer, member: Member, group_name: str | None = None):
    """登记转入: ``member`` new (``id`` None: added to the roster with 转入日期 = the
    transfer's date) or already on the roster without a 转入 (given that 转入日期)."""
    from . import roster

    t = _clean_transfer(replace(t, direction=T.IN, id=None))
    raise_problems(T.validate_transfer(t, None, ledger.today()), "组织关系转入")
    m = replace(member, transfer_in_date=t.date)
    if m.id is not None:
        for other in transfers_of(ledger, m.id):
            if other.direction == T.IN:
                raise UserError(f"{m.name}已登记过组织关系转入（{format_date(other.date)}）")
        if m.status != ACTIVE:
            raise UserError(f"{m.name}已{m.status}，不在册")
    with ledger.repo.atomic():
        roster.save_member(ledger, m, group_name=group_name)
        t.member_id = m.id  # type: ignore[assignment]
        R.insert(ledger.db, R.TRANSFER, t)
    return CHANGED


def transfers_of(ledger: Ledger, member_id: int) -> list[T.Transfer]:
    return R.rows(ledger.db, R.TRANSFER, "t.member_id = ?", [member_id])


def update_transfer(ledger: Ledger, t: T.Transfer) -> Changes:
    """Change a transfer; a changed date moves the roster's 状态变更日期 / 转入日期 with it."""
    from . import roster

    old = R.get(ledger.db, R.TRANSFER, t.id)
    if old is None:
        raise UserError("找不到该转接记录（可能已被删除）")
    t = _clean_transfer(replace(t, direction=old.direction, member_id=old.member_id))
    m = _member(ledger, t.member_id)
    before = m
    if t.direction == T.OUT and m.status == T.OUT and m.status_date == old.date:
        before = replace(m, status=ACTIVE, status_date=None)  # as it was before the transfer
    raise_problems(
        T.validate_transfer(t, before if t.direction == T.OUT else None, ledger.today()), "转接"
    )
    with ledger.repo.atomic():
        R.update(ledger.db, R.TRANSFER, t)
        if t.date != old.date:
            if t.direction == T.OUT and m.status == T.OUT and m.status_date == old.date:
                roster.change_status(ledger, m.id, T.OUT, t.date, _note(t) + "（更正日期）")  # type: ignore[arg-type]
            elif t.direction == T.IN and m.transfer_in_date == old.date:
                roster.save_member(ledger, replace(m, transfer_in_date=t.date))
    return CHANGED


def delete_transfer(ledger: Ledger, transfer_id: int, restore: bool = False) -> Changes:
    """Delete a transfer entered by mistake. ``restore``: a 转出's member is 在册 again
    (the status history says so); a 转入's member stays on the roster."""
    from . import roster

    t = R.get(ledger.db, R.TRANSFER, transfer_id)
    if t is None:
        return Changes()
    m = _member(ledger, t.member_id)
    with ledger.repo.atomic():
        R.delete(ledger.db, R.TRANSFER, transfer_id)
        if restore and t.direction == T.OUT and m.status == T.OUT:
            roster.change_status(ledger, m.id, ACTIVE, None, "撤销组织关系转出登记")  # type: ignore[arg-type]
    return CHANGED


def follow_member(ledger: Ledger, m: Member) -> None:
    """After the roster changed ``m`` by hand: a transfer recorded for the date that was
    changed takes the new date (the roster service calls this inside its transaction)."""
    if m.id is None:
        return
    for t in transfers_of(ledger, m.id):
        if t.direction == T.OUT and m.status == T.OUT and m.status_date not in (None, t.date):
            if len([x for x in transfers_of(ledger, m.id) if x.direction == T.OUT]) == 1:
                R.update(ledger.db, R.TRANSFER, replace(t, date=m.status_date))
        if t.direction == T.IN and m.transfer_in_date not in (None, t.date):
            R.update(ledger.db, R.TRANSFER, replace(t, date=m.transfer_in_date))


def receipt_overdue(ledger: Ledger, t: T.Transfer, today: dt.date | None = None) -> str:
    return T.receipt_state(t, today or ledger.today(), receipt_days(ledger))


# --- 流动党员 -----------------------------------------------------------------------------------


def save_flow(ledger: Ledger, f: T.Flow) -> Changes:
    f = replace(f)
    f.place, f.contact, f.card_no, f.note = (
        _clean(f.place),
        _clean(f.contact),
        _clean(f.card_no),
        _clean(f.note),
    )
    m = _member(ledger, f.member_id)
    raise_problems(T.validate_flow(f, m, ledger.today()), "流动党员登记")
    with ledger.repo.atomic():
        R.save(ledger.db, R.FLOW, f)
    return Changes(registers=True)


def delete_flow(ledger: Ledger, flow_id: int) -> Changes:
    with ledger.repo.atomic():
        R.delete(ledger.db, R.FLOW, flow_id)
    return Changes(registers=True)
