"""自评定级 use cases: the points table and grade thresholds (the branch's committee sets
them), a period's 自评表 (from the period model), hand scores, 加分/减分 and 评定.

A period is a year (``"2025"``, 年总评) or a month (``"2025-05"``, 月自评). Every write is
one transaction and returns :class:`Changes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from ..domain.assessment import (
    Adjustment,
    Assessment,
    Criterion,
    HandScore,
    Review,
    Thresholds,
    check_hand_scores,
    default_criteria,
    validate_criteria,
)
from ..domain.dates import Period
from ..errors import UserError
from ..storage import assessment_repo as repo
from .ledger import Changes, Ledger


def period_of(key: str) -> Period:
    """``"2025"`` → the year, ``"2025-05"`` → that month. Raises UserError otherwise."""
    try:
        if "-" in key:
            y, m = key.split("-")
            p = Period.month(int(y), int(m))
            if not 1 <= p.index <= 12:
                raise ValueError
            return p
        return Period.whole_year(int(key))
    except ValueError:
        raise UserError(f"自评期间应为年度（如 2025）或月份（如 2025-05）：{key}") from None


def period_key(year: int, month: int | None = None) -> str:
    return Period.month(year, month).key if month else str(year)


# --- the points table ---------------------------------------------------------------------------


def criteria(ledger: Ledger) -> list[Criterion]:
    return repo.criteria(ledger.db)


def thresholds(ledger: Ledger) -> Thresholds:
    return repo.thresholds(ledger.db)


def save_table(
    ledger: Ledger, table: Iterable[Criterion], limits: Thresholds | None = None
) -> Changes:
    """Make ``table`` the branch's points table (and ``limits`` its grade thresholds).
    Criteria left out are removed with the scores given to them."""
    table = list(table)
    problems = validate_criteria(table)
    if limits is not None:
        problems += limits.problems()
    if problems:
        raise UserError("评分标准有误，未保存：", problems)
    with ledger.repo.atomic():
        repo.save_criteria(ledger.db, table)
        if limits is not None:
            repo.set_thresholds(ledger.db, limits)
    return Changes(assessment=True)


def reset_table(ledger: Ledger) -> Changes:
    """Back to the shipped table: criteria of the same 类别 and 评分项目 keep their scores."""
    stored = {c.key: c.id for c in repo.criteria(ledger.db)}
    table = default_criteria()
    for c in table:
        c.id = stored.get(c.key)
    return save_table(ledger, table, Thresholds())


# --- a period's 自评表 ---------------------------------------------------------------------------


def assessment(ledger: Ledger, year: int, month: int | None = None) -> Assessment:
    """The 自评表 of ``year`` (年总评) or of one ``month`` (月自评), from the period model."""
    from .period import load

    a = load(ledger, year, month=month).assessment
    assert a is not None  # a year or a month always has one
    return a


def save_scores(ledger: Ledger, key: str, scores: Iterable[HandScore]) -> Changes:
    """The hand scores and notes of period ``key`` (all of them: a criterion left out has no
    hand score)."""
    period_of(key)
    scores = list(scores)
    problems = check_hand_scores(repo.criteria(ledger.db), scores)
    if problems:
        raise UserError("自评得分有误，未保存：", problems)
    with ledger.repo.atomic():
        repo.set_scores(ledger.db, key, scores)
    return Changes(assessment=True)


def add_adjustment(ledger: Ledger, key: str, points: int, reason: str) -> Changes:
    """加分 (``points`` > 0) or 减分 (< 0), in tenths, with its reason."""
    period_of(key)
    if not points:
        raise UserError("加减分的分值不能为 0")
    if abs(points) > 1000:
        raise UserError("加减分的分值过大")
    if not reason.strip():
        raise UserError("请写明加分或减分的事由")
    with ledger.repo.atomic():
        repo.add_adjustment(ledger.db, Adjustment(None, key, points, reason))
    return Changes(assessment=True)


def delete_adjustment(ledger: Ledger, adjustment_id: int) -> Changes:
    with ledger.repo.atomic():
        repo.delete_adjustment(ledger.db, adjustment_id)
    return Changes(assessment=True)


def set_review(
    ledger: Ledger,
    key: str,
    assessed_on: dt.date | None,
    assessor: str = "",
    remark: str = "",
) -> Changes:
    """评定: the branch's committee settles the period's self-assessment (who, when). A
    period with criteria still to be scored cannot be settled."""
    p = period_of(key)
    if assessed_on is not None:
        a = assessment(ledger, p.year, p.index if p.kind == "month" else None)
        if not a.complete:
            names = "、".join(line.criterion.name for line in a.pending)
            raise UserError(f"还有 {len(a.pending)} 项未评分，不能评定：{names}")
        if assessed_on > ledger.today():
            raise UserError("评定日期不能晚于今天")
    with ledger.repo.atomic():
        if assessed_on is None and not remark.strip():
            repo.delete_review(ledger.db, key)
        else:
            repo.set_review(ledger.db, Review(key, assessed_on, assessor, remark))
    return Changes(assessment=True)


def export_pdf(ledger: Ledger, year: int, month: int | None, out) -> Path:
    """The 自评表 of ``year`` (or ``month``) alone, as a PDF to print and sign."""
    from ..reports.assessment import write_pdf
    from .safety import head_hash

    a = assessment(ledger, year, month)
    return write_pdf(
        out, a, branch=ledger.repo.branch().name or "本支部", chain_head=head_hash(ledger)
    )


def year_overview(ledger: Ledger, year: int) -> list[Assessment]:
    """年总评 and the twelve 月自评 of ``year`` (for the page's overview and the CLI)."""
    from .period import load

    model = load(ledger, year)
    out = [model.assessment] if model.assessment is not None else []
    for m in range(1, 13):
        a = model.part(Period.month(year, m)).assessment
        if a is not None:
            out.append(a)
    return out
