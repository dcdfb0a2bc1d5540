"""自评定级: the branch's self-assessment against a points table (党支部标准化建设考评).

The table is data the branch's committee edits (:class:`Criterion`: 类别, 评分项目, 评分标准,
分值, 取数). A criterion the ledger can judge names a *source* (:data:`SOURCES`): its score is
the criterion's points times a ratio read from the period model's own figures (按期开展
``model.compliance``, 收缴率 ``model.dues.total``, 不完整记录 ``model.check`` …) — never
worked out a second way. Any other criterion is scored by hand with a note; a ledger score
may be overridden by hand, with a note saying why. 加分 / 减分 items carry a reason.

A period is assessed monthly (月自评) or for the whole year (年总评). The total is graded
示范 / 过硬 / 达标 / 未达标 by the branch's thresholds (:class:`Thresholds`).

Scores are integer tenths of a point (``95`` = 9.5 分), so that every sum is exact.
No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from .dates import Period

if TYPE_CHECKING:
    from .period import PeriodModel

# --- vocabulary -------------------------------------------------------------------------------

GRADE_MODEL = "示范"
GRADE_SOLID = "过硬"
GRADE_PASS = "达标"
GRADE_FAIL = "未达标"
GRADES = (GRADE_MODEL, GRADE_SOLID, GRADE_PASS, GRADE_FAIL)

BONUS = "加分"
PENALTY = "减分"

CATEGORIES = ("组织设置", "组织生活", "党员管理", "党费", "发展党员", "台账", "作用发挥")

HAND = ""  # Criterion.source of a criterion scored by hand
HAND_LABEL = "人工评分"

# Line.how
HOW_LEDGER = "台账取数"
HOW_HAND = "人工评分"
HOW_OVERRIDE = "人工调整"
HOW_PENDING = "待评分"


def format_points(tenths: int | None) -> str:
    """``95`` → ``9.5``, ``100`` → ``10``; None → ''."""
    if tenths is None:
        return ""
    sign = "-" if tenths < 0 else ""
    whole, part = divmod(abs(tenths), 10)
    return f"{sign}{whole}" + (f".{part}" if part else "")


def parse_points(value: object, what: str = "分值") -> int:
    """A clerk's ``9.5`` / ``10`` / ``9.5分`` → tenths (95); one decimal at most, not negative.
    Raises ValueError with a Chinese message."""
    from decimal import Decimal, InvalidOperation

    if isinstance(value, bool):
        raise ValueError(f"{what}不是数字：“{value}”")
    text = str(value).strip().removesuffix("分").strip() if value is not None else ""
    if not text:
        raise ValueError(f"{what}不能为空")
    raw = str(value).strip()[:20]
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{what}不是数字：“{raw}”") from None
    if not d.is_finite() or d < 0:
        raise ValueError(f"{what}不能为负数：“{text[:20]}”")
    if d > 1000:
        raise ValueError(f"{what}过大：“{text[:20]}”")
    tenths = d * 10
    if tenths != tenths.to_integral_value():
        raise ValueError(f"{what}最多一位小数：“{text[:20]}”")
    return int(tenths)


def _percent(num: int, den: int) -> str:
    """``36/40`` → ``90.0%`` (one decimal, half up)."""
    tenths = (num * 2000 + den) // (2 * den)
    return f"{tenths // 10}.{tenths % 10}%"


# --- the ledger's figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """What the ledger says about a criterion in a period: the part of its points earned
    (``ratio``, 0–1; None: nothing to judge in this period → full points) and the figures
    it comes from, in words."""

    ratio: Fraction | None
    basis: str


@dataclass(frozen=True)
class Source:
    """A figure of the period model a criterion can be scored from."""

    key: str
    label: str  # what it measures (shown in 设置 and the 自评表's 取数 column)
    rule: str  # how the score follows from it
    figure: Callable[[PeriodModel], Figure | None]  # None: the ledger cannot say (by hand)
    ready: bool = True  # False: the ledger has no such figure yet (scored by hand)


def _compliance(model: PeriodModel) -> Figure:
    c = model.compliance
    if not c.judged:
        return Figure(None, "本期没有应判断的组织生活项目")
    return Figure(
        Fraction(c.met, c.judged),
        f"应判断 {c.judged} 项，达标 {c.met} 项（{_percent(c.met, c.judged)}）",
    )


def _attendance(model: PeriodModel) -> Figure:
    t = model.attendance.total
    if not t.expected:
        return Figure(None, "本期没有应到人次")
    return Figure(
        Fraction(t.present, t.expected),
        f"应到 {t.expected} 人次，实到 {t.present} 人次（出席率 {_percent(t.present, t.expected)}）",
    )


def _talk(model: PeriodModel) -> Figure:
    from .compliance import HELD, MISSING, TALK

    for row, cell in model.compliance.cells:
        if row.item == TALK and cell.status in (HELD, MISSING) and cell.required:
            held = min(cell.held, cell.required)
            return Figure(
                Fraction(held, cell.required),
                f"应谈 {cell.required} 人，已谈 {cell.held} 人",
            )
    return Figure(None, "谈心谈话按全年考核，本期不判断")


def _alerts(model: PeriodModel) -> Figure:
    members = len(model.roster.in_period)
    if not members:
        return Figure(None, "本期没有党员")
    alerted = {a.member_id for a in model.check.member_alerts}
    basis = f"期内党员 {members} 名，有预警 {len(alerted)} 名"
    if alerted:
        basis += f"（连续三个月以上未参加组织生活或未交党费 {len(model.check.member_alerts)} 项）"
    return Figure(Fraction(members - len(alerted), members), basis)


def _dues(model: PeriodModel) -> Figure:
    from .money import format_yuan

    t = model.dues.total
    if not t.due_ended:
        return Figure(None, "本期没有已到期的应缴党费")
    got = t.due_ended - t.arrears
    through = model.dues.through_label
    return Figure(
        Fraction(got, t.due_ended),
        f"{through or '本期'}应缴 {format_yuan(t.due_ended)}，欠缴 {format_yuan(t.arrears)}"
        f"（收缴率 {_percent(got, t.due_ended)}）",
    )


def _complete(model: PeriodModel) -> Figure:
    n = len(model.records)
    if not n:
        if model.compliance.judged:
            return Figure(Fraction(0), "本期应开展组织生活，但没有任何记录")
        return Figure(None, "本期没有记录")
    bad = len(model.check.incomplete_records)
    return Figure(Fraction(n - bad, n), f"记录 {n} 条，不完整 {bad} 条")


def _timely(model: PeriodModel) -> Figure:
    from .models import IMPORTED

    n = len(model.records)
    if not n:
        if model.compliance.judged:
            return Figure(Fraction(0), "本期应开展组织生活，但没有任何记录")
        return Figure(None, "本期没有记录")
    # a record imported from a workbook was written elsewhere: when, the ledger cannot tell
    imported = sum(1 for v in model.records if v.record.origin == IMPORTED)
    typed = n - imported
    note = f"（导入的 {imported} 条不计）" if imported else ""
    if not typed:
        return Figure(None, f"记录 {n} 条均为导入，录入时间不详")
    late = len(model.late_records)
    return Figure(Fraction(typed - late, typed), f"录入记录 {typed} 条，补记 {late} 条{note}")


def _volunteer(model: PeriodModel) -> Figure:
    v = model.volunteer
    expected = len(v.expected)
    if not expected:
        return Figure(None, "本期没有在职党员")
    served = expected - len(v.idle)
    return Figure(
        Fraction(served, expected),
        f"在职党员 {expected} 名，参加志愿服务 {served} 名，共 {v.half_hours / 2:g} 小时",
    )


def _committee(model: PeriodModel) -> Figure:
    r = model.roster
    if not r.on_roll:
        return Figure(None, "没有在册党员")
    secretary = r.secretary
    committee = len(r.committee)
    # 支部委员会 is set up where there are 7 or more 正式党员; a smaller branch has a 书记
    needs_committee = r.formal >= 7
    basis = f"书记：{secretary or '未配备'}；支委 {committee} 名"
    if not secretary:
        return Figure(Fraction(0), basis)
    if needs_committee and committee < 3:
        return Figure(
            Fraction(1, 2), basis + "（正式党员 7 名以上应设支部委员会，支委不少于 3 名）"
        )
    return Figure(Fraction(1), basis)


def _grouped(model: PeriodModel) -> Figure:
    on_roll = model.roster.on_roll
    if not on_roll:
        return Figure(None, "没有在册党员")
    if not model.groups:
        return Figure(None, "支部未划分党小组")
    placed = sum(1 for m in on_roll if m.group_name)
    return Figure(Fraction(placed, len(on_roll)), f"在册 {len(on_roll)} 名，编入党小组 {placed} 名")


def _rectification(model: PeriodModel) -> Figure | None:
    # HOOK(issue 18 整改清单): when the period model carries the 整改 figures (items due in
    # the period and those closed), score from them here, e.g.
    #     r = model.rectification; return Figure(Fraction(r.closed, r.due), f"…")
    # Until then the ledger cannot say: the criterion is scored by hand.
    return None


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "committee",
            "支部委员会设置",
            "配齐书记和支委得满分；缺支委得一半；未配书记不得分",
            _committee,
        ),
        Source("groups", "党员编入党小组", "按编入党小组的在册党员比例给分", _grouped),
        Source("compliance", "组织生活按期开展", "按应判断项目中按期开展的比例给分", _compliance),
        Source("attendance", "党员出席率", "按出席人次占应到人次的比例给分", _attendance),
        Source("talk", "谈心谈话覆盖", "按已谈心谈话党员的比例给分（全年考核）", _talk),
        Source("alerts", "党员预警", "按无预警党员的比例给分", _alerts),
        Source("dues", "党费收缴率", "按收缴率给分", _dues),
        Source("complete", "记录完整", "按完整记录的比例给分", _complete),
        Source("timely", "及时登记", "按非补记记录的比例给分", _timely),
        Source("volunteer", "志愿服务参与", "按参加志愿服务的在职党员比例给分", _volunteer),
        # HOOK(issue 18): ready=True once _rectification reads the model's 整改 figures
        Source(
            "rectification",
            "整改完成",
            "整改清单功能接入后按期完成的比例给分；此前人工评分",
            _rectification,
            ready=False,
        ),
    )
}


def from_ledger(c: Criterion) -> bool:
    """Is ``c`` scored from the ledger (a hand score of it is an override)?"""
    src = SOURCES.get(c.source) if c.source else None
    return src is not None and src.ready


def source_label(key: str) -> str:
    return SOURCES[key].label if key in SOURCES else HAND_LABEL


def source_key(label: str) -> str | None:
    """The source whose label (or key) is ``label``; ``人工评分``/blank → HAND; None if unknown."""
    label = (label or "").strip()
    if not label or label == HAND_LABEL:
        return HAND
    for s in SOURCES.values():
        if label in (s.label, s.key):
            return s.key
    return None


# --- the table ------------------------------------------------------------------------------------


@dataclass
class Criterion:
    """One line of the points table."""

    id: int | None
    category: str
    name: str
    points: int  # 分值, tenths
    standard: str = ""  # 评分标准 (how it is judged, in words)
    source: str = HAND  # a SOURCES key, or HAND
    position: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.category, self.name)


def _c(category: str, name: str, points: int, standard: str, source: str = HAND) -> Criterion:
    return Criterion(None, category, name, points * 10, standard, source)


# Modelled on common 党支部标准化建设考评 tables; 100 points.
DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    _c(
        "组织设置", "支部委员会健全", 5, "按期换届，书记、组织委员等配备齐全、分工明确", "committee"
    ),
    _c("组织设置", "党小组设置合理", 5, "党员全部编入党小组，党小组长明确", "groups"),
    _c(
        "组织生活",
        "三会一课、主题党日按期开展",
        15,
        "按规定频次开展，缺一次按比例扣分",
        "compliance",
    ),
    _c("组织生活", "党员参加组织生活", 5, "党员出席率高，请假有手续", "attendance"),
    _c("组织生活", "谈心谈话全覆盖", 5, "支委与每名党员每年至少谈心谈话一次", "talk"),
    _c("组织生活", "组织生活会和民主评议质量", 5, "会前谈心、查摆问题具体，批评与自我批评见人见事"),
    _c("党员管理", "无失联、脱管党员", 10, "无连续三个月不参加组织生活或不交党费的党员", "alerts"),
    _c("党员管理", "党员教育和流动党员管理", 5, "党员集中学习有计划、有记录，流动党员有联系人"),
    _c("党费", "党费按月足额收缴", 10, "按规定基数和比例按月收缴，按期上缴，年度公示", "dues"),
    _c("发展党员", "发展党员程序规范", 10, "入党积极分子名册齐全，培养考察、政审、票决等程序完整"),
    _c("台账", "记录完整规范", 8, "主持人、记录人、议题、内容、出勤齐全", "complete"),
    _c("台账", "及时登记", 4, "活动后及时记录，无集中补记", "timely"),
    _c("台账", "整改事项按期完成", 3, "问题清单逐项整改、按期销号", "rectification"),
    _c("作用发挥", "在职党员到社区报到服务", 5, "在职党员每月参加志愿服务", "volunteer"),
    _c("作用发挥", "先锋模范作用", 5, "党员在本职工作和服务群众中发挥作用，群众评价好"),
)


def default_criteria() -> list[Criterion]:
    """A fresh copy of the shipped table, positioned in order."""
    from dataclasses import replace

    return [replace(c, position=i) for i, c in enumerate(DEFAULT_CRITERIA)]


def validate_criteria(criteria: Sequence[Criterion]) -> list[str]:
    """What is wrong with a points table, one Chinese line per problem (empty: fine)."""
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for i, c in enumerate(criteria, 1):
        where = f"第{i}项"
        if not c.category.strip():
            problems.append(f"{where}：类别不能为空")
        if not c.name.strip():
            problems.append(f"{where}：评分项目不能为空")
        if c.points <= 0:
            problems.append(f"{where}（{c.name}）：分值应大于 0")
        if c.source and c.source not in SOURCES:
            problems.append(f"{where}（{c.name}）：未知的取数项“{c.source}”")
        key = (c.category.strip(), c.name.strip())
        if key in seen:
            problems.append(f"{where}（{c.name}）：与第{seen[key]}项重复")
        seen.setdefault(key, i)
    if not criteria:
        problems.append("评分标准至少要有一项")
    return problems


# --- grades -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """The lowest total (tenths) of each grade above 未达标."""

    model: int = 900  # 示范
    solid: int = 800  # 过硬
    passing: int = 600  # 达标

    def grade(self, total: int) -> str:
        if total >= self.model:
            return GRADE_MODEL
        if total >= self.solid:
            return GRADE_SOLID
        if total >= self.passing:
            return GRADE_PASS
        return GRADE_FAIL

    def problems(self) -> list[str]:
        if not self.model > self.solid > self.passing > 0:
            return ["等级分数线应为 示范 > 过硬 > 达标 > 0"]
        return []

    def text(self) -> str:
        """``示范 ≥ 90 分，过硬 ≥ 80 分，达标 ≥ 60 分``."""
        return (
            f"{GRADE_MODEL} ≥ {format_points(self.model)} 分，{GRADE_SOLID} ≥ "
            f"{format_points(self.solid)} 分，{GRADE_PASS} ≥ {format_points(self.passing)} 分"
        )

    def as_dict(self) -> dict[str, int]:
        return {GRADE_MODEL: self.model, GRADE_SOLID: self.solid, GRADE_PASS: self.passing}


# --- what the branch saved for a period -------------------------------------------------------------


@dataclass
class HandScore:
    """A score given by hand (a HAND criterion, or an override of a ledger score)."""

    criterion: tuple[str, str]  # the criterion's (类别, 评分项目)
    score: int | None  # tenths; None: only a note
    note: str = ""


@dataclass
class Adjustment:
    """加分 (points > 0) or 减分 (points < 0), with its reason."""

    id: int | None
    period: str  # Period.key: "2025" or "2025-05"
    points: int  # tenths, signed
    reason: str

    @property
    def kind(self) -> str:
        return BONUS if self.points > 0 else PENALTY


@dataclass
class Review:
    """评定: who assessed the period, when, and the conclusion in words."""

    period: str
    assessed_on: dt.date | None = None
    assessor: str = ""
    remark: str = ""


@dataclass
class AssessmentData:
    """The branch's table and what it saved for the periods of one year (PeriodInputs)."""

    criteria: list[Criterion]
    thresholds: Thresholds = field(default_factory=Thresholds)
    # period key → criterion (类别, 评分项目) → its hand score
    scores: dict[str, dict[tuple[str, str], HandScore]] = field(default_factory=dict)
    adjustments: dict[str, list[Adjustment]] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)

    def saved(self, period_key: str) -> bool:
        """Has anything been saved for this period (a score, an item, a 评定)?"""
        return bool(
            self.scores.get(period_key)
            or self.adjustments.get(period_key)
            or period_key in self.reviews
        )


