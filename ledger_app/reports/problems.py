"""二、问题清单: every gap, member alert, incomplete record, 补记 and short quorum."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    Flowable,
    Spacer,
)

from ..domain.dates import format_date, format_date_cn
from ..domain.followup import brief_key
from ..domain.period import alert_key, gap_key, incomplete_key
from .common import (
    SUB,
    WRITE_H,
    h2,
    no_items,
    section_heading,
)
from .data import ReportData
from .styles import FRAME_W, MM, RED, P
from .tables import PagedTable, TextCell


def _fix(data: ReportData, problem_key: str):
    """整改情况 of one problem: the stored 整改 item's (issue 18), else blank to fill in."""
    item = data.model.rectification_of(problem_key) if data.model is not None else None
    return TextCell(item.fix_text) if item is not None else ""


def problems(data: ReportData, num: str, key: str) -> list[Flowable]:
    chk = data.check
    late = [v for v in data.records if v.late]
    short = [v for v in data.records if v.quorum_short]
    n = len(chk.gaps) + len(chk.member_alerts) + len(chk.incomplete_records)
    out: list[Flowable] = [section_heading(key, num)]
    if n:
        intro = (
            f"对照《中国共产党支部工作条例（试行）》和本支部的频次要求检查，本期共发现问题 {n} 项："
            f"应开展未开展 {len(chk.gaps)} 项，党员预警 {len(chk.member_alerts)} 项，"
            f"记录不完整 {len(chk.incomplete_records)} 条。右栏供填写整改措施和完成时间。"
        )
    else:
        intro = "对照《中国共产党支部工作条例（试行）》和本支部的频次要求检查，本期未发现缺项、党员预警和不完整的记录。"
    if chk.today is not None and not data.period.has_ended(chk.today):
        intro += (
            f"{data.period_label}尚未结束（截至{format_date_cn(chk.today)}），"
            "未结束的月份、季度不作判断。"
        )
    out.append(P(intro, "body"))
    fix_w = 40 * MM

    # gaps
    out += h2(f"{SUB[0]}应开展未开展（{len(chk.gaps)} 项）", key=f"{key}.gaps")
    if chk.gaps:
        header = ["序号", "期间", "项目", "党小组", "应开", "实开", "整改情况"]
        body = [
            [
                str(i),
                g.period.label,
                g.item,
                g.group or "",
                str(g.required),
                str(g.held),
                _fix(data, gap_key(g)),
            ]
            for i, g in enumerate(chk.gaps, 1)
        ]
        widths = [10 * MM, 30 * MM, 28 * MM, 0, 12 * MM, 12 * MM, fix_w]
        widths[3] = FRAME_W - sum(widths)
        out.append(
            PagedTable(
                [header],
                body,
                widths,
                8.5,
                align=[(0, "CENTER"), (4, "CENTER"), (5, "CENTER")],
                row_styles=lambda i, row: [("TEXTCOLOR", (5, 0), (5, 0), HexColor(RED))],
                min_row_height=WRITE_H,
            )
        )
    else:
        out.append(no_items("各项会议均按要求开展。"))

    # member alerts
    out += h2(f"{SUB[1]}党员预警（{len(chk.member_alerts)} 项）", key=f"{key}.alerts")
    if chk.member_alerts:
        header = ["序号", "姓名", "预警类型", "连续月数", "起止月份", "整改情况"]
        body = []
        for i, a in enumerate(chk.member_alerts, 1):
            span = a.start.label if a.start == a.end else f"{a.start.label}—{a.end.label}"
            body.append(
                [str(i), a.name, a.kind, f"{a.months} 个月", span, _fix(data, alert_key(a))]
            )
        widths = [10 * MM, 22 * MM, 30 * MM, 18 * MM, 0, fix_w]
        widths[4] = FRAME_W - sum(widths)
        out.append(
            PagedTable(
                [header],
                body,
                widths,
                8.5,
                align=[(0, "CENTER"), (3, "CENTER")],
                row_styles=lambda i, row: (
                    [("TEXTCOLOR", (3, 0), (3, 0), HexColor(RED))]
                    if chk.member_alerts[i].months >= 6
                    else []
                ),
                min_row_height=WRITE_H,
            )
        )
        out.append(Spacer(1, 1.5 * MM))
        out.append(
            P(
                "依据党章第九条，党员连续六个月不参加党的组织生活、或不交纳党费、或不做党所分配的工作，"
                "就被认为是自行脱党。连续三个月即列入预警，请支部及时谈心谈话、督促整改。",
                "note",
            )
        )
    else:
        out.append(no_items("没有连续三个月以上未参加组织生活或未交党费的党员。"))

    # incomplete records
    # too-brief minutes (issue 18) are listed with the incomplete records, with why
    brief = data.model.brief_records if data.model is not None else []
    rows = [
        (r.date, r.item, "、".join(r.missing), _fix(data, incomplete_key(r)))
        for r in chk.incomplete_records
    ] + [(b.date, b.item, b.text, _fix(data, brief_key(b.record_id))) for b in brief]
    rows.sort(key=lambda row: row[0])
    title = f"{SUB[2]}记录不完整（{len(chk.incomplete_records)} 条）"
    if brief:
        title = (
            f"{SUB[2]}记录不完整（{len(chk.incomplete_records)} 条）和记录过简（{len(brief)} 条）"
        )
    out += h2(title, key=f"{key}.incomplete")
    if rows:
        header = ["序号", "日期", "类型", "缺少的内容", "整改情况"]
        body = [
            [str(i), format_date(d), item, TextCell(what), fix]
            for i, (d, item, what, fix) in enumerate(rows, 1)
        ]
        widths = [10 * MM, 22 * MM, 28 * MM, 0, fix_w]
        widths[3] = FRAME_W - sum(widths)
        out.append(
            PagedTable([header], body, widths, 8.5, align=[(0, "CENTER")], min_row_height=WRITE_H)
        )
    else:
        out.append(no_items("各条记录的议题、主持人、记录人、主要内容和出席情况均已填写。"))

    # late entries and quorum
    out += h2(f"{SUB[3]}补记与到会人数（{len(late) + len(short)} 条）", key=f"{key}.late")
    if late or short:
        header = ["序号", "日期", "类型", "情况"]
        body = []
        for v in late:
            r = v.record
            days = (r.created_at.date() - r.date).days if r.created_at else 0
            body.append(
                [
                    r.date,
                    r.kind,
                    f"补记：{format_date(r.created_at.date() if r.created_at else None)} 录入，"
                    f"活动后 {days} 天",
                ]
            )
        for v in short:
            s = v.summary
            who = "正式党员" if v.record.kind == "支部党员大会" else "支委"
            body.append(
                [
                    v.record.date,
                    v.record.kind,
                    f"到会人数未过半：应到 {s.expected_count} 人，实到 {s.present_count} 人（按{who}计）",
                ]
            )
        body.sort(key=lambda row: row[0])
        body = [[str(i), format_date(d), k, TextCell(t)] for i, (d, k, t) in enumerate(body, 1)]
        widths = [10 * MM, 22 * MM, 28 * MM, 0]
        widths[3] = FRAME_W - sum(widths)
        out.append(PagedTable([header], body, widths, 8.5, align=[(0, "CENTER")]))
    else:
        out.append(no_items("没有补记的记录；各次支部党员大会、支委会到会人数均过半。"))
    return out
