"""Classes of everyday questions found while reading colloquial17's, colloquial18's and colloquial19's development parts
(2026-11-30, sixth session); each test phrases its own questions."""

from __future__ import annotations

import pytest

from tests.test_understanding_s5 import bot, first  # noqa: F401 — the same module-scoped assistant and first line

pytestmark = pytest.mark.unit


def test_a_sentence_has_the_units_named_after_it_when_the_clause_names_them_part_by_part():
    from assistant.fields import parse_units, sentence_units

    text = "甲事项要做好。(责任单位:一局、二局)乙事项要做好。(责任单位:三局)"
    assert sentence_units(text, "乙事项要做好。") == ("三局",)
    assert sentence_units(text, "甲事项要做好。") == ("一局", "二局")
    assert sentence_units("只有一件事。(责任单位:一局、二局)", "只有一件事。") == parse_units("只有一件事。(责任单位:一局、二局)")


@pytest.mark.parametrize("question, unit, other", [
    ("帮独居的老人家里装安全守护系统，是哪个部门在管", "市民政局", "市经信局"),  # 13号（十三）: its second part
    ("报废的动力电池拿去储能用，这事归哪个部门", "市发展改革委", "市商务局"),  # 13号（十六）: its second part
])
def test_the_unit_asked_is_that_of_the_part_that_answers(bot, question, unit, other):
    ans = bot.ask(question)
    assert unit in first(ans) and other not in ans.answer.split("注意")[0]


def test_a_clause_pointing_at_a_matter_is_what_is_asked_about_not_the_askers_story(bot):
    from assistant.parts import without_circumstances

    assert "公积金" in without_circumstances("我爸那个公积金，能取多少")
    assert without_circumstances("我在外地上班，那补贴多少") == "那补贴多少"  # no demonstrative: story
    assert bot.ask("孩子上学那个个税专项附加扣除，每月减多少").kind == "refusal"


def test_when_a_document_was_issued_asked_with_sha(bot):
    ans = bot.ask("14号文件啥时候发的")
    assert "成文日期" in first(ans) and "2024年4月18日" in first(ans)


def test_a_keyword_many_rules_share_counts_less_in_choosing_the_rule():
    from assistant.calculator.extract import extract, keyword_spread
    from assistant.calculator.rules import RULES

    assert keyword_spread(RULES)["保险"] > 1 and keyword_spread(RULES)["信保"] == 1
    assert extract("厂里在中信保买了短期的出口保险，保费一年60万，按比例最多补多少").rule.id == "10-45-export-credit-insurance"
    assert extract("首台套装备投了保险，保费交了30万，补多少").rule.id == "10-21-first-set-insurance"


def test_what_makes_one_qualify_is_no_validity_question(bot):
    from assistant.answer import VALIDITY_INTENT

    assert not VALIDITY_INTENT.search("收入多少以下才算数")  # 才算数: the condition to qualify
    assert VALIDITY_INTENT.search("这个政策现在还算数伐")
    ans = bot.ask("想问下社会帮扶扩到低收入家庭，年收入要多少以下才作数")
    assert "10万元" in first(ans)


def test_a_half_related_question_is_refused_with_clauses_to_choose_from(bot):
    ans = bot.ask("家里老房子空着想租出去搞民宿，税上有啥照顾")
    assert ans.kind == "refusal" and ans.answer.startswith("没有在本期公报中找到")
    assert "您问的是否与以下条款有关" in ans.answer and ans.citations  # offered, each with its citation
    assert "（三十四）" in ans.answer
    assert "以下条款" not in bot.ask("嘉兴粽子哪家最好吃").answer  # nothing shared: nothing offered


def test_a_follow_up_after_a_refusal_does_not_take_an_offered_clause_as_its_subject(bot):
    first_reply = bot.ask("家里老房子空着想租出去搞民宿，税上有啥照顾").answer
    history = [{"role": "user", "content": "家里老房子空着想租出去搞民宿，税上有啥照顾"},
               {"role": "assistant", "content": first_reply}]
    from assistant.answer import _cited_in_reply
    assert _cited_in_reply(bot, history) is None


def test_a_sum_to_reach_is_no_grant_for_a_money_question(bot):
    # 10号（五十四） names the pilot project and 7条 chains of 年产值超10亿元: no money is granted there
    ans = bot.ask("土特产精品培育的省级试点项目批下来了，能拿多少钱")
    assert ans.kind == "refusal" and first(ans).startswith("本期公报没有规定")
    assert not first(ans).startswith("建设7条")


@pytest.mark.parametrize("question, word", [
    ("我家种了20亩葡萄，市里每亩补贴多少", "葡萄"),      # fruit (Bh07): the grain rule pays for 稻麦/早粮/油菜
    ("养鸭子的，每只鸭能补多少钱", "鸭子"),
])
def test_a_per_unit_subsidy_for_what_the_gazette_does_not_subsidise_is_refused(bot, question, word):
    from assistant.awards import unnamed_living

    assert unnamed_living(bot.corpus, question) == word
    assert bot.ask(question).kind == "refusal"


