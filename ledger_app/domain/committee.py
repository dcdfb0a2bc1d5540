"""上级党委汇总: the figures a higher committee compares across its branches, taken from
each branch's period model (so every figure is the one the branch's own program shows),
the committee's 台账得分 and the yearly ranking (年排序).

Plain data (JSON-able, picklable): the committee view reads each workbook in a worker
process and keeps the result in a cache. No Qt, no SQL.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING

from .assessment import SOURCES, Thresholds, default_criteria, format_points

if TYPE_CHECKING:
    from .period import PeriodModel

# 内容校验码 states
CODE_OK = "一致"
CODE_CHANGED = "不符"
CODE_NONE = "无校验码"
CODE_OTHER = "无法核对"  # a code of another version or period than the one read


@dataclass
class PeriodFigures:
    """One branch, one period (the year or a quarter)."""

    key: str  # "2025" / "2025-Q2"
    label: str  # "2025年" / "2025年第二季度"
    covered: bool = True  # the workbook covers this period (a quarter's export covers one)
    ended: bool = True
    members: int = 0  # 在册 on the period's end (or today)
    judged: int = 0  # 应判断: required items whose period has ended
    met: int = 0  # 达标: held as often as required
    gaps: int = 0  # 应开展未开展 (谈心谈话 coverage included for a year)
    alerts: int = 0  # 党员预警 (a member can have two)
    alerted: int = 0  # members with an alert
    due: int = 0  # 截至X月应缴 (分)
    arrears: int = 0  # 欠缴 (分)
    paid: int = 0  # 实缴 of the period (分)
    dues_permille: int | None = None  # 收缴率
    volunteer_half_hours: int = 0
    volunteer_people: int = 0
    volunteer_count: int = 0
    records: int = 0
    incomplete: int = 0  # 记录不完整
    attendance_permille: int | None = None  # 出席率
    score: int = 0  # 台账得分, tenths of a 100-point scale
    grade: str = ""  # 台账等级
    planned: int = 0  # 年度计划 items of the period
    plan_held: int = 0

    @property
    def compliance_permille(self) -> int | None:
        if not self.judged:
            return None
        return (self.met * 2000 + self.judged) // (2 * self.judged)

    @property
    def collected(self) -> int:
        """The part of 截至X月应缴 that was paid (分)."""
        return self.due - self.arrears


@dataclass
class BranchResult:
    """One branch's workbook, read and checked."""

    file: str  # file name in the folder
    sha256: str
    branch: str  # 支部名称 (or the file name)
    parent: str = ""  # 上级党组织
    secretary: str = ""
    covers: str = ""  # the period the workbook covers: "2025" / "2025-Q2"
    covers_label: str = ""
    masked: bool = False
    code_status: str = CODE_NONE
    code_found: str = ""
    code_computed: str = ""
    periods: list[PeriodFigures] = field(default_factory=list)  # the year, then Q1–Q4
    self_total: int | None = None  # 自评 total (tenths) of 年总评, else the last 月自评
    self_grade: str = ""  # 示范 / 过硬 / 达标 / 未达标, or '' (none / incomplete)
    self_state: str = "无自评"  # 已评定 / 未评定 / 无自评, and which period
    rank: int = 0
    warnings: list[str] = field(default_factory=list)

    def period(self, key: str) -> PeriodFigures | None:
        return next((p for p in self.periods if p.key == key), None)

    @property
    def year(self) -> PeriodFigures:
        return self.periods[0]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> BranchResult:
        d = dict(d)
        d["periods"] = [PeriodFigures(**p) for p in d.get("periods", [])]
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Failure:
    """A workbook that could not be read: reported with its errors, and skipped."""

    file: str
    sha256: str
    message: str
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class CommitteeReport:
    folder: str
    year: int
    today: str  # ISO date the figures are as of
    branches: list[BranchResult] = field(default_factory=list)  # ranked
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    from_cache: int = 0
    workers: int = 1

    @property
    def changed(self) -> list[BranchResult]:
        return [b for b in self.branches if b.code_status == CODE_CHANGED]

    def to_json(self) -> dict:
        return {
            "folder": self.folder,
            "year": self.year,
            "today": self.today,
            "branches": [b.to_json() for b in self.branches],
            "failures": [f.to_json() for f in self.failures],
        }


