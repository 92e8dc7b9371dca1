"""One pure function per formula. Each takes the rule and validated inputs and returns an `Outcome`.

Amounts are Decimal yuan; nothing here rounds (the engine rounds once, at the end, to whole yuan).
"""

from __future__ import annotations

import re

from collections.abc import Callable
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from .quantities import fmt_pct, fmt_yuan
from .rules import Rule


class Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid")
    eligible: bool
    amount: Decimal | None = None  # None when the source is ambiguous (alternatives given) or not eligible
    bound: str = "exact"
    steps: list[str] = []
    reasons: list[str] = []  # why not eligible
    assumptions: list[str] = []
    alternatives: list[dict] = []  # [{"reading": …, "amount": Decimal}] where the text allows several readings


def _no(reason: str, steps: list[str] | None = None) -> Outcome:
    return Outcome(eligible=False, amount=Decimal(0), steps=steps or [], reasons=[reason])


def _capped(amount: Decimal, cap, steps: list[str], say: bool = True) -> Decimal:
    """The amount within the cap. Over it, the step that computed the amount keeps its arithmetic but not its
    result ("补偿 = 80万元 × 70%，超过上限50万元，按50万元计"): a figure that is not the award is not said as one."""
    if amount > cap.value:
        if steps and (m := re.search(r"\s*=\s*[^=]+$", steps[-1])) and "×" in steps[-1][: m.start()]:
            steps[-1] = f"{steps[-1][: m.start()]}，超过上限{cap.text}，按{cap.text}计"
        else:
            steps.append(f"超过上限{cap.text}，按{cap.text}计")
        return cap.value
    if say and amount > 0:  # the cap the asker stays under is part of the rule they asked about ("最高60万元")
        steps.append(f"未超过上限{cap.text}")
    return amount


def fixed_award(rule: Rule, inp: dict) -> Outcome:
    """A fixed amount per category, e.g. 10号（二十二）: 单项冠军、小巨人、隐形冠军 分别给予300万元、150万元和100万元."""
    award = next(a for a in rule.awards if a.label == inp["category"])
    if len(award.amounts) > 1:  # the source lists this category twice with different amounts
        alts = [{"reading": f"{award.label}按{q.text}", "amount": q.value} for q in award.amounts]
        return Outcome(eligible=True, amount=None, bound=award.bound, alternatives=alts,
                       steps=[f"{award.label}：原文对应金额不唯一（{'或'.join(q.text for q in award.amounts)}）"])
    q = award.amounts[0]
    word = "最高" if award.bound == "maximum" else ""
    return Outcome(eligible=True, amount=q.value, bound=award.bound, steps=[f"{award.label}：{word}{q.text}"])


def rd_increment(rule: Rule, inp: dict) -> Outcome:
    """10号（十一）: R&D ≥ 100万元 and growth ≥ 15% → 10% of the increase, ≤ 500万元; 规上 ≥ 3%, 高新 ≥ 4% of revenue."""
    p = rule.params
    prev, curr = inp["rd_prev"], inp["rd_curr"]
    steps = [f"研发费用：上年{fmt_yuan(prev)}，本年{fmt_yuan(curr)}"]
    if curr < p["min_rd"].value:
        return _no(f"本年研发费用{fmt_yuan(curr)}，未达到{p['min_rd'].text}以上", steps)
    increase = curr - prev
    if increase <= 0:
        return _no("研发费用没有增长，无增量可补助", steps)
    assumptions = []
    if prev == 0:
        assumptions.append("上年研发费用为0，增幅无法按比例计算，视为满足增幅条件（请以主管部门认定为准）")
    else:
        growth = increase / prev
        steps.append(f"增幅 = {fmt_yuan(increase)} ÷ {fmt_yuan(prev)} = {fmt_pct(growth.quantize(Decimal('0.0001')))}")
        if growth < p["min_growth"].value:
            return _no(f"增幅未达到{p['min_growth'].text}以上", steps)
    need = _ratio_requirement(rule, inp["enterprise_type"])
    if need is not None:
        ratio = inp.get("rd_ratio")
        if ratio is None and inp.get("revenue"):
            ratio = curr / inp["revenue"]
            steps.append(f"研发费用占营业收入比重 = {fmt_yuan(curr)} ÷ {fmt_yuan(inp['revenue'])} = "
                         f"{fmt_pct(ratio.quantize(Decimal('0.0001')))}")
        if ratio is None:
            return _no("缺少营业收入或研发费用占营业收入比重，无法核对比重条件", steps)
        if ratio < need.value:
            return _no(f"{inp['enterprise_type']}研发费用占营业收入比重须达到{need.text}以上(含)", steps)
        steps.append(f"比重要求：{need.text}以上(含)，满足")
    amount = increase * p["rate"].value
    steps.append(f"补助 = 增量{fmt_yuan(increase)} × {p['rate'].text} = {fmt_yuan(amount)}")
    amount = _capped(amount, p["cap"], steps)
    return Outcome(eligible=True, amount=amount, steps=steps, assumptions=assumptions)


