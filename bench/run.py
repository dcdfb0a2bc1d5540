"""The benchmark: the program against the floor of the libraries underneath it.

    python bench/run.py [--quick] [--runs N] [--only KEY …] [--workdir DIR] [--no-write]

Set-up (not measured): generate the L and XL branches (bench/generate.py), import them into
L.db and XL.db, export the L year once to derive the floors' inputs. Then every row runs the
program and its floor alternately, each run in a fresh interpreter, and the table (median,
min–max, ratio to the floor, peak memory, target) is printed and written to bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = sys.executable
YEAR = "2025"  # the generator's last year: the L year and the XL year looked at
GUI_MS = 100.0  # every GUI action on XL
FILE_S = 5.0  # the L year's PDF and workbook


@dataclass
class Run:
    seconds: float  # wall time from spawn to exit, or the probe's own figure (in-process)
    peak_kb: int
    info: dict = field(default_factory=dict)


@dataclass
class Side:
    """One command: argv (or a function of the program side's last info, for floors that
    must match the program's row counts) and a preparation step run before each start."""

    argv: list[str] | Callable[[dict], list[str]]
    in_process: bool = False  # the figure is the JSON "ms" the command prints
    prepare: Callable[[], None] | None = None


@dataclass
class Row:
    key: str
    title: str
    app: Side
    floor: Side
    floor_title: str
    max_ratio: float | None = None
    max_seconds: float | None = None
    runs: int = 5
    note: str = ""
    app_runs: list[Run] = field(default_factory=list)
    floor_runs: list[Run] = field(default_factory=list)
    error: str | None = None


class Failed(Exception):
    pass


def spawn(argv: list[str], env: dict[str, str], workdir: Path, in_process: bool) -> Run:
    """Run one fresh process; wall time and its own peak RSS (wait4 rusage of that child)."""
    out_path, err_path = workdir / "last.out", workdir / "last.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        env = {**env, "BENCH_SPAWNED_AT": repr(time.monotonic())}  # system-wide clock
        started = time.perf_counter()
        pid = os.posix_spawn(
            argv[0],
            argv,
            env,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
            ],
        )
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        raise Failed(f"exit {code}: {' '.join(argv[1:])}\n{stderr[-1500:]}")
    info: dict = {}
    if in_process:
        info = json.loads(stdout.strip().splitlines()[-1])
        wall = info["ms"] / 1000
    return Run(wall, usage.ru_maxrss, info)


def base_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LEDGER_DATA_DIR=str(workdir / "data"),  # never the user's data or window.ini
        QT_QPA_PLATFORM="offscreen",
        LEDGER_QUIT_AFTER_MS="0",
        BENCH_STYLE_SHEET_FILE=str(workdir / "style.qss"),
        PYTHONDONTWRITEBYTECODE="",
    )
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def setup(workdir: Path, env: dict[str, str], sizes: set[str]) -> None:
    """The branches, their databases and the floors' inputs (not measured)."""

    def run(*argv: str) -> str:
        print("  $", " ".join(argv), end="", flush=True)
        started = time.perf_counter()
        done = subprocess.run(
            [PY, *argv], cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8"
        )
        print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
        if done.returncode:
            raise SystemExit(f"set-up failed: {' '.join(argv)}\n{done.stdout}\n{done.stderr}")
        return done.stdout

    workdir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(workdir / "data", ignore_errors=True)
    (workdir / "data").mkdir()
    run(str(BENCH / "probes.py"), "style-sheet", str(workdir / "style.qss"))
    for size in sorted(sizes):
        book, db = workdir / f"{size}.xlsx", workdir / f"{size}.db"
        run(str(BENCH / "generate.py"), size, str(book))
        for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            p.unlink(missing_ok=True)
        run("main.py", "--db", str(db), "import", str(book))
    if "L" in sizes:
        db = str(workdir / "L.db")
        out = workdir / "L-export.xlsx"
        run("main.py", "--db", db, "export-xlsx", "--year", YEAR, "-o", str(out))
        print(
            "   ",
            run(
                str(BENCH / "probes.py"), "xlsx-cells", str(out), str(workdir / "cells.pickle")
            ).strip()[:200],
        )
        print(
            "   ",
            run(
                str(BENCH / "probes.py"), "pdf-tables", db, YEAR, str(workdir / "tables.pickle")
            ).strip(),
        )


