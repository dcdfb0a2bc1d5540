"""The record lists: 三会一课 (MeetingsPage), 主题党日 (ThemeDayPage) and other organisational
life with the 谈心谈话 coverage grid (OtherLifePage).

Each list is a QAbstractTableModel over light rows (services.records.record_rows: a few
queries whatever the branch's size), filtered by year, quarter/month, kind and a search.
``activate(kind=, date=, group_id=, record_ids=, edit=)`` — how the 工作台 opens a page —
shows the given records, or opens a new record prefilled for a period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import Period, format_date, format_date_cn
from ...domain.models import (
    ATTEND_PRESENT,
    MEETING_KINDS,
    OTHER_KINDS,
    THEME_DAY,
    Attendance,
)
from ...errors import UserError
from ...services import records as records_service
from ...services import records as svc
from ...services.ledger import Changes
from ..context import AppContext, confirm, show_error
from ..record_form import RecordForm
from ..widgets import (
    STATUS_MISSING,
    STATUS_NONE,
    STATUS_OK,
    STATUS_WARN,
    fit_column,
    hint_label,
    make_primary,
    remember_header,
    set_status_label,
    status_background,
    status_foreground,
    status_text,
    title_label,
)

ALL = "全部"
TOPIC_COLUMNS = ("议题/主题", "议题", "主题")


# --- the list model ------------------------------------------------------------------------------


class RecordListModel(QAbstractTableModel):
    """Rows of :class:`services.records.RecordRow`; columns configurable per page."""

    COLUMNS = ("日期", "类型", "党小组", "议题/主题", "主持人", "应到", "实到", "状态")

    def __init__(self, columns: Sequence[str] | None = None, parent=None):
        super().__init__(parent)
        self.columns = tuple(columns or self.COLUMNS)
        self._rows: list[svc.RecordRow] = []

    def set_rows(self, rows: list[svc.RecordRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[svc.RecordRow]:
        return self._rows

    def row_at(self, row: int) -> svc.RecordRow:
        return self._rows[row]

    def id_at(self, row: int) -> int:
        return self._rows[row].id

    def row_of(self, record_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if r.id == record_id:
                return i
        return None

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section]
        return None

    @staticmethod
    def _status(r: svc.RecordRow) -> tuple[str, str]:
        """(look, text) of the 状态 column: incomplete amber, quorum short red, 补记 marked."""
        parts = []
        if r.quorum_short:
            look = STATUS_MISSING
            parts.append("不足法定人数")
        elif r.missing:
            look = STATUS_WARN
        else:
            look = STATUS_OK
        if r.missing:
            parts.append(r.status_word)
        elif not r.quorum_short:
            parts.append("完整")
        if r.late:
            parts.append("补记")
        if r.changed_at:
            parts.append("已修改")
            if look == STATUS_OK:
                look = STATUS_WARN
        return look, status_text(look, " · ".join(parts))

    def text(self, r: svc.RecordRow, column: str) -> str:
        """The text shown for row ``r`` in ``column`` (without a model index)."""
        return str(self._cell(r, column) or "")

    def _cell(self, r: svc.RecordRow, column: str):
        if column == "日期":
            return format_date(r.date)
        if column == "类型":
            return r.kind + ("（兼主题党日）" if r.also_theme_day else "")
        if column == "党小组":
            return r.group_name or ""
        if column in ("议题/主题", "议题", "主题"):
            return r.topic or ""
        if column in ("主持人", "组织人", "主持人/谈话人"):
            return (r.organizer if r.kind == THEME_DAY else r.host) or ""
        if column == "应到":
            return r.expected
        if column == "实到":
            return r.present
        if column == "附件":
            return r.attachments or ""
        if column == "状态":
            return self._status(r)[1]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(r, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("应到", "实到", "附件"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == "状态" and role == Qt.ItemDataRole.ForegroundRole:
            return status_foreground(self._status(r)[0])
        if column == "状态" and role == Qt.ItemDataRole.BackgroundRole:
            look = self._status(r)[0]
            return None if look == STATUS_OK else status_background(look)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if r.missing:
                tips.append("缺少：" + "、".join(r.missing))
            if r.quorum_short:
                tips.append("到会人数未过半数（支部工作条例）")
            if r.late:
                tips.append("补记：录入时间晚于会议日期 30 天以上")
            if r.changed_at:
                when = r.changed_at.replace("T", " ")[:16]
                tips.append(f"已修改：录入一天以后又改动过（最后一次 {when}），见“修改记录”")
            if r.leave:
                tips.append(f"请假 {r.leave} 人")
            if r.attachments:
                tips.append(f"附件 {r.attachments} 个")
            return "\n".join(tips) or None
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None


# --- the 谈心谈话 coverage model ----------------------------------------------------------------


class TalkCoverageModel(QAbstractTableModel):
    """Members × committee members of a year: ✓ talked, blank not yet; last column the
    member's state (已谈 / 未谈)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cov = None
        self._rows: list = []
        self.ended = False
        self.only_uncovered = False

    def set_coverage(self, cov, ended: bool) -> None:
        self.beginResetModel()
        self.cov = cov
        self.ended = ended
        self._fill()
        self.endResetModel()

    def set_only_uncovered(self, on: bool) -> None:
        self.beginResetModel()
        self.only_uncovered = on
        self._fill()
        self.endResetModel()

    def _fill(self) -> None:
        if self.cov is None:
            self._rows = []
            return
        members = self.cov.required_members()
        if self.only_uncovered:
            members = [m for m in members if not self.cov.covered(m.id)]
        self._rows = members

    def member_at(self, row: int):
        return self._rows[row]

    def committee_at(self, column: int):
        committee = self.cov.committee if self.cov else []
        return committee[column - 1] if 1 <= column <= len(committee) else None

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        if parent.isValid():
            return 0
        return 2 + (len(self.cov.committee) if self.cov else 0)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return "党员"
        if section == self.columnCount() - 1:
            return "本年"
        c = self.committee_at(section)
        return f"{c.name}" if c else None

    def _look(self, covered: bool) -> tuple[str, str]:
        if covered:
            return STATUS_OK, "已谈"
        return (STATUS_MISSING, "未谈") if self.ended else (STATUS_WARN, "未谈")

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.cov is None or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        col = index.column()
        last = self.columnCount() - 1
        if col == 0:
            return m.name if role == Qt.ItemDataRole.DisplayRole else None
        if col == last:
            look, word = self._look(self.cov.covered(m.id))
            if role == Qt.ItemDataRole.DisplayRole:
                return status_text(look, word)
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_foreground(look)
            if role == Qt.ItemDataRole.BackgroundRole:
                return status_background(look)
            return None
        c = self.committee_at(col)
        if c is None:
            return None
        if c.id == m.id:
            return "—" if role == Qt.ItemDataRole.DisplayRole else None
        talked = self.cov.has_talked(c.id, m.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return "✓" if talked else ""
        if role == Qt.ItemDataRole.ForegroundRole and talked:
            return status_foreground(STATUS_OK)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{c.name} 与 {m.name}：" + (
                "今年已谈心谈话" if talked else "今年尚未谈心谈话（点击登记）"
            )
        return None


