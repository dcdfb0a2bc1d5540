"""公民身份号码 per GB 11643-1999: check digit, birth date and sex read from the number."""

from __future__ import annotations

import datetime as dt

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS))
    return _CHECK[total % 11]


def normalize(number: str) -> str:
    """Trim spaces and upper-case a trailing ``x``."""
    return "".join(str(number).split()).upper()


def validate(number: str) -> str | None:
    """None if the number is valid, otherwise a Chinese message saying what is wrong."""
    n = normalize(number)
    if len(n) != 18:
        return f"公民身份号码应为18位，现为{len(n)}位"
    if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return "公民身份号码前17位应为数字，末位为数字或X"
    if birth_date(n) is None:
        return "公民身份号码中的出生日期不存在"
    expected = check_digit(n[:17])
    if n[17] != expected:
        return f"公民身份号码校验位错误（末位应为{expected}）"
    return None


def birth_date(number: str) -> dt.date | None:
    n = normalize(number)
    try:
        return dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return None


def gender(number: str) -> str:
    """男 if the 17th digit is odd, else 女."""
    return "男" if int(normalize(number)[16]) % 2 else "女"


def mask(number: str | None) -> str | None:
    """``110105********1234``: region and last four kept, for exports that leave the branch."""
    if not number:
        return number
    n = normalize(number)
    if len(n) < 10:
        return "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


def mask_phone(phone: str | None) -> str | None:
    """``138****0001``."""
    if not phone:
        return phone
    p = str(phone).strip()
    if len(p) < 7:
        return "*" * len(p)
    return p[:3] + "*" * (len(p) - 7) + p[-4:]
