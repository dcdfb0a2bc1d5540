"""Recording organisational life (services/records.py): save with validation, 补记, delete,
duplicate, attachments, topic templates, the list rows and 谈心谈话 coverage."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_member

from ledger_app.domain.models import Attendance
from ledger_app.errors import UserError, ValidationError
from ledger_app.services import records as svc

D = dt.date


@pytest.fixture
def branch(ledger):
    """书记 and 组织委员 in 第一党小组, two members in 第二党小组, one who left in June 2025."""
    people = {
        "林海": add_member(ledger, "林海", group="第一党小组", post="书记"),
        "黄晓丽": add_member(ledger, "黄晓丽", group="第一党小组", post="组织委员"),
        "张三": add_member(ledger, "张三", group="第二党小组"),
        "李四": add_member(ledger, "李四", group="第二党小组", member_type="预备党员"),
        "王五": add_member(
            ledger, "王五", group="第二党小组", status="转出", status_date=D(2025, 6, 1)
        ),
    }
    return people


def _att(member, status="出席", reason=None):
    return Attendance(member.id, status, reason)


def test_new_record_starts_unmarked_and_prefilled(ledger, branch):
    gid = ledger.repo.group_id("第二党小组")
    r = svc.new_record(ledger, "党小组会", D(2025, 3, 7), group_id=gid, topic="学习")
    assert (r.kind, r.date, r.group_id, r.group_name, r.topic) == (
        "党小组会",
        D(2025, 3, 7),
        gid,
        "第二党小组",
        "学习",
    )
    assert r.attendance == [] and r.id is None
    assert [m.name for m in svc.expected_for(ledger, r)] == ["张三", "李四", "王五"]
    assert svc.new_record(ledger, "支委会").date == ledger.today()
    with pytest.raises(ValidationError):
        svc.new_record(ledger, "茶话会")


def test_save_round_trip_with_attendance_and_reason(ledger, branch):
    r = svc.new_record(ledger, "支委会", D(2025, 12, 20), topic="研究发展党员", host="林海")
    r.time = "19：30～21:00"
    r.attendance = [_att(branch["林海"]), _att(branch["黄晓丽"], "请假", " 病假 ")]
    changes = svc.save_record(ledger, r)
    assert changes.records
    got = ledger.repo.record(r.id)
    assert got.time == "19:30-21:00"
    assert [(a.member_id, a.status, a.reason) for a in got.attendance] == [
        (branch["林海"].id, "出席", None),
        (branch["黄晓丽"].id, "请假", "病假"),
    ]
    assert got.created_at.date() == ledger.today()


@pytest.mark.parametrize(
    "change, field",
    [
        (dict(kind="党小组会"), "党小组"),
        (dict(time="25:00"), "时间"),
        (dict(time="21:00-19:30"), "时间"),
        (dict(date=D(2026, 2, 1)), "日期"),  # after today: not yet held
        (dict(kind="主题党日", also_theme_day=True), "结合主题党日"),
    ],
)
def test_save_refuses_what_cannot_be_right(ledger, branch, change, field):
    r = svc.new_record(ledger, "支委会", D(2025, 12, 20))
    for k, v in change.items():
        setattr(r, k, v)
    with pytest.raises(UserError) as e:
        svc.save_record(ledger, r)
    assert any(d.startswith(field) for d in e.value.details)
    assert ledger.repo.records() == []


def test_attendance_must_belong_on_that_day(ledger, branch):
    r = svc.new_record(ledger, "支部党员大会", D(2025, 7, 1))
    r.attendance = [_att(branch["王五"])]  # left on 2025-06-01
    with pytest.raises(UserError) as e:
        svc.save_record(ledger, r)
    assert "王五 在 2025-07-01 不是本支部党员" in str(e.value)
    r.date = D(2025, 5, 31)
    svc.save_record(ledger, r)
    assert ledger.repo.record(r.id).attendance[0].member_id == branch["王五"].id


def test_reason_kept_only_for_leave_and_update_replaces_attendance(ledger, branch):
    r = svc.new_record(ledger, "支部党员大会", D(2025, 3, 7))
    r.attendance = [_att(branch["张三"], "出席", "事假")]
    svc.save_record(ledger, r)
    assert ledger.repo.record(r.id).attendance[0].reason is None
    r.attendance = [_att(branch["李四"], "请假", "公差")]
    svc.save_record(ledger, r)
    got = ledger.repo.record(r.id)
    assert [(a.member_id, a.reason) for a in got.attendance] == [(branch["李四"].id, "公差")]
    assert len(ledger.repo.records()) == 1


def test_late_entry_is_judged_against_the_ledgers_today(ledger, branch):
    old = svc.new_record(ledger, "支委会", D(2025, 12, 1))  # 45 days before 2026-01-15
    recent = svc.new_record(ledger, "支委会", D(2025, 12, 20))
    assert svc.is_late_entry(old, ledger.today())  # unsaved: would be entered today
    assert not svc.is_late_entry(recent, ledger.today())
    svc.save_record(ledger, old)
    svc.save_record(ledger, recent)
    rows = {row.id: row for row in svc.record_rows(ledger)}
    assert rows[old.id].late and not rows[recent.id].late


def test_delete_record(ledger, branch):
    r = svc.new_record(ledger, "党课", D(2025, 3, 7))
    r.attendance = [_att(branch["张三"])]
    svc.save_record(ledger, r)
    svc.delete_record(ledger, r.id)
    assert ledger.repo.record(r.id) is None
    with pytest.raises(UserError):
        svc.delete_record(ledger, r.id)


def test_duplicate_copies_fields_and_rederives_attendance(ledger, branch):
    r = svc.new_record(ledger, "支委会", D(2025, 3, 7), topic="月度工作", host="林海")
    r.content = "传达上级精神"
    r.attendance = [_att(branch["林海"]), _att(branch["黄晓丽"])]
    svc.save_record(ledger, r)
    copy = svc.duplicate_record(ledger, r.id, D(2025, 4, 7))
    assert copy.id is None and copy.date == D(2025, 4, 7)
    assert (copy.topic, copy.host, copy.content) == ("月度工作", "林海", "传达上级精神")
    assert copy.attendance == []  # a new meeting: attendance is marked anew
    svc.save_record(ledger, copy)
    assert len(ledger.repo.records()) == 2


def test_duplicate_talk_keeps_people_who_still_belong(ledger, branch):
    r = svc.new_record(ledger, "谈心谈话", D(2025, 5, 7), host="林海")
    r.attendance = [_att(branch["张三"]), _att(branch["王五"])]
    svc.save_record(ledger, r)
    copy = svc.duplicate_record(ledger, r.id, D(2025, 7, 1))
    assert [a.member_id for a in copy.attendance] == [branch["张三"].id]


def test_attachments_add_list_export_remove(ledger, branch, tmp_path):
    r = svc.new_record(ledger, "支委会", D(2025, 3, 7))
    photo = tmp_path / "签到表.png"
    photo.write_bytes(b"\x89PNG fake")
    svc.save_record(ledger, r, add_files=[photo])
    (info,) = svc.attachments(ledger, r.id)
    assert (info.filename, info.mime, info.size) == ("签到表.png", "image/png", 9)
    svc.add_attachment(ledger, r.id, photo, caption="第二页")
    assert len(svc.attachments(ledger, r.id)) == 2
    out = svc.export_attachment(ledger, info.id, tmp_path / "out")
    assert out.read_bytes() == b"\x89PNG fake"
    svc.save_record(ledger, r, remove_attachments=[info.id])
    assert [a.caption for a in svc.attachments(ledger, r.id)] == ["第二页"]
    with pytest.raises(UserError):
        svc.add_attachment(ledger, r.id, tmp_path / "nope.jpg")
    # deleting the record takes its attachments with it
    svc.delete_record(ledger, r.id)
    assert ledger.db.execute("SELECT COUNT(*) FROM attachment").fetchone()[0] == 0


def test_attachment_of_a_failed_save_is_not_kept(ledger, branch, tmp_path):
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"x")
    r = svc.new_record(ledger, "党小组会", D(2025, 3, 7))  # no group: refused
    with pytest.raises(UserError):
        svc.save_record(ledger, r, add_files=[photo])
    assert ledger.db.execute("SELECT COUNT(*) FROM attachment").fetchone()[0] == 0


def test_topic_templates(ledger):
    svc.add_topic_template(ledger, "支委会", "研究发展党员工作", "一、……")
    svc.add_topic_template(ledger, None, "学习贯彻重要讲话精神")
    assert [t.title for t in svc.topic_templates(ledger, "支委会")] == [
        "学习贯彻重要讲话精神",
        "研究发展党员工作",
    ]
    assert [t.title for t in svc.topic_templates(ledger, "党课")] == ["学习贯彻重要讲话精神"]
    with pytest.raises(ValidationError):
        svc.add_topic_template(ledger, "支委会", "  ")
    t = svc.topic_templates(ledger, "支委会")[1]
    r = svc.apply_template(svc.new_record(ledger, "支委会", D(2025, 3, 7)), t)
    assert (r.topic, r.content) == ("研究发展党员工作", "一、……")
    svc.delete_topic_template(ledger, t.id)
    assert len(svc.topic_templates(ledger)) == 1


def test_record_rows_counts_status_and_filters(ledger, branch):
    full = svc.new_record(
        ledger, "支委会", D(2025, 3, 7), topic="a", host="林海", recorder="黄晓丽", content="c"
    )
    full.attendance = [_att(branch["林海"]), _att(branch["黄晓丽"], "请假", "病假")]
    svc.save_record(ledger, full)
    bare = svc.new_record(ledger, "支部党员大会", D(2025, 4, 8), topic="选举")
    bare.attendance = [_att(branch["张三"])]
    svc.save_record(ledger, bare)
    theme = svc.new_record(ledger, "主题党日", D(2025, 4, 9), topic="参观")
    svc.save_record(ledger, theme)

    rows = svc.record_rows(ledger, kinds=["支部党员大会", "支委会"])
    assert [r.id for r in rows] == [bare.id, full.id]  # newest first
    f = rows[1]
    # exactly half of the committee is not "more than half"
    assert (f.expected, f.present, f.leave, f.missing, f.quorum_short) == (2, 1, 1, [], True)
    assert f.status_word == "完整"
    b = rows[0]
    # 2025-04-08: all five belong (王五 left on 2025-06-01)
    assert b.expected == 5 and b.present == 1
    assert b.missing == ["主持人", "记录人", "主要内容"]
    assert b.quorum_short  # 1 of 4 正式党员
    assert "缺 主持人" in b.status_word
    (t,) = svc.record_rows(ledger, kinds=["主题党日"])
    assert t.missing == ["组织人", "活动内容", "出席人员"]

    assert [r.id for r in svc.record_rows(ledger, search="选举")] == [bare.id]
    assert [r.id for r in svc.record_rows(ledger, start=D(2025, 4, 1), end=D(2025, 4, 8))] == [
        bare.id
    ]
    assert [r.id for r in svc.record_rows(ledger, record_ids=[full.id])] == [full.id]


def test_talk_coverage(ledger, branch):
    r = svc.new_record(ledger, "谈心谈话", D(2025, 5, 7), host="林海", topic="思想动态")
    r.attendance = [_att(branch["张三"])]
    svc.save_record(ledger, r)
    cov = svc.talk_coverage(ledger, 2025)
    assert cov.has_talked(branch["林海"].id, branch["张三"].id)
    assert not cov.has_talked(branch["黄晓丽"].id, branch["张三"].id)
    uncovered = {m.name for m in cov.uncovered()}
    assert "张三" not in uncovered and "李四" in uncovered


def test_page_of():
    assert svc.page_of("党课") == "meetings"
    assert svc.page_of("主题党日") == "theme"
    assert svc.page_of("谈心谈话") == "other"


def test_a_meeting_held_as_the_theme_day_is_listed_with_the_theme_days(ledger):
    import datetime as dt

    from ledger_app.domain.models import Record
    from ledger_app.services import records as svc

    with ledger.repo.atomic():
        ledger.repo.add_record(Record(None, "主题党日", dt.date(2025, 1, 15), topic="1月主题党日"))
        ledger.repo.add_record(
            Record(None, "支部党员大会", dt.date(2025, 3, 15), topic="一季度", also_theme_day=True)
        )
        ledger.repo.add_record(Record(None, "支部党员大会", dt.date(2025, 6, 15), topic="二季度"))
    rows = svc.record_rows(ledger, kinds=("主题党日",))
    assert sorted(r.topic for r in rows) == ["1月主题党日", "一季度"]
    assert [r.topic for r in svc.record_rows(ledger, kinds=("支部党员大会",))] == [
        "二季度",
        "一季度",
    ]


def test_search_finds_a_host_by_pinyin_initials(ledger, branch):
    r = svc.new_record(ledger, "支委会", D(2025, 3, 7), topic="研究发展党员", host="林海")
    svc.save_record(ledger, r)
    other = svc.new_record(ledger, "支委会", D(2025, 4, 7), topic="学习", host="黄晓丽")
    svc.save_record(ledger, other)
    assert [x.id for x in svc.record_rows(ledger, search="lh")] == [r.id]
    assert [x.id for x in svc.record_rows(ledger, search="HXL")] == [other.id]
    assert svc.record_rows(ledger, search="zz") == []


def test_saving_an_unchanged_attendance_list_leaves_it_and_its_history_alone(ledger):
    """A record saved again with the same attendance (the topic corrected, say) does not
    rewrite its list: the trail shows the change made, not every member deleted and added
    again (which also made each later save of a big meeting slower)."""
    a = add_member(ledger, "甲", post="书记")
    b = add_member(ledger, "乙", post="组织委员")
    rec = svc.new_record(ledger, "支委会", dt.date(2025, 12, 5), topic="旧")
    rec.attendance = [Attendance(a.id, "出席"), Attendance(b.id, "请假", "病假")]
    svc.save_record(ledger, rec)

    def trail():
        return ledger.db.execute(
            "SELECT tbl, op FROM audit WHERE tbl IN ('record', 'attendance') ORDER BY id"
        ).fetchall()

    before = trail()
    again = ledger.repo.record(rec.id)
    again.topic = "新"
    svc.save_record(ledger, again)
    assert trail()[len(before) :] == [("record", "UPDATE")]
    again.attendance[1] = Attendance(b.id, "出席")
    svc.save_record(ledger, again)
    assert [(a.member_id, a.status) for a in ledger.repo.record(rec.id).attendance] == [
        (a.id, "出席"),
        (b.id, "出席"),
    ]
