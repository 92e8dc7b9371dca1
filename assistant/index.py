"""The clause index on Chroma: built into a new location, switched to only when complete.

Layout under settings.index_dir (see index/README.md):
    current                  name of the build in use (replaced atomically with os.replace)
    builds/<id>/index.json   what the build is: format version, corpus hash, model, fusion, collection, count
    builds/<id>/chroma/      the embedded Chroma database (absent when a Chroma server holds the collection)
    embeddings-cache/<model>/<sha>.npy   embeddings by content hash: an unchanged clause is never re-embedded
    .lock                    one writer at a time; a second writer fails fast with a clear message
    lookup-<key>.json        the clause registry for the cold `assistant lookup` (lookup_store.py), keyed by the
                             corpus directory's files and the package's source

An interrupted build leaves only a directory that `current` does not name; the previous index keeps serving.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from . import lookup_store
from .corpus import Corpus
from .embeddings import Embedder
from .settings import Settings
from .types import Clause

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
COLLECTION_PREFIX = "jx-clauses"


class IndexError_(RuntimeError):
    """Base: the index cannot be used as it is. The message is for the user."""


class IndexMissing(IndexError_):
    pass


class IndexIncompatible(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


class IndexLocked(IndexError_):
    pass


class ChromaUnavailable(IndexError_):
    pass


class Fusion(BaseModel):
    """How lexical and dense rankings are fused (weighted reciprocal-rank fusion). Chosen per embedding model
    on the golden set by `assistant eval --tune-fusion`; stored with the index."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    method: str = "weighted_rrf"
    k: int = 60
    w_lexical: float = 1.0
    w_dense: float = 0.0
    chosen_on: str = ""


# Chosen on evals/golden.jsonl with `assistant eval --tune-fusion` (127 clause questions, 2026-11-28). MiniLM is
# English-only: recall@3 by dense weight 0 / 0.1 / 0.3 / 1.0 was 1.000 / 0.961 / 0.874 / 0.756, so it gets 0.
# bge-small-zh was not available on this machine: its 0.5 is a starting point until the tuner measures it.
DEFAULT_FUSION = {
    "sentence-transformers/all-MiniLM-L6-v2": Fusion(
        w_lexical=1.0, w_dense=0.0, chosen_on="golden set, 127 clause questions: recall@3 1.000 (w=0) vs 0.961 (w=0.1)"),
    "BAAI/bge-small-zh-v1.5": Fusion(w_lexical=1.0, w_dense=0.5, chosen_on="not yet measured here: run assistant eval --tune-fusion"),
    # static-zh (static_embedding.py): recall@3 by dense weight 0 / 0.05 / 0.1 / 0.3 / 1.0 was 1.000 / 1.000 / 0.985 /
    # 0.978 / 0.955 (recall@1 0.955 / 0.948 / ...): BM25 alone is best on questions in the gazette's words. It does
    # help everyday wording (colloquial dev recall@3 0.853 -> 0.912 at 0.3), but end to end no weight > 0 kept every
    # set: its candidates reach chit-chat questions that BM25 finds nothing for (evals/README.md).
    "static-zh": Fusion(w_lexical=1.0, w_dense=0.0, chosen_on="golden set, 134 clause questions: recall@3 1.000, "
                        "mrr 0.976 (w=0) vs recall@1 0.948 (w=0.05), recall@3 0.985 (w=0.1)"),
}


class IndexInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    build_id: str
    corpus_sha256: str
    embedding_model: str
    dimension: int
    count: int
    collection: str
    chroma: str  # "embedded" or the server URL
    fusion: Fusion
    created: str
    clause_ids: list[str]
    chroma_version: str = ""


# --------------------------------------------------------------------------------------------- text and hashes


def embedding_text(clause: Clause) -> str:
    """The chunk that is embedded: the clause with its document title and section heading, never an orphan."""
    head = " ".join(x for x in (clause.doc_no or "", clause.doc_title, clause.section_heading) if x)
    return f"{head}\n{clause.path} {clause.text}"


def content_hash(text: str, model: str) -> str:
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


# --------------------------------------------------------------------------------------------- lock


