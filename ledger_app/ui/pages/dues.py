"""党费: the payment grid (members × 12 months), 本月全部已缴, 补交/预交/多交, 核定基数, arrears.

The grid is a model over one :class:`~ledger_app.domain.dues.DuesYear` (one computation per
refresh); every cell shows a word or amount and an icon as well as its colour.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import dues as D
from ...domain.dates import format_date
from ...domain.models import DuesSetting, Payment
from ...domain.money import format_fen, format_yuan, parse_yuan
from ...services import dues as S
from ...services import roster as roster_service
from ...services.ledger import Changes
from ..context import AppContext, show_error
from ..unsaved import GuardedDialog
from ..widgets import (
    STATUS_COLORS,
    STATUS_MISSING,
    STATUS_NONE,
    STATUS_OK,
    STATUS_WARN,
    DateEdit,
    MemberPicker,
    hint_label,
    make_primary,
    set_invalid,
    set_status_label,
    status_background,
    status_foreground,
    status_text,
    title_label,
    year_box,
)

# columns of the grid
LEAD_COLUMNS = ("姓名", "党小组", "人员类别", "基数", "比例", "月应缴")
MONTH_COLUMNS = tuple(f"{m}月" for m in range(1, 13))
TAIL_COLUMNS = ("应缴合计", "实缴合计", "欠缴月数")
COLUMNS = LEAD_COLUMNS + MONTH_COLUMNS + TAIL_COLUMNS
FIRST_MONTH = len(LEAD_COLUMNS)
COL_BASE, COL_RATE, COL_DUE = 3, 4, 5
COL_DUE_TOTAL = FIRST_MONTH + 12
COL_PAID_TOTAL = COL_DUE_TOTAL + 1
COL_UNPAID = COL_DUE_TOTAL + 2

MEMBER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
MONTH_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # the cell's status kind (STATUS_OK …)

_STATE_KIND = {
    D.MONTH_PAID: STATUS_OK,
    D.MONTH_SHORT: STATUS_WARN,
    D.MONTH_UNPAID: STATUS_MISSING,
    D.MONTH_NOT_OWED: STATUS_NONE,
    D.MONTH_NOT_DUE: STATUS_NONE,
    D.MONTH_COLLECTING: STATUS_WARN,
}


def month_of(column: int) -> int | None:
    return column - FIRST_MONTH + 1 if FIRST_MONTH <= column < FIRST_MONTH + 12 else None


def cell_text(md: D.MemberDues, month: int) -> str:
    """A month cell: ``✓ 102.00``, ``! 20.00 不足``, ``✗ 未缴``, ``– 不需缴``, ``– 未到期``."""
    state = md.month_state(month)
    kind = _STATE_KIND[state]
    paid = md.paid_by_month.get(month, 0)
    if state == D.MONTH_PAID:
        return status_text(kind, format_fen(paid))
    if state == D.MONTH_SHORT:
        return status_text(kind, f"{format_fen(paid)} 不足")
    return status_text(kind, state)


# a narrow month column (the whole year fits 1366×768 at 125 %): the icon and one word;
# the amount is in the tooltip and in 月应缴
_COMPACT = {D.MONTH_PAID: "✓", D.MONTH_SHORT: "!少", D.MONTH_UNPAID: "✗", D.MONTH_COLLECTING: "!待"}


def compact_cell_text(md: D.MemberDues, month: int) -> str:
    """A month cell in a narrow column: ``✓``, ``!少``, ``✗``, ``!待``, ``–``."""
    return _COMPACT.get(md.month_state(month), "–")


class DuesGridModel(QAbstractTableModel):
    """Members × (lead columns, 12 months, totals), with a 合计 row at the bottom."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._year: D.DuesYear | None = None
        self._rows: list[D.MemberDues] = []
        self._payments: dict[tuple[int, int], list[Payment]] = {}
        self.compact = False  # month cells as icon + one word (narrow columns)
        self._maxima: tuple | None = None  # the widest amounts of the year loaded

    def header_text(self, section: int) -> str:
        """The column's name; narrow, the totals' names take two lines (应缴 / 合计)."""
        name = COLUMNS[section]
        if self.compact and section >= COL_DUE_TOTAL:
            return f"{name[:2]}\n{name[2:]}"
        return name

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            if self.rowCount():
                self.dataChanged.emit(
                    self.index(0, FIRST_MONTH), self.index(len(self._rows), FIRST_MONTH + 11)
                )
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_DUE_TOTAL, COL_UNPAID)

    def widest_texts(self) -> dict[int, list[str]]:
        """Per column, the few texts that decide its width (the longest amounts, the words),
        so the page can size the columns without measuring every cell."""
        y = self._year
        if y is None:
            return {}
        if self._maxima is None:  # once per load (the page fits its columns on every resize)
            members = y.members
            self._maxima = (
                max((p for md in members for p in md.paid_by_month.values()), default=0),
                max((md.base_fen or 0 for md in members), default=0),
                max((md.monthly_due_fen or 0 for md in members), default=0),
                list(dict.fromkeys(md.category for md in members)),
            )
        paid, base, due, categories = self._maxima
        totals = (y.totals.due_fen, y.totals.paid_fen)
        months = (
            ["✓补", "!少", "!待"]
            if self.compact
            else [f"✓ {format_fen(paid)} 补", f"! {format_fen(paid)} 不足", "– 不需缴", "– 未到期"]
        )
        out = {COL_BASE: [format_fen(base)], COL_RATE: ["1.5%", "定额"], COL_DUE: ["未核定"]}
        out[COL_DUE].append(format_fen(due))
        out[2] = categories
        for col in range(FIRST_MONTH, FIRST_MONTH + 12):
            total = y.by_month[month_of(col)]  # type: ignore[index]
            out[col] = months + [
                self._compact_total(total) if self.compact else format_fen(total.paid_fen)
            ]
        out[COL_DUE_TOTAL] = [format_fen(max(totals))]
        out[COL_PAID_TOTAL] = [format_fen(max(totals))]
        out[COL_UNPAID] = ["12"]
        return out

    def load(self, dues_year: D.DuesYear, payments: list[Payment]) -> None:
        self.beginResetModel()
        self._year = dues_year
        self._maxima = None
        self._rows = list(dues_year.members)
        self._payments = {}
        for p in payments:
            self._payments.setdefault((p.member_id, p.month), []).append(p)
        self.endResetModel()

    @property
    def dues_year(self) -> D.DuesYear | None:
        return self._year

    def member_at(self, row: int) -> D.MemberDues | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, member_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.member_id == member_id), None)

    def payments(self, member_id: int, month: int) -> list[Payment]:
        return list(self._payments.get((member_id, month), []))

    def late(self, member_id: int, month: int) -> bool:
        return any(D.late_payment(p) for p in self._payments.get((member_id, month), []))

    # --- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid() or self._year is None:
            return 0
        return len(self._rows) + 1  # + 合计

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
                return self.header_text(section)
            if role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(COLUMNS):
                return COLUMNS[section]
            return None
        # the row header carries the name, so it stays in view while the months scroll
        if not 0 <= section <= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[section].name if section < len(self._rows) else "合计"
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self._rows):
            md = self._rows[section]
            return f"{md.name}　{md.category}　{md.group or '未分组'}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or self._year is None:
            return None
        row, col = index.row(), index.column()
        if not (0 <= row <= len(self._rows) and 0 <= col < len(COLUMNS)):
            return None
        if row == len(self._rows):
            return self._total_data(col, role)
        md = self._rows[row]
        month = month_of(col)
        if role == MEMBER_ID_ROLE:
            return md.member_id
        if role == MONTH_ROLE:
            return month
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(md, col, month)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.compact and month is not None:
                return int(Qt.AlignmentFlag.AlignCenter)
            if col >= COL_BASE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        kind = self._kind(md, col, month)
        if role == STATE_ROLE:
            return kind
        if kind is not None and role == Qt.ItemDataRole.ForegroundRole:
            return status_foreground(kind)
        if kind is not None and role == Qt.ItemDataRole.BackgroundRole:
            return status_background(kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(md, col, month)
        return None

    def _display(self, md: D.MemberDues, col: int, month: int | None) -> str:
        if month is not None:
            late = self.late(md.member_id, month)
            if self.compact:
                text = compact_cell_text(md, month)
                return text + "补" if late else text
            text = cell_text(md, month)
            return text + " 补" if late else text
        if col == 0:
            return md.name
        if col == 1:
            return md.group or ""
        if col == 2:
            return md.category
        if col == COL_BASE:
            return format_fen(md.base_fen)
        if col == COL_RATE:
            return md.rate_text
        if col == COL_DUE:
            return format_fen(md.monthly_due_fen) if md.monthly_due_fen is not None else "未核定"
        if col == COL_DUE_TOTAL:
            return format_fen(md.due_fen)
        if col == COL_PAID_TOTAL:
            return format_fen(md.paid_fen)
        if col == COL_UNPAID:
            return str(len(md.unpaid_months))
        return ""

    def _kind(self, md: D.MemberDues, col: int, month: int | None) -> str | None:
        if month is not None:
            kind = _STATE_KIND[md.month_state(month)]
            if kind == STATUS_OK and self.late(md.member_id, month):
                return STATUS_WARN
            return kind
        if col == COL_DUE and md.unset and md.owed_months:
            return STATUS_WARN
        if col == COL_BASE and D.bracket_edge(md.category, md.base_fen) and md.rate_permille:
            return STATUS_WARN
        if col == COL_UNPAID and md.unpaid_months:
            return STATUS_MISSING if md.arrears_warning else STATUS_WARN
        return None

    def _tooltip(self, md: D.MemberDues, col: int, month: int | None) -> str | None:
        if month is not None:
            lines = [f"{md.name} {self._year.year}年{month}月：{md.month_state(month)}"]  # type: ignore[union-attr]
            if month in md.owed_months and md.monthly_due_fen is not None:
                lines.append(f"应缴 {format_fen(md.monthly_due_fen)} 元")
            for p in self._payments.get((md.member_id, month), []):
                line = f"{format_date(p.paid_on)}　{format_fen(p.amount_fen)} 元"
                if p.entered_by:
                    line += f"　登记人 {p.entered_by}"
                if p.note:
                    line += f"　{p.note}"
                if D.late_payment(p):
                    line += "　（补交超过6个月）"
                lines.append(line)
            lines.append("双击登记缴费，右键更正")
            return "\n".join(lines)
        if col == COL_BASE and md.base_fen is not None:
            text = D.bracket_label(md.category, md.base_fen)
            if D.bracket_edge(md.category, md.base_fen) and md.rate_permille:
                text += "\n基数接近档次界线，请再核对一次"
            s = md.setting
            if s and s.components:
                text += "\n按工资项目核定：" + "、".join(
                    f"{k} {format_fen(v)}" for k, v in s.components.items()
                )
            return text
        if col == COL_RATE and md.reduction and md.setting:
            s = md.setting
            return f"{s.reduction}：{s.approved_by or ''} {format_date(s.approved_on)} 批准"
        if col == COL_UNPAID and md.unpaid_months:
            return (
                D.arrears_text(md, self._year.year) + f"\n欠缴{D.format_months(md.unpaid_months)}"
            )  # type: ignore[union-attr]
        if col == 0 and md.setting and md.setting.note:
            return md.setting.note
        return None

    @staticmethod
    def _compact_total(t: Any) -> str:
        """A month of the 合计 row in a narrow column: how many have not paid (the amounts
        are in its tooltip)."""
        return f"✗{t.unpaid_count}" if t.unpaid_count else "✓"

    def _total_data(self, col: int, role: int) -> Any:
        y = self._year
        assert y is not None
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= COL_BASE:
            if self.compact and month_of(col) is not None:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            month = month_of(col)
            if month is not None:
                t = y.by_month[month]
                return (
                    f"{month}月：应缴 {format_fen(t.due_fen)}，实缴 {format_fen(t.paid_fen)}，"
                    f"欠缴 {format_fen(t.short_fen)}（{t.unpaid_count} 人未缴）"
                )
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:
            return "合计"
        month = month_of(col)
        if month is not None:
            t = y.by_month[month]
            return self._compact_total(t) if self.compact else format_fen(t.paid_fen)
        if col == COL_DUE_TOTAL:
            return format_fen(y.totals.due_fen)
        if col == COL_PAID_TOTAL:
            return format_fen(y.totals.paid_fen)
        if col == COL_UNPAID:
            return str(sum(len(m.unpaid_months) for m in y.members))
        return ""


# --- input helpers ----------------------------------------------------------------------


def read_amount(edit: QLineEdit, field: str, *, allow_empty: bool = False) -> int | None:
    """分 from a money field; marks the field and raises ValueError with the field's name."""
    text = edit.text().strip()
    if not text and allow_empty:
        set_invalid(edit, False)
        return None
    try:
        fen = parse_yuan(text)
    except ValueError as e:
        set_invalid(edit, True, str(e))
        raise ValueError(f"{field}：{e}") from None
    if fen < 0:
        set_invalid(edit, True, "不能为负数")
        raise ValueError(f"{field}：不能为负数")
    set_invalid(edit, False)
    return fen


def _money_edit(placeholder: str = "元，如 102.50") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(14)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


def _dialog_buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    make_primary(box.button(QDialogButtonBox.StandardButton.Ok))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


# --- 缴费登记: 补交 / 预交 / 多交 -----------------------------------------------------------


class PaymentDialog(GuardedDialog, QDialog):
    """Record a payment for one member: choose months, the amount per month and the date."""

    unsaved_what = "这笔缴费登记"

    def __init__(
        self,
        ctx: AppContext,
        dues_year: D.DuesYear,
        member_id: int | None = None,
        months: list[int] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.dues_year = dues_year
        self.setWindowTitle(f"{dues_year.year}年党费缴费登记")
        layout = QVBoxLayout(self)
        # grow with the wrapped summary instead of squeezing the month boxes (125 %)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinAndMaxSize)
        form = QFormLayout()
        self.member_picker = MemberPicker()
        self.member_picker.setObjectName("payment_member")
        self.member_picker.set_items(
            (
                f"{md.name}（{md.category}）"
                + (f"　欠缴 {len(md.unpaid_months)} 个月" if md.unpaid_months else ""),
                md.name,
                md.member_id,
            )
            for md in dues_year.members
            if md.owed_months
        )
        form.addRow("党员", self.member_picker)

        month_grid = QGridLayout()
        month_grid.setHorizontalSpacing(10)
        self.month_checks: dict[int, QCheckBox] = {}
        for m in range(1, 13):
            cb = QCheckBox(f"{m}月")
            cb.toggled.connect(self._update)
            self.month_checks[m] = cb
            month_grid.addWidget(cb, (m - 1) // 6, (m - 1) % 6)
        form.addRow("月份", month_grid)
        self.paid_line = QLabel()  # which months are paid already
        self.paid_line.setObjectName("payment_paid")
        self.paid_line.setWordWrap(True)
        form.addRow("", self.paid_line)
        quick = QHBoxLayout()
        self.unpaid_button = QPushButton("选中全部未缴月份")
        self.unpaid_button.clicked.connect(self._select_unpaid)
        quick.addWidget(self.unpaid_button)
        self.clear_button = QPushButton("清除")
        self.clear_button.clicked.connect(lambda: self._check(set()))
        quick.addWidget(self.clear_button)
        quick.addStretch(1)
        form.addRow("", quick)

        self.amount = _money_edit()
        self.amount.setObjectName("payment_amount")
        self.amount.textChanged.connect(self._update)
        form.addRow("每月金额(元)", self.amount)
        self.date = DateEdit(default_year=ctx.ledger.today().year, required=True)
        self.date.setObjectName("payment_date")
        self.date.setDate(ctx.ledger.today())
        form.addRow("缴纳日期", self.date)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：补交、预交、自愿多交（可不填）")
        form.addRow("备注", self.note)
        layout.addLayout(form)
        self.summary = QLabel()
        self.summary.setObjectName("payment_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        layout.addWidget(self.warning)
        layout.addWidget(_dialog_buttons(self, "登记"))
        self.setMinimumWidth(600)

        self.member_picker.changed.connect(lambda _id: self._member_changed())
        if member_id is not None:
            self.member_picker.set_current(member_id)
        self._member_changed()
        if months is not None:
            self._check(set(months))
        self._update()
        self.mark_clean()

    def snapshot(self) -> tuple:
        return (
            self.member_picker.current_id(),
            tuple(self.months()),
            self.amount.text().strip(),
            self.date.text().strip(),
            self.note.text().strip(),
        )

    def member(self) -> D.MemberDues | None:
        mid = self.member_picker.current_id()
        return self.dues_year.member(mid) if mid is not None else None

    def months(self) -> list[int]:
        return [m for m, cb in self.month_checks.items() if cb.isChecked()]

    def _check(self, months: set[int]) -> None:
        for m, cb in self.month_checks.items():
            cb.setChecked(m in months and cb.isEnabled())

    def _select_unpaid(self) -> None:
        md = self.member()
        self._check(set(md.open_months) if md else set())

    def _member_changed(self) -> None:
        md = self.member()
        paid_months = []
        for m, cb in self.month_checks.items():
            owed = md is not None and m in md.owed_months
            cb.setEnabled(owed)
            if not owed:
                cb.setChecked(False)
            paid = md.paid_by_month.get(m, 0) if md else 0
            if owed and paid > 0:
                paid_months.append(m)
            # a paid month says so on its box, in green (more can still be paid for it)
            cb.setText(f"{m}月 已缴" if owed and paid > 0 else f"{m}月")
            cb.setStyleSheet(f"color: {STATUS_COLORS[STATUS_OK][0]};" if owed and paid else "")
            cb.setToolTip(
                "不在本支部，无需缴纳"
                if not owed
                else f"已缴 {format_fen(paid)} 元"
                if paid
                else "未缴"
            )
        if md is None:
            self.paid_line.setText("")
        else:
            unpaid = md.unpaid_months
            parts = [f"已缴 {D.format_months(paid_months)}" if paid_months else "本年尚未缴费"]
            if unpaid:
                parts.append(f"未缴 {D.format_months(unpaid)}")
            set_status_label(self.paid_line, STATUS_WARN if unpaid else STATUS_OK, "；".join(parts))
        if md is not None and md.monthly_due_fen:
            self.amount.setText(format_fen(md.monthly_due_fen).replace(",", ""))
        self._update()

    def _update(self) -> None:
        md = self.member()
        months = self.months()
        try:
            each = read_amount(self.amount, "每月金额")
        except ValueError as e:
            self.summary.setText(str(e))
            set_status_label(self.warning, None, "")
            return
        if md is None or not months or not each:
            self.summary.setText("请选择月份并填写金额。")
            set_status_label(self.warning, None, "")
            return
        try:
            paid_on = self.date.date() or self.ctx.ledger.today()
        except ValueError:
            paid_on = self.ctx.ledger.today()
        # 补交 (months that have ended), 本月 (the month under way), 预交 (months to come):
        # the dues rule's words, as the grid says 欠缴 / 待缴 / 未到期
        described = D.describe_payment(self.dues_year.year, months, paid_on)
        kinds = [described] if described else []
        if md.monthly_due_fen is not None and each > md.monthly_due_fen:
            kinds.append(f"每月多交 {format_fen(each - md.monthly_due_fen)} 元")
        self.summary.setText(
            f"{md.name}：{len(months)} 个月，每月 {format_fen(each)} 元，合计 "
            f"{format_yuan(each * len(months))}" + (f"（{'，'.join(kinds)}）" if kinds else "")
        )
        warnings = []
        try:
            day = self.date.date()
        except ValueError:
            day = None
        if day is not None:
            late = [
                m
                for m in months
                if D.months_back(self.dues_year.year, m, day) > D.LATE_LIMIT_MONTHS
            ]
            if late:
                warnings.append(
                    f"{D.format_months(late)}补交已超过6个月（规定一般不超过6个月），将标注为补交"
                )
        already = [m for m in months if md.paid_by_month.get(m, 0) > 0]
        if already:
            warnings.append(
                f"{D.format_months(already)}已有缴费，本次金额将累加（更正请右键“更正”）"
            )
        if md.monthly_due_fen is not None and each < md.monthly_due_fen:
            warnings.append(f"少于月应缴 {format_fen(md.monthly_due_fen)} 元")
        set_status_label(self.warning, STATUS_WARN if warnings else None, "；".join(warnings))

    def accept(self) -> None:
        md = self.member()
        try:
            each = read_amount(self.amount, "每月金额")
            day = self.date.date()
        except ValueError as e:
            show_error(self, str(e))
            return
        if md is None:
            show_error(self, "请选择党员")
            return
        ok = self.ctx.run(
            self,
            S.record_payment,
            md.member_id,
            self.dues_year.year,
            self.months(),
            each or 0,
            day,
            self.note.text(),
            success=f"已登记{md.name}的党费 {len(self.months())} 个月",
        )
        if ok:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, dues_year: D.DuesYear, **kw: Any) -> bool:
        return cls(ctx, dues_year, parent=parent, **kw).exec() == QDialog.DialogCode.Accepted


# --- 本月全部已缴 ---------------------------------------------------------------------------


class MarkMonthDialog(QDialog):
    """本月全部已缴: everyone who owes the month and has not paid gets their monthly due;
    untick the members who did not pay (exceptions)."""

    def __init__(
        self, ctx: AppContext, dues_year: D.DuesYear, month: int, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.dues_year = dues_year
        self.setWindowTitle("本月全部已缴")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(f"{dues_year.year}年"))
        self.month_box = QComboBox()
        self.month_box.setObjectName("mark_month")
        for m in range(1, 13):
            self.month_box.addItem(f"{m}月", m)
        self.month_box.setCurrentIndex(month - 1)
        row.addWidget(self.month_box)
        row.addWidget(QLabel("缴纳日期"))
        self.date = DateEdit(default_year=ctx.ledger.today().year, required=True)
        self.date.setObjectName("mark_date")
        row.addWidget(self.date)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(hint_label("已勾选的党员按月应缴登记为已缴；未交的请取消勾选（例外）。"))
        self.list = QListWidget()
        self.list.setObjectName("mark_members")
        self.list.itemChanged.connect(lambda _i: self._update())
        layout.addWidget(self.list, 1)
        self.summary = QLabel()
        self.summary.setObjectName("mark_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.skipped = QLabel()
        self.skipped.setWordWrap(True)
        layout.addWidget(self.skipped)
        layout.addWidget(_dialog_buttons(self, "登记为已缴"))
        self.month_box.currentIndexChanged.connect(self._fill)
        self._fill()
        self.resize(420, 480)

    def month(self) -> int:
        return int(self.month_box.currentData())

    def _fill(self) -> None:
        month = self.month()
        if not self.date.text():
            self.date.setDate(self.ctx.ledger.today())
        to_mark, unset = S.collection_plan(self.dues_year, month)
        self.list.blockSignals(True)
        self.list.clear()
        for md in to_mark:
            item = QListWidgetItem(f"{md.name}　{format_fen(md.monthly_due_fen)} 元")
            item.setData(Qt.ItemDataRole.UserRole, md.member_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, md.monthly_due_fen)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        set_status_label(
            self.skipped,
            STATUS_WARN if unset else None,
            f"未核定基数，未列入：{'、'.join(m.name for m in unset)}" if unset else "",
        )
        self._update()

    def except_ids(self) -> list[int]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() != Qt.CheckState.Checked
        ]

    def set_exception(self, member_id: int) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == member_id:
                item.setCheckState(Qt.CheckState.Unchecked)

    def _update(self) -> None:
        checked = [
            self.list.item(i)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
        total = sum(int(i.data(Qt.ItemDataRole.UserRole + 1)) for i in checked)
        if self.list.count() == 0:
            self.summary.setText(f"{self.month()}月没有待登记的党员（均已缴或无需缴纳）。")
        else:
            self.summary.setText(
                f"将登记 {len(checked)} 人，合计 {format_yuan(total)}；"
                f"例外 {self.list.count() - len(checked)} 人。"
            )

    def accept(self) -> None:
        try:
            day = self.date.date()
        except ValueError as e:
            show_error(self, f"缴纳日期：{e}")
            return
        month = self.month()
        n = self.list.count() - len(self.except_ids())
        ok = self.ctx.run(
            self,
            S.mark_month_paid_for_all,
            self.dues_year.year,
            month,
            day,
            self.except_ids(),
            success=f"已登记{self.dues_year.year}年{month}月党费 {n} 人",
        )
        if ok:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, dues_year: D.DuesYear, month: int) -> bool:
        return cls(ctx, dues_year, month, parent=parent).exec() == QDialog.DialogCode.Accepted


# --- 更正 ----------------------------------------------------------------------------------


class CorrectionDialog(QDialog):
    """Set one month's paid total right: a correcting entry is added, nothing overwritten."""

    def __init__(
        self,
        ctx: AppContext,
        dues_year: D.DuesYear,
        member_id: int,
        month: int,
        payments: list[Payment],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.year = dues_year.year
        self.md = dues_year.member(member_id)
        assert self.md is not None
        self.month = month
        self.setWindowTitle("更正缴费")
        layout = QVBoxLayout(self)
        current = self.md.paid_by_month.get(month, 0)
        layout.addWidget(
            QLabel(f"{self.md.name}　{self.year}年{month}月　现已缴 {format_fen(current)} 元")
        )
        history = QTableWidget(len(payments), 4)
        history.setHorizontalHeaderLabels(["缴纳日期", "金额", "登记人", "备注"])
        for r, p in enumerate(payments):
            for c, text in enumerate(
                (format_date(p.paid_on), format_fen(p.amount_fen), p.entered_by or "", p.note or "")
            ):
                history.setItem(r, c, QTableWidgetItem(text))
        history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        history.horizontalHeader().setStretchLastSection(True)
        history.setMaximumHeight(140)
        layout.addWidget(history)
        form = QFormLayout()
        self.total = _money_edit()
        self.total.setText(format_fen(current).replace(",", ""))
        form.addRow("更正后本月实缴(元)", self.total)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("必填，如：金额录入有误")
        form.addRow("更正原因", self.reason)
        layout.addLayout(form)
        layout.addWidget(hint_label("更正以一笔新的记录（差额）保存，原记录保留，可供检查。"))
        layout.addWidget(_dialog_buttons(self, "更正"))

    def accept(self) -> None:
        try:
            total = read_amount(self.total, "更正后金额")
        except ValueError as e:
            show_error(self, str(e))
            return
        ok = self.ctx.run(
            self,
            S.correct_payment,
            self.md.member_id,  # type: ignore[union-attr]
            self.year,
            self.month,
            total or 0,
            self.reason.text(),
            success="已更正",
        )
        if ok:
            super().accept()


# --- 核定基数 -----------------------------------------------------------------------------


class SettingDialog(GuardedDialog, QDialog):
    """A member's dues terms for the year: base (or the 核定 helper), 约定月缴, reduction."""

    unsaved_what = "党费核定"

    def __init__(
        self,
        ctx: AppContext,
        dues_year: D.DuesYear,
        member_id: int,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.year = dues_year.year
        self.md = dues_year.member(member_id)
        assert self.md is not None
        self.member = roster_service.member(ctx.ledger, member_id)
        s = self.md.setting or DuesSetting(member_id, self.year)
        self.setWindowTitle(f"{self.md.name} {self.year}年党费核定")
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinAndMaxSize)  # follows the parts
        self.setMinimumWidth(460)
        layout.addWidget(QLabel(f"{self.md.name}　人员类别：{self.md.category}"))

        mode_row = QHBoxLayout()
        self.by_base = QRadioButton("按缴费基数")
        self.by_fixed = QRadioButton("约定月缴")
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.by_base)
        self.mode.addButton(self.by_fixed)
        mode_row.addWidget(self.by_base)
        mode_row.addWidget(self.by_fixed)
        mode_row.addStretch(1)
        layout.addLayout(mode_row)

        form = QFormLayout()
        self.base = _money_edit("元，如 6800")
        self.base.setObjectName("setting_base")
        self.base.setText(format_fen(s.base_fen).replace(",", "") if s.base_fen is not None else "")
        form.addRow("月缴费基数(元)", self.base)
        self.fixed = _money_edit("元，如 0.50")
        self.fixed.setObjectName("setting_fixed")
        self.fixed.setText(format_fen(s.fixed_fen) if s.fixed_fen is not None else "")
        form.addRow("约定月缴(元)", self.fixed)
        layout.addLayout(form)

        self.parts_box = QGroupBox("按工资项目核定（可选，保存后供检查查看）")
        self.parts_box.setCheckable(True)
        self.parts_box.setChecked(bool(s.components))
        # the eight fields only when the helper is used: folded, the dialog fits 1366×768
        # at 125 % with room to spare
        self.parts_fields = QWidget()
        QVBoxLayout(self.parts_box).addWidget(self.parts_fields)
        grid = QGridLayout(self.parts_fields)
        grid.setContentsMargins(0, 0, 0, 0)
        self.parts: dict[str, QLineEdit] = {}
        for i, key in enumerate(D.COMPONENTS):
            edit = _money_edit("元")
            value = (s.components or {}).get(key)
            if value:
                edit.setText(format_fen(value).replace(",", ""))
            edit.textChanged.connect(self._parts_changed)
            self.parts[key] = edit
            sign = "＋" if key in D.COMPONENTS_ADD else "－"
            grid.addWidget(QLabel(f"{sign} {key}"), i % 4, (i // 4) * 2)
            grid.addWidget(edit, i % 4, (i // 4) * 2 + 1)
        self.parts_result = QLabel()
        grid.addWidget(self.parts_result, 4, 0, 1, 4)
        self.parts_box.toggled.connect(self._parts_changed)
        self.parts_box.toggled.connect(self.parts_fields.setVisible)
        self.parts_fields.setVisible(self.parts_box.isChecked())
        layout.addWidget(self.parts_box)

        red = QGroupBox("困难减免")
        red_form = QFormLayout(red)
        self.reduction = QComboBox()
        self.reduction.addItems(["无", *D.REDUCTIONS])
        self.reduction.setCurrentText(s.reduction or "无")
        red_form.addRow("减免", self.reduction)
        self.reduction_amount = _money_edit()
        self.reduction_amount.setText(
            format_fen(s.reduction_fen) if s.reduction == D.REDUCE_PART and s.reduction_fen else ""
        )
        red_form.addRow("少交后月缴(元)", self.reduction_amount)
        self.approved_by = QLineEdit(s.approved_by or "")
        self.approved_by.setPlaceholderText("如：支部委员会")
        red_form.addRow("批准人", self.approved_by)
        self.approved_on = DateEdit(default_year=self.year)
        self.approved_on.setDate(s.approved_on)
        red_form.addRow("批准日期", self.approved_on)
        layout.addWidget(red)

        self.note = QLineEdit(s.note or "")
        note_row = QFormLayout()
        note_row.addRow("备注", self.note)
        layout.addLayout(note_row)
        self.preview = QLabel()
        self.preview.setObjectName("setting_preview")
        layout.addWidget(self.preview)
        self.edge = QLabel()
        self.edge.setObjectName("setting_edge")
        self.edge.setWordWrap(True)
        layout.addWidget(self.edge)
        layout.addWidget(_dialog_buttons(self, "保存"))

        fixed_mode = s.fixed_fen is not None or self.md.category == D.FARMER
        (self.by_fixed if fixed_mode else self.by_base).setChecked(True)
        if self.md.category in D.FIXED_DUES_FEN and s.fixed_fen is None:
            self.by_base.setEnabled(False)
            self.by_fixed.setChecked(True)
            self.fixed.setPlaceholderText("不填按 0.20 元；自愿多交可填更高金额")
        for w in (self.base, self.fixed, self.reduction_amount):
            w.textChanged.connect(self._update)
        self.mode.buttonToggled.connect(lambda *_: self._update())
        self.reduction.currentTextChanged.connect(lambda _t: self._update())
        self._parts_changed()
        self._update()
        self.mark_clean()

    def snapshot(self) -> tuple:
        edits = (self.base, self.fixed, self.reduction_amount, self.note, self.approved_by)
        return (
            self.by_fixed.isChecked(),
            self.parts_box.isChecked(),
            *(e.text().strip() for e in edits),
            *(e.text().strip() for e in self.parts.values()),
            self.reduction.currentText(),
            self.approved_on.text().strip(),
        )

    def _parts_changed(self, *_args: Any) -> None:
        if not self.parts_box.isChecked():
            self.parts_result.setText("")
            self.base.setReadOnly(False)
            return
        try:
            parts = self.components()
            base = D.base_from_components(parts or {})
        except ValueError as e:
            self.parts_result.setText(str(e))
            return
        self.parts_result.setText(f"核定结果：{format_fen(base)} 元")
        self.base.setText(format_fen(base).replace(",", ""))
        self.base.setReadOnly(True)

    def components(self) -> dict | None:
        if not self.parts_box.isChecked():
            return None
        out = {}
        for key, edit in self.parts.items():
            value = read_amount(edit, key, allow_empty=True)
            if value:
                out[key] = value
        return out or None

    def setting(self) -> DuesSetting:
        """The setting as entered; raises ValueError naming a bad field."""
        fixed_mode = self.by_fixed.isChecked()
        base = None if fixed_mode else read_amount(self.base, "月缴费基数", allow_empty=True)
        fixed = read_amount(self.fixed, "约定月缴", allow_empty=True) if fixed_mode else None
        reduction = self.reduction.currentText()
        reduction = None if reduction == "无" else reduction
        red_fen = (
            read_amount(self.reduction_amount, "少交后月缴", allow_empty=True)
            if reduction == D.REDUCE_PART
            else None
        )
        return DuesSetting(
            member_id=self.md.member_id,  # type: ignore[union-attr]
            year=self.year,
            base_fen=base,
            fixed_fen=fixed,
            note=self.note.text().strip() or None,
            components=None if fixed_mode else self.components(),
            reduction=reduction,
            reduction_fen=red_fen,
            approved_by=self.approved_by.text().strip() or None if reduction else None,
            approved_on=self.approved_on.date() if reduction else None,
        )

    def _update(self) -> None:
        fixed_mode = self.by_fixed.isChecked()
        self.base.setEnabled(not fixed_mode)
        self.parts_box.setEnabled(not fixed_mode)
        self.fixed.setEnabled(fixed_mode)
        part = self.reduction.currentText() == D.REDUCE_PART
        self.reduction_amount.setEnabled(part)
        try:
            s = self.setting()
        except ValueError as e:
            self.preview.setText(str(e))
            set_status_label(self.edge, None, "")
            return
        rate = (
            D.rate_permille(self.md.category, s.base_fen) if D.uses_rate(self.member, s) else None
        )  # type: ignore[arg-type, union-attr]
        due = D.monthly_due_fen(self.member, s, S.rounding(self.ctx.ledger))  # type: ignore[arg-type]
        parts = []
        if rate is not None:
            parts.append(
                f"档次 {D.bracket_label(self.md.category, s.base_fen)}，比例 {D.format_rate(rate)}"
            )  # type: ignore[union-attr]
        parts.append(f"月应缴 {format_fen(due)} 元" if due is not None else "月应缴：未核定")
        self.preview.setText("；".join(parts))
        edge = rate is not None and D.bracket_edge(self.md.category, s.base_fen)  # type: ignore[union-attr]
        set_status_label(
            self.edge,
            STATUS_WARN if edge else None,
            "基数接近档次界线（相差不到 100 元），请再核对一次" if edge else "",
        )

    def accept(self) -> None:
        try:
            s = self.setting()
        except ValueError as e:
            show_error(self, str(e))
            return
        if self.ctx.run(self, S.set_setting, s, success=f"已保存{self.md.name}的党费核定"):  # type: ignore[union-attr]
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, ctx: AppContext, dues_year: D.DuesYear, member_id: int) -> bool:
        return cls(ctx, dues_year, member_id, parent=parent).exec() == QDialog.DialogCode.Accepted


# --- the page -------------------------------------------------------------------------------


class DuesPage(QWidget):
    """党费收缴台账."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self.refresh)
        self.model = DuesGridModel(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label("党费"))
        top.addSpacing(16)
        top.addWidget(QLabel("年度"))
        self.year_box = year_box(ctx.ledger.today().year, "dues_year")
        self.year_box.valueChanged.connect(lambda _v: self.reload())
        top.addWidget(self.year_box)
        top.addSpacing(16)
        self.totals_label = QLabel()
        self.totals_label.setObjectName("dues_totals")
        # two lines rather than cut off where the window is narrow (1366×768 at 125 %)
        self.totals_label.setWordWrap(True)
        self.totals_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.totals_label, 1)
        layout.addLayout(top)

        buttons = QHBoxLayout()
        self.mark_button = make_primary(QPushButton("本月全部已缴…"))
        self.mark_button.setToolTip("按月应缴为所有未交的党员登记本月党费，可除去未交者")
        self.mark_button.clicked.connect(self.mark_month)
        self.pay_button = QPushButton("缴费登记…")
        self.pay_button.setToolTip("补交、预交、自愿多交：选月份、金额和日期")
        self.pay_button.clicked.connect(lambda: self.record_payment())
        self.setting_button = QPushButton("核定基数…")
        self.setting_button.setToolTip("设置选中党员本年度的缴费基数、约定月缴或困难减免")
        self.setting_button.clicked.connect(lambda: self.edit_setting())
        self.propose_button = QPushButton("沿用上年基数")
        self.propose_button.setToolTip("本年度尚未核定的党员，按上年的基数或约定月缴补齐")
        self.propose_button.clicked.connect(self.propose)
        for b in (self.mark_button, self.pay_button, self.setting_button, self.propose_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(hint_label("双击月份登记缴费，双击基数核定；右键更正"))
        layout.addLayout(buttons)

        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableView()
        self.table.setObjectName("dues_grid")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # the columns fit the window (fit_columns): the whole year with 基数, 比例, 月应缴 and
        # the totals at 1366×768, at 100 % and at 125 %; names are in the row header (fixed
        # while scrolling), 党小组 and 人员类别 in its tooltip
        self.table.setColumnHidden(0, True)
        self.table.setColumnHidden(1, True)
        self.table.verticalHeader().setMinimumWidth(64)
        self.table.installEventFilter(self)
        self._scrolled = False
        self.table.activated.connect(self._activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        split.addWidget(self.table)

        bottom = QWidget()
        bl = QHBoxLayout(bottom)
        bl.setContentsMargins(0, 4, 0, 0)
        arrears_box = QGroupBox("欠缴提醒（连续3个月未交即提醒，满6个月视为自行脱党）")
        al = QVBoxLayout(arrears_box)
        self.arrears = QListWidget()
        self.arrears.setObjectName("dues_arrears")
        # the 6-month warning is long: wrap it rather than hide it behind a scroll bar
        self.arrears.setWordWrap(True)
        self.arrears.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.arrears.itemActivated.connect(self._arrears_activated)
        al.addWidget(self.arrears)
        bl.addWidget(arrears_box, 3)
        groups_box = QGroupBox("按党小组")
        gl = QVBoxLayout(groups_box)
        self.groups_label = QLabel()
        self.groups_label.setObjectName("dues_groups")
        self.groups_label.setWordWrap(True)
        self.groups_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        gl.addWidget(self.groups_label)
        bl.addWidget(groups_box, 2)
        split.addWidget(bottom)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.reload()

    # --- data ------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.year_box.value()

    @property
    def dues_year(self) -> D.DuesYear:
        y = self.model.dues_year
        assert y is not None
        return y

    def reload(self) -> None:
        ledger = self.ctx.ledger
        report = S.dues_report(ledger, self.year)
        self.model.load(report, S.payment_history(ledger, self.year))
        t = report.totals
        # the glossary's words (docs/台账格式.md, 术语): the same as dues, the workbook, the PDF
        text = (
            f"应缴合计 {format_yuan(t.due_fen)}　实缴合计 {format_yuan(t.paid_fen)}　"
            f"欠缴 {format_yuan(t.short_fen)}"
        )
        if t.collecting_fen:
            text += f"　待缴（本月） {format_yuan(t.collecting_fen)}"
        if t.pending_fen:
            text += f"　未到期 {format_yuan(t.pending_fen)}"
        if t.extra_fen:
            text += f"　多交 {format_yuan(t.extra_fen)}"
        self.totals_label.setText(text)
        self.arrears.clear()
        for md in report.in_arrears:
            run = md.arrears_run
            assert run is not None
            kind = STATUS_MISSING if md.arrears_warning else STATUS_WARN
            item = QListWidgetItem(status_text(kind, D.arrears_text(md, self.year)))
            item.setForeground(status_foreground(kind))
            item.setData(Qt.ItemDataRole.UserRole, md.member_id)
            item.setToolTip(f"欠缴{D.format_months(md.unpaid_months)}，双击补交")
            self.arrears.addItem(item)
        if not report.members:  # a new branch: "nobody owes" would be true but useless
            self.arrears.addItem("还没有党员：请先在“党员名册”中新增党员，或从工作簿导入。")
        elif not report.in_arrears:
            self.arrears.addItem(status_text(STATUS_OK, "没有欠缴党费的党员"))
        unset = [m.name for m in report.members if m.unset and m.owed_months]
        lines = [
            f"{name}：应缴 {format_fen(g.due_fen)}，实缴 {format_fen(g.paid_fen)}，欠缴 {format_fen(g.short_fen)}"
            for name, g in report.by_group.items()
        ]
        if unset:
            lines.append(f"未核定基数：{'、'.join(unset)}")
        self.groups_label.setText("\n".join(lines))
        self.fit_columns()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self.fit_columns()
        if not self._scrolled:  # first time, once laid out: the year's months into view
            self._scrolled = True
            QTimer.singleShot(0, self, self._scroll_to_months)  # not after the page is gone

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        if obj is self.table and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(obj, event)

    def fit_columns(self) -> None:
        """Each column as wide as its widest text; when the year does not fit, the months
        narrow to an icon and a word (the amount in the tooltip and in 月应缴), and then
        人员类别 (also in the name's tooltip) gives way."""
        if not self.table.isVisible() or self.model.dues_year is None:
            return
        header = self.table.horizontalHeader()
        cell_fm = self.table.fontMetrics()
        bold = QFont(header.font())  # the house style sets header sections in bold
        bold.setBold(True)
        head_fm = QFontMetrics(bold)
        scroll = self.table.verticalScrollBar().sizeHint().width()
        room = self.table.width() - self.table.verticalHeader().width() - 2 * 2 - scroll

        def widths() -> dict[int, int]:
            texts = self.model.widest_texts()
            out = {}
            for col in range(2, len(COLUMNS)):
                lines = self.model.header_text(col).split("\n")
                need = max(head_fm.horizontalAdvance(line) for line in lines) + 14
                for text in texts.get(col, ()):
                    need = max(need, cell_fm.horizontalAdvance(text) + 12)
                out[col] = need
            return out

        self.model.set_compact(False)
        sizes = widths()
        category_shown = True
        if sum(sizes.values()) > room:
            self.model.set_compact(True)
            sizes = widths()
            if sum(sizes.values()) > room:
                category_shown = False
                sizes.pop(2)
        spare = room - sum(sizes.values())
        if self.model.compact and spare > 0:  # the room left goes to the months
            for col in range(FIRST_MONTH, FIRST_MONTH + 12):
                sizes[col] += spare // 12
        self.table.setColumnHidden(2, not category_shown)
        for col, width in sizes.items():
            self.table.setColumnWidth(col, width)

    def _scroll_to_months(self) -> None:
        """1月 at the left edge, so the clerk sees the whole year where it fits (a grid
        that seems to start in 2月 hides January's arrears); where it does not, this month
        and the next (预交) stay in view. 基数 and 比例 are one scroll to the left."""
        if not self.model.rowCount():
            return
        hidden = sum(1 for c in range(FIRST_MONTH) if self.table.isColumnHidden(c))
        self.table.horizontalScrollBar().setValue(FIRST_MONTH - hidden)  # scrolls per column
        today = self.ctx.ledger.today()
        if today.year == self.year:
            last = min(today.month + 1, 12)
            self.table.scrollTo(self.model.index(0, FIRST_MONTH + last - 1))

    def refresh(self, changes: Changes) -> None:
        if changes.dues or changes.members or changes.settings or changes.branch:
            self.reload()

    def activate(self, year: int | None = None, **_kwargs: Any) -> None:
        if year is not None and year != self.year:
            self.year_box.setValue(year)

    # --- actions ---------------------------------------------------------------------------

    def current_member_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(MEMBER_ID_ROLE) if index.isValid() else None

    def default_month(self) -> int:
        today = self.ctx.ledger.today()
        month = (
            month_of(self.table.currentIndex().column())
            if self.table.currentIndex().isValid()
            else None
        )
        if month is not None:
            return month
        return today.month if today.year == self.year else 12

    def mark_month(self) -> None:
        MarkMonthDialog.ask(self, self.ctx, self.dues_year, self.default_month())

    def record_payment(self, member_id: int | None = None, months: list[int] | None = None) -> None:
        if member_id is None:
            member_id = self.current_member_id()
        PaymentDialog.ask(self, self.ctx, self.dues_year, member_id=member_id, months=months)

    def edit_setting(self, member_id: int | None = None) -> None:
        member_id = member_id if member_id is not None else self.current_member_id()
        if member_id is None:
            show_error(self, "请先在表格中选中一名党员")
            return
        SettingDialog.ask(self, self.ctx, self.dues_year, member_id)

    def correct(self, member_id: int, month: int) -> None:
        dialog = CorrectionDialog(
            self.ctx, self.dues_year, member_id, month, self.model.payments(member_id, month), self
        )
        dialog.exec()

    def propose(self) -> None:
        self.ctx.run(self, S.propose_from_last_year, self.year, success="已按上年补齐未核定的基数")

    def _activated(self, index: QModelIndex) -> None:
        mid = index.data(MEMBER_ID_ROLE)
        if mid is None:
            return
        month = month_of(index.column())
        if month is not None:
            self.record_payment(mid, [month])
        else:
            self.edit_setting(mid)

    def _arrears_activated(self, item: QListWidgetItem) -> None:
        mid = item.data(Qt.ItemDataRole.UserRole)
        if mid is not None:
            md = self.dues_year.member(mid)
            self.record_payment(mid, md.unpaid_months if md else None)

    def _context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        mid = index.data(MEMBER_ID_ROLE) if index.isValid() else None
        if mid is None:
            return
        month = month_of(index.column())
        menu = QMenu(self)
        if month is not None:
            menu.addAction(f"登记{month}月缴费…", lambda: self.record_payment(mid, [month]))
            if self.model.payments(mid, month):
                menu.addAction(f"更正{month}月…", lambda: self.correct(mid, month))
        menu.addAction("核定基数…", lambda: self.edit_setting(mid))
        menu.exec(self.table.viewport().mapToGlobal(pos))
