"""What each figure of a sentence is about, so that an answer can state the asker's figure in its own words.

"大力支持基础研究,对新建的全国重点实验室分中心(分室),给予每家300万元奖励。对新认定的省重点实验室,给予每家200万元
奖励,…" holds two awards. A statement pairs each figure with its subject, read from the sentence itself:

    (对新建的全国重点实验室分中心(分室), 给予每家300万元奖励)   (对新认定的省重点实验室, 给予每家200万元奖励)

The subject is the phrase that holds the figure, or — when the words before the figure say nothing but "给予每家" — the
phrase before it ("对…的,给予…" is how the gazette writes an award). Enumerations with 分别 are aligned item by item
in compose.py; statements serve the other sentences: targets ("到2027年既有住宅加装电梯达到400台,完成老旧住宅电梯
更新…320台以上"), single awards, dates. Which statement a question names is decided by the words that tell the
candidates apart: a bigram every candidate shares ("重点实验室") is no evidence for any of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .textnorm import normalize_query

# measure words of Chinese (not of one gazette): the unit a figure is counted in
UNITS = ("万元|亿元|元|%|个百分点|万标箱|万千瓦|万亩|万人|万辆|万吨|万户|万平方米|平方米|千瓦|公里|人次|标箱|"
         "(?:万|亿)(?:个|家|台|根|艘|场|项|所|张|件|批|条|座|处|名|位|套|种|间|支|只)|万|亿|"
         "个|家|台|辆|亩|人|根|艘|场|项|所|张|户|吨|年|月|天|日|次|件|批|条|座|处|名|位|倍|层|套|种|类|档|级|期|届|间|支|只|米")
FIGURE = re.compile(rf"(?<![A-Za-z\d.])\d+(?:\.\d+)?(?:[:：]\d+(?:\.\d+)?)?\s*(?:{UNITS})?")
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月")
# a phrase that says only how an award is given: its subject is the phrase before it
BARE = re.compile(r"^(?:并|再|另|还|可)?(?:给予|按|按照|奖励|补助|补贴|分别给予|一次性给予)?"
                  r"(?:每[家个项台亩人户]|(?<=给予)(?:牵头单位|牵头企业|企业|单位|项目|主体))?"  # "给予牵头单位30万元"
                  r"(?:最高)?(?:不超过)?$")
# the classifiers a count is asked in ("换多少条", "几座", "给多少人"), whether or not the gazette counts in them
CLASSIFIER = "个|家|台|辆|亩|人|根|艘|条|套|只|座|处|间|位|名|件|批|次|所|张|户|项|场|支|架|栋|幢|头|匹|棵|株"
# "给多少" asks money, "给多少人" a count
MONEY_Q = re.compile(rf"钱|钞票|票子|几钿|多少钿|奖励|奖金|补贴|补助|奖补|资助|资金|金额|[给拿发补奖领减免退返]多少(?!\s*(?:{CLASSIFIER}))|几块|万元|元|收费|收多少")
# 几 that asks: not 这几/那几/好几/十几/前几 ("那几根桩天天坏" counts nothing the asker wants)
JI = r"(?<![这那好十几前头没])几"
UNIT_Q = re.compile(rf"(?:多少|{JI})(个人|个(?![亿点百万千月])|家|台|辆|亩|人次|人|根|艘|公里|场|项|所|张|户|吨|标箱|万亩|万人|万辆|万标箱)|"
                    r"(?:多少|(?:最长|最多|一般|给|要|能|可以)几)(年)")  # "最长给几年": a duration, not "这几年"
COUNT_Q = re.compile(rf"(?:多少|{JI})\s*(?:{CLASSIFIER})")  # a count asked with any Chinese classifier
# a count asked of a noun ("新增多少技能人才", "多少企业"): 多少 before a word that is no amount, rate, time or measure
COUNT_NOUN_Q = re.compile(r"多少(?!钱|钞票|票子|奖|补|资金|经费|费|金额|万|亿|元|块|比例|比重|百分|个?点|成|倍|时间|年|天|"
                          r"个?月|日|小时|周|度|分|岁|平方|公里|吨|亩|税)[\u4e00-\u9fff]{2}")
RATE_Q = re.compile(r"比例|比重|增速|增幅|百分之|几成|%|率|(?:几|多少)个?(?:百分)?点(?!钟)")  # "按几个点交": a rate
# a percentage that is an amount of money: the rate of a grant, a subsidy, a discount ("按保费的70%给予补偿")
AWARD_RATE = re.compile(r"给予|补助|补贴|奖励|补偿|资助|贴息|优惠|减免|返还|折|报销")
# a rate named by what it measures (税率, 费率, 覆盖率, 渗透率, 增速): two characters ending in 率, or 增速/增幅/比重/比例
RATE_NAME = re.compile(r"[\u4e00-\u9fff]率|增速|增幅|比重")  # 比例 says only "a rate": any rate answers it
TAX_NAME = re.compile(r"[\u4e00-\u9fff]{2}税(?![收务费种额率])")  # 增值税, 所得税 (not 税收, 税务, 税率)
# a rate question about a grant: "补几成", "给百分之几", "补贴的比例" (not "…的补助，研发费占营收的比例")
GRANT_Q = re.compile(r"(?:[补奖贴给]|资助|报销|(?:帮|政府|市里)[^，,。？?；;]{0,2}出|承担)[^，,。？?；;]{0,4}(?:几成|百分之|比例|几个点)")
GRANTED_AFTER = r"\s*(?:的)?\s*(?:给予|补助|补贴|奖励|补偿|资助|贴息|报销)"
# a question that checks a figure it names ("补10%对吗", "是不是500万"), or asks whether: the figure may be the answer
CHECKS = re.compile(r"对吗|对不对|对吧|是吧|对么|是么|是吗|是不是|真的|没错|确定|吗|伐|不\s*[?？]?$|准不准|这个数")
NEGATED_PIECE = re.compile(r"(?:(?<!是)不是|并非|不属于|(?<!算)不算)(?P<denied>[^,，。；;？?！!]{1,8}?)(?=(?:的)?(?:那种|那类|那个|这种|这类)|[,，。；;？?！!]|$)")
# a threshold asked: the figure one must reach to qualify ("门槛多少", "投资要多少以上才够格"), not the award it brings
THRESHOLD_Q = re.compile(r"门槛|够格|够条件|起步|(?:多少|几)[^，,。？?；;]{0,6}以上才|至少(?:要|得)(?:多少|几)|要(?:达到|过|超过|到)多少")
# a figure stated as a threshold: "不低于2000万元的…项目", "首次超过1亿元", "500人以上"
THRESHOLD_MARK = re.compile(r"(?:不低于|不少于|(?<!不)超过?|达到|满)\s*$")
CAP_Q = re.compile(r"上限|封顶|最高|最多|顶多|不超过|最大")
CAP = re.compile(r"最高|不超过|上限|封顶|以内|最多")
DATE_Q = re.compile(r"哪天|哪一天|几月几|几月份|日期|什么时候|何时")
VALUE_Q = re.compile(rf"多少|{JI}(?:{CLASSIFIER}|[年月天万千百块号档级倍成钿])|哪天|哪一天|什么时候|何时|比例|比重|百分之|"
                     r"多大|多高|多长|多久|上限|封顶|最高|最低|最多|最少|顶多|金额|标准|目标")


class Statement(NamedTuple):
    figure: str  # as printed: "200万元", "400台", "1:1", "2024年5月20日"
    kind: str  # money | percent | date | ratio | the unit's first character
    phrase: str  # the phrase (between commas) that holds the figure, verbatim
    subject: str  # what the figure is about: the phrase, or the phrase before a bare "给予每家…"
    whole: str = ""  # after "其中": the subject of the total this figure is a part of


def _phrases(sentence: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in sentence:
        depth += ch in "(（“"
        depth -= ch in ")）”" and depth > 0
        cur += ch
        if depth == 0 and ch in ",，;；。":
            out.append(cur)
            cur = ""
    if cur.strip():
        out.append(cur)
    return out


def _part(phrase: str, at: int) -> str:
    """The 、-separated part of a phrase that holds position `at`: "科技创新资金投入4.59亿元、人才支撑资金投入2.31亿元"
    says 4.59亿元 of 科技创新 and 2.31亿元 of 人才支撑 (a 、 inside brackets separates nothing)."""
    depth, start = 0, 0
    for k, ch in enumerate(phrase):
        depth += ch in "(（“"
        depth -= ch in ")）”" and depth > 0
        if ch == "、" and depth == 0:
            if k >= at:
                return phrase[start:k]
            start = k + 1
    return phrase[start:]


def _kind(figure: str) -> str:
    if DATE.fullmatch(figure):
        return "date"
    if re.search(r"[:：]", figure):
        return "ratio"
    unit = re.sub(r"^[\d.\s]+", "", figure)
    if unit.startswith(("万元", "亿元", "元")):
        return "money"
    if unit.startswith(("%", "个百分点")):
        return "percent"
    unit = unit[1:] if unit[:1] in "万亿" and len(unit) > 1 else unit  # 4万亩 is counted in 亩
    return unit[:1] or "number"


def statements(text: str) -> list[Statement]:
    """Every figure of the text with its phrase and subject, in order."""
    out: list[Statement] = []
    phrases = _phrases(text)
    whole = ""  # "…资金64.96亿元,其中,交通类资金39.91亿元、…": the parts of a total, until the sentence ends
    for i, phrase in enumerate(phrases):
        if re.match(r"\s*其中", phrase):
            whole = next((st.subject for st in reversed(out) if st.kind != "date"), "")
        taken: list[tuple[int, int]] = []
        for m in DATE.finditer(phrase):
            taken.append(m.span())
            out.append(Statement(m.group(0), "date", phrase, phrase))
        for m in FIGURE.finditer(phrase):
            fig = m.group(0).strip()
            if any(a <= m.start() < b for a, b in taken) or re.fullmatch(r"\d{4}年?", fig):
                continue  # a date's parts, or a year ("到2027年…" sets the time, it is not the answer)
            before = phrase[: m.start()].strip(" ,，")
            subject = _part(phrase, m.start()) if len(FIGURE.findall(phrase)) > 1 else phrase
            if BARE.match(before) and i > 0:  # "给予每家200万元奖励": the subject is "对新认定的省重点实验室"
                subject = phrases[i - 1] + phrase
            out.append(Statement(fig, _kind(fig), phrase, subject, whole if subject != whole else ""))
        if phrase.rstrip().endswith(("。", ";", "；")):
            whole = ""
    return out


def wanted_kinds(question: str) -> set[str] | None:
    """The kinds of figure a question asks for; None when it does not say."""
    q = normalize_query(question)
    # the unit asked last: the asker's story comes first ("想装几个桩给三轮车用，村里计划新建多少根")
    m = next(reversed(list(UNIT_Q.finditer(q))), None)
    if m is not None and (money := MONEY_Q.search(q, m.end())) and re.search(r"[,，;；。?？!！]", q[m.end():money.start()]):
        m = None  # "接了几个老小区的活，每台电梯补贴多少钱": the asker's story counts, the phrase asked last asks money
    if m is not None:
        unit = m.group(1) or m.group(2)
        if unit == "个人":  # "记了几个人": people are counted
            return {"人"}
        return {unit[1] if unit[:1] in "万亿" and len(unit) > 1 else unit[0]}
    if DATE_Q.search(q):
        return {"date"}
    # a percentage the asker states ("最高补65%，单家企业上限多少") asks for no rate; one they check ("是70%吗") does
    stated = q if CHECKS.search(q) else re.sub(r"\d+(?:\.\d+)?\s*%", "", q)
    if RATE_Q.search(stated):
        return {"percent", "ratio"}
    if MONEY_Q.search(q):
        return {"money", "percent"}  # an award is an amount or a rate ("按…的10%给予补助")
    return None


# a figure the asker puts forward to be confirmed or chosen ("是不是按0.5%交", "18万还是20万", "补70%对吗"): what is
# asked is a figure of that kind, whatever words ask it
_FIG = r"(?:\d+(?:\.\d+)?\s*(?:%|万元|亿元|万|亿|元|块)|百分之[\d一二三四五六七八九十点]+)"
CHECKED_FIGURE = re.compile(rf"(?:是不是|是否|难道是)\s*(?:按|在|有|要|就)?\s*{_FIG}|{_FIG}\s*(?:还是|或者?)\s*{_FIG}|"
                            rf"{_FIG}\s*(?:吗|伐|么|对吗|对不对|是吧|是吗|是不是|没错吧)")


def checked_kinds(question: str) -> set[str]:
    """The kinds of the figures a question puts forward to be confirmed or chosen: {"percent"} for "30%还是70%"."""
    kinds: set[str] = set()
    for m in CHECKED_FIGURE.finditer(normalize_query(question)):
        kinds.add("percent" if re.search(r"%|百分之", m.group(0)) else "money")
    return kinds


def rate_named(question: str) -> set[str]:
    """The rates a question names by what they measure: "所得税税率是多少" -> {税率}."""
    q = normalize_query(question)
    # a tax's rate is named by the tax ("增值税是不是按2%交"): its figure stands with the tax's name
    return set(RATE_NAME.findall(q)) | set(TAX_NAME.findall(q))


# "营收要过多少才能拿50万", "超过多少有50万奖励": an amount the asker names as the award, with what it takes asked
AWARD_BEFORE = re.compile(r"(?:拿|领|得|奖|给|补|有|获)到?\s*$")
AWARD_AFTER = re.compile(r"\s*(?:的)?(?:奖励|奖金|补贴|补助)")


def names_award(text: str, start: int, end: int) -> bool:
    """The figure at text[start:end] is the award the question is after (拿50万, 50万奖励) and something before it
    asks 多少 / 几: the bracket that pays it is asked, not the asker's own figure."""
    return bool((AWARD_BEFORE.search(text[max(0, start - 4):start]) or AWARD_AFTER.match(text, end))
                and re.search(r"多少|几", text[:start]))


