"""Paper before and after a meeting (issue 18): one record printed as a page of the
三会一课记录本 (A4, signature lines), and a blank 签到表 for a planned meeting with the
expected members' names — printed, signed, scanned and attached to the record afterwards.

Rendered from plain values handed in by ``services.printing`` (never reads the ledger).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..domain.dates import format_date_cn
from ..domain.models import ATTEND_ABSENT, ATTEND_LEAVE, ATTEND_PRESENT, THEME_DAY, Record
from .fonts import FONT, register_font
from .styles import FRAME_W, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, MM, PAGE_H, PAGE_W, P, text

GRID = HexColor("#555555")
LABEL_BG = HexColor("#f3e9e7")
SIGN_ROW = 9 * MM


@dataclass
class BookPage:
    """What a 记录本 page prints: the record with its attendance worked out."""

    branch: str
    record: Record
    expected: int  # 应到
    present: list[str]  # names
    leave: list[tuple[str, str | None]]  # (name, reason)
    absent: list[str]
    extra: list[str] = field(default_factory=list)  # members present who were not expected
    votes: list[str] = field(default_factory=list)  # lines, with the 过半数 verdict


@dataclass
class SignSheet:
    """A blank 签到表: the planned meeting and who is expected."""

    branch: str
    record: Record
    members: list[tuple[str, str]]  # (name, 党小组)
    guest_rows: int = 4  # blank lines for 列席人员


def _doc(path: Path, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        str(path),
        pagesize=(PAGE_W, PAGE_H),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP - 6 * MM,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author="支部台账",
        creator="支部台账",
        initialFontName=FONT,
    )


def _footer(note: str):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(HexColor("#6b6b6b"))
        canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 8 * MM, note)
        canvas.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 8 * MM, f"第 {doc.page} 页")
        canvas.restoreState()

    return draw


def _grid(rows: list[list], widths: list[float], label_cols: Sequence[int] = (0,)) -> Table:
    t = Table(rows, colWidths=widths, hAlign="LEFT", splitInRow=1)
    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
    ]
    for i, row in enumerate(rows):
        spanned = len(row) == 4 and row[2] == "" and row[3] == ""
        if spanned:
            cmds.append(("SPAN", (1, i), (3, i)))
        for c in label_cols:
            if not (spanned and c > 0):
                cmds.append(("BACKGROUND", (c, i), (c, i), LABEL_BG))
    t.setStyle(TableStyle(cmds))
    return t


def _cell(value: str | None, blank: str = "") -> Flowable:
    return P(value if value and str(value).strip() else blank, "cell")


def _label(value: str) -> Flowable:
    return P(value, "label")


def _names(names: Sequence[str]) -> str:
    return "、".join(names) if names else "无"


def _when(r: Record) -> str:
    return format_date_cn(r.date) + (f" {r.time}" if r.time else "")


def book_story(page: BookPage) -> list[Flowable]:
    """The flowables of one 记录本 page (the minutes flow on when they are long)."""
    register_font()
    r = page.record
    what = r.kind + (f"（{r.group_name}）" if r.group_name else "")
    out: list[Flowable] = [
        P(f"{page.branch}", "cover_note"),
        P(f"{what}记录", "cover_sub"),
        Spacer(1, 3 * MM),
    ]
    lw, vw = 22 * MM, (FRAME_W - 44 * MM) / 2
    rows: list[list] = [
        [_label("时间"), _cell(_when(r)), _label("地点"), _cell(r.place)],
    ]
    if r.kind == THEME_DAY:
        rows.append([_label("组织人"), _cell(r.organizer), _label("活动形式"), _cell(r.form)])
    else:
        rows.append([_label("主持人"), _cell(r.host), _label("记录人"), _cell(r.recorder)])
    if r.kind == "党课":
        rows.append([_label("授课人"), _cell(r.lecturer), "", ""])
    rows.append([_label("议题" if r.kind != THEME_DAY else "主题"), _cell(r.topic), "", ""])
    leave = [f"{n}（{why}）" if why else n for n, why in page.leave]
    counts = (
        f"应到 {page.expected} 人，实到 {len(page.present)} 人，"
        f"请假 {len(page.leave)} 人，缺席 {len(page.absent)} 人"
    )
    rows += [
        [_label("到会情况"), _cell(counts), "", ""],
        [_label("出席人员"), _cell(_names(page.present)), "", ""],
        [_label("请假人员"), _cell(_names(leave)), "", ""],
        [_label("缺席人员"), _cell(_names(page.absent)), "", ""],
    ]
    guests = [x for x in (*page.extra, r.guests or "") if x]
    rows.append([_label("列席人员"), _cell("、".join(guests), "无"), "", ""])
    out.append(_grid(rows, [lw, vw, lw, vw], label_cols=(0, 2)))
    out.append(Spacer(1, 4 * MM))
    label = "活动内容" if r.kind == THEME_DAY else "主要内容"
    out.append(P(f"<b>{label}</b>", "h3", markup=True))
    body = (r.content or "").strip()
    if body:
        for para in body.split("\n"):
            out.append(P(para or " ", "minutes"))
    else:
        out += [Spacer(1, 60 * MM)]  # room to write the minutes by hand
    if r.decisions or r.kind in ("支部党员大会", "支委会", "党小组会", "党课"):
        out.append(P("<b>决议事项</b>", "h3", markup=True))
        out.append(P(text(r.decisions) if r.decisions else "无", "minutes", markup=True))
    if page.votes:
        out.append(P("<b>表决情况</b>", "h3", markup=True))
        for line in page.votes:
            out.append(P(line, "minutes"))
    out.append(Spacer(1, 8 * MM))
    first = "组织人" if r.kind == THEME_DAY else "主持人"
    line = "＿" * 9
    sign = Table(
        [
            [P(f"{first}（签字）：{line}", "sign"), P(f"记录人（签字）：{line}", "sign")],
            [P(f"日期：{'＿' * 9}", "sign"), P(f"日期：{'＿' * 9}", "sign")],
        ],
        colWidths=[FRAME_W / 2] * 2,
        hAlign="LEFT",
    )
    sign.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("TOPPADDING", (0, 0), (-1, -1), 8)])
    )
    out.append(KeepTogether([sign]))
    return out


def sign_story(sheet: SignSheet) -> list[Flowable]:
    """The flowables of a blank 签到表."""
    register_font()
    r = sheet.record
    what = r.kind + (f"（{r.group_name}）" if r.group_name else "")
    out: list[Flowable] = [
        P(f"{sheet.branch}", "cover_note"),
        P(f"{what}签到表", "cover_sub"),
        Spacer(1, 3 * MM),
    ]
    lw, vw = 20 * MM, (FRAME_W - 40 * MM) / 2
    info = [
        [_label("时间"), _cell(_when(r)), _label("地点"), _cell(r.place)],
        [_label("议题" if r.kind != THEME_DAY else "主题"), _cell(r.topic), "", ""],
        [_label("主持人"), _cell(r.organizer if r.kind == THEME_DAY else r.host), "", ""],
    ]
    out += [_grid(info, [lw, vw, lw, vw], label_cols=(0, 2)), Spacer(1, 4 * MM)]
    members = sheet.members
    two_up = len(members) > 20
    header = ["序号", "姓名", "签到", "备注"]
    if two_up:
        half = (len(members) + 1) // 2
        rows = [header + header]
        for i in range(half):
            left = _sign_row(i, members[i])
            right = _sign_row(half + i, members[half + i]) if half + i < len(members) else [""] * 4
            rows.append(left + right)
        w = FRAME_W / 2
        widths = [9 * MM, 20 * MM, w - 9 * MM - 20 * MM - 16 * MM, 16 * MM] * 2
    else:
        rows = [header] + [_sign_row(i, m) for i, m in enumerate(members)]
        widths = [12 * MM, 30 * MM, FRAME_W - 12 * MM - 30 * MM - 40 * MM, 40 * MM]
    t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", rowHeights=SIGN_ROW)
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
                ("BACKGROUND", (0, 0), (-1, 0), LABEL_BG),
            ]
            + ([("ALIGN", (4, 1), (4, -1), "CENTER")] if two_up else [])
        )
    )
    out.append(t)
    out.append(Spacer(1, 3 * MM))
    out.append(
        P(
            f"应到 {len(members)} 人，实到＿＿＿人，请假＿＿＿人（原因写在备注栏），缺席＿＿＿人。",
            "body",
        )
    )
    if sheet.guest_rows:
        out.append(Spacer(1, 4 * MM))
        heading = P("<b>列席人员签到</b>", "h3", markup=True)
        g = [["姓名", "单位、职务", "签到"]] + [["", "", ""] for _ in range(sheet.guest_rows)]
        gt = Table(
            g, colWidths=[36 * MM, FRAME_W - 36 * MM - 50 * MM, 50 * MM], rowHeights=SIGN_ROW
        )
        gt.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                    ("BACKGROUND", (0, 0), (-1, 0), LABEL_BG),
                ]
            )
        )
        out.append(KeepTogether([heading, gt]))
    out.append(Spacer(1, 6 * MM))
    out.append(P(f"记录人（签字）：{'＿' * 9}　　　主持人（签字）：{'＿' * 9}", "sign"))
    return out


def _sign_row(i: int, member: tuple[str, str]) -> list:
    return [str(i + 1), member[0], "", ""]


def write_book_page(page: BookPage, path: Path) -> None:
    r = page.record
    doc = _doc(path, f"{page.branch}{format_date_cn(r.date)}{r.kind}记录")
    note = f"{page.branch} · 三会一课记录本 · {format_date_cn(r.date)} {r.kind}"
    doc.build(book_story(page), onFirstPage=_footer(note), onLaterPages=_footer(note))


def write_sign_sheet(sheet: SignSheet, path: Path) -> None:
    r = sheet.record
    doc = _doc(path, f"{sheet.branch}{format_date_cn(r.date)}{r.kind}签到表")
    note = f"{sheet.branch} · 签到表 · 会后扫描，作为附件存入该次记录"
    doc.build(sign_story(sheet), onFirstPage=_footer(note), onLaterPages=_footer(note))


def attendance_names(summary) -> tuple[list[str], list[tuple[str, str | None]], list[str]]:
    """(出席, 请假 with reasons, 缺席) names of an AttendanceSummary."""
    present = [a.name or "" for a in summary.of(ATTEND_PRESENT)]
    leave = [(a.name or "", a.reason) for a in summary.of(ATTEND_LEAVE)]
    absent = [a.name or "" for a in summary.of(ATTEND_ABSENT)]
    return present, leave, absent
