"""设置 of issue 18: what a record must hold (记录过简 rules per kind), who counts as a
leading cadre for the yearly 党课, and the cap on the share of 优秀 in 民主评议 — plus the
frequency rules the branch adds (学习教育, kinds of its own) and removes again.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..domain import kinds as K
from ..domain.appraisal import DEFAULT_CAP_PERMILLE
from ..domain.cadres import CADRE_FLAGGED, CADRE_SOURCES
from ..domain.minutes import FIELD_PARTS, MinutesRule, rules_from_text, rules_to_text
from ..domain.models import FrequencyRule
from ..errors import UserError, ValidationError
from ..storage import followup_repo
from .ledger import Changes, Ledger
from .settings import PERIODS

MINUTES_KEY = "minutes_rules"
CADRE_KEY = "cadre_source"
CAP_KEY = "excellent_cap_permille"
MAX_MIN_CHARS = 2000


# --- 记录过简 rules -----------------------------------------------------------------------------


def minutes_rules(ledger: Ledger) -> dict[str, MinutesRule]:
    """kind → its rule (only the kinds the branch set a rule for)."""
    return rules_from_text(ledger.repo.setting(MINUTES_KEY))


def set_minutes_rules(ledger: Ledger, rules: Iterable[MinutesRule]) -> Changes:
    """Replace the 记录过简 rules (a kind with no minimum and no parts has no rule)."""
    rules = list(rules)
    known = set(record_kinds(ledger))
    problems = []
    for r in rules:
        if r.kind not in known:
            problems.append(str(ValidationError(r.kind, "不是可登记的类型")))
        if not 0 <= r.min_chars <= MAX_MIN_CHARS:
            problems.append(str(ValidationError(r.kind, f"字数应为 0–{MAX_MIN_CHARS}")))
        for part in r.parts:
            if len(part) > 20:
                problems.append(str(ValidationError(r.kind, f"“{part[:20]}…”太长（不超过20字）")))
    if problems:
        raise UserError("记录要求有误：", problems)
    with ledger.repo.atomic():
        ledger.repo.set_setting(MINUTES_KEY, rules_to_text(rules))
    return Changes(settings=True, records=True)


def field_parts() -> list[str]:
    """The parts that name a field of the record (the rest are phrases of the minutes)."""
    return list(FIELD_PARTS)


# --- leading cadres and 民主评议 ------------------------------------------------------------------


def cadre_source(ledger: Ledger) -> str:
    value = ledger.repo.setting(CADRE_KEY)
    return value if value in CADRE_SOURCES else CADRE_FLAGGED


def set_cadre_source(ledger: Ledger, source: str) -> Changes:
    if source not in CADRE_SOURCES:
        raise ValidationError("讲党课的领导干部", "应为 " + " / ".join(CADRE_SOURCES.values()))
    with ledger.repo.atomic():
        ledger.repo.set_setting(CADRE_KEY, source)
    return Changes(settings=True)


def excellent_cap(ledger: Ledger) -> int:
    """The cap on 优秀 among 参评党员, ‰ (default 300 = 30 %)."""
    try:
        value = int(ledger.repo.setting(CAP_KEY) or DEFAULT_CAP_PERMILLE)
    except ValueError:
        return DEFAULT_CAP_PERMILLE
    return value if 0 < value <= 1000 else DEFAULT_CAP_PERMILLE


def set_excellent_cap(ledger: Ledger, permille: int) -> Changes:
    if not 10 <= permille <= 1000:
        raise ValidationError("优秀比例上限", "应为 1%–100%")
    with ledger.repo.atomic():
        ledger.repo.set_setting(CAP_KEY, str(permille))
    return Changes(settings=True)


# --- kinds and the rules the branch adds -----------------------------------------------------------


def record_kinds(ledger: Ledger) -> tuple[str, ...]:
    """Every kind a record may have in this ledger (the program's and the branch's own)."""
    return K.all_kinds(ledger.repo.rules())


def other_kinds(ledger: Ledger) -> tuple[str, ...]:
    """The kinds of the 组织生活 page and the 其他组织生活 sheet."""
    return K.other_kinds(ledger.repo.rules())


def add_rule(ledger: Ledger, item: str, period: str, required: int) -> Changes:
    """Add a frequency rule for 集中学习, 交流研讨 or a kind of the branch's own."""
    item = (item or "").strip()
    rules = ledger.repo.rules()
    problem = K.new_item_problem(item, rules)
    if problem:
        raise ValidationError("项目", problem)
    if period not in PERIODS:
        raise ValidationError("周期", "应为 每月 / 每季度 / 每年")
    if not 0 <= required <= 31:
        raise ValidationError("次数", "应为 0–31")
    with ledger.repo.atomic():
        ledger.repo.set_rule(FrequencyRule(item, period, required))
    return Changes(settings=True, records=True)


def remove_rule(ledger: Ledger, item: str) -> Changes:
    """Remove a rule the branch added. A kind of the branch's own that has records cannot
    be removed (its records would lose their kind): set its number to 0 instead."""
    if K.is_contract_item(item):
        raise UserError(f"“{item}”是固定的检查项目，不能删除；不要求时可把次数改为 0。")
    rules = ledger.repo.rules()
    if item not in {r.item for r in rules}:
        raise UserError(f"没有“{item}”的频次要求。")
    if item in K.custom_kinds(rules):
        n = followup_repo.record_count(ledger.db, item)
        if n:
            raise UserError(
                f"已登记了 {n} 条“{item}”记录，不能删除这一项目；不要求时可把次数改为 0。"
            )
    with ledger.repo.atomic():
        followup_repo.delete_rule(ledger.db, item)
    return Changes(settings=True, records=True)
