"""The award calculator: traceability to the clauses, formulas at their boundaries, bad input, extraction."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from assistant.calculator import RULES, CalcInputError, MissingInputs, calculate, combine
from assistant.calculator.extract import extract, is_calculation_request
from assistant.calculator.quantities import Q, Quote
from tests.conftest import ROOT, TODAY

pytestmark = pytest.mark.unit
IN_2024 = dt.date(2024, 6, 1)


def quotes(obj):
    """Every Quote inside a rule's params (nested dicts/tuples)."""
    if isinstance(obj, Quote):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from quotes(v)
    elif isinstance(obj, (tuple, list)):
        for v in obj:
            yield from quotes(v)


def clause_text(corpus, rule) -> str:
    c = next(c for c in corpus.clauses if c.doc_no == rule.doc_no and c.path == rule.clause)
    return c.text.replace("“", "").replace("”", "")


# ----------------------------------------------------------------------------------------- traceability


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_number_in_the_rule_stands_in_its_clause(corpus, rule):
    text = clause_text(corpus, rule)
    for q in quotes(rule.params):
        assert q.text in text, f"{rule.id}: {q.text} not in {rule.clause}"
        assert Q(q.text).value == q.value
    for award in rule.awards:
        assert award.quote in text, f"{rule.id}: {award.quote}"
        for q in award.amounts:
            assert q.text in text


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_validity_is_the_documents(corpus, rule):
    d = corpus.document(rule.doc_no)
    assert (rule.valid_from, rule.valid_to) == (d.effective_from, d.effective_to)


def test_the_categories_figures_are_keyed_by_stand_in_the_clause(corpus):
    """Params keyed by the clause's own categories: the sectors a revenue tier applies to ("科技信息、物流运输、商务服务"),
    the crops of a per-mu rate, the enterprise types of a share requirement (a type that is both takes the stricter)."""
    from assistant.calculator import RULES_BY_ID

    for rule_id, key in (("14-revenue-milestone", "tiers"), ("10-51-grain", "rates"), ("10-11-rd-increment", "ratio")):
        rule = RULES_BY_ID[rule_id]
        text = clause_text(corpus, rule)
        named = [k for k in rule.params[key] if k in text]
        for k in rule.params[key]:
            assert k in text or sum(n in k or n.removesuffix("企业") in k for n in named) == 2, (rule_id, k)
    both = RULES_BY_ID["10-11-rd-increment"].params["ratio"]
    assert both["规上高新技术企业"] == max(both["规上企业"], both["高新技术企业"], key=lambda q: q.value)


def test_the_rule_file_repeats_no_validity_and_names_the_combination_rule(corpus):
    """Validity is read from the documents, not written in the rule file; 就高不重复 is attached to the rules by the
    clause that states it, and that clause says it."""
    import tomllib

    from tests.conftest import CORPUS_DIR

    text = (CORPUS_DIR / "jiaxing-gazette-2024-04-05.rules.toml").read_text(encoding="utf-8")
    assert "valid_from" not in text and "valid_to" not in text and "2026" not in text.split("[[rules]]", 1)[1]
    assert tomllib.loads(text)["rules"]
    for rule in RULES:
        c = rule.combination
        assert (c.doc_no, c.clause, c.principle) == ("嘉政发〔2024〕14号", "五、", "就高不重复")
        section = "\n".join(x.text for x in corpus.clauses if x.doc_no == c.doc_no and x.path.startswith(c.clause))
        assert c.quote in section


def test_required_clauses_are_covered():
    covered = {(r.doc_no, r.clause) for r in RULES}
    d10 = "嘉政发〔2024〕10号"
    for clause in ("二、（十）", "二、（十一）", "二、（十二）", "二、（十三）", "二、（十七）", "三、（十九）", "三、（二十）",
                   "三、（二十一）", "三、（二十二）", "三、（二十六）", "四、（二十九）", "四、（三十一）", "五、（三十九）",
                   "五、（四十）", "六、（四十五）", "七、（五十一）"):
        assert (d10, clause) in covered, clause
    assert ("嘉政发〔2024〕14号", "三、（一）") in covered


