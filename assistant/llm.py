"""Optional LLM rewrite over any OpenAI-compatible endpoint (vLLM, Ollama, a cloud API), always verified.

The LLM sees only the clauses the extractive answer already cites (numbered, with canonical ids) and the
calculation, if any. Before its reply is shown, `verify.Verifier` checks it (figures with their units and items,
negations, citations, links and images, prompt leaks); while it streams, only progress or a verified prefix is shown.
A failing reply, an endpoint that is down, slow or answers garbage: the extractive answer is shown, with a note.
The LLM never decides a number.

Time is bounded per answer, not per read: one `Deadline` (ASSISTANT_LLM_TIMEOUT) covers the follow-up rewrite, the
answer and its stream, and each call runs in a worker thread that the caller stops waiting for when the deadline
passes (an endpoint that trickles a token a second never resets it). An endpoint that fails
ASSISTANT_LLM_BREAKER_FAILURES times in a row is skipped for ASSISTANT_LLM_BREAKER_COOLDOWN seconds (`Breaker`).
"""

from __future__ import annotations

import logging
import queue
import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

import openai

from .prompts import CONDENSE_PROMPT, CONTEXT_TEMPLATE, SYSTEM_PROMPT, USER_TEMPLATE, CANNOT_ANSWER_PHRASE
from .settings import LLMSettings
from .turns import Draft
from .types import Clause
from .verify import Verifier, arabize, figures, verify  # noqa: F401  (verify: the one-call form)

log = logging.getLogger(__name__)

FALLBACK_NOTE = "大模型回答未通过核验（{why}），已改用原文摘录答案"
DOWN_NOTE = "大模型服务暂不可用（{why}），已改用原文摘录答案"
PROGRESS = "正在生成回答，逐句核验后显示……"
CONDENSE_SHARE = 0.5  # a follow-up's rewrite may use half of the answer's time; the answer keeps the rest


class LLMError(RuntimeError):
    """The endpoint failed: down, slow, an HTTP error, garbage. The message is the reason the note gives."""


def reason(exc: BaseException) -> str:
    """The user-facing reason for an endpoint failure, read from the openai SDK's exception types."""
    if isinstance(exc, openai.APITimeoutError):  # a subclass of APIConnectionError: first
        return "响应超时"
    if isinstance(exc, openai.APIConnectionError):
        return "无法连接"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, (openai.APIResponseValidationError, ValueError)):  # JSONDecodeError is a ValueError
        return "回复格式错误"
    if isinstance(exc, openai.OpenAIError):
        return "接口错误"
    return type(exc).__name__


# --------------------------------------------------------------------------------------------- time


