"""One settings object, passed explicitly. Environment variables are read only in `get_settings()`.

Every variable is optional:
    ASSISTANT_CORPUS_DIR, ASSISTANT_INDEX_DIR, ASSISTANT_DATA_DIR   where sources, the built index and feedback live
    ASSISTANT_TODAY=YYYY-MM-DD                                      the date used for validity (tests pin it)
    ASSISTANT_EMBED_MODEL=auto|<name>|<path>                        sentence-transformers model
    ASSISTANT_CHROMA_URL=http://127.0.0.1:8000                      use a Chroma server instead of the embedded one
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


def _path(env: dict, key: str, default: Path) -> Path:
    return Path(env[key]).expanduser() if env.get(key) else default


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message names the variable, what it needs and what it got."""


def _date(env: dict, key: str) -> dt.date:
    if not env.get(key):
        return dt.date.today()
    try:
        return dt.date.fromisoformat(env[key].strip())
    except ValueError:
        raise SettingsError(f"{key} 应为日期，例如 2026-11-28，收到“{env[key]}”。") from None


def _number(env: dict, key: str, default, kind=int, low=None, high=None):
    raw = env.get(key)
    if raw is None or str(raw).strip() == "":
        return default
    try:
        value = kind(str(raw).strip())
    except ValueError:
        raise SettingsError(f"{key} 应为{'整数' if kind is int else '数字'}，收到“{raw}”。") from None
    if value != value or (low is not None and value < low) or (high is not None and value > high):  # NaN too
        bounds = f"{low} 到 {high}" if high is not None else f"不小于 {low}"
        raise SettingsError(f"{key} 应在 {bounds} 之间，收到“{raw}”。")
    return value


def _auth(env: dict) -> tuple[str, str] | None:
    """user:password, both non-empty. Anything else refuses to start: a typo must never serve without a login."""
    raw = env.get("ASSISTANT_AUTH")
    if not raw:
        return None
    user, sep, pw = raw.partition(":")
    if not sep or not user.strip() or not pw:
        raise SettingsError("ASSISTANT_AUTH 应为“用户名:密码”（两者都不能为空），未启动，以免在没有登录保护的情况下提供服务。")
    return user.strip(), pw


def _api_key(env: dict) -> str | None:
    """The Bearer key API clients (OpenAI-compatible, MCP) send. A short or odd key refuses to start, as a malformed
    ASSISTANT_AUTH does: 16 characters of [A-Za-z0-9._~+/=-] at least, e.g. `python -c "import secrets;
    print(secrets.token_urlsafe(24))"`."""
    raw = env.get("ASSISTANT_API_KEY")
    if raw is None or raw == "":
        return None
    if len(raw) < 16 or not all(c.isascii() and (c.isalnum() or c in "._~+/=-") for c in raw):
        raise SettingsError("ASSISTANT_API_KEY 应为至少16位的字母、数字或 ._~+/=- 字符（不含空格），未启动。")
    return raw


def get_settings(env: dict | None = None, **overrides) -> Settings:
    """Resolve settings from the environment (or the mapping given), then apply keyword overrides. A value that
    cannot be used raises SettingsError with one sentence naming it."""
    env = dict(os.environ if env is None else env)
    today = _date(env, "ASSISTANT_TODAY")
    auth = _auth(env)
    api_key = _api_key(env)
    settings = Settings(
        corpus_dir=_path(env, "ASSISTANT_CORPUS_DIR", PROJECT_ROOT / "corpus"),
        index_dir=_path(env, "ASSISTANT_INDEX_DIR", PROJECT_ROOT / "index"),
        data_dir=_path(env, "ASSISTANT_DATA_DIR", PROJECT_ROOT / "data"),
        today=today,
        embedding=EmbeddingSettings(model=env.get("ASSISTANT_EMBED_MODEL", "auto")),
        retrieval=RetrievalSettings(chroma_url=env.get("ASSISTANT_CHROMA_URL") or None,
                                    reconnect_s=_number(env, "ASSISTANT_CHROMA_RETRY_S", 30.0, float, low=0.1,
                                                        high=86400)),
        llm=LLMSettings(
            base_url=env.get("ASSISTANT_LLM_BASE_URL") or None,
            model=env.get("ASSISTANT_LLM_MODEL", LLMSettings().model),
            api_key=env.get("ASSISTANT_LLM_API_KEY", "not-needed"),
            timeout_s=_number(env, "ASSISTANT_LLM_TIMEOUT", 20.0, float, low=0.1, high=3600),
            breaker_failures=_number(env, "ASSISTANT_LLM_BREAKER_FAILURES", LLMSettings().breaker_failures,
                                     low=1, high=1000),
            breaker_cooldown_s=_number(env, "ASSISTANT_LLM_BREAKER_COOLDOWN", LLMSettings().breaker_cooldown_s,
                                       float, low=0, high=86400),
        ),
        server=ServerSettings(
            host=env.get("ASSISTANT_HOST", "127.0.0.1"),
            port=_number(env, "ASSISTANT_PORT", 7860, low=1, high=65535),
            auth=auth,
            api_key=api_key,
            concurrency=_number(env, "ASSISTANT_CONCURRENCY", ServerSettings().concurrency, low=1, high=1000),
            queue_max_size=_number(env, "ASSISTANT_QUEUE_MAX", ServerSettings().queue_max_size, low=1, high=100000),
        ),
    )
    return settings.model_copy(update=overrides) if overrides else settings
