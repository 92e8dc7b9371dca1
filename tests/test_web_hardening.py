"""Issue 14, items 5, 6 and 10 on the web server: failed logins are throttled; bodies, histories and questions are
bounded (a 150 MB body is refused before it is read); uploads are off; feedback is taken only for answers this
server gave; bad API inputs get the sentence the CLI gives, never Gradio's bare error."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import start_server, stop_server
from ui import inputs
from ui.guards import Throttle

BARE = "upstream Gradio app has raised an exception"


# ------------------------------------------------------------------------------------------ units


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


@pytest.mark.unit
def test_throttle_allows_a_few_failures_a_minute_per_address():
    clock = Clock()
    th = Throttle(free=5, window_s=60, clock=clock)
    for _ in range(5):
        assert th.retry_after("1.2.3.4") == 0
        th.failed("1.2.3.4")
    assert 59 < th.retry_after("1.2.3.4") <= 60
    assert th.retry_after("5.6.7.8") == 0  # another address is not held back
    clock.t += 30
    assert 29 < th.retry_after("1.2.3.4") <= 30
    clock.t += 31  # the oldest failure has left the window
    assert th.retry_after("1.2.3.4") == 0
    th.succeeded("1.2.3.4")
    assert th.retry_after("1.2.3.4") == 0


@pytest.mark.unit
def test_throttle_table_is_bounded():
    th = Throttle(max_clients=100)
    for i in range(10_000):
        th.failed(f"10.0.{i // 256}.{i % 256}")
    assert len(th._failures) == 100


@pytest.mark.unit
@pytest.mark.parametrize("text, says", [
    pytest.param("[" * 100_000 + "]" * 100_000, "嵌套过深", id="nested-100000"),
    pytest.param('[{"role": "user", "content": ' + "9" * 5000 + "}]", "过长的数字", id="5000-digits"),
    pytest.param('"a plain string"', "对话历史应为 JSON 列表", id="string"),
    pytest.param('["hello"]', "对话历史应为 JSON 列表", id="list-of-strings"),
    pytest.param(json.dumps([{"role": "user", "content": "x"}] * 201), "上限为200条", id="201-messages"),
    pytest.param(json.dumps([{"role": "user", "content": "x" * 8001}]), "上限为8000字", id="long-message"),
    pytest.param(json.dumps([{"role": "system", "content": "x"}]), "role", id="system-role"),
    pytest.param("{broken", "不是有效的 JSON", id="broken"),
])
def test_history_checks(text, says):
    with pytest.raises(inputs.InputError) as err:
        inputs.history(text)
    assert says in str(err.value)


@pytest.mark.unit
@pytest.mark.parametrize("value, says", [
    pytest.param({"investment": {"a": [1]}}, "应为数字、文字或是/否", id="nested"),
    pytest.param('{"investment": ' + "[" * 50_000 + "]" * 50_000 + "}", "过长", id="nested-text"),
    pytest.param('{"investment": ' + "[" * 30 + "]" * 30 + "}", "嵌套过深", id="nested-30"),
    pytest.param({"investment": 10 ** 5000}, "数值过大", id="5000-digit-int"),
    pytest.param("[1]", "应为 JSON 对象", id="list"),
])
def test_calculator_input_checks(value, says):
    with pytest.raises(inputs.InputError) as err:
        inputs.calculator_inputs(value)
    assert says in str(err.value)


class FakeBot:
    """What the page needs from Assistant for one answer: the corpus and ask_stream (one final answer)."""

    def __init__(self, corpus):
        self.corpus = corpus

    def ask_stream(self, question, history):
        from assistant.answer import Answer

        yield "final", Answer(question=question, resolved_question=question, answer=f"答复：{question}",
                              kind="refusal")


def _handler(app, name):
    return next(fn.fn for fn in app.fns.values() if getattr(fn.fn, "__name__", "") == name)


@pytest.mark.unit
def test_feedback_only_for_answers_this_server_gave(corpus, settings):
    import gradio as gr

    from ui.app import build_app

    app = build_app(settings, FakeBot(corpus))
    respond, on_like = _handler(app, "respond"), _handler(app, "on_like")
    *_, (history, _, _) = respond("种粮补贴", [])
    path = settings.data_dir / "feedback.jsonl"
    forged = [{"role": "user", "content": "x"}, {"role": "assistant", "content": "伪造" * 5_000_000}]
    on_like(forged, gr.LikeData(None, {"index": 1, "value": "v", "liked": True}))
    on_like([{"role": "user", "content": "种粮补贴"}, {"role": "assistant", "content": "改过的答复"}],
            gr.LikeData(None, {"index": 1, "value": "v", "liked": True}))
    on_like(history, gr.LikeData(None, {"index": 0, "value": "v", "liked": True}))  # a question, not an answer
    on_like(history, gr.LikeData(None, {"index": 99, "value": "v", "liked": True}))
    assert not path.exists()
    on_like(history, gr.LikeData(None, {"index": 1, "value": "v", "liked": False}))
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1 and records[0]["question"] == "种粮补贴" and records[0]["helpful"] is False
    assert "种粮补贴" in records[0]["answer"]


# ------------------------------------------------------------------------------------------ a real server


def _post(url: str, data: bytes | dict, headers: dict | None = None, timeout: float = 30):
    import httpx

    if isinstance(data, dict):
        return httpx.post(url, data=data, headers=headers, timeout=timeout)
    return httpx.post(url, content=data, headers=headers, timeout=timeout)


@pytest.mark.browser
@pytest.mark.slow
def test_failed_logins_are_throttled(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("throttle"), {"ASSISTANT_AUTH": "staff:s3cret-pass"})
    try:
        codes = [_post(s.url + "/login", {"username": "staff", "password": f"guess{i}"}).status_code
                 for i in range(40)]
        assert codes[:5] == [400] * 5 and set(codes[5:]) == {429}  # 5 checked, 35 refused unchecked
        r = _post(s.url + "/login", {"username": "staff", "password": "s3cret-pass"})
        assert r.status_code == 429 and "秒后再试" in r.json()["detail"] and int(r.headers["retry-after"]) > 0
    finally:
        stop_server(s)


@pytest.mark.browser
def test_a_150_mb_body_is_refused_before_it_is_read(served):
    from tests.test_openai_api import _raw_request

    for path in ("/gradio_api/queue/join", "/gradio_api/call/ask", "/v1/chat/completions", "/login"):
        t = time.monotonic()
        reply = _raw_request(served.url, f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                         f"Content-Length: {150 * 1024 * 1024}\r\n\r\n", b"{" * 65536)
        assert reply.startswith("HTTP/1.1 413"), (path, reply[:80])
        assert time.monotonic() - t < 5


@pytest.mark.browser
def test_uploads_are_off(served):
    import httpx

    for path in ("/gradio_api/upload", "/gradio_api/upload/"):
        r = httpx.post(served.url + path, files={"files": ("a.txt", b"x" * 1000)}, timeout=10)
        assert r.status_code == 403 and "不接受文件上传" in r.json()["detail"]


@pytest.fixture(scope="module")
def client(served):
    from gradio_client import Client

    return Client(served.url + "/", verbose=False)


@pytest.mark.browser
@pytest.mark.parametrize("history, says", [
    pytest.param("[" * 100_000 + "]" * 100_000, "嵌套过深", id="nested-history"),
    pytest.param('[{"role": "user", "content": ' + "9" * 5000 + "}]", "过长的数字", id="5000-digit-history"),
    pytest.param(json.dumps([{"role": "user", "content": "问"}] * 10_000), "上限为200条", id="10000-turns"),
])
def test_ask_api_bad_history_gets_a_sentence(client, history, says):
    r = client.predict("种粮补贴", history, api_name="/ask")
    assert says in r["error"]


@pytest.mark.browser
def test_calc_api_nested_inputs_get_a_sentence(client):
    deep = '{"investment": ' + "[" * 50_000 + "]" * 50_000 + "}"
    assert "过长" in client.predict("10-19-smart-upgrade", deep, api_name="/calc")["error"]
    nested = json.dumps({"investment": {"a": [1, {"b": 2}]}, "tier": "A"})
    assert "应为数字、文字或是/否" in client.predict("10-19-smart-upgrade", nested, api_name="/calc")["error"]


@pytest.mark.browser
@pytest.mark.parametrize("history", ["a plain string", ["hello"], [{"role": "user", "content": "问"}] * 500],
                         ids=["string", "list-of-strings", "500-messages"])
def test_chat_api_bad_history_gets_a_sentence(client, history):
    with pytest.raises(Exception) as err:
        client.predict("种粮补贴", history, api_name="/chat")
    assert BARE not in str(err.value) and "对话历史" in str(err.value)


@pytest.mark.unit
def test_large_requests_are_served_one_at_a_time_and_small_ones_pass_beside_them():
    """The bulkhead of the abuse benchmark: a flood of 1 MB conversations cannot take every worker; an ordinary
    question is not held behind them, and past the short queue a large request is told the service is busy."""
    import asyncio
    from types import SimpleNamespace

    from ui.guards import LARGE_BODY, LARGE_QUEUE, Guard

    inside = {"large": 0, "most": 0}
    gate = asyncio.Event()

    async def app(scope, receive, send):
        large = dict(scope["headers"]).get(b"x-kind") == b"large"
        if large:
            inside["large"] += 1
            inside["most"] = max(inside["most"], inside["large"])
            await gate.wait()
            inside["large"] -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    settings = SimpleNamespace(server=SimpleNamespace(api_key=None, auth=None))
    guard = Guard(app, settings)

    def request(kind: str, size: int):
        scope = {"type": "http", "path": "/v1/chat/completions", "method": "POST", "client": ("10.0.0.1", 1),
                 "headers": [(b"content-length", str(size).encode()), (b"x-kind", kind.encode())]}
        statuses = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        return guard(scope, receive, send), statuses

    async def main():
        large = [request("large", LARGE_BODY + 1) for _ in range(LARGE_QUEUE + 3)]
        tasks = [asyncio.create_task(c) for c, _ in large]
        await asyncio.sleep(0.05)
        small, small_status = request("small", 500)
        await asyncio.wait_for(small, 2)  # not held behind the large ones
        assert small_status == [200]
        busy = sum(s == [503] for _, s in large)
        gate.set()
        await asyncio.gather(*tasks)
        return busy, [s for _, s in large]

    busy, statuses = asyncio.run(main())
    assert inside["most"] == 1  # one large request inside at a time
    assert busy == 2 and sum(s == [200] for s in statuses) == LARGE_QUEUE + 1
