"""民主评议党员 with 等次 (issue 18).

Each year's 民主评议 ends with a grade (等次) for each member: 优秀, 合格, 基本合格, 不合格,
or 不确定等次 with a reason (长期外出、病重 …). Rules kept here:

- 参评党员: the members with a grade other than 不确定等次. The share of 优秀 among them
  (‰, half up) must not exceed the branch's cap (设置; commonly 30 %).
- Who should be graded: the 正式党员 who belonged to the branch on the day of that year's
  民主评议党员 meeting (or on the year's last day, or today if earlier, when none is
  recorded). 预备党员 take part in the 评议 but get no 等次.
- A member graded 基本合格 or 不合格 gets a follow-up: a 谈话 (date and who talked), and a
  处理 — for 不合格 one of 限期改正 / 劝其退党 / 除名; 限期改正 has a deadline by which
  the 改正情况 is recorded.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import ValidationError
from .models import Member, Record

GRADES = ("优秀", "合格", "基本合格", "不合格", "不确定等次")
EXCELLENT = "优秀"
UNCERTAIN = "不确定等次"
FOLLOWUP_GRADES = ("基本合格", "不合格")
MEASURES = ("限期改正", "劝其退党", "除名")
CORRECT = "限期改正"
APPRAISAL_KIND = "民主评议党员"
DEFAULT_CAP_PERMILLE = 300  # 优秀 at most 30 % of 参评党员


@dataclass
class Appraisal:
    """One member's 等次 in one year's 民主评议, with the follow-up."""

    id: int | None
    year: int
    member_id: int
    grade: str
    reason: str | None = None  # 说明: required for 不确定等次
    talk_date: dt.date | None = None  # 谈话日期 (基本合格 / 不合格)
    talk_by: str | None = None  # 谈话人
    measure: str | None = None  # 处理: 限期改正 / 劝其退党 / 除名
    deadline: dt.date | None = None  # 改正期限 (限期改正)
    result: str | None = None  # 改正情况
    member_name: str | None = None  # filled by storage for display

    @property
    def needs_followup(self) -> bool:
        return self.grade in FOLLOWUP_GRADES


def validate_appraisal(a: Appraisal) -> list[ValidationError]:
    """Every problem that stops the grade from being saved, each naming its field."""
    out = []
    if a.grade not in GRADES:
        out.append(ValidationError("等次", "应为 " + " / ".join(GRADES)))
    if a.grade == UNCERTAIN and not (a.reason or "").strip():
        out.append(ValidationError("说明", "不确定等次须写明原因（如长期外出、病重）"))
    if a.measure and a.measure not in MEASURES:
        out.append(ValidationError("处理", "应为 " + " / ".join(MEASURES)))
    if a.measure and not a.needs_followup:
        out.append(ValidationError("处理", f"只有{'、'.join(FOLLOWUP_GRADES)}的党员才有处理"))
    if a.grade == "基本合格" and a.measure and a.measure != CORRECT:
        out.append(ValidationError("处理", "基本合格的党员只能限期改正"))
    if a.deadline and a.measure != CORRECT:
        out.append(ValidationError("改正期限", "只有限期改正才有改正期限"))
    if (a.talk_by or "").strip() and a.talk_date is None:
        out.append(ValidationError("谈话日期", "填了谈话人，请填写谈话日期"))
    if a.talk_date and not a.needs_followup:
        out.append(ValidationError("谈话日期", f"只有{'、'.join(FOLLOWUP_GRADES)}的党员须谈话"))
    return out


def permille(part: int, whole: int) -> int | None:
    """``part / whole`` in ‰, half up (None for an empty whole)."""
    if not whole:
        return None
    return (part * 2000 + whole) // (2 * whole)


@dataclass
class AppraisalFigures:
    """One year's 民主评议: the grades, the share of 优秀, who is still to be graded and
    whose follow-up is due."""

    year: int
    entries: list[Appraisal]  # roster order
    expected: list[Member]  # who should get a 等次
    meeting: Record | None  # that year's 民主评议党员 record (the first)
    cap_permille: int
    today: dt.date
    members: dict[int, Member] = field(default_factory=dict)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(等次, members) for every grade, in the order of :data:`GRADES`."""
        found = {g: 0 for g in GRADES}
        for a in self.entries:
            found[a.grade] = found.get(a.grade, 0) + 1
        return list(found.items())

    def count(self, grade: str) -> int:
        return dict(self.counts).get(grade, 0)

    @property
    def participants(self) -> int:
        """参评党员: graded, 不确定等次 not counted."""
        return sum(1 for a in self.entries if a.grade != UNCERTAIN)

    @property
    def excellent_permille(self) -> int | None:
        return permille(self.count(EXCELLENT), self.participants)

    @property
    def over_cap(self) -> bool:
        """More 优秀 than the cap allows (count × 1000 > cap × 参评党员)."""
        return self.count(EXCELLENT) * 1000 > self.cap_permille * self.participants

    @property
    def ungraded(self) -> list[Member]:
        graded = {a.member_id for a in self.entries}
        return [m for m in self.expected if m.id not in graded]

    @property
    def started(self) -> bool:
        """The year's 评议 was held or grades were entered: then every grade is due."""
        return self.meeting is not None or bool(self.entries)

    def talk_due(self) -> list[Appraisal]:
        """基本合格 / 不合格 without a recorded 谈话."""
        return [a for a in self.entries if a.needs_followup and a.talk_date is None]

    def correction_overdue(self) -> list[Appraisal]:
        """限期改正 whose deadline has passed and no 改正情况 is recorded."""
        return [
            a
            for a in self.entries
            if a.measure == CORRECT
            and a.deadline is not None
            and a.deadline < self.today
            and not (a.result or "").strip()
        ]

    def name(self, a: Appraisal) -> str:
        m = self.members.get(a.member_id)
        return m.name if m else (a.member_name or f"#{a.member_id}")

    @property
    def share_text(self) -> str:
        """``优秀 3 人，占参评党员 25.0%（上限 30%）``."""
        p = self.excellent_permille
        share = "—" if p is None else f"{p // 10}.{p % 10}%"
        cap = f"{self.cap_permille // 10}" + (
            f".{self.cap_permille % 10}" if self.cap_permille % 10 else ""
        )
        return f"优秀 {self.count(EXCELLENT)} 人，占参评党员 {share}（上限 {cap}%）"


