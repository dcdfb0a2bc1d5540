"""The page machinery: A4 template, header and footer (第 X 页 共 Y 页), bookmarks.

The total page count is only known at the end, so the footer draws ``共 Y 页`` as a PDF
form that is defined when the canvas is saved — one layout pass, and bookmarks keep
pointing at the right pages (deferring whole pages would break them). The file opens with
its bookmarks shown.

Page flow: :class:`KeepWithNext` keeps a heading on the page with the first lines or rows
of what it introduces; :class:`KeepTail` never leaves signature lines alone on a page.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.paragraph import Paragraph

from .fonts import SANS
from .styles import (
    DARK_RED,
    FRAME_H,
    FRAME_W,
    GREY,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MM,
    PAGE_H,
    PAGE_W,
    measured_paragraph,
    serif_brackets,
)

PAGE_COUNT_FORM = "pagecount"


class ReportCanvas(Canvas):
    """A canvas whose first font is the embedded one and which fills in, at save, the
    forms for the page total and for the contents' page numbers."""

    def __init__(self, *args, **kw):
        # the doc template passes these as None: None must not mean Helvetica
        kw["initialFontName"] = kw.get("initialFontName") or SANS
        kw["initialFontSize"] = kw.get("initialFontSize") or 10
        kw["initialLeading"] = kw.get("initialLeading") or 14
        super().__init__(*args, **kw)
        self.toc_pages: dict[str, int] = {}  # bookmark key → page number
        self.toc_wanted: set[str] = set()
        self.toc_sizes: dict[str, float] = {}
        self.on_tick: Callable[[str], None] | None = None
        self.showOutline()  # PageMode /UseOutlines: the reader opens with the bookmarks shown

    def save(self) -> None:
        total = self.getPageNumber() - 1 if not self._code else self.getPageNumber()
        self._number_form(PAGE_COUNT_FORM, f"共 {total} 页", 8)
        for key in sorted(self.toc_wanted):
            page = self.toc_pages.get(key)
            self._number_form(
                "toc_" + key, str(page) if page else "—", self.toc_sizes.get(key, 11), right=True
            )
        super().save()

    def _number_form(self, name: str, value: str, size: float, right: bool = False) -> None:
        # a form clips to its box: the box reaches left of the origin for right-aligned text
        self.beginForm(name, lowerx=-60, lowery=-6, upperx=120, uppery=size + 4)
        self.setFont(SANS, size)
        self.setFillColor(GREY if not right else "#000000")
        if right:
            self.drawRightString(0, 0, value)
        else:
            self.drawString(0, 0, value)
        self.endForm()


class Heading(Flowable):
    """A heading that is also a PDF bookmark and outline entry (never split)."""

    def __init__(
        self,
        markup: str,
        style,
        key: str | None = None,
        level: int = 0,
        outline: str | None = None,
        toc: bool = False,
        tick: str | None = None,
    ):
        super().__init__()
        self.para = measured_paragraph()(serif_brackets(markup), style)
        self.key = key
        self.level = level
        self.outline = outline
        self.toc = toc
        self.tick = tick
        self.style = style
        self.keepWithNext = False  # see sections._h2: CondPageBreak instead
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.para.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list:
        return []

    def draw(self) -> None:
        self.para.drawOn(self.canv, 0, 0)
        c = self.canv
        if self.key:
            c.bookmarkHorizontal(self.key, 0, self.height + 6)
            c.addOutlineEntry(
                self.outline or "", self.key, level=self.level, closed=self.level >= 1
            )
            if self.toc:
                c.toc_pages[self.key] = c.getPageNumber()
        if self.tick and getattr(c, "on_tick", None):
            c.on_tick(self.tick)


class OutlineOnly(Flowable):
    """An outline entry (and bookmark) with nothing printed: groups records by kind."""

    def __init__(self, key: str, title: str, level: int, toc: bool = False):
        super().__init__()
        self.key, self.title, self.level, self.toc = key, title, level, toc
        self.width = self.height = 0

    def wrap(self, *_):
        return 0, 0

    def draw(self) -> None:
        c = self.canv
        c.bookmarkHorizontal(self.key, 0, 24)
        c.addOutlineEntry(self.title, self.key, level=self.level, closed=True)
        if self.toc:
            c.toc_pages[self.key] = c.getPageNumber()


