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


class PolicyMatchTool(BaseTool):
    name: str = "policy_match"
    description: str = (
        "Match a Chinese company description against the Jiaxing gazette's quantified awards (嘉政发〔2024〕10号, 14号). "
        "Returns eligible awards with citations and exact yuan amounts, near misses with the gap, the questions to "
        "ask for missing figures, the total after 就高不重复, and notes (expired documents first).")
    args_schema: type[BaseModel] = MatchArgs

    def _run(self, text: str, date: str | None = None, **_: Any) -> dict:
        from ..errors import user_message
        from . import match_text

        try:
            return match_text(text, date)
        except Exception as exc:  # an agent gets a sentence, not a traceback
            return {"error": user_message(exc)}
