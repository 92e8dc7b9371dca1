"""From a company's own words to a `Profile`: "我们是做物流的，去年营收4800万，今年5200万，今年刚评上省级服务型制造示范企业".

The text is read sentence by sentence. A year marker (今年, 去年, 2025年, 25年) holds until the next one in the same
sentence; a metric word (营收, 研发投入, 设备投资, …) names the figures after it in its clause, or the figure before it
when none came first ("投入2500万搞智能化改造"). "从A增长到B" gives last year's A and this year's B. Figures written as
lower bounds ("超过5000万", "两千多万") are recorded as such. Nothing is guessed: a figure whose year the text does not
give is taken as this year's and said so in the notes; a recognition without a year is kept without one (the matcher
asks). Recognitions that are only being applied for ("正在申报", "还没评上") are not recognitions.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ..numerals import cn_to_int
from ..textnorm import strip_controls, to_simplified
from .profile import Profile
from .recognitions import display, find, level_before
from .vocabulary import vocabulary

MAX_TEXT = 4000  # characters read; a self-description is a paragraph, not a report

_CN = "零〇一二两三四五六七八九十百千万亿"
_NUM = rf"(?<![\d.A-Za-z])(\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN}]+(?:点[零〇一二两三四五六七八九]+)?)"
MONEY_RE = re.compile(_NUM + r"\s*(多|余)?\s*个?\s*(亿元|亿|千万元|千万|百万元|百万|万元|万|元)")
PCT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*%|百分之([零一二两三四五六七八九十点]+)")
COUNT_RE = re.compile(_NUM + r"\s*(多|余)?\s*(万吨|吨|万亩|亩|万标箱|万个标箱|个标箱|标箱|个集装箱|家)")
YEAR_RE = re.compile(r"(?<!\d)(20\d\d|[12]\d)\s*年度?|今年|本年度?|当年|去年|上年度?|上一年|前年")
MONEY_UNIT = {"亿元": 10**8, "亿": 10**8, "千万元": 10**7, "千万": 10**7, "百万元": 10**6, "百万": 10**6,
              "万元": 10**4, "万": 10**4, "元": 1}

# Which figure a money amount is, by the words of its clause (longer words first where they overlap).
METRICS = (
    (r"研发升级(?:费用)?", "platform_cost"),
    (r"研发(?:费用|投入|支出|经费)?", "rd"),
    (r"进出口额?|外贸额", "trade"),
    (r"主营业务收入|营业收入|主营收入|营收|销售收入|销售额|营业额|收入|销售|产值", "revenue"),
    (r"生产性投入|技改|技术改造|智能化改造|数字化改造|智能化", "smart"),
    (r"设备投资额?|设备投入|设备", "equipment"),
    (r"出口信用保险|出口信保|信保", "export"),
    (r"保额|保险金额", "insured"),
    (r"保费|保险费", "premium"),
    (r"服务(?:了)?(?:外贸)?企业|服务(?:了)?", "served"),
)
METRIC_RE = re.compile("|".join(f"(?P<m{i}>{p})" for i, (p, _) in enumerate(METRICS)))
INCREMENT_BEFORE = re.compile(r"(?:多了|多出了?|增加了|增长了|提高了|增量为?|增量是|差额为?|比去年多)\s*$")
LOWER_BEFORE = re.compile(r"(?:超过|突破|逾|高于|大于|不止|以上)\s*$")
FROM_TO = re.compile(r"(?:从|由)\s*$")
TO_BEFORE = re.compile(r"(?:增长|增加|提高|上升|涨|增|降|下降|跌)?(?:到|至|为)了?\s*$")
NOT_OBTAINED = re.compile(r"(?:没|未|尚未|还没|没有|正在|准备|计划|打算|争取|拟|想|申报中|在申报|申请中)[^，,。；]{0,6}$")
# The industries a company may name, and its crops as written, are the gazette's: its rule file's [matching] table.


class Mention(NamedTuple):
    start: int
    end: int
    value: Decimal
    lower: bool  # written as a lower bound
    unit: str


def normalize(text: str) -> str:
    text = strip_controls(re.sub(r"[\r\n]+", "。", text))
    return unicodedata.normalize("NFKC", to_simplified(text))


def _number(raw: str) -> Decimal:
    if raw[0].isdigit():
        return Decimal(raw.replace(",", ""))
    whole, _, frac = raw.partition("点")
    value = Decimal(cn_to_int(whole)) if whole else Decimal(0)
    if frac:
        value += Decimal("0." + "".join(str(cn_to_int(c)) for c in frac))
    return value


def _money(m: re.Match, sentence: str) -> Mention | None:
    raw, approx, unit = m.group(1), m.group(2), m.group(3)
    value = None
    if not raw[0].isdigit() and "点" not in raw and unit[0] in "万亿":
        # "一亿零五百万": the big unit belongs to the numeral (一亿零五百 × 万 would be 10,000 times too much)
        try:
            value = Decimal(cn_to_int(raw + unit[0])) * MONEY_UNIT[unit[1:] or "元"]
        except ValueError:
            value = None
    try:
        value = value if value is not None else _number(raw) * MONEY_UNIT[unit]
    except (ValueError, InvalidOperation):
        return None
    lower = bool(approx) or bool(LOWER_BEFORE.search(sentence[max(0, m.start() - 4): m.start()]))
    return Mention(m.start(), m.end(), value, lower, "元")


def _years(sentence: str, this_year: int) -> list[tuple[int, int]]:
    out = []
    for m in YEAR_RE.finditer(sentence):
        word = m.group(0)
        if m.group(1):
            y = int(m.group(1))
            y = y + 2000 if y < 100 else y
        elif word.startswith(("今", "本", "当")):
            y = this_year
        elif word.startswith("前"):
            y = this_year - 2
        else:
            y = this_year - 1
        out.append((m.start(), y))
    return out


def _year_at(years: list[tuple[int, int]], pos: int) -> int | None:
    before = [y for p, y in years if p < pos]
    return before[-1] if before else None


def _clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    start = max(sentence.rfind(c, 0, pos) for c in "，,、：:") + 1
    ends = [i for i in (sentence.find(c, pos) for c in "，,、：:") if i >= 0]
    return start, min(ends) if ends else len(sentence)


def _metric_for(sentence: str, metrics: list[tuple[int, int, str]], m: Mention) -> str | None:
    a, b = _clause_bounds(sentence, m.start)
    before = [name for s, e, name in metrics if a <= s and e <= m.start]
    if before:
        return before[-1]
    after = [name for s, e, name in metrics if s >= m.end and s < b]
    if after:
        return after[0]
    earlier = [name for s, e, name in metrics if e <= m.start]  # the sentence's topic carries on ("去年…，今年5200万")
    return earlier[-1] if earlier else None


class Extracted(NamedTuple):
    profile: Profile
    notes: list[str]


class _Builder:
    def __init__(self, this_year: int) -> None:
        self.y = this_year
        self.d: dict = {"revenue": {}, "revenue_growth": {}, "rd_expense": {}, "crops": {}, "recognitions": [],
                        "approximate": []}
        self.notes: list[str] = []
        self.undated: list[str] = []

    def put_year(self, field: str, year: int | None, value, lower: bool, label: str) -> None:
        if year is None:
            year = self.y
            self.undated.append(label)
        self.d[field].setdefault(year, value)
        if lower:
            self.d["approximate"].append(f"{field}.{year}")

    def put(self, section: str | None, field: str, value, lower: bool = False) -> None:
        target = self.d.setdefault(section, {}) if section else self.d
        if field not in target:
            target[field] = value
            if lower:
                self.d["approximate"].append(f"{section}.{field}" if section else field)


def extract_profile(text: str, this_year: int) -> Extracted:
    """Read a Chinese self-description into a Profile for `this_year` (the year of the matching date)."""
    if not isinstance(text, str):
        raise ValueError("企业情况描述应为文字。")
    t = normalize(text[:MAX_TEXT * 2])[:MAX_TEXT]
    notes: list[str] = []
    if len(text) > MAX_TEXT:
        notes.append(f"描述过长，只读取了前{MAX_TEXT}个字符。")
    b = _Builder(this_year)
    carry = None  # "2025年营收1950万元；2026年2100万元": the topic carries into a sentence that names none
    for sentence in re.split(r"[。;；!！?？]", t):
        if sentence.strip():
            carry = _read_sentence(b, sentence, carry)
    _flags(b, t)
    _recognitions(b, t)
    if b.undated:
        labels = "、".join(dict.fromkeys(b.undated))
        notes.append(f"{labels}未注明年份，按{this_year}年（今年）的数字计。")
    data = {k: v for k, v in b.d.items() if v not in ({}, [], None)}
    return Extracted(Profile.model_validate(data), notes + b.notes)


def _read_sentence(b: _Builder, s: str, carry: str | None) -> str | None:
    years = _years(s, b.y)
    metrics = [(m.start(), m.end(), METRICS[int(m.lastgroup[1:])][1]) for m in METRIC_RE.finditer(s)]
    if not metrics and carry:
        metrics = [(-1, -1, carry)]
    monies = [x for m in MONEY_RE.finditer(s) if (x := _money(m, s))]
    # a money figure inside a year ("2025年") or a milestone phrase ("首次超过5000万元的奖励") is no figure of the company
    monies = [x for x in monies if not re.search(r"奖励?|奖金", s[x.end: x.end + 4])]
    pairs: dict[int, int] = {}  # index of "从A" -> index of "到B"
    for i, x in enumerate(monies):
        if FROM_TO.search(s[max(0, x.start - 2): x.start]) and i + 1 < len(monies):
            nxt = monies[i + 1]
            if TO_BEFORE.search(s[x.end: nxt.start]) and nxt.start - x.end <= 12:
                pairs[i] = i + 1
    paired_to = {v: k for k, v in pairs.items()}
    for i, x in enumerate(monies):
        if INCREMENT_BEFORE.search(s[max(0, x.start - 5): x.start]):
            continue  # "比去年多了300万": an increment is neither year's figure
        metric = _metric_for(s, metrics, x)
        year = _year_at(years, x.start)
        if i in pairs:  # "从A增长到B": A is the year before B
            to_year = _year_at(years, monies[pairs[i]].start) or b.y
            year = year if year is not None and year < to_year else to_year - 1
        elif i in paired_to and year is None:
            year = b.y
        _assign_money(b, s, metric, year, x)
    for m in PCT_RE.finditer(s):
        value = Decimal(m.group(1)) / 100 if m.group(1) else Decimal(_number(m.group(2))) / 100
        before = s[max(0, m.start() - 8): m.start()]
        if re.search(r"占|比重|费率|税率", before):
            continue  # a share or a rate, not a growth
        x = Mention(m.start(), m.end(), value, False, "%")
        metric = _metric_for(s, metrics, x)
        if metric == "trade" or (metric == "served" and re.search(r"进出口|外贸", s)):
            b.put("platform", "trade_growth", f"{value * 100}%")
        elif metric in ("revenue", None) and re.search(r"增|涨", s[max(0, m.start() - 10): m.start()]):
            b.put_year("revenue_growth", _year_at(_years(s, b.y), m.start()), f"{value * 100}%", False, "营收增速")
    for m in COUNT_RE.finditer(s):
        _assign_count(b, s, m)
    return metrics[-1][2] if metrics else None


def _assign_money(b: _Builder, s: str, metric: str | None, year: int | None, x: Mention) -> None:
    v = str(x.value)
    if metric == "revenue":
        b.put_year("revenue", year, v, x.lower, "营收")
    elif metric == "rd":
        b.put_year("rd_expense", year, v, x.lower, "研发费用")
    elif metric == "smart":
        b.put("smart_upgrade", "investment", v, x.lower)
    elif metric == "equipment":
        b.put("green_upgrade", "equipment", v, x.lower)
    elif metric == "platform_cost":
        b.put("platform", "cost", v, x.lower)
    elif metric == "export" or (metric == "premium" and re.search(r"出口", s)):
        b.put(None, "export_credit_premium", v, x.lower)
    elif metric == "premium":
        b.put(None, "first_set_premium", v, x.lower)
    elif metric == "insured":
        b.put(None, "first_set_insured_amount", v, x.lower)


def _assign_count(b: _Builder, s: str, m: re.Match) -> None:
    try:
        value = _number(m.group(1))
    except (ValueError, InvalidOperation):
        return
    unit = m.group(3)
    if unit.startswith("万"):
        value *= 10_000
    a, z = _clause_bounds(s, m.start())
    clause, before = s[a:z], s[a:m.start()]
    after = s[m.end(): m.end() + 4]
    if unit.endswith("吨"):
        if re.match(r"标准?煤|标煤", after) or re.search(r"标准?煤|节能|节约能源|替代", before):
            b.put("green_upgrade", "energy_saving", str(value))
        elif re.search(r"二氧化碳|碳排放|减排|减碳", clause):
            b.put("green_upgrade", "co2_reduction", str(value))
        elif re.search(r"节水|水", clause):
            b.put("green_upgrade", "water_saving", str(value))
    elif unit.endswith("亩"):
        crop = _crop(clause) or _crop(s)
        if crop:
            b.d["crops"].setdefault(crop, str(value))
        elif re.search(r"种粮|粮食|种植|种了|种田|水稻|小麦", s):
            b.d.setdefault("grain_area", str(value))
    elif "标箱" in unit or "集装箱" in unit:
        if "海铁" in s:
            b.d.setdefault("sea_rail_teu", str(value))
    elif unit == "家" and re.search(r"服务", clause):
        b.put("platform", "served", str(value), bool(m.group(2)) or bool(LOWER_BEFORE.search(before)))


def _crop(text: str) -> str | None:
    """The crop category a text names, by the rule file's crop patterns (first that matches)."""
    return next((c.name for c in vocabulary().crops if re.search(c.pattern, text)), None)


