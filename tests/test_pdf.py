"""The inspection PDF (export-pdf): structure, content, fonts, the command line.

The PDF is read back without a PDF library: poppler's pdftotext / pdffonts / pdfinfo where
installed, and a small reader of the outline and font dictionaries of reportlab's output.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import add_member

from ledger_app.domain.models import (
    Attendance,
    DuesSetting,
    Payment,
    Record,
    VolunteerEntry,
)
from ledger_app.errors import UserError
from ledger_app.reports.pdf import SECTIONS, export_pdf
from ledger_app.services.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="poppler-utils 未安装"
)


# --- reading a PDF back -------------------------------------------------------------------


def _literal(data: bytes, start: int) -> bytes:
    """The PDF literal string starting at ``data[start] == b'('`` (escapes resolved)."""
    out = bytearray()
    depth = 0
    i = start
    while True:
        c = data[i]
        if c == 0x5C:  # backslash
            n = data[i + 1]
            if 0x30 <= n <= 0x37:
                j = i + 1
                digits = b""
                while j < len(data) and len(digits) < 3 and 0x30 <= data[j] <= 0x37:
                    digits += bytes([data[j]])
                    j += 1
                out.append(int(digits, 8))
                i = j
                continue
            out += {
                ord("n"): b"\n",
                ord("r"): b"\r",
                ord("t"): b"\t",
                ord("b"): b"\b",
                ord("f"): b"\f",
            }.get(n, bytes([n]))
            i += 2
            continue
        if c == 0x28:
            depth += 1
            if depth > 1:
                out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out)
            out.append(c)
        else:
            out.append(c)
        i += 1


def _text(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be")
    return raw.decode("latin-1")


def _objects(data: bytes) -> dict[int, bytes]:
    return {
        int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S)
    }


def outline(path: Path) -> list[tuple[int, str]]:
    """The bookmarks as (level, title), in file order (reportlab writes them in order)."""
    data = path.read_bytes()
    objs = _objects(data)
    entries: dict[int, tuple[int | None, str]] = {}
    for num, body in objs.items():
        if b"/Parent" not in body or b"/Title" not in body:
            continue
        parent = re.search(rb"/Parent (\d+) 0 R", body)
        t = body.index(b"/Title") + len(b"/Title")
        while body[t] != 0x28:
            t += 1
        entries[num] = (int(parent.group(1)) if parent else None, _text(_literal(body, t)))

    def level(num: int) -> int:
        parent = entries[num][0]
        return 0 if parent not in entries else 1 + level(parent)

    return [(level(n), entries[n][1]) for n in sorted(entries)]


def info(path: Path) -> dict[str, str]:
    """The document information dictionary (Title, Author, …)."""
    data = path.read_bytes()
    m = re.search(rb"/Info (\d+) 0 R", data)
    assert m, "no /Info"
    body = _objects(data)[int(m.group(1))]
    out = {}
    for key in (b"Title", b"Author", b"Subject", b"Creator"):
        i = body.find(b"/" + key + b" (")
        if i >= 0:
            out[key.decode()] = _text(_literal(body, i + len(key) + 2))
    return out


def pages(path: Path) -> list[str]:
    """Text of each page (pdftotext -layout)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def page_count(path: Path) -> int:
    m = re.findall(rb"/Type /Pages\s*/Count (\d+)|/Count (\d+)\s*/Kids", path.read_bytes())
    counts = [int(a or b) for a, b in m]
    return max(counts)


# --- a small branch with planted problems -------------------------------------------------


def _photo(fmt: str = "PNG") -> bytes:
    from PIL import Image

    im = Image.new("RGB", (400, 300), (190, 60, 50))
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


