"""The headless commands of the contract (docs/台账格式.md §2): arguments, printing and exit
codes. The work is done by the services, which return values and never print (as
sqlite-utils' cli.py over db.py).

Exit status: 0 success, 1 user error (message on stderr), 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from . import APP_NAME, __version__
from .errors import UserError

if TYPE_CHECKING:
    from .domain.compliance import CheckResult
    from .domain.dues import DuesYear
    from .services.ledger import Ledger

# these take (database path, args) instead of a ledger: they must work on a file that
# cannot be opened
PATH_COMMANDS = {"backup", "restore", "verify"}
# these write to the database: they take the one-writer lock (a running GUI refuses them);
# the others only read, which SQLite allows beside a writer
LOCKED_COMMANDS = {"import", "restore"}


class _Parser(argparse.ArgumentParser):
    """argparse with its fixed English phrases in Chinese."""

    def format_help(self) -> str:
        text = super().format_help()
        return (
            text.replace("usage:", "用法：")
            .replace("positional arguments:", "位置参数：")
            .replace("options:", "选项：")
            .replace("show this help message and exit", "显示本帮助并退出")
        )

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        message = (
            message.replace("the following arguments are required", "缺少必需的参数")
            .replace("unrecognized arguments", "无法识别的参数")
            .replace("invalid choice", "无效的选项")
            .replace("invalid int value", "不是有效的整数")
            .replace("argument ", "参数 ")
            .replace("expected one argument", "需要一个值")
        )
        self.exit(2, f"{self.prog}: 错误：{message}\n")


def _year(text: str) -> int:
    try:
        y = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度应为四位数字：{text}") from None
    if not 1921 <= y <= 2200:
        raise argparse.ArgumentTypeError(f"年度超出范围：{text}")
    return y


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="main.py",
        description=f"{APP_NAME} {__version__}：党支部工作台账。不带命令时打开图形界面。",
    )
    p.add_argument(
        "--db", metavar="FILE", help="数据库文件（不存在时自动创建）；默认在用户数据文件夹中"
    )
    p.add_argument(
        "--demo", action="store_true", help="打开演示支部（单独的演示数据库，不影响您的数据）"
    )
    p.add_argument(
        "--version", action="version", version=f"{APP_NAME} {__version__}", help="显示版本号并退出"
    )
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    s = sub.add_parser("import", help="导入台账工作簿（.xlsx）")
    s.add_argument("workbook", metavar="WORKBOOK.xlsx", help="要导入的工作簿")

    for name, what in (("export-xlsx", "Excel 台账"), ("export-pdf", "PDF 检查汇总")):
        s = sub.add_parser(name, help=f"导出{what}")
        s.add_argument("--year", type=_year, required=True, metavar="Y", help="年度")
        s.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), metavar="Q", help="季度（1–4）")
        s.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件")
        if name == "export-xlsx":
            s.add_argument(
                "--mask", action="store_true", help="隐去公民身份号码、出生日期和电话号码的中间位"
            )
            s.add_argument(
                "--show-base",
                action="store_true",
                help="党费收缴公示中列出每人的月缴费基数（默认不列出：基数即收入）",
            )

    s = sub.add_parser("check", help="检查三会一课等组织生活是否齐全")
    s.add_argument("--year", type=_year, required=True, metavar="Y", help="年度")
    s.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), metavar="Q", help="季度（1–4）")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("dues", help="党费收缴情况")
    s.add_argument("--year", type=_year, required=True, metavar="Y", help="年度")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    sub.add_parser("backup", help="立即备份数据库（备份保存在数据库旁的 backups 文件夹）")
    s = sub.add_parser("restore", help="用备份恢复数据库（恢复前自动备份当前数据）")
    s.add_argument("file", metavar="FILE", help="备份文件（路径，或 backups 文件夹中的文件名）")
    s = sub.add_parser("verify", help="检查数据库是否完好、修改记录是否被篡改")
    s.add_argument(
        "--code",
        metavar="XXXXXXXXXXXXXXXX",
        help="核对此前印出的台账校验码（PDF 页脚、Excel 汇总表）：此后台账是否有改动",
    )
    return p


def _utf8_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass


def db_path(args: argparse.Namespace) -> Path:
    from .paths import default_db_path, demo_db_path

    if args.db:
        return Path(args.db)
    return demo_db_path() if args.demo else default_db_path()


def run_command(args: argparse.Namespace) -> int:
    """Run one headless command; user errors become a message on stderr and exit 1."""
    _utf8_streams()
    from .services.ledger import Ledger

    handler = COMMANDS[args.command]
    lock = None
    path = db_path(args)
    created = not path.exists()  # --db FILE makes the file: not when the command fails
    status = 1
    try:
        if args.command not in PATH_COMMANDS:
            from .storage.backup import start_inspection

            # the check made on opening runs beside the command's imports (openpyxl,
            # reportlab …): SQLite releases the GIL while it reads the whole file
            start_inspection(path)
        # the modules loaded so far live as long as the command: spare the garbage
        # collector's full passes walking them while the command builds its rows
        gc.freeze()
        if args.command in LOCKED_COMMANDS:
            from .storage.lock import acquire_lock

            lock = acquire_lock(path)
        if args.command in PATH_COMMANDS:
            status = int(handler(path, args) or 0)
            return status
        ledger = Ledger.open(path)
        try:
            status = int(handler(ledger, args) or 0)
            return status
        finally:
            ledger.close()
    except UserError as e:
        print(str(e), file=sys.stderr)
        return 1
    except OSError as e:
        from .errors import os_error_text

        where = f"{e.filename}：" if e.filename else ""
        print(f"文件操作失败：{where}{os_error_text(e)}", file=sys.stderr)
        return 1
    except (sqlite3.DatabaseError, UnicodeDecodeError) as e:
        # a damaged file found while reading (text that is not UTF-8, a broken page the
        # opening check did not reach): damage, said as such, with the backup to restore
        from .storage.backup import read_damage

        damage = read_damage(e, path)
        if damage is None:
            raise
        print(damage, file=sys.stderr)
        return 1
    finally:
        if lock is not None:
            lock.release()
        if created and status != 0:
            _remove_new_database(path)


def _remove_new_database(path: Path) -> None:
    """A database this command created and then failed with (say, an import with errors
    into a new file) is removed again: nothing is left that looks like a ledger."""
    for suffix in ("", "-wal", "-shm", ".lock"):
        try:
            Path(str(path) + suffix).unlink(missing_ok=True)
        except OSError:
            pass


# --- the commands ---------------------------------------------------------------------------


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def cmd_import(ledger: Ledger, args: argparse.Namespace) -> int:
    """``import WORKBOOK.xlsx``: a backup first, then all or nothing; a short summary."""
    from .services.importer import import_workbook
    from .services.safety import maybe_backup

    maybe_backup(ledger, "before-import")
    plan = import_workbook(ledger, args.workbook)
    title = f"已导入“{plan.path.name}”" if plan.has_changes else f"“{plan.path.name}”中没有新的数据"
    print(title + "：")
    for line in plan.summary_lines():
        print("  " + line)
    for w in plan.warnings:
        print("  提示：" + w)
    return 0


def cmd_export_xlsx(ledger: Ledger, args: argparse.Namespace) -> int:
    """``export-xlsx --year Y [--quarter Q] -o OUT [--mask] [--show-base]``."""
    from .services.exports import export_xlsx
    from .workbook.writer import MASK_MESSAGE

    mask = bool(getattr(args, "mask", False))
    show_base = bool(getattr(args, "show_base", False))
    path = export_xlsx(
        ledger,
        args.year,
        getattr(args, "quarter", None),
        args.output,
        mask=mask,
        show_base=show_base,
    )
    print(f"已导出：{path}")
    if mask:
        print(MASK_MESSAGE)
    return 0


def cmd_export_pdf(ledger: Ledger, args: argparse.Namespace) -> int:
    """``export-pdf --year Y [--quarter Q] -o OUT.pdf``."""
    from .services.exports import export_pdf

    path = export_pdf(ledger, args.year, getattr(args, "quarter", None), args.output)
    print(f"已导出：{path}")
    return 0


def cmd_check(ledger: Ledger, args: argparse.Namespace) -> int:
    """``check --year Y [--quarter Q] [--json]``."""
    from .services.period import load

    model = load(ledger, args.year, getattr(args, "quarter", None))
    if getattr(args, "json", False):
        # the contract's object, then the additive keys of issue 18 when they list anything
        _print_json({**model.check.to_json(), **model.check_additions()})
    else:
        from .domain.followup import format_followup_text

        print(format_check_text(model.check, model.branch.name), end="")
        print(format_followup_text(model), end="")
    return 0


def cmd_dues(ledger: Ledger, args: argparse.Namespace) -> int:
    """``dues --year Y [--json]``."""
    from .services.dues import to_json
    from .services.period import load

    model = load(ledger, args.year)
    if getattr(args, "json", False):
        _print_json(to_json(model.dues_year))
    else:
        print(format_dues_text(model.dues_year, model.branch.name), end="")
    return 0


def _safety(name: str):
    def run(path: Path, args: argparse.Namespace) -> int:
        from .services import safety

        return int(getattr(safety, name)(path, args) or 0)

    return run


COMMANDS = {
    "import": cmd_import,
    "export-xlsx": cmd_export_xlsx,
    "export-pdf": cmd_export_pdf,
    "check": cmd_check,
    "dues": cmd_dues,
    "backup": _safety("cmd_backup"),
    "restore": _safety("cmd_restore"),
    "verify": _safety("cmd_verify"),
}


# --- readable reports ------------------------------------------------------------------------

_PERIOD_WORDS = {"month": "月", "quarter": "季度"}


def _gap_period(g) -> str:
    """``2025年4月``, or ``2025年4月（开 1 次，应开 2 次）`` when held some but too few."""
    if g.held:
        return f"{g.period.label}（开 {g.held} 次，应开 {g.required} 次）"
    return g.period.label


def format_check_text(result: CheckResult, branch_name: str) -> str:
    """The readable Chinese report of ``check`` (without ``--json``): the same items."""
    from .domain.compliance import ALERT_KINDS
    from .domain.period import alert_text

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
            lines.append(f"  {a.name}：{alert_text(a)}")

    lines.append("")
    lines.append(f"三、记录不完整（{len(result.incomplete_records)} 条）")
    if not result.incomplete_records:
        lines.append("  无")
    for r in result.incomplete_records:
        lines.append(f"  {r.date.isoformat()}  {r.item}：缺少 {'、'.join(r.missing)}")
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = []
        for i, (c, w) in enumerate(zip(r, widths)):
            pad = " " * max(w - _width(c), 0)
            cells.append(pad + c if i in right else c + pad)
        lines.append("  ".join(cells).rstrip())
    return lines


def format_dues_text(dues_year: DuesYear, branch_name: str = "") -> str:
    """The readable Chinese report of ``dues`` without ``--json``."""
    from .domain.dues import ROUNDING_LABELS, arrears_text, format_months
    from .domain.money import format_fen, format_yuan

    y = dues_year.year
    title = f"{branch_name} {y}年党费收缴情况".strip()
    out = [title, f"（月应缴{ROUNDING_LABELS.get(dues_year.rounding, '')}；金额单位：元）", ""]
    if not dues_year.members:
        out.append(f"{y}年没有在册党员。")
        return "\n".join(out) + "\n"
    header = [
        "姓名",
        "人员类别",
        "党小组",
        "月缴费基数",
        "比例",
        "月应缴",
        "应缴合计",
        "实缴合计",
        "欠缴月份",
    ]
    rows = [
        [
            m.name,
            m.category,
            m.group or "",
            format_fen(m.base_fen),
            m.rate_text,
            format_fen(m.monthly_due_fen),
            format_fen(m.due_fen),
            format_fen(m.paid_fen),
            format_months(m.unpaid_months) or "—",
        ]
        for m in dues_year.members
    ]
    t = dues_year.totals
    rows.append(["合计", "", "", "", "", "", format_fen(t.due_fen), format_fen(t.paid_fen), ""])
    out += _table(header, rows, right={3, 5, 6, 7})
    out.append("")
    summary = (
        f"{len(dues_year.members)}名党员，应缴合计{format_yuan(t.due_fen)}，"
        f"实缴合计{format_yuan(t.paid_fen)}，欠缴{format_yuan(t.short_fen)}"
    )
    if t.collecting_fen:
        summary += f"，待缴（本月）{format_yuan(t.collecting_fen)}"
    if t.pending_fen:
        summary += f"，未到期{format_yuan(t.pending_fen)}"
    if t.extra_fen:
        summary += f"，多交（含预交）{format_yuan(t.extra_fen)}"
    out.append(summary + "。")
    if len(dues_year.by_group) > 1:
        out.append("")
        out.append("按党小组：")
        for name, g in dues_year.by_group.items():
            out.append(
                f"  {name}：应缴合计{format_yuan(g.due_fen)}，实缴合计{format_yuan(g.paid_fen)}，"
                f"欠缴{format_yuan(g.short_fen)}"
            )
    out.append("")
    out.append("按月份：")
    month_rows = [
        [
            f"{mo}月",
            format_fen(t.due_fen),
            format_fen(t.paid_fen),
            format_fen(t.short_fen),
            str(t.unpaid_count),
        ]
        for mo, t in dues_year.by_month.items()
        if t.due_fen or t.paid_fen or t.unpaid_count
    ]
    out += [
        "  " + line
        for line in _table(["月份", "应缴", "实缴", "欠缴", "未缴人数"], month_rows, {1, 2, 3, 4})
    ]
    unset = [m.name for m in dues_year.members if m.unset and m.owed_months]
    if unset:
        out.append("")
        out.append(f"未核定缴费基数（月应缴未知，未计入应缴）：{'、'.join(unset)}")
    late = dues_year.in_arrears
    if late:
        out.append("")
        out.append("欠缴党费：")
        for m in late:
            line = f"  {arrears_text(m, y)}"
            run = m.arrears_run
            if run and run[2] != len(m.unpaid_months):
                line += f"；全年欠缴{format_months(m.unpaid_months)}"
            out.append(line)
    return "\n".join(out) + "\n"
