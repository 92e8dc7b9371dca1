"""How an answer's facts are scored: leniently (the fact appears anywhere) and strictly (where the asker reads it).

An answer usually quotes the clause it cites, and a quoted sentence often holds several figures: "对经认定的国家级、
省级、市级绿色工厂和绿色园区,分别给予150万元、50万元、20万元奖励". An answer that says "省级：20万元" and then quotes that
sentence contains "50万元" — a lenient check passes it. The strict check reads the answer as the asker does:

- the answer's *own words* are its text with every quoted span removed (the citations' quotes, and any “…” span that
  stands verbatim in a cited clause);
- a fact passes when one of its spellings is in the own words, or — found only inside a quote — when it is the only
  figure of its kind there (every other figure of the same unit in the quotes is itself an expected fact, as in a
  question that asks for the whole list);
- a `must_not` string (a neighbouring item's figure) found in the own words fails the answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# a figure and its unit: "150万元", "5.5%", "500人次", "2026年12月31日" (dates are one figure)
DATE_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*日")
FIGURE_RE = re.compile(r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?)\s*(万元|亿元|元|万|亿|%|个百分点|[^\d\s，。、；,;:：()（）“”\"'】【\[\]-]{0,2})")
MONEY_UNITS = {"万元": 10_000, "亿元": 100_000_000, "元": 1, "万": 10_000, "亿": 100_000_000}
# a question that asks for a value: an amount, a count, a date, a rate, a cap, a responsible unit; or one that states a
# figure and asks whether it is right ("…300万，对吗"). Only these are held to the strict rule: "10号文第二十条" asks
# for the clause, and a quote of it is the answer.
VALUE_QUESTION = re.compile(r"多少|几[个项家条人年月天台辆亩万次所张批档级倍成]|哪天|哪一天|哪年|哪一年|什么时候|啥时候|何时|几月|日期|"
                            r"比例|比重|百分之|多大|多高|多长|多久|多少钱|上限|封顶|最高|最低|金额|标准是|"
                            r"哪个部门|哪些部门|哪个单位|哪些单位|谁负责|谁牵头|找谁|"
                            r"\d.{0,12}(吗|对不对|是不是|对吧|是吧)[?？!！。]*$")


def asks_value(question: str) -> bool:
    return bool(VALUE_QUESTION.search(fold(question)))


def fold(text: str) -> str:
    """NFKC, no spaces, and no thousands separators ("4,500元" is 4500元)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


def figures(text: str) -> list[tuple[str, str]]:
    """(kind, value) of every figure in the text. Money of any unit is one kind with its value in yuan (so 0.5亿元
    and 5000万元 are the same figure); a date is its own kind; otherwise the kind is the unit that follows."""
    text = fold(text)
    out: list[tuple[str, str]] = []
    for m in DATE_RE.finditer(text):
        out.append(("date", re.sub(r"\D+", "-", m.group(0)).strip("-")))
    text = DATE_RE.sub(" ", text)
    for m in FIGURE_RE.finditer(text):
        number, unit = m.group(1), m.group(2) or ""
        money = next((u for u in MONEY_UNITS if unit.startswith(u)), None)
        if money:
            out.append(("money", _yuan(number, money)))
        elif unit.startswith("%") or unit.startswith("个百分点"):
            out.append(("percent", number))
        else:
            out.append((unit[:1] or "number", number))
    return out


def _yuan(number: str, unit: str) -> str:
    from decimal import Decimal

    v = Decimal(number) * MONEY_UNITS[unit]
    return format(v.normalize(), "f")


def quoted_spans(answer: str, quotes: Iterable[str], clause_texts: Iterable[str]) -> list[str]:
    """What the answer quotes: each citation's quote, and each “…” span that stands verbatim in a cited clause."""
    spans = [q for q in quotes if q and q.strip()]
    folded = [fold(t) for t in clause_texts]
    for m in re.finditer(r"“([^”]{4,})”", answer or ""):
        span = m.group(1)
        if any(fold(span) in t for t in folded):
            spans.append(span)
    return spans


def own_words(answer: str, spans: Iterable[str]) -> str:
    """The answer without its quoted spans, longest first (a quote of a whole clause holds its sentences)."""
    text = answer or ""
    for s in sorted(set(spans), key=len, reverse=True):
        text = text.replace(s, "\u2063")
    return text


def fact_lenient(answer: str, group: list[str]) -> bool:
    text = fold(answer)
    return any(fold(s) in text for s in group)


def _has_figures(text: str, wanted: list[tuple[str, str]]) -> bool:
    """Every wanted figure is among the text's figures (a bare number matches that number with any unit);
    "50万元" is not found in "150万元", and "0.5亿元" is "5000万元"."""
    got = figures(text)

    def same(k: str, v: str, gk: str, gv: str) -> bool:
        if k == "date" == gk:  # "4月15日" is "2024年4月15日"
            return gv == v or gv.endswith("-" + v)
        return v == gv and (k == "number" or k == gk)

    return all(any(same(k, v, gk, gv) for gk, gv in got) for k, v in wanted)


def _found(text: str, spelling: str) -> bool:
    wanted = figures(spelling)
    return _has_figures(text, wanted) if wanted else fold(spelling) in fold(text)


def fact_strict(answer: str, spans: list[str], group: list[str], expected: list[list[str]]) -> bool:
    mine = own_words(answer, spans)
    if any(_found(mine, s) for s in group):
        return True
    quoted = "".join(spans)
    found = [s for s in group if _found(quoted, s)]
    if not found:
        return False
    mine_figs = [f for s in found for f in figures(s)]
    if not mine_figs:  # a phrase, not a figure: where it is read does not change what it says
        return True
    allowed = {v for g in expected for s in g for _, v in figures(s)}
    values = {v for _, v in mine_figs}
    in_quote = figures(quoted)
    kinds = {k for k, v in in_quote if v in values}  # "2200" asked, "2200根" quoted: the kind is 根
    return not any(k in kinds and v not in allowed for k, v in in_quote)


NEGATED = re.compile(r"(而不是|不是|并非|而非|并不是)[^，。；,;\n]*")


def must_not_hits(answer: str, spans: list[str], must_not: Iterable[str]) -> list[str]:
    """must_not strings stated in the answer's own words (a quote may hold them: it is the source). A figure the
    answer names only to deny it ("原文规定的是50%，不是60%") is not stated."""
    mine = NEGATED.sub(" ", own_words(answer, spans))
    return [s for s in must_not if s and _found(mine, s)]
