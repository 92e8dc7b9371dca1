"""A second gazette needs files, not a code change (issue 17, "Gazette knowledge as data").

tests/fixtures/second-gazette/ holds an invented gazette (示例市, clearly marked as a fixture) in the real corpus's
markdown format with its own knowledge file and award-rule file. It is parsed, indexed, looked up, answered, refused
about, named in the scope text, and its rules calculated and matched, alone and beside the real gazette
(ASSISTANT_CORPUS_DIR pointing at a directory of gazette files). The last test proves no gazette-specific literal is
left in the code.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from assistant.answer import Assistant
from assistant.corpus import Corpus
from assistant.lookup import lookup
from assistant.settings import get_settings
from tests.conftest import CORPUS_DIR, ROOT, TODAY

FIXTURE_DIR = ROOT / "tests" / "fixtures" / "second-gazette"
S3, S8 = "示政发〔2025〕3号", "示财发〔2025〕8号"

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def both_dir(tmp_path_factory) -> Path:
    """A corpus directory holding the real gazette and the fixture, each with its knowledge file."""
    d = tmp_path_factory.mktemp("two-gazettes")
    for src in (CORPUS_DIR, FIXTURE_DIR):
        for p in src.iterdir():
            if p.suffix in (".md", ".toml") and not p.name.startswith("README"):  # .rules.toml included
                shutil.copy(p, d / p.name)
    return d


@pytest.fixture(scope="module")
def second() -> Corpus:
    return Corpus.load(FIXTURE_DIR)


@pytest.fixture(scope="module")
def both(both_dir) -> Corpus:
    return Corpus.load(both_dir)


def bot_for(corpus_dir: Path) -> Assistant:
    return Assistant(get_settings(env={"ASSISTANT_CORPUS_DIR": str(corpus_dir), "ASSISTANT_TODAY": TODAY.isoformat(),
                                       "ASSISTANT_INDEX_DIR": "/nonexistent"}))


@pytest.fixture(scope="module")
def second_bot() -> Assistant:
    return bot_for(FIXTURE_DIR)


@pytest.fixture(scope="module")
def both_bot(both_dir) -> Assistant:
    return bot_for(both_dir)


def cites(ans) -> list[str]:
    return [f"{c.doc_no} {c.clause}" for c in ans.citations]


# ----------------------------------------------------------------------------------------------- parsed


def test_the_fixture_is_parsed_with_its_own_numbers_and_dates(second):
    g = second.gazettes[0]
    assert (g.title, g.issue) == ("示例市人民政府公报", "2025年第02期（总第7期）")
    bees, books = second.document(S3), second.document(S8)
    assert (bees.effective_from, bees.effective_to) == (dt.date(2025, 3, 1), dt.date(2027, 2, 28))
    assert (books.effective_from, books.effective_to) == (dt.date(2025, 4, 1), dt.date(2025, 12, 31))
    assert [c.path for c in bees.clauses if c.level == "clause"] == [
        "一、（一）", "一、（二）", "二、（三）", "二、（四）", "三、（五）"]
    assert "每箱120元" in next(c.text for c in bees.clauses if c.path == "一、（二）")


def test_together_every_document_of_both_is_kept(both):
    keys = {d.key for d in both.documents if d.doc_no}
    assert {S3, S8, "嘉政发〔2024〕10号", "嘉司发〔2024〕3号"} <= keys
    assert not both.warnings


# ----------------------------------------------------------------------------------------------- scope


def test_the_scope_names_the_fixture_from_its_cover_and_data_file(second):
    scope = second.texts.scope
    assert scope == ("本助手只解答《示例市人民政府公报》2025年第02期收录的内容：示政发〔2025〕3号（促进养蜂业发展）、"
                     "示财发〔2025〕8号（社区书屋补助），以及本期目录。")
    assert "嘉兴" not in second.texts.refusal + second.texts.greeting + second.texts.not_found
    assert "示例市政策问答助手" in second.texts.greeting and "新建中蜂蜂场补助多少？" in second.texts.greeting


def test_the_real_scope_is_the_sentence_it_was(corpus):
    """The real gazette's scope, now assembled from its cover, its 文号 and its data file, is unchanged."""
    assert corpus.texts.scope == (
        "本助手只解答《嘉兴市人民政府公报》2024年第04、05期收录的内容：嘉政发〔2024〕10号（推动经济高质量发展若干政策）、"
        "嘉政发〔2024〕12号（平安建设行政奖励决定）、嘉政发〔2024〕13号（设备更新和消费品以旧换新）、"
        "嘉政发〔2024〕14号（先进制造业和现代服务业深度融合）、嘉司发〔2024〕3号（涉及保险理赔司法鉴定），"
        "以及本期市政府人事任免和发文目录。")


