"""上级党委汇总 (the committee view): read the workbooks many branches exported, each into a
scratch in-memory ledger through the same reader and importer as ``import`` (a workbook
with any error is reported with its errors and skipped, never half-read), build each
branch's period model for the year and its quarters, and compare them.

Nothing is written into the folder. Results are cached in the data folder by the file's
SHA-256 (and the year and "today" they were computed for), so a folder opened again only
reads the workbooks that changed. The workbooks are read in worker processes (one per
core, at most 4); each is independent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from ..domain.committee import (
    CODE_CHANGED,
    CODE_NONE,
    CODE_OK,
    CODE_OTHER,
    BranchResult,
    CommitteeReport,
    Failure,
    figures_of,
    rank,
)
from ..domain.dates import Period
from ..errors import UserError

CACHE_VERSION = "1"  # bump when what a BranchResult holds or means changes
MAX_CACHE_FILES = 2000
MAX_FILES = 2000

# progress(done, total, file name); raise from it to cancel
Progress = Callable[[int, int, str], None]


def workbooks(folder: str | Path) -> list[Path]:
    """The ``.xlsx`` files directly in ``folder`` (not Excel's ``~$`` lock files), by name."""
    p = Path(folder)
    if not p.is_dir():
        raise UserError(f"找不到文件夹：{p}")
    found = sorted(
        (f for f in p.iterdir() if f.suffix.lower() == ".xlsx" and not f.name.startswith("~$")),
        key=lambda f: f.name,
    )
    if len(found) > MAX_FILES:
        raise UserError(f"文件夹中有 {len(found)} 个工作簿，超过 {MAX_FILES} 个，请分批汇总。")
    return [f for f in found if f.is_file()]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- one workbook (runs in a worker process) -------------------------------------------------


def _blank_masked(data) -> bool:
    """A masked copy (``--mask``): its 公民身份号码 and 联系电话 cells are blanked, so members
    are matched by name as in a workbook that never had them. Returns whether it was."""
    from ..workbook.reader import HEADER_SEARCH_ROWS, normalize_header

    masked = False
    for sheet, rows in data.rows.items():
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            cols = [
                j for j, v in enumerate(row) if normalize_header(v) in ("公民身份号码", "联系电话")
            ]
            if not cols:
                continue
            found = any(
                "*" in str(r[j]) for r in rows[i + 1 :] for j in cols if j < len(r) and r[j]
            )
            if found:
                masked = True
                data.rows[sheet] = rows[: i + 1] + [
                    tuple(None if j in cols else v for j, v in enumerate(r)) for r in rows[i + 1 :]
                ]
            break
    return masked


def read_branch(
    path: str | Path, year: int | None, today: dt.date, sha: str = ""
) -> BranchResult | Failure:
    """One branch's workbook read and checked as ``import`` would, then its figures."""
    from ..domain.ledger_code import VERSION, content_code
    from ..errors import WorkbookError
    from ..storage.audit import remove_triggers
    from ..workbook import assessment_sheets as S
    from ..workbook.contract import SHEETS
    from ..workbook.fastread import read_values
    from .importer import analyze_workbook, apply_plan
    from .ledger import Ledger
    from .period import load

    p = Path(path)
    sha = sha or _sha256(p)
    try:
        data = read_values(p, SHEETS + S.SHEETS)  # openpyxl's values, read faster
    except WorkbookError as e:
        return Failure(p.name, sha, e.message, list(e.details))
    masked = _blank_masked(data)
    stamp = S.read_stamp(p)
    ledger = Ledger.open(None, today=today)
    try:
        remove_triggers(ledger.db)  # a scratch ledger: no audit trail to keep
        try:
            plan = analyze_workbook(ledger, p, data)
        except WorkbookError as e:
            return Failure(p.name, sha, e.message, list(e.details))
        if plan.errors:
            n = len(plan.errors)
            return Failure(p.name, sha, f"有 {n} 处错误，未汇总（按导入的规则检查）", plan.errors)
        apply_plan(ledger, plan)
        covers = stamp.get(S.STAMP_PERIOD, "")
        covered = _period_of(covers)
        y = year or (covered.year if covered else _latest_year(ledger))
        if y is None:
            return Failure(p.name, sha, "工作簿中没有任何记录、缴费或志愿服务，无法汇总")
        if covered is not None and covered.year != y:
            covered_label = covered.label
            covered = None
            warn = [f"工作簿报送的是{covered_label}的台账，不是{y}年的"]
        else:
            warn = []
        model = load(ledger, y)
        info = model.branch.info
        result = BranchResult(
            file=p.name,
            sha256=sha,
            branch=model.branch.name or p.stem,
            parent=info.get("上级党组织", ""),
            secretary=model.roster.secretary,
            covers=covered.key if covered else str(y),
            covers_label=covered.label if covered else f"{y}年",
            masked=masked,
            warnings=warn,
        )
        parts = [model] + [model.part(Period.quarter(y, q)) for q in range(1, 5)]
        for m in parts:
            inside = covered is None or covered.kind == "year" or m.period == covered
            result.periods.append(figures_of(m, covered=inside))
        # 内容校验码: of the period the workbook covers
        found = stamp.get(S.STAMP_CODE, "")
        if found:
            result.code_found = found
            if covered is None or stamp.get(S.STAMP_VERSION, VERSION) != VERSION:
                result.code_status = CODE_OTHER
            else:
                target = model if covered.kind == "year" else model.part(covered)
                result.code_computed = content_code(target)
                result.code_status = CODE_OK if found == result.code_computed else CODE_CHANGED
        else:
            result.code_status = CODE_NONE
        _self_assessment(result, model)
        return result
    finally:
        ledger.close()


def _period_of(key: str) -> Period | None:
    try:
        if "-Q" in key:
            y, q = key.split("-Q")
            return Period.quarter(int(y), int(q))
        if key.isdigit():
            return Period.whole_year(int(key))
    except ValueError:
        pass
    return None


def _latest_year(ledger) -> int | None:
    first = ledger.repo.records()
    years = {r.date.year for r in first}
    return max(years) if years else None


def _self_assessment(result: BranchResult, model) -> None:
    data = model.inputs.assessment
    year = model.assessment
    if data is not None and year is not None and data.saved(year.key):
        a = year
    elif model.month_assessments:
        a = model.month_assessments[-1]
    else:
        return
    result.self_total = a.total
    result.self_grade = a.grade or ""
    state = "已评定" if a.assessed else ("未评定" if a.complete else "未完成")
    result.self_state = f"{a.title}{state}"


def _worker(args: tuple[str, int | None, str, str]) -> dict:
    path, year, today, sha = args
    r = read_branch(path, year, dt.date.fromisoformat(today), sha)
    return {"ok": isinstance(r, BranchResult), "value": r.to_json()}


# --- the folder ------------------------------------------------------------------------------


def cache_dir() -> Path:
    from ..paths import data_dir

    return data_dir() / "committee-cache"


def _cache_key(sha: str, year: int | None, today: dt.date) -> str:
    from .. import __version__

    raw = f"{CACHE_VERSION}|{__version__}|{sha}|{year}|{today.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _cache_get(key: str) -> dict | None:
    f = cache_dir() / f"{key}.json"
    try:
        return json.loads(f.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _cache_put(key: str, value: dict) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(value, ensure_ascii=False), "utf-8")
        os.replace(tmp, folder / f"{key}.json")
        files = sorted(folder.glob("*.json"), key=lambda f: f.stat().st_mtime)
        for old in files[:-MAX_CACHE_FILES]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _from_json(value: dict) -> BranchResult | Failure:
    if value.get("ok"):
        return BranchResult.from_json(value["value"])
    return Failure(**value["value"])


def default_jobs(n: int) -> int:
    return max(1, min(os.cpu_count() or 1, 4, n))


def open_folder(
    folder: str | Path,
    year: int | None = None,
    *,
    today: dt.date | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> CommitteeReport:
    """Read every workbook in ``folder`` for ``year`` (None: the year the workbooks were
    exported for) and rank the branches. ``jobs``: worker processes (1: in this process).
    ``progress(done, total, name)`` may raise to cancel."""
    start = time.perf_counter()
    today = today or dt.date.today()
    files = workbooks(folder)
    if not files:
        raise UserError(f"文件夹“{folder}”中没有 Excel 工作簿（.xlsx）")
    total = len(files)
    done = 0
    results: dict[str, BranchResult | Failure] = {}
    todo: list[tuple[Path, str, str]] = []  # (path, sha, cache key)
    cached = 0
    for f in files:
        try:
            sha = _sha256(f)
        except OSError as e:
            results[f.name] = Failure(f.name, "", f"无法读取文件：{e.strerror or e}")
            continue
        key = _cache_key(sha, year, today)
        hit = _cache_get(key) if use_cache else None
        if hit is not None:
            try:
                results[f.name] = _from_json(hit)
                cached += 1
                done += 1
                if progress is not None:
                    progress(done, total, f.name)
                continue
            except (TypeError, KeyError):
                pass
        todo.append((f, sha, key))
    workers = default_jobs(len(todo)) if jobs is None else max(1, min(jobs, len(todo) or 1))

    def finished(path: Path, key: str | None, value: dict) -> None:
        nonlocal done
        results[path.name] = _from_json(value)
        if key is not None:
            _cache_put(key, value)
        done += 1
        if progress is not None:
            progress(done, total, path.name)

    def here(path: Path, sha: str, key: str) -> None:
        try:
            value = _worker((str(path), year, today.isoformat(), sha))
        except Exception as e:  # a bug on one file: reported for that file, not cached
            import logging

            logging.getLogger(__name__).exception("committee: reading %s failed", path)
            failure = Failure(path.name, sha, f"读取时程序出错（{type(e).__name__}），未汇总")
            finished(path, None, {"ok": False, "value": failure.to_json()})
            return
        finished(path, key, value)

    retry: list[tuple[Path, str, str]] = []
    if workers <= 1:
        for path, sha, key in todo:
            here(path, sha, key)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = multiprocessing.get_context("spawn")  # no fork of a Qt process
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {
                pool.submit(_worker, (str(path), year, today.isoformat(), sha)): (path, sha, key)
                for path, sha, key in todo
            }
            try:
                for fut in as_completed(futures):
                    path, sha, key = futures[fut]
                    try:
                        value = fut.result()
                    except Exception:  # the worker died (or could not start): read it here
                        retry.append((path, sha, key))
                        continue
                    finished(path, key, value)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        for path, sha, key in retry:
            here(path, sha, key)

    branches = [r for r in results.values() if isinstance(r, BranchResult)]
    failures = [r for r in results.values() if isinstance(r, Failure)]
    failures.sort(key=lambda f: f.file)
    the_year = year or _common_year(branches) or today.year
    if year is None:
        # the workbooks of another year than most: say so instead of ranking apples and pears
        for b in branches:
            if b.year.key != str(the_year):
                b.warnings.append(f"报送的是{b.year.label}的台账，与其他支部（{the_year}年）不同")
    report = CommitteeReport(
        folder=str(folder),
        year=the_year,
        today=today.isoformat(),
        branches=rank(branches),
        failures=failures,
        from_cache=cached,
        workers=workers if todo else 0,
    )
    report.seconds = time.perf_counter() - start
    return report


def _common_year(branches: list[BranchResult]) -> int | None:
    from collections import Counter

    years = Counter(int(b.year.key) for b in branches)
    return years.most_common(1)[0][0] if years else None


# --- the committee's own exports ---------------------------------------------------------------


def export_summary_xlsx(report: CommitteeReport, out: str | Path) -> Path:
    """The committee's Excel summary: ranking, each quarter, the workbooks not read."""
    from ..workbook.committee import write_summary

    return write_summary(report, Path(out))


def export_bulletin_pdf(report: CommitteeReport, quarter: int | None, out: str | Path) -> Path:
    """The 季度通报 (or, without ``quarter``, the year's 通报) as a PDF."""
    from ..reports.bulletin import write_bulletin

    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise UserError(f"季度应为 1–4：{quarter}")
    return write_bulletin(report, quarter, Path(out))


def to_json(report: CommitteeReport) -> dict:
    return report.to_json()
