"""The lookup store: the clause registry as one JSON file beside the index, so that the cold `assistant lookup` needs
the standard library only.

Hotline staff type a citation into `assistant lookup` while a caller waits. The library's way in imports pydantic
(0.15 s, for the settings and the records) and parses the gazette (0.04 s) before the citation grammar runs; from this
file the same lookup (lookup_core.py, the same code over plain records) answers without either.

`index_dir/lookup-<key>.json` holds what lookup reads and nothing else: each document's key, 文号, title and dates,
each clause's fields (FIELDS), the gazettes' example lookups and the tokenizer's vocabulary (terms, synonyms,
stopwords). Its key hashes every file of the corpus directory (gazettes and their data files) and the package's own
source, so an edited gazette, data file or parser gives a new key and the old file is never read. `assistant index`
writes it, and so does every lookup that had to take the full way (the file missing, stale or damaged). The store
answers only when the settings it can read are the only ones set (STORE_VARIABLES); any other ASSISTANT_* variable
sends lookup the full way, which checks it as every command does.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace

from .lookup_core import QueryError, find, json_record, match_fields, render_text

FORMAT = 1
PACKAGE = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE.parent  # settings.PROJECT_ROOT, whose default folders the store uses too (tested)
MAX_QUESTION_CHARS = 2000  # Settings.max_question_chars, which no variable changes (tested equal)
# The variables the store reads as get_settings() does; the last two are read by the code both ways share
STORE_VARIABLES = frozenset({"CORPUS_DIR", "INDEX_DIR", "DATA_DIR", "TODAY", "CACHE_DIR", "SEMANTIC"})

# field -> type check, for clauses and documents: a file that does not match is damaged, and never used
_STR, _OPT_STR, _INT, _OPT_INT = (str,), (str, type(None)), (int,), (int, type(None))
_DATE, _STRS = "date", "strs"
CLAUSE_FIELDS = {
    "id": _STR, "doc_key": _STR, "doc_no": _OPT_STR, "doc_title": _STR, "path": _STR, "marker": _STR, "level": _STR,
    "number": _OPT_INT, "parent": _OPT_STR, "section_heading": _STR, "heading": _STR, "text": _STR,
    "responsible_units": _STRS, "valid_from": _DATE, "valid_to": _DATE, "notes": _STRS, "order": _INT,
    "line_start": _INT, "line_end": _INT, "source": _STR, "citation": _STR,
}
DOCUMENT_FIELDS = {"key": _STR, "doc_no": _OPT_STR, "title": _STR, "effective_from": _DATE, "effective_to": _DATE}


def fingerprint(corpus_dir: Path) -> str:
    """What the store's content depends on: every file of the corpus directory and the package's source (2 ms).
    OSError when the directory cannot be read."""
    h = hashlib.sha256(f"lookup-store {FORMAT}\0".encode())
    for folder in (PACKAGE, corpus_dir):
        for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
            if path.is_file() and (folder is corpus_dir or path.suffix == ".py"):
                data = path.read_bytes()
                h.update(f"{folder is corpus_dir}\0{path.name}\0{len(data)}\0".encode())
                h.update(data)
    return h.hexdigest()[:24]


def store_path(index_dir: Path, key: str) -> Path:
    return index_dir / f"lookup-{key}.json"


# ------------------------------------------------------------------------------------------ writing


def _value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def registry(corpus, key: str) -> dict:
    """The store's content for a loaded `corpus.Corpus`."""
    ex, tok = corpus.knowledge.examples, corpus.tokenizer
    return {
        "format": FORMAT, "key": key,
        "examples": {"lookup": ex.lookup, "keyword": ex.keyword},
        # the tokenizer as Corpus.tokenizer made it: its terms in order (declared, then derived), synonyms and
        # stopwords merged with the general ones (merging them again changes nothing)
        "tokenizer": {"terms": list(tok._terms), "synonyms": {w: list(t) for w, t in tok.synonyms.items()},
                      "stopwords": sorted(tok.stopwords)},
        "documents": [{**{f: _value(getattr(d, f)) for f in DOCUMENT_FIELDS},
                       "clauses": [{f: _value(getattr(c, f)) for f in CLAUSE_FIELDS} for c in d.clauses]}
                      for d in corpus.documents],
    }


