"""Profile + date -> every award the company qualifies for, the ones it just misses, the figures still needed, and
the total after the gazette's own combination rule.

Every amount comes from `calculator.calculate` (rules written as clause text); this module only decides which rule
applies to which figure, in which year, and how the results combine:

* 超过 is strict, 以上/达到/不低于 include the value — the formulas already read them so; the gaps shown here say
  "超过X" or "达到X" the same way ("营收需超过5000万元", "研发费用需达到100万元").
* "首次超过" needs every earlier known year at or below the threshold, and the year before must be known.
* One tier per award: a recognition held at two levels, or 未来工厂 and its 培育(试点) stage, count once, at the
  higher amount; one project meeting two subsidy rules counts once (the combination rule the rule file attaches to
  the rules, 14号 五、“就高不重复” for this gazette's).
* Which rule each figure of the profile is matched against is the rule file's (`[matching.rules]`); a gazette
  without such a rule has nothing to match it against. The logic per formula is here.
* Figures of another year count only as the earlier year of a comparison; a recognition of another year does not
  count this year.
* Awards of a document that has expired on the date are listed first and left out of the total.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..calculator import CalcInputError, Calculation, MissingInputs, calculate
from ..calculator.formulas import sector_tiers
from ..calculator.quantities import fmt_pct, fmt_yuan
from ..calculator.rules import Rule, default_book
from ..numerals import int_to_cn
from .profile import Profile
from .recognitions import find, level_before, level_words, resolve
from .vocabulary import vocabulary

NEAR = Decimal("0.8")  # a figure within 20% of a threshold is a near miss; the gap is shown, the user judges


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Eligible(Frozen):
    rule_id: str
    title: str
    citation: dict[str, str]
    amount_yuan: int | None
    is_maximum: bool
    valid_on_date: bool
    steps: list[str]
    inputs: dict[str, Any] = {}
    recognition: str | None = None
    counted_in_total: bool = True
    why_not_counted: str = ""
    warnings: list[str] = []


class NearMiss(Frozen):
    rule_id: str
    title: str
    citation: dict[str, str]
    gap: str
    amount_yuan: int | None = Field(default=None, description="What the award would be once the threshold is met")
    is_maximum: bool = False
    valid_on_date: bool


class Need(Frozen):
    rule_id: str
    title: str
    citation: dict[str, str]
    question: str
    missing: list[str]
    valid_on_date: bool


class MatchResult(Frozen):
    date: dt.date
    assessment_year: int
    profile: Profile
    eligible: list[Eligible]
    near_misses: list[NearMiss]
    needs: list[Need]
    total_yuan: int
    notes: list[str]

    def record(self, id: Any = None) -> dict:
        """The JSON contract of `assistant match --json` / `--batch`."""
        return {"id": id, "profile": self.profile.model_dump(mode="json", exclude_defaults=True),
                "eligible": [e.model_dump(mode="json") for e in self.eligible],
                "near_misses": [n.model_dump(mode="json") for n in self.near_misses],
                "needs": [n.model_dump(mode="json") for n in self.needs],
                "total_yuan": self.total_yuan, "notes": list(self.notes)}


def _rule(rule_id: str) -> Rule:
    return default_book().by_id[rule_id]


def _cite(rule_id: str) -> dict[str, str]:
    r = _rule(rule_id)
    return {"doc_no": r.doc_no, "clause": r.clause}


def _valid(rule_id: str, date: dt.date) -> bool:
    r = _rule(rule_id)
    return (r.valid_from is None or r.valid_from <= date) and (r.valid_to is None or date <= r.valid_to)


def _points(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}个百分点"


def _p(rule_id: str, key: str):
    return _rule(rule_id).params[key]


def short_doc_no(doc_no: str) -> str:
    """"某政发〔2024〕14号" -> "14号" (how the gazette's own text refers to a document of the same series)."""
    return doc_no.rsplit("〕", 1)[-1]


def doc_list(doc_nos: list[str]) -> str:
    """"甲〔2024〕10号、14号": a 文号 sharing the previous one's prefix and year is written by its number alone."""
    out = []
    for i, d in enumerate(doc_nos):
        same = i and d.rsplit("〕", 1)[0] == doc_nos[i - 1].rsplit("〕", 1)[0]
        out.append(short_doc_no(d) if same else d)
    return "、".join(out)


def _or_list(words: tuple[str, ...] | list[str]) -> str:
    """"甲、乙，还是丙"."""
    return f"{'、'.join(words[:-1])}，还是{words[-1]}" if len(words) > 1 else "".join(words)


class _Matcher:
    def __init__(self, profile: Profile, date: dt.date) -> None:
        self.p, self.date = profile, date
        self.y = profile.year_of(date.year)
        self.eligible: list[tuple[str, Eligible]] = []  # (matter, item)
        self.near: list[NearMiss] = []
        self.needs: list[Need] = []
        self.notes: list[str] = []

    # ------------------------------------------------------------------------------------------ outputs

    def calc(self, rule_id: str, inputs: dict) -> Calculation | None:
        try:
            return calculate(rule_id, inputs, self.date)
        except MissingInputs as exc:
            self.need(rule_id, str(exc), [s.name for s in exc.specs])
        except CalcInputError as exc:
            self.notes.append(f"“{_rule(rule_id).title}”无法计算：{exc}")
        return None

    def add(self, matter: str, c: Calculation, steps_before: list[str] = (), recognition: str | None = None) -> None:
        warnings = [w for w in c.warnings if "已失效" not in w] + [f"另需满足：{x}" for x in c.conditions] + \
            [f"假设：{a}" for a in c.assumptions]
        self.eligible.append((matter, Eligible(
            rule_id=c.rule_id, title=c.title, citation=dict(c.citation), amount_yuan=c.amount_yuan,
            is_maximum=c.is_maximum, valid_on_date=_valid(c.rule_id, self.date), steps=[*steps_before, *c.steps],
            inputs=c.inputs, recognition=recognition, warnings=warnings)))

    def expired(self, rule_id: str) -> bool:
        r = _rule(rule_id)
        return r.valid_to is not None and self.date > r.valid_to

    def need(self, rule_id: str, question: str, missing: list[str]) -> None:
        if self.expired(rule_id):
            return  # nothing to ask for an award that can no longer be claimed
        if not any(n.rule_id == rule_id and n.question == question for n in self.needs):
            self.needs.append(Need(rule_id=rule_id, title=_rule(rule_id).title, citation=_cite(rule_id),
                                   question=question, missing=missing, valid_on_date=_valid(rule_id, self.date)))

    def miss(self, rule_id: str, gap: str, amount: int | None = None, is_maximum: bool = False) -> None:
        if self.expired(rule_id):
            return
        self.near.append(NearMiss(rule_id=rule_id, title=_rule(rule_id).title, citation=_cite(rule_id), gap=gap,
                                  amount_yuan=amount, is_maximum=is_maximum, valid_on_date=_valid(rule_id, self.date)))

    def approx(self, path: str) -> bool:
        return path in self.p.approximate

    # ------------------------------------------------------------------------------------------ recognitions

    def recognitions(self) -> None:
        for r in self.p.recognitions:
            entry = resolve(r.name)
            if entry is None:
                self._unknown_recognition(r.name)
                continue
            if r.year is None and self.expired(entry.subject.rule_id):
                rule = _rule(entry.subject.rule_id)
                self.notes.append(f"“{r.name}”的奖励出自{rule.doc_no} {rule.clause}，该文件有效期至"
                                  f"{rule.valid_to:%Y年%-m月%-d日}，已失效。")
                continue
            if r.year is None:
                c = calculate(entry.subject.rule_id, {"category": entry.category}, self.date)
                self.need(c.rule_id, f"“{r.name}”是{self.y}年新获得的吗？奖励针对当年新认定（获评）的，"
                                     f"如是，{c.amount_text}。", ["recognitions.year"])
                continue
            if r.year != self.y:
                self.notes.append(f"“{r.name}”是{r.year}年获得的，不是{self.y}年新获得的，不计入{self.y}年的奖励。")
                continue
            c = calculate(entry.subject.rule_id, {"category": entry.category}, self.date)
            self.add(f"{entry.subject.rule_id}:{entry.subject.matter}", c, recognition=r.name)

    def _unknown_recognition(self, name: str) -> None:
        hits = find(name)
        if len(hits) == 1:
            start, _, s, level = hits[0]
            level = level if level is not None else level_before(name[:start])
            r = _rule(s.rule_id)
            if not level and "" not in s.levels:
                self.need(s.rule_id, f"“{name}”是哪一级的？公报奖励的级别：{level_words(s)}。", ["recognitions.name"])
            else:
                self.notes.append(f"本期公报没有规定“{name}”的奖励；{s.name}只奖励{level_words(s)}（{r.doc_no} {r.clause}）。")
            return
        self.notes.append(f"本期公报有具体金额的奖补中没有“{name}”这一项。")

    # ------------------------------------------------------------------------------------- formula revenue_milestone

    def revenue_milestone(self, rule: Rule) -> None:
        rid = rule.id
        p, y = self.p, self.y
        sectors = rule.input("sector").choices
        if p.industry not in sectors:
            if p.industry is None and p.revenue:
                group = rule.title.split("企业", 1)[0]  # "生产性服务业企业营收首次突破奖励" -> 生产性服务业
                self.need(rid, f"贵公司属于哪一类：{_or_list(sectors)}？（{short_doc_no(rule.doc_no)}对这"
                               f"{int_to_cn(len(sectors))}类{group}企业营收首次超过相应档次给予奖励）", ["industry"])
            return
        rev = p.revenue.get(y)
        if rev is None:
            self.need(rid, f"{y}年的年主营业务收入是多少？", [f"revenue.{y}"])
            return
        tiers = sector_tiers(rule, p.industry)  # high -> low
        lower = self.approx(f"revenue.{y}")  # "超过2000万": above 2000万, by an unknown amount
        top = next(((t, a) for t, a in tiers if rev > t.value or (lower and rev == t.value)), None)
        if top is None:
            low_t, low_a = tiers[-1]
            if self.approx(f"revenue.{y}"):
                self.need(rid, f"{y}年主营业务收入的准确数字是多少？须超过{low_t.text}。", [f"revenue.{y}"])
            elif rev >= low_t.value * NEAR:
                self.miss(rid, f"{y}年主营业务收入{fmt_yuan(rev)}，须超过{low_t.text}（“超过”不含本数），"
                               f"还差{fmt_yuan(low_t.value - rev)}以上。", int(low_a.value))
            return
        threshold = top[0]
        earlier = {yr: v for yr, v in p.revenue.items() if yr < y}
        above = sorted(yr for yr, v in earlier.items() if v > threshold.value)
        if above:
            self.notes.append(f"营收在{above[0]}年已超过{threshold.text}，{y}年不属于“首次超过”，"
                              f"不能再获{rule.title}（{rule.doc_no} {rule.clause}）。")
            return
        if y - 1 not in earlier:
            self.need(rid, f"{y - 1}年的年主营业务收入是多少？奖励针对“首次超过”，须确认上年未超过{threshold.text}。",
                      [f"revenue.{y - 1}"])
            return
        steps = [f"{yr}年主营业务收入{fmt_yuan(v)}，未超过{threshold.text}" for yr, v in sorted(earlier.items())]
        at_bound = lower and rev == threshold.value  # "超过2000万": above the threshold by an unknown amount
        steps.append(f"{y}年{'超过' if at_bound else ''}{fmt_yuan(rev)}，首次超过{threshold.text}")
        c = self.calc(rid, {"sector": p.industry, "revenue": rev + (1 if at_bound else 0), "first_time": True})
        if c and at_bound:  # the calculator saw the bound plus one yuan; say what the company said
            c = c.model_copy(update={"steps": [x.replace(f"{rev + 1:,}元", f"超过{fmt_yuan(rev)}") for x in c.steps],
                                     "inputs": {**c.inputs, "revenue": f"超过{fmt_yuan(rev)}"}})
        if c and c.eligible:
            self.add(f"{rid}:{y}", c, steps)
            if self.approx(f"revenue.{y}"):
                self.notes.append(f"{y}年营收是按下限（{fmt_yuan(rev)}）计的，实际更高时可能达到更高一档。")
            higher = [(t, a) for t, a in tiers if t.value > threshold.value]
            if higher:
                t, a = higher[-1]
                if rev >= t.value * NEAR:
                    self.miss(rid, f"{y}年主营业务收入{fmt_yuan(rev)}，须超过{t.text}才是更高一档（{a.text}），"
                                   f"还差{fmt_yuan(t.value - rev)}以上。", int(a.value))

    def growth_award(self, rule: Rule) -> None:
        rid = rule.id
        p, y = self.p, self.y
        m = p.milestone_award_year
        if m is None:
            return
        if not m < y <= m + 3:
            self.notes.append(f"营收增长奖励从获奖次年开始、连续三年：{m}年获奖，{y}年"
                              f"{'尚未开始' if y <= m else '已超过三年'}（{rule.doc_no} {rule.clause}）。")
            return
        growth = p.revenue_growth.get(y)
        steps = []
        if growth is None and y in p.revenue and (y - 1) in p.revenue and p.revenue[y - 1] > 0:
            growth = (p.revenue[y] - p.revenue[y - 1]) / p.revenue[y - 1]
            steps.append(f"增速 = ({fmt_yuan(p.revenue[y])} − {fmt_yuan(p.revenue[y - 1])}) ÷ {fmt_yuan(p.revenue[y - 1])}"
                         f" = {fmt_pct(growth.quantize(Decimal('0.0001')))}")
        if growth is None:
            self.need(rid, f"{y}年主营业务收入增速是多少（或{y - 1}年、{y}年的营收）？", [f"revenue_growth.{y}"])
            return
        c = self.calc(rid, {"growth": f"{growth * 100}%"})
        if c is None:
            return
        if c.eligible:
            self.add(f"{rid}:{y}", c, steps)
        elif growth >= _p(rid, "min_growth").value * NEAR:
            self.miss(rid, f"增速{fmt_pct(growth.quantize(Decimal('0.0001')))}，须超过{_p(rid, 'min_growth').text}"
                           f"（“超过”不含本数）。", int(_p(rid, "amount").value))

    # ------------------------------------------------------------------------------------------ formula rd_increment

    def rd_increment(self, rule: Rule) -> None:
        rid = rule.id
        p, y = self.p, self.y
        curr, prev = p.rd_expense.get(y), p.rd_expense.get(y - 1)
        if curr is None and prev is None:
            if p.rd_expense:
                self.notes.append(f"研发费用只给了{'、'.join(f'{k}年' for k in sorted(p.rd_expense))}的数字，"
                                  f"不是{y}年与{y - 1}年，不能用于{y}年的研发投入增量补助。")
            return
        if curr is None or prev is None:
            missing = y if curr is None else y - 1
            self.need(rid, f"{missing}年的研发费用是多少？补助按{y}年比{y - 1}年的增量计算。", [f"rd_expense.{missing}"])
            return
        types, ratio = vocabulary().enterprise_types, rule.params["ratio"]
        if p.above_scale is None and p.high_tech is None:
            big, high = types["above_scale"], types["high_tech"]
            self.need(rid, f"贵公司是{big}还是{high}？两者对研发费用占营业收入比重的要求不同"
                           f"（{ratio[big].text}、{ratio[high].text}）。", ["above_scale", "high_tech"])
            return
        etype = types["both" if p.above_scale and p.high_tech else "high_tech" if p.high_tech
                      else "above_scale" if p.above_scale else "neither"]
        inputs: dict[str, Any] = {"rd_prev": prev, "rd_curr": curr, "enterprise_type": etype}
        if y in p.revenue:
            inputs["revenue"] = p.revenue[y]
        c = self.calc(rid, inputs)
        if c is None:
            return
        if c.eligible:
            self.add(rid, c)
            return
        reason = "；".join(c.reasons)
        if "缺少营业收入" in reason:
            self.need(rid, f"{y}年营业收入是多少？{etype}的研发费用占营业收入比重有要求。", [f"revenue.{y}"])
            return
        if any(self.approx(f"rd_expense.{yr}") for yr in (y, y - 1)):
            self.need(rid, f"{y - 1}年、{y}年研发费用的准确数字是多少？", [f"rd_expense.{y}", f"rd_expense.{y - 1}"])
            return
        self._rd_gap(rid, prev, curr, etype, reason)

    def _rd_gap(self, rid: str, prev: Decimal, curr: Decimal, etype: str, reason: str) -> None:
        min_rd, min_growth = _p(rid, "min_rd"), _p(rid, "min_growth")
        if curr < min_rd.value:
            if curr >= min_rd.value * NEAR:
                self.miss(rid, f"研发费用{fmt_yuan(curr)}，须达到{min_rd.text}以上，还差{fmt_yuan(min_rd.value - curr)}。")
            return
        need_curr = prev * (1 + min_growth.value)
        if curr < need_curr:
            if prev > 0 and curr >= need_curr * NEAR + prev * (1 - NEAR):  # growth ≥ 80% of 15%, i.e. ≥ 12%
                self.miss(rid, f"研发费用增幅须达到{min_growth.text}以上（{fmt_yuan(need_curr)}），"
                               f"还差{fmt_yuan(need_curr - curr)}。")
            return
        share = _p(rid, "ratio").get(etype)
        if "比重" in reason and self.p.revenue.get(self.y) and share is not None:
            need_rd = self.p.revenue[self.y] * share.value
            if curr >= need_rd * NEAR:
                self.miss(rid, f"{etype}研发费用占营业收入比重须达到{share.text}以上（含），即至少{fmt_yuan(need_rd)}，"
                               f"还差{fmt_yuan(need_rd - curr)}。")

    # ------------------------------------------------------------------------------------------ formula tiered_project

    def smart_upgrade(self, rule: Rule) -> None:
        rid = rule.id
        s = self.p.smart_upgrade
        if s is None or (s.investment is None and s.tier is None):
            return
        if s.investment is None:
            self.need(rid, "智能化技术改造项目的生产性投入（不含土建）是多少？", ["smart_upgrade.investment"])
            return
        min_inv = _p(rid, "min_investment")
        if s.investment < min_inv.value:
            if self.approx("smart_upgrade.investment"):
                self.need(rid, f"生产性投入的准确数字是多少？须不低于{min_inv.text}。", ["smart_upgrade.investment"])
            elif s.investment >= min_inv.value * NEAR:
                self.miss(rid, f"生产性投入（不含土建）{fmt_yuan(s.investment)}，须不低于{min_inv.text}，"
                               f"还差{fmt_yuan(min_inv.value - s.investment)}。")
            return
        if s.tier is None:
            self.need(rid, "项目绩效综合评价是哪一档（A、B、C、D）？", ["smart_upgrade.tier"])
            return
        if s.strategic is None:
            self.notes.append(f"未说明是否属于战略性新兴产业，智能化技术改造补助按“否”计算（是则上浮{_p(rid, 'uplift').text}）。")
        c = self.calc(rid, {"investment": s.investment, "tier": s.tier, "strategic": bool(s.strategic)})
        if c and c.eligible:
            self.add("project" if self.p.same_project else rid, c)

    # ------------------------------------------------------------------------------------------ formula green_upgrade

    def green_upgrade(self, rule: Rule) -> None:
        rid = rule.id
        g = self.p.green_upgrade
        if g is None:
            return
        metrics = {k: getattr(g, k) for k in ("energy_saving", "co2_reduction", "water_saving") if getattr(g, k) is not None}
        if g.equipment is None:
            if metrics:
                self.need(rid, "节能（节水）改造项目的设备投资额是多少？", ["green_upgrade.equipment"])
            return
        if not metrics:
            self.need(rid, "改造项目每年的节能量（吨标准煤）、二氧化碳减排量或节水量是多少？",
                      ["green_upgrade.energy_saving", "green_upgrade.co2_reduction", "green_upgrade.water_saving"])
            return
        c = self.calc(rid, {"equipment": g.equipment, **metrics})
        if c is None:
            return
        if c.eligible:
            self.add("project" if self.p.same_project else rid, c)
            return
        min_eq = _p(rid, "min_equipment")
        if g.equipment < min_eq.value:
            if g.equipment >= min_eq.value * NEAR:
                self.miss(rid, f"设备投资额{fmt_yuan(g.equipment)}，须不低于{min_eq.text}，"
                               f"还差{fmt_yuan(min_eq.value - g.equipment)}。")
            return
        names = {"energy_saving": "年节能量（吨标准煤）", "co2_reduction": "二氧化碳年减排量（吨）", "water_saving": "年节水量（吨）"}
        for key, value in metrics.items():
            threshold = _p(rid, "metrics")[key][0]
            if value >= threshold.value * NEAR:
                self.miss(rid, f"{names[key]}{value.normalize():f}，须达到{threshold.text}以上（含），"
                               f"还差{(threshold.value - value).normalize():f}吨。")

    # ------------------------------------------------------------------------------------------ other figures

    def premium(self, rule: Rule) -> None:  # formula insurance_premium
        p = self.p
        if p.first_set_premium is not None:
            inputs: dict[str, Any] = {"premium": p.first_set_premium}
            if p.first_set_insured_amount is not None:
                inputs["insured_amount"] = p.first_set_insured_amount
            if c := self.calc(rule.id, inputs):
                self.add(rule.id, c)

    def export_credit(self, rule: Rule) -> None:  # formula share
        premium = self.p.export_credit_premium
        if premium is not None and (c := self.calc(rule.id, {"base": premium})):
            self.add(rule.id, c)

    def sea_rail(self, rule: Rule) -> None:  # formula per_unit
        if self.p.sea_rail_teu is not None and (c := self.calc(rule.id, {"quantity": self.p.sea_rail_teu})):
            self.add(rule.id, c)

    def crops(self, rule: Rule) -> None:  # formula per_unit, per crop
        p, rid = self.p, rule.id
        for crop, area in p.crops.items():
            c = self.calc(rid, {"crop": crop, "quantity": area})
            if c is None:
                continue
            if c.eligible:
                self.add(f"{rid}:{crop}", c)
            elif area >= _p(rid, "min_quantity").value * NEAR:
                full = calculate(rid, {"crop": crop, "quantity": _p(rid, "min_quantity").value}, self.date)
                self.miss(rid, f"{crop}{area.normalize():f}亩，须在{_p(rid, 'min_quantity').text}以上（含），"
                               f"还差{(_p(rid, 'min_quantity').value - area).normalize():f}亩。", full.amount_yuan)
        if p.grain_area is not None and not p.crops:
            vocab = vocabulary()
            named = [vocab.crop_asked_as(c) for c in rule.input("crop").choices]
            self.need(rid, f"{p.grain_area.normalize():f}亩种的是{'、'.join(named[:-1])}还是{named[-1]}？", ["crops"])

    # ---------------------------------------------------------------------------------- formula crossborder_platform

    def platform(self, rule: Rule) -> None:
        rid = rule.id
        pl = self.p.platform
        if pl is None:
            return
        missing = [k for k in ("served", "trade_growth", "cost") if getattr(pl, k) is None]
        if missing:
            labels = {"served": "服务企业数", "trade_growth": "进出口额增速", "cost": "研发升级费用"}
            self.need(rid, f"跨境电商线上公共综合服务平台的{'、'.join(labels[k] for k in missing)}是多少？",
                      [f"platform.{k}" for k in missing])
            return
        c = self.calc(rid, {"served": pl.served, "trade_growth": f"{pl.trade_growth * 100}%", "cost": pl.cost})
        if c is None:
            return
        tiers = _p(rid, "tiers")  # ((20%, 100%), (15%, 70%))
        min_served = _p(rid, "min_served")
        if c.eligible:
            self.add(rid, c)
            top_growth, top_rate = tiers[0]
            if pl.trade_growth < top_growth.value and pl.trade_growth >= top_growth.value * NEAR:
                full = calculate(rid, {"served": pl.served, "trade_growth": top_growth.text, "cost": pl.cost}, self.date)
                if full.amount_yuan != c.amount_yuan:
                    self.miss(rid, f"进出口额增速{fmt_pct(pl.trade_growth)}，达到{top_growth.text}以上即按{top_rate.text}补助，"
                                   f"还差{_points(top_growth.value - pl.trade_growth)}。", full.amount_yuan, False)
            return
        if pl.served <= min_served.value:
            if pl.served >= min_served.value * NEAR:
                self.miss(rid, f"服务企业{pl.served.normalize():f}家，须超过{min_served.text}（“超过”不含本数），"
                               f"至少还需{(min_served.value + 1 - pl.served).normalize():f}家。")
            return
        low_growth = tiers[-1][0]
        if pl.trade_growth >= low_growth.value * NEAR:
            self.miss(rid, f"进出口额增速{fmt_pct(pl.trade_growth)}，须达到{low_growth.text}以上（含），"
                           f"还差{_points(low_growth.value - pl.trade_growth)}。")

    # ------------------------------------------------------------------------------------------ combination

    def combine(self) -> tuple[list[Eligible], int]:
        """就高不重复 within a matter; expired awards first and never counted."""
        out: list[Eligible] = []
        groups: dict[str, list[Eligible]] = {}
        for matter, item in self.eligible:
            groups.setdefault(matter, []).append(item)
        for matter, items in groups.items():
            live = [i for i in items if i.valid_on_date and i.amount_yuan is not None]
            best = max(live, key=lambda i: i.amount_yuan, default=None)
            comb = _rule(best.rule_id).combination if best else None  # the rule file attaches it (就高不重复)
            for i in items:
                if not i.valid_on_date:
                    r = _rule(i.rule_id)
                    why = (f"{r.doc_no}自{r.valid_from:%Y年%-m月%-d日}起施行，{self.date:%Y年%-m月%-d日}尚未生效"
                           if r.valid_from and self.date < r.valid_from else
                           f"{r.doc_no}有效期至{r.valid_to:%Y年%-m月%-d日}，截至{self.date:%Y年%-m月%-d日}已失效")
                    i = i.model_copy(update={"counted_in_total": False, "why_not_counted": why})
                elif i.amount_yuan is None:
                    i = i.model_copy(update={"counted_in_total": False, "why_not_counted": "原文金额存在歧义，无法确定"})
                elif i is not best:
                    same = f"与“{best.recognition or best.title}”是同一事项"
                    if comb is None:  # one award, one tier: counted once even where the text states no principle
                        why = f"{same}，取较高的{fmt_yuan(best.amount_yuan)}"
                        note = f"“{i.recognition or i.title}”{same}，只计较高的{fmt_yuan(best.amount_yuan)}，不叠加。"
                    else:
                        cite = f"{comb.doc_no} {comb.clause}"
                        why = f"{same}，按“{comb.principle}”原则取较高的{fmt_yuan(best.amount_yuan)}（{cite}）"
                        note = (f"“{i.recognition or i.title}”{same}，按“{comb.principle}”原则只计较高的"
                                f"{fmt_yuan(best.amount_yuan)}，不叠加（{cite}：同一事项满足多个奖补政策的，按照"
                                f"“{comb.principle}”原则实施）。")
                    i = i.model_copy(update={"counted_in_total": False, "why_not_counted": why})
                    self.notes.append(note)
                out.append(i)
        out.sort(key=lambda i: i.valid_on_date)  # expired first (stable: otherwise in the order found)
        total = sum(i.amount_yuan for i in out if i.counted_in_total and i.amount_yuan is not None)
        return out, total


def match_profile(profile: Profile, date: dt.date, notes: list[str] | None = None) -> MatchResult:
    """Everything the profile qualifies for on `date` (see the module docstring for the rules applied)."""
    m = _Matcher(profile, date)
    vocab = vocabulary()
    m.recognitions()
    for figure, step in STEPS:  # each figure of the profile against the rule the rule file names for it
        if (rule := vocab.rule(figure)) is not None:
            step(m, rule)
    eligible, total = m.combine()
    head: list[str] = []
    expired = [e for e in eligible if not e.valid_on_date and date > _rule(e.rule_id).valid_to]
    early = [e for e in eligible if not e.valid_on_date and e not in expired]
    if expired:
        docs = sorted({(e.citation["doc_no"], _rule(e.rule_id).valid_to) for e in expired})
        head.append("；".join(f"{d}已于{v:%Y年%-m月%-d日}失效" for d, v in docs) +
                    f"：以下{len(expired)}项奖励截至{date:%Y年%-m月%-d日}不能再申请，不计入合计——" +
                    "、".join(e.recognition or e.title for e in expired) + "。")
    if early:
        head.append("、".join(dict.fromkeys(e.why_not_counted for e in early)) + "：" +
                    "、".join(e.recognition or e.title for e in early) + "不计入合计。")
    if any(e.is_maximum and e.counted_in_total for e in eligible):
        head.append("合计中含“最高”金额，实际以核定为准。")
    if not eligible and not m.needs and not m.near:
        head.append(f"根据所提供的情况，没有找到符合条件的奖补政策。本助手覆盖{doc_list(covered(vocab))}中有具体金额的奖补。")
    return MatchResult(date=date, assessment_year=m.y, profile=profile, eligible=eligible, near_misses=m.near,
                       needs=m.needs, total_yuan=total, notes=head + (notes or []) + m.notes)


# The profile's figures in the order they are matched, each with the step for its rule's formula; which rule a figure
# is matched against is the rule file's ([matching.rules]).
STEPS = (("revenue", _Matcher.revenue_milestone), ("revenue_growth", _Matcher.growth_award),
         ("rd_expense", _Matcher.rd_increment), ("smart_upgrade", _Matcher.smart_upgrade),
         ("green_upgrade", _Matcher.green_upgrade), ("first_set_premium", _Matcher.premium),
         ("export_credit_premium", _Matcher.export_credit), ("sea_rail_teu", _Matcher.sea_rail),
         ("crops", _Matcher.crops), ("platform", _Matcher.platform))


def covered(vocab) -> list[str]:
    """The 文号 whose quantified awards matching covers, in the rules' order."""
    used = {s.rule_id for s in vocab.subjects} | set(vocab.rule_of.values())
    return list(dict.fromkeys(r.doc_no for r in vocab.book.rules if r.id in used))
