"""Exact quantities: quoted from the gazette (rule parameters) or typed by a user (calculator inputs).

Money is `Decimal` yuan end to end; floats never touch an amount. A rule parameter is written as the exact
text of its clause ("1500万元", "5%", "200元/标箱") and its value is parsed from that text, so one test can prove
that every number in the rule table stands in the clause it cites.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict

from ..numerals import cn_to_int

MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "万": Decimal(10_000), "亿元": Decimal(100_000_000),
               "亿": Decimal(100_000_000), "千元": Decimal(1000),
               # how people say it: 200块, 3万块钱
               "块": Decimal(1), "块钱": Decimal(1), "万块": Decimal(10_000), "万块钱": Decimal(10_000),
               "个亿": Decimal(100_000_000)}
COUNT_UNITS = {"万吨": ("吨", Decimal(10_000)), "吨": ("吨", Decimal(1)), "亩": ("亩", Decimal(1)),
               "万亩": ("亩", Decimal(10_000)), "标箱": ("标箱", Decimal(1)), "家": ("家", Decimal(1)),
               "年": ("年", Decimal(1)), "个百分点": ("%", Decimal("0.01"))}
MAX_MONEY = Decimal(10) ** 12  # 1万亿元: far above any enterprise figure in these policies
MAX_COUNT = Decimal(10) ** 10


class CalcInputError(ValueError):
    """A calculator input that cannot be used; `field` names it for the form or the CLI."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}：{message}")
        self.field = field
        self.message = message


