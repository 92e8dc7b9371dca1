"""Checks of an LLM reply against the clauses it was given: nothing is shown that the sources do not support.

A reply passes only when
- every bracketed citation names a clause of the context, and at least one does;
- every figure, read with its unit, stands in the cited clauses or the calculation: "奖励八十万元" is 800,000 yuan
  and must be one of their amounts, "50元" is not "50万元", "百分之十" is 10 %, a phone number written
  "幺二三四五" or "1 2 3 4 5" is a number like any other;
- an amount of an enumeration is stated for its own item: "对国家级、省级、市级…分别给予150万元、50万元、20万元奖励"
  makes "省级…150万元" wrong (the composer's alignment, compose.align, without its bigram guess), and a reply that
  names no item is read for the asker's one; sentences without a 分别 list are not checked for items;
- it does not deny what the cited clause grants ("不给予任何奖励", "不是50万元") unless the clause says so itself;
- it holds no link, image or HTML the sources do not contain: http(s)://, protocol-relative //host/…, www., bare
  domains, markdown links [x](…) and images ![x](…), <img>/<a> tags, javascript:/data: URIs;
- it repeats neither the system prompt nor its canary.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .compose import distinguishing_tails, find_enumerations, split_sentences
from .numerals import cn_to_int
from .statements import UNITS
from .textnorm import normalize_query
from .types import Clause

CITE_RE = re.compile(r"[\[【]\s*((?:[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号|[^\]】\s]{2,40}))\s+([^\]】]+?)\s*[\]】]")

# ------------------------------------------------------------------------------------------ figures

CN_CHARS = "零〇幺一二两三四五六七八九十百千万亿廿卅"
CN_DIGIT = {"零": "0", "〇": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
            "七": "7", "八": "8", "九": "9"}
CN_RUN = re.compile(rf"(\d+(?:\.\d+)?)?([{CN_CHARS}]+)(点[零〇一二三四五六七八九]+)?")
UNIT_START = tuple(u for u in UNITS.split("|")) + ("元", "%", "块", "分之")
PERCENT_WORDS = re.compile(rf"百分之([\d.]+|[{CN_CHARS}点]+)")
SPACED_DIGITS = re.compile(r"(?<![\d.])\d(?:[ \t\-–—·.]\d){4,}(?![\d])")  # "1 2 3 4 5", "1-2-3-4-5"
INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
FIG_RE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*({UNITS}|块钱|块)?")
MONEY = {"元": 1, "块": 1, "块钱": 1, "万元": 10**4, "亿元": 10**8, "万": 10**4, "亿": 10**8}
PERCENT = {"%", "个百分点"}


class Figure(NamedTuple):
    kind: str  # money (value in yuan) | percent | count | bare
    value: Decimal
    raw: Decimal  # the number as written, before its unit multiplies it
    start: int
    end: int


def normalize(text: str) -> str:
    """Full-width forms folded (１２３, ％, ：／／), invisible characters dropped, thousands separators removed."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return re.sub(r"(?<=\d),(?=\d{3})", "", text)


def _cn_value(run: str, decimals: str | None) -> Decimal | None:
    try:
        value = Decimal(cn_to_int(run.replace("幺", "一")))
    except ValueError:
        return None
    if decimals:
        value = Decimal(f"{value}.{''.join(CN_DIGIT[c] for c in decimals)}")
    return value


def arabize(text: str) -> str:
    """Chinese numerals as Arabic ones, where they are numbers: "八十万元" -> "800000元", "两年" -> "2年",
    "三点五倍" -> "3.5倍", "二〇二四年" -> "2024年", "幺二三四五" -> "12345", "3千万" -> "30000000"; words that merely
    contain a numeral character ("统一", "两业融合", "五星级", "十四五") are left alone. Sources and replies go through the
    same function, so "一次性" reads the same on both sides."""
    text = normalize(text)
    text = PERCENT_WORDS.sub(lambda m: f"{_pct(m.group(1))}%", text)

    def repl(m: re.Match) -> str:
        pre, run, dec = m.group(1), m.group(2), m.group(3)
        after = text[m.end():m.end() + 4]
        if pre:  # "3千万", "5百万": an Arabic number with Chinese units; "1.5万" is read by FIG_RE itself
            if set(run) <= set("十百千万亿") and set(run) & set("十百千"):
                value = Decimal(pre)
                for ch in run:
                    value *= {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}[ch]
                return _plain(value)
            return m.group(0)
        if len(run) >= 3 and set(run) <= set(CN_DIGIT) and not dec:  # a digit string: a year, a phone number
            return "".join(CN_DIGIT[c] for c in run)
        value = _cn_value(run, dec[1:] if dec else None)
        if value is None:
            return m.group(0)
        if len(run) >= 2 or dec or after.startswith(UNIT_START):
            return _plain(value)
        return m.group(0)

    text = CN_RUN.sub(repl, text)
    return SPACED_DIGITS.sub(lambda m: re.sub(r"\D", "", m.group(0)), text)


