"""The evaluation suite: run a golden set, score every case, aggregate by category, compare runs.

A case: {"id", "category", "question", "history", "expect": {"doc_no", "clause": [markers], "facts": [[spellings]],
"refusal": bool, "amount_yuan": int|null}}. Checks per case:
- citation: some citation names the expected document (None = a unit without 文号) and every clause marker;
- facts: each group has at least one spelling in the answer;
- calculator: the calculation's amount_yuan equals the expected one;
- refusal: refused exactly when expected;
- faithfulness: every number in the answer stands in a cited clause, the calculation, the cited documents'
  validity dates or the fixed scope text; every citation names a real clause.
Retrieval is scored separately for the lexical, dense and hybrid retrievers (recall@1/3/5, MRR).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from . import scoring
from .answer import Answer, Assistant
from .corpus import document_numbers
from .embeddings import resolve_model
from .followup import resolve_history
from .retrieval import HybridRetriever

NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
KS = (1, 3, 5)


class Expect(BaseModel):
    """Lenient on purpose: files written by other people may spell things differently; they are normalised
    (文号 to its canonical form, a single marker or fact to a list), extra keys are ignored."""

    model_config = ConfigDict(extra="ignore")
    doc_no: str | None = None
    clause: list[str] = []
    facts: list[list[str]] = []
    must_not: list[str] = []  # figures of neighbouring items that must not be stated in the answer's own words
    asks_value: bool | None = None  # held to the strict rule; None: decided from the question (scoring.asks_value)
    refusal: bool = False
    amount_yuan: int | None = None

    @field_validator("doc_no", mode="before")
    @classmethod
    def _doc_no(cls, v):
        if not v:
            return None
        from .citations import parse_citation

        q = parse_citation(str(v))
        if q is not None and q.doc_number is not None and q.prefix and q.year:  # "嘉政发[2024]10号" as printed
            return f"{q.prefix}〔{q.year}〕{q.doc_number}号"
        return str(v)

    @field_validator("clause", mode="before")
    @classmethod
    def _clause(cls, v):
        if v is None:
            return []
        return [str(v)] if isinstance(v, (str, int)) else [str(x) for x in v]

    @field_validator("facts", mode="before")
    @classmethod
    def _facts(cls, v):
        if v is None:
            return []
        if isinstance(v, (str, int, float)):
            return [[str(v)]]
        return [[str(x) for x in f] if isinstance(f, (list, tuple)) else [str(f)] for f in v]

    @field_validator("must_not", mode="before")
    @classmethod
    def _must_not(cls, v):
        if v is None:
            return []
        return [str(v)] if isinstance(v, (str, int, float)) else [str(x) for x in v]

    @field_validator("amount_yuan", mode="before")
    @classmethod
    def _amount(cls, v):
        return None if v is None or v == "" else int(round(float(v)))

    @field_validator("refusal", mode="before")
    @classmethod
    def _refusal(cls, v):
        return bool(v)


class Case(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    category: str = "uncategorised"
    question: str
    history: list[dict] = []
    expect: Expect = Expect()

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, v):
        return str(v)

    @field_validator("history", mode="before")
    @classmethod
    def _history(cls, v):
        """[{"role", "content"}…]; plain strings are taken as alternating user/assistant turns."""
        out = []
        for i, turn in enumerate(v or []):
            if isinstance(turn, dict):
                out.append({"role": turn.get("role", "user"), "content": str(turn.get("content", ""))})
            else:
                out.append({"role": "user" if i % 2 == 0 else "assistant", "content": str(turn)})
        return out


def load_golden(path: Path) -> list[Case]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            cases.append(Case.model_validate_json(line))
        except ValidationError as exc:
            raise ValueError(f"{path}:{n}: 不符合评测集格式：{exc.errors()[0]['msg']}") from None
    if not cases:
        raise ValueError(f"{path} 中没有评测用例。")
    return cases


# --------------------------------------------------------------------------------------------- checks


fold = scoring.fold


def marker_matches(path: str, marker: str) -> bool:
    """"（十九）" matches "三、（十九）"; "8." matches "二、（三）8." but not "18."."""
    path, marker = fold(path), fold(marker)
    if path == marker:
        return True
    if not path.endswith(marker):
        return marker in path and not marker[-1:].isdigit() and not marker.endswith(".")
    before = path[: -len(marker)][-1:]
    return not (before.isdigit() and marker[:1].isdigit())


def marker_level(marker: str) -> str:
    """The level a clause marker names: a part ("三、"), a clause ("（十九）"), an item ("8."), or another."""
    m = fold(marker)
    if re.fullmatch(r"[一二三四五六七八九十]+、", m):
        return "part"
    if re.fullmatch(r"\(.+\)", m):
        return "clause"
    if re.fullmatch(r"\d+\.", m):
        return "item"
    return m


def marker_groups(markers: list[str]) -> list[list[str]]:
    """The expected markers by level. Markers of different levels are one path (["三、", "（一）"]: both must be
    cited); markers of the same level are alternatives (["（三十七）", "（二）"]: two clauses that both state the
    figure — the writers' brief: "if two clauses are both fine, list both"), one of them suffices."""
    groups: dict[str, list[str]] = {}
    for m in markers:
        groups.setdefault(marker_level(m), []).append(m)
    return list(groups.values())


def citation_ok(ans: Answer, e: Expect) -> bool | None:
    if e.refusal or (e.doc_no is None and not e.clause and not e.facts):
        return None
    if e.doc_no is None and not e.clause:
        return any(c.doc_no is None for c in ans.citations) if ans.citations else False
    groups = marker_groups(list(e.clause))
    for c in ans.citations:
        if c.doc_no != e.doc_no:
            continue
        if all(any(marker_matches(c.clause, m) for m in g) for g in groups):
            return True
    # markers may be spread over several citations of the same document
    paths = [c.clause for c in ans.citations if c.doc_no == e.doc_no]
    return bool(paths) and all(any(marker_matches(p, m) for p in paths for m in g) for g in groups) and bool(e.clause)


def facts_ok(ans: Answer, e: Expect) -> bool | None:
    """Lenient: each fact group has a spelling anywhere in the answer, quotes included."""
    if not e.facts:
        return None
    return all(scoring.fact_lenient(ans.answer, group) for group in e.facts)


def answer_spans(ans: Answer, corpus) -> list[str]:
    texts = []
    for c in ans.citations:
        clause = corpus.by_id.get(c.clause_id) or next(
            (x for x in corpus.clauses if x.doc_no == c.doc_no and x.path == c.clause), None)
        if clause is not None:
            texts.append(clause.text)
    return scoring.quoted_spans(ans.answer, [c.quote for c in ans.citations], texts)


def facts_strict_ok(ans: Answer, e: Expect, spans: list[str], question: str) -> bool | None:
    """Strict: no must_not figure in the answer's own words; and for a question that asks for a value, each fact
    stated in the answer's own words or the only figure of its kind in the quotes (see assistant/scoring.py)."""
    if not e.facts and not e.must_not:
        return None
    if scoring.must_not_hits(ans.answer, spans, e.must_not):
        return False
    value = scoring.asks_value(question) if e.asks_value is None else e.asks_value
    if not value:
        return facts_ok(ans, e) is not False
    return all(scoring.fact_strict(ans.answer, spans, group, e.facts) for group in e.facts)


def calc_ok(ans: Answer, e: Expect) -> bool | None:
    if e.amount_yuan is None:
        return None
    return bool(ans.calculation) and ans.calculation.get("amount_yuan") == e.amount_yuan


def unsupported_numbers(ans: Answer, assistant: Assistant) -> list[str]:
    """Numbers in the answer that no cited clause, calculation, validity date or fixed text contains."""
    corpus = assistant.corpus
    allowed = set(NUMBER_RE.findall(corpus.texts.all))  # the scope, refusals and greeting
    today = assistant.settings.today
    cited_docs = set()
    for c in ans.citations:
        clause = corpus.by_id.get(c.clause_id) or next(
            (x for x in corpus.clauses if x.doc_no == c.doc_no and x.path == c.clause), None)
        if clause is None:
            continue
        allowed |= set(NUMBER_RE.findall(clause.text)) | set(NUMBER_RE.findall(clause.citation))
        cited_docs.add(clause.doc_key)
    allowed |= {str(today.year), str(today.month), str(today.day)}
    for key in cited_docs:
        allowed |= document_numbers(corpus.document(key), today)
    allowed |= set(NUMBER_RE.findall(ans.question.replace(",", "")))  # echoing the asker's own figures
    if ans.calculation:
        calc_text = json.dumps(ans.calculation, ensure_ascii=False)
        allowed |= set(NUMBER_RE.findall(calc_text.replace(",", "")))
    body = re.sub(r"(?m)^\s*\d+\.\s", "", ans.answer)  # "1. 【…】" list numbering is not a claim
    numbers = NUMBER_RE.findall(body.replace(",", ""))
    return [n for n in numbers if n not in allowed and n.rstrip("0").rstrip(".") not in allowed]


def real_citation_share(ans: Answer, assistant: Assistant) -> tuple[int, int]:
    paths = {(c.doc_no, c.path) for c in assistant.corpus.clauses}
    good = sum(1 for c in ans.citations if (c.doc_no, c.clause) in paths)
    return good, len(ans.citations)


# --------------------------------------------------------------------------------------------- retrieval


def retrieval_rank(retriever: HybridRetriever, mode: str, question: str, e: Expect, depth: int = 5) -> int | None:
    got = retriever.retrieve(question, k=depth, mode=mode)  # type: ignore[arg-type]
    for rank, h in enumerate(got.hits, 1):
        c = h.clause
        if c.doc_no == e.doc_no and all(marker_matches(c.path, m) for m in e.clause):
            return rank
    return None


def retrieval_case(e: Expect, question: str = "") -> bool:
    """A clause question that retrieval answers: an expected clause, no calculation, and not itself a reference
    ("10号文第二十条" goes to the citation grammar, scored by the citation category)."""
    from .citations import parse_citation

    q = parse_citation(question) if question else None
    if q is not None and (q.has_unit or q.has_doc):
        return False
    return not e.refusal and e.doc_no is not None and bool(e.clause) and e.amount_yuan is None


def retrieval_metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    out = {f"recall@{k}": sum(1 for r in ranks if r is not None and r <= k) / n for k in KS}
    out["mrr"] = sum(1.0 / r for r in ranks if r) / n
    out["cases"] = len(ranks)
    return out


# --------------------------------------------------------------------------------------------- run


def score_case(case: Case, ans: Answer, assistant: Assistant, latency: float = 0.0, error: str = "",
               retrieval: dict | None = None) -> dict:
    """Every check of one answer, whoever produced it. `passed` uses the strict facts; the lenient ones are kept."""
    e = case.expect
    spans = answer_spans(ans, assistant.corpus)
    checks = {"citation": citation_ok(ans, e), "facts": facts_strict_ok(ans, e, spans, case.question), "calculator": calc_ok(ans, e)}
    checks["refusal"] = (ans.kind == "refusal") == e.refusal
    lenient = {**checks, "facts": facts_ok(ans, e)}
    bad_numbers = unsupported_numbers(ans, assistant)
    good_cites, all_cites = real_citation_share(ans, assistant)
    return {
        "id": case.id, "category": case.category, "question": case.question,
        "passed": not error and all(v is not False for v in checks.values()),
        "passed_lenient": not error and all(v is not False for v in lenient.values()),
        "checks": checks, "facts_lenient": lenient["facts"],
        "must_not_stated": scoring.must_not_hits(ans.answer, spans, e.must_not),
        "expected": e.model_dump(), "kind": ans.kind, "answer": ans.answer,
        "citations": [f"{c.doc_no or c.doc_title} {c.clause}" for c in ans.citations],
        "amount_yuan": (ans.calculation or {}).get("amount_yuan"), "unsupported_numbers": bad_numbers,
        "real_citations": [good_cites, all_cites], "latency_ms": round(latency * 1000, 1), "error": error,
        "retrieval_rank": retrieval or {}, "resolved_question": ans.resolved_question,
    }


def evaluate(assistant: Assistant, cases: list[Case], retrievers: dict[str, tuple[HybridRetriever, str]] | None = None,
             progress=None) -> dict[str, Any]:
    results = []
    ranks: dict[str, list[int | None]] = defaultdict(list)
    for i, case in enumerate(cases):
        t0 = time.perf_counter()
        try:
            ans = assistant.ask(case.question, case.history, id=case.id)
            error = ""
        except Exception as exc:  # an exception is a failed case, not a crashed run
            ans = Answer(id=case.id, question=case.question, resolved_question=case.question, answer="", kind="clarify")
            error = f"{type(exc).__name__}: {exc}"
        latency = time.perf_counter() - t0
        retrieval = {}
        if retrievers and retrieval_case(case.expect, case.question):
            q = resolve_history(case.question, case.history, assistant.corpus.knowledge.slots) if case.history else case.question
            for name, (retriever, mode) in retrievers.items():
                r = retrieval_rank(retriever, mode, q, case.expect)
                ranks[name].append(r)
                retrieval[name] = r
        results.append(score_case(case, ans, assistant, latency, error, retrieval))
        if progress:
            progress(i + 1, len(cases))
    r = assistant.retriever
    system = {"embedding_model": resolve_model(assistant.settings.embedding.model).name, "fusion": r.fusion.model_dump(),
              "llm": assistant.settings.llm.model if assistant.settings.llm.enabled else None}
    return summarize(results, ranks, assistant, system)


def load_answers(path: Path) -> dict[str, dict]:
    """`ask --batch` records (or any system's, in that shape), by id; a line that is not a JSON object is an error
    naming the line, a record without an id is skipped (its case then counts as unanswered)."""
    out: dict[str, dict] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8-sig", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            raise ValueError(f"{path}:{n}: 不是 JSON 记录。") from None
        if not isinstance(rec, dict):
            raise ValueError(f"{path}:{n}: 应为 JSON 对象（id, answer, kind, citations, calculation）。")
        if rec.get("id") is not None:
            out[str(rec["id"])] = rec
    return out


def answer_from_record(case: Case, rec: dict) -> Answer:
    """An Answer from a record produced elsewhere; missing or malformed fields are taken as empty."""
    from .types import Citation

    cites = []
    for c in rec.get("citations") or []:
        if not isinstance(c, dict):
            continue
        doc_no = Expect._doc_no(c.get("doc_no")) if c.get("doc_no") else None
        cites.append(Citation(doc_no=doc_no, doc_title=str(c.get("doc_title") or ""), clause=str(c.get("clause") or ""),
                              heading=str(c.get("heading") or ""), quote=str(c.get("quote") or "")))
    kind = rec.get("kind") if rec.get("kind") in ("answer", "lookup", "calculation", "clarify", "refusal") else "answer"
    calc = rec.get("calculation") if isinstance(rec.get("calculation"), dict) else None
    return Answer(id=case.id, question=case.question, resolved_question=str(rec.get("resolved_question") or case.question),
                  answer=str(rec.get("answer") or ""), kind=kind, citations=cites, calculation=calc)


def evaluate_answers(assistant: Assistant, cases: list[Case], answers: dict[str, dict]) -> dict[str, Any]:
    """Score answers produced elsewhere (an LLM run, another system, an older version) with the same checks and
    the same report keys. A case without an answer fails."""
    results = []
    for case in cases:
        rec = answers.get(case.id)
        if rec is None:
            ans = Answer(id=case.id, question=case.question, resolved_question=case.question, answer="", kind="clarify")
            results.append(score_case(case, ans, assistant, error="no answer for this id"))
            continue
        results.append(score_case(case, answer_from_record(case, rec), assistant, error=str(rec.get("error") or "")))
    return summarize(results, {}, assistant, {"embedding_model": None, "fusion": None, "llm": None,
                                               "answers_scored": len(answers)})


def _share(values: list[bool | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def summarize(results: list[dict], ranks: dict[str, list[int | None]], assistant: Assistant,
              system: dict) -> dict[str, Any]:
    def block(rows: list[dict]) -> dict[str, Any]:
        exp_ref = [r for r in rows if r["expected"]["refusal"]]
        pred_ref = [r for r in rows if r["kind"] == "refusal"]
        tp = sum(1 for r in pred_ref if r["expected"]["refusal"])
        numbers = [r for r in rows if r["kind"] != "refusal"]
        cites = [r["real_citations"] for r in rows]
        return {
            "cases": len(rows),
            "pass_rate": round(sum(r["passed"] for r in rows) / len(rows), 4) if rows else None,
            "pass_rate_lenient": round(sum(r["passed_lenient"] for r in rows) / len(rows), 4) if rows else None,
            "citation_accuracy": _share([r["checks"]["citation"] for r in rows]),
            "fact_accuracy": _share([r["checks"]["facts"] for r in rows]),
            "fact_accuracy_lenient": _share([r["facts_lenient"] for r in rows]),
            "calculator_exactness": _share([r["checks"]["calculator"] for r in rows]),
            "refusal_precision": round(tp / len(pred_ref), 4) if pred_ref else None,
            "refusal_recall": round(tp / len(exp_ref), 4) if exp_ref else None,
            "faithful_numbers": _share([not r["unsupported_numbers"] for r in numbers]),
            "real_citation_share": round(sum(g for g, _ in cites) / max(1, sum(n for _, n in cites)), 4),
        }

    totals = block(results)
    cats = defaultdict(list)
    for r in results:
        cats[r["category"]].append(r)
    lat = sorted(r["latency_ms"] for r in results)
    totals["latency_p50_ms"] = round(statistics.median(lat), 1) if lat else None
    totals["latency_p95_ms"] = round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 1) if lat else None
    retrieval = {name: retrieval_metrics(r) for name, r in ranks.items()}
    for name, m in retrieval.items():
        totals[f"recall_at_3_{name}"] = round(m["recall@3"], 4)
    totals["recall_at_3"] = {name: round(m["recall@3"], 4) for name, m in retrieval.items()}
    return {
        "created": dt.datetime.now().isoformat(timespec="seconds"),
        "today": assistant.settings.today.isoformat(),
        **system,
        "totals": totals,
        "by_category": {c: block(rows) for c, rows in sorted(cats.items())},
        "retrieval": retrieval,
        "cases": results,
    }


# --------------------------------------------------------------------------------------------- gate and compare


def gate(report: dict, baseline: dict, tolerance: float = 0.0) -> list[str]:
    """Metrics that fell below the baseline (each baseline value is a floor)."""
    failures = []
    totals = report["totals"]
    for key, floor in baseline.get("floors", {}).items():
        got = totals.get(key)
        if key.startswith("recall_at_3_"):
            if not report.get("retrieval"):  # not measured (eval --no-retrieval, --answers): nothing to compare
                continue
            got = report["retrieval"].get(key.removeprefix("recall_at_3_"), {}).get("recall@3")
        if got is None or got + tolerance < floor:
            failures.append(f"{key}: {got} < {floor}")
    return failures


def compare(a: dict, b: dict) -> dict:
    """What got better or worse from report A to report B."""
    keys = [k for k, v in b["totals"].items() if isinstance(v, (int, float))]
    deltas = {k: (a["totals"].get(k), b["totals"].get(k)) for k in keys}
    before = {c["id"]: c["passed"] for c in a["cases"]}
    after = {c["id"]: c["passed"] for c in b["cases"]}
    fixed = sorted(i for i, p in after.items() if p and before.get(i) is False)
    broke = sorted(i for i, p in after.items() if not p and before.get(i) is True)
    return {"metrics": deltas, "fixed": fixed, "regressed": broke,
            "new_cases": sorted(set(after) - set(before)), "removed_cases": sorted(set(before) - set(after))}
