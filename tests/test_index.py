"""The clause index: lifecycle with a deterministic fake embedder (unit), the real MiniLM and Chroma (integration)."""

from __future__ import annotations

import datetime as dt
import errno
import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.corpus import Corpus
from assistant.embeddings import make_embedder, resolve_model
from assistant.index import (DEFAULT_FUSION, Fusion, IndexCorrupt, IndexIncompatible, IndexLocked, IndexMissing,
                             build_index, current_build, embedding_text, ensure_index, open_index, read_info,
                             writer_lock)
from assistant.retrieval import Filters, HybridRetriever, langchain_retriever
from assistant.settings import get_settings
from tests.conftest import CORPUS_DIR, ROOT, free_port
from tests.fakes import HashEmbedder


@pytest.fixture
def fake():
    return HashEmbedder()


# ------------------------------------------------------------------------------------------ unit


@pytest.mark.unit
def test_build_then_reuse_then_force(settings, corpus, fake):
    info, st = build_index(settings, corpus, fake)
    assert not st["reused"] and st["embedded"] == len(corpus.clauses) == info.count
    again, st2 = build_index(settings, corpus, fake)
    assert st2["reused"] and again.build_id == info.build_id and st2["embedded"] == 0
    forced, st3 = build_index(settings, corpus, fake, force=True)
    assert st3["embedded"] == 0 and st3["cached"] == info.count and forced.build_id != info.build_id
    meta = json.loads((current_build(settings) / "index.json").read_text())
    assert meta["embedding_model"] == fake.name and meta["corpus_sha256"] == corpus.sha256 and meta["version"] == 1


@pytest.mark.unit
def test_chunks_carry_their_context(corpus):
    c = next(c for c in corpus.clauses if c.citation == "嘉政发〔2024〕14号 二、（一）1.")
    text = embedding_text(c)
    assert "嘉政发〔2024〕14号" in text and "重点任务" in text and "推广数字化" in text


@pytest.mark.unit
def test_missing_index_detected_and_built(settings, corpus, fake):
    with pytest.raises(IndexMissing):
        open_index(settings, corpus, fake.name)
    handle, note = ensure_index(settings, corpus, fake)
    assert "还没有建立索引" in note and handle.info.count == len(corpus.clauses)


@pytest.mark.unit
def test_other_model_is_incompatible(settings, corpus, fake):
    build_index(settings, corpus, fake)
    with pytest.raises(IndexIncompatible, match="嵌入模型"):
        open_index(settings, corpus, "some/other-model")


@pytest.mark.unit
def test_other_version_is_incompatible_and_rebuilt(settings, corpus, fake):
    build_index(settings, corpus, fake)
    p = current_build(settings) / "index.json"
    data = json.loads(p.read_text())
    data["version"] = 0
    p.write_text(json.dumps(data))
    with pytest.raises(IndexIncompatible, match="版本"):
        open_index(settings, corpus, fake.name)
    handle, note = ensure_index(settings, corpus, fake)
    assert "版本" in note and handle.info.version == 1


@pytest.mark.unit
def test_zeroed_hnsw_files_never_give_errors_or_wrong_answers(settings, corpus, fake):
    """Chroma keeps a small collection in its SQLite log as well: with the HNSW files zeroed the index must
    either still answer correctly or be detected and rebuilt, never raise "Error loading hnsw index"."""
    from chromadb.api.client import SharedSystemClient

    build_index(settings, corpus, fake)
    for seg in (current_build(settings) / "chroma").iterdir():
        if seg.is_dir():
            for f in seg.iterdir():
                f.write_bytes(b"\x00" * 16)
    SharedSystemClient.clear_system_cache()
    handle, _ = ensure_index(settings, corpus, fake)
    ids = handle.info.clause_ids[::25]
    vecs = handle.collection.get(ids=ids, include=["embeddings"])["embeddings"]
    assert all(handle.query(list(v), 1)[0][0] == i for i, v in zip(ids, vecs))


