"""Recognitions (认定、评定、获奖) that the gazette rewards with a fixed amount, and how companies write them.

This is vocabulary, not money: the catalogue is declared in each gazette's rule file (`[[matching.recognitions]]`,
read by `vocabulary.py`); each entry names a calculator rule and one of its award categories, and the amount always
comes from `calculate(rule_id, {"category": …})`, i.e. from the clause text. `tests/test_matching.py` proves every
category exists in its rule and every fixed award of the rules is reachable from here.

A subject is written once with the levels the gazette rewards. A level the gazette does not reward is recognised and
said, never mapped to the nearest level. Similar names are different subjects. Entries sharing a `matter` are tiers
of one award: a company gets one of them (the combination rule the rule file attaches, e.g. 就高不重复).

`SUBJECTS` and `CATALOGUE` are those of the configured corpus, read on first use.
"""

from __future__ import annotations

from typing import NamedTuple

from .vocabulary import Subject, vocabulary

__all__ = ["Subject", "Entry", "display", "level_words", "find", "level_before", "resolve", "catalogue"]


class Entry(NamedTuple):
    """One rewarded recognition: its catalogue name and where its amount comes from."""
    name: str
    subject: Subject
    level: str
    category: str


def display(subject: Subject, level: str) -> str:
    """The name of a subject at a level: "省级绿色工厂", "省重点实验室", "市级五星级小微企业园"."""
    return subject.names.get(level) or subject.display.format(level=level, name=subject.name)


def _catalogue(vocab) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for s in vocab.subjects:
        for level, category in s.levels.items():
            name = display(s, level)
            out.setdefault(name, Entry(name, s, level, category))
    return out


def catalogue() -> dict[str, Entry]:
    """Every rewarded recognition by its catalogue name (the names `Profile.recognitions` takes)."""
    vocab = vocabulary()
    return vocab.book.derived("matching.catalogue", lambda _: _catalogue(vocab))


def __getattr__(name: str):
    if name == "SUBJECTS":
        return vocabulary().subjects
    if name == "CATALOGUE":
        return catalogue()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def level_words(subject: Subject) -> str:
    """The levels a subject is rewarded at, for a sentence: "国家级、省级、市级"."""
    return "、".join(level or "（不分级别）" for level in subject.levels)


def find(text: str) -> list[tuple[int, int, Subject, str | None]]:
    """Every subject named in `text` as (start, end, subject, level written after it or None); where two names
    overlap the longer wins ("重点实验室(A类)绩效评价优秀" is not also a "重点实验室")."""
    found = []
    for subject in vocabulary().subjects:
        for m in subject.pattern.finditer(text):
            level = m.groupdict().get("level")
            if level is not None and not level.endswith(("级", "奖")):
                level += "级"
            found.append((m.start(), m.end(), subject, level))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, Subject, str | None]] = []
    for f in found:
        if not any(a < f[1] and f[0] < b for a, b, _, _ in out):
            out.append(f)
    return out


def level_before(text: str) -> str:
    """The level written just before a subject ("获评省级" -> 省级); "" when none."""
    vocab = vocabulary()
    words = vocab.level_re.findall(text[-6:])
    return vocab.level_of[words[-1]] if words else ""


def resolve(name: str) -> Entry | None:
    """A catalogue entry for a name as written ("省级服务型制造示范企业" -> that subject's 省级 entry); None when the
    name names no rewarded recognition (unknown, or a level the gazette does not reward)."""
    entries = catalogue()
    if name in entries:
        return entries[name]
    hits = find(name)
    if len(hits) != 1:
        return None
    start, _, subject, level = hits[0]
    level = level if level is not None else level_before(name[:start])
    category = subject.levels.get(level)
    return Entry(display(subject, level), subject, level, category) if category else None
