"""支部台账 — a party branch's work ledger."""

from __future__ import annotations


def _version() -> str:
    """The version, from pyproject.toml (its one source). Read straight from the file
    beside the package (a source tree, or the frozen bundle, which carries it): that costs
    a fraction of importlib.metadata's scan of every installed distribution."""
    import re
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for base in (Path(getattr(sys, "_MEIPASS", "")), here.parent):
        try:
            text = (base / "pyproject.toml").read_text("utf-8")
        except OSError:
            continue
        m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
        if m:
            return m.group(1)
    try:
        from importlib.metadata import version

        return version("zhibu-taizhang")
    except Exception:
        return "0"


__version__ = _version()
APP_NAME = "支部台账"
APP_ID = "zhibu-taizhang"
