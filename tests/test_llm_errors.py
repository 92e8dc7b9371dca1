"""Endpoint failures are told apart by the openai SDK's exception types, never by their message text: a message that
reads like another failure (a 503 whose body says "timed out", a timeout whose text says "HTTP 500") is sorted by type."""

from __future__ import annotations

import ast
import json

import httpx
import openai
import pytest

from assistant.llm import reason
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

REQUEST = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")


def _status(code: int, text: str) -> openai.APIStatusError:
    return openai.APIStatusError(text, response=httpx.Response(code, request=REQUEST), body=None)


@pytest.mark.parametrize("exc, said", [
    pytest.param(openai.APITimeoutError(REQUEST), "响应超时", id="timeout"),
    pytest.param(openai.APIConnectionError(message="HTTP 500 timed out", request=REQUEST), "无法连接",
                 id="refused-whose-text-says-500-and-timeout"),
    pytest.param(_status(503, "Request timed out: connection refused"), "HTTP 503", id="503-whose-text-says-timeout"),
    pytest.param(openai.InternalServerError("timed out", response=httpx.Response(500, request=REQUEST), body=None),
                 "HTTP 500", id="500"),
    pytest.param(openai.APIResponseValidationError(httpx.Response(200, request=REQUEST), body=None), "回复格式错误",
                 id="garbage"),
    pytest.param(json.JSONDecodeError("Expecting value", "timed out", 0), "回复格式错误", id="not-json"),
    pytest.param(openai.OpenAIError("HTTP 404 connection refused"), "接口错误", id="other-sdk-error"),
])
def test_failures_are_sorted_by_type_not_by_message(exc, said):
    assert reason(exc) == said


def _reads_exception_text(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("str", "repr") and n.args
               and isinstance(n.args[0], ast.Name) and n.args[0].id in ("exc", "e", "err", "error")
               for n in ast.walk(node))


def test_no_module_compares_an_exceptions_text():
    """`"timed out" in str(exc).lower()` and the like: an exception's text may be shown, never used to decide."""
    found = [f"{path.relative_to(ROOT)}:{node.lineno}"
             for path in sorted((ROOT / "assistant").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Compare) and _reads_exception_text(node)]
    assert not found, found