def _flags(b: _Builder, t: str) -> None:
    plain = t
    for start, end, _, _ in find(t):  # "首批次软件" says nothing about the industry
        plain = plain[:start] + "□" * (end - start) + plain[end:]
    for industry in vocabulary().industries:  # the first that matches names the industry
        if re.search(industry.pattern, plain):
            b.d["industry"] = industry.name
            break
    if re.search(r"跨境电[子商]", t) and re.search(r"平台", t):
        b.d.setdefault("platform", {})
    if re.search(r"规上|规模以上|限上", t):
        b.d["above_scale"] = not re.search(r"(?:不是|非|不属于|还不是|未达)(?:规上|规模以上)", t)
    if re.search(r"高新技术企业|高企|国家高新", t):
        b.d["high_tech"] = not re.search(r"(?:不是|非|还不是|未认定)(?:国家)?(?:高新技术企业|高企)", t)
    if "战略性新兴产业" in t:
        b.put("smart_upgrade", "strategic", not re.search(r"(不是|非|不属于)战略性新兴产业", t))
    if m := re.search(r"([ABCD])\s*档|评(?:了|为|上|定为)?\s*([ABCD])(?:档|类|级)", t):
        b.put("smart_upgrade", "tier", m.group(1) or m.group(2))
    if re.search(r"同一个?项目|同一项目|这个项目既", t) and "smart_upgrade" in b.d and "green_upgrade" in b.d:
        b.d["same_project"] = True
    if m := re.search(r"(首次(?:超过|突破)[^，。]{0,12}奖励?|营收突破奖|首次突破奖)", t):
        years = _years(t, b.y)
        y = _year_at(years, m.start())
        if y is not None and re.search(r"(拿|获|得|领)", t[max(0, m.start() - 12): m.end() + 4]):
            b.d["milestone_award_year"] = y


def _recognitions(b: _Builder, t: str) -> None:
    for start, end, subject, level in find(t):
        a = max(t.rfind(c, 0, start) for c in "，,。；;、") + 1
        before = t[a:start]
        if re.match(r"\W{0,2}(?:保险|保费)", t[end:end + 4]):
            continue  # "首台套保险保费": the premium, not a recognition
        if NOT_OBTAINED.search(before):
            b.notes.append(f"“{t[a:end]}”尚未获得，不计入。")
            continue
        if level is None:
            level = level_before(before)
        sentence_start = max(t.rfind(c, 0, start) for c in "。；;") + 1
        years = _years(t[sentence_start:end], b.y)
        year = years[-1][1] if years else (b.y if re.search(r"新认定|新获|刚|新评|新入选", t[sentence_start:end]) else None)
        name = display(subject, level)
        if not any(r["name"] == name and r.get("year") == year for r in b.d["recognitions"]):
            b.d["recognitions"].append({"name": name, "year": year})


