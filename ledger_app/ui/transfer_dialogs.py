"""组织关系 dialogs: 转出 (a member on the roster leaves), 转入 (a new member, or one typed in
by hand, arrives), changing a transfer, 流动党员; and the question the roster's 变更状态
asks when the clerk sets 转出 by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from ..domain import idcard
from ..domain import transfers as T
from ..domain.models import ACTIVE, CATEGORIES, GENDERS, MEMBER_TYPES, Member
from ..services import roster
from ..services import transfers as S
from .context import AppContext
from .register_widgets import FormDialog, MemberField, ask_choice, combo
from .widgets import DateEdit


def _on_roll(ctx: AppContext) -> list[Member]:
    return [m for m in roster.members(ctx.ledger) if m.status == ACTIVE]


class TransferDialog(FormDialog):
    """登记转出 (``transfer`` None, ``direction`` 转出) or 修改 a transfer of either kind."""

    def __init__(
        self,
        ctx: AppContext,
        transfer: T.Transfer | None = None,
        member: Member | None = None,
        day: dt.date | None = None,
        parent: QWidget | None = None,
    ):
        direction = transfer.direction if transfer else T.OUT
        title = ("修改组织关系" + direction) if transfer else "登记组织关系转出"
        super().__init__(ctx, title, parent)
        self.transfer = transfer
        today = ctx.ledger.today()
        self.member = self.add("姓名", MemberField(lambda: _on_roll(ctx)), required=True)
        self.member.setObjectName("transfer_member")
        self._date_label = "转出日期" if direction == T.OUT else "转入日期"
        self._receipt_label = "回执日期" if direction == T.OUT else "回执寄回日期"
        self.date = self.add(self._date_label, DateEdit(default_year=today.year), required=True)
        self.date.setObjectName("transfer_date")
        self.letter = self.add("介绍信编号", QLineEdit())
        self.letter.setObjectName("transfer_letter")
        self.org = self.add(T.org_label(direction), QLineEdit())
        self.org.setObjectName("transfer_org")
        self.receipt = self.add(self._receipt_label, DateEdit(default_year=today.year))
        self.receipt.setObjectName("transfer_receipt")
        self.note = self.add("备注", QLineEdit())
        if transfer is not None:
            found = roster.member(ctx.ledger, transfer.member_id)
            self.member.setText(found.name if found else transfer.member_name or "")
            self.member.setEnabled(False)
            self.date.setDate(transfer.date)
            self.letter.setText(transfer.letter_no or "")
            self.org.setText(transfer.org or "")
            self.receipt.setDate(transfer.receipt_date)
            self.note.setText(transfer.note or "")
            self.set_hint("改了日期，党员名册中的日期随之更改。")
        else:
            self.member.set_member(member)
            self.date.setDate(day or today)
            self.set_hint(
                "保存后，该党员在名册中的状态改为“转出”（状态变更日期为转出日期），之前的"
                "会议、党费记录不变。回执返回后在这里填写回执日期。"
            )
        (self.letter if member is not None else self.member).setFocus()
        self.ready()

    def save(self) -> bool:
        day = self.date_of(self._date_label, required=True)
        receipt = self.date_of(self._receipt_label)
        if self.transfer is not None:
            t = replace(
                self.transfer,
                date=day,
                letter_no=self.letter.text(),
                org=self.org.text(),
                receipt_date=receipt,
                note=self.note.text(),
            )
            return self.ctx.run(self, S.update_transfer, t, success="已保存组织关系转接")
        m = self.member.member()
        if m is None:
            self.fail("姓名", "请从名册中选择在册党员")
            return False
        t = T.Transfer(None, T.OUT, m.id, day, self.letter.text(), self.org.text(), receipt)  # type: ignore[arg-type]
        t.note = self.note.text()
        return self.ctx.run(
            self, S.record_out, t, success=f"已登记{m.name}组织关系转出，名册状态已改为转出"
        )


class TransferInDialog(FormDialog):
    """登记组织关系转入: a new member (added to the roster with 转入日期), or one already on
    the roster (typed in by hand) given this transfer."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, "登记组织关系转入", parent)
        today = ctx.ledger.today()
        self.existing = QCheckBox("已在党员名册中（之前手工录入过）")
        self.existing.setObjectName("transfer_existing")
        self.form.addRow("", self.existing)
        self.setMinimumWidth(760)
        self.member = self.add("名册中的党员", MemberField(lambda: self._without_transfer()))
        self.name = self.add("姓名", QLineEdit(), required=True)
        self.name.setObjectName("transfer_in_name")
        self.id_number = self.add("公民身份号码", QLineEdit())
        self.gender = self.add("性别", combo(GENDERS))
        self.member_type = self.add("党员类别", combo(MEMBER_TYPES, blank=False))
        self.join = self.add("入党日期", DateEdit(default_year=today.year), required=True)
        self.join.setObjectName("transfer_in_join")
        self.full = self.add("转正日期", DateEdit(default_year=today.year))
        self.category = self.add("人员类别", combo(CATEGORIES, blank=False))
        groups = [g.name for g in roster.groups(ctx.ledger)]
        self.group = self.add("党小组", combo(groups, editable=True))
        self.phone = self.add("联系电话", QLineEdit())
        self.date = self.add("转入日期", DateEdit(default_year=today.year), True, column=1)
        self.date.setObjectName("transfer_date")
        self.date.setDate(today)
        self.letter = self.add("介绍信编号", QLineEdit(), column=1)
        self.letter.setObjectName("transfer_letter")
        self.org = self.add("原所在党组织", QLineEdit(), column=1)
        self.org.setObjectName("transfer_org")
        self.receipt = self.add("回执寄回日期", DateEdit(default_year=today.year), column=1)
        self.note = self.add("备注", QLineEdit(), column=1)
        self.existing.toggled.connect(self._mode)
        self._mode(False)
        self.set_hint("新党员保存后加入党员名册（转入日期起属于本支部），不用再到名册中录入。")
        self.name.setFocus()
        self.ready()

    def _without_transfer(self) -> list[Member]:
        have = {t.member_id for t in S.transfers(self.ctx.ledger) if t.direction == T.IN}
        return [m for m in _on_roll(self.ctx) if m.id not in have]

    def _mode(self, existing: bool) -> None:
        self.member.setEnabled(existing)
        for key in ("姓名", "公民身份号码", "性别", "党员类别", "入党日期", "转正日期"):
            self.fields[key].setEnabled(not existing)
        for key in ("人员类别", "党小组", "联系电话"):
            self.fields[key].setEnabled(not existing)

    def save(self) -> bool:
        day = self.date_of("转入日期", required=True)
        receipt = self.date_of("回执寄回日期")
        t = T.Transfer(None, T.IN, 0, day, self.letter.text(), self.org.text(), receipt)
        t.note = self.note.text()
        if self.existing.isChecked():
            m = self.member.member()
            if m is None:
                self.fail("名册中的党员", "请从名册中选择")
                return False
            return self.ctx.run(self, S.record_in, t, m, success=f"已登记{m.name}组织关系转入")
        join = self.date_of("入党日期", required=True)
        full = self.date_of("转正日期")
        m = Member(
            None,
            self.name.text().strip(),
            member_type=self.member_type.currentText(),
            join_date=join,
            category=self.category.currentText(),
            gender=self.gender.currentText() or None,
            id_number=idcard.normalize(self.id_number.text()) or None,
            full_date=full,
            phone=self.phone.text().strip() or None,
        )
        return self.ctx.run(
            self,
            S.record_in,
            t,
            m,
            group_name=self.group.currentText().strip(),
            success=f"已登记{m.name}组织关系转入，并加入党员名册",
        )


