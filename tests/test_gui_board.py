"""The 工作台 (BoardPage): planted gaps shown as missing, held months as held, a click on a
cell opens the records or a new record prefilled for that period; 本月还需; member alerts
and incomplete records one click from fixing; fast on a big branch."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from conftest import add_member

from ledger_app.domain.attendance import expected_members
from ledger_app.domain.models import Attendance, Member, Record
from ledger_app.services import records as svc
from ledger_app.ui.context import AppContext
from ledger_app.ui.pages.board import BoardPage
from ledger_app.ui.pages.records import MeetingsPage, ThemeDayPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

D = dt.date
COMPLETE = dict(topic="议题", host="林海", recorder="黄晓丽", content="内容")


@pytest.fixture
def branch(ledger):
    return {
        "林海": add_member(ledger, "林海", group="第一党小组", post="书记"),
        "黄晓丽": add_member(ledger, "黄晓丽", group="第一党小组", post="组织委员"),
        "张三": add_member(ledger, "张三", group="第一党小组"),
    }


def save(ledger, kind, day, everyone_present=True, **kw) -> Record:
    r = svc.new_record(ledger, kind, day, **{**COMPLETE, **kw})
    if everyone_present:
        r.attendance = [
            Attendance(m.id, "出席") for m in expected_members(r, ledger.repo.members())
        ]
    svc.save_record(ledger, r)
    return r


@pytest.fixture
def year_2025(ledger, branch):
    """Every required meeting of 2025 except the 支委会 of April (the planted gap)."""
    gid = ledger.repo.group_id("第一党小组")
    held = {}
    for m in range(1, 13):
        if m != 4:
            held[m] = save(ledger, "支委会", D(2025, m, 5))
        save(ledger, "党小组会", D(2025, m, 12), group_id=gid)
        save(ledger, "主题党日", D(2025, m, 15), organizer="林海", topic=None)
        if m % 3 == 0:
            save(ledger, "支部党员大会", D(2025, m, 20))
            save(ledger, "党课", D(2025, m, 22), lecturer="林海")
    save(ledger, "组织生活会", D(2025, 12, 28))
    save(ledger, "民主评议党员", D(2025, 12, 29))
    return held


class Navigator:
    """Stands in for the main window: records navigate() calls and activates our pages."""

    def __init__(self, qtbot, ctx):
        self.calls: list[tuple[str, dict]] = []
        self.pages = {}
        self.qtbot = qtbot
        self.ctx = ctx
        ctx.navigate_requested.connect(self.on_navigate)

    def page(self, key):
        if key not in self.pages:
            cls = {"meetings": MeetingsPage, "theme": ThemeDayPage}[key]
            p = cls(self.ctx)
            self.qtbot.addWidget(p)
            self.pages[key] = p
        return self.pages[key]

    def on_navigate(self, key, kwargs):
        self.calls.append((key, kwargs))
        if key in ("meetings", "theme"):
            self.page(key).activate(**kwargs)


def make_board(qtbot, ctx, year=2025) -> BoardPage:
    page = BoardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1234, 708)  # 1366×768 less the navigation column and the window frame
    page.show()
    qtbot.waitExposed(page)
    page.year.setCurrentIndex(page.year.findData(year))
    return page


def cell(page, item, month, group=None):
    model = page.model
    row = next(
        i
        for i, r in enumerate(model.rows())
        if r.item == item and (group is None or r.group_name == group)
    )
    return model.index(row, month)


def test_planted_gap_missing_held_month_held(qtbot, ledger, year_2025):
    ctx = AppContext(ledger)
    page = make_board(qtbot, ctx)
    assert cell(page, "支委会", 4).data() == "✗ 缺"
    assert cell(page, "支委会", 3).data() == "✓ 已开"
    assert cell(page, "党小组会", 4, "第一党小组").data() == "✓ 已开"
    # a quarterly item is one cell over three months; the yearly ones over twelve
    assert cell(page, "党课", 2).data() == "✓ 已开"
    spans = page.model.spans()
    lesson = cell(page, "党课", 1).row()
    assert [(c, w) for r, c, w in spans if r == lesson] == [(1, 3), (4, 3), (7, 3), (10, 3)]
    assert (cell(page, "组织生活会", 1).row(), 1, 12) in spans
    assert page.grid.columnSpan(lesson, 4) == 3
    # 缺: the 问题清单's 应开展未开展 — the 支委会 of April and 谈心谈话 not covering everyone
    assert page.period_model.talk_gap is not None
    assert "缺 2 项" in page.summary.text()
    assert cell(page, "谈心谈话", 1).data().startswith("✗")


def test_clicking_a_missing_cell_opens_a_prefilled_form(qtbot, ledger, year_2025):
    ctx = AppContext(ledger)
    nav = Navigator(qtbot, ctx)
    page = make_board(qtbot, ctx)
    page.open_cell(cell(page, "支委会", 4))
    assert nav.calls[-1] == ("meetings", {"kind": "支委会", "date": D(2025, 4, 30)})
    form = nav.page("meetings").form
    qtbot.addWidget(form)
    assert form.isVisible()
    assert form.kind.currentText() == "支委会" and form.date.text() == "2025-04-30"
    assert [m.name for m in form.grid.model.members()] == ["林海", "黄晓丽"]
    # fill it in: the gap closes on the board
    form.date.setText("4.28")
    form.topic.setText("议题")
    form.host.setText("林海")
    form.recorder.setText("黄晓丽")
    form.content.setPlainText("内容")
    form.grid.model.mark_all_present()
    assert form.save()
    assert cell(page, "支委会", 4).data() == "✓ 已开"


def test_clicking_a_held_cell_shows_its_records(qtbot, ledger, year_2025):
    ctx = AppContext(ledger)
    nav = Navigator(qtbot, ctx)
    page = make_board(qtbot, ctx)
    page.open_cell(cell(page, "支委会", 3))
    key, kwargs = nav.calls[-1]
    assert key == "meetings" and kwargs == {"record_ids": [year_2025[3].id]}
    assert [r.id for r in nav.page("meetings").model.rows()] == [year_2025[3].id]
    page.open_cell(cell(page, "主题党日", 3))
    assert nav.calls[-1][0] == "theme"


def test_group_cell_prefills_the_group(qtbot, ledger, branch):
    ctx = AppContext(ledger)
    nav = Navigator(qtbot, ctx)
    page = make_board(qtbot, ctx)
    gid = ledger.repo.group_id("第一党小组")
    page.open_cell(cell(page, "党小组会", 6, "第一党小组"))
    assert nav.calls[-1] == (
        "meetings",
        {"kind": "党小组会", "date": D(2025, 6, 30), "group_id": gid},
    )
    form = nav.page("meetings").form
    qtbot.addWidget(form)
    assert form.group.currentData() == gid


def test_this_month_needs_and_not_yet_due(qtbot, ledger, branch):
    """Today 2026-01-15: January's meetings are still needed; February is not due yet."""
    save(ledger, "支委会", D(2026, 1, 5))
    ctx = AppContext(ledger)
    nav = Navigator(qtbot, ctx)
    page = make_board(qtbot, ctx, year=2026)
    texts = [b.text() for b in page.need_buttons]
    assert "＋ 支委会" not in texts  # held this month
    assert "＋ 主题党日" in texts and "＋ 第一党小组" in texts
    assert "＋ 党课" in texts and "＋ 组织生活会" in texts
    assert cell(page, "支委会", 1).data() == "✓ 已开"
    assert cell(page, "主题党日", 1).data() == "! 待开"
    assert cell(page, "主题党日", 2).data() == "– 未到期"
    button = next(b for b in page.need_buttons if b.text() == "＋ 主题党日")
    button.click()
    assert nav.calls[-1] == ("theme", {"kind": "主题党日", "date": D(2026, 1, 15)})
    form = nav.page("theme").form
    qtbot.addWidget(form)
    assert form.kind.currentText() == "主题党日"
    page.open_cell(cell(page, "主题党日", 2))  # the future: nothing to enter yet
    assert nav.calls[-1][1]["kind"] == "主题党日" and len(nav.calls) == 1


