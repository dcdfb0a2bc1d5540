"""The command line of issue 20 (考评): ``assess`` (自评定级), ``plan`` (年度工作计划),
``summary`` (书记述职 / 年度工作总结) and ``committee`` (上级党委汇总). cli.py adds these
parsers and commands; as there, the services return values and this module prints.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .domain.assessment import Assessment
    from .domain.committee import CommitteeReport
    from .services.ledger import Ledger


def add_parsers(sub, year_type) -> None:
    """The sub-commands, on cli.py's sub-parser (``year_type``: its year argument type)."""
    s = sub.add_parser("assess", help="自评定级：按考评标准打分、定等级（年总评或月自评）")
    s.add_argument("--year", type=year_type, required=True, metavar="Y", help="年度")
    s.add_argument("--month", type=int, choices=range(1, 13), metavar="M", help="月份（月自评）")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("plan", help="年度工作计划：计划与实际开展情况")
    s.add_argument("--year", type=year_type, required=True, metavar="Y", help="年度")
    s.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), metavar="Q", help="季度（1–4）")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser(
        "summary", help="书记述职 / 年度工作总结（保存过的文字，或按台账生成的草稿）"
    )
    s.add_argument("--year", type=year_type, required=True, metavar="Y", help="年度")
    s.add_argument("--draft", action="store_true", help="按台账重新生成草稿（不用保存过的文字）")
    s.add_argument("-o", "--output", metavar="OUT", help="写入文件：.pdf 打印版，其他为文本")

    s = sub.add_parser("committee", help="上级党委汇总：读取一个文件夹中各支部报送的台账工作簿")
    s.add_argument("folder", metavar="FOLDER", help="存放各支部工作簿（.xlsx）的文件夹")
    s.add_argument("--year", type=year_type, metavar="Y", help="年度（默认：工作簿报送的年度）")
    s.add_argument(
        "--quarter", type=int, choices=(1, 2, 3, 4), metavar="Q", help="按该季度排序和通报"
    )
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.add_argument("-o", "--output", metavar="OUT.xlsx", help="另存汇总表（Excel）")
    s.add_argument(
        "--pdf", metavar="OUT.pdf", help="另存季度通报（PDF；不指定 --quarter 时为年度通报）"
    )
    s.add_argument(
        "--jobs", type=int, metavar="N", help="同时读取的进程数（默认按 CPU 核数，最多 4）"
    )
    s.add_argument("--no-cache", action="store_true", help="不用上次读取的结果，全部重新读取")


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# --- assess ------------------------------------------------------------------------------------


def assessment_json(a: Assessment) -> dict:
    """``assess --json``: points in tenths (``"points": 50`` is 5 分), as money is in 分."""
    return {
        "period": a.key,
        "kind": a.kind_label,
        "lines": [
            {
                "category": line.criterion.category,
                "name": line.criterion.name,
                "points": line.criterion.points,
                "source": line.criterion.source or None,
                "ledger_score": line.auto,
                "hand_score": line.hand,
                "score": line.score,
                "how": line.how,
                "basis": line.basis,
                "note": line.note,
            }
            for line in a.lines
        ],
        "adjustments": [{"points": x.points, "reason": x.reason} for x in a.adjustments],
        "max_points": a.max_points,
        "total": a.total,
        "grade": a.grade,
        "complete": a.complete,
        "assessed_on": a.review.assessed_on.isoformat()
        if a.review and a.review.assessed_on
        else None,
        "assessor": a.review.assessor if a.review else None,
        "thresholds": a.thresholds.as_dict(),
    }