def build_branch(ledger: Ledger, n_members: int = 12, photos: bool = True) -> dict:
    """A branch in 2025 with two groups and meetings every month, except the planted gaps:
    no 支委会 in April, no 党小组会 of 第二党小组 in May, no 党课 in Q3; one 支委会 without
    记录人 and 主要内容; one 党课 entered 50 days late; 赵六 never attends and never pays."""
    repo = ledger.repo
    with repo.atomic():
        repo.set_branch_info(
            {"支部名称": "测试机关党支部", "书记": "张书记", "成立日期": "2010-01-01"}
        )
    names = ["张书记", "李委员", "王委员", "赵六"] + [f"党员{i:03d}" for i in range(n_members - 4)]
    members = []
    for i, name in enumerate(names):
        post = {0: "书记", 1: "组织委员", 2: "宣传委员"}.get(i)
        members.append(
            add_member(ledger, name, group="第一党小组" if i % 2 == 0 else "第二党小组", post=post)
        )
    committee = members[:3]
    g1, g2 = repo.group_id("第一党小组"), repo.group_id("第二党小组")
    records: list[Record] = []

    def add(kind, day, pool, late_days=2, **kw):
        r = Record(
            None,
            kind,
            day,
            place="会议室",
            host=kw.pop("host", "张书记"),
            recorder=kw.pop("recorder", "李委员"),
            topic=kw.pop("topic", f"{kind}议题{day.month}月"),
            content=kw.pop("content", "传达学习上级文件精神，讨论本支部工作。"),
            **kw,
        )
        for m in pool:
            if m.name == "赵六":
                r.attendance.append(Attendance(m.id, "缺席"))
            elif m.name == "王委员" and day.month == 3:
                r.attendance.append(Attendance(m.id, "请假", "病假"))
            else:
                r.attendance.append(Attendance(m.id, "出席"))
        with repo.atomic():
            repo.add_record(
                r, created_at=dt.datetime.combine(day, dt.time(20)) + dt.timedelta(days=late_days)
            )
        records.append(r)
        return r

    for month in range(1, 13):
        if month != 4:
            add("支委会", dt.date(YEAR, month, 5), committee)
        for gid, gname in ((g1, "第一"), (g2, "第二")):
            if (gname, month) == ("第二", 5):
                continue
            pool = [m for m in members if m.group_id == gid]
            add("党小组会", dt.date(YEAR, month, 12), pool, group_id=gid)
        add("主题党日", dt.date(YEAR, month, 20), members, organizer="王委员", form="集中学习")
    for q in range(1, 5):
        add("支部党员大会", dt.date(YEAR, 3 * q, 25), members)
        if q != 3:
            add("党课", dt.date(YEAR, 3 * q, 26), members, lecturer="张书记")
    add("组织生活会", dt.date(YEAR, 12, 28), members)
    add("民主评议党员", dt.date(YEAR, 12, 29), members)
    add("支委会", dt.date(YEAR, 6, 18), committee, recorder=None, content=None, topic="发展党员")
    add("党课", dt.date(YEAR, 11, 3), members, late_days=50, lecturer="张书记", topic="补记党课")
    with repo.atomic():
        if photos:
            repo.add_attachment(records[0].id, "现场.png", "image/png", _photo(), "会议现场")
            repo.add_attachment(records[0].id, "坏照片.jpg", "image/jpeg", b"not a jpeg", None)
            repo.add_attachment(records[0].id, "签到表.pdf", "application/pdf", b"%PDF-1.4", None)
        for m in members:
            repo.set_dues_setting(DuesSetting(m.id, YEAR, base_fen=450000))
            for month in range(1, 13):
                if m.name != "赵六":
                    repo.add_payment(
                        Payment(None, m.id, YEAR, month, 4500, dt.date(YEAR, month, 25))
                    )
            repo.add_volunteer(
                VolunteerEntry(
                    None, m.id, dt.date(YEAR, 3, 5), 3, "社区服务", "幸福里社区", "社区主任"
                )
            )
    return {"members": members, "records": records}


@pytest.fixture
def branch(ledger):
    return build_branch(ledger)


@pytest.fixture(scope="module")
def built():
    """One branch and its year PDF for the tests that only read (built once: faster)."""
    lg = Ledger.open(None, today=dt.date(2026, 1, 15))
    yield lg, build_branch(lg)
    lg.close()


@pytest.fixture(scope="module")
def year_pdf(built, tmp_path_factory):
    return export_pdf(built[0], YEAR, None, tmp_path_factory.mktemp("pdf") / "年度.pdf")


@pytest.fixture
def built_branch(built):
    return built[1]


# --- structure ----------------------------------------------------------------------------


def test_outline_has_every_section_and_one_entry_per_record(year_pdf, built_branch):
    items = outline(year_pdf)
    top = [t for lvl, t in items if lvl == 0]
    assert top == [
        "封面",
        "一、基本情况",
        "二、问题清单",
        "三、评议与整改",
        "四、组织生活记录",
        "五、党费收缴",
        "六、志愿服务",
    ]
    records = [t for lvl, t in items if lvl == 2]
    assert len(records) == len(built_branch["records"])
    assert any(t.startswith("2025-11-03 党课") and "补记" in t for t in records)
    assert "2025-05-12 党小组会（第一党小组） 党小组会议题5月" in records
    # the record entries sit under a per-kind entry of the records section
    kinds = [t for lvl, t in items if lvl == 1]
    assert "支委会（12 次）" in kinds and "党课（4 次）" in kinds


