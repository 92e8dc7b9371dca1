"""Mutation check of the evaluation gate: plant plausible bugs, one at a time, and see whether the gate notices.

Each mutant copies `assistant/` into a temporary directory, replaces one exact piece of code (which must occur exactly
once, so a mutant that no longer applies is reported rather than silently skipped), runs the strict evaluation of the
gate's golden set with that copy first on PYTHONPATH, and checks the result against evals/baseline.json. A mutant is
killed when the gate fails. Every mutant must be killed; the exit code is 1 otherwise.

    python evals/mutants.py                 # all mutants, a table (Markdown) on stdout
    python evals/mutants.py -k cap,history  # only mutants whose name contains one of these
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent


class Mutant(NamedTuple):
    name: str
    bug: str
    file: str
    old: str
    new: str


MUTANTS = [
    Mutant("neighbour-item", "alignment states the next item's amount", "compose.py",
           'parts = [f"{enum.labels[i]}：{enum.per}{enum.amounts[i]}{word}" for i in idx]',
           'parts = [f"{enum.labels[i]}：{enum.per}{enum.amounts[(i + 1) % len(enum.amounts)]}{word}" for i in idx]'),
    Mutant("premise-always-confirmed", "a claimed amount is always confirmed", "compose.py",
           "if any(c in amounts for c in claimed):", "if True:"),
    Mutant("refusal-gate-off", "out-of-scope questions are answered from the nearest clause", "answer.py",
           "    if not ev.weak:\n        return None\n    corpus = ev.assistant.corpus",
           "    if True:\n        return None\n    corpus = ev.assistant.corpus"),
    Mutant("refusal-router-off", "the router never refuses another place, year or topic", "router.py",
           "def route(question: str, corpus_text: str, max_chars: int, knowledge: Knowledge) -> Route:",
           "def route(question: str, corpus_text: str, max_chars: int, knowledge: Knowledge) -> Route:\n"
           "    return _route(question, corpus_text, max_chars, knowledge) if False else _no_refusal(question, "
           "corpus_text, max_chars, knowledge)\n\n\ndef _no_refusal(question, corpus_text, max_chars, knowledge):\n"
           "    r = _route(question, corpus_text, max_chars, knowledge)\n"
           "    return Route('policy', '') if r.kind in ('out_of_scope', 'chitchat', 'injection') else r\n\n\n"
           "def _route(question: str, corpus_text: str, max_chars: int, knowledge: Knowledge) -> Route:"),
    Mutant("refusal-gate-always-on", "every policy question is refused", "answer.py",
           "MIN_COVERAGE = 0.3", "MIN_COVERAGE = 1.01"),
    Mutant("cap-dropped", "the calculator ignores caps", "calculator/formulas.py",
           "    if amount > cap.value:\n", "    if False:\n"),
    Mutant("threshold-ge", "“超过” read as “达到” (>= for >) in revenue tiers", "calculator/formulas.py",
           "        if revenue > threshold.value:", "        if revenue >= threshold.value:"),
    Mutant("validity-date", "the end of validity read a year late", "validity.py",
           "    start, end = doc.effective_from, doc.effective_to\n",
           "    start, end = doc.effective_from, doc.effective_to and doc.effective_to.replace(year=doc.effective_to.year + 1)\n"),
    Mutant("second-best-clause", "the second-ranked clause is answered and cited", "answer.py",
           "        return self.ranked[0][0]\n\n    @property\n    def top_cov(self) -> float:\n        return self.ranked[0][1]\n",
           "        return self.ranked[min(1, len(self.ranked) - 1)][0]\n\n    @property\n    def top_cov(self) -> float:\n"
           "        return self.ranked[min(1, len(self.ranked) - 1)][1]\n"),
    Mutant("history-ignored", "follow-ups are answered without the conversation", "answer.py",
           "resolved = to_simplified(resolve_history(own, history, slots) if history else question)",
           "resolved = to_simplified(question)"),
    Mutant("quote-truncated", "the quoted sentence is cut after 20 characters", "compose.py",
           "    quote = sentence.strip()\n", "    quote = sentence.strip()[:20]\n"),
    Mutant("statement-neighbour", "a single-award sentence states the previous figure", "statements.py",
           "    chosen = [s for s, sc in zip(pool, scores) if sc == best]\n",
           "    chosen = [pool[(i - 1) % len(pool)] for i, sc in enumerate(scores) if sc == best]\n"),
    Mutant("warning-dropped", "the expiry warning of a cited document is not shown", "compose.py",
           '        if status in ("expired", "not_yet") or (status == "valid" and "距到期" in sentence):\n',
           '        if False:\n'),
    Mutant("units-dropped", "the 责任单位 of a clause is not named", "compose.py",
           "    if units:\n        lines.append(\"责任单位：\"",
           "    if False:\n        lines.append(\"责任单位：\""),
]


def apply(mutant: Mutant, dest: Path) -> None:
    shutil.copytree(ROOT / "assistant", dest / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
    path = dest / "assistant" / mutant.file
    text = path.read_text(encoding="utf-8")
    if text.count(mutant.old) != 1:
        raise SystemExit(f"mutant {mutant.name}: the code it changes is not found exactly once in {mutant.file}")
    path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")


def run_gate(pythonpath: Path, out: Path) -> tuple[bool, dict]:
    baseline = ROOT / "evals" / "baseline.json"
    golden = ROOT / json.loads(baseline.read_text(encoding="utf-8"))["golden"]
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus"),
           "ASSISTANT_INDEX_DIR": str(out / "index"), "ASSISTANT_TODAY": "2026-11-28", "HF_HUB_OFFLINE": "1"}
    env.pop("ASSISTANT_LLM_BASE_URL", None)
    p = subprocess.run([sys.executable, "-m", "assistant", "eval", "--golden", str(golden), "--no-retrieval",
                        "--json", "--out", str(out / "reports"), "--baseline", str(baseline)],
                       capture_output=True, text=True, env=env, cwd=out, timeout=900)
    try:
        totals = json.loads(p.stdout)
    except json.JSONDecodeError:
        totals = {"error": (p.stderr or p.stdout)[-300:]}
    return p.returncode != 0, totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", help="comma-separated parts of mutant names to run")
    args = ap.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.k or any(k in m.name for k in args.k.split(","))]
    rows, survivors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "clean"
        clean.mkdir()
        shutil.copytree(ROOT / "assistant", clean / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
        failed, totals = run_gate(clean, clean)
        if failed:
            print(f"the unmutated code fails the gate: {totals}", file=sys.stderr)
            return 2
        for m in chosen:
            d = Path(tmp) / m.name
            d.mkdir()
            apply(m, d)
            t0 = time.perf_counter()
            killed, totals = run_gate(d, d)
            rows.append((m, killed, totals, time.perf_counter() - t0))
            if not killed:
                survivors.append(m.name)
            print(f"{m.name}: {'killed' if killed else 'SURVIVED'}", file=sys.stderr, flush=True)
    print("| mutant | bug | killed | pass (strict) | pass (lenient) | facts (strict) | citation | calculator | "
          "refusal P / R | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for m, killed, t, secs in rows:
        def f(k):
            v = t.get(k)
            return "—" if v is None else f"{v:.3f}"
        print(f"| {m.name} | {m.bug} | {'yes' if killed else '**no**'} | {f('pass_rate')} | {f('pass_rate_lenient')} | "
              f"{f('fact_accuracy')} | {f('citation_accuracy')} | {f('calculator_exactness')} | "
              f"{f('refusal_precision')} / {f('refusal_recall')} | {secs:.0f} |")
    print(f"\n{len(rows) - len(survivors)} of {len(rows)} mutants killed" +
          (f"; survivors: {', '.join(survivors)}" if survivors else ""))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
