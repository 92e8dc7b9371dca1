"""Deterministic award calculator: rules as data (each gazette's `corpus/NAME.rules.toml`, schema in `rules.py`),
one pure function per formula (`formulas.py`).

    calculate("10-19-smart-upgrade", {"investment": "3000万", "tier": "A", "strategic": True}, today)

returns a `Calculation` with the exact amount in whole yuan, the steps, the cited clause, what was assumed, and
warnings (expired rule, source typo). No LLM decides a number.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from .formulas import FORMULAS, Outcome
from .quantities import Above, CalcInputError, fmt_pct, fmt_yuan, parse_bool, parse_count, parse_money, parse_percent
from .rules import InputSpec, Rule, default_book

__all__ = ["RULES", "RULES_BY_ID", "CalcInputError", "MissingInputs", "Calculation", "calculate", "combine",
           "get_rule", "rule_warnings"]


class MissingInputs(ValueError):
    """Required inputs were not given; `specs` say exactly which, so the assistant can ask for them."""

    def __init__(self, rule: Rule, specs: list[InputSpec], known: dict) -> None:
        self.rule, self.specs, self.known = rule, specs, known
        need = "、".join(f"{s.label}" + (f"（{s.unit}）" if s.unit else "") for s in specs)
        super().__init__(f"计算“{rule.title}”还需要：{need}。")


class Calculation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rule_id: str
    title: str
    citation: dict[str, str]
    inputs: dict[str, Any]
    eligible: bool
    amount_yuan: int | None
    is_maximum: bool
    bound: str
    result_label: str
    steps: list[str]
    reasons: list[str]
    assumptions: list[str]
    conditions: list[str]
    warnings: list[str]
    alternatives: list[dict[str, Any]] = []

    @property
    def amount_text(self) -> str:
        if self.amount_yuan is None:
            return "金额无法确定"
        word = {"maximum": "最高", "minimum": "不低于"}.get(self.bound, "")
        return f"{word}{fmt_yuan(self.amount_yuan)}"


def __getattr__(name: str):
    """`RULES` (every rule of the corpus answered from) and `RULES_BY_ID`, read from the data files on first use."""
    from . import rules

    return rules.__getattr__(name)


def get_rule(rule_id: str) -> Rule:
    try:
        return default_book().by_id[rule_id]
    except KeyError:
        raise CalcInputError("rule", f"没有规则“{rule_id}”。可用 assistant calc --list 查看全部规则。") from None


def _parse_one(spec: InputSpec, raw: Any) -> Any:
    if spec.kind in ("money", "count", "percent"):
        if spec.kind == "money":
            value = parse_money(spec.label, raw)
        elif spec.kind == "count":
            value = parse_count(spec.label, raw, spec.unit)
        else:
            value = parse_percent(spec.label, raw, signed=spec.signed)
        if spec.positive and value <= 0:  # an insured amount of 0 is an error, not a missing value
            raise CalcInputError(spec.label, "应大于0。")
        return value
    if spec.kind == "bool":
        return parse_bool(spec.label, raw)
    value = str(raw).strip().upper() if spec.choices == ("A", "B", "C", "D") else str(raw).strip()
    value = value.removesuffix("档")
    if value not in spec.choices:
        raise CalcInputError(spec.label, f"“{raw}”不是可选项，可选：{'、'.join(spec.choices)}。")
    return value


def validate_inputs(rule: Rule, raw: dict[str, Any]) -> dict[str, Any]:
    names = {s.name for s in rule.inputs}
    unknown = [k for k in raw if k not in names]
    if unknown:
        raise CalcInputError(unknown[0], f"不是“{rule.title}”的输入项；可用：{'、'.join(sorted(names))}。")
    values: dict[str, Any] = {}
    missing = []
    for spec in rule.inputs:
        given = raw.get(spec.name)
        if not _given(given):
            if spec.required:
                missing.append(spec)
            elif spec.default is not None:
                values[spec.name] = _parse_one(spec, spec.default)
            continue
        values[spec.name] = _parse_one(spec, given)
    missing = [spec for spec in missing if not _derived(rule, spec, values)]
    if missing:
        raise MissingInputs(rule, missing, values)
    return values


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _derived(rule: Rule, spec, values: dict[str, Any]) -> bool:
    """An input not given that is the product of two given ones (its `product_of`): computed into `values`."""
    if not spec.derivable(values):
        return False
    a, b = (values[n] for n in spec.product_of)
    values[spec.name] = a * b
    return True


def derivation_steps(rule: Rule, raw: dict[str, Any], values: dict[str, Any]) -> list[str]:
    """How the inputs not given were computed ("年保费 = 保险金额（保额）1500万元 × 投保费率1.8% = 27万元")."""
    out = []
    for spec in rule.inputs:
        if spec.product_of and not _given(raw.get(spec.name)) and spec.name in values:
            a, b = (rule.input(n) for n in spec.product_of)
            shown = [fmt_pct(values[x.name]) if x.kind == "percent" else fmt_yuan(values[x.name]) for x in (a, b)]
            out.append(f"{spec.label} = {a.label}{shown[0]} × {b.label}{shown[1]} = {fmt_yuan(values[spec.name])}")
    return out


def rule_warnings(rule: Rule, today: dt.date) -> list[str]:
    out = []
    if rule.valid_to and today > rule.valid_to:
        out.append(f"该规则出自{rule.doc_no}，有效期为{rule.valid_from:%Y年%-m月%-d日}至{rule.valid_to:%Y年%-m月%-d日}，"
                   f"截至{today:%Y年%-m月%-d日}已失效，计算结果仅供参考。")
    elif rule.valid_from and today < rule.valid_from:
        out.append(f"该规则自{rule.valid_from:%Y年%-m月%-d日}起施行，尚未生效。")
    out.extend(rule.notes)
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        v = Decimal(v)  # a lower bound (Above) is stored as its figure; the assumptions say it is a bound
        return int(v) if v == v.to_integral_value() else str(v.normalize())
    return v


def _to_yuan(amount: Decimal | None, steps: list[str]) -> int | None:
    if amount is None:
        return None
    whole = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if whole != amount:
        steps.append(f"四舍五入到元：{whole}元")
    return int(whole)


def calculate(rule_id: str, raw_inputs: dict[str, Any], today: dt.date) -> Calculation:
    """Validate, compute, round once to whole yuan. Raises CalcInputError (bad value, names the field) or
    MissingInputs (names what to ask for)."""
    rule = get_rule(rule_id)
    values = validate_inputs(rule, raw_inputs)
    outcome: Outcome = FORMULAS[rule.formula](rule, values)
    steps = derivation_steps(rule, raw_inputs, values) + list(outcome.steps)
    amount_yuan = _to_yuan(outcome.amount, steps)
    warnings = rule_warnings(rule, today)
    if outcome.alternatives:
        warnings.append("原文表述存在歧义，无法确定唯一金额：" + "；".join(
            f"{a['reading']}" for a in outcome.alternatives) + "。请向责任单位核实。")
    assert amount_yuan is None or amount_yuan >= 0
    return Calculation(
        rule_id=rule.id, title=rule.title, citation={"doc_no": rule.doc_no, "clause": rule.clause},
        inputs={k: _jsonable(v) for k, v in values.items()}, eligible=outcome.eligible, amount_yuan=amount_yuan,
        is_maximum=(outcome.bound == "maximum"), bound=outcome.bound, result_label=rule.result_label, steps=steps,
        reasons=outcome.reasons, conditions=list(rule.conditions),
        assumptions=[*outcome.assumptions, *(f"{rule.input(k).label}按“超过{fmt_yuan(Decimal(v))}”计：高于该数，未说高多少"
                                             for k, v in values.items() if isinstance(v, Above))],
        warnings=warnings,
        alternatives=[{"reading": a["reading"], "amount_yuan": int(a["amount"])} for a in outcome.alternatives],
    )


def calculate_whatever_missing(rule_id: str, raw_inputs: dict[str, Any], today: dt.date) -> Calculation:
    """`calculate`, except that choices the asker left out (the tier, whether strategic) do not block an outcome
    they cannot change: "生产性投入1950万，能拿多少" is not eligible in every tier, so it is answered, with the
    choices said to make no difference. Raises MissingInputs when the outcome depends on them, or when a figure is
    missing (figures have no finite set of values to try)."""
    try:
        return calculate(rule_id, raw_inputs, today)
    except MissingInputs as exc:
        missing = exc.specs
        if not missing or any(s.kind not in ("choice", "bool") for s in missing):
            raise
        import itertools

        domains = [list(s.choices) if s.kind == "choice" else [True, False] for s in missing]
        if math.prod(len(d) for d in domains) > 32:
            raise
        outcomes = []
        for combo in itertools.product(*domains):
            try:
                outcomes.append(calculate(rule_id, {**raw_inputs, **{s.name: v for s, v in zip(missing, combo)}},
                                          today))
            except CalcInputError:
                raise exc from None
        first = outcomes[0]
        if all(o.eligible == first.eligible and o.amount_yuan == first.amount_yuan and o.reasons == first.reasons
               for o in outcomes):
            said = "、".join(s.label for s in missing)
            return first.model_copy(update={
                "inputs": {k: v for k, v in first.inputs.items() if k not in {s.name for s in missing}},
                "steps": [st for st in first.steps if all(st in o.steps for o in outcomes)],  # the same in every case
                "assumptions": [*first.assumptions, f"未提供{said}：结果与{said}无关"]})
        raise


class Combined(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    chosen: Calculation | None
    candidates: list[Calculation]
    amount_yuan: int
    principle: dict[str, str]
    explanation: str


def combine(calculations: list[Calculation], rule=None) -> Combined:
    """When one matter meets several awards, 就高不重复 — the highest applies, amounts are not added. `rule`: the
    gazette's combination rule for these awards (`knowledge.Combination`); without one, the rule the rule file attaches
    to the calculated rules. Without either, the highest is named and the text is said not to settle it."""
    if rule is None:
        book = default_book().by_id
        rule = next((r.combination for c in calculations if (r := book.get(c.rule_id)) and r.combination), None)
    stated = {"doc_no": rule.doc_no, "clause": rule.clause, "quote": rule.principle} if rule is not None else {}
    eligible = [c for c in calculations if c.eligible and c.amount_yuan is not None]
    chosen = max(eligible, key=lambda c: c.amount_yuan, default=None)
    total_if_added = sum(c.amount_yuan for c in eligible)
    if chosen is None:
        text = "所列事项均不符合条件，没有可享受的奖补。"
    elif not stated:
        text = (f"原文未规定这些奖励能否叠加享受，请向责任单位确认；其中最高的是“{chosen.title}”"
                f"{fmt_yuan(chosen.amount_yuan)}（叠加将是{fmt_yuan(total_if_added)}）。")
    else:
        text = (f"同一事项满足多个奖补政策的，按照“{stated['quote']}”原则实施（{stated['doc_no']} "
                f"{stated['clause']}）：取最高的“{chosen.title}”{fmt_yuan(chosen.amount_yuan)}，"
                f"不与其他项目叠加（叠加将是{fmt_yuan(total_if_added)}）。")
    return Combined(chosen=chosen, candidates=calculations, amount_yuan=chosen.amount_yuan if chosen else 0,
                    principle=stated, explanation=text)
