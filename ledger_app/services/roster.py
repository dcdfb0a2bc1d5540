"""党员名册 use cases: validate and save members, status changes, 党小组, branch info."""

from __future__ import annotations

import datetime as dt

from ..domain import idcard
from ..domain.models import (
    ACTIVE,
    CATEGORIES,
    GENDERS,
    MEMBER_TYPES,
    STATUSES,
    Branch,
    Group,
    Member,
    StatusChange,
)
from ..errors import UserError, ValidationError
from .ledger import Changes, Ledger


def validate_member(m: Member, others: list[Member] | None = None) -> list[ValidationError]:
    """Every problem with ``m``, each naming its field. ``others``: the rest of the roster
    (for the 公民身份号码 uniqueness check)."""
    errors: list[ValidationError] = []
    if not (m.name or "").strip():
        errors.append(ValidationError("姓名", "不能为空"))
    if m.member_type not in MEMBER_TYPES:
        errors.append(ValidationError("党员类别", "应为 正式党员 或 预备党员"))
    if m.join_date is None:
        errors.append(ValidationError("入党日期", "不能为空"))
    if m.category not in CATEGORIES:
        errors.append(ValidationError("人员类别", "应为 " + " / ".join(CATEGORIES)))
    if m.gender and m.gender not in GENDERS:
        errors.append(ValidationError("性别", "应为 男 或 女"))
    if m.status not in STATUSES:
        errors.append(ValidationError("状态", "应为 " + " / ".join(STATUSES)))
    if m.status != ACTIVE and m.status_date is None:
        errors.append(ValidationError("状态变更日期", f"状态为“{m.status}”时必须填写"))
    if m.id_number:
        problem = idcard.validate(m.id_number)
        if problem:
            errors.append(ValidationError("公民身份号码", problem))
        elif others:
            n = idcard.normalize(m.id_number)
            for o in others:
                if o.id != m.id and o.id_number and idcard.normalize(o.id_number) == n:
                    errors.append(ValidationError("公民身份号码", f"与党员“{o.name}”重复"))
                    break
    if m.birth_date and m.join_date and m.join_date <= m.birth_date:
        errors.append(ValidationError("入党日期", "早于出生日期"))
    if m.full_date and m.join_date and m.full_date < m.join_date:
        errors.append(ValidationError("转正日期", "早于入党日期"))
    if m.status_date and m.start_date and m.status != ACTIVE and m.status_date < m.start_date:
        errors.append(ValidationError("状态变更日期", "早于入党（转入）日期"))
    return errors


def fill_from_id_number(m: Member) -> Member:
    """Birth date and sex read from a valid 公民身份号码 where they are blank (in place)."""
    if not m.id_number or idcard.validate(m.id_number):
        return m
    n = idcard.normalize(m.id_number)
    m.id_number = n
    m.birth_date = m.birth_date or idcard.birth_date(n)
    m.gender = m.gender or idcard.gender(n)
    return m


def _raise_if_invalid(ledger: Ledger, m: Member) -> None:
    errors = validate_member(m, ledger.repo.members())
    if errors:
        raise UserError("党员信息有误：", [str(e) for e in errors])


def save_member(ledger: Ledger, m: Member, group_name: str | None = None) -> Changes:
    """Add (``m.id is None``) or update a member in one transaction. ``group_name``, if
    given, creates the 党小组 when it does not exist yet."""
    m = fill_from_id_number(m)
    _raise_if_invalid(ledger, m)
    repo = ledger.repo
    with repo.atomic():
        if group_name is not None:
            m.group_id = repo.ensure_group(group_name) if group_name.strip() else None
        if m.id is None:
            repo.add_member(m)
        else:
            repo.update_member(m)
            _follow_transfers(ledger, m)
    return Changes(members=True)


def change_status(
    ledger: Ledger, member_id: int, status: str, date: dt.date | None, note: str | None = None
) -> Changes:
    """转出 / 停止党籍 / 去世 / 出党 (or back to 在册) with the date; history is appended."""
    m = ledger.repo.member(member_id)
    if m is None:
        raise UserError("找不到该党员")
    m.status = status
    m.status_date = date
    _raise_if_invalid(ledger, m)
    with ledger.repo.atomic():
        ledger.repo.update_member(m)
        if note:
            ledger.db.execute(
                "UPDATE member_status_history SET note = ? WHERE id = "
                "(SELECT MAX(id) FROM member_status_history WHERE member_id = ?)",
                [note, member_id],
            )
        _follow_transfers(ledger, m)
    return Changes(members=True)


def _follow_transfers(ledger: Ledger, m: Member) -> None:
    """A 组织关系转接 recorded for a date changed here takes the new date (issue 19)."""
    from .transfers import follow_member

    follow_member(ledger, m)


def save_branch_info(ledger: Ledger, info: dict[str, str | None]) -> Changes:
    with ledger.repo.atomic():
        ledger.repo.set_branch_info(info)
    return Changes(branch=True)


def add_group(ledger: Ledger, name: str) -> Changes:
    name = name.strip()
    if not name:
        raise ValidationError("党小组名称", "不能为空")
    if ledger.repo.group_id(name) is not None:
        raise ValidationError("党小组名称", f"“{name}”已存在")
    with ledger.repo.atomic():
        ledger.repo.ensure_group(name)
    return Changes(members=True)


def rename_group(ledger: Ledger, group_id: int, name: str) -> Changes:
    name = name.strip()
    if not name:
        raise ValidationError("党小组名称", "不能为空")
    existing = ledger.repo.group_id(name)
    if existing is not None and existing != group_id:
        raise ValidationError("党小组名称", f"“{name}”已存在")
    with ledger.repo.atomic():
        ledger.repo.rename_group(group_id, name)
    return Changes(members=True, records=True)


def delete_group(ledger: Ledger, group_id: int) -> Changes:
    """Only a group no 党小组会 refers to may go; its members become ungrouped."""
    used = ledger.db.execute(
        "SELECT COUNT(*) FROM record WHERE group_id = ?", [group_id]
    ).fetchone()[0]
    if used:
        raise UserError(f"该党小组已有 {used} 条党小组会记录，不能删除（可改名）。")
    with ledger.repo.atomic():
        ledger.repo.delete_group(group_id)
    return Changes(members=True)


def members_on(ledger: Ledger, day: dt.date) -> list[Member]:
    """Members belonging to the branch on ``day``."""
    return [m for m in ledger.repo.members() if m.belongs_on(day)]


# --- reading (the pages ask here, never the repository) ------------------------------------


def branch(ledger: Ledger) -> Branch:
    """支部信息."""
    return ledger.repo.branch()


def groups(ledger: Ledger) -> list[Group]:
    """The 党小组, in their order."""
    return ledger.repo.groups()


def members(ledger: Ledger) -> list[Member]:
    """Every member ever recorded (left members included), in roster order."""
    return ledger.repo.members()


def member(ledger: Ledger, member_id: int) -> Member | None:
    return ledger.repo.member(member_id)


def member_count(ledger: Ledger) -> int:
    """How many members the roster holds (left ones included)."""
    return ledger.repo.member_count()


def status_history(ledger: Ledger, member_id: int) -> list[StatusChange]:
    """A member's status changes, oldest first (never rewritten)."""
    return ledger.repo.status_history(member_id)
