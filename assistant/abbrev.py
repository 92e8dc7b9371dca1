"""Abbreviations people make of the gazette's terms: 长护险 for 长期护理保险, 高企 for 高新技术企业.

Chinese shortens a compound by keeping, in order, the first character of some of its words (the last one may keep
its last character instead): 长期|护理|保险 -> 长护险, 高新技术|企业 -> 高企. A word of a question that neither the
corpus nor the general dictionary knows is looked for as such an abbreviation in the corpus text: a span that starts
with its first character, holds the others in order (each beginning a word, the last one beginning or ending one) and
stays within one phrase. When exactly one such term is found, the question is read with it; when none or several
are, nothing is assumed. Nothing is listed by hand.
"""

from __future__ import annotations

import re

MAX_SPAN = 10  # characters a term may span
MODALS = frozenset("能可会要想该得敢肯愿")  # Chinese auxiliary verbs (a closed class)
PUNCT = re.compile(r"[,，。;；:：、()（）“”\"'\s]")


def _spans(text: str, abbr: str) -> set[str]:
    out = set()
    for i in (m.start() for m in re.finditer(re.escape(abbr[0]), text)):
        window = PUNCT.split(text[i:i + MAX_SPAN + 4])[0]
        pos, k = [0], 1
        for j in range(1, len(window)):
            if k < len(abbr) and window[j] == abbr[k]:
                pos.append(j)
                k += 1
        if k == len(abbr):
            out.add(window[: pos[-1] + 1] + "\0" + ",".join(map(str, pos)) + "\0" + window)
    return out


def _resolve(corpus, abbr: str) -> str | None:
    """The one corpus term the abbreviation stands for (None when none or several fit), remembered per corpus."""
    known = corpus.derived("abbreviations", dict)
    if abbr not in known:
        known[abbr] = _find(corpus, abbr)
    return known[abbr]


def _find(corpus, abbr: str) -> str | None:
    found = set()
    for raw in _spans(corpus.abbrev_text, abbr):
        head, positions, window = raw.split("\0")
        pos = [int(x) for x in positions.split(",")]
        starts, ends, at = set(), set(), 0
        spans = []  # the positions of each word of the window's own segmentation
        for w in corpus.tokenizer.segment(window):  # a corpus term's own words count too (高新|技术|企业)
            spans.append(range(at, at + len(w)))
            inner = [p for p in corpus.tokenizer.subwords(w) if len(p) > 1]
            for k in range(len(w)):
                if k == 0 or any(w[k:].startswith(p) for p in inner):
                    starts.add(at + k)
            at += len(w)
            ends.add(at - 1)
        last_ok = pos[-1] in starts or (len(abbr) >= 3 and pos[-1] in ends)  # 长护险; a 2-character one: 高企
        if any(p not in starts for p in pos[:-1]) or not last_ok:
            continue
        one_word = any(pos[0] in r and pos[1] in r for r in spans)  # 高新技术企业 is one word: 高企 takes its ends
        if len(abbr) == 2 and not one_word and any(pos[0] < p < pos[1] for p in starts):
            continue  # two characters head two neighbouring words: "人发" would skip 服务|机构 of 人力资源…发展
        last_end = min((e for e in ends if e >= pos[-1]), default=len(window) - 1)
        term = window[: last_end + 1]
        parts = corpus.tokenizer.segment(term)
        if len(term) > len(abbr) and all(len(p) >= 2 for p in parts):  # a compound of words: 长期|护理|保险
            found.add(term)
    return found.pop() if len(found) == 1 else None


def expand(corpus, question: str) -> list[tuple[str, str]]:
    """(abbreviation, term) for each word of the question that is an abbreviation of exactly one corpus term."""
    lex, known = corpus.lexical, corpus.known_words

    def fits(w: str) -> bool:
        if len(w) == 2 and w[0] in MODALS:  # "能领", "可报": an auxiliary verb before a verb, not a shortened term
            return False
        return (re.fullmatch(r"[\u4e00-\u9fff]{2,4}", w) is not None and w not in lex.idf and w not in known
                and w not in corpus.abbrev_text and not corpus.tokenizer.frequency(w))  # not a real word

    out = []
    for word in dict.fromkeys(corpus.tokenizer.segment(question)):
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,6}", word) or word in lex.idf or word in known:
            continue
        if corpus.tokenizer.frequency(word):
            continue  # a dictionary word ("科技进步") is no glued word: its pieces (科技进) are not the asker's
        # jieba may glue a character on ("办长护险"): the word, then its pieces, longest first
        pieces = [word] if len(word) <= 4 else []
        pieces += [word[i:i + n] for n in range(min(4, len(word)), 2, -1) for i in range(len(word) - n + 1)
                   if word[i:i + n] != word]  # a piece of a glued word has three characters at least
        for w in pieces:
            if fits(w) and (term := _resolve(corpus, w)):
                out.append((w, term))
                break
    return out
