"""Grounded answers composed from clauses, without an LLM.

The direct answer first (the amount or the fact), then the supporting sentence quoted verbatim, then the citation.
Enumerations such as "对国家级、省级、市级绿色工厂和绿色园区,分别给予150万元、50万元、20万元奖励" are aligned item by
item, so "省级绿色工厂奖多少" answers 50万元, not the whole list. Every number in a composed answer is a substring of
a cited clause (or of the validity dates of the cited document).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

import numpy as np

from .corpus import Corpus, validity_status
from .fields import sentence_units
from .homophone import FUNCTION
from .statements import (CAP, COUNT_Q, NEGATED_PIECE, NOT_COUNTS, THRESHOLD_MARK, THRESHOLD_Q, asks_count, asks_value,
                         names_award, pick, pick_each, rate_named, statements, wanted_kinds)
from .textnorm import arabic_figures, normalize_query
from .types import Citation, Clause

AMOUNT = r"\d+(?:\.\d+)?(?:万元|亿元|元|%)"
ENUM_RE = re.compile(rf"(?P<per>每[亩家个台项])?分别(?:给予|增加|按|为|超过|达到|不低于|不少于|提高到|增长)?\s*"
                     rf"(?P<amounts>{AMOUNT}(?:\s*[、和及]\s*{AMOUNT})+)(?P<word>[^,，。；;(（]*)")
AMOUNT_RE = re.compile(AMOUNT)
RESPONSIBLE_INTENT = re.compile(r"哪个(部门|单位|局)|什么(部门|单位)|谁(负责|牵头|管)|找谁|责任单位|牵头单位|主管部门|归谁管|向谁|哪里(办|申请|咨询)")
YES_NO_RE = re.compile(r"对吗|对不对|对吧|是吧|对么|是么|是吗|是不是|是否正确|真的吗|没错吧|确定吗|吗[?？]?$")
MONEY_IN_QUESTION = re.compile(r"(\d+(?:\.\d+)?)\s*个?\s*(万元|亿元|万|亿|元|%)")  # "10个亿" as people say it


class Enumeration(NamedTuple):
    sentence: str
    labels: list[str]  # readable label per item, e.g. "省级绿色工厂和绿色园区"
    cores: list[str]  # the distinguishing part, e.g. "省级"
    amounts: list[str]
    word: str  # "奖励" / "补助" / "补贴"
    per: str = ""  # "每亩" when the amounts are per unit


class Composed(NamedTuple):
    text: str
    citations: list[Citation]
    warnings: list[str]
    amounts: list[str]  # the amounts the direct answer states (for false-premise checks and tests)
    direct: str = ""  # the answer in its own words before the quote ("省级绿色工厂和绿色园区：50万元奖励")


# --------------------------------------------------------------------------------------------- sentences


UNITS_ANY_RE = re.compile(r"[（(]责任单位[:：][^)）]*[)）]")


def split_sentences(text: str) -> list[str]:
    """Sentences of a clause, each a verbatim substring; "(责任单位:…)" parentheticals are left out, also where
    one sits mid-clause (13号（十三）)."""
    out = []
    for piece in UNITS_ANY_RE.split(text.strip()):
        out.extend(p for p in re.split(r"(?<=[。；;])", piece) if p.strip())
    return out or [text]


def _split_top(segment: str, seps: str) -> list[str]:
    """Split at separators that are not inside brackets or quotes."""
    out, depth, cur = [], 0, ""
    for ch in segment:
        if ch in "(（“[【":
            depth += 1
        elif ch in ")）”]】" and depth:
            depth -= 1
        if ch in seps and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [x for x in out if x]


def _items_before(segment: str, n: int) -> list[str] | None:
    """The list of n parallel items that an amount list refers to."""
    quoted = re.findall(r"“([^”]+)”", segment)
    if len(quoted) == n and re.search(r"(“[^”]+”){%d}" % n, segment):
        return quoted
    letters = re.search(r"(?<![A-Za-z])([A-Z](?:、[A-Z]){%d})(?![A-Za-z])" % (n - 1), segment)  # "A、B、C、D四档"
    if letters:
        return letters.group(1).split("、")
    amounts = AMOUNT_RE.findall(segment)
    run = re.search(rf"({AMOUNT}(?:、{AMOUNT}){{{n - 1}}})", segment)  # "首次超过1亿元、5000万元、2000万元的…"
    if run and len(amounts) == n:
        return run.group(1).split("、")
    for seps in ("、", "、和及"):
        items = _split_top(segment, seps)
        if len(items) == n:
            return items
    return None


def find_enumerations(sentence: str) -> list[Enumeration]:
    out = []
    for m in ENUM_RE.finditer(sentence):
        amounts = re.split(r"\s*[、和及]\s*", m.group("amounts"))
        head = sentence[: m.start()]
        head = head[max(head.rfind(x) for x in "；;。") + 1:]  # a quote may join two sentences: this one's items
        start = head.rfind("对")
        # "…先进水平,规模以上工业企业数字化研发设计工具普及率、关键工序数控化率分别超过95%、80%": no 对, the items
        # start after the last comma
        segment = head[start + 1:] if start >= 0 else re.split(r"[,，;；]", head.rstrip(" ,，"))[-1]
        segment = re.sub(r"^(?:经认定的|新认定的|获评的|被评定为|评为|以)", "", segment)
        segment = re.sub(r"[,，]\s*(?:每亩)?$", "", segment).strip()
        items = _items_before(segment, len(amounts))
        if not items:
            continue
        items = [re.sub(r"的$", "", x.strip().rstrip(",，")) for x in items]
        cores, labels = _cores(items, segment)
        out.append(Enumeration(sentence, labels, cores, amounts, m.group("word").strip(), m.group("per") or ""))
    return out


def _cores(items: list[str], segment: str) -> tuple[list[str], list[str]]:
    """Split the shared suffix off the last item: [国家级, 省级, 市级绿色工厂和绿色园区] -> cores [国家级, 省级, 市级],
    suffix 绿色工厂和绿色园区; labels carry the suffix back: 省级绿色工厂和绿色园区."""
    if all(re.fullmatch(r"[A-Z]", x) for x in items):
        return items, [f"{x}档" for x in items]
    run = "、".join(items)
    if all(AMOUNT_RE.fullmatch(x) for x in items) and run in segment:  # thresholds: keep their context
        return items, [segment.replace(run, x) for x in items]
    if re.search(r"(“[^”]+”){2,}", segment):  # quoted items: the suffix follows the last quote
        suffix = segment[segment.rfind("”") + 1:]
        suffix = re.sub(r"的.*$", "", suffix)
        return items, [f"“{x}”{suffix}" for x in items]
    others, last = items[:-1], items[-1]
    if others and all(len(o) <= 6 for o in others) and len(last) > max(len(o) for o in others) + 1:
        ends = {o[-1] for o in others}
        for i in range(2, len(last)):
            if last[i - 1] in ends:
                core, suffix = last[:i], last[i:]
                cores = others + [core]
                return cores, [c + suffix for c in cores]
    return items, items


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[“”\"'()（）\s]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def distinguishing_tails(cores: list[str]) -> list[str]:
    """Each item's shortest ending (2+ chars) that occurs in no other item: 国家级 -> 家级, 省级 -> 省级,
    "省科学技术奖(…)一等奖" -> 一等奖 next to 二等奖/三等奖."""
    tails = []
    for i, c in enumerate(cores):
        c = normalize_query(c)
        others = [normalize_query(o) for k, o in enumerate(cores) if k != i]
        tail = next((c[-n:] for n in range(2, len(c) + 1) if not any(c[-n:] in o for o in others)), "")
        tails.append(tail)
    return tails


def _money(text: str):
    from .calculator.quantities import CalcInputError, parse_money

    try:
        return parse_money("x", text)
    except (CalcInputError, ValueError, ArithmeticError):
        return None


def _thresholds_named(enum: Enumeration, question: str) -> list[int]:
    """Items that are amounts ("首次超过1亿元、5000万元、2000万元的…"): the one whose amount the question states."""
    if not all(AMOUNT_RE.fullmatch(c) for c in enum.cores):
        return []
    return _the_one(enum.cores, _amounts_stated(question))


def _awards_named(enum: Enumeration, question: str) -> list[int]:
    """The item whose award the question names as what it is after ("营收要过多少才能拿50万")."""
    return _the_one(enum.amounts, _amounts_stated(question, awards=True))


def _amounts_stated(question: str, awards: bool = False) -> set:
    """The amounts a question states ("过了一个亿" is 1亿); with `awards`, only those named as the award it is after."""
    text = arabic_figures(question)
    return {v for m in MONEY_IN_QUESTION.finditer(text)
            if (not awards or names_award(text, m.start(), m.end())) and (v := _money(m.group(1) + m.group(2))) is not None}


def _the_one(figures: list[str], asked: set) -> list[int]:
    """The index of the one figure among `figures` that is asked; [] when none or several are."""
    hits = [i for i, f in enumerate(figures) if asked and _money(f) in asked]
    return hits if len(hits) == 1 else []


def align(enum: Enumeration, question: str, heading: str = "") -> list[int]:
    """Indices of the items the question names; [] when it names none (or all equally). An item whose
    distinguishing ending the question contains verbatim wins ("二等奖" is not 一等奖 however much of the shared
    "省科学技术奖" prefix the question repeats); otherwise shared character bigrams decide."""
    said = normalize_query(question)
    denied = set().union(*(_bigrams(m.group("denied")) for m in NEGATED_PIECE.finditer(said)))
    text = NEGATED_PIECE.sub("", said)  # "不是培育试点那种": the item the asker is not
    cores = [normalize_query(c).replace("“", "").replace("”", "") for c in enum.cores]
    text = _levels_said(text, enum)
    if by_amount := _thresholds_named(enum, text):  # "首次超过5000万": the asker names a bracket by its amount
        return by_amount
    plain = text.replace("“", "").replace("”", "")
    whole = [i for i, c in enumerate(cores) if len(c) >= 2 and c in plain]
    whole = [i for i in whole if not any(j != i and cores[i] in cores[j] for j in whole)]  # longest names win
    if whole and len(whole) < len(cores):
        return whole
    exact = [i for i, t in enumerate(distinguishing_tails(enum.cores)) if len(t) >= 2 and t in text]
    if exact and len(exact) < len(enum.cores):
        return exact
    q = {b for b in _bigrams(text) if not any(ch.isdigit() for ch in b)}  # "60亩" is the asker's, "50亩" a threshold
    q -= _bigrams(normalize_query(heading))  # "数字化改造补助" names the clause (推进企业数字化改造), not 数字化车间
    # short cores ("A", "省级") are matched whole as well: a bigram set cannot see a one-letter tier
    scores = [len(_bigrams(normalize_query(c)) & q) + (2 if len(c) == 1 and c in text.upper() else 0)
              for c in enum.cores]
    best = max(scores)
    picked = [i for i, s in enumerate(scores) if s == best]
    if best == 0 or len(picked) == len(scores):
        return _awards_named(enum, text)
    if denied:  # a tie with a name that holds what the asker says they are not ("不是培育试点那种"): not theirs
        picked = [i for i in picked if not (_bigrams(normalize_query(enum.cores[i])) & denied)] or picked
    if best == 1 and min(map(len, enum.cores)) >= 4:  # one shared bigram between long names is no evidence
        return []
    levels = [lv for lv in LEVELS if lv in text]
    if levels and not any(lv in cores[i] for i in picked for lv in levels) and any(
            lv in c for c in cores for lv in levels):
        return []  # "省级专精特新…" picked the 小巨人 item, which states no level, while another item is 省级: no evidence
    return picked


LEVELS = ("国家级", "省级", "市级", "县级")
# a level as people say it: "省里的首版次软件" is the 省级 one — read only right before the items' shared name, since
# elsewhere 省里 / 市里 say who pays or where ("市里奖多少")
SAID_LEVEL = re.compile(r"(国家|省里|省上|省|市里|市|县里|区里|县)的?")
_SAID_CANON = {"国家": "国家级", "省里": "省级", "省上": "省级", "省": "省级", "市里": "市级", "市": "市级",
               "县里": "县级", "区里": "县级", "县": "县级"}


def _levels_said(text: str, enum: Enumeration) -> str:
    """The text with a colloquial level before the enumeration's shared name written as the gazette's level, when
    the items are levels (国家级、省级、市级 + 首版次软件产品)."""
    suffixes = {lb[len(c):] for lb, c in zip(enum.labels, enum.cores) if lb.startswith(c)}
    if len(suffixes) != 1 or len(suffix := normalize_query(suffixes.pop()).strip("“”")) < 2 or not all(
            any(lv in c for lv in LEVELS) for c in enum.cores):
        return text
    head = re.escape(suffix[:2])
    return re.sub(f"(?:{SAID_LEVEL.pattern})(?={head})", lambda m: _SAID_CANON[m.group(1)], text)


# --------------------------------------------------------------------------------------------- scoring


# the A-not-A question ("方不方便", "可不可以", "能不能"): it asks whether A, and A is the word ("方不|方便" are not two)
A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1([\u4e00-\u9fff]?)")


GRAMMAR = "".join(sorted(FUNCTION))  # particles, modals, the copula: no part of a word they are glued to


REPORTING = frozenset({"说", "讲", "说过", "讲过"})


def _without_speakers(corpus: Corpus, text: str) -> str:
    """The text without who the asker heard it from: "老板说…", "教练讲…" — a word the gazette never uses, right
    before a verb of saying, names the speaker of hearsay, not what the question is about."""
    seg = corpus.tokenizer.segment(text)
    idf = corpus.lexical.idf
    speakers = {w for w, nxt in zip(seg, seg[1:]) if nxt in REPORTING and len(w) >= 2 and CJK.match(w) and w not in idf}
    for w in speakers:
        text = re.sub(re.escape(w) + "(?=[说讲])", " ", text)
    return text


def query_terms(corpus: Corpus, question: str) -> list[str]:
    """The question's words; one the gazette never uses ("个托育") is replaced by its bigrams that it does use."""
    idf = corpus.lexical.idf
    out: list[str] = []
    # amounts in figures ("五千万" -> 5000万): a number is matched as a number, never as the words 五千 and 千万
    text = _without_speakers(corpus, A_NOT_A.sub(r"\1\2", arabic_figures(question)))
    words = corpus.tokenizer.words(text, query=True)
    # a word of the general dictionary that the gazette never uses, not even inside a longer word (宅基地), is one
    # thing, matched whole or by meaning; the overlapping pieces the segmenter also yields for it (宅基, 基地) are
    # character pairs, not its parts, and no evidence where they stand only inside it (卫生院 -> 卫生 is kept)
    def pieces(x: str) -> list[tuple[int, int]]:
        return [(i, i + len(p)) for p in dict.fromkeys(words) if p != x and p in x for i in [x.find(p)]]

    def overlap(spans: list[tuple[int, int]]) -> bool:
        return any(a < d and c < b for k, (a, b) in enumerate(spans) for c, d in spans[k + 1:])

    whole = [w for w in dict.fromkeys(words) if len(w) >= 3 and w not in idf and w in corpus.known_words
             and w not in corpus.abbrev_text and overlap(pieces(w))]
    outside = re.sub("|".join(map(re.escape, whole)), " ", text) if whole else text
    for w in words:
        if w in whole:
            out.append(w)
            continue
        if whole and w not in outside and any(w in x and not x.startswith(w) for x in whole):
            continue  # 宅基地's 基地 goes; 电动车's 电动 stays (the word begins with it)
        if w in idf or len(w) < 3:
            out.append(w)
            continue
        if w not in corpus.known_words and len(core := w.strip(GRAMMAR)) >= 2 and core != w:
            # a word the segmenter glued to a particle or modal ("营收要") is the word
            w = core
            if w in idf or len(w) < 3:
                out.append(w)
                continue
        parts = ["#" + w[i:i + 2] for i in range(len(w) - 1) if "#" + w[i:i + 2] in idf]  # bigram terms
        out.extend(parts or [w])
    out.extend(w for w in _across(corpus, outside) if w not in out)
    return list(dict.fromkeys(out))