def _ratio_requirement(rule: Rule, enterprise_type: str):
    return rule.params["ratio"].get(enterprise_type)  # None: no share of revenue is required of this type


def tiered_project(rule: Rule, inp: dict) -> Outcome:
    """10号（十九）: 生产性投入 ≥ 2000万元; A/B/C/D = 1500/1000/600/300万元; 战略性新兴产业 +5%; ≤ 1500万元."""
    p = rule.params
    inv, tier = inp["investment"], inp["tier"]
    steps = [f"生产性投入(不含土建){fmt_yuan(inv)}"]
    if inv < p["min_investment"].value:
        return _no(f"生产性投入须不低于{p['min_investment'].text}", steps)
    base = p["tiers"][tier]
    steps.append(f"{tier}档：{base.text}")
    amount = base.value
    if inp.get("strategic"):
        amount = amount * (1 + p["uplift"].value)
        steps.append(f"战略性新兴产业上浮{p['uplift'].text}：{base.text} × (1 + {p['uplift'].text}) = {fmt_yuan(amount)}")
    amount = _capped(amount, p["cap"], steps, say=False)  # (a tier's fixed award: the cap is the top tier's)
    return Outcome(eligible=True, amount=amount, steps=steps)


def green_upgrade(rule: Rule, inp: dict) -> Outcome:
    """10号（二十）: 8% of equipment investment at 200 t coal / 400 t CO₂ / 10万吨 water (equipment ≥ 200万元);
    +1 point per further 400 t / 800 t / 20万吨, at most 12%, ≤ 400万元. E.g. 1000 t coal: (1000-200)//400 = 2 → 10%."""
    p = rule.params
    equipment = inp["equipment"]
    names = {"energy_saving": "年节能量(替代利用量)", "co2_reduction": "二氧化碳年减排量", "water_saving": "年节水量"}
    steps = [f"设备投资额{fmt_yuan(equipment)}"]
    if equipment < p["min_equipment"].value:
        return _no(f"设备投资额须不低于{p['min_equipment'].text}", steps)
    best = None
    for key, (threshold, step) in p["metrics"].items():
        value = inp.get(key) or Decimal(0)
        if value >= threshold.value:
            extra = int((value - threshold.value) // step.value)
            steps.append(f"{names[key]}{value.normalize():f}吨，达到{threshold.text}，每增加{step.text}加1个百分点：+{extra}")
            best = extra if best is None else max(best, extra)
    if best is None:
        starts = "、".join(f"{threshold.text}{METRIC_UNIT_WORD.get(key, '')}"
                           for key, (threshold, _) in p["metrics"].items())
        return _no(f"节能量、二氧化碳减排量、节水量均未达到起点（{starts}）", steps)
    rate = min(p["base_rate"].value + best * p["step_rate"].value, p["max_rate"].value)
    steps.append(f"补助比例 = {p['base_rate'].text} + {best}个百分点 = {fmt_pct(rate)}（最高{p['max_rate'].text}）")
    amount = equipment * rate
    steps.append(f"补助 = {fmt_yuan(equipment)} × {fmt_pct(rate)} = {fmt_yuan(amount)}")
    amount = _capped(amount, p["cap"], steps)
    return Outcome(eligible=True, amount=amount, steps=steps)


METRIC_UNIT_WORD = {"energy_saving": "标准煤"}  # 200吨 of what: standard coal (the others are tonnes of CO₂, of water)


def insurance_premium(rule: Rule, inp: dict) -> Outcome:
    """10号（二十一）: 首台(套) insurance, 70% of the premium within a 2% rate ceiling, ≤ 50万元 per set a year."""
    p = rule.params
    premium = inp["premium"]
    steps = [f"年保费{fmt_yuan(premium)}"]
    assumptions = []
    eligible_premium = premium
    if inp.get("insured_amount") is not None:
        ceiling = inp["insured_amount"] * p["rate_ceiling"].value
        steps.append(f"费率上限：保额{fmt_yuan(inp['insured_amount'])} × {p['rate_ceiling'].text} = {fmt_yuan(ceiling)}")
        if premium > ceiling:
            eligible_premium = ceiling
            steps.append(f"保费超过费率上限，按{fmt_yuan(ceiling)}计")
    elif inp.get("rate") is not None:
        rate = inp["rate"]
        if rate > p["rate_ceiling"].value:  # e.g. 3% on 30万: only the part at 2% counts, 30万 × 2/3 = 20万
            eligible_premium = premium * p["rate_ceiling"].value / rate
            steps.append(f"投保费率{fmt_pct(rate)}超过上限{p['rate_ceiling'].text}：按{fmt_yuan(eligible_premium)}计")
        else:
            steps.append(f"投保费率{fmt_pct(rate)}，未超过{p['rate_ceiling'].text}的上限")
    else:
        assumptions.append(f"未提供保额或费率，假设投保费率不超过{p['rate_ceiling'].text}")
    amount = eligible_premium * p["share"].value
    steps.append(f"补偿 = {fmt_yuan(eligible_premium)} × {p['share'].text} = {fmt_yuan(amount)}")
    amount = _capped(amount, p["cap"], steps)
    return Outcome(eligible=True, amount=amount, steps=steps, assumptions=assumptions)


def per_unit(rule: Rule, inp: dict) -> Outcome:
    """A rate per unit: 10号（三十九） 200元/标箱; 10号（五十一） 15/40/50元 per 亩 at ≥ 50亩."""
    p = rule.params
    kind = inp.get("crop") or next(iter(p["rates"]))
    rate = p["rates"][kind]
    qty = inp["quantity"]
    unit = rule.input("quantity").unit
    steps = [f"{kind}：{qty.normalize():f}{unit}"]
    if "min_quantity" in p and qty < p["min_quantity"].value:
        return _no(f"面积须在{p['min_quantity'].text}以上", steps)
    amount = qty * rate.value
    steps.append(f"{qty.normalize():f}{unit} × {rate.text.split('/')[0]}/{unit} = {fmt_yuan(amount)}")
    return Outcome(eligible=True, amount=amount, steps=steps)


def share(rule: Rule, inp: dict) -> Outcome:
    """A share of an amount: 1:1 matching, ≥ 80% voucher, 70% fee, 八五折 toll, ≤ 65% premium (≤ 500万元)."""
    p = rule.params
    base, rate = inp["base"], p["rate"]
    amount = base * rate.value
    label = rule.input("base").label
    steps = [f"{rule.result_label} = {label}{fmt_yuan(base)} × {rate.text} = {fmt_yuan(amount)}"]
    if "cap" in p:
        amount = _capped(amount, p["cap"], steps)
    return Outcome(eligible=True, amount=amount, bound=rule.bound, steps=steps)


def revenue_milestone(rule: Rule, inp: dict) -> Outcome:
    """14号 三、（一）: revenue first above 1亿/5000万/2000万元 (services) or 20亿/10亿/5亿元 (批零贸易) → 50/20/10万元;
    the tiers are keyed by the sectors they apply to, as the clause lists them."""
    tiers = sector_tiers(rule, inp["sector"])
    revenue = inp["revenue"]
    steps = [f"{inp['sector']}类企业，年主营业务收入{fmt_yuan(revenue)}"]
    if inp.get("first_time") is False:
        return _no("奖励针对年主营业务收入“首次超过”相应档次", steps)
    for threshold, award in tiers:
        if revenue > threshold.value:
            steps.append(f"首次超过{threshold.text}：{award.text}")
            return Outcome(eligible=True, amount=award.value, steps=steps,
                           assumptions=[] if inp.get("first_time") else ["假设为首次超过该档"])
    lowest = tiers[-1][0]
    return _no(f"年主营业务收入未超过{lowest.text}", steps)


def sector_tiers(rule: Rule, sector: str) -> tuple:
    """The (threshold, award) tiers of a sector, highest first: the params key that lists it ("甲、乙、丙")."""
    return next(tiers for sectors, tiers in rule.params["tiers"].items() if sector in sectors.split("、"))


def growth_award(rule: Rule, inp: dict) -> Outcome:
    """14号 三、（一）: from the year after the award, growth above 15% earns 10万元, for three years."""
    p = rule.params
    growth = inp["growth"]
    steps = [f"年主营业务收入增速{fmt_pct(growth)}"]
    if growth <= p["min_growth"].value:
        return _no(f"增速须超过{p['min_growth'].text}", steps)
    steps.append(f"增速超过{p['min_growth'].text}：当年{p['amount'].text}（连续奖励{p['years'].text}）")
    return Outcome(eligible=True, amount=p["amount"].value, steps=steps)


def crossborder_platform(rule: Rule, inp: dict) -> Outcome:
    """14号 三、（一）: >300 enterprises served and trade growth ≥15% / ≥20% → 70% / 100% of the cost, ≤ 60万元."""
    p = rule.params
    steps = [f"服务企业{inp['served'].normalize():f}家，进出口额增速{fmt_pct(inp['trade_growth'])}，"
             f"研发升级费用{fmt_yuan(inp['cost'])}"]
    if inp["served"] <= p["min_served"].value:
        return _no(f"服务企业须超过{p['min_served'].text}", steps)
    for threshold, rate in p["tiers"]:
        if inp["trade_growth"] >= threshold.value:
            amount = inp["cost"] * rate.value
            steps.append(f"增速达到{threshold.text}以上：{fmt_yuan(inp['cost'])} × {rate.text} = {fmt_yuan(amount)}")
            amount = _capped(amount, p["cap"], steps)
            return Outcome(eligible=True, amount=amount, steps=steps)
    return _no(f"进出口额增速须达到{p['tiers'][-1][0].text}以上", steps)


FORMULAS: dict[str, Callable[[Rule, dict], Outcome]] = {
    "fixed_award": fixed_award,
    "rd_increment": rd_increment,
    "tiered_project": tiered_project,
    "green_upgrade": green_upgrade,
    "insurance_premium": insurance_premium,
    "per_unit": per_unit,
    "share": share,
    "revenue_milestone": revenue_milestone,
    "growth_award": growth_award,
    "crossborder_platform": crossborder_platform,
}
