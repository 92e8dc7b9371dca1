"""`assistant match`: text, --profile, --batch with hostile lines; the LangChain tool and the plain function."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.cli import main
from tests.conftest import ROOT

pytestmark = pytest.mark.unit
CONTRACT = ["id", "profile", "eligible", "near_misses", "needs", "total_yuan", "notes"]
ITEM = {"rule_id", "title", "citation", "amount_yuan", "is_maximum", "valid_on_date", "steps"}


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_match_text_json(capsys):
    code, out, _ = run(["match", "我们是做物流的，去年营收4800万，今年5200万", "--date", "2026-11-28", "--json"], capsys)
    rec = json.loads(out)
    assert code == 0 and list(rec) == CONTRACT and rec["total_yuan"] == 200_000
    assert rec["eligible"][0]["citation"] == {"doc_no": "嘉政发〔2024〕14号", "clause": "三、（一）"}


def test_match_text_human_readable_says_expired_first(capsys):
    code, out, _ = run(["match", "今年新认定省级绿色工厂，今年评上省级服务型制造示范企业"], capsys)  # ASSISTANT_TODAY=2026-11-28
    assert code == 0
    assert out.index("已失效") < out.index("符合条件") < out.index("合计：50万元")


def test_match_profile_file(tmp_path, capsys):
    f = tmp_path / "p.json"
    f.write_text(json.dumps({"industry": "批零贸易", "revenue": {"2025": "4.8亿", "2026": "5.5亿"}}), encoding="utf-8")
    code, out, _ = run(["match", "--profile", str(f), "--json"], capsys)
    assert code == 0 and json.loads(out)["total_yuan"] == 100_000
    f.write_text(json.dumps({"revenue": {"2026": "很多"}}), encoding="utf-8")
    code, out, err = run(["match", "--profile", str(f)], capsys)
    assert code == 2 and "revenue.2026" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["match"], ["match", "   "], ["match", "x", "--date", "2026-13-01"]])
def test_bad_arguments_are_one_sentence(args, capsys):
    code, _, err = run(args, capsys)
    assert code == 2 and err.strip() and "Traceback" not in err and len(err.strip().splitlines()) == 1


HOSTILE = [
    b'{"id": "ok1", "text": "\xe6\x88\x91\xe4\xbb\xac\xe6\x98\xaf\xe7\x89\xa9\xe6\xb5\x81\xe4\xbc\x81\xe4\xb8\x9a\xef\xbc\x8c2025\xe5\xb9\xb4\xe8\x90\xa5\xe6\x94\xb64800\xe4\xb8\x87\xef\xbc\x8c2026\xe5\xb9\xb4\xe8\x90\xa5\xe6\x94\xb65200\xe4\xb8\x87", "date": "2026-11-28"}',
    b"",  # empty line
    b"{not json",
    b'{"id": "u1", "text": "\xff\xfe bad bytes"}',  # invalid UTF-8, id kept
    json.dumps({"id": 7, "text": 12345}).encode(),  # wrong type
    json.dumps({"id": "d", "text": "物流企业", "date": "yesterday"}, ensure_ascii=False).encode(),
    json.dumps({"id": "big", "text": "营收" * 50_000}, ensure_ascii=False).encode(),  # huge
    json.dumps([1, 2, 3]).encode(),
    json.dumps({"id": {"x": 1}, "text": "物流"}, ensure_ascii=False).encode(),
    json.dumps({"id": "p", "profile": {"industry": "物流运输", "revenue": {"2025": "4800万", "2026": "5200万"}},
                "date": "2026-11-28"}, ensure_ascii=False).encode(),
    json.dumps({"id": "bp", "profile": {"revenue": {"2026": -1}}}).encode(),
    b"[" * 100_000,  # deep nesting
    b'"just a string"',
    json.dumps({"id": 3, "text": ""}).encode(),
    json.dumps({"id": "ok2", "text": "家庭农场，2024年稻麦复种200亩", "date": "2024-06-01"}, ensure_ascii=False).encode(),
]


def test_batch_contract_holds_for_every_line(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_bytes(b"\n".join(HOSTILE) + b"\n")
    proc = subprocess.run([sys.executable, "-m", "assistant", "match", "--batch", str(src), "--out", str(dst)],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr  # 1: some lines were errors
    records = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(HOSTILE)  # one record per input line, in order
    for rec in records:
        for key in CONTRACT:
            assert key in rec
        assert isinstance(rec["eligible"], list) and isinstance(rec["total_yuan"], int)
        for item in rec["eligible"]:
            assert ITEM <= set(item) and set(item["citation"]) == {"doc_no", "clause"}
        if "error" in rec:
            assert rec["error"] and "Traceback" not in rec["error"] and rec["total_yuan"] == 0
    by_id = {r["id"]: r for r in records if r["id"] is not None}
    assert by_id["ok1"]["total_yuan"] == 200_000 and "error" not in by_id["ok1"]
    assert by_id["p"]["total_yuan"] == 200_000
    assert by_id["ok2"]["eligible"][0]["amount_yuan"] == 3000  # 200亩 × 15元
    assert "UTF-8" in by_id["u1"]["error"] and "text" in by_id[7]["error"] and "日期" in by_id["d"]["error"]
    assert "超过上限" in by_id["big"]["error"] and "revenue.2026" in by_id["bp"]["error"] and "空" in by_id[3]["error"]
    assert [r["line"] for r in records if "error" in r] == [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]


def test_tool_is_constructible_and_never_raises():
    from langchain_core.tools import BaseTool

    from assistant.matching.tool import PolicyMatchTool

    tool = PolicyMatchTool()
    assert isinstance(tool, BaseTool) and tool.name == "policy_match"
    out = tool.invoke({"text": "物流企业，2025年营收4800万，2026年营收5200万", "date": "2026-11-28"})
    assert out["total_yuan"] == 200_000 and list(out) == CONTRACT
    for bad in ({"text": "物流", "date": "not a date"}, {"text": "x" * 10_000}):
        out = tool.invoke(bad)
        assert set(out) == {"error"} and out["error"]


def test_plain_function_for_tool_registries():
    from assistant.matching import match_text

    rec = match_text("物流企业，2025年营收4800万，2026年营收5200万", "2026-11-28")
    assert rec["total_yuan"] == 200_000
    with pytest.raises(ValueError):
        match_text("物流", "2026-02-30")