class Contents(Flowable):
    """目录: entries with dotted leaders and page numbers filled in when the file is saved."""

    def __init__(self, entries: list[tuple[str, str, int]], width: float):
        super().__init__()
        self.entries = entries  # (key, title, level)
        self.width = width
        self.row_h = 19

    def wrap(self, *_):
        self.height = self.row_h * len(self.entries)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        y = self.height - self.row_h + 5
        for key, title, level in self.entries:
            size = 11 if level == 0 else 9.5
            x = 0 if level == 0 else 18
            c.setFont(SANS, size)
            c.setFillColor("#000000" if level == 0 else "#333333")
            c.drawString(x, y, title)
            tw = c.stringWidth(title, SANS, size)
            c.setFillColor("#999999")
            dots_x = x + tw + 6
            c.drawString(
                dots_x,
                y,
                "·" * max(0, int((self.width - 30 - dots_x) / c.stringWidth("·", SANS, size))),
            )
            c.saveState()
            c.translate(self.width, y)
            c.doForm("toc_" + key)
            c.restoreState()
            c.toc_wanted.add(key)
            y -= self.row_h


class ReportDoc(BaseDocTemplate):
    """A4 portrait with a plain cover template and a body template with header/footer."""

    def __init__(
        self,
        filename: str,
        header_left: str,
        header_right: str,
        cover: bool = True,
        chain_head: str = "",
        **kw,
    ):
        super().__init__(
            filename,
            pagesize=(PAGE_W, PAGE_H),
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            initialFontName=SANS,
            **kw,
        )
        self.header_left = header_left
        self.header_right = header_right
        self.chain_head = chain_head
        frame = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            FRAME_W,
            FRAME_H,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        cover_frame = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            FRAME_W,
            FRAME_H,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        templates = [
            PageTemplate("cover", [cover_frame]),
            PageTemplate("body", [frame], onPage=self._body_page),
        ]
        # the first template is the first page's: no cover, no cover template first
        self.addPageTemplates(templates if cover else templates[::-1])

    def _body_page(self, canv: Canvas, doc) -> None:
        canv.saveState()
        top = PAGE_H - MARGIN_TOP + 6 * MM
        right = PAGE_W - MARGIN_RIGHT
        canv.setFont(SANS, 8.5)
        canv.setFillColor(DARK_RED)
        canv.drawString(MARGIN_LEFT, top, self.header_left)
        canv.setFillColor(GREY)
        canv.drawRightString(right, top, self.header_right)
        canv.setStrokeColor(DARK_RED)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_LEFT, top - 2.2 * MM, right, top - 2.2 * MM)
        # footer: "第 X 页" right of the gap, "共 Y 页" (a form filled in at save) left of it
        y = MARGIN_BOTTOM - 9 * MM
        mid = MARGIN_LEFT + FRAME_W / 2
        canv.setFont(SANS, 8)
        canv.setFillColor(GREY)
        canv.drawRightString(mid - 3, y, f"第 {canv.getPageNumber()} 页")
        if self.chain_head:
            # the audit chain's head when printed: the ledger cannot be quietly rewritten
            # after it was handed over (设置 › 检查数据库 / `verify` compare against it)
            canv.setFont(SANS, 6.5)
            canv.drawString(MARGIN_LEFT, y, f"台账校验码 {self.chain_head[:16]}")
            canv.setFont(SANS, 8)
        canv.translate(mid + 3, y)
        canv.doForm(PAGE_COUNT_FORM)
        canv.restoreState()


class PageRef(Flowable):
    """The page number a bookmark landed on, right-aligned; filled in when the file is saved
    (the heading with that key must have ``toc=True``)."""

    def __init__(self, key: str, size: float = 8.5):
        super().__init__()
        self.key = key
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, self.size * 1.2
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.translate(self.width, self.size * 0.25)
        c.doForm("toc_" + self.key)
        c.restoreState()
        c.toc_wanted.add(self.key)
        c.toc_sizes[self.key] = self.size


