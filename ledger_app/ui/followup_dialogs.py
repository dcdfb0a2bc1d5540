"""Dialogs of the 评议与整改 page (issue 18): one member's 等次 with its follow-up, one 整改
item with its evidence files, and picking a problem of the program's 问题清单."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.appraisal import CORRECT, FOLLOWUP_GRADES, GRADES, MEASURES, Appraisal
from ..domain.period import Problem
from ..domain.rectification import (
    DONE,
    FROM_PROBLEMS,
    RECORD_SOURCES,
    SOURCES,
    STATUSES,
    Rectification,
)
from ..errors import UserError, ValidationError
from ..services import appraisal as appraisal_svc
from ..services import rectification as rect_svc
from ..services import roster as roster_service
from .context import AppContext, show_error
from .widgets import (
    STATUS_MISSING,
    STATUS_WARN,
    DateEdit,
    NameCompleter,
    hint_label,
    make_primary,
    set_status_label,
)


def _text(edit) -> str | None:
    value = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
    return value.strip() or None


def _date(edit: DateEdit, label: str) -> dt.date | None:
    try:
        return edit.date()
    except ValueError as e:
        raise ValidationError(label, str(e)) from None


class _EnterSaves(QDialog):
    """Enter saves (Ctrl+Enter inside a text box), Esc cancels."""

    def _wire(self, editors: list[QPlainTextEdit]) -> None:
        for editor in editors:
            editor.setTabChangesFocus(True)
            editor.installEventFilter(self)
        for key in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            QShortcut(QKeySequence(key), self, activated=self.save)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if (
            isinstance(obj, QPlainTextEdit)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save()
            return True
        return super().eventFilter(obj, event)

    def save(self) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


# --- 民主评议 等次 -------------------------------------------------------------------------------


class AppraisalDialog(_EnterSaves):
    """One member's 等次 of a year, with the follow-up of a 基本合格 / 不合格."""

    def __init__(self, ctx: AppContext, appraisal: Appraisal, name: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.appraisal = appraisal
        self.setWindowTitle(f"{appraisal.year}年民主评议 — {name}")
        self.grade = QComboBox()
        self.grade.addItems(GRADES)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("不确定等次须写明原因，如 长期外出、病重")
        self.talk_date = DateEdit(default_year=appraisal.year + 1)
        self.talk_by = QLineEdit()
        NameCompleter.attach(
            self.talk_by, lambda: [m.name for m in roster_service.members(ctx.ledger)]
        )
        self.measure = QComboBox()
        self.measure.addItem("（无）", None)
        for m in MEASURES:
            self.measure.addItem(m, m)
        self.deadline = DateEdit(default_year=appraisal.year + 1)
        self.result_text = QLineEdit()
        self.result_text.setPlaceholderText("限期改正的改正情况")
        form = QFormLayout()
        form.addRow("等次", self.grade)
        form.addRow("说明", self.reason)
        form.addRow(hint_label("基本合格、不合格的党员：谈话提醒，并视情况限期改正或处置。"))
        form.addRow("谈话日期", self.talk_date)
        form.addRow("谈话人", self.talk_by)
        form.addRow("处理", self.measure)
        form.addRow("改正期限", self.deadline)
        form.addRow("改正情况", self.result_text)
        box = QDialogButtonBox()
        self.save_button = make_primary(
            box.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        )
        self.save_button.setDefault(True)  # type: ignore[attr-defined]
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)
        self._wire([])
        self.grade.setCurrentText(appraisal.grade or "合格")
        self.reason.setText(appraisal.reason or "")
        self.talk_date.setDate(appraisal.talk_date)
        self.talk_by.setText(appraisal.talk_by or "")
        self.measure.setCurrentIndex(max(self.measure.findData(appraisal.measure), 0))
        self.deadline.setDate(appraisal.deadline)
        self.result_text.setText(appraisal.result or "")
        self.grade.currentTextChanged.connect(self._enable)
        self.measure.currentIndexChanged.connect(self._enable)
        self._enable()
        self.setMinimumWidth(460)

    def _enable(self) -> None:
        follow = self.grade.currentText() in FOLLOWUP_GRADES
        for w in (self.talk_date, self.talk_by, self.measure):
            w.setEnabled(follow)
        correct = follow and self.measure.currentData() == CORRECT
        self.deadline.setEnabled(correct)
        self.result_text.setEnabled(correct)

    def value(self) -> Appraisal:
        follow = self.grade.currentText() in FOLLOWUP_GRADES
        correct = follow and self.measure.currentData() == CORRECT
        return replace(
            self.appraisal,
            grade=self.grade.currentText(),
            reason=_text(self.reason),
            talk_date=_date(self.talk_date, "谈话日期") if follow else None,
            talk_by=_text(self.talk_by) if follow else None,
            measure=self.measure.currentData() if follow else None,
            deadline=_date(self.deadline, "改正期限") if correct else None,
            result=_text(self.result_text) if correct else None,
        )

    def save(self) -> bool:
        try:
            value = self.value()
        except ValidationError as e:
            show_error(self, e)
            return False
        if not self.ctx.run(self, appraisal_svc.save_grade, value, success="已保存评议等次"):
            return False
        self.accept()
        return True


