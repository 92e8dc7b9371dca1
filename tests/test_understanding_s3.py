"""Classes of everyday questions found while reading the development parts again (2026-11-29, third session); each
test phrases its own questions."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.parts import asked_questions, split_parts
from assistant.settings import get_settings
from assistant.statements import asks_value, wanted_kinds
from tests.conftest import TODAY

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_INDEX_DIR": "/nonexistent"}))


@pytest.mark.parametrize("story", ["门口那几个桩老是坏。", "排队要等好几个钟头。", "前几天车又没电了。", "车队里有十几台货车。"])
def test_ji_that_counts_in_the_askers_story_asks_nothing(story):
    parts = split_parts(story + "市里到2027年要换新多少个充电桩？")
    assert [p.asks for p in parts] == [False, True]
    assert len(asked_questions(story + "市里到2027年要换新多少个充电桩？")) == 1
    assert not asks_value(story) and wanted_kinds(story + "一共要淘汰多少辆") == {"辆"}


def test_ji_that_asks_still_asks():
    assert asks_value("要建几个老年食堂") and wanted_kinds("要建几个老年食堂") == {"个"}
    assert [p.asks for p in split_parts("印发日期是哪天？几个部门负责？")] == [True, True]


def test_a_sentence_that_says_the_question_again_is_not_a_second_question(bot):
    q = "我想问市财政给老人这块拿了多少钱？也就是养老保障资金，几个亿"
    assert len(split_parts(q)) == 1
    ans = bot.ask(q)
    assert ans.kind == "answer" and "3.48亿元" in ans.answer.split("\n")[0]
    assert "没有在本期公报中找到" not in ans.answer


def test_a_story_with_counting_words_keeps_the_asked_figure_first(bot):
    ans = bot.ask("小区里那几个老充电桩老坏，充满要好几个钟头。听说要把老旧低功率充电桩换掉，到2027年换多少个？")
    assert ans.answer.split("\n")[0].startswith("推动老旧低功率充电桩换新500个")


def test_a_long_keyword_said_shorter_still_names_its_rule():
    """出口信用险 is the asker's short form of 出口信用保险 (10号（四十五）); 保费 alone also names 首台套's rule."""
    from assistant.calculator.extract import extract

    e = extract("我们是外贸公司，去年短期出口信用险保费交了300万，市里能补多少")
    assert e is not None and e.rule.clause.endswith("（四十五）")
    first = extract("首台套装备保险保费交了300万，市里能补多少")
    assert first is not None and first.rule.clause.endswith("（二十一）")


def test_a_part_named_by_its_heading_locates_the_point(bot):
    """"重点任务" and "支持政策" are headings of 14号's parts 二、 and 三、: they locate, they ask nothing."""
    ans = bot.ask("14号文 重点任务 第7点 讲的什么")
    assert ans.kind == "lookup" and ans.citations[0].clause.endswith("7.") and "10家以上" in ans.answer
    first = bot.ask("14号文件支持政策第一条是啥内容")
    assert first.kind == "lookup" and first.citations[0].clause.startswith("三、")


def test_a_dictionary_word_is_no_abbreviation_nor_are_its_pieces(bot):
    """科技进步 is a word of the general dictionary: its piece 科技进 must not be read as 科学技术进步奖 and inserted
    into the asker's words; the 国家 level the gazette does not reward is then seen and said."""
    from assistant.abbrev import expand

    assert expand(bot.corpus, "拿了国家科技进步一等奖，市里奖多少钱") == []
    assert expand(bot.corpus, "长护险怎么参保") == [("长护险", "长期护理保险")]
    ans = bot.ask("我们单位拿了国家科技进步一等奖，嘉兴市里给奖多少钱")
    assert ans.kind == "refusal" and "国家科技进步一等奖" in ans.answer and "（十三）" in ans.answer


@pytest.mark.parametrize("said", ["我是开厂的", "十级伤残鉴定", "评上了能奖多少", "文旅有啥新政策", "认定为省重点实验室",
                                  "这个应由谁查"])
def test_words_of_grammar_and_numerals_are_not_homophone_typos(bot, said):
    from assistant.homophone import respell

    assert respell(bot.corpus, said) == said


@pytest.mark.parametrize("typo, word", [("以就换新", "以旧换新"), ("加装电题", "加装电梯"), ("光付板", "光伏板"),
                                        ("二等工", "二等功")])
def test_typos_of_content_words_are_still_read(bot, typo, word):
    from assistant.homophone import respell

    assert respell(bot.corpus, typo) == word


