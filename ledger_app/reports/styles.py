"""Paragraph styles, colours and table helpers shared by every section of the PDF.

Every style and table names the embedded font explicitly: reportlab's defaults are
Helvetica, which must never reach the file.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from xml.sax.saxutils import escape

from .fonts import FONT, register_font

# A4 portrait, millimetres converted to points
MM = 72 / 25.4
PAGE_W, PAGE_H = 595.2756, 841.8898
MARGIN_X = 18 * MM
MARGIN_TOP = 22 * MM
MARGIN_BOTTOM = 18 * MM
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM


RED = "#b3261e"
DARK_RED = "#8c1c13"
GREY = "#6b6b6b"
LIGHT = "#f3e9e7"
HEADER_BG = "#e8d4d0"
GRID = "#9a8f8d"
GREEN = "#2e7d32"


def text(value: object) -> str:
    """Escape user text for a Paragraph; keep line breaks."""
    s = "" if value is None else str(value)
    return escape(s).replace("\r\n", "\n").replace("\n", "<br/>")


@lru_cache(maxsize=1)
def styles() -> dict:
    """The named paragraph styles (built once, after the font is registered)."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    register_font()
    base = ParagraphStyle(
        "base",
        fontName=FONT,
        fontSize=10,
        leading=15,
        wordWrap="CJK",
        alignment=TA_LEFT,
        bulletFontName=FONT,
    )

    def s(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "cover_title": s(
            "cover_title",
            fontSize=26,
            leading=38,
            alignment=TA_CENTER,
            textColor=HexColor(DARK_RED),
        ),
        "cover_sub": s("cover_sub", fontSize=16, leading=26, alignment=TA_CENTER),
        "cover_note": s(
            "cover_note", fontSize=9, leading=13, alignment=TA_CENTER, textColor=HexColor(GREY)
        ),
        "h1": s(
            "h1", fontSize=16, leading=22, spaceBefore=4, spaceAfter=8, textColor=HexColor(DARK_RED)
        ),
        "h2": s("h2", fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=5),
        "h3": s("h3", fontSize=11, leading=16, spaceBefore=6, spaceAfter=3),
        "record_title": s(
            "record_title", fontSize=14, leading=20, spaceAfter=6, textColor=HexColor(DARK_RED)
        ),
        "note": s("note", fontSize=8.5, leading=12, textColor=HexColor(GREY)),
        "ok": s("ok", textColor=HexColor(GREEN)),
        "cell": s("cell", fontSize=8.5, leading=11.5),
        "cell_small": s("cell_small", fontSize=7, leading=9),
        "cell_center": s("cell_center", fontSize=8.5, leading=11.5, alignment=TA_CENTER),
        "cell_small_center": s("cell_small_center", fontSize=7, leading=9, alignment=TA_CENTER),
        "cell_right": s("cell_right", fontSize=8.5, leading=11.5, alignment=TA_RIGHT),
        "label": s("label", fontSize=9, leading=12.5, textColor=HexColor("#3a3a3a")),
        "minutes": s("minutes", fontSize=10, leading=16, firstLineIndent=0),
        "sign": s("sign", fontSize=10.5, leading=16),
    }


_CELL_STYLES = frozenset(
    {"cell", "cell_small", "cell_center", "cell_small_center", "cell_right", "label"}
)


@lru_cache(maxsize=1)
def measured_paragraph() -> type:
    """Paragraph that remembers its last wrap. A table measures each cell's Paragraph
    when it lays out and again, at the same width, when it draws: break the lines once.
    (Paragraph.wrap depends on the width only.)"""
    from reportlab.platypus import Paragraph

    class MeasuredParagraph(Paragraph):
        _wrapped_at: float | None = None

        def wrap(self, avail_width, avail_height):
            if self._wrapped_at == avail_width:
                return self.width, self.height
            out = super().wrap(avail_width, avail_height)
            self._wrapped_at = avail_width
            return out

    return MeasuredParagraph


# (markup, style name) → the parsed fragments: a year's PDF asks ~10,000 paragraphs of ~1,000
# different texts (无, 否, names, the signature lines …), and parsing is most of their cost
_PARSED: dict[tuple[str, str], list] = {}


def P(value: object, style: str = "cell", markup: bool = False):  # noqa: N802 - reads as markup
    """A Paragraph of escaped text (``markup=True``: the text is already markup); table
    cell styles get a Paragraph that is line-broken once however often it is measured."""
    from reportlab.platypus import Paragraph

    cls = measured_paragraph() if style in _CELL_STYLES else Paragraph
    source = value if markup else text(value)
    key = (source, style)
    frags = _PARSED.get(key)
    if frags is None:
        para = cls(source, styles()[style])
        if len(_PARSED) > 20000:
            _PARSED.clear()
        _PARSED[key] = para.frags
        return para
    # each paragraph its own copies, as its own parse would have made
    return cls(source, styles()[style], frags=[copy.copy(f) for f in frags])


def base_table_style(font_size: float = 8.5, header_rows: int = 1, zebra: bool = True):
    """Grid, header shading and — above all — the embedded font for plain-string cells."""
    from reportlab.lib.colors import HexColor, white

    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
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
    rows, lines = plain_cells(rows, col_widths)
    t = Table(rows, colWidths=col_widths, repeatRows=header_rows, hAlign="LEFT")
    t.setStyle(TableStyle(cmds + lines))
    return t
