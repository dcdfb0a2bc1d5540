"""The registers in the GUI, as a clerk uses them: one applicant run from 申请 to 转正 with
every warning shown on its day (a fixed today that moves), a member transferred out and
another in, the roster's 变更状态 offering the transfer, and this month's 政治生日 printed."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member

from ledger_app.domain import development as D
from ledger_app.domain.models import Attendance, Record
from ledger_app.services import development as S
from ledger_app.services import transfers as TS
from ledger_app.ui import register_widgets as RW
from ledger_app.ui import transfer_dialogs
from ledger_app.ui.care_dialogs import HonorDialog, VisitDialog
from ledger_app.ui.context import AppContext
from ledger_app.ui.development_dialogs import ApplicantDialog, StepDialog
from ledger_app.ui.pages.care import CarePage
from ledger_app.ui.pages.development import DevelopmentPage
from ledger_app.ui.pages.roster import StatusDialog
from ledger_app.ui.pages.transfers import TransfersPage
from ledger_app.ui.transfer_dialogs import TransferDialog, TransferInDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _errors_fail(monkeypatch):
    """A message box would wait for a click: an error shown is a failure here (a test that
    expects one patches this again)."""

    def fail(parent, error, **_kw):
        raise AssertionError(f"error shown: {error}")

    monkeypatch.setattr("ledger_app.ui.context.show_error", fail)


@pytest.fixture
def ctx(ledger):
    ledger._today = dt.date(2024, 1, 10)
    ledger.repo.set_branch_info({"支部名称": "测试党支部"})
    for name, post in (("周建国", "书记"), ("李明", "组织委员"), ("王五", None), ("赵六", None)):
        add_member(ledger, name, post=post, category="学生")
    add_member(ledger, "钱七", category="学生", join_date=dt.date(2000, 1, 18))
    return AppContext(ledger)


def answer(monkeypatch, cls, fill) -> list:
    """Make ``cls.exec`` fill the dialog as a clerk would and press 保存; returns the
    dialogs shown."""
    shown = []

    def exec_(self):
        shown.append(self)
        fill(self)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(cls, "exec", exec_)
    return shown


def meeting(ctx, kind: str, day: dt.date) -> int:
    lg = ctx.ledger
    r = Record(None, kind, day, topic=f"{kind}议题", host="周建国", recorder="李明", content="内容")
    r.attendance = [Attendance(m.id, "出席") for m in lg.repo.members() if m.belongs_on(day)]
    with lg.repo.atomic():
        lg.repo.add_record(r)
    ctx.notify(S.CHANGED)
    return r.id


NONE = "没有待办的事项。"


def on(page, ctx, day: dt.date) -> list[str]:
    """Move today to ``day``; the page's 待办与提醒 as shown."""
    ctx.ledger._today = day
    page.reload()
    return page.reminders.texts()