def rows(workdir: Path) -> list[Row]:
    w = workdir
    L, XL = str(w / "L.db"), str(w / "XL.db")
    probes, floors = str(BENCH / "probes.py"), str(BENCH / "floors.py")

    def fresh(*paths: Path) -> Callable[[], None]:
        def prepare() -> None:
            for p in paths:
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink(missing_ok=True)

        return prepare

    main_window = ROOT / "ledger_app" / "ui" / "main.py"
    has_quit = main_window.exists() and "LEDGER_QUIT_AFTER_MS" in main_window.read_text(
        encoding="utf-8"
    )
    start_argv = [PY, str(ROOT / "main.py"), "--db", L] if has_quit else [PY, probes, "start", L]
    new_db = w / "new.db"

    def page_floor(what: str) -> Callable[[dict], list[str]]:
        return lambda info: [
            PY,
            floors,
            "table",
            XL,
            what,
            str(info.get("rows", 300)),
            str(info.get("cols", 10)),
        ]

    def page(key: str, title: str, what: str, floor_title: str) -> Row:
        return Row(
            key,
            title,
            Side([PY, probes, "gui-page", XL, key, YEAR], in_process=True),
            Side(page_floor(what), in_process=True),
            floor_title,
            max_seconds=GUI_MS / 1000,
        )

    start_note = (
        ""
        if has_quit
        else "ui/main.py 还没有 LEDGER_QUIT_AFTER_MS：经 bench/probes.py start 启动同一个 "
        "main()（先建 QApplication，排一个 0 ms 定时器在事件循环空闲时退出）"
    )
    return [
        Row(
            "start",
            "启动到主窗口显示并空闲（L 库）",
            Side(start_argv, prepare=fresh(w / "data" / "window.ini")),
            Side([PY, floors, "window"]),
            "PySide6 空窗口 + 一个 QTableView，显示后空闲即退出",
            max_ratio=1.5,
            note=start_note,
        ),
        Row(
            "start-bundle",
            "同上，但 numpy 不可导入（安装包的情形）",
            Side(
                [PY, probes, "without-numpy", *start_argv[1:]],
                prepare=fresh(w / "data" / "window.ini"),
            ),
            Side([PY, floors, "window"]),
            "同上",
            max_ratio=1.5,
            note="sqlite-utils 在 numpy 存在时导入它（约 0.1 s）；installer/zhibu.spec 排除了 numpy，"
            "所以安装包用户不付这笔；开发环境里装了 numpy（scipy 的依赖）。",
        ),
        Row(
            "start-idle",
            "启动到空闲，不含退出（L 库）",
            Side(
                [PY, probes, "start", L], in_process=True, prepare=fresh(w / "data" / "window.ini")
            ),
            Side([PY, floors, "window"], in_process=True),
            "同上，计到窗口显示后事件循环第一次空闲为止",
            max_ratio=1.5,
            note="从父进程启动子进程算起（CLOCK_MONOTONIC 跨进程可比），到 0 ms 定时器触发；"
            "不含解释器和 Qt 的退出清理（程序约 85 ms，裸窗口约 30 ms），所以最接近用户"
            "感受到的“可以用了”。",
        ),
        Row(
            "import",
            "导入 L 工作簿（新库）",
            Side(
                [PY, str(ROOT / "main.py"), "--db", str(new_db), "import", str(w / "L.xlsx")],
                prepare=fresh(new_db, w / "new.db-wal", w / "new.db-shm", w / "new.db.lock"),
            ),
            Side([PY, floors, "read-xlsx", str(w / "L.xlsx")]),
            "openpyxl read_only 读遍所有单元格（values_only）",
            max_ratio=2.0,
        ),
        Row(
            "export-xlsx",
            "导出 L 年度 Excel 台账",
            Side(
                [
                    PY,
                    str(ROOT / "main.py"),
                    "--db",
                    L,
                    "export-xlsx",
                    "--year",
                    YEAR,
                    "-o",
                    str(w / "out.xlsx"),
                ]
            ),
            Side([PY, floors, "write-xlsx", str(w / "cells.pickle"), str(w / "floor.xlsx")]),
            "openpyxl write_only 写同样的单元格（同表、同行列）",
            max_ratio=2.0,
            max_seconds=FILE_S,
        ),
        Row(
            "export-pdf",
            "导出 L 年度 PDF 汇总",
            Side(
                [
                    PY,
                    str(ROOT / "main.py"),
                    "--db",
                    L,
                    "export-pdf",
                    "--year",
                    YEAR,
                    "-o",
                    str(w / "out.pdf"),
                ]
            ),
            Side([PY, floors, "pdf", str(w / "tables.pickle"), str(w / "floor.pdf")]),
            "reportlab 裸排同样的表格和段落（同字体，每页一张表）",
            max_ratio=2.0,
            max_seconds=FILE_S,
            runs=3,
        ),
        Row(
            "check",
            "check --year 2025（XL 库）",
            Side([PY, str(ROOT / "main.py"), "--db", XL, "check", "--year", YEAR]),
            Side([PY, floors, "sql-check", XL, YEAR]),
            "sqlite3 取出 check 所需的全部行",
        ),
        Row(
            "dues",
            "dues --year 2025（XL 库）",
            Side([PY, str(ROOT / "main.py"), "--db", XL, "dues", "--year", YEAR]),
            Side([PY, floors, "sql-dues", XL, YEAR]),
            "sqlite3 取出 dues 所需的全部行",
        ),
        page(
            "roster",
            "打开党员名册（XL 库）",
            "member",
            "QTableView + 最简模型，一条 SELECT 同行列数",
        ),
        page(
            "meetings",
            "打开三会一课 2025 年列表（XL 库）",
            "record",
            "QTableView + 最简模型，一条 SELECT 同行列数",
        ),
        page(
            "board", "打开工作台 2025 年（XL 库）", "record", "QTableView + 最简模型，同网格行列数"
        ),
    ]


