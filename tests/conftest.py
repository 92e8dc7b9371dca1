"""Shared fixtures. Every test owns its temp dirs: the index and data directories point into tmp_path, and the
date used for validity is pinned, so no test depends on another or on the day it runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.corpus import Corpus
from assistant.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
CORPUS_FILE = CORPUS_DIR / "jiaxing-gazette-2024-04-05.md"
TODAY = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def env_setup(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS_DIR))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_TODAY", TODAY.isoformat())
    for var in ("ASSISTANT_CHROMA_URL", "ASSISTANT_LLM_BASE_URL", "ASSISTANT_EMBED_MODEL", "ASSISTANT_AUTH"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return Corpus.load(CORPUS_DIR)


@pytest.fixture
def settings():
    return get_settings()


def doc(corpus: Corpus, key: str):
    d = corpus.document(key)
    assert d is not None, key
    return d


# ------------------------------------------------------------------------------------------ a real server


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, url, proc, data_dir, index_dir, log):
        self.url, self.proc, self.data_dir, self.index_dir, self.log = url, proc, data_dir, index_dir, log


def start_server(tmp: Path, extra_env: dict | None = None, timeout: float = 240) -> Served:
    """`assistant serve` in its own process on a free loopback port; returns when the page answers."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    env = dict(os.environ)
    env.update({"ASSISTANT_INDEX_DIR": str(tmp / "index"), "ASSISTANT_DATA_DIR": str(tmp / "data"),
                "ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_PORT": str(port), "HF_HUB_OFFLINE": "1",
                "GRADIO_ANALYTICS_ENABLED": "False"})
    env.update(extra_env or {})
    log = open(tmp / f"serve-{port}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {(tmp / f'serve-{port}.log').read_text()}")
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            return Served(url, proc, tmp / "data", tmp / "index", log)
        except Exception as exc:  # 401 with auth means it is up
            if getattr(exc, "code", None) in (401, 403):
                return Served(url, proc, tmp / "data", tmp / "index", log)
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("server did not start in time")


def stop_server(s: Served) -> None:
    s.proc.terminate()
    try:
        s.proc.wait(timeout=10)
    except Exception:
        s.proc.kill()
    s.log.close()


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("served"))
    yield s
    stop_server(s)