@pytest.mark.unit
@pytest.mark.parametrize("damage", ["garbage-json", "delete-chroma", "truncate-sqlite"])
def test_corrupt_index_detected_and_rebuilt(settings, corpus, fake, damage):
    build_index(settings, corpus, fake)
    build = current_build(settings)
    if damage == "garbage-json":
        (build / "index.json").write_text("{not json")
    elif damage == "delete-chroma":
        import shutil

        shutil.rmtree(build / "chroma")
    else:
        (build / "chroma" / "chroma.sqlite3").write_bytes(b"SQLite format 3\x00garbage")
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # what a restarted process sees
    with pytest.raises((IndexCorrupt, IndexMissing)):
        open_index(settings, corpus, fake.name)
    handle, note = ensure_index(settings, corpus, fake)
    assert note and handle.info.count == len(corpus.clauses)
    assert handle.query(fake.embed_batch(["绿色工厂"], "query")[0], 3)


@pytest.mark.unit
@pytest.mark.parametrize("damage", ["garbage-json", "delete-chroma"])
def test_rebuilding_a_corrupt_index_keeps_the_tuned_fusion(settings, corpus, fake, damage):
    """Issue 14, item 9: the rebuild used to reset the weights chosen by `eval --tune-fusion` to the default."""
    tuned = Fusion(w_lexical=1.0, w_dense=0.3, chosen_on="tuned in this test")
    build_index(settings, corpus, fake, fusion=tuned)
    build = current_build(settings)
    if damage == "garbage-json":
        (build / "index.json").write_text("{not json")
    else:
        import shutil

        shutil.rmtree(build / "chroma")
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    handle, note = ensure_index(settings, corpus, fake)
    assert note and handle.info.fusion == tuned
    assert DEFAULT_FUSION.get(fake.name, Fusion()) != tuned


@pytest.mark.unit
def test_second_writer_fails_fast(settings):
    with writer_lock(settings.index_dir):
        t0 = time.monotonic()
        with pytest.raises(IndexLocked, match="正被另一个进程写入"):
            with writer_lock(settings.index_dir, wait_s=2.0):
                pass
        assert time.monotonic() - t0 < 10.0  # it gives up (after its 2 s wait) instead of hanging


@pytest.mark.unit
@pytest.mark.parametrize("code, stage, message", [
    pytest.param(errno.ENOSPC, "chroma-write", "磁盘空间不足", id="disk-full-mid-chroma-write"),
    pytest.param(errno.EROFS, "embedded", "只读", id="read-only-before-writing"),
])
def test_write_fault_during_build_keeps_previous_index(settings, corpus, fake, code, stage, message):
    first, _ = build_index(settings, corpus, fake)

    def fault(at):
        if at == stage:
            raise OSError(code, os.strerror(code))

    with pytest.raises(OSError):
        build_index(settings, corpus, fake, force=True, hook=fault)
    assert open_index(settings, corpus, fake.name).info.build_id == first.build_id
    from assistant.errors import user_message

    assert message in user_message(OSError(code, os.strerror(code)))


@pytest.mark.unit
def test_index_built_with_another_chroma_version_is_detected(settings, corpus, fake):
    build_index(settings, corpus, fake)
    p = current_build(settings) / "index.json"
    data = json.loads(p.read_text())
    data["chroma_version"] = "0.4.24"
    p.write_text(json.dumps(data))
    with pytest.raises(IndexIncompatible, match="Chroma 版本"):
        open_index(settings, corpus, fake.name)


# `assistant index --force`, the command itself, with the fake embedder in place of the model
_INDEX_COMMAND = """
import sys
import assistant.embeddings
from tests.fakes import HashEmbedder
assistant.embeddings.make_embedder = lambda *args, **kwargs: HashEmbedder()
from assistant.cli import main
sys.exit(main(["index", "--force"]))
"""


