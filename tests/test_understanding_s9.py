"""Classes of everyday questions found while reading colloquial28's development part (2026-11-30, ninth session);
each test phrases its own questions."""

from __future__ import annotations

import pytest

from tests.test_understanding_s5 import bot, first  # noqa: F401 — the same module-scoped assistant and first line

pytestmark = pytest.mark.unit


def test_who_the_asker_heard_it_from_is_no_subject(bot):
    from assistant.compose import query_terms

    terms = query_terms(bot.corpus, "听老板讲，我们的软件产品如果评上首版次软件能拿奖")
    assert "老板" not in terms and "首版次" in terms
    # the boss is not a topic the clause lacks: the amounts of 10号（三十一） answer, not "其中的金额针对其他事项"
    ans = bot.ask("听老板讲，我们的软件产品如果评上首版次软件能拿奖，市级和省级各有多少？")
    assert ans.kind == "answer" and "（三十一）" in ans.answer and "20万元" in ans.answer and "50万元" in ans.answer


def test_what_was_heard_is_kept_and_kin_are_circumstances():
    from assistant.parts import without_circumstances

    # said by a relative: what was said is the question's topic, not the asker's circumstance
    assert "少交个税" in without_circumstances("我叔说赡养老人可以少交个税，一个月能扣多少？")
    # a son-in-law's or daughter-in-law's accident is the asker's story
    assert without_circumstances("儿媳妇出了车祸，那个规定哪天开始施行的？").startswith("那个规定")
    # 说明 and 说法 are words, not a verb of saying
    assert without_circumstances("补贴说明在哪") == "补贴说明在哪"


def test_an_off_topic_word_in_the_setting_of_hearsay_does_not_refuse(bot):
    # 驾照 is no matter of the gazette, but it is where the asker heard about 12号's award to the traffic police
    ans = bot.ask("考驾照的时候教练讲嘉兴交警支队立了功，记的是几等功？")
    assert ans.kind == "answer" and "二等功" in ans.answer and "12号" in ans.answer
    # what was heard still decides: a relative's word about income tax is out of scope
    assert bot.ask("我叔说赡养老人可以少交个税，一个月能扣多少？").kind == "refusal"


def test_a_document_date_asked_after_a_family_story(bot):
    ans = bot.ask("儿媳开车出了事故，跟保险公司为赔钱吵起来了，管保险理赔鉴定的那个意见从哪天开始施行？")
    assert ans.kind == "answer" and "2024年4月15日" in first(ans)


def test_may_i_take_a_few_photos_asks_permission_not_a_number(bot):
    ans = bot.ask("鉴定的时候保险公司的人能不能拍几张照片？")
    assert ans.kind == "answer" and "不得有在司法鉴定活动现场拍照" in ans.answer
    assert "具体数值" not in ans.answer


def test_personal_context_does_not_count_against_the_question(bot):
    ans = bot.ask("我姑妈一个人住，姑父走得早，表哥在外地打工，听说独居老人家里能装那种报警的设备，该找哪个部门？")
    assert ans.kind == "answer" and "市民政局" in first(ans) and "（十三）" in first(ans)


def test_a_follow_up_asking_how_with_za_is_a_question_of_its_own(bot):
    history = [{"role": "user", "content": "保险理赔的鉴定现在是提倡双方一起委托吗？"},
               {"role": "assistant", "content": "根据嘉司发〔2024〕3号 二、（一）1.，提倡共同委托鉴定。"}]
    ans = bot.ask("那伤者单方去委托的咋办", history)
    assert "单方委托风险" in ans.answer and "2." in ans.citations[0].clause


def test_a_grammar_character_is_never_the_crop_or_animal_asked(bot):
    ans = bot.ask("俺打算把老鸭棚翻修一下，政府每亩补多少？")
    assert "“把”" not in ans.answer


def test_a_later_question_going_on_about_a_refused_subject_is_refused_with_it(bot):
    # 动漫版权 is nowhere in the gazette; 版权登记费 goes on about it and must not get 技改's "补助比例增加1个百分点"
    ans = bot.ask("我们做动漫的，嘉兴有没有动漫版权补贴？版权登记费按百分之几补？")
    assert ans.kind == "refusal" and "百分点" not in ans.answer
    # a later question the gazette answers is still answered after a refused one
    ans = bot.ask("运活鸡去外地走高速收不收过路费？有没有那个绿色通道")
    assert ans.kind == "answer" and "绿色通道" in ans.answer


def test_what_is_left_of_a_story_must_still_name_the_clause(bot):
    # "家里想装个净水器，" is the asker's story; "政府给不给补" alone names nothing any clause is about
    assert bot.ask("家里想装个净水器，政府给不给补？").kind == "refusal"


# colloquial29's development part (the same session)

