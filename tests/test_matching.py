"""Policy matching on structured profiles: every expected amount is computed by hand from the clause text quoted in
the comment (not from the code's output), then the combination rules, the traps and validity."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.matching import Profile, match_profile

pytestmark = pytest.mark.unit

IN_2024 = dt.date(2024, 6, 1)  # 10号 (2024-01-01..2024-12-31) and 14号 (from 2024-05-20) both in force
IN_2026 = dt.date(2026, 11, 28)  # 10号 expired, 14号 in force
D10, D14 = "嘉政发〔2024〕10号", "嘉政发〔2024〕14号"


def R(name, year=2024):  # noqa: N802
    return {"name": name, "year": year}


# (id, date, profile, {rule_id: [counted amounts]}, total, near-miss rule ids, needs rule ids)
CASES = [
    # ------------------------------------------------------------------ manufacturing, 10号 三、（十九）
    # “对生产性投入(不含土建)不低于2000万元的智能化技术改造项目…A、B、C、D四档,分别给予1500万元、1000万元、600万元、
    # 300万元补助,战略性新兴产业补助标准上浮5%,单个项目最高不超过1500万元”
    # A档 1500万 × 1.05 = 1575万 > 1500万 → 1500万 (the cap after the uplift)
    ("制造-技改A档-战新-封顶", IN_2024, {"industry": "制造业", "smart_upgrade": {"investment": "3000万", "tier": "A", "strategic": True}},
     {"10-19-smart-upgrade": [15_000_000]}, 15_000_000, [], []),
    # B档 1000万 × 1.05 = 1050万
    ("制造-技改B档-战新-上浮", IN_2024, {"smart_upgrade": {"investment": "2500万", "tier": "B", "strategic": True}},
     {"10-19-smart-upgrade": [10_500_000]}, 10_500_000, [], []),
    # 不低于2000万元 includes 2000万: D档 300万
    ("制造-技改-恰好2000万-不低于含本数", IN_2024, {"smart_upgrade": {"investment": "2000万", "tier": "D", "strategic": False}},
     {"10-19-smart-upgrade": [3_000_000]}, 3_000_000, [], []),
    # 1999万 < 2000万: nothing; 1999万 ≥ 80% of 2000万 → near miss (还差1万元)
    ("制造-技改-差1万-近似", IN_2024, {"smart_upgrade": {"investment": "1999万", "tier": "A", "strategic": False}},
     {}, 0, ["10-19-smart-upgrade"], []),
    # 10号（二十）“年替代利用量(节能量)达到200吨(含,下同)标准煤…设备投资额不低于200万元…给予设备投资额8%的补助;
    # 年替代利用量(节能量)每增加400吨…补助比例增加1个百分点,最高…12%…最高限额400万元”
    # 1000吨: (1000−200)/400 = 2 points → 10%; 1000万 × 10% = 100万
    ("制造-绿色化改造-10%", IN_2024, {"green_upgrade": {"equipment": "1000万", "energy_saving": 1000}},
     {"10-20-green-upgrade": [1_000_000]}, 1_000_000, [], []),
    # 2000吨: 8% + 4 = 12% (the ceiling); 5000万 × 12% = 600万 > 400万 → 400万 (cap after the rate)
    ("制造-绿色化改造-12%-限额400万", IN_2024, {"green_upgrade": {"equipment": "5000万", "energy_saving": 2000}},
     {"10-20-green-upgrade": [4_000_000]}, 4_000_000, [], []),
    # 200万元 (不低于) and 10万吨 (达到…以上, 含): 8% × 200万 = 16万
    ("制造-节水改造-恰好门槛", IN_2024, {"green_upgrade": {"equipment": "200万", "water_saving": "10万吨"}},
     {"10-20-green-upgrade": [160_000]}, 160_000, [], []),
    # One project meets 10号（十九） C档 600万 and 10号（二十） 3000万 × 10% = 300万: 14号 五、就高不重复 → 600万, not 900万
    ("就高不重复-同一项目技改与绿色化", IN_2024,
     {"smart_upgrade": {"investment": "3000万", "tier": "C", "strategic": False},
      "green_upgrade": {"equipment": "3000万", "energy_saving": 1000}, "same_project": True},
     {"10-19-smart-upgrade": [6_000_000]}, 6_000_000, [], []),
    # Two different projects: both count, 600万 + 300万
    ("两个项目-技改与绿色化-叠加", IN_2024,
     {"smart_upgrade": {"investment": "3000万", "tier": "C", "strategic": False},
      "green_upgrade": {"equipment": "3000万", "energy_saving": 1000}},
     {"10-19-smart-upgrade": [6_000_000], "10-20-green-upgrade": [3_000_000]}, 9_000_000, [], []),
    # 10号（二十）省级绿色工厂 50万; （二十一）市级企业技术中心 20万; （二十二）专精特新“小巨人” 150万 → 220万
    ("制造-三项认定", IN_2024, {"recognitions": [R("省级绿色工厂"), R("市级企业技术中心"), R("专精特新小巨人")]},
     {"10-20-green-factory": [500_000], "10-21-innovation-centers": [200_000], "10-22-enterprise-titles": [1_500_000]},
     2_200_000, [], []),
    # 市级 20万 and 省级 50万 绿色工厂 the same year: one tier per award → 50万, not 70万
    ("就高不重复-绿色工厂两级", IN_2024, {"recognitions": [R("市级绿色工厂"), R("省级绿色工厂")]},
     {"10-20-green-factory": [500_000]}, 500_000, [], []),
    # 10号（十九）省级未来工厂企业 300万, 省级未来工厂培育(试点)企业 100万: one factory's two stages → 300万
    ("就高不重复-未来工厂与培育", IN_2024, {"recognitions": [R("省级未来工厂培育(试点)企业"), R("省级未来工厂")]},
     {"10-19-smart-factory-awards": [3_000_000]}, 3_000_000, [], []),
    # 10号（二十一）国内首台(套)装备 150万; premium 30万 on 1000万: 2% ceiling = 20万, × 70% = 14万 → 164万
    ("制造-首台套与保费", IN_2024,
     {"recognitions": [R("国内首台(套)装备")], "first_set_premium": "30万", "first_set_insured_amount": "1000万"},
     {"10-21-innovation-centers": [1_500_000], "10-21-first-set-insurance": [140_000]}, 1_640_000, [], []),
    # premium 100万 on 1亿 (ceiling 200万): 70% = 70万 > “不超过50万元” → 50万
    ("制造-首台套保费-封顶50万", IN_2024, {"first_set_premium": "100万", "first_set_insured_amount": "1亿"},
     {"10-21-first-set-insurance": [500_000]}, 500_000, [], []),
    # 10号（十一）“研发费用达到100万元以上且增幅达到15%以上的,按研发费用增量部分的10%给予补助,每家企业最高不超过500万元,
    # 其中规上企业…3%以上(含),高新技术企业…4%以上(含)” 800万 → 1000万 (+25%), 1000万/3亿 = 3.3% ≥ 3%: 200万 × 10% = 20万
    ("制造-研发增量-规上", IN_2024,
     {"industry": "制造业", "above_scale": True, "high_tech": False, "rd_expense": {"2023": "800万", "2024": "1000万"}, "revenue": {"2024": "3亿"}},
     {"10-11-rd-increment": [200_000]}, 200_000, [], []),
    # the same figures for a 高新技术企业: 3.3% < 4% → nothing; 4% of 3亿 = 1200万 needed, 1000万 ≥ 80% → near miss
    ("制造-研发增量-高新比重不足", IN_2024,
     {"industry": "制造业", "above_scale": True, "high_tech": True, "rd_expense": {"2023": "800万", "2024": "1000万"}, "revenue": {"2024": "3亿"}},
     {}, 0, ["10-11-rd-increment"], []),
    # 4000万 → 1亿: 6000万 × 10% = 600万 > 500万 → 500万
    ("制造-研发增量-封顶500万", IN_2024,
     {"industry": "制造业", "above_scale": True, "high_tech": False, "rd_expense": {"2023": "4000万", "2024": "1亿"}, "revenue": {"2024": "2亿"}},
     {"10-11-rd-increment": [5_000_000]}, 5_000_000, [], []),
    # exactly +15% (增幅达到15%以上, inclusive): 800万 → 920万, 120万 × 10% = 12万 (neither 规上 nor 高新: no share rule)
    ("研发增幅恰好15%-达到含本数", IN_2024,
     {"above_scale": False, "high_tech": False, "rd_expense": {"2023": "800万", "2024": "920万"}},
     {"10-11-rd-increment": [120_000]}, 120_000, [], []),
    # 研发费用 exactly 100万 (达到100万元以上): 80万 → 100万, 20万 × 10% = 2万
    ("研发费用恰好100万", IN_2024,
     {"above_scale": False, "high_tech": False, "rd_expense": {"2023": "80万", "2024": "100万"}},
     {"10-11-rd-increment": [20_000]}, 20_000, [], []),
    # 10号（十三）“省科技大奖和省科学技术奖…一等奖、二等奖、三等奖的,分别给予300万元、100万元、60万元、20万元” → 二等奖 60万
    ("科技-省科学技术奖二等奖", IN_2024, {"recognitions": [R("省科学技术奖二等奖")]},
     {"10-13-science-awards": [600_000]}, 600_000, [], []),
    # 10号（三十一）省级首版次软件产品 50万 and 10号（二十一）国内首批次软件 150万: different recognitions, both count
    ("首版次与首批次是两项", IN_2024, {"recognitions": [R("省级首版次软件产品"), R("国内首批次软件")]},
     {"10-31-first-edition-software": [500_000], "10-21-innovation-centers": [1_500_000]}, 2_000_000, [], []),
    # 10号（十二）“对新认定的省重点实验室,给予每家200万元奖励”
    ("科技-省重点实验室", IN_2024, {"recognitions": [R("省重点实验室")]}, {"10-12-labs": [2_000_000]}, 2_000_000, [], []),
    # 10号（二十六）“五星级”“四星级”“五星级”…100万元、300万元、500万元: 五星级 is 100万 or 500万 — no amount is counted
    ("五星级小微企业园-原文歧义不计", IN_2024, {"recognitions": [R("市级五星级小微企业园")]}, {}, 0, [], []),
    # ------------------------------------------------------------------ 14号 三、（一）, each service category
    # “年主营业务收入首次超过1亿元、5000万元、2000万元的科技信息、物流运输、商务服务类企业,分别给予50万元、20万元、10万元奖励”
    # 科技信息 9000万 → 1.05亿: first above 1亿 → 50万
    ("科技信息-首次超过1亿", IN_2026, {"industry": "科技信息", "revenue": {"2025": "9000万", "2026": "1.05亿"}},
     {"14-revenue-milestone": [500_000]}, 500_000, [], []),
    # 物流运输 4800万 → 5200万: first above 5000万 → 20万
    ("物流运输-首次超过5000万", IN_2026, {"industry": "物流运输", "revenue": {"2025": "4800万", "2026": "5200万"}},
     {"14-revenue-milestone": [200_000]}, 200_000, [], []),
    # 商务服务 1800万 → 2500万: first above 2000万 → 10万
    ("商务服务-首次超过2000万", IN_2026, {"industry": "商务服务", "revenue": {"2025": "1800万", "2026": "2500万"}},
     {"14-revenue-milestone": [100_000]}, 100_000, [], []),
    # exactly 2000万 is not 超过2000万 (strict): nothing; near miss
    ("商务服务-恰好2000万-超过不含本数", IN_2026, {"industry": "商务服务", "revenue": {"2025": "1500万", "2026": "2000万"}},
     {}, 0, ["14-revenue-milestone"], []),
    # 2024 already above 5000万: 2026's 5500万 is not 首次超过 (nor is 2000万) → nothing
    ("科技信息-此前已超过-非首次", IN_2026,
     {"industry": "科技信息", "revenue": {"2024": "6000万", "2025": "4500万", "2026": "5500万"}}, {}, 0, [], []),
    # 1500万 → 1.2亿 passes all three thresholds: one tier → 50万, not 80万
    ("物流运输-一次跨三档-只取一档", IN_2026, {"industry": "物流运输", "revenue": {"2025": "1500万", "2026": "1.2亿"}},
     {"14-revenue-milestone": [500_000]}, 500_000, [], []),
    # “年主营业务收入首次超过20亿元、10亿元、5亿元的批零贸易类企业,分别给予50万元、20万元、10万元” 4.8亿 → 5.5亿 → 10万
    ("批零贸易-首次超过5亿", IN_2026, {"industry": "批零贸易", "revenue": {"2025": "4.8亿", "2026": "5.5亿"}},
     {"14-revenue-milestone": [100_000]}, 100_000, [], []),
    # 批零贸易 at 1.5亿: the service thresholds do not apply to it → nothing
    ("批零贸易-服务业门槛不适用", IN_2026, {"industry": "批零贸易", "revenue": {"2025": "9000万", "2026": "1.5亿"}},
     {}, 0, [], []),
    # “从获奖次年开始,对年主营业务收入增速超过15%的企业,给予10万元奖励,连续奖励三年” 6000万 → 7000万 = +16.7% → 10万;
    # 2026 is not a first crossing of 5000万 (2025 was already above)
    ("增长奖励-获奖次年-增速16.7%", IN_2026,
     {"industry": "物流运输", "revenue": {"2025": "6000万", "2026": "7000万"}, "milestone_award_year": 2025},
     {"14-growth-award": [100_000]}, 100_000, [], []),
    # exactly +15% (6000万 → 6900万) is not 超过15%
    ("增长奖励-恰好15%-超过不含本数", IN_2026,
     {"industry": "物流运输", "revenue": {"2025": "6000万", "2026": "6900万"}, "milestone_award_year": 2025},
     {}, 0, ["14-growth-award"], []),
    # “国家级、省级、市级服务型制造示范企业(平台、项目),分别给予150万元、50万元、20万元” + 省级工业设计中心 50万 → 200万
    ("服务型制造国家级与省级工业设计中心", IN_2026,
     {"recognitions": [R("国家级服务型制造示范企业", 2026), R("省级工业设计中心", 2026)]},
     {"14-service-manufacturing": [1_500_000], "14-industrial-design": [500_000]}, 2_000_000, [], []),
    # 市级 20万 and 省级 50万 服务型制造示范 the same year: one tier → 50万
    ("就高不重复-服务型制造两级", IN_2026,
     {"recognitions": [R("市级服务型制造示范企业", 2026), R("省级服务型制造示范企业", 2026)]},
     {"14-service-manufacturing": [500_000]}, 500_000, [], []),
    # ------------------------------------------------------------------ cross-border platform, 14号 三、（一）
    # “服务企业超过300家且进出口额增速达到15%、20%以上的,按照其研发升级费用的70%、100%给予补助,最高不超过60万元”
    # 350家, 22% → 100% × 50万 = 50万
    ("跨境平台-100%", IN_2026, {"platform": {"served": 350, "trade_growth": "22%", "cost": "50万"}},
     {"14-crossborder-platform": [500_000]}, 500_000, [], []),
    # 20% exactly (达到…以上, inclusive) → 100% × 80万 = 80万 > 60万 → 60万
    ("跨境平台-恰好20%-封顶60万", IN_2026, {"platform": {"served": 350, "trade_growth": "20%", "cost": "80万"}},
     {"14-crossborder-platform": [600_000]}, 600_000, [], []),
    # 300家 exactly is not 超过300家 → nothing; near miss
    ("跨境平台-恰好300家-超过不含本数", IN_2026, {"platform": {"served": 300, "trade_growth": "25%", "cost": "50万"}},
     {}, 0, ["14-crossborder-platform"], []),
    # 15% exactly → 70% × 40万 = 28万 (15% is below 80% of 20% = 16%: no near miss for the 100% tier)
    ("跨境平台-恰好15%-70%", IN_2026, {"platform": {"served": 400, "trade_growth": "15%", "cost": "40万"}},
     {"14-crossborder-platform": [280_000]}, 280_000, [], []),
    # 18% → 70% × 40万 = 28万; 18% ≥ 16% → near miss: 100% × 40万 = 40万 at 20%
    ("跨境平台-18%-差2个百分点", IN_2026, {"platform": {"served": 400, "trade_growth": "18%", "cost": "40万"}},
     {"14-crossborder-platform": [280_000]}, 280_000, ["14-crossborder-platform"], []),
    # ------------------------------------------------------------------ agriculture, 10号 七、（五十一）
    # “对全年稻麦复种、一季早粮(不含大小麦)种植、油菜连片种植面积在50亩以上的农业主体,每亩分别增加15元、40元和50元补贴”
    # 200亩 × 15 + 60亩 × 50 = 3000 + 3000 = 6000元
    ("农业-稻麦复种与油菜", IN_2024, {"industry": "农业", "crops": {"稻麦复种": 200, "油菜连片": 60}},
     {"10-51-grain": [3_000, 3_000]}, 6_000, [], []),
    # 50亩 (在50亩以上, inclusive) × 40元 = 2000元
    ("农业-一季早粮恰好50亩", IN_2024, {"crops": {"一季早粮": 50}}, {"10-51-grain": [2_000]}, 2_000, [], []),
    # the same farm on 2026-11-28: 10号 has expired → listed, nothing counted
    ("农业-2026年已失效", IN_2026, {"industry": "农业", "crops": {"稻麦复种": 200, "油菜连片": 60}}, {}, 0, [], []),
    # ------------------------------------------------------------------ trade, logistics, nothing
    # 10号（四十五）“对短期出口信用保险保费给予最高65%的补助,原则上单家企业不超过500万元”: 100万 × 65% = 最高65万
    ("外贸-出口信保65%", IN_2024, {"export_credit_premium": "100万"}, {"10-45-export-credit-insurance": [650_000]}, 650_000, [], []),
    # 1000万 × 65% = 650万 > 500万 → 500万
    ("外贸-出口信保封顶500万", IN_2024, {"export_credit_premium": "1000万"},
     {"10-45-export-credit-insurance": [5_000_000]}, 5_000_000, [], []),
    # 10号（三十九）“海铁联运铁路集装箱班列200元/标箱”: 1000 × 200 = 20万
    ("物流-海铁联运", IN_2024, {"sea_rail_teu": 1000}, {"10-39-sea-rail": [200_000]}, 200_000, [], []),
    # a restaurant with revenue: none of the gazette's quantified awards
    ("餐饮-什么都不符合", IN_2026, {"industry": "其他", "revenue": {"2025": "300万", "2026": "350万"}}, {}, 0, [], []),
    # a recognition of 2023 does not count in 2024
    ("认定年份不对-不计", IN_2024, {"recognitions": [R("省级绿色工厂", 2023)]}, {}, 0, [], []),
    # 国家级节水型企业: only 省级 ones are rewarded (10号（二十）) → nothing
    ("国家级节水型企业-无此奖励", IN_2024, {"recognitions": [R("国家级节水型企业")]}, {}, 0, [], []),
    # 2026: 省级绿色工厂 (10号, expired) is listed apart; 省级服务型制造示范企业 (14号) 50万 counts
    ("2026-失效与有效并存", IN_2026, {"recognitions": [R("省级绿色工厂", 2026), R("省级服务型制造示范企业", 2026)]},
     {"14-service-manufacturing": [500_000]}, 500_000, [], []),
]


def counted(result) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for e in result.eligible:
        if e.counted_in_total:
            out.setdefault(e.rule_id, []).append(e.amount_yuan)
    return {k: sorted(v) for k, v in out.items()}


@pytest.mark.parametrize(("date", "profile", "expected", "total", "near", "needs"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_profile_table(date, profile, expected, total, near, needs):
    r = match_profile(Profile.model_validate(profile), date)
    assert counted(r) == {k: sorted(v) for k, v in expected.items()}
    assert r.total_yuan == total == sum(sum(v) for v in expected.values())
    assert sorted({n.rule_id for n in r.near_misses}) == sorted(near)
    assert sorted({n.rule_id for n in r.needs}) == sorted(needs)
    for e in r.eligible:  # every item cites its rule's clause, and the amount never exceeds what the steps say
        assert e.citation["doc_no"] in (D10, D14) and e.citation["clause"]
        assert e.steps


def test_at_least_thirty_profiles_cover_every_kind():
    ids = [c[0] for c in CASES]
    assert len(ids) >= 30
    for word in ("制造", "科技信息", "物流运输", "商务服务", "批零贸易", "跨境平台", "农业", "什么都不符合", "就高不重复"):
        assert any(word in i for i in ids), word


# ------------------------------------------------------------------------------------------ traps, in detail


def test_gap_says_strict_or_inclusive():
    over = match_profile(Profile(industry="商务服务", revenue={2025: "1500万", 2026: "2000万"}), IN_2026)
    assert "须超过2000万元" in over.near_misses[0].gap and "不含本数" in over.near_misses[0].gap
    reach = match_profile(Profile(smart_upgrade={"investment": "1999万", "tier": "A"}), IN_2024)
    assert "须不低于2000万元" in reach.near_misses[0].gap and "还差1万元" in reach.near_misses[0].gap


def test_first_time_needs_the_previous_year():
    r = match_profile(Profile(industry="物流运输", revenue={2026: "5200万"}), IN_2026)
    assert r.total_yuan == 0 and r.eligible == []
    assert r.needs[0].missing == ["revenue.2025"] and "首次超过" in r.needs[0].question


def test_wrong_year_figures_do_not_count():
    # only 2024 and 2025 figures on 2026-11-28: neither is this year's revenue
    r = match_profile(Profile(industry="物流运输", revenue={2024: "4000万", 2025: "5200万"}), IN_2026)
    assert r.eligible == [] and r.needs[0].missing == ["revenue.2026"]
    # R&D of 2022/2023 does not make a 2024 increment: 2024's figure is asked for
    r = match_profile(Profile(above_scale=True, rd_expense={2022: "500万", 2023: "800万"}), IN_2024)
    assert r.eligible == [] and r.needs[0].missing == ["rd_expense.2024"]
    r = match_profile(Profile(above_scale=True, rd_expense={2021: "500万", 2022: "800万"}), IN_2024)
    assert r.eligible == [] and r.needs == [] and any("不是2024年与2023年" in n for n in r.notes)


def test_expired_awards_are_said_first_and_not_counted():
    r = match_profile(Profile(recognitions=[R("省级绿色工厂", 2026), R("省级服务型制造示范企业", 2026)]), IN_2026)
    assert [e.valid_on_date for e in r.eligible] == [False, True]
    assert r.eligible[0].amount_yuan == 500_000 and not r.eligible[0].counted_in_total
    assert "嘉政发〔2024〕10号已于2024年12月31日失效" in r.notes[0]
    assert r.total_yuan == 500_000


def test_not_yet_in_force():
    r = match_profile(Profile(recognitions=[R("省级服务型制造示范企业", 2024)]), dt.date(2024, 5, 1))
    assert r.total_yuan == 0 and "尚未生效" in r.eligible[0].why_not_counted


def test_no_double_dipping_is_named_and_cited():
    r = match_profile(Profile(recognitions=[R("市级绿色工厂"), R("省级绿色工厂")]), IN_2024)
    dropped = [e for e in r.eligible if not e.counted_in_total]
    assert len(dropped) == 1 and dropped[0].amount_yuan == 200_000
    assert "就高不重复" in dropped[0].why_not_counted and "嘉政发〔2024〕14号 五、" in dropped[0].why_not_counted
    assert any("就高不重复" in n and "14号 五、" in n for n in r.notes)


def test_level_missing_is_asked_and_unknown_names_are_said():
    r = match_profile(Profile(recognitions=[R("绿色工厂"), R("年度优秀企业")]), IN_2024)
    assert r.needs[0].rule_id == "10-20-green-factory" and "国家级、省级、市级" in r.needs[0].question
    assert any("年度优秀企业" in n for n in r.notes)


def test_recognition_without_a_year_is_asked():
    r = match_profile(Profile(recognitions=[{"name": "国家级服务型制造示范企业"}]), IN_2026)
    assert r.total_yuan == 0 and "是2026年新获得的吗" in r.needs[0].question


def test_recognition_without_a_year_under_an_expired_document_is_said():
    r = match_profile(Profile(recognitions=[{"name": "省级绿色工厂"}]), IN_2026)
    assert r.needs == [] and r.total_yuan == 0 and any("已失效" in n and "省级绿色工厂" in n for n in r.notes)


def test_ambiguous_five_star_park_is_not_counted_and_said():
    r = match_profile(Profile(recognitions=[R("市级五星级小微企业园")]), IN_2024)
    e = r.eligible[0]
    assert e.amount_yuan is None and not e.counted_in_total and "歧义" in e.why_not_counted
    assert any("印刷错误" in w for w in e.warnings)


def test_maximum_amounts_are_marked():
    r = match_profile(Profile(export_credit_premium="100万"), IN_2024)
    assert r.eligible[0].is_maximum and any("最高" in n for n in r.notes)


def test_profile_rejects_bad_values_with_a_field_name():
    from pydantic import ValidationError

    for bad in ({"revenue": {"2026": "-5万"}}, {"revenue": {"abc": "5万"}}, {"industry": "银河系"}, {"colour": "red"},
                {"smart_upgrade": {"tier": "E"}}, {"crops": {"玉米": 10}}):
        with pytest.raises(ValidationError):
            Profile.model_validate(bad)


def test_record_is_the_json_contract():
    import json

    r = match_profile(Profile.model_validate(CASES[0][2]), IN_2024).record("x1")
    assert list(r) == ["id", "profile", "eligible", "near_misses", "needs", "total_yuan", "notes"]
    e = r["eligible"][0]
    for key in ("rule_id", "title", "citation", "amount_yuan", "is_maximum", "valid_on_date", "steps"):
        assert key in e
    assert set(e["citation"]) == {"doc_no", "clause"}
    assert json.loads(json.dumps(r, ensure_ascii=False)) == r
    assert Profile.model_validate(r["profile"]) == Profile.model_validate(CASES[0][2])  # the profile round-trips


# ------------------------------------------------------------------------------------------ the recognition vocabulary


def test_every_catalogue_entry_is_a_category_of_its_rule():
    from assistant.calculator import RULES_BY_ID
    from assistant.matching.recognitions import CATALOGUE

    for name, entry in CATALOGUE.items():
        rule = RULES_BY_ID[entry.subject.rule_id]
        assert entry.category in {a.label for a in rule.awards}, name


def test_every_fixed_award_of_the_rules_is_reachable():
    from assistant.calculator import RULES
    from assistant.matching.recognitions import CATALOGUE

    reachable = {(e.subject.rule_id, e.category) for e in CATALOGUE.values()}
    # 在省、市创新区评价中居前 rewards an area's ranking, not a company's recognition
    skip = {("10-29-service-zones", "在省、市创新区评价中居前")}
    for rule in RULES:
        for award in rule.awards:
            assert (rule.id, award.label) in reachable | skip, (rule.id, award.label)


def test_each_subject_is_written_in_its_clause(corpus):
    """The names the matcher looks for are the gazette's own (quotes removed)."""
    from assistant.calculator import RULES_BY_ID
    from assistant.matching.recognitions import SUBJECTS

    for s in SUBJECTS:
        rule = RULES_BY_ID[s.rule_id]
        clause = next(c for c in corpus.clauses if c.doc_no == rule.doc_no and c.path == rule.clause)
        text = clause.text.replace("“", "").replace("”", "").replace(" ", "")
        assert s.pattern.search(text) or s.name == "省科学技术奖", s.name


@pytest.mark.parametrize(("name", "expected"), [
    ("省级服务型制造示范企业", ("14-service-manufacturing", "省级")),
    ("国内首批次软件", ("10-21-innovation-centers", "国内首台(套)装备")),
    ("省级首版次软件产品", ("10-31-first-edition-software", "省级")),
    ("省重点实验室", ("10-12-labs", "省重点实验室")),
    ("市级重点实验室(A类)绩效评价优秀", ("10-12-labs", "市级重点实验室(A类)绩效评价优秀")),
    ("国家级节水型企业", None),  # only 省级 ones are rewarded
    ("科技小巨人", None),  # 10号（十） names 科技“小巨人”企业 without an award; 专精特新“小巨人” is another title
    ("省级单项冠军", None),  # only 国家级
    ("国家级首版次软件产品", None),
])
def test_similar_names_resolve_to_different_awards(name, expected):
    from assistant.matching.recognitions import resolve

    e = resolve(name)
    assert (e and (e.subject.rule_id, e.category)) == expected if expected else e is None