class Quote(BaseModel):
    """A quantity exactly as the clause prints it, with its parsed value."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str
    value: Decimal
    unit: str  # 元 / % / 吨 / 亩 / 标箱 / 家 / 年 / ratio

    def __str__(self) -> str:
        return self.text


def Q(text: str) -> Quote:  # noqa: N802 - reads like the quantity it is
    """Parse a quoted quantity: "1500万元", "5%", "1个百分点", "200元/标箱", "1:1", "八五折", "三年"."""
    t = text.strip()
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)%", t):
        return Quote(text=text, value=Decimal(m.group(1)) / 100, unit="%")
    if m := re.fullmatch(r"(\d+):(\d+(?:\.\d+)?)", t):
        return Quote(text=text, value=Decimal(m.group(2)) / Decimal(m.group(1)), unit="ratio")
    if m := re.fullmatch(r"([一二三四五六七八九])([一二三四五六七八九])折", t):  # 八五折 = 85%
        return Quote(text=text, value=Decimal(cn_to_int(m.group(1)) * 10 + cn_to_int(m.group(2))) / 100, unit="%")
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)元/(\w+)", t):
        return Quote(text=text, value=Decimal(m.group(1)), unit="元")
    if m := re.fullmatch(r"(\d+(?:\.\d+)?|[一二三四五六七八九十]+)(万元|亿元|元|万|亿)", t):
        return Quote(text=text, value=_num(m.group(1)) * MONEY_UNITS[m.group(2)], unit="元")
    if m := re.fullmatch(r"(\d+(?:\.\d+)?|[一二三四五六七八九十]+)(万吨|吨|万亩|亩|标箱|家|年|个百分点)", t):
        unit, scale = COUNT_UNITS[m.group(2)]
        return Quote(text=text, value=_num(m.group(1)) * scale, unit=unit)
    raise ValueError(f"not a quantity: {text!r}")


def _num(s: str) -> Decimal:
    return Decimal(s) if s[0].isdigit() else Decimal(cn_to_int(s))


def fmt_yuan(value: Decimal | int) -> str:
    """12,345,678元 -> "1234.5678万元" reads badly; show 万元 when whole, else 元 with separators."""
    if isinstance(value, Above):
        return "超过" + fmt_yuan(Decimal(value))
    v = Decimal(value)
    if v != 0 and v % 10_000 == 0:
        return f"{v / 10_000:,.0f}万元".replace(",", "")
    if v != 0 and abs(v) >= 10_000 and (v * 100) % 10_000 == 0:  # 1575000 -> 157.5万元
        return f"{(v / 10_000).normalize():f}万元"
    if v == v.to_integral_value():
        return f"{v.quantize(Decimal(1)):,}元"
    return f"{v.normalize():,f}元"  # an input of 19,999,999.9元 is shown as given, never rounded up to the threshold


def fmt_pct(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


# --------------------------------------------------------------------------------------------- user input

WHOLE_UNITS = ("家", "标箱", "个")
_NUMBER = r"[-+]?(?:\d[\d,，]*(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?"


def _decimal(field: str, s: str) -> Decimal:
    raw = s.replace("，", ",")
    if "," in raw and not re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raise CalcInputError(field, f"“{s}”的千位分隔符位置不对，请写成 3000 或 3,000。")  # 1,0,0,0 is no 1000
    s = raw.replace(",", "")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise CalcInputError(field, f"“{s}”不是有效的数字。") from None
    if not d.is_finite():
        raise CalcInputError(field, "数值无效（无穷大或非数字）。")
    if d != 0 and d.adjusted() > 15:  # 1e999999: far beyond any figure; checked before any unit multiplies it
        raise CalcInputError(field, "数值过大，请检查单位。")
    return d


def _value_and_unit(field: str, raw: object) -> tuple[Decimal, str]:
    if isinstance(raw, bool):
        raise CalcInputError(field, "应填写数值。")
    if isinstance(raw, (int, Decimal)):
        return _decimal(field, str(raw)), ""
    if isinstance(raw, float):
        return _decimal(field, repr(raw)), ""
    s = re.sub(r"\s+", "", str(raw or "")).replace("％", "%")
    if not s:
        raise CalcInputError(field, "未填写。")
    if m := re.fullmatch(rf"({_NUMBER})(.*)", s):
        return _decimal(field, m.group(1)), m.group(2)
    if m := re.fullmatch(r"([零〇一二两三四五六七八九十百千万亿]+?)(万元|亿元|个亿|元|万块钱|万块|块钱|块|万吨|吨|万亩|亩|万标箱|标箱|家|个|%)?", s):
        try:
            n = cn_to_int(m.group(1))
        except ValueError:
            raise CalcInputError(field, f"无法识别“{s}”。") from None
        return Decimal(n), m.group(2) or ""
    raise CalcInputError(field, f"无法识别“{s}”，请填写数字，例如 3000万 或 15%。")


class Above(Decimal):
    """A figure given as a lower bound: "超过5亿", "5亿多" — more than N, by an amount not said. Compared as
    "just above N": it passes "超过N" and "N以上" alike and stays below the next threshold above N."""

    def __gt__(self, other):
        return Decimal(self) >= other

    def __ge__(self, other):
        return Decimal(self) >= other

    def __lt__(self, other):
        return Decimal(self) < other

    def __le__(self, other):
        return Decimal(self) < other

    def __eq__(self, other):
        return False

    __hash__ = Decimal.__hash__


LOWER_BOUND = re.compile(r"^(?:超过了?|突破了?|超出了?|高于|大于|多于|过了|过|逾)(.+)$|^(.+?)(?:多|以上|出头)$")


def parse_money(field: str, raw: object) -> Decimal:
    """"3000万" / "1.2亿元" / "3,000万" / "三千万" / 30000000 -> Decimal yuan. A bare number is 元. "超过5亿",
    "5亿多" -> Above(5亿): the asker says the figure is above it."""
    if isinstance(raw, str) and (m := LOWER_BOUND.match(re.sub(r"\s+", "", raw))):
        inner = parse_money(field, m.group(1) or m.group(2))
        return Above(inner)
    value, unit = _value_and_unit(field, raw)
    if unit not in MONEY_UNITS and unit != "":
        raise CalcInputError(field, f"单位“{unit}”不是金额单位，请用元、万元或亿元。")
    value = value * MONEY_UNITS.get(unit, Decimal(1))
    return _check_range(field, value, MAX_MONEY, "金额")


def parse_count(field: str, raw: object, unit: str) -> Decimal:
    """A quantity in `unit` (吨, 亩, 标箱, 家); "20万吨" -> 200000 吨."""
    value, got = _value_and_unit(field, raw)
    if got.startswith("万") and got[1:] in ("", unit, "个" + unit):  # "2万标箱" -> 20000 标箱
        value, got = value * 10_000, unit
    if got in ("", unit, "个", "个" + unit):
        pass
    elif got in COUNT_UNITS and COUNT_UNITS[got][0] == unit:
        value = value * COUNT_UNITS[got][1]
    else:
        raise CalcInputError(field, f"单位应为“{unit}”，收到“{got}”。")
    if unit in WHOLE_UNITS and value != value.to_integral_value():  # 300.5家: a count of things is whole
        raise CalcInputError(field, f"{unit}数应为整数，收到“{raw}”。")
    return _check_range(field, value, MAX_COUNT, "数量")


def parse_percent(field: str, raw: object, signed: bool = False) -> Decimal:
    """"15%" or 15 -> Decimal("0.15"). A bare number is read as percentage points. Only a `signed` percent (a
    growth rate) may be negative: a negative premium rate or R&D share is a typing error, not a figure."""
    value, unit = _value_and_unit(field, raw)
    if unit not in ("", "%"):
        raise CalcInputError(field, f"应填写百分比，例如 15%，收到单位“{unit}”。")
    if abs(value) > 100_000:
        raise CalcInputError(field, "百分比数值过大。")
    if value < 0 and not signed:
        raise CalcInputError(field, "不能为负数。")
    return value / 100


def _check_range(field: str, value: Decimal, limit: Decimal, what: str) -> Decimal:
    if value < 0:
        raise CalcInputError(field, f"{what}不能为负数。")
    if value > limit:
        raise CalcInputError(field, f"{what}过大，请检查单位。")
    return value + 0  # -0 -> 0


def parse_bool(field: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    s = str(raw).strip().lower()
    if s in ("1", "true", "yes", "y", "是", "对", "有"):
        return True
    if s in ("0", "false", "no", "n", "否", "不是", "无", "没有"):
        return False
    raise CalcInputError(field, f"应填写 是/否，收到“{raw}”。")
