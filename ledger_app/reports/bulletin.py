"""季度通报: the committee's bulletin on its branches' ledgers for a quarter (or the year),
rendered from a :class:`~ledger_app.domain.committee.CommitteeReport` — who sent what, the
ranking and grades, the problems per branch, the workbooks changed after export and those
that could not be read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer

from ..domain.committee import (
    CODE_CHANGED,
    BranchResult,
    CommitteeReport,
    PeriodFigures,
    percent,
    points,
    rank,
)
from ..domain.dates import Period
from ..files import check_target, replacing
from .layout import Heading
from .styles import FRAME_W, MM, RED, P, styles, text
from .tables import PagedTable, TextCell

SUB = ("一", "二", "三", "四", "五")


def _h(title: str, key: str) -> Heading:
    return Heading(text(title), styles()["h2"], key=key, level=0, outline=title)


def committee_name(report: CommitteeReport) -> str:
    """The 上级党组织 most branches name, else 上级党委."""
    names = Counter(b.parent for b in report.branches if b.parent)
    return names.most_common(1)[0][0] if names else "上级党委"


def _figures(b: BranchResult, key: str) -> PeriodFigures:
    return b.period(key) or b.year


def _problems(f: PeriodFigures) -> str:
    parts = []
    if f.gaps:
        parts.append(f"应开展未开展 {f.gaps} 项")
    if f.alerts:
        parts.append(f"党员预警 {f.alerts} 项（{f.alerted} 人）")
    if f.arrears:
        parts.append(f"欠缴党费 {f.arrears / 100:,.2f} 元")
    if f.incomplete:
        parts.append(f"记录不完整 {f.incomplete} 条")
    if f.planned and f.plan_held < f.planned:
        parts.append(f"年度计划未开展 {f.planned - f.plan_held} 项")
    return "；".join(parts)


def story(report: CommitteeReport, quarter: int | None) -> list[Flowable]:
    y = report.year
    period = Period.quarter(y, quarter) if quarter else Period.whole_year(y)
    key = period.key
    title = f"关于{period.label}各党支部党建工作台账检查情况的通报"
    st = styles()
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    out: list[Flowable] = [
        Heading(
            text(title),
            ParagraphStyle("bt", parent=st["h1"], alignment=TA_CENTER),
            key="top",
            outline=title,
        ),  # fmt: skip
        P(f"{committee_name(report)}　{report.today}", "cover_note"),
        Spacer(1, 4 * MM),
    ]
    branches = rank(list(report.branches), key if quarter else None)
    covered = [b for b in branches if _figures(b, key).covered]
    changed = [b for b in branches if b.code_status == CODE_CHANGED]
    grades = Counter(_figures(b, key).grade for b in covered)
    intro = (
        f"按照“每季度结束后，对前一季度党建工作台账进行逐一检查”的要求，对各党支部报送的"
        f"{period.label}台账进行了汇总检查。共收到工作簿 {len(report.branches) + len(report.failures)} 份，"
        f"汇总 {len(report.branches)} 个党支部"
    )
    if len(covered) < len(report.branches):
        intro += f"（其中 {len(report.branches) - len(covered)} 个未报送本期台账）"
    intro += "。"
    if report.failures:
        intro += f"{len(report.failures)} 份工作簿有错误未能汇总。"
    if changed:
        intro += f"{len(changed)} 份工作簿的内容校验码与内容不符，导出后被改动过。"
    if covered:
        intro += (
            "台账评定："
            + "，".join(
                f"{g} {grades[g]} 个" for g in ("示范", "过硬", "达标", "未达标") if grades[g]
            )
            + "。"
        )
    out.append(P(intro, "body"))

    out.append(_h(f"{SUB[0]}、排名与等级", "rank"))
    header = [
        "排名",
        "党支部",
        "台账得分",
        "等级",
        "达标率",
        "收缴率",
        "预警",
        "不完整",
        "志愿服务",
        "自评",
    ]
    body = []
    for b in branches:
        f = _figures(b, key)
        if not f.covered:
            body.append(
                ["—", TextCell(b.branch), "", "未报送", "", "", "", "", "", b.self_grade or ""]
            )
            continue
        body.append(
            [
                str(b.rank),
                TextCell(b.branch),
                points(f.score),
                f.grade,
                percent(f.compliance_permille),
                percent(f.dues_permille),
                str(f.alerts),
                str(f.incomplete),
                f"{f.volunteer_half_hours / 2:g} 小时",
                b.self_grade or "—",
            ]
        )
    widths = [10 * MM, 0, 15 * MM, 13 * MM, 14 * MM, 14 * MM, 10 * MM, 12 * MM, 18 * MM, 12 * MM]
    widths[1] = FRAME_W - sum(widths)
    fails = {"未达标", "未报送"}
    out.append(
        PagedTable(
            [header],
            body,
            widths,
            8,
            align=[(i, "CENTER") for i in (0, 2, 3, 4, 5, 6, 7, 9)] + [(8, "RIGHT")],
            row_styles=lambda i, row: (
                [("TEXTCOLOR", (3, 0), (3, 0), HexColor(RED))] if str(row[3]) in fails else []
            ),
        )
    )
    out.append(Spacer(1, 1.5 * MM))
    out.append(
        P(
            "台账得分：按默认考评表中从工作簿能计算的项目（组织设置、组织生活按期开展、出席率、谈心谈话、"
            "党员预警、党费收缴率、记录完整、志愿服务）统一给分，折算为百分制；示范 ≥ 90 分，"
            "过硬 ≥ 80 分，达标 ≥ 60 分。自评：支部自己的自评定级。",
            "note",
        )
    )

    out.append(_h(f"{SUB[1]}存在的问题", "problems"))
    rows = [(b, _problems(_figures(b, key))) for b in covered]
    rows = [(b, t) for b, t in rows if t]
    if rows:
        body = [[str(i), TextCell(b.branch), TextCell(t)] for i, (b, t) in enumerate(rows, 1)]
        widths = [10 * MM, 50 * MM, 0]
        widths[2] = FRAME_W - sum(widths)
        out.append(
            PagedTable([["序号", "党支部", "问题"]], body, widths, 8.5, align=[(0, "CENTER")])
        )
    else:
        out.append(P("各党支部本期台账未发现问题。", "ok"))

    out.append(_h(f"{SUB[2]}需要核实的工作簿", "check"))
    lines = []
    for b in changed:
        lines.append(
            f"{b.branch}（{b.file}）：内容校验码不符，工作簿导出后被改动过，请支部重新导出报送。"
        )
    for f in report.failures:
        first = "；".join(f.errors[:3])
        more = f" 等 {len(f.errors)} 处" if len(f.errors) > 3 else ""
        lines.append(f"{f.file}：{f.message}" + (f"（{first}{more}）" if first else ""))
    for b in branches:
        for w in b.warnings:
            lines.append(f"{b.branch}：{w}")
    if lines:
        for line in lines:
            out.append(P("· " + line, "body"))
    else:
        out.append(P("各工作簿内容校验码一致，均已汇总。", "ok"))

    out.append(_h(f"{SUB[3]}下一步要求", "next"))
    out.append(
        P(
            "请排名靠后、评定为未达标的党支部对照问题清单逐项整改，补齐缺少的会议和记录，"
            "督促预警党员参加组织生活、按时交纳党费，于下季度报送台账时一并报送整改情况。",
            "body",
        )
    )
    return out


def write_bulletin(report: CommitteeReport, quarter: int | None, out: Path) -> Path:
    from .fonts import register_font
    from .layout import ReportCanvas, ReportDoc

    check_target(out)
    register_font()
    flow = story(report, quarter)
    label = (
        Period.quarter(report.year, quarter) if quarter else Period.whole_year(report.year)
    ).label
    with replacing(out, "正在被 PDF 阅读器打开") as tmp:
        doc = ReportDoc(
            str(tmp),
            header_left=committee_name(report),
            header_right=f"{label}党建工作台账检查通报",
            cover=False,
            title=f"{label}党建工作台账检查通报",
            author=committee_name(report),
            creator="支部台账",
            lang="zh-CN",
        )
        doc.build(flow, canvasmaker=ReportCanvas)
    return out
