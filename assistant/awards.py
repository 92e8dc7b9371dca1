"""The award catalogue: every amount of money the gazette promises to someone, read from its own sentences.

An entry is (recipient, amount, clause, sentence): "省级绿色工厂和绿色园区 → 50万元" from an enumeration with 分别
(compose.find_enumerations), "对新认定的省重点实验室 → 200万元" from a sentence that gives one award (statements.py).
Nothing is typed by hand; tests/test_awards.py proves every entry's figures stand in its clause.

It answers what a retrieval score cannot: whether the gazette rewards the *level* a question names. "国家级节水型
企业奖励多少" finds the clause on 节水型企业 — which rewards only 省级 ones — and must be answered "本期公报没有规定
这项奖励", with the nearest real awards cited, not with the 省级 amount.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .compose import GRAMMAR, find_enumerations, split_sentences
from .statements import statements
from .textnorm import normalize_query
from .types import Clause

AWARD_WORD = re.compile(r"奖励|补助|补贴|奖补|资助")


class Award(NamedTuple):
    clause_id: str
    recipient: str
    amount: str
    sentence: str


def clause_awards(clause: Clause) -> list[Award]:
    out: list[Award] = []
    for sentence in split_sentences(clause.text):
        enums = find_enumerations(sentence)
        for e in enums:
            for label, amount in zip(e.labels, e.amounts):
                out.append(Award(clause.id, label, e.per + amount, sentence))
        if enums:
            continue
        for st in statements(sentence):
            if st.kind == "money" and AWARD_WORD.search(st.phrase) and st.subject.startswith("对"):
                out.append(Award(clause.id, st.subject.strip(" ,，;；。"), st.figure, sentence))
    return out


def han_bigrams(text: str) -> set[str]:
    """The character bigrams of the text's Chinese characters (punctuation, digits and Latin letters dropped)."""
    t = re.sub(r"[^\u4e00-\u9fff]", "", normalize_query(text))
    return {t[i:i + 2] for i in range(len(t) - 1)}


GENERIC = han_bigrams("奖励补助补贴资助多少钱给予评上认定获得被评为能拿市里企业")

# Administrative levels as written before what they qualify ("国家技术发明奖", "浙江省…名单", "市级…"):
# the written forms of one level, longest first. A level is read only where it stands right before the item both
# the question and an award name, so "市里奖多少" or "市场" say nothing about the item's level.
ADMIN_LEVELS = {"国家": ("国家级", "国家", "全国", "国内"), "国际": ("国际",),
                "省": ("省级", "全省", "省内", "省"), "市": ("市级", "全市", "市内", "市"), "县": ("县级", "区级", "县")}
_ADMIN_FORMS = sorted(((w, k) for k, ws in ADMIN_LEVELS.items() for w in ws), key=lambda x: -len(x[0]))
GRADE = re.compile(r"[A-D][类档]|[一二三四五六七八九特]等奖|[一二三四五]星级?|[1-5]A级?")
_Q = r"[“”\"'的]?"
# before an award's item the gazette writes bare 省/市 too (省科技大奖, 浙江省…名单); a grade may stand between
ADMIN_BEFORE = re.compile("(" + "|".join(w for w, _ in _ADMIN_FORMS) + f"){_Q}(?:(?:{GRADE.pattern}){_Q})?$")
# in a question a bare 市/省 is mostly a place (嘉兴市, 我们市, 全省): only a written level counts
ASKED_FORMS = ("国家级", "国家", "全国", "国内", "国际", "省级", "省内", "市级", "市内", "县级", "区级")
# (or a bare 市/省 right after a classifier or a verb of winning: "拿了个市科技进步奖", "评了省…" — no place there)
ASKED_BEFORE = re.compile("(" + "|".join(ASKED_FORMS) + r"|(?<=[个了拿评获])[省市]" + f"){_Q}(?:(?:{GRADE.pattern}){_Q})?$")
# the level an item is (or would be) recognised at, written after it: "…要是评上国家级的", "…被认定为省级"
LEVEL_AFTER = re.compile(r"(?:要是|如果|若|能|已经|刚)?(?:被)?(?:评上|评为|认定为|认定成|获评|升为|升级为|成为|评成|拿到|拿了)了?"
                         r"(" + "|".join(ASKED_FORMS) + r")")
