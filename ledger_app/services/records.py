"""Recording organisational life: 三会一课, 主题党日, 组织生活会, 民主评议党员, 谈心谈话.

Use cases for the record form and the record lists (GUI) — new, save, delete, duplicate,
attachments, topic templates, the list rows and the 谈心谈话 coverage. The rules (who is
expected, quorum, which fields are "checked", 补记) live in ``domain``; this module only
calls them.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..domain import compliance
from ..domain.attendance import QUORUM_KINDS, Roster, expected_members, quorum_met
from ..domain.minutes import is_vote_kind, normalize_guests, vote_problems
from ..domain.models import (
    ATTEND_LEAVE,
    ATTEND_PRESENT,
    ATTENDANCE_STATUSES,
    MEETING_KINDS,
    OTHER_KINDS,
    STUDY_KINDS,
    THEME_DAY,
    AttachmentInfo,
    Attendance,
    Member,
    Record,
    TopicTemplate,
)
from ..domain.names import matches, split_names
from ..errors import UserError, ValidationError
from .ledger import Changes, Ledger

TALK = "谈心谈话"
MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024  # a phone photo or a multi-page scan, not a video

_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")


# --- new / save / delete / duplicate ------------------------------------------------------


def new_record(ledger: Ledger, kind: str, date: dt.date | None = None, **prefill) -> Record:
    """An unsaved record of ``kind`` on ``date`` (today by default), with ``prefill`` fields
    (``group_id``, ``topic``, ``also_theme_day`` …). Attendance starts unmarked: an expected
    member nobody marks counts as 缺席 (contract); the form's 全部出席 marks everyone."""
    if kind not in _kinds(ledger):
        raise ValidationError("类型", f"“{kind}”不是可登记的类型")
    rec = Record(id=None, kind=kind, date=date or ledger.today())
    for key, value in prefill.items():
        if not hasattr(rec, key) or key in ("id", "created_at", "updated_at"):
            raise TypeError(f"unknown record field {key!r}")
        setattr(rec, key, value)
    if rec.group_id is not None and not rec.group_name:
        rec.group_name = _group_name(ledger, rec.group_id)
    return rec


def expected_for(ledger: Ledger, record: Record, members: Sequence[Member] | None = None):
    """The members expected (应到) at ``record`` — domain.attendance's rule over the roster."""
    return expected_members(record, ledger.repo.members() if members is None else members)


def normalize_time(text: str | None) -> str | None:
    """``19:30`` or ``19:30-21:00`` (full-width colon, ``～``/``—``/``至`` accepted).
    Raises ValidationError("时间", …) otherwise."""
    raw = (text or "").strip()
    if not raw:
        return None
    parts = [p.strip() for p in re.split(r"\s*(?:-|－|~|～|—|–|至|到)\s*", raw) if p.strip()]
    if not 1 <= len(parts) <= 2:
        raise ValidationError("时间", f"“{raw}”应如 19:30 或 19:30-21:00")
    out = []
    for p in parts:
        m = _TIME.match(p)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise ValidationError("时间", f"“{raw}”应如 19:30 或 19:30-21:00")
        out.append(f"{int(m.group(1)):02d}:{m.group(2)}")
    if len(out) == 2 and out[1] <= out[0]:
        raise ValidationError("时间", f"结束时间 {out[1]} 不晚于开始时间 {out[0]}")
    return "-".join(out)


