"""党员关怀 use cases: this month's 政治生日 (and its printable list), 关怀帮扶 visits,
表彰 and 处分 with the meeting that decided them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..domain import care as K
from ..domain.models import Record
from ..errors import UserError
from ..storage import registers_repo as R
from .ledger import Changes, Ledger
from .transfers import raise_problems

CHANGED = Changes(registers=True)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def birthdays(ledger: Ledger, year: int, month: int) -> list[K.Birthday]:
    """政治生日 of the month: members who belong to the branch on the anniversary."""
    return K.birthdays(ledger.repo.members(), year, month)


def birthday_pdf(ledger: Ledger, year: int, month: int, out: str | Path) -> Path:
    """The printable 政治生日 list of a month (A4), written atomically."""
    from ..reports.birthdays import write_birthday_list

    branch = ledger.repo.branch().name or "本支部"
    return write_birthday_list(birthdays(ledger, year, month), branch, year, month, out)


def visits(ledger: Ledger, year: int | None = None) -> list[K.CareVisit]:
    if year is None:
        return R.rows(ledger.db, R.VISIT)
    return R.rows(ledger.db, R.VISIT, "t.date BETWEEN ? AND ?", [f"{year}-01-01", f"{year}-12-31"])


def honors(ledger: Ledger, year: int | None = None) -> list[K.Honor]:
    if year is None:
        return R.rows(ledger.db, R.HONOR)
    return R.rows(ledger.db, R.HONOR, "t.date BETWEEN ? AND ?", [f"{year}-01-01", f"{year}-12-31"])


def save_visit(ledger: Ledger, v: K.CareVisit) -> Changes:
    v = replace(v)
    v.hardship, v.content, v.visitor, v.note = (
        _clean(v.hardship),
        _clean(v.content),
        _clean(v.visitor),
        _clean(v.note),
    )
    member = ledger.repo.member(v.member_id)
    if member is None:
        raise UserError("请选择被走访的党员")
    raise_problems(K.validate_visit(v, member, ledger.today()), "关怀帮扶记录")
    with ledger.repo.atomic():
        R.save(ledger.db, R.VISIT, v)
    return CHANGED


def delete_visit(ledger: Ledger, visit_id: int) -> Changes:
    with ledger.repo.atomic():
        R.delete(ledger.db, R.VISIT, visit_id)
    return CHANGED


def decision_meetings(ledger: Ledger, around) -> list[Record]:
    """The 支委会 and 支部党员大会 records a 表彰 or 处分 may name, nearest first."""
    from .development import meeting_choices

    return meeting_choices(ledger, ("支委会", "支部党员大会"), around)


def save_honor(ledger: Ledger, h: K.Honor) -> Changes:
    h = replace(h)
    h.title = (h.title or "").strip()
    h.issuer, h.reason, h.meeting, h.note = (
        _clean(h.issuer),
        _clean(h.reason),
        _clean(h.meeting),
        _clean(h.note),
    )
    if h.record_id is not None:
        h.meeting = None
    member = ledger.repo.member(h.member_id)
    if member is None:
        raise UserError("请选择党员")
    problems = K.validate_honor(h, member, ledger.today())
    if h.record_id is not None:
        rec = ledger.repo.record(h.record_id)
        if rec is None:
            problems.append(("决定会议", "找不到该会议记录"))
        elif h.date and rec.date > h.date:
            problems.append(("决定会议", "晚于表彰或处分的日期"))
    raise_problems(problems, h.kind + "记录")
    with ledger.repo.atomic():
        R.save(ledger.db, R.HONOR, h)
    return CHANGED


def delete_honor(ledger: Ledger, honor_id: int) -> Changes:
    with ledger.repo.atomic():
        R.delete(ledger.db, R.HONOR, honor_id)
    return CHANGED
