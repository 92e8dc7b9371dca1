"""The lookup store (assistant/lookup_store.py): the cold `assistant lookup` reads the clause registry as JSON with the
standard library only. It must print the same bytes as the full way for every citation and keyword lookup, and
take the full way when the store is missing, stale or damaged, or when settings it does not read are set."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest

from assistant import cli, lookup_store
from assistant.corpus import Corpus
from assistant.settings import get_settings
from tests.conftest import CORPUS_DIR, ROOT, TODAY

pytestmark = pytest.mark.unit


def queries(corpus) -> list[str]:
    """Every clause of every document by its canonical citation (units without 文号 go the keyword way), every
    number of each document as 第N条, ranges and references that do not exist, keywords, bad input, and the golden
    set's questions."""
    out = [c.citation for c in corpus.clauses]
    for d in corpus.documents:
        if d.doc_no:
            number = int(d.doc_no.split("〕")[1].rstrip("号"))
            out += [f"{number}号文第{i}条" for i in range(0, 70)] + [d.doc_no]
            out += [f"{number}号文 第{i}项" for i in (1, 8, 13, 99)]
    out += [
        "14号文（一）", "14号文第一部分", "10号文第99条", "10号文第-1条", "10号文第一百条", "99号文第1条", "示政发3号第1条",
        "嘉政發〔2024〕10號 (十九)", "１０号文第１９条", "嘉司发〔2024〕3号 第8条", "嘉政发[2024]10号（十九）讲什么",
        "10号文 绿色工厂", "14号文 工业设计", "99号文 绿色工厂", "第十九条", "三、", "8.",
        "种粮大户有什么补贴", "绿色工厂", "专精特新小巨人奖励", "海铁联运 标箱", "首台（套）保险", "顾伟忠", "zzzqqq",
        "我想开个托育机构，市里有什么说法", "哪一条讲补贴", "",  "   ", "\u200b", "补贴" * 1001,
    ]
    golden = (ROOT / "evals" / "golden.jsonl").read_text(encoding="utf-8").splitlines()
    return out + [json.loads(line)["question"] for line in golden if line.strip()]  # questions as keyword lookups


def full_way(corpus, monkeypatch, capsys, query: str, as_json: bool) -> tuple[int, str, str]:
    """cli.cmd_lookup (the library's way, as before the store), on the session's corpus."""
    monkeypatch.setattr(Corpus, "load", classmethod(lambda cls, d: corpus))
    monkeypatch.setattr(lookup_store, "save", lambda *a: None)
    args = argparse.Namespace(query=query, k=5, json=as_json)
    try:
        code = cli.cmd_lookup(args, get_settings())
    except Exception as exc:  # as cli.main says it
        from assistant.errors import user_message

        print(user_message(exc), file=sys.stderr)
        code = 2
    out = capsys.readouterr()
    return code, out.out, out.err


def store_way(stored, capsys, query: str, as_json: bool) -> tuple[int, str, str]:
    done = lookup_store.answer(stored, query, 5, as_json, TODAY)
    assert done is not None, query
    code, out, err = done
    print(out) if out else None
    print(err, file=sys.stderr) if err else None
    got = capsys.readouterr()
    return code, got.out, got.err


@pytest.fixture(scope="module")
def stored(corpus):
    key = lookup_store.fingerprint(CORPUS_DIR)
    return lookup_store.StoredCorpus(json.loads(json.dumps(lookup_store.registry(corpus, key))))


def test_the_store_prints_the_same_bytes_as_the_full_way(corpus, stored, monkeypatch, capsys):
    qs = queries(corpus)
    assert len(qs) > 600
    kinds = set()
    for query in qs:
        for as_json in (False, True):
            want = full_way(corpus, monkeypatch, capsys, query, as_json)
            got = store_way(stored, capsys, query, as_json)
            assert got == want, (query, as_json)
            if as_json and want[0] != 2:
                kinds.add(json.loads(want[1])["kind"])
    assert kinds == {"citation", "keyword", "none"}  # every branch was compared


def test_the_store_holds_every_clause_field_lookup_reads(corpus, stored):
    assert [c.id for c in stored.clauses] == [c.id for c in corpus.clauses]
    for mine, theirs in zip(stored.clauses, corpus.clauses):
        for field in lookup_store.CLAUSE_FIELDS:
            want = getattr(theirs, field)
            assert getattr(mine, field) == want, (theirs.id, field)
    assert stored.tokenizer._terms == corpus.tokenizer._terms
    assert stored.tokenizer.synonyms == corpus.tokenizer.synonyms
    assert stored.tokenizer.stopwords == corpus.tokenizer.stopwords


# ------------------------------------------------------------------------------------------ missing, stale, damaged


