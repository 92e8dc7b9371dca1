"""The answer chain: one LangChain runnable that normalises, routes, answers and verifies.

    prepare (normalise, resolve follow-ups) -> route -> branch:
        refusal | lookup (citation grammar) | calculation (calculator tool) | policy (hybrid retrieval + composer)
    -> optional LLM rewrite, verified -> finalize (the Answer record)

Each step takes and gives a typed, frozen record (Ask -> Prepared -> Routed -> Draft -> Answer, assistant/turns.py);
the pipeline checks that the steps connect when it is built.

Without an LLM (the default) every answer is composed from clause text; with one, the LLM may only rewrite what
the cited clauses support, and anything it says that fails verification is replaced by the composed answer.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from dataclasses import dataclass, replace
from typing import Any

from pydantic import Field

from .abbrev import expand as expand_abbreviations
from .homophone import FUNCTION, respell as respell_homophones
from .pinyin import respell as respell_pinyin
from .calculator import CalcInputError, MissingInputs, calculate, calculate_whatever_missing
from .calculator.render import render_calculation
from .citations import DOC_RE, match_documents, parse_citation, resolve
from .compose import (DOCUMENT_WORDS, MATCH, MONEY_INTENT, RELATED, RESPONSIBLE_INTENT, Composed, best_sentence,
                      citation_of, clause_warnings, compose_clause_quote, compose_list, compose_single, coverage,
                      distinctive, document_coverage, everyday_named, expanded_terms, missing_subject,
                      names_category_in, query_terms, soft_candidates, split_sentences, unfigured_subject)
from .corpus import Corpus, validity_status
from .docfacts import (APPLY_NOW, addressee_answer, appointment_count_answer, issuer_answer, section_answer, signed_answer,
                       structure_answer, validity_answer, years_outside_term)
from .followup import ASKS, YEAR_RE, asked_years, follow_up_core, is_short, own_question, resolve_history, resolve_previous
from .numerals import parse_number
from .parts import ASK, asked_questions, split_parts, without_circumstances
from .prompts import HOTLINE, NOT_FOUND_OPENING
from .retrieval import Filters, HybridRetriever
from .router import Route, is_bare_reference, route
from .settings import Settings
from .statements import (AWARD_RATE, CLASSIFIER, GRANT_Q, JI, NOT_COUNTS, asks_count, asks_value, checked_kinds, rate_named,
                         statements, wanted_kinds)
from .textnorm import normalize_query, to_simplified
from .turns import Ask, Draft, Prepared, Routed, connect, draft, routed
from .types import AnswerKind, Citation, Clause, Record

log = logging.getLogger(__name__)

# a demonstrative with its classifier ("这条", "那项", "该款"): it points back at what was said, it names nothing (a closed
# class of Chinese grammar)
DEMONSTRATIVE = re.compile(r"[这那该此本][一]?[条个项款点些种类块件份样段]")
RESPONSIBLE_WORDS = frozenset("部门 单位 负责 牵头 主管 主管部门 责任 责任单位 牵头单位 管 找 谁 由 哪个 哪里 咨询 申请 办".split())
# a term that at most two clauses use names what the question is about. Not tuned: one clause is too strict for a name
# the gazette repeats once (its heading and its text), three starts to admit words of ordinary policy prose
RARE_DF = 2
CJK_TERM = re.compile(r"^[\u4e00-\u9fff]+$")
MIN_COVERAGE = 0.3  # chosen on evals/colloquial/dev.jsonl: python evals/calibrate.py (table in evals/README.md)
LIST_INTENT = re.compile(r"哪些|哪几[个位项条家]|有什么(支持|政策|措施|扶持|优惠|举措)|什么样的(支持|政策)|都有什么")
STRUCTURE_INTENT = re.compile(r"(多少|几)\s*(条|项|款|个部分|部分|个方面|方面)|(一共|总共|共有)(有)?(多少|几|哪)|包括哪|包含哪|分为哪|分成哪|有哪几|"
                              r"哪些部分|哪几个部分|哪些方面|什么结构|目录")
DATE_INTENT = re.compile(r"哪天|哪一天|(什么|啥)时候(发布|印发|发文|签发|出台|下发|发的|成文)|(发布|印发|发文|签发|成文|落款)(时间|日期)|几月几[日号]")
VALIDITY_INTENT = re.compile(r"有效期|有效|失效|过期|到期|截止|施行|生效|执行到|(什么|啥)时候开始|(什么|啥)时候结束|还能用|还适用|"
                             r"(管|用|执行|实施)到(啥|什么|哪)(时候|年|天|一年|一天)|"
                             r"(目标|规划|计划)[^，,。？?]{0,4}(到|至)(哪|啥|什么)一?年|"
                             r"(哪天|哪一天|什么时候|啥时候|何时|几号)(起开始|开始|起)?(正式)?(执行|实施|实行|施行|生效|起效)|"
                             r"(政策|文件|规定|奖励|补贴|补助)?还在(吗|伐|么|不|没|嘛)|"
                             r"(?<!才)(作数|算数)|管用|还算(?!不算[进入在]|[进入在])|还作|还成立|还执行|来得及|赶得上|还赶趟|"
                             r"开始实施|开始实行|何时实施|(什么|啥)时候实施|实施期限|实施时间|"
                             r"(现在|目前|今年|明年|后年|\d{4}年)还(能|可以|有|算)|"  # 现在还在做鉴定: the asker's story
                             r"还(能|可以).{0,16}(申请|申报|报|享受|拿|领|办)[^多少几哪啥什]{0,12}(吗|不|么|没|伐|嘛|呢|啊)")
# to whom a document is addressed; "补贴发给谁" (who receives a subsidy) is not this question, so a unit word is required
ADDRESSEE_INTENT = re.compile(r"主送|发文对象|收文(单位|对象)|(发|印发|下发|发送)(给|到|至)了?(哪些|哪个|什么)(单位|部门|机关|机构)")
ISSUER_INTENT = re.compile(r"(谁|哪个(部门|单位|机关|机构))(发布|发的|印发|制定|出台|下发|发文)|发文(机关|单位)|由谁(发布|印发|制定)")


class Answer(Record):
    id: str | None = None
    question: str
    resolved_question: str
    answer: str
    kind: AnswerKind
    citations: list[Citation] = []
    calculation: dict[str, Any] | None = None
    warnings: list[str] = []
    notes: list[str] = Field(default=[], description="How the answer was produced: degraded retrieval, LLM fallback")
    route: str = ""
    llm_used: bool = False


class Assistant:
    """Everything the chain needs, loaded lazily: corpus, retriever (dense side only when it is used), LLM."""

    def __init__(self, settings: Settings, corpus: Corpus | None = None, retriever: HybridRetriever | None = None,
                 llm=None) -> None:
        self.settings = settings
        self._corpus = corpus
        self._retriever = retriever
        self._llm = llm
        self._lock = threading.Lock()

    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            self._corpus = Corpus.load(self.settings.corpus_dir)
        return self._corpus

    @functools.cached_property
    def corpus_text(self) -> str:
        return normalize_query("\n".join(c.text for c in self.corpus.clauses))

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    from .search import make_retriever

                    self._retriever, _ = make_retriever(self.settings, self.corpus)
        return self._retriever

    @property
    def llm(self):
        if self._llm is None and self.settings.llm.enabled:
            from .llm import LLMClient

            self._llm = LLMClient(self.settings.llm)
        return self._llm

    @functools.cached_property
    def chain(self):
        """The LCEL runnable (for LangChain callbacks and composition). Importing LangChain costs ~0.9 s, so plain
        answers run the same steps through `pipeline` instead; a test keeps the two identical."""
        return build_chain(self)

    @functools.cached_property
    def pipeline(self) -> Pipeline:
        return Pipeline(self)

    @functools.cached_property
    def pre_chain(self) -> Pipeline:
        return Pipeline(self, until_compose=True)

    def ask_stream(self, question: str, history: list[dict] | None = None):
        """Yields ("partial", text) while an LLM writes, then ("final", Answer). A partial text is progress or a
        prefix of the reply that has passed verification: an unverified figure is never yielded. The final answer
        is the verified reply (or the extractive answer with a note)."""
        state = self.pre_chain.invoke(Ask(question, history or [], None))
        if self.llm is None or state.kind not in ("answer", "lookup", "calculation"):
            yield "final", _finalize(self, state)
            return
        from .llm import stream_answer

        for kind, payload in stream_answer(self, state):
            yield (kind, payload) if kind == "partial" else ("final", _finalize(self, payload))

    def ask(self, question: str, history: list[dict] | None = None, id: str | None = None,
            callbacks: list | None = None) -> Answer:
        state = Ask(question, history or [], id)
        if callbacks:  # every step of the chain runs under this corpus's rules (build_chain)
            return self.chain.invoke(state, config={"callbacks": callbacks})
        return self.pipeline.invoke(state)


# --------------------------------------------------------------------------------------------- steps


def _prepare(assistant: Assistant, ask: Ask) -> Prepared:
    ask = Ask.of(ask)
    raw = ask.question
    question = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    history, notes = recent_history(ask.history or [])
    # in simplified script from here on: every intent pattern (补贴, 多少, 哪个部门…) is written in it
    slots = assistant.corpus.knowledge.slots  # the gazettes' enumerations a follow-up may switch between
    # typos are read before the history is: "那隐型冠军的呢" switches to 隐形冠军, a name the slots know
    own = _respelled(assistant.corpus, to_simplified(question)) if history else question
    resolved = to_simplified(resolve_history(own, history, slots) if history else question)
    scope, subject = None, ()
    previous = resolve_previous(history, slots) if history else ""  # the previous question, resolved
    if history and resolved == to_simplified(question) and is_short(question):
        resolved, scope = _continued(assistant, resolved, history)
    elif history and resolved != to_simplified(question) and (cited := _cited_in_reply(assistant, history)):
        # "那鉴定那边要不要录像？" after a reply that cited one clause: answered within it, unless it names a subject
        # of its own that the clause does not have ("那小巨人呢" after 绿色工厂). Within it, a follow-up that adds
        # words of the clause is asked in its own words ("那大修的呢，有几台": not the previous question's 加装电梯)
        if (sibling := _contrasted_sibling(assistant, question, cited)) is not None:
            scope = {sibling}
        else:
            scope = None if _names_another_subject(assistant, question, cited) else _with_parent(assistant, cited)
        if scope is None:
            subject = _new_subject_words(assistant, question, cited)
        if scope and (own := own_question(question, previous, slots)) and (
                _adds_clause_words(assistant, own, previous, cited)
                or names_category_in(own, assistant.corpus.by_id[cited].text)):
            resolved = to_simplified(own)
    if history and scope is None and resolved != to_simplified(question) and (
            _only_a_subject(assistant, question) or subject):
        # "许峰呢" after "张国强免了什么职务", "共享制造的呢" after 设计+营销: the new subject with the previous
        # question's predicate, not the two subjects together (the old one would win the search)
        if (own := own_question(question, previous, slots)) is not None:
            resolved = to_simplified(own)
    if history and LATER_YEARS.search(question) and (cited := _cited_in_reply(assistant, history)):
        resolved = _with_later_award(assistant, to_simplified(question), resolved, cited)
    resolved = _respelled(assistant.corpus, resolved)
    for abbr, term in expand_abbreviations(assistant.corpus, resolved):  # "长护险" is read as 长护险（长期护理保险）
        resolved = resolved.replace(abbr, f"{abbr}（{term}）", 1)
    turn = assistant.llm.turn() if assistant.llm is not None else None  # one LLM deadline for the whole answer
    if history and resolved != question and turn is not None:  # a follow-up: condense with the LLM, checked
        from .llm import condense

        resolved = condense(assistant, question, history, resolved, turn)
    return Prepared(question=question, history=tuple(history), resolved=resolved, id=ask.id,
                    scope=frozenset(scope) if scope is not None else None, subject=tuple(subject),
                    notes=tuple(notes), llm_turn=turn)


def _respelled(corpus: Corpus, text: str) -> str:
    """Typos read as the gazette's words: homophones ("以旧换心" -> 以旧换新), then pinyin ("首台tao" -> 首台套)."""
    return respell_pinyin(corpus, respell_homophones(corpus, text))


# Follow-ups are resolved turn by turn, each against the one before: the work grows with the history, so only the
# recent conversation is read (a follow-up refers to the last few turns, not to the fiftieth one back).
MAX_HISTORY_TURNS = 12
MAX_HISTORY_CHARS = 4000


def recent_history(history) -> tuple[list[dict], list[str]]:
    """The turns that are read (the latest ones, within both bounds), and a note when earlier ones were left out."""
    turns = [h for h in history if isinstance(h, dict)] if isinstance(history, list) else []
    kept: list[dict] = []
    used = 0
    for turn in reversed(turns[-MAX_HISTORY_TURNS:]):
        size = len(str(turn.get("content") or ""))
        if kept and used + size > MAX_HISTORY_CHARS:
            break
        kept.append({**turn, "content": str(turn.get("content") or "")[:MAX_HISTORY_CHARS]})
        used += size
    kept.reverse()
    note = [f"对话较长，只参考了最近{len(kept)}轮。"] if len(kept) < len(turns) else []
    return kept, note


