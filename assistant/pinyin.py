"""Pinyin typed in place of characters: "首台tao" for 首台套, "nongye农村" for 农业农村.

A run of Latin letters that splits wholly into pinyin syllables is read as the corpus word it spells: one whose
characters continue the Chinese just before it (首台 + tao -> 首台套), else one whose whole pinyin it is (nongye -> 农业).
Only a word that is the single fit is used; English words (smart, high-tech, thx) do not split into syllables and
are left alone. The pinyin of characters comes from pypinyin (MIT), imported only for a question with Latin letters.
"""

from __future__ import annotations

import re

LATIN = re.compile(r"[A-Za-z]{2,}")
CITATION_WORDS = {"hao": "号", "tiao": "条", "kuan": "款", "xiang": "项", "dian": "点", "wen": "文", "di": "第"}
CITATION_AFTER = re.compile(r"(\d\s*)(hao|tiao|kuan|xiang|dian)(?![a-z])", re.IGNORECASE)  # 13hao, 24 tiao
CITATION_BEFORE = re.compile(r"(?<![a-z])(di)(\s*\d)", re.IGNORECASE)  # di 24
CJK_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,3}$")


def _index(corpus) -> tuple[dict[str, set[str]], frozenset[str]]:
    """The corpus's words by their pinyin, and the syllables they use; built once per corpus."""
    return corpus.derived("pinyin", lambda: _build(corpus))


def _build(corpus) -> tuple[dict[str, set[str]], frozenset[str]]:
    from pypinyin import lazy_pinyin

    from .citations import doc_no_parts
    from .router import CHINESE_PLACES, EVERYDAY_OFF_TOPICS

    by_pinyin: dict[str, set[str]] = {}
    syllables: set[str] = set()
    # the gazette's words, and those the router refuses by ("gongjijin" is 公积金, "hangzhou" 杭州: refused as such)
    # (and the words of asking that the index leaves out as stopwords: "shenqing" is 申请, "duoshao" 多少)
    words = [*corpus.lexical.idf, *EVERYDAY_OFF_TOPICS, *corpus.knowledge.off_topics, *CHINESE_PLACES,
             *(w for w in corpus.tokenizer.stopwords if len(w) >= 2)]
    # the prefixes of the documents' numbers ("jiazhengfa" for the 字 of 嘉政发〔2024〕10号): hotline staff type them
    words += [parts[0] for d in corpus.documents if (parts := doc_no_parts(d.doc_no or ""))]
    for w in dict.fromkeys(words):
        if re.fullmatch(r"[\u4e00-\u9fff]+", w):
            py = lazy_pinyin(w)
            syllables.update(py)
            by_pinyin.setdefault("".join(py), set()).add(w)
    return by_pinyin, frozenset(syllables)


def _text_readings(corpus) -> tuple[str, list[str]]:
    """The corpus's Chinese characters end to end, and each one's toneless pinyin; built once per corpus."""
    def build() -> tuple[str, list[str]]:
        from pypinyin import lazy_pinyin

        chars = "".join(re.findall(r"[\u4e00-\u9fff]+", corpus.abbrev_text))
        return chars, lazy_pinyin(chars)
    return corpus.derived("pinyin-text", build)


def _spelled_in_text(corpus, letters: str) -> str | None:
    """The one stretch of the corpus's text (two characters or more) whose pinyin the letters are
    ("renliziyuanfuwuquan" -> 人力资源服务券, a phrase no single word of the index spells); None if none or several."""
    chars, readings = _text_readings(corpus)
    found: set[str] = set()
    for i, first in enumerate(readings):
        if not letters.startswith(first):
            continue
        at, j = len(first), i + 1
        while at < len(letters) and j < len(readings) and letters.startswith(readings[j], at):
            at += len(readings[j])
            j += 1
        if at == len(letters) and j - i >= 2:
            found.add(chars[i:j])
            if len(found) > 1:
                return None
    return next(iter(found), None)


# pinyin words typed apart ("renliziyuan fuwu quan"): one phrase when every run is pinyin
PINYIN_PHRASE = re.compile(r"[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})+")


def _splits(run: str, syllables: frozenset[str]) -> bool:
    """Whether the letters split wholly into known syllables (nongye -> nong|ye)."""
    ok = [True] + [False] * len(run)
    for i in range(1, len(run) + 1):
        ok[i] = any(ok[j] and run[j:i] in syllables for j in range(max(0, i - 6), i))
    return ok[-1]


def respell(corpus, question: str) -> str:
    """The question with pinyin runs written as the corpus words they spell (unchanged when none is sure)."""
    if not LATIN.search(question):
        return question
    try:
        by_pinyin, syllables = _index(corpus)
    except ImportError:
        return question
    from pypinyin import lazy_pinyin

    # the words of a citation next to its numbers: "13hao", "di 24 tiao"
    question = CITATION_AFTER.sub(lambda m: m.group(1) + CITATION_WORDS[m.group(2).lower()], question)
    question = CITATION_BEFORE.sub(lambda m: CITATION_WORDS[m.group(1).lower()] + m.group(2), question)

    def phrase(m: re.Match) -> str:  # several pinyin words spelling one phrase of the gazette
        runs = m.group(0).lower().split()
        if not all(_splits(r, syllables) for r in runs):
            return m.group(0)
        return _spelled_in_text(corpus, "".join(runs)) or m.group(0)

    question = PINYIN_PHRASE.sub(phrase, question)
    out, last = [], 0
    for m in LATIN.finditer(question):
        run = m.group(0).lower()
        if not _splits(run, syllables):
            continue
        word = None
        if ctx := CJK_BEFORE.search(question[: m.start()]):  # 首台 + tao: a corpus word that goes on in pinyin
            for k in range(len(ctx.group(0)), 0, -1):
                head = ctx.group(0)[-k:]
                fits = {w for ws in by_pinyin.values() for w in ws
                        if w.startswith(head) and len(w) > k and "".join(lazy_pinyin(w[k:])) == run}
                if len(fits) == 1:
                    word = next(iter(fits))[k:]
                    break
        if word is None and len(by_pinyin.get(run, ())) == 1 and len(next(iter(by_pinyin[run]))) >= 2:
            word = next(iter(by_pinyin[run]))  # a whole word of two syllables at least: "wan" alone says nothing
        if word is None and not by_pinyin.get(run):  # no word of the index: a phrase of the text ("renliziyuan")
            word = _spelled_in_text(corpus, run)
        if word:
            out.append(question[last:m.start()] + word)
            last = m.end()
    return "".join(out) + question[last:] if out else question
