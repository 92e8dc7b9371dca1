"""Documents that are lists rather than numbered text: the personnel appointments (one entry per appointment or
removal), the indexes (one row per listed document) and the gazette's cover, table of contents and colophon."""

from __future__ import annotations

import re
from collections import Counter

from .blocks import DocContext, Line, Unit, build_blocks, make_clause
from .types import Document


def _simple_doc(kind: str, title: str, units: list[Unit], lines: list[Line], source: str, issue: str) -> Document:
    key = f"{issue} {title}".strip()
    ctx = DocContext(key, None, title, source, issue)
    clauses = tuple(make_clause(ctx, u, i, (None, None)) for i, u in enumerate(units))
    return Document(key=key, doc_no=None, kind=kind, title=title, gazette_issue=issue, source=source,  # type: ignore[arg-type]
                    line_start=lines[0].no, line_end=lines[-1].no, clauses=clauses)


def parse_appointments(lines: list[Line], source: str, issue: str) -> Document:
    """One entry per appointment or removal, paths 任命1…, 免去1…."""
    head = lines[0].text
    m = re.match(r"(【市政府人事任免】\s*[（(][^)）]*[)）])(.*)$", head)
    title = m.group(1) if m else head
    rest = [Line(lines[0].no, m.group(2), False)] if m and m.group(2) else []
    entries: list[Unit] = []
    group = ""
    counters: Counter[str] = Counter()
    for block in build_blocks(rest + [Line(x.no, x.text, False) for x in lines[1:]]):
        label = block.text.rstrip(":：")
        if label in ("任命", "免去", "免职") and block.text[-1:] in ":：":
            group = label
            continue
        counters[group] += 1
        entries.append(Unit(f"{group}{counters[group]}", "", "entry", counters[group], group or None,
                            [block.text], block.start, block.end))
    clean_title = title.strip("【】").replace("】", "").replace("【", "")
    return _simple_doc("appointments", clean_title, entries, lines, source, issue)


def parse_index(lines: list[Line], source: str, issue: str) -> Document:
    """A table of contents ("发文目录"): one row per listed document, paths 第1项…."""
    title = lines[0].text
    rows: list[Unit] = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.text.strip("- ").split("|") if c.strip()]
        if len(cells) >= 2 and not set(cells[0]) <= set("-: "):
            n = len(rows) + 1
            rows.append(Unit(f"第{n}项", "", "row", n, None, [" ".join(cells)], line.no, line.no))
    return _simple_doc("index", title, rows, lines, source, issue)


def parse_gazette_info(front: list[Line], back: list[Line], title: str, source: str, issue: str) -> Document:
    units = []
    toc_start = next((i for i, x in enumerate(front) if x.text.replace(" ", "") == "目录"), len(front))
    cover = [x for x in front[:toc_start] if x.text]
    toc = [x for x in front[toc_start:] if x.text]
    for path, part in (("封面", cover), ("目录", toc), ("版权页", [x for x in back if x.text])):
        if part:  # "主 办"、"目 录": letter-spaced labels, not word breaks
            texts = [re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", x.text) for x in part]
            units.append(Unit(path, "", "paragraph", None, None, texts, part[0].no, part[-1].no))
    lines = [x for x in front + back if x.text] or front
    return _simple_doc("gazette_info", f"{title}{issue}", units, lines, source, issue)
