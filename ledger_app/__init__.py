"""支部台账 — a party branch's work ledger."""

from __future__ import annotations


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("zhibu-taizhang")
    except Exception:  # running from a source tree that was not installed
        import re
        from pathlib import Path

        text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8")
        m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
        return m.group(1) if m else "0"


__version__ = _version()
APP_NAME = "支部台账"
APP_ID = "zhibu-taizhang"
