"""Typed, immutable records: Gazette -> Document -> Clause -> Citation -> Answer.

Everything persisted or shown to a user is a pydantic model with `extra="forbid"`, so a typo in a field name is
an error rather than silently dropped data.  Records are frozen: derive new ones with `model_copy(update=...)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


ClauseLevel = Literal["section", "clause", "item", "paragraph", "entry", "row"]
DocKind = Literal["policy", "decision", "appointments", "index", "gazette_info"]


class Clause(Record):
    """One numbered (or, for unnumbered documents, one paragraph-sized) unit of a document."""

    id: str = Field(description="Stable id derived from the document key and the clause path")
    doc_key: str = Field(description="doc_no when the document has one, else its title")
    doc_no: str | None = Field(description="Canonical 文号 (issuer, 〔year〕, number, 号); None for appointments/indexes")
    doc_title: str
    path: str = Field(description="Canonical clause path from the document root, e.g. 三、（十九）")
    marker: str = Field(description="This unit's own marker as printed in canonical form: 三、 / （十九） / 8. / ''")
    level: ClauseLevel
    number: int | None = Field(default=None, description="The numeral of this unit's own marker")
    parent: str | None = Field(default=None, description="Path of the enclosing unit")
    section_heading: str = Field(default="", description="Heading of the enclosing top-level section")
    heading: str = Field(default="", description="The unit's own heading (first sentence), if any")
    text: str = Field(description="Full text after the marker, print artefacts repaired, verbatim otherwise")
    responsible_units: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    notes: tuple[str, ...] = Field(default=(), description="Data-quality notes (e.g. a likely typo in the source)")
    order: int = Field(description="Position of the unit in its document, 0-based")
    line_start: int = Field(description="1-based line in the source file where the unit starts")
    line_end: int
    source: str = Field(description="Source file name")

    @property
    def citation(self) -> str:
        """`嘉政发〔2024〕10号 三、（十九）`, or the title for units without 文号."""
        return f"{self.doc_no or self.doc_title} {self.path}"


class Document(Record):
    key: str
    doc_no: str | None
    doc_no_raw: str | None = Field(default=None, description="The 文号 as printed (brackets and spaces as in the text)")
    kind: DocKind
    title: str
    subtitle: str = Field(default="", description="Title of the attached policy text (印发 notices)")
    issuer: str = ""
    signed: dt.date | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    validity_note: str = Field(default="", description="The sentence that states validity, quoted")
    gazette_issue: str = ""
    source: str = ""
    line_start: int = 0
    line_end: int = 0
    clauses: tuple[Clause, ...] = ()


class Gazette(Record):
    title: str
    issue: str
    published: dt.date | None
    source: str
    sha256: str
    documents: tuple[Document, ...]


class Citation(Record):
    doc_no: str | None
    doc_title: str
    clause: str
    heading: str = ""
    quote: str = ""
    clause_id: str = ""


AnswerKind = Literal["answer", "lookup", "calculation", "clarify", "refusal"]