ITEM_LEVEL_FORMS = ("国家级", "省级", "市级", "县级", "区级")  # a level written as part of an item's name
MIN_SHARED = 3  # characters of an item's name the question must share with an award's recipient


def _canon(written: str) -> str:
    return next(k for w, k in _ADMIN_FORMS if w == written)


def _core(text: str) -> str:
    """The recipient as characters to match: CJK only, without the 对/的 of "对…的"."""
    return re.sub(r"[^\u4e00-\u9fff]", "", normalize_query(text)).removeprefix("对")


def _shared(question: str, recipient: str) -> tuple[int, int, int]:
    """(length, start in the question, start in the recipient) of the longest stretch of the recipient that stands in
    the question and is more than a level or a word about money ("国家级", "奖励" do not name an item)."""
    r = _core(recipient)
    for n in range(len(r), MIN_SHARED - 1, -1):
        for i in range(len(r) - n + 1):
            piece = r[i:i + n]
            if piece[0] == "级":  # "级重点实验室" of 省级/市级: the level is not part of the item
                continue
            at = question.find(piece)
            if at < 0:
                continue
            rest = GRADE.sub("", ADMIN_BEFORE.sub("", piece))  # a level or a grade (五星级) names no item
            for w, _ in _ADMIN_FORMS:
                rest = rest.replace(w, "")
            if len(rest) >= 2 and (han_bigrams(rest) - GENERIC):
                return n, at, i
    return 0, -1, -1


def _item_name(a: Award) -> str:
    """An award's recipient without its levels: 市内首台套 and 国际首台套 are one item."""
    core = _core(a.recipient)
    for w, _ in _ADMIN_FORMS:
        core = core.replace(w, "")
    return re.sub(r"级", "", core)


def _goes_on_otherwise(question: str, piece: str, recipient: str) -> bool:
    """After the shared piece, the question's name and the recipient's go on with different words: "省级服务业领军企业"
    is not "现代服务业创新发展区" though both hold 服务业."""
    q_rest, r_rest = _name_after(question, piece), _name_after(recipient, piece)
    if q_rest is None or r_rest is None:
        return False
    # a grade after the name ("…进步奖二等" against "…进步奖)一等") is the same item's grade, not another name
    q_rest, r_rest = (re.sub(r"^[一二三四五六七八九特]等|^[一二三四五]星级?", "", x) for x in (q_rest, r_rest))
    return bool(r_rest) and len(q_rest) >= 2 and not (han_bigrams(q_rest) & han_bigrams(r_rest))


def _name_after(text: str, piece: str) -> str | None:
    """The Chinese characters that go on after `piece` in `text` until the name ends (ITEM_END); None without it."""
    at = text.find(piece)
    if at < 0:
        return None
    end = ITEM_END.search(text, at + len(piece))
    return re.sub(r"[^\u4e00-\u9fff]", "", text[at + len(piece): end.start() if end else len(text)])


def _level_before(text: str, at: int, pattern: re.Pattern = ADMIN_BEFORE) -> str | None:
    m = pattern.search(text[:at])
    return m.group(1) if m else None


def _level_before_short(q: str, at_q: int, recipient: str, at_r: int) -> str | None:
    """The level written before the item's name shortened by the first characters of its words: "市科技进步奖" for
    …科学技术进步奖 (科技 = 科学|技术, as 文旅 is 文化|旅游)."""
    if at_q >= 2 and at_r >= 4 and q[at_q - 2] == recipient[at_r - 4] and q[at_q - 1] == recipient[at_r - 2]:
        return _level_before(q, at_q - 2, ASKED_BEFORE)
    return None


