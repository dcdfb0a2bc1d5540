"""发展党员: everyone from 入党申请 to 转正, each person's 25 steps with what is due."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain import development as D
from ...domain.dates import format_date
from ...domain.registers import SOURCE_DEVELOPMENT
from ...services import development as S
from ...services.ledger import Changes
from ..context import AppContext, confirm
from ..development_dialogs import ApplicantDialog, EndDialog, StepDialog
from ..register_widgets import (
    RemindersBox,
    RowsModel,
    make_table,
    register_reminders,
    selected_row,
)
from ..widgets import (
    STATUS_MISSING,
    STATUS_NONE,
    STATUS_OK,
    STATUS_WARN,
    hint_label,
    make_primary,
    remember_header,
    status_text,
    title_label,
)

FOLLOWED = "进行中"
ALL = "全部"
FILTERS = (FOLLOWED, *D.STAGES, D.ENDED, ALL)


@dataclass
class StepRow:
    """One row of a person's 纪实: a recorded step, or a step not recorded yet."""

    definition: D.StepDef
    step: D.Step | None
    due: D.Due | None
    ready: bool  # the steps before it are recorded


def step_rows(p: D.Progress, today) -> list[StepRow]:
    dues = {d.step.no: d for d in D.dues(p, today)}
    rows = []
    for d in D.STEPS:
        recorded = p.of(d.no)
        ready = all(p.done(r) is not None for r in d.requires)
        for s in recorded:
            rows.append(StepRow(d, s, None, True))
        if not recorded:
            rows.append(StepRow(d, None, dues.get(d.no), ready))
        elif d.repeat and d.no in dues:
            rows.append(StepRow(d, None, dues[d.no], ready))
    return rows


def _step_state(r: StepRow) -> tuple[str, str]:
    if r.step is not None:
        if r.definition.results and not r.step.positive:
            return STATUS_WARN, r.step.result or ""
        return STATUS_OK, "已完成"
    if r.due is not None:
        kind = {"missing": STATUS_MISSING, "warn": STATUS_WARN}.get(r.due.level, STATUS_NONE)
        word = "逾期" if r.due.level == "missing" else f"{format_date(r.due.due)}前"
        if r.due.level == "info" or r.due.step.no == D.STEP_CANDIDATE:
            word = f"{format_date(r.due.due)}起"
        return kind, word
    return STATUS_NONE, "可登记" if r.ready else "未到"


def _step_cell(r: StepRow, col: int, data) -> str:
    s = r.step
    if col == 0:
        return r.definition.label
    if col == 4:
        return status_text(*_step_state(r))
    if s is None:
        return ""
    if col == 1:
        return format_date(s.date)
    if col == 2:
        return "、".join(x for x in (s.people, s.document) if x)
    if col == 3:
        meeting = data.meeting_text(s.record_id, s.meeting) if data is not None else ""
        vote = f"赞成{s.yes}/应到{s.expected}" if s.expected is not None else ""
        return "；".join(x for x in (meeting, vote, s.result if s.expected else None) if x)
    return ""