# --- what the profiles said --------------------------------------------------------------

# Written by hand from pyinstrument profiles (see README "找原因"); shown for missed rows.
CAUSES_DATE = "2026-11-23"
_START = (
    "比裸窗口多出的约 200 ms：导入 sqlite_utils（连带 click、dateutil 等约 70 ms；装了 numpy "
    "时再加约 75–100 ms，见 start-bundle 一行——安装包不含 numpy）；打开数据库时 "
    "storage/backup.py 的 inspect_file 做 PRAGMA quick_check（issue 7 要求的启动检查，随文件"
    "大小增长：L 库约 20–55 ms，81 MB 的 XL 库约 100 ms）；启动页工作台在 MainWindow 构造时同步"
    "建好（约 70 ms）；ui 模块导入时 PySide6 枚举创建约 30 ms；单例锁和打开时的自动备份检查。"
    "已做：版本号直接读 pyproject（省 25 ms）。建议：工作台在窗口显示后的第一个空闲时刻再装数据；"
    "quick_check 放到窗口显示后；长远看 storage 直接用 sqlite3 而不是 sqlite_utils。"
)
CAUSES: dict[str, str] = {
    "start": _START + "此行还含退出清理（约 85 ms，裸窗口约 30 ms）和关闭时的自动备份检查。",
    "start-bundle": "同第一行，少了 numpy 那一份。",
    "start-idle": "同第一行，不含退出清理。",
    "import": (
        "读工作簿本身和地板一样（同一个 openpyxl read_only）；多出的是：导入 sqlite_utils（+numpy）"
        "约 0.15 s，写库约 0.4 s——其中一大半是修改记录（storage/audit.py：每插一行触发器写一条带 "
        "JSON 的 audit，提交前 seal 逐条 sha256 成哈希链），以及导入前的自动备份检查。"
        "这是有意的设计代价（issue 7），importer.py / reader.py 里没有值得动的热点。"
    ),
    "export-xlsx": (
        "已做：单元格样式改为复制预先解析好的 StyleArray（原来每格按名字线性查找命名样式，约 22%），"
        "expected_members 先按党小组/支委筛（约 12%）：1.54 s → 1.05 s。剩下：工作簿用普通模式而非 "
        "write_only，保存时再遍历一遍（约 25%；合并标题、打印标题等用普通模式最稳）；三会一课表和"
        "汇总表各对记录调用一次 attendance.summarize。"
    ),
    "export-pdf": (
        "已达标。已做：单行表格单元格画成普通字符串、每个 Paragraph 只断行一次（4.2 s → 3.2 s，"
        "页面逐像素不变）。剩下：390 页记录页的 Paragraph 解析约 0.5 s；保存约 0.45 s（地板同样要付）。"
        "可选：PyPI 上的 rl_accel 再快约 13%（对地板同样有效，倍数不变）。"
    ),
    "meetings": (
        "已做：expected_members 先按会议类型筛、Member.start_date 不再建列表（212 → 约 108 ms）；"
        "“已修改”标记改由审计表的部分索引查找。剩下：读记录连同 1.5 万条出席明细约 35 ms"
        "（列表只需要应到/实到人数），每条记录再算一次 quorum_met。建议：列表的人数用 SQL 聚合，"
        "不经过完整的 Attendance 对象。"
    ),
    "board": (
        "已在 domain/compliance.py 和 services/compliance.py 里去掉了大头（改前约 450–740 ms）。"
        "剩下：读全年记录连同 1.5 万条出席明细 repo.records/_fill_attendance 约 55 ms"
        "（逐行建 Attendance 数据类）；check 约 25 ms；控件、显示和绘制约 55 ms；页面模块导入约 10 ms。"
        "建议：工作台先画网格（board 只要记录不要出席明细），预警和不完整记录在下一个空闲时刻再算；"
        "Attendance 用 slots 数据类或元组。"
    ),
}