def validate_record(
    ledger: Ledger, record: Record, members: Sequence[Member] | None = None
) -> list[ValidationError]:
    """Every problem that stops ``record`` from being saved, each naming its field.
    Empty "checked" fields are NOT errors: the record is saved and listed as incomplete."""
    errors: list[ValidationError] = []
    kinds = _kinds(ledger)
    if record.kind not in kinds:
        errors.append(ValidationError("类型", "应为 " + " / ".join(kinds)))
    if not isinstance(record.date, dt.date):
        errors.append(ValidationError("日期", "不能为空"))
        return errors
    if record.date > ledger.today():
        errors.append(ValidationError("日期", "晚于今天：台账登记已经开过的会"))
    try:
        record.time = normalize_time(record.time)
    except ValidationError as e:
        errors.append(e)
    if record.kind == "党小组会":
        if record.group_id is None:
            errors.append(ValidationError("党小组", "党小组会必须选择党小组"))
        elif _group_name(ledger, record.group_id) is None:
            errors.append(ValidationError("党小组", "所选党小组已不存在"))
    if record.also_theme_day and record.kind not in MEETING_KINDS:
        errors.append(ValidationError("结合主题党日", "只有三会一课可同时作为主题党日"))
    errors += _minutes_problems(record)
    roster = {m.id: m for m in (ledger.repo.members() if members is None else members)}
    seen: set[int] = set()
    for a in record.attendance:
        m = roster.get(a.member_id)
        label = m.name if m else f"#{a.member_id}"
        if m is None:
            errors.append(ValidationError("出勤", f"党员 {label} 不存在"))
            continue
        if a.member_id in seen:
            errors.append(ValidationError("出勤", f"{label} 重复登记"))
        seen.add(a.member_id)
        if a.status not in ATTENDANCE_STATUSES:
            errors.append(ValidationError("出勤", f"{label} 的出勤应为 出席 / 请假 / 缺席"))
        if not m.belongs_on(record.date):
            errors.append(
                ValidationError("出勤", f"{label} 在 {record.date.isoformat()} 不是本支部党员")
            )
    return errors


def save_record(
    ledger: Ledger,
    record: Record,
    add_files: Iterable[str | Path] = (),
    remove_attachments: Iterable[int] = (),
    members: Sequence[Member] | None = None,
) -> Changes:
    """Add (``record.id is None``) or update a record, with its attendance and attachment
    changes, in one transaction. Sets ``record.id``. Raises UserError naming each field.
    ``members``: the roster when the caller has it already (the form read it on opening)."""
    record.topic = _clean(record.topic)
    for name in ("place", "host", "recorder", "lecturer", "form", "organizer"):
        setattr(record, name, _clean(getattr(record, name)))
    for name in ("content", "decisions"):
        text = getattr(record, name)
        setattr(record, name, text if text and text.strip() else None)
    if record.kind != "党小组会":
        record.group_id = None
    for a in record.attendance:
        a.reason = _clean(a.reason) if a.status == ATTEND_LEAVE else None
    try:
        record.guests = normalize_guests(record.guests)
    except ValueError:
        pass  # validate_record names it
    errors = validate_record(ledger, record, members)
    if errors:
        raise UserError("记录有误，未保存：", [str(e) for e in errors])
    files = [_read_file(Path(p)) for p in add_files]
    repo = ledger.repo
    with repo.atomic():
        if record.id is None:
            now = dt.datetime.now().replace(microsecond=0)
            # "today" is the ledger's (fixed in tests), so 补记 is judged on the same clock
            created = dt.datetime.combine(ledger.today(), now.time())
            repo.add_record(record, created_at=created)
            record.created_at = record.updated_at = created
        else:
            if repo.record(record.id) is None:
                raise UserError("该记录已被删除，无法保存修改。")
            repo.update_record(record)
        for att_id in remove_attachments:
            repo.delete_attachment(att_id)
        for filename, mime, data in files:
            repo.add_attachment(record.id, filename, mime, data, None)  # type: ignore[arg-type]
    return Changes(records=True)


def delete_record(ledger: Ledger, record_id: int) -> Changes:
    """Delete a record with its attendance and attachments (storage keeps a recoverable copy
    where the safety layer provides one)."""
    if ledger.repo.record(record_id) is None:
        raise UserError("该记录已不存在。")
    with ledger.repo.atomic():
        ledger.repo.delete_record(record_id)
    return Changes(records=True)


def duplicate_record(ledger: Ledger, record_id: int, new_date: dt.date | None = None) -> Record:
    """An unsaved copy of a past record as a start for a new one: same kind, topic, place,
    people and minutes; attendance re-derived for ``new_date`` (unmarked, except that a
    谈心谈话 keeps the people it lists who still belong)."""
    old = ledger.repo.record(record_id)
    if old is None:
        raise UserError("该记录已不存在。")
    day = new_date or ledger.today()
    attendance: list[Attendance] = []
    if old.kind == TALK:
        members = {m.id: m for m in ledger.repo.members()}
        attendance = [
            Attendance(a.member_id, ATTEND_PRESENT, None, a.name)
            for a in old.attendance
            if a.member_id in members and members[a.member_id].belongs_on(day)
        ]
    return replace(
        old, id=None, date=day, attendance=attendance, created_at=None, updated_at=None, origin=None
    )


