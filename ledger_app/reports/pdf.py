"""The inspection-ready PDF summary of a quarter or a year (``export-pdf``, issue 6).

Sections: cover with contents, overview (roster, compliance grid, attendance, dues,
volunteer hours, charts), problems, every record on its own page, the dues table and the
volunteer table. A4 portrait, one embedded font, bookmarks per section and record.
reportlab is imported only when a PDF is made, so the program starts fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import UserError
from ..files import check_target, replacing
from ..services.ledger import Ledger

SECTIONS = ("cover", "overview", "problems", "followup", "records", "dues", "volunteer")
SECTION_LABELS = {
    "cover": "封面和目录",
    "overview": "基本情况",
    "problems": "问题清单",
    "followup": "评议与整改",  # issue 18: 民主评议等次, 整改清单, 领导干部讲党课
    "records": "组织生活记录",
    "dues": "党费收缴",
    "volunteer": "志愿服务",
}

# progress(done, total, message): called while the PDF is made; raise from it to cancel
Progress = Callable[[int, int, str], object]


def _chosen(sections: Iterable[str] | None) -> list[str]:
    if sections is None:
        return list(SECTIONS)
    chosen = set(sections)
    unknown = chosen - set(SECTIONS)
    if unknown:
        raise UserError(f"未知的 PDF 部分：{'、'.join(sorted(unknown))}")
    if not chosen:
        raise UserError("请至少选择 PDF 的一个部分")
    return [s for s in SECTIONS if s in chosen]


def export_pdf(
    ledger: Ledger,
    year: int,
    quarter: int | None,
    out_path: str | Path,
    sections: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the inspection PDF of ``year`` (or one ``quarter``) to ``out_path``.

    The file is written beside the target under a temporary name and moved into place
    only when complete, so a failed export never leaves half a PDF (or destroys an
    older one). Returns the path written.
    """
    from .data import gather
    from .fonts import register_font
    from .layout import ReportCanvas, ReportDoc
    from .sections import build_story

    chosen = _chosen(sections)
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise UserError(f"季度应为 1–4：{quarter}")
    out = Path(out_path)
    check_target(out)  # before the minutes of layout, not after

    def tell(done: int, total: int, message: str) -> None:
        if progress is not None:
            progress(done, total, message)

    register_font()
    tell(0, 100, "正在读取台账……")
    data = gather(ledger, year, quarter, with_attachments="records" in chosen)
    tell(5, 100, "正在准备图表和照片……")
    story = build_story(ledger, data, chosen)
    # every record and every section heading ticks once while it is laid out
    total = max(1, len(chosen) + (len(data.records) if "records" in chosen else 0))
    ticks = [0]

    def on_tick(message: str) -> None:
        ticks[0] += 1
        tell(10 + 85 * min(ticks[0], total) // total, 100, f"正在排版：{message}")

    class _Canvas(ReportCanvas):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self.on_tick = on_tick

    title = f"{data.branch_name}{data.period_label}党建工作台账检查汇总"
    from ..services.safety import head_hash

    chain_head = head_hash(ledger)
    with replacing(out, "正在被 PDF 阅读器打开") as tmp:
        doc = ReportDoc(
            str(tmp),
            header_left=data.branch_name,
            header_right=f"{data.period_label}党建工作台账检查汇总",
            cover="cover" in chosen,
            chain_head=chain_head,
            title=title,
            author=data.author or data.branch_name,
            subject=f"{data.period_label}三会一课、主题党日、组织生活、党费和志愿服务",
            creator="支部台账",
            keywords=["党支部", "台账", "三会一课", data.period_label],
            lang="zh-CN",
        )
        tell(10, 100, "正在排版……")
        doc.build(story, canvasmaker=_Canvas)
    tell(100, 100, "已完成")
    return out
