"""Money as integer 分. Typed or imported amounts are read with ``Decimal`` at the edge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# No amount a branch records comes near this (a month's dues, a base of income, a year's
# total); anything beyond is a typing or a spreadsheet error — and beyond 9.2e16 元 it would
# not even fit SQLite's integer.
MAX_YUAN = Decimal(100_000_000)


def parse_yuan(value: object) -> int:
    """``"11.73"``, ``11.73``, ``"¥1,234.5"``, ``"12元"`` → 分 (int). Raises ``ValueError``
    with a Chinese message for anything that is not an amount with at most 2 decimals.

    A float from a spreadsheet cell is read through its shortest repr (``14.5`` → 1450),
    never through binary arithmetic."""
    if isinstance(value, bool):
        raise ValueError(f'金额不是数字: "{value}"')
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, Decimal):
        text = str(value)
    else:
        text = str(value or "").strip()
        for junk in ("¥", "￥", ",", "，", "元", " "):
            text = text.replace(junk, "")
    if not text:
        raise ValueError("金额为空")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f'金额不是数字: "{value}"') from None
    if not d.is_finite():
        raise ValueError(f'金额不是数字: "{value}"')
    if abs(d) >= MAX_YUAN:
        raise ValueError(f'金额过大: "{value}"（应小于 1 亿元）')
    fen = d * 100
    if fen != fen.to_integral_value():
        raise ValueError(f'金额最多两位小数: "{value}"')
    return int(fen)


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def format_fen(fen: int | None) -> str:
    """Two decimals for tables: ``1,234.50``; empty for None."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def format_yuan(fen: int | None) -> str:
    """Prose form: ``¥1,234.50``."""
    return "" if fen is None else "¥" + format_fen(fen)


def round_half_up(value: Decimal) -> int:
    """Round a Decimal number of 分 half-up to an integer."""
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
