"""三、组织生活记录: a list with page numbers, then each record on its own page."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from ..domain.dates import format_date, format_date_cn
from ..domain.minutes import guest_count, vote_line, voters
from ..domain.models import (
    ATTEND_ABSENT,
    ATTEND_LEAVE,
    ATTEND_PRESENT,
    MEETING_KINDS,
    THEME_DAY,
)
from .common import (
    MISSING_MARK,
    clip,
    h2,
    para_block,
    percent,
    section_heading,
)
from .data import AttendanceStats, RecordView, ReportData
from .fonts import FONT
from .layout import Heading, OutlineOnly, PageRef, Separator
from .styles import FRAME_W, MM, RED, P, make_table, styles, text
from .tables import PagedTable, TextCell, plain_cells


def _field(value: str | None, required: bool) -> Flowable:
    if value and str(value).strip():
        return P(value, "cell")
    return P(MISSING_MARK if required else "—", "cell", markup=True)


LONG_FIELD = 300  # characters: a field this long is printed below the table, not in it


def _record_fields(v: RecordView) -> tuple[list[list], list[tuple[str, str]]]:
    """The table rows of a record's fields, and the fields too long for a table cell (a
    table row cannot be taller than a page) as (label, text) to print below it."""
    r = v.record
    s = v.summary
    miss = set(v.missing)
    pairs: list[tuple[str, Flowable]] = []
    below: list[tuple[str, str]] = []

    def add(label: str, value: str | None, column: str | None = None) -> None:
        if value and len(value) > LONG_FIELD:
            below.append((label, value))
            pairs.append((label, P("（内容较长，见下文）", "cell")))
            return
        pairs.append((label, _field(value, (column or label) in miss)))

    when = format_date_cn(r.date) + (f" {r.time}" if r.time else "")
    pairs.append(("类型", P(r.kind, "cell")))
    pairs.append(("时间", P(when, "cell")))
    if r.kind in MEETING_KINDS:
        add("议题", r.topic)
        add("地点", r.place)
        if r.kind == "党小组会":
            add("党小组", r.group_name)
        add("主持人", r.host)
        add("记录人", r.recorder)
        if r.kind == "党课":
            add("授课人", r.lecturer)
        pairs.append(("结合主题党日", P("是" if r.also_theme_day else "否", "cell")))
    elif r.kind == THEME_DAY:
        add("主题", r.topic)
        add("活动形式", r.form)
        add("地点", r.place)
        add("组织人", r.organizer)
    else:
        add("主题", r.topic)
        add("地点", r.place)
        add("主持人", r.host)
        add("记录人", r.recorder)
    counts = (
        f"应到 {s.expected_count} 人，实到 {s.present_count} 人，请假 {s.leave_count} 人，"
        f"缺席 {s.absent_count} 人"
    )
    if s.expected_count:
        counts += f"（出席率 {percent(AttendanceStats(1, s.expected_count, s.present_count).rate_permille)}）"
    pairs.append(("到会情况", P(counts, "cell")))
    # long values get a whole row; short ones pair up
    rows: list[list] = []
    pending: list = []
    for label, value in pairs:
        long = label in ("议题", "主题", "到会情况") or (
            hasattr(value, "text") and len(getattr(value, "text", "")) > 18
        )
        if long:
            if pending:
                rows.append(pending + ["", ""])
                pending = []
            rows.append([TextCell(label, "label"), value, "", ""])
        else:
            pending += [TextCell(label, "label"), value]
            if len(pending) == 4:
                rows.append(pending)
                pending = []
    if pending:
        rows.append(pending + ["", ""])
    return rows, below


def _fields_table(rows: list[list]) -> Table:
    lw = 24 * MM
    vw = (FRAME_W - 2 * lw) / 2
    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.4, HexColor("#9a8f8d")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), HexColor("#f3e9e7")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    for i, row in enumerate(rows):
        if row[2] == "" and row[3] == "":
            cmds.append(("SPAN", (1, i), (3, i)))
        else:
            cmds.append(("BACKGROUND", (2, i), (2, i), HexColor("#f3e9e7")))
    widths = [lw, vw, lw, vw]
    rows, lines = plain_cells(rows, widths, pad_h=6 + 6)  # reportlab's default padding
    t = Table(rows, colWidths=widths, hAlign="LEFT")
    t.setStyle(TableStyle(cmds + lines))
    return t


def _names(entries, with_reason: bool = False) -> str:
    if not entries:
        return "无"
    if with_reason:
        return "、".join(f"{a.name}（{a.reason}）" if a.reason else f"{a.name}" for a in entries)
    return "、".join(a.name or "" for a in entries)


def _attendance_table(v: RecordView) -> Table:
    s = v.summary
    present = s.of(ATTEND_PRESENT)
    leave = s.of(ATTEND_LEAVE)
    absent = s.of(ATTEND_ABSENT)
    rows = [
        [P(f"出席（{len(present)}人）", "label"), P(_names(present), "cell")],
        [P(f"请假（{len(leave)}人）", "label"), P(_names(leave, True), "cell")],
        [P(f"缺席（{len(absent)}人）", "label"), P(_names(absent), "cell")],
    ]
    guests = v.record.guests  # 列席人员 who are not members (issue 18)
    if s.extra or guests:
        names = "、".join(x for x in (_names(s.extra, True) if s.extra else "", guests) if x)
        n = len(s.extra) + guest_count(guests)
        rows.append([P(f"列席（{n}人）", "label"), P(names, "cell")])
    # splitInRow: the names of 300 members on leave, each with a reason, may fill a page
    t = Table(rows, colWidths=[24 * MM, FRAME_W - 24 * MM], hAlign="LEFT", splitInRow=1)
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.4, HexColor("#9a8f8d")),
                ("BACKGROUND", (0, 0), (0, -1), HexColor("#f3e9e7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ]
        )
    )
    return t


def _photos(ledger, v: RecordView) -> list[Flowable]:
    """Image attachments scaled two to a row; other files listed by name."""
    images: list[Flowable] = []
    others: list[str] = []
    cell_w = (FRAME_W - 6 * MM) / 2
    max_h = 62 * MM
    for att in v.attachments:
        is_image = (att.mime or "").startswith("image/") or att.filename.lower().endswith(
            (".jpg", ".jpeg", ".png", ".gif", ".bmp")
        )
        if not is_image:
            others.append(att.filename)
            continue
        data = ledger.repo.attachment_data(att.id) if att.id is not None else None
        try:
            img_bytes, w, h = _scaled_photo(data or b"", cell_w, max_h)
        except Exception:  # a damaged or unsupported image must not stop the export
            others.append(f"{att.filename}（无法显示）")
            continue
        img = Image(io.BytesIO(img_bytes), width=w, height=h)
        caption = att.caption or att.filename
        images.append([img, P(caption, "cell_small_center")])
    out: list[Flowable] = []
    if images:
        out.append(P("<b>活动照片及附件</b>", "h3", markup=True))
        rows = [
            images[i : i + 2] + [""] * (2 - len(images[i : i + 2]))
            for i in range(0, len(images), 2)
        ]
        t = Table(rows, colWidths=[cell_w + 3 * MM] * 2, hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        out.append(t)
    if others:
        out.append(P("其他附件：" + "、".join(others), "note"))
    return out


PHOTO_DPI = 200  # enough for a printed photo; keeps a year's PDF small enough to mail


def _scaled_photo(data: bytes, max_w: float, max_h: float) -> tuple[bytes, float, float]:
    """The photo fitted into max_w × max_h points, re-encoded at about 200 dpi: phone
    photos of several MB would otherwise make a PDF too big to mail."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    with PILImage.open(io.BytesIO(data)) as im:
        # decode a big JPEG at a fraction of its size (either orientation): much faster
        side = int(max(max_w, max_h) / 72 * PHOTO_DPI) + 1
        im.draft("RGB", (side, side))
        im = ImageOps.exif_transpose(im)  # photos taken upright on a phone stay upright
        w, h = im.size
        scale = min(max_w / w, max_h / h)
        out_w, out_h = w * scale, h * scale
        px_w = max(1, int(out_w / 72 * PHOTO_DPI))
        px_h = max(1, int(out_h / 72 * PHOTO_DPI))
        if px_w < w:
            im = im.resize((px_w, px_h), PILImage.LANCZOS, reducing_gap=2.0)
        if im.mode not in ("RGB", "L"):
            im = im.convert("RGB")
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=82, optimize=True)
    return buf.getvalue(), out_w, out_h


