"""Answer latency on the no-LLM path: in one process once loaded (target p95 ≤ 50 ms, on the golden questions and on
the colloquial development questions, which are longer), and cold commands as new processes: `assistant ask`
(target ≤ 1.5 s), a keyword lookup (≤ 0.5 s) and a citation lookup (≤ 0.2 s)."""

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


COLD = [  # (what, command, target seconds)
    ("ask", ["ask", "开电车的，路边插电桩子今年要新装多少根"], 1.5),
    ("lookup, keywords", ["lookup", "绿色工厂"], 0.5),
    ("lookup, citation", ["lookup", "10号文第19条"], 0.2),
]


def cold(runs: int = 5) -> str:
    """Each command as a new process, the way a user runs it: after one warm-up run (caches filled, the lookup store
    written beside the index as `assistant index` writes it, bytecode written — PYTHONDONTWRITEBYTECODE, set on some
    machines, is removed: a deployment keeps its .pyc files), the
    median wall time and the median CPU time (user + system, steadier when the machine is busy)."""
    import resource

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["HF_HUB_OFFLINE"] = "1"
    rows = []
    for what, args, target in COLD:
        cmd = [sys.executable, "-m", "assistant", *args]
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)  # warm-up
        wall, cpu = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)
            wall.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        med = statistics.median(wall)
        rows.append([what, target, runs, med, statistics.median(cpu), min(wall), "PASS" if med <= target else "MISS"])
    return table("cold commands (s), whole process", ["command", "target", "runs", "median", "median CPU", "min",
                                                      "verdict"], rows)


def main(rounds: int = 3) -> str:
    return in_process(rounds) + "\n" + cold()


if __name__ == "__main__":
    print(main())
