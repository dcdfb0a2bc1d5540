"""The record form: one dialog for every kind of organisational life, adapting to the kind.

Left: the fields in reading order, the minutes and the attachments; right: the attendance
grid. The line at the bottom shows, live, 应到 / 实到 / 请假 / 缺席, the quorum, 补记 and the
empty "checked" fields (saving is still allowed: the record is then listed as incomplete).
Enter saves (Ctrl+Enter inside the minutes), Esc cancels, unsaved changes are never lost
silently.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from ..domain import compliance
from ..domain.attendance import Roster, expected_members, quorum_met
from ..domain.dates import format_date_cn
from ..domain.minutes import (
    brief_reasons,
    format_votes,
    is_vote_kind,
    parse_votes,
    vote_problems,
)
from ..domain.models import (
    ATTEND_PRESENT,
    MEETING_KINDS,
    THEME_DAY,
    Attendance,
    Member,
    Record,
)
from ..domain.names import split_names
from ..errors import UserError, ValidationError
from ..services import minutes as minutes_svc
from ..services import records as records_service
from ..services import records as svc
from ..services import roster as roster_service
from .attendance_grid import AttendanceGrid
from .context import AppContext, show_error
from .unsaved import GuardedDialog
from .widgets import (
    STATUS_MISSING,
    STATUS_NONE,
    STATUS_OK,
    STATUS_WARN,
    DateEdit,
    NameCompleter,
    hint_label,
    make_primary,
    set_invalid,
    set_status_label,
)

TALK = svc.TALK
FORMS = ("集中学习", "专题研讨", "参观学习", "志愿服务", "重温入党誓词", "观看教育片", "知识测试")
THUMB = QSize(88, 66)


class RecordForm(GuardedDialog, QDialog):
    """Add or edit one record. ``saved`` carries the record id after each save."""

    saved = Signal(int)
    unsaved_what = "这条记录"

    def __init__(self, ctx: AppContext, record: Record, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = ctx.ledger
        self.setWindowTitle("登记记录")
        self.setModal(True)
        self._members: list[Member] = roster_service.members(self.ledger)
        self._roster = Roster(self._members)  # asked again at every change of the lists
        self._groups = roster_service.groups(self.ledger)
        self._kinds = minutes_svc.record_kinds(self.ledger)  # with the branch's own (issue 18)
        self._minutes_rules = minutes_svc.minutes_rules(self.ledger)
        self._pending_files: list[Path] = []
        self._removed_attachments: list[int] = []
        self._talk_ids: list[int] = []
        self._loading = False
        self.saving = False  # inside a save (the list page reads only this record again)
        self._names_day: tuple[dt.date, set[str]] | None = None  # (day, members' names)
        self._build()
        self._load(record)

    # --- construction ----------------------------------------------------------------------

    @classmethod
    def for_new(
        cls, ctx: AppContext, kind: str, parent: QWidget | None = None, **prefill
    ) -> RecordForm:
        return cls(ctx, svc.new_record(ctx.ledger, kind, **prefill), parent)

    @classmethod
    def for_existing(cls, ctx: AppContext, record_id: int, parent: QWidget | None = None):
        record = records_service.record(ctx.ledger, record_id)
        if record is None:
            raise UserError("该记录已不存在。")
        return cls(ctx, record, parent)

    def _build(self) -> None:
        names = self._names
        self.kind = QComboBox()
        self.kind.addItems(self._kinds)
        self.date = DateEdit(required=True)
        self.time = QLineEdit()
        self.time.setPlaceholderText("如 19:30-21:00")
        self.place = QLineEdit()
        self.group = QComboBox()
        self.group.addItem("（请选择党小组）", None)
        for g in self._groups:
            self.group.addItem(g.name, g.id)
        self.host = QLineEdit()
        self.recorder = QLineEdit()
        self.lecturer = QLineEdit()
        self.lecturer.setPlaceholderText("可填外请人员")
        self.lecturer_note = QLabel("（非本支部）")  # a guest lecturer, marked as such
        self.lecturer_note.setProperty("role", "hint")
        self.lecturer_note.setToolTip("授课人不在本支部名册中：外请人员可以这样登记")
        self.lecturer_note.hide()
        self.organizer = QLineEdit()
        self.form = QComboBox()
        self.form.setEditable(True)
        self.form.addItems(FORMS)
        self.form.setCurrentText("")
        self.talk_people = QLineEdit()
        self.talk_people.setPlaceholderText("谈话对象，如 张三、李四（可输拼音首字母）")
        for edit in (self.host, self.recorder, self.lecturer, self.organizer, self.talk_people):
            NameCompleter.attach(edit, names)
        # issue 18: 列席人员 (non-members, with their unit) and 表决 of the decisions
        self.guests = QLineEdit()
        self.guests.setPlaceholderText("非本支部党员，单位写在括号里，如 王五（街道党工委）")
        self.votes = QLineEdit()
        self.votes.setPlaceholderText("如 接收张三为预备党员：同意18，反对0，弃权1（多项用；分隔）")
        self.topic = QLineEdit()
        self.template_button = QToolButton()
        self.template_button.setText("模板")
        self.template_button.setToolTip("选用或保存议题模板")
        # room for the menu arrow: without it the arrow covers "板" (seen at 125 %)
        self.template_button.setStyleSheet("QToolButton { padding: 3px 18px 3px 8px; }")
        self.template_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.template_menu = QMenu(self.template_button)
        self.template_menu.aboutToShow.connect(self._fill_template_menu)
        self.template_button.setMenu(self.template_menu)
        self.also_theme_day = QCheckBox("同时作为本月主题党日")
        self.content = QPlainTextEdit()
        self.decisions = QPlainTextEdit()
        # small minimums so the form fits 1366×768 at 125 % (≈550 px of client height)
        self.content.setMinimumHeight(50)
        self.decisions.setMinimumHeight(50)
        for editor in (self.content, self.decisions):
            editor.setTabChangesFocus(True)
            editor.installEventFilter(self)  # Ctrl+Enter saves from inside the minutes
        self.content.setPlaceholderText("会议的主要内容：传达学习了什么、谁讲了什么、讨论情况……")
        self.decisions.setPlaceholderText("决议事项（没有可不填）")

        self.attachments = QListWidget()
        self.attachments.setViewMode(QListWidget.ViewMode.IconMode)
        self.attachments.setIconSize(THUMB)
        self.attachments.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 30))
        self.attachments.setMovement(QListWidget.Movement.Static)
        self.attachments.setWrapping(False)
        # a row of thumbnails; on a small screen (1366×768 at 125 %) it gives up height
        # first, so that the whole form fits without the window going off the screen
        self.attachments.setMaximumHeight(THUMB.height() + 44)
        self.attachments.setMinimumHeight(THUMB.height() // 2 + 24)
        self.attachments.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.attachments.setFlow(QListWidget.Flow.LeftToRight)
        self.attachments.itemActivated.connect(self._open_attachment)
        self.add_file = QPushButton("添加照片/扫描件…")
        self.remove_file = QPushButton("移除")
        self.save_file = QPushButton("另存为…")
        self.add_file.clicked.connect(self._choose_files)
        self.remove_file.clicked.connect(self._remove_selected_attachment)
        self.save_file.clicked.connect(self._export_selected_attachment)

        self.grid = AttendanceGrid()
        self.grid.counts_label.hide()  # the status line below shows the counts

        self.counts_status = QLabel()
        self.quorum_status = QLabel()
        self.late_status = QLabel()
        self.missing_status = QLabel()
        self.missing_status.setWordWrap(True)

        self.save_button = QPushButton("保存")
        make_primary(self.save_button)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("保存（Enter；在正文中按 Ctrl+Enter）")
        self.save_next_button = QPushButton("保存并新建")
        self.save_next_button.setToolTip("保存后接着登记同类型的下一条")
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setToolTip("取消（Esc）")
        self.history_button = QPushButton("修改记录…")
        self.history_button.setToolTip("这条记录的每一次新增和修改（谁、何时、改了什么）")
        self.history_button.clicked.connect(self.show_history)
        self.print_button = QPushButton("打印")
        self.print_button.setToolTip("打印本次记录（三会一课记录本），或会前打印空白签到表")
        print_menu = QMenu(self.print_button)
        print_menu.addAction("本次记录（三会一课记录本）…").triggered.connect(self.print_book)
        print_menu.addAction("空白签到表（会前打印，会后扫描存入附件）…").triggered.connect(
            self.print_sign_sheet
        )
        self.print_button.setMenu(print_menu)
        for b in (
            self.history_button,
            self.print_button,
            self.save_next_button,
            self.cancel_button,
            self.add_file,
            self.remove_file,
            self.save_file,
            self.grid.all_present,
        ):
            b.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.save_next_button.clicked.connect(self.save_and_new)
        self.cancel_button.clicked.connect(self.reject)

        # fields: label/field pairs, two per line, re-laid out for each kind (_relayout)
        self.fields = QGridLayout()
        self.fields.setHorizontalSpacing(8)
        self.fields.setVerticalSpacing(6)
        self.fields.setColumnStretch(1, 1)
        self.fields.setColumnStretch(3, 1)
        self.topic_box = _field_row(self.topic, self.template_button)
        self.lecturer_box = _field_row(self.lecturer, self.lecturer_note)
        self._labels: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        for key, text, widget, buddy in (
            ("kind", "类型", self.kind, None),
            ("date", "日期", self.date, None),
            ("time", "时间", self.time, None),
            ("place", "地点", self.place, None),
            ("group", "党小组", self.group, None),
            ("host", "主持人", self.host, None),
            ("recorder", "记录人", self.recorder, None),
            ("lecturer", "授课人", self.lecturer_box, self.lecturer),
            ("form", "活动形式", self.form, None),
            ("organizer", "组织人", self.organizer, None),
            ("topic", "议题", self.topic_box, self.topic),
            ("talk", "谈话对象", self.talk_people, None),
            ("guests", "列席人员", self.guests, None),
            ("votes", "表决情况", self.votes, None),
        ):
            label = QLabel(text)
            label.setBuddy(buddy or widget)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._labels[key] = label
            self._fields[key] = widget
        fields = self.fields

        self.content_label = QLabel("主要内容")
        self.content_label.setBuddy(self.content)
        self.decisions_label = QLabel("决议事项")
        self.decisions_label.setBuddy(self.decisions)
        attach_buttons = QHBoxLayout()
        self.attach_label = QLabel("附件")
        attach_buttons.addWidget(self.attach_label)
        attach_buttons.addStretch(1)
        for b in (self.add_file, self.remove_file, self.save_file):
            attach_buttons.addWidget(b)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(fields)
        lv.addWidget(self.content_label)
        lv.addWidget(self.content, 3)
        lv.addWidget(self.decisions_label)
        lv.addWidget(self.decisions, 1)
        lv.addLayout(attach_buttons)
        lv.addWidget(self.attachments)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.attendance_title = QLabel("出勤（应到人员按日期自动列出）")
        self.attendance_title.setStyleSheet("font-weight: bold;")
        rv.addWidget(self.attendance_title)
        rv.addWidget(self.grid, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        status = QHBoxLayout()
        for w in (self.counts_status, self.quorum_status, self.late_status):
            status.addWidget(w)
        status.addWidget(self.missing_status, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(hint_label("Enter 保存 · Esc 取消 · 出勤表中按 1/2/3"), 1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_next_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(status)
        layout.addLayout(buttons)

        self._relayout(self._kinds[0])  # parents every field before the tab order is set
        order = [
            self.kind,
            self.date,
            self.time,
            self.place,
            self.group,
            self.form,
            self.host,
            self.recorder,
            self.lecturer,
            self.organizer,
            self.topic,
            self.template_button,
            self.talk_people,
            self.guests,
            self.votes,
            self.also_theme_day,
            self.content,
            self.decisions,
            self.add_file,
            self.remove_file,
            self.save_file,
            self.attachments,
            self.grid.all_present,
            self.grid.view,
            self.save_next_button,
            self.cancel_button,
            self.save_button,
        ]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

        for key in (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")):
            QShortcut(key, self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)

        self.kind.currentTextChanged.connect(self._on_kind)
        self.group.currentIndexChanged.connect(self._rederive)
        self.date.dateChanged.connect(lambda _d: self._rederive())
        self.talk_people.editingFinished.connect(self._on_talk_people)
        for edit in (self.host, self.recorder, self.organizer):
            # (the field also finishes editing while the closed form is being deleted)
            edit.editingFinished.connect(
                lambda edit=edit: Shiboken.isValid(self) and self._check_person(edit)
            )
        self.lecturer.textChanged.connect(self._mark_guest)
        self.grid.changed.connect(self._update_status)
        for edit in (
            self.topic,
            self.host,
            self.recorder,
            self.lecturer,
            self.organizer,
            self.guests,
            self.votes,
        ):
            edit.textChanged.connect(self._update_status_soon)
        for editor in (self.content, self.decisions):
            editor.textChanged.connect(self._update_status_soon)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(150)
        self._status_timer.timeout.connect(self._update_status)

        screen = QApplication.primaryScreen()
        avail = screen.availableGeometry().size() if screen else QSize(1366, 728)
        self.resize(min(1200, avail.width() - 40), min(700, avail.height() - 40))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if (
            obj in (self.content, self.decisions)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save()
            return True
        return super().eventFilter(obj, event)

    def _names(self) -> list[str]:
        return [m.name for m in self._members]

    # --- loading and collecting --------------------------------------------------------------

    def _load(self, record: Record) -> None:
        self._loading = True
        self._record = record
        self.setWindowTitle(
            f"编辑{record.kind}记录 — {format_date_cn(record.date)}"
            if record.id
            else f"新建{record.kind}记录"
        )
        self.history_button.setVisible(record.id is not None)
        self.kind.setCurrentText(record.kind)
        self.date.default_year = record.date.year
        self.date.setDate(record.date)
        self.time.setText(record.time or "")
        self.place.setText(record.place or "")
        i = self.group.findData(record.group_id)
        self.group.setCurrentIndex(i if i >= 0 else 0)
        self.host.setText(record.host or "")
        self.recorder.setText(record.recorder or "")
        self.lecturer.setText(record.lecturer or "")
        self.organizer.setText(record.organizer or "")
        self.form.setCurrentText(record.form or "")
        self.topic.setText(record.topic or "")
        self.also_theme_day.setChecked(record.also_theme_day)
        self.content.setPlainText(record.content or "")
        self.decisions.setPlainText(record.decisions or "")
        self.guests.setText(record.guests or "")
        self.votes.setText(format_votes(record.votes))
        set_invalid(self.votes, False)
        self._talk_ids = [a.member_id for a in record.attendance] if record.kind == TALK else []
        self.talk_people.setText("、".join(self._name_of(i) for i in self._talk_ids))
        self._pending_files = []
        self._removed_attachments = []
        self.grid.model.set_attendance(record.attendance)
        self._loading = False
        for edit in (self.host, self.recorder, self.organizer):
            self._check_person(edit)  # an imported stranger shows at once
        set_invalid(self.talk_people, False)
        self._on_kind(record.kind)
        self._fill_attachments()
        self.mark_clean()
        self.date.setFocus()
        self.date.selectAll()

    def _name_of(self, member_id: int) -> str:
        for m in self._members:
            if m.id == member_id:
                return m.name
        return f"#{member_id}"

    def _group_id(self) -> int | None:
        return self.group.currentData()

    def _draft(self, strict: bool = False) -> Record:
        """The record as the form shows it. ``strict``: raise ValidationError for an
        unreadable date; otherwise keep the last good date."""
        try:
            day = self.date.date()
        except ValueError as e:
            if strict:
                raise ValidationError("日期", str(e)) from None
            day = None
        kind = self.kind.currentText()
        attendance = self.grid.model.attendance()
        votes: list = []
        if is_vote_kind(kind):
            try:
                votes = parse_votes(self.votes.text())
            except ValueError as e:
                if strict:
                    raise ValidationError("表决情况", str(e)) from None
                votes = list(self._record.votes)
        return replace(
            self._record,
            kind=kind,
            date=day or self._record.date,
            time=self.time.text().strip() or None,
            place=self.place.text(),
            group_id=self._group_id() if kind == "党小组会" else None,
            group_name=self.group.currentText() if kind == "党小组会" else None,
            host=self.host.text(),
            recorder=self.recorder.text() if kind != THEME_DAY else None,
            lecturer=self.lecturer.text() if kind == "党课" else None,
            organizer=self.organizer.text() if kind == THEME_DAY else None,
            form=self.form.currentText() if kind == THEME_DAY else None,
            topic=self.topic.text(),
            also_theme_day=self.also_theme_day.isChecked() and kind in MEETING_KINDS,
            content=self.content.toPlainText(),
            decisions=self.decisions.toPlainText() if kind in MEETING_KINDS else None,
            attendance=attendance,
            guests=self.guests.text() if kind != TALK else None,
            votes=votes,
        )

    def snapshot(self) -> tuple:
        return (
            self.kind.currentText(),
            self.date.text().strip(),
            self.time.text(),
            self.place.text(),
            self._group_id(),
            self.host.text(),
            self.recorder.text(),
            self.lecturer.text(),
            self.organizer.text(),
            self.form.currentText(),
            self.topic.text(),
            self.also_theme_day.isChecked(),
            self.content.toPlainText(),
            self.decisions.toPlainText(),
            self.guests.text(),
            self.votes.text(),
            tuple((a.member_id, a.status, a.reason) for a in self.grid.model.attendance()),
            tuple(self._pending_files),
            tuple(self._removed_attachments),
        )

    # --- adapting to the kind ------------------------------------------------------------------

    def _on_kind(self, kind: str) -> None:
        if self._loading:
            return
        is_meeting = kind in MEETING_KINDS
        self._relayout(kind)
        self.also_theme_day.setVisible(is_meeting)
        self.decisions.setVisible(is_meeting)
        self.decisions_label.setVisible(is_meeting)
        self._labels["host"].setText("谈话人" if kind == TALK else "主持人")
        self._labels["topic"].setText("议题" if is_meeting else "主题")
        self.content_label.setText("活动内容" if kind == THEME_DAY else "主要内容")
        self.content.setPlaceholderText(
            "活动的内容：学习了什么、做了什么、大家的体会……"
            if kind == THEME_DAY
            else "主要内容：传达学习了什么、谁讲了什么、讨论情况……"
        )
        if kind == TALK:
            self.attendance_title.setText("谈话对象（在上方“谈话对象”中填写）")
        elif kind == "支委会":
            self.attendance_title.setText("出勤：支委会应到为支部委员")
        elif kind == "党小组会":
            self.attendance_title.setText("出勤：本党小组成员")
        else:
            self.attendance_title.setText("出勤：当日在册的全体党员")
        self.grid.all_present.setVisible(kind != TALK)
        self._rederive()

    _PAIRED = (
        "kind",
        "date",
        "time",
        "place",
        "group",
        "host",
        "recorder",
        "lecturer",
        "form",
        "organizer",
    )
    _WIDE = ("topic", "talk", "guests", "votes")

    def _visible_fields(self, kind: str) -> set[str]:
        hidden = {"group", "lecturer", "form", "organizer", "talk"}
        if kind == "党小组会":
            hidden.discard("group")
        if kind == "党课":
            hidden.discard("lecturer")
        if kind == THEME_DAY:
            hidden |= {"host", "recorder"}
            hidden -= {"form", "organizer"}
        if kind == TALK:
            hidden.discard("talk")
            hidden.add("guests")
        if not is_vote_kind(kind):
            hidden.add("votes")
        return {k for k in self._fields if k not in hidden}

    def _relayout(self, kind: str) -> None:
        """Lay the visible fields out two per line, in reading order, without holes."""
        visible = self._visible_fields(kind)
        grid = self.fields
        for key in self._fields:
            grid.removeWidget(self._labels[key])
            grid.removeWidget(self._fields[key])
            self._labels[key].setVisible(key in visible)
            self._fields[key].setVisible(key in visible)
        grid.removeWidget(self.also_theme_day)
        row = col = 0
        for key in self._PAIRED:
            if key not in visible:
                continue
            grid.addWidget(self._labels[key], row, col * 2)
            grid.addWidget(self._fields[key], row, col * 2 + 1)
            col += 1
            if col == 2:
                row, col = row + 1, 0
        if col:
            row += 1
        for key in self._WIDE:
            if key in visible:
                grid.addWidget(self._labels[key], row, 0)
                grid.addWidget(self._fields[key], row, 1, 1, 3)
                row += 1
        grid.addWidget(self.also_theme_day, row, 1, 1, 3)
        for key in self._fields:  # hidden ones stay in the dialog (tab order), out of sight
            if key not in visible:
                row += 1
                grid.addWidget(self._labels[key], row, 0)
                grid.addWidget(self._fields[key], row, 1)

    def _rederive(self) -> None:
        """Re-derive the expected list (date, kind or group changed), keeping marks."""
        if self._loading:
            return
        draft = self._draft()
        if draft.kind == TALK:
            marks = {a.member_id: a for a in draft.attendance}
            draft.attendance = [
                marks.get(mid) or Attendance(mid, ATTEND_PRESENT) for mid in self._talk_ids
            ]
        expected = expected_members(draft, self._roster)
        self.grid.blockSignals(True)  # one status update below, not one more on the way
        try:
            self.grid.set_members(expected)
        finally:
            self.grid.blockSignals(False)
        self._update_status()

    def _day(self) -> dt.date:
        try:
            return self.date.date() or self._record.date
        except ValueError:
            return self._record.date

    def _strangers(self, text: str, day: dt.date | None = None) -> list[str]:
        """svc.outsiders, with the day's names worked out once per day (a big roster)."""
        day = day or self._day()
        if self._names_day is None or self._names_day[0] != day:
            self._names_day = (day, svc.names_on(self._members, day))
        return svc.outsiders(text, self._members, day, self._names_day[1])

    def _check_person(self, edit: QLineEdit) -> None:
        """A red frame at once on a name that is not a member (it is refused at save)."""
        strangers = self._strangers(edit.text())
        set_invalid(
            edit,
            bool(strangers),
            "、".join(f"“{n}”不是本支部党员" for n in strangers) + "，请从名册中选择"
            if strangers
            else "",
        )

    def _mark_guest(self) -> None:
        guest = bool(self._strangers(self.lecturer.text()))
        self.lecturer_note.setVisible(guest)

    def _people_problems(self, record: Record) -> list[tuple[QWidget, str]]:
        """(field, message) of every name that must be a member and is not."""
        widgets = {
            "主持人": self.host,
            "谈话人": self.host,
            "记录人": self.recorder,
            "组织人": self.organizer,
        }
        labels = {"host": self._labels["host"].text()}
        out = [(widgets[e.field], str(e)) for e in svc.people_errors(record, self._members, labels)]
        if record.kind == TALK:
            for name in self._strangers(self.talk_people.text(), record.date):
                out.append((self.talk_people, f"谈话对象：“{name}”在当日不是本支部党员"))
        return out

    def _on_talk_people(self) -> None:
        """Resolve the 谈话对象 names to members belonging on the day; they are marked 出席."""
        day = self._day()
        try:
            entries = split_names(self.talk_people.text())
        except ValueError as e:
            set_invalid(self.talk_people, True, str(e))
            return
        ids, problems = [], []
        for name, _reason in entries:
            found = [m for m in self._members if m.name == name and m.belongs_on(day)]
            if len(found) == 1:
                if found[0].id not in ids:
                    ids.append(found[0].id)
            elif not found:
                problems.append(f"“{name}”在当日不是本支部党员")
            else:
                problems.append(f"“{name}”有重名，请在名册中区分")
        set_invalid(self.talk_people, bool(problems), "；".join(problems))
        new = [i for i in ids if i not in self._talk_ids]
        self._talk_ids = ids
        self._rederive()
        rows = [r for r, m in enumerate(self.grid.model.members()) if m.id in new]
        if rows:
            self.grid.model.mark(rows, ATTEND_PRESENT)

    # --- the live status line -----------------------------------------------------------------

    def _update_status_soon(self) -> None:
        self._status_timer.start()

    def _update_status(self) -> None:
        if self._loading:
            return
        draft = self._draft()
        model = self.grid.model
        n, present, leave, absent = model.counts()
        unmarked = model.unmarked_count()
        counts = f"应到 {n}　实到 {present}　请假 {leave}　缺席 {absent}"
        if n and unmarked == n:
            set_status_label(self.counts_status, STATUS_NONE, counts + "（未标记，计缺席）")
        elif unmarked:
            set_status_label(
                self.counts_status, STATUS_WARN, counts + f"（{unmarked} 人未标记，计缺席）"
            )
        else:
            set_status_label(self.counts_status, None, counts)

        quorum = quorum_met(draft, self._roster)
        if draft.kind not in ("支部党员大会", "支委会") or quorum is None:
            set_status_label(self.quorum_status, None, "")
        else:
            voters = [
                m
                for m in model.members()
                if draft.kind == "支委会" or m.is_full_member_on(draft.date)
            ]
            who = "正式党员" if draft.kind == "支部党员大会" else "支委"
            got = sum(1 for m in voters if model.status_of(m.id) == ATTEND_PRESENT)  # type: ignore[arg-type]
            if quorum:
                set_status_label(
                    self.quorum_status, STATUS_OK, f"人数过半（{who} {got}/{len(voters)}）"
                )
            elif n and unmarked == n:
                set_status_label(
                    self.quorum_status, STATUS_NONE, f"法定人数：{who}须过半（待标记）"
                )
            else:
                set_status_label(
                    self.quorum_status,
                    STATUS_MISSING,
                    f"不足法定人数：{who}到会 {got}/{len(voters)}，须过半",
                )

        today = self.ledger.today()
        if svc.is_late_entry(draft, today):
            entered = draft.created_at.date() if draft.created_at else today
            days = (entered - draft.date).days
            set_status_label(self.late_status, STATUS_WARN, f"补记（晚于会议 {days} 天录入）")
        else:
            set_status_label(self.late_status, None, "")

        missing = compliance.missing_fields(draft)
        brief = brief_reasons(draft, self._minutes_rules.get(draft.kind), missing)
        problem = self._votes_problem(draft)
        if problem:  # stops saving: said first
            set_status_label(self.missing_status, STATUS_MISSING, problem)
        elif missing:
            set_status_label(
                self.missing_status,
                STATUS_WARN,
                "不完整，缺：" + "、".join(missing) + "（可先保存，稍后补全）",
            )
        elif brief:
            set_status_label(
                self.missing_status, STATUS_WARN, "记录过简：" + "；".join(brief) + "（可先保存）"
            )
        else:
            set_status_label(self.missing_status, STATUS_OK, "检查项齐全")

    def _votes_problem(self, draft: Record) -> str:
        """表决情况 that cannot be read or has more votes than members present (the field
        is marked red; saving names it)."""
        problem = ""
        if is_vote_kind(draft.kind) and self.votes.text().strip():
            try:
                parse_votes(self.votes.text())
            except ValueError as e:
                problem = f"表决情况：{e}"
        if not problem and draft.attendance:
            present = sum(1 for a in draft.attendance if a.status == ATTEND_PRESENT)
            found = vote_problems(draft, present)
            problem = f"表决情况：{found[0]}" if found else ""
        set_invalid(self.votes, bool(problem), problem)
        return problem

    # --- templates --------------------------------------------------------------------------

    def _fill_template_menu(self) -> None:
        menu = self.template_menu
        menu.clear()
        kind = self.kind.currentText()
        templates = svc.topic_templates(self.ledger, kind)
        if not templates:
            menu.addAction("（还没有模板）").setEnabled(False)
        for t in templates:
            action = menu.addAction(t.title)
            action.triggered.connect(lambda _=False, t=t: self.apply_template(t))
        menu.addSeparator()
        save = menu.addAction("把当前议题存为模板…")
        save.setEnabled(bool(self.topic.text().strip()))
        save.triggered.connect(self._save_template)
        if templates:
            delete = menu.addMenu("删除模板")
            for t in templates:
                action = delete.addAction(t.title)
                action.triggered.connect(lambda _=False, t=t: self._delete_template(t.id))

    def apply_template(self, template) -> None:
        self.topic.setText(template.title)
        if template.body and not self.content.toPlainText().strip():
            self.content.setPlainText(template.body)
        self.topic.setFocus()

    def _save_template(self) -> None:
        title = self.topic.text().strip()
        body = self.content.toPlainText().strip() or None
        if body:
            keep = QMessageBox.question(
                self, "保存模板", "把“主要内容”也存入模板，作为以后的开头吗？"
            )
            if keep != QMessageBox.StandardButton.Yes:
                body = None
        self.ctx.run(
            self, svc.add_topic_template, self.kind.currentText(), title, body, success="模板已保存"
        )

    def _delete_template(self, template_id: int) -> None:
        self.ctx.run(self, svc.delete_topic_template, template_id, success="模板已删除")

    # --- attachments ----------------------------------------------------------------------------

    def _fill_attachments(self) -> None:
        self.attachments.clear()
        file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        if self._record.id is not None:
            for info in svc.attachments(self.ledger, self._record.id):
                if info.id in self._removed_attachments:
                    continue
                icon = file_icon
                if (info.mime or "").startswith("image/"):
                    icon = _thumbnail(svc.attachment_data(self.ledger, info.id)) or file_icon  # type: ignore[arg-type]
                item = QListWidgetItem(icon, _short(info.filename))
                item.setToolTip(f"{info.filename}（{info.size // 1024 + 1} KB）\n双击打开")
                item.setData(Qt.ItemDataRole.UserRole, ("saved", info.id))
                self.attachments.addItem(item)
        for path in self._pending_files:
            icon = file_icon
            try:
                icon = _thumbnail(path.read_bytes()) or file_icon
            except OSError:
                pass
            item = QListWidgetItem(icon, _short(path.name))
            item.setToolTip(f"{path}（保存后存入台账）")
            item.setData(Qt.ItemDataRole.UserRole, ("pending", str(path)))
            self.attachments.addItem(item)
        count = self.attachments.count()
        self.attach_label.setText(f"附件（{count}）" if count else "附件：照片、签到表扫描件")
        self.remove_file.setEnabled(count > 0)
        self.save_file.setEnabled(count > 0)

    def add_files(self, paths) -> None:
        for p in paths:
            path = Path(p)
            if path not in self._pending_files:
                self._pending_files.append(path)
        self._fill_attachments()

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "添加附件",
            str(Path.home()),
            "图片和扫描件 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.pdf);;所有文件 (*)",
        )
        if paths:
            self.add_files(paths)

    def _selected_attachment(self):
        item = self.attachments.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _remove_selected_attachment(self) -> None:
        sel = self._selected_attachment()
        if not sel:
            return
        where, key = sel
        if where == "pending":
            self._pending_files = [p for p in self._pending_files if str(p) != key]
        else:
            self._removed_attachments.append(key)
        self._fill_attachments()

    def _export_selected_attachment(self) -> None:
        sel = self._selected_attachment()
        if not sel or sel[0] != "saved":
            return
        item = self.attachments.currentItem()
        target, _ = QFileDialog.getSaveFileName(
            self, "附件另存为", str(Path.home() / item.toolTip().split("（")[0])
        )
        if target:
            try:
                path = svc.export_attachment(self.ledger, sel[1], target)
            except UserError as e:
                show_error(self, e)
                return
            self.ctx.status(f"附件已保存到 {path}")

    def _open_attachment(self, item: QListWidgetItem) -> None:
        where, key = item.data(Qt.ItemDataRole.UserRole)
        if where == "pending":
            path = Path(key)
        else:
            folder = Path(tempfile.mkdtemp(prefix="taizhang-"))
            path = svc.export_attachment(self.ledger, key, folder)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # --- saving and leaving ----------------------------------------------------------------------

    def save(self) -> bool:
        """Validate and save; True when saved (the dialog then closes)."""
        if not self._save():
            return False
        self.accept()
        return True

    def save_and_new(self) -> bool:
        """Save, then start the next record of the same kind (same group, date cleared)."""
        if not self._save():
            return False
        previous = self._record
        fresh = svc.new_record(
            self.ledger,
            previous.kind,
            previous.date,
            group_id=previous.group_id,
            place=previous.place,
        )
        self._load(fresh)
        return True

    def _save(self) -> bool:
        self.date.editingFinished.emit()  # a date typed but not yet left: re-derive 应到
        try:
            record = self._draft(strict=True)
        except ValidationError as e:
            show_error(self, e)
            (self.votes if e.field == "表决情况" else self.date).setFocus()
            return False
        problems = self._people_problems(record)
        if problems:
            for widget, message in problems:
                set_invalid(widget, True, message)
            show_error(self, UserError("记录有误，未保存：", [m for _w, m in problems]))
            problems[0][0].setFocus()
            problems[0][0].selectAll()  # type: ignore[attr-defined]
            return False
        files = list(self._pending_files)
        removed = list(self._removed_attachments)
        self.saving = True
        try:
            ok = self.ctx.run(
                self,
                svc.save_record,
                record,
                add_files=files,
                remove_attachments=removed,
                members=self._members,
                success=f"已保存：{format_date_cn(record.date)} {record.kind}",
            )
            if not ok:
                return False
            self._record = record
            self._pending_files = []
            self._removed_attachments = []
            self.mark_clean()
            self.history_button.setVisible(True)
            self.saved.emit(record.id)
            return True
        finally:
            self.saving = False

    # --- printing (issue 18) -----------------------------------------------------------------

    def print_book(self) -> None:
        """This record as a page of the 三会一课记录本 (what the form shows, saved or not)."""
        from .print_actions import print_record_book

        try:
            record = self._draft(strict=True)
        except ValidationError as e:
            show_error(self, e)
            return
        print_record_book(self.ctx, self, record)

    def print_sign_sheet(self) -> None:
        """A blank 签到表 for the meeting as planned here (a day to come is fine)."""
        from .print_actions import print_sign_sheet

        try:
            record = self._draft(strict=True)
        except ValidationError as e:
            show_error(self, e)
            return
        print_sign_sheet(self.ctx, self, record)

    def show_history(self) -> None:
        from .history_dialog import HistoryDialog

        r = self._record
        if r.id is None:
            return
        title = f"{format_date_cn(r.date)} {r.kind}"
        HistoryDialog(self.ctx, "record", r.id, title, self).exec()

    def commit(self) -> bool:
        return self.save()

    def record(self) -> Record:
        return self._record

    def members(self) -> list[Member]:
        """The roster as read when the form opened (it cannot change while the form is open:
        the form is modal)."""
        return self._members


def _field_row(field: QWidget, beside: QWidget) -> QWidget:
    """A field with a small widget at its right (a button, a note), as one grid cell."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    row.addWidget(beside)
    return box


def _thumbnail(data: bytes) -> QIcon | None:
    pix = QPixmap()
    if not pix.loadFromData(data):
        return None
    return QIcon(
        pix.scaled(
            THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    )


def _short(name: str, width: int = 12) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def edit_record(ctx: AppContext, parent: QWidget | None, record_id: int) -> bool:
    """Open an existing record; True when it was saved."""
    try:
        form = RecordForm.for_existing(ctx, record_id, parent)
    except UserError as e:
        show_error(parent, e)
        return False
    return form.exec() == QDialog.DialogCode.Accepted


def new_record_dialog(
    ctx: AppContext, parent: QWidget | None, kind: str, date: dt.date | None = None, **prefill
) -> bool:
    """Open the form for a new record of ``kind`` prefilled; True when saved."""
    try:
        form = RecordForm.for_new(ctx, kind, parent, date=date, **prefill)
    except UserError as e:
        show_error(parent, e)
        return False
    return form.exec() == QDialog.DialogCode.Accepted
