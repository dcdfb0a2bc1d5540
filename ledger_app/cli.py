"""The headless commands of the contract (LEDGER_FORMAT.md §2), on the same services as the GUI.

Exit status: 0 success, 1 user error (message on stderr), 2 usage error (argparse).
Each command's work lives in the module that owns it; this file only parses arguments.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sqlite3
import sys
from pathlib import Path

from . import APP_NAME, __version__
from .errors import UserError

# command → "module:function"; the function takes (ledger, args) and returns an exit status
COMMANDS = {
    "import": "ledger_app.services.importer:cmd_import",
    "export-xlsx": "ledger_app.workbook.writer:cmd_export_xlsx",
    "export-pdf": "ledger_app.reports.pdf:cmd_export_pdf",
    "check": "ledger_app.services.compliance:cmd_check",
    "dues": "ledger_app.services.dues:cmd_dues",
    "backup": "ledger_app.services.safety:cmd_backup",
    "restore": "ledger_app.services.safety:cmd_restore",
    "verify": "ledger_app.services.safety:cmd_verify",
}
# these take (database path, args) instead: they must work on a file that cannot be opened
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

    module, func = COMMANDS[args.command].split(":")
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
        handler = getattr(importlib.import_module(module), func)
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
            if args.command == "import":
                from .services.safety import maybe_backup

                maybe_backup(ledger, "before-import")
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
