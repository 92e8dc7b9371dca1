"""Homophone typos: one character typed for another that sounds the same — 智惠 for 智慧, 以旧换心 for 以旧换新,
加装电题 for 加装电梯, 首板次 for 首版次 (pinyin input methods make exactly this mistake).

A stretch of the question (2 to 4 characters) that is no word of its own (not in the thesaurus's word list, rare in
jieba's dictionary, absent from the gazette) is read as the gazette's word that differs from it in exactly one
character, when that character is pronounced the same (toneless pinyin) and only one word fits. The candidates come
from the gazette's own words; the readings come from pypinyin, kept in a cached table (no import on a request).
"""

from __future__ import annotations

import functools
import re

RARE = 50  # jieba frequency under which a string counts as no word of its own (换心 is 4, 公式 1158)
# Chinese function characters (particles, the copula, modals, negations, prepositions, complements, 时 of "…的时候"):
# a closed class.
# A short stretch that holds one is words of grammar, not a mistyped term ("我是" is no 我市, "能奖" no 能降, "文旅有啥"
# no 旅游); a numeral is typed on purpose ("十级伤残" is no 市级). Four characters (以就换新) are evidence enough.
FUNCTION = frozenset("的了是有在和与及或对为把被从向于也都还不没吗呢吧啊伐哈嘛呀哦能可会要想该得让给由到着过很就又才时")
NUMERALS = frozenset("一二三四五六七八九十百千万亿两零几")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _patterns(corpus) -> dict[str, set[str]]:
    """'以旧换_' -> {'以旧换新'}: every corpus word of 2-4 characters with one character left open; once per corpus."""
    return corpus.derived("homophone-patterns", lambda: _build(corpus))


def _build(corpus) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for w in corpus.lexical.idf:
        if 2 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w):
            for p in range(len(w)):
                out.setdefault(w[:p] + "_" + w[p + 1:], set()).add(w)
    return out


@functools.lru_cache(maxsize=1)
def _readings() -> dict[str, str]:
    """Every character of the CJK block with its usual reading (toneless): rare readings of polyphones (还: fu) would
    make false homophones. Built once from pypinyin (0.3 s of import) into the cache, then read as JSON."""
    import hashlib
    import importlib.util
    import os

    from .cachedir import cached_json, default_cache_dir

    spec = importlib.util.find_spec("pypinyin")  # the installed package's identity, without importing it
    if spec is None or not spec.origin:
        return {}
    st = os.stat(spec.origin)
    key = hashlib.sha256(f"{spec.origin}:{st.st_size}:{int(st.st_mtime)}".encode()).hexdigest()[:12]

    def build() -> dict[str, str]:
        from pypinyin import lazy_pinyin

        chars = [chr(c) for c in range(0x4E00, 0xA000)]
        return dict(zip(chars, lazy_pinyin(chars)))

    return cached_json(default_cache_dir().parent / f"pinyin-{key}.json", build)


def _pinyin(ch: str) -> set[str]:
    reading = _readings().get(ch)
    return {reading} if reading else set()


def misspells(word: str, text: str) -> bool:
    """The text holds the word (three characters or more) with one character typed for another that sounds the same:
    "公基金" for 公积金. The readings are looked up only where the rest of the word stands as written."""
    if len(word) < 3:
        return False
    for p in range(len(word)):
        around = f"(?={re.escape(word[:p])}(.){re.escape(word[p + 1:])})"
        if any(m.group(1) != word[p] and _pinyin(m.group(1)) & _pinyin(word[p])
               for m in re.finditer(around, text, re.DOTALL)):
            return True
    return False


def _phrase_fits(corpus, s: str) -> set[tuple[str, int]]:
    """Characters that differ in one from a phrase of the gazette made of its indexed words side by side: four
    anywhere in its text ("技能人才" is 技能 + 人才; "嘉兴市积" of 嘉兴市积极 is no phrase), three only where whole words
    of its segmentation stand side by side ("充电桩" is 充电 + 桩; 鼓励高校 is 鼓励 + 高校, so "鼓励高" is no phrase) and
    the character read is no function character ("比例补" is no 比例不): (phrase, position of the differing one)."""
    grams = corpus.derived(f"homophone-grams-{len(s)}", lambda: _grams(corpus, len(s)))
    idf = corpus.lexical.idf
    out = set()
    for p in range(len(s)):
        for w in grams.get(s[:p] + "_" + s[p + 1:], ()):
            if w != s and all(piece in idf for piece in corpus.tokenizer.segment(w)) and (
                    len(s) == 4 or w[p] not in FUNCTION):
                out.add((w, p))
    return out


