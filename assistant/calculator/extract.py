"""From a Chinese question to a rule and its inputs: "技改项目投了3000万，评上A档，属战略性新兴产业，补多少？".

Values are found by pattern (money, percent, area, containers, tonnes) and assigned to a rule's inputs by the
words next to them ("投入3000万" -> investment; "研发费用从800万增加到1000万" -> rd_prev, rd_curr). Nothing
is guessed: an input that is not found is reported missing, so the assistant asks for exactly that.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..textnorm import arabic_figures, normalize_query, pieces_not_yuan
from .rules import Rule, default_book

# not the tail of another token: "1e309亩" is no 309亩, "-5万" no 5万, "v2万" no 2万
_NUM = r"(?<![0-9A-Za-z.\-])(\d[\d,]*(?:\.\d+)?|[零一二两三四五六七八九十百千]+)"
MONEY_RE = re.compile(_NUM + r"\s*(亿元|万元|万块钱|万块|个亿|亿|万|元|块钱|块)(?![儿头])")  # 块 is how people say 元
PCT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*%|百分之([零一二两三四五六七八九十]+)")
# ("350多家": a count of companies is only ever held against a minimum, which "多" can only help pass)
COUNT_RE = re.compile(_NUM + r"\s*(万吨|万亩|万标箱|万个标箱|吨|亩|个?标箱|个集装箱|(?:多|余)?家)")

CALC_INTENT = re.compile(r"多少|几|能补|能拿|能得|可以拿|可以得|算一下|计算|补多少|奖多少|给多少|拿多少|能领|可以领|估算|"
                         r"(咋|怎么|如何|怎样)算|算算|帮我算")

# Words next to a value that say which input it is (looked for in the 8 characters before the value).
CUES: dict[str, tuple[str, ...]] = {
    "investment": ("生产性投入", "投入", "投资", "投了"),
    "equipment": ("设备投资", "设备", "投资", "投入"),
    "rd_prev": ("去年", "上年", "上一年"),
    "rd_curr": ("今年", "本年", "当年"),
    "revenue": ("营业收入", "营收", "主营业务收入", "收入", "销售"),
    "premium": ("保费",),
    "insured_amount": ("保额", "保险金额"),
    "cost": ("研发升级费用", "升级费用", "费用", "投入", "花了"),
    "base": ("保费", "费用", "奖励", "通行费", "所得", "研发费用", "电费", "投保"),
    "rd_ratio": ("占营收", "占营业收入", "比重", "占比"),
    "rate": ("费率", "保险费率"),
    "growth": ("增速", "增长", "增幅"),
    "trade_growth": ("进出口额增速", "进出口", "增速", "增长"),
    "energy_saving": ("标准煤", "标煤", "节能", "替代", "节约"),  # 标煤: how people shorten 标准煤
    "co2_reduction": ("二氧化碳", "减排", "碳"),
    "water_saving": ("节水",),
    "served": ("服务企业", "服务了", "服务"),
}


class Mention(NamedTuple):
    start: int
    end: int
    text: str
    unit: str


class Extraction(NamedTuple):
    rule: Rule
    inputs: dict[str, Any]
    missing: list[str]  # input names still needed
    score: float


PER_UNIT_AFTER = re.compile(r"\s*(?:地)?(?:多少|几|补|奖|给|能|有|是|的补|的奖|到底|大概)")


def _named(text: str, start: int, end: int) -> bool:
    """A figure that is all of a quotation (“百千万”工程, “3个70%”) is a name, not the asker's figure."""
    return start > 0 and text[start - 1] in "“\"'「《" and end < len(text) and text[end] in "”\"'」》"


