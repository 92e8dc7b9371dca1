"""Classes of everyday questions found while reading colloquial25's development part (2026-11-30, eighth session);
each test phrases its own questions."""

from __future__ import annotations

import pytest

from tests.test_understanding_s5 import bot, first  # noqa: F401 — the same module-scoped assistant and first line

pytestmark = pytest.mark.unit


def test_a_later_question_naming_nothing_new_after_a_refused_one_is_refused_with_it(bot):
    # the gazette names no 鸡舍 insurance; "比例是多少" asks the same again and must not borrow 首台(套)'s 70%
    ans = bot.ask("养鸡的鸡舍保险，保费政府补几成？比例是多少")
    assert ans.kind == "refusal" and "鸡舍保险" in first(ans) and "70%" not in first(ans)
    # a later question with a subject of its own is still answered for itself
    ans = bot.ask("养鸡的鸡舍保险，保费政府补几成？首台套装备保险呢")
    assert "70%" in ans.answer