def record(ledger: Ledger, record_id: int) -> Record | None:
    """One record with its attendance (None when it no longer exists)."""
    return ledger.repo.record(record_id)


# --- checks shown on the form and in the lists ---------------------------------------------


# the people fields: members of the branch on the day; a 授课人 may be a guest from outside
MEMBER_NAME_FIELDS = (("host", "主持人"), ("recorder", "记录人"), ("organizer", "组织人"))
GUEST_NAME_FIELDS = (("lecturer", "授课人"),)


def names_on(members: Sequence[Member], day: dt.date) -> set[str]:
    """The names of the members belonging on ``day``."""
    return {m.name for m in members if m.belongs_on(day)}


def outsiders(
    text: str | None, members: Sequence[Member], day: dt.date, on_day: set[str] | None = None
) -> list[str]:
    """The names in ``text`` (a name or a name list) that are not members belonging on
    ``day`` (``on_day``: :func:`names_on` of them, when the caller has it); a name list with
    an unbalanced bracket is returned whole."""
    if not (text or "").strip():
        return []
    try:
        names = [name for name, _reason in split_names(text)]
    except ValueError:
        return [str(text)]
    if on_day is None:
        on_day = names_on(members, day)
    return [n for n in names if n not in on_day]


def people_errors(
    record: Record, members: Sequence[Member], labels: dict[str, str] | None = None
) -> list[ValidationError]:
    """主持人, 记录人, 组织人 hold members of the branch on the record's day (an empty field is
    not an error here: the record is then incomplete). A typed abbreviation (``zjg``) or a
    stranger is refused, so that it can never count as a filled field. ``labels`` renames a
    field as the form shows it (谈心谈话: 主持人 → 谈话人)."""
    out = []
    on_day = names_on(members, record.date)
    for attr, default in MEMBER_NAME_FIELDS:
        label = (labels or {}).get(attr, default)
        for name in outsiders(getattr(record, attr), members, record.date, on_day):
            known = any(m.name == name for m in members)
            why = "在当日不是本支部党员" if known else "不是本支部党员的姓名"
            out.append(ValidationError(label, f"“{name}”{why}，请从名册中选择（可输拼音首字母）"))
    return out


def missing_fields(record: Record) -> list[str]:
    """The contract's empty "checked" fields (domain.compliance's rule)."""
    return list(compliance.missing_fields(record))


def is_late_entry(record: Record, today: dt.date) -> bool:
    """补记: entered more than 30 days after its date (unsaved records: entered ``today``)."""
    if record.created_at is None:
        record = replace(record, created_at=dt.datetime.combine(today, dt.time()))
    return bool(compliance.is_late_entry(record))


# --- list rows -------------------------------------------------------------------------------


@dataclass
class RecordRow:
    """What a record list shows for one record (light columns, no minutes, no attendance)."""

    id: int
    date: dt.date
    kind: str
    group_name: str | None
    topic: str | None
    host: str | None
    organizer: str | None
    expected: int
    present: int
    leave: int
    missing: list[str] = field(default_factory=list)
    late: bool = False
    quorum_short: bool = False
    also_theme_day: bool = False
    attachments: int = 0
    changed_at: str | None = None  # 已修改: last change made after the fact (audit time)

    @property
    def status_word(self) -> str:
        if self.missing:
            return "缺 " + "、".join(self.missing)
        return "完整"


