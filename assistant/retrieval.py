"""Hybrid retrieval: BM25 over jieba tokens + dense vectors in Chroma, fused by weighted reciprocal rank.

One seam, `retrieve(query, k, filters)`. Filters (document, validity on a date, 责任单位) become a set of allowed
clause ids, applied identically to both sides. When the dense side fails (Chroma server down), the answer
comes from the lexical side alone and the result says so.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Literal, NamedTuple

from .corpus import Corpus, is_valid_on
from .embeddings import Embedder
from .index import Fusion, IndexHandle
from .types import Clause

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "lexical", "dense"]


class Filters(NamedTuple):
    doc_no: str | None = None
    valid_on: dt.date | None = None
    unit: str | None = None

    def allowed(self, corpus: Corpus) -> set[str] | None:
        if not any(self):
            return None
        out = set()
        for d in corpus.documents:
            if self.doc_no and d.doc_no != self.doc_no:
                continue
            if self.valid_on and not is_valid_on(d, self.valid_on):
                continue
            for c in d.clauses:
                if self.unit and not any(self.unit in u for u in c.responsible_units):
                    continue
                out.add(c.id)
        return out


class Hit(NamedTuple):
    clause: Clause
    score: float
    lexical_rank: int | None
    dense_rank: int | None


class Retrieved(NamedTuple):
    hits: list[Hit]
    notes: list[str]  # e.g. "语义检索暂不可用，本次仅使用关键词检索"
    mode: str


DEGRADED_NOTE = "语义检索暂不可用（向量库无法访问），本次仅使用关键词检索。"


class HybridRetriever:
    def __init__(self, corpus: Corpus, embedder: Embedder | None, handle: IndexHandle | None,
                 fusion: Fusion | None = None, depth: int = 30,
                 connect: Callable[[], IndexHandle] | None = None, retry_s: float = 30.0) -> None:
        """`connect` opens the index later, when it could not be opened at start (a Chroma server that was down):
        tried again at most every `retry_s` seconds while the dense side is wanted, so a server that comes back is
        used again without a restart."""
        self.corpus = corpus
        self.embedder = embedder
        self.handle = handle
        self.fusion = fusion or (handle.info.fusion if handle else Fusion())
        self.depth = depth
        self._lock = threading.Lock()
        self._connect = connect if handle is None else None
        self._retry_s = retry_s
        self._next_try = 0.0

    def _reconnect(self) -> bool:
        """True when the dense side is usable now (possibly after opening the index again)."""
        if self.handle is not None or self._connect is None or self.embedder is None:
            return self.dense_available
        now = time.monotonic()
        if now < self._next_try or not self._lock.acquire(blocking=False):
            return False
        try:
            self._next_try = now + self._retry_s
            self.handle = self._connect()
            self.fusion = self.handle.info.fusion
            self._connect = None
            log.info("vector index reachable again: hybrid retrieval resumed")
            return True
        except Exception as exc:  # still down: answer lexically and try again later
            log.warning("vector index still unavailable: %s", exc)
            return False
        finally:
            self._lock.release()

    @property
    def dense_available(self) -> bool:
        return self.embedder is not None and self.handle is not None

    def lexical(self, query: str, n: int, allowed: set[str] | None) -> list[tuple[Clause, float]]:
        return self.corpus.lexical.search(query, k=n, allowed=allowed)

    def dense(self, query: str, n: int, allowed: set[str] | None) -> list[tuple[Clause, float]]:
        if not self.dense_available:
            return []
        vec = self.embedder.embed_batch([query], kind="query")[0]
        if not any(vec):  # no word with a vector (static-zh): Chroma would rank every clause at distance 1, at random
            return []
        ids = sorted(allowed) if allowed is not None else None
        if ids is not None and not ids:
            return []
        return [(self.corpus.by_id[i], s) for i, s in self.handle.query(vec, n, ids) if i in self.corpus.by_id]

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None, mode: Mode = "hybrid") -> Retrieved:
        allowed = (filters or Filters()).allowed(self.corpus)
        notes: list[str] = []
        lex = self.lexical(query, self.depth, allowed) if mode in ("hybrid", "lexical") else []
        den: list[tuple[Clause, float]] = []
        if mode == "dense" or (mode == "hybrid" and self.fusion.w_dense > 0):
            if self.handle is None and self._connect is not None and not self._reconnect():
                notes.append(DEGRADED_NOTE)  # down since start: say so on every answer until it is back
                mode = "lexical"
            else:
                try:
                    den = self.dense(query, self.depth, allowed)
                except Exception as exc:  # Chroma server gone, model failure: degrade, say so
                    log.warning("dense retrieval failed: %s", exc)
                    notes.append(DEGRADED_NOTE)
                    mode = "lexical"
        if mode == "lexical":
            return Retrieved([Hit(c, s, r, None) for r, (c, s) in enumerate(lex[:k], 1)], notes, mode)
        if mode == "dense":
            return Retrieved([Hit(c, s, None, r) for r, (c, s) in enumerate(den[:k], 1)], notes, mode)
        return Retrieved(self._fuse(lex, den)[:k], notes, mode)

    def _fuse(self, lex: list[tuple[Clause, float]], den: list[tuple[Clause, float]]) -> list[Hit]:
        """score = w_l / (k + rank_l) + w_d / (k + rank_d); e.g. k=60: rank 1 -> 1/61 = 0.0164, rank 10 -> 0.0143."""
        f = self.fusion
        scores: dict[str, float] = {}
        lr = {c.id: r for r, (c, _) in enumerate(lex, 1)}
        dr = {c.id: r for r, (c, _) in enumerate(den, 1)}
        for cid, r in lr.items():
            scores[cid] = scores.get(cid, 0.0) + f.w_lexical / (f.k + r)
        for cid, r in dr.items():
            scores[cid] = scores.get(cid, 0.0) + f.w_dense / (f.k + r)
        order = sorted(scores, key=lambda cid: (-scores[cid], lr.get(cid, 10**6)))
        return [Hit(self.corpus.by_id[cid], scores[cid], lr.get(cid), dr.get(cid)) for cid in order]


def clause_document(clause: Clause, score: float | None = None):
    """A LangChain Document carrying the clause metadata."""
    from langchain_core.documents import Document

    meta = {"id": clause.id, "doc_no": clause.doc_no, "doc_title": clause.doc_title, "clause": clause.path,
            "citation": clause.citation, "heading": clause.heading, "section": clause.section_heading,
            "valid_from": clause.valid_from.isoformat() if clause.valid_from else None,
            "valid_to": clause.valid_to.isoformat() if clause.valid_to else None,
            "responsible_units": list(clause.responsible_units), "notes": list(clause.notes)}
    if score is not None:
        meta["score"] = score
    return Document(page_content=clause.text, metadata=meta, id=clause.id)


def langchain_retriever(retriever: HybridRetriever, k: int = 5, filters: Filters | None = None,
                        mode: Mode = "hybrid"):
    """A LangChain `BaseRetriever` over the given hybrid retriever (see `ClauseRetriever`)."""
    from .lc import ClauseRetriever

    return ClauseRetriever(hybrid=retriever, k=k, filters=filters, mode=mode)


def __getattr__(name: str):
    """`assistant.retrieval.ClauseRetriever` without importing LangChain for everyone who imports this module."""
    if name == "ClauseRetriever":
        from .lc import ClauseRetriever

        return ClauseRetriever
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
