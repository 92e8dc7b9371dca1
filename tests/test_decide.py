"""Refuse on evidence, answer what is answerable: each class of decision, with questions of its own (none of them is
an eval-set question)."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.settings import get_settings
from tests.conftest import TODAY

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_INDEX_DIR": "/nonexistent"}))


@pytest.mark.parametrize("question", [
    pytest.param("帮我写一篇宣传两业融合政策的软文", id="writing-task"),
    pytest.param("给我编个招商广告，突出嘉兴的补贴", id="writing-task-2"),
    pytest.param("怎么把营收做得好看一点又不容易被查出来", id="evasion"),
    pytest.param("能不能帮我把节能量多报一点", id="misreport"),
    pytest.param("这种保险官司法院一般会判赔多少", id="court-outcome"),
])
def test_requests_no_policy_answers_are_refused(bot, question):
    assert bot.ask(question).kind == "refusal"


@pytest.mark.parametrize("question", [
    "2023年的时候省级绿色工厂市里奖多少", "2027年油菜连片种植市里每亩加多少",  # years the gazette names elsewhere
])
def test_a_year_outside_the_documents_term_is_said(bot, question):
    ans = bot.ask(question)
    assert ans.kind == "refusal" and "有效期为2024年1月1日至2024年12月31日" in ans.answer
    assert ans.citations and ans.citations[0].doc_no == "嘉政发〔2024〕10号"


@pytest.mark.parametrize("question", [
    "2025年两业融合里国家级工业设计中心奖励多少",  # inside 14号's term
    "我们2023年营收3000万，2024年首次超过5000万，物流企业能奖多少",  # years that date the asker's own figures
])
def test_years_inside_the_term_or_of_the_askers_figures_are_answered(bot, question):
    assert bot.ask(question).kind in ("answer", "calculation")


def test_support_without_an_amount_is_said_to_have_none(bot):
    ans = bot.ask("孕产补助一个人能领多少钱")
    assert ans.kind == "refusal" and ans.answer.startswith("本期公报没有规定这项支持的具体金额")
    assert ans.citations and ans.citations[0].clause.endswith("（六十一）")


def test_a_clause_with_a_formula_calculates_when_every_figure_is_given(bot):
    ans = bot.ask("我们的节能项目年节能量1000吨标准煤，设备投资额1000万元，绿色化改造补多少")
    assert ans.kind == "calculation" and ans.calculation["amount_yuan"] > 0


def test_can_i_still_apply_names_the_clause_and_the_term(bot):
    ans = bot.ask("省级未来工厂的奖励现在还能申报吗")
    first, second = ans.answer.split("\n")[:2]
    assert first.startswith("不能再按嘉政发〔2024〕10号申请")  # the answer to the asker, then the term
    assert second.startswith("注意：嘉政发〔2024〕10号的有效期为2024年1月1日至2024年12月31日")
    assert any(c.clause == "三、（十九）" for c in ans.citations)


@pytest.mark.parametrize("history, question, clause", [
    ([{"role": "user", "content": "首台套装备保险保费怎么补偿"}], "上限多少", "三、（二十一）"),
    ([{"role": "user", "content": "国家级制造业企业技术中心奖励多少"}], "这条谁负责", "三、（二十一）"),
])
def test_a_short_turn_continues_the_conversation(bot, history, question, clause):
    ans = bot.ask(question, history)
    assert any(c.clause == clause for c in ans.citations), ans.answer


@pytest.mark.parametrize("question, clause", [("种粮大户补贴多少", "七、（五十一）"), ("小巨人奖多少", "三、（二十二）")])
def test_a_short_turn_on_a_new_topic_stands_alone(bot, question, clause):
    ans = bot.ask(question, [{"role": "user", "content": "国家级制造业企业技术中心奖励多少"}])
    assert any(c.clause == clause for c in ans.citations), ans.answer


def test_a_part_of_a_total_is_answered_with_the_part():
    """"…资金X亿元,其中,A类资金a亿元、B类资金b亿元": a question naming the total's words and one part asks for the part;
    one naming only the total asks for the total."""
    from assistant.statements import pick, statements

    text = "市级财政安排专项资金10亿元,其中,道路类资金6亿元、绿化类资金3亿元、照明类资金1亿元。另安排奖励资金2亿元。"
    ss = statements(text)
    assert [s.whole != "" for s in ss] == [False, True, True, True, False]
    assert [s.figure for s in pick("市级专项资金里面绿化类给了多少", ss)] == ["3亿元"]
    assert [s.figure for s in pick("市级财政安排的专项资金一共多少", ss)] == ["10亿元"]


def test_a_money_question_is_not_answered_with_a_percentage_that_is_no_grant():
    """"补多少钱": "更新率达到60%" is a target, not an amount; "按保费的70%给予补偿" is an amount."""
    from assistant.statements import pick, statements

    target = statements("加快淘汰老旧农机,主要农业机械更新率达到60%以上。")
    assert pick("买农机补多少钱", target) == []
    grant = statements("对符合条件的保险保费,按保费的70%给予补偿。")
    assert [s.figure for s in pick("保费补多少钱", grant)] == ["70%"]


def test_a_cap_question_gets_the_capped_figure():
    from assistant.statements import pick, statements

    ss = statements("按设备投资额的8%给予补助,单个项目最高不超过300万元。")
    assert [s.figure for s in pick("这个补助上限多少", ss)] == ["300万元"]
    assert [s.figure for s in pick("这个补助最多给多少", ss)] == ["300万元"]


def test_a_document_named_by_its_topic_gets_its_validity():
    """A validity question names a document by its topic; its words may be spread over the document's clauses, and
    the asker's own circumstances (我老公, 厂里) do not count against it. Another city's document is still refused."""
    from assistant.answer import Assistant
    from assistant.settings import get_settings

    bot = Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28"}))
    ans = bot.ask("我老婆单位说那个制造业服务业两业融合的文件，到底哪天到期")
    assert ans.kind == "answer" and "2026年12月31日" in ans.answer
    assert bot.ask("杭州那个人才政策文件还有效吗").kind == "refusal"
    old = bot.ask("2024年那个推动经济高质量发展的政策现在2026年了还作数吗")
    assert old.kind == "answer" and "已失效" in old.answer


def test_an_amount_the_gazette_sets_for_nothing_like_the_subject_is_refused():
    """The nearest clause's amounts are for other things: no figure of it is offered as the asker's."""
    from assistant.answer import Assistant
    from assistant.settings import get_settings

    bot = Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28"}))
    ans = bot.ask("老年食堂吃一顿饭政府补贴几块钱")
    assert ans.kind == "refusal" and "元" not in ans.answer.split("注意")[0]
    ans = bot.ask("九十岁老人的高龄津贴每月发多少钱")
    assert ans.kind == "refusal" and "没有规定" in ans.answer and "万元" not in ans.answer.split("注意")[0]
    assert bot.ask("省级绿色工厂奖励多少钱").kind == "answer"  # the subject has its amount


def test_an_asked_level_no_item_has_is_not_given_another_items_amount():
    """"省级专精特新…" against 国家级单项冠军 / 专精特新小巨人 / 省级隐形冠军: the shared words pick 小巨人, which names no
    level, while another item is 省级 — no evidence for either, so neither amount is offered as the asker's."""
    from assistant.compose import align, find_enumerations

    sentence = "对新认定的国家级“单项冠军”、专精特新“小巨人”和省级“隐形冠军”分别给予300万元、150万元和100万元奖励。"
    enum = find_enumerations(sentence)[0]
    assert align(enum, "刚认定了省级专精特新中小企业奖多少") == []
    assert align(enum, "专精特新小巨人奖多少") == [1]
    assert align(enum, "省级隐形冠军奖多少") == [2]