def test_member_alert_and_incomplete_record_one_click_from_fixing(qtbot, ledger, branch):
    # 张三 absent (unexcused) from every 主题党日 of March to June 2025
    for m in range(3, 7):
        r = svc.new_record(ledger, "主题党日", D(2025, m, 15), organizer="林海", content="内容")
        r.attendance = [
            Attendance(branch["林海"].id, "出席"),
            Attendance(branch["黄晓丽"].id, "出席"),
            Attendance(branch["张三"].id, "缺席"),
        ]
        svc.save_record(ledger, r)
    bare = svc.new_record(ledger, "支委会", D(2025, 7, 5), topic="议题")
    svc.save_record(ledger, bare)
    ctx = AppContext(ledger)
    nav = Navigator(qtbot, ctx)
    page = make_board(qtbot, ctx)
    alerts = [page.alerts.item(i).text() for i in range(page.alerts.count())]
    mine = [a for a in alerts if a.startswith("! 张三") and "未参加组织生活" in a]
    assert mine and "连续 4 个月" in mine[0]
    item = next(
        page.alerts.item(i)
        for i in range(page.alerts.count())
        if "张三" in page.alerts.item(i).text() and "组织生活" in page.alerts.item(i).text()
    )
    page._open_alert(item)
    assert nav.calls[-1] == ("roster", {"member_id": branch["张三"].id})

    texts = [page.incomplete.item(i).text() for i in range(page.incomplete.count())]
    assert "! 2025-07-05  支委会：缺 主持人、记录人、主要内容、出席人员" in texts
    item = page.incomplete.item(
        texts.index("! 2025-07-05  支委会：缺 主持人、记录人、主要内容、出席人员")
    )
    page._open_incomplete(item)
    assert nav.calls[-1] == ("meetings", {"record_ids": [bare.id], "edit": True})
    form = nav.page("meetings").form
    qtbot.addWidget(form)
    assert form.record().id == bare.id


