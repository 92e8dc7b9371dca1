"""Fields read from a unit's text: 责任单位, heading, data-quality notes, validity, appointment entries.

Pure functions of strings, used by the parser (parsing.py) and by the lexical index (appointee names)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

UNITS_RE = re.compile(r"[（(]责任单位[:：]([^）)]*)[)）]")
LEAD_RE = re.compile(r"[（(]由(.+?)牵头实施[)）]")


def _date(y: str, m: str, d: str) -> dt.date:
    return dt.date(int(y), int(m), int(d))


def parse_units(text: str) -> tuple[str, ...]:
    """责任单位 from every "(责任单位:…)" in a clause, in order, de-duplicated; "(由…牵头实施)" for sections."""
    return _units(UNITS_RE.findall(text) + LEAD_RE.findall(text))


def sentence_units(text: str, sentence: str) -> tuple[str, ...]:
    """The 责任单位 of one sentence of a clause: where the clause names units part by part ("…给予支持。(责任单位:市建设局、
    市经信局、市商务局)支持为独居孤寡老年人家庭…(责任单位:市民政局、市建设局)…"), those of the first group after the
    sentence; otherwise the clause's."""
    groups = list(UNITS_RE.finditer(text))
    at = text.find(sentence.strip())
    if len(groups) > 1 and at >= 0:
        end = at + len(sentence.strip())
        for m in groups:
            if m.start() >= end:
                return _units([m.group(1)])
    return parse_units(text)


def _units(groups: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for group in groups:
        group = group.split("。")[0]  # "(责任单位:市经信局。列第一位的为牵头单位,下同)"
        for unit in re.split(r"[、,，]", group):
            unit = unit.strip()
            if unit and unit not in found:
                found.append(unit)
    return tuple(found)


def first_sentence(text: str, limit: int = 40) -> str:
    head = text.split("。", 1)[0]
    return head if len(head) <= limit and head != text.rstrip("。") or len(text) <= limit else ""


def quality_notes(text: str) -> tuple[str, ...]:
    """Flag enumerations whose categories repeat, e.g. "对评为市级“五星级”“四星级”“五星级”…分别给予100万元、
    300万元、500万元": the same category cannot get two amounts, so the source likely has a typo."""
    notes = []
    for run in re.finditer(r"((?:“[^”]{1,12}”){2,})[^。；]{0,40}?分别给予", text):
        terms = re.findall(r"“([^”]+)”", run.group(1))
        dup = [t for t, n in Counter(terms).items() if n > 1]
        if dup:
            listed = "".join(f"“{t}”" for t in terms)
            notes.append(
                f"数据质量提示：原文列举{listed}，其中“{dup[0]}”重复出现，"
                f"与后文金额的对应关系可能有误（疑为印刷错误），请以发文机关解释为准。"
            )
    return tuple(notes)


APPOINT_RE = re.compile(r"^(?P<who>[\u4e00-\u9fff、]{2,12}?)(?P<act>兼任|任)(?P<what>.+?)[；;。]?$")
REMOVE_RE = re.compile(r"^免去?(?P<who>[\u4e00-\u9fff、]{2,12}?)的(?P<what>.+?)[；;。]?$")


def entry_fields(text: str) -> tuple[tuple[str, ...], str, str] | None:
    """An appointment entry as (people, action, post): "张衢、冯建松任…副主任；" -> (("张衢", "冯建松"), "任", "…副主任")."""
    m = REMOVE_RE.match(text)
    if m:
        return tuple(m.group("who").split("、")), "免去", m.group("what")
    m = APPOINT_RE.match(text)
    if m:
        return tuple(m.group("who").split("、")), m.group("act"), m.group("what")
    return None


def parse_validity(text: str) -> tuple[dt.date | None, dt.date | None, str]:
    """Validity as the document states it: "自2024年5月20日起正式施行,有效期至2026年12月31日",
    "本意见自2024年4月15日起施行", "…均为2024年全年实施有效"."""
    start = end = None
    notes = []
    for sentence in re.split(r"(?<=[。；])|\n", text):
        m_from = re.search(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:正式)?施行", sentence)
        m_to = re.search(r"有效期至(\d{4})年(\d{1,2})月(\d{1,2})日", sentence)
        m_year = re.search(r"均为(\d{4})年全年实施有效", sentence)
        if m_from:
            start = _date(*m_from.groups())
        if m_to:
            end = _date(*m_to.groups())
        if m_year:
            year = int(m_year.group(1))
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if m_from or m_to or m_year:
            notes.append(sentence.strip())
    return start, end, "".join(notes)
