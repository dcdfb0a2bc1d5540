"""合规检查 use cases: ``check`` on the command line, the 工作台 board and the PDF's list of
problems all come from here, on the one rule code in ``domain.compliance``."""

from __future__ import annotations

from ..domain.compliance import Board, CheckResult
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
