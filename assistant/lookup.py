"""Clause lookup for hotline staff: a citation returns that clause; keywords return the best clauses.

Fast and torch-free on purpose: citation grammar plus BM25, no embedding model.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .corpus import Corpus
from .lookup_core import QueryError, check_query, examples_text, find, match_fields, render_match, render_text
from .types import Clause, Record

__all__ = ["LookupMatch", "LookupResult", "QueryError", "check_query", "examples_text", "lookup", "render_match",
           "render_result", "to_match"]


class LookupMatch(Record):
    doc_no: str | None
    doc_title: str
    clause: str
    citation: str
    heading: str
    text: str
    responsible_units: list[str]
    valid_from: dt.date | None
    valid_to: dt.date | None
    validity: str = Field(description="Validity on the configured date, as a sentence")
    notes: list[str]
    score: float | None = None


class LookupResult(Record):
    query: str
    kind: Literal["citation", "keyword", "none"]
    matches: list[LookupMatch]
    message: str = ""


def to_match(corpus: Corpus, clause: Clause, today: dt.date, score: float | None = None) -> LookupMatch:
    return LookupMatch(**match_fields(corpus, clause, today, score))


def lookup(corpus: Corpus, query: str, today: dt.date, k: int = 5, max_chars: int = 2000) -> LookupResult:
    kind, hits, message = find(corpus, query, k, max_chars)
    return LookupResult(query=query, kind=kind, matches=[to_match(corpus, c, today, s) for c, s in hits], message=message)


def render_result(r: LookupResult) -> str:
    return render_text(r.kind, r.matches, r.message)
