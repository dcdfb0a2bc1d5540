"""自评定级: the period's 自评表 (年总评 or a month's 月自评) — each criterion scored from the
ledger or by hand, 加分/减分, total and grade — and 评定. The points table and thresholds are
edited in their own dialog (评分标准…)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.assessment import (
    GRADE_FAIL,
    Assessment,
    HandScore,
    Line,
    format_points,
    from_ledger,
    parse_points,
)
from ...domain.dates import format_date
from ...services import assessment as AS
from ...services import roster as roster_service
from ...services.ledger import Changes
from ..context import AppContext, confirm, show_error
from ..widgets import (
    STATUS_MISSING,
    STATUS_OK,
    STATUS_WARN,
    hint_label,
    make_primary,
    set_status_label,
    status_foreground,
    title_label,
    year_box,
)

COLUMNS = ("类别", "评分项目", "分值", "台账得分", "人工评分", "得分", "依据 / 说明")
HAND_COL, SCORE_COL, NOTE_COL = 4, 5, 6
WHOLE_YEAR = 0


class LinesModel(QAbstractTableModel):
    """The criteria of one period; 人工评分 and 说明 are edited in place and kept as pending
    edits until 保存."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.lines: list[Line] = []
        # criterion (类别, 评分项目) → (hand score, note)
        self.edits: dict[tuple[str, str], tuple[int | None, str]] = {}

    def load(self, lines: list[Line]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.edits = {}
        self.endResetModel()

    def hand(self, line: Line) -> tuple[int | None, str]:
        key = line.criterion.key
        if key in self.edits:
            return self.edits[key]
        return line.hand, line.note

    def score(self, line: Line) -> int | None:
        hand, _ = self.hand(line)
        return hand if hand is not None else line.auto

    @property
    def dirty(self) -> bool:
        return any(
            self.edits.get(ln.criterion.key, (ln.hand, ln.note)) != (ln.hand, ln.note)
            for ln in self.lines
        )

    def scores(self) -> list[HandScore]:
        out = []
        for line in self.lines:
            hand, note = self.hand(line)
            if hand is not None or note.strip():
                out.append(HandScore(line.criterion.key, hand, note))
        return out

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return section + 1

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        f = super().flags(index)
        if index.isValid() and index.column() in (HAND_COL, NOTE_COL):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        c = line.criterion
        hand, note = self.hand(line)
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return c.category
            if col == 1:
                return c.name
            if col == 2:
                return format_points(c.points)
            if col == 3:
                return format_points(line.auto) if line.auto is not None else "人工评分"
            if col == HAND_COL:
                return format_points(hand)
            if col == SCORE_COL:
                s = self.score(line)
                return format_points(s) if s is not None else "待评"
            if col == NOTE_COL:
                if role == Qt.ItemDataRole.EditRole:
                    return note
                return "；".join(x for x in (line.basis, note) if x)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1:
                return c.standard or None
            if col == NOTE_COL:
                return "\n".join(x for x in (line.basis, note) if x) or None
            if col == HAND_COL:
                return (
                    "台账取数的项目可人工调整，须在说明中写明原因"
                    if from_ledger(c)
                    else "人工评分，扣分须写明原因"
                )
        if role == Qt.ItemDataRole.ForegroundRole and col == SCORE_COL and self.score(line) is None:
            return status_foreground(STATUS_MISSING)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3, HAND_COL, SCORE_COL):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(  # noqa: N802
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        line = self.lines[index.row()]
        hand, note = self.hand(line)
        if index.column() == HAND_COL:
            text = str(value or "").strip()
            if not text:
                hand = None
            else:
                try:
                    hand = parse_points(text, "人工评分")
                except ValueError as e:
                    show_error(None, str(e), title="人工评分")
                    return False
                if hand > line.criterion.points:
                    show_error(
                        None,
                        f"得分不能超过分值 {format_points(line.criterion.points)}",
                        title="人工评分",
                    )
                    return False
        elif index.column() == NOTE_COL:
            note = str(value or "")
        else:
            return False
        self.edits[line.criterion.key] = (hand, note)
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True


class AssessmentPage(QWidget):
    """自评定级."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        self.assessment: Assessment | None = None
        today = ctx.ledger.today()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label("自评定级"))
        top.addSpacing(16)
        top.addWidget(QLabel("年度"))
        self.year_box = year_box(today.year, "assess_year")
        top.addWidget(self.year_box)
        top.addWidget(QLabel("期间"))
        self.period_box = QComboBox()
        self.period_box.setObjectName("assess_period")
        self.period_box.addItem("全年（年总评）", WHOLE_YEAR)
        for m in range(1, 13):
            self.period_box.addItem(f"{m}月（月自评）", m)
        top.addWidget(self.period_box)
        top.addStretch(1)
        self.total_label = QLabel()
        self.total_label.setObjectName("assess_total")
        top.addWidget(self.total_label)
        layout.addLayout(top)
        self.state = hint_label("")
        self.state.setObjectName("assess_state")
        layout.addWidget(self.state)

        buttons = QHBoxLayout()
        self.save_button = make_primary(QPushButton("保存评分"))
        self.save_button.setObjectName("assess_save")
        self.save_button.setToolTip("保存人工评分和说明（Ctrl+S）")
        self.save_button.clicked.connect(self.save)
        self.review_button = QPushButton("评定…")
        self.review_button.setToolTip("支部委员会确认本期自评结果：评定日期和评定人")
        self.review_button.clicked.connect(self.review)
        self.table_button = QPushButton("评分标准…")
        self.table_button.setToolTip("考评项目、分值、取数方式和等级分数线（支部委员会设定）")
        self.table_button.clicked.connect(self.edit_table)
        self.print_button = QPushButton("打印自评表…")
        self.print_button.clicked.connect(self.print_pdf)
        for b in (self.save_button, self.review_button, self.table_button, self.print_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        split = QSplitter(Qt.Orientation.Vertical)
        self.model = LinesModel(self)
        self.model.dataChanged.connect(lambda *_: self._show_total())
        self.table = QTableView()
        self.table.setObjectName("assess_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for col, w in enumerate((64, 180, 44, 64, 64, 44)):
            self.table.setColumnWidth(col, w)
        split.addWidget(self.table)

        adj = QWidget()
        al = QHBoxLayout(adj)
        al.setContentsMargins(0, 4, 0, 0)
        row = QVBoxLayout()
        row.addWidget(QLabel("加分 / 减分"))
        self.bonus_button = QPushButton("加分…")
        self.bonus_button.clicked.connect(lambda: self.add_adjustment(+1))
        self.penalty_button = QPushButton("减分…")
        self.penalty_button.clicked.connect(lambda: self.add_adjustment(-1))
        self.delete_adj_button = QPushButton("删除所选")
        self.delete_adj_button.clicked.connect(self.delete_adjustment)
        for b in (self.bonus_button, self.penalty_button, self.delete_adj_button):
            row.addWidget(b)
        row.addStretch(1)
        al.addLayout(row)
        self.adjustments = QListWidget()
        self.adjustments.setObjectName("assess_adjustments")
        al.addWidget(self.adjustments, 1)
        adj.setMaximumHeight(150)
        split.addWidget(adj)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)

        self._shown: tuple[int, int] = (self.year, self.month or 0)
        self.year_box.valueChanged.connect(lambda _v: self._period_changed())
        self.period_box.currentIndexChanged.connect(lambda _i: self._period_changed())
        self.reload()

    # --- period --------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.year_box.value()

    @property
    def month(self) -> int | None:
        m = self.period_box.currentData()
        return None if m == WHOLE_YEAR else int(m)

    @property
    def key(self) -> str:
        return AS.period_key(self.year, self.month)

    def _period_changed(self) -> None:
        if (self.year, self.month or 0) == self._shown:
            return
        if self.model.dirty and not self.ask_keep():
            y, m = self._shown
            self.year_box.blockSignals(True)
            self.period_box.blockSignals(True)
            self.year_box.setValue(y)
            self.period_box.setCurrentIndex(m)
            self.year_box.blockSignals(False)
            self.period_box.blockSignals(False)
            return
        self.reload()

    def activate(self, year: int | None = None, month: int | None = None, **_kw: Any) -> None:
        if year is not None:
            self.year_box.setValue(year)
        if month is not None:
            self.period_box.setCurrentIndex(month)

    # --- showing -------------------------------------------------------------------------------

    def reload(self) -> None:
        self.assessment = AS.assessment(self.ctx.ledger, self.year, self.month)
        self._shown = (self.year, self.month or 0)
        self.model.load(self.assessment.lines)
        self.table.resizeRowsToContents()
        self.adjustments.clear()
        for a in self.assessment.adjustments:
            sign = "+" if a.points > 0 else ""
            item = QListWidgetItem(f"{a.kind} {sign}{format_points(a.points)} 分：{a.reason}")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.adjustments.addItem(item)
        if not self.assessment.adjustments:
            self.adjustments.addItem(QListWidgetItem("（无）"))
        self._show_total()

    def _show_total(self) -> None:
        a = self.assessment
        if a is None:
            return
        base = sum(self.model.score(line) or 0 for line in self.model.lines)
        total = max(base + a.bonus - a.penalty, 0)
        pending = [ln for ln in self.model.lines if self.model.score(ln) is None]
        if pending:
            status, grade = STATUS_WARN, f"{len(pending)} 项待评分"
        else:
            grade = a.thresholds.grade(total)
            status = STATUS_MISSING if grade == GRADE_FAIL else STATUS_OK
        set_status_label(
            self.total_label,
            status,
            f"合计 {format_points(total)} / {format_points(a.max_points)} 分　{grade}",
        )
        r = a.review
        if self.model.dirty:
            text = "有未保存的评分（Ctrl+S 保存）。"
        elif r is not None and r.assessed_on:
            text = (
                f"已于 {format_date(r.assessed_on)} 评定"
                + (f"（{r.assessor}）" if r.assessor else "")
                + "。"
            )
        elif pending:
            text = "双击“人工评分”一栏打分；台账能取数的项目已按台账算出，可人工调整并写明原因。"
        else:
            text = "各项已评分，尚未评定：请支部委员会确认后点“评定…”。"
        text += f"　等级标准：{a.thresholds.text()}。"
        self.state.setText(text)
        self.save_button.setEnabled(self.model.dirty)

    def refresh(self, changes: Changes) -> None:
        if self.model.dirty:
            return  # the clerk's edits first; they are saved or dropped on their own
        if (
            changes.assessment
            or changes.records
            or changes.members
            or changes.dues
            or changes.volunteer
            or changes.settings
        ):
            self.reload()

    # --- actions --------------------------------------------------------------------------------

    def save(self) -> bool:
        if not self.model.dirty:
            return True
        ok = self.ctx.run(
            self, AS.save_scores, self.key, self.model.scores(), success="已保存自评评分"
        )
        if ok:
            self.reload()
        return ok

    def ask_keep(self) -> bool:
        """Unsaved scores: 保存 / 放弃 / 取消. True when it is fine to go on."""
        from ..exported import ask_unsaved

        answer = ask_unsaved(self, "自评评分未保存", "本期有未保存的评分，要保存吗？")
        if answer == "save":
            return self.save()
        if answer == "drop":
            self.model.edits = {}
            return True
        return False

    def can_close(self) -> bool:
        return not self.model.dirty or self.ask_keep()

    def add_adjustment(self, sign: int) -> None:
        from ..assessment_dialogs import AdjustmentDialog

        AdjustmentDialog.ask(self, self.ctx, self.key, sign)

    def delete_adjustment(self) -> None:
        item = self.adjustments.currentItem()
        aid = item.data(Qt.ItemDataRole.UserRole) if item else None
        if aid is None:
            return
        if confirm(self, "删除加减分", f"删除“{item.text()}”？", ok="删除"):
            self.ctx.run(self, AS.delete_adjustment, aid, success="已删除")

    def review(self) -> None:
        if self.model.dirty and not self.save():
            return
        from ..assessment_dialogs import ReviewDialog

        ReviewDialog.ask(self, self.ctx, self.key, self.assessment)

    def edit_table(self) -> None:
        if self.model.dirty and not self.ask_keep():
            return
        from ..assessment_dialogs import CriteriaDialog

        CriteriaDialog.ask(self, self.ctx)

    def print_pdf(self) -> None:
        if self.model.dirty and not self.save():
            return
        from ..exported import save_file

        branch = roster_service.branch(self.ctx.ledger).name or "支部"
        label = f"{self.year}年" + (f"{self.month}月" if self.month else "")
        year, month = self.year, self.month
        save_file(
            self,
            "打印自评表",
            f"{branch}{label}自评表.pdf",
            "PDF 文件 (*.pdf)",
            lambda target: AS.export_pdf(self.ctx.ledger, year, month, target),
            "自评表",
        )