@pytest.mark.parametrize("text, value, unit", [("1500万元", Decimal(15_000_000), "元"), ("5%", Decimal("0.05"), "%"),
                                               ("1:1", Decimal(1), "ratio"), ("八五折", Decimal("0.85"), "%"),
                                               ("10万吨", Decimal(100_000), "吨"), ("200元/标箱", Decimal(200), "元"),
                                               ("1个百分点", Decimal("0.01"), "%"), ("1亿元", Decimal(10**8), "元")])
def test_quotes_parse(text, value, unit):
    q = Q(text)
    assert (q.value, q.unit) == (value, unit)


# ----------------------------------------------------------------------------------------- formulas


CASES = [
    # 10号（十九）
    pytest.param("10-19-smart-upgrade", {"investment": "3000万", "tier": "A", "strategic": "是"}, True, 15_000_000,
                 id="十九-A档-战略性新兴产业-封顶1500万"),
    pytest.param("10-19-smart-upgrade", {"investment": "3000万", "tier": "B", "strategic": True}, True, 10_500_000,
                 id="十九-B档-上浮5%"),
    pytest.param("10-19-smart-upgrade", {"investment": "2000万", "tier": "D"}, True, 3_000_000, id="十九-恰好2000万-D档"),
    pytest.param("10-19-smart-upgrade", {"investment": "19999999", "tier": "A"}, False, 0, id="十九-差1元不足2000万"),
    pytest.param("10-19-smart-upgrade", {"investment": "1.2亿元", "tier": "c"}, True, 6_000_000, id="十九-1.2亿-C档"),
    # 10号（十一）
    pytest.param("10-11-rd-increment", {"rd_prev": "800万", "rd_curr": "1000万", "enterprise_type": "高新技术企业",
                                        "rd_ratio": "4%"}, True, 200_000, id="十一-高新-恰好4%"),
    pytest.param("10-11-rd-increment", {"rd_prev": "800万", "rd_curr": "1000万", "enterprise_type": "高新技术企业",
                                        "rd_ratio": "3.9%"}, False, 0, id="十一-高新-3.9%不足"),
    pytest.param("10-11-rd-increment", {"rd_prev": "100万", "rd_curr": "115万", "enterprise_type": "规上企业",
                                        "revenue": "3000万"}, True, 15_000, id="十一-恰好15%-恰好100万以上"),
    pytest.param("10-11-rd-increment", {"rd_prev": "100万", "rd_curr": "114.9万", "enterprise_type": "其他企业"},
                 False, 0, id="十一-增幅14.9%"),
    pytest.param("10-11-rd-increment", {"rd_prev": "80万", "rd_curr": "99万", "enterprise_type": "其他企业"},
                 False, 0, id="十一-不足100万"),
    pytest.param("10-11-rd-increment", {"rd_prev": "1亿", "rd_curr": "1.8亿", "enterprise_type": "规上企业",
                                        "rd_ratio": "5%"}, True, 5_000_000, id="十一-封顶500万"),
    pytest.param("10-11-rd-increment", {"rd_prev": "800万", "rd_curr": "1000万", "enterprise_type": "规上高新技术企业",
                                        "rd_ratio": "3.5%"}, False, 0, id="十一-规上且高新按4%"),
    # 10号（二十）
    pytest.param("10-20-green-upgrade", {"equipment": "1000万", "energy_saving": "200"}, True, 800_000, id="二十-恰好200吨-8%"),
    pytest.param("10-20-green-upgrade", {"equipment": "1000万", "energy_saving": "199"}, False, 0, id="二十-199吨不足"),
    pytest.param("10-20-green-upgrade", {"equipment": "1000万", "energy_saving": "1000"}, True, 1_000_000, id="二十-1000吨-10%"),
    pytest.param("10-20-green-upgrade", {"equipment": "1000万", "co2_reduction": "1200"}, True, 900_000, id="二十-减排1200吨-9%"),
    pytest.param("10-20-green-upgrade", {"equipment": "1000万", "water_saving": "50万吨"}, True, 1_000_000,
                 id="二十-节水50万吨-10%"),
    pytest.param("10-20-green-upgrade", {"equipment": "1000万", "energy_saving": "5000"}, True, 1_200_000, id="二十-最高12%"),
    pytest.param("10-20-green-upgrade", {"equipment": "5000万", "energy_saving": "5000"}, True, 4_000_000, id="二十-封顶400万"),
    pytest.param("10-20-green-upgrade", {"equipment": "199万", "energy_saving": "5000"}, False, 0, id="二十-设备不足200万"),
    # 10号（二十一）
    pytest.param("10-21-first-set-insurance", {"premium": "10万", "insured_amount": "1000万"}, True, 70_000, id="二十一-保费70%"),
    pytest.param("10-21-first-set-insurance", {"premium": "30万", "insured_amount": "1000万"}, True, 140_000,
                 id="二十一-费率超2%按2%"),
    pytest.param("10-21-first-set-insurance", {"premium": "100万", "insured_amount": "1亿"}, True, 500_000,
                 id="二十一-封顶50万"),
    pytest.param("10-21-first-set-insurance", {"premium": "30万", "rate": "3%"}, True, 140_000, id="二十一-费率3%按2%"),
    pytest.param("10-21-first-set-insurance", {"premium": "30万", "rate": "1.5%"}, True, 210_000, id="二十一-费率1.5%"),
    # per unit
    pytest.param("10-51-grain", {"crop": "稻麦复种", "quantity": "50"}, True, 750, id="五十一-恰好50亩"),
    pytest.param("10-51-grain", {"crop": "一季早粮", "quantity": "49.9"}, False, 0, id="五十一-不足50亩"),
    pytest.param("10-51-grain", {"crop": "油菜连片", "quantity": "200亩"}, True, 10_000, id="五十一-油菜200亩"),
    pytest.param("10-39-sea-rail", {"quantity": "1234"}, True, 246_800, id="三十九-1234标箱"),
    # shares
    pytest.param("10-45-export-credit-insurance", {"base": "100万"}, True, 650_000, id="四十五-最高65%"),
    pytest.param("10-45-export-credit-insurance", {"base": "1000万"}, True, 5_000_000, id="四十五-封顶500万"),
    pytest.param("10-12-lab-matching", {"base": "200万"}, True, 2_000_000, id="十二-1比1配套"),
    pytest.param("10-40-toll-discount", {"base": "1000"}, True, 850, id="四十-八五折"),
    # fixed awards
    pytest.param("10-22-enterprise-titles", {"category": "专精特新小巨人"}, True, 1_500_000, id="二十二-小巨人"),
    pytest.param("10-20-green-factory", {"category": "省级"}, True, 500_000, id="二十-省级绿色工厂"),
    pytest.param("10-12-labs", {"category": "市级重点实验室(A类)绩效评价优秀"}, True, 600_000, id="十二-市级A类-最高"),
    # 14号
    pytest.param("14-revenue-milestone", {"sector": "物流运输", "revenue": "1.2亿"}, True, 500_000, id="14-物流首超1亿"),
    pytest.param("14-revenue-milestone", {"sector": "科技信息", "revenue": "1亿"}, True, 200_000, id="14-恰好1亿不算超过"),
    pytest.param("14-revenue-milestone", {"sector": "批零贸易", "revenue": "6亿"}, True, 100_000, id="14-批零6亿"),
    pytest.param("14-revenue-milestone", {"sector": "批零贸易", "revenue": "5亿"}, False, 0, id="14-批零恰好5亿不足"),
    pytest.param("14-growth-award", {"growth": "15%"}, False, 0, id="14-增速恰好15%不超过"),
    pytest.param("14-growth-award", {"growth": "15.1%"}, True, 100_000, id="14-增速15.1%"),
    pytest.param("14-crossborder-platform", {"served": "301", "trade_growth": "15%", "cost": "50万"}, True, 350_000,
                 id="14-跨境-15%-70%"),
    pytest.param("14-crossborder-platform", {"served": "400", "trade_growth": "20%", "cost": "50万"}, True, 500_000,
                 id="14-跨境-20%-100%"),
    pytest.param("14-crossborder-platform", {"served": "400", "trade_growth": "25%", "cost": "80万"}, True, 600_000,
                 id="14-跨境-封顶60万"),
    pytest.param("14-crossborder-platform", {"served": "300", "trade_growth": "25%", "cost": "80万"}, False, 0,
                 id="14-跨境-恰好300家不超过"),
]


