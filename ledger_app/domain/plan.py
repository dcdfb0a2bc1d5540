"""年度工作计划: what the branch plans for each month, matched against what the ledger holds,
and the year-end 书记述职 / 年度工作总结 draft written from the period model's figures.

A plan item is one planned activity: a month, a kind (a record kind or 志愿服务), a 主题 and
for a 党课 the lecturer (主讲人; for anything else the person responsible). An item is
held when the ledger has an activity of that kind in that month — one activity answers
one item; an item's own lecturer or topic is preferred when several could. An item not
held in its month counts as held late when a later activity of the year names the same
topic (or, naming no topic, the same lecturer). No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .dates import Period, format_date
from .models import MEETING_KINDS, OTHER_KINDS, RECORD_KINDS, THEME_DAY, Record, VolunteerEntry

if TYPE_CHECKING:
    from .period import PeriodModel, Reminder

VOLUNTEER = "志愿服务"
PLAN_KINDS = RECORD_KINDS + (VOLUNTEER,)

HELD = "held"  # 已开展 (in its month)
LATE = "late"  # 推迟开展 (a later month of the year)
MISSING = "missing"  # its month has ended, not held
DUE = "due"  # its month is under way, not held yet
LATER = "later"  # a month still to come
STATUS_LABELS = {
    HELD: "已开展",
    LATE: "推迟开展",
    MISSING: "未开展",
    DUE: "本月待开展",
    LATER: "未到期",
}


@dataclass
class PlanItem:
    """One planned activity of the 年度工作计划."""

    id: int | None
    year: int
    month: int
    kind: str
    topic: str = ""  # 主题
    lecturer: str = ""  # 主讲人 (党课) / 负责人
    note: str = ""

    @property
    def what(self) -> str:
        """``党课（主讲 张三）`` / ``主题党日“学习新党章”``."""
        text = self.kind
        if self.lecturer:
            word = "主讲" if self.kind == "党课" else "负责"
            text += f"（{word} {self.lecturer}）"
        if self.topic:
            text += f"“{self.topic}”"
        return text


def validate_item(item: PlanItem) -> list[str]:
    problems = []
    if not 1 <= item.month <= 12:
        problems.append("月份应为 1–12")
    if item.kind not in PLAN_KINDS:
        problems.append(f"类型应为 {'、'.join(PLAN_KINDS)} 之一")
    if len(item.topic) > 200:
        problems.append("主题过长（最多 200 字）")
    return problems


@dataclass
class Done:
    """What answered a plan item: a record, or a day's volunteer service."""

    date: dt.date
    text: str
    record_id: int | None = None


@dataclass
class PlanStatus:
    item: PlanItem
    status: str
    done: Done | None = None

    @property
    def detail(self) -> str:
        """``已开展：2025-05-12 党课`` / ``未开展``: the status and what answered it."""
        word = STATUS_LABELS[self.status]
        return f"{word}：{self.done.text}" if self.done else word

    @property
    def label(self) -> str:
        """``已开展（2025-05-12）`` / ``推迟开展（6月）`` / ``未开展``."""
        word = STATUS_LABELS[self.status]
        if self.done is None:
            return word
        if self.status == LATE:
            return f"{word}（{self.done.date.month}月）"
        return f"{word}（{format_date(self.done.date)}）"


@dataclass
class PlanFigures:
    """The plan items of a period, each with what became of it."""

    statuses: list[PlanStatus] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return len(self.statuses)

    def count(self, *statuses: str) -> int:
        return sum(1 for s in self.statuses if s.status in statuses)

    @property
    def held(self) -> int:
        """已开展, in the month or later."""
        return self.count(HELD, LATE)

    @property
    def missing(self) -> list[PlanStatus]:
        return [s for s in self.statuses if s.status == MISSING]


def _kind_of(record: Record) -> tuple[str, ...]:
    """The plan kinds a record answers: its own, and 主题党日 when held together with one."""
    if record.also_theme_day and record.kind != THEME_DAY:
        return (record.kind, THEME_DAY)
    return (record.kind,)


def _same_text(a: str | None, b: str | None) -> bool:
    a, b = (a or "").strip(), (b or "").strip()
    return bool(a and b) and (a in b or b in a)


def _fits(item: PlanItem, who: str | None, topic: str | None, strict: bool) -> bool:
    """Does an activity answer ``item`` by name: its lecturer or topic; ``strict`` (an
    activity of another month): its topic, or its lecturer when the item names no topic."""
    if strict and item.topic:
        return _same_text(item.topic, topic)
    return _same_text(item.lecturer, who) or _same_text(item.topic, topic)


