"""三、组织生活记录: how often each kind was held, each member's organisational life over the
period, a list with page numbers, then each record on its own page — with the fields and
the signature lines its kind has (a 党课 its 授课人, a 主题党日 its 组织人)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

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
from ..domain.models import ATTEND_ABSENT, ATTEND_LEAVE, ATTEND_PRESENT, THEME_DAY
from ..domain.period import PeriodModel, RecordView
from .common import MISSING_MARK, SUB, clip, h2, para_block, para_parts, percent, section_heading
from .fonts import SERIF
from .layout import (
    Deferred,
    Heading,
    KeepTail,
    KeepWithNext,
    OutlineOnly,
    PageRef,
    Separator,
    TextRow,
)
from .styles import FRAME_W, GRID, LIGHT, MM, RED, P, make_table, styles, text
from .tables import PagedTable, TextCell, plain_cells

# photo loader: attachment id → the file's bytes (None: not found)
Photos = Callable[[int], bytes | None]


@dataclass(frozen=True)
class KindLayout:
    """What a record page of one kind prints: its fields as (label, Record attribute) —
    the labels are the contract's column names —, the label of its minutes, whether it
    has 决议事项 (printed as 无 when empty; other kinds print them only when written) and
    who signs it."""

    fields: tuple[tuple[str, str], ...]
    content: str = "主要内容"
    decisions: bool = False
    signers: tuple[str, ...] = ("主持人", "记录人")


_MEETING = (("议题", "topic"), ("地点", "place"), ("主持人", "host"), ("记录人", "recorder"))
_OTHER = (("主题", "topic"), ("地点", "place"), ("主持人", "host"), ("记录人", "recorder"))
KINDS = {
    "支部党员大会": KindLayout(_MEETING, decisions=True),
    "支委会": KindLayout(_MEETING, decisions=True),
    "党小组会": KindLayout(
        (("议题", "topic"), ("党小组", "group_name"), *_MEETING[1:]), decisions=True
    ),
    "党课": KindLayout(
        (("议题", "topic"), ("地点", "place"), ("授课人", "lecturer"), *_MEETING[2:]),
        signers=("授课人", "主持人", "记录人"),
    ),
    THEME_DAY: KindLayout(
        (("主题", "topic"), ("活动形式", "form"), ("地点", "place"), ("组织人", "organizer")),
        content="活动内容",
        signers=("组织人",),
    ),
    "组织生活会": KindLayout(_OTHER),
    "民主评议党员": KindLayout(_OTHER),
    "谈心谈话": KindLayout(_OTHER),
}
THEME_DAY_KINDS = ("支部党员大会", "支委会", "党小组会", "党课")  # may be held as a 主题党日
LONG_FIELD = 300  # characters: a field this long is printed below the table, not in it
COMPACT_KINDS = ("谈心谈话",)  # short records that share pages (a year may hold hundreds)


def layout_of(kind: str) -> KindLayout:
    return KINDS.get(kind, KindLayout(_OTHER))


def _field(value: str | None, required: bool) -> Flowable:
    if value and str(value).strip():
        return P(value, "cell")
    return P(MISSING_MARK if required else "—", "cell", markup=True)


def _record_fields(v: RecordView) -> tuple[list[list], list[tuple[str, str]]]:
    """The table rows of a record's fields, and the fields too long for a table cell (a
    table row cannot be taller than a page) as (label, text) to print below it."""
    r = v.record
    s = v.summary
    miss = set(v.missing)
    pairs: list[tuple[str, Flowable]] = []
    below: list[tuple[str, str]] = []
    when = format_date_cn(r.date) + (f" {r.time}" if r.time else "")
    pairs.append(("类型", P(r.kind, "cell")))
    pairs.append(("时间", P(when, "cell")))
    for label, attr in layout_of(r.kind).fields:
        value = getattr(r, attr)
        if value and len(value) > LONG_FIELD:
            below.append((label, value))
            pairs.append((label, P("（内容较长，见下文）", "cell")))
        else:
            pairs.append((label, _field(value, label in miss)))
    if r.kind in THEME_DAY_KINDS:
        pairs.append(("结合主题党日", P("是" if r.also_theme_day else "否", "cell")))
    counts = (
        f"应到 {s.expected_count} 人，实到 {s.present_count} 人，请假 {s.leave_count} 人，"
        f"缺席 {s.absent_count} 人"
    )
    if v.rate_permille is not None:
        counts += f"（出席率 {percent(v.rate_permille)}）"
    pairs.append(("到会情况", P(counts, "cell")))
    # long values get a whole row; short ones pair up
    rows: list[list] = []
    pending: list = []
    for label, value in pairs:
        long = label in ("议题", "主题", "到会情况") or len(getattr(value, "text", "")) > 18
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
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
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


def _attendance_rows(v: RecordView) -> list[Flowable]:
    """出席 / 请假 / 缺席 (and 列席) with the names: rows that split between lines of names
    at a page end (the names of 2,000 members present fill pages)."""
    s = v.summary
    present = s.of(ATTEND_PRESENT)
    leave = s.of(ATTEND_LEAVE)
    absent = s.of(ATTEND_ABSENT)
    rows = [
        (f"出席（{len(present)}人）", _names(present)),
        (f"请假（{len(leave)}人）", _names(leave, True)),
        (f"缺席（{len(absent)}人）", _names(absent)),
    ]
    guests = v.record.guests  # 列席人员 who are not members (issue 18)
    if s.extra or guests:
        names = "、".join(x for x in (_names(s.extra, True) if s.extra else "", guests) if x)
        rows.append((f"列席（{len(s.extra) + guest_count(guests)}人）", names))
    return [
        TextRow(P(label, "label"), P(names, "cell"), 26 * MM, GRID, LIGHT) for label, names in rows
    ]


def _photos(photos: Photos, v: RecordView) -> list[Flowable]:
    """Image attachments scaled two to a row; other files listed by name."""
    images: list[list] = []
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
        data = photos(att.id) if att.id is not None else None
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
                    ("FONTNAME", (0, 0), (-1, -1), SERIF),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        out += [P("<b>活动照片及附件</b>", "h3", markup=True), t]
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


def signatures(kind: str) -> Table:
    """A signature line and a date line for each who signs a record of ``kind``."""
    signers = layout_of(kind).signers
    line = "＿" * (9 if len(signers) < 3 else 6)
    cols = max(2, len(signers))
    rows = [
        [P(f"{who}（签字）：{line}", "sign") for who in signers] + [""] * (cols - len(signers)),
        [P(f"日期：{line}", "sign") for _ in signers] + [""] * (cols - len(signers)),
    ]
    t = Table(rows, colWidths=[FRAME_W / cols] * cols, hAlign="LEFT")
    t.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), ("TOPPADDING", (0, 0), (-1, -1), 8)])
    )
    return t


def _changed_on(v: RecordView) -> str:
    """The date of the last change made after the fact (``2026-01-15``), or ""."""
    return format_date(dt.date.fromisoformat(v.changed_at[:10])) if v.changed_at else ""


def _title(v: RecordView, number: int) -> tuple[str, str]:
    """The heading's markup and the bookmark's text."""
    r = v.record
    group = f"（{r.group_name}）" if r.group_name else ""
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
    markup = f"{number}. {text(r.kind + group)}　{text(format_date_cn(r.date))} {' '.join(marks)}"
    outline = f"{format_date(r.date)} {r.kind}{group}"
    if r.topic:
        outline += f" {r.topic[:24]}"
    if v.late:
        outline += "（补记）"
    if changed_on:
        outline += f"（{changed_on} 修改）"
    return markup, outline


def record_page(
    photos: Photos,
    v: RecordView,
    key: str,
    number: int,
    new_page: bool = True,
    kind_mark: Flowable | None = None,
) -> list[Flowable]:
    """One record: on a page of its own, or — a short 谈心谈话 after another one — below
    the previous record, kept in one piece. ``kind_mark``: the bookmark of the record's
    kind, set on the record's first page (not at the foot of the page before)."""
    r = v.record
    kind = layout_of(r.kind)
    markup, outline = _title(v, number)
    out: list[Flowable] = [kind_mark] if kind_mark is not None else []
    out.append(
        Heading(
            markup,
            styles()["record_title"],
            key=key,
            level=2,
            outline=outline,
            tick=outline,
            toc=True,
        )
    )
    if v.late_days is not None and r.created_at:
        out.append(
            P(
                f"本记录于 {format_date_cn(r.created_at.date())} 录入，"
                f"为活动后 {v.late_days} 天补记。",
                "note",
            )
        )
    if r.updated_at and r.created_at and r.updated_at.date() > r.created_at.date():
        out.append(P(f"最后修改于 {format_date_cn(r.updated_at.date())}。", "note"))
    rows, below = _record_fields(v)
    out += [Spacer(1, 1 * MM), _fields_table(rows)]
    for label, value in below:
        out += para_block(label, value)
    label, rows = P("<b>出席情况</b>", "h3", markup=True), _attendance_rows(v)
    out += [Spacer(1, 3 * MM), KeepWithNext([label], rows[0]), label, *rows]
    blocks = [(kind.content, r.content, kind.content in v.missing)]
    if kind.decisions or (r.decisions and r.decisions.strip()):
        blocks.append(("决议事项", r.decisions, False))
    if r.votes:  # issue 18: 表决 of the decisions
        entitled = voters(r, v.summary.expected)
        blocks.append(("表决情况", "\n".join(vote_line(x, entitled) for x in r.votes), False))
    for label, value, missing in blocks[:-1]:
        out += para_block(label, value, missing)
    sign = [Spacer(1, 6 * MM), signatures(r.kind)]
    pictures = _photos(photos, v)
    last_label, last_para = para_parts(*blocks[-1])
    if not new_page and r.kind in COMPACT_KINDS:
        # (no KeepTogether inside KeepTogether: an inner one always claims a whole page)
        rest = [last_label, last_para, *pictures, *sign]
        return [CondPageBreak(100 * MM), KeepTogether([Separator(), *out, *rest])]
    if pictures:
        out += [last_label, last_para, KeepTogether([*pictures, *sign])]
    else:  # the signatures never stand alone: the last lines of the minutes go with them
        out.append(KeepTail(last_label, last_para, sign))
    return [PageBreak(), *out]


