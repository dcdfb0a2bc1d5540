"""Synthetic branches in the contract's workbook format, for benchmarks.

    python bench/generate.py S|L|XL|2K|NxY OUT.xlsx

S: 30 members, 1 year. L: 300 members, 1 year, full attendance lists, minutes of realistic
length, payments every month. XL: 300 members, 10 years. 2K: 2,000 members (200 党小组),
1 year — a very large branch. ``2000x3``: 2,000 members, 3 years (any N members × Y years,
as L or XL). Deterministic (fixed seed).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ledger_app.domain.idcard import check_digit  # noqa: E402

SIZES = {"S": (30, 1), "L": (300, 1), "XL": (300, 10), "2K": (2000, 1)}
LAST_YEAR = 2025
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁龙林欣瑶怡佳雪琳晨阳博文轩子涵雨泽睿思源嘉诚建国国庆海波志强晓东"
MINUTES = (
    "会议传达学习了上级党组织有关文件精神，结合支部实际进行了讨论。{n}同志汇报了本月工作进展，"
    "与会同志围绕议题逐一发言，认为要进一步加强理论学习，把学习成果转化为推动工作的实际成效。"
    "会议强调，要严格落实“三会一课”制度，按时足额缴纳党费，积极参加志愿服务活动，"
    "发挥党员先锋模范作用。会议还就下一阶段重点工作作了安排部署，明确了责任人和完成时限。"
)


def _names(n: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        name = (
            rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        )
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _id_number(birth: dt.date, female: bool, rng: random.Random) -> str:
    seq = rng.randrange(10, 99) * 10 + (
        rng.choice((0, 2, 4, 6, 8)) if female else rng.choice((1, 3, 5, 7, 9))
    )
    first17 = f"110105{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def _unique(seen: set[str], draw) -> str:
    value = draw()
    while value in seen:
        value = draw()
    seen.add(value)
    return value


def size_of(size: str) -> tuple[int, int]:
    """(members, years) of ``S``/``L``/``XL`` or of ``NxY`` (``5000x1``: 5,000 members, 1 year)."""
    if size in SIZES:
        return SIZES[size]
    n, _, years = size.lower().partition("x")
    return int(n), int(years or 1)


def generate(
    size: str,
    out: Path,
    seed: int = 7,
    *,
    branch: str | None = None,
    miss: float = 0.0,
    pay_rate: float = 0.97,
) -> Path:
    """``branch``: the branch's name; ``miss``: the share of meetings left out (each its own
    draw, for the committee view's 50 different branches); ``pay_rate``: the share of months paid."""
    from openpyxl import Workbook

    n, years = size_of(size)
    rng = random.Random(seed)
    # its own draws: with miss=0 the standard sets stay as they were
    skip = random.Random(seed * 31 + 1)

    def add(ws, row: list) -> None:
        if not miss or skip.random() >= miss:
            ws.append(row)

    first_year = LAST_YEAR - years + 1
    names = _names(n + n // 10 * years, rng)
    groups = [f"第{i + 1}党小组" for i in range(max(2, n // 10))]
    posts = ["书记", "副书记", "组织委员", "宣传委员", "纪检委员"]
    members = []
    ids: set[str] = set()  # thousands of members: draw again on a (rare) repeated number
    for i, name in enumerate(names):
        female = rng.random() < 0.45
        birth = dt.date(rng.randrange(1950, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
        joined_late = i >= n  # later joiners replace those who leave over the years
        join = (
            dt.date(rng.randrange(first_year, LAST_YEAR + 1), rng.randrange(1, 13), 1)
            if joined_late
            else dt.date(max(birth.year + 20, 1975), 7, 1)
        )
        retired = birth.year < 1962
        m = {
            "姓名": name,
            "性别": "女" if female else "男",
            "民族": "汉族",
            "出生日期": birth,
            "公民身份号码": _unique(ids, lambda b=birth, f=female: _id_number(b, f, rng)),
            "学历": rng.choice(["大学本科", "研究生", "大专"]),
            "党员类别": "正式党员",
            "入党日期": join,
            "人员类别": "离退休" if retired else "在职",
            "党小组": groups[i % len(groups)],
            "党内职务": posts[i] if i < len(posts) else None,
            "联系电话": f"139{i:08d}",
            "状态": "在册",
            "状态变更日期": None,
        }
        if (
            not joined_late
            and i >= len(posts)
            and join.year < LAST_YEAR
            and rng.random() < 0.03 * years
        ):
            m["状态"] = "转出"
            m["状态变更日期"] = dt.date(
                rng.randrange(max(first_year, join.year + 1), LAST_YEAR + 1),
                rng.randrange(1, 13),
                15,
            )
        members.append(m)

    def belongs(m: dict, day: dt.date) -> bool:
        end = m["状态变更日期"]
        return m["入党日期"] <= day and (end is None or day < end)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("支部信息")
    ws.append(["项目", "内容"])
    for k, v in (
        ("支部名称", branch or f"基准测试{size}党支部"),
        ("上级党组织", "基准测试党委"),
        ("书记", names[0]),
        ("成立日期", dt.date(1990, 1, 1)),
    ):
        ws.append([k, v])

    ws = wb.create_sheet("党员名册")
    cols = list(members[0])
    ws.append(cols)
    for m in members:
        ws.append([m[c] for c in cols])

    def attendance(expected: list[dict]) -> tuple[str, str, str]:
        present, leave, absent = [], [], []
        for m in expected:
            r = rng.random()
            if r < 0.9:
                present.append(m["姓名"])
            elif r < 0.97:
                leave.append(f"{m['姓名']}（{rng.choice(['病假', '事假', '公差'])}）")
            else:
                absent.append(m["姓名"])
        return "、".join(present), "、".join(leave), "、".join(absent)

    meetings = wb.create_sheet("三会一课")
    meetings.append(
        [
            "日期",
            "会议类型",
            "党小组",
            "议题",
            "地点",
            "主持人",
            "记录人",
            "授课人",
            "出席人员",
            "请假人员",
            "缺席人员",
            "结合主题党日",
            "主要内容",
            "决议事项",
        ]
    )
    theme = wb.create_sheet("主题党日")
    theme.append(
        [
            "日期",
            "主题",
            "活动形式",
            "地点",
            "组织人",
            "出席人员",
            "请假人员",
            "缺席人员",
            "活动内容",
        ]
    )
    other = wb.create_sheet("其他组织生活")
    other.append(
        [
            "日期",
            "类型",
            "主题",
            "地点",
            "主持人",
            "记录人",
            "出席人员",
            "请假人员",
            "缺席人员",
            "主要内容",
        ]
    )
    dues = wb.create_sheet("党费")
    dues.append(
        [
            "年度",
            "姓名",
            "公民身份号码",
            "月缴费基数(元)",
            "约定月缴(元)",
            *[f"{i}月" for i in range(1, 13)],
            "备注",
        ]
    )
    vol = wb.create_sheet("志愿服务")
    vol.append(["日期", "姓名", "服务项目", "地点", "时长(小时)", "证明人", "备注"])

    secretary, organizer = names[0], names[2]
    for year in range(first_year, LAST_YEAR + 1):
        for month in range(1, 13):
            day = dt.date(year, month, 5)
            everyone = [m for m in members if belongs(m, day)]
            committee = [m for m in everyone if m["党内职务"]]
            add(
                meetings,
                [
                    day,
                    "支委会",
                    None,
                    f"研究{month}月工作",
                    "党员活动室",
                    secretary,
                    organizer,
                    None,
                    *attendance(committee),
                    None,
                    MINUTES.format(n=secretary),
                    "同意",
                ],
            )
            for g in groups:
                gday = dt.date(year, month, 10)
                gm = [m for m in everyone if m["党小组"] == g and belongs(m, gday)]
                if gm:
                    add(
                        meetings,
                        [
                            gday,
                            "党小组会",
                            g,
                            "学习交流",
                            "党员活动室",
                            gm[0]["姓名"],
                            gm[-1]["姓名"],
                            None,
                            *attendance(gm),
                            None,
                            MINUTES.format(n=gm[0]["姓名"]),
                            None,
                        ],
                    )
            tday = dt.date(year, month, 15)
            tm = [m for m in members if belongs(m, tday)]
            if month % 3 == 0:
                add(
                    meetings,
                    [
                        tday,
                        "支部党员大会",
                        None,
                        f"第{month // 3}季度党员大会",
                        "会议室",
                        secretary,
                        organizer,
                        None,
                        *attendance(tm),
                        "是",
                        MINUTES.format(n=secretary),
                        "通过",
                    ],
                )
                add(
                    meetings,
                    [
                        dt.date(year, month, 20),
                        "党课",
                        None,
                        "学习党的创新理论",
                        "会议室",
                        secretary,
                        organizer,
                        secretary,
                        *attendance(tm),
                        None,
                        MINUTES.format(n=secretary),
                        None,
                    ],
                )
            else:
                add(
                    theme,
                    [
                        tday,
                        f"{month}月主题党日",
                        "学习＋志愿服务",
                        "社区",
                        organizer,
                        *attendance(tm),
                        MINUTES.format(n=organizer),
                    ],
                )
            for m in tm:
                if m["人员类别"] == "在职" and rng.random() < 0.8:
                    vol.append(
                        [
                            dt.date(year, month, rng.randrange(1, 28)),
                            m["姓名"],
                            "社区服务",
                            "示例社区",
                            rng.choice((1, 1.5, 2, 2.5, 3)),
                            "社区主任",
                            None,
                        ]
                    )
        dec = dt.date(year, 12, 25)
        dm = [m for m in members if belongs(m, dec)]
        other.append(
            [
                dec,
                "组织生活会",
                f"{year}年度组织生活会",
                "会议室",
                secretary,
                organizer,
                *attendance(dm),
                MINUTES.format(n=secretary),
            ]
        )
        other.append(
            [
                dec,
                "民主评议党员",
                f"{year}年度民主评议党员",
                "会议室",
                secretary,
                organizer,
                *attendance(dm),
                MINUTES.format(n=secretary),
            ]
        )
        for m in members:
            start, end = m["入党日期"], m["状态变更日期"]
            months = [
                mo
                for mo in range(1, 13)
                if dt.date(year, mo, 28) >= start
                and (end is None or dt.date(year, mo, 1) < end.replace(day=1))
            ]
            if not months:
                continue
            base = (
                rng.choice((2800, 3600, 4500, 6800, 9000, 12000))
                if m["人员类别"] == "在职"
                else 4200
            )
            rate = (
                (5 if base <= 3000 else 10 if base <= 5000 else 15 if base <= 10000 else 20)
                if m["人员类别"] == "在职"
                else (5 if base <= 5000 else 10)
            )
            due = base * rate / 1000
            paid = [
                round(due, 2) if mo in months and rng.random() < pay_rate else None
                for mo in range(1, 13)
            ]
            dues.append([year, m["姓名"], m["公民身份号码"], base, None, *paid, None])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


if __name__ == "__main__":
    size = sys.argv[1] if len(sys.argv) > 1 else "L"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/bench-{size}.xlsx")
    print(generate(size, target))
