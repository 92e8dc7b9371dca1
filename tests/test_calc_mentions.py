"""What is and is not the asker's own figure, before any calculation is tried."""

from __future__ import annotations

import pytest

from assistant.calculator.extract import has_numbers, mentions
from assistant.textnorm import normalize_query

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("question", [
    "我家的地东一块西一块，高标准农田今年建多少亩",   # pieces of land, not one yuan
    "田分成两块了，补贴怎么算",
    "“百千万”工程今年整治多少亩",                   # a programme's name in quotes
    "“3个70%”说的是哪方面",
])
def test_idioms_and_quoted_names_are_no_figures(question):
    assert not has_numbers(question), mentions(normalize_query(question))


@pytest.mark.parametrize("question, figure", [
    ("补了两百块", "两百块"), ("给五十块钱", "五十块钱"), ("投入3000万能补多少", "3000万"),
])
def test_amounts_still_are(question, figure):
    assert [m.text for m in mentions(normalize_query(question))["money"]] == [figure]


@pytest.mark.parametrize("question, rule, inputs", [
    ("智能化改造生产性投入三点五亿，评了A档，能补多少", "10-19-smart-upgrade", {"investment": "3.5亿", "tier": "A"}),
    ("技改投入2千万评了B档能补多少", "10-19-smart-upgrade", {"investment": "2000万", "tier": "B"}),
])
def test_amounts_in_chinese_numerals_reach_the_calculator(question, rule, inputs):
    from assistant.calculator.extract import extract

    e = extract(question)
    assert e.rule.id == rule and e.inputs == inputs


def test_a_question_without_an_amount_does_not_import_cn2an():
    import subprocess
    import sys

    code = ("import sys; from assistant.calculator.extract import extract; extract('一季早粮统一补贴多少');"
            "print('cn2an' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


@pytest.mark.parametrize("question", ["稻麦复种一亩补多少钱", "油菜连片一亩地能补多少"])
def test_one_unit_in_a_rate_question_is_no_figure(question):
    assert not has_numbers(question)


def test_biaomei_is_standard_coal():
    from assistant.calculator.extract import extract

    e = extract("节能改造设备投资500万，一年省了300吨标煤，能补多少")
    assert e.rule.id == "10-20-green-upgrade" and e.inputs == {"equipment": "500万", "energy_saving": "300吨"}