def _continued(assistant: Assistant, question: str, history: list[dict]) -> tuple[str, set[str] | None]:
    """A short turn without a follow-up word ("上限多少", "现在还能申请吗"): read with the previous question when it
    names no subject of its own — at most one content word, and not one that points to another clause than the
    previous one ("小巨人奖多少" after 绿色工厂 is a new question). It is then answered within the clause the
    conversation is on: the one the last reply cited, else the previous question's. Returns (question, scope)."""
    previous = to_simplified(resolve_previous(history, assistant.corpus.knowledge.slots))
    if not previous or previous == question:
        return question, None
    corpus = assistant.corpus
    terms = [t.lstrip("#") for t in query_terms(corpus, _without_who(question))]
    words = [t for t in terms if len(t) >= 2 and not any(t != u and t in u for u in terms) and not asks_value(t)
             and t not in RESPONSIBLE_WORDS  # "哪个部门负责" asks about the clause, it names no subject
             and not QUANTITY_WORD.fullmatch(t)]  # "一年封顶多少": how much per year, no subject
    cited = _cited_in_reply(assistant, history)
    if cited is not None and names_category_in(question, corpus.by_id[cited].text):
        return question, {cited}  # "批发零售的门槛多少" after 14号's revenue awards: its 批零贸易, in its own words
    if cited is not None and len(words) > 1:  # "单家企业最多补多少" after a reply citing a clause on 单家企业…
        lex = corpus.lexical
        words = [w for w in words if w not in lex.tokens_of(cited)] or words[:1]
    if len(words) > 1:
        return question, None
    if YEAR_RE.search(question):  # "那24年…呢" after a question on 2027: the follow-up's year replaces the other
        previous = YEAR_RE.sub("", previous)
    merged = f"{previous} {question}"
    first = cited or _top(assistant, previous)
    if first is None:
        return (merged, None) if DOC_RE.search(previous) and not DOC_RE.search(question) else (question, None)
    if words and (own := _top(assistant, question)) is not None and own != first:
        lex = corpus.lexical
        # (a word the gazette does not use stands for the gazette's words it is given for: 换车 -> 汽车)
        said = (words[0], *corpus.tokenizer.synonyms.get(words[0], ()))
        if any(w in lex.tokens_of(own) and w not in lex.tokens_of(first) for w in said):
            return question, None  # its one word belongs to another clause
    if cited is not None and _adds_clause_words(assistant, question, previous, cited):
        return question, {first}  # "电动公交车每年更新几辆": its own words choose within the clause
    if (parallel := _contrasted_sibling(assistant, question, first)) is not None:
        return question, {parallel}  # "个人的呢" after 集体: the paragraph that says it of 个人
    return merged, {first}


# a count of a time or unit ("一年", "每年", "两个月", "每台"): how a value is measured, not what it is about
QUANTITY_WORD = re.compile(r"[每一二两三四五六七八九十几]+个?[年月天日周季台套家个次条根辆座项批名位张只头亩户场件笔]")
WHO_VERB = re.compile(f"(?:{RESPONSIBLE_INTENT.pattern})" + r"[\u4e00-\u9fff]{0,3}(?=[?？。!！,，]|$)")


def _without_who(question: str) -> str:
    """"这个找哪个部门联系": the verb after who is asked is how one deals with them (对接, 联系), no subject."""
    return WHO_VERB.sub("", question)


def _subject_terms(corpus: Corpus, question: str) -> list[str]:
    """The question's words that can name a subject: two characters or more, used by the gazette, not about a value
    (上限, 多少)."""
    terms = [t.lstrip("#") for t in query_terms(corpus, question)]
    return [t for t in terms if len(t) >= 2 and t in corpus.lexical.idf and not asks_value(t)
            and not QUANTITY_WORD.fullmatch(t)]  # "一条链产值多大": how many, no subject


def _new_subject_words(assistant: Assistant, question: str, clause_id: str) -> tuple[str, ...]:
    """The follow-up's words of another subject: its subject words that the clause lacks."""
    lex, soft = assistant.corpus.lexical, assistant.corpus.soft
    tokens = lex.tokens_of(clause_id)
    asked = _without_who(without_circumstances(question))
    words = [t for t in _subject_terms(assistant.corpus, asked)
             if t not in tokens and t not in RESPONSIBLE_WORDS]  # "这事找哪个部门" asks who, it names no subject
    if soft is not None:  # a word the gazette does not use names the gazette's nearest word ("那乡下的呢" → 农村)
        for t in (x.lstrip("#") for x in query_terms(assistant.corpus, asked)):
            if (len(t) >= 2 and t not in lex.idf and CJK_TERM.match(t) and not asks_value(t) and not set(t) & FUNCTION
                    and not DEMONSTRATIVE.fullmatch(t) and soft.relatedness(t) >= MATCH
                    and (near := soft.nearest(t)) and near not in tokens and near in lex.idf):
                words.append(near)
    return tuple(dict.fromkeys(words))


def _names_another_subject(assistant: Assistant, question: str, clause_id: str) -> bool:
    """Subject words of the question that the clause lacks, weighing more (idf) than the words it shares with the
    clause: "那小巨人呢" after 绿色工厂 is another subject; "那种大棚的贷款能贴息吗" after a clause on 贷款贴息 is not
    (大棚 is the asker's word for what it supports)."""
    lex = assistant.corpus.lexical
    tokens = lex.tokens_of(clause_id)
    text = assistant.corpus.by_id[clause_id].text
    # (部门 asks who; a figure the clause writes — "到27年" of its 2027年 — names nothing; "那24年…" of a clause on
    # 2027 does)
    content = [t for t in _subject_terms(assistant.corpus, _without_who(question))
               if t not in RESPONSIBLE_WORDS and not (t[:1].isdigit() and t in text)]
    if names_category_in(question, text):
        return False  # a category of the clause in everyday words ("批发零售的公司呢" after 批零贸易's clause)
    other = sum(lex.idf[t] for t in content if t not in tokens)
    shared = sum(lex.idf[t] for t in content if t in tokens)
    # a word the gazette does not use stands for its nearest gazette word ("面包车" for 货车): another subject when
    # the clause lacks that word, this clause's when it has it
    soft = assistant.corpus.soft
    if soft is not None:
        i = lex.position[clause_id]
        for t in (x.lstrip("#") for x in query_terms(assistant.corpus, without_circumstances(question))):
            if (len(t) < 2 or t in lex.idf or not CJK_TERM.match(t) or asks_value(t) or DEMONSTRATIVE.fullmatch(t)
                    or set(t) & FUNCTION or soft.relatedness(t) < MATCH):
                continue  # ("这条", "那项" point back at the clause: they name no subject; nor does "区要", glued to 要)
            if soft.similarity(t, i) >= soft.relatedness(t) - 1e-6:
                shared += lex.idf_median
            else:
                other += lex.idf_median
    return other > 0 and other >= shared


def _only_a_subject(assistant: Assistant, question: str) -> bool:
    """A follow-up that only names something ("许峰呢", "那共享制造的呢"): no asking word, and each of its words is one the
    gazette uses."""
    core = follow_up_core(without_circumstances(normalize_query(question)))
    if not core or ASKS.search(core) or not re.fullmatch(r"[\u4e00-\u9fff“”]+", core):
        return False
    words = [w for w in assistant.corpus.tokenizer.words(core, query=True) if len(w) >= 2]
    return bool(words) and all(w in assistant.corpus.lexical.idf for w in words)


def _adds_clause_words(assistant: Assistant, own: str, previous: str, clause_id: str) -> bool:
    """The follow-up names a word of the clause (two characters or more) that the previous question did not."""
    lex, corpus = assistant.corpus.lexical, assistant.corpus
    tokens = lex.tokens_of(clause_id)
    before = {t.lstrip("#") for t in query_terms(corpus, previous)}
    return any(len(w) >= 2 and w in tokens and w not in before and not asks_value(w)
               for w in (t.lstrip("#") for t in query_terms(corpus, own)))


# what a follow-up asks for when it asks more than "what about" / "may I" (多少, 什么, 哪个部门…)
ASKS_CONTENT = re.compile(r"多少|几|什么|啥|哪|谁|怎么|如何|咋")


def _contrasted_sibling(assistant: Assistant, question: str, clause_id: str) -> str | None:
    """"那我一个人去委托的话呢" after a reply on 提倡共同委托鉴定: the follow-up keeps the head word of the cited
    item's heading (委托) and drops what sets the item apart (共同) — it asks about the other item of that head word
    among its siblings (规范单方委托行为), when exactly one has it."""
    corpus = assistant.corpus
    text = normalize_query(question)
    clause = corpus.by_id.get(clause_id)
    if len(text) <= 24 and clause is not None and not clause.heading:
        return _parallel_paragraph(assistant, text, clause)
    if len(text) > 24 or ASKS_CONTENT.search(text):  # what-about or may-I ("…去委托呢", "…去委托行伐")
        return None
    if clause is None or not clause.heading or clause.parent is None:
        return None
    lex = corpus.lexical
    tokens = lex.tokens_of(clause.id)
    if any(len(t) >= 3 and t in tokens for t in corpus.tokenizer.segment(text)):
        return None  # "那企业技术中心呢" names an item of the cited clause itself
    siblings = [c for c in corpus.document_of(clause).clauses
                if c.parent == clause.parent and c.id != clause.id and c.heading]
    # "那汽车呢" after 开展家电产品以旧换新: the one sibling whose heading names it (开展汽车以旧换新)
    core = follow_up_core(without_circumstances(text))
    if re.fullmatch(r"[\u4e00-\u9fff]{2,6}", core or "") and core not in tokens and core in lex.idf:
        named = [c.id for c in siblings if core in c.heading]
        if len(named) == 1:
            return named[0]
    own_words = {w for w in corpus.tokenizer.words(clause.heading, query=True) if len(w) >= 2}
    if any(w in text for w in own_words if not any(w in c.heading for c in siblings)):
        return None  # it keeps a word only the cited item has ("重新鉴定…还能找原来那家"): about that item
    if any(len(t) >= 3 and not t.startswith("#") and t in lex.idf and t not in tokens for t in query_terms(corpus, text)):
        return None  # it names a matter of its own the cited item lacks ("…不服要重新鉴定…"): no contrast of heads
    heads = set()
    for word in corpus.tokenizer.segment(clause.heading):  # 共同委托: 委托 kept, 共同 dropped
        for k in range(2, len(word) - 1):
            for head, rest in ((word[k:], word[:k]), (word[:k], word[k:])):
                if head in lex.idf and head in text and rest not in text and word not in text:
                    heads.add(head)
    named = [c.id for c in siblings if any(h in c.heading for h in heads)]
    return named[0] if len(named) == 1 else None


def _parallel_paragraph(assistant: Assistant, text: str, clause: Clause) -> str | None:
    """"那个人呢，都有谁" after a reply quoting the paragraph that gives 集体 their awards: a paragraph without a
    heading is contrasted with the one of its siblings that has the follow-up's words (个人) and reads most like it
    ("给予…各记…二等功1次"), when its own text lacks them."""
    corpus = assistant.corpus
    words = [w for w in corpus.tokenizer.segment(follow_up_core(text)) if len(w) >= 2 and CJK_TERM.match(w)
             and w in corpus.lexical.idf and not asks_value(w) and not ASKS_CONTENT.search(w)]
    if not words or any(w in clause.text for w in words):
        return None
    siblings = [c for c in corpus.document_of(clause).clauses
                if c.parent == clause.parent and c.id != clause.id and not c.heading and all(w in c.text for w in words)]
    if not siblings:
        return None
    from .awards import han_bigrams

    own = han_bigrams(clause.text)
    scored = sorted(((len(own & han_bigrams(c.text)) / max(1, len(han_bigrams(c.text))), c.id) for c in siblings),
                    reverse=True)
    return scored[0][1] if len(scored) == 1 or scored[0][0] > scored[1][0] else None


def _with_parent(assistant: Assistant, clause_id: str) -> set[str]:
    """The clause a follow-up is read within, and the part it belongs to when that part has text of its own (its
    targets: "线下二手交易市场数量达到15家" stands in 三、's introduction, not in its clause (十五))."""
    corpus = assistant.corpus
    clause = corpus.by_id.get(clause_id)
    parent = next((c for c in corpus.document_of(clause).clauses if c.path == clause.parent), None) if clause else None
    return {clause_id} | ({parent.id} if parent is not None and parent.text.strip() else set())


# a follow-up about the years after an award ("后面几年呢", "第二年又涨了呢")
LATER_YEARS = re.compile(r"(后面|以后|之后|往后|接下来)(几年|每年|的年份|还)|后几年|往后|第二年|次年|下一年|明年|后续")


def _with_later_award(assistant: Assistant, own: str, resolved: str, clause_id: str) -> str:
    """The follow-up read with the award that follows the cited clause's award in later years, as the rule file links
    them (`follows`: 营收增长奖励 "从获奖次年开始"): its title joins the follow-up's own words (not the previous
    question's, whose words name the first award), so that its sentence answers."""
    from .calculator.rules import default_book

    clause = assistant.corpus.by_id.get(clause_id)
    if clause is None:
        return resolved
    book = default_book()
    here = {r.id for r in book.of_clause(clause.doc_no, clause.path)}
    later = [r for r in book.rules if r.follows in here]
    if len(later) != 1:
        return resolved
    # 还 here says "again, in the years after" ("后面几年还能拿奖吗"), not "still, now": no question of validity
    own = re.sub(r"还(能|可以|有)", r"\1", own)
    return f"{own} {later[0].title} 次年"


def _cited_in_reply(assistant: Assistant, history: list[dict]) -> str | None:
    """The clause the last reply cited ("——嘉政发〔2024〕10号 二、（十一）", "按嘉司发〔2024〕3号第7条"), when it names
    exactly one."""
    reply = next((str(t.get("content") or "") for t in reversed(history) if t.get("role") == "assistant"), "")
    if reply.startswith(NOT_FOUND_OPENING):
        return None  # it found nothing: the clauses it offered to choose from are no subject of the conversation
    q = parse_citation(reply) if reply else None
    if q is None or not (q.has_doc and q.has_unit):
        return None
    found = resolve(q, assistant.corpus.documents).candidates
    if len(found) > 1:  # "嘉司发〔2024〕3号第1条，提倡共同委托鉴定": item 1. or a part (一); the heading it repeats decides,
        # else the words it quotes (eight characters in a row of one candidate's text)
        said = normalize_query(reply)
        headed = [c for c in found if c.heading and normalize_query(c.heading) in said]
        runs = [said[i:i + 8] for i in range(len(said) - 7) if re.fullmatch(r"[\u4e00-\u9fff]{8}", said[i:i + 8])]
        texts = {c.id: normalize_query(c.text) for c in found}
        quoted = [c for c in found if any(run in texts[c.id] for run in runs)]
        found = headed or quoted
    return found[0].id if len(found) == 1 else None