def asks_count(question: str) -> bool:
    """The question asks how many of something, not how much money."""
    q = normalize_query(question)
    return bool(COUNT_Q.search(q) or COUNT_NOUN_Q.search(q))


def asks_value(question: str) -> bool:
    """A question for one figure (an amount, a count, a date, a rate, a cap, a target)."""
    return bool(VALUE_Q.search(normalize_query(question)))


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[\s\d“”\"'()（）,，。;；:：、.%]", "", normalize_query(s))
    return {s[i:i + 2] for i in range(len(s) - 1)}


NOT_COUNTS = ("number", "年", "date", "money", "percent", "ratio")  # kinds that are no count of things


def _listed(s: Statement) -> bool:
    return "分别" in s.phrase and len(FIGURE.findall(s.phrase)) > 1


FEE_Q = re.compile(r"收费|收多少|费[^，,。？?；;]{0,6}多少")  # a charge asked: its amount or its rate


def pick(question: str, candidates: list[Statement], ignore: str = "",
         weight: Callable[[str], float] = lambda b: 1.0) -> list[Statement]:
    """The statements the question names: the candidates of the asked kind whose subject shares the most
    distinguishing bigrams with the question (bigrams every candidate has, and those of `ignore`, are no evidence;
    `weight` — the corpus idf of a bigram — makes "回收站点" count for more than "全市建成"). Two different figures
    that tie return []: the question names neither."""
    kinds = wanted_kinds(question)
    qn = normalize_query(question)
    # a figure of a 分别 list belongs to its item: compose.align decides, by position, or nothing does ("各县分别建成…
    # 1个以上", one figure, is no list: 分别 says "each")
    pool = [s for s in candidates if (kinds is None or s.kind in kinds) and not _listed(s)]
    if kinds == {"个"} and not pool:  # 个 is the classifier of anything: "多少个充电桩" is counted in 根 by the gazette
        pool = [s for s in candidates if s.kind not in NOT_COUNTS and not _listed(s)]
    if kinds is None and asks_count(qn):  # "换多少条", "新增多少技能人才": a count in the clause's own unit
        pool = [s for s in pool if s.kind not in NOT_COUNTS] or pool
    if kinds == {"money", "percent"}:  # a money question: a percentage answers it only as the rate of a grant
        # (or of the charge asked: "担保费大概收多少" is answered by 担保费率1%以下)
        fee = FEE_Q.search(qn)
        pool = [s for s in pool if s.kind != "percent" or AWARD_RATE.search(s.phrase) or (fee and "费" in s.phrase)]
    named = rate_named(question)  # "税率是多少": a percentage of that name, not 比重
    if named:  # (a figure the asker checks is looked for by its item when no percentage bears that name: the
        # gazette's "比例达到100%" is the asker's "通过率要到80%，对吧")
        pool = [s for s in pool if s.kind != "percent" or any(n in s.phrase for n in named)] or (
            pool if CHECKS.search(qn) else [])
    if kinds == {"percent", "ratio"} and GRANT_Q.search(qn):
        # "保费补几成": the rate that is granted ("按保费的70%给予补偿"), not 费率2%的上限; else one said of a grant
        # ("补贴标准为…的30%"); a rate of something else (更新率达到60%) grants nothing
        pool = ([s for s in pool if re.search(re.escape(s.figure) + GRANTED_AFTER, s.phrase)]
                or [s for s in pool if s.kind == "ratio" or AWARD_RATE.search(s.phrase)])
    if CAP_Q.search(qn) and (caps := [s for s in pool if CAP.search(s.phrase)]):
        pool = caps  # "上限多少": the capped figure ("每家企业最高不超过500万元"), not the rate beside it
    if not CHECKS.search(qn):  # "增量补10%的那个，比重要几个点": the figure the asker names is not what they ask
        pool = [s for s in pool if not re.search(r"(?<![\d.])" + re.escape(s.figure), qn)] or pool
    if not pool:
        return []
    # what the asker says they are not ("不是高新，…") names no statement
    q = _bigrams(NEGATED_PIECE.sub("", qn)) - _bigrams(ignore)
    # a question that names a part of a total ("投资项目资金里，教育卫生类…") asks for the part: the words it shares
    # with the total only set the scene, so a part is scored on its own name and, when named, the total gives way
    parts = [s for s in pool if s.whole]
    if parts:
        own = [sum(weight(x) for x in (_bigrams(s.subject) - _bigrams(s.whole)) & q) for s in parts]
        if max(own) > 0:
            wholes = {s.whole for s, o in zip(parts, own) if o > 0}
            pool = [s for s in pool if s.subject not in wholes]
    subjects = [_bigrams(s.subject) for s in pool]
    common = set.intersection(*subjects) if len(pool) > 1 else set()
    scores = [round(sum(weight(x) for x in (b - common) & q), 6) for b in subjects]
    best = max(scores)
    if len(pool) == 1:
        return pool if (kinds is not None or best > 0) else []
    if best == 0:
        return []
    chosen = [s for s, sc in zip(pool, scores) if sc == best]
    return chosen if len({s.figure for s in chosen}) == 1 else []  # two figures tie: the question names neither


