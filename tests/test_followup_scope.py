"""A follow-up after a reply that cited one clause: asked in its own words within that clause."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.settings import get_settings

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28", "ASSISTANT_INDEX_DIR": "/nonexistent"}))


def test_a_follow_up_with_a_word_of_the_cited_clause_is_asked_in_its_own_words(bot):
    history = [{"role": "user", "content": "老房子加装电梯到2027年要装多少台"},
               {"role": "assistant", "content": "既有住宅加装电梯达到400台。\n——嘉政发〔2024〕13号 一、（四）"}]
    ans = bot.ask("那老电梯大修的呢，几台", history)
    assert ans.answer.split("\n")[0].startswith("完成老旧住宅电梯更新(升级、大修)320台")


def test_an_everyday_word_beside_the_clause_words_keeps_the_follow_up_in_the_clause(bot):
    history = [{"role": "user", "content": "土特产全产业链要建几条"},
               {"role": "assistant", "content": "建设7条。\n——嘉政发〔2024〕10号 七、（五十四）"}]
    ans = bot.ask("那种大棚的贷款能贴息吗", history)  # 大棚: a gazette word elsewhere, 贷款贴息: this clause
    assert ans.citations[0].clause == "七、（五十四）" and "贷款贴息" in ans.citations[0].quote
    assert "7条" not in ans.citations[0].quote


def test_a_follow_up_naming_another_subject_leaves_the_clause(bot):
    history = [{"role": "user", "content": "省级绿色工厂奖多少"},
               {"role": "assistant", "content": "50万元。\n——嘉政发〔2024〕10号 三、（二十）"}]
    ans = bot.ask("那小巨人呢", history)
    assert "三、（二十二）" in [c.clause for c in ans.citations]  # the other clause is answered too


def test_a_short_follow_up_in_words_of_the_cited_clause_stays_in_it_and_is_asked_in_them(bot):
    history = [{"role": "user", "content": "出口信用保险保费补几成"},
               {"role": "assistant", "content": "最高65%。\n——嘉政发〔2024〕10号 六、（四十五）"}]
    ans = bot.ask("单家企业最多补多少", history)  # 企业 stands in the clause: no subject of its own
    assert ans.citations[0].clause == "六、（四十五）" and "500万元" in ans.answer.split("\n")[0]


def test_a_follow_up_that_only_names_another_subject_takes_the_previous_predicate(bot):
    history = [{"role": "user", "content": "张国强免了什么职务"},
               {"role": "assistant", "content": "免去张国强的嘉兴市长三角一体化发展办公室副主任…职务。"}]
    ans = bot.ask("许峰呢", history)
    assert "许峰" in ans.answer and "张国强" not in ans.answer


def test_a_follow_up_naming_a_new_subject_with_the_askers_story_is_answered_by_a_clause_naming_it(bot):
    history = [{"role": "user", "content": "全市新增公共充电桩多少根"},
               {"role": "assistant", "content": "2200根。\n——嘉政发〔2024〕10号 六、（四十三）"}]
    ans = bot.ask("那农村的呢？我家在乡下", history)
    assert ans.citations[0].clause == "七、（五十二）" and "1000根" in ans.answer.split("\n")[0]
