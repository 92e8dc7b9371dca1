"""The collection records which model made its vectors (Chroma's own configuration), so a plain chromadb client with
that model can query it by text; opening the index ourselves builds no Chroma function and loads no model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant.embeddings import make_embedder
from assistant.index import build_index, current_build, embedding_text, open_index
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

QUESTION = "海铁联运补助"

PLAIN_CLIENT = """
import json, sys
import chromadb
collection = chromadb.PersistentClient(path=sys.argv[1]).get_collection(sys.argv[2])
found = collection.query(query_texts=json.loads(sys.argv[3]), n_results=3, include=["distances"])
print(json.dumps(found["ids"]))
"""

OUR_OPEN = """
import json, sys
from assistant.corpus import Corpus
from assistant.index import open_index
from assistant.settings import get_settings
s = get_settings()
handle = open_index(s, Corpus.load(s.corpus_dir), sys.argv[1])  # verifies count and probes three stored vectors
stored = handle.collection.get(ids=handle.info.clause_ids[:1], include=["embeddings"])["embeddings"][0]
hits = handle.query(list(stored), 3)
print(json.dumps({"hit": hits[0][0], "first": handle.info.clause_ids[0],
                  "loaded": sorted(m for m in ("torch", "sentence_transformers") if m in sys.modules)}))
"""


@pytest.fixture(scope="module")
def minilm():
    return make_embedder("sentence-transformers/all-MiniLM-L6-v2")


def test_a_plain_chroma_client_queries_our_index_by_text(settings, corpus, minilm):
    info, _ = build_index(settings, corpus, minilm)
    build = current_build(settings)
    config = json.loads(json.dumps(open_index(settings, corpus, minilm.name).collection.configuration_json))
    assert config["embedding_function"]["name"] == "sentence_transformer"
    assert config["embedding_function"]["config"]["model_name"] == minilm.choice.path

    clause = next(c for c in corpus.clauses if c.citation == "嘉政发〔2024〕10号 五、（三十九）")  # 海铁联运
    handle = open_index(settings, corpus, minilm.name)
    ours = [[i for i, _ in handle.query(v, 3)] for v in minilm.embed_batch([QUESTION, embedding_text(clause)], "query")]
    p = subprocess.run([sys.executable, "-c", PLAIN_CLIENT, str(build / "chroma"), info.collection,
                        json.dumps([QUESTION, embedding_text(clause)])],
                       capture_output=True, text=True, timeout=300, cwd="/", env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert p.returncode == 0, p.stderr
    plain = json.loads(p.stdout.strip().splitlines()[-1])
    assert plain == ours  # the same model made the query vectors: the same clauses, in the same order
    # the clause's own text finds the clause. (For the three words 海铁联运补助 the English-only MiniLM ranks other
    # clauses first, for the plain client and for us alike: that is the model, which is why its dense weight is 0.)
    assert plain[1][0] == clause.id


def test_building_keeps_one_copy_of_the_model(settings, corpus, minilm):
    from chromadb.utils.embedding_functions import SentenceTransformerEmbeddingFunction
    from sentence_transformers import SentenceTransformer

    build_index(settings, corpus, minilm, force=True)
    assert not isinstance(SentenceTransformerEmbeddingFunction.models[minilm.choice.path], SentenceTransformer)


def test_opening_the_index_loads_no_model(settings, corpus, minilm):
    build_index(settings, corpus, minilm)
    p = subprocess.run([sys.executable, "-c", OUR_OPEN, minilm.name], capture_output=True, text=True, timeout=300,
                       cwd=ROOT, env=dict(os.environ))
    assert p.returncode == 0, p.stderr
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got["hit"] == got["first"] and got["loaded"] == []


FORCED_FROM_CACHE = """
import json, sys
from assistant.corpus import Corpus
from assistant.embeddings import make_embedder
from assistant.index import build_index
from assistant.settings import get_settings
s = get_settings()
info, stats = build_index(s, Corpus.load(s.corpus_dir), make_embedder(sys.argv[1]), force=True)
print(json.dumps({"embedded": stats["embedded"], "loaded": sorted(m for m in ("torch", "sentence_transformers")
                                                                   if m in sys.modules)}))
"""


def test_a_rebuild_from_the_embedding_cache_imports_no_torch(settings, corpus, minilm):
    """Recording the function must not make Chroma build it for real: every vector is in the cache, so nothing
    needs the model."""
    build_index(settings, corpus, minilm)
    p = subprocess.run([sys.executable, "-c", FORCED_FROM_CACHE, minilm.name], capture_output=True, text=True,
                       timeout=300, cwd=ROOT, env=dict(os.environ))
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout.strip().splitlines()[-1]) == {"embedded": 0, "loaded": []}


PLAIN_CLIENT_STATIC = """
import json, sys
import chromadb
from assistant.static_embedding import chroma_function_class
chroma_function_class()  # registers the "assistant-static-zh" function with Chroma (no model loaded, no corpus read)
collection = chromadb.PersistentClient(path=sys.argv[1]).get_collection(sys.argv[2])
found = collection.query(query_texts=json.loads(sys.argv[3]), n_results=3, include=["distances"])
print(json.dumps(found["ids"]))
"""


def test_a_plain_chroma_client_queries_a_static_zh_index_by_text(settings, corpus):
    static = make_embedder("static-zh")
    info, _ = build_index(settings, corpus, static)
    config = json.loads(json.dumps(open_index(settings, corpus, static.name).collection.configuration_json))
    assert config["embedding_function"]["name"] == "assistant-static-zh"
    clause = next(c for c in corpus.clauses if c.citation == "嘉政发〔2024〕10号 五、（三十九）")  # 海铁联运
    handle = open_index(settings, corpus, static.name)
    ours = [[i for i, _ in handle.query(v, 3)] for v in static.embed_batch([QUESTION, embedding_text(clause)], "query")]
    p = subprocess.run([sys.executable, "-c", PLAIN_CLIENT_STATIC, str(current_build(settings) / "chroma"),
                        info.collection, json.dumps([QUESTION, embedding_text(clause)])],
                       capture_output=True, text=True, timeout=300, cwd="/", env=dict(os.environ))
    assert p.returncode == 0, p.stderr
    plain = json.loads(p.stdout.strip().splitlines()[-1])
    assert plain == ours and plain[0][0] == clause.id  # the Chinese model finds 海铁联运 from the three words
