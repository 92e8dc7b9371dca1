"""The corpus model on the real gazette: every unit captured once, in order, with no text lost."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest

from assistant.fields import parse_units, quality_notes
from assistant.blocks import build_blocks, clean_spaces, read_lines
from tests.conftest import CORPUS_FILE, doc

pytestmark = pytest.mark.unit

D10, D12, D13, D14, DS3 = "嘉政发〔2024〕10号", "嘉政发〔2024〕12号", "嘉政发〔2024〕13号", "嘉政发〔2024〕14号", "嘉司发〔2024〕3号"


def squash(text: str) -> str:
    """Compare modulo whitespace and markdown markup (#, **, table pipes and rules, autolink brackets)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if re.fullmatch(r"[-|:\s]*", line):
            continue
        line = line.lstrip("#").replace("**", "").replace("|", "")
        line = re.sub(r"^-\s+", "", line)
        line = re.sub(r"<(https?://[^>]+)>", r"\1", line)
        out.append(line)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(out)))  # (一) and （一） are one marker


def source_lines(start: int, end: int) -> str:
    lines = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[start - 1:end])


def level_numbers(document, level):
    return [c.number for c in document.clauses if c.level == level]


@pytest.mark.parametrize(
    "key, sections, clauses, items",
    [
        pytest.param(D10, 8, 66, 0, id="10号-八部分-六十六条"),
        pytest.param(D13, 5, 24, 0, id="13号-五部分-二十四条"),
        pytest.param(D14, 5, 11, 13, id="14号-五部分-13项"),
        pytest.param(DS3, 3, 7, 13, id="嘉司发-三部分-13项"),
        pytest.param(D12, 0, 0, 0, id="12号-段落"),
    ],
)
def test_counts_per_document(corpus, key, sections, clauses, items):
    d = doc(corpus, key)
    assert len(level_numbers(d, "section")) == sections
    assert len(level_numbers(d, "clause")) == clauses
    assert len(level_numbers(d, "item")) == items


def test_10_clauses_numbered_straight_through(corpus):
    assert level_numbers(doc(corpus, D10), "clause") == list(range(1, 67))
    assert level_numbers(doc(corpus, D13), "clause") == list(range(1, 25))


def test_14_clauses_restart_per_section_items_do_not(corpus):
    d = doc(corpus, D14)
    assert [c.path for c in d.clauses if c.level == "clause"] == [
        "二、（一）", "二、（二）", "二、（三）", "三、（一）", "三、（二）", "三、（三）", "三、（四）",
        "四、（一）", "四、（二）", "四、（三）", "四、（四）"]
    assert level_numbers(d, "item") == list(range(1, 14))
    assert doc(corpus, DS3).clauses[[c.number for c in doc(corpus, DS3).clauses].index(8)].path == "二、（三）8."


@pytest.mark.parametrize("key", [D10, D12, D13, D14, DS3])
def test_no_text_lost_or_duplicated(corpus, key):
    """The document's clauses, concatenated, equal the source text of the document (after its title and 文号)
    modulo whitespace and markup: every character is captured exactly once, in order."""
    d = doc(corpus, key)
    doc_line = next(i for i in range(d.line_start, d.line_end + 1)
                    if squash(source_lines(i, i)) == squash(d.doc_no_raw or ""))
    expected = squash(source_lines(doc_line + 1, d.line_end))
    got = []
    for c in d.clauses:
        if c.path == "引言" and d.subtitle:
            got.append(d.subtitle)
        got.append(c.marker + c.text)
    if d.subtitle and not any(c.path == "引言" for c in d.clauses):
        got.insert(1, d.subtitle)
    assert squash("".join(got)) == expected


def test_units_in_source_order(corpus):
    for d in corpus.documents:
        starts = [c.line_start for c in d.clauses]
        assert starts == sorted(starts), d.key
        for a, b in zip(d.clauses, d.clauses[1:]):
            assert a.line_end <= b.line_start, (a.path, b.path)


