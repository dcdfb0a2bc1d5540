"""The PDF as an inspector reads it (issue 17): it lays out at any branch size, its totals
fit their columns, Chinese lines break by the rules, headings and signatures are never
left alone on a page, each kind of record prints its own fields, and each member's
organisational life is tabled.

Branches are built in memory as the period model's inputs (tests/synthetic.py): laying out
needs no database, and the big ones stay quick.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from synthetic import synthetic

from ledger_app.reports.kinsoku import NO_END, NO_START, can_break, line_breaks
from ledger_app.reports.pdf import render

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils 未安装")
MM = 72 / 25.4


def pdf_pages(path: Path, *args: str) -> list[str]:
    out = subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return out.split("\f")[:-1]


@pytest.fixture(scope="module")
def branch300(tmp_path_factory):
    """A 300-member year with long names, long leave reasons and members who left."""
    model = synthetic(300, seed=3, long_names=0.05, long_reasons=0.2, leave=0.1, left=0.03)
    path = tmp_path_factory.mktemp("pdf") / "300.pdf"
    render(model, str(path))
    return model, path


# --- 1. any size, any shape -----------------------------------------------------------------


def test_a_paragraph_that_found_no_room_can_still_be_laid_out():
    """reportlab's split drops a paragraph's line breaks when not one line fits; the wrap
    cache must not then hand back a size without them (the blPara crash)."""
    from ledger_app.reports.styles import P

    p = P("因单位安排赴外地参加业务培训，已书面请假" * 30, "cell")
    _, h = p.wrap(100, 1e6)
    assert p.split(100, 5) == []
    assert p.wrap(100, 1e6) == (100, h)
    first, rest = p.split(100, h / 2)
    assert first.wrap(100, 1e6)[1] + rest.wrap(100, 1e6)[1] == pytest.approx(h)


SHAPES = {
    "plain": {},
    "long": {"long_names": 0.3, "long_reasons": 0.6, "leave": 0.25},
    "few groups": {"groups": 3, "leave": 0.4, "long_reasons": 1.0},
    "many groups": {"groups": 60, "left": 0.1, "rare": True},
}
SWEEP = [  # (members, shape, quarter, sections): seeded, each laid out in a few seconds
    (20, "plain", None, None),
    (57, "long", None, None),
    (140, "few groups", 2, None),
    (250, "long", 3, None),
    (400, "many groups", None, ("overview", "problems", "records")),
    (570, "plain", 1, None),
    (900, "long", 4, ("records", "dues")),
    (3000, "few groups", 2, ("records",)),
]
SWEEP_SLOW = [(2000, "long", None, None), (3000, "many groups", 3, None)]


def _lay_out(n: int, shape: str, quarter: int | None, sections) -> int:
    model = synthetic(n, seed=n, quarter=quarter, **SHAPES[shape])
    pages = render(model, io.BytesIO(), sections=sections)
    assert pages > 1
    return pages


@pytest.mark.parametrize(("n", "shape", "quarter", "sections"), SWEEP)
def test_branches_of_any_size_and_shape_lay_out(n, shape, quarter, sections):
    _lay_out(n, shape, quarter, sections)


@pytest.mark.slow
@pytest.mark.parametrize(("n", "shape", "quarter", "sections"), SWEEP_SLOW)
def test_big_branches_lay_out_whole(n, shape, quarter, sections):
    _lay_out(n, shape, quarter, sections)


# --- 2. totals that fit -----------------------------------------------------------------------


def _grids(model) -> list:
    """The members × months tables of the dues and volunteer sections."""
    from ledger_app.reports.sections import build_story
    from ledger_app.reports.tables import PagedTable

    story = build_story(model, ["dues", "volunteer"], lambda _: None)
    return [f for f in story if isinstance(f, PagedTable) and "1月" in map(str, f.header[0])]


@pytest.mark.parametrize("n", [300, 3000])
def test_every_amount_of_the_grids_fits_its_column_totals_included(n):
    """The 合计 row ran across the column borders (``1,401.811,387.81``) and overprinted at
    300 members: every column is as wide as its widest value, or the totals are smaller."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from ledger_app.reports.fonts import SERIF
    from ledger_app.reports.styles import FRAME_W

    grids = _grids(synthetic(n, seed=5, group_meetings=0))
    assert len(grids) == 2
    for t in grids:
        assert sum(t.col_widths) == pytest.approx(FRAME_W)
        (foot,) = t.footer
        assert t.footer_size >= 4.5
        for c, (cell, w) in enumerate(zip(foot, t.col_widths)):
            if str(cell):
                need = stringWidth(str(cell), SERIF, t.footer_size) + 2 * t.footer_pad
                assert need <= w + 0.01, (c, str(cell), need, w)
        for row in t.body:
            for c, (cell, w) in enumerate(zip(row, t.col_widths)):
                if c > 1 and isinstance(cell, str) and cell:  # amounts, hours, counts
                    need = stringWidth(cell, SERIF, t.font_size) + 2 * t.pad
                    assert need <= w + 0.01, (c, cell)


