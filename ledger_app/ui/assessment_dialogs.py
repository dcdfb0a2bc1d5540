"""The dialogs of 自评定级: 加分/减分, 评定, and 评分标准 (the points table and thresholds)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.assessment import (
    CATEGORIES,
    GRADE_MODEL,
    GRADE_PASS,
    GRADE_SOLID,
    HAND,
    HAND_LABEL,
    SOURCES,
    Assessment,
    Criterion,
    Thresholds,
    default_criteria,
    format_points,
    parse_points,
)
from ..services import assessment as AS
from .context import AppContext, confirm, show_error
from .widgets import DateEdit, hint_label, make_primary, set_invalid


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    make_primary(box.button(QDialogButtonBox.StandardButton.Ok))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class AdjustmentDialog(QDialog):
    """加分 or 减分 with its reason."""

    def __init__(self, ctx: AppContext, key: str, sign: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.key, self.sign = ctx, key, sign
        word = "加分" if sign > 0 else "减分"
        self.setWindowTitle(word)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.points = QLineEdit()
        self.points.setObjectName("adjust_points")
        self.points.setPlaceholderText("如 2 或 0.5")
        form.addRow("分值", self.points)
        self.reason = QLineEdit()
        self.reason.setObjectName("adjust_reason")
        self.reason.setPlaceholderText(
            "如：获评街道先进基层党组织" if sign > 0 else "如：党员违纪受到处分"
        )
        self.reason.setMinimumWidth(320)
        form.addRow("事由", self.reason)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, word))

    def accept(self) -> None:
        try:
            points = parse_points(self.points.text(), "分值")
        except ValueError as e:
            set_invalid(self.points, True, str(e))
            show_error(self, str(e))
            self.points.setFocus()
            return
        if self.ctx.run(
            self,
            AS.add_adjustment,
            self.key,
            self.sign * points,
            self.reason.text(),
            success="已登记",
        ):
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, key: str, sign: int) -> bool:
        return cls(ctx, key, sign, parent).exec() == QDialog.DialogCode.Accepted


class ReviewDialog(QDialog):
    """评定: the date, who (支部委员会 / the secretary) and a remark."""

    def __init__(
        self, ctx: AppContext, key: str, a: Assessment | None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.ctx, self.key = ctx, key
        self.setWindowTitle("评定")
        layout = QVBoxLayout(self)
        if a is not None:
            layout.addWidget(
                hint_label(f"{a.title}：合计 {format_points(a.total)} 分，等级 {a.grade_text}。")
            )
        form = QFormLayout()
        self.day = DateEdit(default_year=ctx.ledger.today().year)
        self.day.setObjectName("review_date")
        r = a.review if a is not None else None
        self.day.setDate(r.assessed_on if r and r.assessed_on else ctx.ledger.today())
        form.addRow("评定日期", self.day)
        self.assessor = QLineEdit(r.assessor if r else "")
        self.assessor.setObjectName("review_assessor")
        self.assessor.setPlaceholderText("如：支部委员会 或 书记姓名")
        form.addRow("评定人", self.assessor)
        self.remark = QLineEdit(r.remark if r else "")
        self.remark.setMinimumWidth(320)
        form.addRow("评定意见", self.remark)
        layout.addLayout(form)
        row = QHBoxLayout()
        if r is not None and r.assessed_on:
            undo = QPushButton("撤销评定")
            undo.clicked.connect(self.undo)
            row.addWidget(undo)
        row.addStretch(1)
        row.addWidget(_buttons(self, "评定"))
        layout.addLayout(row)

    def accept(self) -> None:
        try:
            day = self.day.date()
        except ValueError as e:
            show_error(self, f"评定日期：{e}")
            return
        if day is None:
            show_error(self, "请填写评定日期")
            return
        if self.ctx.run(
            self,
            AS.set_review,
            self.key,
            day,
            self.assessor.text(),
            self.remark.text(),
            success="已评定",
        ):
            super().accept()

    def undo(self) -> None:
        if self.ctx.run(self, AS.set_review, self.key, None, "", "", success="已撤销评定"):
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, key: str, a: Assessment | None) -> bool:
        return cls(ctx, key, a, parent).exec() == QDialog.DialogCode.Accepted


TABLE_COLUMNS = ("类别", "评分项目", "评分标准", "分值", "取数")


class CriteriaDialog(QDialog):
    """评分标准: the points table (rows can be added, removed, moved) and the thresholds."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("评分标准")
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label(
                "由支部委员会设定。取数为台账项目的，得分按台账自动算出；其余人工评分。"
                "删除一项会同时删除该项已有的评分。"
            )
        )
        self.grid = QTableWidget(0, len(TABLE_COLUMNS))
        self.grid.setObjectName("criteria_table")
        self.grid.setHorizontalHeaderLabels(TABLE_COLUMNS)
        self.grid.verticalHeader().hide()
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, w in ((0, 76), (1, 190), (3, 50), (4, 130)):
            self.grid.setColumnWidth(col, w)
        layout.addWidget(self.grid, 1)
        row = QHBoxLayout()
        for text, slot in (
            ("添加一项", self.add_row),
            ("删除所选", self.remove_row),
            ("上移", lambda: self.move(-1)),
            ("下移", lambda: self.move(1)),
            ("恢复默认标准", self.restore),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        self.sum_label = QLabel()
        row.addWidget(self.sum_label)
        layout.addLayout(row)

        levels = QHBoxLayout()
        levels.addWidget(QLabel("等级分数线："))
        t = AS.thresholds(ctx.ledger)
        self.levels: dict[str, QDoubleSpinBox] = {}
        for grade, value in (
            (GRADE_MODEL, t.model),
            (GRADE_SOLID, t.solid),
            (GRADE_PASS, t.passing),
        ):
            box = QDoubleSpinBox()
            box.setObjectName(f"threshold_{grade}")
            box.setDecimals(1)
            box.setRange(0.5, 1000)
            box.setSingleStep(1)
            box.setValue(value / 10)
            levels.addWidget(QLabel(f"{grade} ≥"))
            levels.addWidget(box)
            self.levels[grade] = box
        levels.addWidget(QLabel("分，其余为未达标"))
        levels.addStretch(1)
        layout.addLayout(levels)
        layout.addWidget(_buttons(self, "保存"))
        for c in AS.criteria(ctx.ledger):
            self._append(c)
        self.grid.itemChanged.connect(lambda _i: self._sum())
        self._sum()
        self.resize(900, 560)

    def _source_box(self, source: str) -> QComboBox:
        box = QComboBox()
        box.addItem(HAND_LABEL, HAND)
        for s in SOURCES.values():
            box.addItem(s.label, s.key)
            box.setItemData(box.count() - 1, s.rule, Qt.ItemDataRole.ToolTipRole)
        box.setCurrentIndex(max(box.findData(source or HAND), 0))
        return box

    def _append(self, c: Criterion) -> None:
        r = self.grid.rowCount()
        self.grid.insertRow(r)
        self._fill(r, c)

    def _fill(self, r: int, c: Criterion) -> None:
        self.grid.blockSignals(True)
        category = QComboBox()
        category.setEditable(True)
        category.addItems(CATEGORIES)
        category.setCurrentText(c.category)
        self.grid.setCellWidget(r, 0, category)
        name = QTableWidgetItem(c.name)
        name.setData(Qt.ItemDataRole.UserRole, c.id)
        self.grid.setItem(r, 1, name)
        self.grid.setItem(r, 2, QTableWidgetItem(c.standard))
        self.grid.setItem(r, 3, QTableWidgetItem(format_points(c.points)))
        self.grid.setCellWidget(r, 4, self._source_box(c.source))
        self.grid.blockSignals(False)

    def criteria(self) -> list[Criterion]:
        """The table as typed; raises ValueError naming the row of a bad 分值."""
        out = []
        for r in range(self.grid.rowCount()):
            name_item = self.grid.item(r, 1)
            cat = self.grid.cellWidget(r, 0)
            src = self.grid.cellWidget(r, 4)
            try:
                points = parse_points((self.grid.item(r, 3) or QTableWidgetItem("")).text())
            except ValueError as e:
                raise ValueError(f"第{r + 1}项：{e}") from None
            out.append(
                Criterion(
                    name_item.data(Qt.ItemDataRole.UserRole) if name_item else None,
                    cat.currentText().strip() if isinstance(cat, QComboBox) else "",
                    name_item.text().strip() if name_item else "",
                    points,
                    (self.grid.item(r, 2) or QTableWidgetItem("")).text().strip(),
                    src.currentData() if isinstance(src, QComboBox) else HAND,
                    r,
                )
            )
        return out

    def _sum(self) -> None:
        try:
            total = sum(c.points for c in self.criteria())
            self.sum_label.setText(f"共 {self.grid.rowCount()} 项，满分 {format_points(total)} 分")
        except ValueError:
            self.sum_label.setText("分值有误")

    def add_row(self) -> None:
        self._append(Criterion(None, CATEGORIES[0], "", 50))
        self.grid.setCurrentCell(self.grid.rowCount() - 1, 1)
        self.grid.editItem(self.grid.item(self.grid.rowCount() - 1, 1))
        self._sum()

    def remove_row(self) -> None:
        r = self.grid.currentRow()
        if r >= 0:
            self.grid.removeRow(r)
            self._sum()

    def move(self, step: int) -> None:
        r = self.grid.currentRow()
        t = r + step
        if r < 0 or not 0 <= t < self.grid.rowCount():
            return
        try:
            rows = self.criteria()
        except ValueError as e:
            show_error(self, str(e))
            return
        rows[r], rows[t] = rows[t], rows[r]
        for i in (r, t):
            self._fill(i, rows[i])
        self.grid.setCurrentCell(t, 1)

    def restore(self) -> None:
        if not confirm(
            self,
            "恢复默认标准",
            "用程序自带的考评表替换当前的评分标准？同名项目的评分保留。",
            ok="恢复",
        ):
            return
        keep = {(c.category, c.name): c.id for c in AS.criteria(self.ctx.ledger)}
        self.grid.setRowCount(0)
        for c in default_criteria():
            c.id = keep.get(c.key)
            self._append(c)
        for box, v in zip(self.levels.values(), (90, 80, 60)):
            box.setValue(v)
        self._sum()

    def thresholds(self) -> Thresholds:
        m, s, p = (round(box.value() * 10) for box in self.levels.values())
        return Thresholds(m, s, p)

    def accept(self) -> None:
        try:
            table = self.criteria()
        except ValueError as e:
            show_error(self, str(e))
            return
        if self.ctx.run(self, AS.save_table, table, self.thresholds(), success="已保存评分标准"):
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext) -> bool:
        return cls(ctx, parent).exec() == QDialog.DialogCode.Accepted
