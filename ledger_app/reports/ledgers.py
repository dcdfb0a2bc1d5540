"""四、党费收缴 and 五、志愿服务: members × months tables, per-group totals, the detail list."""

from __future__ import annotations

from collections import defaultdict

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    Flowable,
    Spacer,
)

from ..domain.dates import format_date
from ..domain.dues import (
    MONTH_NOT_DUE,
    MONTH_NOT_OWED,
    MONTH_SHORT,
    MONTH_UNPAID,
    format_months,
    format_rate,
)
from ..domain.models import (
    Member,
)
from ..domain.money import format_fen
from ..domain.volunteer import EXPECTED_CATEGORIES, format_hours
from .common import (
    SUB,
    clip,
    h2,
    section_heading,
)
from .data import ReportData
from .overview import volunteer_summary
from .styles import FRAME_W, GREY, MM, RED, P, make_table
from .tables import PagedTable, TextCell


def dues(data: ReportData, num: str, key: str) -> list[Flowable]:
    dy = data.dues
    months = data.months()
    begun = set(data.due_months())  # months to come owe nothing yet
    out: list[Flowable] = [
        section_heading(key, num),
        P(
            f"{data.period.year}年党费按中组部《关于中国共产党党费收缴、使用和管理的规定》收缴，"
            "金额单位为元。",
            "body",
        ),
        Spacer(1, 2 * MM),
    ]
    # per group
    out += h2(f"{SUB[0]}分党小组汇总", key=f"{key}.groups")
    grows = []
    totals = [0, 0, 0, 0, 0]
    by_group: dict[str, list] = {}
    for md in dy.members:
        if not any(m in months for m in md.owed_months) and not any(
            md.paid_by_month.get(m) for m in months
        ):
            continue
        g = by_group.setdefault(md.group or "未分组", [0, 0, 0, 0, 0])
        due = sum(md.month_due(m) for m in months if m in begun)
        paid = sum(md.paid_by_month.get(m, 0) for m in months)
        g[0] += 1
        g[1] += due
        g[2] += paid
        g[3] += sum(
            max(md.month_due(m) - md.paid_by_month.get(m, 0), 0) for m in months if m in begun
        )
        g[4] += 1 if any(m in md.unpaid_months for m in begun) else 0
    order = [g.name for g in data.groups if g.name in by_group] + sorted(
        k for k in by_group if k not in {g.name for g in data.groups}
    )
    for name in order:
        g = by_group[name]
        grows.append(
            [name, str(g[0]), format_fen(g[1]), format_fen(g[2]), format_fen(g[3]), str(g[4])]
        )
        totals = [a + b for a, b in zip(totals, g)]
    grows.append(
        [
            "合计",
            str(totals[0]),
            format_fen(totals[1]),
            format_fen(totals[2]),
            format_fen(totals[3]),
            str(totals[4]),
        ]
    )
    widths = [40 * MM] + [(FRAME_W - 40 * MM) / 5] * 5
    out.append(
        make_table(
            [["党小组", "人数", "应缴", "实缴", "欠缴", "欠缴人数"], *grows],
            widths,
            align=[(i, "RIGHT") for i in range(1, 6)],
            extra=[("BACKGROUND", (0, -1), (-1, -1), HexColor("#f3e9e7"))],
        )
    )

    # members × months
    out += h2(f"{SUB[1]}党员逐月缴纳情况", key=f"{key}.members")
    out.append(
        P(
            "格内为当月实缴金额；“未缴”为应缴未缴，“不足”后为少缴的实缴额，"
            "“·”为不需缴纳（尚未入党、转入或已转出）。",
            "note",
        )
    )
    out.append(Spacer(1, 1.5 * MM))
    year = len(months) == 12
    fs = 6.6 if year else 8
    head = (
        ["序号", "姓名", "月应缴"]
        + [f"{m}月" for m in months]
        + ["应缴合计", "实缴合计", "欠缴月份"]
    )
    if year:
        fixed = [7 * MM, 14 * MM, 11 * MM]
        tail = [13 * MM, 13 * MM, 14 * MM]
    else:
        fixed = [10 * MM, 22 * MM, 18 * MM]
        tail = [20 * MM, 20 * MM, 24 * MM]
    mw = (FRAME_W - sum(fixed) - sum(tail)) / len(months)
    widths = fixed + [mw] * len(months) + tail
    body = []
    flags: list[list[tuple[int, str]]] = []
    n = 0
    for md in dy.members:
        if not any(m in md.owed_months for m in months) and not any(
            md.paid_by_month.get(m) for m in months
        ):
            continue
        n += 1
        row = [
            str(n),
            md.name,
            format_fen(md.monthly_due_fen) if md.monthly_due_fen is not None else "未核定",
        ]
        marks: list[tuple[int, str]] = []
        for i, m in enumerate(months):
            state = md.month_state(m)
            paid = md.paid_by_month.get(m, 0)
            col = 3 + i
            if (state == MONTH_UNPAID and m not in begun) or (state == MONTH_NOT_DUE and not paid):
                row.append("")  # not yet due
            elif state == MONTH_UNPAID:
                row.append("未缴")
                marks.append((col, RED))
            elif state == MONTH_NOT_OWED and not paid:
                row.append("·")
                marks.append((col, GREY))
            elif state == MONTH_SHORT:
                row.append(format_fen(paid))
                marks.append((col, "#c77700"))
            else:
                row.append(format_fen(paid) if paid else "0.00")
        unpaid = [m for m in md.unpaid_months if m in begun]
        row += [
            format_fen(sum(md.month_due(m) for m in months if m in begun)),
            format_fen(sum(md.paid_by_month.get(m, 0) for m in months)),
            format_months(unpaid) if unpaid else "",
        ]
        if unpaid:
            marks.append((len(row) - 1, RED))
        body.append(row)
        flags.append(marks)
    foot = (
        ["", "合计", ""]
        + [format_fen(dy.by_month[m].paid_fen) for m in months]
        + [
            format_fen(sum(dy.by_month[m].due_fen for m in months if m in begun)),
            format_fen(sum(dy.by_month[m].paid_fen for m in months)),
            "",
        ]
    )

    def row_styles(i: int, row: list) -> list:
        return [("TEXTCOLOR", (c, 0), (c, 0), HexColor(color)) for c, color in flags[i]]

    align = [(0, "CENTER")] + [(c, "RIGHT") for c in range(2, 3 + len(months) + 2)]
    out.append(
        PagedTable([head], body, widths, fs, align=align, row_styles=row_styles, footer=[foot])
    )

    # the year's terms: base and rate
    rates = [md for md in dy.members if md.base_fen is not None or md.fixed]
    if rates and year:
        out += h2(f"{SUB[2]}缴费基数与比例", key=f"{key}.bases")
        head = ["序号", "姓名", "人员类别", "月缴费基数", "比例", "月应缴", "备注"]
        rows = []
        for i, md in enumerate(dy.members, 1):
            note = ""
            if md.setting is not None:
                note = md.setting.note or ""
                if md.setting.reduction:
                    note = f"{md.setting.reduction}（{md.setting.approved_by or ''}批准）" + note
            rate = format_rate(md.rate_permille) if md.rate_permille else ""
            if not rate and md.fixed:
                s = md.setting
                rate = (s.reduction if s and s.reduction else None) or (
                    "约定月缴" if s and s.fixed_fen is not None else "定额"
                )
            rows.append(
                [
                    str(i),
                    md.name,
                    md.category,
                    format_fen(md.base_fen),
                    rate,
                    format_fen(md.monthly_due_fen) if md.monthly_due_fen is not None else "未核定",
                    TextCell(clip(note, 120), "cell_small"),
                ]
            )
        widths = [10 * MM, 20 * MM, 18 * MM, 24 * MM, 18 * MM, 20 * MM, 0]
        widths[6] = FRAME_W - sum(widths)
        out.append(
            PagedTable(
                [head],
                rows,
                widths,
                8,
                align=[(0, "CENTER"), (3, "RIGHT"), (4, "CENTER"), (5, "RIGHT")],
                row_styles=lambda i, row: (
                    [("TEXTCOLOR", (5, 0), (5, 0), HexColor(RED))] if row[5] == "未核定" else []
                ),
            )
        )
    return out


