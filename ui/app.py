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
from assistant.calculator.search import search_rules
from assistant.errors import user_message
from assistant.lookup import QueryError, lookup
from assistant.settings import Settings

from . import calc_form, render, tools
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
        """Verdict first: the bubble opens with the validity of what it cites, then the asker's figure, the quote and
        the citation; the source cards go right under the conversation."""
        history = list(history or [])
        question = (message or "")[: limit + 1]
        past = [{"role": h.get("role"), "content": render.plain_text(_text(h.get("content")))}
                for h in history if isinstance(h, dict)]
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
        history.append({"role": "assistant", "content": render.answer_bubble(corpus, answer, today, _shown)})
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
            return f'<p class="calc-error">{html.escape(str(exc))}</p>', gr.update(choices=[], value=None), ""
        cites = [m.citation for m in res.matches]
        return (render.lookup_results(res, corpus, today), gr.update(choices=cites, value=cites[0] if cites else None),
                cites[0] if cites else "")

    docs = [d for d in corpus.documents if d.clauses]
    doc_labels = {f"{d.doc_no or ''} {d.title}".strip(): d for d in docs}
    # shown: 文号 and the title without "嘉兴市人民政府关于印发…的通知" (a phone shows about 18 characters); the value
    # stays the full label, which the /clause API takes
    doc_choices = [(render.short_title(d), label) for label, d in doc_labels.items()]
    first_doc = next((label for label, d in doc_labels.items() if d.doc_no), next(iter(doc_labels), None))

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
    label_of = {v: k for k, v in rule_labels.items()}

    def find_rules(query: str, current: str | None):
        """Rules that fit everyday words (技改, 种粮, 投资): the rule table's own titles, keywords and categories."""
        found = [label_of[r.id] for r in search_rules(query or "")]
        head = f"奖补规则（找到 {len(found)} 条）" if (query or "").strip() else f"奖补规则（共 {len(RULES)} 条）"
        if not found:
            return gr.update(choices=list(rule_labels), value=current, label="奖补规则（没有找到，可从全部规则中选）")
        keep = current if current in found else found[0]  # typing on does not reset a rule already chosen
        return gr.update(choices=found, value=keep, label=head)

    def slot_updates(label: str):
        """The fields of the chosen rule, each with its unit as a suffix; nothing shown until a rule is chosen."""
        rule = RULES_BY_ID.get(rule_labels.get(label or "", ""))
        updates = []
        for i in range(MAX_SLOTS):
            spec = rule.inputs[i] if rule and i < len(rule.inputs) else None
            need = "" if not spec or spec.required else "（选填）"
            unit = calc_form.field_unit(rule, spec) if spec else ""
            numeric = bool(spec and spec.kind in ("money", "count", "percent"))
            classes = ["calc-field", "unit-suffix", calc_form.UNIT_CLASS[unit]] if numeric and unit in calc_form.UNIT_CLASS else ["calc-field"]
            updates.append(gr.update(visible=numeric, label=f"{spec.label}{need}" if spec else "",
                                     info=calc_form.hint(rule, spec) if spec else "", value="", elem_classes=classes,
                                     placeholder="例如 3000" if unit == "万元" else ""))
            updates.append(gr.update(visible=bool(spec and spec.kind == "choice"), label=f"{spec.label}{need}" if spec else "",
                                     choices=list(spec.choices) if spec and spec.kind == "choice" else [], value=None))
            updates.append(gr.update(visible=bool(spec and spec.kind == "bool"), label=spec.label if spec else "",
                                     value=bool(spec.default) if spec and spec.kind == "bool" else False))
            updates.append(gr.update(value="", visible=False))
        info = render.rule_info(corpus, rule, today) if rule else ""
        groups = [gr.update(visible=bool(rule and i < len(rule.inputs))) for i in range(MAX_SLOTS)]
        hint = "" if rule else '<p class="meta">先在上面输入关键词找到规则，再填写数额。</p>'
        return [*updates, *groups, info, gr.update(visible=rule is not None), hint]

    def do_calc(label: str, *values):
        rule = RULES_BY_ID.get(rule_labels.get(label or "", ""))
        errors = [gr.update(value="", visible=False) for _ in range(MAX_SLOTS)]
        if rule is None:
            return '<p class="calc-error">请先在上面查找并选择一条奖补规则。</p>', *errors
        inputs, questions = {}, {}
        for i, spec in enumerate(rule.inputs):
            text, choice, flag = values[3 * i: 3 * i + 3]
            v = {"choice": choice, "bool": flag}.get(spec.kind, text)
            if spec.kind in ("money", "count", "percent") and isinstance(v, str):
                if q := calc_form.unit_question(rule, spec, v):
                    questions[i] = q
                v = calc_form.as_entered(rule, spec, v)
            if v not in (None, ""):
                inputs[spec.name] = v
        for i, q in questions.items():
            errors[i] = gr.update(value=f"⚠ {html.escape(q)}", visible=True)
        try:
            calc = calculate(rule.id, inputs, today)
        except MissingInputs as exc:
            for s in exc.specs:
                i = rule.inputs.index(s)
                errors[i] = gr.update(value=f"⚠ 请填写{html.escape(s.label)}", visible=True)
            return f'<p class="calc-error">{html.escape(str(exc))}</p>', *errors
        except CalcInputError as exc:
            i = next((k for k, s in enumerate(rule.inputs) if exc.field.startswith(s.label) or exc.field == s.name), None)
            if i is not None:
                errors[i] = gr.update(value=f"⚠ {html.escape(questions.get(i) or exc.message)}", visible=True)
            return f'<p class="calc-error">输入有误：{html.escape(str(exc))}</p>', *errors
        check = "".join(f'<div class="warn">请核对：{html.escape(q)}下面按您填写的数计算。</div>' for q in questions.values())
        return render.calc_html(corpus, calc, rule, today, notice=check), *errors

    # ----------------------------------------------------------------------------------- layout

    # Phone first (a 65-year-old on a 390 px screen, a hotline desk at 1440 px): the conversation grows with the page
    # (no second scroller inside it), the source cards follow the answer directly, the examples step aside after the
    # first question, and every string is Chinese.
    scroll_to_answer = """() => { const bots = document.querySelectorAll('#chatbot .message-row.bot-row, #chatbot .bot');
        const last = bots[bots.length - 1]; if (last) last.scrollIntoView({block: 'start'}); }"""
    with gr.Blocks(title="嘉兴市政策问答助手") as app:
        gr.Markdown("## 嘉兴市政策问答助手\n依据《嘉兴市人民政府公报》2024年第04、05期作答，每个回答注明文号和条款，以公报原文为准。",
                    elem_id="intro")
        with gr.Tab("智能问答", id="chat"):
            chatbot = gr.Chatbot(label="对话", show_label=False, height="auto", elem_id="chatbot", line_breaks=True,
                                 feedback_options=("Like", "Dislike"), buttons=["copy"], autoscroll=False,
                                 placeholder="您好！请直接输入问题，比如“种粮大户有什么补贴？”。每个回答都先说政策是否有效，"
                                             "再给出原文和文号。")
            sources = gr.HTML(elem_id="sources")
            with gr.Row(elem_id="ask-row"):
                box = gr.Textbox(placeholder="请输入问题，例如：种粮大户有什么补贴？", show_label=False, scale=8,
                                 max_length=limit, elem_id="question", lines=1, max_lines=4)
                send = gr.Button("发送", variant="primary", scale=1, elem_id="send", min_width=80)
                clear = gr.Button("清空对话", scale=1, elem_id="clear", min_width=100)
            with gr.Column(elem_id="examples") as examples_col:
                examples = gr.Examples(EXAMPLES, inputs=box, label="示例问题（点一下即提问）")
            chat_in, chat_out = [box, chatbot], [chatbot, box, sources]
            send.click(respond, chat_in, chat_out, api_name="chat", show_progress="minimal", show_progress_on=[box]
                       ).then(None, None, None, js=scroll_to_answer)
            box.submit(respond, chat_in, chat_out, api_name=False, show_progress="minimal", show_progress_on=[box]
                       ).then(None, None, None, js=scroll_to_answer)
            examples.load_input_event.then(respond, chat_in, chat_out, api_name=False, show_progress="minimal",
                                           show_progress_on=[box]).then(None, None, None, js=scroll_to_answer)
            clear.click(lambda: ([], "", ""), None, chat_out, api_name=False, queue=False)
            chatbot.change(lambda h: gr.update(visible=not h), chatbot, examples_col, api_name=False, queue=False)
            chatbot.like(on_like, [chatbot], None, api_name=False)
            hidden_q = gr.Textbox(visible=False)
            hidden_h = gr.Textbox(visible=False)
            hidden_out = gr.JSON(visible=False)
            gr.Button(visible=False).click(ask_api, [hidden_q, hidden_h], hidden_out, api_name="ask",
                                           api_visibility="undocumented")
            tools.register(bot, today, limit)  # typed API endpoints and MCP tools (ui/tools.py)

        with gr.Tab("条款查询", id="lookup"):
            with gr.Row(elem_id="lookup-row"):
                q = gr.Textbox(placeholder="输入引用或关键词，例如：10号文第19条、嘉政发[2024]10号（十九）、绿色工厂",
                               show_label=False, scale=8, max_length=limit, elem_id="lookup-query")
                go = gr.Button("查询", variant="primary", scale=1, elem_id="lookup-go", min_width=80)
            # one card per candidate (badge, 复制引用 / 复制引用和原文); the two hidden fields keep the /lookup API
            results = gr.HTML(elem_id="lookup-results")
            picked = gr.Dropdown(choices=[], visible=False, elem_id="lookup-picked")
            cite_box = gr.Textbox(visible=False, elem_id="lookup-citation")
            go.click(do_lookup, q, [results, picked, cite_box], api_name="lookup")
            q.submit(do_lookup, q, [results, picked, cite_box], api_name=False)
            gr.Markdown("#### 按文件浏览")
            d0 = doc_labels.get(first_doc)
            tops0 = [c.path for c in top_units(d0)]
            paths0 = [c.path for c in under(d0, tops0[0])] if tops0 else []
            with gr.Row(elem_id="browse-row"):
                doc_dd = gr.Dropdown(doc_choices, value=first_doc, label="文件", scale=3, elem_id="browse-doc")
                section_dd = gr.Dropdown(tops0, value=tops0[0] if tops0 else None, label="部分", scale=2,
                                         elem_id="browse-section")
                clause_dd = gr.Dropdown(paths0, value=paths0[0] if paths0 else None, label="条款", scale=2,
                                        elem_id="browse-clause")
            view0, cite0 = browse_clause(first_doc, paths0[0]) if paths0 else ("", "")
            clause_view = gr.HTML(view0, elem_id="browse-view")
            browse_cite = gr.Textbox(cite0, visible=False)
            doc_dd.change(browse_doc, doc_dd, section_dd, api_name=False)
            section_dd.change(browse_section, [doc_dd, section_dd], clause_dd, api_name=False)
            clause_dd.change(browse_clause, [doc_dd, clause_dd], [clause_view, browse_cite], api_name=False)
            api_doc, api_path = gr.Textbox(visible=False), gr.Textbox(visible=False)
            gr.Button(visible=False).click(browse_clause, [api_doc, api_path], [clause_view, browse_cite], api_name="clause")

        with gr.Tab("奖补计算", id="calc"):
            rule_q = gr.Textbox(label="查找奖补规则", placeholder="用平常的话说，例如：技改、种粮、绿色工厂、出口保险、研发",
                                elem_id="calc-search", max_length=64)
            rule_dd = gr.Dropdown(list(rule_labels), value=None, label=f"奖补规则（共 {len(RULES)} 条）",
                                  elem_id="calc-rule")
            rule_view = gr.HTML(elem_id="calc-rule-info")
            slots, groups = [], []
            for i in range(MAX_SLOTS):
                with gr.Group(visible=False) as group:
                    groups.append(group)
                    slots.append(gr.Textbox(visible=False, elem_id=f"calc-text-{i}", max_length=64))
                    slots.append(gr.Dropdown(visible=False, elem_id=f"calc-choice-{i}"))
                    slots.append(gr.Checkbox(visible=False, elem_id=f"calc-flag-{i}"))
                    slots.append(gr.Markdown(visible=False, elem_id=f"calc-error-{i}", elem_classes=["calc-error"]))
            inputs = [s for k, s in enumerate(slots) if k % 4 != 3]
            errors = [s for k, s in enumerate(slots) if k % 4 == 3]
            compute = gr.Button("计算", variant="primary", elem_id="calc-go", visible=False)
            result = gr.HTML('<p class="meta">先在上面输入关键词找到规则，再填写数额。</p>', elem_id="calc-result")
            rule_q.change(find_rules, [rule_q, rule_dd], rule_dd, api_name=False, queue=False)
            rule_dd.change(slot_updates, rule_dd, [*slots, *groups, rule_view, compute, result], api_name=False)
            compute.click(do_calc, [rule_dd, *inputs], [result, *errors], api_name=False)
            api_rule, api_inputs, api_out = gr.Textbox(visible=False), gr.Textbox(visible=False), gr.JSON(visible=False)
            gr.Button(visible=False).click(calc_api, [api_rule, api_inputs], api_out, api_name="calc",
                                           api_visibility="undocumented")

        from .match_tab import build_match_tab  # 政策匹配 (issue 16)
        build_match_tab(settings, today)
        with gr.Tab("关于", id="about"):
            gr.Markdown(render.about_markdown(corpus, today, index_line), elem_id="about")
    for block in app.blocks.values():  # all tabs stay in view on a phone (Gradio would fold some into a "…" menu)
        if isinstance(block, gr.Tabs):
            block.overflow_behavior = "wrap"
    # After every event Gradio's queue rebuilds a pandas summary of up to 10,000 past events for its monitoring
    # dashboard, which this app switches off (it would publish traffic figures at /monitoring/summary). Under load
    # that summary was 40 % of the server's CPU per request. Recompute it rarely and keep fewer records, unless
    # the operator has set these Gradio knobs.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000000")
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    app.queue(default_concurrency_limit=settings.server.concurrency, max_size=settings.server.queue_max_size)
    return app
