"""The structured enterprise profile that policy matching reads: what a company says about itself, by year.

Every field is optional; what is missing becomes a question ("needs"), never a guess. Money is exact `Decimal` yuan
and may be given as a number (yuan) or with a unit as people write it ("4800万", "1.2亿元"); percentages as "18%" or
18 (percentage points); areas in 亩, containers in 标箱, enterprises served as a count. Figures are keyed by
calendar year so that last year's and this year's figures are never confused:

    {"industry": "物流运输", "revenue": {"2025": "4800万", "2026": "5200万"},
     "recognitions": [{"name": "省级服务型制造示范企业", "year": 2026}]}

`assessment_year` is the year the awards are claimed for; it defaults to the year of the matching date.
`recognitions` names must be catalogue names (`assistant.matching.recognitions.CATALOGUE`, e.g. "省级绿色工厂",
"国内首批次软件", "市级首版次软件产品"); unknown names are reported in the notes, not dropped silently. The industries
and crop categories a profile may give are the gazette's, declared in its rule file (`vocabulary.py`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
from pydantic_core import PydanticCustomError

from ..calculator.quantities import CalcInputError, parse_count, parse_money, parse_percent


def _one_of(allowed: tuple[str, ...], value: str) -> str:
    if value not in allowed:
        names = [f"'{a}'" for a in allowed]
        expected = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"
        raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
    return value


def _industry(value: str) -> str:
    from .vocabulary import vocabulary

    return _one_of(vocabulary().industry_names, value)


def _crop(value: str) -> str:
    from .vocabulary import vocabulary

    return _one_of(vocabulary().crop_names, value)


def _industry_schema(schema: dict) -> None:  # the allowed values, read when a schema is asked for
    from .vocabulary import vocabulary

    schema["anyOf"][0]["enum"] = list(vocabulary().industry_names)


def _crops_schema(schema: dict) -> None:
    from .vocabulary import vocabulary

    schema["propertyNames"] = {"enum": list(vocabulary().crop_names)}


Industry = Annotated[str, AfterValidator(_industry)]  # one of the gazette's industries (its rule file), or 其他
Crop = Annotated[str, AfterValidator(_crop)]  # one of the crop rule's categories


def _plain(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else format(value.normalize(), "f")


def _money(raw):
    try:
        return parse_money("金额", raw)
    except CalcInputError as exc:
        raise ValueError(exc.message) from None


def _percent(raw):
    if isinstance(raw, Decimal):
        return raw
    try:
        return parse_percent("百分比", raw)
    except CalcInputError as exc:
        raise ValueError(exc.message) from None


def _count(unit: str):
    def parse(raw):
        try:
            return parse_count("数量", raw, unit)
        except CalcInputError as exc:
            raise ValueError(exc.message) from None
    return parse


def _pct_text(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


_out = PlainSerializer(_plain, return_type=int | str)
Money = Annotated[Decimal, BeforeValidator(_money), _out]
Percent = Annotated[Decimal, BeforeValidator(_percent), PlainSerializer(_pct_text, return_type=str)]  # 18% is 0.18
Tonnes = Annotated[Decimal, BeforeValidator(_count("吨")), _out]
Mu = Annotated[Decimal, BeforeValidator(_count("亩")), _out]
Teu = Annotated[Decimal, BeforeValidator(_count("标箱")), _out]
Firms = Annotated[Decimal, BeforeValidator(_count("家")), _out]
Year = Annotated[int, Field(ge=1990, le=2100)]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Recognition(Part):
    name: str = Field(description="Catalogue name: a recognition the rule file lists ([[matching.recognitions]]), "
                                  "at its level, as recognitions.catalogue() names it")
    year: Year | None = Field(default=None, description="Year it was obtained; None when the text does not say")


class SmartUpgrade(Part):
    """10号（十九） 智能化技术改造项目."""
    investment: Money | None = Field(default=None, description="生产性投入（不含土建），元")
    tier: Literal["A", "B", "C", "D"] | None = Field(default=None, description="绩效综合评价档次")
    strategic: bool | None = Field(default=None, description="是否战略性新兴产业")


class GreenUpgrade(Part):
    """10号（二十） 新能源替代利用、节能、节水改造项目."""
    equipment: Money | None = Field(default=None, description="设备投资额，元")
    energy_saving: Tonnes | None = Field(default=None, description="年替代利用量（节能量），吨标准煤")
    co2_reduction: Tonnes | None = Field(default=None, description="二氧化碳年减排量，吨")
    water_saving: Tonnes | None = Field(default=None, description="年节水量，吨")


class Platform(Part):
    """14号 三、（一） 跨境电子商务线上公共综合服务平台."""
    served: Firms | None = Field(default=None, description="服务企业数，家")
    trade_growth: Percent | None = Field(default=None, description="进出口额增速")
    cost: Money | None = Field(default=None, description="研发升级费用，元")


class Profile(BaseModel):
    """What a company says about itself. Years are calendar years; amounts are yuan."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str | None = Field(default=None, max_length=200)
    industry: Industry | None = Field(default=None, description="行业：公报规则文件所列行业之一（含营收奖励的企业类别），或“其他”",
                                      json_schema_extra=_industry_schema)
    above_scale: bool | None = Field(default=None, description="规上（规模以上）企业")
    high_tech: bool | None = Field(default=None, description="高新技术企业")
    assessment_year: Year | None = Field(default=None, description="申报奖励的年份；默认为匹配日期所在年份")
    revenue: dict[Year, Money] = Field(default_factory=dict, description="年主营业务收入，按年份")
    revenue_growth: dict[Year, Percent] = Field(default_factory=dict, description="年主营业务收入增速，按年份")
    rd_expense: dict[Year, Money] = Field(default_factory=dict, description="研发费用，按年份")
    milestone_award_year: Year | None = Field(default=None, description="获得营收首次超过奖励的年份")
    smart_upgrade: SmartUpgrade | None = None
    green_upgrade: GreenUpgrade | None = None
    same_project: bool = Field(default=False, description="智能化改造与绿色化改造是同一个项目（就高不重复）")
    first_set_premium: Money | None = Field(default=None, description="装备保险的年保费，元"
                                                                      "（规则文件 [matching.rules] 所指的保费补偿规则）")
    first_set_insured_amount: Money | None = Field(default=None, description="该装备保险的保险金额，元")
    export_credit_premium: Money | None = Field(default=None, description="短期出口信用保险保费，元")
    sea_rail_teu: Teu | None = Field(default=None, description="海铁联运集装箱量，标箱")
    crops: dict[Crop, Mu] = Field(default_factory=dict, description="种植面积（亩），按类型（公报种粮补贴的类别）",
                                  json_schema_extra=_crops_schema)
    grain_area: Mu | None = Field(default=None, description="种粮面积（亩），类型未说明时")
    platform: Platform | None = None
    recognitions: list[Recognition] = Field(default_factory=list, max_length=100)
    approximate: list[str] = Field(default_factory=list, max_length=100,
                                   description="Figures written as lower bounds (“超过5000万”“两千多万”), by path: "
                                               "revenue.2026, rd_expense.2025, smart_upgrade.investment")

    def year_of(self, today_year: int) -> int:
        return self.assessment_year or today_year
