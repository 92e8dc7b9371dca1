"""The OpenAI-compatible endpoint (/v1) with the official `openai` SDK against a real `assistant serve`, and its
request checks as a table."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, TODAY, start_server, stop_server
from ui.inputs import MAX_MESSAGE_CHARS, MAX_MESSAGES
from ui.openai_api import MODEL_ID, APIError, count_tokens, parse_request, pieces

KEY = "test-key-0123456789abcdef"


def body(**kw) -> bytes:
    data = {"model": MODEL_ID, "messages": [{"role": "user", "content": "种粮大户有什么补贴？"}]}
    data.update(kw)
    return json.dumps({k: v for k, v in data.items() if v is not ...}, ensure_ascii=False).encode()


BAD_REQUESTS = [
    pytest.param(body(messages=...), 400, "missing_required_parameter", "messages", id="missing-messages"),
    pytest.param(body(messages=[{"role": "user", "content": "问"}] * 10_000), 400, "too_many_messages", "200",
                 id="10000-messages"),
    pytest.param(body(messages=[{"role": "hacker", "content": "问"}]), 400, "invalid_value", "role", id="wrong-role"),
    pytest.param(body(messages=[{"role": "tool", "content": "问"}]), 400, "invalid_value", "role", id="tool-role"),
    pytest.param(body(messages=[{"content": "问"}]), 400, "invalid_value", "role", id="no-role"),
    pytest.param(body(messages=[{"role": "user", "content": "问" * 2001}]), 400, "string_above_max_length", "2000",
                 id="question-over-page-limit"),
    pytest.param(body(messages=[{"role": "assistant", "content": "答" * (MAX_MESSAGE_CHARS + 1)},
                                {"role": "user", "content": "问"}]), 400, "string_above_max_length", "上限",
                 id="huge-history-message"),
    pytest.param(body(messages="种粮补贴"), 400, "invalid_type", "列表", id="messages-string"),
    pytest.param(body(messages={"role": "user"}), 400, "invalid_type", "列表", id="messages-object"),
    pytest.param(body(messages=[{"role": "user", "content": 5}]), 400, "invalid_value", "content", id="content-number"),
    pytest.param(body(messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]),
                 400, "invalid_value", "文字", id="content-image"),
    pytest.param(body(messages=[["user", "问"]]), 400, "invalid_value", "role", id="message-list"),
    pytest.param(body(messages=[{"role": "assistant", "content": "答"}]), 400, "invalid_value", "最后一条",
                 id="last-not-user"),
    pytest.param(body(messages=[{"role": "user", "content": "  "}]), 400, "invalid_value", "空", id="empty-question"),
    pytest.param(body(stream="yes"), 400, "invalid_type", "stream", id="stream-string"),
    pytest.param(body(model=5), 400, "invalid_type", "model", id="model-number"),
    pytest.param(body(model=...), 400, "missing_required_parameter", "model", id="model-missing"),
    pytest.param(body(model="gpt-4o"), 404, "model_not_found", MODEL_ID, id="unknown-model"),
    pytest.param(body(n=3), 400, "invalid_value", "n", id="n-3"),
    pytest.param(b"[1, 2]", 400, "invalid_type", "JSON", id="array-body"),
    pytest.param(b"{not json", 400, "invalid_json", "JSON", id="broken-json"),
    pytest.param(b'{"messages": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", 400, "invalid_json", "嵌套", id="nested"),
    pytest.param(b'{"model": "x", "n": ' + b"9" * 5000 + b"}", 400, "invalid_json", "数字", id="5000-digits"),
    pytest.param(b"\xff\xfe", 400, "invalid_json", "UTF-8", id="not-utf8"),
]


@pytest.mark.unit
@pytest.mark.parametrize("raw, status, code, says", BAD_REQUESTS)
def test_bad_requests_get_one_sentence(raw, status, code, says):
    with pytest.raises(APIError) as err:
        parse_request(raw, 2000)
    assert (err.value.status, err.value.code) == (status, code)
    assert says in err.value.message and "Traceback" not in err.value.message


@pytest.mark.unit
def test_a_good_request_is_the_conversation():
    req = parse_request(body(messages=[{"role": "system", "content": "你是助手"},
                                       {"role": "user", "content": "省级绿色工厂奖多少"},
                                       {"role": "assistant", "content": [{"type": "text", "text": "50万元"}]},
                                       {"role": "user", "content": "那市级的呢"}],
                             stream=True, stream_options={"include_usage": True}), 2000)
    assert req.question == "那市级的呢" and req.stream and req.include_usage
    assert req.history == [{"role": "user", "content": "省级绿色工厂奖多少"}, {"role": "assistant", "content": "50万元"}]
    assert len(parse_request(body(messages=[{"role": "user", "content": "问"}] * MAX_MESSAGES), 2000).history) \
        == MAX_MESSAGES - 1


@pytest.mark.unit
@pytest.mark.parametrize("text", ["", "一行", "第一行\n第二行\n", "a\n\n\nb", "\n"])
def test_stream_pieces_join_to_the_answer(text):
    assert "".join(pieces(text)) == text


@pytest.mark.unit
def test_token_estimate():
    assert count_tokens("省级绿色工厂奖多少") == 9 and count_tokens("A档 3000万 ok!") == 6


# ------------------------------------------------------------------------------------------ real server, real SDK


def cli_answer(served, question: str, history: list | None = None, tmp_path=None) -> str:
    """What `assistant ask` prints, from the same index."""
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(served.index_dir), ASSISTANT_TODAY=TODAY.isoformat())
    cmd = [sys.executable, "-m", "assistant", "ask", question]
    if history:
        path = tmp_path / "history.json"
        path.write_text(json.dumps(history, ensure_ascii=False), encoding="utf-8")
        cmd += ["--history", str(path)]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout[:-1]  # print() adds one newline


@pytest.fixture(scope="module")
def sdk(served):
    from openai import OpenAI

    return OpenAI(base_url=served.url + "/v1", api_key="unused", max_retries=0)


@pytest.mark.integration
def test_models(sdk):
    assert [m.id for m in sdk.models.list()] == [MODEL_ID]


@pytest.mark.integration
def test_chat_completion_is_the_cli_answer(sdk, served, tmp_path):
    r = sdk.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": "省级绿色工厂奖多少"}])
    content = r.choices[0].message.content
    assert content == cli_answer(served, "省级绿色工厂奖多少")
    assert "50万元" in content and "嘉政发〔2024〕10号 三、（二十）" in content
    assert r.choices[0].finish_reason == "stop" and r.object == "chat.completion" and r.id.startswith("chatcmpl-")
    assert r.usage.prompt_tokens == 9 and r.usage.completion_tokens > 0
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens
    record = r.model_extra["gazette_record"]
    assert record["kind"] == "answer" and record["citations"][0]["clause"] == "三、（二十）"


@pytest.mark.integration
def test_two_turns_streamed_and_not(sdk, served, tmp_path):
    first = [{"role": "user", "content": "省级绿色工厂奖多少"}]
    a1 = sdk.chat.completions.create(model=MODEL_ID, messages=first).choices[0].message.content
    turns = first + [{"role": "assistant", "content": a1}, {"role": "user", "content": "那市级的呢"}]
    plain = sdk.chat.completions.create(model=MODEL_ID, messages=turns).choices[0].message.content
    assert plain.startswith("市级绿色工厂和绿色园区：20万元")
    assert plain == cli_answer(served, "那市级的呢", turns[:-1], tmp_path)
    chunks = list(sdk.chat.completions.create(model=MODEL_ID, messages=turns, stream=True,
                                              stream_options={"include_usage": True}))
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert streamed == plain
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == count_tokens(plain)


@pytest.mark.integration
def test_stream_wire_format_ends_with_done(served):
    import httpx

    with httpx.stream("POST", served.url + "/v1/chat/completions", content=body(stream=True), timeout=30,
                      headers={"content-type": "application/json"}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = [line for line in r.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "data: [DONE]"
    assert all(json.loads(e[6:])["object"] == "chat.completion.chunk" for e in events[:-1])


@pytest.mark.integration
@pytest.mark.parametrize("raw, status, code, says", [p for p in BAD_REQUESTS if p.id in (
    "missing-messages", "10000-messages", "wrong-role", "question-over-page-limit", "messages-string",
    "content-number", "stream-string", "nested", "5000-digits", "unknown-model")])
def test_bad_requests_over_http(served, raw, status, code, says):
    import httpx

    r = httpx.post(served.url + "/v1/chat/completions", content=raw, headers={"content-type": "application/json"},
                   timeout=30)
    assert r.status_code == status
    err = r.json()["error"]
    assert err["code"] == code and says in err["message"] and err["type"] == "invalid_request_error"


@pytest.mark.integration
def test_sdk_sees_openai_errors(sdk):
    import openai

    with pytest.raises(openai.BadRequestError) as err:
        sdk.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": "问" * 5000}])
    assert "问题过长" in err.value.body["message"]
    with pytest.raises(openai.NotFoundError):
        sdk.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "种粮补贴"}])
    with pytest.raises(openai.BadRequestError):
        sdk.chat.completions.create(model=MODEL_ID, messages=[])


def _raw_request(url: str, head: str, payload: bytes = b"", timeout: float = 10) -> str:
    """Send raw bytes; return what the server answered (status line first)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(head.encode() + payload)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
    return data.decode("latin-1")


