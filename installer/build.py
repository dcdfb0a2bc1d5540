"""Build the one-folder bundle with PyInstaller; on Linux also a tarball.

    python installer/build.py            # → dist/zhibu-taizhang/ (+ .tar.gz on Linux)

On Windows, then compile installer/zhibu-taizhang.iss with Inno Setup 6 (ISCC.exe) to get
the per-user installer.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "zhibu-taizhang"


def version() -> str:
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    return re.search(r'^version\s*=\s*"([^"]+)"', text, re.M).group(1)  # type: ignore[union-attr]


def windows_version_file(ver: str) -> Path:
    """The VERSIONINFO resource shown in Explorer's file properties."""
    nums = [int(x) for x in re.findall(r"\d+", ver)[:4]]
    nums += [0] * (4 - len(nums))
    path = ROOT / "build" / "version_info.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={tuple(nums)}, prodvers={tuple(nums)}),
  kids=[
    StringFileInfo([StringTable('080404b0', [
      StringStruct('CompanyName', '支部台账'),
      StringStruct('FileDescription', '支部台账'),
      StringStruct('FileVersion', '{ver}'),
      StringStruct('ProductName', '支部台账'),
      StringStruct('ProductVersion', '{ver}')])]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])])
  ]
)
""",
        "utf-8",
    )
    return path


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def main() -> int:
    ver = version()
    env = dict(os.environ)
    if sys.platform == "win32":
        env["ZHIBU_VERSION_FILE"] = str(windows_version_file(ver))
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(ROOT / "installer" / "zhibu.spec")],
        check=True, env=env, cwd=ROOT,
    )
    print(f"bundle: {BUNDLE} ({size_mb(BUNDLE):.0f} MB, built in {time.perf_counter() - t0:.0f} s)")
    if sys.platform.startswith("linux"):
        arch = os.uname().machine
        tarball = DIST / f"zhibu-taizhang-{ver}-linux-{arch}.tar.gz"
        with tarfile.open(tarball, "w:gz") as tar:
            tar.add(BUNDLE, arcname="zhibu-taizhang")
        print(f"tarball: {tarball} ({tarball.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
