"""The inspection-ready PDF summary of a quarter or a year (``export-pdf``, issue 6).

Sections: cover with contents, overview (roster, compliance grid, attendance, dues,
volunteer hours, charts), problems, each member's organisational life and every record on
its own page, the dues table and the volunteer table. A4 portrait, two embedded fonts,
bookmarks per section and record.

A pure renderer of the period model (domain.period): :func:`write_pdf` gets the model and
plain values (the audit chain's head, a photo loader) and never reads the ledger;
``services.exports.export_pdf`` is the one entry of the GUI and the command line.
reportlab is imported only when a PDF is made, so the program starts fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..domain.period import PeriodModel
from ..errors import UserError
from ..files import check_target, replacing
from .common import SECTIONS

SECTION_LABELS = {
    "cover": "封面和目录",
    "overview": "基本情况",
    "problems": "问题清单",
    "followup": "评议与整改",  # issue 18: 民主评议等次, 整改清单, 领导干部讲党课
    "records": "组织生活记录",
    "dues": "党费收缴",
    "volunteer": "志愿服务",
    "development": "发展党员",
    "transfers": "组织关系转接",
    "care": "党员关怀",
    "assessment": "自评定级",  # issue 20
    "plan": "年度工作计划",  # issue 20
}

# progress(done, total, message): called while the PDF is made; raise from it to cancel
Progress = Callable[[int, int, str], object]


def chosen_sections(sections: Iterable[str] | None) -> list[str]:
    """The sections to print, in the report's order (UserError for an unknown one)."""
    if sections is None:
        return list(SECTIONS)
    chosen = set(sections)
    unknown = chosen - set(SECTIONS)
    if unknown:
        raise UserError(f"未知的 PDF 部分：{'、'.join(sorted(unknown))}")
    if not chosen:
        raise UserError("请至少选择 PDF 的一个部分")
    return [s for s in SECTIONS if s in chosen]


def _no_photo(attachment_id: int) -> bytes | None:
    return None


def write_pdf(
    model: PeriodModel,
    out: str | Path,
    *,
    sections: Iterable[str] | None = None,
    progress: Progress | None = None,
    chain_head: str = "",
    photos: Callable[[int], bytes | None] = _no_photo,
) -> Path:
    """Write the inspection PDF of ``model``'s period to ``out``.

    ``chain_head``: the audit chain's head, printed in every footer; ``photos``: the bytes
    of an attachment by id (the records' photos). The file is written beside the target
    under a temporary name and moved into place only when complete, so a failed or
    cancelled export never leaves half a PDF (or destroys an older one). Returns the path.
    """
    chosen = chosen_sections(sections)
    target = Path(out)
    check_target(target)  # before the minutes of layout, not after
    with replacing(target, "正在被 PDF 阅读器打开") as tmp:
        render(
            model,
            str(tmp),
            sections=chosen,
            progress=progress,
            chain_head=chain_head,
            photos=photos,
        )
    if progress is not None:
        progress(100, 100, "已完成")
    return target


def render(
    model: PeriodModel,
    dest,
    *,
    sections: Iterable[str] | None = None,
    progress: Progress | None = None,
    chain_head: str = "",
    photos: Callable[[int], bytes | None] = _no_photo,
) -> int:
    """Lay out the PDF into ``dest`` (a file name or a binary file object) and return the
    number of pages: :func:`write_pdf` without the safe file handling."""
    chosen = chosen_sections(sections)
    from .fonts import register_font
    from .layout import ReportCanvas, ReportDoc
    from .sections import build_story

    def tell(done: int, total: int, message: str) -> None:
        if progress is not None:
            progress(done, total, message)

    register_font()
    tell(5, 100, "正在准备图表和照片……")
    story = build_story(model, chosen, photos)
    # every record and every section heading ticks once while it is laid out
    total = max(1, len(chosen) + (len(model.records) if "records" in chosen else 0))
    ticks = [0]
    pages = [0]

    def on_tick(message: str) -> None:
        ticks[0] += 1
        tell(10 + 85 * min(ticks[0], total) // total, 100, f"正在排版：{message}")

    class _Canvas(ReportCanvas):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self.on_tick = on_tick

        def showPage(self):  # noqa: N802 - reportlab's name
            pages[0] += 1
            super().showPage()

    label = model.report_label
    doc = ReportDoc(
        dest,
        header_left=model.branch_name,
        header_right=f"{label}党建工作台账检查汇总",
        cover="cover" in chosen,
        chain_head=chain_head,
        title=f"{model.branch_name}{label}党建工作台账检查汇总",
        author=model.branch.name or model.inputs.user or model.branch_name,
        subject=f"{label}三会一课、主题党日、组织生活、党费和志愿服务",
        creator="支部台账",
        keywords=["党支部", "台账", "三会一课", label],
        lang="zh-CN",
    )
    tell(10, 100, "正在排版……")
    doc.build(story, canvasmaker=_Canvas)
    return pages[0]


__all__ = ["SECTIONS", "SECTION_LABELS", "Progress", "chosen_sections", "render", "write_pdf"]