def test_one_applicant_from_application_to_full_membership(qtbot, ctx, monkeypatch):
    lg = ctx.ledger
    page = DevelopmentPage(ctx)
    qtbot.addWidget(page)
    assert page.reminders.texts() == [NONE]

    def apply(d: ApplicantDialog) -> None:
        d.name.setText("孙小美")
        d.category.setCurrentText("学生")
        qtbot.keyClicks(d.applied, "1.10")  # the year is this year's
        d.applied.editingFinished.emit()

    answer(monkeypatch, ApplicantDialog, apply)
    page.add_person()
    p = page.current_person()
    assert (p.name, p.stage) == ("孙小美", "入党申请人")
    assert p.started == dt.date(2024, 1, 10)
    # the step due is under the cursor, and its warning is on the page
    assert page.steps_table.currentIndex().row() == 1
    assert on(page, ctx, dt.date(2024, 1, 20)) == [
        "! 发展党员：孙小美（入党申请人）：应于2024年2月10日前完成“党组织派人谈话”"
        "（收到入党申请书后一个月内派人谈话）（2024-02-10）"
    ]
    assert on(page, ctx, dt.date(2024, 2, 11))[0].startswith("✗ 发展党员：孙小美")

    def record(no: int, day: str, **fields) -> None:
        """Select step ``no`` of the person and fill its dialog."""

        when = dt.date.fromisoformat(day)
        ctx.ledger._today = max(ctx.ledger.today(), when)

        def fill(d: StepDialog) -> None:
            if "meeting" in fields:
                d.select_meeting(fields["meeting"])  # sets the date from the record
                assert d.date.text() == day
            else:
                d.date.setText(day)
            if "people" in fields:
                d.people.setText(fields["people"])
            for label, value in fields.get("votes", {}).items():
                d.votes[label].setValue(value)
            if "result" in fields:
                d.outcome.setCurrentText(fields["result"])

        answer(monkeypatch, StepDialog, fill)
        assert page.select_step(no)
        page.record_step()

    record(2, "2024-02-05", people="李明")
    assert on(page, ctx, dt.date(2024, 2, 11)) == [NONE]
    record(3, "2024-03-12", meeting=meeting(ctx, "支委会", dt.date(2024, 3, 12)))
    assert page.current_person().stage == "入党积极分子"
    assert "“指定培养联系人”" in on(page, ctx, dt.date(2024, 3, 15))[0]
    record(5, "2024-03-20", people="王五、赵六")
    assert on(page, ctx, dt.date(2024, 6, 1)) == [
        "! 发展党员：孙小美（入党积极分子）：本季度尚未递交思想汇报（2024年6月30日前）（2024-06-30）"
    ]
    for day in ("2024-06-20", "2024-09-20", "2024-12-20", "2025-03-05"):
        record(6, day)
    assert on(page, ctx, dt.date(2025, 3, 12)) == [
        "! 发展党员：孙小美（入党积极分子）：培养满一年（2025年3月12日），可确定为发展对象"
        "（2025-03-12）"
    ]
    record(7, "2025-04-10", meeting=meeting(ctx, "支委会", dt.date(2025, 4, 10)))
    record(9, "2025-04-15", people="王五、赵六")
    record(10, "2025-05-10")
    record(11, "2025-05-20")
    record(12, "2025-06-05", meeting=meeting(ctx, "支委会", dt.date(2025, 6, 5)))
    record(13, "2025-06-10")
    record(14, "2025-06-15")
    record(6, "2025-06-20")
    assert lg.repo.member_count() == 5
    # the 支部党员大会: choosing its record fills in the date and 应到/实到 of 正式党员
    ctx.ledger._today = dt.date(2025, 7, 1)
    rid = meeting(ctx, "支部党员大会", dt.date(2025, 7, 1))
    record(15, "2025-07-01", meeting=rid, votes={"赞成票": 5}, result="同意接收")
    m = lg.repo.members()[-1]
    assert (m.name, m.member_type, m.join_date) == ("孙小美", "预备党员", dt.date(2025, 7, 1))
    step = S.progress(lg, page.current_person().id).done(15)
    assert (step.expected, step.present, step.yes, step.record_id) == (5, 5, 5, rid)
    assert page.current_person().stage == "预备党员"
    assert "已进入党员名册" in page.person_label.text()
    assert "“上级党委审批”" in on(page, ctx, dt.date(2025, 7, 2))[0]
    record(17, "2025-08-01")
    for day in ("2025-09-20", "2025-12-20", "2026-03-20"):
        record(21, day)
    assert on(page, ctx, dt.date(2026, 6, 1)) == [
        "! 发展党员：孙小美（预备党员）：本季度尚未递交思想汇报（2026年6月30日前）（2026-06-30）",
        "! 发展党员：孙小美（预备党员）：预备期将于2026年7月1日满，应提出书面转正申请（2026-07-01）",
        "! 发展党员：孙小美（预备党员）：预备期将于2026年7月1日满，届时召开支部党员大会讨论转正"
        "（2026-08-01）",
    ]
    record(22, "2026-06-05")
    record(21, "2026-06-06")
    assert on(page, ctx, dt.date(2026, 8, 2)) == [
        "✗ 发展党员：孙小美（预备党员）：预备期已于2026年7月1日满，逾期未讨论转正（2026-08-01）"
    ]
    rid = meeting(ctx, "支部党员大会", dt.date(2026, 7, 2))
    record(23, "2026-07-02", meeting=rid, votes={"赞成票": 5}, result="按期转正")
    m = lg.repo.member(m.id)
    assert (m.member_type, m.full_date) == ("正式党员", dt.date(2026, 7, 1))
    assert page.current_person().stage == "正式党员"
    assert "“上级党委审批转正”" in on(page, ctx, dt.date(2026, 7, 3))[0]
    record(24, "2026-07-20")
    record(25, "2026-08-01")
    # followed until the papers are filed; then in 全部 and 正式党员
    assert page.people.rows == [] and page.reminders.texts() == [NONE]
    page.filter.setCurrentText("正式党员")
    assert [p.name for p in page.people.rows] == ["孙小美"]


