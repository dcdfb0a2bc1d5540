"""上级党委汇总: a folder of branches' workbooks read as ``import`` reads them (bad ones
reported with their errors and skipped), every figure the branch's own period model's,
ranked; the 内容校验码 of a workbook changed after export flagged; the CLI, the summary
workbook, the 季度通报 and the cache."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import openpyxl
import pytest
from test_assessment import full_hand_scores, run_cli
from test_pdf import YEAR, build_branch, pages

from ledger_app.domain import idcard
from ledger_app.domain.committee import CODE_CHANGED, CODE_NONE, CODE_OK, figures_of
from ledger_app.domain.plan import PlanItem
from ledger_app.errors import UserError
from ledger_app.services import assessment as AS
from ledger_app.services import committee as C
from ledger_app.services import plan as PL
from ledger_app.services.exports import export_xlsx
from ledger_app.services.ledger import Ledger
from ledger_app.services.period import load

TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A.xlsx assessed and planned; B.xlsx another branch, sent masked; C.xlsx A edited in
    Excel after the export; D.xlsx A with a date nobody can read; E.xlsx not a workbook."""
    root = tmp_path_factory.mktemp("branches")
    # module fixtures run before the per-test data folder is set: set one for the module
    env = pytest.MonkeyPatch()
    env.setenv("LEDGER_DATA_DIR", str(tmp_path_factory.mktemp("module-data")))
    a = Ledger.open(None, today=TODAY)
    build_branch(a, photos=False)
    AS.save_scores(a, "2025", full_hand_scores(AS.assessment(a, YEAR)))
    AS.set_review(a, "2025", dt.date(2026, 1, 10), "支部委员会")
    PL.add_item(a, PlanItem(None, 2025, 8, "党课", "专题党课", "张书记"))
    export_xlsx(a, YEAR, None, root / "A.xlsx")
    b = Ledger.open(None, today=TODAY)
    build_branch(b, n_members=8, photos=False)
    with b.repo.atomic():
        b.repo.set_branch_info({"支部名称": "另一个党支部", "上级党组织": "测试党委"})
        for r in b.repo.records(start=dt.date(2025, 7, 1), end=dt.date(2025, 9, 30)):
            b.repo.delete_record(r.id)  # a quarter without meetings: a lower score
        for i, m in enumerate(b.repo.members()):  # ID numbers, which the masked copy hides
            first17 = f"11010519800101{i:03d}"
            m.id_number = first17 + idcard.check_digit(first17)
            m.phone = f"1390000{i:04d}"
            b.repo.update_member(m)
    export_xlsx(b, YEAR, None, root / "B.xlsx", mask=True)
    shutil.copy(root / "A.xlsx", root / "C.xlsx")
    wb = openpyxl.load_workbook(root / "C.xlsx")
    ws = wb["党费"]
    ws["G3"] = ws["G3"].value + 1  # one payment, one 元 more
    wb.save(root / "C.xlsx")
    shutil.copy(root / "A.xlsx", root / "D.xlsx")
    wb = openpyxl.load_workbook(root / "D.xlsx")
    wb["三会一课"]["B4"] = "去年春天"
    wb.save(root / "D.xlsx")
    (root / "E.xlsx").write_text("这不是工作簿", "utf-8")
    (root / "~$A.xlsx").write_bytes(b"lock")  # Excel's lock file: not a branch
    (root / "说明.txt").write_text("…", "utf-8")
    yield {"root": root, "a": a, "b": b}
    a.close()
    b.close()
    env.undo()


@pytest.fixture(scope="module")
def report(folder):
    return C.open_folder(folder["root"], today=TODAY, jobs=1, use_cache=False)


def test_bad_workbooks_are_reported_with_their_errors_and_skipped(report):
    assert [b.file for b in report.branches if b.file == "A.xlsx"]
    assert sorted(b.file for b in report.branches) == ["A.xlsx", "B.xlsx", "C.xlsx"]
    d, e = report.failures
    assert d.file == "D.xlsx" and d.message.startswith("有 1 处错误，未汇总")
    assert d.errors == ["三会一课!B4: 无法识别的日期：“去年春天”（应如 2025-03-07）"]
    assert e.file == "E.xlsx" and "不是有效的 Excel 工作簿" in e.message


def test_every_figure_is_the_branchs_own_models(report, folder):
    a = next(b for b in report.branches if b.file == "A.xlsx")
    source = load(folder["a"], YEAR)
    mine = figures_of(source)
    got = a.year
    for field in ("judged", "met", "gaps", "alerts", "due", "arrears", "paid", "records",
                  "incomplete", "volunteer_half_hours", "members", "planned", "plan_held"):  # fmt: skip
        assert getattr(got, field) == getattr(mine, field), field
    q3 = a.period("2025-Q3")
    src_q3 = load(folder["a"], YEAR, 3)
    assert (q3.judged, q3.met, q3.alerts) == (
        src_q3.compliance.judged,
        src_q3.compliance.met,
        len(src_q3.check.member_alerts),
    )
    # the branch's self-assessment recomputed from the workbook: 及时登记 cannot be judged
    # from one (every record read from a workbook is 导入), so it has its full points
    want = AS.assessment(folder["a"], YEAR)
    timely = next(x for x in want.lines if x.criterion.source == "timely")
    assert (a.self_grade, a.self_total) == (want.grade, want.total + 40 - timely.score)
    assert a.self_state == "2025年年总评已评定"


