"""The page's parts without a browser: verdict-first answer bubbles, lookup cards, the calculator's result, rule
search by everyday words, field units and the "是否指…万元？" question."""

from __future__ import annotations

import re

import pytest

from assistant.answer import Assistant
from assistant.calculator import RULES, RULES_BY_ID, calculate
from assistant.calculator.search import search_rules
from assistant.lookup import lookup
from assistant.settings import get_settings
from tests.conftest import TODAY
from ui import calc_form, render

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bot(corpus):
    return Assistant(get_settings(env={"ASSISTANT_INDEX_DIR": "/nonexistent", "ASSISTANT_TODAY": TODAY.isoformat()}),
                     corpus=corpus)


def text_of(bubble: str) -> str:
    return render.plain_text(bubble)


@pytest.mark.parametrize("question, status, figure, cite", [
    pytest.param("省级绿色工厂奖多少？", "expired", "50万元", "嘉政发〔2024〕10号 三、（二十）", id="10号-已失效"),
    pytest.param("服务型制造示范企业国家级奖多少", "valid", "150万元", "嘉政发〔2024〕14号 三、（一）", id="14号-有效"),
])
def test_bubble_says_validity_first_then_figure_then_quote_then_citation(bot, corpus, question, status, figure, cite):
    ans = bot.ask(question)
    bubble = render.answer_bubble(corpus, ans, TODAY)
    assert bubble.startswith(f'<span class="verdict"><span class="badge {status}">{render.STATUS_LABEL[status]}</span>')
    text = text_of(bubble)
    positions = [text.index(render.STATUS_LABEL[status]), text.index(figure), text.index("原文："), text.index(cite)]
    assert positions == sorted(positions), text
    # the validity sentence is said once, at the top, not again at the end
    sentence = next(w for w in ans.warnings if "有效期" in w)
    assert text.count(sentence) == 1 and text.index(sentence) < text.index(figure)


def test_bubble_of_a_calculation_moves_the_expiry_warning_up(bot, corpus):
    ans = bot.ask("技改投入3000万，评了A档，能补多少？")
    assert ans.kind == "calculation"
    text = text_of(render.answer_bubble(corpus, ans, TODAY))
    assert text.index("已失效") < text.index("计算结果仅供参考") < text.index("1500万元")
    assert text.count("计算结果仅供参考") == 1


def test_bubble_without_citations_is_the_answer_escaped(bot, corpus):
    ans = bot.ask("<b>上海</b>的人才政策是什么")
    bubble = render.answer_bubble(corpus, ans, TODAY)
    assert "<b>" not in bubble and "badge" not in bubble


def test_lookup_cards_one_per_candidate_with_badge_and_copy_buttons(corpus):
    res = lookup(corpus, "14号文（一）", TODAY)
    assert len(res.matches) > 1
    out = render.lookup_results(res, corpus, TODAY)
    cards = out.split('<details class="src"')[1:]
    assert len(cards) == len(res.matches)
    assert cards[0].startswith(" open>") and not any(c.startswith(" open>") for c in cards[1:])  # best one expanded
    for card, m in zip(cards, res.matches):
        assert '<span class="badge valid">有效</span>' in card
        assert f'data-copy="{m.citation}">复制引用</button>' in card
        copy_all = re.search(r'data-copy="([^"]*)">复制引用和原文', card).group(1)
        assert copy_all.startswith(m.citation) and m.text[:20] in copy_all
    assert "有效期：注意" not in out  # the label is no longer doubled


def test_lookup_badge_of_an_expired_clause(corpus):
    out = render.lookup_results(lookup(corpus, "10号文第19条", TODAY), corpus, TODAY)
    assert '<span class="badge expired">已失效</span>' in out


