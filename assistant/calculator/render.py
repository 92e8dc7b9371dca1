"""Calculator results as text, for the CLI and the composed answers."""

from __future__ import annotations

from . import Calculation
from .quantities import fmt_yuan


def render_calculation(c: Calculation) -> str:
    cite = f"{c.citation['doc_no']} {c.citation['clause']}"
    if not c.eligible:
        head = f"按“{c.title}”计算：不符合条件，{c.result_label}为0。原因：{'；'.join(c.reasons)}。"
    elif c.amount_yuan is None:
        alts = "；".join(f"{a['reading']}为{fmt_yuan(a['amount_yuan'])}" for a in c.alternatives)
        head = f"按“{c.title}”计算：原文金额存在歧义，无法确定唯一结果（{alts}）。"
    else:
        exact = f"{c.amount_yuan:,}元"
        extra = "" if c.amount_text.endswith(exact) else f"（{exact}）"  # 1500万元（15,000,000元）; 5,000元 once
        head = f"按“{c.title}”计算，{c.result_label}为{c.amount_text}{extra}。"
    lines = [head, "计算过程："] + [f"  {i}. {s}" for i, s in enumerate(c.steps, 1)]
    if c.conditions:
        lines.append("另需满足（计算器无法核对）：" + "；".join(c.conditions))
    if c.assumptions:
        lines.append("假设：" + "；".join(c.assumptions))
    lines.extend(f"⚠ {w}" for w in c.warnings)
    lines.append(f"依据：{cite}")
    return "\n".join(lines)


def render_rule_list() -> str:
    from .rules import default_book

    rows = []
    for r in default_book().rules:
        inputs = "，".join(f"{i.name}={i.label}" + (f"[{i.unit}]" if i.unit else "") +
                          (f"({'/'.join(i.choices)})" if i.choices else "") + ("" if i.required else "?")
                          for i in r.inputs)
        rows.append(f"{r.id}\n    {r.title}（{r.doc_no} {r.clause}）\n    输入：{inputs}")
    return "\n".join(rows)
