"""The committee view's folder: 50 branches × 300 members, each exported by the program.

    python bench/committee.py make DIR [--n 50]   # generate the folder (~1–2 min on 2 cores)
    python bench/committee.py time DIR            # open it: first (no cache), then again

Each branch is a synthetic 300-member year (bench/generate.py, its own seed, name, share of
meetings left out and of dues paid), imported into a scratch ledger, given a 自评 and a
年度工作计划 in some branches, and exported as the program exports (with its 内容校验码).
Then, as a committee meets them in real life: one branch sends a masked copy (--mask),
one a workbook edited in Excel after the export (its 内容校验码 no longer matches), one a
workbook with a date no one can read (reported with its error, not summed up).
Deterministic; nothing of it is committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 1, 15)  # 2025 has ended: every quarter is judged
YEAR = 2025
PLACES = "东南西北中"
KINDS = ("机关", "社区", "学校", "企业", "医院")


def branch_name(i: int) -> str:
    return f"{PLACES[i % 5]}城街道{KINDS[(i // 5) % 5]}第{i // 25 + 1}{'一二三四五六七八九十'[i % 10]}党支部"


def make_one(i: int, folder: str) -> str:
    from bench.generate import generate
    from ledger_app.domain.assessment import HandScore
    from ledger_app.domain.plan import PlanItem
    from ledger_app.services import assessment as AS
    from ledger_app.services import exports
    from ledger_app.services import plan as PL
    from ledger_app.services.importer import import_workbook
    from ledger_app.services.ledger import Ledger

    rng = random.Random(1000 + i)
    name = branch_name(i)
    miss = rng.choice((0.0, 0.0, 0.01, 0.03, 0.06, 0.12, 0.25))
    pay = rng.choice((0.995, 0.98, 0.95, 0.9, 0.8))
    with tempfile.TemporaryDirectory() as tmp:
        raw = generate(
            "L", Path(tmp) / "raw.xlsx", seed=100 + i, branch=name, miss=miss, pay_rate=pay
        )
        ledger = Ledger.open(None, today=TODAY)
        import_workbook(ledger, raw)
    if i % 3 != 2:  # two in three branches assessed themselves
        a = AS.assessment(ledger, YEAR)
        scores = []
        for line in a.lines:
            if line.auto is None:
                full = line.criterion.points
                got = full - rng.choice((0, 0, 5, 10))
                scores.append(
                    HandScore(line.criterion.key, got, "" if got == full else "材料不全，扣分")
                )
        AS.save_scores(ledger, str(YEAR), scores)
        if i % 4 == 0:
            AS.add_adjustment(ledger, str(YEAR), 20, "获评街道先进基层党组织")
        if i % 7 == 3:
            AS.add_adjustment(ledger, str(YEAR), -30, "党员违反工作纪律受到通报")
        AS.set_review(ledger, str(YEAR), dt.date(2026, 1, 10), "支部委员会", "")
    if i % 2 == 0:  # half kept a year plan
        for month, kind, topic, who in (
            (3, "党课", "学习党的二十届三中全会精神", "书记"),
            (6, "党课", "七一专题党课", "书记"),
            (9, "党课", "铸牢中华民族共同体意识", "宣讲团"),
            (12, "党课", "年终专题党课", "书记"),
            (6, "志愿服务", "社区服务", ""),
            (12, "组织生活会", "年度组织生活会", ""),
        ):
            PL.add_item(ledger, PlanItem(None, YEAR, month, kind, topic, who))
    out = Path(folder) / f"{i + 1:02d}-{name}.xlsx"
    exports.export_xlsx(ledger, YEAR, None, out, mask=(i == 7))
    ledger.close()
    return out.name


def tamper(path: Path) -> None:
    """Edit one payment in Excel's way after the export (the stamp stays, the content changes)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["党费"]
    for row in ws.iter_rows(min_row=3):
        cell = row[8]  # 3月
        if isinstance(cell.value, (int, float)):
            cell.value = cell.value + 100
            break
    wb.save(path)


def break_date(path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["三会一课"]
    ws.cell(row=5, column=2).value = "二〇二五年三月"
    wb.save(path)


def make(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        names = list(pool.map(make_one, range(n), [str(folder)] * n))
    files = sorted(folder.glob("*.xlsx"))
    if n > 20:
        tamper(files[12])
        break_date(files[30])
    print(f"{len(names)} 个工作簿 → {folder}（{time.perf_counter() - start:.0f} 秒）")


def timed(folder: Path, *extra: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its worker processes)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "committee", str(folder), *extra],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def time_it(folder: Path) -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as data:
        os.environ["LEDGER_DATA_DIR"] = data  # a cache of its own, empty at first
        cold, cold_cpu = timed(folder)
        warm, _ = timed(folder)
        one, one_cpu = timed(folder, "--no-cache", "--jobs", "1")
    n = len(list(folder.glob("*.xlsx")))
    print(
        f"{n} 个工作簿（开始时负载 {load:.1f}，{os.cpu_count()} 核）：\n"
        f"  首次打开：{cold:.1f} 秒（CPU {cold_cpu:.1f} 秒，{os.cpu_count()} 个进程）\n"
        f"  再次打开（用缓存）：{warm:.1f} 秒\n"
        f"  单进程：{one:.1f} 秒（CPU {one_cpu:.1f} 秒，每份 {one_cpu / n:.2f} 秒）"
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("action", choices=("make", "time"))
    ap.add_argument("folder", type=Path)
    ap.add_argument("--n", type=int, default=50)
    a = ap.parse_args()
    if a.action == "make":
        make(a.folder, a.n)
    else:
        time_it(a.folder)
