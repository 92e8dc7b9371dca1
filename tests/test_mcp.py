"""The MCP server (Gradio's, at /gradio_api/mcp/) with the official `mcp` Python SDK against a real `assistant serve`:
the tools are listed with bilingual descriptions and typed parameters, and calling them gives what the CLI gives."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, TODAY

TOOLS = {"lookup_clause", "ask", "calculate_award", "list_award_rules", "match_policies"}


async def _session(url: str, calls, headers: dict | None = None):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async with streamablehttp_client(url + "/gradio_api/mcp/", headers=headers) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await calls(session)


def mcp(url: str, calls, headers: dict | None = None):
    return asyncio.run(asyncio.wait_for(_session(url, calls, headers), 120))


def call(url: str, name: str, args: dict, headers: dict | None = None):
    async def go(session):
        res = await session.call_tool(name, args)
        assert not res.isError, res.content
        return json.loads(res.content[0].text)

    return mcp(url, go, headers)


def cli_json(*args: str) -> dict:
    env = dict(os.environ, ASSISTANT_TODAY=TODAY.isoformat())
    out = subprocess.run([sys.executable, "-m", "assistant", *args, "--json"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


@pytest.mark.integration
def test_tools_are_listed_bilingual_and_typed(served):
    async def go(session):
        return (await session.list_tools()).tools

    tools = {t.name: t for t in mcp(served.url, go)}
    assert set(tools) == TOOLS  # the page's HTML events (/chat, /lookup, /clause) are not tools
    for t in tools.values():
        assert re.search(r"[\u4e00-\u9fff]{4}", t.description), t.name  # Chinese
        assert re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", t.description), t.name  # and English
        for name, prop in t.inputSchema.get("properties", {}).items():
            assert {"type", "anyOf", "oneOf"} & set(prop), (t.name, name)
            assert re.search(r"[\u4e00-\u9fff]", prop["description"]) and " / " in prop["description"], (t.name, name)
    lookup = tools["lookup_clause"].inputSchema
    assert lookup["properties"]["query"]["type"] == "string" and lookup["properties"]["k"]["type"] == "integer"
    assert lookup["required"] == ["query"]
    assert tools["calculate_award"].inputSchema["properties"]["inputs"]["type"] == "object"
    assert tools["ask"].inputSchema["required"] == ["question"]


@pytest.mark.integration
@pytest.mark.parametrize("query", ["10号文第19条", "14号文（一）", "绿色工厂", "10号文第99条"])
def test_lookup_is_the_cli(served, query):
    assert call(served.url, "lookup_clause", {"query": query}) == cli_json("lookup", query)


@pytest.mark.integration
def test_calculator_is_the_cli(served):
    got = call(served.url, "calculate_award", {"rule_id": "10-19-smart-upgrade",
                                               "inputs": {"investment": "3000万", "tier": "A", "strategic": "是"}})
    want = cli_json("calc", "10-19-smart-upgrade", "--set", "investment=3000万", "--set", "tier=A",
                    "--set", "strategic=是")
    assert got == want and got["amount_yuan"] == 15_000_000
    rules = call(served.url, "list_award_rules", {})
    assert rules == cli_json("calc", "--list")
    assert len(rules) >= 25


@pytest.mark.integration
def test_ask_with_history_and_bad_inputs(served):
    r = call(served.url, "ask", {"question": "那市级的呢", "history": [{"role": "user", "content": "省级绿色工厂奖多少"}]})
    assert r["answer"].startswith("市级绿色工厂和绿色园区：20万元") and r["citations"][0]["clause"] == "三、（二十）"
    bad = call(served.url, "calculate_award", {"rule_id": "10-19-smart-upgrade", "inputs": {"investment": "-1"}})
    assert "负数" in bad["error"] and bad["field"]
    long_value = call(served.url, "calculate_award", {"rule_id": "10-19-smart-upgrade",
                                                      "inputs": {"investment": "3000万", "tier": "A", "x": "y" * 100}})
    assert "过长" in long_value["error"]

    async def nested(session):  # refused by the MCP layer against the tool's schema, before the tool runs
        return await session.call_tool("calculate_award", {"rule_id": "10-19-smart-upgrade",
                                                           "inputs": {"investment": {"a": {"b": [1]}}, "tier": "A"}})

    res = mcp(served.url, nested)
    assert res.isError and "validation" in res.content[0].text
    assert "role" in call(served.url, "ask", {"question": "种粮补贴", "history": [{"content": "x"}]})["error"]
    assert "error" in call(served.url, "lookup_clause", {"query": ""})


@pytest.mark.integration
@pytest.mark.slow
def test_mcp_takes_the_bearer_key_when_access_control_is_configured(tmp_path_factory):
    import httpx

    from tests.conftest import start_server, stop_server

    key = "mcp-key-0123456789abcdef"
    s = start_server(tmp_path_factory.mktemp("mcp-auth"), {"ASSISTANT_AUTH": "staff:s3cret-pass",
                                                            "ASSISTANT_API_KEY": key})
    try:
        r = httpx.post(s.url + "/gradio_api/mcp/", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                       headers={"Accept": "application/json, text/event-stream"}, timeout=10)
        assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_api_key"
        got = call(s.url, "lookup_clause", {"query": "10号文第19条"}, headers={"Authorization": f"Bearer {key}"})
        assert got["matches"][0]["citation"] == "嘉政发〔2024〕10号 三、（十九）"
    finally:
        stop_server(s)


@pytest.mark.integration
def test_policy_matching_is_the_cli(served):
    text = "我们是物流公司，2023年营收4000万，2024年营收6000万，第一次超过5000万"
    got = call(served.url, "match_policies", {"text": text, "date": "2024-12-01"})
    assert got == cli_json("match", text, "--date", "2024-12-01")
    assert "error" in call(served.url, "match_policies", {"text": ""})