def _across(corpus: Corpus, text: str) -> list[str]:
    """Gazette words the segmenter cut in two: where it glued a particle or modal to one half ("要报废掉" -> 要报|废掉,
    neither a word of the gazette, yet 报废 is: 要 is the modal), or a character of a gazette phrase to a word the
    gazette does not use ("拍短视频" -> 拍短|视频: the gazette writes 短视频, which holds 视频 whole). Read only
    between two words of two characters or more ("一个|人补" holds 个人, but 一 and 补 are no particles and 个人 holds
    neither word whole)."""
    idf = corpus.lexical.idf
    cut = corpus.tokenizer.query_segment(text)
    found: list[str] = []
    for a, b in zip(cut, cut[1:]):
        if len(a) < 2 or len(b) < 2 or not (CJK.match(a) and CJK.match(b)) or (a in idf and b in idf):
            continue
        joined, edge = a + b, len(a)
        spans = [(i, j) for i in range(edge) for j in range(edge + 1, len(joined) + 1) if 2 <= j - i <= 4]
        if a not in idf and b not in idf:
            glued = [(i, j) for i, j in spans if any(rest and all(ch in GRAMMAR for ch in rest)
                                                     for rest in (joined[:i], joined[j:]))]
            best = max((joined[i:j] for i, j in glued if joined[i:j] in idf), key=len, default=None)
        else:  # one half is the gazette's: a longer phrase of the gazette holding it whole
            # (the stranger before it keeps one character: 拍|短 — a verb glued to the phrase's first character)
            longer = [joined[i:j] for i, j in spans if j - i >= 3 and j == len(joined) and b in idf and i == 1]
            best = max((w for w in longer if w in corpus.abbrev_text), key=len, default=None)
        if best is not None:
            found.append(best)
    return found


