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
    ("ASSISTANT_AUTH", "staff:"),
])
def test_a_bad_value_is_one_sentence_naming_it(key, value):
    with pytest.raises(SettingsError) as err:
        get_settings(env={key: value})
    assert key in str(err.value) and "\n" not in str(err.value)


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