@pytest.mark.parametrize("rule_id, inputs, eligible, amount", CASES)
def test_formula(rule_id, inputs, eligible, amount):
    c = calculate(rule_id, inputs, IN_2024)
    assert (c.eligible, c.amount_yuan) == (eligible, amount), c.steps + c.reasons
    if not eligible:
        assert c.reasons, "an ineligible result says why"
    assert c.citation["doc_no"] and c.citation["clause"]
    assert c.steps


def test_maximum_is_flagged():
    assert calculate("10-45-export-credit-insurance", {"base": "100万"}, IN_2024).is_maximum
    assert not calculate("10-19-smart-upgrade", {"investment": "3000万", "tier": "A"}, IN_2024).is_maximum
    assert calculate("10-13-innovation-voucher", {"base": "10万"}, IN_2024).bound == "minimum"


def test_expired_rule_still_computes_with_warning():
    c = calculate("10-19-smart-upgrade", {"investment": "3000万", "tier": "A"}, TODAY)
    assert c.amount_yuan == 15_000_000
    assert any("已失效" in w and "2024年12月31日" in w for w in c.warnings)
    assert not any("失效" in w for w in calculate("10-19-smart-upgrade", {"investment": "3000万", "tier": "A"},
                                                  IN_2024).warnings)
    c14 = calculate("14-growth-award", {"growth": "20%"}, TODAY)
    assert not any("失效" in w for w in c14.warnings)
    assert any("失效" in w for w in calculate("14-growth-award", {"growth": "20%"}, dt.date(2027, 1, 1)).warnings)


