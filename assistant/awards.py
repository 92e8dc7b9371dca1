"""The award catalogue: every amount of money the gazette promises to someone, read from its own sentences.

An entry is (recipient, amount, clause, sentence): "省级绿色工厂和绿色园区 → 50万元" from an enumeration with 分别
(compose.find_enumerations), "对新认定的省重点实验室 → 200万元" from a sentence that gives one award (statements.py).
Nothing is typed by hand; tests/test_awards.py proves every entry's figures stand in its clause.

It answers what a retrieval score cannot: whether the gazette rewards the *level* a question names. "国家级节水型
企业奖励多少" finds the clause on 节水型企业 — which rewards only 省级 ones — and must be answered "本期公报没有规定
这项奖励", with the nearest real awards cited, not with the 省级 amount.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .compose import find_enumerations, split_sentences
from .statements import statements
from .textnorm import normalize_query
from .types import Clause

# levels and grades as Chinese administrations and award schemes write them (not a list of this gazette's items)
LEVEL = re.compile(r"国家级|国际|国内|省级|省内|市级|市内|县级|区级|镇级|乡级|村级|[A-D][类档]|[一二三四五六七八九]等奖|"
                   r"[一二三四五]星级?|[1-5]A级?")
AWARD_WORD = re.compile(r"奖励|补助|补贴|奖补|资助")


class Award(NamedTuple):
    clause_id: str
    recipient: str
    amount: str
    sentence: str


def clause_awards(clause: Clause) -> list[Award]:
    out: list[Award] = []
    for sentence in split_sentences(clause.text):
        enums = find_enumerations(sentence)
        for e in enums:
            for label, amount in zip(e.labels, e.amounts):
                out.append(Award(clause.id, label, e.per + amount, sentence))
        if enums:
            continue
        for st in statements(sentence):
            if st.kind == "money" and AWARD_WORD.search(st.phrase) and st.subject.startswith("对"):
                out.append(Award(clause.id, st.subject.strip(" ,，;；。"), st.figure, sentence))
    return out


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fff]", "", normalize_query(text))
    return {t[i:i + 2] for i in range(len(t) - 1)}


GENERIC = _bigrams("奖励补助补贴资助多少钱给予评上认定获得被评为能拿市里企业")


def missing_level(question: str, awards: list[Award]) -> tuple[str, list[Award]] | None:
    """(the level asked for, the awards of the same recipient) when the question names a level that no award to
    that recipient has; None otherwise (no level named, no such recipient, or the level exists)."""
    q = normalize_query(question)
    levels = list(dict.fromkeys(LEVEL.findall(q)))
    if not levels:
        return None
    words = _bigrams(LEVEL.sub(" ", q)) - GENERIC
    named = {a.sentence for a in awards if len(words & (_bigrams(LEVEL.sub(" ", a.recipient)) - GENERIC)) >= 2}
    # the items of one enumeration belong together: "省科学技术奖…一等奖、二等奖、三等奖" names the prize once
    related = [a for a in awards if a.sentence in named]
    if not related:
        return None
    for level in levels:
        if not any(level in normalize_query(a.recipient) for a in related):
            return level, related
    return None
