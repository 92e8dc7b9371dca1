"""Classes of everyday questions found while reading colloquial21's development part (2026-11-30, seventh session);
each test phrases its own questions."""

from __future__ import annotations

import pytest

from tests.test_understanding_s5 import bot, first  # noqa: F401 — the same module-scoped assistant and first line

pytestmark = pytest.mark.unit


def test_a_level_written_at_a_later_full_mention_of_the_item_is_the_level_asked(bot):
    # 10号（二十二） rewards 国家级 单项冠军 only
    ans = bot.ask("单项冠军的奖励我打听过了，我们厂是省级单项冠军，奖多少")
    assert ans.kind == "refusal" and "省级" in first(ans) and "300万元" in ans.answer


def test_a_grade_alone_names_no_item(bot):
    ans = bot.ask("我们饭店要是评上五星级农家乐，市里奖多少")
    assert ans.kind == "refusal" and "五星级农家乐" in first(ans)
    assert bot.ask("小微企业园评上四星级的奖多少").kind == "answer"  # the item the gazette rewards at that grade


def test_a_recognition_passed_is_a_recognition():
    from assistant.answer import Assistant
    from assistant.awards import absent_item, catalogue
    from assistant.settings import get_settings

    a = Assistant(get_settings())
    text = a.corpus_text
    assert absent_item("上个月通过了国家高新技术企业认定，有没有奖励", catalogue(a.corpus), text) is not None
    assert absent_item("营收超过了5000万，有没有奖励", catalogue(a.corpus), text) is None  # 超过了: a figure, no title


def test_a_subsidy_by_the_mu_for_a_crop_the_gazette_never_names(bot):
    ans = bot.ask("种西瓜的按亩有补贴吗")
    assert ans.kind == "refusal" and "西瓜" in first(ans)


def test_a_word_the_segmenter_cut_in_two_at_a_glued_particle_is_read():
    from assistant.compose import query_terms

    from assistant.answer import Assistant
    from assistant.settings import get_settings

    corpus = Assistant(get_settings()).corpus
    assert "报废" in query_terms(corpus, "明年要报废掉几台旧机器")
    assert "个人" not in query_terms(corpus, "一个人补多少")  # 一 and 补 are no particles


@pytest.mark.parametrize("question, amount, other", [
    ("省里的首版次软件产品奖多少", "50万元", "20万元"),
    ("市里的首版次软件奖多少", "20万元", "50万元"),
])
def test_a_level_said_before_the_items_shared_name_picks_the_item(bot, question, amount, other):
    line = first(bot.ask(question))
    assert amount in line and other not in line


def test_an_if_and_a_verb_of_recognition_name_no_subject():
    from assistant.answer import Assistant
    from assistant.compose import missing_subject
    from assistant.settings import get_settings

    a = Assistant(get_settings())
    clause = next(c for c in a.corpus.clauses if c.doc_no == "嘉政发〔2024〕10号" and c.path.endswith("（三十一）"))
    assert not missing_subject(a.corpus, "要是评上了奖多少钱", clause)


def test_a_validity_question_is_about_the_document_whose_own_words_it_names(bot):
    ans = bot.ask("两业融合的奖补现在还能申报吗")
    assert "嘉政发〔2024〕14号" in first(ans) and "2026年12月31日" in ans.answer


def test_a_follow_up_chooses_the_sentence_by_its_own_words():
    from assistant.answer import Assistant
    from assistant.compose import best_sentence, expanded_terms
    from assistant.settings import get_settings

    corpus = Assistant(get_settings()).corpus
    clause = next(c for c in corpus.clauses if c.doc_no == "嘉政发〔2024〕10号" and c.path.endswith("（四十）"))
    # "浙F牌照的车呢" read with the question before it (one whose words alone choose the 八五折 sentence: "走高速"
    # no longer counts twice, as 高速 and 高速公路, since a word and its synonym count once)
    merged = "ETC货车通行费打几折 浙F牌照的车"
    terms = expanded_terms(corpus, merged)
    assert "八五折" in best_sentence(corpus, terms, clause, merged)
    assert "环线" in best_sentence(corpus, terms, clause, merged, frozenset(expanded_terms(corpus, "浙F牌照的车呢")))


@pytest.mark.parametrize("question, kind, said", [
    ("我们是做餐饮业的，营收首次超过2000万有奖励吗", "refusal", "餐饮业"),  # 14号 三、（一）: four sectors only
    ("我们厂营收首次过了1亿，14号文奖多少", "refusal", "制造业"),
    ("我们物流公司营收首次超过2000万奖多少", "answer", "10万元"),  # one of the four, in a company's words
])
def test_a_revenue_award_asked_for_a_sector_the_rule_does_not_name(bot, question, kind, said):
    ans = bot.ask(question)
    assert ans.kind == kind and said in first(ans)


