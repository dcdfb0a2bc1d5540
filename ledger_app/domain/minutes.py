"""The record a meeting really needs (issue 18): 列席人员, 表决 and minutes that are not
too brief.

- 列席人员: people who are not members of the branch (a 上级 comrade, a candidate), each
  with their unit in brackets — the name-list notation of the workbook
  (``王五（街道党工委）、赵六（社区居委会）``).
- 表决: the counts (同意 / 反对 / 弃权) of each decision put to the vote, written as minutes
  write them: ``接收张三为预备党员：同意18，反对0，弃权1；……``.
- 记录过简: per kind, a minimum length of 主要内容 and parts the record must have — a field
  (议题, 决议事项, 授课人 …) or a phrase the minutes must contain (查摆问题, 批评与自我批评).
  A record already listed as incomplete for an empty field is not listed again for it.

No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models import MEETING_KINDS, THEME_DAY, Record, Vote
from .names import join_names, split_names

# --- 列席人员 -------------------------------------------------------------------------------


def normalize_guests(text: str | None) -> str | None:
    """列席人员 as stored and exported: ``王五（街道党工委）、赵六``. Raises ValueError for a
    list that cannot be read (unbalanced brackets)."""
    entries = split_names(text)
    return join_names(entries) or None


def guest_count(text: str | None) -> int:
    try:
        return len(split_names(text))
    except ValueError:
        return 0


# --- 表决 -------------------------------------------------------------------------------------

VOTE_KINDS = ("支部党员大会", "支委会")  # the meetings whose decisions are put to the vote
_COUNT = {"同意": "agree", "赞成": "agree", "反对": "against", "弃权": "abstain"}
_FIRST = re.compile(r"(同意|赞成|反对|弃权)\s*[:：]?\s*\d")
_COUNTS = re.compile(r"(同意|赞成|反对|弃权)\s*[:：]?\s*(\d+)\s*(?:票|人)?")


def parse_votes(text: str | None) -> list[Vote]:
    """``接收张三为预备党员：同意18，反对0，弃权1；……`` → votes. Items are separated by
    ``；`` ``;`` or line breaks; the subject (before the first count) may be left out; a
    count not written is 0, but 同意 must be there. Raises ValueError in Chinese."""
    out: list[Vote] = []
    for item in re.split(r"[;；\n]+", (text or "").strip()):
        item = item.strip()
        if not item:
            continue
        first = _FIRST.search(item)
        if first is None:
            raise ValueError(f"“{item}”中没有票数：应如 同意18，反对0，弃权1")
        subject = item[: first.start()].strip().rstrip(":：，,、").strip() or None
        values: dict[str, int] = {}
        rest = item[first.start() :]
        for m in _COUNTS.finditer(rest):
            key = _COUNT[m.group(1)]
            if key in values:
                raise ValueError(f"“{item}”中{m.group(1)}写了两次")
            values[key] = int(m.group(2))
        left = _COUNTS.sub("", rest).strip(" ，,、;；\t")
        if left and re.sub(r"[\s，,、]+", "", left):
            raise ValueError(f"无法识别“{left}”：应如 同意18，反对0，弃权1")
        if "agree" not in values:
            raise ValueError(f"“{item}”缺少同意票数")
        out.append(
            Vote(subject, values["agree"], values.get("against", 0), values.get("abstain", 0))
        )
    return out


def format_vote(v: Vote) -> str:
    counts = f"同意{v.agree}，反对{v.against}，弃权{v.abstain}"
    return f"{v.subject}：{counts}" if v.subject else counts


def format_votes(votes: Iterable[Vote]) -> str:
    """The inverse of :func:`parse_votes`: ``事项：同意18，反对0，弃权1；……``."""
    return "；".join(format_vote(v) for v in votes)


def vote_problems(record: Record, present: int | None) -> list[str]:
    """What is wrong with the record's 表决 (each a sentence naming the vote): more votes
    than members present. ``present``: 实到 (None: attendance not marked, not judged)."""
    out = []
    for v in record.votes:
        what = f"“{v.subject}”的表决" if v.subject else "表决"
        if present is not None and present and v.total > present:
            out.append(f"{what}共 {v.total} 票，多于实到 {present} 人")
    return out


def vote_passed(v: Vote, voters: int) -> bool:
    """同意 more than half of those entitled to vote (应到 正式党员 / 支委)."""
    return v.agree * 2 > voters


def voters(record: Record, expected) -> int:
    """Those entitled to vote at ``record`` among its expected members: the 正式党员 at a
    支部党员大会, the committee at a 支委会 (as the quorum counts them)."""
    if record.kind == "支部党员大会":
        return sum(1 for m in expected if m.is_full_member_on(record.date))
    return len(expected)


def vote_line(v: Vote, entitled: int) -> str:
    """``接收张三为预备党员：同意18，反对0，弃权1（有表决权 20 人，同意过半数）``."""
    if not entitled:
        return format_vote(v)
    verdict = "同意过半数" if vote_passed(v, entitled) else "同意未过半数"
    return f"{format_vote(v)}（有表决权 {entitled} 人，{verdict}）"


# --- minutes too brief --------------------------------------------------------------------

# parts that are fields of the record: the word the clerk writes → the Record attribute
FIELD_PARTS = {
    "议题": "topic",
    "主题": "topic",
    "决议事项": "decisions",
    "决议": "decisions",
    "地点": "place",
    "主持人": "host",
    "记录人": "recorder",
    "授课人": "lecturer",
    "组织人": "organizer",
    "列席人员": "guests",
    "表决": "votes",
    "表决情况": "votes",
}


@dataclass(frozen=True)
class MinutesRule:
    """What a record of one kind must hold beyond the contract's checked fields."""

    kind: str
    min_chars: int = 0  # 主要内容 at least this many characters (blanks not counted)
    parts: tuple[str, ...] = ()  # fields (FIELD_PARTS) or phrases the minutes must contain

    @property
    def active(self) -> bool:
        return self.min_chars > 0 or bool(self.parts)