def test_a_runner_up_without_the_askers_three_character_name_does_not_answer(bot):
    # 10号（十五） names 科技企业孵化器 without an amount; 14号's 150万 is for 国家级服务型制造示范企业
    ans = bot.ask("孵化器要是认定成国家级科技企业孵化器，市里奖多少")
    assert ans.kind == "refusal" and "150万" not in first(ans)


def test_a_count_of_things_names_no_subject(bot):
    from assistant import answer as A

    corpus = bot.corpus
    assert "一条" not in A._subject_terms(corpus, "一条链产值要多大才算数")
    assert "产值" in A._subject_terms(corpus, "一条链产值要多大才算数")


def test_a_rate_asked_of_an_item_with_an_award_is_the_rate(bot):
    # the item (市内首台套) has an award of 20万元 in the same sentence; the share of the premium is asked
    ans = bot.ask("市内首台套装备买了保险，保费能补几成？")
    assert "70%" in first(ans) and "20万元" not in first(ans)


def test_a_grade_is_no_item_of_its_own(bot):
    # "市级五星级" is the grade of the 小微企业园 named before it, which 10号（二十六） rewards
    ans = bot.ask("我们厂在小微企业园里，园区要是评上市级五星级，能奖多少钱")
    assert ans.kind == "answer" and "100万元" in first(ans) and "没有规定" not in first(ans)


def test_the_city_that_pays_is_no_level():
    from assistant.calculator.extract import extract

    e = extract("朋友开了家做科技信息服务的公司，营收第一次超过2000万，市里有没有奖励？多少",
                rule_id="14-service-manufacturing")
    assert e is None or "category" not in e.inputs  # 市里 pays; nothing says the firm is a 市级 示范企业
    e = extract("我们是市里评的服务型制造示范企业，奖多少", rule_id="14-service-manufacturing")
    assert e is not None and e.inputs.get("category") == "市级"


def test_a_revenue_milestone_with_the_city_asked_is_the_milestone_award(bot):
    ans = bot.ask("朋友开了家做科技信息服务的公司，营收第一次超过2000万，市里有没有奖励？多少")
    assert "10万元" in first(ans) and "服务型制造" not in first(ans)


def test_a_level_before_an_award_name_said_short_is_read(bot):
    # 10号（十三） rewards 省科学技术进步奖 only; "市科技进步奖" is its 市 level, said short (科技 = 科学|技术), after 个
    ans = bot.ask("我们所里拿了个市科技进步奖三等奖，市里会另外奖多少钱")
    assert ans.kind == "refusal" and "市级" in first(ans) and "省科学技术" in ans.answer
    # the grade after the name (三等 against 一等) does not make it another award
    from assistant.awards import _goes_on_otherwise

    assert not _goes_on_otherwise("拿了个市科技进步奖三等奖", "进步奖", "省科学技术进步奖)一等奖")


def test_a_sum_asked_by_the_month_is_not_a_budget_total(bot):
    # 10号（五十九） states 各类学生资助资金0.69亿元, a year's budget: no sum paid to a student each month
    ans = bot.ask("学生资助一个月给多少钱")
    lead = first(ans).split("相关条款原文")[0]  # what is said before the clause is quoted
    assert ans.kind == "refusal" and lead.startswith("本期公报没有规定按月") and "0.69亿元" not in lead
    # a sum asked for the whole budget is still answered
    assert "0.69亿元" in first(bot.ask("各类学生资助资金市里安排了多少"))


# colloquial30's development part (the same session)

def test_can_i_still_get_a_per_unit_subsidy_asks_validity_not_a_sum(bot):
    # the asker names the subsidy by its amount and asks whether it can still be had: no area to ask back for
    ans = bot.ask("2026年了我还种稻麦两季，市里每亩多给15块的那个补贴今年还能领伐")
    assert ans.kind != "clarify" and "已失效" in ans.answer and "请补充" not in ans.answer


def test_a_sibling_sentence_without_the_askers_name_gives_no_amount(bot):
    # 200元/标箱 is 海铁联运's; 海河联运 (the asker's) is only said to continue, with no amount
    ans = bot.ask("我们的货走嘉兴港到宁波舟山港的海河联运，集装箱一个标箱能补多少钱？")
    assert ans.kind == "refusal" and "200元" not in first(ans).split("相关条款原文")[0]


def test_someone_elses_question_told_in_the_story_is_not_asked_of_us(bot):
    from assistant.parts import asked_questions

    # "顾客老问我哪里能充电。" tells what customers ask; the message asks one thing, after it
    assert len(asked_questions("我开小卖部的，顾客老问我哪里能充电。市里讲2024年新增多少根公共充电桩？")) == 1
    assert len(asked_questions("哪里能充电？市里新增多少根公共充电桩？")) == 2  # asked by the asker: two questions
    ans = bot.ask("我开小卖部的，顾客老问我哪里能充电。市里讲2024年新增多少根公共充电桩？")
    assert ans.answer.startswith("2024年新增公共充电桩2200根") and "没有在本期公报中找到" not in ans.answer