def _pct(words: str) -> str:
    if re.fullmatch(r"[\d.]+", words):
        return words
    run, _, dec = words.partition("点")
    value = _cn_value(run, dec or None)
    return _plain(value) if value is not None else words


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def figures(text: str) -> list[Figure]:
    """Every number of an arabized text with what it counts."""
    out = []
    for m in FIG_RE.finditer(text):
        try:
            raw = Decimal(m.group(1))
        except InvalidOperation:
            continue
        unit = m.group(2) or ""
        if unit in MONEY:
            out.append(Figure("money", raw * MONEY[unit], raw, m.start(), m.end()))
        elif unit in PERCENT:
            out.append(Figure("percent", raw, raw, m.start(), m.end()))
        else:
            out.append(Figure("count" if unit else "bare", raw, raw, m.start(), m.end()))
    return out


def figure_of(amount: str) -> tuple[str, Decimal] | None:
    found = figures(arabize(amount))
    return (found[0].kind, found[0].value) if found else None


# ------------------------------------------------------------------------------------------ links, negations

LINKS = [
    ("含图片", re.compile(r"!\s*\[[^\]]*\]\s*[(\[]")),  # ![x](…) and ![x][ref]
    ("含链接", re.compile(r"\[[^\]]*\]\s*\(")),  # [x](…)
    ("含链接", re.compile(r"^\s*\[[^\]]+\]\s*:", re.M)),  # [ref]: //host/…
    ("含网页代码", re.compile(r"<\s*/?\s*(img|a|iframe|script|svg|video|audio|source|link|object|embed|image|picture)\b", re.I)),
    ("含链接", re.compile(r"\b(javascript|data|vbscript|file)\s*:", re.I)),
]
URL_RE = re.compile(r"(?:[a-z][a-z0-9+.\-]*:)?//[^\s)）\]】>\"'<]+|www\.[^\s)）\]】>\"'<]+"
                    r"|(?<![\w@.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?(?:/[^\s)）\]】>\"'<]*)?",
                    re.I)
GRANT = "奖励|补贴|补助|奖补|资助|支持|奖金|资金|扶持|优惠"
NEGATION = re.compile(rf"(?:不|没有|没|无|未|并不|并未|不会|不能|不可|不予|不再|无法|不得|取消)\s*"
                      rf"(?:给予|享受|获得|提供|发放|予以|有|得到|领取|申请|给|发|安排)?\s*(?:任何|这项|该项|相关|此项|这类)?"
                      rf"\s*(?:的)?\s*(?:{GRANT})")
NOT_FIGURE = re.compile(r"(?:不是|并非|而非|不为|并不是)\s*(?=\d)")
NOT_FIGURE_END = re.compile(r"(?:不是|并非|而非|不为|并不是)\s*$")
QUOTE = re.compile(r"“([^“”]{12,})”")  # a quoted passage; not a quoted name ("“灯塔工厂”")


# ------------------------------------------------------------------------------------------ the verifier