def test_a_follow_up_contrasting_a_paragraph_gets_its_parallel_paragraph(bot):
    """12号's paragraphs have no headings: "个人呢" after the 集体 paragraph is the paragraph that gives 个人 their
    awards in the same words, not the closing one that also says 个人."""
    history = [{"role": "user", "content": "平安建设那个决定里哪些集体记功了"},
               {"role": "assistant", "content": "原文：“给予嘉兴市公安局交通警察支队、平湖市公安局钟埭派出所、海盐县委政法委"
                                                "各记集体二等功1次。”\n——嘉政发〔2024〕12号 第2段"}]
    ans = bot.ask("那个人的呢，都有谁", history)
    assert ans.kind == "answer" and "个人二等功" in ans.answer and "顾涛" in ans.answer
    assert bot.ask("那个人的呢，都有谁", history[:1]).answer != ans.answer  # without the reply: not this


def test_a_paragraph_is_cited_by_its_number():
    from assistant.citations import parse_citation

    q = parse_citation("嘉政发〔2024〕12号第3段讲的啥")
    assert q is not None and q.ordinal == 3 and q.ordinal_unit == "段"


def test_a_paragraph_citation_is_looked_up(bot):
    ans = bot.ask("12号文第2段")
    assert ans.kind == "lookup" and ans.citations[0].clause == "第2段" and "集体二等功" in ans.answer


def test_this_clause_in_a_follow_up_points_back_at_the_cited_clause(bot):
    history = [{"role": "user", "content": "买车贷款能不能免息分期"},
               {"role": "assistant", "content": "根据嘉政发〔2024〕13号第（二十四）条，推出大宗耐用消费品信贷优惠产品。"}]
    ans = bot.ask("那这条归哪个部门管", history)
    assert ans.citations and ans.citations[0].clause.endswith("（二十四）")


def test_who_leads_is_the_first_listed_unit_where_the_document_says_so(bot):
    ans = bot.ask("13号文里完善政策保障那条是哪个部门牵头的")
    first = ans.answer.split("\n")[0]
    assert "牵头单位是市财政局" in first and "列第一位的为牵头单位" in first
    assert any(c.clause.endswith("（一）") for c in ans.citations[1:])  # the note is cited where it stands
    plain = bot.ask("13号文里完善政策保障那条是哪个部门负责的")
    assert "牵头单位" not in plain.answer.split("\n")[0] and "责任单位是市财政局" in plain.answer


def test_a_clause_named_by_its_heading_is_the_one_meant(bot):
    ans = bot.ask("两业融合文件里推广供应链管理服务是怎么说的")
    assert ans.citations[0].clause.endswith("7.")


@pytest.mark.parametrize("question, verdict", [
    ("10号文里的研发补助，我现在还能申请吗", "不能再按嘉政发〔2024〕10号申请"),
    ("14号文的服务型制造奖励现在还可以申报伐", "时间上可以：嘉政发〔2024〕14号"),
])
def test_may_i_still_apply_is_answered_first_by_the_term(bot, question, verdict):
    assert bot.ask(question).answer.split("\n")[0].startswith(verdict)


def test_pinyin_of_a_word_of_asking_is_read():
    from assistant.pinyin import respell

    b = Assistant(get_settings(env={"ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_INDEX_DIR": "/nonexistent"}))
    assert respell(b.corpus, "还能shenqing吗") == "还能申请吗"


def test_a_later_question_on_the_term_is_asked_of_the_document_just_answered(bot):
    ans = bot.ask("两业融合那个方案还有效吗？年底前还来得及申请吗")
    assert "嘉政发〔2024〕10号" not in ans.answer and "嘉政发〔2024〕13号" not in ans.answer
    assert "时间上可以：嘉政发〔2024〕14号" in ans.answer


@pytest.mark.parametrize("follow_up", ["那以后每年还有吗", "之后几年还奖不奖", "后面几年还有没有"])
def test_a_follow_up_on_later_years_gets_the_award_that_follows(bot, follow_up):
    history = [{"role": "user", "content": "我们物流公司营收头一回超过2000万，两业融合文件奖多少"},
               {"role": "assistant", "content": "根据嘉政发〔2024〕14号“三、支持政策”第（一）条，年主营业务收入首次超过2000万元的"
                                                "科技信息、物流运输、商务服务类企业，给予10万元奖励。"}]
    ans = bot.ask(follow_up, history)
    assert "15%" in ans.answer.split("\n")[0] and "连续奖励三年" in ans.answer


