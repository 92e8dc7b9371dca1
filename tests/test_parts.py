"""Several questions in one message are each answered; circumstances said first stay with the question after them."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.parts import asked_questions, split_parts
from assistant.settings import get_settings

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28", "ASSISTANT_INDEX_DIR": "/nonexistent"}))


@pytest.mark.parametrize("message, expected", [
    ("新建水厂计划几座？新增供水能力多少", ["新建水厂计划几座?", "新增供水能力多少"]),
    ("绿色工厂国家级奖多少，另外省级节水型企业奖多少", ["绿色工厂国家级奖多少,", "省级节水型企业奖多少"]),
    ("投资项目资金总共多少？其中水利类多少？", ["投资项目资金总共多少?", "水利类多少?"]),  # the connective dropped
    # one question: a confirmation, circumstances, a 其中 inside one question
    ("小巨人奖励150万元，对吗？", ["小巨人奖励150万元,对吗?"]),
    ("省级绿色工厂奖50万？是真的吗", ["省级绿色工厂奖50万?是真的吗"]),
    ("我刚退休。想问问老年食堂建几家？", ["我刚退休。想问问老年食堂建几家?"]),
    ("政府投资项目资金里，其中教育卫生类安排了多少？", ["政府投资项目资金里,其中教育卫生类安排了多少?"]),
])
def test_the_questions_of_a_message(message, expected):
    assert asked_questions(message) == expected


def test_circumstances_go_with_the_question_after_them():
    parts = split_parts("我家在农村。种了两百亩地。稻麦复种每亩补多少？油菜呢？")
    assert [p.asks for p in parts] == [False, False, True, True]  # "油菜呢" asks again, of another crop
    assert asked_questions("我家在农村。种了两百亩地。稻麦复种每亩补多少？还有一季早粮每亩补多少？") == [
        "我家在农村。种了两百亩地。稻麦复种每亩补多少?", "还有一季早粮每亩补多少?"]


def test_each_question_is_answered_and_a_later_one_reads_as_a_follow_up(bot):
    ans = bot.ask("市级财政2024年政府投资项目资金一共安排多少？其中水利类多少？")
    assert ans.route == "compound" and ans.kind == "answer"
    lead = ans.answer.split("原文")[0]
    assert "64.96亿元" in lead and "1.10亿元" in lead  # both figures said, before the one quote
    assert ans.answer.count("原文：") == 1 and [c.clause for c in ans.citations] == ["一、（二）"]


def test_a_later_question_about_the_document_keeps_the_document(bot):
    ans = bot.ask("14号文是哪天印发的？政策管到啥时候")
    assert ans.route == "compound"
    assert "2026年12月31日" in ans.answer and all(c.doc_no == "嘉政发〔2024〕14号" for c in ans.citations)


def test_a_first_question_refused_on_evidence_refuses_the_message(bot):
    ans = bot.ask("2023年嘉兴出的稳经济政策有哪些？和今年比变化大吗")
    assert ans.kind == "refusal"


@pytest.mark.parametrize("message, asked", [
    ("孩子明年中考，文件里哪所高中要提升办学质量", "文件里哪所高中要提升办学质量"),
    ("我在杭州上班，老家嘉兴的老年食堂建几家？", "老家嘉兴的老年食堂建几家?"),  # the clause asks: kept
    ("杭州的人才补贴多少", "杭州的人才补贴多少"),
    ("我退休了", "我退休了"),  # nothing else: the whole message
])
def test_the_askers_story_is_set_apart(message, asked):
    from assistant.parts import without_circumstances

    assert without_circumstances(message) == asked


def test_an_everyday_off_topic_word_in_the_askers_story_does_not_refuse(bot):
    assert bot.ask("孩子明年中考，文件里点名支持哪所高中提升办学质量？").kind == "answer"
    assert bot.ask("中考分数线今年多少").kind == "refusal"
    assert bot.ask("我在杭州上班，杭州的人才公寓补贴多少").kind == "refusal"


def test_a_later_question_the_first_clause_answers_is_answered_there(bot):
    ans = bot.ask("市级财政2024年给政府投资项目一共安排了多少亿？里头城建类占多少")
    lead = ans.answer.split("原文")[0]
    assert "64.96亿元" in lead and "9.83亿元" in lead and [c.clause for c in ans.citations] == ["一、（二）"]


def test_a_message_of_many_questions_gets_the_first_few_and_says_so(bot):
    from assistant.answer import MAX_QUESTIONS

    message = "？".join(["老年食堂建几家", "助餐点建几个", "绿色工厂国家级奖多少", "省级奖多少", "市级奖多少",
                        "小巨人奖多少"] * 3) + "？"
    ans = bot.ask(message)
    assert ans.route == "compound" and f"只回答了前{MAX_QUESTIONS}个" in ans.answer
    assert "30家" in ans.answer and "150万元" in ans.answer


# What a review of the first version found (each failed then).

def test_a_later_question_keeps_its_own_document_when_it_finds_one(bot):
    ans = bot.ask("14号文有效期到什么时候？省级绿色工厂奖多少")
    assert "50万元" in ans.answer and ("嘉政发〔2024〕10号", "三、（二十）") in [(c.doc_no, c.clause) for c in ans.citations]
    assert "14号文 省级" not in ans.answer


def test_a_later_question_naming_another_subject_is_not_answered_in_the_first_clause(bot):
    ans = bot.ask("技改投入3000万评了A档能补多少？省级绿色工厂奖多少？")
    assert "1500万元" in ans.answer and "省级绿色工厂和绿色园区：50万元" in ans.answer
    assert {c.clause for c in ans.citations} == {"三、（十九）", "三、（二十）"}


def test_an_award_refusal_refuses_only_its_own_question_and_cites(bot):
    ans = bot.ask("国家级节水型企业奖多少？省级绿色工厂奖多少？")
    assert ans.kind == "answer" and "本期公报没有对“国家级”这一级别规定这项奖励" in ans.answer and "50万元" in ans.answer
    assert ans.citations


def test_the_connective_of_a_later_question_is_no_place(bot):
    ans = bot.ask("技改投入3000万评了A档能补多少？另外省级绿色工厂奖多少")
    assert ans.kind == "calculation" and "1500万元" in ans.answer and "50万元" in ans.answer


def test_a_second_plot_in_a_message_is_calculated_with_its_own_area(bot):
    ans = bot.ask("油菜连片80亩能补多少？稻麦复种100亩呢？")
    assert "4,000元" in ans.answer and "1,500元" in ans.answer and "100亩 × 15元/亩" in ans.answer


def test_merged_answers_keep_each_quote_with_its_citation_once():
    from assistant.answer import merge_answers
    from assistant.turns import Draft

    a = Draft(question="q1", history=(), resolved="q1", answer="甲：1元。\n原文：“句一”\n——文 一\n注意：旧。")
    b = Draft(question="q2", history=(), resolved="q2", answer="乙：2元。\n原文：“句一”\n——文 一\n注意：旧。")
    c = Draft(question="q3", history=(), resolved="q3", answer="本期公报没有这项。其他。", kind="refusal")
    assert merge_answers([a, b, c]).split("\n") == ["甲：1元。", "乙：2元。", "关于“q3”：本期公报没有这项。",
                                                   "原文：“句一”", "——文 一", "注意：旧。"]


def test_a_message_whose_answers_only_quote_beside_a_refusal_on_evidence_is_a_refusal(bot):
    ans = bot.ask("给独居老人装的安居守护设备要自己掏钱吗？一套多少钱")
    assert ans.kind == "refusal" and "本期公报没有规定这项支持的具体金额" in ans.answer and ans.citations
    # a question that finds nothing beside an answered one leaves the message an answer
    assert bot.ask("老年食堂建几家？广场舞比赛哪天报名").kind == "answer"


@pytest.mark.parametrize("message", ["绿色工厂奖多少？政策上有说吗", "托育有什么支持？文件里有提伐"])
def test_asking_whether_the_gazette_mentions_it_is_no_second_question(message):
    assert len(asked_questions(message)) == 1
