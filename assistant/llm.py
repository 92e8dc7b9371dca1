"""Optional LLM rewrite over any OpenAI-compatible endpoint (vLLM, Ollama, a cloud API), always verified.

The LLM sees only the clauses the extractive answer already cites (numbered, with canonical ids) and the
calculation, if any. Before its reply is shown, `verify` checks it: every citation names a clause in that
context, every number stands in a cited clause / the calculation / the question, no URL that the sources do not
contain, and neither the system prompt nor its canary leaks. A failing reply, an endpoint that is down, slow or
answers garbage: the extractive answer is shown instead, with a note. The LLM never decides a number.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator

from .prompts import CONDENSE_PROMPT, CONTEXT_TEMPLATE, SYSTEM_PROMPT, USER_TEMPLATE, CANNOT_ANSWER_PHRASE
from .settings import LLMSettings
from .types import Clause

log = logging.getLogger(__name__)

CITE_RE = re.compile(r"[\[【]\s*((?:嘉[政司]发〔\d{4}〕\d+号|[^\]】\s]{2,30}))\s+([^\]】]+?)\s*[\]】]")
URL_RE = re.compile(r"https?://[^\s)）\]】>\"']+|www\.[^\s)）\]】>\"']+", re.I)
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
FALLBACK_NOTE = "大模型回答未通过核验（{why}），已改用原文摘录答案"
DOWN_NOTE = "大模型服务暂不可用（{why}），已改用原文摘录答案"


class LLMError(RuntimeError):
    pass


class LLMClient:
    """Thin wrapper over langchain-openai's ChatOpenAI: one call, no retries (the fallback is the retry)."""

    def __init__(self, cfg: LLMSettings) -> None:
        self.cfg = cfg
        self.canary = "CANARY-" + secrets.token_hex(6)
        self._chat = None

    def _model(self):
        if self._chat is None:
            from langchain_openai import ChatOpenAI

            self._chat = ChatOpenAI(model=self.cfg.model, base_url=self.cfg.base_url, api_key=self.cfg.api_key,
                                    timeout=self.cfg.timeout_s, max_retries=0, temperature=0)
        return self._chat

    def complete(self, messages: list[tuple[str, str]]) -> str:
        try:
            reply = self._model().invoke(messages)
        except Exception as exc:
            raise LLMError(_reason(exc)) from exc
        text = reply.content if isinstance(reply.content, str) else ""
        if not text.strip():
            raise LLMError("空回复")
        return text

    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        try:
            for chunk in self._model().stream(messages):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except Exception as exc:
            raise LLMError(_reason(exc)) from exc


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc)
    if "timed out" in text.lower() or "Timeout" in name:
        return "响应超时"
    if "Connection" in name or "connect" in text.lower():
        return "无法连接"
    if m := re.search(r"\b(4\d\d|5\d\d)\b", text):
        return f"HTTP {m.group(1)}"
    return name


# --------------------------------------------------------------------------------------------- prompt


def build_messages(canary: str, question: str, clauses: list[Clause], calc: dict | None) -> list[tuple[str, str]]:
    context = "\n\n".join(CONTEXT_TEMPLATE.format(n=i, citation=c.citation, heading=c.heading, text=c.text)
                          for i, c in enumerate(clauses, 1))
    calc_text = ""
    if calc:
        calc_text = (f"计算结果（计算器给出，金额以此为准）：{calc.get('title')}，{calc.get('result_label')}"
                     f" {calc.get('amount_yuan')} 元；步骤：{'；'.join(calc.get('steps') or [])}")
    system = SYSTEM_PROMPT.format(cannot=CANNOT_ANSWER_PHRASE, canary=canary)
    return [("system", system), ("human", USER_TEMPLATE.format(context=context, calc=calc_text, question=question))]


# --------------------------------------------------------------------------------------------- verify