class Separator(Flowable):
    """A thin rule between records that share a page; nothing at the top of a page."""

    def __init__(self, gap: float = 8 * MM, color: str = GREY):
        super().__init__()
        self.gap = gap
        self.color = color
        self._skip = False

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        self._skip = bool(frame is not None and frame._atTop)
        self.width = avail_width
        return avail_width, 0 if self._skip else self.gap

    def draw(self) -> None:
        if self._skip:
            return
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.color)
        c.setLineWidth(0.6)
        c.line(0, self.gap / 2, self.width, self.gap / 2)
        c.restoreState()


# --- page flow -----------------------------------------------------------------------------


def lead_height(f: Flowable, width: float) -> float:
    """The height of the start of ``f`` a heading must not be parted from: a short
    paragraph whole, else its first two lines; a table's header and first two rows; any
    other flowable whole (at most a third of a page)."""
    lead = getattr(f, "lead_height", None)
    if lead is not None:
        return lead()
    if isinstance(f, KeepTogether):
        h = sum(g.wrap(width, FRAME_H)[1] for g in f._content)
        return h if h <= FRAME_H / 2 else lead_height(f._content[0], width)
    _, h = f.wrap(width, FRAME_H)
    if isinstance(f, Paragraph):
        lines = getattr(getattr(f, "blPara", None), "lines", ())
        if len(lines) > 3:
            return 2 * f.style.leading
        return h
    heights = getattr(f, "_rowHeights", None)
    if heights and h > FRAME_H / 3:
        return sum(heights[:3])
    return min(h, FRAME_H / 3)


class KeepWithNext(Flowable):
    """Nothing to print: a new page unless ``head`` (a heading, a short intro) and the start
    of ``following`` (see :func:`lead_height`) fit on this one. Unlike keepWithNext, a long
    table is not pushed whole onto the next page."""

    _ZEROSIZE = True

    def __init__(self, head: list[Flowable], following: Flowable | None = None):
        super().__init__()
        self.head = head
        self.following = following
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        if frame is None or frame._atTop:
            return 0, 0
        need = 0.0  # (the spaces counted in full: a little too much is harmless)
        for f in self.head:
            need += f.getSpaceBefore() + f.wrap(avail_width, FRAME_H)[1] + f.getSpaceAfter()
        if self.following is not None:
            need += self.following.getSpaceBefore() + lead_height(self.following, avail_width)
        if avail_height < need:
            from reportlab.platypus.doctemplate import FrameBreak

            frame.add_generated_content(FrameBreak)
        return 0, 0

    def draw(self) -> None:
        pass


class KeepTail(Flowable):
    """A labelled paragraph (``label`` may be None) followed by ``tail`` (signature lines)
    that must never stand alone on a page: when they do not all fit, the last ``lines``
    lines of the paragraph go over with the tail (and the label stays with the paragraph's
    first lines)."""

    def __init__(self, label: Flowable | None, para: Flowable, tail: list[Flowable], lines=2):
        super().__init__()
        self.label = label
        self.para = para
        self.tail = tail
        self.lines = lines

    def _parts(self) -> list[Flowable]:
        return ([self.label] if self.label is not None else []) + [self.para, *self.tail]

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return self._parts()[0].getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return self._parts()[-1].getSpaceAfter()

    def _layout(self, width: float) -> list[tuple[Flowable, float, float]]:
        """(part, its height, the gap above it) in order."""
        out = []
        prev_after = 0.0
        for i, f in enumerate(self._parts()):
            _, h = f.wrap(width, FRAME_H)
            gap = max(prev_after, f.getSpaceBefore()) if i else 0.0
            out.append((f, h, gap))
            prev_after = f.getSpaceAfter()
        return out

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = sum(h + gap for _, h, gap in self._layout(avail_width))
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        at_top = frame is None or frame._atTop
        para = self.para
        label_h = 0.0
        if self.label is not None:
            label_h = self.label.wrap(avail_width, FRAME_H)[1] + self.label.getSpaceAfter()
        if isinstance(para, Paragraph):
            para.wrap(avail_width, FRAME_H)
            n = len(getattr(para.blPara, "lines", ()))
            leading = para.style.leading
            if n > self.lines + 1:
                room = min(avail_height - label_h, (n - self.lines) * leading)
                parts = para.split(avail_width, room) if room >= 2 * leading else []
                if len(parts) == 2:
                    head = [self.label] if self.label is not None else []
                    # the rest may still be longer than a page: keep checking its tail
                    return [*head, parts[0], KeepTail(None, parts[1], self.tail, self.lines)]
        if at_top:
            return self._parts()  # taller than a page: let it flow
        return []  # all of it onto the next page

    def draw(self) -> None:
        y = self.height
        for f, h, gap in self._layout(self.width):
            y -= gap + h
            f.drawOn(self.canv, 0, y)