def test_page_count_grows_with_records(ledger, branch, tmp_path):
    before = page_count(export_pdf(ledger, YEAR, None, tmp_path / "a.pdf"))
    with ledger.repo.atomic():
        for day in (7, 8, 9):
            ledger.repo.add_record(Record(None, "支委会", dt.date(YEAR, 7, day), topic="加开"))
    after = page_count(export_pdf(ledger, YEAR, None, tmp_path / "b.pdf"))
    assert after >= before + 3  # each record has a page of its own


def test_title_and_author_are_set(year_pdf):
    meta = info(year_pdf)
    assert meta["Title"] == "测试机关党支部2025年度党建工作台账检查汇总"
    assert meta["Author"] == "测试机关党支部"
    assert meta["Creator"] == "支部台账"


def test_only_the_embedded_font_is_used(year_pdf):
    data = year_pdf.read_bytes()
    base_fonts = set(re.findall(rb"/BaseFont /([^\s/]+)", data))
    assert base_fonts and all(b"WenQuanYiMicroHei" in f for f in base_fonts), base_fonts
    assert b"Helvetica" not in data and b"/Type1" not in data
    assert data.count(b"/FontFile2") >= len(base_fonts)  # each subset carries its glyphs


@needs_poppler
def test_pdffonts_lists_only_embedded_fonts(year_pdf):
    out = subprocess.run(["pdffonts", str(year_pdf)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert "WenQuanYiMicroHei" in row and " yes yes yes " in row, row


@needs_poppler
def test_every_character_has_a_glyph(year_pdf):
    """No tofu: every character the PDF shows is in the embedded font's character map."""
    from reportlab.pdfbase import pdfmetrics

    from ledger_app.reports.fonts import FONT

    cmap = pdfmetrics.getFont(FONT).face.charToGlyph
    chars = {c for page in pages(year_pdf) for c in page if not c.isspace()}
    assert "党" in chars
    assert [c for c in chars if ord(c) not in cmap] == []


# --- content ------------------------------------------------------------------------------


def _section(texts: list[str], start: str, end: str) -> str:
    whole = "\f".join(texts)
    i = whole.index(start, whole.index("目") + 1 if "目　录" in whole else 0)
    # skip the cover's contents: take the heading as it opens a page
    i = max(k for k in (m.start() for m in re.finditer(re.escape(start), whole)))
    j = whole.find(end, i)
    return whole[i : j if j > 0 else None]


@needs_poppler
def test_planted_gaps_alerts_and_incomplete_records_are_listed(year_pdf):
    problems = _section(pages(year_pdf), "二、问题清单", "三、组织生活记录")
    flat = re.sub(r"\s+", " ", problems)
    assert re.search(r"2025年4月 支委会", flat)
    assert re.search(r"2025年5月 党小组会 第二党小组", flat)
    assert re.search(r"2025年第三季度 党课", flat)
    assert "2025年6月 支委会" not in flat  # held: not a gap
    assert "应开展未开展（3 项）" in flat
    assert re.search(r"赵六 未参加组织生活 12 个月", flat)
    assert re.search(r"赵六 未交党费 12 个月", flat)
    assert re.search(r"2025-06-18 支委会 记录人、主要内容", flat)
    assert re.search(r"2025-11-03 党课 补记", flat)


@needs_poppler
def test_names_items_and_money_are_extractable(year_pdf, built_branch):
    texts = pages(year_pdf)
    whole = "\n".join(texts)
    for m in built_branch["members"]:
        assert m.name in whole
    for item in (
        "支部党员大会",
        "支委会",
        "党小组会",
        "党课",
        "主题党日",
        "组织生活会",
        "民主评议党员",
    ):
        assert item in whole
    assert "测试机关党支部" in texts[1] and "2025年度" in texts[1]  # page header
    assert re.search(rf"第 2 页\s+共 {len(texts)} 页", texts[1])
    # dues: 12 members × 45.00 owed; 赵六 paid nothing
    assert "应缴党费 ¥6,480.00，实缴 ¥5,940.00，欠缴 ¥540.00" in whole.replace("\n", "")


@needs_poppler
def test_a_record_page_has_fields_attendance_photos_and_signature_lines(year_pdf):
    texts = pages(year_pdf)
    first = next(t for t in texts if "1. 支部党员大会" in t)
    flat = re.sub(r"\s+", " ", first)
    assert "主持人 张书记" in flat and "记录人 李委员" in flat
    assert "请假（1人） 王委员（病假）" in flat
    assert "缺席（1人） 赵六" in flat
    assert "主持人（签字）" in flat and "记录人（签字）" in flat
    with_photo = next(t for t in texts if "支委会 2025年1月5日" in t)
    flat = re.sub(r"\s+", " ", with_photo)
    assert "会议现场" in flat  # the photo's caption
    assert "坏照片.jpg（无法显示）" in flat and "签到表.pdf" in flat
    incomplete = next(t for t in texts if "支委会 2025年6月18日" in t)
    assert "【记录不完整】" in incomplete and "（未填写）" in incomplete
    late = next(t for t in texts if "党课 2025年11月3日" in t)
    assert "【补记】" in late and "活动后50天补记" in re.sub(r"\s+", "", late)


def test_the_photo_is_embedded_scaled(year_pdf):
    data = year_pdf.read_bytes()
    assert len(re.findall(rb"/Subtype /Image", data)) == 1
    assert len(data) < 400_000


def test_a_quarter_holds_only_its_records(ledger, branch, tmp_path):
    path = export_pdf(ledger, YEAR, 2, tmp_path / "q2.pdf")
    records = [t for lvl, t in outline(path) if lvl == 2]
    in_q2 = [r for r in branch["records"] if 4 <= r.date.month <= 6]
    assert len(records) == len(in_q2)
    assert all(t[:7] in ("2025-04", "2025-05", "2025-06") for t in records)
    assert info(path)["Title"].endswith("2025年第二季度党建工作台账检查汇总")


def test_chosen_sections_only(ledger, branch, tmp_path):
    path = export_pdf(ledger, YEAR, None, tmp_path / "dues.pdf", sections=["dues", "volunteer"])
    assert [t for lvl, t in outline(path) if lvl == 0] == ["一、党费收缴", "二、志愿服务"]
    with pytest.raises(UserError):
        export_pdf(ledger, YEAR, None, tmp_path / "x.pdf", sections=["封面"])


def test_an_empty_ledger_still_exports(ledger, tmp_path):
    path = export_pdf(ledger, YEAR, None, tmp_path / "empty.pdf")
    assert [t for lvl, t in outline(path) if lvl == 0][0] == "封面"
    assert page_count(path) >= 5


def test_progress_is_reported_and_a_failure_keeps_the_old_file(ledger, branch, tmp_path):
    calls = []
    out = tmp_path / "out.pdf"
    export_pdf(ledger, YEAR, None, out, progress=lambda d, t, m: calls.append((d, t, m)))
    assert calls[0][0] == 0 and calls[-1][:2] == (100, 100)
    assert any("正在排版" in m for _, _, m in calls)
    assert [d for d, _, _ in calls] == sorted(d for d, _, _ in calls)  # never goes back
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # readable as any file the user makes
    old = out.read_bytes()

    def cancel(done, total, message):
        if "正在排版" in message and done > 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_pdf(ledger, YEAR, None, out, progress=cancel)
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]  # no temp file left


def test_a_missing_folder_is_a_user_error(ledger, tmp_path):
    with pytest.raises(UserError, match="文件夹不存在"):
        export_pdf(ledger, YEAR, None, tmp_path / "无此文件夹" / "a.pdf")


@needs_poppler
def test_long_tables_repeat_their_header_on_every_page(ledger, tmp_path):
    build_branch(ledger, n_members=130, photos=False)
    path = export_pdf(ledger, YEAR, None, tmp_path / "big.pdf", sections=["dues"])
    texts = pages(path)
    grid = [t for t in texts if "党员" in t and re.search(r"^\s*\d+\s+党员\d{3}", t, re.M)]
    assert len(grid) >= 3
    for t in grid:  # the members × months grid, then the table of bases
        assert re.search(r"^\s*序号\s+姓名\s+(月应缴\s+1月|人员类别\s+月缴费基数)", t, re.M), t[
            :300
        ]
    assert (
        sum(
            len(re.findall(r"^\s*\d+\s+(党员\d{3}|张书记|李委员|王委员|赵六)\s", t, re.M))
            for t in texts
        )
        >= 130 * 2
    )  # the grid and the table of bases: every member


# --- command line -------------------------------------------------------------------------


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_cli_exports_a_quarter(tmp_path):
    db = tmp_path / "ledger.db"
    lg = Ledger.open(db, today=dt.date(2026, 1, 15))
    build_branch(lg, photos=False)
    lg.close()
    out = tmp_path / "第一季度.pdf"
    r = _run("--db", str(db), "export-pdf", "--year", "2025", "--quarter", "1", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"已导出：{out}"
    assert out.read_bytes().startswith(b"%PDF-")
    assert [t for lvl, t in outline(out) if lvl == 0][1] == "一、基本情况"


def test_cli_reports_a_bad_target_in_chinese(tmp_path):
    r = _run(
        "--db",
        str(tmp_path / "x.db"),
        "export-pdf",
        "--year",
        "2025",
        "-o",
        str(tmp_path / "nope" / "a.pdf"),
    )
    assert r.returncode == 1
    assert "文件夹不存在" in r.stderr
    r = _run(
        "--db",
        str(tmp_path / "x.db"),
        "export-pdf",
        "--year",
        "2025",
        "--quarter",
        "5",
        "-o",
        str(tmp_path / "a.pdf"),
    )
    assert r.returncode == 2


# --- speed --------------------------------------------------------------------------------


def test_a_300_member_year_takes_seconds(tmp_path):
    lg = Ledger.open(None, today=dt.date(2026, 1, 15))
    build_branch(lg, n_members=300, photos=False)
    start = time.perf_counter()
    path = export_pdf(lg, YEAR, None, tmp_path / "big.pdf")
    took = time.perf_counter() - start
    lg.close()
    assert page_count(path) > 60
    assert took < 20, f"{took:.1f} s"


def test_sections_constant_matches_the_gui_choices():
    assert SECTIONS == ("cover", "overview", "problems", "followup", "records", "dues", "volunteer")


def test_a_record_with_an_essay_in_every_field_still_exports(ledger, tmp_path):
    """A table row cannot be taller than a page: long fields go below the table, and a
    long list of excused members splits inside its row."""
    ids = [add_member(ledger, f"党员{i:03d}").id for i in range(300)]
    r = Record(
        None,
        "支部党员大会",
        dt.date(YEAR, 3, 3),
        topic="很长的议题。" * 300,
        content="很长的内容。\n" * 500,
        decisions="决议" * 500,
        host="某" * 400,
    )
    r.attendance = [Attendance(i, "请假", "其他原因说明很长" * 3) for i in ids]
    with ledger.repo.atomic():
        ledger.repo.add_record(r)
    path = export_pdf(ledger, YEAR, 1, tmp_path / "long.pdf", sections=["records"])
    assert page_count(path) > 5
    assert [t for lvl, t in outline(path) if lvl == 2][0].startswith("2025-03-03 支部党员大会")


@needs_poppler
def test_a_running_year_shows_no_arrears_for_months_to_come(tmp_path):
    lg = Ledger.open(None, today=dt.date(YEAR, 6, 15))
    m = add_member(lg, "钱七")
    with lg.repo.atomic():
        lg.repo.set_branch_info({"支部名称": "测试党支部"})
        lg.repo.set_dues_setting(DuesSetting(m.id, YEAR, base_fen=450000))
        for month in range(1, 6):
            lg.repo.add_payment(Payment(None, m.id, YEAR, month, 4500, dt.date(YEAR, month, 20)))
    path = export_pdf(lg, YEAR, None, tmp_path / "running.pdf", sections=["overview", "dues"])
    lg.close()
    flat = re.sub(r"\s+", "", "".join(pages(path)))
    # January to May have ended and are paid; June is still being collected, July to
    # December owe nothing yet: no arrears
    assert "本期（统计至5月）应缴党费¥225.00，实缴¥225.00，欠缴¥0.00" in flat
    row = next(
        line for line in "".join(pages(path)).splitlines() if "钱七" in line and "45.00" in line
    )
    assert row.split().count("未缴") == 0


def test_the_footer_carries_the_audit_chain_head(tmp_path):
    """The chain's head when the PDF was made: a ledger changed afterwards no longer matches."""
    from ledger_app.services.safety import head_hash

    lg = Ledger.open(None, today=dt.date(YEAR + 1, 1, 15))
    add_member(lg, "钱七")
    head = head_hash(lg)
    path = export_pdf(lg, YEAR, None, tmp_path / "h.pdf", sections=["overview"])
    lg.close()
    assert f"台账校验码 {head[:16]}" in "".join(pages(path))
