"""发展党员 dialogs: a person's data (with their 入党申请书 when new), one step (its fields
made from the step's definition: date, people, document, deciding meeting, vote), and
ending or resuming a person's 发展."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from ..domain import development as D
from ..domain import idcard
from ..domain.dates import format_date
from ..domain.models import CATEGORIES, GENDERS
from ..errors import UserError
from ..services import development as S
from ..services import roster
from .context import AppContext, show_error
from .register_widgets import FormDialog, MeetingBox, combo
from .widgets import DateEdit, NameCompleter


class ApplicantDialog(FormDialog):
    """新增入党申请人 (with the date of the 入党申请书) or 编辑个人信息."""

    def __init__(
        self, ctx: AppContext, applicant: D.Applicant | None = None, parent: QWidget | None = None
    ):
        super().__init__(ctx, "编辑个人信息" if applicant else "新增入党申请人", parent)
        self.applicant = applicant
        self.saved_id: int | None = None
        today = ctx.ledger.today()
        self.name = self.add("姓名", QLineEdit(), required=True)
        self.name.setObjectName("applicant_name")
        self.id_number = self.add("公民身份号码", QLineEdit())
        self.id_number.setPlaceholderText("18位，填写后自动带出出生日期和性别")
        self.gender = self.add("性别", combo(GENDERS))
        self.birth = self.add("出生日期", DateEdit(default_year=today.year))
        self.ethnicity = self.add("民族", combo(("汉族", "回族", "满族", "蒙古族", "壮族"), True))
        self.education = self.add(
            "学历", combo(("研究生", "大学本科", "大学专科", "中专", "高中"), True)
        )
        self.category = self.add("人员类别", combo(CATEGORIES, blank=False), column=1)
        self.unit = self.add("工作单位及职务", QLineEdit(), column=1)
        self.phone = self.add("联系电话", QLineEdit(), column=1)
        groups = [g.name for g in roster.groups(ctx.ledger)]
        self.group = self.add("党小组", combo(groups, editable=True), column=1)
        self.group.setToolTip("入党后编入的党小组")
        self.note = self.add("备注", QLineEdit(), column=1)
        self.setMinimumWidth(700)
        self.applied: DateEdit | None = None
        if applicant is None:
            self.applied = self.add(
                "入党申请书日期", DateEdit(default_year=today.year), True, column=1
            )
            self.applied.setObjectName("applicant_applied")
            self.set_hint(
                "年满十八周岁可以申请入党。保存后，程序提醒一个月内派人谈话，并按步骤跟踪到转正。"
            )
        else:
            a = applicant
            self.name.setText(a.name)
            self.id_number.setText(a.id_number or "")
            self.gender.setCurrentText(a.gender or "")
            self.birth.setDate(a.birth_date)
            self.ethnicity.setCurrentText(a.ethnicity or "")
            self.education.setCurrentText(a.education or "")
            self.category.setCurrentText(a.category)
            self.unit.setText(a.unit or "")
            self.phone.setText(a.phone or "")
            self.group.setCurrentText(a.group_name or "")
            self.note.setText(a.note or "")
        self.id_number.editingFinished.connect(self._id_finished)
        self.name.setFocus()
        self.ready()

    def _id_finished(self) -> None:
        n = idcard.normalize(self.id_number.text())
        if len(n) == 18 and not idcard.validate(n):
            if not self.birth.text().strip():
                self.birth.setDate(idcard.birth_date(n))
            if not self.gender.currentText():
                self.gender.setCurrentText(idcard.gender(n))

    def save(self) -> bool:
        birth = self.date_of("出生日期")
        base = self.applicant or D.Applicant(None, "")
        a = replace(
            base,
            name=self.name.text(),
            id_number=idcard.normalize(self.id_number.text()) or None,
            gender=self.gender.currentText() or None,
            birth_date=birth,
            ethnicity=self.ethnicity.currentText(),
            education=self.education.currentText(),
            category=self.category.currentText(),
            unit=self.unit.text(),
            phone=self.phone.text(),
            note=self.note.text(),
        )
        group = self.group.currentText().strip()
        if self.applied is None:
            ok = self.ctx.run(
                self, S.save_applicant, a, group_name=group, success=f"已保存{a.name}的个人信息"
            )
            self.saved_id = a.id if ok else None
            return ok
        applied = self.date_of("入党申请书日期", required=True)
        try:
            self.saved_id = S.add_applicant(self.ctx.ledger, a, applied, group)
        except UserError as e:
            show_error(self, e)
            return False
        self.ctx.notify(S.CHANGED)
        self.ctx.status(f"已登记{a.name.strip()}的入党申请书")
        return True


class StepDialog(FormDialog):
    """登记 (``step`` None) or 修改 one step of one person; the fields are the step's."""

    def __init__(
        self,
        ctx: AppContext,
        progress: D.Progress,
        definition: D.StepDef,
        step: D.Step | None = None,
        parent: QWidget | None = None,
    ):
        verb = "修改" if step else "登记"
        super().__init__(ctx, f"{verb} — {progress.name}：{definition.label}", parent)
        self.progress = progress
        self.d = definition
        self.step = step
        today = ctx.ledger.today()
        self.date = self.add("日期", DateEdit(default_year=today.year), required=True)
        self.date.setObjectName("step_date")
        self.meeting: MeetingBox | None = None
        if definition.meeting:
            self.meeting = self.add("决定会议", MeetingBox())  # type: ignore[assignment]
            self.meeting.setObjectName("step_meeting")
            self.meeting.setToolTip(
                f"选择决定这一步的{'或'.join(definition.meeting)}记录；台账中没有时可照写，"
                "如 2019-05-10 支委会"
            )
            around = step.date if step else today
            self.meeting.load(S.meeting_choices(ctx.ledger, definition.meeting, around))
            self.meeting.currentIndexChanged.connect(self._meeting_chosen)
        self.people: QLineEdit | None = None
        if definition.people:
            self.people = self.add(definition.people, QLineEdit(), definition.people_count > 0)
            self.people.setObjectName("step_people")
            if definition.people_count == 2:
                self.people.setPlaceholderText("两人，用、分隔，如 李明、陈静")
            NameCompleter.attach(self.people, lambda: [m.name for m in roster.members(ctx.ledger)])
        self.document: QLineEdit | None = None
        if definition.document:
            self.document = self.add("材料", QLineEdit())
            self.document.setText(definition.document)
        self.votes: dict[str, QSpinBox] = {}
        self.outcome: QComboBox | None = None
        self.months: QSpinBox | None = None
        if definition.vote:
            for label in ("应到人数", "实到人数", "赞成票", "反对票", "弃权票"):
                box = QSpinBox()
                box.setRange(0, 9999)
                box.setObjectName(f"step_{label}")
                self.votes[label] = self.add(label, box)  # type: ignore[assignment]
            self.votes["应到人数"].setToolTip(
                "应到会有表决权的正式党员人数（选择会议记录后自动带出）"
            )
        if definition.results:
            self.outcome = self.add("结果", combo(definition.results, blank=False))  # type: ignore[assignment]
            self.outcome.setObjectName("step_result")
        if definition.no == D.STEP_CONVERT:
            self.months = self.add("延长月数", QSpinBox())  # type: ignore[assignment]
            self.months.setRange(0, D.MAX_EXTENSION_MONTHS)
            self.months.setToolTip("结果为“延长预备期”时填写，1–12 个月")
        self.note = self.add("备注", QLineEdit())
        rules = "；".join(t.rule for t in definition.timing if t.rule)
        self.set_hint("；".join(x for x in (definition.hint, rules) if x))
        if step is not None:
            self._fill(step)
        self.date.setFocus()
        self.ready()

    def _meeting_chosen(self, _index: int) -> None:
        assert self.meeting is not None
        rec = self.meeting.chosen()
        if rec is None:
            return
        self.date.setDate(rec.date)
        if self.votes and not self.votes["应到人数"].value():
            expected, present = S.vote_counts(self.ctx.ledger, rec.id)  # type: ignore[arg-type]
            self.votes["应到人数"].setValue(expected)
            self.votes["实到人数"].setValue(present)

    def select_meeting(self, record_id: int) -> None:
        """Choose the meeting record ``record_id`` (as a click in the list would)."""
        assert self.meeting is not None
        index = self.meeting.findData(record_id)
        if index >= 0:
            self.meeting.setCurrentIndex(index)

    def _fill(self, s: D.Step) -> None:
        self.date.setDate(s.date)
        if self.meeting is not None:
            self.meeting.set_value(s.record_id, s.meeting)
        if self.people is not None:
            self.people.setText(s.people or "")
        if self.document is not None:
            self.document.setText(s.document or "")
        values = (s.expected, s.present, s.yes, s.no_votes, s.abstain)
        for box, value in zip(self.votes.values(), values):
            box.setValue(value or 0)
        if self.outcome is not None and s.result:
            self.outcome.setCurrentText(s.result)
        if self.months is not None:
            self.months.setValue(s.months or 0)
        self.note.setText(s.note or "")

    def build(self) -> D.Step:
        day = self.date_of("日期", required=True)
        record_id, written = self.meeting.value() if self.meeting is not None else (None, None)
        votes = [box.value() for box in self.votes.values()] or [None] * 5
        s = D.Step(
            self.step.id if self.step else None,
            self.progress.id,  # type: ignore[arg-type]
            self.d.no,
            day,
            people=self.people.text() if self.people is not None else None,
            document=self.document.text() if self.document is not None else None,
            record_id=record_id,
            meeting=written,
            expected=votes[0],
            present=votes[1],
            yes=votes[2],
            no_votes=votes[3],
            abstain=votes[4],
            result=self.outcome.currentText() if self.outcome is not None else None,
            months=(self.months.value() or None) if self.months is not None else None,
            note=self.note.text(),
        )
        return s

    def save(self) -> bool:
        s = self.build()
        message = f"已登记{self.progress.name}：{self.d.name}（{format_date(s.date)}）"
        if s.no == D.STEP_ADMIT and s.result == self.d.positive and self.step is None:
            message += "，已加入党员名册（预备党员）"
        return self.ctx.run(self, S.save_step, s, success=message)


class EndDialog(FormDialog):
    """终止发展: the date and why (停止培养, 本人撤回申请 …)."""

    def __init__(self, ctx: AppContext, progress: D.Progress, parent: QWidget | None = None):
        super().__init__(ctx, f"终止发展 — {progress.name}", parent)
        self.progress = progress
        self.date = self.add("终止日期", DateEdit(default_year=ctx.ledger.today().year), True)
        self.date.setDate(ctx.ledger.today())
        self.reason = self.add("终止原因", combo(D.END_REASONS, editable=True), True)
        self.set_hint("终止后不再提醒此人的发展步骤；登记簿和纪实保留。可以随时恢复。")
        self.ready()

    def save(self) -> bool:
        day = self.date_of("终止日期", required=True)
        return self.ctx.run(
            self,
            S.end_applicant,
            self.progress.id,
            day,
            self.reason.currentText(),
            success=f"已终止{self.progress.name}的发展",
        )