@contextlib.contextmanager
def writer_lock(index_dir: Path, wait_s: float = 2.0) -> Iterator[None]:
    """One writer per index directory. A second writer gets IndexLocked within about `wait_s` seconds."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexLocked(f"索引目录 {index_dir} 正被另一个进程写入（assistant index 正在运行），请稍后再试。") from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


# --------------------------------------------------------------------------------------------- chroma


def chroma_client(settings: Settings, build_dir: Path | None):
    """Embedded PersistentClient under the build directory, or HttpClient for ASSISTANT_CHROMA_URL."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    url = settings.retrieval.chroma_url
    if url:
        m = re.match(r"^(https?)://([^:/]+)(?::(\d+))?/?$", url)
        if not m:
            raise ChromaUnavailable(f"ASSISTANT_CHROMA_URL 格式不对：{url}（应为 http://主机:端口）")
        try:
            client = chromadb.HttpClient(host=m.group(2), port=int(m.group(3) or 8000), ssl=m.group(1) == "https",
                                         settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:
            raise ChromaUnavailable(f"无法连接 Chroma 服务器 {url}：{type(exc).__name__}") from exc
        return client
    assert build_dir is not None
    return chromadb.PersistentClient(path=str(build_dir / "chroma"), settings=chroma_settings)


def chroma_version(client) -> str:
    try:
        return str(client.get_version())
    except Exception:  # an old client/server without the call
        import chromadb

        return chromadb.__version__


def _major_minor(v: str) -> tuple[str, ...]:
    return tuple(v.split(".")[:2])


def _collection(client, name: str, create: bool, embedder: Embedder | None = None):
    """Create (recording the embedder's identity when it has a Chroma function: see chroma_function) or open one.
    Opening passes no function, and vectors are always given, so Chroma builds none and loads no model."""
    if create:
        chroma_function = getattr(embedder, "chroma_function", None)
        return client.get_or_create_collection(name, embedding_function=chroma_function() if chroma_function else None,
                                               configuration={"hnsw": {"space": "cosine"}})
    return client.get_collection(name, embedding_function=None)


def clause_metadata(clause: Clause) -> dict:
    return {
        "doc_no": clause.doc_no or "", "doc_title": clause.doc_title, "clause": clause.path,
        "section": clause.section_heading, "heading": clause.heading, "level": clause.level,
        "valid_from": clause.valid_from.isoformat() if clause.valid_from else "",
        "valid_to": clause.valid_to.isoformat() if clause.valid_to else "",
        "responsible_units": "、".join(clause.responsible_units),
        "source": clause.source, "order": clause.order,
    }


# --------------------------------------------------------------------------------------------- paths


def builds_dir(settings: Settings) -> Path:
    return settings.index_dir / "builds"


def current_build(settings: Settings) -> Path | None:
    pointer = settings.index_dir / "current"
    try:
        name = pointer.read_text().strip()
    except FileNotFoundError:
        return None
    return builds_dir(settings) / name if name else None


def read_info(build: Path) -> IndexInfo:
    try:
        return IndexInfo.model_validate_json((build / "index.json").read_text())
    except FileNotFoundError:
        raise IndexMissing(f"索引 {build.name} 不完整（缺少 index.json）。") from None
    except Exception as exc:
        raise IndexCorrupt(f"索引描述文件损坏：{build / 'index.json'}（{type(exc).__name__}）") from exc


# --------------------------------------------------------------------------------------------- cache


class EmbeddingCache:
    def __init__(self, root: Path, model: str) -> None:
        self.dir = root / _slug(model)

    def get(self, h: str) -> list[float] | None:
        import numpy as np

        try:
            return np.load(self.dir / f"{h}.npy").tolist()
        except (FileNotFoundError, ValueError, OSError):
            return None

    def put(self, h: str, vector: list[float]) -> None:
        import numpy as np

        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f".{h}.{os.getpid()}.tmp.npy"
        np.save(tmp, np.asarray(vector, dtype="float32"))
        os.replace(tmp, self.dir / f"{h}.npy")


# --------------------------------------------------------------------------------------------- build


def build_index(settings: Settings, corpus: Corpus, embedder: Embedder, *, force: bool = False,
                fusion: Fusion | None = None, progress: Callable[[str, int, int], None] | None = None,
                hook: Callable[[str], None] | None = None) -> tuple[IndexInfo, dict]:
    """Build (or reuse) the index. Returns (info, stats). `hook(stage)` is a test seam for fault injection."""
    hook = hook or (lambda stage: None)
    stats = {"embedded": 0, "cached": 0, "reused": False, "seconds": 0.0}
    t0 = time.perf_counter()
    with writer_lock(settings.index_dir):
        lookup_store.ensure(settings.index_dir, settings.corpus_dir)  # the cold `assistant lookup` reads it
        existing = _usable_current(settings, corpus, embedder)
        if existing and not force and (fusion is None or fusion == existing.fusion):
            stats.update(reused=True, seconds=time.perf_counter() - t0)
            return existing, stats
        clauses = corpus.clauses
        key = getattr(embedder, "cache_key", embedder.name)  # static-zh: its files and tokenizer terms too
        cache = EmbeddingCache(settings.index_dir / "embeddings-cache", key)
        texts = [embedding_text(c) for c in clauses]
        hashes = [content_hash(t, key) for t in texts]
        vectors: list[list[float] | None] = [cache.get(h) for h in hashes]
        todo = [i for i, v in enumerate(vectors) if v is None]
        stats["cached"] = len(clauses) - len(todo)
        batch = 32
        for start in range(0, len(todo), batch):
            idx = todo[start:start + batch]
            for i, vec in zip(idx, embedder.embed_batch([texts[i] for i in idx], kind="document")):
                vectors[i] = vec
                cache.put(hashes[i], vec)
            stats["embedded"] += len(idx)
            if progress:
                progress("embed", min(start + batch, len(todo)), len(todo))
        hook("embedded")

        build_id = (dt.datetime.now().strftime("%Y%m%dT%H%M%S") + f"-{corpus.sha256[:8]}-{secrets.token_hex(3)}")
        build = builds_dir(settings) / build_id
        build.mkdir(parents=True)
        collection_name = f"{COLLECTION_PREFIX}-{build_id.lower()}"[:63]
        client = chroma_client(settings, build)
        coll = _collection(client, collection_name, create=True, embedder=embedder)
        for start in range(0, len(clauses), 64):
            chunk = range(start, min(start + 64, len(clauses)))
            coll.upsert(ids=[clauses[i].id for i in chunk], embeddings=[vectors[i] for i in chunk],
                        documents=[texts[i] for i in chunk], metadatas=[clause_metadata(clauses[i]) for i in chunk])
            hook("chroma-write")
            if progress:
                progress("write", chunk.stop, len(clauses))
        if coll.count() != len(clauses):
            raise IndexCorrupt(f"写入的条款数 {coll.count()} 与语料 {len(clauses)} 不一致。")
        dim = len(vectors[0]) if vectors else 0
        info = IndexInfo(
            version=FORMAT_VERSION, build_id=build_id, corpus_sha256=corpus.sha256, embedding_model=embedder.name,
            dimension=dim, count=len(clauses), collection=collection_name,
            chroma=settings.retrieval.chroma_url or "embedded",
            fusion=fusion or (existing.fusion if existing else remembered_fusion(settings, embedder.name)),
            created=dt.datetime.now().isoformat(timespec="seconds"), clause_ids=[c.id for c in clauses],
            chroma_version=chroma_version(client),
        )
        _write_atomic(build / "index.json", info.model_dump_json(indent=2))
        _remember_fusion(settings, embedder.name, info.fusion)
        hook("before-switch")
        _write_atomic(settings.index_dir / "current", build_id + "\n")
        hook("switched")
        _cleanup(settings, keep={build_id, existing.build_id if existing else ""}, client=client)
    stats["seconds"] = time.perf_counter() - t0
    return info, stats


FUSION_FILE = "fusion.json"


def remembered_fusion(settings: Settings, model: str, default: Fusion | None = None) -> Fusion:
    """The fusion last chosen for this model (`eval --tune-fusion`), kept beside the builds, so that rebuilding a
    corrupt index keeps the tuned weights; the model's default when none was kept."""
    with contextlib.suppress(OSError, ValueError, TypeError):
        kept = json.loads((settings.index_dir / FUSION_FILE).read_text(encoding="utf-8"))
        if isinstance(kept, dict) and isinstance(kept.get(model), dict):
            return Fusion.model_validate(kept[model])
    return DEFAULT_FUSION.get(model, default or Fusion())


def _remember_fusion(settings: Settings, model: str, fusion: Fusion) -> None:
    path = settings.index_dir / FUSION_FILE
    kept: dict = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        kept = loaded if isinstance(loaded, dict) else {}
    kept[model] = fusion.model_dump(mode="json")
    _write_atomic(path, json.dumps(kept, ensure_ascii=False, indent=2))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    with contextlib.suppress(OSError):
        dfd = os.open(path.parent, os.O_RDONLY)
        os.fsync(dfd)
        os.close(dfd)


def _cleanup(settings: Settings, keep: set[str], client) -> None:
    """Remove builds other than the current and the previous one (a reader may still have that open), and
    any half-written build left by an interrupted run. On a Chroma server, drop the collections of removed builds."""
    root = builds_dir(settings)
    for d in root.iterdir() if root.exists() else []:
        if d.name not in keep:
            shutil.rmtree(d, ignore_errors=True)
    if settings.retrieval.chroma_url:
        wanted = {f"{COLLECTION_PREFIX}-{k.lower()}"[:63] for k in keep if k}
        with contextlib.suppress(Exception):
            for c in client.list_collections():
                name = getattr(c, "name", c)
                if name.startswith(COLLECTION_PREFIX) and name not in wanted:
                    client.delete_collection(name)


def _usable_current(settings: Settings, corpus: Corpus, embedder: Embedder) -> IndexInfo | None:
    try:
        handle = open_index(settings, corpus, embedder.name)
    except IndexError_:
        return None
    return handle.info


# --------------------------------------------------------------------------------------------- open


class IndexHandle:
    """An opened, verified index: its description and its Chroma collection."""

    def __init__(self, info: IndexInfo, build: Path, collection, settings: Settings) -> None:
        self.info, self.build, self.collection, self.settings = info, build, collection, settings

    def query(self, vector: list[float], k: int, ids: list[str] | None = None) -> list[tuple[str, float]]:
        n = min(k, len(ids) if ids is not None else self.info.count)
        if n <= 0:
            return []
        res = self.collection.query(query_embeddings=[vector], n_results=n, ids=ids, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0])]


