"""Validity asked in everyday words, and a year the asker names, answered by the document's term (verdict first)."""

from __future__ import annotations

import re

import pytest

from assistant.answer import Assistant
from assistant.settings import get_settings

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28", "ASSISTANT_INDEX_DIR": "/nonexistent"}))


def test_when_a_document_starts_to_apply_is_its_commencement_not_its_signing(bot):
    ans = bot.ask("涉保司法鉴定的意见啥时候开始实施的")
    assert "2024年4月15日" in ans.answer and not ans.answer.startswith("嘉司发〔2024〕3号的成文日期")


def test_a_year_after_the_term_is_said_first(bot):
    ans = bot.ask("服务型制造示范企业的奖励，2028年政策还在吗")
    assert ans.kind == "answer" and ans.answer.startswith("2028年不在嘉政发〔2024〕14号的有效期")
    assert "2026年12月31日" in ans.answer


def test_applying_in_a_year_outside_the_term_is_answered_by_the_term(bot):
    ans = bot.ask("可以拿10号文申请2025年度的绿色工厂奖励吗")
    assert ans.kind == "answer" and ans.answer.startswith("2025年不在嘉政发〔2024〕10号的有效期")
    assert "2024年全年" in ans.answer


def test_a_year_inside_the_term_is_said_to_be_inside(bot):
    ans = bot.ask("服务型制造示范企业奖励2025年还在吗")
    assert ans.answer.startswith("2025年在嘉政发〔2024〕14号的有效期")


def test_a_rate_the_clause_names_without_a_figure_is_said_not_stated(bot):
    ans = bot.ask("失业保险费率现在是多少")
    assert ans.kind == "refusal" and ans.answer.startswith("本期公报没有规定这项的具体比例")
    assert bot.ask("小微企业担保费率是多少").kind == "answer"  # 1%以下 stands in its clause


def test_an_amount_asked_a_few_words_after_the_support_is_an_amount_question(bot):
    ans = bot.ask("育儿津贴一个月大概多少")
    # (asked by the month, it says so: "本期公报没有规定按月发放（计算）的这项金额")
    assert ans.kind == "refusal" and ans.answer.startswith("本期公报没有规定按月发放（计算）的这项金额")


def test_a_date_the_asker_states_is_no_year_to_give_a_verdict_on(bot):
    ans = bot.ask("10号文是2024年3月发的，现在还有效吗")
    assert not ans.answer.startswith("2024年在") and "已失效" in ans.answer


def test_a_named_rate_must_stand_in_the_clause(bot):
    ans = bot.ask("长期护理保险的费率是多少")  # the clause states coverage rates (75%, 70%), no 费率
    assert ans.kind == "refusal" and ans.answer.startswith("本期公报没有规定这项的具体比例")
    assert "1.5" in bot.ask("工业用地容积率一般不低于多少").answer  # a rate that is a plain number


def test_the_askers_story_does_not_make_an_award_look_absent(bot):
    ans = bot.ask("我老家在外省，绿色工厂奖多少")
    assert ans.kind == "answer" and "150万元" in ans.answer


def test_the_hotline_sentence_stands_on_its_own_line(bot):
    ans = bot.ask("13号文汽车以旧换新补贴多少钱")
    assert ans.kind == "refusal" and "\n如需进一步咨询" in ans.answer


@pytest.mark.parametrize("question", ["农家乐的税费优惠能减多少", "司法鉴定收费多少"])
def test_charges_and_reductions_are_amount_questions(bot, question):
    ans = bot.ask(question)
    assert ans.kind == "refusal" and re.search("本期公报没有规定这项(支持|收费)的具体金额", ans.answer)


def test_a_subject_named_in_a_clause_without_its_rate_gets_no_other_subjects_rate(bot):
    # 七、（四十九）: the insurances are listed in one sentence, the only rate (担保费率1%以下) is for guarantees
    ans = bot.ask("小麦完全成本保险政府补贴保费几成")
    assert ans.kind == "refusal" and ans.answer.startswith("本期公报没有规定这项补贴的具体比例")  # 补贴…几成: a grant
    assert "1%" not in ans.answer.split("原文")[0] and "生猪价格指数保险" in ans.citations[0].quote
    assert "1%以下" in bot.ask("小微三农融资担保费率要控制在多少").answer.split("\n")[0]  # its own sentence


def test_a_rate_asked_of_a_grant_is_the_granted_rate_not_a_cap_beside_it(bot):
    # "在投保费率2%的上限内按保费的70%给予补偿": 补几成 asks the 70%
    first = bot.ask("首台套装备保费补贴比例多少").answer.split("\n")[0]
    assert "70%" in first
    # the support named as a noun does not make its condition ratio a grant: 比重 3%/4%, not the 10%
    first = bot.ask("想拿研发费用增长的补助，规上企业研发费占营收的比重要多少").answer.split("\n")[0]
    assert "3%" in first and "10%" not in first


def test_a_count_asked_in_another_classifier_is_answered_with_the_clauses_count(bot):
    # 13号（七）: 150艘 fishing boats; the asker counts boats in 条, and the clause's 60% is no count
    first = bot.ask("渔船更新改造到2027年要换多少条").answer.split("\n")[0]
    assert "150艘" in first and "60%" not in first and "500台" not in first


def test_a_document_without_a_term_names_the_year_its_targets_run_to(bot):
    ans = bot.ask("13号文有效期到什么时候")
    assert ans.answer.startswith("嘉政发〔2024〕13号原文没有规定有效期") and "其目标定到2027年" in ans.answer
    assert any(c.quote.startswith("到2027年") for c in ans.citations)  # the year stands in a cited sentence