# --- the result ---------------------------------------------------------------------------------------


def _scaled(points: int, ratio: Fraction) -> int:
    """``points × ratio`` in tenths, half up."""
    exact = points * ratio
    return int((exact * 2 + 1) // 2)


@dataclass
class Line:
    """One criterion of one period's assessment."""

    criterion: Criterion
    auto: int | None  # the ledger's score (tenths); None: scored by hand
    basis: str  # the ledger's figures in words ('' for a hand criterion)
    hand: int | None = None
    note: str = ""

    @property
    def score(self) -> int | None:
        return self.hand if self.hand is not None else self.auto

    @property
    def how(self) -> str:
        if self.hand is not None:
            return HOW_OVERRIDE if self.auto is not None else HOW_HAND
        if self.auto is not None:
            return HOW_LEDGER
        return HOW_PENDING


@dataclass
class Assessment:
    """One period's 自评表: each criterion's score, 加分/减分, total and grade."""

    period: Period
    lines: list[Line]
    adjustments: list[Adjustment]
    thresholds: Thresholds
    review: Review | None = None

    @property
    def key(self) -> str:
        return self.period.key

    @property
    def kind_label(self) -> str:
        """``年总评`` or ``月自评``."""
        return "年总评" if self.period.kind == "year" else "月自评"

    @property
    def title(self) -> str:
        """``2025年 年总评`` / ``2025年5月 月自评``."""
        return f"{self.period.label}{self.kind_label}"

    @property
    def max_points(self) -> int:
        return sum(line.criterion.points for line in self.lines)

    @property
    def base(self) -> int:
        """The criteria's scores summed (pending ones count 0)."""
        return sum(line.score or 0 for line in self.lines)

    @property
    def bonus(self) -> int:
        return sum(a.points for a in self.adjustments if a.points > 0)

    @property
    def penalty(self) -> int:
        """减分 as a positive number of tenths."""
        return -sum(a.points for a in self.adjustments if a.points < 0)

    @property
    def total(self) -> int:
        return max(self.base + self.bonus - self.penalty, 0)

    @property
    def pending(self) -> list[Line]:
        """Criteria still to be scored by hand."""
        return [line for line in self.lines if line.score is None]

    @property
    def complete(self) -> bool:
        return not self.pending

    @property
    def grade(self) -> str | None:
        """The grade of the total; None while a criterion is still to be scored."""
        return self.thresholds.grade(self.total) if self.complete else None

    @property
    def assessed(self) -> bool:
        """评定 recorded (who and when): the grade stands as the branch's."""
        return self.review is not None and self.review.assessed_on is not None

    @property
    def grade_text(self) -> str:
        """``过硬`` / ``未完成（2 项待评分）``."""
        if self.grade is None:
            return f"未完成（{len(self.pending)} 项待评分）"
        return self.grade

    def by_category(self) -> list[tuple[str, list[Line]]]:
        out: dict[str, list[Line]] = {}
        for line in self.lines:
            out.setdefault(line.criterion.category, []).append(line)
        return list(out.items())


def assess(model: PeriodModel, data: AssessmentData) -> Assessment:
    """The 自评表 of ``model``'s period (a month or a year) from the branch's table and what
    it saved: each ledger criterion scored from the model's figures."""
    key = model.period.key
    hand = data.scores.get(key, {})
    lines = []
    for c in sorted(data.criteria, key=lambda c: c.position):
        auto: int | None = None
        basis = ""
        src = SOURCES.get(c.source) if c.source else None
        if src is not None:
            fig = src.figure(model)
            if fig is None:
                basis = "台账尚不能取数，请人工评分"
            elif fig.ratio is None:
                auto, basis = c.points, fig.basis + "，按满分计"
            else:
                auto, basis = _scaled(c.points, fig.ratio), fig.basis
        h = hand.get(c.key)
        lines.append(Line(c, auto, basis, h.score if h else None, (h.note if h else "") or ""))
    return Assessment(
        model.period,
        lines,
        list(data.adjustments.get(key, [])),
        data.thresholds,
        data.reviews.get(key),
    )


def check_hand_scores(criteria: Iterable[Criterion], scores: Iterable[HandScore]) -> list[str]:
    """A hand score is within the criterion's points; an override of a ledger score, and a
    hand score below full points, say why (说明)."""
    by_key = {c.key: c for c in criteria}
    problems = []
    for s in scores:
        c = by_key.get(s.criterion)
        if c is None:
            problems.append(f"评分项目“{s.criterion[1]}”不在评分标准中")
            continue
        if s.score is not None and s.score > c.points:
            problems.append(
                f"{c.name}：得分 {format_points(s.score)} 超过分值 {format_points(c.points)}"
            )
        if s.score is None or s.note.strip():
            continue
        if from_ledger(c):
            problems.append(f"{c.name}：调整台账取数的得分须在说明中写明原因")
        elif s.score < c.points:
            problems.append(f"{c.name}：扣分须在说明中写明原因")
    return problems


__all__ = [
    "BONUS",
    "CATEGORIES",
    "DEFAULT_CRITERIA",
    "GRADES",
    "HAND",
    "PENALTY",
    "SOURCES",
    "Adjustment",
    "Assessment",
    "AssessmentData",
    "Criterion",
    "Figure",
    "HandScore",
    "Line",
    "Review",
    "Source",
    "Thresholds",
    "assess",
    "check_hand_scores",
    "default_criteria",
    "format_points",
    "parse_points",
    "validate_criteria",
]
