"""Fakes, not mocks: a real HTTP server on loopback that speaks the OpenAI chat-completions protocol and replays
scripted replies, and a deterministic embedder (HashEmbedder) for the index's plumbing."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    """Each request pops one scripted behaviour:
        {"content": "…"}            a normal reply (streamed as SSE chunks when the request asks for it)
        {"status": 500}             an HTTP error
        {"delay": 5, "content": …}  a slow reply
        {"malformed": True}         a body that is not JSON
    Requests are recorded in .requests (parsed JSON bodies)."""

    def __init__(self) -> None:
        self.script: deque[dict] = deque()
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                outer.requests.append(body)
                step = outer.script.popleft() if outer.script else {"content": "（无脚本）"}
                if step.get("delay"):
                    time.sleep(step["delay"])
                if step.get("status"):
                    self._send(step["status"], b'{"error": {"message": "scripted failure"}}')
                    return
                if step.get("malformed"):
                    self._send(200, b"this is not json {")
                    return
                content = step.get("content", "")
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for i in range(0, len(content), 8):
                        chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                                 "choices": [{"index": 0, "delta": {"content": content[i:i + 8]}, "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    end = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                           "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                    self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                    return
                reply = {"id": "x", "object": "chat.completion", "created": 0, "model": "fake",
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                      "finish_reason": "stop"}],
                         "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                self._send(200, json.dumps(reply, ensure_ascii=False).encode())

            def _send(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def enqueue(self, *steps: dict) -> FakeOpenAI:
        self.script.extend(steps)
        return self


class HashEmbedder:
    """Deterministic fake for unit tests: character-bigram hashing into a fixed-size, L2-normalised vector.
    Similar texts share bigrams, so nearest neighbours are meaningful enough to test the plumbing."""

    def __init__(self, dim: int = 64) -> None:
        self.name = f"hash-bigram-{dim}"
        self.query_prefix = ""
        self.warning = ""
        self.dimension = dim

    def embed_batch(self, texts: list[str], kind: str = "document") -> list[list[float]]:
        out = []
        for t in texts:
            v = [0.0] * self.dimension
            for a, b in zip(t, t[1:]):
                h = int.from_bytes(hashlib.blake2b((a + b).encode(), digest_size=4).digest(), "little")
                v[h % self.dimension] += 1.0 if h & 1 else -1.0
            n = sum(x * x for x in v) ** 0.5 or 1.0
            out.append([x / n for x in v])
        return out
