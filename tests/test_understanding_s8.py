"""Classes of everyday questions found while reading colloquial25's development part (2026-11-30, eighth session);
each test phrases its own questions."""

from __future__ import annotations

import pytest

from tests.test_understanding_s5 import bot, first  # noqa: F401 — the same module-scoped assistant and first line

pytestmark = pytest.mark.unit


def test_a_later_question_naming_nothing_new_after_a_refused_one_is_refused_with_it(bot):
    # the gazette names no 鸡舍 insurance; "比例是多少" asks the same again and must not borrow 首台(套)'s 70%
    ans = bot.ask("养鸡的鸡舍保险，保费政府补几成？比例是多少")
    assert ans.kind == "refusal" and "鸡舍保险" in first(ans) and "70%" not in first(ans)
    # a later question with a subject of its own is still answered for itself
    ans = bot.ask("养鸡的鸡舍保险，保费政府补几成？首台套装备保险呢")
    assert "70%" in ans.answer


def test_every_wrong_grade_of_a_claim_is_corrected_stars_too(bot):
    # 12号: "二星"平安金鼎 and 二等功; the claim gets both wrong
    ans = bot.ask("朋友圈说咱们市平安建设得了三星平安金鼎，好几个人记了一等功，靠谱吗")
    line = first(ans)
    assert line.startswith("不对") and "二星" in line and "二等功" in line
    assert "三星" not in line and "一等功" not in line  # the wrong grades are not repeated


def test_a_grade_written_with_another_numeral_is_the_askers_figure_not_a_missing_topic():
    from assistant.answer import Assistant
    from assistant.compose import coverage, query_terms
    from assistant.settings import get_settings

    corpus = Assistant(get_settings()).corpus
    clause = next(c for c in corpus.clauses if "二等功" in c.text)
    # the wrong grade weighs nothing either way: 一等功 covers the clause at least as well as the bare 功
    assert coverage(corpus, query_terms(corpus, "有人记了一等功"), clause) >= coverage(
        corpus, query_terms(corpus, "有人记了功"), clause)


def test_a_later_questions_year_that_the_clause_before_writes_names_no_other_subject(bot):
    # 13号（七）: 到2027年累计淘汰500台(套)以上 (of farm machines); （三）'s 2024年淘汰1500台以上 is of other machines
    line = first(bot.ask("家里旧的柴油农机要淘汰掉伐？到27年全市一共淘汰多少台"))
    assert "500台" in line and "1500台" not in line


def _sentence(question: str, citation_end: str, doc: str) -> str:
    from assistant.answer import Assistant
    from assistant.compose import best_sentence, expanded_terms
    from assistant.settings import get_settings

    corpus = Assistant(get_settings()).corpus
    clause = next(c for c in corpus.clauses if c.citation.endswith(citation_end) and doc in c.citation)
    return best_sentence(corpus, expanded_terms(corpus, question), clause, question)


def test_a_word_of_grammar_alone_chooses_no_sentence():
    # 嘉司发3号 二、（一）2.: "不" of the question stands in 不符合 / 不得, which says nothing of 单方委托
    s = _sentence("保险公司要是不同意，我自己单独委托鉴定可以不", "二、（一）2.", "司发")
    assert "单方委托风险" in s


def test_a_word_and_its_synonym_count_once_in_choosing_a_sentence():
    # 10号（四十）: 高速 and its synonym 高速公路 both stand in the ETC sentence; 鲜活 names the green-channel one
    s = _sentence("拉鲜活的车走高速过路费全免吗", "（四十）", "10号")
    assert "绿色通道" in s and "八五折" not in s


def test_money_is_the_gazettes_funds(bot):
    # 10号（五十九）: 养老保障资金3.48亿元; （二十八）'s 3.25亿元 is for 人才、养老服务及就业 (and it writes 补助, once
    # the only word 钱 was read as)
    line = first(bot.ask("政府预算里给养老保障的钱几个亿啊"))
    assert "3.48亿元" in line and "3.25亿元" not in line


def test_whether_a_grade_was_given_at_all_is_asked_not_claimed(bot):
    # 12号 gives only 二等功: "有没有…一等功" asks whether; the gazette has no record of it (refused), no "不对"
    ans = bot.ask("那次平安建设表彰，有没有给单位记集体一等功的")
    assert ans.kind == "refusal" and not first(ans).startswith("不对") and "二等功" in first(ans)
    ans = bot.ask("那次平安建设表彰，有单位记了集体一等功吧")  # a claim: corrected
    assert first(ans).startswith("不对")


def test_whether_something_must_be_done_is_answered_with_the_short_clauses_rule_and_conditions():
    # 嘉司发3号 二、（二）7. never says 录像: its 视频记录 sentence is one of three; none answers plainly, so all are quoted
    s = _sentence("做鉴定那天需不需要全程录像", "二、（二）7.", "司发")
    assert "视频记录" in s and "派员到场" in s
    # one sentence plainly answers: it alone (10号（四十）: 浙F牌照 on the 高速环线)
    s = _sentence("浙F牌照的小车走市区高速环线要不要钱", "（四十）", "10号")
    assert "浙F牌照" in s and "八五折" not in s


def test_a_year_before_a_termless_document_was_issued_is_not_in_the_gazette(bot):
    # 13号 states no term; it was signed 2024-04-17: its 2027 targets say nothing of 2023 (a year the gazette names
    # elsewhere, as a baseline, so no year the router refuses outright)
    ans = bot.ask("2023年全市老旧小区燃气管网改了几个")
    assert ans.kind == "refusal" and "2023年" in first(ans)
    assert bot.ask("到2027年老旧小区燃气管网要改造多少个").kind == "answer"  # its own years are answered


def test_a_count_that_the_best_clause_lacks_is_taken_from_a_close_clause_that_states_it(bot):
    # 13号（二十） writes 装配式装修 but no number; （十三）: 每年累计开展装配化装修试点项目不少于20个
    ans = bot.ask("家里想翻新，市里推的装配式装修每年搞几个试点")
    assert ans.kind == "answer" and "20" in first(ans)


def test_a_checked_percentage_is_found_by_its_item_when_the_gazette_names_the_rate_otherwise(bot):
    # 10号（六十二）: 通过…义务教育优质均衡发展县省级评估的县比例超过70% (the asker's 通过率 is the gazette's 比例)
    line = first(bot.ask("义务教育优质均衡县的评估通过率24年要求到90%，是吧"))
    assert line.startswith("不对") and "70%" in line


def test_a_figure_that_cannot_be_placed_is_no_amount_unless_it_is_money():
    from assistant.answer import Assistant
    from assistant.compose import compose_single
    from assistant.settings import get_settings

    a = Assistant(get_settings())
    clause = next(c for c in a.corpus.clauses if c.citation.endswith("（六十二）"))
    text = compose_single(a.corpus, "那个评估比例是80%对吧", clause, a.settings.today).text
    assert "不同金额" not in text


def test_an_item_the_asker_aims_for_is_checked_against_the_award_catalogue(bot):
    # the gazette rewards no 农业产业化示范园区 at any level: aiming for it ("在争创") is asked like being recognised
    ans = bot.ask("村里在争创省级农业产业化示范园区，要是成了市里奖多少")
    assert ans.kind == "refusal" and "农业产业化示范园区" in first(ans)
