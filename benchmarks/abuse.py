"""Abuse: 20 clients send maximal inputs for 60 s while one normal user asks (issue 14).

One `assistant serve` (no LLM, with a login so that wrong passwords are part of the mix, and an API key). Each
abusive client loops without pause over the largest things a client can send:
  body-150MB     declares a 150 MB body on /v1/chat/completions and starts sending it (refused before it is read)
  chunked-5MB    a chunked body with no length, 5 MB (cut at the 1 MB bound)
  v1-max         the largest request /v1 accepts: 199 earlier messages of ~1,500 characters + a 2,000-character
                 question, just under 1 MB, with the right key (answered, or 503 when the answer queue is full)
  v1-nested      100,000 nested brackets as the messages
  ask-max        /gradio_api/call/ask with a history of the same size (gradio's own API, logged in)
  login          a wrong password (throttled after 5 a minute)
  upload         a 1 MB file to /gradio_api/upload (off)
The normal user asks golden questions through /v1 with the official `openai` SDK, pausing 0.5-1.5 s as in the load
benchmark. Targets: the normal user's p95 <= 1 s, no error for the normal user, and the server's resident memory
bounded (peak within ui.server.SESSIONS x the 1 MB body bound of the idle server). Traffic goes only to 127.0.0.1; every loop is bounded in time."""

from __future__ import annotations

import argparse
import json
import random
import socket
import tempfile
import threading
import time
from pathlib import Path

from common import golden_questions, pct, rss_mb, table

from ui.inputs import MAX_BODY_BYTES
from ui.server import SESSIONS

BOUND_MB = SESSIONS * MAX_BODY_BYTES / 1e6  # Gradio keeps one copy of a session's inputs for SESSIONS sessions

KEY = "abuse-bench-key-0123456789"
# Each kind of attack connects from its own loopback address, none the normal user's (Linux routes all of 127/8 to
# lo): the throttle counts failures per address, so the attacks that send a right key or a valid request are not
# shielded by the throttle that the wrong-password and no-key attacks trip.
ADDRESSES = {"body-150MB": "127.0.0.2", "chunked-5MB": "127.0.0.3", "v1-max": "127.0.0.4", "v1-nested": "127.0.0.5",
             "ask-max": "127.0.0.6", "login": "127.0.0.7", "upload": "127.0.0.8"}
AUTH = ("staff", "bench-pass-123")


def _raw(url: str, head: bytes, payload_iter, source: str, timeout: float = 10) -> int:
    """Send a request by hand; return the status the server answered (0 if none)."""
    host, port = url.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout, source_address=(source, 0)) as s:
            s.sendall(head)
            try:
                for part in payload_iter:
                    s.sendall(part)
            except OSError:
                pass  # the server answered and closed while we were still sending: what we measure
            data = s.recv(4096)
            return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    except OSError:
        return 0


def attacks(url: str, questions: list[str]):
    import httpx

    def client(name: str) -> httpx.Client:
        return httpx.Client(timeout=30, transport=httpx.HTTPTransport(local_address=ADDRESSES[name]))

    http = {name: client(name) for name in ADDRESSES}
    long_turn = "请问" + "绿色工厂奖励" * 250  # ~1,500 characters
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": long_turn} for i in range(199)]
    v1_max = json.dumps({"model": "jiaxing-gazette", "messages": history + [{"role": "user", "content": "问" * 2000}]},
                        ensure_ascii=False).encode()
    assert len(v1_max) < 1_000_000, len(v1_max)
    ask_max = json.dumps({"data": ["种粮大户有什么补贴？", json.dumps(history[:190], ensure_ascii=False)]},
                         ensure_ascii=False).encode()
    chunk = b"x" * 65536

    def body_150mb():
        head = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {150 * 1024 * 1024}\r\n\r\n").encode()
        return _raw(url, head, (chunk for _ in range(64)), ADDRESSES["body-150MB"])

    def chunked_5mb():
        head = b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        return _raw(url, head, [b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(80)] + [b"0\r\n\r\n"],
                    ADDRESSES["chunked-5MB"])

    def v1_full():
        return http["v1-max"].post(url + "/v1/chat/completions", content=v1_max,
                         headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}).status_code

    def v1_nested():
        return http["v1-nested"].post(url + "/v1/chat/completions", headers={"Authorization": f"Bearer {KEY}"},
                         content=b'{"model": "jiaxing-gazette", "messages": ' + b"[" * 100_000 + b"]" * 100_000
                         + b"}").status_code

    logged_in = http["ask-max"]
    logged_in.post(url + "/login", data={"username": AUTH[0], "password": AUTH[1]})

    def ask_full():
        return logged_in.post(url + "/gradio_api/call/ask", content=ask_max,
                              headers={"Content-Type": "application/json"}).status_code

    def login():
        return http["login"].post(url + "/login", data={"username": "staff", "password": f"guess{random.random()}"}).status_code

    def upload():
        return http["upload"].post(url + "/gradio_api/upload", files={"files": ("a.bin", b"x" * 1_000_000)}).status_code

    return {"body-150MB": body_150mb, "chunked-5MB": chunked_5mb, "v1-max": v1_full, "v1-nested": v1_nested,
            "ask-max": ask_full, "login": login, "upload": upload}