@pytest.fixture
def corpus_copy(tmp_path, monkeypatch):
    """A corpus directory of our own (the files copied), pointed at by ASSISTANT_CORPUS_DIR."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, folder)
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(folder))
    return folder


def run_main(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(["lookup", *argv])
    got = capsys.readouterr()
    return code, got.out, got.err


def index_dir():
    return get_settings().index_dir


def test_missing_store_takes_the_full_way_and_writes_it(corpus_copy, capsys):
    assert lookup_store.cold_lookup("10号文第19条") is None  # nothing stored yet
    first = run_main(capsys, "10号文第19条")
    assert first[0] == 0 and "推进企业数字化改造" in first[1]
    stores = list(index_dir().glob("lookup-*.json"))
    assert [p.name for p in stores] == [f"lookup-{lookup_store.fingerprint(corpus_copy)}.json"]
    assert lookup_store.cold_lookup("10号文第19条") is not None  # now the short way answers
    assert run_main(capsys, "10号文第19条") == first


def test_stale_store_is_never_read(corpus_copy, capsys):
    run_main(capsys, "10号文第19条")
    old = next(index_dir().glob("lookup-*.json"))
    gazette = corpus_copy / "jiaxing-gazette-2024-04-05.md"
    gazette.write_text(gazette.read_text(encoding="utf-8").replace("推进企业数字化改造", "推进企业数智化改造"),
                       encoding="utf-8")
    assert lookup_store.cold_lookup("10号文第19条") is None  # the gazette changed: another key
    code, out, _ = run_main(capsys, "10号文第19条")
    assert code == 0 and "推进企业数智化改造" in out and "数字化改造" not in out.split("\n")[2]
    assert not old.exists() and len(list(index_dir().glob("lookup-*.json"))) == 1  # replaced
    assert run_main(capsys, "10号文第19条")[1] == out  # and read from the new one


def test_a_changed_data_file_or_parser_changes_the_key(corpus_copy, tmp_path, monkeypatch):
    before = lookup_store.fingerprint(corpus_copy)
    data = corpus_copy / "jiaxing-gazette-2024-04-05.toml"
    data.write_text(data.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after_data = lookup_store.fingerprint(corpus_copy)
    assert after_data != before
    package = tmp_path / "package"
    package.mkdir()
    for p in lookup_store.PACKAGE.glob("*.py"):
        shutil.copy(p, package / p.name)
    monkeypatch.setattr(lookup_store, "PACKAGE", package)
    assert lookup_store.fingerprint(corpus_copy) == after_data
    (package / "parsing.py").write_text((package / "parsing.py").read_text(encoding="utf-8") + "\n# changed\n",
                                        encoding="utf-8")
    assert lookup_store.fingerprint(corpus_copy) != after_data


def test_a_store_under_another_key_is_stale(corpus_copy, capsys):
    run_main(capsys, "10号文第19条")
    path = next(index_dir().glob("lookup-*.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["key"] = "0" * 24  # e.g. copied from another corpus under this name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert lookup_store.cold_lookup("10号文第19条") is None


def _damage_truncated(path):
    path.write_bytes(path.read_bytes()[:5000])


def _damage_empty(path):
    path.write_bytes(b"")


def _damage_not_utf8(path):
    path.write_bytes(b"\xff\xfe" + path.read_bytes()[2:])


def _edit(change):
    def damage(path):
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return damage


@pytest.mark.parametrize("damage", [
    pytest.param(_damage_truncated, id="truncated"),
    pytest.param(_damage_empty, id="empty"),
    pytest.param(_damage_not_utf8, id="not-utf8"),
    pytest.param(_edit(lambda d: d.clear()), id="empty-object"),
    pytest.param(_edit(lambda d: d.update(format=99)), id="other-format"),
    pytest.param(_edit(lambda d: d.update(documents="x")), id="documents-not-a-list"),
    pytest.param(_edit(lambda d: d.update(documents=[])), id="no-documents"),
    pytest.param(_edit(lambda d: d["documents"][1]["clauses"][30].update(number="十九")), id="number-a-string"),
    pytest.param(_edit(lambda d: d["documents"][1]["clauses"][30].update(notes="x")), id="notes-not-a-list"),
    pytest.param(_edit(lambda d: d["documents"][1]["clauses"][30].pop("text")), id="clause-without-text"),
    pytest.param(_edit(lambda d: d["documents"][1].update(effective_to="2024-13-45")), id="bad-date"),
    pytest.param(_edit(lambda d: d["documents"][1]["clauses"][30].update(doc_key="nowhere")), id="orphan-clause"),
    pytest.param(_edit(lambda d: d["tokenizer"].update(stopwords=[1, 2])), id="stopwords-not-strings"),
    pytest.param(_edit(lambda d: d.pop("examples")), id="no-examples"),
])
def test_damaged_store_takes_the_full_way_and_is_rewritten(corpus_copy, capsys, damage):
    for as_json in ((), ("--json",)):
        want = run_main(capsys, "10号文第19条", *as_json)
        path = next(index_dir().glob("lookup-*.json"))
        good = path.read_bytes()
        damage(path)
        assert lookup_store.cold_lookup("10号文第19条", as_json=bool(as_json)) is None
        assert run_main(capsys, "10号文第19条", *as_json) == want
        assert path.read_bytes() == good  # rewritten by the full way


def test_unwritable_index_folder_still_answers(corpus_copy, capsys, monkeypatch, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(blocked / "index"))
    code, out, err = run_main(capsys, "10号文第19条")
    assert code == 0 and "推进企业数字化改造" in out and err == ""


# ------------------------------------------------------------------------------------------ settings


@pytest.mark.parametrize("env", [
    pytest.param({}, id="none"),
    pytest.param({"ASSISTANT_TODAY": "2026-11-28"}, id="today"),
    pytest.param({"ASSISTANT_TODAY": " 2025-01-02 "}, id="today-spaces"),
    pytest.param({"ASSISTANT_TODAY": "20250102"}, id="today-basic-iso"),
    pytest.param({"ASSISTANT_CORPUS_DIR": "~/somewhere", "ASSISTANT_INDEX_DIR": "rel/index"}, id="dirs"),
    pytest.param({"assistant_today": "2024-06-01"}, id="lower-case"),
    pytest.param({"ASSISTANT_TODAY": "", "ASSISTANT_PORT": ""}, id="empty-means-unset"),
    pytest.param({"ASSISTANT_CACHE_DIR": "/tmp/x", "ASSISTANT_SEMANTIC": "off", "ASSISTANT_DATA_DIR": "d"}, id="others-read"),
])
def test_store_settings_read_as_get_settings_reads_them(env):
    s = get_settings(env=env)
    assert lookup_store.store_settings(env) == (s.corpus_dir, s.index_dir, s.today)


@pytest.mark.parametrize("env", [
    pytest.param({"ASSISTANT_TODAY": "tomorrow"}, id="bad-today"),
    pytest.param({"ASSISTANT_PORT": "80"}, id="a-setting-the-store-does-not-read"),
    pytest.param({"ASSISTANT_LLM_BASE_URL": "http://127.0.0.1:9"}, id="llm"),
    pytest.param({"ASSISTANT_TODAY": "2026-11-28", "assistant_today": "2026-11-27"}, id="twice"),
])
def test_other_settings_take_the_full_way(env):
    assert lookup_store.store_settings(env) is None


def test_bad_setting_is_still_one_sentence(corpus_copy, capsys, monkeypatch):
    run_main(capsys, "10号文第19条")  # a store exists
    monkeypatch.setenv("ASSISTANT_TODAY", "tomorrow")
    code, out, err = run_main(capsys, "10号文第19条")
    assert code == 2 and out == "" and "ASSISTANT_TODAY" in err


def test_defaults_are_the_settings_defaults():
    s = get_settings(env={})
    assert lookup_store.MAX_QUESTION_CHARS == s.max_question_chars
    assert (lookup_store.PROJECT_ROOT / "corpus", lookup_store.PROJECT_ROOT / "index") == (s.corpus_dir, s.index_dir)


# ------------------------------------------------------------------------------------------ the cold process


def test_cold_lookup_imports_neither_pydantic_nor_the_parser(tmp_path):
    env = dict(os.environ, ASSISTANT_INDEX_DIR=str(tmp_path / "index"))
    code = ("import sys; from assistant.cli import main; rc = main(['lookup', %r, '--json']); "
            "heavy = [m for m in ('pydantic', 'assistant.parsing', 'assistant.corpus', 'torch', 'cn2an') if m in sys.modules]; "
            "print(rc, heavy, file=sys.stderr)")
    for query in ("10号文第19条", "绿色工厂"):  # citation and keyword; the first run of each writes the store
        subprocess.run([sys.executable, "-c", code % query], env=env, cwd=ROOT, capture_output=True, timeout=120)
        p = subprocess.run([sys.executable, "-c", code % query], env=env, cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
        assert p.stderr.strip().splitlines()[-1] == "0 []", p.stderr
        assert json.loads(p.stdout)["matches"]


def test_index_build_writes_the_store(tmp_path, monkeypatch):
    from assistant.index import build_index
    from tests.fakes import HashEmbedder

    settings = get_settings()
    assert not list(settings.index_dir.glob("lookup-*.json"))
    build_index(settings, Corpus.load(settings.corpus_dir), HashEmbedder())
    assert lookup_store.load(settings.index_dir, settings.corpus_dir) is not None
    assert lookup_store.cold_lookup("10号文第19条") is not None


def test_the_store_is_plain_json_of_the_corpus(tmp_path):
    settings = get_settings()
    path = lookup_store.ensure(settings.index_dir, settings.corpus_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == lookup_store.FORMAT and data["key"] == lookup_store.fingerprint(settings.corpus_dir)
    assert sum(len(d["clauses"]) for d in data["documents"]) == 272
    assert lookup_store.ensure(settings.index_dir, settings.corpus_dir) is None  # there already
    assert dt.date.fromisoformat(data["documents"][1]["effective_to"]) == dt.date(2024, 12, 31)