class FlowDialog(FormDialog):
    """登记 or 修改 a 流动党员: where they are and how they keep in touch."""

    def __init__(self, ctx: AppContext, flow: T.Flow | None = None, parent: QWidget | None = None):
        super().__init__(ctx, "修改流动党员" if flow else "登记流动党员", parent)
        self.flow = flow
        today = ctx.ledger.today()
        self.member = self.add("姓名", MemberField(lambda: _on_roll(ctx)), required=True)
        self.member.setObjectName("flow_member")
        self.start = self.add("外出日期", DateEdit(default_year=today.year), required=True)
        self.end = self.add("返回日期", DateEdit(default_year=today.year))
        self.place = self.add("外出地点", QLineEdit(), required=True)
        self.place.setObjectName("flow_place")
        self.place.setPlaceholderText("城市、单位，或已报到的流入地党组织")
        self.contact = self.add("联系方式", QLineEdit())
        self.contact.setPlaceholderText("如 电话 13800000000；微信群")
        self.card = self.add("活动证编号", QLineEdit())
        self.note = self.add("备注", QLineEdit())
        self.set_hint("组织关系没有转走、暂时在外的党员。返回后填写返回日期。")
        if flow is not None:
            m = roster.member(ctx.ledger, flow.member_id)
            self.member.setText(m.name if m else "")
            self.member.setEnabled(False)
            self.start.setDate(flow.start_date)
            self.end.setDate(flow.end_date)
            self.place.setText(flow.place or "")
            self.contact.setText(flow.contact or "")
            self.card.setText(flow.card_no or "")
            self.note.setText(flow.note or "")
        self.ready()

    def save(self) -> bool:
        start = self.date_of("外出日期", required=True)
        end = self.date_of("返回日期")
        if self.flow is not None:
            member_id = self.flow.member_id
        else:
            m = self.member.member()
            if m is None:
                self.fail("姓名", "请从名册中选择在册党员")
                return False
            member_id = m.id  # type: ignore[assignment]
        f = T.Flow(
            self.flow.id if self.flow else None,
            member_id,
            start,
            end,
            self.place.text(),
            self.contact.text(),
            self.card.text(),
            self.note.text(),
        )
        return self.ctx.run(self, S.save_flow, f, success="已保存流动党员登记")


