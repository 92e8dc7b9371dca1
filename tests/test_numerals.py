"""Chinese numerals as people write them: clause numbers (ours) and amounts (cn2an's grammar, our exact decimals,
lower bounds and refusals); anything malformed is an error, never a guess."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.numerals import cn_to_int, parse_amount
from assistant.textnorm import arabic_figures

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


# --------------------------------------------------------------------------------------------- amounts (cn2an)

ERR = ValueError


@pytest.mark.parametrize("text, ours, amount", [
    # both read it, the same way
    ("十九", 19, 19), ("两千五百万", 25_000_000, 25_000_000), ("一万二", 12_000, 12_000), ("三千五", 3_500, 3_500),
    ("两百五", 250, 250), ("一亿零五百万", 105_000_000, 105_000_000), ("十一万三", 113_000, 113_000),
    ("廿一", 21, 21), ("卅", 30, 30), ("廿万", 200_000, 200_000), ("两亿", 200_000_000, 200_000_000),
    ("十万零五", 100_005, 100_005), ("一千零十一", 1_011, 1_011), ("零", 0, 0), ("12000", 12_000, 12_000),
    # only cn2an's grammar (and our exact decimals) reads it: mixed scripts, capital numerals, decimals, units
    ("三点五亿", ERR, 350_000_000), ("2千万", ERR, 20_000_000), ("1.5万", ERR, 15_000), ("3千5百万", ERR, 35_000_000),
    ("1万2", ERR, 12_000), ("2万5千", ERR, 25_000), ("2亿5千万", ERR, 250_000_000), ("壹万贰仟", ERR, 12_000),
    ("贰佰伍拾万", ERR, 2_500_000), ("一点五", ERR, Decimal("1.5")), ("3点5万", ERR, 35_000),
    ("1.00005万", ERR, Decimal("10000.5")), ("1.123456789亿", ERR, Decimal("112345678.9")),  # cn2an alone truncates
    ("2,000万", ERR, 20_000_000), ("12.5", ERR, Decimal("12.5")),
    # ours reads a bare 千万 / 百万 (clause text: "百万"); in a question 千万 is mostly "by all means" (千万不要)
    ("千万", 10_000_000, ERR), ("七万二千亿", 7_200_000_000_000, 7_200_000_000_000),
    # neither: malformed, or no amount (a range, a year, an adverb, a bare unit)
    ("百千", ERR, ERR), ("十十", ERR, ERR), ("万", ERR, ERR), ("亿万", ERR, ERR), ("一二", ERR, ERR),
    ("一二万", ERR, ERR), ("两三万", ERR, ERR), ("二〇二四", ERR, ERR), ("万一", ERR, ERR), ("一亿一亿", ERR, ERR),
    ("三点", ERR, ERR), ("点五", ERR, ERR), ("3..5万", ERR, ERR), ("1,0,0,0万", ERR, ERR), ("5五", ERR, ERR),
    ("", ERR, ERR), ("负五", ERR, ERR), ("三十一x", ERR, ERR),
])
def test_clause_numerals_and_amounts_side_by_side(text, ours, amount):
    """cn_to_int (ours: markers and citations, no library) and parse_amount (cn2an's grammar for amounts)."""
    for parse, want in ((cn_to_int, ours), (lambda t: parse_amount(t).value, amount)):
        if want is ERR:
            with pytest.raises(ValueError):
                parse(text)
        else:
            got = parse(text)
            assert got == want and str(got) == str(Decimal(want)), (parse, got)  # 350000000, never 350000000.0


def test_cn_to_int_agrees_with_cn2an_on_every_number_it_writes():
    """cn2an writes numbers (an2cn); our reader and the cn2an-based one read each back: 0…20,000 and large ones."""
    import random

    import cn2an

    numbers = list(range(0, 20_001)) + random.Random(17).sample(range(20_001, 10**13), 3000)
    for n in numbers:
        written = cn2an.an2cn(n)
        assert cn_to_int(written) == n, written
        assert parse_amount(written).value == n, written


@pytest.mark.parametrize("text, value", [
    ("两千多万", 20_000_000), ("2000多万", 20_000_000), ("2000余万", 20_000_000), ("十多万", 100_000),
    ("5亿多", 500_000_000), ("一万多", 10_000),
])
def test_more_than_is_a_lower_bound(text, value):
    assert parse_amount(text) == (value, True)
    assert parse_amount(text.replace("多", "").replace("余", "")) == (value, False)


@pytest.mark.parametrize("text, rewritten", [
    ("智能化改造投入三点五亿，A档", "智能化改造投入3.5亿，A档"), ("投入两千五百万元", "投入2500万元"),
    ("去年营收一万二", "去年营收1.2万"), ("投入2千万", "投入2000万"), ("3千5百万的项目", "3500万的项目"),
    ("两千多万", "2000多万"), ("五百元", "500元"), ("两百块", "200块"), ("壹万贰仟元", "1.2万元"), ("2万5", "2.5万"),
    ("营收从八百万增加到一千万", "营收从800万增加到1000万"), ("一亿零五百万元", "10500万元"), ("一万多块", "1万多块"),
    ("年产值超过五亿", "年产值超过5亿"),
    # no amount, or already Arabic: unchanged
    ("统一标准", "统一标准"), ("十分重要", "十分重要"), ("10号文第一条", "10号文第一条"), ("百分之三十", "百分之三十"),
    ("二〇二四年", "二〇二四年"), ("两三万", "两三万"), ("千万不要", "千万不要"), ("万一呢", "万一呢"),
    ("十几万", "十几万"), ("5亿多", "5亿多"), ("2.5亿", "2.5亿"), ("2,000万", "2,000万"),
])
def test_arabic_figures(text, rewritten):
    assert arabic_figures(text) == rewritten


def test_cn2an_is_imported_only_for_a_chinese_figure():
    """Importing cn2an costs 0.3 s: reading citations and clause markers, or text without such a figure, never does."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from assistant.numerals import cn_to_int, parse_amount\n"
            "from assistant.citations import parse_citation\n"
            "from assistant.textnorm import arabic_figures\n"
            "assert cn_to_int('六十六') == 66 and parse_citation('嘉政发〔2024〕10号（十九）').clause == 19\n"
            "assert parse_amount('1.5万').value == 15000 and arabic_figures('投入3000万元') == '投入3000万元'\n"
            "assert 'cn2an' not in sys.modules\n"
            "assert parse_amount('两千五百万').value == 25000000 and 'cn2an' in sys.modules\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
