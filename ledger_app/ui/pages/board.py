"""工作台: what this month still needs, the year × month grid of every required item, the
members drifting away and the incomplete records — each line one click from fixing it.

The data is the period model (services.period.load): the grid, the check (alerts, incomplete
records): the same rule code as ``check`` on the command line.
"""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain import compliance as C
from ...domain.dates import format_date
from ...domain.period import alert_text
from ...services import records as rec_svc
from ...services import roster as roster_service
from ...services.ledger import Changes
from ...services.period import load
from ..context import AppContext
from ..first_steps import FirstSteps
from ..reminders import ReminderList
from ..widgets import (
    STATUS_MISSING,
    STATUS_NONE,
    STATUS_OK,
    STATUS_WARN,
    hint_label,
    set_status_label,
    status_background,
    status_foreground,
    status_text,
    title_label,
)

MONTHS = tuple(f"{m}月" for m in range(1, 13))


class FlowLayout(QLayout):
    """Buttons left to right, wrapping to the next line when the page is narrow."""

    def __init__(self, parent=None, spacing: int = 6):
        super().__init__(parent)
        self._items: list = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i):  # noqa: N802
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i):  # noqa: N802
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self):  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self):  # noqa: N802
        return self.minimumSize()

    def minimumSize(self):  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


def cell_look(cell: C.BoardCell, today: dt.date) -> tuple[str, str]:
    """(colour status, word) of a board cell: ✓ 已开 / ✗ 缺 / ! 待开 (now) / – 未到期."""
    if cell.status == C.HELD:
        word = "已开" if cell.held <= 1 else f"已开{cell.held}次"
        return STATUS_OK, word
    if cell.status == C.MISSING:
        return STATUS_MISSING, "缺" if not cell.held else f"缺 {cell.held}/{cell.required}"
    if cell.status == C.NOT_DUE:
        if cell.period.contains(today):
            return STATUS_WARN, "待开"
        return STATUS_NONE, "未到期"
    return STATUS_NONE, "不要求"


def talk_look(cell: C.BoardCell, today: dt.date) -> tuple[str, str]:
    """The 谈心谈话 coverage cell (spans the year): how many members have been talked with."""
    if cell.status == C.NOT_REQUIRED:
        return STATUS_NONE, "不要求"
    ratio = f"已谈 {cell.held}/{cell.required} 人"
    if cell.status == C.HELD:
        return STATUS_OK, f"全部谈过（{ratio}）"
    if cell.status == C.MISSING:
        return STATUS_MISSING, f"未覆盖：{ratio}"
    return STATUS_WARN, f"进行中：{ratio}"