def _signatures(v: RecordView) -> Flowable:
    first = "组织人" if v.record.kind == THEME_DAY else "主持人"
    line = "＿" * 9
    rows = [
        [P(f"{first}（签字）：{line}", "sign"), P(f"记录人（签字）：{line}", "sign")],
        [P(f"日期：{'＿' * 9}", "sign"), P(f"日期：{'＿' * 9}", "sign")],
    ]
    t = Table(rows, colWidths=[FRAME_W / 2] * 2, hAlign="LEFT")
    t.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("TOPPADDING", (0, 0), (-1, -1), 8)])
    )
    return t


COMPACT_KINDS = ("谈心谈话",)  # short records that share pages (a year may hold hundreds)


def _changed_on(v: RecordView) -> str:
    """The date of the last change made after the fact (``2026-01-15``), or ""."""
    return format_date(dt.date.fromisoformat(v.changed_at[:10])) if v.changed_at else ""


def record_page(
    ledger, v: RecordView, key: str, number: int, new_page: bool = True
) -> list[Flowable]:
    """One record: on a page of its own, or — a short 谈心谈话 after another one — below
    the previous record, kept in one piece."""
    r = v.record
    head = (
        f"{r.kind}"
        + (f"（{r.group_name}）" if r.group_name else "")
        + f"　{format_date_cn(r.date)}"
    )
    marks = []
    if v.late:
        marks.append('<font color="#b3261e" size="10">【补记】</font>')
    changed_on = _changed_on(v)
    if changed_on:
        marks.append(f'<font color="#b26a00" size="10">（{changed_on} 修改）</font>')
    if v.missing:
        marks.append('<font color="#b3261e" size="10">【记录不完整】</font>')
    if v.quorum_short:
        marks.append('<font color="#b3261e" size="10">【到会未过半】</font>')
    markup = f"{number}. {text(head)} {' '.join(marks)}"
    outline = f"{format_date(r.date)} {r.kind}" + (f"（{r.group_name}）" if r.group_name else "")
    if r.topic:
        outline += f" {r.topic[:24]}"
    if v.late:
        outline += "（补记）"
    if changed_on:
        outline += f"（{changed_on} 修改）"
    out: list[Flowable] = [
        Heading(
            markup,
            styles()["record_title"],
            key=key,
            level=2,
            outline=outline,
            tick=outline,
            toc=True,
        ),
    ]
    if v.late and r.created_at:
        days = (r.created_at.date() - r.date).days
        out.append(
            P(
                f"本记录于 {format_date_cn(r.created_at.date())} 录入，为活动后 {days} 天补记。",
                "note",
            )
        )
    if r.updated_at and r.created_at and r.updated_at.date() > r.created_at.date():
        out.append(P(f"最后修改于 {format_date_cn(r.updated_at.date())}。", "note"))
    rows, below = _record_fields(v)
    out += [Spacer(1, 1 * MM), _fields_table(rows)]
    for label, value in below:
        out += para_block(label, value)
    out += [
        Spacer(1, 3 * MM),
        P("<b>出席情况</b>", "h3", markup=True),
        _attendance_table(v),
    ]
    content_label = "活动内容" if r.kind == THEME_DAY else "主要内容"
    out += para_block(content_label, r.content, content_label in v.missing)
    if r.kind in MEETING_KINDS or r.decisions:
        out += para_block("决议事项", r.decisions)
    if r.votes:  # issue 18: 表决 of the decisions
        entitled = voters(r, v.summary.expected)
        out += para_block("表决情况", "\n".join(vote_line(x, entitled) for x in r.votes))
    out += _photos(ledger, v)
    out.append(Spacer(1, 6 * MM))
    if new_page or r.kind not in COMPACT_KINDS:
        return [PageBreak(), *out, KeepTogether([_signatures(v)])]
    # (no KeepTogether inside KeepTogether: an inner one always claims a whole page)
    out.append(_signatures(v))
    return [CondPageBreak(100 * MM), KeepTogether([Separator(), *out])]


