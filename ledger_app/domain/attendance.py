"""Who is expected at a record (应到) and how each of them attended — one rule for all.

Contract (docs/台账格式.md, 三会一课): at a 支委会 the committee; at a 党小组会 the members
of that group; at a 谈心谈话 the people it lists; elsewhere every member — each only if
they belonged to the branch on the day. An expected member in none of the lists is 缺席.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import ATTEND_ABSENT, ATTEND_LEAVE, ATTEND_PRESENT, Attendance, Member, Record

QUORUM_KINDS = ("支部党员大会", "支委会")  # the kinds :func:`quorum_met` judges


def expected_members(record: Record, members: Iterable[Member] | Roster) -> list[Member]:
    """The members expected (应到) at ``record``, in the order given."""
    roster = members if isinstance(members, Roster) else Roster(members)
    return roster.expected(record)


class Roster:
    """A member list prepared for asking :func:`expected_members` about many records: the
    same rule, with the committee and each group sorted out and every member's span in the
    branch worked out once (a big branch's year asks this for every record)."""

    def __init__(self, members: Iterable[Member]):
        # (member, first day, first day no longer) of those who ever belong, in order given
        self.spans = [(m, s, m.end_date) for m in members if (s := m.start_date) is not None]
        self.committee = [t for t in self.spans if t[0].is_committee]
        self.by_group: dict[int | None, list] = {}
        for t in self.spans:
            self.by_group.setdefault(t[0].group_id, []).append(t)

    def expected(self, record: Record) -> list[Member]:
        day = record.date
        if record.kind == "谈心谈话":  # the people it lists
            listed = {a.member_id for a in record.attendance}
            pool = [t for t in self.spans if t[0].id in listed]
        elif record.kind == "支委会":
            pool = self.committee
        elif record.kind == "党小组会":
            pool = self.by_group.get(record.group_id, [])
        else:
            pool = self.spans
        # Member.belongs_on, unrolled
        return [m for m, start, end in pool if start <= day and (end is None or day < end)]


@dataclass
class AttendanceSummary:
    """应到 / 实到 and each expected member's status (explicit or the implied 缺席)."""

    expected: list[Member]
    status: dict[int, Attendance]  # member id → attendance, for every expected member
    extra: list[Attendance]  # listed but not expected (e.g. a non-committee member at 支委会)

    @property
    def expected_count(self) -> int:
        return len(self.expected)

    @property
    def present_count(self) -> int:
        return sum(1 for a in self.status.values() if a.status == ATTEND_PRESENT)

    @property
    def leave_count(self) -> int:
        return sum(1 for a in self.status.values() if a.status == ATTEND_LEAVE)

    @property
    def absent_count(self) -> int:
        return sum(1 for a in self.status.values() if a.status == ATTEND_ABSENT)

    def of(self, status: str) -> list[Attendance]:
        return [self.status[m.id] for m in self.expected if self.status[m.id].status == status]  # type: ignore[index]


def summarize(record: Record, members: Iterable[Member] | Roster) -> AttendanceSummary:
    """Combine the expected list with the record's attendance lists."""
    expected = expected_members(record, members)
    given = {a.member_id: a for a in record.attendance}
    status: dict[int, Attendance] = {}
    for m in expected:
        assert m.id is not None
        status[m.id] = given.get(m.id) or Attendance(m.id, ATTEND_ABSENT, None, m.name)
    expected_ids = set(status)
    extra = [a for a in record.attendance if a.member_id not in expected_ids]
    return AttendanceSummary(expected, status, extra)


def attendance_sets(
    record: Record, members: Iterable[Member] | Roster
) -> tuple[set[int], set[int], set[int]]:
    """(expected, present, absent) member ids: :func:`summarize`'s rule as sets, for rules
    that only ask who — an expected member in no list is 缺席; the listed who were not
    expected count for nothing."""
    expected = {m.id for m in expected_members(record, members)}
    present = {a.member_id for a in record.attendance if a.status == ATTEND_PRESENT}
    not_absent = {a.member_id for a in record.attendance if a.status != ATTEND_ABSENT}
    return expected, present & expected, expected - not_absent  # type: ignore[return-value]


def quorum_met(record: Record, members: Iterable[Member] | Roster) -> bool | None:
    """支部工作条例 §11/§12: more than half present.

    A 支部党员大会 counts 正式党员 (members with a vote) on the day; a 支委会 counts the
    committee. None for other kinds (no quorum rule).
    """
    if record.kind == "支部党员大会":
        voters = [m for m in expected_members(record, members) if m.is_full_member_on(record.date)]
    elif record.kind == "支委会":
        voters = expected_members(record, members)
    else:
        return None
    if not voters:
        return None
    present = {a.member_id for a in record.attendance if a.status == ATTEND_PRESENT}
    return sum(1 for m in voters if m.id in present) * 2 > len(voters)
