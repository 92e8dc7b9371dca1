"""Answer latency on the no-LLM path: in one process once loaded (target p95 ≤ 50 ms, on the golden questions and on
the colloquial development questions, which are longer), and a cold `assistant ask` as a new process (target ≤ 1.5 s)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from common import ROOT, golden_questions, pct, scratch_settings, table


def colloquial_questions() -> list[dict]:
    path = ROOT / "evals" / "colloquial" / "dev.jsonl"
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def in_process(rounds: int = 3) -> str:
    from assistant.answer import Assistant

    settings, _ = scratch_settings()
    bot = Assistant(settings)
    bot.ask("预热：种粮补贴")  # corpus, jieba, BM25, the semantic signal
    rows = []
    for name, cases in (("golden", golden_questions()), ("colloquial dev", colloquial_questions())):
        times = []
        for _ in range(rounds):
            for c in cases:
                t = time.perf_counter()
                bot.ask(c["question"], c.get("history") or [])
                times.append((time.perf_counter() - t) * 1000)
        rows.append([name, len(times), pct(times, 50), pct(times, 95), max(times),
                     "PASS" if pct(times, 95) <= 50 else "MISS"])
    return table("answer latency in one process, no LLM (ms) — target p95 ≤ 50 ms",
                 ["questions", "n", "p50", "p95", "max", "verdict"], rows)


def cold(runs: int = 3) -> str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant", "ask", "开电车的，路边插电桩子今年要新装多少根"], cwd=ROOT,
                       env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    return table("cold `assistant ask` (s), whole process — target ≤ 1.5 s",
                 ["runs", "median", "min", "verdict"], [[runs, med, min(times), "PASS" if med <= 1.5 else "MISS"]])


def main(rounds: int = 3) -> str:
    return in_process(rounds) + "\n" + cold()


if __name__ == "__main__":
    print(main())
