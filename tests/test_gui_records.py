"""The record form, the attendance grid and the record lists, driven as a clerk would (qtbot,
offscreen): keys 1/2/3, 全部出席, 请假 with a reason, 党小组 required, 补记, quorum, missing
fields, duplicate, delete, attachments, unsaved changes — and the models checked by
qtmodeltester."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from conftest import add_member
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox

from ledger_app.domain.models import Attendance, Record
from ledger_app.services import records as svc
from ledger_app.ui import context as ui_context
from ledger_app.ui.attendance_grid import COL_REASON, COL_STATUS, AttendanceModel
from ledger_app.ui.context import AppContext
from ledger_app.ui.pages import records as pages
from ledger_app.ui.pages.records import MeetingsPage, OtherLifePage, ThemeDayPage
from ledger_app.ui.record_form import RecordForm
from ledger_app.ui.unsaved import UnsavedQuestion

# the offscreen platform warns that it cannot pass size hints on to a window manager
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

D = dt.date


@pytest.fixture
def branch(ledger):
    """Committee of three (two in 第一党小组), four more members, one a 预备党员."""
    return {
        "林海": add_member(ledger, "林海", group="第一党小组", post="书记"),
        "黄晓丽": add_member(ledger, "黄晓丽", group="第一党小组", post="组织委员"),
        "周建国": add_member(ledger, "周建国", group="第二党小组", post="宣传委员"),
        "张三": add_member(ledger, "张三", group="第二党小组"),
        "李四": add_member(ledger, "李四", group="第二党小组", member_type="预备党员"),
        "王五": add_member(ledger, "王五", group="第二党小组"),
        "赵六": add_member(ledger, "赵六", group="第一党小组", join_date=D(2025, 12, 1)),
    }


@pytest.fixture
def ctx(ledger):
    return AppContext(ledger)


@pytest.fixture
def errors(monkeypatch):
    """User errors the GUI would show in a message box."""
    shown: list[str] = []
    monkeypatch.setattr(ui_context, "show_error", lambda _p, e, *a, **k: shown.append(str(e)))
    import ledger_app.ui.record_form as rf

    monkeypatch.setattr(rf, "show_error", lambda _p, e, *a, **k: shown.append(str(e)))
    return shown


def open_form(qtbot, ctx, kind, day, **prefill) -> RecordForm:
    form = RecordForm.for_new(ctx, kind, date=day, **prefill)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def grid_names(form) -> list[str]:
    return [m.name for m in form.grid.model.members()]


def fill_checked(form, topic="研究发展党员工作"):
    form.topic.setText(topic)
    form.host.setText("林海")
    form.recorder.setText("黄晓丽")
    form.content.setPlainText("一、传达上级精神\n二、研究工作")


def test_zwh_attendance_by_keys_then_enter_saves(qtbot, ctx, ledger, branch, errors):
    form = open_form(qtbot, ctx, "支委会", D(2025, 12, 20))
    assert grid_names(form) == ["林海", "黄晓丽", "周建国"]  # the committee only
    fill_checked(form)
    view = form.grid.view
    view.setFocus()
    view.setCurrentIndex(form.grid.model.index(0, COL_STATUS))
    qtbot.keyClick(view, Qt.Key.Key_1)  # 林海 出席, moves on
    qtbot.keyClick(view, Qt.Key.Key_3)  # 黄晓丽 缺席
    qtbot.keyClick(view, Qt.Key.Key_2)  # 周建国 请假: the reason picker opens
    assert view.state() == view.State.EditingState
    assert view.currentIndex().column() == COL_REASON
    (editor,) = view.viewport().findChildren(QComboBox)
    editor.setEditText("公差")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # commits, and goes on to the next member
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert form.counts_status.text().endswith("应到 3　实到 1　请假 1　缺席 1")

    form.topic.setFocus()
    qtbot.keyClick(form.topic, Qt.Key.Key_Return)  # Enter saves
    assert not errors
    assert form.result() == form.DialogCode.Accepted
    (rec,) = ledger.repo.records()
    got = {a.name: (a.status, a.reason) for a in rec.attendance}
    assert got == {"林海": ("出席", None), "黄晓丽": ("缺席", None), "周建国": ("请假", "公差")}
    assert (rec.kind, rec.date, rec.topic, rec.host) == (
        "支委会",
        D(2025, 12, 20),
        "研究发展党员工作",
        "林海",
    )


def test_all_present_keeps_leave_and_saves(qtbot, ctx, ledger, branch, errors):
    form = open_form(qtbot, ctx, "支部党员大会", D(2025, 12, 20))
    # 赵六 joined on 2025-12-01: expected; nobody who had not joined yet
    assert len(grid_names(form)) == 7
    model = form.grid.model
    model.mark([3], "请假")
    model.setData(model.index(3, COL_REASON), "病假")
    qtbot.mouseClick(form.grid.all_present, Qt.MouseButton.LeftButton)
    assert model.counts() == (7, 6, 1, 0)
    assert "实到 6" in form.counts_status.text()
    qtbot.keyClick(form.grid.view, Qt.Key.Key_Return)  # Enter in the grid saves too
    assert form.result() == form.DialogCode.Accepted
    (rec,) = ledger.repo.records()
    assert sorted(a.status for a in rec.attendance) == ["出席"] * 6 + ["请假"]
    assert [a.reason for a in rec.attendance if a.status == "请假"] == ["病假"]


def test_ctrl_enter_inside_the_minutes_saves(qtbot, ctx, ledger, branch, errors):
    form = open_form(qtbot, ctx, "党课", D(2025, 12, 20))
    form.content.setFocus()
    qtbot.keyClick(form.content, Qt.Key.Key_Return)  # a new line, not a save
    assert form.isVisible() and ledger.repo.records() == []
    qtbot.keyClick(form.content, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(ledger.repo.records()) == 1


def test_group_meeting_needs_a_group_and_lists_its_members(qtbot, ctx, ledger, branch, errors):
    form = open_form(qtbot, ctx, "党小组会", D(2025, 12, 20))
    assert form.group.isVisible() and not form.lecturer.isVisible()
    assert grid_names(form) == []
    assert not form.save()
    assert any("党小组" in e for e in errors)
    assert ledger.repo.records() == []
    form.group.setCurrentText("第二党小组")
    assert grid_names(form) == ["周建国", "张三", "李四", "王五"]
    assert form.save()
    assert ledger.repo.records()[0].group_name == "第二党小组"


def test_late_entry_shown_for_an_old_date(qtbot, ctx, branch):
    form = open_form(qtbot, ctx, "支委会", D(2025, 11, 1))  # today is 2026-01-15
    assert form.late_status.isVisible() and "补记" in form.late_status.text()
    form.date.setText("2026.1.10")
    form.date.editingFinished.emit()
    assert form.date.text() == "2026-01-10"
    assert not form.late_status.isVisible()


def test_quorum_flag_live(qtbot, ctx, branch):
    form = open_form(qtbot, ctx, "支委会", D(2025, 12, 20))
    model = form.grid.model
    model.mark([0], "出席")
    assert "不足法定人数" in form.quorum_status.text()
    assert "✗" in form.quorum_status.text()  # never colour alone
    model.mark([1], "出席")
    assert "人数过半" in form.quorum_status.text()
    # a 党员大会 counts 正式党员 only: 李四 (预备党员) does not help
    form.kind.setCurrentText("支部党员大会")
    names = grid_names(form)
    model.mark([names.index(n) for n in ("林海", "黄晓丽", "周建国")], "出席")
    assert "不足法定人数：正式党员到会 3/6" in form.quorum_status.text()  # half is not enough
    model.mark([names.index("李四")], "出席")
    assert "不足法定人数：正式党员到会 3/6" in form.quorum_status.text()
    model.mark([names.index("张三")], "出席")
    assert "人数过半" in form.quorum_status.text()


def test_incomplete_record_shows_missing_fields_but_saves(qtbot, ctx, ledger, branch, errors):
    form = open_form(qtbot, ctx, "党课", D(2025, 12, 20))
    for name in ("议题", "主持人", "记录人", "授课人", "主要内容", "出席人员"):
        assert name in form.missing_status.text()
    fill_checked(form)
    form.lecturer.setText("外请专家")
    form._update_status()
    assert "缺：出席人员" in form.missing_status.text()
    form.grid.model.mark_all_present()
    assert "检查项齐全" in form.missing_status.text()
    form.lecturer.clear()
    form._update_status()
    assert "缺：授课人" in form.missing_status.text()
    assert form.save()  # saving is allowed; the list marks it
    (row,) = svc.record_rows(ctx.ledger)
    assert row.missing == ["授课人"]


def test_kind_adapts_the_form(qtbot, ctx, branch):
    form = open_form(qtbot, ctx, "党课", D(2025, 12, 20))
    assert form.lecturer.isVisible() and not form.organizer.isVisible()
    assert form.also_theme_day.isVisible()
    form.kind.setCurrentText("主题党日")
    assert form.organizer.isVisible() and form.form.isVisible()
    assert not form.host.isVisible() and not form.also_theme_day.isVisible()
    assert form._labels["topic"].text() == "主题" and form.content_label.text() == "活动内容"
    form.kind.setCurrentText("谈心谈话")
    assert form.talk_people.isVisible() and form._labels["host"].text() == "谈话人"


def test_reading_order_and_pinyin_completion(qtbot, ctx, branch):
    form = open_form(qtbot, ctx, "支委会", D(2025, 12, 20))
    chain, w = [], form.kind
    while w not in chain:
        chain.append(w)
        w = w.nextInFocusChain()
    order = [form.kind, form.date, form.time, form.place, form.host, form.recorder, form.topic]
    assert [chain.index(x) for x in order] == sorted(chain.index(x) for x in order)
    assert chain.index(form.content) < chain.index(form.grid.view) < chain.index(form.save_button)
    completer = form.host.completer()
    completer.update_for("zjg")
    assert completer.model().stringList() == ["周建国"]


def test_talk_lists_the_people_talked_with(qtbot, ctx, ledger, branch, errors):
    form = open_form(qtbot, ctx, "谈心谈话", D(2025, 12, 20))
    form.host.setText("林海")
    form.talk_people.setText("张三、王五")
    form.talk_people.editingFinished.emit()
    assert grid_names(form) == ["张三", "王五"]
    assert form.grid.model.counts() == (2, 2, 0, 0)
    form.talk_people.setText("张三、不存在")
    form.talk_people.editingFinished.emit()
    assert form.talk_people.property("invalid") is True
    assert "不存在" in form.talk_people.toolTip()
    form.talk_people.setText("张三、王五")
    form.talk_people.editingFinished.emit()
    assert form.save()
    cov = svc.talk_coverage(ledger, 2025)
    assert cov.has_talked(branch["林海"].id, branch["王五"].id)


def test_date_change_rederives_and_keeps_marks(qtbot, ctx, branch):
    form = open_form(qtbot, ctx, "支部党员大会", D(2025, 12, 20))
    names = grid_names(form)
    form.grid.model.mark([names.index("张三")], "请假", "事假")
    form.date.setText("2025-11-20")  # before 赵六 joined
    form.date.editingFinished.emit()
    assert "赵六" not in grid_names(form)
    marks = {a.name: (a.status, a.reason) for a in form.grid.model.attendance()}
    assert marks == {"张三": ("请假", "事假")}


def test_unsaved_changes_are_never_lost_silently(qtbot, ctx, ledger, branch, monkeypatch):
    form = open_form(qtbot, ctx, "支委会", D(2025, 12, 20))
    form.reject()  # nothing typed: closes without asking
    assert not form.isVisible()

    form = open_form(qtbot, ctx, "支委会", D(2025, 12, 20))
    form.topic.setText("议题")
    answers = iter(["cancel", "discard"])
    asked = []
    monkeypatch.setattr(
        UnsavedQuestion,
        "ask",
        classmethod(lambda cls, p, what: asked.append(what) or next(answers)),
    )
    qtbot.keyClick(form.topic, Qt.Key.Key_Escape)
    assert form.isVisible() and len(asked) == 1  # 继续编辑
    qtbot.keyClick(form.topic, Qt.Key.Key_Escape)
    assert not form.isVisible() and len(asked) == 2
    assert ledger.repo.records() == []


def _png(path):
    img = QImage(40, 30, QImage.Format.Format_RGB32)
    img.fill(QColor("#B3261E"))
    assert img.save(str(path))
    return path


def test_attachment_added_with_thumbnail_and_saved(qtbot, ctx, ledger, branch, tmp_path, errors):
    form = open_form(qtbot, ctx, "支委会", D(2025, 12, 20))
    form.add_files([_png(tmp_path / "签到表.png")])
    assert form.attachments.count() == 1
    assert not form.attachments.item(0).icon().isNull()
    assert form.is_dirty()
    assert form.save()
    (rec,) = ledger.repo.records()
    (info,) = svc.attachments(ledger, rec.id)
    assert info.filename == "签到表.png" and info.mime == "image/png"
    # reopened, the attachment is there; removing it takes effect on save
    form2 = RecordForm.for_existing(ctx, rec.id)
    qtbot.addWidget(form2)
    assert form2.attachments.count() == 1
    form2.attachments.setCurrentRow(0)
    form2._remove_selected_attachment()
    assert form2.attachments.count() == 0
    assert svc.attachments(ledger, rec.id)  # not yet
    assert form2.save()
    assert svc.attachments(ledger, rec.id) == []


def test_template_applies_topic_and_starts_minutes(qtbot, ctx, ledger, branch):
    svc.add_topic_template(ledger, "支委会", "研究发展党员工作", "一、……")
    form = open_form(qtbot, ctx, "支委会", D(2025, 12, 20))
    form._fill_template_menu()
    titles = [a.text() for a in form.template_menu.actions()]
    assert "研究发展党员工作" in titles
    next(a for a in form.template_menu.actions() if a.text() == "研究发展党员工作").trigger()
    assert form.topic.text() == "研究发展党员工作"
    assert form.content.toPlainText() == "一、……"


def test_attendance_model_passes_modeltester(qtmodeltester, ledger, branch):
    model = AttendanceModel()
    model.set_members(list(branch.values()))
    model.mark([0, 1], "出席")
    model.mark([2], "请假", "病假")
    qtmodeltester.check(model, force_py=True)


# --- the lists --------------------------------------------------------------------------------


def save(ledger, kind, day, attendance=(), **kw) -> Record:
    r = svc.new_record(ledger, kind, day, **kw)
    r.attendance = [Attendance(m.id, s) for m, s in attendance]
    svc.save_record(ledger, r)
    return r


@pytest.fixture
def meetings(ledger, branch):
    complete = dict(topic="学习", host="林海", recorder="黄晓丽", content="内容")
    a = save(ledger, "支委会", D(2025, 3, 7), [(branch["林海"], "出席")], **complete)
    b = save(ledger, "支部党员大会", D(2025, 4, 8), topic="选举")
    c = save(ledger, "党课", D(2024, 6, 1), **complete)
    t = save(ledger, "主题党日", D(2025, 5, 1), topic="参观")
    return a, b, c, t


def make_page(qtbot, cls, ctx):
    page = cls(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_meetings_list_filters_and_shows_status(qtbot, ctx, ledger, meetings):
    a, b, c, t = meetings
    page = make_page(qtbot, MeetingsPage, ctx)
    page.year.setCurrentIndex(page.year.findData(2025))
    assert [r.id for r in page.model.rows()] == [b.id, a.id]  # 2025 only, no 主题党日
    status = page.model.index(0, page.model.columns.index("状态")).data()
    assert status.startswith("✗") and "缺 主持人" in status  # quorum short + incomplete
    status_a = page.model.index(1, page.model.columns.index("状态")).data()
    assert "补记" in status_a  # entered in 2026 for March 2025
    page.period.setCurrentIndex(page.period.findText("第二季度"))
    assert [r.id for r in page.model.rows()] == [b.id]
    page.period.setCurrentIndex(0)
    page.kind.setCurrentIndex(page.kind.findData("支委会"))
    assert [r.id for r in page.model.rows()] == [a.id]
    page.kind.setCurrentIndex(0)
    page.year.setCurrentIndex(page.year.findData(None))  # 全部年份
    page.search.setText("选举")  # filters as the clerk types (after a short pause)
    qtbot.waitUntil(lambda: [r.id for r in page.model.rows()] == [b.id])
    assert "共 1 条" in page.count_label.text()


def test_theme_and_other_pages_show_their_kinds(qtbot, ctx, ledger, meetings, branch):
    talk = save(ledger, "谈心谈话", D(2025, 6, 1), [(branch["张三"], "出席")], host="林海")
    theme = make_page(qtbot, ThemeDayPage, ctx)
    theme.year.setCurrentIndex(theme.year.findData(2025))
    assert [r.kind for r in theme.model.rows()] == ["主题党日"]
    other = make_page(qtbot, OtherLifePage, ctx)
    other.year.setCurrentIndex(other.year.findData(2025))
    assert [r.id for r in other.model.rows()] == [talk.id]
    cov = other.coverage
    names = [cov.member_at(r).name for r in range(cov.rowCount())]
    zs = names.index("张三")
    last = cov.columnCount() - 1
    assert cov.index(zs, last).data() == "✓ 已谈"
    assert cov.index(names.index("王五"), last).data() == "✗ 未谈"  # 2025 has ended
    assert "尚有" in other.coverage_summary.text()
    other.only_uncovered.setChecked(True)
    assert "张三" not in [cov.member_at(r).name for r in range(cov.rowCount())]


def test_coverage_blank_cell_opens_a_prefilled_talk(qtbot, ctx, ledger, branch):
    other = make_page(qtbot, OtherLifePage, ctx)
    cov = other.coverage
    names = [cov.member_at(r).name for r in range(cov.rowCount())]
    col = next(c for c in range(1, cov.columnCount() - 1) if cov.committee_at(c).name == "林海")
    other._coverage_clicked(cov.index(names.index("王五"), col))
    form = other.form
    qtbot.addWidget(form)
    assert form.kind.currentText() == "谈心谈话" and form.host.text() == "林海"
    assert grid_names(form) == ["王五"]


def test_duplicate_opens_a_copy_dated_today(qtbot, ctx, ledger, meetings, errors):
    a = meetings[0]
    page = make_page(qtbot, MeetingsPage, ctx)
    page.year.setCurrentIndex(page.year.findData(2025))
    assert page.select_id(a.id)
    form = page.duplicate_selected()
    qtbot.addWidget(form)
    assert form.date.date() == ledger.today() and form.topic.text() == "学习"
    assert form.record().id is None
    form.date.setText("1.8")
    assert form.save()
    assert len(ledger.repo.records(kinds=["支委会"])) == 2
    page.year.setCurrentIndex(page.year.findData(2026))
    assert [r.date for r in page.model.rows()] == [D(2026, 1, 8)]


def test_delete_asks_then_deletes(qtbot, ctx, ledger, meetings, monkeypatch):
    a = meetings[0]
    page = make_page(qtbot, MeetingsPage, ctx)
    page.year.setCurrentIndex(page.year.findData(2025))
    page.select_id(a.id)
    monkeypatch.setattr(pages, "confirm", lambda *a, **k: False)
    assert not page.delete_selected()
    assert ledger.repo.record(a.id) is not None
    asked: list[str] = []
    monkeypatch.setattr(pages, "confirm", lambda _p, _t, text, **k: asked.append(text) or True)
    said: list[str] = []
    ctx.status_message.connect(said.append)
    assert page.delete_selected()
    assert ledger.repo.record(a.id) is None
    assert a.id not in [r.id for r in page.model.rows()]
    # a clerk who deleted the wrong record is told where to get it back
    assert "设置 › 回收站" in asked[0] and "设置 › 回收站" in said[-1]


def test_edit_on_enter_and_saved_changes_refresh_the_list(qtbot, ctx, ledger, meetings, errors):
    b = meetings[1]
    page = make_page(qtbot, MeetingsPage, ctx)
    page.year.setCurrentIndex(page.year.findData(2025))
    page.select_id(b.id)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    form = page.form
    qtbot.addWidget(form)
    assert form.record().id == b.id and form.topic.text() == "选举"
    form.host.setText("林海")
    assert form.save()
    row = page.model.row_at(page.model.row_of(b.id))
    assert row.host == "林海" and "主持人" not in row.missing


def test_activate_from_the_board(qtbot, ctx, ledger, meetings, branch):
    page = make_page(qtbot, MeetingsPage, ctx)
    gid = ledger.repo.group_id("第二党小组")
    page.activate(kind="党小组会", date=D(2025, 4, 30), group_id=gid)
    form = page.form
    qtbot.addWidget(form)
    assert form.kind.currentText() == "党小组会" and form.group.currentData() == gid
    assert form.date.text() == "2025-04-30"
    assert grid_names(form) == ["周建国", "张三", "李四", "王五"]
    form.done(0)
    a = meetings[0]
    page.activate(kind="支委会", record_ids=[a.id])
    assert [r.id for r in page.model.rows()] == [a.id] and page.banner.isVisible()
    page.clear_ids_filter()
    assert not page.banner.isVisible()
    page.activate(record_ids=[a.id], edit=True)
    qtbot.addWidget(page.form)
    assert page.form.record().id == a.id


def test_list_models_pass_modeltester(qtbot, qtmodeltester, ctx, ledger, meetings, branch):
    save(ledger, "谈心谈话", D(2025, 6, 1), [(branch["张三"], "出席")], host="林海")
    page = make_page(qtbot, MeetingsPage, ctx)
    qtmodeltester.check(page.model, force_py=True)
    other = make_page(qtbot, OtherLifePage, ctx)
    other.year.setCurrentIndex(other.year.findData(2025))
    qtmodeltester.check(other.coverage, force_py=True)


def test_a_year_of_a_big_branch_lists_at_once(qtbot, ctx, ledger):
    """300 members, a year of every required meeting with full attendance."""
    from ledger_app.domain.attendance import expected_members
    from ledger_app.domain.models import Member

    repo = ledger.repo
    groups = [repo.ensure_group(f"第{i}党小组") for i in range(1, 7)]
    posts = ["书记", "副书记", "组织委员", "宣传委员", "纪检委员"]
    members = []
    with repo.atomic():
        for i in range(300):
            m = Member(
                None,
                f"党员{i:03d}",
                join_date=D(2000, 1, 1),
                group_id=groups[i % 6],
                post=posts[i] if i < 5 else None,
            )
            repo.add_member(m)
            members.append(m)

        def add(kind, day, gid=None):
            r = Record(None, kind, day, group_id=gid, topic="议题", host="党员000")
            r.attendance = [Attendance(m.id, "出席") for m in expected_members(r, members)]
            repo.add_record(r)

        for mo in range(1, 13):
            add("支委会", D(2025, mo, 5))
            for g in groups:
                add("党小组会", D(2025, mo, 12), g)
            if mo % 3 == 0:
                add("支部党员大会", D(2025, mo, 20))
                add("党课", D(2025, mo, 22))
    page = make_page(qtbot, MeetingsPage, ctx)
    started = time.perf_counter()
    page.year.setCurrentIndex(page.year.findData(2025))
    elapsed = time.perf_counter() - started
    assert page.model.rowCount() == 12 * 7 + 8
    print(
        f"\n300 党员 / {page.model.rowCount()} 条记录：列表填充 {page.last_fill_seconds * 1000:.0f} ms"
    )
    assert elapsed < 1.0


def test_save_and_new_continues_with_the_next_record(qtbot, ctx, ledger, branch, errors):
    gid = ledger.repo.group_id("第二党小组")
    form = open_form(qtbot, ctx, "党小组会", D(2025, 12, 20), group_id=gid)
    form.grid.model.mark_all_present()
    assert form.save_and_new()
    assert len(ledger.repo.records()) == 1
    assert form.isVisible() and form.record().id is None
    assert form.group.currentData() == gid and form.grid.model.attendance() == []
    assert not form.is_dirty()


def test_a_save_reads_only_its_row_again_and_keeps_the_list_right(
    qtbot, ctx, ledger, meetings, monkeypatch, errors
):
    """After the form saves, only that record's row is read again (a big branch's year is
    thousands of rows) — and the list is what a full reload would show: the row updated,
    moved out when it left the filter, a new record added in date order."""
    a, b, *_ = meetings
    page = make_page(qtbot, MeetingsPage, ctx)
    page.year.setCurrentIndex(page.year.findData(2025))
    calls = []
    real = svc.record_rows
    monkeypatch.setattr(
        pages.svc, "record_rows", lambda *args, **kw: calls.append(kw) or real(*args, **kw)
    )

    def whole_list():
        return [
            (r.id, r.topic, r.expected, r.present, r.missing)
            for r in real(
                ledger, kinds=page.kinds(), start=page.date_range()[0], end=page.date_range()[1]
            )
        ]

    page.select_id(b.id)
    form = page.edit_selected()
    qtbot.addWidget(form)
    form.topic.setText("选举支部委员会")
    form.host.setText("林海")
    assert form.save()
    assert [kw.get("record_ids") for kw in calls] == [[b.id]]
    assert [(r.id, r.topic, r.expected, r.present, r.missing) for r in page.model.rows()] == (
        whole_list()
    )
    assert page.selected_id() == b.id

    page.period.setCurrentIndex(page.period.findText("第二季度"))
    page.select_id(b.id)
    form = page.edit_selected()
    qtbot.addWidget(form)
    form.date.setText("2025-07-02")  # out of the quarter shown
    assert form.save_and_new()
    assert b.id not in [r.id for r in page.model.rows()]
    form.date.setText("2025-05-20")
    fill_checked(form, "新的一次")
    assert form.save()
    assert [r.topic for r in page.model.rows()] == [t for _i, t, *_ in whole_list()]
    assert "新的一次" in [r.topic for r in page.model.rows()]
    assert page.count_label.text().startswith(f"共 {len(whole_list())} 条")
    assert errors == []
