"""The calculator as a LangChain `StructuredTool` with a typed schema, for the answer chain or any agent."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from . import RULES, CalcInputError, MissingInputs, calculate

RuleId = Literal[tuple(r.id for r in RULES)]  # type: ignore[valid-type]


class CalcArgs(BaseModel):
    """Arguments of the award calculator."""

    rule_id: RuleId = Field(description="Rule id, e.g. 10-19-smart-upgrade (see assistant calc --list)")
    inputs: dict[str, str] = Field(default_factory=dict,
                                   description='Inputs by name, values with units: {"investment": "3000万", "tier": "A"}')


def calculator_tool(today: dt.date):
    """A StructuredTool whose result is the calculator JSON (or {"error": …, "field": …} for bad input)."""
    from langchain_core.tools import StructuredTool

    def run(rule_id: str, inputs: dict[str, str] | None = None) -> dict:
        try:
            return calculate(rule_id, inputs or {}, today).model_dump(mode="json")
        except MissingInputs as exc:
            return {"error": str(exc), "missing": [s.name for s in exc.specs]}
        except CalcInputError as exc:
            return {"error": str(exc), "field": exc.field}

    lines = [f"{r.id}: {r.title} ({r.doc_no} {r.clause}); inputs: " + ", ".join(i.name for i in r.inputs) for r in RULES]
    return StructuredTool.from_function(
        func=run, name="award_calculator", args_schema=CalcArgs,
        description="Exact award/subsidy amounts under the Jiaxing gazette rules. Rules:\n" + "\n".join(lines),
    )
