"""Parse a gazette converted from print (markdown) into Documents and Clauses.

The source is a PDF conversion, so structure is read from the clause markers themselves (一、 / （十九） / 8.),
checked for sequence, never from the markdown heading levels (the same level is printed as ##, ### and ####).
Print artefacts are repaired, everything else is kept verbatim:
- a paragraph cut by a page break ("推进市级一" | blank | "流学科...") is joined back without a separator; a line
  continues the previous one exactly when the previous one does not end in terminal punctuation;
- spaces between CJK text and digits ("100 万元") are removed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from pathlib import Path

from .blocks import (CLAUSE_RE, DATE_LINE_RE, ITEM_RE, SECTION_RE, Block, DocContext, Line, Unit, build_blocks,
                     ends_paragraph, looks_like_marker, make_clause, read_lines)
from .fields import LEAD_RE, parse_validity
from .listings import parse_appointments, parse_gazette_info, parse_index
from .numerals import cn_to_int, int_to_cn
from .types import Document, Gazette

# a 文号 line: an issuer abbreviation (嘉政发, 嘉司发, 浙政办发), the year in brackets, the number
DOC_NO_RE = re.compile(r"^([\u4e00-\u9fff]{1,8}?)\s*[〔\[【(（]\s*(\d{4})\s*[〕\]】)）]\s*(\d+)\s*号$")
APPOINTMENTS_RE = re.compile(r"【市政府人事任免】")
INDEX_HEADING_RE = re.compile(r"目录$")


def canonical_doc_no(prefix: str, year: str | int, number: str | int) -> str:
    return f"{prefix}〔{int(year)}〕{int(number)}号"


# --------------------------------------------------------------------------------------------- dates


def _date(y: str, m: str, d: str) -> dt.date:
    return dt.date(int(y), int(m), int(d))


def _find_date(text: str) -> dt.date | None:
    m = DATE_LINE_RE.match(text)
    return _date(*m.groups()) if m else None


# --------------------------------------------------------------------------------------------- structure


class _Structure:
    """Walk the blocks of one document body and emit units; markers are accepted only in sequence."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.section: Unit | None = None
        self.clause: Unit | None = None
        self.last_section = 0
        self.last_clause = 0
        self.last_item = 0
        self.clause_since_section = False
        self.pending: list[Block] = []  # paragraphs after a leaf unit: attached to it, or closing text

    def feed(self, block: Block) -> bool:
        """Consume a block if it is a marker or belongs to the current unit; False for preamble text."""
        text = block.text
        if (m := SECTION_RE.match(text)) and self._next(m.group(1), self.last_section, restart=False):
            self._flush()
            self.last_section = cn_to_int(m.group(1))
            self.clause_since_section, self.clause = False, None
            self.section = self._add(f"{m.group(1)}、", "section", self.last_section, None, m.group(2), block)
            self.section.section_heading = _section_heading(m.group(2))
            return True
        if (m := CLAUSE_RE.match(text)) and self._next(m.group(1), self.last_clause, restart=not self.clause_since_section):
            self._flush()
            n = cn_to_int(m.group(1))
            self.last_clause, self.clause_since_section = n, True
            parent = self.section.path if self.section else None
            self.clause = self._add(f"（{int_to_cn(n)}）", "clause", n, parent, m.group(2), block)
            return True
        if (m := ITEM_RE.match(text)) and self.units and (int(m.group(1)) in (self.last_item + 1, 1)):
            self._flush()
            self.last_item = int(m.group(1))
            parent_unit = self.clause or self.section
            self._add(f"{self.last_item}.", "item", self.last_item, parent_unit.path if parent_unit else None,
                      m.group(2), block)
            return True
        if not self.units:
            return False
        current = self.units[-1]
        if current.level == "section" and not self.pending:
            current.paragraphs.append(text)  # section intro, possibly several paragraphs
            current.end = block.end
        else:
            self.pending.append(block)
        return True

    def _next(self, numeral: str, last: int, restart: bool) -> bool:
        n = cn_to_int(numeral)
        return n == last + 1 or (restart and n == 1)

    def _add(self, marker: str, level: str, number: int, parent: str | None, text: str, block: Block) -> Unit:
        path = (parent or "") + marker
        unit = Unit(path, marker, level, number, parent, [text], block.start, block.end,
                    self.section.section_heading if self.section and level != "section" else "")
        self.units.append(unit)
        return unit

    def _flush(self) -> None:
        if self.pending and self.units:
            unit = self.units[-1]
            unit.paragraphs.extend(b.text for b in self.pending)
            unit.end = self.pending[-1].end
        self.pending = []


