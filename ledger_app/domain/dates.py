"""Dates as clerks write them, and the periods (month, quarter, year) rules are judged in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

_FULL = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_SHORT = re.compile(r"^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_MMDD = re.compile(r"^\s*(\d{2})(\d{2})\s*$")


def parse_date(value: object, default_year: int | None = None) -> dt.date:
    """Read a date as a clerk or a workbook writes it.

    Accepts ``date``/``datetime``, ``2025-03-07``, ``2025/3/7``, ``2025年3月7日``,
    ``2025.3.7``, ``20250307``; with ``default_year`` also ``3.7``, ``3-7``, ``3月7日``
    and ``0307``. Raises ``ValueError`` with a Chinese message otherwise.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        raise ValueError("日期为空")
    # a datetime rendered as text: "2025-03-07 00:00:00"
    if " " in text and re.match(r"^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}", text):
        text = text.split(" ", 1)[0]
    m = _FULL.match(text) or _COMPACT.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _SHORT.match(text) or _MMDD.match(text)
        if not m or default_year is None:
            raise ValueError(f"无法识别的日期：“{text}”（应如 2025-03-07）")
        y = default_year
        mo, d = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"不存在的日期：“{text}”") from None


def format_date(day: dt.date | None) -> str:
    """``2025-03-07`` — the form used in tables."""
    return day.isoformat() if day else ""


def format_date_cn(day: dt.date | None) -> str:
    """``2025年3月7日`` — the form used in prose."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def to_iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def from_iso(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def month_end(year: int, month: int) -> dt.date:
    """Last day of the month."""
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


@dataclass(frozen=True, order=True)
class Period:
    """A month (``2025-04``), quarter (``2025-Q2``) or year (``2025``).

    ``kind`` is "month", "quarter" or "year"; ``index`` is the month or quarter number
    (0 for a year).
    """

    year: int
    kind: str
    index: int = 0

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, "month", month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, "quarter", quarter)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, "year", 0)

    @property
    def start(self) -> dt.date:
        if self.kind == "month":
            return dt.date(self.year, self.index, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.index - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period (inclusive)."""
        if self.kind == "month":
            return month_end(self.year, self.index)
        if self.kind == "quarter":
            return month_end(self.year, 3 * self.index)
        return dt.date(self.year, 12, 31)

    @property
    def key(self) -> str:
        """The contract's period label: ``2025-04``, ``2025-Q3``, ``2025``."""
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        """Chinese label: ``2025年4月``, ``2025年第三季度``, ``2025年``."""
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> Iterator[Period]:
        """The months inside this period."""
        if self.kind == "month":
            yield self
            return
        first = self.start.month
        last = self.end.month
        for m in range(first, last + 1):
            yield Period.month(self.year, m)

    def subperiods(self, kind: str) -> Iterator[Period]:
        """Months, quarters or the year that lie wholly inside this period."""
        if kind == "month":
            yield from self.months()
        elif kind == "quarter":
            if self.kind == "month":
                return
            qs = range(1, 5) if self.kind == "year" else (self.index,)
            for q in qs:
                yield Period.quarter(self.year, q)
        elif kind == "year":
            if self.kind == "year":
                yield self

    def has_ended(self, today: dt.date) -> bool:
        return self.end < today


def checked_period(year: int, quarter: int | None) -> Period:
    """The period a ``--year Y [--quarter Q]`` command looks at."""
    return Period.quarter(year, quarter) if quarter else Period.whole_year(year)