def record_rows(
    ledger: Ledger,
    kinds: Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    search: str = "",
    record_ids: Iterable[int] | None = None,
    members: Sequence[Member] | None = None,
) -> list[RecordRow]:
    """Rows of the record lists, newest first: a few queries whatever the branch's size.

    ``search`` matches topic, place, host, recorder, lecturer, organizer, group, content.
    ``members``: the roster when the caller has it already (a form just saved)."""
    repo = ledger.repo
    kinds = tuple(kinds) if kinds is not None else None
    if kinds is not None and THEME_DAY in kinds:
        # a meeting held as that month's 主题党日 is listed with the theme days too
        shown = kinds
        kinds = kinds + tuple(k for k in MEETING_KINDS if k not in kinds)
        records = [
            r
            for r in repo.records(kinds=kinds, start=start, end=end, with_attendance=False)
            if r.kind in shown or r.also_theme_day
        ]
    else:
        records = repo.records(kinds=kinds, start=start, end=end, with_attendance=False)
    if record_ids is not None:
        wanted = set(record_ids)
        records = [r for r in records if r.id in wanted]
    text = search.strip().lower()
    if text:
        records = [r for r in records if text in _haystack(r) or _people_match(r, text)]
    if not records:
        return []
    # a list shows counts, not names: the lists are counted in SQL, and read only for the
    # few records whose quorum is judged or whose 应到 are the people listed (谈心谈话)
    counts = repo.attendance_counts(kinds=kinds, start=start, end=end)
    need = (*QUORUM_KINDS, TALK)
    with_lists = (
        {r.id: r for r in repo.records(kinds=need, start=start, end=end)}
        if any(r.kind in need for r in records)
        else {}
    )
    roster = Roster(repo.members() if members is None else members)
    att_counts = repo.attachment_counts()
    from .safety import changed_records

    changed = changed_records(ledger)
    today = ledger.today()
    rows = []
    for r in records:
        assert r.id is not None
        present, leave, listed = counts.get(r.id, (0, 0, 0))
        full = with_lists.get(r.id)
        expected = roster.expected(full or r)
        rows.append(
            RecordRow(
                id=r.id,
                date=r.date,
                kind=r.kind,
                group_name=r.group_name,
                topic=r.topic,
                host=r.host,
                organizer=r.organizer,
                expected=len(expected),
                present=present,
                leave=leave,
                missing=compliance.missing_fields(r, listed),
                late=is_late_entry(r, today),
                # the roster built once above (a list would be made a Roster per record)
                quorum_short=full is not None and quorum_met(full, roster) is False,
                also_theme_day=r.also_theme_day,
                attachments=att_counts.get(r.id, 0),
                changed_at=changed.get(r.id),
            )
        )
    rows.sort(key=lambda row: (row.date, row.id), reverse=True)
    return rows


def _people_match(r: Record, typed: str) -> bool:
    """Pinyin initials pick out the people who held it: ``zjg`` finds 周建国's meetings."""
    if not (typed.isascii() and typed.isalpha()):
        return False
    people = (r.host, r.recorder, r.lecturer, r.organizer)
    return any(matches(name, typed) for field in people if field for name, _ in split_names(field))


def _haystack(r: Record) -> str:
    parts = (
        r.kind,
        r.topic,
        r.place,
        r.host,
        r.recorder,
        r.lecturer,
        r.organizer,
        r.form,
        r.group_name,
        r.content,
        r.decisions,
        r.guests,
        r.date.isoformat(),
    )
    return " ".join(p for p in parts if p).lower()


# --- attachments -----------------------------------------------------------------------------


def _read_file(path: Path) -> tuple[str, str | None, bytes]:
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise UserError(
                f"附件“{path.name}”太大（{size // (1024 * 1024)} MB），"
                f"单个附件不超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB。"
            )
        data = path.read_bytes()
    except OSError as e:
        raise UserError(f"无法读取附件“{path}”：{e.strerror or e}") from e
    mime = mimetypes.guess_type(path.name)[0]
    return path.name, mime, data


def add_attachment(
    ledger: Ledger, record_id: int, path: str | Path, caption: str | None = None
) -> Changes:
    """Keep a copy of the file at ``path`` with the record (in the database, so backups
    carry it)."""
    filename, mime, data = _read_file(Path(path))
    if ledger.repo.record(record_id) is None:
        raise UserError("该记录已不存在。")
    with ledger.repo.atomic():
        ledger.repo.add_attachment(record_id, filename, mime, data, _clean(caption))
    return Changes(records=True)


def attachments(ledger: Ledger, record_id: int) -> list[AttachmentInfo]:
    return ledger.repo.attachments(record_id)


def attachment_data(ledger: Ledger, attachment_id: int) -> bytes:
    data = ledger.repo.attachment_data(attachment_id)
    if data is None:
        raise UserError("该附件已不存在。")
    return data


def remove_attachment(ledger: Ledger, attachment_id: int) -> Changes:
    with ledger.repo.atomic():
        ledger.repo.delete_attachment(attachment_id)
    return Changes(records=True)


