"""Writing a file the clerk asked for (an export) so that it is never half there.

The file is written under a temporary name beside the target, flushed to the disk, and only
then renamed over the target: a full disk, an error or a killed program leaves the old file
(or none) under the target's name, never half a workbook or PDF. A temporary file left by a
program that was killed is removed by the next export to the same name.
"""

from __future__ import annotations

import glob
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError, os_error_text

STALE_AFTER_SECONDS = 3600  # a temporary file this old belongs to no running export


def _temp_name(out: Path, tag: str) -> str:
    """``.~台账.xlsx.<tag>.part``: hidden beside the target, and recognisably its."""
    return f".~{out.name}.{tag}.part"


def check_target(out: Path) -> Path:
    """The folder an export to ``out`` is written in; a Chinese error when it cannot be
    (called early, before the long work, and again when writing)."""
    if out.is_dir():
        raise UserError(f"{out} 是文件夹，请给出要保存的文件名（如 台账{out.suffix or '.xlsx'}）。")
    if not out.parent.is_dir():
        raise UserError(f"文件夹不存在：{out.parent}")
    return out.parent


def remove_leftovers(out: Path) -> int:
    """Delete the temporary files of earlier exports to ``out`` that were killed half-way
    (only old ones: a younger one may belong to an export still running). Returns how many."""
    removed = 0
    now = time.time()
    pattern = glob.escape(_temp_name(out, "\0")).replace("\0", "*")
    for p in out.parent.glob(pattern):
        try:
            if now - p.stat().st_mtime > STALE_AFTER_SECONDS:
                p.unlink()
                removed += 1
        except OSError:
            pass  # in use, or gone already: not ours to insist on
    return removed


@contextmanager
def replacing(out_path: str | Path, held_by: str) -> Iterator[Path]:
    """``with replacing(out, "正在 Excel 或 WPS 中打开") as tmp:`` write ``tmp``; on leaving
    the block it becomes ``out`` (with the mode of the file it replaces). On an error ``tmp``
    is removed and ``out`` is as it was. ``held_by`` says what may hold ``out`` open."""
    out = Path(out_path)
    folder = check_target(out)
    remove_leftovers(out)
    tmp = folder / _temp_name(out, uuid.uuid4().hex[:8])
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, out.stat().st_mode & 0o777)  # replacing: keep the file's mode
        except OSError:
            pass  # a new file keeps the usual mode under the user's umask
        try:
            os.replace(tmp, out)
        except PermissionError as e:
            raise UserError(
                f"无法写入 {out}：文件可能{held_by}，请关闭后重试，或换一个文件名。"
            ) from e
    except BaseException as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(e, OSError):  # full disk, no permission …: in Chinese, naming the target
            kept = "原有文件未改动。" if out.exists() else ""
            raise UserError(f"无法写入 {out}：{os_error_text(e)}。{kept}") from e
        raise
