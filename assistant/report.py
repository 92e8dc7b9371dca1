"""Evaluation reports: a terminal table, a JSON file and a self-contained HTML page (no external assets)."""

from __future__ import annotations

import html
import json
from pathlib import Path

METRICS = ("pass_rate", "pass_rate_lenient", "citation_accuracy", "fact_accuracy", "fact_accuracy_lenient",
           "calculator_exactness", "refusal_precision", "refusal_recall", "faithful_numbers")
LABELS = {"pass_rate": "通过率", "pass_rate_lenient": "通过率(宽)", "citation_accuracy": "引用", "fact_accuracy": "事实",
          "fact_accuracy_lenient": "事实(宽)", "calculator_exactness": "计算",
          "refusal_precision": "拒答精确", "refusal_recall": "拒答召回", "faithful_numbers": "数字可溯"}


def _fmt(v) -> str:
    return "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def table(report: dict) -> str:
    rows = [["category", "cases", *METRICS]]
    for cat, m in report["by_category"].items():
        rows.append([cat, str(m["cases"]), *(_fmt(m[k]) for k in METRICS)])
    t = report["totals"]
    rows.append(["TOTAL", str(t["cases"]), *(_fmt(t[k]) for k in METRICS)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    out = ["\n".join(lines), ""]
    if report["retrieval"]:
        out.append("retrieval  " + "  ".join(f"{k:>9}" for k in ("recall@1", "recall@3", "recall@5", "mrr", "cases")))
        for name, m in report["retrieval"].items():
            out.append(f"{name:<9}  " + "  ".join(f"{m[k]:>9.3f}" if k != "cases" else f"{m[k]:>9d}"
                                                  for k in ("recall@1", "recall@3", "recall@5", "mrr", "cases")))
        out.append("")
    system = (f"embedding model: {report['embedding_model']}; fusion: lexical {report['fusion']['w_lexical']} / dense "
              f"{report['fusion']['w_dense']}" if report.get("fusion") else
              f"answers scored from a file ({report.get('answers_scored', 0)} records)")
    out.append(f"latency p50 {t['latency_p50_ms']} ms, p95 {t['latency_p95_ms']} ms; {system}; "
               f"real citations {t['real_citation_share']}")
    out.append("pass_rate and fact_accuracy are strict (the asked-for figure where the asker reads it); "
               "*_lenient find a fact anywhere in the answer, quotes included")
    failing = [c for c in report["cases"] if not c["passed"]]
    out.append(f"failing cases: {len(failing)}" + (": " + ", ".join(c["id"] for c in failing[:40]) if failing else ""))
    return "\n".join(out)


def write_json(report: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _chart(report: dict) -> str:
    """Grouped bars: per category, pass rate / citation / facts."""
    shown = ("pass_rate", "citation_accuracy", "fact_accuracy")
    colours = ("#1f6feb", "#2da44e", "#bf8700")
    cats = list(report["by_category"])
    bar, gap, h = 10, 14, 160
    width = len(cats) * (len(shown) * bar + gap) + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h + 70}" role="img" '
             f'aria-label="metrics by category">']
    for y in (0, 0.5, 1.0):
        yy = 10 + h - y * h
        parts.append(f'<line x1="40" x2="{width}" y1="{yy}" y2="{yy}" stroke="#ddd"/>'
                     f'<text x="4" y="{yy + 4}" font-size="10">{y:.1f}</text>')
    x = 44
    for cat in cats:
        m = report["by_category"][cat]
        for k, colour in zip(shown, colours):
            v = m.get(k)
            if v is not None:
                parts.append(f'<rect x="{x}" y="{10 + h - v * h:.1f}" width="{bar - 1}" height="{v * h:.1f}" '
                             f'fill="{colour}"><title>{html.escape(cat)} {k} {v:.3f}</title></rect>')
            x += bar
        parts.append(f'<text x="{x - len(shown) * bar}" y="{h + 24}" font-size="10" '
                     f'transform="rotate(35 {x - len(shown) * bar} {h + 24})">{html.escape(cat)}</text>')
        x += gap
    legend = "".join(f'<rect x="{44 + i * 110}" y="{h + 56}" width="10" height="10" fill="{c}"/>'
                     f'<text x="{58 + i * 110}" y="{h + 65}" font-size="11">{LABELS[k]}</text>'
                     for i, (k, c) in enumerate(zip(shown, colours)))
    parts.append(legend + "</svg>")
    return "".join(parts)


def write_html(report: dict, path: Path) -> Path:
    e = html.escape
    t = report["totals"]
    rows = "".join(f"<tr><td>{e(cat)}</td><td>{m['cases']}</td>" + "".join(f"<td>{_fmt(m[k])}</td>" for k in METRICS)
                   + "</tr>" for cat, m in report["by_category"].items())
    total = f"<tr class=total><td>TOTAL</td><td>{t['cases']}</td>" + "".join(f"<td>{_fmt(t[k])}</td>" for k in METRICS) + "</tr>"
    retr = "".join(f"<tr><td>{e(n)}</td>" + "".join(f"<td>{m[k]:.3f}</td>" for k in ("recall@1", "recall@3", "recall@5", "mrr"))
                   + f"<td>{m['cases']}</td></tr>" for n, m in report["retrieval"].items())
    f = report.get("fusion")
    fusion = (f"融合 词法 {f['w_lexical']} / 语义 {f['w_dense']}" if f else
              f"评分来自答案文件（{report.get('answers_scored', 0)} 条）")
    fails = []
    for c in report["cases"]:
        if c["passed"]:
            continue
        bad = ", ".join(k for k, v in c["checks"].items() if v is False) or c["error"]
        if c.get("must_not_stated"):
            bad += "（答案正文出现了不应出现的数字：" + "、".join(c["must_not_stated"]) + "）"
        fails.append(f"<details><summary><b>{e(c['id'])}</b> [{e(c['category'])}] {e(c['question'])} — "
                     f"<span class=bad>{e(bad)}</span></summary><p><b>期望</b> {e(json.dumps(c['expected'], ensure_ascii=False))}"
                     f"</p><p><b>实际</b> kind={e(c['kind'])} citations={e(', '.join(c['citations']))} "
                     f"amount={e(str(c['amount_yuan']))}</p><pre>{e(c['answer'])}</pre></details>")
    doc = f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>评测报告 {e(report['created'])}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}}td:first-child{{text-align:left}}.total{{font-weight:bold}}
