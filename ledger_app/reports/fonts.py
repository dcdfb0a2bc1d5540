"""The two fonts of every PDF, shipped in resources/fonts and embedded (subsets).

- :data:`SERIF` — AR PL UMing CN (明体/宋体-like, Arphic Public License): body text and
  table cells, as a ledger is printed.
- :data:`SANS` — WenQuanYi Micro Hei (黑体-like, Apache-2.0): headings, table headers,
  labels, page header and footer, charts.

Registered once per process. Nothing in a report may fall back to a standard PDF font
(Helvetica …): an unembedded font prints differently on every PC and has no Chinese.
UMing lacks some rare characters (about 2,000 of GBK) that Micro Hei has: :func:`missing`
tells which, and the text helpers set those in :data:`SANS` rather than print a blank box.
"""

from __future__ import annotations

SANS = "WQY"
SERIF = "UMing"
FONT = SERIF  # the body font (table cells, paragraphs)

_registered = False
_missing: frozenset[str] = frozenset()


def register_font() -> str:
    """Register the bundled fonts (idempotent) and return the body font's name."""
    global _registered, _missing
    if _registered:
        return FONT
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from ..errors import UserError
    from ..paths import font_path, serif_font_path

    fonts = {SANS: font_path(), SERIF: serif_font_path()}
    for path in fonts.values():
        if not path.exists():
            raise UserError(f"找不到程序自带的字体文件：{path}（请重新安装程序）")
    for name, path in fonts.items():
        # subfont 0 of each collection: WenQuanYi Micro Hei, AR PL UMing CN (simplified forms)
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
        # <b>/<i> map to the same face: there is no bold file, and a mapping to a standard
        # font would pull Helvetica into the PDF
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
    serif = pdfmetrics.getFont(SERIF).face.charToGlyph
    sans = pdfmetrics.getFont(SANS).face.charToGlyph
    _missing = frozenset(chr(c) for c in sans if c not in serif)
    _registered = True
    return FONT


def missing() -> frozenset[str]:
    """Characters the body font lacks and the heading font has."""
    if not _registered:
        register_font()
    return _missing
