"""The parsed corpus in memory: documents, clauses, and the lexical index built over them on first use."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .fields import entry_fields
from .knowledge import GazetteKnowledge, Knowledge, load_knowledge
from .lexical import ChineseTokenizer, LexicalIndex, quoted_terms
from .parsing import corpus_files, load_corpus
from .types import Clause, Document, Gazette
from .validity import validity_status  # noqa: F401  (re-exported: its home before validity.py)

T = TypeVar("T")


class CorpusError(RuntimeError):
    """The corpus directory is missing or holds no gazette."""


class Corpus:
    def __init__(self, gazettes: tuple[Gazette, ...], declared: tuple[GazetteKnowledge, ...] | None = None) -> None:
        """`declared`: each gazette's data file (`Corpus.load` reads them); None: what the texts alone give."""
        if not gazettes:
            raise CorpusError("语料目录中没有公报文件（*.md）。")
        self.gazettes = gazettes
        self.knowledge = Knowledge(gazettes, declared)
        self.warnings: list[str] = []
        self.documents: list[Document] = []
        seen: dict[str, str] = {}
        for g in gazettes:
            for d in g.documents:
                if d.key in seen:  # one 文号 is one document, wherever it is printed again
                    self.warnings.append(f"{d.key} 在 {seen[d.key]} 和 {d.source} 中重复出现，只收录前者。")
                    continue
                seen[d.key] = d.source
                self.documents.append(d)
        self.clauses: list[Clause] = [c for d in self.documents for c in d.clauses]
        self.by_id = {c.id: c for c in self.clauses}
        self._docs = {d.key: d for d in self.documents}
        self._lock = threading.Lock()
        self._lexical: LexicalIndex | None = None

    @classmethod
    def load(cls, corpus_dir: Path) -> Corpus:
        if not corpus_files(corpus_dir):
            raise CorpusError(f"语料目录 {corpus_dir} 不存在或没有公报文件（*.md）。")
        gazettes = load_corpus(corpus_dir)
        try:
            declared = tuple(load_knowledge(corpus_dir / g.source) for g in gazettes)
        except ValueError as exc:
            raise CorpusError(str(exc)) from exc
        return cls(gazettes, declared)

    @property
    def sha256(self) -> str:
        import hashlib

        return hashlib.sha256("".join(g.sha256 for g in self.gazettes).encode()).hexdigest()

    @functools.cached_property
    def texts(self):
        """The scope sentence, refusals, greeting and not-found text for these gazettes (`prompts.FixedTexts`)."""
        from .prompts import fixed_texts

        return fixed_texts(self.knowledge)

    def document(self, key: str) -> Document | None:
        return self._docs.get(key)

    def document_of(self, clause: Clause) -> Document:
        return self._docs[clause.doc_key]

    @functools.cached_property
    def tokenizer(self) -> ChineseTokenizer:
        """jieba with the gazettes' declared terms, the corpus's quoted terms and the names in its appointment entries as
        words; the gazettes' synonyms and stopwords."""
        from .fields import entry_fields

        from .cachedir import default_cache_dir

        names = {n for c in self.clauses if c.level == "entry" and (f := entry_fields(c.text)) for n in f[0]}
        k = self.knowledge
        return ChineseTokenizer(quoted_terms(c.text for c in self.clauses) | names, cache_dir=default_cache_dir().parent,
                                terms=k.terms, synonyms=k.synonyms, stopwords=k.stopwords)

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """Data another module derives from this corpus (the abbreviation, pinyin and homophone indexes), built once
        per corpus and dropped with it."""
        cache = self.__dict__.setdefault("_derived", {})
        if name not in cache:
            cache[name] = build()  # two threads may both build it: the same data, the last one kept
        return cache[name]

    @functools.cached_property
    def known_words(self) -> frozenset[str]:
        """Real Chinese words by a dictionary independent of the gazette (the thesaurus's word list); empty without
        the semantic data."""
        return self.soft.semantic.lexicon if self.soft is not None else frozenset()

    @functools.cached_property
    def abbrev_text(self) -> str:
        """The clauses' text, normalised, for finding the terms abbreviations stand for (assistant/abbrev.py)."""
        from .textnorm import normalize_query

        return "\n".join(normalize_query(c.text) for c in self.clauses)

    @functools.cached_property
    def soft(self):
        """Soft term matching over this corpus's words (None without the semantic data: exact words only)."""
        from .semantic import get_semantic
        from .softmatch import SoftMatcher

        semantic = get_semantic()
        return SoftMatcher(self.lexical, semantic) if semantic is not None else None

    @property
    def lexical(self) -> LexicalIndex:
        if self._lexical is None:
            with self._lock:
                if self._lexical is None:
                    from .cachedir import default_cache_dir

                    self._lexical = LexicalIndex(self.clauses, self.tokenizer, cache_dir=default_cache_dir().parent)
        return self._lexical


def document_numbers(doc: Document, today: dt.date) -> set[str]:
    """Numbers an answer may state about a cited document without quoting them: its dates (signed, valid from/to,
    days left) and the counts of its units (structure answers)."""
    out = {str(today.year), str(today.month), str(today.day)}
    for day in (doc.effective_from, doc.effective_to, doc.signed):
        if day:
            out |= {str(day.year), str(day.month), str(day.day), f"{day.month:02d}", f"{day.day:02d}"}
    if doc.effective_to:
        out.add(str((doc.effective_to - today).days))
    for level in ("section", "clause", "item", "entry", "row"):
        out.add(str(sum(1 for c in doc.clauses if c.level == level)))
    out |= {str(n) for pair in appointment_counts(doc).values() for n in pair}
    return out


def appointment_counts(doc: Document) -> dict[str, tuple[int, int]]:
    """{"任命": (entries, people), "免去": (entries, people)} of an appointments document; {} for any other."""
    out: dict[str, list[int]] = {}
    for c in doc.clauses:
        if c.level == "entry" and (f := entry_fields(c.text)):
            counts = out.setdefault("免去" if f[1] == "免去" else "任命", [0, 0])
            counts[0] += 1
            counts[1] += len(f[0])
    return {k: (v[0], v[1]) for k, v in out.items()}


def is_valid_on(doc: Document, day: dt.date) -> bool:
    return not ((doc.effective_to and day > doc.effective_to) or (doc.effective_from and day < doc.effective_from))
