"""Errors a user can cause, with Chinese messages; anything else is a bug."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: shown as it is, exit status 1 on the command line."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        return "\n".join([self.message, *self.details]) if self.details else self.message


class ValidationError(UserError):
    """A field's value is wrong. ``field`` names the field (its Chinese label)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}：{message}")
        self.field = field
        self.reason = message


class WorkbookError(UserError):
    """One or more cells of a workbook are wrong; each detail is ``sheet!cell: message``."""


class DatabaseError(UserError):
    """The database file cannot be used (newer version, damaged, locked, read-only …)."""


class DamagedDatabaseError(DatabaseError):
    """The database file is damaged: it is not written to; offer the newest good backup."""

    def __init__(self, message: str, path=None, details: list[str] | None = None):
        super().__init__(message, details)
        self.path = path
