"""Clause lookup: citations, keywords, errors, the CLI contract, and no torch on this path."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant.lookup import QueryError, lookup
from tests.conftest import ROOT, TODAY

pytestmark = pytest.mark.unit


def run_cli(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT, env=e,
                          timeout=120)


def test_citation_lookup(corpus):
    r = lookup(corpus, "10号文第19条", TODAY)
    assert r.kind == "citation"
    m = r.matches[0]
    assert (m.doc_no, m.clause, m.heading) == ("嘉政发〔2024〕10号", "三、（十九）", "推进企业数字化改造")
    assert "1500万元" in m.text and m.responsible_units == ["市经信局"]
    assert "已失效" in m.validity


@pytest.mark.parametrize(
    "query, expected_path, within",
    [
        pytest.param("种粮大户有什么补贴", "七、（五十一）", 1, id="种粮"),
        # three clauses mention 绿色工厂 (13号 targets, 14号 标杆企业, 10号 awards): all three come back
        pytest.param("绿色工厂", "三、（二十）", 3, id="绿色工厂"),
        pytest.param("专精特新小巨人奖励", "三、（二十二）", 1, id="小巨人"),
        pytest.param("海铁联运 标箱", "五、（三十九）", 1, id="海铁联运"),
        pytest.param("首台（套）保险", "三、（二十一）", 1, id="首台套"),
        pytest.param("出口信用保险保费补助", "六、（四十五）", 1, id="出口信保"),
    ],
)
def test_keyword_lookup_top_hits(corpus, query, expected_path, within):
    r = lookup(corpus, query, TODAY)
    assert r.kind == "keyword"
    assert expected_path in [m.clause for m in r.matches[:within]]


def test_a_word_found_only_inside_a_corpus_word_ranks_its_clause(corpus):
    # jieba cuts "我想开个托育机构" as 想开/个托育/机构; 托育 only occurs inside 普惠托育, while 机构 fills 嘉司发3号
    lex = corpus.lexical
    assert lex.inside_words("个托育") == ["普惠托育"] and lex.inside_words("机构") == []
    assert "八、（六十一）" in [c.path for c, _ in lex.search("我想开个托育机构，市里有什么说法", 3)]


@pytest.mark.parametrize("question, rest", [
    ("我想开个托育机构", "，托育机构"), ("请问一下种粮补贴", "，种粮补贴"), ("我们打算办一家物流公司", "，物流公司"),
    ("准备金制度是什么", "准备金制度是什么"), ("开展汽车以旧换新", "开展汽车以旧换新"), ("计划生育", "计划生育"),
])
def test_conversational_opening_is_cut_before_segmentation(question, rest):
    from assistant.lexical import strip_opening

    assert strip_opening(question) == rest


def test_keywords_within_a_document(corpus):
    r = lookup(corpus, "14号文 工业设计", TODAY)
    assert r.matches and all(m.doc_no == "嘉政发〔2024〕14号" for m in r.matches)


def test_appointment_lookup_by_name(corpus):
    r = lookup(corpus, "顾伟忠", TODAY)
    assert r.matches and all("顾伟忠" in m.text for m in r.matches[:2])


@pytest.mark.parametrize("bad", ["", "   ", "\u200b\u200b"])
def test_empty_query_is_a_clear_error(corpus, bad):
    with pytest.raises(QueryError, match="请输入"):
        lookup(corpus, bad, TODAY)


def test_huge_query_is_a_clear_error(corpus):
    with pytest.raises(QueryError, match="过长"):
        lookup(corpus, "补贴" * 5000, TODAY)


def test_nothing_found(corpus):
    r = lookup(corpus, "zzzqqq", TODAY)
    assert r.kind == "none" and "没有找到" in r.message


def test_cli_json_contract():
    p = run_cli("lookup", "嘉政发[2024]10号（十九）", "--json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["query"] == "嘉政发[2024]10号（十九）"
    m = data["matches"][0]
    assert set(m) >= {"doc_no", "doc_title", "clause", "heading", "text", "responsible_units", "valid_from",
                      "valid_to", "notes"}
    assert (m["doc_no"], m["clause"], m["valid_from"], m["valid_to"]) == (
        "嘉政发〔2024〕10号", "三、（十九）", "2024-01-01", "2024-12-31")


def test_cli_unknown_clause_names_range():
    p = run_cli("lookup", "10号文第99条")
    assert p.returncode == 1
    assert "没有第九十九条" in p.stdout and "（一）至（六十六）" in p.stdout


def test_cli_human_output_has_every_field():
    p = run_cli("lookup", "嘉政发〔2024〕10号（二十六）")
    out = p.stdout
    for part in ("嘉政发〔2024〕10号 三、（二十六）", "推进存量工业用地挖潜提升", "责任单位：市经信局", "有效期",
                 "数据质量提示", "嘉兴市人民政府关于印发"):
        assert part in out


def test_cli_error_is_one_sentence(tmp_path):
    p = run_cli("lookup", "绿色工厂", env={"ASSISTANT_CORPUS_DIR": str(tmp_path / "missing")})
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and "语料目录" in p.stderr


def test_lookup_does_not_import_torch():
    code = ("import sys; from assistant.cli import main; rc = main(['lookup', '10号文第19条', '--json']); "
            "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH', file=sys.stderr)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "NO-TORCH" in p.stderr, p.stderr
