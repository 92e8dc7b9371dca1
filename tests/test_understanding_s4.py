"""Classes of everyday questions found while reading colloquial12's and colloquial13's development parts (2026-11-30,
fourth session); each test phrases its own questions."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.compose import everyday_named, query_terms
from assistant.homophone import respell
from assistant.parts import asked_questions, split_parts, without_circumstances
from assistant.settings import get_settings
from assistant.statements import MONEY_Q, names_award
from tests.conftest import TODAY

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_INDEX_DIR": "/nonexistent"}))


def test_an_award_named_with_what_it_takes_asked():
    q = "营业额过多少才能拿到20万"
    at = q.index("20万")
    assert names_award(q, at, at + 3)
    q2 = "营业额过了20万，能拿多少"  # the asker's own figure, the award asked
    assert not names_award(q2, q2.index("20万"), q2.index("20万") + 3)


@pytest.mark.parametrize("question, bracket, award", [
    ("我们开超市的，营业额第一次过多少有20万奖励", "10亿元", "20万元"),
    ("做软件的公司营收首次超过多少才能拿10万", "2000万元", "10万元"),
])
def test_which_bracket_pays_an_award_is_answered_with_that_bracket(bot, question, bracket, award):
    ans = bot.ask(question)
    first = ans.answer.split("\n")[0]
    assert ans.kind == "answer" and bracket in first and award in first, ans.answer
    assert "补助/奖励金额为0" not in ans.answer


def test_a_follow_up_that_asks_which_bracket_pays_is_its_own_question(bot):
    history = [{"role": "user", "content": "软件企业营收首次超过1亿奖多少"},
               {"role": "assistant", "content": "嘉政发〔2024〕14号 三、（一）：年主营业务收入首次超过1亿元的科技信息类企业，50万元奖励。"}]
    ans = bot.ask("要是开超市的咧，营业额要到多少才有20万", history)
    assert "10亿元" in ans.answer.split("\n")[0], ans.answer


def test_a_subject_stub_before_a_question_is_one_question():
    q = "开超市的呢？营业额过多少才有20万"
    assert len(split_parts(q)) == 1 and len(asked_questions(q)) == 1
    assert len(asked_questions("省级的呢？国家级的呢？")) == 2  # two stubs: two questions


def test_everyday_category_names():
    assert everyday_named("我们是做超市的") == ["批零贸易"]
    assert everyday_named("我们是开厂的") == []  # a factory is no category a list names


def test_a_glued_piece_is_respelled_only_into_the_gazettes_word(bot):
    corpus = bot.corpus
    assert respell(corpus, "我表哥开食材批发公司") == "我表哥开食材批发公司"
    assert "充电桩" in respell(corpus, "小区冲电桩多少根")


def test_a_word_glued_to_a_modal_is_the_word(bot):
    terms = query_terms(bot.corpus, "营收要第一次过多少")
    assert "营收" in terms and "营收要" not in terms


def test_a_space_ends_a_clause_of_the_askers_story():
    assert without_circumstances("国家级的呢 我们明年想冲一冲") == "国家级的呢"


def test_a_count_asked_with_give_is_no_money_question():
    assert MONEY_Q.search("市里给多少钱")
    assert not MONEY_Q.search("2024年计划给多少人体检")


def test_a_bare_city_inside_a_word_is_no_level():
    from assistant.calculator.extract import extract

    e = extract("我们是做超市的，评上服务型制造示范企业奖多少")
    assert e is None or e.inputs.get("category") != "市级"


def test_the_province_is_no_topic(bot):
    ans = bot.ask("浙江的陪产假有几天")
    assert ans.kind == "refusal", ans.answer


def test_w_after_a_figure_is_wan():
    from assistant.textnorm import normalize_query

    assert normalize_query("设备花了2500w") == "设备花了2500万"
    assert normalize_query("型号H5W1") == "型号H5W1"


def test_a_calculation_under_the_cap_says_the_cap(bot):
    ans = bot.ask("跨境电商公共服务平台研发升级花了40万，服务企业320家，进出口增长16%，能补多少")
    assert "28万元" in ans.answer.split("\n")[0] and "未超过上限60万元" in ans.answer, ans.answer


def test_how_many_yuan_is_a_value_question():
    from assistant.statements import asks_value

    assert asks_value("每亩能多给几块钱") and asks_value("一年补几千")


def test_a_remembered_rate_and_cap_are_both_corrected(bot):
    ans = bot.ask("研发费用增量补助，我印象中是按增量的30%、每家最高800万，是吗")
    first = ans.answer.split("\n")[0]
    assert first.startswith("不对") and "10%" in first and "500万元" in first, ans.answer


def test_money_said_as_chaopiao_is_a_money_question(bot):
    ans = bot.ask("二胎的育儿津贴一个月给多少钞票")
    # (asked by the month: "本期公报没有规定按月发放（计算）的这项金额")
    assert ans.kind == "refusal" and "没有规定按月发放（计算）的这项金额" in ans.answer, ans.answer


def test_a_voucher_for_another_trade_is_no_amount_of_the_gazette(bot):
    ans = bot.ask("饭店用的餐饮消费券面值多少")
    assert ans.kind == "refusal", ans.answer


def test_settling_is_answered_where_the_gazette_speaks_of_household_registration(bot):
    ans = bot.ask("外地人想在嘉兴落户，文件里咋说的")
    assert ans.kind == "answer" and any("（五十八）" in c.clause for c in ans.citations), ans.answer
    assert bot.ask("上海落户要什么条件").kind == "refusal"


def test_a_number_the_clause_does_not_state_is_said_so(bot):
    ans = bot.ask("积分制落户需要积满几分")
    assert ans.kind == "refusal" and "没有规定" in ans.answer, ans.answer


def test_the_sentence_that_asks_names_the_clause_after_a_story(bot):
    ans = bot.ask("网上有人说鉴定机构跟保险公司勾结，伤残等级乱定也没人管。司法局和金融监管部门每年联合检查几次？")
    assert ans.citations and ans.citations[0].clause.endswith("13."), ans.answer


def test_an_open_question_gets_all_of_a_short_clause(bot):
    ans = bot.ask("农业转移人口市民化这条是怎么说的")
    assert "居住证转户籍" in ans.answer and "积分制度" in ans.answer, ans.answer


def test_a_follow_up_in_everyday_words_switches_to_the_gazettes_nearest_subject(bot):
    history = [{"role": "user", "content": "2024年市里新增多少根公共充电桩"},
               {"role": "assistant", "content": "嘉政发〔2024〕10号 六、（四十三）：2024年新增公共充电桩2200根。"}]
    ans = bot.ask("那乡下的呢，我家在村里", history)
    assert "1000根" in ans.answer.split("\n")[0], ans.answer


def test_a_typo_in_a_follow_up_is_read_before_the_history_is(bot):
    history = [{"role": "user", "content": "新认定的国家级单项冠军奖励多少"},
               {"role": "assistant", "content": "嘉政发〔2024〕10号 三、（二十二）：国家级“单项冠军”300万元。"}]
    ans = bot.ask("省级的隐型冠军呢", history)
    assert ans.answer.split("\n")[0].startswith("省级“隐形冠军”：100万元"), ans.answer


@pytest.mark.parametrize("years, total", [("接下来三年", "50万元"), ("后面五年", "50万元"), ("后面一年", "30万元")])
def test_the_years_the_asker_counts_on_multiply_the_later_award(bot, years, total):
    ans = bot.ask(f"物流公司今年营收首次超过5000万，{years}营收增速都在18%左右，两业融合奖励一共能拿多少")
    assert f"合计{total}" in ans.answer, ans.answer


def test_this_matter_points_back_at_the_conversation(bot):
    history = [{"role": "user", "content": "中小学午休躺睡那个，2024年配多少套"},
               {"role": "assistant", "content": "嘉政发〔2024〕13号 一、（八）：2024年为全市中小学配备2万套午休装备。"}]
    ans = bot.ask("这件事是哪个部门在管 我想去咨询一下", history)
    assert "市教育局" in ans.answer.split("\n")[0], ans.answer


# each class: a question of its own phrasing, and what the first line of the answer must say
FIRST_LINE = [
    pytest.param("好多同学毕业去读了技校，市里那年说要新增多少技能人才来着", "5万名", id="the_clause_whose_sentence_holds_two_of_the_words_leads_a_weak_ranking"),
    pytest.param("两业融合的那个实施方案哪天起正式实施", "2024年5月20日", id="from_which_day_it_formally_applies_is_a_validity_question"),
    pytest.param("朋友说出口信用保险交了200万保费，按65%能补150万，真的吗？应该补多少", "130万元", id="an_award_someone_claims_is_no_input_of_the_calculation"),
    pytest.param("单位那些低功率的老充电桩有没有打算更新？到2027年弄多少个", "500个", id="a_figure_asked_of_nothing_new_after_a_yes_no_question_is_its_figure"),
    pytest.param("每个县市区要建成几个绿色分拣中心", "1个以上", id="fenbie_with_one_figure_says_each_and_is_no_list"),
    pytest.param("提供售前设计、售后运维这种全生命周期服务的，市里每年培育几家示范企业", "8家以上", id="a_count_asked_in_its_unit_is_answered_by_the_sentence_that_counts_in_it"),
    pytest.param("跨境电商线上公共综合服务平台研发升级花了80万，服务了310多家企业，进出口额增长22%，能补多少", "60万元", id="a_count_of_companies_said_with_duo_meets_the_minimum"),
    pytest.param("教育科技人才一体化那笔钱里，人才那部分是多少亿", "2.31亿元", id="a_part_of_a_total_is_answered_from_the_breakdown"),
]


@pytest.mark.parametrize("question, expected", FIRST_LINE)
def test_the_first_line_answers(bot, question, expected):
    ans = bot.ask(question)
    assert expected in ans.answer.split("\n")[0], ans.answer