def _top(assistant: Assistant, question: str) -> str | None:
    hits = assistant.retriever.retrieve(question, k=8, filters=Filters()).hits
    if not hits:
        return None
    top, cov = _rank(assistant, question, hits, widen=True)[0]
    return top.id if cov >= MIN_COVERAGE else None


def _route(assistant: Assistant, state: Prepared) -> Routed:
    """The router's decision; a message that asks several things (assistant/parts.py) is routed as a compound, each
    of its questions answered (and, if need be, refused) on its own — unless the message is an attack (injection,
    empty, too long) or a short follow-up already scoped to one clause."""
    routed = _route_one(assistant, state)
    if routed.route.kind in WHOLE_MESSAGE_REFUSALS or state.scope:
        return routed
    if routed.route.items and SUM_RE.search(state.resolved):  # "…能奖多少？第二年又涨了20%…加起来一共多少": one sum
        return routed
    asked = _with_subjectless_values(assistant, asked_questions(state.resolved))
    if len(asked) < 2:
        return routed
    notes = state.notes
    if len(asked) > MAX_QUESTIONS:  # each is a whole answer: a message of twenty questions gets the first few
        notes = (*notes, f"一条消息里有{len(asked)}个问题，只回答了前{MAX_QUESTIONS}个，其余请分开提问。")
    return replace(routed, notes=notes, route=Route("compound", "several questions", parts=tuple(asked[:MAX_QUESTIONS])))


def _with_subjectless_values(assistant: Assistant, asked: list[str]) -> list[str]:
    """"…旧充电桩有没有计划换掉？到2027年换多少个": a figure asked of nothing new after a yes-or-no question is that
    question's figure — one question ("有没有…？多少"), not a second one read apart from its subject."""
    out: list[str] = []
    for part in asked:
        if out and asks_value(part) and not asks_value(out[-1]) and _names_nothing_new(assistant, part):
            out[-1] += part
        else:
            out.append(part)
    return out


MAX_QUESTIONS = 4  # questions of one message answered (each costs one answer's time)
SUM_RE = re.compile(r"加起来|加在一起|一共|合计|总共|总计")
# refused for the whole message, whatever else it asks: what it is, not what one of its questions is about
WHOLE_MESSAGE_REFUSALS = frozenset({"empty", "too_long", "injection"})


def _route_one(assistant: Assistant, state: Prepared) -> Routed:
    return routed(state, route(state.resolved, assistant.corpus_text, assistant.settings.max_question_chars,
                               assistant.corpus.knowledge))


def _answer_part(assistant: Assistant, state: Routed, part: str, history: list[dict], before: Draft | None) -> Draft:
    """One question of a message, read as a follow-up of the one before it. When the clause that answered the one
    before states this one's figure and this one names no subject that clause lacks ("…一共安排了多少亿？里头城建类占
    多少"), it is answered there, in its own words."""
    prepared = _prepare(assistant, Ask(part, history, state.id))
    cited = list(dict.fromkeys(c.clause_id for c in before.citations)) if before is not None else []
    own = to_simplified(normalize_query(part))
    if (not prepared.scope and len(cited) == 1 and cited[0] in assistant.corpus.by_id
            and not _names_another_subject(assistant, own, cited[0])
            and (compose_single(assistant.corpus, own, assistant.corpus.by_id[cited[0]], assistant.settings.today).direct
                 or not _names_nothing_new(assistant, own))
            and not _own_clause(assistant, own, cited[0])):  # (last: it retrieves)
        # (and a question that names nothing of its own — "算下来能补多少", "啥时候之前" — asks of that clause too)
        prepared = replace(prepared, resolved=own, scope=frozenset(cited))
    sub = _route_one(assistant, prepared)
    return _branch(sub.route.kind)(assistant, sub)


def _own_clause(assistant: Assistant, question: str, clause_id: str) -> bool:
    """The question, read alone, names another clause well (most of its words: STRONG_COVERAGE) and better than the
    clause of the question before: "结果不认怎么办？重新鉴定还能找原来的机构吗" asks of 重新鉴定's own item, not of
    the 重鉴结果运用 that answered the first question."""
    hits = assistant.retriever.retrieve(question, k=8, filters=Filters()).hits
    ranked = _rank(assistant, question, hits) if hits else []
    if not ranked or ranked[0][0].id == clause_id or ranked[0][1] < STRONG_COVERAGE:
        return False
    before = next((cov for c, cov in ranked if c.id == clause_id), None)
    if before is None:
        before = coverage(assistant.corpus, query_terms(assistant.corpus, question), assistant.corpus.by_id[clause_id])
    return before < ranked[0][1]


def _names_nothing_new(assistant: Assistant, question: str) -> bool:
    """A question of a message that names no subject of its own ("算下来能补多少", "文件里划的线是多少"): it asks
    about what the question before it was about. A year or figure ("到2027年换多少个") dates or sizes it, names nothing."""
    return not [t for t in _subject_terms(assistant.corpus, without_circumstances(question))
                if t not in DOCUMENT_WORDS and not t[:1].isdigit()]


def _compound(assistant: Assistant, state: Routed) -> Draft:
    """Each question of the message answered in turn, as a conversation. A later question without a 文号 is read
    within the document the one before named only when it finds nothing on its own ("14号文是哪天印发的？政策管到
    啥时候"). A first question about another year or place refuses the message; any other refusal is said for its
    own question only, and a later question that names nothing new asks it again ("水产保险补几成？有没有个比例")."""
    history = list(state.history)
    drafts: list[Draft] = []
    document = ""
    for part in state.route.parts:
        before = drafts[-1] if drafts else None

        def within(doc_no: str) -> Draft:  # the part asked of a document, said as the asker said it
            return replace(_answer_part(assistant, state, f"{doc_no} {part}", history, before), question=part)

        if (before is not None and before.citations and DOC_RE.search(part) is None
                and (VALIDITY_INTENT.search(part) or APPLY_NOW.search(part)) and before.citations[0].doc_no):
            d = within(before.citations[0].doc_no)  # "…方案还有效不？年底前还来得及申请吗": of the document just answered
        elif before is not None and before.calculation and asks_value(part) and _names_nothing_new(assistant, part):
            continue  # "…补几成？算下来能补多少": the calculation before answers it, said once
        elif (before is not None and before.kind == "refusal"
              and _names_nothing_new(assistant, part)):
            continue  # "水产保险保费补几成？有没有个比例": what the gazette does not have, asked again, refused once
        else:
            d = _answer_part(assistant, state, part, history, before)
            if before is not None and before.kind == "refusal" and _goes_on_about_the_refused(assistant, part, d):
                d = replace(d, kind="refusal", decision="goes_on_about_the_refused",
                            answer=assistant.corpus.texts.not_found, citations=())
        if (m := DOC_RE.search(part)) is not None:
            document = m.group(0)
        elif document and d.decision == "off_topic":
            d = within(document)
        if any(d.answer == p.answer or (d.calculation and d.calculation == p.calculation) for p in drafts):
            continue  # "按多少比例补？能补多少钱": the same calculation answers both, said once
        drafts.append(d)
        history += [{"role": "user", "content": part}, {"role": "assistant", "content": d.answer}]
    notes = list(dict.fromkeys([*state.notes, *(n for d in drafts for n in d.notes)]))
    first = drafts[0]
    if all(d.kind == "refusal" for d in drafts) or (first.kind == "refusal" and (
            first.route.kind in REFUSAL_ROUTES or first.decision == "year_not_in_gazette")):
        return _answer(state, first.answer, "refusal", Composed("", list(first.citations), list(first.warnings), []),
                       notes=notes)
    answered = [d for d in drafts if d.kind != "refusal"]
    # (a part refused for finding nothing is said in one sentence: the clauses it offers to choose from go with it)
    refused = [d if d.decision != "off_topic" else replace(d, citations=()) for d in drafts if d.kind == "refusal"]
    # "…要自己出钱伐？多少钱一套": when every answered question got only a quote (no answer line of its own) and
    # another was refused, nothing the message asks is answered: a refusal, with what the gazette does say
    # (refused on evidence — it cites the clause that does not state it — not for finding nothing)
    kind = "refusal" if any(d.citations for d in refused) and all(_only_quotes(d) for d in answered) else answered[0].kind
    return _answer(state, merge_answers(drafts), kind,
                   Composed("", list(dict.fromkeys(c for d in answered + refused for c in d.citations)),
                            list(dict.fromkeys(w for d in answered for w in d.warnings)), []),
                   notes=notes, calculation=next((d.calculation for d in answered if d.calculation), None))


def _goes_on_about_the_refused(assistant: Assistant, part: str, d: Draft) -> bool:
    """"买首套房政府补多少？契税有补贴伐": after a question the gazette does not answer, a later one answered (not
    calculated) from a clause that lacks one of its topical words (契税, 流片费, 绿牌) goes on about what the gazette
    does not have — it is refused with it, not answered by a clause that shares its other words (补贴)."""
    if d.kind != "answer" or d.calculation or not d.citations or not d.citations[0].clause_id:
        return False
    clause = assistant.corpus.by_id.get(d.citations[0].clause_id)
    return clause is not None and missing_subject(assistant.corpus, without_circumstances(part), clause)


def _only_quotes(d: Draft) -> bool:
    """An answer that only quotes the gazette: its first line is a quote or a list of quotes."""
    first = d.answer.split("\n", 1)[0]
    return d.kind == "answer" and (first.startswith("原文") or first.startswith("本期公报中有以下相关条款"))


def merge_answers(drafts: list[Draft]) -> str:
    """One text for the answers of several questions: first what each question is answered (the lines before its
    first quote; a whole list, lookup or calculation when it quotes nothing; one sentence for a question the gazette
    does not answer), then each answer's sources — a quote with the citation under it, a warning once."""
    leads: list[str] = []
    sources: list[str] = []
    for d in drafts:
        lines = [ln for ln in d.answer.split("\n") if ln.strip()]
        if d.kind == "refusal":  # said in one sentence, not the whole scope
            leads.append(f"关于“{d.question}”：{lines[0].split('。')[0]}。" if lines else "")
            continue
        cut = next((i for i, ln in enumerate(lines) if ln.startswith("原文")), len(lines))
        # a sentence said once (a warning, the same figure); a calculation's heading and steps stay with it
        leads.extend(ln for ln in lines[:cut] if not (ln in leads and ln.endswith("。")))
        block = lines[cut:]
        i = 0
        while i < len(block):
            ln = block[i]
            if ln.startswith("原文") and i + 1 < len(block) and block[i + 1].startswith("——"):
                pair = [ln, block[i + 1]]  # a quote and its citation go together, once
                if not any(sources[k:k + 2] == pair for k in range(len(sources) - 1)):
                    sources.extend(pair)
                i += 2
                continue
            if ln not in sources and ln not in leads:
                sources.append(ln)
            i += 1
    return "\n".join([ln for ln in leads if ln] + sources)


def _answer(state: Routed, text: str, kind: AnswerKind, composed: Composed | None = None, **extra) -> Draft:
    return draft(state, text, kind, composed.citations if composed else (), composed.warnings if composed else (),
                 **extra)


def _refuse(assistant: Assistant, state: Routed) -> Draft:
    r: Route = state.route
    texts = assistant.corpus.texts  # the loaded gazettes' scope, refusals and examples
    if r.kind == "empty":
        return _answer(state, texts.ask_for_question, "clarify")
    if r.kind == "too_long":
        return _answer(state, r.reason + "请只保留与政策相关的问题。", "clarify")
    if r.kind == "injection":
        return _answer(state, texts.injection_refusal, "refusal")
    if r.kind == "chitchat":
        return _answer(state, texts.greeting if r.reason == "greeting" else texts.refusal, "refusal")
    return _answer(state, texts.refusal, "refusal")


def _lookup(assistant: Assistant, state: Routed) -> Draft:
    corpus, today = assistant.corpus, assistant.settings.today
    q = state.route.citation
    res = resolve(q, corpus.documents)
    if not res.candidates:  # "嘉政发〔2024〕11号讲啥": a document or unit the gazette does not hold
        return _answer(state, res.message, "refusal")
    # "以旧换新那个13号文第十四条讲什么": words of the document's own title only name the document again
    # (and so do its parts' headings: "14号文件重点任务第7点讲啥" names the part the point stands in)
    doc = corpus.document_of(res.candidates[0])
    sections = [c for c in doc.clauses if c.level == "section" and c.heading] if q.has_unit else []
    content = not is_bare_reference(_without_title_words(q.rest, "|".join([doc.title or "",
                                                                            *(c.heading for c in sections)])))
    parts = tuple(c.path for c in sections if c.heading in (q.rest or ""))
    if parts and (inside := [c for c in res.candidates if c.path.startswith(parts)]):
        res = res._replace(candidates=inside)  # "支持政策第一条": the (一) of that part, not of the others
    first = re.split(r"[,，。?？!！;；\s]+", (q.rest or "").strip())[0]
    if content and q.has_unit and first and is_bare_reference(first) and re.search(r"啥|什么|内容", first):
        content = False  # "13号文第8条说的什么，和孩子上学有没有关系": what the clause says, in full, answers both
    if content and not q.has_unit and STRUCTURE_INTENT.search(q.rest):  # "10号文一共有多少条"
        doc = corpus.document_of(res.candidates[0])
        return _answer(state, *structure_answer(corpus, doc, today))
    if content:  # "10号文第二十条的补贴标准是多少", "14号文有效期到什么时候": answer inside the cited unit(s)
        allowed = {c.id for c in res.candidates}
        if not q.has_unit:
            allowed = {c.id for d in match_documents(q, corpus.documents) for c in d.clauses}
        return _policy(assistant, replace(state, resolved=q.rest or state.resolved), allowed=allowed)
    header = "该引用有多种可能，按可能性排列：" if len(res.candidates) > 1 and q.has_unit else ""
    clauses = res.candidates[:6] if q.has_unit else res.candidates
    if not q.has_unit:
        doc = corpus.document_of(clauses[0])
        _, validity = validity_status(doc, today)
        header = f"{doc.doc_no} {doc.title}\n{validity}\n各部分如下："
        lines = [header] + [f"【{c.citation}】{c.heading or c.text[:40]}" for c in clauses]
        cites = [citation_of(c, c.heading or c.text[:40]) for c in clauses]
        warnings = clause_warnings(corpus, clauses[:1], today)
        return _answer(state, "\n".join(lines), "lookup", Composed("", cites, warnings, []))
    composed = compose_clause_quote(corpus, clauses, today, header)
    return _answer(state, composed.text, "lookup", composed)


