"""评议与整改 (issue 18): the year's 民主评议党员 with each member's 等次 and follow-up, the
整改清单 of the period, and the leading cadres' 党课 — rendered from the period model."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer

from ..domain.appraisal import CORRECT
from ..domain.dates import format_date, format_date_cn
from ..domain.rectification import OVERDUE
from .common import SUB, h2, no_items, section_heading
from .styles import FRAME_W, MM, RED, P
from .tables import PagedTable, TextCell


def section(model, num: str, key: str) -> list[Flowable]:
    out: list[Flowable] = [section_heading(key, num)]
    out.append(
        P(
            "民主评议党员的评定等次和对基本合格、不合格党员的处置，组织生活会、民主评议和上级"
            "检查发现问题的整改落实情况，以及党员领导干部讲党课情况。",
            "body",
        )
    )
    out += appraisal_part(model, key)
    out += rectification_part(model, key)
    out += lectures_part(model, key)
    return out


def appraisal_part(model, key: str) -> list[Flowable]:
    a = model.appraisal
    out = h2(f"{SUB[0]}{a.year}年民主评议党员等次", key=f"{key}.appraisal")
    if a.meeting is not None:
        held = f"{format_date_cn(a.meeting.date)}召开民主评议党员会议。"
    else:
        held = f"{a.year}年尚未登记民主评议党员会议。"
    if not a.entries:
        out.append(P(held + "尚未登记评议等次。", "body"))
        return out
    counts = "，".join(f"{g} {n} 人" for g, n in a.counts if n)
    text = f"{held}评定等次 {len(a.entries)} 人：{counts}。{a.share_text}"
    if a.over_cap:
        text += '，<font color="#b3261e">超过上限</font>'
    if a.ungraded:
        text += f"。尚有 {len(a.ungraded)} 名党员未评定等次"
    out.append(P(text + "。", "body", markup=True))
    out.append(Spacer(1, 1.5 * MM))
    header = ["序号", "姓名", "等次", "说明", "谈话", "处理", "改正期限与情况"]
    body = []
    for i, e in enumerate(a.entries, 1):
        talk = ""
        if e.talk_date:
            talk = format_date(e.talk_date) + (f" {e.talk_by}" if e.talk_by else "")
        elif e.needs_followup:
            talk = "未谈话"
        correct = ""
        if e.measure == CORRECT:
            correct = (f"{format_date(e.deadline)}前" if e.deadline else "") + (
                f"：{e.result}" if e.result else "（未登记改正情况）"
            )
        body.append(
            [
                str(i),
                a.name(e),
                e.grade,
                TextCell(e.reason or ""),
                TextCell(talk),
                e.measure or "",
                TextCell(correct),
            ]
        )
    widths = [10 * MM, 20 * MM, 20 * MM, 0, 30 * MM, 18 * MM, 40 * MM]
    widths[3] = FRAME_W - sum(widths)

    def red(i, row):
        e = a.entries[i]
        if e.needs_followup and e.talk_date is None:
            return [("TEXTCOLOR", (4, 0), (4, 0), HexColor(RED))]
        return []

    out.append(
        PagedTable(
            [header],
            body,
            widths,
            8.5,
            align=[(0, "CENTER"), (2, "CENTER"), (5, "CENTER")],
            row_styles=red,
        )
    )
    return out


def rectification_part(model, key: str) -> list[Flowable]:
    items = model.rectifications
    today = model.today
    out = h2(f"{SUB[1]}整改清单（{len(items)} 项）", key=f"{key}.rectification")
    if not items:
        out.append(no_items("本期没有需要整改的事项。"))
        return out
    overdue = sum(1 for i in items if i.overdue(today))
    done = sum(1 for i in items if i.done)
    out.append(
        P(
            f"本期整改事项 {len(items)} 项：已完成 {done} 项，未完成 {len(items) - done} 项"
            + (f"，其中逾期 {overdue} 项" if overdue else "")
            + "。",
            "body",
        )
    )
    out.append(Spacer(1, 1.5 * MM))
    header = ["序号", "来源", "问题", "整改措施", "责任人", "时限", "状态", "整改情况"]
    body = []
    for i, it in enumerate(items, 1):
        status = it.shown_status(today)
        if it.done and it.done_on:
            status += f"\n{format_date(it.done_on)}"
        body.append(
            [
                str(i),
                TextCell(it.source),
                TextCell(it.problem),
                TextCell(it.measure or ""),
                TextCell(it.owner or ""),
                format_date(it.deadline) if it.deadline else "",
                TextCell(status),
                TextCell(it.result or ""),
            ]
        )
    widths = [9 * MM, 16 * MM, 0, 34 * MM, 14 * MM, 18 * MM, 16 * MM, 34 * MM]
    widths[2] = FRAME_W - sum(widths)

    def red(i, row):
        if items[i].shown_status(today) == OVERDUE:
            return [("TEXTCOLOR", (6, 0), (6, 0), HexColor(RED))]
        return []

    out.append(
        PagedTable(
            [header],
            body,
            widths,
            8,
            align=[(0, "CENTER"), (5, "CENTER"), (6, "CENTER")],
            row_styles=red,
        )
    )
    return out


def lectures_part(model, key: str) -> list[Flowable]:
    lec = model.cadre_lectures
    out = h2(f"{SUB[2]}党员领导干部讲党课（{lec.year}年）", key=f"{key}.lectures")
    if not lec.lines:
        out.append(P("名册中没有标为党员领导干部的党员。", "body"))
        return out
    missing = len(lec.missing)
    if missing and lec.judged:
        intro = f"党员领导干部 {len(lec.lines)} 人，全年未讲党课 {missing} 人。"
    elif missing:
        intro = f"党员领导干部 {len(lec.lines)} 人，目前尚未讲党课 {missing} 人（年底前每人至少 1 次）。"
    else:
        intro = f"党员领导干部 {len(lec.lines)} 人，均已讲党课。"
    out.append(P(intro, "body"))
    out.append(Spacer(1, 1.5 * MM))
    header = ["序号", "姓名", "党内职务", "讲党课（日期 题目）", "情况"]
    body = []
    for i, c in enumerate(lec.lines, 1):
        given = "；".join(f"{format_date(r.date)} {r.topic or ''}".strip() for r in c.records)
        state = "已讲" if c.given else ("未讲" if lec.judged else "尚未讲")
        body.append([str(i), c.member.name, c.member.post or "", TextCell(given), state])
    widths = [10 * MM, 22 * MM, 26 * MM, 0, 18 * MM]
    widths[3] = FRAME_W - sum(widths)

    def red(i, row):
        return [] if lec.lines[i].given else [("TEXTCOLOR", (4, 0), (4, 0), HexColor(RED))]

    out.append(
        PagedTable(
            [header], body, widths, 8.5, align=[(0, "CENTER"), (4, "CENTER")], row_styles=red
        )
    )
    return out
