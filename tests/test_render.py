"""The page's HTML: corpus and user text is escaped wherever it is rendered."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.corpus import Corpus
from assistant.settings import get_settings
from tests.conftest import CORPUS_FILE, TODAY
from ui import render

pytestmark = pytest.mark.unit
EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture
def planted(tmp_path):
    text = CORPUS_FILE.read_text(encoding="utf-8").replace("(五十二)建设美丽乡村。", f"(五十二)建设美丽乡村。{EVIL}")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "g.md").write_text(text, encoding="utf-8")
    return Corpus.load(tmp_path / "c")


def test_corpus_html_in_source_cards_and_lookup_is_escaped(planted):
    bot = Assistant(get_settings(env={"ASSISTANT_INDEX_DIR": "/nonexistent", "ASSISTANT_TODAY": TODAY.isoformat()}),
                    corpus=planted)
    ans = bot.ask("10号文第52条")
    html = render.source_cards(planted, ans, TODAY)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img" not in html
    from assistant.lookup import lookup

    res = render.lookup_results(lookup(planted, "10号文第52条", TODAY))
    assert "<script>" not in res and "&lt;script&gt;" in res
    clause = next(c for c in planted.clauses if c.path == "七、（五十二）")
    assert "<script>" not in render.clause_html(planted, clause, TODAY)


def test_highlight_marks_only_escaped_quote():
    out = render.highlight("甲<b>乙</b>。丙。", "丙。")
    assert out == "甲&lt;b&gt;乙&lt;/b&gt;。<mark>丙。</mark>"
