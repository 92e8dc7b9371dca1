"""Decide what kind of question this is, before any retrieval.

Order matters: hostile or off-topic input is recognised first (it must never reach a tool), then a citation,
then a calculation (numbers plus an award), and everything else is a policy question for retrieval.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from .calculator.extract import (CALC_INTENT, ELIGIBILITY_INTENT, Extraction, extract, extract_items, has_numbers,
                                 is_calculation_request, restates_threshold)
from .citations import CitationQuery, parse_citation
from .docfacts import APPLY_NOW
from .homophone import misspells
from .knowledge import Knowledge
from .parts import without_circumstances
from .textnorm import normalize_query

RouteKind = Literal["empty", "too_long", "injection", "chitchat", "out_of_scope", "lookup", "calculation", "policy",
                    "compound"]

INJECTION_RE = re.compile(
    r"(忽略|无视|忘记|忘掉|不要理会|跳过|绕过).{0,8}(指令|规则|设定|提示|要求|限制|约束)"
    r"|(系统|初始|原始|隐藏|内部).{0,3}(提示|指令|设定|prompt)"
    r"|提示词|你的(设定|指令|规则|配置)|输出你的|重复(你|上面|以上).{0,6}(内容|指令|话)"
    r"|ignore\s+(all\s+|the\s+|any\s+)?(previous|above|prior|earlier|your)\s+(instructions|rules|prompts?)"
    r"|(system|developer)\s*(prompt|message|instructions)|reveal\s+.{0,20}(prompt|instructions)"
    r"|jailbreak|developer\s+mode|开发者模式|越狱|\bDAN\b|扮演|角色扮演|pretend\s+(you|to)|你现在是|act\s+as"
    r"|!\[[^\]]*\]\(\s*https?://",
    re.IGNORECASE,
)
GREETING_RE = re.compile(r"^(你好|您好|hi|hello|hey|嗨|哈喽|在吗|在不在|谢谢|多谢|感谢|再见|拜拜|你是谁|你叫什么|你能做什么|"
                         r"你会什么|有人吗|早上好|晚上好|下午好)[呀啊呢吗!！。.？?~，, ]*$", re.IGNORECASE)
CHITCHAT_RE = re.compile(r"笑话|天气|(?:明天|今天|后天|明朝|周末|这几天)[^，,。？?]{0,6}(?:下[大小中暴]?雨|下[大小暴]?雪|落雨|刮风|气温|几度)|"
                         r"(?:下[大小中暴]?雨|下[大小暴]?雪|落雨)(?:吗|伐|不|没)|几点了|唱首歌|写首诗|讲个故事|你喜欢|你开心|聊聊天|陪我|星座|算命|彩票|股票|基金净值|比分")
# Requests that no policy text answers: writing tasks, help to evade the law, a prediction of a court's ruling.
TASK_RE = re.compile(r"(写|编|拟|起草|生成)(一|几)?[个则篇份段首封条]?.{0,10}(文案|广告|朋友圈|起诉状|诉状|答辩状|文章|作文|演讲稿|"
                     r"情书|邮件|简历|软文|口号|标语|段子|诗|诗歌|歌词|对联|祝福语)")
MISUSE_RE = re.compile(r"查不出来|(帮|替|给)我.{0,12}(做高|改高|造假|伪造|作假|虚报|多报)|"
                       r"黄牛能帮|(套取|骗取|骗)(补贴|补助|奖励|保险)")
# not being caught: whatever else the question names ("骗取补贴怎么做才不会被查处"); checked before MISUSE_RE
EVASION_RE = re.compile(r"(不容易|不会|不要|别|不|免得|才不)被(查|发现|查出|查处|举报|处罚|抓)")
# …but a question about who stops such abuse ("有人串通骗保，谁来查") asks what the rules say about enforcement
ENFORCEMENT_RE = re.compile(r"谁(来)?(查|管|处理|处罚|监管|负责)|哪个(部门|单位)|查处|处罚|惩处|举报|投诉|打击|监督检查|"
                            r"怎么(处理|处罚|罚)|(多久|多长时间)[^，,。？?]{0,4}(查|检查)|管不管|查不查")
LEGAL_OUTCOME_RE = re.compile(r"(法院|法官).{0,6}(会)?(判|赔)|判赔多少|能不能(打)?赢|胜诉")
# General: everyday matters people bring to a policy assistant that municipal gazettes rarely settle; refused unless
# a loaded gazette uses the phrase (or its data file adds more: `off_topics`).
EVERYDAY_OFF_TOPICS = ("个人所得税", "个税", "专项附加扣除", "社保缴费基数", "公积金", "最低工资", "退休年龄", "养老金调整", "医保报销",
                       "驾照", "驾驶证", "护照", "签证", "高考", "中考", "分数线", "彩票", "房贷利率", "房价", "违章", "罚单",
                       "离婚", "结婚登记", "出生证明", "身份证", "户口迁移", "落户", "营业执照", "执照", "社保卡")
# General: the words a document writes for the same matter — a gazette on 户籍制度改革 answers "咋在嘉兴落户" itself
OFF_TOPIC_KIN = {"落户": ("户籍", "户口"), "户口迁移": ("户籍", "户口"), "个税": ("个人所得税",), "驾照": ("驾驶证", "驾驶执照"),
                 "驾驶证": ("驾照", "驾驶执照"), "执照": ("营业执照",)}
# General: major Chinese cities, provinces and "elsewhere" words. A question about one of them is about another
# place, unless a loaded gazette declares it its own (`places` in its data file) or its text uses the phrase.
# a place gone to or come from ("拉毛猪去上海走高速"): where the asker travels, not whose policy is asked — unless
# the place is named elsewhere on its own too ("上海现在…？想去上海买")
TRAVEL_BEFORE = re.compile(r"(?:去|到|往|运往|发往|从|回)$")
# a rank, not a place: "全国最高档次的景区", "全省第一"
RANK_AFTER = re.compile(r"最|第一|领先|前列|一流|顶尖")
CHINESE_PLACES = ("北京", "上海", "天津", "重庆", "杭州", "宁波", "温州", "绍兴", "湖州", "金华", "衢州", "舟山", "台州",
                  "丽水", "苏州", "南京", "无锡", "深圳", "广州", "成都", "武汉", "合肥", "全国", "外省", "江苏", "广东",
                  "安徽")
# "第9条说了些啥？简单讲讲", "主要讲什么", "帮我概括一下": asking what the unit says, nothing more
_QUESTION_WORDS = re.compile(r"讲|说|写|规定|的|是|了|些|什么|啥|哪些|内容|意思|具体|一下|看看|查|原文|全文|条文|呢|吗|简单|大概|"
                             r"主要|大致|概括|总结|介绍|解释|帮我|给我|关于|那个|这个|[?？。!！,，\s]")
ISSUED_IN_YEAR_RE = re.compile(r"(20\d\d)\s*年.{0,4}(出台|发布|印发|颁布|下发|新出|制定)")
YEAR_RE = re.compile(r"(20\d\d)\s*年")


def _spread(topic: str, text: str) -> bool:
    """A topic of two words written with a few characters between them, in one phrase: "医保门诊报销" is 医保报销,
    "社保的缴费基数" is 社保缴费基数 (halves of two characters or more each)."""
    for k in range(2, len(topic) - 1):
        a, b = topic[:k], topic[k:]
        if re.search(re.escape(a) + r"[^，,。；;？?！!\s]{1,4}" + re.escape(b), text):
            return True
    return False


def is_bare_reference(rest: str) -> bool:
    """What is left after a citation is only "讲什么/是什么内容": the reference itself is the question."""
    return len(_QUESTION_WORDS.sub("", rest or "")) <= 2  # "哪天发布" is a question about the document


class Route(NamedTuple):
    kind: RouteKind
    reason: str = ""
    citation: CitationQuery | None = None
    extraction: Extraction | None = None
    items: tuple = ()  # several (rule, inputs) named in one question
    parts: tuple[str, ...] = ()  # several questions in one message (assistant/parts.py), each answered in turn


def _outcome_without(e: Extraction) -> bool:
    """Whether the choices the asker left out cannot change the outcome ("技改投入1500万有补助吗": no tier reaches
    it); when they can ("投入3000万有补助吗"), the clause with its tiers answers better than a question back."""
    import datetime as dt

    from .calculator import CalcInputError, MissingInputs, calculate_whatever_missing

    if any(e.rule.input(n).kind not in ("choice", "bool") for n in e.missing):
        return False
    try:
        calculate_whatever_missing(e.rule.id, e.inputs, dt.date.today())  # eligibility does not depend on the date
    except (MissingInputs, CalcInputError):
        return False
    return True


def route(question: str, corpus_text: str, max_chars: int, knowledge: Knowledge) -> Route:
    """`corpus_text` lets the router keep questions whose "off-topic" word the gazette itself uses
    (e.g. 宁波舟山港 is in 10号（三十九）); `knowledge` (the loaded gazettes') gives their own places, further
    off-topic matters, the years their documents were issued in and the years a question may name."""
    text = normalize_query(question)
    if not text:
        return Route("empty")
    if len(text) > max_chars:
        return Route("too_long", f"问题过长（{len(text)}字），请控制在{max_chars}字以内。")
    if INJECTION_RE.search(text):
        return Route("injection", "prompt injection")
    if GREETING_RE.match(text):
        return Route("chitchat", "greeting")
    if CHITCHAT_RE.search(text) and not any(m.group(0) in corpus_text for m in CHITCHAT_RE.finditer(text)):
        return Route("chitchat", "chit-chat")
    if TASK_RE.search(text):
        return Route("out_of_scope", "a writing task")
    if EVASION_RE.search(text) or (MISUSE_RE.search(text) and not ENFORCEMENT_RE.search(text)) or LEGAL_OUTCOME_RE.search(text):
        return Route("out_of_scope", "help to evade rules, or a prediction of a court's ruling")
    asked = without_circumstances(text)  # "孩子明年高考，…", "我在杭州上班，…": the asker's story is no topic
    for topic in EVERYDAY_OFF_TOPICS + knowledge.off_topics:
        if (topic not in corpus_text and not any(k in corpus_text for k in OFF_TOPIC_KIN.get(topic, ()))
                and (topic in asked or _spread(topic, asked) or misspells(topic, asked))):
            return Route("out_of_scope", f"not in the gazette: {topic}")
    for place in CHINESE_PLACES:
        if place in asked and not any(place in own or own in place for own in knowledge.places) and not all(
                TRAVEL_BEFORE.search(asked[:m.start()]) or RANK_AFTER.match(asked, m.end())
                for m in re.finditer(place, asked)):
            i = asked.index(place)
            windows = {asked[s: s + len(place) + 2] for s in range(max(0, i - 2), i + 1)}
            if not any(w in corpus_text for w in windows if len(w) > len(place)):
                # 宁波舟山港 is in the gazette; 宁波市的… and 上海落户 are not
                return Route("out_of_scope", f"another place: {place}")
    years = knowledge.answered_years
    other = next((m.group(1) for m in YEAR_RE.finditer(text) if int(m.group(1)) not in years), None)
    if other and other not in corpus_text:
        return Route("out_of_scope", f"another year: {other}")
    if (m := ISSUED_IN_YEAR_RE.search(text)) and int(m.group(1)) not in knowledge.document_years:
        return Route("out_of_scope", f"documents of another year: {m.group(1)}")
    q = parse_citation(text)
    if q is not None and q.has_doc and not q.has_unit and is_calculation_request(text):
        # "10号文那个研发补助，去年2亿今年2.8亿，能拿多少": the document names where to look, the figures ask for a sum
        e = extract(text)
        if e is not None and not restates_threshold(text, e.rule) and e.rule.doc_no.endswith(f"{q.doc_number}号"):
            return Route("calculation", e.rule.id, extraction=e)
    if q is not None and (q.has_doc or (q.has_unit and is_bare_reference(q.rest))):
        return Route("lookup", "citation", citation=q)
    if CALC_INTENT.search(text) and (items := extract_items(text)):
        return Route("calculation", "several", items=tuple(items))
    if is_calculation_request(text):
        e = extract(text)
        # the asker's figures must be inputs of the rule: "听说保费能补80%？" names a rate to check, not a sum to do;
        # "那个每亩多加50块的补贴今年还能拿伐" asks whether it can still be had, not a sum (nothing to ask back)
        if (e is not None and not restates_threshold(text, e.rule) and (e.inputs or not e.missing)
                and not (e.missing and APPLY_NOW.search(text))):
            return Route("calculation", e.rule.id, extraction=e)
    elif ELIGIBILITY_INTENT.search(text) and has_numbers(text):
        e = extract(text)  # every input given, or a tier left out that cannot matter (1500万: below every tier)
        if e is not None and (not e.missing or _outcome_without(e)) and not restates_threshold(text, e.rule):
            return Route("calculation", e.rule.id, extraction=e)
    return Route("policy")