@needs_poppler
def test_the_totals_row_prints_each_amount_apart(branch300):
    _, path = branch300
    grid = [p for p in pdf_pages(path, "-layout") if "实缴合计" in p and "欠缴月份" in p]
    assert grid
    totals = [line for p in grid for line in p.splitlines() if line.strip().startswith("合计")]
    assert not [line for line in totals if re.search(r"\.\d\d\d", line)]  # run together
    # the grid's totals: the twelve months, then 应缴合计 and 实缴合计, each apart
    assert [len(re.findall(r"\d[\d,]*\.\d\d", line)) for line in totals].count(12 + 2) == 1


# --- 4. Chinese typesetting -----------------------------------------------------------------


def test_lines_break_by_the_chinese_rules():
    text = "截至2025年12月31日，支部在册党员 23 名（其中预备党员 1 名）。“三会一课”——按时开展……"
    widths = [10.0] * len(text)
    for room in range(40, 200, 10):
        lines = line_breaks(text, widths, [room])
        assert "".join(text[a:b] for a, b, _ in lines) == text
        for a, b, used in lines:
            if b < len(text):
                assert text[b] not in NO_START and text[b - 1] not in NO_END, (room, text[a:b])
            assert used <= room or b - a == 1
    assert not can_break("2025-06-18", 4)  # a date stays whole
    assert not can_break("——", 1) and not can_break("……", 1)


def test_a_paragraph_never_starts_a_line_with_closing_punctuation():
    from ledger_app.reports.styles import P

    text = "本期新增（发展、转入）0 名，减少（转出、去世等）0 名。" * 6
    for width in range(60, 300, 7):
        p = P(text, "body")
        p.wrap(width, 1e6)
        lines = ["".join(w for w in line[1]) for line in p.blPara.lines]
        assert "".join(lines) == text.replace(" ", "") or len(lines) > 1
        for line in lines[1:]:
            assert line[:1] not in NO_START, (width, line)
        for line in lines[:-1]:
            assert line[-1:] not in NO_END, (width, line)


@needs_poppler
def test_no_printed_line_starts_with_a_comma_or_ends_with_an_opening_bracket(branch300):
    _, path = branch300
    for i, page in enumerate(pdf_pages(path, "-raw"), 1):
        for line in page.splitlines():
            s = line.strip()
            assert s[:1] not in "，。、；：？！）》」』", (i, s)
            assert s[-1:] not in "（《「『", (i, s)


def test_headings_in_the_sans_body_in_the_serif_brackets_set_tight():
    from ledger_app.reports.common import h2
    from ledger_app.reports.fonts import SANS, SERIF
    from ledger_app.reports.styles import P, styles

    st = styles()
    assert {st[k].fontName for k in ("h1", "h2", "h3", "record_title", "th", "label")} == {SANS}
    assert {st[k].fontName for k in ("body", "cell", "minutes", "note", "sign")} == {SERIF}
    heading = h2("（一）党员情况")[1]
    # Micro Hei centres （ and ） in their square: "（ 一 ）"; the serif's hug the text
    assert f'<font name="{SERIF}">（</font>一<font name="{SERIF}">）</font>' in heading.para.text
    assert "<font" not in P("（一）", "body").text


def test_a_character_the_body_font_lacks_is_set_in_the_heading_font():
    from reportlab.pdfbase import pdfmetrics

    from ledger_app.reports.fonts import SANS, SERIF, missing
    from ledger_app.reports.styles import text

    rare = next(c for c in sorted(missing()) if "\u4e00" <= c <= "\u9fff")
    assert ord(rare) not in pdfmetrics.getFont(SERIF).face.charToGlyph
    assert ord(rare) in pdfmetrics.getFont(SANS).face.charToGlyph
    assert text(f"张{rare}") == f'张<font name="{SANS}">{rare}</font>'


