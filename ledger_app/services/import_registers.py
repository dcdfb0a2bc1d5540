"""Importing the sheets of 发展党员, 组织关系转接 and 党员关怀 (workbook.registers), with the
importer's guarantees: everything is checked before anything is written, each problem is
reported as ``sheet!cell: message``, importing twice adds nothing, and an exported
workbook imports back to the same registers.

Called from ``services.importer`` (one hook in the analysis, one in the writing), after
the contract sheets: the members and meetings these sheets name may be new in the same
workbook. Decisions:

- People (发展党员) are the same when their 公民身份号码 agree, else their 姓名; a filled
  cell replaces the stored value, a blank one keeps it (as in the roster).
- Steps are the same when person, step and 日期 agree; transfers when member, 类型 and
  日期 do; 流动党员 when member and 外出日期; visits when member, 日期 and 帮扶内容;
  表彰处分 when member, 类型, 日期 and 名称.
- 决定会议 ``2025-03-12 支委会`` links the ledger's record of that day and kind (one in
  the workbook included); when there is none, the text is kept as written.
- A 转出 must agree with the roster (状态 转出 with the same 状态变更日期), a 转入 with the
  member's 转入日期: the roster sheet says who belongs when, these sheets add the letters.
- A person the 支部党员大会 admitted (第15步) is linked to their roster member (by
  公民身份号码, else by 姓名 and 入党日期); one not on the roster is added as in the GUI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ..domain import development as D
from ..domain import idcard
from ..domain import transfers as T
from ..domain.care import HONOR_KINDS, CareVisit, Honor, validate_honor, validate_visit
from ..domain.models import CATEGORIES, GENDERS, RECORD_KINDS, Member, Record
from ..storage import registers_repo as R
from ..workbook import registers as W
from ..workbook.reader import (
    Row,
    Table,
    find_table,
    parse_amount,
    parse_cell_date,
    parse_id_number,
    parse_text,
)

ADDED, UPDATED, PRESENT = "新增", "更新", "已有"


@dataclass
class RegistersPlan:
    """What importing the register sheets would write (objects, linked later by identity:
    members and records new in the workbook get their ids when the import is written)."""

    applicants: list[D.Applicant] = field(default_factory=list)  # new or changed
    steps: list[tuple[D.Applicant, D.Step, Record | None]] = field(default_factory=list)
    links: list[tuple[D.Applicant, Member]] = field(default_factory=list)
    transfers: list[tuple[Member, T.Transfer]] = field(default_factory=list)
    flows: list[tuple[Member, T.Flow]] = field(default_factory=list)
    visits: list[tuple[Member, CareVisit]] = field(default_factory=list)
    honors: list[tuple[Member, Honor, Record | None]] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(
            self.applicants
            or self.steps
            or self.links
            or self.transfers
            or self.flows
            or self.visits
            or self.honors
        )


def _int(value: object) -> int:
    text = parse_text(value) or ""
    try:
        number = int(text.removesuffix("人").removesuffix("票").removesuffix("个月"))
    except ValueError:
        raise ValueError(f'应为整数: "{text}"') from None
    if number < 0:
        raise ValueError(f'不能为负数: "{text}"')
    return number


class RegistersAnalyzer:
    """One analysis of the register sheets, on top of the importer's ``_Analyzer`` (its
    merged roster, its error list, its planned records)."""

    def __init__(self, a: Any, titles: dict[str, str], rows: dict[str, list[tuple]]):
        self.a = a
        self.plan = a.plan
        self.db = a.ledger.db
        self.today = a.ledger.today()
        self.titles = titles
        self.rows = rows
        self.out = RegistersPlan()
        self.applicants = R.rows(self.db, R.APPLICANT)  # as they will be after the import
        self._records: dict[tuple[dt.date, str], list[Record]] | None = None

    def err(self, ref: str, message: str) -> None:
        self.a.err(ref, message)

    def run(self) -> RegistersPlan | None:
        handlers: dict[str, Callable[[Table], None]] = {
            W.DEVELOPMENT: self.people,
            W.STEPS: self.steps,
            W.TRANSFERS: self.transfers,
            W.FLOWS: self.flows,
            W.VISITS: self.visits,
            W.HONORS: self.honors,
        }
        found = False
        for sheet in W.SHEETS:
            title = self.titles.get(sheet)
            if title is None:
                continue
            found = True
            self.plan.counts[sheet] = {ADDED: 0, UPDATED: 0, PRESENT: 0}
            table = find_table(
                title, self.rows.get(title, []), W.COLUMNS[sheet], W.REQUIRED[sheet], self.a.errors
            )
            if table is not None:
                handlers[sheet](table)
        return self.out if found else None

    def count(self, sheet: str, what: str) -> None:
        self.plan.counts[sheet][what] += 1

    # -- cells ----------------------------------------------------------------------------

    def cell(self, row: Row, column: str, parse: Callable, required: bool = False):
        return self.a._cell(row, column, parse, required)

    def date(self, row: Row, column: str, required: bool = False) -> dt.date | None:
        return self.cell(row, column, parse_cell_date, required)

    def member(self, row: Row) -> Member | None:
        """The member a row names (公民身份号码, else 姓名), or None with an error."""
        name = self.cell(row, "姓名", parse_text, required=True)
        id_number = self.cell(row, "公民身份号码", parse_id_number)
        if name is None:
            return None
        from .importer import _Consequence

        try:
            return self.a._consequence(name, lambda: self._member(name, id_number))
        except _Consequence:
            return None  # the roster row of that name is wrong itself: reported there
        except ValueError as e:
            self.err(row.ref("公民身份号码" if id_number else "姓名"), str(e))
            return None

    def _member(self, name: str, id_number: str | None) -> Member:
        a = self.a
        if id_number:
            m = a.by_id_number.get(id_number)
            if m is None:
                raise ValueError(f"公民身份号码“{id_number}”不在党员名册中")
            if m.name != name:
                raise ValueError(f"公民身份号码属于“{m.name}”，与姓名“{name}”不符")
            return m
        found = a.by_name.get(name, [])
        if not found:
            raise ValueError(f"“{name}”不是本支部党员（党员名册中没有此人）")
        if len(found) > 1:
            raise ValueError(f"有多名党员叫“{name}”，请填写公民身份号码以区分")
        return found[0]

    def meeting(self, row: Row, kinds: tuple[str, ...]) -> tuple[Record | None, str | None, bool]:
        """决定会议: (the record it names, the text kept when there is none, ok)."""
        text = row.text("决定会议")
        if text is None:
            return None, None, True
        parsed = D.parse_meeting_label(text)
        if parsed is None:
            return None, text, True  # written some other way: kept as written
        day, kind = parsed
        if kind not in RECORD_KINDS:
            return None, text, True  # "2025-04-10 支委会（书面）": kept as written
        if kinds and kind not in kinds:
            self.err(row.ref("决定会议"), f"应为{'或'.join(kinds)}：“{text}”")
            return None, None, False
        found = self._record_index().get((day, kind), [])
        if len(found) == 1:
            return found[0], None, True
        if len(found) > 1:
            self.plan.warnings.append(
                f"{row.ref('决定会议')}: {text}有 {len(found)} 条记录，未能确定是哪一条，按文字保存"
            )
        return None, D.meeting_label(day, kind), True

    def _record_index(self) -> dict[tuple[dt.date, str], list[Record]]:
        if self._records is None:
            index: dict[tuple[dt.date, str], list[Record]] = {}
            kinds = ("支委会", "支部党员大会")
            for r in self.a.repo.records(kinds=kinds, with_attendance=False):
                index.setdefault((r.date, r.kind), []).append(r)
            for pr in self.plan.records:
                if pr.record.kind in kinds:
                    index.setdefault((pr.record.date, pr.record.kind), []).append(pr.record)
            self._records = index
        return self._records

    # -- 发展党员 ----------------------------------------------------------------------------

    def _applicant(self, name: str, id_number: str | None) -> D.Applicant | None:
        if id_number:
            for x in self.applicants:
                if x.id_number and idcard.normalize(x.id_number) == id_number:
                    return x
            same = [x for x in self.applicants if x.name == name and not x.id_number]
        else:
            same = [x for x in self.applicants if x.name == name]
        if len(same) > 1:
            raise ValueError(f"有多名发展对象叫“{name}”，请填写公民身份号码以区分")
        return same[0] if same else None

    def people(self, table: Table) -> None:
        sheet = W.DEVELOPMENT
        seen: dict[int, int] = {}
        for row in table.rows:
            n = len(self.a.errors)
            name = self.cell(row, "姓名", parse_text, required=True)
            id_number = self.cell(row, "公民身份号码", parse_id_number)
            values: dict[str, Any] = {
                "gender": row.text("性别"),
                "ethnicity": row.text("民族"),
                "birth_date": self.date(row, "出生日期"),
                "education": row.text("学历"),
                "category": row.text("人员类别"),
                "unit": row.text("工作单位及职务"),
                "phone": row.text("联系电话"),
                "group_name": row.text("党小组"),
                "ended_on": self.date(row, "终止日期"),
                "end_reason": row.text("终止原因"),
                "note": row.text("备注"),
            }
            if values["gender"] and values["gender"] not in GENDERS:
                self.err(row.ref("性别"), f'应为 男 或 女: "{values["gender"]}"')
            if values["category"] and values["category"] not in CATEGORIES:
                self.err(row.ref("人员类别"), "应为 " + " / ".join(CATEGORIES))
            if values["ended_on"] and not values["end_reason"]:
                self.err(row.ref("终止原因"), "填写了终止日期，请填写终止原因")
            if name is None or len(self.a.errors) > n:
                continue
            try:
                match = self._applicant(name, id_number)
            except ValueError as e:
                self.err(row.ref("姓名"), str(e))
                continue
            if match is not None:
                if id(match) in seen:
                    self.err(row.ref("姓名"), f"与第{seen[id(match)]}行是同一人（“{name}”）")
                    continue
                person = replace(match, name=name)
            else:
                person = D.Applicant(None, name)
            for k, v in values.items():
                if v is not None:
                    setattr(person, k, v)
            if id_number:
                person.id_number = id_number
            if person.id_number and not person.birth_date:
                person.birth_date = idcard.birth_date(person.id_number)
            if person.id_number and not person.gender:
                person.gender = idcard.gender(person.id_number)
            group = person.group_name
            if group and group not in self.a.group_names:
                self.a.group_names.add(group)
                self.plan.new_groups.append(group)
            seen[id(person)] = row.number
            if match is None:
                self.applicants.append(person)
                self.out.applicants.append(person)
                self.count(sheet, ADDED)
            elif person != match:
                self.applicants[self.applicants.index(match)] = person
                self.out.applicants.append(person)
                self.count(sheet, UPDATED)
            else:
                self.count(sheet, PRESENT)

    # -- 发展党员纪实 --------------------------------------------------------------------------

    def steps(self, table: Table) -> None:
        sheet = W.STEPS
        existing: dict[int, list[D.Step]] = {}
        for s in R.rows(self.db, R.STEP):
            existing.setdefault(s.applicant_id, []).append(s)
        by_person: dict[int, list[tuple[Row, D.Step, Record | None, D.Step | None]]] = {}
        people: dict[int, D.Applicant] = {}
        for row in table.rows:
            n = len(self.a.errors)
            name = self.cell(row, "姓名", parse_text, required=True)
            id_number = self.cell(row, "公民身份号码", parse_id_number)
            raw = row.text("步骤")
            d = D.step_of(raw) if raw else None
            if raw is None:
                self.err(row.ref("步骤"), "步骤不能为空")
            elif d is None:
                self.err(row.ref("步骤"), f"不认识的步骤“{raw}”（应如“第1步 递交入党申请书”）")
            day = self.date(row, "日期", required=True)
            counts = {
                col: self.cell(row, col, _int)
                for col in ("应到人数", "实到人数", "赞成票", "反对票", "弃权票", "延长月数")
            }
            record, written, ok = self.meeting(row, d.meeting if d else ())
            if name is None or d is None or day is None or not ok or len(self.a.errors) > n:
                continue
            try:
                person = self._applicant(name, id_number)
            except ValueError as e:
                self.err(row.ref("姓名"), str(e))
                continue
            if person is None:
                self.err(row.ref("姓名"), f"“{name}”不在发展党员登记簿中（请在“发展党员”表中列出）")
                continue
            if record is not None and record.date != day:
                self.err(row.ref("决定会议"), "会议日期与步骤日期不同")
                continue
            step = D.Step(
                None,
                person.id or 0,
                d.no,
                day,
                people=row.text("相关人员"),
                document=row.text("材料"),
                meeting=written,
                expected=counts["应到人数"],
                present=counts["实到人数"],
                yes=counts["赞成票"],
                no_votes=counts["反对票"],
                abstain=counts["弃权票"],
                result=row.text("结果"),
                months=counts["延长月数"],
                note=row.text("备注"),
            )
            old = None
            if person.id is not None:
                old = next(
                    (s for s in existing.get(person.id, []) if s.no == d.no and s.date == day),
                    None,
                )
            if old is not None:
                step.id = old.id
                step.record_id = record.id if record is not None else None
            key = id(person)
            people[key] = person
            mine = by_person.setdefault(key, [])
            if any(s.no == step.no and s.date == step.date for _, s, _, _ in mine):
                self.err(row.ref("步骤"), "与上面一行是同一步骤（姓名、步骤、日期相同）")
                continue
            mine.append((row, step, record, old))
        members = self.a.members
        for key, rows in by_person.items():
            person = people[key]
            kept = [
                s
                for s in (existing.get(person.id, []) if person.id is not None else [])
                if not any(o is not None and o.id == s.id for _, _, _, o in rows)
            ]
            everyone = kept + [s for _, s, _, _ in rows]
            for row, step, record, old in rows:
                others = [s for s in everyone if s is not step]
                trial = D.Progress(person, others)
                for problem in D.validate_step(trial, step, self.today, members, person.birth_date):
                    self.err(row.ref(_STEP_FIELD.get(problem.field, "步骤")), str(problem))
                if old is not None and _same_step(old, step, record):
                    self.count(sheet, PRESENT)
                    continue
                self.count(sheet, ADDED if old is None else UPDATED)
                self.out.steps.append((person, step, record))
            self._admission(person, D.Progress(person, everyone), rows[0][0])

    def _admission(self, person: D.Applicant, p: D.Progress, row: Row) -> None:
        """Link an admitted person to their roster member (or add them to the roster)."""
        admitted = p.admitted_on
        if admitted is None or person.member_id is not None:
            return
        member = None
        if person.id_number:
            member = self.a.by_id_number.get(idcard.normalize(person.id_number))
        if member is None:
            same = [m for m in self.a.by_name.get(person.name, []) if m.join_date == admitted]
            member = same[0] if len(same) == 1 else None
        if member is None:
            member = D.admitted_member(person, admitted)
            if p.full_on is not None:
                member.member_type, member.full_date = "正式党员", p.full_on
            self.plan.new_members.append(member)
            self.a.members.append(member)
            self.a.by_name.setdefault(member.name, []).append(member)
            self.plan.warnings.append(
                f"{row.ref('姓名')}: {person.name}已由支部党员大会接收（{admitted}），"
                "党员名册中没有此人，将以预备党员身份加入党员名册"
            )
        elif member.join_date != admitted:
            self.plan.warnings.append(
                f"{row.ref('姓名')}: {person.name}的入党日期在党员名册中为"
                f"{member.join_date}，与支部党员大会接收的日期{admitted}不同"
            )
        self.out.links.append((person, member))

    # -- 组织关系转接, 流动党员 ------------------------------------------------------------------

    def transfers(self, table: Table) -> None:
        sheet = W.TRANSFERS
        existing = R.rows(self.db, R.TRANSFER)
        seen: set[tuple[int, str, dt.date]] = set()
        for row in table.rows:
            n = len(self.a.errors)
            direction = row.text("类型")
            if direction is None:
                self.err(row.ref("类型"), "类型不能为空")
            elif direction not in T.DIRECTIONS:
                self.err(row.ref("类型"), f'类型应为 转入 或 转出: "{direction}"')
            day = self.date(row, "日期", required=True)
            receipt = self.date(row, "回执日期")
            m = self.member(row)
            if m is None or day is None or direction not in T.DIRECTIONS or len(self.a.errors) > n:
                continue
            t = T.Transfer(
                None,
                direction,
                m.id or 0,
                day,
                row.text("介绍信编号"),
                row.text("对方党组织"),
                receipt,
                row.text("备注"),
            )
            for f, message in T.validate_transfer(t, None, self.today):
                self.err(row.ref(f if f in W.TRANSFER_COLUMNS else "日期"), message)
            if direction == T.OUT and (m.status != T.OUT or m.status_date != day):
                self.err(
                    row.ref("日期"),
                    f"党员名册中{m.name}的状态为“{m.status}”"
                    + (f"（{m.status_date}）" if m.status_date else "")
                    + f"，与{day}转出不一致",
                )
            if direction == T.IN and m.transfer_in_date != day:
                self.err(
                    row.ref("日期"),
                    f"党员名册中{m.name}的转入日期为“{m.transfer_in_date or '未填'}”，与此不一致",
                )
            if len(self.a.errors) > n:
                continue
            key = (id(m), direction, day)
            if key in seen:
                self.err(row.ref("日期"), "与上面一行是同一次转接（姓名、类型、日期相同）")
                continue
            seen.add(key)
            old = next(
                (
                    x
                    for x in existing
                    if m.id is not None
                    and (x.member_id, x.direction, x.date) == (m.id, direction, day)
                ),
                None,
            )
            self._plan(sheet, self.out.transfers, m, t, old, ("member_name",))

    def _plan(self, sheet: str, into: list, m: Member, obj: Any, old: Any, skip=()) -> None:
        if old is not None:
            obj.id = old.id
            same = all(
                getattr(obj, f) == getattr(old, f)
                for f in obj.__dataclass_fields__
                if f not in ("member_name", "member_id", *skip)
            )
            if same:
                self.count(sheet, PRESENT)
                return
        self.count(sheet, ADDED if old is None else UPDATED)
        into.append((m, obj))

    def flows(self, table: Table) -> None:
        sheet = W.FLOWS
        existing = R.rows(self.db, R.FLOW)
        seen: set[tuple[int, dt.date]] = set()
        for row in table.rows:
            n = len(self.a.errors)
            start = self.date(row, "外出日期", required=True)
            end = self.date(row, "返回日期")
            m = self.member(row)
            if m is None or start is None or len(self.a.errors) > n:
                continue
            f = T.Flow(
                None,
                m.id or 0,
                start,
                end,
                row.text("外出地点"),
                row.text("联系方式"),
                row.text("活动证编号"),
                row.text("备注"),
            )
            for field_, message in T.validate_flow(f, m, self.today):
                self.err(row.ref(field_ if field_ in W.FLOW_COLUMNS else "外出日期"), message)
            if len(self.a.errors) > n:
                continue
            if (id(m), start) in seen:
                self.err(row.ref("外出日期"), "与上面一行是同一次外出（姓名、外出日期相同）")
                continue
            seen.add((id(m), start))
            old = next(
                (
                    x
                    for x in existing
                    if m.id is not None and (x.member_id, x.start_date) == (m.id, start)
                ),
                None,
            )
            self._plan(sheet, self.out.flows, m, f, old)

    # -- 关怀帮扶, 表彰处分 --------------------------------------------------------------------

    def visits(self, table: Table) -> None:
        sheet = W.VISITS
        existing = R.rows(self.db, R.VISIT)
        seen: set[tuple] = set()
        for row in table.rows:
            n = len(self.a.errors)
            day = self.date(row, "日期", required=True)
            amount = self.cell(row, "慰问金(元)", parse_amount)
            m = self.member(row)
            if m is None or day is None or len(self.a.errors) > n:
                continue
            v = CareVisit(
                None,
                m.id or 0,
                day,
                row.text("困难类型"),
                row.text("帮扶内容"),
                amount,
                row.text("走访人"),
                row.text("备注"),
            )
            for field_, message in validate_visit(v, m, self.today):
                column = "慰问金(元)" if field_ == "慰问金" else field_
                self.err(row.ref(column if column in W.VISIT_COLUMNS else "日期"), message)
            if len(self.a.errors) > n:
                continue
            key = (id(m), day, v.content)
            if key in seen:
                self.err(row.ref("日期"), "与上面一行是同一次走访（姓名、日期、帮扶内容相同）")
                continue
            seen.add(key)
            old = next(
                (
                    x
                    for x in existing
                    if m.id is not None
                    and (x.member_id, x.date, x.content) == (m.id, day, v.content)
                ),
                None,
            )
            self._plan(sheet, self.out.visits, m, v, old)

    def honors(self, table: Table) -> None:
        sheet = W.HONORS
        existing = R.rows(self.db, R.HONOR)
        seen: set[tuple] = set()
        for row in table.rows:
            n = len(self.a.errors)
            kind = row.text("类型")
            if kind is not None and kind not in HONOR_KINDS:
                self.err(row.ref("类型"), f'类型应为 表彰 或 处分: "{kind}"')
            elif kind is None:
                self.err(row.ref("类型"), "类型不能为空")
            day = self.date(row, "日期", required=True)
            title = self.cell(row, "名称", parse_text, required=True)
            record, written, ok = self.meeting(row, ("支委会", "支部党员大会"))
            m = self.member(row)
            if m is None or day is None or kind is None or not ok or len(self.a.errors) > n:
                continue
            h = Honor(
                None,
                m.id or 0,
                kind,
                day,
                title or "",
                row.text("授予或批准单位"),
                row.text("事由"),
                None,
                written,
                row.text("备注"),
            )
            for field_, message in validate_honor(h, m, self.today):
                self.err(row.ref(field_ if field_ in W.HONOR_COLUMNS else "日期"), message)
            if record is not None and record.date > day:
                self.err(row.ref("决定会议"), "晚于表彰或处分的日期")
            if len(self.a.errors) > n:
                continue
            key = (id(m), kind, day, h.title)
            if key in seen:
                self.err(row.ref("名称"), "与上面一行相同（姓名、类型、日期、名称相同）")
                continue
            seen.add(key)
            old = next(
                (
                    x
                    for x in existing
                    if m.id is not None
                    and (x.member_id, x.kind, x.date, x.title) == (m.id, kind, day, h.title)
                ),
                None,
            )
            if old is not None:
                h.id = old.id
                h.record_id = record.id if record is not None else None
                if _same_fields(h, old, ("member_name",)):
                    self.count(sheet, PRESENT)
                    continue
            self.count(sheet, ADDED if old is None else UPDATED)
            self.out.honors.append((m, h, record))


_STEP_FIELD = {
    "日期": "日期",
    "步骤": "步骤",
    "结果": "结果",
    "应到人数": "应到人数",
    "实到人数": "实到人数",
    "赞成票": "赞成票",
    "反对票": "反对票",
    "弃权票": "弃权票",
    "延长月数": "延长月数",
    "谈话人": "相关人员",
    "培养联系人": "相关人员",
    "入党介绍人": "相关人员",
    "相关人员": "相关人员",
}


def _same_fields(a: Any, b: Any, skip: tuple[str, ...] = ()) -> bool:
    return all(getattr(a, f) == getattr(b, f) for f in a.__dataclass_fields__ if f not in skip)


def _same_step(old: D.Step, new: D.Step, record: Record | None) -> bool:
    new = replace(new, record_id=record.id if record is not None else None)
    return _same_fields(old, new)


# --- the hooks -----------------------------------------------------------------------------


def analyze(a: Any, titles: dict[str, str], rows: dict[str, list[tuple]]) -> RegistersPlan | None:
    """Check the register sheets of a workbook (after the contract sheets); None when it
    has none of them."""
    return RegistersAnalyzer(a, titles, rows).run()


def apply(ledger: Any, plan: RegistersPlan) -> None:
    """Write the plan (inside the importer's transaction, after members and records)."""
    db = ledger.db
    repo = ledger.repo
    for person in plan.applicants:
        person.group_id = repo.ensure_group(person.group_name) if person.group_name else None
        R.save(db, R.APPLICANT, person)
    for person, step, record in plan.steps:
        step.applicant_id = person.id  # type: ignore[assignment]
        step.record_id = record.id if record is not None else None
        R.save(db, R.STEP, step)
    for person, member in plan.links:
        if person.member_id != member.id:
            person.member_id = member.id
            R.update(db, R.APPLICANT, person)
    for table, items in (
        (R.TRANSFER, plan.transfers),
        (R.FLOW, plan.flows),
        (R.VISIT, plan.visits),
    ):
        for member, obj in items:
            obj.member_id = member.id
            R.save(db, table, obj)
    for member, honor, record in plan.honors:
        honor.member_id = member.id  # type: ignore[assignment]
        honor.record_id = record.id if record is not None else None
        R.save(db, R.HONOR, honor)