.bad{{color:#c00}}pre{{white-space:pre-wrap;background:#f6f8fa;padding:8px}}</style></head><body>
<h1>政策问答评测报告</h1><p>{e(report['created'])} · 日期设定 {e(report['today'])} · 嵌入模型 {e(str(report['embedding_model']))}
 · {fusion} · 延迟 p50 {t['latency_p50_ms']} ms / p95 {t['latency_p95_ms']} ms</p>
<h2>分类指标</h2>{_chart(report)}
<table><tr><th>类别</th><th>用例</th>{''.join(f'<th>{LABELS[k]}</th>' for k in METRICS)}</tr>{rows}{total}</table>
<h2>检索</h2><table><tr><th>检索器</th><th>recall@1</th><th>recall@3</th><th>recall@5</th><th>MRR</th><th>用例</th></tr>{retr}</table>
<h2>未通过的用例（{len(fails)}）</h2>{''.join(fails) or '<p>无</p>'}</body></html>"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc, encoding="utf-8")
    return path


def compare_text(diff: dict) -> str:
    lines = ["metric                     before     after      change"]
    for k, (a, b) in diff["metrics"].items():
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            sign = "↑" if b > a else "↓" if b < a else " "
            lines.append(f"{k:<26} {a:<10.4g} {b:<10.4g} {sign} {b - a:+.4g}")
    lines.append(f"fixed ({len(diff['fixed'])}): {', '.join(diff['fixed']) or '—'}")
    lines.append(f"regressed ({len(diff['regressed'])}): {', '.join(diff['regressed']) or '—'}")
    if diff["new_cases"] or diff["removed_cases"]:
        lines.append(f"new cases: {len(diff['new_cases'])}, removed cases: {len(diff['removed_cases'])}")
    return "\n".join(lines)
