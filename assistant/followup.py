"""History-aware follow-ups without an LLM: "那省级的呢？" after "国家级绿色工厂奖多少" becomes "省级绿色工厂奖多少".

Each user turn is resolved against the previous resolved turn, so a chain of follow-ups keeps its subject. Three
moves, in order: a citation without a 文号 inherits the previous one ("那第20条呢" -> "10号文第20条"); a value of
the same kind replaces the previous one (国家级 -> 省级, A档 -> B档, 3000万 -> 5000万); otherwise the follow-up's own
words are added to the previous question.
"""

from __future__ import annotations

import re

from .calculator.extract import extract, is_calculation_request, mentions
from .citations import DOC_RE, parse_citation
from .parts import without_circumstances
from .statements import THRESHOLD_Q, names_award
from .textnorm import normalize_query

# General: the administrative levels and scopes any policy text rewards by. A gazette's own enumerations
# (稻麦复种/一季早粮/油菜连片) come from its data file (`knowledge.slots`), passed as `extra_slots`.
GENERAL_SLOTS = (
    ("国家级", "省级", "市级", "县级"),
    ("国际", "国内", "省内", "市内"),
)
# a level as people say it after a question that named one ("那省里的呢"), with 的: without it 省里 is the government
# that pays ("省里还另外奖吗"); 市里 is left out: it is also "the city" that pays ("市里奖多少")
LEVEL_WORDS = (("省里的", "省级"), ("省上的", "省级"), ("国家的", "国家级"), ("县里的", "县级"))
FOLLOW_MARK = re.compile(r"^(那|那么|那如果|如果是|如果|要是|换成|改成|还有|另外|再问|同样|那个|这个)|呢[?？]?$|[它该此]|这(条|项|一条)|"
                         r"这(个)?(事|件事)")
TIER_RE = re.compile(r"([ABCDabcd])\s*(?:档|类|级|呢)")
FILLER = re.compile(r"^(那么|那如果|如果是|那|如果|要是|换成|改成|还有|另外|再问一下|再问|同样)|"
                    r"(那边|这边|那块|这块|那里|这里|方面)?(的)?(呢|吗|吧)?[?？。!！]*$")


PRONOUN = re.compile(r"它们|它|这个政策|这项政策|这个文件|该政策|该文件|该项|这个|这项|这条|此项")
LEADING = re.compile(r"^(那么|那如果|如果是|那|如果|要是|还有|另外|再问一下|再问|同样)")
# where the previous question stops naming its subject: "两业融合方案|有什么奖励", "海铁联运|有什么补助"
PREDICATE = re.compile(r"(讲了?|说了?|规定了?|是)?(有什么|有哪些|都有|什么|哪些|多少|几|怎么|如何|是否|能否|能不能|"
                       r"可不可以|可以|能|奖|补|给)")


def _mentioned(slot: tuple[str, ...], text: str) -> list[tuple[str, str]]:
    """(value, as written) for each value of the slot the text names: whole, or by a two-character stem no other
    value shares ("油菜" for 油菜连片, "早粮" for 一季早粮); a value inside a longer named value does not count."""
    found = []
    for v in slot:
        if v in text:
            found.append((v, v))
            continue
        # the stems no other value shares ("油菜" of 油菜连片); a two-character value is its own
        stems = [st for st in (v[:2], v[-2:]) if not any(st in w for w in slot if w != v)] if len(v) >= 4 else []
        if said := next((st for st in stems if st in text), None):
            found.append((v, said))
            continue
        # a value or stem that shortens two words by their first characters, said in full ("批发零售" for 批零)
        if said := next((m.group(0) for st in (stems if len(v) >= 4 else [v] if len(v) == 2 else [])
                         if (m := re.search(f"{re.escape(st[0])}[\u4e00-\u9fff]{re.escape(st[1])}[\u4e00-\u9fff]", text))),
                        None):
            found.append((v, said))
    return [(v, w) for v, w in found if not any(v != u and v in u for u, _ in found)]


def is_follow_up(question: str) -> bool:
    text = normalize_query(question)
    if len(text) > 24:
        return False
    q = parse_citation(text)
    if q is not None and q.has_unit and not q.has_doc:
        return True
    # "那乡下的呢？我住村里": the asker's circumstance after the follow-up does not make it a new question
    return bool(FOLLOW_MARK.search(text) or FOLLOW_MARK.search(without_circumstances(text)))


YEAR_RE = re.compile(r"(?<!\d)(20\d\d|2\d)\s*年")  # "24年" is 2024; "给50年" is a term of years