def test_the_unit_asked_last_is_the_one_asked():
    assert wanted_kinds("家里有几个老人想去助餐，市里要建多少家老年食堂") == {"家"}
    assert wanted_kinds("厂里有几台旧车，市里要淘汰多少辆") == {"辆"}


def test_a_story_that_counts_does_not_hide_the_asked_figure(bot):
    ans = bot.ask("楼里有几个残疾邻居想找工作，2024年市里计划新增残疾人就业多少人")
    assert ans.answer.split("\n")[0].startswith("2024年新增残疾人就业750人")


@pytest.mark.parametrize("question, first", [
    ("2024年市里要新增多少个公共充电桩", "2024年新增公共充电桩2200根"),
    ("农村要新建多少个充电设施", "支持新建农村充电设施1000根左右"),
])
def test_ge_is_the_classifier_of_anything_the_gazette_counts(bot, question, first):
    assert bot.ask(question).answer.split("\n")[0].startswith(first)


def test_how_many_people_counts_people():
    assert wanted_kinds("这次记了几个人的功") == {"人"}


@pytest.mark.parametrize("question, first", [
    ("听邻居说2024年要建80家社区老年食堂，对吗", "不对。原文规定的是30家"),
    ("网上讲2024年新增3万根公共充电桩，是真的吗", "不对。原文规定的是2200根"),
    ("2024年免费健康体检是不是要做满90万人", "不对。原文规定的是71万人"),
    ("2024年要建30家社区老年食堂，对吗", "是的，原文规定的是30家"),
])
def test_a_count_the_asker_heard_is_checked_against_the_clause(bot, question, first):
    ans = bot.ask(question)
    assert ans.answer.startswith(first) and "万元" not in ans.answer.split("\n")[0]


def test_an_a_not_a_question_is_read_as_its_verb():
    from assistant.compose import A_NOT_A

    assert A_NOT_A.sub(r"\1\2", "充电方不方便") == "充电方便"
    assert A_NOT_A.sub(r"\1\2", "可不可以申请") == "可以申请"


def test_a_later_question_that_names_nothing_asks_of_the_calculation_before_it(bot):
    ans = bot.ask("公司2024年交了60万短期出口信用保险保费，最多补几成？算下来能拿多少")
    assert ans.kind == "calculation" and "没有在本期公报中找到" not in ans.answer
    assert ans.answer.count("计算过程") == 1


def test_a_later_question_that_names_nothing_stays_with_the_clause_before_it(bot):
    ans = bot.ask("听说午休躺睡工程给中小学配了8万套，是真的吗？我们那咋没看到")
    assert ans.answer.startswith("不对。原文规定的是2万套") and "不是8万套" in ans.answer.split("\n")[0]
    assert all("14号" not in c.doc_no for c in ans.citations)


def test_a_year_that_dates_the_document_does_not_answer_may_i_apply_now(bot):
    ans = bot.ask("2024年那个10号文里的种粮补贴，现在还能去申请吗")
    assert ans.answer.startswith("不能再按嘉政发〔2024〕10号申请")
    assert bot.ask("2027年还能申请14号文的奖励吗").answer.startswith("2027年不在嘉政发〔2024〕14号的有效期")


def test_a_document_named_by_its_title_names_no_clause_in_a_validity_answer(bot):
    ans = bot.ask("制造业和服务业深度融合那个实施方案现在还有效吗")
    assert "所问条款" not in ans.answer and ans.answer.startswith("嘉政发〔2024〕14号自2024年5月20日起施行")
    named = bot.ask("10号文的研发费用补助现在还有效吗")
    assert "所问条款：嘉政发〔2024〕10号 二、（十一）" in named.answer


def test_the_thresholds_of_an_award_list_are_never_said_as_the_award(bot):
    """14号（一）: 首次超过20亿元、10亿元、5亿元的批零贸易类企业,分别给予50万元、20万元、10万元 — a bracket the list does
    not have gets every bracket with its award, never "首次超过20亿元" as if it were the answer."""
    first = bot.ask("批零贸易类企业营收头一回过了多少能拿奖励").answer.split("\n")[0]
    assert "5亿元的批零贸易类企业：10万元奖励" in first and "50万元奖励" in first
    assert bot.ask("批零贸易企业营收首次超过10亿元奖多少").answer.startswith(
        "年主营业务收入首次超过10亿元的批零贸易类企业：20万元奖励")
