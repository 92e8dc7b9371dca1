"""Index build time (cold: nothing cached; warm: unchanged corpus; forced: from the embedding cache),
query latency p50/p95 for the lexical, dense and hybrid retrievers, and memory."""

from __future__ import annotations

import time

from common import golden_questions, pct, rss_mb, scratch_settings, table


def main() -> str:
    from assistant.corpus import Corpus
    from assistant.embeddings import make_embedder
    from assistant.index import Fusion, build_index, open_index
    from assistant.retrieval import HybridRetriever

    settings, _ = scratch_settings()
    rss0 = rss_mb()
    corpus = Corpus.load(settings.corpus_dir)
    embedder = make_embedder(settings.embedding.model)
    t = time.perf_counter()
    embedder.embed_batch(["预热"])  # model load is not build time
    load_s = time.perf_counter() - t
    rows = [["model load", f"{load_s:.2f} s", ""]]
    for label, kwargs in (("cold build (nothing cached)", {}), ("warm: unchanged corpus", {}),
                          ("forced rebuild from cache", {"force": True})):
        t = time.perf_counter()
        info, stats = build_index(settings, corpus, embedder, **kwargs)
        rows.append([label, f"{time.perf_counter() - t:.2f} s", f"embedded {stats['embedded']}, cached {stats['cached']}"])
    out = [table(f"index build ({info.count} clauses, {info.embedding_model})", ["step", "time", "note"], rows)]

    handle = open_index(settings, corpus, embedder.name)
    r = HybridRetriever(corpus, embedder, handle, Fusion(w_dense=0.5))  # hybrid measured with the dense side on
    qs = [c["question"] for c in golden_questions() if not c["expect"]["refusal"]][:150]
    corpus.lexical  # build BM25 outside the timing
    lat = []
    for mode in ("lexical", "dense", "hybrid"):
        times = []
        for q in qs:
            t = time.perf_counter()
            r.retrieve(q, 5, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
        lat.append([mode, len(times), pct(times, 50), pct(times, 95), max(times)])
    out.append(table("query latency (ms, one process, models loaded)", ["retriever", "queries", "p50", "p95", "max"], lat))
    out.append(table("memory", ["what", "MB"], [["RSS before corpus/model", rss0], ["RSS with model + index", rss_mb()]]))
    return "\n".join(out)


if __name__ == "__main__":
    print(main())
