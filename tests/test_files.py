"""Exports replace their target whole or not at all, and clean up after a killed export."""

import os
import stat
import sys
import time

import pytest

from ledger_app.errors import UserError
from ledger_app.files import STALE_AFTER_SECONDS, remove_leftovers, replacing


def test_the_target_appears_only_when_complete(tmp_path):
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing(out, "正在 Excel 或 WPS 中打开") as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]  # no temporary left
    with replacing(out, "正在 Excel 或 WPS 中打开") as tmp:
        tmp.write_bytes(b"new")
        assert out.read_bytes() == b"old"  # still the old one while writing
    assert out.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_replaced_file_keeps_its_mode(tmp_path):
    out = tmp_path / "汇总.pdf"
    out.write_bytes(b"old")
    os.chmod(out, 0o640)
    with replacing(out, "正在被 PDF 阅读器打开") as tmp:
        tmp.write_bytes(b"%PDF")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_leftovers_of_a_killed_export_are_removed_by_the_next(tmp_path):
    out = tmp_path / "台账[2025].xlsx"  # brackets: glob metacharacters in the name
    old = tmp_path / ".~台账[2025].xlsx.0a1b2c3d.part"
    young = tmp_path / ".~台账[2025].xlsx.9f8e7d6c.part"  # perhaps an export still running
    other = tmp_path / ".~别的.xlsx.0a1b2c3d.part"
    for p in (old, young, other):
        p.write_bytes(b"half")
    long_ago = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))
    with replacing(out, "正在 Excel 或 WPS 中打开") as tmp:
        tmp.write_bytes(b"new")
    assert not old.exists()
    assert young.exists() and other.exists()
    assert remove_leftovers(out) == 0


def test_bad_targets_are_refused_in_chinese(tmp_path):
    with (
        pytest.raises(UserError, match="是文件夹"),
        replacing(tmp_path, "正在 Excel 或 WPS 中打开"),
    ):
        pass
    with pytest.raises(UserError, match="文件夹不存在"):
        with replacing(tmp_path / "无此文件夹" / "a.xlsx", "正在 Excel 或 WPS 中打开"):
            pass


def test_a_target_held_open_by_another_program_is_named(tmp_path, monkeypatch):
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "in use")

    monkeypatch.setattr(os, "replace", locked)  # as Windows does while Excel has it open
    with pytest.raises(UserError, match="文件可能正在 Excel 或 WPS 中打开，请关闭后重试"):
        with replacing(out, "正在 Excel 或 WPS 中打开") as tmp:
            tmp.write_bytes(b"new")
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]
