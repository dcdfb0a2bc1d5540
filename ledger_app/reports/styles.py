"""Paragraph styles, colours, margins and table helpers shared by every section of the PDF.

Every style and table names an embedded font explicitly: reportlab's defaults are
Helvetica, which must never reach the file. Paragraphs break lines by the Chinese rules
of :mod:`.kinsoku`.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from xml.sax.saxutils import escape

from .fonts import SANS, SERIF, missing, register_font

# A4 portrait, millimetres converted to points; 25 mm on the binding side (left)
MM = 72 / 25.4
PAGE_W, PAGE_H = 595.2756, 841.8898
MARGIN_LEFT = 25 * MM
MARGIN_RIGHT = 15 * MM
MARGIN_TOP = 22 * MM
MARGIN_BOTTOM = 18 * MM
FRAME_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM


RED = "#b3261e"
DARK_RED = "#8c1c13"
GREY = "#6b6b6b"
LIGHT = "#f3e9e7"
HEADER_BG = "#e8d4d0"
GRID = "#9a8f8d"
GREEN = "#2e7d32"

# full-width brackets, quotes and book-title marks: Micro Hei centres them in their square
# ("（ 一 ）"); UMing sets them against the text they enclose, as Chinese print does
_BRACKETS = frozenset("（）《》「」『』【】〔〕〈〉“”‘’")


def text(value: object) -> str:
    """Escape user text for a Paragraph; keep line breaks; a character the body font lacks
    is set in the heading font (a rare name character prints, never a blank box)."""
    s = "" if value is None else str(value)
    s = escape(s).replace("\r\n", "\n").replace("\n", "<br/>")
    lacking = missing()
    if lacking.isdisjoint(s):
        return s
    return "".join(f'<font name="{SANS}">{c}</font>' if c in lacking else c for c in s)


def serif_brackets(markup: str) -> str:
    """Markup for a heading-font paragraph with its brackets taken from the body font."""
    if _BRACKETS.isdisjoint(markup):
        return markup
    return "".join(f'<font name="{SERIF}">{c}</font>' if c in _BRACKETS else c for c in markup)


def plain_ok(s: str, font: str) -> bool:
    """Can ``s`` be drawn as a plain string in ``font`` (no character set in another)?"""
    if font == SANS:
        return _BRACKETS.isdisjoint(s)
    return missing().isdisjoint(s)


@lru_cache(maxsize=1)
def styles() -> dict:
    """The named paragraph styles (built once, after the fonts are registered): body text
    and cells in the serif, headings, labels and table headers in the sans."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    register_font()
    base = ParagraphStyle(
        "base",
        fontName=SERIF,
        fontSize=10,
        leading=15,
        wordWrap="CJK",
        alignment=TA_LEFT,
        bulletFontName=SERIF,
    )

    def s(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    def h(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, fontName=SANS, bulletFontName=SANS, **kw)

    return {
        "body": base,
        "cover_title": h(
            "cover_title",
            fontSize=26,
            leading=38,
            alignment=TA_CENTER,
            textColor=HexColor(DARK_RED),
        ),
        "cover_sub": h("cover_sub", fontSize=16, leading=26, alignment=TA_CENTER),
        "cover_note": s(
            "cover_note", fontSize=9, leading=13, alignment=TA_CENTER, textColor=HexColor(GREY)
        ),
        "h1": h(
            "h1", fontSize=16, leading=22, spaceBefore=4, spaceAfter=8, textColor=HexColor(DARK_RED)
        ),
        "h2": h("h2", fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=5),
        "h3": h("h3", fontSize=11, leading=16, spaceBefore=6, spaceAfter=3),
        "record_title": h(
            "record_title", fontSize=14, leading=20, spaceAfter=6, textColor=HexColor(DARK_RED)
        ),
        "note": s("note", fontSize=8.5, leading=12, textColor=HexColor(GREY)),
        "ok": s("ok", textColor=HexColor(GREEN)),
        "cell": s("cell", fontSize=8.5, leading=11.5),
        "cell_small": s("cell_small", fontSize=7, leading=9),
        "cell_center": s("cell_center", fontSize=8.5, leading=11.5, alignment=TA_CENTER),
        "cell_small_center": s("cell_small_center", fontSize=7, leading=9, alignment=TA_CENTER),
        "cell_right": s("cell_right", fontSize=8.5, leading=11.5, alignment=TA_RIGHT),
        "th": h("th", fontSize=8.5, leading=11, alignment=TA_CENTER),
        "label": h("label", fontSize=9, leading=12.5, textColor=HexColor("#3a3a3a")),
        "minutes": s("minutes", fontSize=10, leading=16, firstLineIndent=0),
        "sign": s("sign", fontSize=10.5, leading=16),
    }


@lru_cache(maxsize=1)
def paragraph() -> type:
    """Paragraph that breaks Chinese lines by the rules of :mod:`.kinsoku` (no line starts
    with "，" or ends with "（"), where reportlab cuts between any two characters."""
    from itertools import repeat

    from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
    from reportlab.platypus.paragraph import (
        FragLine,
        Paragraph,
        ParaLines,
        _handleBulletWidth,
        cjkU,
        makeCJKParaLine,
        sameFrag,
    )

    from .kinsoku import line_breaks

    def char_widths(s: str, font: str, size: float) -> tuple[list[float], float]:
        """Each character's advance and the unit it is in (points = advance × unit): the
        font's table read directly, in thousandths of an em (stringWidth per character was
        most of the cost of breaking a year's ten thousand paragraphs)."""
        face = getattr(getFont(font), "face", None)
        table = getattr(face, "charWidths", None)
        if table is None:
            return [stringWidth(c, font, size) for c in s], 1.0
        return list(map(table.get, map(ord, s), repeat(face.defaultWidth))), size / 1000

    def one_line(frags: list, max_width: float):
        """The line of a paragraph of several fragments that fits on one line — what
        makeCJKParaLine makes of it — or None (it does not fit, or has breaks or images)."""
        width = 0.0
        for f in frags:
            if hasattr(f, "lineBreak") or hasattr(f, "cbDefn") or not isinstance(f.text, str):
                return None
            width += stringWidth(f.text, f.fontName, f.fontSize)
        if width > max_width + 1e-6:
            return None
        words: list = []
        size = ascent = descent = 0.0
        for f in frags:
            if not f.text:
                continue
            a, d = getAscentDescent(f.fontName, f.fontSize)
            size, ascent, descent = max(size, f.fontSize), max(ascent, a), min(descent, d)
            if words and sameFrag(words[-1], f):
                words[-1].text += f.text
            else:
                w = f.clone()
                w.text = f.text
                words.append(w)
        return FragLine(
            kind=1,
            extraSpace=max_width - width,
            wordCount=1,
            words=words,
            fontSize=size,
            ascent=ascent,
            descent=descent,
            maxWidth=max_width,
            currentWidth=width,
            lineBreak=False,
        )

    def widths_of(units: list, max_width: float) -> list[float]:
        out = []
        for u in units:
            w = u.width
            if hasattr(w, "normalizedValue"):
                w._normalizer = max_width
                w = w.normalizedValue(max_width)
            out.append(w)
        return out

    class Para(Paragraph):
        def breakLinesCJK(self, maxWidths):  # noqa: N802, N803 - reportlab's names
            if not isinstance(maxWidths, list | tuple):
                maxWidths = [maxWidths]
            style = self.style
            self.height = 0
            _handleBulletWidth(self.bulletText, style, maxWidths)
            frags = self.frags
            if (
                len(frags) == 1
                and not hasattr(frags[0], "cbDefn")
                and not style.endDots
                and not hasattr(frags[0], "lineBreak")
            ):
                f = frags[0]
                if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
                    return f.clone(kind=0, lines=self.blPara.lines)
                s = f.text if hasattr(f, "text") else "".join(getattr(f, "words", []))
                widths, unit = char_widths(s, f.fontName, f.fontSize)
                found = line_breaks(s, widths, [w / unit for w in maxWidths])
                lines = []
                for i, (a, b, used) in enumerate(found):
                    room = maxWidths[min(i, len(maxWidths) - 1)]
                    piece = s[a:b].lstrip() if i == len(found) - 1 else s[a:b].strip()
                    lines.append((room - used * unit, [piece]))
                return f.clone(kind=0, lines=lines, ascent=f.fontSize, descent=-0.2 * f.fontSize)
            if not frags:
                return ParaLines(
                    kind=0,
                    fontSize=style.fontSize,
                    fontName=style.fontName,
                    textColor=style.textColor,
                    lines=[],
                    ascent=style.fontSize,
                    descent=-0.2 * style.fontSize,
                )
            if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
                return self.blPara
            auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
            bounds = auto not in ("", "off")
            one = None if bounds else one_line(frags, maxWidths[0])
            if one is not None:  # a short label or heading in two fonts: no per-character work
                return ParaLines(kind=1, lines=[one])
            units = []
            for f in frags:
                t = f.text
                if isinstance(t, bytes):
                    t = t.decode("utf8")
                if t:
                    units.extend(cjkU(c, f, "utf8") for c in t)
                else:
                    units.append(cjkU(t, f, "utf8"))
            lines: list = []
            i = 0
            n = len(units)
            while i < n:
                j = i  # the segment up to the next hard line break (<br/>)
                while j < n and not hasattr(units[j].frag, "lineBreak"):
                    j += 1
                seg = units[i:j]
                chars = "".join(u or "\ufffc" for u in seg)  # an image is one unit
                rooms = [
                    maxWidths[min(len(lines) + k, len(maxWidths) - 1)] for k in range(len(seg) + 1)
                ]
                found = line_breaks(chars, widths_of(seg, rooms[0]), rooms) if seg else []
                if j < n and not found:
                    found = [(0, 0, 0.0)]
                for k, (a, b, used) in enumerate(found):
                    room = rooms[min(k, len(rooms) - 1)]
                    last = k == len(found) - 1
                    piece = units[i + a : i + b + (1 if last and j < n else 0)]
                    lines.append(
                        makeCJKParaLine(piece, room, used, room - used, last and j < n, bounds)
                    )
                i = j + 1 if j < n else j
            return ParaLines(kind=1, lines=lines)

    return Para


@lru_cache(maxsize=1)
def measured_paragraph() -> type:
    """Paragraph that remembers its last wrap. A table measures each cell's Paragraph
    when it lays out and again, at the same width, when it draws: break the lines once.
    (Paragraph.wrap depends on the width only.)"""
    Para = paragraph()  # noqa: N806

    class MeasuredParagraph(Para):
        _wrapped_at: float | None = None

        def wrap(self, avail_width, avail_height):
            # the cached size stands only while its line breaks do: Paragraph.split drops
            # them (``del self.blPara``) when no line fits, and draw and split need them
            if self._wrapped_at == avail_width and "blPara" in self.__dict__:
                return self.width, self.height
            out = super().wrap(avail_width, avail_height)
            self._wrapped_at = avail_width
            return out

    return MeasuredParagraph


# (markup, style name) → the parsed fragments: a year's PDF asks ~10,000 paragraphs of ~1,000
# different texts (无, 否, names, the signature lines …), and parsing is most of their cost
_PARSED: dict[tuple[str, str], list] = {}


def P(value: object, style: str = "cell", markup: bool = False):  # noqa: N802 - reads as markup
    """A Paragraph of escaped text (``markup=True``: the text is already markup), line-broken
    once however often it is measured (a table, a kept block and the frame each ask)."""
    cls = measured_paragraph()
    source = value if markup else text(value)
    st = styles()[style]
    if st.fontName == SANS:
        source = serif_brackets(source)
    key = (source, style)
    frags = _PARSED.get(key)
    if frags is None:
        para = cls(source, st)
        if len(_PARSED) > 20000:
            _PARSED.clear()
        _PARSED[key] = para.frags
        return para
    # each paragraph its own copies, as its own parse would have made
    return cls(source, st, frags=[copy.copy(f) for f in frags])


def base_table_style(font_size: float = 8.5, header_rows: int = 1, zebra: bool = True):
    """Grid, header shading and — above all — the embedded font for plain-string cells."""
    from reportlab.lib.colors import HexColor, white

    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("LEADING", (0, 0), (-1, -1), font_size * 1.3),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, HexColor(GRID)),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HexColor(HEADER_BG)),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), SANS),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ]
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [white, HexColor("#faf6f5")]))
    return cmds


def make_table(
    rows: list[list],
    col_widths: list[float],
    header_rows: int = 1,
    font_size: float = 8.5,
    extra: list | None = None,
    zebra: bool = True,
    align: list[tuple[int, str]] | None = None,
):
    """One platypus Table with the house style; ``align``: (column, LEFT/CENTER/RIGHT)."""
    from reportlab.platypus import Table, TableStyle

    cmds = base_table_style(font_size, header_rows, zebra)
    for col, how in align or []:
        cmds.append(("ALIGN", (col, header_rows), (col, -1), how))
    from .tables import plain_cells

    cmds += extra or []
    rows, lines = plain_cells(rows, col_widths, header_rows=header_rows, font_size=font_size)
    t = Table(rows, colWidths=col_widths, repeatRows=header_rows, hAlign="LEFT")
    t.setStyle(TableStyle(cmds + lines))
    return t