def expanded_terms(corpus: Corpus, question: str) -> list[str]:
    """Terms for choosing a sentence (plain strings, bigram terms unwrapped), with synonyms."""
    base = [t.lstrip("#") for t in query_terms(corpus, question)]
    synonyms = corpus.tokenizer.synonyms
    return list(dict.fromkeys(base + [s for t in base for s in synonyms.get(t, ())]))


# A question word counts as found in a clause when its best cosine with the clause's words reaches MATCH (credited
# at that cosine), and as saying nothing about the gazette when its best cosine with any word of the gazette stays
# below RELATED. Chosen on evals/colloquial/dev.jsonl with the answer threshold (table in evals/README.md).
MATCH = 0.62
RELATED = 0.55
SOFT_CREDIT = 0.5  # a near-synonym is weaker evidence than the word itself: an exact match wins a tie


def coverage(corpus: Corpus, terms: list[str], clause: Clause) -> float:
    """idf-weighted share of the question's terms found in the clause (0..1). Terms the corpus never uses weigh
    as much as a middling corpus term (the median idf), so "上海落户" is not "covered" by a clause that merely
    mentions 上海. With the semantic signal, a near-synonym counts (at its cosine), and a word unrelated to every
    word of the gazette (the asker's own circumstances: 老伴, 广场舞) counts neither way."""
    got, total, _ = match(corpus, terms, clause)
    return got / total if total else 0.0


def document_coverage(corpus: Corpus, terms: list[str], clause: Clause, intent: re.Pattern) -> float:
    """`coverage` against the whole document of the clause (exact words only): for questions about a document
    ("两业融合的文件还有效吗") whose words are spread over its clauses. Words of the question's intent (有效, 截止,
    文件) are left out: they say what is asked, not which document."""
    lex = corpus.lexical
    doc = corpus.document_of(clause)
    tokens: set[str] = set()
    for c in doc.clauses:
        if (i := lex.position.get(c.id)) is not None:
            tokens |= lex.token_sets[i]
    got = total = 0.0
    for t in terms:
        if intent.search(t.lstrip("#")) or t.lstrip("#") in DOCUMENT_WORDS:
            continue
        w = lex.idf.get(t, lex.idf_median)
        if t in tokens:
            got += w
            total += w
        elif t[:1].isdigit():
            continue
        elif CJK.match(t) and corpus.soft is not None and t not in lex.idf and corpus.soft.relatedness(t) < RELATED:
            continue  # about the asker (老公, 厂里), not about any document
        else:
            total += w
    return got / total if total else 0.0


