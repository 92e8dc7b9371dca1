"""A MatchResult as text for people (CLI) — expired awards first, then what can be claimed, the total, the near
misses with their gaps, and the questions still open."""

from __future__ import annotations

from ..calculator.quantities import fmt_yuan
from .matcher import Eligible, MatchResult


def amount_text(e: Eligible) -> str:
    if e.amount_yuan is None:
        return "金额存在歧义，无法确定"
    return ("最高" if e.is_maximum else "") + fmt_yuan(e.amount_yuan)


def cite(c: dict) -> str:
    return f"{c['doc_no']} {c['clause']}"


def render_match(r: MatchResult) -> str:
    lines = [f"政策匹配（{r.date:%Y年%-m月%-d日}，按{r.assessment_year}年的情况）"]
    expired = [e for e in r.eligible if not e.valid_on_date]
    live = [e for e in r.eligible if e.valid_on_date]
    if expired:
        lines.append("\n【已失效，不能再申请，不计入合计】")
        lines += [f"  × {e.recognition or e.title}：{amount_text(e)}（{cite(e.citation)}；{e.why_not_counted}）" for e in expired]
    if live:
        lines.append("\n【符合条件】")
        for e in live:
            mark = "✓" if e.counted_in_total else "–"
            extra = "" if e.counted_in_total else f"（不计入合计：{e.why_not_counted}）"
            lines.append(f"  {mark} {e.recognition or e.title}：{amount_text(e)}{extra}——{e.title}，{cite(e.citation)}")
            lines += [f"      {s}" for s in e.steps]
            lines += [f"      ⚠ {w}" for w in e.warnings]
    lines.append(f"\n合计：{fmt_yuan(r.total_yuan)}（{r.total_yuan:,}元）")
    if r.near_misses:
        lines.append("\n【差一点】")
        lines += [f"  · {n.title}（{cite(n.citation)}）：{n.gap}" +
                  (f" 达到后{'最高' if n.is_maximum else ''}{fmt_yuan(n.amount_yuan)}。" if n.amount_yuan else "")
                  for n in r.near_misses]
    if r.needs:
        lines.append("\n【还需要了解】")
        lines += [f"  ? {n.question}（{n.title}，{cite(n.citation)}）" for n in r.needs]
    if r.notes:
        lines.append("\n说明：")
        lines += [f"  - {n}" for n in r.notes]
    lines.append("\n以公报原文和主管部门核定为准。")
    return "\n".join(lines)
