"""A loopback OpenAI-protocol endpoint that misbehaves on purpose: it streams slowly, hangs, or answers with chosen
replies. A fake, not a mock: the assistant talks to it over real HTTP with the real openai SDK.

Each request pops one scripted step (the last step repeats when the script runs out):
    {"content": "…"}                          a normal reply (SSE chunks when the request streams)
    {"content": "…", "chunk_delay": 0.5}      the reply trickles: a pause before every SSE chunk, or before every
                                              few bytes of a whole JSON body
    {"hang": True}                            headers never come: the connection stays open until the test ends
    {"status": 503, "message": "…"}           an HTTP error (with the error message the body gives)
Requests are recorded in .requests (parsed bodies) with their arrival times in .times.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedEndpoint:
    def __init__(self, *steps: dict, chunk: int = 4) -> None:
        self.script: deque[dict] = deque(steps)
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
                if step.get("status"):
                    data = json.dumps({"error": {"message": step.get("message", "scripted failure")}}).encode()
                    self.send_response(step["status"])
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                content, pause = step.get("content", ""), step.get("chunk_delay", 0)
                try:
                    if body.get("stream"):
                        self._stream(content, pause)
                    else:
                        self._whole(content, pause)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up: that is the point
                    pass

            def _stream(self, content: str, pause: float) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for i in range(0, len(content), chunk):
                    if outer.closing.wait(pause):
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
        if len(self.script) > 1:
            return self.script.popleft()
        return self.script[0] if self.script else {"content": "（无脚本）"}

    def __enter__(self) -> ScriptedEndpoint:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.closing.set()  # hanging and slow handlers end now
        self.server.shutdown()
        self.server.server_close()
