"""The one font of every PDF: WenQuanYi Micro Hei shipped in resources/fonts, embedded.

Registered once per process. Nothing in a report may fall back to a standard PDF font
(Helvetica …): an unembedded font prints differently on every PC and has no Chinese.
"""

from __future__ import annotations

FONT = "WQY"

_registered = False


def register_font() -> str:
    """Register the bundled font (idempotent) and return its name."""
    global _registered
    if _registered:
        return FONT
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from ..errors import UserError
    from ..paths import font_path

    path = font_path()
    if not path.exists():
        raise UserError(f"找不到程序自带的字体文件：{path}（请重新安装程序）")
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    # <b>/<i> in paragraphs map to the same face: there is no bold file, and a mapping to
    # a standard font would pull Helvetica into the PDF
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT, bold, italic, FONT)
    _registered = True
    return FONT