def save(index_dir: Path, corpus_dir: Path, corpus, key: str | None) -> Path | None:
    """Write the store for `corpus`, loaded from `corpus_dir` when its fingerprint was `key` (taken before loading,
    so that a file edited meanwhile can never be stored under the new key). Nothing is written when the directory
    changed since, or when an identical file is there; older stores are removed. Returns the path written, or None.
    A store that cannot be written (a read-only index folder) only means the next lookup takes the full way too."""
    import tempfile

    try:
        if key is None or fingerprint(corpus_dir) != key:
            return None
        path = store_path(index_dir, key)
        data = json.dumps(registry(corpus, key), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            if path.read_bytes() == data:
                return None
        except OSError:
            pass
        index_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".lookup-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for old in index_dir.glob("lookup-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
        return path
    except OSError:
        return None


def ensure(index_dir: Path, corpus_dir: Path) -> Path | None:
    """Write the store of the corpus in `corpus_dir` unless it is there (`assistant index`). The corpus is loaded
    from the directory here, not taken from the caller, whose corpus may be another (a test's, a fixture's).
    Returns the path written, or None."""
    from .corpus import Corpus, CorpusError

    try:
        key = fingerprint(corpus_dir)
        if store_path(index_dir, key).is_file():
            return None
        return save(index_dir, corpus_dir, Corpus.load(corpus_dir), key)
    except (OSError, CorpusError):
        return None


# ------------------------------------------------------------------------------------------ reading


def _checked(record, fields: dict) -> dict:
    if not isinstance(record, dict) or not set(fields) <= set(record):
        raise ValueError("a record lacks fields")
    out = {}
    for name, kind in fields.items():
        value = record[name]
        if kind == _DATE:
            value = None if value is None else dt.date.fromisoformat(value)
        elif kind == _STRS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{name}: not a list of strings")
            value = tuple(value)
        elif not isinstance(value, kind) or isinstance(value, bool):
            raise ValueError(f"{name}: {type(value).__name__}")
        out[name] = value
    return out


class StoredClause(SimpleNamespace):
    """A clause as lookup reads it: the fields of types.Clause (and its citation) as plain attributes."""


class StoredDocument(SimpleNamespace):
    """A document as lookup reads it: key, 文号, title, dates and its clauses."""


class StoredCorpus:
    """What lookup_core needs of a corpus, read from the store: documents, examples, tokenizer, lexical index."""

    def __init__(self, data: dict) -> None:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a lookup store of this format")
        ex, tok = data["examples"], data["tokenizer"]
        if not all(isinstance(ex.get(k), str) for k in ("lookup", "keyword")):
            raise ValueError("examples")
        self.knowledge = SimpleNamespace(examples=SimpleNamespace(lookup=ex["lookup"], keyword=ex["keyword"]))
        terms, synonyms, stopwords = tok["terms"], tok["synonyms"], tok["stopwords"]
        if not (isinstance(terms, list) and isinstance(stopwords, list) and isinstance(synonyms, dict)
                and all(isinstance(t, str) for t in terms + stopwords)
                and all(isinstance(t, list) and all(isinstance(x, str) for x in t) for t in synonyms.values())):
            raise ValueError("tokenizer")
        self._vocabulary = (tuple(terms), {w: tuple(t) for w, t in synonyms.items()}, frozenset(stopwords))
        self.documents = []
        for raw in data["documents"]:
            clauses = raw["clauses"] if isinstance(raw, dict) else None
            if not isinstance(clauses, list):
                raise ValueError("clauses")
            self.documents.append(StoredDocument(**_checked(raw, DOCUMENT_FIELDS),
                                                 clauses=tuple(StoredClause(**_checked(c, CLAUSE_FIELDS)) for c in clauses)))
        self.clauses = [c for d in self.documents for c in d.clauses]
        self._docs = {d.key: d for d in self.documents}
        if not self.clauses or any(c.doc_key not in self._docs for c in self.clauses):
            raise ValueError("clauses without their document")

    def document_of(self, clause) -> StoredDocument:
        return self._docs[clause.doc_key]

    @functools.cached_property
    def tokenizer(self):
        from .cachedir import default_cache_dir
        from .lexical import ChineseTokenizer

        terms, synonyms, stopwords = self._vocabulary
        return ChineseTokenizer(cache_dir=default_cache_dir().parent, terms=terms, synonyms=synonyms,
                                stopwords=stopwords)

    @functools.cached_property
    def lexical(self):
        from .cachedir import default_cache_dir
        from .lexical import LexicalIndex

        return LexicalIndex(self.clauses, self.tokenizer, cache_dir=default_cache_dir().parent)


def load(index_dir: Path, corpus_dir: Path) -> StoredCorpus | None:
    """The store for the corpus in `corpus_dir` as it is now; None when it is missing, stale or damaged."""
    try:
        key = fingerprint(corpus_dir)
        data = json.loads(store_path(index_dir, key).read_bytes())
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return StoredCorpus(data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


# ------------------------------------------------------------------------------------------ the cold command


def store_settings(environ: Mapping[str, str]) -> tuple[Path, Path, dt.date] | None:
    """(corpus_dir, index_dir, today) as get_settings() would read them; None when any other ASSISTANT_* variable
    is set or a value is not one the store can read exactly as pydantic would (then get_settings() has the say)."""
    seen: dict[str, str] = {}
    for name, value in environ.items():
        upper = name.upper()
        if upper.startswith("ASSISTANT_") and value:
            short = upper[len("ASSISTANT_"):]
            if short not in STORE_VARIABLES or short in seen:
                return None
            seen[short] = value
    try:
        today = dt.date.fromisoformat(seen["TODAY"].strip()) if "TODAY" in seen else dt.date.today()
    except ValueError:
        return None
    corpus_dir = Path(seen["CORPUS_DIR"]).expanduser() if "CORPUS_DIR" in seen else PROJECT_ROOT / "corpus"
    index_dir = Path(seen["INDEX_DIR"]).expanduser() if "INDEX_DIR" in seen else PROJECT_ROOT / "index"
    return corpus_dir, index_dir, today


def cold_lookup(query: str, k: int = 5, as_json: bool = False,
                environ: Mapping[str, str] | None = None) -> tuple[int, str, str] | None:
    """`assistant lookup` from the store: (exit code, stdout text, stderr text), the same bytes as the full way;
    None when the full way must run (settings the store does not read, no usable store, anything unforeseen)."""
    where = store_settings(os.environ if environ is None else environ)
    if where is None:
        return None
    corpus_dir, index_dir, today = where
    corpus = load(index_dir, corpus_dir)
    return None if corpus is None else answer(corpus, query, k, as_json, today)


def answer(corpus: StoredCorpus, query: str, k: int, as_json: bool, today: dt.date) -> tuple[int, str, str] | None:
    """The lookup's output as `assistant lookup` prints it (cli.cmd_lookup on the full way); None on the unforeseen."""
    try:
        kind, hits, message = find(corpus, query, k, MAX_QUESTION_CHARS)
        matches = [match_fields(corpus, c, today, s) for c, s in hits]
    except QueryError as exc:
        return 2, "", str(exc)
    except Exception:  # noqa: BLE001 - whatever it is, the full way says it as every command does
        return None
    if as_json:
        out = json.dumps(json_record(query, kind, matches, message), ensure_ascii=False, indent=2, default=str)
    else:
        out = render_text(kind, matches, message)
    return (0 if matches else 1), out, ""