def test_calc_html_amount_headline_figure_marked_warnings_apart(corpus):
    rule = RULES_BY_ID["10-19-smart-upgrade"]
    calc = calculate(rule.id, {"investment": "3000万", "tier": "A", "strategic": True}, TODAY)
    out = render.calc_html(corpus, calc, rule, TODAY)
    assert "<pre" not in out and "<code" not in out
    assert '<p class="amount">1500万元<span class="exact">（15,000,000元）</span></p>' in out
    assert out.index("已失效") < out.index('class="amount"')
    assert "<mark>1500万元</mark>" in out and "原文：“" in out
    steps = out[out.index("<ol>"):out.index("</ol>")]
    assert "warn" not in steps and "⚠" not in steps  # the warnings stand apart from the numbered steps


def test_marked_figure_is_not_found_inside_a_larger_one():
    assert render.mark_figures("分别给予150万元、50万元奖励", ["50万元"]) == "分别给予150万元、<mark>50万元</mark>奖励"


def test_calc_html_green_factory_marks_the_applied_award(corpus):
    rule = RULES_BY_ID["10-20-green-factory"]
    out = render.calc_html(corpus, calculate(rule.id, {"category": "省级"}, TODAY), rule, TODAY)
    quote = out.split('class="clause-quote">')[1]
    assert "绿色工厂和绿色园区" in quote and "150万元、<mark>50万元</mark>" in quote


@pytest.mark.parametrize("words, rule_id", [
    pytest.param("技改", "10-19-smart-upgrade", id="技改"),
    pytest.param("种粮", "10-51-grain", id="种粮"),
    pytest.param("绿色工厂", "10-20-green-factory", id="绿色工厂"),
    pytest.param("小巨人", "10-22-enterprise-titles", id="小巨人"),
    pytest.param("跨境电商", "14-crossborder-platform", id="跨境电商"),
    pytest.param("通行费", "10-40-toll-discount", id="通行费"),
])
def test_rule_search_by_everyday_words(words, rule_id):
    assert search_rules(words)[0].id == rule_id


def test_rule_search_投资_finds_the_rules_that_say_投资():
    found = {r.id for r in search_rules("投资")}
    assert {"10-20-green-upgrade", "10-17-power-fee"} <= found and len(found) < len(RULES)


def test_rule_search_empty_lists_all_and_nonsense_none():
    assert len(search_rules("")) == len(RULES) and search_rules("xyz") == []


@pytest.mark.parametrize("rule_id, name, unit", [
    ("10-19-smart-upgrade", "investment", "万元"), ("10-40-toll-discount", "base", "元"), ("10-51-grain", "quantity", "亩"),
    ("14-growth-award", "growth", "%"), ("10-20-green-upgrade", "water_saving", "吨"),
])
def test_field_units(rule_id, name, unit):
    rule = RULES_BY_ID[rule_id]
    assert calc_form.field_unit(rule, rule.input(name)) == unit


def test_bare_number_in_a_wan_field_is_wan_and_units_typed_win():
    rule = RULES_BY_ID["10-19-smart-upgrade"]
    spec = rule.input("investment")
    assert calc_form.as_entered(rule, spec, "3000") == "3000万"
    assert calc_form.as_entered(rule, spec, "5000元") == "5000元"
    assert calc_form.as_entered(rule, spec, "1.2亿") == "1.2亿"
    toll = RULES_BY_ID["10-40-toll-discount"]
    assert calc_form.as_entered(toll, toll.input("base"), "350") == "350"


@pytest.mark.parametrize("text, question", [
    pytest.param("3000元", "是否指3000万元？", id="元-typed-for-万元"),
    pytest.param("30000000", "是否指3000万元？", id="元-figure-in-万元-field"),
    pytest.param("3000", None, id="plausible"),
    pytest.param("2.5亿", None, id="explicit-亿"),
])
def test_unit_question(text, question):
    rule = RULES_BY_ID["10-19-smart-upgrade"]
    got = calc_form.unit_question(rule, rule.input("investment"), text)
    assert (got.split("？")[0] + "？" if got else None) == question


def test_no_unit_question_for_small_premiums():
    rule = RULES_BY_ID["10-21-first-set-insurance"]  # cap 50万元: a 3000元 premium is plausible
    assert calc_form.unit_question(rule, rule.input("premium"), "3000元") is None
