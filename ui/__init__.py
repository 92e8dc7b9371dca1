"""The web page and the server around it (the page, the OpenAI-compatible API at /v1 and MCP: ui/server.py).

The command line reaches all of it through one function, `serve(settings)`; nothing here is imported before it is
called, so `from ui import render` stays as light as before."""

from __future__ import annotations

import sys


def serve(settings, progress=None) -> None:
    """Start everything `assistant serve` offers and run until stopped. Retrieval is prepared as configured: the
    embedding model and the vector index are loaded (and the index built on first run) only when the fusion gives the
    dense side weight; with MiniLM's measured weight 0 answers are lexical and neither torch nor Chroma is loaded.
    `progress(stage, done, total)` follows an index build; it is closed (when it has .close) once retrieval is ready."""
    from assistant.answer import Assistant
    from assistant.corpus import Corpus
    from assistant.search import describe, make_retriever

    from . import server

    corpus = Corpus.load(settings.corpus_dir)
    print("正在准备检索……", file=sys.stderr)
    retriever, note = make_retriever(settings, corpus, build=True, progress=progress)
    if hasattr(progress, "close"):
        progress.close()
    if note:
        print(f"提示：{note}", file=sys.stderr)
    llm = settings.llm.model if settings.llm.enabled else "未配置（原文摘录作答）"
    about = f"{describe(settings, corpus, retriever, note)}；大模型：{llm}"
    app = server.build_server(settings, Assistant(settings, corpus=corpus, retriever=retriever), about)
    print(server.banner(settings), flush=True)
    server.serve(settings, app)
