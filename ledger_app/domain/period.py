"""The one read model of a period: every figure the 工作台, the lists, ``check``, ``dues``,
the Excel workbook and the PDF show, computed once from plain data with the domain rules.

:class:`PeriodInputs` is what storage holds for a period (read once, by
``services.period.load``); :class:`PeriodModel` works out each part on first use and keeps
it. Renderers (the workbook writer, the PDF, the GUI pages, the command line) take a model
and print its figures; they never compute a figure of their own, so the same word means the
same number everywhere. The words are defined once, in docs/台账格式.md (术语).

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from . import compliance as C
from .appraisal import DEFAULT_CAP_PERMILLE, Appraisal, AppraisalFigures, appraisal_figures  # 18
from .attendance import QUORUM_KINDS, AttendanceSummary, Roster, quorum_met, summarize
from .cadres import CADRE_FLAGGED, CadreLectures, cadre_lectures
from .dates import Period
from .dues import DuesYear, MemberDues, compute_year
from .minutes import BriefRecord, MinutesRule, brief_records
from .models import (
    CATEGORIES,
    IMPORTED,
    POSTS,
    RECORD_KINDS,
    AttachmentInfo,
    Branch,
    DuesSetting,
    FrequencyRule,
    Group,
    Member,
    Record,
    VolunteerEntry,
    split_posts,
)
from .rectification import Rectification
from .volunteer import EXPECTED_CATEGORIES

NO_GROUP = "未分组"
TOTAL = "合计"

# --- inputs -------------------------------------------------------------------------------


@dataclass
class PeriodInputs:
    """Everything a period's figures are computed from, as storage holds it.

    ``records`` and ``volunteer`` cover the period's whole year (the board and a quarter's
    alerts look at the rest of the year); ``members`` is everyone ever recorded, in roster
    order (应到 is worked out from who belonged on each day). ``earlier`` gives the month
    flags of an earlier year, for member alerts counted back across the period's start;
    ``floor`` is the ledger's first month.
    """

    branch: Branch
    period: Period
    today: dt.date
    members: list[Member]
    groups: list[Group]
    records: list[Record]
    rules: list[FrequencyRule]
    dues_settings: dict[int, DuesSetting]
    paid_by_month: dict[int, dict[int, int]]
    rounding: str
    volunteer: list[VolunteerEntry]
    volunteer_min: int = 1
    changed: dict[int, str] = field(default_factory=dict)  # record id → when changed
    attachments: dict[int, list[AttachmentInfo]] = field(default_factory=dict)
    floor: Period | None = None
    earlier: Callable[[int], C.YearFlags] | None = None
    user: str = ""
    # issue 18: 民主评议等次 of the year, the 整改清单, 记录过简 rules, leading cadres
    appraisals: list[Appraisal] = field(default_factory=list)
    rectifications: list[Rectification] = field(default_factory=list)
    minutes_rules: dict[str, MinutesRule] = field(default_factory=dict)
    cadre_source: str = CADRE_FLAGGED
    excellent_cap_permille: int = DEFAULT_CAP_PERMILLE


# --- parts --------------------------------------------------------------------------------


def post_rank(member: Member) -> tuple[int, int]:
    """Sort key of the 支部委员会: 书记, 副书记, 组织委员, 宣传委员, 纪检委员, other 委员."""
    posts = split_posts(member.post or "")
    ranks = [POSTS.index(p) for p in posts if p in POSTS]
    return (min(ranks) if ranks else len(POSTS), 0)


@dataclass
class RosterFigures:
    """Who belongs, counted on one day (``as_of``: the period's end, or today if earlier)
    and over the period.

    - 在册 (``on_roll``): belongs to the branch on ``as_of``.
    - 期内党员 (``in_period``): belonged on at least one day of the period — 在册 plus
      those who left during it (转出、去世 …): the members the dues and attendance of the
      period are about.
    """

    as_of: dt.date
    in_period: list[Member]
    on_roll: list[Member]
    joined: list[Member]  # came into the branch during the period
    left: list[Member]  # left during the period
    groups: list[Group]
    branch: Branch

    @cached_property
    def formal(self) -> int:
        """正式党员 among 在册, on ``as_of``."""
        return sum(1 for m in self.on_roll if m.is_full_member_on(self.as_of))

    @property
    def probationary(self) -> int:
        return len(self.on_roll) - self.formal

    @cached_property
    def by_category(self) -> list[tuple[str, int]]:
        """在册 by 人员类别, in the contract's order, then any other value; blank → 未填."""
        return count_by(self.on_roll, "category", CATEGORIES)

    @cached_property
    def by_group(self) -> list[tuple[str, int]]:
        """在册 by 党小组 (in the groups' order, 未分组 last)."""
        counts = Counter(m.group_name or NO_GROUP for m in self.on_roll)
        out = [(g.name, counts.pop(g.name, 0)) for g in self.groups]
        out += sorted(counts.items(), key=lambda kv: (kv[0] == NO_GROUP, kv[0]))
        return out

    def category_count(self, category: str) -> int:
        return dict(self.by_category).get(category, 0)

    @cached_property
    def committee(self) -> list[Member]:
        """支部委员会 (在册), 书记 first, in the order of :data:`models.POSTS`."""
        found = [m for m in self.on_roll if m.is_committee]
        order = {id(m): i for i, m in enumerate(found)}
        return sorted(found, key=lambda m: (post_rank(m), order[id(m)]))

    @property
    def secretary(self) -> str:
        """书记: as 支部信息 names them, else the 在册 member whose post it is."""
        named = self.branch.info.get("书记")
        if named:
            return named
        found = [m.name for m in self.committee if "书记" in split_posts(m.post or "")]
        return "、".join(found)


def count_by(
    members: Sequence[Member], attr: str, order: Sequence[str] = ()
) -> list[tuple[str, int]]:
    """``[(value, count)]`` in ``order`` first, then the rest by count; blank → 未填."""
    c = Counter((getattr(m, attr) or "未填") for m in members)
    out = [(k, c.pop(k)) for k in order if k in c]
    out += sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
    return out


def entry_note(record: Record, changed: dict[int, str]) -> str:
    """登记情况: 导入 (from an earlier workbook), 补记 (typed > 30 days after the event),
    ``2025-07-01修改`` (changed more than a day after it was entered)."""
    notes = []
    if record.origin == IMPORTED:
        notes.append("导入")
    if C.is_late_entry(record):
        notes.append("补记")
    if record.id in changed:
        notes.append(f"{str(changed[record.id])[:10]}修改")
    return "、".join(notes)


@dataclass
class RecordView:
    """One record of the period with what every output prints beside its fields."""

    record: Record
    summary: AttendanceSummary
    late: bool  # 补记
    missing: list[str]  # empty "checked" fields (contract column names)
    quorum_short: bool  # fewer than half present at a 支部党员大会 / 支委会
    attachments: list[AttachmentInfo] = field(default_factory=list)
    changed_at: str | None = None  # changed after the fact: time of the last change
    entry: str = ""  # 登记情况 (see entry_note)

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

    def merge(self, other: AttendanceStats) -> None:
        self.records += other.records
        self.expected += other.expected
        self.present += other.present
        self.leave += other.leave
        self.absent += other.absent

    @property
    def rate_permille(self) -> int | None:
        """出席率 in ‰ (integer, half up); None when nobody was expected."""
        if not self.expected:
            return None
        return (self.present * 2000 + self.expected) // (2 * self.expected)


@dataclass
class MemberLife:
    """党员参加组织生活情况: one member over the period's records."""

    member: Member
    expected: int = 0  # 应参加 (records the member was expected at)
    present: int = 0
    leave: int = 0
    absent: int = 0
    # the longest run of months expected somewhere, attending nothing, ≥ 1 缺席 (as the
    # alerts count them, within the period): (months, first, last)
    longest: tuple[int, Period, Period] | None = None

    @property
    def longest_label(self) -> str:
        """``3 个月（2025年8月至2025年10月）`` or ''."""
        if not self.longest:
            return ""
        n, a, b = self.longest
        span = a.label if a == b else f"{a.label}至{b.label}"
        return f"{n} 个月（{span}）"


@dataclass
class AttendanceFigures:
    by_kind: dict[str, AttendanceStats]  # in RECORD_KINDS order, kinds held only
    by_month: dict[int, AttendanceStats]  # every month of the period
    total: AttendanceStats
    members: list[MemberLife]  # 期内党员, roster order


@dataclass
class DuesTotals:
    """党费 figures summed over some members and the period's months (分)."""

    members: int = 0
    due_year: int = 0  # 应缴合计: the year's due
    due: int = 0  # 本期应缴
    due_ended: int = 0  # 截至X月应缴: the due of the months that have ended
    paid: int = 0  # 实缴 (本期)
    arrears: int = 0  # 欠缴: shortfall of the months that have ended
    collecting: int = 0  # 待缴: the month under way, not paid yet
    pending: int = 0  # 未到期: months after it, not paid yet
    extra: int = 0  # 多交 (预交 included)
    in_arrears: int = 0  # members with an unpaid month that has ended
    unset: int = 0  # members owing in the period whose monthly due is not set (未核定)

    def add(self, other: DuesTotals) -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))

    @property
    def rate_permille(self) -> int | None:
        """收缴率 (‰, half up): of the due of the months that have ended, the part paid."""
        if not self.due_ended:
            return None
        got = self.due_ended - self.arrears
        return (got * 2000 + self.due_ended) // (2 * self.due_ended)


