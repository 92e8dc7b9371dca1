"""The parts of a question: what the asker says about themselves, and each thing they ask.

People put several questions in one message ("投资项目资金总共多少？其中水利类多少？", "是哪天印发的？政策管到
啥时候") and put their circumstances before the question ("孩子明年高考，文件里哪所高中要提升办学质量"). A part ends at a
sentence end (。？！；) or before a connective that opens a new question (另外, 还有, 此外, 顺便问, 再问, 以及; 其中 when
both sides ask). A part *asks* when it has a question word and words of its own besides it: "对吗？" or "是真的吗"
after a figure only confirm the part before them, and are kept with it.

General Chinese, not this gazette's words.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .textnorm import normalize_query

# where a sentence of a message ends (after normalisation: ASCII ? ! ; and the Chinese full stop)
SENTENCE_END = re.compile(r"(?<=[?!;。；])")
# words that open another question; 还有 too, though it also says "there is" ("还有个…是指什么") and so stays
OPENERS = r"另外|此外|顺便问一?下?|再问一?下?|以及|其中"
# a connective that opens another question after a comma
CONNECTIVE = re.compile(rf"[,，]\s*(?=(还有|{OPENERS})\s*)")
# 几 after 这/那/好/十/几/前/头/没 counts, it does not ask ("那几根桩天天坏", "好几个小时", "前几天")
ASK = re.compile(r"多少|(?<![这那好十几前头没])几|哪|什么|啥|吗|呢|伐|么|是否|是不是|能不能|能否|"
                 r"可不可以|可以不|算不算|有没有|有无|怎么|咋|如何|谁|要不要|会不会|对不对|\?|"
                 r"([\u4e00-\u9fff])[不没]\1")  # any A-not-A: "给不给补贴", "补不补", "行不行"
_FILLER = re.compile(r"[\s\d?!;。；,，、:：()“”\"'A-Za-z]|另外|还有|此外|顺便|再问|以及|其中|一下|请问|问下|想问|那个|这个|"
                     r"对吗|是吗|是不是|对不对|真的|的|了|呀|啊|吧|哦|呢|吗|么|伐|哈")


# a sentence that says the one before it again, in other words ("就是…", "也就是说…", "我是说…", "我的意思是…")
RESTATES = re.compile(r"(也?就是说?|我是说|我的意思是|换句话说)(?![\u4e00-\u9fff]?[?？吗伐])")


class Part(NamedTuple):
    text: str
    asks: bool


# "…？文件里有提伐", "政策上有说吗": whether the gazette mentions what the part before asks, no question of its own
TAG = re.compile(r"([\u4e00-\u9fff]{2,3}(?=(?:这个|那个)(?:文件|政策|公报|规定|通知))|市里|你们)?(这个|那个)?(文件|政策|公报|规定|通知)?(里面|里头|里|上|中)?"
                 r"((有没有|有|没)?(提到?|提过|说过?|讲过?|写过?|规定)|(有没有|有|没)(写|提|说|讲)?(具体)?(标准|规定|说法|讲法|数|数字|金额)|"
                 r"(是)?(咋|怎么|如何)(说|讲|写|规定)的?)"
                 r"(到|过)?(这个|这事|这些)?(吗|伐|么|没|不|没有|嘛|呢|啊)?[?？!！。\s]*")


# someone else's question told in a sentence that does not itself ask ("门口老有人问哪里能充电。"): narration
REPORTED_Q = re.compile(r"(?:问|打听)(?:我|过|起)?[^,，。;；?？!！]{0,2}(?:哪|多少|几|什么|啥|怎么|谁)")
ASKED_END = re.compile(r"(?:[?？]|[吗伐呢么嘛])[\s!！。]*$")


def _asks(text: str) -> bool:
    if not ASK.search(text) or TAG.fullmatch(text.strip()):
        return False
    if REPORTED_Q.search(text) and not ASKED_END.search(text) and not ASK.search(REPORTED_Q.sub("", text)):
        return False
    own = _FILLER.sub("", ASK.sub("", text))
    return len(own) >= 2


STUB_END = re.compile(r"呢[?？!！。\s]*$")


def _stub(text: str) -> bool:
    """"那批发零售的呢？": a subject and 呢, nothing else asked (a follow-up's whole question, or the subject of the
    question after it)."""
    rest = STUB_END.sub("", text)
    return rest != text and not ASK.search(rest)


def split_parts(question: str) -> list[Part]:
    """The sentences of a question, each marked whether it asks something of its own."""
    text = normalize_query(question)
    pieces: list[str] = []
    for sentence in SENTENCE_END.split(text):
        at = 0
        for m in CONNECTIVE.finditer(sentence):
            if m.group(1) == "其中" and not (_asks(sentence[at:m.start()]) and _asks(sentence[m.end():])):
                continue  # "其中" inside one question ("资金里，其中教育类多少") opens nothing
            pieces.append(sentence[at:m.start() + 1])
            at = m.end()
        pieces.append(sentence[at:])
    pieces = [p.strip() for p in pieces if p.strip()]
    out: list[Part] = []
    for p in pieces:
        asks = _asks(p)
        if out and asks and _stub(out[-1].text) and not _stub(p):
            # "开超市的呢？营业额过多少才有20万": the stub says whom the question after it is about — one question
            out[-1] = Part(out[-1].text + p, True)
            continue
        if out and not asks and ASK.search(p):  # "对吗？" confirms the part before it
            out[-1] = Part(out[-1].text + p, out[-1].asks)
            continue
        if out and RESTATES.match(p):  # "…放了多少钱？就是那个养老保障资金，几个亿": the same question again
            out[-1] = Part(out[-1].text + p, out[-1].asks or asks)
            continue
        out.append(Part(p, asks))
    return out


def asked_questions(question: str) -> list[str]:
    """Each question a message asks, with the circumstances said before it ("我家在农村。稻麦复种每亩补多少？还有
    一季早粮呢" -> ["我家在农村。稻麦复种每亩补多少?", "还有一季早粮呢"]); one item when it asks one thing or none."""
    parts = split_parts(question)
    out: list[str] = []
    context = ""
    for p in parts:
        if p.asks:
            out.append(context + (OPENING_CONNECTIVE.sub("", p.text) if out else p.text))
            context = ""
        else:
            context += p.text
    if context and out:
        out[-1] += context
    return out if len(out) > 1 else [normalize_query(question)]


# the connective that opens a later question says only that it is another one ("另外省级…" is no 外省)
OPENING_CONNECTIVE = re.compile(rf"^\s*({OPENERS})[,，:：\s]*")


# "…那个个税扣除，": a demonstrative points at the matter the message is about, whoever else the clause names
THAT_ONE = re.compile(r"[那这](个|种|项|块)")
# who a clause is about when it speaks of the asker: pronouns and kin (general Chinese)
PERSONAL = re.compile(r"我|俺|咱|本人|孩子|儿子|女儿|老伴|老公|老婆|爸|妈|爷爷|奶奶|外婆|外公|娃|家里|家人|亲戚|朋友|同事|邻居|隔壁|"
                      r"老家|小孩|宝宝|老人|丈夫|妻子|媳妇|女婿|儿媳|孙子|孙女|外孙|公公|婆婆|岳父|岳母|丈人|哥|姐|弟|妹|叔|伯|"
                      r"姑|姨|舅|侄|亲家|男朋友|女朋友|家属")  # (not 对象: also 帮扶对象, the gazette's target group)


# a verb of saying after who said it ("我爸说", "听隔壁讲", "老板跟我说过"): what follows is what was heard
HEARSAY = re.compile(r"^[^,，。;；?？!！]{0,8}?(?:说|讲)(?![明法话服解究座])(?:过|的是)?[,，:：]?(.+)$")


def without_circumstances(question: str) -> str:
    """The message without the clauses that only tell about the asker ("孩子明年高考，…", "我在杭州上班，…"): a
    comma clause that speaks of the asker and asks nothing. What is left is what the message asks about; the whole
    message when nothing is left."""
    text = normalize_query(question)
    # (a space between Chinese words ends a clause as a comma does: on a phone it often stands for one)
    clauses = re.split(r"(?<=[,，;；。?!])|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", text)
    # what the asker heard is no circumstance of theirs: "我爸说赡养老人可以少交个税" keeps 赡养老人可以少交个税
    heard = [m.group(1) if (m := HEARSAY.search(c)) else None for c in clauses]
    kept = [h or c for c, h in zip(clauses, heard)
            if c.strip() and (h or ASK.search(c) or THAT_ONE.search(c) or not PERSONAL.search(c))]
    rest = "".join(kept).strip()
    return rest or text
