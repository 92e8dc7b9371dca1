"""Configuration is validated at start: one clear sentence per bad value, and auth that fails closed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.settings import SettingsError, get_settings
from tests.conftest import ROOT

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("key, value", [
    ("ASSISTANT_TODAY", "2026-13-45"), ("ASSISTANT_LLM_TIMEOUT", "abc"), ("ASSISTANT_LLM_TIMEOUT", "nan"),
    ("ASSISTANT_PORT", "http"), ("ASSISTANT_PORT", "70000"), ("ASSISTANT_CONCURRENCY", "0"),
    ("ASSISTANT_QUEUE_MAX", "-3"), ("ASSISTANT_AUTH", "staffonly"), ("ASSISTANT_AUTH", ":secret"),
    ("ASSISTANT_AUTH", "staff:"), ("ASSISTANT_AUTH", '["", ""]'), ("ASSISTANT_AUTH", '["staff", "pw"]'),
    ("ASSISTANT_LLM_BASE_URL", "localhost:8000/v1"), ("ASSISTANT_LLM_BASE_URL", "ftp://x"),
    ("ASSISTANT_CHROMA_RETRY_S", "0"), ("ASSISTANT_LLM_TIMEOUT", "inf"), ("ASSISTANT_TODAY", "1700000000"),
])
def test_a_bad_value_is_one_sentence_naming_it(key, value):
    with pytest.raises(SettingsError) as err:
        get_settings(env={key: value})
    assert key in str(err.value) and "\n" not in str(err.value)


def test_every_bad_value_is_named_at_once_and_secrets_are_not_echoed():
    with pytest.raises(SettingsError) as err:
        get_settings(env={"ASSISTANT_PORT": "http", "ASSISTANT_TODAY": "2026-13-45", "ASSISTANT_API_KEY": "short secret",
                          "ASSISTANT_AUTH": "staffonly-secret"})
    text = str(err.value)
    assert all(k in text for k in ("ASSISTANT_PORT", "ASSISTANT_TODAY", "ASSISTANT_API_KEY", "ASSISTANT_AUTH"))
    assert "\n" not in text and "secret" not in text and "Traceback" not in text


def test_an_empty_variable_is_unset_and_a_given_mapping_is_all_that_is_read(monkeypatch):
    monkeypatch.setenv("ASSISTANT_PORT", "9999")
    s = get_settings(env={"ASSISTANT_HOST": "", "ASSISTANT_LLM_MODEL": "", "ASSISTANT_PORT": ""})
    assert (s.server.host, s.server.port, s.llm.model) == ("127.0.0.1", 7860, "qwen2.5-7b-instruct")
    assert get_settings().server.port == 9999


def test_good_values_are_read():
    s = get_settings(env={"ASSISTANT_TODAY": "2026-11-28", "ASSISTANT_LLM_TIMEOUT": "2.5", "ASSISTANT_PORT": "8080",
                          "ASSISTANT_AUTH": "staff:pa:ss", "ASSISTANT_CONCURRENCY": "4"})
    assert (s.today.isoformat(), s.llm.timeout_s, s.server.port, s.server.auth, s.server.concurrency) == \
        ("2026-11-28", 2.5, 8080, ("staff", "pa:ss"), 4)


def test_serve_refuses_to_start_without_a_valid_login():
    import os

    env = {**os.environ, "ASSISTANT_AUTH": "staffonly", "ASSISTANT_PORT": "0"}
    p = subprocess.run([sys.executable, "-m", "assistant", "serve"], capture_output=True, text=True, cwd=ROOT, env=env,
                       timeout=60)
    assert p.returncode == 2 and "ASSISTANT_AUTH" in p.stderr and "Traceback" not in p.stderr


def test_without_variables_the_defaults_are_what_pydantic_settings_reads_from_nothing():
    from assistant.environment import read_environment

    assert get_settings(env={}) == read_environment({}) == get_settings(env={"ASSISTANT_PORT": "7860"})