class BoardModel(QAbstractTableModel):
    """Rows: the board's items (党小组会 per group, 谈心谈话 last); columns: 项目 + 12 months.
    A quarterly cell is shown in its first month's column and spans three (see
    :meth:`spans`); a yearly one spans twelve."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.board: C.Board | None = None
        self.today = dt.date.today()
        self.compact = False  # narrow columns: the icon and a one-character word
        # (row, column) → role → value: Qt asks every cell for many roles on every paint
        self._memo: dict[tuple[int, int], dict] = {}

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self._memo.clear()
            if self.rowCount():
                self.dataChanged.emit(self.index(0, 1), self.index(self.rowCount() - 1, 12))

    def set_board(self, board: C.Board, today: dt.date) -> None:
        self.beginResetModel()
        self.board = board
        self.today = today
        self._memo.clear()
        self.endResetModel()

    def rows(self) -> list[C.BoardRow]:
        return self.board.rows if self.board else []

    def row_at(self, row: int) -> C.BoardRow:
        return self.rows()[row]

    def cell_at(self, index: QModelIndex) -> C.BoardCell | None:
        if not index.isValid() or index.column() == 0:
            return None
        return self.row_at(index.row()).cell_for_month(index.column())

    def spans(self) -> list[tuple[int, int, int]]:
        """(row, first column, width) of each multi-month cell."""
        out = []
        for r, row in enumerate(self.rows()):
            for cell in row.cells:
                if cell.period.kind == "month":
                    continue
                first = cell.period.start.month
                width = cell.period.end.month - first + 1
                out.append((r, first, width))
        return out

    def look(self, index: QModelIndex) -> tuple[str, str] | None:
        cell = self.cell_at(index)
        if cell is None:
            return None
        row = self.row_at(index.row())
        if row.item == C.TALK:
            return talk_look(cell, self.today)
        return cell_look(cell, self.today)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 13

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return "项目"
        return MONTHS[section - 1] if 1 <= section <= 12 else None

    _ROLES = (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
    )

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows()):
            return None
        key = (index.row(), index.column())
        values = self._memo.get(key)
        if values is None:
            row = self.row_at(index.row())
            cell = self.cell_at(index)  # found once for all the roles
            look = None
            if cell is not None:
                talk = row.item == C.TALK
                look = talk_look(cell, self.today) if talk else cell_look(cell, self.today)
            values = {r: self._data(index, r, row, cell, look) for r in self._ROLES}
            self._memo[key] = values
        return values.get(role)

    def _data(self, index, role, row, cell, look):
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                freq = {"month": "每月", "quarter": "每季度", "year": "每年"}[row.period_kind]
                if row.item == C.TALK:
                    return "谈心谈话　每年全覆盖"
                return row.label if row.group_name else f"{row.label}　{freq}"
            if role == Qt.ItemDataRole.ToolTipRole:
                freq = {"month": "每月", "quarter": "每季度", "year": "每年"}[row.period_kind]
                return f"{row.label}：{freq}至少一次。点击查看本年度的这类记录"
            return None
        if cell is None or look is None:
            return None
        status, word = look
        if role == Qt.ItemDataRole.DisplayRole:
            if self.compact and cell.period.kind == "month":
                return {STATUS_OK: "✓", STATUS_MISSING: "✗ 缺", STATUS_WARN: "! 待"}.get(
                    status, "–"
                )
            return status_text(status, word)
        if role == Qt.ItemDataRole.ForegroundRole:
            return status_foreground(status)
        if role == Qt.ItemDataRole.BackgroundRole:
            return status_background(status)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            what = f"{row.label} · {cell.period.label}"
            if cell.status == C.NOT_REQUIRED:
                return f"{what}：不要求（支部未成立或本小组无党员）"
            action = "点击查看记录" if cell.record_ids else "点击登记"
            return f"{what}：开 {cell.held} 次，应开 {cell.required} 次。{action}"
        return None


class BoardPage(QWidget):
    """The 工作台 page (the program opens on it)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = ctx.ledger
        self._stale = True
        self.last_fill_seconds = 0.0
        self.board: C.Board | None = None
        self.result: C.CheckResult | None = None

        self.year = QComboBox()
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.summary = QLabel()
        head = QHBoxLayout()
        head.addWidget(title_label("工作台"))
        head.addSpacing(12)
        self.year_label = QLabel("年度")
        head.addWidget(self.year_label)
        head.addWidget(self.year)
        head.addSpacing(12)
        head.addWidget(self.summary, 1)

        # "本月还需": one line per period kind, one button per missing item
        self.needs_frame = QFrame()
        self.needs_frame.setObjectName("needs")
        self.needs_layout = QGridLayout(self.needs_frame)
        self.needs_layout.setContentsMargins(10, 6, 10, 6)
        self.needs_layout.setHorizontalSpacing(6)
        self.needs_layout.setVerticalSpacing(4)
        self.need_buttons: list[QPushButton] = []

        self.model = BoardModel(self)
        self.grid = QTableView()
        self.grid.setModel(self.model)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.verticalHeader().setVisible(False)
        self.grid.verticalHeader().setDefaultSectionSize(self.ROW_HEIGHT)
        self.grid.setWordWrap(False)
        self.grid.setObjectName("board_grid")
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(40)
        self.grid.setColumnWidth(0, 176)
        header.sectionResized.connect(self._on_section_resized)
        self.grid.clicked.connect(self.open_cell)
        self.grid.activated.connect(self.open_cell)

        self.alerts = QListWidget()
        self.alerts.setWordWrap(True)  # (beside the grid, at 125 %, the lines are long)
        self.alerts.itemActivated.connect(self._open_alert)
        self.alerts.itemClicked.connect(self._open_alert)
        self.incomplete = QListWidget()
        self.incomplete.setWordWrap(True)
        self.incomplete.itemActivated.connect(self._open_incomplete)
        self.incomplete.itemClicked.connect(self._open_incomplete)
        self.alerts_title = QLabel("党员预警")
        self.incomplete_title = QLabel("不完整的记录")
        self.reminders = ReminderList(ctx)
        self.reminders_title = QLabel("待办与提醒")
        for label in (self.alerts_title, self.incomplete_title, self.reminders_title):
            label.setProperty("role", "section")

        lower = QWidget()
        lower_row = QHBoxLayout(lower)
        lower_row.setContentsMargins(0, 0, 0, 0)
        self.lower_row = lower_row
        for title, hint, widget in (
            (
                self.alerts_title,
                "连续 3 个月以上未参加组织生活或未交党费（党章：满 6 个月视为自行脱党）",
                self.alerts,
            ),
            (self.incomplete_title, "缺少检查项的记录，点击即打开补全", self.incomplete),
            (
                self.reminders_title,
                "整改、发展党员、组织关系、党课、年度计划等到期或将到期的事项",
                self.reminders,
            ),
        ):
            box = QVBoxLayout()
            box.addWidget(title)
            box.addWidget(hint_label(hint))
            box.addWidget(widget, 1)
            lower_row.addLayout(box, 1)

        grid_box = QWidget()
        gv = QVBoxLayout(grid_box)
        gv.setContentsMargins(0, 0, 0, 0)
        gv.addWidget(self.grid, 1)
        gv.addWidget(
            hint_label("✓ 已开　✗ 缺　! 待开（本期尚未开）　– 未到期　· 点击格子查看记录或补登")
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter = splitter
        self._sized = False
        splitter.addWidget(grid_box)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        # a branch with nobody in its roster: what to do first, not a board of “缺”
        self.first_steps = FirstSteps(
            ctx,
            "先建立党员名册：工作台按名册算出每月该开哪些会、谁该交党费，缺了什么一目了然。",
        )
        self.first_steps.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.needs_frame)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.first_steps, 1)

        self._fill_years()
        self.ctx.changed.connect(self.refresh)
        self.reload()

    # --- page contract ---------------------------------------------------------------------

    def refresh(self, changes: Changes) -> None:
        # everything the board shows comes from the period model: any change may move it
        # (the registers' and the plan's reminders too)
        if any(vars(changes).values()):
            if changes.records:
                self._fill_years()
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()
        self._size_grid()

    def _on_section_resized(self, index: int, _old: int, new: int) -> None:
        if index == 1:
            self.model.set_compact(new < 62)

    def activate(self, year: int | None = None, **_kwargs) -> None:
        if year is not None:
            i = self.year.findData(year)
            if i >= 0:
                self.year.setCurrentIndex(i)

    # --- loading -------------------------------------------------------------------------

    def _fill_years(self) -> None:
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for y in rec_svc.record_years(self.ledger):
            self.year.addItem(f"{y}年", y)
        i = self.year.findData(current if current is not None else self.ledger.today().year)
        self.year.setCurrentIndex(max(i, 0))
        self.year.blockSignals(False)

    def selected_year(self) -> int:
        return self.year.currentData() or self.ledger.today().year

    def reload(self) -> None:
        started = time.perf_counter()
        empty = roster_service.member_count(self.ledger) == 0
        self.first_steps.setVisible(empty)
        for widget in (self.needs_frame, self.splitter, self.year_label, self.year):
            widget.setVisible(not empty)
        if empty:
            set_status_label(self.summary, STATUS_NONE, "名册中还没有党员")
            self._stale = False
            self.last_fill_seconds = time.perf_counter() - started
            return
        year = self.selected_year()
        today = self.ledger.today()
        model = load(self.ledger, year)  # the one model: the grid, the check, the 问题清单
        now = model if year == today.year else load(self.ledger, today.year)
        self.period_model = model
        self.board = model.board
        self.result = model.check
        self.model.set_board(self.board, today)
        self.grid.clearSpans()
        for row, col, width in self.model.spans():
            self.grid.setSpan(row, col, 1, width)
        needs = now.board.needs  # what the month, quarter and year under way still need
        order = {"month": 0, "quarter": 1, "year": 2}
        self._fill_needs(sorted(needs, key=lambda g: order[g.period.kind]))
        self._fill_alerts()
        self._fill_incomplete()
        self.reminders.set_reminders(now.reminders)
        n = len(now.reminders)
        self.reminders_title.setText(f"待办与提醒（{n}）" if n else "待办与提醒")
        gaps = model.gap_count  # 应开展未开展, as the 问题清单 counts them
        alerts = len({a.member_id for a in self.result.member_alerts})
        incomplete = len(self.result.incomplete_records)
        brief = len(model.brief_records)  # listed with the incomplete ones, counted apart
        if gaps or alerts or incomplete or brief:
            text = f"{year}年：缺 {gaps} 项 · 预警 {alerts} 人 · 不完整 {incomplete} 条"
            if brief:
                text += f" · 记录过简 {brief} 条"
            set_status_label(self.summary, STATUS_MISSING if gaps else STATUS_WARN, text)
        else:
            set_status_label(self.summary, STATUS_OK, f"{year}年已到期的各项均已完成")
        self._stale = False
        self.last_fill_seconds = time.perf_counter() - started
        self._size_grid()

    LOWER_MIN = 110  # the two lists below the grid: their titles and three lines
    ROW_HEIGHT, ROW_HEIGHT_SHORT = 26, 22

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._sized = False
        self._size_grid()

    def _size_grid(self) -> None:
        """Give the grid the height of all its rows (once per size; the user may drag after).
        Where the page is too short for every row above the lists (1366×768 at 125 %), the
        lists move to the grid's right, so that the whole year, 谈心谈话 included, shows."""
        if self._sized or not self.isVisible() or not self.splitter.isVisible():
            return
        want = (
            self.grid.horizontalHeader().height()
            + self.grid.verticalHeader().length()
            + 2 * self.grid.frameWidth()
            + 28  # the legend line under the grid
        )
        beside = self.splitter.height() < want + self.LOWER_MIN + self.splitter.handleWidth()
        rows = self.grid.verticalHeader()
        row_height = self.ROW_HEIGHT_SHORT if beside else self.ROW_HEIGHT
        if rows.defaultSectionSize() != row_height:  # a short page: tighter rows as well
            want -= (rows.defaultSectionSize() - row_height) * self.model.rowCount()
            rows.setDefaultSectionSize(row_height)
        vertical = Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical
        if self.splitter.orientation() != vertical:
            self.splitter.setOrientation(vertical)
            self.lower_row.setDirection(
                QBoxLayout.Direction.TopToBottom if beside else QBoxLayout.Direction.LeftToRight
            )
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        if beside:  # the grid as wide as its twelve months need; the lists take the rest
            need = (
                self.grid.columnWidth(0)
                + 12 * self.grid.horizontalHeader().minimumSectionSize()
                + 2 * self.grid.frameWidth()
                + self.grid.verticalScrollBar().sizeHint().width()
            )
            grid_width = min(max(need, total * 3 // 5), total - 200)
            self.splitter.setSizes([grid_width, total - grid_width])
        else:
            low = self.LOWER_MIN
            self.splitter.setSizes([min(want, total - low), max(total - want, low)])
        self._sized = True

    def _fill_needs(self, needs: list[C.Gap]) -> None:
        layout = self.needs_layout
        while layout.count():
            w = layout.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self.need_buttons = []
        today = self.ledger.today()
        if not needs:
            ok = QLabel()
            set_status_label(ok, STATUS_OK, "本月、本季度、本年度要求的会议都已开过")
            layout.addWidget(ok, 0, 0)
            return
        # the strip is always about today; name the year when another year is on the board
        when = f"{today.year}年" if self.selected_year() != today.year else ""
        words = {
            "month": f"本月（{when}{today.month}月）还需",
            "quarter": f"本季度（{when}第{'一二三四'[(today.month - 1) // 3]}季度）还需"
            if when
            else "本季度还需",
            "year": f"本年度（{today.year}年）还需" if when else "本年度还需",
        }
        groups = {g.name: g.id for g in roster_service.groups(self.ledger)}
        for row, kind in enumerate(("month", "quarter", "year")):
            items = [g for g in needs if g.period.kind == kind]
            if not items:
                continue
            label = QLabel(words[kind] + "：")
            label.setProperty("role", "needs")
            layout.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            holder = QWidget()
            line = FlowLayout(holder)
            group_label_added = False
            for gap in items:
                more = gap.required - gap.held
                if gap.group:
                    if not group_label_added:  # 党小组会: one label, a button per group
                        line.addWidget(QLabel(f"{C.GROUP_MEETING}："))
                        group_label_added = True
                    text = "＋ " + gap.group
                else:
                    text = "＋ " + gap.label
                text += f" ×{more}" if more > 1 else ""
                button = QPushButton(text)
                button.setToolTip(f"登记一次{gap.label}（{gap.period.label}）")
                gid = groups.get(gap.group) if gap.group else None
                button.clicked.connect(
                    lambda _=False, item=gap.item, gid=gid: self.new_record(item, today, gid)
                )
                self.need_buttons.append(button)
                line.addWidget(button)
            layout.addWidget(holder, row, 1)
        layout.setColumnStretch(1, 1)

    def _fill_alerts(self) -> None:
        self.alerts.clear()
        assert self.result is not None
        for a in self.result.member_alerts:
            # a run that has ended (the member came back, or paid on) is kept, said as ended
            look = STATUS_NONE if a.resumed else STATUS_MISSING if a.months >= 6 else STATUS_WARN
            text = status_text(look, f"{a.name}：{alert_text(a)}")
            item = QListWidgetItem(text)
            item.setForeground(status_foreground(look))
            item.setData(Qt.ItemDataRole.UserRole, (a.member_id, a.kind))
            item.setToolTip(
                "点击查看党费" if a.kind == C.ALERT_NO_DUES else "点击在名册中查看该党员"
            )
            self.alerts.addItem(item)
        n = len(self.result.member_alerts)
        self.alerts_title.setText(f"党员预警（{n}）" if n else "党员预警")
        if not n:
            item = QListWidgetItem(status_text(STATUS_OK, "没有需要预警的党员"))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setForeground(status_foreground(STATUS_OK))
            self.alerts.addItem(item)

    def _fill_incomplete(self) -> None:
        self.incomplete.clear()
        assert self.result is not None
        for r in self.result.incomplete_records:
            text = status_text(
                STATUS_WARN, f"{format_date(r.date)}  {r.item}：缺 {'、'.join(r.missing)}"
            )
            item = QListWidgetItem(text)
            item.setForeground(status_foreground(STATUS_WARN))
            item.setData(Qt.ItemDataRole.UserRole, (r.record_id, r.item))
            item.setToolTip("点击打开这条记录补全")
            self.incomplete.addItem(item)
        # issue 18: too-brief minutes are listed with the incomplete records, with why
        brief = self.period_model.brief_records
        for b in brief:
            item = QListWidgetItem(
                status_text(STATUS_WARN, f"{format_date(b.date)}  {b.item}：{b.text}")
            )
            item.setForeground(status_foreground(STATUS_WARN))
            item.setData(Qt.ItemDataRole.UserRole, (b.record_id, b.item))
            item.setToolTip("记录过于简单（设置 › 记录与评议要求）。点击打开这条记录补充")
            self.incomplete.addItem(item)
        n = len(self.result.incomplete_records) + len(brief)
        what = "不完整与过简的记录" if brief else "不完整的记录"
        self.incomplete_title.setText(f"{what}（{n}）" if n else what)
        if not n:
            item = QListWidgetItem(status_text(STATUS_OK, "所有记录的检查项都已填写"))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setForeground(status_foreground(STATUS_OK))
            self.incomplete.addItem(item)

    # --- one click from fixing ---------------------------------------------------------------

    def new_record(self, kind: str, date: dt.date, group_id: int | None = None) -> None:
        kwargs: dict = {"kind": kind, "date": date}
        if group_id is not None:
            kwargs["group_id"] = group_id
        self.ctx.navigate(rec_svc.page_of(kind), **kwargs)

    def open_cell(self, index: QModelIndex) -> None:
        """Held: the records of that period; otherwise a new record prefilled for it."""
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        if index.column() == 0:
            ids = [i for c in row.cells for i in c.record_ids]
            if ids:
                self._show_records(row.item, ids)
            else:
                self.ctx.status(f"{self.selected_year()}年还没有{row.label}的记录")
            return
        cell = self.model.cell_at(index)
        if cell is None:
            return
        if cell.record_ids and (cell.status == C.HELD or row.item == C.TALK):
            self._show_records(row.item, cell.record_ids)
            return
        if cell.status == C.NOT_REQUIRED and not cell.record_ids:
            self.ctx.status(f"{cell.period.label}不要求{row.label}")
            return
        today = self.ledger.today()
        if cell.period.contains(today):
            day = today
        elif cell.period.start > today:
            self.ctx.status(f"{cell.period.label}尚未到来")
            return
        else:
            day = cell.period.end
        self.new_record(row.item, day, row.group_id)

    def _show_records(self, item: str, ids: list[int]) -> None:
        """Open the list page that holds these records (a 主题党日 may be a meeting marked
        结合主题党日: the page of the most of them)."""
        kinds: dict[str, list[int]] = {}
        for rid in ids:
            r = rec_svc.record(self.ledger, rid)
            if r is not None:
                kinds.setdefault(rec_svc.page_of(r.kind), []).append(rid)
        if not kinds:
            return
        page, page_ids = max(kinds.items(), key=lambda kv: len(kv[1]))
        self.ctx.navigate(page, record_ids=page_ids)

    def _open_alert(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if not data:
            return
        member_id, kind = data
        if kind == C.ALERT_NO_DUES:
            self.ctx.navigate("dues", year=self.selected_year(), member_id=member_id)
        else:
            self.ctx.navigate("roster", member_id=member_id)

    def _open_incomplete(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if not data or data[0] is None:
            return
        record_id, kind = data
        self.ctx.navigate(rec_svc.page_of(kind), record_ids=[record_id], edit=True)
