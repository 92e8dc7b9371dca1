"""HTML for the page. Every piece of text from the corpus or the user goes through `html.escape` here, so a
question or a clause containing <script> renders as text.

Phone first: the verdict (is the policy still in force?) is the first thing an answer, a lookup card or a
calculation says; text is at least 15 px; nothing is wider than the screen.
"""

from __future__ import annotations

import html
import json
import re

from assistant.corpus import Corpus, validity_status

# Sizes: every text of the page is at least 15 px (Gradio's default theme goes down to 9 px). Colours: white text on
# the primary buttons and the selected tab's text reach WCAG AA 4.5:1 (Gradio's orange-500/600 give 2.8-3.6:1); the
# badges are dark enough for white 15 px text (#b42318 on white text: 6.1:1, #116329: 7.4:1).
CSS = """
:root:root, .dark.dark{--text-xxs:15px;--text-xs:15px;--text-sm:15px;--text-md:16px;--text-lg:18px;--text-xl:22px;
  --text-xxl:26px;--button-primary-background-fill:#9a3412;--button-primary-background-fill-hover:#7c2d12;
  --button-primary-text-color:#fff;--button-primary-border-color:#9a3412;--color-accent:#9a3412;
  --color-accent-soft:#fff1e6}
:root:root{--body-text-color-subdued:#424a53;--block-info-text-color:#424a53}
.dark.dark{--body-text-color-subdued:#c9d1d9;--block-info-text-color:#c9d1d9;--color-accent-soft:#431407}
.gradio-container{max-width:1100px !important;margin-left:auto !important;margin-right:auto !important;overflow-wrap:anywhere}
button[role=tab]{font-size:16px !important;color:#24292f}
button[role=tab][aria-selected=true], button[role=tab].selected{color:#9a3412 !important;font-weight:600}
:focus-visible{outline:3px solid #1d4ed8 !important;outline-offset:2px !important}
#chatbot{height:auto !important;max-height:none !important;min-height:120px}
#chatbot .bubble-wrap, #chatbot [role=log]{height:auto !important;max-height:none !important;overflow:visible !important}
#chatbot .message{font-size:17px;line-height:1.7}
.verdict{display:block;margin:0 0 6px 0}
.src{border:1px solid #d0d7de;border-radius:8px;padding:8px 12px;margin:8px 0;background:#fff;color:#1f2328;font-size:16px}
.src summary{cursor:pointer;line-height:1.6}
.src summary, .src b, .src .clause-text{color:#1f2328}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:15px;margin-right:6px;color:#fff;
  font-weight:600;line-height:1.6}
.badge.valid{background:#116329}.badge.expired{background:#b42318}.badge.unstated{background:#505a66}
.badge.not_yet{background:#8a4b00}
.clause-text{white-space:pre-wrap;line-height:1.7;margin:6px 0}
.clause-text mark, .calc mark{background:#fff3b0;color:#1f2328}
.meta{color:#424a53;font-size:15px}
.warn{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px;margin:6px 0;color:#1f2328;font-size:15px}
.note{color:#424a53;font-size:15px}
.copy-row{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 2px 0}
.copy-btn{font-size:15px;padding:6px 12px;border:1px solid #8c959f;border-radius:6px;background:#f6f8fa;color:#1f2328;
  cursor:pointer;min-height:40px}
.copy-btn:hover{background:#eaeef2}
.calc{color:#1f2328;font-size:16px}
.calc .amount-label{margin:8px 0 0 0;font-size:16px}
.calc .amount{font-size:30px;font-weight:700;line-height:1.3;margin:2px 0 8px 0;white-space:normal;overflow-wrap:anywhere}
.calc .amount .exact{font-size:18px;font-weight:400;color:#424a53}
.calc .amount.ineligible{color:#b42318}
.calc ol{padding-left:1.4em;margin:4px 0}.calc h4{margin:12px 0 4px 0;font-size:16px}
.clause-quote{border-left:4px solid #d0d7de;margin:8px 0;padding:4px 10px;line-height:1.7}
.calc-error, .calc-error p{color:#b42318 !important;font-size:15px}
.calc-error:empty{display:none}
.rule-info{font-size:15px;color:#1f2328}
.unit-suffix textarea, .unit-suffix input{padding-right:64px !important}
.unit-suffix .input-container{position:relative}
.unit-suffix .input-container::after{position:absolute;right:12px;top:50%;transform:translateY(-50%);color:#424a53;
  font-size:16px;pointer-events:none;z-index:3}
.unit-wan .input-container::after{content:"万元"}.unit-mu .input-container::after{content:"亩"}
.unit-pct .input-container::after{content:"%"}.unit-dun .input-container::after{content:"吨"}
.unit-box .input-container::after{content:"标箱"}.unit-jia .input-container::after{content:"家"}
.unit-yuan .input-container::after{content:"元"}
ul.options li{white-space:normal !important}
.wrap-inner input{text-overflow:ellipsis;min-width:0;padding-right:28px !important}
/* dark mode (a phone set to dark): light text on Gradio's dark background, the cards keep their white paper.
   One selector per rule: Gradio scopes only the first selector of a list that starts with .dark */
.dark button[role=tab]{color:#e6edf3}
.dark :focus-visible{outline-color:#60a5fa !important}
.dark button[role=tab][aria-selected=true]{color:#fdba74 !important}
.dark button[role=tab].selected{color:#fdba74 !important}
.dark .calc{color:#e6edf3}
.dark .rule-info{color:#e6edf3}
.dark .meta{color:#c9d1d9}
.dark .note{color:#c9d1d9}
.dark .calc .amount .exact{color:#c9d1d9}
.dark .src .meta{color:#424a53}
.dark .calc-error{color:#ff9492 !important}
.dark .calc-error p{color:#ff9492 !important}
.dark .calc .amount.ineligible{color:#ff9492}
.dark .unit-suffix .input-container::after{color:#c9d1d9}
@media (max-width: 640px){
  .gradio-container{padding:0 8px !important}
  #ask-row, #lookup-row, #browse-row{flex-wrap:wrap !important}
  #ask-row > :has(#question), #lookup-row > :has(#lookup-query), #browse-row > :has(#browse-doc){flex:1 1 100% !important}
  #send, #clear, #lookup-go{flex:1 1 40% !important}
}
"""

