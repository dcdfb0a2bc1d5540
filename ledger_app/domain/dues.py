"""党费 rules (中组部 2008): rates by bracket, monthly due, owed months, arrears.

All money is integer 分. This module is the one implementation used by the GUI, the CLI,
the exports and the compliance check.
"""

from __future__ import annotations

import datetime as dt

from .models import Member


def owed_months(member: Member, year: int) -> list[int]:
    """Months of ``year`` for which ``member`` owes dues: from the month of the later of
    入党日期 and 转入日期 (预备党员 included) to the month before 状态变更日期."""
    start = member.start_date
    if start is None or start.year > year:
        return []
    first = 1 if start.year < year else start.month
    last = 12
    end = member.end_date
    if end is not None:
        last_day_owed = dt.date(end.year, end.month, 1) - dt.timedelta(days=1)
        if last_day_owed.year < year:
            return []
        if last_day_owed.year == year:
            last = last_day_owed.month
    return list(range(first, last + 1))
