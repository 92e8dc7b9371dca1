"""What policy matching reads from each gazette's rule file beside the rules: its `[matching]` table.

    [matching]
    level_words = { "浙江省" = "省级" }            # level words beyond the general ones (国家级, 省, 市, 国内, …)
    industries = [{ name = "物流运输", pattern = '物流|运输' }, …]   # first match names a company's industry
    crops = [{ name = "稻麦复种", pattern = '稻麦', asked_as = "…" }, …]  # the crop rule's choices as written
    [matching.rules]                               # profile figure -> the rule it is matched against
    revenue = "<rule id>"
    [matching.enterprise_types]                    # above_scale / high_tech / both / neither -> the R&D rule's choice
    [[matching.recognitions]]                      # a recognition rewarded with a fixed amount
    name = "绿色工厂"; pattern = '绿色工厂'; rule = "<rule id>"; levels = { "省级" = "<award category>" }

Several gazettes' tables are merged (recognitions and industries added in order; for a profile figure, the first
gazette that names a rule for it). Built once per rule book (`RuleBook.derived`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from ..calculator.rules import Rule, RuleBook, RuleFileError, default_book


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Named(_Frozen):
    name: str
    pattern: str = Field(description="a regular expression for the ways companies write it")
    asked_as: str = Field(default="", description="how a question names it (default: the name)")


class RecognitionData(_Frozen):
    name: str
    pattern: str
    rule: str = Field(description="id of the fixed-award rule")
    levels: dict[str, str] = Field(description='level as written ("" = none) -> the rule\'s award category')
    matter: str = Field(default="", description="entries sharing a matter are tiers of one award (default: name)")
    display: str = Field(default="{level}{name}", description="how an entry is named: a template of {level} and {name}")
    names: dict[str, str] = Field(default_factory=dict,
                                  description="a level whose entry has a name of its own -> that name")


class MatchingData(_Frozen):
    level_words: dict[str, str] = {}
    industries: tuple[Named, ...] = ()
    crops: tuple[Named, ...] = ()
    rules: dict[str, str] = {}
    enterprise_types: dict[str, str] = {}
    recognitions: tuple[RecognitionData, ...] = ()


class Subject(NamedTuple):
    name: str
    pattern: re.Pattern
    rule_id: str
    levels: dict[str, str]  # canonical level ("" = none written) -> the rule's award category
    matter: str
    display: str = "{level}{name}"
    names: dict[str, str] = {}


# Each figure of a company's profile (profile.py) and the formula of the rule it can be matched against: the matcher's
# logic is per formula (matcher.py); which rule is the rule file's.
FIGURE_FORMULAS = {"revenue": "revenue_milestone", "revenue_growth": "growth_award", "rd_expense": "rd_increment",
                   "smart_upgrade": "tiered_project", "green_upgrade": "green_upgrade",
                   "first_set_premium": "insurance_premium", "export_credit_premium": "share",
                   "sea_rail_teu": "per_unit", "crops": "per_unit", "platform": "crossborder_platform"}

# Level words as companies write them, nearest to the subject wins; longer forms first (省内 before 省). A gazette's
# province and city come from its file.
GENERAL_LEVEL_WORDS = (("国家级", "国家级"), ("全国", "国家级"), ("国家", "国家级"), ("国际", "国际"), ("国内", "国内"),
                       ("省内", "省内"), ("市内", "市内"), ("省级", "省级"), ("市级", "市级"), ("省", "省级"), ("市", "市级"))


class Vocabulary:
    """The merged `[matching]` tables of a rule book, checked against its rules."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        subjects: list[Subject] = []
        industries: dict[str, Named] = {}
        crops: dict[str, Named] = {}
        self.rule_of: dict[str, str] = {}
        self.enterprise_types: dict[str, str] = {}
        places: dict[str, str] = {}
        for file, table in book.matching:
            try:
                data = MatchingData.model_validate(table)
                for r in data.recognitions:
                    subjects.append(Subject(r.name, re.compile(r.pattern), r.rule, dict(r.levels), r.matter or r.name,
                                            r.display, dict(r.names)))
                for n in (*data.industries, *data.crops):
                    re.compile(n.pattern)
            except (ValueError, re.error) as exc:  # pydantic's ValidationError is a ValueError
                raise RuleFileError(f"公报规则文件 {file} 的 [matching] 有误：{str(exc).splitlines()[0]}") from exc
            for n in data.industries:
                industries.setdefault(n.name, n)
            for n in data.crops:
                crops.setdefault(n.name, n)
            for figure, rule_id in data.rules.items():
                self.rule_of.setdefault(figure, rule_id)
            for k, v in data.enterprise_types.items():
                self.enterprise_types.setdefault(k, v)
            for k, v in data.level_words.items():
                places.setdefault(k, v)
            unknown = sorted(({r.rule for r in data.recognitions} | set(data.rules.values())) - set(book.by_id))
            if unknown:
                raise RuleFileError(f"公报规则文件 {file} 的 [matching] 引用了不存在的规则：{'、'.join(unknown)}")
            for figure, rule_id in data.rules.items():
                want = FIGURE_FORMULAS.get(figure)
                if want != book.by_id[rule_id].formula:
                    raise RuleFileError(f"公报规则文件 {file} 的 [matching.rules] 有误：{figure} " + (
                        f"须对应公式为 {want} 的规则，{rule_id} 的公式是 {book.by_id[rule_id].formula}" if want else
                        f"不是企业情况的字段（可用：{'、'.join(FIGURE_FORMULAS)}）"))
        self.subjects = tuple(subjects)
        self.industries = tuple(industries.values())
        self.crops = tuple(crops.values())
        words = sorted(places.items(), key=lambda w: -len(w[0])) + list(GENERAL_LEVEL_WORDS)
        self.level_words = tuple(words)
        self.level_re = re.compile("|".join(re.escape(w) for w, _ in words))
        self.level_of = dict(words)

    def rule(self, figure: str) -> Rule | None:
        """The rule a profile figure is matched against (None: this gazette rewards no such figure)."""
        rule_id = self.rule_of.get(figure)
        return self.book.by_id[rule_id] if rule_id else None

    @property
    def industry_names(self) -> tuple[str, ...]:
        """Every industry a profile may give: the declared ones, and 其他."""
        return tuple(dict.fromkeys([*(n.name for n in self.industries), "其他"]))

    @property
    def crop_names(self) -> tuple[str, ...]:
        """The crop categories of the crop rule (its `crop` choices)."""
        rule = self.rule("crops")
        return rule.input("crop").choices if rule and any(i.name == "crop" for i in rule.inputs) else ()

    def crop_asked_as(self, crop: str) -> str:
        named = next((n for n in self.crops if n.name == crop), None)
        return named.asked_as if named and named.asked_as else crop


def vocabulary(book: RuleBook | None = None) -> Vocabulary:
    """The matching vocabulary of a rule book (default: the configured corpus's), built once per book."""
    book = default_book() if book is None else book
    return book.derived("matching.vocabulary", Vocabulary)