def member_life(model: PeriodModel, key: str) -> list[Flowable]:
    """党员参加组织生活情况统计: each 期内党员's 应参加 / 出席 / 请假 / 缺席 and the longest
    run of months without organisational life."""
    lives = model.attendance.members
    out = h2(f"{SUB[0]}党员参加组织生活情况统计（{len(lives)} 名）", key=f"{key}.members")
    out.append(
        P(
            "应参加：本期该党员应到的活动次数（支委会只计支委，党小组会只计本组党员，"
            "不在册的日子不计）；最长连续未参加：连续几个月应参加而一次也没有参加、且有缺席的"
            "最长一段（与党员预警同一算法，只看本期）。",
            "note",
        )
    )
    out.append(Spacer(1, 1.5 * MM))
    if not lives:
        return out + [P("本期没有期内党员。", "body")]
    as_of = model.as_of
    header = ["序号", "姓名", "党小组", "应参加", "出席", "请假", "缺席", "最长连续未参加"]
    body = []
    for i, life in enumerate(lives, 1):
        m = life.member
        name = m.name if m.belongs_on(as_of) else f"{m.name}（{m.status}）"
        body.append(
            [
                str(i),
                TextCell(name),
                TextCell(m.group_name or ""),
                str(life.expected),
                str(life.present),
                str(life.leave),
                str(life.absent),
                TextCell(life.longest_label),
            ]
        )
    widths = [11 * MM, 26 * MM, 28 * MM, 14 * MM, 12 * MM, 12 * MM, 12 * MM, 0]
    widths[-1] = FRAME_W - sum(widths)
    red = HexColor(RED)
    out.append(
        PagedTable(
            [header],
            body,
            widths,
            8.5,
            align=[(0, "CENTER"), *((c, "RIGHT") for c in range(3, 7))],
            row_styles=lambda i, row: (
                [("TEXTCOLOR", (7, 0), (7, 0), red)]
                if lives[i].longest and lives[i].longest[0] >= 3
                else []
            ),
        )
    )
    return out


