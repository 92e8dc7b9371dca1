"""The citation grammar: how people actually write a reference to a clause, resolved to clauses.

Accepted (any bracket style 〔〕[]【】()（）, Arabic or Chinese numerals, with or without 第/条/款/项, spaces anywhere):
    嘉政发〔2024〕10号（十九）   嘉政发[2024]10号 第十九条   嘉政发〔2024〕10 号 十九   10号文第二十条
    14号文 三(一)   嘉司发〔2024〕3号 第十条   二、（三）8.   第十九条   嘉政發〔2024〕10號 (traditional)
Ambiguous input returns every candidate, best first; a reference to a unit that does not exist returns no
candidate and a sentence naming the range that does.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

from .numerals import int_to_cn, parse_number
from .textnorm import normalize_query

if TYPE_CHECKING:  # the cold `assistant lookup` resolves over plain records (lookup_store.py): no pydantic
    from .types import Clause, Document

NUM = r"(?:\d{1,3}|[一二两三四五六七八九十]{1,4})"
OPEN = r"[〔\[【(（]"
CLOSE = r"[〕\]】)）]"

# A 文号's prefix as written: an issuer abbreviation ending in 发 (嘉政发, 政发, 浙政发) or two characters right before
# the bracketed year (嘉政〔2024〕). Which document it names is decided against the loaded documents' prefixes.
CJK = "\u4e00-\u9fff"
DOC_RE = re.compile(
    rf"(?P<prefix>[{CJK}]{{1,2}}发|[{CJK}]{{2}}(?=\s*{OPEN}\s*\d{{4}}))?\s*"
    rf"(?:{OPEN}\s*(?P<year>\d{{4}})\s*{CLOSE}|(?P<year2>\d{{4}})\s*年?)?\s*"
    rf"(?<!月)(?<!月\d)(?<!月\d\d)(?P<num>{NUM})\s*号\s*(?:文件|文)?"  # "4月1号", "3月15号": a date, no 文号
)
# "三、（十九）", "三（一）", "二、(三)8." ; the section part is optional
PATH_RE = re.compile(
    rf"(?:(?P<sec>[一二三四五六七八九十]{{1,3}})\s*[、.,，]?\s*)?(?:第\s*)?"  # "第（十四）条": the clause, 第/条 around it
    rf"{OPEN}\s*(?P<cl>{NUM})\s*{CLOSE}\s*(?:条(?!件)\s*)?(?:(?P<item>\d{{1,2}})\s*[.．、]?(?!\d))?"
)
# "第十九条", "第8项", "第三部分", "19条"; a bare "第一" only when nothing follows ("第一项目完成单位" is no citation)
# a number written for a clause (第一百条, 第99999条): any length, so that what does not exist is named as written
WIDE = r"(?:\d+|[零一二两三四五六七八九十百千]{1,8})"
ORDINAL_RE = re.compile(rf"第\s*(?P<n>{WIDE})\s*(?:[.．](?=\s*[条点项]))?\s*(?:(?P<unit>条|款|项(?!目)|点|部分|章|节|段)|(?=$|[\s,，。?？、]))"
                        rf"|(?<![哪几\d\-−－])(?P<n2>{WIDE})\s*(?P<unit2>条)")  # "哪一条/几条" ask, they do not cite
# a section named with its heading just before the clause: "三、支持政策”第（二）条", "三、支持政策第（一）条"
SECTION_HEADING_BEFORE = re.compile(r"(?<![一二三四五六七八九十])(?P<sec>[一二三四五六七八九十]{1,3})\s*、\s*"
                                    r"[\u4e00-\u9fff]{0,12}\s*[”\"'」]?\s*(?:第\s*)?$")
NEGATIVE_RE = re.compile(r"第\s*[-−－]\s*\d+\s*(?:条|款|项)")
SECTION_ONLY_RE = re.compile(r"(?:^|\s)(?P<sec>[一二三四五六七八九十]{1,3})\s*、")
ITEM_ONLY_RE = re.compile(r"(?:^|\s)(?P<item>\d{1,2})\s*[.．](?!\d)")
BARE_RE = re.compile(rf"^\s*(?P<n>{NUM})\s*(?:$|[，,。?？\s])")


class CitationQuery(NamedTuple):
    """A parsed reference. Fields left None were not stated."""

    prefix: str | None = None
    year: int | None = None
    doc_number: int | None = None
    section: int | None = None
    clause: int | None = None
    item: int | None = None
    ordinal: int | None = None  # "第19条", "十九": a number whose level (clause/item/section) is not stated
    ordinal_unit: str | None = None
    rest: str = ""  # the text left after the reference ("讲什么")

    @property
    def has_doc(self) -> bool:
        return self.doc_number is not None

    @property
    def has_unit(self) -> bool:
        return any(x is not None for x in (self.section, self.clause, self.item, self.ordinal))


def _prefix(p: str | None) -> str | None:
    return p or None


def _is_abbreviation(written: str, prefix: str) -> bool:
    """"政发", "嘉政", "嘉政发" abbreviate 嘉政发: the characters in order."""
    it = iter(prefix)
    return all(ch in it for ch in written)


def prefix_matches(written: str, prefix: str) -> bool:
    """A written prefix names a document's prefix when it abbreviates it, leading characters dropped down to two
    ("嘉兴市政发" -> "政发" -> 嘉政发), as the printed and the spoken forms differ."""
    return any(_is_abbreviation(written[i:], prefix) for i in range(max(1, len(written) - 1)))


def doc_no_parts(doc_no: str) -> tuple[str, int, int] | None:
    """"嘉政发〔2024〕10号" -> ("嘉政发", 2024, 10)."""
    m = re.match(r"^(.+?)〔(\d{4})〕(\d+)号$", doc_no or "")
    return (m.group(1), int(m.group(2)), int(m.group(3))) if m else None


def parse_citation(text: str) -> CitationQuery | None:
    """Parse a citation anywhere in `text`; None when the text contains no reference at all."""
    s = normalize_query(text)
    fields: dict = {}
    m = DOC_RE.search(s)
    if m:
        try:
            fields["doc_number"] = parse_number(m.group("num"))
        except ValueError:
            m = None
    if m:
        fields["prefix"] = _prefix(m.group("prefix"))
        year = m.group("year") or m.group("year2")
        fields["year"] = int(year) if year else None
        s = s[: m.start()] + " " + s[m.end():]
    if pm := PATH_RE.search(s):
        try:
            if pm.group("sec"):
                fields["section"] = parse_number(pm.group("sec"))
            elif hm := SECTION_HEADING_BEFORE.search(s[: pm.start()]):  # "14号“三、支持政策”第（二）条"
                fields["section"] = parse_number(hm.group("sec"))
            fields["clause"] = parse_number(pm.group("cl"))
            if pm.group("item"):
                fields["item"] = int(pm.group("item"))
            s = s[: pm.start()] + " " + s[pm.end():]
        except ValueError:
            pass
    if "clause" in fields and "section" not in fields and (om := ORDINAL_RE.search(s)) and om.group("unit") == "部分":
        fields["section"] = parse_number(om.group("n"))  # "第三部分（一）"
        s = s[: om.start()] + " " + s[om.end():]
    if "clause" in fields and "item" not in fields and (om := ORDINAL_RE.search(s)) and om.group("unit") in ("项", "点"):
        fields["item"] = parse_number(om.group("n"))  # "第（十四）条第2项": item 2. of clause (十四)
        s = s[: om.start()] + " " + s[om.end():]
    if "clause" not in fields and (neg := NEGATIVE_RE.search(s)):  # "第-1条": named as what it is, never clause 1
        fields["ordinal"], fields["ordinal_unit"] = -int(re.sub(r"\D", "", neg.group(0))), "条"
        s = s[: neg.start()] + " " + s[neg.end():]
    if "clause" not in fields and "ordinal" not in fields:
        if om := ORDINAL_RE.search(s):
            unit = om.group("unit") or om.group("unit2")
            n = parse_number(om.group("n") or om.group("n2"))
            if unit in ("部分", "章", "节"):
                fields["section"] = n
            else:
                fields["ordinal"], fields["ordinal_unit"] = n, unit
            s = s[: om.start()] + " " + s[om.end():]
            if "section" in fields and (om2 := ORDINAL_RE.search(s)) and (om2.group("unit") or om2.group("unit2")) in (
                    "条", "款", None):  # "第三部分第一条": the first numbered clause of part 三, i.e. 三、（一）
                fields["clause"] = parse_number(om2.group("n") or om2.group("n2"))
                s = s[: om2.start()] + " " + s[om2.end():]
            elif "section" in fields and om2 and (om2.group("unit") or "") in ("点", "项"):
                # "第二部分第9点": the 9th point within part 二 (an item 9. or a clause (九) of that part)
                fields["ordinal"], fields["ordinal_unit"] = parse_number(om2.group("n")), om2.group("unit")
                s = s[: om2.start()] + " " + s[om2.end():]
        elif sm := SECTION_ONLY_RE.search(s):
            fields["section"] = parse_number(sm.group("sec"))
            s = s[: sm.start()] + " " + s[sm.end():]
        elif im := ITEM_ONLY_RE.search(s):
            fields["item"] = int(im.group("item"))
            s = s[: im.start()] + " " + s[im.end():]
        elif m and (bm := BARE_RE.match(s[m.start():] if m else s)):  # "嘉政发〔2024〕10 号 十九"
            fields["ordinal"] = parse_number(bm.group("n"))
            s = s[: m.start()] + s[m.start() + bm.end():]
    if not fields:
        return None
    return CitationQuery(**fields, rest=re.sub(r"\s+", " ", s).strip())


# --------------------------------------------------------------------------------------------- resolution


class Resolution(NamedTuple):
    candidates: list[Clause]
    message: str = ""  # why nothing matched, naming what exists


def match_documents(q: CitationQuery, documents: list[Document]) -> list[Document]:
    docs = [d for d in documents if d.doc_no]
    if q.doc_number is None:
        return docs
    out = []
    for d in docs:
        parts = doc_no_parts(d.doc_no or "")
        if not parts or parts[2] != q.doc_number:
            continue
        if q.prefix and not prefix_matches(q.prefix, parts[0]):
            continue
        if q.year and parts[1] != q.year:
            continue
        out.append(d)
    whole = [d for d in out if q.prefix and _is_abbreviation(q.prefix, doc_no_parts(d.doc_no)[0])]
    return whole or out  # "示政发3号" is 示政发〔2025〕3号, not a 嘉政发 3号 the suffix 政发 would also name


def _unique_numbering(doc: Document, level: str) -> bool:
    counts = Counter(c.number for c in doc.clauses if c.level == level)
    return bool(counts) and max(counts.values()) == 1


def _ordinal_candidates(doc: Document, n: int, unit: str | None) -> list[Clause]:
    """"第N条" in 10号 means clause （N） (numbered straight through the document); in 14号 and 嘉司发, whose
    （一）… restart in every section, the items 1.…13. are the straight-through numbering, so they come first."""
    if unit == "段":  # "12号文第3段": a document of paragraphs, counted as the gazette prints them
        return [c for c in doc.clauses if c.level == "paragraph" and c.path == f"第{n}段"]
    levels = ["item", "clause", "section"] if unit in ("项", "点") else ["clause", "item", "section"]
    found = [c for c in doc.clauses if c.number == n and c.level in levels]
    return sorted(found, key=lambda c: (not _unique_numbering(doc, c.level), levels.index(c.level), c.order))


def describe_range(doc: Document) -> str:
    """"（一）至（六十六），分属一、至八、" — what a caller can cite in this document."""
    parts = []
    for level, fmt in (("section", "{}、"), ("clause", "（{}）"), ("item", "{}.")):
        nums = sorted({c.number for c in doc.clauses if c.level == level and c.number})
        if nums:
            render = (lambda k: str(k)) if level == "item" else int_to_cn
            parts.append(f"{fmt.format(render(nums[0]))}至{fmt.format(render(nums[-1]))}")
    return "；".join(parts) if parts else "、".join(c.path for c in doc.clauses)


def resolve(q: CitationQuery, documents: list[Document]) -> Resolution:
    docs = match_documents(q, documents)
    if not docs:
        known = "、".join(d.doc_no for d in documents if d.doc_no)
        year = f"〔{q.year}〕" if q.year else ""
        prefixes = [p[0] for d in documents if (p := doc_no_parts(d.doc_no or ""))]
        named = next((p for p in prefixes if q.prefix and prefix_matches(q.prefix, p)), q.prefix or "")  # 政发: 嘉政发
        return Resolution([], f"本公报中没有{named}{year}{q.doc_number}号文件。收录的文件有：{known}。")
    if q.ordinal is not None and q.ordinal < 1:
        return Resolution([], f"第{q.ordinal}条不是有效的条款编号：编号从1开始。")
    if not q.has_unit:
        # The whole document: its top-level units, in order.
        return Resolution([c for d in docs for c in d.clauses if c.parent is None])
    found: list[Clause] = []
    for d in docs:
        if q.clause is not None:
            for c in d.clauses:
                if c.level == "clause" and c.number == q.clause:
                    sec_ok = q.section is None or c.parent == f"{int_to_cn(q.section)}、"
                    if sec_ok and q.item is None:
                        found.append(c)
                    elif sec_ok:
                        found.extend(x for x in d.clauses if x.parent == c.path and x.number == q.item)
        elif q.ordinal is not None:
            within = f"{int_to_cn(q.section)}、" if q.section is not None and 0 < q.section < 100 else ""
            labelled = [c for c in _ordinal_candidates(d, q.ordinal, q.ordinal_unit) if c.path.startswith(within)]
            if not labelled and within:  # "第八部分第2点" where 八 numbers its clauses straight on: the 2nd in order
                children = [c for c in d.clauses if c.parent == within]
                labelled = children[q.ordinal - 1: q.ordinal] if 0 < q.ordinal <= len(children) else []
            found.extend(labelled)
        elif q.item is not None:
            found.extend(c for c in d.clauses if c.level == "item" and c.number == q.item)
        elif q.section is not None:
            found.extend(c for c in d.clauses if c.level == "section" and c.number == q.section)
    if found:
        return Resolution(found)
    asked = _render_asked(q)
    ranges = "；".join(f"{d.doc_no}的条款为{describe_range(d)}" for d in docs)
    where = docs[0].doc_no if len(docs) == 1 else "所列文件"
    return Resolution([], f"{where}中没有{asked}。{ranges}。")


def _render_asked(q: CitationQuery) -> str:
    parts = []
    if q.section is not None:
        parts.append(f"{int_to_cn(q.section)}、" if q.section < 100 else str(q.section))
    if q.clause is not None:
        parts.append(f"（{int_to_cn(q.clause)}）" if q.clause < 100 else f"（{q.clause}）")
    if q.item is not None:
        parts.append(f"{q.item}.")
    if q.ordinal is not None:
        parts.append(f"第{int_to_cn(q.ordinal) if 0 < q.ordinal < 100 else q.ordinal}{q.ordinal_unit or '条'}")
    return "".join(parts)