# what a value question may ask about a figure: its rate, its cap, its amount, its time
ATTRIBUTES = ("比例", "比重", "上限", "封顶", "最高", "金额", "标准", "时间", "期限")
ATTRIBUTE_PAIR = re.compile("(" + "|".join(ATTRIBUTES) + r")\s*(?:和|与|及|以及|、|还有|跟)\s*(" + "|".join(ATTRIBUTES) + ")")


def _pick_rate_and_cap(q: str, candidates: list[Statement], ignore: str,
                       weight: Callable[[str], float]) -> list[Statement]:
    """A rate and a cap asked in separate pieces ("按几成补，最多补多少"): each piece with the pieces that ask
    neither gets its own figure; [] unless both find exactly one."""
    # (a follow-up read with the question before it is joined to it by a space: "…补几成 封顶多少")
    pieces = [c for c in re.split(r"(?<=[,，;；?？])|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", q) if c and c.strip()]
    rate = [i for i, c in enumerate(pieces) if RATE_Q.search(c) and not CAP_Q.search(c)]
    cap = [i for i, c in enumerate(pieces) if CAP_Q.search(c) and not RATE_Q.search(c)]
    if not rate or not cap:
        return []
    out: list[Statement] = []
    for other in (cap, rate):  # the rate's piece without the cap's, then the cap's without the rate's
        part = "".join(c for i, c in enumerate(pieces) if i not in other)
        got = pick(part, candidates, ignore, weight)
        if len(got) != 1:
            return []
        out.extend(s for s in got if s not in out)
    return out


def pick_each(question: str, candidates: list[Statement], ignore: str = "",
              weight: Callable[[str], float] = lambda b: 1.0) -> list[Statement]:
    """`pick`, once per attribute when a question asks for two joined by 和 ("补助的比例和上限是多少"): each attribute
    gets its own figure; [] unless each finds one."""
    q = normalize_query(question)
    m = ATTRIBUTE_PAIR.search(q)
    if m is None or m.group(1) == m.group(2):
        return _pick_rate_and_cap(q, candidates, ignore, weight) or pick(question, candidates, ignore, weight)
    out: list[Statement] = []
    for keep, drop in ((m.group(1), m.group(2)), (m.group(2), m.group(1))):
        part = q[: m.start()] + keep + q[m.end():]  # "…的比例是多少", then "…的上限是多少"
        got = pick(part, candidates, ignore, weight)
        if len(got) != 1:
            return pick(question, candidates, ignore, weight)
        out.extend(s for s in got if s not in out)
    return out