def test_board_model_passes_modeltester(qtbot, qtmodeltester, ledger, year_2025):
    page = make_board(qtbot, AppContext(ledger))
    qtmodeltester.check(page.model, force_py=True)


def test_board_answers_at_once_on_a_big_branch(qtbot, ledger):
    """300 members in 6 groups, a year of every required meeting with full attendance."""
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
            r = Record(None, kind, day, group_id=gid, **COMPLETE)
            r.attendance = [Attendance(m.id, "出席") for m in expected_members(r, members)]
            repo.add_record(r)

        for mo in range(1, 13):
            add("支委会", D(2025, mo, 5))
            add("主题党日", D(2025, mo, 10))
            for g in groups:
                add("党小组会", D(2025, mo, 12), g)
            if mo % 3 == 0:
                add("支部党员大会", D(2025, mo, 20))
                add("党课", D(2025, mo, 22))
    ctx = AppContext(ledger)
    started = time.perf_counter()
    page = make_board(qtbot, ctx)
    elapsed = time.perf_counter() - started
    print(
        f"\n工作台（300 党员，一年全出勤）：构建+填充 {elapsed * 1000:.0f} ms，"
        f"换年度重算 {page.last_fill_seconds * 1000:.0f} ms"
    )
    assert cell(page, "支委会", 4).data() == "✓ 已开"
    assert page.last_fill_seconds < 1.0


# --- the board renders the period model (issue 14) --------------------------------------------


def test_the_board_shows_the_models_alerts_reminders_and_counts(qtbot):
    """The mixed branch seen in January 2026: a run that ended reads as ended (grey,
    已恢复参加), the count of 缺 is the 问题清单's, and the 待办与提醒 list holds the model's
    reminders (赵强 left in September with no transfer recorded); a reminder opens its
    page."""
    from branches import build_mixed_branch

    from ledger_app.services import period
    from ledger_app.services.ledger import Ledger

    lg = Ledger.open(None, today=dt.date(2026, 1, 15))
    build_mixed_branch(lg)
    ctx = AppContext(lg)
    page = make_board(qtbot, ctx)
    model = page.period_model
    texts = [page.alerts.item(i).text() for i in range(page.alerts.count())]
    he = next(t for t in texts if "何静" in t)
    assert he.startswith("–") and "2025年12月已恢复参加" in he  # grey: no open warning
    assert f"缺 {model.gap_count} 项" in page.summary.text()
    now = period.load(lg, 2026).reminders  # what is due now: the year under way's
    shown = [page.reminders.item(i).text() for i in range(page.reminders.count())]
    assert now and len(shown) == len(now)
    assert page.reminders_title.text() == f"待办与提醒（{len(now)}）"
    asked = []
    ctx.navigate_requested.connect(lambda key, kw: asked.append(key))
    first = next(i for i, r in enumerate(now) if r.target)
    page.reminders.itemClicked.emit(page.reminders.item(first))
    assert asked == [now[first].target[0]]
    lg.close()
