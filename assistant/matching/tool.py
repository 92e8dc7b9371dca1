"""Policy matching as a LangChain tool, for an LLM agent: a company's description in, the JSON record out.

`PolicyMatchTool()` needs no arguments (the date defaults to the configured today); bad input comes back as
{"error": "…"} — one Chinese sentence the agent can relay — never as an exception.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field


class MatchArgs(BaseModel):
    """Arguments of the policy-matching tool."""

    text: str = Field(description="企业自我介绍（中文）：行业、规模、各年营收和研发费用、投资、亩数、今年新获得的认定等")
    date: str | None = Field(default=None, description="匹配日期 YYYY-MM-DD；默认今天")


def _description() -> str:
    """Built from the configured corpus's rule files when a tool is made (not on import)."""
    from .matcher import covered, doc_list
    from .vocabulary import vocabulary

    vocab = vocabulary()
    gazettes = "、".join(vocab.book.names) or "the gazette"
    principles = "、".join(dict.fromkeys(r.combination.principle for r in vocab.book.rules if r.combination))
    return (f"Match a Chinese company description against the quantified awards of {gazettes} "
            f"({doc_list(covered(vocab))}). Returns eligible awards with citations and exact yuan amounts, near "
            "misses with the gap, the questions to ask for missing figures, the total after "
            f"{principles or 'one award per matter'}, and notes (expired documents first).")


class PolicyMatchTool(BaseTool):
    name: str = "policy_match"
    description: str = Field(default_factory=_description)
    args_schema: type[BaseModel] = MatchArgs

    def _run(self, text: str, date: str | None = None, **_: Any) -> dict:
        from ..errors import user_message
        from . import match_text

        try:
            return match_text(text, date)
        except Exception as exc:  # an agent gets a sentence, not a traceback
            return {"error": user_message(exc)}