def _without_title_words(rest: str, title: str) -> str:
    """`rest` without its spans of three or more characters that stand in `title` (longest first): 以旧换新, not
    印发 ("哪天印发的" asks about the document)."""
    out, i = "", 0
    while i < len(rest):
        n = next((n for n in range(len(rest) - i, 2, -1) if rest[i:i + n] in title), 0)
        if n:
            i += n
        else:
            out, i = out + rest[i], i + 1
    return out


# "后面两年", "接下来三年都": the years after the first the asker counts on
LATER_YEARS_SAID = re.compile(r"(?:后面|之后|接下来|往后|后续|此后|随后|后)(?:的)?([一二两三四五六七八九十\d]+)年")


def _several(assistant: Assistant, state: Routed) -> Draft:
    """Several awards or plots in one question: each computed; then what the gazette says about combining them."""
    from .calculator import combine
    from .calculator.quantities import fmt_yuan

    today, corpus = assistant.settings.today, assistant.corpus
    calcs, lines, cites = [], [], []
    for rule, inputs in state.route.items:
        try:
            c = calculate(rule.id, inputs, today)
        except (MissingInputs, CalcInputError):
            continue
        calcs.append(c)
        label = inputs.get("category") or inputs.get("crop")
        lines.append(f"· {rule.title}{f'（{label}）' if label else ''}：{c.amount_text if c.eligible else '不符合条件'}"
                     f"（{rule.doc_no} {rule.clause}）")
        if c.steps:  # how each figure comes about: "120亩 × 15元/亩 = 1,800元"
            lines.append("  计算：" + "；".join(c.steps))
        clause = _rule_clause(corpus, rule.doc_no, rule.clause)
        if clause and clause.id not in {x.clause_id for x in cites}:
            cites.append(citation_of(clause, clause.text))
    if len(calcs) < 2:
        return _policy(assistant, state)
    per_plot = all(c.rule_id == calcs[0].rule_id for c in calcs) and "crop" in calcs[0].inputs
    rules = [rule for rule, _ in state.route.items]
    staged = len(rules) == 2 and rules[1].follows == rules[0].id and all(c.eligible for c in calcs)
    if per_plot:  # different crops on different land: the per-mu amounts add up
        total = sum(c.amount_yuan or 0 for c in calcs)
        head, summary = f"合计{fmt_yuan(total)}。", {"amount_yuan": total, "principle": "different plots add up"}
    elif staged:  # "从获奖次年开始": the later award is paid to the winners of the first, in the years after it
        years = rules[1].params.get("years")  # "连续奖励三年", as the clause says it
        said = LATER_YEARS_SAID.search(normalize_query(state.resolved))
        count = 1
        if said is not None and years is not None:  # "后面两年增速都能到20%": that many years of the later award
            count = max(1, min(parse_number(said.group(1)), int(years.value)))
        total = (calcs[0].amount_yuan or 0) + (calcs[1].amount_yuan or 0) * count
        each = (f"（{fmt_yuan(calcs[1].amount_yuan or 0)} × {count}年，按您说的{said.group(0)}每年都达到条件）"
                if count > 1 else "")
        head = (f"两笔奖励在不同年度发放（“{rules[1].title}”从获奖次年开始），合计{fmt_yuan(total)}{each}"
                + (f"；{rules[1].title}每年一次，最多连续{years.text}。" if years is not None else "。"))
        summary = {"amount_yuan": total, "principle": "later years add up"}
    elif comb_rule := next((r for c in calcs if (r := corpus.knowledge.combination_for(c.citation["doc_no"]))), None):
        comb = combine(calcs, comb_rule)  # the combination rule the gazette attaches to these awards (就高不重复)
        head, summary = comb.explanation, {"amount_yuan": comb.amount_yuan, "principle": comb_rule.principle,
                                           "chosen": comb.chosen.rule_id if comb.chosen else None}
        stated = _rule_clause(corpus, comb_rule.doc_no, comb_rule.clause)
        if stated:
            cites.append(citation_of(stated, comb_rule.quote))
    elif SUM_RE.search(state.resolved) and all(c.eligible for c in calcs):
        # "一个二等奖、一个三等奖，一共奖多少": the sum asked for, said with what the gazette leaves open
        total = sum(c.amount_yuan or 0 for c in calcs)
        head = f"合计{fmt_yuan(total)}（各项相加；原文未规定这些奖励能否叠加享受，请向责任单位确认）。"
        summary = {"amount_yuan": total, "principle": "sum asked, combination not stated"}
    else:
        head = "原文未规定这些奖励能否叠加享受，请向责任单位确认。"
        summary = {"amount_yuan": None, "principle": "not stated"}
    warnings = list(dict.fromkeys(w for c in calcs for w in c.warnings))
    text = "\n".join(["分别计算如下："] + lines + [head] + [f"⚠ {w}" for w in warnings])
    calc = {**summary, "items": [c.model_dump(mode="json") for c in calcs]}
    return _answer(state, text, "calculation", Composed("", cites, warnings, []), calculation=calc)


def _calculation(assistant: Assistant, state: Routed) -> Draft:
    # "评上国家级X奖多少" where the gazette rewards only 省级 X: said as such, before anything is computed — for an
    # award by recognition only, against its own clause (the asker's other titles — "我们是县级绿色工厂，节能改造…" —
    # are no question about an award)
    r = state.route
    rules = [rule for rule, _ in r.items] if r.items else [r.extraction.rule] if r.extraction else []
    clauses = list({c.id: c for rule in rules if rule.formula == "fixed_award"
                    and (c := _rule_clause(assistant.corpus, rule.doc_no, rule.clause))}.values())
    if clauses and (composed := no_such_award(assistant, state.resolved, [(c, 1.0) for c in clauses],
                                              whole=False)) is not None:
        return _answer(state, composed.text, "refusal", composed)
    # "养大闸蟹的塘有60亩，每亩补多少": the crop rule's area without any of its crops — a subsidy it does not pay
    if (r.extraction and "crop" not in r.extraction.inputs and any(i.name == "crop" for i in r.extraction.rule.inputs)
            and (composed := living_refusal(assistant, state.resolved)) is not None):
        return _answer(state, composed.text, "refusal", composed)
    if state.route.items:
        return _several(assistant, state)
    e = state.route.extraction
    today = assistant.settings.today
    rule = e.rule
    clause = _rule_clause(assistant.corpus, rule.doc_no, rule.clause)
    cite = [citation_of(clause, clause.text)] if clause else []
    try:
        calc = calculate_whatever_missing(rule.id, e.inputs, today)
    except MissingInputs as exc:
        asks = []
        for s in exc.specs:
            hint = f"（可选：{'、'.join(s.choices)}）" if s.choices else (f"（单位：{s.unit}）" if s.unit else "")
            asks.append(f"{s.label}{hint}")
        known = "；".join(f"{rule.input(k).label}：{v}" for k, v in e.inputs.items()) or "无"
        text = (f"可以按“{rule.title}”（{rule.doc_no} {rule.clause}）计算。已知：{known}。\n"
                f"还需要：{'、'.join(asks)}。请补充后告诉我。")
        return _answer(state, text, "clarify", Composed("", cite, [], []))
    except CalcInputError as exc:
        return _answer(state, f"输入有误：{exc}", "clarify", Composed("", cite, [], []))
    warnings = list(calc.warnings)
    return _answer(state, render_calculation(calc), "calculation", Composed("", cite, warnings, []),
                   calculation=calc.model_dump(mode="json"))


def _rule_clause(corpus: Corpus, doc_no: str, path: str) -> Clause | None:
    return next((c for c in corpus.clauses if c.doc_no == doc_no and c.path == path), None)


PHRASE_BONUS = 0.05  # on the seven dev parts: 0.05 +1 case, 0.10 -3 (golden included)


def _phrases(corpus: Corpus, question: str) -> list[str]:
    """Neighbouring words of the question (two characters or more each) joined, as a phrase to look for."""
    words = corpus.tokenizer.segment(normalize_query(question))
    ok = [bool(CJK_TERM.match(w)) and w not in corpus.tokenizer.stopwords for w in words]
    pairs = [a + b for i, (a, b) in enumerate(zip(words, words[1:]))
             if len(a) >= 2 and len(b) >= 2 and ok[i] and ok[i + 1]]
    # three words side by side, one of them a single character ("公共|充电|桩"): the asker's name for one thing
    triples = [a + b + c for i, (a, b, c) in enumerate(zip(words, words[1:], words[2:]))
               if ok[i] and ok[i + 1] and ok[i + 2] and min(len(a), len(b), len(c)) == 1 and len(a + b + c) >= 4]
    # the figure asked sits inside the asker's phrase: "新增[多少]技能人才" is the gazette's 新增技能人才…5万名
    slots = [a + c for i, (a, b, c) in enumerate(zip(words, words[1:], words[2:]))
             if b in ("多少", "几") and ok[i] and ok[i + 2] and len(a) >= 2 and len(c) >= 2]
    return list(dict.fromkeys(pairs + triples + slots))


def _rank(assistant: Assistant, question: str, hits, widen: bool = False) -> list[tuple[Clause, float]]:
    """Re-rank retrieved clauses by how much of the question they cover; a money question prefers clauses
    that state amounts. Retrieval order breaks ties. `widen`: a question asked of the whole gazette may also be
    answered by a clause retrieval missed (see `soft_candidates`)."""
    corpus = assistant.corpus
    terms = query_terms(corpus, question)
    count = asks_count(question)
    money = bool(MONEY_INTENT.search(question)) and not count  # "新增多少技能人才": people, not 亿元
    who = bool(RESPONSIBLE_INTENT.search(question))
    # "…是哪个部门负责": a clause with a 责任单位 answers it without repeating those words; one without must say
    # who leads in its text ("由市经信局牵头")
    unit_terms = [t for t in terms if t.lstrip("#") not in RESPONSIBLE_WORDS] or terms if who else terms
    phrases = _phrases(corpus, question)
    asked = normalize_query(question)
    categories = everyday_named(asked)  # "批发零售", "超市": the gazette's category 批零贸易
    scored = []
    for rank, h in enumerate(hits):
        cov = coverage(corpus, unit_terms if h.clause.responsible_units else terms, h.clause)
        bonus = 0.05 if money and re.search(r"\d+(?:\.\d+)?万?元", h.clause.text) else 0.0
        # a count question likewise prefers a clause that counts something ("5万名"), not one of amounts only
        bonus += 0.05 if count and _counts_something(h.clause.text) else 0.0
        bonus += 0.05 if who and h.clause.responsible_units else 0.0
        # two of the question's words side by side in the clause, as the asker put them ("养老保障", not 养老 in one
        # place and 保障 in another)
        bonus += PHRASE_BONUS * min(2, sum(1 for p in phrases if p in h.clause.text)
                                    + sum(1 for c in categories if c in h.clause.text))
        # the clause named by its heading, word for word ("推广供应链管理服务那条…"): it is the one meant
        bonus += 2 * PHRASE_BONUS if _heading_named(h.clause, asked) else 0.0
        scored.append((cov + bonus - rank * 0.01, cov, h.clause))
    if widen and (not scored or max(cov for _, cov, _ in scored) < MIN_COVERAGE):
        # little covered by the gazette's own words: a clause that the asker's other words lead to by meaning
        # ("躺着睡午觉") and that covers enough of the question joins the ranking (with the rank penalty of a hit
        # below every retrieved one: it leads only by covering more)
        # (judged on its words of two characters or more — a lone 公 stands inside 公路 and 公立 alike —, one of
        # them standing in it as written: meaning alone never decides)
        seen = {c.id for _, _, c in scored}
        lex = corpus.lexical
        for j, c in enumerate(c for c in soft_candidates(corpus, terms) if c.id not in seen):
            own = unit_terms if c.responsible_units else terms
            words = [t for t in own if len(t.lstrip("#")) >= 2]
            tokens = lex.tokens_of(c.id)
            if (any(t in tokens and lex.idf.get(t, 0.0) > 0 for t in words)
                    and coverage(corpus, words, c) >= MIN_COVERAGE):
                cov = coverage(corpus, own, c)
                scored.append((cov - (len(hits) + j) * 0.01, cov, c))
    scored.sort(key=lambda x: -x[0])
    ranked = [(c, cov) for _, cov, c in scored]
    # the clause whose heading the asker names word for word leads, however much another covers by shared words
    headed = [(c, cov) for c, cov in ranked if _heading_named(c, asked) and cov >= MIN_COVERAGE]
    if headed and headed[0] is not ranked[0]:
        best = max(headed, key=lambda x: len(x[0].heading))
        ranked.remove(best)
        ranked.insert(0, best)
    if ranked and ranked[0][1] < MIN_COVERAGE and not rare_terms(corpus, terms, ranked[0][0]):
        # little covered: a rare name the question shares decides, else one sentence that holds two of its words
        # ("…免费体检？…" → 免费健康体检 of the clause that says how many are examined, not a clause that shares the
        # asker's job)
        named = ([(c, cov) for c, cov in ranked if rare_terms(corpus, terms, c)]
                 or ([] if one_sentence_names(corpus, terms, ranked[0][0])
                     else [(c, cov) for c, cov in ranked if one_sentence_names(corpus, terms, c)]))
        if named:
            ranked.remove(named[0])
            ranked.insert(0, named[0])
    # the most specific unit that covers as much: "共享制造" is item 3., not the part (一) that holds items 1.–6.
    # (a part's own text is its introduction, with targets of its own: a part is kept)
    while ranked and ranked[0][0].level != "section" and (child := max(
            ((c, cov) for c, cov in ranked[1:] if c.parent == ranked[0][0].path
             and c.doc_key == ranked[0][0].doc_key and cov >= ranked[0][1] - 1e-9), key=lambda x: x[1], default=None)):
        ranked.remove(child)
        ranked.insert(0, child)
    return ranked


