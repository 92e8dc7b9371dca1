"""The citation grammar, table-driven: how people write references, resolved against the real corpus."""

from __future__ import annotations

import pytest

from assistant.citations import parse_citation, resolve
from assistant.numerals import cn_to_int, int_to_cn

pytestmark = pytest.mark.unit

D10, D13, D14, DS3 = "嘉政发〔2024〕10号", "嘉政发〔2024〕13号", "嘉政发〔2024〕14号", "嘉司发〔2024〕3号"


def cites(corpus, text):
    q = parse_citation(text)
    assert q is not None, text
    return [c.citation for c in resolve(q, corpus.documents).candidates]


@pytest.mark.parametrize(
    "text, first",
    [
        pytest.param("嘉政发〔2024〕10号（十九）", f"{D10} 三、（十九）", id="canonical"),
        pytest.param("嘉政发[2024]10号 第十九条", f"{D10} 三、（十九）", id="square-第十九条"),
        pytest.param("嘉政发〔2024〕10 号 十九", f"{D10} 三、（十九）", id="spaced-bare-numeral"),
        pytest.param("10号文第19条", f"{D10} 三、（十九）", id="10号文第19条"),
        pytest.param("10号文第19条讲什么", f"{D10} 三、（十九）", id="with-question-words"),
        pytest.param("嘉政发【2024】10号(19)", f"{D10} 三、（十九）", id="lenticular-arabic-paren"),
        pytest.param("嘉政发(2024)10号（十九）", f"{D10} 三、（十九）", id="ascii-paren-year"),
        pytest.param("嘉政发2024年10号第十九条", f"{D10} 三、（十九）", id="year-with-年"),
        pytest.param("政发10号 19条", f"{D10} 三、（十九）", id="short-prefix-19条"),
        pytest.param("十号文第十九条", f"{D10} 三、（十九）", id="chinese-doc-number"),
        pytest.param("嘉政發〔2024〕10號 第十九條", f"{D10} 三、（十九）", id="traditional"),
        pytest.param("１０号文第１９条", f"{D10} 三、（十九）", id="fullwidth-digits"),
        pytest.param("10号文 三、（十九）", f"{D10} 三、（十九）", id="full-path"),
        pytest.param("10号文第66条", f"{D10} 八、（六十六）", id="last-clause"),
        pytest.param("10号文第一条", f"{D10} 一、（一）", id="first-clause"),
        pytest.param("10号文第三部分", f"{D10} 三、", id="section-by-部分"),
        pytest.param("14号文 三（一）", f"{D14} 三、（一）", id="14-三（一）"),
        pytest.param("14号文三、(一)", f"{D14} 三、（一）", id="14-三、(一)"),
        pytest.param("嘉政发[2024]14号 四、（二）", f"{D14} 四、（二）", id="14-四（二）"),
        pytest.param("14号文第8条", f"{D14} 二、（二）8.", id="14-item-8"),
        pytest.param("14号文 二（三）11", f"{D14} 二、（三）11.", id="14-path-with-item"),
        pytest.param("14号文五、", f"{D14} 五、", id="14-section-五"),
        pytest.param("14号文第三部分第一条", f"{D14} 三、（一）", id="14-部分-条"),
        pytest.param("14号文第三部分（一）", f"{D14} 三、（一）", id="14-部分-（一）"),
        pytest.param("嘉司发〔2024〕3号 第8条", f"{DS3} 二、（三）8.", id="司发-第8条"),
        pytest.param("嘉司发[2024]3号 二、（三）8.", f"{DS3} 二、（三）8.", id="司发-full-path"),
        pytest.param("嘉司发3号第十三条", f"{DS3} 二、（四）13.", id="司发-第十三条"),
        pytest.param("3号文 第1条", f"{DS3} 二、（一）1.", id="3号文-only-司发"),
        pytest.param("13号文第11条", f"{D13} 二、（十一）", id="13-第11条"),
        pytest.param("嘉政发〔2024〕13号（二十四）", f"{D13} 五、（二十四）", id="13-last"),
        pytest.param("12号文", "嘉政发〔2024〕12号 主送", id="doc-only-12"),
        pytest.param("13号文第（十一）条", f"{D13} 二、（十一）", id="第（十一）条"),
        pytest.param("14号文件第二部分第8点", f"{D14} 二、（二）8.", id="第二部分第8点"),
        pytest.param("嘉司发3号第二部分第13项", f"{DS3} 二、（四）13.", id="第二部分第13项"),
        pytest.param("10号文第八部分第2点", f"{D10} 八、（六十）", id="第八部分第2点-in-order"),  # numbered on
        pytest.param("嘉司发3号第（二）条第5项", f"{DS3} 二、（二）5.", id="第（二）条第5项"),
    ],
)
def test_citation_resolves(corpus, text, first):
    got = cites(corpus, text)
    assert got and got[0] == first


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("14号文（一）", [f"{D14} 二、（一）", f"{D14} 三、（一）", f"{D14} 四、（一）"], id="14-（一）-三处"),
        pytest.param("第十九条", [f"{D10} 三、（十九）", f"{D13} 四、（十九）"], id="no-doc-两个文件"),
        pytest.param("14号文第3条", [f"{D14} 二、（一）3.", f"{D14} 三、"], id="14-第3条-项优先"),
    ],
)
def test_ambiguous_returns_all_candidates_best_first(corpus, text, expected):
    got = cites(corpus, text)
    assert got[: len(expected)] == expected
    assert len(got) >= len(expected)