def test_without_a_data_file_the_scope_is_derived_from_the_titles(tmp_path):
    shutil.copy(FIXTURE_DIR / "shili-gazette-2025-02.md", tmp_path)
    scope = Corpus.load(tmp_path).texts.scope
    assert "示政发〔2025〕3号（示例市促进养蜂业发展若干措施）" in scope and "示财发〔2025〕8号（示例市社区书屋补助办法）" in scope


def test_together_the_scope_names_both_gazettes(both):
    scope = both.texts.scope
    assert "《嘉兴市人民政府公报》2024年第04、05期" in scope and "《示例市人民政府公报》2025年第02期" in scope
    assert S3 in scope and "嘉政发〔2024〕14号" in scope


def test_a_broken_data_file_is_one_sentence_naming_it(tmp_path):
    from assistant.corpus import CorpusError

    shutil.copy(FIXTURE_DIR / "shili-gazette-2025-02.md", tmp_path)
    (tmp_path / "shili-gazette-2025-02.toml").write_text("terms = [", encoding="utf-8")
    with pytest.raises(CorpusError, match="shili-gazette-2025-02.toml"):
        Corpus.load(tmp_path)


# ----------------------------------------------------------------------------------------------- indexed, looked up


def test_the_fixture_vocabulary_reaches_the_lexical_index(second):
    assert "蜜源林" in second.tokenizer.words("新种植蜜源林有补助吗")  # a declared term, kept whole
    assert "养蜂" in second.tokenizer.query_tokens("养蜜蜂有什么补助")  # a declared synonym
    top = second.lexical.search("蜂箱更新补助", k=1)[0][0]
    assert (top.doc_no, top.path) == (S3, "一、（二）")


@pytest.mark.parametrize("query, want", [
    pytest.param("示政发〔2025〕3号（二）", f"{S3} 一、（二）", id="full"),
    pytest.param("示政发[2025]3号 第三条", f"{S3} 二、（三）", id="ordinal"),
    pytest.param("示财发8号（二）", f"{S8} 二、（二）", id="short"),
    pytest.param("蜂箱", f"{S3} 一、（二）", id="keyword"),
])
def test_lookup_in_the_fixture(second, query, want):
    res = lookup(second, query, TODAY)
    assert res.matches and f"{res.matches[0].doc_no} {res.matches[0].clause}" == want


def test_lookup_of_a_missing_clause_names_the_range(second):
    res = lookup(second, "示政发〔2025〕3号（九）", TODAY)
    assert not res.matches and "（一）至（五）" in res.message


def test_together_a_number_two_documents_share_is_told_apart_by_prefix(both):
    res = lookup(both, "示政发3号（一）", TODAY)
    assert {m.doc_no for m in res.matches} == {S3}
    res = lookup(both, "嘉司发3号 第8条", TODAY)
    assert res.matches and {m.doc_no for m in res.matches} == {"嘉司发〔2024〕3号"}


# ----------------------------------------------------------------------------------------------- answered, refused


def test_the_fixture_is_answered_with_its_citation(second_bot):
    ans = second_bot.ask("新建中蜂标准化蜂场补助多少")
    assert ans.kind == "answer" and cites(ans)[0] == f"{S3} 一、（一）" and "3万元" in ans.answer


