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
GUI_2K_MS = 200.0  # every GUI action on a branch of 2,000 members
FILE_S = 5.0  # the L year's PDF and workbook
BIG = ("2000x3", "5000x1")  # large branches (members × years) for the workbook's rows


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
    floor: Side | None  # None: time and peak memory only (the rows at scale)
    floor_title: str
    max_ratio: float | None = None
    max_seconds: float | None = None
    runs: int = 5
    note: str = ""
    sizes: tuple[str, ...] = ()  # branches beyond L and XL it needs (bench/generate.py sizes)
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
    for size in BIG:  # the large branches' exports, for their floors' cells
        if size in sizes:
            out = workdir / f"{size}-export.xlsx"
            run("main.py", "--db", str(workdir / f"{size}.db"), "export-xlsx", "--year", YEAR,
                "-o", str(out))  # fmt: skip
            run(str(BENCH / "probes.py"), "xlsx-cells", str(out), str(workdir / f"{size}.pickle"))
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
    L, XL, K2 = str(w / "L.db"), str(w / "XL.db"), str(w / "2K.db")
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

    def page_floor(what: str, db: str = XL) -> Callable[[dict], list[str]]:
        return lambda info: [
            PY,
            floors,
            "table",
            db,
            what,
            str(max(info.get("rows", 300), 1)),
            str(max(info.get("cols", 10), 1)),
        ]

    def page(
        key: str, title: str, what: str, floor_title: str, db: str = XL, page_key: str = ""
    ) -> Row:
        return Row(
            key,
            title,
            Side([PY, probes, "gui-page", db, page_key or key, YEAR], in_process=True),
            Side(page_floor(what, db), in_process=True),
            floor_title,
            max_seconds=(GUI_2K_MS if db == K2 else GUI_MS) / 1000,
        )

    def form(key: str, title: str, what: str, db: str) -> Row:
        return Row(
            key,
            title,
            Side([PY, probes, "gui-form", db, what, YEAR], in_process=True),
            Side(page_floor("record", db), in_process=True),
            "QTableView + 最简模型，同出勤名单的行数 × 4 列",
            max_seconds=(GUI_2K_MS if db == K2 else GUI_MS) / 1000,
        )

    bare = "QTableView + 最简模型，一条 SELECT 同行列数"
    pages_2k = [
        page(f"2k-{key}", f"{title}（2K 库）", what, bare, K2, key)
        for key, title, what in (
            ("board", "打开工作台 2025 年", "record"),
            ("roster", "打开党员名册", "member"),
            ("meetings", "打开三会一课 2025 年列表", "record"),
            ("theme", "打开主题党日 2025 年列表", "record"),
            ("other", "打开组织生活 2025 年（含谈心谈话覆盖）", "record"),
            ("dues", "打开党费 2025 年", "member"),
            ("volunteer", "打开志愿服务 2025 年", "record"),
        )
    ]

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
        *(big_rows(w, size) for size in BIG for big_rows in (_big_import, _big_export)),
        Row(
            "check-open",
            "打开时的快速检查（XL 库，窗口等它）",
            Side([PY, probes, "check-file", XL, "quick"], in_process=True),
            Side([PY, floors, "pragma", XL, "quick_check"], in_process=True),
            "SQLite 的 PRAGMA quick_check",
        ),
        Row(
            "check-full",
            "第一次保存前的全面检查（XL 库，后台线程）",
            Side([PY, probes, "check-file", XL, "full"], in_process=True),
            Side([PY, floors, "pragma", XL, "integrity_check"], in_process=True),
            "SQLite 的 PRAGMA integrity_check（只查文件结构和索引，不查内容）",
            runs=3,
            note=(
                "程序在 integrity_check 之外还核对修改记录的校验链（每条一次 SHA-256，Python，"
                "十年约 21 万条）和每一行数据与它最后一条修改记录；所以不在每次启动时做，而在"
                "窗口出现后于后台线程里做，第一次保存等它（大多数时候早已做完）"
            ),
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
        *(
            Row(
                f"export-pdf-{size}",
                title,
                Side(
                    [
                        PY,
                        str(ROOT / "main.py"),
                        "--db",
                        str(w / f"{size}.db"),
                        "export-pdf",
                        "--year",
                        YEAR,
                        "-o",
                        str(w / "out.pdf"),
                    ]
                ),
                None,
                "（不比地板：只记录规模大时的时间和峰值内存）",
                runs=1,
                sizes=(size,),
            )
            for size, title in (
                ("2000x3", "导出 2000 人 × 3 年库的 2025 年度 PDF"),
                ("5000x1", "导出 5000 人库的年度 PDF"),
            )
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
        page(
            "board-year",
            "工作台改选 2024 年（XL 库，工作台已打开）",
            "record",
            "QTableView + 最简模型，同网格行列数",
        ),
        page("theme", "打开主题党日 2025 年列表（XL 库）", "record", bare),
        page("other", "打开组织生活 2025 年，含谈心谈话覆盖（XL 库）", "record", bare),
        page("dues-page", "打开党费 2025 年（XL 库）", "member", bare, page_key="dues"),
        page("volunteer", "打开志愿服务 2025 年（XL 库）", "record", bare),
        page("export-page", "打开导出（XL 库）", "record", bare, page_key="export"),
        page("settings", "打开设置（XL 库）", "record", bare),
        form("form-open", "打开 2025 年人数最多的会议记录（XL 库，从列表按 Enter）", "open", XL),
        form("form-save", "保存这条记录（XL 库，到列表重画好；连存三次取最慢）", "save", XL),
        *pages_2k,
        form("2k-form-open", "打开 2025 年人数最多的会议记录（2K 库）", "open", K2),
        form("2k-form-save", "保存这条记录（2K 库，连存三次取最慢）", "save", K2),
    ]


def _remove(*paths: Path) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def _big_name(size: str) -> str:
    members, _, years = size.partition("x")
    return f"{int(members):,} 人 × {years} 年"


def _big_import(w: Path, size: str) -> Row:
    """Importing a large branch's workbook into a new database (time and peak memory)."""
    db = w / f"new-{size}.db"
    return Row(
        f"import-{size}",
        f"导入 {_big_name(size)} 工作簿（新库）",
        Side(
            [PY, str(ROOT / "main.py"), "--db", str(db), "import", str(w / f"{size}.xlsx")],
            prepare=lambda: _remove(
                db, *(db.with_name(db.name + x) for x in ("-wal", "-shm", ".lock"))
            ),
        ),
        Side([PY, str(BENCH / "floors.py"), "read-xlsx", str(w / f"{size}.xlsx")]),
        "openpyxl read_only 读遍所有单元格（values_only）",
        runs=2,
    )


def _big_export(w: Path, size: str) -> Row:
    """Exporting a large branch's year to Excel (time and peak memory)."""
    return Row(
        f"export-xlsx-{size}",
        f"导出 {_big_name(size)} 的 {YEAR} 年 Excel 台账",
        Side(
            [
                PY,
                str(ROOT / "main.py"),
                "--db",
                str(w / f"{size}.db"),
                "export-xlsx",
                "--year",
                YEAR,
                "-o",
                str(w / f"out-{size}.xlsx"),
            ]  # fmt: skip
        ),
        Side(
            [
                PY,
                str(BENCH / "floors.py"),
                "write-xlsx",
                str(w / f"{size}.pickle"),
                str(w / f"floor-{size}.xlsx"),
            ]  # fmt: skip
        ),
        "openpyxl write_only 写同样的单元格（同表、同行列）",
        runs=2,
    )


# --- what the profiles said --------------------------------------------------------------

# Written by hand from pyinstrument profiles (see README "找原因"); shown for missed rows.
CAUSES_DATE = "2026-12-06"
_START = (
    "地板是一个空窗口（解释器启动 + 导入 Qt + 一个 QTableView，约 100–120 ms），程序在其上"
    "还要（probes 逐段计时，L 库）：导入 sqlite_utils 约 40 ms（其中约 11 ms 是 sqlite_utils.db "
    "编译两个正则；开发环境装了 numpy 时它还导入 numpy，再加 65–100 ms，见下一行）；程序自己的"
    "非 Qt 模块约 18 ms（约 30 个 dataclass，每个都经 exec 生成）；界面模块用到的 Qt 枚举约 "
    "25 ms（Qt 命名空间 12 ms、QStyle 4 ms）；字体、中文翻译和样式表约 10 ms；打开数据库约 5 ms；"
    "工作台约 45 ms（全年记录和 1.5 万条出勤约 20 ms、检查 12 ms、网格 4 ms、控件和首次绘制约 "
    "15 ms）。已做：quick_check 在线程里与导入 Qt 并行（SQLite 释放 GIL，原来 20–55 ms）；"
    "非 Qt 模块先于 PySide6 导入（PySide6 的导入钩子会读其后每个模块的源码，约 15 ms）；"
    "gc.freeze；打开时的自动备份检查推迟到窗口出现 2 秒后；退出用 os._exit（原来解释器和 Qt "
    "的清理约 55 ms）；锁文件不再为主机名导入 socket。剩下的都是真实工作；要再少，只能不用 "
    "sqlite_utils（它是这个项目定下的技术栈）或先显示空壳窗口（那样“可以用了”并不更早）。"
)
CAUSES: dict[str, str] = {
    "start": _START,
    "start-bundle": "同第一行，少了 numpy 那一份。",
    "start-idle": "同第一行，不含退出。",
    "import": (
        "已达标。已做：seal 一次取出、一条 UPDATE 写回全部哈希（链的定义不变）；批量插入；"
        "temp_store=MEMORY（每条触发审计的 INSERT 的语句日志超过 64 KiB 会落到临时文件）；"
        "导入期间暂停 GC。剩下：修改记录（触发器 + 哈希链）约 0.1 s，是有意的代价。"
    ),
    "export-xlsx": (
        "已达标。已做：工作表把 (值, 样式) 存成元组，自己写出 <sheetData>，与 openpyxl 逐字节"
        "相同（tests/test_workbook_grid.py）；每条记录的出勤汇总只算一次。"
    ),
    "export-pdf": (
        "已达标。已做：同一段文字的 Paragraph 复用解析结果的副本（约 1 万段、约 1000 种文字）；"
        "rl_accel（reportlab 作者的 C 加速模块）；此前：单行单元格画成普通字符串、每段只断行一次。"
        "剩下：表格样式、页眉页脚、书签和图表（地板没有这些）；保存约 0.3 s（地板同样要付）。"
    ),
    "board": (
        "工作台的数字来自期间模型（services/period.py，issue 14）：剖析（XL，进程 CPU 约 0.35 s）里 约 0.3 s 是它的检查为“连续几个月”的预警去读上一年的全部记录和出勤、再算一遍上一年的党费（services/period.py earlier → repo.records + dues.compute_year），约 0.1 s 是本年的党费计算；页面自己（格子、需办事项、列表、绘制）约 30 ms。这一块由期间模型的负责人改，界面不缓存它（缓存会显示过时的数字）。"
    ),
    "board-year": "同上一行：改选年度要为新的年度把期间模型（含上一年的预警回溯）再算一遍。",
    "2k-board": "同 XL 的工作台：2,000 人时上一年的记录、出勤和党费回溯各翻了几倍。",
    "dues-page": (
        "党费表的数字来自 services/dues.dues_report（期间模型的党费部分，issue 14 另行重做）："
        "剖析里约六成是逐人逐月计算（domain/dues.compute_year），约两成是读全年的缴费明细"
        "（供格子的提示和“补”字）；表格本身已改为按几个最宽的金额定列宽，不再逐格量。"
    ),
    "2k-dues": "同上一行，2,000 人：逐人逐月计算约 0.4 s（进程 CPU），界面约 60 ms。",
    "settings": (
        "设置页没有要读的数据：时间都花在建控件上——频次表 10 行各两个下拉框（“至少几次”"
        "有 32 项）、评议整改设置、备份与回收站列表；一个会话只建一次。"
    ),
    "volunteer": (
        "读全年的志愿服务和名册：services/volunteer 的两个查询（按党员合计、未达要求）各自读一遍"
        "名册（XL 600 人，各约 10 ms）；机器空闲时约 80 ms。"
    ),
    "2k-volunteer": "同上一行，2,000 人：两次读名册各约 30 ms。",
    "meetings": (
        "读全年记录（services/records.record_rows：记录、名册、出勤人数、修改痕迹各一条查询，"
        "判断人数过半的会读名单）；负载下偏慢，机器空闲时约 60–75 ms。保存一条记录后只重读这一条。"
    ),
    "other": "同三会一课的列表，另加一年的谈心谈话覆盖（列宽按姓名量，不再逐格问大小）。",
    "2k-meetings": (
        "2,000 人、200 个党小组，一年 2,420 条记录：记录、名册（2,200 人）、出勤人数和修改痕迹"
        "各读一遍约 0.15 s（进程 CPU）。"
    ),
    "2k-theme": (
        "主题党日列表只有 12 行，但要找出“兼主题党日”的会议，services/records.record_rows 读了"
        "全年 2,420 条三会一课记录再筛（以及 2,200 人的名册）。"
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
        if "all_ms" in info:
            extra = f"<br>出勤 {info['rows']} 人"
        elif "rows" in info:
            extra = (
                f"<br>{info['rows']} 行 × {info['cols']} 列"
                f"（另：载入页面模块 {info['import_ms']:.0f} ms，程序启动后空闲时已做）"
            )
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
        "进程里“点一下到画好”：构造页面（装入数据）、show、processEvents、grab()（页面模块像程序里"
        "一样先载入：窗口出现后空闲时逐个载入）；记录表单两行量的是从列表按 Enter 到表单画好、"
        "从按保存到列表重画好；"
        "程序和地板交替运行，先各跑一次不计（把文件读进页缓存）；“对地板倍数”= 程序中位数 ÷ 地板中位数。",
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
        help="only these rows (start start-bundle start-idle import export-xlsx export-pdf "
        "check-open check-full check "
        "dues roster meetings board board-year theme other dues-page volunteer export-page "
        "settings form-open form-save 2k-board 2k-roster 2k-meetings 2k-theme 2k-other "
        "2k-dues 2k-volunteer 2k-form-open 2k-form-save "
        "import-2000x3 export-xlsx-2000x3 import-5000x1 export-xlsx-5000x1 "
        "export-pdf-2000x3 export-pdf-5000x1)",
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
        l_only = ("start", "start-bundle", "start-idle", "import", "export-xlsx", "export-pdf")
        needs = {"L"}
        big = [r for r in chosen if r.key.endswith(BIG) or r.sizes]
        if any(
            r.key not in l_only and not r.key.startswith("2k-") and r not in big for r in chosen
        ):
            needs.add("XL")
        if any(r.key.startswith("2k-") for r in chosen):
            needs.add("2K")
        needs |= {size for size in BIG if any(r.key.endswith(size) for r in chosen)}
        needs |= {size for r in chosen for size in r.sizes}
        print("set-up (not measured):", flush=True)
        setup(workdir, env, needs)
    for row in chosen:
        n = 1 if args.quick else (args.runs or row.runs)
        print(f"{row.key}: ", end="", flush=True)
        try:
            # one unrecorded round first: files into the page cache, as for a user who has
            # run the program before (this VM's page cache is reclaimed between rows)
            warm = 0 if args.quick else 1
            info: dict = {}
            for i in range(warm + n):
                for side, runs in ((row.app, row.app_runs), (row.floor, row.floor_runs)):
                    if side is None:
                        continue
                    if side.prepare:
                        side.prepare()
                    argv = side.argv(info) if callable(side.argv) else side.argv
                    run = spawn(argv, env, workdir, side.in_process)
                    if side is row.app:
                        info = run.info
                    if i >= warm:
                        runs.append(run)
                print("." if i >= warm else "·", end="", flush=True)
            floor = summary(row.floor_runs) if row.floor_runs else "—"
            print(f" {summary(row.app_runs)} vs {floor}", flush=True)
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
