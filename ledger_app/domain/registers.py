"""The registers every branch keeps beside its meetings — 发展党员, 组织关系转接 and 党员关怀 —
as the period model sees them: their data (:class:`RegistersData`, read once with the rest
of a period), their figures for the workbook and the PDF, and their 待办与提醒.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from . import development as D
from . import transfers as T
from .care import AWARD, PENALTY, Birthday, CareVisit, Honor, birthdays
from .dates import Period
from .models import Member

if TYPE_CHECKING:
    from .period import PeriodModel, Reminder

SOURCE_DEVELOPMENT = "发展党员"
SOURCE_TRANSFER = "组织关系"
SOURCE_CARE = "党员关怀"


@dataclass(frozen=True)
class MeetingRef:
    """A meeting record a register links to, as it is named in lists."""

    id: int
    date: dt.date
    kind: str
    topic: str | None = None

    @property
    def label(self) -> str:
        return D.meeting_label(self.date, self.kind)


@dataclass
class RegistersData:
    """Everything the three registers hold (not only one period's: a person's 发展 runs
    over years, and a transfer's 回执 is due after the period)."""

    applicants: list[D.Applicant] = field(default_factory=list)
    steps: list[D.Step] = field(default_factory=list)
    transfers: list[T.Transfer] = field(default_factory=list)
    flows: list[T.Flow] = field(default_factory=list)
    visits: list[CareVisit] = field(default_factory=list)
    honors: list[Honor] = field(default_factory=list)
    meetings: dict[int, MeetingRef] = field(default_factory=dict)  # the records linked to
    receipt_days: int = T.DEFAULT_RECEIPT_DAYS

    def meeting_text(self, record_id: int | None, written: str | None) -> str:
        """The linked meeting's label, else what was written."""
        ref = self.meetings.get(record_id) if record_id is not None else None
        return ref.label if ref else (written or "")


def _in(p: Period, day: dt.date | None) -> bool:
    return day is not None and p.contains(day)


# --- 发展党员 ------------------------------------------------------------------------------


@dataclass
class DevelopmentFigures:
    """The 发展党员 register in a period."""

    period: Period
    as_of: dt.date
    people: list[D.Progress]  # followed during the period (or with a step in it)

    @cached_property
    def by_stage(self) -> list[tuple[str, int]]:
        """入党申请人 … 预备党员 on ``as_of``."""
        return D.stage_counts(self.people, self.as_of)

    @cached_property
    def steps(self) -> list[tuple[D.Progress, D.Step]]:
        """The steps recorded in the period, by date."""
        found = [(p, s) for p in self.people for s in p.steps if self.period.contains(s.date)]
        return sorted(found, key=lambda ps: (ps[1].date, ps[1].no, ps[0].name))

    def history(self, p: D.Progress) -> list[D.Step]:
        """A person's steps up to the period's end (what the workbook and the PDF print)."""
        return [s for s in p.steps if s.date <= self.period.end]

    @cached_property
    def admitted(self) -> list[D.Progress]:
        """接收为预备党员 in the period."""
        return [p for p in self.people if _in(self.period, p.admitted_on)]

    @cached_property
    def converted(self) -> list[D.Progress]:
        """转为正式党员 (支部党员大会 voted 按期转正) in the period."""
        out = []
        for p in self.people:
            s = p.done(D.STEP_CONVERT)
            if s is not None and self.period.contains(s.date):
                out.append(p)
        return out

    @cached_property
    def applied(self) -> list[D.Progress]:
        """递交入党申请书 in the period."""
        return [p for p in self.people if _in(self.period, p.started)]


def development_figures(model: PeriodModel) -> DevelopmentFigures:
    data = model.inputs.registers
    p = model.period
    everyone = D.progresses(data.applicants, data.steps)
    people = [x for x in everyone if x.active_during(p.start, p.end)]
    return DevelopmentFigures(p, model.as_of, people)


# --- 组织关系转接 ----------------------------------------------------------------------------


@dataclass
class TransferFigures:
    period: Period
    today: dt.date
    receipt_days: int
    transfers: list[T.Transfer]  # dated in the period
    flows: list[T.Flow]  # away on at least one day of the period

    @property
    def outs(self) -> list[T.Transfer]:
        return [t for t in self.transfers if t.direction == T.OUT]

    @property
    def ins(self) -> list[T.Transfer]:
        return [t for t in self.transfers if t.direction == T.IN]

    def receipt(self, t: T.Transfer) -> str:
        """回执情况 as of today."""
        return T.receipt_state(t, self.today, self.receipt_days)

    @property
    def overdue(self) -> list[T.Transfer]:
        return [
            t
            for t in self.transfers
            if t.receipt_date is None and self.today > T.receipt_due(t, self.receipt_days)
        ]


def transfer_figures(model: PeriodModel) -> TransferFigures:
    data = model.inputs.registers
    p = model.period
    transfers = sorted(
        (t for t in data.transfers if p.contains(t.date)), key=lambda t: (t.date, t.id or 0)
    )
    flows = sorted(
        (
            f
            for f in data.flows
            if f.start_date <= p.end and (f.end_date is None or f.end_date > p.start)
        ),
        key=lambda f: (f.start_date, f.id or 0),
    )
    return TransferFigures(p, model.today, data.receipt_days, transfers, flows)


# --- 党员关怀 ------------------------------------------------------------------------------


@dataclass
class CareFigures:
    period: Period
    birthdays: dict[int, list[Birthday]]  # month of the period → 政治生日 that month
    visits: list[CareVisit]
    honors: list[Honor]

    @property
    def awards(self) -> list[Honor]:
        return [h for h in self.honors if h.kind == AWARD]

    @property
    def penalties(self) -> list[Honor]:
        return [h for h in self.honors if h.kind == PENALTY]

    @property
    def birthday_count(self) -> int:
        return sum(len(v) for v in self.birthdays.values())

    @property
    def visit_amount_fen(self) -> int:
        """慰问金 of the period's visits (分)."""
        return sum(v.amount_fen or 0 for v in self.visits)


def care_figures(model: PeriodModel) -> CareFigures:
    data = model.inputs.registers
    p = model.period
    members: list[Member] = model.inputs.members
    return CareFigures(
        p,
        {m: birthdays(members, p.year, m) for m in model.months},
        sorted((v for v in data.visits if p.contains(v.date)), key=lambda v: (v.date, v.id or 0)),
        sorted((h for h in data.honors if p.contains(h.date)), key=lambda h: (h.date, h.id or 0)),
    )


# --- 待办与提醒 ------------------------------------------------------------------------------


def reminders(model: PeriodModel) -> list[Reminder]:
    """The three registers' lines of the 工作台's 待办与提醒, as of today: what is due in
    each person's 发展 (谈话, 培养联系人, 培养满一年, 思想汇报, 上级审批, 预备期满 …),
    回执 overdue and roster changes with no transfer recorded, and this month's 政治生日."""
    from .period import Reminder

    data = model.inputs.registers
    today = model.today
    out: list[Reminder] = []
    for p in D.progresses(data.applicants, data.steps):
        for d in D.dues(p, today):
            out.append(
                Reminder(
                    f"发展:{p.id}:{d.key}",
                    SOURCE_DEVELOPMENT,
                    f"{p.name}（{p.stage_on(today)}）：{d.text}",
                    d.level,
                    d.due,
                    ("development", {"applicant_id": p.id, "step": d.step.no}),
                )
            )
    for d in T.dues(data.transfers, model.inputs.members, today, data.receipt_days):
        out.append(
            Reminder(
                f"组织关系:{d.key}",
                SOURCE_TRANSFER,
                d.text,
                d.level,
                d.due,
                ("transfers", {"transfer_id": d.transfer_id, "member_id": d.member_id}),
            )
        )
    found = birthdays(model.inputs.members, today.year, today.month)
    if found:
        names = "、".join(b.text for b in found[:8])
        more = f" 等 {len(found)} 人" if len(found) > 8 else ""
        out.append(
            Reminder(
                f"政治生日:{today.year}-{today.month:02d}",
                SOURCE_CARE,
                f"本月政治生日 {len(found)} 人：{names}{more}",
                "info",
                dt.date(today.year, today.month, 1),
                ("care", {"year": today.year, "month": today.month}),
            )
        )
    return out
