"""The branch's records as plain dataclasses: what storage returns and every rule takes.

No Qt, no SQL here. Dates are ``datetime.date``; money is integer 分; volunteer time is
integer half-hours. Vocabulary values are the contract's exact Chinese strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# --- vocabularies (exact strings of docs/台账格式.md) -------------------------

GENDERS = ("男", "女")
MEMBER_TYPES = ("正式党员", "预备党员")
CATEGORIES = ("在职", "离退休", "农民", "学生", "下岗失业", "其他")
STATUSES = ("在册", "转出", "停止党籍", "去世", "出党")
ACTIVE = "在册"
POSTS = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")

# 三会一课 kinds, in the order clerks list them
MEETING_KINDS = ("支部党员大会", "支委会", "党小组会", "党课")
THEME_DAY = "主题党日"
OTHER_KINDS = ("组织生活会", "民主评议党员", "谈心谈话")
# 学习教育 (issue 18): recorded like other organisational life, each with its own rule
STUDY_KINDS = ("集中学习", "交流研讨")
RECORD_KINDS = MEETING_KINDS + (THEME_DAY,) + OTHER_KINDS + STUDY_KINDS

IMPORTED = "导入"  # Record.origin of a record read from a workbook

ATTEND_PRESENT = "出席"
ATTEND_LEAVE = "请假"
ATTEND_ABSENT = "缺席"
ATTENDANCE_STATUSES = (ATTEND_PRESENT, ATTEND_LEAVE, ATTEND_ABSENT)
LEAVE_REASONS = ("病假", "事假", "公差", "产假", "其他")

BRANCH_INFO_KEYS = (
    "支部名称",
    "上级党组织",
    "书记",
    "副书记",
    "组织委员",
    "宣传委员",
    "纪检委员",
    "成立日期",
    "联系电话",
)

# Dues rounding modes (a branch setting): half-up to the 分 / whole 角 / whole 元 (up)
ROUND_FEN = "fen"
ROUND_JIAO = "jiao"
ROUND_YUAN_UP = "yuan_up"


def is_committee_post(post: str | None) -> bool:
    """支委: 党内职务 is 书记, 副书记 or ends in 委员 (contract, 应到 of a 支委会)."""
    if not post:
        return False
    return any(p in ("书记", "副书记") or p.endswith("委员") for p in split_posts(post))


def split_posts(post: str) -> list[str]:
    """A member may hold several posts written ``书记、纪检委员``."""
    for sep in "、，,;；/ ":
        post = post.replace(sep, "、")
    return [p for p in post.split("、") if p]


@dataclass
class Branch:
    """支部信息: key → value for the contract's rows (支部名称, 上级党组织, …)."""

    info: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.info.get("支部名称", "") or ""

    @property
    def founded(self) -> dt.date | None:
        from .dates import parse_date

        raw = self.info.get("成立日期")
        if not raw:
            return None
        try:
            return parse_date(raw)
        except ValueError:
            return None


@dataclass
class Group:
    """党小组."""

    id: int | None
    name: str
    sort: int = 0


@dataclass
class Member:
    """党员. Belongs to the branch from max(入党日期, 转入日期) until 状态变更日期 (exclusive)."""

    id: int | None
    name: str
    member_type: str = "正式党员"  # 党员类别
    join_date: dt.date | None = None  # 入党日期
    category: str = "在职"  # 人员类别
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None  # 公民身份号码
    education: str | None = None
    full_date: dt.date | None = None  # 转正日期
    group_id: int | None = None
    group_name: str | None = None  # filled by storage for convenience
    post: str | None = None  # 党内职务
    phone: str | None = None
    status: str = ACTIVE
    status_date: dt.date | None = None  # 状态变更日期
    transfer_in_date: dt.date | None = None  # 转入日期
    note: str | None = None
    leading_cadre: bool = False  # 党员领导干部 (gives a 党课 every year)

    @property
    def start_date(self) -> dt.date | None:
        """The day the member starts to belong to the branch."""
        j, t = self.join_date, self.transfer_in_date  # asked for every member and record
        if j is not None and t is not None:
            return j if j > t else t
        return j if j is not None else t

    @property
    def end_date(self) -> dt.date | None:
        """First day the member no longer belongs (状态变更日期), or None while 在册."""
        return None if self.status == ACTIVE else self.status_date

    def belongs_on(self, day: dt.date) -> bool:
        start = self.start_date
        if start is None or day < start:
            return False
        end = self.end_date
        return end is None or day < end

    @property
    def is_committee(self) -> bool:
        return is_committee_post(self.post)

    def is_full_member_on(self, day: dt.date) -> bool:
        """Has a vote (正式党员) on that day: 正式党员 without 转正日期, or 转正 on/before it."""
        if self.member_type == "正式党员":
            return self.full_date is None or self.full_date <= day
        return self.full_date is not None and self.full_date <= day


