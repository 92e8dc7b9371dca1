"""The Gradio page: 智能问答 (citizens), 条款查询 (hotline staff), 奖补计算, 关于.

A thin layer: every handler calls the library and renders what it returns. Text from users and the corpus is
escaped before it reaches the page; questions are bounded; the queue has a size and a concurrency limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import threading
from collections import OrderedDict
from pathlib import Path

import gradio as gr

from assistant.answer import Assistant
from assistant.calculator import RULES, RULES_BY_ID, CalcInputError, MissingInputs, calculate
from assistant.calculator.render import render_calculation
from assistant.errors import user_message
from assistant.lookup import QueryError, lookup
from assistant.settings import Settings

from . import render, tools
from .inputs import MAX_MESSAGE_CHARS

EXAMPLES = ["种粮大户有什么补贴？", "省级绿色工厂奖多少？", "10号文第19条讲什么", "技改投入3000万，评了A档，能补多少？",
            "14号文什么时候到期？", "保险机构可以和司法鉴定机构签合作协议吗？"]
MAX_SLOTS = max(len(r.inputs) for r in RULES)


def _text(content) -> str:
    """Gradio message content: a string, or a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return ""


MARKDOWN_SYNTAX = str.maketrans({"[": "&#91;", "]": "&#93;", "\\": "&#92;", "$": "&#36;"})


def _shown(text: str) -> str:
    """Chat text as literal text: escaped, so markdown shows "<script>" instead of running it, and "![x](//host/…)"
    as those characters instead of an image the browser would fetch (a character reference is never markdown
    syntax; brackets make every link and image, backslashes escapes, dollars LaTeX)."""
    return html.escape(text, quote=False).translate(MARKDOWN_SYNTAX)


class IssuedAnswers:
    """The answers this server has put on a page, as hashes of (question bubble, answer bubble): feedback is
    accepted only for one of them, so a client cannot write forged records (10 MB each were accepted before).
    Bounded: the most recent `max_items` answers (32 bytes each, about 1 MB), older likes are ignored."""

    def __init__(self, max_items: int = 20_000) -> None:
        self.max_items = max_items
        self._keys: OrderedDict[bytes, None] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(question, answer) -> bytes:
        return hashlib.sha256(json.dumps([_text(question).strip(), _text(answer).strip()]).encode()).digest()

    def add(self, question, answer) -> None:
        with self._lock:
            self._keys[self._key(question, answer)] = None
            while len(self._keys) > self.max_items:
                self._keys.popitem(last=False)

    def given(self, question, answer) -> bool:
        with self._lock:
            return self._key(question, answer) in self._keys


