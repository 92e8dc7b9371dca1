"""A gazette's rule on how awards combine (e.g. 就高不重复), as its knowledge file declares it.

Its own module so that the calculator, which attaches it to the rules it governs, imports it without the rest of the
gazette's knowledge (`knowledge.py`).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Combination(BaseModel):
    """A rule on how awards combine, stated in a clause, for the awards of the documents it governs."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    principle: str = Field(description="the principle as the clause names it, e.g. 就高不重复")
    doc_no: str = Field(description="文号 of the document that states it")
    clause: str = Field(description="the clause path that states it, e.g. 五、")
    quote: str = Field(description="the words of the clause cited for it")
    governs: tuple[str, ...] = Field(description="文号 of the documents whose awards it governs")
