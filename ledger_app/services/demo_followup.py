"""The demo branch's part of issue 18: 学习教育 with its rules, the leading cadres, 列席人员
and 表决 at a meeting, one record too brief, last year's 民主评议 with its grades and
follow-up, and an 整改清单 with a done, an open and an overdue item.

Written by ``services.demo`` after everything else (so the demo's other rows are as they
were); nothing here adds a gap to ``check``: the 学习教育 rules are met every month."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain.appraisal import Appraisal
from ..domain.dates import month_end
from ..domain.minutes import MinutesRule, rules_to_text
from ..domain.models import ATTEND_PRESENT, FrequencyRule, Record, Vote
from ..domain.rectification import Rectification
from ..storage import followup_repo
from .minutes import CADRE_KEY, MINUTES_KEY

if TYPE_CHECKING:
    from .demo import _Demo

CADRES = ("周建国", "林秀英")  # 林秀英 gives no 党课: the board and check say so
STUDY = (
    "学习习近平新时代中国特色社会主义思想",
    "学习《中国共产党章程》",
    "学习党的二十届三中全会精神",
    "学习《中国共产党纪律处分条例》",
)
TALKS = ("交流学习体会，查找差距不足", "结合岗位谈践行宗旨的打算", "围绕为民办实事交流发言")


def write_followup(demo: _Demo) -> None:
    repo, today, year = demo.repo, demo.today, demo.first_year
    repo.set_rule(FrequencyRule("集中学习", "month", 1))
    repo.set_rule(FrequencyRule("交流研讨", "quarter", 1))
    repo.set_setting(CADRE_KEY, "flagged")
    repo.set_setting(
        MINUTES_KEY,
        rules_to_text(
            [
                MinutesRule("支委会", 20, ("议题", "决议事项")),
                MinutesRule("党课", 20, ("授课人",)),
                MinutesRule("组织生活会", 30, ("查摆问题", "批评与自我批评")),
            ]
        ),
    )
    for name in CADRES:
        m = demo.by_name[name]
        m.leading_cadre = True
        repo.update_member(m)
    _study(demo)
    _meeting_details(demo)
    _appraisal(demo, year)
    _rectification(demo, year, today)


def _study(demo: _Demo) -> None:
    host, recorder = demo.by_name["陈静"], demo.by_name["李明"]
    for i, (y, m) in enumerate(demo.months()):
        day = dt.date(y, m, min(26, month_end(y, m).day))
        demo.add(
            Record(
                None,
                "集中学习",
                day,
                "15:00-16:30",
                "支部活动室",
                host.name,
                recorder.name,
                topic=STUDY[i % len(STUDY)],
                content="宣传委员领学原文，党员逐段交流学习体会，联系工作实际谈认识。",
            )
        )
        if m % 3 == 2:
            demo.add(
                Record(
                    None,
                    "交流研讨",
                    dt.date(y, m, min(27, month_end(y, m).day)),
                    "15:00-17:00",
                    "三楼会议室",
                    host.name,
                    recorder.name,
                    topic=TALKS[i % len(TALKS)],
                    content="党员逐一交流发言，支部书记点评，提出下一步学习要求。",
                )
            )


def _meeting_details(demo: _Demo) -> None:
    """列席人员 and 表决 at the latest 党员大会; the latest 支委会 made too brief."""
    repo = demo.repo
    meetings = repo.records(kinds=["支部党员大会"])
    if meetings:
        r = meetings[-1]
        present = sum(1 for a in r.attendance if a.status == ATTEND_PRESENT)
        r.guests = "王红（阳光街道党工委组织办）"
        r.votes = [Vote("通过本季度工作总结和下季度工作安排", max(present - 1, 0), 0, 1)]
        repo.update_record(r)
    committee = repo.records(kinds=["支委会"])
    if committee:
        r = committee[-1]
        r.content, r.decisions = "研究工作。", None
        repo.update_record(r)


def _appraisal(demo: _Demo, year: int) -> None:
    from ..domain.appraisal import appraisal_figures

    records = demo.repo.records(kinds=["民主评议党员"])
    fig = appraisal_figures(year, [], demo.members, records, 300, demo.today)
    meeting = fig.meeting
    if meeting is None:
        return
    special = {
        "周建国": ("优秀", {}),
        "李明": ("优秀", {}),
        "赵丽华": ("优秀", {}),
        "胡雪梅": ("优秀", {}),
        "彭诗琪": ("不确定等次", {"reason": "在外地实习，未能参加评议"}),
        "郭子豪": ("基本合格", {}),  # no 谈话 yet: the board reminds
        "高文博": (
            "不合格",
            {
                "talk_date": meeting.date + dt.timedelta(days=5),
                "talk_by": "周建国",
                "measure": "限期改正",
                "deadline": meeting.date + dt.timedelta(days=90),
            },
        ),
    }
    for m in fig.expected:
        grade, extra = special.get(m.name, ("合格", {}))
        followup_repo.save_appraisal(demo.repo.db, Appraisal(None, year, m.id, grade, **extra))  # type: ignore[arg-type]


def _rectification(demo: _Demo, year: int, today: dt.date) -> None:
    db = demo.repo.db
    life = demo.repo.records(
        kinds=["组织生活会"], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )
    items = [
        Rectification(
            None,
            "问题清单",
            f"{year}年4月 支委会：应开 1 次，实开 0 次",
            measure="5月初补开支委会，研究4月工作并补记原因说明",
            owner="李明",
            deadline=dt.date(year, 5, 15),
            status="已完成",
            done_on=dt.date(year, 5, 8),
            result="已于5月8日召开支委会，会议记录已归档",
            source_key=f"gap:支委会:{year}-04",
            found_on=dt.date(year, 5, 6),
        ),
        Rectification(
            None,
            "上级检查反馈",
            "部分党小组会记录过于简单，未记录党员发言情况",
            measure="各党小组记录人按模板记录发言要点，组织委员每月抽查",
            owner="李明",
            deadline=today - dt.timedelta(days=10),  # overdue: the board shows it
            status="整改中",
            source_note="阳光街道党工委季度检查反馈",
            found_on=today - dt.timedelta(days=60),
        ),
    ]
    if life:
        items.append(
            Rectification(
                None,
                "组织生活会",
                "理论学习不够系统，学习笔记记得少",
                measure="制定年度学习计划，每月集中学习后交流笔记",
                owner="陈静",
                deadline=life[-1].date + dt.timedelta(days=120),
                status="整改中",
                record_id=life[-1].id,
                found_on=life[-1].date,
            )
        )
    for it in items:
        followup_repo.add_rectification(db, it)
