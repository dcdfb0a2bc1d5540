"""A ready-made demo branch for ``--demo``: a newcomer sees the program full at once.

~30 members in 3 党小组 with a committee, a year and more of records up to today (with a
planted gap, an incomplete record, a drifting member and a member in arrears), dues and
volunteer service. Deterministic (one seeded ``random.Random``); written through the
repository in one transaction, into its own database file — never the user's.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from ..domain import idcard
from ..domain.attendance import expected_members
from ..domain.dates import month_end
from ..domain.dues import monthly_due_fen, owed_months
from ..domain.models import (
    ATTEND_ABSENT,
    ATTEND_LEAVE,
    ATTEND_PRESENT,
    Attendance,
    DuesSetting,
    Member,
    Payment,
    Record,
    VolunteerEntry,
)
from ..errors import UserError
from .ledger import Ledger

SEED = 20240701
BRANCH_NAME = "阳光街道机关第一党支部"
GROUPS = ("第一党小组", "第二党小组", "第三党小组")


@dataclass
class _P:
    """One demo person: name, sex, category, group index, post, years of age / membership."""

    name: str
    gender: str
    category: str
    group: int
    post: str | None = None


# committee first; each group has a 组长 (not a committee post)
PEOPLE = (
    _P("周建国", "男", "在职", 0, "书记"),
    _P("林秀英", "女", "在职", 1, "副书记"),
    _P("李明", "男", "在职", 0, "组织委员"),
    _P("陈静", "女", "在职", 1, "宣传委员"),
    _P("王志强", "男", "在职", 2, "纪检委员"),
    _P("赵丽华", "女", "在职", 0, "党小组组长"),
    _P("孙海涛", "男", "在职", 1, "党小组组长"),
    _P("吴晓燕", "女", "在职", 2, "党小组组长"),
    _P("郑伟", "男", "在职", 0),
    _P("黄婷婷", "女", "在职", 0),
    _P("刘洋", "男", "在职", 0),
    _P("杨帆", "男", "在职", 1),
    _P("何佳怡", "女", "在职", 1),
    _P("马俊杰", "男", "在职", 1),
    _P("胡雪梅", "女", "在职", 2),
    _P("郭子豪", "男", "在职", 2),
    _P("罗欣然", "女", "在职", 2),
    _P("高文博", "男", "在职", 0),
    _P("梁晓峰", "男", "在职", 1),
    _P("宋雨桐", "女", "在职", 2),
    _P("唐国庆", "男", "离退休", 0),
    _P("许桂兰", "女", "离退休", 1),
    _P("韩德明", "男", "离退休", 2),
    _P("冯淑珍", "女", "离退休", 0),
    _P("邓永福", "男", "离退休", 1),
    _P("曹春生", "男", "农民", 2),
    _P("彭诗琪", "女", "学生", 0),
    _P("曾凡军", "男", "下岗失业", 1),
    _P("肖雅琴", "女", "在职", 2),  # 预备党员
    _P("田振宇", "男", "在职", 1),  # transferred out mid-year
    _P("董佳欣", "女", "在职", 0),  # transferred in
)
PROBATIONARY = "肖雅琴"
TRANSFERRED_OUT = "田振宇"
TRANSFERRED_IN = "董佳欣"
DRIFTING = "郭子豪"  # absent from everything in the last months → the board warns
ABSENT_RUN = "杨帆"  # a three-month run of absences last year, then back
IN_ARREARS = "高文博"  # has not paid for the last four months

SMALL_TOPICS = (
    "学习贯彻党的二十大精神",
    "传达上级党委近期工作部署",
    "研究本月党建工作安排",
    "讨论党员发展和教育管理工作",
    "研究党费收缴和使用情况",
    "部署主题党日活动",
    "研究意识形态工作",
    "学习《中国共产党纪律处分条例》",
    "研究基层党组织建设重点任务",
    "讨论年度民主评议党员方案",
    "研究志愿服务活动安排",
    "听取各党小组工作汇报",
)
LESSONS = (
    ("深刻领会“两个确立”的决定性意义", None),
    ("弘扬伟大建党精神", "市委党校 张教授"),
    ("以党的自我革命引领社会革命", None),
    ("学习《中国共产党章程》", None),
    ("坚持以人民为中心的发展思想", "区委宣讲团 王老师"),
    ("从党史中汲取奋进力量", None),
    ("加强作风建设，密切联系群众", None),
    ("落实全面从严治党主体责任", None),
)
THEME_DAYS = (
    ("重温入党誓词", "集中学习、重温入党誓词", "支部活动室"),
    ("走进社区 服务群众", "志愿服务", "阳光社区"),
    ("参观红色教育基地", "现场教学", "市革命纪念馆"),
    ("学党史 悟思想", "读书分享", "支部活动室"),
    ("清洁家园 文明共建", "志愿服务", "向阳社区"),
    ("观看警示教育片", "观看专题片、交流发言", "三楼会议室"),
    ("为群众办实事", "走访慰问困难党员", "辖区各社区"),
    ("廉洁文化进机关", "专题学习", "三楼会议室"),
)
PROJECTS = (
    ("社区环境整治", "阳光社区"),
    ("文明交通劝导", "向阳社区"),
    ("关爱空巢老人", "幸福里社区"),
    ("政策宣传咨询", "阳光社区"),
    ("垃圾分类指导", "向阳社区"),
    ("图书室值班", "幸福里社区"),
)
WITNESSES = {"阳光社区": "社区书记 赵红", "向阳社区": "社区主任 钱伟", "幸福里社区": "网格员 孙芳"}
LEAVE_REASONS = ("病假", "事假", "公差", "公差")
REGIONS = ("110105", "110108", "370102", "320106")


def create_demo(path: str | Path, today: dt.date | None = None) -> Path:
    """Create the demo database at ``path`` (a new or empty file). Returns the path."""
    path = Path(path)
    ledger = Ledger.open(path, today=today)
    try:
        fill_demo(ledger, today)
    finally:
        ledger.close()
    return path


def is_stale(path: str | Path, today: dt.date | None = None, days: int = 35) -> bool:
    """Is ``path`` a demo database whose records stop more than ``days`` before today (so
    that the board would show the demo's own months as missing)? Only a database holding
    the demo branch can be stale; anything else is never reported (nor replaced)."""
    ledger = Ledger.open(path, today=today)
    try:
        if ledger.repo.branch().name != BRANCH_NAME:
            return False
        row = ledger.db.execute("SELECT MAX(date) FROM record").fetchone()
        last = dt.date.fromisoformat(row[0]) if row and row[0] else None
        return last is None or (ledger.today() - last).days > days
    finally:
        ledger.close()


def fill_demo(ledger: Ledger, today: dt.date | None = None) -> None:
    """Write the demo branch into an empty ledger (refuses a ledger with data)."""
    repo = ledger.repo
    if repo.member_count() or repo.branch().name:
        raise UserError("演示数据只能写入空白的数据库，该数据库中已有数据。")
    today = today or ledger.today()
    _Demo(ledger, today, random.Random(SEED)).write()


class _Demo:
    def __init__(self, ledger: Ledger, today: dt.date, rng: random.Random):
        self.ledger = ledger
        self.repo = ledger.repo
        self.today = today
        self.rng = rng
        # records cover last year and this year up to yesterday
        self.first_year = today.year - 1
        self.lesson_gap_quarter = (today.month - 1) // 3  # 0 in the first quarter: no gap
        self.members: list[Member] = []
        self.by_name: dict[str, Member] = {}
        self.group_ids: list[int] = []

    # --- helpers ---------------------------------------------------------------------------

    def day_in(self, year: int, month: int, lo: int, hi: int) -> dt.date:
        return dt.date(year, month, min(self.rng.randint(lo, hi), month_end(year, month).day))

    def months(self):
        y, m = self.first_year, 1
        while (y, m) <= (self.today.year, self.today.month):
            yield y, m
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)

    def id_number(self, birth: dt.date, gender: str) -> str:
        seq = self.rng.randint(10, 99) * 10 + (
            self.rng.choice((1, 3, 5, 7, 9)) if gender == "男" else self.rng.choice((0, 2, 4, 6, 8))
        )
        first17 = f"{self.rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
        return first17 + idcard.check_digit(first17)

    # --- the branch ------------------------------------------------------------------------------

    def write(self) -> None:
        with self.repo.atomic():
            self.branch()
            self.roster()
            self.records()
            self.dues()
            self.volunteer()
            self.followup()
            self.registers()
            self.plan_and_assessment()  # issue 20

    def branch(self) -> None:
        self.repo.set_branch_info(
            {
                "支部名称": BRANCH_NAME,
                "上级党组织": "阳光街道党工委",
                "书记": "周建国",
                "副书记": "林秀英",
                "组织委员": "李明",
                "宣传委员": "陈静",
                "纪检委员": "王志强",
                "成立日期": "2010-06-28",
                "联系电话": "010-85550123",
            }
        )
        self.repo.set_setting("user_name", "李明")
        self.repo.set_setting("dues_rounding", "fen")
        self.repo.set_setting("volunteer_min_per_month", "1")
        self.group_ids = [self.repo.ensure_group(g) for g in GROUPS]

    def roster(self) -> None:
        rng, today = self.rng, self.today
        for p in PEOPLE:
            if p.category == "离退休":
                age = rng.randint(61, 76)
            elif p.category == "学生":
                age = rng.randint(22, 24)  # joined at 19–20, two or more years ago
            else:
                age = rng.randint(27, 56)
            birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
            join_age = (
                rng.randint(19, 20) if p.category == "学生" else rng.randint(21, min(34, age - 3))
            )
            join = dt.date(
                birth.year + join_age, rng.choice((1, 3, 6, 7, 9, 11)), rng.randint(1, 28)
            )
            # a full member joined at least two years ago (转正 a year later, before today)
            join = min(join, dt.date(today.year - 2, join.month, join.day))
            m = Member(
                id=None,
                name=p.name,
                gender=p.gender,
                ethnicity="汉族" if rng.random() > 0.1 else "回族",
                birth_date=birth,
                id_number=self.id_number(birth, p.gender),
                education=rng.choice(("大学本科", "大学本科", "研究生", "大学专科"))
                if p.category in ("在职", "学生")
                else rng.choice(("高中", "大学专科", "中专")),
                member_type="正式党员",
                join_date=join,
                full_date=dt.date(join.year + 1, join.month, join.day),
                category=p.category,
                group_id=self.group_ids[p.group],
                post=p.post,
                phone=f"1{rng.choice((3, 5, 8))}{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}",
            )
            if p.name == PROBATIONARY:
                # admitted by the branch meeting about half a year ago
                m.member_type = "预备党员"
                m.join_date = _months_before(today, 6).replace(day=18)
                m.full_date = None
            if p.name == TRANSFERRED_IN:
                m.transfer_in_date = dt.date(self.first_year, 3, 10)
            self.repo.add_member(m)
            self.members.append(m)
            self.by_name[m.name] = m
        # transferred out in the middle of the year the records start in
        out = self.by_name[TRANSFERRED_OUT]
        out.status, out.status_date = "转出", dt.date(self.first_year, 7, 15)
        self.repo.update_member(out)
        self.repo.db.execute(
            "UPDATE member_status_history SET note = ? WHERE id = "
            "(SELECT MAX(id) FROM member_status_history WHERE member_id = ?)",
            ["转往区财政局机关党支部", out.id],
        )

    # --- records ---------------------------------------------------------------------------------

    def add(self, r: Record, late_days: int | None = None) -> None:
        if r.date >= self.today:
            return
        r.attendance = self.attendance(r)
        delay = late_days if late_days is not None else self.rng.randint(0, 4)
        entered = dt.datetime.combine(
            r.date + dt.timedelta(days=delay), dt.time(17, self.rng.randint(0, 59))
        )
        entered = min(entered, dt.datetime.combine(self.today, dt.time(9, 0)))
        self.repo.add_record(r, created_at=entered)

    def attendance(self, r: Record) -> list[Attendance]:
        if r.kind == "谈心谈话":
            return [Attendance(a.member_id, ATTEND_PRESENT) for a in r.attendance]
        rng = self.rng
        out = []
        running = {r.host, r.recorder, r.organizer, r.lecturer}
        drift_from = _months_before(self.today, 4).replace(day=1)
        for m in expected_members(r, self.members):
            assert m.id is not None
            status, reason = ATTEND_PRESENT, None
            roll = rng.random()
            if m.name == DRIFTING and r.date >= drift_from:
                status = ATTEND_ABSENT
            elif (
                m.name == ABSENT_RUN
                and r.date.year == self.first_year
                and r.date.month in (6, 7, 8)
            ):
                status = ATTEND_ABSENT
            elif m.category == "离退休" and roll < 0.15:
                status, reason = ATTEND_LEAVE, "病假"
            elif roll < 0.08:
                status, reason = ATTEND_LEAVE, rng.choice(LEAVE_REASONS)
            elif roll < 0.095:
                status = ATTEND_ABSENT
            if m.name in running:  # whoever runs the meeting is there
                status, reason = ATTEND_PRESENT, None
            out.append(Attendance(m.id, status, reason))
        return out

    def records(self) -> None:
        rng = self.rng
        secretary, deputy, organizer = (self.by_name[n] for n in ("周建国", "林秀英", "李明"))
        leaders = [self.by_name[n] for n in ("赵丽华", "孙海涛", "吴晓燕")]
        lesson_i = theme_i = 0
        for y, m in self.months():
            quarter_end = m % 3 == 0
            # 支委会, monthly — one planted gap: no 支委会 in April of the first year
            if not (y == self.first_year and m == 4):
                self.add(
                    Record(
                        None,
                        "支委会",
                        self.day_in(y, m, 3, 8),
                        "09:00-10:30",
                        "书记办公室",
                        secretary.name,
                        organizer.name,
                        topic=rng.choice(SMALL_TOPICS),
                        content="书记传达上级要求，逐项研究本月工作，明确分工和完成时限。",
                        decisions="按会议分工落实，下次支委会听取进展。",
                    )
                )
            # 党小组会, monthly per group
            for gi, gid in enumerate(self.group_ids):
                leader = leaders[gi]
                # (not a member planted as staying away: the recorder is always there)
                recorder = next(
                    x
                    for x in self.members
                    if x.group_id == gid
                    and x is not leader
                    and not x.post
                    and x.name not in (DRIFTING, ABSENT_RUN)
                )
                r = Record(
                    None,
                    "党小组会",
                    self.day_in(y, m, 10, 20),
                    "15:00-16:00",
                    "三楼会议室",
                    leader.name,
                    recorder.name,
                    group_id=gid,
                    topic=rng.choice(SMALL_TOPICS),
                    content="组长领学，党员逐一交流学习体会，结合岗位谈打算。",
                )
                if gi == 2 and y == self.first_year and m == 9:
                    r.recorder, r.content = None, None  # the planted incomplete record
                self.add(r)
            # 党员大会 each quarter-end month, combined with that month's 主题党日
            if quarter_end:
                self.add(
                    Record(
                        None,
                        "支部党员大会",
                        self.day_in(y, m, 22, 27),
                        "14:30-16:30",
                        "支部活动室",
                        secretary.name,
                        organizer.name,
                        topic=f"{('一', '二', '三', '四')[m // 3 - 1]}季度党员大会：通报支部工作，"
                        + rng.choice(SMALL_TOPICS),
                        content="书记通报本季度支部工作和党费收缴情况；集中学习；党员讨论。",
                        decisions="通过本季度工作总结和下季度工作安排。",
                        also_theme_day=True,
                    )
                )
            else:
                topic, form, place = THEME_DAYS[theme_i % len(THEME_DAYS)]
                theme_i += 1
                self.add(
                    Record(
                        None,
                        "主题党日",
                        self.day_in(y, m, 12, 16),
                        "14:30-17:00",
                        place,
                        topic=topic,
                        form=form,
                        organizer=deputy.name,
                        content=f"{form}。全体党员参加，会后交流心得体会。",
                    )
                )
            # 党课 in the middle month of each quarter; one entered 45 days late (补记);
            # none in the last quarter that has ended this year, so the board opens on a gap
            if m % 3 == 2 and not (
                y == self.today.year and (m + 1) // 3 == self.lesson_gap_quarter
            ):
                title, guest = LESSONS[lesson_i % len(LESSONS)]
                lesson_i += 1
                self.add(
                    Record(
                        None,
                        "党课",
                        self.day_in(y, m, 20, 26),
                        "14:30-16:00",
                        "支部活动室",
                        deputy.name,
                        organizer.name,
                        lecturer=guest or secretary.name,
                        topic=title,
                        content=f"围绕“{title}”专题授课，党员交流学习体会。",
                    ),
                    late_days=45 if (y, m) == (self.first_year, 8) else None,
                )
            # 谈心谈话 a few times a year
            if m in (3, 6, 11):
                pairs = [(secretary, self.by_name["郑伟"]), (deputy, self.by_name["何佳怡"])]
                for talker, other in pairs:
                    r = Record(
                        None,
                        "谈心谈话",
                        self.day_in(y, m, 5, 25),
                        None,
                        "书记办公室",
                        talker.name,
                        talker.name,
                        topic="思想、工作和生活情况",
                        content="了解思想动态和实际困难，提出希望和要求。",
                        attendance=[
                            Attendance(talker.id, ATTEND_PRESENT),
                            Attendance(other.id, ATTEND_PRESENT),
                        ],  # type: ignore[arg-type]
                    )
                    if other.belongs_on(r.date):
                        self.add(r)
            # 组织生活会 and 民主评议党员 in December
            if m == 12:
                self.add(
                    Record(
                        None,
                        "组织生活会",
                        dt.date(y, 12, 18),
                        "09:00-11:30",
                        "支部活动室",
                        secretary.name,
                        organizer.name,
                        topic=f"{y}年度组织生活会",
                        content="支部班子对照检查、查摆问题，党员开展批评与自我批评，逐一提出整改措施。",
                    )
                )
                self.add(
                    Record(
                        None,
                        "民主评议党员",
                        dt.date(y, 12, 19),
                        "09:00-11:00",
                        "支部活动室",
                        secretary.name,
                        organizer.name,
                        topic=f"{y}年度民主评议党员",
                        content="党员个人自评、党员互评、民主测评，支委会综合评定等次。",
                    )
                )

    def followup(self) -> None:
        """学习教育, 民主评议等次, 整改清单, leading cadres … (issue 18), written last."""
        from .demo_followup import write_followup

        write_followup(self)

    # --- dues and volunteer --------------------------------------------------------------------

    def dues(self) -> None:
        rng = self.rng
        brackets = {
            "在职": (280000, 420000, 460000, 650000, 880000, 1250000),
            "离退休": (380000, 560000),
        }
        last_paid_month = self.today.month - 1  # this month's dues not collected yet
        for year in (self.first_year, self.today.year):
            for m in self.members:
                setting: DuesSetting | None = None
                if m.category in brackets:
                    base = rng.choice(brackets[m.category])
                    if year > self.first_year:
                        base = base * 103 // 100 // 100 * 100  # 3 % raise, whole 元
                    setting = DuesSetting(m.id, year, base_fen=base)  # type: ignore[arg-type]
                elif m.category == "农民":
                    setting = DuesSetting(m.id, year, fixed_fen=50, note="支委会确定每月0.50元")  # type: ignore[arg-type]
                if setting is not None:
                    self.repo.set_dues_setting(setting)
                due = monthly_due_fen(m, setting)
                if due is None:
                    continue
                for month in owed_months(m, year):
                    if year == self.today.year and month > last_paid_month:
                        continue
                    if m.name == IN_ARREARS and _months_between(year, month, self.today) <= 4:
                        continue
                    paid_on = self.day_in(year, month, 5, 15)
                    if paid_on >= self.today:
                        continue
                    self.repo.add_payment(Payment(None, m.id, year, month, due, paid_on, "李明"))  # type: ignore[arg-type]

    def registers(self) -> None:
        """发展党员, 组织关系转接, 党员关怀 (issue 19): last, so the rest stays as it was."""
        from .demo_registers import fill

        fill(self)

    def volunteer(self) -> None:
        rng = self.rng
        for y, mo in self.months():
            for m in self.members:
                if (
                    m.category != "在职"
                    or m.name == DRIFTING
                    and (y, mo) >= _ym(_months_before(self.today, 4))
                ):
                    continue
                if rng.random() > 0.75:
                    continue
                day = self.day_in(y, mo, 1, 28)
                if day >= self.today or not m.belongs_on(day):
                    continue
                project, place = rng.choice(PROJECTS)
                self.repo.add_volunteer(
                    VolunteerEntry(
                        None,
                        m.id,
                        day,
                        rng.choice((2, 3, 4, 4, 6)),
                        project,
                        place,
                        WITNESSES[place],
                    )  # type: ignore[arg-type]
                )

    # --- 年度工作计划 and 自评定级 (issue 20) -----------------------------------------------------

    def plan_and_assessment(self) -> None:
        """Both years' plans (党课 each quarter with its lecturer, theme days, volunteer
        days, 组织生活会): the quarter without a 党课 shows as 未开展 on the board. Last year
        assessed and settled (年总评 评定); last month's 月自评 scored, not settled yet."""
        from ..domain.assessment import Adjustment, HandScore, Review
        from ..domain.plan import PlanItem
        from ..storage import assessment_repo as store

        db = self.ledger.db
        secretary = "周建国"
        for y in (self.first_year, self.today.year):
            for i, m in enumerate((2, 5, 8, 11)):
                title, guest = LESSONS[(i + (4 if y > self.first_year else 0)) % len(LESSONS)]
                store.add_plan_item(db, PlanItem(None, y, m, "党课", title, guest or secretary))
            for m, topic in ((3, "学雷锋志愿服务"), (7, "七一重温入党誓词"), (10, "国庆主题教育")):
                store.add_plan_item(db, PlanItem(None, y, m, "主题党日", topic, "林秀英"))
            for m in (3, 9):
                store.add_plan_item(db, PlanItem(None, y, m, "志愿服务", "社区志愿服务", ""))
            store.add_plan_item(
                db, PlanItem(None, y, 12, "组织生活会", f"{y}年度组织生活会", secretary)
            )
        hand = [c for c in store.criteria(db) if not c.source or c.source == "rectification"]
        last = str(self.first_year)
        store.set_scores(
            db,
            last,
            [
                HandScore(
                    c.key, c.points - (5 if i == 1 else 0), "流动党员联系记录不全" if i == 1 else ""
                )
                for i, c in enumerate(hand)
            ],
        )
        store.add_adjustment(db, Adjustment(None, last, 10, "获评街道“五星支部”"))
        store.set_review(
            db, Review(last, dt.date(self.today.year, 1, 8), "支部委员会", "同意自评结果")
        )
        prev = _months_before(self.today, 1)
        if prev.year == self.today.year:
            store.set_scores(
                db,
                f"{prev.year}-{prev.month:02d}",
                [HandScore(c.key, c.points, "") for c in hand[:2]],
            )


def _months_before(day: dt.date, n: int) -> dt.date:
    y, m = day.year, day.month - n
    while m < 1:
        y, m = y - 1, m + 12
    return dt.date(y, m, min(day.day, month_end(y, m).day))


def _ym(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def _months_between(year: int, month: int, today: dt.date) -> int:
    """How many months before today's month ``year-month`` is (1 = last month)."""
    return (today.year - year) * 12 + today.month - month
