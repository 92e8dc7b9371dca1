"""Abbreviations of the gazette's terms, found in the corpus text, never listed by hand."""

from __future__ import annotations

import pytest

from assistant.abbrev import expand

pytestmark = pytest.mark.unit


def test_an_abbreviation_of_one_term_is_read_as_the_term(corpus):
    assert expand(corpus, "我妈想办长护险，参保的人多吗") == [("长护险", "长期护理保险")]


@pytest.mark.parametrize("question", [
    "我们去年种了两百亩地",        # 年种: jieba glues a year to a verb, no term
    "厂里评上了先进",              # 评上: a real word
    "这个数准不准",                # 数准: not a compound of words
    "高企有什么政策",              # 高企: several terms fit (高新技术企业, 高质量…企业): nothing is assumed
])
def test_words_that_are_no_abbreviation_of_exactly_one_term_are_left_alone(corpus, question):
    assert expand(corpus, question) == []


def test_the_answer_uses_the_term(corpus):
    from assistant.answer import Assistant
    from assistant.settings import get_settings

    ans = Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28"})).ask("长护险参保人数目标多少")
    assert ans.kind == "answer" and "425万人" in ans.answer.split("原文")[0]


def test_two_characters_are_an_abbreviation_only_of_two_word_beginnings(corpus):
    """"人能" is no abbreviation of 人工智能 (能 ends a word): a question about 孕产补助 stays about it."""
    assert expand(corpus, "孕产补助一个人能领多少钱") == []


def test_two_characters_abbreviate_a_term_of_two_words_only(corpus):
    """"那些人发多少" glues 人 and 发: no abbreviation of 人力资源|服务|机构|发展, which skips two words."""
    assert expand(corpus, "立功的人发多少奖金") == []


@pytest.mark.parametrize("question, found", [
    ("技改投了3000万，C档，战新", [("战新", "战略性新兴产业")]),  # 战略性|新兴: neighbouring words
    # 高新技术企业 is one word of the gazette (高企 takes its ends); 高质量|小微企业园 skips a word of its own
    ("我们是高企，研发费用涨了", [("高企", "高新技术企业")]),
])
def test_a_two_character_abbreviation_heads_neighbouring_words(corpus, question, found):
    assert expand(corpus, question) == found