@functools.lru_cache(maxsize=1024)
def _counts_something(text: str) -> bool:
    """The text states a count of things ("5万名"), not only amounts, rates and years."""
    return any(st.kind not in NOT_COUNTS for st in statements(text))


def _heading_named(clause: Clause, asked: str) -> bool:
    """The question names the clause by its heading, word for word ("推广供应链管理服务那条…")."""
    return len(clause.heading or "") >= 4 and normalize_query(clause.heading) in asked


def rare_terms(corpus: Corpus, terms: list[str], clause: Clause) -> list[str]:
    """The question's terms of three characters or more that only one or two clauses of the gazette use, this clause
    among them, and that no general dictionary knows: a name the gazette coined (强村十法, 嘉肴百碗) says what the
    question is about, whatever else the asker tells."""
    lex = corpus.lexical
    i = lex.position.get(clause.id)
    tokens = lex.token_sets[i] if i is not None else set()
    known = corpus.known_words  # a general dictionary: 幼儿园, 工业园区 are words of everyday life, 强村十法 is not
    return [t for t in terms if len(t) >= 3 and CJK_TERM.match(t) and t in tokens and t not in known
            and lex.idf.get(t, 0.0) >= lex.idf_of_df(RARE_DF)]


def outermost(words: list[str]) -> list[str]:
    """The words that stand inside no other of them (养老 goes beside 养老保障)."""
    return [w for w in words if not any(w != u and w in u for u in words)]


def one_sentence_names(corpus: Corpus, terms: list[str], clause: Clause) -> bool:
    """One sentence of the clause holds two or more of the question's words (of two characters or more, none inside
    another), together as specific as two words that three clauses each use: "担保" and "费率" in 保持担保费率1%以下,
    however much else the asker tells ("想贷点款把鸭棚扩一扩，村里人讲…")."""
    lex = corpus.lexical
    words = outermost([t for t in terms if len(t) >= 2 and CJK_TERM.match(t) and t in lex.idf and not asks_value(t)])
    floor = 2 * lex.idf_of_df(3)  # two words each as specific as one that three clauses use (RARE_DF's neighbour)
    for sentence in split_sentences(clause.text):
        found = [w for w in words if w in sentence]
        if len(found) >= 2 and sum(lex.idf[w] for w in found) >= floor:
            return True
    return False


@dataclass
class Evidence:
    """What retrieval found for a policy question, as the decisions below read it."""

    assistant: Assistant
    state: Routed
    question: str
    ranked: list[tuple[Clause, float]]  # (clause, coverage of the question), best first
    scoped: bool  # answered within given clauses (a citation, or a follow-up's clause): never refused as off-topic
    notes: list[str]

    @property
    def top(self) -> Clause:
        return self.ranked[0][0]

    @property
    def top_cov(self) -> float:
        return self.ranked[0][1]

    @functools.cached_property
    def terms(self) -> list[str]:
        return query_terms(self.assistant.corpus, self.question)

    @functools.cached_property
    def weak(self) -> bool:
        """Too little of the question stands in the best clause: under MIN_COVERAGE, or nothing distinctive shared
        (only 打, 去, 的)."""
        corpus, terms = self.assistant.corpus, self.terms
        nothing_shared = distinctive(corpus, terms, self.top) == 0.0
        return not self.scoped and (self.top_cov < MIN_COVERAGE and not rare_terms(corpus, terms, self.top)
                                    and not one_sentence_names(corpus, terms, self.top)
                                    and not self._covered_without_story or nothing_shared)

    @property
    def _covered_without_story(self) -> bool:
        """Enough of the question stands in the best clause once the comma clauses that only tell about the asker
        ("隔壁王阿婆一个人住，老伴走了没子女，…") are left out: personal context does not count against a question."""
        asked = without_circumstances(self.question)
        if asked == normalize_query(self.question):
            return False
        corpus = self.assistant.corpus
        terms = query_terms(corpus, asked)
        # what is left must still name the clause's matter in two words of its own ("独居" and "设备"), not only
        # ask ("政府给不给补" after "家里想装个净水器，": 政府 alone covers anything)
        lex, soft = corpus.lexical, corpus.soft
        tokens, i = lex.tokens_of(self.top.id), lex.position.get(self.top.id)
        # (by meaning too: 托班 names the clause's 托育, 太阳能板 its 光伏)
        words = [t for t in terms if len(t) >= 2 and CJK_TERM.match(t) and not asks_value(t) and (
            t in tokens or t not in lex.idf and soft is not None and i is not None and soft.similarity(t, i) >= MATCH)]
        return len(outermost(words)) >= 2 and coverage(corpus, terms, self.top) >= MIN_COVERAGE

    @functools.cached_property
    def single(self) -> Composed:
        # a follow-up read with the question before it: its own words choose the sentence first
        own = self.state.question if self.scoped and self.state.question != self.question else ""
        return compose_single(self.assistant.corpus, self.question, self.top, self.assistant.settings.today, own)

    def close(self, floor: float) -> list[Clause]:
        """Runners-up almost as good as the best clause (at least `floor` of its coverage, and MIN_COVERAGE)."""
        return [c for c, cov in self.ranked[1:4] if cov >= max(MIN_COVERAGE, floor * self.top_cov) and c.id != self.top.id]

    def answer(self, composed: Composed, kind: AnswerKind = "answer", text: str | None = None) -> Draft:
        return _answer(self.state, composed.text if text is None else text, kind, composed, notes=self.notes)


def _document_validity(ev: Evidence) -> Draft | None:
    """"两业融合的文件还有效吗" asks about a document: its words may be spread over the document, not one clause."""
    a, corpus = ev.assistant, ev.assistant.corpus
    if (ev.weak and VALIDITY_INTENT.search(ev.question)
            and document_coverage(corpus, query_terms(corpus, without_circumstances(ev.question)), ev.top,
                                  VALIDITY_INTENT) >= MIN_COVERAGE
            and (composed := validity_answer(a, ev.question, ev.top, name_clause=False)) is not None):
        return ev.answer(composed)
    return None


def _off_topic(ev: Evidence) -> Draft | None:
    """Nothing in the gazette covers enough of the question: refused, naming the unit to ask when half-related."""
    if not ev.weak:
        return None
    corpus = ev.assistant.corpus
    text = corpus.texts.not_found
    related = ev.top.responsible_units if ev.top_cov >= MIN_COVERAGE / 2 else ()
    if related:
        text += f"如问题与“{ev.top.heading or ev.top.doc_title}”有关，也可以咨询{'、'.join(related)}。"
    # half-related: the clauses that share a word of two characters or more with the question, for the asker to
    # choose from ("路边谁都能用的插电桩子" may mean 新增公共充电桩) — offered, never asserted as the answer
    near = [c for c, cov in ev.ranked[:3] if cov >= MIN_COVERAGE / 2 and distinctive(corpus, ev.terms, c) > 0]
    if not near or ev.state.route.kind != "policy":
        return _answer(ev.state, text, "refusal", notes=ev.notes)
    return _refusal_offering(ev, text + "\n您问的是否与以下条款有关（仅供参考，请核对原文）：", near)


def _refusal_offering(ev: Evidence, text: str, clauses: list[Clause]) -> Draft:
    """A refusal that offers clauses to choose from: `text`, then each clause's best sentence with its citation."""
    options = compose_list(ev.assistant.corpus, ev.question, clauses, ev.assistant.settings.today)
    listed = options.text.split("\n", 1)[1]  # its lines without "本期公报中有以下相关条款："
    return _answer(ev.state, text + "\n" + listed, "refusal", options, notes=ev.notes)


# "可以拿10号文申请2025年度的奖励吗": applying in a year — answered by the term when the year lies outside it
APPLY_INTENT = re.compile(r"(能不能|能否|可不可以|可以|还能|还可以)[^多少几]{0,16}(申请|申报|享受|拿|领|办)[^多少几]*$")


def _about_the_document(ev: Evidence) -> Draft | None:
    """Addressee, issuer, validity or signing date of the best clause's document."""
    a, q = ev.assistant, ev.question
    doc = a.corpus.document_of(ev.top)
    if (APPLY_INTENT.search(q) and not VALIDITY_INTENT.search(q) and years_outside_term(doc, q)
            and (composed := validity_answer(a, q, ev.top)) is not None):
        return ev.answer(composed)
    if ADDRESSEE_INTENT.search(q) and (composed := addressee_answer(a, ev.top)) is not None:
        return ev.answer(composed)
    if ISSUER_INTENT.search(q) and (composed := issuer_answer(a, ev.top)) is not None:
        return ev.answer(composed)
    if VALIDITY_INTENT.search(q):  # "有效期到哪天" is about validity, not the signing date
        # the clause is named only when the question names something of its own ("政策管到啥时候" names nothing)
        clause = ev.top if ev.scoped else _document_asked(ev)
        composed = validity_answer(a, q, clause, name_clause=clause is ev.top and _names_a_subject(a, q, ev.top))
    elif DATE_INTENT.search(q):
        composed = signed_answer(a, ev.top)
    else:
        composed = None
    return ev.answer(composed) if composed is not None else None


def _document_asked(ev: Evidence) -> Clause:
    """The clause whose document a validity question asks about: the best clause's, unless the question's words
    that only one document uses are more that document's own in another: "两业融合那个奖补政策还能申报吗" — 两业融合
    stands in a third of 14号's clauses and nowhere else, while 申报, 10号's alone, stands in few of its clauses —
    though a 10号 clause on 奖励 and 申报 ranks first; then that document's best-ranked clause."""
    corpus = ev.assistant.corpus
    share = document_shares(corpus)
    own_words = {t for t in ev.terms if len(t.lstrip("#")) >= 2 and CJK_TERM.match(t.lstrip("#"))
                 and not VALIDITY_INTENT.search(t.lstrip("#")) and t.lstrip("#") not in DOCUMENT_WORDS}
    alone: dict[str, float] = {}  # document -> the shares of its clauses that hold the words it alone uses
    for t in own_words:
        if len(holders := [d for d, shares in share.items() if t in shares]) == 1:
            alone[holders[0]] = alone.get(holders[0], 0.0) + share[holders[0]][t]
    top_doc = corpus.document_of(ev.top).key
    key = max(alone, key=alone.get, default=None)
    if key is None or key == top_doc or alone[key] <= alone.get(top_doc, 0.0):
        return ev.top
    return next((c for c, _ in ev.ranked if corpus.document_of(c).key == key), corpus.document(key).clauses[0])


def document_shares(corpus: Corpus) -> dict[str, dict[str, float]]:
    """For each numbered document (by key), each word of its clauses -> the share of its clauses that hold it."""
    def build() -> dict[str, dict[str, float]]:
        lex = corpus.lexical
        out: dict[str, dict[str, float]] = {}
        for d in corpus.documents:
            sets = [lex.token_sets[i] for c in d.clauses if (i := lex.position.get(c.id)) is not None]
            if d.doc_no and sets:
                counts: dict[str, int] = {}
                for ts in sets:
                    for t in ts:
                        counts[t] = counts.get(t, 0) + 1
                out[d.key] = {t: n / len(sets) for t, n in counts.items()}
        return out
    return corpus.derived("document_shares", build)


def _names_a_subject(assistant: Assistant, question: str, clause: Clause) -> bool:
    """A word of two characters or more besides the document's reference, its kind (文件, 政策…) and the intent, that
    the clause has and its document's title does not ("制造业跟服务业融合那个方案还管用吗" names the document by its
    title, no clause of it)."""
    rest = DOC_RE.sub(" ", question)
    words = [w for w in (t.lstrip("#") for t in query_terms(assistant.corpus, rest))
             if len(w) >= 2 and w not in DOCUMENT_WORDS and not VALIDITY_INTENT.search(w) and not ASK.search(w)]
    title = assistant.corpus.document_of(clause).title or ""
    tokens = assistant.corpus.lexical.tokens_of(clause.id)
    return any(w in tokens and w not in title for w in words)


def _part_listing(ev: Evidence) -> Draft | None:
    """"有哪些…": a whole part answers by listing what it holds."""
    if not LIST_INTENT.search(ev.question):
        return None
    part = next((c for c, cov in ev.ranked[:3] if c.level == "section" and cov >= 0.9 * ev.top_cov), None)
    composed = section_answer(ev.assistant.corpus, part, ev.assistant.settings.today) if part is not None else None
    return ev.answer(composed) if composed is not None else None


APPOINTMENTS_ASKED = re.compile(r"任免|任命|免去|免职|人事|干部|任职|上任")  # not "试用期…2025年3月结束"
PERIOD_TITLE = re.compile(r"(\d{4})年([\d、，,]+)月份?")
ASKED_MONTH = re.compile(r"(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月份?")


def _period_not_in_list(ev: Evidence) -> Draft | None:
    """"5月份任免了哪些干部" when the gazette's list is for 3、4月份: the months its title names say so."""
    if ev.top.level != "entry" or not APPOINTMENTS_ASKED.search(ev.question):
        return None
    from .numerals import cn_to_int

    doc = ev.assistant.corpus.document_of(ev.top)
    title = PERIOD_TITLE.search(doc.title or "")
    asked = ASKED_MONTH.search(normalize_query(ev.question))
    if title is None or asked is None:
        return None
    months = {int(m) for m in re.findall(r"\d+", title.group(2))}
    month = int(asked.group(2)) if asked.group(2).isdigit() else cn_to_int(asked.group(2))
    if month in months and (asked.group(1) is None or asked.group(1) == title.group(1)):
        return None
    text = f"本期公报收录的是{doc.title}，没有{asked.group(0)}的任免信息。"
    return ev.answer(Composed(text, [citation_of(ev.top, ev.top.text)], [], []), "refusal")


