"""Can the evaluator see a wrong figure? Swap the figure an answer states for another figure of its own quote.

For every case of the given sets that asks for a value and whose answer states an expected figure in its own words
while its quote holds another figure of the same kind, two answer files are written: the answers as given, and the
same answers with that stated figure replaced by the other one ("省级：50万元" → "省级：20万元"; the quote is kept).
Both are scored by `assistant eval --answers` (the same code path as any external system). The swapped answers must
fail (target ≥ 90%) and the unchanged ones pass (target ≥ 80%). Calculations are left out: their amount is checked
as the number the calculator returned (`amount_yuan`), not as text.

    python evals/swap_check.py [evals/golden.jsonl evals/holdout.jsonl …]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import scoring  # noqa: E402
from assistant.answer import Assistant  # noqa: E402
from assistant.cli import answer_json  # noqa: E402
from assistant.evaluation import answer_spans, load_golden  # noqa: E402
from assistant.settings import get_settings  # noqa: E402

FIGURE_TEXT = scoring.FIGURE_RE


def swapped(text: str, spans: list[str], groups: list[list[str]]) -> str | None:
    """The answer with its first stated expected figure replaced by another figure of the same kind from its
    quotes; None when there is no such pair."""
    mine = scoring.own_words(text, spans)
    quoted = "".join(spans)
    expected = {v for g in groups for s in g for _, v in scoring.figures(s)}
    for m in FIGURE_TEXT.finditer(mine):
        figs = scoring.figures(m.group(0))
        if not figs or figs[0][1] not in expected:
            continue
        kind, value = figs[0]
        for q in FIGURE_TEXT.finditer(quoted):
            other = scoring.figures(q.group(0))
            if other and other[0][0] == kind and other[0][1] != value and other[0][1] not in expected:
                # every statement of that figure in the answer's own words; the quotes stay verbatim
                keep = {f"\u2063{i}\u2063": sp for i, sp in enumerate(sorted(set(spans), key=len, reverse=True))}
                masked = text
                for mark, sp in keep.items():
                    masked = masked.replace(sp, mark)
                masked = masked.replace(m.group(0), q.group(0))
                for mark, sp in keep.items():
                    masked = masked.replace(mark, sp)
                return masked
    return None


def score(golden: Path, answers: list[dict], tmp: Path, name: str) -> dict:
    path = tmp / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in answers), encoding="utf-8")
    ids = {a["id"] for a in answers}
    cases = tmp / f"{name}-cases.jsonl"
    cases.write_text("\n".join(line for line in golden.read_text(encoding="utf-8").splitlines()
                               if line.strip() and str(json.loads(line)["id"]) in ids), encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "assistant", "eval", "--golden", str(cases), "--answers", str(path),
                        "--json", "--out", str(tmp / name)], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    if p.returncode != 0:
        raise SystemExit(p.stderr)
    return json.loads(p.stdout)


def run(files: list[Path]) -> dict:
    bot = Assistant(get_settings(env={"ASSISTANT_INDEX_DIR": "/nonexistent"}))
    kept, swaps, total = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        merged = tmp / "all.jsonl"
        lines = []
        for f in files:
            for case in load_golden(f):
                if case.expect.refusal or not case.expect.facts or not scoring.asks_value(case.question):
                    continue
                if case.expect.amount_yuan is not None:  # a calculation: its figure is checked as a number
                    continue
                total += 1
                ans = bot.ask(case.question, case.history, id=case.id)
                spans = answer_spans(ans, bot.corpus)
                bad = swapped(ans.answer, spans, case.expect.facts)
                if bad is None:
                    continue
                record = answer_json(ans)
                kept.append(record)
                swaps.append({**record, "answer": bad})
                lines.append(case.model_dump_json())
        merged.write_text("\n".join(lines), encoding="utf-8")
        unchanged = score(merged, kept, tmp, "unchanged")
        wrong = score(merged, swaps, tmp, "swapped")
    return {"value_cases": total, "swappable": len(kept), "unchanged_pass": unchanged["pass_rate"],
            "unchanged_pass_lenient": unchanged["pass_rate_lenient"], "swapped_failed": round(1 - wrong["pass_rate"], 4),
            "swapped_failed_lenient": round(1 - wrong["pass_rate_lenient"], 4)}


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or [ROOT / "evals" / n for n in ("golden.jsonl", "holdout.jsonl",
                                                                             "probe.jsonl")]
    print(json.dumps(run(args), ensure_ascii=False, indent=1))
