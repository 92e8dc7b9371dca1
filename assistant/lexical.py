"""Chinese lexical retrieval: one jieba tokenizer for index and query, BM25 (Lucene variant, as bm25s) over clauses.

bm25s's own tokenizer and LangChain's BM25Retriever split only at whitespace/punctuation, which turns a whole
Chinese sentence into one token and silently ruins recall; everything here goes through `ChineseTokenizer`.
"""

from __future__ import annotations

from pathlib import Path

import math
import re
import statistics
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .textnorm import normalize_query

if TYPE_CHECKING:  # the cold `assistant lookup` indexes plain records (lookup_store.py): no pydantic
    from .types import Clause

# General Chinese, true of any policy text: how citizens say it -> how policy texts say it. A gazette's own words
# (种粮大户 -> 规模种粮) come from its data file (assistant/knowledge.py), as do the terms jieba must keep whole.
GENERAL_SYNONYMS = {
    "补贴": ("补助", "奖励"), "补助": ("补贴", "奖励"), "奖励": ("补助", "补贴"), "奖补": ("奖励", "补助"),
    "钱": ("奖励", "补助", "资金"), "老人": ("老年", "养老"), "养老": ("老年",), "看病": ("医疗", "医院"), "上学": ("教育",),
    "生孩子": ("生育", "育儿"), "房子": ("住房",), "找工作": ("就业",), "老年人": ("老年",), "到期": ("有效期",),
    "过期": ("有效期",), "失效": ("有效期",), "营收": ("营业收入", "主营业务收入"), "增长": ("增速", "增幅"),
    "任命": ("任",), "免职": ("免去",), "辞退": ("免去",),
    "原来": ("原",), "原先": ("原",),  # the written register's 原 (原司法鉴定机构: the one before)
}


def merge_synonyms(*tables: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for word, targets in table.items():
            out[word] = tuple(dict.fromkeys(out.get(word, ()) + tuple(targets)))
    return out


# General Chinese function words and question words (a gazette adds its own, e.g. its city's name).
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 对 有 为 把 被 从 向 于 等 中 其 之 以 将 也 就 都 而 并 且 这 那 个 一个 什么 哪些 哪个 多少 "
    "怎么 怎样 如何 吗 呢 吧 啊 呀 嘛 我 我们 你 你们 他 她 它 他们 请问 请 问 能 可以 是否 这个 那个 一下 关于 给 给予 "
    "要 会 可 能够 应该 想 想要 知道 告诉 有没有 有何 哪里 哪儿 谁 为什么 怎么办 情况 相关 方面 具体 规定 政策 文件 "
    "市 文 讲 说 写 条 款 项 号 第 里 上 下 内容 些 么 吗 呢 "
    "说法 市里 咱们 咱 我想 想 开个 搞个 搞 弄 咋 咋办 啥 什么样 怎么样 有没有 能不能 可不可以 一般 现在 目前 今年 "
    "需要 办理 申请 具体 明确 是不是 帮 帮我 看看 查查 查一下 了解 问一下 请教 听说 据说 真的 是真的 好像 对不对 "
    "还有 还 后 以后 之后 时候 什么时候 啥时候 措施 明年 后年 今后 将来 别的 没有 "
    "哪家 哪位 哪种 哪类 哪样 哪一个 哪一家 哪几个 哪几家 几个 几家 还是 或者 或是 要么 不能 能否 可否 不可以 "
    "俺 俺们 俺家 咱家 我家 我们家 你家 他家 她家 自家 人家 伐 哈 哦 噢 呗 咯 哇 嘞 咧 啦 呐 哟 "
    "那种 这种 那类 这类 那样 这样 那些 这些 "
    "这块 那块 一共 这事 这件事 此事".split()  # "农业农村这块一共多少", "这事归谁管": how it is said, not what about
)

FINAL_PARTICLE = re.compile(r"(?<=[\u4e00-\u9fff])(来着|[伐哈嘛呀哦咯嘞啦呐哟呗])(?=[?？。!！,，\s]|$)")
# how people open a question ("我想开个…", "请问一下", "想了解一下"): never part of what they ask about
CONVERSATIONAL = re.compile(r"(请问一下|请问|问一下|麻烦问一下)?(((我们|我|本人)(打算|准备)|(我们|我|本人)?(想问一下|想问|想了解一下|"
                            r"想了解|想咨询一下|想咨询|想要|想))(开|办|搞|做|成立)?(一个|一家|个|家)?)?")


