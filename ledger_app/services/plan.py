"""年度工作计划 and the year-end 书记述职 / 年度工作总结: plan items, planned vs held (from the
period model), and the summary draft the clerk edits, saves and prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..domain.plan import PlanFigures, PlanItem, summary_draft, summary_title, validate_item
from ..errors import UserError
from ..storage import assessment_repo as repo
from .ledger import Changes, Ledger


def items(ledger: Ledger, year: int) -> list[PlanItem]:
    return repo.plan_items(ledger.db, year)


def years(ledger: Ledger) -> list[int]:
    return repo.plan_years(ledger.db)


def status(ledger: Ledger, year: int, quarter: int | None = None) -> PlanFigures:
    """Each plan item of the year (or quarter) with what became of it."""
    from .period import load

    return load(ledger, year, quarter).plan


def _check(item: PlanItem) -> None:
    problems = validate_item(item)
    if problems:
        raise UserError("计划项目有误：", problems)


def add_item(ledger: Ledger, item: PlanItem) -> Changes:
    _check(item)
    with ledger.repo.atomic():
        repo.add_plan_item(ledger.db, item)
    return Changes(plan=True)


def update_item(ledger: Ledger, item: PlanItem) -> Changes:
    if item.id is None:
        raise UserError("这一项计划尚未保存")
    _check(item)
    with ledger.repo.atomic():
        repo.update_plan_item(ledger.db, item)
    return Changes(plan=True)


def delete_items(ledger: Ledger, ids: Iterable[int]) -> Changes:
    with ledger.repo.atomic():
        for i in ids:
            repo.delete_plan_item(ledger.db, i)
    return Changes(plan=True)


def _same(a: PlanItem, b: PlanItem) -> bool:
    return (a.month, a.kind, a.topic.strip(), a.lecturer.strip()) == (
        b.month,
        b.kind,
        b.topic.strip(),
        b.lecturer.strip(),
    )


def copy_year(ledger: Ledger, source: int, target: int) -> tuple[Changes, int]:
    """Copy ``source``'s plan into ``target`` (items already there are not doubled);
    returns how many were added."""
    if source == target:
        raise UserError("请选择另一个年度的计划来复制")
    found = repo.plan_items(ledger.db, source)
    if not found:
        raise UserError(f"{source}年没有工作计划可以复制")
    have = repo.plan_items(ledger.db, target)
    added = 0
    with ledger.repo.atomic():
        for item in found:
            new = replace(item, id=None, year=target)
            if any(_same(new, h) for h in have):
                continue
            repo.add_plan_item(ledger.db, new)
            have.append(new)
            added += 1
    return Changes(plan=True), added


# --- 年度工作总结 ----------------------------------------------------------------------------------


@dataclass
class Summary:
    """The year's summary: the clerk's saved text, or a fresh draft (``saved_at`` None)."""

    year: int
    title: str
    text: str
    saved_at: str | None = None


def draft(ledger: Ledger, year: int) -> str:
    """A new draft from the ledger's figures of ``year`` (see domain.plan.summary_draft)."""
    from .period import load

    return summary_draft(load(ledger, year))


def summary(ledger: Ledger, year: int) -> Summary:
    from .period import load

    model = load(ledger, year)
    saved = repo.year_summary(ledger.db, year)
    if saved is not None:
        return Summary(year, summary_title(model), saved[0], saved[1])
    return Summary(year, summary_title(model), summary_draft(model))


def save_summary(ledger: Ledger, year: int, text: str) -> Changes:
    """Keep the clerk's edited text (an empty text goes back to the draft)."""
    if len(text) > 200_000:
        raise UserError("总结过长（最多 20 万字）")
    with ledger.repo.atomic():
        repo.set_year_summary(ledger.db, year, text)
    return Changes(plan=True)


def export_summary_pdf(ledger: Ledger, year: int, text: str, out: str | Path) -> Path:
    """The summary ``text`` as a printable A4 PDF at ``out`` (never a half file)."""
    from ..reports.summary import write_text_pdf
    from .period import load
    from .safety import head_hash

    model = load(ledger, year)
    if not text.strip():
        raise UserError("总结是空的，没有可打印的内容")
    return write_text_pdf(
        out,
        text,
        title=summary_title(model),
        header_left=model.branch_name,
        header_right=f"{year}年度工作总结",
        chain_head=head_hash(ledger),
    )
