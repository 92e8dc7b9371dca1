"""The calculator form: in which unit a field is typed, its suffix, and the "是否指…万元？" question for a figure
whose unit is implausible. Only presentation: the calculator itself (`assistant.calculator`) reads every value.

A money field is typed in 万元 when its rule's own figures are in the 万元 range (技改: 2000万元 threshold, 1500万元
tiers) — people say "投了3000万" — and in 元 otherwise (a truck's toll, a premium the rule states no amount for).
A unit typed with the number (3000万, 1.2亿, 5000元) always wins over the field's unit.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.calculator.quantities import Quote, fmt_yuan
from assistant.calculator.rules import InputSpec, Rule

WAN = Decimal(10_000)
BARE = re.compile(r"\s*([-+]?\d[\d,，]*(?:\.\d+)?)\s*")
EXPLICIT_YUAN = re.compile(r"\s*(\d[\d,，]*(?:\.\d+)?)\s*元\s*")
UNIT_CLASS = {"万元": "unit-wan", "元": "unit-yuan", "亩": "unit-mu", "%": "unit-pct", "吨": "unit-dun",
              "标箱": "unit-box", "家": "unit-jia"}


def money_figures(rule: Rule) -> list[Decimal]:
    """Every amount of money the rule quotes from its clause (thresholds, tiers, caps, awards)."""
    found: list[Decimal] = []

    def walk(v: Any) -> None:
        if isinstance(v, Quote):
            if v.unit == "元" and v.value >= WAN and "/" not in v.text:
                found.append(v.value)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (tuple, list)):
            for x in v:
                walk(x)

    walk(rule.params)
    for a in rule.awards:
        walk(a.amounts)
    return found


def field_unit(rule: Rule, spec: InputSpec) -> str:
    """The unit a bare number in this field means, shown as the field's suffix."""
    if spec.kind == "money":
        return "万元" if money_figures(rule) else "元"
    if spec.kind == "percent":
        return "%"
    return spec.unit if spec.kind == "count" else ""


def hint(rule: Rule, spec: InputSpec) -> str:
    unit = field_unit(rule, spec)
    if spec.kind == "money":
        extra = "也可写 3000万、1.2亿、5000元" if unit == "万元" else "也可写 3.5万"
        return "；".join(x for x in (spec.help, f"单位：{unit}，{extra}") if x)
    if spec.kind == "percent":
        return "；".join(x for x in (spec.help, "单位：%，例如 15 表示 15%") if x)
    if spec.kind == "count":
        return "；".join(x for x in (spec.help, f"单位：{spec.unit}") if x)
    return spec.help


def as_entered(rule: Rule, spec: InputSpec, text: str) -> str:
    """The value as the calculator reads it: a bare number in a 万元 field gets its unit ("3000" -> "3000万")."""
    if spec.kind == "money" and field_unit(rule, spec) == "万元" and BARE.fullmatch(text or ""):
        return text.strip() + "万"
    return text


def unit_question(rule: Rule, spec: InputSpec, text: str) -> str | None:
    """"是否指3000万元？" when the unit of a typed amount is implausible for the rule's own figures:
    - "3000元" in a field of a rule whose amounts reach 100万元 or more (技改: 300万–2000万元) — less than 1万元 is
      almost certainly 3000万元 with the wrong unit;
    - a bare number that, read in 万元, is over 100 times the rule's largest figure ("30000000" in the 技改 field
      would be 3000亿元, i.e. 20,000 × the 2000万元 threshold): it was typed in 元, so 3000万元 was meant.
    A question, never a correction: the calculation uses what was typed."""
    if spec.kind != "money" or not (text or "").strip():
        return None
    figures = money_figures(rule)
    if not figures:
        return None
    top = max(figures)
    try:
        if m := EXPLICIT_YUAN.fullmatch(text):
            n = Decimal(m.group(1).replace(",", "").replace("，", ""))
            if 0 < n < WAN and top >= 100 * WAN:
                return (f"是否指{_num(n)}万元？您填的“{text.strip()}”只有{fmt_yuan(n)}，"
                        f"本条的金额在{fmt_yuan(min(figures))}以上，请核对单位。")
        elif (m := BARE.fullmatch(text)) and field_unit(rule, spec) == "万元":
            n = Decimal(m.group(1).replace(",", "").replace("，", ""))
            if n * WAN > 100 * top:
                return (f"是否指{fmt_yuan(n)}？本栏单位是万元，“{text.strip()}”会按{_big(n * WAN)}计算，请核对单位。")
    except InvalidOperation:
        return None
    return None


def _num(n: Decimal) -> str:
    return f"{n.normalize():f}"


def _big(yuan: Decimal) -> str:
    if yuan >= 10 ** 8:
        return f"{_num(yuan / 10 ** 8)}亿元"
    return fmt_yuan(yuan)