def format_assessment(a: Assessment, branch: str) -> str:
    from .cli import _table
    from .domain.assessment import format_points as pts

    lines = [f"{branch or '本支部'} {a.title}", "=" * 20]
    rows = []
    for line in a.lines:
        c = line.criterion
        score = pts(line.score) if line.score is not None else "待评"
        why = line.basis + (f"（{line.how}：{line.note}）" if line.note else "")
        rows.append([c.category, c.name, pts(c.points), score, line.how, why])
    lines += _table(["类别", "评分项目", "分值", "得分", "方式", "依据"], rows, right={2, 3})
    for x in a.adjustments:
        lines.append(f"{x.kind} {pts(abs(x.points))} 分：{x.reason}")
    lines.append("")
    lines.append(
        f"合计 {pts(a.total)} 分（满分 {pts(a.max_points)} 分"
        + (f"，加分 {pts(a.bonus)}" if a.bonus else "")
        + (f"，减分 {pts(a.penalty)}" if a.penalty else "")
        + f"）　等级：{a.grade_text}"
    )
    lines.append(f"等级标准：{a.thresholds.text()}")
    if a.review and a.review.assessed_on:
        lines.append(
            f"已于 {a.review.assessed_on.isoformat()} 评定"
            + (f"（{a.review.assessor}）" if a.review.assessor else "")
        )
    elif a.complete:
        lines.append("尚未评定（在程序的“自评定级”页评定）")
    else:
        lines.append(
            "待人工评分的项目请在程序的“自评定级”页填写，或在工作簿“自评定级”表中填写后导入。"
        )
    return "\n".join(lines) + "\n"


def cmd_assess(ledger: Ledger, args: argparse.Namespace) -> int:
    from .services.assessment import assessment

    a = assessment(ledger, args.year, args.month)
    if args.json:
        _print_json(assessment_json(a))
    else:
        print(format_assessment(a, ledger.repo.branch().name), end="")
    return 0


# --- plan --------------------------------------------------------------------------------------


def cmd_plan(ledger: Ledger, args: argparse.Namespace) -> int:
    from .cli import _table
    from .services.plan import status

    figs = status(ledger, args.year, args.quarter)
    if args.json:
        _print_json(
            {
                "year": args.year,
                "quarter": args.quarter,
                "items": [
                    {
                        "month": s.item.month,
                        "kind": s.item.kind,
                        "topic": s.item.topic or None,
                        "lecturer": s.item.lecturer or None,
                        "status": s.status,
                        "label": s.label,
                        "done": s.done.text if s.done else None,
                    }
                    for s in figs.statuses
                ],
                "planned": figs.planned,
                "held": figs.held,
            }
        )
        return 0
    when = f"{args.year}年" + (f"第{'一二三四'[args.quarter - 1]}季度" if args.quarter else "")
    out = [f"{when}工作计划", "=" * 20]
    if not figs.planned:
        out.append("没有登记工作计划（在程序的“年度计划”页登记，或导入“年度计划”表）。")
    else:
        rows = [
            [f"{s.item.month}月", s.item.kind, s.item.topic, s.item.lecturer, s.label]
            for s in figs.statuses
        ]
        out += _table(["月份", "类型", "主题", "主讲人", "完成情况"], rows, right=set())
        out.append("")
        out.append(
            f"计划 {figs.planned} 项，已开展 {figs.held} 项，到期未开展 {len(figs.missing)} 项。"
        )
    print("\n".join(out))
    return 0


# --- summary -----------------------------------------------------------------------------------


def cmd_summary(ledger: Ledger, args: argparse.Namespace) -> int:
    from .services import plan as P

    text = P.draft(ledger, args.year) if args.draft else P.summary(ledger, args.year).text
    if not args.output:
        print(text, end="" if text.endswith("\n") else "\n")
        return 0
    out = Path(args.output)
    if out.suffix.lower() == ".pdf":
        path = P.export_summary_pdf(ledger, args.year, text, out)
    else:
        from .files import replacing

        with replacing(out, "正在被其他程序打开") as tmp:
            tmp.write_text(text, "utf-8")
        path = out
    print(f"已导出：{path}")
    return 0


# --- committee ---------------------------------------------------------------------------------