# a starting point a branch may take over in 设置 (none is applied until it does)
RECOMMENDED = (
    MinutesRule("支部党员大会", 100, ("议题", "决议事项")),
    MinutesRule("支委会", 60, ("议题", "决议事项")),
    MinutesRule("党小组会", 60, ()),
    MinutesRule("党课", 60, ("授课人",)),
    MinutesRule(THEME_DAY, 60, ()),
    MinutesRule("组织生活会", 150, ("查摆问题", "批评与自我批评")),
    MinutesRule("民主评议党员", 100, ("自评", "互评")),
    MinutesRule("集中学习", 60, ()),
    MinutesRule("交流研讨", 60, ("交流发言",)),
)


def content_length(text: str | None) -> int:
    """Characters of the minutes, blanks and line breaks not counted."""
    return sum(1 for c in (text or "") if not c.isspace())


def content_label(kind: str) -> str:
    return "活动内容" if kind == THEME_DAY else "主要内容"


def brief_reasons(
    record: Record, rule: MinutesRule | None, missing: Iterable[str] = ()
) -> list[str]:
    """Why the record is too brief under ``rule`` (empty: it is not). ``missing``: the
    contract's empty checked fields of the record, already listed as incomplete and not
    repeated here."""
    if rule is None or not rule.active:
        return []
    missing = set(missing)
    label = content_label(record.kind)
    text = record.content or ""
    out: list[str] = []
    n = content_length(text)
    if rule.min_chars and n and label not in missing and n < rule.min_chars:
        out.append(f"{label}仅 {n} 字（至少 {rule.min_chars} 字）")
    for part in rule.parts:
        attr = FIELD_PARTS.get(part)
        if attr is not None:
            if part in missing or (part in ("主题", "议题") and {"议题", "主题"} & missing):
                continue
            value = getattr(record, attr, None)
            if not value or (isinstance(value, str) and not value.strip()):
                out.append(f"未填写{part}")
        elif not text.strip():
            continue  # no minutes at all: listed as incomplete already, or by length
        elif _plain(part) not in _plain(text):
            out.append(f"{label}中没有“{part}”")
    return out


def _plain(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


def rules_to_text(rules: Iterable[MinutesRule]) -> str:
    """The setting's stored form (JSON)."""
    data = {r.kind: {"min": r.min_chars, "parts": list(r.parts)} for r in rules if r.active}
    return json.dumps(data, ensure_ascii=False, sort_keys=False)


def rules_from_text(text: str | None) -> dict[str, MinutesRule]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    out = {}
    for kind, v in data.items():
        if isinstance(v, dict):
            out[kind] = MinutesRule(kind, int(v.get("min") or 0), tuple(v.get("parts") or ()))
    return out


def parse_parts(text: str | None) -> tuple[str, ...]:
    """``议题、决议事项、查摆问题`` → the parts (separators as in name lists)."""
    parts = re.split(r"[、，,;；\s]+", (text or "").strip())
    seen: list[str] = []
    for p in parts:
        if p and p not in seen:
            seen.append(p)
    return tuple(seen)


@dataclass
class BriefRecord:
    """A record whose minutes are too brief, with why (an additive key of ``check``)."""

    record_id: int | None
    date: dt.date
    item: str
    reasons: list[str]

    def to_json(self) -> dict:
        return {"date": self.date.isoformat(), "item": self.item, "reasons": list(self.reasons)}

    @property
    def text(self) -> str:
        return "记录过简：" + "；".join(self.reasons)


def brief_records(
    records: Iterable[Record],
    rules: Mapping[str, MinutesRule],
    missing_of,
) -> list[BriefRecord]:
    """The too-brief records among ``records`` (by date); ``missing_of(record)`` gives the
    contract's empty checked fields of a record (compliance.missing_fields)."""
    out = []
    for r in sorted(records, key=lambda r: (r.date, r.id or 0)):
        rule = rules.get(r.kind)
        if rule is None:
            continue
        reasons = brief_reasons(r, rule, missing_of(r))
        if reasons:
            out.append(BriefRecord(r.id, r.date, r.kind, reasons))
    return out


def is_vote_kind(kind: str) -> bool:
    return kind in VOTE_KINDS


__all__ = [
    "FIELD_PARTS",
    "MEETING_KINDS",
    "RECOMMENDED",
    "VOTE_KINDS",
    "BriefRecord",
    "MinutesRule",
    "brief_reasons",
    "brief_records",
    "content_length",
    "format_votes",
    "normalize_guests",
    "parse_parts",
    "parse_votes",
    "rules_from_text",
    "rules_to_text",
    "vote_passed",
    "vote_problems",
]
