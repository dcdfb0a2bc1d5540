"""修改记录 per record / member, and the 已修改 mark in record lists and the PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member

from ledger_app.domain.models import Attendance, Record
from ledger_app.services import records, roster
from ledger_app.services.ledger import Ledger

pytest.importorskip("PySide6")

from ledger_app.ui.context import AppContext  # noqa: E402
from ledger_app.ui.history_dialog import HistoryDialog  # noqa: E402
from ledger_app.ui.member_dialog import MemberDialog  # noqa: E402
from ledger_app.ui.pages.records import RecordListModel  # noqa: E402
from ledger_app.ui.record_form import RecordForm  # noqa: E402


def set_user(ledger: Ledger, name: str) -> None:
    with ledger.repo.atomic():
        ledger.repo.set_setting("user_name", name)


def add_record(ledger: Ledger, members, **kw) -> Record:
    rec = Record(
        None, kw.pop("kind", "支委会"), kw.pop("date", dt.date(2025, 12, 5)),
        attendance=[Attendance(m.id, "出席") for m in members], **kw,
    )  # fmt: skip
    with ledger.repo.atomic():
        ledger.repo.add_record(rec)
    return rec


def backdate_trail(ledger: Ledger, days: int) -> None:
    """Pretend everything so far happened ``days`` ago (raw SQL, guards off: setup only)."""
    ledger.db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    ledger.db.execute(f"UPDATE audit SET at = datetime(at, '-{days} days')")


@pytest.fixture
def ctx(ledger):
    return AppContext(ledger)


def test_history_lists_the_insert_and_only_the_changed_fields_of_an_update(qtbot, ctx):
    ledger = ctx.ledger
    set_user(ledger, "王书记")
    a, b = add_member(ledger, "张三"), add_member(ledger, "李四")
    rec = add_record(ledger, [a, b], topic="学习党章", place="会议室")
    set_user(ledger, "李干事")
    rec.topic = "学习新党章"
    rec.attendance = [Attendance(a.id, "出席"), Attendance(b.id, "请假", "出差")]
    with ledger.repo.atomic():
        ledger.repo.update_record(rec)

    dlg = HistoryDialog(ctx, "record", rec.id, "支委会", None)
    qtbot.addWidget(dlg)
    rows = dlg.rows()
    ops = [(r[1], r[2]) for r in rows]
    assert ("王书记", "新增") in ops
    inserted = next(r for r in rows if r[2] == "新增")
    assert "议题/主题: 学习党章" in inserted[3] and "地点: 会议室" in inserted[3]
    update = next(r for r in rows if r[2] == "修改")
    assert update[1] == "李干事"
    assert update[3] == "议题/主题: 学习党章 → 学习新党章"  # place and the rest unchanged
    leave = next(r for r in rows if r[2] == "修改出席情况")
    assert leave[3] == "李四（状态: 出席 → 请假；原因: （空） → 出差）"  # 张三 unchanged
    entered = next(r for r in rows if r[2] == "新增出席情况")
    assert entered[3] == "张三（状态: 出席）；李四（状态: 出席）"
    assert all(r[0][:4].isdigit() for r in rows)  # a time on every line


def test_history_button_only_for_a_saved_record(qtbot, ctx, monkeypatch):
    a = add_member(ctx.ledger, "张三")
    new = RecordForm.for_new(ctx, "支委会")
    qtbot.addWidget(new)
    assert new.history_button.isHidden()
    rec = add_record(ctx.ledger, [a], topic="议题")
    form = RecordForm.for_existing(ctx, rec.id)
    qtbot.addWidget(form)
    assert not form.history_button.isHidden()
    opened = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: opened.append(self.rows()))
    form.history_button.click()
    assert opened and any(r[2] == "新增" for r in opened[0])


def test_member_dialog_history_shows_a_changed_phone(qtbot, ctx, monkeypatch):
    m = add_member(ctx.ledger, "张三")
    m.phone = "13800000000"
    roster.save_member(ctx.ledger, m)
    blank = MemberDialog(ctx, None)
    qtbot.addWidget(blank)
    assert blank.history_button is None
    dlg = MemberDialog(ctx, ctx.ledger.repo.member(m.id))
    qtbot.addWidget(dlg)
    opened = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: opened.append(self.rows()))
    dlg.history_button.click()
    assert any(r[2] == "修改" and r[3] == "联系电话: （空） → 13800000000" for r in opened[0])


def _status(ledger: Ledger) -> dict[str, str]:
    model = RecordListModel()
    model.set_rows(records.record_rows(ledger))
    col = model.columns.index("状态")
    return {model.row_at(i).topic: model.data(model.index(i, col)) for i in range(model.rowCount())}


def _heading(flowables):
    from ledger_app.reports.layout import Heading

    return next(f for f in flowables if isinstance(f, Heading))


def test_a_record_changed_after_the_fact_is_marked_in_the_list_and_the_pdf(ledger):
    from ledger_app.reports.records import record_page
    from ledger_app.services import period

    a, b = add_member(ledger, "张三"), add_member(ledger, "李四")
    add_record(ledger, [a, b], topic="按时")
    late = add_record(ledger, [a, b], topic="后来改过")
    same_day = add_record(ledger, [a, b], topic="当天改")
    same_day.place = "二楼"
    with ledger.repo.atomic():
        ledger.repo.update_record(same_day)  # corrected while entering: no mark
    backdate_trail(ledger, 10)
    late.place = "三楼会议室"
    with ledger.repo.atomic():
        ledger.repo.update_record(late)

    rows = {r.topic: r for r in records.record_rows(ledger)}
    assert rows["后来改过"].changed_at and not rows["按时"].changed_at
    status = _status(ledger)
    assert "已修改" in status["后来改过"]
    assert "已修改" not in status["按时"] and "已修改" not in status["当天改"]

    views = {v.record.topic: v for v in period.load(ledger, 2025).records}
    changed_on = rows["后来改过"].changed_at[:10]
    head = _heading(record_page(lambda _: None, views["后来改过"], "r1", 1))
    assert f"（{changed_on} 修改）" in head.outline
    assert f"（{changed_on} 修改）" in head.para.getPlainText()
    assert "修改" not in _heading(record_page(lambda _: None, views["按时"], "r2", 2)).outline
