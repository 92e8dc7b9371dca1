"""The regression gate: the golden set must not fall below evals/baseline.json (run in CI on every change)."""

from __future__ import annotations

import json

import pytest

from assistant.answer import Assistant
from assistant.evaluation import Case, Expect, evaluate, gate, load_golden, marker_matches
from assistant.search import make_retriever
from tests.conftest import ROOT

BASELINE = json.loads((ROOT / "evals" / "baseline.json").read_text(encoding="utf-8"))


@pytest.mark.integration
@pytest.mark.slow
def test_golden_set_meets_baseline(settings):
    cases = load_golden(ROOT / BASELINE["golden"])
    assert len(cases) >= 150
    assistant = Assistant(settings)
    dense, _ = make_retriever(settings, assistant.corpus, need_dense=True)  # real MiniLM + Chroma, built in tmp
    retrievers = {"lexical": (dense, "lexical"), "dense": (dense, "dense"), "hybrid": (dense, "hybrid")}
    report = evaluate(assistant, cases, retrievers)
    failures = gate(report, BASELINE)
    failing = [c["id"] for c in report["cases"] if not c["passed"]]
    assert not failures, f"below baseline: {failures}; failing cases: {failing}"
    # the default fusion is never worse than BM25 alone
    assert report["retrieval"]["hybrid"]["recall@3"] >= report["retrieval"]["lexical"]["recall@3"]
    assert report["retrieval"]["hybrid"]["mrr"] >= report["retrieval"]["lexical"]["mrr"]


@pytest.mark.unit
def test_golden_covers_every_document_and_kind():
    cases = load_golden(ROOT / "evals" / "golden.jsonl")
    docs = {c.expect.doc_no for c in cases}
    assert {"嘉政发〔2024〕10号", "嘉政发〔2024〕12号", "嘉政发〔2024〕13号", "嘉政发〔2024〕14号", "嘉司发〔2024〕3号", None} <= docs
    cats = {c.category for c in cases}
    assert {"amount", "fact", "citizen", "citation", "followup", "calculation", "refusal", "injection",
            "false_premise", "appointment", "index", "validity"} <= cats
    assert len({c.id for c in cases}) == len(cases)


@pytest.mark.unit
def test_golden_expectations_exist_in_the_corpus(corpus):
    """Every expected clause marker names a real unit of the expected document (the instrument is calibrated)."""
    for c in load_golden(ROOT / "evals" / "golden.jsonl"):
        e = c.expect
        if e.refusal or not e.clause:
            continue
        paths = [x.path for x in corpus.clauses if x.doc_no == e.doc_no]
        assert all(any(marker_matches(p, m) for p in paths) for m in e.clause), c.id


@pytest.mark.unit
@pytest.mark.parametrize("path, marker, ok", [("三、（十九）", "（十九）", True), ("二、（三）8.", "8.", True),
                                              ("二、（三）18.", "8.", False), ("任命2", "任命2", True),
                                              ("任命20", "任命2", False), ("三、（一）", "三、（一）", True)])
def test_marker_matching(path, marker, ok):
    assert marker_matches(path, marker) is ok


@pytest.mark.unit
def test_markers_of_one_level_are_alternatives_and_of_different_levels_a_path():
    from assistant.evaluation import citation_ok
    from assistant.types import Citation

    def cited(*paths):
        return type("A", (), {"citations": [Citation(doc_no="嘉政发〔2024〕10号", doc_title="", clause=p)
                                            for p in paths]})()

    either = Expect(doc_no="嘉政发〔2024〕10号", clause=["（三十七）", "（二）"], facts=[], refusal=False)
    assert citation_ok(cited("二、（二）"), either) and citation_ok(cited("五、（三十七）"), either)
    assert not citation_ok(cited("二、（三）"), either)
    path = Expect(doc_no="嘉政发〔2024〕10号", clause=["三、", "（一）"], facts=[], refusal=False)
    assert citation_ok(cited("三、（一）"), path)
    assert not citation_ok(cited("二、（一）"), path)  # the part is part of the path: both must match


