"""Clause lookup for hotline staff: a citation returns that clause; keywords return the best clauses.

Fast and torch-free on purpose: citation grammar plus BM25, no embedding model.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .citations import match_documents, parse_citation, resolve
from .corpus import Corpus, validity_status
from .textnorm import normalize_query
from .types import Clause, Record


class QueryError(ValueError):
    """Input that cannot be a question or a lookup (empty, too long); the message is for the user."""


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


def examples_text(*examples: str) -> str:
    """"例如“10号文第二十条”或“绿色工厂”" from the gazette's examples (its data file); "" without any."""
    shown = "或".join(f"“{e}”" for e in examples if e)
    return f"例如{shown}" if shown else ""


def check_query(query: str, max_chars: int, examples: tuple[str, ...] = ()) -> str:
    text = normalize_query(query or "")
    if not text:
        raise QueryError(f"请输入要查询的内容，{examples_text(*examples)}。" if examples_text(*examples)
                         else "请输入要查询的内容。")
    if len(text) > max_chars:
        raise QueryError(f"输入过长（{len(text)}字），请控制在{max_chars}字以内。")
    return text


def to_match(corpus: Corpus, clause: Clause, today: dt.date, score: float | None = None) -> LookupMatch:
    _, validity = validity_status(corpus.document_of(clause), today)
    return LookupMatch(
        doc_no=clause.doc_no, doc_title=clause.doc_title, clause=clause.path, citation=clause.citation,
        heading=clause.heading, text=clause.text, responsible_units=list(clause.responsible_units),
        valid_from=clause.valid_from, valid_to=clause.valid_to, validity=validity, notes=list(clause.notes),
        score=score,
    )


def lookup(corpus: Corpus, query: str, today: dt.date, k: int = 5, max_chars: int = 2000) -> LookupResult:
    ex = corpus.knowledge.examples
    text = check_query(query, max_chars, (ex.lookup, ex.keyword))
    q = parse_citation(text)
    restrict: set[str] | None = None
    if q is not None:
        leftover = corpus.tokenizer.tokenize(q.rest) if q.rest else []
        if q.has_unit or not leftover:
            res = resolve(q, corpus.documents)
            matches = [to_match(corpus, c, today) for c in res.candidates]
            return LookupResult(query=query, kind="citation" if matches else "none", matches=matches,
                                message=res.message)
        # "10号文 绿色工厂": keywords inside one document
        docs = match_documents(q, corpus.documents)
        if not docs:
            return LookupResult(query=query, kind="none", matches=[], message=resolve(q, corpus.documents).message)
        restrict = {c.id for d in docs for c in d.clauses}
        text = q.rest
    hits = corpus.lexical.search(text, k=k, allowed=restrict)
    if not hits:
        return LookupResult(query=query, kind="none", matches=[],
                            message="没有找到相关条款。可以换个说法，或直接输入文号和条款"
                                    + (f"，{examples_text(ex.lookup)}。" if ex.lookup else "。"))
    return LookupResult(query=query, kind="keyword",
                        matches=[to_match(corpus, c, today, round(s, 3)) for c, s in hits])


def render_match(m: LookupMatch) -> str:
    """Human output: 文号, title, path, heading, text, 责任单位, validity, notes."""
    lines = [f"【{m.citation}】{m.heading}", f"文件：{m.doc_title}"]
    lines.append(m.text)
    if m.responsible_units:
        lines.append("责任单位：" + "、".join(m.responsible_units))
    lines.append("有效期：" + m.validity)
    lines.extend(m.notes)
    return "\n".join(lines)


def render_result(r: LookupResult) -> str:
    if not r.matches:
        return r.message
    head = f"共{len(r.matches)}条匹配" + ("（引用有多种可能，按可能性排序）" if r.kind == "citation" and len(r.matches) > 1 else "")
    return head + "\n\n" + "\n\n".join(render_match(m) for m in r.matches)