def strip_opening(text: str) -> str:
    m = CONVERSATIONAL.match(text)
    return "，" + text[m.end():] if m and m.end() else text


_NUM_UNIT = re.compile(r"\d+(?:\.\d+)?(?:万元|亿元|元|万吨|万亩|万|亿|亩|吨|%|标箱|家|个|人|辆|台)")
_PAREN_CHAR = re.compile(r"[(（](\w)[)）]")  # 首台（套） -> 首台套, 分中心(分室) stays
_PUNCT_ONLY = re.compile(r"^[\W_]+$")


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def cjk_bigrams(text: str, stopwords: frozenset[str] = STOPWORDS) -> list[str]:
    out = []
    for run in _CJK_RUN.findall(text):
        out.extend("#" + run[i:i + 2] for i in range(len(run) - 1))  # "#" keeps bigrams apart from words
    return [b for b in out if b[1:] not in stopwords and b[1] not in "的了是在和与及或对把被从向于吗呢吧"]


def quoted_terms(texts: Iterable[str]) -> set[str]:
    """Terms the documents themselves put in quotes (“小巨人”, “灯塔工厂”, “551”)."""
    out = set()
    for text in texts:
        for term in re.findall(r"“([^”]{2,10})”", text):
            out.add(_PAREN_CHAR.sub(r"\1", term))
    return out


def _full_jieba(terms: Iterable[str]):
    """jieba's whole dictionary (349k words, ~0.6 s to load) with the corpus's terms added."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for term in terms:
        tk.add_word(term, freq=2_000_000)
    return tk


STORE_FORMAT = 1


class JiebaStore:
    """jieba's whole dictionary (498k entries with the corpus's terms) in an SQLite file, read per text instead of
    loaded whole: jieba only ever looks up substrings of the text it cuts, so fetching those (level by level: a
    substring is fetched only when its prefix is an entry) and cutting with that small mapping gives exactly the
    whole dictionary's segmentation. A cold process saves the ~0.6 s jieba spends loading its dictionary."""

    def __init__(self, terms: Sequence[str], cache_dir: Path) -> None:
        import hashlib
        import json

        import jieba

        key = hashlib.sha256(json.dumps([STORE_FORMAT, jieba.__version__, list(terms)],
                                        ensure_ascii=False).encode("utf-8")).hexdigest()[:20]
        self.terms, self.path = tuple(terms), cache_dir / f"jieba-{key}.sqlite3"
        self.total: int | None = None
        self._local = threading.local()
        self._lock = threading.Lock()

    def _db(self):
        import sqlite3

        con = getattr(self._local, "con", None)
        if con is None:
            if self.total is None:
                with self._lock:
                    if self.total is None:
                        self.total = self._open_or_build()
            con = self._local.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        return con

    def _open_or_build(self) -> int:
        import os
        import sqlite3
        import tempfile

        try:
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as con:
                return int(con.execute("SELECT v FROM meta WHERE k = 'total'").fetchone()[0])
        except (sqlite3.Error, TypeError, ValueError):
            pass  # absent or damaged: (re)build it
        full = _full_jieba(self.terms)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        os.close(fd)
        try:
            with sqlite3.connect(tmp) as con:
                con.execute("CREATE TABLE words (w TEXT PRIMARY KEY, f INTEGER) WITHOUT ROWID")
                con.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER)")
                con.executemany("INSERT INTO words VALUES (?, ?)", full.FREQ.items())
                con.execute("INSERT INTO meta VALUES ('total', ?)", (full.total,))
            os.replace(tmp, self.path)  # atomic: a reader sees no file or the whole file
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return full.total

    def tokenizer_for(self, text: str):
        """A jieba tokenizer whose dictionary is every entry of the whole one that is a substring of `text`."""
        import jieba

        con = self._db()
        found: dict[str, int] = {}
        candidates = set(text)
        size = 1
        while candidates:
            batch = list(candidates)
            for i in range(0, len(batch), 500):
                chunk = batch[i:i + 500]
                found.update(con.execute(f"SELECT w, f FROM words WHERE w IN ({','.join('?' * len(chunk))})", chunk))
            size += 1
            candidates = {text[i:i + size] for i in range(len(text) - size + 1) if text[i:i + size - 1] in found}
        tk = jieba.Tokenizer()
        tk.FREQ, tk.total, tk.initialized = found, self.total, True
        return tk


