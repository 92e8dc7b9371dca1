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

from . import RULES, RULES_BY_ID, CalcInputError, MissingInputs, calculate


def _rule_lines() -> str:
    return "\n".join(f"{r.id}: {r.title} ({r.doc_no} {r.clause}); inputs: " + ", ".join(i.name for i in r.inputs)
                     for r in RULES)


class CalcArgs(BaseModel):
    """Arguments of the award calculator."""

    rule_id: str = Field(description="Rule id, e.g. 10-19-smart-upgrade (the tool description lists them all)")
    inputs: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description='Inputs by name, values with units: {"investment": "3000万", "tier": "A"}')


class CalculatorTool(BaseTool):
    name: str = "award_calculator"
    description: str = ("Exact award/subsidy amounts under the Jiaxing gazette rules (嘉兴市政策奖补计算). "
                        "Returns the amount in yuan, the steps, the citation and validity warnings. Rules:\n"
                        + _rule_lines())
    args_schema: type[BaseModel] = CalcArgs
    today: dt.date | None = Field(default=None, description="Date for validity; default: the configured today")

    @classmethod
    def example_input(cls) -> dict:
        """A valid input: smart-upgrade investment of 3000万元, tier A, not a strategic emerging industry."""
        return {"rule_id": "10-19-smart-upgrade", "inputs": {"investment": "3000万", "tier": "A", "strategic": "否"}}

    def _run(self, rule_id: str, inputs: dict | None = None, **_: Any) -> dict:
        if rule_id not in RULES_BY_ID:
            return {"error": f"没有规则“{rule_id}”。", "rules": sorted(RULES_BY_ID)}
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
