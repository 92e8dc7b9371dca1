"""Classes of everyday questions found while reading colloquial31's development part (2026-11-30, tenth session);
each test phrases its own questions."""

from __future__ import annotations

import pytest

from tests.test_understanding_s5 import bot, first  # noqa: F401 — the same module-scoped assistant and first line

pytestmark = pytest.mark.unit


def test_a_figure_put_forward_to_be_confirmed_says_what_kind_is_asked():
    from assistant.statements import checked_kinds

    assert checked_kinds("二手车卖车的增值税是不是按2%交") == {"percent"}
    assert checked_kinds("那个限额现在18万还是20万？") == {"money"}
    assert checked_kinds("补贴是百分之三十吗") == {"percent"}
    # the asker's own figure is told, not checked
    assert checked_kinds("我们厂投了2000万，是不是能申请？") == set()
    assert checked_kinds("投资3000万能拿多少") == set()


def test_a_checked_rate_the_clause_never_states_is_said_absent(bot):
    # 13号（十五） is about second-hand cars and states no rate of any tax: not a quote that leaves the asker guessing
    ans = bot.ask("收二手车再卖的话，增值税是不是按2%交？")
    assert ans.kind == "refusal" and "没有规定" in ans.answer and "比例" in ans.answer
    # a rate the clause does state is confirmed or corrected as before
    ok = bot.ask("出口信用保险保费补助最高是70%吗")
    assert ok.kind == "answer" and "65%" in ok.answer


def test_a_level_rewarded_on_other_terms_is_no_award_for_the_asker(bot):
    from assistant.awards import catalogue, missing_level

    cat = catalogue(bot.corpus)
    # 10号（十二）: 新认定 is rewarded for 省 key laboratories; 市级 ones only for 绩效评价优秀
    found = missing_level("新认定的市级重点实验室奖多少", cat, grades=False)
    assert found is not None and found[2] == "新认定的市级重点实验室"
    assert missing_level("市级重点实验室绩效评价优秀的奖多少", cat, grades=False) is None
    assert missing_level("新认定的省重点实验室奖多少", cat, grades=False) is None
    ans = bot.ask("我们实验室上个月新认定为市级重点实验室，能拿多少奖励")
    assert ans.kind == "refusal" and "新认定的市级重点实验室" in ans.answer
    assert "60万元" in ans.answer and "200万元" in ans.answer  # the nearest real awards, both cited


def test_a_follow_up_names_a_category_in_full_words_of_its_short_name():
    from assistant.followup import _mentioned, rewrite

    slot = ("科技信息", "物流运输", "商务服务", "批零贸易", "物流", "批零")
    assert [v for v, _ in _mentioned(slot, "那我们做批发零售的呢")] == ["批零"]
    assert _mentioned(slot, "那我们做批发的呢") == []
    prev = "科技信息类公司年收入头一次过1个亿，奖多少？"
    # a threshold asked of the new category: a question of its own, not the previous one's 1个亿 carried over
    for follow in ("那做批发零售生意的呢 营业额要到多少才能拿50万", "那批发零售的公司呢，门槛多少"):
        assert "科技信息" not in rewrite(follow, prev, (slot,)) and "1个亿" not in rewrite(follow, prev, (slot,))


def test_the_threshold_of_a_category_named_in_everyday_words(bot):
    history = [{"role": "user", "content": "科技信息类公司年收入头一次过1个亿，奖多少？"},
               {"role": "assistant", "content": "根据嘉政发〔2024〕14号第（一）条，给予50万元奖励。"}]
    ans = bot.ask("那做批发零售生意的呢，营业额要到多少才能拿50万", history)
    assert ans.kind == "answer" and "20亿元" in ans.answer.split("原文")[0]


def test_an_item_recognised_after_its_name_that_no_award_names(bot):
    from assistant.awards import absent_item, catalogue

    cat = catalogue(bot.corpus)
    # recognised after the name ("…认定了", "…评上了"), not only before the level ("评上国家级…")
    assert absent_item("省级现代物流示范园区认定了，市里奖多少钱？", cat, bot.corpus_text) == "省级现代物流示范园区"
    assert absent_item("国家级绿色工厂认定了奖多少", cat, bot.corpus_text) is None  # 10号（二十） rewards it
    ans = bot.ask("我们园区是国家级现代物流示范园区，认定了市里奖多少钱？")
    assert ans.kind == "refusal" and "没有规定" in ans.answer


def test_a_follow_up_subject_that_shares_the_previous_ones_head_word_takes_its_place():
    from assistant.followup import own_question

    # the whole predicate stays (容积率不低于几), not only its asking word
    assert own_question("那厂房用地呢", "研发用地容积率不低于几？") == "厂房用地容积率不低于几?"
    # no head word shared: the previous question's asking words, as before
    assert own_question("共享制造的呢", "服务型制造示范企业每年培育多少家") == "共享制造示范企业每年培育多少家"


def test_a_runner_up_rate_of_something_else_is_no_tax_rate(bot):
    # 13号（十五） (second-hand cars, no rate) ranks first; 三、 beside it states 二手车销售额增长30% — a growth rate,
    # not the tax's: the answer says the gazette states no such rate, it does not "correct" 2% to 30%
    ans = bot.ask("二手车卖车的增值税是不是按2%交")
    assert ans.kind == "refusal" and "税率" in ans.answer and "不对" not in ans.answer