# Gradio's own strings, where it lets an app change them: the footer (`footer_links=[]` hides "Use via API ·
# Built with Gradio · Settings"; the API itself stays) and the i18n keys of its components. Flat keys win over
# Gradio's built-in dictionaries in every locale (svelte-i18n looks a flat key up first).
I18N_ZH = {"chatbot.copy_message": "复制这条回答", "chatbot.copied_message": "已复制", "common.clear": "清空",
           "chatbot.like": "有帮助", "chatbot.dislike": "没帮助", "common.submit": "提交", "common.loading": "加载中"}
# Strings the Gradio frontend hard-codes in English (aria-labels and titles): relabelled in the browser.
LABELS_ZH = {"Copy conversation": "复制全部对话", "Copied conversation": "已复制", "Copy message": "复制这条回答",
             "Copied message": "已复制", "More tabs": "更多标签页", "chatbot conversation": "对话记录",
             "Like": "有帮助", "Dislike": "没帮助", "Clear": "清空", "Copy": "复制", "Copied": "已复制",
             "Scroll down": "滚动到底部", "Scroll to bottom": "滚动到底部", "Remove": "移除", "Close": "关闭",
             "Edit": "编辑", "Undo": "撤销", "Retry": "重试"}
PREFIXES_ZH = {"bot's message: ": "助手的回答：", "user's message: ": "您的问题："}

