"""Answer latency in one process on the no-LLM path (target p95 < 150 ms once models are loaded)."""

from __future__ import annotations

import time

from common import golden_questions, pct, scratch_settings, table


def main(rounds: int = 3) -> str:
    from assistant.answer import Assistant

    settings, _ = scratch_settings()
    bot = Assistant(settings)
    cases = golden_questions()
    bot.ask("预热：种粮补贴")  # corpus, jieba, BM25
    by_kind: dict[str, list[float]] = {}
    everything = []
    for _ in range(rounds):
        for c in cases:
            t = time.perf_counter()
            ans = bot.ask(c["question"], c["history"])
            ms = (time.perf_counter() - t) * 1000
            by_kind.setdefault(ans.kind, []).append(ms)
            everything.append(ms)
    rows = [[k, len(v), pct(v, 50), pct(v, 95), max(v)] for k, v in sorted(by_kind.items())]
    rows.append(["ALL", len(everything), pct(everything, 50), pct(everything, 95), max(everything)])
    verdict = "PASS" if pct(everything, 95) < 150 else "MISS"
    return table(f"answer latency, no LLM (ms) — target p95 < 150 ms: {verdict}", ["kind", "n", "p50", "p95", "max"], rows)


if __name__ == "__main__":
    print(main())