@dataclass
class DuesLine:
    """One 期内党员's dues: the year (from the dues rule) and the period's months."""

    member: Member
    md: MemberDues
    months: tuple[int, ...]  # the period's months

    @property
    def category(self) -> str:
        return self.md.category

    @property
    def fixed_fen(self) -> int | None:
        return self.md.setting.fixed_fen if self.md.setting else None

    @property
    def note(self) -> str | None:
        return self.md.setting.note if self.md.setting else None

    @cached_property
    def owed(self) -> list[int]:
        """The period's months the member owes dues for."""
        return [m for m in self.months if m in self.md.owed_months]

    @cached_property
    def unpaid(self) -> list[int]:
        """欠缴 months of the period: owed, ended, nothing paid (the dues rule's)."""
        return [m for m in self.months if m in self.md.unpaid_months]

    @cached_property
    def totals(self) -> DuesTotals:
        md = self.md
        t = DuesTotals(members=1, due_year=md.due_fen)
        for m in self.months:
            mt = md.month_totals(m)
            t.due += mt.due_fen
            t.paid += mt.paid_fen
            t.arrears += mt.short_fen
            t.collecting += mt.collecting_fen
            t.pending += mt.pending_fen
            t.extra += mt.extra_fen
            if m <= md.due_through:
                t.due_ended += mt.due_fen
        t.in_arrears = 1 if self.unpaid else 0
        t.unset = 1 if md.unset and self.owed else 0
        return t

    @property
    def remark(self) -> str:
        """公示 备注: ``欠缴8、9月`` / ``自愿多交`` / ''."""
        if self.unpaid:
            return "欠缴" + "、".join(f"{m}月" for m in self.unpaid)
        t = self.totals
        return "自愿多交" if t.paid > t.due and t.extra else ""