# --- 整改 -------------------------------------------------------------------------------------


class RectificationDialog(_EnterSaves):
    """Add or edit one 整改 item with its evidence files."""

    def __init__(self, ctx: AppContext, item: Rectification, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self._pending: list[Path] = []
        self._removed: list[int] = []
        self.setWindowTitle("编辑整改事项" if item.id else "新增整改事项")
        self.source = QComboBox()
        self.source.addItems(SOURCES)
        self.record = QComboBox()
        self.record.setToolTip("查摆出这一问题的那次组织生活会或民主评议")
        self.problem_key = QLabel()
        self.problem_key.setProperty("role", "hint")
        self.source_note = QLineEdit()
        self.source_note.setPlaceholderText("如 2025年11月街道党工委督查反馈")
        self.problem = QPlainTextEdit()
        self.problem.setPlaceholderText("存在的问题")
        self.measure = QPlainTextEdit()
        self.measure.setPlaceholderText("整改措施")
        self.owner = QLineEdit()
        NameCompleter.attach(
            self.owner, lambda: [m.name for m in roster_service.members(ctx.ledger)]
        )
        self.found_on = DateEdit()
        self.deadline = DateEdit()
        self.status = QComboBox()
        self.status.addItems(STATUSES)
        self.done_on = DateEdit()
        self.result_text = QPlainTextEdit()
        self.result_text.setPlaceholderText("整改情况：做了什么、成效如何（佐证材料可在下方添加）")
        for edit in (self.problem, self.measure, self.result_text):
            edit.setMinimumHeight(46)
            edit.setMaximumHeight(90)
        self.state = QLabel()  # 逾期 / 将到期, as of today
        self.files = QListWidget()
        self.files.setMaximumHeight(64)
        self.files.itemActivated.connect(self._open_file)
        self.add_file = QPushButton("添加佐证材料…")
        self.remove_file = QPushButton("移除")
        self.add_file.clicked.connect(self._choose_files)
        self.remove_file.clicked.connect(self._remove_file)

        form = QFormLayout()
        form.addRow("来源", self.source)
        form.addRow("来源记录", self.record)
        form.addRow("问题清单", self.problem_key)
        form.addRow("来源说明", self.source_note)
        form.addRow("问题", self.problem)
        form.addRow("整改措施", self.measure)
        dates = QHBoxLayout()
        for label, w in (("责任人", self.owner), ("提出日期", self.found_on)):
            dates.addWidget(QLabel(label))
            dates.addWidget(w, 1)
        form.addRow(dates)
        status = QHBoxLayout()
        for label, w in (
            ("整改时限", self.deadline),
            ("状态", self.status),
            ("完成日期", self.done_on),
        ):
            status.addWidget(QLabel(label))
            status.addWidget(w, 1)
        form.addRow(status)
        form.addRow("", self.state)
        form.addRow("整改情况", self.result_text)
        files = QHBoxLayout()
        files.addWidget(self.files, 1)
        side = QVBoxLayout()
        side.addWidget(self.add_file)
        side.addWidget(self.remove_file)
        side.addStretch(1)
        files.addLayout(side)
        form.addRow("佐证材料", files)
        self._rows = {w: form for w in (self.record, self.problem_key)}
        self.form = form

        box = QDialogButtonBox()
        self.save_button = make_primary(
            box.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        )
        self.save_button.setDefault(True)  # type: ignore[attr-defined]
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        for b in (self.add_file, self.remove_file):
            b.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            hint_label("逾期：过了整改时限仍未完成，按当天自动判断。Ctrl+Enter 保存。")
        )
        layout.addWidget(box)
        self._wire([self.problem, self.measure, self.result_text])
        self._load(item)
        self.source.currentTextChanged.connect(self._on_source)
        self.status.currentTextChanged.connect(self._on_status)
        self.setMinimumWidth(620)

    def _load(self, it: Rectification) -> None:
        self.source.setCurrentText(it.source)
        self.problem.setPlainText(it.problem or "")
        self.measure.setPlainText(it.measure or "")
        self.owner.setText(it.owner or "")
        self.found_on.setDate(it.found_on)
        self.deadline.setDate(it.deadline)
        self.status.setCurrentText(it.status)
        self.done_on.setDate(it.done_on)
        self.result_text.setPlainText(it.result or "")
        self.source_note.setText(it.source_note or "")
        self.problem_key.setText(it.source_key or "")
        self._fill_records()
        self._fill_files()
        self._on_source(it.source)
        self._on_status(it.status)
        today = self.ctx.ledger.today()
        if it.id is not None and it.overdue(today):
            set_status_label(
                self.state, STATUS_MISSING, f"已逾期：整改时限 {it.deadline} 已过，尚未完成"
            )
        elif it.id is not None and it.due_soon(today):
            set_status_label(self.state, STATUS_WARN, f"将到期：整改时限 {it.deadline}")
        else:
            self.state.hide()

    def _fill_records(self) -> None:
        self.record.clear()
        self.record.addItem("（未关联记录）", None)
        year = (self.item.found_on or self.ctx.ledger.today()).year
        seen = set()
        for y in (year, year - 1):
            for rid, label in rect_svc.source_records(
                self.ctx.ledger, self.source.currentText(), y
            ):
                if rid not in seen:
                    seen.add(rid)
                    self.record.addItem(label, rid)
        i = self.record.findData(self.item.record_id)
        if i < 0 and self.item.record_id is not None:
            self.record.addItem(
                rect_svc.record_label(self.ctx.ledger, self.item.record_id), self.item.record_id
            )
            i = self.record.count() - 1
        self.record.setCurrentIndex(max(i, 0))

    def _on_source(self, source: str) -> None:
        has_record = source in RECORD_SOURCES
        if has_record:
            self._fill_records()
        self.form.setRowVisible(self.record, has_record)
        self.form.setRowVisible(self.problem_key, source == FROM_PROBLEMS)

    def _on_status(self, status: str) -> None:
        done = status == DONE
        self.done_on.setEnabled(done)
        if done and not self.done_on.text().strip():
            self.done_on.setDate(self.ctx.ledger.today())
        if not done:
            self.done_on.setDate(None)

    def _fill_files(self) -> None:
        self.files.clear()
        if self.item.id is not None:
            for f in rect_svc.files(self.ctx.ledger, self.item.id):
                if f.id in self._removed:
                    continue
                entry = QListWidgetItem(f"{f.filename}（{f.size // 1024 + 1} KB）")
                entry.setData(Qt.ItemDataRole.UserRole, ("saved", f.id, f.filename))
                self.files.addItem(entry)
        for p in self._pending:
            entry = QListWidgetItem(f"{p.name}（保存后存入台账）")
            entry.setData(Qt.ItemDataRole.UserRole, ("pending", str(p), p.name))
            self.files.addItem(entry)
        self.remove_file.setEnabled(self.files.count() > 0)

    def add_files(self, paths) -> None:
        for p in paths:
            if Path(p) not in self._pending:
                self._pending.append(Path(p))
        self._fill_files()

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "添加佐证材料",
            str(Path.home()),
            "图片、扫描件和文档 (*.jpg *.jpeg *.png *.pdf *.doc *.docx);;所有文件 (*)",
        )
        if paths:
            self.add_files(paths)

    def _remove_file(self) -> None:
        entry = self.files.currentItem()
        if entry is None:
            return
        where, key, _name = entry.data(Qt.ItemDataRole.UserRole)
        if where == "pending":
            self._pending = [p for p in self._pending if str(p) != key]
        else:
            self._removed.append(key)
        self._fill_files()

    def _open_file(self, entry: QListWidgetItem) -> None:
        where, key, name = entry.data(Qt.ItemDataRole.UserRole)
        if where == "pending":
            path = Path(key)
        else:
            path = rect_svc.export_file(
                self.ctx.ledger, key, Path(tempfile.mkdtemp(prefix="taizhang-"))
            )
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def value(self) -> Rectification:
        source = self.source.currentText()
        return replace(
            self.item,
            source=source,
            problem=self.problem.toPlainText().strip(),
            measure=_text(self.measure),
            owner=_text(self.owner),
            found_on=_date(self.found_on, "提出日期"),
            deadline=_date(self.deadline, "整改时限"),
            status=self.status.currentText(),
            done_on=_date(self.done_on, "完成日期") if self.status.currentText() == DONE else None,
            result=_text(self.result_text),
            source_note=_text(self.source_note),
            record_id=self.record.currentData() if source in RECORD_SOURCES else None,
            source_key=self.item.source_key if source == FROM_PROBLEMS else None,
        )

    def save(self) -> bool:
        try:
            value = self.value()
        except ValidationError as e:
            show_error(self, e)
            return False
        ok = self.ctx.run(
            self,
            rect_svc.save_item,
            value,
            add_files=list(self._pending),
            remove_files=list(self._removed),
            success="已保存整改事项",
        )
        if not ok:
            return False
        self.item = value
        self.accept()
        return True


