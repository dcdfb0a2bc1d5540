"""评议与整改 (issue 18): the year's 民主评议 with each member's 等次 and follow-up, and the
整改清单 — items from 组织生活会, 民主评议, inspections and the program's own 问题清单.

``activate(tab="appraisal"|"rectification", year=, item_id=, from_record=)`` is how the
工作台's reminders and the 组织生活 page open it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.appraisal import CORRECT, GRADES, UNCERTAIN, Appraisal
from ...domain.dates import format_date
from ...domain.rectification import (
    DONE,
    FROM_APPRAISAL,
    FROM_INSPECTION,
    FROM_LIFE_MEETING,
    FROM_OTHER,
    FROM_PROBLEMS,
    OVERDUE,
    Rectification,
)
from ...services import appraisal as appraisal_svc
from ...services import records as records_service
from ...services import rectification as rect_svc
from ...services.ledger import Changes
from ..context import AppContext, confirm
from ..followup_dialogs import AppraisalDialog, RectificationDialog, new_item_for
from ..widgets import (
    STATUS_MISSING,
    STATUS_NONE,
    STATUS_OK,
    STATUS_WARN,
    hint_label,
    make_primary,
    remember_header,
    set_status_label,
    status_background,
    status_foreground,
    status_text,
    title_label,
)


def _view(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


class _Model(QAbstractTableModel):
    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int):
        return self._rows[row]

    def rows(self) -> list:
        return self._rows

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None

    def look(self, row) -> tuple[str, str] | None:  # the 状态 column
        return None

    def cell(self, row, column: str):
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if column == "状态":
            look = self.look(row)
            if look is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return status_text(*look)
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_foreground(look[0])
            if role == Qt.ItemDataRole.BackgroundRole and look[0] != STATUS_OK:
                return status_background(look[0])
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.cell(row, column)
            return "" if value is None else value
        if role == Qt.ItemDataRole.ToolTipRole:
            value = self.cell(row, column)
            return value if isinstance(value, str) and len(value) > 12 else None
        return None


# --- 民主评议 ------------------------------------------------------------------------------------


class AppraisalModel(_Model):
    COLUMNS = ("姓名", "党小组", "等次", "状态", "说明", "谈话", "处理", "改正期限", "改正情况")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.today = None

    def cell(self, row: appraisal_svc.AppraisalRow, column: str):
        a = row.appraisal
        if column == "姓名":
            return row.member.name
        if column == "党小组":
            return row.member.group_name or ""
        if a is None:
            return "（未评定）" if column == "等次" else ""
        if column == "等次":
            return a.grade
        if column == "说明":
            return a.reason
        if column == "谈话":
            if a.talk_date:
                return format_date(a.talk_date) + (f" {a.talk_by}" if a.talk_by else "")
            return ""
        if column == "处理":
            return a.measure
        if column == "改正期限":
            return format_date(a.deadline) if a.deadline else ""
        if column == "改正情况":
            return a.result
        return None

    def look(self, row: appraisal_svc.AppraisalRow) -> tuple[str, str] | None:
        a = row.appraisal
        if a is None:
            return (STATUS_WARN, "未评定") if row.expected else (STATUS_NONE, "不评等次")
        if a.needs_followup and a.talk_date is None:
            return STATUS_WARN, "须谈话"
        if a.measure == CORRECT and not (a.result or "").strip():
            if a.deadline and self.today and a.deadline < self.today:
                return STATUS_MISSING, "改正逾期"
            return STATUS_WARN, "限期改正中"
        return STATUS_OK, "已评定"


class AppraisalTab(QWidget):
    """One year's grades: 1–5 set a grade, Enter opens the member's follow-up."""

    HINT = "Enter 编辑 · 1 优秀 2 合格 3 基本合格 4 不合格 5 不确定等次 · Delete 清除等次"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.year = QComboBox()
        self.year.setObjectName("appraisal_year")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = AppraisalModel(self)
        self.view = _view(self.model)
        self.view.setObjectName("appraisal_view")
        for i, w in enumerate((84, 96, 76, 110, 150, 130, 72, 90)):
            self.view.setColumnWidth(i, w)
        remember_header(self.view, "followup/appraisal")
        self.view.activated.connect(lambda _i: self.edit_selected())
        self.edit_button = make_primary(QPushButton("评定等次…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.rest_button = QPushButton("其余评为合格")
        self.rest_button.setToolTip("把尚未评定的党员都评为合格，再逐个修改少数其他等次")
        self.rest_button.clicked.connect(self.grade_rest)
        self.clear_button = QPushButton("清除等次")
        self.clear_button.clicked.connect(self.clear_selected)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.summary, 1)
        buttons = QHBoxLayout()
        for b in (self.edit_button, self.rest_button, self.clear_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(hint_label(self.HINT))
        self.view.installEventFilter(self)  # 1–5 grade, Delete clears (as in the attendance grid)
        self._fill_years()
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    _KEYS = {getattr(Qt.Key, f"Key_{n}"): grade for n, grade in enumerate(GRADES, 1)}

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.view and event.type() == QEvent.Type.KeyPress and not event.modifiers():
            grade = self._KEYS.get(event.key())
            if grade is not None:
                self.set_grade(grade)
                return True
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selected()
                return True
        return super().eventFilter(obj, event)

    def _fill_years(self) -> None:
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for y in appraisal_svc.years(self.ctx.ledger):
            self.year.addItem(f"{y}年", y)
        today = self.ctx.ledger.today()
        # early in a year the 评议 of last year is the one being done
        default = today.year - 1 if today.month <= 3 else today.year
        self.year.setCurrentIndex(max(self.year.findData(current or default), 0))
        self.year.blockSignals(False)

    def selected_year(self) -> int:
        return self.year.currentData() or self.ctx.ledger.today().year

    def set_year(self, year: int) -> None:
        if self.year.findData(year) < 0:
            self.year.addItem(f"{year}年", year)
        self.year.setCurrentIndex(self.year.findData(year))

    def reload(self) -> None:
        selected = self.selected_row()
        year = self.selected_year()
        fig = appraisal_svc.figures(self.ctx.ledger, year)
        self.model.today = self.ctx.ledger.today()
        self.model.set_rows(appraisal_svc.rows(self.ctx.ledger, year))
        counts = "，".join(f"{g} {n}" for g, n in fig.counts if n) or "尚未评定"
        held = f"{format_date(fig.meeting.date)}召开评议会议" if fig.meeting else "尚未登记评议会议"
        text = f"{held}；{counts}；{fig.share_text}"
        if fig.ungraded:
            text += f"；未评定 {len(fig.ungraded)} 人"
        if fig.over_cap:
            set_status_label(self.summary, STATUS_MISSING, text + "，超过上限")
        elif fig.ungraded and fig.started:
            set_status_label(self.summary, STATUS_WARN, text)
        else:
            set_status_label(self.summary, STATUS_OK if fig.entries else STATUS_NONE, text)
        self.rest_button.setEnabled(bool(fig.ungraded))
        if selected is not None and selected < self.model.rowCount():
            self.view.selectRow(selected)
        elif self.model.rowCount():
            self.view.selectRow(0)

    def selected_row(self) -> int | None:
        sel = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return sel[0].row() if sel else None

    def current(self) -> appraisal_svc.AppraisalRow | None:
        row = self.selected_row()
        return self.model.row_at(row) if row is not None else None

    def edit_selected(self, grade: str | None = None) -> AppraisalDialog | None:
        row = self.current()
        if row is None:
            return None
        a = row.appraisal or Appraisal(None, self.selected_year(), row.member.id, "合格")  # type: ignore[arg-type]
        if grade:
            a = Appraisal(**{**a.__dict__, "grade": grade})
        dialog = AppraisalDialog(self.ctx, a, row.member.name, self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def set_grade(self, grade: str) -> None:
        """A key 1–5: the grade at once; 不确定等次, 基本合格 and 不合格 open the form for
        the reason or the follow-up."""
        row = self.current()
        if row is None:
            return
        if grade == UNCERTAIN or grade in ("基本合格", "不合格"):
            self.edit_selected(grade)
            return
        base = row.appraisal or Appraisal(None, self.selected_year(), row.member.id, grade)  # type: ignore[arg-type]
        value = Appraisal(
            base.id,
            base.year,
            base.member_id,
            grade,
            reason=base.reason if grade == UNCERTAIN else None,
        )
        if self.ctx.run(
            self, appraisal_svc.save_grade, value, success=f"{row.member.name}：{grade}"
        ):
            n = self.selected_row()
            if n is not None and n + 1 < self.model.rowCount():
                self.view.selectRow(n + 1)  # on to the next member, as in the attendance grid

    def grade_rest(self) -> None:
        self.ctx.run(
            self, appraisal_svc.grade_rest, self.selected_year(), success="其余党员已评为合格"
        )

    def clear_selected(self) -> None:
        row = self.current()
        if row is None or row.appraisal is None:
            return
        self.ctx.run(
            self,
            appraisal_svc.clear_grade,
            row.appraisal.year,
            row.member.id,
            success=f"已清除{row.member.name}的等次",
        )


# --- 整改清单 -----------------------------------------------------------------------------------


class RectificationModel(_Model):
    COLUMNS = (
        "来源",
        "问题",
        "整改措施",
        "责任人",
        "整改时限",
        "状态",
        "完成日期",
        "佐证",
        "整改情况",
    )

    def __init__(self, parent=None):
        super().__init__(parent)
        self.today = None

    def cell(self, it: Rectification, column: str):
        if column == "来源":
            return it.source
        if column == "问题":
            return " ".join(it.problem.split())
        if column == "整改措施":
            return " ".join((it.measure or "").split())
        if column == "责任人":
            return it.owner
        if column == "整改时限":
            return format_date(it.deadline) if it.deadline else ""
        if column == "完成日期":
            return format_date(it.done_on) if it.done_on else ""
        if column == "佐证":
            return f"{it.files} 个" if it.files else ""
        if column == "整改情况":
            return " ".join((it.result or "").split())
        return None

    def look(self, it: Rectification) -> tuple[str, str]:
        shown = it.shown_status(self.today)
        if shown == OVERDUE:
            return STATUS_MISSING, "逾期"
        if shown == DONE:
            return STATUS_OK, DONE
        if it.due_soon(self.today):
            return STATUS_WARN, f"{shown}（将到期）"
        return STATUS_NONE, shown


FILTERS = ("全部", "未完成", "逾期", "已完成")


class RectificationTab(QWidget):
    HINT = "Enter 编辑 · Ctrl+N 新增 · Delete 删除 · 逾期：过了时限仍未完成，按当天判断"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.filter = QComboBox()
        self.filter.addItems(FILTERS)
        self.summary = QLabel()
        self.model = RectificationModel(self)
        self.view = _view(self.model)
        self.view.setObjectName("rectification_view")
        for i, w in enumerate((96, 250, 200, 70, 90, 100, 90, 50)):
            self.view.setColumnWidth(i, w)
        remember_header(self.view, "followup/rectification")
        self.view.activated.connect(lambda _i: self.edit_selected())
        self.new_button = make_primary(QPushButton("新增"))
        menu = QMenu(self.new_button)
        for source, label in (
            (FROM_PROBLEMS, "从问题清单（程序检查出的问题）…"),
            (FROM_LIFE_MEETING, "组织生活会查摆的问题…"),
            (FROM_APPRAISAL, "民主评议发现的问题…"),
            (FROM_INSPECTION, "上级检查反馈的问题…"),
            (FROM_OTHER, "其他问题…"),
        ):
            menu.addAction(label).triggered.connect(lambda _=False, s=source: self.new_item(s))
        self.new_button.setMenu(menu)
        self.edit_button = QPushButton("编辑")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        top = QHBoxLayout()
        for w in (self.new_button, self.edit_button, self.delete_button):
            top.addWidget(w)
        top.addSpacing(12)
        top.addWidget(QLabel("显示"))
        top.addWidget(self.filter)
        top.addSpacing(12)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(hint_label(self.HINT))
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_button.showMenu)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def reload(self) -> None:
        selected = self.current()
        today = self.ctx.ledger.today()
        items = rect_svc.items(self.ctx.ledger)
        shown = {
            "全部": items,
            "未完成": [i for i in items if not i.done],
            "逾期": [i for i in items if i.overdue(today)],
            "已完成": [i for i in items if i.done],
        }[self.filter.currentText()]
        # open first (overdue first, by deadline), then the done ones, latest first
        shown = sorted(
            shown,
            key=lambda i: (
                i.done,
                not i.overdue(today),
                str(i.deadline or "9999") if not i.done else str(i.done_on or ""),
                i.id or 0,
            ),
        )
        self.model.today = today
        self.model.set_rows(shown)
        open_ = [i for i in items if not i.done]
        overdue = [i for i in items if i.overdue(today)]
        text = f"共 {len(items)} 项：未完成 {len(open_)} 项"
        if overdue:
            set_status_label(self.summary, STATUS_MISSING, text + f"，其中逾期 {len(overdue)} 项")
        elif open_:
            set_status_label(self.summary, STATUS_WARN, text)
        else:
            set_status_label(self.summary, STATUS_OK if items else STATUS_NONE, text)
        if selected is not None:
            self.select_id(selected.id)  # type: ignore[arg-type]
        elif self.model.rowCount():
            self.view.selectRow(0)
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def current(self) -> Rectification | None:
        sel = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row_at(sel[0].row()) if sel else None

    def select_id(self, item_id: int) -> bool:
        for i, it in enumerate(self.model.rows()):
            if it.id == item_id:
                self.view.selectRow(i)
                return True
        return False

    def _open(self, item: Rectification) -> RectificationDialog:
        dialog = RectificationDialog(self.ctx, item, self)
        dialog.accepted.connect(lambda: self.select_id(dialog.item.id) if dialog.item.id else None)
        dialog.open()
        self.dialog = dialog
        return dialog

    def new_item(self, source: str, record_id: int | None = None) -> RectificationDialog | None:
        year = self.ctx.ledger.today().year
        item = new_item_for(self.ctx, source, self, year, record_id)
        return self._open(item) if item is not None else None

    def edit_selected(self) -> RectificationDialog | None:
        it = self.current()
        return self._open(rect_svc.item(self.ctx.ledger, it.id)) if it is not None else None  # type: ignore[arg-type]

    def edit_id(self, item_id: int) -> RectificationDialog | None:
        self.filter.setCurrentIndex(0)
        if self.select_id(item_id):
            return self.edit_selected()
        return None

    def delete_selected(self) -> bool:
        it = self.current()
        if it is None:
            return False
        text = f"删除整改事项“{it.problem[:30]}”？佐证材料一并删除（修改记录中保留删除前的内容）。"
        if not confirm(self, "删除整改事项", text, ok="删除"):
            return False
        return self.ctx.run(self, rect_svc.delete_item, it.id, success="已删除整改事项")


# --- the page -----------------------------------------------------------------------------------


class FollowupPage(QWidget):
    """评议与整改: 民主评议 等次 and the 整改清单, as two tabs."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self.tabs = QTabWidget()
        self.appraisal = AppraisalTab(ctx)
        self.rectification = RectificationTab(ctx)
        self.tabs.addTab(self.appraisal, "民主评议等次")
        self.tabs.addTab(self.rectification, "整改清单")
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("评议与整改"))
        layout.addWidget(self.tabs, 1)
        ctx.changed.connect(self.refresh)

    def refresh(self, changes: Changes) -> None:
        if changes.followup or changes.members or changes.records or changes.settings:
            if not self.isVisible():
                self._stale = True
                return
            self._reload(changes)

    def _reload(self, changes: Changes) -> None:
        self._stale = False
        if changes.records:
            self.appraisal._fill_years()
        self.appraisal.reload()
        self.rectification.reload()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._reload(Changes(records=True))

    def activate(
        self,
        tab: str | None = None,
        year: int | None = None,
        item_id: int | None = None,
        from_record: int | None = None,
        **_kw,
    ) -> None:
        if tab == "appraisal":
            self.tabs.setCurrentWidget(self.appraisal)
            if year is not None:
                self.appraisal.set_year(year)
        elif tab == "rectification":
            self.tabs.setCurrentWidget(self.rectification)
            if item_id is not None:
                self.rectification.edit_id(item_id)
            elif from_record is not None:
                rec = records_service.record(self.ctx.ledger, from_record)
                if rec is not None:
                    self.rectification.new_item(rec.kind, from_record)
