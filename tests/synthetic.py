"""Synthetic branches of any size and shape, built in memory as the period model's inputs
(no database): for laying out the PDF of many branches quickly.

``synthetic(n, seed=…)`` gives a :class:`PeriodModel`; the keyword arguments choose the
shape: how many 党小组, long names and leave reasons, how many leave, members who left,
a year or a quarter, a year under way.
"""

from __future__ import annotations

import datetime as dt
import random

from ledger_app.domain.dates import Period
from ledger_app.domain.models import (
    DEFAULT_RULES,
    ROUND_FEN,
    Attendance,
    Branch,
    DuesSetting,
    Group,
    Member,
    Record,
    VolunteerEntry,
)
from ledger_app.domain.period import PeriodInputs, PeriodModel

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉萍红玲芬燕彬斌宇浩凯健俊帆宁龙林欣"
LONG = ["欧阳娜仁托雅", "买买提·艾力·阿不都热合曼", "司马长风", "爱新觉罗·启明", "诸葛慧珊"]
REASONS = ["病假", "事假", "公差", "因单位安排赴外地参加为期两周的业务培训，已书面向支部书记请假"]
POSTS = ["组织委员", "书记", "宣传委员", "纪检委员", "副书记"]  # 书记 not first in the roster
MINUTES = (
    "会议传达学习了上级党组织有关文件精神，结合支部实际进行了讨论。与会同志围绕议题逐一发言，"
    "认为要进一步加强理论学习（特别是党章党规），把学习成果转化为推动工作的实际成效；"
    "会议强调：要严格落实“三会一课”制度，按时足额缴纳党费，积极参加志愿服务活动。"
)


def synthetic(
    n: int,
    *,
    seed: int = 1,
    year: int = 2025,
    quarter: int | None = None,
    today: dt.date | None = None,
    groups: int | None = None,
    long_names: float = 0.0,
    long_reasons: float = 0.0,
    leave: float = 0.07,
    absent: float = 0.03,
    left: float = 0.02,
    rare: bool = False,
    group_meetings: int = 3,
) -> PeriodModel:
    """A branch of ``n`` members. ``groups``: number of 党小组 (default n // 10);
    ``long_names`` / ``long_reasons``: the share of long names / leave reasons;
    ``leave`` / ``absent``: the share on leave / absent at each meeting; ``left``: the
    share who transfer out during the year; ``rare``: some names use a character the body
    font lacks; ``group_meetings``: how many groups' meetings are recorded."""
    rng = random.Random(seed)
    today = today or dt.date(year + 1, 1, 15)
    n_groups = max(1, n // 10 if groups is None else groups)
    group_list = [Group(i + 1, f"第{i + 1}党小组", i) for i in range(n_groups)]
    rare_chars = _rare_chars() if rare else ""
    members: list[Member] = []
    seen: set[str] = set()
    for i in range(n):
        if rng.random() < long_names:
            name = rng.choice(LONG) + (str(i) if i >= len(LONG) else "")
        else:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN + "  ").strip()
            if rare_chars and i % 7 == 3:
                name += rare_chars[i % len(rare_chars)]
        while name in seen:
            name += rng.choice(GIVEN)
        seen.add(name)
        g = group_list[i % n_groups]
        m = Member(
            id=i + 1,
            name=name,
            join_date=dt.date(1990 + i % 30, 7, 1),
            category="离退休" if rng.random() < 0.25 else "在职",
            group_id=g.id,
            group_name=g.name,
            post=POSTS[i] if i < len(POSTS) else None,
        )
        if i >= len(POSTS) and rng.random() < left:
            m.status, m.status_date = "转出", dt.date(year, rng.randrange(2, 12), 15)
        members.append(m)
    committee = [m for m in members if m.post]
    period = Period.whole_year(year) if quarter is None else Period.quarter(year, quarter)

    def attendance(pool: list[Member], day: dt.date) -> list[Attendance]:
        out = []
        for m in pool:
            if not m.belongs_on(day):
                continue
            r = rng.random()
            if r < leave:
                long = rng.random() < long_reasons
                reason = REASONS[-1] if long else rng.choice(REASONS[:-1])
                out.append(Attendance(m.id, "请假", reason, m.name))
            elif r < leave + absent:
                out.append(Attendance(m.id, "缺席", None, m.name))
            else:
                out.append(Attendance(m.id, "出席", None, m.name))
        return out

    records: list[Record] = []

    def add(kind: str, day: dt.date, pool: list[Member], **kw) -> None:
        if day > today:
            return
        r = Record(
            len(records) + 1,
            kind,
            day,
            place="党员活动室",
            topic=kw.pop("topic", f"{day.month}月{kind}"),
            content=kw.pop("content", MINUTES),
            created_at=dt.datetime.combine(day, dt.time(20)),
            **kw,
        )
        r.attendance = attendance(pool, day)
        records.append(r)

    sec, org = committee[1].name, committee[0].name
    for month in range(1, 13):
        add("支委会", dt.date(year, month, 5), committee, host=sec, recorder=org, decisions="同意")
        for g in group_list[:group_meetings]:
            pool = [m for m in members if m.group_id == g.id]
            if pool:
                add(
                    "党小组会",
                    dt.date(year, month, 10),
                    pool,
                    group_id=g.id,
                    group_name=g.name,
                    host=pool[0].name,
                    recorder=pool[-1].name,
                )
        add("主题党日", dt.date(year, month, 15), members, organizer=org, form="集中学习")
        if month % 3 == 0:
            add("支部党员大会", dt.date(year, month, 20), members, host=sec, recorder=org)
            add("党课", dt.date(year, month, 22), members, host=sec, recorder=org, lecturer=sec)
    add("组织生活会", dt.date(year, 12, 25), members, host=sec, recorder=org)
    add("民主评议党员", dt.date(year, 12, 26), members, host=sec, recorder=org)
    for m in members[:2]:
        add("谈心谈话", dt.date(year, 11, 3), [m, committee[1]], host=sec, recorder=org)

    settings = {}
    paid: dict[int, dict[int, int]] = {}
    for m in members:
        base = rng.choice((280000, 450000, 680000, 1200000))
        settings[m.id] = DuesSetting(m.id, year, base_fen=base)
        due = {280000: 1400, 450000: 4500, 680000: 6800 * 15 // 10, 1200000: 18000}[base]
        paid[m.id] = {mo: due for mo in range(1, 13) if rng.random() < 0.95}
    volunteer = [
        VolunteerEntry(
            k + 1,
            m.id,
            dt.date(year, rng.randrange(1, 13), rng.randrange(1, 28)),
            rng.choice((2, 3, 4, 5)),
            "社区服务",
            "幸福里社区",
            "社区主任",
            member_name=m.name,
        )
        for k, m in enumerate(rng.sample(members, k=min(len(members), n // 2 + 1)))
    ]
    inputs = PeriodInputs(
        branch=Branch({"支部名称": f"测试{n}人党支部", "成立日期": "1990-01-01"}),
        period=period,
        today=today,
        members=members,
        groups=group_list,
        records=records,
        rules=list(DEFAULT_RULES),
        dues_settings=settings,
        paid_by_month=paid,
        rounding=ROUND_FEN,
        volunteer=volunteer,
    )
    return PeriodModel(inputs)


def _rare_chars() -> str:
    """A few characters the PDF's body font lacks (the heading font has them)."""
    from ledger_app.reports.fonts import missing

    return "".join(sorted(c for c in missing() if 0x4E00 <= ord(c) <= 0x9FFF)[:5])