def asked_years(question: str) -> list[int]:
    """The years a question names, in order ("24年" -> 2024)."""
    return [int(y) + (2000 if len(y) == 2 else 0) for y in YEAR_RE.findall(normalize_query(question))]


def rewrite(question: str, previous: str, extra_slots: tuple[tuple[str, ...], ...] = ()) -> str:
    """The follow-up as a standalone question, given the previous (resolved) user question."""
    text = normalize_query(question)
    prev = normalize_query(previous)
    q = parse_citation(text)
    if q is not None and q.has_unit and not q.has_doc:
        pm = DOC_RE.search(prev)
        if pm:
            return f"{pm.group(0)}{text}"
    # continuing an unfinished calculation: "技改投了3000万补多少" -> (asks for 档次) -> "A档"
    if is_calculation_request(prev) and (e := extract(prev)) and e.missing and len(text) <= 24:
        return f"{prev}，{text}"
    if q is not None and q.has_doc and (dm := DOC_RE.search(prev)) and (nm := DOC_RE.search(text)):
        return prev[: dm.start()] + nm.group(0) + prev[dm.end():]  # "14号文有效期…" -> "10号文呢" -> "10号文有效期…"
    if any(names_award(text, m.start, m.end) for m in mentions(text)["money"]) or THRESHOLD_Q.search(text):
        # "要是做批发零售的咧，营收要到多少才有50万", "那批零的呢，门槛多少": a question of its own (which bracket pays
        # that award, what it takes); the previous question lends only the category or level it does not name
        slots = GENERAL_SLOTS + tuple(extra_slots)
        lent = [] if any(_mentioned(slot, text) for slot in slots) else [v for slot in slots for v, _ in _mentioned(slot, prev)]
        return "".join(lent) + text
    changed = prev
    for slot in GENERAL_SLOTS + tuple(extra_slots):
        new, old = _mentioned(slot, text), _mentioned(slot, prev)
        if not new and old and slot is GENERAL_SLOTS[0]:  # "那省里的呢" after 国家级…: the level in everyday words
            new = [(v, w) for w, v in LEVEL_WORDS if w in text][:1]
        if len(new) == 1 and old and new[0][0] != old[0][0]:
            changed = changed.replace(old[0][1], new[0][0])
    if (m := TIER_RE.search(text)) and (pm := re.search(r"([ABCD])\s*档", changed)):
        changed = changed[: pm.start(1)] + m.group(1).upper() + changed[pm.end(1):]
    # "3000万呢", "100亩呢": the asker's new figure replaces the previous one of the same kind and unit
    new_figures, old_figures = mentions(text), mentions(prev)
    for kind in ("money", "percent", "count"):
        for unit in {m.unit for m in new_figures[kind]}:
            # (not the award a follow-up is after: "营收要到多少才有50万" asks which bracket pays 50万)
            new = [m for m in new_figures[kind] if m.unit == unit and not names_award(text, m.start, m.end)]
            old = [m for m in old_figures[kind] if m.unit == unit]
            if len(new) == 1 and len(old) == 1:
                changed = changed.replace(prev[old[0].start:old[0].end], text[new[0].start:new[0].end])
    if changed != prev:
        return changed
    # "两业融合方案有什么奖励" -> "它什么时候到期": the previous subject with the new predicate
    if PRONOUN.search(text) and (m := PREDICATE.search(prev)) and m.start() >= 2:
        rest = PRONOUN.sub("", LEADING.sub("", text)).strip()
        if rest:
            return prev[: m.start()] + rest
    core = _own_core(text)
    if core and core in prev:  # "那省级的呢" again after 省级…: nothing new, and the question must not grow
        return prev
    return _joined(prev, core)


def _own_core(text: str) -> str:
    """What a follow-up asks in its own words, without the asker's story ("那村里的呢，我住乡下" -> 村里)."""
    return follow_up_core(without_circumstances(text).rstrip(",，;； "))


def _joined(prev: str, core: str) -> str:
    """The previous question with the follow-up's own words after it; the follow-up's year replaces the previous
    question's ("那24年老旧小区改造…" after a question on 2027)."""
    if not core:
        return prev
    if YEAR_RE.search(core):
        prev = YEAR_RE.sub("", prev)
    return f"{prev.rstrip('?？。 ')} {core}".strip()  # one question: the previous one's question mark would split it


def follow_up_core(text: str) -> str:
    """The follow-up's own words, without its opening connective and closing particle ("那数字化车间的呢" -> 数字化车间)."""
    core = FILLER.sub("", text).strip()
    return FILLER.sub("", core).strip()


