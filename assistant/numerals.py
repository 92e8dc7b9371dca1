"""Chinese and Arabic numerals as they appear in clause markers and citations.

Clause markers use Chinese numerals up to the sixties ("（六十六）"); citations from users mix both scripts
("第19条", "第十九条", "（19）").  Amounts ("三千万") use the same digits with larger units.
"""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

_SMALL = "零一二三四五六七八九"


def cn_to_int(text: str) -> int:
    """Parse a Chinese numeral ("十九" -> 19, "六十六" -> 66, "三千万" -> 30,000,000, "廿一" -> 21), including the
    spoken abbreviation of a trailing unit ("一万二" -> 12,000, "三千五" -> 3,500, "两百五" -> 250).

    Raises ValueError on anything that is not a well-formed numeral ("百千", "一二", "十十", "万", "亿万"), so that
    callers never act on a guess.
    """
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    text = text.replace("廿", "二十").replace("卅", "三十")
    total = 0  # completed groups of 万/亿
    section = 0  # the part below the current big unit
    digit: int | None = None
    last_unit = 10**13  # units within a section must fall: 三千五百, never 百千
    last_big = 10**13
    previous = 0  # the unit just read, for "一万二" (2 of the next lower unit)
    for i, ch in enumerate(text):
        if ch in "零〇" and 0 < i < len(text) - 1 and digit is None:  # "一百零五": a gap, not a digit
            continue
        if ch in DIGITS:
            if digit is not None:  # "一二" is not a numeral (we do not read digit strings like 二〇二四 here)
                raise ValueError(f"not a numeral: {text}")
            digit = DIGITS[ch]
        elif ch in UNITS:
            if UNITS[ch] >= last_unit:
                raise ValueError(f"not a numeral: {text}")
            section += (1 if digit is None else digit) * UNITS[ch]  # "十九": a bare 十 means 10
            digit, last_unit, previous = None, UNITS[ch], UNITS[ch]
        elif ch in BIG_UNITS:
            if BIG_UNITS[ch] >= last_big or (digit is None and section == 0 and total == 0):
                raise ValueError(f"not a numeral: {text}")  # "亿万", or a big unit with nothing before it
            section += digit or 0
            digit = None
            total = (total + section) * BIG_UNITS[ch] if BIG_UNITS[ch] > 10_000 else total + section * BIG_UNITS[ch]
            section, last_unit, last_big, previous = 0, 10**13, BIG_UNITS[ch], BIG_UNITS[ch]
        else:
            raise ValueError(f"not a numeral: {text}")
    if digit is not None and previous >= 100 and text[-2] not in DIGITS and text[-2] != "零":
        return total + section + digit * previous // 10  # "一万二" = 12,000; "三千五" = 3,500
    return total + section + (digit or 0)


def int_to_cn(n: int) -> str:
    """Write 1..99 the way clause markers do: 19 -> "十九", 20 -> "二十", 66 -> "六十六"."""
    if not 0 < n < 100:
        raise ValueError(f"clause numbers run from 1 to 99, got {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _SMALL[tens] + "十")
    return head + ("" if ones == 0 else _SMALL[ones])


def parse_number(text: str) -> int:
    """An Arabic or Chinese clause number."""
    text = text.strip()
    return int(text) if text.isdigit() else cn_to_int(text)
