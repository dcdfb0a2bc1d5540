"""修改记录: the audit trail of one member or record, read-only (who, when, what changed)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.money import format_fen
from ..services import roster, safety
from ..services.safety import OP_LABELS, TABLE_LABELS
from .context import AppContext

COLUMNS = ["时间", "操作人", "操作", "变更内容"]

# column → label shown in 变更内容 (the words of the forms and the workbook)
FIELD_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "id_number": "公民身份号码",
    "education": "学历",
    "member_type": "党员类别",
    "join_date": "入党日期",
    "full_date": "转正日期",
    "category": "人员类别",
    "group_id": "党小组",
    "post": "党内职务",
    "phone": "联系电话",
    "status": "状态",
    "status_date": "状态日期",
    "transfer_in_date": "转入日期",
    "note": "备注",
    "kind": "类型",
    "date": "日期",
    "time": "时间",
    "place": "地点",
    "host": "主持人",
    "recorder": "记录人",
    "lecturer": "授课人",
    "topic": "议题/主题",
    "form": "形式",
    "organizer": "组织人",
    "content": "内容",
    "decisions": "决议",
    "also_theme_day": "兼主题党日",
    "reason": "原因",
    "year": "年度",
    "month": "月份",
    "amount_fen": "金额",
    "paid_on": "缴纳日期",
    "entered_by": "录入人",
    "base_fen": "计费基数",
    "fixed_fen": "固定金额",
    "reduction": "减免",
    "reduction_fen": "减免金额",
    "approved_by": "批准人",
    "approved_on": "批准日期",
    "project": "项目",
    "witness": "证明人",
    "half_hours": "时长",
    "guests": "列席人员",
    "votes": "表决情况",
    "leading_cadre": "党员领导干部",
}
# bookkeeping columns not worth showing to the clerk
HIDDEN = {"id", "created_at", "updated_at", "origin", "record_id", "member_id"}
MAX_VALUE = 40  # long minutes are cut in the table (full text in the tooltip)


def _value(key: str, value, groups: dict[int, str]) -> str:
    if value is None or value == "":
        return "（空）"
    if key == "group_id":
        return groups.get(value, str(value))
    if key.endswith("_fen") and isinstance(value, int):
        return format_fen(value) + " 元"
    if key == "half_hours" and isinstance(value, int):
        return f"{value / 2:g} 小时"
    if key == "also_theme_day":
        return "是" if value else "否"
    text = str(value).replace("\n", " ")
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def describe(
    entry, members: dict[int, str], groups: dict[int, str], own_table: str
) -> tuple[str, str]:
    """(what, details) of one audit entry: the table it touched when not the dialog's own
    (出席情况（张三）, 党费缴纳 …) and the changed fields ``字段: 旧值 → 新值``."""
    what = OP_LABELS.get(entry.op, entry.op)
    row = entry.after or entry.before or {}
    if entry.table != own_table:
        label = TABLE_LABELS.get(entry.table, entry.table)
        who = members.get(row.get("member_id")) if entry.table == "attendance" else None
        what += label + (f"（{who}）" if who else "")
    parts = []
    if entry.op == "UPDATE":
        for key, (old, new) in entry.changed.items():
            if key in HIDDEN:
                continue
            label = FIELD_LABELS.get(key, key)
            parts.append(f"{label}: {_value(key, old, groups)} → {_value(key, new, groups)}")
    else:
        for key, value in row.items():
            if (
                key in HIDDEN
                or value is None
                or value == ""
                or key == "also_theme_day"
                and not value
            ):
                continue
            parts.append(f"{FIELD_LABELS.get(key, key)}: {_value(key, value, groups)}")
    return what, "；".join(parts)


def merge(entries: list) -> list:
    """Undo the storage's delete-and-insert of a row within one action (a record's
    attendance is rewritten on every save): such a pair becomes one 修改, dropped when
    nothing changed."""
    out: list = []
    pending: dict[tuple, int] = {}  # (table, row_id, at) of a DELETE → its index in out
    for e in entries:
        key = (e.table, e.row_id, e.at)
        if e.op == "DELETE":
            pending[key] = len(out)
            out.append(e)
        elif e.op == "INSERT" and key in pending:
            i = pending.pop(key)
            out[i] = replace(out[i], op="UPDATE", after=e.after, id=e.id)
        else:
            out.append(e)
    return [e for e in out if e.op != "UPDATE" or e.changed]


def display_rows(
    entries: list, members: dict[int, str], groups: dict[int, str], own_table: str
) -> list[tuple[str, str, str, str]]:
    """(时间, 操作人, 操作, 变更内容) per line; the attendance lines of one action are
    shown as one line (``张三: 出席；李四: 请假 …``)."""
    rows: list[tuple[str, str, str, str]] = []
    last_key = None
    for e in merge(entries):
        when = (e.at or "").replace("T", " ")[:16]
        who = e.who or "（未设置）"
        if e.table == "attendance" and e.table != own_table:
            row = e.after or e.before or {}
            name = members.get(row.get("member_id"), "?")
            _, details = describe(e, members, groups, "attendance")
            if e.op == "DELETE":
                details = "移出出勤表"
            what = OP_LABELS.get(e.op, e.op) + TABLE_LABELS["attendance"]
            part = f"{name}（{details}）"
            key = (e.at, who, what)
            if key == last_key:
                rows[-1] = (*rows[-1][:3], rows[-1][3] + "；" + part)
                continue
            rows.append((when, who, what, part))
            last_key = key
            continue
        last_key = None
        what, details = describe(e, members, groups, own_table)
        rows.append((when, who, what, details))
    return rows


class HistoryDialog(QDialog):
    """``HistoryDialog(ctx, table, row_id, title, parent)``: every change, oldest first."""

    def __init__(
        self, ctx: AppContext, table: str, row_id: int, title: str, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(f"修改记录 — {title}")
        members = {m.id: m.name for m in roster.members(ctx.ledger)}
        groups = {g.id: g.name for g in roster.groups(ctx.ledger)}
        self.entries = safety.history(ctx.ledger, table, row_id)
        lines = display_rows(self.entries, members, groups, table)

        self.table = QTableWidget(len(lines), len(COLUMNS))
        self.table.setObjectName("audit_history")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 140), (1, 80), (2, 130)):
            self.table.setColumnWidth(col, width)
        for r, line in enumerate(lines):
            details = line[3]
            for c, text in enumerate(line):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setToolTip(details.replace("；", "\n"))
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        if self.entries:
            self.table.scrollToBottom()

        layout = QVBoxLayout(self)
        note = "按时间先后列出每一次新增、修改和删除；操作人为“设置”中填写的姓名。"
        if not self.entries:
            note = "没有修改记录。"
        label = QLabel(note)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(820, 420)

    def rows(self) -> list[list[str]]:
        """The table's text, row by row (for tests)."""
        t = self.table
        return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def show_history(
    ctx: AppContext, table: str, row_id: int, title: str, parent: QWidget | None
) -> None:
    HistoryDialog(ctx, table, row_id, title, parent).exec()