def test_star_rating_typo_is_a_warning_not_a_choice():
    c = calculate("10-26-micro-parks", {"category": "市级五星级小微企业园"}, IN_2024)
    assert c.amount_yuan is None and c.eligible
    assert {a["amount_yuan"] for a in c.alternatives} == {1_000_000, 5_000_000}
    assert any("歧义" in w for w in c.warnings) and any("印刷错误" in w for w in c.warnings)
    four = calculate("10-26-micro-parks", {"category": "市级四星级小微企业园"}, IN_2024)
    assert four.amount_yuan == 3_000_000 and any("五星级" in w for w in four.warnings)


def test_no_double_dipping_takes_the_highest():
    a = calculate("14-service-manufacturing", {"category": "国家级"}, TODAY)
    b = calculate("14-industrial-design", {"category": "省级"}, TODAY)
    c = calculate("14-growth-award", {"growth": "10%"}, TODAY)
    combined = combine([a, b, c])
    assert combined.amount_yuan == 1_500_000
    assert combined.chosen.rule_id == "14-service-manufacturing"
    assert "就高不重复" in combined.explanation and "嘉政发〔2024〕14号 五、" in combined.explanation
    assert combine([c]).amount_yuan == 0


def test_money_is_exact():
    # 10% of 1,234,567.89元 is 123,456.789: one rounding, half up, to whole yuan
    c = calculate("10-11-rd-increment", {"rd_prev": "800万", "rd_curr": "9234567.89", "enterprise_type": "其他企业"},
                  IN_2024)
    assert c.amount_yuan == 123_457
    assert any("四舍五入" in s for s in c.steps)
    c = calculate("10-19-smart-upgrade", {"investment": "2000万", "tier": "C", "strategic": True}, IN_2024)
    assert c.amount_yuan == 6_300_000  # 600万 × 1.05 exactly, no 6299999.999


# ----------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "inputs, field",
    [
        pytest.param({"investment": "-3000万", "tier": "A"}, "生产性投入", id="negative"),
        pytest.param({"investment": "NaN", "tier": "A"}, "生产性投入", id="nan"),
        pytest.param({"investment": "abc", "tier": "A"}, "生产性投入", id="abc"),
        pytest.param({"investment": "1e30", "tier": "A"}, "生产性投入", id="1e30"),
        pytest.param({"investment": "1e309", "tier": "A"}, "生产性投入", id="1e309"),
        pytest.param({"investment": "3000亩", "tier": "A"}, "生产性投入", id="wrong-unit"),
        pytest.param({"investment": "3000万", "tier": "E"}, "绩效综合评价档次", id="unknown-tier"),
        pytest.param({"investment": "3000万", "tier": "A", "strategic": "maybe"}, "是否战略性新兴产业", id="bad-bool"),
        pytest.param({"investment": "3000万", "tier": "A", "colour": "red"}, "colour", id="unknown-field"),
    ],
)
def test_bad_input_names_the_field(inputs, field):
    with pytest.raises(CalcInputError) as exc:
        calculate("10-19-smart-upgrade", inputs, IN_2024)
    assert exc.value.field.startswith(field)


