"""What the assistant knows about each gazette beyond its text: read from a data file beside the gazette.

A gazette `corpus/NAME.md` may come with `corpus/NAME.toml` declaring what its text cannot give: the short topic the
scope sentence gives each document, the assistant's name and the greeting's examples, words jieba must keep whole,
how citizens say the gazette's words (synonyms), everyday names of the categories it lists, the enumerations a
follow-up may switch between (国家级 -> 省级 is general; 稻麦复种 -> 一季早粮 is this gazette's), the gazette's own
places (never "another city"), and combination rules ("就高不重复") with the documents they govern. Its award rules
are declared beside it too, in `corpus/NAME.rules.toml` (read by `assistant/calculator/rules.py` when first needed).

Everything else is derived from the parsed gazette: its name and issue (the cover), its documents' 文号, titles and
years, the years a question may name. Nothing in `assistant/` names a gazette: a second gazette needs a file, not a
code change (tests/test_second_gazette.py). Several gazettes are merged: their vocabularies are united, the scope
sentence names each of them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .combination import Combination

if TYPE_CHECKING:  # annotations only: the calculator imports this module without the gazette's types
    from .types import Document, Gazette


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Examples(_Frozen):
    """What the greeting and the lookup's hints show as examples."""

    question: str = ""
    lookup: str = ""
    keyword: str = ""
    calculation: str = ""


class GazetteKnowledge(_Frozen):
    """The declared part (the data file); empty fields when a gazette has no file."""

    assistant_name: str = Field(default="", description="how the assistant names itself, e.g. 某某市政策问答助手")
    document_topics: dict[str, str] = Field(default_factory=dict, description="文号 -> short topic in the scope text")
    scope_extra: str = Field(default="", description="what else the scope covers (appointments, indexes)")
    examples: Examples = Examples()
    terms: tuple[str, ...] = Field(default=(), description="words jieba must keep whole (quoted terms are derived)")
    stopwords: tuple[str, ...] = Field(default=(), description="words that say nothing in a question here (the city)")
    synonyms: dict[str, tuple[str, ...]] = Field(default_factory=dict, description="citizens' word -> gazette's words")
    slots: tuple[tuple[str, ...], ...] = Field(default=(), description="enumerations a follow-up may switch between")
    places: tuple[str, ...] = Field(default=(), description="the gazette's own places: never 'another place'")
    off_topics: tuple[str, ...] = Field(default=(), description="matters refused unless the text uses the phrase")
    combinations: tuple[Combination, ...] = ()


def knowledge_path(gazette_file: Path) -> Path:
    return gazette_file.with_suffix(".toml")


def load_knowledge(gazette_file: Path) -> GazetteKnowledge:
    """The data file beside a gazette file; empty knowledge when there is none. A broken file is an error that names
    the file (ValueError), never a silent loss of vocabulary."""
    path = knowledge_path(gazette_file)
    if not path.is_file():
        return GazetteKnowledge()
    try:
        return GazetteKnowledge.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise ValueError(f"公报数据文件 {path.name} 无法读取：{str(exc).splitlines()[0]}") from exc


def rules_path(gazette_file: Path) -> Path:
    """The award rules declared beside a gazette: corpus/NAME.md -> corpus/NAME.rules.toml."""
    return gazette_file.with_suffix(".rules.toml")


def load_rule_data(gazette_file: Path) -> dict:
    """The gazette's award-rule file as TOML data ({} when there is none), validated by the calculator's models
    (`assistant.calculator.rules`). Read only when a rule is first needed, never with the corpus. A broken file is an
    error that names the file (ValueError)."""
    path = rules_path(gazette_file)
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"公报数据文件 {path.name} 无法读取：{str(exc).splitlines()[0]}") from exc


# ------------------------------------------------------------------------------------------ derived and merged

_TOTAL_ISSUE = re.compile(r"[（(]总第[^）)]*[）)]")
_TITLE_TOPIC = re.compile(r"^(?:.*?关于)?(?:印发)?(?P<topic>.+?)(?:的(?:通知|决定|意见))?$")


def issue_name(gazette: Gazette) -> str:
    """"2024年第04、05期（总第250、251期）" -> "2024年第04、05期"."""
    return _TOTAL_ISSUE.sub("", gazette.issue).strip()


def document_topic(doc: Document, declared: dict[str, str]) -> str:
    """The declared short topic, or the title without issuer and wrapper ("…关于印发X的通知" -> "X")."""
    if doc.doc_no in declared:
        return declared[doc.doc_no]
    m = _TITLE_TOPIC.match(doc.title)
    return m.group("topic") if m else doc.title


class Knowledge:
    """The knowledge of every loaded gazette, merged; what the rest of the code reads."""

    def __init__(self, gazettes: tuple[Gazette, ...], declared: tuple[GazetteKnowledge, ...] | None = None) -> None:
        self.gazettes = gazettes
        self.declared = declared if declared is not None else tuple(GazetteKnowledge() for _ in gazettes)
        parts = self.declared
        self.terms = tuple(dict.fromkeys(t for k in parts for t in k.terms))
        self.stopwords = frozenset(w for k in parts for w in k.stopwords)
        synonyms: dict[str, tuple[str, ...]] = {}
        for k in parts:
            for word, targets in k.synonyms.items():
                synonyms[word] = tuple(dict.fromkeys(synonyms.get(word, ()) + tuple(targets)))
        self.synonyms = synonyms
        self.slots = tuple(dict.fromkeys(s for k in parts for s in k.slots))
        self.places = tuple(dict.fromkeys(p for k in parts for p in k.places))
        self.off_topics = tuple(dict.fromkeys(t for k in parts for t in k.off_topics))
        self.combinations = tuple(c for k in parts for c in k.combinations)
        self.assistant_name = next((k.assistant_name for k in parts if k.assistant_name), "政策问答助手")
        self.examples = next((k.examples for k in parts if k.examples.question), Examples())

    @property
    def document_years(self) -> frozenset[int]:
        """The years the gazettes' documents were issued in (from their 文号)."""
        return frozenset(int(m.group(1)) for g in self.gazettes for d in g.documents
                         if d.doc_no and (m := re.search(r"〔(\d{4})〕", d.doc_no)))

    @property
    def answered_years(self) -> range:
        """Years a question may name and still be about these gazettes: from the year before the first document (a
        document of 2024 is asked about "2023年的…", and told it covers 2024) to three years after the last
        validity ends ("2029年还能申请吗" about a term ending 2026 is told it has ended). Jiaxing 2024-04/05:
        2023..2029 (10号 2024, 14号 valid to 2026-12-31)."""
        years = self.document_years
        if not years:
            return range(0)
        ends = [d.effective_to.year for g in self.gazettes for d in g.documents if d.effective_to]
        return range(min(years) - 1, max([*years, *ends]) + 3 + 1)

    def combination_for(self, doc_no: str | None) -> Combination | None:
        return next((c for c in self.combinations if doc_no in c.governs), None)

    def scope(self) -> str:
        """"本助手只解答《嘉兴市人民政府公报》2024年第04、05期收录的内容：嘉政发〔2024〕10号（…）、…，以及…。"; one
        part per gazette."""
        parts = []
        for g, k in zip(self.gazettes, self.declared):
            docs = "、".join(f"{d.doc_no}（{document_topic(d, k.document_topics)}）" for d in g.documents if d.doc_no)
            extra = f"，以及{k.scope_extra}" if k.scope_extra else ""
            parts.append(f"《{g.title}》{issue_name(g)}收录的内容：{docs}{extra}")
        return "本助手只解答" + "；".join(parts) + "。"
