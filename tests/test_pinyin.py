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