@dataclass
class DuesFigures:
    """The period's dues: each 期内党员's line, totals by 人员类别, 党小组 and month."""

    year: DuesYear
    months: tuple[int, ...]
    ended_through: int  # the last month of the period that has ended (0: none yet)
    lines: list[DuesLine]

    @cached_property
    def total(self) -> DuesTotals:
        t = DuesTotals()
        for line in self.lines:
            t.add(line.totals)
        return t

    @cached_property
    def by_category(self) -> list[tuple[str, DuesTotals]]:
        """Every 人员类别 of the contract (empty ones included), then any other."""
        out: dict[str, DuesTotals] = {c: DuesTotals() for c in CATEGORIES}
        for line in self.lines:
            out.setdefault(line.category, DuesTotals()).add(line.totals)
        return list(out.items())

    @cached_property
    def by_group(self) -> list[tuple[str, DuesTotals]]:
        out: dict[str, DuesTotals] = {}
        for line in self.lines:
            out.setdefault(line.md.group or NO_GROUP, DuesTotals()).add(line.totals)
        if NO_GROUP in out:
            out[NO_GROUP] = out.pop(NO_GROUP)
        return list(out.items())

    def month(self, month: int):
        """The year's totals of one month (应缴, 实缴, 欠缴, 待缴, 未到期, 多交, 未缴人数)."""
        return self.year.by_month[month]

    @property
    def through_label(self) -> str:
        """``截至5月`` when only part of the period has ended, else ''."""
        if self.ended_through and self.ended_through < self.months[-1]:
            return f"截至{self.ended_through}月"
        return ""


