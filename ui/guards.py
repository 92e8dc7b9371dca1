"""What every request meets before the page, the OpenAI-compatible API or MCP sees it (one ASGI middleware).

- Bodies are bounded: a declared Content-Length over `inputs.MAX_BODY_BYTES` is answered 413 before one byte is
  read; a chunked body is counted as it arrives and cut off at the same bound. (Before: a 150 MB body was read,
  echoed back, and took the server from 327 MB to 1.85 GB.)
- Uploads are off: the page has no file input, so `/gradio_api/upload` answers 403 instead of storing files.
- API keys: `/v1/…` and MCP (`/gradio_api/mcp…`) take `Authorization: Bearer <ASSISTANT_API_KEY>` when access
  control is configured (ASSISTANT_AUTH or ASSISTANT_API_KEY); with ASSISTANT_AUTH and no key they stay closed.
- Failed logins and wrong keys are throttled per client address (`Throttle`): a few tries a minute, then 429.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import math
import threading
import time
from collections import OrderedDict, deque

from . import inputs

API_PREFIXES = ("/v1/", "/v1")
MCP_PREFIX = "/gradio_api/mcp"
LARGE_BODY = 64_000  # bytes: a question with a long conversation; most requests are a few kilobytes
LARGE_QUEUE = 8  # large requests waiting their turn; more are told the service is busy (503)
UPLOAD_PATHS = ("/gradio_api/upload", "/gradio_api/upload_progress", "/upload")


class Throttle:
    """Failed attempts per client address: `free` failures in `window_s` seconds, then every attempt from that
    address is refused until the oldest failure leaves the window. 200 wrong passwords in 2.7 s were all checked
    before; now 5 are, and the rest wait for the minute to pass. The table of addresses is bounded (oldest
    forgotten first), so spoofed-looking churn cannot grow memory."""

    def __init__(self, free: int = 5, window_s: float = 60.0, max_clients: int = 10_000, clock=time.monotonic):
        self.free, self.window_s, self.max_clients, self.clock = free, window_s, max_clients, clock
        self._failures: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> float:
        """Seconds this client must wait before its next attempt is checked (0: go ahead)."""
        now = self.clock()
        with self._lock:
            q = self._failures.get(client)
            if not q:
                return 0.0
            while q and now - q[0] >= self.window_s:
                q.popleft()
            if len(q) < self.free:
                return 0.0
            return self.window_s - (now - q[0])

    def failed(self, client: str) -> None:
        with self._lock:
            q = self._failures.pop(client, None) or deque(maxlen=self.free * 2)
            q.append(self.clock())
            self._failures[client] = q
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


class _TooLarge(Exception):
    pass


def _is_api(path: str) -> bool:
    return path == "/v1" or path.startswith("/v1/")


def _is_mcp(path: str) -> bool:
    return path == MCP_PREFIX or path.startswith(MCP_PREFIX + "/")


def _client(scope) -> str:
    c = scope.get("client")
    return c[0] if c else "?"


async def _send_json(send, status: int, body: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(data)).encode())] + (headers or [])})
    await send({"type": "http.response.body", "body": data})


def _error(path: str, message: str, type_: str, code: str) -> dict:
    """The OpenAI error object on /v1 and MCP, Gradio's {"detail"} elsewhere."""
    if _is_api(path) or _is_mcp(path):
        return {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return {"detail": message}


class Guard:
    """Pure ASGI middleware (streams pass through untouched)."""

    def __init__(self, app, settings, max_body: int = inputs.MAX_BODY_BYTES):
        self.app = app
        self.key = settings.server.api_key
        self.closed = settings.server.auth is not None or self.key is not None  # access control configured
        # one count for wrong passwords, one for wrong keys: staff behind one address who mistype the page's
        # password do not lock out the hotline system that calls /v1 with its key, and the other way round
        self.logins, self.keys = Throttle(), Throttle()
        self.max_body = max_body
        # Bulkhead: requests with a large body (a long conversation, or a body of unknown length) are served one at
        # a time, with a short queue; a flood of them cannot take the CPU from the ordinary, small requests
        self.large: asyncio.Semaphore | None = None
        self.large_waiting = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path, method = scope.get("path", ""), scope.get("method", "GET")
        if path.rstrip("/") in UPLOAD_PATHS:
            return await _send_json(send, 403, _error(path, "本服务不接受文件上传。", "invalid_request_error",
                                                      "uploads_disabled"))
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await self._too_large(send, path)
        client = _client(scope)
        is_login = method == "POST" and path.rstrip("/") == "/login"
        guarded = self.closed and (_is_api(path) or _is_mcp(path))
        if guarded or is_login:
            wait = (self.logins if is_login else self.keys).retry_after(client)
            if wait > 0:
                return await _send_json(send, 429, _error(path, f"失败次数过多，请{math.ceil(wait)}秒后再试。",
                                                          "rate_limit_error", "too_many_attempts"),
                                        [(b"retry-after", str(math.ceil(wait)).encode())])
        if guarded and not self._key_ok(scope):
            self.keys.failed(client)
            message = ("缺少或错误的 API 密钥：请在请求头中提供 Authorization: Bearer <密钥>。" if self.key else
                       "此服务设置了登录，但未设置 API 密钥（ASSISTANT_API_KEY），接口不开放。")
            return await _send_json(send, 401, _error(path, message, "authentication_error", "invalid_api_key"),
                                    [(b"www-authenticate", b"Bearer")])
        has_body = method in ("POST", "PUT", "PATCH")
        if has_body and (length is None or int(length) > LARGE_BODY):
            if self.large is None:
                self.large = asyncio.Semaphore(1)
            if self.large_waiting >= LARGE_QUEUE:
                return await _send_json(send, 503, _error(path, "系统繁忙，请稍后再试。", "server_error",
                                                          "service_busy"))
            self.large_waiting += 1
            acquired = False
            try:
                await self.large.acquire()
                acquired = True
            finally:
                self.large_waiting -= 1  # waited (or was cancelled while waiting)
            try:
                return await self._call_bounded(scope, receive, send, path, client if is_login else None)
            finally:
                if acquired:
                    self.large.release()
        return await self._call_bounded(scope, receive, send, path, client if is_login else None)

    def _key_ok(self, scope) -> bool:
        if not self.key:
            return False
        header = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
        scheme, _, token = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), self.key.encode())

    async def _too_large(self, send, path: str) -> None:
        mb = self.max_body / 1_000_000
        await _send_json(send, 413, _error(path, f"请求过大，上限为{mb:g} MB。", "invalid_request_error",
                                           "request_too_large"))

    async def _call_bounded(self, scope, receive, send, path: str, login_client: str | None):
        received = 0
        cut = False
        started = False

        async def counted_receive():
            nonlocal received, cut
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    cut = True
                    return {"type": "http.disconnect"}  # the app stops reading; nothing more is buffered
            return message

        async def watched_send(message):
            nonlocal started
            if cut:
                return  # the app's reply to a cut body is replaced by the 413 below
            if message["type"] == "http.response.start":
                started = True
                if login_client is not None:
                    if message["status"] in (400, 401, 403):
                        self.logins.failed(login_client)
                    elif message["status"] < 300:
                        self.logins.succeeded(login_client)
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except Exception:
            if not cut:
                raise
        if cut and not started:
            await self._too_large(send, path)
