"""Free-text extraction: company self-descriptions in varied styles (formal, chatty, traditional script, Chinese
numerals, 万/亿, last year's and this year's figures side by side) -> the profile fields, then end to end."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.matching import extract_profile, match

pytestmark = pytest.mark.unit
Y = 2026


def fields(text: str) -> dict:
    return extract_profile(text, Y).profile.model_dump(mode="json", exclude_defaults=True)


DESCRIPTIONS = [
    ("正式-中文数字-由…增至", "我司系规模以上工业企业，国家高新技术企业。2025年营业收入一亿两千万元，2026年预计一点五亿元。"
     "研发费用由2025年的四百万元增至2026年的五百五十万元。",
     {"industry": "制造业", "above_scale": True, "high_tech": True, "revenue": {"2025": 120_000_000, "2026": 150_000_000},
      "rd_expense": {"2025": 4_000_000, "2026": 5_500_000}}),
    ("口语-两位年份", "做软件开发的小公司，24年营收1800万，25年营收两千五百万。",
     {"industry": "科技信息", "revenue": {"2024": 18_000_000, "2025": 25_000_000}}),
    ("个亿", "批发零售企业，去年销售额4.8个亿，今年5.5亿",
     {"industry": "批零贸易", "revenue": {"2025": 480_000_000, "2026": 550_000_000}}),
    ("技改-档次-战新", "我们厂今年搞了智能化改造，生产性投入2500万（不含土建），绩效评价B档，属于战略性新兴产业。",
     {"industry": "制造业", "smart_upgrade": {"investment": 25_000_000, "tier": "B", "strategic": True}}),
    ("绿色化改造-吨", "节能改造项目设备投资额300万元，年节能量450吨标准煤，二氧化碳年减排量900吨。",
     {"green_upgrade": {"equipment": 3_000_000, "energy_saving": 450, "co2_reduction": 900}}),
    ("农业-水稻和小麦", "种粮大户，今年种了水稻和小麦280亩，还有早粮60亩。",
     {"industry": "农业", "crops": {"稻麦复种": 280, "一季早粮": 60}}),
    ("认定-今年去年正在申报", "今年新认定为省级企业技术中心，正在申报国家级绿色工厂，去年评上了市级绿色工厂。",
     {"recognitions": [{"name": "省级企业技术中心", "year": 2026}, {"name": "市级绿色工厂", "year": 2025}]}),
    ("超过-下限-左右", "今年营收超过5000万，去年是4500万左右，做物流的",
     {"industry": "物流运输", "revenue": {"2026": 50_000_000, "2025": 45_000_000}, "approximate": ["revenue.2026"]}),
    ("跨境平台-百分之", "公司做跨境电商综合服务平台，今年服务了三百二十家企业，平台进出口额同比增长百分之十六，平台研发升级花了45万元。",
     {"platform": {"served": 320, "trade_growth": "16%", "cost": 450_000}}),
    ("近似名称-不是奖励", "我们是科技小巨人企业，也是省级专精特新中小企业", {}),
    ("引号-小巨人", "今年获评专精特新“小巨人”企业和省级隐形冠军",
     {"recognitions": [{"name": "专精特新小巨人", "year": 2026}, {"name": "省级隐形冠军", "year": 2026}]}),
    ("出口信保", "外贸企业，今年出口信用保险保费80万元", {"export_credit_premium": 800_000}),
    ("海铁联运", "今年海铁联运发了1200标箱", {"sea_rail_teu": 1200}),
    ("首台套-全角括号-保费不是认定", "产品今年入选省内首台（套）装备，首台套保险保费12万元，保额800万元",
     {"industry": "制造业", "first_set_premium": 120_000, "first_set_insured_amount": 8_000_000,
      "recognitions": [{"name": "省内首台(套)装备", "year": 2026}]}),
    ("两千多万-未注明年份", "营收两千多万，去年一千八百万，做咨询的",
     {"industry": "商务服务", "revenue": {"2026": 20_000_000, "2025": 18_000_000}, "approximate": ["revenue.2026"]}),
    ("千位分隔-分号-获奖年份", "我们是商务服务企业。2025年主营业务收入1,950万元；2026年2,100万元。2025年拿到过营收首次突破奖励。",
     {"industry": "商务服务", "revenue": {"2025": 19_500_000, "2026": 21_000_000}, "milestone_award_year": 2025}),
    ("增量不是年度数", "今年研发投入比去年多了300万，今年研发投入1500万", {"rd_expense": {"2026": 15_000_000}}),
    ("省科技进步一等奖", "公司今年荣获省科学技术进步奖一等奖（第一完成单位）",
     {"recognitions": [{"name": "省科学技术奖一等奖", "year": 2026}]}),
    ("首版次与首批次", "今年产品被评为省级首版次软件产品，另一个产品入选国内首批次软件",
     {"recognitions": [{"name": "省级首版次软件产品", "year": 2026}, {"name": "国内首批次软件", "year": 2026}]}),
    ("14号两项认定", "2026年被认定为国家级服务型制造示范企业、省级工业设计中心",
     {"recognitions": [{"name": "国家级服务型制造示范企业(平台、项目)", "year": 2026},
                       {"name": "省级工业设计企业(中心、研究院)", "year": 2026}]}),
    ("繁体-零", "開發軟體的公司，去年營收九千萬，今年一億零五百萬",
     {"industry": "科技信息", "revenue": {"2025": 90_000_000, "2026": 105_000_000}}),
    ("从…增长到…", "物流公司，营收从4800万增长到5200万", {"industry": "物流运输", "revenue": {"2025": 48_000_000, "2026": 52_000_000}}),
    ("换行分句", "嘉兴某物流有限公司\n2025年：营业收入4800万元\n2026年：营业收入5200万元",
     {"industry": "物流运输", "revenue": {"2025": 48_000_000, "2026": 52_000_000}}),
    ("增速", "我们是物流企业，今年营收7000万，同比增长16%",
     {"industry": "物流运输", "revenue": {"2026": 70_000_000}, "revenue_growth": {"2026": "16%"}}),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in DESCRIPTIONS])
def test_extraction(text, expected):
    assert fields(text) == expected


def test_at_least_twenty_descriptions():
    assert len(DESCRIPTIONS) >= 20


def test_undated_figures_are_said():
    e = extract_profile("营收两千多万，去年一千八百万，做咨询的", Y)
    assert any("未注明年份" in n and "2026" in n for n in e.notes)


def test_applying_is_not_holding():
    e = extract_profile("正在申报国家级绿色工厂", Y)
    assert e.profile.recognitions == [] and "尚未获得" in e.notes[0]


# ------------------------------------------------------------------------------------------ end to end


def test_logistics_end_to_end():
    r = match("我们是做物流的，去年营收4800万，今年5200万，今年刚评上省级服务型制造示范企业", dt.date(2026, 11, 28))
    # 14号 三、（一）: 首次超过5000万元 → 20万元; 省级服务型制造示范企业 → 50万元
    assert r.total_yuan == 700_000
    assert {(e.rule_id, e.amount_yuan) for e in r.eligible} == {("14-revenue-milestone", 200_000),
                                                                ("14-service-manufacturing", 500_000)}


def test_lower_bound_at_a_strict_threshold_is_asked_not_guessed():
    # “营收超过两千万” could be 2000万 plus one yuan or plus 500万: the award needs 超过2000万 — eligible; the tier
    # above (超过5000万) cannot be ruled out, which the note says
    r = match("做咨询的，去年营收1500万，今年营收超过两千万", dt.date(2026, 11, 28))
    assert r.total_yuan == 100_000 and any("按下限" in n for n in r.notes)
    assert "超过2000万元" in " ".join(r.eligible[0].steps) and "20,000,001" not in " ".join(r.eligible[0].steps)
    r = match("做咨询的，去年营收1500万，今年营收一千九百多万", dt.date(2026, 11, 28))
    assert r.total_yuan == 0 and r.needs and "准确数字" in r.needs[0].question


def test_previous_year_figure_of_the_wrong_year_is_not_used():
    # 2024 and 2026 given, 2025 missing: 首次超过 cannot be decided
    r = match("物流企业，2024年营收4000万，2026年营收5200万", dt.date(2026, 11, 28))
    assert r.total_yuan == 0 and r.needs[0].missing == ["revenue.2025"]


def test_nothing_for_a_restaurant():
    r = match("我们餐馆今年营业额350万，员工20人", dt.date(2026, 11, 28))
    assert r.eligible == [] and r.total_yuan == 0