# --- figures ------------------------------------------------------------------------------


def fmt_s(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def summary(runs: list[Run]) -> str:
    xs = [r.seconds for r in runs]
    med = statistics.median(xs)
    if len(xs) == 1:
        return fmt_s(med)
    return f"{fmt_s(med)} ({fmt_s(min(xs))}–{fmt_s(max(xs))})"


def peak_mb(runs: list[Run]) -> str:
    return f"{max(r.peak_kb for r in runs) / 1024:.0f}"


def verdict(row: Row) -> tuple[str, str, list[str]]:
    """(ratio text, target text, misses)."""
    if row.error or not row.app_runs:
        return "—", "—", [f"{row.title}: 未能测量（{(row.error or '').splitlines()[0]}）"]
    app = statistics.median(r.seconds for r in row.app_runs)
    floor = statistics.median(r.seconds for r in row.floor_runs) if row.floor_runs else None
    ratio = app / floor if floor else None
    goals, misses = [], []
    if row.max_ratio is not None:
        ok = ratio is not None and ratio <= row.max_ratio
        goals.append(f"≤{row.max_ratio:g}× {'✓' if ok else '✗'}")
        if not ok:
            misses.append(f"{row.title}: {ratio:.2f}× 地板，目标 ≤{row.max_ratio:g}×")
    if row.max_seconds is not None:
        ok = app <= row.max_seconds
        goals.append(f"<{fmt_s(row.max_seconds)} {'✓' if ok else '✗'}")
        if not ok:
            misses.append(f"{row.title}: {fmt_s(app)}，目标 <{fmt_s(row.max_seconds)}")
    ratio_text = f"**{ratio:.2f}×**" if ratio is not None else "—"
    return ratio_text, " ".join(goals) or "（只记录）", misses


def table(rows: list[Row]) -> tuple[str, list[str]]:
    lines = [
        "| 测量 | 对地板倍数 | 程序 中位数 (最小–最大) | 地板 中位数 (最小–最大) | 目标 | 峰值内存 MB 程序/地板 | 次数 |",
        "|---|---|---|---|---|---|---|",
    ]
    misses: list[str] = []
    for row in rows:
        ratio, goal, miss = verdict(row)
        misses += miss
        if row.error or not row.app_runs:
            lines.append(f"| {row.title} | — | 失败 | — | — | — | — |")
            continue
        floor = summary(row.floor_runs) if row.floor_runs else "—"
        fpeak = peak_mb(row.floor_runs) if row.floor_runs else "—"
        extra = ""
        info = row.app_runs[-1].info
        if "rows" in info:
            extra = f"<br>{info['rows']} 行 × {info['cols']} 列，其中导入页面模块 {info['import_ms']:.0f} ms"
        lines.append(
            f"| {row.title}{extra} | {ratio} | {summary(row.app_runs)} | {floor} | {goal} "
            f"| {peak_mb(row.app_runs)} / {fpeak} | {len(row.app_runs)} |"
        )
    return "\n".join(lines), misses


def versions() -> str:
    def v(mod: str) -> str:
        try:
            from importlib.metadata import version

            return version(mod)
        except Exception:
            return "?"

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} 核 {cpu}；Python {platform.python_version()}，"
        f"PySide6 {v('PySide6-Essentials') if v('PySide6-Essentials') != '?' else v('PySide6')}，"
        f"openpyxl {v('openpyxl')}，reportlab {v('reportlab')}，sqlite-utils {v('sqlite-utils')}；"
        f"Qt 平台 offscreen"
    )


