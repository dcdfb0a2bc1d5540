"""Name lists as clerks write them (``张三、李四（病假）``) and pinyin initials for completion."""

from __future__ import annotations

import re
from functools import lru_cache

# separators of a name list; brackets protect a reason that itself contains spaces
_SEPARATORS = "、，,;；"
_ENTRY = re.compile(r"^(?P<name>[^（(]+?)\s*(?:[（(]\s*(?P<reason>[^）)]*?)\s*[）)])?$")


def split_names(text: object) -> list[tuple[str, str | None]]:
    """Split a name list into ``(name, reason)`` pairs.

    Separators: ``、 ， , ; ；`` and white space (full-width too); a reason follows the name
    in full- or half-width brackets. Raises ``ValueError`` for an unbalanced bracket.
    """
    if text is None:
        return []
    s = str(text).replace("\u3000", " ").strip()
    if not s:
        return []
    parts: list[str] = []
    buf = ""
    depth = 0
    for ch in s:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
            if depth < 0:
                raise ValueError(f"括号不匹配：“{s}”")
        if depth == 0 and (ch in _SEPARATORS or ch.isspace()):
            if buf.strip():
                parts.append(buf.strip())
            buf = ""
            continue
        buf += ch
    if depth != 0:
        raise ValueError(f"括号不匹配：“{s}”")
    if buf.strip():
        parts.append(buf.strip())
    out: list[tuple[str, str | None]] = []
    for part in parts:
        # "张三 （病假）" arrives as two parts: attach a bare bracket to the previous name
        if part[0] in "（(" and out and out[-1][1] is None:
            reason = part.strip("（()）").strip() or None
            out[-1] = (out[-1][0], reason)
            continue
        m = _ENTRY.match(part)
        if not m:
            raise ValueError(f"无法识别的姓名：“{part}”")
        out.append((m.group("name").strip(), (m.group("reason") or None)))
    return out


def join_names(entries: list[tuple[str, str | None]]) -> str:
    """The inverse of :func:`split_names`, as exports write it: ``张三、李四（病假）``."""
    return "、".join(f"{n}（{r}）" if r else n for n, r in entries)


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """Pinyin initials: ``周建国`` → ``zjg`` (used by name completion)."""
    from pypinyin import Style, lazy_pinyin

    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()


def matches(name: str, typed: str) -> bool:
    """Does ``typed`` (characters or pinyin initials) pick out ``name``?"""
    t = typed.strip().lower()
    if not t:
        return True
    return t in name.lower() or initials(name).startswith(t)