def test_the_refusal_names_the_thing_and_quotes_the_per_unit_subsidy_the_gazette_has(bot):
    ans = bot.ask("我家种了20亩葡萄，市里每亩补贴多少")
    assert ans.kind == "refusal" and "“葡萄”" in first(ans)
    assert any(c.clause.endswith("（五十一）") for c in ans.citations)


@pytest.mark.parametrize("question", [
    "种了60亩玉米，市里每亩补多少",        # a grain (Bh05): may be the rule's 一季早粮 — not refused on the word
    "稻子麦子两季都种，每亩市里加多少",
    "生猪价格指数保险每头补多少",          # 生猪 is a word of the gazette
])
def test_a_per_unit_subsidy_for_a_crop_of_the_rules_kind_is_not_refused_on_the_word(bot, question):
    from assistant.awards import unnamed_living

    assert unnamed_living(bot.corpus, question) is None


def test_the_thesaurus_classes_of_plants_and_animals_are_kept_in_the_semantic_cache(bot):
    living = bot.corpus.soft.semantic.living
    assert living["茶叶"] == {"Bh11"} and "Bh05" in living["水稻"] and living["猪"] == {"Bi07"}
    assert "电梯" not in living


def test_a_share_the_government_pays_is_a_granted_rate_and_a_yearly_cap_names_no_subject(bot):
    from assistant.statements import GRANT_Q

    assert GRANT_Q.search("保费政府帮出几成") and GRANT_Q.search("市里承担百分之几")
    ans = bot.ask("首台套装备投了保险，保费政府帮出几成？每年封顶多少")
    assert "70%" in first(ans) and "50万元" in ans.answer.split("原文")[0]


def test_a_short_follow_up_naming_a_category_of_the_cited_clause_in_everyday_words_stays_in_it(bot):
    history = [{"role": "user", "content": "做物流的营收头一回过5000万奖多少"},
               {"role": "assistant", "content": "根据嘉政发〔2024〕14号“三、支持政策”第（一）条，给予20万元奖励。"}]
    ans = bot.ask("搞批发零售的门槛多少", history)
    assert "批零贸易" in ans.answer and ans.citations[0].doc_no.endswith("14号")


def test_a_grade_the_gazette_never_gives_is_refused_or_corrected_without_repeating_it(bot):
    asked = bot.ask("平安建设行政奖励里记三等功的有哪些人")
    assert asked.kind == "refusal" and "个人二等功" in first(asked) and "三等功" not in first(asked)
    claimed = bot.ask("我听说平安建设给海宁市公安局记了集体三等功，是这样伐")
    assert claimed.kind == "answer" and first(claimed).startswith("不对") and "三等功" not in claimed.answer


def test_a_when_question_is_answered_with_the_time_of_the_piece_that_names_the_asked_thing(bot):
    ans = bot.ask("化工园区配套的化工废水集中处理设施，最迟哪年要建成")
    assert first(ans).startswith("2027年底前") and "海盐县" not in first(ans)


def test_an_everyday_off_topic_matter_is_refused_also_when_typed_with_a_homophone(bot):
    assert bot.ask("嘉兴现在的最低工资标准一个月多少").route == "out_of_scope"
    assert bot.ask("想用公基金贷款买房，最多贷多少").route == "out_of_scope"  # 公基金: 公积金 typed by sound


def test_whether_a_level_is_rewarded_at_all_is_an_award_question(bot):
    ans = bot.ask("县里评的市级节水型企业有奖吗")
    assert ans.kind == "refusal" and "市级" in first(ans) and "10万元" in ans.answer  # the 省级 award it does have


def test_broke_through_a_bracket_means_above_it():
    from assistant.calculator.extract import extract

    e = extract("做物流的，营收头一回破了5000万，奖多少")
    assert e is not None and str(e.inputs.get("revenue", "")).startswith("超过")


def test_jitian_asks_money_as_duoshaoqian_does(bot):
    from assistant.statements import asks_value, wanted_kinds

    assert asks_value("奖几钿") and "money" in wanted_kinds("奖几钿")
    assert "10万元" in first(bot.ask("评上省级节水型企业，市里奖几钿"))


def test_an_amount_of_a_sibling_item_is_not_the_asked_items(bot):
    # 10号（三十九）: 海铁联运 200元/标箱; 海河联运 (嘉兴港 → 宁波舟山港) is continued without an amount
    ans = bot.ask("做海河联运的，集装箱经嘉兴港运到宁波舟山港，每个箱子市里补几块钱")
    assert ans.kind == "refusal" and first(ans).startswith("本期公报没有规定") and "200元" not in first(ans)


def test_a_sentence_final_particle_is_not_glued_to_the_word_before(bot):
    from assistant.compose import query_terms

    terms = query_terms(bot.corpus, "旧家具这种大件，啥时候各县都有回收点伐")
    assert "点伐" not in terms and "啥时候" not in terms and "回收" in terms
    assert not {"来", "着"} & set(query_terms(bot.corpus, "公共充电桩新增了多少根来着"))
