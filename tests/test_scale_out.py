"""Scale-out shape: app replicas sharing one Chroma server (index built once against it), behind sticky sessions."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, free_port, start_server, stop_server
from tests.test_index import start_chroma


def _join_on_one_read_on_other(a: str, b: str) -> str:
    """Gradio's queue protocol split across two replicas: POST the question to `a`, read the answer stream from `b`."""
    import uuid

    import httpx

    fn = next(d["id"] for d in httpx.get(a + "/config", timeout=10).json()["dependencies"] if d.get("api_name") == "ask")
    session = uuid.uuid4().hex[:10]
    r = httpx.post(a + "/gradio_api/queue/join", timeout=10,
                   json={"data": ["种粮补贴", "[]"], "fn_index": fn, "session_hash": session, "trigger_id": None})
    r.raise_for_status()
    seen = []
    try:
        with httpx.stream("GET", b + "/gradio_api/queue/data", params={"session_hash": session}, timeout=10) as resp:
            for line in resp.iter_lines():
                seen.append(line)
                if "process_completed" in line or "session_not_found" in line:
                    break
    except httpx.HTTPError as exc:  # the other replica may also just close the stream
        seen.append(repr(exc))
    return "\n".join(seen)


@pytest.mark.integration
@pytest.mark.slow
def test_two_replicas_on_one_chroma_server_answer_identically(tmp_path):
    port = free_port()
    chroma = start_chroma(tmp_path / "chroma", port)
    url = f"http://127.0.0.1:{port}"
    try:
        # the index is built once, against the server, by `assistant index`; both replicas only read it
        shared_index = tmp_path / "index"
        env = dict(os.environ, ASSISTANT_CHROMA_URL=url, ASSISTANT_INDEX_DIR=str(shared_index))
        p = subprocess.run([sys.executable, "-m", "assistant", "index", "--json"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)["index"]["chroma"] == url
        replicas = []
        for name in ("a", "b"):
            d = tmp_path / name
            d.mkdir()
            replicas.append(start_server(d, {"ASSISTANT_CHROMA_URL": url, "ASSISTANT_INDEX_DIR": str(shared_index)}))
        from gradio_client import Client

        questions = ["种粮大户有什么补贴？", "省级绿色工厂奖多少", "10号文第19条", "技改投入3000万A档能补多少",
                     "以旧换新有什么政策"]
        answers = [[Client(r.url + "/", verbose=False).predict(q, "[]", api_name="/ask") for q in questions]
                   for r in replicas]
        assert answers[0] == answers[1]
        assert all(a["citations"] or a["kind"] == "calculation" for a in answers[0])
        # what the README tells the load balancer: a question queued on one replica cannot be read from another
        assert "session_not_found" in _join_on_one_read_on_other(replicas[0].url, replicas[1].url)
        for r in replicas:
            assert "ChromaUnavailable" not in open(r.log.name, encoding="utf-8").read()
            stop_server(r)
    finally:
        chroma.terminate()
        chroma.wait(10)


@pytest.mark.integration
@pytest.mark.slow
def test_serve_starts_and_answers_when_chroma_server_is_unreachable(tmp_path):
    """A replica whose Chroma server is down still serves from the lexical index. With the default dense weight of 0
    it does not even try the server (serve loads only what retrieval uses); the outage with a dense side in use is
    tests/test_index.py::test_started_while_chroma_is_down_then_uses_it_when_it_is_back."""
    s = start_server(tmp_path, {"ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{free_port()}"})
    try:
        from gradio_client import Client

        ans = Client(s.url + "/", verbose=False).predict("省级绿色工厂奖多少", "[]", api_name="/ask")
        assert ans["kind"] == "answer" and ans["citations"][0]["clause"] == "三、（二十）"
        log = open(s.log.name, encoding="utf-8").read()
        assert "Traceback" not in log and "已就绪" in log
    finally:
        stop_server(s)