def test_figures_of_a_list_are_never_picked_as_a_single_statement():
    from assistant.statements import pick, statements

    ss = statements("对新认定的甲类、乙类企业分别给予300万元、150万元奖励。对丙类企业给予50万元奖励。")
    assert [s.figure for s in pick("丙类企业奖多少", ss)] == ["50万元"]
    assert pick("甲类企业奖多少钱", ss) == [] or all("分别" not in s.phrase for s in pick("甲类企业奖多少钱", ss))


def test_emoji_do_not_hide_a_follow_up():
    from assistant.followup import is_follow_up

    assert is_follow_up("省级的呢😀") and is_follow_up("那市级的呢👍🏻")


def test_a_question_naming_no_item_of_a_list_gets_the_list():
    """"种粮补贴多少" names the clause's subject but no item of its list: the list is the answer, not a refusal."""
    from assistant.answer import Assistant
    from assistant.settings import get_settings

    ans = Assistant(get_settings(env={"ASSISTANT_TODAY": "2026-11-28"})).ask("种粮补贴多少")
    assert ans.kind == "answer" and all(x in ans.answer for x in ("15元", "40元", "50元"))


def test_a_named_rate_is_answered_only_with_that_rate():
    """"所得税税率是多少" is not answered with "研发费用占营业收入比重须达到4%": 比重 is not 税率."""
    from assistant.statements import pick, statements

    ss = statements("其中高新技术企业研发费用占营业收入比重须达到4%以上(含)。")
    assert pick("高新技术企业所得税税率是多少", ss) == []
    assert [s.figure for s in pick("高新技术企业研发费用占营收比重要多少", ss)] == ["4%"]


def test_two_attributes_asked_together_get_a_figure_each():
    from assistant.statements import pick_each, statements

    ss = statements("按设备投资额的8%给予补助,单个项目最高不超过300万元,每年评选一次。")
    assert [s.figure for s in pick_each("设备补助的比例和上限分别是多少", ss)] == ["8%", "300万元"]
    assert [s.figure for s in pick_each("设备补助的比例是多少", ss)] == ["8%"]  # 比例: any rate answers it
    # asked in two pieces: each piece gets its figure
    assert [s.figure for s in pick_each("设备换了想申请补助，补几成？最多补多少", ss)] == ["8%", "300万元"]


def test_a_figure_the_asker_names_or_denies_does_not_choose_the_answer():
    from assistant.statements import pick, statements

    ss = statements("按研发费用增量部分的10%给予补助,其中规上企业研发费用占营业收入比重须达到3%以上(含),"
                    "高新技术企业研发费用占营业收入比重须达到4%以上(含)。")
    # the 10% names the support; 不是高新 names no statement; the asker is 规上
    assert [s.figure for s in pick("规上企业，不是高新技术企业，补10%那项的比重要几个点", ss)] == ["3%"]
    assert [s.figure for s in pick("高新技术企业那项比重要几个点", ss)] == ["4%"]
    assert [s.figure for s in pick("补助是按增量的10%吗", ss)] == ["10%"]  # a check of the figure: it answers


def test_the_rules_own_rate_in_a_question_is_no_input():
    from assistant.calculator.extract import extract, restates_threshold

    q = "想申请研发费用增量补10%的那个，规上企业比重要多少"
    e = extract(q)
    assert e is not None and restates_threshold(q, e.rule)