def missing_subject(corpus: Corpus, question: str, clause: Clause) -> bool:
    """A topical word of the question that the clause has neither as such nor as a near-synonym: "高龄" against a
    clause on green factories. Words of what is asked (补贴, 多少钱) and of the asker's own circumstances (我妈, 82岁:
    unrelated to every word of the gazette) do not count."""
    from .statements import asks_value

    lex, soft = corpus.lexical, corpus.soft
    i = lex.position.get(clause.id)
    if i is None:
        return False
    tokens = lex.token_sets[i]
    for t in query_terms(corpus, question):
        w = t.lstrip("#")
        if len(w) < 2 or not CJK.match(t) or asks_value(w) or MONEY_INTENT.search(w) or t in tokens:
            continue
        if all(ch in GRAMMAR or ch in "个些" for ch in w) or RECOGNITION_VERB.fullmatch(w):
            continue  # "要是评上了…奖多少钱", "有个封顶": an if, 有个, a verb of being recognised name no subject
        if soft is None:
            if t not in lex.idf:
                return True
            continue
        if soft.similarity(w, i) >= MATCH or (t not in lex.idf and soft.relatedness(w) < RELATED):
            continue
        return True
    return False


RECOGNITION_VERB = re.compile(r"评上|评为|获评|评定|认定|入选|当选|拿到|拿了|获得")
DOCUMENT_WORDS = frozenset({"文件", "政策", "文", "通知", "意见", "决定", "规定"})


def distinctive(corpus: Corpus, terms: list[str], clause: Clause) -> float:
    """The idf of the most specific word the question and the clause share (0 when they share only one-character
    words such as 打 or 去): "狗狗打疫苗" shares nothing distinctive with 打好外贸."""
    return match(corpus, terms, clause)[2]


def match(corpus: Corpus, terms: list[str], clause: Clause) -> tuple[float, float, float]:
    """(matched idf, total idf, best matched idf of a word of two or more characters)."""
    if not terms:
        return 0.0, 0.0, 0.0
    lex = corpus.lexical
    soft = corpus.soft
    i = lex.position.get(clause.id)
    tokens = lex.token_sets[i] if i is not None else set()
    word_text = lex.word_text[i] if i is not None else ""  # a term may lie inside a word, not across two
    total = got = best = 0.0
    for t in terms:
        if t in ASKING_WORDS:  # "最多补多少": how the value is asked, not what it is about (最多跑一次 is a name)
            continue
        w = lex.weight(t)  # a word the gazette never uses on its own weighs as the words holding it
        # words match words ("市长" is not in "嘉兴市长三角"); bigram terms (#托育) match bigrams; synonyms count; a
        # term of three characters or more also where the text holds it across its words (短视频: 短|视频)
        variants = (t, *corpus.tokenizer.synonyms.get(t, ()))  # 老人 is covered by 老年, 充电桩 by 充电设施
        if any(v in tokens or (not v.startswith("#") and (v in word_text or (len(v) >= 3 and v in clause.text)))
               for v in variants) or (
                len(t) == 2 and CJK.match(t) and t in initial_pairs(corpus, clause)):  # 文旅: its 文化|旅游
            got += w
            total += w
            best = max(best, w if len(t.lstrip("#")) >= 2 else 0.0)
        elif t[:1].isdigit():  # "增长20%": a number the clause lacks is the asker's own figure, not a topic
            continue
        elif _other_grade(t, clause.text):  # "三星", "一等功" where the clause has 二星, 二等功: the asker's figure
            continue
        elif t in lex.idf or soft is None or i is None:  # the gazette uses this word: only the word itself counts
            total += w
        elif len(t) >= 2 and (sim := soft.similarity(t, i)) >= MATCH:  # "桩子", "午觉": a word the gazette does not use
            got += w * sim * SOFT_CREDIT
            total += w
            best = max(best, w * sim * SOFT_CREDIT)
        elif CJK.match(t) and soft.relatedness(t) < RELATED:
            continue  # about the asker, not about any policy of the gazette
        else:
            total += w
    return got, total, best


# a Chinese numeral with what it counts or grades: 三星, 一等(功), 两年
_CN_FIGURE = re.compile(r"#?([一二三四五六七八九十两])([^一二三四五六七八九十两]{1,2})")


def _other_grade(term: str, text: str) -> bool:
    """The term is a Chinese numeral with what it counts or grades ("三星", "一等") that the text writes with another
    numeral (二星, 二等功): a figure of the asker's, right or wrong, not a topic the clause lacks (as an Arabic
    figure the clause lacks is)."""
    m = _CN_FIGURE.fullmatch(term)
    return m is not None and re.search(rf"(?<![一二三四五六七八九十两{m.group(1)}])[一二三四五六七八九十两]"
                                       rf"{re.escape(m.group(2))}", text) is not None


def soft_candidates(corpus: Corpus, terms: list[str], n: int = 5) -> list[Clause]:
    """The clauses that the question's words the gazette never uses lead to by meaning alone ("躺着睡午觉" → the
    clause on 午休躺睡), best first: each such word credits a clause as `match` does (its idf times its best cosine
    with the clause's words, from MATCH on, where that clause word is its nearest in the gazette). Retrieval ranks by the gazette's own words and never sees them."""
    soft, lex = corpus.soft, corpus.lexical
    if soft is None:
        return []
    score = None
    for t in terms:
        if t in ASKING_WORDS or t[:1].isdigit() or t in lex.idf or not CJK.match(t):
            continue
        sims = soft.per_clause(t)
        # only the clauses holding the word's nearest word in the whole gazette: 睡觉 leads to 午休, not to every
        # clause with a word that happens to lie at 0.7
        near = (sims >= MATCH) & (sims >= soft.relatedness(t) - 1e-6)
        credit = np.where(near, sims, 0.0) * lex.idf_median
        score = credit if score is None else score + credit
    if score is None or not score.any():
        return []
    # a policy's clauses only: the cover, the contents and the appointment lists are found by their names
    found = [lex.clauses[int(i)] for i in np.argsort(-score, kind="stable") if score[i] > 0]
    return [c for c in found if c.doc_no is not None][:n]


CJK = re.compile(r"^#?[\u4e00-\u9fff]+$")
# how a value is asked, not what it is about; 条件 too ("申请医保定点有啥条件": the conditions of what is named —
# that the gazette says 符合条件的… of other things is no evidence of it)
ASKING_WORDS = frozenset({"最多", "最少", "顶多", "多少", "多久", "多大", "多高", "多长", "封顶", "条件"})
MONEY_INTENT = re.compile(r"多少|金额|标准|奖励|奖金|补贴|补助|奖补|资助|给予|钱|几钿|钞票|收费|[奖补给发拿领]了?几[十百千]?万")
AMOUNT_IN_TEXT = re.compile(r"\d+(?:\.\d+)?(?:万元|亿元|元|%)")


