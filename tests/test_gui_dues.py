"""党费 and 志愿服务 pages: the payment grid's words, 本月全部已缴 with an exception, 补交,
the base dialog's bracket-edge warning, volunteer entry for several members; model checks."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member, show_active
from PySide6.QtCore import Qt

from ledger_app.domain.models import DuesSetting
from ledger_app.services import dues as S
from ledger_app.services import volunteer as V
from ledger_app.services.ledger import Ledger
from ledger_app.ui import context as context_module
from ledger_app.ui.context import AppContext
from ledger_app.ui.pages import dues as dues_module
from ledger_app.ui.pages import volunteer as volunteer_module
from ledger_app.ui.pages.dues import (
    COL_BASE,
    COL_DUE,
    COL_PAID_TOTAL,
    COL_RATE,
    COL_UNPAID,
    FIRST_MONTH,
    STATE_ROLE,
    CorrectionDialog,
    DuesPage,
    MarkMonthDialog,
    PaymentDialog,
    SettingDialog,
)
from ledger_app.ui.pages.volunteer import ServiceDialog, VolunteerPage
from ledger_app.ui.widgets import STATUS_MISSING, STATUS_NONE, STATUS_OK, STATUS_WARN


@pytest.fixture
def errors(monkeypatch):
    """User errors that would have been shown in a message box."""
    shown: list[str] = []

    def fake(_parent, error, title="无法完成"):
        shown.append(str(error))

    monkeypatch.setattr(context_module, "show_error", fake)
    monkeypatch.setattr(dues_module, "show_error", fake)
    monkeypatch.setattr(volunteer_module, "show_error", fake)
    return shown


@pytest.fixture
def ctx(ledger):
    ledger.repo.set_setting("user_name", "组织委员")
    return AppContext(ledger)


@pytest.fixture
def people(ctx):
    lg = ctx.ledger
    a = add_member(lg, "张三", group="第一党小组")
    b = add_member(lg, "李四", group="第一党小组")
    c = add_member(lg, "王五", category="学生", group="第二党小组")
    d = add_member(lg, "赵六", join_date=dt.date(2025, 6, 10), group="第二党小组")
    S.set_setting(lg, DuesSetting(a.id, 2025, base_fen=450_000))
    S.set_setting(lg, DuesSetting(b.id, 2025, base_fen=290_000))
    S.set_setting(lg, DuesSetting(d.id, 2025, base_fen=1_180_000))
    return a, b, c, d


@pytest.fixture
def page(qtbot, ctx, people):
    p = DuesPage(ctx)
    qtbot.addWidget(p)
    ctx.changed.connect(p.refresh)
    p.year_box.setValue(2025)
    return p


def cell(page: DuesPage, member_id: int, col: int, role=Qt.ItemDataRole.DisplayRole):
    row = page.model.row_of(member_id)
    return page.model.index(row, col).data(role)


def month_cell(page, member_id, month, role=Qt.ItemDataRole.DisplayRole):
    return cell(page, member_id, FIRST_MONTH + month - 1, role)


def test_grid_shows_words_and_colours(page, people, qtmodeltester):
    a, b, c, d = people
    qtmodeltester.check(page.model)
    assert month_cell(page, a.id, 1) == "✗ 未缴"
    assert month_cell(page, a.id, 1, STATE_ROLE) == STATUS_MISSING
    assert month_cell(page, d.id, 5) == "– 不需缴"  # joined in June
    assert month_cell(page, d.id, 5, STATE_ROLE) == STATUS_NONE
    assert cell(page, a.id, COL_RATE) == "1%" and cell(page, a.id, COL_DUE) == "45.00"
    assert cell(page, b.id, COL_BASE) == "2,900.00"
    assert cell(page, b.id, COL_BASE, STATE_ROLE) == STATUS_WARN  # near the 3000 edge
    assert cell(page, c.id, COL_RATE) == "定额" and cell(page, c.id, COL_DUE) == "0.20"
    assert cell(page, d.id, COL_UNPAID) == "7"
    total_row = page.model.rowCount() - 1
    assert page.model.index(total_row, 0).data() == "合计"


def test_mark_month_paid_for_all_with_an_exception(page, people, qtbot, errors):
    a, b, c, d = people
    dialog = MarkMonthDialog(page.ctx, page.dues_year, 3, page)
    qtbot.addWidget(dialog)
    listed = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert listed == ["张三　45.00 元", "李四　14.50 元", "王五　0.20 元"]  # 赵六 not yet
    dialog.set_exception(b.id)
    assert "将登记 2 人，合计 ¥45.20；例外 1 人" in dialog.summary.text()
    dialog.date.setText("2025-03-28")
    dialog.accept()
    assert errors == []
    assert month_cell(page, a.id, 3) == "✓ 45.00"
    assert month_cell(page, a.id, 3, STATE_ROLE) == STATUS_OK
    assert month_cell(page, b.id, 3) == "✗ 未缴"
    assert month_cell(page, c.id, 3) == "✓ 0.20"
    (p,) = S.payment_history(page.ctx.ledger, 2025, a.id)
    assert (p.paid_on, p.entered_by) == (dt.date(2025, 3, 28), "组织委员")


def test_record_back_payment_through_the_dialog(page, people, qtbot, errors):
    a, b, *_ = people
    dialog = PaymentDialog(page.ctx, page.dues_year, member_id=b.id, parent=page)
    qtbot.addWidget(dialog)
    assert dialog.amount.text() == "14.50"
    assert not any(cb.isChecked() for cb in dialog.month_checks.values())
    dialog.unpaid_button.click()
    assert dialog.months() == list(range(1, 13))
    dialog.month_checks[12].setChecked(False)
    dialog.date.setText("2025-12-20")
    dialog._update()
    assert "补交" in dialog.summary.text() and "¥159.50" in dialog.summary.text()
    assert "超过6个月" in dialog.warning.text()
    dialog.accept()
    assert errors == []
    assert month_cell(page, b.id, 6) == "✓ 14.50"  # within six months
    assert month_cell(page, b.id, 5) == "✓ 14.50 补"  # May paid in December: flagged
    assert month_cell(page, b.id, 5, STATE_ROLE) == STATUS_WARN
    assert month_cell(page, b.id, 12) == "✗ 未缴"
    assert cell(page, b.id, COL_PAID_TOTAL) == "159.50"
    assert cell(page, b.id, COL_UNPAID) == "1"
    assert "登记人 组织委员" in month_cell(page, b.id, 5, Qt.ItemDataRole.ToolTipRole)


def test_payment_dialog_finds_the_member_by_typing(page, people, qtbot, errors):
    """The 党员 list is a filter box (pinyin initials too), not 17 ↓ to reach a name."""
    a, b, c, d = people
    dialog = PaymentDialog(page.ctx, page.dues_year, parent=page)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    assert dialog.member_picker.filter.hasFocus() or dialog.member_picker.hasFocus()
    picker = dialog.member_picker
    picker.filter.setFocus()
    qtbot.keyClicks(picker.filter, "ls")
    assert picker.current_id() == b.id and dialog.amount.text() == "14.50"
    picker.filter.clear()
    qtbot.keyClicks(picker.filter, "z")  # 张三 and 赵六
    assert picker.current_id() == a.id
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)  # ↓ while typing moves in the list
    assert picker.current_id() == d.id
    assert dialog.amount.text() == "236.00"
    qtbot.keyClicks(picker.filter, "l")  # "zl": 赵六 alone
    assert picker.current_id() == d.id
    qtbot.mouseClick(dialog.month_checks[7], Qt.MouseButton.LeftButton)
    dialog.date.setText("2025-07-20")
    qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    assert errors == []
    assert month_cell(page, d.id, 7) == "✓ 236.00"


def test_payment_dialog_shows_the_months_paid_already(page, people, qtbot):
    a, *_ = people
    S.record_payment(page.ctx.ledger, a.id, 2025, [1, 2, 3], 4_500, dt.date(2025, 3, 5))
    page.reload()
    dialog = PaymentDialog(page.ctx, page.dues_year, member_id=a.id, parent=page)
    qtbot.addWidget(dialog)
    assert [cb.text() for cb in dialog.month_checks.values()][:4] == [
        "1月 已缴",
        "2月 已缴",
        "3月 已缴",
        "4月",
    ]
    assert dialog.paid_line.text() == "! 已缴 1–3月；未缴 4–12月"


def test_payment_dialog_grows_when_its_summary_wraps(page, people, qtbot):
    """(At 125 % the month boxes were squeezed when the summary took a second line.)"""
    a, *_ = people
    S.record_payment(page.ctx.ledger, a.id, 2025, [1, 2], 4_500, dt.date(2025, 2, 5))
    page.reload()
    dialog = PaymentDialog(page.ctx, page.dues_year, member_id=a.id, parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for m in (1, 2, 3, 11, 12):
        dialog.month_checks[m].setChecked(True)
    dialog.date.setText("2026-01-10")
    dialog.amount.setText("5")
    qtbot.wait(10)
    assert dialog.warning.text().count("；") >= 2  # three warnings: wraps to several lines
    for cb in dialog.month_checks.values():
        assert cb.height() >= cb.sizeHint().height()
    assert dialog.height() >= dialog.minimumSizeHint().height()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_drop_down_draws_its_highlighted_row(qtbot):
    """The house style once drew the highlighted row of a drop-down as a blank white box."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QComboBox

    from ledger_app.ui.widgets import STYLE_SHEET

    box = QComboBox()
    box.setStyleSheet(STYLE_SHEET)
    box.addItems([f"{m}月" for m in range(1, 13)])
    qtbot.addWidget(box)
    box.show()
    box.showPopup()
    view = box.view()
    view.setCurrentIndex(box.model().index(1, 0))
    qtbot.wait(10)
    rect = view.visualRect(box.model().index(1, 0))
    image = view.viewport().grab(rect).toImage()
    right = QColor(image.pixel(image.width() - 4, image.height() // 2))
    assert right.name() == "#d9e4ef"  # the soft highlight, the row's text drawn over it
    box.hidePopup()


def test_payment_dialog_offers_only_owed_months(page, people, qtbot):
    *_, d = people
    dialog = PaymentDialog(page.ctx, page.dues_year, member_id=d.id, parent=page)
    qtbot.addWidget(dialog)
    enabled = [m for m, cb in dialog.month_checks.items() if cb.isEnabled()]
    assert enabled == list(range(6, 13))  # joined 2025-06-10
    assert dialog.amount.text() == "236.00"


def test_correction_adds_an_entry(page, people, qtbot, errors):
    a, *_ = people
    S.record_payment(page.ctx.ledger, a.id, 2025, [2], 45_000, dt.date(2025, 2, 5))
    page.reload()
    assert month_cell(page, a.id, 2) == "✓ 450.00"
    dialog = CorrectionDialog(page.ctx, page.dues_year, a.id, 2, page.model.payments(a.id, 2), page)
    qtbot.addWidget(dialog)
    assert dialog.total.text() == "450.00"
    dialog.total.setText("45")
    dialog.accept()
    assert errors and "更正原因" in errors[0]  # a reason is required
    dialog.reason.setText("多输了一个零")
    dialog.accept()
    assert len(errors) == 1
    assert month_cell(page, a.id, 2) == "✓ 45.00"
    amounts = [p.amount_fen for p in S.payment_history(page.ctx.ledger, 2025, a.id)]
    assert amounts == [45_000, -40_500]


def test_payment_dialog_refuses_a_bad_amount(page, people, qtbot, errors):
    a, *_ = people
    dialog = PaymentDialog(page.ctx, page.dues_year, member_id=a.id, months=[1], parent=page)
    qtbot.addWidget(dialog)
    dialog.amount.setText("五十")
    dialog.accept()
    assert errors and "金额" in errors[0]
    assert S.payment_history(page.ctx.ledger, 2025) == []


def test_setting_dialog_warns_at_a_bracket_edge_and_saves(page, people, qtbot, errors):
    a, *_ = people
    dialog = SettingDialog(page.ctx, page.dues_year, a.id, page)
    qtbot.addWidget(dialog)
    dialog.base.setText("5050")
    assert not dialog.edge.isHidden() and "档次界线" in dialog.edge.text()
    assert "比例 1.5%" in dialog.preview.text() and "75.75" in dialog.preview.text()
    dialog.base.setText("6800")
    assert dialog.edge.isHidden()
    dialog.reduction.setCurrentText("少交")
    dialog.reduction_amount.setText("30")
    dialog.approved_by.setText("支部委员会")
    dialog.approved_on.setText("2025-02-01")
    dialog.accept()
    assert errors == []
    s = page.ctx.ledger.repo.dues_settings(2025)[a.id]
    assert (s.base_fen, s.reduction, s.reduction_fen, s.approved_on) == (
        680_000,
        "少交",
        3000,
        dt.date(2025, 2, 1),
    )
    assert cell(page, a.id, COL_RATE) == "少交" and cell(page, a.id, COL_DUE) == "30.00"


def test_setting_dialog_components_fill_the_base(page, people, qtbot, errors):
    a, *_ = people
    dialog = SettingDialog(page.ctx, page.dues_year, a.id, page)
    qtbot.addWidget(dialog)
    dialog.parts_box.setChecked(True)
    dialog.parts["岗位工资"].setText("4000")
    dialog.parts["津贴补贴"].setText("1500")
    dialog.parts["住房公积金"].setText("600")
    assert dialog.base.text() == "4900.00"
    dialog.accept()
    assert errors == []
    s = page.ctx.ledger.repo.dues_settings(2025)[a.id]
    assert s.base_fen == 490_000 and s.components["岗位工资"] == 400_000


def test_arrears_list(page, people):
    items = [page.arrears.item(i).text() for i in range(page.arrears.count())]
    assert items[0].startswith("✗ 张三：2025年1月至12月连续12个月未交党费")


# --- 志愿服务 ---------------------------------------------------------------------------------


@pytest.fixture
def vpage(qtbot, ctx, people):
    p = VolunteerPage(ctx)
    qtbot.addWidget(p)
    ctx.changed.connect(p.refresh)
    p.activate(year=2025, month=4)
    return p


def test_volunteer_add_for_several_members(vpage, people, qtbot, errors, qtmodeltester):
    a, b, c, d = people
    dialog = ServiceDialog(vpage.ctx, dt.date(2025, 4, 12), vpage)
    qtbot.addWidget(dialog)
    names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(names) == 3  # 赵六 joined in June
    dialog.check_member(a.id)
    dialog.check_member(c.id)
    dialog.hours.setText("1.5")
    dialog.project.setText("垃圾分类宣传")
    dialog.accept()
    assert errors == []
    qtmodeltester.check(vpage.entries)
    qtmodeltester.check(vpage.totals)
    rows = [
        [vpage.entries.index(r, col).data() for col in (0, 1, 2, 4)]
        for r in range(vpage.entries.rowCount())
    ]
    assert rows == [
        ["2025-04-12", "张三", "垃圾分类宣传", "1.5"],
        ["2025-04-12", "王五", "垃圾分类宣传", "1.5"],
    ]
    below = [vpage.below.item(i).text() for i in range(vpage.below.count())]
    assert below == ["✗ 李四：4月 0 次"]  # 王五 is a 学生, 赵六 not yet a member
    assert "2 人次" in vpage.summary.text() and "共 3 小时" in vpage.summary.text()


def test_volunteer_month_under_way_reads_as_so_far(vpage, people):
    """This month (today is 2026-01-15) is not over: 'so far', in plain Chinese."""
    vpage.activate(year=2026, month=1)
    below = [vpage.below.item(i).text() for i in range(vpage.below.count())]
    assert "! 张三：1月至今 0 次" in below
    assert not any("尚未" in line for line in below)  # not "尚未 0 次" (not yet zero times)


def test_volunteer_dialog_rejects_bad_hours(vpage, people, qtbot, errors):
    a, *_ = people
    dialog = ServiceDialog(vpage.ctx, dt.date(2025, 4, 12), vpage)
    qtbot.addWidget(dialog)
    dialog.check_member(a.id)
    dialog.hours.setText("1.2")
    dialog.accept()
    assert errors and "0.5" in errors[0]
    assert V.services(vpage.ctx.ledger, 2025) == []


def test_volunteer_delete(vpage, people, monkeypatch):
    a, *_ = people
    V.add_service(vpage.ctx.ledger, [a.id], dt.date(2025, 4, 3), 2)
    vpage.reload()
    monkeypatch.setattr("ledger_app.ui.pages.volunteer.confirm", lambda *a, **k: True)
    vpage.table.selectRow(0)
    vpage.delete_selected()
    assert vpage.entries.rowCount() == 0


def _visible_columns(page) -> list[int]:
    """The grid's columns shown whole in its viewport."""
    table = page.table
    width = table.viewport().width()
    return [
        c
        for c in range(page.model.columnCount())
        if not table.isColumnHidden(c)
        and table.columnViewportPosition(c) >= 0
        and table.columnViewportPosition(c) + table.columnWidth(c) <= width
    ]


def test_grid_opens_on_the_whole_year_at_1366_125(page, qtbot):
    """1366×768 at 125 %: the page is ~960×560 logical. The clerk sees 1月 to 12月 at once
    with 基数, 比例, 月应缴 and the totals (the months narrow to a mark and a word)."""
    page.resize(960, 560)
    page.show()
    qtbot.waitExposed(page)
    wanted = [COL_BASE, COL_RATE, COL_DUE, *range(FIRST_MONTH, FIRST_MONTH + 12), COL_UNPAID]
    qtbot.waitUntil(lambda: all(c in _visible_columns(page) for c in wanted))
    assert page.model.compact
    a = page.model.dues_year.members[0]
    assert month_cell(page, a.member_id, 1) == "✗"
    assert "未缴" in month_cell(page, a.member_id, 1, Qt.ItemDataRole.ToolTipRole)


def test_narrow_grid_keeps_this_month_in_view(qtbot):
    """Too narrow for the whole year: this month (and the next, for 预交) stays in view."""
    lg = Ledger.open(None, today=dt.date(2026, 11, 20))
    try:
        lg.repo.set_setting("user_name", "组织委员")
        a = add_member(lg, "张三", group="第一党小组")
        S.set_setting(lg, DuesSetting(a.id, 2026, base_fen=450_000))
        p = DuesPage(AppContext(lg))
        qtbot.addWidget(p)
        p.resize(600, 500)
        p.table.setFixedWidth(300)  # not even the narrow months fit
        p.show()
        qtbot.waitExposed(p)
        nov, dec = FIRST_MONTH + 10, FIRST_MONTH + 11
        qtbot.waitUntil(lambda: {nov, dec} <= set(_visible_columns(p)))
        assert FIRST_MONTH not in _visible_columns(p)
    finally:
        lg.close()


def test_empty_roster_points_to_the_roster_not_a_green_tick(qtbot, ledger):
    """A new branch with no members yet: the 党费 page says where to start."""
    p = DuesPage(AppContext(ledger))
    qtbot.addWidget(p)
    lines = [p.arrears.item(i).text() for i in range(p.arrears.count())]
    assert len(lines) == 1 and "党员名册" in lines[0]
    assert "没有欠缴" not in lines[0]


def test_volunteer_list_shows_the_witness_at_1366_125(vpage, qtbot):
    """1366×768 at 125 % (a page of ~960×560 logical): every column up to 证明人 is in view
    beside the totals; only 备注 may need a scroll."""
    vpage.resize(960, 560)
    vpage.show()
    qtbot.waitExposed(vpage)
    table = vpage.table
    witness = [
        c for c in range(table.model().columnCount())
        if table.model().headerData(c, Qt.Orientation.Horizontal) == "证明人"
    ][0]  # fmt: skip
    right = table.columnViewportPosition(witness) + table.columnWidth(witness)
    assert right <= table.viewport().width()


def test_payment_dialog_names_the_months_as_the_grid_does(qtbot, ledger, errors):
    """August–December picked on 2026-12-06: 补交 8–11月 (ended), 本月 (December, 待缴 in the
    grid) — no month left out, December not called 预交 (issue 14)."""
    from ledger_app.services.ledger import Ledger

    lg = Ledger(ledger.db, today=dt.date(2026, 12, 6))
    ctx = AppContext(lg)
    a = add_member(lg, "张三")
    S.set_setting(lg, DuesSetting(a.id, 2026, base_fen=450_000))
    page = DuesPage(ctx)
    qtbot.addWidget(page)
    page.year_box.setValue(2026)
    md = page.dues_year.member(a.id)
    assert md.month_state(12) == "待缴" and md.month_state(11) == "未缴"
    dialog = PaymentDialog(ctx, page.dues_year, member_id=a.id, parent=page)
    qtbot.addWidget(dialog)
    for m in range(8, 13):
        dialog.month_checks[m].setChecked(True)
    dialog.date.setText("2026-12-06")
    dialog._update()
    assert "（补交8–11月，本月（12月））" in dialog.summary.text()
    assert "预交" not in dialog.summary.text()