class ChineseTokenizer:
    """jieba in search mode with the corpus's own terms, Chinese stopwords, and number+unit tokens kept whole.

    With a `cache_dir`, jieba's dictionary is read from an SQLite copy per text (`JiebaStore`); without one (or if
    the store cannot be written) it is loaded whole. Both give the same tokens."""

    def __init__(self, extra_terms: Iterable[str] = (), cache_dir: Path | None = None, *, terms: Sequence[str] = (),
                 synonyms: dict[str, tuple[str, ...]] | None = None, stopwords: Iterable[str] = ()) -> None:
        """`terms`: the gazettes' declared terms (kept in order); `extra_terms`: derived ones (quoted terms, names);
        `synonyms`, `stopwords`: the gazettes' own, added to the general ones."""
        self._terms = tuple(terms) + tuple(sorted(set(extra_terms)))
        self.synonyms = merge_synonyms(GENERAL_SYNONYMS, synonyms or {})
        self.stopwords = STOPWORDS | frozenset(stopwords)
        self._store = JiebaStore(self._terms, cache_dir) if cache_dir is not None else None
        self._jieba = None
        self._lock = threading.Lock()

    def _tk(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._jieba = _full_jieba(self._terms)
        return self._jieba

    def _segmenter(self, text: str):
        if self._store is not None and self._jieba is None:
            try:
                return self._store.tokenizer_for(text)
            except Exception as exc:  # an unwritable or broken cache: a slower start, never another tokenization
                import logging

                logging.getLogger(__name__).warning("jieba dictionary store unavailable (%s): loading it whole", exc)
                self._store = None
        return self._tk()

    def prepare(self, text: str) -> str:
        return _PAREN_CHAR.sub(r"\1", normalize_query(text).lower())

    def _prepared(self, text: str, query: bool) -> str:
        """In a question, conversational openings are cut off first, so jieba cannot glue them to the subject
        ("我想开个托育机构" -> 想开/个托育)."""
        prepared = self.prepare(text)
        # a sentence-final particle (伐, 哈, 嘛, 来着…) says nothing of the subject: dropped, so jieba cannot glue it to
        # the word before ("回收点伐") nor count its characters ("充电桩来着")
        return FINAL_PARTICLE.sub(" ", strip_opening(prepared)) if query else prepared

    def frequency(self, word: str) -> int:
        """jieba's dictionary frequency of a word (0 when it is no entry): how common a word of its own it is."""
        return self._segmenter(word).FREQ.get(word) or 0

    def subwords(self, word: str) -> list[str]:
        """The dictionary words inside a word (search mode): 高新技术企业 -> 高新, 技术, 企业, 高新技术, 高新技术企业."""
        return self._segmenter(word).lcut_for_search(word)

    def segment(self, text: str) -> list[str]:
        """jieba's plain (accurate mode) cut of a text, with the corpus's terms: 长期护理保险 -> 长期|护理|保险."""
        return self._segmenter(text).lcut(text)

    def query_segment(self, text: str) -> list[str]:
        """`segment` of a question as `words(text, query=True)` reads it (its opening and final particles cut off)."""
        return self.segment(self._prepared(text, True))

    def words(self, text: str, query: bool = False) -> list[str]:
        """jieba words (search mode) and number+unit tokens, stopwords removed."""
        return self._words(self._prepared(text, query))

    def _words(self, text: str) -> list[str]:
        tokens = [m.group(0) for m in _NUM_UNIT.finditer(text)]
        for tok in self._segmenter(text).lcut_for_search(text):
            tok = tok.strip()
            if tok and tok not in self.stopwords and not _PUNCT_ONLY.match(tok):
                tokens.append(tok)
        return tokens

    def tokenize(self, text: str, query: bool = False) -> list[str]:
        """Words plus CJK character bigrams. The bigrams make recall independent of segmentation: where jieba
        splits a phrase oddly, the bigram 托育 still meets the clause's 普惠托育."""
        prepared = self._prepared(text, query)
        return self._words(prepared) + cjk_bigrams(prepared, self.stopwords)

    def query_tokens(self, text: str) -> list[str]:
        tokens = self.tokenize(text, query=True)
        expanded = list(tokens)
        synonyms = self.synonyms
        for tok in tokens:
            expanded.extend(synonyms.get(tok, ()))
            expanded.extend("#" + b for s in synonyms.get(tok, ()) for b in (s[i:i + 2] for i in range(len(s) - 1)))
        for phrase, extra in synonyms.items():  # multi-token phrases jieba may split ("种粮大户")
            if len(phrase) > 1 and phrase in text and phrase not in tokens:
                expanded.extend(extra)
        return expanded


def clause_search_text(clause: Clause) -> str:
    """What the lexical index sees: the clause with its document and section context, so a short item is
    never an orphan sentence. An appointment entry also gets its person, action and post as separate words
    ("许峰任…副局长" -> "许峰 任命 …副局长"), which jieba would otherwise glue together."""
    extra = ""
    if clause.level == "entry":
        from .fields import entry_fields

        fields = entry_fields(clause.text)
        if fields:
            people, act, post = fields
            extra = " ".join(people) + f" {'任命' if act != '免去' else '免去 免职'} {post} 职务"
    return " ".join(x for x in (clause.doc_no or "", clause.doc_title, clause.section_heading, clause.path,
                                clause.text, extra) if x)


TOKENS_FORMAT = 1  # raise when tokenization changes in a way the key below does not see


def _cached_tokens(clauses: Sequence[Clause], tokenizer: ChineseTokenizer, cache_dir: Path | None) -> list[list[str]]:
    """The clauses' tokens, from a cache keyed by everything that decides them (texts, the tokenizer's extra terms,
    stopwords, jieba's version): segmenting 270 clauses costs 0.7 s of every cold start."""
    texts = [clause_search_text(c) for c in clauses]
    if cache_dir is None:
        return [tokenizer.tokenize(t) for t in texts]
    import hashlib
    import json

    import jieba

    from .cachedir import cached_json

    key = hashlib.sha256(json.dumps([TOKENS_FORMAT, jieba.__version__, tokenizer._terms, sorted(tokenizer.stopwords), texts],
                                    ensure_ascii=False).encode("utf-8")).hexdigest()[:20]
    return cached_json(cache_dir / f"tokens-{key}.json", lambda: [tokenizer.tokenize(t) for t in texts])


class BM25:
    """Okapi BM25, Lucene variant — the scores of bm25s's default method (a test compares the two on every eval
    question): idf = ln(1 + (N - df + 0.5) / (df + 0.5)), term score = idf * tf / (tf + k1 * (1 - b + b * len/avg)),
    a query's score the sum over its tokens (repeats count again). Kept here as a few lines of plain Python because
    importing bm25s pulls in scipy (0.3 s of every cold start) and numpy alone costs 0.15 s, for a corpus of a few
    hundred clauses and queries of a few words."""

    def __init__(self, corpus_tokens: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        import struct

        self.n = len(corpus_tokens)
        lengths = [len(t) for t in corpus_tokens]
        avg = (sum(lengths) / self.n) if self.n and sum(lengths) else 1.0
        norm = [k1 * (1 - b + b * n / avg) for n in lengths]
        tf: dict[str, dict[int, int]] = {}
        for d, toks in enumerate(corpus_tokens):
            for t in toks:
                row = tf.setdefault(t, {})
                row[d] = row.get(d, 0) + 1
        self.vocab = {t: i for i, t in enumerate(tf)}
        # each posting's score rounded to float32 as bm25s stores it, so rankings tie where bm25s's tie
        f32 = struct.Struct("f")
        self._postings: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = {}
        for t, row in tf.items():
            idf = math.log(1 + (self.n - len(row) + 0.5) / (len(row) + 0.5))
            self._postings[t] = (tuple(row), tuple(f32.unpack(f32.pack(idf * c / (c + norm[d])))[0]
                                                   for d, c in row.items()))

    def get_scores(self, tokens: Iterable[str]) -> list[float]:
        scores = [0.0] * self.n
        for t in tokens:
            if (post := self._postings.get(t)) is not None:
                for d, v in zip(*post):
                    scores[d] += v
        return scores


class LexicalIndex:
    """BM25 over clause texts. Scores every clause (the corpus is hundreds of clauses, not millions), so
    metadata filters are a mask, never a second query."""

    def __init__(self, clauses: Sequence[Clause], tokenizer: ChineseTokenizer, k1: float = 1.2, b: float = 0.75,
                 cache_dir: Path | None = None):
        self.clauses = list(clauses)
        self.tokenizer = tokenizer
        corpus_tokens = _cached_tokens(self.clauses, tokenizer, cache_dir)
        self.token_sets = [set(t) for t in corpus_tokens]
        self.position = {c.id: i for i, c in enumerate(self.clauses)}
        n = len(corpus_tokens)
        df: dict[str, int] = {}
        for toks in self.token_sets:
            for t in toks:
                df[t] = df.get(t, 0) + 1
        # idf as in BM25: a token in every clause weighs ~0, a token in one clause ~log(n)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.idf_median = statistics.median(self.idf.values()) if self.idf else 1.0
        self.idf_max = max(self.idf.values()) if self.idf else 1.0
        # each clause's words (not bigram tokens) joined by NUL: "term in word_text" is "term lies inside a word"
        self.word_text = ["\0".join(t for t in toks if not t.startswith("#")) for toks in self.token_sets]
        self._inside_weight: dict[str, float] = {}
        self._bm25 = BM25(corpus_tokens, k1=k1, b=b)
        self._vocab = self._bm25.vocab
        self._words = [w for w in self._vocab if not w.startswith("#") and not w[:1].isdigit()]

    def tokens_of(self, clause_id: str) -> set[str]:
        """The tokens of an indexed clause (KeyError for one the index does not hold)."""
        return self.token_sets[self.position[clause_id]]

    def weight(self, term: str) -> float:
        """How much a question's term says: its idf; for a term the gazette never uses on its own, the idf of the
        clauses holding it inside a word ("来" lies inside 近年来, 未来, 以来 in many clauses and says little;
        "躺" only inside 躺睡); the median idf for one found nowhere."""
        if (w := self.idf.get(term)) is not None:
            return w
        if (w := self._inside_weight.get(term)) is None:
            df = 0 if term.startswith("#") else sum(1 for text in self.word_text if term in text)
            w = self._inside_weight[term] = self.idf_of_df(df) if df else self.idf_median
        return w

    def idf_of_df(self, df: int) -> float:
        """The idf a token used by `df` clauses has (the formula above)."""
        n = len(self.token_sets)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def inside_words(self, token: str, most: int = 3) -> list[str]:
        """Corpus words that contain a word the corpus never uses on its own: "托育" -> ["普惠托育"]. Without this
        such a word only counts through its bigram, half the weight a corpus word gets (word + bigram)."""
        if token in self._vocab or token.startswith("#") or len(token) < 2 or token in self.tokenizer.stopwords:
            return []
        for size in range(len(token), 1, -1):  # jieba may glue a character on: "个托育" holds 托育
            # left to right (a set's order would change with the process's hash seed, and the answer with it)
            for part in dict.fromkeys(token[i:i + size] for i in range(len(token) - size + 1)):
                if part in self.tokenizer.stopwords:
                    continue
                found = [w for w in self._words if part in w]
                if 0 < len(found) <= most:
                    return found
        return []

    def scores(self, query: str) -> list[float]:
        raw = self.tokenizer.query_tokens(query)
        tokens = [t for t in raw if t in self._vocab] + [w for t in raw for w in self.inside_words(t)]
        return self._bm25.get_scores(tokens)

    def search(self, query: str, k: int = 5, allowed: set[str] | None = None) -> list[tuple[Clause, float]]:
        scores = self.scores(query)
        order = sorted(range(len(self.clauses)), key=lambda i: -float(scores[i]))
        out = []
        for i in order:
            if scores[i] <= 0:
                break
            if allowed is None or self.clauses[i].id in allowed:
                out.append((self.clauses[i], float(scores[i])))
                if len(out) >= k:
                    break
        return out
