"""The 政策匹配 tab: a company describes itself, the page lists the awards as cards with citations and the total.

Thin: the handler calls `assistant.matching.match` and renders the result; every piece of text — the user's and the
corpus's — is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import datetime as dt
import html

import gradio as gr

from assistant.calculator.quantities import fmt_yuan
from assistant.errors import user_message
from assistant.matching import match, parse_date
from assistant.matching.extract import MAX_TEXT
from assistant.matching.matcher import MatchResult

EXAMPLES = ["我们是做物流的，去年营收4800万，今年5200万，今年刚评上省级服务型制造示范企业。",
            "跨境电商线上公共综合服务平台，今年服务企业350家，进出口额增长22%，研发升级费用50万元。",
            "规上制造企业，今年新认定省级绿色工厂和市级企业技术中心。"]

STYLE = """<style>
#match-result .m-card{border:1px solid #d0d7de;border-radius:8px;padding:10px 14px;margin:8px 0;background:#fff}
#match-result .m-card.expired{background:#f6f6f6;color:#666}
#match-result .m-amount{font-size:1.2em;font-weight:600}
#match-result .m-cite{color:#555;font-size:.9em}
#match-result .m-total{font-size:1.3em;font-weight:700;margin:12px 0}
#match-result h4{margin:14px 0 4px}
</style>"""


def _e(text) -> str:
    return html.escape(str(text))


def _cite(c: dict) -> str:
    return f'<span class="m-cite">{_e(c["doc_no"])} {_e(c["clause"])}</span>'


def _amount(amount: int | None, is_maximum: bool) -> str:
    return "金额存在歧义" if amount is None else ("最高" if is_maximum else "") + fmt_yuan(amount)


def render_html(r: MatchResult) -> str:
    out = [STYLE, f"<p>匹配日期：{r.date:%Y年%-m月%-d日}（按{r.assessment_year}年的情况）</p>"]
    expired = [e for e in r.eligible if not e.valid_on_date]
    live = [e for e in r.eligible if e.valid_on_date]
    if expired:
        out.append("<h4>已失效或未生效（不计入合计）</h4>")
        for e in expired:
            out.append(f'<div class="m-card expired" data-rule="{_e(e.rule_id)}"><b>{_e(e.recognition or e.title)}</b>：'
                       f'{_e(_amount(e.amount_yuan, e.is_maximum))} · {_cite(e.citation)}<br>{_e(e.why_not_counted)}</div>')
    if live:
        out.append("<h4>符合条件</h4>")
    for e in live:
        steps = "".join(f"<li>{_e(s)}</li>" for s in e.steps)
        warn = "".join(f"<li>⚠ {_e(w)}</li>" for w in e.warnings)
        state = "" if e.counted_in_total else f"<br><i>不计入合计：{_e(e.why_not_counted)}</i>"
        out.append(f'<div class="m-card" data-rule="{_e(e.rule_id)}"><b>{_e(e.recognition or e.title)}</b> '
                   f'<span class="m-amount">{_e(_amount(e.amount_yuan, e.is_maximum))}</span><br>{_e(e.title)} · '
                   f'{_cite(e.citation)}{state}<details><summary>计算过程</summary><ul>{steps}{warn}</ul></details></div>')
    out.append(f'<div class="m-total" id="match-total">合计：{_e(fmt_yuan(r.total_yuan))}（{r.total_yuan:,}元）</div>')
    if r.near_misses:
        out.append("<h4>差一点</h4>")
        out += [f'<div class="m-card near">{_e(n.title)} · {_cite(n.citation)}<br>{_e(n.gap)}</div>' for n in r.near_misses]
    if r.needs:
        out.append("<h4>还需要了解</h4>")
        out += [f'<div class="m-card need">{_e(n.question)}<br>{_e(n.title)} · {_cite(n.citation)}</div>' for n in r.needs]
    if r.notes:
        out.append("<h4>说明</h4><ul>" + "".join(f"<li>{_e(n)}</li>" for n in r.notes) + "</ul>")
    out.append("<p>以公报原文和主管部门核定为准。</p>")
    return "".join(out)


def build_match_tab(settings, today: dt.date) -> None:
    """Create the 政策匹配 tab's components inside the current gr.Blocks context."""

    def do_match(text: str, date_text: str) -> str:
        try:
            result = match((text or "")[: MAX_TEXT + 1], parse_date((date_text or "").strip() or None, today))
        except Exception as exc:  # one sentence for the user, never a traceback
            return f"<p>{_e(user_message(exc))}</p>"
        return render_html(result)

    def match_api(text: str, date_text: str = "") -> dict:
        """The JSON record of `assistant match --json` (or {"error": …})."""
        try:
            return match(text or "", parse_date((date_text or "").strip() or None, today)).record()
        except Exception as exc:
            return {"error": user_message(exc)}

    with gr.Tab("政策匹配", id="match"):
        gr.Markdown("描述贵公司的情况（行业、各年营收和研发费用、投资、亩数、今年新获得的认定等），列出可享受的奖补、"
                    "差一点达到的条件和还需要的信息。")
        box = gr.Textbox(label="企业情况", lines=5, max_length=MAX_TEXT, elem_id="match-text",
                         placeholder="例如：我们是做物流的，去年营收4800万，今年5200万，今年刚评上省级服务型制造示范企业。")
        with gr.Row():
            day = gr.Textbox(label="匹配日期", value=today.isoformat(), max_lines=1, max_length=20, scale=2,
                             elem_id="match-date")
            go = gr.Button("匹配", variant="primary", scale=1, elem_id="match-go")
        gr.Examples(EXAMPLES, inputs=box, label="示例")
        result = gr.HTML(elem_id="match-result")
        go.click(do_match, [box, day], result, api_name=False)
        api_out = gr.JSON(visible=False)
        gr.Button(visible=False).click(match_api, [box, day], api_out, api_name="match", api_visibility="undocumented")
