"""发展党员 use cases: people, their steps, and the roster entry a 支部党员大会 admission makes.

Every write is one transaction. When the 支部党员大会 admits a person (第15步 同意接收),
their data become a roster member (预备党员, 入党日期 = the meeting's day) without retyping;
when it votes 按期转正 (第23步), the member becomes 正式党员 with 转正日期 = 预备期满之日.
Changing or deleting those steps keeps the roster in step (through the roster service, so
the status history is written as everywhere).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..domain import development as D
from ..domain import idcard
from ..domain.attendance import summarize
from ..domain.dates import format_date
from ..domain.models import ATTEND_PRESENT, CATEGORIES, GENDERS, Member, Record
from ..errors import UserError, ValidationError
from ..storage import registers_repo as R
from .ledger import Changes, Ledger

CHANGED = Changes(registers=True)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


# --- people ----------------------------------------------------------------------------------


def progresses(ledger: Ledger) -> list[D.Progress]:
    """Everyone in the register with their steps (in the order entered)."""
    db = ledger.db
    return D.progresses(R.rows(db, R.APPLICANT), R.rows(db, R.STEP))


def progress(ledger: Ledger, applicant_id: int) -> D.Progress:
    a = R.get(ledger.db, R.APPLICANT, applicant_id)
    if a is None:
        raise UserError("找不到该发展对象（可能已被删除）")
    return D.Progress(a, R.rows(ledger.db, R.STEP, "t.applicant_id = ?", [applicant_id]))


def validate_applicant(ledger: Ledger, a: D.Applicant) -> list[ValidationError]:
    """Every problem with the person's data, each naming its field."""
    errors: list[ValidationError] = []
    if not (a.name or "").strip():
        errors.append(ValidationError("姓名", "不能为空"))
    if a.gender and a.gender not in GENDERS:
        errors.append(ValidationError("性别", "应为 男 或 女"))
    if a.category not in CATEGORIES:
        errors.append(ValidationError("人员类别", "应为 " + " / ".join(CATEGORIES)))
    if a.id_number:
        problem = idcard.validate(a.id_number)
        if problem:
            errors.append(ValidationError("公民身份号码", problem))
        else:
            n = idcard.normalize(a.id_number)
            for other in R.rows(ledger.db, R.APPLICANT):
                if other.id != a.id and other.id_number and idcard.normalize(other.id_number) == n:
                    errors.append(ValidationError("公民身份号码", f"与“{other.name}”重复"))
                    break
            for m in ledger.repo.members():
                if m.id != a.member_id and m.id_number and idcard.normalize(m.id_number) == n:
                    errors.append(ValidationError("公民身份号码", f"已是本支部党员“{m.name}”"))
                    break
    if a.ended_on and a.ended_on > ledger.today():
        errors.append(ValidationError("终止日期", "晚于今天"))
    return errors


def _fill_from_id(a: D.Applicant) -> None:
    if a.id_number and not idcard.validate(a.id_number):
        a.id_number = idcard.normalize(a.id_number)
        a.birth_date = a.birth_date or idcard.birth_date(a.id_number)
        a.gender = a.gender or idcard.gender(a.id_number)


def save_applicant(ledger: Ledger, a: D.Applicant, group_name: str | None = None) -> Changes:
    """Add (``a.id`` None) or change a person; ``group_name`` is the 党小组 they are to join
    (created when new)."""
    _write_applicant(ledger, a, group_name)
    return Changes(registers=True, members=group_name is not None)


def _write_applicant(ledger: Ledger, a: D.Applicant, group_name: str | None) -> int:
    a = replace(a)
    for f in ("name", "ethnicity", "education", "unit", "phone", "note", "end_reason"):
        setattr(a, f, _clean(getattr(a, f)))
    a.name = a.name or ""
    _fill_from_id(a)
    errors = validate_applicant(ledger, a)
    if errors:
        raise UserError("发展对象信息有误：", [str(e) for e in errors])
    repo = ledger.repo
    with repo.atomic():
        if group_name is not None:
            a.group_id = repo.ensure_group(group_name.strip()) if group_name.strip() else None
        R.save(ledger.db, R.APPLICANT, a)
    assert a.id is not None
    return a.id