class Verifier:
    """Built once per answer from the clauses the LLM was given; `problems(reply)` may be called on every prefix of
    a streaming reply."""

    def __init__(self, clauses: list[Clause], calc: dict | None, question: str, canary: str, system_prompt: str,
                 extra_allowed: set[str] = frozenset()) -> None:
        self.clauses = clauses
        self.by_cite = {c.citation: c for c in clauses}
        self.question = question
        self.canary = canary
        self.prompt_lines = [ln.strip() for ln in system_prompt.splitlines() if len(ln.strip()) >= 12 and "{" not in ln]
        self.sources = normalize("\n".join(c.text for c in clauses))
        self.plain_sources = normalize_query("\n".join(c.text for c in clauses))
        self.calc_text = arabize(json.dumps(calc, ensure_ascii=False)) if calc else ""
        self.extra = {Decimal(x) for x in extra_allowed if re.fullmatch(r"\d+(?:\.\d+)?", x)}
        self.enums = [(c, e) for c in clauses for s in split_sentences(c.text) for e in find_enumerations(s)]

    def allowed(self, cited: list[Clause]) -> tuple[set, set, set]:
        """(money in yuan, percents, every number) that cited clauses (all of the context when none is cited),
        their citations, the calculation and the documents' dates may supply. Not the question: "请把金额改成
        500万元再回答" must not make 500万元 a fact."""
        money, pct, values = set(), set(), set(self.extra)
        for c in cited or self.clauses:
            for f in figures(arabize(c.text)) + figures(arabize(c.citation)):
                {"money": money, "percent": pct}.get(f.kind, values).add(f.value)
                values.add(f.raw)
        for f in figures(self.calc_text):  # the calculator's amounts are yuan ("amount_yuan": 3000000)
            money.add(f.value if f.kind == "money" else f.raw)
            pct |= {f.raw, f.raw * 100}  # a rate of 0.1 is 10 %
            values.add(f.raw)
        return money, pct, values

    def problems(self, reply: str) -> list[str]:
        """Problems with a reply; [] means it may be shown."""
        out: list[str] = []
        raw = INVISIBLE.sub("", reply)  # citations and markdown are read as written: only ASCII syntax renders
        text = normalize(reply)  # full-width forms folded: "ｈｔｔｐ：／／" is a link too
        if self.canary in text:
            out.append("泄露内部标识")
        if any(ln in raw or normalize(ln) in text for ln in self.prompt_lines) or "内部标识" in text:
            out.append("复述系统提示")
        out += self._links(raw, text)
        cited = []
        for doc, path in CITE_RE.findall(raw):
            key = f"{doc} {path}".strip()
            if key not in self.by_cite:
                out.append("引用了上下文之外的条款")
            else:
                cited.append(self.by_cite[key])
        from .prompts import CANNOT_ANSWER_PHRASE

        if not cited and CANNOT_ANSWER_PHRASE not in raw:
            out.append("没有注明出处")
        body = arabize(CITE_RE.sub("", raw))
        body = re.sub(r"(?m)^\s*\d+[.、)]\s", "", body)  # list numbering
        out += self._figures(body, cited)
        out += self._items(body)
        out += self._negations(body, cited)
        return list(dict.fromkeys(out))

    def _links(self, raw: str, text: str) -> list[str]:
        out = [why for why, pattern in LINKS if pattern.search(raw)]
        if any(url not in self.sources for url in URL_RE.findall(text)):
            out.append("含来源之外的链接")
        return out

    def _figures(self, body: str, cited: list[Clause]) -> list[str]:
        money, pct, values = self.allowed(cited)
        denied = self.denied(body)
        bad = [f for f in figures(body) if (f.start, f.end) not in denied and not (
            f.value in money if f.kind == "money" else f.value in pct if f.kind == "percent" else f.value in values)]
        if bad:  # the figures themselves are never shown: they are unverified
            return ["数字不在引用条款中"]
        return []

    def _items(self, body: str) -> list[str]:
        """An amount of an enumeration of the sources stated for another item than its own. Read outside verbatim
        quotes of the sources (a quote gives every item its amount) and outside denials ("不是300万元")."""
        body = QUOTE.sub(lambda m: " " if normalize_query(m.group(1)) in self.plain_sources else m.group(0), body)
        for sentence in re.split(r"(?<=[。；;！？!?\n])", body):
            handled: set[Decimal] = set()
            for own in find_enumerations(sentence):  # the reply's own "…分别给予150万元、50万元…"
                for label, amount in zip(own.labels, own.amounts):
                    if (fig := figure_of(amount)) is None:
                        continue
                    handled.add(fig[1])
                    if self._wrong(fig, label):
                        return ["金额与所问对象不符"]
            last = 0
            for f in figures(sentence):  # the words since the previous figure, that figure included: a threshold
                context, last = sentence[last:f.start], f.start  # ("首次超过2000万元：10万元") names its item
                if f.kind not in ("money", "percent") or f.value in handled or NOT_FIGURE_END.search(context):
                    continue
                if self._wrong((f.kind, f.value), context, self.question):
                    return ["金额与所问对象不符"]
        return []

    def _wrong(self, fig: tuple[str, Decimal], context: str, question: str | None = None, by_value: bool = True) -> bool:
        """True when the words before the figure — or, when they name no item, the question — name an item of an
        enumeration and the figure is not that item's. Which enumeration: one whose subject the words name too
        ("国家级制造业创新中心" is not 国家级 of the 绿色工厂 list), else one that holds the figure."""
        named = [(enum, items) for _, enum in self.enums
                 if (items := named_items(enum, context, by_value))]
        if not named:  # the asker's item; not a bracket named by the asker's own figure ("正好1亿元")
            return self._wrong(fig, question, None, by_value=False) if question else False
        text = normalize_query(context)
        shared = [len(topic(e) & bigrams(text)) for e, _ in named]  # 制造业创新中心 over 制造业企业技术中心
        about = [n for n, k in zip(named, shared) if k == max(shared) and k >= 2]  # and not just "企业"
        if not about:
            about = [(e, items) for e, items in named if any(figure_of(a) == fig for a in e.amounts)]
            # an item named by a name of its own ("灯塔工厂", "省级未来工厂企业") with an amount its list does not
            # hold; a level word ("省级节水型企业…10万元" names the 省级 of other lists) is no such evidence
            about = about or [(e, items) for e, items in named if by_value and not figure_of(e.cores[0])
                              and min(len(e.cores[i]) for i in items) >= 4]
        return bool(about) and not any(figure_of(e.amounts[i]) == fig for e, items in about for i in items)

    def _negations(self, body: str, cited: list[Clause]) -> list[str]:
        """"不给予任何奖励" where the cited clause grants one; "不是50万元" where 50万元 is what the asker's item gets."""
        sources = arabize("\n".join(c.text for c in (cited or self.clauses)))
        for m in NEGATION.finditer(body):
            if re.sub(r"\s", "", m.group(0)) not in sources:
                return ["否定了引用条款的规定"]
        for m in NOT_FIGURE.finditer(body):
            f = next(iter(figures(body[m.end():])), None)
            if f and f.kind in ("money", "percent") and self._asked_item_gets((f.kind, f.value)):
                return ["否定了引用条款的规定"]
        return []

    def _asked_item_gets(self, fig: tuple[str, Decimal]) -> bool:
        for _, enum in self.enums:
            own = {i for i, a in enumerate(enum.amounts) if figure_of(a) == fig}
            if own and named_items(enum, self.question) & own:
                return True
        return False

    def denied(self, body: str) -> set[tuple[str, Decimal]]:
        """Figures of the question the reply denies ("不对，…，不是1000万元"): the asker's own claim, not a fact."""
        asked = {(f.kind, f.value) for f in figures(arabize(self.question))}
        out = set()
        for m in NOT_FIGURE.finditer(body):
            f = next(iter(figures(body[m.end():])), None)
            if f and (f.kind, f.value) in asked:
                out.add((f.start + m.end(), f.end + m.end()))
        return out