def test_a_step_refused_says_why_and_saves_nothing(qtbot, ctx, monkeypatch):
    aid = S.add_applicant(ctx.ledger, D.Applicant(None, "孙小美"), dt.date(2024, 1, 10))
    page = DevelopmentPage(ctx)
    qtbot.addWidget(page)
    errors = []
    monkeypatch.setattr("ledger_app.ui.context.show_error", lambda p, e, **k: errors.append(str(e)))
    ctx.ledger._today = dt.date(2024, 2, 1)
    dialog = StepDialog(ctx, S.progress(ctx.ledger, aid), D.STEP[2])
    qtbot.addWidget(dialog)
    dialog.date.setText("2024-01-05")
    dialog.accept()
    assert errors and "早于“递交入党申请书”的日期2024-01-10" in errors[0]
    assert dialog.result() == 0 and len(S.progress(ctx.ledger, aid).steps) == 1
    dialog.date.setText("2024-13-45")
    dialog.accept()
    assert dialog.error.text().startswith("日期：")


def test_transfer_a_member_out_and_another_in(qtbot, ctx, monkeypatch):
    lg = ctx.ledger
    lg._today = dt.date(2025, 3, 1)
    page = TransfersPage(ctx)
    qtbot.addWidget(page)

    def out(d: TransferDialog) -> None:
        d.member.completer().update_for("ww")  # 王五 by pinyin initials
        assert d.member.completer().model().stringList() == ["王五"]
        d.member.setText("王五")
        d.date.setText("2025-01-20")
        d.letter.setText("No.12")
        d.org.setText("区财政局机关党支部")

    answer(monkeypatch, TransferDialog, out)
    page.record_out()
    wang = next(m for m in lg.repo.members() if m.name == "王五")
    assert (wang.status, wang.status_date) == ("转出", dt.date(2025, 1, 20))
    assert page.transfers.rows[0].member_name == "王五"
    assert page.reminders.texts() == [
        "✗ 组织关系：王五的组织关系转出回执逾期 10 天未返回"
        "（2025-01-20转往区财政局机关党支部，介绍信 No.12）（2025-02-19）"
    ]

    def came(d: TransferInDialog) -> None:
        d.name.setText("郑新来")
        d.join.setText("2010-05-01")
        d.category.setCurrentText("学生")
        d.group.setCurrentText("第一党小组")
        d.date.setText("2025-02-20")
        d.letter.setText("No.34")
        d.org.setText("市一中党支部")
        d.receipt.setText("2025-02-22")

    answer(monkeypatch, TransferInDialog, came)
    page.record_in()
    new = lg.repo.members()[-1]
    assert (new.name, new.transfer_in_date, new.group_name) == (
        "郑新来",
        dt.date(2025, 2, 20),
        "第一党小组",
    )
    assert [t.direction for t in page.transfers.rows] == ["转出", "转入"]
    # the 回执 came back: entered on the transfer, the reminder goes
    page.table.selectRow(0)
    answer(monkeypatch, TransferDialog, lambda d: d.receipt.setText("2025-03-01"))
    page.edit_transfer()
    assert page.reminders.texts() == [NONE]
    # the receipt deadline is a setting on the page
    page.days.setValue(10)
    page.days.editingFinished.emit()
    assert TS.receipt_days(lg) == 10


