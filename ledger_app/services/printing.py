"""Printing one meeting (issue 18): its page of the 三会一课记录本, or a blank 签到表 for a
planned meeting with the expected members' names. The GUI's 打印 buttons call these; the
PDF is written beside the target and moved into place only when complete."""

from __future__ import annotations

from pathlib import Path

from ..domain.attendance import expected_members, summarize
from ..domain.minutes import vote_line, voters
from ..domain.models import Record
from ..errors import UserError
from ..files import replacing
from .ledger import Ledger


def _record(ledger: Ledger, record: Record | int) -> Record:
    if isinstance(record, Record):
        return record
    found = ledger.repo.record(record)
    if found is None:
        raise UserError("该记录已不存在。")
    return found


def _names_of(ledger: Ledger, record: Record) -> None:
    """Fill in the names of an unsaved record's attendance (the form's draft)."""
    if all(a.name for a in record.attendance):
        return
    names = {m.id: m.name for m in ledger.repo.members()}
    for a in record.attendance:
        a.name = a.name or names.get(a.member_id)


def record_book_pdf(ledger: Ledger, record: Record | int, out: str | Path) -> Path:
    """The record's page of the 三会一课记录本 (A4, signature lines) at ``out``."""
    from ..reports.minutes_book import BookPage, attendance_names, write_book_page

    r = _record(ledger, record)
    _names_of(ledger, r)
    members = ledger.repo.members()
    s = summarize(r, members)
    present, leave, absent = attendance_names(s)
    extra = [a.name or "" for a in s.extra if a.status == "出席"]
    entitled = voters(r, s.expected)
    page = BookPage(
        branch=ledger.repo.branch().name or "本支部",
        record=r,
        expected=s.expected_count,
        present=present,
        leave=leave,
        absent=absent,
        extra=extra,
        votes=[vote_line(v, entitled) for v in r.votes],
    )
    out = Path(out)
    with replacing(out, "正在被 PDF 阅读器打开") as tmp:
        write_book_page(page, tmp)
    return out


def sign_sheet_pdf(ledger: Ledger, record: Record | int, out: str | Path) -> Path:
    """A blank 签到表 for the meeting ``record`` describes (saved or not, planned for a day
    to come): the members expected on that day, to sign, then scan and attach."""
    from ..reports.minutes_book import SignSheet, write_sign_sheet

    r = _record(ledger, record)
    expected = expected_members(r, ledger.repo.members())
    if not expected:
        raise UserError(f"{r.date.isoformat()} 的{r.kind}没有应到人员，无法生成签到表。")
    sheet = SignSheet(
        branch=ledger.repo.branch().name or "本支部",
        record=r,
        members=[(m.name, m.group_name or "") for m in expected],
    )
    out = Path(out)
    with replacing(out, "正在被 PDF 阅读器打开") as tmp:
        write_sign_sheet(sheet, tmp)
    return out


def default_name(record: Record, what: str) -> str:
    """``2025-12-18 支委会 记录.pdf`` (no character a file name may not hold)."""
    name = f"{record.date.isoformat()} {record.kind} {what}.pdf"
    for bad in '\\/:*?"<>|':
        name = name.replace(bad, "_")
    return name
