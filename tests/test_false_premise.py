"""Every claimed amount of every multi-amount sentence of the gazette, generated from the enumeration parser and the
statements reader (not hand-picked): a right claim is confirmed, a wrong one corrected with the right amount, and the
answer cites the clause."""

from __future__ import annotations

import re

import pytest

from assistant.answer import Assistant
from assistant.compose import find_enumerations, split_sentences
from assistant.corpus import Corpus
from assistant.settings import get_settings
from assistant.statements import statements
from tests.conftest import CORPUS_DIR, TODAY

pytestmark = pytest.mark.unit

AWARD = re.compile(r"奖励|补助|补贴")


def _claims() -> list:
    corpus = Corpus.load(CORPUS_DIR)
    out = []
    for c in corpus.clauses:
        if c.level == "section":  # a part repeats its clauses' text; each clause is asked about itself
            continue
        singles = []
        for s in split_sentences(c.text):
            enums = [e for e in find_enumerations(s) if len(set(e.amounts)) > 1]
            for e in enums:
                for label, amount in zip(e.labels, e.amounts):
                    if e.labels.count(label) > 1:  # 10号（二十六）prints “五星级” twice: no claim can name one item
                        continue
                    for claim in dict.fromkeys(e.amounts):
                        out.append(pytest.param(c.citation, f"{label}{e.per}{e.word or '奖励'}{claim}，对吗", amount,
                                                claim, id=f"{c.citation}-{label}-{claim}"))
            if not enums:
                singles += [st for st in statements(s) if st.kind == "money" and AWARD.search(st.phrase)
                            and re.match(r"对(.+?)[,，]", st.subject)]
        if len({st.figure for st in singles}) < 2:
            continue
        for st in singles:  # "对新认定的省重点实验室,给予每家200万元奖励" beside "…全国重点实验室分中心…300万元"
            item = re.match(r"对(.+?)[,，]", st.subject).group(1)
            word = AWARD.search(st.phrase).group(0)
            for claim in dict.fromkeys(x.figure for x in singles):
                out.append(pytest.param(c.citation, f"{item}{word}{claim}，对吗", st.figure, claim,
                                        id=f"{c.citation}-{item}-{claim}"))
    return out


CLAIMS = _claims()


@pytest.fixture(scope="module")
def bot():
    return Assistant(get_settings(env={"ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_INDEX_DIR": "/nonexistent"}))


def test_the_generator_covers_the_gazette():
    cited = {p.values[0] for p in CLAIMS}
    # 10号 (十一)…(二十二) and 14号 三、（一）hold the multi-amount award sentences
    assert {"嘉政发〔2024〕10号 二、（十二）", "嘉政发〔2024〕10号 三、（二十）", "嘉政发〔2024〕14号 三、（一）"} <= cited
    assert len(CLAIMS) > 150


@pytest.mark.parametrize("citation, question, right, claim", CLAIMS)
def test_claim_is_confirmed_only_for_the_askers_item(bot, citation, question, right, claim):
    ans = bot.ask(question)
    first = ans.answer.split("\n")[0]
    if claim == right:
        assert first.startswith("是的"), ans.answer
    else:
        assert first.startswith("不对") and right in first, ans.answer
    assert any(f"{c.doc_no} {c.clause}" == citation for c in ans.citations), ans.citations
