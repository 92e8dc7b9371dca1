"""LangChain's own conformance suites (langchain-tests), run against the project's retriever and calculator tool."""

from __future__ import annotations

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests, ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from assistant.calculator.tool import CalculatorTool
from assistant.retrieval import ClauseRetriever


@pytest.mark.integration
class TestClauseRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[ClauseRetriever]:
        return ClauseRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"k": 5}

    @property
    def retriever_query_example(self) -> str:
        return "绿色工厂奖励多少"


class CalculatorToolSpec:
    """What both tool suites are told about the tool: its class, and a valid input."""

    @property
    def tool_constructor(self) -> type[CalculatorTool]:
        return CalculatorTool

    @property
    def tool_invoke_params_example(self) -> dict:
        return CalculatorTool.example_input()


@pytest.mark.unit
class TestCalculatorToolUnit(CalculatorToolSpec, ToolsUnitTests):
    pass


@pytest.mark.integration
class TestCalculatorToolIntegration(CalculatorToolSpec, ToolsIntegrationTests):
    pass


@pytest.mark.unit
def test_the_issue_lines():
    """ClauseRetriever(k=1).invoke(q) returns one document (it returned 5: k was dropped); an unknown rule id is an
    answer an agent can read, not a ValidationError."""
    assert len(ClauseRetriever(k=1).invoke("种粮大户补贴")) == 1
    assert len(ClauseRetriever().invoke("种粮大户补贴", k=2)) == 2
    out = CalculatorTool().invoke({"rule_id": "no-such-rule", "inputs": {}})
    assert "没有规则" in out["error"] and "10-19-smart-upgrade" in out["rules"]
    assert CalculatorTool().invoke(CalculatorTool.example_input())["amount_yuan"] == 15_000_000

    class Mine(ClauseRetriever):  # importable and subclassable
        pass

    assert Mine(k=1).invoke("海铁联运")[0].metadata["clause"] == "五、（三十九）"