# a part of a total asked for ("…那笔钱里，教育那部分多少", "其中交通占多少")
PART_Q = re.compile(r"其中|那部分|这部分|里面?[^，,。？?]{0,8}(?:占|那部分|那块|这块)|占了?多少")
PART_NAMED = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:那部分|这部分|那一块|这一块)")
# what a clause says, asked openly ("…是怎么讲的", "文件里咋说", "有啥规定"): no one figure or fact
OPEN_Q = re.compile(r"(怎么|咋|如何)(讲|说|规定|写|表述)|(讲|说|写|规定)(了)?(些)?(啥|什么)|(有|是)(啥|什么)(规定|说法|要求|政策)")
# whether something must or may be done ("要不要全程录像", "能不能单方委托"): the rule, with its conditions around it
YES_NO_Q = re.compile(r"要不要|需不需要|用不用|会不会|能不能|可不可以|行不行|是不是要|是否要|是否需要")
SHORT_CLAUSE = 200  # characters: a clause this short is quoted whole for an open question (a few sentences)


def initial_pairs(corpus: Corpus, clause: Clause) -> frozenset[str]:
    """How Chinese shortens each two neighbouring words of the clause (two characters or more each) to two
    characters (`_pairs`: 文化|旅游 -> 文旅, 生猪|价格 -> 猪价), for matching a shortened word. Built once per clause."""
    pairs = corpus.derived("initial_pairs", dict)
    if clause.id not in pairs:
        pairs[clause.id] = frozenset(p for s in split_sentences(clause.text) for p in _pairs(corpus, s))
    return pairs[clause.id]


def _pairs(corpus: Corpus, text: str) -> frozenset[str]:
    """文化|旅游 -> 文旅; a two-character modifier may give its head, its last character: 生猪|价格 -> 猪价. Remembered per
    text (a clause's sentences are read again for every question that reaches the clause)."""
    known = corpus.derived("shortening_pairs", dict)
    if text not in known:
        words = corpus.tokenizer.segment(text)
        out = set()
        for w1, w2 in zip(words, words[1:]):
            if len(w1) >= 2 and len(w2) >= 2 and CJK.match(w1) and CJK.match(w2):
                out.add(w1[0] + w2[0])
                if len(w1) == 2:
                    out.add(w1[1] + w2[0])
        known[text] = frozenset(out)
    return known[text]


def _abbreviated(corpus: Corpus, terms: list[str], sentence: str) -> list[str]:
    """The two-character terms the sentence writes in full, as two neighbouring words of two characters or more
    that begin with the term's two characters: 文旅 in "夜间文化旅游消费集聚区" (文化|旅游)."""
    if not terms:
        return []
    pairs = _pairs(corpus, sentence)
    return [t for t in terms if t in pairs]


def best_sentence(corpus: Corpus, terms: list[str], clause: Clause, question: str = "",
                  focus: frozenset[str] = frozenset()) -> str:
    """The sentence that best answers: most (idf-weighted) question terms; for a money question one that states
    an amount; a bare heading ("开展汽车以旧换新。") brings the sentence after it along. `focus`: the terms of a
    follow-up's own words ("浙F牌照的车呢" read with the question before it), which count twice: the follow-up
    asks the same of them."""
    sentences = split_sentences(clause.text)
    idf = corpus.lexical.idf
    top = corpus.lexical.idf_max
    # "换多少条" asks a count: a sentence's 60% earns no bonus
    money = bool(MONEY_INTENT.search(question)) and not asks_count(question)
    heading = (clause.heading + "。") if clause.heading else None
    value = asks_value(question)
    part = bool(PART_Q.search(normalize_query(question)))

    # the heading names what every sentence of the clause is about ("规范单方委托行为"): its words count half, the
    # question's other words ("鉴定材料…负责") pick the sentence
    # (a heading naming two subjects, "农业机械装备和渔船设备", says what neither sentence is about)
    titled = clause.heading.lower() if clause.heading and not re.search(r"[和与及、]", clause.heading) else ""

    shortened = [t for t in terms if len(t) == 2 and CJK.match(t)]  # 文旅 may stand for 文化旅游, 猪价 for 生猪价格

    # a word of grammar alone ("不" of 不停车, "的") tells no sentence from another
    weighed = [t for t in terms if not (len(t) == 1 and t in FUNCTION)]
    # a word and its synonyms are one term: a sentence writing 高速 and 高速公路 says it once, not twice
    synonyms, grouped = corpus.tokenizer.synonyms, set()
    groups = []
    for t in weighed:
        if t not in grouped:
            groups.append([t] + [v for v in synonyms.get(t, ()) if v in weighed and v not in grouped])
            grouped.update(groups[-1])

    def credit(t: str) -> float:
        return idf.get(t, top) * (0.5 if t in titled else 1.0) * (2.0 if t in focus else 1.0)

    @functools.cache  # (asked of a sentence more than once: the whole-clause test, the best, its neighbours)
    def score(s: str) -> float:
        low = s.lower()  # the question's words are lower-cased (浙F -> f)
        base = sum(max((credit(t) for t in g if t in low), default=0.0) for g in groups) + sum(
            corpus.lexical.weight(t) for t in _abbreviated(corpus, [t for t in shortened if t not in low], s)) + (
            0.5 if find_enumerations(s) else 0)
        if money and AMOUNT_IN_TEXT.search(s):
            base += top
        elif value and not money and any(st.kind not in ("年", "date") for st in statements(s)):
            base += top / 2  # "目标做到多少度": a sentence with a figure answers a question for one
        if s == heading:
            base *= 0.5
        return base

    body = [x for x in sentences if x != heading]
    if not value and body and len("".join(body)) <= SHORT_CLAUSE and "".join(body) in clause.text and (
            OPEN_Q.search(question) or (YES_NO_Q.search(question) and not _clear_winner([score(x) for x in body]))):
        # "户籍这块是怎么讲的": what the clause says, all of it when it is short; "要不要全程录像": whether it must be
        # done, in the clause's rule with its conditions, unless one sentence plainly answers ("浙F的车要不要交钱")
        return "".join(body)
    candidates = range(len(sentences))
    kinds = wanted_kinds(question) or set()
    counted = kinds - set(NOT_COUNTS)
    if value and counted:  # "每年要评几家": a count asked in its unit is answered by a sentence that counts in it
        candidates = [k for k in candidates if any(st.kind in counted for st in statements(sentences[k]))] or candidates
    elif value and kinds == {"percent", "ratio"}:  # "增速要超过多少": a rate asked, by a sentence that states one
        named = rate_named(question)  # (of that name: 容积率1.5 is no percentage, and no 比重 answers for it)
        candidates = [k for k in candidates if any(st.kind in kinds and (not named or any(n in st.phrase for n in named))
                                                   for st in statements(sentences[k]))] or candidates
    if part:  # "那笔钱里，教育那部分多少": the breakdown that names the asker's part, not the total
        candidates = [k for k in candidates if sentences[k].startswith("其中")
                      and any(t in sentences[k].lower() for t in terms if len(t) >= 2)] or candidates
    i = max(candidates, key=lambda k: score(sentences[k]))
    if sentences[i] == heading and i + 1 < len(sentences):
        return sentences[i] + sentences[i + 1]
    best = score(sentences[i])
    for j in (i + 1, i - 1):  # an adjacent sentence that answers nearly as well comes along (one verbatim span)
        if 0 <= j < len(sentences) and sentences[j] != heading and best > 0 and score(sentences[j]) >= 0.8 * best:
            a, b = sorted((i, j))
            return sentences[a] + sentences[b]
    if money and not AMOUNT_IN_TEXT.search(sentences[i]):
        with_amount = [k for k in range(len(sentences)) if AMOUNT_IN_TEXT.search(sentences[k])]
        if with_amount:  # "种粮大户补贴多少": the mechanism sentence and the amount sentence
            j = max(with_amount, key=lambda k: score(sentences[k]))
            a, b = sorted((i, j))
            return sentences[a] + ("" if b == a + 1 else "……") + sentences[b]
    return sentences[i]


