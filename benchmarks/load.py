"""Load: 20 concurrent users for 60 s against `assistant serve` on the no-LLM path.

Four runs against one server process (the first three with gradio_client on /ask, the last with the official
`openai` SDK on the OpenAI-compatible /v1/chat/completions):
  1 user        asks back to back; its p95 is the reference for the ratio.
  20 users      each asks, reads, and asks again after a pause drawn uniformly from 0.5-1.5 s (`--think`). People
                read an answer and type the next question in ten seconds or more, so this is already ~10x the
                traffic 20 real users make.
  20 users, no pause  saturation: 20 requests always in flight. It shows the capacity, and it cannot meet the 2x
                ratio on a small machine whatever the server does: with no pause, mean latency = 20 / throughput
                (Little's law), and throughput <= cores / CPU per request (server + generator), so the ratio is at
                least 20 x CPU per request / (cores x one-user latency). The table prints that floor.
  20 users on /v1  the paced run again, through `OpenAI(base_url=…/v1).chat.completions.create`.
Targets: 0 errors and p95 <= 1 s in every run; p95 of the 20-user run within 2x the one-user p95.
CPU per request is measured for the server process and for this generator (they share the machine).
Traffic goes only to 127.0.0.1, and every loop is bounded in time."""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import threading
import time
from pathlib import Path

from common import golden_questions, pct, table

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _gradio_asker(url: str):
    from gradio_client import Client

    # Plain http on loopback: no certificate is ever checked, but with the default ssl_verify=True
    # gradio_client builds a CA-loading SSL context twice per call (~40 ms CPU on this machine), which
    # would make the load generator compete with the server it measures for the same two cores.
    client = Client(url, verbose=False, ssl_verify=not url.startswith("http://"))
    return lambda q: client.predict(q, "[]", api_name="/ask")


def _openai_asker(url: str):
    from openai import OpenAI

    client = OpenAI(base_url=url.rstrip("/") + "/v1", api_key="unused", max_retries=0, timeout=30)

    def ask(q: str) -> None:
        r = client.chat.completions.create(model="jiaxing-gazette", messages=[{"role": "user", "content": q}])
        if not r.choices[0].message.content:
            raise RuntimeError("empty answer")

    return ask


def run_users(url: str, users: int, seconds: float, questions: list[str],
              think: tuple[float, float] = (0.0, 0.0), api: str = "gradio") -> tuple[list[float], int]:
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def user(i: int) -> None:
        rnd = random.Random(i)
        ask = (_openai_asker if api == "openai" else _gradio_asker)(url)
        if think[1]:
            time.sleep(rnd.uniform(0, think[1]))  # users do not all arrive in the same millisecond
        while time.monotonic() < end:
            q = rnd.choice(questions)
            t = time.perf_counter()
            try:
                ask(q)
                with lock:
                    lat.append(time.perf_counter() - t)
            except Exception:  # noqa: BLE001 - counted
                with lock:
                    errors[0] += 1
            if think[1]:
                time.sleep(min(rnd.uniform(*think), max(0.0, end - time.monotonic())))

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(seconds + 60)
    return lat, errors[0]


def measured_run(url: str, pid: int, users: int, seconds: float, questions: list[str],
                 think: tuple[float, float], api: str = "gradio") -> dict:
    s0, c0 = _cpu_seconds(pid), time.process_time()
    lat, errors = run_users(url, users, seconds, questions, think, api)
    s1, c1 = _cpu_seconds(pid), time.process_time()
    n = max(1, len(lat) + errors)
    return {"lat": lat, "errors": errors, "seconds": seconds,
            "server_ms": (s1 - s0) * 1000 / n, "client_ms": (c1 - c0) * 1000 / n}


def main(users: int = 20, seconds: float = 60.0, think: tuple[float, float] = (0.5, 1.5)) -> str:
    from tests.conftest import start_server, stop_server

    questions = [c["question"] for c in golden_questions() if not c["history"]]
    served = start_server(Path(tempfile.mkdtemp(prefix="load-")), {"ASSISTANT_QUEUE_MAX": "256"})
    url, pid = served.url + "/", served.proc.pid
    single_s = min(20.0, seconds)
    try:
        run_users(url, 2, 3, questions)  # warm-up: first requests pay for lazy imports
        single = measured_run(url, pid, 1, single_s, questions, (0.0, 0.0))
        paced = measured_run(url, pid, users, seconds, questions, think)
        flat = measured_run(url, pid, users, seconds, questions, (0.0, 0.0))
        run_users(url, 2, 3, questions, api="openai")  # warm-up of the SDK's imports
        v1 = measured_run(url, pid, users, seconds, questions, think, api="openai")
    finally:
        stop_server(served)
    ref = pct(single["lat"], 95)
    names = ["1 user", f"{users} users, {think[0]:g}-{think[1]:g} s pause", f"{users} users, no pause",
             f"{users} users on /v1 (openai SDK), {think[0]:g}-{think[1]:g} s pause"]
    rows = [[name, len(r["lat"]), r["errors"], pct(r["lat"], 50) * 1000, pct(r["lat"], 95) * 1000,
             pct(r["lat"], 95) / ref, len(r["lat"]) / r["seconds"], r["server_ms"], r["client_ms"]]
            for name, r in zip(names, (single, paced, flat, v1))]
    cores = os.cpu_count() or 1
    floor_s = users * (flat["server_ms"] + flat["client_ms"]) / 1000 / cores  # least possible mean latency
    mean = (lambda v: sum(v) / len(v) if v else float("nan"))
    ok_errors = all(r["errors"] == 0 for r in (single, paced, flat, v1))
    ok_p95 = all(pct(r["lat"], 95) <= 1.0 for r in (paced, flat, v1))
    ratio = pct(paced["lat"], 95) / ref
    verdict = "PASS" if ok_errors and ok_p95 and ratio <= 2.0 else "MISS"
    return (table(f"load: gradio_client users on /ask and openai SDK users on /v1, no LLM, {seconds:.0f} s per run — {verdict}",
                  ["run", "requests", "errors", "p50 ms", "p95 ms", "p95 / 1 user", "req/s",
                   "server CPU ms/req", "generator CPU ms/req"], rows)
            + f"\ntargets: 0 errors and p95 <= 1000 ms in every run; {users} users with pauses within 2x of one user "
              f"(measured {ratio:.2f}x)"
            + f"\nno-pause floor on {cores} cores from the CPU per request above (Little's law): mean latency "
              f">= {floor_s * 1000:.0f} ms = {floor_s / mean(single['lat']):.2f}x one user's mean "
              f"(measured {mean(flat['lat']) / mean(single['lat']):.2f}x)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"),
                    help="pause between one user's questions, seconds (uniform)")
    a = ap.parse_args()
    print(main(a.users, a.seconds, tuple(a.think)))
