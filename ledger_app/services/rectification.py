"""整改清单 use cases (issue 18): list, add from a problem or a record, save with evidence
files, delete. Statuses and 逾期 are domain.rectification's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..domain.period import Problem
from ..domain.rectification import (
    FROM_PROBLEMS,
    RECORD_SOURCES,
    Rectification,
    RectificationFile,
    validate_rectification,
)
from ..errors import UserError
from ..storage import followup_repo
from .ledger import Changes, Ledger
from .records import _read_file

_TEXT_FIELDS = ("problem", "measure", "owner", "result", "source_note")


def items(ledger: Ledger) -> list[Rectification]:
    """Every 整改 item, by 提出日期."""
    return followup_repo.rectifications(ledger.db)


def item(ledger: Ledger, item_id: int) -> Rectification:
    found = followup_repo.rectification(ledger.db, item_id)
    if found is None:
        raise UserError("该整改事项已不存在。")
    return found


def new_item(ledger: Ledger, source: str, **prefill) -> Rectification:
    """An unsaved item from ``source``, raised today, with ``prefill`` fields."""
    out = Rectification(None, source, "", found_on=ledger.today())
    for key, value in prefill.items():
        if not hasattr(out, key) or key in ("id", "files"):
            raise TypeError(f"unknown field {key!r}")
        setattr(out, key, value)
    return out


def from_problem(ledger: Ledger, problem: Problem) -> Rectification:
    """A new item for one line of the program's 问题清单 (it keeps the problem's key, so the
    问题清单 prints this item's 整改情况 beside it)."""
    text = f"{problem.when} {problem.what}：{problem.detail}"
    return new_item(ledger, FROM_PROBLEMS, problem=text, source_key=problem.key)


def from_record(ledger: Ledger, record_id: int, problem: str = "") -> Rectification:
    """A new item found at a 组织生活会 or 民主评议党员 (查摆问题, 批评意见)."""
    rec = ledger.repo.record(record_id)
    if rec is None:
        raise UserError("该记录已不存在。")
    if rec.kind not in RECORD_SOURCES:
        raise UserError("只有组织生活会、民主评议党员的记录可以列入整改清单。")
    return new_item(ledger, rec.kind, problem=problem, record_id=record_id, found_on=rec.date)


def open_problems(ledger: Ledger, year: int, quarter: int | None = None) -> list[Problem]:
    """The period's 问题清单 lines that have no 整改 item yet."""
    from .period import load

    model = load(ledger, year, quarter)
    return [p for p in model.problems if model.rectification_of(p.key) is None]


def source_records(ledger: Ledger, source: str, year: int) -> list[tuple[int, str]]:
    """(record id, label) of the year's records of a record source, newest first."""
    if source not in RECORD_SOURCES:
        return []
    recs = ledger.repo.records(
        kinds=[source], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), with_attendance=False
    )
    return [
        (r.id, f"{r.date.isoformat()} {r.kind}" + (f"（{r.topic}）" if r.topic else ""))  # type: ignore[misc]
        for r in reversed(recs)
    ]


def record_label(ledger: Ledger, record_id: int | None) -> str:
    if record_id is None:
        return ""
    r = ledger.repo.record(record_id)
    return f"{r.date.isoformat()} {r.kind}" if r else "（记录已删除）"


def save_item(
    ledger: Ledger,
    rect: Rectification,
    add_files: Iterable[str | Path] = (),
    remove_files: Iterable[int] = (),
) -> Changes:
    """Add (``id`` None) or update an item with its evidence files, in one transaction."""
    it = replace(rect)
    for name in _TEXT_FIELDS:
        value = getattr(it, name)
        setattr(it, name, value.strip() if value and value.strip() else None)
    it.problem = it.problem or ""
    problems = [str(e) for e in validate_rectification(it)]
    if it.record_id is not None and ledger.repo.record(it.record_id) is None:
        problems.append("来源记录：该记录已不存在")
    if problems:
        raise UserError("整改事项有误，未保存：", problems)
    files = [_read_file(Path(p)) for p in add_files]
    db = ledger.db
    with ledger.repo.atomic():
        if it.id is None:
            followup_repo.add_rectification(db, it)
        else:
            if followup_repo.rectification(db, it.id) is None:
                raise UserError("该整改事项已被删除，无法保存修改。")
            followup_repo.update_rectification(db, it)
        for file_id in remove_files:
            followup_repo.delete_rectification_file(db, file_id)
        for name, mime, data in files:
            followup_repo.add_rectification_file(db, it.id, name, mime, data)  # type: ignore[arg-type]
    rect.id = it.id
    return Changes(followup=True)


def delete_item(ledger: Ledger, item_id: int) -> Changes:
    item(ledger, item_id)
    with ledger.repo.atomic():
        followup_repo.delete_rectification(ledger.db, item_id)
    return Changes(followup=True)


def files(ledger: Ledger, item_id: int) -> list[RectificationFile]:
    return followup_repo.rectification_files(ledger.db, item_id)


def export_file(ledger: Ledger, file_id: int, target: str | Path) -> Path:
    """Write an evidence file to ``target`` (a file, or a folder: its own name)."""
    found = followup_repo.rectification_file_data(ledger.db, file_id)
    if found is None:
        raise UserError("该附件已不存在。")
    name, data = found
    target = Path(target)
    if target.is_dir():
        target = target / name
    try:
        target.write_bytes(data)
    except OSError as e:
        raise UserError(f"无法写入“{target}”：{e.strerror or e}") from e
    return target