def test_a_follow_up_switches_within_the_fixture_enumeration(second_bot):
    history = [{"role": "user", "content": "新建中蜂标准化蜂场补助多少"},
               {"role": "assistant", "content": second_bot.ask("新建中蜂标准化蜂场补助多少").answer}]
    ans = second_bot.ask("那意蜂呢", history)
    assert "意蜂" in ans.resolved_question and "2万元" in ans.answer


def test_an_expired_fixture_document_is_said_to_be_expired(second_bot):
    ans = second_bot.ask("社区书屋藏书3000册以上有什么补助")
    assert cites(ans)[0] == f"{S8} 二、（二）" and "已失效" in ans.answer and "8000元" in ans.answer


@pytest.mark.parametrize("question", [
    pytest.param("杭州的人才公寓政策", id="another-place"),
    pytest.param("2019年的养蜂补助是多少", id="another-year"),
    pytest.param("今天天气怎么样", id="chitchat"),
])
def test_the_fixture_refuses_with_its_own_scope(second_bot, question):
    ans = second_bot.ask(question)
    assert ans.kind == "refusal" and "《示例市人民政府公报》2025年第02期" in ans.answer and "嘉兴" not in ans.answer


def test_the_years_a_question_may_name_follow_the_gazette(second, corpus):
    from assistant.router import route

    assert route("2030年还有养蜂补助吗", "", 2000, second.knowledge).kind != "out_of_scope"  # valid to 2027
    assert route("2030年还有种粮补贴吗", "", 2000, corpus.knowledge).kind == "out_of_scope"  # 14号 ends 2026
    assert route("2024年出台的养蜂政策", "", 2000, second.knowledge).kind == "out_of_scope"  # its documents are of 2025


def test_a_gazette_declares_its_own_place(second):
    from assistant.knowledge import GazetteKnowledge, Knowledge
    from assistant.router import route

    home = Knowledge(second.gazettes, (GazetteKnowledge(places=("杭州",)),))
    assert route("杭州的养蜂补助", "", 2000, home).kind != "out_of_scope"
    assert route("杭州的养蜂补助", "", 2000, second.knowledge).kind == "out_of_scope"


def test_the_combination_rule_is_attached_to_the_documents_it_governs(both):
    rule = both.knowledge.combination_for(S3)
    assert (rule.doc_no, rule.clause) == (S3, "三、（五）") and rule.quote in both.document(S3).clauses[-2].text
    real = both.knowledge.combination_for("嘉政发〔2024〕14号")
    assert (real.doc_no, real.clause) == ("嘉政发〔2024〕14号", "五、")
    assert both.knowledge.combination_for(S8) is None and both.knowledge.combination_for("嘉政发〔2024〕10号") is None


def test_together_each_gazette_answers_its_own_questions(both_bot):
    bees = both_bot.ask("新建中蜂标准化蜂场补助多少")
    assert cites(bees)[0] == f"{S3} 一、（一）" and "3万元" in bees.answer
    green = both_bot.ask("省级绿色工厂奖多少")
    assert cites(green)[0] == "嘉政发〔2024〕10号 三、（二十）" and "50万元" in green.answer
    refused = both_bot.ask("北京的落户政策")
    assert refused.kind == "refusal" and "示例市人民政府公报" in refused.answer and "嘉兴市人民政府公报" in refused.answer


# ----------------------------------------------------------------------------------------------- award rules as data

SHILI_RULES = FIXTURE_DIR / "shili-gazette-2025-02.rules.toml"


def cli(*args: str, corpus_dir: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus_dir), "ASSISTANT_TODAY": TODAY.isoformat(),
           "ASSISTANT_INDEX_DIR": "/nonexistent"}
    p = subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                       timeout=120)
    assert not check or p.returncode == 0, p.stderr
    return p


