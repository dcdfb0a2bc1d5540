"""Shared widgets and the house look: status colours with words, date entry, name completion.

Use these instead of writing new ones, so every page behaves the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QListWidget, QWidget

from ..domain.dates import format_date, parse_date
from ..domain.names import matches

# --- the look -----------------------------------------------------------------------------

ACCENT = "#B3261E"  # deep party red: current page, primary buttons — used sparingly
TEXT_MUTED = "#6B6B6B"

# one meaning per colour on every page; always shown with a word too (print, colour-blind)
STATUS_OK = "ok"  # held / paid
STATUS_MISSING = "missing"  # missing / unpaid
STATUS_WARN = "warn"  # soon due / incomplete
STATUS_NONE = "none"  # not due / not owed

STATUS_COLORS = {
    STATUS_OK: ("#1E7B34", "#E3F4E6"),  # (text, background)
    STATUS_MISSING: ("#B3261E", "#FBE4E2"),
    STATUS_WARN: ("#8A5A00", "#FFF1D6"),
    STATUS_NONE: ("#6B6B6B", "#F1F1F1"),
}
STATUS_ICONS = {STATUS_OK: "✓", STATUS_MISSING: "✗", STATUS_WARN: "!", STATUS_NONE: "–"}


def status_foreground(status: str) -> QColor:
    return QColor(STATUS_COLORS[status][0])


def status_background(status: str) -> QColor:
    return QColor(STATUS_COLORS[status][1])


def status_text(status: str, word: str) -> str:
    """``✓ 已开``: the icon and the word, never colour alone."""
    return f"{STATUS_ICONS[status]} {word}"


STYLE_SHEET = f"""
QWidget {{ font-size: 10pt; }}
QMainWindow, QDialog {{ background: #FAFAF8; }}
QListWidget#nav {{ background: #F2F0EC; border: none; border-right: 1px solid #E0DDD6;
    font-size: 11pt; padding-top: 6px; outline: 0; }}
QListWidget#nav::item {{ padding: 9px 16px; border-left: 3px solid transparent; color: #333; }}
QListWidget#nav::item:selected {{ background: #FFFFFF; color: {ACCENT};
    border-left: 3px solid {ACCENT}; font-weight: bold; }}
