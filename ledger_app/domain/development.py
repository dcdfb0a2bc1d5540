"""发展党员: the 25 steps from 入党申请 to 转正 as data, a person's progress as recorded
steps, the rules of order and timing, and what falls due.

The steps follow 《中国共产党发展党员工作细则》 (2014) as the higher committees' 发展党员
工作流程 lists them (five phases, 25 steps). Each :class:`StepDef` says what the step records
(its date always; the people it names, the document, the meeting that decided it, the vote)
and its timing (:class:`Timing`: 谈话 within a month of the 申请书, 发展对象 only after a
year as 积极分子, 预备期 one year …). A person's progress is the list of :class:`Step` rows
recorded for them; everything else (stage, 预备期满, what is due) is worked out here.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .dates import Period, format_date, format_date_cn
from .models import Member
from .names import split_names

# --- stages and phases ---------------------------------------------------------------------

APPLICANT = "入党申请人"
ACTIVIST = "入党积极分子"
CANDIDATE = "发展对象"
PROBATIONARY = "预备党员"
FULL = "正式党员"
STAGES = (APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY, FULL)
ENDED = "已终止"  # 停止培养, 取消预备党员资格 …
NOT_STARTED = "未申请"  # a person with no step recorded yet

PHASES = (
    "申请入党",
    "入党积极分子的确定和培养教育",
    "发展对象的确定和考察",
    "预备党员的接收",
    "预备党员的教育考察和转正",
)

END_REASONS = ("停止培养", "本人撤回申请", "取消预备党员资格", "组织关系转出", "其他")

# the steps whose number the rules refer to
STEP_APPLY = 1
STEP_TALK = 2
STEP_ACTIVIST = 3
STEP_CONTACTS = 5
STEP_REPORTS = 6
STEP_CANDIDATE = 7
STEP_SPONSORS = 9
STEP_ADMIT = 15
STEP_APPROVE = 17
STEP_REPORTS_PROBATION = 21
STEP_FULL_REQUEST = 22
STEP_CONVERT = 23
STEP_CONVERT_APPROVE = 24

PROBATION_END = 0  # Timing.ref: counts from 预备期满 instead of a step
PROBATION_MONTHS = 12
MAX_EXTENSION_MONTHS = 12  # 党章第七条: 延长预备期不能超过一年
MIN_AGE = 18

# Timing kinds
WITHIN = "within"  # the step is due at most this long after ``ref``
NOT_BEFORE = "not_before"  # the step may not be taken earlier than this long after ``ref``


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months; the 31st of a shorter month becomes its last day."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Timing:
    """A time rule of a step, counted from step ``ref`` (or from 预备期满 when ``ref`` is
    :data:`PROBATION_END`). ``warn_days``: how long before the date a reminder appears
    (None: from the day ``ref`` was recorded); counted back from 预备期满 itself when the
    rule counts from it, else from the date the rule sets."""

    kind: str  # WITHIN / NOT_BEFORE
    ref: int
    months: int = 0
    rule: str = ""  # the rule in the clerk's words
    warn_days: int | None = None
    remind: bool = True  # False: a rule of the date only, never a reminder

    def date_from(self, start: dt.date) -> dt.date:
        return add_months(start, self.months)


@dataclass(frozen=True)
class StepDef:
    """One of the 25 steps: what it records and the rules it follows."""

    no: int
    name: str
    phase: int  # index into PHASES
    stage: str | None  # the stage a person is in when the step is taken (None: not yet)
    becomes: str | None = None  # the stage reached when it is recorded (with a positive result)
    people: str | None = None  # label of the people it names (谈话人, 培养联系人 …)
    people_count: int = 0  # how many must be named (0: optional)
    full_members: bool = False  # the people must be 正式党员 of the branch on that day
    document: str | None = None  # the document it produces or receives
    meeting: tuple[str, ...] = ()  # the kinds of meeting that decide it
    vote: bool = False  # a 支部党员大会 vote with counts
    results: tuple[str, ...] = ()  # possible results, the first one positive
    repeat: bool = False  # may be recorded many times (思想汇报)
    requires: tuple[int, ...] = ()  # steps that must have been recorded before
    timing: tuple[Timing, ...] = ()
    hint: str = ""

    @property
    def label(self) -> str:
        """``第15步 支部党员大会讨论接收``."""
        return f"第{self.no}步 {self.name}"

    @property
    def positive(self) -> str | None:
        return self.results[0] if self.results else None


STEPS: tuple[StepDef, ...] = (
    StepDef(
        1,
        "递交入党申请书",
        0,
        None,
        becomes=APPLICANT,
        document="入党申请书",
        hint="年满十八周岁，向工作、学习所在单位党组织递交书面入党申请书。",
    ),
    StepDef(
        2,
        "党组织派人谈话",
        0,
        APPLICANT,
        people="谈话人",
        people_count=1,
        requires=(1,),
        timing=(Timing(WITHIN, 1, 1, "收到入党申请书后一个月内派人谈话"),),
        hint="党组织收到入党申请书后，一个月内派人同入党申请人谈话，了解基本情况。",
    ),
    StepDef(
        3,
        "确定入党积极分子",
        1,
        APPLICANT,
        becomes=ACTIVIST,
        meeting=("支委会",),
        requires=(1,),
        hint="采取党员推荐、群团组织推优等方式产生人选，由支部委员会研究决定。",
    ),
    StepDef(4, "入党积极分子报上级党委备案", 1, ACTIVIST, requires=(3,)),
    StepDef(
        5,
        "指定培养联系人",
        1,
        ACTIVIST,
        people="培养联系人",
        people_count=2,
        full_members=True,
        requires=(3,),
        timing=(Timing(WITHIN, 3, 1, "确定入党积极分子后一个月内指定两名培养联系人"),),
        hint="指定一至两名正式党员作入党积极分子的培养联系人。",
    ),
    StepDef(
        6,
        "培养教育考察",
        1,
        ACTIVIST,
        document="思想汇报",
        repeat=True,
        requires=(3,),
        hint="入党积极分子每季度至少递交一次思想汇报；党支部每半年考察一次。每次登记一条。",
    ),
    StepDef(
        7,
        "确定发展对象",
        2,
        ACTIVIST,
        becomes=CANDIDATE,
        meeting=("支委会",),
        requires=(3,),
        timing=(Timing(NOT_BEFORE, 3, 12, "经过一年以上培养教育和考察", warn_days=30),),
        hint="听取党小组、培养联系人、党员和群众意见，支部委员会讨论同意。",
    ),
    StepDef(8, "发展对象报上级党委备案", 2, CANDIDATE, requires=(7,)),
    StepDef(
        9,
        "确定入党介绍人",
        2,
        CANDIDATE,
        people="入党介绍人",
        people_count=2,
        full_members=True,
        requires=(7,),
        hint="入党介绍人一般由培养联系人担任，须为正式党员。",
    ),
    StepDef(10, "进行政治审查", 2, CANDIDATE, document="政治审查报告", requires=(7,)),
    StepDef(
        11,
        "开展集中培训",
        2,
        CANDIDATE,
        document="培训结业证书",
        requires=(7,),
        hint="短期集中培训时间一般不少于三天（或不少于24个学时）。",
    ),
    StepDef(12, "支部委员会审查", 3, CANDIDATE, meeting=("支委会",), requires=(9, 10, 11)),
    StepDef(13, "上级党委预审", 3, CANDIDATE, requires=(12,)),
    StepDef(14, "填写入党志愿书", 3, CANDIDATE, document="入党志愿书", requires=(13,)),
    StepDef(
        15,
        "支部党员大会讨论接收",
        3,
        CANDIDATE,
        becomes=PROBATIONARY,
        meeting=("支部党员大会",),
        vote=True,
        results=("同意接收", "不同意接收"),
        requires=(14,),
        hint="赞成人数超过应到会有表决权的正式党员的半数，才能通过接收预备党员的决议。"
        "通过后，此人以预备党员身份进入党员名册（入党日期为大会日期）。",
    ),
    StepDef(16, "上级党委派人谈话", 3, PROBATIONARY, people="谈话人", requires=(15,)),
    StepDef(
        17,
        "上级党委审批",
        3,
        PROBATIONARY,
        requires=(15,),
        timing=(Timing(WITHIN, 15, 3, "支部党员大会通过后三个月内由上级党委审批"),),
    ),
    StepDef(18, "再上一级党委组织部门备案", 3, PROBATIONARY, requires=(17,)),
    StepDef(19, "编入党支部和党小组", 4, PROBATIONARY, requires=(15,)),
    StepDef(20, "入党宣誓", 4, PROBATIONARY, requires=(17,)),
    StepDef(
        21,
        "继续教育考察",
        4,
        PROBATIONARY,
        document="思想汇报",
        repeat=True,
        requires=(15,),
        hint="预备党员每季度至少递交一次思想汇报。每次登记一条。",
    ),
    StepDef(
        22,
        "提出转正申请",
        4,
        PROBATIONARY,
        document="转正申请书",
        requires=(15,),
        timing=(Timing(WITHIN, PROBATION_END, 0, "预备期满时提出书面转正申请", warn_days=30),),
    ),
    StepDef(
        23,
        "支部党员大会讨论转正",
        4,
        PROBATIONARY,
        becomes=FULL,
        meeting=("支部党员大会",),
        vote=True,
        results=("按期转正", "延长预备期", "取消预备党员资格"),
        requires=(22,),
        timing=(
            Timing(NOT_BEFORE, PROBATION_END, 0, "预备期满后讨论转正", remind=False),
            Timing(WITHIN, PROBATION_END, 1, "预备期满后及时讨论转正", warn_days=30),
        ),
        hint="按期转正的，转正日期为预备期满之日，名册中改为正式党员。",
    ),
    StepDef(
        24,
        "上级党委审批转正",
        4,
        FULL,
        requires=(23,),
        timing=(Timing(WITHIN, 23, 3, "支部党员大会通过后三个月内由上级党委审批"),),
    ),
    StepDef(25, "材料归档", 4, FULL, document="入党材料", requires=(24,)),
)
STEP = {s.no: s for s in STEPS}
STEP_BY_NAME = {s.name: s for s in STEPS}


def step_of(text: str) -> StepDef | None:
    """A step by its name, ``15``, ``第15步`` or ``第15步 支部党员大会讨论接收``."""
    t = "".join(str(text).split())
    if t in STEP_BY_NAME:
        return STEP_BY_NAME[t]
    head = t.removeprefix("第")
    digits = ""
    for ch in head:
        if not ch.isdigit():
            break
        digits += ch
    if digits:
        rest = head[len(digits) :].removeprefix("步")
        found = STEP.get(int(digits))
        if found is not None and (not rest or rest == found.name):
            return found
    return None


# --- the records ---------------------------------------------------------------------------


@dataclass
class Applicant:
    """A person in the 发展党员 register, from 入党申请 until 转正 (or until it ends).

    Their personal data become the roster's when the 支部党员大会 admits them
    (``member_id`` then names that member)."""

    id: int | None
    name: str
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    education: str | None = None
    category: str = "在职"  # 人员类别 once a member
    unit: str | None = None  # 工作单位及职务
    phone: str | None = None
    group_id: int | None = None  # the 党小组 they are to join
    group_name: str | None = None
    member_id: int | None = None
    ended_on: dt.date | None = None  # 终止日期
    end_reason: str | None = None
    note: str | None = None


@dataclass
class Step:
    """One recorded step of one person (``no``: the StepDef's number)."""

    id: int | None
    applicant_id: int
    no: int
    date: dt.date
    people: str | None = None  # names, joined with 、
    document: str | None = None
    record_id: int | None = None  # the meeting that decided it
    meeting: str | None = None  # the meeting as written, when it is not in the ledger
    expected: int | None = None  # 应到会有表决权的正式党员
    present: int | None = None  # 实到会有表决权的正式党员
    yes: int | None = None
    no_votes: int | None = None
    abstain: int | None = None
    result: str | None = None
    months: int | None = None  # 延长预备期 months
    note: str | None = None

    @property
    def definition(self) -> StepDef:
        return STEP[self.no]

    @property
    def positive(self) -> bool:
        """A step without results counts as done; one with results only when it passed."""
        d = STEP.get(self.no)
        return d is None or not d.results or self.result == d.positive


# --- progress ------------------------------------------------------------------------------


@dataclass
class Progress:
    """One person and the steps recorded for them (by date, then step number)."""

    applicant: Applicant
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.steps = sorted(self.steps, key=lambda s: (s.date, s.no, s.id or 0))

    @property
    def id(self) -> int | None:
        return self.applicant.id

    @property
    def name(self) -> str:
        return self.applicant.name

    def of(self, no: int) -> list[Step]:
        return [s for s in self.steps if s.no == no]

    def done(self, no: int, day: dt.date | None = None) -> Step | None:
        """The first recorded ``no`` step that counts (a vote that passed), by ``day``."""
        for s in self.steps:
            if s.no == no and s.positive and (day is None or s.date <= day):
                return s
        return None

    def last(self, no: int) -> Step | None:
        found = self.of(no)
        return found[-1] if found else None

    @property
    def started(self) -> dt.date | None:
        return self.steps[0].date if self.steps else None

    def stage_on(self, day: dt.date) -> str:
        """入党申请人 … 正式党员 on ``day``, or 已终止 / 未申请."""
        a = self.applicant
        if a.ended_on is not None and a.ended_on <= day:
            return ENDED
        stage = NOT_STARTED
        for s in self.steps:
            if s.date > day:
                break
            d = STEP.get(s.no)
            if d is not None and d.becomes and s.positive:
                if STAGES.index(d.becomes) > (STAGES.index(stage) if stage in STAGES else -1):
                    stage = d.becomes
        return stage

    @property
    def stage(self) -> str:
        """The stage after every recorded step."""
        return self.stage_on(dt.date.max)

    @property
    def admitted_on(self) -> dt.date | None:
        """入党日期: the 支部党员大会 that admitted them."""
        s = self.done(STEP_ADMIT)
        return s.date if s else None

    @property
    def extension_months(self) -> int:
        return sum(s.months or 0 for s in self.of(STEP_CONVERT) if s.result == "延长预备期")

    @property
    def probation_end(self) -> dt.date | None:
        """预备期满: a year after admission, later by any 延长预备期."""
        admitted = self.admitted_on
        if admitted is None:
            return None
        return add_months(admitted, PROBATION_MONTHS + self.extension_months)

    @property
    def full_on(self) -> dt.date | None:
        """转正日期 (预备期满之日) once the 支部党员大会 voted 按期转正."""
        s = self.done(STEP_CONVERT)
        if s is None:
            return None
        return self.probation_end

    @property
    def finished(self) -> dt.date | None:
        """The day the register stops following them: 转正 voted, or ended."""
        if self.applicant.ended_on is not None:
            return self.applicant.ended_on
        s = self.done(STEP_CONVERT)
        return s.date if s else None

    def active_during(self, start: dt.date, end: dt.date) -> bool:
        """Followed by the register on at least one day from ``start`` to ``end``, or with a
        step recorded then (材料归档 after 转正 included)."""
        if any(start <= s.date <= end for s in self.steps):
            return True
        first = self.started
        if first is None or first > end:
            return False
        done = self.finished
        return done is None or done >= start

    def ref_date(self, ref: int) -> dt.date | None:
        if ref == PROBATION_END:
            return self.probation_end
        s = self.done(ref)
        return s.date if s else None

    def next_step(self) -> StepDef | None:
        """The first step of the person's stage not yet recorded whose steps before it are."""
        stage = self.stage
        if stage in (ENDED,):
            return None
        for d in STEPS:
            if d.repeat or self.done(d.no) is not None:
                continue
            if d.stage != (None if stage == NOT_STARTED else stage):
                continue
            if all(self.done(r) is not None for r in d.requires):
                return d
        return None


def progresses(applicants: Iterable[Applicant], steps: Iterable[Step]) -> list[Progress]:
    """Each applicant with their steps."""
    by_person: dict[int | None, list[Step]] = {}
    for s in steps:
        by_person.setdefault(s.applicant_id, []).append(s)
    return [Progress(a, by_person.get(a.id, [])) for a in applicants]


# --- rules ---------------------------------------------------------------------------------


@dataclass
class StepProblem:
    """One problem with a step: ``field`` is the Chinese label of the field it is about."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}：{self.message}"


def vote_passes(expected: int, yes: int) -> bool:
    """赞成人数超过应到会有表决权的正式党员的半数."""
    return yes * 2 > expected


def quorum(expected: int, present: int) -> bool:
    """有表决权的到会人数超过应到会有表决权人数的半数."""
    return present * 2 > expected


def validate_step(
    progress: Progress,
    step: Step,
    today: dt.date,
    members: Sequence[Member] = (),
    birth_date: dt.date | None = None,
) -> list[StepProblem]:
    """Every problem with adding (``step.id`` None) or changing ``step`` in ``progress``.

    ``members``: the roster, for the people a step names (培养联系人 and 入党介绍人 must be
    正式党员 of the branch on that day)."""
    out: list[StepProblem] = []
    d = STEP.get(step.no)
    if d is None:
        return [StepProblem("步骤", f"没有第{step.no}步")]
    day = step.date
    if day is None:
        return [StepProblem("日期", "不能为空")]
    if day > today:
        out.append(StepProblem("日期", f"{format_date_cn(day)}晚于今天"))
    others = [s for s in progress.steps if s.id is None or s.id != step.id]
    if progress.applicant.ended_on is not None and day > progress.applicant.ended_on:
        out.append(
            StepProblem("日期", f"已于{format_date_cn(progress.applicant.ended_on)}终止发展")
        )

    # order: the steps before it, and their dates
    for r in d.requires:
        before = next((s for s in others if s.no == r and s.positive), None)
        if before is None:
            out.append(StepProblem("步骤", f"请先登记“{STEP[r].label}”"))
        elif before.date > day:
            out.append(StepProblem("日期", f"早于“{STEP[r].name}”的日期{format_date(before.date)}"))
    if not d.repeat:
        same = [s for s in others if s.no == step.no]
        if step.no == STEP_CONVERT:  # again only after 延长预备期
            again = all(s.result == "延长预备期" for s in same)
        else:  # a vote that did not pass may be held again
            again = bool(d.results) and not any(s.positive for s in same)
        if same and not again:
            out.append(StepProblem("步骤", f"“{d.name}”已经登记过"))
    if step.no == STEP_APPLY and birth_date is not None:
        if add_months(birth_date, MIN_AGE * 12) > day:
            out.append(StepProblem("日期", "递交入党申请书时未满十八周岁"))

    # timing that a date may not break
    trial = Progress(progress.applicant, others)
    for t in d.timing:
        if t.kind != NOT_BEFORE:
            continue
        start = trial.ref_date(t.ref)
        if start is None:
            continue
        earliest = t.date_from(start)
        if day < earliest:
            ref_name = "预备期满" if t.ref == PROBATION_END else STEP[t.ref].name
            if t.ref == PROBATION_END:
                text = f"预备期{format_date_cn(earliest)}才满，不能提前讨论转正"
            else:
                text = (
                    f"须{t.rule}（{ref_name}：{format_date(start)}），"
                    f"{format_date_cn(earliest)}起才能{d.name}"
                )
            out.append(StepProblem("日期", text))

    # the people it names
    names = []
    if step.people:
        try:
            names = [n for n, _ in split_names(step.people)]
        except ValueError as e:
            out.append(StepProblem(d.people or "相关人员", str(e)))
    if d.people_count and len(names) < d.people_count:
        want = "两名" if d.people_count == 2 else "一名"
        out.append(StepProblem(d.people or "相关人员", f"应填写{want}{d.people}"))
    elif d.people_count == 2 and len(names) > 2:
        out.append(StepProblem(d.people or "相关人员", "只能填写两名"))
    if len(set(names)) != len(names):
        out.append(StepProblem(d.people or "相关人员", "同一人填了两次"))
    if d.full_members:
        for n in names:
            found = [m for m in members if m.name == n and m.belongs_on(day)]
            if not found:
                out.append(StepProblem(d.people or "相关人员", f"“{n}”在当天不是本支部党员"))
            elif not any(m.is_full_member_on(day) for m in found):
                out.append(StepProblem(d.people or "相关人员", f"“{n}”当时不是正式党员"))

    # the vote
    if d.vote:
        out += _vote_problems(d, step)
    elif step.result and step.result not in d.results:
        out.append(StepProblem("结果", f"“{d.name}”没有结果可选"))
    if step.no == STEP_CONVERT and step.result == "延长预备期":
        months = step.months or 0
        if not 1 <= months <= MAX_EXTENSION_MONTHS:
            out.append(StepProblem("延长月数", "延长预备期应为 1–12 个月"))
        elif months + trial.extension_months > MAX_EXTENSION_MONTHS:
            out.append(StepProblem("延长月数", "延长预备期合计不能超过一年"))
    elif step.months:
        out.append(StepProblem("延长月数", "只有“延长预备期”才填写月数"))
    return out


def _vote_problems(d: StepDef, step: Step) -> list[StepProblem]:
    out: list[StepProblem] = []
    counts = {
        "应到人数": step.expected,
        "实到人数": step.present,
        "赞成票": step.yes,
        "反对票": step.no_votes,
        "弃权票": step.abstain,
    }
    for label, value in counts.items():
        if value is None:
            out.append(StepProblem(label, "请填写表决人数"))
        elif value < 0:
            out.append(StepProblem(label, "不能为负数"))
    if step.result not in d.results:
        out.append(StepProblem("结果", "应为 " + " / ".join(d.results)))
    if out:
        return out
    expected, present = step.expected or 0, step.present or 0
    yes, no, abstain = step.yes or 0, step.no_votes or 0, step.abstain or 0
    if expected == 0:
        out.append(StepProblem("应到人数", "应到会有表决权的正式党员不能为 0"))
    if present > expected:
        out.append(StepProblem("实到人数", "多于应到人数"))
    if yes + no + abstain > present:
        out.append(StepProblem("赞成票", "赞成、反对、弃权合计多于实到人数"))
    if expected and not quorum(expected, present):
        out.append(StepProblem("实到人数", "有表决权的到会人数未超过应到人数的半数，不能表决"))
    if expected and step.result == d.positive and not vote_passes(expected, yes):
        out.append(StepProblem("赞成票", f"赞成未超过应到会有表决权正式党员（{expected}人）的半数"))
    return out


# --- what falls due --------------------------------------------------------------------------

DUE_MISSING = "missing"  # overdue
DUE_WARN = "warn"  # due soon, or may be done now
DUE_INFO = "info"


@dataclass
class Due:
    """Something the register expects next for one person, with its date."""

    key: str  # stable: "谈话" / "思想汇报" / "step:17" …
    step: StepDef
    text: str
    due: dt.date | None
    level: str


def report_quarters(progress: Progress, today: dt.date) -> tuple[list[Period], Period | None]:
    """思想汇报: the ended quarters with no report (from the first whole quarter after
    the person became 积极分子, until 转正 or the end), and the quarter under way if it has
    none yet. ``([], None)`` for someone who is not being trained."""
    started = progress.done(STEP_ACTIVIST)
    if started is None:
        return [], None
    stop = progress.finished or dt.date.max
    reports = {
        (s.date.year, (s.date.month - 1) // 3 + 1)
        for s in progress.steps
        if s.no in (STEP_REPORTS, STEP_REPORTS_PROBATION)
    }
    q = Period.quarter(started.date.year, (started.date.month - 1) // 3 + 1)
    missing: list[Period] = []
    current: Period | None = None
    while True:
        q = _next_quarter(q)
        if q.start > today or q.start > stop:
            break
        if (q.year, q.index) in reports:
            continue
        if q.end < today and q.end < stop:
            missing.append(q)
        elif q.contains(today):
            current = q
    return missing, current


def _next_quarter(q: Period) -> Period:
    return Period.quarter(q.year + 1, 1) if q.index == 4 else Period.quarter(q.year, q.index + 1)


def dues(progress: Progress, today: dt.date) -> list[Due]:
    """What is due for one person on ``today``: steps with a time limit whose start has come
    (谈话, 培养联系人, 上级党委审批, 转正申请, 讨论转正 …), 培养满一年, and 思想汇报."""
    stage = progress.stage_on(today)
    if stage in (ENDED, NOT_STARTED):
        return []
    out: list[Due] = []
    for d in STEPS:
        if d.stage != stage or not d.timing or progress.done(d.no) is not None:
            continue
        for t in d.timing:
            if not t.remind:
                continue
            start = progress.ref_date(t.ref)
            if start is None:
                continue
            when = t.date_from(start)
            if t.warn_days is None:
                shown_from = start
            else:
                anchor = start if t.ref == PROBATION_END else when
                shown_from = anchor - dt.timedelta(days=t.warn_days)
            if today < shown_from:
                continue
            out.append(_due_of(progress, d, t, when, today))
    missing, current = report_quarters(progress, today)
    if stage in (ACTIVIST, CANDIDATE, PROBATIONARY):
        step = STEP[STEP_REPORTS_PROBATION if stage == PROBATIONARY else STEP_REPORTS]
        if missing:
            labels = "、".join(q.label for q in missing[-4:])
            more = f"等 {len(missing)} 个季度" if len(missing) > 4 else ""
            out.append(
                Due(
                    "思想汇报",
                    step,
                    f"{labels}{more}没有思想汇报（每季度至少一次）",
                    missing[-1].end,
                    DUE_MISSING,
                )
            )
        elif current is not None and today.month == current.end.month:
            out.append(
                Due(
                    "思想汇报",
                    step,
                    f"本季度尚未递交思想汇报（{format_date_cn(current.end)}前）",
                    current.end,
                    DUE_WARN,
                )
            )
    return out


def _due_of(progress: Progress, d: StepDef, t: Timing, when: dt.date, today: dt.date) -> Due:
    late = today > when
    key = f"step:{d.no}"
    if t.kind == NOT_BEFORE:  # 培养满一年
        if today >= when:
            text = f"培养满一年（{format_date_cn(when)}），可确定为发展对象"
            return Due(key, d, text, when, DUE_WARN)
        text = f"将于{format_date_cn(when)}培养满一年，届时可确定为发展对象"
        return Due(key, d, text, when, DUE_INFO)
    if t.ref == PROBATION_END:
        end = progress.probation_end
        if d.no == STEP_FULL_REQUEST:
            text = (
                f"预备期已于{format_date_cn(end)}满，尚未提出转正申请"
                if late
                else f"预备期将于{format_date_cn(end)}满，应提出书面转正申请"
            )
        elif late:
            text = f"预备期已于{format_date_cn(end)}满，逾期未讨论转正"
        elif end is not None and today >= end:
            text = f"预备期已于{format_date_cn(end)}满，应及时讨论转正（{format_date_cn(when)}前）"
        else:
            text = f"预备期将于{format_date_cn(end)}满，届时召开支部党员大会讨论转正"
        return Due(key, d, text, when, DUE_MISSING if late else DUE_WARN)
    if late:
        text = f"“{d.name}”已逾期（应于{format_date_cn(when)}前：{t.rule}）"
    else:
        text = f"应于{format_date_cn(when)}前完成“{d.name}”（{t.rule}）"
    return Due(key, d, text, when, DUE_MISSING if late else DUE_WARN)


# --- admission into the roster ---------------------------------------------------------------


def admitted_member(applicant: Applicant, day: dt.date) -> Member:
    """The roster's new 预备党员 made from the person's data (入党日期 = the meeting's day)."""
    return Member(
        id=None,
        name=applicant.name,
        member_type="预备党员",
        join_date=day,
        category=applicant.category or "在职",
        gender=applicant.gender,
        ethnicity=applicant.ethnicity,
        birth_date=applicant.birth_date,
        id_number=applicant.id_number,
        education=applicant.education,
        group_id=applicant.group_id,
        group_name=applicant.group_name,
        phone=applicant.phone,
    )


def stage_counts(items: Iterable[Progress], day: dt.date) -> list[tuple[str, int]]:
    """How many people are in each stage on ``day`` (入党申请人 … 预备党员; 正式党员 and
    已终止 are no longer followed)."""
    counts = dict.fromkeys(STAGES[:4], 0)
    for p in items:
        s = p.stage_on(day)
        if s in counts:
            counts[s] += 1
    return list(counts.items())


def meeting_label(day: dt.date, kind: str) -> str:
    """How a step names its meeting in tables and the workbook: ``2025-03-12 支委会``."""
    return f"{format_date(day)} {kind}"


def parse_meeting_label(text: str) -> tuple[dt.date, str] | None:
    """``2025-03-12 支委会`` → (date, kind); None when it is not written that way."""
    from .dates import parse_date

    parts = str(text).split()
    if len(parts) != 2:
        return None
    try:
        return parse_date(parts[0]), parts[1]
    except ValueError:
        return None