def test_the_fixture_rules_are_read_from_its_file_with_its_own_validity_and_combination():
    from assistant.calculator.rules import rules_for

    book = rules_for(FIXTURE_DIR)
    assert [r.id for r in book.rules] == ["shi3-03-nectar-forest", "shi3-04-honey-brand"]
    for r in book.rules:  # the dates are the fixture document's own (its file states none)
        assert (r.valid_from, r.valid_to) == (dt.date(2025, 3, 1), dt.date(2027, 2, 28))
        assert (r.combination.doc_no, r.combination.clause, r.combination.principle) == (S3, "三、（五）", "就高不重复")
    assert "valid_from" not in SHILI_RULES.read_text(encoding="utf-8")


def test_the_fixture_figures_stand_in_their_clauses(second):
    from assistant.calculator.rules import rules_for

    for rule in rules_for(FIXTURE_DIR).rules:
        text = next(c.text for c in second.clauses if c.doc_no == rule.doc_no and c.path == rule.clause)
        figures = [q for v in rule.params.values() for q in (v.values() if isinstance(v, dict) else [v])]
        figures += [q for a in rule.awards for q in a.amounts]
        assert figures and all(q.text in text for q in figures), rule.id
        assert all(a.evidence in text for a in rule.awards), rule.id


def test_the_fixture_rules_are_calculated_alone_through_the_cli():
    p = cli("calc", "shi3-03-nectar-forest", "--set", "quantity=80亩", "--json", corpus_dir=FIXTURE_DIR)
    calc = json.loads(p.stdout)
    assert calc["amount_yuan"] == 32_000 and calc["citation"] == {"doc_no": S3, "clause": "二、（三）"}  # 80 × 400元
    assert not calc["warnings"]  # 示政发〔2025〕3号 is in force on 2026-11-28
    listed = json.loads(cli("calc", "--list", "--json", corpus_dir=FIXTURE_DIR).stdout)
    assert [r["rule_id"] for r in listed] == ["shi3-03-nectar-forest", "shi3-04-honey-brand"]
    ans = json.loads(cli("ask", "新种植蜜源林40亩能补多少", "--json", corpus_dir=FIXTURE_DIR).stdout)
    assert ans["kind"] == "calculation" and ans["calculation"]["eligible"] is False  # 40亩 < 连片50亩以上
    assert "50亩以上" in ans["answer"] and ans["citations"][0]["clause"] == "二、（三）"


def test_together_both_gazettes_rules_are_calculated_through_the_cli(both_dir):
    listed = {r["rule_id"]: r for r in json.loads(cli("calc", "--list", "--json", corpus_dir=both_dir).stdout)}
    assert {"shi3-04-honey-brand", "10-19-smart-upgrade", "14-revenue-milestone"} <= set(listed) and len(listed) == 31
    bees = json.loads(cli("ask", "新种植蜜源林80亩能补多少", "--json", corpus_dir=both_dir).stdout)
    assert bees["kind"] == "calculation" and bees["calculation"]["amount_yuan"] == 32_000
    real = json.loads(cli("ask", "技改投入3000万评了A档能补多少？", "--json", corpus_dir=both_dir).stdout)
    assert real["kind"] == "calculation" and real["calculation"]["amount_yuan"] == 15_000_000
    assert real["calculation"]["citation"] == {"doc_no": "嘉政发〔2024〕10号", "clause": "三、（十九）"}


def test_the_assistant_calculates_with_the_configured_gazettes_rules(monkeypatch):
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(FIXTURE_DIR))
    ans = bot_for(FIXTURE_DIR).ask("新种植蜜源林120亩能补多少")
    assert ans.kind == "calculation" and ans.calculation["amount_yuan"] == 48_000 and "4.8万元" in ans.answer


def test_the_fixture_combination_rule_is_the_one_its_file_attaches(monkeypatch):
    from assistant.calculator import calculate, combine

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(FIXTURE_DIR))
    both_levels = [calculate("shi3-04-honey-brand", {"category": level}, TODAY) for level in ("省级", "市级")]
    combined = combine(both_levels)
    assert combined.amount_yuan == 100_000 and combined.principle == {"doc_no": S3, "clause": "三、（五）",
                                                                      "quote": "就高不重复"}