# --- the pages ------------------------------------------------------------------------------------


class RecordsPage(QWidget):
    """A list of records of some kinds, with filters and the actions on them."""

    KINDS: tuple[str, ...] = MEETING_KINDS
    PARTIAL = True  # after its form saves, only that row is read again (see _own_save)
    TITLE = "三会一课"
    KEY = "meetings"
    COLUMNS: tuple[str, ...] = RecordListModel.COLUMNS
    HINT = "Enter 打开 · Ctrl+N 新建 · Ctrl+D 复制为新记录 · Delete 删除 · Ctrl+F 搜索"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = ctx.ledger
        self.KINDS = self.kinds_of(ctx)  # the 组织生活 page: with the branch's own kinds
        self.form: RecordForm | None = None
        self._ids_filter: list[int] | None = None
        self._stale = True
        self.last_fill_seconds = 0.0

        self.model = RecordListModel(self.COLUMNS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # the topic takes the room the others leave (it was cut with “…” while 状态 sprawled)
        widths = {"日期": 96, "类型": 150, "党小组": 96, "主持人": 72, "组织人": 72}
        widths.update({"主持人/谈话人": 100, "应到": 46, "实到": 46, "附件": 46, "状态": 132})
        for i, c in enumerate(self.COLUMNS):
            if c in TOPIC_COLUMNS:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            else:
                self.view.setColumnWidth(i, widths.get(c, 90))
        # (v2: the layout saved before the topic stretched would bring back the old widths)
        self._own_widths = remember_header(self.view, f"records-v2/{self.KEY}", ctx.ledger.path)
        self.view.activated.connect(lambda _i: self.edit_selected())

        self.year = QComboBox()
        self.period = QComboBox()
        self.period.addItem("全年", None)
        for q in range(1, 5):
            self.period.addItem(f"第{'一二三四'[q - 1]}季度", ("quarter", q))
        for m in range(1, 13):
            self.period.addItem(f"{m}月", ("month", m))
        self.kind = QComboBox()
        self.kind.addItem("全部类型", None)
        for k in self.KINDS:
            self.kind.addItem(k, k)
        self.kind.setVisible(len(self.KINDS) > 1)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索议题、主持人（可输拼音首字母）、地点、内容……")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())

        self.new_button = QPushButton("新建")
        make_primary(self.new_button)
        if len(self.KINDS) > 1:
            menu = QMenu(self.new_button)
            for k in self.KINDS:
                menu.addAction(k).triggered.connect(lambda _=False, k=k: self.new_record(k))
            self.new_button.setMenu(menu)
        else:
            self.new_button.clicked.connect(lambda: self.new_record(self.KINDS[0]))
        self.edit_button = QPushButton("编辑")
        self.copy_button = QPushButton("复制为新记录")
        self.delete_button = QPushButton("删除")
        # issue 18: print the selected meeting (记录本 page, or its 签到表 again)
        self.print_button = QPushButton("打印")
        self.print_button.setToolTip("打印所选记录（三会一课记录本）或它的签到表")
        print_menu = QMenu(self.print_button)
        print_menu.addAction("所选记录（三会一课记录本）…").triggered.connect(self.print_selected)
        print_menu.addAction("所选会议的签到表…").triggered.connect(self.print_selected_sign_sheet)
        self.print_button.setMenu(print_menu)
        self.edit_button.clicked.connect(self.edit_selected)
        self.copy_button.clicked.connect(self.duplicate_selected)
        self.delete_button.clicked.connect(self.delete_selected)

        self.banner = QLabel()
        self.show_all = QPushButton("显示全部")
        self.show_all.clicked.connect(self.clear_ids_filter)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "hint")

        filters = QHBoxLayout()
        filters.addWidget(title_label(self.TITLE))
        filters.addSpacing(12)
        filters.addWidget(QLabel("年度"))
        filters.addWidget(self.year)
        filters.addWidget(self.period)
        filters.addWidget(self.kind)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        for b in (
            self.new_button,
            self.edit_button,
            self.copy_button,
            self.delete_button,
            self.print_button,
        ):
            actions.addWidget(b)
        actions.addSpacing(12)
        actions.addWidget(self.banner)
        actions.addWidget(self.show_all)
        actions.addStretch(1)
        actions.addWidget(self.count_label)

        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(filters)
        self.layout_.addLayout(actions)
        self.body = self._body()
        self.layout_.addWidget(self.body, 1)
        self.layout_.addWidget(hint_label(self.HINT))
        self.banner.hide()
        self.show_all.hide()

        QShortcut(QKeySequence("Ctrl+N"), self, activated=self._shortcut_new)
        QShortcut(QKeySequence("Ctrl+D"), self, activated=self.duplicate_selected)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)

        self._fill_years()
        for box in (self.year, self.period, self.kind):
            box.currentIndexChanged.connect(self._filters_changed)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.ctx.changed.connect(self.refresh)
        self.reload()

    def _body(self) -> QWidget:
        return self.view

    @classmethod
    def kinds_of(cls, ctx: AppContext) -> tuple[str, ...]:
        """The kinds this page lists (the class's; the 组织生活 page adds the branch's)."""
        return cls.KINDS

    def print_selected(self) -> None:
        from ..print_actions import print_record_book

        rid = self.selected_id()
        if rid is not None:
            print_record_book(self.ctx, self, rid)

    def print_selected_sign_sheet(self) -> None:
        from ..print_actions import print_sign_sheet

        rid = self.selected_id()
        record = records_service.record(self.ledger, rid) if rid is not None else None
        if record is not None:
            print_sign_sheet(self.ctx, self, record)

    # --- page contract ---------------------------------------------------------------------

    def refresh(self, changes: Changes) -> None:
        if changes.records or changes.members or changes.settings:
            if changes.records:
                self._fill_years()
            if self._own_save(changes):
                return  # this page's form is saving one record: _after_save reads its row
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def _own_save(self, changes: Changes) -> bool:
        """Is ``changes`` the save of one record by this page's open form? Then only that
        record's row is read again (a big branch's year is thousands of rows)."""
        form = self.form
        return (
            self.PARTIAL
            and changes == Changes(records=True)
            and form is not None
            and form.saving
            and self.isVisible()
        )

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def activate(
        self,
        kind: str | None = None,
        date: dt.date | None = None,
        group_id: int | None = None,
        record_ids: Sequence[int] | None = None,
        edit: bool = False,
        **prefill,
    ) -> None:
        """Show ``record_ids`` (the 工作台's cell), or open a new ``kind`` record prefilled
        with ``date``/``group_id``/``prefill`` when no record is given."""
        if record_ids:
            self.show_ids(list(record_ids))
            if edit and len(record_ids) == 1:
                self.edit_record(record_ids[0])
            return
        if kind:
            if group_id is not None:
                prefill["group_id"] = group_id
            self.new_record(kind, date, **prefill)

    # --- loading -------------------------------------------------------------------------

    def _fill_years(self) -> None:
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for y in svc.record_years(self.ledger):
            self.year.addItem(f"{y}年", y)
        self.year.addItem("全部年份", None)
        i = self.year.findData(current if current is not None else self.ledger.today().year)
        self.year.setCurrentIndex(max(i, 0))
        self.year.blockSignals(False)

    def _filters_changed(self) -> None:
        self._ids_filter = None
        self.reload()

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        year = self.year.currentData()
        if year is None:
            return None, None
        sel = self.period.currentData()
        if sel is None:
            p = Period.whole_year(year)
        elif sel[0] == "quarter":
            p = Period.quarter(year, sel[1])
        else:
            p = Period.month(year, sel[1])
        return p.start, p.end

    def kinds(self) -> tuple[str, ...]:
        k = self.kind.currentData()
        return (k,) if k else self.KINDS

    def reload(self) -> None:
        import time

        started = time.perf_counter()
        selected = self.selected_id()
        if self._ids_filter is not None:
            rows = svc.record_rows(
                self.ledger,
                kinds=self.KINDS,
                record_ids=self._ids_filter,
                search=self.search.text(),
            )
        else:
            start, end = self.date_range()
            rows = svc.record_rows(
                self.ledger, kinds=self.kinds(), start=start, end=end, search=self.search.text()
            )
        self._show_rows(rows, selected)
        self.last_fill_seconds = time.perf_counter() - started

    def _show_rows(self, rows: list[svc.RecordRow], selected: int | None) -> None:
        self.model.set_rows(rows)
        self._fit_columns()
        self._stale = False
        incomplete = sum(1 for r in rows if r.missing)
        text = f"共 {len(rows)} 条"
        if incomplete:
            text += f"，其中 {incomplete} 条不完整"
        self.count_label.setText(text)
        if selected is not None:
            self.select_id(selected)
        elif rows:
            self.view.selectRow(0)
        self._update_buttons()

    def _fit_columns(self) -> None:
        """类型 and 状态 as wide as their longest text in the list (a handful of distinct
        texts, measured once each), so the topic gets the rest — unless the clerk has set
        the widths."""
        if self._own_widths:
            return
        for name, most in (("类型", 210), ("状态", 260)):
            if name in self.COLUMNS:
                col = self.COLUMNS.index(name)
                texts = {self.model.text(r, name) for r in self.model.rows()}
                fit_column(self.view, col, texts, most)

    def show_ids(self, ids: list[int]) -> None:
        self._ids_filter = ids
        set_status_label(self.banner, STATUS_NONE, f"显示工作台所选的 {len(ids)} 条记录")
        self.banner.show()
        self.show_all.show()
        self.reload()
        self.view.setFocus()

    def clear_ids_filter(self) -> None:
        self._ids_filter = None
        self.banner.hide()
        self.show_all.hide()
        self.reload()

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        if rows and 0 <= rows[0].row() < self.model.rowCount():
            return self.model.id_at(rows[0].row())
        return None

    def select_id(self, record_id: int) -> bool:
        row = self.model.row_of(record_id)
        if row is None:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def _update_buttons(self, *_args) -> None:
        has = self.selected_id() is not None
        for b in (self.edit_button, self.copy_button, self.delete_button, self.print_button):
            b.setEnabled(has)

    # --- actions ---------------------------------------------------------------------------

    def _shortcut_new(self) -> None:
        menu = self.new_button.menu()
        if menu is not None:
            # opened by the keyboard: the first kind highlighted, ↓ and Enter choose
            QTimer.singleShot(0, menu, lambda: menu.setActiveAction(menu.actions()[0]))
            self.new_button.showMenu()
        else:
            self.new_record(self.KINDS[0])

    def _open(self, form: RecordForm) -> RecordForm:
        """Show the form (window-modal, non-blocking); the list refreshes from ctx.changed."""
        self.form = form
        form.saved.connect(self._after_save)
        form.open()
        return form

    def _after_save(self, record_id: int) -> None:
        form = self.form
        if self.PARTIAL and form is not None and self.isVisible():
            self._reread_row(record_id, form)
        self.select_id(record_id)

    def _reread_row(self, record_id: int, form: RecordForm) -> None:
        """The saved record's row read again (by the same service as the whole list) and put
        in its place, or taken out when it no longer belongs to the list's filters."""
        day = form.record().date
        start, end = self.date_range()
        if self._ids_filter is not None:
            belongs = record_id in self._ids_filter
            kinds = self.KINDS
        else:
            belongs = start is None or start <= day <= end  # type: ignore[operator]
            kinds = self.kinds()
        fresh = (
            svc.record_rows(
                self.ledger,
                kinds=kinds,
                start=day,
                end=day,
                search=self.search.text(),
                record_ids=[record_id],
                members=form.members(),
            )
            if belongs
            else []
        )
        rows = [r for r in self.model.rows() if r.id != record_id] + fresh
        rows.sort(key=lambda row: (row.date, row.id), reverse=True)
        self._show_rows(rows, record_id)

    def new_record(self, kind: str, date: dt.date | None = None, **prefill) -> RecordForm | None:
        try:
            form = RecordForm.for_new(self.ctx, kind, self, date=date, **prefill)
        except UserError as e:
            show_error(self, e)
            return None
        return self._open(form)

    def edit_record(self, record_id: int) -> RecordForm | None:
        try:
            form = RecordForm.for_existing(self.ctx, record_id, self)
        except UserError as e:
            show_error(self, e)
            return None
        return self._open(form)

    def edit_selected(self) -> RecordForm | None:
        rid = self.selected_id()
        return self.edit_record(rid) if rid is not None else None

    def duplicate_selected(self) -> RecordForm | None:
        rid = self.selected_id()
        if rid is None:
            return None
        try:
            copy = svc.duplicate_record(self.ledger, rid, self.ledger.today())
        except UserError as e:
            show_error(self, e)
            return None
        form = RecordForm(self.ctx, copy, self)
        form.setWindowTitle(f"复制为新{copy.kind}记录 — 请改日期")
        return self._open(form)

    def delete_selected(self) -> bool:
        rid = self.selected_id()
        if rid is None:
            return False
        row = self.model.row_at(self.model.row_of(rid))  # type: ignore[arg-type]
        what = f"{format_date_cn(row.date)} {row.kind}" + (f"“{row.topic}”" if row.topic else "")
        text = f"删除 {what}？\n出勤和附件一并移入回收站，需要时可在“设置 › 回收站”中恢复。"
        if not confirm(self, "删除记录", text, ok="删除"):
            return False
        return self.ctx.run(
            self, svc.delete_record, rid, success=f"已删除：{what}（可在“设置 › 回收站”中恢复）"
        )