class FeedbackStore:
    """Helpful / not helpful, one JSON line each, for maintainers."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "feedback.jsonl"
        self._lock = threading.Lock()

    def add(self, record: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({**record, "at": dt.datetime.now().isoformat(timespec="seconds")}, ensure_ascii=False)
        with self._lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def build_app(settings: Settings, assistant: Assistant | None = None, index_line: str = "") -> gr.Blocks:
    bot = assistant or Assistant(settings)
    corpus = bot.corpus
    today = settings.today
    feedback = FeedbackStore(settings.data_dir)
    issued = IssuedAnswers()
    limit = settings.max_question_chars

    # ----------------------------------------------------------------------------------- handlers (thin)

    def respond(message: str, history: list):
        history = list(history or [])
        question = (message or "")[: limit + 1]
        past = [{"role": h.get("role"), "content": _text(h.get("content"))} for h in history if isinstance(h, dict)]
        history.append({"role": "user", "content": _shown(question)})
        answer = None
        try:
            for kind, payload in bot.ask_stream(question, past):
                if kind == "partial":
                    yield history + [{"role": "assistant", "content": _shown(payload) + "\n\n（正在核验……）"}], "", gr.update()
                else:
                    answer = payload
        except Exception as exc:  # one sentence for the user, never a traceback
            history.append({"role": "assistant", "content": _shown(user_message(exc))})
            yield history, "", ""
            return
        history.append({"role": "assistant", "content": _shown(answer.answer)})
        issued.add(history[-2]["content"], history[-1]["content"])  # feedback is taken only for answers given here
        yield history, "", render.warnings_html(answer) + render.source_cards(corpus, answer, today)

    def ask_api(question: str, history_json: str = "[]") -> dict:
        """JSON contract of `assistant ask --json` (or {"error": sentence}), for gradio_client users of /ask."""
        return tools.ask_json(bot, question or "", history_json or "[]", limit)

    def on_like(history: list, data: gr.LikeData):
        """Stored only when the liked message is an answer this server gave to the question before it."""
        idx = data.index if isinstance(data.index, int) else (data.index[0] if data.index else None)
        msgs = [m for m in (history or []) if isinstance(m, dict)]
        if not isinstance(idx, int) or not 0 <= idx < len(msgs) or msgs[idx].get("role") != "assistant":
            return
        answer = msgs[idx].get("content")
        question = next((m.get("content") for m in reversed(msgs[:idx]) if m.get("role") == "user"), "")
        if not issued.given(question, answer):
            return
        feedback.add({"question": html.unescape(_text(question))[:MAX_MESSAGE_CHARS],
                      "answer": html.unescape(_text(answer))[:MAX_MESSAGE_CHARS], "helpful": bool(data.liked)})

    def do_lookup(query: str):
        try:
            res = lookup(corpus, query or "", today, k=5, max_chars=limit)
        except QueryError as exc:
            return f"<p>{html.escape(str(exc))}</p>", gr.update(choices=[], value=None), ""
        cites = [m.citation for m in res.matches]
        return render.lookup_results(res), gr.update(choices=cites, value=cites[0] if cites else None), cites[0] if cites else ""

    docs = [d for d in corpus.documents if d.clauses]
    doc_labels = {f"{d.doc_no or ''} {d.title}".strip(): d for d in docs}

    def top_units(d):
        return [c for c in d.clauses if c.parent is None] if d else []

    def under(d, top_path: str):
        """The section itself and everything numbered below it, in order."""
        return [c for c in d.clauses if c.path == top_path or (c.path.startswith(top_path) and c.parent)] if d else []

    def browse_doc(label: str):
        tops = [c.path for c in top_units(doc_labels.get(label))]
        return gr.update(choices=tops, value=tops[0] if tops else None)

    def browse_section(label: str, top_path: str):
        paths = [c.path for c in under(doc_labels.get(label), top_path or "")]
        return gr.update(choices=paths, value=paths[0] if paths else None)

    def browse_clause(label: str, path: str):
        d = doc_labels.get(label)
        clause = next((c for c in d.clauses if c.path == path), None) if d else None
        if clause is None:
            return "", ""
        return render.clause_html(corpus, clause, today), clause.citation

    def calc_api(rule_id: str, inputs_json: str) -> dict:
        """The calculator JSON of `assistant calc --json`, or {"error", "field"|"missing"}."""
        return tools.calc_json(rule_id or "", inputs_json or "{}", today)

    rule_labels = {f"{r.title}（{r.doc_no} {r.clause}）": r.id for r in RULES}

    def slot_updates(label: str):
        rule = RULES_BY_ID.get(rule_labels.get(label, ""))
        updates = []
        for i in range(MAX_SLOTS):
            spec = rule.inputs[i] if rule and i < len(rule.inputs) else None
            unit = f"（{spec.unit}）" if spec and spec.unit else ""
            help_text = (spec.help or ("可填 3000万、1.2亿元" if spec.kind == "money" else "")) if spec else ""
            need = "" if not spec or spec.required else "（选填）"
            updates.append(gr.update(visible=bool(spec and spec.kind in ("money", "count", "percent")),
                                     label=f"{spec.label}{unit}{need}" if spec else "", info=help_text, value=""))
            updates.append(gr.update(visible=bool(spec and spec.kind == "choice"), label=spec.label if spec else "",
                                     choices=list(spec.choices) if spec and spec.kind == "choice" else [], value=None))
            updates.append(gr.update(visible=bool(spec and spec.kind == "bool"), label=spec.label if spec else "",
                                     value=bool(spec.default) if spec and spec.kind == "bool" else False))
            updates.append(gr.update(value="", visible=False))
        return updates

    def do_calc(label: str, *values):
        rule = RULES_BY_ID.get(rule_labels.get(label, ""))
        errors = [gr.update(value="", visible=False) for _ in range(MAX_SLOTS)]
        if rule is None:
            return "请选择规则。", *errors
        inputs = {}
        for i, spec in enumerate(rule.inputs):
            text, choice, flag = values[3 * i: 3 * i + 3]
            v = {"choice": choice, "bool": flag}.get(spec.kind, text)
            if v not in (None, ""):
                inputs[spec.name] = v
        try:
            calc = calculate(rule.id, inputs, today)
        except MissingInputs as exc:
            for s in exc.specs:
                i = rule.inputs.index(s)
                errors[i] = gr.update(value=f"⚠ 请填写{html.escape(s.label)}", visible=True)
            return html.escape(str(exc)), *errors
        except CalcInputError as exc:
            i = next((k for k, s in enumerate(rule.inputs) if exc.field.startswith(s.label) or exc.field == s.name), None)
            if i is not None:
                errors[i] = gr.update(value=f"⚠ {html.escape(exc.message)}", visible=True)
            return "输入有误：" + html.escape(str(exc)), *errors
        return "```\n" + render_calculation(calc) + "\n```", *errors

    # ----------------------------------------------------------------------------------- layout

    with gr.Blocks(title="嘉兴市政策问答助手") as app:
        gr.Markdown("## 嘉兴市政策问答助手\n依据《嘉兴市人民政府公报》2024年第04、05期作答，每个回答注明文号和条款，以公报原文为准。")
        with gr.Tab("智能问答", id="chat"):
            chatbot = gr.Chatbot(label="对话", height=460, elem_id="chatbot", line_breaks=True,
                                 feedback_options=("Like", "Dislike"))
            with gr.Row():
                box = gr.Textbox(placeholder="请输入问题，例如：种粮大户有什么补贴？", show_label=False, scale=8,
                                 max_length=limit, elem_id="question")
                send = gr.Button("发送", variant="primary", scale=1, elem_id="send")
                clear = gr.Button("清空对话", scale=1, elem_id="clear")
            gr.Examples(EXAMPLES, inputs=box, label="示例问题")
            sources = gr.HTML(elem_id="sources")
            send.click(respond, [box, chatbot], [chatbot, box, sources], api_name="chat",
                       show_progress="minimal", show_progress_on=[box])
            box.submit(respond, [box, chatbot], [chatbot, box, sources], api_name=False,
                       show_progress="minimal", show_progress_on=[box])
            clear.click(lambda: ([], "", ""), None, [chatbot, box, sources], api_name=False, queue=False)
            chatbot.like(on_like, [chatbot], None, api_name=False)
            hidden_q = gr.Textbox(visible=False)
            hidden_h = gr.Textbox(visible=False)
            hidden_out = gr.JSON(visible=False)
            gr.Button(visible=False).click(ask_api, [hidden_q, hidden_h], hidden_out, api_name="ask",
                                           api_visibility="undocumented")
            tools.register(bot, today, limit)  # typed API endpoints and MCP tools (ui/tools.py)

        with gr.Tab("条款查询", id="lookup"):
            with gr.Row():
                q = gr.Textbox(placeholder="输入引用或关键词，例如：10号文第19条、嘉政发[2024]10号（十九）、绿色工厂",
                               show_label=False, scale=8, max_length=limit, elem_id="lookup-query")
                go = gr.Button("查询", variant="primary", scale=1, elem_id="lookup-go")
            with gr.Row():
                picked = gr.Dropdown(label="结果", choices=[], scale=3, elem_id="lookup-picked")
                cite_box = gr.Textbox(label="引用（可一键复制）", buttons=["copy"], interactive=False, scale=3,
                                      elem_id="lookup-citation")
            results = gr.HTML(elem_id="lookup-results")
            go.click(do_lookup, q, [results, picked, cite_box], api_name="lookup")
            q.submit(do_lookup, q, [results, picked, cite_box], api_name=False)
            picked.change(lambda c: c or "", picked, cite_box, api_name=False, queue=False)
            gr.Markdown("#### 按文件浏览")
            with gr.Row():
                doc_dd = gr.Dropdown(list(doc_labels), label="文件", scale=3, elem_id="browse-doc")
                section_dd = gr.Dropdown([], label="部分", scale=2, elem_id="browse-section")
                clause_dd = gr.Dropdown([], label="条款", scale=2, elem_id="browse-clause")
                browse_cite = gr.Textbox(label="引用", buttons=["copy"], interactive=False, scale=2)
            clause_view = gr.HTML(elem_id="browse-view")
            doc_dd.change(browse_doc, doc_dd, section_dd, api_name=False)
            section_dd.change(browse_section, [doc_dd, section_dd], clause_dd, api_name=False)
            clause_dd.change(browse_clause, [doc_dd, clause_dd], [clause_view, browse_cite], api_name=False)
            api_doc, api_path = gr.Textbox(visible=False), gr.Textbox(visible=False)
            gr.Button(visible=False).click(browse_clause, [api_doc, api_path], [clause_view, browse_cite], api_name="clause")

        with gr.Tab("奖补计算", id="calc"):
            rule_dd = gr.Dropdown(list(rule_labels), label="奖补规则", elem_id="calc-rule")
            slots = []
            for i in range(MAX_SLOTS):
                with gr.Group():
                    slots.append(gr.Textbox(visible=False, elem_id=f"calc-text-{i}", max_length=64))
                    slots.append(gr.Dropdown(visible=False, elem_id=f"calc-choice-{i}"))
                    slots.append(gr.Checkbox(visible=False, elem_id=f"calc-flag-{i}"))
                    slots.append(gr.Markdown(visible=False, elem_id=f"calc-error-{i}"))
            inputs = [s for k, s in enumerate(slots) if k % 4 != 3]
            errors = [s for k, s in enumerate(slots) if k % 4 == 3]
            compute = gr.Button("计算", variant="primary", elem_id="calc-go")
            result = gr.Markdown(elem_id="calc-result")
            rule_dd.change(slot_updates, rule_dd, slots, api_name=False)
            compute.click(do_calc, [rule_dd, *inputs], [result, *errors], api_name=False)
            api_rule, api_inputs, api_out = gr.Textbox(visible=False), gr.Textbox(visible=False), gr.JSON(visible=False)
            gr.Button(visible=False).click(calc_api, [api_rule, api_inputs], api_out, api_name="calc",
                                           api_visibility="undocumented")

        from .match_tab import build_match_tab  # 政策匹配 (issue 16)
        build_match_tab(settings, today)
        with gr.Tab("关于", id="about"):
            gr.Markdown(render.about_markdown(corpus, today, index_line), elem_id="about")
    # After every event Gradio's queue rebuilds a pandas summary of up to 10,000 past events for its monitoring
    # dashboard, which this app switches off (it would publish traffic figures at /monitoring/summary). Under load
    # that summary was 40 % of the server's CPU per request. Recompute it rarely and keep fewer records, unless
    # the operator has set these Gradio knobs.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000000")
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    app.queue(default_concurrency_limit=settings.server.concurrency, max_size=settings.server.queue_max_size)
    return app

