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