def add_applicant(
    ledger: Ledger, a: D.Applicant, applied_on: dt.date, group_name: str | None = None
) -> int:
    """A new person with their 入党申请书 (第1步) in one transaction; returns their id."""
    with ledger.repo.atomic():
        new_id = _write_applicant(ledger, a, group_name)
        save_step(ledger, D.Step(None, new_id, D.STEP_APPLY, applied_on, document="入党申请书"))
    return new_id


def end_applicant(ledger: Ledger, applicant_id: int, day: dt.date | None, reason: str | None):
    """终止发展 (停止培养, 本人撤回申请 …) on ``day``; ``day`` None resumes it."""
    p = progress(ledger, applicant_id)
    a = replace(p.applicant, ended_on=day, end_reason=_clean(reason) if day else None)
    if day is not None:
        if not a.end_reason:
            raise ValidationError("终止原因", "请选择或填写终止的原因")
        last = p.steps[-1].date if p.steps else None
        if last is not None and day < last:
            raise ValidationError("终止日期", f"早于最后一个步骤的日期{format_date(last)}")
    return save_applicant(ledger, a)


def delete_applicant(ledger: Ledger, applicant_id: int) -> Changes:
    """Remove a person entered by mistake (with their steps). Someone already admitted into
    the roster stays: their record is history."""
    p = progress(ledger, applicant_id)
    if p.applicant.member_id is not None:
        raise UserError(f"{p.name}已被接收为党员、进入党员名册，发展纪实不能删除。")
    with ledger.repo.atomic():
        R.delete(ledger.db, R.APPLICANT, applicant_id)
    return CHANGED


# --- steps -----------------------------------------------------------------------------------


def meeting_choices(ledger: Ledger, kinds: tuple[str, ...], around: dt.date) -> list[Record]:
    """Records a step may link to: of those kinds, the year before ``around`` to today,
    nearest first."""
    if not kinds:
        return []
    start = dt.date(around.year - 1, 1, 1)
    found = ledger.repo.records(kinds, start, ledger.today(), with_attendance=False)
    return sorted(found, key=lambda r: (abs((r.date - around).days), r.date))


def vote_counts(ledger: Ledger, record_id: int) -> tuple[int, int]:
    """(应到, 实到) of 正式党员 (who have a vote) at a 支部党员大会, from its attendance."""
    rec = ledger.repo.record(record_id)
    if rec is None:
        return 0, 0
    s = summarize(rec, ledger.repo.members())
    voters = [m for m in s.expected if m.is_full_member_on(rec.date)]
    present = sum(1 for m in voters if s.status[m.id].status == ATTEND_PRESENT)  # type: ignore[index]
    return len(voters), present


def _step_problems(ledger: Ledger, p: D.Progress, step: D.Step) -> list[str]:
    repo = ledger.repo
    d = D.STEP.get(step.no)
    found = D.validate_step(p, step, ledger.today(), repo.members(), p.applicant.birth_date)
    out = [str(e) for e in found]
    if d is not None and step.record_id is not None:
        rec = repo.record(step.record_id)
        if rec is None:
            out.append("决定会议：找不到该会议记录")
        elif rec.kind not in d.meeting:
            out.append(f"决定会议：应为{'或'.join(d.meeting) or '（此步骤无需会议）'}的记录")
        elif rec.date != step.date:
            out.append(f"日期：应与决定会议的日期{format_date(rec.date)}相同")
    old = next((s for s in p.steps if s.id == step.id), None) if step.id else None
    if old is not None and old.no == D.STEP_ADMIT and p.applicant.member_id is not None:
        if not step.positive:
            out.append("结果：已据此接收为预备党员、进入党员名册，不能改为不同意接收")
    return out