def appraisal_figures(
    year: int,
    entries: Iterable[Appraisal],
    members: Sequence[Member],
    records: Iterable[Record],
    cap_permille: int,
    today: dt.date,
) -> AppraisalFigures:
    """The figures of ``year``'s 民主评议 from its grades and the year's records."""
    meetings = sorted(
        (r for r in records if r.kind == APPRAISAL_KIND and r.date.year == year),
        key=lambda r: r.date,
    )
    meeting = meetings[0] if meetings else None
    day = meeting.date if meeting else min(dt.date(year, 12, 31), today)
    expected = [m for m in members if m.belongs_on(day) and m.is_full_member_on(day)]
    order = {m.id: i for i, m in enumerate(members)}
    mine = sorted(
        (a for a in entries if a.year == year), key=lambda a: order.get(a.member_id, 10**9)
    )
    return AppraisalFigures(
        year,
        mine,
        expected,
        meeting,
        cap_permille,
        today,
        {m.id: m for m in members},  # type: ignore[misc]
    )


__all__ = [
    "APPRAISAL_KIND",
    "CORRECT",
    "DEFAULT_CAP_PERMILLE",
    "EXCELLENT",
    "FOLLOWUP_GRADES",
    "GRADES",
    "MEASURES",
    "UNCERTAIN",
    "Appraisal",
    "AppraisalFigures",
    "appraisal_figures",
    "permille",
    "validate_appraisal",
]