def test_missing_inputs_named():
    with pytest.raises(MissingInputs) as exc:
        calculate("10-19-smart-upgrade", {"investment": "3000万"}, IN_2024)
    assert [s.name for s in exc.value.specs] == ["tier"]
    assert "绩效综合评价档次" in str(exc.value)


@pytest.mark.parametrize("raw, yuan", [("3000万", 30_000_000), ("3,000万", 30_000_000), ("三千万", 30_000_000),
                                       ("1.2亿元", 120_000_000), ("30000000", 30_000_000), ("-0", 0), (" 2000 万元 ", 20_000_000)])
def test_money_spellings(raw, yuan):
    c = calculate("10-12-lab-matching", {"base": raw}, IN_2024)
    assert c.amount_yuan == yuan


def test_unknown_rule():
    with pytest.raises(CalcInputError, match="calc --list"):
        calculate("no-such-rule", {}, IN_2024)


# ----------------------------------------------------------------------------------------- extraction


@pytest.mark.parametrize(
    "question, rule_id, inputs",
    [
        pytest.param("我们技改项目投入3000万，评了A档，战略性新兴产业，能补多少？", "10-19-smart-upgrade",
                     {"investment": "3000万", "tier": "A", "strategic": True}, id="技改-A档"),
        pytest.param("研发费用从800万增加到1000万，高新技术企业，占营收4%，能补多少", "10-11-rd-increment",
                     {"rd_prev": "800万", "rd_curr": "1000万", "rd_ratio": "4%", "enterprise_type": "高新技术企业"},
                     id="研发-从到"),
        pytest.param("种了200亩油菜连片，市里补多少", "10-51-grain", {"quantity": "200亩", "crop": "油菜连片"}, id="油菜200亩"),
        pytest.param("今年海铁联运发了500个标箱，能拿多少补助", "10-39-sea-rail", {"quantity": "500标箱"}, id="海铁联运"),
        pytest.param("设备投资1000万，年节能1000吨标准煤，绿色化改造能补多少", "10-20-green-upgrade",
                     {"equipment": "1000万", "energy_saving": "1000吨"}, id="绿色化改造"),
        pytest.param("物流企业营收首次超过1.2亿元，奖励多少", "14-revenue-milestone",
                     {"revenue": "超过1.2亿元", "sector": "物流运输"}, id="14-营收"),  # above it (Above)
        pytest.param("批发零售企业年营收首次超过12亿奖多少", "14-revenue-milestone",
                     {"revenue": "超过12亿", "sector": "批零贸易"}, id="14-批发零售"),
        pytest.param("我们是做软件的，营收第一次过了1.2亿，奖多少", "14-revenue-milestone",
                     {"revenue": "超过1.2亿", "sector": "科技信息"}, id="14-软件"),
    ],
)
def test_extraction(question, rule_id, inputs):
    assert is_calculation_request(question)
    e = extract(question)
    assert e.rule.id == rule_id
    assert e.inputs == inputs
    assert e.missing == []


@pytest.mark.parametrize("question", ["稻麦复种1e309亩能补多少", "营收首次超过-5万，物流企业，能奖多少"])
def test_a_number_inside_another_token_is_not_read(question):
    e = extract(question)
    assert e is None or not any(v in ("309亩", "5万") for v in e.inputs.values())


def test_an_increment_is_neither_years_spending():
    e = extract("研发费用今年比去年多了300万，能补多少")
    assert e.rule.id == "10-11-rd-increment"
    assert "rd_prev" not in e.inputs and "rd_curr" not in e.inputs and {"rd_prev", "rd_curr"} <= set(e.missing)


def test_extraction_reports_missing():
    e = extract("技改投入3000万能补多少")
    assert e.rule.id == "10-19-smart-upgrade" and e.missing == ["tier"]


def test_not_a_calculation():
    assert not is_calculation_request("小巨人有什么奖励")
    assert not is_calculation_request("10号文第19条")


# ----------------------------------------------------------------------------------------- tool and CLI


