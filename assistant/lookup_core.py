"""The steps of a clause lookup, free of pydantic: the library's `lookup()` (lookup.py) and the cold
`assistant lookup` (lookup_store.py, over the clause registry read as JSON) run this same code, so both give the same
matches, messages and text.

A corpus here is anything with `documents`, `knowledge.examples` (`lookup`, `keyword`), `tokenizer`, `lexical` and
`document_of(clause)`: `corpus.Corpus`, or `lookup_store.StoredCorpus`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .citations import match_documents, parse_citation, resolve
from .textnorm import normalize_query
from .validity import validity_status


class QueryError(ValueError):
    """Input that cannot be a question or a lookup (empty, too long); the message is for the user."""


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


def find(corpus, query: str, k: int = 5, max_chars: int = 2000) -> tuple[str, list[tuple[Any, float | None]], str]:
    """(kind, [(clause, score)], message): a citation's clauses (score None), or the best clauses for keywords, or
    none with the sentence that says why. kind is "citation", "keyword" or "none"."""
    ex = corpus.knowledge.examples
    text = check_query(query, max_chars, (ex.lookup, ex.keyword))
    q = parse_citation(text)
    restrict: set[str] | None = None
    if q is not None:
        leftover = corpus.tokenizer.tokenize(q.rest) if q.rest else []
        if q.has_unit or not leftover:
            res = resolve(q, corpus.documents)
            return ("citation" if res.candidates else "none"), [(c, None) for c in res.candidates], res.message
        # "10号文 绿色工厂": keywords inside one document
        docs = match_documents(q, corpus.documents)
        if not docs:
            return "none", [], resolve(q, corpus.documents).message
        restrict = {c.id for d in docs for c in d.clauses}
        text = q.rest
    hits = corpus.lexical.search(text, k=k, allowed=restrict)
    if not hits:
        return "none", [], ("没有找到相关条款。可以换个说法，或直接输入文号和条款"
                            + (f"，{examples_text(ex.lookup)}。" if ex.lookup else "。"))
    return "keyword", [(c, round(s, 3)) for c, s in hits], ""


def match_fields(corpus, clause, today: dt.date, score: float | None = None) -> dict:
    """One match as the fields of `lookup.LookupMatch`, in its order."""
    _, validity = validity_status(corpus.document_of(clause), today)
    return {"doc_no": clause.doc_no, "doc_title": clause.doc_title, "clause": clause.path, "citation": clause.citation,
            "heading": clause.heading, "text": clause.text, "responsible_units": list(clause.responsible_units),
            "valid_from": clause.valid_from, "valid_to": clause.valid_to, "validity": validity,
            "notes": list(clause.notes), "score": score}


def render_match(m) -> str:
    """Human output: 文号, title, path, heading, text, 责任单位, validity, notes (`m`: a LookupMatch or its fields)."""
    get = m.get if isinstance(m, dict) else (lambda name: getattr(m, name))
    lines = [f"【{get('citation')}】{get('heading')}", f"文件：{get('doc_title')}"]
    lines.append(get("text"))
    if get("responsible_units"):
        lines.append("责任单位：" + "、".join(get("responsible_units")))
    lines.append("有效期：" + get("validity"))
    lines.extend(get("notes"))
    return "\n".join(lines)


def render_text(kind: str, matches: list, message: str) -> str:
    if not matches:
        return message
    head = f"共{len(matches)}条匹配" + ("（引用有多种可能，按可能性排序）" if kind == "citation" and len(matches) > 1 else "")
    return head + "\n\n" + "\n\n".join(render_match(m) for m in matches)


def json_record(query: str, kind: str, matches: list[dict], message: str) -> dict:
    """`assistant lookup --json` (and the MCP tool): the result's fields, scores left out, kind last."""
    return {"query": query, "matches": [{k: v for k, v in m.items() if k != "score"} for m in matches],
            "message": message, "kind": kind}
