"""一、基本情况: roster, compliance grid, attendance, dues and volunteer summaries, charts."""

from __future__ import annotations

from collections import defaultdict

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from ..domain.compliance import HELD, MISSING, NOT_DUE, NOT_REQUIRED
from ..domain.dates import format_date_cn
from ..domain.models import (
    RECORD_KINDS,
)
from ..domain.money import format_fen, format_yuan
from ..domain.volunteer import EXPECTED_CATEGORIES, format_hours
from .charts import attendance_chart, dues_chart
from .common import (
    LIGHT_GREEN,
    LIGHT_RED,
    SUB,
    h2,
    md,
    percent,
    section_heading,
)
from .data import AttendanceStats, ReportData, category_counts
from .fonts import FONT
from .styles import FRAME_W, MM, P, make_table


def _count_table(title: str, pairs: list[tuple[str, int]], width: float) -> Table:
    total = sum(n for _, n in pairs)
    rows = [[title, "人数"]] + [[k, str(n)] for k, n in pairs] + [["合计", str(total)]]
    return make_table(
        rows,
        [width - 18 * MM, 18 * MM],
        align=[(1, "RIGHT")],
        extra=[("BACKGROUND", (0, -1), (-1, -1), HexColor("#f3e9e7"))],
    )


def _members_part(data: ReportData) -> list[Flowable]:
    on_roll = data.on_roll
    formal = sum(1 for m in on_roll if m.is_full_member_on(data.as_of))
    prob = len(on_roll) - formal
    para = (
        f"截至{format_date_cn(data.as_of)}，支部在册党员 {len(on_roll)} 名，其中正式党员 "
        f"{formal} 名、预备党员 {prob} 名。"
    )
    if data.joined or data.left:
        para += f"本期新增（发展、转入）{len(data.joined)} 名，减少（转出、去世等）{len(data.left)} 名。"
    committee = [m for m in on_roll if m.is_committee]
    out: list[Flowable] = [P(para, "body"), Spacer(1, 3 * MM)]
    half = (FRAME_W - 8 * MM) / 2
    by_group = defaultdict(int)
    for m in on_roll:
        by_group[m.group_name or "未分组"] += 1
    group_pairs = [(g.name, by_group.pop(g.name, 0)) for g in data.groups]
    group_pairs += sorted(by_group.items())
    side = Table(
        [
            [
                _count_table("人员类别", category_counts(on_roll), half),
                _count_table("党小组", group_pairs, half),
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
                ("FONTNAME", (0, 0), (-1, -1), FONT),
            ]
        )
    )
    out.append(side)
    if committee:
        names = "；".join(f"{m.post} {m.name}" for m in committee)
        out += [Spacer(1, 3 * MM), P(f"支部委员会：{names}。", "body")]
    return out


def _board_rows(data: ReportData):
    """Board rows and the month columns the period shows (yearly rows only for a year)."""
    months = data.months()
    rows = []
    for row in data.board.rows:
        if row.period_kind == "year" and data.period.kind != "year":
            continue
        cells = [
            c
            for c in row.cells
            if c.period.start >= data.period.start and c.period.end <= data.period.end
        ]
        if cells:
            rows.append((row, cells))
    return months, rows


def compliance_grid(data: ReportData) -> list[Flowable]:
    months, rows = _board_rows(data)
    dates = {v.record.id: v.record.date for v in data.records}
    first_month = months[0]
    label_w = 36 * MM
    col_w = (FRAME_W - label_w) / len(months)
    small = "cell_small_center" if len(months) > 3 else "cell_center"
    header = ["项目"] + [f"{m}月" for m in months]
    body: list[list] = []
    cmds: list = []
    for r, (row, cells) in enumerate(rows, start=1):
        line: list = [P(row.label, "cell")] + [""] * len(months)
        for c in cells:
            c0 = c.period.start.month - first_month + 1
            c1 = c.period.end.month - first_month + 1
            held = sorted(dates[i] for i in c.record_ids if i in dates)
            if row.item == "谈心谈话":
                words = f"已谈 {c.held}/{c.required} 人" if c.required else "—"
            else:
                # a narrow month column stacks its dates; a quarter or year spans columns
                sep = "<br/>" if len(months) > 3 and c0 == c1 else "、"
                words = sep.join(md(d) for d in held)
            if c.status == MISSING:
                status = "缺" if not c.held else f"缺（{c.held}/{c.required}）"
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
    t = make_table(
        [header, *body],
        [label_w] + [col_w] * len(months),
        font_size=8,
        zebra=False,
        extra=cmds + [("ALIGN", (1, 1), (-1, -1), "CENTER")],
    )
    note = P(
        "格内为活动日期（月/日）；绿色为已按要求开展，红色“缺”为期间已结束而未开展或次数不足，"
        "“未到期”为期间尚未结束，“—”为不作要求（支部成立前、党小组当期无党员等）。"
        "结合主题党日召开的会议同时计入当月主题党日。",
        "note",
    )
    return [t, Spacer(1, 1.5 * MM), note]


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