def records(model: PeriodModel, num: str, key: str, photos: Photos) -> list[Flowable]:
    out: list[Flowable] = [section_heading(key, num)]
    by_kind: dict[str, list[RecordView]] = {}
    for v in model.records:
        by_kind.setdefault(v.record.kind, []).append(v)
    if by_kind:
        header = ["类型", "次数", "其中补记", "记录不完整", "到会未过半"]
        rows = [
            [kind, str(c.records), str(c.late), str(c.incomplete), str(c.short_quorum)]
            for kind, c in model.record_counts.items()
        ]
        widths = [40 * MM] + [(FRAME_W - 40 * MM) / 4] * 4
        out += [
            P(
                f"本期共有组织生活记录 {len(model.records)} 条，按类型排列，每条记录单独成页，"
                "可供签字确认。",
                "body",
            ),
            Spacer(1, 2 * MM),
            KeepTogether(
                make_table([header, *rows], widths, align=[(i, "CENTER") for i in range(1, 5)])
            ),
        ]
    else:
        out.append(P("本期没有组织生活记录。", "body"))
    out += member_life(model, key)
    if not by_kind:
        return out
    out += h2(f"{SUB[1]}记录目录", key=f"{key}.list", level=1)
    lhead = ["序号", "日期", "类型", "议题 / 主题", "备注", "页码"]
    lrows = []
    for i, v in enumerate(model.records, 1):
        r = v.record
        notes = [
            w
            for w, on in (("补记", v.late), ("不完整", bool(v.missing)), ("未过半", v.quorum_short))
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
            row_styles=lambda i, row: [("TEXTCOLOR", (4, 0), (4, 0), HexColor(RED))],
        )
    )
    n = 0
    for ki, (kind, views) in enumerate(by_kind.items()):
        mark = OutlineOnly(f"{key}.k{ki}", f"{kind}（{len(views)} 次）", level=1)
        for v in views:
            n += 1
            first = v is views[0]
            # made when the layout reaches it: a year's record pages are not all in memory
            out.append(
                Deferred(
                    partial(
                        record_page,
                        photos,
                        v,
                        f"{key}.r{v.record.id}",
                        n,
                        new_page=first,
                        kind_mark=mark if first else None,
                    )
                )
            )
    return out


__all__ = ["KINDS", "Photos", "member_life", "record_page", "records", "signatures"]
