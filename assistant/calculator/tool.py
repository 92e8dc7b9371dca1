"""The calculator as a LangChain tool with a typed schema, for the answer chain or any agent.

`CalculatorTool()` needs no arguments (the date defaults to the configured today). Every outcome is a JSON object an
agent can read: the calculation, or {"error": "<one sentence>", "field" | "missing" | "rules"} — an unknown rule id
included, which an agent corrects from the list it gets back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from . import CalcInputError, MissingInputs, calculate
from .rules import default_book


def _rule_lines() -> str:
    return "\n".join(f"{r.id}: {r.title} ({r.doc_no} {r.clause}); inputs: " + ", ".join(i.name for i in r.inputs)
                     for r in default_book().rules)


def _description() -> str:
    """Built from the configured corpus's rule files when a tool is made (not on import)."""
    book = default_book()
    return (f"Exact award/subsidy amounts under the award rules of {'、'.join(book.names) or 'the gazette'} "
            "(政策奖补计算). Returns the amount in yuan, the steps, the citation and validity warnings. Rules:\n"
            + _rule_lines())


class CalcArgs(BaseModel):
    """Arguments of the award calculator."""

    rule_id: str = Field(description="Rule id, one of those the tool description lists")
    inputs: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description='Inputs by name, values with units: {"investment": "3000万", "tier": "A"}')


class CalculatorTool(BaseTool):
    name: str = "award_calculator"
    description: str = Field(default_factory=_description)
    args_schema: type[BaseModel] = CalcArgs
    today: dt.date | None = Field(default=None, description="Date for validity; default: the configured today")

    @classmethod
    def example_input(cls) -> dict:
        """A valid input, as the rule file declares it (its `[example]`): {"rule_id", "inputs"}."""
        example = default_book().example
        return {"rule_id": example["rule_id"], "inputs": dict(example.get("inputs", {}))}

    def _run(self, rule_id: str, inputs: dict | None = None, **_: Any) -> dict:
        by_id = default_book().by_id
        if rule_id not in by_id:
            return {"error": f"没有规则“{rule_id}”。", "rules": sorted(by_id)}
        if inputs is not None and not isinstance(inputs, dict):
            return {"error": "inputs 应为对象，例如 {\"investment\": \"3000万\"}。", "field": "inputs"}
        today = self.today
        if today is None:
            from ..settings import get_settings

            today = get_settings().today
        try:
            return calculate(rule_id, {k: v for k, v in (inputs or {}).items()}, today).model_dump(mode="json")
        except MissingInputs as exc:
            return {"error": str(exc), "missing": [s.name for s in exc.specs]}
        except CalcInputError as exc:
            return {"error": str(exc), "field": exc.field}


def calculator_tool(today: dt.date) -> CalculatorTool:
    """The tool for a given date (what the answer chain and the tests use)."""
    return CalculatorTool(today=today)