QListWidget#nav::item:hover:!selected {{ background: #E9E6E0; }}
QPushButton {{ padding: 5px 14px; border: 1px solid #C9C6BF; border-radius: 4px; background: #FFFFFF; }}
QPushButton:hover {{ background: #F3F1ED; }}
QPushButton:disabled {{ color: #A0A0A0; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton[primary="true"]:hover {{ background: #9C1F18; }}
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QPlainTextEdit, QTextEdit, QDateEdit {{
    border: 1px solid #C9C6BF; border-radius: 3px; padding: 3px 5px; background: white; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border-color: {ACCENT}; }}
QLineEdit[invalid="true"] {{ border: 1px solid #B3261E; background: #FFF5F4; }}
QTableView {{ gridline-color: #E4E1DA; background: white; alternate-background-color: #FAF9F6;
    selection-background-color: #D9E4EF; selection-color: black; }}
QHeaderView::section {{ background: #F2F0EC; border: none; border-right: 1px solid #E0DDD6;
    border-bottom: 1px solid #E0DDD6; padding: 4px 6px; font-weight: bold; }}
QLabel[role="title"] {{ font-size: 15pt; font-weight: bold; color: #222; }}
QLabel[role="hint"] {{ color: {TEXT_MUTED}; }}
QLabel[role="error"] {{ color: #B3261E; }}
QGroupBox {{ font-weight: bold; border: 1px solid #E0DDD6; border-radius: 4px; margin-top: 10px;
    padding-top: 8px; background: white; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; }}
QLabel[role="section"] {{ font-weight: bold; }}
QFrame#needs {{ background: #FFF8EC; border: 1px solid #F0DDB8; border-radius: 4px; }}
QLabel[role="needs"] {{ color: #8A5A00; font-weight: bold; }}
QTableView#board_grid {{ selection-background-color: #E8E4DC; }}
"""


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "title")
    return label


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


def make_primary(button: QWidget) -> QWidget:
    """Mark the one primary button of a form (accent colour)."""
    button.setProperty("primary", True)
    return button


def set_invalid(widget: QWidget, invalid: bool, tooltip: str = "") -> None:
    """Red frame + tooltip on a field with a wrong value."""
    widget.setToolTip(tooltip)
    if bool(widget.property("invalid")) == invalid:
        return  # the frame is right already (re-polishing a field costs a style pass)
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


# --- date entry ---------------------------------------------------------------------------


class DateEdit(QLineEdit):
    """A date field that accepts what clerks type: ``3.7``, ``0307``, ``2025-3-7``,
    ``2025年3月7日``. The year defaults to ``default_year`` (this year unless set).
    Shows ``2025-03-07`` once the field is left; a wrong entry gets a red frame and a
    tooltip saying what is wrong."""

    dateChanged = Signal(object)  # datetime.date | None

    def __init__(
        self, parent: QWidget | None = None, default_year: int | None = None, required: bool = False
    ):
        super().__init__(parent)
        self.default_year = default_year
        self.required = required
        self.setPlaceholderText("如 2025-03-07 或 3.7")
        self.setMaxLength(20)
        self.editingFinished.connect(self._normalize)
        self._last: dt.date | None = None

    def date(self) -> dt.date | None:
        """The date typed, or None when empty. Raises ValueError (Chinese) when unreadable."""
        text = self.text().strip()
        if not text:
            if self.required:
                raise ValueError("日期不能为空")
            return None
        return parse_date(text, default_year=self.default_year or dt.date.today().year)

    def focusInEvent(self, event) -> None:  # noqa: N802
        """Arriving by keyboard or when its dialog opens, the whole date is selected, so
        typing replaces it (a click places the cursor, as usual)."""
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.MouseFocusReason:
            self.selectAll()

    def setDate(self, day: dt.date | None) -> None:  # noqa: N802 (Qt naming)
        self.setText(format_date(day))
        self._last = day
        set_invalid(self, False)

    def is_valid(self) -> bool:
        try:
            self.date()
        except ValueError:
            return False
        return True

    def _normalize(self) -> None:
        try:
            day = self.date()
        except ValueError as e:
            set_invalid(self, True, str(e))
            return
        set_invalid(self, False)
        self.setText(format_date(day))
        if day != self._last:
            self._last = day
            self.dateChanged.emit(day)


# --- name completion ----------------------------------------------------------------------


class NameCompleter(QCompleter):
    """Completes names from the roster by characters or pinyin initials (``zjg`` → 周建国).

    ``names`` is a callable returning the current candidate names, so the list is always
    fresh. When the field is left (Tab, Enter, a click elsewhere) and what was typed picks out
    exactly one name, the field takes that name — ``zjg`` never stays in a name field.
    Attach with ``NameCompleter.attach(line_edit, names)``."""

    def __init__(self, names: Callable[[], Iterable[str]], parent: QWidget | None = None):
        self._model = QStringListModel()
        super().__init__(self._model, parent)
        self._names = names
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(12)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        """(The completer filters its popup's keys.) Enter or Tab while the list is open and
        no row is chosen: take the one match (Qt alone would close the list, keeping ``zjg``)."""
        if (
            obj is self.popup()
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
            and not self.popup().currentIndex().isValid()
        ):
            edit = self.widget()
            if isinstance(edit, QLineEdit) and self.resolved(edit.text()) is not None:
                self.take_single()
                # Enter has done its work (the next Enter saves); Tab goes on to the next field
                if event.key() != Qt.Key.Key_Tab:
                    return True
        return super().eventFilter(obj, event)

    def candidates(self, typed: str) -> list[str]:
        """The names the last name of ``typed`` picks out (after a separator, for lists)."""
        _prefix, last = _split_last(typed)
        return [n for n in dict.fromkeys(self._names()) if last and matches(n, last)]

    def update_for(self, typed: str) -> None:
        prefix, _last = _split_last(typed)
        self._model.setStringList([prefix + n for n in self.candidates(typed)[:50]])

    def resolved(self, typed: str) -> str | None:
        """``typed`` with its last name completed when exactly one name matches it (None
        when it is a name already, or is ambiguous, or matches nothing)."""
        prefix, last = _split_last(typed)
        if not last or last in set(self._names()):
            return None
        found = self.candidates(typed)
        return prefix + found[0] if len(found) == 1 else None

    def take_single(self) -> None:
        edit = self.widget()
        if not isinstance(edit, QLineEdit):
            return
        name = self.resolved(edit.text())
        if name is not None:
            edit.setText(name)
            self.popup().hide()

    @classmethod
    def attach(cls, edit: QLineEdit, names: Callable[[], Iterable[str]]) -> NameCompleter:
        comp = cls(names, edit)
        edit.setCompleter(comp)

        def on_edit(text: str) -> None:
            comp.update_for(text)
            if comp.completionCount():
                comp.complete()

        edit.textEdited.connect(on_edit)
        # Enter and leaving the field (Tab, a click) both finish editing: before the form
        # saves on that Enter, the one matching name is in the field
        edit.editingFinished.connect(comp.take_single)
        return comp


class MemberPicker(QWidget):
    """One member out of many, found by typing: a filter box (characters or pinyin initials,
    as everywhere) over a short list. While typing, ↑ ↓ move in the list; the first match is
    chosen, so ``zjg`` alone picks 周建国."""

    changed = Signal(object)  # the chosen member's id, or None

    def __init__(self, parent: QWidget | None = None, rows: int = 5):
        from PySide6.QtWidgets import QVBoxLayout

        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("查找姓名或拼音首字母，如 zjg")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self._rows = rows
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.setFocusProxy(self.filter)
        self.filter.textChanged.connect(self._apply)
        self.filter.installEventFilter(self)
        self.list.currentItemChanged.connect(lambda *_: self.changed.emit(self.current_id()))

    def set_items(self, items: Iterable[tuple[str, str, int]]) -> None:
        """``(text shown, name, member id)`` in the order to show."""
        from PySide6.QtWidgets import QListWidgetItem

        self.list.clear()
        for text, name, member_id in items:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, member_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, name)
            self.list.addItem(item)
        self._apply(self.filter.text())

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.list.count():  # room for a few names (the filter finds the rest), in style
            row = self.list.sizeHintForRow(0)
            self.list.setFixedHeight(row * self._rows + 2 * self.list.frameWidth() + 2)
        current = self.list.currentItem()
        if current is not None:
            self.list.scrollToItem(current, QListWidget.ScrollHint.PositionAtCenter)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else item.data(Qt.ItemDataRole.UserRole)

    def set_current(self, member_id: int) -> bool:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == member_id:
                self.filter.clear()
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item)
                return True
        return False

    def _visible_rows(self) -> list[int]:
        return [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]

    def _apply(self, text: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(not matches(item.data(Qt.ItemDataRole.UserRole + 1), text))
        current = self.list.currentItem()
        if current is None or current.isHidden():
            rows = self._visible_rows()
            self.list.setCurrentRow(rows[0] if rows else -1)
        if self.list.currentItem() is not None and not self.list.currentItem().isHidden():
            self.list.scrollToItem(self.list.currentItem())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        keys = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
        if obj is self.filter and event.type() == QEvent.Type.KeyPress and event.key() in keys:
            from PySide6.QtWidgets import QApplication

            QApplication.sendEvent(self.list, event)  # move in the list, keep typing
            return True
        return super().eventFilter(obj, event)


def _split_last(text: str) -> tuple[str, str]:
    """``张三、li`` → (``张三、``, ``li``)."""
    cut = max(text.rfind(sep) for sep in "、，, ;；")
    return text[: cut + 1], text[cut + 1 :].strip()


# --- remembered view state ------------------------------------------------------------------


def app_settings():
    """The window's remembered state (geometry, last page, column widths): an ini file in the
    data folder, so tests and portable installs never touch the system's settings store."""
    from PySide6.QtCore import QSettings

    from ..paths import data_dir

    return QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)


def view_settings(ledger_path=None):
    """window.ini, in the part kept for the database at ``ledger_path``: geometry, last page
    and column widths belong to a ledger (the demo keeps its own, and the clerk's ledger does
    not open on the page left in the demo). Keyed by the resolved path; None (an in-memory
    ledger) is the shared part."""
    settings = app_settings()
    if ledger_path is not None:
        import hashlib
        from pathlib import Path

        resolved = str(Path(ledger_path).resolve())
        settings.beginGroup("ledger-" + hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:12])
    return settings


def text_widths(view):
    """(header measure, cell measure): functions giving the width a header section or a
    cell needs for a text, in the view's fonts after the style sheet (bold headers,
    paddings). Measuring a few distinct texts replaces ResizeToContents, which asks every
    cell of the column for its size (51,380 calls on a 谈心谈话 grid of 2,000 members)."""
    from PySide6.QtGui import QFont, QFontMetrics

    view.ensurePolished()
    header = view.horizontalHeader()
    header.ensurePolished()
    bold = QFont(header.font())  # the house style sets header sections in bold
    bold.setBold(True)
    head, cell = QFontMetrics(bold), view.fontMetrics()
    return (
        lambda text: max(head.horizontalAdvance(line) for line in str(text).split("\n")) + 16,
        lambda text: cell.horizontalAdvance(str(text)) + 14,
    )


def fit_column(view, column: int, texts: Iterable[str], most: int | None = None) -> None:
    """Set ``column`` as wide as its header and the widest of ``texts`` (capped at ``most``).
    Of many texts only the longest few are measured (Chinese characters are all as wide)."""
    head, cell = text_widths(view)
    title = view.model().headerData(column, Qt.Orientation.Horizontal) or ""
    distinct = [t for t in set(texts) if t]
    if len(distinct) > 40:
        distinct = sorted(distinct, key=len, reverse=True)[:40]
    width = max([head(title), *(cell(t) for t in distinct)])
    view.setColumnWidth(column, min(width, most) if most else width)


def _mouse_held() -> bool:
    from PySide6.QtWidgets import QApplication

    return QApplication.mouseButtons() != Qt.MouseButton.NoButton


def remember_header(view, key: str, ledger_path=None) -> bool:
    """Restore a table's column widths (and sort column) saved under ``key`` for the ledger
    at ``ledger_path``, and save them whenever the user resizes, moves or sorts a column.
    True when the clerk's own widths were restored (the page then leaves them alone)."""
    header = view.horizontalHeader()
    model = view.model()
    if model is not None:  # a saved layout of another column set would misplace widths
        key = f"{key}-{model.columnCount()}"
    state = view_settings(ledger_path).value(f"columns/{key}")
    restored = state is not None and header.restoreState(state)

    from PySide6.QtCore import QTimer

    timer = QTimer(header)  # dragging a column edge resizes many times: save once after
    timer.setSingleShot(True)
    timer.setInterval(300)
    timer.timeout.connect(
        lambda: view_settings(ledger_path).setValue(f"columns/{key}", header.saveState())
    )

    def by_the_user(*_args) -> None:
        # only what the clerk did with the mouse (drag an edge or a column, click to sort):
        # the program's own layout is not a preference, and saving it would keep a later
        # version's better widths away from this clerk for good
        if _mouse_held():
            timer.start()

    for signal in (header.sectionResized, header.sectionMoved, header.sortIndicatorChanged):
        signal.connect(by_the_user)
    return bool(restored)


# --- status chips ------------------------------------------------------------------------------


def set_status_label(label: QLabel, status: str | None, text: str) -> None:
    """Show ``text`` in ``label`` with the house colours of ``status`` (STATUS_OK …) and its
    icon in front (never colour alone); ``status`` None: plain text. Empty text hides it."""
    if status is None:
        label.setStyleSheet("")
        label.setText(text)
    else:
        fg, bg = STATUS_COLORS[status]
        label.setStyleSheet(
            f"QLabel {{ color: {fg}; background: {bg}; border-radius: 3px; padding: 2px 6px; }}"
        )
        label.setText(status_text(status, text))
    label.setVisible(bool(text))


# a disabled primary button must look disabled too (appended rule; nothing above changed)
STYLE_SHEET += """
QPushButton[primary="true"]:disabled { background: #E3B5B1; border-color: #E3B5B1; color: #FFFFFF; }
"""


def _arrow_rules() -> str:
    """Drop-down and spin arrows: a styled QComboBox/QSpinBox loses its native arrows."""
    from ..paths import resources_dir

    icons = (resources_dir() / "icons").as_posix()
    return f"""
QComboBox {{ padding-right: 20px; }}
QComboBox::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right;
    width: 18px; border: none; }}
QComboBox::down-arrow {{ image: url({icons}/chevron-down.svg); width: 10px; height: 6px; }}
QSpinBox, QDoubleSpinBox {{ padding-right: 18px; }}
QSpinBox::up-button, QDoubleSpinBox::up-button {{ subcontrol-origin: border;
    subcontrol-position: top right; width: 16px; border: none; }}
QSpinBox::down-button, QDoubleSpinBox::down-button {{ subcontrol-origin: border;
    subcontrol-position: bottom right; width: 16px; border: none; }}
QSpinBox::up-arrow, QDoubleSpinBox::up-arrow {{ image: url({icons}/chevron-up.svg);
    width: 10px; height: 6px; }}
QSpinBox::down-arrow, QDoubleSpinBox::down-arrow {{ image: url({icons}/chevron-down.svg);
    width: 10px; height: 6px; }}
"""


STYLE_SHEET += _arrow_rules()


def year_box(year: int, object_name: str) -> QWidget:
    """The year selector of the dues and volunteer pages: ``2025 年``."""
    from PySide6.QtWidgets import QSpinBox

    box = QSpinBox()
    box.setObjectName(object_name)
    box.setRange(1990, 2200)
    box.setValue(year)
    box.setSuffix(" 年")
    return box


# Drop-down lists: a plain list under the box with a soft highlight. Qt's menu-like popup drew
# its highlighted row with the box's own white frame rule, so the row looked blank (X11).
STYLE_SHEET += """
QComboBox { combobox-popup: 0; }
QComboBox QAbstractItemView { background: white; border: 1px solid #C9C6BF; outline: 0; }
QComboBox QAbstractItemView::item { min-height: 22px; padding: 0 6px; }
QComboBox QAbstractItemView::item:selected { background: #D9E4EF; color: black; }
QListWidget { selection-background-color: #D9E4EF; selection-color: black; }
QFrame#needs QPushButton { padding: 2px 10px; }
"""
