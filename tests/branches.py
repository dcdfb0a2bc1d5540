"""Branches built for tests that hold the outputs together: joins, transfers in and out,
exemptions (免交, 少交), unset bases, partial payments, volunteer hours, runs of absence
across a quarter's start, an ended run, 谈心谈话 not covering everyone, a late entry and an
incomplete record."""

from __future__ import annotations

import datetime as dt

from ledger_app.domain.models import (
    Attendance,
    DuesSetting,
    Member,
    Payment,
    Record,
    VolunteerEntry,
)
from ledger_app.services.ledger import Ledger

D = dt.date
YEAR = 2025
TODAY = D(2025, 6, 15)  # the year is under way: June is being collected

# name, group, post, category, base 元 (None: none), extra (see below)
ROSTER = (
    ("周建国", "第一党小组", "书记", "在职", 8000, {}),
    ("王芳", "第二党小组", "宣传委员", "离退休", 3000, {}),
    ("李明", "第一党小组", "组织委员", "在职", 4000, {}),
    ("赵强", "第一党小组", None, "在职", 5500, {"status": "转出", "status_date": D(2025, 9, 20)}),
    (
        "孙丽",
        "第二党小组",
        None,
        "学生",
        None,
        {"member_type": "预备党员", "join_date": D(2025, 4, 10)},
    ),
    ("陈刚", "第二党小组", None, "在职", 6000, {"reduction": "免交"}),
    ("刘洋", "第二党小组", None, "在职", 4500, {"reduction": "少交", "reduction_fen": 1000}),
    ("吴敏", "第一党小组", None, "在职", 2800, {"transfer_in_date": D(2025, 3, 5)}),
    ("郑华", "第二党小组", None, "农民", None, {"fixed_fen": 50}),
    ("冯军", "第一党小组", None, "在职", None, {}),
    ("杨光", "第二党小组", None, "在职", 12000, {"partial": 10000}),
    ("何静", "第一党小组", None, "离退休", 5200, {}),
    ("罗平", "第二党小组", None, "在职", 3600, {}),
)

EXTRA = {name: extra for name, *_, extra in ROSTER}

# who misses organisational life (no list at all: implied 缺席) in which months
AWAY = {"何静": {8, 9, 10, 11}, "罗平": {6, 7, 8, 9}}
# months each member paid (all owed months when not listed)
PAID = {
    "李明": {1, 2, 3},  # the example: paid January–March, 4,000 元 base
    "冯军": set(),
    "罗平": {1, 2, 3, 4, 5},
}
# 志愿服务: 81 hours over 12 members (人均 6.75 → 6.8)
VOLUNTEER_HALF_HOURS = {
    "周建国": 14, "王芳": 12, "李明": 16, "赵强": 10, "孙丽": 12, "陈刚": 14,
    "刘洋": 16, "吴敏": 12, "郑华": 14, "冯军": 18, "杨光": 12, "何静": 12,
}  # fmt: skip


