"""二、问题清单: the model's problems — every gap (谈心谈话 coverage included), member alert
(with what became of a run that has ended), incomplete record — then 补记 and short quorum."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer

from ..domain.dates import format_date, format_date_cn
from ..domain.followup import brief_key
from ..domain.period import PROBLEM_GAP, PeriodModel, alert_key, incomplete_key
from .common import SUB, WRITE_H, h2, no_items, section_heading
from .styles import FRAME_W, MM, RED, P
from .tables import PagedTable, TextCell

BASIS = "对照《中国共产党支部工作条例（试行）》和本支部的频次要求检查，"


def _fix(model: PeriodModel, problem_key: str):
    """整改情况 of one problem: the stored 整改 item's (issue 18), else blank to fill in."""
    item = model.rectification_of(problem_key)
    return TextCell(item.fix_text) if item is not None else ""


def problems(model: PeriodModel, num: str, key: str) -> list[Flowable]:
    chk = model.check
    gaps = [p for p in model.problems if p.category == PROBLEM_GAP]
    alerts = chk.member_alerts
    incomplete = chk.incomplete_records
    late, short = model.late_records, model.short_quorum
    brief = model.brief_records  # too-brief minutes (issue 18), listed with the incomplete
    n = len(gaps) + len(alerts) + len(incomplete) + len(brief)
    out: list[Flowable] = [section_heading(key, num)]
    if n:
        intro = (
            f"{BASIS}本期共发现问题 {n} 项：应开展未开展 {len(gaps)} 项，"
            f"党员预警 {len(alerts)} 项，记录不完整 {len(incomplete)} 条"
            + (f"、记录过简 {len(brief)} 条" if brief else "")
            + "。右栏供填写整改措施和完成时间。"
        )
    else:
        intro = f"{BASIS}本期未发现缺项、党员预警和不完整的记录。"
    if not model.ended:
        intro += (
            f"{model.report_label}尚未结束（截至{format_date_cn(model.today)}），"
            "未结束的月份、季度不作判断。"
        )
    out.append(P(intro, "body"))
    fix_w = 40 * MM

    # gaps, 谈心谈话 coverage included
    out += h2(f"{SUB[0]}应开展未开展（{len(gaps)} 项）", key=f"{key}.gaps")
    if gaps:
        header = ["序号", "期间", "项目", "情况", "整改情况"]
        body = [
            [str(i), p.when, TextCell(p.what), TextCell(p.detail), _fix(model, p.key)]
            for i, p in enumerate(gaps, 1)
        ]
        widths = [10 * MM, 30 * MM, 40 * MM, 0, fix_w]
        widths[3] = FRAME_W - sum(widths)
        out.append(
            PagedTable(
                [header],
                body,
                widths,
                8.5,
                align=[(0, "CENTER")],
                row_styles=lambda i, row: [("TEXTCOLOR", (3, 0), (3, 0), HexColor(RED))],
                min_row_height=WRITE_H,
            )
        )
    else:
        out.append(no_items("各项会议均按要求开展，谈心谈话已覆盖全体在册党员。"))

    # member alerts, with what became of a run that has ended
    out += h2(f"{SUB[1]}党员预警（{len(alerts)} 项）", key=f"{key}.alerts")
    if alerts:
        header = ["序号", "姓名", "预警类型", "连续月数", "起止月份", "现状", "整改情况"]
        body = [
            [
                str(i),
                TextCell(a.name),
                a.kind,
                f"{a.months} 个月",
                TextCell(a.span_label),
                TextCell(a.state_label or "仍在继续"),
                _fix(model, alert_key(a)),
            ]
            for i, a in enumerate(alerts, 1)
        ]
        widths = [9 * MM, 18 * MM, 22 * MM, 14 * MM, 0, 34 * MM, 30 * MM]
        widths[4] = FRAME_W - sum(widths)
        out.append(
            PagedTable(
                [header],
                body,
                widths,
                8.5,
                align=[(0, "CENTER"), (3, "CENTER")],
                row_styles=lambda i, row: (
                    [("TEXTCOLOR", (3, 0), (3, 0), HexColor(RED))] if alerts[i].months >= 6 else []
                ),
                min_row_height=WRITE_H,
            )
        )
        out.append(Spacer(1, 1.5 * MM))
        out.append(
            P(
                "依据党章第九条，党员连续六个月不参加党的组织生活、或不交纳党费、或不做党所分配的工作，"
                "就被认为是自行脱党。连续三个月即列入预警，请支部及时谈心谈话、督促整改。"
                "连续月数可从本期开始之前算起（最早到台账的第一个月）；在本期内结束的连续月份"
                "仍列入本期，“现状”一栏写明何时已恢复。",
                "note",
            )
        )
    else:
        out.append(no_items("没有连续三个月以上未参加组织生活或未交党费的党员。"))

    # incomplete records; too-brief minutes (issue 18) are listed with them, with why
    rows = [
        (r.date, r.item, "、".join(r.missing), _fix(model, incomplete_key(r))) for r in incomplete
    ] + [(b.date, b.item, b.text, _fix(model, brief_key(b.record_id))) for b in brief]
    rows.sort(key=lambda row: row[0])
    title = f"{SUB[2]}记录不完整（{len(incomplete)} 条）"
    if brief:
        title += f"和记录过简（{len(brief)} 条）"
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
        found = []
        for v in late:
            r = v.record
            entered = format_date(r.created_at.date() if r.created_at else None)
            found.append((r.date, r.kind, f"补记：{entered} 录入，活动后 {v.late_days} 天"))
        for v in short:
            s = v.summary
            who = "正式党员" if v.record.kind == "支部党员大会" else "支委"
            found.append(
                (
                    v.record.date,
                    v.record.kind,
                    f"到会人数未过半：应到 {s.expected_count} 人，"
                    f"实到 {s.present_count} 人（按{who}计）",
                )
            )
        found.sort(key=lambda row: row[0])
        body = [[str(i), format_date(d), k, TextCell(t)] for i, (d, k, t) in enumerate(found, 1)]
        widths = [10 * MM, 22 * MM, 28 * MM, 0]
        widths[3] = FRAME_W - sum(widths)
        out.append(PagedTable([header], body, widths, 8.5, align=[(0, "CENTER")]))
    else:
        out.append(no_items("没有补记的记录；各次支部党员大会、支委会到会人数均过半。"))
    return out