def _before_recipient(a: Award) -> str:
    """The words of the award's sentence, in its phrase, before its recipient's name."""
    core, rec = _core(a.sentence), _core(a.recipient)
    at = core.find(rec[:3]) if rec else -1  # an enumeration's item may not stand whole: “四星级”“五星级”小微企业园
    return core[max(0, core.rfind("对", 0, at) if at > 0 else 0): at] if at > 0 else ""


def _admin_levels(recipient: str) -> set[str]:
    core = _core(recipient)
    return {k for w, k in _ADMIN_FORMS if w in core}


def missing_level(question: str, awards: list[Award], grades: bool = True) -> tuple[str, list[Award], str] | None:
    """(the level asked for, the awards of the same item) when the question names an item of the catalogue with a
    level or grade that no award for that item has ("国家技术发明奖" where only 省 ones are rewarded, "市级制造业
    创新中心" where only 国家级 and 省级 are); None otherwise (no level named, no such item, or the level exists).
    The third element is empty, or the item with the terms the question puts on it that its awards give only at other
    levels ("新认定的市级重点实验室": 新认定 is rewarded for 省 ones only).

    The item is the longest stretch of a recipient's name the question shares; the awards that share the longest
    such stretch are the item's awards. `grades`: also a grade or class the item's awards lack (B类, 四等奖)."""
    q = _core(question)
    scored = [(_shared(q, a.recipient), a) for a in awards]
    best = max((n for (n, _, _), _ in scored), default=0)
    if best >= MIN_SHARED:
        said = normalize_query(question)  # with its punctuation: where the asker's name of the item ends
        item = [(at_q, at_r, a) for (n, at_q, at_r), a in scored if n == best
                and not _goes_on_otherwise(said, q[at_q: at_q + best], normalize_query(a.recipient))]
        # each place of the question that names an item with a level is checked against that item's awards:
        # "国家级隐形冠军…单项冠军" asks 国家级 of 隐形冠军, whatever level 单项冠军 has (pieces that overlap in the
        # question — 市级绿色 and 绿色园区 — name one place)
        places: list[list[tuple[int, int, Award]]] = []
        for entry in sorted(item, key=lambda x: x[0]):
            if places and entry[0] < places[-1][-1][0] + best:
                places[-1].append(entry)
            else:
                places.append([entry])
        for place in places:
            written = next((w for at_q, at_r, a in place if (w := _level_before(q, at_q, ASKED_BEFORE)
                                                            or _level_before_short(q, at_q, _core(a.recipient), at_r))),
                           None)
            if written is None:  # "小微企业园要是评上国家级的": the level the item would be recognised at, after it
                end = max(at_q for at_q, _, _ in place) + best
                written = (m.group(1) if (m := LEVEL_AFTER.match(q, end)) else None)
            if written is None:  # "省级…共同体奖30万我知道，那国家级的共同体呢": a later, shorter mention of the item
                head = q[place[0][0]: place[0][0] + best]
                written = next((w for n in range(len(head), MIN_SHARED - 1, -1)
                                for m in re.finditer(re.escape(head[-n:]), q)
                                if m.start() >= place[0][0] + best and (w := _level_before(q, m.start(), ASKED_BEFORE))),
                               None)
            if written is None and (m := re.match("|".join(ITEM_LEVEL_FORMS), q[place[0][0]:])):
                written = m.group(0)  # the level is part of the name both write ("市级重点实验室")
            if written is None:
                continue
            asked = _canon(written)
            have = set()
            # the levels of the item's awards wherever the question names it ("…被认定为市内首台套": 市内首台套 is
            # matched at the later mention, 首台套's other levels at the first)
            names = {_item_name(a) for _, _, a in place}
            for _, at_r, a in (e for e in item if _item_name(e[2]) in names):
                core = _core(a.recipient)
                attached = _level_before(core, at_r)
                # "对评为市级“五星级”…小微企业园的": the level may stand in the sentence before the enumeration
                have |= {_canon(attached)} if attached else _award_levels(a)
            if not have:
                continue
            level = written + ("级" if len(written) <= 2 and not written.endswith(("级", "内")) and written != "国际"
                               else "")
            if asked not in have:
                return level, _place_related(place, awards), ""
            piece = q[place[0][0]: place[0][0] + best]
            bare = re.sub(r"^级", "", re.sub("|".join(w for w, _ in _ADMIN_FORMS), "", piece, count=1))
            if len(bare) >= MIN_SHARED and (terms := _terms_of_other_levels(
                    question, [a for a in awards if bare in _core(a.recipient)], asked, piece)):
                # the level is rewarded, on other terms: "新认定的市级重点实验室" where only 新认定的省重点实验室 are
                # rewarded, and 市级 ones for 绩效评价优秀 (both said)
                related = _place_related(place, awards)
                related += [a for a in awards if bare in _core(a.recipient) and terms in _core(a.recipient)
                            and a not in related]
                return level, related, f"{terms}的{level}{bare}"
    return _missing_grade(question, awards) if grades else None


