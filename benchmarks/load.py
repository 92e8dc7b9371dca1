"""Load: 20 concurrent gradio_client users for 60 s against `assistant serve` on the no-LLM path.
Reports errors (target 0), p50/p95 latency (target p95 <= 1 s), throughput, and p95 against one user (<= 2x).
Traffic goes only to 127.0.0.1, and every loop is bounded in time."""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from pathlib import Path

from common import golden_questions, pct, table


def run_users(url: str, users: int, seconds: float, questions: list[str]) -> tuple[list[float], int]:
    from gradio_client import Client

    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def user(i: int) -> None:
        rnd = random.Random(i)
        client = Client(url, verbose=False)
        while time.monotonic() < end:
            q = rnd.choice(questions)
            t = time.perf_counter()
            try:
                client.predict(q, "[]", api_name="/ask")
                with lock:
                    lat.append(time.perf_counter() - t)
            except Exception:  # noqa: BLE001 - counted
                with lock:
                    errors[0] += 1

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(seconds + 60)
    return lat, errors[0]


def main(users: int = 20, seconds: float = 60.0) -> str:
    from tests.conftest import start_server, stop_server

    questions = [c["question"] for c in golden_questions() if not c["history"]]
    served = start_server(Path(tempfile.mkdtemp(prefix="load-")), {"ASSISTANT_QUEUE_MAX": "256"})
    url = served.url + "/"
    try:
        single, e1 = run_users(url, 1, min(20.0, seconds), questions)
        many, e20 = run_users(url, users, seconds, questions)
    finally:
        stop_server(served)
    rows = [["1 user", len(single), e1, pct(single, 50) * 1000, pct(single, 95) * 1000, len(single) / min(20.0, seconds)],
            [f"{users} users", len(many), e20, pct(many, 50) * 1000, pct(many, 95) * 1000, len(many) / seconds]]
    ratio = pct(many, 95) / pct(single, 95)
    verdict = ("PASS" if e20 == 0 and pct(many, 95) <= 1.0 and ratio <= 2.0 else "MISS")
    return (table(f"load: gradio_client users on /ask, no LLM, {seconds:.0f} s — {verdict}",
                  ["run", "requests", "errors", "p50 ms", "p95 ms", "req/s"], rows)
            + f"\np95 ratio {users} users / 1 user: {ratio:.2f}x (target <= 2x); targets: 0 errors, p95 <= 1000 ms")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    a = ap.parse_args()
    print(main(a.users, a.seconds))
