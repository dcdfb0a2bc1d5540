"""设置 use cases not owned by another service: the ledger keeper's name, frequency rules."""

from __future__ import annotations

from collections.abc import Iterable

from ..domain.models import FrequencyRule
from ..errors import UserError, ValidationError
from .ledger import Changes, Ledger

USER_NAME_KEY = "user_name"
PERIODS = {"month": "每月", "quarter": "每季度", "year": "每年"}


def user_name(ledger: Ledger) -> str:
    return ledger.repo.setting(USER_NAME_KEY) or ""


def rules(ledger: Ledger) -> list[FrequencyRule]:
    """The frequency rules (设置 › 频次要求)."""
    return ledger.repo.rules()


def set_user_name(ledger: Ledger, name: str) -> Changes:
    """The person keeping the ledger (written as 录入人 and in the audit trail)."""
    with ledger.repo.atomic():
        ledger.repo.set_setting(USER_NAME_KEY, name.strip() or None)
    return Changes(settings=True)


def save_rules(ledger: Ledger, rules: Iterable[FrequencyRule]) -> Changes:
    """How often each required item must be held (all rules in one transaction)."""
    rules = list(rules)
    problems = []
    for r in rules:
        if r.period not in PERIODS:
            problems.append(str(ValidationError(r.item, "周期应为 每月 / 每季度 / 每年")))
        if not 0 <= r.required <= 31:
            problems.append(str(ValidationError(r.item, "次数应为 0–31")))
    if problems:
        raise UserError("频次要求有误：", problems)
    with ledger.repo.atomic():
        for r in rules:
            ledger.repo.set_rule(r)
    return Changes(settings=True, records=True)
