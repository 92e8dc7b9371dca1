"""The strict scorer: a fact counts where the asker reads it, and answers produced elsewhere are scored alike."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant import scoring
from assistant.answer import Assistant
from assistant.evaluation import Case, Expect, evaluate_answers, load_answers
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

QUOTE = "对经认定的国家级、省级、市级绿色工厂和绿色园区,分别给予150万元、50万元、20万元奖励。"


def answer(direct: str, quote: str = QUOTE) -> str:
    return f"{direct}\n原文：“{quote}”\n——嘉政发〔2024〕10号 三、（二十）"


@pytest.mark.parametrize("text, expected", [
    ("分别给予150万元、50万元", [("money", "1500000"), ("money", "500000")]),
    ("0.5亿元", [("money", "50000000")]),
    ("2024年5月20日起", [("date", "2024-5-20")]),
    ("500人次以上, 5.5%", [("人", "500"), ("percent", "5.5")]),
    ("创新性产业用地(M0)", []),  # a code, not a figure
])
def test_figures(text, expected):
    assert scoring.figures(text) == expected


@pytest.mark.parametrize("direct, ok", [
    pytest.param("省级绿色工厂和绿色园区：50万元奖励。", True, id="stated"),
    pytest.param("省级绿色工厂和绿色园区：20万元奖励。", False, id="neighbour-item-stated"),
    pytest.param("", False, id="only-in-a-quote-with-other-amounts"),
    pytest.param("省级：150万元。", False, id="50万-inside-150万-is-not-50万"),
    pytest.param("省级：0.5百万", False, id="unknown-unit"),
])
def test_strict_fact(direct, ok):
    text = answer(direct)
    assert scoring.fact_strict(text, [QUOTE], ["50万元"], [["50万元"]]) is ok
    assert scoring.fact_lenient(text, ["50万元"])  # the lenient check cannot tell


def test_the_only_figure_of_its_kind_in_a_quote_is_enough():
    q = "对新认定的省级节水型企业,给予10万元奖励;"
    assert scoring.fact_strict(answer("", q), [q], ["10万元"], [["10万元"]])


def test_a_question_for_the_whole_list_may_be_answered_by_the_quote():
    groups = [["150万元"], ["50万元"], ["20万元"]]
    assert all(scoring.fact_strict(answer(""), [QUOTE], g, groups) for g in groups)


def test_must_not_counts_only_outside_the_quote():
    assert scoring.must_not_hits(answer("省级：50万元。"), [QUOTE], ["150万元", "20万元"]) == []
    assert scoring.must_not_hits(answer("省级：20万元。"), [QUOTE], ["150万元", "20万元"]) == ["20万元"]


@pytest.mark.parametrize("question, value", [
    ("省级绿色工厂奖多少", True), ("14号文什么时候开始施行", True), ("这条谁负责", True),
    ("小巨人奖励1000万元，对吗", True), ("10号文第19条", False), ("种粮大户有什么补贴", False),
])
def test_value_questions(question, value):
    assert scoring.asks_value(question) is value


def test_dates_match_with_or_without_the_year():
    text = "嘉司发〔2024〕3号自2024年4月15日起施行。"
    assert scoring.fact_strict(text, [], ["4月15日"], [["4月15日"]])
    assert not scoring.fact_strict(text, [], ["5月1日"], [["5月1日"]])


# ------------------------------------------------------------------------------------------ answers from elsewhere


CASES = [
    Case(id="a", category="amount", question="省级绿色工厂奖励多少",
         expect=Expect(doc_no="嘉政发〔2024〕10号", clause=["（二十）"], facts=[["50万元"]], must_not=["150万元", "20万元"])),
    Case(id="b", category="refusal", question="今天天气怎么样", expect=Expect(refusal=True)),
    Case(id="c", category="amount", question="市级绿色工厂奖励多少",
         expect=Expect(doc_no="嘉政发〔2024〕10号", clause=["（二十）"], facts=[["20万元"]])),
]


def record(id, direct, kind="answer"):
    return {"id": id, "answer": answer(direct) if kind != "refusal" else direct, "kind": kind, "calculation": None,
            "citations": [] if kind == "refusal" else [
                {"doc_no": "嘉政发[2024]10号", "clause": "三、（二十）", "heading": "", "quote": QUOTE}]}


def test_answers_file_is_scored_like_a_run(settings):
    answers = {"a": record("a", "省级：50万元奖励。"), "b": record("b", "抱歉，超出范围。", "refusal")}
    report = evaluate_answers(Assistant(settings), CASES, answers)
    got = {c["id"]: c["passed"] for c in report["cases"]}
    assert got == {"a": True, "b": True, "c": False}  # c has no answer: failed
    assert report["totals"]["pass_rate"] == round(2 / 3, 4)


def test_swapped_figure_fails_strictly_but_passes_leniently(settings):
    report = evaluate_answers(Assistant(settings), CASES[:1], {"a": record("a", "省级：20万元奖励。")})
    case = report["cases"][0]
    assert not case["passed"] and case["passed_lenient"] and case["must_not_stated"] == ["20万元"]


def test_cli_scores_an_answers_file(tmp_path):
    golden = tmp_path / "g.jsonl"
    golden.write_text("\n".join(c.model_dump_json() for c in CASES), encoding="utf-8")
    answers = tmp_path / "a.jsonl"
    answers.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        record("a", "省级：50万元奖励。"), record("b", "抱歉。", "refusal"), record("c", "市级：150万元奖励。")]),
        encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "assistant", "eval", "--golden", str(golden), "--answers", str(answers),
                        "--json", "--out", str(tmp_path / "rep")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["cases"] == 3 and out["pass_rate"] == round(2 / 3, 4) and out["pass_rate_lenient"] == 1.0
    assert "fact_accuracy_lenient" in out and "citation_accuracy" in out


def test_answers_file_errors_name_the_line(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "a", "answer": "x"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="a.jsonl:2"):
        load_answers(f)


def test_thousands_separators_are_one_figure():
    assert scoring.figures("合计4,500元") == [("money", "4500")]
    assert scoring.fact_strict("合计4,500元。", [], ["4500元"], [["4500元"]])
    assert scoring.figures("分别为1,2,3项") != [("number", "123")]  # a list of digits is not a thousands figure


def test_a_denied_figure_is_not_stated():
    text = "不对。原文规定的是50%（渗透率达到50%以上），不是60%。"
    assert scoring.must_not_hits(text, [], ["60%"]) == []
    assert scoring.must_not_hits("渗透率要达到60%。", [], ["60%"]) == ["60%"]