def test_the_fixture_recognitions_are_matched_from_its_file():
    p = cli("match", "我们合作社今年获评省级蜂产品品牌，今年又评上示例市蜂产品品牌", "--date", "2026-11-28", "--json",
            corpus_dir=FIXTURE_DIR)
    r = json.loads(p.stdout)
    assert [(e["rule_id"], e["amount_yuan"], e["counted_in_total"]) for e in r["eligible"]] == [
        ("shi3-04-honey-brand", 100_000, True), ("shi3-04-honey-brand", 50_000, False)]
    assert r["total_yuan"] == 100_000 and f"{S3} 三、（五）" in r["eligible"][1]["why_not_counted"]


def test_a_rule_book_is_stored_once_and_built_again_when_a_file_changes(tmp_path, monkeypatch):
    """A new process unpickles the book its files built (no TOML, no gazette parse); an edited file, or a damaged
    store, gives the book of the files as they are."""
    from assistant.calculator import rules

    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path / "cache"))
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for p in FIXTURE_DIR.iterdir():
        shutil.copy(p, corpus_dir / p.name)
    rate = lambda: rules._cached(corpus_dir).by_id["shi3-03-nectar-forest"].params["rates"]["蜜源林"].text  # noqa: E731
    assert rate() == "400元"
    stored = list((tmp_path / "cache" / "rules").glob("book-*.pickle"))
    assert len(stored) == 1
    with monkeypatch.context() as m:  # a second process with the same files reads nothing but the stored book
        m.setattr(rules, "read_rule_files", lambda d: pytest.fail("the stored book was not used"))
        assert rate() == "400元"
    file = corpus_dir / SHILI_RULES.name
    file.write_text(file.read_text(encoding="utf-8").replace('"400元"', '"450元"'), encoding="utf-8")
    assert rate() == "450元"
    for p in (tmp_path / "cache" / "rules").glob("book-*.pickle"):
        p.write_bytes(b"not a pickle")
    assert rate() == "450元"


@pytest.mark.parametrize("edit, says", [
    pytest.param(lambda t: t.replace('doc_no = "示政发〔2025〕3号"', 'doc_no = "示政发〔2025〕9号"', 1), "示政发〔2025〕9号",
                 id="unknown-document"),
    pytest.param(lambda t: t.replace('"400元"', '"四百块"'), "四百块", id="figure-not-a-quantity"),
    pytest.param(lambda t: t.replace('id = "shi3-04-honey-brand"', 'id = "shi3-03-nectar-forest"'), "重复",
                 id="duplicate-id"),
    pytest.param(lambda t: t.replace('"示政发〔2025〕3号 三、（五）"', '"示政发〔2025〕3号 三、（九）"'), "三、（九）",
                 id="undeclared-combination"),
    pytest.param(lambda t: t + "\n[[rules]\n", "shili-gazette-2025-02.rules.toml", id="not-toml"),
])
def test_a_broken_rule_file_is_one_sentence_naming_it(tmp_path, edit, says):
    for p in FIXTURE_DIR.iterdir():
        if not p.name.startswith("README"):
            shutil.copy(p, tmp_path / p.name)
    rules = tmp_path / SHILI_RULES.name
    rules.write_text(edit(rules.read_text(encoding="utf-8")), encoding="utf-8")
    p = cli("calc", "--list", corpus_dir=tmp_path, check=False)
    assert p.returncode != 0 and "Traceback" not in p.stderr
    message = (p.stdout + p.stderr).strip()
    assert says in message and SHILI_RULES.name in message and len(message.splitlines()) == 1, message


@pytest.mark.parametrize("table, says", [
    pytest.param('[matching.rules]\nrevenue = "shi3-03-nectar-forest"\n', "revenue_milestone", id="wrong-formula"),
    pytest.param('[matching.rules]\nhives = "shi3-03-nectar-forest"\n', "hives", id="no-such-figure"),
    pytest.param('[[matching.recognitions]]\nname = "x"\npattern = "x"\nrule = "shi3-99"\nlevels = { "" = "省级" }\n',
                 "shi3-99", id="unknown-rule"),
])
def test_a_broken_matching_table_is_one_sentence_naming_the_file(tmp_path, table, says):
    from assistant.calculator.rules import RuleFileError, rules_for
    from assistant.matching.vocabulary import vocabulary

    for p in FIXTURE_DIR.iterdir():
        shutil.copy(p, tmp_path / p.name)
    rules = tmp_path / SHILI_RULES.name
    rules.write_text(rules.read_text(encoding="utf-8") + "\n" + table, encoding="utf-8")
    with pytest.raises(RuleFileError, match=SHILI_RULES.name) as exc:
        vocabulary(rules_for(tmp_path))
    assert says in str(exc.value) and "\n" not in str(exc.value)


