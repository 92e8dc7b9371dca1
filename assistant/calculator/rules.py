"""The award rules, as data. One entry per quantified award or subsidy in the gazette.

Every amount, rate, threshold and cap is written as the exact text of the clause it comes from (`Q("1500万元")`);
`tests/test_calculator.py` proves each of them, and each category's evidence, stands in that clause.
Validity dates are the documents' own: 10号 covers 2024 only ("均为2024年全年实施有效"); 14号 runs from
2024-05-20 to 2026-12-31.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .quantities import Q, Quote

D10, D14 = "嘉政发〔2024〕10号", "嘉政发〔2024〕14号"
V10 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
V14 = (dt.date(2024, 5, 20), dt.date(2026, 12, 31))

Bound = Literal["exact", "maximum", "minimum"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InputSpec(Frozen):
    name: str
    label: str
    kind: Literal["money", "count", "percent", "choice", "bool"]
    unit: str = Field(default="", description="元 for money; 吨/亩/标箱/家 for counts; % for percent")
    choices: tuple[str, ...] = ()
    required: bool = True
    default: Any = None
    help: str = ""
    signed: bool = Field(default=False, description="a percent that may be negative (a growth rate); others are >= 0")
    positive: bool = Field(default=False, description="a value that, when given, must be above 0 (a divisor)")


class Award(Frozen):
    """One category of a fixed award. `amounts` has two entries only where the source itself is ambiguous."""

    label: str
    amounts: tuple[Quote, ...]
    bound: Bound = "exact"
    evidence: str = Field(default="", description="Verbatim text of the clause naming this category")
    aliases: tuple[str, ...] = ()

    @property
    def quote(self) -> str:
        return self.evidence or self.label


class Rule(Frozen):
    id: str
    title: str
    doc_no: str
    clause: str
    formula: str
    inputs: tuple[InputSpec, ...] = ()
    params: dict[str, Any] = {}
    awards: tuple[Award, ...] = ()
    bound: Bound = "exact"
    result_label: str = "补助/奖励金额"
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    keywords: tuple[str, ...] = ()
    conditions: tuple[str, ...] = Field(default=(), description="Conditions the calculator cannot check; stated")
    notes: tuple[str, ...] = ()

    def input(self, name: str) -> InputSpec:
        return next(i for i in self.inputs if i.name == name)


def _category(awards: tuple[Award, ...], label: str = "类别") -> InputSpec:
    return InputSpec(name="category", label=label, kind="choice", choices=tuple(a.label for a in awards))


def fixed(id: str, title: str, doc_no: str, clause: str, awards: tuple[Award, ...], valid, keywords,
          label: str = "类别", **kw) -> Rule:
    return Rule(id=id, title=title, doc_no=doc_no, clause=clause, formula="fixed_award", awards=awards,
                inputs=(_category(awards, label),), valid_from=valid[0], valid_to=valid[1], keywords=keywords, **kw)


def A(label: str, amount: str | tuple[str, ...], bound: Bound = "exact", evidence: str = "", aliases=()) -> Award:  # noqa: N802
    amounts = tuple(Q(a) for a in ((amount,) if isinstance(amount, str) else amount))
    return Award(label=label, amounts=amounts, bound=bound, evidence=evidence, aliases=tuple(aliases))


RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------------------------ 10号 二、科技创新
    fixed("10-10-tech-projects", "关键核心技术攻关项目补助", D10, "二、（十）", (
        A("市级科技项目", "100万元", "maximum", evidence="单个项目市级财政给予最高不超过100万元补助经费"),
        A("牵头承担国家重点研发计划", "100万元", evidence="对牵头承担国家重点研发计划的单位,给予每家100万元奖励",
          aliases=("国家重点研发计划",)),
    ), V10, ("科技项目", "重点研发计划", "关键核心技术")),
    Rule(
        id="10-11-rd-increment", title="企业研发投入增量补助", doc_no=D10, clause="二、（十一）",
        formula="rd_increment", valid_from=V10[0], valid_to=V10[1],
        inputs=(
            InputSpec(name="rd_prev", label="上年研发费用", kind="money", unit="元"),
            InputSpec(name="rd_curr", label="本年研发费用", kind="money", unit="元"),
            InputSpec(name="enterprise_type", label="企业类型", kind="choice",
                      choices=("规上企业", "高新技术企业", "规上高新技术企业", "其他企业")),
            InputSpec(name="revenue", label="本年营业收入", kind="money", unit="元", required=False,
                      help="或直接填写研发费用占营业收入比重"),
            InputSpec(name="rd_ratio", label="研发费用占营业收入比重", kind="percent", unit="%", required=False),
        ),
        params={"min_rd": Q("100万元"), "min_growth": Q("15%"), "rate": Q("10%"), "cap": Q("500万元"),
                "ratio": {"规上企业": Q("3%"), "高新技术企业": Q("4%")}},
        keywords=("研发费用", "研发投入", "研发"),
        conditions=("企业须符合研发费用加计扣除政策",),
    ),
    fixed("10-12-labs", "高能级科创平台奖励", D10, "二、（十二）", (
        A("全国重点实验室分中心(分室)", "300万元", evidence="全国重点实验室分中心(分室)", aliases=("全国重点实验室",)),
        A("省重点实验室", "200万元", evidence="对新认定的省重点实验室,给予每家200万元奖励"),
        A("市级重点实验室(A类)绩效评价优秀", "60万元", "maximum", evidence="市级重点实验室(A类)绩效评价优秀的,给予每家最高60万元",
          aliases=("市级重点实验室",)),
    ), V10, ("实验室",)),
    Rule(
        id="10-12-lab-matching", title="省重点实验室绩效优秀1:1配套", doc_no=D10, clause="二、（十二）",
        formula="share", valid_from=V10[0], valid_to=V10[1],
        inputs=(InputSpec(name="base", label="省财政奖励金额", kind="money", unit="元"),),
        params={"rate": Q("1:1")}, keywords=("配套", "绩效评价优秀"),
        conditions=("新认定的省重点实验室建设期满后绩效评价优秀",),
    ),
    fixed("10-13-science-awards", "省科学技术奖配套奖励", D10, "二、（十三）", (
        A("省科技大奖", "300万元"),
        A("一等奖", "100万元", evidence="一等奖", aliases=("省科学技术奖一等奖", "省科技进步一等奖")),
        A("二等奖", "60万元", evidence="二等奖", aliases=("省科学技术奖二等奖",)),
        A("三等奖", "20万元", evidence="三等奖", aliases=("省科学技术奖三等奖",)),
    ), V10, ("科技大奖", "科学技术奖", "一等奖", "二等奖", "三等奖"), label="奖项",
        conditions=("以第一项目完成单位获奖",)),
    Rule(
        id="10-13-innovation-voucher", title="科技保险创新券补助（县级）", doc_no=D10, clause="二、（十三）",
        formula="share", bound="minimum", valid_from=V10[0], valid_to=V10[1],
        inputs=(InputSpec(name="base", label="企业投保费用", kind="money", unit="元"),),
        params={"rate": Q("80%")}, keywords=("创新券", "科技保险"),
        notes=("由县(市、区)运用创新券给予，80%为下限（不低于）。",),
    ),
    Rule(
        id="10-17-power-fee", title="高新技术产业投资项目高可靠性供电费用", doc_no=D10, clause="二、（十七）",
        formula="share", result_label="按70%执行后应缴费用", valid_from=V10[0], valid_to=V10[1],
        inputs=(InputSpec(name="base", label="按收费标准计算的高可靠性供电费用", kind="money", unit="元"),),
        params={"rate": Q("70%")}, keywords=("高可靠性供电", "供电费用"),
        conditions=("省级部门发文确认的高新技术产业投资项目",),
    ),
    # ------------------------------------------------------------------------------ 10号 三、“135N”
    Rule(
        id="10-19-smart-upgrade", title="智能化技术改造项目补助", doc_no=D10, clause="三、（十九）",
        formula="tiered_project", valid_from=V10[0], valid_to=V10[1],
        inputs=(
            InputSpec(name="investment", label="生产性投入（不含土建）", kind="money", unit="元"),
            InputSpec(name="tier", label="绩效综合评价档次", kind="choice", choices=("A", "B", "C", "D")),
            InputSpec(name="strategic", label="是否战略性新兴产业", kind="bool", required=False, default=False),
        ),
        params={"min_investment": Q("2000万元"),
                "tiers": {"A": Q("1500万元"), "B": Q("1000万元"), "C": Q("600万元"), "D": Q("300万元")},
                "uplift": Q("5%"), "cap": Q("1500万元")},
        keywords=("技改", "技术改造", "智能化", "数字化改造", "档"),
    ),
    fixed("10-19-smart-factory-awards", "灯塔工厂、未来工厂、智能工厂等奖励", D10, "三、（十九）", (
        A("灯塔工厂", "300万元", evidence="灯塔工厂"),
        A("省级未来工厂企业", "300万元", aliases=("未来工厂",)),
        A("省级未来工厂培育(试点)企业", "100万元", aliases=("未来工厂培育", "未来工厂试点")),
        A("省级智能工厂", "50万元", aliases=("智能工厂",)),
        A("数字化车间", "30万元"),
        A("国家智能制造示范企业", "300万元", aliases=("智能制造示范",)),
        A("国家智能制造优秀场景企业", "30万元", aliases=("优秀场景",)),
    ), V10, ("灯塔工厂", "未来工厂", "智能工厂", "数字化车间", "智能制造")),
    Rule(
        id="10-20-green-upgrade", title="企业绿色化改造补助", doc_no=D10, clause="三、（二十）",
        formula="green_upgrade", valid_from=V10[0], valid_to=V10[1],
        inputs=(
            InputSpec(name="equipment", label="设备投资额", kind="money", unit="元"),
            InputSpec(name="energy_saving", label="年替代利用量(节能量)", kind="count", unit="吨", required=False,
                      default=0, help="吨标准煤(等价值)"),
            InputSpec(name="co2_reduction", label="二氧化碳年减排量", kind="count", unit="吨", required=False, default=0),
            InputSpec(name="water_saving", label="年节水量", kind="count", unit="吨", required=False, default=0),
        ),
        params={"min_equipment": Q("200万元"), "base_rate": Q("8%"), "max_rate": Q("12%"), "cap": Q("400万元"),
                "step_rate": Q("1个百分点"),
                "metrics": {"energy_saving": (Q("200吨"), Q("400吨")), "co2_reduction": (Q("400吨"), Q("800吨")),
                            "water_saving": (Q("10万吨"), Q("20万吨"))}},
        keywords=("绿色化改造", "节能改造", "节能", "节水", "减排", "标准煤", "新能源替代"),
        conditions=("经有资质的第三方检测机构认定",),
    ),
    fixed("10-20-green-factory", "绿色工厂和绿色园区奖励", D10, "三、（二十）", (
        A("国家级", "150万元", evidence="国家级、省级、市级绿色工厂和绿色园区"),
        A("省级", "50万元", evidence="国家级、省级、市级绿色工厂和绿色园区"),
        A("市级", "20万元", evidence="国家级、省级、市级绿色工厂和绿色园区"),
    ), V10, ("绿色工厂", "绿色园区"), label="级别"),
    fixed("10-20-green-other", "绿色供应链、节水型企业、清洁生产等奖励", D10, "三、（二十）", (
        A("国家级绿色供应链管理企业", "150万元", aliases=("绿色供应链",)),
        A("绿色设计示范企业", "150万元", aliases=("绿色设计",)),
        A("重点用能行业能效领跑者企业", "150万元", evidence="重点用能行业能效领跑者企业", aliases=("能效领跑者",)),
        A("省级节水型企业", "10万元", aliases=("节水型企业",)),
        A("自愿开展清洁生产并通过省级审核验收的企业", "5万元", aliases=("清洁生产",)),
    ), V10, ("绿色供应链", "绿色设计", "领跑者", "节水型企业", "清洁生产")),
    fixed("10-21-innovation-centers", "制造业创新中心、企业技术中心、首台(套)等奖励", D10, "三、（二十一）", (
        A("国家级制造业创新中心", "300万元", evidence="国家级、省级制造业创新中心"),
        A("省级制造业创新中心", "150万元", evidence="国家级、省级制造业创新中心"),
        A("国家级企业技术中心", "150万元", evidence="国家级、省级、市级制造业企业技术中心"),
        A("省级企业技术中心", "50万元", evidence="国家级、省级、市级制造业企业技术中心"),
        A("市级企业技术中心", "20万元", evidence="国家级、省级、市级制造业企业技术中心"),
        A("国际首台(套)装备", "200万元", evidence="国际、国内、省内、市内首台(套)装备", aliases=("国际首台套",)),
        A("国内首台(套)装备", "150万元", evidence="国际、国内、省内、市内首台(套)装备", aliases=("国内首台套",)),
        A("省内首台(套)装备", "50万元", evidence="国际、国内、省内、市内首台(套)装备", aliases=("省内首台套",)),
        A("市内首台(套)装备", "20万元", evidence="国际、国内、省内、市内首台(套)装备", aliases=("市内首台套",)),
        A("省级产业链上下游企业共同体(牵头单位)", "30万元", evidence="省级产业链上下游企业共同体,给予牵头单位30万元",
          aliases=("企业共同体",)),
    ), V10, ("制造业创新中心", "企业技术中心", "首台", "首批次", "企业共同体"),
        notes=("首批次新材料、首批次软件与首台(套)装备同档。",)),
    Rule(
        id="10-21-first-set-insurance", title="首台(套)装备保险保费补偿", doc_no=D10, clause="三、（二十一）",
        formula="insurance_premium", valid_from=V10[0], valid_to=V10[1],
        inputs=(
            InputSpec(name="premium", label="年保费", kind="money", unit="元"),
            InputSpec(name="insured_amount", label="保险金额（保额）", kind="money", unit="元", required=False, positive=True,
                      help="用于核对2%的投保费率上限"),
            InputSpec(name="rate", label="投保费率", kind="percent", unit="%", required=False,
                      help="未填保额时，用费率核对2%的上限"),
        ),
        params={"rate_ceiling": Q("2%"), "share": Q("70%"), "cap": Q("50万元")},
        keywords=("首台", "保险", "保费"),
        conditions=("符合条件的首台(套)装备", "同一台(套)装备年保费补助上限"),
    ),
    fixed("10-22-enterprise-titles", "单项冠军、专精特新“小巨人”、隐形冠军奖励", D10, "三、（二十二）", (
        A("国家级单项冠军", "300万元", evidence="国家级单项冠军", aliases=("单项冠军",)),
        A("专精特新小巨人", "150万元", evidence="专精特新小巨人", aliases=("小巨人",)),
        A("省级隐形冠军", "100万元", evidence="省级隐形冠军", aliases=("隐形冠军",)),
    ), V10, ("单项冠军", "小巨人", "隐形冠军")),
    fixed("10-26-micro-parks", "小微企业园、专精特新产业园奖励", D10, "三、（二十六）", (
        A("市级五星级小微企业园", ("100万元", "500万元"), evidence="五星级四星级五星级小微企业园",
          aliases=("五星级",)),
        A("市级四星级小微企业园", "300万元", evidence="五星级四星级五星级小微企业园", aliases=("四星级",)),
        A("浙江省专精特新产业园(创建)名单", "100万元", aliases=("专精特新产业园",)),
    ), V10, ("小微企业园", "星级", "专精特新产业园"),
        notes=("原文“对评为市级“五星级”“四星级”“五星级”小微企业园的,分别给予100万元、300万元、500万元奖励”中"
               "“五星级”出现两次，疑为印刷错误；五星级对应100万元还是500万元无法从原文确定。",)),
    # ------------------------------------------------------------------------------ 10号 四、服务业
    fixed("10-29-service-zones", "现代服务业创新发展区奖励", D10, "四、（二十九）", (
        A("新认定的市级现代服务业创新发展区", "50万元", "maximum", aliases=("服务业创新发展区",)),
        A("在省、市创新区评价中居前", "50万元", "maximum", aliases=("评价居前",)),
    ), V10, ("创新发展区", "服务业")),
    fixed("10-31-first-edition-software", "首版次软件产品奖励", D10, "四、（三十一）", (
        A("市级", "20万元", evidence="市级、省级首版次软件产品"),
        A("省级", "50万元", evidence="市级、省级首版次软件产品"),
    ), V10, ("首版次", "软件"), label="级别"),
    # ------------------------------------------------------------------------------ 10号 五、交通
    Rule(
        id="10-39-sea-rail", title="海铁联运集装箱班列补助", doc_no=D10, clause="五、（三十九）",
        formula="per_unit", valid_from=V10[0], valid_to=V10[1],
        inputs=(InputSpec(name="quantity", label="海铁联运集装箱量", kind="count", unit="标箱"),),
        params={"rates": {"海铁联运": Q("200元/标箱")}}, keywords=("海铁联运", "标箱", "集装箱班列"),
    ),
    Rule(
        id="10-40-toll-discount", title="货车ETC通行费八五折", doc_no=D10, clause="五、（四十）",
        formula="share", result_label="优惠后通行费", valid_from=V10[0], valid_to=V10[1],
        inputs=(InputSpec(name="base", label="原通行费", kind="money", unit="元"),),
        params={"rate": Q("八五折")}, keywords=("通行费", "ETC", "八五折", "货车"),
        conditions=("省属及市、县(市、区)属国有全资或控股的高速公路路段", "使用我省发行的ETC车载装置的合法装载货车"),
    ),
    # ------------------------------------------------------------------------------ 10号 六、外贸
    Rule(
        id="10-45-export-credit-insurance", title="短期出口信用保险保费补助", doc_no=D10, clause="六、（四十五）",
        formula="share", bound="maximum", valid_from=V10[0], valid_to=V10[1],
        inputs=(InputSpec(name="base", label="短期出口信用保险保费", kind="money", unit="元"),),
        params={"rate": Q("65%"), "cap": Q("500万元")}, keywords=("出口信用保险", "信保", "出口"),
        notes=("原文为“最高65%”“原则上单家企业不超过500万元”。",),
    ),
    # ------------------------------------------------------------------------------ 10号 七、农业
    Rule(
        id="10-51-grain", title="规模种粮市级补贴", doc_no=D10, clause="七、（五十一）",
        formula="per_unit", valid_from=V10[0], valid_to=V10[1],
        inputs=(
            InputSpec(name="crop", label="种植类型", kind="choice", choices=("稻麦复种", "一季早粮", "油菜连片")),
            InputSpec(name="quantity", label="种植面积", kind="count", unit="亩"),
        ),
        params={"rates": {"稻麦复种": Q("15元"), "一季早粮": Q("40元"), "油菜连片": Q("50元")}, "min_quantity": Q("50亩")},
        keywords=("种粮", "稻麦", "早粮", "油菜", "亩", "种植"),
        notes=("这是在省财政补贴基础上市财政每亩增加的部分；一季早粮不含大小麦。",),
    ),
    # ------------------------------------------------------------------------------ 14号 三、（一）
    fixed("14-service-manufacturing", "服务型制造示范企业(平台、项目)奖励", D14, "三、（一）", (
        A("国家级", "150万元", evidence="国家级、省级、市级服务型制造示范企业"),
        A("省级", "50万元", evidence="国家级、省级、市级服务型制造示范企业"),
        A("市级", "20万元", evidence="国家级、省级、市级服务型制造示范企业"),
    ), V14, ("服务型制造",), label="级别"),
    fixed("14-industrial-design", "工业设计企业(中心、研究院)奖励", D14, "三、（一）", (
        A("国家级", "150万元", evidence="国家级、省级、市级工业设计企业"),
        A("省级", "50万元", evidence="国家级、省级、市级工业设计企业"),
        A("市级", "20万元", evidence="国家级、省级、市级工业设计企业"),
    ), V14, ("工业设计",), label="级别"),
    Rule(
        id="14-revenue-milestone", title="生产性服务业企业营收首次突破奖励", doc_no=D14, clause="三、（一）",
        formula="revenue_milestone", valid_from=V14[0], valid_to=V14[1],
        inputs=(
            InputSpec(name="sector", label="企业类别", kind="choice", choices=("科技信息", "物流运输", "商务服务", "批零贸易")),
            InputSpec(name="revenue", label="年主营业务收入", kind="money", unit="元"),
            InputSpec(name="first_time", label="是否首次超过该档", kind="bool", required=False, default=True),
        ),
        params={"tiers": {
            "service": ((Q("1亿元"), Q("50万元")), (Q("5000万元"), Q("20万元")), (Q("2000万元"), Q("10万元"))),
            "trade": ((Q("20亿元"), Q("50万元")), (Q("10亿元"), Q("20万元")), (Q("5亿元"), Q("10万元"))),
        }},
        keywords=("主营业务收入", "营收", "首次超过", "批零", "物流", "科技信息", "商务服务"),
    ),
    Rule(
        id="14-growth-award", title="获奖企业营收增长奖励", doc_no=D14, clause="三、（一）",
        formula="growth_award", valid_from=V14[0], valid_to=V14[1],
        inputs=(InputSpec(name="growth", label="年主营业务收入增速", kind="percent", unit="%", signed=True),),
        params={"min_growth": Q("15%"), "amount": Q("10万元"), "years": Q("三年")},
        keywords=("增速", "增长"),
        conditions=("已获营收首次突破奖励，从获奖次年开始计算",),
    ),
    Rule(
        id="14-crossborder-platform", title="跨境电商线上公共综合服务平台研发升级补助", doc_no=D14, clause="三、（一）",
        formula="crossborder_platform", valid_from=V14[0], valid_to=V14[1],
        inputs=(
            InputSpec(name="served", label="服务企业数", kind="count", unit="家"),
            InputSpec(name="trade_growth", label="进出口额增速", kind="percent", unit="%", signed=True),
            InputSpec(name="cost", label="研发升级费用", kind="money", unit="元"),
        ),
        params={"min_served": Q("300家"), "tiers": ((Q("20%"), Q("100%")), (Q("15%"), Q("70%"))), "cap": Q("60万元")},
        keywords=("跨境电子商务", "跨境电商", "公共综合服务平台", "研发升级"),
    ),
    Rule(
        id="14-rd-super-deduction", title="两业融合研发费用加计扣除", doc_no=D14, clause="三、（二）",
        formula="share", result_label="加计扣除额", valid_from=V14[0], valid_to=V14[1],
        inputs=(InputSpec(name="base", label="两业融合创新研发费用", kind="money", unit="元"),),
        params={"rate": Q("100%")}, keywords=("加计扣除",),
        conditions=("开发两业融合创新平台、新技术、新产品(服务)等的研发费用",),
    ),
    Rule(
        id="14-advanced-service-tax", title="技术先进型服务企业所得税", doc_no=D14, clause="三、（二）",
        formula="share", result_label="按15%税率计算的企业所得税", valid_from=V14[0], valid_to=V14[1],
        inputs=(InputSpec(name="base", label="应纳税所得额", kind="money", unit="元"),),
        params={"rate": Q("15%")}, keywords=("技术先进型服务企业", "所得税", "税率"),
    ),
)

RULES_BY_ID = {r.id: r for r in RULES}

# 14号 五、：同一事项满足多个奖补政策的，按照“就高不重复”原则实施。
NO_DOUBLE_DIPPING = {"doc_no": D14, "clause": "五、", "quote": "就高不重复"}