# --- the roster's 变更状态 ------------------------------------------------------------------------


def status_change_instead(
    parent: QWidget, ctx: AppContext, member: Member, status: str, day: dt.date | None, note: str
) -> bool | None:
    """Asked by the roster's 变更状态 before it saves: setting 转出 by hand offers to record
    the transfer (介绍信, 转往党组织) instead; setting a member who was transferred out back
    to 在册 offers to withdraw the transfer too. True: done here (close the dialog);
    False: change the status only; None: the clerk cancelled."""
    if member.id is None:
        return False
    recorded = [t for t in S.transfers_of(ctx.ledger, member.id) if t.direction == T.OUT]
    if status == T.OUT and not recorded:
        record, only = "登记转出…", "只改状态"
        choice = ask_choice(
            parent,
            "组织关系转出",
            f"{member.name}转出，要同时登记组织关系转出（介绍信编号、转往党组织、回执）吗？",
            (record, only),
        )
        if choice != record:
            return False if choice == only else None
        dialog = TransferDialog(ctx, None, member, day, parent)
        if note:
            dialog.org.setText(note.removeprefix("转往"))
        return True if dialog.exec() else None
    if status == ACTIVE and member.status == T.OUT and recorded:
        both, only = "删除转出登记并恢复在册", "只改状态"
        choice = ask_choice(
            parent,
            "撤销转出",
            f"{member.name}登记过组织关系转出。恢复为在册时，同时删除这条转出登记吗？",
            (both, only),
        )
        if choice != both:
            return False if choice == only else None
        done = ctx.run(
            parent,
            S.delete_transfer,
            recorded[-1].id,
            restore=True,
            success=f"已删除{member.name}的转出登记，恢复为在册",
        )
        return True if done else None
    return False