def export_attachment(ledger: Ledger, attachment_id: int, target: str | Path) -> Path:
    """Write the attachment's bytes to ``target`` (a file, or a folder: original name)."""
    data = attachment_data(ledger, attachment_id)
    target = Path(target)
    if target.is_dir():
        row = ledger.db.execute(
            "SELECT filename FROM attachment WHERE id = ?", [attachment_id]
        ).fetchone()
        target = target / row[0]
    try:
        target.write_bytes(data)
    except OSError as e:
        raise UserError(f"无法写入“{target}”：{e.strerror or e}") from e
    return target


# --- topic templates -------------------------------------------------------------------------


def topic_templates(ledger: Ledger, kind: str | None = None) -> list[TopicTemplate]:
    return ledger.repo.topic_templates(kind)


def add_topic_template(
    ledger: Ledger, kind: str | None, title: str, body: str | None = None
) -> Changes:
    title = (title or "").strip()
    if not title:
        raise ValidationError("模板标题", "不能为空")
    if kind is not None and kind not in _kinds(ledger):
        raise ValidationError("类型", f"“{kind}”不是可登记的类型")
    with ledger.repo.atomic():
        ledger.repo.add_topic_template(TopicTemplate(None, kind, title, _clean(body)))
    return Changes(settings=True)


def delete_topic_template(ledger: Ledger, template_id: int) -> Changes:
    with ledger.repo.atomic():
        ledger.repo.delete_topic_template(template_id)
    return Changes(settings=True)


def apply_template(record: Record, template: TopicTemplate) -> Record:
    """The template's title becomes the 议题/主题; its body starts the minutes if empty."""
    record.topic = template.title
    if template.body and not (record.content or "").strip():
        record.content = template.body
    return record


# --- 谈心谈话 coverage -------------------------------------------------------------------------


def talk_coverage(ledger: Ledger, year: int) -> compliance.TalkCoverage:
    """Committee members × members for ``year``: who has been talked with (domain rule)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    records = ledger.repo.records(kinds=[TALK], start=start, end=end)
    return compliance.talk_coverage(ledger.repo.members(), records, year, ledger.today())


# --- helpers ---------------------------------------------------------------------------------

KIND_GROUPS = {
    "meetings": MEETING_KINDS,
    "theme": (THEME_DAY,),
    "other": OTHER_KINDS + STUDY_KINDS,
}


def record_years(ledger: Ledger) -> list[int]:
    """Years that have records, this year and last year (checked early in a year), newest
    first (the year filters of the lists and the board)."""
    rows = ledger.db.execute("SELECT DISTINCT substr(date, 1, 4) FROM record").fetchall()
    years = {int(r[0]) for r in rows if r[0] and r[0].isdigit()}
    years |= {ledger.today().year, ledger.today().year - 1}
    return sorted(years, reverse=True)


def page_of(kind: str) -> str:
    """The list page ('meetings' | 'theme' | 'other') that shows records of ``kind`` (a
    kind of the branch's own and 学习教育 are other organisational life)."""
    for key, kinds in KIND_GROUPS.items():
        if kind in kinds:
            return key
    return "other"


# --- issue 18: the branch's kinds, 列席人员 and 表决 ------------------------------------------


def _kinds(ledger: Ledger) -> tuple[str, ...]:
    from .minutes import record_kinds

    return record_kinds(ledger)


def _minutes_problems(record: Record) -> list[ValidationError]:
    """列席人员 that cannot be read, 表决 of a kind without decisions or with more votes
    than members present."""
    out = []
    try:
        normalize_guests(record.guests)
    except ValueError as e:
        out.append(ValidationError("列席人员", str(e)))
    if record.votes and not is_vote_kind(record.kind):
        out.append(ValidationError("表决情况", "只有支部党员大会、支委会记录表决"))
    marked = [a for a in record.attendance if a.status == ATTEND_PRESENT]
    for problem in vote_problems(record, len(marked) if record.attendance else None):
        out.append(ValidationError("表决情况", problem))
    return out


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _group_name(ledger: Ledger, group_id: int) -> str | None:
    for g in ledger.repo.groups():
        if g.id == group_id:
            return g.name
    return None
