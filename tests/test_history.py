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


def test_batch_keeps_every_line_even_bad_bytes(tmp_path):
    """One invalid UTF-8 byte spoils its own line only; ids (numbers too) are kept; errors are sentences."""
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": 1, "question": "\xe7\x9c\x81\xe7\xba\xa7\xe7\xbb\xbf\xe8\x89\xb2\xe5\xb7\xa5\xe5\x8e\x82\xe5\xa5\x96\xe5\xa4\x9a\xe5\xb0\x91"}\n'
                    b'{"id": "b", "question": "\xff\xfe"}\n{"id": "c", "question": 5}\n[1]\n'
                    b'{"id": 7, "question": "\xe7\xa7\x8d\xe7\xb2\xae\xe8\xa1\xa5\xe8\xb4\xb4\xe5\xa4\x9a\xe5\xb0\x91"}\n')
    out = tmp_path / "out.jsonl"
    p = subprocess.run([sys.executable, "-m", "assistant", "ask", "--batch", str(src), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [1, "b", "c", None, 7] and p.returncode == 1
    assert rows[0]["kind"] == "answer" and rows[4]["kind"] == "answer"
    assert all(r["error"] and "Error" not in r["error"] and "pydantic" not in r["error"] for r in rows[1:4])
    assert "UTF-8" in rows[1]["error"]


# A follow-up is answered within the clause the last reply cited, unless it names a subject of its own.

@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28"}))


def _reply_citing(bot, question):
    ans = bot.ask(question)
    return [{"role": "user", "content": question}, {"role": "assistant", "content": ans.answer}], ans


def test_a_short_value_follow_up_stays_in_the_cited_clause(bot):
    history, first = _reply_citing(bot, "研发投入增量补助是怎么补的")
    assert first.citations[0].clause == "二、（十一）"
    follow = bot.ask("最多能补多少", history)
    assert follow.citations[0].clause == "二、（十一）" and "500万元" in follow.answer.split("原文")[0]


def test_a_follow_up_with_its_own_subject_leaves_the_clause(bot):
    history, first = _reply_citing(bot, "省级绿色工厂奖励多少")
    follow = bot.ask("那小巨人呢", history)
    assert "三、（二十二）" in [c.clause for c in follow.citations]


def test_the_clause_cited_in_a_hand_written_reply_is_read():
    from assistant.answer import Assistant, _cited_in_reply
    from assistant.settings import get_settings

    bot = Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28"}))
    history = [{"role": "user", "content": "保险公司能派人来看鉴定吗"},
               {"role": "assistant", "content": "可以。按嘉司发〔2024〕3号 二、（二）7.，保险机构应当积极派员到场。"}]
    cid = _cited_in_reply(bot, history)
    assert bot.corpus.by_id[cid].path == "二、（二）7."
    assert _cited_in_reply(bot, [{"role": "assistant", "content": "您好，请问有什么可以帮您？"}]) is None