# Gradio's own client, not this app, words the message shown when the queue is full, and only in English. The page
# is for Chinese readers: say it in Chinese, and that nothing was lost (the question stays in the box, the
# conversation stays on the page).
BUSY_EN = "This application is currently busy"
BUSY_ZH = "咨询的人较多，系统繁忙，请稍后再点“发送”。您输入的问题和对话都还在。"
JS = """() => {
  const en = %s, zh = %s, labels = %s, prefixes = %s;
  const localize = (root) => {
    if (!(root instanceof Element)) return;
    for (const text of root.querySelectorAll('[data-testid="toast-text"]')) {
      if (!text.textContent.includes(en)) continue;
      text.textContent = zh;
      const title = text.closest('[data-testid="toast-body"]')?.querySelector('.toast-title');
      if (title) title.textContent = "系统繁忙";
    }
  };
  const relabel = (el) => {
    for (const attr of ['aria-label', 'title']) {
      const v = el.getAttribute(attr);
      if (v === null) continue;
      if (labels[v]) { el.setAttribute(attr, labels[v]); continue; }
      for (const [p, z] of Object.entries(prefixes)) if (v.startsWith(p)) el.setAttribute(attr, z + v.slice(p.length));
    }
    // a button Gradio leaves without a name (an icon only) is named after its title, or hidden from the tab order
    if (el.tagName === 'BUTTON' && !el.textContent.trim() && !el.getAttribute('aria-label')) {
      const name = el.getAttribute('title');
      if (name) el.setAttribute('aria-label', name);
    }
  };
  const relabelAll = (root) => {
    if (!(root instanceof Element)) return;
    relabel(root);
    for (const el of root.querySelectorAll('[aria-label], [title], button')) relabel(el);
  };
  relabelAll(document.body);
  new MutationObserver((records) => {
    for (const r of records) {
      const target = r.target instanceof Element ? r.target : r.target.parentElement;
      localize(target);
      if (r.type === 'attributes') relabel(target); else for (const n of r.addedNodes) relabelAll(n);
    }
  }).observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true,
                             attributeFilter: ['aria-label', 'title']});
  // 复制引用 / 复制引用和原文: the text to copy is in the button's data-copy attribute (escaped by the server).
  const copy = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (e) {}
    const area = document.createElement('textarea');  // plain http on a LAN has no clipboard API
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    let ok = false; try { ok = document.execCommand('copy'); } catch (e) {}
    area.remove(); return ok;
  };
  document.addEventListener('click', async (ev) => {
    const btn = ev.target instanceof Element ? ev.target.closest('button[data-copy]') : null;
    if (!btn) return;
    ev.preventDefault();
    const label = btn.dataset.label || btn.textContent;
    btn.dataset.label = label;
    const ok = await copy(btn.dataset.copy);
    window.__lastCopied = btn.dataset.copy;
    btn.textContent = ok ? '已复制' : '复制失败，请手动选择文字';
    setTimeout(() => { btn.textContent = label; }, 2000);
  });
}""" % (json.dumps(BUSY_EN), json.dumps(BUSY_ZH), json.dumps(LABELS_ZH, ensure_ascii=False),
        json.dumps(PREFIXES_ZH, ensure_ascii=False))


def launch_options() -> dict:
    """What `Blocks.launch` (or `gr.mount_gradio_app`) needs for this page: styles, scripts, Chinese strings, and
    no Gradio footer for citizens (the API stays: `footer_links` only hides the link)."""
    import gradio as gr

    return {"css": CSS, "js": JS, "footer_links": [], "i18n": gr.I18n(**{loc: I18N_ZH for loc in ("en", "zh-CN", "zh")})}


STATUS_LABEL = {"valid": "有效", "expired": "已失效", "not_yet": "未生效", "unstated": "未规定期限"}
e = html.escape


def badge(status: str) -> str:
    return f'<span class="badge {status}">{STATUS_LABEL[status]}</span>'


def highlight(text: str, quote: str) -> str:
    """The clause text, escaped, with the quoted sentence(s) marked."""
    out = e(text)
    for part in [p for p in (quote or "").split("……") if p and p != text]:
        escaped = e(part)
        if escaped in out:
            out = out.replace(escaped, f"<mark>{escaped}</mark>", 1)
    return out


# ------------------------------------------------------------------------------------------------ answers


def cited_documents(corpus: Corpus, answer) -> list:
    """The documents an answer cites, first cited first, each once."""
    docs = []
    for c in getattr(answer, "citations", None) or []:
        clause = corpus.by_id.get(c.clause_id)
        doc = corpus.document_of(clause) if clause is not None else (corpus.document(c.doc_no) if c.doc_no else None)
        if doc is not None and doc not in docs:
            docs.append(doc)
    return docs