def main(clients: int = 20, seconds: float = 60.0) -> str:
    from openai import OpenAI

    from tests.conftest import start_server, stop_server

    questions = [c["question"] for c in golden_questions() if not c["history"]]
    served = start_server(Path(tempfile.mkdtemp(prefix="abuse-")), {
        "ASSISTANT_AUTH": f"{AUTH[0]}:{AUTH[1]}", "ASSISTANT_API_KEY": KEY, "ASSISTANT_QUEUE_MAX": "64"})
    url, pid = served.url, served.proc.pid
    end = time.monotonic() + seconds
    stats: dict[str, dict[int, int]] = {}
    lock = threading.Lock()
    rss = [rss_mb(pid)]
    normal_lat: list[float] = []
    normal_errors = [0]

    normal = OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0, timeout=30)
    normal.chat.completions.create(model="jiaxing-gazette", messages=[{"role": "user", "content": "种粮补贴"}])
    idle = rss_mb(pid)

    def abuser(i: int) -> None:
        kinds = attacks(url, questions)
        names = list(kinds)
        n = i
        while time.monotonic() < end:
            name = names[n % len(names)]
            n += 1
            try:
                status = kinds[name]()
            except Exception:  # noqa: BLE001 - a refused connection counts as status 0
                status = 0
            with lock:
                stats.setdefault(name, {})
                stats[name][status] = stats[name].get(status, 0) + 1

    def user() -> None:
        rnd = random.Random(0)
        while time.monotonic() < end:
            t = time.perf_counter()
            try:
                r = normal.chat.completions.create(model="jiaxing-gazette",
                                                   messages=[{"role": "user", "content": rnd.choice(questions)}])
                assert r.choices[0].message.content
                normal_lat.append(time.perf_counter() - t)
            except Exception:  # noqa: BLE001 - counted
                normal_errors[0] += 1
            time.sleep(min(rnd.uniform(0.5, 1.5), max(0.0, end - time.monotonic())))

    def sampler() -> None:
        while time.monotonic() < end:
            rss.append(rss_mb(pid))
            time.sleep(0.5)

    threads = [threading.Thread(target=abuser, args=(i,)) for i in range(clients)]
    threads += [threading.Thread(target=user), threading.Thread(target=sampler)]
    try:
        for th in threads:
            th.start()
        for th in threads:
            th.join(seconds + 120)
        after = rss_mb(pid)
    finally:
        stop_server(served)
    rows = [[name, sum(codes.values()), ", ".join(f"{k}×{v}" for k, v in sorted(codes.items()))]
            for name, codes in sorted(stats.items())]
    p95 = pct(normal_lat, 95)
    peak = max(rss)
    ok = normal_errors[0] == 0 and p95 <= 1.0 and peak - idle <= BOUND_MB
    return (table(f"abuse: {clients} clients sending maximal inputs for {seconds:.0f} s", ["attack", "requests",
                                                                                          "status × count"], rows)
            + table(f"the normal user meanwhile (openai SDK on /v1, 0.5-1.5 s pause) — {'PASS' if ok else 'MISS'}",
                    ["questions", "errors", "p50 ms", "p95 ms", "server RSS idle MB", "peak MB", "after MB"],
                    [[len(normal_lat), normal_errors[0], pct(normal_lat, 50) * 1000, p95 * 1000, idle, peak, after]])
            + f"\ntargets: the normal user gets every answer, p95 <= 1000 ms; server peak RSS within {BOUND_MB:.0f} MB"
              f" of idle ({SESSIONS} sessions x {MAX_BODY_BYTES / 1e6:g} MB body bound)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    a = ap.parse_args()
    print(main(a.clients, a.seconds))
