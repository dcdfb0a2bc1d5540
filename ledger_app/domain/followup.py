"""What issue 18's registers add to the period model's 问题清单 and 待办与提醒: too-brief
minutes, leading cadres without a 党课, the 民主评议's grades and follow-ups, and the
整改清单's open and overdue items.

Called by ``PeriodModel.followup_problems`` / ``followup_reminders`` (one line each there);
no Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .appraisal import CORRECT
from .period import PROBLEM_GAP, PROBLEM_INCOMPLETE, Problem, Reminder

if TYPE_CHECKING:
    from .period import PeriodModel

PROBLEM_APPRAISAL = "民主评议"  # category of the 评议's problems in the 问题清单
FOLLOWUP_PAGE = "followup"  # the GUI page of 民主评议 and 整改 (Reminder.target)
TAB_APPRAISAL = "appraisal"
TAB_RECTIFICATION = "rectification"


def brief_key(record_id: int | None) -> str:
    return f"brief:{record_id}"


def lecture_key(member_id: int | None, year: int) -> str:
    return f"lecture:{member_id}:{year}"


def followup_problems(model: PeriodModel) -> list[Problem]:
    """The 问题清单's lines of issue 18, after the contract's: too-brief records, cadres
    judged without a 党课, and (for a whole year) the 民主评议's open points."""
    out: list[Problem] = []
    for b in model.brief_records:
        out.append(
            Problem(brief_key(b.record_id), PROBLEM_INCOMPLETE, b.date.isoformat(), b.item, b.text)
        )
    lectures = model.cadre_lectures
    if lectures.judged:
        for c in lectures.missing:
            out.append(
                Problem(
                    lecture_key(c.member.id, lectures.year),
                    PROBLEM_GAP,
                    f"{lectures.year}年",
                    f"党课（{c.member.name}）",
                    "党员领导干部全年未讲党课（每年不少于 1 次）",
                )
            )
    if model.period.kind == "year":
        out += _appraisal_problems(model)
    return out


def _appraisal_problems(model: PeriodModel) -> list[Problem]:
    a = model.appraisal
    year = a.year
    when = f"{year}年"
    out = []
    if a.over_cap:
        out.append(
            Problem(
                f"appraisal:cap:{year}",
                PROBLEM_APPRAISAL,
                when,
                "优秀比例",
                a.share_text + "，超过上限",
            )
        )
    if a.started and a.ungraded and _year_ended(model, year):
        names = "、".join(m.name for m in a.ungraded[:10])
        more = f"等 {len(a.ungraded)} 人" if len(a.ungraded) > 10 else ""
        out.append(
            Problem(
                f"appraisal:ungraded:{year}",
                PROBLEM_APPRAISAL,
                when,
                "评定等次",
                f"{names}{more}未评定等次",
            )
        )
    for e in a.talk_due():
        out.append(
            Problem(
                f"appraisal:talk:{e.member_id}:{year}",
                PROBLEM_APPRAISAL,
                when,
                a.name(e),
                f"评为{e.grade}，尚未谈话",
            )
        )
    for e in a.correction_overdue():
        out.append(
            Problem(
                f"appraisal:correct:{e.member_id}:{year}",
                PROBLEM_APPRAISAL,
                when,
                a.name(e),
                f"限期改正已于 {e.deadline.isoformat()} 到期，未登记改正情况",  # type: ignore[union-attr]
            )
        )
    return out


def _year_ended(model: PeriodModel, year: int) -> bool:
    return dt.date(year, 12, 31) < model.today


def followup_reminders(model: PeriodModel) -> list[Reminder]:
    """待办与提醒 of issue 18: open and overdue 整改 items, the 民主评议 of the period's
    year, and leading cadres who have not given this year's 党课."""
    today = model.today
    out: list[Reminder] = []
    for item in model.inputs.rectifications:
        if item.done:
            continue
        owner = f"，责任人{item.owner}" if item.owner else ""
        when = f"时限{item.deadline.isoformat()}" if item.deadline else "未定时限"
        target = (FOLLOWUP_PAGE, {"tab": TAB_RECTIFICATION, "item_id": item.id})
        if item.overdue(today):
            level, word = "missing", "整改逾期"
        elif item.due_soon(today):
            level, word = "warn", "整改将到期"
        else:
            level, word = "info", f"整改{item.status}"
        out.append(
            Reminder(
                f"整改:{item.id}",
                "整改",
                f"{word}：{_short(item.problem)}（{when}{owner}）",
                level,
                item.deadline,
                target,
            )
        )
    out += _appraisal_reminders(model)
    out += _lecture_reminders(model)
    return out


