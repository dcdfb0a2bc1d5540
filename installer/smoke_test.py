"""Run the built bundle like a clerk's PC would: no Python, no source tree on the path.

    python installer/smoke_test.py [dist/zhibu-taizhang]

Checks --version, an import of the sample workbook into a fresh database, check --json,
export-xlsx, export-pdf, and the window started offscreen for a few seconds. Prints the
bundle size and the frozen program's cold start time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "示例党支部-2024.xlsx"


def main() -> int:
    bundle = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "zhibu-taizhang"
    exe = bundle / ("zhibu-cli.exe" if os.name == "nt" else "zhibu-cli")
    gui = bundle / ("zhibu-taizhang.exe" if os.name == "nt" else "zhibu-taizhang")
    work = Path(tempfile.mkdtemp(prefix="zhibu-smoke-"))
    # a bare environment: no virtualenv, no PYTHONPATH, a data folder of its own
    env = {
        "PATH": "/usr/bin:/bin" if os.name != "nt" else os.environ.get("SystemRoot", "") + r"\system32",
        "HOME": str(work),
        "LEDGER_DATA_DIR": str(work / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    if os.name == "nt":
        env["SystemRoot"] = os.environ.get("SystemRoot", r"C:\Windows")
    db = work / "smoke.db"

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        t0 = time.perf_counter()
        p = subprocess.run([str(exe), *args], cwd=work, env=env, capture_output=True, text=True,
                           encoding="utf-8", timeout=120)
        dt = time.perf_counter() - t0
        print(f"$ zhibu-cli {' '.join(args)}  → {p.returncode} ({dt:.2f} s)")
        if check and p.returncode != 0:
            print(p.stdout, p.stderr, sep="\n")
            raise SystemExit(f"smoke test failed: {' '.join(args)}")
        return p

    version = run("--version").stdout.strip()
    print("  ", version)
    run("--db", str(db), "import", str(SAMPLE))
    result = json.loads(run("--db", str(db), "check", "--year", "2024", "--json").stdout)
    assert result["year"] == 2024 and result["gaps"], result
    run("--db", str(db), "dues", "--year", "2024", "--json")
    run("--db", str(db), "export-xlsx", "--year", "2024", "-o", str(work / "out.xlsx"))
    run("--db", str(db), "export-pdf", "--year", "2024", "-o", str(work / "out.pdf"))
    assert (work / "out.xlsx").stat().st_size > 1000 and (work / "out.pdf").stat().st_size > 1000

    # the window, offscreen; LEDGER_QUIT_AFTER_MS makes it close itself once shown and idle
    genv = dict(env, LEDGER_QUIT_AFTER_MS="1")
    t0 = time.perf_counter()
    p = subprocess.run([str(gui), "--db", str(db)], cwd=work, env=genv, capture_output=True,
                       text=True, encoding="utf-8", timeout=60)
    start = time.perf_counter() - t0
    if p.returncode != 0:
        print(p.stdout, p.stderr, sep="\n")
        raise SystemExit("smoke test failed: the window did not start")
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6
    print(f"window started and closed: {start:.2f} s; bundle size {size:.0f} MB")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