@pytest.mark.unit
def test_runner_accepts_any_file_in_the_format(tmp_path, settings):
    f = tmp_path / "mini.jsonl"
    rows = [Case(id="a", category="x", question="省级绿色工厂奖励多少", expect=Expect(
                doc_no="嘉政发〔2024〕10号", clause=["（二十）"], facts=[["50万元"]])),
            Case(id="b", category="y", question="今天天气怎么样", expect=Expect(refusal=True)),
            Case(id="c", category="x", question="省级绿色工厂奖励多少", expect=Expect(
                doc_no="嘉政发〔2024〕10号", clause=["（二十）"], facts=[["99万元"]]))]
    f.write_text("\n".join(r.model_dump_json() for r in rows), encoding="utf-8")
    report = evaluate(Assistant(settings), load_golden(f))
    assert [c["passed"] for c in report["cases"]] == [True, True, False]  # the runner can fail a case
    assert report["totals"]["refusal_recall"] == 1.0 and report["by_category"]["x"]["fact_accuracy"] == 0.5


@pytest.mark.unit
def test_bad_golden_line_is_a_clear_error(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"id": "a", "question": "x"}\n{"id": "b"}\n', encoding="utf-8")  # line 2 has no question
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        load_golden(f)
    f.write_text("not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_golden(f)


@pytest.mark.unit
def test_runner_normalises_other_spellings(tmp_path, settings):
    import json as _json

    rows = [
        {"id": 1, "category": "x", "question": "省级绿色工厂奖励多少", "source": "p.3",
         "expect": {"doc_no": "嘉政发[2024]10号", "clause": "(二十)", "facts": ["50万元"], "refusal": 0, "note": "extra"}},
        {"id": "b", "question": "那市级的呢", "history": ["国家级绿色工厂奖多少", "150万元"],
         "expect": {"doc_no": "嘉政发〔2024〕10 号", "clause": ["（二十）"], "facts": "20万元"}},
        {"id": "c", "question": "技改投入3000万A档能补多少", "expect": {"amount_yuan": 15000000.0}},
    ]
    f = tmp_path / "other.jsonl"
    f.write_text("\ufeff" + "\n".join(_json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    cases = load_golden(f)
    assert cases[0].expect.doc_no == "嘉政发〔2024〕10号" and cases[0].expect.clause == ["(二十)"]
    assert cases[1].history[0] == {"role": "user", "content": "国家级绿色工厂奖多少"}
    report = evaluate(Assistant(settings), cases)
    assert [c["passed"] for c in report["cases"]] == [True, True, True]


@pytest.mark.integration
@pytest.mark.slow
def test_swapped_figures_are_failed_and_unchanged_answers_pass():
    """The instrument sees a wrong figure that quotes the right clause (evals/swap_check.py)."""
    import sys

    sys.path.insert(0, str(ROOT / "evals"))
    import swap_check

    # (the three regression sets: as answers quote less around the asker's figure, fewer golden answers alone hold
    # a second figure of the same kind to swap in — 49 of them at 0106710)
    got = swap_check.run([ROOT / "evals" / n for n in ("golden.jsonl", "holdout.jsonl", "probe.jsonl")])
    assert got["swappable"] >= 50, got
    assert got["swapped_failed"] >= 0.9 and got["unchanged_pass"] >= 0.8, got


@pytest.mark.integration
@pytest.mark.slow
def test_every_planted_bug_fails_the_gate(tmp_path):
    """evals/mutants.py: each of the planted bugs (neighbour item, premise always confirmed, refusal gate off/on,
    cap dropped, >= for >, validity date, second-best clause, history ignored, quote truncated, …) fails the gate."""
    import subprocess
    import sys

    p = subprocess.run([sys.executable, str(ROOT / "evals" / "mutants.py")], capture_output=True, text=True,
                       cwd=ROOT, timeout=1500)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "| **no** |" not in p.stdout and "mutants killed" in p.stdout


@pytest.mark.unit
def test_no_eval_question_is_written_into_the_code():
    """Questions of every eval set are data for measuring, never special cases in the assistant."""
    files = [p for p in (ROOT / "assistant").rglob("*")
             if p.is_file() and p.suffix in (".py", ".json", ".txt", ".md", ".yaml", ".toml")]
    files += [p for p in (ROOT / "corpus").rglob("*") if p.is_file() and p.suffix in (".json", ".toml", ".yaml")]
    code = "\n".join(p.read_text(encoding="utf-8") for p in files)  # the code and the data declared per gazette
    found = []
    for f in sorted((ROOT / "evals").rglob("*.jsonl")):
        if "answers" in f.name:
            continue
        for case in load_golden(f):
            q = case.question.strip()
            if len(q) >= 8 and q in code:
                found.append((f.name, case.id))
    assert not found, found
