"""OpenAI-compatible chat endpoint: `POST /v1/chat/completions` (plain and streamed) and `GET /v1/models`.

Chat front-ends (Open WebUI, Dify, LobeChat, FastGPT, a hotline system) talk to it as to any OpenAI-compatible
provider. The messages array is the conversation: the last user message is the question, the earlier user and
assistant messages are its history (follow-ups work as on the page); system and developer messages are accepted and
do not change the answer, which is always the grounded answer of `assistant ask` with its citations. The
`ask --json` record rides along in `gazette_record` (plain replies) for clients that want the citations as data.

Streaming sends only verified text: the answer is complete (and, with an LLM, verified) before its first character
is sent, then it goes out line by line; while it is being prepared the stream carries SSE comments so proxies keep
the connection open.

Errors are OpenAI error objects `{"error": {"message", "type", "param", "code"}}` with the sentence a user of the
page would read. Access control, body size and failed-key throttling are applied before this code runs, by
`ui.guards`.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from assistant.errors import user_message

from . import inputs as checks

MODEL_ID = "jiaxing-gazette"
CREATED = 1717200000  # 2024-06-01, the gazette issue: a fixed "created" for the one model
ROLES = ("system", "developer", "user", "assistant")
KEEPALIVE_S = 5.0


class APIError(Exception):
    def __init__(self, status: int, message: str, type_: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type_, param, code


def error_body(message: str, type_: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> dict:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def error_response(exc: APIError) -> JSONResponse:
    return JSONResponse(error_body(exc.message, exc.type, exc.param, exc.code), status_code=exc.status)


# CJK characters count one each, runs of letters/digits one each, other symbols one each: close to what BPE
# tokenizers give for Chinese, and no tokenizer has to be loaded. Documented as an estimate in README.
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+|[^\sA-Za-z0-9\u3400-\u9fff\uf900-\ufaff]")


def count_tokens(text: str) -> int:
    return len(_TOKEN.findall(text))


class ChatRequest:
    """A checked request: the question, the history before it, and the reply options."""

    def __init__(self, question: str, history: list[dict], stream: bool, include_usage: bool, prompt_text: str):
        self.question, self.history, self.stream = question, history, stream
        self.include_usage, self.prompt_text = include_usage, prompt_text


def parse_request(body: bytes, max_question_chars: int) -> ChatRequest:
    try:
        data = checks.parse_json(body, "请求体")
    except checks.InputError as exc:
        raise APIError(400, str(exc), code="invalid_json") from None
    if not isinstance(data, dict):
        raise APIError(400, "请求体应为 JSON 对象：{\"model\": \"…\", \"messages\": […]}。", code="invalid_type")
    model = data.get("model")
    if model is None:
        raise APIError(400, "缺少参数 model（可用模型见 GET /v1/models）。", param="model", code="missing_required_parameter")
    if not isinstance(model, str):
        raise APIError(400, "model 应为文字。", param="model", code="invalid_type")
    if model != MODEL_ID:
        raise APIError(404, f"模型“{model[:60]}”不存在，可用模型：{MODEL_ID}。", param="model", code="model_not_found")
    stream = data.get("stream", False)
    if stream is None:
        stream = False
    if not isinstance(stream, bool):
        raise APIError(400, "stream 应为 true 或 false。", param="stream", code="invalid_type")
    options = data.get("stream_options") or {}
    if not isinstance(options, dict):
        raise APIError(400, "stream_options 应为对象。", param="stream_options", code="invalid_type")
    n = data.get("n", 1)
    if n not in (None, 1) or isinstance(n, bool):
        raise APIError(400, "n 只能为 1：每个问题只有一个依据原文的回答。", param="n", code="invalid_value")
    messages = data.get("messages")
    if messages is None:
        raise APIError(400, "缺少参数 messages：[{\"role\": \"user\", \"content\": \"问题\"}]。", param="messages",
                       code="missing_required_parameter")
    if not isinstance(messages, list):
        raise APIError(400, "messages 应为列表：[{\"role\": \"user\", \"content\": \"问题\"}]。", param="messages",
                       code="invalid_type")
    try:
        turns = checks.history(messages, roles=ROLES)
    except checks.InputError as exc:
        raise APIError(400, str(exc), param="messages", code=exc.code) from None
    dialogue = [t for t in turns if t["role"] in ("user", "assistant")]
    if not dialogue or dialogue[-1]["role"] != "user":
        raise APIError(400, "messages 的最后一条应为用户（role 为 user）的问题。", param="messages", code="invalid_value")
    question = dialogue[-1]["content"]
    if not question.strip():
        raise APIError(400, "问题是空的，请输入问题，例如：种粮大户有什么补贴？", param="messages", code="invalid_value")
    if len(question) > max_question_chars:  # the page's input box stops at the same length
        raise APIError(400, f"问题过长（{len(question)}字），请控制在{max_question_chars}字以内。", param="messages",
                       code="string_above_max_length")
    from assistant.answer import recent_history  # prompt tokens: what the assistant reads, not the whole body

    read, _ = recent_history(dialogue[:-1])
    prompt_text = "\n".join([*(t["content"] for t in read), question])
    return ChatRequest(question, dialogue[:-1], stream, options.get("include_usage") is True, prompt_text)


class Answerer:
    """Runs `Assistant.ask` in worker threads: at most `concurrency` at a time and `queue_max` waiting, the page's
    own limits; past them the client is told at once that the service is busy (HTTP 503)."""

    def __init__(self, bot, concurrency: int, queue_max: int) -> None:
        self.bot = bot
        self.limiter = anyio.CapacityLimiter(concurrency)
        self.queue_max = queue_max
        self.pending = 0

    def admit(self) -> None:
        if self.pending >= self.limiter.total_tokens + self.queue_max:
            raise APIError(503, "系统繁忙，请稍后再试。", "server_error", code="service_busy")
        self.pending += 1

    async def answer(self, req: ChatRequest):
        try:
            return await anyio.to_thread.run_sync(self.bot.ask, req.question, req.history, limiter=self.limiter)
        finally:
            self.pending -= 1


def _usage(req: ChatRequest, text: str) -> dict:
    prompt, completion = count_tokens(req.prompt_text), count_tokens(text)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion_body(req: ChatRequest, ans, cid: str, created: int) -> dict:
    from assistant.cli import answer_json

    return {"id": cid, "object": "chat.completion", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": ans.answer, "refusal": None},
                         "logprobs": None, "finish_reason": "stop"}],
            "usage": _usage(req, ans.answer), "system_fingerprint": None, "gazette_record": answer_json(ans)}


def _chunk(cid: str, created: int, delta: dict, finish: str | None = None, usage: dict | None = None,
           choices: bool = True) -> str:
    body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
            "system_fingerprint": None,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}] if choices else []}
    if usage is not None:
        body["usage"] = usage
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


def pieces(text: str) -> list[str]:
    """The answer line by line (each piece keeps its newline), so the pieces join to exactly the answer."""
    return re.findall(r"[^\n]*\n|[^\n]+", text) or [""]


async def stream_body(answerer: Answerer, req: ChatRequest, cid: str, created: int):
    yield _chunk(cid, created, {"role": "assistant", "content": ""})
    task = asyncio.ensure_future(answerer.answer(req))
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=KEEPALIVE_S)
            if done:
                break
            yield ": preparing a verified answer\n\n"  # an SSE comment: clients ignore it, proxies see traffic
        ans = task.result()
    except Exception as exc:  # noqa: BLE001 - the stream has started: the error goes in the stream
        yield f"data: {json.dumps(error_body(user_message(exc), 'server_error'), ensure_ascii=False)}\n\n"
        yield "data: [DONE]\n\n"
        return
    finally:
        if not task.done():  # the client went away: let the answer finish in its thread, nobody waits for it
            task.add_done_callback(lambda t: t.exception() if not t.cancelled() else None)
    for piece in pieces(ans.answer):
        yield _chunk(cid, created, {"content": piece})
    yield _chunk(cid, created, {}, finish="stop")
    if req.include_usage:
        yield _chunk(cid, created, {}, usage=_usage(req, ans.answer), choices=False)
    yield "data: [DONE]\n\n"


def make_router(settings, bot) -> APIRouter:
    router = APIRouter()
    answerer = Answerer(bot, settings.server.concurrency, settings.server.queue_max_size)
    limit = settings.max_question_chars

    @router.get("/v1/models")
    async def models():
        return {"object": "list", "data": [_model()]}

    @router.get("/v1/models/{model_id}")
    async def model(model_id: str):
        if model_id != MODEL_ID:
            return error_response(APIError(404, f"模型“{model_id[:60]}”不存在，可用模型：{MODEL_ID}。", param="model",
                                           code="model_not_found"))
        return _model()

    @router.post("/v1/chat/completions")
    async def chat_completions(request: Request):
        try:
            # up to 1 MB of JSON: parsed in a worker thread, so the event loop keeps serving everyone else
            req = await anyio.to_thread.run_sync(parse_request, await request.body(), limit)
            answerer.admit()
        except APIError as exc:
            return error_response(exc)
        cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if req.stream:
            return StreamingResponse(stream_body(answerer, req, cid, created), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        try:
            ans = await answerer.answer(req)
        except Exception as exc:  # noqa: BLE001 - one sentence, never a traceback
            return error_response(APIError(500, user_message(exc), "server_error"))
        return JSONResponse(completion_body(req, ans, cid, created))

    @router.api_route("/v1/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def unknown(rest: str, request: Request):
        return error_response(APIError(404, f"没有这个接口：{request.method} /v1/{rest[:80]}；可用：POST /v1/chat/completions、"
                                            "GET /v1/models。", code="unknown_url"))

    return router


def _model() -> dict:
    return {"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "jiaxing-gazette-assistant"}