# --- picking a problem of the 问题清单 ----------------------------------------------------------


class ProblemPicker(QDialog):
    """The period's 问题清单 lines that have no 整改 item yet; pick one."""

    def __init__(self, ctx: AppContext, year: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("从问题清单列入整改")
        self.year = QComboBox()
        today = ctx.ledger.today()
        for y in range(today.year, today.year - 4, -1):
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(max(self.year.findData(year), 0))
        self.period = QComboBox()
        self.period.addItem("全年", None)
        for q in range(1, 5):
            self.period.addItem(f"第{'一二三四'[q - 1]}季度", q)
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda _i: self.accept())
        top = QHBoxLayout()
        top.addWidget(QLabel("期间"))
        top.addWidget(self.year)
        top.addWidget(self.period)
        top.addStretch(1)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText("列入整改")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(
            hint_label("程序检查出的问题（未列入整改清单的）：选一项，填写整改措施、责任人和时限。")
        )
        layout.addWidget(self.list, 1)
        layout.addWidget(box)
        self.year.currentIndexChanged.connect(self.reload)
        self.period.currentIndexChanged.connect(self.reload)
        self.resize(620, 440)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        problems = rect_svc.open_problems(
            self.ctx.ledger, self.year.currentData(), self.period.currentData()
        )
        for p in problems:
            entry = QListWidgetItem(f"[{p.category}] {p.when}  {p.what}：{p.detail}")
            entry.setData(Qt.ItemDataRole.UserRole, p)
            self.list.addItem(entry)
        if not problems:
            entry = QListWidgetItem("（这一期间没有未列入整改的问题）")
            entry.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(entry)
        else:
            self.list.setCurrentRow(0)

    def chosen(self) -> Problem | None:
        entry = self.list.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry else None

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None, year: int) -> Problem | None:
        """The problem picked (None: cancelled); tests monkeypatch this."""
        dialog = cls(ctx, year, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()


def new_item_for(ctx: AppContext, source: str, parent, year: int, record_id: int | None = None):
    """An unsaved item to open in the dialog: from a problem (picked), a record, or blank."""
    ledger = ctx.ledger
    try:
        if source == FROM_PROBLEMS:
            problem = ProblemPicker.ask(ctx, parent, year)
            return rect_svc.from_problem(ledger, problem) if problem is not None else None
        if record_id is not None:
            return rect_svc.from_record(ledger, record_id)
        return rect_svc.new_item(ledger, source)
    except UserError as e:
        show_error(parent, e)
        return None
