"""Long histories: only the recent conversation is read (bounded work), it is said, and repeats do not grow."""

from __future__ import annotations

import pytest

from assistant.answer import MAX_HISTORY_TURNS, Assistant, recent_history
from assistant.followup import resolve_history
from assistant.settings import get_settings
from tests.conftest import TODAY

pytestmark = pytest.mark.unit


def chat(n: int) -> list[dict]:
    h = [{"role": "user", "content": "国家级绿色工厂奖多少"}]
    for _ in range(n):
        h += [{"role": "user", "content": "那省级的呢"}, {"role": "assistant", "content": "省级：50万元"}]
    return h


def test_only_recent_turns_are_read_and_it_is_said():
    kept, note = recent_history(chat(5000))
    assert len(kept) == MAX_HISTORY_TURNS and note and str(MAX_HISTORY_TURNS) in note[0]
    kept, note = recent_history([{"role": "user", "content": "x" * 100_000}] * 3)
    assert sum(len(t["content"]) for t in kept) <= 4000 and note
    assert recent_history(chat(2)) == (chat(2), [])


def test_a_huge_history_is_answered_like_its_recent_part():
    bot = Assistant(get_settings(env={"ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_INDEX_DIR": "/nonexistent"}))
    long, recent = bot.ask("那市级的呢", chat(5000)), bot.ask("那市级的呢", chat(5000)[-MAX_HISTORY_TURNS:])
    assert long.resolved_question == recent.resolved_question and "只参考了最近" in long.answer


def test_repeated_follow_ups_do_not_grow_the_question():
    short = resolve_history("那市级的呢", chat(2))
    assert resolve_history("那市级的呢", chat(40)) == short == "市级绿色工厂奖多少"
