"""Every leading cadre's yearly 党课 (issue 18): 党员领导干部每年讲党课不少于1次.

Who counts as a leading cadre is a branch setting: the members marked 党员领导干部 in the
roster (the default), the 支部委员 (书记, 副书记, 委员), or both. A cadre has given a 党课
in a year when a 党课 record of that year names them as 授课人 (the 授课人 list is read
like a name list: ``周建国、市委党校 张教授``). A cadre is judged for a year in which they
belonged to the branch; like the contract's yearly items, the judgement is made when the
whole year is checked and has ended — before that the 工作台 reminds.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .compliance import belongs_during
from .dates import Period
from .models import Member, Record
from .names import split_names

LECTURE = "党课"
CADRE_FLAGGED = "flagged"
CADRE_COMMITTEE = "committee"
CADRE_BOTH = "both"
CADRE_SOURCES = {
    CADRE_FLAGGED: "名册中标为党员领导干部的党员",
    CADRE_COMMITTEE: "支部委员（书记、副书记、委员）",
    CADRE_BOTH: "以上两者",
}


def is_cadre(member: Member, source: str = CADRE_FLAGGED) -> bool:
    if source == CADRE_COMMITTEE:
        return member.is_committee
    if source == CADRE_BOTH:
        return member.leading_cadre or member.is_committee
    return member.leading_cadre


def lecturer_names(record: Record) -> list[str]:
    """The names written as 授课人 (a list that cannot be read counts as one name)."""
    text = (record.lecturer or "").strip()
    if not text:
        return []
    try:
        return [name for name, _ in split_names(text)]
    except ValueError:
        return [text]


@dataclass
class CadreLecture:
    """One leading cadre in one year and the 党课 they gave."""

    member: Member
    records: list[Record] = field(default_factory=list)

    @property
    def given(self) -> bool:
        return bool(self.records)


@dataclass
class CadreLectures:
    """The leading cadres of a year and their 党课; ``judged``: the year has ended and is
    checked whole (``check`` lists the missing ones only then)."""

    year: int
    judged: bool
    lines: list[CadreLecture]

    @property
    def missing(self) -> list[CadreLecture]:
        return [c for c in self.lines if not c.given]

    def to_json(self) -> list[dict]:
        """The additive ``cadre_lectures`` key of ``check --json``: the cadres judged
        without a 党课 in the year."""
        if not self.judged:
            return []
        return [
            {"name": c.member.name, "year": self.year, "required": 1, "held": 0}
            for c in self.missing
        ]


def cadre_lectures(
    members: Sequence[Member],
    records: Iterable[Record],
    year: int,
    source: str,
    today: dt.date,
    whole_year: bool = True,
) -> CadreLectures:
    """The leading cadres who belonged in ``year`` (roster order) with their 党课."""
    y = Period.whole_year(year)
    cadres = [m for m in members if is_cadre(m, source) and belongs_during(m, y.start, y.end)]
    lines = [CadreLecture(m) for m in cadres]
    by_name: dict[str, list[CadreLecture]] = {}
    for line in lines:
        by_name.setdefault(line.member.name, []).append(line)
    for r in sorted(records, key=lambda r: (r.date, r.id or 0)):
        if r.kind != LECTURE or not y.contains(r.date):
            continue
        for name in dict.fromkeys(lecturer_names(r)):
            for line in by_name.get(name, ()):
                if line.member.belongs_on(r.date):
                    line.records.append(r)
    return CadreLectures(year, whole_year and y.has_ended(today), lines)


__all__ = [
    "CADRE_BOTH",
    "CADRE_COMMITTEE",
    "CADRE_FLAGGED",
    "CADRE_SOURCES",
    "CadreLecture",
    "CadreLectures",
    "cadre_lectures",
    "is_cadre",
    "lecturer_names",
]
