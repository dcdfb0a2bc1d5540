"""四、党费收缴 and 五、志愿服务: members × months tables, per-group totals, the detail list.

The figures are the period model's (``model.dues``, ``model.volunteer``); amounts carry
the glossary's words: 应缴合计 (the year's due) for a year, 本期应缴 for a quarter.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer

from ..domain.dates import format_date
from ..domain.dues import (
    MONTH_COLLECTING,
    MONTH_NOT_DUE,
    MONTH_NOT_OWED,
    MONTH_SHORT,
    MONTH_UNPAID,
    format_months,
)
from ..domain.money import format_fen
from ..domain.period import DuesTotals, PeriodModel
from ..domain.volunteer import format_hours
from .common import SUB, clip, h2, section_heading
from .overview import volunteer_words
from .styles import FRAME_W, GREY, MM, RED, P
from .tables import PagedTable, TextCell, fit_widths

ORANGE = "#c77700"


def due_word(model: PeriodModel) -> str:
    """应缴合计 (a year: the year's due, the 党费 sheet's column) or 本期应缴 (a quarter)."""
    return "应缴合计" if model.period.kind == "year" else "本期应缴"


def due_of(model: PeriodModel, t: DuesTotals) -> int:
    return t.due_year if model.period.kind == "year" else t.due


def dues(model: PeriodModel, num: str, key: str) -> list[Flowable]:
    d = model.dues
    word = due_word(model)
    out: list[Flowable] = [
        section_heading(key, num),
        P(
            f"{model.year}年党费按中组部《关于中国共产党党费收缴、使用和管理的规定》收缴，"
            "金额单位为元。表中为期内党员（本期内至少有一天在册的党员）。",
            "body",
        ),
        Spacer(1, 2 * MM),
    ]
    # per group
    out += h2(f"{SUB[0]}分党小组汇总", key=f"{key}.groups")
    through = d.through_label
    head = ["党小组", "期内党员", word] + ([f"{through}应缴"] if through else [])
    head += ["实缴", "欠缴", "欠缴人数"]

    def group_row(name: str, t: DuesTotals) -> list[str]:
        row = [name, str(t.members), format_fen(due_of(model, t))]
        row += [format_fen(t.due_ended)] if through else []
        return row + [format_fen(t.paid), format_fen(t.arrears), str(t.in_arrears)]

    rows = [group_row(name, t) for name, t in d.by_group]
    n = len(head) - 1
    widths = [40 * MM] + [(FRAME_W - 40 * MM) / n] * n
    out.append(
        PagedTable(
            [head],
            rows,
            widths,
            align=[(i, "RIGHT") for i in range(1, n + 1)],
            footer=[group_row("合计", d.total)],
        )
    )
    out += _dues_grid(model, key)
    out += _dues_bases(model, key)
    return out


def _dues_grid(model: PeriodModel, key: str) -> list[Flowable]:
    d = model.dues
    months = list(model.months)
    out = h2(f"{SUB[1]}党员逐月缴纳情况", key=f"{key}.members")
    out.append(
        P(
            "格内为当月实缴金额；“未缴”为已结束的月份应缴未缴（欠缴），“待缴”为当月正在收缴，"
            "空白为未到期，橙色为少缴（格内为实缴额），“·”为不需缴纳（尚未入党、转入或已转出）。",
            "note",
        )
    )
    out.append(Spacer(1, 1.5 * MM))
    year = len(months) == 12
    fs, pad = (6.6, 2) if year else (8, 3)
    word = due_word(model)
    head = ["序号", "姓名", "月应缴"] + [f"{m}月" for m in months] + [word, "实缴合计", "欠缴月份"]
    body = []
    flags: list[list[tuple[int, str]]] = []
    for i, line in enumerate(d.lines, 1):
        md = line.md
        row: list = [
            str(i),
            TextCell(line.member.name),
            format_fen(md.monthly_due_fen) if md.monthly_due_fen is not None else "未核定",
        ]
        marks: list[tuple[int, str]] = []
        for j, m in enumerate(months):
            state = md.month_state(m)
            paid = md.paid_by_month.get(m, 0)
            col = 3 + j
            if state == MONTH_UNPAID:
                row.append("未缴")
                marks.append((col, RED))
            elif state == MONTH_COLLECTING:
                row.append("待缴")
                marks.append((col, GREY))
            elif state == MONTH_NOT_DUE:
                row.append("")
            elif state == MONTH_NOT_OWED and not paid:
                row.append("·")
                marks.append((col, GREY))
            elif state == MONTH_SHORT:
                row.append(format_fen(paid))
                marks.append((col, ORANGE))
            else:
                row.append(format_fen(paid) if paid else "0.00")
        t = line.totals
        row += [
            format_fen(due_of(model, t)),
            format_fen(t.paid),
            TextCell(format_months(line.unpaid) if line.unpaid else ""),
        ]
        if line.unpaid:
            marks.append((len(row) - 1, RED))
        body.append(row)
        flags.append(marks)
    total = d.total
    foot = (
        ["", "合计", ""]
        + [format_fen(d.month(m).paid_fen) for m in months]
        + [format_fen(due_of(model, total)), format_fen(total.paid), ""]
    )
    # names and months in arrears wrap; a year's twelve months take narrow padding
    flex = {1: 4 * fs + 2 * pad, len(head) - 1: 4 * fs + 2 * pad}
    widths, foot_size, foot_pad = fit_widths(
        head, body, foot, FRAME_W, fs, flex, pad, same=range(3, 3 + len(months))
    )

    def row_styles(i: int, row: list) -> list:
        return [("TEXTCOLOR", (c, 0), (c, 0), HexColor(color)) for c, color in flags[i]]

    align = [(0, "CENTER")] + [(c, "RIGHT") for c in range(2, 3 + len(months) + 2)]
    out.append(
        PagedTable(
            [head],
            body,
            widths,
            fs,
            align=align,
            row_styles=row_styles,
            footer=[foot],
            footer_size=foot_size,
            footer_pad=foot_pad,
            pad=pad,
        )
    )
    return out


def _dues_bases(model: PeriodModel, key: str) -> list[Flowable]:
    """The year's terms of each member: base, rate or what fixes the amount, monthly due."""
    lines = model.dues.lines
    if model.period.kind != "year" or not any(
        ln.md.base_fen is not None or ln.md.fixed for ln in lines
    ):
        return []
    out = h2(f"{SUB[2]}缴费基数与比例", key=f"{key}.bases")
    head = ["序号", "姓名", "人员类别", "月缴费基数", "比例", "月应缴", "备注"]
    rows = []
    for i, line in enumerate(lines, 1):
        md = line.md
        note = ""
        if md.setting is not None:
            note = md.setting.note or ""
            if md.setting.reduction:
                note = f"{md.setting.reduction}（{md.setting.approved_by or ''}批准）" + note
        rows.append(
            [
                str(i),
                TextCell(md.name),
                md.category,
                format_fen(md.base_fen),
                md.rate_text,
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


def volunteer(model: PeriodModel, num: str, key: str) -> list[Flowable]:
    v = model.volunteer
    months = list(model.months)
    out: list[Flowable] = [
        section_heading(key, num),
        P(volunteer_words(model), "body"),
        Spacer(1, 2 * MM),
        *h2(f"{SUB[0]}党员逐月服务时长（小时）", key=f"{key}.grid"),
    ]
    year = len(months) == 12
    fs, pad = (7, 2) if year else (8.5, 3)
    head = ["序号", "姓名", "人员类别"] + [f"{m}月" for m in months] + ["次数", "合计"]
    expected = {m.id for m in v.expected}
    served = set(v.by_member)
    people = [m for m in model.roster.in_period if m.id in expected or m.id in served]
    body = []
    flags = []
    for i, m in enumerate(people, 1):
        cells = v.by_member_month.get(m.id, {})  # type: ignore[arg-type]
        below = v.below.get(m.id, ())  # type: ignore[arg-type]
        row: list = [str(i), TextCell(m.name), m.category]
        marks = []
        for j, mo in enumerate(months):
            c = cells.get(mo)
            row.append(format_hours(c[1]) if c else "")
            if mo in below:
                marks.append(3 + j)
        times, half_hours = v.by_member.get(m.id, (0, 0))  # type: ignore[arg-type]
        row += [str(times) if times else "", format_hours(half_hours) if times else ""]
        body.append(row)
        flags.append(marks)
    foot = (
        ["", "合计", ""]
        + [format_hours(v.by_month[mo][1]) if v.by_month[mo][1] else "" for mo in months]
        + [str(v.count), format_hours(v.half_hours)]
    )

    def row_styles(i: int, row: list) -> list:
        return [("BACKGROUND", (c, 0), (c, 0), HexColor("#fbeeec")) for c in flags[i]]

    out.append(
        P(
            f"浅红格：在职党员在已过去的月份里服务少于本支部要求的每月 {v.min_per_month} 次。",
            "note",
        )
    )
    out.append(Spacer(1, 1.5 * MM))
    flex = {1: 4 * fs + 2 * pad}
    widths, foot_size, foot_pad = fit_widths(
        head, body, foot, FRAME_W, fs, flex, pad, same=range(3, 3 + len(months))
    )
    out.append(
        PagedTable(
            [head],
            body,
            widths,
            fs,
            align=[(0, "CENTER")] + [(c, "RIGHT") for c in range(3, len(head))],
            row_styles=row_styles,
            footer=[foot],
            footer_size=foot_size,
            footer_pad=foot_pad,
            pad=pad,
        )
    )

    out += h2(f"{SUB[1]}服务明细（{v.count} 人次）", key=f"{key}.detail")
    if v.entries:
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
            for i, e in enumerate(v.entries, 1)
        ]
        widths = [10 * MM, 19 * MM, 17 * MM, 0, 34 * MM, 11 * MM, 28 * MM]
        widths[3] = FRAME_W - sum(widths)
        out.append(PagedTable([head], rows, widths, 8, align=[(0, "CENTER"), (5, "RIGHT")]))
    else:
        out.append(P("本期没有志愿服务记录。", "body"))
    return out
