"""Homophone typos (one character typed for another that sounds the same) read as the gazette's word."""

from __future__ import annotations

import pytest

from assistant.homophone import respell

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("typed, read", [
    ("想把景区做成智惠旅游景区", "想把景区做成智慧旅游景区"),
    ("家电以旧换心有活动吗", "家电以旧换新有活动吗"),
    ("老小区加装电题有补助吗", "老小区加装电梯有补助吗"),
    ("首板次软件奖多少", "首版次软件奖多少"),
    ("小区的充电装不够用", "小区的充电桩不够用"),  # 充电 + 桩: three characters, two words of the gazette
    ("想在国外租个海外舱", "想在国外租个海外仓"),
    ("残及人就业新增多少", "残疾人就业新增多少"),  # 及 is a function character, but here the middle of one word
])
def test_a_homophone_typo_is_read_as_the_gazette_word(corpus, typed, read):
    assert respell(corpus, typed) == read


@pytest.mark.parametrize("typed", [
    "现在还能申请吗",          # 还能: a real phrase (还 is not read as its rare reading fu, 赋能)
    "我们升级成了规上企业",      # 级成 spans two words: never a typo
    "公式怎么算",               # 公式 is a word of its own, not a typo of 公示
    "今天天气怎么样",
    "按比例补的话有多少",        # 比例不(低于): 不 is a function character, and 不低于 one word
    "政府鼓励搞什么",            # 鼓励高(校) cuts the word 高校
    "要建几条产值上十亿的",       # 亿 is a numeral, never read as 一
])
def test_real_words_and_spans_across_words_are_left_alone(corpus, typed):
    assert respell(corpus, typed) == typed
