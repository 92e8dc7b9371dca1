"""Fakes, not mocks: a real HTTP server on loopback that speaks the OpenAI chat-completions protocol and replays
scripted replies, slow, hanging or broken ones included (FakeOpenAI), and a deterministic embedder (HashEmbedder) for
the index's plumbing."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    """A loopback endpoint that speaks the OpenAI chat-completions protocol and replays a script, misbehaving on
    purpose when told to. A fake, not a mock: the assistant talks to it over real HTTP with the real openai SDK.

    Each request takes the next scripted step (`FakeOpenAI(*steps)`, `.enqueue(*steps)`):
        {"content": "…"}                          a normal reply (SSE chunks of `chunk` characters when it streams)
        {"content": "…", "chunk_delay": 0.5}      the reply trickles: a pause before every SSE chunk, or before every
                                                  16 bytes of a whole JSON body
        {"delay": 5, "content": "…"}              a pause before the reply starts
        {"hang": True}                            headers never come: the connection stays open until the test ends
        {"status": 503, "message": "…"}           an HTTP error, with the error message its body gives
        {"malformed": True}                       a body that is not JSON
    When the script runs out, the reply is "（无脚本）", or with `repeat_last` the last step again (an endpoint that
    keeps misbehaving). Requests are recorded in .requests (parsed bodies), their arrival times in .times. Leaving
    the `with` block ends hanging and slow replies."""

    def __init__(self, *steps: dict, chunk: int = 8, repeat_last: bool = False) -> None:
        self.script: deque[dict] = deque(steps)
        self.repeat_last = repeat_last
        self.requests: list[dict] = []
        self.times: list[float] = []
        self.closing = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                outer.requests.append(body)
                outer.times.append(time.monotonic())
                step = outer._next()
                if step.get("hang"):
                    outer.closing.wait(120)
                    return
                if step.get("delay") and outer.closing.wait(step["delay"]):
                    return
                try:
                    if step.get("status"):
                        error = {"error": {"message": step.get("message", "scripted failure")}}
                        self._send(step["status"], json.dumps(error, ensure_ascii=False).encode())
                    elif step.get("malformed"):
                        self._send(200, b"this is not json {")
                    elif body.get("stream"):
                        self._stream(step.get("content", ""), step.get("chunk_delay", 0))
                    else:
                        self._whole(step.get("content", ""), step.get("chunk_delay", 0))
                except (BrokenPipeError, ConnectionResetError):  # the client gave up: that is the point
                    pass

            def _send(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, content: str, pause: float) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for i in range(0, len(content), chunk):
                    if pause and outer.closing.wait(pause):
                        return
                    piece = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                             "choices": [{"index": 0, "delta": {"content": content[i:i + chunk]}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(piece, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                end = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                       "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())

            def _whole(self, content: str, pause: float) -> None:
                reply = {"id": "x", "object": "chat.completion", "created": 0, "model": "fake",
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                      "finish_reason": "stop"}],
                         "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                data = json.dumps(reply, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                step = 16 if pause else len(data)
                for i in range(0, len(data), step):
                    if pause and outer.closing.wait(pause):
                        return
                    self.wfile.write(data[i:i + step])
                    self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _next(self) -> dict:
        if self.repeat_last and len(self.script) == 1:
            return self.script[0]
        return self.script.popleft() if self.script else {"content": "（无脚本）"}

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.closing.set()  # hanging and slow replies end now
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