def _award_levels(a: Award) -> set[str]:
    """The levels an award is given at: named in its recipient, or in the sentence before the enumeration."""
    return _admin_levels(a.recipient) or _admin_levels(_before_recipient(a))


def _place_related(place: list[tuple[int, int, Award]], awards: list[Award]) -> list[Award]:
    """The awards of the item where the question names it, then the other awards of their sentences (一等奖 →
    二等奖…)."""
    related = [a for _, _, a in place]
    related += [a for a in awards if a.sentence in {x.sentence for x in related} and a not in related]
    return related


# characters of a level's name, of grammar or of a figure: a bigram holding one says nothing of an award's terms
_NOT_TERMS = frozenset("国家省市县区级全内的了是和与及或对为在被把")


def _terms_of_other_levels(question: str, awards: list[Award], asked: str, item: str) -> str | None:
    """The terms the question puts on the item ("新认定") that the awards of the item at the asked level never state and
    an award of it at another level does: the gazette rewards that level on other terms. The longest stretch of the
    question made of such terms; None when every term the question names stands in an award of the asked level."""
    at_level = [a for a in awards if asked in _award_levels(a)]
    others = [a for a in awards if asked not in _award_levels(a)]
    if not at_level or not others:
        return None
    own = set().union(*(han_bigrams(a.recipient) for a in at_level))
    elsewhere = set().union(*(han_bigrams(a.recipient) for a in others))
    said = {b for b in han_bigrams(question) - han_bigrams(item) - own if b in elsewhere and not set(b) & _NOT_TERMS}
    terms = said - GENERIC  # (认定 or 奖励 alone name no terms, but belong to the stretch: 新认定)
    if not terms:
        return None
    q = re.sub(r"[^\u4e00-\u9fff]", "", normalize_query(question))
    runs = []
    for i in range(len(q) - 1):
        j = i
        while q[j:j + 2] in said:
            j += 1
        if j > i and han_bigrams(q[i:j + 1]) & terms:
            runs.append(q[i:j + 1])
    return max(runs, key=len)


def _missing_grade(question: str, awards: list[Award]) -> tuple[str, list[Award], str] | None:
    """A grade or class ("B类", "四等奖", "六星级") that the awards of the item the question names do not have."""
    q = normalize_query(question)
    levels = list(dict.fromkeys(GRADE.findall(q)))
    if not levels:
        return None
    words = han_bigrams(GRADE.sub(" ", q)) - GENERIC
    named = {a.sentence for a in awards if len(words & (han_bigrams(GRADE.sub(" ", a.recipient)) - GENERIC)) >= 2}
    # the items of one enumeration belong together: "省科学技术奖…一等奖、二等奖、三等奖" names the prize once
    related = [a for a in awards if a.sentence in named]
    if not related:
        return None
    for level in levels:
        if not any(level in normalize_query(a.recipient) for a in related):
            return level, related, ""
    return None


def catalogue(corpus) -> list[Award]:
    """Every award of the corpus (built once per corpus)."""
    return corpus.derived("awards", lambda: [a for c in corpus.clauses if c.level != "section" for a in clause_awards(c)])


