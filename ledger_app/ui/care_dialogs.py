"""党员关怀 dialogs: a 关怀帮扶 visit, a 表彰 or a 处分 (with the meeting that decided it)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QLineEdit, QWidget

from ..domain import care as K
from ..domain.money import format_fen, parse_yuan
from ..services import care as S
from ..services import roster
from .context import AppContext
from .register_widgets import FormDialog, MeetingBox, MemberField, combo
from .widgets import DateEdit


def _members(ctx: AppContext):
    return roster.members(ctx.ledger)


class VisitDialog(FormDialog):
    """登记 or 修改 a 关怀帮扶 visit."""

    def __init__(
        self, ctx: AppContext, visit: K.CareVisit | None = None, parent: QWidget | None = None
    ):
        super().__init__(ctx, "修改关怀帮扶" if visit else "登记关怀帮扶", parent)
        self.visit = visit
        today = ctx.ledger.today()
        self.member = self.add("姓名", MemberField(lambda: _members(ctx)), required=True)
        self.member.setObjectName("visit_member")
        self.date = self.add("日期", DateEdit(default_year=today.year), required=True)
        self.date.setDate(today)
        self.hardship = self.add("困难类型", combo(K.HARDSHIPS, editable=True))
        self.content = self.add("帮扶内容", QLineEdit(), required=True)
        self.content.setObjectName("visit_content")
        self.content.setPlaceholderText("如 走访慰问、送医送药、帮办实事")
        self.amount = self.add("慰问金(元)", QLineEdit())
        self.amount.setPlaceholderText("如 500")
        self.visitor = self.add("走访人", QLineEdit())
        self.note = self.add("备注", QLineEdit())
        if visit is not None:
            m = roster.member(ctx.ledger, visit.member_id)
            self.member.set_member(m)
            self.date.setDate(visit.date)
            self.hardship.setCurrentText(visit.hardship or "")
            self.content.setText(visit.content or "")
            self.amount.setText(format_fen(visit.amount_fen).replace(",", ""))
            self.visitor.setText(visit.visitor or "")
            self.note.setText(visit.note or "")
        self.ready()

    def save(self) -> bool:
        m = self.member.member()
        if m is None:
            self.fail("姓名", "请从名册中选择党员")
            return False
        day = self.date_of("日期", required=True)
        amount = None
        if self.amount.text().strip():
            try:
                amount = parse_yuan(self.amount.text())
            except ValueError as e:
                self.fail("慰问金(元)", str(e))
                return False
        base = self.visit or K.CareVisit(None, 0, day)
        v = replace(
            base,
            member_id=m.id,
            date=day,
            hardship=self.hardship.currentText(),
            content=self.content.text(),
            amount_fen=amount,
            visitor=self.visitor.text(),
            note=self.note.text(),
        )
        return self.ctx.run(self, S.save_visit, v, success=f"已保存对{m.name}的关怀帮扶记录")


class HonorDialog(FormDialog):
    """登记 or 修改 a 表彰 / 处分 with the decision meeting."""

    def __init__(
        self,
        ctx: AppContext,
        kind: str = K.AWARD,
        honor: K.Honor | None = None,
        parent: QWidget | None = None,
    ):
        kind = honor.kind if honor else kind
        super().__init__(ctx, ("修改" if honor else "登记") + kind, parent)
        self.kind = kind
        self.honor = honor
        today = ctx.ledger.today()
        self.member = self.add("姓名", MemberField(lambda: _members(ctx)), required=True)
        self.member.setObjectName("honor_member")
        self.date = self.add("日期", DateEdit(default_year=today.year), required=True)
        self.date.setDate(today)
        choices = K.AWARDS if kind == K.AWARD else K.PENALTIES
        self.title = self.add(
            "名称" if kind == K.AWARD else "处分", combo(choices, editable=kind == K.AWARD)
        )
        self.title.setObjectName("honor_title")
        self.issuer = self.add("授予或批准单位", QLineEdit())
        self.reason = self.add("事由", QLineEdit())
        self.meeting = self.add("决定会议", MeetingBox())
        self.meeting.setObjectName("honor_meeting")
        self.meeting.load(S.decision_meetings(ctx.ledger, honor.date if honor else today))
        self.note = self.add("备注", QLineEdit())
        if kind == K.PENALTY:
            self.set_hint(
                "处分只在这里登记。留党察看、开除党籍等对党员名册的影响，请在党员名册中用"
                "“变更状态”处理。"
            )
        if honor is not None:
            self.member.set_member(roster.member(ctx.ledger, honor.member_id))
            self.date.setDate(honor.date)
            self.title.setCurrentText(honor.title)
            self.issuer.setText(honor.issuer or "")
            self.reason.setText(honor.reason or "")
            self.meeting.set_value(honor.record_id, honor.meeting)
            self.note.setText(honor.note or "")
        self.ready()

    def save(self) -> bool:
        m = self.member.member()
        if m is None:
            self.fail("姓名", "请从名册中选择党员")
            return False
        day = self.date_of("日期", required=True)
        record_id, written = self.meeting.value()
        base = self.honor or K.Honor(None, 0, self.kind, day, "")
        h = replace(
            base,
            member_id=m.id,
            date=day,
            title=self.title.currentText(),
            issuer=self.issuer.text(),
            reason=self.reason.text(),
            record_id=record_id,
            meeting=written,
            note=self.note.text(),
        )
        return self.ctx.run(self, S.save_honor, h, success=f"已保存{m.name}的{self.kind}记录")
