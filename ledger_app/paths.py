"""Where the program keeps its files: the user's data folder, logs, backups, resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import APP_ID


def data_dir() -> Path:
    """The user's data folder (``LEDGER_DATA_DIR`` overrides it, for tests and portable use)."""
    override = os.environ.get("LEDGER_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_ID, appauthor=False, roaming=True))


def default_db_path() -> Path:
    return data_dir() / "ledger.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def log_dir() -> Path:
    return data_dir() / "logs"


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside a frozen bundle."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def serif_font_path() -> Path:
    """AR PL UMing (宋体-like, Arphic Public License): the body text of the PDF."""
    return resources_dir() / "fonts" / "uming.ttc"


def sample_workbook() -> Path:
    """The sample workbook shipped with the program (a small branch's first half of 2024,
    in the format of docs/台账格式.md): to learn the format, or to try the program."""
    return resources_dir() / "samples" / "示例党支部-2024.xlsx"