@pytest.mark.integration
def test_second_writer_process_fails_fast_with_a_clear_message(settings):
    env = dict(os.environ)
    with writer_lock(settings.index_dir):  # the first writer
        t0 = time.monotonic()
        p = subprocess.run([sys.executable, "-c", _INDEX_COMMAND], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - t0
    assert p.returncode == 2 and "正被另一个进程写入" in p.stderr and "Traceback" not in p.stderr
    assert waited < 15  # 2 s of lock wait plus interpreter start-up on a loaded machine


@pytest.mark.unit
def test_filters(settings, corpus, fake):
    handle, _ = ensure_index(settings, corpus, fake)
    r = HybridRetriever(corpus, fake, handle, Fusion(w_dense=0.5))
    by_doc = r.retrieve("奖励", 10, Filters(doc_no="嘉政发〔2024〕14号"))
    assert by_doc.hits and all(h.clause.doc_no == "嘉政发〔2024〕14号" for h in by_doc.hits)
    valid = r.retrieve("奖励", 20, Filters(valid_on=dt.date(2026, 11, 28)))
    assert valid.hits and all(h.clause.doc_no != "嘉政发〔2024〕10号" for h in valid.hits)
    in_2024 = r.retrieve("小巨人", 3, Filters(valid_on=dt.date(2024, 6, 1)))
    assert in_2024.hits[0].clause.path == "三、（二十二）"
    units = r.retrieve("补贴", 10, Filters(unit="市农业农村局"))
    assert units.hits and all(any("市农业农村局" in u for u in h.clause.responsible_units) for h in units.hits)
    dense = r.retrieve("奖励", 10, Filters(doc_no="嘉政发〔2024〕14号"), mode="dense")
    assert dense.hits and all(h.clause.doc_no == "嘉政发〔2024〕14号" for h in dense.hits)


@pytest.mark.unit
def test_langchain_retriever_returns_documents_with_metadata(settings, corpus, fake):
    handle, _ = ensure_index(settings, corpus, fake)
    lc = langchain_retriever(HybridRetriever(corpus, fake, handle), k=3)
    docs = lc.invoke("种粮大户补贴")
    assert docs[0].metadata["citation"] == "嘉政发〔2024〕10号 七、（五十一）"
    assert {"doc_no", "clause", "valid_from", "valid_to", "responsible_units"} <= set(docs[0].metadata)
    from langchain_core.runnables import RunnableLambda

    chain = lc | RunnableLambda(lambda ds: [d.metadata["clause"] for d in ds])  # composes like any retriever
    assert chain.invoke("海铁联运")[0] == "五、（三十九）"


@pytest.mark.unit
def test_second_gazette_is_indexed(tmp_path, fake):
    text = (CORPUS_DIR / "jiaxing-gazette-2024-04-05.md").read_text(encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "corpus" / "b.md").write_text(text.replace("嘉政发〔2024〕10 号", "嘉政发〔2025〕7 号"), encoding="utf-8")
    s = get_settings(env={"ASSISTANT_CORPUS_DIR": str(tmp_path / "corpus"), "ASSISTANT_INDEX_DIR": str(tmp_path / "ix")})
    corpus = Corpus.load(s.corpus_dir)
    info, _ = build_index(s, corpus, fake)
    assert any(i for i in info.clause_ids if corpus.by_id[i].doc_no == "嘉政发〔2025〕7号")


@pytest.mark.unit
def test_model_resolution_is_offline_and_explains_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_SEMANTIC", "off")  # no Chinese word vectors: no static-zh (tests/test_static_embedding.py)
    choice = resolve_model("BAAI/bge-small-zh-v1.5")  # not on this machine, never downloaded
    assert choice.name == "sentence-transformers/all-MiniLM-L6-v2"
    assert "不存在" in choice.warning and "英文" in choice.warning
    local = resolve_model(resolve_model("auto").path)  # a local path loads as given
    assert local.warning == "" and Path(local.path).is_dir()
    assert DEFAULT_FUSION["sentence-transformers/all-MiniLM-L6-v2"].w_dense == 0.0


# ------------------------------------------------------------------------------------------ integration


@pytest.fixture(scope="module")
def minilm():
    return make_embedder("sentence-transformers/all-MiniLM-L6-v2")


@pytest.mark.integration
def test_real_minilm_index_and_query(settings, corpus, minilm):
    info, _ = build_index(settings, corpus, minilm)
    assert info.dimension == 384 and info.embedding_model.endswith("all-MiniLM-L6-v2")
    handle = open_index(settings, corpus, minilm.name)
    vec = minilm.embed_batch(["首台（套）装备保险"], "query")[0]
    assert len(handle.query(vec, 5)) == 5
    r = HybridRetriever(corpus, minilm, handle)
    assert r.retrieve("种粮大户有什么补贴", 3).hits[0].clause.path == "七、（五十一）"


_BUILD_CHILD = """
import os, sys, signal
from assistant.settings import get_settings
from assistant.corpus import Corpus
from assistant.index import build_index
from tests.fakes import HashEmbedder
stage, nth = sys.argv[1], int(sys.argv[2])
seen = {"n": 0}
def hook(s):
    if s == stage:
        seen["n"] += 1
        if seen["n"] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
s = get_settings()
build_index(s, Corpus.load(s.corpus_dir), HashEmbedder(), force=True, hook=hook)
"""


@pytest.mark.integration
@pytest.mark.parametrize("stage, nth", [("embedded", 1), ("chroma-write", 1), ("chroma-write", 3),
                                        ("before-switch", 1), ("switched", 1)])
def test_kill_9_mid_build_previous_index_keeps_answering(settings, corpus, fake, stage, nth):
    first, _ = build_index(settings, corpus, fake)
    p = subprocess.run([sys.executable, "-c", _BUILD_CHILD, stage, str(nth)], cwd=ROOT, env=dict(os.environ),
                       capture_output=True, timeout=120)
    assert p.returncode == -signal.SIGKILL
    handle, note = ensure_index(settings, corpus, fake)  # previous complete index, or the one just switched to
    assert note == ""
    assert handle.info.count == len(corpus.clauses)
    assert handle.query(fake.embed_batch(["小巨人"], "query")[0], 3)
    if stage != "switched":
        assert handle.info.build_id == first.build_id
    # a later build cleans up the half-written directory
    build_index(settings, corpus, fake, force=True)
    assert len(list((settings.index_dir / "builds").iterdir())) <= 2


@pytest.mark.integration
@pytest.mark.slow
def test_kill_9_at_random_times_of_assistant_index(settings, corpus, fake):
    import random

    env = dict(os.environ)
    good, _ = build_index(settings, corpus, fake)
    rnd = random.Random(7)
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-c", _INDEX_COMMAND], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        handle, note = ensure_index(settings, corpus, fake)
        assert handle.info.count == len(corpus.clauses) and note == ""


def _reader(index_dir: str, corpus_dir: str, seconds: float, q: mp.Queue) -> None:
    os.environ["ASSISTANT_INDEX_DIR"] = index_dir
    os.environ["ASSISTANT_CORPUS_DIR"] = corpus_dir
    s = get_settings()
    corpus = Corpus.load(s.corpus_dir)
    emb = HashEmbedder()
    ok = failed = 0
    end = time.monotonic() + seconds
    handle = open_index(s, corpus, emb.name)
    while time.monotonic() < end:
        try:
            if current_build(s) != handle.build:  # a new build was switched in: move to it
                handle = open_index(s, corpus, emb.name)
            assert handle.query(emb.embed_batch(["绿色工厂奖励"], "query")[0], 3)
            ok += 1
        except Exception as exc:  # noqa: BLE001 - counted, reported
            failed += 1
            q.put(repr(exc))
        time.sleep(0.01)
    q.put((ok, failed))


@pytest.mark.integration
@pytest.mark.slow
def test_rebuild_while_four_readers_query(settings, corpus, fake):
    build_index(settings, corpus, fake)
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    readers = [ctx.Process(target=_reader, args=(str(settings.index_dir), str(settings.corpus_dir), 12.0, q))
               for _ in range(4)]
    for r in readers:
        r.start()
    time.sleep(3)
    for _ in range(3):
        build_index(settings, corpus, fake, force=True)
    for r in readers:
        r.join(60)
    results = [q.get(timeout=5) for _ in range(4)]
    errors = [x for x in results if isinstance(x, str)]
    counts = [x for x in results if isinstance(x, tuple)]
    assert not errors and len(counts) == 4
    assert all(ok > 10 and failed == 0 for ok, failed in counts)


# ------------------------------------------------------------------------------------------ Chroma server


def start_chroma(path: Path, port: int) -> subprocess.Popen:
    import urllib.request

    proc = subprocess.Popen(["chroma", "run", "--path", str(path), "--port", str(port), "--host", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return proc
        except Exception:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("chroma server did not start")


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    server = {"url": f"http://127.0.0.1:{port}", "port": port, "path": tmp_path / "chroma-data",
              "proc": start_chroma(tmp_path / "chroma-data", port)}
    yield server
    proc = server["proc"]  # a test may have restarted it: stop the one running now
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.integration
def test_index_and_query_against_chroma_server(tmp_path, corpus, chroma_server, minilm):
    s = get_settings(env={"ASSISTANT_INDEX_DIR": str(tmp_path / "ix"), "ASSISTANT_CHROMA_URL": chroma_server["url"]})
    info, _ = build_index(s, corpus, minilm)
    assert info.chroma == chroma_server["url"]
    assert not (current_build(s) / "chroma").exists()  # nothing stored locally but the description
    handle = open_index(s, corpus, minilm.name)
    r = HybridRetriever(corpus, minilm, handle, Fusion(w_dense=0.3))
    assert r.retrieve("海铁联运补助", 3).hits[0].clause.path == "五、（三十九）"
    # an embedded index is not silently used against the server, and vice versa
    with pytest.raises(IndexIncompatible):
        open_index(get_settings(env={"ASSISTANT_INDEX_DIR": str(tmp_path / "ix")}), corpus, minilm.name)


@pytest.mark.integration
def test_chroma_server_stopped_mid_session_then_back(tmp_path, corpus, chroma_server, fake):
    s = get_settings(env={"ASSISTANT_INDEX_DIR": str(tmp_path / "ix"), "ASSISTANT_CHROMA_URL": chroma_server["url"]})
    build_index(s, corpus, fake)
    handle = open_index(s, corpus, fake.name)
    r = HybridRetriever(corpus, fake, handle, Fusion(w_dense=0.5))
    assert r.retrieve("小巨人奖励", 3).notes == []
    chroma_server["proc"].terminate()
    chroma_server["proc"].wait(10)
    got = r.retrieve("小巨人奖励", 3)
    assert got.mode == "lexical" and got.hits[0].clause.path == "三、（二十二）"
    assert any("仅使用关键词检索" in n for n in got.notes)
    chroma_server["proc"] = start_chroma(chroma_server["path"], chroma_server["port"])
    back = r.retrieve("小巨人奖励", 3)
    assert back.notes == [] and back.mode == "hybrid"


@pytest.mark.integration
def test_started_while_chroma_is_down_then_uses_it_when_it_is_back(tmp_path, corpus, chroma_server, minilm):
    """Issue 14, item 9: answers given while the server is down say so (CLI too), and a process started during the
    outage uses the server once it is back, without a restart."""
    from assistant.answer import Assistant
    from assistant.search import make_retriever

    env = {"ASSISTANT_INDEX_DIR": str(tmp_path / "ix"), "ASSISTANT_CHROMA_URL": chroma_server["url"],
           "ASSISTANT_CHROMA_RETRY_S": "0.2", "ASSISTANT_TODAY": "2026-11-28", "ASSISTANT_EMBED_MODEL": minilm.name}
    s = get_settings(env=env)
    build_index(s, corpus, minilm, fusion=Fusion(w_dense=0.3, chosen_on="this test"))
    chroma_server["proc"].terminate()
    chroma_server["proc"].wait(10)
    retriever, note = make_retriever(s, corpus)
    assert "Chroma" in note
    down = retriever.retrieve("海铁联运补助", 3)
    assert down.mode == "lexical" and any("仅使用关键词检索" in n for n in down.notes)
    bot = Assistant(s)
    bot._retriever = retriever
    assert "仅使用关键词检索" in bot.ask("海铁联运有什么补助").answer  # what `assistant ask` prints
    chroma_server["proc"] = start_chroma(chroma_server["path"], chroma_server["port"])
    time.sleep(0.3)
    back = retriever.retrieve("海铁联运补助", 3)
    assert back.mode == "hybrid" and back.notes == []
    assert "仅使用关键词检索" not in bot.ask("海铁联运有什么补助").answer


@pytest.mark.integration
def test_chroma_server_without_our_collection_is_detected(tmp_path, corpus, chroma_server, fake):
    s = get_settings(env={"ASSISTANT_INDEX_DIR": str(tmp_path / "ix"), "ASSISTANT_CHROMA_URL": chroma_server["url"]})
    build_index(s, corpus, fake)
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server["port"])
    client.delete_collection(read_info(current_build(s)).collection)  # e.g. a server started on another --path
    with pytest.raises(IndexCorrupt):
        open_index(s, corpus, fake.name)
    handle, note = ensure_index(s, corpus, fake)
    assert note and handle.info.count == len(corpus.clauses)


@pytest.mark.integration
def test_chroma_server_unreachable_is_a_clear_message(tmp_path, corpus, fake):
    from assistant.index import ChromaUnavailable

    s = get_settings(env={"ASSISTANT_INDEX_DIR": str(tmp_path / "ix"),
                          "ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{free_port()}"})
    t0 = time.monotonic()
    with pytest.raises(ChromaUnavailable, match="无法连接 Chroma 服务器"):
        build_index(s, corpus, fake)
    assert time.monotonic() - t0 < 10