def test_every_clause_id_unique_and_stable(corpus):
    ids = [c.id for c in corpus.clauses]
    assert len(ids) == len(set(ids))
    from assistant.blocks import clause_id

    c = next(c for c in corpus.clauses if c.citation == "嘉政发〔2024〕10号 三、（十九）")
    assert c.id == clause_id(D10, "三、（十九）")


@pytest.mark.parametrize(
    "path, fragment",
    [
        pytest.param("二、（九）", "推进市级一流学科和高水平专业群建设", id="九-一流学科"),
        pytest.param("三、（十八）", "聚焦新型工业化和“135N”先进制造业集群", id="十八-135N"),
        pytest.param("一、（三）", "资金,充分发挥其", id="三-充分发挥"),
        pytest.param("三、（二十六）", "深化“空间换地”", id="二十六-空间换地"),
        pytest.param("二、（十二）", "建设期满后续效评价优秀的", id="十二-绩效评价"),
    ],
)
def test_page_breaks_repaired(corpus, path, fragment):
    clause = next(c for c in doc(corpus, D10).clauses if c.path == path)
    assert fragment in clause.text
    assert "\n" not in clause.text


def test_page_break_repairs_in_other_documents(corpus):
    s3 = {c.path: c for c in doc(corpus, DS3).clauses}
    assert "保险机构应当主动与涉保当事人沟通" in s3["二、（一）1."].text
    assert "也可向司法鉴定协会(联络组)反映。" in s3["二、（三）10."].text
    assert "南湖区七星街道孟琤" in {c.path: c for c in doc(corpus, D12).clauses}["第3段"].text


def test_print_spaces_removed_names_kept():
    assert clean_spaces("市级财政 2024 年预算安排 64.96 亿元") == "市级财政2024年预算安排64.96亿元"
    assert clean_spaces("嘉政发〔2024〕10 号") == "嘉政发〔2024〕10号"
    assert clean_spaces("(2024-2026 年)") == "(2024-2026年)"
    assert clean_spaces("嘉兴市司法局 嘉兴市中级人民法院") == "嘉兴市司法局 嘉兴市中级人民法院"
    assert clean_spaces("GAZETTE OF THE PEOPLE'S GOVERNMENT") == "GAZETTE OF THE PEOPLE'S GOVERNMENT"


def test_blocks_join_only_unfinished_lines():
    from assistant.blocks import Line

    lines = [Line(1, "推进市级一", False), Line(2, "", False), Line(3, "流学科建设。", False),
             Line(4, "下一段。", False), Line(5, "嘉兴市人民政府", False), Line(6, "2024年3月1日", False)]
    assert [b.text for b in build_blocks(lines)] == ["推进市级一流学科建设。", "下一段。", "嘉兴市人民政府", "2024年3月1日"]


def test_heading_levels_do_not_matter(corpus):
    # 10号 prints its sections as ###, ## and ####; all eight are sections.
    raw = CORPUS_FILE.read_text(encoding="utf-8")
    assert "### 一、扩大有效投资政策" in raw and "## 二、科技创新政策" in raw and "#### 四、现代服务业" in raw
    assert [c.heading for c in doc(corpus, D10).clauses if c.level == "section"][:4] == [
        "扩大有效投资政策", "科技创新政策", "“135N”先进制造业集群培育政策", "现代服务业高质量发展政策"]


