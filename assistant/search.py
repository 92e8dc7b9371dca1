"""Wiring retrieval from settings: which model, which index, and whether the dense side is worth loading.

The fusion weights stored with the index decide. With the English MiniLM the measured dense weight is 0 (it
only hurt ranking on Chinese clause questions), so answering never loads torch; with bge-small-zh the dense
side takes part and the index is opened (and built on first use).
"""

from __future__ import annotations

import logging

from .corpus import Corpus
from .embeddings import embedder_for, resolve_model
from .index import (ChromaUnavailable, Fusion, IndexError_, current_build, ensure_index, open_index, read_info,
                    remembered_fusion)
from .retrieval import HybridRetriever
from .settings import Settings

log = logging.getLogger(__name__)


def planned_fusion(settings: Settings, corpus: Corpus, model_name: str) -> Fusion:
    """The fusion of the current index when it matches this corpus and model, else the model's default."""
    build = current_build(settings)
    if build is not None:
        try:
            info = read_info(build)
            if info.corpus_sha256 == corpus.sha256 and info.embedding_model == model_name:
                return info.fusion
        except IndexError_:
            pass
    return remembered_fusion(settings, model_name, default=Fusion(w_dense=0.5))


def make_retriever(settings: Settings, corpus: Corpus, need_dense: bool = False, build: bool = False,
                   progress=None) -> tuple[HybridRetriever, str]:
    """(retriever, note). The note tells the user about fallbacks (English model, Chroma down, rebuild).

    Only what the fusion uses is loaded: with a dense weight of 0 (MiniLM's, measured) neither the model nor Chroma
    is touched and no index is built.
    need_dense: the dense side is wanted whatever the fusion says (evaluation of each retriever).
    build: when the dense side is used and its Chroma server is down at start, build the index once it comes back
    (`assistant serve`), instead of only opening it."""
    choice = resolve_model(settings.embedding.model)
    fusion = planned_fusion(settings, corpus, choice.name)
    notes = [choice.warning] if choice.warning else []
    embedder = embedder_for(choice, batch_size=settings.embedding.batch_size)  # lazy: no model yet
    handle = None
    if need_dense or fusion.w_dense > 0:
        try:
            handle, rebuilt = ensure_index(settings, corpus, embedder, progress=progress)
        except ChromaUnavailable as exc:
            notes.append(f"{exc}；暂时只使用关键词检索")
            log.warning("%s", exc)
            if fusion.w_dense <= 0 and not need_dense:  # the dense side is not used anyway
                return HybridRetriever(corpus, None, None, fusion), "；".join(notes)

            def connect():  # tried again while answering, so a server that comes back is used without a restart
                if build:
                    return ensure_index(settings, corpus, embedder)[0]
                return open_index(settings, corpus, embedder.name)

            return HybridRetriever(corpus, embedder, None, fusion, connect=connect,
                                   retry_s=settings.retrieval.reconnect_s), "；".join(notes)
        if rebuilt:
            notes.append(rebuilt)
        fusion = handle.info.fusion
    if fusion.w_dense <= 0 and not need_dense:  # measured: the dense side does not help; answer lexically
        return HybridRetriever(corpus, None, None, fusion), "；".join(notes)
    return HybridRetriever(corpus, embedder, handle, fusion), "；".join(notes)


def describe(settings: Settings, corpus: Corpus, retriever: HybridRetriever, note: str = "") -> str:
    """One line on the retrieval in use, for the About tab: the vector index, or why answers are lexical."""
    if retriever.handle is not None:
        info = retriever.handle.info
        return (f"条款 {info.count} 条；嵌入模型 {info.embedding_model}（{info.dimension} 维）；向量库 {info.chroma}；"
                f"融合权重 词法 {info.fusion.w_lexical} / 语义 {info.fusion.w_dense}（{info.fusion.chosen_on}）")
    if retriever.embedder is None:  # by choice: the dense side has no weight, so it is not loaded
        f = retriever.fusion
        return (f"条款 {len(corpus.clauses)} 条；关键词检索（BM25）；嵌入模型 {resolve_model(settings.embedding.model).name} "
                f"未加载：融合权重 词法 {f.w_lexical} / 语义 {f.w_dense}（{f.chosen_on}）")
    return f"向量索引不可用，使用关键词检索（{note}）"
