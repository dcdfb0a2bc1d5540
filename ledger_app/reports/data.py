"""Everything the inspection PDF shows, gathered once from the services and domain rules.

No layout here: plain data for :mod:`.sections`. Every figure comes from the rule code the
GUI and the command line use (compliance, dues, attendance); nothing is recomputed here
in a second way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ..domain.attendance import (
    QUORUM_KINDS,
    AttendanceSummary,
    Roster,
    quorum_met,
    summarize,
)
from ..domain.compliance import (
    Board,
    CheckResult,
    belongs_during,
    is_late_entry,
    missing_fields,
)
from ..domain.dates import Period, checked_period
from ..domain.dues import DuesYear
from ..domain.models import (
    CATEGORIES,
    RECORD_KINDS,
    AttachmentInfo,
    Branch,
    Group,
    Member,
    Record,
    VolunteerEntry,
)
from ..domain.period import PeriodModel
from ..services.ledger import Ledger

SECTIONS = ("cover", "overview", "problems", "followup", "records", "dues", "volunteer")
SECTION_TITLES = {
    "cover": "封面",
    "overview": "基本情况",
    "problems": "问题清单",
    "followup": "评议与整改",  # issue 18
    "records": "组织生活记录",
    "dues": "党费收缴",
    "volunteer": "志愿服务",
}
NO_GROUP = "未分组"


@dataclass
class RecordView:
    """One record with what the PDF prints beside its fields."""

    record: Record
    summary: AttendanceSummary
    late: bool  # 补记
    missing: list[str]  # empty "checked" fields (contract column names)
    quorum_short: bool  # fewer than half present at a 支部党员大会 / 支委会
    attachments: list[AttachmentInfo] = field(default_factory=list)
    changed_at: str | None = None  # changed after the fact: time of the last change (audit)

    @property
    def title(self) -> str:
        r = self.record
        what = r.kind + (f"（{r.group_name}）" if r.group_name else "")
        return f"{r.date.isoformat()} {what}"


@dataclass
class AttendanceStats:
    """应到 / 实到 / 请假 / 缺席 person-times over some records."""

    records: int = 0
    expected: int = 0
    present: int = 0
    leave: int = 0
    absent: int = 0

    def add(self, s: AttendanceSummary) -> None:
        self.records += 1
        self.expected += s.expected_count
        self.present += s.present_count
        self.leave += s.leave_count
        self.absent += s.absent_count

    @property
    def rate_permille(self) -> int | None:
        """出席率 in ‰ (integer, half up); None when nobody was expected."""
        if not self.expected:
            return None
        return (self.present * 2000 + self.expected) // (2 * self.expected)


@dataclass
class ReportData:
    branch: Branch
    period: Period
    today: dt.date
    members: list[Member]  # everyone who belonged on at least one day of the period
    on_roll: list[Member]  # 在册 at the end of the period (or today, if earlier)
    joined: list[Member]  # came into the branch during the period
    left: list[Member]  # left during the period
    groups: list[Group]
    check: CheckResult
    board: Board
    records: list[RecordView]  # in kind order, then date
    by_kind: dict[str, AttendanceStats]
    by_month: dict[int, AttendanceStats]
    dues: DuesYear  # the period's year
    volunteer: list[VolunteerEntry]
    volunteer_min: int = 1  # services a month expected of an 在职 member
    author: str = ""
    model: PeriodModel | None = None  # the period model (issue 18: 整改情况, 记录过简, 评议)

    @property
    def branch_name(self) -> str:
        return self.branch.name or "本支部"

    @property
    def period_label(self) -> str:
        """``2025年度`` or ``2025年第二季度``."""
        p = self.period
        return f"{p.year}年度" if p.kind == "year" else p.label

    @property
    def as_of(self) -> dt.date:
        """The day the roster is counted on: the period's end, or today if that is earlier."""
        return min(self.period.end, self.today)

    @property
    def secretary(self) -> str:
        info = self.branch.info.get("书记")
        if info:
            return info
        names = [m.name for m in self.on_roll if m.post and "书记" in m.post and "副" not in m.post]
        return "、".join(names)

    def months(self) -> list[int]:
        return [p.index for p in self.period.months()]

    def due_months(self) -> list[int]:
        """The period's months whose dues are due by today: the month under way and months
        still to come are not yet 欠缴 (one rule with the dues grid: dues.due_through)."""
        from ..domain.dues import due_through

        last = due_through(self.period.year, self.today)
        return [p.index for p in self.period.months() if p.index <= last]


def gather(
    ledger: Ledger, year: int, quarter: int | None, with_attachments: bool = True
) -> ReportData:
    """Read the ledger once and apply the rules for ``year`` (and ``quarter``)."""
    from ..services.compliance import board_data, run_check

    repo = ledger.repo
    period = checked_period(year, quarter)
    today = ledger.today()
    all_members = repo.members()
    members = [m for m in all_members if belongs_during(m, period.start, period.end)]
    as_of = min(period.end, today)
    on_roll = [m for m in members if m.belongs_on(as_of)]
    joined = [m for m in members if m.start_date and period.contains(m.start_date)]
    left = [m for m in members if m.end_date and period.contains(m.end_date)]

    records = repo.records(start=period.start, end=period.end)
    groups = repo.groups()
    kind_rank = {k: i for i, k in enumerate(RECORD_KINDS)}
    group_rank = {g.id: i for i, g in enumerate(groups)}
    records.sort(
        key=lambda r: (
            kind_rank.get(r.kind, 99),
            group_rank.get(r.group_id, -1),
            r.date,
            r.time or "",
            r.id or 0,
        )
    )
    from ..services.safety import changed_records

    changed = changed_records(ledger)
    views: list[RecordView] = []
    by_kind: dict[str, AttendanceStats] = {}
    by_month: dict[int, AttendanceStats] = {p.index: AttendanceStats() for p in period.months()}
    roster = Roster(all_members)
    for r in records:
        s = summarize(r, roster)
        quorum = quorum_met(r, roster) if r.kind in QUORUM_KINDS else None
        atts = repo.attachments(r.id) if with_attachments and r.id is not None else []
        views.append(
            RecordView(
                r,
                s,
                is_late_entry(r),
                missing_fields(r),
                quorum is False,
                atts,
                changed.get(r.id) if r.id is not None else None,
            )
        )
        by_kind.setdefault(r.kind, AttendanceStats()).add(s)
        by_month.setdefault(r.date.month, AttendanceStats()).add(s)

    from ..services.dues import dues_report
    from ..services.period import load
    from ..services.volunteer import min_per_month

    dues = dues_report(ledger, year)

    return ReportData(
        branch=repo.branch(),
        period=period,
        today=today,
        members=members,
        on_roll=on_roll,
        joined=joined,
        left=left,
        groups=groups,
        check=run_check(ledger, year, quarter),
        board=board_data(ledger, year),
        records=views,
        by_kind=by_kind,
        by_month=by_month,
        dues=dues,
        volunteer=repo.volunteer(period.start, period.end),
        volunteer_min=min_per_month(ledger),
        author=repo.branch().name or ledger.user,
        model=load(ledger, year, quarter),
    )


def count_by(
    members: list[Member], attr: str, order: tuple[str, ...] = ()
) -> list[tuple[str, int]]:
    """``[(value, count)]`` in ``order`` first, then the rest by count; blank → 未填."""
    c = Counter((getattr(m, attr) or "未填") for m in members)
    out = [(k, c.pop(k)) for k in order if k in c]
    out += sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
    return out


def category_counts(members: list[Member]) -> list[tuple[str, int]]:
    return count_by(members, "category", CATEGORIES)