def _clear_winner(scores: list[float]) -> bool:
    """One sentence scores at least half as well again as every other one."""
    ranked = sorted(scores, reverse=True)
    return bool(ranked) and ranked[0] > 0 and (len(ranked) == 1 or ranked[0] >= 1.5 * ranked[1])


def unfigured_subject(corpus: Corpus, question: str, clause: Clause, kinds: set[str]) -> str | None:
    """The sentence of the clause that names what the question is about, when it states no figure of the asked
    kinds and every sentence that does names much less of the question (under half its idf-weighted terms):
    "生猪价格指数保险保费补贴几成" against a clause that lists that insurance among others and states a 1% rate
    for something else. The clause names the asker's subject but gives no figure for it."""
    terms = expanded_terms(corpus, question)
    idf, top = corpus.lexical.idf, corpus.lexical.idf_max
    heading = (clause.heading + "。") if clause.heading else None

    def score(s: str) -> float:
        return sum(idf.get(t, top) for t in terms if t in s)

    def figured(s: str) -> bool:
        return any(st.kind in kinds for st in statements(s)) or bool(find_enumerations(s))

    sentences = [s for s in split_sentences(clause.text) if s != heading]
    if not sentences:
        return None
    k = max(range(len(sentences)), key=lambda j: score(sentences[j]))
    subject, best = sentences[k], score(sentences[k])
    if best <= 0 or figured(subject):
        return None
    if k + 1 < len(sentences) and figured(sentences[k + 1]) and score(sentences[k + 1]) > 0:
        return None  # "落实…种粮动态补贴机制。在省财政补贴基础上,…每亩分别增加15元…": the next sentence gives its figures
    # a sentence with a figure that names only part of what the subject's sentence names (in the asker's own words,
    # not their synonyms) is a sibling's ("海铁联运…200元/标箱" beside "经嘉兴港至宁波舟山港的海河联运集装箱补助政策",
    # asked of 海河联运 from 嘉兴港)
    # (or that lacks a name of three characters or more that the question and the subject share — 海河联运 —, however
    # many of the asker's other words it holds: 集装箱, 标箱)
    own = [t.lstrip("#") for t in query_terms(corpus, question)]
    named = {t for t in own if t in subject}
    names = {t for t in named if len(t) >= 3 and CJK.match(t)}
    if any(figured(s) and score(s) >= 0.5 * best and not {t for t in own if t in s} < named
           and all(t in s for t in names) for s in sentences):
        return None
    return subject


# --------------------------------------------------------------------------------------------- composing


def citation_of(clause: Clause, quote: str) -> Citation:
    return Citation(doc_no=clause.doc_no, doc_title=clause.doc_title, clause=clause.path, heading=clause.heading,
                    quote=quote, clause_id=clause.id)


def clause_warnings(corpus: Corpus, clauses: list[Clause], today: dt.date) -> list[str]:
    """Validity of every cited document that is not plainly in force, and data-quality notes; each once."""
    out: list[str] = []
    for c in clauses:
        status, sentence = validity_status(corpus.document_of(c), today)
        if status in ("expired", "not_yet") or (status == "valid" and "距到期" in sentence):
            out.append(sentence)
        out.extend(c.notes)
    return list(dict.fromkeys(out))


CAP_CLAIMED = re.compile(r"(?:上限|封顶|最高|最多|顶多|不超过)\s*(?:是|为|补|给)?\s*\d")  # "每家封顶1000万"
# what the asker heard or remembers, to be confirmed ("我记得是按20%补", "网传每家补650万")
HEARD = r"听说|听人说|有人说|据说|网传|网上说|记得|以为|印象中|好像是|是不是|是否"
CLAIM_TAIL = re.compile(r"\s*(的|呢)?\s*(是|对|真的)?\s*(吗|嘛|吧|对吗|是吗|对吧|对不对|是不是|真的吗|没错吧|是这样吗|是真的吗)"
                        r"\s*[?？!！。]*\s*")


# a count the asker states ("50家", "2万根"): a figure with the classifier the gazette counts in
COUNT_WORD = r"(?:家|个|台|辆|根|名|艘|套|场|项|所|户|人次|人)"
COUNT_IN_QUESTION = re.compile(rf"\d+(?:\.\d+)?\s*万?\s*{COUNT_WORD}")


def _claimed_amounts(question: str) -> list[str]:
    """Amounts the asker claims and asks to confirm: the yes/no must belong to the amount's own phrase or the
    phrase right after it ("小巨人奖励1000万元，对吗" yes; "A档1500万，还能上浮吗" no — that asks about 上浮)."""
    parts = [p for p in re.split(r"[，,；;。？?!！、]", question) if p.strip()]
    claimed = []
    for i, part in enumerate(parts):
        nxt = parts[i + 1].strip() if i + 1 < len(parts) else ""
        # the next phrase is only a yes/no about this one: "…60%以上，这个数准吗", "…300万，对吗"
        tail_only = bool(CLAIM_TAIL.fullmatch(nxt)) or bool(re.fullmatch(r"(这个数|这个|这|数字|数)?(是|对|真的|准|靠谱)?(吗|对吗|是吗|对不对|是不是|真的吗|没错吧|"
                                      r"是这样吗|准不准|对么)[?？]*", nxt))
        for m in MONEY_IN_QUESTION.finditer(part):
            rest = part[m.end():]
            if re.match(rf"\s*{COUNT_WORD}", rest):
                continue  # "2万根": a count, not money
            # "1000万元，对吗" / "500元吗": the amount is what is asked about; "投入3000万有补助吗": it is the asker's
            # own figure, and the question is whether there is an award at all
            if CLAIM_TAIL.fullmatch(rest) or tail_only or re.search(HEARD, part[: m.start()]):
                claimed.append(m.group(1) + ("万元" if m.group(2) == "万" else "亿元" if m.group(2) == "亿" else m.group(2)))
        if tail_only or re.search(r"(听说|讲|说|是不是|是否)", part):  # a count the asker heard: "听说要建50家…，对不对"
            claimed += [m.group(0).replace(" ", "") for m in COUNT_IN_QUESTION.finditer(arabic_figures(part))]
    counted = {re.match(r"[\d.]+万?", c).group(0) for c in claimed if not c.endswith("元")}
    # "只做17万人…真的只有17万": the bare figure is the count said again, not money
    return list(dict.fromkeys(c for c in claimed if not (c.endswith("万元") and c[:-1] in counted)))