def test_documents_and_dates(corpus):
    d10, d14, ds3, d12 = doc(corpus, D10), doc(corpus, D14), doc(corpus, DS3), doc(corpus, D12)
    assert (d10.signed, d10.effective_from, d10.effective_to) == (dt.date(2024, 3, 1), dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert (d14.signed, d14.effective_from, d14.effective_to) == (dt.date(2024, 4, 18), dt.date(2024, 5, 20), dt.date(2026, 12, 31))
    assert (ds3.signed, ds3.effective_from, ds3.effective_to) == (dt.date(2024, 3, 5), dt.date(2024, 4, 15), None)
    assert d12.signed == dt.date(2024, 4, 16) and d12.kind == "decision"
    assert d14.doc_no_raw == "嘉政发[2024]14号" and d14.doc_no == D14
    assert ds3.issuer == "嘉兴市司法局 嘉兴市中级人民法院 国家金融监督管理总局嘉兴监管分局"
    assert d10.subtitle == "嘉兴市进一步推动经济高质量发展若干政策"
    g = corpus.gazettes[0]
    assert g.issue == "2024年第04、05期（总第250、251期）" and g.published == dt.date(2024, 5, 26)


def test_clause_validity_inherits_document(corpus):
    c = next(c for c in doc(corpus, D10).clauses if c.path == "七、（五十一）")
    assert (c.valid_from, c.valid_to) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def test_responsible_units(corpus):
    d10 = {c.path: c for c in doc(corpus, D10).clauses}
    assert d10["三、（十九）"].responsible_units == ("市经信局",)
    assert d10["二、（十四）"].responsible_units[0] == "市委组织部[市委人才办]"
    assert d10["七、"].responsible_units == ("市农业农村局", "市发展改革委")
    d13 = {c.path: c for c in doc(corpus, D13).clauses}
    assert d13["二、（十三）"].responsible_units == ("市建设局", "市经信局", "市商务局", "市民政局")
    assert parse_units("(责任单位:市经信局。列第一位的为牵头单位,下同)") == ("市经信局",)


def test_star_rating_typo_is_noted_not_resolved(corpus):
    c = next(c for c in doc(corpus, D10).clauses if c.path == "三、（二十六）")
    assert "“五星级”“四星级”“五星级”小微企业园" in c.text  # verbatim
    assert len(c.notes) == 1 and "五星级" in c.notes[0] and "重复" in c.notes[0]
    others = [x for x in corpus.clauses if x.notes and x.id != c.id]
    assert others == []
    assert quality_notes("对“国家级”“省级”“市级”分别给予150万元、50万元、20万元") == ()


def test_appointments_one_entry_each(corpus):
    d = next(x for x in corpus.documents if x.kind == "appointments")
    raw = source_lines(d.line_start, d.line_end).splitlines()
    ends = [x for x in raw if x.strip().rstrip("*").endswith(("；", "。"))]
    assert len(d.clauses) == len(ends)
    first = {c.path: c.text for c in d.clauses}
    assert first["任命1"] == "包毓琼任嘉兴市人民政府副秘书长；"
    assert first["免去1"] == "免去张国强的嘉兴市长三角一体化发展办公室副主任，兼任的嘉兴市对口工作领导小组办公室专职副主任职务；"
    assert sum(c.path.startswith("任命") for c in d.clauses) == 49
    assert sum(c.path.startswith("免去") for c in d.clauses) == 41


def test_indexes(corpus):
    idx = [d for d in corpus.documents if d.kind == "index"]
    assert [len(d.clauses) for d in idx] == [4, 1]
    assert idx[0].clauses[3].text.startswith("嘉政发[2024]14号 嘉兴市人民政府关于印发")
    assert all(d.doc_no is None for d in idx)


def test_reads_lines_with_markup_removed():
    lines = read_lines(CORPUS_FILE)
    assert any(x.text == "三、“135N”先进制造业集群培育政策(由市经信局牵头实施)" and x.heading for x in lines)


def test_second_gazette_file_is_parsed(tmp_path):
    from assistant.corpus import Corpus

    (tmp_path / "a.md").write_text(CORPUS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    text = CORPUS_FILE.read_text(encoding="utf-8").replace("嘉政发〔2024〕10 号", "嘉政发〔2025〕1 号").replace(
        "第04、05期（总第250、251期）", "第06期（总第252期）")
    (tmp_path / "b.md").write_text(text, encoding="utf-8")
    c = Corpus.load(tmp_path)
    assert len(c.gazettes) == 2
    assert c.document("嘉政发〔2025〕1号") is not None
    assert c.document("嘉政发〔2025〕1号").source == "b.md" and c.document(D10).source == "a.md"
    assert len({x.id for x in c.clauses}) == len(c.clauses)
    # the other documents of b.md repeat a.md's 文号: kept once, with a warning naming both files
    assert any("嘉政发〔2024〕13号" in w and "b.md" in w for w in c.warnings)
