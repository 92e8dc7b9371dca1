"""HTML for the page. Every piece of text from the corpus or the user goes through `html.escape` here, so a
question or a clause containing <script> renders as text."""

from __future__ import annotations

import html
import json

from assistant.corpus import Corpus, validity_status

CSS = """
.src{border:1px solid #d0d7de;border-radius:8px;padding:6px 10px;margin:6px 0;background:#fff}
.src summary{cursor:pointer}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;margin-right:6px;color:#fff}
.badge.valid{background:#2da44e}.badge.expired{background:#cf222e}.badge.unstated{background:#6e7781}
.badge.not_yet{background:#bf8700}
.clause-text{white-space:pre-wrap;line-height:1.7;margin:6px 0}
.clause-text mark{background:#fff3b0}
.meta{color:#57606a;font-size:13px}
.warn{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px;margin:6px 0}
.note{color:#57606a;font-size:13px}
"""

# Gradio's own client, not this app, words the message shown when the queue is full, and only in English. The page
# is for Chinese readers: say it in Chinese, and that nothing was lost (the question stays in the box, the
# conversation stays on the page). Only that one message is touched.
BUSY_EN = "This application is currently busy"
BUSY_ZH = "咨询的人较多，系统繁忙，请稍后再点“发送”。您输入的问题和对话都还在。"
JS = """() => {
  const en = %s, zh = %s;
  const localize = (root) => {
    if (!(root instanceof Element)) return;
    for (const text of root.querySelectorAll('[data-testid="toast-text"]')) {
      if (!text.textContent.includes(en)) continue;
      text.textContent = zh;
      const title = text.closest('[data-testid="toast-body"]')?.querySelector('.toast-title');
      if (title) title.textContent = "系统繁忙";
    }
  };
  new MutationObserver((records) => {
    for (const r of records) localize(r.target instanceof Element ? r.target : r.target.parentElement);
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}""" % (json.dumps(BUSY_EN), json.dumps(BUSY_ZH))

STATUS_LABEL = {"valid": "有效", "expired": "已失效", "not_yet": "未生效", "unstated": "未规定期限"}
e = html.escape


def highlight(text: str, quote: str) -> str:
    """The clause text, escaped, with the quoted sentence(s) marked."""
    out = e(text)
    for part in [p for p in (quote or "").split("……") if p and p != text]:
        escaped = e(part)
        if escaped in out:
            out = out.replace(escaped, f"<mark>{escaped}</mark>", 1)
    return out


def source_cards(corpus: Corpus, answer, today) -> str:
    if not answer or not answer.citations:
        return ""
    cards = []
    for i, c in enumerate(answer.citations):
        clause = corpus.by_id.get(c.clause_id)
        if clause is None:
            continue
        doc = corpus.document_of(clause)
        status, sentence = validity_status(doc, today)
        units = "、".join(clause.responsible_units)
        cards.append(
            f'<details class="src"{" open" if i == 0 else ""}><summary><span class="badge {status}">'
            f"{STATUS_LABEL[status]}</span><b>{e(clause.citation)}</b> {e(clause.heading)}</summary>"
            f'<div class="meta">{e(clause.doc_title)}</div>'
            f'<div class="clause-text">{highlight(clause.text, c.quote)}</div>'
            + (f'<div class="meta">责任单位：{e(units)}</div>' if units else "")
            + f'<div class="meta">{e(sentence)}</div>'
            + "".join(f'<div class="warn">{e(n)}</div>' for n in clause.notes)
            + "</details>")
    return "<div><h4>出处</h4>" + "".join(cards) + "</div>"


def warnings_html(answer) -> str:
    if not answer:
        return ""
    parts = [f'<div class="warn">⚠ {e(w)}</div>' for w in answer.warnings if "失效" in w or "未生效" in w]
    parts += [f'<div class="note">（{e(n)}）</div>' for n in answer.notes]
    return "".join(parts)


def lookup_results(result) -> str:
    if not result.matches:
        return f"<p>{e(result.message)}</p>"
    items = []
    for m in result.matches:
        units = "、".join(m.responsible_units)
        items.append(
            f'<details class="src" open><summary><b>{e(m.citation)}</b> {e(m.heading)}</summary>'
            f'<div class="meta">{e(m.doc_title)}</div><div class="clause-text">{e(m.text)}</div>'
            + (f'<div class="meta">责任单位：{e(units)}</div>' if units else "")
            + f'<div class="meta">有效期：{e(m.validity)}</div>'
            + "".join(f'<div class="warn">{e(n)}</div>' for n in m.notes) + "</details>")
    head = f"<p>共 {len(result.matches)} 条" + ("（引用有多种可能，按可能性排序）" if result.kind == "citation" and len(result.matches) > 1 else "") + "</p>"
    return head + "".join(items)


def clause_html(corpus: Corpus, clause, today) -> str:
    doc = corpus.document_of(clause)
    status, sentence = validity_status(doc, today)
    units = "、".join(clause.responsible_units)
    return (f'<div class="src"><span class="badge {status}">{STATUS_LABEL[status]}</span><b>{e(clause.citation)}</b> '
            f'{e(clause.heading)}<div class="meta">{e(clause.doc_title)}</div>'
            f'<div class="clause-text">{e(clause.text)}</div>'
            + (f'<div class="meta">责任单位：{e(units)}</div>' if units else "")
            + f'<div class="meta">{e(sentence)}</div>'
            + "".join(f'<div class="warn">{e(n)}</div>' for n in clause.notes) + "</div>")


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