def everyday_named(question: str) -> list[str]:
    """The gazette's category names the question says in everyday words (the rule file's `everyday_names` and its
    matching industries: "批发零售", "超市" name 批零贸易): a list item that says the category is the asker's."""
    from .calculator.rules import default_book
    from .matching.vocabulary import vocabulary

    book = default_book()
    found = [c for c in book.everyday_names if book.says_everyday(question, c)]
    # (an industry's pattern only for those categories: 制造业's "厂" is every factory owner's word, no list item)
    found += [n.name for n in vocabulary().industries if n.name in book.everyday_names and re.search(n.pattern, question)]
    return [c for c in dict.fromkeys(found) if c not in question]


def _near_words(corpus: Corpus, question: str) -> str:
    """The gazette's words nearest in meaning to the question's words it never uses ("新式" → 新型), for naming the
    asker's figure among a sentence's ("那种新式渔船建几艘": 3艘新型渔船, not the 150艘 renewed)."""
    soft, idf = corpus.soft, corpus.lexical.idf
    if soft is None:
        return ""
    near = [n for t in query_terms(corpus, question) if len(t) >= 2 and CJK.match(t) and t not in idf
            and soft.relatedness(t) >= MATCH and (n := soft.nearest(t)) and len(n) >= 2]
    return " " + " ".join(dict.fromkeys(near)) if near else ""


def names_category_in(question: str, text: str) -> bool:
    """The question names, in everyday words of the rule file, a category the text names ("批发零售" for its 批零贸易)."""
    from .calculator.rules import default_book

    book = default_book()
    return any(c in text and book.says_everyday(question, c) for c in everyday_named(question))


def _aligned_answer(enum: Enumeration, idx: list[int]) -> tuple[str, list[str]]:
    word = enum.word or ""
    parts = [f"{enum.labels[i]}：{enum.per}{enum.amounts[i]}{word}" for i in idx]
    return "；".join(parts), [enum.amounts[i] for i in idx]


# who leads: "哪个部门牵头", "谁带头"; and the convention of Chinese government documents that says it of a list of
# responsible units ("列第一位的为牵头单位")
LEAD_ASKED = re.compile(r"牵头|带头|主抓|领头")
LEAD_NOTE = re.compile(r"列(?:第一|首)位的?(?:单位)?为牵头(?:单位|部门)")


def lead_note(corpus: Corpus, clause: Clause) -> tuple[Clause, str] | None:
    """The clause of the same document that says its first-listed responsible unit leads, and that sentence."""
    for c in corpus.document_of(clause).clauses:
        if (m := LEAD_NOTE.search(c.text)) is not None:
            return c, m.group(0)
    return None


# money asked as a sum received ("能拿多少钱", "奖几十万", "补多少"), not a target ("亩均税收目标是多少")
GRANT_MONEY_Q = re.compile(r"(?:拿|领|奖|补|给|发|资助)[^，,。？?；;]{0,4}(?:多少|几)")


# a question for a time: "最晚啥时候建好", "到哪一年", "deadline是哪年"
WHEN_Q = re.compile(r"什么时候|啥时候|何时|几时|哪年|哪一年|最晚|最迟|deadline")
TIME_PHRASE = re.compile(r"(?:到|至|于)?\s*20\d\d\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:底前|底|末|前|以前|上半年|下半年)?")


def _when(corpus: Corpus, terms: list[str], sentence: str) -> tuple[str, list[str]]:
    """The piece of the sentence (between commas) that states a time and shares the most with the question —
    "2027年底前完成…化工园区配套化工废水集中处理设施建设", not "2024年完成…污水处理厂建设" — with that time; ("", [])
    when no piece states one or two tie."""
    idf, top = corpus.lexical.idf, corpus.lexical.idf_max
    pieces = [p.strip() for p in re.split(r"[,，;；。]", sentence) if TIME_PHRASE.search(p)]
    scored = [(sum(idf.get(t, top) for t in terms if len(t) >= 2 and t in p.lower()), p) for p in pieces]
    best = max((sc for sc, _ in scored), default=0.0)
    chosen = [p for sc, p in scored if sc == best]
    if best <= 0 or len(chosen) != 1:
        return "", []
    return chosen[0], [TIME_PHRASE.search(chosen[0]).group(0).strip()]


def _barred(st) -> bool:
    """The statement's figure is a bar to reach: 不低于/超过/达到 right before it."""
    return bool(THRESHOLD_MARK.search(st.phrase[:max(0, st.phrase.find(st.figure))]))


RATE_IN = re.compile(r"\d\s*%|百分|[一二三四五六七八九]成|[一二三四五六七八九]折|\d\s*:\s*\d")