def test_structured_tool():
    from assistant.calculator.tool import calculator_tool

    tool = calculator_tool(IN_2024)
    out = tool.invoke({"rule_id": "10-51-grain", "inputs": {"crop": "稻麦复种", "quantity": "100亩"}})
    assert out["amount_yuan"] == 1500 and out["citation"] == {"doc_no": "嘉政发〔2024〕10号", "clause": "七、（五十一）"}
    assert "field" in tool.invoke({"rule_id": "10-51-grain", "inputs": {"crop": "稻麦复种", "quantity": "-1"}})
    assert tool.invoke({"rule_id": "10-51-grain", "inputs": {"crop": "稻麦复种"}})["missing"] == ["quantity"]


def test_cli_json_contract():
    p = subprocess.run([sys.executable, "-m", "assistant", "calc", "10-19-smart-upgrade", "--set", "investment=3000万",
                        "--set", "tier=A", "--set", "strategic=是", "--json"], capture_output=True, text=True, cwd=ROOT)
    data = json.loads(p.stdout)
    assert set(data) >= {"rule_id", "citation", "inputs", "eligible", "amount_yuan", "is_maximum", "steps", "warnings"}
    assert data["amount_yuan"] == 15_000_000 and isinstance(data["amount_yuan"], int)
    assert data["inputs"]["investment"] == 30_000_000