def mentions(text: str) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {"money": [], "percent": [], "count": []}
    taken: list[tuple[int, int]] = [m.span() for m in re.finditer(r"[“\"'「《][^“”\"'「」《》]{1,12}[”\"'」》]", text)
                                    if _named(text, m.start() + 1, m.end() - 1)]
    for m in COUNT_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if m.group(1) == "一" and PER_UNIT_AFTER.match(text, m.end()):  # "一亩多少钱": a rate per unit, no area
            continue
        if m.group(1) == "一" and m.group(2) == "家" and re.match(r"[\u4e00-\u9fff]", text[m.end():m.end() + 1]):
            continue  # "在一家高新企业上班": an article before a noun, not a count of companies
        raw_unit = m.group(2).replace("个集装箱", "标箱").replace("万个", "万").lstrip("个多余")
        unit = raw_unit.removeprefix("万")
        out["count"].append(Mention(m.start(), m.end(), m.group(1).replace(",", "") + raw_unit, unit))
        taken.append(m.span())
    for m in MONEY_RE.finditer(text):
        if pieces_not_yuan(m.group(1), text, m.start(2)):
            continue
        if set(m.group(1)) <= set("十百千") and text[max(0, m.start() - 1): m.start()] in ("上", "近", "数", "成", "几"):
            continue  # "一年上千万游客", "近百万": a rough size of something, not the asker's amount
        if not any(a <= m.start() < b for a, b in taken):
            figure = m.group(0).replace(" ", "")
            if ABOVE_BEFORE.search(text[max(0, m.start() - 4): m.start()]) or ABOVE_AFTER.match(text, m.end()):
                figure = "超过" + figure  # "第一次过5个亿", "5亿多": above it (quantities.Above)
            out["money"].append(Mention(m.start(), m.end(), figure, "元"))
    for m in PCT_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        value = m.group(1) + "%" if m.group(1) else m.group(2) + "%"
        out["percent"].append(Mention(m.start(), m.end(), value, "%"))
    return out


ABOVE_BEFORE = re.compile(r"(?<!不)(?<!没有)(?<!没)(?<!未)(?:超过了?|突破了?|超出了?|高于|大于|过了|(?<![不通经超没未])过|"
                          r"(?<![不没未有])超了?|(?<![不没未打])破了?|逾)\s*$")  # "没有超2000万", "还未超": not above; "破了5000万": above
ABOVE_AFTER = re.compile(r"\s*(?:多|以上|出头)(?![少久])")
INCREMENT_BEFORE = re.compile(r"(多了|多出了?|增加了?|增长了?|提高了?|增量为?|增量是|差额为?)\s*$")


def _cue_score(text: str, mention: Mention, name: str) -> int:
    window = text[max(0, mention.start - 10): mention.start]
    after = text[mention.end: mention.end + 4]
    best = 0
    for cue in CUES.get(name, ()):
        if cue in window:
            best = max(best, len(cue) * 10 - (len(window) - window.rfind(cue)))  # closer and longer is better
        if cue in after:
            best = max(best, len(cue) * 5)
    return best


def _claimed_award(text: str, mention: Mention) -> bool:
    """"…补650万，对吗", "拿了50万": an award said as given (a word after it other than 对/吗/是 makes it a thing:
    "拿了50万贷款")."""
    after = text[mention.end: mention.end + 1]
    return bool(CLAIMED_AWARD.search(text[max(0, mention.start - 3): mention.start])) and not (
        re.match(r"[\u4e00-\u9fff]", after) and after not in "对吗是")