@needs_poppler
def test_the_binding_side_has_25_mm(branch300):
    _, path = branch300
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "2", "-l", "12", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    lefts = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', out)]
    assert lefts and min(lefts) >= 25 * MM - 0.5
    assert min(lefts) <= 25 * MM + 2  # text does start at the margin


# --- 5. no nearly empty pages -----------------------------------------------------------------


def _body_lines(page: str) -> list[str]:
    lines = [s for s in (line.strip() for line in page.splitlines()) if s]
    return [s for s in lines[1:] if not re.search(r"第 \d+ 页\s+共 \d+ 页", s)]  # header, footer


@needs_poppler
def test_no_page_is_nearly_empty_and_no_heading_ends_a_page(branch300):
    _, path = branch300
    pages = pdf_pages(path, "-layout")
    for i, page in enumerate(pages[1:], 2):  # the cover is what it is
        body = _body_lines(page)
        assert len(body) > 2, (i, body)  # not signatures alone, nor one table row
        assert not re.match(r"（[一二三四五六七]）", body[-1]), (i, body[-1])
        assert not body[-1].startswith(("主要内容", "决议事项", "活动内容", "出席情况")), i


def test_a_long_table_never_leaves_one_row_behind_or_carries_one_over():
    from ledger_app.reports.tables import PagedTable

    t = PagedTable([["序号", "姓名"]], [[str(i), f"党员{i}"] for i in range(10)], [40, 80])
    row = t.heights[1]
    head = t.heights[0]

    class Frame:
        _atTop = False

    t._frame = Frame()
    assert t.split(120, head + 1.5 * row) == []  # one row would stand alone at the foot
    first, rest = t.split(120, head + 9.2 * row)  # nine fit: two go over, not one
    assert len(first._cellvalues) - 1 == 8 and len(rest.body) == 2
    totals = PagedTable([["a"]], [[str(i)] for i in range(6)], [40], footer=[["合计"]])
    totals._frame = Frame()
    first, rest = totals.split(40, sum(totals.heights) - 1)
    assert len(rest.body) == 2 and rest.footer  # the totals go over with two rows
    few = PagedTable([["a"]], [["1"], ["2"], ["3"]], [40], footer=[["合计"]])
    few._frame = Frame()
    assert few.split(40, sum(few.heights) - 1) == []  # too few to part: all onto the next


# --- 6. record pages by kind -------------------------------------------------------------------


@needs_poppler
def test_each_kind_of_record_prints_its_own_fields_and_signatures(tmp_path):
    model = synthetic(12, seed=2, quarter=1)
    path = tmp_path / "records.pdf"
    render(model, str(path), sections=["records"])
    pages = pdf_pages(path, "-layout")

    def page_of(kind: str) -> str:
        return re.sub(r"\s+", " ", next(p for p in pages if re.search(rf"\d+\. {kind}", p)))

    lesson = page_of("党课")
    assert "授课人" in lesson and "授课人（签字）" in lesson and "记录人（签字）" in lesson
    assert "决议事项" not in lesson
    day = page_of("主题党日")
    assert "组织人 " in day and "组织人（签字）" in day and "活动内容" in day
    assert "记录人" not in day and "主持人" not in day and "决议事项" not in day
    committee = page_of("支委会")
    assert "决议事项 同意" in committee
    assert "主持人（签字）" in committee and "记录人（签字）" in committee
    assert "授课人" not in committee and "组织人" not in committee


# --- 7. each member's organisational life ---------------------------------------------------


@needs_poppler
def test_each_member_s_organisational_life_is_tabled(branch300):
    model, path = branch300
    text = "\n".join(pdf_pages(path, "-layout"))
    assert "党员参加组织生活情况统计（300 名）" in text
    lives = model.attendance.members
    assert len(lives) == 300
    for life in lives[::37]:
        row = rf"\s{re.escape(life.member.name)}.*?\s{life.expected}\s+{life.present}\s+"
        row += rf"{life.leave}\s+{life.absent}(\s|$)"
        assert re.search(row, text), life.member.name
        if life.longest_label:
            assert life.longest_label in re.sub(r"\s+", " ", text)