class Deadline:
    """Seconds the LLM may take for one answer, counted from its first call (retrieval and composing, done
    before, are not the endpoint's time)."""

    def __init__(self, seconds: float, clock=time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self.end: float | None = None

    def remaining(self) -> float:
        if self.end is None:
            self.end = self.clock() + self.seconds
        return max(0.0, self.end - self.clock())


class Breaker:
    """Consecutive endpoint failures open it: for `cooldown_s` every answer skips the LLM at once. When the pause
    is over the next answer tries again; a failure re-opens it, a success closes it. Rejected replies are not
    failures: the endpoint answered."""

    def __init__(self, failures: int, cooldown_s: float, clock=time.monotonic) -> None:
        self.limit, self.cooldown_s, self.clock = failures, cooldown_s, clock
        self.failures = 0
        self.open_until = 0.0
        self._lock = threading.Lock()

    def paused_for(self) -> float:
        """Seconds left of the pause; 0 when the LLM may be called."""
        with self._lock:
            return max(0.0, self.open_until - self.clock())

    def record(self, ok: bool) -> None:
        with self._lock:
            if ok:
                self.failures = 0
                return
            self.failures += 1
            if self.failures >= self.limit:
                self.open_until = self.clock() + self.cooldown_s
                log.warning("LLM endpoint failed %d times in a row: skipped for %.0f s", self.failures, self.cooldown_s)


@dataclass
class Turn:
    """What the LLM may still do for one answer: its deadline, and why it is not used any more (when it is not)."""

    deadline: Deadline
    down: str | None = None


# --------------------------------------------------------------------------------------------- client


class LLMClient:
    """The openai SDK, one call at a time, no retries (the extractive answer is the retry)."""

    def __init__(self, cfg: LLMSettings) -> None:
        self.cfg = cfg
        self.canary = "CANARY-" + secrets.token_hex(6)
        self.breaker = Breaker(cfg.breaker_failures, cfg.breaker_cooldown_s)
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()

    def _sdk(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                self._client = openai.OpenAI(base_url=self.cfg.base_url, api_key=self.cfg.api_key,
                                             max_retries=0, timeout=self.cfg.timeout_s)
            return self._client

    def turn(self) -> Turn:
        """A new answer: its deadline starts now; an open breaker says so at once."""
        turn = Turn(Deadline(self.cfg.timeout_s))
        if (left := self.breaker.paused_for()) > 0:
            turn.down = f"连续{self.breaker.failures}次失败，约{max(1, round(left))}秒后再试"
        return turn

    def complete(self, messages: list[tuple[str, str]], turn: Turn | None = None, share: float = 1.0) -> str:
        return "".join(self._call(messages, turn or self.turn(), share, streaming=False))

    def stream(self, messages: list[tuple[str, str]], turn: Turn | None = None) -> Iterator[str]:
        return self._call(messages, turn or self.turn(), 1.0, streaming=True)

    def _call(self, messages, turn: Turn, share: float, streaming: bool) -> Iterator[str]:
        """Pieces of the reply as they arrive. Raises LLMError when the endpoint fails or the deadline passes; the
        failure is counted by the breaker and marks the turn, so nothing else of this answer waits for it."""
        if turn.down:
            raise LLMError(turn.down)
        budget = turn.deadline.remaining() * share
        if budget < 0.05:
            turn.down = "响应超时"
            raise LLMError(turn.down)
        end = time.monotonic() + budget
        pieces: queue.Queue = queue.Queue()
        cancel = threading.Event()
        threading.Thread(target=self._pump, args=(messages, budget, streaming, pieces, cancel), daemon=True,
                         name="llm-call").start()
        got = False
        try:
            while True:
                try:
                    kind, item = pieces.get(timeout=max(0.0, end - time.monotonic()))
                except queue.Empty:
                    raise LLMError("响应超时") from None
                if kind == "error":
                    raise LLMError(reason(item)) from item
                if kind == "done":
                    break
                got = True
                yield item
            if not got:
                raise LLMError("空回复")
        except LLMError as exc:
            self.breaker.record(False)
            turn.down = str(exc)
            raise
        finally:
            cancel.set()  # the worker stops at its next piece; a blocked read ends by its own timeout (the budget)
        self.breaker.record(True)

    def _pump(self, messages, budget: float, streaming: bool, pieces: queue.Queue, cancel: threading.Event) -> None:
        msgs = [{"role": "user" if role == "human" else role, "content": text} for role, text in messages]
        try:
            create = self._sdk().chat.completions.create
            if streaming:
                with create(model=self.cfg.model, messages=msgs, temperature=0, stream=True, timeout=budget) as chunks:
                    for chunk in chunks:
                        if cancel.is_set():
                            return
                        text = chunk.choices[0].delta.content if chunk.choices else None
                        if isinstance(text, str) and text:
                            pieces.put(("piece", text))
            else:
                reply = create(model=self.cfg.model, messages=msgs, temperature=0, timeout=budget)
                text = reply.choices[0].message.content if getattr(reply, "choices", None) else None
                if isinstance(text, str) and text.strip():
                    pieces.put(("piece", text))
            pieces.put(("done", None))
        except Exception as exc:  # noqa: BLE001 - handed to the caller, which sorts it by type
            pieces.put(("error", exc))


# --------------------------------------------------------------------------------------------- prompt


def build_messages(canary: str, question: str, clauses: list[Clause], calc: dict | None,
                   name: str = "政策问答助手") -> list[tuple[str, str]]:
    """`name`: the assistant's name (the gazette's data file); the citation format is shown on the first clause."""
    context = "\n\n".join(CONTEXT_TEMPLATE.format(n=i, citation=c.citation, heading=c.heading, text=c.text)
                          for i, c in enumerate(clauses, 1))
    calc_text = ""
    if calc:
        calc_text = (f"计算结果（计算器给出，金额以此为准）：{calc.get('title')}，{calc.get('result_label')}"
                     f" {calc.get('amount_yuan')} 元；步骤：{'；'.join(calc.get('steps') or [])}")
    example = clauses[0].citation if clauses else "文号 条款"
    system = SYSTEM_PROMPT.format(name=name, example=example, cannot=CANNOT_ANSWER_PHRASE, canary=canary)
    return [("system", system), ("human", USER_TEMPLATE.format(context=context, calc=calc_text, question=question))]


# --------------------------------------------------------------------------------------------- chain steps


def context_for(assistant, state: Draft) -> list[Clause]:
    corpus = assistant.corpus
    out = []
    for c in state.citations:
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


def verifier_for(assistant, state: Draft, clauses: list[Clause], messages) -> Verifier:
    return Verifier(clauses, state.calculation, state.resolved, assistant.llm.canary, messages[0][1],
                    _allowed_dates(assistant, clauses))


def _down(state: Draft, why: str) -> Draft:
    return replace(state, notes=(*state.notes, DOWN_NOTE.format(why=why)))


def rewrite_with_llm(assistant, state: Draft) -> Draft:
    """Ask the LLM to rewrite the grounded answer; keep it only if it verifies."""
    llm = assistant.llm
    clauses = context_for(assistant, state)
    if not clauses:
        return state
    turn = state.llm_turn or llm.turn()
    messages = build_messages(llm.canary, state.resolved, clauses, state.calculation,
                              assistant.corpus.texts.assistant_name)
    try:
        reply = llm.complete(messages, turn)
    except LLMError as exc:
        return _down(state, str(exc))
    return accept_reply(assistant, state, reply, clauses, messages)


def stream_answer(assistant, state: Draft) -> Iterator[tuple[str, object]]:
    """("partial", text) while the LLM writes — progress, or the longest prefix of whole sentences that passes
    verification, never an unverified figure — then ("state", the final state)."""
    llm = assistant.llm
    clauses = context_for(assistant, state)
    turn = state.llm_turn or llm.turn()
    if not clauses:
        yield "state", state
        return
    if turn.down:
        yield "state", _down(state, turn.down)
        return
    messages = build_messages(llm.canary, state.resolved, clauses, state.calculation,
                              assistant.corpus.texts.assistant_name)
    check = verifier_for(assistant, state, clauses, messages)
    yield "partial", PROGRESS
    buf, shown = "", 0
    try:
        for piece in llm.stream(messages, turn):
            buf += piece
            cut = max(buf.rfind(ch) for ch in "。！？；\n") + 1
            if cut > shown and not check.problems(buf[:cut]):
                shown = cut
                yield "partial", buf[:cut]
    except LLMError as exc:
        yield "state", _down(state, str(exc))
        return
    yield "state", accept_reply(assistant, state, buf, clauses, messages, check)


def accept_reply(assistant, state: Draft, reply: str, clauses: list[Clause], messages,
                 check: Verifier | None = None) -> Draft:
    """Keep a (complete) LLM reply only if it verifies; otherwise the extractive answer with a note."""
    problems = (check or verifier_for(assistant, state, clauses, messages)).problems(reply)
    if problems:
        log.warning("LLM reply rejected: %s", problems)
        return replace(state, notes=(*state.notes, FALLBACK_NOTE.format(why="；".join(problems[:2]))))
    text = reply.strip()
    warnings = state.warnings
    missing = [w for w in warnings if w not in text]
    if missing:
        text += "\n" + "\n".join(missing)
    return replace(state, answer=text, llm_used=True)


# --------------------------------------------------------------------------------------------- follow-ups


def condense(assistant, question: str, history: list[dict], fallback: str, turn: Turn | None = None) -> str:
    """The LLM's standalone version of a follow-up, when it keeps what the asker said; otherwise `fallback` (the
    rule-based rewrite, assistant/followup.py). Uses at most half of the answer's time."""
    llm = assistant.llm
    turn = turn or llm.turn()
    turns = "\n".join(f"{h.get('role')}: {str(h.get('content'))[:300]}" for h in history[-6:])
    try:
        out = llm.complete([("human", CONDENSE_PROMPT.format(history=turns, question=question))], turn,
                           share=CONDENSE_SHARE).strip()
    except LLMError:
        return fallback
    out = out.splitlines()[0].strip() if out else ""
    out = re.sub(r"^(独立问题|改写后的问题|问题)\s*[:：]\s*", "", out).strip(" \"“”'")
    why = rewrite_problem(assistant, question, history, fallback, out)
    if why:
        log.warning("LLM follow-up rewrite rejected (%s); the rule-based one is used", why)
        return fallback
    return out


def _figures_of(text: str) -> set:
    """The figures of a question; a 文号 ("嘉政发〔2024〕10号", "10号文") is a document, not a figure."""
    from .citations import DOC_RE

    return {(f.kind, f.value) for f in figures(arabize(DOC_RE.sub(" ", text)))}


def _documents_of(text: str) -> set[str]:
    from .citations import DOC_RE
    from .numerals import parse_number

    out = set()
    for m in DOC_RE.finditer(text):
        try:
            out.add(str(parse_number(m.group("num"))))
        except ValueError:
            continue
    return out


PROMPT_WORDS = ("对话历史", "独立问题", "追问：", "内部标识", "只输出改写后的问题")


def rewrite_problem(assistant, question: str, history: list[dict], fallback: str, out: str) -> str | None:
    """Why the LLM's rewrite cannot stand for the asker's question; None when it can. It must be a question of
    reasonable length that echoes no prompt, routes like the rule-based rewrite (an echoed instruction must not
    make the asker's question a refused injection), names the same items (国家级/省级/市级, A档…, the same 文号)
    and only figures the asker gave."""
    from .followup import GENERAL_SLOTS, TIER_RE, _mentioned
    from .router import route

    if not out or len(out) > 200 or assistant.llm.canary in out:
        return "空、过长或含内部标识"
    name = assistant.corpus.texts.assistant_name
    prompts = CONDENSE_PROMPT + "\n" + SYSTEM_PROMPT.replace("{name}", name).replace("{example}", "")
    lines = [ln.strip() for ln in prompts.splitlines() if len(ln.strip()) >= 8 and "{" not in ln]
    if any(w in out for w in (*PROMPT_WORDS, name)) or any(ln[:12] in out for ln in lines):
        return "复述提示"
    corpus_text, limit = assistant.corpus_text, assistant.settings.max_question_chars
    refused = {"empty", "too_long", "injection", "chitchat", "out_of_scope"}
    known = assistant.corpus.knowledge
    if route(out, corpus_text, limit, known).kind in refused and route(fallback, corpus_text, limit, known).kind not in refused:
        return "把问题变成了无法回答的问题"
    for slot in GENERAL_SLOTS + known.slots:
        if {v for v, _ in _mentioned(slot, out)} != {v for v, _ in _mentioned(slot, fallback)}:
            return "改变了所问对象"
    if {t.upper() for t in TIER_RE.findall(out)} != {t.upper() for t in TIER_RE.findall(fallback)}:
        return "改变了档次"
    said = " ".join([question, fallback] + [str(h.get("content")) for h in history if h.get("role") == "user"])
    given, mine, asked = (_figures_of(t) for t in (said, out, question))
    if not mine <= given or not asked <= mine:
        return "改变了数字"
    talked = " ".join([question, fallback] + [str(h.get("content")) for h in history])  # answers cite documents
    if not _documents_of(out) <= _documents_of(talked) or not _documents_of(fallback) <= _documents_of(out) | _documents_of(talked):
        return "改变了文号"
    return None