ASKS = re.compile(r"多少|几|哪|什么|啥|谁|怎么|如何|咋|吗|么|伐|没有|不|是否|能否|[?？]")


def own_question(question: str, previous: str, extra_slots: tuple[tuple[str, ...], ...] = ()) -> str | None:
    """A follow-up that adds words of its own to the previous question, as a question of its own: its words, and
    when it asks nothing itself, the previous question's predicate ("共享制造的呢" after "…示范企业每年培育多少家" ->
    "共享制造每年培育多少家"; "那大棚贷款能贴息吗" stands alone). None when rewrite() does not add the words
    (a level, a figure or a citation replaced, a pronoun)."""
    text, prev = normalize_query(question), normalize_query(previous)
    if rewrite(question, previous, extra_slots) != _joined(prev, _own_core(text)):
        return None
    core = follow_up_core(without_circumstances(text))  # "那乡下的呢？我住村里": what it asks, not the asker's story
    if not core or core in prev:
        return None
    if ASKS.search(core):
        return core
    if (sibling := _sibling_replaced(core, prev)) is not None:
        return sibling
    m = ASKED_PREDICATE.search(prev)
    return f"{core}{prev[m.start():]}" if m is not None and m.start() >= 2 else None


WORD_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")  # a subject as written: no punctuation or space


def _sibling_replaced(core: str, prev: str) -> str | None:
    """"那厂房用地呢" after "研发用地容积率不低于几": the new subject ends with the previous one's head word (用地), so
    it takes the previous subject's place and the whole predicate stays ("厂房用地容积率不低于几").
    None when no head word of two characters or more is shared."""
    if len(core) < 3 or not WORD_RUN.fullmatch(core):
        return None
    for n in range(len(core) - 1, 1, -1):
        head = core[-n:]
        at = prev.find(head)
        if at < 0:
            continue
        start = at
        while start > 0 and WORD_RUN.fullmatch(prev[start - 1]):
            start -= 1
        subject = prev[start: at + n]
        if subject == core or not ASKS.search(re.sub(r"[?？]", "", prev[at + n:])):  # the predicate asks after it
            return None
        return prev[:start] + core + prev[at + n:]
    return None


# where the previous question starts asking, for a new subject to take over: whole asking words ("省级智能工厂奖多少"
# -> 奖多少, not the 能 of 智能)
ASKED_PREDICATE = re.compile(r"(奖|补|给|发|拿|领)?(有什么|有哪些|都有|什么|哪些|多少|几|怎么|如何|是否|能否|能不能|可不可以)|"
                             r"(有|能|可以|享受)[^，,。？?]{1,6}(吗|伐|么|嘛|没有)[?？]?$")  # "…有优惠伐": a yes-or-no


def continues_calculation(question: str, previous: str) -> bool:
    """A short reply to "还需要：绩效综合评价档次" ("A档", "3000万", "是战略性新兴产业")."""
    if not previous or len(normalize_query(question)) > 24 or not is_calculation_request(previous):
        return False
    e = extract(previous)
    return bool(e and e.missing)


def resolve_previous(history: list[dict], extra_slots: tuple[tuple[str, ...], ...] = ()) -> str:
    """The last user question of the history, itself resolved against the turns before it ("" when none)."""
    resolved_prev = ""
    for turn in history or []:
        if turn.get("role") != "user":
            continue
        content = str(turn.get("content") or "")
        follows = resolved_prev and (is_follow_up(content) or continues_calculation(content, resolved_prev))
        resolved_prev = rewrite(content, resolved_prev, extra_slots) if follows else content
    return resolved_prev


def resolve_history(question: str, history: list[dict], extra_slots: tuple[tuple[str, ...], ...] = ()) -> str:
    """Resolve the question against the user turns of the history, oldest first. `extra_slots`: the loaded
    gazettes' enumerations (`corpus.knowledge.slots`)."""
    resolved_prev = resolve_previous(history, extra_slots)
    if resolved_prev and (is_follow_up(question) or continues_calculation(question, resolved_prev)):
        return rewrite(question, resolved_prev, extra_slots)
    return question


SHORT = 12  # "上限多少", "这条谁负责", "现在还能申请吗": a short turn in a conversation usually continues it


def is_short(question: str) -> bool:
    """Short once the asker's own story is left out ("这件事谁管 我想去咨询")."""
    return len(re.sub(r"[\s?？!！。,，]", "", without_circumstances(question))) <= SHORT