def records(ledger, data: ReportData, num: str, key: str) -> list[Flowable]:
    out: list[Flowable] = [section_heading(key, num)]
    by_kind: dict[str, list[RecordView]] = defaultdict(list)
    for v in data.records:
        by_kind[v.record.kind].append(v)
    header = ["类型", "次数", "其中补记", "记录不完整", "到会未过半"]
    rows = []
    for kind, views in by_kind.items():
        rows.append(
            [
                kind,
                str(len(views)),
                str(sum(v.late for v in views)),
                str(sum(bool(v.missing) for v in views)),
                str(sum(v.quorum_short for v in views)),
            ]
        )
    if rows:
        widths = [40 * MM] + [(FRAME_W - 40 * MM) / 4] * 4
        out += [
            P(
                f"本期共有组织生活记录 {len(data.records)} 条，按类型排列，每条记录单独成页，"
                "可供主持人、记录人签字确认。",
                "body",
            ),
            Spacer(1, 2 * MM),
            KeepTogether(
                make_table([header, *rows], widths, align=[(i, "CENTER") for i in range(1, 5)])
            ),
            *h2("记录目录", key=f"{key}.list", level=1),
        ]
        lhead = ["序号", "日期", "类型", "议题 / 主题", "备注", "页码"]
        lrows = []
        for i, v in enumerate(data.records, 1):
            r = v.record
            notes = [
                w
                for w, on in (
                    ("补记", v.late),
                    ("不完整", bool(v.missing)),
                    ("未过半", v.quorum_short),
                )
                if on
            ]
            kind = r.kind + (f"（{r.group_name}）" if r.group_name else "")
            lrows.append(
                [
                    str(i),
                    format_date(r.date),
                    TextCell(kind),
                    TextCell(clip(r.topic)),
                    TextCell("、".join(notes)),
                    PageRef(f"{key}.r{r.id}"),
                ]
            )
        widths = [10 * MM, 20 * MM, 36 * MM, 0, 20 * MM, 12 * MM]
        widths[3] = FRAME_W - sum(widths)
        out.append(
            PagedTable(
                [lhead],
                lrows,
                widths,
                8.5,
                align=[(0, "CENTER")],
                row_styles=lambda i, row: ([("TEXTCOLOR", (4, 0), (4, 0), HexColor(RED))]),
            )
        )
    else:
        out.append(P("本期没有组织生活记录。", "body"))
    n = 0
    for ki, (kind, views) in enumerate(by_kind.items()):
        out.append(OutlineOnly(f"{key}.k{ki}", f"{kind}（{len(views)} 次）", level=1))
        for v in views:
            n += 1
            first = v is views[0]
            out += record_page(ledger, v, f"{key}.r{v.record.id}", n, new_page=first)
    return out
