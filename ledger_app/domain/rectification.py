"""问题清单 → 整改清单 (issue 18): each problem found gets a measure, an owner, a deadline,
a status and evidence.

Problems come from a 组织生活会 (查摆问题, 批评与自我批评), from 民主评议党员, from an
inspection's feedback (上级检查反馈, typed in), or from the program's own 问题清单
(``PeriodModel.problems``: the item keeps the problem's stable ``key``). Status is stored as
未开始 / 整改中 / 已完成; 逾期 is derived — the deadline has passed and the item is not
已完成 — never stored, so it is always as of today.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ValidationError

NOT_STARTED = "未开始"
IN_PROGRESS = "整改中"
DONE = "已完成"
OVERDUE = "逾期"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)
SHOWN_STATUSES = (*STATUSES, OVERDUE)  # what lists and the PDF show

FROM_LIFE_MEETING = "组织生活会"
FROM_APPRAISAL = "民主评议党员"
FROM_INSPECTION = "上级检查反馈"
FROM_PROBLEMS = "问题清单"
FROM_OTHER = "其他"
SOURCES = (FROM_LIFE_MEETING, FROM_APPRAISAL, FROM_INSPECTION, FROM_PROBLEMS, FROM_OTHER)
RECORD_SOURCES = (FROM_LIFE_MEETING, FROM_APPRAISAL)  # sources that name a record
DUE_SOON_DAYS = 14  # an open item this close to its deadline is due soon


@dataclass
class Rectification:
    """One line of the 整改清单."""

    id: int | None
    source: str  # 来源 (SOURCES)
    problem: str  # 问题
    measure: str | None = None  # 整改措施
    owner: str | None = None  # 责任人
    deadline: dt.date | None = None  # 整改时限
    status: str = NOT_STARTED  # stored status (STATUSES)
    done_on: dt.date | None = None  # 完成日期
    result: str | None = None  # 整改情况 (what was done; the evidence in words)
    source_key: str | None = None  # the 问题清单's Problem.key
    record_id: int | None = None  # the 组织生活会 / 民主评议党员 record it came from
    found_on: dt.date | None = None  # 提出日期
    source_note: str | None = None  # 来源说明 (检查单位和时间, …)
    files: int = 0  # evidence files kept with it (filled by storage)

    @property
    def done(self) -> bool:
        return self.status == DONE

    def overdue(self, today: dt.date) -> bool:
        """逾期: the deadline has passed and it is not done."""
        return not self.done and self.deadline is not None and self.deadline < today

    def shown_status(self, today: dt.date) -> str:
        return OVERDUE if self.overdue(today) else self.status

    def due_soon(self, today: dt.date, days: int = DUE_SOON_DAYS) -> bool:
        return (
            not self.done
            and self.deadline is not None
            and today <= self.deadline <= today + dt.timedelta(days=days)
        )

    def open_during(self, start: dt.date, end: dt.date) -> bool:
        """Raised on or before ``end`` and not done before ``start``."""
        raised = self.found_on or dt.date.min
        finished = self.done and self.done_on is not None and self.done_on < start
        return raised <= end and not finished

    @property
    def fix_text(self) -> str:
        """整改情况 as the 问题清单 prints it: ``已完成（2025-03-01）：……`` /
        ``整改中，时限2025-04-30：措施……``."""
        parts = [self.status]
        if self.done and self.done_on:
            parts[0] += f"（{self.done_on.isoformat()}）"
        elif self.deadline:
            parts[0] += f"，时限{self.deadline.isoformat()}"
        detail = (self.result or "").strip() if self.done else (self.measure or "").strip()
        if not detail:
            detail = (self.result or self.measure or "").strip()
        return parts[0] + (f"：{detail}" if detail else "")


def validate_rectification(item: Rectification) -> list[ValidationError]:
    """Every problem that stops the item from being saved, each naming its field."""
    out = []
    if not (item.problem or "").strip():
        out.append(ValidationError("问题", "不能为空"))
    if item.source not in SOURCES:
        out.append(ValidationError("来源", "应为 " + " / ".join(SOURCES)))
    if item.status not in STATUSES:
        out.append(ValidationError("状态", "应为 " + " / ".join(STATUSES)))
    if item.status == DONE and item.done_on is None:
        out.append(ValidationError("完成日期", "已完成的整改请填写完成日期"))
    if item.done_on is not None and item.status != DONE:
        out.append(ValidationError("完成日期", "只有已完成的整改才有完成日期"))
    if item.found_on and item.deadline and item.deadline < item.found_on:
        out.append(ValidationError("整改时限", "早于提出日期"))
    if item.found_on and item.done_on and item.done_on < item.found_on:
        out.append(ValidationError("完成日期", "早于提出日期"))
    if item.source == FROM_PROBLEMS and not item.source_key:
        out.append(ValidationError("来源", "来自问题清单的整改须选择一个问题"))
    return out


def open_items(items: Iterable[Rectification]) -> list[Rectification]:
    return [i for i in items if not i.done]


@dataclass
class RectificationFile:
    """An evidence file kept with a 整改 item (the bytes stay in storage)."""

    id: int | None
    item_id: int
    filename: str
    mime: str | None = None
    size: int = 0
    added_at: str | None = None


__all__ = [
    "DONE",
    "IN_PROGRESS",
    "NOT_STARTED",
    "OVERDUE",
    "RECORD_SOURCES",
    "SHOWN_STATUSES",
    "SOURCES",
    "STATUSES",
    "Rectification",
    "RectificationFile",
    "open_items",
    "validate_rectification",
]