# ----------------------------------------------------------------------------------------------- no literal left

# Left in code, and why: nothing.
ALLOWED: set[str] = set()
GAZETTE_LITERAL = re.compile(r"嘉兴|Jiaxing|嘉[政司]|〔20\d\d〕|第0?[45]、?0?5?期|(?<!\d)(?:10|12|13|14)号")


def gazette_names(rule_file: Path) -> set[str]:
    """The real gazette's own names from its rule file: rule titles, award categories and their aliases, the
    recognitions companies hold, and the categories its rules ask for (sectors, crops). Four characters or more, so
    that the general levels (省级) and grades (一等奖) are not among them; the national enterprise types the R&D rule
    asks for (规上企业, 高新技术企业) are general words, not this gazette's."""
    data = tomllib.loads(rule_file.read_text(encoding="utf-8"))
    names = set()
    for r in data["rules"]:
        names.add(r["title"])
        for a in r.get("awards", ()):
            names |= {a["label"], *a.get("aliases", ())}
        names |= {c for i in r.get("inputs", ()) if i["name"] != "enterprise_type" for c in i.get("choices", ())}
    names |= {s["name"] for s in data["matching"]["recognitions"]}
    names |= {n["name"] for n in (*data["matching"]["industries"], *data["matching"]["crops"])}
    return {n for n in names if len(n) >= 4}


def _string_literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def gazette_literals(pkg: Path, names: set[str]) -> list[str]:
    """Each string literal of the package's code (comments and docstrings are not literals) that holds a 文号, the
    gazette's city or issue, or one of its names."""
    return [f"{p.relative_to(pkg)}:{line}: {text[:60]}" for p in sorted(pkg.rglob("*.py"))
            if str(p.relative_to(pkg)) not in ALLOWED
            for line, text in _string_literals(p) if GAZETTE_LITERAL.search(text) or any(n in text for n in names)]


def test_the_real_gazettes_names_are_many():
    names = gazette_names(CORPUS_DIR / "jiaxing-gazette-2024-04-05.rules.toml")
    assert len(names) > 100 and {"灯塔工厂", "科技信息", "稻麦复种", "智能化技术改造项目补助"} <= names


def test_no_gazette_literal_remains_in_the_code_outside_data_files():
    found = gazette_literals(ROOT / "assistant", gazette_names(CORPUS_DIR / "jiaxing-gazette-2024-04-05.rules.toml"))
    assert not found, found


def test_an_assistant_calculates_with_its_own_corpus_rules_whatever_the_environment_names():
    """Settings given in-process (not the environment) name the fixture: its rules, not the real gazette's."""
    assert "ASSISTANT_CORPUS_DIR" not in os.environ or os.environ["ASSISTANT_CORPUS_DIR"] != str(FIXTURE_DIR)
    ans = bot_for(FIXTURE_DIR).ask("新种植蜜源林120亩能补多少")
    assert ans.kind == "calculation" and ans.calculation["amount_yuan"] == 48_000
    real = bot_for(ROOT / "corpus").ask("技改投入3000万评了A档能补多少？")
    assert real.kind == "calculation" and real.calculation["amount_yuan"] == 15_000_000


def test_the_lcel_chain_also_calculates_with_its_corpus_rules():
    ans = bot_for(FIXTURE_DIR).chain.invoke({"question": "新种植蜜源林120亩能补多少"})
    assert ans.kind == "calculation" and ans.calculation["amount_yuan"] == 48_000
