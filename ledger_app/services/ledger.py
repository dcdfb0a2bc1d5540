"""The open ledger: database, repository, today's date and the current user.

Every GUI action and CLI command works through a :class:`Ledger`; services take it as
their first argument and return a :class:`Changes` saying what to refresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from ..storage.db import open_database
from ..storage.repo import Repository


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so that views refresh only what they show."""

    branch: bool = False
    members: bool = False
    records: bool = False
    dues: bool = False
    volunteer: bool = False
    settings: bool = False
    followup: bool = False  # 民主评议等次, 整改清单 (issue 18)

    def __or__(self, other: Changes) -> Changes:
        return Changes(*(a or b for a, b in zip(self.__dict__.values(), other.__dict__.values())))

    @classmethod
    def everything(cls) -> Changes:
        return cls(*(True for _ in cls.__dataclass_fields__))


class Ledger:
    """One open database file and the context of the person using it."""

    def __init__(
        self, db: sqlite_utils.Database, path: Path | None = None, today: dt.date | None = None
    ):
        self.db = db
        self.repo = Repository(db)
        self.path = path
        self._today = today

    @classmethod
    def open(
        cls, path: str | Path | None, today: dt.date | None = None, sibling: Ledger | None = None
    ) -> Ledger:
        """``sibling``: the ledger of this program already open on the same file, whose
        checks a second connection (a worker thread's) shares instead of redoing them."""
        p = None if path is None or str(path) == ":memory:" else Path(path)
        return cls(open_database(p, sibling.db if sibling is not None else None), p, today)

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def user(self) -> str:
        """The name set in 设置 as the person keeping the ledger (for entered_by, audit)."""
        return self.repo.setting("user_name") or ""

    def close(self) -> None:
        self.db.close()