def match_plan(
    items: Sequence[PlanItem],
    records: Sequence[Record],
    volunteer: Sequence[VolunteerEntry],
    today: dt.date,
) -> list[PlanStatus]:
    """Each plan item with what answered it (see the module docstring). ``records`` and
    ``volunteer`` cover the items' year."""
    # (kind, month) → candidate activities: (Done, who, topic)
    pool: dict[tuple[str, int], list[tuple[Done, str | None, str | None]]] = {}
    for r in sorted(records, key=lambda r: (r.date, r.id or 0)):
        who = r.lecturer if r.kind == "党课" else (r.host or r.organizer)
        label = r.kind + (f"（{r.group_name}）" if r.group_name else "")
        for kind in _kind_of(r):
            pool.setdefault((kind, r.date.month), []).append(
                (Done(r.date, f"{format_date(r.date)} {label}", r.id), who, r.topic)
            )
    days: dict[tuple[dt.date, str], int] = {}
    for e in sorted(volunteer, key=lambda e: (e.date, e.id or 0)):
        key = (e.date, e.project or "")
        days[key] = days.get(key, 0) + 1
    for (day, project), n in days.items():
        text = f"{format_date(day)} {VOLUNTEER}{'“' + project + '”' if project else ''} {n} 人次"
        pool.setdefault((VOLUNTEER, day.month), []).append((Done(day, text), None, project))

    used: set[int] = set()  # id() of the Done taken
    out: dict[int, PlanStatus] = {}
    ordered = sorted(
        enumerate(items),
        # items naming a lecturer or topic choose first, so a plain item cannot take theirs
        key=lambda p: (p[1].month, not (p[1].lecturer or p[1].topic), p[0]),
    )

    def take(item: PlanItem, month: int, strict: bool) -> Done | None:
        free = [c for c in pool.get((item.kind, month), []) if id(c[0]) not in used]
        best = [c for c in free if _fits(item, c[1], c[2], strict)]
        chosen = best[0] if best else (None if strict or not free else free[0])
        if chosen is None:
            return None
        used.add(id(chosen[0]))
        return chosen[0]

    late: list[tuple[int, PlanItem]] = []
    for i, item in ordered:
        done = take(item, item.month, strict=False)
        if done is not None:
            out[i] = PlanStatus(item, HELD, done)
        else:
            late.append((i, item))
    for i, item in late:
        month = Period.month(item.year, item.month)
        done = None
        if item.lecturer or item.topic:
            for later in range(item.month + 1, 13):
                done = take(item, later, strict=True)
                if done is not None:
                    break
        if done is not None:
            out[i] = PlanStatus(item, LATE, done)
        elif month.has_ended(today):
            out[i] = PlanStatus(item, MISSING)
        elif month.contains(today):
            out[i] = PlanStatus(item, DUE)
        else:
            out[i] = PlanStatus(item, LATER)
    return [out[i] for i in range(len(items))]


def plan_figures(model: PeriodModel) -> PlanFigures:
    """The plan items of ``model``'s period, matched against the year's records."""
    i = model.inputs
    statuses = match_plan(i.plan, i.records, i.volunteer, model.today)
    months = set(model.months)
    inside = [s for s in statuses if s.item.month in months]
    inside.sort(key=lambda s: (s.item.month, _kind_rank(s.item.kind), s.item.id or 0))
    return PlanFigures(inside)


def _kind_rank(kind: str) -> int:
    return PLAN_KINDS.index(kind) if kind in PLAN_KINDS else len(PLAN_KINDS)


def _page_of(kind: str) -> str:
    if kind in MEETING_KINDS:
        return "meetings"
    if kind == THEME_DAY:
        return "theme"
    if kind in OTHER_KINDS:
        return "other"
    return "volunteer"


def plan_reminders(model: PeriodModel) -> list[Reminder]:
    """待办与提醒 of the plan: items whose month has ended unheld (red) and this month's
    items not held yet (amber)."""
    from .period import Reminder

    out = []
    for s in model.plan.statuses:
        item = s.item
        if s.status not in (MISSING, DUE):
            continue
        page = _page_of(item.kind)
        args: dict = (
            {"year": item.year, "month": item.month}
            if page == "volunteer"
            else {"kind": item.kind, "topic": item.topic or None}
        )
        if page != "volunteer" and item.kind == "党课" and item.lecturer:
            args["lecturer"] = item.lecturer
        end = Period.month(item.year, item.month).end
        if s.status == MISSING:
            text, level = f"{item.month}月计划{item.what}尚未开展", "missing"
        else:
            text, level = f"本月计划{item.what}尚未开展", "warn"
        out.append(Reminder(f"计划:{item.id}", "年度计划", text, level, end, (page, args)))
    return out


# --- 书记述职 / 年度工作总结 ---------------------------------------------------------------


def _yuan(fen: int) -> str:
    from .money import format_yuan

    return format_yuan(fen)


def _rate(permille: int | None) -> str:
    return "—" if permille is None else f"{permille / 10:.1f}%"


def summary_title(model: PeriodModel) -> str:
    return f"{model.branch_name}{model.year}年度党建工作总结"


