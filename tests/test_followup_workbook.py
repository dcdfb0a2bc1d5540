"""Issue 18 in the workbook: the 民主评议, 整改清单 and 频次要求 sheets and the new columns
(党员领导干部, 列席人员, 表决情况, 记录过简 †) — export, import, round trip, errors."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from ledger_app.domain.appraisal import Appraisal
from ledger_app.domain.minutes import MinutesRule
from ledger_app.domain.models import Attendance, DuesSetting, Vote
from ledger_app.errors import WorkbookError
from ledger_app.services import appraisal, minutes, rectification
from ledger_app.services import records as rec_svc
from ledger_app.services.exports import export_xlsx
from ledger_app.services.importer import analyze_workbook, import_workbook
from ledger_app.services.ledger import Ledger
from ledger_app.storage import followup_repo
from tests.conftest import add_member

TODAY = dt.date(2026, 1, 15)
ID_ZHOU = "110105198001010016"


def _fill(lg: Ledger) -> None:
    boss = add_member(lg, "周建国", post="书记", leading_cadre=True, id_number=ID_ZHOU, gender="男",
                      birth_date=dt.date(1980, 1, 1))  # fmt: skip
    li = add_member(lg, "李明", post="组织委员")
    wang = add_member(lg, "王芳")
    with lg.repo.atomic():
        for m in (boss, li, wang):
            lg.repo.set_dues_setting(DuesSetting(m.id, 2025, fixed_fen=100))  # type: ignore[arg-type]
    minutes.add_rule(lg, "集中学习", "month", 1)
    minutes.add_rule(lg, "读书班", "quarter", 1)
    minutes.set_minutes_rules(lg, [MinutesRule("支委会", 30, ("议题", "决议事项"))])
    everyone = [Attendance(m.id, "出席") for m in (boss, li, wang)]  # type: ignore[arg-type]

    def save(kind, day, **kw):
        r = rec_svc.new_record(lg, kind, day, topic=kw.pop("topic", kind), host="周建国",
                               recorder="李明", content=kw.pop("content", "讨论"), **kw)  # fmt: skip
        if r.attendance == []:
            r.attendance = [a for a in everyone if kind != "支委会" or a.member_id != wang.id]
        rec_svc.save_record(lg, r)
        return r

    save("支委会", dt.date(2025, 3, 5), guests="赵六（街道党工委）", decisions="同意",
         votes=[Vote("接收王芳为预备党员", 2, 0, 0)])  # fmt: skip
    save("集中学习", dt.date(2025, 4, 8), guests="钱七（社区居委会）、孙八")
    save("读书班", dt.date(2025, 5, 9))
    life = save("组织生活会", dt.date(2025, 12, 18), content="查摆问题三条，开展批评与自我批评")
    appraisal.save_grade(lg, Appraisal(None, 2025, boss.id, "优秀"))  # type: ignore[arg-type]
    appraisal.save_grade(
        lg,
        Appraisal(
            None,
            2025,
            wang.id,
            "基本合格",
            talk_date=dt.date(2026, 1, 5),  # type: ignore[arg-type]
            talk_by="周建国",
            measure="限期改正",
            deadline=dt.date(2026, 6, 30),
        ),  # fmt: skip
    )
    it = rectification.from_record(lg, life.id, "理论学习不够系统")  # type: ignore[arg-type]
    it.measure, it.owner, it.deadline = "制定学习计划", "李明", dt.date(2026, 3, 31)
    rectification.save_item(lg, it)
    gap = next(p for p in rectification.open_problems(lg, 2025) if p.key.startswith("gap:"))
    fix = rectification.from_problem(lg, gap)
    fix.found_on = dt.date(2025, 12, 30)
    fix.status, fix.done_on, fix.result = "已完成", TODAY, "已补开"
    rectification.save_item(lg, fix)
    rectification.save_item(
        lg,
        rectification.new_item(
            lg,
            "上级检查反馈",
            problem="会议记录过于简单",
            source_note="2025年11月街道党工委督查",
            found_on=dt.date(2025, 11, 20),
            deadline=dt.date(2026, 1, 10),
        ),  # fmt: skip
    )


def _sheets(path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb}


@pytest.fixture
def filled(ledger):
    _fill(ledger)
    return ledger


def test_the_new_sheets_and_columns_carry_issue_18s_registers(filled, tmp_path):
    out = export_xlsx(filled, 2025, None, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-3:] == ["民主评议", "整改清单", "频次要求"]
    roster = {r[1]: r for r in _sheets(out)["党员名册"][2:]}
    assert roster["周建国"][-1] == "是" and roster["王芳"][-1] is None
    head = [c.value for c in wb["三会一课"][2]]
    meeting = dict(zip(head, [c.value for c in wb["三会一课"][3]]))
    assert meeting["列席人员"] == "赵六（街道党工委）"
    assert meeting["表决情况"] == "接收王芳为预备党员：同意2，反对0，弃权0"
    assert meeting["记录过简"] == "主要内容仅 2 字（至少 30 字）"
    other = [dict(zip([c.value for c in wb["其他组织生活"][2]], [c.value for c in row]))
             for row in wb["其他组织生活"].iter_rows(min_row=3)]  # fmt: skip
    assert [o["类型"] for o in other] == ["集中学习", "读书班", "组织生活会"]
    grades = _sheets(out)["民主评议"]
    assert grades[2][2:5] == ("周建国", ID_ZHOU, "优秀")
    assert (
        grades[-1][0] == "合计"
        and "优秀 1 人，占参评党员 50.0%（上限 30%），超过上限" in grades[-1][5]
    )
    rect = {r[2]: r for r in _sheets(out)["整改清单"][2:]}
    assert rect["理论学习不够系统"][11] == "2025-12-18 组织生活会"
    assert rect["会议记录过于简单"][-1] == "是"  # 逾期 †
    rules = [r[:3] for r in _sheets(out)["频次要求"][2:]]
    assert rules[-2:] == [("集中学习", "每月", 1), ("读书班", "每季度", 1)]


def test_an_exported_workbook_imports_into_an_empty_ledger_and_exports_the_same(filled, tmp_path):
    first = export_xlsx(filled, 2025, None, tmp_path / "a.xlsx")
    fresh = Ledger.open(None, today=TODAY)
    # 记录过简 is a computed column of the branch's setting, which stays with the ledger
    minutes.set_minutes_rules(fresh, minutes.minutes_rules(filled).values())
    plan = import_workbook(fresh, first)
    assert plan.counts["民主评议"]["新增"] == 2 and plan.counts["整改清单"]["新增"] == 3
    assert plan.counts["频次要求"] == {"新增": 2, "更新": 0, "已有": 7}
    again = export_xlsx(fresh, 2025, None, tmp_path / "b.xlsx")
    a, b = _sheets(first), _sheets(again)
    for sheet in a:
        rows_a, rows_b = a[sheet], b[sheet]
        if sheet in ("三会一课", "主题党日", "其他组织生活"):  # 登记情况: 导入 instead of 补记
            col = list(rows_a[1]).index("登记情况")
            rows_a = [r[:col] + r[col + 1 :] for r in rows_a]
            rows_b = [r[:col] + r[col + 1 :] for r in rows_b]
        # 台账校验码: each ledger's own audit chain
        rows_a = [r for r in rows_a if not str(r[0] or "").startswith("台账校验码")]
        rows_b = [r for r in rows_b if not str(r[0] or "").startswith("台账校验码")]
        assert rows_a == rows_b, sheet
    assert [(x.year, x.grade, x.deadline) for x in followup_repo.appraisals(fresh.db)] == [
        (x.year, x.grade, x.deadline) for x in followup_repo.appraisals(filled.db)
    ]
    fresh.close()


def test_importing_the_same_workbook_twice_adds_nothing(filled, tmp_path):
    out = export_xlsx(filled, 2025, None, tmp_path / "a.xlsx")
    plan = analyze_workbook(filled, out)
    assert not plan.errors
    assert plan.followup is not None and not plan.followup.has_changes
    assert plan.counts["整改清单"] == {"新增": 0, "更新": 0, "已有": 3}


def test_an_edited_status_in_the_workbook_updates_the_item(filled, tmp_path):
    out = export_xlsx(filled, 2025, None, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["整改清单"]
    for row in ws.iter_rows(min_row=3):
        if row[2].value == "理论学习不够系统":
            row[7].value, row[8].value, row[9].value = "已完成", "2026-01-14", "已制定计划并落实"
    wb.save(out)
    import_workbook(filled, out)
    done = [i for i in rectification.items(filled) if i.problem == "理论学习不够系统"][0]
    assert (done.status, done.done_on, done.result) == (
        "已完成",
        dt.date(2026, 1, 14),
        "已制定计划并落实",
    )


def _set(path, sheet: str, cell: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell].value = value
    wb.save(path)


@pytest.mark.parametrize(
    "sheet, cell, value, error",
    [
        (
            "民主评议",
            "E3",
            "良好",
            "民主评议!E3: 等次：应为 优秀 / 合格 / 基本合格 / 不合格 / 不确定等次",
        ),
        ("民主评议", "C4", "无名氏", "民主评议!C4: “无名氏”不是本支部党员（党员名册中没有此人）"),
        ("整改清单", "I3", "2026-01-01", "整改清单!I3: 完成日期：只有已完成的整改才有完成日期"),
        ("整改清单", "L3", "2025-12-19 组织生活会", "整改清单!L3: 没有2025-12-19的组织生活会记录"),
        ("频次要求", "B9", "每周", '频次要求!B9: 周期应为 每月、每季度 或 每年: "每周"'),
        (
            "三会一课",
            "Q3",
            "同意很多",
            "三会一课!Q3: “同意很多”中没有票数：应如 同意18，反对0，弃权1",
        ),
        ("其他组织生活", "L3", "钱七（社区", "其他组织生活!L3: 括号不匹配：“钱七（社区”"),
        ("党员名册", "R3", "也许", '党员名册!R3: 党员领导干部应填“是”或留空: "也许"'),
    ],
)
def test_a_bad_cell_of_the_new_columns_names_itself_and_nothing_is_written(
    filled, tmp_path, sheet, cell, value, error
):
    out = export_xlsx(filled, 2025, None, tmp_path / "a.xlsx")
    _set(out, sheet, cell, value)
    fresh = Ledger.open(None, today=TODAY)
    with pytest.raises(WorkbookError) as e:
        import_workbook(fresh, out)
    assert error in e.value.details
    assert fresh.repo.member_count() == 0 and followup_repo.rectifications(fresh.db) == []
    fresh.close()


def test_records_of_a_kind_of_the_branchs_own_need_its_rule(filled, tmp_path):
    out = export_xlsx(filled, 2025, None, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(out)
    del wb["频次要求"]
    wb.save(out)
    fresh = Ledger.open(None, today=TODAY)
    plan = analyze_workbook(fresh, out)
    assert any(e.startswith("其他组织生活!C4: 类型应为") and "读书班" in e for e in plan.errors)
    fresh.close()


def test_a_masked_workbook_masks_the_grade_sheet_too(filled, tmp_path):
    out = export_xlsx(filled, 2025, None, tmp_path / "m.xlsx", mask=True)
    row = _sheets(out)["民主评议"][2]
    assert row[3] != ID_ZHOU and row[3].startswith("1101")