def write_results(rows: list[Row], text: str, misses: list[str], load: tuple, args) -> str:
    started, ended = load
    doc = [
        "# 基准测试结果",
        "",
        f"由 `python bench/run.py{' --quick' if args.quick else ''}` 生成于 "
        f"{dt.datetime.now():%Y-%m-%d %H:%M}（说明见 bench/README.md）。",
        "",
        f"- 机器：{versions()}",
        f"- 负载（1/5/15 分钟平均）：开始时 {started[0]:.2f} / {started[1]:.2f} / {started[2]:.2f}，"
        f"结束时 {ended[0]:.2f} / {ended[1]:.2f} / {ended[2]:.2f}"
        + ("　※ 机器并不空闲，数字偏慢、波动偏大" if max(started[0], ended[0]) > 1.0 else ""),
        "- 每次测量都在新进程中运行（解释器启动和模块导入都计入）；界面页面几行量的是在已启动的"
        "进程里“点一下到画好”：导入页面模块、构造页面（装入数据）、show、processEvents、grab()；"
        "程序和地板交替运行；“对地板倍数”= 程序中位数 ÷ 地板中位数。",
        "",
        text,
        "",
    ]
    if misses:
        doc += ["## 未达标", ""] + [f"- {m}" for m in misses] + [""]
    else:
        doc += ["全部目标达成。", ""]
    missed = [r for r in rows if verdict(r)[2] and r.key in CAUSES]
    if missed:
        doc += [f"## 未达标的原因（剖析所得，{CAUSES_DATE}；代码改动后可能过时）", ""]
        for row in missed:
            doc.append(f"- **{row.title}**：{CAUSES[row.key]}")
        doc.append("")
    doc += ["## 地板是什么", ""]
    for row in rows:
        doc.append(f"- {row.title}：{row.floor_title}" + (f"。注：{row.note}" if row.note else ""))
    doc.append("")
    content = "\n".join(doc)
    if not args.no_write:
        (BENCH / "results.md").write_text(content, encoding="utf-8")
    return content


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--quick", action="store_true", help="one run of each (a smoke test of the harness)"
    )
    p.add_argument("--runs", type=int, help="runs of each row (default 5; 3 for the PDF)")
    p.add_argument(
        "--only",
        nargs="+",
        metavar="KEY",
        help="only these rows (start start-bundle start-idle import export-xlsx export-pdf check dues roster meetings board)",
    )
    p.add_argument(
        "--workdir", default="/tmp/ledger-bench", help="scratch folder (default /tmp/ledger-bench)"
    )
    p.add_argument(
        "--reuse",
        action="store_true",
        help="keep the generated workbooks and databases of the last run",
    )
    p.add_argument(
        "--no-write", action="store_true", help="print only, leave bench/results.md alone"
    )
    args = p.parse_args(argv)

    workdir = Path(args.workdir)
    env = base_env(workdir)
    load_before = os.getloadavg()
    all_rows = rows(workdir)
    chosen = [r for r in all_rows if not args.only or r.key in args.only]
    if not args.reuse:
        needs = (
            {"L"}
            if all(
                r.key in ("start", "start-bundle", "import", "export-xlsx", "export-pdf")
                for r in chosen
            )
            else {"L", "XL"}
        )
        print("set-up (not measured):", flush=True)
        setup(workdir, env, needs)
    for row in chosen:
        n = 1 if args.quick else (args.runs or row.runs)
        print(f"{row.key}: ", end="", flush=True)
        try:
            for _ in range(n):
                for side, runs in ((row.app, row.app_runs), (row.floor, row.floor_runs)):
                    if side.prepare:
                        side.prepare()
                    argv = (
                        side.argv(row.app_runs[-1].info if row.app_runs else {})
                        if callable(side.argv)
                        else side.argv
                    )
                    runs.append(spawn(argv, env, workdir, side.in_process))
                print(".", end="", flush=True)
            print(f" {summary(row.app_runs)} vs {summary(row.floor_runs)}", flush=True)
        except Failed as e:
            row.error = str(e)
            print(f" FAILED\n{e}", flush=True)
    text, misses = table(chosen)
    content = write_results(chosen, text, misses, (load_before, os.getloadavg()), args)
    print()
    print(content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
