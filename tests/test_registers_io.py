"""The registers in the workbook and the PDF: sheets exported from the period model, imported
back exactly (all or nothing, ``sheet!cell: message``, twice adds nothing), masked exports;
the PDF sections; the demo has them."""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import add_member

from ledger_app.domain import development as D
from ledger_app.domain import idcard
from ledger_app.domain.care import CareVisit, Honor
from ledger_app.domain.models import Attendance, Member, Record
from ledger_app.domain.transfers import Flow, Transfer
from ledger_app.errors import WorkbookError
from ledger_app.services import care, development, period, transfers
from ledger_app.services import import_registers as IR
from ledger_app.services.exports import export_pdf, export_xlsx
from ledger_app.services.importer import analyze_workbook, import_workbook
from ledger_app.services.ledger import Ledger
from ledger_app.workbook import registers as W

TODAY = dt.date(2026, 8, 1)
VOTES = dict(expected=5, present=5, yes=5, no_votes=0, abstain=0)


def valid_id(birth: str, seq: str = "002") -> str:
    first17 = "110105" + birth + seq
    return first17 + idcard.check_digit(first17)


def _meeting(lg, kind, day):
    r = Record(None, kind, day, topic="议题", host="周建国", recorder="李明", content="内容")
    r.attendance = [Attendance(m.id, "出席") for m in lg.repo.members() if m.belongs_on(day)]
    with lg.repo.atomic():
        lg.repo.add_record(r)
    return r.id


@pytest.fixture
def filled(ledger):
    """A branch with one person from 申请 (2024) to 转正 (2026), another on the way, a 转出,
    a 转入, a 流动党员, a visit, a 表彰 — all of 学生 members (no dues bases to set)."""
    lg = ledger
    lg._today = TODAY
    lg.repo.set_branch_info({"支部名称": "测试党支部"})
    for i, (name, post) in enumerate(
        (("周建国", "书记"), ("李明", "组织委员"), ("王五", None), ("赵六", None), ("钱七", None))
    ):
        add_member(lg, name, post=post, category="学生", phone=f"1380000{i:04d}")
    aid = development.add_applicant(
        lg,
        D.Applicant(
            None, "孙小美", id_number=valid_id("19950307"), category="学生", phone="13912345678"
        ),
        dt.date(2024, 1, 10),
    )

    def step(no, day, **kw):
        development.save_step(lg, D.Step(None, aid, no, day, **kw))

    step(2, dt.date(2024, 1, 20), people="李明")
    step(3, dt.date(2024, 3, 12), record_id=_meeting(lg, "支委会", dt.date(2024, 3, 12)))
    step(5, dt.date(2024, 3, 20), people="王五、赵六")
    for day in ("2024-06-20", "2024-09-20", "2024-12-20", "2025-03-20", "2025-06-20"):
        step(6, dt.date.fromisoformat(day), document="思想汇报")
    step(7, dt.date(2025, 4, 10), meeting="2025-04-10 支委会（书面）")
    for no, day in ((9, "2025-04-15"), (10, "2025-05-10"), (11, "2025-05-20")):
        step(no, dt.date.fromisoformat(day), people="王五、赵六" if no == 9 else None)
    for no, day in ((12, "2025-06-05"), (13, "2025-06-10"), (14, "2025-06-15")):
        step(no, dt.date.fromisoformat(day))
    step(15, dt.date(2025, 7, 1), record_id=_meeting(lg, "支部党员大会", dt.date(2025, 7, 1)),
         **VOTES, result="同意接收")  # fmt: skip
    step(17, dt.date(2025, 8, 1))
    for day in ("2025-09-20", "2025-12-20", "2026-03-20", "2026-06-06"):
        step(21, dt.date.fromisoformat(day))
    step(22, dt.date(2026, 6, 5), document="转正申请书")
    step(23, dt.date(2026, 7, 2), record_id=_meeting(lg, "支部党员大会", dt.date(2026, 7, 2)),
         **VOTES, result="按期转正", note="全票通过")  # fmt: skip
    other = development.add_applicant(
        lg, D.Applicant(None, "韩晓东", category="学生"), dt.date(2026, 7, 20)
    )
    assert other
    ids = {m.name: m.id for m in lg.repo.members()}
    transfers.record_out(
        lg, Transfer(None, "转出", ids["钱七"], dt.date(2026, 7, 20), "No.12", "区财政局机关党支部")
    )
    transfers.record_in(
        lg,
        Transfer(
            None, "转入", 0, dt.date(2026, 4, 1), "No.34", "市一中党支部", dt.date(2026, 4, 3)
        ),
        Member(
            None,
            "郑新来",
            join_date=dt.date(2010, 5, 1),
            category="学生",
            id_number=valid_id("19800101", "001"),
        ),
    )
    transfers.save_flow(
        lg,
        Flow(
            None,
            ids["王五"],
            dt.date(2026, 2, 1),
            None,
            "深圳市南山区",
            "微信 13800001234",
            "流2026-1",
        ),
    )
    care.save_visit(
        lg, CareVisit(None, ids["赵六"], dt.date(2026, 1, 20), "患病", "住院慰问", 50000, "周建国")
    )
    honor_meeting = _meeting(lg, "支部党员大会", dt.date(2026, 6, 30))
    care.save_honor(
        lg,
        Honor(
            None,
            ids["李明"],
            "表彰",
            dt.date(2026, 7, 1),
            "优秀共产党员",
            "街道党工委",
            "工作突出",
            honor_meeting,
        ),
    )
    return lg