# --- volunteer ----------------------------------------------------------------------------


def volunteer(data: ReportData, num: str, key: str) -> list[Flowable]:
    months = data.months()
    ended = {p.index for p in data.period.months() if p.has_ended(data.today)}
    entries = data.volunteer
    out: list[Flowable] = [
        section_heading(key, num),
        *volunteer_summary(data),
        Spacer(1, 2 * MM),
        *h2(f"{SUB[0]}党员逐月服务时长（小时）", key=f"{key}.grid"),
    ]
    per: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for e in entries:
        cell = per[e.member_id][e.date.month]
        cell[0] += 1
        cell[1] += e.half_hours
    year = len(months) == 12
    head = ["序号", "姓名", "人员类别"] + [f"{m}月" for m in months] + ["次数", "合计"]
    fixed = [8 * MM, 16 * MM, 14 * MM] if year else [10 * MM, 24 * MM, 20 * MM]
    tail = [10 * MM, 12 * MM] if year else [16 * MM, 18 * MM]
    mw = (FRAME_W - sum(fixed) - sum(tail)) / len(months)
    body = []
    flags = []
    for i, m in enumerate(_volunteer_members(data), 1):
        cells = per.get(m.id, {})  # type: ignore[arg-type]
        row = [str(i), m.name, m.category]
        marks = []
        for j, mo in enumerate(months):
            c = cells.get(mo)
            row.append(format_hours(c[1]) if c else "")
            if (
                not c
                and m.category in EXPECTED_CATEGORIES
                and data.volunteer_min > 0
                and mo in ended
                and _belongs_in_month(m, data.period.year, mo)
            ):
                marks.append(3 + j)
        times = sum(c[0] for c in cells.values())
        row += [
            str(times) if times else "",
            format_hours(sum(c[1] for c in cells.values())) if times else "",
        ]
        body.append(row)
        flags.append(marks)
    month_tot = [sum(e.half_hours for e in entries if e.date.month == mo) for mo in months]
    foot = (
        ["", "合计", ""]
        + [format_hours(h) if h else "" for h in month_tot]
        + [str(len(entries)), format_hours(sum(month_tot))]
    )

    def row_styles(i: int, row: list) -> list:
        return [("BACKGROUND", (c, 0), (c, 0), HexColor("#fbeeec")) for c in flags[i]]

    out.append(
        P(
            f"浅红格：在职党员在已过去的月份里没有服务记录（本支部要求每月至少 {data.volunteer_min} 次）。",
            "note",
        )
    )
    out.append(Spacer(1, 1.5 * MM))
    out.append(
        PagedTable(
            [head],
            body,
            fixed + [mw] * len(months) + tail,
            7 if year else 8.5,
            align=[(0, "CENTER")] + [(c, "RIGHT") for c in range(3, len(head))],
            row_styles=row_styles,
            footer=[foot],
        )
    )

    out += h2(f"{SUB[1]}服务明细（{len(entries)} 人次）", key=f"{key}.detail")
    if entries:
        head = ["序号", "日期", "姓名", "服务项目", "地点/社区", "时长", "证明人"]
        rows = [
            [
                str(i),
                format_date(e.date),
                TextCell(e.member_name),
                TextCell(clip(e.project)),
                TextCell(clip(e.place, 40)),
                format_hours(e.half_hours),
                TextCell(clip(e.witness, 30)),
            ]
            for i, e in enumerate(entries, 1)
        ]
        widths = [10 * MM, 19 * MM, 17 * MM, 0, 34 * MM, 11 * MM, 28 * MM]
        widths[3] = FRAME_W - sum(widths)
        out.append(PagedTable([head], rows, widths, 8, align=[(0, "CENTER"), (5, "RIGHT")]))
    else:
        out.append(P("本期没有志愿服务记录。", "body"))
    return out


def _volunteer_members(data: ReportData) -> list[Member]:
    served = {e.member_id for e in data.volunteer}
    return [m for m in data.members if m.category in EXPECTED_CATEGORIES or m.id in served]


def _belongs_in_month(m: Member, year: int, month: int) -> bool:
    from ..domain.dues import owed_months

    return month in owed_months(m, year)
