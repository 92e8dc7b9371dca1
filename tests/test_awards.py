"""The award catalogue is read from the gazette, and its "no such award" answers cite the nearest real awards."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.awards import absent_item, catalogue, clause_awards, missing_level
from assistant.settings import get_settings
from tests.conftest import TODAY

pytestmark = pytest.mark.unit


def test_every_entry_stands_in_its_clause(corpus):
    entries = [a for c in corpus.clauses if c.level != "section" for a in clause_awards(c)]
    assert len(entries) >= 60
    for a in entries:
        clause = corpus.by_id[a.clause_id]
        assert a.sentence in clause.text and a.amount.removeprefix("每亩") in a.sentence, a
        assert a.amount.removeprefix("每亩") in clause.text


@pytest.mark.parametrize("question, level", [
    ("我们厂被评为国家级节水型企业，能拿多少奖励", "国家级"),   # the clause rewards 省级 ones only
    ("评上了县级绿色工厂奖多少", "县级"),
    ("市级重点实验室B类绩效评价优秀的奖多少", "B类"),
    # the level stands right before the item, written without 级: only 省 ones are rewarded
    ("我们单位获得国家技术发明奖，市里奖多少", "国家级"),
    ("获评国家级专精特新产业园的能奖多少", "国家级"),       # the clause rewards 浙江省's list
    ("市级制造业创新中心奖多少", "市级"),                  # 国家级 and 省级 only (市级 is for 企业技术中心)
    ("评上省级五星级小微企业园奖多少", "省级"),            # a grade between level and item; 市级 in the sentence
])
def test_a_level_the_gazette_does_not_reward_is_found(corpus, question, level):
    awards = [a for c in corpus.clauses if c.level != "section" for a in clause_awards(c)]
    got = missing_level(question, awards)
    assert got is not None and got[0] == level and got[1]


@pytest.mark.parametrize("question", ["省级节水型企业奖励多少", "国家级绿色工厂奖多少", "省科学技术奖二等奖奖励多少",
                                      "市级重点实验室A类绩效评价优秀的奖多少", "种粮大户有什么补贴",
                                      "省级制造业创新中心奖多少", "市级制造业企业技术中心奖多少",
                                      "省科学技术进步奖一等奖奖多少", "列入省专精特新产业园名单奖多少",
                                      "市里对国家级绿色工厂奖多少",
                                      # a bare 市 or 省 in a question is a place, not a level
                                      "嘉兴市单项冠军奖多少", "我们市的节水型企业奖多少", "评上市级五星级小微企业园奖多少"])
def test_levels_that_exist_are_not_flagged(corpus, question):
    awards = [a for c in corpus.clauses if c.level != "section" for a in clause_awards(c)]
    assert missing_level(question, awards) is None


def test_no_such_award_is_said_and_the_nearest_awards_cited():
    bot = Assistant(get_settings(env={"ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_INDEX_DIR": "/nonexistent"}))
    ans = bot.ask("我们厂被评为国家级节水型企业，能拿多少奖励呀？")
    assert ans.kind == "refusal" and ans.answer.startswith("本期公报没有对“国家级”这一级别规定这项奖励")
    assert "省级节水型企业" in ans.answer and "10万元" in ans.answer
    assert [(c.doc_no, c.clause) for c in ans.citations] == [("嘉政发〔2024〕10号", "三、（二十）")]


@pytest.mark.parametrize("question, item", [
    ("我们评上了国家级农机合作社示范社，市里奖多少", "国家级农机合作社示范社"),   # no award names it
    ("新认定为省级文明单位的能拿多少奖励", "省级文明单位"),
    ("公司刚拿到科技型中小企业证书，能奖多少钱", "科技型中小企业"),   # no level written
    ("饭店评上了美食名店，市里奖多少", "美食名店"),
])
def test_a_recognised_item_no_award_names_is_found(corpus, question, item):
    assert absent_item(question, catalogue(corpus), "\n".join(c.text for c in corpus.clauses)) == item


@pytest.mark.parametrize("question", [
    "评上省级绿色工厂奖多少", "认定为国家级专精特新小巨人奖多少", "被评为市级工业设计中心能奖多少",
    "认定为省级重点实验室能拿多少",           # the gazette writes 省重点实验室
    "认定为重点实验室能拿多少", "拿到首台套认定能奖多少",  # no level written: awards name them
    "市级财政安排政府投资项目资金多少",        # a budget, not a recognised item
    "每年创建省级工业互联网平台多少家",
])
def test_items_the_gazette_rewards_or_questions_without_a_recognition_are_not_flagged(corpus, question):
    assert absent_item(question, catalogue(corpus), "\n".join(c.text for c in corpus.clauses)) is None


def test_an_award_given_to_a_named_beneficiary_is_in_the_catalogue(corpus):
    # "对经认定的省级产业链上下游企业共同体,给予牵头单位30万元奖励": the recipient is the 共同体 (its 牵头单位 is paid)
    entries = [a for a in catalogue(corpus) if "产业链上下游企业共同体" in a.recipient]
    assert [a.amount for a in entries] == ["30万元"]
    assert missing_level("国家级产业链上下游企业共同体奖多少", entries) is not None


def test_a_special_prize_the_gazette_does_not_reward_is_a_missing_grade(corpus):
    from assistant.awards import clause_awards

    awards = [a for c in corpus.clauses if c.path.endswith("（十三）") and c.doc_no and c.doc_no.endswith("10号")
              for a in clause_awards(c)]
    assert missing_level("拿了省科学技术进步奖特等奖奖多少", awards)[0] == "特等奖"