@pytest.mark.integration
def test_body_over_the_bound_is_refused_before_it_is_read(served):
    # 150 MB declared, 64 kB sent: the answer comes at once, without waiting for (or storing) the rest
    t = time.monotonic()
    reply = _raw_request(served.url, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                                     f"\r\nContent-Length: {150 * 1024 * 1024}\r\n\r\n", b"x" * 65536)
    assert reply.startswith("HTTP/1.1 413") and time.monotonic() - t < 5
    # chunked, no length: counted as it arrives and cut at the bound
    chunk = b"x" * 100_000
    payload = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(15)) + b"0\r\n\r\n"
    reply = _raw_request(served.url, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                                     "Transfer-Encoding: chunked\r\n\r\n", payload)
    assert reply.startswith("HTTP/1.1 413")


# ------------------------------------------------------------------------------------------ access control


@pytest.fixture(scope="module")
def locked(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("v1-auth"), {"ASSISTANT_AUTH": "staff:s3cret-pass",
                                                           "ASSISTANT_API_KEY": KEY})
    yield s
    stop_server(s)


@pytest.mark.integration
@pytest.mark.slow
def test_bearer_key_when_access_control_is_configured(locked):
    import openai

    ok = openai.OpenAI(base_url=locked.url + "/v1", api_key=KEY, max_retries=0)
    r = ok.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": "种粮大户有什么补贴？"}])
    assert "七、（五十一）" in r.choices[0].message.content
    for key in ("wrong-key-0123456789abcdef", ""):
        bad = openai.OpenAI(base_url=locked.url + "/v1", api_key=key or "x", max_retries=0)
        with pytest.raises(openai.AuthenticationError) as err:
            bad.models.list()
        assert err.value.body["code"] == "invalid_api_key"
    import httpx

    r = httpx.post(locked.url + "/v1/chat/completions", content=body(), timeout=10)  # no header at all
    assert r.status_code == 401 and r.json()["error"]["type"] == "authentication_error"
    assert httpx.get(locked.url + "/gradio_api/mcp/schema", timeout=10).status_code == 401


@pytest.mark.integration
@pytest.mark.slow
def test_login_without_key_keeps_the_api_closed(tmp_path_factory):
    import httpx

    s = start_server(tmp_path_factory.mktemp("v1-closed"), {"ASSISTANT_AUTH": "staff:s3cret-pass"})
    try:
        for key in ("", KEY):
            r = httpx.post(s.url + "/v1/chat/completions", content=body(), timeout=10,
                           headers={"Authorization": f"Bearer {key}"} if key else {})
            assert r.status_code == 401 and "ASSISTANT_API_KEY" in r.json()["error"]["message"]
    finally:
        stop_server(s)


@pytest.mark.unit
@pytest.mark.parametrize("key", ["short", "has space in it 0123", "密钥密钥密钥密钥密钥密钥密钥密钥"])
def test_malformed_api_key_refuses_to_start(key):
    from assistant.settings import SettingsError, get_settings

    with pytest.raises(SettingsError, match="ASSISTANT_API_KEY"):
        get_settings(env={"ASSISTANT_API_KEY": key})
    assert get_settings(env={"ASSISTANT_API_KEY": KEY}).server.api_key == KEY