@dataclass
class StatusChange:
    """One line of a member's status history (never rewritten)."""

    id: int | None
    member_id: int
    status: str
    date: dt.date | None
    note: str | None = None
    recorded_at: str | None = None


@dataclass(slots=True)  # a big branch's year holds tens of thousands of these
class Attendance:
    member_id: int
    status: str  # 出席 / 请假 / 缺席
    reason: str | None = None  # for 请假: 病假、事假、公差 …
    name: str | None = None  # filled by storage for display


@dataclass
class Record:
    """One event of organisational life: a 三会一课 meeting, a 主题党日, or other 组织生活.

    Field meaning by kind: ``topic`` is 议题 (meetings) or 主题 (theme day, other);
    ``content`` is 主要内容 or 活动内容; ``organizer`` is the theme day's 组织人;
    ``form`` its 活动形式; ``lecturer`` the 党课's 授课人; ``group_id`` the 党小组会's group.
    ``attendance`` lists only members written in 出席 / 请假 / 缺席; an expected member who
    is in none counts as 缺席 (see domain.attendance).
    """

    id: int | None
    kind: str
    date: dt.date
    time: str | None = None  # "19:30" or "19:30-21:00"
    place: str | None = None
    host: str | None = None  # 主持人
    recorder: str | None = None  # 记录人
    lecturer: str | None = None  # 授课人
    group_id: int | None = None
    group_name: str | None = None
    topic: str | None = None
    form: str | None = None  # 活动形式
    organizer: str | None = None  # 组织人
    content: str | None = None
    decisions: str | None = None  # 决议事项
    also_theme_day: bool = False  # 结合主题党日
    origin: str | None = None  # IMPORTED: copied from an earlier ledger (a workbook)
    attendance: list[Attendance] = field(default_factory=list)
    created_at: dt.datetime | None = None  # when it was entered (补记 = > 30 days after date)
    updated_at: dt.datetime | None = None
    guests: str | None = None  # 列席人员: non-members, ``王五（街道党工委）、赵六``
    votes: list[Vote] = field(default_factory=list)  # 表决 of the decisions


@dataclass(frozen=True)
class Vote:
    """One 表决 of a meeting: what was decided (may be blank) and the counts."""

    subject: str | None
    agree: int  # 同意
    against: int = 0  # 反对
    abstain: int = 0  # 弃权

    @property
    def total(self) -> int:
        return self.agree + self.against + self.abstain


@dataclass
class DuesSetting:
    """One member's dues terms for one year (核定缴费基数 or 约定月缴)."""

    member_id: int
    year: int
    base_fen: int | None = None  # 月缴费基数, 分
    fixed_fen: int | None = None  # 约定月缴, 分
    note: str | None = None  # 备注
    components: dict | None = None  # 核定 helper: pay components, 分
    reduction: str | None = None  # 少交 / 免交
    reduction_fen: int | None = None  # monthly amount after 少交 (0 for 免交)
    approved_by: str | None = None
    approved_on: dt.date | None = None


@dataclass
class Payment:
    """One entry of money for one member and month; corrections are further entries."""

    id: int | None
    member_id: int
    year: int
    month: int
    amount_fen: int
    paid_on: dt.date | None = None
    entered_by: str | None = None
    note: str | None = None
    created_at: dt.datetime | None = None


@dataclass
class VolunteerEntry:
    """志愿服务: one member, one service. ``half_hours`` = 时长 × 2 (hours come in halves)."""

    id: int | None
    member_id: int
    date: dt.date
    half_hours: int
    project: str | None = None  # 服务项目
    place: str | None = None  # 地点 / 社区
    witness: str | None = None  # 证明人
    note: str | None = None
    member_name: str | None = None


@dataclass
class FrequencyRule:
    """How often a required item must be held: ``required`` per ``period`` (month/quarter/year)."""

    item: str
    period: str  # "month" | "quarter" | "year"
    required: int


DEFAULT_RULES = (
    FrequencyRule("支部党员大会", "quarter", 1),
    FrequencyRule("支委会", "month", 1),
    FrequencyRule("党小组会", "month", 1),
    FrequencyRule("党课", "quarter", 1),
    FrequencyRule("主题党日", "month", 1),
    FrequencyRule("组织生活会", "year", 1),
    FrequencyRule("民主评议党员", "year", 1),
)


@dataclass
class AttachmentInfo:
    """A file kept with a record (photo, scan of the sign-in sheet); the bytes stay in storage."""

    id: int | None
    record_id: int
    filename: str
    mime: str | None = None
    size: int = 0
    caption: str | None = None
    added_at: str | None = None


@dataclass
class TopicTemplate:
    """A reusable 议题 / 主题 (``kind`` None: for every kind)."""

    id: int | None
    kind: str | None
    title: str
    body: str | None = None