def compose_single(corpus: Corpus, question: str, clause: Clause, today: dt.date, own: str = "") -> Composed:
    """`own`: a follow-up's own words, when `question` is it read with the question before it."""
    # the category the asker names in everyday words ("批发零售") chooses the sentence that names it (批零贸易)
    terms = expanded_terms(corpus, question) + everyday_named(question)
    focus = frozenset(expanded_terms(corpus, own)) if own else frozenset()
    sentence = best_sentence(corpus, terms, clause, question, focus)
    direct, amounts = "", []
    # several lists in the sentence ("灯塔工厂…分别给予…;国家智能制造示范企业和…分别给予…"): the list whose aligned
    # item shares the most with the question answers, not the first one that aligns at all
    aligned = [(enum, idx) for enum in find_enumerations(sentence) if (idx := align(enum, question, clause.heading))]
    # (words, not figures: "20万奖励" shares 0万 with a threshold 5000万元 and says nothing of which list)
    qb = {b for b in _bigrams(normalize_query(question + "".join(everyday_named(question))))
          if not any(ch.isdigit() for ch in b)}
    if aligned:
        enum, idx = max(aligned, key=lambda a: max((len(_bigrams(normalize_query(a[0].cores[i])) & qb),
                                                    len(_bigrams(normalize_query(a[0].labels[i])) & qb)) for i in a[1]))
        direct, amounts = _aligned_answer(enum, idx)
        if wanted_kinds(question) == {"percent", "ratio"} and not RATE_IN.search(direct):
            # "国内首台套的保险保费补多少比例": the item's award (150万元) is no rate; the sentence's rate answers
            direct, amounts = "", []
    if not direct and not AMOUNT_IN_TEXT.search(sentence):
        for other in split_sentences(clause.text):  # the aligned item may sit in another sentence
            for enum in find_enumerations(other):
                idx = align(enum, question, clause.heading)
                if idx and len(idx) < len(enum.cores):
                    sentence = other
                    direct, amounts = _aligned_answer(enum, idx)
                    break
            if direct:
                break
    claimed = _claimed_amounts(question)
    stated = direct  # what a yes/no answer names: the figure first
    if not direct and (claimed or asks_value(question)):  # not an enumeration: the figure of the asker's item
        idf, top = corpus.lexical.idf, corpus.lexical.idf_max

        def weight(b: str) -> float:
            return idf.get("#" + b, top)

        # the thresholds of a 分别 list ("首次超过20亿元、10亿元、5亿元的…分别给予…") are conditions, never the award
        enums = find_enumerations(sentence)
        bars = {c for enum in enums for c in enum.cores if AMOUNT_RE.fullmatch(c)}
        candidates = [st for st in statements(sentence) if st.figure not in bars]
        tiers = [enum for enum in enums if all(AMOUNT_RE.fullmatch(c) for c in enum.cores)]
        asks_threshold = bool(THRESHOLD_Q.search(normalize_query(question)))
        if GRANT_MONEY_Q.search(normalize_query(question)) and not asks_threshold:
            # money asked of a grant: a sum stated as a bar to reach ("年产值超10亿元的产业链") is no grant
            candidates = [st for st in candidates if st.kind != "money" or not _barred(st)]
        threshold = asks_threshold and not tiers
        if threshold:  # "投资要多少以上才够格": the figure a project must reach ("不低于2000万元的…"), not its award
            bar = [st for st in statements(sentence) if _barred(st)]
            candidates = bar or candidates
        chosen = pick_each(question + _near_words(corpus, question), candidates, weight=weight)
        if threshold and not chosen and len({st.figure for st in candidates}) == 1:
            chosen = candidates[:1]
        if (named_part := PART_NAMED.search(normalize_query(question))) is not None:
            # "教育科技人才…那笔钱里，人才那部分": the part named right before 那部分, not the total's name
            chosen = pick(named_part.group(1) + "多少", candidates, weight=weight) or chosen
        if chosen and CAP_CLAIMED.search(arabic_figures(question)) and not any(CAP.search(st.phrase) for st in chosen):
            # "按20%补、封顶1000万对吧": the cap the asker names is asked too — the sentence's cap beside the rate
            chosen += [st for st in statements(sentence) if st.kind == "money" and CAP.search(st.phrase)][:1]
        if tiers and asks_threshold and wanted_kinds(question) != {"percent", "ratio"}:
            chosen = []  # "门槛多少": every bracket of the asker's list is a threshold, said with its award
        if not chosen and tiers and (MONEY_INTENT.search(question) or asks_threshold):
            # a bracket the list does not have ("批零…超过1亿元奖多少"): every bracket of the asker's list, with its award
            enum = max(tiers, key=lambda e: len(_bigrams(normalize_query(e.labels[0])) & qb))
            direct, amounts = _aligned_answer(enum, list(range(len(enum.cores))))
        if chosen:
            direct = "；".join(dict.fromkeys(st.subject.strip(" ,，;；。") for st in chosen))
            amounts = [st.figure for st in chosen]
            stated = f"{'、'.join(dict.fromkeys(st.figure for st in chosen))}（{direct}）"
    if not direct and WHEN_Q.search(normalize_query(question)):
        direct, amounts = _when(corpus, terms, sentence)
    lines = []
    units = sentence_units(clause.text, sentence)  # a clause that names units part by part: the quoted part's
    whose = clause.citation + ("" if units == clause.responsible_units else "中这项工作")
    lead = lead_note(corpus, clause) if LEAD_ASKED.search(question) and units else None
    if lead is not None:  # "哪个部门牵头": the document says which listed unit leads
        where = "" if lead[0].id == clause.id else f"，见{lead[0].citation}"
        lines.append(f"{whose}的牵头单位是{units[0]}（原文注明“{lead[1]}”{where}），责任单位是{'、'.join(units)}。")
    elif RESPONSIBLE_INTENT.search(question) and units:
        lines.append(f"{whose}的责任单位是{'、'.join(units)}。")
    if direct and claimed and YES_NO_RE.search(question):
        if any(c in amounts for c in claimed):
            lines.append(f"是的，原文规定的是{stated}。")
        else:
            lines.append(f"不对。原文规定的是{stated}，不是{'、'.join(claimed)}。")
    elif direct:
        lines.append(f"{direct}。" if not direct.endswith("。") else direct)
    elif claimed and (in_sentence := list(dict.fromkeys(AMOUNT_RE.findall(sentence)))):
        # nothing names the asker's item: a claim is confirmed only when the sentence states that one amount
        if len(in_sentence) == 1 and claimed[0] == in_sentence[0]:
            lines.append(f"是的，原文规定的是{in_sentence[0]}。")
        elif len(in_sentence) == 1:
            lines.append(f"不对。原文规定的是{in_sentence[0]}，不是{'、'.join(claimed)}。")
        else:
            what = "金额" if all(c.endswith("元") for c in claimed) else "数值"  # (80% is no 金额)
            lines.append(f"原文对不同对象规定了不同{what}，无法确认{'、'.join(claimed)}是否就是您问的那一项，请对照原文。")
        amounts = in_sentence
    quote = sentence.strip()
    lines.append(f"原文：“{quote}”")
    lines.append(f"——{clause.citation}" + (f"（{clause.heading}）" if clause.heading else ""))
    if units:
        lines.append("责任单位：" + "、".join(units))
    warnings = clause_warnings(corpus, [clause], today)
    text = "\n".join(lines + warnings)
    cites = [citation_of(clause, quote)] + ([citation_of(lead[0], lead[1])] if lead and lead[0].id != clause.id else [])
    return Composed(text, cites, warnings, amounts, direct)


def compose_list(corpus: Corpus, question: str, clauses: list[Clause], today: dt.date) -> Composed:
    terms = expanded_terms(corpus, question)
    lines = ["本期公报中有以下相关条款："]
    cites = []
    for n, c in enumerate(clauses, 1):
        s = best_sentence(corpus, terms, c, question).strip()
        lines.append(f"{n}. 【{c.citation}】{c.heading + '：' if c.heading else ''}“{s}”")
        cites.append(citation_of(c, s))
    warnings = clause_warnings(corpus, clauses, today)
    return Composed("\n".join(lines + warnings), cites, warnings, [])


def compose_clause_quote(corpus: Corpus, clauses: list[Clause], today: dt.date, header: str = "") -> Composed:
    """A looked-up clause, quoted in full (citation route)."""
    lines = [header] if header else []
    cites = []
    for c in clauses:
        lines.append(f"【{c.citation}】{c.heading}")
        lines.append(c.text)
        if c.responsible_units:
            lines.append("责任单位：" + "、".join(c.responsible_units))
        cites.append(citation_of(c, c.text))
    warnings = clause_warnings(corpus, clauses, today)
    return Composed("\n".join(lines + warnings), cites, warnings, [])