@pytest.mark.parametrize(
    "text, message_part",
    [
        pytest.param("10号文第99条", "（一）至（六十六）", id="out-of-range-99"),
        pytest.param("嘉政发〔2024〕10号（六十七）", "（一）至（六十六）", id="out-of-range-67"),
        pytest.param("14号文第20条", "1.至13.", id="14-no-item-20"),
        pytest.param("嘉政发〔2024〕99号", "收录的文件有", id="unknown-doc"),
        pytest.param("嘉司发〔2024〕10号 第1条", "收录的文件有", id="wrong-prefix"),
        pytest.param("嘉政发〔2023〕10号 第1条", "收录的文件有", id="wrong-year"),
    ],
)
def test_wrong_citation_names_what_exists(corpus, text, message_part):
    q = parse_citation(text)
    res = resolve(q, corpus.documents)
    assert res.candidates == []
    assert message_part in res.message


@pytest.mark.parametrize("text", ["种粮大户有什么补贴", "绿色工厂奖励", "", "hello", "投入3000万能补多少"])
def test_plain_questions_are_not_citations(text):
    q = parse_citation(text)
    assert q is None or not (q.has_doc or q.has_unit)


def test_parse_fields():
    q = parse_citation("嘉政发[2024]10号 第十九条")
    assert (q.prefix, q.year, q.doc_number, q.ordinal) == ("嘉政发", 2024, 10, 19)
    q = parse_citation("二、（三）8.")
    assert (q.section, q.clause, q.item) == (2, 3, 8)


@pytest.mark.parametrize("cn, n", [("一", 1), ("十", 10), ("十九", 19), ("二十", 20), ("六十六", 66),
                                   ("三千万", 30_000_000), ("一亿二千万", 120_000_000), ("两千", 2000)])
def test_numerals(cn, n):
    assert cn_to_int(cn) == n
    if n < 100:
        assert int_to_cn(n) == cn


@pytest.mark.parametrize("bad", ["", "一二", "十x", "abc"])
def test_bad_numerals_raise(bad):
    with pytest.raises(ValueError):
        cn_to_int(bad)


@pytest.mark.unit
@pytest.mark.parametrize("text", ["14号文 共享制造 哪一条", "这几条都适用吗"])
def test_which_clause_is_a_question_not_a_citation_of_clause_one(text):
    q = parse_citation(text)
    assert q is None or q.ordinal != 1


@pytest.mark.unit
@pytest.mark.parametrize("text, message", [
    ("10号文第-1条", "第-1条不是有效的条款编号"),
    ("10号文第一百条", "没有第100条"),
    ("10号文第99999999999999999999条", "没有第99999999999999999999条"),
    ("嘉政发〔2099〕10号", "没有嘉政发〔2099〕10号文件"),
])
def test_references_to_nothing_are_named_as_written(corpus, text, message):
    res = resolve(parse_citation(text), corpus.documents)
    assert not res.candidates and message in res.message


def test_a_section_named_with_its_heading_before_the_clause():
    q = parse_citation("按嘉政发〔2024〕14号“四、保障措施”第（二）条办理")
    assert (q.doc_number, q.section, q.clause) == (14, 4, 2)
    q = parse_citation("14号文三、支持政策第（一）条")
    assert (q.section, q.clause) == (3, 1)
