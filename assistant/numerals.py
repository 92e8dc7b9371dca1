"""Chinese and Arabic numerals: clause markers and citations (`cn_to_int`, ours), and amounts as people write them
(`parse_amount`, with the cn2an library).

Clause markers use Chinese numerals up to the sixties ("（六十六）"); citations from users mix both scripts
("第19条", "第十九条", "（19）"). `cn_to_int` reads them without any library: the cold `assistant lookup` parses
citations, and importing cn2an costs 0.3 s (it compiles its grammar on import).

Amounts in questions come in every form: 两千五百万, 一万二, 三点五亿, 2千万, 1.5万, 3千5百万, 1万2, 壹万贰仟, 两千多万.
`parse_amount` gives the Chinese and mixed numeral grammar to cn2an (imported on first use) and keeps here what cn2an
does not do: exact decimals (cn2an truncates 1.00005万 to 10000 and returns floats), a decimal before a big unit
(三点五亿, which cn2an refuses), 卅, lower bounds (两千多万, 5亿多), and refusing digit runs (一二万 is "one or two 万",
二〇二四 a year) instead of reading them as numbers.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal
from typing import NamedTuple

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
            wan_yi = ch == "亿" and last_big == 10_000  # "七万二千亿": 万 groups of 亿 (万亿, 10^12), once
            if (BIG_UNITS[ch] >= last_big and not wan_yi) or (digit is None and section == 0 and total == 0):
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


# --------------------------------------------------------------------------------------------- amounts


class Figure(NamedTuple):
    """An amount as written: its value, and whether the writer gave it as a lower bound ("两千多万": more than it)."""

    value: Decimal
    lower_bound: bool = False


_CN_NONZERO = "一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_DIGIT = _CN_NONZERO + "零〇"
# a big unit after the figure, as one factor: 2千万 = 2 × 10^7; 万亿 = 10^12
SCALE = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7, "亿": 10**8,
         "十亿": 10**9, "百亿": 10**10, "千亿": 10**11, "万亿": 10**12}
_SCALE = "|".join(sorted((u for u in SCALE if u), key=len, reverse=True))
_ARABIC = re.compile(rf"(\d+(?:\.\d+)?)({_SCALE})?")
_DECIMAL = re.compile(rf"(.+?)点([{_CN_DIGIT}0-9]+)({_SCALE})?")
_LOWER = re.compile(r"(.+?)[多余]([万亿]*)")
_TENTH_AFTER = re.compile(r"([^万亿]+)亿([一二两三四五六七八九])")  # one digit after 亿: tenths of it
# two digits side by side, at least one Chinese: 一二万 ("one or two 万"), 二〇二四 (a year), 5五 — no amount
_DIGIT_RUN = re.compile(f"[{_CN_NONZERO}][{_CN_DIGIT}0-9]|[0-9][{_CN_DIGIT}]")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_FRACTION = str.maketrans("零〇一二三四五六七八九", "00123456789")


@functools.lru_cache(maxsize=1)
def _cn2an():
    import cn2an  # 0.3 s on import: only when a figure in Chinese numerals is read

    return cn2an.cn2an


def _integer(text: str) -> int:
    """A whole number in Arabic, Chinese or mixed numerals (cn2an's "smart" grammar: 3千5百万, 1万2, 十一万三)."""
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or _DIGIT_RUN.search(text):
        raise ValueError(f"not a numeral: {text}")
    try:
        value = _cn2an()(text.replace("廿", "二十").replace("卅", "三十"), "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        raise ValueError(f"not a numeral: {text}") from None
    if not isinstance(value, int) or text[0] in "负-":  # a float would be a decimal: read below, exactly
        raise ValueError(f"not a whole number: {text}")
    return value


def parse_amount(text: str) -> Figure:
    """An amount written as people write it, exactly: "两千五百万" -> 25,000,000, "一万二" -> 12,000, "三点五亿" ->
    350,000,000, "2千万" -> 20,000,000, "1.5万" -> 15,000, "3千5百万", "1万2", "壹万贰仟", "廿万", "两千多万" ->
    (20,000,000, lower bound), "5亿多" likewise. Units of money or things (元, 块, 吨) are the caller's. Raises ValueError
    on what is no amount ("百千", "一二万", "万", "二〇二四", "3..5万"), so that callers never act on a guess."""
    s = unicodedata.normalize("NFKC", text or "").replace(" ", "")
    lower = False
    if m := _LOWER.fullmatch(s):  # "两千多万" is 两千万 and more; "5亿多" is 5亿 and more
        s, lower = m.group(1) + m.group(2), True
    if _GROUPED.fullmatch(s.split("万")[0].split("亿")[0]):
        s = s.replace(",", "")  # 3,000万: thousands grouped correctly (1,0,0,0 is no number)
    if m := _ARABIC.fullmatch(s):  # 1.5万, 2千万, 12.5: exact, without the library
        return Figure(_exact(Decimal(m.group(1)) * SCALE[m.group(2) or ""]), lower)
    if m := _DECIMAL.fullmatch(s):  # 三点五亿, 3点5万, 一点五
        whole, fraction, scale = _integer(m.group(1)), m.group(2).translate(_FRACTION), m.group(3) or ""
        if not fraction.isdigit():
            raise ValueError(f"not an amount: {text!r}")
        return Figure(_exact(Decimal(f"{whole}.{fraction}") * SCALE[scale]), lower)
    if not s or "点" in s or "." in s:  # "三点", "3..5万": no decimal of any form above
        raise ValueError(f"not an amount: {text!r}")
    if m := _TENTH_AFTER.fullmatch(s):  # "一亿五" = 1.5亿, "两亿三" = 2.3亿 (as "一万二" = 1.2万)
        digit, big = DIGITS[m.group(2)], SCALE["亿"]
        return Figure(Decimal(_integer(m.group(1))) * big + Decimal(digit) * big / 10, lower)
    return Figure(Decimal(_integer(s)), lower)


def _exact(value: Decimal) -> Decimal:
    """350000000.0 -> 350000000; 15000.50 -> 15000.5 (the value, without trailing zeros or an exponent)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return Decimal(format(value.normalize(), "f"))