def format_committee(report: CommitteeReport, quarter: int | None) -> str:
    from .cli import _table
    from .domain.committee import CODE_CHANGED, percent, points, rank

    key = f"{report.year}-Q{quarter}" if quarter else None
    title = (
        f"{report.year}年"
        + (f"第{'一二三四'[quarter - 1]}季度" if quarter else "")
        + "各党支部台账汇总"
    )
    out = [title, "=" * 20]
    rows = []
    for b in rank(list(report.branches), key):
        f = (b.period(key) if key else None) or b.year
        if not f.covered:
            rows.append(
                [
                    "—",
                    b.branch,
                    "未报送",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    b.self_grade or "—",
                    b.code_status,
                ]
            )
            continue
        rows.append(
            [
                str(b.rank),
                b.branch,
                f"{f.met}/{f.judged}",
                str(f.alerts),
                f"{f.collected / 100:.2f}/{f.due / 100:.2f}",
                percent(f.dues_permille),
                f"{f.volunteer_half_hours / 2:g}",
                str(f.incomplete),
                points(f.score),
                f.grade,
                b.self_grade or "—",
                b.code_status,
            ]
        )
    out += _table(
        [
            "排名",
            "党支部",
            "达标/应判断",
            "预警",
            "已缴/应缴(元)",
            "收缴率",
            "志愿(小时)",
            "不完整",
            "台账得分",
            "等级",
            "自评",
            "校验码",
        ],  # fmt: skip
        rows,
        right={2, 3, 4, 5, 6, 7, 8},
    )
    out.append("")
    out.append(
        f"共 {len(report.branches) + len(report.failures)} 份工作簿，汇总 {len(report.branches)} 个党支部，"
        f"用时 {report.seconds:.1f} 秒（{report.from_cache} 份沿用上次读取的结果）。"
    )
    changed = [b for b in report.branches if b.code_status == CODE_CHANGED]
    if changed:
        out.append("")
        out.append("内容校验码不符（导出后被改动过）：")
        for b in changed:
            out.append(f"  {b.branch}（{b.file}）")
    warned = [(b, w) for b in report.branches for w in b.warnings]
    if warned:
        out.append("")
        out.append("提示：")
        for b, w in warned:
            out.append(f"  {b.branch}：{w}")
    if report.failures:
        out.append("")
        out.append(f"未能汇总的工作簿（{len(report.failures)} 份）：")
        for f in report.failures:
            out.append(f"  {f.file}：{f.message}")
            for e in f.errors[:10]:
                out.append(f"    {e}")
            if len(f.errors) > 10:
                out.append(f"    …… 另有 {len(f.errors) - 10} 处")
    return "\n".join(out) + "\n"


def cmd_committee(_path: Path, args: argparse.Namespace) -> int:
    """``committee FOLDER``: reads no ledger (the path of --db is not used)."""
    import sys

    from .services import committee as C

    def progress(done: int, total: int, name: str) -> None:
        if sys.stderr.isatty():
            print(
                f"\r正在读取 {done}/{total}：{name[:30]}".ljust(60),
                end="",
                file=sys.stderr,
                flush=True,
            )

    report = C.open_folder(
        args.folder, args.year, jobs=args.jobs, use_cache=not args.no_cache, progress=progress
    )
    if sys.stderr.isatty():
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr)
    if args.json:
        _print_json(C.to_json(report))
    else:
        print(format_committee(report, args.quarter), end="")
    said = sys.stderr if args.json else sys.stdout  # the JSON stays the whole of stdout
    if args.output:
        print(f"已导出汇总表：{C.export_summary_xlsx(report, args.output)}", file=said)
    if args.pdf:
        print(f"已导出通报：{C.export_bulletin_pdf(report, args.quarter, args.pdf)}", file=said)
    return 1 if not report.branches else 0


COMMANDS = {
    "assess": cmd_assess,
    "plan": cmd_plan,
    "summary": cmd_summary,
}
# commands that take no ledger (cli.PATH_COMMANDS: called with the database path, unused)
PATH_COMMANDS = {"committee": cmd_committee}
