"""A second start on a ledger that is already open brings its window to the front.

The window listens on a local socket (a named pipe on Windows) named after the database's
resolved path; a second start that finds the ledger locked knocks there instead of being
refused. The command line keeps its refusal (storage/lock.py): it has no window to show.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

WAIT_MS = 1000


def server_name(db_path: str | Path) -> str:
    """One name per database file and user (another user's window is not ours to raise)."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name: the path alone still tells ledgers apart
        user = ""
    key = f"{Path(db_path).resolve()}\n{user}".encode()
    return "zhibu-taizhang-" + hashlib.sha1(key).hexdigest()[:16]


def knock(db_path: str | Path) -> bool:
    """Ask the window open on ``db_path`` to come to the front; True when it answered."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(server_name(db_path))
    if not socket.waitForConnected(WAIT_MS):
        return False
    try:
        # the window's process id first: Windows lets a process that is not in front take
        # the foreground only when the one in front (this start) allows it
        if not socket.waitForReadyRead(WAIT_MS):
            return False
        pid = bytes(socket.readLine().data()).strip()
        if sys.platform == "win32" and pid.isdigit():  # pragma: no cover - Windows only
            import ctypes

            ctypes.windll.user32.AllowSetForegroundWindow(int(pid))
        socket.write(b"raise\n")
        socket.flush()
        return socket.waitForReadyRead(WAIT_MS) and bytes(socket.readAll().data()).startswith(b"ok")
    finally:
        socket.disconnectFromServer()


def bring_to_front(window: QWidget) -> None:
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


class FrontDoor(QObject):
    """Listens, for the window open on ``db_path``, for a second start's knock."""

    def __init__(self, window: QWidget, db_path: str | Path):
        super().__init__(window)
        from PySide6.QtNetwork import QLocalServer

        self.window = window
        self.name = server_name(db_path)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # a socket file left by a run that crashed (this process holds the ledger's lock,
        # so no live window can be listening on it)
        QLocalServer.removeServer(self.name)
        if not self.server.listen(self.name):
            log.warning("front door not opened: %s", self.server.errorString())
        self.server.newConnection.connect(self._welcome)

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def _welcome(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.write(f"{os.getpid()}\n".encode())
            socket.flush()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket) -> None:
        if b"raise" in bytes(socket.readAll().data()):
            bring_to_front(self.window)
            socket.write(b"ok\n")
            socket.flush()
