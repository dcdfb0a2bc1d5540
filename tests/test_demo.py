"""The demo branch: realistic, deterministic, with the planted problems the board must show."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member

from ledger_app.domain import idcard
from ledger_app.domain.models import is_committee_post
from ledger_app.errors import UserError
from ledger_app.services.compliance import run_check
from ledger_app.services.demo import create_demo, fill_demo, is_stale
from ledger_app.services.ledger import Ledger
from ledger_app.services.roster import validate_member

TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo(path, today=TODAY)
    lg = Ledger.open(path, today=TODAY)
    yield lg
    lg.close()


def test_demo_roster_is_realistic(demo):
    repo = demo.repo
    members = repo.members()
    assert 28 <= len(members) <= 35
    assert [g.name for g in repo.groups()] == ["第一党小组", "第二党小组", "第三党小组"]
    assert all(m.group_id for m in members)
    posts = {m.post for m in members if is_committee_post(m.post)}
    assert posts == {"书记", "副书记", "组织委员", "宣传委员", "纪检委员"}
    assert {m.category for m in members} >= {"在职", "离退休", "农民", "学生", "下岗失业"}
    assert [m.name for m in members if m.member_type == "预备党员"] == ["肖雅琴"]
    for m in members:
        assert idcard.validate(m.id_number) is None, m.name
        assert idcard.birth_date(m.id_number) == m.birth_date
        assert idcard.gender(m.id_number) == m.gender
    assert len({m.id_number for m in members}) == len(members)
    for m in members:  # every member passes the roster's own validation
        assert validate_member(m, members) == [], m.name
        assert m.full_date is None or m.full_date < TODAY
    assert repo.branch().name == "阳光街道机关第一党支部"
    assert demo.user == "李明"


def test_one_member_transferred_out_mid_year_with_history(demo):
    out = [m for m in demo.repo.members() if m.status != "在册"]
    assert len(out) == 1
    m = out[0]
    assert m.status == "转出" and m.status_date == dt.date(2025, 7, 15)
    history = demo.repo.status_history(m.id)
    assert [h.status for h in history] == ["在册", "转出"]
    # records before the transfer still count the member, later ones do not
    records = demo.repo.records(
        kinds=["支部党员大会"], start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    listed = [{a.member_id for a in r.attendance} for r in records]
    assert m.id in listed[0] and m.id not in listed[-1]


def test_a_year_of_records_up_to_today(demo):
    records = demo.repo.records()
    assert records and all(r.date < TODAY for r in records)
    kinds = {r.kind for r in records}
    assert kinds == {
        "支委会",
        "党小组会",
        "支部党员大会",
        "党课",
        "主题党日",
        "组织生活会",
        "民主评议党员",
        "谈心谈话",
        "集中学习",  # issue 18: 学习教育, with their own rules
        "交流研讨",
    }
    in_2025 = [r for r in records if r.date.year == 2025]
    count = {k: sum(1 for r in in_2025 if r.kind == k) for k in kinds}
    assert count["支委会"] == 11  # one planted gap
    assert count["党小组会"] == 36
    # one a quarter, and the one that admitted the 预备党员 (发展党员, issue 19)
    assert count["支部党员大会"] == 5 and count["党课"] == 4
    assert sum(1 for r in in_2025 if r.also_theme_day) == 4
    # realistic leave with reasons
    leave = [a for r in records for a in r.attendance if a.status == "请假"]
    assert leave and {a.reason for a in leave} <= {"病假", "事假", "公差"}
    # one record entered long after the event (补记)
    assert any(r.created_at and (r.created_at.date() - r.date).days > 30 for r in records)


def test_the_check_finds_exactly_the_planted_problems(demo):
    result = run_check(demo, 2025)
    assert [(g.item, g.period.key) for g in result.gaps] == [("支委会", "2025-04")]
    alerts = {(a.name, a.kind) for a in result.member_alerts}
    assert ("郭子豪", "未参加组织生活") in alerts  # the drifting member
    assert ("杨帆", "未参加组织生活") in alerts  # a three-month run, then back
    assert ("高文博", "未交党费") in alerts  # in arrears
    assert len(result.incomplete_records) == 1
    assert result.incomplete_records[0].missing == ["记录人", "主要内容"]


def test_dues_bases_in_several_brackets_and_volunteer_entries(demo):
    settings = demo.repo.dues_settings(2025)
    bases = {s.base_fen for s in settings.values() if s.base_fen}
    assert len({b for b in bases if b <= 300000}) >= 1
    assert len({b for b in bases if 300000 < b <= 500000}) >= 1
    assert len({b for b in bases if 500000 < b <= 1000000}) >= 1
    assert len({b for b in bases if b > 1000000}) >= 1
    assert demo.repo.payments(2025)
    assert len(demo.repo.volunteer(dt.date(2025, 1, 1), dt.date(2025, 12, 31))) > 100


def test_demo_is_deterministic(tmp_path):
    def dump(path):
        lg = Ledger.open(path, today=TODAY)
        try:
            members = [(m.name, m.id_number, m.phone, m.join_date) for m in lg.repo.members()]
            records = [
                (r.kind, r.date, [(a.member_id, a.status, a.reason) for a in r.attendance])
                for r in lg.repo.records()
            ]
            payments = [(p.member_id, p.month, p.amount_fen) for p in lg.repo.payments(2025)]
            return members, records, payments
        finally:
            lg.close()

    create_demo(tmp_path / "a.db", today=TODAY)
    create_demo(tmp_path / "b.db", today=TODAY)
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")


def test_demo_refuses_a_database_with_data(ledger):
    add_member(ledger, "张三")
    with pytest.raises(UserError):
        fill_demo(ledger)
    assert ledger.repo.member_count() == 1


def test_demo_follows_today():
    ledger = Ledger.open(None, today=dt.date(2026, 11, 23))
    fill_demo(ledger)
    records = ledger.repo.records()
    assert max(r.date for r in records) < dt.date(2026, 11, 23)
    assert min(r.date for r in records) >= dt.date(2025, 1, 1)
    result = run_check(ledger, 2026)
    # the current year shows one gap on the board: the last ended quarter's 党课
    assert [(g.item, g.period.key) for g in result.gaps] == [("党课", "2026-Q3")]


def test_stale_demo_is_detected_only_for_the_demo_branch(tmp_path, ledger):
    path = tmp_path / "demo.db"
    create_demo(path, today=TODAY)
    assert not is_stale(path, today=TODAY)
    assert is_stale(path, today=dt.date(2026, 4, 1))
    other = tmp_path / "mine.db"
    lg = Ledger.open(other)
    lg.repo.set_branch_info({"支部名称": "我的党支部"})
    lg.close()
    assert not is_stale(other, today=dt.date(2030, 1, 1))


@pytest.mark.parametrize("today", [TODAY, dt.date(2026, 7, 20), dt.date(2027, 4, 2)])
def test_the_demo_obeys_the_rules_it_demonstrates(today):
    """Whoever runs a meeting is there: its 主持人, 记录人, 组织人 and a member 授课人 are
    members on the day and marked 出席 (never 请假 or 缺席); 支部党员大会 and 支委会 reach
    their quorum; every record saves as the form would save it; dues and volunteer service
    only while a member belongs."""
    from ledger_app.domain.attendance import quorum_met
    from ledger_app.domain.dues import owed_months
    from ledger_app.services import records as svc

    ledger = Ledger.open(None, today=today)
    try:
        fill_demo(ledger, today)
        members = ledger.repo.members()
        by_id = {m.id: m for m in members}
        problems = []
        for r in ledger.repo.records():
            what = f"{r.date} {r.kind} {r.group_name or ''}"
            status = {by_id[a.member_id].name: a.status for a in r.attendance}
            for role in ("host", "recorder", "organizer", "lecturer"):
                name = getattr(r, role)
                if name in status and status[name] != "出席":
                    problems.append(f"{what}: {role} {name} {status[name]}")
            problems += [f"{what}: {e}" for e in svc.people_errors(r, members)]
            problems += [f"{what}: {e}" for e in svc.validate_record(ledger, r, members)]
            if quorum_met(r, members) is False:
                problems.append(f"{what}: 不足法定人数")
            if r.date >= today:
                problems.append(f"{what}: 晚于今天")
        for year in (today.year - 1, today.year):
            for p in ledger.repo.payments(year=year):
                if p.month not in owed_months(by_id[p.member_id], year):
                    problems.append(f"{year}-{p.month} 党费 {by_id[p.member_id].name}: 不需缴纳")
        for e in ledger.repo.volunteer():
            if not by_id[e.member_id].belongs_on(e.date):
                problems.append(f"{e.date} 志愿服务 {by_id[e.member_id].name}: 不在本支部")
        assert problems == []
    finally:
        ledger.close()