# the title at the end of a post ("嘉兴市数据局副局长" -> 嘉兴市数据局): what is left names the organisation
POST_TITLE = re.compile(r"(常务)?副?(局长|主任|总工程师|总经济师|总会计师|总统计师|总督学|秘书长|院长|校长|所长|站长|书记|"
                        r"委员|主席|经理|总经理|董事长|处长|馆长|总师)?[（(].*$|(常务)?副?(局长|主任|总工程师|总经济师|总会计师|"
                        r"总统计师|总督学|秘书长|院长|校长|所长|站长|书记|委员|主席|经理|总经理|董事长|处长|馆长)(职务)?[；;。]?$")
PEOPLE_INTENT = re.compile(r"哪些|哪几|哪个|谁|几个|几位|多少(个|位|名|人)|名单|都有")


def _appointment_list(ev: Evidence) -> Draft | None:
    """"市数据局新任了哪几个副局长": every appointment entry for the post the question names, not the best three.
    The post is matched by the characters the question shares with it; the entries that share the most are named,
    all of them (an action the question names — 任/免 — keeps only those entries)."""
    from .fields import entry_fields

    if ev.top.level != "entry" or not PEOPLE_INTENT.search(ev.question):
        return None
    from .awards import han_bigrams

    corpus = ev.assistant.corpus
    grams = han_bigrams(ev.question)
    act = "免去" if re.search(r"免去|免职|免了|撤", ev.question) else "任" if re.search(r"任命|新任|任了|上任", ev.question) else None
    doc = corpus.document_of(ev.top)
    scored = []
    for c in doc.clauses:
        if c.level != "entry" or (fields := entry_fields(c.text)) is None:
            continue
        people, action, post = fields
        if act and (action == "免去") != (act == "免去"):
            continue
        scored.append((len(grams & han_bigrams(post)), c, people, post))
    best = max((sc for sc, *_ in scored), default=0)
    chosen = [(c, people, post) for sc, c, people, post in scored if sc == best]
    if len({POST_TITLE.sub("", post) for _, _, post in chosen}) > 1:
        return None  # "住建局的总工程师": the question names no one organisation the entries share (an abbreviation)
    # three shared bigrams: an organisation's short name and the title (数据局 + 副局长); more than 12 entries is the
    # whole issue's list, not a post
    if best < 3 or not chosen or len(chosen) > 12 or (len(chosen) < 2 and act is None):
        return None  # one entry, no action asked: the entry itself is the answer (the quote below)
    # each entry quoted whole, as a list of clauses is (every figure of the answer stands in a cited entry)
    return ev.answer(compose_list(corpus, ev.question, [c for c, _, _ in chosen], ev.assistant.settings.today))


TITLES = r"局长|主任|总工程师|总经济师|总会计师|总统计师|总督学|秘书长|院长|校长|所长|站长|书记|主席|经理|处长|馆长"
ASKED_TITLE = re.compile(rf"(?<![副常])({TITLES})")


def _post_not_in_list(ev: Evidence) -> Draft | None:
    """"卫健委主任是谁" when the list holds only its 副主任: the post asked is not in the gazette's appointments;
    said as such, with the nearest entry quoted."""
    from .fields import entry_fields

    if ev.top.level != "entry" or not PEOPLE_INTENT.search(ev.question):
        return None
    asked = {m.group(1) for m in ASKED_TITLE.finditer(ev.question)}
    fields = entry_fields(ev.top.text)
    if not asked or fields is None:
        return None
    post = fields[2]
    if any(re.search(rf"(?<![副常]){t}", post) for t in asked) or not any(f"副{t}" in post for t in asked):
        return None
    title = "、".join(sorted(asked))
    text = (f"本期公报的人事任免中没有这一{title}职务的任免，只有副职：“{ev.top.text.strip()}”\n——{ev.top.citation}")
    composed = Composed(text, [citation_of(ev.top, ev.top.text.strip())], [], [], "")
    return ev.answer(composed, "refusal")


def _clause_formula(ev: Evidence) -> Draft | None:
    """The clause has a formula and the question gives every figure of it: calculated."""
    found = clause_calculation(ev.question, ev.top)
    if found is None:
        return None
    return _calculation(ev.assistant, replace(ev.state, route=Route("calculation", found.rule.id, extraction=found)))


AWARD_EXISTS = re.compile(r"有奖|有没有奖|奖不奖|有没有奖励|有奖励")


def _award_not_in_gazette(ev: Evidence) -> Draft | None:
    """A money question about a level the clause does not reward ("国家级节水型企业")."""
    # (whether there is one asks about it too: "县级的绿色工厂有奖吗", "有没有奖")
    if ((MONEY_INTENT.search(ev.question) or AWARD_EXISTS.search(ev.question))
            and (composed := no_such_award(ev.assistant, ev.question, ev.ranked[:3]))):
        return ev.answer(composed, "refusal")
    return None


# a grade of an award (一等功, 特等奖) or of an honour's stars (三星 平安金鼎; 五星级 is an item's grade, see awards.py)
AWARD_GRADE = re.compile(r"([一二三四五特])(?:等(功|奖)|(星)(?![级]))")
# 记功 is given to a 集体 (a unit) or to a 个人: the grade is said with whom it went to; stars with what they are of
GRADE_HOLDER = r"(?:集体|个人)?"
STARS_OF = r"[”\"]?[\u4e00-\u9fff]{1,4}"


def _grade_kind(m: re.Match) -> str:
    return m.group(2) or m.group(3)


def _grade_not_in_gazette(ev: Evidence) -> Draft | None:
    """"记一等功的都是谁": a grade (一等功, 特等奖, 三星) the gazette never gives, where it gives others of its kind
    (二等功, 二星) — none is on record: refused, quoting those it gives. A claim of it ("都记了一等功？真的假的", "拿了
    三星金鼎，还记了一等功，是伐" — no who/which/how many asked) is corrected, every wrong grade of it, without
    repeating them."""
    corpus = ev.assistant.corpus
    text = corpus.abbrev_text
    q = normalize_query(ev.question)
    said: list[str] = []
    quotes: list[tuple[Clause, str]] = []
    stars = False
    for m in AWARD_GRADE.finditer(q):
        asked, kind = m.group(0), _grade_kind(m)
        given = sorted({g.group(0) for g in AWARD_GRADE.finditer(text) if _grade_kind(g) == kind})
        if asked in text or not given:
            continue
        # the sentences giving them: in the best clauses, else anywhere in the best clause's document
        found = [(c, s) for c, _ in ev.ranked[:3] for s in split_sentences(c.text) if any(g in s for g in given)] or [
            (c, s) for c in corpus.document_of(ev.top).clauses for s in split_sentences(c.text)
            if any(g in s for g in given)]
        # said with whom it went to (集体二等功), or stars with what they are of (二星平安金鼎)
        before, after = ("", STARS_OF) if kind == "星" else (GRADE_HOLDER, "")
        for c, s_ in found:
            if (c, s_) not in quotes:
                quotes.append((c, s_))
            said += [h.group(0).replace("”", "").replace('"', "")
                     for h in re.finditer(before + "(?:" + "|".join(given) + ")" + after, s_)]
        stars = stars or kind == "星"
    if not quotes:
        return None
    quotes = quotes[:3]
    said_text = "、".join(dict.fromkeys(said))
    # who / which / how many asked, or whether any was given ("有没有给个人记三等功的"): no claim to correct
    # ("十几个人", "好几个": numbers, not questions)
    claim = not re.search(r"谁|哪|什么|啥|(?<![十百千万好])几|多少|有没有|有无|是否有", q)
    verb = "写的是" if stars else "记的是"
    lead = (f"不对。本期公报{verb}{said_text}，没有您说的那一等级。" if claim
            else f"本期公报没有这一等级的记载（{verb}{said_text}）。")
    lines = [lead] + [f"原文：“{s.strip()}”\n——{c.citation}" for c, s in quotes]
    clauses = list({c.id: c for c, _ in quotes}.values())
    warnings = clause_warnings(corpus, clauses, ev.assistant.settings.today)
    composed = Composed("\n".join(lines + warnings), [citation_of(c, s.strip()) for c, s in quotes], warnings, [])
    return ev.answer(composed, "answer" if claim else "refusal")


# an industry named as such: 住宿业, 餐饮业 (not 业务, 业主, 业绩, 业内, 业态; nor 企业, 就业: see below)
RARE_ENTRY = 100  # jieba's dictionary counts its odd entries (宿业, 游业) in single figures, its words (物业: 239) higher
SECTOR_WORD = re.compile(r"([\u4e00-\u9fff]{2})业(?![务主绩内者余态])")


def _sector_not_rewarded(ev: Evidence) -> Draft | None:
    """"我们是住宿业，营收过了5000万有奖吗": the clause's award has a rule for named sectors (14号's 科技信息、物流运输、
    商务服务、批零贸易), and the asker names another one — an industry of the rule file's vocabulary that is no
    choice (制造业), or a word for an industry (…业) the clause never writes: the gazette has no such award for it."""
    from .calculator.rules import default_book
    from .matching.vocabulary import vocabulary

    q = normalize_query(ev.question)
    if not (MONEY_INTENT.search(q) or AWARD_EXISTS.search(q)):
        return None
    book, top = default_book(), ev.top
    # the rule asked about: one with sectors, named by a keyword of its own that is no sector ("营收", "首次超过")
    rules = [r for r in book.of_clause(top.doc_no, top.path) if any(i.name == "sector" for i in r.inputs)]
    choices = [c for r in rules for i in r.inputs if i.name == "sector" for c in i.choices]
    asked = [r for r in rules if any(k in q for k in r.keywords
                                     if not any(k in c or c in k or book.says_everyday(k, c) for c in choices))]
    if not asked or any(c in q or book.says_everyday(q, c) for c in choices):
        return None
    industries = vocabulary().industries
    if any(n.name in choices and re.search(n.pattern, q) for n in industries):
        return None  # one of the sectors, in the words companies use ("快递公司")
    said = next((n.name for n in industries if n.name not in choices and re.search(n.pattern, q)), None)
    if said is None:
        seg = ev.assistant.corpus.tokenizer
        # (a word, then 业 that makes no word with its last character: 住宿|业, not 获奖|企业 or 创|就业)
        said = next((m.group(0) for m in SECTOR_WORD.finditer(q) if m.group(0) not in top.text
                     and seg.frequency(m.group(1)) > 0 and seg.frequency(m.group(1)[-1] + "业") < RARE_ENTRY), None)
    if said is None:
        return None
    sentence = next((s for s in split_sentences(top.text) if any(c in s for c in choices)), None)
    if sentence is None:
        return None
    return _quoted_refusal(ev, f"本期公报没有规定{said}企业的这项奖励：{top.citation}的这项奖励只针对"
                               f"{'、'.join(choices)}类企业。", top, sentence.strip())


def _quoted_refusal(ev: Evidence, lead: str, clause: Clause, sentence: str) -> Draft:
    """A refusal that says what the gazette does have: `lead`, then the clause's sentence quoted, with its
    citation and the clause's validity warnings."""
    warnings = clause_warnings(ev.assistant.corpus, [clause], ev.assistant.settings.today)
    body = f"{lead}\n原文：“{sentence}”\n——{clause.citation}"
    return ev.answer(Composed("\n".join([body] + warnings), [citation_of(clause, sentence)], warnings, []), "refusal")


# a class of a thing, as numbered ("I类客车", "二类客车", "A类"): 一 and I and Ⅰ are one class
CLASS_OF = re.compile(r"([一二三四五]|[IVX]{1,3}|[ⅠⅡⅢⅣⅤ]|[A-D])类([\u4e00-\u9fff]{0,2})")
_CLASS_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5,
                 "Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5}


def _class_not_in_gazette(ev: Evidence) -> Draft | None:
    """"二类客车走环线也免费吗": the best clause states its rule for another class of the same thing (I类客车) and
    none for the class asked — the gazette says nothing of that class; the clause's sentence is quoted."""
    q = normalize_query(ev.question).upper()
    top = ev.top
    text = normalize_query(top.text).upper()
    for m in CLASS_OF.finditer(q):
        asked, thing = _CLASS_NUMBER.get(m.group(1), m.group(1)), m.group(2)
        stated = [(c, s) for s in split_sentences(top.text) for c in CLASS_OF.finditer(normalize_query(s).upper())
                  if thing and c.group(2) == thing]
        if not stated or any(_CLASS_NUMBER.get(c.group(1), c.group(1)) == asked for c, _ in stated) or m.group(0) in text:
            continue
        said = "、".join(dict.fromkeys(c.group(0) for c, _ in stated))
        return _quoted_refusal(ev, f"本期公报没有规定“{m.group(0)}”的这项内容：{top.citation}只对{said}作了规定。",
                               top, stated[0][1].strip())
    return None


def named_insurance_absent(assistant: Assistant, question: str) -> str | None:
    """"水产养殖保险的保费补几成": an insurance named by words the gazette never writes (水产, 养殖) — it has no such
    insurance. The name is the words right before 保险, back to a particle or a word of one character; None when
    every word of it stands in the gazette (生猪价格指数保险, 短期出口信用保险) or nothing names it (买了保险)."""
    words = assistant.corpus.tokenizer.segment(normalize_query(question))
    for k, w in enumerate(words):
        if w != "保险" or (k + 1 < len(words) and words[k + 1] in ("公司", "机构", "理赔")):
            continue
        name: list[str] = []
        for before in reversed(words[max(0, k - 3): k]):
            if len(before) < 2 or not CJK_TERM.match(before) or set(before) & FUNCTION or DEMONSTRATIVE.fullmatch(before):
                break
            name.insert(0, before)
        if name and any(n not in _unbracketed(assistant) for n in name):
            return "".join(name) + "保险"
    return None