def _section_heading(text: str) -> str:
    return LEAD_RE.sub("", text).rstrip("。").strip()


# --------------------------------------------------------------------------------------------- documents


def _split_signature(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """Trailing "issuer(s) + date" lines form the 落款."""
    if not blocks or not DATE_LINE_RE.match(blocks[-1].text):
        return blocks, []
    i = len(blocks) - 1
    while i > 0 and not ends_paragraph(blocks[i - 1].text) and len(blocks[i - 1].text) <= 60:
        i -= 1
    return blocks[:i], blocks[i:]


def _para_unit(path: str, level: str, blocks: list[Block]) -> Unit:
    return Unit(path, "", level, None, None, [b.text for b in blocks], blocks[0].start, blocks[-1].end)


def parse_policy(title_lines: list[Line], doc_line: Line, body: list[Line], source: str, issue: str) -> Document:
    m = DOC_NO_RE.match(doc_line.text)
    assert m, doc_line
    doc_no = canonical_doc_no(*m.groups())
    title_issuer = ""
    if len(title_lines) > 1 and "关于" not in title_lines[0].text:
        # "## 嘉兴市司法局 嘉兴市中级人民法院 …" / "### 关于…的通知": the first line names the issuers, whose
        # separating spaces are real; the rest is one title wrapped by the printer.
        title_issuer = title_lines[0].text
        title = title_issuer + "".join(x.text.replace(" ", "") for x in title_lines[1:])
    else:
        title = "".join(x.text.replace(" ", "") for x in title_lines)
    ctx = DocContext(doc_no, doc_no, title, source, issue)
    blocks = build_blocks(body)

    structure = _Structure()
    preamble: list[Block] = []
    subtitle = ""
    for block in blocks:
        if not structure.units and block.heading and not looks_like_marker(block.text):
            subtitle = block.text
            preamble.append(Block("", block.start, block.end, True))  # boundary between 印发通知 and 引言
            continue
        if not structure.feed(block):
            preamble.append(block)
    closing = structure.pending
    closing, signature = _split_signature(closing)

    units: list[Unit] = []
    if subtitle:
        cut = next(i for i, b in enumerate(preamble) if b.heading and not b.text)
        letter, intro = preamble[:cut], preamble[cut + 1:]
        units.append(_para_unit("印发通知", "paragraph", letter))
        if intro:
            units.append(_para_unit("引言", "paragraph", intro))
    else:
        body_blocks, sig = _split_signature(preamble) if not structure.units else (preamble, [])
        signature = signature or sig
        if body_blocks and body_blocks[0].text.endswith((":", "：")):
            units.append(_para_unit("主送", "paragraph", body_blocks[:1]))
            body_blocks = body_blocks[1:]
        if structure.units:
            if body_blocks:
                units.append(_para_unit("引言", "paragraph", body_blocks))
        else:
            units.extend(_para_unit(f"第{i}段", "paragraph", [b]) for i, b in enumerate(body_blocks, start=1))
    units.extend(structure.units)
    units.extend(_para_unit(f"结语第{i}段", "paragraph", [b]) for i, b in enumerate(closing, start=1))
    if signature:
        units.append(_para_unit("落款", "paragraph", signature))

    all_text = "\n".join(b.text for b in blocks)
    valid_from, valid_to, validity_note = parse_validity(all_text)
    dates = [d for b in blocks if (d := _find_date(b.text))]
    signed = dates[0] if dates else None
    issuer_lines = [b.text for b in (signature or []) if not DATE_LINE_RE.match(b.text)]
    if not issuer_lines and units and units[0].path == "印发通知":
        issuer_lines = [p for p in units[0].paragraphs if not ends_paragraph(p) and not DATE_LINE_RE.match(p)][-1:]
    issuer = title_issuer or " ".join(issuer_lines)
    kind = "decision" if title.endswith("决定") else "policy"
    if valid_from is None and kind == "decision":
        valid_from = signed
    clauses = tuple(make_clause(ctx, u, i, (valid_from, valid_to)) for i, u in enumerate(units))
    return Document(
        key=doc_no, doc_no=doc_no, doc_no_raw=doc_line.text, kind=kind, title=title, subtitle=subtitle,
        issuer=issuer, signed=signed, effective_from=valid_from, effective_to=valid_to,
        validity_note=validity_note, gazette_issue=issue, source=source,
        line_start=title_lines[0].no, line_end=body[-1].no if body else doc_line.no, clauses=clauses,
    )


# --------------------------------------------------------------------------------------------- gazette


def _title_start(lines: list[Line], doc_idx: int) -> int:
    """Index of the first title line above a 文号 line: consecutive heading lines, blanks skipped."""
    i = doc_idx - 1
    start = doc_idx
    while i >= 0:
        if not lines[i].text:
            i -= 1
            continue
        if lines[i].heading:
            start = i
            i -= 1
            continue
        break
    return start


def parse_gazette(path: Path) -> Gazette:
    raw = path.read_bytes()
    lines = read_lines(path)
    source = path.name
    cover = [x.text for x in lines[:40]]
    issue_m = next((m for t in cover if (m := re.search(r"第\d+(?:、\d+)?期(?:[（(]总第[\d、]+期[)）])?", t))), None)
    year = next((t for t in cover if re.fullmatch(r"\d{4}", t)), "")
    issue = f"{year}年{issue_m.group(0)}" if issue_m and year else (issue_m.group(0) if issue_m else "")
    gazette_title = next((x.text for x in lines if x.heading and x.text), path.stem)
    published = None
    for x in lines:
        if pm := re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日出版", x.text):
            published = _date(*pm.groups())

    # Boundaries: documents (title + 文号), appointments, indexes, the closing rule "---".
    starts: list[tuple[int, str, int]] = []  # (line index, kind, 文号 line index)
    for i, x in enumerate(lines):
        if DOC_NO_RE.match(x.text) and i > 0:
            starts.append((_title_start(lines, i), "policy", i))
        elif APPOINTMENTS_RE.search(x.text) and x.heading and not re.search(r"\.{3,}", x.text):
            starts.append((i, "appointments", i))
        elif x.heading and INDEX_HEADING_RE.search(x.text) and starts:
            starts.append((i, "index", i))
    end_rule = next((i for i, x in enumerate(lines) if re.fullmatch(r"-{3,}", x.text) and starts and i > starts[-1][0]),
                    len(lines))
    documents: list[Document] = []
    first = starts[0][0] if starts else len(lines)
    for n, (start, kind, doc_idx) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else end_rule
        region = lines[start:end]
        if kind == "policy":
            title_lines = [x for x in lines[start:doc_idx] if x.text]
            documents.append(parse_policy(title_lines, lines[doc_idx], lines[doc_idx + 1:end], source, issue))
        elif kind == "appointments":
            documents.append(parse_appointments(region, source, issue))
        else:
            documents.append(parse_index(region, source, issue))
    documents.insert(0, parse_gazette_info(lines[:first], lines[end_rule + 1:], gazette_title, source, issue))
    return Gazette(title=gazette_title, issue=issue, published=published, source=source,
                   sha256=hashlib.sha256(raw).hexdigest(), documents=tuple(documents))


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.glob("*.md") if not p.name.startswith(("README", "."))) if corpus_dir.is_dir() else []


@functools.lru_cache(maxsize=8)
def _parse_cached(path: str, mtime_ns: int, size: int) -> Gazette:
    return parse_gazette(Path(path))


def load_corpus(corpus_dir: Path) -> tuple[Gazette, ...]:
    """Every gazette file in the corpus directory (cached per file content stamp)."""
    out = []
    for p in corpus_files(corpus_dir):
        st = p.stat()
        out.append(_parse_cached(str(p.resolve()), st.st_mtime_ns, st.st_size))
    return tuple(out)
