"""Answers about a document itself, read from its parsed fields and quoted from the unit that prints them:
how it is organised, who issued it, to whom, when it was signed, how long it is valid."""

from __future__ import annotations

import datetime as dt
import re

from .compose import Composed, citation_of, clause_warnings
from .corpus import Corpus, appointment_counts, validity_status
from .types import AnswerKind, Clause


def structure_answer(corpus: Corpus, doc, today: dt.date) -> tuple[str, AnswerKind, Composed]:
    """How a document is organised: its parts with headings, and how many numbered units of each level."""
    from .citations import describe_range

    levels = {lvl: [c for c in doc.clauses if c.level == lvl] for lvl in ("section", "clause", "item", "entry", "row")}
    counts = "，".join(f"{len(v)}{name}" for lvl, name in (("section", "个部分"), ("clause", "条（带括号序号）"),
                                                          ("item", "项（阿拉伯数字序号）"), ("entry", "条任免"),
                                                          ("row", "项")) if (v := levels[lvl]))
    lines = [f"{doc.doc_no or doc.title}（{doc.title}）共{counts}，编号为{describe_range(doc)}。"]
    tops = levels["section"] or [c for c in doc.clauses if c.parent is None]
    lines += [f"【{c.citation}】{c.heading or c.text[:30]}" for c in tops]
    cites = [citation_of(c, c.heading or c.text[:30]) for c in tops]
    warnings = clause_warnings(corpus, tops[:1], today)
    return "\n".join(lines + warnings), "lookup", Composed("", cites, warnings, [])


def signed_answer(assistant, top: Clause) -> Composed | None:
    """"13号文是哪天发布的": the date the document was signed, quoted from the unit that prints it."""
    corpus = assistant.corpus
    doc = corpus.document_of(top)
    if not doc.signed:
        return None
    printed = f"{doc.signed.year}年{doc.signed.month}月{doc.signed.day}日"
    source = next((c for c in doc.clauses if printed in c.text), None)
    if source is None:
        return None
    text = f"{doc.doc_no or doc.title}的成文日期为{printed}（{doc.issuer or '发文机关'}）。\n原文落款：“{printed}”\n——{source.citation}"
    warnings = clause_warnings(corpus, [source], assistant.settings.today)
    return Composed("\n".join([text] + warnings), [citation_of(source, printed)], warnings, [])


def issuer_answer(assistant, top: Clause) -> Composed | None:
    """"13号文是谁发布的": the issuing authority as printed in the signature or the title."""
    corpus = assistant.corpus
    doc = corpus.document_of(top)
    if not doc.issuer:
        return None
    source = next((c for c in doc.clauses if c.path in ("落款", "印发通知") and doc.issuer.split()[0] in c.text), None)
    if source is None:
        return None
    when = f"，成文日期{doc.signed.year}年{doc.signed.month}月{doc.signed.day}日" if doc.signed else ""
    text = f"{doc.doc_no or doc.title}由{doc.issuer}发布{when}。\n——{source.citation}"
    warnings = clause_warnings(corpus, [source], assistant.settings.today)
    return Composed("\n".join([text] + warnings), [citation_of(source, doc.issuer.split()[0])], warnings, [])


ADDRESSEES = re.compile(r"^([^:：。；;]{4,300})[:：]")  # "各县(市、区)人民政府,市政府各部门、直属各单位:"


def addressee_answer(assistant, top: Clause) -> Composed | None:
    """"嘉司发3号文是发给哪些单位的": the addressees (主送), quoted from the line that opens the document."""
    corpus = assistant.corpus
    printed = top.text.replace("[", "〔").replace("]", "〕")  # a row of the index names the document it lists
    named = [d for d in corpus.documents if d.doc_no and d.doc_no in printed]
    units = [u for doc in [corpus.document_of(top), *named] for u in doc.clauses[:2]]
    for unit in units:
        if unit.path in ("主送", "印发通知") and (m := ADDRESSEES.match(unit.text)):
            doc = corpus.document_of(unit)
            names = m.group(1).strip()
            text = f"{doc.doc_no or doc.title}的主送单位：{names}。\n原文：“{m.group(0)}”\n——{unit.citation}"
            warnings = clause_warnings(corpus, [unit], assistant.settings.today)
            return Composed("\n".join([text] + warnings), [citation_of(unit, m.group(0))], warnings, [])
    return None