def answer_bubble(corpus: Corpus, answer, today, shown=e) -> str:
    """The answer as the chat shows it, verdict first: the validity of each cited document (badge + sentence), then
    the answer text — which starts with the asker's figure, then the quote and the citation — without repeating the
    validity lines at its end. `shown` escapes text for the chat (markdown)."""
    verdicts, validity_lines = [], set()
    for doc in cited_documents(corpus, answer):
        status, sentence = validity_status(doc, today)
        verdicts.append(f'<span class="verdict">{badge(status)}{shown(sentence)}</span>')
        validity_lines.add(sentence)
    # the calculator words its own validity warning ("该规则出自…已失效，计算结果仅供参考。"): it moves up too
    validity_lines |= {w for w in getattr(answer, "warnings", []) if "有效期" in w or "未生效" in w or "施行" in w}
    kept = [ln for ln in answer.answer.split("\n") if ln.strip() not in validity_lines
            and ln.strip().removeprefix("⚠").strip() not in validity_lines]
    moved = [w for w in getattr(answer, "warnings", []) if w in validity_lines and w not in
             {validity_status(d, today)[1] for d in cited_documents(corpus, answer)}]
    head = "".join(verdicts) + "".join(f'<span class="verdict">{shown(w)}</span>' for w in moved)
    body = shown("\n".join(kept).strip())
    return head + body if head else body


def plain_text(content: str) -> str:
    """A chat bubble as plain text (for the conversation sent back to the assistant): tags removed, unescaped."""
    text = re.sub(r"<span class=\"verdict\">(.*?)</span>", r"\1\n", content or "")
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def source_cards(corpus: Corpus, answer, today) -> str:
    if not answer or not answer.citations:
        return ""
    cards = []
    for i, c in enumerate(answer.citations):
        clause = corpus.by_id.get(c.clause_id)
        if clause is None:
            continue
        cards.append(clause_card(corpus, clause, today, quote=c.quote, open_=(i == 0), validity=False))
    return '<div class="sources"><h4>出处（公报原文）</h4>' + "".join(cards) + "</div>" if cards else ""


def clause_card(corpus: Corpus, clause, today, quote: str = "", open_: bool = True, validity: bool = True) -> str:
    """One clause: validity badge, citation, heading, the validity sentence (left out under an answer, whose
    bubble opens with it), the text (quoted sentence marked), 责任单位, data-quality notes, the two copy buttons."""
    status, sentence = validity_status(corpus.document_of(clause), today)
    return _card(status, sentence if validity else "", clause.citation, clause.heading, clause.doc_title, highlight(clause.text, quote),
                 clause.text, list(clause.responsible_units), list(clause.notes), open_)


def _card(status, sentence, citation, heading, doc_title, text_html, text, units, notes, open_) -> str:
    with_text = f"{citation}（{heading}）\n{text}" if heading else f"{citation}\n{text}"
    return (
        f'<details class="src"{" open" if open_ else ""}><summary>{badge(status)}<b>{e(citation)}</b> {e(heading)}'
        f"</summary>"
        + (f'<div class="meta">{e(sentence)}</div>' if sentence else "")
        + f'<div class="meta">{e(doc_title)}</div>'
        f'<div class="clause-text">{text_html}</div>'
        + (f'<div class="meta">责任单位：{e("、".join(units))}</div>' if units else "")
        + "".join(f'<div class="warn">{e(n)}</div>' for n in notes)
        + '<div class="copy-row">'
        f'<button type="button" class="copy-btn" data-copy="{e(citation, quote=True)}">复制引用</button>'
        f'<button type="button" class="copy-btn" data-copy="{e(with_text, quote=True)}">复制引用和原文</button>'
        "</div></details>")


def warnings_html(answer) -> str:
    """Notes on how the answer was produced (the validity verdict is in the answer bubble itself)."""
    if not answer:
        return ""
    return "".join(f'<div class="note">（{e(n)}）</div>' for n in answer.notes)


# ------------------------------------------------------------------------------------------------ lookup