def _appraisal_reminders(model: PeriodModel) -> list[Reminder]:
    a = model.appraisal
    year = a.year
    target = (FOLLOWUP_PAGE, {"tab": TAB_APPRAISAL, "year": year})
    out = []
    if a.over_cap:
        out.append(
            Reminder(
                f"评议:优秀比例:{year}",
                "民主评议",
                f"{year}年民主评议：{a.share_text}，超过上限",
                "missing",
                None,
                target,
            )
        )
    if a.started and a.ungraded:
        out.append(
            Reminder(
                f"评议:等次:{year}",
                "民主评议",
                f"{year}年民主评议：{len(a.ungraded)} 名党员尚未评定等次",
                "warn",
                None,
                target,
            )
        )
    for e in a.talk_due():
        out.append(
            Reminder(
                f"评议:谈话:{e.member_id}:{year}",
                "民主评议",
                f"{a.name(e)}评为{e.grade}，须谈话提醒（{year}年民主评议）",
                "warn",
                None,
                target,
            )
        )
    overdue = {e.member_id for e in a.correction_overdue()}
    for e in a.entries:
        if e.measure != CORRECT or e.deadline is None or (e.result or "").strip():
            continue
        late = e.member_id in overdue
        out.append(
            Reminder(
                f"评议:改正:{e.member_id}:{year}",
                "民主评议",
                f"{a.name(e)}限期改正"
                + ("已到期，请登记改正情况" if late else f"，期限{e.deadline.isoformat()}"),
                "missing" if late else "info",
                e.deadline,
                target,
            )
        )
    return out


def _lecture_reminders(model: PeriodModel) -> list[Reminder]:
    lectures = model.cadre_lectures
    year = lectures.year
    end = dt.date(year, 12, 31)
    if model.today.year < year:
        return []
    ended = end < model.today
    if ended and model.today.year > year + 1:
        return []  # long past: the 问题清单 of that year says it
    level = "missing" if ended else ("warn" if model.today.month >= 10 else "info")
    out = []
    for c in lectures.missing:
        text = (
            f"党员领导干部{c.member.name}{year}年未讲党课"
            if ended
            else f"党员领导干部{c.member.name}今年尚未讲党课（年底前至少 1 次）"
        )
        out.append(
            Reminder(
                f"党课:{c.member.id}:{year}",
                "党课",
                text,
                level,
                end,
                ("meetings", {"kind": "党课", "lecturer": c.member.name}),
            )
        )
    return out


def format_followup_text(model: PeriodModel) -> str:
    """The lines ``check`` prints (without ``--json``) after the contract's report: leading
    cadres without a 党课 and too-brief records; '' when there is nothing to say."""
    sections: list[tuple[str, list[str]]] = []
    note = ""
    lectures = model.cadre_lectures
    if lectures.missing:
        names = "、".join(c.member.name for c in lectures.missing)
        if lectures.judged:
            sections.append(
                (
                    f"党员领导干部未讲党课（{len(lectures.missing)} 人）",
                    [f"  {lectures.year}年全年未讲党课：{names}"],
                )
            )
        elif lectures.year >= model.today.year:
            note = "注：本年度尚未讲党课的党员领导干部（年底前每人至少 1 次）：" + names
    if model.brief_records:
        sections.append(
            (
                f"记录过简（{len(model.brief_records)} 条）",
                [
                    f"  {b.date.isoformat()}  {b.item}：{'；'.join(b.reasons)}"
                    for b in model.brief_records
                ],
            )
        )
    lines: list[str] = []
    for numeral, (title, body) in zip("四五", sections):
        lines += ["", f"{numeral}、{title}", *body]
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n" if lines else ""


def _short(text: str, limit: int = 30) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "FOLLOWUP_PAGE",
    "PROBLEM_APPRAISAL",
    "TAB_APPRAISAL",
    "TAB_RECTIFICATION",
    "brief_key",
    "format_followup_text",
    "followup_problems",
    "followup_reminders",
    "lecture_key",
]