TARGET_YEAR = re.compile(r"^到\s*(20\d\d)\s*年")


def _target_sentence(doc) -> tuple[Clause, str] | None:
    """The first sentence of the document that opens with the year its targets run to ("到2027年,…")."""
    from .compose import split_sentences

    for c in doc.clauses:
        for sentence in split_sentences(c.text):
            for line in sentence.split("\n"):  # a part's heading stands on the line before its first sentence
                if TARGET_YEAR.match(line.strip()):
                    return c, line.strip()
    return None


def validity_answer(assistant, question: str, top: Clause, name_clause: bool = True) -> Composed | None:
    """"14号文什么时候到期": the validity, quoted from the sentence of the document that states it; with
    `name_clause`, the clause asked about is named too."""
    corpus, today = assistant.corpus, assistant.settings.today
    doc = corpus.document_of(top)
    if not doc.validity_note:
        if not doc.doc_no or not doc.clauses:
            return None
        # a 文件 that states no term ("13号文什么时候失效"): say so, and cite where it was issued and when
        printed = f"{doc.signed.year}年{doc.signed.month}月{doc.signed.day}日" if doc.signed else ""
        source = next((c for c in doc.clauses if printed and printed in c.text), doc.clauses[0])  # prints the date
        signed = f"，成文日期{printed}" if printed and printed in source.text else ""
        text = f"{doc.doc_no}原文没有规定有效期或施行期限（{doc.title}{signed}）。\n——{source.citation}"
        cites = [citation_of(source, printed if signed else "")]
        if goal := _target_sentence(doc):  # "到2027年,全市…": the year its targets run to, in its own words
            unit, sentence = goal
            year = TARGET_YEAR.match(sentence).group(1)
            text += f"\n其目标定到{year}年：原文“{sentence}”\n——{unit.citation}"
            cites.append(citation_of(unit, sentence))
        return Composed(text, cites, [], [])
    source = next((c for c in doc.clauses if doc.validity_note.split("。")[0] in c.text), None)
    if source is None:
        return None
    _, status = validity_status(doc, today)
    quote = doc.validity_note
    text = f"{status}\n原文：“{quote}”\n——{source.citation}"
    # a year inside the term that the asker asks "now" about ("2024年那个文件…现在还能申请吗") dates the document: the
    # answer is about now; a year outside it ("2027年还能申请吗") is the year asked about
    now = now_verdict(doc, question, today)
    verdict = year_verdict(doc, question) if (years_outside_term(doc, question) or now is None) else now
    if verdict is not None:
        text = f"{verdict}\n{text}"  # "2028年还能申报吗", "现在还能申请吗": the answer to the asker first
    cites = [citation_of(source, quote)]
    if name_clause and top.id != source.id and top.level != "section":  # the clause asked about, not only the term
        text += f"\n所问条款：{top.citation}" + (f"（{top.heading}）" if top.heading else "")
        cites.insert(0, citation_of(top, top.heading or top.text[:40]))
    return Composed(text, cites, clause_warnings(corpus, [source], today), [])


# a year the asker asks about ("2028年还能申报吗"), not an end date they state ("有效期到2025年底"): that is a claim,
# answered by the term itself
ASKED_YEAR = re.compile(r"(?<![到至止\d])(20\d\d)\s*年(?!底|末|年底|终|\s*\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|"
                        r".{0,3}(?:印发|出台|发布|签发))")  # "2024年3月发的": a date the asker states


def _asked_years(doc, question: str) -> list[int]:
    """The years a question asks about, when the document states its term (else none)."""
    if doc.effective_from is None or doc.effective_to is None:
        return []
    return sorted({int(y) for y in ASKED_YEAR.findall(question)})


def years_outside_term(doc, question: str) -> list[int]:
    """The years a question asks about that lie outside the document's term."""
    return [y for y in _asked_years(doc, question) if not doc.effective_from.year <= y <= doc.effective_to.year]