def summary_draft(model: PeriodModel) -> str:
    """A draft of the year-end 书记抓党建述职 / 年度工作总结 from ``model`` (a whole year):
    every figure is the model's; the clerk edits the words and fills what the ledger
    cannot know (marked ……)."""
    from .models import RECORD_KINDS as KINDS

    r = model.roster
    lines = [summary_title(model), ""]
    lines.append(f"（{r.secretary or '支部书记'}　{model.today.year}年{model.today.month}月）")
    lines.append("")
    lines.append("一、基本情况")
    groups = len([g for g, n in r.by_group if n])
    text = (
        f"截至{r.as_of.year}年{r.as_of.month}月{r.as_of.day}日，支部有党员 {len(r.on_roll)} 名"
        f"（正式党员 {r.formal} 名、预备党员 {r.probationary} 名）"
    )
    if groups:
        text += f"，编为 {groups} 个党小组"
    text += "。"
    if r.joined or r.left:
        text += f"本年转入、新接收党员 {len(r.joined)} 名，转出等离开支部 {len(r.left)} 名。"
    committee = "、".join(f"{m.name}（{m.post}）" for m in r.committee)
    if committee:
        text += f"支部委员会：{committee}。"
    lines.append("　　" + text)
    lines.append("")

    lines.append("二、组织生活开展情况")
    counts = {k: 0 for k in KINDS}
    for v in model.records:
        counts[v.record.kind] = counts.get(v.record.kind, 0) + 1
    held = "、".join(f"{k} {n} 次" for k, n in counts.items() if n)
    c = model.compliance
    att = model.attendance.total
    text = f"全年开展{held or '组织生活 0 次'}。"
    if c.judged:
        text += f"按规定应开展的 {c.judged} 项中按期开展 {c.met} 项（{_rate(c.rate_permille)}）。"
    if att.expected:
        text += (
            f"党员参加组织生活应到 {att.expected} 人次、实到 {att.present} 人次，"
            f"出席率 {_rate(att.rate_permille)}。"
        )
    lecturers = sorted({v.record.lecturer for v in model.records if v.record.lecturer})
    if lecturers:
        text += f"讲党课的有：{'、'.join(lecturers)}。"
    lines.append("　　" + text)
    p = model.plan
    if p.planned:
        text = f"年度工作计划安排 {p.planned} 项，已开展 {p.held} 项"
        missing = p.missing
        if missing:
            text += "；未开展：" + "；".join(f"{s.item.month}月{s.item.what}" for s in missing)
        lines.append("　　" + text + "。")
    lines.append("")

    lines.append("三、党费收缴情况")
    t = model.dues.total
    text = f"全年应缴合计 {_yuan(t.due_year)}，实缴 {_yuan(t.paid)}"
    if t.due_ended:
        text += f"，{model.dues.through_label or '已到期部分'}收缴率 {_rate(t.rate_permille)}"
    if t.arrears:
        text += f"；欠缴 {_yuan(t.arrears)}，涉及 {t.in_arrears} 名党员"
    lines.append("　　" + text + "。")
    lines.append("")

    lines.append("四、志愿服务情况")
    vol = model.volunteer
    text = f"{vol.people} 名党员参加志愿服务 {vol.count} 人次，共 {vol.half_hours / 2:g} 小时"
    if vol.average_hours is not None:
        text += f"，人均 {vol.average_hours} 小时"
    if vol.expected:
        text += f"；在职党员 {len(vol.expected)} 名，{len(vol.idle)} 名全年未参加"
    lines.append("　　" + text + "。")
    lines.append("")

    lines.append("五、存在的问题")
    problems = model.problems
    if not problems:
        lines.append("　　台账检查未发现问题。……（请补充工作中存在的不足）")
    by_cat: dict[str, list] = {}
    for pr in problems:
        by_cat.setdefault(pr.category, []).append(pr)
    for n, (cat, items) in enumerate(by_cat.items(), 1):
        shown = "；".join(f"{x.when} {x.what}：{x.detail}" for x in items[:8])
        more = f"等 {len(items)} 项" if len(items) > 8 else f"共 {len(items)} 项"
        lines.append(f"　　{n}. {cat}{more}：{shown}。")
    lines.append("")

    lines.append("六、整改落实情况")
    # HOOK(issue 18 整改清单): when the model carries 整改 figures, write here how many
    # problems were rectified, how many are in progress or overdue (from the model).
    lines.append("　　……（请填写问题整改落实情况）")
    lines.append("")

    a = model.assessment
    if a is not None and (a.complete or a.review is not None):
        from .assessment import format_points

        lines.append("七、自评情况")
        text = f"对照考评标准，支部自评 {format_points(a.total)} 分（满分 {format_points(a.max_points)} 分）"
        text += f"，等级：{a.grade_text}。"
        lines.append("　　" + text)
        lines.append("")
        lines.append("八、下一步工作打算")
    else:
        lines.append("七、下一步工作打算")
    lines.append("　　1. ……")
    lines.append("　　2. ……")
    lines.append("")
    return "\n".join(lines)


__all__ = [
    "DUE",
    "HELD",
    "LATE",
    "LATER",
    "MISSING",
    "PLAN_KINDS",
    "STATUS_LABELS",
    "VOLUNTEER",
    "Done",
    "PlanFigures",
    "PlanItem",
    "PlanStatus",
    "match_plan",
    "plan_figures",
    "plan_reminders",
    "summary_draft",
    "summary_title",
    "validate_item",
]
