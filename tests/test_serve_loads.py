"""`assistant serve` loads what the configured retrieval uses. With a model whose measured dense weight is 0 (the
packaged English MiniLM, and the default) answers are lexical: the process never maps torch or Chroma's native
library, and no index is built. Checked on the running server's own memory map, not by timing."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.conftest import start_server, stop_server

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HEAVY = ("libtorch", "chromadb_rust_bindings")


@pytest.mark.parametrize("model", [pytest.param("sentence-transformers/all-MiniLM-L6-v2", id="minilm"),
                                   pytest.param(None, id="default")])
def test_serve_with_a_zero_dense_weight_loads_neither_torch_nor_chroma(tmp_path, model):
    s = start_server(tmp_path, {"ASSISTANT_EMBED_MODEL": model} if model else None)
    try:
        with open(f"/proc/{s.proc.pid}/maps", encoding="utf-8") as f:
            mapped = f.read()
        assert not [h for h in HEAVY if h in mapped]
        config = json.load(urllib.request.urlopen(s.url + "/config", timeout=10))
        about = next(c["props"]["value"] for c in config["components"]
                     if isinstance(c.get("props", {}).get("value"), str) and "索引与模型" in c["props"]["value"])
        assert "关键词检索（BM25）" in about and "未加载" in about and "语义 0.0" in about
        if model:
            assert model in about
        assert not (s.index_dir / "builds").exists()
        reply = urllib.request.urlopen(urllib.request.Request(
            s.url + "/v1/chat/completions", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"model": "jiaxing-gazette", "messages": [{"role": "user", "content": "海铁联运有什么补助"}]}
                            ).encode()), timeout=60)
        assert "嘉政发〔2024〕10号" in json.load(reply)["choices"][0]["message"]["content"]
    finally:
        stop_server(s)
