"""What a review of the day's changes found over- or under-firing, each kept from coming back."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.calculator.extract import extract
from assistant.settings import get_settings

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28", "ASSISTANT_INDEX_DIR": "/nonexistent"}))


@pytest.mark.parametrize("question", ["获得短期出口信用保险保费补助有上限吗", "被认定为体育产业示范基地有奖励吗"])
def test_obtaining_a_subsidy_or_a_title_the_gazette_rewards_is_no_absent_award(bot, question):
    assert not bot.ask(question).answer.startswith("本期公报没有规定“")


@pytest.mark.parametrize("question", ["下雨天农机没法作业，农机更新有补贴吗", "节能改造一年能省几度电，能补多少"])
def test_a_weather_word_inside_a_policy_question_is_no_chitchat(bot, question):
    assert not bot.ask(question).answer.startswith("抱歉，这个问题超出了本助手的解答范围")


def test_a_list_question_ending_in_ne_is_no_validity_question(bot):
    assert bot.ask("我们企业还能申请哪些补贴呢").answer.startswith("本期公报中有以下相关条款")


def test_an_abbreviated_department_does_not_list_every_holder_of_the_title(bot):
    assert len(bot.ask("住建局的总工程师是谁").citations) < 4


def test_a_new_item_takes_the_whole_asking_word_not_a_character_inside_a_word(bot):
    history = [{"role": "user", "content": "省级智能工厂奖多少"}, {"role": "assistant", "content": "省级智能工厂：50万元奖励。"}]
    assert bot.ask("那数字化车间呢", history).resolved_question == "数字化车间奖多少"


def test_a_stated_percentage_asks_for_no_rate(bot):
    assert "500万元" in bot.ask("出口信用保险保费最高补65%，单家企业上限多少").answer.split("\n")[0]


@pytest.mark.parametrize("question, field, value", [
    ("生产性投入2500万（不含土建），土建另外花了600万，A档能补多少", "investment", "2500万"),  # already excluded
    ("总投资3000万，不含土建的生产性投入2400万，土建600万，A档能补多少", "investment", "2400万"),
    ("首台套保险，去年保费80万元，保额4000万元，能补多少", "premium", "80万元"),  # no later figure is "now"
])
def test_figures_the_asker_gives_are_kept(question, field, value):
    e = extract(question)
    assert e is not None and e.inputs[field] == value


def test_not_above_is_not_above(bot):
    ans = bot.ask("物流企业营收没有超2000万，有奖励吗")
    assert ans.kind == "calculation" and ans.calculation["amount_yuan"] == 0


@pytest.mark.parametrize("question", ["只种稻不种麦，80亩，市里补多少", "种了80亩水稻没有种小麦，市里补多少"])
def test_a_denied_grain_is_no_double_crop(question):
    e = extract(question)
    assert e is None or e.inputs.get("crop") != "稻麦复种"


def test_the_rules_rate_beside_the_askers_own_figures_is_computed(bot):
    ans = bot.ask("研发费用按10%补，去年800万今年1000万，规上，占营收5%，能补多少")
    assert ans.kind == "calculation" and ans.calculation["amount_yuan"] == 200_000
