"""``verify``: is the ledger file whole, and is its data what the program wrote?

What it can prove and what not (README › 备份与恢复 says the same to the clerk):

- The audit trail is a hash chain of every change the program made. A change made with
  another tool while the audit triggers are in place leaves an audit row the program did
  not seal: it is named here as a change from outside the program, for good. Data that
  differ from what the trail says (triggers dropped first), rows changed between two of
  their audit rows, dropped triggers, an attachment whose bytes do not match: all named.
- Whoever controls the PC can still rewrite the whole chain consistently. What cannot be
  rewritten is a code printed earlier: the 台账校验码 (the chain head's first 16 hex digits,
  on every PDF page and in the workbook's 汇总 sheet). ``verify --code`` finds the row of
  the chain that code belongs to and lists every change after it — or says the code is
  not in the chain at all: the trail has been rewritten since (or the code mistyped).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.money import format_yuan
from ..errors import UserError
from ..storage import audit
from ..storage import backup as storage_backup

CODE_LENGTH = 16  # hex digits of the chain head printed as 台账校验码
MAX_LISTED = 20  # lines per kind of problem; the rest are counted
MAX_VALUE = 40  # characters of a value quoted in a line

# column → the words of the forms and the workbook
FIELD_LABELS = {
    "name": "姓名", "gender": "性别", "ethnicity": "民族", "birth_date": "出生日期",
    "id_number": "公民身份号码", "education": "学历", "member_type": "党员类别",
    "join_date": "入党日期", "full_date": "转正日期", "category": "人员类别",
    "group_id": "党小组", "post": "党内职务", "phone": "联系电话", "status": "状态",
    "status_date": "状态日期", "transfer_in_date": "转入日期", "note": "备注", "kind": "类型",
    "date": "日期", "time": "时间", "place": "地点", "host": "主持人", "recorder": "记录人",
    "lecturer": "授课人", "topic": "议题/主题", "form": "形式", "organizer": "组织人",
    "content": "内容", "decisions": "决议", "also_theme_day": "兼主题党日", "reason": "原因",
    "year": "年度", "month": "月份", "amount_fen": "金额", "paid_on": "缴纳日期",
    "entered_by": "录入人", "base_fen": "计费基数", "fixed_fen": "固定金额", "reduction": "减免",
    "reduction_fen": "减免金额", "approved_by": "批准人", "approved_on": "批准日期",
    "project": "项目", "witness": "证明人", "half_hours": "时长", "key": "项目", "value": "内容",
    "item": "项目", "period": "周期", "required": "次数", "filename": "文件名",
    "caption": "说明", "sha256": "内容校验值", "title": "标题", "body": "正文",
    "payload": "内容", "member_id": "党员", "record_id": "记录",
}  # fmt: skip
_HIDDEN = {"id", "created_at", "updated_at", "origin", "added_at", "recorded_at", "deleted_at"}


def _value(key: str, value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if key.endswith("_fen") and isinstance(value, int):
        return format_yuan(value)
    text = str(value).replace("\n", " ")
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"


def describe(entry: audit.AuditEntry) -> str:
    """One audit row in Chinese: when, who, what was done to which row, and the values —
    ``2025-03-07 14:30:00（王书记） 修改 党费缴纳（编号 11）：金额 由 ¥50.00 改为 ¥500.00``."""
    what = audit.OP_LABELS.get(entry.op, entry.op)
    table = audit.TABLE_LABELS.get(entry.table, entry.table)
    at = str(entry.at).replace("T", " ")
    head = f"{at}{f'（{entry.who}）' if entry.who else ''} {what} {table}（编号 {entry.row_id}）"
    if entry.op == "UPDATE":
        parts = [
            f"{FIELD_LABELS.get(k, k)} 由 {_value(k, old)} 改为 {_value(k, new)}"
            for k, (old, new) in entry.changed.items()
            if k not in _HIDDEN
        ]
    else:
        row = entry.after or entry.before or {}
        parts = [
            f"{FIELD_LABELS.get(k, k)} {_value(k, v)}"
            for k, v in row.items()
            if k not in _HIDDEN and v not in (None, "")
        ][:5]
    return head + ("：" + "，".join(parts) if parts else "")


def normalize_code(text: str) -> str:
    """The 台账校验码 as typed (spaces, dashes, capitals allowed) → lower-case hex digits;
    :class:`UserError` when it is not one."""
    code = re.sub(r"[\s\-]", "", text or "").lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", code):
        raise UserError(
            f"台账校验码应为 {CODE_LENGTH} 位十六进制数字（0–9 和 a–f），"
            f"如 PDF 页脚或 Excel 汇总表上印的“台账校验码 3f9a0c1d5e7b2a48”：{text[:40]}"
        )
    return code


@dataclass
class Verification:
    """What ``verify`` found. :attr:`ok` only when nothing at all is wrong."""

    file_problem: str | None = None  # not a whole ledger database (the rest is unknown)
    first_bad_audit: int | None = None  # the chain breaks at this audit row
    mismatches: list[tuple[str, str]] = field(default_factory=list)  # data ≠ trail
    gaps: list[tuple[str, str, int]] = field(default_factory=list)  # changed between rows
    large: list[tuple[str, str]] = field(default_factory=list)  # bytes ≠ their SHA-256
    outside: list[audit.AuditEntry] = field(default_factory=list)  # unsealed: from outside
    missing_triggers: list[str] = field(default_factory=list)
    restored_triggers: list[str] = field(default_factory=list)  # "when names", from the trail
    audit_rows: int = 0
    head: str = ""
    code: str | None = None  # the 台账校验码 asked about
    code_at: str | None = None  # when the row it belongs to was written; None: not found
    after_code: list[audit.AuditEntry] = field(default_factory=list)

    @property
    def content_ok(self) -> bool:
        return (
            self.file_problem is None
            and self.first_bad_audit is None
            and not (self.mismatches or self.gaps or self.large or self.outside)
            and not (self.missing_triggers or self.restored_triggers)
        )

    @property
    def unchanged_since_code(self) -> bool:
        return self.code is not None and self.code_at is not None and not self.after_code

    @property
    def ok(self) -> bool:
        return self.content_ok and (self.code is None or self.unchanged_since_code)

    def lines(self) -> list[str]:
        if self.file_problem:
            return [f"数据库文件：有问题——{self.file_problem}"]
        out = ["数据库文件：完好（完整性检查通过，数据引用一致，结构与本程序一致）"]
        if self.first_bad_audit is None:
            out.append(f"修改记录：共 {self.audit_rows} 条，校验链完整")
        else:
            out.append(
                f"修改记录：校验链在第 {self.first_bad_audit} 条处断开——该条被改动过，"
                "或它前面的修改记录被删除了"
            )
        listed = [
            f"  {_label(t)}（编号 {k}）的数据与修改记录不符：被绕过程序直接改动（或文件损坏）"
            for t, k in self.mismatches
        ]
        listed += [
            f"  {_label(t)}（编号 {k}）在第 {n} 条修改记录之前被改动过，没有留下修改记录"
            for t, k, n in self.gaps
        ]
        listed += [f"  {_label(t)}（编号 {k}）的内容与记下的校验值不符" for t, k in self.large]
        out += _capped(listed)
        if self.outside:
            out.append(
                f"以下 {len(self.outside)} 处改动不是本程序做的（有人用其他工具直接改了数据库）："
            )
            out += _capped(["  " + describe(e) for e in self.outside])
        if self.missing_triggers:
            out.append(
                f"记录修改的触发器缺少 {len(self.missing_triggers)} 个"
                f"（{'、'.join(self.missing_triggers[:6])}{'…' if len(self.missing_triggers) > 6 else ''}）："
                "被删除期间的改动不会留下修改记录。程序下次保存前会重建它们。"
            )
        for event in self.restored_triggers:
            out.append(
                f"程序曾发现记录修改的触发器被删除并已重建（{event}）："
                "在那之前的一段时间里的改动没有修改记录。"
            )
        if self.head:
            out.append(f"台账校验码：{self.head[:CODE_LENGTH]}（完整：{self.head}）")
        if self.code is not None:
            out += self._code_lines()
        return out

    def _code_lines(self) -> list[str]:
        if self.code_at is None:
            return [
                f"台账校验码 {self.code} 在修改记录中找不到：打印之后台账的修改记录被删除或"
                "重写过（也可能是校验码抄错了）。"
            ]
        if not self.after_code:
            return [f"台账校验码 {self.code}（{_when(self.code_at)}）：此后台账没有任何改动。"]
        return [
            f"台账校验码 {self.code}（{_when(self.code_at)}）：此后台账有 "
            f"{len(self.after_code)} 处改动：",
            *_capped(["  " + describe(e) for e in self.after_code]),
        ]


def _label(table: str) -> str:
    return audit.TABLE_LABELS.get(table, table)


def _when(at: str) -> str:
    return at.replace("T", " ")[:16]


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    return [*lines[:MAX_LISTED], f"  …… 另有 {len(lines) - MAX_LISTED} 处"]


def verify_database(path: str | Path, code: str | None = None) -> Verification:
    """Check a database file read-only: whole and of this program, the audit chain, the
    data against the trail, changes from outside, the audit triggers — and, given a
    台账校验码 printed earlier, every change since then."""
    if code is not None:
        code = normalize_code(code)
    problem = storage_backup.inspect_file(path, full=True, content=False)
    if problem:
        return Verification(file_problem=problem[1], code=code)
    conn = storage_backup._ro_connect(Path(path))
    try:
        return _verify(conn, code)
    except storage_backup.READ_ERRORS as e:
        return Verification(file_problem=f"读取时发现文件已损坏（{str(e)[:80]}）", code=code)
    finally:
        conn.close()


def _verify(conn: sqlite3.Connection, code: str | None) -> Verification:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version < 2:
        return Verification(code=code)  # before the trail: nothing to check it against
    db = conn  # the audit functions need only .execute
    result = Verification(
        first_bad_audit=audit.verify_chain(db),
        mismatches=audit.replay_mismatches(db, version),
        gaps=audit.continuity_breaks(db, version),
        large=audit.large_mismatches(db, version) if version >= 3 else [],
        outside=audit.unsealed(db),
        missing_triggers=audit.missing_triggers(db, version),
        restored_triggers=_restored_triggers(conn),
        audit_rows=int(conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]),
        head=audit.head_hash(db),
        code=code,
    )
    if code is not None:
        found = audit.find_code(db, code)
        if found is not None:
            result.code_at = found[1]
            result.after_code = audit.entries_after(db, found[0])
    return result


def _restored_triggers(conn: sqlite3.Connection) -> list[str]:
    """Every time the program found the audit triggers dropped and put them back, as the
    trail holds it (the setting ``audit_triggers_restored``)."""
    rows = conn.execute(
        "SELECT json_extract(after, '$.value') FROM audit WHERE tbl = 'setting' "
        "AND row_id = ? AND after IS NOT NULL ORDER BY id",
        [audit.TRIGGERS_RESTORED_KEY],
    ).fetchall()
    return [r[0] for r in rows if r[0]]
