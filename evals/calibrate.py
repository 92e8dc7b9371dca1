"""Calibrate the answer/refuse decision on a development set (never on a locked one).

For every case the router sends to retrieval, the decision sees the best clause's coverage. This prints, for a grid
of the answer threshold (MIN_COVERAGE) and the soft-matching thresholds (MATCH, RELATED), how many answerable
questions would be refused, how many refusal questions answered, and how often the clause kept is the expected one:

    python evals/calibrate.py evals/colloquial/dev.jsonl [--grid]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ASSISTANT_TODAY", "2026-11-28")

from assistant import answer, compose  # noqa: E402
from assistant.evaluation import load_golden, marker_matches  # noqa: E402
from assistant.followup import resolve_history  # noqa: E402
from assistant.retrieval import Filters  # noqa: E402
from assistant.router import route  # noqa: E402
from assistant.settings import get_settings  # noqa: E402


def rows(bot, cases):
    out = []
    for case in cases:
        q = resolve_history(case.question, case.history, bot.corpus.knowledge.slots) if case.history else case.question
        r = route(q, bot.corpus_text, bot.settings.max_question_chars, bot.corpus.knowledge)
        if r.kind != "policy":
            continue
        hits = bot.retriever.retrieve(q, k=8, filters=Filters()).hits
        if not hits:
            continue
        out.append((case, q, hits))
    return out


def score(bot, prepared, min_cov):
    fr = fa = right = answerable = refusals = 0
    for case, q, hits in prepared:
        ranked = answer._rank(bot, q, hits)
        top, cov = ranked[0]
        e = case.expect
        if e.refusal:
            refusals += 1
            fa += cov >= min_cov
            continue
        answerable += 1
        if cov < min_cov:
            fr += 1
        elif top.doc_no == e.doc_no and all(marker_matches(top.path, m) for m in e.clause):
            right += 1
    return answerable, refusals, fr, fa, right


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("golden", nargs="+")
    ap.add_argument("--grid", action="store_true", help="also vary MATCH and RELATED")
    args = ap.parse_args()
    bot = answer.Assistant(get_settings(env={"ASSISTANT_INDEX_DIR": "/nonexistent"}))
    cases = [c for g in args.golden for c in load_golden(Path(g))]
    prepared = rows(bot, cases)
    grid = itertools.product((0.55, 0.62, 0.7), (0.35, 0.45, 0.55)) if args.grid else [(compose.MATCH, compose.RELATED)]
    print("| MATCH | RELATED | MIN_COVERAGE | answerable refused | refusals answered | right clause kept |")
    print("|---|---|---|---|---|---|")
    for match, related in grid:
        compose.MATCH, compose.RELATED = match, related
        for min_cov in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
            a, r, fr, fa, right = score(bot, prepared, min_cov)
            print(f"| {match} | {related} | {min_cov} | {fr}/{a} | {fa}/{r} | {right}/{a} |")


if __name__ == "__main__":
    main()
