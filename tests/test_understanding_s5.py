"""Classes of everyday questions found while reading colloquial14's and colloquial15's development parts (2026-11-30,
fifth session); each test phrases its own questions."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.settings import get_settings
from assistant.statements import THRESHOLD_Q, wanted_kinds
from tests.conftest import TODAY

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_INDEX_DIR": "/nonexistent"}))


def first(ans) -> str:
    return ans.answer.split("\n")[0]


def test_a_grant_rate_is_not_a_clause_rate_of_something_else(bot):
    # 13号（七）'s only rate is 更新率60%: no share of a purchase is granted there
    ans = bot.ask("家里想把老拖拉机换成新的，政府补几成")
    assert ans.kind == "refusal" and first(ans).startswith("本期公报没有规定这项补贴的具体比例")
    assert "60%" not in first(ans).split("原文")[0]


def test_a_sum_asked_of_awards_the_gazette_leaves_uncombined_is_given_with_the_caveat(bot):
    ans = bot.ask("单位拿了两项省科学技术奖，一个一等奖一个二等奖，都是第一完成单位，市里一共配套多少")
    assert ans.calculation is not None and len(ans.calculation["items"]) == 2
    total = sum(i["amount_yuan"] for i in ans.calculation["items"])
    assert ans.calculation["amount_yuan"] == total and "合计" in ans.answer and "叠加" in ans.answer


def test_growth_speed_asks_a_rate():
    assert wanted_kinds("营收增速要超过多少") == {"percent", "ratio"}
    assert wanted_kinds("营收增幅要几个点") == {"percent", "ratio"}


@pytest.mark.parametrize("q", ["门槛多少", "投多少钱以上才够格", "起步要多少", "至少要多少", "营收要达到多少"])
def test_threshold_questions(q):
    assert THRESHOLD_Q.search(q)


@pytest.mark.parametrize("q", ["奖励多少", "最多补多少", "一共多少钱"])
def test_not_threshold_questions(q):
    assert not THRESHOLD_Q.search(q)


def test_a_threshold_asked_is_the_qualifying_figure_not_the_award(bot):
    line = first(bot.ask("厂里想上智能产线，投多少钱以上才够格拿技改补助"))
    assert "2000万元" in line and "1500万元" not in line and "5%" not in line
    line = first(bot.ask("做批发零售的企业，拿营收奖励的门槛多少"))
    assert all(x in line for x in ("20亿元", "10亿元", "5亿元"))


def test_a_follow_up_naming_the_clause_category_in_everyday_words_stays_in_the_clause(bot):
    history = [{"role": "user", "content": "快递公司营收第一次过一个亿有奖励吗"},
               {"role": "assistant", "content": "根据嘉政发〔2024〕14号第三部分第（一）条，年主营业务收入首次超过1亿元的"
                                                "科技信息、物流运输、商务服务类企业，给予50万元奖励。"}]
    ans = bot.ask("那搞批发零售的呢，门槛是多少", history)
    assert ans.kind == "answer" and "20亿元" in first(ans) and ans.calculation is None


def test_a_later_question_that_names_its_own_clause_is_not_read_within_the_one_before(bot):
    ans = bot.ask("鉴定结果我们不认可怎么办？申请重新鉴定的话，还能让原来那个鉴定机构做吗")
    assert any(c.clause.endswith("3.") for c in ans.citations)
    assert "原司法鉴定机构以外" in ans.answer


def test_a_fee_or_a_vague_sum_asked_is_a_money_question(bot):
    ans = bot.ask("做一次伤残鉴定要收多少钱，收费标准哪里有规定")
    assert ans.kind == "refusal" and first(ans).startswith("本期公报没有规定这项收费的具体金额")
    from assistant.compose import MONEY_INTENT
    assert MONEY_INTENT.search("评上了能奖几十万") and MONEY_INTENT.search("听说给了几百万")
    assert not MONEY_INTENT.search("几万人参加")


def test_a_permission_question_with_a_few_asks_no_number(bot):
    ans = bot.ask("鉴定的时候我在旁边拍几张照片可以吗")
    assert not first(ans).startswith("本期公报没有规定这项的具体数值")
    assert "拍照" in ans.answer


def test_the_verb_after_who_is_asked_names_no_subject(bot):
    from assistant.answer import _without_who
    assert _without_who("这事找哪个部门对接") == "这事找"
    assert "充电桩" in _without_who("找哪个部门申请充电桩补贴")  # a subject after the verb stays
    history = [{"role": "user", "content": "老旧小区加装电梯今年要装多少台"},
               {"role": "assistant", "content": "根据嘉政发〔2024〕13号第（四）条，……"}]
    ans = bot.ask("这个找哪个部门联系", history)
    assert first(ans).startswith("嘉政发〔2024〕13号 一、（四）的责任单位")


@pytest.mark.parametrize("q, yes", [("新增多少技能人才", True), ("要培育多少企业", True), ("换多少条", True),
                                    ("补多少钱", False), ("奖励多少", False), ("多少比例", False), ("要多少时间", False),
                                    ("投了多少资金", False)])
def test_a_count_asked_of_a_noun(q, yes):
    from assistant.statements import asks_count
    assert asks_count(q) is yes


def test_a_count_question_prefers_the_clause_that_counts(bot):
    # 10号（五十九） names 高技能人才资金 (亿元); （二十七） says how many 技能人才 are added
    line = first(bot.ask("我学生想去读技校，市里2024年要新增多少技能人才"))
    assert "万名" in line and "亿元" not in line


def test_the_asked_slot_joins_the_askers_phrase(bot):
    from assistant.answer import _phrases
    assert any(p.startswith("新增技能") for p in _phrases(bot.corpus, "说要新增多少技能人才"))


def test_what_about_a_sibling_named_by_its_heading(bot):
    history = [{"role": "user", "content": "家电以旧换新一年办几场促销"},
               {"role": "assistant", "content": "根据嘉政发〔2024〕13号第（十二）条，每年组织开展以旧换新促销、家博会等大型活动不少于10场。"}]
    ans = bot.ask("那汽车呢", history)
    assert ans.citations and ans.citations[0].clause.endswith("（十一）")
    assert "汽车" in first(ans) and not first(ans).startswith("本期公报中有以下相关条款")  # that one, not a list


@pytest.mark.parametrize("q", ["市里给不给补贴", "这种设备补不补", "现在办不办", "那边行不行"])
def test_any_a_not_a_form_asks(q):
    from assistant.parts import split_parts
    assert split_parts(q)[0].asks


def test_pinyin_typed_apart_spells_a_phrase_of_the_text(bot):
    from assistant.answer import _respelled
    assert "人力资源服务券" in _respelled(bot.corpus, "有个 renliziyuan fuwu quan 是啥")
    assert "人力资源" in _respelled(bot.corpus, "renliziyuan 那块")  # a phrase no single indexed word spells
    assert "smart scenic spot" in _respelled(bot.corpus, "景区想升级成 smart scenic spot")  # English stays


def test_shi_of_when_is_grammar_not_a_typo(bot):
    from assistant.answer import _respelled
    assert "视听" not in _respelled(bot.corpus, "上班时听同事说的")


def test_a_rate_asked_is_answered_by_the_sentence_that_states_it(bot):
    line = first(bot.ask("营收首次过线拿过奖的企业，之后营收增速要超过多少还有奖励"))
    assert "15%" in line and "亿元" not in line
    assert "1.5" in bot.ask("工业用地容积率一般不低于多少").answer  # a named rate that is a plain number


def test_a_word_the_gazette_does_not_use_names_a_figure_by_its_nearest_word(bot):
    if bot.corpus.soft is None:
        pytest.skip("no word vectors here")
    line = first(bot.ask("那种新式渔船要建几艘"))
    assert "3艘" in line and "150艘" not in line


def test_a_typo_inside_a_phrase_of_two_gazette_words(bot):
    from assistant.answer import _respelled
    assert "技能人才" in _respelled(bot.corpus, "计划新增多少技能人材")  # 技能 + 人才: no single indexed word
    assert "市级财政" in _respelled(bot.corpus, "嘉兴市级财政投了多少")  # 嘉兴市积(极) is no phrase


def test_a_charge_asked_is_answered_by_its_rate(bot):
    line = first(bot.ask("想贷款开个小店，政府那个融资担保，担保费一般收多少"))
    assert "1%" in line and not line.startswith("本期公报没有规定")