def attendance_part(data: ReportData) -> list[Flowable]:
    header = ["类型", "次数", "应到人次", "实到人次", "请假人次", "缺席人次", "出席率"]
    widths = [40 * MM] + [(FRAME_W - 40 * MM) / 6] * 6
    total = AttendanceStats()
    rows = []
    for kind in [*RECORD_KINDS, *(k for k in data.by_kind if k not in RECORD_KINDS)]:
        s = data.by_kind.get(kind)
        if s:
            rows.append(_stats_row(kind, s))
            for f in ("records", "expected", "present", "leave", "absent"):
                setattr(total, f, getattr(total, f) + getattr(s, f))
    out: list[Flowable] = []
    if rows:
        out.append(
            KeepTogether(
                [
                    P("按类型：", "label"),
                    make_table(
                        [header, *rows, _stats_row("合计", total)],
                        widths,
                        align=[(i, "RIGHT") for i in range(1, 7)],
                        extra=[("BACKGROUND", (0, -1), (-1, -1), HexColor("#f3e9e7"))],
                    ),
                ]
            )
        )
    else:
        out.append(P("本期没有组织生活记录。", "body"))
    months = data.months()
    mrows = [_stats_row(f"{m}月", data.by_month.get(m, AttendanceStats())) for m in months]
    mhead = ["月份", *header[1:]]
    out += [
        Spacer(1, 3 * MM),
        KeepTogether(
            [
                P("按月份：", "label"),
                make_table([mhead, *mrows], widths, align=[(i, "RIGHT") for i in range(1, 7)]),
            ]
        ),
    ]
    if rows:
        rates = [data.by_month.get(m, AttendanceStats()).rate_permille for m in months]
        out += [Spacer(1, 3 * MM), attendance_chart(months, rates)]
    return out


def dues_summary(data: ReportData) -> list[Flowable]:
    months = data.due_months()
    if not months:
        return [P("本期尚未到缴费的月份。", "body")]
    dy = data.dues
    due = sum(dy.by_month[m].due_fen for m in months)
    paid = sum(dy.by_month[m].paid_fen for m in months)
    short = sum(dy.by_month[m].short_fen for m in months)
    extra = sum(dy.by_month[m].extra_fen for m in months)
    in_arrears = [m for m in dy.members if any(x in months for x in m.unpaid_months)]
    unset = [m for m in dy.members if m.unset and any(x in months for x in m.owed_months)]
    upto = f"（统计至{months[-1]}月）" if len(months) < len(data.months()) else ""
    para = (
        f"本期{upto}应缴党费 {format_yuan(due)}，实缴 {format_yuan(paid)}，欠缴 {format_yuan(short)}"
        + (f"，多交（含预交、自愿多交）{format_yuan(extra)}" if extra else "")
        + f"；有欠缴月份的党员 {len(in_arrears)} 名。"
    )
    if unset:
        para += f"另有 {len(unset)} 名党员尚未核定缴费基数或月缴金额，其应缴未计入。"
    header = ["月份", "应缴（元）", "实缴（元）", "欠缴（元）", "多交（元）", "未缴人数"]
    rows = [
        [
            f"{m}月",
            format_fen(dy.by_month[m].due_fen),
            format_fen(dy.by_month[m].paid_fen),
            format_fen(dy.by_month[m].short_fen),
            format_fen(dy.by_month[m].extra_fen),
            str(dy.by_month[m].unpaid_count),
        ]
        for m in months
    ]
    rows.append(
        ["合计", format_fen(due), format_fen(paid), format_fen(short), format_fen(extra), ""]
    )
    widths = [24 * MM] + [(FRAME_W - 24 * MM) / 5] * 5
    out: list[Flowable] = [
        P(para, "body"),
        Spacer(1, 2 * MM),
        KeepTogether(
            make_table(
                [header, *rows],
                widths,
                align=[(i, "RIGHT") for i in range(1, 6)],
                extra=[("BACKGROUND", (0, -1), (-1, -1), HexColor("#f3e9e7"))],
            )
        ),
    ]
    if due or paid:  # an empty chart says nothing
        out += [
            Spacer(1, 3 * MM),
            dues_chart(
                months,
                [dy.by_month[m].due_fen for m in months],
                [dy.by_month[m].paid_fen for m in months],
            ),
        ]
    return out


def volunteer_summary(data: ReportData) -> list[Flowable]:
    entries = data.volunteer
    people = {e.member_id for e in entries}
    hours = sum(e.half_hours for e in entries)
    expected = [m for m in data.members if m.category in EXPECTED_CATEGORIES]
    idle = [m for m in expected if m.id not in people]
    para = (
        f"本期志愿服务 {len(entries)} 人次，参加党员 {len(people)} 名，累计 {format_hours(hours)} 小时"
        + (f"，人均 {format_hours(hours // len(people))} 小时" if people else "")
        + f"；在职党员 {len(expected)} 名中，{len(idle)} 名本期没有服务记录。"
    )
    return [P(para, "body")]


def overview(data: ReportData, num: str, key: str) -> list[Flowable]:
    out: list[Flowable] = [section_heading(key, num)]
    parts = [
        ("党员情况", _members_part(data)),
        ("三会一课及组织生活开展情况", compliance_grid(data)),
        ("出席情况", attendance_part(data)),
        ("党费收缴情况", dues_summary(data)),
        ("志愿服务情况", volunteer_summary(data)),
    ]
    for i, (name, flow) in enumerate(parts):
        sub = f"{SUB[i]}{name}"
        brk, head = h2(sub, key=f"{key}.{i}", level=1)
        # the parts open with a short block: keep it under its heading
        out += [brk, KeepTogether([head, flow[0]]), *flow[1:]]
    return out
