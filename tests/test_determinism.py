"""The same question gets the same answer in every process: nothing the decision reads may depend on the order of a
set of strings, which changes with the process's hash seed (PYTHONHASHSEED)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, TODAY

SETS = ["golden.jsonl", *(f"colloquial{n}/dev.jsonl" for n in ("", 2, 3, 4, 5, 6, 7, 8, 9))]


def _answers(seed: str, batch: str, tmp_path) -> dict[str, str]:
    out = tmp_path / f"answers-{seed}.jsonl"
    env = {**os.environ, "PYTHONHASHSEED": seed, "ASSISTANT_TODAY": TODAY.isoformat(),
           "ASSISTANT_SEMANTIC": "on", "ASSISTANT_LLM_BASE_URL": ""}
    subprocess.run([sys.executable, "-m", "assistant", "ask", "--batch", batch, "--out", str(out)],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
    return {(r := json.loads(line))["id"]: r.get("answer", "") for line in out.read_text(encoding="utf-8").splitlines()}


@pytest.mark.integration
@pytest.mark.slow
def test_answers_do_not_depend_on_the_hash_seed(tmp_path):
    batch = tmp_path / "questions.jsonl"
    with batch.open("w", encoding="utf-8") as f:
        for name in SETS:
            for line in (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines():
                case = json.loads(line)
                f.write(json.dumps({"id": f"{name}:{case['id']}", "question": case["question"],
                                    "history": case.get("history") or []}, ensure_ascii=False) + "\n")
    first, second = _answers("1", str(batch), tmp_path), _answers("2", str(batch), tmp_path)
    assert len(first) > 1000 and first.keys() == second.keys()
    differ = [k for k in first if first[k] != second[k]]
    assert not differ, f"answers that change with the hash seed: {differ[:10]}"