# where the name of an item ends in a question: a particle, a verb of asking, punctuation
ITEM_END = re.compile(r"[了的，,。？?！!、；;：:\s]|奖|补|给|能|可以|拿|有|是|在|认定|评|后|时|这|那|多少|怎么|咋")


# a level that names an item's rank (not "全市", "市里", "省内": where, not which rank)
ITEM_LEVEL = re.compile(r"国家级|国家|国际|省级|市级|县级|区级")


# the asker says the item was recognised: "评上国家级…", "新认定国家…", "拿了国家…奖"
# recognised, or aiming to be ("想冲国家级…", "在争创省级…", "准备申报…"): a money question asks what it would bring;
# or says what it is ("我们园区是国家级…"; not 不是 / 还是 / 就是, which deny, choose or stress)
RECOGNISED = re.compile(r"(评上|评为|获评|认定|获得|获|拿了|拿到|被评|入选|列入|当选|成为|(?<![不还就])是|(?<!超)过了|通过|冲|"
                        r"争创|申报|申请)"
                        r"[了的为上个]{0,2}$")


def absent_item(question: str, awards: list[Award], text: str = "") -> str | None:
    """The item a money question says was recognised at a level ("评上国家级农机合作社示范社", "新认定为省级文明
    企业") when no award of the whole catalogue shares MIN_SHARED characters of its name and the gazette's `text`
    does not name it with that level: the gazette has no award for it. None otherwise."""
    q = normalize_query(question)
    for m in ITEM_LEVEL.finditer(q):
        end = ITEM_END.search(q, m.end())
        # recognised before the level ("评上国家级…") or after the name ("国家级示范物流园区认定了")
        if not (RECOGNISED.search(q[max(0, m.start() - 4): m.start()])
                or end is not None and re.match(r"认定|评上|评为|评定", q[end.start():])):
            continue
        name = _core(q[m.end(): end.start() if end else len(q)])
        if len(name) < MIN_SHARED or not (han_bigrams(name) - GENERIC) or (m.group(0) + name) in text:
            continue
        if GRADE.fullmatch(name):  # "评上市级四星级": a grade of an item named elsewhere ("管着一个小微企业园")
            continue
        if all(_shared(name, a.recipient)[0] < MIN_SHARED for a in awards):
            return m.group(0) + name + ("奖" if end is not None and end.group(0) == "奖" and name.endswith("等") else "")
    # no level: "刚拿到高新技术企业证书", "被认定为X" — when an award is asked about (not its tax rate)
    for m in RECOGNISED_AS.finditer(q if AWARD_ASKED.search(q) else ""):
        rest = q[m.end():]
        if ITEM_LEVEL.match(rest):
            continue  # a level: read above
        end = ITEM_END.search(rest)
        name = re.sub(r"(证书|称号|牌子|资格|荣誉)$", "", _core(rest[: end.start() if end else len(rest)]))
        if len(name) < MIN_SHARED or not (han_bigrams(name) - GENERIC) or _rewarded_in(name, text):
            continue  # the gazette rewards it without an amount ("…体育产业示范基地…按照有关规定给予奖励")
        if all(_shared(name, a.recipient)[0] < MIN_SHARED for a in awards):
            return name
    # the recognition named before its verb: "刚过了高新技术企业认定", "通过了X评定"
    for m in PASSED_RECOGNITION.finditer(q if AWARD_ASKED.search(q) else ""):
        name = _core(m.group(1))
        if ITEM_LEVEL.match(name) or len(name) < MIN_SHARED or not (han_bigrams(name) - GENERIC) or _rewarded_in(name, text):
            continue
        if all(_shared(name, a.recipient)[0] < MIN_SHARED for a in awards):
            return name
    return None


# a title passed: "刚过了高新技术企业认定" — the name ends as titles do (…企业, …中心), not "市里专家评审"
PASSED_RECOGNITION = re.compile(r"(?:(?<!超)过了|通过了?|拿下了?)([\u4e00-\u9fff]{2,12}?(?:企业|中心|基地|平台|工厂|园区|品牌|"
                                r"产品|示范区|示范点|实验室))的?(?:认定|评定|认证)")


