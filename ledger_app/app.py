"""Composition root: read the arguments, then run a headless command or open the window.

Heavy libraries (Qt, openpyxl, reportlab) are imported only on the path that needs them.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from .cli import build_parser, db_path, run_command

    args = build_parser().parse_args(argv)
    if args.command:
        return run_command(args)
    if args.committee is not None:  # 上级党委汇总: a window of its own, no ledger (issue 20)
        from .ui.committee import run_committee

        return run_committee(args.committee or None)
    path = db_path(args)
    from .storage.backup import start_inspection

    if not args.demo:  # (the demo file may be rebuilt before it is opened)
        start_inspection(path)  # the check on opening runs while Qt loads
    # the window's non-Qt modules before Qt: PySide6 hooks every later import and reads
    # the module's source (~15 ms for these when they come after it)
    from .services import compliance, ledger  # noqa: F401
    from .ui.main import run_gui

    return run_gui(path, demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