def test_cli_bad_value_is_one_sentence():
    p = subprocess.run([sys.executable, "-m", "assistant", "calc", "10-51-grain", "--set", "crop=稻麦复种",
                        "--set", "quantity=-5"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "种植面积" in p.stderr


def test_cli_list():
    p = subprocess.run([sys.executable, "-m", "assistant", "calc", "--list"], capture_output=True, text=True, cwd=ROOT)
    assert all(r.id in p.stdout for r in RULES)


def test_amounts_never_negative_or_nan():
    for case in CASES:
        rule_id, inputs, *_ = case.values
        c = calculate(rule_id, inputs, TODAY)
        assert c.amount_yuan is None or (type(c.amount_yuan) is int and c.amount_yuan >= 0)


@pytest.mark.parametrize("value, message", [("1e999999万", "数值过大"), ("1,0,0,0万", "千位分隔符"), ("万", "无法识别"),
                                            ("亿万", "无法识别"), ("十十", "无法识别")])
def test_malformed_amounts_are_refused_with_a_sentence(value, message):
    from assistant.calculator import CalcInputError

    with pytest.raises(CalcInputError, match=message):
        calculate("10-19-smart-upgrade", {"investment": value, "tier": "A", "strategic": "否"}, TODAY)


def test_thousands_separators_in_the_right_place_are_read():
    c = calculate("10-19-smart-upgrade", {"investment": "3,000万", "tier": "A", "strategic": "否"}, TODAY)
    assert c.amount_yuan == 15_000_000


# Issue 14, item 8: values no person means are refused with a sentence, and inputs are shown as given.

@pytest.mark.parametrize("rule_id, inputs, field, message", [
    ("14-crossborder-platform", {"served": "300.5家", "trade_growth": "20%", "cost": "50万"}, "服务企业数", "整数"),
    ("10-21-first-set-insurance", {"premium": "30万", "rate": "-3%"}, "投保费率", "负数"),
    ("10-21-first-set-insurance", {"premium": "30万", "insured_amount": 0}, "保险金额", "大于0"),
    ("10-21-first-set-insurance", {"premium": "30万", "insured_amount": "0万"}, "保险金额", "大于0"),
])
def test_impossible_values_are_refused(rule_id, inputs, field, message):
    with pytest.raises(CalcInputError, match=message) as info:
        calculate(rule_id, inputs, IN_2024)
    assert info.value.field.startswith(field)


def test_a_negative_premium_rate_no_longer_pays():
    """It used to pay 21万 (the whole premium at 70%) for a rate of -3%."""
    with pytest.raises(CalcInputError):
        calculate("10-21-first-set-insurance", {"premium": "30万", "rate": "-3%"}, IN_2024)


def test_growth_rates_may_be_negative():
    c = calculate("14-growth-award", {"growth": "-5%"}, IN_2024)
    assert not c.eligible and c.amount_yuan == 0


def test_whole_counts_and_fractional_areas():
    c = calculate("14-crossborder-platform", {"served": "300家", "trade_growth": "20%", "cost": "50万"}, IN_2024)
    assert c.amount_yuan is not None
    rule = next(r for r in RULES if any(i.unit == "亩" for i in r.inputs))
    spec = next(i for i in rule.inputs if i.unit == "亩")
    from assistant.calculator import validate_inputs
    assert validate_inputs(rule, {spec.name: "100.5亩", **{i.name: i.choices[0] for i in rule.inputs if i.choices}})


def test_an_input_just_below_a_threshold_is_not_displayed_as_the_threshold():
    c = calculate("10-19-smart-upgrade", {"investment": "1999.99999万", "tier": "A", "strategic": "否"}, IN_2024)
    assert not c.eligible
    shown = " ".join(c.steps)
    assert "19,999,999.9元" in shown and "20,000,000元" not in shown


# Figures labelled by year; choices that cannot change the outcome.

@pytest.mark.parametrize("question, prev, curr", [
    ("规上企业，2022年研发投了1000万，2023年投了1300万，营收2亿，研发补助能补多少", "1000万", "1300万"),
    ("23年研发费用600万元、24年研发费用900万元，营业收入1亿，能拿多少研发补助", "600万元", "900万元"),
])
def test_research_spending_labelled_by_year(question, prev, curr):
    e = extract(question)
    assert e.rule.id == "10-11-rd-increment"
    assert e.inputs["rd_prev"] == prev and e.inputs["rd_curr"] == curr
    assert "revenue" in e.inputs and e.inputs["revenue"] not in (prev, curr)


def test_a_revenue_labelled_by_year_is_not_spending():
    e = extract("2024年营业收入3亿，研发费用去年500万今年800万，研发补助能拿多少")
    assert e.inputs.get("revenue") == "3亿" and e.inputs.get("rd_prev") == "500万"


def test_missing_choices_that_cannot_change_the_outcome_are_not_asked_for():
    from assistant.calculator import calculate_whatever_missing

    c = calculate_whatever_missing("10-19-smart-upgrade", {"investment": "1800万"}, IN_2024)
    assert not c.eligible and c.amount_yuan == 0 and any("无关" in a for a in c.assumptions)
    with pytest.raises(MissingInputs):  # above the threshold the tier decides the amount
        calculate_whatever_missing("10-19-smart-upgrade", {"investment": "2500万"}, IN_2024)
    with pytest.raises(MissingInputs):  # a missing figure is never guessed
        calculate_whatever_missing("10-19-smart-upgrade", {"tier": "A"}, IN_2024)


def test_a_document_reference_with_figures_is_a_calculation(corpus):
    from assistant.router import route

    r = route("14号文那个营收首次突破的奖励，我们科技信息类企业去年4000万今年5200万，能拿多少", "", 2000, corpus.knowledge)
    assert r.kind == "calculation"
    assert route("10号文第十九条讲什么", "", 2000, corpus.knowledge).kind == "lookup"


@pytest.mark.parametrize("text, yuan", [("200块", 200), ("3万块钱", 30_000), ("五千块", 5000), ("80块钱", 80)])
def test_money_as_people_say_it(text, yuan):
    from assistant.calculator.quantities import parse_money

    assert parse_money("x", text) == yuan


def test_kuai_makes_a_calculation():
    e = extract("货车走高速，通行费本来300块，用ETC打折后要交多少")
    assert e.rule.id == "10-40-toll-discount" and e.inputs.get("base") == "300块"
    assert extract("两块地一共多少亩") is None or "base" not in extract("两块地一共多少亩").inputs


def test_yi_with_a_measure_word():
    from assistant.calculator.quantities import parse_money

    assert parse_money("x", "2个亿") == 200_000_000 and parse_money("x", "两个亿") == 200_000_000
    assert extract("规上企业，去年研发费用600万，今年900万，营收3个亿，研发补助能拿多少").inputs["revenue"] == "3个亿"


# "超过N" from the asker: the condition holds (issue 13, item 6).

def test_a_lower_bound_passes_strict_and_inclusive_thresholds_and_stays_in_its_tier():
    from assistant.calculator.quantities import Above, parse_money

    a = parse_money("营收", "超过5亿")
    assert isinstance(a, Above) and a > Decimal(500_000_000) and a >= Decimal(500_000_000)
    assert not a > Decimal(1_000_000_000) and a < Decimal(1_000_000_000) and not a == Decimal(500_000_000)
    assert Decimal(500_000_000) < a and isinstance(parse_money("营收", "5亿多"), Above)
    c = calculate("14-revenue-milestone", {"sector": "批零贸易", "revenue": "超过5亿"}, IN_2024)
    assert c.amount_yuan == 100_000 and "超过" in c.steps[0] and c.inputs["revenue"] == 500_000_000
    assert calculate("14-revenue-milestone", {"sector": "批零贸易", "revenue": "5亿"}, IN_2024).amount_yuan == 0


@pytest.mark.parametrize("question, revenue", [
    ("做批发的，今年营收第一次过了10个亿，奖多少", "超过10个亿"),
    ("物流企业营收首次突破5000万，给多少奖励", "超过5000万"),
    ("营收不超过5000万的物流企业能拿多少", "5000万"),
])
def test_lower_bounds_in_questions(question, revenue):
    assert extract(question).inputs["revenue"] == revenue


@pytest.mark.parametrize("question, crop", [
    ("家里种了90亩，一季稻一季麦，市里每亩加多少，总共多少", "稻麦复种"),   # 一季 is not 一季早粮
    ("俺家120亩地稻子麦子轮着种，市里的补贴算算多少", "稻麦复种"),
    ("一季早粮种了90亩，市里补多少", "一季早粮"),
])
def test_crops_are_read_as_the_rule_file_describes_how_farmers_write_them(question, crop):
    from assistant.calculator.extract import extract

    e = extract(question)
    assert e is not None and e.rule.id == "10-51-grain" and e.inputs.get("crop") == crop


def test_one_company_as_an_article_is_no_count():
    from assistant.calculator.extract import has_numbers

    assert not has_numbers("我在一家软件企业做会计，所得税税率多少")  # 一家 + noun: "a company"
    assert has_numbers("服务企业一家，研发升级花了50万")


@pytest.mark.parametrize("text, value", [("一亿五", 150_000_000), ("两亿三", 230_000_000), ("十亿五", 1_050_000_000)])
def test_a_digit_after_yi_is_its_tenths(text, value):
    from assistant.numerals import parse_amount

    assert parse_amount(text).value == value


@pytest.mark.parametrize("question, amount", [
    ("做物流的，营收首次超1亿，两业融合能奖多少", 500_000),     # 超1亿 is above 1亿: the 1亿 tier
    ("批发企业营收首次超5个亿能奖多少", 100_000),
])
def test_chao_before_a_figure_says_the_figure_is_exceeded(question, amount):
    from assistant.answer import Assistant
    from assistant.settings import get_settings

    bot = Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28", "ASSISTANT_INDEX_DIR": "/nonexistent"}))
    ans = bot.ask(question)
    assert ans.kind == "calculation" and ans.calculation["amount_yuan"] == amount


def test_a_figure_below_every_tiers_floor_answers_can_i_apply_without_the_tier():
    from assistant.answer import Assistant
    from assistant.settings import get_settings

    bot = Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28", "ASSISTANT_INDEX_DIR": "/nonexistent"}))
    ans = bot.ask("我们技改生产性投入1200万，能不能申请智能化技改的补助")
    assert ans.kind == "calculation" and ans.calculation["amount_yuan"] == 0 and "2000万元" in ans.answer


@pytest.mark.parametrize("question, field, value", [
    ("做物流的，营收从1800万涨到2300万，两业融合能奖多少", "revenue", "2300万"),   # where it stands now
    ("做物流的，去年营收4500万今年5600万，能奖多少", "revenue", "5600万"),
    ("技改总投资3100万，其中土建600万，C档能补多少", "investment", "25000000元"),  # 不含土建: total less the part
    ("技改投了2800万，土建花了300万，D档能补多少", "investment", "25000000元"),
])
def test_the_askers_current_figure_and_the_part_an_input_excludes(question, field, value):
    e = extract(question)
    assert e is not None and e.inputs[field] == value


def test_how_is_it_computed_asks_for_a_calculation():
    assert is_calculation_request("节水改造一年节水30万吨，设备投了一千万，补贴咋算")
    assert is_calculation_request("帮我算算，海铁联运发了500个标箱")
