"""内容校验码: a short code of what an exported ledger workbook says, so that a higher
committee can tell a workbook changed after the export from one as the branch's program
wrote it.

The code is a SHA-256 of the period's facts in one canonical form — 支部信息, the 期内党员
(contract fields), the period's records with their attendance, the dues terms and the
payments of the period's months, the volunteer service — the facts an import of the
workbook gives back. It is computed from a period model: by the export from the branch's
ledger, and by the committee view from the ledger the workbook imports into (the same
reader and importer as ``import``). Formatting, column widths, the order of rows and the
computed (†) columns do not change it; a changed date, name, attendance mark, amount or
hour does.

Left out, so that a masked copy (``--mask``) checks the same as the full one: 公民身份号码,
联系电话, and what the import derives from the ID number (出生日期, 性别).

No Qt, no SQL.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from .dates import format_date, parse_date
from .models import ACTIVE, BRANCH_INFO_KEYS, MEETING_KINDS, OTHER_KINDS, THEME_DAY

if TYPE_CHECKING:
    from .period import PeriodModel

VERSION = "1"  # bumped when the canonical form changes (older codes are then "unknown")

# the fields of a record its sheet carries (三会一课, 主题党日, 其他组织生活)
_MEETING = ("topic", "place", "host", "recorder", "lecturer", "content", "decisions")
_THEME = ("topic", "form", "place", "organizer", "content")
_OTHER = ("topic", "place", "host", "recorder", "content")
_RECORD_FIELDS = {
    **dict.fromkeys(MEETING_KINDS, _MEETING),
    THEME_DAY: _THEME,
    **dict.fromkeys(OTHER_KINDS, _OTHER),
}


def _d(day) -> str:
    return format_date(day) if day else ""


def _s(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)


def _info(key: str, value: str | None) -> str:
    if key == "成立日期" and value:
        try:
            return parse_date(value).isoformat()
        except ValueError:
            pass
    return _s(value)


def canonical(model: PeriodModel) -> dict:
    """The facts the code covers, as plain sorted lists (what is hashed)."""
    info = model.branch.info
    branch = [[k, _info(k, info.get(k))] for k in BRANCH_INFO_KEYS if _info(k, info.get(k))]
    members = sorted(
        [
            m.name,
            _s(m.ethnicity),
            _s(m.education),
            m.member_type,
            _d(m.join_date),
            _d(m.full_date),
            m.category,
            _s(m.group_name),
            _s(m.post),
            m.status,
            _d(m.status_date) if m.status != ACTIVE else "",
            _d(m.transfer_in_date),
        ]
        for m in model.roster.in_period
    )
    records = []
    for v in model.records:
        r = v.record
        attendance = sorted([a.name or "", a.status, _s(a.reason)] for a in r.attendance)
        fields = _RECORD_FIELDS.get(r.kind, _RECORD_FIELDS[OTHER_KINDS[0]])
        records.append(
            [
                r.kind,
                _d(r.date),
                _s(r.group_name) if r.kind == "党小组会" else "",
                *(_s(getattr(r, f)) for f in fields),
                "是" if r.also_theme_day and r.kind in MEETING_KINDS else "",
                attendance,
            ]
        )
    records.sort(key=lambda x: json.dumps(x, ensure_ascii=False))
    months = model.months
    dues = sorted(
        [
            line.member.name,
            line.md.setting.base_fen if line.md.setting else None,
            line.md.setting.fixed_fen if line.md.setting else None,
            _s(line.md.setting.note) if line.md.setting else "",
            [line.md.paid_by_month.get(m, 0) for m in months],
        ]
        for line in model.dues.lines
        if line.md.setting is not None or any(line.md.paid_by_month.get(m) for m in months)
    )
    by_id = {m.id: m.name for m in model.inputs.members}
    volunteer = sorted(
        [
            _d(e.date),
            by_id.get(e.member_id, e.member_name or ""),
            _s(e.project),
            _s(e.place),
            e.half_hours,
            _s(e.witness),
            _s(e.note),
        ]
        for e in model.volunteer.entries
    )
    return {
        "version": VERSION,
        "period": model.period.key,
        "branch": branch,
        "members": members,
        "records": records,
        "dues": dues,
        "volunteer": volunteer,
    }


def content_code(model: PeriodModel) -> str:
    """``A1B2-C3D4-E5F6-0718``: the first 64 bits of the SHA-256 of :func:`canonical`."""
    blob = json.dumps(canonical(model), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


__all__ = ["VERSION", "canonical", "content_code"]
