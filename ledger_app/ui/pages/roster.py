"""党员名册: the member table (a real model over one query), filters, add / edit / status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import format_date
from ...domain.models import ACTIVE, CATEGORIES, STATUSES, Member, split_posts
from ...domain.names import initials, matches
from ...services import roster
from ...services import roster as roster_service
from ...services.ledger import Changes
from ..context import AppContext, confirm
from ..first_steps import FirstSteps
from ..widgets import (
    STATUS_NONE,
    STATUS_OK,
    DateEdit,
    hint_label,
    make_primary,
    remember_header,
    status_background,
    status_foreground,
    status_text,
    title_label,
)

COLUMNS = (
    "姓名",
    "性别",
    "出生日期",
    "党员类别",
    "入党日期",
    "人员类别",
    "党小组",
    "党内职务",
    "联系电话",
    "状态",
)
COL_STATUS = COLUMNS.index("状态")
MEMBER_ROLE = Qt.ItemDataRole.UserRole + 1  # the Member itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_POST_RANK = {"书记": 0, "副书记": 1, "组织委员": 2, "宣传委员": 3, "纪检委员": 4}
ALL = "全部"
NO_GROUP = "（未分组）"


def member_status_kind(m: Member) -> str:
    """在册 is green; anyone who left is grey (history kept, nothing to fix)."""
    return STATUS_OK if m.status == ACTIVE else STATUS_NONE


def member_status_text(m: Member) -> str:
    word = m.status if m.status == ACTIVE else f"{m.status} {format_date(m.status_date)}".strip()
    return status_text(member_status_kind(m), word)


def _post_rank(post: str | None) -> int:
    if not post:
        return 99
    return min((_POST_RANK.get(p, 50) for p in split_posts(post)), default=99)


class RosterModel(QAbstractTableModel):
    """All members, loaded with one query into a list of :class:`Member`; the view asks
    only for the visible cells, so 5,000 rows cost one query and a list."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._members: list[Member] = []
        self._default: list[Member] = []
        self._group_sort: dict[int, int] = {}
        self._initials: dict[str, str] = {}
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def load(self, members: list[Member], group_sort: dict[int, int] | None = None) -> None:
        self.beginResetModel()
        self._group_sort = group_sort or {}
        self._initials = {}
        # the usual order of a roster: by 党小组, committee first, then by 入党日期
        self._members = sorted(
            members,
            key=lambda m: (
                m.status != ACTIVE,
                self._group_sort.get(m.group_id, 10**6) if m.group_id else 10**7,
                _post_rank(m.post),
                m.join_date or dt.date.max,
                m.id or 0,
            ),
        )
        self._default = list(self._members)
        if self._sort_column >= 0:
            self._members.sort(
                key=lambda m: self._sort_key(m, self._sort_column),
                reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
            )
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with precomputed keys (milliseconds for 5,000 rows; a proxy
        comparing cell by cell through Python would take about a second)."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._members[i.row()].id if i.isValid() else None for i in old]
        self._sort_column, self._sort_order = column, order
        if column < 0:
            self._members = list(self._default)
        else:
            self._members = sorted(
                self._default,
                key=lambda m: self._sort_key(m, column),
                reverse=order == Qt.SortOrder.DescendingOrder,
            )
        rows = {m.id: r for r, m in enumerate(self._members)}
        self.changePersistentIndexList(
            old,
            [
                self.index(rows[mid], i.column()) if mid in rows else QModelIndex()
                for i, mid in zip(old, old_ids)
            ],
        )
        self.layoutChanged.emit()

    def members(self) -> list[Member]:
        return list(self._members)

    def member_at(self, row: int) -> Member:
        return self._members[row]

    def row_of(self, member_id: int) -> int | None:
        for i, m in enumerate(self._members):
            if m.id == member_id:
                return i
        return None

    # --- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._members)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(COLUMNS):
                return COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._members)):
            return None
        m = self._members[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(m, col)
        if role == SORT_ROLE:
            return self._sort_key(m, col)
        if role == MEMBER_ROLE:
            return m
        if col == COL_STATUS:
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_foreground(member_status_kind(m))
            if role == Qt.ItemDataRole.BackgroundRole:
                return status_background(member_status_kind(m))
        if role == Qt.ItemDataRole.ToolTipRole and col == 0 and m.note:
            return m.note
        return None

    @staticmethod
    def _display(m: Member, col: int) -> str:
        if col == 0:
            return m.name
        if col == 1:
            return m.gender or ""
        if col == 2:
            return format_date(m.birth_date)
        if col == 3:
            return m.member_type
        if col == 4:
            return format_date(m.join_date)
        if col == 5:
            return m.category
        if col == 6:
            return m.group_name or ""
        if col == 7:
            return m.post or ""
        if col == 8:
            return m.phone or ""
        if col == COL_STATUS:
            return member_status_text(m)
        return ""

    def _sort_key(self, m: Member, col: int) -> Any:
        if col == 0:  # 拼音 order, as people look names up
            key = self._initials.get(m.name)
            if key is None:
                key = self._initials[m.name] = initials(m.name) + m.name
            return key
        if col == 6:
            return self._group_sort.get(m.group_id, 10**6) if m.group_id else 10**7
        if col == 7:
            return _post_rank(m.post)
        if col == COL_STATUS:
            return STATUSES.index(m.status) if m.status in STATUSES else 99
        return self._display(m, col)


class RosterFilter(QSortFilterProxyModel):
    """Name (characters or pinyin initials), 党小组, 状态, 人员类别."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.text = ""
        self.group: str = ALL  # ALL, NO_GROUP or a group name
        self.status: str = ACTIVE  # ALL or a status
        self.category: str = ALL
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(False)

    def set_filters(
        self,
        text: str | None = None,
        group: str | None = None,
        status: str | None = None,
        category: str | None = None,
    ) -> None:
        begin = getattr(self, "beginFilterChange", None)  # Qt ≥ 6.9; older: invalidate
        if begin is not None:
            begin()
        if text is not None:
            self.text = text.strip()
        if group is not None:
            self.group = group
        if status is not None:
            self.status = status
        if category is not None:
            self.category = category
        if begin is not None:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:  # noqa: N802
        m: Member = self.sourceModel().member_at(source_row)  # type: ignore[attr-defined]
        if self.status != ALL and m.status != self.status:
            return False
        if self.category != ALL and m.category != self.category:
            return False
        if self.group == NO_GROUP:
            if m.group_name:
                return False
        elif self.group != ALL and m.group_name != self.group:
            return False
        return not self.text or matches(m.name, self.text)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The header's sort request goes to the source model (fast, keys precomputed);
        this proxy keeps the source order and only filters."""
        self.sourceModel().sort(column, order)


class RosterPage(QWidget):
    """党员名册."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        self.model = RosterModel(self)
        self.proxy = RosterFilter(self)
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label("党员名册"))
        top.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("roster_count")
        top.addWidget(self.count_label)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找姓名或拼音首字母，如 zjg")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.search.textChanged.connect(lambda t: self._filter(text=t))
        filters.addWidget(self.search)
        self.group_box = QComboBox()
        self.group_box.setMinimumContentsLength(8)
        self.group_box.currentTextChanged.connect(lambda t: self._filter(group=t or ALL))
        filters.addWidget(QLabel("党小组"))
        filters.addWidget(self.group_box)
        self.status_box = QComboBox()
        self.status_box.addItems([*STATUSES, ALL])
        self.status_box.currentTextChanged.connect(lambda t: self._filter(status=t))
        filters.addWidget(QLabel("状态"))
        filters.addWidget(self.status_box)
        self.category_box = QComboBox()
        self.category_box.addItems([ALL, *CATEGORIES])
        self.category_box.currentTextChanged.connect(lambda t: self._filter(category=t))
        filters.addWidget(QLabel("人员类别"))
        filters.addWidget(self.category_box)
        filters.addStretch(1)
        self.filters_box = QWidget()
        self.filters_box.setLayout(filters)
        filters.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filters_box)

        self.table = QTableView()
        self.table.setObjectName("roster_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()  # the count is above; row numbers cost width
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for col, width in enumerate((76, 44, 92, 76, 92, 70, 96, 100, 106, 120)):
            self.table.setColumnWidth(col, width)
        remember_header(self.table, "roster", ctx.ledger.path)
        self.table.activated.connect(lambda _i: self.edit_member())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.table, 1)
        self.first_steps = FirstSteps(ctx, "添加第一名党员，或从已有的 Excel 台账导入党员名册。")
        self.first_steps.hide()
        layout.addWidget(self.first_steps, 1)

        buttons = QHBoxLayout()
        self.add_button = make_primary(QPushButton("新增党员"))
        self.add_button.setToolTip("新增一名党员（Ctrl+N）")
        self.add_button.clicked.connect(self.add_member)
        self.edit_button = QPushButton("编辑")
        self.edit_button.setToolTip("编辑选中的党员（双击或回车）")
        self.edit_button.clicked.connect(self.edit_member)
        self.status_button = QPushButton("变更状态")
        self.status_button.setToolTip("转出、停止党籍、去世、出党，或更正为在册")
        self.status_button.clicked.connect(self.change_status)
        self.groups_button = QPushButton("党小组管理")
        self.groups_button.clicked.connect(self.manage_groups)
        for b in (self.add_button, self.edit_button, self.status_button, self.groups_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(hint_label("双击或回车编辑"))
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.add_member)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)

        self.reload()

    # --- data ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Reload members and groups from the database, keeping filters and selection."""
        selected = self.current_member()
        groups = roster_service.groups(self.ctx.ledger)
        members = roster_service.members(self.ctx.ledger)
        self.model.load(members, {g.id: g.sort for g in groups if g.id is not None})
        current = self.group_box.currentText() or ALL
        self.group_box.blockSignals(True)
        self.group_box.clear()
        self.group_box.addItems([ALL, *[g.name for g in groups], NO_GROUP])
        index = self.group_box.findText(current)
        self.group_box.setCurrentIndex(max(index, 0))
        self.group_box.blockSignals(False)
        if index < 0:
            self.proxy.set_filters(group=ALL)
        if selected is not None and selected.id is not None:
            self.select_member(selected.id)
        self._update_count()
        self._update_buttons()
        empty = not self.model.rowCount()
        self.first_steps.setVisible(empty)
        self.table.setVisible(not empty)
        self.filters_box.setVisible(not empty)

    def refresh(self, changes: Changes) -> None:
        if changes.members or changes.branch:
            self.reload()

    def activate(
        self, member_id: int | None = None, add_member: bool = False, **_kwargs: Any
    ) -> None:
        if add_member:
            self.add_member()
        if member_id is not None:
            self.proxy.set_filters(text="", status=ALL)
            self.search.clear()
            self.status_box.setCurrentText(ALL)
            self.select_member(member_id)

    def _filter(self, **kw: str) -> None:
        self.proxy.set_filters(**kw)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        active = sum(1 for m in self.model.members() if m.status == ACTIVE)
        shown = self.proxy.rowCount()
        text = f"在册 {active} 人"
        if shown != active or self.proxy.status != ACTIVE:
            text += f"　·　当前显示 {shown} 人"
        self.count_label.setText(text)

    def _update_buttons(self) -> None:
        has = self.current_member() is not None
        self.edit_button.setEnabled(has)
        self.status_button.setEnabled(has)

    def current_member(self) -> Member | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        index = rows[0] if rows else self.table.currentIndex()
        if not index.isValid():
            return None
        return index.data(MEMBER_ROLE)

    def select_member(self, member_id: int) -> bool:
        row = self.model.row_of(member_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    # --- actions ----------------------------------------------------------------------------

    def add_member(self) -> None:
        from ..member_dialog import MemberDialog

        dialog = MemberDialog(self.ctx, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.select_member(dialog.saved_id)

    def edit_member(self) -> None:
        m = self.current_member()
        if m is None:
            return
        from ..member_dialog import MemberDialog

        dialog = MemberDialog(self.ctx, m, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and m.id is not None:
            self.select_member(m.id)

    def change_status(self) -> None:
        m = self.current_member()
        if m is None:
            return
        dialog = StatusDialog(self.ctx, m, self)
        dialog.exec()

    def manage_groups(self) -> None:
        GroupsDialog(self.ctx, self).exec()


class StatusDialog(QDialog):
    """转出 / 停止党籍 / 去世 / 出党 with a date and a note; 在册 again corrects a mistake."""

    def __init__(self, ctx: AppContext, member: Member, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.member = member
        self.setWindowTitle(f"变更状态 — {member.name}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        now = member.status
        if member.status_date and member.status != ACTIVE:
            now += f"（{format_date(member.status_date)}）"
        form.addRow("当前状态", QLabel(now))
        self.status = QComboBox()
        choices = [s for s in STATUSES if s != ACTIVE]
        if member.status != ACTIVE:
            choices.append(ACTIVE)
        self.status.addItems(choices)
        if member.status != ACTIVE:
            self.status.setCurrentText(ACTIVE)
        self.status.currentTextChanged.connect(self._on_status)
        form.addRow("变更为", self.status)
        self.date = DateEdit(default_year=ctx.ledger.today().year)
        self.date.setDate(ctx.ledger.today())
        form.addRow("变更日期 *", self.date)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如 转往某某党支部；组织关系介绍信编号")
        form.addRow("备注", self.note)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(
            hint_label(
                "变更后，该党员在变更日期之前的会议、党费记录保持不变；历史记录可在编辑窗口查看。"
            )
        )
        box = QDialogButtonBox()
        self.ok = make_primary(box.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole))
        self.ok.setDefault(True)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self._on_status(self.status.currentText())
        self.setMinimumWidth(420)

    def _on_status(self, status: str) -> None:
        back = status == ACTIVE
        self.date.setEnabled(not back)
        if back and not self.note.text():
            self.note.setText("更正：恢复为在册")

    def save(self) -> None:
        status = self.status.currentText()
        day = None
        if status != ACTIVE:
            try:
                day = self.date.date()
            except ValueError as e:
                self.error.setText(f"变更日期：{e}")
                self.date.setFocus()
                return
            if day is None:
                self.error.setText("变更日期：请填写状态变更的日期")
                self.date.setFocus()
                return
        assert self.member.id is not None
        from ..transfer_dialogs import status_change_instead  # 组织关系转接 (issue 19)

        done = status_change_instead(self, self.ctx, self.member, status, day, self.note.text())
        if done is not False:
            if done:
                self.accept()
            return
        ok = self.ctx.run(
            self,
            roster.change_status,
            self.member.id,
            status,
            day,
            self.note.text().strip() or None,
            success=f"已将{self.member.name}的状态改为“{status}”",
        )
        if ok:
            self.accept()


class GroupsDialog(QDialog):
    """党小组管理: add, rename, delete (members of a deleted group become ungrouped)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("党小组管理")
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("groups_list")
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        side = QVBoxLayout()
        self.add_button = QPushButton("新增…")
        self.rename_button = QPushButton("改名…")
        self.delete_button = QPushButton("删除")
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.delete_button.clicked.connect(self.delete)
        for b in (self.add_button, self.rename_button, self.delete_button):
            side.addWidget(b)
        side.addStretch(1)
        row.addLayout(side)
        layout.addLayout(row)
        layout.addWidget(hint_label("党员的党小组在“编辑”中选择；删除党小组后，其成员变为未分组。"))
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(420, 320)
        self.reload()

    def reload(self) -> None:
        counts: dict[int, int] = {}
        for m in roster_service.members(self.ctx.ledger):
            if m.status == ACTIVE and m.group_id:
                counts[m.group_id] = counts.get(m.group_id, 0) + 1
        self.list.clear()
        for g in roster_service.groups(self.ctx.ledger):
            item = QListWidgetItem(f"{g.name}（在册 {counts.get(g.id or 0, 0)} 人）")
            item.setData(Qt.ItemDataRole.UserRole, (g.id, g.name, counts.get(g.id or 0, 0)))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _current(self) -> tuple[int, str, int] | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def ask_name(self, title: str, text: str = "") -> str | None:
        """The name typed in a small input box (tests monkeypatch this)."""
        name, ok = QInputDialog.getText(self, title, "党小组名称：", text=text)
        return name if ok else None

    def add(self) -> None:
        name = self.ask_name("新增党小组")
        if name is not None and self.ctx.run(
            self, roster.add_group, name, success=f"已新增党小组“{name.strip()}”"
        ):
            self.reload()

    def rename(self) -> None:
        cur = self._current()
        if cur is None:
            return
        name = self.ask_name("党小组改名", cur[1])
        if name is not None and name.strip() != cur[1]:
            if self.ctx.run(self, roster.rename_group, cur[0], name, success="党小组已改名"):
                self.reload()

    def delete(self) -> None:
        cur = self._current()
        if cur is None:
            return
        gid, name, count = cur
        text = f"删除党小组“{name}”？"
        if count:
            text += f"\n其在册的 {count} 名党员将变为未分组。"
        if confirm(self, "删除党小组", text, ok="删除") and self.ctx.run(
            self, roster.delete_group, gid, success=f"已删除党小组“{name}”"
        ):
            self.reload()
