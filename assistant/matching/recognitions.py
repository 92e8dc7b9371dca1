"""Recognitions (认定、评定、获奖) that the gazette rewards with a fixed amount, and how companies write them.

This is vocabulary, not money: each entry names a calculator rule and one of its award categories, and the amount
always comes from `calculate(rule_id, {"category": …})`, i.e. from the clause text in `calculator/rules.py`.
`tests/test_matching_catalogue.py` proves every category exists in its rule and every fixed award of the rules is
reachable from here.

A subject is written once with the levels the gazette rewards ("省级绿色工厂" → 10号（二十） 省级). A level the
gazette does not reward ("国家级节水型企业") is recognised and said, never mapped to the nearest level. Similar names
are different subjects: 首版次软件产品 (10号（三十一）, 市级/省级) is not 首批次软件 (10号（二十一）, 国际/国内/省内/市内).
Entries sharing a `matter` are tiers of one award: a company gets one of them (14号 五、“就高不重复”).
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Subject(NamedTuple):
    name: str
    pattern: re.Pattern
    rule_id: str
    levels: dict[str, str]  # canonical level ("" = none written) -> the rule's award category
    matter: str


def S(name: str, pattern: str, rule_id: str, levels: dict[str, str], matter: str = "") -> Subject:  # noqa: N802
    return Subject(name, re.compile(pattern), rule_id, levels, matter or name)


L3 = {"国家级": "国家级", "省级": "省级", "市级": "市级"}
FIRST_SET = {"国际": "国际首台(套)装备", "国内": "国内首台(套)装备", "省内": "省内首台(套)装备", "市内": "市内首台(套)装备"}

SUBJECTS: tuple[Subject, ...] = (
    # 10号（十）
    S("牵头承担国家重点研发计划", r"牵头\W{0,4}(?:承担)?\W{0,4}国家重点研发计划|国家重点研发计划\W{0,6}牵头",
      "10-10-tech-projects", {"": "牵头承担国家重点研发计划"}),
    S("科技项目", r"科技项目", "10-10-tech-projects", {"市级": "市级科技项目"}),
    # 10号（十二）
    S("全国重点实验室分中心(分室)", r"全国重点实验室分(?:中心|室)", "10-12-labs",
      {"": "全国重点实验室分中心(分室)", "国家级": "全国重点实验室分中心(分室)"}),
    S("重点实验室(A类)绩效评价优秀", r"重点实验室\W{0,2}(?:[(（]?A类[)）]?)?\W{0,4}(?:绩效)?评价优秀", "10-12-labs",
      {"市级": "市级重点实验室(A类)绩效评价优秀"}),
    S("重点实验室", r"(?<!全国)重点实验室(?!分)", "10-12-labs", {"省级": "省重点实验室"}),
    # 10号（十三）: the grade stands after the prize's name
    S("省科技大奖", r"省科技大奖|省科学技术大奖", "10-13-science-awards", {"": "省科技大奖"}),
    S("省科学技术奖", r"省(?:科学技术进步|科学技术|科技进步|自然科学|技术发明|科技)奖?\W{0,2}(?P<level>[一二三]等奖)",
      "10-13-science-awards", {"一等奖": "一等奖", "二等奖": "二等奖", "三等奖": "三等奖"}),
    # 10号（十九）
    S("灯塔工厂", r"灯塔工厂", "10-19-smart-factory-awards", {"": "灯塔工厂"}),
    S("未来工厂培育(试点)企业", r"未来工厂\W{0,2}(?:培育|试点)", "10-19-smart-factory-awards",
      {"省级": "省级未来工厂培育(试点)企业"}, matter="未来工厂"),
    S("未来工厂", r"未来工厂(?!\W{0,2}(?:培育|试点))", "10-19-smart-factory-awards", {"省级": "省级未来工厂企业"},
      matter="未来工厂"),
    S("智能工厂", r"智能工厂", "10-19-smart-factory-awards", {"省级": "省级智能工厂"}),
    S("数字化车间", r"数字化车间", "10-19-smart-factory-awards", {"": "数字化车间", "省级": "数字化车间"}),
    S("智能制造示范企业", r"智能制造示范(?:企业|工厂)?", "10-19-smart-factory-awards", {"国家级": "国家智能制造示范企业"}),
    S("智能制造优秀场景企业", r"智能制造优秀场景|优秀场景", "10-19-smart-factory-awards",
      {"国家级": "国家智能制造优秀场景企业"}),
    # 10号（二十）
    S("绿色工厂", r"绿色工厂", "10-20-green-factory", L3),
    S("绿色园区", r"绿色园区", "10-20-green-factory", L3),
    S("绿色供应链管理企业", r"绿色供应链", "10-20-green-other", {"国家级": "国家级绿色供应链管理企业"}),
    S("绿色设计示范企业", r"绿色设计示范", "10-20-green-other", {"": "绿色设计示范企业", "国家级": "绿色设计示范企业"}),
    S("能效领跑者企业", r"能效\W{0,2}领跑者", "10-20-green-other",
      {"": "重点用能行业能效领跑者企业", "国家级": "重点用能行业能效领跑者企业"}),
    S("节水型企业", r"节水型企业", "10-20-green-other", {"省级": "省级节水型企业"}),
    S("清洁生产审核", r"清洁生产", "10-20-green-other",
      {"": "自愿开展清洁生产并通过省级审核验收的企业", "省级": "自愿开展清洁生产并通过省级审核验收的企业"}),
    # 10号（二十一）
    S("制造业创新中心", r"制造业创新中心", "10-21-innovation-centers",
      {"国家级": "国家级制造业创新中心", "省级": "省级制造业创新中心"}),
    S("企业技术中心", r"(?<!设计)(?<!设计研究)(?:企业)?技术中心", "10-21-innovation-centers",
      {"国家级": "国家级企业技术中心", "省级": "省级企业技术中心", "市级": "市级企业技术中心"}),
    S("首台(套)装备", r"首台\s*[(（]?\s*套\s*[)）]?", "10-21-innovation-centers", FIRST_SET),
    S("首批次新材料", r"首批次新材料", "10-21-innovation-centers", FIRST_SET),
    S("首批次软件", r"首批次软件", "10-21-innovation-centers", FIRST_SET),
    S("产业链上下游企业共同体", r"上下游企业共同体", "10-21-innovation-centers",
      {"省级": "省级产业链上下游企业共同体(牵头单位)"}),
    # 10号（二十二）
    S("单项冠军", r"单项冠军", "10-22-enterprise-titles", {"国家级": "国家级单项冠军"}),
    S("专精特新小巨人", r"专精特新\W{0,2}小巨人", "10-22-enterprise-titles",
      {"": "专精特新小巨人", "国家级": "专精特新小巨人"}),
    S("隐形冠军", r"隐形冠军", "10-22-enterprise-titles", {"省级": "省级隐形冠军"}),
    # 10号（二十六）: the star grade stands before 小微企业园
    S("小微企业园", r"(?P<level>[五四三二一]星级?)\W{0,3}小微企业园", "10-26-micro-parks",
      {"五星级": "市级五星级小微企业园", "四星级": "市级四星级小微企业园"}),
    S("专精特新产业园", r"专精特新产业园", "10-26-micro-parks",
      {"": "浙江省专精特新产业园(创建)名单", "省级": "浙江省专精特新产业园(创建)名单"}),
    # 10号（二十九）（三十一）
    S("现代服务业创新发展区", r"服务业创新发展区", "10-29-service-zones", {"市级": "新认定的市级现代服务业创新发展区"}),
    S("首版次软件产品", r"首版次软件", "10-31-first-edition-software", {"市级": "市级", "省级": "省级"}),
    # 14号 三、（一）
    S("服务型制造示范企业(平台、项目)", r"服务型制造示范(?:企业|平台|项目)?", "14-service-manufacturing", L3),
    S("工业设计企业(中心、研究院)", r"工业设计(?:企业|中心|研究院)", "14-industrial-design", L3),
)

# Level words as companies write them, nearest to the subject wins; longer forms first (省内 before 省).
LEVEL_WORDS = (("国家级", "国家级"), ("全国", "国家级"), ("国家", "国家级"), ("国际", "国际"), ("国内", "国内"),
               ("省内", "省内"), ("市内", "市内"), ("浙江省", "省级"), ("省级", "省级"), ("嘉兴市", "市级"),
               ("市级", "市级"), ("省", "省级"), ("市", "市级"))
LEVEL_RE = re.compile("|".join(w for w, _ in LEVEL_WORDS))
LEVEL_OF = dict(LEVEL_WORDS)


class Entry(NamedTuple):
    """One rewarded recognition: its catalogue name and where its amount comes from."""
    name: str
    subject: Subject
    level: str
    category: str


def display(subject: Subject, level: str) -> str:
    if subject.name == "重点实验室" and level == "省级":
        return "省重点实验室"
    if subject.name == "小微企业园":
        return f"市级{level}小微企业园"
    if subject.name == "省科学技术奖":
        return f"省科学技术奖{level}"
    return f"{level}{subject.name}"


CATALOGUE: dict[str, Entry] = {}
for _s in SUBJECTS:
    for _level, _category in _s.levels.items():
        _name = display(_s, _level)
        CATALOGUE.setdefault(_name, Entry(_name, _s, _level, _category))


def level_words(subject: Subject) -> str:
    """The levels a subject is rewarded at, for a sentence: "国家级、省级、市级"."""
    return "、".join(level or "（不分级别）" for level in subject.levels)


def find(text: str) -> list[tuple[int, int, Subject, str | None]]:
    """Every subject named in `text` as (start, end, subject, level written after it or None); where two names
    overlap the longer wins ("重点实验室(A类)绩效评价优秀" is not also a "重点实验室")."""
    found = []
    for subject in SUBJECTS:
        for m in subject.pattern.finditer(text):
            level = m.groupdict().get("level")
            if level is not None and not level.endswith(("级", "奖")):
                level += "级"
            found.append((m.start(), m.end(), subject, level))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, Subject, str | None]] = []
    for f in found:
        if not any(a < f[1] and f[0] < b for a, b, _, _ in out):
            out.append(f)
    return out


def level_before(text: str) -> str:
    """The level written just before a subject ("获评省级" -> 省级); "" when none."""
    words = LEVEL_RE.findall(text[-6:])
    return LEVEL_OF[words[-1]] if words else ""


def resolve(name: str) -> Entry | None:
    """A catalogue entry for a name as written ("省级服务型制造示范企业" -> the 14号 省级 entry); None when the name
    names no rewarded recognition (unknown, or a level the gazette does not reward)."""
    if name in CATALOGUE:
        return CATALOGUE[name]
    hits = find(name)
    if len(hits) != 1:
        return None
    start, _, subject, level = hits[0]
    level = level if level is not None else level_before(name[:start])
    category = subject.levels.get(level)
    return Entry(display(subject, level), subject, level, category) if category else None