class DevelopmentPage(QWidget):
    """发展党员."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        self._data = None  # the registers' data (meeting labels)
        self._shown: int | None = None  # the person whose steps are shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label("发展党员"))
        top.addSpacing(16)
        top.addWidget(QLabel("显示"))
        self.filter = QComboBox()
        self.filter.setObjectName("development_filter")
        self.filter.addItems(FILTERS)
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        top.addWidget(self.filter)
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setObjectName("development_summary")
        top.addWidget(self.summary)
        layout.addLayout(top)

        self.reminders = RemindersBox(ctx)
        layout.addWidget(self.reminders)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 6, 0)
        self.people = RowsModel(
            ("姓名", "阶段", "下一步", "待办"), self._person_cell, self._person_status
        )
        self.people_table = make_table(self.people, "development_people", (58, 80, 110, 56))
        remember_header(self.people_table, "development_people")
        self.people_table.selectionModel().selectionChanged.connect(lambda *_: self._show_person())
        ll.addWidget(self.people_table, 1)
        pb = QHBoxLayout()
        self.add_button = make_primary(QPushButton("新增入党申请人…"))
        self.add_button.clicked.connect(self.add_person)
        self.edit_button = QPushButton("个人信息…")
        self.edit_button.clicked.connect(self.edit_person)
        self.end_button = QPushButton("终止发展…")
        self.end_button.clicked.connect(self.end_person)
        for b in (self.add_button, self.edit_button, self.end_button):
            pb.addWidget(b)
        pb.addStretch(1)
        ll.addLayout(pb)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        self.person_label = QLabel()
        self.person_label.setObjectName("development_person")
        self.person_label.setProperty("role", "section")
        self.person_label.setWordWrap(True)
        rl.addWidget(self.person_label)
        self.steps = RowsModel(
            ("步骤", "日期", "人员、材料", "决定会议和表决", "情况"),
            lambda r, c: _step_cell(r, c, self._data),
            lambda r, c: _step_state(r)[0] if c == 4 else None,
        )
        self.steps_table = make_table(self.steps, "development_steps", (150, 80, 90, 120, 100))
        remember_header(self.steps_table, "development_steps")
        self.steps_table.activated.connect(lambda _i: self.open_step())
        self.steps_table.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        rl.addWidget(self.steps_table, 1)
        sb = QHBoxLayout()
        self.record_button = make_primary(QPushButton("登记此步骤…"))
        self.record_button.setToolTip("登记所选步骤（双击或回车同样）")
        self.record_button.clicked.connect(self.record_step)
        self.change_button = QPushButton("修改…")
        self.change_button.clicked.connect(self.change_step)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_step)
        for b in (self.record_button, self.change_button, self.delete_button):
            sb.addWidget(b)
        sb.addStretch(1)
        sb.addWidget(hint_label("双击或回车登记、修改"))
        rl.addLayout(sb)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([320, 700])
        layout.addWidget(split, 1)
        self.reload()

    # --- data ------------------------------------------------------------------------------

    def _person_cell(self, p: D.Progress, col: int) -> str:
        if col == 0:
            return p.name
        if col == 1:
            return p.stage
        if col == 2:
            nxt = p.next_step()
            return nxt.name if nxt is not None else ""
        kind = self._person_status(p, 3)
        if kind is None:
            return ""
        n = len([d for d in D.dues(p, self.ctx.ledger.today()) if d.level != "info"])
        return status_text(kind, f"{'逾期' if kind == STATUS_MISSING else '待办'} {n}")

    def _person_status(self, p: D.Progress, col: int) -> str | None:
        """逾期 (red) or 待办 (amber) in the 待办 column: what the person's steps need."""
        if col != 3:
            return None
        levels = {d.level for d in D.dues(p, self.ctx.ledger.today())}
        if "missing" in levels:
            return STATUS_MISSING
        return STATUS_WARN if "warn" in levels else None

    def reload(self) -> None:
        current = self.current_person()
        ledger = self.ctx.ledger
        everyone = S.progresses(ledger)
        self._data = _registers(self.ctx)
        want = self.filter.currentText()
        if want == FOLLOWED:  # until 材料归档 (the last step after 转正), unless ended
            shown = [p for p in everyone if p.stage != D.ENDED and p.done(25) is None]
        elif want == ALL:
            shown = everyone
        else:
            shown = [p for p in everyone if p.stage == want]
        order = {s: i for i, s in enumerate((*D.STAGES, D.ENDED))}
        shown.sort(key=lambda p: (order.get(p.stage, 9), p.started or ledger.today(), p.name))
        self.people.load(shown)
        counts = D.stage_counts(everyone, ledger.today())
        self.summary.setText("　".join(f"{s} {n}" for s, n in counts))
        self.reminders.load(register_reminders(self.ctx, SOURCE_DEVELOPMENT))
        if current is not None and current.id is not None:
            self.select_person(current.id)
        elif shown:
            self.people_table.selectRow(0)
        self._show_person()

    def refresh(self, changes: Changes) -> None:
        if changes.registers or changes.members or changes.records:
            self.reload()

    def activate(self, applicant_id: int | None = None, step: int | None = None, **_kw: Any):
        if applicant_id is None:
            return
        if not self.select_person(applicant_id):
            self.filter.setCurrentText(ALL)
            self.select_person(applicant_id)
        if step is not None:
            self.select_step(step)

    def current_person(self) -> D.Progress | None:
        return selected_row(self.people_table)

    def select_person(self, applicant_id: int) -> bool:
        for i, p in enumerate(self.people.rows):
            if p.id == applicant_id:
                self.people_table.selectRow(i)
                return True
        return False

    def select_step(self, no: int) -> bool:
        rows = self.steps.rows
        # the row still to do first (a due 思想汇报), else the step's last row
        found = [i for i, r in enumerate(rows) if r.definition.no == no]
        todo = [i for i in found if rows[i].step is None]
        target = todo[0] if todo else (found[-1] if found else None)
        if target is None:
            return False
        self.steps_table.selectRow(target)
        return True

    def _show_person(self) -> None:
        p = self.current_person()
        today = self.ctx.ledger.today()
        if p is None:
            self.person_label.setText("选择左侧的人查看发展纪实，或新增入党申请人。")
            self.steps.load([])
        else:
            a = p.applicant
            bits = [f"{p.name}（{p.stage}）"]
            if p.started:
                bits.append(f"{format_date(p.started)}递交入党申请书")
            if p.probation_end and p.stage == D.PROBATIONARY:
                bits.append(f"预备期满 {format_date(p.probation_end)}")
            if a.ended_on:
                bits.append(f"{format_date(a.ended_on)}终止：{a.end_reason or ''}")
            if a.member_id:
                bits.append("已进入党员名册")
            self.person_label.setText("　".join(bits))
            selected = selected_row(self.steps_table)
            same_person = self._shown == p.id
            self._shown = p.id
            self.steps.load(step_rows(p, today))
            if not (same_person and selected is not None and self._reselect(selected)):
                self._select_next()
        self._buttons()

    def _reselect(self, old: StepRow) -> bool:
        for i, r in enumerate(self.steps.rows):
            if old.step is not None and r.step is not None and r.step.id == old.step.id:
                self.steps_table.selectRow(i)
                return True
            if old.step is None and r.step is None and r.definition == old.definition:
                self.steps_table.selectRow(i)
                return True
        return False

    def _select_next(self) -> None:
        """Put the cursor on what is to be done next: a step due, else the next one."""
        rows = self.steps.rows
        due = [i for i, r in enumerate(rows) if r.step is None and r.due is not None]
        ready = [i for i, r in enumerate(rows) if r.step is None and r.ready]
        target = (due or ready or [None])[0]
        if target is not None:
            self.steps_table.selectRow(target)
            self.steps_table.scrollTo(self.steps.index(target, 0))

    def _buttons(self) -> None:
        p = self.current_person()
        r = selected_row(self.steps_table)
        self.edit_button.setEnabled(p is not None)
        self.end_button.setEnabled(p is not None)
        if p is not None:
            self.end_button.setText("恢复发展" if p.applicant.ended_on else "终止发展…")
        active = p is not None and not p.applicant.ended_on
        can_add = (
            active
            and r is not None
            and (r.step is None or r.definition.repeat or r.definition.no == D.STEP_CONVERT)
        )
        self.record_button.setEnabled(bool(can_add))
        self.change_button.setEnabled(r is not None and r.step is not None)
        self.delete_button.setEnabled(r is not None and r.step is not None)

    # --- actions ---------------------------------------------------------------------------

    def add_person(self) -> None:
        dialog = ApplicantDialog(self.ctx, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.filter.setCurrentText(FOLLOWED)
            self.select_person(dialog.saved_id)

    def edit_person(self) -> None:
        p = self.current_person()
        if p is not None:
            ApplicantDialog(self.ctx, p.applicant, self).exec()

    def end_person(self) -> None:
        p = self.current_person()
        if p is None:
            return
        if p.applicant.ended_on:
            if confirm(self, "恢复发展", f"恢复{p.name}的发展，继续跟踪其步骤？", ok="恢复"):
                self.ctx.run(self, S.end_applicant, p.id, None, None, success="已恢复")
            return
        EndDialog(self.ctx, p, self).exec()

    def open_step(self) -> None:
        r = selected_row(self.steps_table)
        if r is None:
            return
        if r.step is not None:
            self.change_step()
        else:
            self.record_step()

    def record_step(self) -> None:
        p, r = self.current_person(), selected_row(self.steps_table)
        if p is None or r is None or not self.record_button.isEnabled():
            return
        StepDialog(self.ctx, p, r.definition, None, self).exec()

    def change_step(self) -> None:
        p, r = self.current_person(), selected_row(self.steps_table)
        if p is None or r is None or r.step is None:
            return
        StepDialog(self.ctx, p, r.definition, r.step, self).exec()

    def delete_step(self) -> None:
        p, r = self.current_person(), selected_row(self.steps_table)
        if p is None or r is None or r.step is None:
            return
        text = f"删除{p.name}的“{r.definition.name}”（{format_date(r.step.date)}）？"
        if confirm(self, "删除步骤", text, ok="删除"):
            self.ctx.run(self, S.delete_step, r.step.id, success="已删除")


def _registers(ctx: AppContext):
    """The registers' data of the period model (meeting labels), loaded once per change."""
    from ...services.period import load

    return load(ctx.ledger, ctx.ledger.today().year).inputs.registers