def _average_tenths(half_hours: int, people: int) -> Decimal | None:
    """人均时长 in hours, to one decimal, half up: the one rounding of every output."""
    if not people:
        return None
    return (Decimal(half_hours) / 2 / people).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class VolunteerFigures:
    entries: list[VolunteerEntry]  # of the period, by date
    expected: list[Member]  # 在职 期内党员 (到社区报到)
    min_per_month: int
    by_member: dict[int, tuple[int, int]]  # member id → (services, half-hours)
    by_month: dict[int, tuple[int, int]]  # period month → (services, half-hours)

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def people(self) -> int:
        return len(self.by_member)

    @property
    def half_hours(self) -> int:
        return sum(e.half_hours for e in self.entries)

    @property
    def average_hours(self) -> Decimal | None:
        """人均时长 (hours, one decimal) over the members who served."""
        return _average_tenths(self.half_hours, self.people)

    @property
    def idle(self) -> list[Member]:
        """在职 期内党员 with no service in the period."""
        return [m for m in self.expected if m.id not in self.by_member]


@dataclass
class ComplianceFigures:
    """The board's cells that lie in the period, judged: 应判断 (the ended ones) and 达标
    (held as often as required). 谈心谈话 is one of them, judged for a whole year."""

    cells: list[tuple[C.BoardRow, C.BoardCell]]

    @property
    def judged(self) -> int:
        return sum(1 for _, c in self.cells if c.status in (C.HELD, C.MISSING))

    @property
    def met(self) -> int:
        return sum(1 for _, c in self.cells if c.status == C.HELD)

    @property
    def rate_permille(self) -> int | None:
        if not self.judged:
            return None
        return (self.met * 2000 + self.judged) // (2 * self.judged)


@dataclass
class Problem:
    """One line of the 问题清单. ``key`` names it stably (for 整改 to refer to)."""

    key: str
    category: str  # one of PROBLEM_CATEGORIES
    when: str  # period label or date
    what: str  # item, name or record kind
    detail: str


@dataclass
class Reminder:
    """One line of the 工作台's 待办与提醒: something the clerk should do, with when.

    ``level``: ``"missing"`` (overdue: red), ``"warn"`` (due soon: amber) or ``"info"``;
    ``target``: the page to open and its arguments (``("dues", {"member_id": 3})``).
    """

    key: str  # stable, e.g. "整改:12" or "发展:5:谈话"
    source: str  # what register it comes from: 整改 / 发展党员 / 组织关系 / 党课 …
    text: str
    level: str = "warn"
    due: dt.date | None = None
    target: tuple[str, dict] | None = None