def open_index(settings: Settings, corpus: Corpus, model: str | None = None) -> IndexHandle:
    """Open the current build and verify it: complete, same format, same corpus, same model, and Chroma answers
    with the right number of clauses. Anything else raises, never a half-used index."""
    build = current_build(settings)
    if build is None or not build.exists():
        raise IndexMissing("还没有建立索引。")
    info = read_info(build)
    if info.version != FORMAT_VERSION:
        raise IndexIncompatible(f"索引格式版本 {info.version} 与程序（{FORMAT_VERSION}）不一致，需要重建。")
    if info.corpus_sha256 != corpus.sha256:
        raise IndexIncompatible("语料已变化，索引需要更新。")
    if model and info.embedding_model != model:
        raise IndexIncompatible(f"索引使用的嵌入模型是 {info.embedding_model}，当前设置为 {model}，需要重建。")
    if info.chroma != (settings.retrieval.chroma_url or "embedded"):
        raise IndexIncompatible(f"索引建在 {info.chroma}，当前配置为 {settings.retrieval.chroma_url or 'embedded'}。")
    if info.chroma == "embedded" and not (build / "chroma" / "chroma.sqlite3").is_file():
        raise IndexCorrupt(f"索引数据缺失：{build / 'chroma'}，需要重建。")
    try:
        client = chroma_client(settings, build)
    except ChromaUnavailable:
        raise
    except Exception as exc:  # a damaged database file fails already when the client opens it
        raise IndexCorrupt(f"索引数据无法读取（{type(exc).__name__}: {str(exc)[:120]}），需要重建。") from exc
    if info.chroma_version and _major_minor(chroma_version(client)) != _major_minor(info.chroma_version):
        raise IndexIncompatible(f"Chroma 版本 {chroma_version(client)} 与建索引时的 {info.chroma_version} 不一致，需要重建。")
    try:
        coll = _collection(client, info.collection, create=False)
        count = coll.count()
    except Exception as exc:
        raise IndexCorrupt(f"索引数据无法读取（{type(exc).__name__}: {str(exc)[:120]}），需要重建。") from exc
    if count != info.count:
        raise IndexCorrupt(f"索引中有 {count} 条，应为 {info.count} 条，需要重建。")
    handle = IndexHandle(info, build, coll, settings)
    probe(handle)
    return handle


