"""Chinese numerals as people write them; anything malformed is an error, never a guess."""

from __future__ import annotations

import pytest

from assistant.numerals import cn_to_int

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text, value", [
    ("十九", 19), ("六十六", 66), ("三千万", 30_000_000), ("两千五百万", 25_000_000), ("一亿二千万", 120_000_000),
    ("一万二", 12_000), ("三千五", 3_500), ("两百五", 250), ("廿一", 21), ("卅", 30), ("一百零五", 105),
    ("十万零五", 100_005), ("百万", 1_000_000), ("三万五千", 35_000),
])
def test_well_formed(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["百千", "一二", "十十", "万", "亿万", "二〇二四", "", "三十一x"])
def test_malformed_is_an_error(text):
    with pytest.raises(ValueError):
        cn_to_int(text)