def _unbracketed(assistant: Assistant) -> str:
    """The gazette's text without round brackets (首台(套) is 首台套), built once per corpus."""
    return assistant.corpus.derived("unbracketed_text", lambda: assistant.corpus_text.replace("(", "").replace(")", ""))


def _insurance_not_in_gazette(ev: Evidence) -> Draft | None:
    """A money question about an insurance the gazette does not name: refused, offering the clauses near it."""
    q = ev.question
    if not (MONEY_INTENT.search(q) or asks_rate(q)) or ev.scoped:
        return None
    if (name := named_insurance_absent(ev.assistant, q)) is None:
        return None
    corpus = ev.assistant.corpus
    text = f"本期公报没有关于“{name}”的规定。"
    near = [c for c, _ in ev.ranked[:3] if "保险" in c.text]
    if not near:
        return _answer(ev.state, text + corpus.texts.not_found, "refusal", notes=ev.notes)
    return _refusal_offering(ev, text + "本期公报中涉及保险的相关条款（仅供参考，请核对原文）：", near)


def _living_not_in_gazette(ev: Evidence) -> Draft | None:
    """"种茶叶每亩补多少": a per-unit subsidy for something the gazette's per-unit subsidies are not for."""
    composed = living_refusal(ev.assistant, ev.question)
    return ev.answer(composed, "refusal") if composed is not None else None


def living_refusal(assistant: Assistant, question: str) -> Composed | None:
    """Said as such, with the per-unit subsidies the gazette does have, quoted."""
    from .awards import per_unit_rules, unnamed_living

    corpus = assistant.corpus
    if (word := unnamed_living(corpus, question)) is None:
        return None
    lines = [f"本期公报没有规定针对“{word}”的这类补贴。本期公报按面积等计算的补贴是："]
    cites: list[Citation] = []
    clauses = []
    terms = expanded_terms(corpus, question)
    for rule in per_unit_rules():
        if (clause := _rule_clause(corpus, rule.doc_no, rule.clause)) is None:
            continue
        sentence = best_sentence(corpus, terms, clause, question).strip()
        lines += [f"{rule.title}（{clause.citation}）", f"原文：“{sentence}”"]
        cites.append(citation_of(clause, sentence))
        clauses.append(clause)
    warnings = clause_warnings(corpus, clauses, assistant.settings.today)
    return Composed("\n".join(lines + warnings), cites, warnings, []) if cites else None


def _year_not_in_gazette(ev: Evidence) -> Draft | None:
    composed = other_year(ev.assistant, ev.question, ev.top)
    if composed is None:
        return None
    if (present_year(ev.assistant, ev.question) and STILL_RE.search(ev.question)
            and (valid := validity_answer(ev.assistant, ev.question, ev.top))):
        return ev.answer(valid)  # "我现在（2026年）还能申请伐": whether the policy still holds, verdict first
    return ev.answer(composed, "refusal")


STILL_RE = re.compile(r"还(能|可以|有|在|算|管用|按|照|会|发|给)")  # "今年还按这个文件发吗"


def present_year(assistant: Assistant, question: str) -> bool:
    """The question's only year is the asker's present (today's year): it asks what holds now."""
    return set(asked_years(question)) == {assistant.settings.today.year}


# a sum asked by the month or the day ("每个月能领多少", "一个月给多少", "一天补几块")
PER_PERIOD = re.compile(r"(?:每|一|按|每个|一个)\s*(月|天|日)[^,，。;；?？!！]{0,8}(?:多少|几)")


def _amount_not_stated(ev: Evidence) -> Draft | None:
    """An amount question whose asked-for figure the best clause does not state: a close clause that states it
    answers; otherwise the gazette states no amount for it (the clause promises support without one, or its
    amounts are for other things)."""
    q = ev.question
    checked = checked_kinds(q)  # "是不是按0.5%交", "18万还是20万": a figure of that kind is asked
    kinds = wanted_kinds(q) if asks_value(q) else (checked or None)
    rate = asks_rate(q) or checked == {"percent"}  # "这项保险的费率是多少", "补贴给几成"
    if not (AMOUNT_QUESTION.search(q) or rate or checked):
        return None
    corpus, today, single, top = ev.assistant.corpus, ev.assistant.settings.today, ev.single, ev.top
    named = rate_named(q)  # "费率是多少": a percentage of that name; 75% coverage does not state a 费率

    def off_subject(clause: Clause) -> str | None:  # the clause names the asker's subject without its figure
        subject = unfigured_subject(corpus, q, clause, kinds or {"money", "percent"})
        return None if subject and named and any(n in subject for n in named) and statements(subject) else subject

    off = off_subject(top)
    if (period := PER_PERIOD.search(normalize_query(q))) and not rate and not any(
            st.kind == "money" and period.group(1) in st.phrase for st in statements(top.text)):
        # "育儿津贴每个月发多少", "一个小孩一天补几块": a sum paid by the month or day that the clause never states
        # by it (its sums are totals, awards, budgets)
        return _said_absent(ev, f"按{'月' if period.group(1) == '月' else '天'}发放（计算）的这项金额")
    taxes = {n for n in named if n.endswith("税")} if rate else set()  # (rate_named holds the taxes named)

    def other_rates(clause: Clause) -> bool:  # "增值税是不是按2%交": its rates are of other things (销售额增长30%)
        return bool(taxes) and not any(t in st.phrase for st in statements(clause.text) for t in taxes)

    if single.direct and other_rates(top):
        return _said_absent(ev, "这项税收的具体比例（税率）")  # (said as below, when nothing else answers)
    if single.direct and not off:
        return None
    lex = corpus.lexical
    # the question's rare names (three characters or more) that the best clause has: a runner-up without them states
    # someone else's figure ("高新技术企业所得税税率": 15% is for 技术先进型服务企业, in another clause; "国家级孵化器
    # 奖多少": 150万 is for 国家级服务型制造示范企业)
    names = [t for t in (x.lstrip("#") for x in query_terms(corpus, without_circumstances(q)))
             if len(t) >= 3 and t in lex.tokens_of(top.id) and lex.idf.get(t, 0.0) >= lex.idf_of_df(3)]
    for other in ev.close(0.8):
        # (a name the clause lists in parts counts: 医疗卫生 in "医疗、卫生资金7.85亿元")
        listed = other.text.replace("、", "")
        if any(n not in lex.tokens_of(other.id) and n not in listed for n in names):
            continue
        if other_rates(other):
            continue  # a runner-up's rate of something else is no more the tax's rate than the best clause's
        if (alt := compose_single(corpus, ev.question, other, today)).direct and not off_subject(other):
            return ev.answer(alt)  # 市级工业设计中心的奖励
    granted = rate and GRANT_Q.search(normalize_query(q))  # "补几成": the share a grant pays
    fee = re.search(r"收费|收多少|费用", q)  # "鉴定费一般收多少": a charge, not a support
    what = ("这项补贴的具体比例" if granted else "这项税收的具体比例（税率）" if taxes else "这项的具体比例（费率）" if rate
            else "这项收费的具体金额" if fee else "这项支持的具体金额")
    if off:  # "生猪价格指数保险补贴几成": the clause names that insurance; its only rate is for something else
        text = f"本期公报没有规定{what}。相关条款原文：“{off}”\n——{top.citation}"
        composed = Composed(text, [citation_of(top, off)], single.warnings, [], "")
        return ev.answer(composed, "refusal", "\n".join([text] + single.warnings))
    if rate and named:
        stated = any(any(n in st.phrase for n in named) for st in statements(top.text))  # 容积率1.5 too
    elif granted:  # a rate granted, not the clause's 更新率
        stated = any(st.kind == "percent" and AWARD_RATE.search(st.phrase) for st in statements(top.text))
    else:
        stated = (RATE_FIGURE if rate else MONEY_AMOUNT).search(top.text)
    if not stated:
        return _said_absent(ev, what)  # "那个费率具体多少": the clause names the support, no amount or rate
    if rate:
        return None
    if missing_subject(corpus, without_circumstances(q), top):  # "高龄补贴发多少": amounts for other things
        # (the asker's story — "我老家在外省，…" — names nothing the clause must have)
        text = (f"本期公报没有规定{what}。最接近的条款是{top.citation}"
                f"（{top.heading or top.doc_title}），其中的金额针对其他事项。")
        return ev.answer(single, "refusal", "\n".join([text] + single.warnings))
    return None


def asks_rate(question: str) -> bool:
    """The question asks for a rate or share ("补几成", "百分之几", "费率是多少")."""
    return asks_value(question) and wanted_kinds(question) == {"percent", "ratio"}


def _said_absent(ev: Evidence, what: str) -> Draft:
    """A refusal on evidence: "本期公报没有规定{what}", with the best clause's sentence quoted for what it does say."""
    quote = ev.single.citations[0].quote if ev.single.citations else ev.top.text
    text = f"本期公报没有规定{what}。相关条款原文：“{quote}”\n——{ev.top.citation}"
    return ev.answer(ev.single, "refusal", "\n".join([text] + ev.single.warnings))


def _time_not_stated(ev: Evidence) -> Draft | None:
    """"免费体检几月份去": a question for a date whose best clause states none (no day, no month) — the gazette
    does not say when; the clause is quoted for what it does say."""
    q = ev.question
    if wanted_kinds(q) != {"date"} or VALIDITY_INTENT.search(q) or ev.scoped:
        return None
    if any(st.kind == "date" for st in statements(ev.top.text)) or re.search(r"\d{1,2}\s*月", ev.top.text):
        return None
    return _said_absent(ev, "这项的具体时间")


# a question whether something is allowed: said at its end ("…可以伐", "…行不行") or asked A-not-A ("能不能拍几张照片")
PERMISSION = re.compile(r"(?:可以|行|允许)(?:伐|吗|么|嘛|不)?\s*[?？!！。]*$|可不可以|行不行|允不允许|能不能|能否|可否|让不让|准不准")


def _figure_not_stated(ev: Evidence) -> Draft | None:
    """"积分落户要攒够多少分": a question for a number whose best clause states no figure at all — the gazette does
    not say how many; the clause is quoted for what it does say (never a quote that looks like the answer). A close
    runner-up that states the asker's figure answers instead, as for amounts."""
    q = ev.question
    if (not re.search(rf"多少|(?<!哪){JI}", q) or RESPONSIBLE_INTENT.search(q) or VALIDITY_INTENT.search(q) or ev.scoped
            or ev.single.direct):  # "哪几个部门" asks which, not how many
        return None
    if PERMISSION.search(q) and "多少" not in q:
        return None  # "鉴定时我拍几张照片可以吗": may I — 几 is "a few", no number is asked
    # 八五折, 两成, 一次 are figures (a bare 一 is in 统一, 一体化)
    if re.search(r"\d|[二两三四五六七八九十百千万亿]|一\s*(?:次|个|项|家|名|批|倍|成|台|座|条)", ev.top.text):
        return None
    corpus, today = ev.assistant.corpus, ev.assistant.settings.today
    for other in ev.close(0.8):  # "在推装配式装修，每年搞几个试点": a runner-up that states the number answers
        if (alt := compose_single(corpus, ev.question, other, today)).direct:
            return ev.answer(alt)
    return _said_absent(ev, "这项的具体数值")


# the words that ask for a value or a fact, after what the question asks about ("起征点|是多少")
ASKED_AFTER = re.compile(r"(到底|具体|现在|一般|大概)?(是|有|要|能|可以)?(多少|几|什么|啥)")


def asked_head(corpus: Corpus, question: str) -> str | None:
    """What the question asks the value of, when it is a word of three characters or more that the gazette never
    writes, not even inside a word, and that is about public life (near some word of the gazette by meaning):
    "增值税起征点是多少" -> 起征点. None when the word before the asking words is anything else."""
    text = normalize_query(question)
    m = ASKED_AFTER.search(text)
    if m is None:
        return None
    phrase = re.split(r"[,，。;；?？!！\s]", text[: m.start()])[-1]
    words = [w for w in corpus.tokenizer.segment(phrase) if CJK_TERM.match(w)]
    if not words:
        return None
    head = words[-1]
    soft = corpus.soft
    if (len(head) >= 3 and soft is not None and head not in corpus.lexical.idf and not ASK.search(head)
            and not head.startswith("百分")
            and head not in corpus.abbrev_text and soft.relatedness(head) >= RELATED):
        return head
    return None


WHICH_DOCUMENT = re.compile(r"(哪个|哪份|哪一个|哪一份|什么|啥)(文件|文|通知|决定)|出自哪|哪里规定")


def _quote(ev: Evidence) -> Draft:
    """The best clause's sentence (with the asker's figure first); several close clauses are listed together."""
    close = ev.close(0.8)
    listing = bool(LIST_INTENT.search(ev.question))
    who = RESPONSIBLE_INTENT.search(ev.question) and ev.top.responsible_units  # led by the unit, not a list
    corpus = ev.assistant.corpus
    if (not ev.scoped and (head := asked_head(corpus, ev.question)) is not None
            and not any(len(w) >= 2 and w in head for w in corpus.lexical.tokens_of(ev.top.id))):
        # "增值税起征点是多少": what is asked is named nowhere in the gazette, only words around it are
        text = (f"本期公报没有关于“{head}”的规定。相关的条款是{ev.top.citation}（{ev.top.heading or ev.top.doc_title}），"
                f"其中没有这一内容。")
        return _answer(ev.state, text, "refusal", Composed(text, [citation_of(ev.top, ev.top.heading or "")], [], []),
                       notes=ev.notes)
    if (ev.single.direct and not listing) or not close or who:  # the asker's figure found: that clause answers
        doc = corpus.document_of(ev.top)
        if WHICH_DOCUMENT.search(ev.question) and doc.doc_no and doc.title:  # "是哪个文件": the document, named first
            return ev.answer(ev.single, text=f"出自{doc.doc_no}《{doc.title}》。\n{ev.single.text}")
        return ev.answer(ev.single)
    return ev.answer(compose_list(ev.assistant.corpus, ev.question, [ev.top] + close[:2], ev.assistant.settings.today))


