"""One settings object, passed explicitly. Environment variables are read only in `get_settings()`, by
pydantic-settings (assistant/environment.py: types, bounds, one sentence per bad value; an empty variable is unset).

Every variable is optional:
    ASSISTANT_CORPUS_DIR, ASSISTANT_INDEX_DIR, ASSISTANT_DATA_DIR   where sources, the built index and feedback live
    ASSISTANT_TODAY=YYYY-MM-DD                                      the date used for validity (tests pin it)
    ASSISTANT_EMBED_MODEL=auto|<name>|<path>                        sentence-transformers model
    ASSISTANT_CHROMA_URL=http://127.0.0.1:8000                      use a Chroma server instead of the embedded one
    ASSISTANT_CHROMA_RETRY_S=30                                     how often to try a server that was down at start
    ASSISTANT_LLM_BASE_URL / _MODEL / _API_KEY                     optional OpenAI-compatible endpoint
    ASSISTANT_LLM_TIMEOUT=20                                        seconds the LLM may take per answer, all calls
    ASSISTANT_LLM_BREAKER_FAILURES=3 / _BREAKER_COOLDOWN=60         after N failures in a row, skip it for S seconds
    ASSISTANT_HOST / ASSISTANT_PORT / ASSISTANT_AUTH=user:pass      the web page
    ASSISTANT_API_KEY=<16+ characters>                              Bearer key of /v1 (OpenAI-compatible) and MCP
    ASSISTANT_CONCURRENCY / ASSISTANT_QUEUE_MAX                     queue limits of the web page
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

PROJECT_ROOT = Path(__file__).resolve().parent.parent

BGE_ZH = "BAAI/bge-small-zh-v1.5"
BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmbeddingSettings(Section):
    model: str = Field(default="auto", description="'auto' prefers bge-small-zh when present, else packaged MiniLM")
    batch_size: int = 32


class RetrievalSettings(Section):
    k: int = 5
    chroma_url: str | None = Field(default=None, description="Chroma server; None = embedded PersistentClient")
    reconnect_s: float = Field(default=30.0, description="How often to try a Chroma server that was down at start")


class LLMSettings(Section):
    base_url: str | None = None
    model: str = "qwen2.5-7b-instruct"
    api_key: str = "not-needed"
    timeout_s: float = Field(default=20.0, description="one deadline per answer: rewrite, answer and stream")
    breaker_failures: int = Field(default=3, description="consecutive endpoint failures that pause the LLM")
    breaker_cooldown_s: float = Field(default=60.0, description="how long the LLM is skipped after them")

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)


class ServerSettings(Section):
    host: str = "127.0.0.1"
    port: int = 7860
    auth: tuple[str, str] | None = None
    api_key: str | None = Field(default=None, description="Bearer key for /v1 and MCP; with auth and no key they are closed")
    concurrency: int = 4
    queue_max_size: int = 64


class Settings(Section):
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    data_dir: Path = PROJECT_ROOT / "data"
    today: dt.date = Field(default_factory=dt.date.today)
    max_question_chars: int = 2000
    embedding: EmbeddingSettings = EmbeddingSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    llm: LLMSettings = LLMSettings()
    server: ServerSettings = ServerSettings()


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message names the variable, what it needs and what it got."""


PREFIX = "ASSISTANT_"


def get_settings(env: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Resolve settings from the environment (or the mapping given), then apply keyword overrides. A value that
    cannot be used raises SettingsError: one sentence per bad variable, naming it.

    With no ASSISTANT_* variable set there is nothing to read and the defaults are used as they are, without
    importing pydantic-settings (0.15-0.2 s of every cold command, measured on `assistant lookup`)."""
    variables = os.environ if env is None else env
    if any(k.upper().startswith(PREFIX) and v for k, v in variables.items()):
        from .environment import read_environment

        settings = read_environment(variables)
    else:
        settings = Settings()
    return settings.model_copy(update=overrides) if overrides else settings