def _assign(text: str, rule: Rule, found: dict[str, list[Mention]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    # "从800万增加到1000万" / "由800万增长至1000万" / "从前一年的600万涨到800万": previous and current
    if {"rd_prev", "rd_curr"} <= {i.name for i in rule.inputs}:
        if m := re.search(r"(?:从|由)[^\d，,。？?；;]{0,6}?" + MONEY_RE.pattern
                          + r".{0,6}?(?:增加|增长|提高|上升|涨)?(?:到|至)了?\s*" + MONEY_RE.pattern, text):
            values["rd_prev"], values["rd_curr"] = m.group(1) + m.group(2), m.group(3) + m.group(4)
    if {"rd_prev", "rd_curr"} <= {i.name for i in rule.inputs} and not values:
        values.update(_by_year(text, found["money"], rule))
    found = {**found, "money": _current_figures(text, rule, found["money"])}
    for kind in ("money", "percent", "count"):
        specs = [i for i in rule.inputs if i.kind == kind and i.name not in values]
        pool = [x for x in found[kind] if x.text not in values.values()]
        if kind == "money" and any(s.name in ("rd_prev", "rd_curr") for s in specs):
            # "今年比去年多了300万": an increment is neither year's spending, and the growth rate needs both
            pool = [x for x in pool if not INCREMENT_BEFORE.search(text[max(0, x.start - 4): x.start])]
        if kind == "money":  # "政府按65%补650万，对吗": the award someone claims, not a figure the rule takes
            pool = [x for x in pool if not _claimed_award(text, x)] or pool
        if kind == "money":  # "土建花了500万" is the part an input excludes (不含土建), never the input itself
            excluded = [w for s in specs if (w := excluded_word(s))]
            pool = [x for x in pool if not any(_is_part(text, x, w) for w in excluded)] or pool
        if kind == "count":
            pool = [x for x in pool if any(x.unit == s.unit or (s.unit == "吨" and x.unit == "万吨") for s in specs)]
        if not specs or not pool:
            continue
        if len(specs) == 1 and len(pool) == 1 and (kind != "count" or specs[0].unit in (pool[0].unit, "吨")):
            values[specs[0].name] = pool[0].text
            continue
        # Greedy: the best (input, mention) pair by cue first.
        pairs = sorted(((_cue_score(text, x, s.name), i, j) for i, s in enumerate(specs) for j, x in enumerate(pool)),
                       reverse=True)
        used_s, used_m = set(), set()
        for score, i, j in pairs:
            if score <= 0 or i in used_s or j in used_m:
                continue
            values[specs[i].name] = pool[j].text
            used_s.add(i)
            used_m.add(j)
        # One input of this kind left and one value left: they belong together.
        left_s = [s for k, s in enumerate(specs) if k not in used_s and s.required]
        left_m = [x for k, x in enumerate(pool) if k not in used_m]
        if len(left_s) == 1 and len(left_m) == 1:
            values[left_s[0].name] = left_m[0].text
    _without_excluded(text, rule, found["money"], values)
    for spec in rule.inputs:
        if spec.kind == "choice" and spec.name not in values and (choice := _choice(text, rule, spec)):
            values[spec.name] = choice
        if spec.kind == "bool" and spec.name == "strategic" and (what := spec.label.removeprefix("是否")) in text:
            values["strategic"] = not re.search(rf"(不是|非|不属于){re.escape(what)}", text)
    return values


YEAR_LABEL = re.compile(r"(20\d\d|\d\d)\s*年")
FROM_TO = re.compile(r"(?:从|由)\s*$")
NOW = re.compile(r"(今年|本年|当年|现在|目前|如今)[^，,。；;]{0,6}$")
EARLIER = re.compile(r"(去年|上年|上一年|前年|之前|以前|原来)[^，,。；;]{0,6}$")


CLAIMED_AWARD = re.compile(r"(?:补|奖|给予?|拿到?|领到?|发)了?\s*$")  # "…补650万", "拿了50万" (not "拿了50万贷款")
TOTAL_BEFORE = re.compile(r"(总投资|总投入|总共|一共|合计|总计|共投|投了|投入了?|花了)\s*$")


def excluded_word(spec) -> str | None:
    """What an input leaves out, by its label: "生产性投入（不含土建）" -> 土建."""
    m = re.search(r"不含([\u4e00-\u9fff]{2,4})", spec.label)
    return m.group(1) if m else None


def _is_part(text: str, mention: Mention, word: str) -> bool:
    """The figure is the excluded part itself ("其中土建700万", "土建花了500万"), not a figure said to exclude it."""
    before = text[max(0, mention.start - 8): mention.start]
    return word in before and not re.search(rf"(不含|不包括|除去|扣除){word}", text[max(0, mention.start - 14): mention.start])


def _without_excluded(text: str, rule: Rule, money: list[Mention], values: dict[str, Any]) -> None:
    """An input that excludes a part ("生产性投入（不含土建）") given as a total and its part ("总投资2600万，其中土建
    700万"): the input is the total less the part (1900万). The part is the figure its excluded word stands before."""
    from .quantities import CalcInputError, parse_money

    for spec in rule.inputs:
        m = excluded_word(spec)
        if spec.kind != "money" or m is None or spec.name not in values:
            continue
        if re.search(rf"(不含|不包括|除去|扣除|扣掉|另外|另)\s*{m}|{m}[^，,。]{{0,8}}(另外|另|已扣|扣掉|扣除)", text):
            continue  # "生产性投入2500万（不含土建），土建另外花了600万": the figure already leaves it out
        whole = next((x for x in money if x.text == values[spec.name]), None)
        if whole is None or not TOTAL_BEFORE.search(text[max(0, whole.start - 6): whole.start]):
            continue  # only a total ("总投资2600万") holds the part
        part = next((x for x in money if _is_part(text, x, m)), None)
        if part is None or part.text == values[spec.name]:
            continue
        try:
            rest = parse_money(spec.name, values[spec.name]) - parse_money(spec.name, part.text)
        except CalcInputError:
            continue
        if rest > 0:
            values[spec.name] = f"{rest}元"


def _current_figures(text: str, rule: Rule, money: list[Mention]) -> list[Mention]:
    """For a rule that asks one year's figure (no earlier/later pair): the asker's current figures only. "从1900万涨到
    2100万" and "去年4800万今年5200万" say where the figure stands now (2100万, 5200万); the earlier one is history."""
    if {"rd_prev", "rd_curr"} & {i.name for i in rule.inputs} or len(money) < 2:
        return money
    now = any(NOW.search(text[max(0, m.start - 8): m.start]) for m in money[1:])
    earlier = {id(m) for k, m in enumerate(money) if k + 1 < len(money) and (
        FROM_TO.search(text[max(0, m.start - 3): m.start]) or (now and EARLIER.search(text[max(0, m.start - 8): m.start])))}
    kept = [m for m in money if id(m) not in earlier]
    return kept or money


def _by_year(text: str, money: list[Mention], rule: Rule) -> dict[str, str]:
    """"2023年研发投入2亿，2024年2.8亿": figures labelled with years are the earlier and the later year's. A figure
    whose nearest label is another input's cue ("2024年营业收入50亿") is that input's, not a year's spending."""
    labelled = []
    others = [i.name for i in rule.inputs if i.kind == "money" and i.name not in ("rd_prev", "rd_curr")]
    for i, m in enumerate(money):
        start = money[i - 1].end if i else 0
        window = text[max(start, m.start - 12): m.start]
        years = list(YEAR_LABEL.finditer(window))
        if not years or any(cue in window[years[-1].end():] for name in others for cue in CUES.get(name, ())):
            continue
        y = int(years[-1].group(1))
        labelled.append((y + 2000 if y < 100 else y, m.text))
    by_year = dict(labelled)
    if len(by_year) < 2 or len(labelled) != len(by_year):
        return {}
    first, last = min(by_year), max(by_year)
    return {"rd_prev": by_year[first], "rd_curr": by_year[last]} if last - first == 1 else {}


def _choice(text: str, rule: Rule, spec) -> str | None:
    if spec.name == "tier":
        m = re.search(r"([ABCDabcd])\s*档|评(?:了|为|上)?\s*([ABCDabcd])\b|([ABCDabcd])类", text)
        return (m.group(1) or m.group(2) or m.group(3)).upper() if m else None
    if spec.name == "enterprise_type":  # "规上高新": the type named by the most words ("规上" and "高新")
        return _most_named(text, spec.choices)
    if spec.name == "category":
        best = None
        for a in rule.awards:
            for name in (a.label, *a.aliases):
                if name in text and (best is None or len(name) > best[0]):
                    best = (len(name), a.label)
        if best:
            return best[1]
        levels = [c for c in spec.choices if c in ("国家级", "省级", "市级") and (c in text or c[:-1] + "级" in text)]
        if len(levels) == 1:
            return levels[0]
        # a level said bare ("国家的", "省里评的"), never the 市 of 超市 or 城市; 市里 only as who recognised it
        # ("市里评的"): "市里有奖励吗", "市里奖多少" name the city that pays, not a level
        if m := re.search(r"(国家)|(省)(?:级|里)|(市)(?:级|里(?=评|认定|认的|定的))|(?<![\u4e00-\u9fff])(省|市)(?!里)", text):
            wanted = (m.group(1) or m.group(2) or m.group(3) or m.group(4)) + "级"
            if wanted in spec.choices:
                return wanted
        return None
    if (named := crop_mentions(text, spec.choices)):  # a crop as the rule file's [matching] says farmers write it
        return named[0][1]
    for choice in spec.choices:  # crop, sector
        if choice in text or choice[:2] in text:
            return choice
    book = default_book()
    for choice in spec.choices:  # the everyday name of a category ("批发零售" for 批零贸易)
        if book.says_everyday(text, choice):
            return choice
    return None


def crop_mentions(text: str, choices: tuple[str, ...]) -> list[tuple[int, str]]:
    """(position, choice) for each crop of `choices` the text names as the rule file's [matching] crops describe it
    ("一季稻一季麦" and "稻子麦子两季" are 稻麦复种: both grains in one phrase), in order of position; [] when the
    file describes none of them (the choices' own words decide then)."""
    from ..matching.vocabulary import vocabulary

    out = [(m.start(), c.name) for c in vocabulary().crops if c.name in choices for m in re.finditer(c.pattern, text)]
    return sorted(out)


def _most_named(text: str, choices: tuple[str, ...]) -> str | None:
    """The choice whose everyday names (the rule file's `everyday_names`) are found by the most words; None when no
    choice is named."""
    names = default_book().everyday_names
    best, most = None, 0
    for choice in choices:
        found = max((len(words) for words in names.get(choice, ()) if all(w in text for w in words)), default=0)
        if found > most:
            best, most = choice, found
    return best


ONLY_LEVEL = frozenset({"国家级", "省级", "市级", "县级", "国家", "省", "市", "县"})


def keyword_spread(rules: tuple[Rule, ...]) -> dict[str, int]:
    """How many of the rules each keyword names (in a keyword or title of theirs): 保险 is in 首台(套)装备保险, 科技保险
    and 出口信用保险, so it says less about which rule is meant than 信保 or 首台 do."""
    said = [" ".join((r.title, *r.keywords)) for r in rules]
    return {kw: max(1, sum(kw in t for t in said)) for r in rules for kw in r.keywords}


def rule_score(text: str, rule: Rule, spread: dict[str, int] | None = None) -> float:
    """The rule's keywords in the question, each worth its length, shared by `spread` among the rules that name it."""
    score = 0.0
    for kw in rule.keywords:
        if kw in text:
            score += len(kw) / (spread or {}).get(kw, 1)
        elif len(kw) >= 4:  # a long keyword said shorter ("出口信用险" for 出口信用保险): half credit for the part said
            pairs = [kw[i:i + 2] for i in range(len(kw) - 1)]
            share = sum(1 for p in pairs if p in text) / len(pairs)
            if share >= 0.5:
                score += len(kw) * share / 2
    for a in rule.awards:  # a label that is only a level ("省级") names no rule: every rule has levels
        if any(name in text for name in (a.label, *a.aliases) if name not in ONLY_LEVEL):
            score += 3
    return score


def extract(question: str, rules: tuple[Rule, ...] | None = None, rule_id: str | None = None) -> Extraction | None:
    """The best rule for the question and the inputs found in it; None when no rule is mentioned. `rules`: those of the
    configured corpus unless given."""
    rules = default_book().rules if rules is None else rules
    text = arabic_figures(normalize_query(question))
    candidates = [r for r in rules if r.id == rule_id] if rule_id else list(rules)
    scored = []
    found = mentions(text)
    spread = keyword_spread(tuple(rules)) if not rule_id else {}  # (a rule named by id is not scored)
    for rule in candidates:
        s = rule_score(text, rule, spread) if not rule_id else 1.0
        if s <= 0:
            continue
        values = _assign(text, rule, found)
        filled = sum(1 for i in rule.inputs if i.name in values)
        scored.append((s + filled * 2, rule, values))
    if not scored:
        return None
    score, rule, values = max(scored, key=lambda x: x[0])
    missing = [i.name for i in rule.inputs if i.required and i.name not in values and not i.derivable(values)]
    return Extraction(rule, values, missing, score)


def has_numbers(question: str) -> bool:
    """A figure of the asker's own (money, percent, area, containers...); a tier letter alone is not one."""
    found = mentions(arabic_figures(normalize_query(question)))
    return any(found.values())


def restates_threshold(question: str, rule: Rule) -> bool:
    """"首次超过20亿元奖励多少" / "增速超过15%的企业有奖励吗" name a bracket of the rule, not the asker's own
    figures: a policy question."""
    from decimal import Decimal

    from ..statements import names_award
    from .quantities import Quote, parse_money

    text = arabic_figures(normalize_query(question))
    quotes = set()
    percents = set()

    def walk(obj):
        if isinstance(obj, Quote):
            if obj.unit == "元":
                quotes.add(obj.value)
            elif obj.unit == "%":
                percents.add(obj.value)
        elif isinstance(obj, dict):
            for v in obj.values():
                walk(v)
        elif isinstance(obj, (tuple, list)):
            for v in obj:
                walk(v)

    walk(rule.params)
    for m in MONEY_RE.finditer(text):
        before = text[max(0, m.start() - 4): m.start()]
        if re.search(r"超过|突破|超出|达到|不低于|满|高于|过了", before):
            try:
                if parse_money("x", m.group(0)) in quotes:
                    return True
            except ValueError:
                continue
        # "营收要过多少才能拿50万": the award the asker names, with what it takes asked (多少 before it) — the rule's
        # bracket that pays it, not the asker's revenue
        if names_award(text, m.start(), m.end()):
            try:
                if parse_money("x", m.group(0)) in quotes:
                    return True
            except ValueError:
                continue
    for m in re.finditer(r"(超过|突破|超出|达到|不低于|高于)\s*(\d+(?:\.\d+)?)\s*%(以上)?的", text):
        if Decimal(m.group(2)) / 100 in percents:  # "超过15%的…企业": the rule's own bracket, named as a class
            return True
    own_money = mentions(text)["money"]
    for m in re.finditer(r"(补|奖|给予?|按)\s*(\d+(?:\.\d+)?)\s*%(?!\s*[的是]?\s*(多少|几))", text):
        if Decimal(m.group(2)) / 100 in percents and not own_money:  # "那个增量补10%的补助": names the rule
            return True
    return False


# "营收首次超过2500万有奖励吗": whether the asker's own figures earn an award; a calculation when they are all given
ELIGIBILITY_INTENT = re.compile(r"(有没有|有|能不能|能|可以|可不可以)(拿到?|领到?|享受到?|申请到?|申报|获得|得到)?"
                                r"[^，,。？?；;]{0,10}?(补助|补贴|奖励|奖补|资助|扶持)(吗|么|嘛|没有|伐|不)?[?？]*$"
                                r"|(有没有|能不能)(补助|补贴|奖励|奖补|资助)")


def is_calculation_request(question: str) -> bool:
    """Numbers plus a request to work out an amount ("投入3000万A档能补多少")."""
    text = arabic_figures(normalize_query(question))
    return bool(CALC_INTENT.search(text)) and has_numbers(text)


# --------------------------------------------------------------------------------------------- several items

LEVEL_NEAR = re.compile(r"(国家级|国家|省级|省|市级|市)")


def _stages(question: str, rules: tuple[Rule, ...]) -> list[tuple[Rule, dict[str, Any]]]:
    """"营收头一回超过5000万拿了奖，第二年又涨了18%，两笔加起来多少": an award and the one that follows it in later
    years (Rule.follows), each with every input it needs from the question -> both, in the order they are paid."""
    text = arabic_figures(normalize_query(question))
    by_id = {r.id: r for r in rules}
    for later in rules:
        first = by_id.get(later.follows) if later.follows else None
        if first is None or rule_score(text, later) <= 0 or rule_score(text, first) <= 0:
            continue
        a, b = extract(question, rules, first.id), extract(question, rules, later.id)
        if a and b and a.inputs and b.inputs and not a.missing and not b.missing and \
                not set(map(str, a.inputs.values())) & set(map(str, b.inputs.values())):
            return [(first, a.inputs), (later, b.inputs)]
    return []


def extract_items(question: str, rules: tuple[Rule, ...] | None = None) -> list[tuple[Rule, dict[str, Any]]]:
    """Several awards, or several plots, named in one question: "评上国家级服务型制造示范企业，又评了省级工业设计
    中心" -> two fixed awards; "一季早粮80亩，稻麦复种100亩" -> two plots. Fewer than two -> []."""
    rules = default_book().rules if rules is None else rules
    text = arabic_figures(normalize_query(question))
    found: dict[tuple[str, str], tuple[int, int, Rule, dict]] = {}  # (start, end, rule, inputs)
    for rule in rules:
        if rule.formula == "fixed_award":
            spec = rule.input("category")
            levels = set(spec.choices) <= {"国家级", "省级", "市级"}
            for kw in rule.keywords if levels else ():
                for m in re.finditer(re.escape(kw), text):
                    before = text[max(0, m.start() - 6): m.start()]
                    lv = LEVEL_NEAR.findall(before)
                    if lv:
                        level = lv[-1] if lv[-1].endswith("级") else lv[-1] + "级"
                        if level in spec.choices:
                            found.setdefault((rule.id, level), (m.start(), m.end(), rule, {"category": level}))
            if not levels:
                for a in rule.awards:
                    for name in sorted((a.label, *a.aliases), key=len, reverse=True):
                        if (i := text.find(name)) >= 0:
                            found.setdefault((rule.id, a.label), (i, i + len(name), rule, {"category": a.label}))
                            break
        elif rule.formula == "per_unit" and any(i.name == "crop" for i in rule.inputs):
            choices = rule.input("crop").choices
            crops = crop_mentions(text, choices)
            named = {c for _, c in crops}  # a crop not named in full is found by its first two characters (油菜…)
            crops += [(m.start(), c) for c in choices if c not in named for m in re.finditer(c[:2], text)
                      if not any(p <= m.start() < p + len(n) for p, n in crops)]
            for m in re.finditer(_NUM + r"\s*亩", text):
                near = [c for c in crops if abs(c[0] - m.start()) <= 12]
                if near:
                    # the crop in the same phrase as the area, before it ("稻麦复种120亩") or after ("100亩稻麦复种");
                    # a comma between them divides two plots
                    def apart(c: tuple[int, str]) -> bool:
                        a, b = sorted((c[0], m.start()))
                        return bool(re.search(r"[，,。；;、]", text[a:b]))
                    pos, crop = min(near, key=lambda c: (apart(c), c[0] > m.start(), abs(c[0] - m.start())))
                    found.setdefault((rule.id, crop), (pos, m.end(), rule, {"crop": crop, "quantity": m.group(1) + "亩"}))
    if not found and (chain := _stages(question, rules)):
        return chain
    spans = sorted(found.values(), key=lambda x: (x[0], -x[1]))
    # a category named inside a longer one ("未来工厂" within "未来工厂培育") is one item, not two
    keep = [(r, v) for s, e, r, v in spans
            if not any((s2 <= s and e <= e2) and (s2, e2) != (s, e) for s2, e2, _, _ in spans)]
    return keep if len(keep) >= 2 else []