# --- 台账得分: the committee's one standard for every branch -----------------------------------

COMMITTEE_THRESHOLDS = Thresholds()


# left out of 台账得分: 整改 (its register is not in the ledger yet) and 及时登记 (a
# workbook does not carry when a record was typed: every record read from one is 导入)
NOT_FROM_WORKBOOKS = ("rectification", "timely")


def ledger_criteria():
    """The criteria of the shipped table a workbook lets the committee score: it scores
    every branch by these, whatever table the branch uses itself."""
    return [c for c in default_criteria() if c.source and c.source not in NOT_FROM_WORKBOOKS]


def ledger_score(model: PeriodModel) -> int:
    """台账得分 (tenths, out of 100): the ledger criteria of the shipped table scored from
    ``model``'s figures, scaled to 100 points."""
    from .assessment import _scaled

    got = full = 0
    for c in ledger_criteria():
        full += c.points
        fig = SOURCES[c.source].figure(model)
        if fig is None or fig.ratio is None:
            got += c.points
        else:
            got += _scaled(c.points, fig.ratio)
    return (got * 2000 + full) // (2 * full) if full else 0


def figures_of(model: PeriodModel, covered: bool = True) -> PeriodFigures:
    """The committee's figures of one branch's period model."""
    c = model.compliance
    chk = model.check
    d = model.dues.total
    v = model.volunteer
    score = ledger_score(model)
    return PeriodFigures(
        key=model.period.key,
        label=model.period.label,
        covered=covered,
        ended=model.ended,
        members=len(model.roster.on_roll),
        judged=c.judged,
        met=c.met,
        gaps=model.gap_count,
        alerts=len(chk.member_alerts),
        alerted=len({a.member_id for a in chk.member_alerts}),
        due=d.due_ended,
        arrears=d.arrears,
        paid=d.paid,
        dues_permille=d.rate_permille,
        volunteer_half_hours=v.half_hours,
        volunteer_people=v.people,
        volunteer_count=v.count,
        records=len(model.records),
        incomplete=len(chk.incomplete_records),
        attendance_permille=model.attendance.total.rate_permille,
        score=score,
        grade=COMMITTEE_THRESHOLDS.grade(score),
        planned=model.plan.planned,
        plan_held=model.plan.held,
    )


def rank(branches: list[BranchResult], key: str | None = None) -> list[BranchResult]:
    """年排序: by 台账得分 of the period ``key`` (the year when None), then 达标率, 收缴率 and
    name; ``rank`` numbers them (equal scores share a rank)."""

    def figures(b: BranchResult) -> PeriodFigures:
        return (b.period(key) if key else None) or b.year

    def sort_key(b: BranchResult):
        f = figures(b)
        return (
            not f.covered,
            -f.score,
            -(f.compliance_permille or 0),
            -(f.dues_permille or 0),
            b.branch,
        )

    ordered = sorted(branches, key=sort_key)
    last = None
    for i, b in enumerate(ordered, 1):
        f = figures(b)
        here = (f.covered, f.score)
        b.rank = ordered[i - 2].rank if last == here else i
        last = here
    return ordered


def percent(permille: int | None) -> str:
    return "—" if permille is None else f"{permille // 10}.{permille % 10}%"


def points(tenths: int | None) -> str:
    return "—" if tenths is None else format_points(tenths)


__all__ = [
    "CODE_CHANGED",
    "CODE_NONE",
    "CODE_OK",
    "CODE_OTHER",
    "BranchResult",
    "CommitteeReport",
    "Failure",
    "PeriodFigures",
    "figures_of",
    "ledger_score",
    "percent",
    "points",
    "rank",
]
