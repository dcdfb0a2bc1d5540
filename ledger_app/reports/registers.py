"""The PDF sections of the registers beside the meetings: 发展党员工作 (who is followed,
each person's 纪实), 组织关系转接 (transfers and 流动党员) and 党员关怀 (政治生日, 关怀帮扶,
表彰和处分). Each renders the period model; nothing is computed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, Spacer

from ..domain import development as D
from ..domain.dates import format_date, format_date_cn
from ..domain.money import format_fen
from ..domain.transfers import mask_contact
from .common import SUB, clip, h2, no_items, section_heading
from .styles import FRAME_W, MM, P, make_table
from .tables import TextCell

if TYPE_CHECKING:
    from ..domain.period import PeriodModel

BIRTHDAYS_PER_ROW = 8


def _table(header: list[str], rows: list[list], widths_mm: list, **kw) -> Flowable:
    """A table over the frame's width: the column whose width is None takes what the others
    leave (the last one when all are given but it)."""
    if len(widths_mm) < len(header):
        widths_mm = [*widths_mm, None]
    rest = FRAME_W - sum(w * MM for w in widths_mm if w is not None)
    widths = [w * MM if w is not None else rest for w in widths_mm]
    cells = [[TextCell(c) if isinstance(c, str) else c for c in r] for r in rows]
    return make_table([header, *cells], widths, **kw)


def _vote(s: D.Step) -> str:
    if s.expected is None:
        return ""
    return (
        f"应到{s.expected} 实到{s.present} 赞成{s.yes} 反对{s.no_votes} 弃权{s.abstain}"
        + (f"；{s.result}" if s.result else "")
        + (f"（延长{s.months}个月）" if s.months else "")
    )


def development(model: PeriodModel, num: str, key: str) -> list[Flowable]:
    fig = model.development
    out: list[Flowable] = [section_heading(key, num)]
    stages = "，".join(f"{s} {n} 人" for s, n in fig.by_stage)
    out.append(
        P(
            f"{model.report_label}新递交入党申请书 {len(fig.applied)} 人，接收预备党员 "
            f"{len(fig.admitted)} 人，预备党员转正 {len(fig.converted)} 人。"
            f"截至{format_date_cn(model.as_of)}：{stages}。",
            "body",
        )
    )
    if not fig.people:
        out.append(no_items("本期没有发展党员工作记录。"))
        return out
    out += h2(f"{SUB[0]}发展党员名单", key=f"{key}.people")
    rows = []
    for i, p in enumerate(fig.people, 1):
        first = {n: (p.done(n, model.period.end) or None) for n in (1, 3, 7, 15, 23)}
        rows.append(
            [
                str(i),
                p.name,
                p.applicant.gender or "",
                *(format_date(s.date) if s else "" for s in first.values()),
                p.stage_on(model.as_of),
            ]
        )
    out.append(
        _table(
            [
                "序号",
                "姓名",
                "性别",
                "递交申请",
                "确定积极分子",
                "确定发展对象",
                "接收预备党员",
                "转正",
                "阶段",
            ],
            rows,
            [9, 18, 10, 22, 22, 22, 22, 22],
            font_size=8,
        )
    )
    out += h2(f"{SUB[1]}发展党员工作纪实", key=f"{key}.steps")
    data = model.inputs.registers
    for p in fig.people:
        out.append(P(f"<b>{p.name}</b>（{p.stage_on(model.as_of)}）", "h3", markup=True))
        rows = []
        for s in fig.history(p):
            meeting = data.meeting_text(s.record_id, s.meeting)
            what = "；".join(x for x in (meeting, _vote(s)) if x)
            rows.append(
                [
                    D.STEP[s.no].label,
                    format_date(s.date),
                    clip(s.people, 30),
                    clip(s.document, 20),
                    clip(what, 60),
                    clip(s.note, 40),
                ]
            )
        out.append(
            _table(
                ["步骤", "日期", "相关人员", "材料", "决定会议和表决", "备注"],
                rows,
                [52, 19, 22, 22, None, 20],
            )
        )
        out.append(Spacer(1, 2 * MM))
    return out


def transfers(model: PeriodModel, num: str, key: str) -> list[Flowable]:
    fig = model.transfers
    out: list[Flowable] = [section_heading(key, num)]
    out.append(
        P(
            f"{model.report_label}组织关系转出 {len(fig.outs)} 人、转入 {len(fig.ins)} 人；"
            f"流动党员 {len(fig.flows)} 人。回执超过 {fig.receipt_days} 天未返回的列为逾期。",
            "body",
        )
    )
    out += h2(f"{SUB[0]}组织关系转接", key=f"{key}.transfers")
    if fig.transfers:
        rows = [
            [
                str(i),
                t.direction,
                t.member_name or "",
                format_date(t.date),
                t.letter_no or "",
                clip(t.org, 40),
                fig.receipt(t),
            ]
            for i, t in enumerate(fig.transfers, 1)
        ]
        out.append(
            _table(
                ["序号", "类型", "姓名", "日期", "介绍信编号", "对方党组织", "回执"],
                rows,
                [9, 11, 18, 20, 24, 52],
            )
        )
    else:
        out.append(no_items("本期没有组织关系转接。"))
    out += h2(f"{SUB[1]}流动党员", key=f"{key}.flows")
    if fig.flows:
        rows = [
            [
                str(i),
                f.member_name or "",
                format_date(f.start_date),
                format_date(f.end_date) or "未返回",
                clip(f.place, 40),
                clip(mask_contact(f.contact), 40),
            ]
            for i, f in enumerate(fig.flows, 1)
        ]
        out.append(
            _table(
                ["序号", "姓名", "外出日期", "返回日期", "外出地点", "联系方式"],
                rows,
                [9, 18, 20, 20, 55],
            )
        )
    else:
        out.append(no_items("本期没有流动党员。"))
    return out


def care(model: PeriodModel, num: str, key: str) -> list[Flowable]:
    fig = model.care
    out: list[Flowable] = [section_heading(key, num)]
    out.append(
        P(
            f"{model.report_label}党员过政治生日 {fig.birthday_count} 人次；关怀帮扶走访 "
            f"{len(fig.visits)} 次，慰问金合计 {format_fen(fig.visit_amount_fen)} 元；"
            f"表彰 {len(fig.awards)} 人次，处分 {len(fig.penalties)} 人次。",
            "body",
        )
    )
    out += h2(f"{SUB[0]}政治生日", key=f"{key}.birthdays")
    rows = []
    for m, found in fig.birthdays.items():
        names = [b.text for b in found] or ["—"]
        for i in range(0, len(names), BIRTHDAYS_PER_ROW):  # a big branch's month: many rows
            first = i == 0
            chunk = "、".join(names[i : i + BIRTHDAYS_PER_ROW])
            rows.append([f"{m}月" if first else "", str(len(found)) if first else "", chunk])
    out.append(_table(["月份", "人数", "政治生日名单"], rows, [16, 14]))
    out += h2(f"{SUB[1]}关怀帮扶", key=f"{key}.visits")
    if fig.visits:
        rows = [
            [
                format_date(v.date),
                v.member_name or "",
                v.hardship or "",
                clip(v.content, 60),
                format_fen(v.amount_fen) if v.amount_fen is not None else "",
                v.visitor or "",
            ]
            for v in fig.visits
        ]
        out.append(
            _table(
                ["日期", "姓名", "困难类型", "帮扶内容", "慰问金(元)", "走访人"],
                rows,
                [20, 18, 20, 62, 20],
            )
        )
    else:
        out.append(no_items("本期没有关怀帮扶记录。"))
    data = model.inputs.registers
    for i, (title, items) in enumerate((("表彰", fig.awards), ("处分", fig.penalties)), 2):
        out += h2(f"{SUB[i]}{title}", key=f"{key}.{'awards' if i == 2 else 'penalties'}")
        if not items:
            out.append(no_items(f"本期没有{title}。"))
            continue
        rows = [
            [
                format_date(h.date),
                h.member_name or "",
                h.title,
                clip(h.issuer, 30),
                clip(h.reason, 50),
                data.meeting_text(h.record_id, h.meeting),
            ]
            for h in items
        ]
        out.append(
            _table(
                ["日期", "姓名", "名称", "授予或批准单位", "事由", "决定会议"],
                rows,
                [20, 18, 26, 30, 50],
            )
        )
    return out
