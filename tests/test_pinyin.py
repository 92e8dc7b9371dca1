"""Pinyin typed in place of characters is read as the corpus word it spells, and only then."""

from __future__ import annotations

import pytest

from assistant.pinyin import respell

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("typed, read", [
    ("我们的设备算首台tao吗", "我们的设备算首台套吗"),          # the Chinese before it goes on in pinyin
    ("市里给nongye农村安排多少钱", "市里给农业农村安排多少钱"),   # a whole word of two syllables
])
def test_pinyin_is_read_as_the_word_it_spells(corpus, typed, read):
    assert respell(corpus, typed) == read


@pytest.mark.parametrize("typed", [
    "暑假带娃出去wan",            # one syllable with no context: says nothing
    "我们景区想升级成smart scenic spot",  # English does not split into syllables
    "ETC货车走高速", "thx", "R&D费用补助",
])
def test_other_latin_text_is_left_alone(corpus, typed):
    assert respell(corpus, typed) == typed


@pytest.mark.parametrize("question", ["gongjijin能贷多少", "hangzhou的绿色工厂奖多少"])
def test_pinyin_of_what_the_router_refuses_is_refused(question):
    # 公积金 and 杭州 are not the gazette's words, but they are the router's: spelled in pinyin, still refused
    from assistant.answer import Assistant
    from assistant.settings import get_settings

    bot = Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28", "ASSISTANT_INDEX_DIR": "/nonexistent"}))
    assert bot.ask(question).kind == "refusal"