def _grams(corpus, n: int) -> dict[str, set[str]]:
    """'技能人_' -> {'技能人才'}: every four characters of the gazette's text, or every three that begin and end at
    word boundaries of its segmentation, with one left open."""
    out: dict[str, set[str]] = {}
    grams = ([run[i:i + 4] for run in CJK_RUN.findall(corpus.abbrev_text) for i in range(len(run) - 3)] if n == 4
             else _word_phrases(corpus, n))
    for g in grams:
        for p in range(n):
            out.setdefault(g[:p] + "_" + g[p + 1:], set()).add(g)
    return out


def _word_phrases(corpus, n: int) -> list[str]:
    """The gazette's `n`-character stretches of whole words side by side; segmenting the text takes 0.5 s, so the
    list is cached on disk, keyed by the text and the segmenter."""
    import hashlib

    import jieba

    from .cachedir import cached_json, default_cache_dir

    tokenizer = corpus.tokenizer
    key = hashlib.sha256(repr((corpus.abbrev_text, tokenizer._terms, jieba.__version__, n)).encode()).hexdigest()[:16]

    def build() -> list[str]:
        words = tokenizer.segment(corpus.abbrev_text)
        return sorted({g for i in range(len(words)) for j in range(i + 1, min(i + n, len(words)) + 1)
                       if len(g := "".join(words[i:j])) == n and CJK_RUN.fullmatch(g)})

    return cached_json(default_cache_dir().parent / f"phrases{n}-{key}.json", build)


def _plain(s: str, p: int) -> bool:
    """A stretch of two or three characters may hold a typo at `p`: no numeral there, and no function character —
    but the one read, in the middle of three ("残及人" is 残疾人: 及 stands between two characters of one word)."""
    if s[p] in NUMERALS:
        return False
    grammar = FUNCTION & set(s)
    return not grammar or len(s) == 3 and p == 1 and grammar == {s[1]}


def respell(corpus, question: str) -> str:
    """The question with homophone typos written as the gazette's words (unchanged when none is sure)."""
    try:
        patterns = _patterns(corpus)
    except Exception:  # no lexical index: nothing to compare with
        return question
    text, known = corpus.abbrev_text, corpus.known_words
    bounds, at = {0}, 0  # a typo is a whole word or words of the question's own segmentation, never across one
    glued: list[tuple[int, int]] = []
    for w in corpus.tokenizer.segment(question):
        if 3 <= len(w) <= 6 and w not in text and w not in known and not re.search(r"[几哪啥谁不没吗呢多]", w) and not any(
                w[i:j] in known or corpus.tokenizer.frequency(w[i:j]) >= RARE
                for i in range(len(w)) for j in range(i + 2, len(w) + 1)):
            # a glued word with no real word inside ("冲电桩"): its pieces may be the typo ("冲电" for 充电);
            # "升级成" holds 升级, and 级成 spans two words; "开食材" holds 食材 (a word of the segmenter's dictionary,
            # if not of the thesaurus); "发不发", "打几折" hold a question (A不A, 几)
            bounds.update(range(at + 1, at + len(w)))
            glued.append((at, at + len(w)))
        at += len(w)
        bounds.add(at)
    fixes: list[tuple[int, int, str]] = []
    for run in CJK_RUN.finditer(question):
        i = run.start()
        while i < run.end() - 1:
            done = False
            for size in (4, 3, 2):
                s = question[i:i + size]
                if (len(s) < size or i + size > run.end() or i not in bounds or i + size not in bounds or s in text
                        or s in known):
                    continue
                fits = {(w, p) for p in range(size) for w in patterns.get(s[:p] + "_" + s[p + 1:], ())
                        if w != s and w[p] != s[p] and (size == 4 or _plain(s, p))}
                if not fits and (size == 4 or size == 3 and not FUNCTION & set(s)):
                    fits = _phrase_fits(corpus, s)  # the gazette's words side by side (技能人材 → 技能人才)
                if not fits or corpus.tokenizer.frequency(s) >= RARE:  # the dictionary lookup only for a candidate
                    continue
                sounding = {(w, p) for w, p in fits if _pinyin(w[p]) & _pinyin(s[p])}
                # a piece of a glued word is read so only when the whole glued word, so read, is the gazette's
                # ("冲电桩" → 充电桩; "开食材" is no 开始材)
                sounding = {(w, p) for w, p in sounding if all(
                    question[a:i] + w + question[i + size:b] in text for a, b in glued
                    if a <= i and i + size <= b and (a, b) != (i, i + size))}
                if len({w for w, _ in sounding}) == 1:
                    fixes.append((i, i + size, next(iter(sounding))[0]))
                    i += size
                    done = True
                    break
            if not done:
                i += 1
    for start, end, word in reversed(fixes):
        question = question[:start] + word + question[end:]
    return question