class MeetingsPage(RecordsPage):
    """三会一课: 支部党员大会, 支委会, 党小组会, 党课."""


class ThemeDayPage(RecordsPage):
    KINDS = (THEME_DAY,)
    TITLE = "主题党日"
    KEY = "theme"
    # 类型 too: a 党员大会 or 党课 held as the month's 主题党日 is listed here as well
    COLUMNS = ("日期", "类型", "主题", "组织人", "应到", "实到", "附件", "状态")


class OtherLifePage(RecordsPage):
    """组织生活会, 民主评议党员, 谈心谈话, 学习教育 and the branch's own kinds — with the
    year's 谈心谈话 coverage grid."""

    KINDS = OTHER_KINDS
    PARTIAL = False  # a save changes the 谈心谈话 coverage too: the page is read again
    TITLE = "组织生活"
    KEY = "other"
    COLUMNS = ("日期", "类型", "主题", "主持人/谈话人", "应到", "实到", "状态")

    @classmethod
    def kinds_of(cls, ctx: AppContext) -> tuple[str, ...]:
        from ...services.minutes import other_kinds

        return other_kinds(ctx.ledger)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        # issue 18: a 组织生活会 or 民主评议党员 puts what it found on the 整改清单
        self.rectify_button = QPushButton("列入整改清单…")
        self.rectify_button.setToolTip("把这次组织生活会、民主评议查摆出的问题列入整改清单")
        self.rectify_button.clicked.connect(self.rectify_selected)
        i = self.layout_.indexOf(self.body) - 1
        self.layout_.itemAt(i).layout().insertWidget(5, self.rectify_button)
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        super()._update_buttons()
        button = getattr(self, "rectify_button", None)
        if button is not None:
            rid = self.selected_id()
            row = self.model.row_at(self.model.row_of(rid)) if rid is not None else None  # type: ignore[arg-type]
            button.setEnabled(row is not None and row.kind in ("组织生活会", "民主评议党员"))

    def refresh(self, changes: Changes) -> None:
        if changes.settings:  # a kind of the branch's own added or removed in 设置
            kinds = self.kinds_of(self.ctx)
            if kinds != self.KINDS:
                self.KINDS = kinds
                self._refill_kinds()
        super().refresh(changes)

    def _refill_kinds(self) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem("全部类型", None)
        for k in self.KINDS:
            self.kind.addItem(k, k)
        self.kind.setCurrentIndex(max(self.kind.findData(current), 0))
        self.kind.blockSignals(False)
        menu = self.new_button.menu()
        if menu is not None:
            menu.clear()
            for k in self.KINDS:
                menu.addAction(k).triggered.connect(lambda _=False, k=k: self.new_record(k))

    def rectify_selected(self) -> None:
        rid = self.selected_id()
        if rid is not None:
            self.ctx.navigate("followup", tab="rectification", from_record=rid)

    def _body(self) -> QWidget:
        self.coverage = TalkCoverageModel(self)
        self.coverage_view = QTableView()
        self.coverage_view.setModel(self.coverage)
        self.coverage_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.coverage_view.verticalHeader().setVisible(False)
        self.coverage_view.verticalHeader().setDefaultSectionSize(24)
        # sized from the names (fit_column), not ResizeToContents: that asked every cell
        self.coverage_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.coverage_view.clicked.connect(self._coverage_clicked)
        self.coverage_title = QLabel()
        self.coverage_title.setStyleSheet("font-weight: bold;")
        self.coverage_summary = QLabel()
        self.only_uncovered = QCheckBox("只看未谈的党员")
        self.only_uncovered.toggled.connect(self.coverage.set_only_uncovered)
        top = QHBoxLayout()
        top.addWidget(self.coverage_title)
        top.addWidget(self.coverage_summary)
        top.addStretch(1)
        top.addWidget(self.only_uncovered)
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 6, 0, 0)
        v.addLayout(top)
        v.addWidget(hint_label("行为党员、列为支部委员；点空白格即可登记这次谈心谈话。"))
        v.addWidget(self.coverage_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        return splitter

    def coverage_year(self) -> int:
        return self.year.currentData() or self.ledger.today().year

    def reload(self) -> None:
        super().reload()
        year = self.coverage_year()
        cov = svc.talk_coverage(self.ledger, year)
        ended = Period.whole_year(year).has_ended(self.ledger.today())
        self.coverage.set_coverage(cov, ended)
        need = cov.required_members()
        view, model = self.coverage_view, self.coverage
        fit_column(view, 0, (m.name for m in need))
        for col in range(1, model.columnCount() - 1):
            fit_column(view, col, ("✓", "—"))
        fit_column(view, model.columnCount() - 1, ("✓ 已谈", "✗ 未谈"))
        missing = len(cov.uncovered())
        self.coverage_title.setText(f"{year}年谈心谈话覆盖")
        if not need:
            set_status_label(self.coverage_summary, STATUS_NONE, "无需谈话的党员")
        elif missing == 0:
            set_status_label(self.coverage_summary, STATUS_OK, f"{len(need)} 名党员都已谈过")
        else:
            look = STATUS_MISSING if ended else STATUS_WARN
            set_status_label(
                self.coverage_summary,
                look,
                f"已谈 {len(need) - missing} / {len(need)} 人，尚有 {missing} 人未谈",
            )

    def _coverage_clicked(self, index: QModelIndex) -> None:
        """A blank committee × member cell: record that talk (谈话人, 谈话对象 prefilled)."""
        c = self.coverage.committee_at(index.column())
        if c is None or not index.isValid():
            return
        m = self.coverage.member_at(index.row())
        if m.id == c.id or self.coverage.cov.has_talked(c.id, m.id):
            ids = self.coverage.cov.talked.get((c.id, m.id), [])
            if ids:
                self.show_ids(list(ids))
            return
        year = self.coverage_year()
        today = self.ledger.today()
        day = today if today.year == year else dt.date(year, 12, 31)
        self.new_record(
            "谈心谈话",
            day,
            host=c.name,
            attendance=[Attendance(m.id, ATTEND_PRESENT, None, m.name)],
        )