def _sheets(path: Path) -> dict[str, list[list]]:
    """The registers' sheets' values (read once: loading a workbook takes a while)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    return {
        s: [list(row) for row in wb[s].iter_rows(values_only=True)]
        for s in (*W.SHEETS, W.BIRTHDAYS)
    }


def _rows(path: Path, sheet: str) -> list[list]:
    return _sheets(path)[sheet]


def _snapshot(lg: Ledger) -> dict:
    """The registers by names and labels (ids differ between databases)."""
    data = period.load(lg, TODAY.year).inputs.registers
    names = {m.id: m.name for m in lg.repo.members()}
    people = {a.id: a.name for a in data.applicants}
    skip = ("id", "applicant_id", "record_id", "meeting", "member_id", "group_id", "member_name")

    def plain(obj) -> tuple:
        return tuple((k, v) for k, v in vars(obj).items() if k not in skip)

    return {
        "people": sorted(plain(a) + ((names.get(a.member_id),)) for a in data.applicants),
        "steps": sorted(
            (people[s.applicant_id], plain(s), data.meeting_text(s.record_id, s.meeting))
            for s in data.steps
        ),
        "transfers": sorted((names[t.member_id], plain(t)) for t in data.transfers),
        "flows": sorted((names[f.member_id], plain(f)) for f in data.flows),
        "visits": sorted((names[v.member_id], plain(v)) for v in data.visits),
        "honors": sorted(
            (names[h.member_id], plain(h), data.meeting_text(h.record_id, h.meeting))
            for h in data.honors
        ),
    }


def test_the_register_sheets_and_their_columns(filled, tmp_path):
    path = export_xlsx(filled, 2026, None, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-7:] == [*W.SHEETS, W.BIRTHDAYS]
    for sheet in W.SHEETS:
        header = [c.value for c in wb[sheet][2]]
        assert header == ["序号", *W.COLUMNS[sheet], *W.COMPUTED.get(sheet, ())], sheet
    people = _rows(path, W.DEVELOPMENT)
    assert people[0][0] == "测试党支部2026年发展党员工作登记簿"
    assert [(r[1], r[-2], r[-1]) for r in people[2:]] == [
        ("孙小美", "正式党员", "第24步 上级党委审批转正"),
        ("韩晓东", "入党申请人", "第2步 党组织派人谈话"),
    ]
    steps = _rows(path, W.STEPS)
    admission = next(r for r in steps if r[3] == "第15步 支部党员大会讨论接收")
    assert admission[7:14] == ["2025-07-01 支部党员大会", 5, 5, 5, 0, 0, "同意接收"]
    assert len(steps) == 2 + 25  # every step since 2024, up to the year's end
    transfers_ = _rows(path, W.TRANSFERS)
    assert [(r[1], r[2], r[-1]) for r in transfers_[2:]] == [
        ("转入", "郑新来", "已寄回 2026-04-03"),
        ("转出", "钱七", "未返回（8月19日前）"),
    ]


def test_round_trip_into_an_empty_ledger_and_back(filled, tmp_path):
    path = export_xlsx(filled, 2026, None, tmp_path / "a.xlsx")
    copy = Ledger.open(None, today=TODAY)
    try:
        plan = import_workbook(copy, path)
        assert not plan.errors
        assert _snapshot(copy) == _snapshot(filled)
        again = _sheets(export_xlsx(copy, 2026, None, tmp_path / "b.xlsx"))
        first = _sheets(path)
        for sheet in (*W.SHEETS, W.BIRTHDAYS):
            assert again[sheet] == first[sheet], sheet
        # the meeting outside the year is kept as written, the year's ones are linked
        steps = {s.no: s for s in period.load(copy, 2026).inputs.registers.steps}
        assert steps[3].record_id is None and steps[3].meeting == "2024-03-12 支委会"
        assert steps[23].record_id is not None
        assert copy.repo.members()[-1].name in {"孙小美", "郑新来"}
    finally:
        copy.close()
    plan = import_workbook(filled, path)
    assert not plan.has_changes, plan.summary_lines()
    assert "发展党员纪实：新增 0 条，已有 25 条" in plan.summary_lines()


def test_bad_cells_are_reported_and_nothing_is_written(filled, tmp_path):
    path = export_xlsx(filled, 2026, None, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    steps = wb[W.STEPS]
    steps["D3"] = "第99步"  # step
    steps["H19"] = "2025-07-01 支委会"  # the admission's meeting: wrong kind
    steps["J19"] = 2  # 实到 2 of 5: no quorum
    wb[W.TRANSFERS]["E4"] = "2026-07-21"  # 钱七's transfer disagrees with the roster
    wb[W.HONORS]["F3"] = None  # 名称 required
    wb[W.VISITS]["G3"] = "五百"
    wb[W.FLOWS]["C3"] = "110105198001010011"  # a bad ID number
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    copy = Ledger.open(None, today=TODAY)
    try:
        with pytest.raises(WorkbookError) as e:
            import_workbook(copy, bad)
        details = e.value.details
        assert "发展党员纪实!D3: 不认识的步骤“第99步”（应如“第1步 递交入党申请书”）" in details
        assert "发展党员纪实!H19: 应为支部党员大会：“2025-07-01 支委会”" in details
        assert any(d.startswith("组织关系转接!E4: 党员名册中钱七的状态为“转出”") for d in details)
        assert "表彰处分!F3: 名称不能为空" in details
        assert '关怀帮扶!G3: 金额不是数字: "五百"' in details
        assert any(d.startswith("流动党员!C3: 公民身份号码校验位错误") for d in details)
        assert copy.repo.member_count() == 0
        assert period.load(copy, 2026).inputs.registers.applicants == []
    finally:
        copy.close()
    wb = openpyxl.load_workbook(path)
    wb[W.STEPS]["J19"] = 2
    wb.save(bad)
    plan = analyze_workbook(filled, bad)
    assert (
        "发展党员纪实!J19: 实到人数：有表决权的到会人数未超过应到人数的半数，不能表决"
        in plan.errors
    )


def test_a_missing_required_column_is_an_error(filled, tmp_path):
    path = export_xlsx(filled, 2026, None, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[W.TRANSFERS]["B2"] = "方向"
    wb.save(path)
    plan = analyze_workbook(filled, path)
    assert "组织关系转接!A2: 缺少必需的列“类型”" in plan.errors


def test_an_admitted_person_missing_from_the_roster_joins_it(filled, tmp_path):
    path = export_xlsx(filled, 2026, None, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    for name in list(wb.sheetnames):
        if name not in (W.DEVELOPMENT, W.STEPS, "党员名册"):
            del wb[name]
    roster = wb["党员名册"]
    for row in list(roster.iter_rows(min_row=3)):
        if row[1].value == "孙小美":
            roster.delete_rows(row[0].row)
    wb.save(path)
    copy = Ledger.open(None, today=TODAY)
    try:
        plan = import_workbook(copy, path)
        assert any("将以预备党员身份加入党员名册" in w for w in plan.warnings)
        m = copy.repo.members()[-1]
        assert (m.name, m.member_type, m.join_date, m.full_date) == (
            "孙小美",
            "正式党员",
            dt.date(2025, 7, 1),
            dt.date(2026, 7, 1),
        )
        assert period.load(copy, 2026).inputs.registers.applicants[0].member_id == m.id
    finally:
        copy.close()


def test_masked_exports_mask_ids_and_phones_in_the_registers(filled, tmp_path):
    path = export_xlsx(filled, 2026, None, tmp_path / "m.xlsx", mask=True)
    text = repr(_sheets(path))
    for m in filled.repo.members():
        if m.id_number:
            assert m.id_number not in text
    assert valid_id("19950307") not in text and "13912345678" not in text
    assert "13800001234" not in text and "微信 138****1234" in text
    assert "110105********" in text


def test_the_pdf_sections(filled, tmp_path):
    path = export_pdf(
        filled, 2026, None, tmp_path / "a.pdf", sections=["development", "transfers", "care"]
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "一、发展党员工作" in text and "二、组织关系转接" in text and "三、党员关怀" in text
    assert "新递交入党申请书 1 人" in text and "预备党员转正 1 人" in text
    assert "第15步 支部党员大会讨论接收" in text and "孙小美" in text
    assert "No.12" in text and "区财政局机关党支部" in text and "深圳市南山区" in text
    assert "13800001234" not in text  # contact numbers masked in print too
    assert "优秀共产党员" in text and "住院慰问" in text


def test_period_figures(filled):
    model = period.load(filled, 2026)
    assert dict(model.development.by_stage) == {
        "入党申请人": 1,
        "入党积极分子": 0,
        "发展对象": 0,
        "预备党员": 0,
    }
    assert [p.name for p in model.development.converted] == ["孙小美"]
    assert [t.member_name for t in model.transfers.outs] == ["钱七"]
    q1 = period.load(filled, 2026, 1)
    assert q1.development.converted == [] and q1.transfers.transfers == []
    assert [v.member_name for v in q1.care.visits] == ["赵六"]


def test_every_column_the_register_importer_reads_is_a_register_column():
    known = {c for cols in W.COLUMNS.values() for c in cols}
    tree = ast.parse(Path(IR.__file__).read_text(encoding="utf-8"))
    named = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        args = node.args
        if node.func.attr in ("text", "raw", "ref") and args:
            arg = args[0]
        elif node.func.attr in ("cell", "date") and len(args) > 1:
            arg = args[1]
        else:
            continue
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            named.add(arg.value)
    assert len(named) > 30
    assert named <= known, named - known


def test_the_demo_keeps_the_registers(tmp_path):
    from ledger_app.services.demo import create_demo

    today = dt.date(2026, 1, 15)
    path = create_demo(tmp_path / "demo.db", today=today)
    lg = Ledger.open(path, today=today)
    try:
        model = period.load(lg, 2026)
        people = {p.name: p.stage for p in development.progresses(lg)}
        assert people == {
            "肖雅琴": "预备党员",
            "韩晓东": "入党申请人",
            "苏婉清": "入党积极分子",
            "陆子健": "发展对象",
        }
        xiao = next(p for p in development.progresses(lg) if p.name == "肖雅琴")
        assert xiao.applicant.member_id == next(
            m.id for m in lg.repo.members() if m.name == "肖雅琴"
        )
        assert xiao.done(D.STEP_ADMIT).record_id is not None
        sources = {r.source for r in model.reminders}
        assert {"发展党员", "组织关系", "党员关怀"} <= sources  # and the others'
        assert any("回执逾期" in r.text for r in model.reminders)
        assert {t.direction for t in transfers.transfers(lg)} == {"转入", "转出"}
        assert transfers.flows(lg) and care.visits(lg) and care.honors(lg)
    finally:
        lg.close()
