"""Import speed: a 300-member branch's whole year (full attendance lists, dues paid every
month, a volunteer service per member per month) imports in seconds."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import openpyxl
import pytest

from ledger_app.domain import idcard
from ledger_app.services.importer import import_workbook

MEMBERS = 300
GROUPS = 6
YEAR = 2025


def _surname(i: int) -> str:
    first = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
    second = "建国晓明丽华志强秀英海燕春梅玉兰文军红霞国庆德胜桂芳永刚淑珍"
    third = "一二三四五六七八九十"
    return first[i % len(first)] + second[(i // len(first)) % len(second)] + third[i // 900]


def big_workbook(path: Path) -> Path:
    """Every meeting a year needs, each with all expected members listed."""
    names = [_surname(i) for i in range(MEMBERS)]
    assert len(set(names)) == MEMBERS
    groups = [f"第{'一二三四五六'[i]}党小组" for i in range(GROUPS)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws.append(["姓名", "公民身份号码", "党员类别", "入党日期", "人员类别", "党小组", "党内职务"])
    posts = ["书记", "副书记", "组织委员", "宣传委员", "纪检委员"]
    for i, name in enumerate(names):
        first17 = f"110105{1960 + i % 40}0{1 + i % 9}1{i % 10}{i:03d}"
        ws.append(
            [
                name,
                first17 + idcard.check_digit(first17),
                "正式党员",
                dt.date(2000 + i % 20, 7, 1),
                "在职" if i % 3 else "离退休",
                groups[i % GROUPS],
                posts[i] if i < len(posts) else None,
            ]
        )
    all_names = "、".join(names)
    ws = wb.create_sheet("三会一课")
    ws.append(["日期", "会议类型", "党小组", "议题", "主持人", "记录人", "出席人员", "请假人员"])
    for month in range(1, 13):
        ws.append(
            [dt.date(YEAR, month, 3), "支委会", None, f"{month}月工作", names[0], names[2],
             "、".join(names[:5]), None]
        )  # fmt: skip
        for g, group in enumerate(groups):
            members = [n for i, n in enumerate(names) if i % GROUPS == g]
            ws.append(
                [dt.date(YEAR, month, 8), "党小组会", group, "学习", members[0], members[1],
                 "、".join(members[1:]), f"{members[0]}（公差）"]
            )  # fmt: skip
        if month % 3 == 0:
            ws.append(
                [dt.date(YEAR, month, 15), "支部党员大会", None, f"第{month // 3}季度大会",
                 names[0], names[2], "、".join(names[2:]), f"{names[1]}（病假）"]
            )  # fmt: skip
            ws.append(
                [dt.date(YEAR, month, 20), "党课", None, f"第{month // 3}季度党课", names[0],
                 names[2], all_names, None]
            )  # fmt: skip
    ws = wb.create_sheet("主题党日")
    ws.append(["日期", "主题", "组织人", "出席人员", "活动内容"])
    for month in range(1, 13):
        ws.append([dt.date(YEAR, month, 25), f"{month}月主题党日", names[2], all_names, "学习"])
    ws = wb.create_sheet("其他组织生活")
    ws.append(["日期", "类型", "主题", "出席人员"])
    ws.append([dt.date(YEAR, 12, 10), "组织生活会", "年度组织生活会", all_names])
    ws.append([dt.date(YEAR, 12, 12), "民主评议党员", "年度民主评议", all_names])
    ws = wb.create_sheet("党费")
    ws.append([f"测试党支部{YEAR}年党费收缴台账"])
    ws.append(["年度", "姓名", "月缴费基数(元)", *[f"{m}月" for m in range(1, 13)]])
    for i, name in enumerate(names):
        ws.append([YEAR, name, 4000 + i, *[(4000 + i) / 100] * 12])
    ws = wb.create_sheet("志愿服务")
    ws.append(["日期", "姓名", "服务项目", "时长(小时)"])
    for month in range(1, 13):
        for i, name in enumerate(names):
            ws.append([dt.date(YEAR, month, 1 + i % 28), name, "社区服务", 1.5 + (i % 3) / 2])
    wb.save(path)
    return path


@pytest.mark.slow
def test_import_of_a_300_member_year_is_fast(ledger, tmp_path, capsys):
    path = big_workbook(tmp_path / "big.xlsx")
    start = time.perf_counter()
    plan = import_workbook(ledger, path)
    first = time.perf_counter() - start
    assert plan.counts["党员名册"]["新增"] == MEMBERS
    assert plan.counts["三会一课"]["新增"] == 12 * (1 + GROUPS) + 8
    assert plan.counts["党费"]["新增缴费"] == MEMBERS * 12
    assert plan.counts["志愿服务"]["新增"] == MEMBERS * 12
    attendance = ledger.db.execute("SELECT COUNT(*) FROM attendance").fetchone()[0]
    assert attendance > 8000

    start = time.perf_counter()
    again = import_workbook(ledger, path)
    second = time.perf_counter() - start
    assert not again.has_changes
    with capsys.disabled():
        print(f"\n300-member year: import {first:.2f} s, re-import {second:.2f} s")
    assert first < 30 and second < 30