PROBLEM_GAP = "应开展未开展"
PROBLEM_ALERT = "党员预警"
PROBLEM_INCOMPLETE = "记录不完整"
PROBLEM_CATEGORIES = (PROBLEM_GAP, PROBLEM_ALERT, PROBLEM_INCOMPLETE)


def gap_key(g: C.Gap) -> str:
    """The 问题清单 key of a gap: ``gap:支委会:2025-04`` / ``gap:党小组会:第一党小组:2025-05``
    (a 整改 item refers to its problem by it)."""
    group = f":{g.group}" if g.group else ""
    return f"gap:{g.item}{group}:{g.period.key}"


def alert_key(a: C.MemberAlert) -> str:
    return f"alert:{a.kind}:{a.member_id}:{a.start.key}"


def incomplete_key(r: C.IncompleteRecord) -> str:
    return f"incomplete:{r.record_id}"


def alert_text(a: C.MemberAlert) -> str:
    """``连续 4 个月未交党费（2025年6月至2025年9月）``, with what became of an ended run."""
    text = f"连续 {a.months} 个月{a.kind}（{a.span_label}）"
    if a.months >= 6:
        text += "，已满六个月（党章第九条）"
    if a.state_label:
        text += f"；{a.state_label}"
    return text


# --- the model ------------------------------------------------------------------------------


