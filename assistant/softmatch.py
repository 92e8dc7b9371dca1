"""Soft term matching: a question word counts as found in a clause when a clause word means nearly the same.

Exact words decide most questions ("省级绿色工厂奖多少"). People also write "桩子" for 充电桩, "午觉" for 午休, "奖金" for
奖励, and add words about themselves ("我退休好几年了，老伴让我问问"). With the semantic signal (assistant/semantic.py):

- `similarity(term, clause)`: the best cosine between the term and the clause's words (a word the gazette never
  uses gets the mean vector of its known parts: 老年人 → 老年 + 人);
- `relatedness(term)`: the best cosine between the term and any word of the whole gazette. A word far from every
  word of the gazette (老伴, 广场舞, 姐妹) says something about the asker, not about a policy: it neither supports
  nor counts against a clause.

Thresholds: see MATCH and RELATED in compose.py, chosen on evals/colloquial/dev.jsonl (calibration table in
evals/README.md).
"""

from __future__ import annotations

import functools

import numpy as np

from .lexical import LexicalIndex
from .semantic import Semantic


class SoftMatcher:
    def __init__(self, lexical: LexicalIndex, semantic: Semantic) -> None:
        self.semantic = semantic
        # the clause side: the gazette's words that a dictionary knows (词林). jieba also leaves fragments such as
        # "长三" (from 嘉兴市|长三角); their vectors are noise, and 市长 would "match" them at 0.76.
        lexicon = semantic.lexicon
        vocab = sorted({t for toks in lexical.token_sets for t in toks if t in lexicon})
        vecs = [(w, self._compose(w)) for w in vocab]
        vecs = [(w, v) for w, v in vecs if v is not None]
        self.words = [w for w, _ in vecs]
        self.matrix = np.vstack([v for _, v in vecs]) if vecs else np.zeros((0, 200), dtype=np.float32)
        pos = {w: i for i, w in enumerate(self.words)}
        self.rows = [np.array(sorted(pos[t] for t in toks if t in pos), dtype=np.int64) for toks in lexical.token_sets]

    def _compose(self, word: str) -> np.ndarray | None:
        v = self.semantic.vector(word)
        if v is not None:
            return v
        parts = _parts(word, self.semantic.index)
        if not parts or (len(word) >= 3 and not any(len(p) >= 2 for p in parts)):
            # a name of three characters or more read only as single characters (a shop's name: 三个字 -> 三 个 字) means nothing
            return None
        _, mat = self.semantic.matrix(parts)
        v = mat.mean(axis=0)
        n = float(np.linalg.norm(v))
        return v / n if n > 0 else None

    @functools.lru_cache(maxsize=4096)  # noqa: B019 — one matcher per corpus, lives as long as it
    def _vec(self, term: str) -> np.ndarray | None:
        return self._compose(term.lstrip("#"))

    @functools.lru_cache(maxsize=4096)  # noqa: B019
    def relatedness(self, term: str) -> float:
        v = self._vec(term)
        if v is None or not len(self.words):
            return 0.0
        return float(np.max(self.matrix @ v))

    def nearest(self, term: str) -> str | None:
        """The gazette's word nearest to a term by meaning ("乡下" → 农村); None for a term without a vector."""
        v = self._vec(term)
        if v is None or not len(self.words):
            return None
        return self.words[int(np.argmax(self.matrix @ v))]

    @functools.cached_property
    def _flat(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every clause's word rows end to end: (the rows, where each non-empty clause starts, which clauses)."""
        full = [i for i, r in enumerate(self.rows) if len(r)]
        flat = np.concatenate([self.rows[i] for i in full]) if full else np.zeros(0, dtype=np.int64)
        starts = np.cumsum([0] + [len(self.rows[i]) for i in full[:-1]]).astype(np.int64)
        return flat, starts, np.array(full, dtype=np.int64)

    def per_clause(self, term: str) -> np.ndarray:
        """`similarity(term, i)` for every clause i at once (0 for a clause without known words): one product with
        the vocabulary and one segmented maximum, for finding clauses that only near-synonyms lead to."""
        out = np.zeros(len(self.rows), dtype=np.float32)
        v = self._vec(term)
        flat, starts, which = self._flat
        if v is None or not len(flat):
            return out
        out[which] = np.maximum.reduceat((self.matrix @ v)[flat], starts)
        return out

    def similarity(self, term: str, clause_index: int) -> float:
        v = self._vec(term)
        rows = self.rows[clause_index] if 0 <= clause_index < len(self.rows) else ()
        if v is None or not len(rows):
            return 0.0
        return float(np.max(self.matrix[rows] @ v))


def _parts(word: str, known) -> list[str]:
    """Greedy longest known pieces of an unknown word: 老年人 → [老年, 人]; 充电桩 → [充电, 桩]."""
    out, i = [], 0
    while i < len(word):
        for n in range(min(4, len(word) - i), 0, -1):
            if word[i:i + n] in known:
                out.append(word[i:i + n])
                i += n
                break
        else:
            i += 1
    return out
