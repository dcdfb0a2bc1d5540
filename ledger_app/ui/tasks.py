"""Long work (import, export, backup) off the GUI thread, with a progress dialog that can cancel.

``run_task(parent, "正在导出…", fn, ledger)`` calls ``fn(worker_ledger, progress)`` in a
worker thread and returns a :class:`TaskResult` once it is done; the GUI stays responsive
meanwhile (a nested event loop) and a modal progress dialog appears after half a second.

SQLite connections belong to the thread that opened them, so the worker opens its own
connection to the same database file (WAL lets both read; writes are one transaction each).
An in-memory ledger (tests, scratch) cannot be shared across threads: its work runs in the
GUI thread, still reporting progress and honouring 取消.

``progress`` accepts what the workers like to report: ``progress(done, total)``,
``progress(done, total, "text")``, ``progress(0.4)`` (fraction) or ``progress("text")``.
After 取消 the next call raises :class:`Cancelled` — services roll back on it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from ..services.ledger import Ledger

SHOW_AFTER_MS = 500
_busy = False  # one long task at a time


class Cancelled(Exception):
    """The user pressed 取消; raised from ``progress`` inside the worker."""


@dataclass
class TaskResult:
    value: Any = None
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Progress(QObject):
    """Thread-safe progress reporter; signals are queued to the GUI thread."""

    changed = Signal(int, int, str)  # done, total (0 = unknown), text

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self._last_emit = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        done, total, text = _read_progress(args, kwargs)
        now = time.monotonic()
        # at most ~25 updates a second: a worker may report every row
        if now - self._last_emit < 0.04 and (total == 0 or done < total) and not text:
            return
        self._last_emit = now
        self.changed.emit(done, total, text)


def _read_progress(args: tuple, kwargs: dict) -> tuple[int, int, str]:
    done, total, text = 0, 0, ""
    numbers = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
    texts = [a for a in args if isinstance(a, str)]
    text = kwargs.get("text") or kwargs.get("message") or (texts[0] if texts else "")
    if "done" in kwargs or "total" in kwargs:
        numbers = [kwargs.get("done", 0), kwargs.get("total", 0)]
    if len(numbers) >= 2:
        done, total = int(numbers[0]), int(numbers[1])
    elif len(numbers) == 1:
        value = numbers[0]
        if isinstance(value, float) and 0 <= value <= 1:
            done, total = int(value * 1000), 1000
        else:
            done, total = int(value), 0
    return done, total, str(text)


class _Worker(QThread):
    def __init__(self, call: Callable[[], Any]) -> None:
        super().__init__()
        self._call = call
        self.result = TaskResult()

    def run(self) -> None:
        try:
            self.result.value = self._call()
        except Cancelled:
            self.result.cancelled = True
        except BaseException as e:  # handed to the GUI thread, which reports it
            self.result.error = e


class _DialogUpdater(QObject):
    """Lives in the GUI thread, so progress signals from the worker arrive queued."""

    def __init__(self, dialog: QProgressDialog, progress: _Progress) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.progress = progress

    @Slot(int, int, str)
    def on_changed(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if text:
            self.dialog.setLabelText(text)

    @Slot()
    def on_cancel(self) -> None:
        self.progress.cancel()
        self.dialog.setLabelText("正在取消……")


def worker_ledger(ledger: Ledger) -> Ledger | None:
    """A second connection to the same database file for a worker thread (None: in memory)."""
    if ledger.path is None:
        return None
    return Ledger.open(ledger.path, today=getattr(ledger, "_today", None), sibling=ledger)


def run_task(
    parent: QWidget | None,
    label: str,
    fn: Callable[[Ledger, Callable[..., None]], Any],
    ledger: Ledger,
    *,
    title: str = "请稍候",
    cancellable: bool = True,
) -> TaskResult:
    """Run ``fn(ledger, progress)`` off the GUI thread with a progress dialog; returns when
    done. Errors come back in ``TaskResult.error`` (the caller shows a UserError and
    re-raises anything else so that the crash handler logs it)."""
    global _busy
    if _busy:  # the nested event loop lets a second click through before the dialog shows
        from ..errors import UserError

        return TaskResult(error=UserError("另一项操作正在进行，请稍候再试。"))
    progress = _Progress()
    dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)  # quick work never flashes a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(380)
    if not cancellable:
        dialog.setCancelButton(None)

    view = _DialogUpdater(dialog, progress)
    progress.changed.connect(view.on_changed)  # a QObject slot: queued from the worker
    dialog.canceled.connect(view.on_cancel)
    _busy = True
    try:
        if ledger.path is None:
            result = _run_here(fn, ledger, progress)
        else:

            def call() -> Any:
                own = worker_ledger(ledger)  # opened in the worker thread: it owns it
                assert own is not None
                try:
                    return fn(own, progress)
                finally:
                    own.close()

            worker = _Worker(call)
            loop = QEventLoop()
            worker.finished.connect(loop.quit)
            worker.start()
            if not worker.isFinished():
                loop.exec()
            worker.wait()
            result = worker.result
        QApplication.processEvents()  # deliver the last queued progress signals
        return result
    finally:
        _busy = False
        progress.changed.disconnect(view.on_changed)
        dialog.canceled.disconnect(view.on_cancel)
        dialog.close()
        dialog.deleteLater()


def _run_here(fn: Callable, ledger: Ledger, progress: _Progress) -> TaskResult:
    """In-memory ledger: same contract, in the GUI thread (events pumped on each report)."""
    result = TaskResult()

    def pumping(*args: Any, **kwargs: Any) -> None:
        QApplication.processEvents()
        progress(*args, **kwargs)

    try:
        result.value = fn(ledger, pumping)
    except Cancelled:
        result.cancelled = True
    except Exception as e:
        result.error = e
    return result