def test_setting_transfer_out_by_hand_offers_to_record_the_transfer(qtbot, ctx, monkeypatch):
    lg = ctx.ledger
    lg._today = dt.date(2025, 3, 1)
    wang, zhao = (m for m in lg.repo.members() if m.name in ("王五", "赵六"))
    monkeypatch.setattr(transfer_dialogs, "ask_choice", lambda *a: "登记转出…")
    answer(monkeypatch, TransferDialog, lambda d: d.letter.setText("No.56"))
    dialog = StatusDialog(ctx, wang)
    qtbot.addWidget(dialog)
    dialog.status.setCurrentText("转出")
    dialog.date.setText("2025-02-10")
    dialog.note.setText("转往区教育局党支部")
    dialog.save()
    t = TS.transfers(lg)[0]
    assert (t.member_name, t.date, t.letter_no, t.org) == (
        "王五",
        dt.date(2025, 2, 10),
        "No.56",
        "区教育局党支部",
    )
    assert lg.repo.member(wang.id).status == "转出"
    # "只改状态": the roster alone, and the board says the transfer is not recorded
    monkeypatch.setattr(transfer_dialogs, "ask_choice", lambda *a: "只改状态")
    dialog = StatusDialog(ctx, zhao)
    qtbot.addWidget(dialog)
    dialog.status.setCurrentText("转出")
    dialog.date.setText("2025-02-11")
    dialog.save()
    assert lg.repo.member(zhao.id).status == "转出" and len(TS.transfers(lg)) == 1
    # back to 在册: offers to withdraw the transfer as well
    monkeypatch.setattr(transfer_dialogs, "ask_choice", lambda *a: "删除转出登记并恢复在册")
    dialog = StatusDialog(ctx, lg.repo.member(wang.id))
    qtbot.addWidget(dialog)
    dialog.save()
    assert lg.repo.member(wang.id).status == "在册" and TS.transfers(lg) == []


def test_this_months_political_birthdays_and_the_list(qtbot, ctx, monkeypatch, tmp_path):
    ctx.ledger._today = dt.date(2026, 1, 20)
    page = CarePage(ctx)
    qtbot.addWidget(page)
    assert page.month.currentText() == "1月"
    assert [(b.member.name, b.years) for b in page.birthdays.rows] == [("钱七", 26)]
    assert page.birthday_summary.text() == "2026年1月政治生日 1 人"
    monkeypatch.setattr(RW, "ask_save_path", lambda *a: tmp_path / "名单")
    saved = []
    monkeypatch.setattr(RW, "show_saved", lambda parent, c, path: saved.append(path))
    page.print_birthdays()
    assert saved == [tmp_path / "名单.pdf"] and saved[0].stat().st_size > 1000
    page.month.setCurrentIndex(2)
    assert page.birthdays.rows == []


def test_visits_and_honours_through_their_dialogs(qtbot, ctx, monkeypatch):
    ctx.ledger._today = dt.date(2026, 1, 20)
    page = CarePage(ctx)
    qtbot.addWidget(page)

    def visit(d: VisitDialog) -> None:
        d.member.setText("钱七")
        d.hardship.setCurrentText("患病")
        d.content.setText("住院看望")
        d.amount.setText("500")
        d.visitor.setText("周建国")

    answer(monkeypatch, VisitDialog, visit)
    page.add_visit()
    assert [(v.member_name, v.amount_fen) for v in page.visits.rows] == [("钱七", 50000)]
    assert page.visit_summary.text() == "2026年走访 1 次，慰问金 500.00 元"
    rid = meeting(ctx, "支部党员大会", dt.date(2026, 1, 5))

    def award(d: HonorDialog) -> None:
        d.member.setText("李明")
        d.title.setCurrentText("优秀共产党员")
        d.meeting.set_value(rid, None)

    answer(monkeypatch, HonorDialog, award)
    page.add_honor("表彰")
    assert [(h.kind, h.title) for h in page.honors.rows] == [("表彰", "优秀共产党员")]
    assert page.honors.data(page.honors.index(0, 5)) == "2026-01-05 支部党员大会"


def test_the_lists_are_proper_models(qtbot, qtmodeltester, ctx):
    S.add_applicant(ctx.ledger, D.Applicant(None, "孙小美"), dt.date(2024, 1, 10))
    page = DevelopmentPage(ctx)
    qtbot.addWidget(page)
    qtmodeltester.check(page.people, force_py=True)
    qtmodeltester.check(page.steps, force_py=True)
