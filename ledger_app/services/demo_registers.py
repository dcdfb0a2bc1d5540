"""The demo branch's 发展党员, 组织关系转接 and 党员关怀 registers (issue 19).

Written last (after the records, dues and volunteer service, so the rest of the demo is
unchanged) and through the services, so every step obeys the rules it shows:

- 肖雅琴, the demo's 预备党员, with her whole 发展 history up to the 支部党员大会 that
  admitted her (a meeting added for it) and her 思想汇报 since;
- three people on the way: an 入党申请人 whose 谈话 is due, an 入党积极分子 close to a
  year of training with one quarter's 思想汇报 missing, and a 发展对象;
- the transfers of 田振宇 (out; its 回执 never came back) and 董佳欣 (in), a 流动党员;
- 关怀帮扶 visits to retired members and a 表彰 decided by a 支部党员大会.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain import development as D
from ..domain.care import CareVisit, Honor
from ..domain.dates import month_end
from ..domain.models import Member, Record
from ..domain.transfers import Flow, Transfer
from . import care, development, transfers
from .demo import PROBATIONARY, TRANSFERRED_IN, TRANSFERRED_OUT

if TYPE_CHECKING:
    from .demo import _Demo


def fill(demo: _Demo) -> None:
    _Registers(demo).write()


class _Registers:
    def __init__(self, demo: _Demo):
        self.demo = demo
        self.ledger = demo.ledger
        self.repo = demo.repo
        self.today = demo.today
        self.committee = [demo.by_name[n] for n in ("李明", "陈静", "王志强", "林秀英")]

    # --- helpers ---------------------------------------------------------------------------

    def meeting(self, kind: str, year: int, month: int) -> Record | None:
        found = self.repo.records(
            [kind], dt.date(year, month, 1), month_end(year, month), with_attendance=False
        )
        return found[0] if found else None

    def decided(self, aid: int, no: int, year: int, month: int, day: int = 15, **kw) -> None:
        """A step decided by a 支委会: on the day of that month's 支委会 when there is one."""
        rec = self.meeting("支委会", year, month)
        when = rec.date if rec is not None else dt.date(year, month, day)
        self.step(aid, no, when, record_id=rec.id if rec is not None else None, **kw)

    def step(self, aid: int, no: int, day: dt.date, **kw) -> None:
        if day < self.today:
            development.save_step(self.ledger, D.Step(None, aid, no, day, **kw))

    def pair(self, day: dt.date) -> str:
        """Two 正式党员 of the committee on ``day`` (培养联系人, 入党介绍人)."""
        pool = [*self.committee, *self.demo.members]
        found = [m.name for m in pool if m.belongs_on(day) and m.is_full_member_on(day)]
        return "、".join(dict.fromkeys(found[:2]))

    def reports(
        self, aid: int, no: int, start: dt.date, end: dt.date, skip=(), since: dt.date | None = None
    ) -> None:
        """A 思想汇报 on the 20th of the last month of every quarter after ``start``'s, before
        ``end`` (and not before ``since``)."""
        y, q = start.year, (start.month - 1) // 3 + 1
        while True:
            y, q = (y + 1, 1) if q == 4 else (y, q + 1)
            day = dt.date(y, q * 3, 20)
            if day >= end or day >= self.today:
                return
            if (y, q) not in skip and (since is None or day >= since):
                self.step(aid, no, day, document="思想汇报")

    def person(self, name: str, gender: str, age: int, **kw) -> D.Applicant:
        demo = self.demo
        birth = dt.date(self.today.year - age, demo.rng.randint(1, 12), demo.rng.randint(1, 28))
        return D.Applicant(
            None,
            name,
            gender=gender,
            ethnicity="汉族",
            birth_date=birth,
            id_number=demo.id_number(birth, gender),
            **kw,
        )

    # --- the registers ---------------------------------------------------------------------

    def write(self) -> None:
        self.probationary()
        self.on_the_way()
        self.relations()
        self.visits_and_honors()

    def probationary(self) -> None:
        """肖雅琴: 申请 about two and a half years before her admission, then every step."""
        demo = self.demo
        m: Member = demo.by_name[PROBATIONARY]
        admitted = m.join_date
        assert admitted is not None
        a = D.Applicant(
            None,
            m.name,
            m.gender,
            m.ethnicity,
            m.birth_date,
            m.id_number,
            m.education,
            m.category,
            "阳光街道办事处科员",
            m.phone,
            m.group_id,
            member_id=m.id,  # on the roster already (the demo's 预备党员)
        )
        applied = D.add_months(admitted, -31)
        aid = development.add_applicant(self.ledger, a, applied)
        self.step(aid, 2, applied + dt.timedelta(days=18), people="李明")
        active = D.add_months(admitted, -28)
        self.decided(aid, 3, active.year, active.month)
        p = development.progress(self.ledger, aid)
        active = p.done(D.STEP_ACTIVIST).date  # type: ignore[union-attr]
        self.step(aid, 4, active + dt.timedelta(days=10))
        self.step(aid, 5, active + dt.timedelta(days=12), people=self.pair(active))
        candidate = D.add_months(admitted, -4)
        self.reports(aid, 6, active, admitted)
        self.decided(aid, 7, candidate.year, candidate.month)
        p = development.progress(self.ledger, aid)
        candidate = p.done(D.STEP_CANDIDATE).date  # type: ignore[union-attr]
        self.step(aid, 8, candidate + dt.timedelta(days=7))
        self.step(aid, 9, candidate + dt.timedelta(days=9), people=self.pair(candidate))
        self.step(aid, 10, candidate + dt.timedelta(days=30), document="政治审查报告")
        self.step(aid, 11, candidate + dt.timedelta(days=40), document="党校培训结业证书")
        review = D.add_months(admitted, -1)
        self.decided(aid, 12, review.year, review.month)
        p = development.progress(self.ledger, aid)
        reviewed = p.done(12).date  # type: ignore[union-attr]
        self.step(aid, 13, reviewed + dt.timedelta(days=3))
        self.step(aid, 14, reviewed + dt.timedelta(days=5), document="入党志愿书")
        # the 支部党员大会 that admitted her (a meeting of its own)
        meeting = Record(
            None,
            "支部党员大会",
            admitted,
            "14:30-15:30",
            "支部活动室",
            "周建国",
            "李明",
            topic=f"讨论接收{m.name}为中共预备党员",
            content="发展对象汇报对党的认识和入党动机；入党介绍人介绍情况；支部委员会报告审查"
            "情况；与会党员充分讨论后无记名投票表决。",
            decisions=f"同意接收{m.name}为中共预备党员，报上级党委审批。",
        )
        demo.add(meeting, late_days=1)
        expected, present = development.vote_counts(self.ledger, meeting.id)  # type: ignore[arg-type]
        self.step(
            aid,
            15,
            admitted,
            record_id=meeting.id,
            expected=expected,
            present=present,
            yes=present,
            no_votes=0,
            abstain=0,
            result="同意接收",
        )
        self.step(aid, 16, admitted + dt.timedelta(days=20), people="街道党工委 王副书记")
        self.step(aid, 17, admitted + dt.timedelta(days=35))
        self.step(aid, 18, admitted + dt.timedelta(days=45))
        self.step(aid, 19, admitted + dt.timedelta(days=36))
        self.step(aid, 20, admitted + dt.timedelta(days=40), note="“七一”集中入党宣誓")
        self.reports(aid, 21, D.add_months(admitted, -3), self.today, since=admitted)

    def on_the_way(self) -> None:
        today = self.today
        g = self.demo.group_ids
        groups = {gid: name for name, gid in zip(("第一党小组", "第二党小组", "第三党小组"), g)}
        # 入党申请人: the 谈话 is due within the month
        a = self.person("韩晓东", "男", 26, education="大学本科", unit="阳光街道社区服务中心")
        development.add_applicant(self.ledger, a, today - dt.timedelta(days=12), groups[g[0]])
        # 入党积极分子 for almost a year; last quarter's 思想汇报 is missing
        a = self.person("苏婉清", "女", 29, education="研究生", unit="阳光街道党政办")
        start = D.add_months(today, -11) - dt.timedelta(days=20)
        aid = development.add_applicant(self.ledger, a, D.add_months(start, -4), groups[g[1]])
        self.step(aid, 2, D.add_months(start, -4) + dt.timedelta(days=15), people="林秀英")
        self.decided(aid, 3, start.year, start.month)
        active = development.progress(self.ledger, aid).done(3).date  # type: ignore[union-attr]
        self.step(aid, 4, active + dt.timedelta(days=8))
        self.step(aid, 5, active + dt.timedelta(days=10), people=self.pair(active))
        last = (today.year, (today.month - 1) // 3) if today.month > 3 else (today.year - 1, 4)
        self.reports(aid, 6, active, today, skip={last})
        # 发展对象 for two months: 介绍人 and 政审 done, 集中培训 still to come
        a = self.person("陆子健", "男", 31, education="大学本科", unit="阳光街道城管科")
        start = D.add_months(today, -16)
        aid = development.add_applicant(self.ledger, a, D.add_months(start, -3), groups[g[2]])
        self.step(aid, 2, D.add_months(start, -3) + dt.timedelta(days=20), people="李明")
        self.decided(aid, 3, start.year, start.month)
        active = development.progress(self.ledger, aid).done(3).date  # type: ignore[union-attr]
        self.step(aid, 5, active + dt.timedelta(days=10), people=self.pair(active))
        candidate = D.add_months(today, -2)
        self.reports(aid, 6, active, today)
        self.decided(aid, 7, candidate.year, candidate.month)
        cand = development.progress(self.ledger, aid).done(7).date  # type: ignore[union-attr]
        self.step(aid, 9, cand + dt.timedelta(days=5), people=self.pair(cand))
        self.step(aid, 10, cand + dt.timedelta(days=25), document="政治审查报告")

    def relations(self) -> None:
        demo = self.demo
        out = demo.by_name[TRANSFERRED_OUT]
        transfers.record_out(
            self.ledger,
            Transfer(
                None,
                "转出",
                out.id,  # type: ignore[arg-type]
                out.status_date,  # type: ignore[arg-type]
                f"阳组转字〔{out.status_date.year}〕第012号",  # type: ignore[union-attr]
                "区财政局机关党支部",
                note="回执未返回，已电话催问",
            ),
        )
        came = demo.by_name[TRANSFERRED_IN]
        day = came.transfer_in_date
        assert day is not None
        transfers.record_in(
            self.ledger,
            Transfer(
                None,
                "转入",
                came.id,  # type: ignore[arg-type]
                day,
                f"市组转字〔{day.year}〕第0456号",
                "市教育局机关第二党支部",
                day + dt.timedelta(days=3),
            ),
            self.repo.member(came.id),  # type: ignore[arg-type]
        )
        student = demo.by_name["彭诗琪"]
        transfers.save_flow(
            self.ledger,
            Flow(
                None,
                student.id,  # type: ignore[arg-type]
                dt.date(demo.first_year, 9, 1),
                None,
                "上海市，在读研究生（所在学院党委已报到）",
                "微信群“阳光街道流动党员之家”；电话 13912345678",
                "流党证2025-017",
            ),
        )

    def visits_and_honors(self) -> None:
        demo, today = self.demo, self.today
        visits = (
            ("唐国庆", "患病", "住院期间看望，送去慰问金和营养品，了解康复情况", 50000, "周建国"),
            (
                "许桂兰",
                "老党员",
                "春节前走访慰问，送上党报党刊，听取对支部工作的意见",
                30000,
                "林秀英",
            ),
            ("邓永福", "生活困难", "帮助申请临时救助，联系社区为其家中加装扶手", None, "李明"),
        )
        for days, (name, hardship, content, amount, visitor) in zip((5, 12, 40), visits):
            day = today - dt.timedelta(days=days)
            care.save_visit(
                self.ledger,
                CareVisit(None, demo.by_name[name].id, day, hardship, content, amount, visitor),  # type: ignore[arg-type]
            )
        meeting = self.meeting("支部党员大会", demo.first_year, 6)
        if meeting is not None:
            care.save_honor(
                self.ledger,
                Honor(
                    None,
                    demo.by_name["陈静"].id,  # type: ignore[arg-type]
                    "表彰",
                    meeting.date,
                    "优秀共产党员",
                    "阳光街道党工委",
                    "带头做好社区志愿服务和宣传工作",
                    meeting.id,
                ),
            )