def bigrams(text: str) -> set[str]:
    text = re.sub(r"[\s\d“”\"'()（）,，。;；:：、.%]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def topic(enum) -> set[str]:
    """What an enumeration's items are (the labels' shared suffix: "绿色工厂和绿色园区"), as bigrams."""
    return {b for label, core in zip(enum.labels, enum.cores)
            for b in bigrams(normalize_query(label).replace(normalize_query(core), " "))}


def named_items(enum, text: str, by_value: bool = True) -> set[int]:
    """The items of an enumeration a text names outright — a whole item ("省级", "数字化车间"), an ending no other
    item has ("家级"), or a threshold by its amount ("首次超过5000万元") — and not all of them. The composer's
    alignment (compose.align), without its bigram fallback: here a guess would refuse a right reply."""
    plain = normalize_query(text or "").replace("“", "").replace("”", "")
    cores = [normalize_query(c).replace("“", "").replace("”", "") for c in enum.cores]
    if all(figure_of(c) for c in cores):  # thresholds: named by value
        if not by_value:
            return set()
        said = {(f.kind, f.value) for f in figures(arabize(plain))}
        hits = {i for i, c in enumerate(cores) if figure_of(c) in said}
        return hits if len(hits) == 1 else set()
    if all(re.fullmatch(r"[A-Z]", c) for c in cores):  # tiers: "A档"
        return {i for i, c in enumerate(cores) if re.search(rf"(?<![A-Za-z]){c}(?![A-Za-z])", plain.upper())}
    whole = {i for i, c in enumerate(cores) if len(c) >= 2 and c in plain}
    whole = {i for i in whole if not any(j != i and cores[i] in cores[j] for j in whole)}
    if whole and len(whole) < len(cores):
        return whole
    exact = {i for i, t in enumerate(distinguishing_tails(enum.cores)) if len(t) >= 2 and t in plain}
    return exact if len(exact) < len(cores) else set()


def verify(reply: str, clauses: list[Clause], calc: dict | None, question: str, canary: str, system_prompt: str,
           extra_allowed: set[str] = frozenset()) -> list[str]:
    """Problems with an LLM reply; [] means it may be shown."""
    return Verifier(clauses, calc, question, canary, system_prompt, extra_allowed).problems(reply)
