"""民主评议党员 等次 use cases (issue 18): the grade list of a year, saving a grade with its
follow-up, grading the rest 合格 at once. The rules are domain.appraisal's; the year's
figures (优秀 share, who is still to be graded) come from the period model."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..domain.appraisal import GRADES, Appraisal, AppraisalFigures, validate_appraisal
from ..domain.compliance import belongs_during
from ..domain.dates import Period
from ..domain.models import Member
from ..errors import UserError
from ..storage import followup_repo
from .ledger import Changes, Ledger


def figures(ledger: Ledger, year: int) -> AppraisalFigures:
    """The year's 民主评议 as the period model has it (the same figures the 工作台, the
    workbook and the PDF show)."""
    from .period import load

    return load(ledger, year).appraisal


@dataclass
class AppraisalRow:
    """One line of the grade list: a member and their grade of the year (None: not yet)."""

    member: Member
    appraisal: Appraisal | None
    expected: bool  # should get a 等次 (正式党员 on the day of the 评议)


def rows(ledger: Ledger, year: int) -> list[AppraisalRow]:
    """Everyone who should be graded, then anyone else graded that year, in roster order."""
    fig = figures(ledger, year)
    by_member = {a.member_id: a for a in fig.entries}
    expected = {m.id for m in fig.expected}
    out = [AppraisalRow(m, by_member.get(m.id), True) for m in fig.expected]  # type: ignore[arg-type]
    for a in fig.entries:
        if a.member_id not in expected:
            m = fig.members.get(a.member_id)
            if m is not None:
                out.append(AppraisalRow(m, a, False))
    return out


def save_grade(ledger: Ledger, appraisal: Appraisal) -> Changes:
    """Save one member's 等次 of a year (replacing an earlier one), in one transaction."""
    a = replace(appraisal)
    for name in ("reason", "talk_by", "measure", "result"):
        value = (getattr(a, name) or "").strip()
        setattr(a, name, value or None)
    problems = validate_appraisal(a)
    m = ledger.repo.member(a.member_id)
    if m is None:
        raise UserError("该党员已不存在。")
    y = Period.whole_year(a.year)
    if not belongs_during(m, y.start, y.end):
        problems.insert(0, UserError(f"{m.name}在{a.year}年不是本支部党员"))
    if problems:
        raise UserError(f"{m.name}的评议等次有误，未保存：", [str(e) for e in problems])
    with ledger.repo.atomic():
        followup_repo.save_appraisal(ledger.db, a)
    appraisal.id = a.id
    return Changes(followup=True)


def clear_grade(ledger: Ledger, year: int, member_id: int) -> Changes:
    with ledger.repo.atomic():
        followup_repo.delete_appraisal(ledger.db, year, member_id)
    return Changes(followup=True)


def grade_rest(ledger: Ledger, year: int, grade: str = "合格") -> Changes:
    """Give ``grade`` to everyone still without a 等次 (most members are 合格: the clerk
    then changes the few others)."""
    if grade not in GRADES[:2]:
        raise UserError("只能把其余党员统一评为优秀或合格。")
    fig = figures(ledger, year)
    rest = fig.ungraded
    if not rest:
        raise UserError(f"{year}年应评定等次的党员都已评定。")
    with ledger.repo.atomic():
        for m in rest:
            followup_repo.save_appraisal(ledger.db, Appraisal(None, year, m.id, grade))  # type: ignore[arg-type]
    return Changes(followup=True)


def years(ledger: Ledger) -> list[int]:
    """Years with grades, and this year and last year (the 评议 of last year is often held
    early in this one), newest first."""
    found = {a.year for a in followup_repo.appraisals(ledger.db)}
    today = ledger.today()
    found |= {today.year, today.year - 1}
    return sorted(found, reverse=True)