def test_a_premium_not_given_is_the_sum_insured_times_the_rate():
    import datetime as dt

    from assistant.calculator import calculate

    calc = calculate("10-21-first-set-insurance", {"insured_amount": "1000万元", "rate": "1.5%"}, dt.date(2024, 6, 1))
    assert calc.amount_yuan == 105000  # 1000万 × 1.5% = 15万 premium, × 70%
    assert any("年保费 = " in s for s in calc.steps)
    blank = calculate("10-21-first-set-insurance", {"premium": " ", "insured_amount": "1000万元", "rate": "1.5%"},
                      dt.date(2024, 6, 1))  # a blank premium is not given: derived, and the step says so
    assert blank.amount_yuan == 105000 and any("年保费 = " in s for s in blank.steps)


def test_a_shortening_is_read_where_the_clause_writes_it_in_full(bot):
    # 10号（四十四）: 夜间文化旅游消费集聚区 1 个 beside 高品质消费集聚区 2 个以上
    assert "1个" in first(bot.ask("夜间文旅消费集聚区，市里要争几个"))


@pytest.mark.parametrize("question, kind", [
    ("运活猪去杭州走高速，有没有绿色通道不收费", "answer"),  # 10号（四十）: the asker goes there
    ("杭州那边养猪有啥补贴，我想去杭州养", "refusal"),  # Hangzhou's policy asked
])
def test_a_place_travelled_to_is_no_other_places_policy(bot, question, kind):
    assert bot.ask(question).kind == kind


def test_a_runner_up_that_lists_the_name_in_parts_states_the_amount(bot):
    # 10号（五十九）: "医疗、卫生资金7.85亿元"
    assert "7.85亿元" in first(bot.ask("市级财政预算里医疗卫生那块拨了多少钱"))


def test_asked_conditions_are_no_evidence(bot):
    assert bot.ask("开个小诊所想进医保定点，要啥条件").kind == "refusal"


def test_still_paid_under_the_document_this_year_asks_validity(bot):
    ans = bot.ask("种油菜市里每亩加的那个补贴，今年2026年还照这个发吗")
    assert ans.kind == "answer" and "2024年12月31日" in first(ans)


def test_spending_said_from_one_figure_to_another_with_a_label_between():
    from assistant.calculator.extract import extract

    e = extract("规上企业营收3个亿，研发费用由前年的500万涨到了700万，能补多少")
    assert e is not None and e.inputs.get("rd_prev") == "500万" and e.inputs.get("rd_curr") == "700万"


def test_a_rank_is_no_place(bot):
    ans = bot.ask("南北湖景区要创全国最高等级的那种景区，几A级")
    assert ans.kind == "answer" and "5A" in ans.answer


@pytest.mark.parametrize("question, kind", [
    ("三类客车挂浙F牌照的，走市本级高速环线免费吗", "refusal"),  # 10号（四十）: I类客车 only
    ("浙F牌照的一类客车走市本级高速环线要钱吗", "answer"),  # 一类 is its I类
])
def test_a_class_the_clause_does_not_state(bot, question, kind):
    assert bot.ask(question).kind == kind


@pytest.mark.parametrize("question, kind", [
    ("我养鸭子的，家禽养殖保险的保费政府补几成", "refusal"),  # no such insurance in the gazette
    ("短期出口信用保险的保费市里补几成", "answer"),  # 10号（四十五）
])
def test_an_insurance_named_by_words_the_gazette_never_writes(bot, question, kind):
    assert bot.ask(question).kind == kind


def test_a_follow_up_naming_a_matter_of_its_own_is_no_contrast_of_heads(bot):
    # after a reply citing 嘉司发3号 8. (拍照), "重新鉴定" is 3.'s matter, not a sibling of 8. with 鉴定 in its heading
    history = [{"role": "user", "content": "保险公司派人在鉴定现场拍照行不行"},
               {"role": "assistant", "content": "根据嘉司发〔2024〕3号第8条，保险机构不得在司法鉴定活动现场拍照。"}]
    ans = bot.ask("那要是不服想重新鉴定，还能找原来那家伐", history)
    assert "原司法鉴定机构以外" in ans.answer


def test_a_shortening_by_the_modifiers_head_is_read():
    from assistant.answer import Assistant
    from assistant.compose import initial_pairs
    from assistant.settings import get_settings

    corpus = Assistant(get_settings()).corpus
    clause = next(c for c in corpus.clauses if c.doc_no == "嘉政发〔2024〕10号" and c.path.endswith("（四十九）"))
    assert "猪价" in initial_pairs(corpus, clause)  # 生猪|价格



def test_a_verb_glued_to_a_gazette_phrase_leaves_the_phrase():
    from assistant.answer import Assistant
    from assistant.compose import query_terms
    from assistant.settings import get_settings

    corpus = Assistant(get_settings()).corpus
    assert "短视频" in query_terms(corpus, "想拍短视频的小公司有扶持吗")  # 拍短|视频: the gazette writes 短视频
    assert not any(t.startswith("容积率") and t != "容积率" for t in query_terms(corpus, "工业用地容积率一般不低于多少"))
