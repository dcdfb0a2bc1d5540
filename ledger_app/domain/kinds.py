"""Record kinds and the rules the clerk adds (issue 18: 学习教育 and kinds of the branch's own).

The kinds the program knows (``models.RECORD_KINDS``) include 集中学习 and 交流研讨; a
branch may add a kind of its own (读书班, 专题研讨 …) by adding a frequency rule for it in
设置. A kind of the branch's own is recorded like other organisational life (主题, 主持人,
记录人, 主要内容, attendance of every member) and exported on the 其他组织生活 sheet.

The seven items of the contract always have a rule (their numbers can be changed, the rule
cannot be removed). Any other rule is opt-in: adding it puts a row on the 工作台 and its
gaps in ``check`` under its own item name; removing it takes them away again. Nothing a
branch has not added appears in ``check``, so the contract's output stays as it was.

No Qt, no SQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from .compliance import ITEMS, TALK
from .models import MEETING_KINDS, RECORD_KINDS, STUDY_KINDS, THEME_DAY, FrequencyRule

# rules a branch commonly adds (每月至少1次集中学习，每季度至少1次交流研讨)
SUGGESTED_RULES = (
    FrequencyRule("集中学习", "month", 1),
    FrequencyRule("交流研讨", "quarter", 1),
)
MAX_NAME = 12


def is_contract_item(item: str) -> bool:
    """One of the seven items of the contract (its rule can be changed, not removed)."""
    return item in ITEMS


def custom_kinds(rules: Iterable[FrequencyRule]) -> list[str]:
    """Kinds the branch added (a rule whose item is no kind the program knows)."""
    return [r.item for r in rules if r.item not in RECORD_KINDS and r.item != TALK]


def all_kinds(rules: Iterable[FrequencyRule]) -> tuple[str, ...]:
    """Every kind a record may have in this ledger, in the order lists show them."""
    return RECORD_KINDS + tuple(custom_kinds(rules))


def is_other_kind(kind: str) -> bool:
    """Recorded as other organisational life (the 其他组织生活 sheet, the 组织生活 page):
    neither one of the 三会一课 nor a 主题党日."""
    return kind not in MEETING_KINDS and kind != THEME_DAY


def other_kinds(rules: Iterable[FrequencyRule]) -> tuple[str, ...]:
    return tuple(k for k in all_kinds(rules) if is_other_kind(k))


def added_rules(rules: Iterable[FrequencyRule]) -> list[FrequencyRule]:
    """The rules beyond the contract's seven (学习教育, the branch's own kinds)."""
    return [r for r in rules if not is_contract_item(r.item)]


def new_item_problem(name: str, rules: Iterable[FrequencyRule]) -> str | None:
    """Why ``name`` cannot be added as a rule (None: it can)."""
    name = name.strip()
    if not name:
        return "请填写项目名称"
    if len(name) > MAX_NAME:
        return f"项目名称不超过 {MAX_NAME} 个字"
    if any(c in name for c in "、，,;；:：()（）/\\ \t"):
        return "项目名称不能含标点或空格"
    if name in {r.item for r in rules}:
        return f"已有“{name}”的频次要求"
    if name == TALK:
        return "谈心谈话按全年覆盖检查，不设次数要求"
    if name in RECORD_KINDS and name not in STUDY_KINDS:
        return f"“{name}”是固定的检查项目"
    return None


__all__ = [
    "SUGGESTED_RULES",
    "added_rules",
    "all_kinds",
    "custom_kinds",
    "is_contract_item",
    "is_other_kind",
    "new_item_problem",
    "other_kinds",
]
