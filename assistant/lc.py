"""LangChain parts: `ClauseRetriever` (a `BaseRetriever`) over the clause index. Kept out of the answer path:
importing LangChain costs ~0.9 s, so `assistant.retrieval.ClauseRetriever` resolves here on first use.

    from assistant.retrieval import ClauseRetriever
    ClauseRetriever(k=3).invoke("种粮大户补贴")            # the configured index and settings
    ClauseRetriever().invoke("种粮大户补贴", k=1)          # k per call, too
    ClauseRetriever(k=5, filters=Filters(doc_no="嘉政发〔2024〕14号"), mode="lexical")
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, PrivateAttr, field_validator

from .retrieval import Filters, HybridRetriever, clause_document


@functools.lru_cache(maxsize=4)
def _configured(settings_json: str) -> HybridRetriever:
    from .corpus import Corpus
    from .search import make_retriever
    from .settings import Settings

    settings = Settings.model_validate_json(settings_json)
    return make_retriever(settings, Corpus.load(settings.corpus_dir))[0]


def default_hybrid() -> HybridRetriever:
    """The retriever the configured settings describe (environment variables, as `assistant ask` reads them)."""
    from .settings import get_settings

    return _configured(get_settings().model_dump_json())


class ClauseRetriever(BaseRetriever):
    """Clauses of the gazette as LangChain `Document`s (text = the clause, metadata = citation, 文号, clause path,
    validity, 责任单位, score). Constructed with plain keywords; every one is optional."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    k: int = Field(default=5, ge=0, le=100, description="How many clauses to return")
    filters: Filters | None = Field(default=None, description="Document, validity date, 责任单位")
    mode: Literal["hybrid", "lexical", "dense"] = "hybrid"
    hybrid: HybridRetriever | None = Field(default=None, exclude=True,
                                           description="A HybridRetriever; default: the configured index")
    _resolved: HybridRetriever | None = PrivateAttr(default=None)

    @field_validator("filters", mode="before")
    @classmethod
    def _filters(cls, value: Any):
        if isinstance(value, dict):
            return Filters(**value)
        return value

    def _retriever(self) -> HybridRetriever:
        if self.hybrid is not None:
            return self.hybrid
        if self._resolved is None:
            self._resolved = default_hybrid()
        return self._resolved

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None, filters: Filters | None = None,
                                mode: str | None = None) -> list[Document]:
        n = self.k if k is None else k
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 100:
            raise ValueError(f"k 应为 0 到 100 的整数，收到 {k!r}")
        if n == 0:
            return []
        got = self._retriever().retrieve(query, n, filters or self.filters, mode or self.mode)
        return [clause_document(h.clause, h.score) for h in got.hits[:n]]
