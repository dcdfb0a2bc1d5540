"""Add or edit one member: every roster field, checked as you type, errors beside the field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import idcard
from ..domain.dates import format_date
from ..domain.models import ACTIVE, CATEGORIES, GENDERS, MEMBER_TYPES, POSTS, Member
from ..services import roster
from ..services import roster as roster_service
from .context import AppContext
from .unsaved import GuardedDialog
from .widgets import DateEdit, hint_label, make_primary, set_invalid

ETHNICITIES = (
    "汉族",
    "回族",
    "满族",
    "蒙古族",
    "壮族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "土家族",
)
EDUCATIONS = ("研究生", "大学本科", "大学专科", "中专", "高中", "初中及以下")


def _combo(
    items: tuple[str, ...] | list[str], editable: bool = False, blank: bool = True
) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    if editable:
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems(([""] if blank else []) + list(items))
    return box


class MemberDialog(GuardedDialog, QDialog):
    """``MemberDialog(ctx, member_or_None)``; saves through services/roster on 保存 and stays
    open (errors shown beside the fields) until the member is valid."""

    unsaved_what = "党员信息"

    def __init__(self, ctx: AppContext, member: Member | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.member = member
        self.saved_id: int | None = None
        self.setWindowTitle(f"编辑党员 — {member.name}" if member else "新增党员")
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

        today = ctx.ledger.today()
        self.name = QLineEdit()
        self.name.setMaxLength(40)
        self.gender = _combo(GENDERS)
        self.ethnicity = _combo(ETHNICITIES, editable=True)
        self.birth_date = DateEdit(default_year=today.year)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(20)
        self.id_number.setPlaceholderText("18位，填写后自动带出出生日期和性别")
        self.education = _combo(EDUCATIONS, editable=True)
        self.phone = QLineEdit()
        self.phone.setMaxLength(30)
        self.member_type = _combo(MEMBER_TYPES, blank=False)
        self.join_date = DateEdit(default_year=today.year)
        self.full_date = DateEdit(default_year=today.year)
        self.full_date.setPlaceholderText("预备党员转正后填写")
        self.category = _combo(CATEGORIES, blank=False)
        groups = [g.name for g in roster_service.groups(ctx.ledger)]
        self.group = _combo(groups, editable=True)
        self.group.lineEdit().setPlaceholderText("选择或输入新党小组")
        self.post = _combo(POSTS, editable=True)
        self.post.lineEdit().setPlaceholderText("可填多个，如 书记、纪检委员")
        self.transfer_in = DateEdit(default_year=today.year)
        self.transfer_in.setPlaceholderText("从其他支部转入时填写")
        self.note = QLineEdit()

        layout = QVBoxLayout(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        left = (
            ("姓名", self.name, True),
            ("性别", self.gender, False),
            ("民族", self.ethnicity, False),
            ("出生日期", self.birth_date, False),
            ("公民身份号码", self.id_number, False),
            ("学历", self.education, False),
            ("联系电话", self.phone, False),
        )
        right = (
            ("党员类别", self.member_type, True),
            ("入党日期", self.join_date, True),
            ("转正日期", self.full_date, False),
            ("人员类别", self.category, True),
            ("党小组", self.group, False),
            ("党内职务", self.post, False),
            ("转入日期", self.transfer_in, False),
        )
        for col, rows in ((0, left), (2, right)):
            for i, (label, widget, required) in enumerate(rows):
                self._add_field(grid, 2 * i, col, label, widget, required)
        self._add_field(grid, 14, 0, "备注", self.note, False, span=3)
        # issue 18: leading cadres give a 党课 every year (the 工作台 and check remind)
        self.leading_cadre = QCheckBox("党员领导干部（每年至少讲 1 次党课）")
        self.leading_cadre.setToolTip("标记后，工作台和检查会提醒其每年至少讲一次党课")
        grid.addWidget(self.leading_cadre, 16, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)

        if member is not None:
            layout.addWidget(self._history_box(member))

        self.summary = QLabel()
        self.summary.setProperty("role", "error")
        self.summary.setWordWrap(True)
        self.summary.hide()
        layout.addWidget(self.summary)
        layout.addWidget(hint_label("带 * 的为必填项。回车保存，Esc 取消。"))
        box = QDialogButtonBox()
        self.save_button = make_primary(
            box.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        )
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.history_button = None
        if member is not None and member.id is not None:
            self.history_button = box.addButton("修改记录…", QDialogButtonBox.ButtonRole.HelpRole)
            self.history_button.setAutoDefault(False)
            self.history_button.setToolTip("该党员信息及其党费、志愿服务的每一次新增和修改")
            self.history_button.clicked.connect(self.show_history)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

        self.id_number.textChanged.connect(self._id_typed)
        self.id_number.editingFinished.connect(self._id_finished)
        self.name.textEdited.connect(lambda _t: self._clear_error("姓名"))
        for key, edit in (
            ("入党日期", self.join_date),
            ("出生日期", self.birth_date),
            ("转正日期", self.full_date),
            ("转入日期", self.transfer_in),
        ):
            edit.editingFinished.connect(lambda key=key, edit=edit: self._date_finished(key, edit))

        if member is not None:
            self._fill(member)
        self.mark_clean()
        self.setMinimumWidth(720)
        self.name.setFocus()

    def show_history(self) -> None:
        from .history_dialog import HistoryDialog

        if self.member is not None and self.member.id is not None:
            HistoryDialog(self.ctx, "member", self.member.id, self.member.name, self).exec()

    # --- layout helpers ------------------------------------------------------------------------

    def _add_field(
        self,
        grid: QGridLayout,
        row: int,
        col: int,
        label: str,
        widget: QWidget,
        required: bool,
        span: int = 1,
    ) -> None:
        text = f"{label} *" if required else label
        lab = QLabel(text)
        lab.setBuddy(widget)
        if required:
            lab.setToolTip("必填")
        grid.addWidget(lab, row, col)
        grid.addWidget(widget, row, col + 1, 1, span)
        err = QLabel()
        err.setProperty("role", "error")
        err.setWordWrap(True)
        err.hide()
        grid.addWidget(err, row + 1, col + 1, 1, span)
        self.fields[label] = widget
        self.errors[label] = err

    def _history_box(self, member: Member) -> QWidget:
        wrap = QWidget()
        v = QVBoxLayout(wrap)
        v.setContentsMargins(0, 6, 0, 0)
        status = member.status
        if member.status != ACTIVE and member.status_date:
            status += f"（{format_date(member.status_date)}）"
        v.addWidget(QLabel(f"状态：{status}　　（在名册中用“变更状态”修改）"))
        assert member.id is not None
        history = roster_service.status_history(self.ctx.ledger, member.id)
        table = QTableWidget(len(history), 4)
        table.setObjectName("status_history")
        table.setHorizontalHeaderLabels(["状态", "日期", "备注", "记录时间"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 80), (1, 100), (3, 140)):
            table.setColumnWidth(col, width)
        table.verticalHeader().setDefaultSectionSize(24)
        for r, h in enumerate(history):
            recorded = (h.recorded_at or "").replace("T", " ")[:16]
            for c, text in enumerate((h.status, format_date(h.date), h.note or "", recorded)):
                table.setItem(r, c, QTableWidgetItem(text))
        shown_rows = min(max(len(history), 1), 4)
        table.setFixedHeight(24 * shown_rows + header.sizeHint().height() + 4)
        v.addWidget(QLabel("状态历史"))
        v.addWidget(table)
        return wrap

    # --- values --------------------------------------------------------------------------------

    def _fill(self, m: Member) -> None:
        self.name.setText(m.name)
        self.gender.setCurrentText(m.gender or "")
        self.ethnicity.setCurrentText(m.ethnicity or "")
        self.birth_date.setDate(m.birth_date)
        self.id_number.blockSignals(True)
        self.id_number.setText(m.id_number or "")
        self.id_number.blockSignals(False)
        self.education.setCurrentText(m.education or "")
        self.phone.setText(m.phone or "")
        self.member_type.setCurrentText(m.member_type)
        self.join_date.setDate(m.join_date)
        self.full_date.setDate(m.full_date)
        self.category.setCurrentText(m.category)
        self.group.setCurrentText(m.group_name or "")
        self.post.setCurrentText(m.post or "")
        self.transfer_in.setDate(m.transfer_in_date)
        self.note.setText(m.note or "")
        self.leading_cadre.setChecked(m.leading_cadre)

    def snapshot(self) -> tuple[str, ...]:
        out = []
        for w in self.fields.values():
            out.append(w.currentText() if isinstance(w, QComboBox) else w.text())  # type: ignore[attr-defined]
        out.append(str(self.leading_cadre.isChecked()))
        return tuple(out)

    # --- validation as you type ----------------------------------------------------------------

    def show_error(self, field: str, message: str) -> None:
        label = self.errors.get(field)
        widget = self.fields.get(field)
        if label is None or widget is None:
            self.summary.setText(f"{field}：{message}")
            self.summary.show()
            return
        label.setText(message)
        label.show()
        target = (
            widget.lineEdit() if isinstance(widget, QComboBox) and widget.isEditable() else widget
        )
        set_invalid(target, True, message)

    def _clear_error(self, field: str) -> None:
        label = self.errors.get(field)
        widget = self.fields.get(field)
        if label is not None:
            label.clear()
            label.hide()
        if widget is not None:
            target = (
                widget.lineEdit()
                if isinstance(widget, QComboBox) and widget.isEditable()
                else widget
            )
            set_invalid(target, False)

    def error_text(self, field: str) -> str:
        """What is shown beside ``field`` (empty when it is fine)."""
        label = self.errors[field]
        return label.text() if not label.isHidden() else ""

    def _id_typed(self, text: str) -> None:
        n = idcard.normalize(text)
        if len(n) < 18:
            self._clear_error("公民身份号码")
            return
        self._check_id(n)

    def _id_finished(self) -> None:
        n = idcard.normalize(self.id_number.text())
        if n:
            self._check_id(n)
        else:
            self._clear_error("公民身份号码")

    def _check_id(self, n: str) -> None:
        problem = idcard.validate(n)
        if problem:
            self.show_error("公民身份号码", problem + "，请核对")
            return
        self._clear_error("公民身份号码")
        if not self.birth_date.text().strip():
            self.birth_date.setDate(idcard.birth_date(n))
        if not self.gender.currentText():
            self.gender.setCurrentText(idcard.gender(n))

    def _date_finished(self, key: str, edit: DateEdit) -> None:
        try:
            edit.date()
        except ValueError as e:
            self.show_error(key, str(e))
            return
        self._clear_error(key)

    # --- save ----------------------------------------------------------------------------------

    def build_member(self) -> tuple[Member | None, dict[str, str]]:
        """The member as typed, or the problems found reading the fields."""
        problems: dict[str, str] = {}
        dates: dict[str, Any] = {}
        for key, edit in (
            ("出生日期", self.birth_date),
            ("入党日期", self.join_date),
            ("转正日期", self.full_date),
            ("转入日期", self.transfer_in),
        ):
            try:
                dates[key] = edit.date()
            except ValueError as e:
                problems[key] = f"{e}，请按 2025-03-07 的格式填写"
        if problems:
            return None, problems
        old = self.member
        m = Member(
            id=old.id if old else None,
            name=self.name.text().strip(),
            member_type=self.member_type.currentText(),
            join_date=dates["入党日期"],
            category=self.category.currentText(),
            gender=self.gender.currentText() or None,
            ethnicity=self.ethnicity.currentText().strip() or None,
            birth_date=dates["出生日期"],
            id_number=idcard.normalize(self.id_number.text()) or None,
            education=self.education.currentText().strip() or None,
            full_date=dates["转正日期"],
            group_id=old.group_id if old else None,
            group_name=self.group.currentText().strip() or None,
            post=self.post.currentText().strip() or None,
            phone=self.phone.text().strip() or None,
            status=old.status if old else ACTIVE,
            status_date=old.status_date if old else None,
            transfer_in_date=dates["转入日期"],
            note=self.note.text().strip() or None,
            leading_cadre=self.leading_cadre.isChecked(),
        )
        return m, {}

    def commit(self) -> bool:
        return self.save()

    def save(self) -> bool:
        """Check and save; True when saved (the dialog then closes)."""
        for field in self.errors:
            self._clear_error(field)
        self.summary.hide()
        m, problems = self.build_member()
        if m is None:
            for field, message in problems.items():
                self.show_error(field, message)
            self._focus_first(problems)
            return False
        others = roster_service.members(self.ctx.ledger)
        found = roster.validate_member(roster.fill_from_id_number(m), others)
        if found:
            for e in found:
                self.show_error(e.field, _advice(e.field, e.reason))
            self._focus_first({e.field: e.reason for e in found})
            return False
        verb = "修改" if m.id is not None else "新增"
        if not self.ctx.run(
            self,
            roster.save_member,
            m,
            group_name=m.group_name or "",
            success=f"已{verb}党员 {m.name}",
        ):
            return False
        self.saved_id = m.id if m.id is not None else self._find_saved(m)
        self.mark_clean()
        self.accept()
        return True

    def _find_saved(self, m: Member) -> int | None:
        candidates = [
            x
            for x in roster_service.members(self.ctx.ledger)
            if (m.id_number and x.id_number == m.id_number)
            or (not m.id_number and x.name == m.name)
        ]
        return max((x.id for x in candidates if x.id is not None), default=None)

    def _focus_first(self, problems: dict[str, str]) -> None:
        for field, widget in self.fields.items():
            if field in problems:
                widget.setFocus()
                return


def _advice(field: str, reason: str) -> str:
    """The service's reason, phrased as what to do."""
    if reason == "不能为空":
        return f"请填写{field}"
    return reason
