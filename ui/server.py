"""One web server for everything: the Gradio page mounted in a FastAPI application (Gradio's documented
`gr.mount_gradio_app`), the OpenAI-compatible API beside it at /v1, and Gradio's MCP server at /gradio_api/mcp.

    /                       the page (login when ASSISTANT_AUTH is set)
    /v1/chat/completions    OpenAI-compatible chat (ui/openai_api.py), Bearer key when access control is configured
    /v1/models
    /gradio_api/mcp/        MCP, streamable HTTP (…/mcp/sse for SSE clients): the tools of ui/tools.py

Every request first passes `ui.guards.Guard` (body bound, uploads off, API keys, login throttle).
"""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI

from assistant.answer import Assistant
from assistant.settings import Settings

from . import guards, render
from .app import build_app
from .inputs import HISTORY_SHAPE, MAX_MESSAGES
from .openai_api import MODEL_ID, make_router

MCP_PATH = "/gradio_api/mcp/"
# Gradio keeps, per session, a copy of every input value it received (up to a 1 MB body each) for 10,000 sessions
# by default; a client that opens a new session per request (gradio's /call API does) grew the server by ~0.9 MB
# a request (+324 MB in 30 s of benchmarks/abuse.py). The page keeps no gr.State: a session's copy matters only
# for dropdowns whose choices an event changed. 1,000 sessions bound that memory to about 1 GB in the worst case.
SESSIONS = 1000


def urls(settings: Settings) -> dict[str, str]:
    host = settings.server.host
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base = f"http://{shown}:{settings.server.port}"
    return {"page": base, "openai": base + "/v1", "mcp": base + MCP_PATH, "mcp_sse": base + MCP_PATH + "sse"}


def build_server(settings: Settings, assistant: Assistant | None = None, index_line: str = "") -> FastAPI:
    bot = assistant or Assistant(settings)
    blocks = build_app(settings, bot, index_line)
    _publish_only_tools(blocks)
    _check_chat_histories(blocks)
    blocks.state_session_capacity = SESSIONS
    api = FastAPI(title="嘉兴市政策问答助手", docs_url=None, redoc_url=None, openapi_url=None)
    api.include_router(make_router(settings, bot))
    auth = settings.server.auth
    app = gr.mount_gradio_app(
        api, blocks, path="/", auth=[auth] if auth else None, **render.launch_options(), show_error=False,
        enable_monitoring=False, mcp_server=True, max_file_size=1,
        blocked_paths=[str(settings.index_dir), str(settings.data_dir), str(settings.corpus_dir)],
        server_name=settings.server.host, server_port=settings.server.port)
    app.add_middleware(guards.Guard, settings=settings)
    return app


def _publish_only_tools(blocks: gr.Blocks) -> None:
    """The page's own events (/chat, /lookup, /clause return HTML for the page) stay callable by gradio_client but
    leave the API docs and the MCP tool list, which then hold exactly the typed tools of ui/tools.py."""
    for fn in blocks.fns.values():
        if fn.api_visibility == "public" and not getattr(fn.fn, "gazette_tool", False):
            fn.api_visibility = "undocumented"


def _check_chat_histories(blocks: gr.Blocks) -> None:
    """A conversation sent to /chat that is not a list of messages (a plain string, a list of strings, 10,000
    messages) gets the sentence the CLI gives for a bad --history, as a gr.Error, instead of a bare error from
    Gradio's own validation of the Chatbot value."""
    chatbots = {b._id for b in blocks.blocks.values() if isinstance(b, gr.Chatbot)}
    original = blocks.validate_inputs

    def validate_inputs(block_fn, inputs):
        for block, value in zip(block_fn.inputs, inputs):
            if getattr(block, "_id", None) in chatbots and value is not None:
                if not isinstance(value, list) or not all(isinstance(m, dict) for m in value):
                    raise gr.Error(HISTORY_SHAPE + "。", print_exception=False)
                if len(value) > MAX_MESSAGES:
                    raise gr.Error(f"对话历史过长（{len(value)}条），上限为{MAX_MESSAGES}条，请清空对话后再问。",
                                   print_exception=False)
        return original(block_fn, inputs)

    blocks.validate_inputs = validate_inputs


def serve(settings: Settings, app: FastAPI) -> None:
    import uvicorn

    uvicorn.run(app, host=settings.server.host, port=settings.server.port, log_level="warning",
                timeout_graceful_shutdown=5)


def banner(settings: Settings) -> str:
    u = urls(settings)
    key = ("需要 Authorization: Bearer <ASSISTANT_API_KEY>" if settings.server.api_key else
           "已关闭：设置了登录但未设置 ASSISTANT_API_KEY" if settings.server.auth else "无需密钥")
    return (f"已就绪：{u['page']}\n"
            f"OpenAI 兼容接口：{u['openai']}（模型 {MODEL_ID}；{key}）\n"
            f"MCP：{u['mcp']}（SSE：{u['mcp_sse']}）")