def lookup_results(result, corpus: Corpus | None = None, today=None) -> str:
    """One card per candidate, best first and expanded, each with its validity badge and copy buttons."""
    if not result.matches:
        return f'<p class="meta">{e(result.message)}</p>'
    items = []
    for i, m in enumerate(result.matches):
        doc = corpus.document(m.doc_no) if corpus is not None and m.doc_no else None
        status = validity_status(doc, today)[0] if doc is not None and today is not None else _status_of(m.validity)
        items.append(_card(status, m.validity, m.citation, m.heading, m.doc_title, e(m.text), m.text,
                           m.responsible_units, m.notes, open_=(i == 0)))
    ambiguous = result.kind == "citation" and len(result.matches) > 1
    head = (f'<p class="meta">共 {len(result.matches)} 条'
            + ("（引用有多种可能，按可能性排序；第一条最可能）" if ambiguous else "（按相关程度排序）") + "</p>")
    return head + "".join(items)


def _status_of(sentence: str) -> str:
    """The status a validity sentence states (for matches whose document is not at hand)."""
    if "已失效" in sentence:
        return "expired"
    if "尚未生效" in sentence:
        return "not_yet"
    return "valid" if "有效期至" in sentence else "unstated"


def short_title(doc) -> str:
    """"嘉政发〔2024〕14号 嘉兴市推动先进制造业…实施方案(2024-2026年)": 文号 and the title without the wrapper
    "嘉兴市人民政府关于印发…的通知" that every notice repeats."""
    title = re.sub(r"^嘉兴市人民政府关于(印发)?", "", doc.title)
    title = re.sub(r"的通知$", "", title) if doc.title.startswith("嘉兴市人民政府关于印发") else title
    return f"{doc.doc_no} {title}" if doc.doc_no else title


def clause_html(corpus: Corpus, clause, today) -> str:
    return clause_card(corpus, clause, today)


# ------------------------------------------------------------------------------------------------ calculator

_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?(?:万元|亿元|元|万吨|吨|万亩|亩|标箱|家|%|个百分点)")


def applied_figures(calc) -> list[str]:
    """The figures a calculation applied (its steps and reasons), as the clause would print them."""
    found = []
    for line in [*calc.steps, *calc.reasons]:
        for fig in _FIGURE.findall(line):
            fig = fig.replace(",", "")
            if fig not in found:
                found.append(fig)
    return found


def clause_sentence(text: str, figures: list[str], hints: list[str]) -> tuple[str, list[str]]:
    """The sentence of the clause that holds most of the applied figures (ties: most hint words), and the figures
    found in it."""
    sentences = [s for s in re.split(r"(?<=[。；;])", text) if s.strip()]
    best, best_key, best_figs = "", (0, 0), []
    for s in sentences:
        figs = [f for f in figures if _figure_at(s, f)]
        key = (len(figs), sum(1 for h in hints if h and h in s))
        if key > best_key:
            best, best_key, best_figs = s, key, figs
    return best.strip(), best_figs


def _figure_at(sentence: str, fig: str) -> re.Match | None:
    return re.search(rf"(?<![\d.]){re.escape(fig)}", sentence)


def mark_figures(sentence: str, figures: list[str]) -> str:
    """The sentence, escaped, with the first occurrence of each figure marked (50万元 is not marked inside 150万元)."""
    spans = sorted({m.span() for f in figures if (m := _figure_at(sentence, f))})
    out, pos = [], 0
    for a, b in spans:
        if a < pos:
            continue
        out += [e(sentence[pos:a]), f"<mark>{e(sentence[a:b])}</mark>"]
        pos = b
    return "".join(out) + e(sentence[pos:])