# "现在还能申请吗", "今年还可以享受伐": whether the asker may still apply, now
APPLY_NOW = re.compile(r"(还|现在|目前|如今)(能|可以|可|来得及|有得)[^,，。?？]{0,6}(申请|申报|享受|拿|领|办|报)")


def now_verdict(doc, question: str, today) -> str | None:
    """The answer to "还能申请吗" by the document's term: no once it has ended; within it, yes as far as time goes."""
    if not APPLY_NOW.search(question) or doc.effective_to is None:
        return None
    end = f"{doc.effective_to:%Y年%-m月%-d日}"
    if today > doc.effective_to:
        return f"不能再按{doc.doc_no}申请：其有效期到{end}为止，已经结束。"
    if doc.effective_from is not None and today < doc.effective_from:
        return f"{doc.doc_no}自{doc.effective_from:%Y年%-m月%-d日}起施行，目前还未生效。"
    return f"时间上可以：{doc.doc_no}的有效期到{end}，目前仍在有效期内（能否享受还要看是否符合条款的条件）。"


def year_verdict(doc, question: str) -> str | None:
    """Whether the years a question names fall in the document's term: "2027年不在嘉政发〔2024〕14号的有效期内。"."""
    years = _asked_years(doc, question)
    if not years:
        return None
    span = f"{doc.effective_from:%Y年%-m月%-d日}至{doc.effective_to:%Y年%-m月%-d日}"
    if out := years_outside_term(doc, question):
        return f"{'、'.join(f'{y}年' for y in out)}不在{doc.doc_no}的有效期（{span}）内。"
    return f"{'、'.join(f'{y}年' for y in years)}在{doc.doc_no}的有效期（{span}）内。"


# "这次一共任命了多少人", "免去了几位同志的职务", "人事任免一共多少条"
APPOINTMENT_COUNT = re.compile(r"(任命|任职|免去|免职|任免)了?(一共|总共|共)?(有)?(多少|几)(个|位|名)?(人|同志|干部|条|项)?|"
                               r"(多少|几)(个|位|名)?(人|同志|干部)(被)?(任命|免去|免职|任免)")


def appointment_count_answer(assistant, question: str) -> Composed | None:
    """How many appointments and removals the issue lists, counted from its entries (one entry may name two
    people: "张衢、冯建松任…")."""
    if not (m := APPOINTMENT_COUNT.search(question)):  # asked on every policy question: the cheap test first
        return None
    found = next(((d, n) for d in assistant.corpus.documents if (n := appointment_counts(d))), None)
    if found is None:
        return None
    doc, counts = found
    asked = "".join(x for x in m.groups() if x)
    acts = [a for a in ("任命", "免去") if a in counts and (a in asked or "免职" in asked and a == "免去"
                                                           or "任免" in asked or "任职" in asked and a == "任命")]
    acts = acts or list(counts)
    parts = [f"{a}{counts[a][1]}人（{counts[a][0]}条）" for a in acts]
    firsts = [next(c for c in doc.clauses if c.level == "entry" and c.path.startswith(a)) for a in acts]
    text = f"{doc.title}共{'，'.join(parts)}。\n" + "\n".join(f"——{c.citation}起" for c in firsts)
    return Composed(text, [citation_of(c, c.text) for c in firsts], [], [])


def section_answer(corpus, section: Clause, today: dt.date) -> Composed | None:
    """"13号文有哪些以旧换新措施" when a whole part answers it: the part and the clauses it holds, by heading."""
    doc = corpus.document_of(section)
    children = [c for c in doc.clauses if c.parent == section.path and c.heading]
    if section.level != "section" or len(children) < 2:
        return None
    lines = [f"{doc.doc_no or doc.title} {section.path}{section.heading}，包括以下各条："]
    lines += [f"【{c.citation}】{c.heading}" for c in children]
    cites = [citation_of(section, section.heading)] + [citation_of(c, c.heading) for c in children]
    warnings = clause_warnings(corpus, [section], today)
    return Composed("\n".join(lines + warnings), cites, warnings, [])
