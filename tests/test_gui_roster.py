"""党员名册 in the GUI: add, edit, filter, status change, validation as you type, 5,000 rows."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from conftest import add_member
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from ledger_app.domain import idcard
from ledger_app.domain.models import Member
from ledger_app.domain.names import initials
from ledger_app.ui import member_dialog as member_dialog_module
from ledger_app.ui.context import AppContext
from ledger_app.ui.member_dialog import MemberDialog
from ledger_app.ui.pages import roster as roster_module
from ledger_app.ui.pages.roster import (
    ALL,
    COL_STATUS,
    GroupsDialog,
    RosterModel,
    RosterPage,
    StatusDialog,
)
from ledger_app.ui.unsaved import UnsavedQuestion

# the offscreen platform (CI) says this whenever a window is shown; it is not our warning
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def valid_id(birth: str = "19850312", seq: str = "123") -> str:
    first17 = "110105" + birth + seq
    return first17 + idcard.check_digit(first17)


@pytest.fixture
def ctx(ledger):
    ledger.repo.set_branch_info({"支部名称": "测试党支部"})
    return AppContext(ledger)


@pytest.fixture
def page(qtbot, ctx):
    add_member(ctx.ledger, "周建国", group="第一党小组", post="书记")
    add_member(ctx.ledger, "李明", group="第一党小组", post="组织委员")
    add_member(ctx.ledger, "王芳", group="第二党小组", category="离退休")
    p = RosterPage(ctx)
    qtbot.addWidget(p)
    ctx.changed.connect(p.refresh)  # what the main window does for every built page
    return p


def shown_names(page: RosterPage) -> list[str]:
    proxy = page.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def open_dialog(page: RosterPage, member: Member | None, qtbot) -> MemberDialog:
    d = MemberDialog(page.ctx, member, page)
    qtbot.addWidget(d)
    return d


def test_roster_lists_members_with_count(page):
    assert sorted(shown_names(page)) == ["周建国", "李明", "王芳"]
    assert page.count_label.text() == "在册 3 人"
    # status is a word with an icon, not colour alone
    status = page.proxy.index(0, COL_STATUS).data()
    assert "在册" in status and "✓" in status
    assert page.proxy.index(0, COL_STATUS).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_add_member_through_the_dialog(page, qtbot):
    d = open_dialog(page, None, qtbot)
    d.name.setText("张伟")
    d.join_date.setText("2010.7.1")
    d.id_number.setText(valid_id("19850312", "123"))
    d.group.setCurrentText("第三党小组")  # a new group is created on save
    d.phone.setText("13800000001")
    d.save_button.click()
    assert d.result() == MemberDialog.DialogCode.Accepted
    m = next(x for x in page.ctx.ledger.repo.members() if x.name == "张伟")
    assert m.join_date == dt.date(2010, 7, 1)
    assert m.birth_date == dt.date(1985, 3, 12)
    assert m.gender == "男"  # 17th digit 3 is odd
    assert m.group_name == "第三党小组"
    assert d.saved_id == m.id
    # the page refreshed through ctx.changed
    assert "张伟" in shown_names(page)
    assert page.count_label.text() == "在册 4 人"


def test_required_fields_are_named_beside_the_field(page, qtbot):
    d = open_dialog(page, None, qtbot)
    d.save_button.click()
    assert d.result() != MemberDialog.DialogCode.Accepted
    assert d.error_text("姓名") == "请填写姓名"
    assert d.error_text("入党日期") == "请填写入党日期"
    assert page.ctx.ledger.repo.member_count() == 3


def test_bad_date_is_reported_for_its_field(page, qtbot):
    d = open_dialog(page, None, qtbot)
    d.name.setText("赵六")
    d.join_date.setText("2010-13-45")
    d.save_button.click()
    assert "不存在的日期" in d.error_text("入党日期")
    assert page.ctx.ledger.repo.member_count() == 3


def test_bad_id_number_shows_message_as_you_type(page, qtbot):
    d = open_dialog(page, None, qtbot)
    good = valid_id("19900101", "222")
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    d.id_number.setText(wrong_check[:10])  # still typing: no complaint yet
    assert d.error_text("公民身份号码") == ""
    d.id_number.setText(wrong_check)
    assert "校验位错误" in d.error_text("公民身份号码")
    assert d.id_number.property("invalid") is True
    assert d.birth_date.text() == ""  # nothing filled from a wrong number
    d.id_number.setText(good)
    assert d.error_text("公民身份号码") == ""
    assert d.id_number.property("invalid") is False
    assert d.birth_date.text() == "1990-01-01"
    assert d.gender.currentText() == "女"  # 17th digit 2 is even


def test_good_id_number_does_not_overwrite_typed_birth_date(page, qtbot):
    d = open_dialog(page, None, qtbot)
    d.birth_date.setText("1990-01-02")
    d.gender.setCurrentText("男")
    d.id_number.setText(valid_id("19900101", "222"))
    assert d.birth_date.text() == "1990-01-02"
    assert d.gender.currentText() == "男"


def test_edit_member_and_see_it_after_reload(page, qtbot):
    m = next(x for x in page.ctx.ledger.repo.members() if x.name == "王芳")
    d = open_dialog(page, m, qtbot)
    assert d.name.text() == "王芳" and d.category.currentText() == "离退休"
    d.phone.setText("13911112222")
    d.post.setCurrentText("宣传委员")
    d.save_button.click()
    again = page.ctx.ledger.repo.member(m.id)
    assert again.phone == "13911112222" and again.post == "宣传委员"
    assert again.group_name == "第二党小组"  # unchanged fields kept
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 0).data() == "王芳")
    assert page.proxy.index(row, 8).data() == "13911112222"


def test_enter_on_a_row_opens_the_editor(page, qtbot, monkeypatch):
    opened = []

    class FakeDialog:
        def __init__(self, ctx, member, parent):
            opened.append(member.name)

        def exec(self):
            return 0

    monkeypatch.setattr(member_dialog_module, "MemberDialog", FakeDialog)
    page.table.setFocus()
    page.table.selectRow(0)
    index = page.proxy.index(0, 0)
    page.table.activated.emit(index)
    assert opened == [page.proxy.index(0, 0).data()]


def test_unsaved_changes_are_not_lost_silently(page, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(
        UnsavedQuestion, "ask", classmethod(lambda cls, p, what: asked.append(what) or "cancel")
    )
    d = open_dialog(page, None, qtbot)
    d.reject()  # nothing typed: closes without asking
    assert not asked and d.result() == MemberDialog.DialogCode.Rejected
    d = open_dialog(page, None, qtbot)
    d.show()
    d.name.setText("半途")
    d.reject()  # asked, user keeps editing
    assert asked == ["党员信息"] and d.isVisible()
    assert page.ctx.ledger.repo.member_count() == 3


def test_filter_by_name_characters_and_pinyin_initials(page):
    page.search.setText("建")
    assert shown_names(page) == ["周建国"]
    page.search.setText("zjg")
    assert shown_names(page) == ["周建国"]
    page.search.setText("LM")
    assert shown_names(page) == ["李明"]
    page.search.setText("")
    assert len(shown_names(page)) == 3
    assert "当前显示" not in page.count_label.text()


def test_filter_by_group_status_and_category(page):
    page.group_box.setCurrentText("第二党小组")
    assert shown_names(page) == ["王芳"]
    page.group_box.setCurrentText(ALL)
    page.category_box.setCurrentText("在职")
    assert sorted(shown_names(page)) == ["周建国", "李明"]
    assert page.count_label.text() == "在册 3 人　·　当前显示 2 人"


def test_status_change_is_recorded_with_date_in_history(page, qtbot, monkeypatch):
    # 转出 asks whether to record the 组织关系转接 too (test_gui_registers): not here
    monkeypatch.setattr("ledger_app.ui.transfer_dialogs.ask_choice", lambda *a: "只改状态")
    m = next(x for x in page.ctx.ledger.repo.members() if x.name == "李明")
    d = StatusDialog(page.ctx, m, page)
    qtbot.addWidget(d)
    d.status.setCurrentText("转出")
    d.date.setText("2025-06-30")
    d.note.setText("转往区财政局党支部")
    d.ok.click()
    again = page.ctx.ledger.repo.member(m.id)
    assert again.status == "转出" and again.status_date == dt.date(2025, 6, 30)
    history = page.ctx.ledger.repo.status_history(m.id)
    assert (history[-1].status, history[-1].date, history[-1].note) == (
        "转出",
        dt.date(2025, 6, 30),
        "转往区财政局党支部",
    )
    # default filter 在册: the member leaves the list, the count follows
    assert "李明" not in shown_names(page)
    assert page.count_label.text() == "在册 2 人"
    page.status_box.setCurrentText("转出")
    assert shown_names(page) == ["李明"]
    assert "转出 2025-06-30" in page.proxy.index(0, COL_STATUS).data()
    # the history is shown in the member dialog
    dialog = open_dialog(page, again, qtbot)
    table = dialog.findChild(QTableWidget, "status_history")
    rows = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert rows == ["在册", "转出"]


def test_status_change_needs_a_date(page, qtbot):
    m = next(x for x in page.ctx.ledger.repo.members() if x.name == "李明")
    d = StatusDialog(page.ctx, m, page)
    qtbot.addWidget(d)
    d.status.setCurrentText("去世")
    d.date.setText("")
    d.ok.click()
    assert "变更日期" in d.error.text()
    assert page.ctx.ledger.repo.member(m.id).status == "在册"


def test_back_to_active_corrects_a_mistake(page, qtbot):
    m = next(x for x in page.ctx.ledger.repo.members() if x.name == "李明")
    page.ctx.run(None, roster_module.roster.change_status, m.id, "出党", dt.date(2025, 3, 1))
    m = page.ctx.ledger.repo.member(m.id)
    d = StatusDialog(page.ctx, m, page)
    qtbot.addWidget(d)
    assert d.status.currentText() == "在册"
    d.ok.click()
    again = page.ctx.ledger.repo.member(m.id)
    assert again.status == "在册" and again.status_date is None
    assert [h.status for h in page.ctx.ledger.repo.status_history(m.id)] == ["在册", "出党", "在册"]


def test_group_management(page, qtbot, monkeypatch):
    d = GroupsDialog(page.ctx, page)
    qtbot.addWidget(d)
    assert d.list.count() == 2
    monkeypatch.setattr(d, "ask_name", lambda title, text="": "第三党小组")
    d.add()
    assert [g.name for g in page.ctx.ledger.repo.groups()][-1] == "第三党小组"
    d.list.setCurrentRow(0)
    monkeypatch.setattr(d, "ask_name", lambda title, text="": "机关第一党小组")
    d.rename()
    assert page.ctx.ledger.repo.groups()[0].name == "机关第一党小组"
    assert page.group_box.findText("机关第一党小组") >= 0  # the filter follows
    monkeypatch.setattr(roster_module, "confirm", lambda *a, **k: True)
    d.list.setCurrentRow(1)
    d.delete()
    assert "第二党小组" not in [g.name for g in page.ctx.ledger.repo.groups()]
    wang = next(x for x in page.ctx.ledger.repo.members() if x.name == "王芳")
    assert wang.group_id is None


def test_roster_model_passes_the_model_tester(qtmodeltester, ledger):
    for i in range(5):
        add_member(ledger, f"党员{i}", group="第一党小组" if i % 2 else None)
    model = RosterModel()
    model.load(ledger.repo.members())
    qtmodeltester.check(model)


@pytest.mark.slow
def test_five_thousand_members_load_and_filter(qtbot, ctx, capsys):
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌"
    rows = []
    for i in range(5000):
        name = (
            surnames[i % len(surnames)]
            + given[(i // 7) % len(given)]
            + given[(i // 3) % len(given)]
        )
        rows.append(
            (
                name,
                "2000-07-01",
                "在职" if i % 4 else "离退休",
                "在册" if i % 10 else "转出",
                "2024-01-01" if i % 10 == 0 else None,
            )
        )
    with ctx.ledger.repo.atomic():
        ctx.ledger.db.conn.executemany(
            "INSERT INTO member (name, join_date, category, status, status_date) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    t0 = time.perf_counter()
    page = RosterPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    t_load = time.perf_counter() - t0
    assert page.count_label.text() == "在册 4500 人"
    t0 = time.perf_counter()
    page.search.setText(initials(rows[0][0]))  # pinyin initials over 5,000 names
    t_pinyin = time.perf_counter() - t0
    assert page.proxy.rowCount() > 0
    assert all(n.startswith("王") for n in shown_names(page))
    t0 = time.perf_counter()
    page.search.setText("张")
    t_chars = time.perf_counter() - t0
    assert page.proxy.rowCount() > 0
    page.search.setText("")
    assert page.proxy.rowCount() == 4500
    t0 = time.perf_counter()
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    t_sort = time.perf_counter() - t0
    first = [page.proxy.index(r, 0).data() for r in range(3)]
    assert first == sorted(first, key=initials)
    with capsys.disabled():
        print(
            f"\n[roster 5000] load+show {t_load:.3f}s, pinyin filter {t_pinyin:.3f}s, "
            f"char filter {t_chars:.3f}s, sort by name {t_sort:.3f}s"
        )


@pytest.mark.parametrize("field", ["phone", "join_date", "group"])
def test_enter_saves_from_any_field(page, qtbot, field):
    d = open_dialog(page, None, qtbot)
    d.show()
    d.name.setText("钱七")
    d.join_date.setText("2012-07-01")
    widget = getattr(d, field)
    target = widget.lineEdit() if hasattr(widget, "lineEdit") else widget
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Return)
    assert d.result() == MemberDialog.DialogCode.Accepted
    assert any(m.name == "钱七" for m in page.ctx.ledger.repo.members())


def test_escape_asks_before_discarding(page, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(
        UnsavedQuestion, "ask", classmethod(lambda cls, p, what: asked.append(1) or "discard")
    )
    d = open_dialog(page, None, qtbot)
    d.show()
    d.name.setText("孙八")
    qtbot.keyClick(d.name, Qt.Key.Key_Escape)
    assert asked == [1]
    assert d.result() == MemberDialog.DialogCode.Rejected
    assert page.ctx.ledger.repo.member_count() == 3


def test_column_widths_are_remembered(page, qtbot, ctx, monkeypatch):
    from ledger_app.ui import widgets
    from ledger_app.ui.widgets import app_settings

    with monkeypatch.context() as m:
        m.setattr(widgets, "_mouse_held", lambda: True)  # the clerk drags the column edge
        page.table.setColumnWidth(0, 155)
        key = f"columns/roster-{page.table.model().columnCount()}"
        qtbot.waitUntil(lambda: app_settings().value(key) is not None, timeout=2000)
    again = RosterPage(ctx)
    qtbot.addWidget(again)
    assert again.table.columnWidth(0) == 155
