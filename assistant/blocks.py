"""Lines, paragraphs and units of a gazette: what both numbered policy text (parsing.py) and lists (listings.py)
are built from, and how a unit becomes a Clause. Neither of those modules is imported here, so they import this one
and each other in one direction only (parsing -> listings -> blocks)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from pathlib import Path

from .fields import first_sentence, parse_units, quality_notes
from .types import Clause

CN = "一二三四五六七八九十"
SECTION_RE = re.compile(rf"^([{CN}]+)、(.*)$")
CLAUSE_RE = re.compile(rf"^[（(]([{CN}]+)[)）](.*)$")
ITEM_RE = re.compile(r"^(\d{1,2})[.．](?!\d)\s*(.*)$")
DATE_LINE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
TERMINAL = "。；;：:！!？?"


# --------------------------------------------------------------------------------------------- lines and blocks


@dataclasses.dataclass
class Line:
    no: int  # 1-based line number in the source
    text: str  # cleaned text, markdown markup removed
    heading: bool  # printed as a markdown heading or bold line


@dataclasses.dataclass
class Block:
    """A logical paragraph: one or more source lines joined across page breaks."""

    text: str
    start: int
    end: int
    heading: bool


def _clean_line(raw: str) -> str:
    text = raw.strip().lstrip("#").strip()
    text = text.replace("**", "")
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)  # markdown autolinks: keep the address as printed
    return clean_spaces(text)


def clean_spaces(text: str) -> str:
    """Remove artefact spaces: any space next to a digit or punctuation mark, or between CJK and ASCII.
    A space between two CJK words ("嘉兴市司法局 嘉兴市中级人民法院") separates names and is kept (one)."""

    def keep(a: str, b: str) -> bool:
        if a.isdigit() or b.isdigit():
            return False
        if not (a.isalnum() and b.isalnum()):
            return False  # punctuation on either side: "(2024-2026 年)" -> "(2024-2026年)"
        return a.isascii() == b.isascii()

    out = re.sub(r"(\S)[ \t\u3000]+(?=(\S))", lambda m: m.group(1) + (" " if keep(m.group(1), m.group(2)) else ""), text)
    return out.strip()


def read_lines(path: Path) -> list[Line]:
    lines = []
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = raw.strip()
        lines.append(Line(no, _clean_line(raw), stripped.startswith("#") or stripped.startswith("**")))
    return lines


_CLOSING_PAREN_RE = re.compile(r"[（(](?:责任单位[:：][^）)]*|由[^）)]*牵头实施)[)）]$")


def ends_paragraph(text: str) -> bool:
    """True when a paragraph is complete: terminal punctuation, possibly inside closing quotes or brackets
    ("…下同。)"), or a closing "(责任单位:…)" / "(由…牵头实施)". A plain ")" does not end one: "(联络组)" | "反映。"."""
    if not text:
        return False
    tail = text.rstrip("”’\"')）")
    return text[-1] in TERMINAL or (tail != text and tail[-1:] in "。；;！？") or bool(_CLOSING_PAREN_RE.search(text))


def build_blocks(lines: list[Line]) -> list[Block]:
    """Join lines into paragraphs. A line continues the previous paragraph when that paragraph does not end
    in terminal punctuation and neither is a heading or a date line (e.g. "推进市级一" + "流学科" -> one word)."""
    blocks: list[Block] = []
    for line in lines:
        if not line.text:
            continue
        prev = blocks[-1] if blocks else None
        continues = (
            prev is not None
            and not prev.heading
            and not line.heading
            and not ends_paragraph(prev.text)
            and not DATE_LINE_RE.match(line.text)
            and not DATE_LINE_RE.match(prev.text)
            and not looks_like_marker(line.text)
        )
        if continues:
            blocks[-1] = Block(prev.text + line.text, prev.start, line.no, False)
        else:
            blocks.append(Block(line.text, line.no, line.no, line.heading))
    return blocks


def looks_like_marker(text: str) -> bool:
    return bool(SECTION_RE.match(text) or CLAUSE_RE.match(text) or ITEM_RE.match(text))


def clause_id(doc_key: str, path: str) -> str:
    return hashlib.sha1(f"{doc_key}|{path}".encode()).hexdigest()[:16]


# --------------------------------------------------------------------------------------------- units


@dataclasses.dataclass
class Unit:
    path: str
    marker: str
    level: str
    number: int | None
    parent: str | None
    paragraphs: list[str]
    start: int
    end: int
    section_heading: str = ""


@dataclasses.dataclass
class DocContext:
    key: str
    doc_no: str | None
    title: str
    source: str
    issue: str


def make_clause(ctx: DocContext, unit: Unit, order: int, valid: tuple[dt.date | None, dt.date | None]) -> Clause:
    text = "\n".join(p for p in unit.paragraphs if p)
    if unit.level == "section":
        heading = unit.section_heading
    elif unit.level in ("clause", "item"):
        heading = first_sentence(text)
    else:
        heading = ""
    return Clause(
        id=clause_id(ctx.key, unit.path),
        doc_key=ctx.key,
        doc_no=ctx.doc_no,
        doc_title=ctx.title,
        path=unit.path,
        marker=unit.marker,
        level=unit.level,  # type: ignore[arg-type]
        number=unit.number,
        parent=unit.parent,
        section_heading=unit.section_heading,
        heading=heading,
        text=text,
        responsible_units=parse_units(text),
        valid_from=valid[0],
        valid_to=valid[1],
        notes=quality_notes(text),
        order=order,
        line_start=unit.start,
        line_end=unit.end,
        source=ctx.source,
    )
