"""The page's tools as typed functions: the same calls as the CLI, returned as the CLI's JSON.

They are registered with `gr.api` (see `register`), so each one is a Gradio API endpoint and, with
`mcp_server=True`, an MCP tool whose name is the function's name, whose description is the docstring (Chinese, then
English) and whose parameters are typed from the signature. They return JSON text, because Gradio's MCP layer gives
a client `str(value)`: a dict would arrive as a Python repr.

No `from __future__ import annotations` here: `gr.api` reads the annotations as types to build the JSON schema.
"""

import json
from typing import Any, Callable

import gradio as gr

from assistant.calculator import RULES, CalcInputError, MissingInputs, calculate
from assistant.errors import user_message
from assistant.lookup import QueryError, lookup

from . import inputs as checks


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def lookup_json(corpus, query: str, today, k: int, max_chars: int) -> dict:
    """`assistant lookup --json`: the same keys, the score left out."""
    result = lookup(corpus, query, today, k=k, max_chars=max_chars)
    data = result.model_dump(mode="json", exclude={"kind"})
    for m in data["matches"]:
        m.pop("score", None)
    data["kind"] = result.kind
    return data


def calc_json(rule_id: str, raw_inputs, today) -> dict:
    """`assistant calc --json`, or {"error", "field"|"missing"} for inputs that cannot be used."""
    try:
        return calculate(rule_id, checks.calculator_inputs(raw_inputs), today).model_dump(mode="json")
    except MissingInputs as exc:
        return {"error": str(exc), "missing": [s.name for s in exc.specs]}
    except CalcInputError as exc:
        return {"error": str(exc), "field": exc.field}
    except ValueError as exc:  # InputError, an unknown rule id
        return {"error": user_message(exc)}


def ask_json(bot, question, history, max_chars: int) -> dict:
    """`assistant ask --json`, or {"error"} when the question or the conversation cannot be used."""
    from assistant.cli import answer_json

    try:
        past = checks.history(history)
        if not isinstance(question, str):
            raise checks.InputError("question 应为文字。")
        return answer_json(bot.ask(question[: max_chars + 1], past))  # past the limit: the library says so
    except ValueError as exc:
        return {"error": user_message(exc)}


def rules_json() -> list[dict]:
    """`assistant calc --list --json`."""
    return [{"rule_id": r.id, "title": r.title, "citation": {"doc_no": r.doc_no, "clause": r.clause},
             "inputs": [i.model_dump() for i in r.inputs]} for r in RULES]