# The one place the answer to a policy question is decided, after retrieval: first decision that answers wins.
# (Before retrieval, assistant/router.py decides refusal | lookup | calculation | policy, and BRANCHES below runs it.)
DECISIONS = (
    ("document_validity", _document_validity),  # before the refusal: a document's words spread over its clauses
    ("off_topic", _off_topic),
    ("about_the_document", _about_the_document),
    ("part_listing", _part_listing),
    ("period_not_in_list", _period_not_in_list),
    ("post_not_in_list", _post_not_in_list),
    ("appointment_list", _appointment_list),
    ("clause_formula", _clause_formula),
    ("award_not_in_gazette", _award_not_in_gazette),
    ("insurance_not_in_gazette", _insurance_not_in_gazette),
    ("sector_not_rewarded", _sector_not_rewarded),
    ("class_not_in_gazette", _class_not_in_gazette),
    ("living_not_in_gazette", _living_not_in_gazette),
    ("grade_not_in_gazette", _grade_not_in_gazette),
    ("year_not_in_gazette", _year_not_in_gazette),
    ("amount_not_stated", _amount_not_stated),
    ("time_not_stated", _time_not_stated),
    ("figure_not_stated", _figure_not_stated),
    ("quote", _quote),
)


def _policy(assistant: Assistant, state: Routed, allowed: set[str] | None = None) -> Draft:
    corpus = assistant.corpus
    question = state.resolved
    notes: list[str] = list(state.notes)
    if (composed := appointment_count_answer(assistant, question)) is not None:
        return _answer(state, composed.text, "answer", composed, notes=notes)
    if allowed is None and state.scope:
        allowed = set(state.scope)  # a short follow-up: within the clause the conversation is on
    ranked = None
    if allowed is not None:
        hits = [h for h in _lexical_within(assistant, question, allowed)]
    else:
        got = assistant.retriever.retrieve(question, k=8, filters=Filters())
        notes.extend(got.notes)
        hits = got.hits
        if state.subject:  # a follow-up's new subject: the clauses that name it, when one of them covers the question
            lex = corpus.lexical
            named = [h for h in hits if all(w in lex.tokens_of(h.clause.id) for w in state.subject)]
            if named and (by_named := _rank(assistant, question, named))[0][1] >= MIN_COVERAGE:
                hits, ranked = named, by_named
    if not hits:
        return _answer(state, corpus.texts.not_found, "refusal", notes=notes, decision="off_topic")
    ranked = ranked or _rank(assistant, question, hits, widen=allowed is None)
    if allowed is None and not state.subject:
        ranked = _asked_sentence_first(assistant, question, ranked)
    ev = Evidence(assistant, state, question, ranked, allowed is not None, notes)
    for name, decide in DECISIONS:
        if (out := decide(ev)) is not None:
            return replace(out, decision=name)
    raise AssertionError("the last decision always answers")  # pragma: no cover


STRONG_COVERAGE = 0.5  # more than half of a question's weight found in one clause


def _asked_sentence_first(assistant: Assistant, question: str, ranked: list[tuple[Clause, float]]):
    """"有帖子说保险公司和鉴定所串通…没人管。司法局跟金融监管一年联合查几次？": the sentences that only tell (what was
    heard, what happened) set the scene; the sentence that asks names the clause. When it alone covers a clause well
    (most of its words: STRONG_COVERAGE) and that clause is not the message's first, it leads, credited with the
    better of the two covers. (A sentence that asks with few words of its own — "目标是要多少人参保" after a story
    about 长护险 — leaves the story its say.)"""
    parts = split_parts(question)
    first = next((i for i, p in enumerate(parts) if p.asks), None)
    if len(parts) < 2 or first is None or not all(p.asks for p in parts[first:]):
        return ranked  # only a story before the asking sentences (a story after them is the asker's circumstances)
    asking = "".join(p.text for p in parts[first:])
    hits = assistant.retriever.retrieve(asking, k=8, filters=Filters()).hits
    if not hits:
        return ranked
    own, own_cov = _rank(assistant, asking, hits)[0]
    if own_cov < STRONG_COVERAGE or (ranked and ranked[0][0].id == own.id):
        return ranked
    whole = next((cov for c, cov in ranked if c.id == own.id), None)
    if whole is None:
        whole = coverage(assistant.corpus, query_terms(assistant.corpus, question), own)
    return [(own, max(own_cov, whole))] + [(c, v) for c, v in ranked if c.id != own.id]


def clause_calculation(question: str, clause: Clause):
    """The calculator's extraction for a rule of this clause when the question gives every input of it ("公司节能
    3000吨、设备投资5000万，按10号文算补助多少" reaches 三、（二十） by its words, not by the calculator's keywords);
    None when the clause has no rule, the asker gives no figure, or a figure is missing."""
    from .calculator.extract import CALC_INTENT, ELIGIBILITY_INTENT, extract, has_numbers, restates_threshold
    from .calculator.rules import default_book

    rules = default_book().of_clause(clause.doc_no, clause.path)
    text = normalize_query(question)
    if not rules or not has_numbers(text) or not (CALC_INTENT.search(text) or ELIGIBILITY_INTENT.search(text)):
        return None
    found = [e for r in rules if (e := extract(text, rules, rule_id=r.id)) is not None and not e.missing
             and not restates_threshold(text, r)]
    return max(found, key=lambda e: e.score, default=None)


AMOUNT_QUESTION = re.compile(rf"多少(?:钱|钞票|票子|面额|面值)|几钿|[补奖给发拿领减免退返]多少(?!\s*(?:{CLASSIFIER}))|(奖励|补贴|补助|奖金|津贴|资助|优惠|减免|收费|费用|租金|价格|面额|面值|"
                             r"学费|保费)[^,，。?？;；]{0,6}多少|金额|几[十百千]?[万千百]块?|几块|收费标准|收多少")
MONEY_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元)")
RATE_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|个百分点)|\d+(?:\.\d+)?\s*:\s*\d|[一二三四五六七八九]成|百分之|[一二三四五六七八九]折")


def other_year(assistant: Assistant, question: str, clause: Clause) -> Composed | None:
    """"2023年的时候稻麦复种每亩补多少": the clause's document applies to 2024 only. Said as such (a year the clause
    itself names, or one inside the document's term, is the asker's context, not another policy). A document that
    states no term acts from its date: a year before it is not its own either ("2023年老旧小区改了多少个", 13号)."""
    from .calculator.extract import has_numbers

    doc = assistant.corpus.document_of(clause)
    if VALIDITY_INTENT.search(question) or has_numbers(question):
        return None  # ("2023年研发投入2亿，2024年2.8亿": the years date the asker's own figures)
    termed = doc.effective_from is not None and doc.effective_to is not None
    if termed:
        first, last = doc.effective_from.year, doc.effective_to.year
    elif doc.signed is not None:  # no term: the document acts from its date on (13号, signed 2024-04-17)
        first, last = doc.signed.year, None
    else:
        return None
    for year in asked_years(question):
        if str(year) in clause.text or first <= year and (last is None or year <= last):
            continue
        if termed:
            span = f"{doc.effective_from:%Y年%-m月%-d日}至{doc.effective_to:%Y年%-m月%-d日}"
            text = f"本期公报没有{year}年的这项规定：{doc.doc_no}的有效期为{span}。\n——{clause.citation}"
            return Composed(text, [citation_of(clause, doc.validity_note or span)], [], [])
        text = (f"本期公报没有{year}年的这项内容：{doc.doc_no}于{doc.signed:%Y年%-m月%-d日}印发，"
                f"其中的措施和目标自那时起算。\n——{clause.citation}")
        return Composed(text, [citation_of(clause, clause.heading or clause.text[:40])], [], [])
    return None


def no_such_award(assistant: Assistant, question: str, ranked, whole: bool = True) -> Composed | None:
    """"国家级节水型企业奖励多少": the clause rewards only 省级 ones. Said as such, with the awards it does have.
    `whole`: also against the whole catalogue (an item no award names, or one retrieval ranked below others); without
    it, only the given clauses' awards (a calculation's own rule)."""
    from .awards import absent_item, catalogue, clause_awards, missing_level, nearest

    corpus = assistant.corpus
    awards = [a for c, _ in ranked for a in clause_awards(c)]
    # the item's awards wherever the gazette states them: retrieval may rank another clause first
    found = missing_level(question, awards) or (missing_level(question, catalogue(corpus), grades=False)
                                                if whole else None)
    if found is not None:
        level, related, terms = found
        head = (f"本期公报没有规定“{terms}”的奖励。" if terms
                else f"本期公报没有对“{level}”这一级别规定这项奖励。")
    elif whole and (item := absent_item(question, catalogue(corpus), assistant.corpus_text)) is not None:  # "国家级农机合作社示范社": no award names it
        related = nearest(question, awards)
        head = f"本期公报没有规定“{item}”的奖励。"
    else:
        return None
    lines = [head + ("相近的规定有：" if related else "")]
    cites: list[Citation] = []
    for n, a in enumerate(related[:4], 1):
        clause = corpus.by_id[a.clause_id]
        said = a.recipient if a.amount in a.recipient else f"{a.recipient}：{a.amount}"
        lines.append(f"{n}. {said}（{clause.citation}）")
        if a.clause_id not in {c.clause_id for c in cites}:
            cites.append(citation_of(clause, a.sentence))
    lines += [f"原文：“{c.quote}”" for c in cites]
    warnings = clause_warnings(corpus, [corpus.by_id[c.clause_id] for c in cites], assistant.settings.today)
    return Composed("\n".join(lines + warnings), cites, warnings, [])


def _lexical_within(assistant: Assistant, question: str, allowed: set[str]):
    from .retrieval import Hit

    found = assistant.corpus.lexical.search(question, k=8, allowed=allowed)
    if not found:  # nothing matched the words: the cited unit itself (not the part around it: 三、 of 三、（一）)
        by_id = assistant.corpus.by_id
        found = [(by_id[i], 0.0) for i in sorted(allowed, key=lambda i: (-len(by_id[i].path), by_id[i].order))][:1]
    return [Hit(c, s, r, None) for r, (c, s) in enumerate(found, 1)]


def _maybe_llm(assistant: Assistant, state: Draft) -> Draft:
    if assistant.llm is None or state.kind not in ("answer", "lookup", "calculation"):
        return state
    from .llm import rewrite_with_llm

    return rewrite_with_llm(assistant, state)


def _finalize(assistant: Assistant, state: Draft) -> Answer:
    notes = list(state.notes)
    text = state.answer
    if notes and not state.llm_used:
        text = text + "\n" + "\n".join(f"（{n}）" for n in notes if n not in text)
    kind = state.kind
    if kind == "refusal" and HOTLINE not in text:
        text += HOTLINE if text.endswith(("。", "\n")) else "\n" + HOTLINE
    return Answer(
        id=state.id, question=state.question, resolved_question=state.resolved or state.question,
        answer=text, kind=kind, citations=list(state.citations), calculation=state.calculation,
        warnings=list(state.warnings), notes=notes, route=state.route.kind if state.route else "",
        llm_used=state.llm_used,
    )


# --------------------------------------------------------------------------------------------- chain


REFUSAL_ROUTES = frozenset({"empty", "too_long", "injection", "chitchat", "out_of_scope"})
# The one place the route decides the step: (test on the route kind, step, name), first match wins.
BRANCHES = (
    (lambda kind: kind in REFUSAL_ROUTES, _refuse, "refuse"),
    (lambda kind: kind == "compound", _compound, "compound"),
    (lambda kind: kind == "lookup", _lookup, "lookup"),
    (lambda kind: kind == "calculation", _calculation, "calculate"),
    (lambda kind: True, _policy, "retrieve_and_compose"),
)


def _branch(kind: str):
    return next(fn for test, fn, _ in BRANCHES if test(kind))


HEAD = (("prepare", _prepare), ("route", _route))
TAIL = (("llm_rewrite", _maybe_llm), ("finalize", _finalize))


class Pipeline:
    """prepare -> route -> (refuse | lookup | calculate | retrieve_and_compose) -> llm_rewrite -> finalize, as plain
    calls. Each step declares its input and output record (assistant/turns.py); the steps are checked to connect
    when the pipeline is built. The LCEL chain of `build_chain` is the same steps for LangChain users."""

    def __init__(self, assistant: Assistant, until_compose: bool = False) -> None:
        for _, fn, name in BRANCHES:
            connect([*HEAD, (name, fn), *TAIL])
        self.assistant, self.until_compose = assistant, until_compose

    def invoke(self, state: Ask | dict, config=None) -> Draft | Answer:
        from .calculator.rules import rules_of

        with rules_of(self.assistant.settings.corpus_dir):  # the calculator's rules are this corpus's
            return self._invoke(state)

    def _invoke(self, state: Ask | dict) -> Draft | Answer:
        a = self.assistant
        state = _route(a, _prepare(a, Ask.of(state)))
        state = _branch(state.route.kind)(a, state)
        if self.until_compose:
            return state
        return _finalize(a, _maybe_llm(a, state))


def build_chain(assistant: Assistant, until_compose: bool = False):
    """The LCEL runnable. Each step is named, so LangChain callbacks trace it step by step."""
    from langchain_core.runnables import RunnableBranch, RunnableLambda

    from .calculator.rules import rules_of

    def under_rules(fn, state):
        with rules_of(assistant.settings.corpus_dir):  # the calculator's rules are this corpus's, in every step
            return fn(assistant, state)

    def step(fn, name):
        return RunnableLambda(functools.partial(under_rules, fn), name=name)

    branch = RunnableBranch(
        *[(lambda s, test=test: test(s.route.kind), step(fn, name)) for test, fn, name in BRANCHES[:-1]],
        step(BRANCHES[-1][1], BRANCHES[-1][2]),
    )
    head = step(_prepare, "prepare") | step(_route, "route") | branch
    if until_compose:
        return head.with_config(run_name="gazette_answer_compose")
    return (head | step(_maybe_llm, "llm_rewrite") | step(_finalize, "finalize")).with_config(
        run_name="gazette_answer_chain")