def test_codes_and_ranking(report):
    by_file = {b.file: b for b in report.branches}
    assert by_file["A.xlsx"].code_status == CODE_OK
    assert by_file["B.xlsx"].code_status == CODE_OK and by_file["B.xlsx"].masked
    assert by_file["C.xlsx"].code_status == CODE_CHANGED
    assert by_file["C.xlsx"].code_found != by_file["C.xlsx"].code_computed
    assert report.changed == [by_file["C.xlsx"]]
    assert report.branches[-1].file == "B.xlsx"  # a quarter with no meetings
    assert [b.rank for b in report.branches] == [1, 1, 3]  # A and C share the first place
    assert report.year == 2025


def test_a_workbook_of_another_program_has_no_code(folder, tmp_path):
    src = openpyxl.load_workbook(folder["root"] / "A.xlsx")
    del src.custom_doc_props["内容校验码"]
    src.save(tmp_path / "old.xlsx")
    got = C.read_branch(tmp_path / "old.xlsx", None, TODAY)
    assert got.code_status == CODE_NONE


def test_the_cache_is_used_and_a_changed_file_read_again(folder, tmp_path):
    root = tmp_path / "f"
    root.mkdir()
    for name in ("A.xlsx", "E.xlsx"):
        shutil.copy(folder["root"] / name, root / name)
    first = C.open_folder(root, today=TODAY, jobs=1)
    assert first.from_cache == 0
    second = C.open_folder(root, today=TODAY, jobs=1)
    assert second.from_cache == 2
    assert [b.to_json() for b in second.branches] == [b.to_json() for b in first.branches]
    shutil.copy(folder["root"] / "B.xlsx", root / "A.xlsx")
    third = C.open_folder(root, today=TODAY, jobs=1)
    assert third.from_cache == 1 and third.branches[0].branch == "另一个党支部"


def test_an_empty_or_missing_folder(tmp_path):
    with pytest.raises(UserError, match="没有 Excel 工作簿"):
        C.open_folder(tmp_path, today=TODAY)
    with pytest.raises(UserError, match="找不到文件夹"):
        C.open_folder(tmp_path / "nope", today=TODAY)


def test_cli_committee_with_summary_and_bulletin(folder, tmp_path, capsys):
    xlsx, pdf = tmp_path / "汇总.xlsx", tmp_path / "通报.pdf"
    code, out, err = run_cli(
        capsys, "committee", str(folder["root"]), "--quarter", "3", "--jobs", "1",
        "-o", str(xlsx), "--pdf", str(pdf),
    )  # fmt: skip
    assert code == 0, err
    assert "2025年第三季度各党支部台账汇总" in out
    assert "内容校验码不符（导出后被改动过）：\n  测试机关党支部（C.xlsx）" in out
    assert "D.xlsx：有 1 处错误，未汇总" in out and "三会一课!B4" in out
    assert f"已导出汇总表：{xlsx}" in out and f"已导出通报：{pdf}" in out
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == [
        "年排序",
        "第一季度",
        "第二季度",
        "第三季度",
        "第四季度",
        "未汇总",
        "说明",
    ]
    rows = list(wb["年排序"].iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["测试机关党支部", "测试机关党支部", "另一个党支部"]
    failed = list(wb["未汇总"].iter_rows(min_row=3, values_only=True))
    assert failed[0][0] == "D.xlsx" and failed[0][2].startswith("三会一课!B4")
    text = "\n".join(pages(pdf))
    assert "关于2025年第三季度各党支部党建工作台账检查情况的通报" in text
    assert "内容校验码不符" in text and "D.xlsx" in text and "另一个党支部" in text
    code, out, err = run_cli(capsys, "committee", str(folder["root"]), "--json", "--jobs", "1")
    data = json.loads(out)
    assert data["year"] == 2025 and len(data["branches"]) == 3 and len(data["failures"]) == 2
    assert {b["code_status"] for b in data["branches"]} == {"一致", "不符"}


def test_cli_committee_when_nothing_can_be_read(tmp_path, capsys):
    (tmp_path / "x.xlsx").write_text("no", "utf-8")
    code, out, _ = run_cli(capsys, "committee", str(tmp_path), "--jobs", "1")
    assert code == 1 and "未能汇总的工作簿（1 份）" in out


@pytest.mark.slow
def test_worker_processes_give_the_same_report(folder):
    one = C.open_folder(folder["root"], today=TODAY, jobs=1, use_cache=False)
    two = C.open_folder(folder["root"], today=TODAY, jobs=2, use_cache=False)
    assert two.workers == 2
    assert [b.to_json() for b in two.branches] == [b.to_json() for b in one.branches]
    assert [f.to_json() for f in two.failures] == [f.to_json() for f in one.failures]
