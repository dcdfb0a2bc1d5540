"""一、基本情况: roster, compliance grid, attendance, dues and volunteer summaries, charts.

Every figure is the period model's, printed with the word the glossary gives it
(docs/台账格式.md §3 术语): 在册 (on one day) apart from 期内党员 (during the period),
应缴合计 / 本期应缴 / 截至X月应缴 apart from each other.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from ..domain.compliance import HELD, MISSING, NOT_DUE, NOT_REQUIRED, TALK
from ..domain.dates import format_date_cn
from ..domain.money import format_fen, format_yuan
from ..domain.period import AttendanceStats, PeriodModel
from ..domain.volunteer import format_hours
from .charts import attendance_chart, dues_chart
from .common import LIGHT_GREEN, LIGHT_RED, SUB, h2, md, percent, section_heading
from .fonts import SERIF
from .styles import FRAME_W, MM, P, make_table
from .tables import PagedTable

SIDE_BY_SIDE_ROWS = 40  # count tables this short stand side by side; longer ones run on


def _count_rows(pairs: list[tuple[str, int]], total: int) -> list[list[str]]:
    return [[k, str(n)] for k, n in pairs] + [["合计", str(total)]]


def _members_part(model: PeriodModel) -> list[Flowable]:
    ro = model.roster
    on_roll = len(ro.on_roll)
    para = (
        f"截至{format_date_cn(ro.as_of)}，支部在册党员 {on_roll} 名，其中正式党员 "
        f"{ro.formal} 名、预备党员 {ro.probationary} 名。"
    )
    if ro.joined or ro.left:
        para += (
            f"本期新增（发展、转入）{len(ro.joined)} 名，减少（转出、去世等）{len(ro.left)} 名。"
        )
    if len(ro.in_period) != on_roll:
        para += (
            f"期内党员（本期内至少有一天在册的党员，党费和出勤按此统计）{len(ro.in_period)} 名。"
        )
    out: list[Flowable] = [P(para, "body"), Spacer(1, 3 * MM)]
    head_cat, head_group = ["人员类别", "在册人数"], ["党小组", "在册人数"]
    cats = _count_rows(ro.by_category, on_roll)
    groups = _count_rows(ro.by_group, on_roll)
    half = (FRAME_W - 8 * MM) / 2
    total_row = [("BACKGROUND", (0, -1), (-1, -1), HexColor("#f3e9e7"))]
    if max(len(cats), len(groups)) <= SIDE_BY_SIDE_ROWS:
        widths = [half - 18 * MM, 18 * MM]
        side = Table(
            [
                [
                    make_table([head_cat, *cats], widths, align=[(1, "RIGHT")], extra=total_row),
                    make_table(
                        [head_group, *groups], widths, align=[(1, "RIGHT")], extra=total_row
                    ),
                ]
            ],
            colWidths=[half + 8 * MM, half],
            hAlign="LEFT",
        )
        side.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("FONTNAME", (0, 0), (-1, -1), SERIF),
                ]
            )
        )
        out.append(side)
    else:  # many groups: tables that run on over pages
        widths = [60 * MM, 25 * MM]
        for head, rows in ((head_cat, cats), (head_group, groups)):
            out += [
                PagedTable([head], rows[:-1], widths, align=[(1, "RIGHT")], footer=rows[-1:]),
                Spacer(1, 3 * MM),
            ]
    if ro.committee:
        names = "；".join(f"{m.post} {m.name}" for m in ro.committee)
        out += [Spacer(1, 3 * MM), P(f"支部委员会：{names}。", "body")]
    return out


def compliance_grid(model: PeriodModel) -> list[Flowable]:
    months = list(model.months)
    rows: dict[int, tuple] = {}  # the board's rows with their cells inside the period
    for row, cell in model.compliance.cells:
        rows.setdefault(id(row), (row, []))[1].append(cell)
    dates = {v.record.id: v.record.date for v in model.records}
    first_month = months[0]
    label_w = 36 * MM
    col_w = (FRAME_W - label_w) / len(months)
    small = "cell_small_center" if len(months) > 3 else "cell_center"
    header = ["项目"] + [f"{m}月" for m in months]
    body: list[list] = []
    cmds: list = []
    for r, (row, cells) in enumerate(rows.values(), start=1):
        line: list = [P(row.label, "cell")] + [""] * len(months)
        for c in cells:
            c0 = c.period.start.month - first_month + 1
            c1 = c.period.end.month - first_month + 1
            held = sorted(dates[i] for i in c.record_ids if i in dates)
            if row.item == TALK:
                words = f"应谈 {c.required} 人，已谈 {c.held} 人" if c.required else "—"
            else:
                # a narrow month column stacks its dates; a quarter or year spans columns
                sep = "<br/>" if len(months) > 3 and c0 == c1 else "、"
                words = sep.join(md(d) for d in held)
            if c.status == MISSING:
                status = "缺" if not c.held or row.item == TALK else f"缺（{c.held}/{c.required}）"
                words = f"{words}<br/>{status}" if words else status
                cmds.append(("BACKGROUND", (c0, r), (c1, r), LIGHT_RED))
            elif c.status == HELD:
                cmds.append(("BACKGROUND", (c0, r), (c1, r), LIGHT_GREEN))
            elif c.status == NOT_DUE:
                words = words or '<font color="#6b6b6b">未到期</font>'
            elif c.status == NOT_REQUIRED:
                words = words or '<font color="#6b6b6b">—</font>'
            line[c0] = P(words, small, markup=True)
            if c1 > c0:
                cmds.append(("SPAN", (c0, r), (c1, r)))
        body.append(line)
    comp = model.compliance
    t = make_table(
        [header, *body],
        [label_w] + [col_w] * len(months),
        font_size=8,
        zebra=False,
        extra=cmds + [("ALIGN", (1, 1), (-1, -1), "CENTER")],
    )
    summary = f"本期应判断 {comp.judged} 项，达标 {comp.met} 项"
    if comp.rate_permille is not None:
        summary += f"（{percent(comp.rate_permille)}）"
    summary += f"；应开展未开展 {model.gap_count} 项（见问题清单）。"
    note = P(
        "格内为活动日期（月/日）；绿色为已按要求开展，红色“缺”为期间已结束而未开展或次数不足，"
        "“未到期”为期间尚未结束，“—”为不作要求（支部成立前、党小组当期无党员等）。"
        "结合主题党日召开的会议同时计入当月主题党日。谈心谈话按在册党员全年覆盖计。",
        "note",
    )
    return [P(summary, "body"), Spacer(1, 2 * MM), t, Spacer(1, 1.5 * MM), note]


def _stats_row(label: str, s: AttendanceStats) -> list[str]:
    return [
        label,
        str(s.records),
        str(s.expected),
        str(s.present),
        str(s.leave),
        str(s.absent),
        percent(s.rate_permille),
    ]


def attendance_part(model: PeriodModel) -> list[Flowable]:
    att = model.attendance
    header = ["类型", "次数", "应到人次", "实到人次", "请假人次", "缺席人次", "出席率"]
    widths = [40 * MM] + [(FRAME_W - 40 * MM) / 6] * 6
    right = [(i, "RIGHT") for i in range(1, 7)]
    out: list[Flowable] = []
    if att.by_kind:
        rows = [_stats_row(kind, s) for kind, s in att.by_kind.items()]
        table = make_table(
            [header, *rows, _stats_row("合计", att.total)],
            widths,
            align=right,
            extra=[("BACKGROUND", (0, -1), (-1, -1), HexColor("#f3e9e7"))],
        )
        out.append(KeepTogether([P("按类型：", "label"), table]))
    else:
        out.append(P("本期没有组织生活记录。", "body"))
    months = list(model.months)
    mrows = [_stats_row(f"{m}月", att.by_month.get(m, AttendanceStats())) for m in months]
    table = make_table([["月份", *header[1:]], *mrows], widths, align=right)
    out += [Spacer(1, 3 * MM), KeepTogether([P("按月份：", "label"), table])]
    if att.by_kind:
        rates = [att.by_month.get(m, AttendanceStats()).rate_permille for m in months]
        out += [Spacer(1, 3 * MM), attendance_chart(months, rates)]
    return out


def dues_words(model: PeriodModel) -> str:
    """The dues paragraph: each amount under its glossary word."""
    d = model.dues
    t = d.total
    year = model.period.kind == "year"
    due = f"应缴合计 {format_yuan(t.due_year)}" if year else f"本期应缴 {format_yuan(t.due)}"
    para = f"期内党员 {t.members} 名，{due}"
    if d.through_label:
        para += f"，其中{d.through_label}应缴 {format_yuan(t.due_ended)}"
    para += f"；实缴 {format_yuan(t.paid)}，欠缴 {format_yuan(t.arrears)}"
    if t.collecting:
        para += f"，待缴（当月正在收缴）{format_yuan(t.collecting)}"
    if t.pending:
        para += f"，未到期 {format_yuan(t.pending)}"
    if t.extra:
        para += f"，多交（含预交、自愿多交）{format_yuan(t.extra)}"
    if t.rate_permille is not None:
        para += f"；收缴率 {percent(t.rate_permille)}"
    para += f"；有欠缴月份的党员 {t.in_arrears} 名。"
    if not year:
        para += f"全年应缴合计 {format_yuan(t.due_year)}。"
    if t.unset:
        para += f"另有 {t.unset} 名党员尚未核定缴费基数或月缴金额，其应缴未计入。"
    return para


def dues_summary(model: PeriodModel) -> list[Flowable]:
    d = model.dues
    months = list(model.months)
    t = d.total
    running = bool(t.collecting or t.pending)
    header = ["月份", "应缴（元）", "实缴（元）", "欠缴（元）"]
    header += ["待缴（元）", "未到期（元）"] if running else []
    header += ["多交（元）", "欠缴人数"]

    def amounts(due, paid, short, collecting, pending, extra) -> list[str]:
        out = [format_fen(due), format_fen(paid), format_fen(short)]
        out += [format_fen(collecting), format_fen(pending)] if running else []
        return out + [format_fen(extra)]

    rows = []
    for m in months:
        mt = d.month(m)
        rows.append(
            [
                f"{m}月",
                *amounts(
                    mt.due_fen,
                    mt.paid_fen,
                    mt.short_fen,
                    mt.collecting_fen,
                    mt.pending_fen,
                    mt.extra_fen,
                ),
                str(mt.unpaid_count),
            ]
        )
    rows.append(
        [
            "合计",
            *amounts(t.due, t.paid, t.arrears, t.collecting, t.pending, t.extra),
            str(t.in_arrears),
        ]
    )
    n = len(header) - 1
    widths = [18 * MM] + [(FRAME_W - 18 * MM) / n] * n
    table = make_table(
        [header, *rows],
        widths,
        align=[(i, "RIGHT") for i in range(1, n + 1)],
        extra=[("BACKGROUND", (0, -1), (-1, -1), HexColor("#f3e9e7"))],
    )
    out: list[Flowable] = [KeepTogether([P(dues_words(model), "body"), Spacer(1, 2 * MM), table])]
    if t.due or t.paid:  # an empty chart says nothing
        out += [
            Spacer(1, 3 * MM),
            dues_chart(
                months, [d.month(m).due_fen for m in months], [d.month(m).paid_fen for m in months]
            ),
        ]
    return out


def volunteer_words(model: PeriodModel) -> str:
    v = model.volunteer
    para = f"本期志愿服务 {v.count} 人次，参加党员 {v.people} 名，累计 {format_hours(v.half_hours)} 小时"
    if v.average_hours is not None:
        para += f"，人均 {v.average_hours} 小时"
    return para + f"；期内在职党员 {len(v.expected)} 名中，{len(v.idle)} 名本期没有服务记录。"


def overview(model: PeriodModel, num: str, key: str) -> list[Flowable]:
    out: list[Flowable] = [section_heading(key, num)]
    parts = [
        ("党员情况", _members_part(model)),
        ("三会一课及组织生活开展情况", compliance_grid(model)),
        ("出席情况", attendance_part(model)),
        ("党费收缴情况", dues_summary(model)),
        ("志愿服务情况", [P(volunteer_words(model), "body")]),
    ]
    for i, (name, flow) in enumerate(parts):
        out += h2(f"{SUB[i]}{name}", key=f"{key}.{i}", level=1)
        out += flow
    return out