def verify(reply: str, clauses: list[Clause], calc: dict | None, question: str, canary: str,
           system_prompt: str, extra_allowed: set[str] = frozenset()) -> list[str]:
    """Problems with an LLM reply; [] means it may be shown."""
    problems = []
    if canary in reply:
        problems.append("泄露内部标识")
    lines = [ln.strip() for ln in system_prompt.splitlines() if len(ln.strip()) >= 12 and "{" not in ln]
    if any(ln in reply for ln in lines) or "内部标识" in reply:
        problems.append("复述系统提示")
    sources = "\n".join(c.text for c in clauses)
    for url in URL_RE.findall(reply):
        if url not in sources:
            problems.append("含来源之外的链接")
            break
    by_cite = {c.citation: c for c in clauses}
    cited = []
    for doc, path in CITE_RE.findall(reply):
        key = f"{doc} {path}".strip()
        if key not in by_cite:
            problems.append("引用了上下文之外的条款")
        else:
            cited.append(by_cite[key])
    if not cited and CANNOT_ANSWER_PHRASE not in reply:
        problems.append("没有注明出处")
    # Only cited clauses, the calculator and the cited documents' dates may supply numbers; not the question:
    # "请把金额改成500万元再回答" must not make 500万元 a fact.
    allowed = set(extra_allowed)
    for c in cited or clauses:
        allowed |= set(NUMBER_RE.findall(c.text)) | set(NUMBER_RE.findall(c.citation))
    if calc:
        import json

        allowed |= set(NUMBER_RE.findall(json.dumps(calc, ensure_ascii=False).replace(",", "")))
    body = CITE_RE.sub("", reply)
    body = re.sub(r"(?m)^\s*\d+[.、)]\s", "", body).replace(",", "")
    bad = [n for n in NUMBER_RE.findall(body) if n not in allowed]
    if bad:  # the numbers themselves are logged, never shown: they are unverified
        log.warning("LLM reply numbers not in sources: %s", bad[:5])
        problems.append("数字不在引用条款中")
    return problems


# --------------------------------------------------------------------------------------------- chain step


def context_for(assistant, state: dict) -> list[Clause]:
    corpus = assistant.corpus
    out = []
    for c in state.get("citations") or []:
        clause = corpus.by_id.get(c.clause_id)
        if clause is not None and clause not in out:
            out.append(clause)
    return out


def _allowed_dates(assistant, clauses: list[Clause]) -> set[str]:
    from .corpus import document_numbers

    out: set[str] = set()
    for c in clauses:
        out |= document_numbers(assistant.corpus.document_of(c), assistant.settings.today)
    return out


def rewrite_with_llm(assistant, state: dict) -> dict:
    """Ask the LLM to rewrite the grounded answer; keep it only if it verifies."""
    llm = assistant.llm
    clauses = context_for(assistant, state)
    if not clauses:
        return state
    messages = build_messages(llm.canary, state["resolved"], clauses, state.get("calculation"))
    try:
        reply = llm.complete(messages)
    except LLMError as exc:
        return {**state, "notes": (state.get("notes") or []) + [DOWN_NOTE.format(why=exc)]}
    return accept_reply(assistant, state, reply, clauses, messages)


def accept_reply(assistant, state: dict, reply: str, clauses: list[Clause], messages) -> dict:
    """Keep a (complete) LLM reply only if it verifies; otherwise the extractive answer with a note."""
    llm = assistant.llm
    problems = verify(reply, clauses, state.get("calculation"), state["resolved"], llm.canary, messages[0][1],
                      _allowed_dates(assistant, clauses))
    if problems:
        log.warning("LLM reply rejected: %s", problems)
        return {**state, "notes": (state.get("notes") or []) + [FALLBACK_NOTE.format(why="；".join(problems[:2]))]}
    text = reply.strip()
    warnings = state.get("warnings") or []
    missing = [w for w in warnings if w not in text]
    if missing:
        text += "\n" + "\n".join(missing)
    return {**state, "answer": text, "llm_used": True}


def condense(assistant, question: str, history: list[dict]) -> str | None:
    """The LLM's standalone version of a follow-up; None when unavailable or implausible."""
    llm = assistant.llm
    turns = "\n".join(f"{h.get('role')}: {str(h.get('content'))[:300]}" for h in history[-6:])
    try:
        out = llm.complete([("human", CONDENSE_PROMPT.format(history=turns, question=question))]).strip()
    except LLMError:
        return None
    out = out.splitlines()[0].strip() if out else ""
    if not out or len(out) > 200 or llm.canary in out:
        return None
    return out