def probe(handle: IndexHandle) -> None:
    """Startup probe: fetch one stored vector and find it again. Catches a damaged HNSW segment at start-up
    instead of at the first user's question."""
    ids = handle.info.clause_ids
    sample = list(dict.fromkeys([ids[0], ids[len(ids) // 2], ids[-1]]))  # first, middle, last
    try:
        got = handle.collection.get(ids=sample, include=["embeddings"])
        found = dict(zip(got["ids"], got["embeddings"]))
        results = [(i, handle.query(list(found[i]), 1)) for i in sample]
    except Exception as exc:
        raise IndexCorrupt(f"索引自检失败（{type(exc).__name__}: {str(exc)[:120]}），需要重建。") from exc
    if any(not hits or hits[0][0] != i for i, hits in results):
        raise IndexCorrupt("索引自检失败：向量检索结果不一致，需要重建。")


def ensure_index(settings: Settings, corpus: Corpus, embedder: Embedder,
                 progress: Callable[[str, int, int], None] | None = None) -> tuple[IndexHandle, str]:
    """Open the index, or (re)build it when missing, partial, incompatible or corrupt. Returns (handle, note)."""
    try:
        return open_index(settings, corpus, embedder.name), ""
    except ChromaUnavailable:
        raise
    except IndexMissing as exc:
        note = f"{exc}正在建立索引……"
        log.info(note)  # the caller shows the note; logging it as a warning would print it twice
    except IndexError_ as exc:
        note = f"{exc}正在重建索引……"
        log.info(note)
    build_index(settings, corpus, embedder, force=True, progress=progress)
    return open_index(settings, corpus, embedder.name), note