def save_step(ledger: Ledger, step: D.Step) -> Changes:
    """Add (``step.id`` None) or change one step, with what it does to the roster."""
    step = replace(step)
    for f in ("people", "document", "meeting", "result", "note"):
        setattr(step, f, _clean(getattr(step, f)))
    if step.record_id is not None:
        step.meeting = None
    d = D.STEP.get(step.no)
    if d is not None and not d.vote:
        step.expected = step.present = step.yes = step.no_votes = step.abstain = None
    p = progress(ledger, step.applicant_id)
    problems = _step_problems(ledger, p, step)
    if problems:
        name = d.label if d else "步骤"
        raise UserError(f"“{name}”登记有误：", problems)
    changes = Changes(registers=True)
    with ledger.repo.atomic():
        R.save(ledger.db, R.STEP, step)
        after = progress(ledger, step.applicant_id)
        if step.no == D.STEP_CONVERT and step.result == "取消预备党员资格":
            a = replace(after.applicant, ended_on=step.date, end_reason="取消预备党员资格")
            R.update(ledger.db, R.APPLICANT, a)
        changes |= _follow_roster(ledger, after)
    return changes


def delete_step(ledger: Ledger, step_id: int) -> Changes:
    """Delete one step; refused while a later step needs it, or when it admitted the person
    into the roster."""
    step = R.get(ledger.db, R.STEP, step_id)
    if step is None:
        return Changes()
    p = progress(ledger, step.applicant_id)
    rest = [s for s in p.steps if s.id != step_id]
    if step.no == D.STEP_ADMIT and step.positive and p.applicant.member_id is not None:
        raise UserError(
            f"{p.name}已据此接收为预备党员、进入党员名册，这一步不能删除（日期有误可以修改）。"
        )
    if step.positive and not any(s.no == step.no and s.positive for s in rest):
        later = [s for s in rest if step.no in D.STEP[s.no].requires]
        if later:
            names = "、".join(dict.fromkeys(D.STEP[s.no].name for s in later))
            raise UserError(f"请先删除后面依赖这一步的步骤：{names}")
    changes = Changes(registers=True)
    with ledger.repo.atomic():
        R.delete(ledger.db, R.STEP, step_id)
        a = p.applicant
        if step.no == D.STEP_CONVERT and a.end_reason == "取消预备党员资格":
            R.update(ledger.db, R.APPLICANT, replace(a, ended_on=None, end_reason=None))
        changes |= _follow_roster(ledger, progress(ledger, step.applicant_id))
    return changes


def _follow_roster(ledger: Ledger, p: D.Progress) -> Changes:
    """Make the roster agree with the person's admission and 转正 (inside a transaction)."""
    from . import roster

    admitted = p.admitted_on
    a = p.applicant
    if admitted is None:
        return Changes()
    repo = ledger.repo
    member = repo.member(a.member_id) if a.member_id is not None else None
    if member is None:
        member = _same_person(ledger, a)
        if member is None:
            member = D.admitted_member(a, admitted)
            roster.save_member(ledger, member, group_name=a.group_name or "")
        R.update(ledger.db, R.APPLICANT, replace(a, member_id=member.id))
    want = replace(member, join_date=admitted)
    full = p.full_on
    if full is not None:
        want.member_type, want.full_date = "正式党员", full
    else:
        want.member_type, want.full_date = "预备党员", None
    if (want.join_date, want.member_type, want.full_date) == (
        member.join_date,
        member.member_type,
        member.full_date,
    ):
        return Changes(members=True) if a.member_id is None else Changes()
    roster.save_member(ledger, want)
    return Changes(members=True)


def _same_person(ledger: Ledger, a: D.Applicant) -> Member | None:
    """A roster member who is this person already (typed in by hand): same 公民身份号码."""
    if not a.id_number:
        return None
    n = idcard.normalize(a.id_number)
    for m in ledger.repo.members():
        if m.id_number and idcard.normalize(m.id_number) == n:
            return m
    return None