def _rewarded_in(name: str, text: str) -> bool:
    """The gazette names it as whom an award goes to: "对…<name>…给予…" ("对获评国家体育产业示范基地…按照有关规定给予
    奖励"), not as a condition after the award ("…给予补助,其中高新技术企业研发费用…须达到4%")."""
    pattern = re.compile(rf"对[^。；;]*?{re.escape(name)}[^。；;]*?(给予|奖励|补助|补贴)")
    return any(pattern.search(s) for s in re.split(r"[。\n]", text) if name in s)


AWARD_ASKED = re.compile(r"奖|补贴|补助|资助|扶持|钱")
# verbs of a recognition; 拿到/获得 only before a certificate or title ("获得X补助" obtains a subsidy, it is no title)
RECOGNISED_AS = re.compile(r"(?:评上|评为|获评|被评为|认定为|认定成|入选|当选为?|(?:拿到|获得)(?=[^，,。？?]{2,14}(?:证书|称号|牌子)))了?")


def nearest(question: str, awards: list[Award], n: int = 4) -> list[Award]:
    """The awards whose recipients share the most words with the question (none that share nothing)."""
    words = han_bigrams(question) - GENERIC
    scored = sorted(((len(words & han_bigrams(a.recipient)), k) for k, a in enumerate(awards)), key=lambda x: (-x[0], x[1]))
    return [awards[k] for score, k in scored[:n] if score > 0]


# a subsidy asked per unit of something grown or raised: "每亩补多少", "每头猪补多少钱", "一箱能补多少", "按亩补贴"
PER_UNIT_SUBSIDY = re.compile(r"(?:每|一|按)(?:亩|头|只|箱|株|棵|羽|尾)[^，,。？?；;]{0,8}(?:补|奖|贴|给|多少钱|butie)")


def per_unit_rules():
    """The calculator's rules that pay per unit of a crop (a `crop` input: 10号（五十一）'s 稻麦复种/一季早粮/油菜连片)."""
    from .calculator.rules import default_book

    return [r for r in default_book().rules if any(i.name == "crop" for i in r.inputs)]


def unnamed_living(corpus, question: str) -> str | None:
    """A per-unit subsidy asked for a plant or animal that the gazette never names, of no thesaurus class that the
    crops of its per-unit rules are ("种茶叶每亩补多少": 茶叶 is Bh11, tea; the grain rule's 稻, 麦, 油菜 are Bh05/Bh06,
    grains and field crops — so 玉米 or 红薯 could be its 一季早粮, tea cannot): the gazette has no such subsidy.
    None without the semantic data, or when the question names a crop the rules know."""
    from .calculator.extract import crop_mentions

    soft = corpus.soft
    q = normalize_query(question)
    if soft is None or not PER_UNIT_SUBSIDY.search(q):
        return None
    living = soft.semantic.living
    rules = per_unit_rules()
    if any(crop_mentions(q, i.choices) for r in rules for i in r.inputs if i.name == "crop"):
        return None
    grown = {k for r in rules for i in r.inputs if i.name == "crop" for choice in i.choices
             for piece in [*corpus.tokenizer.segment(choice), *choice] for k in living.get(piece, ())}
    lex = corpus.lexical
    for word in corpus.tokenizer.segment(q):
        if len(word) == 1 and word in GRAMMAR:  # "想把养虾塘改成…": 把 (also a thesaurus plant part, Bh12) is grammar
            continue
        # a name the thesaurus lacks is read by its head, the end of the word: 大闸蟹 is a 蟹, 养蜜蜂 a 蜜蜂
        w = next((word[i:] for i in range(len(word)) if word[i:] in living), "")
        if w and w not in lex.idf and not living[w] & grown:
            return w  # (a word of its own in the gazette — 生猪 — is named there, whatever it says of it)
    return None
