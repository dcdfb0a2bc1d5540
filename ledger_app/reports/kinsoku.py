"""Where a line of Chinese text may break: the line-breaking rules (禁则) of GB/T 15834.

- 句号、问号、叹号、逗号、顿号、分号、冒号 and the closing half of quotes, brackets and
  book-title marks never start a line (:data:`NO_START`);
- the opening half of quotes, brackets and book-title marks never ends one (:data:`NO_END`);
- 破折号 —— and 省略号 …… are never cut in two; a number or a Latin word (``2025-06-18``,
  ``¥6,480.00``) is not cut unless it is longer than the line.

reportlab breaks CJK text "like a knife" between any two characters and hangs only some
punctuation (not the full-width comma) into the margin; :func:`line_breaks` pushes the last
characters of a line down instead, so a line may end a little short but never overruns its
cell. Pure functions on characters and widths: no reportlab here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

NO_START = frozenset(
    "，。、；：？！）》」』】〕〉］｝〗〙’”…—～·・％‰℃°′″"  # full-width and CJK
    "!),.:;?]}%"  # their half-width forms
)
NO_END = frozenset("（《「『【〔〈［｛〖〘‘“([{")
_PAIRS = frozenset("—…")  # —— and …… stay on one line
_FUZZ = 1e-6


def can_break(text: str, k: int) -> bool:
    """May a line end before ``text[k]`` (0 < k < len(text))?"""
    a, b = text[k - 1], text[k]
    if b in NO_START or a in NO_END or b.isspace():  # (after a space, not before it)
        return False
    if a == b and a in _PAIRS:
        return False
    # inside a run of Latin letters, digits and their punctuation (a date, an amount)
    return not (a < "\u3000" and b < "\u3000" and not a.isspace() and not b.isspace())


def line_breaks(
    text: str, widths: Sequence[float], max_widths: Sequence[float]
) -> list[tuple[int, int, float]]:
    """The lines of ``text`` (one width per character; ``max_widths[i]`` for line ``i``, the
    last for the rest) as ``(start, end, width)``: as many characters as fit, then back to
    the nearest place the rules allow (a number or a run of punctuation longer than the
    line is cut where the line is full)."""
    n = len(text)
    if n and sum(widths) <= max_widths[0] + _FUZZ:
        return [(0, n, float(sum(widths)))]  # most cells: one line
    ends = list(accumulate(widths))  # ends[i]: the width of text[: i + 1]
    out: list[tuple[int, int, float]] = []
    start = 0
    while start < n:
        room = max_widths[min(len(out), len(max_widths) - 1)]
        before = ends[start - 1] if start else 0.0
        i = max(bisect_right(ends, before + room + _FUZZ, start), start + 1)  # what fits
        if i >= n:
            out.append((start, n, ends[n - 1] - before))
            break
        k = i
        while k > start + 1 and not can_break(text, k):
            k -= 1
        if not can_break(text, k):
            k = i  # nowhere the rules allow: cut where the line is full
        out.append((start, k, ends[k - 1] - before))
        start = k
    return out


__all__ = ["NO_END", "NO_START", "can_break", "line_breaks"]