def build_mixed_branch(ledger: Ledger, year: int = YEAR) -> dict[str, Member]:
    """The mixed branch's whole ``year`` of meetings and its dues and volunteer entries, as
    a clerk would have kept them (records of months after today are not added)."""
    repo = ledger.repo
    today = ledger.today()
    repo.set_branch_info(
        {"支部名称": "测试混合党支部", "上级党组织": "某某机关党委", "成立日期": "2010-07-01"}
    )
    ms: dict[str, Member] = {}
    with repo.atomic():
        for name, group, post, category, _base, extra in ROSTER:
            m = Member(
                id=None,
                name=name,
                join_date=extra.get("join_date", D(2005, 7, 1)),
                member_type=extra.get("member_type", "正式党员"),
                category=category,
                post=post,
                group_id=repo.ensure_group(group),
                transfer_in_date=extra.get("transfer_in_date"),
                status=extra.get("status", "在册"),
                status_date=extra.get("status_date"),
            )
            m.id = repo.add_member(m)
            ms[name] = m
        members = repo.members()
        by_name = {m.name: m for m in members}
        g = {gr.name: gr.id for gr in repo.groups()}

        def belongs(n: str, day: dt.date) -> bool:
            return by_name[n].belongs_on(day)

        def add(kind: str, day: dt.date, pool, *, late: bool = False, **kw) -> None:
            if day >= today:
                return
            r = Record(
                None,
                kind,
                day,
                topic=kw.pop("topic", f"{day.month}月{kind}"),
                host="周建国",
                recorder="李明",
                content="会议传达学习了上级精神，讨论了本月工作安排。",
                organizer="李明" if kind == "主题党日" else None,
                lecturer="周建国" if kind == "党课" else None,
                **kw,
            )
            away = {n for n, months in AWAY.items() if day.month in months}
            r.attendance = [
                Attendance(by_name[n].id, "出席") for n in pool if belongs(n, day) and n not in away
            ]
            if kind == "主题党日" and belongs("王芳", day) and "王芳" in pool:
                r.attendance = [a for a in r.attendance if a.member_id != by_name["王芳"].id]
                r.attendance.append(Attendance(by_name["王芳"].id, "请假", "病假"))
            entered = day + dt.timedelta(days=40 if late else 1)
            repo.add_record(r, created_at=dt.datetime.combine(entered, dt.time(20)))

        everyone = [n for n, *_ in ROSTER]
        committee = ["周建国", "王芳", "李明"]
        first = [n for n, gr, *_ in ROSTER if gr == "第一党小组"]
        second = [n for n, gr, *_ in ROSTER if gr == "第二党小组"]
        for month in range(1, 13):
            add("支委会", D(year, month, 3), committee)
            add("党小组会", D(year, month, 8), first, group_id=g["第一党小组"])
            if month != 5:  # 第二党小组 missed May
                add("党小组会", D(year, month, 9), second, group_id=g["第二党小组"])
            add("主题党日", D(year, month, 15), everyone, late=month == 2)
        for q in range(1, 5):
            add("支部党员大会", D(year, 3 * q - 1, 20), everyone)
            if q != 2:  # no 党课 in the second quarter
                add("党课", D(year, 3 * q, 22), everyone)
        add("组织生活会", D(year, 12, 18), everyone)
        add("民主评议党员", D(year, 12, 19), everyone)
        # 谈心谈话: the secretary with a few members only
        for n in ("李明", "吴敏", "孙丽"):
            talk_day = D(year, 5, 10)
            if talk_day < today and belongs(n, talk_day):
                r = Record(None, "谈心谈话", talk_day, topic="谈心谈话", host="周建国",
                           recorder="李明", content="交流思想和工作。")  # fmt: skip
                r.attendance = [Attendance(by_name[n].id, "出席")]
                repo.add_record(r, created_at=dt.datetime.combine(talk_day, dt.time(21)))
        # an incomplete record: a 支委会 without 记录人 or minutes
        if D(year, 4, 25) < today:
            r = Record(None, "支委会", D(year, 4, 25), topic="临时议题", host="周建国")
            r.attendance = [Attendance(by_name[n].id, "出席") for n in committee]
            repo.add_record(r, created_at=dt.datetime.combine(D(year, 4, 25), dt.time(20)))

        for name, _group, _post, _category, base, extra in ROSTER:
            m = by_name[name]
            repo.set_dues_setting(
                DuesSetting(
                    m.id,
                    year,
                    base_fen=base * 100 if base is not None else None,
                    fixed_fen=extra.get("fixed_fen"),
                    reduction=extra.get("reduction"),
                    reduction_fen=extra.get("reduction_fen", 0 if extra.get("reduction") else None),
                    approved_by="支委会" if extra.get("reduction") else None,
                    approved_on=D(year, 1, 5) if extra.get("reduction") else None,
                )
            )
        from ledger_app.domain.dues import monthly_due_fen, owed_months

        settings = repo.dues_settings(year)
        for name, *_rest in ROSTER:
            m = by_name[name]
            due = monthly_due_fen(m, settings.get(m.id))
            months = PAID.get(name, set(owed_months(m, year)))
            for month in sorted(months):
                paid_on = max(D(year, month, 10), D(year, 1, 10))
                if paid_on >= today or month not in owed_months(m, year) or not due:
                    continue
                amount = EXTRA[name].get("partial", due) if month % 2 else due
                repo.add_payment(Payment(None, m.id, year, month, amount, paid_on))

        for name, halves in VOLUNTEER_HALF_HOURS.items():
            m = by_name[name]
            day = D(year, 3, 12) if belongs(name, D(year, 3, 12)) else D(year, 5, 12)
            if day < today:
                repo.add_volunteer(
                    VolunteerEntry(None, m.id, day, halves, "社区服务", "幸福社区", "社区主任")
                )
    return {m.name: m for m in repo.members()}