class PeriodModel:
    """A period's figures (a quarter or a year), each computed once on first use."""

    def __init__(self, inputs: PeriodInputs):
        self.inputs = inputs
        self.branch = inputs.branch
        self.period = inputs.period
        self.today = inputs.today
        self.groups = inputs.groups

    # --- the period --------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def quarter(self) -> int | None:
        return self.period.index if self.period.kind == "quarter" else None

    @property
    def branch_name(self) -> str:
        return self.branch.name or "本支部"

    @property
    def label(self) -> str:
        """``2025年`` or ``2025年第二季度``."""
        return self.period.label

    @property
    def report_label(self) -> str:
        """``2025年度`` or ``2025年第二季度``."""
        return f"{self.year}年度" if self.period.kind == "year" else self.period.label

    @property
    def as_of(self) -> dt.date:
        """The day 在册 is counted on: the period's end, or today if that is earlier."""
        return min(self.period.end, self.today)

    @cached_property
    def months(self) -> tuple[int, ...]:
        return tuple(p.index for p in self.period.months())

    @cached_property
    def ended_months(self) -> tuple[int, ...]:
        """The period's months that have ended by today (judged; dues of them 欠缴)."""
        return tuple(p.index for p in self.period.months() if p.has_ended(self.today))

    @property
    def ended(self) -> bool:
        return self.period.has_ended(self.today)

    # --- members -----------------------------------------------------------------------------

    @cached_property
    def roster(self) -> RosterFigures:
        p = self.period
        in_period = [m for m in self.inputs.members if C.belongs_during(m, p.start, p.end)]
        as_of = self.as_of
        return RosterFigures(
            as_of=as_of,
            in_period=in_period,
            on_roll=[m for m in in_period if m.belongs_on(as_of)],
            joined=[m for m in in_period if m.start_date and p.contains(m.start_date)],
            left=[m for m in in_period if m.end_date and p.contains(m.end_date)],
            groups=self.groups,
            branch=self.branch,
        )

    @cached_property
    def members_roster(self) -> Roster:
        """Every member ever recorded, prepared for 应到 (attendance.Roster)."""
        return Roster(self.inputs.members)

    # --- records -----------------------------------------------------------------------------

    @cached_property
    def records(self) -> list[RecordView]:
        """The period's records with their 应到/实到, 补记, 缺项 and quorum: by kind (the
        contract's order), 党小组, date."""
        p = self.period
        kind_rank = {k: i for i, k in enumerate(RECORD_KINDS)}
        group_rank = {g.id: i for i, g in enumerate(self.groups)}
        recs = sorted(
            (r for r in self.inputs.records if p.contains(r.date)),
            key=lambda r: (
                kind_rank.get(r.kind, len(kind_rank)),
                group_rank.get(r.group_id, -1),
                r.date,
                r.time or "",
                r.id or 0,
            ),
        )
        roster = self.members_roster
        changed = self.inputs.changed
        out = []
        for r in recs:
            quorum = quorum_met(r, roster) if r.kind in QUORUM_KINDS else None
            out.append(
                RecordView(
                    r,
                    summarize(r, roster),
                    C.is_late_entry(r),
                    C.missing_fields(r),
                    quorum is False,
                    self.inputs.attachments.get(r.id, []) if r.id is not None else [],
                    changed.get(r.id) if r.id is not None else None,
                    entry_note(r, changed),
                )
            )
        return out

    def records_of(self, kinds: Sequence[str]) -> list[RecordView]:
        """The period's records of some kinds, by date."""
        found = [v for v in self.records if v.record.kind in kinds]
        return sorted(found, key=lambda v: (v.record.date, v.record.time or "", v.record.id or 0))

    @cached_property
    def attendance(self) -> AttendanceFigures:
        by_kind: dict[str, AttendanceStats] = {}
        by_month = {m: AttendanceStats() for m in self.months}
        total = AttendanceStats()
        lives = {m.id: MemberLife(m) for m in self.roster.in_period}
        for v in self.records:
            s = v.summary
            by_kind.setdefault(v.record.kind, AttendanceStats()).add(s)
            by_month.setdefault(v.record.date.month, AttendanceStats()).add(s)
            total.add(s)
            for mid, a in s.status.items():
                life = lives.get(mid)
                if life is None:
                    continue
                life.expected += 1
                if a.status == "出席":
                    life.present += 1
                elif a.status == "请假":
                    life.leave += 1
                else:
                    life.absent += 1
        flags = self.year_flags.life
        months = [Period.month(self.year, m) for m in self.ended_months]
        for mid, life in lives.items():
            runs, _, _ = C._runs(months, lambda p, f=flags.get(mid, {}): f.get(p.index))
            if runs:
                best = max(runs, key=lambda r: r[0])
                life.longest = (best[0], best[1], best[2])
        ordered = {k: by_kind[k] for k in RECORD_KINDS if k in by_kind}
        ordered.update({k: v for k, v in by_kind.items() if k not in ordered})
        return AttendanceFigures(ordered, by_month, total, list(lives.values()))

    # --- compliance --------------------------------------------------------------------------

    @cached_property
    def year_flags(self) -> C.YearFlags:
        unpaid = {md.member_id: md.unpaid_months for md in self.dues_year.members}
        return C.year_flags(self.inputs.members, self.inputs.records, unpaid, self.year, self.today)

    @cached_property
    def check(self) -> C.CheckResult:
        """The contract's ``check`` of the period."""
        i = self.inputs
        return C.check(
            members=i.members,
            groups=i.groups,
            records=i.records,
            rules=i.rules,
            unpaid={md.member_id: md.unpaid_months for md in self.dues_year.members},
            period=self.period,
            today=self.today,
            founded=self.branch.founded,
            earlier=i.earlier,
            floor=i.floor,
            flags=self.year_flags,
        )

    @cached_property
    def board(self) -> C.Board:
        """The 工作台 grid of the period's year."""
        i = self.inputs
        return C.board(
            i.members, i.groups, i.records, i.rules, self.year, self.today, self.branch.founded
        )

    @cached_property
    def compliance(self) -> ComplianceFigures:
        """The board's cells inside the period (yearly ones only for a whole year)."""
        p = self.period
        cells = []
        for row in self.board.rows:
            for cell in row.cells:
                cp = cell.period
                if p.kind != "year" and cp.kind == "year":
                    continue
                if cp.start >= p.start and cp.end <= p.end:
                    cells.append((row, cell))
        return ComplianceFigures(cells)

    @cached_property
    def talk_gap(self) -> C.BoardCell | None:
        """The 谈心谈话 cell when it is judged missing in this period (a whole year)."""
        for row, cell in self.compliance.cells:
            if row.item == C.TALK and cell.status == C.MISSING:
                return cell
        return None

    @cached_property
    def problems(self) -> list[Problem]:
        """问题清单: every gap (谈心谈话 coverage included), member alert and incomplete
        record of the period, in that order."""
        out: list[Problem] = []
        for g in self.check.gaps:
            detail = f"应开 {g.required} 次，实开 {g.held} 次"
            out.append(
                Problem(
                    gap_key(g),
                    PROBLEM_GAP,
                    g.period.label,
                    g.label,
                    detail,
                )
            )
        talk = self.talk_gap
        if talk is not None:
            out.append(
                Problem(
                    f"gap:{C.TALK}:{talk.period.key}",
                    PROBLEM_GAP,
                    talk.period.label,
                    C.TALK,
                    f"应谈 {talk.required} 人，已谈 {talk.held} 人",
                )
            )
        for a in self.check.member_alerts:
            out.append(
                Problem(
                    alert_key(a),
                    PROBLEM_ALERT,
                    a.span_label,
                    a.name,
                    alert_text(a),
                )
            )
        for r in self.check.incomplete_records:
            out.append(
                Problem(
                    incomplete_key(r),
                    PROBLEM_INCOMPLETE,
                    r.date.isoformat(),
                    r.item,
                    "缺少 " + "、".join(r.missing),
                )
            )
        out += self.followup_problems
        return out

    @cached_property
    def reminders(self) -> list[Reminder]:
        """待办与提醒 for the 工作台, overdue first, then by date: each register adds its
        own (整改, 发展党员, 组织关系转接, 党课 of the leading cadres, 年度计划 …)."""
        out: list[Reminder] = []
        # each register's reminders are added here, one line each
        out += self.followup_reminders
        order = {"missing": 0, "warn": 1, "info": 2}
        return sorted(out, key=lambda r: (order.get(r.level, 3), r.due or dt.date.max, r.key))

    # --- issue 18: 民主评议等次, 整改清单, 领导干部讲党课, 记录过简 -------------------------

    @cached_property
    def appraisal(self) -> AppraisalFigures:
        """The 民主评议 of the period's year: grades, 优秀 share against the cap, who is
        still to be graded, whose follow-up is due."""
        i = self.inputs
        return appraisal_figures(
            self.year,
            i.appraisals,
            i.members,
            i.records,
            i.excellent_cap_permille,
            self.today,
        )

    @cached_property
    def rectifications(self) -> list[Rectification]:
        """整改清单 of the period: the items raised by its end and not done before its start,
        by 提出日期."""
        p = self.period
        found = [r for r in self.inputs.rectifications if r.open_during(p.start, p.end)]
        return sorted(found, key=lambda r: (r.found_on or dt.date.min, r.id or 0))

    @cached_property
    def rectification_by_key(self) -> dict[str, Rectification]:
        """问题清单 key → the 整改 item made from that problem (the latest one)."""
        out: dict[str, Rectification] = {}
        for r in sorted(self.inputs.rectifications, key=lambda r: r.id or 0):
            if r.source_key:
                out[r.source_key] = r
        return out

    def rectification_of(self, problem_key: str) -> Rectification | None:
        """The 整改 item of one problem of the 问题清单 (its 整改情况 is printed there)."""
        return self.rectification_by_key.get(problem_key)

    @cached_property
    def cadre_lectures(self) -> CadreLectures:
        """党员领导干部 of the year and the 党课 each gave (judged for an ended whole year)."""
        i = self.inputs
        return cadre_lectures(
            i.members,
            i.records,
            self.year,
            i.cadre_source,
            self.today,
            whole_year=self.period.kind == "year",
        )

    @cached_property
    def brief_records(self) -> list[BriefRecord]:
        """记录过简: the period's records whose minutes are shorter, or lack parts, than the
        branch's rules ask (an additive key of ``check``; shown with the incomplete ones)."""
        return brief_records(
            (v.record for v in self.records),
            self.inputs.minutes_rules,
            C.missing_fields,
        )

    @cached_property
    def brief_by_record(self) -> dict[int, list[str]]:
        return {b.record_id: b.reasons for b in self.brief_records if b.record_id is not None}

    def check_additions(self) -> dict:
        """The additive keys of ``check --json`` (present only when they list something, so
        a ledger that does not use them gives the contract's object unchanged)."""
        out: dict = {}
        lectures = self.cadre_lectures.to_json()
        if lectures:
            out["cadre_lectures"] = lectures
        if self.brief_records:
            out["brief_records"] = [b.to_json() for b in self.brief_records]
        return out

    @cached_property
    def followup_problems(self) -> list[Problem]:
        from .followup import followup_problems

        return followup_problems(self)

    @cached_property
    def followup_reminders(self) -> list[Reminder]:
        from .followup import followup_reminders

        return followup_reminders(self)

    @property
    def gap_count(self) -> int:
        """应开展未开展: the check's gaps and, for a whole year, 谈心谈话 not covered."""
        return len(self.check.gaps) + (1 if self.talk_gap is not None else 0)

    @cached_property
    def late_records(self) -> list[RecordView]:
        return [v for v in self.records if v.late]

    @cached_property
    def short_quorum(self) -> list[RecordView]:
        return [v for v in self.records if v.quorum_short]

    # --- dues ----------------------------------------------------------------------------------

    @cached_property
    def dues_year(self) -> DuesYear:
        """The year's dues of every member who belonged in it (``dues``)."""
        i = self.inputs
        return compute_year(
            i.members, i.dues_settings, i.paid_by_month, self.year, i.rounding, self.today
        )

    @cached_property
    def dues(self) -> DuesFigures:
        """The period's dues, for the 期内党员."""
        by_id = {m.id: m for m in self.roster.in_period}
        lines = [
            DuesLine(by_id[md.member_id], md, self.months)
            for md in self.dues_year.members
            if md.member_id in by_id
        ]
        ended = [m for m in self.ended_months]
        return DuesFigures(self.dues_year, self.months, ended[-1] if ended else 0, lines)

    # --- volunteer -----------------------------------------------------------------------------

    @cached_property
    def volunteer(self) -> VolunteerFigures:
        p = self.period
        entries = sorted(
            (e for e in self.inputs.volunteer if p.contains(e.date)),
            key=lambda e: (e.date, e.id or 0),
        )
        by_member: dict[int, list[int]] = {}
        by_month = {m: [0, 0] for m in self.months}
        for e in entries:
            t = by_member.setdefault(e.member_id, [0, 0])
            t[0] += 1
            t[1] += e.half_hours
            by_month[e.date.month][0] += 1
            by_month[e.date.month][1] += e.half_hours
        expected = [m for m in self.roster.in_period if m.category in EXPECTED_CATEGORIES]
        return VolunteerFigures(
            entries,
            expected,
            self.inputs.volunteer_min,
            {k: (v[0], v[1]) for k, v in by_member.items()},
            {k: (v[0], v[1]) for k, v in by_month.items()},
        )


__all__ = [
    "AttendanceFigures",
    "AttendanceStats",
    "ComplianceFigures",
    "DuesFigures",
    "DuesLine",
    "DuesTotals",
    "MemberLife",
    "PeriodInputs",
    "PeriodModel",
    "Problem",
    "RecordView",
    "Reminder",
    "RosterFigures",
    "VolunteerFigures",
    "alert_key",
    "alert_text",
    "count_by",
    "gap_key",
    "incomplete_key",
    "entry_note",
    "post_rank",
]
