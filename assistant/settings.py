"""One settings object, passed explicitly. Environment variables are read only in `get_settings()`.

Every variable is optional:
    ASSISTANT_CORPUS_DIR, ASSISTANT_INDEX_DIR, ASSISTANT_DATA_DIR   where sources, the built index and feedback live
    ASSISTANT_TODAY=YYYY-MM-DD                                      the date used for validity (tests pin it)
    ASSISTANT_EMBED_MODEL=auto|<name>|<path>                        sentence-transformers model
    ASSISTANT_CHROMA_URL=http://127.0.0.1:8000                      use a Chroma server instead of the embedded one
    ASSISTANT_LLM_BASE_URL / _MODEL / _API_KEY / _TIMEOUT           optional OpenAI-compatible endpoint
    ASSISTANT_HOST / ASSISTANT_PORT / ASSISTANT_AUTH=user:pass      the web page
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


class LLMSettings(Section):
    base_url: str | None = None
    model: str = "qwen2.5-7b-instruct"
    api_key: str = "not-needed"
    timeout_s: float = 20.0

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)


class ServerSettings(Section):
    host: str = "127.0.0.1"
    port: int = 7860
    auth: tuple[str, str] | None = None
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


def get_settings(env: dict | None = None, **overrides) -> Settings:
    """Resolve settings from the environment (or the mapping given), then apply keyword overrides."""
    env = dict(os.environ if env is None else env)
    today = dt.date.fromisoformat(env["ASSISTANT_TODAY"]) if env.get("ASSISTANT_TODAY") else dt.date.today()
    auth = None
    if env.get("ASSISTANT_AUTH") and ":" in env["ASSISTANT_AUTH"]:
        user, _, pw = env["ASSISTANT_AUTH"].partition(":")
        auth = (user, pw)
    settings = Settings(
        corpus_dir=_path(env, "ASSISTANT_CORPUS_DIR", PROJECT_ROOT / "corpus"),
        index_dir=_path(env, "ASSISTANT_INDEX_DIR", PROJECT_ROOT / "index"),
        data_dir=_path(env, "ASSISTANT_DATA_DIR", PROJECT_ROOT / "data"),
        today=today,
        embedding=EmbeddingSettings(model=env.get("ASSISTANT_EMBED_MODEL", "auto")),
        retrieval=RetrievalSettings(chroma_url=env.get("ASSISTANT_CHROMA_URL") or None),
        llm=LLMSettings(
            base_url=env.get("ASSISTANT_LLM_BASE_URL") or None,
            model=env.get("ASSISTANT_LLM_MODEL", LLMSettings().model),
            api_key=env.get("ASSISTANT_LLM_API_KEY", "not-needed"),
            timeout_s=float(env.get("ASSISTANT_LLM_TIMEOUT", 20)),
        ),
        server=ServerSettings(
            host=env.get("ASSISTANT_HOST", "127.0.0.1"),
            port=int(env.get("ASSISTANT_PORT", 7860)),
            auth=auth,
            concurrency=int(env.get("ASSISTANT_CONCURRENCY", ServerSettings().concurrency)),
            queue_max_size=int(env.get("ASSISTANT_QUEUE_MAX", ServerSettings().queue_max_size)),
        ),
    )
    return settings.model_copy(update=overrides) if overrides else settings
