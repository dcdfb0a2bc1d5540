"""Who is expected at a record (应到) and how each of them attended — one rule for all.

Contract (LEDGER_FORMAT.md, 三会一课): at a 支委会 the committee; at a 党小组会 the members
of that group; at a 谈心谈话 the people it lists; elsewhere every member — each only if
they belonged to the branch on the day. An expected member in none of the lists is 缺席.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import ATTEND_ABSENT, ATTEND_LEAVE, ATTEND_PRESENT, Attendance, Member, Record


def expected_members(record: Record, members: Iterable[Member]) -> list[Member]:
    """The members expected (应到) at ``record``, in the order given."""
    day = record.date
    if record.kind == "谈心谈话":
        listed = {a.member_id for a in record.attendance}
        return [m for m in members if m.id in listed and m.belongs_on(day)]
    # the cheap tests first: a big branch's year asks this for every record
    if record.kind == "支委会":
        members = [m for m in members if m.is_committee]
    elif record.kind == "党小组会":
        members = [m for m in members if m.group_id == record.group_id]
    return [m for m in members if m.belongs_on(day)]


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


def summarize(record: Record, members: Iterable[Member]) -> AttendanceSummary:
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


def quorum_met(record: Record, members: Iterable[Member]) -> bool | None:
    """支部工作条例 §11/§12: more than half present.

    A 支部党员大会 counts 正式党员 (members with a vote) on the day; a 支委会 counts the
    committee. None for other kinds (no quorum rule).
    """
    members = list(members)
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
