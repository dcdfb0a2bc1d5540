"""合规检查 use cases: ``check`` on the command line, the 工作台 board and the PDF's list of
problems all come from here, on the one rule code in ``domain.compliance``."""

from __future__ import annotations

import argparse
import json

from ..domain.compliance import ALERT_KINDS, Board, CheckResult
from .ledger import Ledger


def run_check(ledger: Ledger, year: int, quarter: int | None = None) -> CheckResult:
    """Check a whole year or one quarter of it, as of ``ledger.today()`` (the period
    model's check)."""
    from .period import load

    return load(ledger, year, quarter).check


def board_data(ledger: Ledger, year: int) -> Board:
    """The 工作台 grid of ``year`` (rows, cells, 谈心谈话 coverage, what is still needed now).
    Member alerts and incomplete records come from :func:`run_check`."""
    from .period import load

    return load(ledger, year).board


_PERIOD_WORDS = {"month": "月", "quarter": "季度"}


def _gap_period(g) -> str:
    """``2025年4月``, or ``2025年4月（开 1 次，应开 2 次）`` when held some but too few."""
    if g.held:
        return f"{g.period.label}（开 {g.held} 次，应开 {g.required} 次）"
    return g.period.label


def format_check_text(result: CheckResult, branch_name: str) -> str:
    """The readable Chinese report of ``check`` (without ``--json``)."""
    period = result.period
    title = f"{branch_name or '本支部'} {period.label}组织生活检查"
    lines = [title, "=" * 20]
    if result.today is not None and not period.has_ended(result.today):
        lines.append(
            f"注：{period.label}尚未结束，截至{result.today.year}年{result.today.month}月"
            f"{result.today.day}日，未结束的月份、季度和年度不作判断。"
        )
    if result.clean:
        lines.append("未发现问题。")
        return "\n".join(lines) + "\n"

    lines.append("")
    lines.append(f"一、缺少的会议（{len(result.gaps)} 项）")
    if not result.gaps:
        lines.append("  无")
    by_label: dict[str, list] = {}
    for g in result.gaps:
        by_label.setdefault(g.label, []).append(g)
    for label, gaps in by_label.items():
        periods = "、".join(_gap_period(g) for g in gaps)
        kind = gaps[0].period.kind
        if kind == "year":
            lines.append(f"  {label}：{periods}" + ("" if gaps[0].held else "未开展"))
        else:
            lines.append(f"  {label} 缺 {len(gaps)} 个{_PERIOD_WORDS[kind]}：{periods}")

    lines.append("")
    lines.append(f"二、党员预警（{len(result.member_alerts)} 项）")
    if not result.member_alerts:
        lines.append("  无")
    for kind in ALERT_KINDS:
        for a in (x for x in result.member_alerts if x.kind == kind):
            span = a.start.label if a.start == a.end else f"{a.start.label}至{a.end.label}"
            serious = "，已满六个月（党章第九条）" if a.months >= 6 else ""
            lines.append(f"  {a.name}：连续 {a.months} 个月{a.kind}（{span}）{serious}")

    lines.append("")
    lines.append(f"三、记录不完整（{len(result.incomplete_records)} 条）")
    if not result.incomplete_records:
        lines.append("  无")
    for r in result.incomplete_records:
        lines.append(f"  {r.date.isoformat()}  {r.item}：缺少 {'、'.join(r.missing)}")
    return "\n".join(lines) + "\n"


def cmd_check(ledger: Ledger, args: argparse.Namespace) -> int:
    """``check --year Y [--quarter Q] [--json]``."""
    result = run_check(ledger, args.year, getattr(args, "quarter", None))
    if getattr(args, "json", False):
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_check_text(result, ledger.repo.branch().name), end="")
    return 0
