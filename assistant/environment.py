"""The ASSISTANT_* variables read by pydantic-settings: typed, bounded, and each bad value told in one Chinese
sentence that names it (assistant/settings.py documents the variables; `get_settings` is the way in)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

from annotated_types import Ge, Le
from pydantic import Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict
from pydantic_settings.sources.utils import parse_env_vars

from .settings import (PREFIX, PROJECT_ROOT, EmbeddingSettings, LLMSettings, RetrievalSettings, ServerSettings, Settings,
                       SettingsError)

_API_KEY_CHARS = frozenset("._~+/=-")


class Environment(BaseSettings):
    """The ASSISTANT_* variables as pydantic-settings reads them: each field is `ASSISTANT_<NAME>`, an empty variable
    counts as unset, and pydantic checks types and bounds. `get_settings` turns this flat record into `Settings`."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, case_sensitive=False, env_ignore_empty=True, extra="ignore",
                                      frozen=True)

    corpus_dir: Path | None = None
    index_dir: Path | None = None
    data_dir: Path | None = None
    today: dt.date | None = Field(default=None, description="日期，例如 2026-11-28")
    embed_model: str = "auto"
    chroma_url: str | None = None
    chroma_retry_s: float = Field(default=30.0, ge=0.1, le=86400, allow_inf_nan=False)
    llm_base_url: str | None = Field(default=None, description="以 http:// 或 https:// 开头的地址")
    llm_model: str = LLMSettings().model
    llm_api_key: str = LLMSettings().api_key
    llm_timeout: float = Field(default=LLMSettings().timeout_s, ge=0.1, le=3600, allow_inf_nan=False)
    llm_breaker_failures: int = Field(default=LLMSettings().breaker_failures, ge=1, le=1000)
    llm_breaker_cooldown: float = Field(default=LLMSettings().breaker_cooldown_s, ge=0, le=86400, allow_inf_nan=False)
    host: str = ServerSettings().host
    port: int = Field(default=ServerSettings().port, ge=1, le=65535)
    auth: str | None = Field(default=None, description="user:password")  # a string: never JSON-decoded
    api_key: str | None = None
    concurrency: int = Field(default=ServerSettings().concurrency, ge=1, le=1000)
    queue_max: int = Field(default=ServerSettings().queue_max_size, ge=1, le=100000)

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return (init_settings,)  # only what get_settings hands over: no .env file, no secrets directory

    @field_validator("corpus_dir", "index_dir", "data_dir")
    @classmethod
    def _home(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @field_validator("today", mode="before")
    @classmethod
    def _iso_date(cls, value):
        """ISO dates only: pydantic alone would also take a number of seconds since 1970 as a date."""
        return dt.date.fromisoformat(value.strip()) if isinstance(value, str) else value

    @field_validator("llm_base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s:]+(:\d+)?(/\S*)?$", value.strip()):
            raise ValueError("not an http(s) URL")
        return value.strip() if value else None

    @field_validator("auth")
    @classmethod
    def _user_password(cls, value: str | None) -> str | None:
        """user:password, both non-empty. Anything else refuses to start: a typo must never serve without a login."""
        if value is not None:
            user, sep, password = value.partition(":")
            if not sep or not user.strip() or not password:
                raise PydanticCustomError("auth", "ASSISTANT_AUTH 应为“用户名:密码”（两者都不能为空），未启动，"
                                                  "以免在没有登录保护的情况下提供服务。")
        return value

    @field_validator("api_key")
    @classmethod
    def _bearer_key(cls, value: str | None) -> str | None:
        """The Bearer key API clients (OpenAI-compatible, MCP) send: 16 characters of [A-Za-z0-9._~+/=-] at least,
        e.g. `python -c "import secrets; print(secrets.token_urlsafe(24))"`. Never echoed back."""
        if value is not None and (len(value) < 16 or
                                  not all(c.isascii() and (c.isalnum() or c in _API_KEY_CHARS) for c in value)):
            raise PydanticCustomError("api_key", "ASSISTANT_API_KEY 应为至少16位的字母、数字或 ._~+/=- 字符（不含空格），未启动。")
        return value


class _Variables(EnvSettingsSource):
    """pydantic-settings' environment source (prefix, case, empty = unset) over a given mapping: os.environ, or the
    variables a test passes to get_settings(env=...)."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self._variables = variables
        super().__init__(Environment)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._variables, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


def _sentence(error: dict, variables: Mapping[str, str]) -> str:
    """One sentence for one bad value: the variable, what it needs (from the field's type and bounds), what it got."""
    name = str(error["loc"][0])
    var = PREFIX + name.upper()
    if error["type"] in ("auth", "api_key"):
        return error["msg"]
    field = Environment.model_fields[name]
    low = next((m.ge for m in field.metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in field.metadata if isinstance(m, Le)), None)
    kind = "整数" if field.annotation is int else "数字"
    if low is not None and high is not None:
        needs = f"应为 {low} 到 {high} 之间的{kind}"
    else:
        needs = f"应为{field.description or kind}"
    return f"{var} {needs}，收到“{variables.get(var, error.get('input'))}”。"


def _login(auth: str | None) -> tuple[str, str] | None:
    if auth is None:
        return None
    user, _, password = auth.partition(":")
    return user.strip(), password


def read_environment(variables: Mapping[str, str]) -> Settings:
    """Settings from these variables; SettingsError names every bad one."""
    try:
        e = Environment(**_Variables(variables)())
    except ValidationError as exc:
        raise SettingsError(" ".join(dict.fromkeys(_sentence(err, variables) for err in exc.errors()))) from None
    return Settings(
        corpus_dir=e.corpus_dir or PROJECT_ROOT / "corpus",
        index_dir=e.index_dir or PROJECT_ROOT / "index",
        data_dir=e.data_dir or PROJECT_ROOT / "data",
        today=e.today or dt.date.today(),
        embedding=EmbeddingSettings(model=e.embed_model),
        retrieval=RetrievalSettings(chroma_url=e.chroma_url, reconnect_s=e.chroma_retry_s),
        llm=LLMSettings(base_url=e.llm_base_url, model=e.llm_model, api_key=e.llm_api_key, timeout_s=e.llm_timeout,
                        breaker_failures=e.llm_breaker_failures, breaker_cooldown_s=e.llm_breaker_cooldown),
        server=ServerSettings(host=e.host, port=e.port, auth=_login(e.auth), api_key=e.api_key,
                              concurrency=e.concurrency, queue_max_size=e.queue_max),
    )