def calc_html(corpus: Corpus, calc, rule, today, notice: str = "") -> str:
    """A calculation, phone first: the validity verdict, the amount as a headline (wrapping text), the steps, what
    the calculator cannot check, the other warnings, and the clause sentence with the applied figures marked."""
    from assistant.calculator.quantities import fmt_yuan

    clause = next((c for c in corpus.clauses if c.doc_no == rule.doc_no and c.path == rule.clause), None)
    doc = corpus.document(rule.doc_no)
    status, sentence = validity_status(doc, today) if doc is not None else ("unstated", "")
    validity = [w for w in calc.warnings if "有效期" in w or "未生效" in w]
    others = [w for w in calc.warnings if w not in validity]
    parts = [f'<div class="calc" role="status">',
             f'<p class="verdict">{badge(status)}{e(validity[0] if validity else sentence)}</p>', notice,
             f'<p class="amount-label">{e(calc.title)} · {e(calc.result_label)}</p>']
    if not calc.eligible:
        parts.append('<p class="amount ineligible">不符合条件</p>')
        parts.append("".join(f'<div class="warn">原因：{e(r)}</div>' for r in calc.reasons))
    elif calc.amount_yuan is None:
        alts = "；".join(f"{a['reading']}为{fmt_yuan(a['amount_yuan'])}" for a in calc.alternatives)
        parts.append(f'<p class="amount">金额无法确定</p><div class="warn">{e(alts)}</div>')
    else:
        exact = f"{calc.amount_yuan:,}元"
        extra = "" if calc.amount_text.endswith(exact) else f'<span class="exact">（{e(exact)}）</span>'
        parts.append(f'<p class="amount">{e(calc.amount_text)}{extra}</p>')
    parts.append("<h4>计算过程</h4><ol>" + "".join(f"<li>{e(s)}</li>" for s in calc.steps) + "</ol>")
    if calc.conditions:
        parts.append(f'<p>另需满足（计算器无法核对）：{e("；".join(calc.conditions))}</p>')
    if calc.assumptions:
        parts.append(f'<p>假设：{e("；".join(calc.assumptions))}</p>')
    parts += [f'<div class="warn">⚠ {e(w)}</div>' for w in others]
    if clause is not None:
        hints = [*rule.keywords, *(a.evidence for a in rule.awards), *(calc.inputs.get("category", ""),)]
        sentence_text, figs = clause_sentence(clause.text, applied_figures(calc), [h for h in hints if isinstance(h, str)])
        if sentence_text:
            parts.append(f'<blockquote class="clause-quote">原文：“{mark_figures(sentence_text, figs)}”</blockquote>')
    cite = f"{calc.citation['doc_no']} {calc.citation['clause']}"
    heading = f"（{clause.heading}）" if clause is not None and clause.heading else ""
    parts.append(f'<p class="meta">依据：{e(cite)}{e(heading)}</p></div>')
    return "".join(parts)


def rule_info(corpus: Corpus, rule, today) -> str:
    """The chosen rule in full (a dropdown cuts long titles on a phone): title, clause, validity."""
    doc = corpus.document(rule.doc_no)
    status, sentence = validity_status(doc, today) if doc is not None else ("unstated", "")
    return (f'<div class="rule-info">{badge(status)}<b>{e(rule.title)}</b>（{e(rule.doc_no)} {e(rule.clause)}）'
            f'<div class="meta">{e(sentence)}</div></div>')


# ------------------------------------------------------------------------------------------------ about


def about_markdown(corpus: Corpus, today, index_line: str) -> str:
    rows = ["| 文号 | 文件 | 有效期 |", "|---|---|---|"]
    for d in corpus.documents:
        if d.kind in ("policy", "decision"):
            _, sentence = validity_status(d, today)
            rows.append(f"| {d.doc_no} | {_md(d.title)} | {_md(sentence)} |")
    return "\n".join([
        "### 收录范围", "《嘉兴市人民政府公报》2024年第04、05期：", "", *rows, "",
        "另含本期市政府人事任免（2024年3、4月份）和两个发文目录。", "",
        "### 索引与模型", _md(index_line), "",
        "### 声明", "本助手的回答依据公报原文整理，每个回答都注明文号和条款；数字来自所引条款或确定性计算器。"
        "**一切以公报原文和责任单位的解释为准。** 政策咨询请拨打 12345 政务服务便民热线。",
        f"\n有效期按 {today:%Y年%-m月%-d日} 计算。",
    ])


def _md(text: str) -> str:
    return e(text).replace("|", "\\|")
