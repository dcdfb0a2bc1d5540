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


# errno → what it means, in the words of the clerk's PC
_ERRNO_TEXT = {
    "EACCES": "权限不足（文件或文件夹是只读的，或正被其他程序占用）",
    "EPERM": "权限不足（文件或文件夹是只读的，或正被其他程序占用）",
    "ENOSPC": "磁盘已满",
    "EDQUOT": "超出了磁盘配额",
    "EROFS": "磁盘是只读的（U 盘写保护？）",
    "EIO": "磁盘读写出错（U 盘或网络盘被拔出？）",
    "ENOENT": "文件或文件夹不存在",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "EISDIR": "这是一个文件夹",
    "EEXIST": "已有同名文件",
    "ENAMETOOLONG": "文件名或路径太长",
    "EBUSY": "文件正被其他程序占用",
    "ETXTBSY": "文件正被其他程序占用",
    "EMFILE": "打开的文件太多",
    "ENFILE": "打开的文件太多",
    "ENOMEM": "内存不足",
    "EINVAL": "文件名无效",
    "ENXIO": "设备不存在（U 盘或网络盘被拔出？）",
    "ENODEV": "设备不存在（U 盘或网络盘被拔出？）",
    "ESTALE": "网络盘上的文件已失效",
    "ETIMEDOUT": "网络盘响应超时",
}
# SQLite's messages for the same conditions (sqlite3.Error carries no errno)
_SQLITE_TEXT = (
    ("full", "磁盘已满"),
    ("disk i/o error", "磁盘读写出错（U 盘或网络盘被拔出？）"),
    ("readonly", "文件是只读的"),
    ("read-only", "文件是只读的"),
    ("unable to open", "无法打开文件（文件夹只读或无权限？）"),
    ("locked", "文件正被其他程序占用"),
    ("busy", "文件正被其他程序占用"),
)


def os_error_text(e: BaseException) -> str:
    """What went wrong with a file, in Chinese: 权限不足, 磁盘已满 … for an ``OSError`` (by
    its errno) or an ``sqlite3.Error`` (by its message); never the system's English."""
    import errno

    number = getattr(e, "errno", None)
    name = errno.errorcode.get(number, "") if isinstance(number, int) else ""
    if name in _ERRNO_TEXT:
        return _ERRNO_TEXT[name]
    if getattr(e, "winerror", None) == 32:  # Windows: the file is open in another program
        return _ERRNO_TEXT["EBUSY"]
    text = str(e).lower()
    for word, meaning in _SQLITE_TEXT:
        if word in text:
            return meaning
    return f"系统错误 {name or number or type(e).__name__}"