def make_tools(bot, today, max_chars: int) -> list[Callable]:
    """The MCP tools, in the order a client lists them."""

    def lookup_clause(query: str, k: int = 5) -> str:
        """按引用或关键词查《嘉兴市人民政府公报》2024年第04、05期的条款原文，例如“10号文第19条”“嘉政发〔2024〕14号 三（一）”“绿色工厂”；返回条款全文、文号、有效期。
        Look up clauses of the Jiaxing municipal gazette (2024 issues 04-05) by citation or keyword, e.g. "10号文第19条" or "绿色工厂"; returns each clause's verbatim text, document number, clause path and validity.

        Args:
            query: 引用（如“嘉政发[2024]10号（十九）”）或关键词 / a citation such as "嘉政发[2024]10号（十九）" or keywords
            k: 关键词查询最多返回几条（1-20） / at most this many clauses for a keyword query (1-20)
        """
        try:
            if not isinstance(query, str):
                raise checks.InputError("query 应为文字。")
            k = int(k) if isinstance(k, (int, float)) and not isinstance(k, bool) else 5
            return _dump(lookup_json(bot.corpus, query, today, max(1, min(20, k)), max_chars))
        except (QueryError, ValueError) as exc:
            return _dump({"error": user_message(exc)})

    def ask(question: str, history: list[dict[str, str]] | None = None) -> str:
        """向嘉兴市政策问答助手提问（依据《嘉兴市人民政府公报》2024年第04、05期作答）：回答注明文号和条款，数字出自原文或计算器；超出范围时礼貌拒答。
        Ask the Jiaxing gazette policy assistant a question in Chinese; the answer cites the document number and clause, every figure comes from the cited clause or the award calculator, and out-of-scope questions are refused.

        Args:
            question: 问题（中文，2000字以内） / the question, in Chinese, at most 2,000 characters
            history: 之前的对话，按顺序 [{"role": "user"|"assistant", "content": "…"}]，用于追问 / the conversation so far, oldest first, for follow-up questions
        """
        return _dump(ask_json(bot, question, history, max_chars))

    def calculate_award(rule_id: str, inputs: dict[str, str | float | bool]) -> str:
        """按公报条款计算奖补金额（确定性计算，注明条款与计算过程）；规则 id 和输入项见 list_award_rules。
        Compute an award or subsidy exactly as the cited gazette clause states it (deterministic, with the clause and the steps); rule ids and their inputs come from list_award_rules.

        Args:
            rule_id: 规则 id，例如 10-19-smart-upgrade / the rule id, e.g. 10-19-smart-upgrade
            inputs: 输入项，例如 {"investment": "3000万", "tier": "A", "strategic": "是"} / the rule's inputs by name; amounts may be written as 3000万 or 1.2亿元
        """
        if not isinstance(rule_id, str):
            return _dump({"error": "rule_id 应为文字，例如 10-19-smart-upgrade。"})
        return _dump(calc_json(rule_id, inputs, today))

    def list_award_rules() -> str:
        """列出全部奖补计算规则：规则 id、名称、所依据的文号和条款、输入项。
        List every award calculator rule: its id, title, the document number and clause it follows, and its inputs.
        """
        return _dump(rules_json())

    def match_policies(text: str, date: str | None = None) -> str:
        """政策匹配：根据企业自我介绍（行业、各年营收、研发费用、投资、亩数、今年新获得的认定等），列出可享受的奖补（含文号条款、金额、计算过程、有效期）、差一点达到的、还需补充的信息，以及按“就高不重复”合计的总额。
        Policy matching: from a company's own description in Chinese (industry, revenue and R&D by year, investments, areas, recognitions newly obtained), list every award it qualifies for (citation, exact amount, steps, validity), near misses with the gap, the figures still needed, and the total after 就高不重复.

        Args:
            text: 企业自我介绍（中文） / the company's description, in Chinese
            date: 匹配日期 YYYY-MM-DD，默认今天 / the date to match on, YYYY-MM-DD (default: today)
        """
        from assistant.matching import match_text

        try:
            if not isinstance(text, str) or not text.strip():
                raise ValueError("请提供企业的情况介绍（行业、营收、研发费用、投资、今年新获得的认定等）。")
            if len(text) > max_chars * 5:
                raise ValueError(f"介绍过长（{len(text)}字），请控制在{max_chars * 5}字以内。")
            return _dump(match_text(text, date or today))
        except Exception as exc:  # a client gets one sentence, never a traceback
            return _dump({"error": user_message(exc)})

    # `register` publishes every function of this list as an API endpoint and an MCP tool
    return [lookup_clause, ask, calculate_award, list_award_rules, match_policies]


def register(bot, today, max_chars: int) -> list[str]:
    """Publish the tools inside the current gr.Blocks. They run outside the queue (MCP calls them in-process
    without a loopback client, so they also work when the page has a login); each is a few milliseconds of
    work on inputs bounded by `ui.inputs`. Returns the Gradio endpoint names."""
    names = []
    for fn in make_tools(bot, today, max_chars):
        fn.gazette_tool = True  # ui.server keeps exactly these in the API docs and the MCP tool list
        # the MCP tool is named after the function; its Gradio endpoint may not reuse /ask, the page's JSON
        # endpoint for gradio_client users (queued, untyped, kept as it was)
        name = fn.__name__ if fn.__name__ != "ask" else "ask_tool"
        gr.api(fn, api_name=name, queue=False)
        names.append(name)
    return names
