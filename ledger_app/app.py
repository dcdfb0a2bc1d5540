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
    from .ui.main import run_gui

    return run_gui(db_path(args), demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