class TextRow(Flowable):
    """One row of a two-column ruled table — a label and a paragraph (the names of 2,000
    members present) — that splits between the paragraph's lines at a page end, the label
    repeated beside the rest. (reportlab's Table splitInRow left empty pages behind.)"""

    PAD_H, PAD_TOP, PAD_BOTTOM = 6, 3, 3.5

    def __init__(self, label: Flowable, text: Flowable, label_w: float, rule: str, shade: str):
        super().__init__()
        self.label, self.text = label, text
        self.label_w, self.rule, self.shade = label_w, rule, shade

    def _sizes(self, width: float) -> tuple[float, float]:
        pad = 2 * self.PAD_H
        lh = self.label.wrap(self.label_w - pad, FRAME_H)[1]
        th = self.text.wrap(width - self.label_w - pad, FRAME_H)[1]
        return lh, th

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lh, th = self._sizes(avail_width)
        self.width = avail_width
        self.height = max(lh, th) + self.PAD_TOP + self.PAD_BOTTOM
        return self.width, self.height

    def lead_height(self) -> float:
        """The label and the first two lines of names: what a heading keeps with it."""
        leading = getattr(getattr(self.text, "style", None), "leading", 12)
        return min(self.wrap(FRAME_W, FRAME_H)[1], 2 * leading + self.PAD_TOP + self.PAD_BOTTOM)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self.PAD_TOP - self.PAD_BOTTOM
        lh, _ = self._sizes(avail_width)
        leading = getattr(getattr(self.text, "style", None), "leading", 12)
        if room < max(lh, 2 * leading):
            return []
        parts = self.text.split(avail_width - self.label_w - 2 * self.PAD_H, room)
        if len(parts) != 2:
            return []
        return [
            TextRow(self.label, parts[0], self.label_w, self.rule, self.shade),
            TextRow(self.label, parts[1], self.label_w, self.rule, self.shade),
        ]

    def draw(self) -> None:
        c = self.canv
        w, h, lw = self.width, self.height, self.label_w
        lh, th = self._sizes(w)
        c.saveState()
        c.setFillColor(self.shade)
        c.rect(0, 0, lw, h, stroke=0, fill=1)
        c.setStrokeColor(self.rule)
        c.setLineWidth(0.4)
        c.rect(0, 0, w, h, stroke=1, fill=0)
        c.line(lw, 0, lw, h)
        c.restoreState()
        inner = h - self.PAD_TOP - self.PAD_BOTTOM
        self.label.drawOn(c, self.PAD_H, self.PAD_BOTTOM + (inner - lh) / 2)
        self.text.drawOn(c, lw + self.PAD_H, self.PAD_BOTTOM + (inner - th) / 2)


class Deferred(ActionFlowable):
    """Flowables made only when the layout reaches them (``make()``): a year's thousands
    of record pages are not all held in memory at once. :func:`bind_deferred` tells each
    the story it inserts its flowables into."""

    def __init__(self, make: Callable[[], list[Flowable]]):
        super().__init__(("deferred",))
        self.make = make
        self.story: list[Flowable] | None = None

    def apply(self, doc) -> None:
        assert self.story is not None, "bind_deferred(story) before doc.build(story)"
        self.story[0:0] = self.make()  # (doc.build has taken this flowable off the story)


def bind_deferred(story: list[Flowable]) -> list[Flowable]:
    for f in story:
        if isinstance(f, Deferred):
            f.story = story
    return story


def expand(story: list[Flowable]) -> list[Flowable]:
    """The story with every :class:`Deferred` made (for tools that read the whole story)."""
    out: list[Flowable] = []
    for f in story:
        out += expand(f.make()) if isinstance(f, Deferred) else [f]
    return out
